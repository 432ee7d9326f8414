//! Encoding a server message.
//!
//! Shape (oma-dm-protocol-support.md and the traps in our README): SyncHdr
//! mirroring the device's SessionID with *our* MsgID, Target = the device's
//! Source, Source = our URL; then a Status for the device's SyncHdr (CmdRef 0,
//! MsgRef = device MsgID, Cmd SyncHdr); then a Status per device command; then
//! our new commands; then Final. CmdIDs are assigned by the builder when a
//! status or command is added, unique within the message, starting at 1, so the
//! caller can record which CmdID carried which action before sending.

use serde::Serialize;

use super::{Command, SyncHdr, SyncMl};
use crate::xml_limits::escape;

/// SyncML Meta Format values (OMA-DM §, and the CSP docs' "Format" column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MetaFormat {
    Chr,
    Int,
    Bool,
    B64,
    Bin,
    Xml,
    Float,
    Date,
    Time,
    Node,
    Null,
}

impl MetaFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            MetaFormat::Chr => "chr",
            MetaFormat::Int => "int",
            MetaFormat::Bool => "bool",
            MetaFormat::B64 => "b64",
            MetaFormat::Bin => "bin",
            MetaFormat::Xml => "xml",
            MetaFormat::Float => "float",
            MetaFormat::Date => "date",
            MetaFormat::Time => "time",
            MetaFormat::Node => "node",
            MetaFormat::Null => "null",
        }
    }
}

/// An Item of a command we send.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OutItem {
    pub target: String,
    pub format: Option<MetaFormat>,
    pub type_: Option<String>,
    pub data: Option<String>,
}

impl OutItem {
    /// An item with only a Target (Get, Delete, Exec without data).
    pub fn target(uri: impl Into<String>) -> Self {
        Self { target: uri.into(), ..Default::default() }
    }
    /// An item with Target, Meta Format and Data (Add, Replace, Exec with data).
    pub fn with_data(uri: impl Into<String>, format: MetaFormat, data: impl Into<String>) -> Self {
        Self { target: uri.into(), format: Some(format), type_: None, data: Some(data.into()) }
    }
    /// Sets Meta Type (e.g. `text/plain`).
    pub fn with_type(mut self, type_: impl Into<String>) -> Self {
        self.type_ = Some(type_.into());
        self
    }
}

/// A command we send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutCommand {
    Get(Vec<OutItem>),
    Add(Vec<OutItem>),
    Replace(Vec<OutItem>),
    Delete(Vec<OutItem>),
    Exec(Vec<OutItem>),
    Atomic(Vec<OutCommand>),
    Sequence(Vec<OutCommand>),
}

impl OutCommand {
    pub fn name(&self) -> &'static str {
        match self {
            OutCommand::Get(_) => "Get",
            OutCommand::Add(_) => "Add",
            OutCommand::Replace(_) => "Replace",
            OutCommand::Delete(_) => "Delete",
            OutCommand::Exec(_) => "Exec",
            OutCommand::Atomic(_) => "Atomic",
            OutCommand::Sequence(_) => "Sequence",
        }
    }
}

/// What we sent: the CmdID given to a command (and to each nested one), so a
/// reply can be matched with [`super::ReplyIndex`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SentCommand {
    pub cmd_id: u32,
    pub name: &'static str,
    /// Target LocURIs of its items (empty for containers).
    pub targets: Vec<String>,
    pub children: Vec<SentCommand>,
}

impl SentCommand {
    /// This command and all nested ones, in document order.
    pub fn flatten(&self) -> Vec<&SentCommand> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(c) = stack.pop() {
            out.push(c);
            stack.extend(c.children.iter().rev());
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct OutStatus {
    cmd_id: u32,
    msg_ref: String,
    cmd_ref: String,
    cmd: String,
    target_ref: Option<String>,
    source_ref: Option<String>,
    chal_nonce_b64: Option<String>,
    code: u16,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct NumberedCommand {
    cmd_id: u32,
    kind: NumberedKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum NumberedKind {
    Items(&'static str, Vec<OutItem>),
    Container(&'static str, Vec<NumberedCommand>),
}

/// Builder for one server → device message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerMessage {
    session_id: String,
    msg_id: u32,
    target: String,
    source: String,
    next_cmd_id: u32,
    statuses: Vec<OutStatus>,
    commands: Vec<NumberedCommand>,
}

impl ServerMessage {
    /// Starts the answer to `request`: mirrors its SessionID, targets its
    /// Source, and adds the Status for its SyncHdr with `hdr_code` (200, or 212
    /// once MD5 credentials were accepted, or 401/407 with
    /// [`ServerMessage::challenge_md5`]). `msg_id` is our own per-session counter.
    pub fn reply_to(request: &SyncHdr, msg_id: u32, server_url: &str, hdr_code: u16) -> Self {
        let mut msg = Self {
            session_id: request.session_id.clone(),
            msg_id,
            target: request.source.clone().unwrap_or_default(),
            source: server_url.to_owned(),
            next_cmd_id: 1,
            statuses: Vec::new(),
            commands: Vec::new(),
        };
        let cmd_id = msg.take_id();
        msg.statuses.push(OutStatus {
            cmd_id,
            msg_ref: request.msg_id.clone(),
            cmd_ref: "0".into(),
            cmd: "SyncHdr".into(),
            target_ref: request.target.clone(),
            source_ref: request.source.clone(),
            chal_nonce_b64: None,
            code: hdr_code,
        });
        msg
    }

    /// Adds an MD5 challenge (`<Chal>` with `NextNonce`, base64) to the SyncHdr
    /// status, telling the device which nonce to use next.
    pub fn challenge_md5(&mut self, next_nonce_b64: &str) -> &mut Self {
        if let Some(s) = self.statuses.first_mut() {
            s.chal_nonce_b64 = Some(next_nonce_b64.to_owned());
        }
        self
    }

    /// Our MsgID.
    pub fn msg_id(&self) -> u32 {
        self.msg_id
    }

    fn take_id(&mut self) -> u32 {
        let id = self.next_cmd_id;
        self.next_cmd_id += 1;
        id
    }

    /// Adds a Status answering one device command. Returns its CmdID.
    pub fn status(&mut self, request_msg_id: &str, cmd: &Command, code: u16) -> u32 {
        let cmd_id = self.take_id();
        let target_ref = cmd.items().first().and_then(|i| i.target.clone());
        self.statuses.push(OutStatus {
            cmd_id,
            msg_ref: request_msg_id.to_owned(),
            cmd_ref: cmd.cmd_id().to_owned(),
            cmd: cmd.name().to_owned(),
            target_ref,
            source_ref: None,
            chal_nonce_b64: None,
            code,
        });
        cmd_id
    }

    /// Adds a Status with `code` for every command of `request` that needs one:
    /// all of them, nested ones included, except Status (OMA-DM never answers a
    /// Status with a Status).
    pub fn ack_all(&mut self, request: &SyncMl, code: u16) {
        let msg_id = request.hdr.msg_id.clone();
        for cmd in request.all_commands() {
            if !matches!(cmd, Command::Status(_)) {
                self.status(&msg_id, cmd, code);
            }
        }
    }

    fn number(&mut self, cmd: OutCommand) -> (NumberedCommand, SentCommand) {
        let cmd_id = self.take_id();
        let name = cmd.name();
        match cmd {
            OutCommand::Get(items)
            | OutCommand::Add(items)
            | OutCommand::Replace(items)
            | OutCommand::Delete(items)
            | OutCommand::Exec(items) => {
                let sent = SentCommand { cmd_id, name, targets: items.iter().map(|i| i.target.clone()).collect(), children: Vec::new() };
                (NumberedCommand { cmd_id, kind: NumberedKind::Items(name, items) }, sent)
            }
            OutCommand::Atomic(children) | OutCommand::Sequence(children) => {
                let mut numbered = Vec::with_capacity(children.len());
                let mut sent_children = Vec::with_capacity(children.len());
                for child in children {
                    let (n, s) = self.number(child);
                    numbered.push(n);
                    sent_children.push(s);
                }
                let sent = SentCommand { cmd_id, name, targets: Vec::new(), children: sent_children };
                (NumberedCommand { cmd_id, kind: NumberedKind::Container(name, numbered) }, sent)
            }
        }
    }

    /// Adds a new command (CmdIDs given to it and its children in document
    /// order) and returns what was sent, for matching the reply.
    pub fn push(&mut self, cmd: OutCommand) -> SentCommand {
        let (numbered, sent) = self.number(cmd);
        self.commands.push(numbered);
        sent
    }

    /// True when we send no new command: the device ends the session after
    /// this message (the idle check-in case).
    pub fn has_commands(&self) -> bool {
        !self.commands.is_empty()
    }

    /// The XML text of the message.
    pub fn encode(&self) -> String {
        let mut out = String::with_capacity(512 + 256 * (self.statuses.len() + self.commands.len()));
        out.push_str("<SyncML xmlns=\"SYNCML:SYNCML1.2\"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>");
        tag(&mut out, "SessionID", &self.session_id);
        tag(&mut out, "MsgID", &self.msg_id.to_string());
        out.push_str("<Target>");
        tag(&mut out, "LocURI", &self.target);
        out.push_str("</Target><Source>");
        tag(&mut out, "LocURI", &self.source);
        out.push_str("</Source></SyncHdr><SyncBody>");
        for s in &self.statuses {
            encode_status(&mut out, s);
        }
        for c in &self.commands {
            encode_command(&mut out, c);
        }
        out.push_str("<Final/></SyncBody></SyncML>");
        out
    }
}

fn tag(out: &mut String, name: &str, value: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    out.push_str(&escape(value));
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

fn meta_tag(out: &mut String, name: &str, value: &str) {
    out.push('<');
    out.push_str(name);
    out.push_str(" xmlns=\"syncml:metinf\">");
    out.push_str(&escape(value));
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

fn encode_status(out: &mut String, s: &OutStatus) {
    out.push_str("<Status>");
    tag(out, "CmdID", &s.cmd_id.to_string());
    tag(out, "MsgRef", &s.msg_ref);
    tag(out, "CmdRef", &s.cmd_ref);
    tag(out, "Cmd", &s.cmd);
    if let Some(t) = &s.target_ref {
        tag(out, "TargetRef", t);
    }
    if let Some(src) = &s.source_ref {
        tag(out, "SourceRef", src);
    }
    if let Some(nonce) = &s.chal_nonce_b64 {
        out.push_str("<Chal><Meta>");
        meta_tag(out, "Format", "b64");
        meta_tag(out, "Type", super::auth::AUTH_MD5);
        meta_tag(out, "NextNonce", nonce);
        out.push_str("</Meta></Chal>");
    }
    tag(out, "Data", &s.code.to_string());
    out.push_str("</Status>");
}

fn encode_command(out: &mut String, c: &NumberedCommand) {
    match &c.kind {
        NumberedKind::Items(name, items) => {
            out.push('<');
            out.push_str(name);
            out.push('>');
            tag(out, "CmdID", &c.cmd_id.to_string());
            for item in items {
                out.push_str("<Item><Target>");
                tag(out, "LocURI", &item.target);
                out.push_str("</Target>");
                if item.format.is_some() || item.type_.is_some() {
                    out.push_str("<Meta>");
                    if let Some(f) = item.format {
                        meta_tag(out, "Format", f.as_str());
                    }
                    if let Some(t) = &item.type_ {
                        meta_tag(out, "Type", t);
                    }
                    out.push_str("</Meta>");
                }
                if let Some(d) = &item.data {
                    tag(out, "Data", d);
                }
                out.push_str("</Item>");
            }
            out.push_str("</");
            out.push_str(name);
            out.push('>');
        }
        NumberedKind::Container(name, children) => {
            out.push('<');
            out.push_str(name);
            out.push('>');
            tag(out, "CmdID", &c.cmd_id.to_string());
            for child in children {
                encode_command(out, child);
            }
            out.push_str("</");
            out.push_str(name);
            out.push('>');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syncml::decode;

    fn device_hdr() -> SyncHdr {
        SyncHdr {
            session_id: "1A".into(),
            msg_id: "3".into(),
            target: Some("https://mdm.example/dm".into()),
            source: Some("DEV-1".into()),
            ..Default::default()
        }
    }

    #[test]
    fn header_status_first_ids_unique_and_final() {
        let mut m = ServerMessage::reply_to(&device_hdr(), 7, "https://mdm.example/dm", 200);
        let sent = m.push(OutCommand::Sequence(vec![
            OutCommand::Exec(vec![OutItem::target("./A")]),
            OutCommand::Get(vec![OutItem::target("./B")]),
        ]));
        assert_eq!(sent.cmd_id, 2);
        let ids: Vec<u32> = sent.flatten().iter().map(|c| c.cmd_id).collect();
        assert_eq!(ids, [2, 3, 4]);

        let xml = m.encode();
        let back = decode(xml.as_bytes()).unwrap();
        assert_eq!(back.hdr.session_id, "1A");
        assert_eq!(back.hdr.msg_id, "7");
        assert_eq!(back.hdr.target.as_deref(), Some("DEV-1"));
        assert_eq!(back.hdr.source.as_deref(), Some("https://mdm.example/dm"));
        assert!(back.is_final);
        let Command::Status(s) = &back.body[0] else { panic!("first must be Status") };
        assert_eq!((s.cmd_ref.as_str(), s.msg_ref.as_deref(), s.cmd.as_str()), ("0", Some("3"), "SyncHdr"));
        assert_eq!(s.code(), Some(200));
        let all: Vec<&str> = back.all_commands().iter().map(|c| c.cmd_id()).collect();
        assert_eq!(all, ["1", "2", "3", "4"]);
    }

    #[test]
    fn statuses_come_before_new_commands_even_if_added_later() {
        let mut m = ServerMessage::reply_to(&device_hdr(), 2, "u", 200);
        m.push(OutCommand::Get(vec![OutItem::target("./DevInfo/Mod")]));
        let dev = Command::Alert(crate::syncml::Alert { cmd_id: "1".into(), data: "1201".into(), items: vec![] });
        m.status("3", &dev, 200);
        let back = decode(m.encode().as_bytes()).unwrap();
        let names: Vec<&str> = back.body.iter().map(|c| c.name()).collect();
        assert_eq!(names, ["Status", "Status", "Get"]);
        let Command::Status(s) = &back.body[1] else { panic!() };
        assert_eq!((s.cmd_ref.as_str(), s.cmd.as_str()), ("1", "Alert"));
        // CmdIDs unique though assigned out of document order.
        let mut ids: Vec<&str> = back.all_commands().iter().map(|c| c.cmd_id()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 3);
    }

    #[test]
    fn escapes_data_and_carries_meta() {
        let mut m = ServerMessage::reply_to(&device_hdr(), 2, "u", 200);
        let evil = "<x>&amp;\"]]></Data></Item>";
        m.push(OutCommand::Replace(vec![OutItem::with_data("./Vendor/MSFT/X", MetaFormat::Xml, evil).with_type("text/plain")]));
        let back = decode(m.encode().as_bytes()).unwrap();
        let Command::Replace(r) = &back.body[1] else { panic!() };
        assert_eq!(r.items[0].data.as_deref(), Some(evil));
        assert_eq!(r.items[0].meta.format.as_deref(), Some("xml"));
        assert_eq!(r.items[0].meta.type_.as_deref(), Some("text/plain"));
        assert_eq!(r.items[0].target.as_deref(), Some("./Vendor/MSFT/X"));
    }

    #[test]
    fn challenge_and_idle_message() {
        let mut m = ServerMessage::reply_to(&device_hdr(), 1, "u", 401);
        m.challenge_md5("bm9uY2U=");
        assert!(!m.has_commands());
        let back = decode(m.encode().as_bytes()).unwrap();
        let Command::Status(s) = &back.body[0] else { panic!() };
        assert_eq!(s.code(), Some(401));
        let chal = s.chal.as_ref().unwrap();
        assert_eq!(chal.next_nonce.as_deref(), Some("bm9uY2U="));
        assert_eq!(chal.type_.as_deref(), Some("syncml:auth-md5"));
    }
}
