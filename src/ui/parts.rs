//! The parts of the Summary only the full build draws, as a context: the views draw
//! whatever this build put there, and never ask which build they are in (`ui::Views`).

use yew::prelude::*;

/// The parts of the Summary only the full build draws; the public build puts a
/// [`crate::ui::full_app::Opening`] in their place, which fetches the full app.
#[derive(Clone, Copy)]
pub struct Parts {
    /// The risk pooling simulation (`pooling::RiskPooling`), for a scenario with a pool.
    pub risk_pooling: fn() -> Html,
    /// "Embed this on your website" (`embed::EmbedPanel`).
    pub embed_panel: fn() -> Html,
    /// An embed's exposed inputs (`embed::EmbedInputs`), the editor's own fields.
    pub embed_inputs: fn() -> Html,
    /// An embed on one real area (`views::area::AreaEmbed`).
    pub area_embed: fn() -> Html,
}

impl PartialEq for Parts {
    /// Fixed for the life of the app: a context that never changes.
    fn eq(&self, _: &Parts) -> bool {
        true
    }
}

/// The parts this build draws (the App provides them).
#[hook]
pub fn use_parts() -> Parts {
    use_context::<Parts>().expect("the App provides the parts")
}
