//! The commands the product sends, and reading their answers.
//!
//! RemoteLock (remotelock-csp.md): `Lock` answers 405 when no PIN is set;
//! `LockAndResetPIN` must be followed by a `Get` of `NewPINValue` in the SAME
//! message, in order, so both go in one `Sequence`. The PIN is device-generated
//! and readable once (a second Get returns null).

use super::reply::{CommandReply, ReplyIndex};
use super::{OutCommand, OutItem, SentCommand};
pub use crate::secret::Secret;
use crate::status::StatusOutcome;

pub const REMOTE_LOCK_LOCK: &str = "./Vendor/MSFT/RemoteLock/Lock";
pub const REMOTE_LOCK_LOCK_AND_RESET_PIN: &str = "./Vendor/MSFT/RemoteLock/LockAndResetPIN";
pub const REMOTE_LOCK_NEW_PIN_VALUE: &str = "./Vendor/MSFT/RemoteLock/NewPINValue";
pub const REMOTE_WIPE_DO_WIPE: &str = "./Device/Vendor/MSFT/RemoteWipe/doWipe";
/// dmclient-csp: `Exec` with the enrollment's ProviderID as data unenrolls the device
/// (server-initiated unenrollment; the device reports it and removes the enrollment).
pub const DMCLIENT_UNENROLL: &str = "./Vendor/MSFT/DMClient/Unenroll";

/// DevInfo nodes every OMA-DM client has (OMA DM standard object).
pub const DEVINFO_NODES: [&str; 5] = ["./DevInfo/DevId", "./DevInfo/Man", "./DevInfo/Mod", "./DevInfo/DmV", "./DevInfo/Lang"];

/// DevDetail nodes the inventory reads (devdetail-csp.md).
pub const DEVDETAIL_NODES: [&str; 6] = [
    "./DevDetail/SwV",
    "./DevDetail/FwV",
    "./DevDetail/HwV",
    "./DevDetail/OEM",
    "./DevDetail/DevTyp",
    "./DevDetail/Ext/Microsoft/DeviceName",
];

/// `Exec ./Vendor/MSFT/RemoteLock/Lock`.
pub fn lock() -> OutCommand {
    OutCommand::Exec(vec![OutItem::target(REMOTE_LOCK_LOCK)])
}

/// `Sequence { Exec LockAndResetPIN; Get NewPINValue }`.
pub fn lock_and_reset_pin() -> OutCommand {
    OutCommand::Sequence(vec![
        OutCommand::Exec(vec![OutItem::target(REMOTE_LOCK_LOCK_AND_RESET_PIN)]),
        OutCommand::Get(vec![OutItem::target(REMOTE_LOCK_NEW_PIN_VALUE)]),
    ])
}

/// `Exec ./Device/Vendor/MSFT/RemoteWipe/doWipe`.
pub fn remote_wipe() -> OutCommand {
    OutCommand::Exec(vec![OutItem::target(REMOTE_WIPE_DO_WIPE)])
}

/// `Exec ./Vendor/MSFT/DMClient/Unenroll` with the ProviderID given at enrollment.
pub fn unenroll(provider_id: &str) -> OutCommand {
    OutCommand::Exec(vec![OutItem::with_data(DMCLIENT_UNENROLL, super::MetaFormat::Chr, provider_id).with_type("text/plain")])
}

/// One `Get` with one Item per URI.
pub fn get<I, S>(uris: I) -> OutCommand
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    OutCommand::Get(uris.into_iter().map(OutItem::target).collect())
}

/// `Get` of the standard DevInfo nodes.
pub fn get_devinfo() -> OutCommand {
    get(DEVINFO_NODES)
}

/// `Get` of the DevDetail nodes the inventory reads.
pub fn get_devdetail() -> OutCommand {
    get(DEVDETAIL_NODES)
}

/// What a LockAndResetPIN sequence came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PinResetResult {
    /// Locked and the device-generated PIN was read back.
    Reset { new_pin: Secret },
    /// A command failed; `step` is the node (or "Sequence") that did.
    Failed { step: String, outcome: StatusOutcome },
    /// Exec and Get succeeded but no PIN came back (desktop Windows returns no
    /// NewPINValue; see README): the device is locked, the PIN is unknown.
    LockedWithoutPin,
    /// The reply carries no Status for some command of the sequence.
    NoAnswer,
}

/// Reads the answer to a [`lock_and_reset_pin`] we sent as `sent` in our
/// message `msg_id`, looking at EVERY status (sequence, Exec, Get).
pub fn pin_reset_result(index: &ReplyIndex<'_>, msg_id: u32, sent: &SentCommand) -> PinResetResult {
    let replies = index.walk(msg_id, sent);
    let mut pin: Option<String> = None;
    // Check each child first: the container's own status (often 200 even if a
    // child failed, or 500 summarising one) is less precise than the child's.
    for r in replies.iter().skip(1).chain(replies.first()) {
        match r.outcome() {
            None => return PinResetResult::NoAnswer,
            Some(o) if !o.is_success() => return PinResetResult::Failed { step: step_name(r), outcome: o },
            Some(_) => {}
        }
        if r.targets.iter().any(|t| t == REMOTE_LOCK_NEW_PIN_VALUE) {
            pin = r.first_result_data().filter(|p| !p.is_empty()).map(str::to_owned);
        }
    }
    match pin {
        Some(p) => PinResetResult::Reset { new_pin: Secret::new(p) },
        None => PinResetResult::LockedWithoutPin,
    }
}

fn step_name(r: &CommandReply) -> String {
    r.targets.first().cloned().unwrap_or_else(|| r.name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syncml::{decode, encode::ServerMessage, Command, SyncHdr};

    fn sent_sequence() -> (ServerMessage, SentCommand) {
        let hdr = SyncHdr { session_id: "1".into(), msg_id: "1".into(), source: Some("D".into()), ..Default::default() };
        let mut m = ServerMessage::reply_to(&hdr, 1, "https://s", 200);
        let sent = m.push(lock_and_reset_pin());
        (m, sent)
    }

    fn reply(statuses: &[(u32, &str, u16)], pin: Option<&str>) -> String {
        let mut body = String::new();
        for (i, (cmd_ref, cmd, code)) in statuses.iter().enumerate() {
            body += &format!(
                "<Status><CmdID>{}</CmdID><MsgRef>1</MsgRef><CmdRef>{cmd_ref}</CmdRef><Cmd>{cmd}</Cmd><Data>{code}</Data></Status>",
                i + 1
            );
        }
        if let Some(p) = pin {
            body += &format!("<Results><CmdID>9</CmdID><MsgRef>1</MsgRef><CmdRef>4</CmdRef><Item><Source><LocURI>{REMOTE_LOCK_NEW_PIN_VALUE}</LocURI></Source><Data>{p}</Data></Item></Results>");
        }
        format!("<SyncML><SyncHdr><SessionID>1</SessionID><MsgID>2</MsgID></SyncHdr><SyncBody>{body}<Final/></SyncBody></SyncML>")
    }

    #[test]
    fn builder_shape_matches_remotelock_doc() {
        let (m, sent) = sent_sequence();
        assert_eq!(sent.name, "Sequence");
        assert_eq!(sent.children[0].name, "Exec");
        assert_eq!(sent.children[0].targets, [REMOTE_LOCK_LOCK_AND_RESET_PIN]);
        assert_eq!(sent.children[1].name, "Get");
        assert_eq!(sent.children[1].targets, [REMOTE_LOCK_NEW_PIN_VALUE]);
        let back = decode(m.encode().as_bytes()).unwrap();
        let Command::Sequence(seq) = &back.body[1] else { panic!() };
        assert!(matches!(seq.commands[0], Command::Exec(_)));
        assert!(matches!(seq.commands[1], Command::Get(_)));
    }

    #[test]
    fn pin_read_back() {
        let (_, sent) = sent_sequence();
        let m = decode(reply(&[(0, "SyncHdr", 200), (2, "Sequence", 200), (3, "Exec", 200), (4, "Get", 200)], Some("4711")).as_bytes())
            .unwrap();
        let r = pin_reset_result(&ReplyIndex::new(&m), 1, &sent);
        assert_eq!(r, PinResetResult::Reset { new_pin: Secret::new("4711") });
        assert!(!format!("{r:?}").contains("4711"), "PIN must not be in Debug output");
    }

    #[test]
    fn later_failure_is_not_missed() {
        // The trap: first statuses are 200, the Get's is 405.
        let (_, sent) = sent_sequence();
        let m = decode(reply(&[(0, "SyncHdr", 200), (2, "Sequence", 200), (3, "Exec", 200), (4, "Get", 405)], None).as_bytes()).unwrap();
        match pin_reset_result(&ReplyIndex::new(&m), 1, &sent) {
            PinResetResult::Failed { step, outcome } => {
                assert_eq!(step, REMOTE_LOCK_NEW_PIN_VALUE);
                assert_eq!(outcome.code(), 405);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn missing_status_and_no_pin() {
        let (_, sent) = sent_sequence();
        let m = decode(reply(&[(2, "Sequence", 200), (3, "Exec", 200)], None).as_bytes()).unwrap();
        assert_eq!(pin_reset_result(&ReplyIndex::new(&m), 1, &sent), PinResetResult::NoAnswer);
        let m = decode(reply(&[(2, "Sequence", 200), (3, "Exec", 200), (4, "Get", 200)], None).as_bytes()).unwrap();
        assert_eq!(pin_reset_result(&ReplyIndex::new(&m), 1, &sent), PinResetResult::LockedWithoutPin);
    }

    #[test]
    fn other_builders() {
        assert_eq!(lock(), OutCommand::Exec(vec![OutItem::target(REMOTE_LOCK_LOCK)]));
        assert_eq!(remote_wipe(), OutCommand::Exec(vec![OutItem::target(REMOTE_WIPE_DO_WIPE)]));
        let OutCommand::Get(items) = get_devinfo() else { panic!() };
        assert_eq!(items.len(), DEVINFO_NODES.len());
        assert_eq!(items[0].target, "./DevInfo/DevId");
    }
}
