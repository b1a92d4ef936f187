//! Folders for the tests: copies of fixtures, a minimal AIMS, and output trees read back.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

/// Recursively copies a folder (files and folders only).
pub(crate) fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let ty = entry.file_type().unwrap();
        let to = dst.join(entry.file_name());
        if ty.is_dir() {
            copy_dir(&entry.path(), &to);
        } else if ty.is_file() {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
}

/// A temporary folder holding a copy of `src` at `TMP/aims`.
pub(crate) fn temp_copy(src: &Path) -> (TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("aims");
    copy_dir(src, &root);
    (tmp, root)
}

/// A temporary folder with a minimal AIMS (`aims.toml` only) at `TMP/aims`.
pub(crate) fn temp_aims() -> (TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("aims");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(
        root.join("aims.toml"),
        "title = \"Test AIMS\"\norganization = \"Test Ltd\"\n",
    )
    .unwrap();
    (tmp, root)
}

/// Writes `text` to `root/rel`, creating folders.
pub(crate) fn write(root: &Path, rel: &str, text: impl AsRef<[u8]>) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Every file below `dir` (hidden ones too, symlinks not followed) with its bytes, by
/// `/`-separated relative path.
pub(crate) fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap())
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let ty = e.file_type().unwrap();
            let p = e.path();
            if ty.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = rel_slash(base, &p);
                let bytes = if ty.is_symlink() {
                    format!("symlink -> {}", std::fs::read_link(&p).unwrap().display()).into_bytes()
                } else {
                    std::fs::read(&p).unwrap()
                };
                out.insert(rel, bytes);
            }
        }
    }
    walk(dir, dir, &mut out);
    out
}

/// `/`-separated path of `p` relative to `base`.
pub(crate) fn rel_slash(base: &Path, p: &Path) -> String {
    p.strip_prefix(base)
        .unwrap()
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Asserts two trees are identical, naming the first difference.
pub(crate) fn assert_same_tree(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) {
    let ka: Vec<&String> = a.keys().collect();
    let kb: Vec<&String> = b.keys().collect();
    if ka != kb {
        let only_a: Vec<_> = ka.iter().filter(|k| !b.contains_key(**k)).collect();
        let only_b: Vec<_> = kb.iter().filter(|k| !a.contains_key(**k)).collect();
        panic!("file lists differ: only in first {only_a:?}, only in second {only_b:?}");
    }
    for (k, v) in a {
        assert!(v == &b[k], "{k} differs");
    }
}
