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
    println!("year     practices  ICBs  LADs      bytes  rounded other way (population; indices)  England's totals, asset − source (people)");
    for s in &summaries {
        let e = &s.encoded;
        let indices: usize = e.indices_rounded_other_way.iter().sum();
        let worst = Component::ALL
            .iter()
            .map(|c| e.weighted_total_difference[c.position()].abs())
            .fold(0.0, f64::max);
        println!(
            "{}  {:>9}  {:>4}  {:>4}  {:>9}  {:>6}; {:>5} of {:>6}                  population {:+.4}, weighted at most ±{:.4}",
            s.year.label(),
            s.practices,
            s.icbs,
            s.lads,
            e.bytes.len(),
            e.populations_rounded_other_way,
            indices,
            s.practices * Component::ALL.len(),
            e.population_total_difference,
            worst,
        );
    }
    for output in &outputs {
        println!("wrote {}", output.path.display());
    }
    ExitCode::SUCCESS
}
