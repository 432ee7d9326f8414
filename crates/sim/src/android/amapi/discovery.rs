//! Checking requests against Google's discovery document of the Android Management API
//! (`specs/android/androidmanagement.v1.json`, copied unchanged): the method is found by HTTP
//! method and path template, every query parameter must be declared, and the body must use only
//! the schema's property names (recursively, `$ref`s followed), with values of the declared
//! type and enum. A request pinreset builds wrongly is refused here the way Google would.

use serde_json::Value;
use std::sync::OnceLock;

const DOCUMENT: &str = include_str!("../../../specs/android/androidmanagement.v1.json");

enum Segment {
    Literal(String),
    Variable,
    /// `{devicesId}:issueCommand`.
    VariableWithVerb(String),
}

pub struct Method {
    /// e.g. `androidmanagement.enterprises.devices.issueCommand`.
    pub id: String,
    http_method: String,
    segments: Vec<Segment>,
    request: Option<String>,
    parameters: Value,
}

pub struct Discovery {
    doc: Value,
    methods: Vec<Method>,
}

pub fn discovery() -> &'static Discovery {
    static DISCOVERY: OnceLock<Discovery> = OnceLock::new();
    DISCOVERY.get_or_init(|| Discovery::parse(DOCUMENT))
}

fn collect(resource: &Value, out: &mut Vec<Method>) {
    for m in resource["methods"].as_object().into_iter().flat_map(|m| m.values()) {
        let path = m["flatPath"].as_str().or(m["path"].as_str()).unwrap_or_default();
        let segments = path
            .split('/')
            .map(|s| match (s.starts_with('{'), s.split_once("}:")) {
                (true, Some((_, verb))) => Segment::VariableWithVerb(verb.to_string()),
                (true, None) => Segment::Variable,
                _ => Segment::Literal(s.to_string()),
            })
            .collect();
        out.push(Method {
            id: m["id"].as_str().unwrap_or_default().to_string(),
            http_method: m["httpMethod"].as_str().unwrap_or_default().to_string(),
            segments,
            request: m["request"]["$ref"].as_str().map(str::to_string),
            parameters: m["parameters"].clone(),
        });
    }
    for r in resource["resources"].as_object().into_iter().flat_map(|r| r.values()) {
        collect(r, out);
    }
}

impl Method {
    fn matches(&self, http_method: &str, path: &[&str]) -> bool {
        self.http_method == http_method
            && self.segments.len() == path.len()
            && self.segments.iter().zip(path).all(|(s, p)| match s {
                Segment::Literal(l) => l == p,
                Segment::Variable => !p.is_empty() && !p.contains(':'),
                Segment::VariableWithVerb(verb) => p.rsplit_once(':').is_some_and(|(id, v)| !id.is_empty() && v == verb),
            })
    }
}

impl Discovery {
    fn parse(text: &str) -> Self {
        let doc: Value = serde_json::from_str(text).expect("the discovery document is JSON");
        let mut methods = Vec::new();
        collect(&doc, &mut methods);
        Discovery { doc, methods }
    }

    /// The method a request calls, or why the request is not one the API has. `path` starts
    /// with `/v1/…`; `query` is the decoded query string; `body` the JSON body (None: empty).
    pub fn check(&self, http_method: &str, path: &str, query: &[(String, String)], body: Option<&Value>) -> Result<&Method, String> {
        let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let method = self
            .methods
            .iter()
            .find(|m| m.matches(http_method, &parts))
            .ok_or_else(|| format!("{http_method} {path} is no method of the Android Management API"))?;
        for (name, value) in query {
            let declared = method.parameters.get(name).filter(|p| p["location"] == "query").or_else(|| self.doc["parameters"].get(name));
            let Some(declared) = declared else {
                return Err(format!("{}: query parameter \"{name}\" is not declared", method.id));
            };
            let mut problems = Vec::new();
            check_value(self, declared, &Value::String(value.clone()), name, &mut problems);
            if let Some(p) = problems.into_iter().next() {
                return Err(format!("{}: {p}", method.id));
            }
        }
        match (&method.request, body) {
            (None, Some(b)) if !b.as_object().is_some_and(|o| o.is_empty()) => Err(format!("{} takes no request body", method.id)),
            (Some(schema), Some(b)) => {
                let mut problems = Vec::new();
                check_value(self, &serde_json::json!({ "$ref": schema }), b, "body", &mut problems);
                match problems.into_iter().next() {
                    Some(p) => Err(format!("{}: {p}", method.id)),
                    None => Ok(method),
                }
            }
            _ => Ok(method),
        }
    }

    fn schema(&self, name: &str) -> &Value {
        &self.doc["schemas"][name]
    }
}

/// Checks `value` against `schema`, pushing what is wrong (at the field's dotted path).
fn check_value(d: &Discovery, schema: &Value, value: &Value, at: &str, problems: &mut Vec<String>) {
    if let Some(name) = schema["$ref"].as_str() {
        return check_value(d, d.schema(name), value, at, problems);
    }
    let kind = schema["type"].as_str().unwrap_or("any");
    match kind {
        "object" => {
            let Some(fields) = value.as_object() else { return problems.push(format!("{at} must be an object")) };
            let properties = schema["properties"].as_object();
            let additional = schema.get("additionalProperties");
            for (k, v) in fields {
                let field_at = format!("{at}.{k}");
                match (properties.and_then(|p| p.get(k)), additional) {
                    (Some(s), _) => check_value(d, s, v, &field_at, problems),
                    (None, Some(s)) => check_value(d, s, v, &field_at, problems),
                    (None, None) => problems.push(format!("{field_at} is not a field of the schema")),
                }
            }
        }
        "array" => match value.as_array() {
            Some(items) => items.iter().enumerate().for_each(|(i, v)| check_value(d, &schema["items"], v, &format!("{at}[{i}]"), problems)),
            None => problems.push(format!("{at} must be an array")),
        },
        "string" => match value.as_str() {
            Some(s) => {
                if let Some(allowed) = schema["enum"].as_array() {
                    if !allowed.iter().any(|a| a == s) {
                        problems.push(format!("{at}: \"{s}\" is not one of the enum's values"));
                    }
                }
            }
            None => problems.push(format!("{at} must be a string")),
        },
        "boolean" if !value.is_boolean() && value.as_str().is_none_or(|s| s != "true" && s != "false") => {
            problems.push(format!("{at} must be a boolean"))
        }
        "integer" if !value.is_i64() && !value.is_u64() && value.as_str().is_none_or(|s| s.parse::<i64>().is_err()) => {
            problems.push(format!("{at} must be an integer"))
        }
        "number" if !value.is_number() => problems.push(format!("{at} must be a number")),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ISSUE: &str = "/v1/enterprises/LC00x/devices/d1:issueCommand";

    #[test]
    fn a_correct_reset_command_passes() {
        let body = json!({ "type": "RESET_PASSWORD", "newPassword": "Kp4mRt7x", "resetPasswordFlags": ["REQUIRE_ENTRY", "LOCK_NOW"], "duration": "600s" });
        let m = discovery().check("POST", ISSUE, &[], Some(&body)).unwrap();
        assert_eq!(m.id, "androidmanagement.enterprises.devices.issueCommand");
        let m = discovery()
            .check("GET", "/v1/enterprises/LC00x/devices", &[("pageSize".into(), "100".into()), ("pageToken".into(), "2".into())], None)
            .unwrap();
        assert_eq!(m.id, "androidmanagement.enterprises.devices.list");
        let m = discovery().check("GET", "/v1/enterprises/LC00x/devices/d1/operations/7", &[], None).unwrap();
        assert_eq!(m.id, "androidmanagement.enterprises.devices.operations.get");
    }

    #[test]
    fn a_wrong_field_name_or_enum_value_is_caught() {
        let wrong_name = json!({ "type": "RESET_PASSWORD", "newPassword": "x", "resetPasswordFlag": ["LOCK_NOW"] });
        let e = discovery().check("POST", ISSUE, &[], Some(&wrong_name)).err().unwrap();
        assert!(e.contains("body.resetPasswordFlag is not a field"), "{e}");
        let wrong_enum = json!({ "type": "RESET_PASSWORD", "resetPasswordFlags": ["LOCK_IMMEDIATELY"] });
        let e = discovery().check("POST", ISSUE, &[], Some(&wrong_enum)).err().unwrap();
        assert!(e.contains("body.resetPasswordFlags[0]: \"LOCK_IMMEDIATELY\" is not one of"), "{e}");
        let wrong_type = json!({ "type": "RESET", "duration": "600s" });
        assert!(discovery().check("POST", ISSUE, &[], Some(&wrong_type)).err().unwrap().contains("\"RESET\""));
        let nested = json!({ "type": "WIPE", "wipeParams": { "wipeDataFlag": [] } });
        assert!(discovery().check("POST", ISSUE, &[], Some(&nested)).err().unwrap().contains("body.wipeParams.wipeDataFlag"));
    }

    #[test]
    fn unknown_paths_methods_and_parameters_are_caught() {
        assert!(discovery().check("POST", "/v1/enterprises/LC00x/devices/d1:resetPassword", &[], None).is_err());
        assert!(discovery().check("PUT", "/v1/enterprises/LC00x/devices/d1", &[], None).is_err());
        assert!(discovery().check("GET", "/v1/enterprises/LC00x/devices", &[("page_size".into(), "1".into())], None).is_err());
        assert!(discovery().check("GET", "/v1/enterprises/LC00x/devices/d1", &[], Some(&json!({"x": 1}))).is_err());
        // Global parameters are declared for every method.
        assert!(discovery().check("GET", "/v1/enterprises/LC00x/devices/d1", &[("prettyPrint".into(), "false".into())], None).is_ok());
    }
}
