//! The hostile-input guard every decoder goes through: size, format and nesting are checked
//! before anything looks inside, and every refusal says what was wrong.

use plist::stream::{BinaryReader, Event, XmlReader};
use plist::{Dictionary, Value};
use std::io::Cursor;

/// Default cap on a device message. UnlockTokens are a few KiB and a DeviceInformation answer
/// a few more; a megabyte is far above any real message and far below a memory problem.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Default cap on dict/array nesting. Real MDM messages nest three or four levels; the cap keeps
/// a crafted body from building a value so deep that dropping it overflows the stack.
pub const MAX_DEPTH: usize = 32;

/// What a decoder accepts. `Limits::default()` is what the endpoints use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Deepest nesting of dictionaries and arrays accepted.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_body_bytes: MAX_BODY_BYTES, max_depth: MAX_DEPTH }
    }
}

/// The plist kinds, for saying what a key should have held.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlistType {
    String,
    Integer,
    Real,
    Boolean,
    Data,
    Date,
    Array,
    Dictionary,
    Uid,
}

impl PlistType {
    pub fn of(value: &Value) -> PlistType {
        match value {
            Value::String(_) => PlistType::String,
            Value::Integer(_) => PlistType::Integer,
            Value::Real(_) => PlistType::Real,
            Value::Boolean(_) => PlistType::Boolean,
            Value::Data(_) => PlistType::Data,
            Value::Date(_) => PlistType::Date,
            Value::Array(_) => PlistType::Array,
            Value::Dictionary(_) => PlistType::Dictionary,
            // Uid and anything a later plist version adds.
            _ => PlistType::Uid,
        }
    }

    /// The name Apple's schemas use (`<string>`, `<dictionary>`, …).
    pub fn schema_name(self) -> &'static str {
        match self {
            PlistType::String => "<string>",
            PlistType::Integer => "<integer>",
            PlistType::Real => "<real>",
            PlistType::Boolean => "<boolean>",
            PlistType::Data => "<data>",
            PlistType::Date => "<date>",
            PlistType::Array => "<array>",
            PlistType::Dictionary => "<dictionary>",
            PlistType::Uid => "<uid>",
        }
    }
}

impl std::fmt::Display for PlistType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.schema_name())
    }
}

/// Why a body was refused. Messages never contain the body's values (they may be secrets).
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    #[error("the body is {len} bytes; at most {max} are accepted")]
    TooLarge { len: usize, max: usize },
    #[error("the body is empty")]
    Empty,
    #[error("the body is not a well-formed XML or binary property list: {0}")]
    NotPlist(String),
    #[error("the property list nests deeper than {max} levels")]
    TooDeep { max: usize },
    #[error("the property list's top level is {found}, not a dictionary")]
    NotDictionary { found: PlistType },
    #[error("the required key {0} is missing")]
    MissingKey(&'static str),
    #[error("the key {key} holds {found}; it must be {expected}")]
    WrongType { key: &'static str, expected: PlistType, found: PlistType },
    #[error("the key {key} has a value this server does not accept: {reason}")]
    InvalidValue { key: &'static str, reason: &'static str },
    #[error("the command's RequestType {0:?} is not one this server sends")]
    UnsupportedRequestType(String),
}

/// Parse `body` into its top-level dictionary, within `limits`.
pub(crate) fn dictionary(body: &[u8], limits: &Limits) -> Result<Dictionary, DecodeError> {
    match parse(body, limits)? {
        Value::Dictionary(d) => Ok(d),
        other => Err(DecodeError::NotDictionary { found: PlistType::of(&other) }),
    }
}

/// Parse an XML or binary plist. ASCII (OpenStep) plists are refused: no device sends them.
pub fn parse(body: &[u8], limits: &Limits) -> Result<Value, DecodeError> {
    if body.len() > limits.max_body_bytes {
        return Err(DecodeError::TooLarge { len: body.len(), max: limits.max_body_bytes });
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(DecodeError::Empty);
    }
    if body.starts_with(b"bplist00") {
        build(BinaryReader::new(Cursor::new(body)), limits.max_depth)
    } else {
        build(XmlReader::new(Cursor::new(body)), limits.max_depth)
    }
}

enum Frame {
    Array(Vec<Value>),
    Dict(Dictionary, Option<String>),
}

/// Our own event → value builder, so nesting is bounded while reading (plist's builder has no cap).
fn build<I>(events: I, max_depth: usize) -> Result<Value, DecodeError>
where
    I: Iterator<Item = Result<Event<'static>, plist::Error>>,
{
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Value> = None;
    for event in events {
        let event = event.map_err(|e| DecodeError::NotPlist(e.to_string()))?;
        let value = match event {
            Event::StartArray(_) | Event::StartDictionary(_) => {
                if stack.len() >= max_depth {
                    return Err(DecodeError::TooDeep { max: max_depth });
                }
                if root.is_some() {
                    return Err(not_plist("content after the top-level value"));
                }
                if matches!(stack.last(), Some(Frame::Dict(_, None))) {
                    return Err(not_plist("a dictionary key must be a string"));
                }
                stack.push(if matches!(event, Event::StartArray(_)) {
                    Frame::Array(Vec::new())
                } else {
                    Frame::Dict(Dictionary::new(), None)
                });
                continue;
            }
            Event::EndCollection => match stack.pop() {
                Some(Frame::Array(a)) => Value::Array(a),
                Some(Frame::Dict(d, None)) => Value::Dictionary(d),
                Some(Frame::Dict(_, Some(_))) => return Err(not_plist("a dictionary key has no value")),
                None => return Err(not_plist("unbalanced end of collection")),
            },
            Event::Boolean(b) => Value::Boolean(b),
            Event::Data(d) => Value::Data(d.into_owned()),
            Event::Date(d) => Value::Date(d),
            Event::Integer(i) => Value::Integer(i),
            Event::Real(r) => Value::Real(r),
            Event::String(s) => Value::String(s.into_owned()),
            Event::Uid(u) => Value::Uid(u),
            _ => return Err(not_plist("an element of an unknown kind")),
        };
        match stack.last_mut() {
            None if root.is_none() => root = Some(value),
            None => return Err(not_plist("content after the top-level value")),
            Some(Frame::Array(a)) => a.push(value),
            Some(Frame::Dict(_, key @ None)) => match value {
                Value::String(k) => *key = Some(k),
                _ => return Err(not_plist("a dictionary key must be a string")),
            },
            Some(Frame::Dict(d, key)) => {
                let k = key.take().unwrap_or_default();
                d.insert(k, value);
            }
        }
    }
    if !stack.is_empty() {
        return Err(not_plist("the document ends inside a collection"));
    }
    root.ok_or_else(|| not_plist("no value"))
}

fn not_plist(reason: &str) -> DecodeError {
    DecodeError::NotPlist(reason.to_string())
}

/// Typed access to a dictionary's keys, turning absence and wrong kinds into [`DecodeError`]s.
/// Empty strings count as absent: a device that sends `<string/>` for an id sent nothing.
pub(crate) struct Fields<'a>(pub &'a Dictionary);

impl<'a> Fields<'a> {
    fn typed<T>(&self, key: &'static str, expected: PlistType, pick: impl Fn(&'a Value) -> Option<T>) -> Result<Option<T>, DecodeError> {
        match self.0.get(key) {
            None => Ok(None),
            Some(v) => pick(v).map(Some).ok_or(DecodeError::WrongType { key, expected, found: PlistType::of(v) }),
        }
    }

    pub fn string(&self, key: &'static str) -> Result<Option<String>, DecodeError> {
        Ok(self.typed(key, PlistType::String, Value::as_string)?.filter(|s| !s.is_empty()).map(str::to_owned))
    }

    pub fn required_string(&self, key: &'static str) -> Result<String, DecodeError> {
        self.string(key)?.ok_or(DecodeError::MissingKey(key))
    }

    pub fn data(&self, key: &'static str) -> Result<Option<Vec<u8>>, DecodeError> {
        Ok(self.typed(key, PlistType::Data, Value::as_data)?.map(<[u8]>::to_vec))
    }

    pub fn boolean(&self, key: &'static str) -> Result<Option<bool>, DecodeError> {
        self.typed(key, PlistType::Boolean, Value::as_boolean)
    }

    /// Integers; a value beyond i64 is refused rather than wrapped.
    pub fn integer(&self, key: &'static str) -> Result<Option<i64>, DecodeError> {
        match self.0.get(key) {
            None => Ok(None),
            Some(Value::Integer(i)) => i.as_signed().map(Some).ok_or(DecodeError::InvalidValue { key, reason: "out of range" }),
            Some(v) => Err(DecodeError::WrongType { key, expected: PlistType::Integer, found: PlistType::of(v) }),
        }
    }

    /// Reals; devices send capacities and battery levels as reals, some as integers.
    pub fn real(&self, key: &'static str) -> Result<Option<f64>, DecodeError> {
        match self.0.get(key) {
            None => Ok(None),
            Some(Value::Real(r)) => Ok(Some(*r)),
            Some(Value::Integer(i)) => Ok(i.as_signed().map(|i| i as f64)),
            Some(v) => Err(DecodeError::WrongType { key, expected: PlistType::Real, found: PlistType::of(v) }),
        }
    }

    pub fn dictionary(&self, key: &'static str) -> Result<Option<&'a Dictionary>, DecodeError> {
        self.typed(key, PlistType::Dictionary, Value::as_dictionary)
    }

    pub fn array(&self, key: &'static str) -> Result<Option<&'a Vec<Value>>, DecodeError> {
        self.typed(key, PlistType::Array, Value::as_array)
    }

    /// An array whose every item is a string.
    pub fn strings(&self, key: &'static str) -> Result<Option<Vec<String>>, DecodeError> {
        match self.array(key)? {
            None => Ok(None),
            Some(items) => items
                .iter()
                .map(|v| {
                    v.as_string().map(str::to_owned).ok_or(DecodeError::WrongType {
                        key,
                        expected: PlistType::String,
                        found: PlistType::of(v),
                    })
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xml(inner: &str) -> Vec<u8> {
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><plist version=\"1.0\">{inner}</plist>").into_bytes()
    }

    #[test]
    fn size_is_checked_before_parsing() {
        let limits = Limits { max_body_bytes: 10, ..Limits::default() };
        assert_eq!(parse(&xml("<dict/>"), &limits), Err(DecodeError::TooLarge { len: xml("<dict/>").len(), max: 10 }));
    }

    #[test]
    fn empty_and_ascii_plists_are_refused() {
        assert_eq!(parse(b"  \n", &Limits::default()), Err(DecodeError::Empty));
        assert!(matches!(parse(b"{ a = b; }", &Limits::default()), Err(DecodeError::NotPlist(_))));
    }

    #[test]
    fn nesting_is_capped() {
        let limits = Limits { max_depth: 3, ..Limits::default() };
        assert!(parse(&xml("<array><array><array/></array></array>"), &limits).is_ok());
        assert_eq!(parse(&xml("<array><array><array><array/></array></array></array>"), &limits), Err(DecodeError::TooDeep { max: 3 }));
        // Far deeper than the stack could take through recursive drops: refused, no crash.
        let deep = xml(&format!("{}{}", "<array>".repeat(60_000), "</array>".repeat(60_000)));
        assert_eq!(parse(&deep, &Limits::default()), Err(DecodeError::TooDeep { max: MAX_DEPTH }));
    }

    #[test]
    fn binary_plists_are_read() {
        let mut d = Dictionary::new();
        d.insert("A".into(), Value::Array(vec![Value::Boolean(true), Value::Data(vec![1, 2])]));
        let mut bin = Vec::new();
        Value::Dictionary(d.clone()).to_writer_binary(&mut bin).unwrap();
        assert_eq!(dictionary(&bin, &Limits::default()).unwrap(), d);
        assert!(matches!(parse(&bin[..bin.len() - 3], &Limits::default()), Err(DecodeError::NotPlist(_))));
    }

    #[test]
    fn top_level_must_be_a_dictionary() {
        assert_eq!(dictionary(&xml("<array/>"), &Limits::default()), Err(DecodeError::NotDictionary { found: PlistType::Array }));
    }

    #[test]
    fn fields_report_the_wrong_kind() {
        let d = dictionary(&xml("<dict><key>A</key><integer>3</integer><key>B</key><string></string></dict>"), &Limits::default()).unwrap();
        let f = Fields(&d);
        assert_eq!(f.string("A"), Err(DecodeError::WrongType { key: "A", expected: PlistType::String, found: PlistType::Integer }));
        assert_eq!(f.integer("A"), Ok(Some(3)));
        assert_eq!(f.string("B"), Ok(None), "an empty string is no value");
        assert_eq!(f.required_string("B"), Err(DecodeError::MissingKey("B")));
        assert_eq!(f.boolean("A"), Err(DecodeError::WrongType { key: "A", expected: PlistType::Boolean, found: PlistType::Integer }));
    }
}
