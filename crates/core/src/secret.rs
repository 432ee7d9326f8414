//! A secret in memory. It cannot be printed, logged or serialized by accident: the only way to
//! the plaintext is `expose()`, which makes every use visible in review.

use std::fmt;

#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        // Overwrite the bytes before the allocation is freed so the plaintext does not linger.
        // SAFETY-free: zero bytes are valid UTF-8.
        let bytes = unsafe { self.0.as_bytes_mut() };
        for b in bytes.iter_mut() {
            unsafe { std::ptr::write_volatile(b, 0) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_value() {
        let s = Secret::new("Tr7xKp4m");
        assert!(!format!("{s:?}").contains("Tr7xKp4m"));
        assert!(!format!("{s}").contains("Tr7xKp4m"));
        assert_eq!(s.expose(), "Tr7xKp4m");
    }
}
