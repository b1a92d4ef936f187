//! YAML (front matter, `soa.yaml`) parsed within fixed bounds, so that no input costs more
//! than a bounded amount of time and memory, and every bound that is hit is reported at a
//! position.
//!
//! The bounds, and why each is checked where it is:
//!
//! - **Size:** at most [`MAX_BYTES`] of YAML are parsed. serde_norway (libyaml) turns the whole
//!   text into events before any value is built, about 100 bytes of memory per event, so the
//!   size bounds the memory of a parse.
//! - **Flow collections:** libyaml's scanner walks its stack of open `[`/`{` collections for
//!   every token, so its time grows with tokens × nesting (a 200 KB line of 100,000 `[` took
//!   17 s). That cost is paid before a single value exists, so the text is scanned first: at
//!   most [`MAX_FLOW_OPENERS`] `[` and `{` characters are let through, counted everywhere,
//!   quotes and comments included. The count is a bound that no YAML construct can get round
//!   (nesting can never exceed it), which a quote-aware scan would not be.
//! - **Depth, entries, values:** checked while the value is built (a [`DeserializeSeed`] in
//!   place of `Value`'s own `Deserialize`), so a 10,001st list entry or an alias repeated into
//!   millions of values stops the build of the value at once, at the position serde_norway
//!   gives (the start of the collection). serde_norway has a recursion limit of its own (128
//!   levels, in its deserializer), but like these checks it applies only once libyaml has
//!   scanned the whole text, so it could not stop the quadratic scan; it stays beneath the
//!   [`MAX_DEPTH`] check.
//!
//! A YAML crate with budgets of its own (serde-saphyr) would cover the last group, but not
//! the libyaml `Value` and positions that the rest of aimsdoc reads; the scan and the seed
//! are about 200 lines.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};
use serde_yaml::value::{Tag, TaggedValue};
use serde_yaml::{Mapping, Value};

/// The most YAML text parsed from one front matter block or `soa.yaml` (1 MiB).
pub const MAX_BYTES: usize = 1024 * 1024;
/// The deepest nesting of lists and mappings (the top-level mapping is level 1).
pub const MAX_DEPTH: usize = 64;
/// The most entries of one list, or keys of one mapping.
pub const MAX_ENTRIES: usize = 10_000;
/// The most values (scalars, lists and mappings, counting each repetition of an alias).
pub const MAX_VALUES: usize = 100_000;
/// The most `[` and `{` characters in the text (see the module documentation).
pub const MAX_FLOW_OPENERS: usize = 512;

/// A bound of this module that the input went over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// More than [`MAX_BYTES`]; the size in bytes.
    TooLarge(usize),
    /// Nested more than [`MAX_DEPTH`] levels deep.
    TooDeep,
    /// A list with more than [`MAX_ENTRIES`] entries.
    LongList,
    /// A mapping with more than [`MAX_ENTRIES`] keys.
    LongMapping,
    /// More than [`MAX_VALUES`] values, aliases expanded.
    TooManyValues,
    /// More than [`MAX_FLOW_OPENERS`] `[` and `{`.
    TooManyFlowOpeners,
}

impl Limit {
    /// What went over the bound, for a diagnostic about `what` (`front matter`, `soa.yaml`).
    pub fn message(self, what: &str) -> String {
        match self {
            Limit::TooLarge(bytes) => format!(
                "{what} is {:.1} MiB; at most 1 MiB of it is read",
                bytes as f64 / (1024.0 * 1024.0)
            ),
            Limit::TooDeep => format!("{what} is nested more than {MAX_DEPTH} levels deep"),
            Limit::LongList => format!("a list in {what} has more than 10,000 entries"),
            Limit::LongMapping => format!("a mapping in {what} has more than 10,000 keys"),
            Limit::TooManyValues => format!(
                "{what} holds more than 100,000 values (counting each repetition of an `*alias`)"
            ),
            Limit::TooManyFlowOpeners => {
                format!("{what} has more than {MAX_FLOW_OPENERS} `[` and `{{` characters")
            }
        }
    }

    /// What to do about it.
    pub fn suggestion(self) -> &'static str {
        match self {
            Limit::TooLarge(_) => {
                "shorten long text and split long lists (a document's prose belongs in its body)"
            }
            Limit::TooDeep => "aimsdoc reads three levels at most; look for an unclosed `[` or `{`",
            Limit::LongList | Limit::LongMapping => {
                "split the list, or the document, into smaller parts"
            }
            Limit::TooManyValues => "write values out instead of repeating anchors with `*alias`",
            Limit::TooManyFlowOpeners => "write long lists one `- item` per line",
        }
    }
}

/// Why YAML text gave no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YamlError {
    /// Not valid YAML: the parser's message (without its position) and the byte offset.
    Syntax {
        /// What the parser said.
        message: String,
        /// Byte offset in the text.
        offset: usize,
    },
    /// Valid or not, it goes over a bound of this module.
    Limit {
        /// Which bound.
        limit: Limit,
        /// Byte offset in the text.
        offset: usize,
    },
}

/// [`parse`], reporting why there is no value at its place in `path`: invalid YAML as an
/// error of `code` ("`what` is not valid YAML: …", with a hint on indentation and quoting),
/// a bound as [`LIMIT_EXCEEDED`](crate::diagnostics::code::LIMIT_EXCEEDED) naming
/// `limit_what`. For the YAML files beside the documents: framework catalogs and crosswalks.
pub fn parse_reported(
    text: &str,
    path: &std::path::Path,
    lines: &crate::diagnostics::LineIndex,
    code: crate::diagnostics::Code,
    what: &str,
    limit_what: &str,
    diags: &mut Vec<crate::diagnostics::Diagnostic>,
) -> Option<Value> {
    use crate::diagnostics::{code as codes, Diagnostic};
    match parse(text) {
        Ok(v) => Some(v),
        Err(YamlError::Syntax { message, offset }) => {
            diags.push(
                Diagnostic::error(
                    code,
                    lines.span(path, offset..offset),
                    format!("{what} is not valid YAML: {message}"),
                )
                .with_suggestion(
                    "check indentation, quotes and brackets; quote ids such as \"6.1\"",
                ),
            );
            None
        }
        Err(YamlError::Limit { limit, offset }) => {
            diags.push(
                Diagnostic::error(
                    codes::LIMIT_EXCEEDED,
                    lines.span(path, offset..offset),
                    limit.message(limit_what),
                )
                .with_suggestion(limit.suggestion()),
            );
            None
        }
    }
}

/// Parses `text` into a YAML value within the bounds of this module.
pub fn parse(text: &str) -> Result<Value, YamlError> {
    if text.len() > MAX_BYTES {
        return Err(YamlError::Limit {
            limit: Limit::TooLarge(text.len()),
            offset: 0,
        });
    }
    scan_flow_openers(text)?;
    let budget = Budget::default();
    // One document only: serde_norway's top-level deserializer reports a second one.
    let result = serde_yaml::Deserializer::from_str(text).deserialize_any(Seed(&budget));
    result.map_err(|e| {
        let offset = e.location().map_or(0, |l| l.index()).min(text.len());
        match budget.hit.get() {
            Some(limit) => YamlError::Limit { limit, offset },
            None => {
                let message = e.to_string();
                let message = message
                    .split(" at line ")
                    .next()
                    .unwrap_or(&message)
                    .to_string();
                YamlError::Syntax { message, offset }
            }
        }
    })
}

/// Counts `[` and `{` (see the module documentation). Over the bound, reports the first
/// bracket nested deeper than [`MAX_DEPTH`] if the brackets alone nest that deep (the usual
/// shape of such input), else the first bracket over the count.
fn scan_flow_openers(text: &str) -> Result<(), YamlError> {
    let mut openers = 0usize;
    let mut depth = 0usize;
    let mut too_deep_at = None;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'[' | b'{' => {
                openers += 1;
                depth += 1;
                if depth > MAX_DEPTH && too_deep_at.is_none() {
                    too_deep_at = Some(i);
                }
                if openers > MAX_FLOW_OPENERS {
                    let (limit, offset) = match too_deep_at {
                        Some(at) => (Limit::TooDeep, at),
                        None => (Limit::TooManyFlowOpeners, i),
                    };
                    return Err(YamlError::Limit { limit, offset });
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// What the value built so far has used of the bounds.
#[derive(Default)]
struct Budget {
    depth: Cell<usize>,
    values: Cell<usize>,
    hit: Cell<Option<Limit>>,
}

impl Budget {
    fn fail<E: de::Error>(&self, limit: Limit) -> E {
        self.hit.set(Some(limit));
        E::custom(limit.message("the YAML"))
    }

    /// Counts one more value.
    fn value<E: de::Error>(&self) -> Result<(), E> {
        let n = self.values.get() + 1;
        self.values.set(n);
        if n > MAX_VALUES {
            return Err(self.fail(Limit::TooManyValues));
        }
        Ok(())
    }

    /// Enters a list or mapping.
    fn enter<E: de::Error>(&self) -> Result<(), E> {
        self.value()?;
        let d = self.depth.get() + 1;
        self.depth.set(d);
        if d > MAX_DEPTH {
            return Err(self.fail(Limit::TooDeep));
        }
        Ok(())
    }

    fn leave(&self) {
        self.depth.set(self.depth.get().saturating_sub(1));
    }
}

/// Builds a [`Value`] like its own `Deserialize` does, within the [`Budget`].
#[derive(Clone, Copy)]
struct Seed<'a>(&'a Budget);

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        self.0.value()?;
        Ok(Value::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Value, E> {
        self.0.value()?;
        Ok(Value::Number(i.into()))
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Value, E> {
        self.0.value()?;
        Ok(Value::Number(u.into()))
    }

    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Value, E> {
        self.0.value()?;
        Ok(Value::Number(f.into()))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        self.0.value()?;
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
        self.0.value()?;
        Ok(Value::String(s))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.0.value()?;
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.0.enter()?;
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(self)? {
            if items.len() == MAX_ENTRIES {
                return Err(self.0.fail(Limit::LongList));
            }
            items.push(v);
        }
        self.0.leave();
        Ok(Value::Sequence(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.0.enter()?;
        let mut out = Mapping::new();
        while let Some(k) = map.next_key_seed(self)? {
            if out.len() == MAX_ENTRIES {
                return Err(self.0.fail(Limit::LongMapping));
            }
            if out.contains_key(&k) {
                return Err(de::Error::custom(format!(
                    "duplicate entry with key {}",
                    describe_key(&k)
                )));
            }
            let v = map.next_value_seed(self)?;
            out.insert(k, v);
        }
        self.0.leave();
        Ok(Value::Mapping(out))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        use de::VariantAccess;
        let (tag, contents): (String, _) = data.variant()?;
        let value = contents.newtype_variant_seed(self)?;
        Ok(Value::Tagged(Box::new(TaggedValue {
            tag: Tag::new(tag),
            value,
        })))
    }
}

fn describe_key(k: &Value) -> String {
    match k {
        Value::String(s) => format!("{s:?}"),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Null => "null".into(),
        _ => "(a list or mapping)".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit(text: &str) -> Option<(Limit, usize)> {
        match parse(text) {
            Err(YamlError::Limit { limit, offset }) => Some((limit, offset)),
            _ => None,
        }
    }

    #[test]
    fn ordinary_yaml_is_the_same_value_as_serde_yaml_gives() {
        let text = "id: P-1\ntitle: 'T'\nversion: 1.10\nn: 3\nok: true\nnothing: ~\ncontrols:\n  - A.2.2\n  - {id: A.2.3, note: n}\ntags: !custom [a, b]\nbin: !!binary aGVsbG8=\nanchor: &a [x, y]\nalias: *a\n";
        let ours = parse(text).unwrap();
        let theirs: Value = serde_yaml::from_str(text).unwrap();
        assert_eq!(ours, theirs);
        assert_eq!(parse("").unwrap(), Value::Null);
        assert_eq!(parse("# only a comment\n").unwrap(), Value::Null);
    }

    #[test]
    fn syntax_errors_keep_their_message_and_position() {
        match parse("a: [b\n") {
            Err(YamlError::Syntax { message, offset }) => {
                assert!(!message.contains(" at line "), "{message}");
                assert!(offset <= 6);
            }
            other => panic!("{other:?}"),
        }
        match parse("a: 1\na: 2\n") {
            Err(YamlError::Syntax { message, .. }) => {
                assert_eq!(message, "duplicate entry with key \"a\"")
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            parse("a: 1\n---\nb: 2\n"),
            Err(YamlError::Syntax { .. })
        ));
    }

    #[test]
    fn deep_flow_nesting_is_stopped_before_parsing() {
        let text = format!("tags: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(limit(&text), Some((Limit::TooDeep, 6 + MAX_DEPTH)));
        // Just within the bounds: parsed.
        let ok = format!(
            "tags: {}{}\n",
            "[".repeat(MAX_DEPTH - 1),
            "]".repeat(MAX_DEPTH - 1)
        );
        assert!(parse(&ok).is_ok());
        // One level more: reported by the depth check, at the innermost list.
        let deep = format!("tags: {}{}\n", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert_eq!(limit(&deep), Some((Limit::TooDeep, 6 + MAX_DEPTH - 1)));
    }

    #[test]
    fn deep_block_nesting_is_reported() {
        let text = format!("tags:\n{}x\n", "- ".repeat(200));
        assert_eq!(
            limit(&text),
            Some((Limit::TooDeep, 6 + 2 * (MAX_DEPTH - 1)))
        );
        let ok = format!("tags:\n{}x\n", "- ".repeat(MAX_DEPTH - 1));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn hidden_brackets_still_count() {
        // Brackets in quotes and comments count too: no quoting fools the bound.
        let text = format!(
            "a: \"{}\"\n# {}\n",
            "[".repeat(MAX_FLOW_OPENERS / 2),
            "{".repeat(MAX_FLOW_OPENERS / 2 + 1)
        );
        let (l, offset) = limit(&text).unwrap();
        assert_eq!(l, Limit::TooDeep);
        assert_eq!(offset, 4 + MAX_DEPTH);
        let many = "a: [x]\n".repeat(MAX_FLOW_OPENERS + 1);
        assert_eq!(
            limit(&many),
            Some((Limit::TooManyFlowOpeners, MAX_FLOW_OPENERS * 7 + 3))
        );
    }

    #[test]
    fn long_lists_and_mappings_are_reported_at_their_start() {
        let list = format!("related:\n{}", "  - X\n".repeat(MAX_ENTRIES + 1));
        assert_eq!(limit(&list), Some((Limit::LongList, 11)));
        assert!(parse(&format!("related:\n{}", "  - X\n".repeat(MAX_ENTRIES))).is_ok());
        let map: String = (0..=MAX_ENTRIES).map(|i| format!("k{i}: v\n")).collect();
        assert_eq!(limit(&map), Some((Limit::LongMapping, 0)));
    }

    #[test]
    fn alias_expansion_is_bounded() {
        let mut text = String::from("a: &a [");
        text.push_str(&vec!["x"; 1000].join(","));
        text.push_str("]\nb: [");
        text.push_str(&vec!["*a"; 1000].join(","));
        text.push_str("]\n");
        assert_eq!(limit(&text).map(|l| l.0), Some(Limit::TooManyValues));
    }

    #[test]
    fn size_is_bounded() {
        let text = format!("a: \"{}\"\n", "x".repeat(MAX_BYTES));
        assert_eq!(limit(&text), Some((Limit::TooLarge(text.len()), 0)));
    }
}
