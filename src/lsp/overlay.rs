//! The editor's unsaved buffers laid over the AIMS on disk: a [`Source`] that reads an open
//! buffer where there is one and the file on disk elsewhere, so that one compile sees the
//! AIMS as the author sees it in the editor. A buffer for a Markdown file not yet saved is a
//! document too. Nothing outside the root is read: the disk side is [`FsSource`].

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::Diagnostic;
use crate::load::{Escape, FsSource, Listing, PathFilter, Source};

/// Open buffers by path relative to the root.
pub(super) type Buffers = HashMap<PathBuf, Arc<str>>;

/// The files on disk below a root, with open buffers in place of their files.
pub(super) struct Overlay {
    disk: FsSource,
    buffers: Buffers,
}

impl Overlay {
    /// The AIMS at `root` with `buffers` laid over it.
    pub(super) fn new(root: &Path, buffers: Buffers) -> Overlay {
        Overlay {
            disk: FsSource::new(root),
            buffers,
        }
    }

    /// The text of a file as the compile sees it: the buffer, else the file on disk.
    pub(super) fn text(&self, rel: &Path) -> Option<Arc<str>> {
        match self.buffers.get(rel) {
            Some(t) => Some(t.clone()),
            None => {
                let bytes = self.disk.read(rel).ok()?;
                Some(String::from_utf8_lossy(&bytes).into())
            }
        }
    }
}

impl Source for Overlay {
    fn files(&self, filter: &PathFilter, diags: &mut Vec<Diagnostic>) -> Listing {
        let mut listing = self.disk.files(filter, diags);
        let unsaved: Vec<PathBuf> = self
            .buffers
            .keys()
            .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("md")))
            .filter(|p| !filter.skips(p) && self.disk.escape(p).is_none())
            .filter(|p| listing.files.binary_search(p).is_err())
            .cloned()
            .collect();
        if !unsaved.is_empty() {
            listing.files.extend(unsaved);
            listing.files.sort();
        }
        listing
    }

    fn read(&self, rel: &Path) -> io::Result<Vec<u8>> {
        match self.buffers.get(rel) {
            Some(t) if self.disk.escape(rel).is_none() => Ok(t.as_bytes().to_vec()),
            _ => self.disk.read(rel),
        }
    }

    fn exists(&self, rel: &Path) -> bool {
        self.buffers.contains_key(rel) || self.disk.exists(rel)
    }

    fn escape(&self, rel: &Path) -> Option<Escape> {
        self.disk.escape(rel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    #[test]
    fn buffers_win_over_disk_and_unsaved_documents_are_listed() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "aims.toml", "title = \"T\"\n");
        write(dir.path(), "a.md", "on disk");
        write(dir.path(), "b.md", "b on disk");
        let buffers: Buffers = [
            (PathBuf::from("a.md"), Arc::from("in the editor")),
            (PathBuf::from("new/c.md"), Arc::from("unsaved")),
            (PathBuf::from(".hidden.md"), Arc::from("skipped")),
            (PathBuf::from("notes.txt"), Arc::from("not a document")),
        ]
        .into();
        let o = Overlay::new(dir.path(), buffers);
        assert_eq!(o.read(Path::new("a.md")).unwrap(), b"in the editor");
        assert_eq!(o.read(Path::new("b.md")).unwrap(), b"b on disk");
        assert_eq!(o.read(Path::new("new/c.md")).unwrap(), b"unsaved");
        assert!(o.exists(Path::new("new/c.md")));
        assert!(!o.exists(Path::new("d.md")));
        let filter = PathFilter::new(&[], Vec::new());
        let files = o.files(&filter, &mut Vec::new()).files;
        let names: Vec<&str> = files.iter().map(|p| p.to_str().unwrap()).collect();
        assert_eq!(names, ["a.md", "aims.toml", "b.md", "new/c.md"]);
        assert_eq!(&*o.text(Path::new("b.md")).unwrap(), "b on disk");
    }

    #[test]
    fn the_overlay_compiles_like_the_disk_with_the_buffer_in_place() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "aims.toml",
            "title = \"T\"\norganization = \"O\"\n",
        );
        let doc = "---\nid: POL-1\ntitle: P\ncontrols: [A.6.2.8]\n---\nBody\n";
        write(dir.path(), "p.md", doc);
        let compile = |buffers: Buffers| {
            let o = Overlay::new(dir.path(), buffers);
            let opts = crate::pipeline::CompileOptions::new(
                dir.path(),
                Vec::new(),
                crate::date::Date::parse("2026-01-01").unwrap(),
            );
            let c = crate::pipeline::compile(&o, &opts, &crate::load::Uncached).unwrap();
            c.diagnostics
                .sorted()
                .into_iter()
                .filter(|d| d.code == crate::diagnostics::code::UNKNOWN_CONTROL)
                .count()
        };
        assert_eq!(compile(Buffers::new()), 0);
        let edited = doc.replace("A.6.2.8", "A.6.2.9");
        assert_eq!(
            compile([(PathBuf::from("p.md"), Arc::from(edited.as_str()))].into()),
            1
        );
    }
}
