//! Problems with a scenario, each naming the field, the value and what is allowed.
//!
//! Validation never stops at the first problem: every part of the scenario adds
//! all of its problems to one list, so an analyst sees everything to fix at once.
//! Each problem carries what is allowed as data ([`Allowed`]) beside the plain message,
//! so a shell can say it in its own units (a percentage field, a pounds field) without
//! reading the engine's English.

use crate::inputs::{Input, Unit};
use crate::names;
use serde::{Deserialize, Serialize};
use std::cell::Cell;
use std::fmt;

/// One thing wrong with the input.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// Where, as a field path: `places[2].population[0]`.
    pub path: String,
    /// The value found, as text (`"-5"`, `"missing"`).
    pub value: String,
    /// What is wrong and what is allowed, in the scenario's units: "must be 0 or more".
    pub message: String,
    /// What is allowed, as data.
    #[serde(default)]
    pub allowed: Allowed,
}

/// What a field allows, for a shell to say in its own words and units.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Allowed {
    /// A number from `min` to `max` (either may be open) in `unit`; whole for a whole unit.
    Range {
        min: Option<f64>,
        max: Option<f64>,
        unit: Unit,
    },
    /// One of these words.
    OneOf(Vec<String>),
    /// Text.
    Text,
    /// True or false.
    Flag,
    /// Text that is not blank.
    NotBlank,
    /// Text without control characters or characters that change the direction of text.
    PlainText,
    /// A name no earlier item of the list has ([`crate::names`]).
    Different,
    /// Only these fields (the value is a field of another name).
    Fields(Vec<String>),
    /// A rule across fields, stated in the message (shares that add up to 100 %,
    /// corridors that meet).
    #[default]
    Rule,
}

impl Allowed {
    /// What is allowed, in words and the scenario's units: "must be a number from 0.5 to 2".
    pub fn message(&self) -> String {
        match self {
            Allowed::Range { min, max, unit } => range_words(*min, *max, *unit),
            Allowed::OneOf(words) => format!("must be one of: {}", words.join(", ")),
            Allowed::Text => "must be text, in quotes".into(),
            Allowed::Flag => "must be true or false".into(),
            Allowed::NotBlank => "must not be empty".into(),
            Allowed::PlainText => {
                "must not contain control characters or characters that change the direction of text"
                    .into()
            }
            Allowed::Different => "must differ from the others".into(),
            Allowed::Fields(fields) => format!(
                "is an unknown field: check its spelling (the fields here are {})",
                fields.join(", ")
            ),
            Allowed::Rule => String::new(),
        }
    }
}

/// A whole number with thousands separators: 10000000 → "10,000,000".
pub fn whole_words(x: f64) -> String {
    let digits = format!("{:.0}", x.abs());
    let mut out = String::new();
    if x < 0.0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A fraction as a percentage, exactly as far as it goes: 0.035 → "3.5 %".
pub fn percent_words(fraction: f64) -> String {
    let text = format!("{:.6}", fraction * 100.0);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    let text = if text == "-0" { "0" } else { text };
    format!("{text} %")
}

fn range_words(min: Option<f64>, max: Option<f64>, unit: Unit) -> String {
    let n = |x: f64| {
        if unit.is_whole() && unit != Unit::Year {
            whole_words(x)
        } else {
            x.to_string()
        }
    };
    let (what, after) = match unit {
        Unit::Pence => ("", " pence"),
        Unit::People => ("a whole number of people ", ""),
        Unit::Year => ("a year ", ""),
        Unit::Count => ("a whole number ", ""),
        Unit::Fraction => ("a fraction ", ""),
        _ => ("a number ", ""),
    };
    let pounds = |x: f64| crate::money::Pence(x as i64).display();
    match (min, max) {
        (Some(a), Some(b)) => {
            let mut words = format!("must be {what}from {}{after} to {}{after}", n(a), n(b));
            match unit {
                Unit::Fraction => {
                    words += &format!(" ({} to {})", percent_words(a), percent_words(b))
                }
                Unit::Pence => words += &format!(" ({} to {})", pounds(a), pounds(b)),
                _ => {}
            }
            words
        }
        (Some(a), None) if unit.is_whole() && a == 1.0 => match unit {
            Unit::People => "must be a whole number of people, 1 or more".into(),
            _ => format!("must be more than 0{after}"),
        },
        (Some(a), None) if unit == Unit::People => {
            format!("must be a whole number of people, {} or more", n(a))
        }
        (Some(a), None) => format!("must be {}{after} or more", n(a)),
        (None, Some(b)) => format!("must be {}{after} or less", n(b)),
        (None, None) if unit.is_whole() => format!("must be {what}").trim_end().to_string(),
        (None, None) => "must be a finite number".into(),
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} (found {})", self.path, self.message, self.value)
    }
}

impl Problem {
    /// A problem with a rule stated in `message`.
    pub fn new(
        path: impl Into<String>,
        value: impl fmt::Display,
        message: impl Into<String>,
    ) -> Self {
        Problem {
            path: path.into(),
            value: value.to_string(),
            message: message.into(),
            allowed: Allowed::Rule,
        }
    }

    /// A value that is not what `allowed` allows; the message says what is.
    pub fn not_allowed(
        path: impl Into<String>,
        value: impl fmt::Display,
        allowed: Allowed,
    ) -> Self {
        Problem {
            path: path.into(),
            value: value.to_string(),
            message: allowed.message(),
            allowed,
        }
    }

    /// The same problem with its own message in place of the allowed's words.
    pub fn saying(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }
}

thread_local! {
    /// How many times a whole scenario has been validated on this thread: the app
    /// validates once per keystroke, and a test holds it to that (`draft.rs`). Per thread,
    /// so tests running side by side do not count each other's.
    static PASSES: Cell<usize> = const { Cell::new(0) };
}

/// Whole-scenario validations so far on this thread (see [`PASSES`]).
pub fn passes() -> usize {
    PASSES.with(Cell::get)
}

pub(crate) fn count_pass() {
    PASSES.with(|p| p.set(p.get() + 1));
}

/// Collects problems.
#[derive(Debug, Default)]
pub struct Problems {
    pub list: Vec<Problem>,
}

impl Problems {
    pub fn new() -> Self {
        Problems::default()
    }

    /// A problem with a rule stated in `message`.
    pub fn push(
        &mut self,
        path: impl Into<String>,
        value: impl fmt::Display,
        message: impl Into<String>,
    ) {
        self.list.push(Problem::new(path, value, message));
    }

    /// A number outside its input's range (or not finite, or not whole for a whole unit).
    pub fn number(&mut self, input: &Input, path: impl Into<String>, value: f64) {
        if !input.allows(value) {
            self.outside(input, path.into(), value.to_string());
        }
    }

    /// One problem for a value outside its input's range. Not inlined: each check calls it.
    #[inline(never)]
    fn outside(&mut self, input: &Input, path: String, value: String) {
        let allowed = input.allowed();
        self.list.push(Problem {
            path,
            value,
            message: allowed.message(),
            allowed,
        });
    }

    /// A figure the engine works out itself (not an input, so not in the registry), such as
    /// a weighted population handed to fair shares, outside `min..=max`.
    pub fn between(&mut self, path: impl Into<String>, value: f64, min: f64, max: f64, unit: Unit) {
        if !(value.is_finite() && (min..=max).contains(&value)) {
            let allowed = Allowed::Range {
                min: Some(min),
                max: Some(max),
                unit,
            };
            self.list.push(Problem::not_allowed(path, value, allowed));
        }
    }

    /// A whole number outside its input's range (pence, people, counts).
    pub fn whole(&mut self, input: &Input, path: impl Into<String>, value: i128) {
        // Every bound in the registry is a whole number well inside f64's exact range.
        let below = input.min.is_some_and(|min| value < min as i128);
        let above = input.max.is_some_and(|max| value > max as i128);
        if below || above {
            self.outside(input, path.into(), value.to_string());
        }
    }

    /// Text that is not blank.
    pub fn not_blank(&mut self, path: &str, value: &str) {
        if value.trim().is_empty() {
            self.list
                .push(Problem::not_allowed(path, "\"\"", Allowed::NotBlank));
        }
    }

    /// Text holding no character [`names::is_refused`] refuses (`lines`: a description,
    /// which may have line breaks).
    pub fn plain_text(&mut self, path: &str, value: &str, lines: bool) {
        if value.chars().any(|c| names::is_refused(c, lines)) {
            self.list.push(Problem::not_allowed(
                path,
                names::shown(value),
                Allowed::PlainText,
            ));
        }
    }

    /// A name: not blank, and plain text.
    pub fn name(&mut self, path: &str, value: &str) {
        self.not_blank(path, value);
        self.plain_text(path, value, false);
    }

    /// A name that is the same name as an earlier one of its list (`first`, from
    /// [`names::repeats`]: one rule for every list); `message` says so in the list's words,
    /// `{first}` standing for the earlier one's position.
    pub fn repeat(&mut self, path: &str, name: &str, first: Option<usize>, message: &str) {
        if let Some(first) = first {
            self.list.push(
                Problem::not_allowed(path, names::shown(name), Allowed::Different)
                    .saying(message.replace("{first}", &first.to_string())),
            );
        }
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn into_vec(self) -> Vec<Problem> {
        self.list
    }
}

/// Fractions that should add to one, allowing for how they were typed (to 1e-6).
pub fn sums_to_one(values: impl IntoIterator<Item = f64>) -> bool {
    let total: f64 = values.into_iter().sum();
    (total - 1.0).abs() <= 1e-6
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs;

    #[test]
    fn ranges_name_what_is_allowed() {
        let mut p = Problems::new();
        p.number(&inputs::SHARE_AT_RISK, "a", 1.5);
        p.number(&inputs::SHARE_AT_RISK, "b", 0.5);
        p.number(&inputs::BONUS_CONTRIBUTION, "c", -1.0);
        p.number(&inputs::NEED_INDEX, "d", f64::NAN);
        p.not_blank("e", "  ");
        let list = p.into_vec();
        assert_eq!(list.len(), 4);
        assert_eq!(list[0].path, "a");
        assert!(list[0].message.contains("0 to 1"));
        assert_eq!(list[1].path, "c");
        assert_eq!(
            list[2].to_string(),
            "d: must be a number from 0.5 to 2 (found NaN)"
        );
        assert_eq!(
            list[2].allowed,
            Allowed::Range {
                min: Some(0.5),
                max: Some(2.0),
                unit: Unit::Number
            }
        );
        assert_eq!(list[3].allowed, Allowed::NotBlank);
    }

    #[test]
    fn allowed_ranges_read_in_the_scenarios_units() {
        let cases: &[(&Input, &str)] = &[
            (
                &inputs::UPLIFT,
                "must be a fraction from -0.2 to 0.2 (-20 % to 20 %)",
            ),
            (
                &inputs::LINE_SHARE,
                "must be a fraction from 0 to 1 (0 % to 100 %)",
            ),
            (&inputs::RATE, "must be more than 0 pence"),
            (&inputs::BASELINE, "must be 0 pence or more"),
            (
                &inputs::PEOPLE,
                "must be a whole number of people, 0 or more",
            ),
            (
                &inputs::POOL_POPULATION,
                "must be a whole number of people from 1 to 100,000,000",
            ),
            (
                &inputs::COST_PER_HEAD,
                "must be from 1 pence to 100,000,000 pence (£0.01 to £1,000,000.00)",
            ),
            (&inputs::FIRST_YEAR, "must be a year from 2000 to 2100"),
            (&inputs::YEARS, "must be a whole number from 1 to 10"),
            (&inputs::THRESHOLD, "must be a finite number"),
            (&inputs::BONUS_CONTRIBUTION, "must be 0 or more"),
            (&inputs::SECTOR, "must be one of: nhs, council, other"),
        ];
        for (input, words) in cases {
            assert_eq!(input.allowed().message(), *words, "{}", input.path);
        }
        assert_eq!(percent_words(0.035), "3.5 %");
        assert_eq!(percent_words(-0.005), "-0.5 %");
        assert_eq!(
            whole_words(9_007_199_254_740_991.0),
            "9,007,199,254,740,991"
        );
    }

    #[test]
    fn names_are_checked_by_one_rule() {
        let mut p = Problems::new();
        let list = ["Ynys Môn", "YNYS MÔN", "Luton\u{202E}", " "];
        let repeats = names::repeats(list);
        for (i, name) in list.iter().enumerate() {
            let path = format!("places[{i}].name");
            p.name(&path, name);
            p.repeat(&path, name, repeats[i], "the same name as places[{first}]");
        }
        let list = p.into_vec();
        let paths: Vec<&str> = list.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            ["places[1].name", "places[2].name", "places[3].name"]
        );
        assert_eq!(list[0].allowed, Allowed::Different);
        assert_eq!(list[0].message, "the same name as places[0]");
        assert_eq!(list[1].allowed, Allowed::PlainText);
        assert_eq!(list[1].value, "Luton<U+202E>");
        assert_eq!(list[2].allowed, Allowed::NotBlank);
    }

    #[test]
    fn sums_to_one_allows_typing_noise() {
        assert!(sums_to_one([0.1, 0.2, 0.7]));
        assert!(!sums_to_one([0.1, 0.2]));
    }
}
