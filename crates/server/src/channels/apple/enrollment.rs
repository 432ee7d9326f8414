//! Enrollment identities for Apple devices: a key pair and a client certificate from the
//! tenant's device CA, recorded as a grant for the user. The identity travels to the device in
//! its enrollment profile; at Authenticate its certificate says whose device it is.

use crate::app::device_ca;
use crate::error::AppError;
use crate::peer_cert::normalize_serial;
use crate::state::AppState;
use pinreset_core::{ErrorCode, Secret, User};
use rand::RngCore;

pub struct EnrollmentIdentity {
    pub cert_pem: String,
    /// The private key: it goes into the enrollment profile and nowhere else.
    pub key_pem: Secret,
    pub serial: String,
}

pub async fn issue_identity(state: &AppState, user: &User) -> Result<EnrollmentIdentity, AppError> {
    let tenant = state.store.tenant(user.tenant_id).await?.ok_or_else(|| AppError::code(ErrorCode::NotFound))?;
    let ca = device_ca::load_or_create(state, &tenant).await?;
    let key = rcgen::KeyPair::generate().map_err(|e| AppError::internal("building the enrollment profile", e))?;
    let serial = rand::rngs::OsRng.next_u64() >> 1;
    let cn = format!("pinreset-apple-{serial:016x}");
    let issued = ca
        .issue_client_cert(&key.public_key_der(), &cn, serial, device_ca::now_offset(state), 365 * 2)
        .map_err(|e| AppError::internal("building the enrollment profile", e))?;
    let serial = normalize_serial(&issued.serial_hex);
    state.store.create_enrollment_grant(&serial, user, state.clock.now()).await?;
    Ok(EnrollmentIdentity { cert_pem: issued.pem, key_pem: Secret::new(key.serialize_pem()), serial })
}
