//! "How this was worked out": every headline figure carries its formula and
//! inputs in words, so the app can show the public exactly where a number came from.

use serde::{Deserialize, Serialize};

/// One figure with the working behind it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Working {
    /// What the figure is, in plain words: "Target allocation for Luton, 2025/26".
    pub figure: String,
    /// The figure as it is shown: "£312,456,789" or "−7.58 %".
    pub value: String,
    /// The formula in words: "envelope × Luton's weighted population ÷ all places' weighted population".
    pub formula: String,
    /// Every input the formula used, by name, with its value as shown.
    pub inputs: Vec<WorkingInput>,
}

/// A named input to a [`Working`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkingInput {
    pub name: String,
    pub value: String,
}

impl Working {
    pub fn new(
        figure: impl Into<String>,
        value: impl Into<String>,
        formula: impl Into<String>,
    ) -> Self {
        Working {
            figure: figure.into(),
            value: value.into(),
            formula: formula.into(),
            inputs: Vec::new(),
        }
    }

    /// Add an input (builder style).
    pub fn input(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.inputs.push(WorkingInput {
            name: name.into(),
            value: value.into(),
        });
        self
    }
}

/// A rate as a percentage for people: `0.0758` → `"7.58 %"`, `-0.0758` → `"−7.58 %"`.
pub fn percent(rate: f64, decimals: usize) -> String {
    let s = format!("{:.*} %", decimals, (rate * 100.0).abs());
    if rate < 0.0
        && s.trim_start_matches(['0', '.', ' ', '%'])
            .chars()
            .any(|c| c.is_ascii_digit() && c != '0')
    {
        format!("\u{2212}{s}")
    } else {
        s
    }
}

/// A count of people for people: `202256.4` → `"202,256"`.
pub fn people(count: f64) -> String {
    let rounded = count.round();
    let digits = format!("{:.0}", rounded.abs());
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    if rounded < 0.0 {
        format!("\u{2212}{grouped}")
    } else {
        grouped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_and_people_read_naturally() {
        assert_eq!(percent(-0.07576, 2), "\u{2212}7.58 %");
        assert_eq!(percent(0.048, 2), "4.80 %");
        assert_eq!(percent(-0.00001, 2), "0.00 %");
        assert_eq!(people(202_256.4), "202,256");
        assert_eq!(people(999.0), "999");
        assert_eq!(people(1_000.0), "1,000");
    }

    #[test]
    fn working_collects_inputs_in_order() {
        let w = Working::new("Budget", "£10", "rate × people")
            .input("rate", "£1")
            .input("people", "10");
        assert_eq!(w.inputs.len(), 2);
        assert_eq!(w.inputs[1].name, "people");
    }
}
