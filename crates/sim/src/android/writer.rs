//! The simulator's own JSON writer for agent → server messages, written independently of the
//! server's decoders (no shared types), so a field-name bug cannot hide on both sides.

/// A JSON value as the agent writes it.
#[derive(Clone, Debug)]
pub enum Json {
    Str(String),
    Num(i64),
    Bool(bool),
    Null,
    Obj(Vec<(&'static str, Json)>),
}

impl Json {
    pub fn str(s: impl Into<String>) -> Json {
        Json::Str(s.into())
    }
    pub fn opt(s: Option<&str>) -> Json {
        s.map_or(Json::Null, Json::str)
    }

    pub fn write(&self) -> String {
        let mut out = String::new();
        self.write_into(&mut out);
        out
    }

    fn write_into(&self, out: &mut String) {
        match self {
            Json::Str(s) => escape(s, out),
            Json::Num(n) => out.push_str(&n.to_string()),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Null => out.push_str("null"),
            Json::Obj(fields) => {
                out.push('{');
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    escape(k, out);
                    out.push(':');
                    v.write_into(out);
                }
                out.push('}');
            }
        }
    }
}

/// RFC 8259 string escaping.
fn escape(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_what_serde_json_reads() {
        let v = Json::Obj(vec![
            ("a", Json::str("q\"uo\\te\n\u{1}")),
            ("n", Json::Num(-3)),
            ("b", Json::Bool(true)),
            ("z", Json::Null),
            ("o", Json::Obj(vec![("x", Json::str("é"))])),
        ]);
        let parsed: serde_json::Value = serde_json::from_str(&v.write()).unwrap();
        assert_eq!(parsed, serde_json::json!({"a": "q\"uo\\te\n\u{1}", "n": -3, "b": true, "z": null, "o": {"x": "é"}}));
    }
}
