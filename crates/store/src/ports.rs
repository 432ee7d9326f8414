//! The storage ports: one trait per concern (in the spirit of nanomdm's split stores), all
//! implemented by each backend adapter. Callers pass `now` in; the store never reads a clock
//! for business decisions.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use pinreset_core::profile::{Assignments, Profile, ProfileId, SettingResult};
use pinreset_core::{
    ActionId, ActionKind, ActionState, ApiTokenInfo, AuditEvent, BulkJob, Device, DeviceGroup, DeviceGroupId, DeviceId, DeviceSecret,
    GroupKind, IdentityKind, MailSettings, NewAuditEvent, Ownership, Platform, Reenrollment, ReenrollmentState, RemoteAction, Secret,
    SsoSettings, Tenant, TenantId, TenantSecret, TenantSettings, User, UserAccount, UserGroup, UserGroupId, UserId, WebSession,
};

#[derive(Clone, Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness or optimistic-concurrency conflict; the text names what collided.
    #[error("conflict: {0}")]
    Conflict(String),
    /// A value no backend can store (a NUL character in text); the text names the field, never
    /// the value. Callers answer it as bad input, not as a server failure.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// A stored secret could not be unsealed (wrong master key or tampered row).
    #[error("a sealed secret could not be opened: wrong master key or corrupted data")]
    Unseal,
    /// Any database failure. The text never contains row values.
    #[error("database error: {0}")]
    Backend(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Clone, Debug, Default)]
pub struct DeviceFilter {
    pub platform: Option<Platform>,
    pub owner: Option<UserId>,
    pub ownership: Option<Ownership>,
    pub group: Option<DeviceGroupId>,
    /// Case-insensitive substring of name, model, serial, UDID or IMEI.
    pub search: Option<String>,
    /// Include retired devices (default: only managed ones).
    pub include_retired: bool,
    /// The list's order: a column, then the device id (both ascending or both descending).
    pub sort: DeviceSort,
    pub descending: bool,
    /// Keyset paging in the list's order: the page right after or right before this device.
    /// With it the page's offset is not used, so page 2,000 of 100,000 devices costs what
    /// page 1 costs. Its key must be the sort's (`DeviceSort::key_of`).
    pub keyset: Option<Keyset>,
}

/// What the device list can be ordered by. Each has a column of `devices` written with the
/// device (`key_of` computes it, for the store and for cursors alike) and an index led by
/// `(tenant_id, retired, column, id)`, so any page of any order is an index seek.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DeviceSort {
    #[default]
    Name,
    /// The primary user's display name ("" without one), kept in step when the user is renamed.
    Owner,
    Platform,
    /// Numerically, part by part (10.0.9 before 10.0.10).
    OsVersion,
    /// Never checked in sorts first (ascending).
    LastCheckIn,
}

/// A device's value in one of the orders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SortKey {
    Text(String),
    Int(i64),
}

impl DeviceSort {
    pub const ALL: [DeviceSort; 5] =
        [DeviceSort::Name, DeviceSort::Owner, DeviceSort::Platform, DeviceSort::OsVersion, DeviceSort::LastCheckIn];

    pub fn as_str(self) -> &'static str {
        match self {
            DeviceSort::Name => "name",
            DeviceSort::Owner => "owner",
            DeviceSort::Platform => "platform",
            DeviceSort::OsVersion => "os_version",
            DeviceSort::LastCheckIn => "last_check_in",
        }
    }

    pub fn parse(s: &str) -> Option<DeviceSort> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The `devices` column holding the key.
    pub fn column(self) -> &'static str {
        match self {
            DeviceSort::Name => "name",
            DeviceSort::Owner => "owner_name",
            DeviceSort::Platform => "platform",
            DeviceSort::OsVersion => "os_key",
            DeviceSort::LastCheckIn => "last_seen",
        }
    }

    /// The device's key in this order; `owner_name` is its primary user's display name (the
    /// device record holds only the user's id).
    pub fn key_of(self, d: &Device, owner_name: &str) -> SortKey {
        match self {
            DeviceSort::Name => SortKey::Text(d.name.clone()),
            DeviceSort::Owner => SortKey::Text(owner_name.to_string()),
            DeviceSort::Platform => SortKey::Text(d.platform.as_str().to_string()),
            DeviceSort::OsVersion => SortKey::Text(os_key(&d.os_version)),
            DeviceSort::LastCheckIn => SortKey::Int(d.last_check_in.map_or(0, |t| t.timestamp_millis())),
        }
    }
}

/// An OS version that sorts as text the way it does as numbers: each part zero-padded to the
/// ten digits a `u32` can have (`10.0.19045` → `0000000010.0000000000.0000019045`).
pub fn os_key(v: &pinreset_core::device::OsVersion) -> String {
    v.to_string().split('.').map(|p| format!("{:0>10}", p)).collect::<Vec<_>>().join(".")
}

/// Devices that the capability matrix cannot tell apart (see `reset_class`).
#[derive(Clone, Debug)]
pub struct ReadinessClass {
    /// Their `reset_class`.
    pub class: String,
    /// Any one of them: what the capability matrix is asked about (`devices_by_ids` reads it).
    pub sample: DeviceId,
    pub devices: u64,
    /// Of those, how many have not checked in (or enrolled) since the cut-off.
    pub silent: u64,
}

/// What a device's reset readiness depends on, as a short key: the device with everything
/// the capability matrix never looks at blanked (its identity, names, owner, times) — so two
/// devices with the same key get the same answer. When the matrix starts reading another
/// field, it is kept here by default (only the fields listed are blanked), and
/// `app::readiness`'s test compares the answers for every demo device and its blanked twin.
pub fn reset_class(d: &Device) -> String {
    let blank = Device {
        id: DeviceId(uuid::Uuid::nil()),
        name: String::new(),
        model: None,
        serial_number: None,
        udid: None,
        imei: None,
        primary_user_id: None,
        enrolled_at: DateTime::<Utc>::UNIX_EPOCH,
        last_check_in: None,
        inventoried_at: None,
        amapi_name: None,
        ..d.clone()
    };
    // FNV-1a over the canonical JSON: stable across releases and platforms (unlike std's
    // hasher), and 64 bits is plenty for the few dozen classes a fleet has.
    let json = serde_json::to_string(&blank).expect("devices serialize");
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in json.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// A device's place in the list's order: its key in the list's sort and its id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceCursor {
    pub key: SortKey,
    pub id: DeviceId,
}

impl DeviceCursor {
    /// A place in the default order (by name).
    pub fn by_name(name: &str, id: DeviceId) -> Self {
        DeviceCursor { key: SortKey::Text(name.to_string()), id }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Keyset {
    After(DeviceCursor),
    /// The page before: still returned in the list's order.
    Before(DeviceCursor),
}

#[derive(Clone, Copy, Debug)]
pub struct Page {
    pub offset: u32,
    pub limit: u32,
}

impl Default for Page {
    fn default() -> Self {
        Self { offset: 0, limit: 50 }
    }
}

#[derive(Clone, Debug)]
pub struct PageOf<T> {
    pub items: Vec<T>,
    pub total: u64,
}

#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    pub device_id: Option<DeviceId>,
    pub action_id: Option<ActionId>,
    /// The audit `actor` string, e.g. `user:alice`.
    pub actor: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// The event kind, e.g. `passcode_read`.
    pub kind: Option<pinreset_core::AuditKind>,
    /// The action kind the event is about, as stored (e.g. `reset_passcode`).
    pub action: Option<ActionKind>,
    /// Keyset paging: only events older than this sequence number.
    pub before_seq: Option<i64>,
    pub limit: u32,
}

/// Which of a tenant's actions the actions monitor lists.
#[derive(Clone, Debug, Default)]
pub struct ActionFilter {
    /// Any of these states (all when empty).
    pub states: Vec<ActionState>,
    pub kind: Option<ActionKind>,
    /// Case-insensitive substring of the device's name, model, serial, UDID or IMEI.
    pub device_search: Option<String>,
}

/// How many of a tenant's actions are under way or failed, and per UTC day of their request.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ActionCounts {
    /// The actions still pending and those that failed, by state (succeeded, expired and
    /// cancelled ones are not counted here: they are most of a tenant's history).
    pub by_state: Vec<(ActionState, u64)>,
    /// `(day, state, count)` for actions requested since the asked-for moment.
    pub by_day: Vec<(chrono::NaiveDate, ActionState, u64)>,
}

/// A wake-up to send to a device (APNs push, agent push), recorded in the same transaction as
/// the action that needs it so a crash between the two loses nothing.
#[derive(Clone, Debug, PartialEq)]
pub struct OutboxEntry {
    pub id: i64,
    pub tenant_id: TenantId,
    pub device_id: DeviceId,
    pub action_id: ActionId,
    pub created_at: DateTime<Utc>,
    /// Failed attempts so far.
    pub attempts: u32,
    /// Not to be tried before this (backoff after a failure); the creation time at first.
    pub next_attempt_at: DateTime<Utc>,
}

/// What a secret belongs to and what it is. Unlock tokens and reset tokens (later issues) use
/// the same sealed table as temporary passcodes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum SecretKey {
    /// The temporary passcode (or macOS lock PIN) an action produced.
    ActionPasscode(ActionId),
    /// An Apple UnlockToken, an Android reset token, a device's enrollment secret, ...
    Device(DeviceId, DeviceSecret),
    /// A tenant's device CA key, APNs push key, ...
    Tenant(TenantId, TenantSecret),
    /// A single sign-on in progress (its PKCE verifier, nonce and state), spent by the callback.
    SignIn(uuid::Uuid),
    /// A portal user asked to reset a device's passcode and must sign in again: what they
    /// asked and when, spent by the sign-in that follows.
    StepUpTicket(uuid::Uuid),
    /// A session's proof, moments ago, that its user may reset one device's passcode; keyed by
    /// the session, spent by one reset.
    StepUpGrant(uuid::Uuid),
}

#[derive(Debug)]
pub enum SecretLookup {
    Available {
        secret: Secret,
        expires_at: Option<DateTime<Utc>>,
    },
    /// It existed and its time is up (purged or about to be); the value is never returned.
    Expired {
        expired_at: DateTime<Utc>,
    },
    Missing,
}

/// A secret to seal and store inside a transition's transaction.
pub struct NewSecret<'a> {
    pub key: SecretKey,
    pub secret: &'a Secret,
    pub expires_at: Option<DateTime<Utc>>,
}

/// One action's transition to persist (`ActionStore::save_transitions`): the action as the
/// caller moved it, the state it must still have in the store, a secret to seal with it, and
/// the transition's audit events.
#[derive(Clone, Debug)]
pub struct TransitionWrite {
    pub action: RemoteAction,
    pub expected: ActionState,
    pub secret: Option<(SecretKey, Secret, Option<DateTime<Utc>>)>,
    pub audit: Vec<NewAuditEvent>,
}

/// After a saved transition: does the action's device still have deliverable actions?
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StillPending(pub bool);

/// One write of the action path for `ActionStore::commit_writes`. Whatever kind, every write
/// waiting at one moment shares one transaction: SQLite has a single writer, and the writes of
/// a thousand devices answering at once would otherwise queue for it in separate transactions.
#[derive(Clone, Debug)]
pub enum ActionPathWrite {
    /// Audit events of a device exchange (a command sent, an answer received).
    Audit(Vec<NewAuditEvent>),
    /// A new action, as `request_action`.
    Request(RemoteAction, Vec<NewAuditEvent>),
    /// An action's transition, as `save_transition`.
    Transition(TransitionWrite),
}

/// What became of one `ActionPathWrite`, in the order written.
// A request's outcome carries the action, as `request_action` returns it; one lives per write
// for the moment it is handed back, so boxing it would save nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub enum ActionPathWritten {
    Audit,
    Request(StoreResult<RequestOutcome>),
    Transition(StoreResult<StillPending>),
}

#[derive(Clone, Debug)]
pub enum RequestOutcome {
    /// The action was stored (with its outbox entry and audit events).
    Created(RemoteAction),
    /// An action of the same kind was already pending for the device; nothing was written.
    Existing(RemoteAction),
}

/// Everything one enrollment writes, in ONE transaction: the device record, its channel
/// identities, its credentials, and what the enrollment used up. An identity already bound to
/// another device makes the whole write fail with `Conflict` and change nothing, so an
/// enrollment can never silently take over a device that another one holds.
pub struct EnrollmentWrite<'a> {
    pub device: &'a Device,
    /// Identity kinds whose earlier bindings to this device are dropped first (the certificates
    /// of a previous enrollment).
    pub replace_kinds: &'a [IdentityKind],
    /// `(kind, external id)` to bind to the device.
    pub identities: &'a [(IdentityKind, String)],
    /// Destroy the device's earlier secrets (UnlockToken, DM password, …) first.
    pub drop_device_secrets: bool,
    pub secrets: Vec<NewSecret<'a>>,
    /// The device's first OMA-DM MD5 nonce (base64), replacing any earlier one.
    pub dm_nonce: Option<&'a str>,
    /// The Apple enrollment grant (certificate serial) this enrollment spends.
    pub spend_grant: Option<&'a str>,
    /// The approved re-enrollment request this enrollment completes (compare-and-set on
    /// `approved`: an approval is used once).
    pub complete_reenrollment: Option<&'a Reenrollment>,
    pub audit: &'a [NewAuditEvent],
}

impl<'a> EnrollmentWrite<'a> {
    /// Writes `device` and nothing else: fill in what the enrollment also does.
    pub fn for_device(device: &'a Device) -> Self {
        EnrollmentWrite {
            device,
            replace_kinds: &[],
            identities: &[],
            drop_device_secrets: false,
            secrets: vec![],
            dm_nonce: None,
            spend_grant: None,
            complete_reenrollment: None,
            audit: &[],
        }
    }
}

/// An Apple enrollment identity handed out and not yet spent by a completed enrollment.
#[derive(Clone, Debug)]
pub struct EnrollmentGrant {
    pub user: User,
    /// The UDID that first authenticated with it (an identity enrolls one device only).
    pub claimed_udid: Option<String>,
}

/// The `Conflict` text of a user change or deletion that would leave the tenant without an
/// enabled tenant admin (checked inside the writing transaction).
pub const LAST_TENANT_ADMIN: &str = "last enabled tenant admin";
/// The `Conflict` text of deleting a user who is still the primary user of devices and no
/// reassignment was asked for, or whose devices changed since the caller counted them.
pub const USER_OWNS_DEVICES: &str = "the user is the primary user of devices";

/// How an API token resolves.
#[derive(Clone, Debug)]
pub struct TokenOwner {
    pub user: User,
    pub label: String,
}

#[async_trait]
pub trait TenantStore: Send + Sync {
    async fn create_tenant(&self, tenant: &Tenant) -> StoreResult<()>;
    async fn tenant(&self, id: TenantId) -> StoreResult<Option<Tenant>>;
    async fn list_tenants(&self) -> StoreResult<Vec<Tenant>>;
    /// Settings change and its audit event, atomically.
    async fn update_tenant_settings(&self, id: TenantId, settings: &TenantSettings, audit: &NewAuditEvent) -> StoreResult<()>;
    /// Set up (`Some`, with its client secret) or remove single sign-on, in one transaction
    /// with the sealed client secret and the audit event.
    async fn update_tenant_sso(&self, id: TenantId, sso: Option<(&SsoSettings, &Secret)>, audit: &NewAuditEvent) -> StoreResult<()>;
    /// Set (with the SMTP password, if the server wants one) or remove the tenant's mail server,
    /// in one transaction with its audit event.
    async fn update_tenant_mail(
        &self,
        id: TenantId,
        mail: Option<(&MailSettings, Option<&Secret>)>,
        audit: &NewAuditEvent,
    ) -> StoreResult<()>;
    /// Bind (with the sealed service-account key) or unbind the tenant's Android Enterprise,
    /// in one transaction with its audit event.
    async fn update_tenant_android_enterprise(
        &self,
        id: TenantId,
        binding: Option<(&pinreset_core::AndroidEnterprise, &Secret)>,
        audit: &NewAuditEvent,
    ) -> StoreResult<()>;
}

/// An Android Management API command awaiting its outcome: the operation Google returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AmapiOperation {
    pub action_id: ActionId,
    pub tenant_id: TenantId,
    pub device_id: DeviceId,
    /// `enterprises/E/devices/D/operations/O`.
    pub name: String,
    pub issued_at: DateTime<Utc>,
    /// The command's duration past its issue: no outcome by then, and pinreset gives up.
    pub give_up_at: DateTime<Utc>,
    pub next_check_at: DateTime<Utc>,
}

/// Android Management API operations awaiting their outcome.
#[async_trait]
pub trait AmapiStore: Send + Sync {
    /// Remember the operation of an issued command (again for the same action: replaced).
    async fn record_amapi_operation(&self, op: &AmapiOperation) -> StoreResult<()>;
    async fn amapi_operation_of_action(&self, action: ActionId) -> StoreResult<Option<AmapiOperation>>;
    async fn amapi_operation_named(&self, name: &str) -> StoreResult<Option<AmapiOperation>>;
    /// Claim up to `limit` of the tenant's operations due at `now`: their `next_check_at` moves
    /// to `lease_until` in the same statement (PostgreSQL skips rows another claimer holds), so
    /// concurrent reconcilers get different operations or none.
    async fn claim_amapi_operations(
        &self,
        tenant: TenantId,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<AmapiOperation>>;
    /// The action is settled: forget its operation.
    async fn forget_amapi_operation(&self, action: ActionId) -> StoreResult<()>;
}

#[async_trait]
pub trait UserStore: Send + Sync {
    /// `password_hash` is an argon2 PHC string (hashed by the caller), `None` for SSO-only users.
    async fn create_user(&self, user: &User, password_hash: Option<&str>) -> StoreResult<()>;
    async fn user(&self, tenant: TenantId, id: UserId) -> StoreResult<Option<User>>;
    /// Logins are unique per tenant; returns the user and their password hash.
    async fn user_by_login(&self, tenant: TenantId, login: &str) -> StoreResult<Option<(User, Option<String>)>>;
    async fn list_users(&self, tenant: TenantId) -> StoreResult<Vec<User>>;
    /// Users with this email (case-insensitive) in any tenant, with their password hashes —
    /// device enrollment starts from an email address and must find the tenant from it.
    async fn users_by_email(&self, email: &str) -> StoreResult<Vec<(User, Option<String>)>>;
    /// Stores only the token's SHA-256 hash.
    async fn create_api_token(&self, user: UserId, token_sha256: &str, label: &str, now: DateTime<Utc>) -> StoreResult<()>;
    async fn user_by_api_token(&self, token_sha256: &str) -> StoreResult<Option<TokenOwner>>;
    /// A one-time token handed to a device's sign-in page (federated Windows enrollment);
    /// only its SHA-256 is stored.
    async fn create_enrollment_token(&self, token_sha256: &str, user: &User, expires_at: DateTime<Utc>) -> StoreResult<()>;
    /// The token's user if it is unexpired and unused. `consume` marks it used in the same
    /// statement, so two requests cannot both spend it.
    async fn enrollment_token_user(&self, token_sha256: &str, now: DateTime<Utc>, consume: bool) -> StoreResult<Option<User>>;
    /// An enrollment identity handed out for `user` (e.g. inside an Apple enrollment profile):
    /// the certificate serial (lower-case hex, no leading zeros) the device will present.
    async fn create_enrollment_grant(&self, cert_serial: &str, user: &User, now: DateTime<Utc>) -> StoreResult<()>;
    /// Whose enrollment identity this certificate serial is, while no enrollment has spent it.
    async fn enrollment_grant(&self, cert_serial: &str) -> StoreResult<Option<EnrollmentGrant>>;
    /// Claim an unspent grant for `udid`: true when it was unclaimed or already claimed by
    /// that UDID (compare-and-set, so an identity can never claim two devices).
    async fn claim_enrollment_grant(&self, cert_serial: &str, udid: &str) -> StoreResult<bool>;
    /// The user with their account state.
    async fn account(&self, tenant: TenantId, id: UserId) -> StoreResult<Option<UserAccount>>;
    /// The tenant's users with their account state, by login.
    async fn list_accounts(&self, tenant: TenantId) -> StoreResult<Vec<UserAccount>>;
    /// Create a user and its audit events in one transaction. A login the tenant already has
    /// gives `Conflict`.
    async fn add_user(&self, user: &User, password_hash: Option<&str>, audit: &[NewAuditEvent]) -> StoreResult<()>;
    /// Replace a user's record and state (and their password hash when `Some`) with audit, in
    /// one transaction. Leaving the tenant without an enabled tenant admin gives
    /// `Conflict(LAST_TENANT_ADMIN)` and writes nothing; a taken login gives `Conflict`.
    async fn update_user(&self, account: &UserAccount, password_hash: Option<&str>, audit: &[NewAuditEvent]) -> StoreResult<()>;
    /// Delete a user with their API tokens, group memberships and unused enrollment tokens and
    /// grants, in one transaction. `devices` are the devices the caller found the user to be the
    /// primary user of: if the stored set differs, or it is not empty and there is no
    /// `reassign_to` (a user of the same tenant), `Conflict(USER_OWNS_DEVICES)`; otherwise they
    /// move to `reassign_to`. The last enabled tenant admin gives `Conflict(LAST_TENANT_ADMIN)`.
    async fn delete_user(
        &self,
        tenant: TenantId,
        id: UserId,
        devices: &[DeviceId],
        reassign_to: Option<UserId>,
        audit: &[NewAuditEvent],
    ) -> StoreResult<()>;
    /// Store a new API token (only its SHA-256) under `id`, with audit, in one transaction.
    async fn issue_api_token(
        &self,
        user: UserId,
        id: uuid::Uuid,
        token_sha256: &str,
        label: &str,
        now: DateTime<Utc>,
        audit: &[NewAuditEvent],
    ) -> StoreResult<()>;
    /// The user's tokens, oldest first: never a value or hash.
    async fn list_api_tokens(&self, user: UserId) -> StoreResult<Vec<ApiTokenInfo>>;
    /// Revoke one of the user's tokens with audit; false (and nothing written) when the user
    /// has no such token.
    async fn revoke_api_token(&self, user: UserId, id: uuid::Uuid, audit: &[NewAuditEvent]) -> StoreResult<bool>;
    async fn user_group(&self, tenant: TenantId, id: UserGroupId) -> StoreResult<Option<UserGroup>>;
    async fn device_group(&self, tenant: TenantId, id: DeviceGroupId) -> StoreResult<Option<DeviceGroup>>;
    /// Create a group of `kind` with its members and audit, in one transaction. A member that
    /// is not a user (device) of the tenant gives `InvalidInput` and writes nothing.
    async fn add_group(
        &self,
        tenant: TenantId,
        kind: GroupKind,
        id: uuid::Uuid,
        name: &str,
        members: &[uuid::Uuid],
        audit: &[NewAuditEvent],
    ) -> StoreResult<()>;
    /// Add (`present`) or remove a member of a tenant's group, with audit when it changed
    /// anything; returns whether it did. A group, or a member to add, outside the tenant gives
    /// `NotFound`.
    async fn set_group_member(
        &self,
        tenant: TenantId,
        kind: GroupKind,
        group: uuid::Uuid,
        member: uuid::Uuid,
        present: bool,
        audit: &[NewAuditEvent],
    ) -> StoreResult<bool>;
    async fn create_user_group(&self, group: &UserGroup) -> StoreResult<()>;
    async fn create_device_group(&self, group: &DeviceGroup) -> StoreResult<()>;
    async fn list_user_groups(&self, tenant: TenantId) -> StoreResult<Vec<UserGroup>>;
    async fn list_device_groups(&self, tenant: TenantId) -> StoreResult<Vec<DeviceGroup>>;
}

#[async_trait]
pub trait DeviceStore: Send + Sync {
    /// Insert or replace the device record (enrollment, inventory update).
    async fn upsert_device(&self, device: &Device) -> StoreResult<()>;
    async fn device(&self, tenant: TenantId, id: DeviceId) -> StoreResult<Option<Device>>;
    /// The device and its tenant in one read (queuing an action needs both, thousands a second).
    async fn device_with_tenant(&self, tenant: TenantId, id: DeviceId) -> StoreResult<Option<(Device, Tenant)>>;
    async fn list_devices(&self, tenant: TenantId, filter: &DeviceFilter, page: Page) -> StoreResult<PageOf<Device>>;
    /// The tenant's managed devices (of one device group), grouped by what decides whether they
    /// could be reset (`reset_class`): one sample device id per class, how many devices it has,
    /// and how many of them have not been in touch since `silent_before`. One aggregate over
    /// an index, however many devices: what the home page's readiness figures are made of.
    async fn readiness_classes(
        &self,
        tenant: TenantId,
        group: Option<DeviceGroupId>,
        silent_before: DateTime<Utc>,
    ) -> StoreResult<Vec<ReadinessClass>>;
    /// The tenant's devices with these ids (any missing or of another tenant left out), in no
    /// particular order.
    async fn devices_by_ids(&self, tenant: TenantId, ids: &[DeviceId]) -> StoreResult<Vec<Device>>;
    /// Bind a channel's identity for a device (`kind` e.g. `windows-device-id`, `apple-udid`,
    /// `cert-serial`). Never moves a binding: one held by another device gives `Conflict`.
    async fn bind_identity(&self, kind: IdentityKind, external_id: &str, tenant: TenantId, device: DeviceId) -> StoreResult<()>;
    /// Record an enrollment atomically (see `EnrollmentWrite`).
    async fn enroll(&self, write: EnrollmentWrite<'_>) -> StoreResult<()>;
    /// The device leaves management, in one transaction: marked retired, its identities unbound
    /// (its old certificate can never revive it) and its secrets destroyed.
    async fn retire_device(&self, device: &Device, audit: &[NewAuditEvent]) -> StoreResult<()>;
    /// The device's current OMA-DM MD5 nonce (base64).
    async fn dm_nonce(&self, device: DeviceId) -> StoreResult<Option<String>>;
    /// Replace the nonce if it is still `current` (`None`: the device has none stored yet);
    /// false when another message used it first.
    async fn rotate_dm_nonce(&self, device: DeviceId, current: Option<&str>, next: &str) -> StoreResult<bool>;
    /// Forget every identity of `kind` bound to the device (e.g. the certificates of a previous
    /// enrollment).
    async fn unbind_identities(&self, device: DeviceId, kind: IdentityKind) -> StoreResult<()>;
    /// The device a channel identity belongs to, in any tenant (the identity decides the tenant).
    async fn device_by_identity(&self, kind: IdentityKind, external_id: &str) -> StoreResult<Option<Device>>;
}

#[async_trait]
pub trait ReenrollmentStore: Send + Sync {
    /// Record a request, unless one is already open for the same device and user: then that
    /// one is returned and nothing is written.
    async fn request_reenrollment(&self, request: &Reenrollment, audit: &[NewAuditEvent], now: DateTime<Utc>) -> StoreResult<Reenrollment>;
    async fn reenrollment(&self, tenant: TenantId, id: uuid::Uuid) -> StoreResult<Option<Reenrollment>>;
    /// Newest first.
    async fn list_reenrollments(&self, tenant: TenantId, limit: u32) -> StoreResult<Vec<Reenrollment>>;
    /// The open (pending or approved) request of `user` for `device`.
    async fn open_reenrollment(&self, device: DeviceId, user: UserId, now: DateTime<Utc>) -> StoreResult<Option<Reenrollment>>;
    /// Persist a decision if the stored state is still `expected` (else `Conflict`), with audit.
    async fn save_reenrollment(&self, request: &Reenrollment, expected: ReenrollmentState, audit: &[NewAuditEvent]) -> StoreResult<()>;
}

/// An Android agent enrollment token as stored (never the token: only its SHA-256 finds it).
#[derive(Clone, Debug, PartialEq)]
pub struct AndroidEnrollmentToken {
    pub tenant_id: TenantId,
    /// The user the enrolled device will belong to.
    pub user_id: UserId,
    pub ownership: pinreset_core::Ownership,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// One-time enrollment tokens of the Android agent (QR codes an admin shows the device).
#[async_trait]
pub trait AndroidEnrollmentStore: Send + Sync {
    /// Store the token's SHA-256 with what it grants, and its audit, in one transaction.
    async fn create_android_enrollment_token(
        &self,
        token_sha256: &str,
        token: &AndroidEnrollmentToken,
        audit: &[NewAuditEvent],
    ) -> StoreResult<()>;
    /// The token, if it is unexpired at `now` and unspent.
    async fn android_enrollment_token(&self, token_sha256: &str, now: DateTime<Utc>) -> StoreResult<Option<AndroidEnrollmentToken>>;
    /// Spend the token for `device` (compare-and-set on unspent and unexpired): of two
    /// enrollments presenting it, exactly one gets `true`.
    async fn spend_android_enrollment_token(&self, token_sha256: &str, device: DeviceId, now: DateTime<Utc>) -> StoreResult<bool>;
}

/// Web sessions, in the store so that any instance serves any request.
#[async_trait]
pub trait SessionStore: Send + Sync {
    /// Only the SHA-256 of the cookie token is kept.
    async fn create_session(&self, session: &WebSession, token_sha256: &str) -> StoreResult<()>;
    /// The live session (unexpired, unrevoked at `now`) whose token hashes to this.
    async fn session_by_token(&self, token_sha256: &str, now: DateTime<Utc>) -> StoreResult<Option<WebSession>>;
    /// The user proved who they are again in this session.
    async fn reauthenticated(&self, id: uuid::Uuid, at: DateTime<Utc>) -> StoreResult<()>;
    async fn revoke_session(&self, id: uuid::Uuid, at: DateTime<Utc>) -> StoreResult<()>;
    /// Every session of a user (disabled, password changed); returns how many were live.
    async fn revoke_user_sessions(&self, tenant: TenantId, user: UserId, at: DateTime<Utc>) -> StoreResult<u64>;
}

/// What a bulk job must still do, saved with it so another instance can finish it: the devices
/// chosen when it started (in the order they are handled; the job's items say how far it got)
/// and who asked (the job acts for them, whichever instance runs it).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BulkPlan {
    pub devices: Vec<DeviceId>,
    pub actor: pinreset_core::Actor,
    #[serde(default)]
    pub request_id: Option<String>,
}

/// Bulk jobs: created once, their progress saved by the instance running them (which holds
/// the job's lease), cancelled by an admin, taken over when their runner stops.
#[async_trait]
pub trait BulkStore: Send + Sync {
    /// Save a new job with its plan, run by `runner` until `until` (the lease).
    async fn create_bulk_job(&self, job: &BulkJob, plan: &BulkPlan, runner: &str, until: DateTime<Utc>) -> StoreResult<()>;
    /// Save the job's items and finish time, renew `runner`'s lease to `until`, and append
    /// `audit` — in ONE transaction, and only while `runner` still holds the job (a runner
    /// that lost its lease writes nothing: false). The cancellation (own column) is kept.
    async fn save_bulk_progress(&self, job: &BulkJob, runner: &str, until: DateTime<Utc>, audit: &[NewAuditEvent]) -> StoreResult<bool>;
    /// Take over up to `limit` unfinished jobs whose lease lapsed at `now` (their runner
    /// stopped): each is leased to `runner` until `until` in the statement that selects it, so
    /// two instances never take the same job.
    async fn claim_bulk_jobs(
        &self,
        runner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<(BulkJob, BulkPlan)>>;
    /// The job, with `cancelled_at` as stored.
    async fn bulk_job(&self, tenant: TenantId, id: uuid::Uuid) -> StoreResult<Option<BulkJob>>;
    /// Mark it cancelled (once; the first time is kept). False: no such job.
    async fn cancel_bulk_job(&self, tenant: TenantId, id: uuid::Uuid, at: DateTime<Utc>) -> StoreResult<bool>;
    /// The states of these actions of the tenant (unknown ids are left out).
    async fn action_states(&self, tenant: TenantId, ids: &[ActionId]) -> StoreResult<Vec<(ActionId, ActionState)>>;
}

/// OMA-DM multi-message sessions, kept where every instance sees them.
#[async_trait]
pub trait DmSessionStore: Send + Sync {
    /// The session's saved state (None: never saved, ended or expired at `now`).
    async fn dm_session(&self, device: DeviceId, session_id: &str, now: DateTime<Utc>) -> StoreResult<Option<String>>;
    /// Save (or replace) the session's state until `expires_at`.
    async fn save_dm_session(&self, device: DeviceId, session_id: &str, doc: &str, expires_at: DateTime<Utc>) -> StoreResult<()>;
    /// The session ended.
    async fn end_dm_session(&self, device: DeviceId, session_id: &str) -> StoreResult<()>;
    /// Drop sessions abandoned before `now`.
    async fn forget_expired_dm_sessions(&self, now: DateTime<Utc>) -> StoreResult<u64>;
}

/// Which portal notifications (action outcomes on a user's devices) the user has opened.
#[async_trait]
pub trait NotificationStore: Send + Sync {
    /// Remember that `user` opened the notification of `action` (again: no change).
    async fn mark_notification_read(&self, tenant: TenantId, user: UserId, action: ActionId, at: DateTime<Utc>) -> StoreResult<()>;
    /// The actions whose notification `user` has opened.
    async fn read_notifications(&self, tenant: TenantId, user: UserId) -> StoreResult<Vec<ActionId>>;
}

/// Messages seen before, for replay defences that must hold across instances.
#[async_trait]
pub trait ReplayStore: Send + Sync {
    /// Remember `digest` until `expires_at`; false when it was already remembered (a replay).
    async fn remember_message(&self, digest: &str, expires_at: DateTime<Utc>) -> StoreResult<bool>;
    /// Forget digests whose window has passed.
    async fn forget_expired_messages(&self, now: DateTime<Utc>) -> StoreResult<u64>;
    /// Take or renew the lease `name` for `holder` until `until`, if it is free, lapsed at
    /// `now`, or already held by `holder` (compare-and-set). False: another holder has it.
    async fn try_lease(&self, name: &str, holder: &str, now: DateTime<Utc>, until: DateTime<Utc>) -> StoreResult<bool>;
}

#[async_trait]
pub trait ActionStore: Send + Sync {
    /// Store a new action (already moved to `queued` by the caller), its outbox entry and its
    /// audit events in ONE transaction. If an action of the same kind is pending for the
    /// device — even one committed by a concurrent request a microsecond earlier — nothing is
    /// written and that action is returned.
    async fn request_action(&self, action: &RemoteAction, audit: &[NewAuditEvent]) -> StoreResult<RequestOutcome> {
        let mut outcomes = self.request_actions(&[(action.clone(), audit.to_vec())]).await?;
        outcomes.pop().ok_or_else(|| StoreError::Backend("no outcome for the request".into()))
    }
    /// `request_action` for many at once, in one transaction (a group commit of requests made
    /// concurrently): an outcome per request, in order. Asking again with the id of an action
    /// already stored returns that action as `Existing`, whatever its state.
    async fn request_actions(&self, batch: &[(RemoteAction, Vec<NewAuditEvent>)]) -> StoreResult<Vec<RequestOutcome>> {
        let writes: Vec<ActionPathWrite> = batch.iter().map(|(a, audit)| ActionPathWrite::Request(a.clone(), audit.clone())).collect();
        self.commit_writes(&writes)
            .await?
            .into_iter()
            .map(|w| match w {
                ActionPathWritten::Request(outcome) => outcome,
                _ => Err(StoreError::Backend("a request's outcome is missing".into())),
            })
            .collect()
    }
    async fn action(&self, tenant: TenantId, id: ActionId) -> StoreResult<Option<RemoteAction>>;
    /// Any tenant's action by id — for background workers acting for the system, never for a
    /// request (requests go through the tenant-scoped `action`).
    async fn action_for_system(&self, id: ActionId) -> StoreResult<Option<RemoteAction>>;
    /// A page of the tenant's actions for the actions monitor: failures first, then newest.
    async fn list_actions(&self, tenant: TenantId, filter: &ActionFilter, page: Page) -> StoreResult<PageOf<RemoteAction>>;
    /// Counts of the tenant's pending and failed actions by state, and of all its actions by day
    /// and state (those requested at or after `since`), computed by the database.
    async fn action_counts(&self, tenant: TenantId, since: DateTime<Utc>) -> StoreResult<ActionCounts>;
    /// Newest first.
    async fn actions_for_device(&self, tenant: TenantId, device: DeviceId) -> StoreResult<Vec<RemoteAction>>;
    /// The actions of `devices` requested at or after `since`, newest first: a person's recent
    /// resets and notifications, read from `since` on rather than each device's whole history.
    async fn recent_actions_of_devices(
        &self,
        tenant: TenantId,
        devices: &[DeviceId],
        since: DateTime<Utc>,
    ) -> StoreResult<Vec<RemoteAction>>;
    async fn pending_action(&self, device: DeviceId, kind: ActionKind) -> StoreResult<Option<RemoteAction>>;
    /// What a device should receive at check-in: its queued actions, those delivered but not
    /// yet answered (re-delivered after a lost session) and those acknowledged but not yet
    /// verified (an Apple reset's SecurityInfo), oldest first.
    async fn deliverable_actions(&self, device: DeviceId) -> StoreResult<Vec<RemoteAction>>;
    /// Devices with anything pending, to build the in-memory index idle check-ins consult.
    async fn devices_with_pending_actions(&self) -> StoreResult<Vec<DeviceId>>;
    /// Persist `action` (already transitioned by the caller) if its stored state is still
    /// `expected`, with an optional sealed secret and audit events, in ONE transaction.
    /// A state that moved meanwhile gives `Conflict` and writes nothing.
    async fn save_transition(
        &self,
        action: &RemoteAction,
        expected: ActionState,
        secret: Option<NewSecret<'_>>,
        audit: &[NewAuditEvent],
    ) -> StoreResult<()> {
        let write = TransitionWrite {
            action: action.clone(),
            expected,
            secret: secret.map(|s| (s.key, s.secret.clone(), s.expires_at)),
            audit: audit.to_vec(),
        };
        let mut outcomes = self.save_transitions(&[write]).await?;
        outcomes.pop().unwrap_or_else(|| Err(StoreError::Backend("no outcome for the transition".into()))).map(|_| ())
    }
    /// `save_transition` for many actions in one transaction (a group commit of device answers):
    /// each compare-and-set on its own, an outcome per write in order (`Conflict` for one whose
    /// state moved meanwhile, which writes nothing of its own). A saved write's outcome says
    /// whether its device still has deliverable actions, read in the same transaction with one
    /// statement for the whole batch (so the in-memory index learns it without a read per
    /// device once an action finishes).
    async fn save_transitions(&self, batch: &[TransitionWrite]) -> StoreResult<Vec<StoreResult<StillPending>>> {
        let writes: Vec<ActionPathWrite> = batch.iter().cloned().map(ActionPathWrite::Transition).collect();
        Ok(self
            .commit_writes(&writes)
            .await?
            .into_iter()
            .map(|w| match w {
                ActionPathWritten::Transition(outcome) => outcome,
                _ => Err(StoreError::Backend("a transition's outcome is missing".into())),
            })
            .collect())
    }
    /// Requests, transitions and device-exchange audit appends of many callers in ONE
    /// transaction (the action path's group commit): each write decided as alone — a request
    /// as `request_actions` (a pending action of its kind is returned, not duplicated), a
    /// transition as `save_transitions` (its own compare-and-set), an audit append always —
    /// and an outcome per write, in order. A write's audit events are stored iff it is.
    async fn commit_writes(&self, batch: &[ActionPathWrite]) -> StoreResult<Vec<ActionPathWritten>>;
    /// Pending actions whose lifetime ended before `now` (for the expiry worker).
    async fn overdue_actions(&self, now: DateTime<Utc>, limit: u32) -> StoreResult<Vec<RemoteAction>>;
    /// Undelivered wake-ups that are due at `now` (not backing off after a failure), oldest first.
    async fn outbox_pending(&self, now: DateTime<Utc>, limit: u32) -> StoreResult<Vec<OutboxEntry>>;
    /// Claim up to `limit` entries due at `now` for one dispatcher, oldest first: each is made
    /// not due until `lease_until`, so another dispatcher (this instance's or another's) gets
    /// other entries or none. The claimer ends the lease with `outbox_retry` or `outbox_done`;
    /// if it dies, the entry is due again when the lease lapses. PostgreSQL: `FOR UPDATE SKIP
    /// LOCKED`; SQLite: one writing statement (the database has a single writer).
    async fn claim_outbox(&self, now: DateTime<Utc>, lease_until: DateTime<Utc>, limit: u32) -> StoreResult<Vec<OutboxEntry>>;
    /// One more failed attempt: count it and leave the entry alone until `next_at`.
    async fn outbox_retry(&self, id: i64, next_at: DateTime<Utc>) -> StoreResult<()>;
    /// Delivered, or given up: never tried again.
    async fn outbox_done(&self, id: i64) -> StoreResult<()>;
    /// A dispatcher's batch settled at once: every entry in `done` is never tried again, and
    /// the batch's audit events (pushes sent, tokens dropped, pushes given up) are appended, in
    /// ONE transaction — so a settled wake-up always has its audit row, and a batch costs one
    /// commit instead of two per device.
    async fn outbox_settle(&self, done: &[i64], audit: &[NewAuditEvent]) -> StoreResult<()>;
    /// Wake-ups not yet done (due, leased or backing off), over every tenant: the outbox depth
    /// an operator watches. Counted through the `outbox_pending` partial index.
    async fn outbox_depth(&self) -> StoreResult<u64>;
}

#[async_trait]
pub trait SecretStore: Send + Sync {
    /// Seal and store (replacing any previous secret under the same key).
    async fn put_secret(&self, new: NewSecret<'_>) -> StoreResult<()>;
    /// Seal and store several secrets that belong together (a certificate and its key) in one
    /// transaction, replacing earlier ones: a reader never sees one without the other.
    async fn put_secrets(&self, new: &[NewSecret<'_>]) -> StoreResult<()>;
    /// Create secrets that must exist once (a tenant's device CA key and certificate): all of
    /// them in one transaction, or none when any already exists — then `false`, and the caller
    /// reads what the concurrent creator stored.
    async fn create_secrets(&self, new: &[NewSecret<'_>]) -> StoreResult<bool>;
    /// Unseal, unless expired at `now`.
    async fn secret(&self, key: &SecretKey, now: DateTime<Utc>) -> StoreResult<SecretLookup>;
    /// `secret` for many keys in one read: a lookup per key, in order.
    async fn secrets(&self, keys: &[SecretKey], now: DateTime<Utc>) -> StoreResult<Vec<SecretLookup>>;
    /// Destroy one secret (e.g. a push token APNs no longer accepts); absent is fine.
    async fn delete_secret(&self, key: &SecretKey) -> StoreResult<()>;
    /// Read and destroy a one-use secret in one step: of two concurrent takers, one gets it.
    /// `None` when absent or expired at `now`.
    async fn take_secret(&self, key: &SecretKey, now: DateTime<Utc>) -> StoreResult<Option<Secret>>;
    async fn delete_device_secrets(&self, device: DeviceId) -> StoreResult<()>;
    /// Destroy the sealed values whose time is up; keeps a tombstone so a later read says
    /// "expired" rather than "missing". Returns the keys purged (for audit).
    async fn purge_expired_secrets(&self, now: DateTime<Utc>) -> StoreResult<Vec<SecretKey>>;
}

#[async_trait]
pub trait AuditStore: Send + Sync {
    async fn append_audit(&self, events: &[NewAuditEvent]) -> StoreResult<()>;
    /// Newest first.
    async fn list_audit(&self, tenant: TenantId, filter: &AuditFilter) -> StoreResult<Vec<AuditEvent>>;
}

#[async_trait]
pub trait ProfileStore: Send + Sync {
    /// Insert or replace (the caller bumps `version` on change).
    async fn save_profile(&self, profile: &Profile) -> StoreResult<()>;
    async fn profile(&self, tenant: TenantId, id: ProfileId) -> StoreResult<Option<Profile>>;
    async fn list_profiles(&self, tenant: TenantId) -> StoreResult<Vec<Profile>>;
    async fn set_assignments(&self, tenant: TenantId, id: ProfileId, assignments: &Assignments) -> StoreResult<()>;
    async fn assignments(&self, tenant: TenantId, id: ProfileId) -> StoreResult<Assignments>;
    /// What a device answered per setting; replaces its earlier answer for the same URI.
    async fn record_setting_results(&self, device: DeviceId, profile: ProfileId, results: &[SettingResult]) -> StoreResult<()>;
    async fn setting_results(&self, profile: ProfileId) -> StoreResult<Vec<(DeviceId, SettingResult)>>;
}

/// Change notifications between instances sharing one database.
#[async_trait]
pub trait ChangeFeed: Send + Sync {
    /// Devices whose pending actions changed on any instance (PostgreSQL LISTEN/NOTIFY), for
    /// keeping in-memory indexes true. `None` where one instance owns the database (SQLite).
    async fn pending_changes(&self) -> StoreResult<Option<tokio::sync::mpsc::Receiver<DeviceId>>>;
}

/// Everything the server needs from storage.
pub trait Store:
    TenantStore
    + UserStore
    + SessionStore
    + NotificationStore
    + BulkStore
    + DmSessionStore
    + DeviceStore
    + ReenrollmentStore
    + AndroidEnrollmentStore
    + AmapiStore
    + ReplayStore
    + ActionStore
    + SecretStore
    + AuditStore
    + ProfileStore
    + ChangeFeed
{
    /// `sqlite` or `postgres`, for logs and health.
    fn backend(&self) -> &'static str;
    /// The connection pool's use right now (no database access), for metrics.
    fn pool_usage(&self) -> PoolUsage;
}

/// Connections of the store's pool.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PoolUsage {
    /// Open connections, idle or in use.
    pub open: u32,
    pub idle: u32,
    /// The most the pool will open.
    pub max: u32,
}
