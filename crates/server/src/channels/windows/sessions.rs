//! What a management session remembers between its messages: our message counter, the
//! device's last MsgID and the commands still waiting for the device's Status. Kept in the
//! store (`dm_sessions`), so a session's next message may reach any instance behind a load
//! balancer and still find the commands it answers: no sticky sessions needed, and no command
//! sent twice because a message changed instances. Only a session that sent commands is
//! written (an idle session's single message reads and writes nothing here), and only a
//! message after a session's first (MsgID > 1) reads. A session that dies loses nothing
//! either: an action stays `delivered` until the device answers and is handed out again in
//! the next session.

use crate::error::AppError;
use crate::state::AppState;
use pinreset_core::profile::ProfileId;
use pinreset_core::{ActionId, ActionKind, DeviceId};
use pinreset_windows::syncml::{MetaFormat, OutItem, SentCommand};
use serde::{Deserialize, Serialize};

/// A session idle for longer than this is forgotten.
const SESSION_TTL: chrono::Duration = chrono::Duration::minutes(10);

/// Why we sent a command, so its Status lands in the right place.
#[derive(Clone, Debug)]
pub enum Purpose {
    Action {
        id: ActionId,
        kind: ActionKind,
    },
    /// The profile's setting as the admin wrote it (before `{tenantId}` was filled in).
    Setting {
        profile: ProfileId,
        version: u32,
        oma_uri: String,
        /// What was put on the wire, to send again as a Replace when the Add met an existing node.
        item: OutItem,
    },
}

#[derive(Clone, Debug)]
pub struct Outstanding {
    pub msg_id: u32,
    pub sent: SentCommand,
    pub purpose: Purpose,
}

#[derive(Debug)]
pub struct Session {
    pub next_msg_id: u32,
    /// The device's last MsgID in this session: each message must carry a higher one.
    pub last_device_msg_id: u32,
    pub outstanding: Vec<Outstanding>,
    /// Saved in the store (so its end must delete it).
    stored: bool,
}

impl Default for Session {
    fn default() -> Self {
        Session { next_msg_id: 1, last_device_msg_id: 0, outstanding: Vec::new(), stored: false }
    }
}

/// The store's side of the sessions (stateless: every instance reads the same rows).
#[derive(Default)]
pub struct Sessions;

impl Sessions {
    /// The session this message belongs to: a new one for a session's first message, else
    /// what the previous message (on whichever instance) saved.
    pub async fn take(&self, state: &AppState, device: DeviceId, session_id: &str, msg_id: u32) -> Result<Session, AppError> {
        if msg_id <= 1 {
            return Ok(Session::default());
        }
        let Some(doc) = state.store.dm_session(device, session_id, state.clock.now()).await? else { return Ok(Session::default()) };
        match serde_json::from_str::<Stored>(&doc) {
            Ok(stored) => Ok(stored.into_session()),
            Err(e) => {
                // Written by a version that spelled it otherwise: start afresh (the commands
                // awaiting a Status are handed out again in the next session).
                tracing::warn!(error = %e, "a stored OMA-DM session does not decode; started afresh");
                Ok(Session { stored: true, ..Session::default() })
            }
        }
    }

    /// The session goes on (we sent commands): saved before the answer leaves, so the
    /// device's next message finds it on any instance.
    pub async fn put(&self, state: &AppState, device: DeviceId, session_id: &str, session: &mut Session) -> Result<(), AppError> {
        let doc = serde_json::to_string(&Stored::of(session)).expect("a session serializes");
        state.store.save_dm_session(device, session_id, &doc, state.clock.now() + SESSION_TTL).await?;
        session.stored = true;
        Ok(())
    }

    /// The session ended (we sent nothing more).
    pub async fn end(&self, state: &AppState, device: DeviceId, session_id: &str, session: &Session) -> Result<(), AppError> {
        if session.stored {
            state.store.end_dm_session(device, session_id).await?;
        }
        Ok(())
    }
}

// ---- the stored form (the codec's types borrow static names; these own theirs)

#[derive(Serialize, Deserialize)]
struct Stored {
    next_msg_id: u32,
    last_device_msg_id: u32,
    outstanding: Vec<StoredOutstanding>,
}

#[derive(Serialize, Deserialize)]
struct StoredOutstanding {
    msg_id: u32,
    sent: StoredSent,
    #[serde(flatten)]
    purpose: StoredPurpose,
}

#[derive(Serialize, Deserialize)]
struct StoredSent {
    cmd_id: u32,
    name: String,
    targets: Vec<String>,
    children: Vec<StoredSent>,
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "purpose", rename_all = "snake_case")]
enum StoredPurpose {
    Action { action_id: ActionId, kind: ActionKind },
    Setting { profile: ProfileId, version: u32, oma_uri: String, item: StoredItem },
}

#[derive(Serialize, Deserialize)]
struct StoredItem {
    target: String,
    format: Option<String>,
    type_: Option<String>,
    data: Option<String>,
}

/// The command names the codec sends (`SentCommand::name` is one of them).
const COMMAND_NAMES: [&str; 7] = ["Get", "Add", "Replace", "Delete", "Exec", "Atomic", "Sequence"];
const FORMATS: [MetaFormat; 11] = [
    MetaFormat::Chr,
    MetaFormat::Int,
    MetaFormat::Bool,
    MetaFormat::B64,
    MetaFormat::Bin,
    MetaFormat::Xml,
    MetaFormat::Float,
    MetaFormat::Date,
    MetaFormat::Time,
    MetaFormat::Node,
    MetaFormat::Null,
];

impl Stored {
    fn of(s: &Session) -> Self {
        Stored {
            next_msg_id: s.next_msg_id,
            last_device_msg_id: s.last_device_msg_id,
            outstanding: s
                .outstanding
                .iter()
                .map(|o| StoredOutstanding {
                    msg_id: o.msg_id,
                    sent: StoredSent::of(&o.sent),
                    purpose: match &o.purpose {
                        Purpose::Action { id, kind } => StoredPurpose::Action { action_id: *id, kind: *kind },
                        Purpose::Setting { profile, version, oma_uri, item } => StoredPurpose::Setting {
                            profile: *profile,
                            version: *version,
                            oma_uri: oma_uri.clone(),
                            item: StoredItem {
                                target: item.target.clone(),
                                format: item.format.map(|f| f.as_str().to_owned()),
                                type_: item.type_.clone(),
                                data: item.data.clone(),
                            },
                        },
                    },
                })
                .collect(),
        }
    }

    fn into_session(self) -> Session {
        let outstanding = self
            .outstanding
            .into_iter()
            .map(|o| Outstanding {
                msg_id: o.msg_id,
                sent: o.sent.into_sent(),
                purpose: match o.purpose {
                    StoredPurpose::Action { action_id, kind } => Purpose::Action { id: action_id, kind },
                    StoredPurpose::Setting { profile, version, oma_uri, item } => Purpose::Setting {
                        profile,
                        version,
                        oma_uri,
                        item: OutItem {
                            target: item.target,
                            format: item.format.and_then(|f| FORMATS.into_iter().find(|m| m.as_str() == f)),
                            type_: item.type_,
                            data: item.data,
                        },
                    },
                },
            })
            .collect();
        Session { next_msg_id: self.next_msg_id, last_device_msg_id: self.last_device_msg_id, outstanding, stored: true }
    }
}

impl StoredSent {
    fn of(s: &SentCommand) -> Self {
        StoredSent {
            cmd_id: s.cmd_id,
            name: s.name.to_owned(),
            targets: s.targets.clone(),
            children: s.children.iter().map(Self::of).collect(),
        }
    }

    fn into_sent(self) -> SentCommand {
        let name = COMMAND_NAMES.into_iter().find(|n| *n == self.name).unwrap_or("Exec");
        SentCommand { cmd_id: self.cmd_id, name, targets: self.targets, children: self.children.into_iter().map(Self::into_sent).collect() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_survives_the_round_trip_through_the_store() {
        let sent = SentCommand {
            cmd_id: 3,
            name: "Sequence",
            targets: vec![],
            children: vec![SentCommand {
                cmd_id: 4,
                name: "Exec",
                targets: vec!["./Vendor/MSFT/RemoteLock/Lock".into()],
                children: vec![],
            }],
        };
        let item = OutItem::with_data("./Device/Vendor/MSFT/Policy/Config/X", MetaFormat::Int, "1");
        let session = Session {
            next_msg_id: 3,
            last_device_msg_id: 2,
            outstanding: vec![
                Outstanding {
                    msg_id: 2,
                    sent: sent.clone(),
                    purpose: Purpose::Action { id: ActionId::new(), kind: ActionKind::RemoteLock },
                },
                Outstanding {
                    msg_id: 2,
                    sent: sent.clone(),
                    purpose: Purpose::Setting { profile: ProfileId::new(), version: 2, oma_uri: "x".into(), item: item.clone() },
                },
            ],
            stored: false,
        };
        let back: Stored = serde_json::from_str(&serde_json::to_string(&Stored::of(&session)).unwrap()).unwrap();
        let back = back.into_session();
        assert_eq!((back.next_msg_id, back.last_device_msg_id, back.stored), (3, 2, true));
        assert_eq!(back.outstanding[0].sent, sent);
        assert!(matches!(&back.outstanding[1].purpose, Purpose::Setting { item: i, version: 2, .. } if *i == item));
    }
}
