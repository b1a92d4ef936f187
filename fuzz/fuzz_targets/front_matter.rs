//! One Markdown file's bytes: front-matter split, typed front-matter parse, Markdown pass.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(broken) = aimsdoc::fuzzing::front_matter(data) {
        panic!("{broken}");
    }
});
