//! The Windows simulator without a network: its messages decode with the
//! codec crate, its CSR parses with the PKI crate, and it answers server
//! messages the way the real builds do.

use pinreset_sim::windows::{
    enroll, executed_from, md5_cred, DevCommand, DevItem, DeviceMessage, PinRules, WindowsDevice, WindowsProfile, DO_WIPE, LOCK,
    LOCK_AND_RESET_PIN, NEW_PIN_VALUE,
};
use pinreset_windows::syncml::commands::{lock, lock_and_reset_pin, pin_reset_result, remote_wipe, PinResetResult};
use pinreset_windows::syncml::{self, Command, MetaFormat, OutCommand, OutItem, ReplyIndex, SentCommand, ServerMessage, SyncHdr, SyncMl};

const URL: &str = "https://mdm.example/ManagementServer/MDM.svc";

fn device(profile: WindowsProfile) -> WindowsDevice {
    let mut d = WindowsDevice::new_unenrolled(profile).unwrap();
    d.server_url = URL.into();
    d
}

/// A server message (built with the server codec, as the server would) to `dev`.
fn server_msg(dev: &WindowsDevice, cmds: Vec<OutCommand>) -> (SyncMl, Vec<SentCommand>) {
    let hdr = SyncHdr {
        session_id: "1".into(),
        msg_id: "1".into(),
        source: Some(dev.device_id.clone()),
        target: Some(URL.into()),
        ..Default::default()
    };
    let mut m = ServerMessage::reply_to(&hdr, 1, URL, 200);
    let sent = cmds.into_iter().map(|c| m.push(c)).collect();
    (syncml::decode(m.encode().as_bytes()).unwrap(), sent)
}

/// The device's answer, written by the sim and decoded by the codec.
fn answer(dev: &mut WindowsDevice, msg: &SyncMl) -> SyncMl {
    let commands = dev.handle_server_message(msg);
    let out = DeviceMessage {
        session_id: "1".into(),
        msg_id: 2,
        target: URL.into(),
        source: dev.device_id.clone(),
        cred: None,
        max_msg_size: None,
        commands,
    };
    syncml::decode(out.to_xml().as_bytes()).unwrap()
}

fn codes(reply: &SyncMl) -> Vec<(String, Option<u16>)> {
    reply
        .body
        .iter()
        .filter_map(|c| match c {
            Command::Status(s) => Some((s.cmd.clone(), s.code())),
            _ => None,
        })
        .collect()
}

#[test]
fn first_message_decodes_with_the_right_fields_and_credentials() {
    let mut dev = device(WindowsProfile::Windows10Mobile15063);
    dev.apply_provisioning_doc(&format!(
        "<wap-provisioningdoc><characteristic type=\"APPLICATION\"><parm name=\"ADDR\" value=\"{URL}\"/>\
<characteristic type=\"APPAUTH\"><parm name=\"AAUTHLEVEL\" value=\"APPSRV\"/><parm name=\"AAUTHNAME\" value=\"{}\"/>\
<parm name=\"AAUTHSECRET\" value=\"s3cr&amp;t\"/><parm name=\"AAUTHDATA\" value=\"AAFub25jZQ==\"/></characteristic></characteristic></wap-provisioningdoc>",
        dev.device_id
    ))
    .unwrap();
    assert_eq!(dev.nonce(), b"\x00\x01nonce");
    let m = syncml::decode(dev.first_message("A", 1).to_xml().as_bytes()).unwrap();
    assert_eq!((m.hdr.session_id.as_str(), m.hdr.msg_id.as_str(), m.hdr.ver_proto.as_str()), ("A", "1", "DM/1.2"));
    assert_eq!(m.hdr.source.as_deref(), Some(dev.device_id.as_str()));
    assert_eq!(m.hdr.target.as_deref(), Some(URL));
    assert!(m.is_final);
    syncml::auth::verify_md5(m.hdr.cred.as_ref(), &dev.device_id, "s3cr&t", b"\x00\x01nonce").expect("codec accepts the sim's digest");
    let Command::Alert(a) = &m.body[0] else { panic!("{:?}", m.body[0]) };
    assert_eq!(a.code(), Some(1201));
    assert_eq!(m.item_data("./DevInfo/DevId"), Some(dev.device_id.as_str()));
    assert_eq!(m.item_data("./DevInfo/Man"), Some("Microsoft Corporation"));
    assert_eq!(m.item_data("./DevInfo/Mod"), Some("Lumia 950"));
    assert_eq!(m.item_data("./DevInfo/Lang"), Some("en-US"));
    assert_eq!(m.item_data("./DevInfo/DmV"), Some("1.3"));
    assert_eq!(m.item_data("./DevDetail/SwV"), Some("10.0.15063.0"));
    // CmdIDs unique.
    let mut ids: Vec<_> = m.all_commands().iter().map(|c| c.cmd_id().to_owned()).collect();
    ids.dedup();
    assert_eq!(ids.len(), m.body.len());
}

#[test]
fn unenrollment_alert_is_recognised_by_the_codec() {
    let dev = device(WindowsProfile::Windows10Mobile15063);
    let mut m = dev.first_message("3", 1);
    m.commands.push(pinreset_sim::windows::unenrollment_alert());
    let m = syncml::decode(m.to_xml().as_bytes()).unwrap();
    assert!(m.unenrollment_alert().is_some());
    assert!(syncml::decode(dev.first_message("3", 1).to_xml().as_bytes()).unwrap().unenrollment_alert().is_none());
}

#[test]
fn md5_matches_the_codec_known_answer() {
    assert_eq!(md5_cred("testclient", "password2", b"\x00\x01nonce"), "TvggrqE+H26EibKGukM19w==");
    assert_eq!(md5_cred("u", "p", b"n"), syncml::auth::md5_digest("u", "p", b"n"));
}

#[test]
fn status_and_results_decode() {
    let msg = DeviceMessage {
        session_id: "2".into(),
        msg_id: 3,
        target: URL.into(),
        source: "DEV".into(),
        cred: None,
        max_msg_size: None,
        commands: vec![
            DevCommand::Status { msg_ref: "2".into(), cmd_ref: "0".into(), cmd: "SyncHdr".into(), target_ref: Some(URL.into()), code: 200 },
            DevCommand::Status { msg_ref: "2".into(), cmd_ref: "4".into(), cmd: "Get".into(), target_ref: Some("./a<b".into()), code: 200 },
            DevCommand::Results { msg_ref: "2".into(), cmd_ref: "4".into(), items: vec![DevItem::new("./a<b", Some("chr"), "x & y")] },
        ],
    };
    let m = syncml::decode(msg.to_xml().as_bytes()).unwrap();
    let Command::Status(s) = &m.body[1] else { panic!() };
    assert_eq!(
        (s.cmd_id.as_str(), s.msg_ref.as_deref(), s.cmd_ref.as_str(), s.cmd.as_str(), s.code()),
        ("2", Some("2"), "4", "Get", Some(200))
    );
    assert_eq!(s.target_refs, ["./a<b"]);
    let Command::Results(r) = &m.body[2] else { panic!() };
    assert_eq!(r.cmd_ref, "4");
    assert_eq!(r.items[0].source.as_deref(), Some("./a<b"));
    assert_eq!(r.items[0].meta.format.as_deref(), Some("chr"));
    assert_eq!(r.items[0].data.as_deref(), Some("x & y"));
}

#[test]
fn csr_has_the_windows_subject_and_parses_leniently() {
    let dev = device(WindowsProfile::Windows10Mobile15063);
    let guid = "B1C43CD0-1624-5FBB-8E54-34CF17DFD3A1";
    let csr = dev.csr_der(guid);
    let cn = format!("{guid}!{}", dev.device_id);
    let mut printable = vec![0x13, (cn.len() + 1) as u8];
    printable.extend_from_slice(cn.as_bytes());
    printable.push(0);
    assert!(csr.windows(printable.len()).any(|w| w == printable), "PrintableString CN with '!' and a trailing NUL");
    let sha1_rsa = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05];
    assert!(csr.windows(sha1_rsa.len()).any(|w| w == sha1_rsa));
    let parsed = pinreset_pki::parse_csr_leniently(&csr).unwrap();
    assert_eq!(parsed.subject_cn.as_deref(), Some(cn.as_str()));
    assert_eq!(parsed.spki_der, dev.public_key_der());
    // Large keys (long lengths) also work.
    let big = enroll::windows_like_csr(&vec![0x30; 600], "x!y");
    assert_eq!(big[1], 0x82);
}

#[test]
fn soap_requests_decode_with_the_codec() {
    use pinreset_windows::enrollment::{Credentials, DiscoverRequest, GetPoliciesRequest, RstRequest};
    let d = DiscoverRequest::decode(
        enroll::discover_request(
            "urn:uuid:1",
            "https://x/EnrollmentServer/Discovery.svc",
            "a@b.c",
            "104",
            "3.0",
            "WindowsPhone",
            "10.0.15063.0",
        )
        .as_bytes(),
    )
    .unwrap();
    assert_eq!(
        (d.email_address.as_str(), d.device_type.as_deref(), d.request_version.as_deref()),
        ("a@b.c", Some("WindowsPhone"), Some("3.0"))
    );
    assert!(d.supports("OnPremise"));
    let p = GetPoliciesRequest::decode(enroll::get_policies_request("urn:uuid:2", "https://x/p", "a@b.c", "pw<1>").as_bytes()).unwrap();
    let Some(Credentials::UsernameToken { username, password }) = p.credentials() else { panic!() };
    assert_eq!((username.as_str(), password.expose()), ("a@b.c", "pw<1>"));
    let ctx = vec![("DeviceID", "DEV".to_string()), ("OSVersion", "10.0.15063.0".into()), ("EnrollmentType", "Device".into())];
    let r = RstRequest::decode(enroll::rst_request("urn:uuid:3", "https://x/e", "a@b.c", "pw", "AAEC", &ctx).as_bytes()).unwrap();
    assert_eq!(r.csr_value_type.as_deref(), Some(enroll::VALUE_TYPE_PKCS10));
    assert_eq!(r.csr_der().unwrap(), [0, 1, 2]);
    assert_eq!((r.device_id(), r.os_version(), r.enrollment_type()), (Some("DEV"), Some("10.0.15063.0"), Some("Device")));
    assert!(matches!(r.credentials(), Some(Credentials::UsernameToken { .. })));
}

#[test]
fn mobile_15063_resets_its_pin_and_hands_it_out_once() {
    let mut dev = device(WindowsProfile::Windows10Mobile15063);
    dev.set_pin(Some("old1234"));
    let (msg, sent) = server_msg(&dev, vec![lock_and_reset_pin()]);
    let reply = answer(&mut dev, &msg);
    assert_eq!(
        codes(&reply),
        [("SyncHdr".into(), Some(200)), ("Sequence".into(), Some(200)), ("Exec".into(), Some(200)), ("Get".into(), Some(200))]
    );
    let pin = dev.pin().unwrap().to_owned();
    assert_ne!(pin, "old1234");
    assert_eq!(pin.len(), 8);
    assert!(pin.bytes().all(|b| b.is_ascii_alphanumeric()));
    assert!(pin.bytes().any(|b| b.is_ascii_digit()) && pin.bytes().any(|b| b.is_ascii_alphabetic()));
    assert!(dev.locked());
    assert_eq!(reply.item_data(NEW_PIN_VALUE), Some(pin.as_str()));
    match pin_reset_result(&ReplyIndex::new(&reply), 1, &sent[0]) {
        PinResetResult::Reset { new_pin } => assert_eq!(new_pin.expose(), pin),
        other => panic!("{other:?}"),
    }
    // Readable once.
    let (msg, _) = server_msg(&dev, vec![OutCommand::Get(vec![OutItem::target(NEW_PIN_VALUE)])]);
    let reply = answer(&mut dev, &msg);
    assert_eq!(reply.item_data(NEW_PIN_VALUE).unwrap_or(""), "");
    assert_eq!(dev.pin(), Some(pin.as_str()));
}

#[test]
fn generated_pin_follows_the_policy_the_server_set() {
    let mut dev = device(WindowsProfile::Windows10Mobile14393);
    let base = "./Device/Vendor/MSFT/PassportForWork/tenant/Policies/PINComplexity";
    let (msg, _) = server_msg(
        &dev,
        vec![
            OutCommand::Replace(vec![OutItem::with_data(format!("{base}/MinimumPINLength"), MetaFormat::Int, "12")]),
            OutCommand::Replace(vec![OutItem::with_data(format!("{base}/UppercaseLetters"), MetaFormat::Int, "1")]),
            lock_and_reset_pin(),
        ],
    );
    let reply = answer(&mut dev, &msg);
    assert!(codes(&reply).iter().all(|(_, c)| *c == Some(200)), "{:?}", codes(&reply));
    let pin = dev.pin().unwrap();
    assert_eq!(pin.len(), 12);
    assert!(pin.bytes().any(|b| b.is_ascii_uppercase()));
    assert!(dev.pin_rules().accepts(pin));
    assert_eq!(dev.tree_value(&format!("{base}/MinimumPINLength")), Some("12"));
}

#[test]
fn windows_phone_81_generates_a_numeric_pin() {
    let mut dev = device(WindowsProfile::WindowsPhone81);
    let (msg, sent) = server_msg(&dev, vec![lock_and_reset_pin()]);
    let reply = answer(&mut dev, &msg);
    let pin = dev.pin().unwrap();
    assert_eq!(pin.len(), 6);
    assert!(pin.bytes().all(|b| b.is_ascii_digit()));
    assert!(matches!(pin_reset_result(&ReplyIndex::new(&reply), 1, &sent[0]), PinResetResult::Reset { .. }));
    let m = syncml::decode(dev.first_message("1", 1).to_xml().as_bytes()).unwrap();
    assert!(m.item_data("./DevDetail/SwV").unwrap().starts_with("8.1"));
}

#[test]
fn desktop_refuses_reset_pin_like_a_real_desktop() {
    let mut dev = device(WindowsProfile::Windows11Desktop);
    dev.set_pin(Some("123456"));
    let (msg, sent) = server_msg(&dev, vec![lock_and_reset_pin()]);
    let reply = answer(&mut dev, &msg);
    assert_eq!(
        codes(&reply),
        [("SyncHdr".into(), Some(200)), ("Sequence".into(), Some(200)), ("Exec".into(), Some(405)), ("Get".into(), Some(404))]
    );
    assert_eq!(dev.pin(), Some("123456"));
    assert!(!dev.locked());
    match pin_reset_result(&ReplyIndex::new(&reply), 1, &sent[0]) {
        PinResetResult::Failed { step, outcome } => {
            assert_eq!(step, LOCK_AND_RESET_PIN);
            assert_eq!(outcome.code(), 405);
        }
        other => panic!("{other:?}"),
    }
    let m = syncml::decode(dev.first_message("1", 1).to_xml().as_bytes()).unwrap();
    assert_eq!(m.item_data("./DevDetail/SwV"), Some("10.0.22631.0"));
}

#[test]
fn lock_needs_a_pin_and_wipe_marks_the_device() {
    let mut dev = device(WindowsProfile::Windows10Mobile15063);
    let (msg, _) = server_msg(&dev, vec![lock()]);
    assert_eq!(codes(&answer(&mut dev, &msg))[1], ("Exec".into(), Some(405)));
    assert!(!dev.locked());
    dev.set_pin(Some("abc12345"));
    assert_eq!(codes(&answer(&mut dev, &msg))[1], ("Exec".into(), Some(200)));
    assert!(dev.locked());
    let (msg, _) = server_msg(&dev, vec![remote_wipe()]);
    let reply = answer(&mut dev, &msg);
    assert_eq!(codes(&reply)[1], ("Exec".into(), Some(200)));
    assert!(dev.wiped());
    let ex = executed_from(&dev.handle_server_message(&msg));
    assert_eq!(ex[0].target.as_deref(), Some(DO_WIPE));
    let _ = LOCK;
}

#[test]
fn tree_commands_follow_oma_dm() {
    let mut dev = device(WindowsProfile::Windows10Mobile15063);
    let node = "./Vendor/MSFT/Policy/Config/DeviceLock/MinDevicePasswordLength";
    let (msg, _) = server_msg(
        &dev,
        vec![
            OutCommand::Add(vec![OutItem::with_data(node, MetaFormat::Int, "6")]),
            OutCommand::Add(vec![OutItem::with_data(node, MetaFormat::Int, "7")]),
            OutCommand::Replace(vec![OutItem::with_data(node, MetaFormat::Int, "9")]),
            OutCommand::Replace(vec![OutItem::with_data("./Nowhere/X", MetaFormat::Chr, "1")]),
            OutCommand::Get(vec![OutItem::target(node), OutItem::target("./DevInfo/Mod")]),
            OutCommand::Get(vec![OutItem::target("./Vendor/MSFT/Nothing")]),
            OutCommand::Get(vec![OutItem::target("./DevInfo")]),
            OutCommand::Delete(vec![OutItem::target(node)]),
            OutCommand::Delete(vec![OutItem::target(node)]),
            OutCommand::Exec(vec![OutItem::target("./Vendor/MSFT/Unknown/Do")]),
        ],
    );
    let reply = answer(&mut dev, &msg);
    let c: Vec<Option<u16>> = codes(&reply).into_iter().map(|(_, c)| c).collect();
    assert_eq!(
        c,
        [Some(200), Some(200), Some(418), Some(200), Some(404), Some(200), Some(404), Some(200), Some(200), Some(404), Some(404)]
    );
    let results: Vec<_> = reply.body.iter().filter_map(|c| if let Command::Results(r) = c { Some(r) } else { None }).collect();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].items[0].data.as_deref(), Some("9"));
    assert_eq!(results[0].items[1].data.as_deref(), Some("Lumia 950"));
    assert_eq!(results[1].items[0].meta.format.as_deref(), Some("node"));
    assert!(results[1].items[0].data.as_deref().unwrap().contains("DevId"));
    assert_eq!(dev.tree_value(node), None);
}

#[test]
fn atomic_rolls_back_on_failure() {
    let mut dev = device(WindowsProfile::Windows10Mobile15063);
    let a = "./Vendor/MSFT/Policy/Config/DeviceLock/A";
    let (msg, _) = server_msg(
        &dev,
        vec![OutCommand::Atomic(vec![
            OutCommand::Add(vec![OutItem::with_data(a, MetaFormat::Int, "1")]),
            OutCommand::Get(vec![OutItem::target("./DevInfo/Man")]),
            OutCommand::Delete(vec![OutItem::target("./Vendor/MSFT/Missing")]),
        ])],
    );
    let reply = answer(&mut dev, &msg);
    assert_eq!(
        codes(&reply),
        [
            ("SyncHdr".into(), Some(200)),
            ("Atomic".into(), Some(507)),
            ("Add".into(), Some(216)),
            ("Get".into(), Some(216)),
            ("Delete".into(), Some(404))
        ]
    );
    assert!(!reply.body.iter().any(|c| matches!(c, Command::Results(_))));
    assert_eq!(dev.tree_value(a), None, "rolled back");
    // A successful Atomic keeps its changes.
    let (msg, _) = server_msg(&dev, vec![OutCommand::Atomic(vec![OutCommand::Add(vec![OutItem::with_data(a, MetaFormat::Int, "1")])])]);
    let reply = answer(&mut dev, &msg);
    assert_eq!(codes(&reply)[1..], [("Atomic".into(), Some(200)), ("Add".into(), Some(200))]);
    assert_eq!(dev.tree_value(a), Some("1"));
}

#[test]
fn fail_next_answers_one_command_with_the_given_status() {
    let mut dev = device(WindowsProfile::Windows10Mobile15063);
    dev.fail_next = Some((NEW_PIN_VALUE.into(), 500));
    let (msg, sent) = server_msg(&dev, vec![lock_and_reset_pin()]);
    let reply = answer(&mut dev, &msg);
    assert_eq!(codes(&reply)[3], ("Get".into(), Some(500)));
    assert!(matches!(pin_reset_result(&ReplyIndex::new(&reply), 1, &sent[0]), PinResetResult::Failed { .. }));
    assert!(dev.fail_next.is_none());
    let reply = answer(&mut dev, &msg);
    assert!(codes(&reply).iter().all(|(_, c)| *c == Some(200)));
}

#[test]
fn unenrolled_sessions_fail_cleanly() {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let mut dev = WindowsDevice::new_unenrolled(WindowsProfile::Windows11Desktop).unwrap();
    assert!(rt.block_on(dev.run_session()).is_err());
    dev.offline = true;
    assert!(matches!(rt.block_on(dev.run_session()), Err(pinreset_sim::windows::SimError::Offline)));
}

#[test]
fn profiles_describe_themselves() {
    for p in WindowsProfile::ALL {
        let r = PinRules::default_for(p.numeric_pin(), p.default_pin_length());
        assert!(r.accepts(&r.generate(&mut rand::thread_rng())));
    }
    assert_eq!(WindowsProfile::Windows10Mobile15063.enrollment_type(), "Device");
    assert_eq!(WindowsProfile::Windows11Desktop.device_type(), "CIMClient_Windows");
    assert_eq!(WindowsProfile::Windows10Mobile14393.os_version(), "10.0.14393.0");
}

/// A loopback stand-in for the server (plain HTTP, codec-built answers), to
/// drive `enroll` and `run_session` end to end inside this crate. The real
/// server's end-to-end tests drive the simulator over HTTPS.
mod loopback {
    use super::*;
    use base64::engine::general_purpose::STANDARD as B64;
    use base64::Engine as _;
    use pinreset_pki::DeviceCa;
    use pinreset_sim::windows::SimError;
    use pinreset_windows::enrollment::provisioning::{CertificateEntry, ClientCertStore, Md5Credentials, PollSchedule, ProvisioningDoc};
    use pinreset_windows::enrollment::{
        AuthPolicy, Credentials, DiscoverResponse, GetPoliciesRequest, PolicyResponse, RstRequest, RstrResponse,
    };
    use std::collections::HashSet;
    use std::sync::{Arc, Mutex};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    const PASSWORD: &str = "hunter2";
    const DM_PASSWORD: &str = "dm-secret";

    #[derive(Default)]
    struct State {
        base: String,
        doc_nonce: Vec<u8>,
        expected_nonce: Vec<u8>,
        policy_creds: Vec<(String, String)>,
        rst: Option<RstRequest>,
        authed_sessions: HashSet<String>,
        next_msg_id: u32,
        queued: Vec<OutCommand>,
        outstanding: Option<(u32, Vec<SentCommand>)>,
        pin_results: Vec<PinResetResult>,
        content_types: Vec<String>,
    }

    struct Mock {
        ca: DeviceCa,
        st: Mutex<State>,
    }

    fn route(m: &Mock, method: &str, path: &str, ctype: &str, body: &[u8]) -> (u16, String) {
        let mut st = m.st.lock().unwrap();
        let base = st.base.clone();
        match (method, path) {
            ("GET", "/EnrollmentServer/Discovery.svc") => (200, String::new()),
            ("POST", "/EnrollmentServer/Discovery.svc") => {
                let r = DiscoverResponse {
                    auth_policy: AuthPolicy::OnPremise,
                    enrollment_version: "3.0".into(),
                    enrollment_policy_service_url: format!("{base}/EnrollmentServer/Policy.svc"),
                    enrollment_service_url: format!("{base}/EnrollmentServer/Enrollment.svc"),
                };
                (200, r.encode(None))
            }
            ("POST", "/EnrollmentServer/Policy.svc") => {
                let req = GetPoliciesRequest::decode(body).unwrap();
                if let Some(Credentials::UsernameToken { username, password }) = req.credentials() {
                    st.policy_creds.push((username.clone(), password.expose().to_owned()));
                }
                (200, PolicyResponse::default().encode(req.header.message_id.as_deref()))
            }
            ("POST", "/EnrollmentServer/Enrollment.svc") => {
                let req = RstRequest::decode(body).unwrap();
                let csr = pinreset_pki::parse_csr_leniently(&req.csr_der().unwrap()).unwrap();
                let device_id = req.device_id().unwrap().to_owned();
                let issued = m.ca.issue_client_cert(&csr.spki_der, &device_id, 7, time::OffsetDateTime::now_utc(), 30).unwrap();
                let doc = ProvisioningDoc {
                    ca_cert: CertificateEntry { thumbprint_hex: "AA".into(), der_b64: B64.encode(m.ca.cert_der()) },
                    client_cert: CertificateEntry { thumbprint_hex: "BB".into(), der_b64: B64.encode(&issued.der) },
                    client_store: ClientCertStore::System,
                    provider_id: "pinreset".into(),
                    server_name: "pinreset".into(),
                    server_url: format!("{base}/ManagementServer/MDM.svc"),
                    client_cert_subject_cn: Some(device_id.clone()),
                    md5: Some(Md5Credentials {
                        client_name: device_id,
                        client_secret: DM_PASSWORD.into(),
                        client_nonce_b64: B64.encode(&st.doc_nonce),
                        server_name: "pinreset".into(),
                        server_secret: "s".into(),
                        server_nonce_b64: "c25vbmNl".into(),
                    }),
                    poll: PollSchedule::default(),
                    ent_device_name: None,
                };
                st.rst = Some(req.clone());
                let r = RstrResponse { provisioning_doc: doc.to_xml(), request_id: "0".into(), timestamp: None };
                (200, r.encode(req.header.message_id.as_deref()))
            }
            ("POST", "/ManagementServer/MDM.svc") => {
                st.content_types.push(ctype.to_owned());
                let msg = syncml::decode(body).unwrap();
                let url = format!("{base}/ManagementServer/MDM.svc");
                st.next_msg_id += 1;
                let our_id = st.next_msg_id;
                let user = msg.hdr.source.clone().unwrap_or_default();
                let known = st.authed_sessions.contains(&msg.hdr.session_id);
                if !known {
                    if syncml::auth::verify_md5(msg.hdr.cred.as_ref(), &user, DM_PASSWORD, &st.expected_nonce).is_err() {
                        let mut out = ServerMessage::reply_to(&msg.hdr, our_id, &url, 401);
                        out.challenge_md5(&B64.encode(&st.expected_nonce));
                        return (200, out.encode());
                    }
                    st.authed_sessions.insert(msg.hdr.session_id.clone());
                }
                let mut out = ServerMessage::reply_to(&msg.hdr, our_id, &url, if known { 200 } else { 212 });
                out.ack_all(&msg, 200);
                if let Some((id, sent)) = st.outstanding.take() {
                    let index = ReplyIndex::new(&msg);
                    for s in sent.iter().filter(|s| s.name == "Sequence") {
                        st.pin_results.push(pin_reset_result(&index, id, s));
                    }
                }
                let queued: Vec<OutCommand> = st.queued.drain(..).collect();
                if !queued.is_empty() {
                    let sent = queued.into_iter().map(|c| out.push(c)).collect();
                    st.outstanding = Some((our_id, sent));
                }
                (200, out.encode())
            }
            _ => (404, String::new()),
        }
    }

    async fn serve_one(m: Arc<Mock>, mut sock: tokio::net::TcpStream) {
        let mut buf = Vec::new();
        let mut chunk = [0u8; 8192];
        let (head_end, content_length) = loop {
            let n = sock.read(&mut chunk).await.unwrap();
            if n == 0 {
                return;
            }
            buf.extend_from_slice(&chunk[..n]);
            if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&buf[..pos]).to_lowercase();
                let len =
                    head.lines().find_map(|l| l.strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap())).unwrap_or(0);
                break (pos + 4, len);
            }
        };
        while buf.len() < head_end + content_length {
            let n = sock.read(&mut chunk).await.unwrap();
            if n == 0 {
                return;
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
        let mut first = head.lines().next().unwrap().split(' ');
        let (method, path) = (first.next().unwrap().to_owned(), first.next().unwrap().to_owned());
        let ctype =
            head.lines().find_map(|l| l.to_lowercase().strip_prefix("content-type:").map(|v| v.trim().to_owned())).unwrap_or_default();
        let (status, body) = route(&m, &method, &path, &ctype, &buf[head_end..head_end + content_length]);
        let resp = format!("HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
        sock.write_all(resp.as_bytes()).await.unwrap();
        let _ = sock.shutdown().await;
    }

    async fn start() -> Arc<Mock> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let mock = Arc::new(Mock {
            ca: DeviceCa::generate("Contoso", time::OffsetDateTime::now_utc()).unwrap(),
            st: Mutex::new(State { base, doc_nonce: b"first".to_vec(), expected_nonce: b"\x00\x02second".to_vec(), ..Default::default() }),
        });
        let m = mock.clone();
        tokio::spawn(async move {
            loop {
                let (sock, _) = listener.accept().await.unwrap();
                tokio::spawn(serve_one(m.clone(), sock));
            }
        });
        mock
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn enrolls_then_resets_the_pin_over_the_wire() {
        let mock = start().await;
        let base = mock.st.lock().unwrap().base.clone();
        let mut dev = WindowsDevice::enroll(&base, &mock.ca.cert_pem(), "user@contoso.com", PASSWORD, WindowsProfile::Windows10Mobile15063)
            .await
            .unwrap();
        {
            let st = mock.st.lock().unwrap();
            assert_eq!(st.policy_creds, [("user@contoso.com".to_string(), PASSWORD.to_string())]);
            let rst = st.rst.as_ref().unwrap();
            assert_eq!(rst.device_id(), Some(dev.device_id.as_str()));
            assert_eq!(rst.os_version(), Some("10.0.15063.0"));
            assert_eq!(rst.enrollment_type(), Some("Device"));
            assert_eq!(rst.device_type(), Some("WindowsPhone"));
            assert!(rst.hw_dev_id().is_some());
            assert!(matches!(rst.credentials(), Some(Credentials::UsernameToken { username, .. }) if username == "user@contoso.com"));
        }
        assert_eq!(dev.server_url, format!("{base}/ManagementServer/MDM.svc"));
        assert!(dev.cert_der.is_some());
        assert_eq!(dev.nonce(), b"first");

        // First session: the nonce is stale, the server challenges, the device follows.
        dev.set_pin(Some("oldpin12"));
        mock.st.lock().unwrap().queued.push(lock_and_reset_pin());
        let log = dev.run_session().await.unwrap();
        assert_eq!(log.hdr_codes, [401, 212, 200]);
        assert_eq!(dev.nonce(), b"\x00\x02second");
        assert_eq!(log.status_for(LOCK_AND_RESET_PIN), Some(200));
        assert_eq!(log.received_commands(), ["Sequence", "Exec", "Get"]);
        let pin = dev.pin().unwrap().to_owned();
        assert_ne!(pin, "oldpin12");
        {
            let st = mock.st.lock().unwrap();
            match &st.pin_results[..] {
                [PinResetResult::Reset { new_pin }] => assert_eq!(new_pin.expose(), pin),
                other => panic!("{other:?}"),
            }
            assert!(st.content_types.iter().all(|c| c == "application/vnd.syncml.dm+xml"));
        }

        // An idle check-in: one message each way.
        let log = dev.run_session().await.unwrap();
        assert_eq!(log.hdr_codes, [212]);
        assert_eq!(log.sent.len(), 1);
        assert!(log.executed.is_empty());

        // Dropping mid-session leaves the command unexecuted.
        dev.die_mid_session = true;
        mock.st.lock().unwrap().queued.push(remote_wipe());
        assert!(matches!(dev.run_session().await, Err(SimError::DiedMidSession)));
        assert!(!dev.wiped());
        dev.offline = true;
        assert!(matches!(dev.run_session().await, Err(SimError::Offline)));
        dev.offline = false;
        mock.st.lock().unwrap().queued.push(remote_wipe());
        let log = dev.run_session().await.unwrap();
        assert_eq!(log.status_for(DO_WIPE), Some(200));
        assert!(dev.wiped());
        assert!(matches!(dev.run_session().await, Err(SimError::Wiped)));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn desktop_enrolls_and_unenrolls() {
        let mock = start().await;
        let base = mock.st.lock().unwrap().base.clone();
        let mut dev =
            WindowsDevice::enroll(&base, &mock.ca.cert_pem(), "u@contoso.com", PASSWORD, WindowsProfile::Windows11Desktop).await.unwrap();
        {
            let st = mock.st.lock().unwrap();
            let rst = st.rst.as_ref().unwrap();
            assert_eq!(
                (rst.device_type(), rst.enrollment_type(), rst.os_version()),
                (Some("CIMClient_Windows"), Some("Full"), Some("10.0.22631.0"))
            );
        }
        mock.st.lock().unwrap().queued.push(lock_and_reset_pin());
        let log = dev.run_session().await.unwrap();
        assert_eq!(log.status_for(LOCK_AND_RESET_PIN), Some(405));
        assert_eq!(log.status_for(NEW_PIN_VALUE), Some(404));
        assert!(matches!(&mock.st.lock().unwrap().pin_results[..], [PinResetResult::Failed { .. }]));
        let log = dev.unenroll().await.unwrap();
        assert!(syncml::decode(log.sent[log.sent.len() - 1].as_bytes()).unwrap().unenrollment_alert().is_some());
        assert!(dev.run_session().await.is_err());
    }
}
