//! The browser app's release build is cut into a first download and chunks loaded on
//! first use (src/ui/lazy.rs, scripts/split_wasm.py). For that, this sets
//! `cfg(wasm_split)` (the parts become split points) and links the app's own binary with
//! `--emit-relocs` (wasm_split_cli reads the relocations to know what refers to what;
//! only that binary's link changes, so no dependency is rebuilt for it). Debug builds
//! (`trunk serve`, the browser tests) link the parts in, uncut.
fn main() {
    println!("cargo:rustc-check-cfg=cfg(wasm_split)");
    println!("cargo:rerun-if-changed=build.rs");
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32");
    if wasm && std::env::var("PROFILE").as_deref() == Ok("release") {
        println!("cargo:rustc-cfg=wasm_split");
        println!("cargo:rustc-link-arg-bin=onebudget-web=--emit-relocs");
    }
}
