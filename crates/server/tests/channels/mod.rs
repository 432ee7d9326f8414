//! Issue 9, item 4: one channel contract. What a channel cannot encode is refused at request
//! time (never parked in `delivered`), wake-ups are claimed by one dispatcher across instances,
//! APNs connections are reused, and maintenance runs on one instance per tick.

use crate::*;
use pinreset_core::{ActionKind, ActionParams, ActionState, DeviceId, RemoteAction};
use pinreset_server::clock::Clock;

const TOPIC: &str = "com.apple.mgmt.External.0b1cafe0-aaaa-bbbb-cccc-123456789abc";
/// Hex of the push token in the corpus' TokenUpdate.1.plist.
const TOKEN_HEX: &str = "47e8eec062c2f729ec1703c1b3e18f1971d85f00be76445d34080baa701b5f51";

async fn action(h: &Harness, id: &str) -> Value {
    h.get(&format!("/actions/{id}")).await.1
}

/// An enrolled iPad with a push token; its device id.
async fn enrolled_ipad(h: &Harness) -> (reqwest::Client, String) {
    let ipad = apple_enroll(h, "alice", apple_corpus("Authenticate.1.plist")).await;
    assert_eq!(apple_put(h, &ipad, "/mdm/apple/checkin", CHECKIN, apple_corpus("TokenUpdate.1.plist")).await.0, StatusCode::OK);
    let id = h.get("/devices?search=F5JM992LF193").await.1["items"][0]["id"].as_str().unwrap().to_string();
    (ipad, id)
}

/// `remove` on an enrolled Windows device reaches it (DMClient Unenroll) and retires it;
/// `rename` on an enrolled Apple device is refused when asked, with its reason. Before, both
/// were queued, marked delivered and dropped by the encoder: seven days in `delivered`.
pub(crate) async fn remove_and_rename_reach_the_device_or_are_refused_up_front(b: Backend) {
    use pinreset_sim::windows::{WindowsDevice, WindowsProfile};
    let h = start(b).await;
    support::windows_device::contoso_user(h.state().store.as_ref()).await;
    let ca = std::fs::read_to_string(h.server.ca_pem.as_ref().unwrap()).unwrap();
    let mut phone =
        WindowsDevice::enroll(&h.server.base_url(), &ca, "user@contoso.com", "mypassword", WindowsProfile::Windows10Mobile15063)
            .await
            .expect("enrolls");
    phone.run_session().await.expect("an idle session");
    let d = first_device(&h, &phone.device_id).await;
    let (s, remove) = h.post(&format!("/devices/{}/actions/remove", d["id"].as_str().unwrap())).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{remove}");
    assert_eq!(remove["support"], json!({"kind": "retire"}), "the chosen way is stored on the action");
    phone.run_session().await.expect("the session with the unenrollment");
    assert!(phone.unenrolled_by_server(), "the device got Exec DMClient/Unenroll with our ProviderID");
    let a = action(&h, remove["id"].as_str().unwrap()).await;
    assert_eq!(a["state"], "succeeded", "{a}");
    let (_, dev) = h.get(&format!("/devices/{}", d["id"].as_str().unwrap())).await;
    assert!(!dev["device"]["retired_at"].is_null(), "the unenrolled device is retired: {dev}");

    // Apple: refused with the catalogue reason, shown on the device view, audited, nothing queued.
    let (_, ipad_id) = enrolled_ipad(&h).await;
    let (_, view) = h.get(&format!("/devices/{ipad_id}")).await;
    assert_eq!(view["capabilities"]["rename"]["code"], "apple_rename_unsupported", "{view}");
    assert_eq!(view["capabilities"]["remove"]["status"], "supported");
    let (s, problem) = h.post_as(&h.creds.admin_token, &format!("/devices/{ipad_id}/actions/rename"), Some(json!({"name": "x"}))).await;
    assert_eq!((s, problem["code"].as_str()), (StatusCode::CONFLICT, Some("apple_rename_unsupported")), "{problem}");
    assert!(problem["remedy"].as_str().unwrap().contains("on the device itself"), "{problem}");
    assert_eq!(h.get(&format!("/devices/{ipad_id}/actions")).await.1.as_array().unwrap().len(), 0, "nothing queued");
    let (_, audit) = h.get(&format!("/audit?device={ipad_id}")).await;
    assert!(audit.as_array().unwrap().iter().any(|e| e["outcome"] == "refused:apple_rename_unsupported"), "{audit}");
}

/// An action that got past the matrix (stored before the contract, or by an older version) is
/// failed with its reason at the device's next check-in, never marked delivered.
pub(crate) async fn an_action_the_channel_cannot_encode_fails_instead_of_sitting_in_delivered(b: Backend) {
    let h = start(b).await;
    let (ipad, ipad_id) = enrolled_ipad(&h).await;
    let device: DeviceId = ipad_id.parse().unwrap();
    let tenant = h.state().store.list_tenants().await.unwrap().pop().unwrap().id;
    let now = h.clock.now();
    let params = ActionParams { name: Some("Kiosk 4".into()), ..Default::default() };
    let cause = Cause::System { component: "older-version".into() };
    let mut a = RemoteAction::request(ActionId::new(), tenant, device, ActionKind::Rename, params, cause.clone(), now, Duration::days(7));
    a.transition(ActionState::Queued, cause, now, None).unwrap();
    h.state().store.request_action(&a, &[]).await.unwrap();
    h.state().pending.mark(device);

    let udid = "663b07bb783e9ade1dae4fbb92ea12afc0ce5b69";
    let (s, body) = apple_put(&h, &ipad, "/mdm/apple/connect", "application/xml", apple_result(udid, "Idle", None, "")).await;
    assert_eq!((s, body.len()), (StatusCode::OK, 0), "nothing to send: {}", String::from_utf8_lossy(&body));
    let stored = action(&h, &a.id.to_string()).await;
    assert_eq!(stored["state"], "failed", "{stored}");
    assert_eq!(stored["failure"]["code"], "apple_rename_unsupported", "{stored}");
    assert!(!stored["history"].as_array().unwrap().iter().any(|t| t["to"] == "delivered"), "never delivered: {stored}");
    assert!(!h.state().pending.has_pending(device), "the device is back on the idle fast path");
}

/// Two pushes to one tenant's devices go over one APNs connection (before: a new client, so a
/// new TLS handshake, per push).
pub(crate) async fn apns_pushes_reuse_one_connection(b: Backend) {
    let (push_cert, push_key) = push_certificate(TOPIC);
    let (h, apns) = start_with_stand_in_apns(b, &push_cert).await;
    assert_eq!(upload_push_certificate(&h, &push_cert.pem(), &push_key.serialize_pem()).await.status(), StatusCode::OK);
    let (_, id) = enrolled_ipad(&h).await;
    for (n, kind) in ["remote-lock", "reset-passcode"].into_iter().enumerate() {
        let (s, a) = h.post(&format!("/devices/{id}/actions/{kind}")).await;
        assert_eq!(s, StatusCode::ACCEPTED, "{a}");
        assert!(apns.wait_for(TOKEN_HEX, n, std::time::Duration::from_secs(5)).await.is_some(), "push {n} arrived");
    }
    assert_eq!(apns.count_for(TOKEN_HEX), 2);
    assert_eq!(apns.connections(), 1, "both pushes on one connection");
}

/// Under load the dispatcher can claim a wake-up the moment its action commits, before the
/// request that queued it has marked the device in the in-memory index (the request's group
/// commit has not returned yet). The pushed device asks at once: it must get its command, not
/// "nothing", or it waits for a push that never comes again (seen as actions left queued in
/// the action-path benchmark's live round).
pub(crate) async fn a_device_pushed_before_its_request_returned_gets_the_command(b: Backend) {
    use pinreset_apple::command::{Command, Request};
    use pinreset_server::app::push;
    let (push_cert, push_key) = push_certificate(TOPIC);
    let (h, apns) = start_with_stand_in_apns(b, &push_cert).await;
    assert_eq!(upload_push_certificate(&h, &push_cert.pem(), &push_key.serialize_pem()).await.status(), StatusCode::OK);
    let (ipad, ipad_id) = enrolled_ipad(&h).await;
    let device: DeviceId = ipad_id.parse().unwrap();
    let tenant = h.state().store.list_tenants().await.unwrap().pop().unwrap().id;
    // The action committed, its request not yet back: nothing has marked the device.
    let now = h.clock.now();
    let cause = Cause::System { component: "server".into() };
    let mut a = RemoteAction::request(
        ActionId::new(),
        tenant,
        device,
        ActionKind::RemoteLock,
        ActionParams::default(),
        cause.clone(),
        now,
        Duration::days(7),
    );
    a.transition(ActionState::Queued, cause, now, None).unwrap();
    h.state().store.request_action(&a, &[]).await.unwrap();
    assert!(!h.state().pending.has_pending(device));

    push::dispatch(h.state()).await.unwrap();
    assert!(apns.wait_for(TOKEN_HEX, 0, std::time::Duration::from_secs(5)).await.is_some(), "pushed");
    let udid = "663b07bb783e9ade1dae4fbb92ea12afc0ce5b69";
    let (s, body) = apple_put(&h, &ipad, "/mdm/apple/connect", "application/xml", apple_result(udid, "Idle", None, "")).await;
    assert_eq!(s, StatusCode::OK);
    let command = Command::decode(&body)
        .unwrap_or_else(|e| panic!("the woken device gets its lock, not nothing ({e}): {}", String::from_utf8_lossy(&body)));
    assert!(matches!(command.request, Request::DeviceLock { .. }), "{:?}", command.request);
    assert_eq!(action(&h, &a.id.to_string()).await["state"], "delivered");

    // Answered, the device is back on the idle fast path: nothing stale stays marked.
    let ack = apple_result(udid, "Acknowledged", Some(&command.uuid), "");
    let (s, body) = apple_put(&h, &ipad, "/mdm/apple/connect", "application/xml", ack).await;
    assert_eq!((s, body.len()), (StatusCode::OK, 0));
    assert_eq!(action(&h, &a.id.to_string()).await["state"], "succeeded");
    assert!(!h.state().pending.has_pending(device));
}

/// The upkeep of a tick runs on one instance: while one holds the maintenance lease another's
/// tick does nothing; when the holder stops ticking, the other takes over after the lease.
pub(crate) async fn maintenance_runs_on_one_instance_per_tick(b: Backend) {
    let h = start_configured(b, |o| o.maintenance_interval = std::time::Duration::from_secs(86_400)).await;
    let tick = std::time::Duration::from_secs(60);
    // The worker's start-up tick takes the lease for its whole (day-long) interval: wait for it,
    // or it could land in the middle of the sequence below.
    for _ in 0..200 {
        if h.state().maintenance_ticks.load(std::sync::atomic::Ordering::Acquire) > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(h.state().maintenance_ticks.load(std::sync::atomic::Ordering::Acquire) > 0, "the worker's start-up tick ran");
    // A second instance on the same database: the same services under another name.
    let mut other = h.state().clone();
    other.instance = std::sync::Arc::from("the-other-instance");
    let mine = maintenance::run_tick(h.state(), tick).await.unwrap();
    assert!(mine.is_some(), "the first instance runs (its start-up tick already holds the lease)");
    assert!(maintenance::run_tick(&other, tick).await.unwrap().is_none(), "the other skips this tick");
    assert!(maintenance::run_tick(h.state(), tick).await.unwrap().is_some(), "the holder renews");
    h.clock.advance(Duration::seconds(61));
    assert!(maintenance::run_tick(&other, tick).await.unwrap().is_some(), "taken over once the lease lapsed");
    assert!(maintenance::run_tick(h.state(), tick).await.unwrap().is_none());
}

/// Two instances on one PostgreSQL database, each with its dispatcher and maintenance, and
/// more dispatch runs racing on both: one queued Apple action is pushed exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_two_instances_push_one_queued_apple_action_once() {
    use pinreset_server::app::push;
    let (push_cert, push_key) = push_certificate(TOPIC);
    let (a, apns) = start_with_stand_in_apns(Backend::Postgres, &push_cert).await;
    assert_eq!(upload_push_certificate(&a, &push_cert.pem(), &push_key.serialize_pem()).await.status(), StatusCode::OK);
    let (_, id) = enrolled_ipad(&a).await;

    let dir = tempfile::tempdir().unwrap();
    let mut opts = ServeOptions::new("127.0.0.1:0".parse().unwrap(), dir.path().to_path_buf());
    opts.database_url = Some(a.db_url.clone());
    opts.push = (*a.state().push).clone();
    // The same master key, so B reads the push certificate A's tenant uploaded.
    std::fs::copy(a.dir.path().join("master.key"), dir.path().join("master.key")).unwrap();
    let b = pinreset_server::start(opts, a.clock.clone()).await.expect("second instance starts");

    let (s, reset) = a.post(&format!("/devices/{id}/actions/reset-passcode")).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{reset}");
    // Both instances work the outbox at once, several times over (a request's dispatch, the
    // other instance's maintenance tick, ...).
    let mut runs = Vec::new();
    for i in 0..8 {
        let state = if i % 2 == 0 { a.state().clone() } else { b.state.clone() };
        runs.push(tokio::spawn(async move { push::dispatch(&state).await.unwrap() }));
    }
    let mut sent_by_runs = 0;
    for r in runs {
        sent_by_runs += r.await.unwrap();
    }
    assert!(apns.wait_for(TOKEN_HEX, 0, std::time::Duration::from_secs(5)).await.is_some(), "pushed");
    // Give any second push time to arrive.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(apns.count_for(TOKEN_HEX), 1, "exactly one push for one queued action");
    assert!(sent_by_runs <= 1);
    let (_, audit) = a.get(&format!("/audit?action={}", reset["id"].as_str().unwrap())).await;
    assert_eq!(audit.as_array().unwrap().iter().filter(|e| e["kind"] == "push_sent").count(), 1, "{audit}");
    b.shutdown().await;
}
