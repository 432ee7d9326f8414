//! Our SignedData against itself and against OpenSSL's `cms` command, both ways, so a bug
//! shared by our signer and our verifier cannot pass unnoticed.

use super::*;
use rustls_pki_types::pem::PemObject;
use std::path::Path;
use std::process::Command;

struct Identity {
    cert_der: Vec<u8>,
    cert_pem: String,
    key_pem: String,
}

fn ecdsa_identity() -> Identity {
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = rcgen::CertificateParams::new(vec!["signer.example".to_string()]).unwrap().self_signed(&key).unwrap();
    Identity { cert_der: cert.der().to_vec(), cert_pem: cert.pem(), key_pem: key.serialize_pem() }
}

fn signer(id: &Identity) -> CmsSigner {
    CmsSigner::new(std::slice::from_ref(&id.cert_der), &PrivateKeyDer::from_pem_slice(id.key_pem.as_bytes()).unwrap()).unwrap()
}

fn openssl(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new("openssl").current_dir(dir).args(args).output().expect("the openssl command (Debian package openssl) is installed")
}

const NOW: u64 = 1_790_000_000;

#[test]
fn attached_content_comes_back_with_its_signer() {
    let id = ecdsa_identity();
    let msg = signer(&id).sign(b"<plist>profile</plist>", false, NOW).unwrap();
    let v = verify(&msg, None).unwrap();
    assert_eq!((v.content.as_slice(), v.signer), (b"<plist>profile</plist>".as_slice(), id.cert_der));
    assert_eq!(v.signing_time, Some(NOW), "the signed signing time comes back");
}

#[test]
fn a_detached_signature_covers_exactly_the_body() {
    let id = ecdsa_identity();
    let sig = signer(&id).sign(b"body", true, NOW).unwrap();
    assert_eq!(verify(&sig, Some(b"body")).unwrap().signer, id.cert_der);
    let e = verify(&sig, Some(b"bodY")).unwrap_err();
    assert!(e.to_string().contains("does not match the signed digest"), "{e}");
    assert!(verify(&sig, None).is_err(), "detached signatures need their content");
}

#[test]
fn garbage_and_oversized_input_are_refused() {
    assert!(verify(b"not der", Some(b"x")).is_err());
    assert!(verify(&vec![0x30; MAX_CMS_BYTES + 1], Some(b"x")).unwrap_err().to_string().contains("larger"));
    let other = ecdsa_identity();
    let key = PrivateKeyDer::from_pem_slice(other.key_pem.as_bytes()).unwrap();
    let e = CmsSigner::new(&[ecdsa_identity().cert_der], &key).err().unwrap();
    assert!(e.to_string().contains("does not belong"), "{e}");
}

#[test]
fn openssl_verifies_what_we_sign() {
    let dir = tempfile::tempdir().unwrap();
    let id = ecdsa_identity();
    std::fs::write(dir.path().join("signer.pem"), &id.cert_pem).unwrap();
    std::fs::write(dir.path().join("body"), b"the request body").unwrap();
    std::fs::write(dir.path().join("attached.der"), signer(&id).sign(b"the profile", false, NOW).unwrap()).unwrap();
    std::fs::write(dir.path().join("detached.der"), signer(&id).sign(b"the request body", true, NOW).unwrap()).unwrap();
    let out = openssl(dir.path(), &["cms", "-verify", "-inform", "DER", "-in", "attached.der", "-CAfile", "signer.pem", "-binary"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.stdout, b"the profile");
    let out = openssl(
        dir.path(),
        &["cms", "-verify", "-inform", "DER", "-in", "detached.der", "-content", "body", "-CAfile", "signer.pem", "-binary"],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::write(dir.path().join("body"), b"the request bodY").unwrap();
    let out = openssl(
        dir.path(),
        &["cms", "-verify", "-inform", "DER", "-in", "detached.der", "-content", "body", "-CAfile", "signer.pem", "-binary"],
    );
    assert!(!out.status.success(), "a changed body fails OpenSSL's check too");
}

#[test]
fn we_verify_what_openssl_signs_with_rsa_and_ecdsa() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("body"), b"<?xml version=\"1.0\"?><plist/>").unwrap();
    for (name, newkey) in [("rsa", "rsa:2048"), ("ec", "ec")] {
        let mut args = vec!["req", "-x509", "-newkey", newkey, "-nodes", "-subj", "/CN=device", "-days", "2"];
        let keyfile = format!("{name}.key");
        let certfile = format!("{name}.pem");
        if name == "ec" {
            openssl(dir.path(), &["ecparam", "-name", "prime256v1", "-out", "p256.param"]);
            args[3] = "ec:p256.param";
        }
        args.extend(["-keyout", &keyfile, "-out", &certfile]);
        let out = openssl(dir.path(), &args);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let sigfile = format!("{name}.sig");
        let out = openssl(
            dir.path(),
            &[
                "cms", "-sign", "-binary", "-in", "body", "-signer", &certfile, "-inkey", &keyfile, "-outform", "DER", "-out", &sigfile,
                "-md", "sha256",
            ],
        );
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let sig = std::fs::read(dir.path().join(&sigfile)).unwrap();
        let cert = std::fs::read(dir.path().join(&certfile)).unwrap();
        let cert_der = rustls_pki_types::CertificateDer::from_pem_slice(&cert).unwrap().to_vec();
        let v = verify(&sig, Some(b"<?xml version=\"1.0\"?><plist/>")).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(v.signer, cert_der, "{name}");
        assert!(verify(&sig, Some(b"<plist/>")).is_err(), "{name}");
        // A profile signed by OpenSSL (content inside) opens too.
        let out = openssl(
            dir.path(),
            &[
                "cms",
                "-sign",
                "-binary",
                "-nodetach",
                "-in",
                "body",
                "-signer",
                &certfile,
                "-inkey",
                &keyfile,
                "-outform",
                "DER",
                "-out",
                "attached",
            ],
        );
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let attached = verify(&std::fs::read(dir.path().join("attached")).unwrap(), None).unwrap();
        assert_eq!(attached.content, b"<?xml version=\"1.0\"?><plist/>", "{name}");
        // And our signer accepts OpenSSL's keys (PKCS#8, RSA and EC).
        let key = std::fs::read(dir.path().join(&keyfile)).unwrap();
        let ours = CmsSigner::new(std::slice::from_ref(&cert_der), &PrivateKeyDer::from_pem_slice(&key).unwrap()).unwrap();
        assert_eq!(verify(&ours.sign(b"x", true, NOW).unwrap(), Some(b"x")).unwrap().signer, cert_der, "{name}");
    }
}
