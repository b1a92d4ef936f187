//! The one compilation: load → resolve → analyse over one source, with `allow`, `--strict`
//! and the audience's edition applied. Every command that needs the manual — `build`,
//! `check`, `coverage`, `serve`, `diff` and every version from git — calls [`compile`];
//! nothing else repeats a step.

mod allow;
mod edition;
mod withheld_links;

use std::path::{Path, PathBuf};
use std::time::Instant;

pub use allow::apply_allow;
pub use edition::{audience_subset, Subset, Unpublished};

use crate::analyse::{self, Analysis};
use crate::config::{self, Config, Disclosure};
use crate::date::Date;
use crate::diagnostics::{code, Diagnostics, Severity};
use crate::hygiene;
use crate::load::{self, DocumentLoader, LoadError, Source};
use crate::model::frontmatter::Classification;
use crate::model::Manual;
use crate::resolve::{self, Resolved};
use crate::util::stage_timer;

/// What to compile, and for whom.
#[derive(Debug, Clone)]
pub struct CompileOptions<'a> {
    /// The AIMS folder, as messages name it.
    pub root: &'a Path,
    /// Folders (relative to the root) never read as input, such as the output folder.
    pub skip: Vec<PathBuf>,
    /// The date reviews are judged against.
    pub today: Date,
    /// Overdue reviews are errors.
    pub strict: bool,
    /// The audience of the edition (`None`: the one aims.toml names when
    /// [`Self::audience_from_config`], else everything). The manual of an audience's
    /// compilation holds only what that audience may read; `Confidential` reads everything
    /// and is the complete manual.
    pub audience: Option<Classification>,
    /// Without `audience`, compile the edition `audience` in aims.toml names (what a plain
    /// `build`, `check`, `coverage` or `serve` does; older versions and `diff` compare the
    /// whole AIMS).
    pub audience_from_config: bool,
}

impl<'a> CompileOptions<'a> {
    /// The whole AIMS at `root` as of `today`, reading everything but `skip`.
    pub fn new(root: &'a Path, skip: Vec<PathBuf>, today: Date) -> CompileOptions<'a> {
        CompileOptions {
            root,
            skip,
            today,
            strict: false,
            audience: None,
            audience_from_config: false,
        }
    }
}

/// The audience of an edition: the one asked for, else the one configured. An audience that
/// may read every classification gets the complete manual (`None`).
pub fn effective_audience(
    asked: Option<Classification>,
    configured: Option<config::Audience>,
) -> Option<Classification> {
    let configured = configured.map(|a| match a {
        config::Audience::Public => Classification::Public,
        config::Audience::Internal => Classification::Internal,
        config::Audience::Confidential => Classification::Confidential,
    });
    asked
        .or(configured)
        .filter(|a| *a != Classification::Confidential)
}

/// Who an edition of the manual is for, what it holds, and how much of the coverage
/// analysis it shows. Whatever the edition, coverage states and counts are those of the
/// whole AIMS; an edition withholds documents, never the truth of the coverage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edition {
    /// The audience (`None`: the complete manual, every document).
    pub audience: Option<Classification>,
    /// How much of the coverage analysis its pages show.
    pub disclosure: Disclosure,
    /// The most restricted classification among the documents it publishes (`None`: it
    /// publishes no document).
    pub holds: Option<Classification>,
}

impl Edition {
    /// The edition for `audience` (`None`: the complete manual) holding `documents`: a
    /// public edition shows as much of the analysis as `public_coverage` in aims.toml
    /// allows.
    pub fn of(
        audience: Option<Classification>,
        config: &Config,
        documents: &[crate::model::Document],
    ) -> Edition {
        Edition {
            audience,
            disclosure: if audience == Some(Classification::Public) {
                config.public_coverage
            } else {
                Disclosure::Full
            },
            holds: documents.iter().map(|d| d.meta.classification).max(),
        }
    }

    /// `complete`, `public` or `internal`.
    pub fn name(&self) -> &'static str {
        self.audience.map_or("complete", Classification::as_str)
    }

    /// "complete edition", "public edition", …
    pub fn label(&self) -> String {
        format!("{} edition", self.name())
    }

    /// What it holds, in words, so that a reader knows whom it may be shown to.
    pub fn holds_note(&self) -> &'static str {
        match self.holds {
            Some(Classification::Confidential) => "includes confidential documents",
            Some(Classification::Internal) => "includes internal documents",
            _ => "public documents only",
        }
    }
}

/// A compiled manual: always the manual, its resolved references and its analysis.
pub struct Compilation {
    /// The edition the manual was compiled for.
    pub edition: Edition,
    /// The manual (for an audience, only the documents it may read).
    pub manual: Manual,
    /// Resolved references of that manual.
    pub resolved: Resolved,
    /// The analysis as of "today": the coverage states, counts and required-documents states
    /// of the whole AIMS, with the documents (and per-document standing) of this edition.
    pub analysis: Analysis,
    /// What the edition leaves out, by number only (empty for the complete manual).
    pub unpublished: Unpublished,
    /// Every diagnostic of the whole AIMS (an audience's compilation reports the problems of
    /// the documents it leaves out too).
    pub diagnostics: Diagnostics,
    /// How many documents the whole AIMS holds (before an audience's subset).
    pub documents_in_aims: usize,
}

/// Why there is no compilation.
#[derive(Debug, thiserror::Error)]
pub enum CompileError {
    /// The AIMS could not be opened (no aims.toml, unreadable).
    #[error(transparent)]
    Load(#[from] LoadError),
    /// aims.toml has errors: they are these diagnostics (with any found before).
    #[error("aims.toml has errors")]
    Config(Diagnostics),
}

/// Compiles the AIMS in `source`, reading each document through `loader`.
pub fn compile(
    source: &dyn Source,
    opts: &CompileOptions<'_>,
    loader: &dyn DocumentLoader,
) -> Result<Compilation, CompileError> {
    let mut diags = Vec::new();
    let mut t = Instant::now();
    let manual = load::load_with(source, opts.root, opts.skip.clone(), loader, &mut diags)?;
    stage_timer("load", &mut t);
    let Some(mut manual) = manual else {
        let mut diagnostics = Diagnostics::default();
        diagnostics.extend(diags);
        return Err(CompileError::Config(diagnostics));
    };
    let text_of = |p: &Path| {
        source
            .read(p)
            .ok()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    };
    // raw_html as aims.toml sets it; when unset, a public edition applies its default below.
    if let Some(mode) = manual.config.raw_html {
        diags.extend(hygiene::apply(&mut manual, mode, &|_| true, &text_of));
    }
    let resolved = resolve::resolve(&manual, &text_of, &mut diags);
    stage_timer("resolve", &mut t);
    let analysis = analyse::analyse(&manual, &resolved, opts.today);
    diags.extend(analyse::control::check(
        &manual, &resolved, opts.today, &text_of,
    ));
    analyse::systems::diagnostics(
        &manual,
        &resolved,
        &analysis.systems,
        opts.today,
        &mut diags,
    );
    stage_timer("analyse", &mut t);
    let mut diagnostics = Diagnostics::default();
    diagnostics.extend(apply_allow(&manual, diags));
    if opts.strict {
        diagnostics = diagnostics.map_severity(|d| {
            if d.code == code::REVIEW_OVERDUE || d.code == code::MISSING_SYSTEM_EVIDENCE {
                Severity::Error
            } else {
                d.severity
            }
        });
    }
    let documents_in_aims = manual.documents.len();
    let configured = manual.config.audience.filter(|_| opts.audience_from_config);
    let Some(audience) = effective_audience(opts.audience, configured) else {
        return Ok(Compilation {
            edition: Edition::of(None, &manual.config, &manual.documents),
            manual,
            resolved,
            analysis,
            unpublished: Unpublished::default(),
            diagnostics,
            documents_in_aims,
        });
    };
    // Without raw_html in aims.toml, a public edition sanitises the raw HTML it publishes.
    if audience == Classification::Public && manual.config.raw_html.is_none() {
        let public = |d: &crate::model::Document| d.meta.classification <= Classification::Public;
        let mode = crate::config::RawHtml::default_for(true);
        let found = hygiene::apply(&mut manual, mode, &public, &text_of);
        diagnostics.extend(apply_allow(&manual, found));
    }
    let subset = audience_subset(manual, audience, source, &analysis);
    let edition = Edition::of(
        Some(audience),
        &subset.manual.config,
        &subset.manual.documents,
    );
    let found = withheld_links::warnings(&subset.manual, &subset.resolved, &edition, &text_of);
    diagnostics.extend(apply_allow(&subset.manual, found));
    Ok(Compilation {
        edition,
        manual: subset.manual,
        resolved: subset.resolved,
        analysis: subset.analysis,
        unpublished: subset.unpublished,
        diagnostics,
        documents_in_aims,
    })
}

/// [`compile`] of the complete manual at `root` as of `today`, reading every file once.
pub fn compile_complete(
    source: &dyn Source,
    root: &Path,
    today: Date,
) -> Result<Compilation, CompileError> {
    compile(
        source,
        &CompileOptions::new(root, Vec::new(), today),
        &load::Uncached,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_asked_audience_wins_and_confidential_is_the_complete_edition() {
        use config::Audience as A;
        use Classification::*;
        assert_eq!(effective_audience(None, None), None);
        assert_eq!(effective_audience(None, Some(A::Internal)), Some(Internal));
        assert_eq!(
            effective_audience(Some(Public), Some(A::Internal)),
            Some(Public)
        );
        assert_eq!(
            effective_audience(Some(Confidential), Some(A::Public)),
            None
        );
        assert_eq!(effective_audience(None, Some(A::Confidential)), None);
    }

    #[test]
    fn an_edition_says_what_it_holds() {
        let holds = |audience, holds| Edition {
            audience,
            disclosure: Disclosure::Full,
            holds,
        };
        let e = holds(None, Some(Classification::Confidential));
        assert_eq!(
            (e.label(), e.holds_note()),
            ("complete edition".into(), "includes confidential documents")
        );
        let e = holds(None, Some(Classification::Internal));
        assert_eq!(e.holds_note(), "includes internal documents");
        let e = holds(Some(Classification::Public), None);
        assert_eq!(
            (e.label(), e.holds_note()),
            ("public edition".into(), "public documents only")
        );
    }
}
