//! A device's page as an admin uses it with simulated devices on the real wire: a Mac locked
//! from the confirmation form with a lock-screen message and phone number (bad input comes
//! back with its reason and queues nothing), its PIN revealed with a copy button and how long
//! it stays readable; and the EnablePinRecovery profile assigned to a group, which a simulated
//! Windows desktop applies in its OMA-DM session (Succeeded) while a simulated iPhone of the
//! same user is Not applicable.

use super::driver::{DESKTOP, PHONE};
use super::{actions_of, browser_signed_in, form_sign_in, raw_client};
use crate::apple::sim::{apple_park, enrolled};
use crate::*;
use fantoccini::Locator;
use pinreset_sim::apple::{AppleKind, Transport};
use std::time::Duration as StdDuration;

const MESSAGE: &str = "Found this Mac? Please call IT.";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_lock_with_a_message_reaches_the_mac_and_its_pin_is_revealed_and_copied() {
    let park = apple_park(Backend::Sqlite).await;
    let h = &park.h;
    let mut mac = enrolled(&park, "alice", AppleKind::Macos14, Transport::TlsClientCert).await;
    let id = first_device(h, &mac.udid).await["id"].as_str().unwrap().to_string();
    let b = browser_signed_in(h, "admin").await;
    b.open(&format!("/admin/devices/{id}")).await;
    b.click("#action-remote-lock").await;
    assert!(b.exists("#message").await && b.exists("#phone_number").await, "an Apple lock takes a message and a number");

    // Not a phone number: the form comes back with the reason and what was typed; nothing queued.
    b.fill("#message", MESSAGE).await;
    b.fill("#phone_number", "call me maybe").await;
    b.click("#confirm-submit").await;
    let error = b.text("#confirm-error").await;
    assert!(error.contains("\"phone_number\" must be a phone number"), "{error}");
    let kept = b.client.find(Locator::Css("#message")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(kept.as_deref(), Some(MESSAGE), "what was typed is kept");
    b.screenshot("lock-confirm-error-en-phone", PHONE).await;
    assert!(actions_of(h, &id).await.is_empty(), "nothing was queued");
    // Too long for the lock screen (the field's maxlength stops a browser; a forged form is refused).
    let (session, csrf) = form_sign_in(h, "admin").await;
    let long = "x".repeat(201);
    let r = raw_client(h)
        .post(format!("{}/admin/devices/{id}/actions/remote-lock", h.base()))
        .header("cookie", format!("pinreset_session={session}; pinreset_csrf={csrf}"))
        .form(&[("csrf", csrf.as_str()), ("message", long.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains("at most 200 characters"));
    assert!(actions_of(h, &id).await.is_empty(), "still nothing queued");

    // A real number: queued; the Mac, woken by its push, locks with both on its screen.
    b.fill("#phone_number", "+46 8 123 45 67").await;
    b.click("#confirm-submit").await;
    assert!(b.text("#notice").await.contains("Remote lock"), "queued");
    mac.poll_on_push(&park.apns, StdDuration::from_secs(10)).await.unwrap().expect("a push woke the Mac");
    assert!(mac.locked());
    assert_eq!(mac.lock_message(), Some(MESSAGE));
    let actions = actions_of(h, &id).await;
    assert_eq!(actions[0]["params"]["phone_number"], "+46 8 123 45 67", "{}", actions[0]);

    // The PIN the Mac was locked with: Show, how long it stays readable, Copy.
    b.open(&format!("/admin/devices/{id}")).await;
    assert_eq!(b.text("#expires-in").await, "Expires in 7 days", "the server's clock stands still in tests");
    b.click("#show-passcode").await;
    assert_eq!(b.text("#passcode").await, mac.lock_pin().unwrap());
    let copy = b.client.find(Locator::Css("#copy-passcode")).await.unwrap();
    assert!(copy.is_displayed().await.unwrap(), "admin.js shows the copy button");
    copy.click().await.unwrap();
    let mut state = None;
    for _ in 0..40 {
        state = copy.attr("data-state").await.unwrap();
        if state.is_some() {
            break;
        }
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
    // Headless Chromium may refuse the clipboard; either way the button says what happened.
    let said = copy.text().await.unwrap();
    match state.as_deref() {
        Some("copied") => assert_eq!(said, "Copied"),
        Some("failed") => assert_eq!(said, "Select the passcode and copy it"),
        other => panic!("the copy button did nothing: {other:?}"),
    }
    b.screenshot("lock-pin-revealed-en-desktop", DESKTOP).await;
    b.screenshot("lock-pin-revealed-en-phone", PHONE).await;

    // The audit log names each event in the page's language.
    b.open("/admin/language?set=ja&next=/admin/audit").await;
    let requested = b.text("#audit tr[data-kind='action_requested'] .kind").await;
    assert_eq!(requested, "操作を要求");
    assert!(b.text("#audit tr[data-kind='passcode_read']").await.contains("パスコードを表示"));
    b.screenshot("audit-ja-phone", PHONE).await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_pin_recovery_profile_succeeds_on_a_simulated_desktop_and_skips_the_iphone() {
    use pinreset_sim::windows::{WindowsDevice, WindowsProfile};
    let park = apple_park(Backend::Sqlite).await;
    let h = &park.h;
    // One person, two simulated devices on the real wire: a Windows 11 desktop and an iPhone.
    let user = support::windows_device::contoso_user(h.state().store.as_ref()).await;
    let ca = std::fs::read_to_string(h.server.ca_pem.as_ref().unwrap()).unwrap();
    let mut desktop = WindowsDevice::enroll(&h.server.base_url(), &ca, "user@contoso.com", "mypassword", WindowsProfile::Windows11Desktop)
        .await
        .expect("the desktop enrolls");
    desktop.run_session().await.expect("a first session");
    let iphone = enrolled(&park, &user.login, AppleKind::Iphone17, Transport::TlsClientCert).await;
    let desktop_name = first_device(h, &desktop.device_id).await["name"].as_str().unwrap().to_string();
    let iphone_name = first_device(h, &iphone.udid).await["name"].as_str().unwrap().to_string();
    let group = pinreset_core::UserGroup {
        id: pinreset_core::UserGroupId::new(),
        tenant_id: user.tenant_id,
        name: "PIN recovery pilot".into(),
        members: vec![user.id],
    };
    h.state().store.create_user_group(&group).await.unwrap();

    // The profile from its template, assigned to the pilot group in the browser.
    let b = browser_signed_in(h, "admin").await;
    b.open("/admin/profiles").await;
    b.click("#profile-new-pin-recovery").await;
    b.click("#profile-save").await;
    let profile_path = b.path().await.split('?').next().unwrap().to_string();
    b.client.find(Locator::Css(&format!("input[name='group:user:{}'][value=include]", group.id))).await.unwrap().click().await.unwrap();
    b.click("#assign-save").await;
    assert!(b.text("#assigned").await.contains("PIN recovery pilot"));
    let row = |table: &str, device: &str| {
        table.lines().find(|l| l.contains(device)).unwrap_or_else(|| panic!("{device} not in\n{table}")).to_string()
    };
    let table = b.text("#device-status").await;
    assert!(row(&table, &desktop_name).contains("Pending"), "{table}");
    assert!(row(&table, &iphone_name).contains("Not applicable"), "{table}");

    // The desktop's next OMA-DM session: the setting arrives with the directory id filled in,
    // the device applies it and answers 200.
    let log = desktop.run_session().await.expect("a session with the profile");
    let (_, tenant) = h.get("/tenant").await;
    let uri = format!("./Device/Vendor/MSFT/PassportForWork/{}/Policies/EnablePinRecovery", tenant["directory_id"].as_str().unwrap());
    assert_eq!(log.status_for(&uri), Some(200), "the desktop applied {uri}");
    assert_eq!(desktop.tree_value(&uri), Some("true"));
    b.open(&profile_path).await;
    let table = b.text("#device-status").await;
    assert!(row(&table, &desktop_name).contains("Succeeded"), "{table}");
    assert!(row(&table, &iphone_name).contains("Not applicable"), "{table}");
    assert!(b.text("#count-succeeded").await.contains('1'));
    b.screenshot("profile-status-simulated-en-desktop", DESKTOP).await;
    b.close().await;
}

/// At phone width (390 px) every monitoring page, in the languages with the longest words and
/// the widest characters, fits the screen: nothing wider than the viewport (a table cell, a
/// long Swedish compound, an unbroken detail). Whole-page screenshots for a person to look at.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_monitoring_pages_fit_a_phone_in_every_language() {
    let h = start(Backend::Sqlite).await;
    let (_, reset) = super::monitor::a_failure_and_a_success(&h).await;
    let b = browser_signed_in(&h, "admin").await;
    let device = reset["device_id"].as_str().unwrap();
    b.open(&format!("/admin/devices/{device}")).await;
    b.click("#show-passcode").await;
    const TALL_PHONE: (u32, u32) = (PHONE.0, 2400);
    for lang in ["zh-TW", "sv", "it", "ja", "en"] {
        for (name, path) in [
            ("home", "/admin".to_string()),
            ("readiness", "/admin/readiness".to_string()),
            ("audit", "/admin/audit".to_string()),
            ("actions", "/admin/actions".to_string()),
            ("devices", "/admin/devices?sort=last_check_in&dir=desc".to_string()),
            ("device", format!("/admin/devices/{device}")),
        ] {
            b.open(&format!("/admin/language?set={lang}&next={}", path.replace('&', "%26").replace('?', "%3F"))).await;
            b.client.set_window_size(TALL_PHONE.0, TALL_PHONE.1).await.unwrap();
            let overflow = b
                .client
                .execute(
                    "const w = document.documentElement.clientWidth; \
                     return [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > w + 1) \
                       .map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').trim().slice(0, 40));",
                    vec![],
                )
                .await
                .unwrap();
            assert_eq!(overflow, serde_json::json!([]), "{lang} {name}: wider than the phone");
            b.screenshot(&format!("{name}-{lang}-phone-full"), TALL_PHONE).await;
        }
    }
    b.close().await;
}
