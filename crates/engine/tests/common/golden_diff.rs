// Shared by crates/engine/tests/golden_results.rs (native) and tests/browser.rs (wasm), via
// include!, so both report a golden file that differs the same way: every differing file,
// each with the lines that differ.

/// The lines of `got` that differ from `want`, as a diff with line numbers (`-` the golden
/// file, `+` now), at most `limit` lines of it; empty when the texts are equal.
pub fn golden_diff(want: &str, got: &str, limit: usize) -> String {
    if want == got {
        return String::new();
    }
    let want: Vec<&str> = want.lines().collect();
    let got: Vec<&str> = got.lines().collect();
    let mut out = Vec::new();
    if want.len() == got.len() {
        // The same shape (the usual case: figures changed): line by line.
        for (i, (w, g)) in want.iter().zip(&got).enumerate() {
            if w != g {
                out.push(format!("line {}:", i + 1));
                out.push(format!("-{w}"));
                out.push(format!("+{g}"));
            }
        }
    } else {
        // A different shape: everything between the common start and the common end.
        let start = want.iter().zip(&got).take_while(|(w, g)| w == g).count();
        let end = want[start..]
            .iter()
            .rev()
            .zip(got[start..].iter().rev())
            .take_while(|(w, g)| w == g)
            .count();
        let span = |last: usize| match last {
            l if l < start + 1 => format!("nothing after line {start}"),
            l if l == start + 1 => format!("line {l}"),
            l => format!("lines {} to {l}", start + 1),
        };
        out.push(format!(
            "the golden file's {}, now {}:",
            span(want.len() - end),
            span(got.len() - end)
        ));
        out.extend(want[start..want.len() - end].iter().map(|l| format!("-{l}")));
        out.extend(got[start..got.len() - end].iter().map(|l| format!("+{l}")));
    }
    if out.len() > limit {
        let more = out.len() - limit;
        out.truncate(limit);
        out.push(format!("… and {more} more lines of diff"));
    }
    out.join("\n")
}
