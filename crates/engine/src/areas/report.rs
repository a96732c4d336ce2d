//! Every figure for one area ([`area_report`]) or for every ICB or LAD ([`areas_table`]),
//! ready to show, serialise (JSON) or write as CSV: what `onebudget area` and
//! `onebudget areas` print, and what the app will show. The formulas are the modules':
//! [`super::need`], [`super::rank`], [`super::fair_share`], [`super::trend`].
//!
//! CSV: `table,item,year,measure,value,unit` for one area (money in pence, as
//! `onebudget run --format csv`), one row per area for a table. Indices are written to
//! three decimals (as NHS England's tool shows them), people to two.

use super::dataset::Organisation;
use super::fair_share::{self, FairShare};
use super::need::{self, biggest_reason, indices, percent_difference};
use super::rank::{rank, ranking, Rank};
use super::trend::{trend, Trend};
use super::{Area, AreaKind, Component, DataYear, Dataset, ATTRIBUTION};
use crate::money::{MoneyError, Pence};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// Need indices by component, serialised as `{"core": 1.25, "general_and_acute": …}`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NeedByComponent(pub [Option<f64>; 9]);

impl NeedByComponent {
    pub fn get(&self, component: Component) -> Option<f64> {
        self.0[component.position()]
    }
}

impl Serialize for NeedByComponent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(9))?;
        for c in Component::ALL {
            map.serialize_entry(c.key(), &self.0[c.position()])?;
        }
        map.end()
    }
}

/// Every figure for one area in one year.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AreaReport {
    pub year: DataYear,
    pub kind: AreaKind,
    /// "ICB", "local authority district", "GP practice", "England".
    pub kind_name: &'static str,
    pub code: String,
    pub name: String,
    /// A practice's postcode.
    pub postcode: Option<String>,
    /// A practice's ICB; a district's practices' ICBs (usually one).
    pub icbs: Vec<Organisation>,
    /// A practice's district.
    pub lad: Option<Organisation>,
    pub practices: u32,
    /// Registered population, people.
    pub registered_population: f64,
    /// What the need indices are against: always "England" here.
    pub need_against: &'static str,
    pub need: NeedByComponent,
    /// The plain-words sentence (need::sentence).
    pub sentence: String,
    pub biggest_reason: Option<Component>,
    /// Among all ICBs or all districts, by core need (ICBs and districts only).
    pub rank: Option<Rank>,
    pub fair_share: FairShare,
    pub fair_share_label: &'static str,
    pub fair_share_caveat: &'static str,
    /// Over the years given (none given, no trend).
    pub trend: Option<Trend>,
    /// Anything to know before reading the figures (a practice of less than one person).
    pub notes: Vec<String>,
    pub attribution: &'static str,
}

/// Who the sentence is about: "People in NHS Devon ICB", "People registered at THE DENSHAM SURGERY".
pub fn subject(data: &Dataset, area: Area) -> String {
    let name = data.name(area);
    match area {
        Area::England => "People in England".to_string(),
        Area::Icb(_) => format!("People in {name}"),
        Area::Lad(_) => format!("People registered with GP practices in {name}"),
        Area::Practice(_) => format!("People registered at {name}"),
    }
}

/// Every figure for `area` in `data`'s year, its fair share of `national_total` for
/// `component` (core services by default: [`fair_share::CORE_SERVICES_2024_25`]), and the
/// trend over `years` (pass none for no trend).
pub fn area_report(
    data: &Dataset,
    area: Area,
    national_total: Pence,
    component: Component,
    years: &[&Dataset],
) -> Result<AreaReport, MoneyError> {
    let totals = data.totals(area);
    let need = indices(&totals, &data.england());
    let org = |a: Area| Organisation {
        code: data.code(a).to_string(),
        name: data.name(a).to_string(),
    };
    let practice = match area {
        Area::Practice(i) => data.practice(i),
        _ => None,
    };
    let icbs = match area {
        Area::Practice(_) | Area::Lad(_) => data
            .icbs_of(area)
            .into_iter()
            .map(|i| org(Area::Icb(i)))
            .collect(),
        _ => Vec::new(),
    };
    let rank = match area {
        Area::Icb(_) | Area::Lad(_) => rank(data, area, Component::Core),
        _ => None,
    };
    let name = data.name(area).to_string();
    Ok(AreaReport {
        year: data.year(),
        kind: area.kind(),
        kind_name: area.kind().name(),
        code: data.code(area).to_string(),
        postcode: practice.map(|p| p.postcode.clone()),
        icbs,
        lad: practice.map(|p| org(Area::Lad(p.lad))),
        practices: totals.practices,
        registered_population: totals.people(),
        need_against: "England",
        need: NeedByComponent(need),
        sentence: need::sentence(&subject(data, area), "England", &need),
        biggest_reason: biggest_reason(&need).map(|(c, _)| c),
        rank,
        fair_share: fair_share::fair_share(data, &name, &totals, national_total, component)?,
        fair_share_label: fair_share::LABEL,
        fair_share_caveat: fair_share::CAVEAT,
        trend: (!years.is_empty()).then(|| trend(years, data, area)),
        notes: if totals.population > 0 && totals.people() < 1.0 {
            vec![format!(
                "NHS England's projection gives {} less than one registered person ({:.2}), \
                 so its figures describe almost nobody.",
                data.name(area),
                totals.people()
            )]
        } else {
            Vec::new()
        },
        name,
        attribution: ATTRIBUTION,
    })
}

/// One row of [`AreasTable`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AreaRow {
    /// By core need, 1 the highest.
    pub rank: u32,
    pub code: String,
    pub name: String,
    pub practices: u32,
    pub registered_population: f64,
    /// Against England.
    pub need: NeedByComponent,
    /// The area's part of the national total (split among every area of the kind).
    pub fair_share: Pence,
    pub fair_share_per_person: Option<Pence>,
}

/// Every ICB's (or district's) figures in one year, highest core need first.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AreasTable {
    pub year: DataYear,
    pub kind: AreaKind,
    pub national_total: Pence,
    /// The component whose weighted population shares the national total.
    pub fair_share_component: Component,
    pub need_against: &'static str,
    pub rows: Vec<AreaRow>,
    pub fair_share_label: &'static str,
    pub fair_share_caveat: &'static str,
    pub attribution: &'static str,
}

/// The table of every area of `kind` (ICB or district; practices work too), ranked by core
/// need, with each one's fair share of `national_total` for `component`.
pub fn areas_table(
    data: &Dataset,
    kind: AreaKind,
    national_total: Pence,
    component: Component,
) -> Result<AreasTable, MoneyError> {
    let shares = fair_share::fair_shares(data, kind, national_total, component)?;
    let order = ranking(data, kind, Component::Core);
    let england = data.england();
    let mut rows = Vec::with_capacity(shares.len());
    // Ranked areas first, in rank order; any without a population after them.
    let unranked = data.areas(kind).into_iter().filter(|a| !order.contains(a));
    for (position, area) in order.iter().copied().chain(unranked).enumerate() {
        let totals = data.totals(area);
        let share = shares.iter().find(|s| s.area == area);
        rows.push(AreaRow {
            rank: position as u32 + 1,
            code: data.code(area).to_string(),
            name: data.name(area).to_string(),
            practices: totals.practices,
            registered_population: totals.people(),
            need: NeedByComponent(indices(&totals, &england)),
            fair_share: share.map_or(Pence::ZERO, |s| s.total),
            fair_share_per_person: share.and_then(|s| s.per_person),
        });
    }
    Ok(AreasTable {
        year: data.year(),
        kind,
        national_total,
        fair_share_component: component,
        need_against: "England",
        rows,
        fair_share_label: fair_share::LABEL,
        fair_share_caveat: fair_share::CAVEAT,
        attribution: ATTRIBUTION,
    })
}

/// A CSV field: the scenario's CSV writer's cell, quoted when it must be (RFC 4180) and
/// safe from spreadsheet formulas, so every CSV the engine writes follows one rule.
fn field(text: &str) -> String {
    crate::scenario::csv_cell(text)
}

fn index_text(index: Option<f64>) -> String {
    index.map_or(String::new(), |i| format!("{i:.3}"))
}

/// One area's figures as `table,item,year,measure,value,unit` rows.
pub fn area_csv(report: &AreaReport) -> String {
    let mut out = String::from("table,item,year,measure,value,unit\n");
    let mut row =
        |table: &str, item: &str, year: DataYear, measure: &str, value: String, unit: &str| {
            out.push_str(&format!(
                "{},{},{},{},{},{}\n",
                field(table),
                field(item),
                field(&year.label()),
                field(measure),
                field(&value),
                field(unit)
            ));
        };
    let (code, year) = (report.code.as_str(), report.year);
    row("area", code, year, "name", report.name.clone(), "");
    row("area", code, year, "kind", report.kind_name.into(), "");
    if let Some(p) = &report.postcode {
        row("area", code, year, "postcode", p.clone(), "");
    }
    for icb in &report.icbs {
        row(
            "area",
            code,
            year,
            "icb",
            format!("{} {}", icb.code, icb.name),
            "",
        );
    }
    if let Some(lad) = &report.lad {
        row(
            "area",
            code,
            year,
            "local_authority_district",
            format!("{} {}", lad.code, lad.name),
            "",
        );
    }
    row(
        "area",
        code,
        year,
        "practices",
        report.practices.to_string(),
        "practices",
    );
    row(
        "area",
        code,
        year,
        "registered_population",
        format!("{:.2}", report.registered_population),
        "people",
    );
    for c in Component::ALL {
        row(
            "need",
            c.key(),
            year,
            "index_against_england",
            index_text(report.need.get(c)),
            "index",
        );
    }
    row(
        "need",
        "core",
        year,
        "sentence",
        report.sentence.clone(),
        "",
    );
    if let Some(r) = report.rank {
        let among = if report.kind == AreaKind::Icb {
            "icbs"
        } else {
            "local_authority_districts"
        };
        row(
            "rank",
            "core",
            year,
            &format!("position_among_{among}"),
            r.position.to_string(),
            &format!("of {}", r.of),
        );
    }
    let f = &report.fair_share;
    let money = |p: Option<Pence>| p.map_or(String::new(), |p| p.pence().to_string());
    row(
        "fair_share",
        f.component.key(),
        year,
        "national_total",
        money(Some(f.national_total)),
        "pence",
    );
    row(
        "fair_share",
        f.component.key(),
        year,
        "total",
        money(Some(f.total)),
        "pence",
    );
    row(
        "fair_share",
        f.component.key(),
        year,
        "per_person",
        money(f.per_person),
        "pence",
    );
    row(
        "fair_share",
        f.component.key(),
        year,
        "england_per_person",
        money(f.england_per_person),
        "pence",
    );
    row(
        "fair_share",
        f.component.key(),
        year,
        "label",
        report.fair_share_label.into(),
        "",
    );
    if let Some(t) = &report.trend {
        for (series, points) in [
            ("as_published", &t.as_published),
            ("same_practices", &t.same_practices),
        ] {
            for p in points {
                row(
                    &format!("trend_{series}"),
                    code,
                    p.year,
                    "practices",
                    p.practices.to_string(),
                    "practices",
                );
                row(
                    &format!("trend_{series}"),
                    code,
                    p.year,
                    "registered_population",
                    format!("{:.2}", p.people),
                    "people",
                );
                row(
                    &format!("trend_{series}"),
                    code,
                    p.year,
                    "core_index_against_england",
                    index_text(p.need[Component::Core.position()]),
                    "index",
                );
            }
        }
        for change in &t.changes {
            row(
                "trend_change",
                code,
                t.chosen_year,
                "change",
                change.clone(),
                "",
            );
        }
    }
    row(
        "source",
        "attribution",
        year,
        "attribution",
        ATTRIBUTION.into(),
        "",
    );
    out
}

/// A table as CSV, one row per area (money in pence).
pub fn areas_csv(table: &AreasTable) -> String {
    let mut out = String::from("year,rank,code,name,practices,registered_population");
    for c in Component::ALL {
        out.push_str(&format!(",{}_index", c.key()));
    }
    out.push_str(",fair_share_pence,fair_share_per_person_pence\n");
    for r in &table.rows {
        out.push_str(&format!(
            "{},{},{},{},{},{:.2}",
            table.year.label(),
            r.rank,
            field(&r.code),
            field(&r.name),
            r.practices,
            r.registered_population
        ));
        for c in Component::ALL {
            out.push(',');
            out.push_str(&index_text(r.need.get(c)));
        }
        out.push_str(&format!(
            ",{},{}\n",
            r.fair_share.pence(),
            r.fair_share_per_person
                .map_or(String::new(), |p| p.pence().to_string())
        ));
    }
    out
}

/// For text: "+14 %", "−9 %", "0 %".
pub fn signed_percent(index: f64) -> String {
    let p = percent_difference(index);
    match p.signum() {
        1 => format!("+{p} %"),
        -1 => format!("\u{2212}{} %", p.unsigned_abs()),
        _ => "0 %".to_string(),
    }
}
