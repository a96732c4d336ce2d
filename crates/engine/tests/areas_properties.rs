//! The areas module on made-up years (proptest): decoding never panics on any bytes, even
//! bytes that pass the content hash; what is encoded decodes to the stated precision; a
//! group's need index is its weighted population per person against its reference's;
//! fair shares add up to the national total; ranks follow the indices; every practice is
//! found by its code, postcode and name.

use onebudget_engine::areas::asset::{self, content_hash, encode};
use onebudget_engine::areas::fair_share::fair_shares;
use onebudget_engine::areas::place::place;
use onebudget_engine::areas::rank::ranking;
use onebudget_engine::areas::search::{Match, SearchIndex};
use onebudget_engine::areas::source::{SourcePractice, SourceYear, SOURCE_SCALE};
use onebudget_engine::areas::{decode, Area, AreaKind, Component, DataYear, Dataset};
use onebudget_engine::money::{self, Pence};
use proptest::prelude::*;
use proptest::sample::Index;

const LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";

/// One made-up practice: (code number, name words, postcode pieces, ICB, LAD, population in
/// 1/10¹⁰ of a person, index per component in millionths).
type Raw = (u32, Vec<usize>, (u8, u8, u8, u8), u8, u8, u64, [u32; 9]);

const WORDS: [&str; 8] = [
    "THE",
    "SURGERY",
    "MEDICAL",
    "CENTRE",
    "Park",
    "Road",
    "&",
    "ST. JOHN'S",
];

fn raw_practice() -> impl Strategy<Value = Raw> {
    (
        0u32..100_000,
        prop::collection::vec(0usize..WORDS.len(), 1..5),
        (0u8..26, 0u8..10, 0u8..20, 0u8..20),
        0u8..5,
        0u8..7,
        // From 0.001 to 150 000 people.
        prop_oneof![
            10_000_000u64..10_000_000_000,
            10_000_000_000u64..1_500_000_000_000_000
        ],
        prop::array::uniform9(0u32..6_000_000),
    )
}

fn source_year(raw: Vec<Raw>) -> SourceYear {
    let mut seen = std::collections::BTreeSet::new();
    let practices = raw
        .into_iter()
        .filter(|r| seen.insert(r.0))
        .map(
            |(number, words, (area, digit, l1, l2), icb, lad, population, index)| {
                let letter = (b'A' + (number % 26) as u8) as char;
                let weighted =
                    index.map(|i| (u128::from(population) * u128::from(i) / 1_000_000) as u64);
                SourcePractice {
                    code: format!("{letter}{number:05}"),
                    name: words
                        .iter()
                        .map(|&w| WORDS[w])
                        .collect::<Vec<_>>()
                        .join(" "),
                    postcode: format!(
                        "{}{} {digit}{}{}",
                        (b'A' + area) as char,
                        number % 30,
                        LETTERS[usize::from(l1)] as char,
                        LETTERS[usize::from(l2)] as char
                    ),
                    icb_code: format!("Q{icb:02}"),
                    icb_name: format!("NHS Place {icb} ICB"),
                    lad_code: format!("E0{lad:07}"),
                    lad_name: format!("District, {lad}"),
                    population,
                    weighted,
                }
            },
        )
        .collect();
    SourceYear {
        year: DataYear::DEFAULT,
        practices,
    }
}

fn year() -> impl Strategy<Value = SourceYear> {
    prop::collection::vec(raw_practice(), 1..60).prop_map(source_year)
}

/// Bytes whose header length and content hash are made right again after a change, so
/// the decoder's checks past the hash are reached.
fn restamped(mut bytes: Vec<u8>) -> Vec<u8> {
    if bytes.len() >= 32 {
        let body_len = (bytes.len() - 32) as u32;
        bytes[20..24].copy_from_slice(&body_len.to_le_bytes());
        let hash = content_hash(&[&bytes[..24], &bytes[32..]]);
        bytes[24..32].copy_from_slice(&hash.to_le_bytes());
    }
    bytes
}

fn weighted_per_person(data: &Dataset, practices: &[u32], c: Component) -> f64 {
    let (mut w, mut p) = (0f64, 0f64);
    for &i in practices {
        let practice = data.practice(i).unwrap();
        w += practice.weighted(c) as f64;
        p += f64::from(practice.population);
    }
    w / p
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn decoding_any_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = decode(&bytes);
        let mut with_magic = asset::MAGIC.to_vec();
        with_magic.extend_from_slice(&[1, 0, 0xe9, 0x07]);
        with_magic.extend_from_slice(&bytes);
        let _ = decode(&restamped(with_magic));
    }

    #[test]
    fn decoding_a_damaged_asset_never_panics_even_past_the_hash(
        source in year(),
        edits in prop::collection::vec((any::<Index>(), any::<u8>(), 0u8..4), 1..8),
    ) {
        let mut bytes = encode(&source).unwrap().bytes;
        for (at, value, how) in edits {
            let i = 32 + at.index(bytes.len().saturating_sub(32).max(1));
            match how {
                0 if i < bytes.len() => bytes[i] = value,
                1 if i < bytes.len() => { bytes.remove(i); }
                2 => bytes.insert(i.min(bytes.len()), value),
                _ => bytes.truncate(i),
            }
        }
        // Without restamping, the hash refuses it; with, every other rule is tried.
        let _ = decode(&bytes);
        if let Ok(data) = decode(&restamped(bytes)) {
            // Whatever decodes also computes.
            let _ = fair_shares(&data, AreaKind::Icb, Pence(1_000_000), Component::Core);
            let _ = SearchIndex::new(&data).search("a", 5);
        }
    }

    #[test]
    fn what_is_encoded_decodes_to_the_stated_precision(source in year()) {
        let data = decode(&encode(&source).unwrap().bytes).unwrap();
        prop_assert_eq!(data.practices().len(), source.practices.len());
        let mut total = 0u64;
        for s in &source.practices {
            let p = data.practice(data.practice_by_code(&s.code).unwrap()).unwrap();
            prop_assert_eq!(&p.name, &s.name);
            prop_assert_eq!(&p.postcode, &s.postcode);
            prop_assert_eq!(data.code(Area::Icb(p.icb)), s.icb_code.as_str());
            prop_assert_eq!(data.name(Area::Lad(p.lad)), s.lad_name.as_str());
            let people = s.population as f64 / SOURCE_SCALE as f64;
            prop_assert!((p.people() - people).abs() < 0.01);
            for c in Component::ALL {
                let exact = s.weighted[c.position()] as f64 / s.population as f64;
                prop_assert!((p.index(c) - exact).abs() <= 0.0007 + 1e-12, "{} {}", p.index(c), exact);
            }
            total += s.population;
        }
        let people = total as f64 / SOURCE_SCALE as f64;
        prop_assert!((data.england().people() - people).abs() <= 0.005 + 1e-9);
    }

    #[test]
    fn a_groups_index_is_its_weighted_population_per_person_against_the_reference(
        source in year(),
        picks in prop::collection::vec(any::<Index>(), 1..20),
    ) {
        let data = decode(&encode(&source).unwrap().bytes).unwrap();
        let n = data.practices().len();
        let codes: Vec<String> = picks
            .iter()
            .map(|i| data.practice(i.index(n) as u32).unwrap().code.clone())
            .collect();
        let group = place(&data, &codes);
        let everyone = data.members(Area::England);
        for c in Component::ALL {
            let reference = weighted_per_person(&data, everyone, c);
            if reference == 0.0 {
                prop_assert_eq!(group.against_england[c.position()], None);
                continue;
            }
            let expected = weighted_per_person(&data, &group.practices, c) / reference;
            match group.against_england[c.position()] {
                Some(got) => prop_assert!((got - expected).abs() <= 1e-9 * expected.max(1.0)),
                None => prop_assert!(group.totals.population == 0),
            }
            if let (Some(icb), Some(against)) = (group.icb(), group.against_icb) {
                let reference = weighted_per_person(&data, data.members(Area::Icb(icb)), c);
                if let Some(got) = against[c.position()] {
                    let expected = weighted_per_person(&data, &group.practices, c) / reference;
                    prop_assert!((got - expected).abs() <= 1e-9 * expected.max(1.0));
                }
            }
        }
        // Order and repeats do not matter: a place is a set.
        let mut reversed = codes.clone();
        reversed.reverse();
        reversed.extend(codes.iter().map(|c| c.to_lowercase()));
        prop_assert_eq!(place(&data, &reversed).totals, group.totals);
    }

    #[test]
    fn fair_shares_add_up_to_the_national_total(
        source in year(),
        total in 1i64..10_000_000_000_000_000,
    ) {
        let data = decode(&encode(&source).unwrap().bytes).unwrap();
        for kind in [AreaKind::Icb, AreaKind::Lad, AreaKind::Practice] {
            for c in [Component::Core, Component::Maternity] {
                match fair_shares(&data, kind, Pence(total), c) {
                    Ok(parts) => {
                        prop_assert_eq!(money::sum(parts.iter().map(|p| p.total)), Ok(Pence(total)));
                    }
                    // Only when no area has any weighted population for the component.
                    Err(_) => prop_assert_eq!(data.england().weighted[c.position()], 0),
                }
            }
        }
    }

    #[test]
    fn ranks_follow_the_need_indices(source in year()) {
        let data = decode(&encode(&source).unwrap().bytes).unwrap();
        for kind in [AreaKind::Icb, AreaKind::Lad, AreaKind::Practice] {
            let order = ranking(&data, kind, Component::Core);
            let per_person = |a: Area| {
                weighted_per_person(&data, data.members(a), Component::Core)
            };
            for pair in order.windows(2) {
                prop_assert!(per_person(pair[0]) >= per_person(pair[1]) * (1.0 - 1e-12));
            }
        }
    }

    #[test]
    fn every_practice_is_found_by_code_postcode_and_name(source in year()) {
        let data = decode(&encode(&source).unwrap().bytes).unwrap();
        let index = SearchIndex::new(&data);
        for (i, p) in data.practices().iter().enumerate() {
            let me = Area::Practice(i as u32);
            let by_code = index.search(&p.code.to_lowercase(), 3);
            prop_assert_eq!(by_code.hits[0], onebudget_engine::areas::search::Hit { area: me, matched: Match::Code });
            let by_postcode = index.search(&p.postcode.replace(' ', ""), 1000);
            prop_assert!(by_postcode.hits.iter().any(|h| h.area == me && h.matched == Match::Code));
            let by_name = index.search(&p.name, 1000);
            prop_assert!(by_name.hits.iter().any(|h| h.area == me && h.matched <= Match::Name));
        }
    }
}

#[test]
fn truncated_assets_are_refused_at_every_length() {
    let source = source_year(vec![
        (
            81001,
            vec![0, 1],
            (19, 1, 2, 3),
            0,
            0,
            40_689_064_090_000,
            [1_285_000; 9],
        ),
        (
            81002,
            vec![2, 3],
            (19, 2, 4, 5),
            1,
            1,
            185_586_438_200_000,
            [1_262_000; 9],
        ),
    ]);
    let bytes = encode(&source).unwrap().bytes;
    assert!(decode(&bytes).is_ok());
    for len in 0..bytes.len() {
        assert!(decode(&bytes[..len]).is_err(), "{len}");
        // Restamped, so only the structure can refuse it.
        assert!(
            decode(&restamped(bytes[..len].to_vec())).is_err(),
            "restamped {len}"
        );
    }
}
