//! Issue 13, item 1: the Android agent end to end — the simulator enrolls with a one-time token
//! from the admin API, gets its client certificate, checks in, escrows its reset token and
//! long-polls commands over HTTPS against the real server; and the attacks on it.

use crate::*;

mod mqtt;
mod renewal;
pub(crate) use mqtt::*;
use pinreset_sim::android::{AndroidDevice, AndroidProfile};
pub(crate) use renewal::*;
use std::time::Duration;

/// `POST /enrollment/android/tokens` as the tenant admin; the token.
async fn android_token(h: &Harness, login: &str) -> String {
    let (s, v) = h.post_as(&h.creds.admin_token, "/enrollment/android/tokens", Some(json!({ "login": login }))).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v["token"].as_str().expect("a token").to_string()
}

fn ca_pem(h: &Harness) -> String {
    std::fs::read_to_string(h.server.ca_pem.as_ref().unwrap()).unwrap()
}

/// A device of `profile` for `login`, enrolled and through its first check-in.
async fn android_enrolled(h: &Harness, profile: AndroidProfile, login: &str, token_first: bool) -> AndroidDevice {
    let token = android_token(h, login).await;
    let mut device = AndroidDevice::new(profile, &h.base(), &ca_pem(h)).unwrap();
    device.enroll(&token, token_first).await.expect("the agent enrolls");
    device.check_in().await.expect("the agent checks in");
    device
}

fn id_of(d: &AndroidDevice) -> String {
    d.device_id.clone().unwrap()
}

async fn view(h: &Harness, d: &AndroidDevice) -> Value {
    let (s, v) = h.get(&format!("/devices/{}", id_of(d))).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

async fn action(h: &Harness, a: &Value) -> Value {
    h.get(&format!("/actions/{}", a["id"].as_str().unwrap())).await.1
}

async fn request(h: &Harness, d: &AndroidDevice, what: &str) -> (StatusCode, Value) {
    h.post(&format!("/devices/{}/actions/{what}", id_of(d))).await
}

async fn device_count(h: &Harness) -> u64 {
    h.get("/devices?limit=1").await.1["total"].as_u64().unwrap()
}

/// Raw agent requests (what a buggy or hostile agent sends), without a client certificate.
async fn raw_post(h: &Harness, path: &str, content_type: &str, body: Vec<u8>) -> (StatusCode, Value) {
    let r = h.http.post(format!("{}{path}", h.base())).header("content-type", content_type).body(body).send().await.unwrap();
    (r.status(), r.json().await.unwrap_or(Value::Null))
}

pub(crate) async fn android_agent_enrolls_only_with_a_live_one_time_token(b: Backend) {
    let h = start(b).await;
    let before = device_count(&h).await;
    let (s, issued) =
        h.post_as(&h.creds.admin_token, "/enrollment/android/tokens", Some(json!({"login": "alice", "ownership": "personal"}))).await;
    assert_eq!(s, StatusCode::CREATED, "{issued}");
    let token = issued["token"].as_str().unwrap().to_string();
    let extras = &issued["qr_payload"]["android.app.extra.PROVISIONING_ADMIN_EXTRAS_BUNDLE"];
    assert_eq!(extras["com.pinreset.agent.ENROLLMENT_TOKEN"], token.as_str(), "{issued}");
    assert!(extras["com.pinreset.agent.ENROLL_URL"].as_str().unwrap().ends_with("/android/v1/enroll"), "{issued}");
    // Bad requests for a token: refused with the field, nothing issued.
    let (s, p) = h.post_as(&h.creds.admin_token, "/enrollment/android/tokens", Some(json!({"login": "alice", "valid_hours": 0}))).await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_input")), "{p}");
    let (s, _) = h.post_as(&h.creds.admin_token, "/enrollment/android/tokens", Some(json!({"login": "nobody"}))).await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // Unknown token: refused, nothing created.
    let mut stranger = AndroidDevice::new(AndroidProfile::Android14FullyManaged, &h.base(), &ca_pem(&h)).unwrap();
    let err = stranger.enroll("not-a-token-we-issued", false).await.unwrap_err().to_string();
    assert!(err.contains("403") && err.contains("enrollment_token_invalid"), "{err}");
    assert_eq!(device_count(&h).await, before);

    let mut phone = AndroidDevice::new(AndroidProfile::Android14WorkProfile, &h.base(), &ca_pem(&h)).unwrap();
    phone.enroll(&token, true).await.unwrap();
    phone.check_in().await.unwrap();
    assert_eq!(device_count(&h).await, before + 1);
    let d = view(&h, &phone).await;
    assert_eq!((d["device"]["platform"].as_str(), d["device"]["management_mode"].as_str()), (Some("android"), Some("work_profile")), "{d}");
    assert_eq!((d["device"]["ownership"].as_str(), d["owner"]["login"].as_str()), (Some("personal"), Some("alice")), "{d}");
    assert_eq!(d["device"]["os_version"], "14");
    assert_eq!(d["device"]["reset_token"], "inactive", "the token sent at enrollment is held, not yet active: {d}");
    assert!(!phone.agent_holds_token(), "the agent forgets the token once escrowed");

    // The same token again (a second device scanning the same QR code): spent.
    let mut second = AndroidDevice::new(AndroidProfile::Android14FullyManaged, &h.base(), &ca_pem(&h)).unwrap();
    let err = second.enroll(&token, false).await.unwrap_err().to_string();
    assert!(err.contains("enrollment_token_invalid"), "{err}");
    // An expired one.
    let late = android_token(&h, "bob").await;
    h.clock.advance(chrono::Duration::hours(25));
    let err = second.enroll(&late, false).await.unwrap_err().to_string();
    assert!(err.contains("enrollment_token_invalid"), "{err}");
    assert_eq!(device_count(&h).await, before + 1, "no refused enrollment created a device");

    // Malformed, mistyped and oversized messages: 4xx, nothing created.
    let fresh = android_token(&h, "bob").await;
    let cases: Vec<(&str, Vec<u8>, StatusCode)> = vec![
        ("application/json", b"{not json".to_vec(), StatusCode::BAD_REQUEST),
        ("text/plain", format!("{{\"enrollment_token\":\"{fresh}\"}}").into_bytes(), StatusCode::UNSUPPORTED_MEDIA_TYPE),
        (
            "application/json",
            format!("{{\"enrollment_token\":\"{fresh}\",\"csr\":\"AAAA\",\"device\":{{}}}}").into_bytes(),
            StatusCode::BAD_REQUEST,
        ),
        ("application/json", vec![b' '; 64 * 1024], StatusCode::PAYLOAD_TOO_LARGE),
    ];
    for (ctype, body, want) in cases {
        let (s, v) = raw_post(&h, "/android/v1/enroll", ctype, body).await;
        assert_eq!(s, want, "{v}");
    }
    assert_eq!(device_count(&h).await, before + 1);
    // The token survived the bad requests: a real enrollment still works with it.
    let mut third = AndroidDevice::new(AndroidProfile::Android6DeviceAdmin, &h.base(), &ca_pem(&h)).unwrap();
    third.enroll(&fresh, false).await.unwrap();
    // Without the certificate, nothing of the device's answers.
    let (s, v) = raw_post(&h, "/android/v1/checkin", "application/json", b"{}".to_vec()).await;
    assert_eq!((s, v["error"].as_str()), (StatusCode::UNAUTHORIZED, Some("unknown_device")), "{v}");
    h.server.shutdown().await;
}

pub(crate) async fn android_6_device_admin_reset_gives_the_passcode_the_device_took(b: Backend) {
    let h = start(b).await;
    let mut galaxy = android_enrolled(&h, AndroidProfile::Android6DeviceAdmin, "alice", false).await;
    assert_eq!(galaxy.last_instruction.as_deref(), Some("keep"), "a device admin has no reset token");
    let d = view(&h, &galaxy).await;
    assert_eq!(d["capabilities"]["reset_passcode"]["kind"], "temp_alphanumeric", "{d}");
    assert_eq!(d["capabilities"]["reset_passcode"]["scope"], "device", "{d}");
    assert_eq!(d["device"]["reset_token"], "none");

    // The agent waits in its long-poll; the queued reset answers it at once.
    let waiting = tokio::spawn(async move {
        let started = std::time::Instant::now();
        let answered = galaxy.poll(30).await.unwrap();
        (galaxy, answered, started.elapsed())
    });
    let mut reached = Value::Null;
    for _ in 0..100 {
        reached = h.get(&format!("/devices/{}", d["device"]["id"].as_str().unwrap())).await.1["reached_by"].clone();
        if reached["by"] == "push" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(reached["by"], "push", "an agent in its long-poll is reached at once: {reached}");
    let (s, reset) = h.post(&format!("/devices/{}/actions/reset-passcode", d["device"]["id"].as_str().unwrap())).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{reset}");
    let (galaxy, answered, took) = waiting.await.unwrap();
    assert!(took < Duration::from_secs(10), "woken, not timed out: {took:?}");
    assert_eq!((answered[0].kind.as_str(), answered[0].outcome.as_str(), answered[0].status), ("reset_passcode", "success", 200));

    let done = action(&h, &reset).await;
    assert_eq!(done["state"], "succeeded", "{done}");
    let (s, p) = h.get(&format!("/actions/{}/passcode", reset["id"].as_str().unwrap())).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["passcode"].as_str(), galaxy.passcode(), "the admin sees what the device took");
    assert!(galaxy.locked(), "lock_now");
    // The command history names the commands, never the passcode.
    let (_, history) = h.get(&format!("/devices/{}/commands", id_of(&galaxy))).await;
    let outcomes: Vec<&str> = history.as_array().unwrap().iter().map(|e| e["outcome"].as_str().unwrap()).collect();
    assert!(outcomes.contains(&"reset_passcode") && outcomes.contains(&"reset_passcode: success"), "{outcomes:?}");
    assert!(!history.to_string().contains(galaxy.passcode().unwrap()));
    h.server.shutdown().await;
}

pub(crate) async fn android_14_device_owner_resets_with_its_escrowed_token_kept_secret(b: Backend) {
    let h = start(b).await;
    let mut pixel = android_enrolled(&h, AndroidProfile::Android14FullyManaged, "bob", false).await;
    // Asked at its first check-in, the agent made its one token and escrowed it.
    assert_eq!(pixel.last_instruction.as_deref(), Some("keep"), "after provisioning");
    assert_eq!((pixel.token_state(), pixel.token_slots_used(), pixel.agent_holds_token()), ("inactive", 1, false));
    let d = view(&h, &pixel).await;
    assert_eq!(d["device"]["reset_token"], "inactive", "{d}");
    // Inactive: refused up front, with the remedy, nothing queued.
    assert_eq!(d["capabilities"]["reset_passcode"]["code"], "android_no_reset_token", "{d}");
    let (s, p) = request(&h, &pixel, "reset-passcode").await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::CONFLICT, Some("android_no_reset_token")), "{p}");
    let (_, readiness) = h.get("/readiness").await;
    let row = readiness["rows"].as_array().unwrap().iter().find(|r| r["device_id"] == id_of(&pixel).as_str()).cloned();
    assert_eq!(row.as_ref().map(|r| r["reason_code"].clone()), Some(json!("android_no_reset_token")), "{readiness}");
    assert_eq!(row.map(|r| r["reset_token"].clone()), Some(json!("inactive")), "the readiness report shows the token state");

    // Checking in again and again never makes another token (no secure-storage slot is used up).
    for _ in 0..3 {
        pixel.check_in().await.unwrap();
    }
    assert_eq!((pixel.token_slots_used(), pixel.last_instruction.as_deref()), (1, Some("keep")));
    // The user confirms their screen lock: active.
    pixel.confirm_credential();
    pixel.check_in().await.unwrap();
    assert_eq!(view(&h, &pixel).await["device"]["reset_token"], "active");
    let token = pixel.platform_token_b64().unwrap();

    let (s, reset) = request(&h, &pixel, "reset-passcode").await;
    assert_eq!(s, StatusCode::ACCEPTED, "{reset}");
    let answered = pixel.poll(5).await.unwrap();
    assert_eq!((answered[0].outcome.as_str(), answered[0].status), ("success", 200), "{answered:?}");
    let (_, p) = h.get(&format!("/actions/{}/passcode", reset["id"].as_str().unwrap())).await;
    let passcode = p["passcode"].as_str().unwrap().to_string();
    assert_eq!(Some(passcode.as_str()), pixel.passcode());
    assert_eq!(pixel.token_slots_used(), 1);

    // The token (and the passcode) nowhere in clear: audit, command history, logs, database.
    let (_, audit) = h.get("/audit?limit=1000").await;
    let (_, history) = h.get(&format!("/devices/{}/commands", id_of(&pixel))).await;
    assert!(history.to_string().contains("reset_token: escrowed"), "{history}");
    let logged = String::from_utf8_lossy(&logs().0.lock().unwrap()).to_string();
    for (what, secret) in [("reset token", token.as_str()), ("passcode", passcode.as_str())] {
        assert!(!audit.to_string().contains(secret), "{what} in the audit");
        assert!(!history.to_string().contains(secret), "{what} in the command history");
        assert!(!logged.contains(secret), "{what} in the logs");
    }
    assert_not_in_database(h, b, &[&token, &passcode]).await;
}

/// Android 14 with a work profile (profile owner): the reset sets the work profile's passcode,
/// not the device's, and the API says which one it is.
pub(crate) async fn android_14_work_profile_reset_sets_the_work_profiles_passcode(b: Backend) {
    let h = start(b).await;
    let mut phone = android_enrolled(&h, AndroidProfile::Android14WorkProfile, "carol", false).await;
    phone.confirm_credential();
    phone.check_in().await.unwrap();
    let d = view(&h, &phone).await;
    assert_eq!(d["device"]["reset_token"], "active", "{d}");
    assert_eq!(d["device"]["management_mode"], "work_profile", "{d}");
    assert_eq!(d["capabilities"]["reset_passcode"]["scope"], "work_profile", "the API says it is the work profile's: {d}");
    let device_passcode = phone.passcode().map(str::to_string);

    let (s, reset) = request(&h, &phone, "reset-passcode").await;
    assert_eq!(s, StatusCode::ACCEPTED, "{reset}");
    let answered = phone.poll(5).await.unwrap();
    assert_eq!((answered[0].kind.as_str(), answered[0].outcome.as_str()), ("reset_passcode", "success"), "{answered:?}");
    assert_eq!(action(&h, &reset).await["state"], "succeeded");
    let (s, p) = h.get(&format!("/actions/{}/passcode", reset["id"].as_str().unwrap())).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["passcode"].as_str(), phone.work_passcode(), "the admin sees the work profile's new passcode");
    assert_eq!(phone.passcode().map(str::to_string), device_passcode, "the device's own screen lock is untouched");
    h.server.shutdown().await;
}

pub(crate) async fn android_token_inactive_on_the_device_fails_the_reset_with_its_reason(b: Backend) {
    let h = start(b).await;
    let mut pixel = android_enrolled(&h, AndroidProfile::Android13FullyManaged, "carol", true).await;
    assert_eq!(view(&h, &pixel).await["device"]["reset_token"], "inactive");
    // A reboot before the user confirmed their screen lock loses the inactive token; the server
    // drops its copy and asks for a new one, which the agent makes once (one slot, not two).
    pixel.reboot();
    assert_eq!(pixel.token_state(), "none");
    pixel.check_in().await.unwrap();
    assert_eq!(pixel.last_instruction.as_deref(), Some("provision"));
    assert_eq!((pixel.token_state(), pixel.token_slots_used(), pixel.agent_holds_token()), ("inactive", 1, false));
    assert_eq!(view(&h, &pixel).await["device"]["reset_token"], "inactive");
    pixel.confirm_credential();
    pixel.check_in().await.unwrap();
    let (s, reset) = request(&h, &pixel, "reset-passcode").await;
    assert_eq!(s, StatusCode::ACCEPTED, "{reset}");
    // Between the last check-in and the command, Android says the token is not active.
    pixel.fail_next_with("token_inactive");
    let before = pixel.passcode().map(str::to_owned);
    let answered = pixel.poll(5).await.unwrap();
    assert_eq!(answered[0].outcome, "token_inactive");
    let done = action(&h, &reset).await;
    assert_eq!((done["state"].as_str(), done["failure"]["code"].as_str()), (Some("failed"), Some("android_no_reset_token")), "{done}");
    assert!(done["failure"]["detail"].as_str().unwrap().contains("token_inactive"), "{done}");
    assert_eq!(pixel.passcode().map(str::to_owned), before, "the device kept its passcode");
    let (s, p) = h.get(&format!("/actions/{}/passcode", reset["id"].as_str().unwrap())).await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::NOT_FOUND, Some("passcode_not_available")), "a failure has no passcode");
    // The server now knows the token is inactive: the next reset is refused up front.
    assert_eq!(view(&h, &pixel).await["device"]["reset_token"], "inactive");
    let (s, p) = request(&h, &pixel, "reset-passcode").await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::CONFLICT, Some("android_no_reset_token")), "{p}");
    h.server.shutdown().await;
}

pub(crate) async fn android_7_device_admin_is_refused_with_the_factory_reset_remedy(b: Backend) {
    let h = start(b).await;
    let mut pixel = android_enrolled(&h, AndroidProfile::Android7DeviceAdmin, "alice", false).await;
    let d = view(&h, &pixel).await;
    assert_eq!(d["device"]["os_version"], "7.1", "{d}");
    let cap = &d["capabilities"]["reset_passcode"];
    assert_eq!((cap["status"].as_str(), cap["code"].as_str()), (Some("unsupported"), Some("android_device_admin_unsupported")), "{d}");
    assert!(cap["remedy"].as_str().unwrap().contains("factory reset"), "{cap}");
    let (s, p) = request(&h, &pixel, "reset-passcode").await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::CONFLICT, Some("android_device_admin_unsupported")), "{p}");
    assert!(p["remedy"].as_str().unwrap().contains("factory reset"));
    assert!(pixel.poll(0).await.unwrap().is_empty(), "nothing was queued");
    // The remedy's own action reaches it.
    let (s, wipe) = request(&h, &pixel, "reset-device").await;
    assert_eq!(s, StatusCode::ACCEPTED, "{wipe}");
    assert_eq!(pixel.poll(5).await.unwrap()[0].kind, "wipe");
    assert_eq!(action(&h, &wipe).await["state"], "succeeded");
    assert!(pixel.wiped());
    // Wiped: retired, its certificate speaks for nothing any more.
    assert!(view(&h, &pixel).await["device"]["retired_at"].is_string());
    h.server.shutdown().await;
}

pub(crate) async fn android_credentials_and_answers_cannot_be_forged_or_replayed(b: Backend) {
    let h = start(b).await;
    let mut a = android_enrolled(&h, AndroidProfile::Android14FullyManaged, "alice", true).await;
    let mut other = android_enrolled(&h, AndroidProfile::Android6DeviceAdmin, "bob", false).await;
    a.confirm_credential();
    a.check_in().await.unwrap();

    // Another device's certificate gets only its own commands, and cannot answer A's.
    let (_, lock) = request(&h, &a, "remote-lock").await;
    assert!(other.poll(0).await.unwrap().is_empty(), "B sees nothing of A's");
    let lock_id = lock["id"].as_str().unwrap();
    assert_eq!(other.answer(lock_id, &Ok(())).await.unwrap(), 404, "B cannot acknowledge A's command");
    // A's own answer before the command was handed out: out of order, changes nothing.
    assert_eq!(a.answer(lock_id, &Ok(())).await.unwrap(), 409);
    assert_eq!(action(&h, &lock).await["state"], "queued");
    // B's check-in changes B's record only.
    let a_before = view(&h, &a).await["device"].clone();
    other.check_in().await.unwrap();
    assert_eq!(view(&h, &a).await["device"], a_before);

    assert_eq!(a.poll(5).await.unwrap()[0].outcome, "success");
    assert_eq!(action(&h, &lock).await["state"], "succeeded");
    // A replayed success, or a late failure for the same command: nothing changes.
    assert_eq!(a.answer(lock_id, &Ok(())).await.unwrap(), 409);
    assert_eq!(a.answer(lock_id, &Err(("unknown", "late".into()))).await.unwrap(), 409);
    let after = action(&h, &lock).await;
    assert_eq!(after["state"], "succeeded");
    let transitions = after["history"].as_array().unwrap().len();

    // A failure never makes a reset succeed, nor does a success sent after it.
    a.set_policy_min_length(64);
    let (_, reset) = request(&h, &a, "reset-passcode").await;
    let answered = a.poll(5).await.unwrap();
    assert_eq!(answered[0].outcome, "password_rejected_by_policy");
    let failed = action(&h, &reset).await;
    assert_eq!(
        (failed["state"].as_str(), failed["failure"]["code"].as_str()),
        (Some("failed"), Some("android_passcode_rejected")),
        "{failed}"
    );
    assert_eq!(a.answer(reset["id"].as_str().unwrap(), &Ok(())).await.unwrap(), 409);
    assert_eq!(action(&h, &reset).await["state"], "failed");
    let (s, _) = h.get(&format!("/actions/{}/passcode", reset["id"].as_str().unwrap())).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(action(&h, &lock).await["history"].as_array().unwrap().len(), transitions);

    // Malformed answers with A's own certificate: refused, nothing changed.
    let (_, lock2) = request(&h, &a, "remote-lock").await;
    let lock2_id = lock2["id"].as_str().unwrap();
    let (status, polled) = a.send_raw(reqwest::Method::GET, "/android/v1/commands?wait=0", None).await.unwrap();
    assert_eq!((status, polled["commands"][0]["id"].as_str()), (200, Some(lock2_id)), "{polled}");
    let path = format!("/android/v1/commands/{lock2_id}/result");
    for body in [
        r#"{"status":"success","code":"unknown"}"#,
        r#"{"status":"failure"}"#,
        r#"{"status":"maybe"}"#,
        "{",
        r#"{"status":"success","x":1}"#,
    ] {
        let (status, v) = a.send_raw(reqwest::Method::POST, &path, Some(body)).await.unwrap();
        assert_eq!((status, v["error"].as_str()), (400, Some("invalid_request")), "{body}: {v}");
    }
    let (status, _) =
        a.send_raw(reqwest::Method::POST, "/android/v1/commands/not-a-uuid/result", Some(r#"{"status":"success"}"#)).await.unwrap();
    assert_eq!(status, 400);
    let (status, _) = a.send_raw(reqwest::Method::GET, "/android/v1/commands?wait=600", None).await.unwrap();
    assert_eq!(status, 400, "a wait beyond the limit");
    assert_eq!(action(&h, &lock2).await["state"], "delivered");

    // Retired: the agent's certificate no longer names a device.
    let (_, remove) = request(&h, &other, "remove").await;
    assert_eq!(other.poll(5).await.unwrap()[0].kind, "retire");
    assert_eq!(action(&h, &remove).await["state"], "succeeded");
    let err = other.check_in().await.unwrap_err().to_string();
    assert!(err.contains("401") && err.contains("unknown_device"), "{err}");
    h.server.shutdown().await;
}
