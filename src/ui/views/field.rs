//! A scenario input bound to the draft: reads the value and its problems from the store,
//! fills in what the view left out from the engine's registry of inputs (label, kind,
//! hint, range), and sends each change to the reducer. What it draws is
//! `components::FieldInput`.

use crate::draft::{path_of, Edit};
use crate::ui::components::{range_sentence, FieldInput, FieldKind, FieldProps};
use crate::ui::state::{use_store, Action};
use onebudget_engine::inputs;
use yew::prelude::*;

/// A labelled input bound to one value in the draft.
#[component]
pub fn Field(props: &FieldProps) -> Html {
    let store = use_store();
    let path = path_of(&props.pointer);
    let input = inputs::find(&path);
    let kind = props
        .kind
        .clone()
        .or_else(|| input.map(|i| FieldKind::of(i.unit)))
        .unwrap_or(FieldKind::Text);
    let label: AttrValue = match (&props.label, input) {
        (Some(label), _) => label.clone(),
        (None, Some(_)) if props.compact => inputs::label_in(&path, store.draft.value()).into(),
        (None, Some(input)) => input.label.into(),
        (None, None) => path.clone().into(),
    };
    let hint: Option<AttrValue> = {
        // A table's cells (compact) leave hints to the table's own words.
        let hint = props
            .hint
            .as_ref()
            .map(|h| h.to_string())
            .or_else(|| {
                inputs::hint(&path)
                    .filter(|_| !props.compact)
                    .map(|(h, _)| h.to_string())
            })
            .filter(|h| !h.is_empty());
        let range = input
            .filter(|_| props.range)
            .map(range_sentence)
            .filter(|r| !r.is_empty());
        match (hint, range) {
            (Some(h), Some(r)) => Some(format!("{h} {r}").into()),
            (h, r) => h.or(r).map(AttrValue::from),
        }
    };
    let value = store.draft.value().pointer(&props.pointer).cloned();
    let problems = store.draft.problems_at(&path).cloned().collect::<Vec<_>>();
    // The same callback for every drawing, so a field whose value and problems have not
    // changed is not drawn again.
    let onedit = use_callback(store.dispatcher(), |edit: Edit, dispatcher| {
        dispatcher.dispatch(Action::Edit(edit))
    });
    html! {
        <FieldInput
            pointer={props.pointer.clone()}
            {label}
            {kind}
            {hint}
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
