//! The full browser app: every view (editor, comparison, board pack, presentation).
//! The public build (`onebudget-web`, src/main.rs) fetches it when a visitor first
//! opens one of those and hands it the state (`ui::full_app`); an offline copy starts
//! it directly. Trunk builds it beside the public build (index.html, data-type="worker":
//! wasm-bindgen's no-modules glue, not injected into the page).

#[cfg(target_arch = "wasm32")]
fn main() {
    onebudget::ui::start::<onebudget::ui::AllViews>();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("onebudget-web-full is part of the browser app: build it with `trunk build` (see README.md); the CLI is `onebudget`.");
    std::process::exit(2);
}
