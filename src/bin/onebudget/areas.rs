//! `onebudget area` and `onebudget areas`: real figures for every ICB, local authority
//! district and GP practice in England, from the same assets the app fetches (built into
//! the binary), computed by `onebudget_engine::areas`. This file only reads the command
//! line and lays the engine's figures out as text; JSON and CSV are the engine's.

use onebudget_engine::areas::fair_share::{self, CORE_SERVICES_2024_25, DEFAULT_TOTAL_SOURCE};
use onebudget_engine::areas::report::{
    area_csv, area_report, areas_csv, areas_table, signed_percent, AreaReport, AreasTable,
};
use onebudget_engine::areas::search::{Match, SearchIndex};
use onebudget_engine::areas::{
    decode, published, Area, AreaKind, Component, DataYear, Dataset, ATTRIBUTION,
};
use onebudget_engine::money::Pence;
use onebudget_engine::working::people;
use std::ffi::OsString;

/// The assets, built into the binary (the app fetches the same files).
const ASSETS: [(u16, &[u8]); 6] = [
    (
        2023,
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/static/areas/2023-24.bin"
        )),
    ),
    (
        2024,
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/static/areas/2024-25.bin"
        )),
    ),
    (
        2025,
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/static/areas/2025-26.bin"
        )),
    ),
    (
        2026,
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/static/areas/2026-27.bin"
        )),
    ),
    (
        2027,
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/static/areas/2027-28.bin"
        )),
    ),
    (
        2028,
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/static/areas/2028-29.bin"
        )),
    ),
];

#[derive(Debug, PartialEq, Clone, Copy)]
pub enum Format {
    Text,
    Json,
    Csv,
}

/// What was asked for.
#[derive(Debug, PartialEq)]
pub enum Request {
    /// One area, found by code or name.
    Area {
        query: String,
        year: DataYear,
        total: Pence,
        component: Component,
        format: Format,
    },
    /// Every ICB (or district).
    Areas {
        kind: AreaKind,
        year: DataYear,
        total: Pence,
        component: Component,
        format: Format,
    },
}

/// Read `area …` or `areas …`; `Ok(None)` asks for help.
pub fn parse(command: &str, args: &[OsString]) -> Result<Option<Request>, String> {
    let mut words = Vec::new();
    let mut year = DataYear::DEFAULT;
    let mut total = CORE_SERVICES_2024_25;
    let mut component = Component::Core;
    let mut format = Format::Text;
    let mut kind = AreaKind::Icb;
    let mut only_operands = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let arg = arg.to_string_lossy();
        if only_operands || !arg.starts_with('-') || arg == "-" {
            words.push(arg.into_owned());
            continue;
        }
        let (option, inline) = match arg.split_once('=') {
            Some((o, v)) => (o.to_string(), Some(v.to_string())),
            None => (arg.to_string(), None),
        };
        let mut value = |what: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| args.next().map(|v| v.to_string_lossy().into_owned()))
                .ok_or_else(|| format!("{option} needs a value: {what}"))
        };
        match option.as_str() {
            "--" => only_operands = true,
            "--help" | "-h" => return Ok(None),
            "--year" => {
                let text = value("a year such as 2025/26")?;
                year = DataYear::parse(&text)
                    .filter(|y| published::file(*y).is_some())
                    .ok_or_else(|| format!("--year is one of {}, not '{text}'", year_list()))?;
            }
            "--total" => total = fair_share::parse_total(&value("an amount such as £107.6bn")?)?,
            "--component" => {
                let text = value("core, or a component such as primary_medical_care")?;
                component = Component::parse(&text).ok_or_else(|| {
                    let keys: Vec<&str> = Component::ALL.iter().map(|c| c.key()).collect();
                    format!("--component is one of {}, not '{text}'", keys.join(", "))
                })?;
            }
            "--format" => {
                format = match value("text, json or csv")?.as_str() {
                    "text" => Format::Text,
                    "json" => Format::Json,
                    "csv" => Format::Csv,
                    other => return Err(format!("--format is text, json or csv, not '{other}'")),
                }
            }
            "--by" if command == "areas" => {
                let text = value("icb or lad")?;
                kind = AreaKind::parse(&text)
                    .filter(|k| matches!(k, AreaKind::Icb | AreaKind::Lad | AreaKind::Practice))
                    .ok_or_else(|| format!("--by is icb, lad or practice, not '{text}'"))?;
            }
            _ => return Err(format!("unknown option '{option}' for {command}")),
        }
    }
    match command {
        "area" if words.is_empty() => {
            Err("area needs an ICB, district or practice: its code or name".into())
        }
        "area" => Ok(Some(Request::Area {
            query: words.join(" "),
            year,
            total,
            component,
            format,
        })),
        _ if !words.is_empty() => Err(format!(
            "areas takes no operand ('{}'); use --by icb or --by lad",
            words.join(" ")
        )),
        _ => Ok(Some(Request::Areas {
            kind,
            year,
            total,
            component,
            format,
        })),
    }
}

fn year_list() -> String {
    published::years()
        .map(|y| y.label())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Decode one year's asset (built in) and check it is the published one.
fn load(year: DataYear) -> Result<Dataset, Vec<String>> {
    let bytes = ASSETS
        .iter()
        .find(|(start, _)| *start == year.start())
        .map(|(_, bytes)| *bytes)
        .ok_or_else(|| vec![format!("onebudget: there is no data for {}", year.label())])?;
    let data = decode(bytes).map_err(|e| vec![format!("onebudget: {}: {e}", year.label())])?;
    match published::file(year) {
        Some(f) if f.content_hash == data.content_hash() => Ok(data),
        _ => Err(vec![format!(
            "onebudget: the built-in data for {} is not the published file",
            year.label()
        )]),
    }
}

/// Do what was asked: the text to print, or the lines for stderr.
pub fn run(request: Request) -> Result<String, Vec<String>> {
    match request {
        Request::Area {
            query,
            year,
            total,
            component,
            format,
        } => {
            let years: Vec<Dataset> = published::years().map(load).collect::<Result<_, _>>()?;
            let years: Vec<&Dataset> = years.iter().collect();
            let data = years
                .iter()
                .find(|d| d.year() == year)
                .copied()
                .ok_or_else(|| vec![format!("onebudget: there is no data for {}", year.label())])?;
            let area = find(data, &query)
                .map_err(|lines| in_other_years(&years, year, &query).unwrap_or(lines))?;
            let report = area_report(data, area, total, component, &years)
                .map_err(|e| vec![format!("onebudget: {e}")])?;
            Ok(match format {
                Format::Text => area_text(&report),
                Format::Csv => area_csv(&report),
                Format::Json => json(&report)?,
            })
        }
        Request::Areas {
            kind,
            year,
            total,
            component,
            format,
        } => {
            let data = load(year)?;
            let table = areas_table(&data, kind, total, component)
                .map_err(|e| vec![format!("onebudget: {e}")])?;
            Ok(match format {
                Format::Text => areas_text(&table),
                Format::Csv => areas_csv(&table),
                Format::Json => json(&table)?,
            })
        }
    }
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, Vec<String>> {
    serde_json::to_string_pretty(value)
        .map(|j| j + "\n")
        .map_err(|e| vec![format!("onebudget: cannot write the figures: {e}")])
}

/// When a code is not in the year asked for but is in others (a practice that closed or
/// opened, an ICB before or after the mergers), say so.
fn in_other_years(years: &[&Dataset], asked: DataYear, query: &str) -> Option<Vec<String>> {
    let found: Vec<(DataYear, String)> = years
        .iter()
        .filter_map(|d| {
            d.find_code(query)
                .map(|a| (d.year(), d.name(a).to_string()))
        })
        .collect();
    let (last_year, name) = found.last()?.clone();
    let labels: Vec<String> = found.iter().map(|(y, _)| y.label()).collect();
    Some(vec![format!(
        "onebudget: {} ({name}) is not in the {} data; it is in {}: try --year {}",
        query.trim().to_uppercase(),
        asked.label(),
        labels.join(", "),
        last_year.label()
    )])
}

/// The area a code or name means: a code exactly, else the one best match of a search.
fn find(data: &Dataset, query: &str) -> Result<Area, Vec<String>> {
    if let Some(area) = data.find_code(query) {
        return Ok(area);
    }
    let found = SearchIndex::new(data).search(query, 12);
    let Some(best) = found.hits.first() else {
        return Err(vec![format!(
            "onebudget: no ICB, district or practice in {} matches '{query}'",
            data.year().label()
        )]);
    };
    let equally_good = found
        .hits
        .iter()
        .filter(|h| h.matched == best.matched)
        .count();
    if found.total == 1 || (best.matched <= Match::Name && equally_good == 1) {
        return Ok(best.area);
    }
    let mut lines = vec![format!(
        "onebudget: '{query}' matches {} areas in {}; give one of these codes{}:",
        found.total,
        data.year().label(),
        if found.total > found.hits.len() {
            " (or more of the name)"
        } else {
            ""
        }
    )];
    for hit in &found.hits {
        lines.push(format!(
            "  {:<10} {} ({})",
            data.code(hit.area),
            data.name(hit.area),
            hit.area.kind().name()
        ));
    }
    Err(lines)
}

fn index_text(index: Option<f64>) -> String {
    index.map_or("—".into(), |i| format!("{i:.3}"))
}

fn area_text(r: &AreaReport) -> String {
    let mut out = format!(
        "{} ({}): {}, {}\n",
        r.name,
        r.code,
        r.kind_name,
        r.year.label()
    );
    if let Some(p) = &r.postcode {
        out.push_str(&format!("Postcode: {p}\n"));
    }
    for icb in &r.icbs {
        out.push_str(&format!("ICB: {} ({})\n", icb.name, icb.code));
    }
    if let Some(lad) = &r.lad {
        out.push_str(&format!(
            "Local authority district: {} ({})\n",
            lad.name, lad.code
        ));
    }
    out.push('\n');
    let population = if r.registered_population < 1.0 {
        format!("{:.2} (less than one person)", r.registered_population)
    } else {
        people(r.registered_population)
    };
    out.push_str(&format!("Registered population: {population}"));
    if r.kind != AreaKind::Practice {
        out.push_str(&format!(" in {} GP practices", r.practices));
    }
    out.push_str("\n\nNeed index against England (1.000 is the average person in England):\n");
    for c in Component::ALL {
        let i = r.need.get(c);
        out.push_str(&format!(
            "  {:<27} {:>7}  {}\n",
            c.name(),
            index_text(i),
            i.map_or(String::new(), signed_percent)
        ));
    }
    out.push_str(&format!("\n{}\n", r.sentence));
    for note in &r.notes {
        out.push_str(&format!("{note}\n"));
    }
    if let Some(rank) = r.rank {
        let among = if r.kind == AreaKind::Icb {
            "ICBs"
        } else {
            "local authority districts"
        };
        out.push_str(&format!(
            "It is {} of {} {among} by core need (1st is the highest).\n",
            onebudget::area_page::ordinal(rank.position),
            rank.of
        ));
    }
    let f = &r.fair_share;
    out.push_str(&format!("\n{}:\n", r.fair_share_label));
    match f.per_person {
        Some(pp) => out.push_str(&format!(
            "  {} in total, {} per person (England's average: {} per person),\n",
            f.total.display_pounds(),
            pp.display(),
            f.england_per_person.map_or("—".into(), |p| p.display())
        )),
        None => out.push_str(&format!("  {} in total,\n", f.total.display_pounds())),
    }
    out.push_str(&format!(
        "  sharing a national total of {} by need: {}\n  (--total and --component to change it).\n  {}\n",
        fair_share::short(f.national_total),
        total_source(f.national_total, f.component),
        r.fair_share_caveat
    ));
    if let Some(t) = &r.trend {
        out.push_str(&format!(
            "\nTrend: core need index against England, and registered population\n  {:<9} {:<26} the same practices as in {}\n",
            "year",
            "as published",
            t.chosen_year.label()
        ));
        for (a, s) in t.as_published.iter().zip(&t.same_practices) {
            let cell = |need: Option<f64>, people_: f64, present: bool| {
                if present {
                    format!("{:>7}  {:>12}", index_text(need), people(people_))
                } else {
                    format!("{:>7}  {:>12}", "—", "")
                }
            };
            out.push_str(&format!(
                "  {:<9} {:<26} {}\n",
                a.year.label(),
                cell(
                    a.need[Component::Core.position()],
                    a.people,
                    a.name.is_some()
                ),
                cell(
                    s.need[Component::Core.position()],
                    s.people,
                    s.practices > 0
                )
            ));
        }
        for change in &t.changes {
            out.push_str(&format!("  {change}\n"));
        }
    }
    out.push_str(&format!("\n{ATTRIBUTION}\n"));
    out
}

/// What the national total is: the default's source, or what was given.
fn total_source(total: Pence, component: Component) -> String {
    if total == CORE_SERVICES_2024_25 && component == Component::Core {
        DEFAULT_TOTAL_SOURCE.to_string()
    } else {
        format!("{}, as given", component.name())
    }
}

fn areas_text(t: &AreasTable) -> String {
    let kind = match t.kind {
        AreaKind::Icb => "ICB",
        AreaKind::Lad => "local authority district",
        _ => "GP practice",
    };
    let mut out = format!(
        "Every {kind} in {}, highest core need first: need index against England (core \
         services), and {}\nsharing a national total of {} by need: {}.\n\n",
        t.year.label(),
        t.fair_share_label,
        fair_share::short(t.national_total),
        total_source(t.national_total, t.fair_share_component)
    );
    let width = t
        .rows
        .iter()
        .map(|r| r.name.chars().count())
        .max()
        .unwrap_or(4)
        .min(60);
    out.push_str(&format!(
        "{:>4}  {:<9}  {:<width$}  {:>9}  {:>11}  {:>6}  {:>6}  {:>16}  {:>10}\n",
        "rank", "code", "name", "practices", "population", "core", "", "fair share", "per person"
    ));
    for r in &t.rows {
        let core = r.need.get(Component::Core);
        out.push_str(&format!(
            "{:>4}  {:<9}  {:<width$}  {:>9}  {:>11}  {:>6}  {:>6}  {:>16}  {:>10}\n",
            r.rank,
            r.code,
            r.name,
            r.practices,
            people(r.registered_population),
            index_text(core),
            core.map_or(String::new(), signed_percent),
            r.fair_share.display_pounds(),
            r.fair_share_per_person
                .map_or("—".into(), |p| p.display_pounds()),
        ));
    }
    out.push_str(&format!("\n{}\n{ATTRIBUTION}\n", t.fair_share_caveat));
    out
}
