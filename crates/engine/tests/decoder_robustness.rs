//! The scenario decoder never panics, and always answers.
//!
//! A scenario comes from an analyst's hand, a file or a link the public opens, so any text
//! at all may reach [`scenario::decode`]. Whatever it is, the answer is either a scenario
//! that computes (or reports a money error) without panicking, or a non-empty list of
//! problems, each with a non-empty field path and message (ARCHITECTURE.md: "No panic on
//! any input").
//!
//! Properties (proptest, 2 000 cases each):
//! - arbitrary strings, arbitrary bytes read as lossy UTF-8, and arbitrary JSON values;
//! - each built-in scenario (and a version-1 file, to reach the migration) with random
//!   structural mutations of its JSON: a key deleted, a value replaced (another type, a huge
//!   or negative number, a NaN-like string, a very long string), array items duplicated or
//!   removed, and the text truncated at a random byte.
//!
//! When a mutated scenario decodes, its results are checked for the engine's conservation
//! invariants (every split sums to its whole, to the penny) and turned into CSV.
//!
//! Deterministic cases: deep nesting (serde_json's recursion limit answers, not a stack
//! overflow), the size limit exactly and one byte over, and 100 (and 101) places.

use onebudget_engine::examples;
use onebudget_engine::scenario::{self, Results, MAX_PLACES, MAX_SCENARIO_BYTES};
use onebudget_engine::validation::Problem;
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{json, Map, Value};

const CASES: u32 = 2_000;

/// A version-1 file (one place, one rate), so mutations also reach the migration.
const VERSION_1: &str = r#"{
    "schema_version": 1,
    "name": "Old Town",
    "age_bands": [
        { "label": "Under 65", "cost_weight": 0.8 },
        { "label": "65+", "cost_weight": 2.5 }
    ],
    "place": {
        "name": "Old Town",
        "population": [
            { "people": 40000, "growth": 0.0 },
            { "people": 9000, "growth": 0.02 }
        ],
        "need_index": 1.1
    },
    "rate_per_weighted_head": 150000
}"#;

/// Every seed the mutation property starts from.
fn seeds() -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<_> = examples::ALL.iter().map(|e| (e.name, e.json)).collect();
    out.push(("version 1", VERSION_1));
    out
}

// ---------------------------------------------------------------------------
// What every answer must satisfy
// ---------------------------------------------------------------------------

fn check_problems(problems: &[Problem], input: &str) {
    assert!(
        !problems.is_empty(),
        "refused with no problems: {}",
        short(input)
    );
    for p in problems {
        assert!(
            !p.path.trim().is_empty(),
            "a problem with no path: {p:?} for {}",
            short(input)
        );
        assert!(
            !p.message.trim().is_empty(),
            "a problem with no message: {p:?} for {}",
            short(input)
        );
    }
}

/// Decode, and if that succeeds compute; check whichever answer comes back.
fn check_decode(text: &str) {
    match scenario::decode(text) {
        Err(problems) => check_problems(&problems, text),
        Ok(s) => {
            assert!(
                s.problems().is_empty(),
                "decoded with problems: {:?}",
                s.problems()
            );
            match s.compute() {
                Ok(results) => {
                    check_results(&results);
                    let csv = scenario::results_csv(&results);
                    assert!(csv.starts_with("table,item,year,measure,value,unit\n"));
                    assert!(serde_json::to_string(&results).is_ok());
                }
                // A validated scenario computes (its type says so: compute checks nothing
                // again); only absurd amounts may overflow, naming the field they are in.
                Err(e) => {
                    assert!(!e.path.trim().is_empty() && !e.error.to_string().is_empty());
                }
            }
        }
    }
}

/// The engine's own audit: every split sums to its whole, to the penny.
fn check_results(r: &Results) {
    let breaks = r.conservation_breaks();
    assert!(breaks.is_empty(), "splits that do not add up: {breaks:?}");
}

fn short(text: &str) -> String {
    let s: String = text.chars().take(200).collect();
    if s.len() < text.len() {
        format!("{s}… ({} bytes)", text.len())
    } else {
        s
    }
}

// ---------------------------------------------------------------------------
// Mutations of a scenario's JSON
// ---------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Item(usize),
}

/// The path of every node in `value`, the root first.
fn paths(value: &Value) -> Vec<Vec<Step>> {
    fn walk(value: &Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
        out.push(here.clone());
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    here.push(Step::Key(k.clone()));
                    walk(v, here, out);
                    here.pop();
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    here.push(Step::Item(i));
                    walk(v, here, out);
                    here.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, &mut Vec::new(), &mut out);
    out
}

fn node<'a>(value: &'a Value, path: &[Step]) -> Option<&'a Value> {
    path.iter().try_fold(value, |v, step| match step {
        Step::Key(k) => v.get(k.as_str()),
        Step::Item(i) => v.get(*i),
    })
}

fn node_mut<'a>(value: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(value, |v, step| match step {
        Step::Key(k) => v.get_mut(k.as_str()),
        Step::Item(i) => v.get_mut(*i),
    })
}

#[derive(Clone, Debug)]
enum Mutation {
    /// Delete a key from an object.
    DeleteKey(Index),
    /// Replace a value (any node but the root) with another.
    Replace(Index, Value),
    /// Repeat one item of an array `times` more times.
    Duplicate(Index, Index, usize),
    /// Remove one item of an array.
    RemoveItem(Index, Index),
    /// Change a number to another number: the kind most likely to still decode.
    Renumber(Index, Tweak),
    /// Change a string to another string.
    Reword(Index, String),
}

#[derive(Clone, Debug)]
enum Tweak {
    Scale(f64),
    Add(f64),
    Set(Value),
}

fn apply(value: &mut Value, mutation: &Mutation) {
    let all = paths(value);
    match mutation {
        Mutation::DeleteKey(pick) => {
            let keyed: Vec<_> = all
                .iter()
                .filter(|p| matches!(p.last(), Some(Step::Key(_))))
                .collect();
            if keyed.is_empty() {
                return;
            }
            let path = keyed[pick.index(keyed.len())];
            if let (Some(Step::Key(k)), Some(parent)) =
                (path.last(), node_mut(value, &path[..path.len() - 1]))
            {
                if let Some(map) = parent.as_object_mut() {
                    map.remove(k);
                }
            }
        }
        Mutation::Replace(pick, replacement) => {
            if all.len() < 2 {
                return;
            }
            let path = &all[1 + pick.index(all.len() - 1)];
            if let Some(node) = node_mut(value, path) {
                *node = replacement.clone();
            }
        }
        Mutation::Duplicate(pick, item, times) => {
            let arrays: Vec<_> = all
                .iter()
                .filter(|p| matches!(node(value, p), Some(Value::Array(a)) if !a.is_empty()))
                .cloned()
                .collect();
            if arrays.is_empty() {
                return;
            }
            if let Some(Value::Array(items)) = node_mut(value, &arrays[pick.index(arrays.len())]) {
                let copy = items[item.index(items.len())].clone();
                for _ in 0..*times {
                    items.push(copy.clone());
                }
            }
        }
        Mutation::RemoveItem(pick, item) => {
            let arrays: Vec<_> = all
                .iter()
                .filter(|p| matches!(node(value, p), Some(Value::Array(a)) if !a.is_empty()))
                .cloned()
                .collect();
            if arrays.is_empty() {
                return;
            }
            if let Some(Value::Array(items)) = node_mut(value, &arrays[pick.index(arrays.len())]) {
                let at = item.index(items.len());
                items.remove(at);
            }
        }
        Mutation::Renumber(pick, tweak) => {
            let numbers: Vec<_> = all
                .iter()
                .filter(|p| matches!(node(value, p), Some(Value::Number(_))))
                .cloned()
                .collect();
            if numbers.is_empty() {
                return;
            }
            if let Some(node) = node_mut(value, &numbers[pick.index(numbers.len())]) {
                let x = node.as_f64().unwrap_or(0.0);
                let new = match tweak {
                    Tweak::Scale(k) => number(x * k, node.is_i64() || node.is_u64()),
                    Tweak::Add(d) => number(x + d, node.is_i64() || node.is_u64()),
                    Tweak::Set(v) => v.clone(),
                };
                *node = new;
            }
        }
        Mutation::Reword(pick, text) => {
            let strings: Vec<_> = all
                .iter()
                .filter(|p| matches!(node(value, p), Some(Value::String(_))))
                .cloned()
                .collect();
            if strings.is_empty() {
                return;
            }
            if let Some(node) = node_mut(value, &strings[pick.index(strings.len())]) {
                *node = Value::String(text.clone());
            }
        }
    }
}

/// A number as JSON: whole when the original was whole and the result fits, else a float.
fn number(x: f64, whole: bool) -> Value {
    if whole && x.fract() == 0.0 && x.abs() < 9.0e18 {
        Value::from(x as i64)
    } else {
        serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
    }
}

/// Values chosen to break things: other types, extremes, NaN-like and very long strings.
fn hostile_value() -> impl Strategy<Value = Value> {
    let number = prop_oneof![
        Just(json!(u64::MAX)),
        Just(json!(i64::MAX)),
        Just(json!(i64::MIN)),
        Just(json!(1e308)),
        Just(json!(-1e308)),
        Just(json!(f64::MIN_POSITIVE)),
        Just(json!(-1)),
        Just(json!(-0.5)),
        Just(json!(0)),
        Just(json!(0.0)),
        Just(json!(1)),
        Just(json!(1.5)),
        Just(json!(2100)),
        Just(json!(9_223_372_036_854_775_807_u64)),
        Just(json!(4_611_686_018_427_387_904_u64)),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        (-1e6f64..1e6).prop_map(Value::from),
    ];
    let text = prop_oneof![
        Just(json!("NaN")),
        Just(json!("Infinity")),
        Just(json!("-inf")),
        Just(json!("1e999")),
        Just(json!("")),
        Just(json!("   ")),
        Just(json!("=1+1")),
        Just(json!("higher_is_better")),
        Just(json!("linear")),
        (1usize..200_000).prop_map(|n| Value::String("x".repeat(n))),
        "\\PC{0,40}".prop_map(Value::String),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number,
        text,
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(("[a-z_]{1,12}", inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        1 => any::<Index>().prop_map(Mutation::DeleteKey),
        3 => (any::<Index>(), hostile_value()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        1 => (any::<Index>(), any::<Index>(), prop_oneof![1usize..4, 95usize..110])
            .prop_map(|(a, i, n)| Mutation::Duplicate(a, i, n)),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, i)| Mutation::RemoveItem(a, i)),
        4 => (any::<Index>(), tweak()).prop_map(|(i, t)| Mutation::Renumber(i, t)),
        1 => (any::<Index>(), prop_oneof![
            Just(String::new()),
            Just("=HYPERLINK(\"x\")".to_string()),
            (1usize..50_000).prop_map(|n| "é,\"\n".repeat(n)),
            "\\PC{0,30}",
        ])
            .prop_map(|(i, t)| Mutation::Reword(i, t)),
    ]
}

fn tweak() -> impl Strategy<Value = Tweak> {
    prop_oneof![
        prop_oneof![
            Just(-1.0),
            Just(0.0),
            Just(0.5),
            Just(0.999_999_9),
            Just(1.000_000_1),
            Just(2.0),
            Just(10.0),
            Just(1e6),
            Just(1e12),
            Just(1e-6),
        ]
        .prop_map(Tweak::Scale),
        prop_oneof![Just(1.0), Just(-1.0), Just(0.001), Just(-0.001), Just(0.5)]
            .prop_map(Tweak::Add),
        prop_oneof![
            Just(json!(0)),
            Just(json!(1)),
            Just(json!(i64::MAX)),
            Just(json!(u64::MAX)),
            Just(json!(i64::MIN)),
            Just(json!(1e308)),
            Just(json!(1e-300)),
        ]
        .prop_map(Tweak::Set),
    ]
}

/// Arbitrary JSON, to reach the stages after syntax with shapes nobody wrote.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "\\PC{0,20}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        Just("schema_version".to_string()),
                        Just("name".to_string()),
                        Just("places".to_string()),
                        Just("place".to_string()),
                        Just("budget".to_string()),
                        Just("age_bands".to_string()),
                        Just("rate_per_weighted_head".to_string()),
                        "[a-z_]{1,10}"
                    ],
                    inner
                ),
                0..6
            )
            .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn arbitrary_strings_never_panic(text in any::<String>()) {
        check_decode(&text);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..4_000)) {
        check_decode(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn arbitrary_json_never_panics(
        mut value in any_json(),
        version in prop_oneof![Just(None), (0u64..4).prop_map(Some)],
    ) {
        if let (Some(v), Some(map)) = (version, value.as_object_mut()) {
            map.insert("schema_version".into(), Value::from(v));
        }
        check_decode(&value.to_string());
    }

    #[test]
    fn mutated_built_in_scenarios_never_panic(
        seed in any::<Index>(),
        mutations in prop::collection::vec(mutation(), 1..4),
        pretty in any::<bool>(),
        truncate in prop_oneof![3 => Just(None), 1 => any::<Index>().prop_map(Some)],
    ) {
        let seeds = seeds();
        let (name, json) = seeds[seed.index(seeds.len())];
        let mut value: Value = serde_json::from_str(json).expect(name);
        for m in &mutations {
            apply(&mut value, m);
        }
        let text = if pretty {
            serde_json::to_string_pretty(&value)
        } else {
            serde_json::to_string(&value)
        }
        .expect("a Value serialises");
        match truncate {
            Some(at) => {
                let bytes = text.as_bytes();
                check_decode(&String::from_utf8_lossy(&bytes[..at.index(bytes.len() + 1)]));
            }
            None => check_decode(&text),
        }
    }
}

// ---------------------------------------------------------------------------
// Deterministic cases
// ---------------------------------------------------------------------------

fn anytown() -> Value {
    serde_json::from_str(examples::find("anytown").expect("anytown").json).expect("anytown")
}

#[test]
fn deep_nesting_is_refused_not_a_stack_overflow() {
    let depth = 200_000;
    let cases = [
        "[".repeat(depth),
        format!("{}{}", "[".repeat(depth), "]".repeat(depth)),
        "{\"a\":".repeat(depth),
        format!(
            "{{\"schema_version\": 2, \"name\": {}{}}}",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
        format!(
            "{{\"schema_version\": 2, \"description\": {}1{}}}",
            "{\"x\":[".repeat(depth / 2),
            "]}".repeat(depth / 2)
        ),
    ];
    for text in &cases {
        let problems = scenario::decode(text).expect_err("deep nesting is refused");
        check_problems(&problems, text);
        assert!(
            problems[0].message.contains("not valid JSON"),
            "{:?}",
            problems[0]
        );
    }
}

#[test]
fn the_size_limit_is_exact_and_says_so() {
    let text = serde_json::to_string(&anytown()).expect("serialises");
    assert!(text.len() < MAX_SCENARIO_BYTES);
    // JSON allows trailing white space: pad to exactly the limit, then one byte over.
    let at_limit = format!("{text}{}", " ".repeat(MAX_SCENARIO_BYTES - text.len()));
    assert_eq!(at_limit.len(), MAX_SCENARIO_BYTES);
    assert!(
        scenario::decode(&at_limit).is_ok(),
        "exactly the limit is read"
    );

    let over = format!("{at_limit} ");
    let problems = scenario::decode(&over).expect_err("one byte over is refused");
    check_problems(&problems, &over);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].path, "(scenario)");
    assert!(
        problems[0].message.contains("too large")
            && problems[0]
                .message
                .contains(&MAX_SCENARIO_BYTES.to_string()),
        "{:?}",
        problems[0]
    );
    assert_eq!(
        problems[0].value,
        format!("{} bytes", MAX_SCENARIO_BYTES + 1)
    );
}

/// The built-in scenario with its places repeated to `count`, each named apart.
fn with_places(example: &str, count: usize) -> String {
    let mut value: Value =
        serde_json::from_str(examples::find(example).expect(example).json).expect(example);
    let places = value["places"].as_array().cloned().unwrap_or_default();
    let many: Vec<Value> = (0..count)
        .map(|i| {
            let mut place = places[i % places.len()].clone();
            place["name"] = Value::from(format!("Place {}", i + 1));
            place
        })
        .collect();
    value["places"] = Value::Array(many);
    value.to_string()
}

#[test]
fn a_scenario_with_the_most_places_computes() {
    for example in ["anytown", "healthier-together"] {
        let text = with_places(example, MAX_PLACES);
        let s = scenario::decode(&text).unwrap_or_else(|p| panic!("{example}: {p:?}"));
        let results = s.compute().unwrap_or_else(|e| panic!("{example}: {e}"));
        assert_eq!(results.places.len(), MAX_PLACES, "{example}");
        check_results(&results);
        if let Some(fs) = &results.fair_shares {
            assert!(fs.years.iter().all(|y| y.places.len() == MAX_PLACES));
        }
        assert!(!scenario::results_csv(&results).is_empty());
    }

    let text = with_places("anytown", MAX_PLACES + 1);
    let problems = scenario::decode(&text).expect_err("one place too many");
    check_problems(&problems, &text);
    assert!(
        problems
            .iter()
            .any(|p| p.path == "places" && p.message.contains(&MAX_PLACES.to_string())),
        "{problems:?}"
    );
}

#[test]
fn every_seed_decodes_and_conserves() {
    for (name, json) in seeds() {
        let s = scenario::decode(json).unwrap_or_else(|p| panic!("{name}: {p:?}"));
        let results = s.compute().unwrap_or_else(|e| panic!("{name}: {e}"));
        check_results(&results);
    }
}

/// Fair shares need each place's people (weighted and raw) from 1 to 10 billion in every
/// year. This was once only caught by `compute`, with paths that are not fields of the
/// scenario file; the scenario's own validation now reports it on the place's population.
#[test]
fn fair_shares_population_bounds_are_reported_on_the_place() {
    let base: Value = serde_json::from_str(
        examples::find("healthier-together")
            .expect("healthier-together")
            .json,
    )
    .expect("healthier-together");
    // 30 billion people in one band; and a place whose weighted population is below 1.
    let mut crowded = base.clone();
    crowded["places"][0]["population"][0]["people"] = json!(30_000_000_000_u64);
    let mut tiny = base;
    let bands = tiny["places"][0]["population"]
        .as_array()
        .map_or(0, Vec::len);
    for b in 0..bands {
        tiny["places"][0]["population"][b]["people"] = json!(u64::from(b == 1));
    }
    for (case, value) in [("30 billion people", crowded), ("one child", tiny)] {
        let problems = scenario::decode(&value.to_string()).expect_err(case);
        assert!(
            problems.iter().any(|p| p.path == "places[0].population"),
            "{case}: {problems:?}"
        );
    }
}
