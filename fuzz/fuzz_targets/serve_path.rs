//! A raw HTTP request target: serve's percent decoding and path mapping.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(broken) = aimsdoc::fuzzing::serve_path(data) {
        panic!("{broken}");
    }
});
