//! Issue 8, item 8: the smaller defects, each tested as the attack or failure it prevents —
//! outbox retries, unbounded device text and forged request ids, NUL and unsafe characters,
//! the Host header, Discovery telling who has an account, and text/plain query errors.

use super::{action_id, soap_post, start, start_configured, support, windows_fixture, Backend, Harness};
use chrono::Duration;
use pinreset_core::action::ActionParams;
use pinreset_core::{ActionKind, ActionState, AuditKind, Cause, DeviceId, ErrorCode, NewAuditEvent, RemoteAction};
use pinreset_server::app::device_results;
use pinreset_server::app::push::{self, PushOutcome};
use pinreset_server::clock::Clock;
use pinreset_server::error::AppError;
use pinreset_windows::enrollment::{DiscoverResponse, Fault, FaultCode};
use reqwest::StatusCode;
use serde_json::{json, Value};

const EVIL_HOST: &str = "evil.example";

/// A client that speaks HTTP/1.1 only, so a `Host` header we set is the one the server sees.
fn http1_client(h: &Harness) -> reqwest::Client {
    let ca = std::fs::read(h.server.ca_pem.as_ref().unwrap()).unwrap();
    reqwest::Client::builder().http1_only().add_root_certificate(reqwest::Certificate::from_pem(&ca).unwrap()).build().unwrap()
}

async fn demo_devices(h: &Harness) -> Vec<Value> {
    let (s, page) = h.get("/devices?limit=500").await;
    assert_eq!(s, StatusCode::OK, "{page}");
    page["items"].as_array().unwrap().clone()
}

/// Queue a rename straight through the store, due an hour from now: neither the immediate
/// dispatch after a request nor the maintenance run at start-up can take it before the test does.
async fn queue_rename(h: &Harness, device: &Value) -> RemoteAction {
    let (tenant, device): (_, DeviceId) =
        (device["tenant_id"].as_str().unwrap().parse().unwrap(), device["id"].as_str().unwrap().parse().unwrap());
    let now = h.clock.now() + Duration::hours(1);
    let params = ActionParams { name: Some("renamed".into()), ..Default::default() };
    let cause = Cause::System { component: "test".into() };
    let mut a = RemoteAction::request(
        pinreset_core::ActionId::new(),
        tenant,
        device,
        ActionKind::Rename,
        params,
        cause.clone(),
        now,
        Duration::days(7),
    );
    a.transition(ActionState::Queued, cause, now, None).unwrap();
    h.state().store.request_action(&a, &[]).await.unwrap();
    a
}

async fn audit_of(h: &Harness, query: &str) -> Vec<Value> {
    let (s, events) = h.get(&format!("/audit?{query}")).await;
    assert_eq!(s, StatusCode::OK, "{events}");
    events.as_array().unwrap().clone()
}

/// A wake-up that fails — APNs down, or an error of ours for one device — is counted and tried
/// again with a growing wait, gives up (audited) after a bounded number of attempts, and never
/// keeps the other devices from being woken.
pub async fn outbox_failures_back_off_and_never_stop_the_others(b: Backend) {
    let h = start_configured(b, |o| o.maintenance_interval = std::time::Duration::from_secs(86_400)).await;
    let devices = demo_devices(&h).await;
    let (broken, fine) = (queue_rename(&h, &devices[0]).await, queue_rename(&h, &devices[1]).await);
    let broken_device = broken.device_id;
    // The broken device's entry comes first: its error must not stop the loop.
    h.clock.advance(Duration::hours(1));
    let wake = move |d: pinreset_core::Device| async move {
        if d.id == broken_device {
            Err(AppError::Store(pinreset_store::StoreError::Backend("the tenant's push key cannot be read".into())))
        } else {
            Ok(PushOutcome::Sent)
        }
    };
    let entry_of =
        |action: &RemoteAction, entries: &[pinreset_store::OutboxEntry]| entries.iter().find(|e| e.action_id == action.id).cloned();
    let far_future = h.clock.now() + Duration::days(365);

    push::dispatch_with(h.state(), wake).await.unwrap();
    let pending = h.state().store.outbox_pending(far_future, 1000).await.unwrap();
    assert!(entry_of(&fine, &pending).is_none(), "the healthy device was woken despite the other's error");
    let entry = entry_of(&broken, &pending).expect("the failed wake-up is kept");
    assert_eq!(entry.attempts, 1, "the failure is counted");
    // The store keeps milliseconds.
    assert_eq!(entry.next_attempt_at.timestamp_millis(), (h.clock.now() + push::backoff(1)).timestamp_millis());
    let due_now = h.state().store.outbox_pending(h.clock.now(), 1000).await.unwrap();
    assert!(entry_of(&broken, &due_now).is_none(), "not retried before its backoff ends");
    let sent = audit_of(&h, &format!("action={}", fine.id)).await;
    assert!(sent.iter().any(|e| e["kind"] == "push_sent"), "{sent:?}");

    // Each further failure waits twice as long; the last one gives up.
    for failures in 2..=push::MAX_PUSH_ATTEMPTS {
        h.clock.advance(push::backoff(failures - 1));
        push::dispatch_with(h.state(), wake).await.unwrap();
        let pending = h.state().store.outbox_pending(far_future, 1000).await.unwrap();
        match entry_of(&broken, &pending) {
            Some(e) => {
                assert_eq!(e.attempts, failures);
                assert_eq!(e.next_attempt_at.timestamp_millis(), (h.clock.now() + push::backoff(failures)).timestamp_millis());
            }
            None => assert_eq!(failures, push::MAX_PUSH_ATTEMPTS, "given up too early"),
        }
    }
    assert!(
        entry_of(&broken, &h.state().store.outbox_pending(far_future, 1000).await.unwrap()).is_none(),
        "given up after the last attempt"
    );
    let failed = audit_of(&h, &format!("action={}", broken.id)).await;
    let gave_up: Vec<_> = failed.iter().filter(|e| e["kind"] == "push_failed").collect();
    assert_eq!(gave_up.len(), 1, "{failed:?}");
    let outcome = gave_up[0]["outcome"].as_str().unwrap();
    assert!(outcome.contains("8 attempts") && outcome.contains("push key cannot be read"), "{outcome}");
    // The action itself is untouched: the device still gets it at its next check-in.
    assert_eq!(h.state().store.action_for_system(broken.id).await.unwrap().unwrap().state, ActionState::Queued);
    h.server.shutdown().await;
}

/// A device cannot write unbounded text into the audit or an action (a 201 KB error chain),
/// and a client's `x-request-id` is kept only when it is a plain short token.
pub async fn device_text_in_the_audit_is_bounded_and_request_ids_sane(b: Backend) {
    let h = start(b).await;
    let limit = pinreset_core::text::DEVICE_TEXT_MAX_BYTES;
    let device = demo_devices(&h).await[0].clone();
    let device_id = device["id"].as_str().unwrap();
    let huge = format!("MDMErrorDomain 12021: \0{}\u{202E}", "A".repeat(201 * 1024));

    // An action failed with the device's own words.
    let (s, action) = h.post_as(&h.creds.admin_token, &format!("/devices/{device_id}/actions/rename"), Some(json!({"name": "x"}))).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{action}");
    let (t, id, cause) = (h.tenant(&action), action_id(&action), Cause::Device { device_id: device_id.parse().unwrap() });
    device_results::delivered(h.state(), t, id, cause.clone()).await.unwrap();
    device_results::failed(h.state(), t, id, cause, ErrorCode::DeviceRejected, Some(huge.clone())).await.unwrap();
    let stored = h.state().store.action(t, id).await.unwrap().unwrap();
    let detail = stored.failure.unwrap().detail.unwrap();
    assert!(detail.len() <= limit && detail.ends_with('…') && !detail.contains('\0'), "{} bytes", detail.len());

    // A command result as the Apple channel writes it.
    let event = NewAuditEvent {
        at: h.clock.now(),
        tenant_id: t,
        actor: format!("device:{device_id}"),
        kind: AuditKind::CommandResult,
        device_id: Some(device_id.parse().unwrap()),
        action_id: None,
        action: None,
        outcome: format!("ClearPasscode: Error ({huge})"),
        request_id: None,
        origin: None,
    };
    h.state().store.append_audit(&[event]).await.unwrap();
    for e in audit_of(&h, &format!("device={device_id}")).await {
        let outcome = e["outcome"].as_str().unwrap();
        assert!(outcome.len() <= limit, "an audit row of {} bytes", outcome.len());
    }

    // Request ids: a sane one is kept; a forged log line, markup or a 200-character id is
    // replaced by a fresh UUID — in the answer and in the audit.
    let rename = |rid: String| {
        let req = h
            .http
            .post(h.url(&format!("/devices/{device_id}/actions/rename")))
            .bearer_auth(&h.creds.admin_token)
            .header("x-request-id", rid)
            .json(&json!({"name": "y"}));
        async move {
            let r = req.send().await.unwrap();
            let echoed = r.headers().get("x-request-id").unwrap().to_str().unwrap().to_string();
            let body: Value = r.json().await.unwrap();
            (echoed, body)
        }
    };
    let (echoed, body) = rename("trace-7f3a:1.2".into()).await;
    assert_eq!(echoed, "trace-7f3a:1.2");
    let events = audit_of(&h, &format!("action={}", body["id"].as_str().unwrap())).await;
    assert!(events.iter().all(|e| e["request_id"] == "trace-7f3a:1.2"), "{events:?}");
    let too_long = "x".repeat(200);
    for forged in ["ok\" forged=\"1", "<script>alert(1)</script>", too_long.as_str()] {
        // One pending rename at a time: finish the previous one so each request queues anew.
        let pending = h.state().store.pending_action(device_id.parse().unwrap(), ActionKind::Rename).await.unwrap();
        if let Some(p) = pending {
            let c = Cause::Device { device_id: device_id.parse().unwrap() };
            device_results::delivered(h.state(), t, p.id, c.clone()).await.unwrap();
            device_results::failed(h.state(), t, p.id, c, ErrorCode::DeviceRejected, None).await.unwrap();
        }
        let (echoed, body) = rename(forged.to_string()).await;
        assert_ne!(echoed, forged);
        assert!(uuid::Uuid::parse_str(&echoed).is_ok(), "a fresh UUID, not {echoed:?}");
        let events = audit_of(&h, &format!("action={}", body["id"].as_str().unwrap())).await;
        assert!(!events.is_empty() && events.iter().all(|e| e["request_id"] == echoed.as_str()), "{events:?}");
    }
    h.server.shutdown().await;
}

async fn expect_invalid(h: &Harness, what: &str, (s, body): (StatusCode, Value), field: &str) {
    assert_eq!(s, StatusCode::BAD_REQUEST, "{what}: {body}");
    assert_eq!(body["code"], "invalid_input", "{what}: {body}");
    assert!(body["detail"].as_str().unwrap().contains(field), "{what}: the detail names {field}: {body}");
    let _ = h;
}

/// NUL (U+0000) gave a 500 on PostgreSQL; control characters and bidi overrides (U+202E)
/// made names that display as something else. Both backends refuse them as bad input, naming
/// the field, and change nothing; what a device reports about itself is cleaned instead.
pub async fn nul_and_unsafe_names_are_bad_input_on_both_backends(b: Backend) {
    let h = start(b).await;
    expect_invalid(&h, "search", h.get("/devices?search=ip%00ad").await, "search").await;
    expect_invalid(&h, "actor", h.get("/audit?actor=user%3A%00admin").await, "actor").await;

    let setting = json!({"oma_uri": "./Device/Vendor/MSFT/Policy/Config/Experience/AllowCortana", "data_type": "integer", "value": "0"});
    let profiles_before = h.get("/profiles").await.1.as_array().unwrap().len();
    let bad_profiles = [
        (json!({"name": "PIN\u{0}recovery", "settings": [setting.clone()]}), "name"),
        (json!({"name": "invoice\u{202E}fdp.exe", "settings": [setting.clone()]}), "U+202E"),
        (json!({"name": "bell\u{7}", "settings": [setting.clone()]}), "name"),
        (json!({"name": "ok", "description": "a\u{0}b", "settings": [setting.clone()]}), "description"),
        (json!({"name": "ok", "settings": [{"oma_uri": setting["oma_uri"], "data_type": "string", "value": "a\u{0}"}]}), "value"),
    ];
    for (body, field) in bad_profiles {
        expect_invalid(&h, "profile", h.post_as(&h.creds.admin_token, "/profiles", Some(body)).await, field).await;
    }
    assert_eq!(h.get("/profiles").await.1.as_array().unwrap().len(), profiles_before, "no profile was saved");

    expect_invalid(
        &h,
        "enrollment login",
        h.post_as(&h.creds.admin_token, "/enrollment/apple/profiles", Some(json!({"login": "al\u{0}ice"}))).await,
        "login",
    )
    .await;

    let device = demo_devices(&h).await[0]["id"].as_str().unwrap().to_string();
    for name in ["gpj\u{202E}.exe", "a\u{2066}b", "nul\u{0}", "rlm\u{200F}"] {
        let r = h.post_as(&h.creds.admin_token, &format!("/devices/{device}/actions/rename"), Some(json!({ "name": name }))).await;
        expect_invalid(&h, "rename", r, "name").await;
    }
    let r =
        h.post_as(&h.creds.admin_token, &format!("/devices/{device}/actions/remote-lock"), Some(json!({"message": "call \u{202E}"}))).await;
    assert_eq!(r.0, StatusCode::BAD_REQUEST, "{}", r.1);
    assert!(h.get(&format!("/devices/{device}/actions")).await.1.as_array().unwrap().is_empty(), "nothing was queued");

    // The federated sign-in page: a NUL address is bad input, not a server failure.
    let r = h
        .http
        .post(format!("{}/EnrollmentServer/AuthenticationService", h.server.base_url()))
        .form(&[("appru", "ms-app://s-1-15-2-1"), ("email", "user\0@contoso.com"), ("password", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);

    // A device that calls itself something unsafe is enrolled with the name cleaned.
    support::windows_device::contoso_user(h.state().store.as_ref()).await;
    let key = rcgen::KeyPair::generate().unwrap();
    let csr = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap().serialize_request(&key).unwrap();
    use base64::Engine;
    let rst = windows_fixture("rst_request_onpremise.xml")
        .replace(
            "DER format PKCS#10 certificate request in Base64 encoding Insterted Here",
            &base64::engine::general_purpose::STANDARD.encode(csr.der()),
        )
        .replace("MY_WINDOWS_DEVICE", "Quarterly&#x202E;xslx.exe&#9;PC");
    let (s, _, body) = soap_post(&h, "/EnrollmentServer/Enrollment.svc", rst).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (_, page) = h.get("/devices?search=quarterly").await;
    assert_eq!(page["items"][0]["name"], "Quarterlyxslx.exe PC", "{page}");
    h.server.shutdown().await;
}

/// The `Host` header is chosen by the sender: it must never reach what we hand devices — not
/// the unauthenticated Discovery answer, the provisioning doc, nor the signed `.mobileconfig`.
pub async fn host_header_is_never_echoed_to_devices(b: Backend) {
    let h = start(b).await;
    let public = h.state().public_url.to_string();
    assert_eq!(public, h.server.base_url(), "default: the listen address and port (no reachable TLS name)");
    let http = http1_client(&h);
    let post_soap = |path: &str, body: String| {
        http.post(format!("{}{path}", h.server.base_url()))
            .header("host", EVIL_HOST)
            .header("content-type", "application/soap+xml; charset=utf-8")
            .body(body)
            .send()
    };
    support::windows_device::contoso_user(h.state().store.as_ref()).await;
    let body = post_soap("/EnrollmentServer/Discovery.svc", windows_fixture("discovery_request_onpremise.xml"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!body.contains(EVIL_HOST), "{body}");
    let (_, discovered) = DiscoverResponse::decode(body.as_bytes()).unwrap();
    assert_eq!(discovered.enrollment_service_url, format!("{public}/EnrollmentServer/Enrollment.svc"));
    assert_eq!(discovered.enrollment_policy_service_url, format!("{public}/EnrollmentServer/Policy.svc"));

    // The provisioning doc's management URL.
    let key = rcgen::KeyPair::generate().unwrap();
    let csr = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap().serialize_request(&key).unwrap();
    use base64::Engine;
    let rst = windows_fixture("rst_request_onpremise.xml").replace(
        "DER format PKCS#10 certificate request in Base64 encoding Insterted Here",
        &base64::engine::general_purpose::STANDARD.encode(csr.der()),
    );
    let r = post_soap("/EnrollmentServer/Enrollment.svc", rst).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let body = r.text().await.unwrap();
    let doc = pinreset_windows::enrollment::RstrResponse::decode(body.as_bytes()).unwrap().1.provisioning_doc.unwrap();
    assert!(!doc.contains(EVIL_HOST), "the provisioning doc echoes the Host header");
    assert!(doc.contains(&format!("value=\"{public}/ManagementServer/MDM.svc\"")), "{doc}");

    // The signed Apple enrollment profile.
    let r = http
        .post(h.url("/enrollment/apple/profiles"))
        .header("host", EVIL_HOST)
        .bearer_auth(&h.creds.admin_token)
        .json(&json!({"login": "alice"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let profile = r.bytes().await.unwrap();
    let text = String::from_utf8_lossy(&profile);
    assert!(!text.contains(EVIL_HOST), "the signed profile vouches for the sender's host");
    assert!(text.contains(&format!("{public}/mdm/apple/checkin")) && text.contains(&format!("{public}/mdm/apple/connect")));
    h.server.shutdown().await;

    // A configured public URL is what devices get; a malformed one stops the start.
    let h = start_configured(b, |o| o.public_url = Some("https://mdm.example.test:8443/".into())).await;
    let (_, _, body) = soap_post(&h, "/EnrollmentServer/Discovery.svc", windows_fixture("discovery_request_onpremise.xml")).await;
    let (_, discovered) = DiscoverResponse::decode(body.as_bytes()).unwrap();
    assert_eq!(discovered.enrollment_service_url, "https://mdm.example.test:8443/EnrollmentServer/Enrollment.svc");
    h.server.shutdown().await;
    for bad in ["http://mdm.example.test", "https://mdm.example.test/mdm"] {
        let dir = tempfile::tempdir().unwrap();
        let mut opts = pinreset_server::ServeOptions::new("127.0.0.1:0".parse().unwrap(), dir.path().to_path_buf());
        opts.public_url = Some(bad.into());
        let clock = std::sync::Arc::new(pinreset_server::clock::ManualClock::new(chrono::Utc::now()));
        assert!(pinreset_server::start(opts, clock).await.is_err(), "{bad} was accepted");
    }
}

/// Discovery is unauthenticated: it must not tell which email addresses have an account. An
/// unknown address gets the known one's answer and fails at sign-in like a wrong password.
pub async fn discovery_answers_known_and_unknown_emails_alike(b: Backend) {
    let h = start(b).await;
    support::windows_device::contoso_user(h.state().store.as_ref()).await;
    let discover = |email: &str| windows_fixture("discovery_request_onpremise.xml").replace("user@contoso.com", email);
    let (known_status, _, known) = soap_post(&h, "/EnrollmentServer/Discovery.svc", discover("user@contoso.com")).await;
    let (unknown_status, _, unknown) = soap_post(&h, "/EnrollmentServer/Discovery.svc", discover("nobody@contoso.com")).await;
    assert_eq!((known_status, unknown_status), (StatusCode::OK, StatusCode::OK));
    assert!(!unknown.contains("nobody@contoso.com"), "{unknown}");
    assert_eq!(DiscoverResponse::decode(known.as_bytes()).unwrap().1, DiscoverResponse::decode(unknown.as_bytes()).unwrap().1);

    let policy = |user: &str, password: &str| {
        windows_fixture("get_policies_request_onpremise.xml").replace("user@contoso.com", user).replace("mypassword", password)
    };
    let (s1, _, wrong_password) = soap_post(&h, "/EnrollmentServer/Policy.svc", policy("user@contoso.com", "guess")).await;
    let (s2, _, unknown_user) = soap_post(&h, "/EnrollmentServer/Policy.svc", policy("nobody@contoso.com", "guess")).await;
    assert_eq!((s1, s2), (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED));
    let (f1, f2) = (Fault::decode(wrong_password.as_bytes()).unwrap(), Fault::decode(unknown_user.as_bytes()).unwrap());
    assert_eq!((f1.code, &f1.reason), (FaultCode::Authentication, &f2.reason));
    assert_eq!(f2.code, FaultCode::Authentication);
    h.server.shutdown().await;
}

/// A malformed query string or path came back as text/plain; API clients get problem details.
pub async fn query_string_errors_are_problem_details(b: Backend) {
    let h = start(b).await;
    for path in ["/devices?limit=abc", "/devices?include_retired=maybe", "/audit?limit=-1", "/devices/%FF", "/devices/%FF/actions"] {
        let r = h.http.get(h.url(path)).bearer_auth(&h.creds.admin_token).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{path}");
        let ctype = r.headers().get("content-type").unwrap().to_str().unwrap().to_string();
        assert_eq!(ctype, "application/problem+json", "{path}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["code"], "invalid_input", "{path}: {body}");
    }
    h.server.shutdown().await;
}
