//! The domain's worked examples, reproduced exactly through the engine's public API.
//!
//! `docs/DOMAIN_EXAMPLES.md`, "Worked examples" (test vectors from public sources):
//!
//! 1. **Distance from target**: NHS England's 2013/14 CCG allocations, Annex A
//!    (Eastern Cheshire CCG −7.58 %, −£17,978k, £1,084 per head against a target £1,173;
//!    Central Manchester CCG +4.80 %).
//! 3. **Minimum savings rate**: CMS, Medicare Shared Savings Program, the one-sided model's
//!    table of minimum savings rates by assigned population (42 CFR 425.604(b)), linear
//!    within each band, with CMS's own example of 7 500 beneficiaries → 3.3 %.
//! 4. **Shared savings and losses**: derived from the same MSSP rules (one-sided 40 %
//!    sharing, 50 % scaled by a 90 % quality score, 30 % loss sharing capped at the lesser of
//!    2 % of participant revenue and 1 % of the benchmark).
//!
//! (Example 2, the need index from the place-based allocation tool, and example 5, the
//! option-pricing study, are not calculations the engine offers as such.)
//!
//! Each example is a `const` table of rows, checked in a loop; a failure names its row.
//! Example 4's rows are the `risk_share` section of a scenario file as an analyst writes it,
//! decoded from JSON text, and also run through a whole scenario (`scenario::decode` →
//! `compute`). The MSSP examples are in US dollars; the engine's minor unit (`Pence`) is
//! used for cents, so $1.40m is 140 000 000 units.

use onebudget_engine::examples;
use onebudget_engine::fair_shares::{self, FairShares};
use onebudget_engine::money::Pence;
use onebudget_engine::risk_share::{
    self, RiskShareAgreement, RiskShareResult, VarianceDirection, MSSP_MINIMUM_POPULATION,
};
use onebudget_engine::scenario;
use onebudget_engine::working::percent;

/// £ thousands (Annex A's unit) as pence.
const fn pounds_k(thousands: i64) -> Pence {
    Pence(thousands * 100_000)
}

// ---------------------------------------------------------------------------
// Example 1: distance from target (NHS 2013/14 allocations, Annex A)
// ---------------------------------------------------------------------------

struct DistanceRow {
    ccg: &'static str,
    /// Raw (registered) population, where DOMAIN.md gives it.
    raw_population: Option<f64>,
    allocation_k: i64,
    target_k: i64,
    /// Distance from target as the app shows it (two decimals, a true minus sign).
    distance: &'static str,
    /// Allocation − target, £k.
    gap_k: i64,
    /// Allocation and target per head, as the app shows them (whole pounds).
    allocation_per_head: Option<&'static str>,
    target_per_head: Option<&'static str>,
}

const ANNEX_A: &[DistanceRow] = &[
    DistanceRow {
        ccg: "Eastern Cheshire CCG",
        raw_population: Some(202_256.0),
        allocation_k: 219_307,
        target_k: 237_285,
        distance: "\u{2212}7.58 %",
        gap_k: -17_978,
        allocation_per_head: Some("£1,084"),
        target_per_head: Some("£1,173"),
    },
    DistanceRow {
        ccg: "Central Manchester CCG",
        raw_population: None,
        allocation_k: 233_893,
        target_k: 223_190,
        distance: "4.80 %",
        gap_k: 10_703,
        allocation_per_head: None,
        target_per_head: None,
    },
];

#[test]
fn example_1_distance_from_target() {
    for row in ANNEX_A {
        let (allocation, target) = (pounds_k(row.allocation_k), pounds_k(row.target_k));
        let distance = fair_shares::distance_from_target(allocation, target);
        assert_eq!(percent(distance, 2), row.distance, "{}: distance", row.ccg);
        let exact = row.gap_k as f64 / row.target_k as f64;
        assert!(
            (distance - exact).abs() < 1e-15,
            "{}: distance {distance} is not gap ÷ target {exact}",
            row.ccg
        );
        assert_eq!(
            allocation.checked_sub(target),
            Ok(pounds_k(row.gap_k)),
            "{}: allocation − target",
            row.ccg
        );
        if let Some(heads) = row.raw_population {
            let per_head = |amount| fair_shares::per_head(amount, heads).map(Pence::display_pounds);
            let expected = |s: Option<&str>| Ok(s.unwrap_or("(none given)").to_string());
            assert_eq!(
                per_head(allocation),
                expected(row.allocation_per_head),
                "{}: allocation per head",
                row.ccg
            );
            assert_eq!(
                per_head(target),
                expected(row.target_per_head),
                "{}: target per head",
                row.ccg
            );
        }
    }
}

/// Eastern Cheshire as an analyst would type it into a fair-shares file: one year, the
/// target as the whole envelope (so the weighted population, 208 986, sets only the per
/// weighted head figure), no floor and no gap closure.
const EASTERN_CHESHIRE_FAIR_SHARES: &str = r#"{
    "years": 1,
    "envelope": { "first_year_total": 23728500000, "annual_growth": 0.0 },
    "pace_of_change": { "floor_uplift": 0.0, "gap_closure": 0.0 },
    "places": [
        {
            "name": "Eastern Cheshire CCG",
            "baseline": 21930700000,
            "weighted_population": [208986],
            "population": [202256]
        }
    ]
}"#;

#[test]
fn example_1_through_a_fair_shares_file() {
    let input: FairShares =
        serde_json::from_str(EASTERN_CHESHIRE_FAIR_SHARES).expect("the file decodes");
    let result = fair_shares::allocate(&input).expect("the file computes");
    let place = &result.years[0].places[0];
    assert_eq!(place.target, pounds_k(237_285));
    assert_eq!(place.gap_before, pounds_k(-17_978));
    assert_eq!(percent(place.distance_before, 2), "\u{2212}7.58 %");
    assert_eq!(place.distance_before_working.value, "\u{2212}7.58 %");
    let pounds = |p: &fair_shares::PerHead| p.per_head.map(Pence::display_pounds);
    assert_eq!(
        pounds(&place.previous_allocation_per_head).as_deref(),
        Some("£1,084")
    );
    assert_eq!(pounds(&place.target_per_head).as_deref(), Some("£1,173"));
    // £237,285k ÷ 208 986 weighted heads.
    assert_eq!(
        place.target_per_head.per_weighted_head.display_pounds(),
        "£1,135"
    );
}

// ---------------------------------------------------------------------------
// Example 3: the MSSP minimum savings rate table
// ---------------------------------------------------------------------------

struct RateRow {
    population: u64,
    /// The rate as an exact fraction (`None`: below the table, the program admits no one).
    rate: Option<f64>,
    /// As the app shows it, to two decimals.
    shown: &'static str,
    why: &'static str,
}

const fn rate(population: u64, rate: f64, shown: &'static str, why: &'static str) -> RateRow {
    RateRow {
        population,
        rate: Some(rate),
        shown,
        why,
    }
}

/// Every band's first and last population, its midpoint and CMS's example. The last
/// population of a band is one step short of the next band's rate (linear within a band).
const MSSP_TABLE: &[RateRow] = &[
    RateRow {
        population: 0,
        rate: None,
        shown: "",
        why: "no one assigned",
    },
    RateRow {
        population: 4_999,
        rate: None,
        shown: "",
        why: "below the table",
    },
    rate(5_000, 0.039, "3.90 %", "5 000–5 999 starts at 3.9 %"),
    rate(5_500, 0.0375, "3.75 %", "5 000–5 999 midpoint"),
    rate(
        5_999,
        0.036003,
        "3.60 %",
        "5 000–5 999 ends just above 3.6 %",
    ),
    rate(6_000, 0.036, "3.60 %", "6 000–6 999 starts at 3.6 %"),
    rate(6_500, 0.035, "3.50 %", "6 000–6 999 midpoint"),
    rate(
        6_999,
        0.034002,
        "3.40 %",
        "6 000–6 999 ends just above 3.4 %",
    ),
    rate(7_000, 0.034, "3.40 %", "7 000–7 999 starts at 3.4 %"),
    rate(7_500, 0.033, "3.30 %", "CMS's own example: 7 500 → 3.3 %"),
    rate(
        7_999,
        0.032002,
        "3.20 %",
        "7 000–7 999 ends just above 3.2 %",
    ),
    rate(8_000, 0.032, "3.20 %", "8 000–8 999 starts at 3.2 %"),
    rate(8_500, 0.0315, "3.15 %", "8 000–8 999 midpoint"),
    rate(
        8_999,
        0.031001,
        "3.10 %",
        "8 000–8 999 ends just above 3.1 %",
    ),
    rate(9_000, 0.031, "3.10 %", "9 000–9 999 starts at 3.1 %"),
    rate(9_500, 0.0305, "3.05 %", "9 000–9 999 midpoint"),
    rate(
        9_999,
        0.030001,
        "3.00 %",
        "9 000–9 999 ends just above 3.0 %",
    ),
    rate(10_000, 0.03, "3.00 %", "10 000–14 999 starts at 3.0 %"),
    rate(12_500, 0.0285, "2.85 %", "10 000–14 999 midpoint"),
    rate(
        14_999,
        0.0270006,
        "2.70 %",
        "10 000–14 999 ends just above 2.7 %",
    ),
    rate(15_000, 0.027, "2.70 %", "15 000–19 999 starts at 2.7 %"),
    rate(17_500, 0.026, "2.60 %", "15 000–19 999 midpoint"),
    rate(
        19_999,
        0.0250004,
        "2.50 %",
        "15 000–19 999 ends just above 2.5 %",
    ),
    rate(20_000, 0.025, "2.50 %", "20 000–49 999 starts at 2.5 %"),
    rate(35_000, 0.0235, "2.35 %", "20 000–49 999 midpoint"),
    rate(
        49_999,
        0.0220001,
        "2.20 %",
        "20 000–49 999 ends just above 2.2 %",
    ),
    rate(50_000, 0.022, "2.20 %", "50 000–59 999 starts at 2.2 %"),
    rate(55_000, 0.021, "2.10 %", "50 000–59 999 midpoint"),
    rate(
        59_999,
        0.0200002,
        "2.00 %",
        "50 000–59 999 ends just above 2.0 %",
    ),
    rate(60_000, 0.02, "2.00 %", "60 000 and above: 2.0 %"),
    rate(1_000_000, 0.02, "2.00 %", "60 000 and above: 2.0 %"),
    rate(u64::MAX, 0.02, "2.00 %", "the largest population: 2.0 %"),
];

#[test]
fn example_3_minimum_savings_rate_table() {
    for row in MSSP_TABLE {
        let found = risk_share::minimum_savings_rate(row.population);
        // Exact: the engine divides one integer ratio once, so table points are the literal.
        assert_eq!(
            found, row.rate,
            "population {} ({}): rate",
            row.population, row.why
        );
        if let Some(r) = found {
            assert_eq!(
                percent(r, 2),
                row.shown,
                "population {} ({}): as shown",
                row.population,
                row.why
            );
        }
    }
    assert_eq!(MSSP_MINIMUM_POPULATION, 5_000);
}

/// CMS's example through a scenario file's `risk_share.minimum_rate`: the threshold on a
/// $100m benchmark is 3.3 % of it.
#[test]
fn example_3_cms_example_through_a_risk_share_section() {
    let section = r#"{
        "budget": 10000000000,
        "outturn": 9600000000,
        "loss_corridors": [],
        "gain_corridors": [{ "from": 0.0, "to": null, "provider_share": 0.5 }],
        "minimum_rate": { "by_population": { "population": 7500 } }
    }"#;
    let agreement: RiskShareAgreement = serde_json::from_str(section).expect("decodes");
    let test = agreement
        .compute()
        .expect("computes")
        .minimum_rate
        .expect("a minimum rate test");
    assert_eq!(test.rate, 0.033);
    assert_eq!(test.threshold, Pence(330_000_000));
    assert!(test.met, "a 4 % saving beats a 3.3 % minimum savings rate");
}

// ---------------------------------------------------------------------------
// Example 4: shared savings and shared losses (MSSP rules)
// ---------------------------------------------------------------------------

struct SharingRow {
    case: &'static str,
    /// The scenario file's `risk_share` section, as an analyst writes it (cents).
    risk_share: &'static str,
    variance: i64,
    direction: VarianceDirection,
    /// Whether the minimum savings rate was met (`None`: the agreement has none).
    minimum_rate_met: Option<bool>,
    provider_before_caps: i64,
    /// Signed like the variance: negative is savings kept, positive is losses borne.
    provider_total: i64,
    commissioner_total: i64,
}

const MSSP_SHARING: &[SharingRow] = &[
    SharingRow {
        case: "$96.5m spend: 3.5 % saving beats the 3.0 % MSR; one-sided 40 % → $1.40m",
        risk_share: r#"{
            "budget": 10000000000,
            "outturn": 9650000000,
            "loss_corridors": [],
            "gain_corridors": [{ "from": 0.0, "to": null, "provider_share": 0.4 }],
            "minimum_rate": { "by_population": { "population": 10000 } }
        }"#,
        variance: -350_000_000,
        direction: VarianceDirection::Underspend,
        minimum_rate_met: Some(true),
        provider_before_caps: -140_000_000,
        provider_total: -140_000_000,
        commissioner_total: -210_000_000,
    },
    SharingRow {
        case: "$96.5m spend: 50 % sharing × 90 % quality score → $1.575m",
        risk_share: r#"{
            "budget": 10000000000,
            "outturn": 9650000000,
            "loss_corridors": [],
            "gain_corridors": [{ "from": 0.0, "to": null, "provider_share": 0.5 }],
            "minimum_rate": { "by_population": { "population": 10000 } },
            "quality_score": 0.9
        }"#,
        variance: -350_000_000,
        direction: VarianceDirection::Underspend,
        minimum_rate_met: Some(true),
        provider_before_caps: -157_500_000,
        provider_total: -157_500_000,
        commissioner_total: -192_500_000,
    },
    SharingRow {
        case: "$97.01m spend: 2.99 % saving is below the 3.0 % MSR, nothing shared",
        risk_share: r#"{
            "budget": 10000000000,
            "outturn": 9701000000,
            "loss_corridors": [],
            "gain_corridors": [{ "from": 0.0, "to": null, "provider_share": 0.4 }],
            "minimum_rate": { "by_population": { "population": 10000 } }
        }"#,
        variance: -299_000_000,
        direction: VarianceDirection::Underspend,
        minimum_rate_met: Some(false),
        provider_before_caps: 0,
        provider_total: 0,
        commissioner_total: -299_000_000,
    },
    SharingRow {
        case: "$103m spend: 30 % of the $3m loss = $0.9m, capped at $0.6m",
        risk_share: r#"{
            "budget": 10000000000,
            "outturn": 10300000000,
            "loss_corridors": [{ "from": 0.0, "to": null, "provider_share": 0.3 }],
            "gain_corridors": [{ "from": 0.0, "to": null, "provider_share": 0.4 }],
            "provider_cap": 60000000
        }"#,
        variance: 300_000_000,
        direction: VarianceDirection::Overspend,
        minimum_rate_met: None,
        provider_before_caps: 90_000_000,
        provider_total: 60_000_000,
        commissioner_total: 240_000_000,
    },
];

fn check_sharing(row: &SharingRow, how: &str, r: &RiskShareResult) {
    let case = format!("{} ({how})", row.case);
    assert_eq!(r.variance, Pence(row.variance), "{case}: variance");
    assert_eq!(r.direction, row.direction, "{case}: direction");
    assert_eq!(
        r.minimum_rate.as_ref().map(|t| t.met),
        row.minimum_rate_met,
        "{case}: minimum rate met"
    );
    assert_eq!(
        r.provider_before_caps,
        Pence(row.provider_before_caps),
        "{case}: provider before caps"
    );
    assert_eq!(
        r.provider_total,
        Pence(row.provider_total),
        "{case}: provider"
    );
    assert_eq!(
        r.commissioner_total,
        Pence(row.commissioner_total),
        "{case}: commissioner"
    );
    // Σ of both sides' shares equals the variance exactly, in every band.
    for band in &r.bands {
        assert_eq!(
            band.provider_part.checked_add(band.commissioner_part),
            Ok(band.variance_part),
            "{case}: band {}",
            band.label
        );
    }
    assert_eq!(
        r.provider_total.checked_add(r.commissioner_total),
        Ok(r.variance),
        "{case}: sides sum to the variance"
    );
}

#[test]
fn example_4_shared_savings_and_losses_from_the_risk_share_section() {
    for row in MSSP_SHARING {
        let agreement: RiskShareAgreement = serde_json::from_str(row.risk_share)
            .unwrap_or_else(|e| panic!("{}: the section does not decode: {e}", row.case));
        let result = agreement
            .compute()
            .unwrap_or_else(|e| panic!("{}: does not compute: {e}", row.case));
        check_sharing(row, "risk_share section", &result);
    }
}

/// The same rows as a whole scenario reaches them: each section put into the built-in
/// Anytown scenario, read with `scenario::decode` and computed.
#[test]
fn example_4_through_a_whole_scenario() {
    let anytown = examples::find("anytown").expect("the Anytown example");
    for row in MSSP_SHARING {
        let mut file: serde_json::Value = serde_json::from_str(anytown.json).expect("Anytown");
        let section: serde_json::Value = serde_json::from_str(row.risk_share).expect("section");
        file["risk_share"] = section;
        let scenario = scenario::decode(&file.to_string())
            .unwrap_or_else(|p| panic!("{}: the scenario does not decode: {p:?}", row.case));
        let results = scenario
            .compute()
            .unwrap_or_else(|e| panic!("{}: the scenario does not compute: {e}", row.case));
        let result = results
            .risk_share
            .unwrap_or_else(|| panic!("{}: no risk share in the results", row.case));
        check_sharing(row, "whole scenario", &result);
    }
}

/// Where the loss row's $0.6m cap comes from: the lesser of 2 % of $30m participant revenue
/// and 1 % of the $100m benchmark.
#[test]
fn example_4_loss_cap_is_the_lesser_of_the_two_limits() {
    let revenue_limit = Pence(3_000_000_000).mul_rate(0.02);
    let benchmark_limit = Pence(10_000_000_000).mul_rate(0.01);
    assert_eq!(revenue_limit, Ok(Pence(60_000_000)));
    assert_eq!(benchmark_limit, Ok(Pence(100_000_000)));
    let cap = Pence(60_000_000).min(Pence(100_000_000));
    let loss_row = MSSP_SHARING
        .iter()
        .find(|r| r.direction == VarianceDirection::Overspend)
        .expect("the loss row");
    let agreement: RiskShareAgreement =
        serde_json::from_str(loss_row.risk_share).expect("the loss row decodes");
    assert_eq!(agreement.provider_cap, Some(cap), "{}", loss_row.case);
}
