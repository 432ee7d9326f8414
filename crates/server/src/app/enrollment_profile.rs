//! Apple enrollment profiles: the `.mobileconfig` a user installs, carrying the device identity
//! (PKCS#12 from the tenant's device CA) and the MDM payload, signed by the server certificate.
//! Issuing one is audited: it holds a device identity for that user.

use super::view::{Granted, IssueEnrollmentProfiles};
use super::{audit, device_ca, scope};
use crate::channels::apple::enrollment::issue_identity;
use crate::channels::apple::{CHECKIN_PATH, CONNECT_PATH};
use crate::error::AppError;
use pinreset_apple::profile::{EnrollmentProfile, ProfileUuids};
use pinreset_core::{AuditKind, ErrorCode, UserId};
use rand::distributions::{Alphanumeric, DistString};

/// Whose device the profile enrolls.
pub enum UserRef {
    Id(UserId),
    Login(String),
}

/// PayloadIdentifier of our profile; RemoveProfile with it unenrolls the device.
pub const PROFILE_IDENTIFIER: &str = "com.pinreset.mdm";

fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::internal("building the enrollment profile failed", e)
}

/// PKCS#12 (certificate chain and key) protected by `password`.
fn pkcs12(cert_pem: &str, key_pem: &str, ca_der: &[u8], password: &str) -> Result<Vec<u8>, AppError> {
    use p12_keystore::{Certificate, KeyStore, KeyStoreEntry, PrivateKey, PrivateKeyChain};
    use rustls::pki_types::pem::PemObject;
    let cert_der = rustls::pki_types::CertificateDer::from_pem_slice(cert_pem.as_bytes()).map_err(internal)?;
    let key_der = rcgen::KeyPair::from_pem(key_pem).map_err(internal)?.serialize_der();
    let chain = PrivateKeyChain::new(
        b"pinreset".as_slice(),
        PrivateKey::from_der(&key_der).map_err(internal)?,
        [Certificate::from_der(&cert_der).map_err(internal)?, Certificate::from_der(ca_der).map_err(internal)?],
    );
    let mut store = KeyStore::new();
    store.add_entry("pinreset", KeyStoreEntry::PrivateKeyChain(chain));
    store.writer(password).write().map_err(internal)
}

/// The signed profile for the user, or `not_found`.
pub async fn issue(g: &Granted<'_, IssueEnrollmentProfiles>, who: UserRef, request_id: Option<String>) -> Result<Vec<u8>, AppError> {
    let (state, actor) = (g.state, g.actor);
    let user = match who {
        UserRef::Id(id) => state.store.user(actor.tenant_id, id).await?,
        UserRef::Login(login) => {
            pinreset_core::text::check_input("login", &login).map_err(AppError::invalid)?;
            state.store.user_by_login(actor.tenant_id, &login).await?.map(|(u, _)| u)
        }
    };
    let user = user.ok_or_else(|| AppError::code(ErrorCode::NotFound))?;
    build(state, actor, &user, request_id).await
}

/// The signed-in user's own profile: the portal's "add a device" (any user may enroll their
/// own devices; the identity in it names them).
pub async fn issue_own(
    state: &crate::state::AppState,
    actor: &pinreset_core::Actor,
    request_id: Option<String>,
) -> Result<Vec<u8>, AppError> {
    let user = state.store.user(actor.tenant_id, actor.user_id).await?.ok_or_else(|| AppError::code(ErrorCode::NotFound))?;
    build(state, actor, &user, request_id).await
}

async fn build(
    state: &crate::state::AppState,
    actor: &pinreset_core::Actor,
    user: &pinreset_core::User,
    request_id: Option<String>,
) -> Result<Vec<u8>, AppError> {
    let tenant = scope::tenant_of(state, actor).await?;
    let identity = issue_identity(state, user).await?;
    let ca = device_ca::load_or_create(state, &tenant).await?;
    let password = Alphanumeric.sample_string(&mut rand::rngs::OsRng, 24);
    let p12 = pkcs12(&identity.cert_pem, identity.key_pem.expose(), ca.cert_der(), &password)?;
    let uuids = ProfileUuids { profile: uuid::Uuid::new_v4(), mdm: uuid::Uuid::new_v4(), identity: uuid::Uuid::new_v4() };
    // Until the tenant uploads its APNs push certificate the topic is a placeholder; devices
    // are then reached on their next check-in.
    let topic =
        super::push::tenant_topic(state, tenant.id).await?.unwrap_or_else(|| format!("com.apple.mgmt.External.{}", tenant.directory_id));
    let mut profile = EnrollmentProfile::new(
        PROFILE_IDENTIFIER,
        uuids,
        // The configured public URL, never the request's Host: this profile is signed by us.
        format!("{}{CONNECT_PATH}", state.public_url),
        format!("{}{CHECKIN_PATH}", state.public_url),
        topic,
        p12,
        Some(password),
    );
    profile.organization = Some(tenant.display_name.clone());
    let mut bytes = profile.encode().map_err(internal)?;
    // Signed by the server certificate, so the device shows who it comes from and that it is intact.
    if let Some(signer) = &state.profile_signer {
        bytes = signer.sign(&bytes, false, state.clock.now().timestamp().max(0) as u64).map_err(internal)?;
    }
    let event = audit::for_tenant(
        state.clock.now(),
        tenant.id,
        audit::by(actor),
        AuditKind::EnrollmentProfileIssued,
        format!("user:{}", user.login),
        request_id,
    );
    state.store.append_audit(&[event]).await?;
    Ok(bytes)
}
