//! What a management session remembers between its messages: our message counter and the
//! commands still waiting for the device's Status. Kept in memory per instance; a session
//! that dies loses nothing, because an action stays `delivered` until the device answers and
//! is handed out again in the next session.

use pinreset_core::profile::ProfileId;
use pinreset_core::{ActionId, ActionKind, DeviceId};
use pinreset_windows::syncml::SentCommand;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A session idle for longer than this is forgotten.
const SESSION_TTL: Duration = Duration::from_secs(600);

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
        item: pinreset_windows::syncml::OutItem,
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
    touched: Instant,
}

impl Default for Session {
    fn default() -> Self {
        Session { next_msg_id: 1, last_device_msg_id: 0, outstanding: Vec::new(), touched: Instant::now() }
    }
}

#[derive(Default)]
pub struct Sessions(Mutex<HashMap<(DeviceId, String), Session>>);

impl Sessions {
    /// Take the session out (a new one when unknown); `put` it back if it goes on.
    pub fn take(&self, device: DeviceId, session_id: &str) -> Option<Session> {
        self.0.lock().expect("sessions lock").remove(&(device, session_id.to_owned()))
    }

    pub fn put(&self, device: DeviceId, session_id: &str, mut session: Session) {
        session.touched = Instant::now();
        let mut map = self.0.lock().expect("sessions lock");
        map.retain(|_, s| s.touched.elapsed() < SESSION_TTL);
        map.insert((device, session_id.to_owned()), session);
    }
}
