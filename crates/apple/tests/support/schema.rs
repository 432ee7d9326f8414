//! Test support: a walker for Apple's device-management YAML schemas (`docs/schema.md`) that
//! checks a plist dictionary against a schema's `payloadkeys` (or `responsekeys`): unknown keys,
//! missing required keys, wrong plist types, values outside a `rangelist`, and the `format`s
//! these schemas use. Not production code.

use plist::{Dictionary, Value};
use serde_yaml::Value as Yaml;
use std::fmt;
use std::path::{Path, PathBuf};

/// `tests/data/specs/…` (a copy of `shared/specs/apple`, with its LICENSE and SOURCE).
pub fn spec_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/specs").join(rel)
}

#[derive(Clone, Debug)]
pub struct KeySpec {
    pub key: String,
    pub ty: String,
    pub required: bool,
    /// Has its own `supportedOS`: whether it applies depends on platform or enrollment kind.
    pub conditional: bool,
    pub rangelist: Option<Vec<Yaml>>,
    pub format: Option<String>,
    pub subkeys: Vec<KeySpec>,
}

#[derive(Clone, Debug)]
pub struct Schema {
    pub request_type: Option<String>,
    pub payload_type: Option<String>,
    pub payload_keys: Vec<KeySpec>,
    pub response_keys: Vec<KeySpec>,
}

fn keys(v: Option<&Yaml>) -> Vec<KeySpec> {
    let Some(Yaml::Sequence(items)) = v else { return Vec::new() };
    items
        .iter()
        .map(|k| KeySpec {
            key: k["key"].as_str().unwrap_or_default().to_string(),
            ty: k["type"].as_str().unwrap_or("<any>").to_string(),
            required: k["presence"].as_str() == Some("required"),
            conditional: k.get("supportedOS").is_some(),
            rangelist: k.get("rangelist").and_then(Yaml::as_sequence).cloned(),
            format: k.get("format").and_then(Yaml::as_str).map(str::to_owned),
            subkeys: keys(k.get("subkeys")),
        })
        .collect()
}

pub fn load(rel: &str) -> Schema {
    let path = spec_path(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let y: Yaml = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Schema {
        request_type: y["payload"]["requesttype"].as_str().map(str::to_owned),
        payload_type: y["payload"]["payloadtype"].as_str().map(str::to_owned),
        payload_keys: keys(y.get("payloadkeys")),
        response_keys: keys(y.get("responsekeys")),
    }
}

/// Ordered so a test can compare a sorted list regardless of key order.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Violation {
    UnknownKey(String),
    MissingRequired(String),
    WrongType { path: String, expected: String, found: &'static str },
    NotInRangelist(String),
    BadFormat(String),
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

/// Which `required` keys must be present.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Required {
    /// Every key marked required (commands, profiles).
    All,
    /// Only required keys without their own `supportedOS`: check-in schemas mark keys required
    /// that exist only on some platform or enrollment kind (DeviceName on macOS, UDID outside
    /// User Enrollment, NotOnConsole on the macOS user channel …).
    Unconditional,
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "<string>",
        Value::Integer(_) => "<integer>",
        Value::Real(_) => "<real>",
        Value::Boolean(_) => "<boolean>",
        Value::Data(_) => "<data>",
        Value::Date(_) => "<date>",
        Value::Array(_) => "<array>",
        Value::Dictionary(_) => "<dictionary>",
        _ => "<uid>",
    }
}

fn yaml_eq(y: &Yaml, v: &Value) -> bool {
    match (y, v) {
        (Yaml::String(a), Value::String(b)) => a == b,
        (Yaml::Number(a), Value::Integer(b)) => a.as_i64().is_some() && a.as_i64() == b.as_signed(),
        (Yaml::Bool(a), Value::Boolean(b)) => a == b,
        _ => false,
    }
}

fn format_ok(format: &str, s: &str) -> Result<bool, String> {
    // No regex engine in the tree: the formats these schemas use, understood exactly.
    match format {
        "^https://.*$" => Ok(s.starts_with("https://") && !s.contains('\n')),
        "^[0-9A-Za-z]{8}-[0-9A-Za-z]{4}-[0-9A-Za-z]{4}-[0-9A-Za-z]{4}-[0-9A-Za-z]{12}$" => {
            let groups: Vec<&str> = s.split('-').collect();
            Ok(groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12]) && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_alphanumeric())))
        }
        other => Err(format!("format {other} is not understood by the test walker")),
    }
}

/// Check one value against one key spec.
fn check_value(spec: &KeySpec, v: &Value, path: &str, rule: Required, out: &mut Vec<Violation>) {
    let found = type_name(v);
    if spec.ty != "<any>" && spec.ty != found {
        out.push(Violation::WrongType { path: path.to_string(), expected: spec.ty.clone(), found });
        return;
    }
    if let Some(range) = &spec.rangelist {
        if !range.iter().any(|y| yaml_eq(y, v)) {
            out.push(Violation::NotInRangelist(path.to_string()));
        }
    }
    if let (Some(fmt), Value::String(s)) = (&spec.format, v) {
        match format_ok(fmt, s) {
            Ok(true) => {}
            Ok(false) => out.push(Violation::BadFormat(path.to_string())),
            Err(e) => panic!("{path}: {e}"),
        }
    }
    match v {
        Value::Dictionary(d) if !spec.subkeys.is_empty() => check_dict(d, &spec.subkeys, path, rule, out),
        Value::Array(items) => {
            // The single subkey describes every item.
            let Some(item) = spec.subkeys.first() else { return };
            for (i, element) in items.iter().enumerate() {
                let p = format!("{path}[{i}]");
                if item.ty != "<dictionary>" && !item.subkeys.is_empty() {
                    // A scalar item whose subkeys list its possible values (DeviceInformation Queries).
                    let allowed = element.as_string().is_some_and(|s| item.subkeys.iter().any(|k| k.key == s));
                    if type_name(element) != item.ty {
                        out.push(Violation::WrongType { path: p, expected: item.ty.clone(), found: type_name(element) });
                    } else if !allowed {
                        out.push(Violation::NotInRangelist(p));
                    }
                } else {
                    check_value(item, element, &p, rule, out);
                }
            }
        }
        _ => {}
    }
}

/// Check a dictionary against a list of key specs; `path` prefixes reported keys.
pub fn check_dict(d: &Dictionary, specs: &[KeySpec], path: &str, rule: Required, out: &mut Vec<Violation>) {
    let join = |k: &str| if path.is_empty() { k.to_string() } else { format!("{path}.{k}") };
    for (k, v) in d {
        match specs.iter().find(|s| s.key == *k) {
            None => out.push(Violation::UnknownKey(join(k))),
            Some(spec) => check_value(spec, v, &join(k), rule, out),
        }
    }
    for spec in specs.iter().filter(|s| s.required && (rule == Required::All || !s.conditional)) {
        if !d.contains_key(&spec.key) {
            out.push(Violation::MissingRequired(join(&spec.key)));
        }
    }
}

/// A command body `{CommandUUID, Command: {RequestType, …}}` against its command schema.
pub fn check_command(body: &Dictionary, schema: &Schema) -> Vec<Violation> {
    let mut out = Vec::new();
    for k in body.keys() {
        if k != "CommandUUID" && k != "Command" {
            out.push(Violation::UnknownKey(k.clone()));
        }
    }
    if !matches!(body.get("CommandUUID"), Some(Value::String(s)) if !s.is_empty()) {
        out.push(Violation::MissingRequired("CommandUUID".into()));
    }
    let Some(Value::Dictionary(command)) = body.get("Command") else {
        out.push(Violation::MissingRequired("Command".into()));
        return out;
    };
    let mut keys = command.clone();
    match keys.remove("RequestType") {
        Some(Value::String(t)) if Some(&t) == schema.request_type.as_ref() => {}
        Some(_) => out.push(Violation::NotInRangelist("Command.RequestType".into())),
        None => out.push(Violation::MissingRequired("Command.RequestType".into())),
    }
    check_dict(&keys, &schema.payload_keys, "Command", Required::All, &mut out);
    out.sort();
    out
}
