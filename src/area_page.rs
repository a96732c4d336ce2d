//! Real areas in the app, the parts that need no browser: an area's address
//! (`?area=QHG&year=2025-26`), a search's results grouped by kind, the national total a
//! visitor types, and the plain words the area view puts around the engine's figures
//! (docs/AREAS.md has the formulas). Native and tested; `ui::views::area` only calls it.
//!
//! One address scheme for links and embeds: the query string, `area=` an ICB, LAD or GP
//! practice code and `year=` a data year (`2025-26`; the default year if absent). A query,
//! not the fragment, because the fragment carries a scenario (`#s2.…`).

use onebudget_engine::areas::rank::Rank;
use onebudget_engine::areas::report::{signed_percent, AreaReport};
use onebudget_engine::areas::search::Hit;
use onebudget_engine::areas::trend::Trend;
use onebudget_engine::areas::{Area, AreaKind, Component, DataYear};
use onebudget_engine::money::Pence;
use onebudget_engine::working::{people, Working};

/// The longest code accepted (practice codes are six characters; ICBs' and LADs' nine).
pub const MAX_CODE_CHARS: usize = 10;

/// An area asked for by address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AreaAddress {
    /// Upper case letters and digits.
    pub code: String,
    /// The year asked for, if one was and it is a data year.
    pub year: Option<DataYear>,
}

/// A code as typed or linked (`qhg`, ` E06000004 `) in the form the data uses, if it
/// could be one: letters and digits only, at most [`MAX_CODE_CHARS`].
pub fn area_code(text: &str) -> Option<String> {
    let t = text.trim();
    let ok =
        !t.is_empty() && t.len() <= MAX_CODE_CHARS && t.bytes().all(|b| b.is_ascii_alphanumeric());
    ok.then(|| t.to_ascii_uppercase())
}

fn pairs(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    let query = query.strip_prefix('?').unwrap_or(query);
    query.split('&').filter(|p| !p.is_empty()).map(|p| {
        // Not percent-decoded: a code or year holds no character that needs encoding, so
        // an encoded one is not a code or year.
        let (k, v) = p.split_once('=').unwrap_or((p, ""));
        (k.to_string(), v.to_string())
    })
}

/// The area a query string (with or without its `?`) asks for, if any.
pub fn parse_address(query: &str) -> Option<AreaAddress> {
    let mut code = None;
    let mut year = None;
    for (k, v) in pairs(query) {
        match k.as_str() {
            "area" if code.is_none() => code = Some(area_code(&v)?),
            "year" if year.is_none() => year = DataYear::parse(&v),
            _ => {}
        }
    }
    Some(AreaAddress { code: code?, year })
}

/// Whether a query string names an area (`area=`), without reading it: what the first
/// download needs to know (the full reading, [`parse_address`], is the area view's).
pub fn asks_for_area(query: &str) -> bool {
    let query = query.strip_prefix('?').unwrap_or(query);
    query.split('&').any(|p| p.starts_with("area="))
}

/// The query (with `?`) for an area in a year: what links and the address bar show.
pub fn address(code: &str, year: DataYear) -> String {
    format!("?area={}&year={}", code, year.file_stem())
}

/// A query string with the area and year taken out (for leaving the area view): `""` if
/// nothing else is left, else `?` and the rest as it was.
pub fn without_area(query: &str) -> String {
    let query = query.strip_prefix('?').unwrap_or(query);
    let rest: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| {
            let key = p.split_once('=').map_or(*p, |(k, _)| k);
            key != "area" && key != "year"
        })
        .collect();
    if rest.is_empty() {
        String::new()
    } else {
        format!("?{}", rest.join("&"))
    }
}

/// The kinds of area in the order results are grouped.
pub const KINDS: [AreaKind; 3] = [AreaKind::Icb, AreaKind::Lad, AreaKind::Practice];

/// A group's heading.
pub fn kind_heading(kind: AreaKind) -> &'static str {
    match kind {
        AreaKind::Icb => "Integrated care boards (ICBs)",
        AreaKind::Lad => "Local authority districts",
        AreaKind::Practice => "GP practices",
        AreaKind::England => "England",
    }
}

/// Hits grouped by kind (ICBs, then districts, then practices), each group in the order
/// the search ranked them; empty groups left out.
pub fn grouped(hits: &[Hit]) -> Vec<(AreaKind, Vec<Area>)> {
    KINDS
        .iter()
        .map(|&kind| {
            let areas: Vec<Area> = hits
                .iter()
                .map(|h| h.area)
                .filter(|a| a.kind() == kind)
                .collect();
            (kind, areas)
        })
        .filter(|(_, areas)| !areas.is_empty())
        .collect()
}

/// What the results are, for the polite live region: nothing until something is typed.
pub fn results_status(query: &str, total: usize, shown: usize) -> String {
    if query.trim().is_empty() {
        return String::new();
    }
    match total {
        0 => format!(
            "No areas match “{}”. Try part of a GP practice's name, a postcode, or a town.",
            query.trim()
        ),
        1 => "1 area found.".to_string(),
        n if shown < n => {
            format!("{n} areas found; the best {shown} are shown. Type more to narrow them down.")
        }
        n => format!("{n} areas found."),
    }
}

/// "1st", "2nd", "23rd", "111th".
pub fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// The plural of a kind, for "of 42 ICBs".
pub fn kind_plural(kind: AreaKind) -> &'static str {
    match kind {
        AreaKind::Icb => "ICBs",
        AreaKind::Lad => "local authority districts",
        AreaKind::Practice => "GP practices",
        AreaKind::England => "countries",
    }
}

/// "3rd highest need of 42 ICBs (1st is the highest)."
pub fn rank_sentence(rank: Rank, kind: AreaKind) -> String {
    let of = rank.of;
    let plural = kind_plural(kind);
    if rank.position == 1 {
        format!("The highest need of all {of} {plural}.")
    } else if rank.position == of {
        format!("The lowest need of all {of} {plural}.")
    } else {
        format!(
            "{} highest need of {of} {plural} (1st is the highest).",
            ordinal(rank.position)
        )
    }
}

/// A need index in plain words against England's average: "14 % more than average",
/// "9 % less than average", "about average"; from 2.0, "3.2 times the average".
pub fn need_words(index: f64) -> String {
    if index >= 2.0 {
        return format!("{:.1} times the average", index);
    }
    let p = onebudget_engine::areas::need::percent_difference(index);
    match p.signum() {
        1 => format!("{p} % more than average"),
        -1 => format!("{} % less than average", p.unsigned_abs()),
        _ => "about average".to_string(),
    }
}

/// An index to three decimals, as NHS England's tool shows it, with its percentage.
pub fn index_text(index: Option<f64>) -> String {
    match index {
        Some(i) => format!("{i:.3} ({})", signed_percent(i)),
        None => "no figure".to_string(),
    }
}

/// What a component measures, in a few plain words (the need table's second column).
pub fn component_hint(component: Component) -> &'static str {
    match component {
        Component::Core => "all hospital, community, mental health and other ICB services together",
        Component::GeneralAndAcute => "hospital care: A&E, operations, outpatients",
        Component::Community => "district nurses, therapists, care at home",
        Component::MentalHealth => "mental health services",
        Component::Maternity => "care in pregnancy and birth",
        Component::Prescribing => "medicines prescribed by GPs",
        Component::HealthInequalities => {
            "extra for places where more people die early from avoidable causes"
        }
        Component::PrimaryMedicalCare => "GP services, as NHS England allocates them",
        Component::PrimaryMedicalCareNeed => "GP services, need before adjustments",
    }
}

/// The largest national total accepted: £10 trillion, far above any NHS budget.
const MAX_NATIONAL_TOTAL_PENCE: i64 = 1_000_000_000_000_000;

/// A national total as typed: "107.6bn", "£107,600m", "107600000000", "£1.2 billion".
/// Exact (no floating point): the digits typed, times the unit, to the penny. More than
/// nothing and at most £10 trillion.
pub fn parse_national_total(text: &str) -> Option<Pence> {
    let t: String = text
        .trim()
        .trim_start_matches('£')
        .chars()
        .filter(|c| *c != ',' && !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    let (number, unit) = [
        ("billion", 9),
        ("bn", 9),
        ("b", 9),
        ("million", 6),
        ("m", 6),
        ("thousand", 3),
        ("k", 3),
    ]
    .iter()
    .find_map(|&(suffix, power)| t.strip_suffix(suffix).map(|n| (n, power)))
    .unwrap_or((t.as_str(), 0u32));
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    if !whole.bytes().all(|b| b.is_ascii_digit()) || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Pence: the digits as one integer, scaled by 10^(unit + 2 − decimals).
    let decimals = fraction.len() as u32;
    let power = unit + 2;
    if decimals > power || whole.len() + fraction.len() > 18 {
        return None;
    }
    let digits: i64 = format!("{whole}{fraction}").parse().ok()?;
    let pence = digits.checked_mul(10_i64.checked_pow(power - decimals)?)?;
    (pence > 0 && pence <= MAX_NATIONAL_TOTAL_PENCE).then_some(Pence(pence))
}

/// A national total as shown and typed back: "£107.6bn", "£215.25bn", "£950m"; exact, so
/// it reads back ([`parse_national_total`]) as the same amount; in full ("£1,234,567.89")
/// when no shorter form is exact.
pub fn total_text(total: Pence) -> String {
    let pence = total.pence();
    if pence > 0 && pence % 100 == 0 {
        let pounds = pence / 100;
        for (unit, suffix) in [(1_000_000_000_i64, "bn"), (1_000_000, "m")] {
            let step = unit / 1000;
            if pounds >= unit && pounds % step == 0 {
                let thousandths = (pounds % unit) / step;
                let mut text = format!("£{}", pounds / unit);
                if thousandths > 0 {
                    text.push('.');
                    text.push_str(format!("{thousandths:03}").trim_end_matches('0'));
                }
                text.push_str(suffix);
                return text;
            }
        }
    }
    total.display()
}

/// Where the area's core need was headed, in one sentence, from the trend's
/// same-practices series (comparable across the mergers): `None` with fewer than two
/// years that have a figure.
pub fn trend_sentence(trend: &Trend) -> Option<String> {
    let core = Component::Core.position();
    let points: Vec<(DataYear, f64)> = trend
        .same_practices
        .iter()
        .filter_map(|p| Some((p.year, p.need[core]?)))
        .collect();
    let (first, last) = (points.first()?, points.last()?);
    if points.len() < 2 {
        return None;
    }
    let from = onebudget_engine::areas::need::percent_difference(first.1);
    let to = onebudget_engine::areas::need::percent_difference(last.1);
    let words = |p: i64| match p.signum() {
        1 => format!("{p} % above average"),
        -1 => format!("{} % below average", p.unsigned_abs()),
        _ => "about average".to_string(),
    };
    let change = if from == to {
        format!("stays {} from {} to {}", words(from), first.0, last.0)
    } else {
        format!(
            "goes from {} in {} to {} in {}",
            words(from),
            first.0,
            words(to),
            last.0
        )
    };
    Some(format!(
        "For the same GP practices, need for core services {change}."
    ))
}

/// "How this was worked out" for an area's need index for core services.
pub fn need_working(report: &AreaReport) -> Working {
    let core = report.need.get(Component::Core);
    let weighted = core.map(|i| i * report.registered_population);
    Working::new(
        format!(
            "Need for core services, {}, {}",
            report.name,
            report.year.label()
        ),
        index_text(core),
        "(the area's weighted population ÷ its registered population) ÷ (England's weighted \
         population ÷ England's registered population). NHS England weights each GP practice's \
         registered patients by their age and by how healthy people are where they live; 1.000 \
         is the average person in England.",
    )
    .input("people registered", people(report.registered_population))
    .input("GP practices", people(f64::from(report.practices)))
    .input(
        "weighted population for core services",
        weighted.map_or("no figure".into(), people),
    )
    .input(
        "source",
        "NHS England, ICB place-based allocation tool data",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use onebudget_engine::areas::search::Match;

    #[test]
    fn codes_are_letters_and_digits_in_upper_case() {
        assert_eq!(area_code(" qhg "), Some("QHG".into()));
        assert_eq!(area_code("E06000004"), Some("E06000004".into()));
        assert_eq!(area_code(""), None);
        assert_eq!(area_code("Q H G"), None);
        assert_eq!(area_code("<script>"), None);
        assert_eq!(area_code("ABCDEFGHIJK"), None);
    }

    #[test]
    fn addresses_read_and_write_the_same_way() {
        let year = DataYear::parse("2024/25").unwrap();
        let query = address("A81001", year);
        assert_eq!(query, "?area=A81001&year=2024-25");
        assert_eq!(
            parse_address(&query),
            Some(AreaAddress {
                code: "A81001".into(),
                year: Some(year)
            })
        );
        // Any order, other settings beside it, a code in small letters, no year.
        assert_eq!(
            parse_address("embed=1&lock=1&area=qhg"),
            Some(AreaAddress {
                code: "QHG".into(),
                year: None
            })
        );
        // A year that is not a data year is ignored, not an error.
        assert_eq!(parse_address("?area=QHG&year=1999-00").unwrap().year, None);
        assert_eq!(parse_address("?area=%3Cb%3E"), None);
        assert_eq!(parse_address("?area=Q%48G"), None);
        assert_eq!(parse_address("?embed=1"), None);
        assert_eq!(parse_address(""), None);
    }

    #[test]
    fn whether_a_query_asks_for_an_area() {
        assert!(asks_for_area("?area=QHG"));
        assert!(asks_for_area("embed=1&area=qhg&year=2025-26"));
        assert!(!asks_for_area("?embed=1&myarea=QHG"));
        assert!(!asks_for_area(""));
    }

    #[test]
    fn leaving_an_area_keeps_the_rest_of_the_query() {
        assert_eq!(without_area("?area=QHG&year=2025-26"), "");
        assert_eq!(without_area("?x=1&area=QHG"), "?x=1");
        assert_eq!(without_area(""), "");
    }

    #[test]
    fn results_are_grouped_icbs_first() {
        let hit = |area| Hit {
            area,
            matched: Match::Within,
        };
        let hits = [
            hit(Area::Practice(4)),
            hit(Area::Icb(1)),
            hit(Area::Practice(2)),
            hit(Area::Lad(7)),
        ];
        assert_eq!(
            grouped(&hits),
            vec![
                (AreaKind::Icb, vec![Area::Icb(1)]),
                (AreaKind::Lad, vec![Area::Lad(7)]),
                (
                    AreaKind::Practice,
                    vec![Area::Practice(4), Area::Practice(2)]
                ),
            ]
        );
        assert!(grouped(&[]).is_empty());
    }

    #[test]
    fn the_status_says_how_many() {
        assert_eq!(results_status("  ", 0, 0), "");
        assert!(results_status("zzz", 0, 0).starts_with("No areas match “zzz”"));
        assert_eq!(results_status("a", 1, 1), "1 area found.");
        assert_eq!(results_status("ab", 3, 3), "3 areas found.");
        assert_eq!(
            results_status("ab", 57, 20),
            "57 areas found; the best 20 are shown. Type more to narrow them down."
        );
    }

    #[test]
    fn ordinals_and_ranks() {
        let o: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112]
            .into_iter()
            .map(ordinal)
            .collect();
        assert_eq!(
            o,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd",
                "101st", "111th", "112th"
            ]
        );
        let r = |position, of| Rank { position, of };
        assert_eq!(
            rank_sentence(r(3, 42), AreaKind::Icb),
            "3rd highest need of 42 ICBs (1st is the highest)."
        );
        assert_eq!(
            rank_sentence(r(1, 42), AreaKind::Icb),
            "The highest need of all 42 ICBs."
        );
        assert_eq!(
            rank_sentence(r(309, 309), AreaKind::Lad),
            "The lowest need of all 309 local authority districts."
        );
    }

    #[test]
    fn need_in_words() {
        assert_eq!(need_words(1.14), "14 % more than average");
        assert_eq!(need_words(0.912), "9 % less than average");
        assert_eq!(need_words(1.004), "about average");
        assert_eq!(need_words(3.21), "3.2 times the average");
        assert_eq!(index_text(Some(1.285)), "1.285 (+29 %)");
        assert_eq!(index_text(None), "no figure");
    }

    #[test]
    fn the_trend_in_words_follows_the_same_practices_across_the_mergers() {
        use onebudget_engine::areas::{decode, trend::trend};
        let y2025 = decode(include_bytes!("../static/areas/2025-26.bin")).unwrap();
        let y2026 = decode(include_bytes!("../static/areas/2026-27.bin")).unwrap();
        // NHS Bedfordshire, Luton and Milton Keynes ICB is not an ICB from 2026/27; its
        // practices are followed into NHS Central East ICB.
        let qhg = y2025.find_code("QHG").unwrap();
        let t = trend(&[&y2025, &y2026], &y2025, qhg);
        assert_eq!(
            trend_sentence(&t).as_deref(),
            Some("For the same GP practices, need for core services goes from 8 % below average in 2025/26 to 9 % below average in 2026/27.")
        );
        assert_eq!(trend_sentence(&trend(&[&y2025], &y2025, qhg)), None);
    }

    #[test]
    fn totals_are_shown_exactly_and_read_back() {
        let cases = [
            (10_760_000_000_000, "£107.6bn"),
            (21_525_000_000_000, "£215.25bn"),
            (1_120_000_000_000, "£11.2bn"),
            (95_000_000_000, "£950m"),
            (100_000_000_000, "£1bn"),
            (123_456_789_000, "£1,234,567,890"),
            (123_456_789_012, "£1,234,567,890.12"),
            (1_000, "£10"),
        ];
        for (pence, text) in cases {
            let shown = total_text(Pence(pence));
            assert!(
                shown == text || Pence(pence).display() == shown,
                "{pence}: {shown}"
            );
            assert_eq!(parse_national_total(&shown), Some(Pence(pence)), "{shown}");
        }
        assert_eq!(total_text(Pence(10_760_000_000_000)), "£107.6bn");
        assert_eq!(total_text(Pence(95_000_000_000)), "£950m");
    }

    #[test]
    fn national_totals_as_people_type_them() {
        let bn = |p: i64| Some(Pence(p));
        assert_eq!(parse_national_total("107.6bn"), bn(10_760_000_000_000));
        assert_eq!(parse_national_total("£107.6 bn"), bn(10_760_000_000_000));
        assert_eq!(parse_national_total("£107,600m"), bn(10_760_000_000_000));
        assert_eq!(parse_national_total("107600000000"), bn(10_760_000_000_000));
        assert_eq!(parse_national_total("£1.2 billion"), bn(120_000_000_000));
        assert_eq!(parse_national_total("11.2BN"), bn(1_120_000_000_000));
        assert_eq!(parse_national_total("350k"), bn(35_000_000));
        assert_eq!(parse_national_total("12.34"), bn(1234));
        assert_eq!(parse_national_total("0.000000001bn"), bn(100));
        // Finer than a penny, nothing, negative, words, absurd.
        assert_eq!(parse_national_total("12.345"), None);
        assert_eq!(parse_national_total("0.0000000001bn"), bn(10));
        assert_eq!(parse_national_total("0.000000001m"), None);
        assert_eq!(parse_national_total("0"), None);
        assert_eq!(parse_national_total(""), None);
        assert_eq!(parse_national_total("-5bn"), None);
        assert_eq!(parse_national_total("lots"), None);
        assert_eq!(parse_national_total("10001bn"), None);
        assert_eq!(parse_national_total("99999999999999999999999"), None);
        assert_eq!(parse_national_total("."), None);
    }
}
