//! Which tags are versions of the manual: selection by glob, ordering by the tagged commit's
//! date, and a safe output folder name for each.

use globset::{Glob, GlobSetBuilder};

use crate::config::VersionsConfig;
use crate::git::{GitError, ObjectId, ObjectKind, Repo};

/// One tagged release of the AIMS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// The tag name as in git.
    pub name: String,
    /// The tagged commit (annotated tags peeled).
    pub commit: ObjectId,
    /// The commit's committer date, seconds since the epoch.
    pub time: i64,
}

impl Tag {
    /// The commit date as `YYYY-MM-DD` (UTC).
    pub fn date(&self) -> String {
        date_of(self.time)
    }

    /// The folder of this version in the output: `v/<segment>/`.
    pub fn dir(&self) -> String {
        format!("v/{}/", segment(&self.name))
    }
}

/// `YYYY-MM-DD` (UTC) of a Unix time.
pub use crate::git::log::date_of;

/// Every tag pointing (directly or through an annotated tag) at a commit, unordered.
pub fn list_tags(repo: &Repo) -> Result<Vec<Tag>, GitError> {
    list_tags_in(&repo.top)
}

/// [`list_tags`] for the repository containing `dir`.
pub fn list_tags_in(dir: &std::path::Path) -> Result<Vec<Tag>, GitError> {
    let out = crate::git::run(dir, &[
        "for-each-ref",
        "refs/tags",
        "--format=%(refname:strip=2)%00%(objecttype)%00%(objectname)%00%(*objecttype)%00%(*objectname)%00%(committerdate:unix)%00%(*committerdate:unix)%00",
    ])?;
    let mut tags = Vec::new();
    // Tag names hold neither newlines nor NULs: one line per tag, NUL-separated fields.
    for line in out.split(|&b| b == b'\n') {
        let s: Vec<String> = line
            .split(|&b| b == 0)
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect();
        if s.len() < 7 {
            continue;
        }
        let kinds = (
            s[1].parse::<ObjectKind>().ok(),
            s[3].parse::<ObjectKind>().ok(),
        );
        let (commit, time) = match kinds {
            (Some(ObjectKind::Commit), _) => (&s[2], &s[5]),
            (Some(ObjectKind::Tag), Some(ObjectKind::Commit)) => (&s[4], &s[6]),
            _ => continue, // a tag of a tree or blob, or a tag of a tag
        };
        let Ok(time) = time.parse() else { continue };
        tags.push(Tag {
            name: s[0].clone(),
            commit: ObjectId::parse(commit)?,
            time,
        });
    }
    Ok(tags)
}

/// The tags `config` selects, oldest first (by commit date, then name), keeping the most
/// recent `keep`.
pub fn select(mut tags: Vec<Tag>, config: &VersionsConfig) -> Vec<Tag> {
    let mut b = GlobSetBuilder::new();
    for p in &config.tags {
        if let Ok(g) = Glob::new(p) {
            b.add(g);
        }
    }
    let Ok(set) = b.build() else {
        return Vec::new();
    };
    tags.retain(|t| set.is_match(&t.name));
    tags.sort_by(|a, b| (a.time, &a.name).cmp(&(b.time, &b.name)));
    if let Some(keep) = config.keep {
        let drop = tags.len().saturating_sub(keep);
        tags.drain(..drop);
    }
    tags
}

/// The longest folder name a tag gets as it is; longer ones are shortened. File systems
/// allow 255 bytes in one name; this leaves room for what other tools add to a name.
pub const MAX_SEGMENT: usize = 200;

/// How much of a long tag's encoded name its shortened folder name keeps.
const KEPT: usize = 60;

/// Names Windows reserves for devices, with or without an extension (`CON`, `nul.txt`).
fn reserved_on_windows(stem: &str) -> bool {
    let s = stem.to_ascii_uppercase();
    matches!(s.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (s.len() == 4
            && (s.starts_with("COM") || s.starts_with("LPT"))
            && s.as_bytes()[3].is_ascii_digit())
}

/// A tag name as one safe path segment on every common file system: ASCII letters, digits,
/// `-`, `_` and `.` are kept (a leading or trailing `.` is not), every other byte becomes
/// `~XX` (hex), and so does the first letter of a name Windows reserves (`CON` → `~43ON`),
/// so distinct names stay distinct and nothing can climb out of `v/`. A result longer than
/// [`MAX_SEGMENT`] bytes is shortened to its first 60 bytes, `~~` and 16 hex digits of the
/// tag name's SHA-256: `~~` never occurs in a name that is not shortened, so it cannot
/// clash with one.
pub fn segment(name: &str) -> String {
    let last = name.len().saturating_sub(1);
    let stem = name.split('.').next().unwrap_or_default();
    let mut out = String::with_capacity(name.len());
    for (i, b) in name.bytes().enumerate() {
        let keep = (b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
            && !(b == b'.' && (i == 0 || i == last))
            && !(i == 0 && reserved_on_windows(stem));
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("~{b:02X}"));
        }
    }
    if out.is_empty() {
        out.push('~');
    }
    if out.len() <= MAX_SEGMENT {
        return out;
    }
    // Cut before an escape rather than inside one (the encoded name is ASCII).
    let mut cut = 0;
    while cut < KEPT {
        let step = if out.as_bytes()[cut] == b'~' { 3 } else { 1 };
        if cut + step > KEPT {
            break;
        }
        cut += step;
    }
    let digest = crate::output::sha256_hex(name.as_bytes());
    format!("{}~~{}", &out[..cut], &digest[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_safe_and_distinct() {
        assert_eq!(segment("aims-2025.1"), "aims-2025.1");
        assert_eq!(segment("v3"), "v3");
        assert_eq!(segment("release/1.0"), "release~2F1.0");
        assert_eq!(segment(".."), "~2E~2E");
        assert_eq!(segment("."), "~2E");
        assert_eq!(segment("v1."), "v1~2E");
        assert_eq!(segment("a~2F"), "a~7E2F");
        assert_eq!(segment("é"), "~C3~A9");
        assert_eq!(segment(""), "~");
        assert_eq!(segment("CON"), "~43ON");
        assert_eq!(segment("nul.1"), "~6Eul.1");
        assert_eq!(segment("com7"), "~63om7");
        assert_eq!(segment("console"), "console");
        assert_eq!(segment("LPT"), "LPT");
    }

    #[test]
    fn long_names_are_shortened_deterministically_and_stay_distinct() {
        let long = "a".repeat(250);
        let s = segment(&long);
        assert_eq!(s.len(), 60 + 2 + 16);
        assert!(s.starts_with(&"a".repeat(60)) && s[60..].starts_with("~~"));
        assert_eq!(s, segment(&long));
        assert_ne!(s, segment(&"a".repeat(251)));
        // At the limit a name is kept as it is.
        assert_eq!(segment(&"b".repeat(MAX_SEGMENT)), "b".repeat(MAX_SEGMENT));
        assert!(segment(&"b".repeat(MAX_SEGMENT + 1)).contains("~~"));
        // Escapes are never cut in half, and the result is a safe name.
        let wide = format!("x{}", "é".repeat(80));
        let w = segment(&wide);
        assert!(w.len() <= 60 + 2 + 16, "{w}");
        assert!(w.starts_with("x~C3~A9"));
        let head = w.split("~~").next().unwrap_or_default();
        assert!(head.len() <= 60 && head.len() % 3 == 1, "{head}");
        assert!(w
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.~".contains(&b)));
    }

    #[test]
    fn selection_orders_by_date_and_keeps_recent() {
        let t = |n: &str, time| Tag {
            name: n.into(),
            commit: ObjectId::parse(&format!("{time:040}")).unwrap(),
            time,
        };
        let cfg = VersionsConfig {
            tags: vec!["aims-*".into()],
            current: crate::config::Current::Worktree,
            keep: Some(2),
        };
        let got = select(
            vec![
                t("aims-3", 30),
                t("aims-1", 10),
                t("other", 5),
                t("aims-2", 20),
            ],
            &cfg,
        );
        let names: Vec<&str> = got.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["aims-2", "aims-3"]);
    }
}
