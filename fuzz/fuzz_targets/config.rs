//! aims.toml text: parse and validation.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(broken) = aimsdoc::fuzzing::config(data) {
        panic!("{broken}");
    }
});
