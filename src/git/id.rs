//! What git names objects by: an [`ObjectId`] (the hex digest of a SHA-1 or SHA-256
//! repository) and an [`ObjectKind`], checked where git's output is read so that the rest of
//! aimsdoc never holds an id that is not one.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize};

use super::error::GitError;

/// The full id of a git object: 40 lowercase hex digits (SHA-1 repositories) or 64
/// (SHA-256 repositories). Serialized as that text, exactly as git prints it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct ObjectId(String);

/// Hex digits in a SHA-1 object id.
const SHA1_HEX: usize = 40;
/// Hex digits in a SHA-256 object id.
const SHA256_HEX: usize = 64;
/// Hex digits of an abbreviated id.
const SHORT: usize = 10;

impl ObjectId {
    /// An id as git prints it. Uppercase digits are accepted and stored in lowercase (git
    /// reads either and prints lowercase); anything that is not 40 or 64 hex digits is a
    /// [`GitError::Parse`].
    pub fn parse(text: &str) -> Result<ObjectId, GitError> {
        let hex = (text.len() == SHA1_HEX || text.len() == SHA256_HEX)
            && text.bytes().all(|b| b.is_ascii_hexdigit());
        if hex {
            Ok(ObjectId(text.to_ascii_lowercase()))
        } else {
            Err(GitError::Parse(format!("`{text}` is not a git object id")))
        }
    }

    /// An id from its raw digest (20 or 32 bytes, as in a tree object), `None` for any other
    /// length.
    pub fn from_bytes(raw: &[u8]) -> Option<ObjectId> {
        (raw.len() * 2 == SHA1_HEX || raw.len() * 2 == SHA256_HEX)
            .then(|| ObjectId(raw.iter().map(|b| format!("{b:02x}")).collect()))
    }

    /// The id as hex text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first 10 hex digits, as aimsdoc shows a commit in a page.
    pub fn short(&self) -> &str {
        self.0.get(..SHORT).unwrap_or(&self.0)
    }

    /// How many bytes the raw digest has (20 for SHA-1, 32 for SHA-256).
    pub fn raw_len(&self) -> usize {
        self.0.len() / 2
    }

    /// Whether the id is git's "no object" (all zeros), as `git log --raw` prints for the
    /// side of a change where the file does not exist.
    pub fn is_null(&self) -> bool {
        self.0.bytes().all(|b| b == b'0')
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for ObjectId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl FromStr for ObjectId {
    type Err = GitError;

    fn from_str(s: &str) -> Result<ObjectId, GitError> {
        ObjectId::parse(s)
    }
}

/// Read back from aimsdoc's own files (a version folder's state): text that is not an id is
/// an error there too, so such a file is not trusted.
impl<'de> Deserialize<'de> for ObjectId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ObjectId, D::Error> {
        let text = String::deserialize(d)?;
        ObjectId::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// The four kinds of git object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObjectKind {
    /// A file's contents (or a symbolic link's target).
    Blob,
    /// A folder listing.
    Tree,
    /// A commit.
    Commit,
    /// An annotated tag.
    Tag,
}

impl ObjectKind {
    /// The kind as git names it (`blob`, `tree`, `commit`, `tag`).
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectKind::Blob => "blob",
            ObjectKind::Tree => "tree",
            ObjectKind::Commit => "commit",
            ObjectKind::Tag => "tag",
        }
    }
}

impl fmt::Display for ObjectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ObjectKind {
    type Err = GitError;

    /// A kind as git prints it (`cat-file` headers, `for-each-ref %(objecttype)`).
    fn from_str(s: &str) -> Result<ObjectKind, GitError> {
        match s {
            "blob" => Ok(ObjectKind::Blob),
            "tree" => Ok(ObjectKind::Tree),
            "commit" => Ok(ObjectKind::Commit),
            "tag" => Ok(ObjectKind::Tag),
            _ => Err(GitError::Parse(format!("`{s}` is not a git object type"))),
        }
    }
}

/// An object git has: its id and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object {
    /// The object's id.
    pub id: ObjectId,
    /// What the object is.
    pub kind: ObjectKind,
}

impl Object {
    /// The id when the object is a tree.
    pub fn tree(self) -> Option<ObjectId> {
        (self.kind == ObjectKind::Tree).then_some(self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA1: &str = "ce013625030ba8dba906f756967f9e9ca394464a";

    #[test]
    fn ids_are_40_or_64_hex_digits() {
        let id = ObjectId::parse(SHA1).expect("a SHA-1 id");
        assert_eq!(id.as_str(), SHA1);
        assert_eq!(id.to_string(), SHA1);
        assert_eq!(id.raw_len(), 20);
        assert_eq!(id.short(), "ce01362503");
        let long = "0123456789abcdef".repeat(4);
        let id = ObjectId::parse(&long).expect("a SHA-256 id");
        assert_eq!(id.as_str(), long);
        assert_eq!(id.raw_len(), 32);
        for bad in [
            "",
            "HEAD",
            &SHA1[..39],
            &format!("{SHA1}0"),
            &format!("{}g", &SHA1[..39]),
            &format!(" {}", &SHA1[..39]),
            &format!("{SHA1}\n"),
            &"a".repeat(63),
            &"é".repeat(20),
        ] {
            assert!(
                matches!(ObjectId::parse(bad), Err(GitError::Parse(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn uppercase_ids_are_the_same_id_in_lowercase() {
        let id = ObjectId::parse(&SHA1.to_ascii_uppercase()).expect("hex");
        assert_eq!(id, ObjectId::parse(SHA1).expect("hex"));
        assert_eq!(id.as_str(), SHA1);
    }

    #[test]
    fn ids_from_raw_digests() {
        let id = ObjectId::from_bytes(&[0xab; 20]).expect("20 bytes");
        assert_eq!(id.as_str(), "ab".repeat(20));
        assert_eq!(
            ObjectId::from_bytes(&[1; 32]).map(|i| i.to_string()),
            Some("01".repeat(32))
        );
        assert!(ObjectId::from_bytes(&[0; 19]).is_none());
        assert!(ObjectId::from_bytes(&[]).is_none());
    }

    #[test]
    fn the_null_id() {
        assert!(ObjectId::parse(&"0".repeat(40)).expect("hex").is_null());
        assert!(ObjectId::parse(&"0".repeat(64)).expect("hex").is_null());
        assert!(!ObjectId::parse(SHA1).expect("hex").is_null());
    }

    #[test]
    fn ids_are_stored_as_plain_json_strings() {
        let id = ObjectId::parse(SHA1).expect("hex");
        let json = serde_json::to_string(&id).expect("serializes");
        assert_eq!(json, format!("\"{SHA1}\""));
        let back: ObjectId = serde_json::from_str(&json).expect("reads back");
        assert_eq!(back, id);
        assert!(serde_json::from_str::<ObjectId>("\"not an id\"").is_err());
        assert!(serde_json::from_str::<ObjectId>("40").is_err());
    }

    #[test]
    fn kinds_as_git_names_them() {
        for (text, kind) in [
            ("blob", ObjectKind::Blob),
            ("tree", ObjectKind::Tree),
            ("commit", ObjectKind::Commit),
            ("tag", ObjectKind::Tag),
        ] {
            assert_eq!(text.parse::<ObjectKind>().ok(), Some(kind));
            assert_eq!(kind.as_str(), text);
            assert_eq!(kind.to_string(), text);
        }
        for bad in ["", "Tree", "trees", "missing", "ambiguous", "submodule"] {
            assert!(
                matches!(bad.parse::<ObjectKind>(), Err(GitError::Parse(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn an_object_is_a_tree_or_not() {
        let id = ObjectId::parse(SHA1).expect("hex");
        let of = |kind| Object {
            id: id.clone(),
            kind,
        };
        assert_eq!(of(ObjectKind::Tree).tree(), Some(id.clone()));
        assert_eq!(of(ObjectKind::Blob).tree(), None);
        assert_eq!(of(ObjectKind::Commit).tree(), None);
    }
}
