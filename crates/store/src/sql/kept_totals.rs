//! Large list totals, kept for a while. Counting a list of 100,000 devices walks 100,000 index
//! entries on every page (PostgreSQL keeps no row count, and its index-only scan still visits
//! each entry), which is most of a page's time there; SQLite counts devices fast enough and
//! always counts them exactly. A tenant's actions grow without bound (every bulk action adds
//! one per device), and counting 200,000 of them was most of an actions-monitor page on
//! either backend.
//!
//! So a large total (at least `LARGE`) is kept per tenant and filter for `FRESH_FOR` and
//! reused by the pages after it: an admin paging through 100,000 devices or 200,000 actions
//! does not need the figure exact to the row, and it is never more than `FRESH_FOR` old. A
//! small list (every list in a small fleet, any narrow filter) is counted exactly every time.
//! Devices: PostgreSQL only; retiring or enrolling a device through this instance drops its
//! tenant's totals at once, another instance's changes show when the kept total runs out.
//! Actions: both backends; new actions show when the kept total runs out (dropping it on each
//! new action would drop it all through a bulk action, when the monitor is watched most).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Totals at least this large are kept; smaller ones are cheap to count and always exact.
pub(super) const LARGE: u64 = 10_000;
/// How long a kept total is used.
pub(super) const FRESH_FOR: Duration = Duration::from_secs(30);
/// Beyond this many kept totals (tenants × filters in use) the oldest are dropped first.
const MAX_KEPT: usize = 1_000;

struct Kept {
    tenant: String,
    at: Instant,
    total: u64,
}

#[derive(Default)]
pub(super) struct KeptTotals {
    kept: Mutex<HashMap<String, Kept>>,
}

impl KeptTotals {
    /// A total counted less than `FRESH_FOR` ago for this filter (`key` names the filter's
    /// whole `WHERE` clause with its values).
    pub(super) fn fresh(&self, key: &str) -> Option<u64> {
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.get(key).filter(|k| k.at.elapsed() < FRESH_FOR).map(|k| k.total)
    }

    /// Keep a total just counted, if it is large enough to be worth keeping.
    pub(super) fn keep(&self, tenant: &str, key: String, total: u64) {
        if total < LARGE {
            return;
        }
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.retain(|_, k| k.at.elapsed() < FRESH_FOR);
        if kept.len() >= MAX_KEPT {
            if let Some(oldest) = kept.iter().min_by_key(|(_, k)| k.at).map(|(key, _)| key.clone()) {
                kept.remove(&oldest);
            }
        }
        kept.insert(key, Kept { tenant: tenant.to_owned(), at: Instant::now(), total });
    }

    /// The tenant's devices changed here: count its lists again.
    pub(super) fn forget(&self, tenant: &str) {
        self.kept.lock().unwrap_or_else(|e| e.into_inner()).retain(|_, k| k.tenant != tenant);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_large_totals_are_kept_and_a_change_drops_the_tenants() {
        let counts = KeptTotals::default();
        counts.keep("t1", "small".into(), LARGE - 1);
        assert_eq!(counts.fresh("small"), None, "a small list is counted every time");
        counts.keep("t1", "all of t1".into(), 100_000);
        counts.keep("t2", "all of t2".into(), 50_000);
        assert_eq!(counts.fresh("all of t1"), Some(100_000));
        counts.forget("t1");
        assert_eq!((counts.fresh("all of t1"), counts.fresh("all of t2")), (None, Some(50_000)));
    }
}
