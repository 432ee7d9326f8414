//! Password sign-in, the one door every password check goes through (Windows OnPremise
//! enrollment, the federated sign-in page, and the web sign-in to come). A password check is
//! expensive on purpose, so it is also a denial-of-service lever; this module makes it safe to
//! offer unauthenticated:
//!
//! - `hash_pool`: argon2 runs on a bounded blocking pool, never on the async workers, with a
//!   bounded queue (beyond it: "busy, retry").
//! - `throttle`: per-address backoff and per-account lockout, checked before any hashing.
//! - `gate` (this file): the order of those steps, the audit of lockouts, and the refusals
//!   callers turn into their protocol's answer.
//! - `client_addr`: the client's address for the per-address throttle.

pub mod client_addr;
pub mod hash_pool;
pub mod throttle;

use crate::app::audit;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use pinreset_core::{AuditKind, Detail, DetailCode, ErrorCode, NewAuditEvent, Secret, User};
use std::net::IpAddr;
pub use throttle::ThrottleLimits;
use throttle::{AccountKey, Throttle};

pub use client_addr::ClientAddr;

/// The audit actor of events the throttle itself causes.
const ACTOR: &str = "system:sign-in-throttle";

/// How password checks are limited (`pinreset serve` flags set these).
#[derive(Clone, Debug)]
pub struct SignInLimits {
    /// Password checks running at once; default: half the CPU cores (at least 1), so hashing
    /// never takes every core from the rest of the server.
    pub max_concurrent_hashes: usize,
    /// Checks allowed to wait for a slot; more are refused at once as "busy".
    pub max_waiting_hashes: usize,
    /// Failure counting, backoff and lockout.
    pub throttle: ThrottleLimits,
}

impl Default for SignInLimits {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        SignInLimits { max_concurrent_hashes: (cores / 2).max(1), max_waiting_hashes: 32, throttle: ThrottleLimits::default() }
    }
}

/// The pool and the throttle; one per server instance, in `AppState`.
pub struct PasswordGate {
    pool: hash_pool::HashPool,
    throttle: Throttle,
}

impl PasswordGate {
    pub fn new(limits: &SignInLimits) -> Self {
        PasswordGate {
            pool: hash_pool::HashPool::new(limits.max_concurrent_hashes, limits.max_waiting_hashes),
            throttle: Throttle::new(ThrottleLimits {
                account_max_failures: limits.throttle.account_max_failures.max(1),
                max_tracked: limits.throttle.max_tracked.max(1),
                ..limits.throttle.clone()
            }),
        }
    }

    pub fn throttle(&self) -> &Throttle {
        &self.throttle
    }

    /// Hash a new password for storage, on the pool (async code must not call
    /// `auth::hash_password` directly).
    pub async fn hash(&self, password: &Secret) -> Result<String, Refusal> {
        let password = password.clone();
        self.pool.run(move || crate::auth::hash_password(password.expose())).await.map_err(|_| Refusal::Busy)
    }
}

/// Why a sign-in was refused. Every variant is safe to show the person signing in: none says
/// whether the account exists or which part was wrong.
#[derive(Clone, Debug, PartialEq)]
pub enum Refusal {
    /// Wrong name or password.
    WrongCredentials,
    /// The account is locked until then (even the right password is refused).
    AccountLocked { until: DateTime<Utc> },
    /// This address failed too often and must wait until then.
    AddressThrottled { until: DateTime<Utc> },
    /// Too many password checks at once; retry shortly.
    Busy,
}

impl Refusal {
    pub fn code(&self) -> ErrorCode {
        match self {
            Refusal::WrongCredentials => ErrorCode::Unauthenticated,
            Refusal::AccountLocked { .. } => ErrorCode::SignInLocked,
            Refusal::AddressThrottled { .. } => ErrorCode::SignInThrottled,
            Refusal::Busy => ErrorCode::ServerBusy,
        }
    }

    /// Seconds until trying again makes sense (for a Retry-After header).
    pub fn retry_after_secs(&self, now: DateTime<Utc>) -> Option<u64> {
        match self {
            Refusal::WrongCredentials => None,
            Refusal::AccountLocked { until } | Refusal::AddressThrottled { until } => {
                Some(((*until - now).num_milliseconds().max(0) as u64).div_ceil(1000).max(1))
            }
            Refusal::Busy => Some(2),
        }
    }

    /// One sentence for the person signing in (with the wait in seconds, for other languages).
    pub fn detail(&self, now: DateTime<Utc>) -> Detail {
        let secs = self.retry_after_secs(now).unwrap_or(1);
        let waiting = |code| Detail::new(code, [("wait", human_wait(secs)), ("seconds", secs.to_string())]);
        match self {
            Refusal::WrongCredentials => Detail::plain(DetailCode::WrongCredentials),
            Refusal::AccountLocked { .. } => waiting(DetailCode::AccountLocked),
            Refusal::AddressThrottled { .. } => waiting(DetailCode::AddressThrottled),
            Refusal::Busy => Detail::plain(DetailCode::SignInBusy),
        }
    }
}

fn human_wait(secs: u64) -> String {
    match secs {
        0..=1 => "1 second".into(),
        2..=59 => format!("{secs} seconds"),
        _ => match secs.div_ceil(60) {
            1 => "1 minute".into(),
            m => format!("{m} minutes"),
        },
    }
}

/// One password attempt: the name the person typed, the accounts it matched (with their
/// stored hashes; several when an email exists in several tenants) and the password.
pub struct Attempt<'a> {
    pub client: IpAddr,
    pub candidates: Vec<(User, Option<String>)>,
    /// Copied into a `Secret` (wiped on drop) for the blocking check; never logged.
    pub password: &'a str,
    pub request_id: Option<String>,
}

fn key(user: &User) -> AccountKey {
    AccountKey { tenant_id: user.tenant_id, login: user.login.clone() }
}

/// Check a password: refuse throttled addresses and locked accounts without hashing, hash on
/// the bounded pool, count failures, and audit each new lockout once.
pub async fn verify(state: &AppState, attempt: Attempt<'_>) -> Result<User, Refusal> {
    let gate = &state.sign_in;
    let ip = attempt.client;
    let now = state.clock.now();
    if let Some(until) = gate.throttle.address_blocked(ip, now) {
        return Err(Refusal::AddressThrottled { until });
    }
    let mut locked: Option<DateTime<Utc>> = None;
    let mut open = Vec::with_capacity(attempt.candidates.len());
    for (user, hash) in attempt.candidates {
        match gate.throttle.account_locked(&key(&user), ip, now) {
            Some(until) => locked = Some(locked.map_or(until, |l| l.max(until))),
            None => open.push((user, hash)),
        }
    }
    if open.is_empty() {
        if let Some(until) = locked {
            return Err(Refusal::AccountLocked { until });
        }
    }
    let hashes: Vec<Option<String>> = open.iter().map(|(_, h)| h.clone()).collect();
    let matched = if hashes.iter().any(Option::is_some) {
        let password = Secret::new(attempt.password);
        let job = move || hashes.iter().position(|h| h.as_deref().is_some_and(|h| crate::auth::verify_password(password.expose(), h)));
        gate.pool.run(job).await.map_err(|_| Refusal::Busy)?
    } else {
        None
    };
    let now = state.clock.now();
    if let Some(i) = matched {
        let user = open.swap_remove(i).0;
        // A lock that began while this check ran still holds.
        if let Some(until) = gate.throttle.account_locked(&key(&user), ip, now) {
            return Err(Refusal::AccountLocked { until });
        }
        gate.throttle.succeeded(&key(&user));
        return Ok(user);
    }
    let keys: Vec<AccountKey> = open.iter().map(|(u, _)| key(u)).collect();
    let outcome = gate.throttle.failed(ip, &keys, now);
    let mut events: Vec<NewAuditEvent> = Vec::new();
    for (account, until, failures) in &outcome.newly_locked {
        tracing::warn!(login = %account.login, tenant = %account.tenant_id, %ip, failures, %until, "account locked after failed sign-ins");
        let outcome = format!("locked:{};failures:{failures};until:{};address:{ip}", account.login, until.to_rfc3339());
        events.push(audit::for_tenant(now, account.tenant_id, ACTOR, AuditKind::AccountLocked, outcome, attempt.request_id.clone()));
    }
    if let Some(until) = outcome.address_throttled {
        tracing::warn!(%ip, %until, "address throttled after failed sign-ins");
        // Audited in the tenants whose accounts it was trying; unknown names have no tenant.
        let mut tenants: Vec<_> = keys.iter().map(|k| k.tenant_id).collect();
        tenants.sort();
        tenants.dedup();
        for tenant in tenants {
            let outcome = format!("throttled:{ip};until:{}", until.to_rfc3339());
            events.push(audit::for_tenant(now, tenant, ACTOR, AuditKind::SignInThrottled, outcome, attempt.request_id.clone()));
        }
    }
    if !events.is_empty() {
        if let Err(e) = state.store.append_audit(&events).await {
            tracing::error!(error = %e, "could not audit a sign-in lockout");
        }
    }
    Err(Refusal::WrongCredentials)
}
