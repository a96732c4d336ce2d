//! Embed mode: how a council's page configures the app in an iframe, read from the
//! query string (`?embed=1&lock=1&primary=%23005eb8&font=inherit&id=budget`) and
//! checked against safe patterns. The scenario itself still comes in the `#s2.` link
//! fragment (`engine::link`).
//!
//! Shell configuration, not calculation, so it lives here rather than in the engine;
//! plain Rust with no web dependency, so it is tested natively. Anything that does not
//! pass its check is dropped with a note the embed shows, never an error.

use crate::draft::path_of;
use onebudget_engine::inputs::{self, Input, Unit};
use serde_json::Value;

/// The most inputs an embed may expose: a few, so the embed stays a summary.
pub const MAX_INPUTS: usize = 6;
/// The longest font family name accepted.
pub const MAX_FONT_CHARS: usize = 40;
/// The longest frame id accepted.
pub const MAX_ID_CHARS: usize = 40;
/// The page background the themed colours are read against (`--ob-background`): the
/// lightest colour themed text sits on is the white of cards, so this, the darker of
/// the two, is the one that limits contrast.
pub const BACKGROUND: Colour = Colour {
    r: 0xf0,
    g: 0xf4,
    b: 0xf5,
};
/// WCAG 2.2 AA for normal text.
pub const MIN_CONTRAST: f64 = 4.5;
/// The message type the embed posts to its host page with its height.
pub const RESIZE_MESSAGE: &str = "onebudget:resize";
/// The version of the resize message's shape.
pub const RESIZE_VERSION: u32 = 1;

/// An sRGB colour given as `#rgb` or `#rrggbb`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Colour {
    pub r: u8,
    pub g: u8,
    pub b: u8,
}

impl Colour {
    /// `#rgb` or `#rrggbb` (either case); nothing else (no names, no `rgb()`).
    pub fn parse(text: &str) -> Option<Colour> {
        let hex = text.strip_prefix('#')?;
        if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let digit = |i: usize| u8::from_str_radix(hex.get(i..i + 1)?, 16).ok();
        match hex.len() {
            3 => Some(Colour {
                r: digit(0)? * 17,
                g: digit(1)? * 17,
                b: digit(2)? * 17,
            }),
            6 => Some(Colour {
                r: u8::from_str_radix(hex.get(0..2)?, 16).ok()?,
                g: u8::from_str_radix(hex.get(2..4)?, 16).ok()?,
                b: u8::from_str_radix(hex.get(4..6)?, 16).ok()?,
            }),
            _ => None,
        }
    }

    /// `#rrggbb`, lower case.
    pub fn hex(&self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }

    /// WCAG 2.x relative luminance.
    pub fn luminance(&self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.r) + 0.7152 * channel(self.g) + 0.0722 * channel(self.b)
    }
}

/// WCAG contrast ratio between two colours, from 1 to 21.
pub fn contrast_ratio(a: Colour, b: Colour) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    let (light, dark) = if la > lb { (la, lb) } else { (lb, la) };
    (light + 0.05) / (dark + 0.05)
}

/// Which font the embed uses.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Font {
    /// The app's own system font stack (an iframe cannot inherit the host's font; the
    /// system font is what most council sites' fonts fall back to).
    #[default]
    Inherit,
    /// A family by name, used if the visitor's device has it (web fonts from other
    /// sites are not loaded: see the Content-Security-Policy), else the system font.
    Named(String),
}

impl Font {
    /// `inherit`, or a family name of letters, digits, spaces and hyphens.
    pub fn parse(text: &str) -> Option<Font> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("inherit") {
            return Some(Font::Inherit);
        }
        let ok = !t.is_empty()
            && t.chars().count() <= MAX_FONT_CHARS
            && t.chars().any(|c| c.is_ascii_alphabetic())
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-');
        ok.then(|| Font::Named(t.split_whitespace().collect::<Vec<_>>().join(" ")))
    }

    /// The value of `--ob-font`, or `None` to keep the stylesheet's.
    pub fn css_value(&self) -> Option<String> {
        match self {
            Font::Inherit => None,
            // Safe inside quotes: the name holds no quote or backslash.
            Font::Named(name) => Some(format!(
                "\"{name}\", system-ui, -apple-system, \"Segoe UI\", Roboto, Arial, sans-serif"
            )),
        }
    }

    fn query_value(&self) -> String {
        match self {
            Font::Inherit => "inherit".into(),
            Font::Named(name) => name.clone(),
        }
    }
}

/// How the embed was asked to look and behave, after checking.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct EmbedOptions {
    /// No inputs at all: the scenario is shown exactly as linked.
    pub locked: bool,
    /// The inputs the visitor may change, as JSON pointers (`/budget/uplift`).
    pub inputs: Vec<String>,
    pub primary: Option<Colour>,
    pub text: Option<Colour>,
    pub font: Font,
    /// Names this frame in its resize messages, so a page with several embeds can tell
    /// them apart.
    pub frame_id: Option<String>,
    /// What was asked for but not used, and why, in plain words for the embed to show.
    pub notes: Vec<String>,
}

impl EmbedOptions {
    /// Whether visitors may change any figure (not locked, and some inputs chosen).
    pub fn exposes_inputs(&self) -> bool {
        !self.locked && !self.inputs.is_empty()
    }
}

/// Read the query string (with or without its `?`). `None` unless it asks for embed
/// mode (`embed=1`); then every other setting is checked, and what fails is noted.
pub fn parse_query(query: &str) -> Option<EmbedOptions> {
    let query = query.strip_prefix('?').unwrap_or(query);
    let pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (percent_decode(k), percent_decode(v)),
            None => (percent_decode(p), String::new()),
        })
        .collect();
    let get = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    if !matches!(get("embed"), Some("1" | "true")) {
        return None;
    }
    let mut options = EmbedOptions {
        locked: matches!(get("lock"), Some("1" | "true")),
        ..EmbedOptions::default()
    };
    if let Some(list) = get("inputs").filter(|l| !l.trim().is_empty()) {
        if options.locked {
            options
                .notes
                .push("This embed is locked, so the inputs asked for are not shown.".into());
        } else {
            for item in list.split(',').map(str::trim).filter(|i| !i.is_empty()) {
                match input_pointer(item) {
                    Some(pointer) if options.inputs.contains(&pointer) => {}
                    Some(_) if options.inputs.len() >= MAX_INPUTS => {
                        options.notes.push(format!(
                            "Only {MAX_INPUTS} inputs can be shown; “{}” was left out.",
                            shown(item)
                        ));
                    }
                    Some(pointer) => options.inputs.push(pointer),
                    None => options.notes.push(format!(
                        "The input “{}” is not one an embed can show, so it was left out.",
                        shown(item)
                    )),
                }
            }
        }
    }
    for (key, label) in [("primary", "primary"), ("text", "text")] {
        let Some(value) = get(key).filter(|v| !v.is_empty()) else {
            continue;
        };
        let colour = match Colour::parse(value.trim()) {
            Some(c) => c,
            None => {
                options.notes.push(format!(
                    "The {label} colour “{}” is not a colour like #005eb8, so the usual one is used.",
                    shown(value)
                ));
                continue;
            }
        };
        let ratio = contrast_ratio(colour, BACKGROUND);
        if ratio < MIN_CONTRAST {
            options.notes.push(format!(
                "The {label} colour {} is too light to read on this background (contrast {:.1}:1; at least {MIN_CONTRAST}:1 is needed), so the usual one is used.",
                colour.hex(),
                // Rounded down, so a failing ratio never reads as 4.5.
                (ratio * 10.0).floor() / 10.0
            ));
            continue;
        }
        if key == "primary" {
            options.primary = Some(colour);
        } else {
            options.text = Some(colour);
        }
    }
    if let Some(value) = get("font").filter(|v| !v.trim().is_empty()) {
        match Font::parse(value) {
            Some(font) => options.font = font,
            None => options.notes.push(format!(
                "The font “{}” is not a family name of letters, digits, spaces and hyphens (at most {MAX_FONT_CHARS}), so the usual font is used.",
                shown(value)
            )),
        }
    }
    if let Some(id) = get("id").filter(|v| !v.is_empty()) {
        let ok = id.chars().count() <= MAX_ID_CHARS
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if ok {
            options.frame_id = Some(id.to_string());
        } else {
            options.notes.push(format!(
                "The frame id “{}” is not letters, digits, hyphens and underscores (at most {MAX_ID_CHARS}), so it is not used.",
                shown(id)
            ));
        }
    }
    Some(options)
}

/// The CSS custom properties the theme sets on the page's root element.
pub fn theme_properties(options: &EmbedOptions) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(c) = options.primary {
        out.push(("--ob-primary", c.hex()));
        out.push(("--ob-chart-1", c.hex()));
    }
    if let Some(c) = options.text {
        out.push(("--ob-text", c.hex()));
    }
    if let Some(font) = options.font.css_value() {
        out.push(("--ob-font", font));
    }
    out
}

/// The query string (without `?`) that asks for these options: what the "Embed this"
/// panel puts in the iframe's address. Notes are not part of it.
pub fn to_query(options: &EmbedOptions) -> String {
    let mut out = String::from("embed=1");
    if options.locked {
        out.push_str("&lock=1");
    } else if !options.inputs.is_empty() {
        let list: Vec<&str> = options
            .inputs
            .iter()
            .map(|p| p.strip_prefix('/').unwrap_or(p))
            .collect();
        out.push_str("&inputs=");
        out.push_str(&percent_encode(&list.join(",")));
    }
    if let Some(c) = options.primary {
        out.push_str("&primary=");
        out.push_str(&percent_encode(&c.hex()));
    }
    if let Some(c) = options.text {
        out.push_str("&text=");
        out.push_str(&percent_encode(&c.hex()));
    }
    if options.font != Font::Inherit {
        out.push_str("&font=");
        out.push_str(&percent_encode(&options.font.query_value()));
    }
    if let Some(id) = &options.frame_id {
        out.push_str("&id=");
        out.push_str(&percent_encode(id));
    }
    out
}

/// What the "Embed this" panel hands a council: the iframe and the host script.
#[derive(Clone, Debug, PartialEq)]
pub struct Snippet {
    pub iframe: String,
    pub script: String,
}

/// The snippet for an app at `app_url` (its address without query or fragment, e.g.
/// `https://example.org/onebudget/`), showing the scenario `fragment` (`s2.…`).
/// `integrity` is the host script's SRI hash (`sha384-…`), if known.
pub fn snippet(
    app_url: &str,
    options: &EmbedOptions,
    fragment: &str,
    title: &str,
    height_px: u32,
    integrity: Option<&str>,
) -> Snippet {
    let base = app_base(app_url);
    let src = format!("{base}?{}#{fragment}", to_query(options));
    snippet_for(&base, &src, options, title, height_px, integrity)
}

/// The snippet for an embed on one real area (`?embed=1&area=CODE&year=2025-26`, docs/EMBED.md):
/// its figures, locked (an area's figures have no inputs), themed as `options` say.
pub fn area_snippet(
    app_url: &str,
    options: &EmbedOptions,
    code: &str,
    year: onebudget_engine::areas::DataYear,
    title: &str,
    height_px: u32,
    integrity: Option<&str>,
) -> Snippet {
    let base = app_base(app_url);
    let locked = EmbedOptions {
        locked: true,
        inputs: Vec::new(),
        ..options.clone()
    };
    let area = crate::area_page::address(&percent_encode(code), year);
    let src = format!("{base}?{}&{}", to_query(&locked), &area[1..]);
    snippet_for(&base, &src, options, title, height_px, integrity)
}

fn snippet_for(
    base: &str,
    src: &str,
    options: &EmbedOptions,
    title: &str,
    height_px: u32,
    integrity: Option<&str>,
) -> Snippet {
    let id = options.frame_id.as_deref().unwrap_or("");
    let iframe = format!(
        "<iframe data-onebudget=\"{}\" src=\"{}\" title=\"{}\" loading=\"lazy\" allow=\"fullscreen\" width=\"100%\" height=\"{}\"></iframe>",
        attribute(id),
        attribute(src),
        attribute(title),
        height_px.clamp(200, 5000)
    );
    let script_src = format!("{base}embed.js");
    let script = match integrity {
        Some(hash) => format!(
            "<script src=\"{}\" integrity=\"{}\" crossorigin=\"anonymous\" defer></script>",
            attribute(&script_src),
            attribute(hash)
        ),
        None => format!("<script src=\"{}\" defer></script>", attribute(&script_src)),
    };
    Snippet { iframe, script }
}

/// The app's directory address: the page address without query, fragment or file name.
pub fn app_base(url: &str) -> String {
    let end = url.find(['?', '#']).unwrap_or(url.len());
    let url = &url[..end];
    let path_start = url.find("://").map(|i| i + 3).unwrap_or(0);
    match url[path_start..].rfind('/') {
        Some(i) => url[..=path_start + i].to_string(),
        None => format!("{url}/"),
    }
}

/// Text as a double-quoted HTML attribute's value.
fn attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// What a person asked for, shortened for a note.
fn shown(text: &str) -> String {
    let short: String = text.chars().take(40).collect();
    if short.len() < text.len() {
        format!("{short}…")
    } else {
        short
    }
}

/// An input as given in the query (`places/0/population/0/people`, with or without a
/// leading `/`, or the editor's field id `field-places-0-population-0-people`) as a
/// JSON pointer, if it is one an embed can show.
pub fn input_pointer(item: &str) -> Option<String> {
    let segments: Vec<&str> = match item.strip_prefix("field-") {
        Some(id) => id.split('-').collect(),
        None => item.strip_prefix('/').unwrap_or(item).split('/').collect(),
    };
    let pointer = format!("/{}", segments.join("/"));
    catalogue_entry(&segments).map(|_| pointer)
}

/// An input an embed shows: where it lives, its unit (from the engine's registry of
/// inputs) and its label in the scenario's own words (from the registry too).
#[derive(Clone, Debug, PartialEq)]
pub struct ExposedInput {
    pub pointer: String,
    pub kind: Unit,
    pub label: String,
}

/// The inputs a council may expose: the numbers a visitor might want to try ("what if
/// the population grew faster?"). Names and structure stay as the council set them.
/// What each is called and what unit it is in is the registry's (`inputs`).
const CATALOGUE: &[&Input] = &[
    &inputs::FIRST_YEAR,
    &inputs::PEOPLE,
    &inputs::GROWTH,
    &inputs::NEED_INDEX,
    &inputs::MARKET_FORCES_FACTOR,
    &inputs::BASELINE,
    &inputs::RATE,
    &inputs::YEARS,
    &inputs::UPLIFT,
    &inputs::EFFICIENCY,
    &inputs::ENVELOPE,
    &inputs::ENVELOPE_GROWTH,
    &inputs::CONTRACT_VALUE,
    &inputs::SHARE_AT_RISK,
    &inputs::RISK_BUDGET,
    &inputs::OUTTURN,
    &inputs::QUALITY_SCORE,
];

/// An input's path as pointer segments, `#` for a list position:
/// `places[*].need_index` → `places`, `#`, `need_index`.
fn pattern(input: &Input) -> impl Iterator<Item = &'static str> {
    input
        .path
        .split('.')
        .flat_map(|part| match part.strip_suffix("[*]") {
            Some(list) => [Some(list), Some("#")],
            None => [Some(part), None],
        })
        .flatten()
}

fn catalogue_entry(segments: &[&str]) -> Option<&'static Input> {
    CATALOGUE.iter().copied().find(|input| {
        pattern(input).count() == segments.len()
            && pattern(input).zip(segments).all(|(p, s)| {
                if p == "#" {
                    !s.is_empty()
                        && s.len() <= 4
                        && s.chars().all(|c| c.is_ascii_digit())
                        && (s.len() == 1 || !s.starts_with('0'))
                } else {
                    p == *s
                }
            })
    })
}

/// The exposed input at `pointer` in this scenario, with its label in the scenario's
/// own names; `Err` with a note if the scenario has no such value.
pub fn exposed_input(pointer: &str, scenario: &Value) -> Result<ExposedInput, String> {
    let segments: Vec<&str> = pointer
        .strip_prefix('/')
        .unwrap_or(pointer)
        .split('/')
        .collect();
    let Some(input) = catalogue_entry(&segments) else {
        return Err(format!(
            "The input “{}” is not one an embed can show, so it was left out.",
            shown(pointer)
        ));
    };
    if scenario.pointer(pointer).is_none() {
        return Err(format!(
            "This scenario has no input “{}”, so it was left out.",
            shown(pointer.trim_start_matches('/'))
        ));
    }
    Ok(ExposedInput {
        pointer: pointer.to_string(),
        kind: input.unit,
        label: inputs::label_in(&path_of(pointer), scenario),
    })
}

/// Every input this scenario has that an embed may expose, in catalogue order (the
/// choices the "Embed this" panel offers).
pub fn available_inputs(scenario: &Value) -> Vec<ExposedInput> {
    let mut out = Vec::new();
    for input in CATALOGUE {
        let mut pointers = vec![String::new()];
        for segment in pattern(input) {
            let mut next = Vec::new();
            for prefix in &pointers {
                if segment == "#" {
                    let len = scenario
                        .pointer(prefix)
                        .and_then(Value::as_array)
                        .map_or(0, Vec::len);
                    next.extend((0..len.min(100)).map(|i| format!("{prefix}/{i}")));
                } else {
                    next.push(format!("{prefix}/{segment}"));
                }
            }
            pointers = next;
        }
        out.extend(
            pointers
                .iter()
                .filter_map(|p| exposed_input(p, scenario).ok()),
        );
    }
    out
}

/// `%xx` and `+` decoded; invalid escapes are kept as typed.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let byte = text
                    .get(i + 1..i + 3)
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match byte {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Encode everything but unreserved characters and `/` and `,` (which read well in an
/// address and mean nothing special in a query value).
pub fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/' | b',') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn not_an_embed_without_embed_1() {
        assert_eq!(parse_query(""), None);
        assert_eq!(parse_query("?lock=1&primary=%23000000"), None);
        assert_eq!(parse_query("?embed=0"), None);
        assert!(parse_query("?embed=1").is_some());
        assert!(parse_query("embed=true").is_some());
    }

    #[test]
    fn reads_every_setting() {
        let o = parse_query(
            "?embed=1&inputs=places/0/population/0/people,field-budget-uplift,%2Fbudget%2Fefficiency&primary=%23005EB8&text=%23222&font=Open+Sans&id=budget-1",
        )
        .unwrap();
        assert!(!o.locked);
        assert_eq!(
            o.inputs,
            vec![
                "/places/0/population/0/people",
                "/budget/uplift",
                "/budget/efficiency"
            ]
        );
        assert_eq!(o.primary.map(|c| c.hex()), Some("#005eb8".into()));
        assert_eq!(o.text.map(|c| c.hex()), Some("#222222".into()));
        assert_eq!(o.font, Font::Named("Open Sans".into()));
        assert_eq!(o.frame_id.as_deref(), Some("budget-1"));
        assert!(o.notes.is_empty(), "{:?}", o.notes);
        assert!(o.exposes_inputs());
        assert!(!parse_query("embed=1").unwrap().exposes_inputs());
    }

    #[test]
    fn lock_wins_over_inputs_and_says_so() {
        let o = parse_query("?embed=1&lock=1&inputs=budget/uplift").unwrap();
        assert!(o.locked);
        assert!(o.inputs.is_empty());
        assert!(!o.exposes_inputs());
        assert_eq!(o.notes.len(), 1);
        assert!(o.notes[0].contains("locked"));
    }

    #[test]
    fn colours_must_be_hex() {
        for bad in [
            "red",
            "#12",
            "#1234",
            "#12345g",
            "rgb(0,0,0)",
            "#0000000",
            "005eb8",
            "#00f;x:y",
        ] {
            assert_eq!(Colour::parse(bad), None, "{bad}");
        }
        assert_eq!(
            Colour::parse("#0aF"),
            Some(Colour {
                r: 0,
                g: 0xaa,
                b: 0xff
            })
        );
        let o = parse_query("?embed=1&primary=red&text=url(x)").unwrap();
        assert_eq!(o.primary, None);
        assert_eq!(o.text, None);
        assert_eq!(o.notes.len(), 2);
        assert!(o.notes[0].contains("“red”"), "{:?}", o.notes);
    }

    #[test]
    fn contrast_ratio_matches_wcag() {
        let black = Colour::parse("#000").unwrap();
        let white = Colour::parse("#fff").unwrap();
        assert!((contrast_ratio(black, white) - 21.0).abs() < 1e-9);
        assert!((contrast_ratio(white, white) - 1.0).abs() < 1e-9);
        // #767676 on white is the well-known 4.54:1 (WebAIM's checker).
        let grey = Colour::parse("#767676").unwrap();
        let g = contrast_ratio(grey, white);
        assert!((4.535..4.545).contains(&g), "{g}");
        // NHS blue on white is 6.38:1.
        let nhs_blue = Colour::parse("#005eb8").unwrap();
        let r = contrast_ratio(nhs_blue, white);
        assert!((6.37..6.39).contains(&r), "{r}");
        // Order does not matter.
        assert_eq!(contrast_ratio(white, nhs_blue), r);
    }

    #[test]
    fn a_colour_too_light_to_read_falls_back_with_a_note() {
        // #767676 is 4.54:1 on white but under 4.5:1 on the page's grey background.
        let grey = Colour::parse("#767676").unwrap();
        assert!(contrast_ratio(grey, Colour::parse("#fff").unwrap()) >= 4.5);
        assert!(contrast_ratio(grey, BACKGROUND) < 4.5);
        let o = parse_query("?embed=1&primary=%23ffcc00&text=%23767676").unwrap();
        assert_eq!(o.primary, None);
        assert_eq!(o.text, None);
        assert_eq!(o.notes.len(), 2);
        assert!(o.notes[0].contains("#ffcc00") && o.notes[0].contains("4.5:1"));
        // A dark enough colour is kept.
        let o = parse_query("?embed=1&primary=%23595959").unwrap();
        assert!(o.primary.is_some() && o.notes.is_empty());
    }

    #[test]
    fn fonts_are_inherit_or_a_plain_family_name() {
        assert_eq!(Font::parse("inherit"), Some(Font::Inherit));
        assert_eq!(Font::parse("INHERIT"), Some(Font::Inherit));
        assert_eq!(
            Font::parse("  Frutiger   45 Light "),
            Some(Font::Named("Frutiger 45 Light".into()))
        );
        for bad in [
            "Arial\"; }",
            "x;color:red",
            "Comic Sans, serif",
            "a'b",
            "url(x)",
            "123",
            "",
            &"A".repeat(41),
        ] {
            assert_eq!(Font::parse(bad), None, "{bad}");
        }
        assert!(Font::parse(&"A".repeat(40)).is_some());
        let o = parse_query("?embed=1&font=evil%22%3B%7D").unwrap();
        assert_eq!(o.font, Font::Inherit);
        assert_eq!(o.notes.len(), 1);
    }

    #[test]
    fn frame_ids_are_plain() {
        let o = parse_query("?embed=1&id=%3Cscript%3E").unwrap();
        assert_eq!(o.frame_id, None);
        assert_eq!(o.notes.len(), 1);
        let o = parse_query(&format!("?embed=1&id={}", "a".repeat(41))).unwrap();
        assert_eq!(o.frame_id, None);
    }

    #[test]
    fn only_catalogued_inputs_are_exposed() {
        assert_eq!(
            input_pointer("places/12/population/3/growth").as_deref(),
            Some("/places/12/population/3/growth")
        );
        for bad in [
            "name",
            "places/0/name",
            "places/x/need_index",
            "places/01/need_index",
            "places/00000/need_index",
            "budget/uplift/extra",
            "budget",
            "../budget/uplift",
            "",
        ] {
            assert_eq!(input_pointer(bad), None, "{bad}");
        }
        let o = parse_query("?embed=1&inputs=name,budget/uplift,budget/uplift").unwrap();
        assert_eq!(o.inputs, vec!["/budget/uplift"]);
        assert_eq!(o.notes.len(), 1, "{:?}", o.notes);
    }

    #[test]
    fn at_most_six_inputs() {
        let list: Vec<String> = (0..8)
            .map(|i| format!("places/0/population/{i}/people"))
            .collect();
        let o = parse_query(&format!("?embed=1&inputs={}", list.join(","))).unwrap();
        assert_eq!(o.inputs.len(), MAX_INPUTS);
        assert_eq!(o.notes.len(), 2);
    }

    #[test]
    fn exposed_inputs_are_labelled_in_the_scenarios_words() {
        let s = json!({
            "age_bands": [{"label": "0–4"}, {"label": "85+"}],
            "places": [{"name": "Anytown", "population": [{"people": 1}, {"people": 2, "growth": 0.01}], "need_index": 1.0}],
            "budget": {"uplift": 0.03}
        });
        let e = exposed_input("/places/0/population/1/people", &s).unwrap();
        assert_eq!(e.label, "People (Anytown, ages 85+)");
        assert_eq!(e.kind, Unit::People);
        let e = exposed_input("/places/0/population/1/growth", &s).unwrap();
        assert_eq!(e.kind, Unit::Fraction);
        assert_eq!(
            exposed_input("/budget/uplift", &s).unwrap().label,
            inputs::UPLIFT.label
        );
        // Catalogued but not in this scenario.
        assert!(exposed_input("/budget/efficiency", &s)
            .unwrap_err()
            .contains("no input"));
        assert!(exposed_input("/places/3/need_index", &s).is_err());
        assert!(exposed_input("/name", &s).is_err());
    }

    #[test]
    fn the_panel_offers_what_the_scenario_has() {
        let s = json!({
            "first_year": 2025,
            "age_bands": [{"label": "young"}, {"label": "old"}],
            "places": [{"name": "A", "population": [{"people": 1, "growth": 0.0}, {"people": 2}]}],
            "budget": {"uplift": 0.03}
        });
        let pointers: Vec<String> = available_inputs(&s)
            .into_iter()
            .map(|e| e.pointer)
            .collect();
        assert_eq!(
            pointers,
            vec![
                "/first_year",
                "/places/0/population/0/people",
                "/places/0/population/1/people",
                "/places/0/population/0/growth",
                "/budget/uplift"
            ]
        );
    }

    #[test]
    fn the_theme_sets_only_what_was_given() {
        let o = parse_query("?embed=1").unwrap();
        assert!(theme_properties(&o).is_empty());
        let o = parse_query("?embed=1&primary=%23330072&font=Arial").unwrap();
        let props = theme_properties(&o);
        assert!(props.contains(&("--ob-primary", "#330072".into())));
        assert!(props
            .iter()
            .any(|(k, v)| *k == "--ob-font" && v.starts_with("\"Arial\", ")));
        assert!(!props.iter().any(|(k, _)| *k == "--ob-text"));
    }

    #[test]
    fn the_query_round_trips() {
        let o = parse_query(
            "?embed=1&inputs=budget/uplift,places/0/need_index&primary=%23005eb8&text=%23212b32&font=Open%20Sans&id=x_1",
        )
        .unwrap();
        let q = to_query(&o);
        assert_eq!(parse_query(&q), Some(o));
        let locked = parse_query("?embed=1&lock=1").unwrap();
        assert_eq!(to_query(&locked), "embed=1&lock=1");
    }

    #[test]
    fn the_snippet_has_the_attributes_hosts_need_and_escapes_the_title() {
        let o = parse_query("?embed=1&lock=1&id=b").unwrap();
        let s = snippet(
            "https://example.org/app/index.html?x=1#old",
            &o,
            "s2.abc",
            "Budget \"2025\" <for> you",
            700,
            Some("sha384-xyz"),
        );
        assert!(s.iframe.starts_with("<iframe data-onebudget=\"b\" src=\"https://example.org/app/?embed=1&amp;lock=1&amp;id=b#s2.abc\""), "{}", s.iframe);
        assert!(s
            .iframe
            .contains("title=\"Budget &quot;2025&quot; &lt;for&gt; you\""));
        assert!(s.iframe.contains("loading=\"lazy\""));
        assert!(s.iframe.contains("allow=\"fullscreen\""));
        assert!(s.iframe.contains("height=\"700\""));
        assert_eq!(s.script, "<script src=\"https://example.org/app/embed.js\" integrity=\"sha384-xyz\" crossorigin=\"anonymous\" defer></script>");
        let s = snippet("http://127.0.0.1:4182/", &o, "s2.a", "t", 1, None);
        assert!(s.iframe.contains("height=\"200\""));
        assert_eq!(
            s.script,
            "<script src=\"http://127.0.0.1:4182/embed.js\" defer></script>"
        );
    }

    #[test]
    fn an_area_snippet_is_locked_and_names_the_area_and_year() {
        let o = parse_query("?embed=1&inputs=budget/uplift&primary=%23330072&id=area").unwrap();
        let year = onebudget_engine::areas::DataYear::parse("2024/25").unwrap();
        let s = area_snippet(
            "https://example.org/app/index.html?area=X#s2.old",
            &o,
            "QHM",
            year,
            "NHS figures",
            900,
            None,
        );
        let src = "https://example.org/app/?embed=1&amp;lock=1&amp;primary=%23330072&amp;id=area&amp;area=QHM&amp;year=2024-25";
        assert!(s.iframe.contains(&format!("src=\"{src}\"")), "{}", s.iframe);
        assert!(!s.iframe.contains("#s2"));
        // What the embed reads back: locked, themed, the area and the year.
        let query = src.replace("&amp;", "&");
        let query = query.split_once('?').unwrap().1;
        let back = parse_query(query).unwrap();
        assert!(back.locked && back.inputs.is_empty());
        assert_eq!(back.frame_id.as_deref(), Some("area"));
        let address = crate::area_page::parse_address(query).unwrap();
        assert_eq!((address.code.as_str(), address.year), ("QHM", Some(year)));
    }

    #[test]
    fn app_base_is_the_directory() {
        assert_eq!(app_base("https://a.org/x/index.html"), "https://a.org/x/");
        assert_eq!(app_base("https://a.org/x/"), "https://a.org/x/");
        assert_eq!(app_base("https://a.org"), "https://a.org/");
        assert_eq!(
            app_base("http://127.0.0.1:4182/?embed=1#s2"),
            "http://127.0.0.1:4182/"
        );
    }

    #[test]
    fn percent_decoding_is_total() {
        assert_eq!(percent_decode("%23abc+d%2"), "#abc d%2");
        assert_eq!(percent_decode("%E2%80%94"), "—");
        assert_eq!(percent_decode("%zz%"), "%zz%");
        assert_eq!(percent_encode("#a b"), "%23a%20b");
    }
}
