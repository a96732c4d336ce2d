//! What a board meeting needs that is not a web page's business: the scenario's inputs
//! as a plain listing (the board pack's appendix) and the single offline HTML file.
//!
//! Plain Rust with no web dependency, so both are tested natively; `ui::views::presentation`,
//! `ui::views::board_pack` and `ui::offline` put them on the page.

pub mod inputs;
pub mod offline_page;
