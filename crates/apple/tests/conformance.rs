//! Conformance: real devices' messages from `shared/corpus/apple`, and every command we emit
//! checked against Apple's schema of its request type in `shared/specs/apple`.

use pinreset_apple::checkin::CheckinMessage;
use pinreset_apple::command::{Command, Request};
use pinreset_apple::result::{CommandResult, ResultStatus};
use pinreset_apple::DecodeError;
use serde_yaml::Value as Yaml;
use std::path::PathBuf;

fn shared(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared").join(path)
}

fn corpus(name: &str) -> Vec<u8> {
    std::fs::read(shared(&format!("corpus/apple/nanomdm/{name}"))).unwrap()
}

const TOPIC: &str = "com.apple.mgmt.External.e0bd1eac-1f17-4c8e-8a63-dd17d3dd35d9";

#[test]
fn real_check_ins_decode_with_their_values() {
    match CheckinMessage::decode(&corpus("Authenticate.1.plist")).unwrap() {
        CheckinMessage::Authenticate(a) => {
            assert_eq!(a.udid, "663b07bb783e9ade1dae4fbb92ea12afc0ce5b69");
            assert_eq!((a.topic.as_str(), a.os_version.as_deref(), a.product_name.as_deref()), (TOPIC, Some("9.3.5"), Some("iPad2,5")));
            assert_eq!(a.serial_number.as_deref(), Some("F5JM992LF193"));
        }
        other => panic!("{other:?}"),
    }
    match CheckinMessage::decode(&corpus("Authenticate.2.plist")).unwrap() {
        CheckinMessage::Authenticate(a) => {
            assert_eq!(
                (a.udid.as_str(), a.model.as_deref(), a.device_name.as_deref()),
                ("66ADE930-5FDF-5EC4-8429-15640684C489", Some("iMac14,2"), Some("Fruit"))
            );
        }
        other => panic!("{other:?}"),
    }
    match CheckinMessage::decode(&corpus("TokenUpdate.1.plist")).unwrap() {
        CheckinMessage::TokenUpdate(t) => {
            assert_eq!(
                (t.udid.as_str(), t.push_magic.as_str()),
                ("663b07bb783e9ade1dae4fbb92ea12afc0ce5b69", "CEFDF0BD-E342-4A27-8742-E930EA116B0A")
            );
            assert_eq!(t.token.len(), 32);
            let unlock = t.unlock_token.as_ref().expect("an iPad sends its UnlockToken");
            assert!(unlock.len() > 1000 && unlock.starts_with(b"DATA"), "{}", unlock.len());
            // Secrets never show in debug output.
            let shown = format!("{t:?}");
            assert!(!shown.contains("CEFDF0BD") && shown.contains("unlock_token_len"), "{shown}");
        }
        other => panic!("{other:?}"),
    }
    match CheckinMessage::decode(&corpus("TokenUpdate.2.plist")).unwrap() {
        CheckinMessage::TokenUpdate(t) => assert!(t.unlock_token.is_none(), "a Mac sends no UnlockToken"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_real_command_result_decodes() {
    let r = CommandResult::decode(&corpus("DeviceInformation.1.plist")).unwrap();
    assert_eq!((r.status, r.command_uuid.as_deref()), (ResultStatus::Acknowledged, Some("76eda240-5488-4989-8339-f2ae160113c4")));
    assert_eq!(r.query_responses().unwrap().get("HostName").and_then(|v| v.as_string()), Some("fruit.example.com"));
}

fn plist(entries: &str) -> Vec<u8> {
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><plist version=\"1.0\"><dict>{entries}</dict></plist>").into_bytes()
}

#[test]
fn bad_bodies_are_refused_with_the_reason() {
    assert!(matches!(CheckinMessage::decode(b"not a plist"), Err(DecodeError::NotPlist(_))));
    assert!(matches!(CheckinMessage::decode(&corpus("Authenticate.1.plist")[..200]), Err(DecodeError::NotPlist(_))));
    assert_eq!(
        CheckinMessage::decode(&vec![b' '; pinreset_apple::MAX_BODY_BYTES + 1]),
        Err(DecodeError::TooLarge(pinreset_apple::MAX_BODY_BYTES + 1))
    );
    assert_eq!(CheckinMessage::decode(b"<plist version=\"1.0\"><array/></plist>"), Err(DecodeError::NotDictionary));
    assert_eq!(
        CheckinMessage::decode(&plist("<key>MessageType</key><string>Authenticate</string><key>Topic</key><string>t</string>")),
        Err(DecodeError::Missing("UDID"))
    );
    assert_eq!(
        CheckinMessage::decode(&plist("<key>MessageType</key><integer>1</integer>")),
        Err(DecodeError::WrongType { key: "MessageType", expected: "string" })
    );
    match CheckinMessage::decode(&plist("<key>MessageType</key><string>UserAuthenticate</string><key>UDID</key><string>U</string>"))
        .unwrap()
    {
        CheckinMessage::Unsupported { message_type, udid } => {
            assert_eq!((message_type.as_str(), udid.as_deref()), ("UserAuthenticate", Some("U")))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        CommandResult::decode(&plist("<key>UDID</key><string>U</string><key>Status</key><string>Acknowledged</string>")),
        Err(DecodeError::Missing("CommandUUID"))
    );
    assert!(CommandResult::decode(&plist("<key>UDID</key><string>U</string><key>Status</key><string>Maybe</string>")).is_err());
    // Binary property lists are accepted like XML ones.
    let value = plist::Value::from_reader_xml(&corpus("Authenticate.1.plist")[..]).unwrap();
    let mut binary = Vec::new();
    value.to_writer_binary(&mut binary).unwrap();
    assert!(matches!(CheckinMessage::decode(&binary).unwrap(), CheckinMessage::Authenticate(_)));
}

#[test]
fn an_error_chain_and_not_now_are_read() {
    let body = plist(
        "<key>UDID</key><string>U</string><key>Status</key><string>Error</string><key>CommandUUID</key><string>C</string>\
         <key>ErrorChain</key><array><dict><key>ErrorCode</key><integer>12021</integer><key>ErrorDomain</key><string>MCMDMErrorDomain</string>\
         <key>USEnglishDescription</key><string>Invalid unlock token</string></dict></array>",
    );
    let r = CommandResult::decode(&body).unwrap();
    assert_eq!(
        (r.status, r.error_chain[0].code, r.error_chain[0].description.as_deref()),
        (ResultStatus::Error, 12021, Some("Invalid unlock token"))
    );
    let r = CommandResult::decode(&plist(
        "<key>UDID</key><string>U</string><key>Status</key><string>NotNow</string><key>CommandUUID</key><string>C</string>",
    ))
    .unwrap();
    assert_eq!(r.status, ResultStatus::NotNow);
    let r = CommandResult::decode(&plist(
        "<key>UDID</key><string>U</string><key>Status</key><string>Acknowledged</string><key>CommandUUID</key><string>C</string>\
         <key>SecurityInfo</key><dict><key>PasscodePresent</key><false/></dict>",
    ))
    .unwrap();
    assert_eq!(r.security_info().unwrap().passcode_present, Some(false));
}

// ---- the schema walker (test support): Apple's YAML describes each request's keys

fn schema(request_type: &str) -> Yaml {
    let dir = shared("specs/apple/mdm/commands");
    for entry in std::fs::read_dir(dir).unwrap() {
        let y: Yaml = serde_yaml::from_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap()).unwrap();
        if y["payload"]["requesttype"].as_str() == Some(request_type) {
            return y;
        }
    }
    panic!("no schema for {request_type}")
}

fn type_ok(expected: &str, v: &plist::Value) -> bool {
    matches!(
        (expected, v),
        ("<string>", plist::Value::String(_))
            | ("<data>", plist::Value::Data(_))
            | ("<array>", plist::Value::Array(_))
            | ("<dictionary>", plist::Value::Dictionary(_))
            | ("<boolean>", plist::Value::Boolean(_))
            | ("<integer>", plist::Value::Integer(_))
            | ("<real>", plist::Value::Real(_))
            | ("<date>", plist::Value::Date(_))
    )
}

/// Problems of a command dictionary against its schema: unknown keys, missing required keys,
/// wrong types. Empty when it conforms.
fn violations(cmd: &Command) -> Vec<String> {
    dictionary_violations(cmd.request.request_type(), &cmd.command_dictionary())
}

fn dictionary_violations(request_type: &str, d: &plist::Dictionary) -> Vec<String> {
    let s = schema(request_type);
    let keys: Vec<&Yaml> = s["payloadkeys"].as_sequence().map(|v| v.iter().collect()).unwrap_or_default();
    let mut out = Vec::new();
    for (k, v) in d.iter() {
        if k == "RequestType" {
            continue;
        }
        match keys.iter().find(|y| y["key"].as_str() == Some(k.as_str())) {
            None => out.push(format!("unknown key {k}")),
            Some(y) => {
                let t = y["type"].as_str().unwrap_or("");
                if !type_ok(t, v) {
                    out.push(format!("{k} should be {t}"));
                }
            }
        }
    }
    for y in keys {
        if y["presence"].as_str() == Some("required") && !d.contains_key(y["key"].as_str().unwrap()) {
            out.push(format!("missing required {}", y["key"].as_str().unwrap()));
        }
    }
    out
}

#[test]
fn every_command_we_emit_matches_apples_schema() {
    let cmd = |request| Command { uuid: "0F2C".into(), request };
    let all = [
        cmd(Request::ClearPasscode { unlock_token: vec![1, 2, 3] }),
        cmd(Request::SecurityInfo),
        cmd(Request::DeviceInformation { queries: vec!["OSVersion".into(), "IsMultiUser".into()] }),
        cmd(Request::DeviceLock { message: Some("Call IT".into()), phone_number: Some("+1 555 0100".into()), pin: Some("123456".into()) }),
        cmd(Request::DeviceLock { message: None, phone_number: None, pin: None }),
        cmd(Request::EraseDevice { pin: Some("123456".into()) }),
        cmd(Request::EraseDevice { pin: None }),
    ];
    for c in &all {
        assert_eq!(violations(c), Vec::<String>::new(), "{:?}", c.request);
        // And the device reads back what we sent.
        assert_eq!(&Command::decode(&c.encode()).unwrap(), c);
    }
}

#[test]
fn the_schema_walker_catches_a_wrong_command() {
    let mut extra = Command { uuid: "X".into(), request: Request::SecurityInfo }.command_dictionary();
    extra.insert("Bogus".into(), plist::Value::Boolean(true));
    assert_eq!(dictionary_violations("SecurityInfo", &extra), ["unknown key Bogus"]);
    let mut no_token = Command { uuid: "X".into(), request: Request::ClearPasscode { unlock_token: vec![1] } }.command_dictionary();
    no_token.remove("UnlockToken");
    assert_eq!(dictionary_violations("ClearPasscode", &no_token), ["missing required UnlockToken"]);
    let mut number_pin =
        Command { uuid: "X".into(), request: Request::DeviceLock { message: None, phone_number: None, pin: None } }.command_dictionary();
    number_pin.insert("PIN".into(), plist::Value::Integer(123456.into()));
    assert_eq!(dictionary_violations("DeviceLock", &number_pin), ["PIN should be <string>"]);
}

#[test]
fn the_check_in_keys_we_read_exist_in_apples_schemas() {
    for (file, keys) in [
        (
            "authenticate.yaml",
            &[
                "UDID",
                "Topic",
                "OSVersion",
                "BuildVersion",
                "ProductName",
                "SerialNumber",
                "IMEI",
                "MEID",
                "DeviceName",
                "Model",
                "ModelName",
                "EnrollmentID",
                "MessageType",
            ][..],
        ),
        (
            "tokenupdate.yaml",
            &["UDID", "Topic", "Token", "PushMagic", "UnlockToken", "AwaitingConfiguration", "UserID", "EnrollmentID", "MessageType"][..],
        ),
        ("checkout.yaml", &["UDID", "Topic", "MessageType"][..]),
    ] {
        let y: Yaml = serde_yaml::from_str(&std::fs::read_to_string(shared(&format!("specs/apple/mdm/checkin/{file}"))).unwrap()).unwrap();
        let known: Vec<&str> = y["payloadkeys"].as_sequence().unwrap().iter().filter_map(|k| k["key"].as_str()).collect();
        for k in keys {
            assert!(known.contains(k), "{file} has no key {k}: {known:?}");
        }
    }
}
