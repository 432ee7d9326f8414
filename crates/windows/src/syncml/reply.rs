//! Matching a device's reply to what we sent.
//!
//! Windows answers EVERY command with a Status, including each command nested
//! in a Sequence or Atomic (plus one for the container itself). A server that
//! reads only the first Status misses e.g. a 405 on a later command, so
//! [`ReplyIndex::walk`] returns one [`CommandReply`] per command we sent,
//! nested ones included, matched by CmdRef and MsgRef.

use serde::Serialize;

use super::{Command, Results, SentCommand, Status, SyncMl};
use crate::status::StatusOutcome;

/// The Statuses and Results of one device message, for lookup.
#[derive(Debug, Clone)]
pub struct ReplyIndex<'a> {
    statuses: Vec<&'a Status>,
    results: Vec<&'a Results>,
}

/// What the device answered to one command we sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommandReply {
    pub cmd_id: u32,
    pub name: &'static str,
    pub targets: Vec<String>,
    /// `None` when the device sent no Status for it (yet): not a success.
    pub status: Option<Status>,
    pub results: Vec<Results>,
}

impl CommandReply {
    pub fn outcome(&self) -> Option<StatusOutcome> {
        self.status.as_ref().map(Status::outcome)
    }
    /// Data of the first Results item (the value a Get read).
    pub fn first_result_data(&self) -> Option<&str> {
        self.results.iter().flat_map(|r| &r.items).find_map(|i| i.data.as_deref())
    }
}

/// Compares ids numerically when both are numbers ("02" == "2"), else as text.
fn same_id(text: &str, id: u32) -> bool {
    let t = text.trim();
    match t.parse::<u32>() {
        Ok(n) => n == id,
        Err(_) => false,
    }
}

/// A missing MsgRef refers to the message being answered (OMA-DM makes it
/// optional for that case), so it matches any of our MsgIDs.
fn msg_matches(msg_ref: &Option<String>, msg_id: u32) -> bool {
    msg_ref.as_deref().is_none_or(|m| same_id(m, msg_id))
}

impl<'a> ReplyIndex<'a> {
    /// Collects every Status and Results in the reply, wherever they sit
    /// (devices put them at SyncBody level; we also look inside containers).
    pub fn new(reply: &'a SyncMl) -> Self {
        let mut statuses = Vec::new();
        let mut results = Vec::new();
        for cmd in reply.all_commands() {
            match cmd {
                Command::Status(s) => statuses.push(s),
                Command::Results(r) => results.push(r),
                _ => {}
            }
        }
        Self { statuses, results }
    }

    /// The device's Status for our SyncHdr of message `msg_id` (CmdRef 0).
    pub fn header_status(&self, msg_id: u32) -> Option<&'a Status> {
        self.status(msg_id, 0)
    }

    /// The Status for command `cmd_id` of our message `msg_id`.
    pub fn status(&self, msg_id: u32, cmd_id: u32) -> Option<&'a Status> {
        self.statuses.iter().copied().find(|s| same_id(&s.cmd_ref, cmd_id) && msg_matches(&s.msg_ref, msg_id))
    }

    /// All Results for command `cmd_id` of our message `msg_id`.
    pub fn results(&self, msg_id: u32, cmd_id: u32) -> Vec<&'a Results> {
        self.results.iter().copied().filter(|r| same_id(&r.cmd_ref, cmd_id) && msg_matches(&r.msg_ref, msg_id)).collect()
    }

    /// One reply per command in `sent` (the command itself first, then its
    /// nested commands in document order).
    pub fn walk(&self, msg_id: u32, sent: &SentCommand) -> Vec<CommandReply> {
        sent.flatten()
            .into_iter()
            .map(|c| CommandReply {
                cmd_id: c.cmd_id,
                name: c.name,
                targets: c.targets.clone(),
                status: self.status(msg_id, c.cmd_id).cloned(),
                results: self.results(msg_id, c.cmd_id).into_iter().cloned().collect(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syncml::decode;

    #[test]
    fn matches_by_cmdref_and_msgref() {
        let xml = r#"<SyncML><SyncHdr><SessionID>1</SessionID><MsgID>3</MsgID></SyncHdr><SyncBody>
          <Status><CmdID>1</CmdID><MsgRef>2</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>200</Data></Status>
          <Status><CmdID>2</CmdID><MsgRef>1</MsgRef><CmdRef>5</CmdRef><Cmd>Get</Cmd><Data>404</Data></Status>
          <Status><CmdID>3</CmdID><MsgRef>2</MsgRef><CmdRef>5</CmdRef><Cmd>Get</Cmd><Data>200</Data></Status>
          <Results><CmdID>4</CmdID><MsgRef>2</MsgRef><CmdRef>5</CmdRef><Item><Data>v</Data></Item></Results>
          <Final/></SyncBody></SyncML>"#;
        let m = decode(xml.as_bytes()).unwrap();
        let idx = ReplyIndex::new(&m);
        assert_eq!(idx.header_status(2).unwrap().code(), Some(200));
        assert!(idx.header_status(9).is_none());
        // Same CmdRef in two messages: MsgRef decides.
        assert_eq!(idx.status(1, 5).unwrap().code(), Some(404));
        assert_eq!(idx.status(2, 5).unwrap().code(), Some(200));
        assert_eq!(idx.results(2, 5).len(), 1);
        assert!(idx.results(1, 5).is_empty());
        assert!(idx.status(2, 6).is_none());
    }
}
