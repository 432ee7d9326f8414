//! Just enough DER reading to take a certificate request apart without judging it: real
//! devices send requests that strict parsers reject (see `csr.rs`).

use crate::PkiError;

pub const SEQUENCE: u8 = 0x30;
pub const SET: u8 = 0x31;
pub const OID: u8 = 0x06;

/// One tag-length-value: the tag byte, the content, the whole encoding, and what follows.
pub struct Tlv<'a> {
    pub tag: u8,
    pub content: &'a [u8],
    pub whole: &'a [u8],
    pub rest: &'a [u8],
}

pub fn read(input: &[u8]) -> Result<Tlv<'_>, PkiError> {
    let err = PkiError::MalformedRequest;
    let (&tag, after_tag) = input.split_first().ok_or(err("truncated tag"))?;
    if tag & 0x1f == 0x1f {
        return Err(err("multi-byte tags are not used in certificate requests"));
    }
    let (&first, after_len) = after_tag.split_first().ok_or(err("truncated length"))?;
    let (len, header_rest) = if first < 0x80 {
        (first as usize, after_len)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || after_len.len() < n {
            return Err(err("bad length"));
        }
        let len = after_len[..n].iter().fold(0usize, |acc, b| (acc << 8) | *b as usize);
        (len, &after_len[n..])
    };
    if header_rest.len() < len {
        return Err(err("content shorter than its length"));
    }
    let header_len = input.len() - header_rest.len();
    Ok(Tlv { tag, content: &header_rest[..len], whole: &input[..header_len + len], rest: &header_rest[len..] })
}

/// Read a TLV and insist on its tag.
pub fn expect<'a>(input: &'a [u8], tag: u8, what: &'static str) -> Result<Tlv<'a>, PkiError> {
    let tlv = read(input)?;
    if tlv.tag != tag {
        return Err(PkiError::MalformedRequest(what));
    }
    Ok(tlv)
}
