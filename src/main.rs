//! The browser entry point: Trunk builds this binary to wasm and index.html loads it.

#[cfg(target_arch = "wasm32")]
fn main() {
    onebudget::ui::start();
}

// Natively there is nothing to run: the app only exists in the browser.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("onebudget-web is the browser app: build it with `trunk build` (see README.md); the CLI is `onebudget`.");
    std::process::exit(2);
}
