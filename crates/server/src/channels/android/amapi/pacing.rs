//! Pacing `operations.get` inside the API's quota: a token bucket per tenant, refilled at the
//! binding's operations per minute and holding at most one second's worth (so a quiet minute
//! does not turn into a burst).

use pinreset_core::TenantId;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

#[derive(Default)]
pub struct Pacer {
    buckets: Mutex<HashMap<TenantId, (Instant, f64)>>,
}

impl Pacer {
    /// How many requests the tenant may make now (taken from its bucket).
    pub fn take(&self, tenant: TenantId, per_minute: u32, now: Instant) -> u32 {
        let rate = f64::from(per_minute.max(1)) / 60.0;
        let cap = rate.max(1.0);
        let mut buckets = self.buckets.lock().unwrap();
        let (last, tokens) = buckets.entry(tenant).or_insert((now, cap));
        let refill = now.saturating_duration_since(*last).as_secs_f64() * rate;
        *tokens = (*tokens + refill).min(cap);
        *last = now;
        let n = tokens.floor();
        *tokens -= n;
        n as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_minute_never_gets_more_than_its_quota() {
        let (p, t, start) = (Pacer::default(), TenantId::new(), Instant::now());
        for per_minute in [1, 30, 60, 600] {
            let p2 = Pacer::default();
            let total: u32 = (0..=120).map(|s| p2.take(t, per_minute, start + Duration::from_millis(500 * s))).sum();
            // 60 seconds of ticks every half second, plus the first second's bucket.
            assert!(total <= per_minute + per_minute.div_ceil(60), "{per_minute}: {total}");
            assert!(total + 1 >= per_minute, "{per_minute}: {total}");
        }
        assert_eq!(p.take(t, 60, start), 1);
        assert_eq!(p.take(t, 60, start), 0, "the bucket is empty until time passes");
    }
}
