//! What every handler and worker shares.

use crate::clock::Clock;
use crate::pending::PendingIndex;
use pinreset_store::Store;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    /// Devices with pending actions, for idle check-ins.
    pub pending: Arc<PendingIndex>,
    /// Bumped whenever a profile or an assignment changes, so channels know when a device
    /// that had nothing to apply must be looked at again.
    pub profiles_generation: Arc<std::sync::atomic::AtomicU64>,
    /// Signalled when a tenant's device CA is created, so TLS starts trusting its certificates.
    pub device_roots_changed: Arc<tokio::sync::Notify>,
    /// Device certificates that arrive outside the TLS handshake are checked against this.
    pub device_trust: Arc<crate::device_trust::DeviceTrust>,
    /// Signs Apple enrollment profiles with the server certificate (None: its key is unusable).
    pub profile_signer: Option<Arc<pinreset_pki::cms::CmsSigner>>,
    /// A header in which a TLS-terminating proxy passes the device's client certificate; only
    /// honoured when configured, since anyone can send a header.
    pub client_cert_header: Option<Arc<str>>,
    /// The URL devices are given for this server (`https://host[:port]`, no trailing slash).
    /// Never built from a request's Host header, which the sender chooses.
    pub public_url: Arc<str>,
    /// Where device pushes go.
    pub push: Arc<crate::app::push::PushConfig>,
    /// The device channels: what each encodes (the capability matrix's input) and how each
    /// wakes its devices (with the wakers' connections).
    pub channels: Arc<crate::channels::Registry>,
    /// Signalled when this instance queues an action, so its dispatcher works the outbox.
    pub outbox_queued: Arc<tokio::sync::Notify>,
    /// This instance's name among those sharing the database (holder of leases).
    pub instance: Arc<str>,
    /// Maintenance ticks this instance's worker has completed (run or skipped for another
    /// instance's lease): lets an operator or a test see the worker is alive.
    pub maintenance_ticks: Arc<std::sync::atomic::AtomicU64>,
    /// Every password check goes through it: bounded hashing, throttle, lockout.
    pub sign_in: Arc<crate::sign_in::PasswordGate>,
    /// Talks to the tenants' OpenID providers (single sign-on), with their discovery cache.
    pub oidc: Arc<crate::oidc::OidcHttp>,
    /// Prometheus metrics; records nothing unless `--metrics` or `--metrics-listen` is given.
    pub metrics: Arc<crate::metrics::Metrics>,
    /// The capability matrix's answer per kind of device, for the home page's readiness.
    pub readiness_answers: Arc<crate::app::readiness_answers::ClassAnswers>,
    /// Group commits for the writes made under load (`app/batched_writes.rs`).
    pub writes: Arc<crate::app::batched_writes::BatchedWrites>,
    /// Whether each tenant sends e-mail, as read a moment ago (`app/mail_settings_cache.rs`).
    pub mail_settings: Arc<crate::app::mail_settings_cache::MailSettingsCache>,
}

impl AppState {
    /// `sqlite` or `postgres`, for health and logs.
    pub fn backend(&self) -> &'static str {
        self.store.backend()
    }
}
