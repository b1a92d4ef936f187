//! Link targets that run script or embed content: `javascript:`, `vbscript:` and `data:`.
//!
//! A browser reads a URL after decoding character references (pulldown-cmark and html5ever
//! have already done that, so `java&#x09;script:` arrives here as `java\tscript:`), then, as the
//! URL Standard's parser does, strips leading and trailing C0 controls and spaces, removes every
//! tab and newline, and matches the scheme without regard to case. [`scheme`] reads a URL the
//! same way and, stricter than a browser, also removes every other ASCII control character, so
//! no spelling of a blocked scheme that a browser would act on gets through.

/// Schemes never allowed in a link or image target.
pub const BLOCKED: [&str; 3] = ["javascript", "vbscript", "data"];

/// Schemes a sanitised raw HTML `href` or `src` may use (a relative URL has none).
const SAFE: [&str; 4] = ["http", "https", "mailto", "tel"];

/// The scheme of `url` as a browser reads it, in lowercase; `None` for a relative URL.
pub fn scheme(url: &str) -> Option<String> {
    let trimmed = url.trim_matches(|c: char| c <= ' ');
    let mut out = String::new();
    for c in trimmed.chars() {
        match c {
            ':' => return (!out.is_empty()).then_some(out),
            c if c.is_ascii_control() => {}
            c if out.is_empty() && !c.is_ascii_alphabetic() => return None,
            c if c.is_ascii_alphanumeric() || "+-.".contains(c) => out.push(c.to_ascii_lowercase()),
            _ => return None,
        }
    }
    None
}

/// The blocked scheme `url` uses, if any.
pub fn blocked_scheme(url: &str) -> Option<&'static str> {
    let s = scheme(url)?;
    BLOCKED.iter().copied().find(|b| *b == s)
}

/// Whether a sanitised raw HTML `href`/`src` may keep `url`: relative, or a safe scheme.
pub fn is_safe(url: &str) -> bool {
    scheme(url).is_none_or(|s| SAFE.contains(&s.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_schemes_like_a_browser() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "  javascript:x",
            "\u{1}\u{0}javascript:x",
            "java\tscript:x",
            "java\nscr\ript:x",
            "javascript\t:x",
        ] {
            assert_eq!(blocked_scheme(url), Some("javascript"), "{url:?}");
        }
        assert_eq!(blocked_scheme("VBScript:msgbox"), Some("vbscript"));
        assert_eq!(blocked_scheme(" data:image/png;base64,AA"), Some("data"));
        for url in [
            "https://e.com/javascript:x",
            "docs/javascript.md",
            "#javascript:x",
            "javascript%3Ax",
            "\u{a0}javascript:x",
            "java script:x",
            "",
            ":x",
        ] {
            assert_eq!(blocked_scheme(url), None, "{url:?}");
        }
    }

    #[test]
    fn safe_urls_for_raw_html() {
        assert!(is_safe("https://e.com"));
        assert!(is_safe("MAILTO:a@b"));
        assert!(is_safe("../files/a.pdf"));
        assert!(is_safe("#top"));
        assert!(is_safe("//cdn.example/x.png"));
        assert!(!is_safe("file:///etc/passwd"));
        assert!(!is_safe("javascript:x"));
    }
}
