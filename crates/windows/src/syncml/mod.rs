//! OMA-DM 1.2 (SyncML) as Windows speaks it.
//!
//! - [`parse`]: device message → [`SyncMl`].
//! - [`encode`]: [`ServerMessage`] builder → XML, with CmdIDs assigned in order.
//! - [`reply`]: the Status/Results of every command we sent, nested ones included.
//! - [`auth`]: `syncml:auth-md5` digest.
//! - [`commands`]: the commands the product sends (RemoteLock, RemoteWipe, Get).

pub mod auth;
pub mod commands;
pub mod encode;
pub mod parse;
pub mod reply;

pub use encode::{MetaFormat, OutCommand, OutItem, SentCommand, ServerMessage};
pub use parse::{decode, decode_with, DecodeError};
pub use reply::{CommandReply, ReplyIndex};

use serde::Serialize;

/// A decoded SyncML message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SyncMl {
    pub hdr: SyncHdr,
    /// Commands of the SyncBody in document order (Final excluded).
    pub body: Vec<Command>,
    /// `<Final/>` present: the sender's package is complete.
    pub is_final: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SyncHdr {
    pub ver_dtd: String,
    pub ver_proto: String,
    pub session_id: String,
    pub msg_id: String,
    /// Target LocURI (the server URL, in a device message).
    pub target: Option<String>,
    /// Source LocURI (the device id, in a device message).
    pub source: Option<String>,
    /// Source LocName: the user name for MD5 auth.
    pub source_loc_name: Option<String>,
    pub cred: Option<Cred>,
    pub meta: Meta,
}

/// `<Cred>`: authentication credential of the message's originator.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Cred {
    pub meta: Meta,
    pub data: String,
}

/// `<Meta>` (namespace `syncml:metinf`, ignored on decode).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Meta {
    pub format: Option<String>,
    pub type_: Option<String>,
    pub max_msg_size: Option<u64>,
    pub next_nonce: Option<String>,
}

impl Meta {
    pub fn is_empty(&self) -> bool {
        self == &Meta::default()
    }
}

/// An `<Item>`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Item {
    pub source: Option<String>,
    pub target: Option<String>,
    pub meta: Meta,
    pub data: Option<String>,
}

/// `<Status>`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Status {
    pub cmd_id: String,
    pub msg_ref: Option<String>,
    pub cmd_ref: String,
    pub cmd: String,
    pub target_refs: Vec<String>,
    pub source_refs: Vec<String>,
    /// `<Chal><Meta>…</Meta></Chal>`, an MD5 challenge with the next nonce.
    pub chal: Option<Meta>,
    /// The status code text as sent (see [`Status::code`]).
    pub data: String,
    pub items: Vec<Item>,
}

impl Status {
    /// The numeric status code, if the device sent a number.
    pub fn code(&self) -> Option<u16> {
        self.data.trim().parse().ok()
    }
    pub fn outcome(&self) -> crate::status::StatusOutcome {
        crate::status::classify_text(&self.data)
    }
}

/// `<Results>`: the answer to a Get.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Results {
    pub cmd_id: String,
    pub msg_ref: Option<String>,
    pub cmd_ref: String,
    pub meta: Meta,
    pub items: Vec<Item>,
}

/// `<Alert>`: 1201 (client-initiated session), 1224 (device alert),
/// 1226 (generic alert, e.g. unenrollment) …
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Alert {
    pub cmd_id: String,
    pub data: String,
    pub items: Vec<Item>,
}

/// Alert type of the user-requested unenrollment generic alert (1226).
pub const UNENROLLMENT_ALERT_TYPE: &str = "com.microsoft:mdm.unenrollment.userrequest";

impl Alert {
    pub fn code(&self) -> Option<u16> {
        self.data.trim().parse().ok()
    }
    /// True for the 1226 generic alert of type
    /// `com.microsoft:mdm.unenrollment.userrequest` on any item.
    pub fn is_unenrollment(&self) -> bool {
        self.code() == Some(1226) && self.items.iter().any(|i| i.meta.type_.as_deref() == Some(UNENROLLMENT_ALERT_TYPE))
    }
}

/// Add / Replace / Get / Delete / Exec.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ItemCommand {
    pub cmd_id: String,
    pub meta: Meta,
    pub items: Vec<Item>,
}

/// Atomic / Sequence.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Container {
    pub cmd_id: String,
    pub commands: Vec<Command>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "cmd")]
pub enum Command {
    Status(Status),
    Results(Results),
    Alert(Alert),
    Add(ItemCommand),
    Replace(ItemCommand),
    Get(ItemCommand),
    Delete(ItemCommand),
    Exec(ItemCommand),
    Atomic(Container),
    Sequence(Container),
    /// An element we do not model (kept so the server can answer it with 406/400).
    Unknown {
        name: String,
        cmd_id: String,
    },
}

impl Command {
    /// The SyncML element name, as used in a Status `<Cmd>`.
    pub fn name(&self) -> &str {
        match self {
            Command::Status(_) => "Status",
            Command::Results(_) => "Results",
            Command::Alert(_) => "Alert",
            Command::Add(_) => "Add",
            Command::Replace(_) => "Replace",
            Command::Get(_) => "Get",
            Command::Delete(_) => "Delete",
            Command::Exec(_) => "Exec",
            Command::Atomic(_) => "Atomic",
            Command::Sequence(_) => "Sequence",
            Command::Unknown { name, .. } => name,
        }
    }

    pub fn cmd_id(&self) -> &str {
        match self {
            Command::Status(s) => &s.cmd_id,
            Command::Results(r) => &r.cmd_id,
            Command::Alert(a) => &a.cmd_id,
            Command::Add(c) | Command::Replace(c) | Command::Get(c) | Command::Delete(c) | Command::Exec(c) => &c.cmd_id,
            Command::Atomic(c) | Command::Sequence(c) => &c.cmd_id,
            Command::Unknown { cmd_id, .. } => cmd_id,
        }
    }

    /// Items of the command (empty for containers and unknown commands).
    pub fn items(&self) -> &[Item] {
        match self {
            Command::Status(s) => &s.items,
            Command::Results(r) => &r.items,
            Command::Alert(a) => &a.items,
            Command::Add(c) | Command::Replace(c) | Command::Get(c) | Command::Delete(c) | Command::Exec(c) => &c.items,
            Command::Atomic(_) | Command::Sequence(_) | Command::Unknown { .. } => &[],
        }
    }
}

impl SyncMl {
    /// Every command in document order, descending into Atomic/Sequence
    /// (the container itself comes before its children). Iterative.
    pub fn all_commands(&self) -> Vec<&Command> {
        let mut out = Vec::new();
        let mut stack: Vec<&Command> = self.body.iter().rev().collect();
        while let Some(cmd) = stack.pop() {
            out.push(cmd);
            if let Command::Atomic(c) | Command::Sequence(c) = cmd {
                stack.extend(c.commands.iter().rev());
            }
        }
        out
    }

    /// The 1226 unenrollment alert, if the device sent one.
    pub fn unenrollment_alert(&self) -> Option<&Alert> {
        self.all_commands().into_iter().find_map(|c| match c {
            Command::Alert(a) if a.is_unenrollment() => Some(a),
            _ => None,
        })
    }

    /// Data of the first Replace/Results item whose Source LocURI is `uri`
    /// (e.g. `./DevInfo/DevId` in the device's first package).
    pub fn item_data(&self, uri: &str) -> Option<&str> {
        self.all_commands()
            .into_iter()
            .filter(|c| matches!(c, Command::Replace(_) | Command::Results(_) | Command::Add(_)))
            .flat_map(|c| c.items())
            .find(|i| i.source.as_deref() == Some(uri))
            .and_then(|i| i.data.as_deref())
    }
}
