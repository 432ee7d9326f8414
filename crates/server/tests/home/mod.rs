//! The home page's readiness figures come from one aggregate in the store (devices grouped by
//! what decides whether they could be reset), not from a scan of every device per load. They
//! must say exactly what the full report says — at the start and right after a change: the
//! PIN reset consent, a new device, a retired one, time passing without check-ins.

use crate::paging::AdminWeb;
use crate::*;

/// The figures the home page shows: devices, not ready, and devices per reason.
async fn home_figures(web: &AdminWeb) -> (u64, u64, Vec<(String, u64)>) {
    let html = web.get("/admin".into()).await;
    let number =
        |id: &str| -> u64 { html.split(&format!("id=\"{id}\">")).nth(1).unwrap().split('<').next().unwrap().trim().parse().unwrap() };
    let mut reasons: Vec<(String, u64)> = html
        .split("data-reason=\"")
        .skip(1)
        .map(|rest| {
            let code = rest.split('"').next().unwrap().to_string();
            let value = rest.split("hbar-value\">").nth(1).unwrap();
            let n = value.chars().take_while(char::is_ascii_digit).collect::<String>().parse().unwrap();
            (code, n)
        })
        .collect();
    reasons.sort();
    (number("count-devices"), number("count-not-ready"), reasons)
}

/// The same figures from the full report (every device looked at, one by one).
async fn report_figures(h: &Harness) -> (u64, u64, Vec<(String, u64)>) {
    let (s, report) = h.get("/readiness").await;
    assert_eq!(s, StatusCode::OK, "{report}");
    let mut reasons: Vec<(String, u64)> = report["by_reason"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["reason_code"].as_str().unwrap().to_string(), r["devices"].as_u64().unwrap()))
        .collect();
    reasons.sort();
    (report["devices"].as_u64().unwrap(), report["not_ready_devices"].as_u64().unwrap(), reasons)
}

pub async fn home_readiness_figures_match_the_report_after_changes(b: Backend) {
    let h = start(b).await;
    let web = AdminWeb::sign_in(&h).await;
    let start_figures = home_figures(&web).await;
    assert_eq!(start_figures, report_figures(&h).await, "at the start");
    assert!(start_figures.1 > 0, "{start_figures:?}");

    // Consent revoked: Windows passcode resets are refused again; the home page says so on its
    // next load. Given again: back to the start.
    let consent = |granted: bool| h.post_as(&h.creds.admin_token, "/tenant/pin-reset-consent", Some(json!({ "granted": granted })));
    assert_eq!(consent(false).await.0, StatusCode::OK);
    let revoked = home_figures(&web).await;
    assert_eq!(revoked, report_figures(&h).await, "after the consent was revoked");
    assert!(revoked.1 > start_figures.1 && revoked.2.iter().any(|(c, _)| c == "tenant_not_onboarded"), "{revoked:?}");
    assert_eq!(consent(true).await.0, StatusCode::OK);
    let consented = home_figures(&web).await;
    assert_eq!(consented, start_figures, "after the consent was given again");

    // A new device that cannot be reset (a copy of an iPhone without its UnlockToken), then
    // an existing one retired.
    let (_, page) = h.get("/devices?limit=500").await;
    let devices: Vec<pinreset_core::Device> = serde_json::from_value(page["items"].clone()).unwrap();
    let iphone = devices.iter().find(|d| d.platform == pinreset_core::Platform::Ios).expect("the demo has an iPhone");
    let copy = pinreset_core::Device {
        id: pinreset_core::DeviceId::new(),
        name: "Second iPhone".into(),
        udid: None,
        unlock_token_escrowed: false,
        ..iphone.clone()
    };
    h.state().store.upsert_device(&copy).await.unwrap();
    let added = home_figures(&web).await;
    assert_eq!(added, report_figures(&h).await, "after a device is added");
    assert_eq!((added.0, added.1), (consented.0 + 1, consented.1 + 1));
    let retired = pinreset_core::Device { retired_at: Some(chrono::Utc::now()), ..copy };
    h.state().store.upsert_device(&retired).await.unwrap();
    assert_eq!(home_figures(&web).await, consented, "the retired device is left out again");

    // 31 days without a check-in: every device is silent.
    h.clock.advance(Duration::days(31));
    let web = AdminWeb::sign_in(&h).await; // the session ended meanwhile
    let silent = home_figures(&web).await;
    assert_eq!(silent, report_figures(&h).await, "after time passed");
    assert_eq!(silent.1, silent.0, "no device has been in touch: none could be reset");
    assert!(silent.2.contains(&("not_checked_in".to_string(), silent.0)), "{silent:?}");
}
