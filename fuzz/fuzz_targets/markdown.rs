//! One document body: Markdown pass, reference resolution, placeholder filling, public build.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(broken) = aimsdoc::fuzzing::markdown_pass(data) {
        panic!("{broken}");
    }
});
