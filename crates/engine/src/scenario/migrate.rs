//! Older versions of the format brought up to the current one, step by step, before a
//! scenario is read (see the versions in `mod.rs`). A newer version is refused, never
//! guessed at.

use super::decode::short;
use super::SCHEMA_VERSION;
use crate::validation::Problem;
use serde_json::Value;

/// Bring a scenario of any earlier version up to [`SCHEMA_VERSION`].
pub fn migrate(mut value: Value) -> Result<Value, Vec<Problem>> {
    let version = match value.get("schema_version") {
        Some(Value::Number(n)) => n.as_u64(),
        Some(other) => {
            return Err(vec![Problem::new(
                "schema_version",
                other,
                format!("must be a whole number from 1 to {SCHEMA_VERSION}"),
            )])
        }
        None if value.is_object() => {
            return Err(vec![Problem::new(
                "schema_version",
                "missing",
                format!("every scenario says which version it is: this OneBudget reads versions 1 to {SCHEMA_VERSION}"),
            )])
        }
        None => {
            return Err(vec![Problem::new(
                "(scenario)",
                short(&value),
                "must be a JSON object with the scenario's fields",
            )])
        }
    };
    let mut version = match version {
        Some(v) if (1..=SCHEMA_VERSION).contains(&v) => v,
        Some(v) if v > SCHEMA_VERSION => {
            return Err(vec![Problem::new(
                "schema_version",
                v,
                format!(
                    "was made by a newer OneBudget: this one reads versions 1 to {SCHEMA_VERSION}"
                ),
            )])
        }
        _ => {
            return Err(vec![Problem::new(
                "schema_version",
                value["schema_version"].clone(),
                format!("must be a whole number from 1 to {SCHEMA_VERSION}"),
            )])
        }
    };
    while version < SCHEMA_VERSION {
        value = match version {
            1 => migrate_1_to_2(value)?,
            _ => unreachable_version(version)?,
        };
        version += 1;
    }
    Ok(value)
}

fn unreachable_version(version: u64) -> Result<Value, Vec<Problem>> {
    Err(vec![Problem::new(
        "schema_version",
        version,
        "has no migration in this OneBudget",
    )])
}

/// Version 1 held one `place` and a single-year `rate_per_weighted_head`; version 2
/// holds `places` and a multi-year `budget`. A version-1 file becomes a one-place,
/// one-year scenario with a single service line, starting in 2025/26. A version 1 file
/// that also holds `places` or `budget` is refused on that field: migrating would replace it.
fn migrate_1_to_2(value: Value) -> Result<Value, Vec<Problem>> {
    let Value::Object(mut map) = value else {
        return Err(vec![Problem::new(
            "(scenario)",
            short(&value),
            "must be a JSON object",
        )]);
    };
    let mut problems = Vec::new();
    let place = map.remove("place");
    let rate = map.remove("rate_per_weighted_head");
    if place.is_none() {
        problems.push(Problem::new(
            "place",
            "missing",
            "a version 1 scenario has one place",
        ));
    }
    if rate.is_none() {
        problems.push(Problem::new(
            "rate_per_weighted_head",
            "missing",
            "a version 1 scenario has a rate per weighted head, in pence",
        ));
    }
    // Version 2's own fields would be replaced below: refused, never dropped without a word.
    for (field, instead) in [
        ("budget", "`rate_per_weighted_head`"),
        ("places", "one `place`"),
    ] {
        if let Some(found) = map.get(field) {
            problems.push(Problem::new(
                field,
                short(found),
                format!(
                    "is a version 2 field: a version 1 scenario has {instead} instead; \
                     set schema_version to 2 to use it"
                ),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    map.insert("schema_version".into(), Value::from(2));
    map.insert(
        "places".into(),
        Value::Array(vec![place.unwrap_or(Value::Null)]),
    );
    map.entry("first_year").or_insert(Value::from(2025));
    map.insert(
        "budget".into(),
        serde_json::json!({
            "rate_per_weighted_head": rate.unwrap_or(Value::Null),
            "years": 1,
            "uplift": 0.0,
            "efficiency": 0.0,
            "service_lines": [{"name": "All services", "share": 1.0}],
        }),
    );
    Ok(Value::Object(map))
}
