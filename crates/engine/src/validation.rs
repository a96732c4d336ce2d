//! Problems with a scenario, each naming the field, the value and what is allowed.
//!
//! Validation never stops at the first problem: every part of the scenario adds
//! all of its problems to one list, so an analyst sees everything to fix at once.

use serde::{Deserialize, Serialize};
use std::fmt;

/// One thing wrong with the input.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// Where, as a field path: `places[2].population[0]`.
    pub path: String,
    /// The value found, as text (`"-5"`, `"missing"`).
    pub value: String,
    /// What is wrong and what is allowed: "must be 0 or more".
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} (found {})", self.path, self.message, self.value)
    }
}

impl Problem {
    pub fn new(
        path: impl Into<String>,
        value: impl fmt::Display,
        message: impl Into<String>,
    ) -> Self {
        Problem {
            path: path.into(),
            value: value.to_string(),
            message: message.into(),
        }
    }
}

/// Collects problems under a path prefix.
#[derive(Debug, Default)]
pub struct Problems {
    pub list: Vec<Problem>,
}

impl Problems {
    pub fn new() -> Self {
        Problems::default()
    }

    pub fn push(
        &mut self,
        path: impl Into<String>,
        value: impl fmt::Display,
        message: impl Into<String>,
    ) {
        self.list.push(Problem::new(path, value, message));
    }

    /// A finite number in `[min, max]`; the message states the allowed range.
    pub fn number_in(&mut self, path: &str, value: f64, min: f64, max: f64) {
        if !value.is_finite() || value < min || value > max {
            self.push(path, value, format!("must be a number from {min} to {max}"));
        }
    }

    /// A finite fraction in `[0, 1]`, described to people as a percentage.
    pub fn fraction(&mut self, path: &str, value: f64) {
        if !value.is_finite() || !(0.0..=1.0).contains(&value) {
            self.push(path, value, "must be a fraction from 0 to 1 (0 % to 100 %)");
        }
    }

    /// A finite number of 0 or more.
    pub fn non_negative(&mut self, path: &str, value: f64) {
        if !value.is_finite() || value < 0.0 {
            self.push(path, value, "must be 0 or more");
        }
    }

    /// Text that is not blank.
    pub fn not_blank(&mut self, path: &str, value: &str) {
        if value.trim().is_empty() {
            self.push(path, "\"\"", "must not be empty");
        }
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn into_vec(self) -> Vec<Problem> {
        self.list
    }
}

/// Fractions that should add to one, allowing for how they were typed (to 1e-6).
pub fn sums_to_one(values: impl IntoIterator<Item = f64>) -> bool {
    let total: f64 = values.into_iter().sum();
    (total - 1.0).abs() <= 1e-6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_name_what_is_allowed() {
        let mut p = Problems::new();
        p.fraction("a", 1.5);
        p.fraction("b", 0.5);
        p.non_negative("c", -1.0);
        p.number_in("d", f64::NAN, 0.5, 2.0);
        p.not_blank("e", "  ");
        let list = p.into_vec();
        assert_eq!(list.len(), 4);
        assert_eq!(list[0].path, "a");
        assert!(list[0].message.contains("0 to 1"));
        assert_eq!(list[1].path, "c");
        assert_eq!(
            list[2].to_string(),
            "d: must be a number from 0.5 to 2 (found NaN)"
        );
    }

    #[test]
    fn sums_to_one_allows_typing_noise() {
        assert!(sums_to_one([0.1, 0.2, 0.7]));
        assert!(!sums_to_one([0.1, 0.2]));
    }
}
