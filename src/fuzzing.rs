//! Entry points for the fuzz targets in `fuzz/` (see FUZZING.md). Each one takes the raw bytes
//! of one input, runs them through the same functions `aimsdoc build` uses for that kind of
//! file, renders the diagnostics the way the CLI prints them (human and JSON), and
//! checks a few invariants of the result. A panic inside is a defect in aimsdoc; a broken
//! invariant comes back as `Err` with a description, which the fuzz target turns into a
//! crash. Not a stable API: only the fuzz targets call these.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};

use crate::config::{Config, CONFIG_FILE};
use crate::date::Date;
use crate::diagnostics::{render_human, Diagnostic};
use crate::load::{self, MemorySource};
use crate::markdown::{self, MARK_CLOSE, MARK_END, MARK_OPEN, MARK_START};
use crate::model::frontmatter::Classification;
use crate::model::soa::SOA_FILE;
use crate::model::{Catalog, DocIndex, Document, Manual, Section, Soa};

/// What a fuzzing entry point found: `Err` describes a broken invariant.
pub type Outcome = Result<(), String>;

/// The embedded catalog, parsed once per process.
fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(Catalog::iso42001)
}

/// Renders `diags` as the CLI does (the output itself is not checked). SARIF is left out:
/// it serialises the same fields as JSON, plus the table of every code, on each run.
fn report(diags: &[Diagnostic], text_of: &dyn Fn(&Path) -> Option<String>) {
    std::hint::black_box(render_human(diags, text_of));
    std::hint::black_box(crate::report::json(diags));
}

/// Every diagnostic about `file` that has a position points inside `text`.
fn check_spans<'a>(
    spans: impl IntoIterator<Item = (&'a str, &'a crate::diagnostics::Span)>,
    file: &Path,
    text: &str,
) -> Outcome {
    for (what, s) in spans {
        if s.file == file && s.line > 0 && (s.range.start > s.range.end || s.range.end > text.len())
        {
            return Err(format!(
                "{what} points at {:?} in {} ({} bytes)",
                s.range,
                file.display(),
                text.len()
            ));
        }
    }
    Ok(())
}

fn diag_spans(diags: &[Diagnostic]) -> impl Iterator<Item = (&str, &crate::diagnostics::Span)> {
    diags.iter().map(|d| (d.code.id, &d.span))
}

/// One document's bytes through [`load::parse_document`] (UTF-8 check, front-matter split,
/// typed front-matter parse, Markdown pass). Checks that every diagnostic and every field
/// span points inside the file.
pub fn front_matter(bytes: &[u8]) -> Outcome {
    let path = Path::new("policies/fuzzed.md");
    let mut diags = Vec::new();
    let doc = load::parse_document(bytes.to_vec(), path, catalog(), &mut diags);
    let text = String::from_utf8_lossy(bytes);
    report(&diags, &|p| (p == path).then(|| text.to_string()));
    check_spans(diag_spans(&diags), path, &text)?;
    if let Some(doc) = doc {
        let m = &doc.meta;
        let fields = m.spans.iter().map(|(k, s)| (*k, s));
        let fixed = [("id", &m.id_span), ("start", &m.start)];
        let refs = m
            .clauses
            .iter()
            .chain(&m.controls)
            .map(|c| ("ref", &c.span));
        let docs = m
            .related
            .iter()
            .chain(&m.supersedes)
            .map(|d| ("doc", &d.span));
        check_spans(fields.chain(fixed).chain(refs).chain(docs), path, &text)?;
    }
    Ok(())
}

/// `aims.toml` text (read lossily, as the loader does) through [`Config::parse`].
pub fn config(bytes: &[u8]) -> Outcome {
    let text = String::from_utf8_lossy(bytes);
    let mut diags = Vec::new();
    let _ = Config::parse(&text, &mut diags);
    let path = Path::new(CONFIG_FILE);
    report(&diags, &|p| (p == path).then(|| text.to_string()));
    check_spans(diag_spans(&diags), path, &text)
}

/// The frameworks of an AIMS enabling the built-in ISO/IEC 27001 catalog, so that the
/// decisions under `iso27001:` are read too.
fn iso27001() -> &'static crate::model::framework::Frameworks {
    static FRAMEWORKS: OnceLock<crate::model::framework::Frameworks> = OnceLock::new();
    FRAMEWORKS.get_or_init(|| {
        let mut f = crate::model::framework::Frameworks::default();
        let builtin = crate::model::framework::BUILT_IN
            .iter()
            .find(|(id, _)| *id == "iso27001");
        if let Some((id, text)) = builtin {
            let path = Path::new("<built-in iso27001>");
            f.enabled.extend(crate::load::frameworks::parse(
                path,
                text,
                id,
                None,
                &mut Vec::new(),
            ));
        }
        f
    })
}

/// `soa.yaml` text (read lossily, as the loader does) through [`Soa::parse`] against the
/// built-in catalog, with ISO/IEC 27001 enabled.
pub fn soa(bytes: &[u8]) -> Outcome {
    let text = String::from_utf8_lossy(bytes);
    let mut diags = Vec::new();
    let _ = Soa::parse(Some(&text), catalog(), iso27001(), &mut diags);
    let path = Path::new(SOA_FILE);
    report(&diags, &|p| (p == path).then(|| text.to_string()));
    check_spans(diag_spans(&diags), path, &text)
}

/// `systems.yaml` bytes (read lossily, as the loader does) through
/// [`load::systems::parse`]. Checks that every diagnostic points inside the file.
pub fn systems(bytes: &[u8]) -> Outcome {
    let text = String::from_utf8_lossy(bytes);
    let mut diags = Vec::new();
    std::hint::black_box(load::systems::parse(Some(&text), &mut diags));
    let path = Path::new(crate::model::system::SYSTEMS_FILE);
    report(&diags, &|p| (p == path).then(|| text.to_string()));
    check_spans(diag_spans(&diags), path, &text)
}

/// A raw request target through [`crate::serve::http::site_path`]. Checks that an accepted
/// target maps to a plain relative key: no empty, `.` or `..` segment, no backslash, colon,
/// control character or leading `/`.
pub fn serve_path(bytes: &[u8]) -> Outcome {
    let Ok(target) = std::str::from_utf8(bytes) else {
        return Ok(());
    };
    let Some(key) = crate::serve::http::site_path(target) else {
        return Ok(());
    };
    std::hint::black_box(crate::serve::http::content_type(&key));
    let bad_segment = key.split('/').any(|s| matches!(s, "" | "." | ".."));
    let bad_char = key.chars().any(|c| c == '\\' || c == ':' || c.is_control());
    if bad_segment || bad_char || key.starts_with('/') {
        return Err(format!("{target:?} maps to the key {key:?}"));
    }
    Ok(())
}

/// The document whose body is the fuzz input.
const FUZZED: &str = "policies/fuzzed.md";
const FUZZED_HEAD: &str = "---\nid: FUZZ-1\ntitle: Fuzzed\nclassification: public\n---\n";

/// The small AIMS around the fuzzed body: a public document with headings (`DOC-ID`), an
/// internal one (`INT-1`, withheld from public builds) and two assets.
fn template_files() -> BTreeMap<PathBuf, Vec<u8>> {
    let files: [(&str, &str); 6] = [
        (
            CONFIG_FILE,
            "title = \"Fuzz\"\norganization = \"Fuzz Ltd\"\n",
        ),
        (
            "policies/target.md",
            "---\nid: DOC-ID\ntitle: Target <&> \"doc\"\nclassification: public\n---\n\
             # Target\n\n## Scope {#scope}\n\n## Roles & duties\n\n## Roles & duties\n",
        ),
        (
            "records/internal.md",
            "---\nid: INT-1\ntitle: Internal\nclassification: internal\n---\n## Notes\n",
        ),
        ("records/evidence.pdf", "%PDF-1.4\n"),
        ("images/diagram.png", "png"),
        (FUZZED, FUZZED_HEAD),
    ];
    files
        .iter()
        .map(|(p, t)| (PathBuf::from(p), t.as_bytes().to_vec()))
        .collect()
}

/// The loaded template AIMS, and the documents and sections to put back into it before each
/// run (an audience build drops documents from it).
struct Context {
    source: MemorySource,
    manual: Option<Manual>,
    documents: Vec<Document>,
    sections: Vec<Section>,
    fuzzed: DocIndex,
}

fn context() -> &'static Mutex<Context> {
    static CONTEXT: OnceLock<Mutex<Context>> = OnceLock::new();
    CONTEXT.get_or_init(|| {
        let source = MemorySource::from(template_files());
        let mut ignored = Vec::new();
        let manual = load::load(&source, Path::new("aims"), Vec::new(), &mut ignored)
            .ok()
            .flatten();
        let documents = manual
            .as_ref()
            .map_or_else(Vec::new, |m| m.documents.clone());
        let sections = manual
            .as_ref()
            .map_or_else(Vec::new, |m| m.sections.clone());
        let fuzzed = documents
            .iter()
            .position(|d| d.path == Path::new(FUZZED))
            .map_or(DocIndex::new(0), DocIndex::new);
        Mutex::new(Context {
            source,
            manual,
            documents,
            sections,
            fuzzed,
        })
    })
}

/// No placeholder mark is left in filled HTML.
fn check_filled(html: &str, what: &str) -> Outcome {
    match html.find([MARK_START, MARK_END, MARK_OPEN, MARK_CLOSE]) {
        Some(at) => Err(format!(
            "a placeholder mark is left in the {what} at byte {at}"
        )),
        None => Ok(()),
    }
}

/// One document body through the Markdown pass ([`markdown::render`]), then reference
/// resolution, placeholder filling and an audience (public) build inside a small AIMS where
/// `[[A.6.2.4]]`, `[[DOC-ID#scope]]`, `[[INT-1]]`, `[x](target.md#scope)` and
/// `![](../images/diagram.png)` all resolve. Checks that every diagnostic points inside the
/// file and that no placeholder is left in the filled HTML.
pub fn markdown_pass(bytes: &[u8]) -> Outcome {
    let Ok(body) = std::str::from_utf8(bytes) else {
        return Ok(());
    };
    let mut guard = context().lock().unwrap_or_else(PoisonError::into_inner);
    let ctx = &mut *guard;
    let Some(mut manual) = ctx.manual.take() else {
        return Err("the template AIMS does not load".into());
    };
    manual.documents = ctx.documents.clone();
    manual.sections = ctx.sections.clone();
    let i = ctx.fuzzed;
    let file = format!("{FUZZED_HEAD}{body}");
    if let Some(d) = manual.documents.get_mut(i.index()) {
        d.body = markdown::render(body);
        d.body_offset = FUZZED_HEAD.len();
    }
    let result = run_markdown(&manual, i, &file);
    let today = Date::parse("2026-11-23").ok_or("bad date")?;
    let whole = {
        let resolved = crate::resolve::resolve(&manual, &|_| None, &mut Vec::new());
        crate::analyse::analyse(&manual, &resolved, today)
    };
    let crate::pipeline::Subset {
        manual: public,
        resolved,
        ..
    } = crate::pipeline::audience_subset(manual, Classification::Public, &ctx.source, &whole);
    let filled = public
        .docs()
        .find(|(_, d)| d.path == Path::new(FUZZED))
        .map(|(j, _)| crate::render::body_html(&public, &resolved, j, "documents/FUZZ-1.html"));
    ctx.manual = Some(public);
    result?;
    check_filled(&filled.unwrap_or_default(), "public build")
}

fn run_markdown(manual: &Manual, i: DocIndex, file: &str) -> Outcome {
    let path = Path::new(FUZZED);
    let text_of = |p: &Path| {
        if p == path {
            Some(file.to_string())
        } else {
            template_files()
                .get(p)
                .map(|b| String::from_utf8_lossy(b).into_owned())
        }
    };
    let mut diags = Vec::new();
    let resolved = crate::resolve::resolve(manual, &text_of, &mut diags);
    report(&diags, &text_of);
    check_spans(diag_spans(&diags), path, file)?;
    let html = crate::render::body_html(manual, &resolved, i, "documents/FUZZ-1.html");
    check_filled(&html, "full build")
}
