//! Envelope sealing of secrets at rest. Each value gets its own random AES-256-GCM data key;
//! the data key is wrapped by the instance master key. Both encryptions bind the row's
//! identity as associated data, so a sealed value copied into another row does not open.
//!
//! Layout (version 1), all in one BLOB/BYTEA column:
//!
//! ```text
//! [0x01][wrap nonce: 12][data key wrapped by the master key: 32 + 16 tag][data nonce: 12][ciphertext + 16 tag]
//! ```
//!
//! The leading version byte is what lets keys rotate later: a version 2 can carry the id of the
//! master key that wrapped the data key, and rotation re-wraps only the 48-byte data keys,
//! never the secrets themselves. Unknown versions refuse to open (`StoreError::Unseal`).

use crate::ports::StoreError;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine;
use rand::RngCore;
use std::path::Path;

const VERSION: u8 = 1;
const NONCE: usize = 12;
const KEY: usize = 32;
const TAG: usize = 16;
const MASTER_KEY_FILE: &str = "master.key";

/// The instance master key. Never printed.
#[derive(Clone)]
pub struct MasterKey([u8; KEY]);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(<redacted>)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MasterKeyError {
    #[error("the master key must be base64 of exactly 32 bytes")]
    Malformed,
    #[error("cannot read or create the master key file {path}: {source}")]
    Io { path: String, source: std::io::Error },
}

impl MasterKey {
    pub fn generate() -> Self {
        let mut k = [0u8; KEY];
        rand::rngs::OsRng.fill_bytes(&mut k);
        MasterKey(k)
    }

    /// `PINRESET_MASTER_KEY`: base64 of 32 bytes.
    pub fn from_env_value(value: &str) -> Result<Self, MasterKeyError> {
        let bytes = base64::engine::general_purpose::STANDARD.decode(value.trim()).map_err(|_| MasterKeyError::Malformed)?;
        let key: [u8; KEY] = bytes.try_into().map_err(|_| MasterKeyError::Malformed)?;
        Ok(MasterKey(key))
    }

    /// Read `DIR/master.key`, or create it (mode 0600) on first start.
    pub fn load_or_create(data_dir: &Path) -> Result<Self, MasterKeyError> {
        let path = data_dir.join(MASTER_KEY_FILE);
        let io = |source| MasterKeyError::Io { path: path.display().to_string(), source };
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::from_env_value(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                use std::io::Write;
                use std::os::unix::fs::OpenOptionsExt;
                std::fs::create_dir_all(data_dir).map_err(io)?;
                let key = Self::generate();
                // Written complete under a private temporary name, then linked into place: a
                // second instance starting at the same moment never reads a half-written key,
                // and exactly one key wins (`hard_link` refuses to replace an existing file).
                let tmp = data_dir.join(format!(".{MASTER_KEY_FILE}.{}", uuid::Uuid::new_v4().simple()));
                let written = (|| {
                    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&tmp)?;
                    f.write_all(base64::engine::general_purpose::STANDARD.encode(key.0).as_bytes())?;
                    f.sync_all()?;
                    std::fs::hard_link(&tmp, &path)
                })();
                let _ = std::fs::remove_file(&tmp);
                match written {
                    Ok(()) => Ok(key),
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        Self::from_env_value(&std::fs::read_to_string(&path).map_err(io)?)
                    }
                    Err(e) => Err(io(e)),
                }
            }
            Err(e) => Err(io(e)),
        }
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&self.0))
    }

    /// Seal `plaintext` for the row identified by `context`.
    pub fn seal(&self, plaintext: &[u8], context: &str) -> Vec<u8> {
        let mut dek = [0u8; KEY];
        let mut wrap_nonce = [0u8; NONCE];
        let mut data_nonce = [0u8; NONCE];
        rand::rngs::OsRng.fill_bytes(&mut dek);
        rand::rngs::OsRng.fill_bytes(&mut wrap_nonce);
        rand::rngs::OsRng.fill_bytes(&mut data_nonce);
        let aad = context.as_bytes();
        let wrapped = self.cipher().encrypt(Nonce::from_slice(&wrap_nonce), Payload { msg: &dek, aad }).expect("AES-GCM encrypt");
        let data_cipher = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&dek));
        let ct = data_cipher.encrypt(Nonce::from_slice(&data_nonce), Payload { msg: plaintext, aad }).expect("AES-GCM encrypt");
        dek.fill(0);
        let mut out = Vec::with_capacity(1 + NONCE + wrapped.len() + NONCE + ct.len());
        out.push(VERSION);
        out.extend_from_slice(&wrap_nonce);
        out.extend_from_slice(&wrapped);
        out.extend_from_slice(&data_nonce);
        out.extend_from_slice(&ct);
        out
    }

    /// Open a value sealed by `seal` with the same `context`.
    pub fn open(&self, sealed: &[u8], context: &str) -> Result<Vec<u8>, StoreError> {
        let wrapped_len = KEY + TAG;
        if sealed.len() < 1 + NONCE + wrapped_len + NONCE + TAG || sealed[0] != VERSION {
            return Err(StoreError::Unseal);
        }
        let (wrap_nonce, rest) = sealed[1..].split_at(NONCE);
        let (wrapped, rest) = rest.split_at(wrapped_len);
        let (data_nonce, ct) = rest.split_at(NONCE);
        let aad = context.as_bytes();
        let mut dek =
            self.cipher().decrypt(Nonce::from_slice(wrap_nonce), Payload { msg: wrapped, aad }).map_err(|_| StoreError::Unseal)?;
        let data_cipher = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&dek));
        dek.fill(0);
        data_cipher.decrypt(Nonce::from_slice(data_nonce), Payload { msg: ct, aad }).map_err(|_| StoreError::Unseal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_fresh_randomness() {
        let k = MasterKey::generate();
        let a = k.seal(b"Zq7Wm3Kp", "action-passcode:1");
        let b = k.seal(b"Zq7Wm3Kp", "action-passcode:1");
        assert_ne!(a, b);
        assert!(!a.windows(8).any(|w| w == b"Zq7Wm3Kp"));
        assert_eq!(k.open(&a, "action-passcode:1").unwrap(), b"Zq7Wm3Kp");
    }

    #[test]
    fn tampering_wrong_row_or_wrong_key_do_not_open() {
        let k = MasterKey::generate();
        let mut s = k.seal(b"secret", "row:1");
        assert!(matches!(k.open(&s, "row:2"), Err(StoreError::Unseal)));
        assert!(matches!(MasterKey::generate().open(&s, "row:1"), Err(StoreError::Unseal)));
        let last = s.len() - 1;
        s[last] ^= 1;
        assert!(matches!(k.open(&s, "row:1"), Err(StoreError::Unseal)));
        assert!(matches!(k.open(&[1, 2, 3], "row:1"), Err(StoreError::Unseal)));
    }

    #[test]
    fn instances_starting_together_agree_on_one_key() {
        let dir = tempfile::tempdir().unwrap();
        // A data directory that does not exist yet is created.
        let data = dir.path().join("data/pinreset");
        let keys: Vec<MasterKey> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8).map(|_| s.spawn(|| MasterKey::load_or_create(&data).unwrap())).collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(keys.iter().all(|k| k.0 == keys[0].0));
        let names: Vec<_> = std::fs::read_dir(&data).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, [MASTER_KEY_FILE], "no temporary files left behind");
    }

    #[test]
    fn key_file_is_created_private_and_reloaded() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let k1 = MasterKey::load_or_create(dir.path()).unwrap();
        let mode = std::fs::metadata(dir.path().join(MASTER_KEY_FILE)).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let k2 = MasterKey::load_or_create(dir.path()).unwrap();
        let sealed = k1.seal(b"x", "c");
        assert_eq!(k2.open(&sealed, "c").unwrap(), b"x");
        assert!(!format!("{k1:?}").contains(&base64::engine::general_purpose::STANDARD.encode(k1.0)));
        assert!(MasterKey::from_env_value("c2hvcnQ=").is_err());
    }
}
