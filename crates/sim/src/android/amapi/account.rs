//! The stand-in's service account: an RSA key made once per process (as Google makes one per
//! key file), written as Google writes key files, with the token endpoint pointing at the
//! stand-in; the token endpoint checks assertions with its public half.

use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use serde_json::json;
use std::sync::OnceLock;

pub struct KeyPair {
    pub private_pem: String,
    pub public_pem: String,
}

pub fn key_pair() -> &'static KeyPair {
    static KEYS: OnceLock<KeyPair> = OnceLock::new();
    KEYS.get_or_init(|| {
        let key = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).expect("an RSA key");
        KeyPair {
            private_pem: key.to_pkcs8_pem(LineEnding::LF).expect("PKCS#8").to_string(),
            public_pem: key.to_public_key().to_public_key_pem(LineEnding::LF).expect("SPKI"),
        }
    })
}

pub const CLIENT_EMAIL: &str = "pinreset@contoso-mdm.iam.gserviceaccount.com";
pub const PROJECT_ID: &str = "contoso-mdm";

/// A key file as the Google Cloud console hands it out.
pub fn key_file(token_uri: &str) -> String {
    json!({
        "type": "service_account",
        "project_id": PROJECT_ID,
        "private_key_id": "0123456789abcdef",
        "private_key": key_pair().private_pem,
        "client_email": CLIENT_EMAIL,
        "client_id": "100000000000000000001",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": token_uri,
    })
    .to_string()
}
