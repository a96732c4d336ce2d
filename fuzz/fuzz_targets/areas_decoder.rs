//! Fuzz the areas asset decoder: any bytes must decode or be refused, never panic. Half the
//! inputs get a valid header and content hash stamped on them, so the fuzzer reaches the
//! checks past the hash; what decodes must also search, rank and share out without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onebudget_engine::areas::asset::{content_hash, MAGIC};
use onebudget_engine::areas::fair_share::{fair_shares, CORE_SERVICES_2024_25};
use onebudget_engine::areas::search::SearchIndex;
use onebudget_engine::areas::{decode, AreaKind, Component};

fuzz_target!(|data: &[u8]| {
    let bytes = if data.first().is_some_and(|b| b & 1 == 1) {
        // A version-1 header for 2025/26 with the counts the input gives, then the body.
        let mut b = MAGIC.to_vec();
        b.extend_from_slice(&1u16.to_le_bytes());
        b.extend_from_slice(&2025u16.to_le_bytes());
        b.extend_from_slice(data.get(1..9).unwrap_or(&[1, 0, 0, 0, 1, 0, 1, 0]));
        let body = data.get(9..).unwrap_or(&[]);
        b.resize(20, 0);
        b.extend_from_slice(&(body.len() as u32).to_le_bytes());
        let hash = content_hash(&[&b[..24], body]);
        b.extend_from_slice(&hash.to_le_bytes());
        b.extend_from_slice(body);
        b
    } else {
        data.to_vec()
    };
    if let Ok(dataset) = decode(&bytes) {
        let _ = SearchIndex::new(&dataset).search("a", 10);
        for kind in [AreaKind::Icb, AreaKind::Lad] {
            let _ = fair_shares(&dataset, kind, CORE_SERVICES_2024_25, Component::Core);
        }
    }
});
