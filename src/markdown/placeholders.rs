//! Filling the placeholders the pass leaves in its HTML, once references are resolved.

use super::{MARK_CLOSE, MARK_END, MARK_OPEN, MARK_START};

/// Replaces every placeholder in `html` with `fill(index)`. A whole link element whose
/// `replace(index)` is `Some(text)` is replaced by that text, link text included.
pub fn fill_placeholders(
    html: &str,
    mut fill: impl FnMut(usize) -> String,
    replace: impl Fn(usize) -> Option<String>,
) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    while let Some(start) = next_mark(rest) {
        out.push_str(&rest[..start]);
        let mark = rest[start..].chars().next().unwrap_or(MARK_CLOSE);
        let after = &rest[start + mark.len_utf8()..];
        if mark == MARK_CLOSE {
            rest = after;
            continue;
        }
        let Some(end) = after.find(MARK_END) else {
            rest = after;
            continue;
        };
        let index = after[..end].parse::<usize>().ok();
        rest = &after[end + MARK_END.len_utf8()..];
        match (mark, index) {
            (MARK_START, Some(i)) => out.push_str(&fill(i)),
            (MARK_OPEN, Some(i)) => {
                if let Some(text) = replace(i) {
                    out.push_str(&text);
                    rest = rest
                        .find(MARK_CLOSE)
                        .map_or("", |c| &rest[c + MARK_CLOSE.len_utf8()..]);
                }
            }
            _ => out.push('\u{FFFD}'),
        }
    }
    out.push_str(rest);
    out
}

/// The byte offset of the next [`MARK_START`], [`MARK_OPEN`] or [`MARK_CLOSE`] in `s`. The
/// marks are U+E000–U+E003, `EE 80 80`–`EE 80 83` in UTF-8: the search looks for their first
/// byte (a lead byte, so always at a character boundary) with `memchr` rather than decoding
/// every character of every body.
fn next_mark(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut at = 0;
    while let Some(i) = memchr::memchr(0xEE, &b[at..]) {
        let j = at + i;
        if b.get(j + 1) == Some(&0x80) && matches!(b.get(j + 2), Some(0x80 | 0x82 | 0x83)) {
            return Some(j);
        }
        at = j + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_marks_that_start_or_close_a_placeholder_and_no_other_character() {
        for s in [
            "",
            "plain",
            "\u{E001}\u{E004}\u{E0FF}\u{EE80}é\u{E000}",
            "x\u{E002}y",
            "\u{E003}",
            "\u{E7FF}\u{E001}a\u{E000}",
        ] {
            let want = s.find([MARK_START, MARK_OPEN, MARK_CLOSE]);
            assert_eq!(next_mark(s), want, "{s:?}");
        }
    }
}
