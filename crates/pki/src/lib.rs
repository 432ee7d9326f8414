//! Device PKI. Windows (MS-WSTEP) and Apple enrollment both end with the server issuing the
//! device a client certificate from the tenant's device CA; later requests are authenticated
//! by it. Pure: keys and certificates in, certificates out; storage seals the CA key.

mod ca;
pub mod cms;
mod csr;
mod der;

pub use ca::{DeviceCa, IssuedCertificate};
pub use csr::{parse_csr_leniently, LenientCsr};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PkiError {
    #[error("the certificate request is not valid DER: {0}")]
    MalformedRequest(&'static str),
    #[error("the certificate request is larger than {0} bytes")]
    RequestTooLarge(usize),
    #[error("the request's public key uses an algorithm we do not issue for")]
    UnsupportedKey,
    #[error("signed message: {0}")]
    Signature(String),
    #[error("certificate operation failed: {0}")]
    Certificate(String),
}

impl From<rcgen::Error> for PkiError {
    fn from(e: rcgen::Error) -> Self {
        PkiError::Certificate(e.to_string())
    }
}
