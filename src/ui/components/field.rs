//! One scenario input: a labelled control for the value at a JSON pointer in the draft.
//! Props in, edits out: the view binds it to the store (`views::field::Field`).
//!
//! The draft holds the engine's units (pence, fractions); the field shows and reads the
//! person's units (pounds, percentages), with `crate::format`, which works on decimal
//! text, never by multiplying floats, so 0.035 shows as "3.5" and "3.5" is stored as
//! 0.035 exactly.
//!
//! What the person types stays in the field's own state while they edit, so "3." or
//! "1,2" is never rewritten under the cursor; the field takes the draft's value again
//! only when the draft changes from outside (undo, redo, a load). Text that does not
//! read as its kind is still stored, as a string, so nothing typed is lost.

use crate::draft::Edit;
use crate::format::{
    number_text, parse_number, parse_percent, parse_pounds, parse_whole, percent_text, pounds_text,
};
use onebudget_engine::inputs::{self, Unit};
use onebudget_engine::validation::{whole_words, Allowed, Problem};
use serde_json::Value;
use std::rc::Rc;
use yew::prelude::*;

/// One option of a select. `None` means "leave the field out" (an optional setting).
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    pub value: Option<Value>,
    pub label: AttrValue,
}

impl Choice {
    pub fn new(value: Value, label: impl Into<AttrValue>) -> Self {
        Choice {
            value: Some(value),
            label: label.into(),
        }
    }

    /// The "leave it out" option.
    pub fn none(label: impl Into<AttrValue>) -> Self {
        Choice {
            value: None,
            label: label.into(),
        }
    }

    /// Does the draft's value pick this option? An object choice such as
    /// `{"tiered": {...}}` matches any object with the same single key, whatever its
    /// contents, so editing the tiers does not lose the selection.
    fn matches(&self, current: Option<&Value>) -> bool {
        match (&self.value, current) {
            (None, None) | (None, Some(Value::Null)) => true,
            (Some(Value::Object(a)), Some(Value::Object(b))) => {
                a == b || (a.len() == 1 && b.len() == 1 && a.keys().eq(b.keys()))
            }
            (Some(a), Some(b)) => a == b,
            _ => false,
        }
    }
}

/// What a field holds, and so how it is shown, typed and stored.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldKind {
    /// One line of text.
    Text,
    /// Several lines of text (a description).
    LongText,
    /// A whole number, 0 or more (people, population, activity).
    Integer,
    /// Pence in the draft; pounds with up to 2 decimals on screen.
    Money,
    /// A fraction in the draft; a percentage on screen (0.035 ↔ "3.5").
    Percent,
    /// A plain number (cost weight, need index, a metric's value).
    Number,
    /// A calendar year.
    Year,
    /// One of a fixed set of values.
    Select(Rc<[Choice]>),
    /// True or false.
    Checkbox,
}

impl FieldKind {
    /// How an input of this unit (the engine's registry of inputs) is shown and typed. A
    /// choice's options are the view's to give ([`FieldKind::Select`]).
    pub fn of(unit: Unit) -> FieldKind {
        match unit {
            Unit::Pence => FieldKind::Money,
            Unit::People | Unit::Count => FieldKind::Integer,
            Unit::Fraction => FieldKind::Percent,
            Unit::Number => FieldKind::Number,
            Unit::Year => FieldKind::Year,
            Unit::Name | Unit::Choice => FieldKind::Text,
            Unit::Text => FieldKind::LongText,
            Unit::Flag => FieldKind::Checkbox,
        }
    }

    /// The unit shown with the label and beside the input.
    pub fn unit(&self) -> Option<&'static str> {
        match self {
            FieldKind::Money => Some("£"),
            FieldKind::Percent => Some("%"),
            _ => None,
        }
    }

    fn is_numeric(&self) -> bool {
        matches!(
            self,
            FieldKind::Integer
                | FieldKind::Money
                | FieldKind::Percent
                | FieldKind::Number
                | FieldKind::Year
        )
    }

    /// What to say when the text does not read as this kind.
    fn default_invalid(&self) -> &'static str {
        match self {
            FieldKind::Integer => "Enter a whole number, like 25800",
            FieldKind::Money => "Enter an amount in pounds, like 1732.50",
            FieldKind::Percent => "Enter a percentage, like 3.5",
            FieldKind::Number => "Enter a number, like 1.05",
            FieldKind::Year => "Enter a year, like 2025",
            _ => "Enter a value",
        }
    }

    /// The draft's value as the person reads it.
    pub fn format(&self, value: Option<&Value>) -> String {
        match value {
            None | Some(Value::Null) => String::new(),
            // Text that did not parse was stored as typed: show it again as typed.
            Some(Value::String(s)) => s.clone(),
            Some(v) => match self {
                FieldKind::Money => v.as_i64().map(pounds_text).unwrap_or_else(|| v.to_string()),
                FieldKind::Percent => v
                    .as_f64()
                    .map(percent_text)
                    .unwrap_or_else(|| v.to_string()),
                FieldKind::Number => v.as_f64().map(number_text).unwrap_or_else(|| v.to_string()),
                _ => v.to_string(),
            },
        }
    }

    /// Read typed text: `Some(Some(value))` to store, `Some(None)` for empty text (the field
    /// is left out), `None` when the text is not this kind of value.
    pub fn parse(&self, text: &str) -> Option<Option<Value>> {
        let t = text.trim();
        if t.is_empty() {
            return match self {
                FieldKind::Text | FieldKind::LongText => Some(Some(Value::String(text.into()))),
                _ => Some(None),
            };
        }
        match self {
            FieldKind::Text | FieldKind::LongText => Some(Some(Value::String(text.into()))),
            FieldKind::Integer | FieldKind::Year => parse_whole(t).map(|n| Some(Value::from(n))),
            FieldKind::Money => parse_pounds(t).map(|p| Some(Value::from(p))),
            FieldKind::Percent => parse_percent(t).map(|f| Some(Value::from(f))),
            FieldKind::Number => parse_number(t).map(|f| Some(Value::from(f))),
            FieldKind::Select(_) | FieldKind::Checkbox => None,
        }
    }
}

/// The element id of the field at `pointer`: `/places/0/name` → `field-places-0-name`.
/// The error summary links to these.
pub fn field_id(pointer: &str) -> String {
    let mut id = String::from("field");
    for token in pointer.split('/').skip(1) {
        id.push('-');
        id.extend(token.chars().map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        }));
    }
    id
}

/// An input's range in the person's units: fractions as percentages, pence as pounds,
/// "from -20 % to 20 %", "£0 or more"; `None` without a bound.
pub fn range_words(min: Option<f64>, max: Option<f64>, unit: Unit) -> Option<String> {
    let shown = |x: f64| match unit {
        Unit::Fraction => format!("{} %", percent_text(x)),
        Unit::Pence => format!("£{}", pounds_text(x as i64)),
        Unit::Year => x.to_string(),
        _ if unit.is_whole() => whole_words(x),
        _ => number_text(x),
    };
    Some(match (min, max) {
        (Some(low), Some(high)) => format!("from {} to {}", shown(low), shown(high)),
        // 1 penny or more: more than nothing.
        (Some(low), None) if unit == Unit::Pence && low == 1.0 => "more than £0".to_string(),
        (Some(low), None) => format!("{} or more", shown(low)),
        (None, Some(high)) => format!("{} or less", shown(high)),
        (None, None) => return None,
    })
}

/// An input's range as a sentence for a hint: "From 0.5 to 2." (empty without a bound).
pub fn range_sentence(input: &inputs::Input) -> String {
    range_words(input.min, input.max, input.unit)
        .map(|r| capitalised(&format!("{r}.")))
        .unwrap_or_default()
}

/// A problem in the person's units: the engine says what is allowed as data
/// ([`Allowed`]), so a range of fractions reads as percentages ("must be from -20 % to
/// 20 %") and a range of pence as pounds; any other problem in the engine's own words.
pub fn problem_message(problem: &Problem) -> String {
    match &problem.allowed {
        Allowed::Range {
            min,
            max,
            unit: unit @ (Unit::Fraction | Unit::Pence),
        } => range_words(*min, *max, *unit)
            .map(|r| format!("must be {r}"))
            .unwrap_or_else(|| problem.message.clone()),
        _ => problem.message.clone(),
    }
}

fn capitalised(text: &str) -> String {
    crate::ui::letter_case::capitalised(text)
}

/// What a field is: where its value lives, its name and kind. The view's `Field` takes
/// these and hands them on to [`FieldInput`] with the draft's value.
#[derive(Properties, PartialEq)]
pub struct FieldProps {
    /// Where the value lives in the draft: `/budget/uplift`.
    pub pointer: AttrValue,
    /// The field's name in words, without its unit. Left out, the engine's registry of
    /// inputs names it: its label, or (`compact`, where the label is only read out) its
    /// label with what it belongs to, "People (Anytown, ages 0–4)".
    #[prop_or_default]
    pub label: Option<AttrValue>,
    /// Left out, the kind of the input's unit in the registry ([`FieldKind::of`]).
    #[prop_or_default]
    pub kind: Option<FieldKind>,
    /// Left out, the registry's hint for the input, if any.
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// Say the registry's range for the input after the hint ("From 0.5 to 2.").
    #[prop_or_default]
    pub range: bool,
    /// The field's own message for text that is not its kind of value.
    #[prop_or_default]
    pub invalid: Option<AttrValue>,
    /// Empty text leaves the field out of the scenario rather than being a mistake.
    #[prop_or_default]
    pub optional: bool,
    /// The value may be below zero (a numeric keypad on phones has no minus sign).
    #[prop_or_default]
    pub signed: bool,
    /// In a table whose column headings name the field: the label is for screen readers
    /// only, and the error message leaves the name out.
    #[prop_or_default]
    pub compact: bool,
    /// The value the engine uses when the field is left out (shown in its place).
    #[prop_or_default]
    pub default: Option<Value>,
}

/// [`FieldProps`] with the registry's defaults filled in (the view's `Field` does that),
/// the draft's value at the pointer, the engine's problems with it, and where edits go.
#[derive(Properties, PartialEq)]
pub struct FieldInputProps {
    pub pointer: AttrValue,
    /// The field's name in words, without its unit.
    pub label: AttrValue,
    pub kind: FieldKind,
    /// The whole hint: the given or the registry's, with the range when asked for.
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub invalid: Option<AttrValue>,
    #[prop_or_default]
    pub optional: bool,
    #[prop_or_default]
    pub signed: bool,
    #[prop_or_default]
    pub compact: bool,
    #[prop_or_default]
    pub default: Option<Value>,
    /// The draft's value at `pointer` (`None` where it is left out).
    pub value: Option<Value>,
    /// The engine's problems with this value.
    pub problems: Vec<Problem>,
    /// Each change the person makes, as an edit of the draft.
    pub onedit: Callback<Edit>,
}

/// A labelled input for one value of the draft.
#[component]
pub fn FieldInput(props: &FieldInputProps) -> Html {
    let pointer = props.pointer.to_string();
    let current = props.value.clone();
    let shown = current.clone().or_else(|| props.default.clone());
    // What the person typed, and the draft value it stands for.
    let local = use_mut_ref(|| None::<(String, Option<Value>, String)>);
    let text = {
        let mut local = local.borrow_mut();
        let in_step = matches!(&*local, Some((p, v, _)) if *p == pointer && *v == current);
        if !in_step {
            *local = Some((
                pointer.clone(),
                current.clone(),
                props.kind.format(shown.as_ref()),
            ));
        }
        local
            .as_ref()
            .map(|(_, _, t)| t.clone())
            .unwrap_or_default()
    };

    // A select shows the draft's choice again after undo or a load: the `selected`
    // attribute alone does not move a select the person has already changed.
    let select_ref = use_node_ref();
    let selected = match &props.kind {
        FieldKind::Select(choices) => choices.iter().position(|c| c.matches(current.as_ref())),
        _ => None,
    };
    {
        let select_ref = select_ref.clone();
        let is_select = matches!(props.kind, FieldKind::Select(_));
        use_effect(move || {
            if is_select {
                if let Some(select) = select_ref.cast::<web_sys::HtmlSelectElement>() {
                    // With no match, the placeholder is the first option.
                    select.set_selected_index(selected.unwrap_or(0) as i32);
                }
            }
        });
    }

    let id = field_id(&pointer);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let kind = props.kind.clone();
    let name = props.label.to_string();

    // The field's own check first: text that is not its kind of value.
    let unreadable = kind.is_numeric() && !text.trim().is_empty() && kind.parse(&text).is_none();
    let empty_required = kind.is_numeric() && !props.optional && text.trim().is_empty();
    let invalid_text = || {
        props
            .invalid
            .as_ref()
            .map(|m| m.to_string())
            .unwrap_or_else(|| kind.default_invalid().to_string())
    };
    // Text where a number goes, from a file (typing stores a number whenever the text
    // reads as one): say so, rather than a range the text may seem to be inside.
    let stored_text = match &current {
        Some(Value::String(s)) if kind.is_numeric() && !unreadable => Some(s.clone()),
        _ => None,
    };
    let error: Option<String> = if unreadable || empty_required {
        Some(invalid_text())
    } else if let Some(s) = stored_text {
        Some(format!("“{s}” is text, not a number. {}", invalid_text()))
    } else {
        let messages: Vec<String> = props
            .problems
            .iter()
            .map(|p| {
                let message = problem_message(p);
                if props.compact {
                    capitalised(&message)
                } else {
                    format!("{name} {message}")
                }
            })
            .collect();
        if messages.is_empty() {
            None
        } else {
            Some(messages.join(". "))
        }
    };

    let described_by = {
        let mut ids = Vec::new();
        if props.hint.is_some() {
            ids.push(hint_id.clone());
        }
        if error.is_some() {
            ids.push(error_id.clone());
        }
        if ids.is_empty() {
            None
        } else {
            Some(ids.join(" "))
        }
    };
    let invalid = error.as_ref().map(|_| "true");

    // Store what was typed: as its value when it reads, as text when it does not.
    let on_text = {
        let onedit = props.onedit.clone();
        let local = local.clone();
        let pointer = pointer.clone();
        let kind = kind.clone();
        move |typed: String| {
            let stored = match kind.parse(&typed) {
                Some(v) => v,
                None => Some(Value::String(typed.clone())),
            };
            *local.borrow_mut() = Some((pointer.clone(), stored.clone(), typed));
            let edit = match stored {
                Some(value) => Edit::Set {
                    pointer: pointer.clone(),
                    value,
                },
                None => Edit::Unset {
                    pointer: pointer.clone(),
                },
            };
            onedit.emit(edit);
        }
    };

    let unit = kind.unit();
    let label_text = match unit {
        Some(u) => format!("{name} ({u})"),
        None => name.clone(),
    };
    let label_class = if props.compact { "visually-hidden" } else { "" };
    let hint = props
        .hint
        .as_ref()
        .map(|h| html! { <p class="hint" id={hint_id.clone()}>{ h }</p> });
    let error_html = error.as_ref().map(|e| {
        html! {
            <p class="error-message" id={error_id.clone()}>
                <span class="visually-hidden">{ "Error: " }</span>{ e }
            </p>
        }
    });
    let classes = classes!(
        "field",
        error.is_some().then_some("field-error"),
        props.compact.then_some("field-compact"),
        matches!(kind, FieldKind::Checkbox).then_some("field-checkbox"),
        matches!(kind, FieldKind::Text | FieldKind::LongText).then_some("field-text"),
    );

    let control = match &kind {
        FieldKind::Checkbox => {
            let checked = matches!(shown, Some(Value::Bool(true)));
            let onedit = props.onedit.clone();
            let pointer = pointer.clone();
            let onchange = Callback::from(move |e: Event| {
                let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                onedit.emit(Edit::Set {
                    pointer: pointer.clone(),
                    value: Value::Bool(input.checked()),
                });
            });
            return html! {
                <div class={classes}>
                    <input type="checkbox" id={id.clone()} checked={checked} {onchange}
                        aria-describedby={described_by} aria-invalid={invalid} />
                    <label for={id}>{ label_text }</label>
                    { for hint }
                    { for error_html }
                </div>
            };
        }
        FieldKind::Select(choices) => {
            let choices = choices.clone();
            let onchange = {
                let onedit = props.onedit.clone();
                let pointer = pointer.clone();
                let choices = choices.clone();
                let current = current.clone();
                Callback::from(move |e: Event| {
                    let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
                    let Some(choice) = select
                        .value()
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| choices.get(i))
                    else {
                        return;
                    };
                    if choice.matches(current.as_ref()) {
                        return;
                    }
                    let edit = match &choice.value {
                        Some(value) => Edit::Set {
                            pointer: pointer.clone(),
                            value: value.clone(),
                        },
                        None => Edit::Unset {
                            pointer: pointer.clone(),
                        },
                    };
                    onedit.emit(edit);
                })
            };
            html! {
                <select id={id.clone()} ref={select_ref} {onchange}
                    aria-describedby={described_by} aria-invalid={invalid}>
                    if selected.is_none() {
                        <option value="" selected=true disabled=true>
                            { match &current {
                                Some(Value::String(s)) if !s.is_empty() => format!("Choose (now “{s}”)"),
                                _ => "Choose…".to_string(),
                            } }
                        </option>
                    }
                    { for choices.iter().enumerate().map(|(i, c)| html! {
                        <option value={i.to_string()} selected={selected == Some(i)}>{ &c.label }</option>
                    }) }
                </select>
            }
        }
        FieldKind::LongText => {
            let on_text = on_text.clone();
            let oninput = Callback::from(move |e: InputEvent| {
                let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
                on_text(area.value());
            });
            html! {
                <textarea id={id.clone()} rows="4" value={text} {oninput}
                    aria-describedby={described_by} aria-invalid={invalid} />
            }
        }
        _ => {
            let oninput = Callback::from(move |e: InputEvent| {
                let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                on_text(input.value());
            });
            let inputmode = match kind {
                FieldKind::Integer | FieldKind::Year => Some("numeric"),
                FieldKind::Money | FieldKind::Percent | FieldKind::Number if !props.signed => {
                    Some("decimal")
                }
                _ => None,
            };
            let input_class = match kind {
                FieldKind::Text => "input-text",
                FieldKind::Year => "input-year",
                _ => "input-number",
            };
            let numeric = kind.is_numeric();
            html! {
                <span class="input-wrap">
                    if kind == FieldKind::Money {
                        <span class="unit unit-before" aria-hidden="true">{ "£" }</span>
                    }
                    <input type="text" id={id.clone()} class={input_class} value={text} {oninput}
                        inputmode={inputmode}
                        spellcheck={numeric.then_some("false")}
                        autocomplete="off"
                        aria-describedby={described_by} aria-invalid={invalid} />
                    if kind == FieldKind::Percent {
                        <span class="unit" aria-hidden="true">{ "%" }</span>
                    }
                </span>
            }
        }
    };

    html! {
        <div class={classes}>
            <label for={id} class={label_class}>{ label_text }</label>
            { for hint }
            { for error_html }
            { control }
        </div>
    }
}
