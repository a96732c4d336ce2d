//! The compact binary asset: one year of every practice, made by [`encode`] from NHS
//! England's file (by the `onebudget-areas-build` tool, `bash scripts/areas.sh`) and read by
//! [`decode`] in the app and the CLI. docs/AREAS.md describes the format byte by byte.
//!
//! Layout (integers little-endian; "planes" store a column of n numbers byte by byte, most
//! significant byte of every number first, because that is what brotli compresses best):
//!
//! ```text
//! header, 32 bytes: magic "OBAREAS\0", format version (u16), first calendar year (u16),
//!   practices (u32), ICBs (u16), LADs (u16), body length (u32), content hash (u64:
//!   FNV-1a over the header's first 24 bytes and then the body)
//! body: ICB codes, ICB names, LAD codes, LAD names, name words   (string lists)
//!       practice codes: n letters, then n varints (the number, less the previous
//!         number when the letter is the same)
//!       practice names (string list; a byte ≥ 0x80 stands for name word byte − 0x80)
//!       postcodes: outward codes (string list), inward codes as 2 planes
//!         (digit × 400 + letter × 20 + letter, letters from ABDEFGHJLNPQRSTUWXYZ)
//!       ICB per practice (n bytes), LAD per practice (2 planes)
//!       registered population, hundredths of a person (4 planes)
//!       need index per component in thousandths, each as its zigzag difference from a
//!         predictor (2 planes; 0xFFFF means "the value follows as a varint"), then the
//!         varints
//! string list: length in bytes (u32), then the strings, each ended by "\n"
//! ```
//!
//! Rounding (module notes of [`super`]): each figure is the source's rounded to the nearest
//! unit, and the largest-remainder rule rounds a few the other way so that England's
//! totals stay those of the source. [`decode`] checks every length, count, position and
//! the content hash, and never panics, whatever the bytes.

use super::dataset::{Dataset, Organisation, Practice};
use super::source::{SourceYear, SOURCE_SCALE};
use super::{Component, DataYear, INDEX_SCALE, POPULATION_SCALE};
use std::collections::BTreeMap;
use std::fmt;

/// The first eight bytes of every asset.
pub const MAGIC: [u8; 8] = *b"OBAREAS\0";
/// The format this module writes and reads. A change to the layout changes this number.
pub const FORMAT_VERSION: u16 = 1;
const HEADER_LEN: usize = 32;
/// Generous limits, so a damaged count cannot ask for a huge allocation.
pub const MAX_PRACTICES: usize = 200_000;
const MAX_NAME_WORDS: usize = 128;
/// The largest need index held, in thousandths (an index of 100 000; the data's largest is
/// under 4 000).
const MAX_INDEX: u64 = 100_000_000;
/// Letters an inward postcode may use (Royal Mail: never C, I, K, M, O or V).
const INWARD_LETTERS: &[u8; 20] = b"ABDEFGHJLNPQRSTUWXYZ";

/// How each component's index is stored: in this order, as the difference from the index of
/// the component named (already decoded), or from 1.000 when none is named. Predicting from
/// a close relation makes the differences small, and the asset smaller.
const STORED: [(Component, Option<Component>); 9] = [
    (Component::Core, None),
    (Component::GeneralAndAcute, Some(Component::Core)),
    (Component::Prescribing, Some(Component::GeneralAndAcute)),
    (Component::Community, Some(Component::Prescribing)),
    (Component::MentalHealth, None),
    (Component::Maternity, None),
    (Component::HealthInequalities, None),
    (Component::PrimaryMedicalCareNeed, None),
    (
        Component::PrimaryMedicalCare,
        Some(Component::PrimaryMedicalCareNeed),
    ),
];

/// Why bytes are not a usable asset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AssetError {
    /// Not an areas file at all (wrong magic or too short for a header).
    NotAnAreasFile,
    /// An areas file in a format this version of OneBudget does not read.
    UnsupportedVersion(u16),
    /// Cut short, or the content hash does not match: the file was damaged on the way.
    Damaged,
    /// The content hash matches but the content breaks a rule of the format.
    Malformed(&'static str),
}

impl fmt::Display for AssetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AssetError::NotAnAreasFile => write!(f, "this is not a OneBudget areas data file"),
            AssetError::UnsupportedVersion(v) => write!(
                f,
                "this areas data file is in format {v}, which this version of OneBudget \
                 cannot read (it reads format {FORMAT_VERSION})"
            ),
            AssetError::Damaged => {
                write!(
                    f,
                    "the areas data file is damaged or incomplete: load it again"
                )
            }
            AssetError::Malformed(what) => write!(f, "the areas data file is not valid: {what}"),
        }
    }
}

impl std::error::Error for AssetError {}

/// FNV-1a, 64 bits: the asset's content hash (it finds damage; SRI on the fetch, with the
/// SHA-384 in [`super::published`], is what finds tampering).
pub fn content_hash(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in *part {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

/// The header's fields (also readable without decoding the body: [`read_header`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    pub version: u16,
    pub year: DataYear,
    pub practices: u32,
    pub icbs: u16,
    pub lads: u16,
    pub body_len: u32,
    pub content_hash: u64,
}

/// Read and check the header only.
pub fn read_header(bytes: &[u8]) -> Result<Header, AssetError> {
    let header = bytes.get(..HEADER_LEN).ok_or(AssetError::NotAnAreasFile)?;
    if header[..8] != MAGIC {
        return Err(AssetError::NotAnAreasFile);
    }
    let u16_at = |at: usize| u16::from_le_bytes([header[at], header[at + 1]]);
    let u32_at = |at: usize| {
        u32::from_le_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    let version = u16_at(8);
    if version != FORMAT_VERSION {
        return Err(AssetError::UnsupportedVersion(version));
    }
    let mut hash = [0u8; 8];
    hash.copy_from_slice(&header[24..32]);
    Ok(Header {
        version,
        year: DataYear::new(u16_at(10)).ok_or(AssetError::Malformed("the year is not valid"))?,
        practices: u32_at(12),
        icbs: u16_at(16),
        lads: u16_at(18),
        body_len: u32_at(20),
        content_hash: u64::from_le_bytes(hash),
    })
}

/// Decode an asset: check the header, the content hash and every rule of the format.
pub fn decode(bytes: &[u8]) -> Result<Dataset, AssetError> {
    let header = read_header(bytes)?;
    let body = &bytes[HEADER_LEN..];
    if body.len() != header.body_len as usize {
        return Err(AssetError::Damaged);
    }
    if content_hash(&[&bytes[..24], body]) != header.content_hash {
        return Err(AssetError::Damaged);
    }
    let n = header.practices as usize;
    if n == 0 || n > MAX_PRACTICES {
        return Err(AssetError::Malformed(
            "the number of practices is out of range",
        ));
    }
    if header.icbs == 0 || header.lads == 0 || usize::from(header.icbs) > 256 {
        return Err(AssetError::Malformed(
            "the number of ICBs or districts is out of range",
        ));
    }
    let mut r = Reader { bytes: body, at: 0 };
    let icb_codes = r.strings(usize::from(header.icbs))?;
    let icb_names = r.strings(usize::from(header.icbs))?;
    let lad_codes = r.strings(usize::from(header.lads))?;
    let lad_names = r.strings(usize::from(header.lads))?;
    let words = r.string_list()?;
    if words.len() > MAX_NAME_WORDS || words.iter().any(|w| !w.is_ascii()) {
        return Err(AssetError::Malformed("the name words are not valid"));
    }
    let orgs = |codes: Vec<String>, names: Vec<String>| -> Vec<Organisation> {
        codes
            .into_iter()
            .zip(names)
            .map(|(code, name)| Organisation { code, name })
            .collect()
    };
    let icbs = orgs(icb_codes, icb_names);
    let lads = orgs(lad_codes, lad_names);

    let letters = r.take(n)?.to_vec();
    let mut codes = Vec::with_capacity(n);
    let mut previous: Option<(u8, u64)> = None;
    for &letter in &letters {
        if !letter.is_ascii_uppercase() {
            return Err(AssetError::Malformed(
                "a practice code does not start with a letter",
            ));
        }
        let step = r.varint()?;
        let number = match previous {
            Some((l, p)) if l == letter => p.checked_add(step),
            _ => Some(step),
        }
        .filter(|&v| v < 100_000)
        .ok_or(AssetError::Malformed(
            "a practice code's number is out of range",
        ))?;
        previous = Some((letter, number));
        let mut code = String::with_capacity(6);
        code.push(letter as char);
        for place in [10_000, 1_000, 100, 10, 1] {
            code.push((b'0' + (number / place % 10) as u8) as char);
        }
        codes.push(code);
    }

    let raw_names = r.raw_strings(n)?;
    let mut names = Vec::with_capacity(n);
    for raw in raw_names {
        let mut name = String::with_capacity(raw.len() + 16);
        for &b in raw {
            if b >= 0x80 {
                let word = words
                    .get(usize::from(b - 0x80))
                    .ok_or(AssetError::Malformed(
                        "a name uses a word that is not listed",
                    ))?;
                name.push_str(word);
            } else if b == b' ' || b.is_ascii_graphic() {
                name.push(b as char);
            } else {
                return Err(AssetError::Malformed("a name has a control character"));
            }
        }
        names.push(name);
    }

    let outward = r.strings(n)?;
    let inward = r.planes(n, 2)?;
    let mut postcodes = Vec::with_capacity(n);
    for (out, &code) in outward.into_iter().zip(&inward) {
        if code >= 4000 || out.is_empty() || !out.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(AssetError::Malformed("a postcode is not valid"));
        }
        let code = code as usize;
        let mut postcode = out;
        postcode.push(' ');
        postcode.push((b'0' + (code / 400) as u8) as char);
        postcode.push(INWARD_LETTERS[(code / 20) % 20] as char);
        postcode.push(INWARD_LETTERS[code % 20] as char);
        postcodes.push(postcode);
    }

    let icb_of = r.take(n)?.to_vec();
    let lad_of = r.planes(n, 2)?;
    let population = r.planes(n, 4)?;
    let mut index = vec![[0u32; 9]; n];
    for (component, predictor) in STORED {
        let plane = r.planes(n, 2)?;
        for (i, &z) in plane.iter().enumerate() {
            let z = if z == 0xFFFF { r.varint()? } else { z };
            let base = match predictor {
                Some(p) => i64::from(index[i][p.position()]),
                None => INDEX_SCALE as i64,
            };
            let value = base
                .checked_add(unzigzag(z))
                .filter(|v| (0..=MAX_INDEX as i64).contains(v))
                .ok_or(AssetError::Malformed("a need index is out of range"))?;
            index[i][component.position()] = value as u32;
        }
    }
    if r.at != body.len() {
        return Err(AssetError::Malformed(
            "there are bytes after the last column",
        ));
    }

    let mut practices = Vec::with_capacity(n);
    for (i, ((code, name), postcode)) in codes.into_iter().zip(names).zip(postcodes).enumerate() {
        practices.push(Practice {
            code,
            name,
            postcode,
            icb: u16::from(icb_of[i]),
            lad: u16::try_from(lad_of[i])
                .map_err(|_| AssetError::Malformed("a district is out of range"))?,
            population: u32::try_from(population[i])
                .map_err(|_| AssetError::Malformed("a population is out of range"))?,
            index: index[i],
        });
    }
    Dataset::new(header.year, header.content_hash, icbs, lads, practices)
        .map_err(AssetError::Malformed)
}

/// Reads the body, every step checked.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, len: usize) -> Result<&'a [u8], AssetError> {
        let end = self.at.checked_add(len).ok_or(AssetError::Damaged)?;
        let slice = self.bytes.get(self.at..end).ok_or(AssetError::Damaged)?;
        self.at = end;
        Ok(slice)
    }

    fn u32(&mut self) -> Result<u32, AssetError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn varint(&mut self) -> Result<u64, AssetError> {
        let mut value: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.take(1)?[0];
            let bits = u64::from(b & 0x7f);
            if shift == 63 && bits > 1 {
                return Err(AssetError::Malformed("a number is too large"));
            }
            value |= bits << shift;
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(AssetError::Malformed("a number is too long"))
    }

    /// A string list's raw strings (without their "\n").
    fn raw_list(&mut self) -> Result<Vec<&'a [u8]>, AssetError> {
        let len = self.u32()? as usize;
        let block = self.take(len)?;
        if block.is_empty() {
            return Ok(Vec::new());
        }
        let Some(body) = block.strip_suffix(b"\n") else {
            return Err(AssetError::Malformed("a list of names is not ended"));
        };
        Ok(body.split(|&b| b == b'\n').collect())
    }

    fn raw_strings(&mut self, count: usize) -> Result<Vec<&'a [u8]>, AssetError> {
        let list = self.raw_list()?;
        if list.len() != count {
            return Err(AssetError::Malformed(
                "a list of names has the wrong length",
            ));
        }
        Ok(list)
    }

    fn string_list(&mut self) -> Result<Vec<String>, AssetError> {
        self.raw_list()?
            .into_iter()
            .map(|raw| {
                std::str::from_utf8(raw)
                    .map(str::to_string)
                    .map_err(|_| AssetError::Malformed("a name is not UTF-8"))
            })
            .collect()
    }

    fn strings(&mut self, count: usize) -> Result<Vec<String>, AssetError> {
        let list = self.string_list()?;
        if list.len() != count {
            return Err(AssetError::Malformed(
                "a list of names has the wrong length",
            ));
        }
        Ok(list)
    }

    /// A column of `n` numbers of `width` bytes, stored as planes.
    fn planes(&mut self, n: usize, width: usize) -> Result<Vec<u64>, AssetError> {
        let block = self.take(n.checked_mul(width).ok_or(AssetError::Damaged)?)?;
        let mut out = vec![0u64; n];
        for plane in block.chunks_exact(n.max(1)).take(width) {
            for (value, &b) in out.iter_mut().zip(plane) {
                *value = (*value << 8) | u64::from(b);
            }
        }
        Ok(out)
    }
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(z: u64) -> i64 {
    ((z >> 1) as i64) ^ -((z & 1) as i64)
}

/// Why a year's source could not be encoded: the practice (if one) and the rule it breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncodeError(pub String);

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EncodeError {}

/// An encoded year and what rounding did to it.
#[derive(Clone, Debug, PartialEq)]
pub struct Encoded {
    pub bytes: Vec<u8>,
    /// Practices whose population was rounded away from the nearest hundredth (largest remainder).
    pub populations_rounded_other_way: usize,
    /// Per component: practices whose index was rounded away from the nearest thousandth.
    pub indices_rounded_other_way: [usize; 9],
    /// Per component: England's weighted population in the asset less the source's, in people.
    pub weighted_total_difference: [f64; 9],
    /// The largest difference between an index held and the source's, over every practice
    /// and component (under 0.001 by construction; about 0.0005 where rounded to the nearest).
    pub worst_index_difference: f64,
    /// England's population in the asset less the source's, in people.
    pub population_total_difference: f64,
}

/// Encode one year of NHS England's file (see the module notes).
pub fn encode(source: &SourceYear) -> Result<Encoded, EncodeError> {
    let err = |m: String| EncodeError(m);
    let mut practices: Vec<&super::source::SourcePractice> = source.practices.iter().collect();
    practices.sort_by(|a, b| a.code.cmp(&b.code));
    let n = practices.len();
    if n == 0 || n > MAX_PRACTICES {
        return Err(err(format!(
            "{n} practices: a year has from 1 to {MAX_PRACTICES}"
        )));
    }
    for w in practices.windows(2) {
        if w[0].code == w[1].code {
            return Err(err(format!("practice {} is listed twice", w[0].code)));
        }
    }
    for p in &practices {
        let c = p.code.as_bytes();
        if c.len() != 6 || !c[0].is_ascii_uppercase() || !c[1..].iter().all(u8::is_ascii_digit) {
            return Err(err(format!(
                "practice code '{}' is not a capital letter and five digits",
                p.code
            )));
        }
        if p.name.is_empty() || !p.name.bytes().all(|b| b == b' ' || b.is_ascii_graphic()) {
            return Err(err(format!(
                "practice {}: the name is empty or not plain ASCII",
                p.code
            )));
        }
    }

    // ICBs and LADs: by code; each named as most of its practices name it (2023/24 has
    // three practices whose district name disagrees with their district code).
    let icbs = organisations(practices.iter().map(|p| (&p.icb_code, &p.icb_name)))?;
    let lads = organisations(practices.iter().map(|p| (&p.lad_code, &p.lad_name)))?;
    if icbs.len() > 256 || lads.len() > usize::from(u16::MAX) {
        return Err(err("too many ICBs or districts".into()));
    }
    let position = |orgs: &[Organisation], code: &str| {
        orgs.binary_search_by(|o| o.code.as_str().cmp(code))
            .unwrap_or_default()
    };

    let population: Vec<u64> = practices.iter().map(|p| p.population).collect();
    let (population_q, populations_rounded_other_way, population_total_difference) =
        round_populations(&population)?;
    let mut index_q = vec![[0u32; 9]; n];
    let mut indices_rounded_other_way = [0usize; 9];
    let mut weighted_total_difference = [0f64; 9];
    let mut worst_index_difference = 0f64;
    for c in Component::ALL {
        let weighted: Vec<u64> = practices.iter().map(|p| p.weighted[c.position()]).collect();
        for (i, (&w, &p)) in weighted.iter().zip(&population).enumerate() {
            if p == 0 && w > 0 {
                return Err(err(format!(
                    "practice {}: a weighted population but no registered population",
                    practices[i].code
                )));
            }
        }
        let (q, flipped, difference) = round_indices(&weighted, &population, &population_q)?;
        for ((&value, &w), &p) in q.iter().zip(&weighted).zip(&population) {
            if p > 0 {
                let exact = w as f64 * INDEX_SCALE as f64 / p as f64;
                worst_index_difference = worst_index_difference
                    .max((f64::from(value) - exact).abs() / INDEX_SCALE as f64);
            }
        }
        for (row, value) in index_q.iter_mut().zip(q) {
            row[c.position()] = value;
        }
        indices_rounded_other_way[c.position()] = flipped;
        weighted_total_difference[c.position()] = difference;
    }

    // Body.
    let mut body = Vec::new();
    let list = |body: &mut Vec<u8>, items: &mut dyn Iterator<Item = Vec<u8>>| {
        let mut block = Vec::new();
        for item in items {
            block.extend_from_slice(&item);
            block.push(b'\n');
        }
        body.extend_from_slice(&(block.len() as u32).to_le_bytes());
        body.extend_from_slice(&block);
    };
    for orgs in [&icbs, &lads] {
        check_line(orgs.iter().flat_map(|o| [&o.code, &o.name]))?;
        list(
            &mut body,
            &mut orgs.iter().map(|o| o.code.clone().into_bytes()),
        );
        list(
            &mut body,
            &mut orgs.iter().map(|o| o.name.clone().into_bytes()),
        );
    }
    let words = name_words(practices.iter().map(|p| p.name.as_str()));
    list(&mut body, &mut words.iter().map(|w| w.clone().into_bytes()));

    let mut previous: Option<(u8, u64)> = None;
    let mut steps = Vec::new();
    for p in &practices {
        let letter = p.code.as_bytes()[0];
        let number: u64 = p.code[1..].parse().unwrap_or_default();
        let step = match previous {
            Some((l, prev)) if l == letter => number - prev,
            _ => number,
        };
        previous = Some((letter, number));
        body.push(letter);
        push_varint(&mut steps, step);
    }
    body.extend_from_slice(&steps);

    let lookup: BTreeMap<&str, u8> = words
        .iter()
        .enumerate()
        .map(|(i, w)| (w.as_str(), 0x80 + i as u8))
        .collect();
    list(
        &mut body,
        &mut practices.iter().map(|p| encode_name(&p.name, &lookup)),
    );

    let mut outward = Vec::with_capacity(n);
    let mut inward = Vec::with_capacity(n);
    for p in &practices {
        let (out, inw) = split_postcode(&p.postcode).ok_or_else(|| {
            err(format!(
                "practice {}: postcode '{}' is not a UK postcode",
                p.code, p.postcode
            ))
        })?;
        outward.push(out.as_bytes().to_vec());
        inward.push(inw);
    }
    list(&mut body, &mut outward.into_iter());
    push_planes(&mut body, &inward, 2);

    for p in &practices {
        body.push(position(&icbs, &p.icb_code) as u8);
    }
    let lad_of: Vec<u64> = practices
        .iter()
        .map(|p| position(&lads, &p.lad_code) as u64)
        .collect();
    push_planes(&mut body, &lad_of, 2);
    let population_q: Vec<u64> = population_q.iter().map(|&p| u64::from(p)).collect();
    push_planes(&mut body, &population_q, 4);
    for (component, predictor) in STORED {
        let mut plane = Vec::with_capacity(n);
        let mut escaped = Vec::new();
        for row in &index_q {
            let base = predictor.map_or(INDEX_SCALE as i64, |p| i64::from(row[p.position()]));
            let z = zigzag(i64::from(row[component.position()]) - base);
            if z >= 0xFFFF {
                plane.push(0xFFFF);
                push_varint(&mut escaped, z);
            } else {
                plane.push(z);
            }
        }
        push_planes(&mut body, &plane, 2);
        body.extend_from_slice(&escaped);
    }

    let mut bytes = Vec::with_capacity(HEADER_LEN + body.len());
    bytes.extend_from_slice(&MAGIC);
    bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    bytes.extend_from_slice(&source.year.start().to_le_bytes());
    bytes.extend_from_slice(&(n as u32).to_le_bytes());
    bytes.extend_from_slice(&(icbs.len() as u16).to_le_bytes());
    bytes.extend_from_slice(&(lads.len() as u16).to_le_bytes());
    bytes.extend_from_slice(&(body.len() as u32).to_le_bytes());
    let hash = content_hash(&[&bytes, &body]);
    bytes.extend_from_slice(&hash.to_le_bytes());
    bytes.extend_from_slice(&body);
    Ok(Encoded {
        bytes,
        populations_rounded_other_way,
        indices_rounded_other_way,
        weighted_total_difference,
        worst_index_difference,
        population_total_difference,
    })
}

fn check_line<'a>(texts: impl Iterator<Item = &'a String>) -> Result<(), EncodeError> {
    for t in texts {
        if t.is_empty() || t.chars().any(char::is_control) {
            return Err(EncodeError(format!(
                "'{t}': an ICB or district code or name is empty or has a control character"
            )));
        }
    }
    Ok(())
}

/// Organisations by code, each named by the name most of its practices give (ties: the one
/// that comes first alphabetically).
fn organisations<'a>(
    pairs: impl Iterator<Item = (&'a String, &'a String)>,
) -> Result<Vec<Organisation>, EncodeError> {
    let mut names: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for (code, name) in pairs {
        *names.entry(code).or_default().entry(name).or_default() += 1;
    }
    let mut out = Vec::with_capacity(names.len());
    for (code, counts) in names {
        let most = counts.values().copied().max().unwrap_or_default();
        let name = counts
            .iter()
            .find(|(_, &c)| c == most)
            .map(|(n, _)| n.to_string())
            .unwrap_or_default();
        out.push(Organisation {
            code: code.to_string(),
            name,
        });
    }
    Ok(out)
}

/// The words (runs of ASCII letters) that save most bytes if each is written as one byte:
/// at most 128, longest saving first, ties alphabetical.
fn name_words<'a>(names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for name in names {
        for word in letter_runs(name) {
            if word.len() >= 2 {
                *counts.entry(word).or_default() += 1;
            }
        }
    }
    let mut scored: Vec<(usize, &str)> = counts
        .into_iter()
        .filter(|&(_, c)| c >= 2)
        .map(|(w, c)| (c * (w.len() - 1), w))
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(MAX_NAME_WORDS)
        .map(|(_, w)| w.to_string())
        .collect()
}

/// Maximal runs of ASCII letters.
fn letter_runs(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
}

fn encode_name(name: &str, words: &BTreeMap<&str, u8>) -> Vec<u8> {
    let bytes = name.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_alphabetic() {
            let end = bytes[i..]
                .iter()
                .position(|b| !b.is_ascii_alphabetic())
                .map_or(bytes.len(), |e| i + e);
            match words.get(&name[i..end]) {
                Some(&token) => out.push(token),
                None => out.extend_from_slice(&bytes[i..end]),
            }
            i = end;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// "TS18 1HU" → ("TS18", inward number); `None` if it is not outward, one space, inward.
fn split_postcode(postcode: &str) -> Option<(&str, u64)> {
    let (out, inw) = postcode.split_once(' ')?;
    let ok_out = (2..=4).contains(&out.len())
        && out
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && out.as_bytes()[0].is_ascii_uppercase();
    let inw = inw.as_bytes();
    if !ok_out || inw.len() != 3 || !inw[0].is_ascii_digit() {
        return None;
    }
    let letter = |b: u8| {
        INWARD_LETTERS
            .iter()
            .position(|&l| l == b)
            .map(|p| p as u64)
    };
    Some((
        out,
        u64::from(inw[0] - b'0') * 400 + letter(inw[1])? * 20 + letter(inw[2])?,
    ))
}

fn push_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn push_planes(out: &mut Vec<u8>, values: &[u64], width: usize) {
    for plane in (0..width).rev() {
        out.extend(values.iter().map(|v| (v >> (8 * plane)) as u8));
    }
}

/// Populations in hundredths: each the floor of the source or one more, the extra
/// hundredths going to the largest remainders (ties: the practice first by code) so that the
/// total is the source's total rounded half up. Returns the values, how many were not
/// rounded to the nearest, and the total's difference in people.
fn round_populations(population: &[u64]) -> Result<(Vec<u32>, usize, f64), EncodeError> {
    let unit = SOURCE_SCALE / POPULATION_SCALE;
    let total: u128 = population.iter().map(|&p| u128::from(p)).sum();
    let target = (total + u128::from(unit / 2)) / u128::from(unit);
    let mut values: Vec<u64> = population.iter().map(|&p| p / unit).collect();
    let given: u128 = values.iter().map(|&v| u128::from(v)).sum();
    let mut order: Vec<usize> = (0..population.len()).collect();
    order.sort_by(|&a, &b| (population[b] % unit).cmp(&(population[a] % unit)));
    let extra = (target - given) as usize; // < number of practices
    for &i in order.iter().take(extra) {
        values[i] += 1;
    }
    let other_way = values
        .iter()
        .zip(population)
        .filter(|&(&v, &p)| {
            let nearest = (p + unit / 2) / unit;
            v != nearest
        })
        .count();
    let held: u128 = values.iter().map(|&v| u128::from(v)).sum();
    let difference = (held as f64 * unit as f64 - total as f64) / SOURCE_SCALE as f64;
    let values = values
        .into_iter()
        .map(|v| u32::try_from(v).map_err(|_| EncodeError("a population is too large".into())))
        .collect::<Result<_, _>>()?;
    Ok((values, other_way, difference))
}

/// Need indices in thousandths for one component: each the nearest to weighted ÷ population,
/// then, in order of how close each was to half way (closest first; ties: first by code),
/// rounded the other way wherever that brings England's weighted population in the asset
/// (Σ population held × index held) nearer the source's, until it is within a hundredth of a
/// person. Only an index within 0.2 of half way may go the other way, so each stays within
/// 0.0007 of the source. Returns the values, how many went the other way, and the remaining
/// difference of the total, in people.
fn round_indices(
    weighted: &[u64],
    population: &[u64],
    population_held: &[u32],
) -> Result<(Vec<u32>, usize, f64), EncodeError> {
    let scale = u128::from(INDEX_SCALE);
    let mut nearest = Vec::with_capacity(weighted.len());
    // (|2·remainder − population|, population): how far from half way, as a fraction.
    let mut closeness = Vec::with_capacity(weighted.len());
    for (&w, &p) in weighted.iter().zip(population) {
        if p == 0 {
            nearest.push(0u128);
            closeness.push(None);
            continue;
        }
        let exact = u128::from(w) * scale;
        let (q, rem) = (exact / u128::from(p), exact % u128::from(p));
        let up = 2 * rem >= u128::from(p);
        nearest.push(q + u128::from(up));
        closeness.push((rem != 0).then(|| ((2 * rem).abs_diff(u128::from(p)), u128::from(p))));
    }
    // Units: a held population (1/100) × a held index (1/1000) is 1/100 000 of a person;
    // the source is in 1/10¹⁰.
    let to_source = i128::from((SOURCE_SCALE / super::WEIGHTED_SCALE) as u32);
    let source_total: i128 = weighted.iter().map(|&w| i128::from(w)).sum();
    let held_total = |values: &[u128]| -> i128 {
        values
            .iter()
            .zip(population_held)
            .map(|(&v, &p)| v as i128 * i128::from(p) * to_source)
            .sum()
    };
    let mut values = nearest.clone();
    let mut error = held_total(&values) - source_total;
    // Only indices within 0.2 of half way (a remainder from 0.3 to 0.7 of a thousandth) may
    // go the other way, so every index held is within 0.0007 of the source's.
    let mut order: Vec<usize> = (0..values.len())
        .filter(|&i| {
            population_held[i] > 0
                && closeness[i].is_some_and(|(distance, p)| distance * 10 <= p * 4)
        })
        .collect();
    order.sort_by(|&a, &b| {
        let (da, pa) = closeness[a].unwrap_or_default();
        let (db, pb) = closeness[b].unwrap_or_default();
        (da * pb).cmp(&(db * pa))
    });
    let mut other_way = 0;
    // Close enough: a hundredth of a person. Stopping here spares the indices further from
    // half way.
    let enough = i128::from((SOURCE_SCALE / 100) as u32);
    for i in order {
        if error.abs() <= enough {
            break;
        }
        let step = i128::from(population_held[i]) * to_source;
        let rounded_up = {
            let exact = u128::from(weighted[i]) * scale;
            values[i] * u128::from(population[i]) > exact
        };
        let (candidate, delta) = if rounded_up {
            (values[i] - 1, -step)
        } else {
            (values[i] + 1, step)
        };
        if (error + delta).abs() < error.abs() {
            values[i] = candidate;
            error += delta;
            other_way += 1;
        }
    }
    let values = values
        .into_iter()
        .map(|v| {
            u32::try_from(v)
                .ok()
                .filter(|&v| u64::from(v) <= MAX_INDEX)
                .ok_or_else(|| EncodeError("a need index is too large".into()))
        })
        .collect::<Result<_, _>>()?;
    Ok((values, other_way, error as f64 / SOURCE_SCALE as f64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::areas::source::SourcePractice;

    fn practice(code: &str, population: f64, core: f64) -> SourcePractice {
        let units = |x: f64| (x * SOURCE_SCALE as f64).round() as u64;
        let mut weighted = [units(population); 9];
        weighted[Component::Core.position()] = units(core);
        SourcePractice {
            code: code.into(),
            name: format!("THE {code} SURGERY"),
            postcode: "TS18 1HU".into(),
            icb_code: "QHM".into(),
            icb_name: "NHS North East and North Cumbria ICB".into(),
            lad_code: "E06000004".into(),
            lad_name: "Stockton-on-Tees".into(),
            population: units(population),
            weighted,
        }
    }

    fn sample() -> SourceYear {
        SourceYear {
            year: DataYear::DEFAULT,
            practices: vec![
                practice("A81002", 18558.64382, 23422.59028),
                practice("A81001", 4068.906409, 5230.216323),
                practice("Y08411", 0.087, 0.289),
            ],
        }
    }

    #[test]
    fn a_year_round_trips_to_the_stated_precision() {
        let encoded = encode(&sample()).unwrap();
        let data = decode(&encoded.bytes).unwrap();
        assert_eq!(data.year(), DataYear::DEFAULT);
        let codes: Vec<&str> = data.practices().iter().map(|p| p.code.as_str()).collect();
        assert_eq!(codes, ["A81001", "A81002", "Y08411"]);
        let a = &data.practices()[0];
        assert_eq!(a.name, "THE A81001 SURGERY");
        assert_eq!(a.postcode, "TS18 1HU");
        // Within one unit of the source (the largest-remainder rule may round either way).
        assert!((406_890..=406_891).contains(&a.population));
        assert!((1285..=1286).contains(&a.index[Component::Core.position()]));
        assert_eq!(data.icbs()[0].code, "QHM");
        assert_eq!(data.lads()[0].name, "Stockton-on-Tees");
        let tiny = &data.practices()[2];
        assert!((8..=9).contains(&tiny.population));
        assert!((3321..=3322).contains(&tiny.index[Component::Core.position()]));
        // England's population to the hundredth (weighted totals: tests/areas_data.rs, where
        // there are enough practices to bring them within half a person).
        let source_people = 18558.64382 + 4068.906409 + 0.087;
        assert!((data.england().people() - source_people).abs() <= 0.005 + 1e-9);
    }

    #[test]
    fn every_damaged_byte_is_found() {
        let bytes = encode(&sample()).unwrap().bytes;
        for i in 0..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[i] ^= 0x01;
            assert!(decode(&damaged).is_err(), "byte {i}");
        }
        for len in 0..bytes.len() {
            assert!(decode(&bytes[..len]).is_err(), "cut at {len}");
        }
        let mut v2 = bytes.clone();
        v2[8] = 2;
        assert_eq!(decode(&v2), Err(AssetError::UnsupportedVersion(2)));
        assert_eq!(
            decode(b"not an areas file at all, really"),
            Err(AssetError::NotAnAreasFile)
        );
    }

    #[test]
    fn bad_source_rows_are_refused_with_the_practice_named() {
        let mut year = sample();
        year.practices[0].postcode = "TS18 1CU".into();
        assert!(encode(&year).unwrap_err().0.contains("A81002"));
        let mut year = sample();
        year.practices[1].code = "A8100".into();
        assert!(encode(&year).is_err());
        let mut year = sample();
        year.practices[2].code = "A81001".into();
        assert!(encode(&year).unwrap_err().0.contains("twice"));
    }

    #[test]
    fn zigzag_round_trips() {
        for v in [0i64, 1, -1, 1000, -1000, i64::MAX, i64::MIN] {
            assert_eq!(unzigzag(zigzag(v)), v);
        }
    }

    #[test]
    fn the_largest_remainder_keeps_englands_population() {
        let unit = SOURCE_SCALE / POPULATION_SCALE;
        // Three practices of 0.005 people each: 0.015 rounds to 0.02 in all, so two of the
        // three halves go up (the first two by code), the third down.
        let (values, other_way, difference) = round_populations(&[unit / 2; 3]).unwrap();
        assert_eq!(values, vec![1, 1, 0]);
        assert_eq!(other_way, 1);
        assert!((difference - 0.005).abs() < 1e-12);
    }
}
