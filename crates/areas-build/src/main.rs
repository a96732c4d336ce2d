//! `onebudget-areas-build [REPOSITORY]`: (re)make static/areas/*.bin and their list from
//! NHS England's files, and print what each year holds. Run by `bash scripts/areas.sh`.

use onebudget_areas_build::build;
use onebudget_engine::areas::Component;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let root = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from("."), PathBuf::from);
    let (outputs, summaries) = match build(&root) {
        Ok(built) => built,
        Err(message) => {
            eprintln!("onebudget-areas-build: {message}");
            return ExitCode::FAILURE;
        }
    };
    for output in &outputs {
        let path = root.join(&output.path);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, &output.bytes));
        if let Err(e) = written {
            eprintln!(
                "onebudget-areas-build: cannot write {}: {e}",
                path.display()
            );
            return ExitCode::FAILURE;
        }
    }
    let mut report = String::new();
    report.push_str("year     practices  ICBs  LADs      bytes  rounded the other way: populations; indices (worst index difference)  England's totals, asset − source (people)\n");
    for s in &summaries {
        let e = &s.encoded;
        let indices: usize = e.indices_rounded_other_way.iter().sum();
        let worst = Component::ALL
            .iter()
            .map(|c| e.weighted_total_difference[c.position()].abs())
            .fold(0.0, f64::max);
        report.push_str(&format!(
            "{}  {:>9}  {:>4}  {:>4}  {:>9}  {:>6}; {:>5} of {:>6} ({:.6})                             population {:+.4}, weighted at most ±{:.4}\n",
            s.year.label(),
            s.practices,
            s.icbs,
            s.lads,
            e.bytes.len(),
            e.populations_rounded_other_way,
            indices,
            s.practices * Component::ALL.len(),
            e.worst_index_difference,
            e.population_total_difference,
            worst,
        ));
    }
    for output in &outputs {
        report.push_str(&format!("wrote {}\n", output.path.display()));
    }
    // A reader that stops early (`| head`) is not an error.
    let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), report.as_bytes());
    ExitCode::SUCCESS
}
