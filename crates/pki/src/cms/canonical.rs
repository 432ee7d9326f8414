//! One identity per signature, for replay memory. An ECDSA signature (r, s) has a twin
//! (r, n − s) that verifies just as well and that anyone can compute without the key, so
//! remembering signature bytes alone would let a replay through as the twin. The canonical form
//! is r and the smaller of s and n − s, at the curve's width; other signatures are their bytes.

/// Group orders of the curves we verify, big-endian.
const P256_ORDER: [u8; 32] = hex_literal(b"FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");
const P384_ORDER: [u8; 48] =
    hex_literal(b"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973");

const fn hex_literal<const N: usize>(hex: &[u8]) -> [u8; N] {
    const fn nibble(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'A'..=b'F' => c - b'A' + 10,
            _ => panic!("not upper-case hex"),
        }
    }
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]);
        i += 1;
    }
    out
}

/// Which curve an ECDSA signature was made on (None: not ECDSA).
#[derive(Clone, Copy)]
pub(crate) enum Curve {
    P256,
    P384,
}

/// The canonical bytes of a verified signature.
pub(crate) fn canonical(signature: &[u8], curve: Option<Curve>) -> Vec<u8> {
    let order: &[u8] = match curve {
        Some(Curve::P256) => &P256_ORDER,
        Some(Curve::P384) => &P384_ORDER,
        None => return signature.to_vec(),
    };
    match ecdsa_parts(signature) {
        Some((r, s)) => {
            let (r, s) = (fixed(r, order.len()), fixed(s, order.len()));
            let twin = sub(order, &s);
            let mut out = r;
            out.extend(if twin < s { twin } else { s });
            out
        }
        None => signature.to_vec(),
    }
}

/// `SEQUENCE { r INTEGER, s INTEGER }` (short-form lengths: every P-256/P-384 signature).
fn ecdsa_parts(der: &[u8]) -> Option<(&[u8], &[u8])> {
    let (&[0x30, len], body) = der.split_first_chunk::<2>()? else { return None };
    if usize::from(len) != body.len() || len >= 0x80 {
        return None;
    }
    let int = |b: &[u8]| -> Option<(usize, usize)> {
        let (&[0x02, n], _) = b.split_first_chunk::<2>()? else { return None };
        (n < 0x80 && b.len() >= 2 + usize::from(n)).then_some((2, usize::from(n)))
    };
    let (ro, rl) = int(body)?;
    let rest = &body[ro + rl..];
    let (so, sl) = int(rest)?;
    (ro + rl + so + sl == body.len()).then(|| (&body[ro..ro + rl], &rest[so..so + sl]))
}

/// An unsigned big-endian integer at exactly `width` bytes (DER may add a 0x00 or be shorter).
fn fixed(v: &[u8], width: usize) -> Vec<u8> {
    let v = &v[v.iter().take_while(|&&b| b == 0).count()..];
    let mut out = vec![0u8; width.saturating_sub(v.len())];
    out.extend_from_slice(&v[v.len().saturating_sub(width)..]);
    out
}

/// `a − b` for `a ≥ b`, same width.
fn sub(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; a.len()];
    let mut borrow = 0i16;
    for i in (0..a.len()).rev() {
        let d = i16::from(a[i]) - i16::from(b[i]) - borrow;
        borrow = i16::from(d < 0);
        out[i] = (d + 256 * borrow) as u8;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn der_sig(r: &[u8], s: &[u8]) -> Vec<u8> {
        let int = |v: &[u8]| {
            let mut v = v.to_vec();
            if v[0] & 0x80 != 0 {
                v.insert(0, 0);
            }
            let mut out = vec![0x02, v.len() as u8];
            out.extend(v);
            out
        };
        let body: Vec<u8> = [int(r), int(s)].concat();
        [vec![0x30, body.len() as u8], body].concat()
    }

    #[test]
    fn a_signature_and_its_twin_have_one_identity() {
        let r = [0x11u8; 32];
        let s = [0x22u8; 32];
        let twin = sub(&P256_ORDER, &s);
        let a = canonical(&der_sig(&r, &s), Some(Curve::P256));
        let b = canonical(&der_sig(&r, &twin), Some(Curve::P256));
        assert_eq!(a, b);
        assert_ne!(a, canonical(&der_sig(&r, &[0x23u8; 32]), Some(Curve::P256)), "another s is another signature");
        assert_eq!(canonical(b"rsa bytes", None), b"rsa bytes", "RSA signatures are their bytes");
        assert_eq!(canonical(b"\x30\x02junk", Some(Curve::P256)), b"\x30\x02junk", "unparsable: the bytes");
    }

    #[test]
    fn subtraction_borrows() {
        assert_eq!(sub(&[1, 0], &[0, 1]), vec![0, 255]);
        assert_eq!(fixed(&[0, 0x80, 1], 4), vec![0, 0, 0x80, 1]);
    }
}
