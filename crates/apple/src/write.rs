//! Building plist dictionaries and writing them as XML, the encoding devices expect.

use plist::{Dictionary, Value};

/// A dictionary under construction; optional values that are `None` are left out, not emptied.
#[derive(Default)]
pub(crate) struct DictBuilder(pub Dictionary);

impl DictBuilder {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn string(mut self, key: &str, value: impl Into<String>) -> Self {
        self.0.insert(key.into(), Value::String(value.into()));
        self
    }
    pub fn opt_string(self, key: &str, value: Option<&str>) -> Self {
        match value {
            Some(v) => self.string(key, v),
            None => self,
        }
    }
    pub fn data(mut self, key: &str, value: &[u8]) -> Self {
        self.0.insert(key.into(), Value::Data(value.to_vec()));
        self
    }
    pub fn opt_data(self, key: &str, value: Option<&[u8]>) -> Self {
        match value {
            Some(v) => self.data(key, v),
            None => self,
        }
    }
    pub fn boolean(mut self, key: &str, value: bool) -> Self {
        self.0.insert(key.into(), Value::Boolean(value));
        self
    }
    pub fn opt_boolean(self, key: &str, value: Option<bool>) -> Self {
        match value {
            Some(v) => self.boolean(key, v),
            None => self,
        }
    }
    pub fn integer(mut self, key: &str, value: i64) -> Self {
        self.0.insert(key.into(), Value::Integer(value.into()));
        self
    }
    pub fn value(mut self, key: &str, value: Value) -> Self {
        self.0.insert(key.into(), value);
        self
    }
    pub fn build(self) -> Dictionary {
        self.0
    }
}

/// XML plist bytes. Writing a `Value` to memory cannot fail (no I/O, no non-finite dates), so
/// an error here is impossible in practice; it still yields an empty body rather than a panic.
pub(crate) fn to_xml(value: Value) -> Vec<u8> {
    let mut out = Vec::new();
    if value.to_writer_xml(&mut out).is_err() {
        out.clear();
    }
    out
}
