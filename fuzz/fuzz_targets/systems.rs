//! systems.yaml text: the AI system inventory's parse and checks.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(broken) = aimsdoc::fuzzing::systems(data) {
        panic!("{broken}");
    }
});
