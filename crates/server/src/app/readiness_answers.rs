//! The capability matrix's answer for each kind of device (`pinreset_store::reset_class`),
//! kept between requests for the home page's readiness figures. A fleet of 100,000 devices
//! has a few hundred to a few thousand kinds; reading a sample device of each and asking the
//! matrix on every home page was most of its time.
//!
//! An answer depends only on the kind of device, the tenant's settings and the channel
//! contracts (compiled in). So it is filed under the tenant, a fingerprint of its settings and
//! the kind: a settings change (on this instance or another) files new answers under a new
//! fingerprint, and the old ones are simply never asked for again. Nothing has to be told.

use pinreset_core::{ErrorCode, Platform, TenantId, TenantSettings};
use std::collections::HashMap;
use std::sync::Mutex;

/// Beyond this many kept answers (tenants × settings × kinds) they are all dropped and asked
/// again: a bound on memory, reached only by very many tenants or settings changes.
const MAX_KEPT: usize = 100_000;

/// What the matrix said about one kind of device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Answer {
    pub platform: Platform,
    /// The reset's refusal, if refused.
    pub refused: Option<ErrorCode>,
}

type Key = (TenantId, u64, String);

#[derive(Default)]
pub struct ClassAnswers {
    kept: Mutex<HashMap<Key, Answer>>,
}

/// The settings as one number (FNV-1a over their JSON): equal settings, equal fingerprint.
pub fn fingerprint(settings: &TenantSettings) -> u64 {
    let json = serde_json::to_string(settings).expect("settings serialize");
    json.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
}

impl ClassAnswers {
    pub fn get(&self, tenant: TenantId, settings: u64, class: &str) -> Option<Answer> {
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.get(&(tenant, settings, class.to_owned())).copied()
    }

    pub fn keep(&self, tenant: TenantId, settings: u64, class: String, answer: Answer) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        if kept.len() >= MAX_KEPT {
            kept.clear();
        }
        kept.insert((tenant, settings, class), answer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_settings_change_asks_again() {
        let answers = ClassAnswers::default();
        let tenant = TenantId::new();
        let before = TenantSettings::default();
        let after = TenantSettings { pin_reset_consented: !before.pin_reset_consented, ..before.clone() };
        assert_eq!(fingerprint(&before), fingerprint(&before.clone()));
        assert_ne!(fingerprint(&before), fingerprint(&after));
        let refused = Answer { platform: Platform::Windows, refused: Some(ErrorCode::NotFound) };
        answers.keep(tenant, fingerprint(&before), "k".into(), refused);
        assert_eq!(answers.get(tenant, fingerprint(&before), "k"), Some(refused));
        assert_eq!(answers.get(tenant, fingerprint(&after), "k"), None, "new settings: not known yet");
        assert_eq!(answers.get(TenantId::new(), fingerprint(&before), "k"), None, "another tenant's");
    }
}
