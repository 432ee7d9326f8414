//! Who has failed to sign in, and what they must wait for. Two independent counters:
//!
//! - per client address: a few failures are free (typos, a shared office NAT), then every
//!   further failure doubles the wait before the next attempt is even looked at. Attempts that
//!   arrive during the wait are refused without hashing, so one address cannot keep the hash
//!   pool busy. A quiet window forgets the address.
//! - per account: N failures within a sliding window lock the account for a while; during the
//!   lockout even the right password is refused, so a guessing campaign spread over many
//!   addresses still gets at most N guesses per lockout period. Names that match no account
//!   count against the address only: there is no account to protect, and tracking invented
//!   names would let a flood of them crowd out real lockouts.
//!
//! The state is in memory, per server instance: with several instances behind a load balancer
//! each counts on its own (an attacker gets N guesses per instance per period). Both maps are
//! bounded: expired entries are dropped and, when a flood of distinct keys fills a map, the
//! entries that would expire first are evicted, so memory cannot grow without bound.
//! Time comes from the caller (the server's clock), so tests can move it.

use chrono::{DateTime, Duration, Utc};
use pinreset_core::TenantId;
use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;

/// How strict the throttle is.
#[derive(Clone, Debug)]
pub struct ThrottleLimits {
    /// Failures older than this no longer count (accounts: sliding window; addresses: a quiet
    /// window resets the count).
    pub window: Duration,
    /// Failures within the window that lock an account.
    pub account_max_failures: u32,
    /// How long a locked account stays locked.
    pub account_lockout: Duration,
    /// Failures from one address within the window before backoff starts.
    pub address_free_failures: u32,
    /// The first backoff; each further failure doubles it, up to `address_backoff_max`.
    pub address_backoff_base: Duration,
    pub address_backoff_max: Duration,
    /// At most this many addresses and this many accounts are tracked.
    pub max_tracked: usize,
}

impl Default for ThrottleLimits {
    fn default() -> Self {
        ThrottleLimits {
            window: Duration::minutes(15),
            account_max_failures: 10,
            account_lockout: Duration::minutes(15),
            address_free_failures: 20,
            address_backoff_base: Duration::seconds(1),
            address_backoff_max: Duration::minutes(5),
            max_tracked: 100_000,
        }
    }
}

/// An account as the throttle knows it: logins are unique within a tenant.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AccountKey {
    pub tenant_id: TenantId,
    pub login: String,
}

/// A locked account, for admins.
#[derive(Clone, Debug, PartialEq)]
pub struct Lockout {
    pub login: String,
    pub locked_until: DateTime<Utc>,
    /// Failures that caused the lockout plus attempts refused during it.
    pub failures: u32,
    pub last_address: Option<IpAddr>,
}

/// What a failure changed; the caller audits the transitions (once each, not per attempt).
#[derive(Debug, Default)]
pub struct FailureOutcome {
    /// The address just started its backoff episode: it must wait until then.
    pub address_throttled: Option<DateTime<Utc>>,
    /// Accounts this failure locked, with their lockout end and failure count.
    pub newly_locked: Vec<(AccountKey, DateTime<Utc>, u32)>,
}

#[derive(Debug)]
struct AddressEntry {
    failures: u32,
    last_failure: DateTime<Utc>,
    blocked_until: Option<DateTime<Utc>>,
}

#[derive(Debug, Default)]
struct AccountEntry {
    /// The latest failures, at most `account_max_failures` of them (newest last).
    recent: VecDeque<DateTime<Utc>>,
    locked_until: Option<DateTime<Utc>>,
    failures_in_lockout: u32,
    last_address: Option<IpAddr>,
}

pub struct Throttle {
    limits: ThrottleLimits,
    addresses: Mutex<HashMap<IpAddr, AddressEntry>>,
    accounts: Mutex<HashMap<AccountKey, AccountEntry>>,
}

impl Throttle {
    pub fn new(limits: ThrottleLimits) -> Self {
        Throttle { limits, addresses: Default::default(), accounts: Default::default() }
    }

    /// Until when this address must wait, if it must.
    pub fn address_blocked(&self, ip: IpAddr, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let map = self.addresses.lock().expect("throttle lock");
        map.get(&ip).and_then(|e| e.blocked_until).filter(|until| *until > now)
    }

    /// Until when this account is locked, if it is; counts the refused attempt.
    pub fn account_locked(&self, key: &AccountKey, ip: IpAddr, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let mut map = self.accounts.lock().expect("throttle lock");
        let entry = map.get_mut(key)?;
        let until = entry.locked_until.filter(|until| *until > now)?;
        entry.failures_in_lockout = entry.failures_in_lockout.saturating_add(1);
        entry.last_address = Some(ip);
        Some(until)
    }

    /// A wrong password from `ip` for these accounts (none when the name matched no account).
    pub fn failed(&self, ip: IpAddr, accounts: &[AccountKey], now: DateTime<Utc>) -> FailureOutcome {
        let l = &self.limits;
        let mut outcome = FailureOutcome::default();
        {
            let mut map = self.addresses.lock().expect("throttle lock");
            if !map.contains_key(&ip) {
                make_room(&mut map, l.max_tracked, now, |e| address_expiry(e, l.window));
            }
            let e = map.entry(ip).or_insert(AddressEntry { failures: 0, last_failure: now, blocked_until: None });
            if now - e.last_failure >= l.window {
                *e = AddressEntry { failures: 0, last_failure: now, blocked_until: None };
            }
            e.failures = e.failures.saturating_add(1);
            e.last_failure = now;
            if e.failures > l.address_free_failures {
                let until = now + backoff(e.failures - l.address_free_failures, l.address_backoff_base, l.address_backoff_max);
                e.blocked_until = Some(until);
                if e.failures == l.address_free_failures + 1 {
                    outcome.address_throttled = Some(until);
                }
            }
        }
        let mut map = self.accounts.lock().expect("throttle lock");
        for key in accounts {
            if !map.contains_key(key) {
                make_room(&mut map, l.max_tracked, now, |e| account_expiry(e, l.window));
            }
            let e = map.entry(key.clone()).or_default();
            e.last_address = Some(ip);
            if e.locked_until.is_some_and(|until| until > now) {
                // Only possible for attempts that passed the check before the lock began.
                e.failures_in_lockout = e.failures_in_lockout.saturating_add(1);
                continue;
            }
            e.locked_until = None;
            while e.recent.front().is_some_and(|t| now - *t >= l.window) {
                e.recent.pop_front();
            }
            e.recent.push_back(now);
            while e.recent.len() > l.account_max_failures as usize {
                e.recent.pop_front();
            }
            if e.recent.len() >= l.account_max_failures as usize {
                let until = now + l.account_lockout;
                let failures = e.recent.len() as u32;
                e.locked_until = Some(until);
                e.failures_in_lockout = failures;
                e.recent.clear();
                outcome.newly_locked.push((key.clone(), until, failures));
            }
        }
        outcome
    }

    /// A correct password: the account's failures are forgiven. (The address's are not: one
    /// valid account must not let an address reset its count between guesses at others.)
    pub fn succeeded(&self, key: &AccountKey) {
        self.accounts.lock().expect("throttle lock").remove(key);
    }

    /// The tenant's accounts locked now, soonest-ending first.
    pub fn lockouts(&self, tenant: TenantId, now: DateTime<Utc>) -> Vec<Lockout> {
        let map = self.accounts.lock().expect("throttle lock");
        let mut out: Vec<Lockout> = map
            .iter()
            .filter(|(k, _)| k.tenant_id == tenant)
            .filter_map(|(k, e)| {
                let until = e.locked_until.filter(|u| *u > now)?;
                Some(Lockout { login: k.login.clone(), locked_until: until, failures: e.failures_in_lockout, last_address: e.last_address })
            })
            .collect();
        out.sort_by(|a, b| a.locked_until.cmp(&b.locked_until).then_with(|| a.login.cmp(&b.login)));
        out
    }

    /// End a lockout early; false when the account was not locked.
    pub fn unlock(&self, key: &AccountKey, now: DateTime<Utc>) -> bool {
        let mut map = self.accounts.lock().expect("throttle lock");
        let locked = map.get(key).is_some_and(|e| e.locked_until.is_some_and(|u| u > now));
        if locked {
            map.remove(key);
        }
        locked
    }

    #[cfg(test)]
    fn tracked(&self) -> (usize, usize) {
        (self.addresses.lock().unwrap().len(), self.accounts.lock().unwrap().len())
    }
}

/// The wait after the `excess`-th failure beyond the free ones: base, 2·base, 4·base … max.
fn backoff(excess: u32, base: Duration, max: Duration) -> Duration {
    let factor = 1i32.checked_shl(excess.saturating_sub(1).min(30)).unwrap_or(i32::MAX);
    base.checked_mul(factor).map_or(max, |d| d.min(max))
}

fn address_expiry(e: &AddressEntry, window: Duration) -> DateTime<Utc> {
    (e.last_failure + window).max(e.blocked_until.unwrap_or(e.last_failure))
}

fn account_expiry(e: &AccountEntry, window: Duration) -> DateTime<Utc> {
    let failures = e.recent.back().map(|t| *t + window);
    match (failures, e.locked_until) {
        (Some(a), Some(b)) => a.max(b),
        (a, b) => a.or(b).unwrap_or(DateTime::<Utc>::MIN_UTC),
    }
}

/// Make room for one more key: drop what has expired; if the map is still full (a flood of
/// distinct keys), drop the eighth that would expire soonest. Amortised O(1) per insert.
fn make_room<K: Eq + Hash + Clone, V>(map: &mut HashMap<K, V>, cap: usize, now: DateTime<Utc>, expiry: impl Fn(&V) -> DateTime<Utc>) {
    if map.len() < cap.max(1) {
        return;
    }
    map.retain(|_, v| expiry(v) > now);
    if map.len() < cap.max(1) {
        return;
    }
    let mut times: Vec<DateTime<Utc>> = map.values().map(&expiry).collect();
    let evict = (map.len() / 8).max(1);
    let (_, cutoff, _) = times.select_nth_unstable(evict - 1);
    let cutoff = *cutoff;
    let mut evicted = 0;
    map.retain(|_, v| {
        if evicted < evict && expiry(v) <= cutoff {
            evicted += 1;
            false
        } else {
            true
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> ThrottleLimits {
        ThrottleLimits {
            window: Duration::minutes(15),
            account_max_failures: 3,
            account_lockout: Duration::minutes(15),
            address_free_failures: 4,
            address_backoff_base: Duration::seconds(1),
            address_backoff_max: Duration::seconds(60),
            max_tracked: 100,
        }
    }

    fn key(login: &str) -> AccountKey {
        AccountKey { tenant_id: TenantId(uuid::Uuid::nil()), login: login.into() }
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let (b, m) = (Duration::seconds(1), Duration::seconds(60));
        assert_eq!(backoff(1, b, m), Duration::seconds(1));
        assert_eq!(backoff(2, b, m), Duration::seconds(2));
        assert_eq!(backoff(4, b, m), Duration::seconds(8));
        assert_eq!(backoff(7, b, m), Duration::seconds(60));
        assert_eq!(backoff(u32::MAX, b, m), Duration::seconds(60));
    }

    #[test]
    fn an_account_locks_after_the_threshold_once_and_unlocks_after_the_lockout() {
        let t = Throttle::new(limits());
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let now = Utc::now();
        let alice = key("alice");
        assert!(t.failed(ip, std::slice::from_ref(&alice), now).newly_locked.is_empty());
        assert!(t.failed(ip, std::slice::from_ref(&alice), now).newly_locked.is_empty());
        let locked = t.failed(ip, std::slice::from_ref(&alice), now).newly_locked;
        assert_eq!(locked.len(), 1);
        assert_eq!(t.account_locked(&alice, ip, now), Some(now + Duration::minutes(15)));
        assert_eq!(t.lockouts(alice.tenant_id, now)[0].failures, 4, "3 failures + 1 refused attempt");
        assert!(t.account_locked(&key("bob"), ip, now).is_none());
        assert!(t.account_locked(&alice, ip, now + Duration::minutes(15)).is_none());
        assert!(t.lockouts(alice.tenant_id, now + Duration::minutes(15)).is_empty());
    }

    #[test]
    fn old_failures_slide_out_of_the_window() {
        let t = Throttle::new(limits());
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let now = Utc::now();
        let alice = key("alice");
        t.failed(ip, std::slice::from_ref(&alice), now);
        t.failed(ip, std::slice::from_ref(&alice), now + Duration::minutes(10));
        assert!(t.failed(ip, std::slice::from_ref(&alice), now + Duration::minutes(16)).newly_locked.is_empty());
        assert_eq!(t.failed(ip, std::slice::from_ref(&alice), now + Duration::minutes(17)).newly_locked.len(), 1);
    }

    #[test]
    fn an_address_gets_free_failures_then_backoff_announced_once() {
        let t = Throttle::new(limits());
        let ip: IpAddr = "192.0.2.9".parse().unwrap();
        let now = Utc::now();
        for _ in 0..4 {
            assert!(t.failed(ip, &[], now).address_throttled.is_none());
        }
        assert!(t.address_blocked(ip, now).is_none());
        assert_eq!(t.failed(ip, &[], now).address_throttled, Some(now + Duration::seconds(1)));
        assert_eq!(t.address_blocked(ip, now), Some(now + Duration::seconds(1)));
        assert!(t.address_blocked(ip, now + Duration::seconds(1)).is_none());
        assert!(t.failed(ip, &[], now).address_throttled.is_none(), "announced once per episode");
        assert_eq!(t.address_blocked(ip, now), Some(now + Duration::seconds(2)));
        // A quiet window forgives the address.
        let later = now + Duration::minutes(16);
        assert!(t.failed(ip, &[], later).address_throttled.is_none());
        assert!(t.address_blocked(ip, later).is_none());
    }

    #[test]
    fn a_flood_of_distinct_addresses_stays_bounded() {
        let t = Throttle::new(limits());
        let now = Utc::now();
        for i in 0..10_000u32 {
            let ip = IpAddr::from(i.to_be_bytes());
            t.failed(ip, &[key(&format!("user{i}"))], now);
        }
        let (addresses, accounts) = t.tracked();
        assert!(addresses <= 100 && accounts <= 100, "{addresses} addresses, {accounts} accounts tracked");
    }

    #[test]
    fn a_lockout_outlives_a_flood_of_fresh_keys_that_expire_sooner() {
        let t = Throttle::new(limits());
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let now = Utc::now();
        let alice = key("alice");
        for _ in 0..3 {
            t.failed(ip, std::slice::from_ref(&alice), now);
        }
        // Later failures expire at +15 min from their time; the lockout at now + 15 min too, so
        // make them older: failures from 10 minutes ago expire before the lockout ends.
        for i in 0..1_000u32 {
            t.failed(ip, &[key(&format!("user{i}"))], now - Duration::minutes(10));
        }
        assert!(t.account_locked(&alice, ip, now).is_some());
    }
}
