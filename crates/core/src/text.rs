//! Text hygiene, in one place. Three kinds of text reach us:
//! - **Input** through the API (search text, filters, logins, descriptions): any character a
//!   person may type, but never NUL — PostgreSQL cannot store it, and no real value holds one.
//! - **Names** given through the API (device rename, profile names, later users and groups):
//!   shown in consoles and lists, so additionally no control characters and no bidirectional
//!   overrides/isolates/marks, with which `invoice\u{202E}fdp.exe` displays as `invoiceexe.pdf`.
//! - **Device-reported** text (check-in names, SyncML values, command errors): a device is not
//!   refused for what it calls itself; such text is cleaned (unsafe characters dropped) and,
//!   where it is stored as a free-text outcome or detail, bounded to [`DEVICE_TEXT_MAX_BYTES`].
use crate::detail::{Detail, DetailCode};

/// The most bytes of device-originated free text (an error chain, a status detail) we keep in
/// an audit row or an action's failure detail. Beyond it the text is cut at a character
/// boundary and ends with `…`. 1 KiB holds every real error chain we have seen several times.
pub const DEVICE_TEXT_MAX_BYTES: usize = 1024;

const ELLIPSIS: char = '…';

/// Bidirectional formatting characters: LRM/RLM, the embeddings and overrides
/// (U+202A–U+202E), the isolates (U+2066–U+2069) and the Arabic letter mark.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A character that must not appear in a name: any control character (C0, DEL, C1) or a
/// bidirectional formatting character.
pub fn is_unsafe_in_name(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// `local@domain`: one `@` with text on both sides and no white space. Whether the mailbox
/// exists is the mail server's business; this catches a name typed where an address belongs.
pub fn is_email(s: &str) -> bool {
    let parts: Vec<&str> = s.split('@').collect();
    parts.len() == 2 && parts.iter().all(|p| !p.is_empty()) && !s.chars().any(char::is_whitespace)
}

/// Refuse free-text input that no backend can store. The message names the field.
pub fn check_input(field: &str, value: &str) -> Result<(), Detail> {
    if value.contains('\0') {
        return Err(Detail::field(DetailCode::FieldHasNul, field));
    }
    Ok(())
}

/// Refuse a name given through the API that carries control or bidirectional formatting
/// characters. The message names the field and the first offending character.
pub fn check_name(field: &str, value: &str) -> Result<(), Detail> {
    match value.chars().find(|c| is_unsafe_in_name(*c)) {
        None => Ok(()),
        Some(c) => {
            Err(Detail::new(DetailCode::FieldHasControl, [("field", field.into()), ("character", format!("U+{:04X}", u32::from(c)))]))
        }
    }
}

/// Refuse a phone number that is not one (letters, `#`, a URL): it is shown on a locked
/// device's screen for its user to dial, so it must read as a number. Empty is left to the
/// caller (an optional field).
pub fn check_phone(field: &str, value: &str) -> Result<(), Detail> {
    let allowed = |c: char| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.');
    if value.chars().all(allowed) && value.chars().any(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(Detail::new(DetailCode::FieldNotPhone, [("field", field.into())]))
    }
}

/// A device-reported name or value, with control and bidirectional formatting characters
/// dropped (tabs and line breaks become spaces, so words stay apart) and trimmed.
pub fn clean_device_text(value: &str) -> String {
    let cleaned: String = value
        .chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(' '),
            c if is_unsafe_in_name(c) => None,
            c => Some(c),
        })
        .collect();
    cleaned.trim().to_string()
}

/// Clean what a device reported about itself (name, model, build, serial, IMEI) before it is
/// stored and shown. Its identifiers of record (UDID, device id) are not touched: those are
/// matched, not shown, and the channels refuse ones that are not plain.
pub fn clean_device_record(device: &mut crate::Device) {
    device.name = clean_device_text(&device.name);
    for field in [&mut device.model, &mut device.os_build, &mut device.serial_number, &mut device.imei] {
        if let Some(v) = field.as_mut() {
            *v = clean_device_text(v);
        }
    }
}

/// Device-originated free text as stored: NUL and other control characters except line
/// breaks and tabs dropped, bidirectional formatting dropped, and at most
/// [`DEVICE_TEXT_MAX_BYTES`] bytes (cut at a character boundary, ending with `…`).
pub fn bounded_device_text(value: &str) -> String {
    let cleaned: String = value.chars().filter(|c| matches!(c, '\n' | '\t') || !is_unsafe_in_name(*c)).collect();
    truncate_with_ellipsis(cleaned, DEVICE_TEXT_MAX_BYTES)
}

/// Cut `s` to at most `max_bytes` bytes at a character boundary, marking the cut with `…`.
pub fn truncate_with_ellipsis(mut s: String, max_bytes: usize) -> String {
    if s.len() <= max_bytes {
        return s;
    }
    let mut end = max_bytes.saturating_sub(ELLIPSIS.len_utf8());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.truncate(end);
    s.push(ELLIPSIS);
    s
}

/// The longest request id we keep from a client.
pub const REQUEST_ID_MAX_LEN: usize = 64;

/// A client-supplied `x-request-id` we can log and store as is: 1 to 64 characters of
/// `[A-Za-z0-9._:-]` (UUIDs, ULIDs, trace ids). Anything else is replaced by a fresh id.
pub fn is_sane_request_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= REQUEST_ID_MAX_LEN && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"._:-".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_is_refused_as_input_and_names_the_field() {
        assert!(check_input("search", "ipad").is_ok());
        assert!(check_input("search", "line\nbreak é 🙂").is_ok());
        let e = check_input("search", "ip\0ad").unwrap_err().to_string();
        assert!(e.contains("\"search\"") && e.contains("U+0000"), "{e}");
    }

    #[test]
    fn names_refuse_control_and_bidi_characters() {
        assert!(check_name("name", "Kiosk 3 — Zürich 北京").is_ok());
        for bad in ["a\u{202E}fdp.exe", "a\u{2066}b", "a\u{200F}", "a\u{200E}", "tab\there", "nul\0", "bell\u{7}", "c1\u{85}", "del\u{7f}"]
        {
            let e = check_name("name", bad).unwrap_err().to_string();
            assert!(e.contains("\"name\"") && e.contains("U+"), "{bad:?}: {e}");
        }
        assert!(check_name("name", "x\u{202E}").unwrap_err().to_string().contains("U+202E"));
    }

    #[test]
    fn device_names_are_cleaned_not_refused() {
        assert_eq!(clean_device_text(" Bob\u{202E}'s\0 iPhone\n"), "Bob's iPhone");
        assert_eq!(clean_device_text("a\tb"), "a b");
        assert_eq!(clean_device_text("DESKTOP-1"), "DESKTOP-1");
    }

    #[test]
    fn device_text_is_bounded_at_a_char_boundary() {
        let short = "ClearPasscode: NotNow";
        assert_eq!(bounded_device_text(short), short);
        // 201 KB from a device: cut to the limit, marked, valid UTF-8 even mid multi-byte char.
        let huge = "é".repeat(100_500);
        let cut = bounded_device_text(&huge);
        assert!(cut.len() <= DEVICE_TEXT_MAX_BYTES, "{}", cut.len());
        assert!(cut.ends_with('…'));
        assert!(cut.starts_with("éé"));
        assert_eq!(bounded_device_text("a\0b\u{202E}c\nd"), "abc\nd");
        let exact = "x".repeat(DEVICE_TEXT_MAX_BYTES);
        assert_eq!(bounded_device_text(&exact), exact, "text at the limit is kept whole");
    }

    #[test]
    fn request_ids_are_short_and_plain() {
        assert!(is_sane_request_id("3f2a9c1e-7d4b-4a35-9b1e-2c8f0d6a5b7e"));
        assert!(is_sane_request_id("trace:abc.DEF-1_2"));
        assert!(!is_sane_request_id(""));
        assert!(!is_sane_request_id(&"a".repeat(65)));
        assert!(!is_sane_request_id("id with space"));
        assert!(!is_sane_request_id("evil\nforged log line"));
        assert!(!is_sane_request_id("<script>"));
    }
}
