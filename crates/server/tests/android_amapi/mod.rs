//! Issue 13, item 2: the Android Management API backend against the stand-in Google of the sim
//! crate (every AMAPI request checked against Google's discovery document), as an admin sees
//! it: bind the enterprise, sync the devices, reset, and read the passcode the device took.

use super::*;
use pinreset_sim::android::amapi::{Behaviour, SimAmapiDevice, StandIn, ENTERPRISE, SUBSCRIPTION};
use pinreset_sim::android::AndroidProfile;

/// The server with the enterprise bound to a fresh stand-in.
async fn bound(b: Backend) -> (Harness, StandIn) {
    let h = start(b).await;
    let google = StandIn::start().await.unwrap();
    let (s, v) = put_binding(&h, binding_body(&google)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    (h, google)
}

fn binding_body(google: &StandIn) -> Value {
    json!({
        "project_id": "contoso-mdm",
        "enterprise_name": ENTERPRISE,
        "service_account_key": google.key_file(),
        "amapi_url": google.base_url(),
        "pubsub_url": google.base_url(),
        "pubsub_subscription": SUBSCRIPTION,
        "operations_per_minute": 600,
        "operation_check_seconds": 5,
    })
}

async fn put_binding(h: &Harness, body: Value) -> (StatusCode, Value) {
    let r = h.http.put(h.url("/tenant/android-enterprise")).bearer_auth(&h.creds.admin_token).json(&body).send().await.unwrap();
    (r.status(), r.json().await.unwrap_or(Value::Null))
}

async fn sync(h: &Harness) -> Value {
    let (s, report) = h.post("/tenant/android-enterprise/sync").await;
    assert_eq!(s, StatusCode::OK, "{report}");
    report
}

/// The pinreset device synced from the stand-in's device `name`.
async fn device_of(h: &Harness, amapi_name: &str) -> Value {
    let (s, page) = h.get("/devices?limit=500").await;
    assert_eq!(s, StatusCode::OK, "{page}");
    let id = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["amapi_name"] == amapi_name)
        .unwrap_or_else(|| panic!("no device synced for {amapi_name}: {page}"))["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (s, d) = h.get(&format!("/devices/{id}")).await;
    assert_eq!(s, StatusCode::OK, "{d}");
    d
}

async fn request_reset(h: &Harness, device: &Value) -> (StatusCode, Value) {
    h.post(&format!("/devices/{}/actions/reset-passcode", device["device"]["id"].as_str().unwrap())).await
}

/// The action once it has left `queued`/`delivered` (Pub/Sub settles it within a tick or two;
/// up to 30 s for a machine busy with other tests).
async fn finished(h: &Harness, action: &Value) -> Value {
    let path = format!("/actions/{}", action["id"].as_str().unwrap());
    for _ in 0..300 {
        let (_, a) = h.get(&path).await;
        if !["requested", "queued", "delivered", "acknowledged"].contains(&a["state"].as_str().unwrap_or("")) {
            return a;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the action did not finish: {}", h.get(&path).await.1);
}

/// Until the command was issued and Google's operation recorded (the dispatcher works the outbox
/// at once). The action reads `delivered` a moment before: a reconciler round run in between
/// would find no operation to look at.
async fn delivered(h: &Harness, action: &Value) {
    let path = format!("/actions/{}", action["id"].as_str().unwrap());
    let id = action["id"].as_str().unwrap().parse().unwrap();
    for _ in 0..100 {
        let recorded = h.state().store.amapi_operation_of_action(id).await.unwrap().is_some();
        if recorded && h.get(&path).await.1["state"] == "delivered" {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the command was not issued: {}", h.get(&path).await.1);
}

async fn passcode(h: &Harness, action: &Value) -> String {
    let (s, p) = h.get(&format!("/actions/{}/passcode", action["id"].as_str().unwrap())).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    p["passcode"].as_str().unwrap().to_string()
}

pub(crate) async fn amapi_device_owners_on_android_6_and_13_get_the_passcode_the_admin_sees(b: Backend) {
    let (h, google) = bound(b).await;
    let six = google.add_device(SimAmapiDevice::android6_device_owner("d6").with_account("alice"));
    let thirteen = google.add_device(SimAmapiDevice::from_profile(AndroidProfile::Android13FullyManaged, "d13").with_account("bob"));
    let report = sync(&h).await;
    assert_eq!((report["listed"].as_u64(), report["created"].as_u64()), (Some(2), Some(2)), "{report}");

    for (name, id, owner, version) in [(&six, "d6", "alice", "6.0.1"), (&thirteen, "d13", "bob", "13")] {
        let d = device_of(&h, name).await;
        assert_eq!(d["device"]["platform"], "android", "{d}");
        assert_eq!(d["device"]["management_mode"], "device_owner", "{d}");
        assert_eq!(d["device"]["os_version"], version, "{d}");
        assert_eq!(d["owner"]["login"], owner, "the AMAPI user's accountIdentifier names the owner: {d}");
        assert_eq!(d["capabilities"]["reset_passcode"]["status"], "supported", "{d}");
        assert_eq!(d["capabilities"]["reset_passcode"]["scope"], "device", "{d}");
        let (s, action) = request_reset(&h, &d).await;
        assert_eq!(s, StatusCode::ACCEPTED, "{action}");
        let done = finished(&h, &action).await;
        assert_eq!(done["state"], "succeeded", "{done}");
        let shown = passcode(&h, &action).await;
        assert_eq!(google.device(id).passcode.as_deref(), Some(shown.as_str()), "the device took exactly the passcode the admin sees");
        assert!(google.device(id).locked, "LOCK_NOW");
        let sent = google.commands_to(id);
        assert_eq!(sent.len(), 1, "{sent:?}");
        assert_eq!(sent[0]["type"], "RESET_PASSWORD");
        assert_eq!(sent[0]["resetPasswordFlags"], json!(["REQUIRE_ENTRY", "LOCK_NOW"]));
        assert_eq!(sent[0]["duration"], "600s");
    }
    // Syncing again updates, never duplicates.
    let again = sync(&h).await;
    assert_eq!((again["created"].as_u64(), again["updated"].as_u64()), (Some(0), Some(2)), "{again}");
    assert!(google.acknowledged() >= 2, "the notifications were acknowledged");
    assert_eq!(google.token_requests(), 1, "one access token, reused while valid");
    assert_eq!(google.violations(), Vec::<String>::new());
    h.server.shutdown().await;
}

/// A device removed from the enterprise at Google (listed as DELETED) leaves management here at
/// the next sync: retired, out of the device list, no action can be queued for it; later syncs
/// leave it alone, and the device still managed is only updated.
pub(crate) async fn amapi_device_deleted_at_google_is_retired_by_the_sync(b: Backend) {
    let (h, google) = bound(b).await;
    let gone = google.add_device(SimAmapiDevice::from_profile(AndroidProfile::Android13FullyManaged, "gone").with_account("alice"));
    let kept = google.add_device(SimAmapiDevice::android6_device_owner("kept").with_account("bob"));
    sync(&h).await;
    let (gone_device, kept_device) = (device_of(&h, &gone).await, device_of(&h, &kept).await);
    assert!(gone_device["device"]["retired_at"].is_null(), "{gone_device}");

    google.delete_device("gone");
    let report = sync(&h).await;
    assert_eq!(
        (report["listed"].as_u64(), report["updated"].as_u64(), report["retired"].as_u64(), report["created"].as_u64()),
        (Some(2), Some(1), Some(1), Some(0)),
        "{report}"
    );
    let id = gone_device["device"]["id"].as_str().unwrap();
    let (_, after) = h.get(&format!("/devices/{id}")).await;
    assert!(after["device"]["retired_at"].is_string(), "retired: {after}");
    let (_, page) = h.get("/devices?limit=500").await;
    assert!(!page["items"].as_array().unwrap().iter().any(|d| d["id"] == id), "out of the device list: {page}");
    let (s, refused) = request_reset(&h, &after).await;
    assert_ne!(s, StatusCode::ACCEPTED, "{refused}");
    assert!(google.commands_to("gone").is_empty(), "nothing sent to a deleted device");
    assert_eq!(device_of(&h, &kept).await["device"]["retired_at"], kept_device["device"]["retired_at"]);

    // Listed as DELETED again: nothing left to retire, nothing recreated.
    let again = sync(&h).await;
    assert_eq!((again["retired"].as_u64(), again["created"].as_u64(), again["skipped"].as_u64()), (Some(0), Some(0), Some(1)), "{again}");
    assert_eq!(google.violations(), Vec::<String>::new());
    h.server.shutdown().await;
}

pub(crate) async fn amapi_android_14_work_profile_gets_a_work_profile_passcode(b: Backend) {
    let (h, google) = bound(b).await;
    let name = google.add_device(SimAmapiDevice::from_profile(AndroidProfile::Android14WorkProfile, "wp14").with_account("carol"));
    sync(&h).await;
    let d = device_of(&h, &name).await;
    assert_eq!(
        (d["device"]["management_mode"].as_str(), d["device"]["ownership"].as_str()),
        (Some("work_profile"), Some("personal")),
        "{d}"
    );
    assert_eq!(d["capabilities"]["reset_passcode"]["scope"], "work_profile", "the API says it is the work profile's: {d}");
    let before = google.device("wp14").passcode;
    let (s, action) = request_reset(&h, &d).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{action}");
    assert_eq!(finished(&h, &action).await["state"], "succeeded");
    let shown = passcode(&h, &action).await;
    let device = google.device("wp14");
    assert_eq!(device.work_passcode.as_deref(), Some(shown.as_str()), "the work profile took the passcode the admin sees");
    assert_eq!(device.passcode, before, "the device's own screen lock is untouched");
    assert_eq!(google.violations(), Vec::<String>::new());
    h.server.shutdown().await;
}

pub(crate) async fn amapi_refusal_rows_send_no_command(b: Backend) {
    let (h, google) = bound(b).await;
    let name = google.add_device(SimAmapiDevice::android71_work_profile("wp71"));
    sync(&h).await;
    let d = device_of(&h, &name).await;
    assert_eq!(d["capabilities"]["reset_passcode"]["status"], "unsupported", "{d}");
    assert_eq!(d["capabilities"]["reset_passcode"]["code"], "android_unsupported_mode", "{d}");
    let (s, p) = request_reset(&h, &d).await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::CONFLICT, Some("android_unsupported_mode")), "{p}");
    // A work profile is never wiped by the organisation: refused too.
    let (s, _) = h.post(&format!("/devices/{}/actions/reset-device", d["device"]["id"].as_str().unwrap())).await;
    assert_eq!(s, StatusCode::CONFLICT);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(google.commands_to("wp71").is_empty(), "refused before any command was sent");
    assert_eq!(google.violations(), Vec::<String>::new());
    h.server.shutdown().await;
}

pub(crate) async fn amapi_command_failures_leave_the_action_failed_with_the_reason(b: Backend) {
    let (h, google) = bound(b).await;
    let invalid = google.add_device(
        SimAmapiDevice::from_profile(AndroidProfile::Android13FullyManaged, "bad-value")
            .with_behaviour(Behaviour::FailWith("INVALID_VALUE")),
    );
    let api_level = google.add_device(
        SimAmapiDevice::from_profile(AndroidProfile::Android14FullyManaged, "bad-level").with_behaviour(Behaviour::FailWith("API_LEVEL")),
    );
    sync(&h).await;

    // Through Pub/Sub.
    let (s, first) = request_reset(&h, &device_of(&h, &api_level).await).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{first}");
    let done = finished(&h, &first).await;
    assert_eq!((done["state"].as_str(), done["failure"]["code"].as_str()), (Some("failed"), Some("android_unsupported_mode")), "{done}");
    assert!(done["failure"]["detail"].as_str().unwrap().contains("API_LEVEL"), "{done}");
    assert!(done["failure_view"]["remedy"].as_str().is_some_and(|r| r.contains("Android 8.0")), "{done}");

    // Without notifications: the reconciler's operations.get finds the outcome.
    google.set_publish(false);
    let (s, second) = request_reset(&h, &device_of(&h, &invalid).await).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{second}");
    delivered(&h, &second).await;
    h.clock.advance(Duration::seconds(6));
    pinreset_server::channels::android::amapi::tick(h.state()).await.unwrap();
    let done = finished(&h, &second).await;
    assert_eq!((done["state"].as_str(), done["failure"]["code"].as_str()), (Some("failed"), Some("android_passcode_rejected")), "{done}");
    assert!(done["failure"]["detail"].as_str().unwrap().contains("INVALID_VALUE"), "{done}");
    let (s, p) = h.get(&format!("/actions/{}/passcode", second["id"].as_str().unwrap())).await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::NOT_FOUND, Some("passcode_not_available")), "a refused passcode is not kept");
    assert_eq!(google.violations(), Vec::<String>::new());
    h.server.shutdown().await;
}

/// The device finishes and Google publishes the outcome before it answers issueCommand: the
/// worker's pull sees a notification for an operation pinreset has not recorded yet. Acknowledging
/// it then would lose the outcome until the reconciler's next look; it must settle from Pub/Sub
/// once the issuer has recorded the operation (the clock stands still, so no reconciler runs).
pub(crate) async fn amapi_outcome_published_before_the_issue_answer_still_settles(b: Backend) {
    let (h, google) = bound(b).await;
    let name = google.add_device(SimAmapiDevice::from_profile(AndroidProfile::Android13FullyManaged, "quick"));
    sync(&h).await;
    // Longer than the worker's tick, so at least one pull runs in between.
    google.delay_issue_answers(pinreset_server::channels::android::amapi::TICK * 2);
    let (s, action) = request_reset(&h, &device_of(&h, &name).await).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{action}");
    let done = finished(&h, &action).await;
    assert_eq!(done["state"], "succeeded", "{done}");
    assert_eq!(google.device("quick").passcode, Some(passcode(&h, &action).await));
    assert_eq!(google.violations(), Vec::<String>::new());
    h.server.shutdown().await;
}

pub(crate) async fn amapi_offline_device_is_given_up_after_the_command_duration(b: Backend) {
    let (h, google) = bound(b).await;
    let name =
        google.add_device(SimAmapiDevice::from_profile(AndroidProfile::Android13FullyManaged, "away").with_behaviour(Behaviour::Offline));
    sync(&h).await;
    let (s, action) = request_reset(&h, &device_of(&h, &name).await).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{action}");
    delivered(&h, &action).await;
    // Looked at before its duration: still waiting.
    h.clock.advance(Duration::seconds(6));
    pinreset_server::channels::android::amapi::tick(h.state()).await.unwrap();
    assert_eq!(h.get(&format!("/actions/{}", action["id"].as_str().unwrap())).await.1["state"], "delivered");
    // Past the command's 600 s: given up, with the reason.
    h.clock.advance(Duration::seconds(600));
    pinreset_server::channels::android::amapi::tick(h.state()).await.unwrap();
    let done = finished(&h, &action).await;
    assert_eq!((done["state"].as_str(), done["failure"]["code"].as_str()), (Some("failed"), Some("amapi_command_gave_up")), "{done}");
    assert!(done["failure"]["detail"].as_str().unwrap().contains("gave up after 600 s"), "{done}");
    assert_eq!(google.device("away").passcode.as_deref(), Some("old-passcode"));
    assert_eq!(google.violations(), Vec::<String>::new());
    h.server.shutdown().await;
}

pub(crate) async fn amapi_binding_refuses_bad_input_and_keeps_its_secrets(b: Backend) {
    let h = start(b).await;
    let google = StandIn::start().await.unwrap();
    let good = binding_body(&google);
    let mut cases = Vec::new();
    for (field, value, code) in [
        ("service_account_key", json!("{not json"), "service_account_key"),
        (
            "service_account_key",
            json!({ "type": "service_account", "client_email": "a@b", "private_key": "nope", "token_uri": "https://x" }),
            "service_account_key",
        ),
        ("enterprise_name", json!("LC00pinreset"), "android_enterprise_name"),
        ("project_id", json!("Contoso MDM"), "android_enterprise_name"),
        ("amapi_url", json!("http://example.com"), "field_not_https"),
        ("pubsub_subscription", json!("projects/x/topics/y"), "android_enterprise_name"),
    ] {
        let mut body = good.clone();
        body[field] = value;
        cases.push((field, code, put_binding(&h, body).await));
    }
    for (field, code, (s, p)) in cases {
        assert_eq!((s, p["detail_code"].as_str()), (StatusCode::BAD_REQUEST, Some(code)), "{field}: {p}");
    }
    let (s, p) = h.get("/tenant/android-enterprise").await;
    assert_eq!((s, p["detail_code"].as_str()), (StatusCode::NOT_FOUND, Some("android_enterprise_not_bound")), "nothing was written: {p}");

    let (s, shown) = put_binding(&h, good.clone()).await;
    assert_eq!(s, StatusCode::OK, "{shown}");
    let (_, shown) = h.get("/tenant/android-enterprise").await;
    assert_eq!(shown["service_account_key_set"], true, "{shown}");
    assert_eq!(shown["service_account"], pinreset_sim::android::amapi::account::CLIENT_EMAIL);
    assert!(!shown.to_string().contains("PRIVATE KEY"), "the key is never shown: {shown}");
    // Re-bound without a key: the stored one is kept.
    let mut without_key = good.clone();
    without_key.as_object_mut().unwrap().remove("service_account_key");
    without_key["command_duration_seconds"] = json!(900);
    let (s, p) = put_binding(&h, without_key).await;
    assert_eq!((s, p["command_duration_seconds"].as_u64()), (StatusCode::OK, Some(900)), "{p}");

    // A reset, so a temporary passcode exists too.
    let name = google.add_device(SimAmapiDevice::from_profile(AndroidProfile::Android13FullyManaged, "d13"));
    sync(&h).await;
    let (_, action) = request_reset(&h, &device_of(&h, &name).await).await;
    assert_eq!(finished(&h, &action).await["state"], "succeeded");
    let temp = passcode(&h, &action).await;
    let key_body = google.private_key_pem().lines().nth(1).unwrap().to_string();
    let (_, audit) = h.get("/audit?limit=500").await;
    let audit = audit.to_string();
    assert!(audit.contains("android_enterprise_bound:enterprises/LC00pinreset"), "the binding is audited");
    assert!(!audit.contains(&key_body) && !audit.contains(&temp), "neither the key nor the passcode is in the audit");
    let logged = String::from_utf8_lossy(&logs().0.lock().unwrap()).to_string();
    assert!(!logged.contains(&key_body) && !logged.contains(&temp), "nor in the logs");
    assert_eq!(google.violations(), Vec::<String>::new());
    assert_not_in_database(h, b, &[&key_body, &temp]).await;
}

pub(crate) async fn amapi_every_request_matches_the_discovery_document(b: Backend) {
    let (h, google) = bound(b).await;
    // More devices than one page of the stand-in: sync follows nextPageToken.
    let names: Vec<String> = (0..5)
        .map(|i| google.add_device(SimAmapiDevice::from_profile(AndroidProfile::Android13FullyManaged, &format!("fleet-{i}"))))
        .collect();
    let report = sync(&h).await;
    assert_eq!(report["created"].as_u64(), Some(5), "{report}");
    // Each kind of command AMAPI carries.
    let first = device_of(&h, &names[0]).await;
    let id = first["device"]["id"].as_str().unwrap().to_string();
    for kind in ["reset-passcode", "remote-lock"] {
        let (s, a) = h.post(&format!("/devices/{id}/actions/{kind}")).await;
        assert_eq!(s, StatusCode::ACCEPTED, "{kind}: {a}");
        assert_eq!(finished(&h, &a).await["state"], "succeeded", "{kind}");
    }
    let wiped = device_of(&h, &names[1]).await;
    let (s, a) = h.post(&format!("/devices/{}/actions/reset-device", wiped["device"]["id"].as_str().unwrap())).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{a}");
    assert_eq!(finished(&h, &a).await["state"], "succeeded");
    assert!(google.device("fleet-1").wiped);
    let types: Vec<Value> = google.commands_to("fleet-0").iter().map(|c| c["type"].clone()).collect();
    assert_eq!(types, [json!("RESET_PASSWORD"), json!("LOCK")]);
    assert_eq!(google.violations(), Vec::<String>::new(), "zero discovery-document violations in the whole run");
    h.server.shutdown().await;
}
