//! What is at the cursor in a document's text: the value of a front-matter field (which
//! field, which word), a `[[reference]]` (its id or anchor part), or the destination of a
//! Markdown link. Read from the buffer as typed, so it works on half-written lines and on
//! front matter that does not parse yet.

use std::ops::Range;

use crate::load::frontmatter::bom_len;

/// Which part of a `[[id#anchor|text]]` the cursor is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    /// The id.
    Id,
    /// The anchor, after `#`.
    Anchor,
    /// The text, after `|`.
    Label,
}

/// What the cursor is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum At {
    /// The value of a front-matter field.
    Field {
        /// The top-level field (`controls`).
        field: String,
        /// Under `frameworks`: the framework whose list the cursor is in.
        framework: Option<String>,
        /// The word under the cursor (empty at a place where a value starts).
        token: Range<usize>,
    },
    /// A `[[reference]]` in the body.
    Wiki {
        /// Its id part (trimmed).
        id: Range<usize>,
        /// Its anchor part.
        anchor: Option<Range<usize>>,
        /// Where the cursor is.
        part: Part,
    },
    /// The value of a key of one system in `systems.yaml` (`inventory`).
    Inventory {
        /// The key (`role`, `id`).
        key: String,
        /// The word under the cursor (empty at a place where a value starts).
        token: Range<usize>,
    },
    /// The destination of a Markdown link `[text](dest)`.
    Link {
        /// The destination as written.
        dest: Range<usize>,
    },
    /// Nothing aimsdoc knows.
    Nothing,
}

/// The byte range of the YAML between the front-matter fences (to the end of the text when
/// the closing fence is not written yet).
pub(super) fn front_matter(text: &str) -> Option<Range<usize>> {
    let start = bom_len(text);
    let first = text[start..].split_inclusive('\n').next()?;
    if first.trim_end() != "---" {
        return None;
    }
    let yaml = start + first.len();
    let mut offset = yaml;
    for line in text[yaml..].split_inclusive('\n') {
        let l = line.trim_end();
        if l == "---" || l == "..." {
            return Some(yaml..offset);
        }
        offset += line.len();
    }
    Some(yaml..text.len())
}

pub(super) fn line_bounds(text: &str, offset: usize) -> (usize, usize) {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    (start, end)
}

/// What is at byte `offset` of `text`; `frameworks` are the ids of the enabled frameworks
/// (keys under `frameworks:`).
pub(super) fn at(text: &str, offset: usize, frameworks: &[&str]) -> At {
    let offset = crate::diagnostics::floor_char_boundary(text, offset.min(text.len()));
    match front_matter(text) {
        Some(fm) if fm.start <= offset && offset <= fm.end => {
            field_at(text, offset, fm, frameworks)
        }
        Some(fm) if offset < fm.start => At::Nothing,
        _ => body_at(text, offset),
    }
}

fn field_at(text: &str, offset: usize, fm: Range<usize>, frameworks: &[&str]) -> At {
    let (line_start, _) = line_bounds(text, offset);
    // The field: the nearest line at or above the cursor that starts with a key.
    let mut ls = line_start;
    let (field, field_line) = loop {
        let le = text[ls..].find('\n').map_or(text.len(), |i| ls + i);
        let line = &text[ls..le];
        let starts_key = line
            .chars()
            .next()
            .is_some_and(|c| !c.is_whitespace() && c != '#' && c != '-');
        if starts_key {
            if let Some(colon) = line.find(':') {
                if ls == line_start && offset <= ls + colon {
                    return At::Nothing; // on the key itself
                }
                break (line[..colon].trim().to_string(), ls);
            }
        }
        if ls <= fm.start {
            return At::Nothing;
        }
        ls = text[..ls - 1].rfind('\n').map_or(0, |i| i + 1);
    };
    let token = value_token(text, offset, line_start);
    let framework = (field == "frameworks")
        .then(|| {
            let before = &text[field_line..token.start];
            frameworks
                .iter()
                .filter_map(|f| before.rfind(&format!("{f}:")).map(|i| (i, *f)))
                .max()
                .map(|(_, f)| f.to_string())
        })
        .flatten();
    At::Field {
        field,
        framework,
        token,
    }
}

/// The value word around `offset` on its line: between list or mapping punctuation, after
/// a `key: ` and a `- `, without a trailing comment.
pub(super) fn value_token(text: &str, offset: usize, line_start: usize) -> Range<usize> {
    let (_, line_end) = line_bounds(text, offset);
    let delim = |c: char| matches!(c, '[' | ']' | '{' | '}' | ',' | '"' | '\'' | '\r');
    let mut start = text[line_start..offset]
        .rfind(delim)
        .map_or(line_start, |i| line_start + i + 1);
    let mut end = text[offset..line_end]
        .find(delim)
        .map_or(line_end, |i| offset + i);
    if let Some(i) = text[start..offset].rfind(": ") {
        start += i + 2;
    } else if text[start..offset].ends_with(':') {
        start = offset;
    }
    if let Some(i) = text[offset..end].find(':') {
        end = offset + i;
    }
    loop {
        let s = &text[start..end];
        let t = s.trim_start();
        if t.len() != s.len() {
            start += s.len() - t.len();
        } else if t.starts_with("- ") {
            start += 2;
        } else {
            break;
        }
    }
    if let Some(i) = text[start..end].find(" #") {
        end = start + i;
    }
    end = start + text[start..end].trim_end().len();
    if start > offset {
        return offset..offset;
    }
    start..end.max(offset)
}

fn trimmed(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let start = r.start + lead;
    start..start + s.trim().len()
}

fn body_at(text: &str, offset: usize) -> At {
    let (ls, le) = line_bounds(text, offset);
    let before = &text[ls..offset];
    if let Some(open) = before.rfind("[[") {
        if !before[open..].contains("]]") {
            let inner = ls + open + 2;
            let end = text[inner..le].find("]]").map_or(le, |i| inner + i);
            let bar = text[inner..end].find('|').map(|i| inner + i);
            let id_end = bar.unwrap_or(end);
            let hash = text[inner..id_end].find('#').map(|i| inner + i);
            let id = trimmed(text, inner..hash.unwrap_or(id_end));
            let anchor = hash.map(|h| trimmed(text, h + 1..id_end));
            let part = match (hash, bar) {
                (_, Some(b)) if offset > b => Part::Label,
                (Some(h), _) if offset > h => Part::Anchor,
                _ => Part::Id,
            };
            // Typing right after `[[`: the id is what is typed so far.
            let id = if part == Part::Id && id.start > offset {
                offset..offset
            } else {
                id
            };
            return At::Wiki { id, anchor, part };
        }
    }
    if let Some(open) = before.rfind("](") {
        if !before[open..].contains(')') {
            let start = ls + open + 2;
            let end = text[start..le].find([')', ' ']).map_or(le, |i| start + i);
            return At::Link { dest: start..end };
        }
    }
    At::Nothing
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_mark(src: &str) -> (String, At) {
        let offset = src.find('|').unwrap();
        let text = src.replacen('|', "", 1);
        let a = at(&text, offset, &["iso27001", "eu-ai-act"]);
        (text, a)
    }

    fn field(src: &str) -> (String, Option<String>, String) {
        match at_mark(src) {
            (
                text,
                At::Field {
                    field,
                    framework,
                    token,
                },
            ) => (field, framework, text[token].to_string()),
            (_, other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn front_matter_fields_and_words() {
        let f = |s: &str| field(&format!("---\nid: X\n{s}\n---\nbody\n"));
        assert_eq!(f("controls: [A.6.2.8, A.6.|]").2, "A.6.");
        assert_eq!(f("controls: [A.6.2.8, A.6.|]").0, "controls");
        assert_eq!(f("controls: [|]").2, "");
        assert_eq!(f("controls:\n  - A.6|.2.8 # why").2, "A.6.2.8");
        assert_eq!(f("controls:\n  - id: A.|5").2, "A.5");
        assert_eq!(f("related: [POL-1, \"POL-|2\"]").2, "POL-2");
        assert_eq!(f("supersedes: POL-|OLD").2, "POL-OLD");
        assert_eq!(f("status: |").2, "");
        assert_eq!(f("status: |").0, "status");
        let (field, fw, word) = f("frameworks:\n  iso27001: [A.5.1, A.5.|]");
        assert_eq!(
            (field.as_str(), fw.as_deref(), word.as_str()),
            ("frameworks", Some("iso27001"), "A.5.")
        );
        let (_, fw, _) = f("frameworks: {eu-ai-act: [Art. 9], iso27001: [|]}");
        assert_eq!(fw.as_deref(), Some("iso27001"));
        let (_, fw, _) = f("frameworks:\n  |");
        assert_eq!(fw, None);
        // Unterminated front matter: still front matter.
        let (_, a) = at_mark("---\nid: X\ncontrols: [A.|");
        assert!(matches!(a, At::Field { ref field, .. } if field == "controls"));
        // On a key: nothing.
        assert_eq!(at_mark("---\ncont|rols: [A]\n---\n").1, At::Nothing);
    }

    #[test]
    fn references_and_links_in_the_body() {
        let (text, a) = at_mark("---\nid: X\n---\nSee [[PRO-|RISK-001#scope|the text]] é.\n");
        let At::Wiki { id, anchor, part } = a else {
            panic!()
        };
        assert_eq!(
            (&text[id], &text[anchor.unwrap()], part),
            ("PRO-RISK-001", "scope", Part::Id)
        );
        let (text, a) = at_mark("---\nid: X\n---\n中 [[PRO-1#sc|\n");
        let At::Wiki { anchor, part, .. } = a else {
            panic!()
        };
        assert_eq!((&text[anchor.unwrap()], part), ("sc", Part::Anchor));
        let (_, a) = at_mark("---\nid: X\n---\nSee [[|\n");
        let At::Wiki { id, part, .. } = a else {
            panic!()
        };
        assert_eq!((id.is_empty(), part), (true, Part::Id));
        let (text, a) = at_mark("---\nid: X\n---\nSee [the](../a/b|.md#x) and\n");
        let At::Link { dest } = a else { panic!() };
        assert_eq!(&text[dest], "../a/b.md#x");
        assert_eq!(at_mark("---\nid: X\n---\nSee [[A]] an|d\n").1, At::Nothing);
    }
}
