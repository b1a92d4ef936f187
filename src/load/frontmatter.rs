//! Splitting a Markdown file into YAML front matter and body, remembering where each starts
//! so that diagnostics point into the original file.

/// The parts of a file with front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML text between the `---` lines.
    pub yaml: &'a str,
    /// Byte offset of `yaml` in the file text.
    pub yaml_offset: usize,
    /// The Markdown body after the closing line.
    pub body: &'a str,
    /// Byte offset of `body` in the file text.
    pub body_offset: usize,
}

/// What splitting found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitResult<'a> {
    /// Front matter and body.
    Found(Split<'a>),
    /// The file does not start with a `---` line.
    None,
    /// An opening `---` without a closing `---` or `...` line.
    Unterminated,
}

/// Length of a UTF-8 byte-order mark at the start of `text`, if any.
pub fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    }
}

fn is_fence(line: &str, marks: &[&str]) -> bool {
    let l = line
        .trim_end_matches(['\n', '\r'])
        .trim_end_matches([' ', '\t']);
    marks.contains(&l)
}

/// Splits `text` (a whole file). Tolerates a BOM and CRLF line ends.
pub fn split(text: &str) -> SplitResult<'_> {
    let start = bom_len(text);
    let mut lines = text[start..].split_inclusive('\n');
    let first = match lines.next() {
        Some(l) => l,
        None => return SplitResult::None,
    };
    if !is_fence(first, &["---"]) {
        return SplitResult::None;
    }
    let yaml_offset = start + first.len();
    let mut offset = yaml_offset;
    for line in lines {
        if is_fence(line, &["---", "..."]) {
            let body_offset = offset + line.len();
            return SplitResult::Found(Split {
                yaml: &text[yaml_offset..offset],
                yaml_offset,
                body: &text[body_offset..],
                body_offset,
            });
        }
        offset += line.len();
    }
    SplitResult::Unterminated
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_with_bom_and_crlf() {
        let t = "\u{feff}---\r\nid: X\r\n---\r\nBody\r\n";
        match split(t) {
            SplitResult::Found(s) => {
                assert_eq!(s.yaml, "id: X\r\n");
                assert_eq!(s.body, "Body\r\n");
                assert_eq!(&t[s.body_offset..], "Body\r\n");
                assert_eq!(&t[s.yaml_offset..s.yaml_offset + 5], "id: X");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn no_front_matter_and_unterminated() {
        assert_eq!(split("# Title\n"), SplitResult::None);
        assert_eq!(split(""), SplitResult::None);
        assert_eq!(split("---\nid: X\n"), SplitResult::Unterminated);
        assert!(matches!(split("---\n---\n"), SplitResult::Found(s) if s.yaml.is_empty()));
        assert!(
            matches!(split("---\nid: X\n...\nbody"), SplitResult::Found(s) if s.body == "body")
        );
    }
}
