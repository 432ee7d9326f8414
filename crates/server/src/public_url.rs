//! The one URL devices are given for this server (`--public-url`). Every URL handed to a
//! device — Windows Discovery and provisioning, the OMA-DM server URL, the Apple enrollment
//! profile — is built from it, never from the request's `Host` header: that header is chosen
//! by whoever sends the request, so echoing it would let an unauthenticated caller make us
//! hand out (and, in a signed `.mobileconfig`, vouch for) a server of their choosing.

use anyhow::{bail, Context, Result};
use std::net::{IpAddr, SocketAddr};
use std::path::Path;

/// Check an operator-given public URL: `https://host[:port]`, nothing after. Returned without
/// a trailing slash, ready for paths to be appended.
pub fn validate(url: &str) -> Result<String> {
    let parsed = reqwest::Url::parse(url).with_context(|| format!("--public-url {url:?} is not a URL"))?;
    if parsed.scheme() != "https" {
        bail!("--public-url must start with https:// (devices only talk to us over TLS), not {url:?}");
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        bail!("--public-url {url:?} has no host name");
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        bail!("--public-url {url:?} must not carry a user name or password");
    }
    if parsed.path() != "/" || parsed.query().is_some() || parsed.fragment().is_some() {
        bail!("--public-url {url:?} must be only scheme, host and port (no path, query or fragment): the device paths are fixed");
    }
    Ok(parsed.as_str().trim_end_matches('/').to_string())
}

/// The default public URL: the first name devices can reach us by, on the port we listen on.
/// That is the first `--hostname`, else the first certificate name (DNS or IP) that is not a
/// loopback one, else the address we listen on when it is a specific one, else `localhost`.
pub fn default_for(hostnames: &[String], cert_pem: &Path, listen: SocketAddr) -> String {
    let host = hostnames
        .iter()
        .map(|h| h.trim().to_string())
        .find(|h| !h.is_empty())
        .or_else(|| certificate_names(cert_pem).into_iter().find(|n| !is_loopback(n)))
        .or_else(|| (!listen.ip().is_unspecified()).then(|| listen.ip().to_string()))
        .unwrap_or_else(|| "localhost".into());
    let host = if host.parse::<std::net::Ipv6Addr>().is_ok() { format!("[{host}]") } else { host };
    match listen.port() {
        443 => format!("https://{host}"),
        port => format!("https://{host}:{port}"),
    }
}

fn is_loopback(name: &str) -> bool {
    name.eq_ignore_ascii_case("localhost") || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The subject alternative names (DNS names and IPs) of the first certificate in a PEM file.
fn certificate_names(cert_pem: &Path) -> Vec<String> {
    use rustls::pki_types::pem::PemObject;
    use x509_parser::prelude::*;
    let Ok(der) = rustls::pki_types::CertificateDer::from_pem_file(cert_pem) else { return vec![] };
    let Ok((_, cert)) = X509Certificate::from_der(&der) else { return vec![] };
    let Ok(Some(san)) = cert.subject_alternative_name() else { return vec![] };
    san.value
        .general_names
        .iter()
        .filter_map(|n| match n {
            GeneralName::DNSName(d) => Some(d.to_string()),
            GeneralName::IPAddress(b) => match b.len() {
                4 => Some(IpAddr::from(<[u8; 4]>::try_from(*b).ok()?).to_string()),
                16 => Some(IpAddr::from(<[u8; 16]>::try_from(*b).ok()?).to_string()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_url_must_be_plain_https() {
        assert_eq!(validate("https://mdm.example.com").unwrap(), "https://mdm.example.com");
        assert_eq!(validate("https://mdm.example.com:8443/").unwrap(), "https://mdm.example.com:8443");
        for bad in [
            "http://mdm.example.com",
            "https://mdm.example.com/mdm",
            "https://mdm.example.com/?x=1",
            "https://u:p@mdm.example.com",
            "mdm.example.com",
            "https://",
        ] {
            assert!(validate(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn default_public_url_prefers_a_reachable_name() {
        let dir = tempfile::tempdir().unwrap();
        let files = crate::tls::ensure_files(dir.path(), None, None, &["mdm.example.com".into()]).unwrap();
        let listen: SocketAddr = "0.0.0.0:8443".parse().unwrap();
        assert_eq!(default_for(&[], &files.cert, listen), "https://mdm.example.com:8443", "the certificate's first non-loopback name");
        assert_eq!(default_for(&["other.example".into()], &files.cert, listen), "https://other.example:8443");
        let plain = tempfile::tempdir().unwrap();
        let files = crate::tls::ensure_files(plain.path(), None, None, &[]).unwrap();
        assert_eq!(default_for(&[], &files.cert, "127.0.0.1:9000".parse().unwrap()), "https://127.0.0.1:9000");
        assert_eq!(default_for(&[], &files.cert, "0.0.0.0:443".parse().unwrap()), "https://localhost");
        assert_eq!(default_for(&["::1".into()], &files.cert, "[::]:8443".parse().unwrap()), "https://[::1]:8443");
    }
}
