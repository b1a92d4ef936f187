//! Deterministic generator of large synthetic ISO/IEC 42001 AIMS corpora, used by
//! `scripts/bench.sh` to benchmark `aimsdoc build` (and Hugo, as a peer).
//!
//! # Usage
//!
//! ```text
//! cargo run --release --example gencorpus -- N OUTDIR [--seed S] [--hugo] [--frameworks]
//! ```
//!
//! * `N` — number of documents, 1..=99999.
//! * `OUTDIR` — output folder. It must not already contain `docs/` or `hugo/`
//!   (remove them first), so that a corpus never mixes runs with different `N`.
//! * `--seed S` — unsigned 64-bit seed (default 42001).
//! * `--hugo` — also write the same documents as a Hugo site.
//! * `--frameworks` — enable ISO/IEC 27001, the EU AI Act, the NIST AI RMF and an own
//!   catalog with its crosswalk, and let about two thirds of the documents declare some of
//!   their entries (see `gencorpus/frameworks.rs`).
//!
//! # Output
//!
//! ```text
//! OUTDIR/aims.toml                      title, organization, exclude = ["_*", "hugo"]
//! OUTDIR/soa.yaml                       a decision for each of the 38 Annex A controls
//! OUTDIR/systems.yaml                   N/50 AI systems (1 to 200); each document names
//!                                       one or two of them in `systems:`
//! OUTDIR/docs/NNN/DOC-XXXXX.md          N documents, 100 per folder, YAML front matter
//! with --hugo (same front matter and body text, Hugo parses the YAML natively):
//! OUTDIR/hugo/hugo.toml
//! OUTDIR/hugo/content/_index.md
//! OUTDIR/hugo/content/NNN/DOC-XXXXX.md  (+ _index.md per folder)
//! OUTDIR/hugo/layouts/_default/{baseof,single,list}.html
//! ```
//!
//! Bodies are 600–1,350 words (target; the exact count varies a little) with `##` and
//! `###` headings, bullet and numbered lists, one table, wiki-style references
//! (`[[DOC-00042]]`, `[[A.6.2.4]]`, `[[6.1.2]]`) and relative Markdown links to other
//! documents (`[text](DOC-00042.md)` within a folder, `[text](../003/DOC-00342.md)`
//! across folders). Every referenced document exists, and every clause and control id
//! is a real ISO/IEC 42001 one.
//!
//! This is a Rust port of the reference Python generator (`gencorpus.py`); it uses its
//! own PRNG (splitmix64), so the text differs from the Python output, but document `i`
//! depends only on `(seed, i, N)`: the same `N` and seed always give the same bytes.
//! A one-line summary (documents, body words, average) is printed to stderr.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[path = "gencorpus/frameworks.rs"]
mod frameworks;
// The AI systems of the corpus (systems.yaml and each document's `systems:`).
#[path = "gencorpus/systems.rs"]
mod systems;
use systems::{systems_of, systems_yaml};

const DEFAULT_SEED: u64 = 42001;

const TYPES: &[&str] = &["policy", "procedure", "standard", "record"];
const OWNERS: &[&str] = &[
    "Chief AI Officer",
    "Head of Data Science",
    "CISO",
    "Data Protection Officer",
    "Head of Legal",
    "ML Platform Lead",
    "Quality Manager",
    "Head of Risk",
    "Product Owner AI",
    "Internal Audit Lead",
];
const SUBJECTS: &[&str] = &[
    "AI Risk Assessment",
    "AI Impact Assessment",
    "Model Lifecycle Management",
    "Training Data Quality",
    "Data Provenance",
    "Human Oversight",
    "Incident Response for AI",
    "Third-Party AI Suppliers",
    "Responsible AI Objectives",
    "AI System Inventory",
    "Model Validation and Verification",
    "Bias and Fairness Testing",
    "Transparency to Users",
    "Logging and Monitoring of AI Systems",
    "Change Management for Models",
    "Competence and Awareness",
    "Document Control",
    "Internal Audit of the AIMS",
    "Management Review",
    "Nonconformity and Corrective Action",
    "AI Acceptable Use",
    "Deployment Approval",
    "Decommissioning of AI Systems",
    "Explainability Requirements",
    "Data Retention for AI",
    "Prompt and Output Filtering",
    "Resource Documentation",
];
const ROLES: &[&str] = &[
    "the AI system owner",
    "the model developer",
    "the data steward",
    "the risk owner",
    "the AIMS manager",
    "top management",
    "the internal auditor",
    "the product manager",
    "the security team",
    "the legal function",
    "the data protection officer",
];
const VERBS: &[&str] = &[
    "shall document",
    "shall review",
    "shall approve",
    "shall maintain",
    "shall assess",
    "should monitor",
    "shall record",
    "shall communicate",
    "should evaluate",
    "shall verify",
    "shall retain",
    "shall escalate",
    "shall define",
    "should consider",
    "shall ensure",
];
const OBJECTS: &[&str] = &[
    "the intended purpose of each AI system",
    "the risk treatment plan",
    "the results of the AI impact assessment",
    "data quality criteria for training data",
    "the provenance of all datasets",
    "performance thresholds and acceptance criteria",
    "reported incidents and near misses",
    "changes to model architecture or training data",
    "the allocation of responsibilities",
    "evidence of human oversight",
    "the outcome of validation activities",
    "supplier obligations and contractual clauses",
    "the records required by this document",
    "objectives for responsible AI",
    "information provided to interested parties",
    "known limitations of the model",
    "logs of automated decisions",
    "the competence of personnel",
    "residual risks",
];
const QUALIFIERS: &[&str] = &[
    "at least annually",
    "before deployment",
    "after any significant change",
    "within five working days",
    "in accordance with the risk criteria",
    "using the approved template",
    "as part of the management review",
    "where technically feasible",
    "for every production release",
    "on request of the auditor",
    "prior to procurement",
    "when new legal requirements arise",
];
const FILLER: &[&str] = &[
    "This requirement applies to all AI systems within the scope of the AIMS.",
    "Deviations must be justified and approved by the document owner.",
    "Evidence of compliance is kept in the document management system.",
    "The organization considers the context, interested parties and applicable legal requirements.",
    "Where a supplier provides the AI component, equivalent assurance is obtained contractually.",
    "Results are reported to top management and feed into continual improvement.",
    "Records are classified and protected according to the information classification scheme.",
    "The level of rigour is proportionate to the assessed risk of the AI system.",
];
const SECTIONS: &[&str] = &[
    "Purpose",
    "Scope",
    "Terms and definitions",
    "Roles and responsibilities",
    "Requirements",
    "Process",
    "Monitoring and measurement",
    "Records",
    "Exceptions",
    "Review and maintenance",
];
const EVIDENCE: &[&str] = &["Register", "Report", "Minutes", "Log extract", "Checklist"];

const HUGO_BASEOF: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} | {{ .Site.Title }}</title></head>
<body>{{ block "main" . }}{{ end }}</body></html>
"#;
const HUGO_SINGLE: &str = r#"{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p>{{ .Params.id }} v{{ .Params.version }} — {{ .Params.owner }}</p>
{{ .Content }}</article>{{ end }}
"#;
const HUGO_LIST: &str = r#"{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
"#;
const HUGO_TOML: &str =
    "baseURL = \"http://localhost/\"\ntitle = \"Bench\"\nlanguageCode = \"en\"\n\
disableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\", \"robotsTXT\", \"404\"]\n\
[markup.goldmark.renderer]\nunsafe = false\n";

/// Annex A control ids of ISO/IEC 42001:2023 (38 controls).
fn controls() -> Vec<String> {
    let groups: &[(&str, std::ops::Range<u32>)] = &[
        ("A.2", 2..5),
        ("A.3", 2..4),
        ("A.4", 2..7),
        ("A.5", 2..6),
        ("A.6.1", 2..4),
        ("A.6.2", 2..9),
        ("A.7", 2..7),
        ("A.8", 2..6),
        ("A.9", 2..5),
        ("A.10", 2..5),
    ];
    expand(groups)
}

/// Clause ids (clauses 4–10) of ISO/IEC 42001:2023.
fn clauses() -> Vec<String> {
    let groups: &[(&str, std::ops::Range<u32>)] = &[
        ("4", 1..5),
        ("5", 1..4),
        ("6.1", 1..5),
        ("6", 2..4),
        ("7", 1..5),
        ("7.5", 1..4),
        ("8", 1..5),
        ("9", 1..2),
        ("9.2", 1..3),
        ("9.3", 1..4),
        ("10", 1..3),
    ];
    expand(groups)
}

fn expand(groups: &[(&str, std::ops::Range<u32>)]) -> Vec<String> {
    groups
        .iter()
        .flat_map(|(prefix, range)| range.clone().map(move |k| format!("{prefix}.{k}")))
        .collect()
}

/// splitmix64: tiny, fast, good enough for synthetic text, and fully deterministic.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`), multiply-shift reduction.
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn pick<'a, T: ?Sized>(&mut self, xs: &[&'a T]) -> &'a T {
        xs[self.below(xs.len())]
    }

    /// `k` distinct values from `0..n`, in draw order (`k <= n`).
    fn sample(&mut self, n: usize, k: usize) -> Vec<usize> {
        if n <= 4 * k {
            // Partial Fisher–Yates over the whole (small) range.
            let mut all: Vec<usize> = (0..n).collect();
            for j in 0..k {
                let s = j + self.below(n - j);
                all.swap(j, s);
            }
            all.truncate(k);
            all
        } else {
            let mut out = Vec::with_capacity(k);
            while out.len() < k {
                let x = self.below(n);
                if !out.contains(&x) {
                    out.push(x);
                }
            }
            out
        }
    }
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn doc_id(i: usize) -> String {
    format!("DOC-{i:05}")
}

fn folder_of(i: usize) -> String {
    format!("{:03}", (i - 1) / 100)
}

fn rel_link(src: usize, dst: usize) -> String {
    if folder_of(src) == folder_of(dst) {
        format!("{}.md", doc_id(dst))
    } else {
        format!("../{}/{}.md", folder_of(dst), doc_id(dst))
    }
}

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

struct Doc {
    i: usize,
    id: String,
    kind: &'static str,
    title: String,
    owner: &'static str,
    version: String,
    review: String,
    clauses: Vec<String>,
    controls: Vec<String>,
    systems: Vec<String>,
    related: Vec<usize>,
    body: String,
}

/// Everything a sentence may refer to.
struct Ctx<'a> {
    i: usize,
    clauses: &'a [String],
    controls: &'a [String],
    refs: &'a [usize],
}

fn sentence(r: &mut Rng, c: &Ctx) -> String {
    let mut s = format!(
        "{} {} {} {}.",
        cap(r.pick(ROLES)),
        r.pick(VERBS),
        r.pick(OBJECTS),
        r.pick(QUALIFIERS)
    );
    let x = r.unit();
    if x < 0.08 && !c.refs.is_empty() {
        let j = c.refs[r.below(c.refs.len())];
        let _ = write!(s, " See [[{}]].", doc_id(j));
    } else if x < 0.14 {
        let _ = write!(
            s,
            " This supports control [[{}]].",
            c.controls[r.below(c.controls.len())]
        );
    } else if x < 0.18 {
        let _ = write!(
            s,
            " Refer to clause [[{}]].",
            c.clauses[r.below(c.clauses.len())]
        );
    } else if x < 0.24 && !c.refs.is_empty() {
        let j = c.refs[r.below(c.refs.len())];
        let _ = write!(
            s,
            " Details are in [the related {}]({}).",
            r.pick(TYPES),
            rel_link(c.i, j)
        );
    } else if x < 0.45 {
        s.push(' ');
        s.push_str(r.pick(FILLER));
    }
    s
}

/// `k` distinct items of `list`, kept in list order.
fn sample_sorted(r: &mut Rng, list: &[String], k: usize) -> Vec<String> {
    let mut idx = r.sample(list.len(), k);
    idx.sort_unstable();
    idx.into_iter().map(|j| list[j].clone()).collect()
}

fn make_doc(seed: u64, i: usize, n: usize, all_clauses: &[String], all_controls: &[String]) -> Doc {
    let mut r = Rng::new(seed.wrapping_mul(1_000_003).wrapping_add(i as u64));
    let kind = r.pick(TYPES);
    let subject = r.pick(SUBJECTS);
    let title = format!("{subject} {} {i}", cap(kind));
    let owner = r.pick(OWNERS);
    let version = format!("{}.{}", r.range(1, 4), r.range(0, 9));
    let review = format!(
        "{}-{:02}-{}",
        r.range(2027, 2028),
        r.range(1, 12),
        if r.below(2) == 0 { 15 } else { 28 }
    );
    let k = r.range(1, 3);
    let clauses = sample_sorted(&mut r, all_clauses, k);
    let k = r.range(1, 4);
    let controls = sample_sorted(&mut r, all_controls, k);
    let others: Vec<usize> = if n > 1 {
        r.sample(n, n.min(6))
            .into_iter()
            .map(|j| j + 1)
            .filter(|&j| j != i)
            .collect()
    } else {
        Vec::new()
    };
    let mut related: Vec<usize> = others[..r.range(0, 3).min(others.len())].to_vec();
    related.sort_unstable();
    let refs: &[usize] = if others.len() > 3 {
        &others[3..]
    } else {
        &others
    };
    let ctx = Ctx {
        i,
        clauses: &clauses,
        controls: &controls,
        refs,
    };

    let target_words = r.range(600, 1350);
    let mut out: Vec<String> = Vec::new();
    let mut nwords = 0usize;
    out.push(format!("# {title}\n"));
    let intro = format!(
        "This {kind} defines how the organization addresses {subject} \
         within its AI management system (AIMS) in line with ISO/IEC 42001."
    );
    nwords += words(&intro) + words(&title);
    out.push(intro + "\n");
    let mut si = 0usize;
    let mut table_done = false;
    // Every document gets exactly one table, even if the word target is hit first.
    while nwords < target_words || !table_done {
        let base = SECTIONS[si % SECTIONS.len()];
        let heading = if si < SECTIONS.len() {
            base.to_string()
        } else {
            format!("{base} (part {})", si / SECTIONS.len() + 1)
        };
        si += 1;
        out.push(format!("\n## {si}. {heading}\n"));
        nwords += words(&heading) + 1;
        let kind_x = r.unit();
        if !table_done && (si == 5 || nwords as f64 > target_words as f64 * 0.6) {
            table_done = true;
            let mut rows = vec![
                "| Control | Description | Owner | Evidence |".to_string(),
                "|---|---|---|---|".to_string(),
            ];
            let extra = sample_sorted(&mut r, all_controls, 2);
            for c in controls.iter().chain(extra.iter()) {
                rows.push(format!(
                    "| [[{c}]] | {} | {} | {} |",
                    cap(r.pick(OBJECTS)),
                    r.pick(OWNERS),
                    r.pick(EVIDENCE)
                ));
            }
            nwords += 8 * (rows.len() - 2);
            out.push(rows.join("\n") + "\n");
        } else if kind_x < 0.5 {
            let numbered = kind_x >= 0.3;
            for k in 0..r.range(3, 6) {
                let s = sentence(&mut r, &ctx);
                nwords += words(&s);
                out.push(if numbered {
                    format!("{}. {s}", k + 1)
                } else {
                    format!("- {s}")
                });
            }
            out.last_mut().expect("list has items").push('\n');
        } else {
            if r.unit() < 0.3 {
                let sub = cap(r.pick(OBJECTS));
                nwords += words(&sub);
                out.push(format!("\n### {si}.1 {sub}\n"));
            }
            for _ in 0..r.range(1, 3) {
                let para: Vec<String> =
                    (0..r.range(2, 5)).map(|_| sentence(&mut r, &ctx)).collect();
                let para = para.join(" ");
                nwords += words(&para);
                out.push(para + "\n");
            }
        }
    }
    if !related.is_empty() {
        out.push("\n## Related documents\n".to_string());
        for &j in &related {
            out.push(format!("- [[{0}]] — [{0}]({1})", doc_id(j), rel_link(i, j)));
        }
        out.last_mut().expect("related is not empty").push('\n');
    }
    let mut body = out.join("\n").trim_end().to_string();
    body.push('\n');

    Doc {
        i,
        id: doc_id(i),
        kind,
        title,
        owner,
        version,
        review,
        clauses,
        controls,
        systems: systems_of(i, n),
        related,
        body,
    }
}

fn front_matter(d: &Doc) -> String {
    let clauses: Vec<String> = d.clauses.iter().map(|c| format!("\"{c}\"")).collect();
    let related: Vec<String> = d.related.iter().map(|&j| doc_id(j)).collect();
    format!(
        "---\n\
         id: {}\n\
         title: \"{}\"\n\
         type: {}\n\
         status: approved\n\
         version: \"{}\"\n\
         owner: {}\n\
         approver: Chief Executive Officer\n\
         approved: 2026-01-15\n\
         effective: 2026-02-01\n\
         review: {}\n\
         classification: internal\n\
         clauses: [{}]\n\
         controls: [{}]\n\
         systems: [{}]\n\
         related: [{}]\n\
         ---\n",
        d.id,
        d.title,
        d.kind,
        d.version,
        d.owner,
        d.review,
        clauses.join(", "),
        d.controls.join(", "),
        d.systems.join(", "),
        related.join(", "),
    )
}

fn soa(all_controls: &[String]) -> String {
    let mut s = String::from("controls:\n");
    for c in all_controls {
        let _ = writeln!(
            s,
            "  {c}: {{applicable: true, justification: \"Bench corpus\", implementation: implemented}}"
        );
    }
    s
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

struct Args {
    n: usize,
    out: PathBuf,
    seed: u64,
    hugo: bool,
    frameworks: bool,
}

const USAGE: &str = "usage: gencorpus N OUTDIR [--seed S] [--hugo] [--frameworks]\n\
    \x20 N         number of documents, 1..=99999\n\
    \x20 OUTDIR    output folder (must not already contain docs/ or hugo/)\n\
    \x20 --seed S  unsigned 64-bit seed (default 42001)\n\
    \x20 --hugo    also write the same documents as a Hugo site under OUTDIR/hugo/\n\
    \x20 --frameworks  enable other frameworks and let documents declare their entries";

fn parse_args() -> Result<Option<Args>, String> {
    let mut positional = Vec::new();
    let mut seed = DEFAULT_SEED;
    let mut hugo = false;
    let mut frameworks = false;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "-h" | "--help" => return Ok(None),
            "--hugo" => hugo = true,
            "--frameworks" => frameworks = true,
            "--seed" => {
                let v = it.next().ok_or("--seed needs a value")?;
                seed = v.parse().map_err(|_| format!("bad seed: {v}"))?;
            }
            _ if a.starts_with("--seed=") => {
                let v = &a["--seed=".len()..];
                seed = v.parse().map_err(|_| format!("bad seed: {v}"))?;
            }
            _ if a.starts_with('-') => return Err(format!("unknown option: {a}")),
            _ => positional.push(a),
        }
    }
    let [n, out] = <[String; 2]>::try_from(positional)
        .map_err(|p| format!("expected N and OUTDIR, got {} argument(s)", p.len()))?;
    let n: usize = n.parse().map_err(|_| format!("bad N: {n}"))?;
    if !(1..=99_999).contains(&n) {
        return Err(format!("N must be 1..=99999, got {n}"));
    }
    Ok(Some(Args {
        n,
        out: PathBuf::from(out),
        seed,
        hugo,
        frameworks,
    }))
}

fn run(a: &Args) -> Result<(), String> {
    for sub in ["docs", "hugo"] {
        let p = a.out.join(sub);
        if p.exists() {
            return Err(format!(
                "{} already exists; remove it first (a corpus must come from one run)",
                p.display()
            ));
        }
    }
    let all_clauses = clauses();
    let all_controls = controls();
    let mut toml = String::from(
        "title = \"Bench corpus\"\norganization = \"Bench Ltd\"\n\
         # The Hugo copy of the same documents lives beside docs/; it is not part of the AIMS.\n\
         exclude = [\"_*\", \"hugo\"]\n",
    );
    if a.frameworks {
        toml.push_str(frameworks::AIMS_TOML);
        write(
            &a.out.join("frameworks/customer.yaml"),
            &frameworks::customer_catalog(),
        )?;
        write(
            &a.out.join("crosswalks/customer.yaml"),
            &frameworks::customer_crosswalk(&all_controls),
        )?;
    }
    write(&a.out.join("aims.toml"), &toml)?;
    write(&a.out.join("soa.yaml"), &soa(&all_controls))?;
    write(&a.out.join("systems.yaml"), &systems_yaml(a.n))?;
    let docs = a.out.join("docs");
    let hugo = a.out.join("hugo");
    let content = hugo.join("content");
    let mut total_words = 0usize;
    for i in 1..=a.n {
        let d = make_doc(a.seed, i, a.n, &all_clauses, &all_controls);
        total_words += words(&d.body);
        let folder = folder_of(d.i);
        let file = format!("{}.md", d.id);
        let mut fm = front_matter(&d);
        if a.frameworks {
            // Before the closing `---`.
            fm.truncate(fm.len() - "---\n".len());
            fm.push_str(&frameworks::declarations(a.seed, i));
            fm.push_str("---\n");
        }
        let text = fm + &d.body;
        write(&docs.join(&folder).join(&file), &text)?;
        if a.hugo {
            write(&content.join(&folder).join(&file), &text)?;
            if (i - 1) % 100 == 0 {
                write(
                    &content.join(&folder).join("_index.md"),
                    &format!("---\ntitle: \"Folder {folder}\"\n---\n"),
                )?;
            }
        }
    }
    if a.hugo {
        write(&hugo.join("hugo.toml"), HUGO_TOML)?;
        write(&content.join("_index.md"), "---\ntitle: \"Bench\"\n---\n")?;
        let layouts = hugo.join("layouts").join("_default");
        write(&layouts.join("baseof.html"), HUGO_BASEOF)?;
        write(&layouts.join("single.html"), HUGO_SINGLE)?;
        write(&layouts.join("list.html"), HUGO_LIST)?;
    }
    eprintln!(
        "wrote {} docs, {} body words (avg {}) to {}{}",
        a.n,
        total_words,
        total_words / a.n,
        a.out.display(),
        if a.hugo { " (+ hugo/)" } else { "" }
    );
    Ok(())
}

fn main() -> ExitCode {
    match parse_args() {
        Ok(None) => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Some(a)) => match run(&a) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("gencorpus: {e}");
                ExitCode::FAILURE
            }
        },
        Err(e) => {
            eprintln!("gencorpus: {e}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
