//! MS-MDE2 enrollment: discovery, MS-XCEP policy and MS-WSTEP enrollment (OnPremise auth).
//! The device proves its user with the user's email and password; we answer with a client
//! certificate from the tenant's device CA and the DM account it will manage itself with.

use super::soap::{fault, ok};
use super::{ENROLLMENT_PATH, IDENTITY_KIND, MANAGEMENT_PATH, POLICY_PATH};
use crate::app::device_ca;
use crate::app::reenrollment::{self, Admission};
use crate::auth::RequestId;
use crate::sign_in::ClientAddr;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use base64::Engine;
use pinreset_core::device::{JoinType, ManagementMode, OsVersion, Ownership, Platform};
use pinreset_core::{Device, DeviceId, Secret, User, WindowsEnrollmentAuth};
use pinreset_store::{EnrollmentWrite, NewSecret, SecretKey};
use pinreset_windows::enrollment::provisioning::{CertificateEntry, ClientCertStore, Md5Credentials, PollSchedule};
use pinreset_windows::enrollment::{
    AuthPolicy, Credentials, DiscoverRequest, DiscoverResponse, FaultCode, GetPoliciesRequest, PolicyResponse, ProvisioningDoc, RstRequest,
    RstrResponse,
};
use rand::distributions::{Alphanumeric, DistString};
use rand::RngCore;
use sha1::{Digest, Sha1};

/// The name devices show for us in Settings > Accounts > Access work or school.
const SERVER_NAME: &str = "pinreset";
/// The ProviderID the device's enrollment is known by (DMClient/Provider/{ProviderID}); the
/// server names it to unenroll the device.
pub(super) const PROVIDER_ID: &str = SERVER_NAME;
use crate::channels::CERT_SERIAL_KIND;
/// Enrollment protocol versions we answer with what the device asked for.
const VERSIONS: &[&str] = &["1.0", "2.0", "3.0", "4.0", "5.0"];
/// Issued device certificates last a year (renewal comes with the certificate-renewal issue).
const CERT_DAYS: i64 = 365;

/// GET Discovery.svc: devices probe it first and expect 200 with an empty body.
pub async fn discovery_probe() -> StatusCode {
    StatusCode::OK
}

pub async fn discovery(State(state): State<AppState>, body: Bytes) -> Response {
    let req = match DiscoverRequest::decode(&body) {
        Ok(r) => r,
        Err(e) => return fault(FaultCode::MessageFormat, format!("The discovery request is not valid: {e}"), None),
    };
    let relates = req.message_id.as_deref();
    // Discovery is unauthenticated: known and unknown addresses get the same answer, so it
    // cannot be used to learn who has an account. An unknown address fails later, at Policy
    // or Enrollment, exactly like a wrong password. Only a tenant that signs in federated gets
    // a Federated answer, and only for its own users' addresses.
    let federated = match discovered_tenant(&state, &req.email_address).await {
        Ok(Some(t)) => t.settings.windows_enrollment_auth == WindowsEnrollmentAuth::Federated,
        Ok(None) => false,
        Err(e) => return internal(e, relates),
    };
    let version = req.request_version.as_deref().filter(|v| VERSIONS.contains(v)).unwrap_or("3.0");
    let base = &state.public_url;
    let resp = DiscoverResponse {
        auth_policy: if federated && req.supports("Federated") {
            AuthPolicy::Federated { authentication_service_url: format!("{base}{}", super::federated::AUTH_PATH) }
        } else {
            AuthPolicy::OnPremise
        },
        enrollment_version: version.to_string(),
        enrollment_policy_service_url: format!("{base}{POLICY_PATH}"),
        enrollment_service_url: format!("{base}{ENROLLMENT_PATH}"),
    };
    ok(resp.encode(relates))
}

/// The tenant of the user with this email, if any. An address no account can have (a NUL in
/// it) is simply unknown.
async fn discovered_tenant(state: &AppState, email: &str) -> Result<Option<pinreset_core::Tenant>, pinreset_store::StoreError> {
    let users = match state.store.users_by_email(email).await {
        Ok(users) => users,
        Err(pinreset_store::StoreError::InvalidInput(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    match users.first() {
        Some((user, _)) => state.store.tenant(user.tenant_id).await,
        None => Ok(None),
    }
}

fn internal(e: impl std::fmt::Display, relates: Option<&str>) -> Response {
    tracing::error!(error = %e, "windows enrollment failed");
    fault(FaultCode::InternalServiceFault, "The server could not complete the enrollment; try again later.", relates)
}

/// Why the credentials were not accepted, ready to become a fault.
struct Refused {
    code: FaultCode,
    reason: String,
    /// Seconds to wait before retrying (lockout, throttle, busy server).
    retry_after: Option<u64>,
    busy: bool,
}

impl Refused {
    fn new(code: FaultCode, reason: impl Into<String>) -> Self {
        Refused { code, reason: reason.into(), retry_after: None, busy: false }
    }
    fn into_fault(self, relates: Option<&str>) -> Response {
        match (self.busy, self.retry_after) {
            (true, secs) => super::soap::busy(self.reason, relates, secs.unwrap_or(1)),
            (false, Some(secs)) => super::soap::with_retry_after(fault(self.code, self.reason, relates), secs),
            (false, None) => fault(self.code, self.reason, relates),
        }
    }
}

/// The answer to a sign-in with something that is not an email address (a login).
pub(crate) const USE_EMAIL_NOT_LOGIN: &str = "Sign in with your work email address (for example alice@contoso.example), not your login.";

/// Check the request's credentials: OnPremise email and password (through the sign-in gate:
/// throttled, locked out, hashed off the async workers), or the one-time token of the
/// federated sign-in page (spent by the enrollment request, `spend`).
async fn authenticate(
    state: &AppState,
    creds: Option<&Credentials>,
    spend: bool,
    client: std::net::IpAddr,
    request_id: Option<String>,
) -> Result<User, Refused> {
    if let Some(Credentials::BinarySecurityToken { token, .. }) = creds {
        return super::federated::token_user(state, token, spend).await.ok_or_else(|| {
            Refused::new(FaultCode::Authentication, "The sign-in has expired or was already used; start the enrollment again.")
        });
    }
    let Some(Credentials::UsernameToken { username, password }) = creds else {
        return Err(Refused::new(FaultCode::InvalidSecurity, "Sign in with your work email address and password."));
    };
    // A bare login can never match: say what to type instead (this reveals nothing about accounts).
    if !username.contains('@') {
        return Err(Refused::new(FaultCode::Authentication, USE_EMAIL_NOT_LOGIN));
    }
    let candidates = match state.store.users_by_email(username).await {
        Ok(c) => c,
        // An address no account can have (a NUL in it): bad input, answered like a wrong one.
        Err(pinreset_store::StoreError::InvalidInput(_)) => {
            return Err(Refused::new(FaultCode::Authentication, "The email address or password is not correct."))
        }
        Err(e) => {
            tracing::error!(error = %e, "looking up an enrolling user failed");
            return Err(Refused::new(FaultCode::InternalServiceFault, "The server could not check the sign-in; try again later."));
        }
    };
    let attempt = crate::sign_in::Attempt { client, candidates, password: password.expose(), request_id };
    crate::sign_in::verify(state, attempt).await.map_err(|refusal| {
        let now = state.clock.now();
        Refused {
            code: FaultCode::Authentication,
            reason: refusal.detail(now).english(),
            retry_after: refusal.retry_after_secs(now),
            busy: refusal == crate::sign_in::Refusal::Busy,
        }
    })
}

pub async fn policy(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    RequestId(request_id): RequestId,
    body: Bytes,
) -> Response {
    let req = match GetPoliciesRequest::decode(&body) {
        Ok(r) => r,
        Err(e) => return fault(FaultCode::MessageFormat, format!("The policy request is not valid: {e}"), None),
    };
    let relates = req.header.message_id.as_deref();
    if let Err(refused) = authenticate(&state, req.credentials(), false, client, request_id).await {
        return refused.into_fault(relates);
    }
    ok(PolicyResponse::default().encode(relates))
}

/// What the device told us about itself in the RST's AdditionalContext.
fn platform_of(os_version: &OsVersion, device_type: &str, os_edition: &str) -> Platform {
    let phone = device_type.to_ascii_lowercase().contains("phone") || os_edition.to_ascii_lowercase().contains("mobile");
    match (os_version.major(), phone) {
        (8, _) => Platform::WindowsPhone,
        (_, true) => Platform::WindowsMobile,
        _ => Platform::Windows,
    }
}

fn thumbprint(der: &[u8]) -> String {
    hex::encode_upper(Sha1::digest(der))
}

fn random_secret() -> String {
    Alphanumeric.sample_string(&mut rand::rngs::OsRng, 32)
}

/// The enrolled device whose current certificate the enrolling client presents (over TLS, or
/// through a configured proxy header): its CN must be the DeviceID and its serial bound to the
/// device. That is the proof that lets a device enroll again without an admin's approval.
async fn proven_device(state: &AppState, cert: Option<Vec<u8>>, device_key: &str) -> Result<Option<DeviceId>, pinreset_store::StoreError> {
    match cert {
        Some(cert) => super::proof::certificate_device(state, &cert, device_key).await,
        None => Ok(None),
    }
}

pub async fn enroll(
    State(state): State<AppState>,
    axum::Extension(channel): axum::Extension<std::sync::Arc<super::WindowsChannel>>,
    peer: Option<axum::Extension<crate::peer_cert::PeerCertificate>>,
    ClientAddr(client): ClientAddr,
    RequestId(request_id): RequestId,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let req = match RstRequest::decode(&body) {
        Ok(r) => r,
        Err(e) => return fault(FaultCode::MessageFormat, format!("The enrollment request is not valid: {e}"), None),
    };
    let relates = req.header.message_id.clone();
    let relates = relates.as_deref();
    let user = match authenticate(&state, req.credentials(), true, client, request_id).await {
        Ok(u) => u,
        Err(refused) => return refused.into_fault(relates),
    };
    let Some(device_key) =
        req.device_id().map(str::trim).filter(|d| !d.is_empty() && d.len() <= 128 && !d.chars().any(char::is_control)).map(str::to_owned)
    else {
        return fault(FaultCode::MessageFormat, "The request does not name the device (AdditionalContext DeviceID).", relates);
    };
    let csr =
        match req.csr_der().map_err(|e| e.to_string()).and_then(|der| pinreset_pki::parse_csr_leniently(&der).map_err(|e| e.to_string())) {
            Ok(c) => c,
            Err(e) => return fault(FaultCode::CertificateRequest, format!("The certificate request cannot be read: {e}"), relates),
        };
    let os_version = OsVersion::parse(req.os_version().unwrap_or("10.0")).unwrap_or_else(|_| OsVersion::parse("10.0").expect("literal"));
    let platform = platform_of(&os_version, req.device_type().unwrap_or(""), req.os_edition().unwrap_or(""));
    // EnrollmentType "Device" is an Azure AD join: the organisation owns the device.
    let aad_joined = req.enrollment_type().is_some_and(|t| t.eq_ignore_ascii_case("Device"));

    let tenant = match state.store.tenant(user.tenant_id).await {
        Ok(Some(t)) => t,
        Ok(None) => return fault(FaultCode::Authorization, "Your organisation is not set up on this server.", relates),
        Err(e) => return internal(e, relates),
    };
    let tls = peer.and_then(|axum::Extension(p)| p.0);
    let presented = crate::device_trust::connection_certificate(&state, tls.as_deref().map(Vec::as_slice), &headers).ok().flatten();
    let proven = match proven_device(&state, presented, &device_key).await {
        Ok(p) => p,
        Err(e) => return internal(e, relates),
    };
    let (existing, approval) = match reenrollment::admit(&state, IDENTITY_KIND, &device_key, &user, proven).await {
        Ok(Ok(Admission::New)) => (None, None),
        Ok(Ok(Admission::Proven(d))) => (Some(d), None),
        Ok(Ok(Admission::Approved(d, r))) => (Some(d), Some(r)),
        // The enrolled device is untouched: the user learns why and what to do.
        Ok(Err(refused)) => return fault(FaultCode::Authorization, refused.message(), relates),
        Err(e) => return internal(format!("{e:?}"), relates),
    };
    let now = state.clock.now();
    let mut device = Device {
        id: existing.as_ref().map(|d| d.id).unwrap_or_else(DeviceId::new),
        tenant_id: tenant.id,
        name: req.device_name().unwrap_or("Windows device").to_string(),
        platform,
        os_build: Some(os_version.part(2).to_string()),
        os_version,
        model: req.context("DeviceModel").or(req.device_type()).map(str::to_owned),
        serial_number: None,
        udid: Some(device_key.clone()),
        imei: None,
        ownership: if aad_joined { Ownership::Corporate } else { Ownership::Personal },
        management_mode: ManagementMode::Mdm,
        join_type: if aad_joined { JoinType::AzureAdJoined } else { JoinType::NotJoined },
        primary_user_id: Some(user.id),
        unlock_token_escrowed: false,
        reset_token: pinreset_core::ResetTokenState::None,
        enrolled_at: now,
        last_check_in: None,
        retired_at: None,
        inventoried_at: None,
        amapi_name: None,
    };
    pinreset_core::text::clean_device_record(&mut device);

    let ca = match device_ca::load_or_create(&state, &tenant).await {
        Ok(ca) => ca,
        Err(e) => return internal(format!("{e:?}"), relates),
    };
    let serial = rand::rngs::OsRng.next_u64() >> 1;
    let issued = match ca.issue_client_cert(&csr.spki_der, &device_key, serial, device_ca::now_offset(&state), CERT_DAYS) {
        Ok(c) => c,
        Err(e) => return fault(FaultCode::CertificateRequest, format!("The certificate request was refused: {e}"), relates),
    };
    let (client_secret, server_secret) = (Secret::new(random_secret()), Secret::new(random_secret()));
    let b64 = base64::engine::general_purpose::STANDARD;
    let nonce = || b64.encode(random_secret());
    let client_nonce = Secret::new(nonce());
    let doc = ProvisioningDoc {
        ca_cert: CertificateEntry { thumbprint_hex: thumbprint(ca.cert_der()), der_b64: b64.encode(ca.cert_der()) },
        client_cert: CertificateEntry { thumbprint_hex: thumbprint(&issued.der), der_b64: b64.encode(&issued.der) },
        client_store: if aad_joined { ClientCertStore::System } else { ClientCertStore::User },
        provider_id: PROVIDER_ID.into(),
        server_name: SERVER_NAME.into(),
        server_url: format!("{}{MANAGEMENT_PATH}", state.public_url),
        client_cert_subject_cn: Some(device_key.clone()),
        md5: Some(Md5Credentials {
            client_name: device_key.clone(),
            client_secret: client_secret.expose().to_string(),
            client_nonce_b64: client_nonce.expose().to_string(),
            server_name: SERVER_NAME.into(),
            server_secret: server_secret.expose().to_string(),
            server_nonce_b64: nonce(),
        }),
        poll: PollSchedule::default(),
        ent_device_name: req.device_name().map(|_| device.name.clone()),
    };

    // Record the device, its identities and its DM secrets in one transaction before answering:
    // a device that got its provisioning doc must find itself known at its first session, and
    // an identity another device holds makes the whole enrollment fail, changing nothing.
    let identities = [(IDENTITY_KIND, device_key.clone()), (CERT_SERIAL_KIND, crate::peer_cert::normalize_serial(&issued.serial_hex))];
    let audit: Vec<_> = existing
        .iter()
        .map(|old| {
            let how = approval.as_ref().map(|r| format!("approved:{}", r.id)).unwrap_or_else(|| "certificate".into());
            reenrollment::reenrolled_event(&state, old, format!("user:{}", user.login), &how)
        })
        .collect();
    let written = state
        .store
        .enroll(EnrollmentWrite {
            device: &device,
            replace_kinds: &[CERT_SERIAL_KIND],
            identities: &identities,
            drop_device_secrets: existing.is_some(),
            secrets: vec![
                NewSecret {
                    key: SecretKey::Device(device.id, pinreset_core::DeviceSecret::DmPassword),
                    secret: &client_secret,
                    expires_at: None,
                },
                NewSecret {
                    key: SecretKey::Device(device.id, pinreset_core::DeviceSecret::DmServerPassword),
                    secret: &server_secret,
                    expires_at: None,
                },
            ],
            dm_nonce: Some(client_nonce.expose()),
            spend_grant: None,
            complete_reenrollment: approval.as_ref(),
            audit: &audit,
        })
        .await;
    match written {
        Ok(()) => {}
        Err(pinreset_store::StoreError::Conflict(_)) => {
            let code = pinreset_core::ErrorCode::DeviceAlreadyEnrolled;
            return fault(FaultCode::Authorization, format!("{} {}", code.reason(), code.remedy()), relates);
        }
        Err(e) => return internal(e, relates),
    }
    if let Some(old) = &existing {
        // Commands queued for the previous enrollment are dropped with a reason.
        let cause = pinreset_core::Cause::System { component: "windows-enrollment".into() };
        let pending = match state.store.deliverable_actions(old.id).await {
            Ok(p) => p,
            Err(e) => return internal(e, relates),
        };
        for action in pending {
            if let Err(e) = crate::app::device_results::failed(
                &state,
                old.tenant_id,
                action.id,
                cause.clone(),
                pinreset_core::ErrorCode::DeviceReenrolled,
                None,
            )
            .await
            {
                tracing::warn!(error = ?e, "could not fail an action of the previous enrollment");
            }
        }
    }
    // A re-enrolled device has new DM credentials: never check it against the old ones.
    channel.auth.forget(&device_key);
    tracing::info!(device_id = %device.id, platform = device.platform.as_str(), "windows device enrolled");
    ok(RstrResponse { provisioning_doc: doc.to_xml(), request_id: "0".into(), timestamp: None }.encode(relates))
}
