//! Conformance: every example message in Microsoft's documents (tests/fixtures,
//! see SOURCES.md), round trips of our own encodings, and hostile inputs.

use pinreset_windows::enrollment::provisioning::{self, CertificateEntry, ClientCertStore, Md5Credentials, PollSchedule};
use pinreset_windows::enrollment::{
    AuthPolicy, Credentials, DiscoverRequest, DiscoverResponse, EnrollmentError, Fault, FaultCode, GetPoliciesRequest, HashAlgorithm,
    PolicyResponse, ProvisioningDoc, RstRequest, RstrResponse,
};
use pinreset_windows::syncml::auth::{md5_digest, verify_md5, AuthError};
use pinreset_windows::syncml::commands::{self, PinResetResult};
use pinreset_windows::syncml::{self, Command, DecodeError, ReplyIndex, ServerMessage};
use pinreset_windows::{XmlError, XmlLimits};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Wraps a documented command fragment in a minimal device message.
fn wrap(fragment: &[u8]) -> Vec<u8> {
    let mut v = b"<SyncML xmlns=\"SYNCML:SYNCML1.2\"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>\
<SessionID>1</SessionID><MsgID>1</MsgID><Source><LocURI>DEV</LocURI></Source></SyncHdr><SyncBody>"
        .to_vec();
    v.extend_from_slice(fragment);
    v.extend_from_slice(b"<Final/></SyncBody></SyncML>");
    v
}

// ---------------------------------------------------------------- enrollment

#[test]
fn doc_discovery_request_onpremise() {
    let r = DiscoverRequest::decode(&fixture("discovery_request_onpremise.xml")).unwrap();
    assert_eq!(r.message_id.as_deref(), Some("urn:uuid: 748132ec-a575-4329-b01b-6171a9cf8478"));
    assert_eq!(r.email_address, "user@contoso.com");
    assert_eq!(r.request_version.as_deref(), Some("3.0"));
    assert_eq!(r.device_type.as_deref(), Some("WindowsPhone"));
    assert_eq!(r.application_version.as_deref(), Some("10.0.0.0"));
    assert_eq!(r.os_edition.as_deref(), Some("3"));
    assert_eq!(r.auth_policies, ["OnPremise"]);
    assert!(r.supports("onpremise") && !r.supports("Federated"));
}

#[test]
fn doc_discovery_request_federated_is_truncated_in_the_doc() {
    // The published example stops after </s:Body>.
    let err = DiscoverRequest::decode(&fixture("discovery_request_federated.xml")).unwrap_err();
    assert_eq!(err, EnrollmentError::Xml(XmlError::Truncated));
    // Completed with the missing end tag it decodes, offering both policies.
    let mut fixed = fixture("discovery_request_federated.xml");
    fixed.extend_from_slice(b"</s:Envelope>");
    let r = DiscoverRequest::decode(&fixed).unwrap();
    assert_eq!(r.auth_policies, ["OnPremise", "Federated"]);
}

#[test]
fn doc_discovery_responses() {
    let (echo, r) = DiscoverResponse::decode(&fixture("discovery_response_onpremise.xml")).unwrap();
    assert_eq!(echo.relates_to.as_deref(), Some("urn:uuid: 748132ec-a575-4329-b01b-6171a9cf8478"));
    assert_eq!(r.auth_policy, AuthPolicy::OnPremise);
    assert_eq!(r.enrollment_version, "3.0");
    assert_eq!(r.enrollment_service_url, "https://enrolltest.contoso.com/ENROLLMENTSERVER/DEVICEENROLLMENTWEBSERVICE.SVC");
    assert_eq!(r.enrollment_policy_service_url, r.enrollment_service_url);

    let (_, f) = DiscoverResponse::decode(&fixture("discovery_response_federated.xml")).unwrap();
    assert_eq!(
        f.auth_policy,
        AuthPolicy::Federated { authentication_service_url: "https://portal.manage.contoso.com/LoginRedirect.aspx".into() }
    );
}

#[test]
fn our_discovery_response_echoes_message_id_and_round_trips() {
    let req = DiscoverRequest::decode(&fixture("discovery_request_onpremise.xml")).unwrap();
    let ours = DiscoverResponse {
        auth_policy: AuthPolicy::OnPremise,
        enrollment_version: "3.0".into(),
        enrollment_policy_service_url: "https://enroll.example/EnrollmentServer/Policy.svc".into(),
        enrollment_service_url: "https://enroll.example/EnrollmentServer/Enrollment.svc".into(),
    };
    let xml = ours.encode(req.message_id.as_deref());
    let (echo, back) = DiscoverResponse::decode(xml.as_bytes()).unwrap();
    assert_eq!(echo.relates_to, req.message_id);
    assert_eq!(back, ours);
}

#[test]
fn doc_get_policies_requests() {
    let r = GetPoliciesRequest::decode(&fixture("get_policies_request_onpremise.xml")).unwrap();
    assert_eq!(r.header.message_id.as_deref(), Some("urn:uuid:72048B64-0F19-448F-8C2E-B4C661860AA0"));
    assert_eq!(r.header.action.as_deref(), Some(pinreset_windows::enrollment::policy::ACTION_GET_POLICIES));
    match r.credentials() {
        Some(Credentials::UsernameToken { username, password }) => {
            assert_eq!(username, "user@contoso.com");
            assert_eq!(password.expose(), "mypassword");
        }
        other => panic!("{other:?}"),
    }

    let f = GetPoliciesRequest::decode(&fixture("get_policies_request_federated.xml")).unwrap();
    match f.credentials() {
        Some(Credentials::BinarySecurityToken { value_type, token, .. }) => {
            assert_eq!(token, "B64EncodedSampleBinarySecurityToken");
            assert!(value_type.as_deref().unwrap().ends_with("DeviceEnrollmentUserToken"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn doc_get_policies_response_and_ours() {
    let (echo, doc) = PolicyResponse::decode(&fixture("get_policies_response.xml")).unwrap();
    assert_eq!(echo.relates_to.as_deref(), Some("urn:uuid: 69960163-adad-4a72-82d2-bb0e5cff5598"));
    assert_eq!(doc.minimal_key_length, 2048);
    assert_eq!(doc.hash_algorithm, HashAlgorithm::Sha1);
    assert_eq!(doc.common_name, "CEPUnitTest");
    assert_eq!((doc.validity_period_seconds, doc.renewal_period_seconds), (1_209_600, 172_800));

    let ours = PolicyResponse::default();
    let (_, back) = PolicyResponse::decode(ours.encode(Some("urn:uuid:1")).as_bytes()).unwrap();
    assert_eq!(back, ours);
    assert_eq!(back.minimal_key_length, 2048);
}

#[test]
fn doc_rst_request_onpremise() {
    let r = RstRequest::decode(&fixture("rst_request_onpremise.xml")).unwrap();
    assert_eq!(r.header.message_id.as_deref(), Some("urn:uuid:0d5a1441-5891-453b-becf-a2e5f6ea3749"));
    match r.credentials() {
        // The doc puts a newline after the password inside <wsse:Password>.
        Some(Credentials::UsernameToken { username, password }) => {
            assert_eq!((username.as_str(), password.expose()), ("user@contoso.com", "mypassword"))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(r.token_type.as_deref(), Some(pinreset_windows::enrollment::wstep::TOKEN_TYPE_DEVICE_ENROLLMENT));
    assert_eq!(r.request_type.as_deref(), Some("http://docs.oasis-open.org/ws-sx/ws-trust/200512/Issue"));
    assert_eq!(r.csr_value_type.as_deref(), Some(pinreset_windows::enrollment::wstep::VALUE_TYPE_PKCS10));
    assert_eq!(r.device_id(), Some("7BA748C8-703E-4DF2-A74A-92984117346A"));
    assert_eq!(r.os_edition(), Some("4"));
    assert_eq!(r.os_version(), Some("10.0.9999.0"));
    assert_eq!(r.device_type(), Some("CIMClient_Windows"));
    assert_eq!(r.device_name(), Some("MY_WINDOWS_DEVICE"));
    assert_eq!(r.enrollment_type(), Some("Full"));
    assert_eq!(r.application_version(), Some("10.0.9999.0"));
    assert_eq!(r.hw_dev_id(), None);
    assert_eq!(r.context_all("MAC").collect::<Vec<_>>(), ["FF:FF:FF:FF:FF:FF", "CC:CC:CC:CC:CC:CC"]);
    assert_eq!(r.context.len(), 12);
    // The doc's CSR is placeholder text: decoding it must fail, not panic.
    assert!(r.csr_der().is_err());
}

#[test]
fn doc_rst_request_federated_is_malformed_in_the_doc() {
    let err = RstRequest::decode(&fixture("rst_request_federated.xml")).unwrap_err();
    assert!(matches!(err, EnrollmentError::Xml(XmlError::Malformed(_) | XmlError::Truncated)), "{err:?}");
}

#[test]
fn doc_rstr_response() {
    let (echo, r) = RstrResponse::decode(&fixture("rstr_response.xml")).unwrap();
    assert_eq!(echo.relates_to.as_deref(), Some("urn:uuid:81a5419a-496b-474f-a627-5cdd33eed8ab"));
    assert_eq!(r.value_type.as_deref(), Some(pinreset_windows::enrollment::wstep::VALUE_TYPE_PROVISION_DOC));
    assert_eq!(r.token_b64, "B64EncodedSampleBinarySecurityToken");
    assert_eq!(r.request_id.as_deref(), Some("0"));
}

#[test]
fn doc_provisioning_doc_comment_typo_is_refused() {
    // `<!—` (em dash) is not a comment opener: the published doc is not XML.
    let doc = String::from_utf8(fixture("provisioning_doc_onpremise.xml")).unwrap();
    assert_eq!(provisioning::parm_value(&doc, &["APPLICATION"], "ADDR"), None);
    // With the typo fixed, the fields a device reads are where we expect them.
    let fixed = doc.replace("<!—", "<!--");
    assert_eq!(
        provisioning::parm_value(&fixed, &["APPLICATION"], "ADDR").as_deref(),
        Some("https://DM.contoso.com:443/omadm/Windows.ashx")
    );
    assert_eq!(
        provisioning::parm_value(&fixed, &["DMClient", "Provider", "TestMDMServer", "Poll"], "PollOnLogin").as_deref(),
        Some("true")
    );
}

#[test]
fn our_enrollment_round_trip_rst_to_rstr_with_provisioning_doc() {
    let req = RstRequest::decode(&fixture("rst_request_onpremise.xml")).unwrap();
    let doc = ProvisioningDoc {
        ca_cert: CertificateEntry { thumbprint_hex: "031336C933CC7E228B88880D78824FB2909A0A2F".into(), der_b64: "Q0E=".into() },
        client_cert: CertificateEntry { thumbprint_hex: "F9A4F20FC50D990FDD0E3DB9AFCBF401818D5462".into(), der_b64: "REVW".into() },
        client_store: ClientCertStore::User,
        provider_id: "pinreset".into(),
        server_name: "pinreset".into(),
        server_url: "https://mdm.example/ManagementServer/MDM.svc".into(),
        client_cert_subject_cn: Some(req.device_id().unwrap().into()),
        md5: Some(Md5Credentials {
            client_name: req.device_id().unwrap().into(),
            client_secret: "client-secret".into(),
            client_nonce_b64: "AAE=".into(),
            server_name: "pinreset".into(),
            server_secret: "server-secret".into(),
            server_nonce_b64: "AgM=".into(),
        }),
        poll: PollSchedule::default(),
        ent_device_name: req.device_name().map(str::to_owned),
    };
    let rstr = RstrResponse { provisioning_doc: doc.to_xml(), request_id: "0".into(), timestamp: None };
    let xml = rstr.encode(req.header.message_id.as_deref());
    let (echo, back) = RstrResponse::decode(xml.as_bytes()).unwrap();
    assert_eq!(echo.relates_to, req.header.message_id);
    let pdoc = back.provisioning_doc.unwrap();
    assert_eq!(
        provisioning::parm_value(
            &pdoc,
            &["CertificateStore", "My", "User", "F9A4F20FC50D990FDD0E3DB9AFCBF401818D5462"],
            "EncodedCertificate"
        )
        .as_deref(),
        Some("REVW")
    );
    assert_eq!(provisioning::parm_value(&pdoc, &["APPLICATION"], "APPID").as_deref(), Some("w7"));
    assert_eq!(
        provisioning::parm_value(&pdoc, &["DMClient", "Provider", "pinreset"], "EntDeviceName").as_deref(),
        Some("MY_WINDOWS_DEVICE")
    );
}

#[test]
fn fault_round_trip() {
    let f = Fault::new(FaultCode::Authentication, "The user name or password is incorrect.");
    let back = Fault::decode(f.encode(Some("urn:uuid:9")).as_bytes()).unwrap();
    assert_eq!(back, f);
}

// ---------------------------------------------------------------- SyncML

#[test]
fn doc_alert_1224_with_curly_quotes() {
    let m = syncml::decode(&wrap(&fixture("syncml_alert_1224_loginstatus.xml"))).unwrap();
    let Command::Alert(a) = &m.body[0] else { panic!("{:?}", m.body) };
    assert_eq!(a.code(), Some(1224));
    assert_eq!(a.items[0].meta.type_.as_deref(), Some("com.microsoft/MDM/LoginStatus"));
    assert_eq!(a.items[0].meta.format.as_deref(), Some("chr"));
    assert_eq!(a.items[0].data.as_deref(), Some("user"));
    assert!(!a.is_unenrollment());
}

#[test]
fn doc_remotelock_fragments() {
    let m = syncml::decode(&wrap(&fixture("remotelock_exec_lock.xml"))).unwrap();
    let Command::Exec(e) = &m.body[0] else { panic!() };
    // The doc's LocURI has a trailing space; values are trimmed.
    assert_eq!(e.items[0].target.as_deref(), Some(commands::REMOTE_LOCK_LOCK));

    let m = syncml::decode(&wrap(&fixture("remotelock_sequence.xml"))).unwrap();
    let Command::Sequence(s) = &m.body[0] else { panic!() };
    assert_eq!(s.cmd_id, "1");
    let Command::Exec(e) = &s.commands[0] else { panic!() };
    let Command::Get(g) = &s.commands[1] else { panic!() };
    assert_eq!((e.cmd_id.as_str(), e.items[0].target.as_deref()), ("2", Some(commands::REMOTE_LOCK_LOCK_AND_RESET_PIN)));
    assert_eq!((g.cmd_id.as_str(), g.items[0].target.as_deref()), ("3", Some(commands::REMOTE_LOCK_NEW_PIN_VALUE)));
}

#[test]
fn our_lock_and_reset_pin_encodes_like_the_doc() {
    // Our encoding decodes to the same structure as remotelock-csp.md's example.
    let doc = syncml::decode(&wrap(&fixture("remotelock_sequence.xml"))).unwrap();
    let hdr = syncml::SyncHdr { session_id: "1".into(), msg_id: "1".into(), source: Some("DEV".into()), ..Default::default() };
    let mut msg = ServerMessage::reply_to(&hdr, 2, "https://mdm.example/dm", 200);
    msg.push(commands::lock_and_reset_pin());
    let ours = syncml::decode(msg.encode().as_bytes()).unwrap();
    let shape = |c: &Command| match c {
        Command::Sequence(s) => s.commands.iter().map(|c| (c.name().to_owned(), c.items()[0].target.clone())).collect::<Vec<_>>(),
        _ => panic!(),
    };
    assert_eq!(shape(&ours.body[1]), shape(&doc.body[0]));
}

#[test]
fn doc_unenrollment_first_package() {
    let m = syncml::decode(&fixture("unenrollment_first_package.xml")).unwrap();
    assert_eq!((m.hdr.session_id.as_str(), m.hdr.msg_id.as_str()), ("1", "1"));
    assert_eq!(m.hdr.ver_proto, "DM/1.2");
    let a = m.unenrollment_alert().expect("1226 unenrollment alert");
    assert_eq!(a.cmd_id, "2");
    assert_eq!(a.items[0].meta.format.as_deref(), Some("int"));
    assert_eq!(a.items[0].data.as_deref(), Some("1"));
    assert_eq!(m.item_data("./DevInfo/DevID"), Some("{unique device ID}"));
    assert!(m.is_final);

    // Our answer: header status then one status per device command.
    let mut reply = ServerMessage::reply_to(&m.hdr, 1, "https://mdm.example/dm", 200);
    reply.ack_all(&m, 200);
    assert!(!reply.has_commands());
    let back = syncml::decode(reply.encode().as_bytes()).unwrap();
    let refs: Vec<(String, String)> = back
        .body
        .iter()
        .map(|c| match c {
            Command::Status(s) => (s.cmd.clone(), s.cmd_ref.clone()),
            _ => panic!("only statuses expected"),
        })
        .collect();
    assert_eq!(refs, [("SyncHdr".into(), "0".into()), ("Alert".into(), "2".into()), ("Replace".into(), "2".into())]);
}

#[test]
fn doc_unenrollment_server_initiated_alert() {
    let m = syncml::decode(&wrap(&fixture("unenrollment_alert_server_initiated.xml"))).unwrap();
    let a = m.unenrollment_alert().unwrap();
    assert_eq!((a.cmd_id.as_str(), a.code()), ("4", Some(1226)));
}

#[test]
fn reply_walker_sees_failures_inside_a_sequence() {
    let hdr = syncml::SyncHdr { session_id: "5".into(), msg_id: "1".into(), source: Some("DEV".into()), ..Default::default() };
    let mut msg = ServerMessage::reply_to(&hdr, 1, "https://mdm.example/dm", 200);
    let lock = msg.push(commands::lock());
    let seq = msg.push(commands::lock_and_reset_pin());
    let info = msg.push(commands::get_devinfo());
    // A device reply: Lock answered 405 (no PIN set), the sequence fine with a PIN.
    let reply = format!(
        "<SyncML><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>5</SessionID><MsgID>2</MsgID></SyncHdr><SyncBody>\
<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>200</Data></Status>\
<Status><CmdID>2</CmdID><MsgRef>1</MsgRef><CmdRef>{}</CmdRef><Cmd>Exec</Cmd><Data>405</Data></Status>\
<Status><CmdID>3</CmdID><MsgRef>1</MsgRef><CmdRef>{}</CmdRef><Cmd>Sequence</Cmd><Data>200</Data></Status>\
<Status><CmdID>4</CmdID><MsgRef>1</MsgRef><CmdRef>{}</CmdRef><Cmd>Exec</Cmd><Data>200</Data></Status>\
<Status><CmdID>5</CmdID><MsgRef>1</MsgRef><CmdRef>{}</CmdRef><Cmd>Get</Cmd><Data>200</Data></Status>\
<Results><CmdID>6</CmdID><MsgRef>1</MsgRef><CmdRef>{}</CmdRef><Item><Source><LocURI>./Vendor/MSFT/RemoteLock/NewPINValue</LocURI></Source><Data>1234</Data></Item></Results>\
<Final/></SyncBody></SyncML>",
        lock.cmd_id, seq.cmd_id, seq.children[0].cmd_id, seq.children[1].cmd_id, seq.children[1].cmd_id
    );
    let m = syncml::decode(reply.as_bytes()).unwrap();
    let idx = ReplyIndex::new(&m);
    assert_eq!(idx.header_status(1).unwrap().code(), Some(200));
    let lock_reply = idx.walk(1, &lock);
    assert_eq!(lock_reply[0].outcome().unwrap().code(), 405);
    assert!(!lock_reply[0].outcome().unwrap().is_success());
    let seq_replies = idx.walk(1, &seq);
    assert_eq!(seq_replies.len(), 3);
    assert!(seq_replies.iter().all(|r| r.outcome().unwrap().is_success()));
    match commands::pin_reset_result(&idx, 1, &seq) {
        PinResetResult::Reset { new_pin } => assert_eq!(new_pin.expose(), "1234"),
        other => panic!("{other:?}"),
    }
    // No status for the DevInfo Get: reported as unanswered, not as success.
    assert!(idx.walk(1, &info)[0].status.is_none());
}

#[test]
fn md5_cred_in_a_device_message() {
    // Digest computed independently (Python hashlib, see src/syncml/auth.rs):
    // user "testclient", password "password2", nonce bytes 00 01 "nonce".
    let expected = "TvggrqE+H26EibKGukM19w==";
    assert_eq!(md5_digest("testclient", "password2", b"\x00\x01nonce"), expected);
    let xml = format!(
        "<SyncML><SyncHdr><SessionID>1</SessionID><MsgID>1</MsgID><Source><LocURI>DEV</LocURI><LocName>testclient</LocName></Source>\
<Cred><Meta><Format xmlns=\"syncml:metinf\">b64</Format><Type xmlns=\"syncml:metinf\">syncml:auth-md5</Type></Meta><Data>{expected}</Data></Cred>\
</SyncHdr><SyncBody><Final/></SyncBody></SyncML>"
    );
    let m = syncml::decode(xml.as_bytes()).unwrap();
    let user = m.hdr.source_loc_name.as_deref().unwrap();
    assert_eq!(verify_md5(m.hdr.cred.as_ref(), user, "password2", b"\x00\x01nonce"), Ok(()));
    assert_eq!(verify_md5(m.hdr.cred.as_ref(), user, "wrong-password", b"\x00\x01nonce"), Err(AuthError::Mismatch));
}

// ---------------------------------------------------------------- hostile input

const BILLION_LAUGHS: &str = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<SyncML><SyncHdr><SessionID>&lol9;</SessionID><MsgID>1</MsgID></SyncHdr><SyncBody/></SyncML>"#;

const XXE: &str = r#"<?xml version="1.0"?>
<!DOCTYPE s [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><Discover><request><EmailAddress>&xxe;</EmailAddress></request></Discover></s:Body></s:Envelope>"#;

#[test]
fn hostile_billion_laughs_and_xxe_refused_as_dtd() {
    assert_eq!(syncml::decode(BILLION_LAUGHS.as_bytes()), Err(DecodeError::Xml(XmlError::Dtd)));
    assert_eq!(DiscoverRequest::decode(XXE.as_bytes()), Err(EnrollmentError::Xml(XmlError::Dtd)));
    assert_eq!(RstRequest::decode(XXE.as_bytes()), Err(EnrollmentError::Xml(XmlError::Dtd)));
}

#[test]
fn hostile_deep_nesting_refused() {
    let deep = format!("{}{}", "<a>".repeat(10_000), "</a>".repeat(10_000));
    assert_eq!(syncml::decode(deep.as_bytes()), Err(DecodeError::Xml(XmlError::TooDeep { limit: 32 })));
    assert_eq!(GetPoliciesRequest::decode(deep.as_bytes()), Err(EnrollmentError::Xml(XmlError::TooDeep { limit: 32 })));
    // Deep Atomic nesting inside a valid SyncML frame too.
    let atomic = wrap(format!("{}{}", "<Atomic>".repeat(10_000), "</Atomic>".repeat(10_000)).as_bytes());
    let limits = XmlLimits { max_body_bytes: 1 << 20, ..XmlLimits::default() };
    assert_eq!(syncml::decode_with(&atomic, &limits), Err(DecodeError::Xml(XmlError::TooDeep { limit: 32 })));
}

#[test]
fn hostile_huge_body_refused_before_parsing() {
    let big = vec![b'<'; 10 * 1024 * 1024];
    let size = big.len();
    let want = XmlError::TooLarge { limit: 256 * 1024, size };
    assert_eq!(syncml::decode(&big), Err(DecodeError::Xml(want.clone())));
    assert_eq!(DiscoverRequest::decode(&big), Err(EnrollmentError::Xml(want.clone())));
    assert_eq!(RstRequest::decode(&big), Err(EnrollmentError::Xml(want)));
    // The limit is configurable.
    let limits = XmlLimits { max_body_bytes: 64, ..XmlLimits::default() };
    assert!(matches!(
        syncml::decode_with(&fixture("unenrollment_first_package.xml"), &limits),
        Err(DecodeError::Xml(XmlError::TooLarge { limit: 64, .. }))
    ));
}

#[test]
fn hostile_truncated_and_garbage_refused() {
    let full = fixture("unenrollment_first_package.xml");
    // Every prefix of a real message is refused (never accepted, never a panic).
    for cut in 0..full.len() - 12 {
        assert!(syncml::decode(&full[..cut]).is_err(), "prefix {cut} accepted");
    }
    let rst = fixture("rst_request_onpremise.xml");
    for cut in (0..rst.len() - 20).step_by(7) {
        assert!(RstRequest::decode(&rst[..cut]).is_err(), "prefix {cut} accepted");
    }
    assert_eq!(syncml::decode(&full[..full.len() / 2]), Err(DecodeError::Xml(XmlError::Truncated)));
    let garbage: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 | 0x80).collect();
    assert_eq!(syncml::decode(&garbage), Err(DecodeError::Xml(XmlError::NotUtf8)));
    assert_eq!(DiscoverRequest::decode(&garbage), Err(EnrollmentError::Xml(XmlError::NotUtf8)));
    assert_eq!(syncml::decode(b""), Err(DecodeError::Xml(XmlError::Empty)));
}
