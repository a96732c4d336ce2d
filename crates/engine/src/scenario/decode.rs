//! The door: JSON text (or JSON already parsed) to a [`ValidScenario`], or every problem
//! with it at once.
//!
//! Size limit → JSON syntax → [`migrate`] → typed fields → validation. A field that cannot
//! be read as its type (text where a number goes, `-500` people, an unknown or missing
//! field) is reported in the product's words, from the registry of inputs
//! ([`crate::inputs`]): its path, the value found and what is allowed. Reading then goes on:
//! an unknown field is set aside, and a field of the wrong kind is read as a stand-in value
//! ([`Input::stand_in`](crate::inputs::Input)), so the next wrong field is found too, and
//! finally the rest of the scenario is validated, once. Problems that a stand-in could have
//! caused (at its field, inside it, or on what holds it) are left out: they would be about
//! a value nobody wrote. Only a field of the wrong kind that has no stand-in (a whole
//! section written as a number) stops the reading early.

use super::{migrate, Scenario, ValidScenario, MAX_SCENARIO_BYTES};
use crate::field_path::{self, Fault};
use crate::inputs;
use crate::validation::{Allowed, Problem};
use serde_json::Value;

/// The most fields of the wrong kind one reading reports: a file with more is not a
/// scenario with some mistakes in it.
const MAX_FIELD_PROBLEMS: usize = 50;

/// Why a file that is not UTF-8 text is refused: the one message the command line and the
/// app both give, so a file saved as Latin-1 or Windows-1252 (where £ and é are single
/// bytes) is never read with those characters turned into U+FFFD.
pub const NOT_UTF8: &str = "is not UTF-8 text: save it as UTF-8 (a spreadsheet's \"CSV UTF-8\", \
     a text editor's UTF-8 encoding) and open it again";

/// A file's bytes as text: UTF-8, or refused with [`NOT_UTF8`] and the first byte that is
/// not. A byte order mark stays, for [`read_json`] to skip.
pub fn file_text(bytes: Vec<u8>) -> Result<String, Problem> {
    String::from_utf8(bytes).map_err(|e| {
        Problem::new(
            "(file)",
            format!("byte {}", e.utf8_error().valid_up_to()),
            NOT_UTF8,
        )
    })
}

/// Read a scenario from JSON text: every problem at once, each with its field path.
pub fn decode(text: &str) -> Result<ValidScenario, Vec<Problem>> {
    read_json(text).and_then(decode_migrated)
}

/// JSON text as a scenario of the current version, whatever its fields hold: within the
/// size limit, JSON, and of a version this OneBudget reads (migrated). What an editor can
/// open as a draft, to show each problem beside its field; else why not.
pub fn read_json(text: &str) -> Result<Value, Vec<Problem>> {
    // Some Windows editors and spreadsheet exports start UTF-8 with a byte order mark;
    // JSON does not allow one, but it is not the analyst's mistake.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.len() > MAX_SCENARIO_BYTES {
        return Err(vec![Problem::new(
            "(scenario)",
            format!("{} bytes", text.len()),
            format!("is too large: a scenario may be at most {MAX_SCENARIO_BYTES} bytes"),
        )]);
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        vec![Problem::new(
            "(scenario)",
            format!("line {}, column {}", e.line(), e.column()),
            format!("is not valid JSON: {}", json_error_text(&e)),
        )]
    })?;
    migrate(value)
}

/// [`decode`] for JSON already parsed (the app's draft, storage and links).
pub fn decode_value(value: Value) -> Result<ValidScenario, Vec<Problem>> {
    decode_migrated(migrate(value)?)
}

fn decode_migrated(mut value: Value) -> Result<ValidScenario, Vec<Problem>> {
    let mut problems: Vec<Problem> = Vec::new();
    // Paths read with a stand-in value.
    let mut stood_in: Vec<String> = Vec::new();
    loop {
        let e = match field_path::deserialize::<Scenario>(&value) {
            Ok(scenario) if problems.is_empty() => return ValidScenario::new(scenario),
            Ok(scenario) => {
                problems.extend(
                    scenario
                        .problems()
                        .into_iter()
                        .filter(|p| !stood_in.iter().any(|s| related(&p.path, s))),
                );
                return Err(problems);
            }
            Err(e) => e,
        };
        let (problem, fix) = field_problem(&value, &e);
        let again = problems.iter().any(|p| p.path == problem.path);
        if !again {
            problems.push(problem);
        }
        let fixed = match fix {
            Fix::Remove(pointer) => remove(&mut value, &pointer),
            Fix::Set(path, pointer, stand_in) => {
                stood_in.push(path);
                set(&mut value, &pointer, stand_in)
            }
            Fix::None => false,
        };
        if again || !fixed || problems.len() >= MAX_FIELD_PROBLEMS {
            return Err(problems);
        }
    }
}

/// How reading can go on past a field.
enum Fix {
    /// Set the field aside (an unknown field).
    Remove(String),
    /// Read it as this stand-in: (path, pointer, value).
    Set(String, String, Value),
    None,
}

/// A field that could not be read, in the product's words, and how to read on.
fn field_problem(value: &Value, e: &field_path::FieldError) -> (Problem, Fix) {
    let path = shown_path(&e.path);
    match e.kind {
        Fault::Missing(field) => {
            let path = join(&path, field);
            let pointer = format!("{}/{field}", e.pointer);
            let problem = match inputs::find(&path) {
                Some(input) => {
                    let allowed = input.allowed();
                    let message = format!("is missing: it {}", allowed.message());
                    let fix = Fix::Set(path.clone(), pointer, input.stand_in());
                    return (
                        Problem::not_allowed(path, "missing", allowed).saying(message),
                        fix,
                    );
                }
                None => Problem::new(path.clone(), "missing", "is missing"),
            };
            // A missing list reads on as an empty one (which validation reports, here).
            let list = matches!(
                field,
                "age_bands"
                    | "places"
                    | "population"
                    | "service_lines"
                    | "contributions"
                    | "spending"
                    | "metrics"
                    | "members"
                    | "loss_corridors"
                    | "gain_corridors"
                    | "commissioners"
                    | "tiers"
            );
            let fix = if list {
                Fix::Set(path, pointer, Value::Array(Vec::new()))
            } else {
                Fix::None
            };
            (problem, fix)
        }
        Fault::Unknown(fields) => {
            let found = value.pointer(&e.pointer).map(short).unwrap_or_default();
            let allowed = Allowed::Fields(fields.iter().map(|f| f.to_string()).collect());
            (
                Problem::not_allowed(path, found, allowed),
                Fix::Remove(e.pointer.clone()),
            )
        }
        Fault::WrongKind | Fault::OutOfRange | Fault::Other => {
            let found = value.pointer(&e.pointer).map(short).unwrap_or_default();
            match inputs::find(&path) {
                Some(input) => {
                    let allowed = input.allowed();
                    let message = match e.kind {
                        Fault::WrongKind => {
                            format!("wrong kind of value: it {}", allowed.message())
                        }
                        _ => allowed.message(),
                    };
                    let fix = Fix::Set(path.clone(), e.pointer.clone(), input.stand_in());
                    (
                        Problem::not_allowed(path, found, allowed).saying(message),
                        fix,
                    )
                }
                None => {
                    let what = match value.pointer(&e.pointer) {
                        Some(Value::Array(_)) => "must not be a list here",
                        Some(Value::Object(_)) => "must not be an object here",
                        _ => "wrong kind of value: a list or an object of fields goes here",
                    };
                    (Problem::new(path, found, what), Fix::None)
                }
            }
        }
    }
}

/// Could a problem at `path` have come from the stand-in read at `stood_in`? (The same
/// field, a field inside it, or something holding it, short of the whole scenario.)
fn related(path: &str, stood_in: &str) -> bool {
    let inside = |outer: &str, inner: &str| {
        inner.len() > outer.len()
            && inner.starts_with(outer)
            && matches!(inner.as_bytes()[outer.len()], b'.' | b'[')
    };
    path == stood_in || inside(stood_in, path) || inside(path, stood_in)
}

fn join(path: &str, field: &str) -> String {
    if path == "(scenario)" {
        field.to_string()
    } else {
        format!("{path}.{field}")
    }
}

fn remove(value: &mut Value, pointer: &str) -> bool {
    let Some((parent, key)) = split(pointer) else {
        return false;
    };
    match value.pointer_mut(&parent) {
        Some(Value::Object(map)) => map.remove(&key).is_some(),
        _ => false,
    }
}

fn set(value: &mut Value, pointer: &str, new: Value) -> bool {
    if let Some(slot) = value.pointer_mut(pointer) {
        *slot = new;
        return true;
    }
    let Some((parent, key)) = split(pointer) else {
        return false;
    };
    match value.pointer_mut(&parent) {
        Some(Value::Object(map)) => {
            map.insert(key, new);
            true
        }
        _ => false,
    }
}

/// `/a/b~1c` → (`/a`, `b/c`).
fn split(pointer: &str) -> Option<(String, String)> {
    let i = pointer.rfind('/')?;
    let key = pointer[i + 1..].replace("~1", "/").replace("~0", "~");
    Some((pointer[..i].to_string(), key))
}

/// A value as found, short enough for a message: JSON, cut at 40 characters.
pub(super) fn short(value: &Value) -> String {
    let s = value.to_string();
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}

/// A serde path as shown to people: the whole scenario is `(scenario)`, and a key that
/// is the empty string (which JSON allows) is shown as `""` rather than vanishing.
fn shown_path(path: &str) -> String {
    if path.is_empty() || path == "." {
        "(scenario)".to_string()
    } else if path.ends_with('.') {
        format!("{path}\"\"")
    } else {
        path.to_string()
    }
}

fn json_error_text(e: &serde_json::Error) -> String {
    // serde_json appends " at line L column C"; the value field already says where.
    let s = e.to_string();
    match s.find(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples;
    use crate::money::Pence;
    use crate::scenario::SCHEMA_VERSION;
    use serde_json::json;

    fn anytown() -> Value {
        serde_json::from_str(examples::find("anytown").unwrap().json).unwrap()
    }

    fn paths(problems: &[Problem]) -> Vec<&str> {
        problems.iter().map(|p| p.path.as_str()).collect()
    }

    #[test]
    fn every_problem_is_reported_at_once_with_its_path() {
        let mut v = anytown();
        v["places"][0]["population"][0]["growth"] = json!(0.9);
        v["places"][0]["need_index"] = json!(7);
        v["budget"]["efficiency"] = json!(-0.5);
        v["budget"]["service_lines"][0]["share"] = json!(0.9);
        v["age_bands"][1]["cost_weight"] = json!(-1);
        let problems = decode_value(v).unwrap_err();
        let got = paths(&problems);
        for want in [
            "places[0].population[0].growth",
            "places[0].need_index",
            "budget.efficiency",
            "age_bands[1].cost_weight",
        ] {
            assert!(got.contains(&want), "{want} missing from {got:?}");
        }
        // Shares no longer add to 100 %: named on the service lines.
        assert!(
            got.iter().any(|p| p.starts_with("budget.service_lines")),
            "{got:?}"
        );
        assert!(problems.iter().all(|p| !p.message.is_empty()));
    }

    #[test]
    fn unknown_fields_and_wrong_types_name_their_path() {
        let mut v = anytown();
        v["places"][0]["populaton"] = json!([]);
        let problems = decode_value(v).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].path, "places[0].populaton");
        assert!(
            problems[0].message.contains("unknown field"),
            "{}",
            problems[0].message
        );

        let mut v = anytown();
        v["budget"]["rate_per_weighted_head"] = json!("lots");
        let problems = decode_value(v).unwrap_err();
        assert_eq!(problems[0].path, "budget.rate_per_weighted_head");
        assert!(
            problems[0].message.contains("wrong kind of value"),
            "{}",
            problems[0].message
        );
    }

    #[test]
    fn an_empty_key_is_still_named() {
        // Found by the fuzzer: `{"": 1}` once gave a problem with an empty path.
        let mut v = anytown();
        v[""] = json!(1);
        let problems = decode_value(v).unwrap_err();
        assert_eq!(problems[0].path, "(scenario)");
        assert!(problems[0].message.contains("unknown field"));
        let mut v = anytown();
        v["places"][0][""] = json!(1);
        let problems = decode_value(v).unwrap_err();
        assert_eq!(problems[0].path, "places[0].\"\"");
    }

    #[test]
    fn versions_are_checked_and_old_ones_migrated() {
        let cases: &[(Value, &str, &str)] = &[
            (json!({"name": "x"}), "schema_version", "which version"),
            (
                json!({"schema_version": 3}),
                "schema_version",
                "newer OneBudget",
            ),
            (
                json!({"schema_version": 0}),
                "schema_version",
                "from 1 to 2",
            ),
            (
                json!({"schema_version": "2"}),
                "schema_version",
                "from 1 to 2",
            ),
            (json!([1, 2]), "(scenario)", "JSON object"),
            (
                json!({"schema_version": 1, "name": "x"}),
                "place",
                "one place",
            ),
        ];
        for (value, path, message) in cases {
            let problems = decode_value(value.clone()).unwrap_err();
            assert_eq!(problems[0].path, *path, "{value}");
            assert!(
                problems[0].message.contains(message),
                "{value}: {}",
                problems[0].message
            );
        }
    }

    #[test]
    fn a_file_that_is_not_utf8_is_refused_not_garbled() {
        // "£100 Café" as Latin-1: £ is 0xA3, é is 0xE9.
        let latin1 = b"{\"name\": \"\xA3100 Caf\xE9\"}".to_vec();
        let problem = file_text(latin1).unwrap_err();
        assert_eq!(problem.path, "(file)");
        assert_eq!(problem.value, "byte 10");
        assert_eq!(problem.message, NOT_UTF8);
        assert!(problem.to_string().contains("is not UTF-8 text"));
        let utf8 = "\u{feff}{\"name\": \"£100 Café\"}";
        assert_eq!(file_text(utf8.as_bytes().to_vec()).unwrap(), utf8);
    }

    #[test]
    fn a_version_2_field_in_a_version_1_file_is_refused_not_dropped() {
        let v1 = json!({
            "schema_version": 1,
            "name": "Old file",
            "age_bands": [{"label": "All ages", "cost_weight": 1.0}],
            "place": {"name": "Oldtown", "population": [{"people": 1000}]},
            "rate_per_weighted_head": 100_000,
            "budget": {"rate_per_weighted_head": 150_000, "years": 3},
            "places": [{"name": "Newtown", "population": [{"people": 2000}]}]
        });
        let problems = decode_value(v1).unwrap_err();
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["budget", "places"], "{problems:?}");
        for p in &problems {
            assert!(p.message.contains("version 2"), "{p}");
            assert!(p.message.contains("schema_version"), "{p}");
        }
        assert!(problems[0].message.contains("rate_per_weighted_head"));
        assert!(problems[1].message.contains("`place`"));
    }

    #[test]
    fn a_version_1_single_place_file_becomes_a_one_year_scenario() {
        let v1 = json!({
            "schema_version": 1,
            "name": "Old file",
            "age_bands": [{"label": "All ages", "cost_weight": 1.0}],
            "place": {"name": "Oldtown", "population": [{"people": 1000}]},
            "rate_per_weighted_head": 100_000
        });
        let scenario = decode_value(v1).unwrap();
        assert_eq!(scenario.schema_version, SCHEMA_VERSION);
        assert_eq!(scenario.places[0].name, "Oldtown");
        assert_eq!(scenario.horizon(), 1);
        let results = scenario.compute().unwrap();
        // 1,000 people × weight 1 × £1,000 = £1,000,000.
        assert_eq!(results.totals[0].budget, Pence(100_000_000));
        assert_eq!(results.totals[0].per_person, Some(Pence(100_000)));
        assert_eq!(results.years, vec!["2025/26"]);
    }

    #[test]
    fn syntax_errors_and_oversized_text_are_refused_plainly() {
        let problems = decode("{\"schema_version\": 2,").unwrap_err();
        assert_eq!(problems[0].path, "(scenario)");
        assert!(
            problems[0].value.starts_with("line 1"),
            "{}",
            problems[0].value
        );
        assert!(problems[0].message.starts_with("is not valid JSON"));
        let with_bom = format!("\u{feff}{}", examples::find("anytown").unwrap().json);
        assert!(decode(&with_bom).is_ok());
        let big = " ".repeat(MAX_SCENARIO_BYTES + 1);
        assert!(decode(&big).unwrap_err()[0].message.contains("too large"));
    }

    #[test]
    fn fair_shares_need_every_baseline() {
        let mut v: Value =
            serde_json::from_str(examples::find("healthier-together").unwrap().json).unwrap();
        v["places"][2].as_object_mut().unwrap().remove("baseline");
        let problems = decode_value(v).unwrap_err();
        assert_eq!(paths(&problems), ["places[2].baseline"]);
    }

    /// Every leaf of a JSON value with its path as the problems write it.
    fn leaves(value: &Value, path: String, out: &mut Vec<(String, Value)>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    leaves(v, p, out);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    leaves(v, format!("{path}[{i}]"), out);
                }
            }
            leaf => out.push((path, leaf.clone())),
        }
    }

    fn set_at(value: &mut Value, path: &str, new: Value) {
        let pointer: String = path
            .replace('[', ".")
            .replace(']', "")
            .split('.')
            .map(|k| format!("/{k}"))
            .collect();
        *value.pointer_mut(&pointer).unwrap() = new;
    }

    /// Rust's and serde's words, which a person must never be shown.
    fn plain(problems: &[Problem]) {
        for p in problems {
            for words in [
                "invalid type",
                "invalid value",
                "expected",
                "u64",
                "f64",
                "u16",
                "i64",
            ] {
                assert!(!p.message.contains(words), "{p}");
            }
        }
    }

    #[test]
    fn a_type_error_beside_a_bad_value_gives_both_problems_in_plain_words() {
        let mut v = anytown();
        v["places"][0]["population"][0]["people"] = json!(-500);
        v["budget"]["uplift"] = json!(0.9);
        let problems = decode_value(v).unwrap_err();
        assert_eq!(
            paths(&problems),
            ["places[0].population[0].people", "budget.uplift"]
        );
        assert_eq!(problems[0].value, "-500");
        assert_eq!(
            problems[0].message,
            "must be a whole number of people, 0 or more"
        );
        assert_eq!(problems[0].allowed, crate::inputs::PEOPLE.allowed());
        assert_eq!(problems[1].value, "0.9");
        plain(&problems);
    }

    #[test]
    fn every_field_of_the_wrong_kind_is_reported_at_once() {
        let mut v = anytown();
        v["budget"]["uplift"] = json!("3%");
        v["first_year"] = json!(70000);
        v["places"][0]["need_index"] = json!("high");
        v["places"][0]["population"][1]["growth"] = json!(null);
        v["places"][0]["colour"] = json!("blue");
        v["risk_share"]["loss_corridors"][0]
            .as_object_mut()
            .unwrap()
            .remove("provider_share");
        v["outcome_contract"]["metrics"][0]["direction"] = json!("up");
        v["budget"]["efficiency"] = json!(0.5);
        let problems = decode_value(v).unwrap_err();
        let got = paths(&problems);
        for want in [
            "budget.uplift",
            "first_year",
            "places[0].need_index",
            "places[0].population[1].growth",
            "places[0].colour",
            "risk_share.loss_corridors[0].provider_share",
            "outcome_contract.metrics[0].direction",
            "budget.efficiency",
        ] {
            assert!(got.contains(&want), "{want} missing from {got:?}");
        }
        assert_eq!(got.len(), 8, "{problems:#?}");
        plain(&problems);
        let direction = problems
            .iter()
            .find(|p| p.path.ends_with("direction"))
            .unwrap();
        assert_eq!(
            direction.allowed,
            Allowed::OneOf(vec!["higher_is_better".into(), "lower_is_better".into()])
        );
        let missing = problems
            .iter()
            .find(|p| p.path.ends_with("provider_share"))
            .unwrap();
        assert_eq!(missing.value, "missing");
        assert!(missing.message.starts_with("is missing"));
    }

    #[test]
    fn a_stand_in_value_never_causes_a_problem_of_its_own() {
        // Text for every person of a place: the place would have nobody, but that is the
        // stand-in's doing, not the file's, so only the fields themselves are reported.
        let mut v = anytown();
        let bands = v["places"][0]["population"].as_array().unwrap().len();
        for b in 0..bands {
            v["places"][0]["population"][b]["people"] = json!("many");
        }
        v["budget"]["service_lines"][0]["share"] = json!("most");
        let problems = decode_value(v).unwrap_err();
        assert_eq!(problems.len(), bands + 1, "{problems:#?}");
        assert!(problems
            .iter()
            .all(|p| p.message.starts_with("wrong kind of value")));
    }

    #[test]
    fn each_number_of_each_built_in_written_as_text_is_named_at_its_field() {
        for example in examples::ALL {
            let original: Value = serde_json::from_str(example.json).unwrap();
            let mut all = Vec::new();
            leaves(&original, String::new(), &mut all);
            for (path, leaf) in all.iter().filter(|(_, v)| v.is_number()) {
                let mut v = original.clone();
                set_at(&mut v, path, json!("12a"));
                let problems = decode_value(v).unwrap_err();
                assert!(
                    problems
                        .iter()
                        .any(|p| p.path == *path && p.value == "\"12a\""),
                    "{}: {path} ({leaf}): {problems:?}",
                    example.name
                );
                plain(&problems);
            }
        }
    }

    #[test]
    fn a_whole_section_of_the_wrong_kind_stops_the_reading_with_one_plain_problem() {
        let mut v = anytown();
        v["budget"] = json!(5);
        let problems = decode_value(v).unwrap_err();
        assert_eq!(paths(&problems), ["budget"]);
        plain(&problems);
    }
}
