//! The documents open in the editor: their text as typed (not yet saved) and version, by
//! URI. Closing a document forgets it, so the store holds only what is open.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use lsp_types::{TextDocumentContentChangeEvent, Uri};

use super::overlay::Buffers;
use super::position::apply_change;
use super::uri::Root;

/// One open document.
pub(super) struct Open {
    /// Its text in the editor.
    pub(super) text: Arc<str>,
    /// The editor's version.
    pub(super) version: i32,
}

/// The open documents by URI.
#[derive(Default)]
pub(super) struct Store {
    docs: HashMap<Uri, Open>,
}

impl Store {
    /// A document was opened.
    pub(super) fn open(&mut self, uri: Uri, text: String, version: i32) {
        self.docs.insert(
            uri,
            Open {
                text: text.into(),
                version,
            },
        );
    }

    /// A document was edited; `false` when it is not open.
    pub(super) fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) -> bool {
        let Some(doc) = self.docs.get_mut(uri) else {
            return false;
        };
        let mut text = doc.text.to_string();
        for c in changes {
            apply_change(&mut text, c);
        }
        doc.text = text.into();
        doc.version = version;
        true
    }

    /// A document was closed.
    pub(super) fn close(&mut self, uri: &Uri) {
        self.docs.remove(uri);
    }

    /// An open document.
    pub(super) fn get(&self, uri: &Uri) -> Option<&Open> {
        self.docs.get(uri)
    }

    /// The open documents below `root`, by relative path, with their versions.
    pub(super) fn buffers(&self, root: &Root) -> (Buffers, HashMap<PathBuf, i32>) {
        let mut buffers = Buffers::new();
        let mut versions = HashMap::new();
        for (uri, doc) in &self.docs {
            if let Some(rel) = root.relative(uri) {
                versions.insert(rel.clone(), doc.version);
                buffers.insert(rel, doc.text.clone());
            }
        }
        (buffers, versions)
    }

    /// The URIs of the open documents.
    pub(super) fn uris(&self) -> impl Iterator<Item = &Uri> {
        self.docs.keys()
    }
}
