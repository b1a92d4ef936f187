//! The frameworks of a generated corpus (`gencorpus --frameworks`): all three built-in
//! frameworks beside ISO/IEC 42001 and a team's own catalog (`frameworks/customer.yaml`,
//! with its crosswalk `crosswalks/customer.yaml`), and per document a `frameworks:`
//! front-matter block declaring some of their entries. A document's declarations depend
//! only on `(seed, i)`, from their own PRNG, so the rest of the document is the same bytes
//! with or without frameworks.

use std::fmt::Write as _;

/// The `aims.toml` line enabling the frameworks.
pub(crate) const AIMS_TOML: &str =
    "frameworks = [\"iso27001\", \"eu-ai-act\", \"nist-ai-rmf\", \"customer\"]\n";

/// Entries of the team's own catalog.
const CUSTOMER_ENTRIES: usize = 40;

/// The team's own catalog: 8 groups of 5 requirements.
pub(crate) fn customer_catalog() -> String {
    let mut s = String::from(
        "framework:\n  id: customer\n  name: Customer AI requirements\n  version: \"2026\"\nentries:\n",
    );
    for g in 1..=CUSTOMER_ENTRIES / 5 {
        let _ = writeln!(
            s,
            "  - id: CR-{g}\n    kind: group\n    title: Customer requirement group {g}"
        );
        for k in 1..=5 {
            let _ = writeln!(
                s,
                "  - id: CR-{g}.{k}\n    kind: requirement\n    parent: CR-{g}\n    title: Customer requirement {g}.{k}\n    summary: What customer contracts require of AI systems, item {g}.{k}."
            );
        }
    }
    s
}

/// The crosswalk from ISO/IEC 42001 Annex A controls to the team's catalog: control `k` of
/// `controls` maps to two requirements.
pub(crate) fn customer_crosswalk(controls: &[String]) -> String {
    let mut s = String::from(
        "framework: {id: customer, name: Customer AI requirements}\nconfidence: medium\nsource: bench corpus mapping\nmappings:\n",
    );
    for (k, c) in controls.iter().enumerate() {
        let a = k % CUSTOMER_ENTRIES;
        let b = (k * 7 + 3) % CUSTOMER_ENTRIES;
        let id = |x: usize| format!("CR-{}.{}", x / 5 + 1, x % 5 + 1);
        let conf = if k % 3 == 0 { ", confidence: high" } else { "" };
        let _ = writeln!(s, "  - {{iso: {c}, targets: [{}, {}]{conf}}}", id(a), id(b));
    }
    s
}

fn iso27001_ids() -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for (group, n) in [(5, 37), (6, 8), (7, 14), (8, 34)] {
        v.extend((1..=n).map(|k| format!("A.{group}.{k}")));
    }
    v.extend(["5.2", "6.1.2", "6.1.3", "7.5.1", "8.1", "9.2.1"].map(String::from));
    v
}

const EU_AI_ACT: &[&str] = &[
    "Art. 9", "Art. 10", "Art. 11", "Art. 12", "Art. 13", "Art. 14", "Art. 15", "Art. 17",
    "Art. 26", "Art. 27", "Art. 50", "Art. 72", "Art. 73",
];

fn nist_ids() -> Vec<String> {
    let mut v = Vec::new();
    for (f, sub) in [
        ("GOVERN", &[7usize, 3, 2, 3, 2, 2][..]),
        ("MAP", &[6, 3, 5, 2, 2][..]),
        ("MEASURE", &[3, 13, 3, 3][..]),
        ("MANAGE", &[4, 4, 2, 3][..]),
    ] {
        for (c, &n) in sub.iter().enumerate() {
            v.extend((1..=n).map(|k| format!("{f} {}.{k}", c + 1)));
        }
    }
    v
}

/// splitmix64, seeded per document.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The `frameworks:` block of document `i` (empty for about a third of the documents):
/// one to three frameworks, one or two entries each.
pub(crate) fn declarations(seed: u64, i: usize) -> String {
    let mut r = Mix(seed ^ 0x00F7_A3E0_0000_0000 ^ (i as u64).wrapping_mul(0x2545_F491));
    if r.below(3) == 0 {
        return String::new();
    }
    let iso = iso27001_ids();
    let nist = nist_ids();
    let customer: Vec<String> = (0..CUSTOMER_ENTRIES)
        .map(|x| format!("CR-{}.{}", x / 5 + 1, x % 5 + 1))
        .collect();
    let eu: Vec<String> = EU_AI_ACT.iter().map(|s| s.to_string()).collect();
    let all: [(&str, &Vec<String>); 4] = [
        ("iso27001", &iso),
        ("eu-ai-act", &eu),
        ("nist-ai-rmf", &nist),
        ("customer", &customer),
    ];
    let first = r.below(4);
    let count = 1 + r.below(3);
    let mut s = String::from("frameworks:\n");
    for k in 0..count {
        let (id, ids) = all[(first + k) % 4];
        let a = r.below(ids.len());
        let b = r.below(ids.len());
        let picked: Vec<String> = if a == b || r.below(2) == 0 {
            vec![format!("\"{}\"", ids[a])]
        } else {
            vec![format!("\"{}\"", ids[a]), format!("\"{}\"", ids[b])]
        };
        let _ = writeln!(s, "  {id}: [{}]", picked.join(", "));
    }
    s
}
