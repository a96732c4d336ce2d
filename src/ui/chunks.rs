//! The parts' table: for each [`Part`], its split point, the chunk the build cuts it into
//! (parts that name the same chunk are fetched together) and what it draws. `ui::lazy`
//! says how a part loads and what the visitor is told meanwhile; the `App` gives it
//! [`load`] as a context ([`crate::ui::lazy::Loader`]). The table names the views, and
//! the views name `Lazy`, so it is at the top, beside the `App` (tests/ui_layers.rs).
//!
//! Adding a part: its variant and words in `ui::lazy`'s `parts!`, and its line here.

use crate::ui::lazy::{Draw, Fetch, Part, Unavailable};
#[cfg(wasm_split)]
use wasm_split_helpers::wasm_split;
use yew::prelude::*;

macro_rules! chunks {
    ($( $variant:ident => $function:ident in $chunk:ident, $draw:expr; )*) => {
        /// Fetch a part's chunks (the first time; the loader keeps them) and return its
        /// drawing function.
        pub fn load(part: Part) -> Fetch {
            match part {
                $( Part::$variant => {
                    #[cfg_attr(wasm_split, wasm_split($chunk, fallible))]
                    fn $function() -> Result<Draw, Unavailable> {
                        Ok($draw)
                    }
                    // Uncut (a debug build): the part is linked in, nothing to fetch.
                    #[cfg(not(wasm_split))]
                    let fetch = async { $function() };
                    #[cfg(wasm_split)]
                    let fetch = $function();
                    Box::pin(fetch)
                } )*
            }
        }
    };
}

chunks! {
    Edit => edit in editor, || html! { <crate::ui::views::edit::EditView /> };
    Compare => compare in analysis, || html! { <crate::ui::views::compare::CompareView /> };
    Pack => pack in analysis, || html! { <crate::ui::views::board_pack::BoardPack /> };
    Present => present in analysis, || html! { <crate::ui::views::presentation::Presentation /> };
    Pooling => pooling in pooling, || html! { <crate::ui::pooling::RiskPooling /> };
    EmbedPanel => embed_panel in editor, || html! { <crate::ui::embed::panel::EmbedPanel /> };
    FairSharesChart => fair_shares_chart in charts, || html! { <crate::ui::views::public::FairSharesOfScenario /> };
    PooledBudgetChart => pooled_budget_chart in charts, || html! { <crate::ui::views::public::PooledBudgetOfScenario /> };
    Glossary => glossary in glossary, || html! { <crate::ui::views::glossary::Glossary /> };
    EmbedInputs => embed_inputs in editor, || html! { <crate::ui::embed::EmbedInputs /> };
    Area => area in areas, || html! { <crate::ui::views::area::AreaView /> };
    AreaEmbed => area_embed in areas, || html! { <crate::ui::views::area::AreaEmbed /> };
}
