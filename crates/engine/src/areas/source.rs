//! Reading NHS England's published files, one CSV per year, at their full precision: the
//! step before [`super::asset::encode`]. Only the asset tool and the tests read these; the
//! app and the CLI read the asset.
//!
//! The columns differ between years (SOURCES.md); each is found by its header, whichever of
//! its names the year uses. Fields are RFC 4180 (`"…"` quotes a field, `""` inside quotes is
//! one `"`); a UTF-8 byte order mark is skipped; lines end in LF or CRLF. Numbers are plain
//! decimals (`4068.906409`), read exactly as whole units of 10⁻¹⁰ ([`SOURCE_SCALE`]), so
//! sums of them are exact.

use super::{Component, DataYear};
use std::fmt;

/// Source figures are held in units of 10⁻¹⁰ of a person (a digit past the tenth is rounded).
pub const SOURCE_SCALE: u64 = 10_000_000_000;
const SOURCE_DECIMALS: usize = 10;

/// One practice's row, as published.
#[derive(Clone, Debug, PartialEq)]
pub struct SourcePractice {
    pub code: String,
    pub name: String,
    pub postcode: String,
    pub icb_code: String,
    pub icb_name: String,
    pub lad_code: String,
    pub lad_name: String,
    /// Registered population in units of [`SOURCE_SCALE`].
    pub population: u64,
    /// Weighted populations in units of [`SOURCE_SCALE`], by [`Component::position`].
    pub weighted: [u64; 9],
}

/// One year's file, practices in the file's order.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceYear {
    pub year: DataYear,
    pub practices: Vec<SourcePractice>,
}

/// Why a file could not be read: the line (1 is the header) and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for SourceError {}

/// The identity columns, each with the names it has had.
const CODE: &[&str] = &["Practice_Code"];
const NAME: &[&str] = &["GP_Practice_Name"];
const POSTCODE: &[&str] = &["Practice_Postcode"];
const ICB_CODE: &[&str] = &["ICB", "ICS22"];
const ICB_NAME: &[&str] = &["ICBname", "ICS22name"];
const LAD_CODE: &[&str] = &["LAD", "LAD21"];
const LAD_NAME: &[&str] = &["LADname", "LTLA", "LTLA21"];
const POPULATION: &[&str] = &["Registered Patients", "Population", "pop 2022/23"];

/// Read one year's file.
pub fn read(year: DataYear, text: &str) -> Result<SourceYear, SourceError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .enumerate()
        .map(|(i, l)| (i + 1, l));
    let (_, header) = lines.next().ok_or_else(|| SourceError {
        line: 1,
        message: "the file is empty".into(),
    })?;
    let header = fields(header).map_err(|message| SourceError { line: 1, message })?;
    let column = |names: &[&str]| -> Result<usize, SourceError> {
        header
            .iter()
            .position(|h| names.contains(&h.trim()))
            .ok_or_else(|| SourceError {
                line: 1,
                message: format!("no column named {}", names.join(" or ")),
            })
    };
    let code = column(CODE)?;
    let name = column(NAME)?;
    let postcode = column(POSTCODE)?;
    let icb_code = column(ICB_CODE)?;
    let icb_name = column(ICB_NAME)?;
    let lad_code = column(LAD_CODE)?;
    let lad_name = column(LAD_NAME)?;
    let population = column(POPULATION)?;
    let mut weighted = [0usize; 9];
    for c in Component::ALL {
        weighted[c.position()] = column(c.source_columns())?;
    }
    let mut practices = Vec::new();
    for (line, text) in lines {
        if text.trim().is_empty() {
            continue;
        }
        let row = fields(text).map_err(|message| SourceError { line, message })?;
        if row.len() != header.len() {
            return Err(SourceError {
                line,
                message: format!("{} fields where the header has {}", row.len(), header.len()),
            });
        }
        let text_at = |i: usize| row[i].trim().to_string();
        let number_at = |i: usize| {
            decimal(row[i].trim()).map_err(|message| SourceError {
                line,
                message: format!("{}: {message}", header[i].trim()),
            })
        };
        let mut values = [0u64; 9];
        for c in Component::ALL {
            values[c.position()] = number_at(weighted[c.position()])?;
        }
        practices.push(SourcePractice {
            code: text_at(code),
            name: text_at(name),
            postcode: text_at(postcode),
            icb_code: text_at(icb_code),
            icb_name: text_at(icb_name),
            lad_code: text_at(lad_code),
            lad_name: text_at(lad_name),
            population: number_at(population)?,
            weighted: values,
        });
    }
    Ok(SourceYear { year, practices })
}

/// One CSV line's fields (RFC 4180 quoting).
fn fields(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(ch) = chars.next() {
        if quoted {
            if ch == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            } else {
                field.push(ch);
            }
        } else if ch == '"' && at_start {
            quoted = true;
            at_start = false;
        } else if ch == ',' {
            out.push(std::mem::take(&mut field));
            at_start = true;
        } else {
            field.push(ch);
            at_start = false;
        }
    }
    if quoted {
        return Err("a quoted field is not closed".into());
    }
    out.push(field);
    Ok(out)
}

/// A plain decimal (`4068.906409`, `12`, `0.5`) in units of [`SOURCE_SCALE`], a digit past
/// the tenth decimal rounded half up. No sign, exponent or thousands separator.
pub fn decimal(text: &str) -> Result<u64, String> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !(fraction.is_empty() || digits(fraction)) || text.ends_with('.') {
        return Err(format!("'{text}' is not a number such as 4068.906409"));
    }
    let too_large = || format!("'{text}' is too large");
    let mut value: u64 = 0;
    for b in whole.bytes() {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(b - b'0')))
            .ok_or_else(too_large)?;
    }
    value = value.checked_mul(SOURCE_SCALE).ok_or_else(too_large)?;
    let fraction = fraction.as_bytes();
    let mut unit = SOURCE_SCALE;
    for &b in fraction.iter().take(SOURCE_DECIMALS) {
        unit /= 10;
        value = value
            .checked_add(u64::from(b - b'0') * unit)
            .ok_or_else(too_large)?;
    }
    if fraction.get(SOURCE_DECIMALS).is_some_and(|&b| b >= b'5') {
        value = value.checked_add(1).ok_or_else(too_large)?;
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_read_exactly() {
        assert_eq!(decimal("4068.906409"), Ok(40_689_064_090_000));
        assert_eq!(decimal("12"), Ok(120_000_000_000));
        assert_eq!(decimal("0.0818408192"), Ok(818_408_192));
        assert_eq!(decimal("0.00000000005"), Ok(1));
        assert_eq!(decimal("0.00000000004"), Ok(0));
        for bad in ["", ".5", "5.", "-1", "1e5", "1,000", "1.2.3", " 1"] {
            assert!(decimal(bad).is_err(), "{bad}");
        }
        assert!(decimal("99999999999999999999").is_err());
    }

    #[test]
    fn fields_follow_rfc_4180() {
        assert_eq!(
            fields(r#"A89015,"FULWELL MEDICAL CENTRE,",SR6 8DZ"#).unwrap(),
            vec!["A89015", "FULWELL MEDICAL CENTRE,", "SR6 8DZ"]
        );
        assert_eq!(
            fields(r#""say ""hi""",x"#).unwrap(),
            vec![r#"say "hi""#, "x"]
        );
        assert_eq!(fields("a,,").unwrap(), vec!["a", "", ""]);
        assert!(fields(r#""open"#).is_err());
    }

    #[test]
    fn a_year_is_read_whichever_column_names_it_uses() {
        let old = "\u{feff}Practice_Code,GP_Practice_Name,Practice_Postcode,ICS22,ICS22name,LAD21,LTLA21,pop 2022/23,\
G&A WP,CS WP,MH WP,Mat WP,Health Ineq WP,Prescr WP,Final WP,Primary Medical Care WP,Final PMC WP\r\n\
A81001,The Densham Surgery,TS18 1HU,QHM,\"NHS North East, ICB\",E06000004,Stockton-on-Tees,4068.906409,1,2,3,4,5,6,5230.216323,8,9\r\n\r\n";
        let year = read(DataYear::new(2024).unwrap(), old).unwrap();
        assert_eq!(year.practices.len(), 1);
        let p = &year.practices[0];
        assert_eq!(p.icb_name, "NHS North East, ICB");
        assert_eq!(p.population, 40_689_064_090_000);
        assert_eq!(p.weighted[Component::Core.position()], 52_302_163_230_000);
        assert_eq!(
            p.weighted[Component::PrimaryMedicalCare.position()],
            90_000_000_000
        );
        assert_eq!(
            p.weighted[Component::PrimaryMedicalCareNeed.position()],
            80_000_000_000
        );
        let missing = "Practice_Code,GP_Practice_Name\nA81001,x\n";
        assert_eq!(read(DataYear::DEFAULT, missing).unwrap_err().line, 1);
        let short = old.replace(",8,9\r\n", ",8\r\n");
        assert_eq!(read(DataYear::DEFAULT, &short).unwrap_err().line, 2);
    }
}
