//! Keyset paging of the device list, for the doors: a page position is an opaque token
//! (base64url) that the API and the pages hand back for the next or previous page; the store
//! seeks to it through the `(tenant, retired, key, id)` index of the list's order. The token
//! names its order and carries the device's key in it, so a position taken in one order is
//! refused in another instead of landing somewhere arbitrary.

use crate::error::AppError;
use base64::Engine as _;
use pinreset_core::{Detail, DetailCode, Device, DeviceId};
use pinreset_store::{DeviceCursor, DeviceSort, SortKey};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The device list's order: a sort and its direction (the list's default: by name, A to Z).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Order {
    pub sort: DeviceSort,
    pub descending: bool,
}

impl Order {
    fn tag(self) -> String {
        format!("{}.{}", self.sort.as_str(), if self.descending { "d" } else { "a" })
    }
}

/// The position right at `device` in `order`; `owner_name` is its owner's display name (the
/// owner order's key).
pub fn cursor_in(order: Order, device: &Device, owner_name: &str) -> String {
    let key = match order.sort.key_of(device, owner_name) {
        SortKey::Text(t) => t,
        SortKey::Int(i) => i.to_string(),
    };
    if order == Order::default() {
        // The form tokens had before the list could be sorted: they stay valid.
        B64.encode(format!("{}:{key}", device.id))
    } else {
        B64.encode(format!("{}:{}:{key}", order.tag(), device.id))
    }
}

/// A position handed out by `cursor_of` (the default order).
pub fn parse_cursor(field: &str, token: &str) -> Result<DeviceCursor, AppError> {
    parse_cursor_in(field, token, Order::default())
}

/// A position handed out by `cursor_in` for this `order`; anything else (garbage, or a
/// position in another order) is bad input naming `field`.
pub fn parse_cursor_in(field: &str, token: &str, order: Order) -> Result<DeviceCursor, AppError> {
    let invalid = || AppError::invalid(Detail::field(DetailCode::PageCursorInvalid, field));
    let text = B64.decode(token.trim()).ok().and_then(|b| String::from_utf8(b).ok()).ok_or_else(invalid)?;
    let (head, rest) = text.split_once(':').ok_or_else(invalid)?;
    let (tag, id, key) = match head.parse::<DeviceId>() {
        Ok(id) => (Order::default().tag(), id, rest),
        Err(_) => {
            let (id, key) = rest.split_once(':').ok_or_else(invalid)?;
            (head.to_string(), id.parse().map_err(|_| invalid())?, key)
        }
    };
    if tag != order.tag() {
        return Err(invalid());
    }
    let key = match order.sort {
        DeviceSort::LastCheckIn => SortKey::Int(key.parse().map_err(|_| invalid())?),
        _ => SortKey::Text(key.to_string()),
    };
    Ok(DeviceCursor { key, id })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_bad_input() {
        let id = pinreset_core::DeviceId::new();
        let token = B64.encode(format!("{id}:Kiosk: 3 — Zürich"));
        let c = parse_cursor("after", &token).unwrap();
        assert_eq!((c.id, c.key), (id, SortKey::Text("Kiosk: 3 — Zürich".into())), "a colon in the name is kept");
        for bad in ["", "!!", &B64.encode("no-colon"), &B64.encode("not-a-uuid:name")] {
            assert_eq!(parse_cursor("after", bad).unwrap_err().detail().unwrap().code, DetailCode::PageCursorInvalid, "{bad}");
        }
    }

    #[test]
    fn a_cursor_carries_its_order_and_key() {
        let id = pinreset_core::DeviceId::new();
        let seen = Order { sort: DeviceSort::LastCheckIn, descending: true };
        let token = B64.encode(format!("last_check_in.d:{id}:1764669600000"));
        assert_eq!(parse_cursor_in("after", &token, seen).unwrap(), DeviceCursor { key: SortKey::Int(1_764_669_600_000), id });
        // The same position in another order, or the other direction, is refused.
        for other in [Order::default(), Order { descending: false, ..seen }, Order { sort: DeviceSort::Owner, descending: true }] {
            assert!(parse_cursor_in("after", &token, other).is_err(), "{other:?}");
        }
        let owner = Order { sort: DeviceSort::Owner, descending: false };
        let token = B64.encode(format!("owner.a:{id}:Avery: Admin"));
        assert_eq!(parse_cursor_in("before", &token, owner).unwrap().key, SortKey::Text("Avery: Admin".into()));
        assert!(parse_cursor_in("after", &B64.encode(format!("last_check_in.d:{id}:soon")), seen).is_err(), "a number");
    }
}
