//! Control characters from the input never reach the terminal raw: an id or a file holding
//! `ESC [ 2 J` would otherwise clear the screen, set the window title, or worse.
//!
//! Escaped are C0 controls other than line feed and tab, DEL, and C1 controls (U+0080 to
//! U+009F, which some terminals obey as well). Text (messages, suggestions, file names) gets
//! Rust-style escapes such as `\u{1b}`. Source lines in snippets get one visible character per
//! control instead (the Control Pictures `␛`, `␀`, …, `␡`, and `�` for C1), so that the caret
//! and the `line:col` printed with it still point at the right character.

use std::borrow::Cow;

/// Whether `c` is escaped. A carriage return right before a line feed is a line end, not a
/// control, and is checked by the callers.
pub fn is_control(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

/// `text` with every control character (and a carriage return not followed by a line feed)
/// written as `\u{..}`.
pub fn escape_text(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| is_control(c) || c == '\r') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let line_end = c == '\r' && chars.peek() == Some(&'\n');
        if (is_control(c) || c == '\r') && !line_end {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// JSON text with DEL and C1 controls written as `\u00xx` (serde_json escapes only C0). The
/// same JSON value, but safe to print: in JSON text these characters occur only in strings.
pub fn json_controls(json: String) -> String {
    if !json.chars().any(|c| matches!(c, '\u{7f}'..='\u{9f}')) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '\u{7f}'..='\u{9f}' => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            _ => out.push(c),
        }
    }
    out
}

/// The visible stand-in for a control character in a source snippet.
fn picture(c: char) -> char {
    match c {
        '\0'..='\u{1f}' => char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{fffd}'),
        '\u{7f}' => '\u{2421}',
        _ => '\u{fffd}',
    }
}

/// A source text with its control characters replaced by pictures, and the byte offsets
/// where the replacements changed the length, to move label ranges along.
#[derive(Debug)]
pub struct EscapedSource {
    /// The text to show.
    pub text: String,
    /// (offset in the original text just after a replaced character, total bytes added up to
    /// there), in order.
    shifts: Vec<(usize, isize)>,
}

impl EscapedSource {
    /// Replaces the controls of `text` (a carriage return only when no line feed follows).
    pub fn new(text: String) -> EscapedSource {
        if !text.chars().any(|c| is_control(c) || c == '\r') {
            return EscapedSource {
                text,
                shifts: Vec::new(),
            };
        }
        let mut out = String::with_capacity(text.len() + 16);
        let mut shifts = Vec::new();
        let mut added: isize = 0;
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let line_end = c == '\r' && chars.peek().map(|&(_, n)| n) == Some('\n');
            if (is_control(c) || c == '\r') && !line_end {
                let p = picture(c);
                out.push(p);
                added += p.len_utf8() as isize - c.len_utf8() as isize;
                shifts.push((i + c.len_utf8(), added));
            } else {
                out.push(c);
            }
        }
        EscapedSource { text: out, shifts }
    }

    /// Where byte `offset` of the original text is in [`EscapedSource::text`].
    pub fn offset(&self, offset: usize) -> usize {
        let n = self.shifts.partition_point(|&(at, _)| at <= offset);
        let added = n.checked_sub(1).map_or(0, |k| self.shifts[k].1);
        offset.saturating_add_signed(added).min(self.text.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes() {
        assert_eq!(escape_text("plain é\ttab\nline"), "plain é\ttab\nline");
        assert_eq!(
            escape_text("P\u{1b}[2J\u{7}\u{7f}\u{9b}x\r\n\r"),
            "P\\u{1b}[2J\\u{7}\\u{7f}\\u{9b}x\r\n\\u{d}"
        );
    }

    #[test]
    fn json_keeps_its_value() {
        let json = serde_json::to_string(&"a\u{1b}b\u{7f}c\u{9b}d").unwrap();
        let escaped = json_controls(json);
        assert_eq!(escaped, "\"a\\u001bb\\u007fc\\u009bd\"");
        let back: String = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back, "a\u{1b}b\u{7f}c\u{9b}d");
    }

    #[test]
    fn source_pictures_keep_columns_and_move_offsets() {
        let s = EscapedSource::new("a\u{1b}b\u{9b}c\r\nd\re".to_string());
        assert_eq!(s.text, "a\u{241b}b\u{fffd}c\r\nd\u{240d}e");
        // Same number of characters: columns are unchanged.
        assert_eq!(
            s.text.chars().count(),
            "a\u{1b}b\u{9b}c\r\nd\re".chars().count()
        );
        let original = "a\u{1b}b\u{9b}c\r\nd\re";
        for (i, c) in original.char_indices() {
            let moved = s.offset(i);
            if !is_control(c) && c != '\r' {
                assert_eq!(s.text[moved..].chars().next(), Some(c), "offset {i}");
            }
        }
        assert_eq!(s.offset(original.len()), s.text.len());
        let plain = EscapedSource::new("abc".into());
        assert_eq!(plain.offset(2), 2);
    }
}
