//! Gives the binary an id of what it was built from (the sources, the embedded theme and
//! catalogs, the locked dependencies), so that a versioned build can tell whether the pages it
//! carries over from a previous output were made by the same code. A copy of the same binary
//! (a fresh download in CI) has the same id; any change to what shapes the output gives a new
//! one.

use std::hash::{DefaultHasher, Hasher};
use std::path::{Path, PathBuf};

const INPUTS: &[&str] = &["src", "themes", "catalogs", "Cargo.lock", "Cargo.toml"];

fn files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        entries.sort();
        for e in entries {
            files(&e, out);
        }
    } else if path.is_file() {
        out.push(path.to_path_buf());
    }
}

fn main() {
    let mut all = Vec::new();
    for input in INPUTS {
        println!("cargo:rerun-if-changed={input}");
        files(Path::new(input), &mut all);
    }
    let mut h = DefaultHasher::new();
    for f in &all {
        h.write(f.to_string_lossy().replace('\\', "/").as_bytes());
        h.write_u8(0);
        h.write(&std::fs::read(f).unwrap_or_default());
        h.write_u8(0);
    }
    println!("cargo:rustc-env=AIMSDOC_BUILD_ID={:016x}", h.finish());
}
