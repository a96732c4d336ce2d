//! `onebudget area` and `onebudget areas`, run as a person would run them: exit status,
//! stdout and stderr, and the figures against the engine's own for the same asset.

use onebudget::engine::areas::fair_share::CORE_SERVICES_2024_25;
use onebudget::engine::areas::report::area_report;
use onebudget::engine::areas::{decode, Area, Component, Dataset, ATTRIBUTION};
use serde_json::Value;
use std::process::{Command, Output, Stdio};

fn onebudget(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_onebudget"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("the onebudget binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

fn ok(args: &[&str]) -> String {
    let output = onebudget(args);
    assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    assert!(stderr(&output).is_empty(), "{args:?}: {}", stderr(&output));
    stdout(&output)
}

/// Exit status 1 or 2, nothing on stdout, and every text somewhere on stderr.
fn fails(args: &[&str], status: i32, texts: &[&str]) {
    let output = onebudget(args);
    assert_eq!(
        output.status.code(),
        Some(status),
        "{args:?}: {}",
        stderr(&output)
    );
    assert!(
        output.stdout.is_empty(),
        "{args:?} printed {}",
        stdout(&output)
    );
    let err = stderr(&output);
    for text in texts {
        assert!(err.contains(text), "{args:?}: {text:?} not in {err}");
    }
}

fn dataset(file: &str) -> Dataset {
    let path = format!("{}/static/areas/{file}", env!("CARGO_MANIFEST_DIR"));
    decode(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn area_prints_a_practices_figures_with_the_attribution() {
    let text = ok(&["area", "A81001", "--year", "2024/25"]);
    for expected in [
        "The Densham Surgery (A81001): GP practice, 2024/25",
        "Postcode: TS18 1HU",
        "ICB: NHS North East and North Cumbria ICB (QHM)",
        "Local authority district: Stockton-on-Tees (E06000004)",
        "Registered population: 4,069",
        "Need index against England",
        "core services                 1.285  +29 %",
        "People registered at The Densham Surgery are expected to need 29 % more NHS care",
        "OneBudget's fair-share estimate, not the actual allocation",
        "£107.6bn",
        "2023/24",
        "2028/29",
        ATTRIBUTION,
    ] {
        assert!(text.contains(expected), "{expected:?} not in\n{text}");
    }
}

#[test]
fn area_as_json_is_the_engines_report() {
    let json: Value = serde_json::from_str(&ok(&[
        "area", "a81001", "--year", "2024-25", "--format", "json",
    ]))
    .expect("JSON");
    let data = dataset("2024-25.bin");
    let area = Area::Practice(data.practice_by_code("A81001").unwrap());
    let report = area_report(&data, area, CORE_SERVICES_2024_25, Component::Core, &[]).unwrap();
    assert_eq!(json["year"], "2024/25");
    assert_eq!(json["code"], "A81001");
    assert_eq!(json["kind"], "practice");
    assert_eq!(
        format!("{:.3}", json["need"]["core"].as_f64().unwrap()),
        "1.285"
    );
    assert_eq!(json["fair_share"]["total"], report.fair_share.total.pence());
    assert_eq!(
        json["fair_share"]["per_person"],
        report.fair_share.per_person.unwrap().pence()
    );
    assert_eq!(json["sentence"], report.sentence);
    assert_eq!(json["attribution"], ATTRIBUTION);
    assert_eq!(json["trend"]["as_published"].as_array().unwrap().len(), 6);
}

#[test]
fn area_as_csv_is_one_long_table() {
    let csv = ok(&["area", "A81001", "--year", "2024/25", "--format=csv"]);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("table,item,year,measure,value,unit"));
    assert!(csv.contains("need,core,2024/25,index_against_england,1.285,index\n"));
    assert!(csv.contains("fair_share,core,2024/25,national_total,10760000000000,pence\n"));
    assert!(csv.contains("area,A81001,2024/25,name,The Densham Surgery,\n"));
    assert!(csv.lines().all(|l| l.split(',').count() >= 6), "{csv}");
}

#[test]
fn an_area_is_found_by_name_or_asked_about_when_several_match() {
    let text = ok(&["area", "densham", "surgery"]);
    assert!(text.starts_with("THE DENSHAM SURGERY (A81001): GP practice, 2025/26"));
    let icb = ok(&["area", "NHS Bedfordshire, Luton and Milton Keynes ICB"]);
    assert!(icb.starts_with("NHS Bedfordshire, Luton and Milton Keynes ICB (QHG): ICB"));
    assert!(icb.contains("of 42 ICBs by core need"));
    assert!(icb
        .contains("is not an ICB from 2026/27: its practices went to NHS Central East ICB (T01)"));
    fails(
        &["area", "stockton"],
        1,
        &[
            "'stockton' matches 2 areas in 2025/26",
            "E06000004",
            "Stockton-on-Tees",
            "N81075",
        ],
    );
    fails(
        &["area", "nowhere at all"],
        1,
        &["no ICB, district or practice in 2025/26 matches 'nowhere at all'"],
    );
    // A practice that closed before the year asked for.
    let closed = dataset("2024-25.bin")
        .practices()
        .iter()
        .find(|p| dataset("2025-26.bin").practice_by_code(&p.code).is_none())
        .unwrap()
        .code
        .clone();
    fails(
        &["area", &closed, "--year", "2025/26"],
        1,
        &["is not in the 2025/26 data; it is in 2023/24, 2024/25: try --year 2024/25"],
    );
    fails(
        &["area", "qhg", "--year", "2026/27"],
        1,
        &["QHG (NHS Bedfordshire, Luton and Milton Keynes ICB) is not in the 2026/27 data"],
    );
    assert!(ok(&["area", &closed, "--year", "2024/25"]).contains("is not in the data from 2025/26"));
}

#[test]
fn a_merged_icb_and_the_new_one_say_what_changed() {
    let text = ok(&["area", "T01", "--year", "2026/27"]);
    assert!(text.contains("NHS Central East ICB (T01): ICB, 2026/27"));
    assert!(text.contains("of 36 ICBs by core need"));
    assert!(text
        .contains("formed from practices of NHS Bedfordshire, Luton and Milton Keynes ICB (QHG)"));
}

#[test]
fn areas_prints_every_icb_or_district() {
    let text = ok(&["areas"]);
    assert!(text.contains("Every ICB in 2025/26, highest core need first"));
    assert!(text.contains(ATTRIBUTION));
    let rows = |t: &str| {
        t.lines()
            .filter(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit()))
            .count()
    };
    assert_eq!(rows(&text), 42);
    assert_eq!(rows(&ok(&["areas", "--year", "2026/27"])), 36);
    let csv = ok(&["areas", "--by", "lad", "--format", "csv"]);
    assert_eq!(csv.lines().count(), 1 + 309);
    // Fair shares add up to the national total, to the penny.
    // The money columns are the last two (a name with a comma is quoted, so count from the end).
    let sum = |csv: &str| -> i64 {
        assert!(csv
            .lines()
            .next()
            .unwrap()
            .ends_with(",fair_share_pence,fair_share_per_person_pence"));
        csv.lines()
            .skip(1)
            .map(|l| l.rsplit(',').nth(1).unwrap().parse::<i64>().unwrap())
            .sum()
    };
    assert_eq!(sum(&csv), 10_760_000_000_000);
    let pmc = ok(&[
        "areas", "--total", "£11.2bn", "--format", "csv", "--year", "2024/25",
    ]);
    assert_eq!(sum(&pmc), 1_120_000_000_000);
    let json: Value = serde_json::from_str(&ok(&["areas", "--format", "json"])).unwrap();
    assert_eq!(json["rows"].as_array().unwrap().len(), 42);
    assert_eq!(json["rows"][0]["rank"], 1);
}

#[test]
fn wrong_command_lines_exit_2_with_the_usage() {
    fails(
        &["area"],
        2,
        &["area needs an ICB, district or practice", "Usage:"],
    );
    fails(
        &["area", "QHG", "--year", "2030/31"],
        2,
        &["--year is one of 2023/24, 2024/25"],
    );
    fails(&["area", "QHG", "--year"], 2, &["--year needs a value"]);
    fails(
        &["area", "QHG", "--total", "lots"],
        2,
        &["'lots' is not an amount of money"],
    );
    fails(
        &["area", "QHG", "--format", "xml"],
        2,
        &["--format is text, json or csv"],
    );
    fails(
        &["area", "QHG", "--by", "lad"],
        2,
        &["unknown option '--by' for area"],
    );
    fails(&["areas", "QHG"], 2, &["areas takes no operand"]);
    fails(
        &["areas", "--by", "county"],
        2,
        &["--by is icb, lad or practice"],
    );
    let help = ok(&["help"]);
    assert!(help.contains("onebudget area CODE_OR_NAME"));
    assert!(help.contains("onebudget areas [--by icb|lad]"));
    assert!(help.contains("--component C"));
    assert_eq!(ok(&["area", "--help"]), help);
}
