//! A place's population by age band, imported from CSV: what analysts export from ONS
//! mid-year estimates or a spreadsheet.
//!
//! ## What is read
//!
//! A header row naming the columns, then one row per age band:
//!
//! ```text
//! age_band,people,growth,female,male
//! 0–4,6000,-0.5%,2900,3100
//! "85+","2,000",0.03,,
//! ```
//!
//! - **Columns**, in any order, matched after trimming, ignoring case and treating spaces and
//!   hyphens as `_`: the band (`age_band`, `band`, `age`, `age_group`), people (`people`,
//!   `population`, `persons`, `all_persons`, `count`), and optionally `growth` (`annual_growth`,
//!   `growth_rate`), `female` (`females`) and `male` (`males`). Other columns (codes, names) are
//!   ignored. A column named twice is refused.
//! - **The header** is the first non-blank line naming a band and a people column. Lines
//!   before it (an ONS title, a source note) are set aside as rejected rows, so nothing is
//!   silently dropped; it must be among the first 20 non-blank lines.
//! - **Separator**: comma, semicolon or tab, whichever the header uses most (outside quotes;
//!   a tie goes to the comma). In a semicolon-separated file the decimal mark is a comma
//!   (`0,012`) and `.` may group thousands (`25.800`), as in the locales that write them.
//! - **Fields** are RFC 4180: `"…"` quotes a field and `""` inside quotes is one `"`. Spaces
//!   around fields are trimmed. A field cannot run over several lines: an unclosed quote
//!   rejects its line, so every line is accounted for on its own.
//! - A UTF-8 byte order mark is skipped; lines end in CRLF, LF or CR; blank lines (or lines
//!   of empty fields, as spreadsheets write) are skipped. Missing cells at the end of a row
//!   count as empty; extra non-empty cells reject the row (usually an unquoted `25,800`).
//! - **people**, `female`, `male`: whole numbers, 0 or more. Thousands separators (`,`, a
//!   space, or `.` in a semicolon file) are accepted in groups of three (`"25,800"`).
//! - **growth**: the annual rate, from −0.2 to 0.2 (−20 % to 20 %, as the scenario allows).
//!   Written as a fraction (`0.012`) or as a percentage with `%` (`1.2%` is 0.012; `−` and `-`
//!   both mean minus). Empty means 0 (no growth), as in the scenario format.
//! - `female` and `male`: both or neither; when given they must add up to `people`.
//!
//! Every line is accounted for exactly once: the header, a blank line, a row read
//! ([`PopulationImport::rows`]) or a row set aside with its reason
//! ([`PopulationImport::rejected`]). Property-tested on arbitrary text.
//!
//! ## Matching the scenario's bands
//!
//! [`apply`] matches rows to the scenario's age bands **by label**: an exact match first,
//! then by [`band_key`], which ignores case and surrounding spaces and treats `-`, `–`, `—`
//! and ` to ` as the same separator (so `0-4`, `0–4` and `0 to 4` match), and also reads
//! ONS's wording (`Aged 5 to 9 years` is `5–9`, `85 and over` and `85 plus` are `85+`).
//! Bands missing from the file and bands given twice are problems; rows for bands the
//! scenario does not have (an "All ages" total, say) are set aside as rejected rows.
//!
//! ## Limits
//!
//! At most [`MAX_CSV_BYTES`] of text and [`MAX_CSV_LINES`] lines: far beyond any population
//! table, low enough that a wrong file cannot make the page work for long.

use crate::population::{AgeBand, BandPopulation};
use crate::validation::Problem;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The largest file accepted: 1 MB of text.
pub const MAX_CSV_BYTES: usize = 1_000_000;

/// The most lines accepted.
pub const MAX_CSV_LINES: usize = 10_000;

/// How many non-blank lines are searched for the header row.
pub const MAX_LINES_BEFORE_HEADER: usize = 20;

/// The field path of every problem with the file as a whole.
pub const CSV_PATH: &str = "(population file)";

/// Growth allowed, as in the scenario format (`BandPopulation::problems`).
const GROWTH_RANGE: (f64, f64) = (-0.2, 0.2);

/// A rejected row's text is cut to this many characters.
const SHOWN_LINE_CHARS: usize = 120;

/// A value quoted in a reason is cut to this many characters.
const SHOWN_VALUE_CHARS: usize = 30;

/// What a population file held.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PopulationImport {
    /// Each row read: its line number (from 1), the band label as written, and the band's
    /// population. In file order.
    pub rows: Vec<(usize, String, BandPopulation)>,
    /// Rows not used, each with the reason. In file order.
    pub rejected: Vec<RejectedRow>,
    /// The header row's line number (from 1).
    pub header_line: usize,
    /// Lines with nothing in them, skipped.
    pub blank_lines: usize,
    /// The separator found in the header: `,`, `;` or a tab.
    pub separator: char,
    /// The text of each row read, by line number (cut to 120 characters): what [`apply`]
    /// shows if it sets the row aside.
    pub row_text: BTreeMap<usize, String>,
}

/// A row that was not used, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RejectedRow {
    /// Line number, from 1.
    pub line: usize,
    /// The line as written, cut to 120 characters.
    pub text: String,
    /// What is wrong and what is allowed.
    pub reason: String,
}

/// The columns this import knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Band,
    People,
    Growth,
    Female,
    Male,
}

impl Column {
    fn from_header(name: &str) -> Option<Column> {
        let name: String = name
            .trim()
            .to_lowercase()
            .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join("_");
        match name.as_str() {
            "age_band" | "band" | "age" | "age_group" => Some(Column::Band),
            "people" | "population" | "persons" | "all_persons" | "count" => Some(Column::People),
            "growth" | "annual_growth" | "growth_rate" => Some(Column::Growth),
            "female" | "females" => Some(Column::Female),
            "male" | "males" => Some(Column::Male),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Column::Band => "age_band",
            Column::People => "people",
            Column::Growth => "growth",
            Column::Female => "female",
            Column::Male => "male",
        }
    }
}

/// Where each known column is in a row.
#[derive(Clone, Copy, Debug, Default)]
struct Layout {
    band: Option<usize>,
    people: Option<usize>,
    growth: Option<usize>,
    female: Option<usize>,
    male: Option<usize>,
}

impl Layout {
    fn slot(&mut self, column: Column) -> &mut Option<usize> {
        match column {
            Column::Band => &mut self.band,
            Column::People => &mut self.people,
            Column::Growth => &mut self.growth,
            Column::Female => &mut self.female,
            Column::Male => &mut self.male,
        }
    }

    /// The known columns of a header, and any named twice.
    fn read(header: &[String]) -> (Layout, Vec<Column>) {
        let mut layout = Layout::default();
        let mut repeated = Vec::new();
        for (i, name) in header.iter().enumerate() {
            if let Some(column) = Column::from_header(name) {
                let slot = layout.slot(column);
                if slot.is_some() {
                    if !repeated.contains(&column) {
                        repeated.push(column);
                    }
                } else {
                    *slot = Some(i);
                }
            }
        }
        (layout, repeated)
    }

    fn is_header(&self) -> bool {
        self.band.is_some() && self.people.is_some()
    }
}

/// Read a population file. `Err` only when the file as a whole cannot be read (too large,
/// no usable header); a bad row is set aside in [`PopulationImport::rejected`] instead.
pub fn parse(text: &str) -> Result<PopulationImport, Vec<Problem>> {
    if text.len() > MAX_CSV_BYTES {
        return Err(vec![Problem::new(
            CSV_PATH,
            format!("{} bytes", text.len()),
            format!(
                "is too large: a population file may be at most {MAX_CSV_BYTES} bytes \
                 (one row per age band needs far less)"
            ),
        )]);
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = split_lines(text);
    if lines.len() > MAX_CSV_LINES {
        return Err(vec![Problem::new(
            CSV_PATH,
            format!("{} lines", lines.len()),
            format!(
                "has too many lines: a population file may have at most {MAX_CSV_LINES} \
                 (one row per age band needs far fewer)"
            ),
        )]);
    }

    let mut import = PopulationImport::default();
    let (header_index, separator, layout) = find_header(&lines)?;
    import.header_line = header_index + 1;
    import.separator = separator;
    let header_width = lines
        .get(header_index)
        .and_then(|line| fields(line, separator).ok())
        .map_or(0, |f| f.len());

    for (i, line) in lines.iter().enumerate().take(header_index) {
        if is_blank(line, detect_separator(line)) {
            import.blank_lines += 1;
        } else {
            import.rejected.push(RejectedRow {
                line: i + 1,
                text: shown_line(line),
                reason: format!(
                    "comes before the header row (line {}), so it is not read as an age band",
                    header_index + 1
                ),
            });
        }
    }
    for (i, line) in lines.iter().enumerate().skip(header_index + 1) {
        let number = i + 1;
        match read_row(line, separator, &layout, header_width) {
            Row::Blank => import.blank_lines += 1,
            Row::Read(label, band) => {
                import.rows.push((number, label, band));
                import.row_text.insert(number, shown_line(line));
            }
            Row::Rejected(reason) => import.rejected.push(RejectedRow {
                line: number,
                text: shown_line(line),
                reason,
            }),
        }
    }
    Ok(import)
}

/// Match the rows to the scenario's age bands by label, giving one population per band in
/// the scenario's order. Rows for bands the scenario does not have are moved to
/// `import.rejected` (in line order), so the app can show them; a band missing from the
/// file or given twice is a problem.
pub fn apply(
    import: &mut PopulationImport,
    age_bands: &[AgeBand],
) -> Result<Vec<BandPopulation>, Vec<Problem>> {
    let keys: Vec<String> = age_bands.iter().map(|b| band_key(&b.label)).collect();
    let mut found: Vec<Option<(usize, BandPopulation)>> = vec![None; age_bands.len()];
    let mut problems = Vec::new();
    let mut kept = Vec::new();
    for (line, label, band) in std::mem::take(&mut import.rows) {
        let index = age_bands
            .iter()
            .position(|b| b.label.trim() == label.trim())
            .or_else(|| {
                let key = band_key(&label);
                keys.iter().position(|k| *k == key)
            });
        let Some(index) = index else {
            let text = import
                .row_text
                .get(&line)
                .cloned()
                .unwrap_or_else(|| shown_line(&label));
            import.rejected.push(RejectedRow {
                line,
                text,
                reason: format!(
                    "age band \"{}\" is not one of this scenario's age bands ({}), so the row is not used",
                    shown_value(&label),
                    band_list(age_bands)
                ),
            });
            continue;
        };
        match found.get_mut(index) {
            Some(Some((first_line, _))) => problems.push(Problem::new(
                format!("{CSV_PATH} line {line}"),
                shown_value(&label),
                format!(
                    "repeats age band {} from line {first_line}: give each age band once",
                    age_bands.get(index).map_or("", |b| b.label.as_str())
                ),
            )),
            Some(slot) => *slot = Some((line, band.clone())),
            None => {}
        }
        kept.push((line, label, band));
    }
    import.rows = kept;
    import.rejected.sort_by_key(|r| r.line);

    let set_aside = if import.rejected.is_empty() {
        ""
    } else {
        " (rows set aside do not count: see their reasons)"
    };
    for (band, slot) in age_bands.iter().zip(&found) {
        if slot.is_none() {
            problems.push(Problem::new(
                CSV_PATH,
                format!("age band {}", band.label),
                format!(
                    "is missing: give one row for each of the scenario's {} age bands{set_aside}",
                    age_bands.len()
                ),
            ));
        }
    }
    if problems.is_empty() {
        Ok(found.into_iter().flatten().map(|(_, band)| band).collect())
    } else {
        Err(problems)
    }
}

/// An age band label reduced for matching: trimmed, lower case, one kind of dash with no
/// spaces around it (`–`, `—`, `−` and ` to ` are `-`), `aged`/`years` dropped, and
/// `and over`/`or over`/`plus` written `+`. `"Aged 0 to 4 years"` → `"0-4"`.
pub fn band_key(label: &str) -> String {
    let unified: String = label
        .to_lowercase()
        .chars()
        .map(|c| match c {
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
            c => c,
        })
        .collect();
    let words: Vec<&str> = unified.split_whitespace().collect();
    let mut s = format!(" {} ", words.join(" "));
    for (from, to) in [
        (" aged ", " "),
        (" age ", " "),
        (" years ", " "),
        (" year ", " "),
        (" to ", "-"),
        (" and over ", "+"),
        (" or over ", "+"),
        (" and above ", "+"),
        (" plus ", "+"),
    ] {
        s = s.replace(from, to);
    }
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" -", "-")
        .replace("- ", "-")
        .replace(" +", "+")
}

// ---------------------------------------------------------------------------
// Lines, fields and the header
// ---------------------------------------------------------------------------

/// Lines ended by CRLF, LF or CR; a final line ending does not start another line.
fn split_lines(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\n' => {
                lines.push(text.get(start..i).unwrap_or(""));
                i += 1;
                start = i;
            }
            b'\r' => {
                lines.push(text.get(start..i).unwrap_or(""));
                i += if bytes.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                start = i;
            }
            _ => i += 1,
        }
    }
    if start < bytes.len() {
        lines.push(text.get(start..).unwrap_or(""));
    }
    lines
}

/// The separator a line uses most outside quotes: comma, semicolon or tab (ties: comma).
fn detect_separator(line: &str) -> char {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let mut best = (',', counts[0]);
    for (sep, count) in [(';', counts[1]), ('\t', counts[2])] {
        if count > best.1 {
            best = (sep, count);
        }
    }
    best.0
}

/// A line's fields (RFC 4180, one line only), trimmed.
fn fields(line: &str, sep: char) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        while chars
            .peek()
            .is_some_and(|&c| c != sep && (c == ' ' || c == '\t'))
        {
            chars.next();
        }
        let mut field = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    None => {
                        return Err("a quoted field is not closed on this line (a field cannot \
                                    run over several lines)"
                            .to_string())
                    }
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    Some('"') => break,
                    Some(c) => field.push(c),
                }
            }
            loop {
                match chars.next() {
                    None => {
                        out.push(field.trim().to_string());
                        return Ok(out);
                    }
                    Some(c) if c == sep => break,
                    Some(' ' | '\t') => {}
                    Some(_) => {
                        return Err("text follows a closing quote: a quoted field ends at the \
                                    separator (write \"\" for a quote inside quotes)"
                            .to_string())
                    }
                }
            }
        } else {
            loop {
                match chars.next() {
                    None => {
                        out.push(field.trim().to_string());
                        return Ok(out);
                    }
                    Some(c) if c == sep => break,
                    Some(c) => field.push(c),
                }
            }
        }
        out.push(field.trim().to_string());
    }
}

fn is_blank(line: &str, sep: char) -> bool {
    line.trim().is_empty()
        || fields(line, sep).is_ok_and(|f| f.iter().all(|field| field.is_empty()))
}

/// The header's line index, separator and column layout; or why there is none.
fn find_header(lines: &[&str]) -> Result<(usize, char, Layout), Vec<Problem>> {
    let mut first: Option<(usize, Vec<String>, Layout)> = None;
    let mut searched = 0;
    for (i, line) in lines.iter().enumerate() {
        let sep = detect_separator(line);
        if is_blank(line, sep) {
            continue;
        }
        searched += 1;
        if searched > MAX_LINES_BEFORE_HEADER {
            break;
        }
        let Ok(names) = fields(line, sep) else {
            continue;
        };
        let (layout, repeated) = Layout::read(&names);
        if layout.is_header() {
            if let Some(column) = repeated.first() {
                return Err(vec![Problem::new(
                    format!("{CSV_PATH} line {}", i + 1),
                    shown_value(line),
                    format!(
                        "names the {} column more than once: keep one, so it is clear which to read",
                        column.name()
                    ),
                )]);
            }
            return Ok((i, sep, layout));
        }
        if first.is_none() {
            first = Some((i, names, layout));
        }
    }
    let Some((i, names, layout)) = first else {
        return Err(vec![Problem::new(
            CSV_PATH,
            "no rows",
            "is empty: give a header row (age_band,people,growth) and one row per age band",
        )]);
    };
    let path = format!("{CSV_PATH} line {}", i + 1);
    let found = shown_value(&names.join(", "));
    let problem = match (layout.band, layout.people) {
        (Some(_), None) => Problem::new(
            path,
            found,
            "has no people column: name one column people (or population, persons, count)",
        ),
        (None, Some(_)) => Problem::new(
            path,
            found,
            "has no age band column: name one column age_band (or band, age, age_group)",
        ),
        _ => Problem::new(
            path,
            found,
            "is not a header row: the first row must name the columns, at least age_band and \
             people (for example age_band,people,growth,female,male)",
        ),
    };
    Err(vec![problem])
}

// ---------------------------------------------------------------------------
// Rows and values
// ---------------------------------------------------------------------------

enum Row {
    Blank,
    Read(String, BandPopulation),
    Rejected(String),
}

fn read_row(line: &str, sep: char, layout: &Layout, header_width: usize) -> Row {
    if line.trim().is_empty() {
        return Row::Blank;
    }
    let cells = match fields(line, sep) {
        Ok(cells) => cells,
        Err(reason) => return Row::Rejected(reason),
    };
    if cells.iter().all(|c| c.is_empty()) {
        return Row::Blank;
    }
    let mut reasons = Vec::new();
    let extra = cells.iter().skip(header_width).any(|c| !c.is_empty());
    if extra {
        let hint = if sep == ',' {
            ": a number with a thousands separator must be in quotes (\"25,800\")"
        } else {
            ""
        };
        reasons.push(format!(
            "has {} fields but the header has {header_width}{hint}",
            cells.len()
        ));
    }
    let cell = |index: Option<usize>| cell(&cells, index);
    let decimal_comma = sep == ';';

    let label = cell(layout.band).to_string();
    if label.is_empty() {
        reasons.push("has no age band: the age_band column names the band, such as 0–4".into());
    }
    let people = match whole_number("people", cell(layout.people), decimal_comma) {
        Ok(n) => Some(n),
        Err(reason) => {
            reasons.push(reason);
            None
        }
    };
    let growth_text = cell(layout.growth);
    let growth = if sep == ','
        && growth_text.len() == 3
        && growth_text.bytes().all(|b| b.is_ascii_digit())
    {
        // "0–4,1,000" read with a growth column: the "000" is the end of an unquoted 1,000.
        reasons.push(format!(
            "growth \"{growth_text}\" looks like the end of a number split at its thousands \
             separator: a number such as 1,000 must be in quotes (\"1,000\")"
        ));
        0.0
    } else {
        match growth(growth_text, decimal_comma) {
            Ok(g) => g,
            Err(reason) => {
                reasons.push(reason);
                0.0
            }
        }
    };
    let (female_text, male_text) = (cell(layout.female), cell(layout.male));
    let mut female = None;
    let mut male = None;
    match (female_text.is_empty(), male_text.is_empty()) {
        (true, true) => {}
        (false, true) | (true, false) => reasons.push(
            "gives only one of female and male: give both (adding up to people) or neither".into(),
        ),
        (false, false) => {
            match whole_number("female", female_text, decimal_comma) {
                Ok(n) => female = Some(n),
                Err(reason) => reasons.push(reason),
            }
            match whole_number("male", male_text, decimal_comma) {
                Ok(n) => male = Some(n),
                Err(reason) => reasons.push(reason),
            }
        }
    }
    if let (Some(p), Some(f), Some(m)) = (people, female, male) {
        if f.checked_add(m) != Some(p) {
            reasons.push(format!(
                "female ({f}) + male ({m}) must equal people ({p}), or leave both empty"
            ));
        }
    }
    match (reasons.is_empty(), people) {
        (true, Some(people)) => Row::Read(
            label,
            BandPopulation {
                people,
                growth,
                female,
                male,
            },
        ),
        _ => Row::Rejected(reasons.join("; ")),
    }
}

/// The cell at `index`, or empty when the row is shorter (spreadsheets drop empty cells at
/// the end of a row) or the column is absent.
fn cell(cells: &[String], index: Option<usize>) -> &str {
    index.and_then(|i| cells.get(i)).map_or("", |c| c.as_str())
}

/// A count of people: digits, optionally grouped in threes by `,`, a space, or (where the
/// decimal mark is a comma) `.`.
fn whole_number(column: &str, text: &str, decimal_comma: bool) -> Result<u64, String> {
    let shown = shown_value(text);
    if text.is_empty() {
        return Err(format!(
            "{column} is empty: give a whole number of people, 0 or more"
        ));
    }
    if text.starts_with(['-', '\u{2212}']) {
        return Err(format!(
            "{column} \"{shown}\" is negative: give a whole number of people, 0 or more"
        ));
    }
    let grouping = |c: char| {
        c == ',' || c == ' ' || c == '\u{a0}' || c == '\u{202f}' || (decimal_comma && c == '.')
    };
    let groups: Vec<&str> = text.split(grouping).collect();
    let digits_only = groups
        .iter()
        .all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()));
    let grouped_in_threes = groups.len() == 1
        || (groups.first().is_some_and(|g| g.len() <= 3)
            && groups.iter().skip(1).all(|g| g.len() == 3));
    if !digits_only || !grouped_in_threes {
        return Err(format!(
            "{column} \"{shown}\" is not a whole number: give a whole number of people, 0 or more \
             (thousands separators are fine in groups of three, such as \"25,800\")"
        ));
    }
    groups
        .concat()
        .parse::<u64>()
        .map_err(|_| format!("{column} \"{shown}\" is too large"))
}

/// Annual growth: a fraction (`0.012`) or a percentage (`1.2%`); empty is 0.
fn growth(text: &str, decimal_comma: bool) -> Result<f64, String> {
    if text.is_empty() {
        return Ok(0.0);
    }
    let shown = shown_value(text);
    let mut number = text.replace('\u{2212}', "-");
    let percent = number.ends_with('%');
    if percent {
        number.pop();
        number = number.trim().to_string();
    }
    if decimal_comma && !number.contains('.') {
        number = number.replace(',', ".");
    }
    let plain = !number.is_empty()
        && number
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+'))
        && number.bytes().any(|b| b.is_ascii_digit());
    // "1.2%" is read as the decimal 1.2e-2, so it is exactly the fraction 0.012 would be.
    let value = if plain {
        let written = if percent {
            format!("{number}e-2")
        } else {
            number
        };
        written.parse::<f64>().ok().filter(|v| v.is_finite())
    } else {
        None
    };
    let Some(value) = value else {
        return Err(format!(
            "growth \"{shown}\" is not a number: write the annual rate as a fraction (0.012) \
             or a percentage (1.2%)"
        ));
    };
    let (low, high) = GROWTH_RANGE;
    if !(low..=high).contains(&value) {
        return Err(format!(
            "growth \"{shown}\" is outside \u{2212}20 % to 20 % a year: write the annual rate as \
             a fraction (0.012) or a percentage (1.2%)"
        ));
    }
    Ok(value)
}

fn shown_line(line: &str) -> String {
    cut(line, SHOWN_LINE_CHARS)
}

fn shown_value(text: &str) -> String {
    cut(text, SHOWN_VALUE_CHARS)
}

/// At most `max` characters, the last one `…` when anything was cut.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

fn band_list(bands: &[AgeBand]) -> String {
    const LISTED: usize = 12;
    let mut list: Vec<&str> = bands
        .iter()
        .take(LISTED)
        .map(|b| b.label.as_str())
        .collect();
    if bands.len() > LISTED {
        list.push("…");
    }
    list.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn bands(labels: &[&str]) -> Vec<AgeBand> {
        labels
            .iter()
            .map(|l| AgeBand {
                label: l.to_string(),
                cost_weight: 1.0,
            })
            .collect()
    }

    fn anytown_bands() -> Vec<AgeBand> {
        bands(&["0–4", "5–14", "15–44", "45–64", "65–74", "75–84", "85+"])
    }

    fn pop(people: u64, growth: f64) -> BandPopulation {
        BandPopulation::new(people, growth)
    }

    #[test]
    fn a_clean_file_reads_every_band() {
        let text = "age_band,people,growth\n\
                    0–4,6000,-0.005\n\
                    5–14,11000,0\n\
                    15–44,40000,0.002\n\
                    45–64,26000,0.004\n\
                    65–74,9000,0.012\n\
                    75–84,6000,0.025\n\
                    85+,2000,0.03\n";
        let mut import = parse(text).unwrap();
        assert_eq!(import.header_line, 1);
        assert_eq!(import.separator, ',');
        assert!(import.rejected.is_empty(), "{:?}", import.rejected);
        assert_eq!(import.rows.len(), 7);
        assert_eq!(import.rows[0], (2, "0–4".to_string(), pop(6000, -0.005)));
        let population = apply(&mut import, &anytown_bands()).unwrap();
        assert_eq!(population.len(), 7);
        assert_eq!(population[6], pop(2000, 0.03));
        // The same as Anytown's own population, band for band.
        let anytown = crate::examples::default_scenario();
        assert_eq!(population, anytown.places[0].population);
    }

    #[test]
    fn a_messy_file_is_read_and_its_bad_row_explained() {
        // BOM, CRLF, semicolons with decimal commas, quotes with "" escapes, columns in
        // another order with other names, an extra column, blank lines, a title line,
        // and one bad row.
        let text = "\u{feff}Mid-year estimates 2023 (illustrative)\r\n\
                    \r\n\
                    \"Code\"; Males ; FEMALES ;\"Age Band\";Population;Growth\r\n\
                    E01;\"3.100\";2.900;\"0 to 4\";\"6.000\";\"-0,5%\"\r\n\
                    ;;;;;\r\n\
                    E01;5.600;5.400;5-14;11000;0\r\n\
                    E01;;;\"15\u{2013}44 \"\"working age\"\"\";40000;0,002\r\n\
                    E01;;;45–64;-26000;0,9\r\n\
                    \r\n";
        let import = parse(text).unwrap();
        assert_eq!(import.separator, ';');
        assert_eq!(import.header_line, 3);
        assert_eq!(import.blank_lines, 3);
        let labels: Vec<&str> = import.rows.iter().map(|r| r.1.as_str()).collect();
        assert_eq!(labels, ["0 to 4", "5-14", "15–44 \"working age\""]);
        assert_eq!(import.rows[0].0, 4);
        let first = &import.rows[0].2;
        assert_eq!(
            (first.people, first.female, first.male),
            (6000, Some(2900), Some(3100))
        );
        assert_eq!(first.growth, -0.005);
        assert_eq!(import.rows[2].2.growth, 0.002);
        assert_eq!(import.rejected.len(), 2);
        assert_eq!(import.rejected[0].line, 1);
        assert!(import.rejected[0]
            .reason
            .contains("before the header row (line 3)"));
        let bad = &import.rejected[1];
        assert_eq!(bad.line, 8);
        assert_eq!(bad.text, "E01;;;45–64;-26000;0,9");
        assert!(
            bad.reason.contains("people \"-26000\" is negative"),
            "{}",
            bad.reason
        );
        assert!(
            bad.reason.contains("growth \"0,9\" is outside"),
            "{}",
            bad.reason
        );
    }

    #[test]
    fn each_bad_value_is_named_with_what_is_allowed() {
        let cases = [
            ("0–4,6000.5", "not a whole number"),
            ("0–4,6k", "not a whole number"),
            ("0–4,1,000", "must be in quotes (\"1,000\")"),
            ("0–4,\"25,80\"", "groups of three"),
            ("0–4,", "people is empty"),
            ("0–4,99999999999999999999999", "too large"),
            (",100", "has no age band"),
            ("0–4,100,0.25", "outside \u{2212}20 % to 20 %"),
            ("0–4,100,25%", "outside"),
            ("0–4,100,fast", "not a number"),
            ("0–4,100,NaN", "not a number"),
            ("0–4,100,inf", "not a number"),
            ("0–4,100,0,60", "only one of female and male"),
            (
                "0–4,100,0,60,30",
                "female (60) + male (30) must equal people (100)",
            ),
            ("0–4,100,0,-60,160", "female \"-60\" is negative"),
            ("\"0–4,100", "not closed on this line"),
            ("\"0–4\"x,100", "text follows a closing quote"),
        ];
        for (row, reason) in cases {
            let text = format!("age_band,people,growth,female,male\n{row}\n");
            let import = parse(&text).unwrap();
            assert!(import.rows.is_empty(), "{row}");
            assert_eq!(import.rejected.len(), 1, "{row}");
            assert_eq!(import.rejected[0].line, 2);
            assert!(
                import.rejected[0].reason.contains(reason),
                "{row}: {}",
                import.rejected[0].reason
            );
        }
    }

    #[test]
    fn an_unquoted_thousands_separator_is_caught() {
        let import = parse("age_band,people\n0–4,25,800\n").unwrap();
        assert!(import.rejected[0]
            .reason
            .contains("has 3 fields but the header has 2"));
        assert!(import.rejected[0]
            .reason
            .contains("must be in quotes (\"25,800\")"));
    }

    #[test]
    fn values_in_the_forms_people_write_them() {
        let text = "band\tcount\tgrowth\tfemale\tmale\n\
                    0–4\t25,800\t1.2%\t12 900\t12,900\n\
                    5–14\t\"1,234,567\"\t\u{2212}0.5 %\t\t\n\
                    15–44\t7\t\t\t\n\
                    45–64\t7\t-0.2\t\t\n\
                    65–74\t7\t+0.2\t\t\n";
        let import = parse(text).unwrap();
        assert_eq!(import.separator, '\t');
        assert!(import.rejected.is_empty(), "{:?}", import.rejected);
        let got: Vec<(u64, f64)> = import
            .rows
            .iter()
            .map(|r| (r.2.people, r.2.growth))
            .collect();
        assert_eq!(
            got,
            [
                (25_800, 0.012),
                (1_234_567, -0.005),
                (7, 0.0),
                (7, -0.2),
                (7, 0.2)
            ]
        );
        assert_eq!(import.rows[0].2.female, Some(12_900));
    }

    #[test]
    fn header_problems_are_one_clear_message() {
        let cases = [
            ("age_band,persons_2023\n0–4,1\n", "has no people column"),
            ("population,growth\n6000,0\n", "has no age band column"),
            ("0–4,6000\n5–14,11000\n", "is not a header row"),
            ("", "is empty"),
            ("\r\n , \n", "is empty"),
            (
                "age,band,people\n",
                "names the age_band column more than once",
            ),
        ];
        for (text, message) in cases {
            let problems = parse(text).unwrap_err();
            assert_eq!(problems.len(), 1, "{text:?}: {problems:?}");
            assert!(problems[0].path.starts_with(CSV_PATH), "{text:?}");
            assert!(
                problems[0].message.contains(message),
                "{text:?}: {}",
                problems[0].message
            );
        }
        // The problem names the line and shows the columns found.
        let p = &parse("\n\nage_band;persons_2023\n").unwrap_err()[0];
        assert_eq!(p.path, "(population file) line 3");
        assert_eq!(p.value, "age_band, persons_2023");
    }

    #[test]
    fn size_limits_are_refused_plainly() {
        let big = "x".repeat(MAX_CSV_BYTES + 1);
        assert!(parse(&big).unwrap_err()[0].message.contains("too large"));
        let many = "\n".repeat(MAX_CSV_LINES + 1);
        let p = &parse(&many).unwrap_err()[0];
        assert!(p.message.contains("too many lines"), "{}", p.message);
        assert_eq!(p.value, "10001 lines");
        // Exactly at the line limit is read.
        let at_limit = format!("age_band,people\n{}", "0–4,1\n".repeat(MAX_CSV_LINES - 1));
        assert_eq!(parse(&at_limit).unwrap().rows.len(), MAX_CSV_LINES - 1);
    }

    #[test]
    fn long_lines_are_cut_in_the_report() {
        let long = format!("0–4,{}", "9".repeat(500));
        let import = parse(&format!("age_band,people\n{long}\n")).unwrap();
        let row = &import.rejected[0];
        assert_eq!(row.text.chars().count(), 120);
        assert!(row.text.ends_with('…'));
        assert!(row.reason.len() < 300, "{}", row.reason);
    }

    #[test]
    fn labels_match_whatever_dash_case_or_wording() {
        for (a, b) in [
            ("0-4", "0–4"),
            ("0 - 4", "0—4"),
            ("0 to 4", "0–4"),
            ("AGED 0 TO 4 YEARS", "0–4"),
            (" 85 and over ", "85+"),
            ("85 Plus", "85+"),
            ("85 +", "85+"),
            ("All Ages", "all ages"),
        ] {
            assert_eq!(band_key(a), band_key(b), "{a} / {b}");
        }
        for (a, b) in [("0-5", "0–4"), ("85", "85+"), ("15-44", "15-45")] {
            assert_ne!(band_key(a), band_key(b), "{a} / {b}");
        }
    }

    #[test]
    fn apply_reports_missing_unknown_and_repeated_bands() {
        let text = "age_band,people\n\
                    0-4,6000\n\
                    5 to 14,11000\n\
                    All ages,17000\n\
                    0–4,6001\n\
                    bad,row,here\n";
        let mut import = parse(text).unwrap();
        let problems = apply(&mut import, &bands(&["0–4", "5–14", "15–44"])).unwrap_err();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(problems[0].path, "(population file) line 5");
        assert!(problems[0]
            .message
            .contains("repeats age band 0–4 from line 2"));
        assert_eq!(problems[1].value, "age band 15–44");
        assert!(problems[1].message.contains("is missing"));
        assert!(problems[1].message.contains("rows set aside"));
        // The unknown band is set aside with the raw line, in line order.
        let lines: Vec<usize> = import.rejected.iter().map(|r| r.line).collect();
        assert_eq!(lines, [4, 6]);
        assert_eq!(import.rejected[0].text, "All ages,17000");
        assert!(import.rejected[0]
            .reason
            .contains("\"All ages\" is not one of this scenario's age bands (0–4, 5–14, 15–44)"));
        assert_eq!(import.rows.len(), 3);

        // An "All ages" total row does not stop an otherwise complete file.
        let mut import = parse("age,population\n0-4,1\nAll ages,3\n5-14,2\n").unwrap();
        let population = apply(&mut import, &bands(&["0–4", "5–14"])).unwrap();
        assert_eq!(population, [pop(1, 0.0), pop(2, 0.0)]);
        assert_eq!(import.rejected.len(), 1);
        // The scenario's order, not the file's.
        let mut import = parse("age,population\n5-14,2\n0-4,1\n").unwrap();
        let population = apply(&mut import, &bands(&["0–4", "5–14"])).unwrap();
        assert_eq!(population, [pop(1, 0.0), pop(2, 0.0)]);
    }

    #[test]
    fn an_exact_label_wins_over_a_normalised_one() {
        // Two bands whose labels differ only in their dash: each row finds its own.
        let mut import = parse("band,people\n0–4,1\n0-4,2\n").unwrap();
        let population = apply(&mut import, &bands(&["0-4", "0–4"])).unwrap();
        assert_eq!(population, [pop(2, 0.0), pop(1, 0.0)]);
    }

    /// Lines as the module defines them, counted independently.
    fn count_lines(text: &str) -> usize {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let normalised = text.replace("\r\n", "\n").replace('\r', "\n");
        let pieces = normalised.split('\n').count();
        if normalised.is_empty() {
            0
        } else if normalised.ends_with('\n') {
            pieces - 1
        } else {
            pieces
        }
    }

    /// Every line is the header, blank, read or rejected, exactly once.
    fn accounted_for(text: &str, import: &PopulationImport) -> Result<(), TestCaseError> {
        let total = count_lines(text);
        prop_assert_eq!(
            import.rows.len() + import.rejected.len() + import.blank_lines + 1,
            total
        );
        let mut seen = vec![false; total + 1];
        let numbers = import
            .rows
            .iter()
            .map(|r| r.0)
            .chain(import.rejected.iter().map(|r| r.line))
            .chain([import.header_line]);
        for n in numbers {
            prop_assert!(n >= 1 && n <= total, "line {} of {}", n, total);
            prop_assert!(!seen[n], "line {} counted twice", n);
            seen[n] = true;
        }
        // The lines not mentioned are the blank ones: nothing but spaces, separators, quotes.
        let lines = split_lines(text.strip_prefix('\u{feff}').unwrap_or(text));
        for (i, line) in lines.iter().enumerate() {
            if !seen[i + 1] {
                prop_assert!(
                    line.chars()
                        .all(|c| c.is_whitespace() || matches!(c, ',' | ';' | '"')),
                    "line {} {:?} skipped as blank",
                    i + 1,
                    line
                );
            }
        }
        for r in &import.rejected {
            prop_assert!(!r.reason.is_empty());
            prop_assert!(r.text.chars().count() <= SHOWN_LINE_CHARS);
        }
        Ok(())
    }

    fn header() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("age_band,people,growth,female,male".to_string()),
            Just("\u{feff}Band;Population;Growth".to_string()),
            Just("title line\r\n\r\n\"age\"\tcount".to_string()),
            Just("people,age".to_string()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        #[test]
        fn arbitrary_text_never_panics_and_every_line_is_accounted_for(text in any::<String>()) {
            if let Ok(import) = parse(&text) {
                accounted_for(&text, &import)?;
            }
        }

        #[test]
        fn csv_like_text_is_accounted_for_line_by_line(
            header in header(),
            body in "([0-9a-z ,;\t\"%.\u{2013}+-]{0,24}(\r\n|\n|\r)){0,12}[0-9a-z ,;\"%.-]{0,12}",
        ) {
            let text = format!("{header}\n{body}");
            let mut import = parse(&text).unwrap();
            accounted_for(&text, &import)?;
            let rows_before = import.rows.len() + import.rejected.len();
            let _ = apply(&mut import, &anytown_bands());
            // Matching moves rows, never loses or adds one.
            prop_assert_eq!(import.rows.len() + import.rejected.len(), rows_before);
            accounted_for(&text, &import)?;
        }
    }
}
