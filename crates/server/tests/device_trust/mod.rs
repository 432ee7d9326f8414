//! Device trust, written as the attacks it prevents: a device can never be taken over by
//! another enrollment, every message of a Windows session needs the device's proof, credentials
//! and signatures are good once, and a reset never sticks half-way. Each attack is followed by
//! the assertion that nothing changed.

use crate::apple::identity::{authenticate_plist, issued_identity, put_with, signature};
use crate::support::windows_device::{enroll_w10m_as, FIRST_PACKAGE};
use crate::*;
use pinreset_core::Role;
use pinreset_windows::syncml::auth::md5_digest;

fn demo_password(h: &Harness, login: &str) -> String {
    h.creds.users.iter().find(|u| u.login == login).unwrap().password.clone()
}

/// A second organisation on the same server, with one user who may enroll devices.
async fn other_tenant_user(h: &Harness) -> (String, String) {
    let tenant = h.new_tenant("Fabrikam").await;
    let user = h.new_user(tenant.id, "mallory", "mallory@fabrikam.example", Role::EndUser, Some("fabrikam-pass")).await;
    (user.email, "fabrikam-pass".into())
}

fn soap_reason(body: &str) -> String {
    pinreset_windows::enrollment::Fault::decode(body.as_bytes()).map(|f| f.reason).unwrap_or_else(|_| body.to_string())
}

/// A session message without the device's proof (no Cred, no HMAC, no certificate).
async fn unproven(h: &Harness, dm: &DmAccount, session: &str, msg_id: u32, cred: Option<String>, body: &str) -> u16 {
    header_status(&dm_post(h, support::windows_device::device_message(&dm.name, session, msg_id, cred, body)).await)
}

fn pin_answer(reply: &pinreset_windows::syncml::SyncMl, pin: &str) -> String {
    let seq = reply.body.iter().find(|c| c.name() == "Sequence").expect("a Sequence").cmd_id().to_string();
    let exec = cmd_id_for(reply, "Exec", "./Vendor/MSFT/RemoteLock/LockAndResetPIN").unwrap();
    let get = cmd_id_for(reply, "Get", "./Vendor/MSFT/RemoteLock/NewPINValue").unwrap();
    format!(
        "<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>{seq}</CmdRef><Cmd>Sequence</Cmd><Data>200</Data></Status>\
         <Status><CmdID>2</CmdID><MsgRef>1</MsgRef><CmdRef>{exec}</CmdRef><Cmd>Exec</Cmd><Data>200</Data></Status>\
         <Status><CmdID>3</CmdID><MsgRef>1</MsgRef><CmdRef>{get}</CmdRef><Cmd>Get</Cmd><Data>200</Data></Status>\
         <Results><CmdID>4</CmdID><MsgRef>1</MsgRef><CmdRef>{get}</CmdRef><Item><Source><LocURI>./Vendor/MSFT/RemoteLock/NewPINValue</LocURI></Source><Data>{pin}</Data></Item></Results>"
    )
}

async fn reenrollments(h: &Harness) -> Vec<Value> {
    let (s, list) = h.get("/reenrollments").await;
    assert_eq!(s, StatusCode::OK, "{list}");
    list.as_array().unwrap().clone()
}

/// Attack: a second user — of the same organisation or another — enrolls a device naming an
/// enrolled device's DeviceID. Refused; the enrolled device keeps its owner, credentials and
/// pending reset. An admin's approval (and only that, or the device's own certificate) lets
/// the re-enrollment through.
pub(crate) async fn windows_device_ids_cannot_be_taken_over(b: Backend) {
    let h = start(b).await;
    let (mut dm, id) = enroll_w10m(&h, "W10M-VICTIM").await;
    let (_, reset) = h.post(&format!("/devices/{id}/actions/reset-passcode")).await;
    let before = h.get(&format!("/devices/{id}")).await.1["device"].clone();
    let base = h.server.base_url();

    let (s, body) =
        enroll_w10m_as(&h.http, &base, "W10M-VICTIM", "alice@contoso.example", &demo_password(&h, "alice")).await.err().unwrap();
    assert_eq!(s, 403);
    assert!(soap_reason(&body).contains("already enrolled"), "{body}");
    let (email, password) = other_tenant_user(&h).await;
    let (s, body) = enroll_w10m_as(&h.http, &base, "W10M-VICTIM", &email, &password).await.err().unwrap();
    assert_eq!(s, 403);
    assert!(soap_reason(&body).contains("another organisation"), "{body}");

    // Nothing changed, and the real device still manages itself and gets its reset.
    assert_eq!(h.get(&format!("/devices/{id}")).await.1["device"], before);
    let reply = dm_send(&h, &mut dm, "v1", 1, FIRST_PACKAGE).await;
    assert_eq!(header_status(&reply), 212, "the device's own credentials still work");
    assert!(cmd_id_for(&reply, "Exec", "./Vendor/MSFT/RemoteLock/LockAndResetPIN").is_some());
    let requests = reenrollments(&h).await;
    assert_eq!(requests.len(), 1, "only the same organisation's attempt waits for an admin: {requests:?}");
    assert_eq!((requests[0]["state"].as_str(), requests[0]["requested_by_login"].as_str()), (Some("pending"), Some("alice")));
    let rid = requests[0]["id"].as_str().unwrap().to_string();

    // Help desk cannot approve; a tenant admin can (audited); a decision is final.
    let (s, p) = h.post_as(&h.creds.helpdesk_token, &format!("/reenrollments/{rid}/approve"), None).await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::FORBIDDEN, Some("role_forbidden")));
    let (s, approved) = h.post(&format!("/reenrollments/{rid}/approve")).await;
    assert_eq!((s, approved["state"].as_str()), (StatusCode::OK, Some("approved")), "{approved}");
    let (s, p) = h.post(&format!("/reenrollments/{rid}/reject")).await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::CONFLICT, Some("reenrollment_not_pending")));
    let (s, p) = h.post("/reenrollments/not-an-id/approve").await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_input")));

    // The approved user enrolls the device: same record, new owner, old credentials dead, what
    // was queued for the previous enrollment dropped with a reason.
    let alice = enroll_w10m_as(&h.http, &base, "W10M-VICTIM", "alice@contoso.example", &demo_password(&h, "alice")).await.unwrap();
    let (_, after) = h.get(&format!("/devices/{id}")).await;
    let tenant = h.state().store.list_tenants().await.unwrap().into_iter().find(|t| t.display_name.contains("demo")).unwrap();
    let (alice_user, _) = h.state().store.user_by_login(tenant.id, "alice").await.unwrap().unwrap();
    assert_eq!(after["device"]["primary_user_id"].as_str(), Some(alice_user.id.to_string().as_str()));
    assert_eq!(unproven(&h, &dm, "v2", 1, Some(dm.cred()), FIRST_PACKAGE).await, 401, "the old DM password no longer works");
    let (_, a) = h.get(&format!("/actions/{}", reset["id"].as_str().unwrap())).await;
    assert_eq!(a["failure_view"]["code"], "device_reenrolled", "{a}");
    let mut alice_dm = DmAccount::of(&alice);
    assert_eq!(header_status(&dm_send(&h, &mut alice_dm, "a1", 1, FIRST_PACKAGE).await), 212);
    assert_eq!(reenrollments(&h).await[0]["state"], "completed", "an approval is used once");
    let (s, _) = enroll_w10m_as(&h.http, &base, "W10M-VICTIM", "alice@contoso.example", &demo_password(&h, "alice")).await.err().unwrap();
    assert_eq!(s, 403, "a spent approval does not enroll again");
    let (_, audit) = h.get(&format!("/audit?device={id}&limit=200")).await;
    let kinds = audit.to_string();
    for kind in ["reenrollment_requested", "reenrollment_approved", "device_reenrolled"] {
        assert!(kinds.contains(kind), "{kind} missing from the audit");
    }

    // A device that proves itself with its current certificate enrolls again without approval.
    let own = support::windows_device::enroll_w10m(&h.http, &base, "W10M-PROVEN").await;
    let ca = std::fs::read(h.server.ca_pem.as_ref().unwrap()).unwrap();
    let mut again = Err((0, String::new()));
    for _ in 0..50 {
        let client = reqwest::Client::builder()
            .add_root_certificate(reqwest::Certificate::from_pem(&ca).unwrap())
            .identity(reqwest::Identity::from_pem(own.identity_pem.as_bytes()).unwrap())
            .build()
            .unwrap();
        again = enroll_w10m_as(&client, &base, "W10M-PROVEN", "user@contoso.com", "mypassword").await;
        if again.is_ok() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let renewed = again.expect("the device's own certificate proves it");
    assert_ne!(renewed.secret, own.secret, "new DM credentials");
    // After the re-enrollment the old certificate speaks for nobody; the new one does.
    let session_with = |identity: &str| {
        let client = reqwest::Client::builder()
            .add_root_certificate(reqwest::Certificate::from_pem(&ca).unwrap())
            .identity(reqwest::Identity::from_pem(identity.as_bytes()).unwrap())
            .build()
            .unwrap();
        let body = support::windows_device::device_message(&renewed.name, "re1", 1, None, FIRST_PACKAGE);
        let url = format!("{base}/ManagementServer/MDM.svc");
        async move {
            header_status(
                &pinreset_windows::syncml::decode(client.post(url).body(body).send().await.unwrap().text().await.unwrap().as_bytes())
                    .unwrap(),
            )
        }
    };
    assert_eq!(session_with(&own.identity_pem).await, 407, "the certificate of the previous enrollment is refused");
    assert_eq!(session_with(&renewed.identity_pem).await, 200, "the new certificate authenticates");
}

/// Attack: an unused Apple enrollment profile (another user's) authenticates with an enrolled
/// iPad's UDID. Refused: the iPad keeps its owner, its UnlockToken and its pending reset. The
/// identity is spent on that UDID and cannot enroll another; after an admin's approval it
/// re-enrolls the iPad; a checked-out device is not revived by its certificate.
pub(crate) async fn apple_profiles_cannot_claim_an_enrolled_udid(b: Backend) {
    const UDID: &str = "663b07bb783e9ade1dae4fbb92ea12afc0ce5b69";
    let h = start(b).await;
    let ipad = apple_enroll(&h, "alice", apple_corpus("Authenticate.1.plist")).await;
    assert_eq!(apple_put(&h, &ipad, "/mdm/apple/checkin", CHECKIN, apple_corpus("TokenUpdate.1.plist")).await.0, StatusCode::OK);
    let device = first_device(&h, "F5JM992LF193").await;
    let id = device["id"].as_str().unwrap().to_string();
    let (_, reset) = h.post(&format!("/devices/{id}/actions/reset-passcode")).await;
    let before = h.get(&format!("/devices/{id}")).await.1["device"].clone();

    let bob = apple_identity_client(&h, "bob").await;
    let (s, body) = apple_put(&h, &bob, "/mdm/apple/checkin", CHECKIN, apple_corpus("Authenticate.1.plist")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(String::from_utf8_lossy(&body).contains("already enrolled"), "{}", String::from_utf8_lossy(&body));
    assert_eq!(h.get(&format!("/devices/{id}")).await.1["device"], before, "nothing changed");
    assert_eq!(h.get(&format!("/actions/{}", reset["id"].as_str().unwrap())).await.1["state"], "queued");
    let (_, cmd) = apple_put(&h, &ipad, "/mdm/apple/connect", "application/xml", apple_result(UDID, "Idle", None, "")).await;
    assert_eq!(
        pinreset_apple::command::Command::decode(&cmd).unwrap().request.request_type(),
        "ClearPasscode",
        "the iPad still gets its reset"
    );
    // The identity is now bound to that UDID: it cannot enroll another device either.
    let (s, body) = apple_put(&h, &bob, "/mdm/apple/checkin", CHECKIN, apple_corpus("Authenticate.2.plist")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(String::from_utf8_lossy(&body).contains("already used by another device"));

    // Approved, the same identity re-enrolls the iPad: owner bob, UnlockToken gone, the reset
    // of the previous enrollment failed with a reason, the old identity no longer speaks for it.
    let rid = reenrollments(&h).await[0]["id"].as_str().unwrap().to_string();
    assert_eq!(h.post(&format!("/reenrollments/{rid}/approve")).await.0, StatusCode::OK);
    assert_eq!(apple_put(&h, &bob, "/mdm/apple/checkin", CHECKIN, apple_corpus("Authenticate.1.plist")).await.0, StatusCode::OK);
    let (_, d) = h.get(&format!("/devices/{id}")).await;
    assert_eq!(d["device"]["unlock_token_escrowed"], false);
    assert_eq!(d["capabilities"]["reset_passcode"]["code"], "ios_no_unlock_token");
    let (_, a) = h.get(&format!("/actions/{}", reset["id"].as_str().unwrap())).await;
    assert_eq!(a["failure_view"]["code"], "device_reenrolled", "{a}");
    let old = apple_put(&h, &ipad, "/mdm/apple/connect", "application/xml", apple_result(UDID, "Idle", None, "")).await.0;
    assert_eq!(old, StatusCode::FORBIDDEN);

    // Checked out, the device stays out: its certificate does not bring it back.
    let checkout = format!(
        "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>MessageType</key><string>CheckOut</string>\
         <key>Topic</key><string>com.apple.mgmt.External.x</string><key>UDID</key><string>{UDID}</string></dict></plist>"
    );
    assert_eq!(apple_put(&h, &bob, "/mdm/apple/checkin", CHECKIN, checkout.into_bytes()).await.0, StatusCode::OK);
    let (s, _) = apple_put(&h, &bob, "/mdm/apple/checkin", CHECKIN, apple_corpus("Authenticate.1.plist")).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "a retired device's certificate enrolls nothing");
    assert!(h.get(&format!("/devices/{id}")).await.1["device"]["retired_at"].is_string());
}

/// A TLS client with a fresh enrollment identity of `login` (the tenant's CA is trusted already).
pub(crate) async fn apple_identity_client(h: &Harness, login: &str) -> reqwest::Client {
    let tenant = h.state().store.list_tenants().await.unwrap().pop().unwrap();
    let (user, _) = h.state().store.user_by_login(tenant.id, login).await.unwrap().unwrap();
    let identity = pinreset_server::channels::apple::enrollment::issue_identity(h.state(), &user).await.unwrap();
    let ca = std::fs::read(h.server.ca_pem.as_ref().unwrap()).unwrap();
    reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&ca).unwrap())
        .identity(reqwest::Identity::from_pem(format!("{}{}", identity.cert_pem, identity.key_pem.expose()).as_bytes()).unwrap())
        .build()
        .unwrap()
}

/// Attack: knowing a Windows device's DeviceID and SessionID, send the session's next message
/// with a forged NewPINValue — without proof, with the Cred the session's first message used,
/// with an HMAC made for other bytes. None becomes a passcode; the device's own answer does.
/// A replayed session start is refused too.
pub(crate) async fn windows_session_messages_need_the_device_proof(b: Backend) {
    let h = start(b).await;
    let (mut dm, id) = enroll_w10m(&h, "W10M-PROOF").await;
    let (_, reset) = h.post(&format!("/devices/{id}/actions/reset-passcode")).await;
    let action = format!("/actions/{}", reset["id"].as_str().unwrap());
    let spent_cred = dm.cred();
    let reply = dm_send(&h, &mut dm, "s1", 1, FIRST_PACKAGE).await;
    assert_eq!(header_status(&reply), 212);
    let forged = pin_answer(&reply, "Forged99");

    assert_eq!(unproven(&h, &dm, "s1", 2, None, &forged).await, 407, "no proof at all");
    assert_eq!(unproven(&h, &dm, "s1", 3, Some(spent_cred.clone()), &forged).await, 401, "the first message's Cred, replayed");
    let xml = support::windows_device::device_message(&dm.name, "s1", 4, None, &forged);
    let mac_for_other_bytes = dm.hmac("<SyncML>another message</SyncML>");
    let r = h
        .http
        .post(format!("{}/ManagementServer/MDM.svc", h.server.base_url()))
        .header("x-syncml-hmac", mac_for_other_bytes)
        .body(xml)
        .send()
        .await
        .unwrap();
    let refused = pinreset_windows::syncml::decode(r.text().await.unwrap().as_bytes()).unwrap();
    assert_eq!(header_status(&refused), 401, "an HMAC must cover this message");
    assert_eq!(h.get(&action).await.1["state"], "delivered", "no forged message moved the reset");
    assert_eq!(h.get(&format!("{action}/passcode")).await.1["code"], "passcode_not_available");

    // The device's own answer, with its HMAC, is the passcode the admin sees.
    dm_send(&h, &mut dm, "s1", 5, &pin_answer(&reply, "Real7pin")).await;
    assert_eq!(h.get(&format!("{action}/passcode")).await.1["passcode"], "Real7pin");
    // The whole first message replayed later (a new session with the old Cred) is refused.
    let replayed = support::windows_device::device_message(&dm.name, "s9", 1, Some(spent_cred), FIRST_PACKAGE);
    let challenge = dm_post(&h, replayed).await;
    assert_eq!(header_status(&challenge), 401, "a Cred is good for one message");
    // The challenge names the current nonce, with which the device gets in.
    let mut fresh = DmAccount { name: dm.name.clone(), secret: dm.secret.clone(), nonce: vec![] };
    fresh.learn(&challenge);
    assert_eq!(fresh.nonce, dm.nonce, "the challenge carries the device's current nonce");
    assert_eq!(header_status(&dm_send(&h, &mut dm, "s10", 1, FIRST_PACKAGE).await), 212);
    let wrong = md5_digest(&dm.name, "guess", &dm.nonce);
    assert_eq!(unproven(&h, &dm, "s11", 1, Some(wrong), FIRST_PACKAGE).await, 401);
    assert_eq!(header_status(&dm_send(&h, &mut dm, "s12", 1, FIRST_PACKAGE).await), 212, "a wrong guess does not rotate the nonce");
}

/// Attack: replay a signed Apple message (an Authenticate that would drop the escrowed
/// UnlockToken; a CheckOut that would retire the device), and send a signed message that does
/// not say when it was made. Refused, nothing changed. Two signatures over the same bytes in the
/// same second are two messages, both accepted.
pub(crate) async fn mdm_signatures_are_not_replayed(b: Backend) {
    const UDID: &str = "00008120-REPLAY0000000001";
    let h = start(b).await;
    let (_, signer) = issued_identity(&h, "alice").await;
    let sig = |s: String| vec![("Mdm-Signature", s)];
    let auth = authenticate_plist(UDID, "REPLAYSER01");
    let auth_sig = signature(&signer, &auth);
    assert_eq!(put_with(&h, "/mdm/apple/checkin", CHECKIN, &sig(auth_sig.clone()), auth.clone()).await.0, StatusCode::OK);
    let token = format!(
        "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>MessageType</key><string>TokenUpdate</string>\
         <key>Topic</key><string>com.apple.mgmt.External.x</string><key>UDID</key><string>{UDID}</string>\
         <key>Token</key><data>AAECAw==</data><key>PushMagic</key><string>magic</string><key>UnlockToken</key><data>dW5sb2Nr</data></dict></plist>"
    )
    .into_bytes();
    assert_eq!(put_with(&h, "/mdm/apple/checkin", CHECKIN, &sig(signature(&signer, &token)), token).await.0, StatusCode::OK);
    let id = first_device(&h, "REPLAYSER01").await["id"].as_str().unwrap().to_string();
    assert_eq!(h.get(&format!("/devices/{id}")).await.1["device"]["unlock_token_escrowed"], true);

    let (s, body) = put_with(&h, "/mdm/apple/checkin", CHECKIN, &sig(auth_sig), auth).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{}", String::from_utf8_lossy(&body));
    assert_eq!(h.get(&format!("/devices/{id}")).await.1["device"]["unlock_token_escrowed"], true, "the replay dropped nothing");

    // Two fresh signatures of one Idle within a second: both are the device speaking.
    let idle = apple_result(UDID, "Idle", None, "");
    for _ in 0..2 {
        let (s, _) = put_with(&h, "/mdm/apple/connect", "application/xml", &sig(signature(&signer, &idle)), idle.clone()).await;
        assert_eq!(s, StatusCode::OK);
    }

    let checkout = format!(
        "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>MessageType</key><string>CheckOut</string>\
         <key>Topic</key><string>com.apple.mgmt.External.x</string><key>UDID</key><string>{UDID}</string></dict></plist>"
    )
    .into_bytes();
    use base64::Engine;
    let undated = base64::engine::general_purpose::STANDARD.encode(signer.sign_with_time(&checkout, true, None).unwrap());
    let (s, body) = put_with(&h, "/mdm/apple/checkin", CHECKIN, &sig(undated), checkout.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(String::from_utf8_lossy(&body).contains("no signing time"));
    assert!(h.get(&format!("/devices/{id}")).await.1["device"]["retired_at"].is_null(), "not retired by an undated signature");
    let dated = signature(&signer, &checkout);
    assert_eq!(put_with(&h, "/mdm/apple/checkin", CHECKIN, &sig(dated.clone()), checkout.clone()).await.0, StatusCode::OK);
    assert_eq!(put_with(&h, "/mdm/apple/checkin", CHECKIN, &sig(dated), checkout).await.0, StatusCode::FORBIDDEN);
}

/// An Apple reset whose verification (SecurityInfo) the device put off, lost, or that a server
/// restart interrupted is asked again at the next connection until the device answers.
pub(crate) async fn apple_reset_verification_is_asked_again(b: Backend) {
    use pinreset_apple::command::Command;
    const UDID: &str = "663b07bb783e9ade1dae4fbb92ea12afc0ce5b69";
    let h = start(b).await;
    let ipad = apple_enroll(&h, "alice", apple_corpus("Authenticate.1.plist")).await;
    apple_put(&h, &ipad, "/mdm/apple/checkin", CHECKIN, apple_corpus("TokenUpdate.1.plist")).await;
    let id = first_device(&h, "F5JM992LF193").await["id"].as_str().unwrap().to_string();
    let (_, reset) = h.post(&format!("/devices/{id}/actions/reset-passcode")).await;
    let action = format!("/actions/{}", reset["id"].as_str().unwrap());
    let connect = |body: Vec<u8>| {
        let (h, ipad) = (&h, &ipad);
        async move { apple_put(h, ipad, "/mdm/apple/connect", "application/xml", body).await }
    };
    let clear = Command::decode(&connect(apple_result(UDID, "Idle", None, "")).await.1).unwrap();
    let verify = Command::decode(&connect(apple_result(UDID, "Acknowledged", Some(&clear.uuid), "")).await.1).unwrap();
    assert_eq!(verify.request.request_type(), "SecurityInfo");
    // Put off: asked again at the next connection.
    let (s, body) = connect(apple_result(UDID, "NotNow", Some(&verify.uuid), "")).await;
    assert_eq!((s, body.len()), (StatusCode::OK, 0));
    let (_, a) = h.get(&action).await;
    assert_eq!((a["state"].as_str(), a["deferrals"].as_u64()), (Some("acknowledged"), Some(1)), "{a}");
    let again = Command::decode(&connect(apple_result(UDID, "Idle", None, "")).await.1).unwrap();
    assert_eq!((again.uuid.as_str(), again.request.request_type()), (verify.uuid.as_str(), "SecurityInfo"));
    // Lost (the device comes back Idle) and a server restart in between: still asked (the same
    // client: same CA and identity, the new server's port is in `h`).
    let h = restart(h).await;
    let asked =
        Command::decode(&apple_put(&h, &ipad, "/mdm/apple/connect", "application/xml", apple_result(UDID, "Idle", None, "")).await.1)
            .unwrap();
    assert_eq!(asked.request.request_type(), "SecurityInfo", "asked again after a restart");
    let info = "<key>SecurityInfo</key><dict><key>PasscodePresent</key><false/></dict>";
    apple_put(&h, &ipad, "/mdm/apple/connect", "application/xml", apple_result(UDID, "Acknowledged", Some(&asked.uuid), info)).await;
    let (_, a) = h.get(&action).await;
    assert_eq!((a["state"].as_str(), a["result"]["type"].as_str()), (Some("succeeded"), Some("passcode_removed")), "{a}");
}

/// A reset left acknowledged without its PIN (what a crash between two writes used to leave)
/// is sent again after a restart, and the device's answer — acknowledgement and PIN in one
/// write — makes it succeed with that PIN.
pub(crate) async fn windows_pin_is_not_lost_across_a_restart(b: Backend) {
    let h = start(b).await;
    let (mut dm, id) = enroll_w10m(&h, "W10M-RESTART").await;
    let (_, reset) = h.post(&format!("/devices/{id}/actions/reset-passcode")).await;
    let reply = dm_send(&h, &mut dm, "r1", 1, FIRST_PACKAGE).await;
    assert!(cmd_id_for(&reply, "Exec", "./Vendor/MSFT/RemoteLock/LockAndResetPIN").is_some());
    device_results::acknowledged(h.state(), h.tenant(&reset), action_id(&reset), device_cause(&reset)).await.unwrap();
    let h = restart(h).await;
    let again = dm_send(&h, &mut dm, "r2", 1, FIRST_PACKAGE).await;
    assert!(cmd_id_for(&again, "Exec", "./Vendor/MSFT/RemoteLock/LockAndResetPIN").is_some(), "sent again after the restart");
    dm_send(&h, &mut dm, "r2", 2, &pin_answer(&again, "Kp4wZ8nv")).await;
    let action = format!("/actions/{}", reset["id"].as_str().unwrap());
    let (_, a) = h.get(&action).await;
    assert_eq!(a["state"], "succeeded", "{a}");
    assert_eq!(h.get(&format!("{action}/passcode")).await.1["passcode"], "Kp4wZ8nv");
    let states: Vec<&str> = a["history"].as_array().unwrap().iter().map(|t| t["to"].as_str().unwrap()).collect();
    assert_eq!(states.iter().filter(|s| **s == "acknowledged").count(), 1, "{states:?}");

    // On the normal path the acknowledgement and the PIN are one write: no moment exists where
    // the action is acknowledged without its PIN.
    let (_, second) = h.post(&format!("/devices/{id}/actions/reset-passcode")).await;
    let reply = dm_send(&h, &mut dm, "r3", 1, FIRST_PACKAGE).await;
    dm_send(&h, &mut dm, "r3", 2, &pin_answer(&reply, "Mx2qR7tb")).await;
    let (_, a) = h.get(&format!("/actions/{}", second["id"].as_str().unwrap())).await;
    let history = a["history"].as_array().unwrap();
    let n = history.len();
    assert_eq!((history[n - 2]["to"].as_str(), history[n - 1]["to"].as_str()), (Some("acknowledged"), Some("succeeded")));
    assert_eq!(history[n - 2]["at"], history[n - 1]["at"], "recorded together");
}

/// Two instances share PostgreSQL; each remembers the nonce it issued last. A Cred replayed to
/// the instance whose memory is stale is still refused (the store's compare-and-set decides),
/// and the device's real messages get in wherever they land.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn md5_nonces_hold_across_instances() {
    let a = start(Backend::Postgres).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(a.dir.path().join("master.key"), dir.path().join("master.key")).unwrap();
    std::fs::create_dir_all(dir.path().join("tls")).unwrap();
    for f in std::fs::read_dir(a.dir.path().join("tls")).unwrap() {
        let f = f.unwrap();
        std::fs::copy(f.path(), dir.path().join("tls").join(f.file_name())).unwrap();
    }
    let mut opts = ServeOptions::new("127.0.0.1:0".parse().unwrap(), dir.path().to_path_buf());
    opts.database_url = Some(a.db_url.clone());
    let b = pinreset_server::start(opts, a.clock.clone()).await.unwrap();
    let (mut dm, _) = enroll_w10m(&a, "W10M-TWO").await;
    let post = |base: String, xml: String| {
        let http = a.http.clone();
        async move {
            let r = http.post(format!("{base}/ManagementServer/MDM.svc")).body(xml).send().await.unwrap();
            pinreset_windows::syncml::decode(r.text().await.unwrap().as_bytes()).unwrap()
        }
    };
    let message =
        |dm: &DmAccount, session: &str| support::windows_device::device_message(&dm.name, session, 1, Some(dm.cred()), FIRST_PACKAGE);

    let first = post(a.server.base_url(), message(&dm, "a1")).await;
    assert_eq!(header_status(&first), 212);
    dm.learn(&first);
    // The device's next session lands on B, which reads the nonce A issued from the store.
    let on_b = message(&dm, "b1");
    let reply = post(b.base_url(), on_b.clone()).await;
    assert_eq!(header_status(&reply), 212);
    dm.learn(&reply);
    // Replayed to A, which still remembers that nonce as current: refused all the same.
    assert_eq!(header_status(&post(a.server.base_url(), on_b).await), 401, "a replay to the instance with a stale memory");
    // The device, with the nonce B issued, gets in on A.
    let back = post(a.server.base_url(), message(&dm, "a2")).await;
    assert_eq!(header_status(&back), 212);
    b.shutdown().await;
}

/// Sixteen first enrollments at once on a fresh tenant (PostgreSQL, real concurrency): one device
/// CA is created, and every certificate any of them issued chains to the CA the server trusts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_device_ca_is_created_once_under_concurrency() {
    use rustls::pki_types::pem::PemObject;
    let h = start(Backend::Postgres).await;
    let tenant = h.new_tenant("Fresh").await;
    let mut tasks = Vec::new();
    for i in 0..16u64 {
        let (state, tenant) = (h.state().clone(), tenant.clone());
        tasks.push(tokio::spawn(async move {
            let ca = pinreset_server::app::device_ca::load_or_create(&state, &tenant).await.unwrap();
            let key = rcgen::KeyPair::generate().unwrap();
            let issued = ca
                .issue_client_cert(
                    &key.public_key_der(),
                    &format!("DEV-{i}"),
                    1000 + i,
                    pinreset_server::app::device_ca::now_offset(&state),
                    30,
                )
                .unwrap();
            (ca.cert_pem(), issued.der)
        }));
    }
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.unwrap());
    }
    let roots = pinreset_server::app::device_ca::all_roots(h.state()).await.unwrap();
    let fresh_root = roots
        .iter()
        .find(|r| {
            results.iter().any(|(pem, _)| rustls::pki_types::CertificateDer::from_pem_slice(pem.as_bytes()).unwrap().as_ref() == r.as_ref())
        })
        .expect("the stored CA is the one handed out")
        .clone();
    assert!(results.iter().all(|(pem, _)| *pem == results[0].0), "every caller got the same CA");
    let verifier = pinreset_server::device_trust::client_verifier(&[fresh_root]).unwrap().unwrap();
    let now = rustls::pki_types::UnixTime::now();
    for (_, der) in &results {
        assert!(
            verifier.verify_client_cert(&rustls::pki_types::CertificateDer::from(der.clone()), &[], now).is_ok(),
            "a certificate the trusted CA did not sign"
        );
    }
}
