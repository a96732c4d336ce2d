//! The browser entry point: Trunk builds this binary to wasm and index.html loads it.
//! It is the public build (the Summary, glossary and embeds); the rest of the app is
//! `onebudget-web-full`, fetched when first needed (`ui::full_app`).

#[cfg(target_arch = "wasm32")]
fn main() {
    onebudget::ui::start::<onebudget::ui::PublicViews>();
}

// Natively there is nothing to run: the app only exists in the browser.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("onebudget-web is the browser app: build it with `trunk build` (see README.md); the CLI is `onebudget`.");
    std::process::exit(2);
}
