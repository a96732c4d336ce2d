//! The `onebudget` command line: a thin shell over the engine.
//!
//! It reads a scenario, hands it to `onebudget_engine`, and prints what comes back.
//! No calculation happens here. Exit status: 0 done, 1 the input has problems (all of
//! them on stderr, one per line, each field by its label and path, nothing on stdout) or
//! the output cannot be written, 2 the command line itself is wrong.

use onebudget_engine::comparison::{compare, comparison_csv, MAX_SCENARIOS, MIN_SCENARIOS};
use onebudget_engine::examples;
use onebudget_engine::inputs;
use onebudget_engine::names;
use onebudget_engine::scenario::{self, CalcError, ValidScenario, MAX_SCENARIO_BYTES};
use onebudget_engine::validation::Problem;
use serde_json::Value;
use std::ffi::OsString;
use std::fmt;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

// `onebudget area` and `onebudget areas` (real areas from NHS England's data).
#[path = "onebudget/areas.rs"]
mod areas;

const USAGE: &str = "\
onebudget: capitated budgets, fair shares, outcome payments and risk sharing

Usage:
  onebudget example                 list the built-in scenarios
  onebudget example NAME            print a built-in scenario as JSON
  onebudget check FILE              check a scenario: every problem, or that it is valid
  onebudget run FILE [--format F]   compute a scenario and print its results
                                    F is json (the default) or csv
  onebudget compare FILE FILE...    two to four scenarios' headline figures side by side,
                                    with differences from the first, as CSV
  onebudget area CODE_OR_NAME [--year Y] [--total T] [--component C] [--format F]
                                    real figures for one ICB, local authority district or
                                    GP practice: population, need, rank, fair share, trend
  onebudget areas [--by icb|lad] [--year Y] [--total T] [--component C] [--format F]
                                    every ICB's (or district's) figures, highest need first
                                    (Y: 2023/24 to 2028/29, default 2025/26; T: the national
                                    total to share, default £107.6bn; C: the component whose
                                    weighted population shares it, default core;
                                    F: text, json or csv)
  onebudget help                    print this help (also --help, -h)
  onebudget --version               print the version

FILE is a scenario in JSON, or - to read standard input.
Exit status: 0 done; 1 the scenario cannot be read or has problems (each printed on
stderr as `label — path: message (found value)`), or the output cannot be written
(stdout closed, disk full); 2 the command line is wrong.
";

/// What was asked for on the command line.
#[derive(Debug, PartialEq)]
enum Command {
    Help,
    Version,
    ListExamples,
    ShowExample(String),
    Check(Input),
    Run(Input, Format),
    /// Two to four scenarios, the first the baseline.
    Compare(Vec<Input>),
    /// `area` or `areas`: real areas (src/bin/onebudget/areas.rs).
    Areas(areas::Request),
}

/// Where a scenario comes from.
#[derive(Debug, PartialEq)]
enum Input {
    Stdin,
    File(PathBuf),
}

impl fmt::Display for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Input::Stdin => write!(f, "standard input"),
            // Shown safely: a path is echoed on stdout too (`check`'s "valid").
            Input::File(path) => write!(f, "{}", names::shown(&path.to_string_lossy())),
        }
    }
}

#[derive(Debug, PartialEq, Clone, Copy)]
enum Format {
    Json,
    Csv,
}

impl Format {
    fn parse(value: &str) -> Result<Format, String> {
        match value {
            "json" => Ok(Format::Json),
            "csv" => Ok(Format::Csv),
            other => Err(format!("--format is json or csv, not '{other}'")),
        }
    }
}

/// What a command prints on stdout.
type Output = String;

/// Why a command failed: the lines to print on stderr (exit status 1).
#[derive(Debug)]
struct Failure(Vec<String>);

impl Failure {
    /// Every problem, one a line, each field named by its path and by its label from the
    /// engine's registry of inputs, in the scenario's own names (`scenario` is the file as
    /// JSON, if it is JSON).
    fn problems(problems: &[Problem], scenario: &Value) -> Self {
        Failure(
            problems
                .iter()
                .map(|p| match inputs::find(&p.path) {
                    Some(_) => format!("{} — {p}", inputs::label_in(&p.path, scenario)),
                    None => p.to_string(),
                })
                .collect(),
        )
    }
}

impl From<Problem> for Failure {
    fn from(problem: Problem) -> Self {
        Failure(vec![problem.to_string()])
    }
}

impl From<CalcError> for Failure {
    fn from(error: CalcError) -> Self {
        Failure(vec![error.to_string()])
    }
}

/// Read the command line. `Err` is a usage error, to print above the usage text.
fn parse(args: &[OsString]) -> Result<Command, String> {
    let Some((command, rest)) = args.split_first() else {
        return Err("no command given".into());
    };
    let command = match command.to_str() {
        Some("help" | "--help" | "-h") => return Ok(Command::Help),
        Some("--version") => return Ok(Command::Version),
        Some(c @ ("area" | "areas")) => {
            return areas::parse(c, rest).map(|r| r.map_or(Command::Help, Command::Areas))
        }
        Some(c @ ("example" | "check" | "run" | "compare")) => c,
        _ => return Err(format!("unknown command '{}'", command.to_string_lossy())),
    };
    let mut operands: Vec<&OsString> = Vec::new();
    let mut format = None;
    let mut only_operands = false;
    let mut rest = rest.iter();
    while let Some(arg) = rest.next() {
        match arg.to_str() {
            _ if only_operands => operands.push(arg),
            Some("--") => only_operands = true,
            Some("--help" | "-h") => return Ok(Command::Help),
            Some("--format") => {
                let value = rest.next().ok_or("--format needs a value: json or csv")?;
                format = Some(Format::parse(&value.to_string_lossy())?);
            }
            Some(s) if s.starts_with("--format=") => {
                format = Some(Format::parse(&s["--format=".len()..])?);
            }
            Some(s) if s.starts_with('-') && s != "-" => {
                return Err(format!("unknown option '{s}'"))
            }
            _ => operands.push(arg),
        }
    }
    if format.is_some() && command != "run" {
        return Err(format!("--format is for run, not {command}"));
    }
    let input = |file: &OsString| {
        if file == "-" {
            Input::Stdin
        } else {
            Input::File(PathBuf::from(file))
        }
    };
    match (command, operands.as_slice()) {
        ("example", []) => Ok(Command::ListExamples),
        ("example", [name]) => Ok(Command::ShowExample(name.to_string_lossy().into_owned())),
        ("example", _) => Err("example takes at most one NAME".into()),
        ("check", [file]) => Ok(Command::Check(input(file))),
        ("run", [file]) => Ok(Command::Run(input(file), format.unwrap_or(Format::Json))),
        ("compare", files) if (MIN_SCENARIOS..=MAX_SCENARIOS).contains(&files.len()) => {
            Ok(Command::Compare(files.iter().map(|f| input(f)).collect()))
        }
        ("compare", _) => Err(format!(
            "compare takes from {MIN_SCENARIOS} to {MAX_SCENARIOS} FILEs, the first the baseline"
        )),
        (_, []) => Err(format!("{command} needs a FILE (or - for standard input)")),
        (_, _) => Err(format!("{command} takes one FILE")),
    }
}

/// Do what was asked.
fn run(command: Command) -> Result<Output, Failure> {
    match command {
        Command::Help => Ok(USAGE.to_string()),
        Command::Version => Ok(format!("onebudget {}\n", env!("CARGO_PKG_VERSION"))),
        Command::ListExamples => {
            let width = examples::ALL
                .iter()
                .map(|e| e.name.len())
                .max()
                .unwrap_or(0);
            Ok(examples::ALL
                .iter()
                .map(|e| format!("{:width$}  {}\n", e.name, e.title))
                .collect())
        }
        Command::ShowExample(name) => {
            let example = examples::find(&name).ok_or_else(|| {
                let names: Vec<&str> = examples::ALL.iter().map(|e| e.name).collect();
                Failure(vec![format!(
                    "onebudget: there is no built-in scenario called '{name}'; the built-ins are: {}",
                    names.join(", ")
                )])
            })?;
            let scenario = example
                .scenario()
                .map_err(|p| Failure::problems(&p, &Value::Null))?;
            Ok(format!("{}\n", scenario.to_json()))
        }
        Command::Check(input) => {
            let scenario = read_scenario(&input)?;
            // Computing too means "valid" promises that `run` will succeed.
            scenario.compute()?;
            let places = scenario.places.len();
            let years = scenario.horizon();
            Ok(format!(
                "{input}: valid ({places} {}, {years} {})\n",
                if places == 1 { "place" } else { "places" },
                if years == 1 { "year" } else { "years" },
            ))
        }
        Command::Run(input, format) => {
            let scenario = read_scenario(&input)?;
            let results = full_results(&scenario)?;
            match format {
                Format::Csv => Ok(scenario::results_csv(&results)),
                Format::Json => serde_json::to_string_pretty(&results)
                    .map(|json| json + "\n")
                    .map_err(|e| {
                        Failure(vec![format!("onebudget: cannot write the results: {e}")])
                    }),
            }
        }
        Command::Areas(request) => areas::run(request).map_err(Failure),
        Command::Compare(inputs) => {
            if inputs.iter().filter(|i| **i == Input::Stdin).count() > 1 {
                return Err(Failure(vec![
                    "onebudget: standard input (-) can be only one of the files compared".into(),
                ]));
            }
            let mut computed = Vec::with_capacity(inputs.len());
            for input in &inputs {
                // Each file's problems are named by its file.
                let scenario = read_scenario(input).map_err(|f| {
                    Failure(
                        f.0.into_iter()
                            .map(|line| format!("{input}: {line}"))
                            .collect(),
                    )
                })?;
                let results = full_results(&scenario)?;
                computed.push((scenario.name.clone(), results));
            }
            let entries: Vec<(&str, &scenario::Results)> =
                computed.iter().map(|(n, r)| (n.as_str(), r)).collect();
            compare(&entries)
                .map(|c| comparison_csv(&c))
                .map_err(|e| Failure(vec![format!("onebudget: {e}")]))
        }
    }
}

/// A scenario's results with every trial of its pool simulated: `compute` holds only a
/// first estimate of a pool's simulation.
fn full_results(scenario: &ValidScenario) -> Result<scenario::Results, Failure> {
    let mut results = scenario.compute()?;
    if let Some(full) = scenario.simulate() {
        results.pooling = Some(full?);
    }
    Ok(results)
}

fn read_scenario(input: &Input) -> Result<ValidScenario, Failure> {
    let text = read_text(input)?;
    scenario::decode(&text).map_err(|problems| {
        let json = serde_json::from_str(text.trim_start_matches('\u{feff}')).unwrap_or(Value::Null);
        Failure::problems(&problems, &json)
    })
}

/// The scenario's text, never reading more than one byte past the size limit.
fn read_text(input: &Input) -> Result<String, Failure> {
    let limit = MAX_SCENARIO_BYTES as u64;
    let cannot_read = |e: io::Error| Failure(vec![format!("onebudget: cannot read {input}: {e}")]);
    let too_large = |size: String| {
        Failure::from(Problem::new(
            "(scenario)",
            size,
            format!("is too large: a scenario may be at most {MAX_SCENARIO_BYTES} bytes"),
        ))
    };
    let mut bytes = Vec::new();
    match input {
        Input::Stdin => io::stdin().lock().take(limit + 1).read_to_end(&mut bytes),
        Input::File(path) => {
            let file = File::open(path).map_err(cannot_read)?;
            // Refuse a large file before reading any of it.
            if let Ok(size) = file.metadata().map(|m| m.len()) {
                if size > limit {
                    return Err(too_large(format!("{size} bytes")));
                }
            }
            file.take(limit + 1).read_to_end(&mut bytes)
        }
    }
    .map_err(cannot_read)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(format!("more than {MAX_SCENARIO_BYTES} bytes")));
    }
    // The app refuses such a file with the same words (scenario::file_text); a byte order
    // mark, if any, is the engine's to skip (scenario::decode).
    scenario::file_text(bytes).map_err(Failure::from)
}

/// Print lines to stderr, each with its control, invisible and direction-changing
/// characters written as `<U+001B>` (`names::shown`): a name, a path or an argument echoed
/// in a message cannot move the cursor, retitle or clear the terminal, or start a line of
/// its own. If even stderr is gone there is nobody left to tell.
fn print_error<S: AsRef<str>>(lines: impl IntoIterator<Item = S>) {
    let mut err = io::stderr().lock();
    for line in lines {
        let _ = writeln!(err, "{}", names::shown(line.as_ref()));
    }
}

/// Print to stdout. Output that cannot be written (stdout closed, a full disk) is an
/// error, exit status 1; a reader that stops early (`| head`) is not, and is quiet, as the
/// reader chose to stop.
fn print_output(text: &str) -> ExitCode {
    let mut out = io::stdout().lock();
    let written = if stdout_was_closed() {
        Err(io::Error::other(
            "standard output is closed, so nothing was written",
        ))
    } else {
        out.write_all(text.as_bytes()).and_then(|()| out.flush())
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            print_error([format!("onebudget: cannot write the output: {e}")]);
            ExitCode::FAILURE
        }
    }
}

/// Was the program started with stdout closed (`onebudget run x.json >&-`)? Rust's runtime
/// opens a closed standard stream on `/dev/null`, read-write, before `main`, so writes to it
/// "succeed"; a shell's `>/dev/null` opens it write-only. Linux tells us both through
/// /proc; elsewhere this cannot be told, and a closed stdout writes nowhere.
fn stdout_was_closed() -> bool {
    let on_null =
        std::fs::read_link("/proc/self/fd/1").is_ok_and(|p| p == std::path::Path::new("/dev/null"));
    let read_write = || {
        let info = std::fs::read_to_string("/proc/self/fdinfo/1").unwrap_or_default();
        info.lines()
            .find_map(|l| l.strip_prefix("flags:"))
            .and_then(|flags| u32::from_str_radix(flags.trim(), 8).ok())
            .is_some_and(|flags| flags & 0o3 == 0o2) // O_ACCMODE is O_RDWR
    };
    on_null && read_write()
}

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let command = match parse(&args) {
        Ok(command) => command,
        Err(message) => {
            let message = format!("onebudget: {message}");
            print_error([message.as_str(), ""].into_iter().chain(USAGE.lines()));
            return ExitCode::from(2);
        }
    };
    match run(command) {
        Ok(text) => print_output(&text),
        Err(Failure(lines)) => {
            print_error(lines);
            ExitCode::FAILURE
        }
    }
}
