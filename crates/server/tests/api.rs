//! End-to-end tests of the admin API: a real server over HTTPS on SQLite and on PostgreSQL,
//! seeded with the demo tenant. Device answers are driven through the application services the
//! channels will call (no device is faked inside the server).

use chrono::Duration;
use pinreset_core::{ActionId, Cause, ErrorCode, Secret, TenantId};
use pinreset_server::app::{device_results, maintenance};
use pinreset_server::clock::ManualClock;
use pinreset_server::demo::DemoCredentials;
use pinreset_server::{Running, ServeOptions};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

mod support {
    pub mod mosquitto;
    pub mod windows_device;
}
/// Plain HTTP behind a TLS-terminating proxy.
mod proxy;
use proxy::*;
/// Who may call which route: the whole API × every kind of principal.
mod authz;
use authz::*;
/// Web sessions, CSRF and the step-up rule.
mod sessions;
use sessions::*;
/// Device trust: takeovers, unproven and replayed messages, resets that never stick.
mod device_trust;
use device_trust::*;
/// Apple end to end: the device simulator, and identities from signatures and proxies.
mod apple {
    pub mod fleet;
    pub mod identity;
    pub mod sim;
}
/// Issue 13, item 1: the Android agent and its simulator, in tests/android/mod.rs.
mod android;
use android::*;
/// Issue 13, item 2: the Android Management API backend against the stand-in Google.
mod android_amapi;
use android_amapi::*;
/// Issue 9, item 4: the channel contract (refusals up front, outbox lease, APNs reuse,
/// maintenance lease), in tests/channels/mod.rs.
mod channels;
use channels::*;
/// Issue 8, item 8: the smaller defects (input hygiene, Host header, outbox retries, ...), in
/// tests/hygiene/mod.rs (a top-level tests/hygiene.rs would be a second test binary).
mod hygiene;
/// Abuse resistance: password floods and lockouts, slow connections.
mod abuse {
    pub mod connections;
    pub mod passwords;
}
/// Issue 11: the admin center in headless Chromium (SQLite only), in tests/browser/mod.rs.
mod browser;
/// Issue 10: last-seen times follow the devices' polls; sync asks a device to check in now.
mod check_ins;
/// Issue 11: single sign-on through a real OpenID provider (SQLite only), in tests/oidc/mod.rs.
mod oidc;
/// Issue 11: keyset paging of the device list (API and admin center), in tests/paging/mod.rs.
mod paging;
mod portal;
use portal::*;
mod bulk;
use bulk::*;
/// Issue 14, item 4: several instances on one database (OMA-DM sessions across them).
mod instances;
use instances::*;
use paging::*;
mod home;
use home::*;
/// Issue 12, item 4: notification e-mail through a real SMTP server.
mod mail;
/// Issue 14, item 5: Prometheus metrics scraped while a reset goes through, in tests/metrics/mod.rs.
mod metrics;
/// Issue 9, item 2: users, groups and API tokens.
mod users;
use abuse::passwords::*;
use apple::fleet::*;
use apple::identity::*;
use apple::sim::*;
use check_ins::*;
use hygiene::*;
use mail::*;
use metrics::*;
use users::*;

// ---- captured logs (nextest runs each test in its own process, so one global subscriber each)

#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn logs() -> &'static LogBuffer {
    static LOGS: OnceLock<LogBuffer> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buf = LogBuffer::default();
        let writer = buf.clone();
        let _ =
            tracing_subscriber::fmt().with_max_level(tracing::Level::TRACE).with_ansi(false).with_writer(move || writer.clone()).try_init();
        buf
    })
}

// ---- harness

#[derive(Clone, Copy)]
enum Backend {
    Sqlite,
    Postgres,
}

struct Harness {
    server: Running,
    http: reqwest::Client,
    clock: Arc<ManualClock>,
    creds: DemoCredentials,
    db_url: String,
    dir: tempfile::TempDir,
    /// The test's PostgreSQL database, dropped when the harness is (after the server).
    _database: Option<std::sync::Arc<pinreset_store::testing::TestDatabase>>,
}

async fn start(backend: Backend) -> Harness {
    start_with(backend, Default::default()).await
}

async fn start_with(backend: Backend, push: pinreset_server::app::push::PushConfig) -> Harness {
    start_configured(backend, |opts| opts.push = push).await
}

async fn start_configured(backend: Backend, configure: impl FnOnce(&mut ServeOptions)) -> Harness {
    logs();
    let dir = tempfile::tempdir().unwrap();
    let database = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => Some(std::sync::Arc::new(pinreset_store::testing::fresh_postgres().await)),
    };
    let db_url = database.as_ref().map_or_else(|| format!("sqlite://{}", dir.path().join("pinreset.db").display()), |d| d.url.clone());
    let mut opts = ServeOptions::new("127.0.0.1:0".parse().unwrap(), dir.path().to_path_buf());
    opts.database_url = Some(db_url.clone());
    opts.demo = true;
    configure(&mut opts);
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let server = pinreset_server::start(opts, clock.clone()).await.expect("server starts");
    let ca = std::fs::read(server.ca_pem.as_ref().expect("generated CA")).unwrap();
    let http = reqwest::Client::builder().add_root_certificate(reqwest::Certificate::from_pem(&ca).unwrap()).build().unwrap();
    let creds: DemoCredentials = serde_json::from_slice(&std::fs::read(dir.path().join("demo-credentials.json")).unwrap()).unwrap();
    Harness { server, http, clock, creds, db_url, dir, _database: database }
}

impl Harness {
    fn base(&self) -> String {
        self.server.base_url()
    }
    fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.server.base_url())
    }
    async fn get_as(&self, token: &str, path: &str) -> (StatusCode, Value) {
        let r = self.http.get(self.url(path)).bearer_auth(token).send().await.unwrap();
        (r.status(), r.json().await.unwrap_or(Value::Null))
    }
    async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.get_as(&self.creds.admin_token, path).await
    }
    async fn post_as(&self, token: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let mut req = self.http.post(self.url(path)).bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.unwrap();
        (r.status(), r.json().await.unwrap_or(Value::Null))
    }
    async fn post(&self, path: &str) -> (StatusCode, Value) {
        self.post_as(&self.creds.admin_token, path, None).await
    }
    /// The demo device whose name starts with `prefix`.
    async fn device(&self, prefix: &str) -> Value {
        let (s, page) = self.get("/devices?limit=500").await;
        assert_eq!(s, StatusCode::OK, "{page}");
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["name"].as_str().unwrap().starts_with(prefix))
            .cloned()
            .unwrap_or_else(|| panic!("no demo device {prefix}"))
    }
    fn state(&self) -> &pinreset_server::state::AppState {
        &self.server.state
    }
    /// Another organisation on the same server.
    async fn new_tenant(&self, name: &str) -> pinreset_core::Tenant {
        let tenant = pinreset_core::Tenant {
            id: TenantId::new(),
            directory_id: uuid::Uuid::new_v4(),
            display_name: name.into(),
            settings: pinreset_core::TenantSettings::default(),
            sso: None,
            mail: None,
            android_enterprise: None,
        };
        self.state().store.create_tenant(&tenant).await.unwrap();
        tenant
    }
    /// A user of `tenant`, with a password when given (stored as its argon2 hash).
    async fn new_user(
        &self,
        tenant: TenantId,
        login: &str,
        email: &str,
        role: pinreset_core::Role,
        password: Option<&str>,
    ) -> pinreset_core::User {
        let user = pinreset_core::User {
            id: pinreset_core::UserId::new(),
            tenant_id: tenant,
            login: login.into(),
            display_name: login.into(),
            email: email.into(),
            role,
        };
        let hash = password.map(pinreset_server::auth::hash_password);
        self.state().store.create_user(&user, hash.as_deref()).await.unwrap();
        user
    }
    fn tenant(&self, action: &Value) -> TenantId {
        action["tenant_id"].as_str().unwrap().parse().unwrap()
    }
}

/// Stop the server and start a new one on the same data directory and database: a restart.
async fn restart(h: Harness) -> Harness {
    let Harness { server, http, clock, creds, db_url, dir, _database } = h;
    server.shutdown().await;
    let mut opts = ServeOptions::new("127.0.0.1:0".parse().unwrap(), dir.path().to_path_buf());
    opts.database_url = Some(db_url.clone());
    let server = pinreset_server::start(opts, clock.clone()).await.expect("server restarts");
    Harness { server, http, clock, creds, db_url, dir, _database }
}

fn action_id(a: &Value) -> ActionId {
    a["id"].as_str().unwrap().parse().unwrap()
}

fn device_cause(a: &Value) -> Cause {
    Cause::Device { device_id: a["device_id"].as_str().unwrap().parse().unwrap() }
}

/// Drive an action the way a device channel will: delivered, acknowledged, succeeded.
async fn device_sets_passcode(h: &Harness, action: &Value, passcode: &str) {
    let (t, id, cause) = (h.tenant(action), action_id(action), device_cause(action));
    device_results::delivered(h.state(), t, id, cause.clone()).await.unwrap();
    device_results::acknowledged(h.state(), t, id, cause.clone()).await.unwrap();
    device_results::succeeded(h.state(), t, id, cause, device_results::DeviceOutcome::TemporaryPasscode(Secret::new(passcode)))
        .await
        .unwrap();
}

macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite { $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $name() { super::$name(super::Backend::Sqlite).await } )* }
        mod postgres { $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $name() { super::$name(super::Backend::Postgres).await } )* }
    };
}

on_both_backends!(
    amapi_device_owners_on_android_6_and_13_get_the_passcode_the_admin_sees,
    amapi_device_deleted_at_google_is_retired_by_the_sync,
    amapi_android_14_work_profile_gets_a_work_profile_passcode,
    amapi_refusal_rows_send_no_command,
    amapi_command_failures_leave_the_action_failed_with_the_reason,
    amapi_offline_device_is_given_up_after_the_command_duration,
    amapi_outcome_published_before_the_issue_answer_still_settles,
    amapi_binding_refuses_bad_input_and_keeps_its_secrets,
    amapi_every_request_matches_the_discovery_document,
    a_windows_session_alternating_between_instances_delivers_once,
    a_bulk_job_whose_instance_died_is_resumed_once_per_device,
    a_reset_is_mailed_to_the_device_owner_without_the_passcode,
    android_14_work_profile_reset_sets_the_work_profiles_passcode,
    android_agent_is_woken_over_mqtt_and_nothing_secret_crosses_it,
    android_agent_without_a_broker_long_polls,
    android_certificate_renewal_needs_the_current_certificate,
    a_second_enrollment_claiming_a_serial_takes_nothing,
    android_agent_enrolls_only_with_a_live_one_time_token,
    android_6_device_admin_reset_gives_the_passcode_the_device_took,
    android_14_device_owner_resets_with_its_escrowed_token_kept_secret,
    android_token_inactive_on_the_device_fails_the_reset_with_its_reason,
    android_7_device_admin_is_refused_with_the_factory_reset_remedy,
    android_credentials_and_answers_cannot_be_forged_or_replayed,
    plain_http_behind_a_tls_terminating_proxy,
    device_list_pages_by_keyset,
    device_pages_walk_forward_and_back,
    device_pages_sort_by_every_column,
    api_device_list_sorts_by_every_column,
    device_list_filters_and_follows_a_renamed_owner,
    home_readiness_figures_match_the_report_after_changes,
    every_route_answers_each_role_as_written,
    web_sessions_and_the_step_up_rule,
    portal_resets_are_rate_limited,
    portal_step_up_cannot_be_borrowed_or_replayed,
    portal_sign_in_locks_out_with_retry_after,
    bulk_reset_over_a_group_reports_every_device,
    windows_device_ids_cannot_be_taken_over,
    apple_profiles_cannot_claim_an_enrolled_udid,
    windows_session_messages_need_the_device_proof,
    mdm_signatures_are_not_replayed,
    apple_reset_verification_is_asked_again,
    windows_pin_is_not_lost_across_a_restart,
    simulated_iphone_gets_its_passcode_removed_through_apns,
    concurrent_locks_push_each_device_once_and_all_succeed,
    sixteen_concurrent_first_enrollments_share_one_device_ca,
    simulated_apple_devices_are_served_as_their_kind_allows,
    apple_identity_from_a_signature_or_a_proxy_header,
    apple_reset_pushes_the_device_through_apns,
    apple_device_enrolls_from_a_downloaded_profile,
    simulated_windows_devices_enroll_and_get_their_pin_reset,
    apple_mac_lock_shows_the_pin_the_mac_received,
    apple_passcode_is_cleared_with_the_escrowed_unlock_token,
    windows_sessions_survive_a_dying_device_and_unenrollment,
    windows_sessions_authenticate_by_client_certificate,
    windows_federated_enrollment_uses_a_one_time_token,
    windows_profile_is_delivered_in_the_next_session,
    windows_reset_and_lock_through_oma_dm_sessions,
    windows_enrollment_speaks_ms_mde2,
    windows_profile_status_per_device,
    enable_pin_recovery_is_for_desktop_windows_only,
    the_device_ca_is_created_once_and_sealed,
    check_ins_get_pending_actions_until_answered,
    demo_lists_devices_and_explains_the_android_7_refusal,
    reset_passcode_shows_the_temporary_passcode_for_seven_days,
    concurrent_resets_create_exactly_one_action,
    first_enrollments_at_once_share_one_device_ca,
    a_known_passcode_never_appears_in_clear,
    roles_limit_what_can_be_done,
    bad_input_is_refused_and_changes_nothing,
    unanswered_actions_expire,
    windows_reset_needs_the_tenant_consent,
    device_failures_carry_reason_and_remedy,
    rename_and_filters,
    openapi_and_health,
    outbox_failures_back_off_and_never_stop_the_others,
    device_text_in_the_audit_is_bounded_and_request_ids_sane,
    nul_and_unsafe_names_are_bad_input_on_both_backends,
    host_header_is_never_echoed_to_devices,
    discovery_answers_known_and_unknown_emails_alike,
    query_string_errors_are_problem_details,
    abuse_password_flood_leaves_the_admin_api_responsive,
    abuse_repeated_failures_lock_the_account_and_back_off_the_address,
    remove_and_rename_reach_the_device_or_are_refused_up_front,
    an_action_the_channel_cannot_encode_fails_instead_of_sitting_in_delivered,
    apns_pushes_reuse_one_connection,
    a_device_pushed_before_its_request_returned_gets_the_command,
    maintenance_runs_on_one_instance_per_tick,
    users_are_managed_by_tenant_admins_only,
    refusals_carry_a_detail_code_and_its_arguments,
    users_disabled_lose_their_tokens_and_passwords,
    users_owning_devices_are_deleted_only_with_reassignment,
    groups_are_created_and_their_members_changed,
    tokens_are_shown_once_and_revoked,
    apple_last_seen_follows_command_polls,
    sync_wakes_a_pushable_device_and_explains_the_others,
    metrics_count_a_reset_from_request_to_verified_and_name_no_one,
    metrics_follow_a_simulated_iphone_through_apns,
);

async fn demo_lists_devices_and_explains_the_android_7_refusal(b: Backend) {
    let h = start(b).await;
    let (s, page) = h.get("/devices?limit=500").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(page["total"], 14, "one demo device per capability row");
    let pixel = h.device("Pixel (Android 7.1").await;
    let (s, detail) = h.get(&format!("/devices/{}", pixel["id"].as_str().unwrap())).await;
    assert_eq!(s, StatusCode::OK);
    let cap = &detail["capabilities"]["reset_passcode"];
    assert_eq!(cap["status"], "unsupported", "{detail}");
    assert_eq!(cap["code"], "android_device_admin_unsupported");
    assert!(cap["remedy"].as_str().unwrap().contains("factory reset"), "{cap}");
    assert_eq!(detail["capabilities"]["reset_device"]["status"], "supported");
    assert_eq!(detail["owner"]["login"].as_str().map(|l| ["alice", "bob", "carol"].contains(&l)), Some(true));

    // Asking anyway: refused with the same reason, audited, nothing queued.
    let (s, problem) = h.post(&format!("/devices/{}/actions/reset-passcode", pixel["id"].as_str().unwrap())).await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(problem["code"], "android_device_admin_unsupported");
    assert!(problem["remedy"].as_str().unwrap().contains("factory reset"));
    let (_, history) = h.get(&format!("/devices/{}/actions", pixel["id"].as_str().unwrap())).await;
    assert_eq!(history.as_array().unwrap().len(), 0);
    let (_, audit) = h.get(&format!("/audit?device={}", pixel["id"].as_str().unwrap())).await;
    assert_eq!(audit[0]["kind"], "action_refused");
    assert_eq!(audit[0]["outcome"], "refused:android_device_admin_unsupported");
    assert_eq!(audit[0]["actor"], "user:admin");
    h.server.shutdown().await;
}

async fn reset_passcode_shows_the_temporary_passcode_for_seven_days(b: Backend) {
    let h = start(b).await;
    let galaxy = h.device("Galaxy S5").await;
    let (s, action) = h.post(&format!("/devices/{}/actions/reset-passcode", galaxy["id"].as_str().unwrap())).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{action}");
    assert_eq!(action["state"], "queued");
    assert_eq!(action["deduplicated"], false);
    let path = format!("/actions/{}", action["id"].as_str().unwrap());

    // Not yet succeeded: no passcode to show.
    let (s, p) = h.get(&format!("{path}/passcode")).await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::NOT_FOUND, Some("passcode_not_available")));

    let device_id: pinreset_core::DeviceId = galaxy["id"].as_str().unwrap().parse().unwrap();
    assert!(h.state().pending.has_pending(device_id), "an idle check-in would now find work");
    device_sets_passcode(&h, &action, "Kp4mRt7x").await;
    assert!(!h.state().pending.has_pending(device_id), "nothing left for the device");
    let (_, shown) = h.get(&path).await;
    assert_eq!(shown["state"], "succeeded");
    assert_eq!(shown["passcode_available"], true);
    let states: Vec<_> = shown["history"].as_array().unwrap().iter().map(|t| t["to"].as_str().unwrap().to_string()).collect();
    assert_eq!(states, ["requested", "queued", "delivered", "acknowledged", "succeeded"]);
    let (s, p) = h.get(&format!("{path}/passcode")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(p["passcode"], "Kp4mRt7x");
    // Help desk may read it too; each read is audited.
    let (s, p) = h.get_as(&h.creds.helpdesk_token, &format!("{path}/passcode")).await;
    assert_eq!((s, p["passcode"].as_str()), (StatusCode::OK, Some("Kp4mRt7x")));
    // The request and each read name the address they came from (an API token has no session).
    let (_, audit) = h.get(&format!("/audit?device={device_id}&limit=100")).await;
    for kind in ["action_requested", "passcode_read"] {
        let e = audit.as_array().unwrap().iter().find(|e| e["kind"] == kind).unwrap();
        assert_eq!(e["origin"], "client=127.0.0.1", "{e}");
    }
    let delivered = audit.as_array().unwrap().iter().find(|e| e["kind"] == "action_transition").unwrap();
    assert!(delivered["origin"].is_null(), "the server's own steps have no origin: {delivered}");

    // Six days later it is still there; after seven it is gone for good.
    h.clock.advance(Duration::days(6));
    maintenance::run_once(h.state()).await.unwrap();
    assert_eq!(h.get(&format!("{path}/passcode")).await.0, StatusCode::OK);
    h.clock.advance(Duration::days(1) + Duration::minutes(1));
    let report = maintenance::run_once(h.state()).await.unwrap();
    assert_eq!(report.secrets_purged, 1);
    let (s, p) = h.get(&format!("{path}/passcode")).await;
    assert_eq!(s, StatusCode::GONE);
    assert_eq!(p["code"], "passcode_expired");
    assert!(!p.to_string().contains("Kp4mRt7x"));
    let (_, shown) = h.get(&path).await;
    assert_eq!(shown["passcode_available"], false);

    let (_, audit) = h.get(&format!("/audit?action={}", action["id"].as_str().unwrap())).await;
    let kinds: Vec<_> = audit.as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap().to_string()).collect();
    assert_eq!(kinds.iter().filter(|k| *k == "passcode_read").count(), 3, "{kinds:?}");
    assert!(kinds.contains(&"passcode_purged".to_string()), "{kinds:?}");
    assert!(kinds.contains(&"passcode_read_refused".to_string()), "{kinds:?}");
    assert!(kinds.contains(&"action_requested".to_string()), "{kinds:?}");
    h.server.shutdown().await;
}

async fn concurrent_resets_create_exactly_one_action(b: Backend) {
    let h = Arc::new(start(b).await);
    let galaxy = h.device("Galaxy S5").await;
    let path = format!("/devices/{}/actions/reset-passcode", galaxy["id"].as_str().unwrap());
    let mut tasks = Vec::new();
    for i in 0..12 {
        let (h, path) = (h.clone(), path.clone());
        tasks.push(tokio::spawn(async move {
            let token = if i % 2 == 0 { h.creds.admin_token.clone() } else { h.creds.helpdesk_token.clone() };
            h.post_as(&token, &path, None).await
        }));
    }
    let mut ids = std::collections::HashSet::new();
    let mut created = 0;
    for t in tasks {
        let (s, a) = t.await.unwrap();
        assert_eq!(s, StatusCode::ACCEPTED, "{a}");
        ids.insert(a["id"].as_str().unwrap().to_string());
        if a["deduplicated"] == false {
            created += 1;
        }
    }
    assert_eq!(ids.len(), 1, "all requests got the same action");
    assert_eq!(created, 1);
    let (_, history) = h.get(&format!("/devices/{}/actions", galaxy["id"].as_str().unwrap())).await;
    assert_eq!(history.as_array().unwrap().len(), 1);
}

async fn a_known_passcode_never_appears_in_clear(b: Backend) {
    const KNOWN: &str = "Zq7Wm3Kp";
    let h = start(b).await;
    let galaxy = h.device("Galaxy S5").await;
    let (_, action) = h.post(&format!("/devices/{}/actions/reset-passcode", galaxy["id"].as_str().unwrap())).await;
    device_sets_passcode(&h, &action, KNOWN).await;
    let (_, p) = h.get(&format!("/actions/{}/passcode", action["id"].as_str().unwrap())).await;
    assert_eq!(p["passcode"], KNOWN, "the value is readable through the API");

    // Audit rows (through the API and as stored).
    let (_, audit) = h.get("/audit?limit=1000").await;
    assert!(!audit.to_string().contains(KNOWN));
    // Logs at trace level, server and store included.
    let logged = String::from_utf8_lossy(&logs().0.lock().unwrap()).to_string();
    assert!(logged.contains("action queued"), "trace logs were captured");
    assert!(!logged.contains(KNOWN), "passcode leaked into the logs");
    // The database.
    assert_not_in_database(h, b, &[KNOWN]).await;
}

/// Stop the server and look for each of `secrets` in every byte the database holds (SQLite's
/// files with their write-ahead log; every PostgreSQL row as text, bytea as hex).
async fn assert_not_in_database(h: Harness, b: Backend, secrets: &[&str]) {
    match b {
        Backend::Sqlite => {
            h.server.shutdown().await;
            for name in ["pinreset.db", "pinreset.db-wal", "pinreset.db-shm"] {
                if let Ok(bytes) = std::fs::read(h.dir.path().join(name)) {
                    for secret in secrets {
                        assert!(!bytes.windows(secret.len()).any(|w| w == secret.as_bytes()), "a secret in clear in {name}");
                    }
                }
            }
        }
        Backend::Postgres => {
            let dump = dump_all_postgres_tables(&h.db_url).await;
            assert!(dump.contains("schema_migrations") || dump.lines().count() > 10, "the dump covers the tables");
            for secret in secrets {
                assert!(!dump.contains(secret), "a secret in clear in PostgreSQL");
                // bytea columns render as hex in ::text
                let hex: String = secret.bytes().map(|b| format!("{b:02x}")).collect();
                assert!(!dump.contains(&hex), "a secret in clear in a PostgreSQL bytea column");
            }
            h.server.shutdown().await;
        }
    }
}

/// Every row of every table of the test database, as text.
async fn dump_all_postgres_tables(url: &str) -> String {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
    let tables: Vec<(String,)> = sqlx::query_as("SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    assert!(tables.len() >= 5, "found the tables: {tables:?}");
    let mut out = String::new();
    for (table,) in tables {
        let rows: Vec<(String,)> = sqlx::query_as(&format!("SELECT t::text FROM \"{table}\" t")).fetch_all(&mut conn).await.unwrap();
        for (row,) in rows {
            out.push_str(&row);
            out.push('\n');
        }
    }
    out
}

async fn roles_limit_what_can_be_done(b: Backend) {
    let h = start(b).await;
    let galaxy = h.device("Galaxy S5").await;
    let id = galaxy["id"].as_str().unwrap();
    let (s, p) = h.post_as(&h.creds.helpdesk_token, &format!("/devices/{id}/actions/reset-device"), None).await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::FORBIDDEN, Some("role_forbidden")));
    let (s, p) = h.post_as(&h.creds.helpdesk_token, &format!("/devices/{id}/actions/remove"), None).await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::FORBIDDEN, Some("role_forbidden")));
    let (s, _) = h.post_as(&h.creds.helpdesk_token, &format!("/devices/{id}/actions/remote-lock"), None).await;
    assert_eq!(s, StatusCode::ACCEPTED);
    // Help desk sees the refusal up front in the device detail.
    let (_, d) = h.get_as(&h.creds.helpdesk_token, &format!("/devices/{id}")).await;
    assert_eq!(d["capabilities"]["reset_device"]["code"], "role_forbidden");
    assert_eq!(d["capabilities"]["reset_passcode"]["status"], "supported");
    // Consent is the tenant admin's.
    let (s, _) = h.post_as(&h.creds.helpdesk_token, "/tenant/pin-reset-consent", Some(json!({"granted": false}))).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

async fn bad_input_is_refused_and_changes_nothing(b: Backend) {
    let h = start(b).await;
    let galaxy = h.device("Galaxy S5").await;
    let id = galaxy["id"].as_str().unwrap();
    let (_, before) = h.get("/audit?limit=1000").await;

    let cases: Vec<(reqwest::RequestBuilder, StatusCode, &str)> = vec![
        (h.http.post(h.url(&format!("/devices/{id}/actions/explode"))), StatusCode::BAD_REQUEST, "invalid_input"),
        (h.http.post(h.url("/devices/not-a-uuid/actions/reset-passcode")), StatusCode::BAD_REQUEST, "invalid_input"),
        (h.http.post(h.url(&format!("/devices/{}/actions/reset-passcode", uuid::Uuid::new_v4()))), StatusCode::NOT_FOUND, "not_found"),
        (
            h.http.post(h.url(&format!("/devices/{id}/actions/rename"))).json(&json!({"name": "  "})),
            StatusCode::BAD_REQUEST,
            "invalid_input",
        ),
        (
            h.http.post(h.url(&format!("/devices/{id}/actions/rename"))).json(&json!({"nmae": "x"})),
            StatusCode::BAD_REQUEST,
            "invalid_input",
        ),
        (h.http.post(h.url(&format!("/devices/{id}/actions/rename"))).body("{not json"), StatusCode::BAD_REQUEST, "invalid_input"),
        (
            h.http.post(h.url(&format!("/devices/{id}/actions/rename"))).json(&json!({"name": "x".repeat(200)})),
            StatusCode::BAD_REQUEST,
            "invalid_input",
        ),
        (
            h.http.post(h.url(&format!("/devices/{id}/actions/reset-passcode"))).json(&json!({"name": "x"})),
            StatusCode::BAD_REQUEST,
            "invalid_input",
        ),
        (h.http.get(h.url("/devices?platform=blackberry")), StatusCode::BAD_REQUEST, "invalid_input"),
        (h.http.get(h.url("/devices?limit=0")), StatusCode::BAD_REQUEST, "invalid_input"),
        (h.http.get(h.url("/audit?since=yesterday")), StatusCode::BAD_REQUEST, "invalid_input"),
        (h.http.get(h.url("/nope")), StatusCode::NOT_FOUND, "not_found"),
    ];
    for (req, status, code) in cases {
        let r = req.bearer_auth(&h.creds.admin_token).send().await.unwrap();
        let got = r.status();
        let ctype = r.headers()["content-type"].to_str().unwrap().to_string();
        let body: Value = r.json().await.unwrap();
        assert_eq!((got, body["code"].as_str()), (status, Some(code)), "{body}");
        assert_eq!(ctype, "application/problem+json");
        assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()) && body["remedy"].is_string(), "{body}");
    }
    // Authentication problems.
    let r = h.http.get(h.url("/devices")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = h.http.get(h.url("/devices")).bearer_auth("prt_forged").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    // An oversized body is refused before it is read. The server may answer and close while the
    // client is still sending; a reset connection is then retried, an answer must be 413.
    let mut status = None;
    for _ in 0..5 {
        let sent = h
            .http
            .post(h.url(&format!("/devices/{id}/actions/rename")))
            .bearer_auth(&h.creds.admin_token)
            .body(vec![b' '; 200_000])
            .send()
            .await;
        if let Ok(r) = sent {
            status = Some(r.status());
            break;
        }
    }
    assert_eq!(status, Some(StatusCode::PAYLOAD_TOO_LARGE));

    let (_, history) = h.get(&format!("/devices/{id}/actions")).await;
    assert_eq!(history.as_array().unwrap().len(), 0, "nothing was queued");
    let (_, after) = h.get("/audit?limit=1000").await;
    assert_eq!(before.as_array().unwrap().len(), after.as_array().unwrap().len(), "nothing was audited as done");
    let (_, d) = h.get(&format!("/devices/{id}")).await;
    assert_eq!(d["device"]["name"], galaxy["name"]);
}

async fn unanswered_actions_expire(b: Backend) {
    let h = start(b).await;
    let galaxy = h.device("Galaxy S5").await;
    let (_, action) = h.post(&format!("/devices/{}/actions/reset-passcode", galaxy["id"].as_str().unwrap())).await;
    h.clock.advance(Duration::days(6) + Duration::hours(23));
    assert_eq!(maintenance::run_once(h.state()).await.unwrap().actions_expired, 0);
    h.clock.advance(Duration::hours(1));
    assert_eq!(maintenance::run_once(h.state()).await.unwrap().actions_expired, 1);
    let (_, a) = h.get(&format!("/actions/{}", action["id"].as_str().unwrap())).await;
    assert_eq!(a["state"], "expired");
    assert_eq!(a["failure_view"]["code"], "action_expired");
    // A late device answer cannot resurrect it.
    let err = device_results::delivered(h.state(), h.tenant(&action), action_id(&action), device_cause(&action)).await;
    assert!(err.is_err());
    // And a new request is possible now.
    let (s, again) = h.post(&format!("/devices/{}/actions/reset-passcode", galaxy["id"].as_str().unwrap())).await;
    assert_eq!(s, StatusCode::ACCEPTED);
    assert_ne!(again["id"], action["id"]);
}

async fn windows_reset_needs_the_tenant_consent(b: Backend) {
    let h = start(b).await;
    let lumia = h.device("Lumia 950").await;
    let path = format!("/devices/{}/actions/reset-passcode", lumia["id"].as_str().unwrap());
    let (s, t) = h.post_as(&h.creds.admin_token, "/tenant/pin-reset-consent", Some(json!({"granted": false}))).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(t["settings"]["pin_reset_consented"], false);
    let (s, p) = h.post(&path).await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::CONFLICT, Some("tenant_not_onboarded")));
    let (s, _) = h.post_as(&h.creds.admin_token, "/tenant/pin-reset-consent", Some(json!({"granted": true}))).await;
    assert_eq!(s, StatusCode::OK);
    let (s, a) = h.post(&path).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{a}");
    let (_, audit) = h.get("/audit?limit=1000").await;
    let consent: Vec<_> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "consent_changed")
        .map(|e| e["outcome"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(consent, ["granted", "revoked"]);
    // Desktop Windows stays refused, for its own reason.
    let surface = h.device("Surface Laptop").await;
    let (_, p) = h.post(&format!("/devices/{}/actions/reset-passcode", surface["id"].as_str().unwrap())).await;
    assert_eq!(p["code"], "windows_desktop_unsupported");
    assert!(p["remedy"].as_str().unwrap().contains("EnablePinRecovery"));
}

async fn device_failures_carry_reason_and_remedy(b: Backend) {
    let h = start(b).await;
    let lumia = h.device("Lumia 635").await;
    let (_, action) = h.post(&format!("/devices/{}/actions/remote-lock", lumia["id"].as_str().unwrap())).await;
    let (t, id, cause) = (h.tenant(&action), action_id(&action), device_cause(&action));
    device_results::delivered(h.state(), t, id, cause.clone()).await.unwrap();
    device_results::failed(h.state(), t, id, cause, ErrorCode::DeviceNoPinSet, Some("SyncML status 405".into())).await.unwrap();
    let (_, a) = h.get(&format!("/actions/{}", action["id"].as_str().unwrap())).await;
    assert_eq!(a["state"], "failed");
    assert_eq!(a["failure_view"]["code"], "device_no_pin_set");
    assert_eq!(a["failure_view"]["detail"], "SyncML status 405");
    assert!(a["summary"].as_str().unwrap().contains("No PIN is set"));
}

async fn rename_and_filters(b: Backend) {
    let h = start(b).await;
    let galaxy = h.device("Galaxy S5").await;
    let (s, action) = h
        .post_as(
            &h.creds.admin_token,
            &format!("/devices/{}/actions/rename", galaxy["id"].as_str().unwrap()),
            Some(json!({"name": "  Alice's old phone "})),
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{action}");
    let (t, id, cause) = (h.tenant(&action), action_id(&action), device_cause(&action));
    device_results::delivered(h.state(), t, id, cause.clone()).await.unwrap();
    device_results::succeeded(h.state(), t, id, cause, device_results::DeviceOutcome::Done).await.unwrap();
    let (_, d) = h.get(&format!("/devices/{}", galaxy["id"].as_str().unwrap())).await;
    assert_eq!(d["device"]["name"], "Alice's old phone");

    let (_, android) = h.get("/devices?platform=android").await;
    assert_eq!(android["total"], 4);
    assert!(android["items"].as_array().unwrap().iter().all(|d| d["platform"] == "android"));
    let (_, found) = h.get("/devices?search=LUMIA").await;
    assert_eq!(found["total"], 4);
    let (_, paged) = h.get("/devices?limit=5&offset=10").await;
    assert_eq!((paged["items"].as_array().unwrap().len(), paged["total"].as_u64()), (4, Some(14)));
}

async fn openapi_and_health(b: Backend) {
    let h = start(b).await;
    let (s, doc) = h.get("/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    for path in [
        "/api/v1/devices",
        "/api/v1/devices/{id}",
        "/api/v1/devices/{id}/actions/{action}",
        "/api/v1/actions/{id}/passcode",
        "/api/v1/audit",
    ] {
        assert!(doc["paths"][path].is_object(), "missing {path}");
    }
    let r = h.http.get(format!("{}/healthz", h.server.base_url())).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let health: Value = r.json().await.unwrap();
    assert_eq!(
        health["backend"],
        match b {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    );
}

async fn check_ins_get_pending_actions_until_answered(b: Backend) {
    use pinreset_server::app::delivery::take_deliverable;
    let h = start(b).await;
    let galaxy = h.device("Galaxy S5").await;
    let device: pinreset_core::Device = serde_json::from_value(galaxy.clone()).unwrap();
    assert!(take_deliverable(h.state(), &device).await.unwrap().is_empty(), "idle check-in");
    let (_, lock) = h.post(&format!("/devices/{}/actions/remote-lock", device.id)).await;
    h.clock.advance(Duration::seconds(1));
    let (_, reset) = h.post(&format!("/devices/{}/actions/reset-passcode", device.id)).await;
    let first = take_deliverable(h.state(), &device).await.unwrap();
    assert_eq!(first.iter().map(|a| a.id.to_string()).collect::<Vec<_>>(), [lock["id"].as_str().unwrap(), reset["id"].as_str().unwrap()]);
    assert!(first.iter().all(|a| a.state == pinreset_core::ActionState::Delivered));
    // The session died before the device answered: the next check-in gets them again.
    assert_eq!(take_deliverable(h.state(), &device).await.unwrap().len(), 2);
    device_sets_passcode_after_delivery(&h, &reset, "Kp4mRt7x").await;
    let left = take_deliverable(h.state(), &device).await.unwrap();
    assert_eq!(left.iter().map(|a| a.id.to_string()).collect::<Vec<_>>(), [lock["id"].as_str().unwrap()]);
    let (t, id, cause) = (h.tenant(&lock), action_id(&lock), device_cause(&lock));
    device_results::succeeded(h.state(), t, id, cause, device_results::DeviceOutcome::Done).await.unwrap();
    assert!(take_deliverable(h.state(), &device).await.unwrap().is_empty());
    let (_, a) = h.get(&format!("/actions/{}", reset["id"].as_str().unwrap())).await;
    let delivered = a["history"].as_array().unwrap().iter().filter(|t| t["to"] == "delivered").count();
    assert_eq!(delivered, 1, "re-delivery is not a second transition");
}

async fn device_sets_passcode_after_delivery(h: &Harness, action: &Value, passcode: &str) {
    let (t, id, cause) = (h.tenant(action), action_id(action), device_cause(action));
    device_results::acknowledged(h.state(), t, id, cause.clone()).await.unwrap();
    device_results::succeeded(h.state(), t, id, cause, device_results::DeviceOutcome::TemporaryPasscode(Secret::new(passcode)))
        .await
        .unwrap();
}

async fn the_device_ca_is_created_once_and_sealed(b: Backend) {
    use pinreset_server::app::device_ca;
    let h = start(b).await;
    let tenant = h.state().store.list_tenants().await.unwrap().pop().unwrap();
    let first = device_ca::load_or_create(h.state(), &tenant).await.unwrap();
    let again = device_ca::load_or_create(h.state(), &tenant).await.unwrap();
    assert_eq!(first.cert_der(), again.cert_der(), "the same CA is reloaded, so issued certificates keep chaining");
    let key_line = first.key_pem().lines().nth(1).unwrap().to_string();
    match b {
        Backend::Postgres => assert!(!dump_all_postgres_tables(&h.db_url).await.contains(&key_line), "CA key stored in clear"),
        Backend::Sqlite => {
            h.server.shutdown().await;
            let db = std::fs::read(h.dir.path().join("pinreset.db")).unwrap();
            let wal = std::fs::read(h.dir.path().join("pinreset.db-wal")).unwrap_or_default();
            for bytes in [db, wal] {
                assert!(!bytes.windows(key_line.len()).any(|w| w == key_line.as_bytes()), "CA key stored in clear");
            }
        }
    }
}

/// Sixteen devices enroll at once into a tenant that has no device CA yet: one CA is created,
/// and every device's certificate is accepted by the management sessions that follow (before
/// the fix several CAs were made and most devices were refused as "not issued by this server").
async fn first_enrollments_at_once_share_one_device_ca(b: Backend) {
    use pinreset_sim::windows::{WindowsDevice, WindowsProfile};
    let h = start(b).await;
    let tenant = h.new_tenant("Fabrikam").await;
    h.new_user(tenant.id, "frida", "frida@fabrikam.example", pinreset_core::Role::EndUser, Some("fabrikam-pw")).await;
    let ca_key = pinreset_store::SecretKey::Tenant(tenant.id, pinreset_core::TenantSecret::DeviceCaKey);
    let missing = h.state().store.secret(&ca_key, h.state().clock.now()).await.unwrap();
    assert!(matches!(missing, pinreset_store::SecretLookup::Missing), "a fresh tenant has no CA yet");
    let base = h.server.base_url();
    let ca = std::fs::read_to_string(h.server.ca_pem.as_ref().unwrap()).unwrap();
    let mut enrollments = tokio::task::JoinSet::new();
    for _ in 0..16 {
        let (base, ca) = (base.clone(), ca.clone());
        enrollments.spawn(async move {
            WindowsDevice::enroll(&base, &ca, "frida@fabrikam.example", "fabrikam-pw", WindowsProfile::Windows10Mobile15063).await
        });
    }
    let mut enrolled = 0;
    while let Some(phone) = enrollments.join_next().await {
        let mut phone = phone.unwrap().expect("every enrollment succeeds");
        phone.run_session().await.expect("the server accepts the certificate it issued");
        enrolled += 1;
    }
    assert_eq!(enrolled, 16);
    let stored = h.state().store.secret(&ca_key, h.state().clock.now()).await.unwrap();
    assert!(matches!(stored, pinreset_store::SecretLookup::Available { .. }), "one CA, stored sealed");
}

async fn windows_profile_status_per_device(b: Backend) {
    use pinreset_core::profile::{ProfileId, SettingResult};
    use pinreset_server::app::profiles;
    const URI: &str = "./Device/Vendor/MSFT/PassportForWork/{tenantId}/Policies/UsePassportForWork";
    let h = start(b).await;
    let setting = |uri: &str, t: &str, v: &str| json!({"oma_uri": uri, "data_type": t, "value": v});
    // Refused at save time, naming the setting.
    let (s, p) = h
        .post_as(&h.creds.admin_token, "/profiles", Some(json!({"name": "x", "settings": [setting("Device/Vendor/X", "boolean", "true")]})))
        .await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_input")));
    assert!(p["detail"].as_str().unwrap().contains("Setting 1") && p["detail"].as_str().unwrap().contains("./"), "{p}");
    let (s, p) =
        h.post_as(&h.creds.admin_token, "/profiles", Some(json!({"name": "x", "settings": [setting(URI, "boolean", "yes")]}))).await;
    assert!(s == StatusCode::BAD_REQUEST && p["detail"].as_str().unwrap().contains("Boolean"), "{p}");
    let (s, _) =
        h.post_as(&h.creds.helpdesk_token, "/profiles", Some(json!({"name": "x", "settings": [setting(URI, "boolean", "true")]}))).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(h.get("/profiles").await.1.as_array().unwrap().len(), 0, "nothing saved by refused requests");

    let (s, profile) = h.post_as(&h.creds.admin_token, "/profiles", Some(json!({"name": "PIN recovery", "description": "forgot-my-PIN at the lock screen", "settings": [setting(URI, "boolean", "true")]}))).await;
    assert_eq!(s, StatusCode::CREATED, "{profile}");
    let pid = profile["id"].as_str().unwrap().to_string();
    let (_, groups) = h.get("/groups").await;
    let group_id = |kind: &str, name: &str| groups[kind].as_array().unwrap().iter().find(|g| g["name"] == name).unwrap()["id"].clone();
    let sales = group_id("user_groups", "Sales");
    let (s, p) = h.post_as(&h.creds.admin_token, "/profiles", None).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{p}");
    let put = |body: Value| {
        let req = h.http.put(h.url(&format!("/profiles/{pid}/assignments"))).bearer_auth(&h.creds.admin_token).json(&body);
        async move { req.send().await.unwrap().status() }
    };
    assert_eq!(put(json!({"include": [{"type": "user_group", "id": uuid::Uuid::new_v4()}], "exclude": []})).await, StatusCode::BAD_REQUEST);
    assert_eq!(put(json!({"include": [{"type": "user_group", "id": sales}], "exclude": []})).await, StatusCode::OK);

    let st = profile_status(&h, &pid).await;
    assert_eq!(st["counts"], json!({"succeeded": 0, "error": 0, "conflict": 0, "pending": 4, "not_applicable": 6}), "{st}");
    let state_of = |st: &Value, prefix: &str| {
        st["devices"].as_array().unwrap().iter().find(|d| d["device_name"].as_str().unwrap().starts_with(prefix)).unwrap()["state"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(state_of(&st, "iPhone 15"), "not_applicable");

    // What the Windows channel reports after the devices' next sessions.
    let lumia950: pinreset_core::DeviceId = h.device("Lumia 950").await["id"].as_str().unwrap().parse().unwrap();
    let lumia640: pinreset_core::DeviceId = h.device("Lumia 640").await["id"].as_str().unwrap().parse().unwrap();
    let profile_id: ProfileId = pid.parse().unwrap();
    let answer = |status| vec![SettingResult { oma_uri: URI.into(), status, profile_version: 1, at: chrono::Utc::now() }];
    profiles::record_results(h.state(), lumia950, profile_id, &answer(200)).await.unwrap();
    profiles::record_results(h.state(), lumia640, profile_id, &answer(405)).await.unwrap();
    let st = profile_status(&h, &pid).await;
    assert_eq!(state_of(&st, "Lumia 950"), "succeeded");
    assert_eq!(state_of(&st, "Lumia 640"), "error");
    let err = st["devices"].as_array().unwrap().iter().find(|d| d["state"] == "error").unwrap();
    assert_eq!(err["status"], 405);
    assert!(err["detail"].as_str().unwrap().contains("405"));
    assert_eq!(
        (st["counts"]["succeeded"].as_u64(), st["counts"]["error"].as_u64(), st["counts"]["pending"].as_u64()),
        (Some(1), Some(1), Some(2))
    );

    // A second profile setting the same URI differently, on the Windows device group: conflict.
    let (_, other) = h
        .post_as(
            &h.creds.admin_token,
            "/profiles",
            Some(json!({"name": "No PIN recovery", "settings": [setting(URI, "boolean", "false")]})),
        )
        .await;
    let windows = group_id("device_groups", "Windows devices");
    let r = h
        .http
        .put(h.url(&format!("/profiles/{}/assignments", other["id"].as_str().unwrap())))
        .bearer_auth(&h.creds.admin_token)
        .json(&json!({"include": [{"type": "device_group", "id": windows}], "exclude": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let st = profile_status(&h, &pid).await;
    assert_eq!(state_of(&st, "Lumia 950"), "conflict");
    // Excluding the Windows group from the second profile resolves it.
    let r = h
        .http
        .put(h.url(&format!("/profiles/{}/assignments", other["id"].as_str().unwrap())))
        .bearer_auth(&h.creds.admin_token)
        .json(&json!({"include": [{"type": "device_group", "id": windows}], "exclude": [{"type": "user_group", "id": sales}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(state_of(&profile_status(&h, &pid).await, "Lumia 950"), "succeeded");

    // Changing the profile makes every device pending until it applied the new version.
    let r = h.http.put(h.url(&format!("/profiles/{pid}"))).bearer_auth(&h.creds.admin_token)
        .json(&json!({"name": "PIN recovery", "settings": [setting(URI, "boolean", "true"), setting("./Device/Vendor/MSFT/PassportForWork/{tenantId}/Policies/PINComplexity/MinimumPINLength", "integer", "6")]})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let st = profile_status(&h, &pid).await;
    assert_eq!((st["version"].as_u64(), state_of(&st, "Lumia 950")), (Some(2), "pending".to_string()));
    let (_, audit) = h.get("/audit?actor=user:admin").await;
    assert!(audit.as_array().unwrap().iter().any(|e| e["kind"] == "profile_assigned"));
}

async fn profile_status(h: &Harness, pid: &str) -> Value {
    let (s, v) = h.get(&format!("/profiles/{pid}/status")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

fn windows_fixture(name: &str) -> String {
    support::windows_device::fixture(name)
}

async fn soap_post(h: &Harness, path: &str, body: String) -> (StatusCode, String, String) {
    let r = h
        .http
        .post(format!("{}{path}", h.server.base_url()))
        .header("content-type", "application/soap+xml; charset=utf-8")
        .body(body)
        .send()
        .await
        .unwrap();
    let ctype = r.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (r.status(), ctype, r.text().await.unwrap())
}

/// Microsoft's own OnPremise example messages, sent to our enrollment services.
async fn windows_enrollment_speaks_ms_mde2(b: Backend) {
    use pinreset_windows::enrollment::{DiscoverResponse, Fault, FaultCode, PolicyResponse, RstrResponse};
    let h = start(b).await;
    let user = support::windows_device::contoso_user(h.state().store.as_ref()).await;
    let base = h.server.base_url();

    let probe = h.http.get(format!("{base}/EnrollmentServer/Discovery.svc")).send().await.unwrap();
    assert_eq!(probe.status(), StatusCode::OK);
    assert!(probe.text().await.unwrap().is_empty(), "the discovery probe answers an empty body");

    let (s, ctype, body) = soap_post(&h, "/EnrollmentServer/Discovery.svc", windows_fixture("discovery_request_onpremise.xml")).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert!(ctype.starts_with("application/soap+xml"));
    let (echo, discovered) = DiscoverResponse::decode(body.as_bytes()).unwrap();
    assert!(echo.relates_to.is_some(), "RelatesTo echoes the request's MessageID");
    assert!(discovered.enrollment_service_url.ends_with("/EnrollmentServer/Enrollment.svc"));
    assert!(discovered.enrollment_policy_service_url.starts_with("https://127.0.0.1:"), "{}", discovered.enrollment_policy_service_url);

    let unknown = windows_fixture("discovery_request_onpremise.xml").replace("user@contoso.com", "stranger@elsewhere.example");
    // Discovery does not tell who has an account: an unknown address gets the same answer.
    let (s, _, body) = soap_post(&h, "/EnrollmentServer/Discovery.svc", unknown).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(DiscoverResponse::decode(body.as_bytes()).unwrap().1, discovered);

    let (s, _, body) = soap_post(&h, "/EnrollmentServer/Policy.svc", windows_fixture("get_policies_request_onpremise.xml")).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(PolicyResponse::decode(body.as_bytes()).unwrap().1.minimal_key_length, 2048);
    let wrong = windows_fixture("get_policies_request_onpremise.xml").replace("mypassword", "guess");
    let (s, _, body) = soap_post(&h, "/EnrollmentServer/Policy.svc", wrong).await;
    assert_eq!((s, Fault::decode(body.as_bytes()).unwrap().code), (StatusCode::UNAUTHORIZED, FaultCode::Authentication));

    // The doc's RST carries a placeholder instead of a CSR: refused, and nothing is created.
    let before = h.get("/devices?limit=500").await.1["total"].as_u64().unwrap();
    let (s, _, body) = soap_post(&h, "/EnrollmentServer/Enrollment.svc", windows_fixture("rst_request_onpremise.xml")).await;
    assert_eq!((s, Fault::decode(body.as_bytes()).unwrap().code), (StatusCode::BAD_REQUEST, FaultCode::CertificateRequest));
    assert_eq!(h.get("/devices?limit=500").await.1["total"].as_u64().unwrap(), before);
    let (s, _, _) = soap_post(&h, "/EnrollmentServer/Enrollment.svc", "<s:Envelope><unclosed>".into()).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);

    // With a real certificate request the device is enrolled and gets its certificate.
    let key = rcgen::KeyPair::generate().unwrap();
    let csr = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap().serialize_request(&key).unwrap();
    use base64::Engine;
    let csr_b64 = base64::engine::general_purpose::STANDARD.encode(csr.der());
    let rst = windows_fixture("rst_request_onpremise.xml")
        .replace("DER format PKCS#10 certificate request in Base64 encoding Insterted Here", &csr_b64);
    let (s, _, body) = soap_post(&h, "/EnrollmentServer/Enrollment.svc", rst).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (_, rstr) = RstrResponse::decode(body.as_bytes()).unwrap();
    let doc = rstr.provisioning_doc.expect("a provisioning doc");
    assert!(doc.contains("/ManagementServer/MDM.svc"), "ADDR points at our management service");
    assert!(doc.contains("7BA748C8-703E-4DF2-A74A-92984117346A"), "the client certificate is selected by the device id");
    let (_, page) = h.get("/devices?search=MY_WINDOWS_DEVICE").await;
    assert_eq!(page["total"], 1, "{page}");
    let enrolled = &page["items"][0];
    assert_eq!((enrolled["platform"].as_str(), enrolled["os_version"].as_str()), (Some("windows"), Some("10.0.9999.0")));
    assert_eq!(enrolled["primary_user_id"].as_str(), Some(user.id.to_string().as_str()));
    // The DM password handed to the device is sealed, not stored in clear.
    let password = pinreset_windows::enrollment::provisioning::parm_value(&doc, &["APPLICATION", "APPAUTH"], "AAUTHSECRET");
    let password = password.expect("the provisioning doc carries DM credentials");
    if let Backend::Postgres = b {
        assert!(!dump_all_postgres_tables(&h.db_url).await.contains(&password));
    }
}

/// A Windows 10 Mobile device enrolled through the real service; returns its DM account and
/// its device id in the API.
async fn enroll_w10m(h: &Harness, device_key: &str) -> (DmAccount, String) {
    support::windows_device::contoso_user(h.state().store.as_ref()).await;
    let d = support::windows_device::enroll_w10m(&h.http, &h.server.base_url(), device_key).await;
    let (_, page) = h.get(&format!("/devices?search={device_key}")).await;
    let id = page["items"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(page["items"][0]["platform"], "windows_mobile");
    assert_eq!(page["items"][0]["join_type"], "azure_ad_joined");
    (DmAccount::of(&d), id)
}

use support::windows_device::DmAccount;

/// One message of a session as a device without its certificate sends it: the first with an
/// MD5 `Cred`, the rest with an `x-syncml-hmac` over the body; the device learns the next nonce.
async fn dm_send(h: &Harness, dm: &mut DmAccount, session: &str, msg_id: u32, body: &str) -> pinreset_windows::syncml::SyncMl {
    let (cred, hmac) = if msg_id == 1 { (Some(dm.cred()), None) } else { (None, Some(())) };
    let xml = device_message(&dm.name, session, msg_id, cred, body);
    let mut req =
        h.http.post(format!("{}/ManagementServer/MDM.svc", h.server.base_url())).header("content-type", "application/vnd.syncml.dm+xml");
    if hmac.is_some() {
        req = req.header("x-syncml-hmac", dm.hmac(&xml));
    }
    let r = req.body(xml).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let reply = pinreset_windows::syncml::decode(r.text().await.unwrap().as_bytes()).unwrap();
    dm.learn(&reply);
    reply
}

use support::windows_device::device_message;

async fn dm_post(h: &Harness, body: String) -> pinreset_windows::syncml::SyncMl {
    let r = h
        .http
        .post(format!("{}/ManagementServer/MDM.svc", h.server.base_url()))
        .header("content-type", "application/vnd.syncml.dm+xml")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    pinreset_windows::syncml::decode(r.text().await.unwrap().as_bytes()).unwrap()
}

fn header_status(m: &pinreset_windows::syncml::SyncMl) -> u16 {
    m.body
        .iter()
        .find_map(|c| match c {
            pinreset_windows::syncml::Command::Status(s) if s.cmd_ref == "0" => s.code(),
            _ => None,
        })
        .unwrap()
}

/// The cmd ids of the Exec (and Get) the server sent for `uri`.
fn cmd_id_for(m: &pinreset_windows::syncml::SyncMl, name: &str, uri: &str) -> Option<String> {
    m.all_commands()
        .into_iter()
        .find(|c| c.name() == name && c.items().iter().any(|i| i.target.as_deref() == Some(uri)))
        .map(|c| c.cmd_id().to_string())
}

async fn windows_reset_and_lock_through_oma_dm_sessions(b: Backend) {
    use pinreset_windows::syncml::auth::md5_digest;
    use pinreset_windows::syncml::Command;
    let h = start(b).await;
    let (mut dm, id) = enroll_w10m(&h, "W10M-0001").await;
    let first = support::windows_device::FIRST_PACKAGE;

    // Wrong credentials: refused with 401 and a challenge, nothing delivered.
    let (_, reset) = h.post(&format!("/devices/{id}/actions/reset-passcode")).await;
    assert_eq!(reset["state"], "queued", "{reset}");
    let refused = dm_post(&h, device_message(&dm.name, "1", 1, Some(md5_digest(&dm.name, "not-the-password", &dm.nonce)), first)).await;
    assert_eq!(header_status(&refused), 401);
    assert!(!refused.all_commands().iter().any(|c| c.name() == "Sequence"));
    let missing = dm_post(&h, device_message(&dm.name, "1", 1, None, first)).await;
    assert_eq!(header_status(&missing), 407);
    assert_eq!(h.get(&format!("/actions/{}", reset["id"].as_str().unwrap())).await.1["state"], "queued");

    // The real session: the reset goes out as one Sequence of Exec LockAndResetPIN + Get NewPINValue.
    let reply = dm_send(&h, &mut dm, "2", 1, first).await;
    assert_eq!(header_status(&reply), 212);
    let seq = reply.body.iter().find(|c| c.name() == "Sequence").expect("a Sequence");
    let Command::Sequence(container) = seq else { unreachable!() };
    assert_eq!(container.commands.iter().map(|c| c.name()).collect::<Vec<_>>(), ["Exec", "Get"], "Exec then Get, in one message");
    let exec = cmd_id_for(&reply, "Exec", "./Vendor/MSFT/RemoteLock/LockAndResetPIN").unwrap();
    let get = cmd_id_for(&reply, "Get", "./Vendor/MSFT/RemoteLock/NewPINValue").unwrap();
    let (_, a) = h.get(&format!("/actions/{}", reset["id"].as_str().unwrap())).await;
    assert_eq!(a["state"], "delivered");
    let (_, d) = h.get(&format!("/devices/{id}")).await;
    assert_eq!(d["device"]["model"], "Lumia 950", "inventory from the session updates the record");

    let answer = format!(
        "<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>200</Data></Status>\
         <Status><CmdID>2</CmdID><MsgRef>1</MsgRef><CmdRef>{seq}</CmdRef><Cmd>Sequence</Cmd><Data>200</Data></Status>\
         <Status><CmdID>3</CmdID><MsgRef>1</MsgRef><CmdRef>{exec}</CmdRef><Cmd>Exec</Cmd><Data>200</Data></Status>\
         <Status><CmdID>4</CmdID><MsgRef>1</MsgRef><CmdRef>{get}</CmdRef><Cmd>Get</Cmd><Data>200</Data></Status>\
         <Results><CmdID>5</CmdID><MsgRef>1</MsgRef><CmdRef>{get}</CmdRef><Item><Source><LocURI>./Vendor/MSFT/RemoteLock/NewPINValue</LocURI></Source><Data>Hq4vT9mw</Data></Item></Results>",
        seq = seq.cmd_id()
    );
    let end = dm_send(&h, &mut dm, "2", 2, &answer).await;
    assert!(!end.body.iter().any(|c| !matches!(c, Command::Status(_))), "only statuses: the session ends");
    let (_, a) = h.get(&format!("/actions/{}", reset["id"].as_str().unwrap())).await;
    assert_eq!(a["state"], "succeeded", "{a}");
    let (_, p) = h.get(&format!("/actions/{}/passcode", reset["id"].as_str().unwrap())).await;
    assert_eq!(p["passcode"], "Hq4vT9mw", "the admin sees the PIN the device generated");
    // The device's command history: the Sequence sent and each answer, never the PIN.
    let (_, commands) = h.get(&format!("/devices/{id}/commands")).await;
    let history = commands.to_string();
    assert!(
        history.contains("Sequence(Exec ./Vendor/MSFT/RemoteLock/LockAndResetPIN, Get ./Vendor/MSFT/RemoteLock/NewPINValue)"),
        "{history}"
    );
    for answer in [
        "Sequence: 200",
        "Exec ./Vendor/MSFT/RemoteLock/LockAndResetPIN: 200",
        "Get ./Vendor/MSFT/RemoteLock/NewPINValue: 200 (result received)",
    ] {
        assert!(history.contains(answer), "{answer} missing from {history}");
    }
    assert!(!history.contains("Hq4vT9mw"), "the PIN is not in the command history");

    // Remote lock on a device without a PIN: 405 → a failure that says so.
    let (_, lock) = h.post(&format!("/devices/{id}/actions/remote-lock")).await;
    let reply = dm_send(&h, &mut dm, "3", 1, first).await;
    let exec = cmd_id_for(&reply, "Exec", "./Vendor/MSFT/RemoteLock/Lock").expect("Exec Lock");
    let answer = format!("<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>{exec}</CmdRef><Cmd>Exec</Cmd><Data>405</Data></Status>");
    dm_send(&h, &mut dm, "3", 2, &answer).await;
    let (_, a) = h.get(&format!("/actions/{}", lock["id"].as_str().unwrap())).await;
    assert_eq!((a["state"].as_str(), a["failure_view"]["code"].as_str()), (Some("failed"), Some("device_no_pin_set")), "{a}");
    assert!(a["failure_view"]["detail"].as_str().unwrap().contains("405"));

    // An idle session: nothing queued, nothing sent.
    let idle = dm_send(&h, &mut dm, "4", 1, first).await;
    assert!(idle.body.iter().all(|c| matches!(c, Command::Status(_))));
    // A message from an unknown device changes nothing.
    let r = h
        .http
        .post(format!("{}/ManagementServer/MDM.svc", h.server.base_url()))
        .body(device_message("nobody", "1", 1, None, first))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = h
        .http
        .post(format!("{}/ManagementServer/MDM.svc", h.server.base_url()))
        .body("<SyncML><!DOCTYPE x [<!ENTITY a \"b\">]>")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

/// EnablePinRecovery is a Windows 10/11 desktop setting: phones in scope read Not applicable and
/// are never sent it, while a setting of the same profile that phones take still reaches them.
async fn enable_pin_recovery_is_for_desktop_windows_only(b: Backend) {
    use pinreset_windows::syncml::Command;
    const PIN_RECOVERY: &str = "./Device/Vendor/MSFT/PassportForWork/{tenantId}/Policies/EnablePinRecovery";
    const HELLO: &str = "./Device/Vendor/MSFT/PassportForWork/{tenantId}/Policies/UsePassportForWork";
    let h = start(b).await;
    let setting = |uri: &str| json!({"oma_uri": uri, "data_type": "boolean", "value": "true"});
    let (s, profile) =
        h.post_as(&h.creds.admin_token, "/profiles", Some(json!({"name": "PIN recovery", "settings": [setting(PIN_RECOVERY)]}))).await;
    assert_eq!(s, StatusCode::CREATED, "{profile}");
    assert_eq!(profile["settings"][0]["platforms"], json!(["windows"]), "the setting says where it applies");
    let pid = profile["id"].as_str().unwrap().to_string();
    let (_, groups) = h.get("/groups").await;
    let windows = groups["device_groups"].as_array().unwrap().iter().find(|g| g["name"] == "Windows devices").unwrap()["id"].clone();
    let r = h
        .http
        .put(h.url(&format!("/profiles/{pid}/assignments")))
        .bearer_auth(&h.creds.admin_token)
        .json(&json!({"include": [{"type": "device_group", "id": windows}], "exclude": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let st = profile_status(&h, &pid).await;
    let state_of = |prefix: &str| {
        st["devices"].as_array().unwrap().iter().find(|d| d["device_name"].as_str().unwrap().starts_with(prefix)).unwrap()["state"].clone()
    };
    assert_eq!(state_of("Surface Laptop"), "pending", "{st}");
    assert_eq!(state_of("Lumia 950"), "not_applicable", "Windows 10 Mobile: {st}");
    assert_eq!(state_of("Lumia 635"), "not_applicable", "Windows Phone 8.1: {st}");

    // An enrolled Windows 10 Mobile device in scope of a profile with both settings: only the
    // one phones take is sent, and applying it is success.
    let (mut dm, _) = enroll_w10m(&h, "W10M-0003").await;
    let tenant = h.state().store.list_tenants().await.unwrap().pop().unwrap();
    let owner = h.state().store.users_by_email("user@contoso.com").await.unwrap().pop().unwrap().0;
    let group = pinreset_core::UserGroup {
        id: pinreset_core::UserGroupId::new(),
        tenant_id: tenant.id,
        name: "Pilot".into(),
        members: vec![owner.id],
    };
    h.state().store.create_user_group(&group).await.unwrap();
    let (_, both) = h
        .post_as(&h.creds.admin_token, "/profiles", Some(json!({"name": "Hello", "settings": [setting(PIN_RECOVERY), setting(HELLO)]})))
        .await;
    let both_id = both["id"].as_str().unwrap().to_string();
    let r = h
        .http
        .put(h.url(&format!("/profiles/{both_id}/assignments")))
        .bearer_auth(&h.creds.admin_token)
        .json(&json!({"include": [{"type": "user_group", "id": group.id}], "exclude": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let first = "<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>";
    let reply = dm_send(&h, &mut dm, "11", 1, first).await;
    let adds: Vec<&Command> = reply.body.iter().filter(|c| c.name() == "Add").collect();
    assert_eq!(adds.len(), 1, "only the setting phones take is sent");
    assert!(adds[0].items()[0].target.as_deref().unwrap().ends_with("UsePassportForWork"));
    let answer =
        format!("<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>{}</CmdRef><Cmd>Add</Cmd><Data>200</Data></Status>", adds[0].cmd_id());
    dm_send(&h, &mut dm, "11", 2, &answer).await;
    let st = profile_status(&h, &both_id).await;
    let lumia = st["devices"].as_array().unwrap().iter().find(|d| d["device_name"] == "Lumia W10M-0003").unwrap().clone();
    assert_eq!(lumia["state"], "succeeded", "{st}");
}

async fn windows_profile_is_delivered_in_the_next_session(b: Backend) {
    use pinreset_windows::syncml::Command;
    const URI: &str = "./Device/Vendor/MSFT/PassportForWork/{tenantId}/Policies/UsePassportForWork";
    let h = start(b).await;
    let (mut dm, id) = enroll_w10m(&h, "W10M-0002").await;
    let tenant = h.state().store.list_tenants().await.unwrap().pop().unwrap();
    let owner = h.state().store.users_by_email("user@contoso.com").await.unwrap().pop().unwrap().0;
    // The same user's iPhone is in scope too, and not applicable.
    let lumia: pinreset_core::Device = serde_json::from_value(h.get(&format!("/devices/{id}")).await.1["device"].clone()).unwrap();
    let iphone = pinreset_core::Device {
        id: pinreset_core::DeviceId::new(),
        name: "Contoso iPhone".into(),
        platform: pinreset_core::Platform::Ios,
        udid: None,
        ..lumia.clone()
    };
    h.state().store.upsert_device(&iphone).await.unwrap();
    let group = pinreset_core::UserGroup {
        id: pinreset_core::UserGroupId::new(),
        tenant_id: tenant.id,
        name: "PIN recovery pilot".into(),
        members: vec![owner.id],
    };
    h.state().store.create_user_group(&group).await.unwrap();
    let (_, profile) = h
        .post_as(
            &h.creds.admin_token,
            "/profiles",
            Some(json!({"name": "PIN recovery", "settings": [{"oma_uri": URI, "data_type": "boolean", "value": "true"}]})),
        )
        .await;
    let pid = profile["id"].as_str().unwrap().to_string();
    let r = h
        .http
        .put(h.url(&format!("/profiles/{pid}/assignments")))
        .bearer_auth(&h.creds.admin_token)
        .json(&json!({"include": [{"type": "user_group", "id": group.id}], "exclude": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let st = profile_status(&h, &pid).await;
    assert_eq!(st["counts"], json!({"succeeded": 0, "error": 0, "conflict": 0, "pending": 1, "not_applicable": 1}), "{st}");

    let first = "<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>";
    let reply = dm_send(&h, &mut dm, "7", 1, first).await;
    let resolved = URI.replace("{tenantId}", &tenant.directory_id.to_string());
    let add = reply.body.iter().find(|c| c.name() == "Add").expect("the setting is sent as an Add");
    let item = &add.items()[0];
    assert_eq!(item.target.as_deref(), Some(resolved.as_str()), "{{tenantId}} is filled with the directory id");
    assert_eq!((item.data.as_deref(), item.meta.format.as_deref()), (Some("true"), Some("bool")));
    // The node exists already (418): the server follows with a Replace in the same session.
    let answer =
        format!("<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>{}</CmdRef><Cmd>Add</Cmd><Data>418</Data></Status>", add.cmd_id());
    let follow = dm_send(&h, &mut dm, "7", 2, &answer).await;
    let replace = follow.body.iter().find(|c| c.name() == "Replace").expect("a Replace follows");
    assert_eq!(replace.items()[0].target.as_deref(), Some(resolved.as_str()));
    assert_eq!(profile_status(&h, &pid).await["counts"]["pending"], 1, "418 is not the device's final answer");
    let answer = format!(
        "<Status><CmdID>1</CmdID><MsgRef>2</MsgRef><CmdRef>{}</CmdRef><Cmd>Replace</Cmd><Data>200</Data></Status>",
        replace.cmd_id()
    );
    dm_send(&h, &mut dm, "7", 3, &answer).await;
    let st = profile_status(&h, &pid).await;
    let states: std::collections::BTreeMap<String, String> = st["devices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["device_name"].as_str().unwrap().to_string(), d["state"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(states.get("Contoso iPhone").map(String::as_str), Some("not_applicable"));
    assert_eq!(states.get("Lumia W10M-0002").map(String::as_str), Some("succeeded"), "{st}");
    // Applied: the next session sends nothing.
    let idle = dm_send(&h, &mut dm, "8", 1, first).await;
    assert!(idle.body.iter().all(|c| matches!(c, Command::Status(_))));

    // A new version with a setting the device refuses shows Error with the device's code.
    let bad = "./Device/Vendor/MSFT/PassportForWork/{tenantId}/Policies/PINComplexity/MinimumPINLength";
    let r = h.http.put(h.url(&format!("/profiles/{pid}"))).bearer_auth(&h.creds.admin_token)
        .json(&json!({"name": "PIN recovery", "settings": [{"oma_uri": URI, "data_type": "boolean", "value": "true"}, {"oma_uri": bad, "data_type": "integer", "value": "99"}]})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let reply = dm_send(&h, &mut dm, "9", 1, first).await;
    let adds: Vec<&Command> = reply.body.iter().filter(|c| c.name() == "Add").collect();
    assert_eq!(adds.len(), 2, "both settings of the new version are sent");
    let answer: String = adds
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let code = if c.items()[0].target.as_deref().unwrap().ends_with("MinimumPINLength") { 400 } else { 200 };
            format!(
                "<Status><CmdID>{}</CmdID><MsgRef>1</MsgRef><CmdRef>{}</CmdRef><Cmd>Add</Cmd><Data>{code}</Data></Status>",
                i + 1,
                c.cmd_id()
            )
        })
        .collect();
    dm_send(&h, &mut dm, "9", 2, &answer).await;
    let st = profile_status(&h, &pid).await;
    let lumia_state = st["devices"].as_array().unwrap().iter().find(|d| d["device_name"] == "Lumia W10M-0002").unwrap().clone();
    assert_eq!((lumia_state["state"].as_str(), lumia_state["status"].as_u64()), (Some("error"), Some(400)), "{lumia_state}");
}

async fn windows_federated_enrollment_uses_a_one_time_token(b: Backend) {
    use base64::Engine;
    use pinreset_windows::enrollment::{AuthPolicy, DiscoverResponse, Fault, FaultCode, PolicyResponse, RstrResponse};
    let h = start(b).await;
    let (_, tenant) = h.get("/tenant").await;
    let mut settings = tenant["settings"].clone();
    settings["windows_enrollment_auth"] = json!("federated");
    let r = h.http.put(h.url("/tenant/settings")).bearer_auth(&h.creds.admin_token).json(&settings).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let mut bad = settings.clone();
    bad["numeric_length"] = json!(2);
    let r = h.http.put(h.url("/tenant/settings")).bearer_auth(&h.creds.admin_token).json(&bad).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST, "settings are validated");
    let r = h.http.put(h.url("/tenant/settings")).bearer_auth(&h.creds.helpdesk_token).json(&settings).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    let _ = tenant;
    support::windows_device::contoso_user(h.state().store.as_ref()).await;

    let discover = windows_fixture("discovery_request_onpremise.xml")
        .replace("<AuthPolicy>OnPremise</AuthPolicy>", "<AuthPolicy>OnPremise</AuthPolicy><AuthPolicy>Federated</AuthPolicy>");
    let (s, _, body) = soap_post(&h, "/EnrollmentServer/Discovery.svc", discover).await;
    assert_eq!(s, StatusCode::OK);
    let AuthPolicy::Federated { authentication_service_url } = DiscoverResponse::decode(body.as_bytes()).unwrap().1.auth_policy else {
        panic!("federated expected")
    };

    let appru = "ms-app://windows.immersivecontrolpanel";
    let page = h.http.get(format!("{authentication_service_url}?appru={appru}&login_hint=user%40contoso.com")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("value=\"user@contoso.com\""), "the login hint is prefilled");
    let open_redirect = h.http.get(format!("{authentication_service_url}?appru=https://evil.example")).send().await.unwrap();
    assert_eq!(open_redirect.status(), StatusCode::BAD_REQUEST);
    let wrong = h
        .http
        .post(&authentication_service_url)
        .form(&[("appru", appru), ("email", "user@contoso.com"), ("password", "nope")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(!wrong.text().await.unwrap().contains("wresult"));
    let ok = h
        .http
        .post(&authentication_service_url)
        .form(&[("appru", appru), ("email", "user@contoso.com"), ("password", "mypassword")])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    let page = ok.text().await.unwrap();
    assert!(page.contains(&format!("action=\"{appru}\"")));
    let token = page.split("name=\"wresult\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();

    let with_token = |xml: String, token: &str| {
        let start = xml.find("<wsse:UsernameToken").unwrap();
        let end = xml.find("</wsse:UsernameToken>").unwrap() + "</wsse:UsernameToken>".len();
        let b64 = base64::engine::general_purpose::STANDARD.encode(token);
        format!("{}<wsse:BinarySecurityToken ValueType=\"http://schemas.microsoft.com/5.0.0.0/ConfigurationManager/Enrollment/DeviceEnrollmentUserToken\" EncodingType=\"http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd#base64binary\">{b64}</wsse:BinarySecurityToken>{}", &xml[..start], &xml[end..])
    };
    let (s, _, body) =
        soap_post(&h, "/EnrollmentServer/Policy.svc", with_token(windows_fixture("get_policies_request_onpremise.xml"), &token)).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(PolicyResponse::decode(body.as_bytes()).unwrap().1.minimal_key_length, 2048);
    let key = rcgen::KeyPair::generate().unwrap();
    let csr = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap().serialize_request(&key).unwrap();
    let rst = windows_fixture("rst_request_onpremise.xml").replace(
        "DER format PKCS#10 certificate request in Base64 encoding Insterted Here",
        &base64::engine::general_purpose::STANDARD.encode(csr.der()),
    );
    let (s, _, body) = soap_post(&h, "/EnrollmentServer/Enrollment.svc", with_token(rst.clone(), &token)).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert!(RstrResponse::decode(body.as_bytes()).unwrap().1.provisioning_doc.is_some());
    // Spent: the same token cannot enroll a second device.
    let (s, _, body) = soap_post(&h, "/EnrollmentServer/Enrollment.svc", with_token(rst, &token)).await;
    assert_eq!((s, Fault::decode(body.as_bytes()).unwrap().code), (StatusCode::UNAUTHORIZED, FaultCode::Authentication));
    // The token is stored hashed only.
    if let Backend::Postgres = b {
        assert!(!dump_all_postgres_tables(&h.db_url).await.contains(&token));
    }
}

async fn windows_sessions_authenticate_by_client_certificate(b: Backend) {
    let h = start(b).await;
    enroll_w10m(&h, "W10M-CERT-1").await;
    let a = support::windows_device::enroll_w10m(&h.http, &h.server.base_url(), "W10M-CERT-A").await;
    let other = support::windows_device::enroll_w10m(&h.http, &h.server.base_url(), "W10M-CERT-B").await;
    let ca = std::fs::read(h.server.ca_pem.as_ref().unwrap()).unwrap();
    let client = |identity: &str| {
        reqwest::Client::builder()
            .add_root_certificate(reqwest::Certificate::from_pem(&ca).unwrap())
            .identity(reqwest::Identity::from_pem(identity.as_bytes()).unwrap())
            .build()
            .unwrap()
    };
    let post = |c: reqwest::Client, body: String| {
        let url = format!("{}/ManagementServer/MDM.svc", h.server.base_url());
        async move { pinreset_windows::syncml::decode(c.post(url).body(body).send().await.unwrap().text().await.unwrap().as_bytes()).unwrap() }
    };
    // No Cred in the message: the certificate alone authenticates (once TLS trusts the new CA).
    let mut code = 0;
    for _ in 0..50 {
        code = header_status(
            &post(client(&a.identity_pem), device_message(&a.name, "c1", 1, None, support::windows_device::FIRST_PACKAGE)).await,
        );
        if code == 200 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(code, 200, "the device's own certificate authenticates its session");
    // Device B's certificate does not authenticate device A: back to MD5, which is missing.
    let code = header_status(
        &post(client(&other.identity_pem), device_message(&a.name, "c2", 1, None, support::windows_device::FIRST_PACKAGE)).await,
    );
    assert_eq!(code, 407);
    // Browsers and the CLI still connect without a certificate.
    assert_eq!(h.get("/devices?limit=1").await.0, StatusCode::OK);
}

async fn windows_sessions_survive_a_dying_device_and_unenrollment(b: Backend) {
    let h = start(b).await;
    let (mut dm, id) = enroll_w10m(&h, "W10M-DIES").await;
    let first = support::windows_device::FIRST_PACKAGE;
    let (_, reset) = h.post(&format!("/devices/{id}/actions/reset-passcode")).await;
    let action_path = format!("/actions/{}", reset["id"].as_str().unwrap());

    // The device receives the Sequence and dies before answering.
    let lost = dm_send(&h, &mut dm, "10", 1, first).await;
    assert!(cmd_id_for(&lost, "Exec", "./Vendor/MSFT/RemoteLock/LockAndResetPIN").is_some());
    assert_eq!(h.get(&action_path).await.1["state"], "delivered");
    // Its next session gets the same command again, once.
    let again = dm_send(&h, &mut dm, "11", 1, first).await;
    let seq = again.body.iter().find(|c| c.name() == "Sequence").expect("re-delivered").cmd_id().to_string();
    let exec = cmd_id_for(&again, "Exec", "./Vendor/MSFT/RemoteLock/LockAndResetPIN").unwrap();
    let get = cmd_id_for(&again, "Get", "./Vendor/MSFT/RemoteLock/NewPINValue").unwrap();
    let answer = format!(
        "<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>{seq}</CmdRef><Cmd>Sequence</Cmd><Data>200</Data></Status>\
         <Status><CmdID>2</CmdID><MsgRef>1</MsgRef><CmdRef>{exec}</CmdRef><Cmd>Exec</Cmd><Data>200</Data></Status>\
         <Status><CmdID>3</CmdID><MsgRef>1</MsgRef><CmdRef>{get}</CmdRef><Cmd>Get</Cmd><Data>200</Data></Status>\
         <Results><CmdID>4</CmdID><MsgRef>1</MsgRef><CmdRef>{get}</CmdRef><Item><Source><LocURI>./Vendor/MSFT/RemoteLock/NewPINValue</LocURI></Source><Data>Wm7pK3qz</Data></Item></Results>"
    );
    dm_send(&h, &mut dm, "11", 2, &answer).await;
    let (_, a) = h.get(&action_path).await;
    assert_eq!(a["state"], "succeeded");
    assert_eq!(a["history"].as_array().unwrap().iter().filter(|t| t["to"] == "delivered").count(), 1, "no duplicate transition");
    assert_eq!(h.get(&format!("{action_path}/passcode")).await.1["passcode"], "Wm7pK3qz");
    // Seven days later the PIN is gone from the API.
    h.clock.advance(Duration::days(7) + Duration::minutes(1));
    maintenance::run_once(h.state()).await.unwrap();
    let (s, p) = h.get(&format!("{action_path}/passcode")).await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::GONE, Some("passcode_expired")));

    // The user removes the work account: the device leaves management and its secrets go.
    let alert = "<Alert><CmdID>1</CmdID><Data>1226</Data><Item><Meta><Type xmlns=\"syncml:metinf\">com.microsoft:mdm.unenrollment.userrequest</Type><Format xmlns=\"syncml:metinf\">int</Format></Meta><Data>1</Data></Item></Alert>";
    dm_send(&h, &mut dm, "12", 1, alert).await;
    let (_, d) = h.get(&format!("/devices/{id}")).await;
    assert!(d["device"]["retired_at"].is_string(), "{d}");
    assert_eq!(h.get("/devices?search=W10M-DIES").await.1["total"], 0, "hidden from the managed list");
    let device_id: pinreset_core::DeviceId = id.parse().unwrap();
    assert!(matches!(
        h.state()
            .store
            .secret(&pinreset_store::SecretKey::Device(device_id, pinreset_core::DeviceSecret::DmPassword), h.state().clock.now())
            .await
            .unwrap(),
        pinreset_store::SecretLookup::Missing
    ));
    let r = h
        .http
        .post(format!("{}/ManagementServer/MDM.svc", h.server.base_url()))
        .body(device_message(&dm.name, "13", 1, Some(dm.cred()), first))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "an unenrolled device is not managed any more");
}

/// Two instances behind a load balancer share one PostgreSQL database: a reset requested on one
/// is delivered by the other, and its end is seen by both (LISTEN/NOTIFY).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_instances_share_pending_actions() {
    use pinreset_server::app::delivery::take_deliverable;
    let a = start(Backend::Postgres).await;
    let dir = tempfile::tempdir().unwrap();
    let mut opts = ServeOptions::new("127.0.0.1:0".parse().unwrap(), dir.path().to_path_buf());
    opts.database_url = Some(a.db_url.clone());
    std::fs::copy(a.dir.path().join("master.key"), dir.path().join("master.key")).unwrap();
    let b = pinreset_server::start(opts, a.clock.clone()).await.expect("second instance starts");

    let galaxy = a.device("Galaxy S5").await;
    let device: pinreset_core::Device = serde_json::from_value(galaxy.clone()).unwrap();
    assert!(!b.state.pending.has_pending(device.id));
    let (_, action) = a.post(&format!("/devices/{}/actions/reset-passcode", device.id)).await;
    let mut seen = false;
    for _ in 0..50 {
        if b.state.pending.has_pending(device.id) {
            seen = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(seen, "the other instance heard of the queued action");
    let delivered = take_deliverable(&b.state, &device).await.unwrap();
    assert_eq!(delivered.iter().map(|x| x.id.to_string()).collect::<Vec<_>>(), [action["id"].as_str().unwrap()]);

    // The device answers through instance B; instance A's index forgets the device too.
    let (t, id, cause) = (a.tenant(&action), action_id(&action), device_cause(&action));
    device_results::acknowledged(&b.state, t, id, cause.clone()).await.unwrap();
    device_results::succeeded(&b.state, t, id, cause, device_results::DeviceOutcome::TemporaryPasscode(Secret::new("Jt5nQw8r")))
        .await
        .unwrap();
    let mut cleared = false;
    for _ in 0..50 {
        if !a.state().pending.has_pending(device.id) {
            cleared = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(cleared, "instance A no longer thinks the device has work");
    assert_eq!(a.get(&format!("/actions/{}/passcode", action["id"].as_str().unwrap())).await.1["passcode"], "Jt5nQw8r");
    b.shutdown().await;
}

fn apple_corpus(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../apple/tests/data/corpus/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn apple_result(udid: &str, status: &str, uuid: Option<&str>, extra: &str) -> Vec<u8> {
    let uuid = uuid.map(|u| format!("<key>CommandUUID</key><string>{u}</string>")).unwrap_or_default();
    format!("<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>UDID</key><string>{udid}</string><key>Status</key><string>{status}</string>{uuid}{extra}</dict></plist>").into_bytes()
}

/// An Apple device client: the enrollment identity of `login` as its TLS client certificate,
/// authenticated with `authenticate` (a check-in body). The first identity creates the tenant's
/// device CA, which TLS trusts a moment later: until then a connection carries no client
/// certificate, so each attempt uses a fresh client (keep-alive would pin the first connection).
async fn apple_enroll(h: &Harness, login: &str, authenticate: Vec<u8>) -> reqwest::Client {
    let tenant = h.state().store.list_tenants().await.unwrap().pop().unwrap();
    let (user, _) = h.state().store.user_by_login(tenant.id, login).await.unwrap().unwrap();
    let identity = pinreset_server::channels::apple::enrollment::issue_identity(h.state(), &user).await.unwrap();
    let pem = format!("{}{}", identity.cert_pem, identity.key_pem.expose());
    let udid = pinreset_apple::CheckinMessage::decode(&authenticate).unwrap().udid().unwrap().to_string();
    let client = authenticate_as(h, &pem, authenticate).await;
    answer_inventory(h, &client, &udid).await;
    client
}

/// A freshly enrolled device's first connection is asked for its DeviceInformation, before
/// anything else; answered, the server has nothing more.
async fn answer_inventory(h: &Harness, client: &reqwest::Client, udid: &str) {
    use pinreset_apple::command::{Command, Request};
    let (_, body) = apple_put(h, client, "/mdm/apple/connect", "application/xml", apple_result(udid, "Idle", None, "")).await;
    let ask = Command::decode(&body).expect("the inventory query");
    let Request::DeviceInformation { queries } = &ask.request else { panic!("{:?}", ask.request) };
    assert!(queries.iter().any(|q| q == "IsMultiUser"), "{queries:?}");
    let answer = apple_result(udid, "Acknowledged", Some(&ask.uuid), "<key>QueryResponses</key><dict></dict>");
    let (s, body) = apple_put(h, client, "/mdm/apple/connect", "application/xml", answer).await;
    assert_eq!((s, body.len()), (StatusCode::OK, 0), "asked once");
}

/// Authenticate with a device identity (certificate + key PEM) on fresh connections until TLS
/// trusts its CA; returns the client that got in.
async fn authenticate_as(h: &Harness, identity_pem: &str, authenticate: Vec<u8>) -> reqwest::Client {
    let ca = std::fs::read(h.server.ca_pem.as_ref().unwrap()).unwrap();
    for _ in 0..50 {
        let client = reqwest::Client::builder()
            .add_root_certificate(reqwest::Certificate::from_pem(&ca).unwrap())
            .identity(reqwest::Identity::from_pem(identity_pem.as_bytes()).unwrap())
            .build()
            .unwrap();
        if apple_put(h, &client, "/mdm/apple/checkin", CHECKIN, authenticate.clone()).await.0 == StatusCode::OK {
            return client;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("Authenticate was not accepted with this identity");
}

async fn apple_put(h: &Harness, c: &reqwest::Client, path: &str, ctype: &str, body: Vec<u8>) -> (StatusCode, Vec<u8>) {
    let r = c.put(format!("{}{path}", h.server.base_url())).header("content-type", ctype).body(body).send().await.unwrap();
    (r.status(), r.bytes().await.unwrap().to_vec())
}

const CHECKIN: &str = "application/x-apple-aspen-mdm-checkin";

async fn apple_passcode_is_cleared_with_the_escrowed_unlock_token(b: Backend) {
    use pinreset_apple::command::{Command, Request};
    const UDID: &str = "663b07bb783e9ade1dae4fbb92ea12afc0ce5b69";
    let h = start(b).await;
    // A real iPad's Authenticate is accepted with its enrollment identity.
    let ipad = apple_enroll(&h, "alice", apple_corpus("Authenticate.1.plist")).await;
    assert_eq!(apple_put(&h, &ipad, "/mdm/apple/checkin", CHECKIN, apple_corpus("TokenUpdate.1.plist")).await.0, StatusCode::OK);
    let (_, page) = h.get("/devices?search=F5JM992LF193").await;
    let device = page["items"][0].clone();
    assert_eq!((device["platform"].as_str(), device["unlock_token_escrowed"].as_bool()), (Some("ipados"), Some(true)), "{page}");
    let id = device["id"].as_str().unwrap().to_string();

    // Bad input changes nothing: wrong type, garbage, someone else's identity.
    assert_eq!(
        apple_put(&h, &ipad, "/mdm/apple/checkin", "text/plain", apple_corpus("TokenUpdate.1.plist")).await.0,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    assert_eq!(apple_put(&h, &ipad, "/mdm/apple/checkin", CHECKIN, b"<plist><dict>".to_vec()).await.0, StatusCode::BAD_REQUEST);
    // Bob's Mac is enrolled; its identity cannot speak for Alice's iPad.
    let bobs = apple_enroll(&h, "bob", apple_corpus("Authenticate.2.plist")).await;
    let forged = apple_put(&h, &bobs, "/mdm/apple/checkin", CHECKIN, apple_corpus("TokenUpdate.1.plist")).await.0;
    assert_eq!(forged, StatusCode::FORBIDDEN, "an identity that is not this UDID's is refused");
    assert_eq!(
        apple_put(&h, &bobs, "/mdm/apple/connect", "application/xml", apple_result(UDID, "Idle", None, "")).await.0,
        StatusCode::FORBIDDEN
    );

    let (s, reset) = h.post(&format!("/devices/{id}/actions/reset-passcode")).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{reset}");
    let (s, body) = apple_put(&h, &ipad, "/mdm/apple/connect", "application/xml", apple_result(UDID, "Idle", None, "")).await;
    assert_eq!(s, StatusCode::OK);
    let clear = Command::decode(&body).unwrap();
    let unlock = match clear.request {
        Request::ClearPasscode { ref unlock_token } => unlock_token.clone(),
        ref other => panic!("{other:?}"),
    };
    let escrowed = match pinreset_apple::CheckinMessage::decode(&apple_corpus("TokenUpdate.1.plist")).unwrap() {
        pinreset_apple::CheckinMessage::TokenUpdate(t) => t.unlock_token.unwrap(),
        _ => unreachable!(),
    };
    assert_eq!(unlock, escrowed, "the UnlockToken the device escrowed is filled in at delivery");
    // Busy: NotNow keeps the command for later, and it comes again.
    let (s, body) =
        apple_put(&h, &ipad, "/mdm/apple/connect", "application/xml", apple_result(UDID, "NotNow", Some(&clear.uuid), "")).await;
    assert_eq!((s, body.len()), (StatusCode::OK, 0));
    let (_, body) = apple_put(&h, &ipad, "/mdm/apple/connect", "application/xml", apple_result(UDID, "Idle", None, "")).await;
    assert_eq!(Command::decode(&body).unwrap().uuid, clear.uuid);
    // Acknowledged: the server asks SecurityInfo before calling it done.
    let (_, body) =
        apple_put(&h, &ipad, "/mdm/apple/connect", "application/xml", apple_result(UDID, "Acknowledged", Some(&clear.uuid), "")).await;
    let verify = Command::decode(&body).unwrap();
    assert_eq!(verify.request.request_type(), "SecurityInfo");
    assert_eq!(h.get(&format!("/actions/{}", reset["id"].as_str().unwrap())).await.1["state"], "acknowledged");
    let info = "<key>SecurityInfo</key><dict><key>PasscodePresent</key><false/></dict>";
    let (s, body) =
        apple_put(&h, &ipad, "/mdm/apple/connect", "application/xml", apple_result(UDID, "Acknowledged", Some(&verify.uuid), info)).await;
    assert_eq!((s, body.len()), (StatusCode::OK, 0), "nothing more to send");
    let (_, a) = h.get(&format!("/actions/{}", reset["id"].as_str().unwrap())).await;
    assert_eq!((a["state"].as_str(), a["result"]["type"].as_str()), (Some("succeeded"), Some("passcode_removed")), "{a}");
    assert!(a["summary"].as_str().unwrap().starts_with("Passcode removed"));
    let (s, p) = h.get(&format!("/actions/{}/passcode", reset["id"].as_str().unwrap())).await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::NOT_FOUND, Some("passcode_not_available")), "no temporary passcode on iOS");
    // The UnlockToken is sealed, not stored in clear, and never in the audit trail or the
    // command history (which do name the ClearPasscode it went out in).
    let hex: String = escrowed[..24].iter().map(|b| format!("{b:02x}")).collect();
    if let Backend::Postgres = b {
        assert!(!dump_all_postgres_tables(&h.db_url).await.contains(&hex));
    }
    let b64 = {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(&escrowed[..24])
    };
    let (_, audit) = h.get(&format!("/audit?device={id}&limit=1000")).await;
    let (_, commands) = h.get(&format!("/devices/{id}/commands")).await;
    assert!(commands.to_string().contains("ClearPasscode: Acknowledged"), "{commands}");
    for shown in [audit.to_string(), commands.to_string()] {
        assert!(!shown.contains(&hex) && !shown.contains(&b64), "an UnlockToken in {shown}");
    }
    let logged = String::from_utf8_lossy(&logs().0.lock().unwrap()).to_string();
    assert!(!logged.contains(&b64) && !logged.contains(&hex), "an UnlockToken in the trace-level logs");

    // Re-enrollment of the same UDID with a new identity (a new profile, not the device's
    // current certificate) waits for an admin; approved, the old UnlockToken is unusable.
    let reinstalled = apple_identity_client(&h, "alice").await;
    let (s, _) = apple_put(&h, &reinstalled, "/mdm/apple/checkin", CHECKIN, apple_corpus("Authenticate.1.plist")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(h.get(&format!("/devices/{id}")).await.1["device"]["unlock_token_escrowed"], true, "untouched until approved");
    let (_, requests) = h.get("/reenrollments").await;
    let rid = requests[0]["id"].as_str().unwrap();
    assert_eq!(h.post(&format!("/reenrollments/{rid}/approve")).await.0, StatusCode::OK);
    assert_eq!(apple_put(&h, &reinstalled, "/mdm/apple/checkin", CHECKIN, apple_corpus("Authenticate.1.plist")).await.0, StatusCode::OK);
    let (_, d) = h.get(&format!("/devices/{id}")).await;
    assert_eq!(d["device"]["unlock_token_escrowed"], false);
    assert_eq!(d["capabilities"]["reset_passcode"]["code"], "ios_no_unlock_token");
    // The old identity no longer speaks for the device.
    assert_eq!(
        apple_put(&h, &ipad, "/mdm/apple/connect", "application/xml", apple_result(UDID, "Idle", None, "")).await.0,
        StatusCode::FORBIDDEN
    );
}

async fn apple_mac_lock_shows_the_pin_the_mac_received(b: Backend) {
    use pinreset_apple::command::{Command, Request};
    const UDID: &str = "66ADE930-5FDF-5EC4-8429-15640684C489";
    let h = start(b).await;
    let mac = apple_enroll(&h, "carol", apple_corpus("Authenticate.2.plist")).await;
    assert_eq!(apple_put(&h, &mac, "/mdm/apple/checkin", CHECKIN, apple_corpus("TokenUpdate.2.plist")).await.0, StatusCode::OK);
    // A result for a command of another server (the corpus's DeviceInformation) is accepted and ignored.
    let (s, body) = apple_put(&h, &mac, "/mdm/apple/connect", "application/xml", apple_corpus("DeviceInformation.1.plist")).await;
    assert_eq!((s, body.len()), (StatusCode::OK, 0));
    let (_, page) = h.get("/devices?search=C02MT66KFLHH").await;
    let device = &page["items"][0];
    assert_eq!((device["platform"].as_str(), device["unlock_token_escrowed"].as_bool()), (Some("macos"), Some(false)));
    let id = device["id"].as_str().unwrap();
    let (_, d) = h.get(&format!("/devices/{id}")).await;
    assert_eq!(d["capabilities"]["reset_passcode"]["code"], "macos_unsupported");
    assert_eq!(d["capabilities"]["remote_lock"]["kind"], "lock_with_pin");
    assert_eq!(d["reached_by"]["by"], "next_check_in");
    assert!(d["reached_by"]["reason"].as_str().unwrap().contains("No APNs push certificate"), "{d}");

    let (_, lock) = h.post(&format!("/devices/{id}/actions/remote-lock")).await;
    let (_, body) = apple_put(&h, &mac, "/mdm/apple/connect", "application/xml", apple_result(UDID, "Idle", None, "")).await;
    let cmd = Command::decode(&body).unwrap();
    let Request::DeviceLock { pin: Some(pin), .. } = &cmd.request else { panic!("{:?}", cmd.request) };
    assert!(pin.len() == 6 && pin.bytes().all(|c| c.is_ascii_digit()), "{pin}");
    apple_put(&h, &mac, "/mdm/apple/connect", "application/xml", apple_result(UDID, "Acknowledged", Some(&cmd.uuid), "")).await;
    let (_, a) = h.get(&format!("/actions/{}", lock["id"].as_str().unwrap())).await;
    assert_eq!((a["state"].as_str(), a["result"]["type"].as_str()), (Some("succeeded"), Some("lock_pin")), "{a}");
    let (_, p) = h.get(&format!("/actions/{}/passcode", lock["id"].as_str().unwrap())).await;
    assert_eq!(p["passcode"].as_str(), Some(pin.as_str()), "the admin sees the PIN the Mac was locked with");
}

/// The Windows device simulator (own SyncML writer, Windows-shaped CSR) against the real server:
/// discovery → policy → enrollment, then management sessions.
async fn simulated_windows_devices_enroll_and_get_their_pin_reset(b: Backend) {
    use pinreset_sim::windows::{WindowsDevice, WindowsProfile};
    let h = start(b).await;
    support::windows_device::contoso_user(h.state().store.as_ref()).await;
    let base = h.server.base_url();
    let ca = std::fs::read_to_string(h.server.ca_pem.as_ref().unwrap()).unwrap();
    let enroll = |profile| WindowsDevice::enroll(&base, &ca, "user@contoso.com", "mypassword", profile);

    // Windows 10 Mobile, Creators Update, Azure AD joined: the device's own PIN reaches the admin.
    let mut phone = enroll(WindowsProfile::Windows10Mobile15063).await.expect("enrolls through all three services");
    phone.run_session().await.expect("an idle session");
    let d = first_device(&h, &phone.device_id).await;
    assert_eq!((d["platform"].as_str(), d["join_type"].as_str()), (Some("windows_mobile"), Some("azure_ad_joined")), "{d}");
    let (s, reset) = h.post(&format!("/devices/{}/actions/reset-passcode", d["id"].as_str().unwrap())).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{reset}");
    phone.run_session().await.unwrap();
    let (_, p) = h.get(&format!("/actions/{}/passcode", reset["id"].as_str().unwrap())).await;
    assert_eq!(p["passcode"].as_str(), phone.pin(), "the PIN the simulator generated is the one the admin sees");
    assert!(phone.locked());

    // Windows Phone 8.1: a numeric PIN.
    let mut wp = enroll(WindowsProfile::WindowsPhone81).await.unwrap();
    let d = first_device(&h, &wp.device_id).await;
    assert_eq!(d["platform"], "windows_phone");
    let (_, reset) = h.post(&format!("/devices/{}/actions/reset-passcode", d["id"].as_str().unwrap())).await;
    wp.run_session().await.unwrap();
    let (_, p) = h.get(&format!("/actions/{}/passcode", reset["id"].as_str().unwrap())).await;
    let pin = p["passcode"].as_str().unwrap();
    assert!(pin.bytes().all(|c| c.is_ascii_digit()) && Some(pin) == wp.pin(), "{pin}");

    // Windows 11 desktop: refused with the reason, nothing sent.
    let desktop = enroll(WindowsProfile::Windows11Desktop).await.unwrap();
    let d = first_device(&h, &desktop.device_id).await;
    let (s, p) = h.post(&format!("/devices/{}/actions/reset-passcode", d["id"].as_str().unwrap())).await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::CONFLICT, Some("windows_desktop_unsupported")));

    // Remote lock of a phone without a PIN fails with the 405 reason.
    let mut old = enroll(WindowsProfile::Windows10Mobile14393).await.unwrap();
    old.set_pin(None);
    let d = first_device(&h, &old.device_id).await;
    let (_, lock) = h.post(&format!("/devices/{}/actions/remote-lock", d["id"].as_str().unwrap())).await;
    old.run_session().await.unwrap();
    let (_, a) = h.get(&format!("/actions/{}", lock["id"].as_str().unwrap())).await;
    assert_eq!((a["state"].as_str(), a["failure_view"]["code"].as_str()), (Some("failed"), Some("device_no_pin_set")), "{a}");
    // And a 14393 phone's reset is refused: it predates Creators Update.
    let (_, p) = h.post(&format!("/devices/{}/actions/reset-passcode", d["id"].as_str().unwrap())).await;
    assert_eq!(p["code"], "windows_mobile_too_old");
}

/// The device whose name, serial, UDID … contains `text`.
async fn first_device(h: &Harness, text: &str) -> Value {
    h.get(&format!("/devices?search={text}")).await.1["items"][0].clone()
}

fn pem(label: &str, der: &[u8]) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = b64.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).unwrap()).collect();
    format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", lines.join("\n"))
}

async fn apple_device_enrolls_from_a_downloaded_profile(b: Backend) {
    use pinreset_apple::profile::EnrollmentProfile;
    let h = start(b).await;
    let tenant = h.state().store.list_tenants().await.unwrap().pop().unwrap();
    let (alice, _) = h.state().store.user_by_login(tenant.id, "alice").await.unwrap().unwrap();
    let r = h
        .http
        .post(h.url("/enrollment/apple/profiles"))
        .bearer_auth(&h.creds.admin_token)
        .json(&json!({"user_id": alice.id}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/x-apple-aspen-config");
    let body = r.bytes().await.unwrap();
    // Signed by the server certificate: OpenSSL checks it against the server's CA on its own (any
    // purpose: a TLS server certificate signs profiles, as devices accept) …
    let tls_dir = h.server.ca_pem.as_ref().unwrap().parent().unwrap().to_path_buf();
    let signed = tls_dir.join("profile.mobileconfig");
    std::fs::write(&signed, &body).unwrap();
    let out = std::process::Command::new("openssl")
        .args(["cms", "-verify", "-purpose", "any", "-inform", "DER", "-binary", "-in"])
        .arg(&signed)
        .arg("-CAfile")
        .arg(h.server.ca_pem.as_ref().unwrap())
        .output()
        .expect("openssl");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // … and the signer is the certificate the server presents.
    let verified = pinreset_pki::cms::verify(&body, None).unwrap();
    assert_eq!(out.stdout, verified.content);
    let server_pem = std::fs::read(tls_dir.join("server.pem")).unwrap();
    use rustls::pki_types::pem::PemObject;
    assert_eq!(verified.signer, rustls::pki_types::CertificateDer::from_pem_slice(&server_pem).unwrap().to_vec());
    let profile = EnrollmentProfile::decode(&verified.content, &Default::default()).expect("a profile a device can install");
    assert!(
        profile.mdm.server_url.ends_with("/mdm/apple/connect")
            && profile.mdm.check_in_url.as_deref().unwrap().ends_with("/mdm/apple/checkin")
    );
    assert_eq!(profile.mdm.access_rights.bits() & 1052, 1052);
    // The identity inside is what the device presents.
    let store = p12_keystore::KeyStore::from_pkcs12(
        &profile.identity.pkcs12,
        profile.identity.password.as_deref().unwrap(),
        p12_keystore::Pkcs12ImportPolicy::Relaxed,
    )
    .unwrap();
    let (_, chain) = store.private_key_chain().expect("a key and its certificate");
    let identity = format!("{}{}", pem("CERTIFICATE", chain.certs()[0].as_der()), pem("PRIVATE KEY", chain.key().as_der()));
    // The profile's identity enrolls the device.
    authenticate_as(&h, &identity, apple_corpus("Authenticate.1.plist")).await;
    let (_, page) = h.get("/devices?search=F5JM992LF193").await;
    assert_eq!(
        page["items"][0]["primary_user_id"].as_str(),
        Some(alice.id.to_string().as_str()),
        "the device belongs to the profile's user"
    );
    // Only tenant admins hand out profiles, and the issue is audited.
    let forbidden = h.post_as(&h.creds.helpdesk_token, "/enrollment/apple/profiles", Some(json!({"user_id": alice.id}))).await;
    assert_eq!(forbidden.0, StatusCode::FORBIDDEN);
    let bad = h.post_as(&h.creds.admin_token, "/enrollment/apple/profiles", Some(json!({"user_id": "nope"}))).await;
    assert_eq!((bad.0, bad.1["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_input")));
    // The user by sign-in name instead: exactly one of the two, and one that exists.
    for body in [json!({}), json!({"user_id": alice.id, "login": "alice"})] {
        let bad = h.post_as(&h.creds.admin_token, "/enrollment/apple/profiles", Some(body)).await;
        assert_eq!((bad.0, bad.1["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_input")), "{}", bad.1);
    }
    let unknown = h.post_as(&h.creds.admin_token, "/enrollment/apple/profiles", Some(json!({"login": "nobody"}))).await;
    assert_eq!(unknown.0, StatusCode::NOT_FOUND);
    // The command history of a device that is not one.
    assert_eq!(h.get("/devices/nope/commands").await.1["code"], "invalid_input");
    assert_eq!(h.get(&format!("/devices/{}/commands", uuid::Uuid::new_v4())).await.0, StatusCode::NOT_FOUND);
    let (_, audit) = h.get("/audit?actor=user:admin").await;
    assert!(audit.as_array().unwrap().iter().any(|e| e["kind"] == "enrollment_profile_issued"));
}

async fn apple_reset_pushes_the_device_through_apns(b: Backend) {
    const TOPIC: &str = "com.apple.mgmt.External.0b1cafe0-aaaa-bbbb-cccc-123456789abc";
    let (push_cert, push_key) = push_certificate(TOPIC);
    let (h, apns) = start_with_stand_in_apns(b, &push_cert).await;

    let r = upload_push_certificate(&h, "nonsense", "x").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = upload_push_certificate(&h, &push_cert.pem(), &push_key.serialize_pem()).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["topic"], TOPIC);

    let ipad = apple_enroll(&h, "alice", apple_corpus("Authenticate.1.plist")).await;
    assert_eq!(apple_put(&h, &ipad, "/mdm/apple/checkin", CHECKIN, apple_corpus("TokenUpdate.1.plist")).await.0, StatusCode::OK);
    let id = h.get("/devices?search=F5JM992LF193").await.1["items"][0]["id"].as_str().unwrap().to_string();
    let (_, reset) = h.post(&format!("/devices/{id}/actions/reset-passcode")).await;
    let mut got = Vec::new();
    for _ in 0..100 {
        got = apns.received();
        if !got.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(got.len(), 1, "one push for the queued reset");
    let push = &got[0];
    assert_eq!(push.token_hex, "47e8eec062c2f729ec1703c1b3e18f1971d85f00be76445d34080baa701b5f51", "hex of the device's push token");
    assert_eq!(push.topic, TOPIC);
    assert_eq!(serde_json::from_str::<Value>(&push.body).unwrap(), json!({"mdm": "CEFDF0BD-E342-4A27-8742-E930EA116B0A"}));
    let mut pushed = false;
    for _ in 0..40 {
        let (_, audit) = h.get(&format!("/audit?action={}", reset["id"].as_str().unwrap())).await;
        if audit.as_array().unwrap().iter().any(|e| e["kind"] == "push_sent") {
            pushed = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(pushed, "the push is in the action's audit trail");
}
