//! The monitoring pages as an admin uses them: the home page's counts and charts, the reset
//! readiness report and its CSV, the audit log with a passcode reveal in it and its exports,
//! and the actions monitor with failures first. SQLite, demo data.

use super::driver::{DESKTOP, PHONE};
use super::{actions_of, browser_signed_in, raw_client, LANGS};
use crate::*;
use fantoccini::Locator;

/// A failed remote lock (the oldest action) and a succeeded passcode reset after it.
pub(super) async fn a_failure_and_a_success(h: &Harness) -> (Value, Value) {
    let lumia635 = h.device("Lumia 635").await;
    let (_, lock) = h.post(&format!("/devices/{}/actions/remote-lock", lumia635["id"].as_str().unwrap())).await;
    let (t, id, cause) = (h.tenant(&lock), action_id(&lock), device_cause(&lock));
    device_results::delivered(h.state(), t, id, cause.clone()).await.unwrap();
    device_results::failed(h.state(), t, id, cause, ErrorCode::DeviceNoPinSet, Some("SyncML status 405".into())).await.unwrap();
    let lumia950 = h.device("Lumia 950").await;
    let (_, reset) = h.post(&format!("/devices/{}/actions/reset-passcode", lumia950["id"].as_str().unwrap())).await;
    device_sets_passcode(h, &reset, "M3XN-Q8RT").await;
    (lock, reset)
}

/// RFC 4180 rows (quoted cells with commas, doubled quotes and line breaks).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut cell, mut quoted) = (vec![], vec![], String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut cell)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => cell.push(c),
        }
    }
    rows
}

/// A download with the browser's session, as the link on the page fetches it.
async fn download(h: &Harness, b: &super::driver::Browser, path: &str) -> (reqwest::header::HeaderMap, String) {
    let session = b.cookie("pinreset_session").await;
    let r = raw_client(h).get(format!("{}{path}", h.base())).header("cookie", format!("pinreset_session={session}")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    let headers = r.headers().clone();
    (headers, r.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_home_shows_counts_and_both_charts() {
    let h = start(Backend::Sqlite).await;
    a_failure_and_a_success(&h).await;
    let (_, devices) = h.get("/devices?limit=200").await;
    let total = devices["total"].as_u64().unwrap();
    let b = browser_signed_in(&h, "admin").await;
    b.open("/admin").await;
    assert_eq!(b.path().await, "/admin", "the home page, no longer a redirect");
    assert_eq!(b.text("#count-devices").await, total.to_string());
    assert_eq!(b.text("#count-failed").await, "1", "the failed remote lock");
    assert_eq!(b.text("#count-pending").await, "0");
    let not_ready: u64 = b.text("#count-not-ready").await.parse().unwrap();
    assert!(not_ready >= 5 && not_ready < total, "some demo devices cannot be reset: {not_ready}");
    let platforms = b.text("#platforms").await;
    assert!(platforms.contains("Windows 10 Mobile") || platforms.contains("Android"), "{platforms}");
    // The actions chart: today's bar has a succeeded and a failed segment, and its table says so.
    let chart = b.client.find(Locator::Css("#actions-chart svg")).await.unwrap();
    for class in ["seg-ok", "seg-bad"] {
        assert_eq!(chart.find_all(Locator::Css(&format!("rect.{class}"))).await.unwrap().len(), 1, "{class}");
    }
    let label = chart.attr("aria-label").await.unwrap().unwrap();
    assert!(label.contains("2 actions") && label.contains("1 of them failed"), "{label}");
    let rows = b.client.find_all(Locator::Css("#actions-per-day tbody tr")).await.unwrap();
    assert_eq!(rows.len(), 30);
    let today = rows.last().unwrap().html(true).await.unwrap();
    assert!(today.contains(&chrono::Utc::now().format("%Y-%m-%d").to_string()), "{today}");
    // The readiness chart: one bar per reason, labelled with the reason and the count.
    let bars = b.text("#readiness-chart").await;
    assert!(bars.contains(ErrorCode::AndroidDeviceAdminUnsupported.reason()) && bars.contains("1 device"), "{bars}");
    assert!(b.client.find_all(Locator::Css("#readiness-chart svg rect.hbar-fill")).await.unwrap().len() >= 3);
    assert!(b.client.find(Locator::Css("a.nav-item.active[href='/admin']")).await.is_ok(), "Home is the active navigation entry");
    for (lang, _) in LANGS {
        b.open(&format!("/admin/language?set={lang}&next=/admin")).await;
        assert_eq!(b.text("#count-failed").await, "1");
        b.screenshot(&format!("home-{lang}-desktop"), DESKTOP).await;
        b.screenshot(&format!("home-{lang}-phone"), PHONE).await;
    }
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_readiness_lists_devices_that_cannot_be_reset_and_the_csv_matches() {
    let h = start(Backend::Sqlite).await;
    let b = browser_signed_in(&h, "admin").await;
    b.click("a.nav-item[href='/admin/readiness']").await;
    assert_eq!(b.path().await, "/admin/readiness");
    let table = b.text("#readiness").await;
    let pixel = h.device("Pixel (Android 7.1").await;
    let iphone12 = h.device("iPhone 12").await;
    let iphone15 = h.device("iPhone 15").await;
    let row = |id: &Value| format!("#readiness tr[data-reason] a[href='/admin/devices/{}']", id.as_str().unwrap());
    assert!(b.exists(&row(&pixel["id"])).await, "{table}");
    assert!(b.exists(&row(&iphone12["id"])).await, "{table}");
    assert!(!b.exists(&row(&iphone15["id"])).await, "the iPhone with its UnlockToken could be reset:\n{table}");
    assert!(table.contains("factory reset"), "the Android 7.0 device's fix says factory reset:\n{table}");
    assert!(table.contains(ErrorCode::IosNoUnlockToken.reason()), "{table}");
    // The same rows in the CSV: (device id, reason code) pairs.
    let mut on_page = vec![];
    for tr in b.client.find_all(Locator::Css("#readiness tbody tr")).await.unwrap() {
        let reason = tr.attr("data-reason").await.unwrap().unwrap();
        let href = tr.find(Locator::Css("a")).await.unwrap().attr("href").await.unwrap().unwrap();
        on_page.push((href.trim_start_matches("/admin/devices/").to_string(), reason));
    }
    let (headers, csv) = download(&h, &b, "/admin/readiness.csv").await;
    assert!(headers["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(headers["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let rows = parse_csv(&csv);
    assert_eq!(rows[0], ["device id", "name", "owner", "platform", "os version", "reset token", "reason code", "reason", "fix"]);
    let mut in_csv: Vec<(String, String)> = rows[1..].iter().map(|r| (r[0].clone(), r[6].clone())).collect();
    on_page.sort();
    in_csv.sort();
    assert_eq!(on_page, in_csv, "the download has the page's rows");
    let pixel_row = rows.iter().find(|r| r[0] == pixel["id"].as_str().unwrap()).unwrap();
    assert_eq!(
        (pixel_row[5].as_str(), pixel_row[6].as_str()),
        ("none", "android_device_admin_unsupported"),
        "a device admin holds no reset token"
    );
    assert!(pixel_row[8].contains("factory reset"), "{pixel_row:?}");
    assert!(rows[1..].iter().filter(|r| r[3] != "android").all(|r| r[5].is_empty()), "the token is an Android column");
    // The API answers the same report as JSON, and limits it to a group.
    let (s, report) = h.get("/readiness").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(report["rows"].as_array().unwrap().len(), in_csv.len());
    let (_, groups) = h.get("/groups").await;
    let windows = groups["device_groups"].as_array().unwrap().iter().find(|g| g["name"] == "Windows devices").unwrap();
    let (_, only) = h.get(&format!("/readiness?group={}", windows["id"].as_str().unwrap())).await;
    assert!(only["rows"].as_array().unwrap().iter().all(|r| r["platform"].as_str().unwrap().starts_with("windows")), "{only}");
    let (s, _) = h.get("/readiness?stale_days=0").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    // The page in every language (the reasons translated), the group filter kept in the link.
    b.open(&format!("/admin/readiness?group={}", windows["id"].as_str().unwrap())).await;
    assert!(!b.text("#readiness").await.contains("Pixel"), "the group filter narrows the list");
    b.screenshot("readiness-windows-group-en-desktop", DESKTOP).await;
    for (lang, _) in LANGS {
        b.open(&format!("/admin/language?set={lang}&next=/admin/readiness")).await;
        let table = b.text("#readiness").await;
        if lang != "en" {
            assert!(!table.contains(ErrorCode::IosNoUnlockToken.reason()), "{lang}: {table}");
        }
        b.screenshot(&format!("readiness-{lang}-desktop"), DESKTOP).await;
    }
    b.screenshot("readiness-it-phone", PHONE).await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_audit_log_shows_the_reveal_and_exports_it() {
    let h = start(Backend::Sqlite).await;
    let (_, reset) = a_failure_and_a_success(&h).await;
    let device_id = reset["device_id"].as_str().unwrap().to_string();
    let b = browser_signed_in(&h, "admin").await;
    b.open(&format!("/admin/devices/{device_id}")).await;
    b.click("#show-passcode").await;
    assert_eq!(b.text("#passcode").await, "M3XN-Q8RT");
    b.click("a.nav-item[href='/admin/audit']").await;
    let first = b.text("#audit tbody tr").await;
    assert!(first.contains("Passcode revealed") && first.contains("user:admin"), "the newest event is the reveal: {first}");
    assert!(first.contains("Lumia 950"), "the device by its name: {first}");
    // Filter: only reveals, by the admin, today.
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    b.open(&format!("/admin/audit?kind=passcode_read&actor=admin&from={today}&to={today}")).await;
    let rows = b.client.find_all(Locator::Css("#audit tbody tr")).await.unwrap();
    assert_eq!(rows.len(), 1, "one reveal");
    assert_eq!(rows[0].attr("data-kind").await.unwrap().as_deref(), Some("passcode_read"));
    b.open("/admin/audit?kind=passcode_read&to=2000-01-01").await;
    assert!(!b.exists("#audit").await, "nothing before 2000");
    b.open("/admin/audit?action=remote_lock").await;
    assert!(!b.text("#audit").await.contains("Passcode revealed"), "the action filter leaves out the reset's reveal");
    b.open(&format!("/admin/audit?device={device_id}")).await;
    b.screenshot("audit-en-desktop", DESKTOP).await;
    b.screenshot("audit-en-phone", PHONE).await;
    // The exports keep the filters and carry the reveal, never the passcode.
    let query = format!("kind=passcode_read&device={device_id}");
    let (headers, csv) = download(&h, &b, &format!("/admin/audit.csv?{query}")).await;
    assert_eq!(headers["content-disposition"], "attachment; filename=\"audit.csv\"");
    let rows = parse_csv(&csv);
    assert_eq!(rows.len(), 2, "header and the reveal: {csv}");
    assert_eq!((rows[1][2].as_str(), rows[1][3].as_str(), rows[1][4].as_str()), ("user:admin", "passcode_read", device_id.as_str()));
    let (headers, jsonl) = download(&h, &b, &format!("/admin/audit.jsonl?{query}")).await;
    assert_eq!(headers["content-disposition"], "attachment; filename=\"audit.jsonl\"");
    let lines: Vec<Value> = jsonl.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 1);
    assert_eq!((lines[0]["kind"].as_str(), lines[0]["actor"].as_str()), (Some("passcode_read"), Some("user:admin")));
    let (_, all) = download(&h, &b, "/admin/audit.jsonl").await;
    assert!(all.lines().count() > 3 && !all.contains("M3XN-Q8RT") && !csv.contains("M3XN-Q8RT"), "the passcode is never exported");
    // The API's audit takes the same new filters.
    let (_, reveals) = h.get(&format!("/audit?kind=passcode_read&device={device_id}")).await;
    assert_eq!(reveals.as_array().unwrap().len(), 1);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_actions_monitor_lists_failures_first() {
    let h = start(Backend::Sqlite).await;
    let (lock, reset) = a_failure_and_a_success(&h).await;
    assert_eq!(actions_of(&h, lock["device_id"].as_str().unwrap()).await[0]["state"], "failed");
    let b = browser_signed_in(&h, "admin").await;
    b.click("a.nav-item[href='/admin/actions']").await;
    let rows = b.client.find_all(Locator::Css("#actions tbody tr")).await.unwrap();
    assert_eq!(rows.len(), 2);
    let first = rows[0].text().await.unwrap();
    let second = rows[1].text().await.unwrap();
    assert!(first.contains("Failed") && first.contains("Lumia 635") && first.contains(ErrorCode::DeviceNoPinSet.reason()), "{first}");
    assert!(first.contains("SyncML status 405"), "the device's own detail: {first}");
    assert!(second.contains("Succeeded") && second.contains("Lumia 950") && second.contains("Avery Admin"), "{second}");
    assert!(b.text("#action-count").await.contains("of 2 actions"));
    b.screenshot("actions-en-desktop", DESKTOP).await;
    b.screenshot("actions-en-phone", PHONE).await;
    // Filters: by state and by device; the device link opens its overview.
    b.open("/admin/actions?state=succeeded").await;
    let only = b.text("#actions").await;
    assert!(only.contains("Lumia 950") && !only.contains("Lumia 635"), "{only}");
    b.open("/admin/actions?search=635").await;
    assert!(!b.text("#actions").await.contains("Lumia 950"));
    b.click("#actions a[href^='/admin/devices/']").await;
    assert_eq!(b.path().await, format!("/admin/devices/{}", lock["device_id"].as_str().unwrap()));
    let _ = reset;
    b.close().await;
}
