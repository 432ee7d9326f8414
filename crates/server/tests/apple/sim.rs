//! End to end with the Apple device simulator: it installs the profile the API hands out (and
//! checks its signature), checks in, is woken by the stand-in APNs and answers commands as its
//! kind of device does.

use crate::*;
use pinreset_sim::apple::{Answered, AppleDevice, AppleKind, StandInApns, Transport};
use std::time::Duration;

const TOPIC: &str = "com.apple.mgmt.External.5c1d0a2e-7a55-4b8e-9f3c-0d1e2f3a4b5c";

pub(crate) struct ApplePark {
    pub h: Harness,
    pub apns: StandInApns,
    pub ca_pem: String,
}

/// A tenant's MDM push certificate (self-signed here): its subject's UID is the APNs topic.
pub(crate) fn push_certificate(topic: &str) -> (rcgen::Certificate, rcgen::KeyPair) {
    use rcgen::{CertificateParams, DnType, KeyPair};
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.distinguished_name.push(DnType::CustomDnType(vec![0, 9, 2342, 19200300, 100, 1, 1]), topic);
    params.distinguished_name.push(DnType::CommonName, "APSP:simulated");
    (params.self_signed(&key).unwrap(), key)
}

/// A server pushing to a stand-in APNs that accepts only `push_cert` as client.
pub(crate) async fn start_with_stand_in_apns(b: Backend, push_cert: &rcgen::Certificate) -> (Harness, StandInApns) {
    let apns = StandInApns::start(push_cert.der().to_vec()).await.unwrap();
    let push =
        pinreset_server::app::push::PushConfig { apns_url: apns.url.clone(), extra_root_pem: Some(apns.ca_pem.clone().into_bytes()) };
    (start_with(b, push).await, apns)
}

/// `PUT /tenant/apns` as the tenant admin.
pub(crate) async fn upload_push_certificate(h: &Harness, cert_pem: &str, key_pem: &str) -> reqwest::Response {
    let body = json!({"cert_pem": cert_pem, "key_pem": key_pem});
    h.http.put(h.url("/tenant/apns")).bearer_auth(&h.creds.admin_token).json(&body).send().await.unwrap()
}

/// A server whose tenant has uploaded its MDM push certificate, pushing to a stand-in APNs.
pub(crate) async fn apple_park(b: Backend) -> ApplePark {
    let (push_cert, push_key) = push_certificate(TOPIC);
    let (h, apns) = start_with_stand_in_apns(b, &push_cert).await;
    assert_eq!(upload_push_certificate(&h, &push_cert.pem(), &push_key.serialize_pem()).await.status(), StatusCode::OK);
    let ca_pem = std::fs::read_to_string(h.server.ca_pem.as_ref().unwrap()).unwrap();
    ApplePark { h, apns, ca_pem }
}

/// The `.mobileconfig` an admin downloads for `login`.
pub(crate) async fn profile_for(h: &Harness, login: &str) -> Vec<u8> {
    let tenant = h.state().store.list_tenants().await.unwrap().pop().unwrap();
    let (user, _) = h.state().store.user_by_login(tenant.id, login).await.unwrap().unwrap();
    let r =
        h.http.post(h.url("/enrollment/apple/profiles")).bearer_auth(&h.creds.admin_token).json(&json!({"user_id": user.id})).send().await;
    let r = r.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.bytes().await.unwrap().to_vec()
}

/// The first profile creates the tenant's device CA; the server trusts it a moment later.
pub(crate) async fn wait_until_trusted(h: &Harness, cert: &[u8]) {
    for _ in 0..100 {
        if h.state().device_trust.verifies(cert, chrono::Utc::now()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the device CA was never trusted");
}

/// A simulated device of `kind` for `login`, enrolled and through its first connection (where
/// the server asks for its DeviceInformation).
pub(crate) async fn enrolled(park: &ApplePark, login: &str, kind: AppleKind, transport: Transport) -> AppleDevice {
    let profile = profile_for(&park.h, login).await;
    let mut device = AppleDevice::install(&profile, &park.ca_pem, kind, transport).expect("the device installs the profile");
    assert!(device.profile().signed_by.is_some(), "the profile is signed by a certificate the device trusts");
    wait_until_trusted(&park.h, &device.profile().cert_der).await;
    device.enroll().await.expect("Authenticate and TokenUpdate are accepted");
    assert_eq!(kinds(&device.poll().await.unwrap()), [("DeviceInformation", "Acknowledged")]);
    device
}

fn kinds(answered: &[Answered]) -> Vec<(&str, &str)> {
    answered.iter().map(|a| (a.request_type.as_str(), a.status)).collect()
}

async fn woken(park: &ApplePark, device: &mut AppleDevice) -> Vec<Answered> {
    device.poll_on_push(&park.apns, Duration::from_secs(10)).await.unwrap().expect("a push woke the device")
}

async fn action(h: &Harness, a: &Value) -> Value {
    h.get(&format!("/actions/{}", a["id"].as_str().unwrap())).await.1
}

pub(crate) async fn simulated_iphone_gets_its_passcode_removed_through_apns(b: Backend) {
    let park = apple_park(b).await;
    let mut iphone = enrolled(&park, "alice", AppleKind::Iphone17, Transport::TlsClientCert).await;
    let d = first_device(&park.h, &iphone.udid).await;
    assert_eq!(
        (d["platform"].as_str(), d["model"].as_str(), d["unlock_token_escrowed"].as_bool()),
        (Some("ios"), Some("iPhone15,2"), Some(true)),
        "{d}"
    );
    let (_, detail) = park.h.get(&format!("/devices/{}", d["id"].as_str().unwrap())).await;
    assert_eq!(detail["capabilities"]["reset_passcode"]["kind"], "clear_only", "{detail}");
    assert_eq!(detail["reached_by"]["by"], "push", "{detail}");
    let (s, reset) = park.h.post(&format!("/devices/{}/actions/reset-passcode", d["id"].as_str().unwrap())).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{reset}");

    let answered = woken(&park, &mut iphone).await;
    assert_eq!(kinds(&answered), [("ClearPasscode", "Acknowledged"), ("SecurityInfo", "Acknowledged")]);
    assert_eq!(iphone.passcode(), None, "the escrowed UnlockToken cleared the passcode");
    let push = park.apns.received().pop().unwrap();
    assert_eq!(push.topic, TOPIC);

    let a = action(&park.h, &reset).await;
    assert_eq!((a["state"].as_str(), a["result"]["type"].as_str()), (Some("succeeded"), Some("passcode_removed")), "{a}");
    assert!(a["summary"].as_str().unwrap().starts_with("Passcode removed"), "{a}");
    // The trail: request, push, delivery, acknowledgement, and the SecurityInfo verification. The
    // push is recorded once APNs has answered, which may be after the device already woke up.
    let mut audit = Value::Null;
    for _ in 0..100 {
        audit = park.h.get(&format!("/audit?action={}", reset["id"].as_str().unwrap())).await.1;
        if audit.as_array().unwrap().iter().any(|e| e["kind"] == "push_sent") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let trail: Vec<String> =
        audit.as_array().unwrap().iter().map(|e| format!("{}:{}", e["kind"].as_str().unwrap(), e["outcome"].as_str().unwrap())).collect();
    for step in
        ["action_requested", "push_sent", "action_transition:delivered", "action_transition:acknowledged", "action_transition:succeeded"]
    {
        assert!(trail.iter().any(|t| t.starts_with(step)), "{step} missing from {trail:?}");
    }
    let verified = audit.as_array().unwrap().iter().find(|e| e["outcome"] == "succeeded").unwrap();
    assert!(verified["actor"].as_str().unwrap().starts_with("device:"), "the device's SecurityInfo made it a success: {verified}");

    // APNs stops accepting the token: the push fails as unregistered, the device is marked as
    // reached only at its next check-in, and its next TokenUpdate brings push back.
    park.apns.unregister(&iphone.push_token_hex());
    let device_path = format!("/devices/{}", d["id"].as_str().unwrap());
    let (_, lock) = park.h.post(&format!("{device_path}/actions/remote-lock")).await;
    let mut detail = Value::Null;
    for _ in 0..100 {
        detail = park.h.get(&device_path).await.1;
        if detail["reached_by"]["by"] == "next_check_in" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(detail["reached_by"]["reason"].as_str().unwrap_or("").contains("unregistered"), "{detail}");
    let (_, audit) = park.h.get(&format!("/audit?action={}", lock["id"].as_str().unwrap())).await;
    assert!(audit.as_array().unwrap().iter().any(|e| e["kind"] == "push_failed" && e["outcome"] == "unregistered"), "{audit}");
    iphone.token_update().await.unwrap();
    assert_eq!(park.h.get(&device_path).await.1["reached_by"]["by"], "push");
    assert_eq!(kinds(&iphone.poll().await.unwrap()), [("DeviceLock", "Acknowledged")], "reached at its next check-in");
}

pub(crate) async fn simulated_apple_devices_are_served_as_their_kind_allows(b: Backend) {
    let park = apple_park(b).await;
    let h = &park.h;
    let reset = |id: String| async move { h.post(&format!("/devices/{id}/actions/reset-passcode")).await };
    let id_of = |d: &Value| d["id"].as_str().unwrap().to_string();

    // User Enrollment: no UDID, no UnlockToken; refused with the reason.
    let byod = enrolled(&park, "bob", AppleKind::UserEnrollmentIphone, Transport::TlsClientCert).await;
    let d = first_device(h, &byod.udid).await;
    assert_eq!((d["management_mode"].as_str(), d["ownership"].as_str()), (Some("user_enrollment"), Some("personal")), "{d}");
    let (s, p) = reset(id_of(&d)).await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::CONFLICT, Some("ios_user_enrollment")), "{p}");

    // Shared iPad: only its DeviceInformation (IsMultiUser) tells; then refused with the reason.
    let mut ipad = enrolled(&park, "carol", AppleKind::SharedIpad, Transport::TlsClientCert).await;
    let d = first_device(h, &ipad.udid).await;
    assert_eq!((d["management_mode"].as_str(), d["platform"].as_str()), (Some("shared_ipad"), Some("ipados")), "{d}");
    let (s, p) = reset(id_of(&d)).await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::CONFLICT, Some("ios_shared_ipad")), "{p}");
    // What a Shared iPad can have: Reset device erases it.
    let (s, erase) = h.post(&format!("/devices/{}/actions/reset-device", id_of(&d))).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{erase}");
    assert_eq!(kinds(&woken(&park, &mut ipad).await), [("EraseDevice", "Acknowledged")]);
    assert!(ipad.erased());
    assert_eq!(action(h, &erase).await["state"], "succeeded");

    // A Mac signing its messages (Mdm-Signature, no client certificate): locked with the PIN
    // the admin then sees.
    let mut mac = enrolled(&park, "carol", AppleKind::Macos14, Transport::MdmSignature).await;
    let d = first_device(h, &mac.serial).await;
    assert_eq!(d["platform"], "macos", "{d}");
    let (_, lock) = h.post(&format!("/devices/{}/actions/remote-lock", id_of(&d))).await;
    assert_eq!(kinds(&woken(&park, &mut mac).await), [("DeviceLock", "Acknowledged")]);
    assert!(mac.locked());
    let (_, p) = h.get(&format!("/actions/{}/passcode", lock["id"].as_str().unwrap())).await;
    assert_eq!(p["passcode"].as_str(), mac.lock_pin(), "the admin sees the PIN the Mac received");
    let (_, log) = h.get(&format!("/devices/{}/commands", id_of(&d))).await;
    assert!(log.to_string().contains("DeviceLock: Acknowledged"), "{log}");
    assert!(!log.to_string().contains(mac.lock_pin().unwrap()), "the history never shows the PIN: {log}");
    // Remove: the enrollment profile goes, the Mac checks out, and the server forgets it.
    let (_, remove) = h.post(&format!("/devices/{}/actions/remove", id_of(&d))).await;
    assert_eq!(kinds(&woken(&park, &mut mac).await), [("RemoveProfile", "Acknowledged")]);
    assert!(!mac.enrolled());
    assert_eq!(action(h, &remove).await["state"], "succeeded");
    let (_, gone) = h.get(&format!("/devices/{}", id_of(&d))).await;
    assert!(gone["device"]["retired_at"].is_string(), "{gone}");

    // NotNow: counted and shown, then retried on the next connection, which succeeds.
    let mut iphone = enrolled(&park, "alice", AppleKind::Iphone17, Transport::TlsClientCert).await;
    let d = first_device(h, &iphone.udid).await;
    iphone.answer_not_now(1);
    let (_, r) = reset(id_of(&d)).await;
    assert_eq!(kinds(&woken(&park, &mut iphone).await), [("ClearPasscode", "NotNow")]);
    let a = action(h, &r).await;
    assert_eq!((a["state"].as_str(), a["deferrals"].as_u64()), (Some("delivered"), Some(1)), "{a}");
    assert!(a["summary"].as_str().unwrap().contains("not now"), "{a}");
    assert!(iphone.passcode().is_some());
    assert_eq!(kinds(&iphone.poll().await.unwrap()), [("ClearPasscode", "Acknowledged"), ("SecurityInfo", "Acknowledged")]);
    assert_eq!(action(h, &r).await["state"], "succeeded");
    assert_eq!(iphone.passcode(), None);
    // The device's command history shows every command and every answer, NotNow included.
    let (_, log) = h.get(&format!("/devices/{}/commands", id_of(&d))).await;
    let mut log: Vec<String> =
        log.as_array().unwrap().iter().map(|e| format!("{} {}", e["kind"].as_str().unwrap(), e["outcome"].as_str().unwrap())).collect();
    log.reverse();
    assert_eq!(
        log,
        [
            "command_sent DeviceInformation",
            "command_result DeviceInformation: Acknowledged",
            "command_sent ClearPasscode",
            "command_result ClearPasscode: NotNow",
            "command_sent ClearPasscode",
            "command_result ClearPasscode: Acknowledged",
            "command_sent SecurityInfo",
            "command_result SecurityInfo: Acknowledged",
        ]
    );

    // Re-enrollment: the new Authenticate drops the old UnlockToken before anything else.
    iphone.set_passcode(Some("111111"));
    iphone.authenticate().await.unwrap();
    let d = first_device(h, &iphone.udid).await;
    assert_eq!(d["unlock_token_escrowed"], false, "{d}");
    let (s, p) = reset(id_of(&d)).await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::CONFLICT, Some("ios_no_unlock_token")), "{p}");
    // Its TokenUpdate escrows the new one, and that one clears the passcode.
    iphone.token_update().await.unwrap();
    assert_eq!(kinds(&iphone.poll().await.unwrap()), [("DeviceInformation", "Acknowledged")], "asked again after re-enrolling");
    let (_, r) = reset(id_of(&d)).await;
    assert_eq!(kinds(&woken(&park, &mut iphone).await), [("ClearPasscode", "Acknowledged"), ("SecurityInfo", "Acknowledged")]);
    assert_eq!((action(h, &r).await["state"].as_str(), iphone.passcode()), (Some("succeeded"), None));

    // Offline: the push goes unanswered and the action waits; back online, the next poll does it.
    iphone.set_offline(true);
    let (_, lock) = h.post(&format!("/devices/{}/actions/remote-lock", id_of(&d))).await;
    assert!(matches!(iphone.poll_on_push(&park.apns, Duration::from_secs(10)).await, Err(pinreset_sim::error::SimError::Offline)));
    assert_eq!(action(h, &lock).await["state"], "queued");
    iphone.set_offline(false);
    assert_eq!(kinds(&iphone.poll().await.unwrap()), [("DeviceLock", "Acknowledged")]);
    assert_eq!((action(h, &lock).await["state"].as_str(), iphone.locked()), (Some("succeeded"), true));

    // A stale UnlockToken (the keybag changed without a TokenUpdate): the device refuses it,
    // and the action fails with what the device said.
    iphone.set_passcode(Some("222222"));
    iphone.rotate_unlock_token();
    let (_, r) = reset(id_of(&d)).await;
    assert_eq!(kinds(&woken(&park, &mut iphone).await), [("ClearPasscode", "Error")]);
    let a = action(h, &r).await;
    assert_eq!((a["state"].as_str(), a["failure_view"]["code"].as_str()), (Some("failed"), Some("ios_unlock_token_rejected")), "{a}");
    assert!(a["failure"]["detail"].as_str().unwrap().contains("unlock token"), "{a}");
    assert!(a["failure_view"]["remedy"].as_str().unwrap().contains("reinstall the enrollment profile"), "{a}");
    assert_eq!(iphone.passcode(), Some("222222"));
}
