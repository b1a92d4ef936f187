//! The case table behind the diagnostics tests. A case is one AIMS (a fixture, or files
//! written for the test), the exit code and counts that `check` and `build` must both give,
//! and every diagnostic expected of the codes it names: severity, code name, message,
//! `file:line:col` and help. [`diag_cases!`] makes one `#[test]` per row, so a failing case
//! is reported by its name.

use std::collections::BTreeSet;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use crate::common::*;
use tempfile::TempDir;

/// One `#[test]` per row: `name: case;`, where `case` is a [`Case`] expression.
macro_rules! diag_cases {
    ($($(#[doc = $doc:literal])* $name:ident: $case:expr;)+) => {
        $(
            $(#[doc = $doc])*
            #[test]
            fn $name() {
                $case.run(stringify!($name));
            }
        )+
    };
}
pub(crate) use diag_cases;

/// The outcome of `check` and `build` over one AIMS.
pub(super) struct Ran {
    /// The AIMS that was checked and built.
    pub root: PathBuf,
    /// The build run (its diagnostics equal those of the check run).
    pub build: Run,
    _tmp: Option<TempDir>,
    _out: TempDir,
    /// Where the site was built (absent when the build failed).
    pub out: PathBuf,
}

impl Ran {
    /// `rel:line:col` of `needle` in a file of this AIMS.
    pub(super) fn at(&self, rel: &str, needle: &str) -> String {
        location_of(&self.root, rel, needle)
    }
}

/// Runs check and build over `root`; asserts they agree, that nothing panicked, and that
/// output exists exactly when the build succeeded.
pub(super) fn run_case(root: PathBuf, tmp: Option<TempDir>) -> Ran {
    let out_tmp = tempfile::tempdir().unwrap();
    let out = out_tmp.path().join("out");
    let checked = check(&root);
    let built = build(&root, &out);
    assert_eq!(
        checked.code, built.code,
        "check and build disagree on the exit code\ncheck:\n{}\nbuild:\n{}",
        checked.stderr, built.stderr
    );
    assert_eq!(
        checked.diagnostics(),
        built.diagnostics(),
        "check and build report different diagnostics\ncheck:\n{}\nbuild:\n{}",
        checked.stderr,
        built.stderr
    );
    match built.code {
        0 => {
            assert!(
                out.join("index.html").is_file(),
                "build exited 0 but wrote no site"
            );
            assert!(out.join(".aimsdoc-output").is_file());
            assert_eq!(checked.counts(), built.counts());
        }
        1 => {
            assert!(!out.exists(), "a failed build must publish nothing");
            assert!(
                built.summary().starts_with("Build failed:"),
                "summary: {}",
                built.summary()
            );
            assert_eq!(checked.counts(), built.counts());
        }
        _ => assert!(!out.exists(), "a refused build must publish nothing"),
    }
    Ran {
        root,
        build: built,
        _tmp: tmp,
        _out: out_tmp,
        out,
    }
}

/// A piece of printed text (a message or a help note) and how it must read.
#[derive(Debug, Clone)]
pub(super) enum Text {
    /// Exactly this.
    Is(String),
    /// Starting with this.
    StartsWith(String),
    /// Containing each of these.
    Contains(Vec<String>),
    /// Present and not empty.
    NonEmpty,
    /// Not printed at all.
    Absent,
}

impl Text {
    fn assert(&self, got: Option<&str>, what: &str, d: &Diag) {
        let ok = match (self, got) {
            (Text::Absent, got) => got.is_none(),
            (_, None) => false,
            (Text::Is(want), Some(got)) => got == want,
            (Text::StartsWith(want), Some(got)) => got.starts_with(want.as_str()),
            (Text::Contains(parts), Some(got)) => parts.iter().all(|p| got.contains(p.as_str())),
            (Text::NonEmpty, Some(got)) => !got.is_empty(),
        };
        assert!(ok, "{what}: expected {self:?}, got {got:?} in {d:?}");
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::Is(s.to_string())
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text::Is(s)
    }
}

/// A message or help starting with `s`.
pub(super) fn starts_with(s: &str) -> Text {
    Text::StartsWith(s.to_string())
}

/// A message or help containing every one of `parts`.
pub(super) fn contains(parts: &[&str]) -> Text {
    Text::Contains(parts.iter().map(|p| p.to_string()).collect())
}

/// Where a diagnostic must point.
#[derive(Debug, Clone)]
pub(super) enum At {
    /// Exactly this location as printed: `file:line:col`, or `file` alone.
    Printed(String),
    /// `file:line:col` of the first occurrence of a needle in the file.
    Needle(&'static str, &'static str),
    /// Somewhere on these lines of the file.
    Lines(&'static str, RangeInclusive<usize>),
}

impl At {
    fn assert(&self, ran: &Ran, d: &Diag) {
        match self {
            At::Printed(loc) => assert_eq!(d.location.as_deref(), Some(loc.as_str()), "{d:?}"),
            At::Needle(rel, needle) => {
                let loc = ran.at(rel, needle);
                assert_eq!(d.location.as_deref(), Some(loc.as_str()), "{d:?}");
            }
            At::Lines(rel, lines) => {
                assert_eq!(d.file().as_deref(), Some(*rel), "{d:?}");
                let (line, _) = d.line_col().unwrap_or_else(|| panic!("no position: {d:?}"));
                assert!(lines.contains(&line), "line {line} not in {lines:?}: {d:?}");
            }
        }
    }

    /// The location text that must appear in stderr, when it is known exactly.
    fn printed(&self, ran: &Ran) -> Option<String> {
        match self {
            At::Printed(loc) => Some(loc.clone()),
            At::Needle(rel, needle) => Some(ran.at(rel, needle)),
            At::Lines(..) => None,
        }
    }
}

/// One expected diagnostic.
#[derive(Debug, Clone)]
pub(super) struct Want {
    severity: &'static str,
    code: &'static str,
    name: &'static str,
    message: Text,
    at: Option<At>,
    help: Text,
}

/// An expected error: code, code name and message; then [`Want::at`] and a help.
pub(super) fn error(code: &'static str, name: &'static str, message: impl Into<Text>) -> Want {
    want("error", code, name, message)
}

/// An expected warning, like [`error`].
pub(super) fn warning(code: &'static str, name: &'static str, message: impl Into<Text>) -> Want {
    want("warning", code, name, message)
}

fn want(
    severity: &'static str,
    code: &'static str,
    name: &'static str,
    message: impl Into<Text>,
) -> Want {
    Want {
        severity,
        code,
        name,
        message: message.into(),
        at: None,
        help: Text::Absent,
    }
}

impl Want {
    /// Points at the first occurrence of `needle` in `rel`.
    pub(super) fn at(mut self, rel: &'static str, needle: &'static str) -> Want {
        self.at = Some(At::Needle(rel, needle));
        self
    }

    /// Points exactly here, as printed (`file:line:col`, or `file` for a whole file).
    pub(super) fn printed_at(mut self, location: &str) -> Want {
        self.at = Some(At::Printed(location.to_string()));
        self
    }

    /// Points somewhere on `lines` of `rel` (for parser messages whose column is theirs).
    pub(super) fn on_lines(mut self, rel: &'static str, lines: RangeInclusive<usize>) -> Want {
        self.at = Some(At::Lines(rel, lines));
        self
    }

    /// The help note (exactly, unless given as [`starts_with`], [`contains`] or
    /// [`Text::NonEmpty`]). Without it the diagnostic must have no help.
    pub(super) fn help(mut self, help: impl Into<Text>) -> Want {
        self.help = help.into();
        self
    }

    fn assert(&self, ran: &Ran, d: &Diag) {
        assert_eq!(d.severity, self.severity, "{d:?}");
        assert_eq!(d.code, self.code, "{d:?}");
        assert_eq!(d.name, self.name, "{d:?}");
        self.message.assert(Some(&d.message), "message", d);
        self.help.assert(d.help.as_deref(), "help", d);
        let at = self
            .at
            .as_ref()
            .unwrap_or_else(|| panic!("the case gives no location for {}", self.code));
        at.assert(ran, d);
        // The raw output too, independently of the parser.
        let stderr = &ran.build.stderr;
        assert!(stderr.contains(self.code), "{stderr}");
        assert!(stderr.contains(&d.message), "{stderr}");
        if let Some(loc) = at.printed(ran) {
            assert!(stderr.contains(&loc), "{loc} not in:\n{stderr}");
        }
    }
}

/// Where a case's AIMS comes from.
enum Aims {
    /// `tests/fixtures/<name>`, used in place.
    Fixture(&'static str),
    /// A temporary copy of a fixture (or the minimal AIMS of [`temp_aims`] when `None`),
    /// changed by a function before the run.
    Edited(Option<&'static str>, Box<dyn FnOnce(&Path)>),
}

/// A further check of a case's outcome.
type Check = Box<dyn FnOnce(&Ran)>;

/// One row of the table.
pub(super) struct Case {
    aims: Aims,
    exit: i32,
    counts: Option<(usize, usize)>,
    wants: Vec<Want>,
    then: Vec<Check>,
}

/// A case over `tests/fixtures/<name>`.
pub(super) fn fixture_case(name: &'static str) -> Case {
    case(Aims::Fixture(name))
}

/// A case over a copy of the fixture `base` (or a minimal AIMS when `None`) that `edit`
/// changes first.
pub(super) fn edited(base: Option<&'static str>, edit: impl FnOnce(&Path) + 'static) -> Case {
    case(Aims::Edited(base, Box::new(edit)))
}

fn case(aims: Aims) -> Case {
    Case {
        aims,
        exit: 0,
        counts: None,
        wants: Vec::new(),
        then: Vec::new(),
    }
}

impl Case {
    /// Fails with exit code 1 and these counts.
    pub(super) fn fails(mut self, errors: usize, warnings: usize) -> Case {
        self.exit = 1;
        self.counts = Some((errors, warnings));
        self
    }

    /// Succeeds (exit code 0, no errors) with this many warnings.
    pub(super) fn warns(mut self, warnings: usize) -> Case {
        self.exit = 0;
        self.counts = Some((0, warnings));
        self
    }

    /// Expects this diagnostic. Diagnostics of one code are matched in the order printed,
    /// and a code must be printed exactly as many times as it is expected.
    pub(super) fn expect(mut self, want: Want) -> Case {
        self.wants.push(want);
        self
    }

    /// A further check of the outcome (the built site, the rest of stderr).
    pub(super) fn then(mut self, check: impl FnOnce(&Ran) + 'static) -> Case {
        self.then.push(Box::new(check));
        self
    }

    /// Runs the case (`name` labels its failures).
    pub(super) fn run(self, name: &str) {
        let ran = match self.aims {
            Aims::Fixture(f) => run_case(fixture(f), None),
            Aims::Edited(base, edit) => {
                let (tmp, root) = match base {
                    Some(f) => temp_copy(&fixture(f)),
                    None => temp_aims(),
                };
                edit(&root);
                run_case(root, Some(tmp))
            }
        };
        let label = |what: &str| format!("case {name}: {what}\nstderr:\n{}", ran.build.stderr);
        assert_eq!(ran.build.code, self.exit, "{}", label("exit code"));
        if let Some((errors, warnings)) = self.counts {
            ran.build.expect_counts(errors, warnings);
        }
        let codes: BTreeSet<&str> = self.wants.iter().map(|w| w.code).collect();
        for code in codes {
            let wants: Vec<&Want> = self.wants.iter().filter(|w| w.code == code).collect();
            let got = ran.build.with_code(code);
            assert_eq!(
                got.len(),
                wants.len(),
                "{}",
                label(&format!("{code} count"))
            );
            for (want, d) in wants.iter().zip(&got) {
                want.assert(&ran, d);
            }
        }
        for check in self.then {
            check(&ran);
        }
    }
}
