//! What the fleet's devices received: each command counted per device, so a command delivered
//! twice to one device is reported. A command is known by what outlives one exchange: Apple's
//! CommandUUID (`<action id>.<step>`), the Android command id, and for Windows — whose CmdIDs
//! are numbers local to one message — the command and its target (`Exec
//! ./Vendor/MSFT/RemoteLock/Lock`): one action of a kind per device is what a bulk run sends.

use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Default)]
struct DeviceTally {
    commands: HashMap<String, u32>,
    check_ins: u64,
    errors: u64,
    last_error: Option<String>,
}

/// Shared by every device of the fleet (one lock; a check-in takes it once).
pub struct Tally {
    devices: Mutex<HashMap<String, DeviceTally>>,
}

/// A command one device received more than once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duplicate {
    pub device: String,
    pub command: String,
    pub times: u32,
}

#[derive(Clone, Debug, Default)]
pub struct TallySummary {
    pub devices: usize,
    pub check_ins: u64,
    pub commands: u64,
    /// Devices that received at least one command.
    pub devices_commanded: usize,
    pub duplicates: Vec<Duplicate>,
    pub errors: u64,
    /// A few of the failed check-ins' errors, for the summary.
    pub error_samples: Vec<String>,
}

impl Tally {
    pub fn new(keys: impl Iterator<Item = String>) -> Self {
        Tally { devices: Mutex::new(keys.map(|k| (k, DeviceTally::default())).collect()) }
    }

    pub fn received(&self, device: &str, commands: &[String]) {
        let mut all = self.devices.lock().expect("tally");
        let t = all.entry(device.to_string()).or_default();
        t.check_ins += 1;
        for c in commands {
            *t.commands.entry(c.clone()).or_default() += 1;
        }
    }

    pub fn failed(&self, device: &str, error: &crate::error::SimError) {
        let mut all = self.devices.lock().expect("tally");
        let t = all.entry(device.to_string()).or_default();
        t.errors += 1;
        t.last_error = Some(error.to_string());
    }

    /// How many times `device` received each command so far.
    pub fn commands_of(&self, device: &str) -> HashMap<String, u32> {
        self.devices.lock().expect("tally").get(device).map(|t| t.commands.clone()).unwrap_or_default()
    }

    pub fn summary(&self) -> TallySummary {
        let all = self.devices.lock().expect("tally");
        let mut s = TallySummary { devices: all.len(), ..TallySummary::default() };
        for (device, t) in all.iter() {
            s.check_ins += t.check_ins;
            s.errors += t.errors;
            if let (Some(e), true) = (&t.last_error, s.error_samples.len() < 5) {
                s.error_samples.push(format!("{device}: {e}"));
            }
            s.devices_commanded += usize::from(!t.commands.is_empty());
            for (command, times) in &t.commands {
                s.commands += u64::from(*times);
                if *times > 1 {
                    s.duplicates.push(Duplicate { device: device.clone(), command: command.clone(), times: *times });
                }
            }
        }
        s.duplicates.sort_by(|a, b| (&a.device, &a.command).cmp(&(&b.device, &b.command)));
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_received_twice_is_a_duplicate() {
        let t = Tally::new(["a".to_string(), "b".to_string()].into_iter());
        t.received("a", &["x.lock".into()]);
        t.received("a", &[]);
        t.received("b", &["y.lock".into(), "y.verify".into()]);
        t.received("b", &["y.lock".into()]);
        let s = t.summary();
        assert_eq!((s.devices, s.check_ins, s.commands, s.devices_commanded), (2, 4, 4, 2));
        assert_eq!(s.duplicates, [Duplicate { device: "b".into(), command: "y.lock".into(), times: 2 }]);
    }
}
