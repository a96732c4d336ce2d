//! The `onebudget` command line: a thin shell over the engine.
fn main() {
    println!("onebudget {}", env!("CARGO_PKG_VERSION"));
}
