//! HTTPS by default. On first start a private CA and a server certificate signed by it are
//! written to DATA/tls/; devices and the CLI trust `ca.pem`. An operator's own certificate
//! replaces them with --tls-cert/--tls-key.

use anyhow::{Context, Result};
use rcgen::{BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
    /// The CA to trust, when we generated the certificate ourselves.
    pub ca: Option<PathBuf>,
}

/// Use the given certificate, or create (once) a CA and a server certificate for
/// `localhost`, `127.0.0.1`, `::1` and `extra_names`.
pub fn ensure_files(data_dir: &Path, cert: Option<PathBuf>, key: Option<PathBuf>, extra_names: &[String]) -> Result<TlsFiles> {
    match (cert, key) {
        (Some(cert), Some(key)) => return Ok(TlsFiles { cert, key, ca: None }),
        (None, None) => {}
        _ => anyhow::bail!("--tls-cert and --tls-key go together: give both or neither"),
    }
    let dir = data_dir.join("tls");
    let files = TlsFiles { cert: dir.join("server.pem"), key: dir.join("server.key"), ca: Some(dir.join("ca.pem")) };
    if files.cert.exists() && files.key.exists() {
        return Ok(files);
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;

    let ca_key = KeyPair::generate()?;
    let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
    ca_params.distinguished_name.push(DnType::CommonName, "pinreset local CA");
    ca_params.distinguished_name.push(DnType::OrganizationName, "pinreset");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    ca_params.not_after = rcgen::date_time_ymd(2046, 1, 1);
    let ca_cert = ca_params.self_signed(&ca_key)?;

    let mut names = vec!["localhost".to_string(), "127.0.0.1".to_string(), "::1".to_string()];
    names.extend(extra_names.iter().cloned());
    let server_key = KeyPair::generate()?;
    let mut params = CertificateParams::new(names)?;
    params.distinguished_name.push(DnType::CommonName, "pinreset server");
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.not_after = rcgen::date_time_ymd(2036, 1, 1);
    let server_cert = params.signed_by(&server_key, &ca_cert, &ca_key)?;

    write_private(&dir.join("ca.key"), &ca_key.serialize_pem())?;
    std::fs::write(files.ca.as_ref().expect("generated"), ca_cert.pem())?;
    write_private(&files.key, &server_key.serialize_pem())?;
    std::fs::write(&files.cert, server_cert.pem())?;
    tracing::info!(ca = %dir.join("ca.pem").display(), "generated a local CA and server certificate");
    Ok(files)
}

/// Write a file readable by its owner only.
pub fn write_private(path: &Path, contents: &str) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("writing {}", path.display()))?;
    f.write_all(contents.as_bytes())?;
    Ok(())
}

/// The server's TLS configuration. Devices may present a client certificate that `devices`
/// accepts (chained to a tenant's device CA); presenting none is allowed, for browsers and the CLI.
pub fn server_config(
    files: &TlsFiles,
    devices: Option<Arc<dyn rustls::server::danger::ClientCertVerifier>>,
) -> Result<Arc<rustls::ServerConfig>> {
    let (certs, key) = read_identity(files)?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ServerConfig::builder_with_provider(provider).with_safe_default_protocol_versions()?;
    let builder = match devices {
        None => builder.with_no_client_auth(),
        Some(verifier) => builder.with_client_cert_verifier(verifier),
    };
    let mut config = builder.with_single_cert(certs, key).context("the TLS certificate and key do not match")?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

fn read_identity(files: &TlsFiles) -> Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)> {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&files.cert)
        .with_context(|| format!("reading {}", files.cert.display()))?
        .collect::<Result<_, _>>()
        .with_context(|| format!("parsing {}", files.cert.display()))?;
    let key = PrivateKeyDer::from_pem_file(&files.key).with_context(|| format!("reading key {}", files.key.display()))?;
    Ok((certs, key))
}

/// The server certificate as the signer of enrollment profiles, so devices show them as
/// verified. A key the CMS signer cannot use leaves profiles unsigned, with a warning saying why.
pub fn profile_signer(files: &TlsFiles) -> Option<Arc<pinreset_pki::cms::CmsSigner>> {
    let signer = read_identity(files).and_then(|(certs, key)| {
        let chain: Vec<Vec<u8>> = certs.iter().map(|c| c.to_vec()).collect();
        pinreset_pki::cms::CmsSigner::new(&chain, &key).map_err(anyhow::Error::from)
    });
    match signer {
        Ok(s) => Some(Arc::new(s)),
        Err(e) => {
            tracing::warn!(error = %e, "enrollment profiles will not be signed");
            None
        }
    }
}
