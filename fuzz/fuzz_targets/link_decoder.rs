//! Fuzz the link decoder: any URL fragment must give a scenario or problems with a path
//! and a message, never a panic; a scenario that decodes must compute and encode back to
//! a link that decodes to the same scenario.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onebudget_engine::link;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // Half the time, wrap the bytes as a well-formed link so the fuzzer reaches the JSON inside.
    let fragment = if data.first().is_some_and(|b| b & 1 == 1) {
        let mut wrapped = String::from(link::LINK_PREFIX);
        link::base64url_encode_into(&data[1..], &mut wrapped);
        wrapped
    } else {
        text.into_owned()
    };
    match link::decode(&fragment) {
        Err(problems) => {
            assert!(!problems.is_empty());
            for p in &problems {
                assert!(!p.path.trim().is_empty() && !p.message.trim().is_empty(), "{p:?}");
            }
        }
        Ok(scenario) => {
            assert!(scenario.compute().is_ok(), "a linked scenario that decodes computes");
            assert_eq!(link::decode(&link::encode(&scenario)).as_ref(), Ok(&scenario));
        }
    }
});
