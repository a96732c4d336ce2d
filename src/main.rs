//! The browser entry point: Trunk builds this binary to wasm and index.html loads it.
//! The build cuts it into the first download (the Summary, glossary and embeds) and
//! chunks that load when a visitor first opens anything else (`ui::lazy`).

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
