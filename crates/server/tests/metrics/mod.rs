//! Issue 14, item 5: Prometheus metrics. An operator scrapes `/metrics` and sees a reset go from
//! request to verified success, the pushes that woke devices, the outbox and the idle
//! check-ins move — and never a device, tenant or person named in the output.

use crate::apple::sim::{enrolled, push_certificate, upload_push_certificate, ApplePark};
use crate::*;
use pinreset_server::metrics::Exposure;
use pinreset_sim::apple::{AppleKind, StandInApns, Transport};
use std::collections::BTreeMap;

/// One scrape, parsed from the text format.
struct Scrape {
    text: String,
    series: Vec<(String, BTreeMap<String, String>, f64)>,
}

impl Scrape {
    fn parse(text: String) -> Scrape {
        assert!(text.trim_end().ends_with("# EOF"), "an OpenMetrics exposition ends with # EOF:\n{text}");
        let mut series = Vec::new();
        for line in text.lines().filter(|l| !l.is_empty() && !l.starts_with('#')) {
            let (key, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("not a sample: {line}"));
            let value: f64 = value.parse().unwrap_or_else(|_| panic!("not a number: {line}"));
            let (name, labels) = match key.split_once('{') {
                Some((name, rest)) => {
                    let inner = rest.strip_suffix('}').unwrap_or_else(|| panic!("unclosed labels: {line}"));
                    let labels = inner
                        .split(',')
                        .filter(|p| !p.is_empty())
                        .map(|pair| {
                            let (k, v) = pair.split_once('=').unwrap_or_else(|| panic!("not a label: {line}"));
                            (k.to_string(), v.trim_matches('"').to_string())
                        })
                        .collect();
                    (name, labels)
                }
                None => (key, BTreeMap::new()),
            };
            series.push((name.to_string(), labels, value));
        }
        Scrape { text, series }
    }

    /// The sum over the series named `name` whose labels include `want` (0 when none).
    fn sum(&self, name: &str, want: &[(&str, &str)]) -> f64 {
        self.series
            .iter()
            .filter(|(n, labels, _)| n == name && want.iter().all(|(k, v)| labels.get(*k).map(String::as_str) == Some(*v)))
            .map(|(_, _, v)| v)
            .sum()
    }

    fn declares(&self, family: &str, kind: &str) -> bool {
        self.text.lines().any(|l| l == format!("# TYPE {family} {kind}"))
    }
}

async fn scrape_at(http: &reqwest::Client, url: &str) -> Scrape {
    let r = http.get(url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{url}");
    let content_type = r.headers()["content-type"].to_str().unwrap().to_string();
    assert!(content_type.starts_with("application/openmetrics-text"), "{content_type}");
    Scrape::parse(r.text().await.unwrap())
}

async fn scrape(h: &Harness) -> Scrape {
    scrape_at(&h.http, &format!("{}/metrics", h.base())).await
}

fn with_metrics(opts: &mut ServeOptions) {
    opts.metrics = Exposure::MainListener;
}

/// Every label value the server may use: closed sets, spelled by the code the server uses.
fn allowed_label_values() -> Vec<String> {
    let mut allowed: Vec<String> = [
        "api",
        "admin",
        "portal",
        "apple_mdm",
        "windows_enrollment",
        "windows_management",
        "static",
        "health",
        "metrics",
        "other",
        "1xx",
        "2xx",
        "3xx",
        "4xx",
        "5xx",
        "idle",
        "in_use",
        "queued",
        "deduplicated",
        "refused",
        "",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    allowed.extend(pinreset_server::metrics::PUSH_OUTCOMES.iter().map(|s| s.to_string()));
    allowed.extend(pinreset_server::channels::CONTRACTS.iter().map(|c| c.name.to_string()));
    allowed.extend(pinreset_core::ActionKind::ALL.iter().map(|k| k.as_str().to_string()));
    allowed.extend(pinreset_core::ActionState::ALL.iter().map(|k| k.as_str().to_string()));
    allowed.extend(ErrorCode::ALL.iter().map(|c| c.code().to_string()));
    allowed
}

/// Nothing that names a device, a tenant, a person, an action or a credential is in `s`: every
/// label value is from a closed set (so no login either, however short), and no id, name,
/// address, password or token appears anywhere in the text.
async fn assert_names_no_one(h: &Harness, s: &Scrape, also: &[&str]) {
    let allowed = allowed_label_values();
    for (name, labels, _) in &s.series {
        for (key, value) in labels {
            let bucket_bound = key == "le" && (value == "+Inf" || value.parse::<f64>().is_ok());
            assert!(bucket_bound || allowed.contains(value), "{name} has the label {key}={value:?}, not from a closed set");
        }
    }
    let (_, page) = h.get("/devices?limit=500").await;
    let mut words: Vec<String> = also.iter().map(|s| s.to_string()).collect();
    for d in page["items"].as_array().unwrap() {
        words.extend([d["id"].as_str().unwrap().to_string(), d["name"].as_str().unwrap().to_string()]);
    }
    for tenant in h.state().store.list_tenants().await.unwrap() {
        words.extend([tenant.id.to_string(), tenant.directory_id.to_string(), tenant.display_name.clone()]);
    }
    for u in &h.creds.users {
        words.extend([u.email.clone(), u.password.clone()]);
    }
    words.extend([h.creds.admin_token.clone(), h.creds.helpdesk_token.clone()]);
    for word in &words {
        assert!(!s.text.contains(word.as_str()), "the metrics name {word:?}");
    }
}

const REQUESTED: &str = "pinreset_actions_requested_total";
const MOVED: &str = "pinreset_action_transitions_total";
const VERIFIED: &str = "pinreset_action_time_to_verified_seconds";
const PUSHES: &str = "pinreset_push_outcomes_total";
const HTTP: &str = "pinreset_http_requests_total";

/// A help-desk reset through the API and the device's answer, seen by a scraper: the request,
/// a duplicate and a refusal counted by outcome, each state the action reached, the three
/// minutes from request to verified success in the right bucket, the wake-up worked, the
/// outbox drained, the API's requests by status class, the pool in use.
pub(crate) async fn metrics_count_a_reset_from_request_to_verified_and_name_no_one(b: Backend) {
    let h = start_configured(b, with_metrics).await;
    let before = scrape(&h).await;
    for (family, kind) in [
        (REQUESTED.trim_end_matches("_total"), "counter"),
        (MOVED.trim_end_matches("_total"), "counter"),
        (VERIFIED, "histogram"),
        (PUSHES.trim_end_matches("_total"), "counter"),
        ("pinreset_outbox_depth", "gauge"),
        ("pinreset_idle_check_ins", "counter"),
        ("pinreset_db_connections", "gauge"),
    ] {
        assert!(before.declares(family, kind), "before any event, {family} is not declared a {kind}:\n{}", before.text);
    }
    assert_eq!(before.sum(PUSHES, &[("outcome", "sent")]), 0.0, "a push panel has its outcomes at zero before the first push");

    let galaxy = h.device("Galaxy S5").await;
    let galaxy_path = format!("/devices/{}/actions/reset-passcode", galaxy["id"].as_str().unwrap());
    let (s, action) = h.post(&galaxy_path).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{action}");
    let (s, again) = h.post(&galaxy_path).await;
    assert_eq!((s, again["deduplicated"].as_bool()), (StatusCode::ACCEPTED, Some(true)), "{again}");
    let pixel = h.device("Pixel (Android 7.1").await;
    let (s, refused) = h.post(&format!("/devices/{}/actions/reset-passcode", pixel["id"].as_str().unwrap())).await;
    assert_eq!(refused["code"], "android_device_admin_unsupported", "{s} {refused}");

    // The Galaxy has no push channel: its wake-up is worked (by this instance's dispatcher) and
    // marked "reached at its next check-in". Waiting for the outbox to drain is waiting for
    // that outcome, which is counted before the entry is marked done.
    let mut depth = u64::MAX;
    for _ in 0..250 {
        depth = h.state().store.outbox_depth().await.unwrap();
        if depth == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(depth, 0, "the wake-up was never worked");

    // The device answers three minutes later.
    h.clock.advance(Duration::minutes(3));
    device_sets_passcode(&h, &action, "Kp4mRt7x").await;
    // The maintenance tick re-reads the outbox depth on every instance.
    maintenance::run_tick(h.state(), std::time::Duration::from_secs(60)).await.unwrap();

    let after = scrape(&h).await;
    let moved = |name: &str, labels: &[(&str, &str)]| after.sum(name, labels) - before.sum(name, labels);
    let reset = ("kind", "reset_passcode");
    assert_eq!(moved(REQUESTED, &[reset, ("outcome", "queued")]), 1.0, "{}", after.text);
    assert_eq!(moved(REQUESTED, &[reset, ("outcome", "deduplicated")]), 1.0);
    assert_eq!(moved(REQUESTED, &[reset, ("outcome", "refused"), ("code", "android_device_admin_unsupported")]), 1.0);
    for state in ["queued", "delivered", "acknowledged", "succeeded"] {
        assert_eq!(moved(MOVED, &[reset, ("state", state)]), 1.0, "{state}");
    }
    assert_eq!(moved(MOVED, &[reset, ("state", "failed")]), 0.0);
    assert_eq!(moved(&format!("{VERIFIED}_count"), &[reset]), 1.0, "one verified success");
    assert_eq!(moved(&format!("{VERIFIED}_sum"), &[reset]), 180.0, "three minutes from request to verified success");
    assert_eq!(moved(&format!("{VERIFIED}_bucket"), &[reset, ("le", "120.0")]), 0.0, "not within two minutes");
    assert_eq!(moved(&format!("{VERIFIED}_bucket"), &[reset, ("le", "300.0")]), 1.0, "within five minutes");
    assert_eq!(moved(PUSHES, &[("outcome", "not_pushable")]), 1.0, "the Galaxy's wake-up: reached at its next check-in");
    assert_eq!(after.sum("pinreset_outbox_depth", &[]), 0.0, "the outbox drained");
    // The API's answers: at least the two accepted requests and the refusal, by status class.
    assert!(moved(HTTP, &[("family", "api"), ("status", "2xx")]) >= 2.0, "{}", after.text);
    assert!(moved(HTTP, &[("family", "api"), ("status", "4xx")]) >= 1.0);
    assert!(moved(HTTP, &[("family", "metrics"), ("status", "2xx")]) >= 1.0, "the first scrape was counted");
    assert!(after.declares("pinreset_http_request_duration_seconds", "histogram"));
    assert!(after.sum("pinreset_http_request_duration_seconds_count", &[("family", "api")]) >= 3.0);
    assert!(after.sum("pinreset_db_connections_max", &[]) >= 1.0, "the pool's size is shown");
    // The shipped Grafana dashboard asks only for series the server exposes.
    let dashboard = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../deploy/grafana-pinreset.json")).unwrap();
    let mut asked: Vec<&str> = dashboard
        .match_indices("pinreset_")
        .map(|(at, _)| {
            let rest = &dashboard[at..];
            &rest[..rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len())]
        })
        .collect();
    asked.dedup();
    for name in asked {
        let family = ["_total", "_bucket"].iter().fold(name, |n, suffix| n.strip_suffix(suffix).unwrap_or(n));
        assert!(
            after.text.lines().any(|l| l.starts_with(&format!("# TYPE {family} "))),
            "the dashboard asks for {name}, which the server does not expose"
        );
    }
    let ids = [action["id"].as_str().unwrap(), action["tenant_id"].as_str().unwrap(), "Kp4mRt7x"];
    assert_names_no_one(&h, &after, &ids).await;
}

/// A simulated iPhone: its idle polls are counted by channel, the push that wakes it for a
/// reset is counted as sent, and one APNs refuses as unregistered.
pub(crate) async fn metrics_follow_a_simulated_iphone_through_apns(b: Backend) {
    let (push_cert, push_key) = push_certificate("com.apple.mgmt.External.0e9f4b1c-metrics");
    let apns = StandInApns::start(push_cert.der().to_vec()).await.unwrap();
    let push =
        pinreset_server::app::push::PushConfig { apns_url: apns.url.clone(), extra_root_pem: Some(apns.ca_pem.clone().into_bytes()) };
    let h = start_configured(b, |o| {
        o.push = push;
        o.metrics = Exposure::MainListener;
    })
    .await;
    assert_eq!(upload_push_certificate(&h, &push_cert.pem(), &push_key.serialize_pem()).await.status(), StatusCode::OK);
    let ca_pem = std::fs::read_to_string(h.server.ca_pem.as_ref().unwrap()).unwrap();
    let park = ApplePark { h, apns, ca_pem };
    let h = &park.h;
    let mut iphone = enrolled(&park, "alice", AppleKind::Iphone17, Transport::TlsClientCert).await;

    let before = scrape(h).await;
    assert!(iphone.poll().await.unwrap().is_empty(), "nothing queued");
    let idle = scrape(h).await;
    let idle_moved = idle.sum("pinreset_idle_check_ins_total", &[("channel", "apple-mdm")])
        - before.sum("pinreset_idle_check_ins_total", &[("channel", "apple-mdm")]);
    assert_eq!(idle_moved, 1.0, "{}", idle.text);
    assert!(
        idle.sum(HTTP, &[("family", "apple_mdm"), ("status", "2xx")]) > before.sum(HTTP, &[("family", "apple_mdm"), ("status", "2xx")])
    );

    let d = first_device(h, &iphone.udid).await;
    let device_path = format!("/devices/{}", d["id"].as_str().unwrap());
    let (s, reset) = h.post(&format!("{device_path}/actions/reset-passcode")).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{reset}");
    let answered = iphone.poll_on_push(&park.apns, std::time::Duration::from_secs(10)).await.unwrap().expect("a push woke the device");
    assert_eq!(answered.len(), 2, "ClearPasscode, then SecurityInfo verifies it");
    // The push is counted once APNs has answered, which may be after the device woke up.
    let mut after = scrape(h).await;
    for _ in 0..100 {
        if after.sum(PUSHES, &[("outcome", "sent")]) > before.sum(PUSHES, &[("outcome", "sent")]) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        after = scrape(h).await;
    }
    assert_eq!(after.sum(PUSHES, &[("outcome", "sent")]) - before.sum(PUSHES, &[("outcome", "sent")]), 1.0, "{}", after.text);
    let reset_kind = ("kind", "reset_passcode");
    assert_eq!(after.sum(&format!("{VERIFIED}_count"), &[reset_kind]) - before.sum(&format!("{VERIFIED}_count"), &[reset_kind]), 1.0);

    // APNs stops accepting the token: the next wake-up is counted as unregistered.
    park.apns.unregister(&iphone.push_token_hex());
    let (s, _) = h.post(&format!("{device_path}/actions/remote-lock")).await;
    assert_eq!(s, StatusCode::ACCEPTED);
    let mut last = scrape(h).await;
    for _ in 0..100 {
        if last.sum(PUSHES, &[("outcome", "unregistered")]) > 0.0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        last = scrape(h).await;
    }
    assert_eq!(last.sum(PUSHES, &[("outcome", "unregistered")]), 1.0, "{}", last.text);
    assert_names_no_one(h, &last, &[&iphone.udid, &iphone.push_token_hex(), d["id"].as_str().unwrap()]).await;
}

/// `/metrics` exists only where the operator asked for it: not by default, and with
/// `--metrics-listen` on that address alone (plain HTTP), not beside the API.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_are_served_only_where_asked() {
    let h = start(Backend::Sqlite).await;
    let r = h.http.get(format!("{}/metrics", h.base())).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "off by default");
    assert_eq!(h.server.metrics_addr, None);
    drop(h);

    let h = start_configured(Backend::Sqlite, |o| o.metrics = Exposure::Listen("127.0.0.1:0".parse().unwrap())).await;
    let r = h.http.get(format!("{}/metrics", h.base())).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "not on the main listener when a separate one is asked for");
    let at = h.server.metrics_addr.expect("the metrics listener's address");
    let (s, _) = h.get("/devices").await;
    assert_eq!(s, StatusCode::OK);
    let scraped = scrape_at(&reqwest::Client::new(), &format!("http://{at}/metrics")).await;
    assert!(
        scraped.sum(HTTP, &[("family", "api"), ("status", "2xx")]) >= 1.0,
        "the main listener's requests are measured:\n{}",
        scraped.text
    );
    assert_eq!(scraped.sum(HTTP, &[("family", "metrics"), ("status", "4xx")]), 1.0, "the probe of the main listener was answered 404");
    assert_eq!(
        scraped.sum(HTTP, &[("family", "metrics"), ("status", "2xx")]),
        0.0,
        "scrapes of the metrics listener are not counted as traffic"
    );
}
