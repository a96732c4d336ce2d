//! A whole scenario in a URL fragment, so a link opens exactly that scenario and nothing
//! is sent to a server (a browser never sends the part after `#`).
//!
//! ## Format
//!
//! ```text
//! https://…/#s2.<payload>
//! payload = base64url, without padding (RFC 4648 §5: A–Z a–z 0–9 - _),
//!           of the scenario's compact JSON, written from its serde_json::Value
//!           (so object keys are in alphabetical order)
//! ```
//!
//! [`encode`] returns the fragment without its `#` (`s2.eyJidWRnZXQi…`); the app puts it
//! after `#`. [`decode`] takes the fragment with or without the leading `#` (surrounding
//! whitespace is ignored, so a pasted link still opens); nothing else is accepted: no `s=`
//! key, no padding, no whitespace inside the payload.
//!
//! `s2` is the **link format's** version, independent of the scenario's `schema_version`:
//! it says how the payload is wrapped (today: base64url of JSON). The JSON inside carries
//! its own `schema_version` and goes through [`scenario::decode_value`], so an old link
//! holding a version-1 scenario is migrated, and every problem keeps its field path. A
//! future wrapping (say, compressed) would be `s3.`; this OneBudget answers such a link by
//! saying it was made by a newer OneBudget, never by guessing.
//!
//! ## Limits and messages
//!
//! - A fragment longer than [`MAX_LINK_CHARS`] is refused before anything is decoded.
//! - Anything not starting `s<number>.` is "not a OneBudget link"; `s3.` and above were
//!   "made by a newer OneBudget".
//! - A payload that is not base64url, not UTF-8 or not complete JSON is a damaged or
//!   truncated link ("copy it again"): the JSON was written by OneBudget, so a syntax
//!   error there means the link lost characters on its way, not that someone mistyped.
//! - Every problem is on the path `(link)`, except the scenario's own, which keep theirs.
//!
//! Invariant (tested): `decode(&encode(s)) == Ok(s)` for every valid scenario, and no
//! input at all makes [`decode`] panic.

use crate::scenario::{self, Scenario, ValidScenario};
use crate::validation::Problem;
use serde_json::Value;

/// The link format written and read by this OneBudget.
pub const LINK_FORMAT_VERSION: u64 = 2;

/// What every link's fragment starts with (after the `#`).
pub const LINK_PREFIX: &str = "s2.";

/// The longest fragment accepted, in bytes (a link is ASCII, so also in characters).
/// Browsers and chat apps keep URLs of this length; the built-in scenarios need under
/// 8 000. A scenario too big for this should be shared as a file.
pub const MAX_LINK_CHARS: usize = 64_000;

/// The field path every link-level problem is reported on.
pub const LINK_PATH: &str = "(link)";

const DAMAGED: &str = "the link is incomplete or damaged: copy it again, all of it";

/// The scenario as a URL fragment, without the `#`: `s2.` + base64url(compact JSON).
///
/// The result may be longer than [`MAX_LINK_CHARS`] for a very large scenario; the app
/// should check and offer a file instead, because [`decode`] would refuse it.
pub fn encode(scenario: &Scenario) -> String {
    // Serialising plain data with string keys cannot fail. Through a `Value`, as the app
    // keeps a draft anyway: one serialiser of the scenario in the browser's download,
    // not two (docs/SIZE.md). Key order does not matter to `decode`.
    let json = serde_json::to_value(scenario)
        .and_then(|v| serde_json::to_string(&v))
        .unwrap_or_default();
    let mut out = String::with_capacity(LINK_PREFIX.len() + json.len().div_ceil(3) * 4);
    out.push_str(LINK_PREFIX);
    base64url_encode_into(json.as_bytes(), &mut out);
    out
}

/// Read a scenario from a link's fragment (with or without its leading `#`).
pub fn decode(fragment: &str) -> Result<ValidScenario, Vec<Problem>> {
    let fragment = fragment.trim();
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    if fragment.len() > MAX_LINK_CHARS {
        return Err(link_problem(
            format!("{} characters", fragment.len()),
            format!(
                "is too long: a OneBudget link may be at most {MAX_LINK_CHARS} characters. \
                 Share a scenario this large as a file instead"
            ),
        ));
    }
    if fragment.is_empty() {
        return Err(link_problem(
            "empty",
            "holds no scenario: a OneBudget link ends in #s2. followed by the scenario; \
             copy the whole link again",
        ));
    }
    let payload = payload(fragment)?;
    let bytes = base64url_decode(payload).ok_or_else(|| damaged("not base64url".to_string()))?;
    let text = String::from_utf8(bytes).map_err(|_| damaged("not UTF-8 text".to_string()))?;
    let value: Value = serde_json::from_str(&text).map_err(|e| {
        damaged(format!(
            "the scenario stops or breaks at character {}",
            e.column()
        ))
    })?;
    scenario::decode_value(value)
}

/// The payload after a known version prefix, or the reason the fragment is not one.
fn payload(fragment: &str) -> Result<&str, Vec<Problem>> {
    if let Some(rest) = fragment.strip_prefix(LINK_PREFIX) {
        return Ok(rest);
    }
    // `s<number>.`: a OneBudget link of another format version.
    let version = fragment
        .strip_prefix('s')
        .and_then(|rest| rest.split_once('.'))
        .map(|(digits, _)| digits)
        .filter(|d| !d.is_empty() && d.len() <= 9 && d.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|d| d.parse::<u64>().ok());
    match version {
        Some(v) if v > LINK_FORMAT_VERSION => Err(link_problem(
            format!("s{v}."),
            format!(
                "was made by a newer OneBudget: this one reads links starting \
                 s{LINK_FORMAT_VERSION}. Open it in the latest OneBudget, or ask for the \
                 scenario as a file"
            ),
        )),
        _ => Err(link_problem(
            excerpt(fragment),
            format!("is not a OneBudget link: a OneBudget link ends in #{LINK_PREFIX} followed by the scenario"),
        )),
    }
}

fn link_problem(value: impl std::fmt::Display, message: impl Into<String>) -> Vec<Problem> {
    vec![Problem::new(LINK_PATH, value, message)]
}

fn damaged(detail: String) -> Vec<Problem> {
    link_problem(detail, DAMAGED)
}

/// The start of a fragment, short enough to show in a message.
fn excerpt(fragment: &str) -> String {
    const SHOWN: usize = 20;
    if fragment.chars().count() > SHOWN {
        format!("{}…", fragment.chars().take(SHOWN).collect::<String>())
    } else {
        fragment.to_string()
    }
}

// ---------------------------------------------------------------------------
// base64url without padding (RFC 4648 §5), written out: it is short, and it keeps
// the engine's dependencies to serde alone.
// ---------------------------------------------------------------------------

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Append `bytes` as base64url without padding: 3 bytes → 4 characters, a final
/// 1 byte → 2 characters and 2 bytes → 3.
pub fn base64url_encode_into(bytes: &[u8], out: &mut String) {
    for chunk in bytes.chunks(3) {
        let mut group = [0u8; 3];
        group[..chunk.len()].copy_from_slice(chunk);
        let n = u32::from(group[0]) << 16 | u32::from(group[1]) << 8 | u32::from(group[2]);
        for i in 0..=chunk.len() {
            let sextet = (n >> (18 - 6 * i)) & 63;
            out.push(char::from(ALPHABET[sextet as usize]));
        }
    }
}

/// base64url without padding, back to bytes; `None` for any character outside the
/// alphabet, an impossible length (4k + 1), or stray bits in the last character (so
/// every byte string has exactly one encoding).
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.as_bytes();
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    for chunk in text.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= sextet(c)? << (18 - 6 * i);
        }
        let produced = chunk.len() - 1; // 4 → 3 bytes, 3 → 2, 2 → 1
        let unused_bits = (1u32 << (24 - 8 * produced)) - 1;
        if n & unused_bits != 0 {
            return None;
        }
        for i in 0..produced {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    Some(out)
}

fn sextet(c: u8) -> Option<u32> {
    let v = match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'-' => 62,
        b'_' => 63,
        _ => return None,
    };
    Some(u32::from(v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples;
    use crate::scenario::SCHEMA_VERSION;
    use proptest::prelude::*;
    use serde_json::json;

    fn encode_value(value: &Value) -> String {
        let mut out = LINK_PREFIX.to_string();
        base64url_encode_into(value.to_string().as_bytes(), &mut out);
        out
    }

    fn only_problem(fragment: &str) -> Problem {
        let problems = decode(fragment).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        problems.into_iter().next().unwrap()
    }

    #[test]
    fn every_built_in_round_trips_in_a_short_link() {
        for example in examples::ALL {
            let scenario = example.scenario().unwrap();
            let link = encode(&scenario);
            println!("{}: {} characters", example.name, link.len());
            assert!(link.starts_with("s2."), "{}", example.name);
            assert!(
                link[3..]
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                "{}: URL-safe characters only",
                example.name
            );
            assert!(link.len() < 8_000, "{}: {}", example.name, link.len());
            assert_eq!(decode(&link).as_ref(), Ok(&scenario), "{}", example.name);
            assert_eq!(
                decode(&format!("#{link}")).as_ref(),
                Ok(&scenario),
                "{}",
                example.name
            );
            assert_eq!(
                decode(&format!("  #{link}\n")).as_ref(),
                Ok(&scenario),
                "{}",
                example.name
            );
        }
    }

    #[test]
    fn base64url_matches_rfc_4648_vectors() {
        let cases: &[(&[u8], &str)] = &[
            (b"", ""),
            (b"f", "Zg"),
            (b"fo", "Zm8"),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg"),
            (b"fooba", "Zm9vYmE"),
            (b"foobar", "Zm9vYmFy"),
            // The two URL-safe characters: 62 is '-', 63 is '_'.
            (&[0xfb, 0xff], "-_8"),
        ];
        for (bytes, text) in cases {
            let mut out = String::new();
            base64url_encode_into(bytes, &mut out);
            assert_eq!(out, *text);
            assert_eq!(base64url_decode(text).as_deref(), Some(*bytes));
        }
        // Standard base64's '+' and '/', padding, an impossible length, stray bits in
        // the last character ("Zh" and "Zm9" are "Zg" and "Zm8" with bits that decode to nothing).
        for bad in ["+w", "/w", "Zg==", "Zm9vY", "Zh", "Zm9", "Zm8 "] {
            assert_eq!(base64url_decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn damaged_and_truncated_links_say_so() {
        let link = encode(&examples::default_scenario());
        let mut broken = link.clone();
        broken.replace_range(100..101, "!");
        let p = only_problem(&broken);
        assert_eq!(p.path, LINK_PATH);
        assert!(p.message.contains("incomplete or damaged"), "{}", p.message);
        // Cut anywhere, the link is refused as incomplete, never half-read.
        for cut in LINK_PREFIX.len()..link.len() {
            let p = only_problem(&link[..cut]);
            assert_eq!(p.path, LINK_PATH, "cut at {cut}");
            assert!(p.message.contains("copy it again"), "cut at {cut}: {p}");
        }
        // Valid base64url of something that is not UTF-8 text.
        let mut not_text = LINK_PREFIX.to_string();
        base64url_encode_into(&[0xff, 0xfe, 0x00], &mut not_text);
        assert_eq!(only_problem(&not_text).value, "not UTF-8 text");
    }

    #[test]
    fn oversized_links_are_refused_before_decoding() {
        // Valid-looking payload: the size, not the content, is what is refused.
        let big = format!("#s2.{}", "A".repeat(MAX_LINK_CHARS));
        let p = only_problem(&big);
        assert!(p.message.contains("too long"), "{}", p.message);
        assert!(p.message.contains("64000"), "{}", p.message);
        assert_eq!(p.value, format!("{} characters", MAX_LINK_CHARS + 3));
        // Exactly at the limit is read (and here found damaged, not too long).
        let at_limit = format!("s2.{}", "A".repeat(MAX_LINK_CHARS - 3));
        assert!(!only_problem(&at_limit).message.contains("too long"));
    }

    #[test]
    fn other_versions_and_foreign_fragments_are_named() {
        let cases = [
            ("s3.eyJ9", "newer OneBudget"),
            ("#s9.abc", "newer OneBudget"),
            ("s10.", "newer OneBudget"),
            ("s1.abc", "not a OneBudget link"),
            ("s.abc", "not a OneBudget link"),
            ("S2.abc", "not a OneBudget link"),
            ("s=s2.abc", "not a OneBudget link"),
            ("section-3", "not a OneBudget link"),
            ("s99999999999999999999.x", "not a OneBudget link"),
            ("", "holds no scenario"),
            ("#", "holds no scenario"),
        ];
        for (fragment, message) in cases {
            let p = only_problem(fragment);
            assert_eq!(p.path, LINK_PATH, "{fragment}");
            assert!(p.message.contains(message), "{fragment}: {}", p.message);
        }
        assert_eq!(only_problem("s9.abc").value, "s9.");
        assert_eq!(
            only_problem("https://example.org/a-long-address").value,
            "https://example.org/…"
        );
    }

    #[test]
    fn the_payload_goes_through_the_scenario_decoder() {
        // Validation problems keep their field paths.
        let mut v: Value = serde_json::from_str(examples::find("anytown").unwrap().json).unwrap();
        v["places"][0]["need_index"] = json!(7);
        let problems = decode(&encode_value(&v)).unwrap_err();
        assert_eq!(problems[0].path, "places[0].need_index");
        // A scenario from a newer OneBudget inside a current link.
        v["schema_version"] = json!(3);
        let p = only_problem(&encode_value(&v));
        assert_eq!(p.path, "schema_version");
        assert!(p.message.contains("newer OneBudget"));
        // A version-1 scenario is migrated.
        let v1 = json!({
            "schema_version": 1,
            "name": "Old link",
            "age_bands": [{"label": "All ages", "cost_weight": 1.0}],
            "place": {"name": "Oldtown", "population": [{"people": 1000}]},
            "rate_per_weighted_head": 100_000
        });
        let scenario = decode(&encode_value(&v1)).unwrap();
        assert_eq!(scenario.schema_version, SCHEMA_VERSION);
        assert_eq!(scenario.places[0].name, "Oldtown");
        // Valid JSON that is not a scenario.
        assert_eq!(only_problem(&encode_value(&json!([1]))).path, "(scenario)");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        #[test]
        fn any_text_is_answered_without_panicking(text in any::<String>()) {
            let problems = decode(&text).unwrap_err();
            prop_assert!(!problems.is_empty());
            prop_assert!(problems.iter().all(|p| !p.path.is_empty() && !p.message.is_empty()));
        }

        #[test]
        fn any_payload_is_answered_without_panicking(payload in "[A-Za-z0-9_=+/-]{0,200}") {
            let problems = decode(&format!("#s2.{payload}")).unwrap_err();
            prop_assert!(!problems.is_empty());
        }

        #[test]
        fn base64url_round_trips_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let mut text = String::new();
            base64url_encode_into(&bytes, &mut text);
            prop_assert_eq!(text.len(), (bytes.len() * 4).div_ceil(3));
            prop_assert_eq!(base64url_decode(&text), Some(bytes));
        }
    }
}
