//! The simulator's own SyncML writer for device → server messages.
//!
//! Written independently of the server codec's encoder on purpose: a bug in
//! that encoder must not be mirrored here.

/// One item of a device command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevItem {
    pub source: String,
    pub format: Option<String>,
    pub type_: Option<String>,
    pub data: Option<String>,
}

impl DevItem {
    pub fn new(source: impl Into<String>, format: Option<&str>, data: impl Into<String>) -> Self {
        Self { source: source.into(), format: format.map(str::to_owned), type_: None, data: Some(data.into()) }
    }
}

/// A command the device sends. CmdIDs are given by [`DeviceMessage::to_xml`]
/// in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DevCommand {
    /// Status answering one server command (or the SyncHdr with cmd_ref "0").
    Status { msg_ref: String, cmd_ref: String, cmd: String, target_ref: Option<String>, code: u16 },
    /// Results answering a Get.
    Results { msg_ref: String, cmd_ref: String, items: Vec<DevItem> },
    /// Alert (1201 client-initiated session, 1224, 1226 …).
    Alert { code: u16, items: Vec<DevItem> },
    /// Replace (the DevInfo report of the first package).
    Replace { items: Vec<DevItem> },
}

impl DevCommand {
    pub fn status_code(&self) -> Option<u16> {
        match self {
            DevCommand::Status { code, .. } => Some(*code),
            _ => None,
        }
    }
}

/// MD5 credential for the SyncHdr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevCred {
    /// base64 digest.
    pub digest_b64: String,
}

/// One device → server message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceMessage {
    pub session_id: String,
    pub msg_id: u32,
    /// The management server URL.
    pub target: String,
    /// The DeviceID.
    pub source: String,
    pub cred: Option<DevCred>,
    pub max_msg_size: Option<u32>,
    pub commands: Vec<DevCommand>,
}

pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn el(out: &mut String, name: &str, value: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    out.push_str(&escape(value));
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

fn write_items(out: &mut String, items: &[DevItem]) {
    for i in items {
        out.push_str("<Item><Source><LocURI>");
        out.push_str(&escape(&i.source));
        out.push_str("</LocURI></Source>");
        if i.format.is_some() || i.type_.is_some() {
            out.push_str("<Meta>");
            if let Some(f) = &i.format {
                out.push_str(&format!("<Format xmlns=\"syncml:metinf\">{}</Format>", escape(f)));
            }
            if let Some(t) = &i.type_ {
                out.push_str(&format!("<Type xmlns=\"syncml:metinf\">{}</Type>", escape(t)));
            }
            out.push_str("</Meta>");
        }
        if let Some(d) = &i.data {
            el(out, "Data", d);
        }
        out.push_str("</Item>");
    }
}

impl DeviceMessage {
    /// The XML text, with `<Final/>`.
    pub fn to_xml(&self) -> String {
        let mut o = String::with_capacity(1024);
        o.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<SyncML xmlns=\"SYNCML:SYNCML1.2\"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>");
        el(&mut o, "SessionID", &self.session_id);
        el(&mut o, "MsgID", &self.msg_id.to_string());
        o.push_str("<Target>");
        el(&mut o, "LocURI", &self.target);
        o.push_str("</Target><Source>");
        el(&mut o, "LocURI", &self.source);
        o.push_str("</Source>");
        if let Some(c) = &self.cred {
            o.push_str(
                "<Cred><Meta><Format xmlns=\"syncml:metinf\">b64</Format><Type xmlns=\"syncml:metinf\">syncml:auth-md5</Type></Meta>",
            );
            el(&mut o, "Data", &c.digest_b64);
            o.push_str("</Cred>");
        }
        if let Some(m) = self.max_msg_size {
            o.push_str(&format!("<Meta><MaxMsgSize xmlns=\"syncml:metinf\">{m}</MaxMsgSize></Meta>"));
        }
        o.push_str("</SyncHdr><SyncBody>");
        for (n, cmd) in self.commands.iter().enumerate() {
            let id = (n + 1).to_string();
            match cmd {
                DevCommand::Status { msg_ref, cmd_ref, cmd, target_ref, code } => {
                    o.push_str("<Status>");
                    el(&mut o, "CmdID", &id);
                    el(&mut o, "MsgRef", msg_ref);
                    el(&mut o, "CmdRef", cmd_ref);
                    el(&mut o, "Cmd", cmd);
                    if let Some(t) = target_ref {
                        el(&mut o, "TargetRef", t);
                    }
                    el(&mut o, "Data", &code.to_string());
                    o.push_str("</Status>");
                }
                DevCommand::Results { msg_ref, cmd_ref, items } => {
                    o.push_str("<Results>");
                    el(&mut o, "CmdID", &id);
                    el(&mut o, "MsgRef", msg_ref);
                    el(&mut o, "CmdRef", cmd_ref);
                    write_items(&mut o, items);
                    o.push_str("</Results>");
                }
                DevCommand::Alert { code, items } => {
                    o.push_str("<Alert>");
                    el(&mut o, "CmdID", &id);
                    el(&mut o, "Data", &code.to_string());
                    write_items(&mut o, items);
                    o.push_str("</Alert>");
                }
                DevCommand::Replace { items } => {
                    o.push_str("<Replace>");
                    el(&mut o, "CmdID", &id);
                    write_items(&mut o, items);
                    o.push_str("</Replace>");
                }
            }
        }
        o.push_str("<Final/></SyncBody></SyncML>");
        o
    }
}
