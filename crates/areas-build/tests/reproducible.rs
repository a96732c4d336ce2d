//! The committed assets and their list are exactly what the tool makes from the committed
//! CSVs: regenerating gives the same bytes, so a fresh clone needs nothing else, and a
//! change to the format or the data that was not regenerated fails here.

use onebudget_areas_build::{build, integrity};
use std::path::PathBuf;

#[test]
fn regenerating_from_the_csvs_gives_the_committed_bytes() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let (outputs, summaries) = build(&root).expect("the tool builds every year");
    assert_eq!(summaries.len(), 6);
    assert_eq!(outputs.len(), 7, "six assets and their list");
    for output in &outputs {
        let committed = std::fs::read(root.join(&output.path))
            .unwrap_or_else(|e| panic!("{} is committed: {e}", output.path.display()));
        assert!(
            committed == output.bytes,
            "{} differs from what `bash scripts/areas.sh` makes: run it and commit the result",
            output.path.display()
        );
    }
    // The list's SRI strings are the assets' SHA-384s.
    let list = String::from_utf8(outputs.last().unwrap().bytes.clone()).unwrap();
    for output in &outputs[..6] {
        assert!(
            list.contains(&integrity(&output.bytes)),
            "{}",
            output.path.display()
        );
    }
}
