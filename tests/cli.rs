//! The `onebudget` command line, run as a person would run it: exit status, stdout and
//! stderr for good scenarios, bad ones, and wrong command lines.

use onebudget::engine::examples;
use onebudget::engine::scenario::MAX_SCENARIO_BYTES;
use serde_json::{json, Value};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

const CSV_HEADER: &str = "table,item,year,measure,value,unit";

fn onebudget(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_onebudget"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("the onebudget binary runs")
}

fn onebudget_with_stdin(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_onebudget"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the onebudget binary runs");
    let mut input = child.stdin.take().expect("stdin is piped");
    // The CLI may stop reading early (a too-large input), so a failed write is fine.
    let _ = input.write_all(stdin);
    drop(input);
    child.wait_with_output().expect("onebudget finishes")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// A scenario file in the temp directory, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(contents: &[u8]) -> TempFile {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "onebudget-cli-{}-{}.json",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::write(&path, contents).expect("temp file is written");
        TempFile(path)
    }

    fn json(value: &Value) -> TempFile {
        TempFile::new(value.to_string().as_bytes())
    }

    fn path(&self) -> &str {
        self.0.to_str().expect("temp path is UTF-8")
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn anytown() -> Value {
    let json = examples::find("anytown").expect("anytown is built in").json;
    serde_json::from_str(json).expect("anytown is JSON")
}

/// Exit 1, nothing on stdout, and every expected text somewhere on stderr.
fn assert_refused(output: &Output, expected: &[&str]) -> String {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(1), "stderr: {err}");
    assert_eq!(stdout(output), "", "nothing on stdout when refusing");
    for text in expected {
        assert!(err.contains(text), "stderr should mention {text:?}:\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn assert_usage_error(args: &[&str]) {
    let output = onebudget(args);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(stdout(&output), "", "{args:?}");
    assert!(err.starts_with("onebudget: "), "{args:?}: {err}");
    assert!(err.contains("Usage:"), "{args:?}: {err}");
}

#[test]
fn example_lists_every_built_in_with_its_title() {
    let output = onebudget(&["example"]);
    assert!(output.status.success());
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), examples::ALL.len());
    let title_column = lines[0].find(examples::ALL[0].title).expect("title shown");
    for (line, example) in lines.iter().zip(examples::ALL) {
        assert!(line.starts_with(example.name), "{line}");
        // Titles line up in one column.
        assert_eq!(line.find(example.title), Some(title_column), "{line}");
    }
}

#[test]
fn every_built_in_prints_checks_and_runs() {
    for example in examples::ALL {
        let shown = onebudget(&["example", example.name]);
        assert!(shown.status.success(), "{}", example.name);
        let scenario = example.scenario().expect("built-ins decode");
        assert_eq!(stdout(&shown), format!("{}\n", scenario.to_json()));

        let file = TempFile::new(&shown.stdout);
        let checked = onebudget(&["check", file.path()]);
        assert!(checked.status.success(), "{}", stderr(&checked));
        assert_eq!(
            stdout(&checked).trim_end(),
            format!(
                "{}: valid ({} {}, {} years)",
                file.path(),
                scenario.places.len(),
                if scenario.places.len() == 1 {
                    "place"
                } else {
                    "places"
                },
                scenario.budget.years
            )
        );

        let ran = onebudget(&["run", file.path()]);
        assert!(ran.status.success(), "{}", stderr(&ran));
        let results: Value = serde_json::from_slice(&ran.stdout).expect("results are JSON");
        let headlines = results["headlines"].as_array().expect("headlines");
        assert!(!headlines.is_empty(), "{}", example.name);
        // Exactly the engine's results, as pretty JSON, with a pool's simulation run to
        // every trial (compute() alone holds a first estimate).
        let mut computed = scenario.compute().expect("computes");
        if let Some(full) = scenario.simulate() {
            let full = full.expect("simulates");
            assert_eq!(full.trials, full.trials_requested, "{}", example.name);
            assert_eq!(
                results["pooling"]["trials"], full.trials,
                "{}",
                example.name
            );
            computed.pooling = Some(full);
        }
        let expected = serde_json::to_string_pretty(&computed).expect("results serialise");
        assert!(
            stdout(&ran) == expected + "\n",
            "{}: not the engine's results",
            example.name
        );

        // Options may come before or after FILE.
        for args in [
            ["run", file.path(), "--format", "csv"],
            ["run", "--format", "csv", file.path()],
        ] {
            let csv = onebudget(&args);
            assert!(csv.status.success(), "{}", stderr(&csv));
            let text = stdout(&csv);
            assert!(
                text.starts_with(&format!("{CSV_HEADER}\n")),
                "no BOM: {text:.60}"
            );
            assert!(text.lines().count() > 1);
        }
    }
}

#[test]
fn json_is_the_default_format_and_can_be_named() {
    let file = TempFile::json(&anytown());
    let default = onebudget(&["run", file.path()]);
    let named = onebudget(&["run", "--format=json", file.path()]);
    assert!(default.status.success() && named.status.success());
    assert_eq!(default.stdout, named.stdout);
}

#[test]
fn an_unknown_example_lists_the_valid_names() {
    let err = assert_refused(&onebudget(&["example", "nowhere"]), &["nowhere"]);
    for example in examples::ALL {
        assert!(err.contains(example.name), "{err}");
    }
}

#[test]
fn an_invalid_scenario_reports_every_problem_with_its_path() {
    let mut scenario = anytown();
    scenario["name"] = json!("");
    scenario["places"][0]["population"][0]["growth"] = json!(5.0);
    scenario["budget"]["years"] = json!(0);
    let file = TempFile::json(&scenario);
    let expected = [
        "name: must not be empty",
        "places[0].population[0].growth: ",
        "(found 5)",
        "budget.years: ",
    ];
    for command in ["check", "run"] {
        let err = assert_refused(&onebudget(&[command, file.path()]), &expected);
        // One problem per line, each `path: message (found value)`.
        assert!(err.lines().count() >= 3, "{err}");
        for line in err.lines() {
            assert!(line.contains(": ") && line.ends_with(')'), "{line}");
        }
    }
}

#[test]
fn a_pool_runs_every_trial_and_its_problems_are_named() {
    let mut scenario = anytown();
    scenario["pool"] = json!({
        "members": [
            {"name": "Small", "population": 20000, "cost_per_head": 100000, "cost_variation": 3.0},
            {"name": "Large", "population": 400000, "cost_per_head": 100000, "cost_variation": 3.0}
        ],
        "contributions": "risk_adjusted_share",
        "overspend_threshold": 0.03,
        "trials": 30000,
        "seed": 7
    });
    let file = TempFile::json(&scenario);
    let ran = onebudget(&["run", file.path()]);
    assert!(ran.status.success(), "{}", stderr(&ran));
    let results: Value = serde_json::from_slice(&ran.stdout).expect("results are JSON");
    // More trials than compute()'s first estimate: the CLI runs them all.
    assert_eq!(results["pooling"]["trials"], 30000);
    assert_eq!(results["pooling"]["members"][0]["name"], "Small");
    let csv = stdout(&onebudget(&["run", file.path(), "--format", "csv"]));
    assert!(
        csv.contains("pooling,Small,,standalone_probability_over_threshold,"),
        "{csv}"
    );

    scenario["pool"]["trials"] = json!(0);
    scenario["pool"]["members"][1]["cost_variation"] = json!(50);
    let file = TempFile::json(&scenario);
    for command in ["check", "run"] {
        assert_refused(
            &onebudget(&[command, file.path()]),
            &[
                "pool.trials: ",
                "pool.members[1].cost_variation: ",
                "(found 50)",
            ],
        );
    }
}

#[test]
fn an_unknown_field_is_named_with_its_path() {
    let mut scenario = anytown();
    scenario["places"][0]["colour"] = json!("blue");
    let file = TempFile::json(&scenario);
    assert_refused(&onebudget(&["check", file.path()]), &["places[0].colour"]);
}

#[test]
fn a_newer_schema_version_is_refused_as_newer() {
    let mut scenario = anytown();
    scenario["schema_version"] = json!(99);
    let file = TempFile::json(&scenario);
    assert_refused(
        &onebudget(&["run", file.path()]),
        &["schema_version", "newer"],
    );
}

#[test]
fn a_version_1_scenario_still_runs() {
    let version_1 = json!({
        "schema_version": 1,
        "name": "Oldtown",
        "age_bands": [
            {"label": "0–64", "cost_weight": 0.8},
            {"label": "65+", "cost_weight": 2.5}
        ],
        "place": {
            "name": "Oldtown",
            "population": [{"people": 8000}, {"people": 2000, "growth": 0.02}],
            "need_index": 1.1
        },
        "rate_per_weighted_head": 150000
    });
    let file = TempFile::json(&version_1);
    let checked = onebudget(&["check", file.path()]);
    assert!(checked.status.success(), "{}", stderr(&checked));
    assert!(stdout(&checked).contains("valid (1 place, 1 year)"));
    let ran = onebudget(&["run", file.path()]);
    assert!(ran.status.success(), "{}", stderr(&ran));
    let results: Value = serde_json::from_slice(&ran.stdout).expect("results are JSON");
    assert_eq!(results["years"], json!(["2025/26"]));
    assert!(!results["headlines"]
        .as_array()
        .expect("headlines")
        .is_empty());
}

#[test]
fn a_dash_reads_standard_input() {
    let text = anytown().to_string();
    let checked = onebudget_with_stdin(&["check", "-"], text.as_bytes());
    assert!(checked.status.success(), "{}", stderr(&checked));
    assert!(stdout(&checked).starts_with("standard input: valid"));

    let ran = onebudget_with_stdin(&["run", "-", "--format", "csv"], text.as_bytes());
    assert!(ran.status.success(), "{}", stderr(&ran));
    assert!(stdout(&ran).starts_with(CSV_HEADER));

    let bad = onebudget_with_stdin(&["run", "-"], b"{\"schema_version\": 2,");
    assert_refused(&bad, &["(scenario): is not valid JSON"]);
}

#[test]
fn unreadable_and_malformed_files_are_refused() {
    let missing =
        std::env::temp_dir().join(format!("onebudget-cli-{}-missing.json", std::process::id()));
    let missing = missing.to_str().expect("temp path is UTF-8");
    assert_refused(&onebudget(&["check", missing]), &["cannot read", missing]);

    let not_json = TempFile::new(b"name = \"Anytown\"");
    assert_refused(
        &onebudget(&["run", not_json.path()]),
        &["(scenario): is not valid JSON", "line 1"],
    );

    let not_utf8 = TempFile::new(&[b'{', 0xff, 0xfe, b'}']);
    assert_refused(&onebudget(&["check", not_utf8.path()]), &["UTF-8"]);

    let not_an_object = TempFile::new(b"[1, 2, 3]");
    assert_refused(
        &onebudget(&["check", not_an_object.path()]),
        &["(scenario)"],
    );
}

#[test]
fn amounts_too_large_to_calculate_are_refused() {
    let mut scenario = anytown();
    scenario["budget"]["rate_per_weighted_head"] = json!(i64::MAX / 2);
    let file = TempFile::json(&scenario);
    for command in ["check", "run"] {
        let err = assert_refused(&onebudget(&[command, file.path()]), &[]);
        assert!(!err.trim().is_empty());
    }
}

#[test]
fn an_amount_too_large_names_the_field_to_fix() {
    let mut scenario = anytown();
    scenario["budget"]["rate_per_weighted_head"] = json!(i64::MAX);
    let file = TempFile::json(&scenario);
    for command in ["check", "run"] {
        assert_refused(
            &onebudget(&[command, file.path()]),
            &[
                "budget.rate_per_weighted_head: ",
                "budget cannot be calculated",
            ],
        );
    }
}

#[test]
fn an_oversized_scenario_is_refused_before_reading() {
    let mut big = vec![b' '; MAX_SCENARIO_BYTES];
    big.extend_from_slice(b"{}");
    let file = TempFile::new(&big);
    let expected = ["(scenario): is too large", &MAX_SCENARIO_BYTES.to_string()];
    assert_refused(&onebudget(&["run", file.path()]), &expected);
    assert_refused(&onebudget_with_stdin(&["check", "-"], &big), &expected);
}

#[test]
fn usage_errors_exit_2_with_the_usage_on_stderr() {
    let file = TempFile::json(&anytown());
    let path = file.path();
    for args in [
        &[][..],
        &["frobnicate"],
        &["run"],
        &["check"],
        &["run", path, path],
        &["example", "anytown", "cquin"],
        &["run", "--format", "xml", path],
        &["run", path, "--format"],
        &["check", "--format", "csv", path],
        &["run", "--colour", path],
        &["--verbose"],
    ] {
        assert_usage_error(args);
    }
}

#[test]
fn help_and_version_go_to_stdout() {
    for args in [&["--help"][..], &["-h"], &["help"], &["run", "--help"]] {
        let output = onebudget(args);
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        let text = stdout(&output);
        assert!(
            text.contains("Usage:") && text.contains("onebudget run FILE"),
            "{text}"
        );
        assert_eq!(stderr(&output), "");
    }
    let version = onebudget(&["--version"]);
    assert!(version.status.success());
    assert_eq!(
        stdout(&version),
        format!("onebudget {}\n", env!("CARGO_PKG_VERSION"))
    );
}

/// `onebudget ARGS` with stdout closed by the shell (`>&-`), as a person's script may do.
#[cfg(unix)]
fn onebudget_with_stdout_closed(args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg("exec \"$0\" \"$@\" >&-")
        .arg(env!("CARGO_BIN_EXE_onebudget"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("sh runs onebudget")
}

#[test]
#[cfg(target_os = "linux")]
fn output_that_cannot_be_written_is_an_error() {
    let file = TempFile::json(&anytown());
    for args in [
        &["run", file.path()][..],
        &["check", file.path()],
        &["--help"],
    ] {
        let closed = onebudget_with_stdout_closed(args);
        let err = stderr(&closed);
        assert_eq!(closed.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains("cannot write the output: standard output is closed"),
            "{args:?}: {err}"
        );
    }
    // A full disk.
    let full = Command::new(env!("CARGO_BIN_EXE_onebudget"))
        .args(["run", file.path()])
        .stdout(std::fs::File::create("/dev/full").expect("/dev/full opens"))
        .output()
        .expect("the onebudget binary runs");
    let err = stderr(&full);
    assert_eq!(full.status.code(), Some(1), "{err}");
    assert!(err.contains("cannot write the output"), "{err}");
    // Sent to /dev/null on purpose, the output is written, and that is success.
    let null = Command::new(env!("CARGO_BIN_EXE_onebudget"))
        .args(["run", file.path()])
        .stdout(std::fs::File::create("/dev/null").expect("/dev/null opens"))
        .output()
        .expect("the onebudget binary runs");
    assert!(null.status.success(), "{}", stderr(&null));
}

#[test]
fn terminal_control_codes_are_never_echoed() {
    // Each echoes a path, a name or an argument with escape codes that would retitle the
    // terminal, clear it, or wipe the error line so that it reads "valid".
    let scenario = TempFile::json(&anytown());
    let mut bad = anytown();
    bad["places"][0]["name"] = json!("\u{1b}[2KValid\u{202e}");
    let bad = TempFile::json(&bad);
    let missing = "\u{1b}]0;pwned\u{7}.json";
    for (args, status) in [
        (&["check", missing][..], 1),
        (&["example", "\u{1b}[2J"], 1),
        (&["fr\u{1b}[2Job"], 2),
        (&["run", "--format", "\u{1b}[2J", scenario.path()], 2),
        (&["compare", scenario.path(), "x\u{1b}[2K\u{9b}.json"], 1),
        (&["area", "\u{1b}[2Jzz"], 1),
        (&["check", bad.path()], 1),
    ] {
        let output = onebudget(args);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(status), "{args:?}: {err}");
        assert!(
            !err.contains(['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}']),
            "{args:?}: {err:?}"
        );
        assert!(err.contains("<U+001B>"), "{args:?}: {err:?}");
    }
    // On stdout too: `check` names its file.
    let dir = std::env::temp_dir().join(format!("onebudget-cli-{}-\u{1b}[2J", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("a.json");
    std::fs::write(&file, anytown().to_string()).expect("written");
    let output = onebudget(&["check", file.to_str().expect("UTF-8")]);
    let _ = std::fs::remove_dir_all(&dir);
    let out = stdout(&output);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        !out.contains('\u{1b}') && out.contains("<U+001B>[2J"),
        "{out:?}"
    );
}

#[test]
fn names_with_invisible_or_control_characters_are_refused_beside_their_field() {
    // The cases: U+202E reorders every text the name is shown in; a zero-width space
    // makes no new name; a NUL would go raw into the CSV.
    let mut reversed = anytown();
    reversed["places"][0]["name"] = json!("Anytown\u{202E}");
    let mut twins = anytown();
    let mut twin = twins["places"][0].clone();
    twins["places"][0]["name"] = json!("Bedfordshire CCG");
    twin["name"] = json!("Bedfordshire\u{200B} CCG");
    twins["places"].as_array_mut().expect("places").push(twin);
    let mut nul = anytown();
    nul["budget"]["service_lines"][0]["name"] = json!("All\u{0}services");
    for (scenario, expected) in [
        (reversed, &["places[0].name", "Anytown<U+202E>"][..]),
        (twins, &["places[1].name", "Bedfordshire<U+200B> CCG"]),
        (
            nul,
            &["budget.service_lines[0].name", "All<U+0000>services"],
        ),
    ] {
        let file = TempFile::json(&scenario);
        let err = assert_refused(
            &onebudget(&["run", file.path(), "--format", "csv"]),
            expected,
        );
        assert!(!err.contains(['\u{0}', '\u{200B}', '\u{202E}']), "{err:?}");
    }
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    // Like `onebudget run FILE | head -1`: the pipe closes before the output is written.
    let file = TempFile::new(
        examples::find("healthier-together")
            .expect("built in")
            .json
            .as_bytes(),
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_onebudget"))
        .args(["run", file.path()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the onebudget binary runs");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("onebudget finishes");
    let err = stderr(&output);
    assert!(output.status.success(), "{:?}: {err}", output.status);
    assert_eq!(err, "", "quiet on a closed pipe");
}

#[test]
fn compare_prints_each_figure_and_its_difference_from_the_first_file() {
    let mut option = anytown();
    option["name"] = json!("Anytown, option B");
    option["budget"]["rate_per_weighted_head"] = json!(183_200);
    let baseline = TempFile::json(&anytown());
    let option_file = TempFile::json(&option);
    let output = onebudget(&["compare", baseline.path(), option_file.path()]);
    let text = stdout(&output);
    assert!(output.status.success(), "{}", stderr(&output));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "figure,scenario,value,unit,per_person_pence,difference,difference_per_person_pence"
    );
    // The difference is the two scenarios' own results, subtracted.
    let first_year = |value: &Value| {
        let file = TempFile::json(value);
        let run = onebudget(&["run", file.path()]);
        let results: Value = serde_json::from_str(&stdout(&run)).expect("results are JSON");
        results["totals"][0]["budget"].as_i64().expect("pence")
    };
    let (a, b) = (first_year(&anytown()), first_year(&option));
    assert!(b > a);
    let row = lines
        .iter()
        .find(|l| l.starts_with("first_year_budget,\"Anytown, option B\","))
        .unwrap_or_else(|| panic!("{text}"));
    let fields: Vec<&str> = row.rsplitn(3, ',').collect();
    assert_eq!(fields[1], (b - a).to_string(), "{row}");
    let name = anytown()["name"].as_str().expect("a name").to_string();
    assert!(
        text.contains(&format!("first_year_budget,\"{name}\",{a},pence,")),
        "{text}"
    );
}

#[test]
fn compare_and_run_write_formulas_in_names_as_text() {
    let mut scenario = anytown();
    scenario["name"] = json!("=HYPERLINK(\"http://example.com\",\"Anytown\")");
    scenario["places"][0]["name"] = json!("@SUM(A1)");
    let file = TempFile::json(&scenario);
    let plain = TempFile::json(&anytown());
    let compared = onebudget(&["compare", plain.path(), file.path()]);
    let run = onebudget(&["run", file.path(), "--format", "csv"]);
    for (output, defused) in [(&compared, ",\"'=HYPERLINK("), (&run, ",'@SUM(A1),")] {
        let csv = stdout(output);
        assert!(output.status.success(), "{}", stderr(output));
        assert!(csv.contains(defused), "{csv}");
        assert!(
            !csv.contains(",=") && !csv.contains(",\"=") && !csv.contains(",@"),
            "{csv}"
        );
    }
}

#[test]
fn compare_needs_two_to_four_files_and_names_the_bad_one() {
    let good = TempFile::json(&anytown());
    assert_usage_error(&["compare", good.path()]);
    assert_usage_error(&[
        "compare",
        good.path(),
        good.path(),
        good.path(),
        good.path(),
        good.path(),
    ]);
    let mut bad = anytown();
    bad["budget"]["years"] = json!(0);
    let bad = TempFile::json(&bad);
    let output = onebudget(&["compare", good.path(), bad.path()]);
    assert_refused(&output, &[bad.path(), "budget.years"]);
}
