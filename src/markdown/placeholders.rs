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
    while let Some(start) = rest.find([MARK_START, MARK_OPEN, MARK_CLOSE]) {
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
