//! A scenario input bound to the draft: reads the value and its problems from the store
//! and sends each change to the reducer. What it draws is `components::FieldInput`.

use crate::draft::{path_of, Edit};
use crate::ui::components::{FieldInput, FieldProps};
use crate::ui::state::{use_store, Action};
use yew::prelude::*;

/// A labelled input bound to one value in the draft.
#[component]
pub fn Field(props: &FieldProps) -> Html {
    let store = use_store();
    let value = store.draft.value().pointer(&props.pointer).cloned();
    let problems = store
        .draft
        .problems_at(&path_of(&props.pointer))
        .cloned()
        .collect::<Vec<_>>();
    // The same callback for every drawing, so a field whose value and problems have not
    // changed is not drawn again.
    let onedit = use_callback(store.dispatcher(), |edit: Edit, dispatcher| {
        dispatcher.dispatch(Action::Edit(edit))
    });
    html! {
        <FieldInput
            pointer={props.pointer.clone()}
            label={props.label.clone()}
            kind={props.kind.clone()}
            hint={props.hint.clone()}
            invalid={props.invalid.clone()}
            optional={props.optional}
            signed={props.signed}
            compact={props.compact}
            default={props.default.clone()}
            {value}
            {problems}
            {onedit}
        />
    }
}
