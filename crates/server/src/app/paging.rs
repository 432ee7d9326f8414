//! Keyset paging of the device list, for the doors: a page position is an opaque token
//! (a device's name and id, base64url) that the API and the pages hand back for the next or
//! previous page; the store seeks to it through its (tenant, name, id) index.

use crate::error::AppError;
use base64::Engine as _;
use pinreset_core::{Detail, DetailCode, Device};
use pinreset_store::DeviceCursor;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The position right at `device` in the list's order.
pub fn cursor_of(device: &Device) -> String {
    B64.encode(format!("{}:{}", device.id, device.name))
}

/// A position handed out by `cursor_of`; anything else is bad input naming `field`.
pub fn parse_cursor(field: &str, token: &str) -> Result<DeviceCursor, AppError> {
    let invalid = || AppError::invalid(Detail::field(DetailCode::PageCursorInvalid, field));
    let text = B64.decode(token.trim()).ok().and_then(|b| String::from_utf8(b).ok()).ok_or_else(invalid)?;
    let (id, name) = text.split_once(':').ok_or_else(invalid)?;
    Ok(DeviceCursor { id: id.parse().map_err(|_| invalid())?, name: name.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_bad_input() {
        let id = pinreset_core::DeviceId::new();
        let token = B64.encode(format!("{id}:Kiosk: 3 — Zürich"));
        let c = parse_cursor("after", &token).unwrap();
        assert_eq!((c.id, c.name.as_str()), (id, "Kiosk: 3 — Zürich"), "a colon in the name is kept");
        for bad in ["", "!!", &B64.encode("no-colon"), &B64.encode("not-a-uuid:name")] {
            assert_eq!(parse_cursor("after", bad).unwrap_err().detail().unwrap().code, DetailCode::PageCursorInvalid, "{bad}");
        }
    }
}
