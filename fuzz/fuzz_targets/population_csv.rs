//! Fuzz the population CSV importer: any text must parse into accepted and rejected rows
//! (every line accounted for once) or give problems, never a panic; applying it to the
//! default scenario's age bands never loses a row.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onebudget_engine::{examples, population_csv};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match population_csv::parse(&text) {
        Err(problems) => assert!(problems.iter().all(|p| !p.message.trim().is_empty())),
        Ok(mut import) => {
            let rows = import.rows.len() + import.rejected.len();
            let bands = examples::default_scenario().age_bands;
            match population_csv::apply(&mut import, &bands) {
                Ok(population) => {
                    assert_eq!(population.len(), bands.len());
                    // Rows for bands the scenario lacks move to `rejected`; none vanish.
                    assert_eq!(import.rows.len() + import.rejected.len(), rows);
                }
                Err(problems) => assert!(!problems.is_empty()),
            }
        }
    }
});
