//! The scenario decoder names a wrong field with `field_path` (the engine's own walk
//! over the JSON, chosen because it is much smaller in the browser build). It must say
//! exactly what `serde_path_to_error` said before: same path, same message, same
//! verdict, for every way a built-in scenario can be broken one field at a time.

use onebudget_engine::examples;
use onebudget_engine::field_path;
use onebudget_engine::scenario::{migrate, Scenario};
use serde_json::{json, Value};

/// Values of every JSON kind, including ones each field type refuses.
fn replacements() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(70000),
        json!(1.5),
        json!(-2.5e300),
        json!(18446744073709551615u64),
        json!(""),
        json!("x"),
        json!("linear"),
        json!("tiered"),
        json!("population_share"),
        json!([]),
        json!([1]),
        json!([{ "x": 1 }]),
        json!({}),
        json!({ "zz": 1 }),
        json!({ "tiered": { "tiers": "no" } }),
        json!({ "tiered": {} }),
        json!({ "linear": null }),
        json!({ "linear": 1 }),
        json!({ "a": 1, "b": 2 }),
        json!({ "": 1 }),
    ]
}

/// Every path into `value` (as a list of steps), depth first.
fn paths(value: &Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(here.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                here.push(Step::Key(k.clone()));
                paths(v, here, out);
                here.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                here.push(Step::Index(i));
                paths(v, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn at<'a>(value: &'a mut Value, path: &[Step]) -> &'a mut Value {
    path.iter().fold(value, |v, step| match step {
        Step::Key(k) => &mut v[k.as_str()],
        Step::Index(i) => &mut v[*i],
    })
}

/// What a reader says about a value: `Ok`, or (path, message).
type Verdict = Result<(), (String, String)>;

/// What each reader says about `value`: before, and now.
fn both(value: &Value) -> (Verdict, Verdict) {
    let before = serde_path_to_error::deserialize::<_, Scenario>(value.clone())
        .map(|_| ())
        .map_err(|e| (e.path().to_string(), e.inner().to_string()));
    let now = field_path::deserialize::<Scenario>(value)
        .map(|_| ())
        .map_err(|e| (e.path, e.error.to_string()));
    (before, now)
}

#[test]
fn field_path_names_every_broken_field_as_serde_path_to_error_did() {
    let mut compared = 0;
    let mut refused = 0;
    for example in examples::ALL {
        let original = migrate(serde_json::from_str(example.json).unwrap()).unwrap();
        let (before, now) = both(&original);
        assert_eq!(before, now, "{} as shipped", example.name);
        assert!(now.is_ok(), "{} reads", example.name);

        let mut all = Vec::new();
        paths(&original, &mut Vec::new(), &mut all);
        for path in &all {
            let mut cases = Vec::new();
            for replacement in replacements() {
                let mut broken = original.clone();
                *at(&mut broken, path) = replacement;
                cases.push(broken);
            }
            // An unknown field beside, and a known one taken away.
            if let Value::Object(map) = at(&mut original.clone(), path) {
                let mut extra = original.clone();
                if let Value::Object(m) = at(&mut extra, path) {
                    m.insert("not_a_field".into(), json!(1));
                }
                cases.push(extra);
                for key in map.keys() {
                    let mut missing = original.clone();
                    if let Value::Object(m) = at(&mut missing, path) {
                        m.remove(key);
                    }
                    cases.push(missing);
                }
            }
            for case in cases {
                let (before, now) = both(&case);
                assert_eq!(before, now, "{}: {}", example.name, case);
                compared += 1;
                refused += usize::from(now.is_err());
            }
        }
    }
    // The comparison is only worth something if most cases were refused somewhere deep.
    assert!(compared > 5_000, "compared {compared}");
    assert!(refused * 2 > compared, "refused {refused} of {compared}");
}

#[test]
fn paths_read_as_people_see_them() {
    let mut value = migrate(serde_json::from_str(examples::ALL[0].json).unwrap()).unwrap();
    value["places"][0]["need_index"] = json!("high");
    let e = field_path::deserialize::<Scenario>(&value).unwrap_err();
    assert_eq!(e.path, "places[0].need_index");
    assert_eq!(
        e.error.to_string(),
        "invalid type: string \"high\", expected f64"
    );

    let e = field_path::deserialize::<Scenario>(&json!([])).unwrap_err();
    assert_eq!(e.path, ".");
}
