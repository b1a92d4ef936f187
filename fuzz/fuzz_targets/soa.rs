//! soa.yaml text: parse and validation against the built-in catalog.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(broken) = aimsdoc::fuzzing::soa(data) {
        panic!("{broken}");
    }
});
