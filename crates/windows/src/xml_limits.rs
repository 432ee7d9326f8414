//! Hostile-XML guard and the tiny element tree every decoder in this crate reads.
//!
//! Devices and enrollment clients are reachable by anyone on the internet, so the
//! bytes we get are untrusted. Every decoder goes through [`parse`], which:
//! - refuses a body over [`XmlLimits::max_body_bytes`] *before* looking at it;
//! - refuses any `<!DOCTYPE …>` (and so every DTD and entity declaration): nothing
//!   in SyncML or MS-MDE2 needs one, and entities are how billion-laughs and
//!   external-entity attacks work. Unknown entity references then fail to unescape;
//! - refuses nesting deeper than [`XmlLimits::max_depth`] (no recursion on our
//!   side either: the tree is built with an explicit stack);
//! - refuses bodies that are not UTF-8 (Windows sends UTF-8), truncated documents,
//!   mismatched tags and a second root element.
//!
//! quick-xml is a linear pull parser that never expands custom entities, so with
//! these checks parsing is O(n) and bounded in memory by the body limit.
//!
//! Leniency on purpose: element and attribute names are compared by *local name*
//! (prefix dropped, namespaces ignored) because real traffic and Microsoft's own
//! examples mix `syncml:metinf`, `syncml:metinfo`, default and prefixed namespaces.
//! Attributes are read in quick-xml's HTML mode and a broken attribute is skipped
//! rather than fatal (the docs' examples contain `xmlns=&#39;…&#39;` and curly
//! quotes); no decoder depends on an attribute that real Windows clients break.

use std::fmt;

use quick_xml::errors::SyntaxError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Default body limit: 256 KiB. Windows' own MaxMsgSize is typically 65,535
/// bytes per SyncML message; enrollment messages are a few KiB plus a CSR.
pub const DEFAULT_MAX_BODY_BYTES: usize = 256 * 1024;
/// Default nesting limit. The deepest legitimate message (SyncML Atomic →
/// Sequence → command → Item → Meta → Type) is well under 16.
pub const DEFAULT_MAX_DEPTH: usize = 32;

/// Limits applied by every decoder. `Default` gives 256 KiB / depth 32.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct XmlLimits {
    pub max_body_bytes: usize,
    pub max_depth: usize,
}

impl Default for XmlLimits {
    fn default() -> Self {
        Self { max_body_bytes: DEFAULT_MAX_BODY_BYTES, max_depth: DEFAULT_MAX_DEPTH }
    }
}

/// Which guard rule an input broke, or why it is not XML we can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlError {
    #[error("body is {size} bytes, over the {limit}-byte limit")]
    TooLarge { limit: usize, size: usize },
    #[error("DOCTYPE/DTD or entity declarations are not allowed")]
    Dtd,
    #[error("elements nested deeper than the limit of {limit}")]
    TooDeep { limit: usize },
    #[error("body is not valid UTF-8")]
    NotUtf8,
    #[error("body is empty")]
    Empty,
    #[error("XML is truncated (unclosed element or markup)")]
    Truncated,
    #[error("malformed XML: {0}")]
    Malformed(String),
}

/// One element: local name, attributes by local name, children, and its own
/// character data (text + CDATA of direct children, concatenated, untrimmed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    pub text: String,
}

impl Element {
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// Follows a path of local names, first match at each level.
    pub fn path(&self, names: &[&str]) -> Option<&Element> {
        names.iter().try_fold(self, |el, n| el.child(n))
    }

    /// Trimmed text. Microsoft's examples wrap URLs and ids in whitespace and
    /// newlines (`<a:Action>\n  http://…\n</a:Action>`), so every value is trimmed.
    pub fn text(&self) -> &str {
        self.text.trim()
    }

    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(Element::text)
    }

    pub fn path_text(&self, names: &[&str]) -> Option<&str> {
        self.path(names).map(Element::text)
    }

    pub fn attr(&self, local: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == local).map(|(_, v)| v.as_str())
    }
}

impl fmt::Display for Element {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{}>", self.name)
    }
}

fn local(name: &[u8]) -> String {
    let local = match name.iter().rposition(|&b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    };
    String::from_utf8_lossy(local).into_owned()
}

fn element_from(start: &BytesStart<'_>) -> Element {
    let mut attrs = Vec::new();
    for attr in start.html_attributes() {
        // A broken attribute ends attribute reading for this element; see module docs.
        let Ok(attr) = attr else { break };
        let value = match attr.unescape_value() {
            Ok(v) => v.into_owned(),
            Err(_) => String::from_utf8_lossy(&attr.value).into_owned(),
        };
        attrs.push((local(attr.key.as_ref()), value));
    }
    Element { name: local(start.name().as_ref()), attrs, children: Vec::new(), text: String::new() }
}

fn map_err(e: quick_xml::Error) -> XmlError {
    match e {
        quick_xml::Error::Syntax(
            SyntaxError::UnclosedCData
            | SyntaxError::UnclosedComment
            | SyntaxError::UnclosedDoctype
            | SyntaxError::UnclosedPIOrXmlDecl
            | SyntaxError::UnclosedTag,
        ) => XmlError::Truncated,
        other => XmlError::Malformed(other.to_string()),
    }
}

/// Parses `body` under `limits` into an element tree (the root element).
pub(crate) fn parse(body: &[u8], limits: &XmlLimits) -> Result<Element, XmlError> {
    if body.len() > limits.max_body_bytes {
        return Err(XmlError::TooLarge { limit: limits.max_body_bytes, size: body.len() });
    }
    let text = std::str::from_utf8(body).map_err(|_| XmlError::NotUtf8)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(XmlError::Empty);
    }

    let mut reader = Reader::from_str(text);
    // End-name checking is on by default in quick-xml; keep it explicit: a
    // mismatched end tag must be an error, not silently accepted.
    reader.config_mut().check_end_names = true;

    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;

    loop {
        let event = reader.read_event().map_err(map_err)?;
        match event {
            Event::DocType(_) => return Err(XmlError::Dtd),
            Event::Start(start) => {
                if root.is_some() {
                    return Err(XmlError::Malformed("content after the root element".into()));
                }
                if stack.len() >= limits.max_depth {
                    return Err(XmlError::TooDeep { limit: limits.max_depth });
                }
                stack.push(element_from(&start));
            }
            Event::Empty(start) => {
                if root.is_some() {
                    return Err(XmlError::Malformed("content after the root element".into()));
                }
                if stack.len() >= limits.max_depth {
                    return Err(XmlError::TooDeep { limit: limits.max_depth });
                }
                let el = element_from(&start);
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::End(_) => {
                // quick-xml already checked the name matches the open element.
                let el = stack.pop().ok_or_else(|| XmlError::Malformed("unexpected end tag".into()))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::Text(t) => {
                let s = t.unescape().map_err(|e| XmlError::Malformed(e.to_string()))?;
                match stack.last_mut() {
                    Some(el) => el.text.push_str(&s),
                    None if s.trim().is_empty() => {}
                    None => return Err(XmlError::Malformed("text outside the root element".into())),
                }
            }
            Event::CData(c) => {
                let s = std::str::from_utf8(&c).map_err(|_| XmlError::NotUtf8)?;
                match stack.last_mut() {
                    Some(el) => el.text.push_str(s),
                    None => return Err(XmlError::Malformed("CDATA outside the root element".into())),
                }
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(XmlError::Truncated);
    }
    root.ok_or(XmlError::Empty)
}

/// Escapes text for element content and double-quoted attribute values.
/// Also drops characters XML 1.0 cannot carry at all (C0 controls other than
/// tab/CR/LF), so no caller-supplied value can make us emit an unparseable message.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Element, XmlError> {
        parse(s.as_bytes(), &XmlLimits::default())
    }

    #[test]
    fn builds_tree_with_local_names_and_trimmed_text() {
        let el = p(r#"<s:a xmlns:s="x"><s:b k="v&amp;w"> hi &lt;there&gt; </s:b><c/></s:a>"#).unwrap();
        assert_eq!(el.name, "a");
        assert_eq!(el.child_text("b"), Some("hi <there>"));
        assert_eq!(el.child("b").unwrap().attr("k"), Some("v&w"));
        assert!(el.child("c").is_some());
    }

    #[test]
    fn refuses_doctype() {
        assert_eq!(p("<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>"), Err(XmlError::Dtd));
    }

    #[test]
    fn unknown_entity_is_malformed() {
        assert!(matches!(p("<a>&x;</a>"), Err(XmlError::Malformed(_))));
    }

    #[test]
    fn depth_limit_is_exact() {
        let limits = XmlLimits { max_depth: 3, ..Default::default() };
        assert!(parse(b"<a><b><c/></b></a>", &limits).is_ok());
        assert_eq!(parse(b"<a><b><c><d/></c></b></a>", &limits), Err(XmlError::TooDeep { limit: 3 }));
    }

    #[test]
    fn size_limit_is_exact() {
        let limits = XmlLimits { max_body_bytes: 7, ..Default::default() };
        assert!(parse(b"<a></a>", &limits).is_ok());
        assert_eq!(parse(b"<a> </a>", &limits), Err(XmlError::TooLarge { limit: 7, size: 8 }));
    }

    #[test]
    fn truncated_and_mismatched_and_second_root() {
        assert_eq!(p("<a><b></b>"), Err(XmlError::Truncated));
        assert_eq!(p("<a><b"), Err(XmlError::Truncated));
        assert!(matches!(p("<a></b>"), Err(XmlError::Malformed(_))));
        assert!(matches!(p("<a/><b/>"), Err(XmlError::Malformed(_))));
        assert_eq!(p("  "), Err(XmlError::Empty));
        assert_eq!(parse(&[0x3c, 0xff, 0xfe], &XmlLimits::default()), Err(XmlError::NotUtf8));
    }

    #[test]
    fn escape_round_trips_through_parse() {
        let nasty = "a<b>&c\"d'e\u{1}f";
        let el = p(&format!("<x k=\"{0}\">{0}</x>", escape(nasty))).unwrap();
        assert_eq!(el.text, "a<b>&c\"d'ef");
        assert_eq!(el.attr("k"), Some("a<b>&c\"d'ef"));
    }
}
