//! Every decoder refuses what is too large or not a property list before looking inside.

/// UnlockTokens are a few KiB; a check-in or result larger than this is not a device's.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    #[error("the body is {0} bytes; at most {MAX_BODY_BYTES} are accepted")]
    TooLarge(usize),
    #[error("the body is not a property list: {0}")]
    NotPlist(String),
    #[error("the property list is not a dictionary")]
    NotDictionary,
    #[error("the key {0} is missing or has the wrong type")]
    Missing(&'static str),
    #[error("the key {key} must be a {expected}")]
    WrongType { key: &'static str, expected: &'static str },
}

pub(crate) fn dictionary(body: &[u8]) -> Result<plist::Dictionary, DecodeError> {
    if body.len() > MAX_BODY_BYTES {
        return Err(DecodeError::TooLarge(body.len()));
    }
    let value = plist::Value::from_reader(std::io::Cursor::new(body)).map_err(|e| DecodeError::NotPlist(e.to_string()))?;
    value.into_dictionary().ok_or(DecodeError::NotDictionary)
}

pub(crate) fn string(d: &plist::Dictionary, key: &'static str) -> Result<Option<String>, DecodeError> {
    match d.get(key) {
        None => Ok(None),
        Some(plist::Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(DecodeError::WrongType { key, expected: "string" }),
    }
}

pub(crate) fn data(d: &plist::Dictionary, key: &'static str) -> Result<Option<Vec<u8>>, DecodeError> {
    match d.get(key) {
        None => Ok(None),
        Some(plist::Value::Data(b)) => Ok(Some(b.clone())),
        Some(_) => Err(DecodeError::WrongType { key, expected: "data" }),
    }
}

pub(crate) fn required(d: &plist::Dictionary, key: &'static str) -> Result<String, DecodeError> {
    string(d, key)?.filter(|s| !s.is_empty()).ok_or(DecodeError::Missing(key))
}
