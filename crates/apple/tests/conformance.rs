//! Conformance: real device messages (copied from `shared/corpus/apple` into `tests/data/corpus`) decode to the right values;
//! every command, check-in and profile we emit is checked against Apple's schema for it
//! (copied from `shared/specs/apple` into `tests/data/specs`); hostile bodies are refused with the right typed error.

#[path = "support/schema.rs"]
mod schema;

use pinreset_apple::checkin::{Authenticate, CheckinMessage, TokenUpdate};
use pinreset_apple::command::{
    Command, CommandError, DeliverySecrets, EraseOptions, ObliterationBehavior, QueuedRequest, Request, ReturnToService,
};
use pinreset_apple::device_information::STANDARD_QUERIES;
use pinreset_apple::profile::{AccessRights, EnrollmentProfile, ProfileUuids, CAPABILITY_PER_USER_CONNECTIONS};
use pinreset_apple::result::{CommandResult, ResultStatus};
use pinreset_apple::{DecodeError, Limits, PlistType, MAX_BODY_BYTES};
use plist::{Dictionary, Value};
use schema::{check_command, check_dict, Required, Violation};
use std::path::PathBuf;

const TOPIC: &str = "com.apple.mgmt.External.e0bd1eac-1f17-4c8e-8a63-dd17d3dd35d9";
const IPAD: &str = "663b07bb783e9ade1dae4fbb92ea12afc0ce5b69";
const IMAC: &str = "66ADE930-5FDF-5EC4-8429-15640684C489";

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/corpus")
}

fn corpus(name: &str) -> Vec<u8> {
    let path = corpus_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn raw_dict(body: &[u8]) -> Dictionary {
    plist::Value::from_reader_xml(body).unwrap().into_dictionary().unwrap()
}

fn xml(dict: Dictionary) -> Vec<u8> {
    let mut out = Vec::new();
    Value::Dictionary(dict).to_writer_xml(&mut out).unwrap();
    out
}

fn plist_body(entries: &str) -> Vec<u8> {
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><plist version=\"1.0\"><dict>{entries}</dict></plist>").into_bytes()
}

fn authenticate(name: &str) -> Authenticate {
    match CheckinMessage::decode(&corpus(name)).unwrap() {
        CheckinMessage::Authenticate(a) => a,
        other => panic!("{name}: {other:?}"),
    }
}

fn token_update(name: &str) -> TokenUpdate {
    match CheckinMessage::decode(&corpus(name)).unwrap() {
        CheckinMessage::TokenUpdate(t) => t,
        other => panic!("{name}: {other:?}"),
    }
}

// ---------------------------------------------------------------- real devices' messages

#[test]
fn real_authenticate_messages_decode_with_their_values() {
    let ipad = authenticate("Authenticate.1.plist");
    assert_eq!((ipad.udid.as_str(), ipad.topic.as_str(), ipad.enrollment_id.as_deref()), (IPAD, TOPIC, None));
    assert_eq!(
        (ipad.os_version.as_deref(), ipad.build_version.as_deref(), ipad.product_name.as_deref(), ipad.serial_number.as_deref()),
        (Some("9.3.5"), Some("13G36"), Some("iPad2,5"), Some("F5JM992LF193"))
    );
    assert_eq!(
        (ipad.device_name.as_deref(), ipad.model.as_deref(), ipad.imei.as_deref()),
        (None, None, None),
        "an iPad sends no macOS keys"
    );

    let imac = authenticate("Authenticate.2.plist");
    assert_eq!((imac.udid.as_str(), imac.topic.as_str()), (IMAC, TOPIC));
    assert_eq!(
        (imac.device_name.as_deref(), imac.model.as_deref(), imac.model_name.as_deref(), imac.product_name.as_deref()),
        (Some("Fruit"), Some("iMac14,2"), Some("iMac"), Some("iMac14,2"))
    );
    assert_eq!(
        (imac.os_version.as_deref(), imac.build_version.as_deref(), imac.serial_number.as_deref()),
        (Some("10.12.6"), Some("16G2136"), Some("C02MT66KFLHH"))
    );
}

#[test]
fn real_token_updates_decode_with_their_values() {
    let ipad = token_update("TokenUpdate.1.plist");
    assert_eq!((ipad.udid.as_str(), ipad.topic.as_str()), (IPAD, TOPIC));
    assert_eq!(ipad.push_magic, "CEFDF0BD-E342-4A27-8742-E930EA116B0A");
    assert_eq!((ipad.token.len(), &ipad.token[..4]), (32, &[0x47, 0xe8, 0xee, 0xc0][..]));
    let unlock = ipad.unlock_token.as_ref().expect("an iPad escrows its UnlockToken");
    assert_eq!((unlock.len(), &unlock[..4], &unlock[unlock.len() - 4..]), (1288, &b"DATA"[..], &[0x1a, 0x4b, 0x16, 0x06][..]));
    assert!(!ipad.awaiting_configuration && !ipad.is_user_channel());

    let imac = token_update("TokenUpdate.2.plist");
    assert_eq!((imac.udid.as_str(), imac.push_magic.as_str()), (IMAC, "888CEB39-BFFA-40F6-89FA-B60752EB63C2"));
    assert_eq!(&imac.token[..4], &[0x1b, 0xa7, 0xc9, 0x00]);
    assert_eq!(imac.unlock_token, None, "a Mac sends no UnlockToken");

    // The secrets never reach Debug output: neither bytes nor the push magic.
    let shown = format!("{:?}", CheckinMessage::TokenUpdate(ipad));
    assert!(shown.contains("unlock_token_len: Some(1288)") && shown.contains("token_len: 32"), "{shown}");
    assert!(!shown.contains("CEFDF0BD") && !shown.contains("71, 232") && !shown.contains("68, 65, 84, 65"), "{shown}");
}

#[test]
fn a_real_device_information_result_decodes() {
    let r = CommandResult::decode(&corpus("DeviceInformation.1.plist")).unwrap();
    assert_eq!((r.udid.as_str(), r.status), (IMAC, ResultStatus::Acknowledged));
    assert_eq!(
        (r.command_uuid.as_deref(), r.request_type.as_deref()),
        (Some("76eda240-5488-4989-8339-f2ae160113c4"), Some("DeviceInformation"))
    );
    assert!(r.error_chain.is_empty());
    let info = r.device_information().unwrap().expect("QueryResponses");
    assert_eq!(
        (info.udid.as_deref(), info.host_name.as_deref(), info.os_version.as_deref()),
        (Some(IMAC), Some("fruit.example.com"), None)
    );
    assert_eq!(r.query_responses().and_then(|q| q.get("HostName")).and_then(Value::as_string), Some("fruit.example.com"));
    assert_eq!(r.security_info(), None);
}

#[test]
fn every_corpus_file_decodes_as_its_kind() {
    let mut seen = 0;
    for entry in std::fs::read_dir(corpus_dir()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with(".plist") {
            continue;
        }
        let body = std::fs::read(&path).unwrap();
        let kind = name.split('.').next().unwrap();
        match kind {
            "Authenticate" | "TokenUpdate" | "CheckOut" => {
                let m = CheckinMessage::decode(&body).unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(m.message_type(), kind, "{name}");
                assert!(m.udid().is_some_and(|u| u == IPAD || u == IMAC), "{name}");
            }
            _ => {
                let r = CommandResult::decode(&body).unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(r.request_type.as_deref(), Some(kind), "{name}");
            }
        }
        seen += 1;
    }
    assert_eq!(seen, 5, "a new corpus file needs its own value assertions above");
}

// ---------------------------------------------------------------- hostile and malformed input

#[test]
fn malformed_bodies_are_refused_with_the_reason() {
    assert!(matches!(CheckinMessage::decode(b"not a plist"), Err(DecodeError::NotPlist(_))));
    assert!(matches!(CommandResult::decode(b"<plist><dict>"), Err(DecodeError::NotPlist(_))));
    assert!(matches!(CheckinMessage::decode(b"<plist><dict><key>A</key></dict></plist>"), Err(DecodeError::NotPlist(_))));
    assert!(
        matches!(CheckinMessage::decode(b"{ MessageType = Authenticate; }"), Err(DecodeError::NotPlist(_))),
        "ASCII plists are not accepted"
    );
    assert_eq!(CheckinMessage::decode(b""), Err(DecodeError::Empty));
    assert_eq!(
        CheckinMessage::decode(b"<plist version=\"1.0\"><array/></plist>"),
        Err(DecodeError::NotDictionary { found: PlistType::Array })
    );
    assert_eq!(
        CommandResult::decode(b"<plist version=\"1.0\"><string>Idle</string></plist>"),
        Err(DecodeError::NotDictionary { found: PlistType::String })
    );
}

#[test]
fn truncated_messages_are_refused_never_half_read() {
    for name in ["Authenticate.1.plist", "TokenUpdate.1.plist"] {
        let body = corpus(name);
        let end = body.windows(8).rposition(|w| w == b"</plist>").unwrap();
        for cut in (0..end).step_by(7) {
            match CheckinMessage::decode(&body[..cut]) {
                Err(DecodeError::NotPlist(_) | DecodeError::Empty) => {}
                other => panic!("{name} cut at {cut}: {other:?}"),
            }
        }
    }
    let r = corpus("DeviceInformation.1.plist");
    assert!(matches!(CommandResult::decode(&r[..r.len() / 2]), Err(DecodeError::NotPlist(_))));
}

#[test]
fn oversize_bodies_are_refused_before_parsing() {
    let mut body = corpus("Authenticate.1.plist");
    body.resize(MAX_BODY_BYTES + 1, b' ');
    assert_eq!(CheckinMessage::decode(&body), Err(DecodeError::TooLarge { len: MAX_BODY_BYTES + 1, max: MAX_BODY_BYTES }));
    assert!(matches!(CommandResult::decode(&body), Err(DecodeError::TooLarge { .. })));
    // The limit is the caller's: a small one refuses a real UnlockToken-bearing TokenUpdate…
    let small = Limits { max_body_bytes: 2048, ..Limits::default() };
    assert_eq!(CheckinMessage::decode_with(&corpus("TokenUpdate.1.plist"), &small), Err(DecodeError::TooLarge { len: 2430, max: 2048 }));
    // …and exactly at the limit is accepted.
    let exact = Limits { max_body_bytes: 2430, ..Limits::default() };
    assert!(CheckinMessage::decode_with(&corpus("TokenUpdate.1.plist"), &exact).is_ok());
}

#[test]
fn random_bytes_are_refused_without_panicking() {
    // A fixed LCG: the same "random" inputs every run.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) as u32
    };
    let seeds = [corpus("TokenUpdate.1.plist"), corpus("DeviceInformation.1.plist"), b"bplist00".to_vec()];
    for i in 0..3000 {
        let mut body: Vec<u8> = if i % 2 == 0 {
            (0..(next() % 512)).map(|_| next() as u8).collect()
        } else {
            // Mutations of real messages reach deeper into the parser than pure noise.
            let mut b = seeds[i % seeds.len()].clone();
            for _ in 0..(1 + next() % 8) {
                let at = next() as usize % b.len();
                b[at] = next() as u8;
            }
            b
        };
        if i % 3 == 0 {
            body.truncate(next() as usize % (body.len() + 1));
        }
        let _ = CheckinMessage::decode(&body);
        let _ = CommandResult::decode(&body).map(|r| (r.try_security_info(), r.device_information()));
        let _ = Command::decode(&body);
        let _ = EnrollmentProfile::decode(&body, &Limits::default());
    }
    let noise: Vec<u8> = (0..4096).map(|i| (i * 7 + 3) as u8).collect();
    assert!(matches!(CheckinMessage::decode(&noise), Err(DecodeError::NotPlist(_))));
}

#[test]
fn wrong_or_unknown_message_types_get_typed_answers() {
    let mut d = raw_dict(&corpus("Authenticate.1.plist"));
    d.insert("MessageType".into(), Value::Integer(1.into()));
    assert_eq!(
        CheckinMessage::decode(&xml(d.clone())),
        Err(DecodeError::WrongType { key: "MessageType", expected: PlistType::String, found: PlistType::Integer })
    );
    d.remove("MessageType");
    assert_eq!(CheckinMessage::decode(&xml(d.clone())), Err(DecodeError::MissingKey("MessageType")));
    for other in ["UserAuthenticate", "DeclarativeManagement", "GetBootstrapToken"] {
        d.insert("MessageType".into(), Value::String(other.into()));
        let m = CheckinMessage::decode(&xml(d.clone())).unwrap();
        assert_eq!(m, CheckinMessage::Unsupported { message_type: other.into(), udid: Some(IPAD.into()) });
        assert_eq!(m.message_type(), other);
    }
}

#[test]
fn a_message_without_a_device_id_is_refused() {
    for name in ["Authenticate.1.plist", "TokenUpdate.1.plist"] {
        let mut d = raw_dict(&corpus(name));
        d.remove("UDID");
        assert_eq!(CheckinMessage::decode(&xml(d.clone())), Err(DecodeError::MissingKey("UDID")), "{name}");
        // User Enrollment names the device by EnrollmentID instead.
        d.insert("EnrollmentID".into(), Value::String("E-42".into()));
        let m = CheckinMessage::decode(&xml(d)).unwrap();
        assert_eq!(m.udid(), Some("E-42"), "{name}");
    }
    let mut r = raw_dict(&corpus("DeviceInformation.1.plist"));
    r.remove("UDID");
    assert_eq!(CommandResult::decode(&xml(r)), Err(DecodeError::MissingKey("UDID")));
    let mut t = raw_dict(&corpus("TokenUpdate.1.plist"));
    t.insert("Token".into(), Value::String("not data".into()));
    assert_eq!(
        CheckinMessage::decode(&xml(t)),
        Err(DecodeError::WrongType { key: "Token", expected: PlistType::Data, found: PlistType::String })
    );
}

#[test]
fn binary_plists_decode_like_xml() {
    for name in ["Authenticate.2.plist", "TokenUpdate.1.plist"] {
        let mut bin = Vec::new();
        Value::Dictionary(raw_dict(&corpus(name))).to_writer_binary(&mut bin).unwrap();
        assert_eq!(CheckinMessage::decode(&bin).unwrap(), CheckinMessage::decode(&corpus(name)).unwrap(), "{name}");
    }
}

// ---------------------------------------------------------------- check-ins against the schemas

fn checkin_schema(message_type: &str) -> schema::Schema {
    let file = match message_type {
        "Authenticate" => "mdm/checkin/authenticate.yaml",
        "TokenUpdate" => "mdm/checkin/tokenupdate.yaml",
        "CheckOut" => "mdm/checkin/checkout.yaml",
        other => panic!("no schema for {other}"),
    };
    let s = schema::load(file);
    assert_eq!(s.request_type.as_deref(), Some(message_type));
    s
}

fn checkin_violations(d: &Dictionary) -> Vec<Violation> {
    let t = d.get("MessageType").and_then(Value::as_string).unwrap();
    let mut out = Vec::new();
    check_dict(d, &checkin_schema(t).payload_keys, "", Required::Unconditional, &mut out);
    out
}

/// Every key our types know, set: nothing we read or write may be outside the schema.
fn full_checkins() -> Vec<CheckinMessage> {
    let s = |v: &str| Some(v.to_string());
    vec![
        CheckinMessage::Authenticate(Authenticate {
            udid: "UDID".into(),
            enrollment_id: s("EID"),
            topic: TOPIC.into(),
            os_version: s("17.4"),
            build_version: s("21E219"),
            product_name: s("iPhone15,2"),
            serial_number: s("SER"),
            imei: s("35 000000 000000 0"),
            meid: s("35000000000000"),
            device_name: s("Mac"),
            model: s("Mac14,2"),
            model_name: s("MacBook Air"),
        }),
        CheckinMessage::TokenUpdate(TokenUpdate {
            udid: "UDID".into(),
            enrollment_id: s("EID"),
            enrollment_user_id: s("EUID"),
            topic: TOPIC.into(),
            token: vec![1; 32],
            push_magic: "M".into(),
            unlock_token: Some(vec![2; 100]),
            awaiting_configuration: true,
            not_on_console: Some(false),
            user_id: s("FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF"),
            user_short_name: s("ann"),
            user_long_name: s("Ann Example"),
        }),
        CheckinMessage::CheckOut { udid: "UDID".into(), topic: TOPIC.into(), enrollment_id: s("EID") },
        // User Enrollment: EnrollmentID only.
        CheckinMessage::CheckOut { udid: "EID".into(), topic: TOPIC.into(), enrollment_id: s("EID") },
    ]
}

#[test]
fn real_check_ins_conform_to_the_schemas() {
    for name in ["Authenticate.1.plist", "Authenticate.2.plist", "TokenUpdate.1.plist", "TokenUpdate.2.plist"] {
        let v = checkin_violations(&raw_dict(&corpus(name)));
        // macOS 10.12 still sent the Challenge of the old SCEP flow; it is not in today's schema.
        let expected = if name == "Authenticate.2.plist" { vec![Violation::UnknownKey("Challenge".into())] } else { vec![] };
        assert_eq!(v, expected, "{name}");
    }
}

#[test]
fn check_ins_we_decode_and_encode_use_only_schema_keys_and_types() {
    let mut messages = full_checkins();
    for name in ["Authenticate.1.plist", "Authenticate.2.plist", "TokenUpdate.1.plist", "TokenUpdate.2.plist"] {
        messages.push(CheckinMessage::decode(&corpus(name)).unwrap());
    }
    for m in messages {
        let d = m.to_dictionary();
        assert_eq!(checkin_violations(&d), vec![], "{m:?}");
        // What we write is what we read.
        assert_eq!(CheckinMessage::decode(&m.encode()).unwrap(), m);
    }
}

#[test]
fn the_decoder_requires_exactly_what_the_schemas_require() {
    for m in full_checkins().into_iter().take(3) {
        let d = m.to_dictionary();
        let schema = checkin_schema(m.message_type());
        for key in d.keys() {
            let mut without = d.clone();
            without.remove(key);
            let unconditional = schema.payload_keys.iter().any(|k| &k.key == key && k.required && !k.conditional);
            let decoded = CheckinMessage::from_dictionary(&without);
            // UDID/EnrollmentID: one of them names the device; with both present, either may go.
            if unconditional {
                assert!(matches!(decoded, Err(DecodeError::MissingKey(k)) if k == key), "{key}: {decoded:?}");
            } else {
                assert!(decoded.is_ok(), "{} without {key}: {decoded:?}", m.message_type());
            }
        }
    }
}

// ---------------------------------------------------------------- commands against the schemas

/// Request type → schema file. RemoveProfile's schema (`profile.remove.yaml`) is not in our
/// copy of the specs; `schemas_we_lack_are_really_missing` keeps that list honest.
fn command_schema(request_type: &str) -> Option<schema::Schema> {
    let file = match request_type {
        "ClearPasscode" => "mdm/commands/passcode.clear.yaml",
        "SecurityInfo" => "mdm/commands/information.security.yaml",
        "DeviceInformation" => "mdm/commands/information.device.yaml",
        "DeviceLock" => "mdm/commands/device.lock.yaml",
        "EraseDevice" => "mdm/commands/device.erase.yaml",
        "RemoveProfile" => return None,
        other => panic!("no schema mapping for {other}"),
    };
    let s = schema::load(file);
    assert_eq!(s.request_type.as_deref(), Some(request_type), "{file}");
    Some(s)
}

/// Every builder, with all optional fields set and with none.
fn all_commands() -> Vec<Command> {
    let s = |v: &str| Some(v.to_string());
    let unlock = token_update("TokenUpdate.1.plist").unlock_token.unwrap();
    let requests = vec![
        Request::clear_passcode(&unlock),
        Request::SecurityInfo,
        Request::DeviceInformation { queries: vec!["UDID".into()] },
        Request::DeviceInformation { queries: STANDARD_QUERIES.iter().map(|q| q.to_string()).collect() },
        Request::DeviceLock { message: None, phone_number: None, pin: None },
        Request::DeviceLock { message: s("Call IT"), phone_number: s("+1 555 0100"), pin: s("123456") },
        Request::erase(EraseOptions::default()),
        Request::erase(EraseOptions { pin: s("654321"), ..Default::default() }),
        Request::erase(EraseOptions {
            pin: s("654321"),
            preserve_data_plan: Some(true),
            disallow_proximity_setup: Some(false),
            obliteration_behavior: Some(ObliterationBehavior::DoNotObliterate),
            return_to_service: Some(ReturnToService {
                enabled: true,
                wifi_profile_data: Some(vec![1, 2]),
                mdm_profile_data: Some(vec![3]),
            }),
        }),
        Request::erase(EraseOptions {
            return_to_service: Some(ReturnToService { enabled: false, wifi_profile_data: None, mdm_profile_data: None }),
            ..Default::default()
        }),
        Request::RemoveProfile { identifier: "com.pinreset.mdm".into() },
    ];
    requests.into_iter().enumerate().map(|(i, r)| Command::new(format!("0190c7a4-0000-7000-8000-{i:012}.step"), r)).collect()
}

#[test]
fn every_command_we_emit_conforms_to_its_schema() {
    let mut checked = 0;
    for c in all_commands() {
        let bytes = c.try_encode().unwrap_or_else(|e| panic!("{:?}: {e}", c.request));
        let Some(schema) = command_schema(c.request.request_type()) else { continue };
        assert_eq!(check_command(&raw_dict(&bytes), &schema), vec![], "{:?}", c.request);
        checked += 1;
    }
    assert_eq!(checked, 10);
}

#[test]
fn schemas_we_lack_are_really_missing() {
    // If Apple's profile.remove.yaml is added to the specs, RemoveProfile must be validated too.
    assert!(!schema::spec_path("mdm/commands/profile.remove.yaml").exists());
    assert!(schema::spec_path("mdm/commands/passcode.clear.yaml").exists(), "the specs are where the test expects them");
}

#[test]
fn the_walker_catches_wrong_commands() {
    let schema = command_schema("ClearPasscode").unwrap();
    let good = Command::new("u", Request::clear_passcode(b"token")).to_dictionary();
    assert_eq!(check_command(&good, &schema), vec![]);
    let with_command = |f: &dyn Fn(&mut Dictionary)| {
        let mut d = good.clone();
        if let Some(Value::Dictionary(c)) = d.get_mut("Command") {
            f(c);
        }
        check_command(&d, &schema)
    };
    assert_eq!(with_command(&|c| drop(c.remove("UnlockToken"))), vec![Violation::MissingRequired("Command.UnlockToken".into())]);
    assert_eq!(
        with_command(&|c| drop(c.insert("UnlockToken".into(), Value::String("x".into())))),
        vec![Violation::WrongType { path: "Command.UnlockToken".into(), expected: "<data>".into(), found: "<string>" }]
    );
    assert_eq!(
        with_command(&|c| drop(c.insert("Passcode".into(), Value::String("1".into())))),
        vec![Violation::UnknownKey("Command.Passcode".into())]
    );
    assert_eq!(
        with_command(&|c| drop(c.insert("RequestType".into(), Value::String("EraseDevice".into())))),
        vec![Violation::NotInRangelist("Command.RequestType".into())]
    );
    let mut no_uuid = good.clone();
    no_uuid.remove("CommandUUID");
    assert_eq!(check_command(&no_uuid, &schema), vec![Violation::MissingRequired("CommandUUID".into())]);

    let erase = command_schema("EraseDevice").unwrap();
    let mut d = Command::new("u", Request::erase(EraseOptions { preserve_data_plan: Some(true), ..Default::default() })).to_dictionary();
    if let Some(Value::Dictionary(c)) = d.get_mut("Command") {
        c.insert("ObliterationBehavior".into(), Value::String("Sometimes".into()));
        c.insert(
            "ReturnToService".into(),
            Value::Dictionary(Dictionary::from_iter([("WiFiProfileData".to_string(), Value::Data(vec![]))])),
        );
    }
    assert_eq!(
        check_command(&d, &erase),
        vec![
            Violation::MissingRequired("Command.ReturnToService.Enabled".into()),
            Violation::NotInRangelist("Command.ObliterationBehavior".into())
        ]
    );
    let info = command_schema("DeviceInformation").unwrap();
    let bad = Command::new("u", Request::DeviceInformation { queries: vec!["UDID".into(), "FavouriteColour".into()] });
    assert_eq!(check_command(&bad.to_dictionary(), &info), vec![Violation::NotInRangelist("Command.Queries[1]".into())]);
    let security = command_schema("SecurityInfo").unwrap();
    let mut d = Command::new("u", Request::SecurityInfo).to_dictionary();
    if let Some(Value::Dictionary(c)) = d.get_mut("Command") {
        c.insert("Queries".into(), Value::Array(vec![]));
    }
    assert_eq!(check_command(&d, &security), vec![Violation::UnknownKey("Command.Queries".into())]);
}

#[test]
fn commands_round_trip_through_the_device_side_decoder() {
    for c in all_commands() {
        let bytes = c.try_encode().unwrap();
        assert_eq!(Command::decode(&bytes).unwrap(), c);
    }
    // A command from the queue gets the device's real UnlockToken only at delivery.
    let unlock = token_update("TokenUpdate.1.plist").unlock_token.unwrap();
    let queued = QueuedRequest::ClearPasscode;
    assert_eq!(queued.deliver("a.clear", DeliverySecrets::default()), Err(CommandError::MissingUnlockToken));
    let delivered = queued.deliver("a.clear", DeliverySecrets { unlock_token: Some(&unlock), pin: None }).unwrap();
    let on_device = Command::decode(&delivered.try_encode().unwrap()).unwrap();
    assert_eq!((on_device.uuid.as_str(), on_device.request), ("a.clear", Request::ClearPasscode { unlock_token: unlock }));
    let erase = QueuedRequest::EraseDevice { options: EraseOptions { preserve_data_plan: Some(true), ..Default::default() } };
    let on_mac = erase.deliver("a.erase", DeliverySecrets { unlock_token: None, pin: Some("123456") }).unwrap();
    match Command::decode(&on_mac.encode()).unwrap().request {
        Request::EraseDeviceWith(o) => assert_eq!((o.pin.as_deref(), o.preserve_data_plan), (Some("123456"), Some(true))),
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------- command answers against the schemas

#[test]
fn answers_are_read_with_schema_key_names() {
    let info = schema::load("mdm/commands/information.device.yaml");
    let qr = info.response_keys.iter().find(|k| k.key == "QueryResponses").unwrap();
    let real = raw_dict(&corpus("DeviceInformation.1.plist"));
    let mut v = Vec::new();
    check_dict(real.get("QueryResponses").unwrap().as_dictionary().unwrap(), &qr.subkeys, "QueryResponses", Required::All, &mut v);
    assert_eq!(v, vec![]);

    // A Shared iPad's answer, built only from schema keys and checked against the schema first.
    let body = plist_body(
        "<key>UDID</key><string>U</string><key>Status</key><string>Acknowledged</string><key>CommandUUID</key><string>c</string>\
         <key>QueryResponses</key><dict><key>IsSupervised</key><true/><key>IsMultiUser</key><true/><key>SerialNumber</key><string>DMPX</string>\
         <key>DeviceCapacity</key><real>64.0</real><key>BatteryLevel</key><real>0.5</real><key>IMEI</key><string>35 1</string></dict>",
    );
    let d = raw_dict(&body);
    let mut v = Vec::new();
    check_dict(d.get("QueryResponses").unwrap().as_dictionary().unwrap(), &qr.subkeys, "QueryResponses", Required::All, &mut v);
    assert_eq!(v, vec![]);
    let q = CommandResult::decode(&body).unwrap().device_information().unwrap().unwrap();
    assert_eq!((q.is_supervised, q.is_multi_user, q.serial_number.as_deref()), (Some(true), Some(true), Some("DMPX")));
    assert_eq!((q.device_capacity, q.battery_level, q.imei.as_deref()), (Some(64.0), Some(0.5), Some("35 1")));

    let security = schema::load("mdm/commands/information.security.yaml");
    let si = security.response_keys.iter().find(|k| k.key == "SecurityInfo").unwrap();
    let body = plist_body(
        "<key>UDID</key><string>U</string><key>Status</key><string>Acknowledged</string><key>CommandUUID</key><string>c</string>\
         <key>SecurityInfo</key><dict><key>PasscodePresent</key><false/><key>PasscodeCompliant</key><true/>\
         <key>PasscodeCompliantWithProfiles</key><true/><key>HardwareEncryptionCaps</key><integer>3</integer>\
         <key>PasscodeLockGracePeriodEnforced</key><integer>60</integer><key>FDE_Enabled</key><true/>\
         <key>BootstrapTokenAllowedForAuthentication</key><string>allowed</string>\
         <key>ManagementStatus</key><dict><key>UserApprovedEnrollment</key><true/><key>IsUserEnrollment</key><false/></dict></dict>",
    );
    let d = raw_dict(&body);
    let mut v = Vec::new();
    check_dict(d.get("SecurityInfo").unwrap().as_dictionary().unwrap(), &si.subkeys, "SecurityInfo", Required::All, &mut v);
    assert_eq!(v, vec![]);
    let s = CommandResult::decode(&body).unwrap().try_security_info().unwrap().unwrap();
    assert_eq!((s.passcode_present, s.passcode_compliant, s.passcode_compliant_with_profiles), (Some(false), Some(true), Some(true)));
    assert_eq!((s.hardware_encryption_caps, s.passcode_lock_grace_period_enforced, s.fde_enabled), (Some(3), Some(60), Some(true)));
    assert_eq!(s.bootstrap_token_allowed_for_authentication.as_deref(), Some("allowed"));
    let m = s.management_status.unwrap();
    assert_eq!((m.user_approved_enrollment, m.is_user_enrollment, m.enrolled_via_dep), (Some(true), Some(false), None));
}

// ---------------------------------------------------------------- enrollment profile

fn profile() -> EnrollmentProfile {
    let uuids = ProfileUuids {
        profile: "6F1B2C3D-0000-4000-8000-000000000001".parse().unwrap(),
        mdm: "6F1B2C3D-0000-4000-8000-000000000002".parse().unwrap(),
        identity: "6F1B2C3D-0000-4000-8000-000000000003".parse().unwrap(),
    };
    EnrollmentProfile::new(
        "com.pinreset.mdm",
        uuids,
        "https://mdm.example.com/mdm/apple/connect",
        "https://mdm.example.com/mdm/apple/checkin",
        TOPIC,
        vec![0x30, 0x82, 0x01, 0x00],
        Some("secret".into()),
    )
}

const COMMON_PAYLOAD_KEYS: [&str; 7] = [
    "PayloadType",
    "PayloadVersion",
    "PayloadIdentifier",
    "PayloadUUID",
    "PayloadDisplayName",
    "PayloadDescription",
    "PayloadOrganization",
];

fn mdm_violations(p: &EnrollmentProfile) -> Vec<Violation> {
    let schema = schema::load("mdm/profiles/com.apple.mdm.yaml");
    let mut d = p.mdm_payload();
    assert_eq!(d.get("PayloadType").and_then(Value::as_string), schema.payload_type.as_deref());
    for k in COMMON_PAYLOAD_KEYS {
        d.remove(k);
    }
    let mut v = Vec::new();
    check_dict(&d, &schema.payload_keys, "", Required::All, &mut v);
    v.sort();
    v
}

#[test]
fn the_mdm_payload_conforms_to_its_schema() {
    let mut p = profile();
    assert_eq!(mdm_violations(&p), vec![]);
    p.mdm.check_in_url = None;
    p.mdm.sign_message = true;
    p.mdm.server_capabilities = vec![CAPABILITY_PER_USER_CONNECTIONS.into()];
    assert_eq!(mdm_violations(&p), vec![]);
    // The walker notices a capability outside the rangelist and a non-https URL.
    p.mdm.server_capabilities = vec!["com.example.more".into()];
    p.mdm.server_url = "http://mdm.example.com/".into();
    assert_eq!(
        mdm_violations(&p),
        vec![Violation::NotInRangelist("ServerCapabilities[0]".into()), Violation::BadFormat("ServerURL".into())]
    );
}

#[test]
fn the_profile_has_the_shape_a_device_installs() {
    let p = profile();
    let bytes = p.encode().unwrap();
    let d = raw_dict(&bytes);
    assert_eq!(d.get("PayloadType").and_then(Value::as_string), Some("Configuration"));
    assert_eq!(d.get("PayloadVersion").and_then(Value::as_signed_integer), Some(1));
    assert_eq!(d.get("PayloadIdentifier").and_then(Value::as_string), Some("com.pinreset.mdm"));
    let content = d.get("PayloadContent").and_then(Value::as_array).unwrap();
    let types: Vec<_> = content.iter().map(|p| p.as_dictionary().unwrap().get("PayloadType").and_then(Value::as_string).unwrap()).collect();
    assert_eq!(types, ["com.apple.security.pkcs12", "com.apple.mdm"]);
    let identity = content[0].as_dictionary().unwrap();
    let mdm = content[1].as_dictionary().unwrap();
    assert_eq!(identity.get("PayloadContent").and_then(Value::as_data), Some(&[0x30, 0x82, 0x01, 0x00][..]));
    assert_eq!(identity.get("Password").and_then(Value::as_string), Some("secret"));
    assert_eq!(mdm.get("IdentityCertificateUUID"), identity.get("PayloadUUID"), "the MDM payload names its identity");
    let rights = mdm.get("AccessRights").and_then(Value::as_signed_integer).unwrap();
    for bit in [1024, 16, 8, 4] {
        assert_ne!(rights & bit, 0, "AccessRights lacks {bit}");
    }
    assert_eq!(AccessRights::PINRESET.bits() as i64, rights);
    assert_eq!(mdm.get("CheckOutWhenRemoved").and_then(Value::as_boolean), Some(true));
    // The device simulator reads it back.
    assert_eq!(EnrollmentProfile::decode(&bytes, &Limits::default()).unwrap(), p);
    let mut no_password = p.clone();
    no_password.identity.password = None;
    let back = EnrollmentProfile::decode(&no_password.encode().unwrap(), &Limits::default()).unwrap();
    assert_eq!(back.identity.password, None);
    assert!(matches!(EnrollmentProfile::decode(&xml(Dictionary::new()), &Limits::default()), Err(DecodeError::MissingKey("PayloadType"))));
}

// ---------------------------------------------------------------- the server's use of the API

/// The shapes `crates/server` relies on (checkin.rs, connect.rs, tests/api.rs), pinned here so
/// a change to this crate that would break the server fails in this crate first.
#[test]
fn the_api_the_server_uses_keeps_its_shape() {
    let unlock: Vec<u8> = match CheckinMessage::decode(&corpus("TokenUpdate.1.plist")).unwrap() {
        CheckinMessage::TokenUpdate(t) => {
            let _: (&str, Option<&String>, &[u8], String) = (t.udid.as_str(), t.user_id.as_ref(), t.token.as_ref(), t.push_magic.clone());
            t.unlock_token.unwrap()
        }
        _ => unreachable!(),
    };
    match CheckinMessage::decode(&corpus("Authenticate.1.plist")).unwrap() {
        CheckinMessage::Authenticate(a) => {
            let _ = (a.product_name.clone().unwrap_or_default(), a.enrollment_id.is_some(), a.device_name.clone().or(a.model_name.clone()));
            let _ = (a.os_version.as_deref(), a.build_version.clone(), a.serial_number.clone(), a.imei.clone(), Some(a.udid.clone()));
        }
        CheckinMessage::CheckOut { udid, .. } => drop(udid),
        CheckinMessage::Unsupported { .. } => {}
        CheckinMessage::TokenUpdate(_) => unreachable!(),
    }
    let clear = Command { uuid: "action.clear".to_string(), request: Request::ClearPasscode { unlock_token: unlock.clone() } };
    let body: Vec<u8> = clear.encode();
    let back = Command::decode(&body).unwrap();
    match back.request {
        Request::ClearPasscode { ref unlock_token } => assert_eq!(unlock_token.clone(), unlock),
        ref other => panic!("{other:?}"),
    }
    let _ = [
        Request::SecurityInfo,
        Request::DeviceLock { message: None, phone_number: None, pin: None },
        Request::EraseDevice { pin: None },
        Request::RemoveProfile { identifier: "com.pinreset.mdm".into() },
    ];
    assert_eq!(
        Command::decode(&Command { uuid: "a.verify".into(), request: Request::SecurityInfo }.encode()).unwrap().request.request_type(),
        "SecurityInfo"
    );
    let r = CommandResult::decode(&plist_body(
        "<key>UDID</key><string>U</string><key>Status</key><string>Acknowledged</string><key>CommandUUID</key><string>x.verify</string>\
         <key>SecurityInfo</key><dict><key>PasscodePresent</key><false/></dict>",
    ))
    .unwrap();
    assert_eq!(r.command_uuid.as_deref().and_then(|u| u.split_once('.')), Some(("x", "verify")), "CommandUUID need not be a UUID");
    assert_eq!(r.security_info().and_then(|s| s.passcode_present), Some(false));
    assert!(matches!(r.status, ResultStatus::Acknowledged));
    let _: Vec<String> =
        r.error_chain.iter().map(|e| format!("{} {}: {}", e.domain, e.code, e.description.as_deref().unwrap_or(""))).collect();
    let _: (&str, usize) = (r.udid.as_str(), MAX_BODY_BYTES);
}
