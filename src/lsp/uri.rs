//! `file:` URIs and the paths of the AIMS. An editor names documents by URI; aimsdoc by path
//! relative to the AIMS root. A URI that is not a `file:` URI, or a file outside the root, has
//! no relative path, and every request about it is answered with nothing.

use std::path::{Component, Path, PathBuf};

use lsp_types::Uri;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// What stays unescaped in a path: as Python's `pathlib.Path.as_uri` and VS Code keep it.
const PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The absolute path a `file:` URI names (`None` for another scheme or a remote host).
pub(super) fn to_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    let slash = rest.find('/')?;
    let host = &rest[..slash];
    if !(host.is_empty() || host.eq_ignore_ascii_case("localhost")) {
        return None;
    }
    let path = &rest[slash..];
    let path = &path[..path.find(['?', '#']).unwrap_or(path.len())];
    let decoded = percent_decode_str(path).decode_utf8().ok()?.into_owned();
    // `file:///C:/x` on Windows.
    let decoded = if cfg!(windows) && decoded.as_bytes().get(2) == Some(&b':') {
        decoded[1..].to_string()
    } else {
        decoded
    };
    let p = PathBuf::from(decoded);
    p.is_absolute().then_some(p)
}

/// The `file:` URI of an absolute path.
pub(super) fn from_path(path: &Path) -> Option<Uri> {
    let s = path.to_str()?.replace('\\', "/");
    let s = if s.starts_with('/') {
        s
    } else {
        format!("/{s}")
    };
    format!("file://{}", utf8_percent_encode(&s, PATH))
        .parse()
        .ok()
}

/// The AIMS root, as given and as the file system resolves it (an editor may name files
/// either way, e.g. through a symbolic link to the folder).
#[derive(Debug, Clone)]
pub(super) struct Root {
    /// As given (absolute).
    pub(super) path: PathBuf,
    canonical: Option<PathBuf>,
}

impl Root {
    /// The root at `path` (made absolute against the current folder).
    pub(super) fn new(path: &Path) -> Root {
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        Root {
            canonical: path.canonicalize().ok(),
            path,
        }
    }

    /// The path relative to the root of the file a URI names; `None` outside the root (or
    /// with `..` in it).
    pub(super) fn relative(&self, uri: &Uri) -> Option<PathBuf> {
        let abs = to_path(uri)?;
        self.relative_path(&abs)
    }

    /// [`Self::relative`] for an absolute path.
    pub(super) fn relative_path(&self, abs: &Path) -> Option<PathBuf> {
        let rel = abs
            .strip_prefix(&self.path)
            .ok()
            .map(Path::to_path_buf)
            .or_else(|| {
                let canonical = self.canonical.as_ref()?;
                if let Ok(r) = abs.strip_prefix(canonical) {
                    return Some(r.to_path_buf());
                }
                // The file may not exist yet (an unsaved buffer): resolve its folder.
                let dir = abs.parent()?.canonicalize().ok()?;
                let r = dir.strip_prefix(canonical).ok()?;
                Some(r.join(abs.file_name()?))
            })?;
        let normal = rel.components().all(|c| matches!(c, Component::Normal(_)));
        (normal && !rel.as_os_str().is_empty()).then_some(rel)
    }

    /// The URI of a path relative to the root.
    pub(super) fn uri(&self, rel: &Path) -> Option<Uri> {
        from_path(&self.path.join(rel))
    }
}

/// The nearest folder at or above `start` that holds `aims.toml`.
pub(super) fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|d| d.join(crate::config::CONFIG_FILE).is_file())
        .map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(s: &str) -> Uri {
        s.parse().unwrap()
    }

    #[test]
    fn file_uris_round_trip_with_escapes() {
        let p = Path::new("/tmp/a b/é#1.md");
        let u = from_path(p).unwrap();
        assert_eq!(u.as_str(), "file:///tmp/a%20b/%C3%A9%231.md");
        assert_eq!(to_path(&u).unwrap(), p);
        assert_eq!(
            to_path(&uri("file://localhost/tmp/x.md")).unwrap(),
            Path::new("/tmp/x.md")
        );
        assert_eq!(to_path(&uri("untitled:Untitled-1")), None);
        assert_eq!(to_path(&uri("file://server/share/x.md")), None);
    }

    #[test]
    fn only_files_below_the_root_are_relative() {
        let dir = tempfile::tempdir().unwrap();
        let root = Root::new(dir.path());
        let inside = from_path(&dir.path().join("policies/new.md")).unwrap();
        assert_eq!(
            root.relative(&inside).unwrap(),
            Path::new("policies/new.md")
        );
        let outside = from_path(&dir.path().join("../elsewhere.md")).unwrap();
        assert_eq!(root.relative(&outside), None);
        assert_eq!(root.relative(&uri("file:///etc/passwd")), None);
        assert_eq!(root.relative(&from_path(dir.path()).unwrap()), None);
    }
}
