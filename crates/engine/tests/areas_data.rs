//! The areas assets (static/areas/*.bin) against NHS England's files
//! (data/nhs-place-based-allocations/*.csv): every practice and year to the stated
//! precision, England's totals, the number of ICBs, DOMAIN.md's worked example 2, the April
//! 2026 mergers, fair shares, search, and the need-index rule on real groups of practices.

use onebudget_engine::areas::fair_share::{fair_shares, CORE_SERVICES_2024_25};
use onebudget_engine::areas::need::index;
use onebudget_engine::areas::place::place;
use onebudget_engine::areas::report::area_report;
use onebudget_engine::areas::search::{Match, SearchIndex};
use onebudget_engine::areas::source::{self, SourceYear, SOURCE_SCALE};
use onebudget_engine::areas::trend::{icb_changes, trend};
use onebudget_engine::areas::{
    decode, published, Area, AreaKind, Component, DataYear, Dataset, INDEX_SCALE, POPULATION_SCALE,
};
use onebudget_engine::money::{self, Pence};
use proptest::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::OnceLock;

fn repository(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

fn year(start: u16) -> DataYear {
    DataYear::parse(&start.to_string()).unwrap()
}

/// Every year's source file and decoded asset, read once.
fn all() -> &'static [(SourceYear, Dataset)] {
    static ALL: OnceLock<Vec<(SourceYear, Dataset)>> = OnceLock::new();
    ALL.get_or_init(|| {
        DataYear::ALL
            .iter()
            .map(|&y| {
                let csv = repository("data/nhs-place-based-allocations").join(y.source_file_name());
                let text =
                    std::fs::read_to_string(&csv).expect("the source file is in the repository");
                let source = source::read(y, &text).expect("the source file reads");
                let asset = repository("static/areas").join(format!("{}.bin", y.file_stem()));
                let bytes = std::fs::read(&asset).expect("the asset is in the repository");
                (source, decode(&bytes).expect("the asset decodes"))
            })
            .collect()
    })
}

fn dataset(start: u16) -> &'static Dataset {
    &all().iter().find(|(s, _)| s.year == year(start)).unwrap().1
}

fn people(units: u64) -> f64 {
    units as f64 / SOURCE_SCALE as f64
}

/// The name most practices give each code (the asset's rule), from the source.
fn majority(pairs: impl Iterator<Item = (String, String)>) -> HashMap<String, String> {
    let mut counts: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for (code, name) in pairs {
        *counts.entry(code).or_default().entry(name).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(code, names)| {
            let most = names.values().max().copied().unwrap();
            let name = names.into_iter().find(|(_, c)| *c == most).unwrap().0;
            (code, name)
        })
        .collect()
}

#[test]
fn every_practice_of_every_year_agrees_with_the_source_to_the_stated_precision() {
    for (source, data) in all() {
        let label = source.year.label();
        assert_eq!(data.year(), source.year);
        assert_eq!(data.practices().len(), source.practices.len(), "{label}");
        let icb_names = majority(
            source
                .practices
                .iter()
                .map(|p| (p.icb_code.clone(), p.icb_name.clone())),
        );
        let lad_names = majority(
            source
                .practices
                .iter()
                .map(|p| (p.lad_code.clone(), p.lad_name.clone())),
        );
        let (mut other_way, mut values) = (0, 0);
        for s in &source.practices {
            let i = data
                .practice_by_code(&s.code)
                .unwrap_or_else(|| panic!("{label} {}", s.code));
            let p = data.practice(i).unwrap();
            assert_eq!(
                (&p.code, &p.name, &p.postcode),
                (&s.code, &s.name, &s.postcode),
                "{label}"
            );
            let icb = Area::Icb(p.icb);
            let lad = Area::Lad(p.lad);
            assert_eq!(data.code(icb), s.icb_code, "{label} {}", s.code);
            assert_eq!(data.code(lad), s.lad_code, "{label} {}", s.code);
            assert_eq!(data.name(icb), icb_names[&s.icb_code], "{label} {}", s.code);
            assert_eq!(data.name(lad), lad_names[&s.lad_code], "{label} {}", s.code);
            // Population to 1/100 of a person.
            let population = people(s.population);
            assert!(
                (p.people() - population).abs() < 1.0 / POPULATION_SCALE as f64,
                "{label} {}: {} against {population}",
                s.code,
                p.people()
            );
            let nearest_population = (population * POPULATION_SCALE as f64).round() as u32;
            // Each need index within 0.0007 (the nearest thousandth, or the other way when
            // within 0.2 of half way).
            for c in Component::ALL {
                let exact = s.weighted[c.position()] as f64 / s.population as f64;
                let held = p.index(c);
                assert!(
                    (held - exact).abs() <= 0.7 / INDEX_SCALE as f64 + 1e-12,
                    "{label} {} {}: {held} against {exact}",
                    s.code,
                    c.key()
                );
                values += 1;
                if p.index[c.position()] != (exact * INDEX_SCALE as f64).round() as u32 {
                    other_way += 1;
                }
            }
            if p.population != nearest_population {
                other_way += 1;
            }
        }
        // The largest-remainder rule moves few figures off the nearest.
        assert!(
            other_way * 100 < values,
            "{label}: {other_way} of {values} rounded the other way"
        );
        let icb_codes: std::collections::BTreeSet<&String> =
            source.practices.iter().map(|p| &p.icb_code).collect();
        assert_eq!(
            data.icbs().len(),
            icb_codes.len(),
            "{label}: every ICB listed once"
        );
    }
}

#[test]
fn englands_totals_are_the_sources_and_weighted_equals_registered_to_the_person() {
    for (source, data) in all() {
        let label = source.year.label();
        let england = data.england();
        let population: u64 = source.practices.iter().map(|p| p.population).sum();
        // Population: the source's total to 1/100 of a person.
        assert!(
            (england.people() - people(population)).abs() <= 0.005 + 1e-9,
            "{label}"
        );
        for c in Component::ALL {
            let weighted: u64 = source
                .practices
                .iter()
                .map(|p| p.weighted[c.position()])
                .sum();
            // Each weighted population: the source's within half a person …
            assert!(
                (england.weighted_people(c) - people(weighted)).abs() < 0.5,
                "{label} {}: {} against {}",
                c.key(),
                england.weighted_people(c),
                people(weighted)
            );
            // … and equal to the registered population to the person, in the source and the
            // asset alike (SOURCES.md: the weighted populations are normalised to it).
            assert_eq!(
                people(weighted).round(),
                people(population).round(),
                "{label} {}",
                c.key()
            );
            assert_eq!(
                england.weighted_people(c).round(),
                england.people().round(),
                "{label} {}",
                c.key()
            );
            // So England's need index against itself is 1 to well within a millionth.
            let i = index(&england, &england, c).unwrap();
            assert_eq!(i, 1.0);
        }
    }
    // SOURCES.md's totals.
    assert_eq!(dataset(2023).england().people().round(), 61_903_547.0);
    assert_eq!(dataset(2024).england().people().round(), 62_154_630.0);
}

#[test]
fn forty_two_icbs_until_april_2026_then_thirty_six() {
    let icbs: Vec<usize> = DataYear::ALL
        .iter()
        .map(|y| dataset(y.start()).icbs().len())
        .collect();
    assert_eq!(icbs, [42, 42, 42, 36, 36, 36]);
    for y in DataYear::ALL {
        assert_eq!(dataset(y.start()).lads().len(), 309, "{y}");
    }
    let practices: Vec<usize> = DataYear::ALL
        .iter()
        .map(|y| dataset(y.start()).practices().len())
        .collect();
    assert_eq!(practices, [6553, 6553, 6348, 6281, 6281, 6281]);
}

#[test]
fn domain_example_2_a81001_and_a81002_in_2024_25() {
    let data = dataset(2024);
    let england = data.england();
    let a = data.practice_by_code("A81001").unwrap();
    // Codes are found in any letter case.
    assert!(data.practice_by_code("a81002").is_some());
    let one = data.totals(Area::Practice(a));
    assert!((one.people() - 4068.906).abs() < 0.01);
    // 5 230.216 at the asset's precision: population × index to 1/1000.
    assert!((one.weighted_people(Component::Core) - 5230.216).abs() < 4068.906 / 1000.0);
    assert_eq!(
        format!("{:.3}", index(&one, &england, Component::Core).unwrap()),
        "1.285"
    );
    let both = place(data, &["A81001", "A81002"]);
    assert!((both.totals.people() - 22_627.55).abs() < 0.02);
    assert!((both.totals.weighted_people(Component::Core) - 28_652.81).abs() < 22_627.55 / 1000.0);
    assert_eq!(
        format!(
            "{:.3}",
            both.against_england[Component::Core.position()].unwrap()
        ),
        "1.266"
    );
    // Both are in one ICB, so the place also has an index against its ICB.
    assert_eq!(both.icb(), data.icb_by_code("QHM"));
    assert!(both.against_icb.is_some());
}

#[test]
fn the_published_list_names_each_file_with_its_length_and_hash() {
    assert_eq!(published::FILES.len(), DataYear::ALL.len());
    for (file, y) in published::FILES.iter().zip(DataYear::ALL) {
        assert_eq!(file.year, y);
        assert_eq!(file.path, format!("areas/{}.bin", y.file_stem()));
        let bytes = std::fs::read(repository("static").join(file.path)).unwrap();
        assert_eq!(file.bytes as usize, bytes.len());
        assert_eq!(file.content_hash, dataset(y.start()).content_hash());
        assert!(file.integrity.starts_with("sha384-") && file.integrity.len() == 71);
    }
}

#[test]
fn every_practice_of_every_year_computes_sensibly_even_under_one_person() {
    let mut tiny = 0;
    for (_, data) in all() {
        for i in 0..data.practices().len() as u32 {
            let area = Area::Practice(i);
            let report =
                area_report(data, area, CORE_SERVICES_2024_25, Component::Core, &[]).unwrap();
            let core = report.need.get(Component::Core).unwrap();
            assert!(core.is_finite() && core > 0.0, "{}", report.code);
            assert!(
                report.sentence.starts_with("People registered at"),
                "{}",
                report.sentence
            );
            assert!(report.fair_share.per_person.is_some());
            if report.registered_population < 1.0 {
                tiny += 1;
                assert_eq!(report.notes.len(), 1, "{}", report.code);
            }
        }
    }
    // The data has practices of less than one person in every year (3 in 2023/24 …).
    assert!(tiny >= 6 * 3, "{tiny}");
    // Indices from 0.34 to 5.6 and beyond are held (2025/26's extremes).
    let data = dataset(2025);
    let core = |code: &str| {
        data.practice(data.practice_by_code(code).unwrap())
            .unwrap()
            .index(Component::Core)
    };
    assert_eq!(core("L81617"), 0.340);
    assert_eq!(core("Y02625"), 5.631);
}

#[test]
fn the_april_2026_mergers_are_found_from_the_practices() {
    let (before, after) = (dataset(2025), dataset(2026));
    let changes = icb_changes(before, after);
    let moved = |from: &str, to: &str| {
        changes
            .moves
            .iter()
            .find(|m| m.from.code == from && m.to.code == to)
            .map(|m| m.practices)
    };
    // Bedfordshire, Luton and Milton Keynes joined Hertfordshire and West Essex (in part) and
    // Cambridgeshire and Peterborough in NHS Central East ICB (T01).
    assert_eq!(moved("QHG", "T01"), Some(87));
    assert_eq!(moved("QUE", "T01"), Some(87));
    assert_eq!(moved("QM7", "T01"), Some(98));
    assert_eq!(moved("QM7", "T02"), Some(30));
    // Frimley was split three ways; Devon did not change.
    assert_eq!(moved("QNQ", "T05"), Some(42));
    assert_eq!(moved("QNQ", "QRL"), Some(14));
    assert_eq!(moved("QNQ", "T07"), Some(11));
    assert_eq!(moved("QJK", "QJK"), Some(118));
    let new: std::collections::BTreeSet<&str> = changes
        .changed()
        .map(|m| m.to.code.as_str())
        .filter(|c| before.icb_by_code(c).is_none())
        .collect();
    assert_eq!(
        new.into_iter().collect::<Vec<_>>(),
        ["T01", "T02", "T03", "T04", "T05", "T07"]
    );

    let years: Vec<&Dataset> = all().iter().map(|(_, d)| d).collect();
    let blmk = trend(
        &years,
        before,
        Area::Icb(before.icb_by_code("QHG").unwrap()),
    );
    assert!(blmk.as_published[..3].iter().all(|p| p.name.is_some()));
    assert!(blmk.as_published[3..].iter().all(|p| p.name.is_none()));
    assert!(blmk.same_practices.iter().all(|p| p.practices > 80));
    assert!(blmk
        .changes
        .iter()
        .any(|c| c.contains("is not an ICB from 2026/27")
            && c.contains("NHS Central East ICB (T01)")));
    let central_east = trend(&years, after, Area::Icb(after.icb_by_code("T01").unwrap()));
    assert!(central_east.as_published[..3]
        .iter()
        .all(|p| p.name.is_none()));
    assert!(central_east.same_practices[0].practices > 250);
    assert!(central_east
        .changes
        .iter()
        .any(|c| c.contains("formed from practices of")
            && c.contains("(QHG)")
            && c.contains("(QM7)")
            && c.contains("(QUE)")));
    // A practice that moved says so; one that closed says when.
    let luton = before
        .practices()
        .iter()
        .find(|p| {
            before.code(Area::Icb(p.icb)) == "QHG" && after.practice_by_code(&p.code).is_some()
        })
        .unwrap();
    let moved = trend(
        &years,
        before,
        Area::Practice(before.practice_by_code(&luton.code).unwrap()),
    );
    assert!(
        moved
            .changes
            .iter()
            .any(|c| c.contains("moved ICB in 2026/27")),
        "{:?}",
        moved.changes
    );
    let closed = dataset(2024)
        .practices()
        .iter()
        .find(|p| before.practice_by_code(&p.code).is_none())
        .unwrap();
    let gone = trend(
        &years,
        dataset(2024),
        Area::Practice(dataset(2024).practice_by_code(&closed.code).unwrap()),
    );
    assert!(
        gone.changes
            .iter()
            .any(|c| c.contains("is not in the data from 2025/26")),
        "{:?}",
        gone.changes
    );
    assert!(gone.as_published[2].name.is_none());
}

#[test]
fn fair_shares_among_icbs_add_up_and_order_as_the_commons_library_reports() {
    for (_, data) in all() {
        let parts =
            fair_shares(data, AreaKind::Icb, CORE_SERVICES_2024_25, Component::Core).unwrap();
        assert_eq!(
            money::sum(parts.iter().map(|p| p.total)),
            Ok(CORE_SERVICES_2024_25)
        );
    }
    // CBP-10031, 2024/25 allocations: Cheshire and Merseyside the highest per person,
    // Buckinghamshire, Oxfordshire and Berkshire West the lowest; England about £1,732. The
    // estimate (need alone, no pace of change) agrees on the highest and puts BOB third
    // lowest, after South West London and Cambridgeshire and Peterborough.
    let data = dataset(2024);
    let parts = fair_shares(data, AreaKind::Icb, CORE_SERVICES_2024_25, Component::Core).unwrap();
    let per_person = |p: &onebudget_engine::areas::fair_share::SharePart| p.per_person.unwrap();
    let highest = parts.iter().max_by_key(|p| per_person(p)).unwrap();
    let lowest = parts.iter().min_by_key(|p| per_person(p)).unwrap();
    assert_eq!(data.code(highest.area), "QYG");
    let mut ordered: Vec<_> = parts.iter().collect();
    ordered.sort_by_key(|p| per_person(p));
    let lowest_three: Vec<&str> = ordered[..3].iter().map(|p| data.code(p.area)).collect();
    assert_eq!(lowest_three, ["QUE", "QWE", "QU9"]);
    assert_eq!(data.code(lowest.area), "QUE");
    let england = CORE_SERVICES_2024_25
        .mul_ratio(100, data.england().population as i64)
        .unwrap();
    assert_eq!(england.display_pounds(), "£1,731");
    // Need alone spreads ICBs less than the allocations did (£1,480–£1,986).
    assert!((Pence(190_000)..Pence(198_600)).contains(&per_person(highest)));
    assert!((Pence(148_000)..Pence(160_000)).contains(&per_person(lowest)));
}

#[test]
fn search_finds_practices_icbs_and_districts_by_name_code_and_postcode() {
    let data = dataset(2024);
    let index = SearchIndex::new(data);
    let first = |q: &str| {
        let found = index.search(q, 10);
        found
            .hits
            .first()
            .map(|h| (data.code(h.area).to_string(), h.matched))
    };
    assert_eq!(first("densham"), Some(("A81001".into(), Match::Words)));
    assert_eq!(first("Densham Surg"), Some(("A81001".into(), Match::Words)));
    assert_eq!(first("a81001"), Some(("A81001".into(), Match::Code)));
    assert_eq!(first("ts18 1hu"), Some(("A81001".into(), Match::Code)));
    assert_eq!(first("QHM"), Some(("QHM".into(), Match::Code)));
    assert_eq!(first("e06000046"), Some(("E06000046".into(), Match::Code)));
    assert_eq!(first("Isle of Wight").unwrap().0, "E06000046");
    // A district before practices of the same name.
    assert_eq!(first("stockton").unwrap().0, "E06000004");
    assert_eq!(first("north east and north cumbria").unwrap().0, "QHM");
    // Part of a postcode: every practice there.
    let ts18 = index.search("TS18", 100);
    assert!(ts18.total >= 5);
    assert!(ts18.hits.iter().all(|h| data
        .practice(match h.area {
            Area::Practice(i) => i,
            _ => panic!("only practices"),
        })
        .unwrap()
        .postcode
        .starts_with("TS18")));
    assert_eq!(index.search("", 10).total, 0);
    assert_eq!(index.search("zzzzqqq", 10).total, 0);
    let lots = index.search("surgery", 5);
    assert_eq!(lots.hits.len(), 5);
    assert!(lots.total > 500);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any group of real practices: its index is Σ weighted ÷ Σ population against England's,
    /// and against its ICB's when it lies in one, computed here from the practices alone.
    #[test]
    fn a_real_groups_index_is_its_weighted_population_per_person_against_the_reference(
        year_at in 0usize..6,
        picks in prop::collection::vec(any::<prop::sample::Index>(), 1..40),
        same_icb in any::<bool>(),
    ) {
        let data = &all()[year_at].1;
        let n = data.practices().len();
        let mut positions: Vec<u32> = picks.iter().map(|i| i.index(n) as u32).collect();
        if same_icb {
            let icb = data.practice(positions[0]).unwrap().icb;
            let members = data.members(Area::Icb(icb));
            positions = picks.iter().map(|i| members[i.index(members.len())]).collect();
        }
        let codes: Vec<String> = positions.iter().map(|&i| data.practice(i).unwrap().code.clone()).collect();
        let group = place(data, &codes);
        let ratio = |ps: &[u32], c: Component| {
            let (mut w, mut p) = (0f64, 0f64);
            for &i in ps {
                let practice = data.practice(i).unwrap();
                w += practice.weighted(c) as f64;
                p += practice.population as f64;
            }
            w / p
        };
        let everyone = data.members(Area::England).to_vec();
        for c in Component::ALL {
            let expected = ratio(&group.practices, c) / ratio(&everyone, c);
            let got = group.against_england[c.position()].unwrap();
            prop_assert!((got - expected).abs() <= 1e-9 * expected.max(1.0), "{got} {expected}");
            if let Some(icb) = group.icb() {
                let expected = ratio(&group.practices, c) / ratio(data.members(Area::Icb(icb)), c);
                let got = group.against_icb.unwrap()[c.position()].unwrap();
                prop_assert!((got - expected).abs() <= 1e-9 * expected.max(1.0));
            }
        }
        if same_icb {
            prop_assert!(group.against_icb.is_some());
        }
    }
}
