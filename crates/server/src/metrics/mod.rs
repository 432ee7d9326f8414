//! Prometheus metrics (`--metrics` / `--metrics-listen`): what an operator watches on a fleet —
//! requests and latency per endpoint family, idle check-ins, actions requested and moved on,
//! pushes, outbox depth, time from request to verified success, the database pool.
//!
//! Every label value is a `&'static str` taken from a closed set (an endpoint family, a status
//! class, a channel name, an action kind or state, a catalogue code), never from a request:
//! the series stay few, and no path, device id, tenant id, user name or secret can reach the
//! output. When metrics are off, every recording call returns at once and no layer is added.

pub mod http;

use pinreset_core::{ActionKind, ActionState, RemoteAction};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Where `/metrics` is served.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Exposure {
    /// Not at all, and nothing is recorded.
    #[default]
    Off,
    /// On the main listener(s), beside the API.
    MainListener,
    /// Only on this separate plain-HTTP address (a loopback or monitoring network).
    Listen(std::net::SocketAddr),
}

/// The `Content-Type` of the exposition (OpenMetrics text, which Prometheus scrapes natively).
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct HttpLabels {
    family: &'static str,
    status: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ChannelLabels {
    channel: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    kind: &'static str,
    outcome: &'static str,
    /// The catalogue code of a refusal; empty otherwise.
    code: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct TransitionLabels {
    kind: &'static str,
    state: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabels {
    kind: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    state: &'static str,
}

type HistogramFamily<L> = Family<L, Histogram, fn() -> Histogram>;

/// Request latency: sub-millisecond idle check-ins up to slow sign-ins (argon2) and pushes.
fn latency_histogram() -> Histogram {
    Histogram::new([0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0])
}

/// Request to verified success: a pushed iPhone answers in seconds, a polling Windows PC in
/// minutes to hours, an offline device within the action lifetime (days).
fn verified_histogram() -> Histogram {
    Histogram::new([1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0, 14400.0, 43200.0, 86400.0, 259200.0, 604800.0])
}

struct Inner {
    registry: Registry,
    http_requests: Family<HttpLabels, Counter>,
    http_duration: HistogramFamily<HttpLabels>,
    idle_check_ins: Family<ChannelLabels, Counter>,
    actions_requested: Family<RequestLabels, Counter>,
    action_transitions: Family<TransitionLabels, Counter>,
    time_to_verified: HistogramFamily<KindLabels>,
    push_outcomes: Family<OutcomeLabels, Counter>,
    outbox_depth: Gauge,
    /// Milliseconds since `started` when the outbox depth was last read (throttles the
    /// dispatcher's reads under load).
    outbox_read_at_ms: AtomicU64,
    started: Instant,
    db_connections: Family<PoolLabels, Gauge>,
    db_connections_max: Gauge,
}

/// The instance's metrics; `Metrics::off()` records nothing.
pub struct Metrics {
    inner: Option<Inner>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::off()
    }
}

/// What can become of an outbox wake-up (`gave_up` is the last `retry` of one).
pub const PUSH_OUTCOMES: [&str; 6] = ["sent", "not_pushable", "unregistered", "retry", "gave_up", "device_gone"];

/// How often the dispatcher may re-count the outbox: a count per dispatch run would add a
/// query per batch at thousands of actions a second, and a gauge scraped every 15 s or so
/// gains nothing from fresher values.
const OUTBOX_READ_EVERY_MS: u64 = 1_000;

impl Metrics {
    pub fn off() -> Self {
        Metrics { inner: None }
    }

    /// `channels`: the device channels' names, whose idle check-ins are counted.
    pub fn new(channels: &[&'static str]) -> Self {
        let mut registry = Registry::with_prefix("pinreset");
        let http_requests = Family::<HttpLabels, Counter>::default();
        registry.register("http_requests", "HTTP requests answered, by endpoint family and status class", http_requests.clone());
        let http_duration = HistogramFamily::<HttpLabels>::new_with_constructor(latency_histogram as fn() -> Histogram);
        registry.register_with_unit(
            "http_request_duration",
            "Time to produce the response, by endpoint family and status class",
            Unit::Seconds,
            http_duration.clone(),
        );
        let idle_check_ins = Family::<ChannelLabels, Counter>::default();
        registry.register(
            "idle_check_ins",
            "Device check-ins that found nothing to send, answered from memory, by channel",
            idle_check_ins.clone(),
        );
        let actions_requested = Family::<RequestLabels, Counter>::default();
        registry.register(
            "actions_requested",
            "Remote actions requested, by kind and outcome (queued, deduplicated, refused with its catalogue code)",
            actions_requested.clone(),
        );
        let action_transitions = Family::<TransitionLabels, Counter>::default();
        registry.register("action_transitions", "Remote actions that reached a state, by kind and state", action_transitions.clone());
        let time_to_verified = HistogramFamily::<KindLabels>::new_with_constructor(verified_histogram as fn() -> Histogram);
        registry.register_with_unit(
            "action_time_to_verified",
            "From an action's request to its verified success on the device, by kind",
            Unit::Seconds,
            time_to_verified.clone(),
        );
        let push_outcomes = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "push_outcomes",
            "Outbox wake-ups worked, by outcome (sent, not_pushable, unregistered, retry, gave_up, device_gone)",
            push_outcomes.clone(),
        );
        let outbox_depth = Gauge::default();
        registry.register(
            "outbox_depth",
            "Wake-ups not yet done in the shared database (due, claimed or backing off); the same on every instance",
            outbox_depth.clone(),
        );
        let db_connections = Family::<PoolLabels, Gauge>::default();
        registry.register("db_connections", "This instance's database pool connections, by state (idle, in_use)", db_connections.clone());
        let db_connections_max = Gauge::default();
        registry.register("db_connections_max", "The most connections this instance's pool opens", db_connections_max.clone());
        // The series a dashboard or an alert divides by exist from the start, at zero: a rate of
        // failures needs its successes, a push panel its outcomes, before the first event.
        for kind in ActionKind::ALL {
            drop(actions_requested.get_or_create(&RequestLabels { kind: kind.as_str(), outcome: "queued", code: "" }));
            for state in [ActionState::Succeeded, ActionState::Failed, ActionState::Expired] {
                drop(action_transitions.get_or_create(&TransitionLabels { kind: kind.as_str(), state: state.as_str() }));
            }
            drop(time_to_verified.get_or_create(&KindLabels { kind: kind.as_str() }));
        }
        for outcome in PUSH_OUTCOMES {
            drop(push_outcomes.get_or_create(&OutcomeLabels { outcome }));
        }
        for &channel in channels {
            drop(idle_check_ins.get_or_create(&ChannelLabels { channel }));
        }
        Metrics {
            inner: Some(Inner {
                registry,
                http_requests,
                http_duration,
                idle_check_ins,
                actions_requested,
                action_transitions,
                time_to_verified,
                push_outcomes,
                outbox_depth,
                outbox_read_at_ms: AtomicU64::new(0),
                started: Instant::now(),
                db_connections,
                db_connections_max,
            }),
        }
    }

    pub fn for_exposure(exposure: Exposure, channels: &[&'static str]) -> Self {
        match exposure {
            Exposure::Off => Self::off(),
            _ => Self::new(channels),
        }
    }

    pub fn enabled(&self) -> bool {
        self.inner.is_some()
    }

    pub fn http_request(&self, family: &'static str, status: u16, seconds: f64) {
        let Some(m) = &self.inner else { return };
        let labels = HttpLabels { family, status: status_class(status) };
        m.http_requests.get_or_create(&labels).inc();
        m.http_duration.get_or_create(&labels).observe(seconds);
    }

    /// `channel`: the channel declaration's name (`apple-mdm`, `windows-omadm`, …).
    pub fn idle_check_in(&self, channel: &'static str) {
        let Some(m) = &self.inner else { return };
        m.idle_check_ins.get_or_create(&ChannelLabels { channel }).inc();
    }

    pub fn action_queued(&self, action: &RemoteAction) {
        self.requested(action.kind, "queued", "");
        self.transition(action.kind, ActionState::Queued);
    }

    pub fn action_deduplicated(&self, kind: ActionKind) {
        self.requested(kind, "deduplicated", "");
    }

    pub fn action_refused(&self, kind: ActionKind, code: pinreset_core::ErrorCode) {
        self.requested(kind, "refused", code.code());
    }

    fn requested(&self, kind: ActionKind, outcome: &'static str, code: &'static str) {
        let Some(m) = &self.inner else { return };
        m.actions_requested.get_or_create(&RequestLabels { kind: kind.as_str(), outcome, code }).inc();
    }

    fn transition(&self, kind: ActionKind, to: ActionState) {
        let Some(m) = &self.inner else { return };
        m.action_transitions.get_or_create(&TransitionLabels { kind: kind.as_str(), state: to.as_str() }).inc();
    }

    /// `action` was saved in a new state after passing through `path` (the states it entered
    /// in that one write); a success also measures the time since it was requested.
    pub fn action_moved(&self, action: &RemoteAction, path: &[ActionState]) {
        let Some(m) = &self.inner else { return };
        for &to in path {
            self.transition(action.kind, to);
        }
        if action.state == ActionState::Succeeded {
            let seconds = (action.updated_at - action.requested_at).num_milliseconds().max(0) as f64 / 1000.0;
            m.time_to_verified.get_or_create(&KindLabels { kind: action.kind.as_str() }).observe(seconds);
        }
    }

    /// `outcome`: one of `PUSH_OUTCOMES`.
    pub fn push(&self, outcome: &'static str) {
        debug_assert!(PUSH_OUTCOMES.contains(&outcome), "{outcome}");
        let Some(m) = &self.inner else { return };
        m.push_outcomes.get_or_create(&OutcomeLabels { outcome }).inc();
    }

    /// Re-count the outbox, at most once a second unless `force`d (the maintenance tick).
    pub async fn refresh_outbox_depth(&self, store: &dyn pinreset_store::Store, force: bool) {
        let Some(m) = &self.inner else { return };
        let now = u64::try_from(m.started.elapsed().as_millis()).unwrap_or(u64::MAX).max(1);
        if force {
            m.outbox_read_at_ms.store(now, Ordering::Relaxed);
        } else {
            let last = m.outbox_read_at_ms.load(Ordering::Relaxed);
            if last != 0 && now.saturating_sub(last) < OUTBOX_READ_EVERY_MS {
                return;
            }
            // Of dispatchers racing here, the one that moves the mark reads; the others skip.
            if m.outbox_read_at_ms.compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed).is_err() {
                return;
            }
        }
        match store.outbox_depth().await {
            Ok(n) => {
                m.outbox_depth.set(i64::try_from(n).unwrap_or(i64::MAX));
            }
            Err(e) => tracing::debug!(error = %e, "counting the outbox for metrics failed"),
        }
    }

    /// The exposition, with the pool's use read now. None when metrics are off.
    pub fn render(&self, pool: pinreset_store::PoolUsage) -> Option<String> {
        let m = self.inner.as_ref()?;
        m.db_connections.get_or_create(&PoolLabels { state: "idle" }).set(pool.idle.into());
        m.db_connections.get_or_create(&PoolLabels { state: "in_use" }).set(pool.open.saturating_sub(pool.idle).into());
        m.db_connections_max.set(pool.max.into());
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &m.registry).ok()?;
        Some(out)
    }
}

fn status_class(status: u16) -> &'static str {
    match status {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

/// The endpoint family of a request path: a closed set, so a scanner probing random paths
/// adds no series.
pub fn family(path: &str) -> &'static str {
    let under = |prefix: &str| {
        path.get(..prefix.len()).is_some_and(|p| p.eq_ignore_ascii_case(prefix))
            && matches!(path.as_bytes().get(prefix.len()), None | Some(b'/') | Some(b'?'))
    };
    if under("/api") {
        "api"
    } else if under("/admin") || under("/auth") {
        "admin"
    } else if under("/portal") {
        "portal"
    } else if under("/mdm/apple") {
        "apple_mdm"
    } else if under("/EnrollmentServer") {
        "windows_enrollment"
    } else if under("/ManagementServer") {
        "windows_management"
    } else if under("/static") {
        "static"
    } else if under("/healthz") {
        "health"
    } else if under("/metrics") {
        "metrics"
    } else {
        "other"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_fall_into_a_closed_set_of_families() {
        for (path, family_) in [
            ("/api/v1/devices/0b5c/actions/reset-passcode", "api"),
            ("/admin", "admin"),
            ("/admin/devices/123", "admin"),
            ("/auth/oidc/callback", "admin"),
            ("/portal/devices/1", "portal"),
            ("/mdm/apple/connect", "apple_mdm"),
            ("/EnrollmentServer/Discovery.svc", "windows_enrollment"),
            ("/enrollmentserver/discovery.svc", "windows_enrollment"),
            ("/ManagementServer/MDM.svc", "windows_management"),
            ("/static/admin.css", "static"),
            ("/healthz", "health"),
            ("/metrics", "metrics"),
            ("/administrator", "other"),
            ("/wp-login.php", "other"),
            ("", "other"),
        ] {
            assert_eq!(family(path), family_, "{path}");
        }
        assert_eq!(
            [status_class(101), status_class(204), status_class(302), status_class(404), status_class(503)],
            ["1xx", "2xx", "3xx", "4xx", "5xx"]
        );
    }

    #[test]
    fn off_records_and_renders_nothing() {
        let m = Metrics::off();
        m.http_request("api", 200, 0.01);
        m.push("sent");
        assert!(m.render(Default::default()).is_none());
    }
}
