//! The self-service portal as its users meet it, in headless Chromium: an employee resets
//! their own Windows 10 Mobile phone's passcode (the device simulator on the real wire) through
//! sign out, sign in, the warning, "pending" and the temporary passcode the phone now holds,
//! with the notification; waiting past the window is refused; an iPhone shows "passcode
//! removed"; a corporate phone offers the support contact instead; another person's device is
//! not found. Screenshots at phone size in all five languages.

use super::*;
use pinreset_sim::windows::{WindowsDevice, WindowsProfile};

const EMPLOYEE: (&str, &str) = ("user@contoso.com", "mypassword");

async fn portal_sign_in(b: &Browser, email: &str, password: &str) {
    b.fill("#email", email).await;
    b.fill("#password", password).await;
    b.click("#sign-in-submit").await;
}

async fn actions_count(h: &Harness, id: &str) -> usize {
    actions_of(h, id).await.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_portal_resets_a_passcode_after_signing_in_again() {
    let h = start(Backend::Sqlite).await;
    support::windows_device::contoso_user(h.state().store.as_ref()).await;
    let ca = std::fs::read_to_string(h.server.ca_pem.as_ref().unwrap()).unwrap();
    let mut phone = WindowsDevice::enroll(&h.server.base_url(), &ca, EMPLOYEE.0, EMPLOYEE.1, WindowsProfile::Windows10Mobile15063)
        .await
        .expect("the phone enrolls");
    phone.run_session().await.unwrap();
    // Azure AD joined phones enroll as corporate; this one is the employee's own (as an admin
    // would mark it), so the portal may reset it.
    let (_, found) = h.get(&format!("/devices?search={}", phone.device_id)).await;
    let id = found["items"][0]["id"].as_str().unwrap().to_string();
    let mut device = h.state().store.device(h.tenant(&found["items"][0]), id.parse().unwrap()).await.unwrap().unwrap();
    device.ownership = pinreset_core::Ownership::Personal;
    h.state().store.upsert_device(&device).await.unwrap();

    let b = Browser::start(&h.server.base_url()).await;
    b.open("/portal").await;
    assert!(b.path().await.starts_with("/portal/sign-in"), "sent to sign in");
    portal_sign_in(&b, EMPLOYEE.0, EMPLOYEE.1).await;
    assert_eq!(b.path().await, "/portal");
    assert!(b.text("#devices").await.contains(&device.name), "{}", b.text("#devices").await);
    b.click(&format!("#tile-{id}")).await;
    assert_eq!(b.path().await, format!("/portal/devices/{id}"));

    // Reset passcode: first, prove it is you — signed out, then signed in again.
    b.click("#action-reset-passcode").await;
    assert!(b.text("#step-up-why").await.contains(&device.name));
    b.click("#step-up-submit").await;
    assert!(b.path().await.starts_with("/portal/sign-in"));
    assert!(b.exists("#step-up-notice").await, "the sign-in page says why");
    portal_sign_in(&b, EMPLOYEE.0, EMPLOYEE.1).await;
    assert_eq!(b.path().await, format!("/portal/devices/{id}/reset-passcode"), "straight back to the reset");
    // The warning, then the reset.
    assert!(b.text("#caution").await.contains("don't have the device"), "{}", b.text("#caution").await);
    assert!(b.text("#consequence").await.contains("personal and company data"));
    for (lang, _) in LANGS {
        b.open(&format!("/portal/language?set={lang}&next=/portal/devices/{id}/reset-passcode")).await;
        b.screenshot(&format!("portal-warning-{lang}-phone"), PHONE).await;
    }
    b.open(&format!("/portal/language?set=en&next=/portal/devices/{id}/reset-passcode")).await;
    b.click("#confirm-submit").await;
    assert!(b.text("#pending-badge").await.contains("pending"), "reset pending until the phone answers");
    assert_eq!(actions_count(&h, &id).await, 1);

    // The phone connects, takes the reset and sets its new PIN; the owner sees it.
    phone.run_session().await.unwrap();
    b.open(&format!("/portal/devices/{id}")).await;
    assert!(!b.exists("#pending-badge").await);
    b.click("#show-passcode").await;
    assert_eq!(Some(b.text("#passcode").await.as_str()), phone.pin(), "the passcode the phone now holds");
    assert!(b.text("#how-to").await.contains("Settings"), "how to change it");
    assert_eq!(b.text("#unread-count").await, "1", "a notification");
    for (lang, _) in LANGS {
        b.open(&format!("/portal/language?set={lang}&next=/portal/devices/{id}")).await;
        b.click("#show-passcode").await;
        b.screenshot(&format!("portal-passcode-{lang}-phone"), PHONE).await;
        b.open("/portal").await;
        b.screenshot(&format!("portal-devices-{lang}-phone"), PHONE).await;
        b.screenshot(&format!("portal-devices-{lang}-desktop"), DESKTOP).await;
        b.open("/portal/notifications").await;
        b.screenshot(&format!("portal-notifications-{lang}-phone"), PHONE).await;
    }
    b.open("/portal/language?set=en&next=/portal/notifications").await;
    assert!(b.text("#notifications").await.contains("succeeded"));
    b.click("#notifications a").await;
    assert_eq!(b.path().await, format!("/portal/devices/{id}"), "opening it shows the device");
    assert!(!b.exists("#unread-count").await, "and marks it read");
    let (_, audit) = h.get(&format!("/audit?device={id}&limit=100")).await;
    let kinds: Vec<&str> = audit.as_array().unwrap().iter().filter_map(|e| e["kind"].as_str()).collect();
    // Every step is audited with the browser's session and address.
    for kind in ["step_up_requested", "step_up_granted", "warning_accepted", "action_requested", "passcode_read"] {
        assert!(kinds.contains(&kind), "{kind} audited: {kinds:?}");
        let step = audit.as_array().unwrap().iter().find(|e| e["kind"] == kind).unwrap();
        let origin = step["origin"].as_str().unwrap_or_default();
        assert!(origin.starts_with("session=") && origin.ends_with(" client=127.0.0.1"), "{kind} with its origin: {step}");
    }

    // Past the window: the warning is still on screen, but the sign-in is too old now.
    b.open(&format!("/portal/devices/{id}/reset-passcode")).await;
    b.click("#step-up-submit").await;
    portal_sign_in(&b, EMPLOYEE.0, EMPLOYEE.1).await;
    assert!(b.exists("#confirm-submit").await);
    h.clock.advance(chrono::Duration::minutes(6));
    b.click("#confirm-submit").await;
    let error = b.text("#action-error").await;
    assert!(error.contains(ErrorCode::ReauthRequired.reason()), "refused and says why: {error}");
    assert_eq!(actions_count(&h, &id).await, 1, "nothing queued");
    // Showing the passcode needs a recent sign-in too, and offers one.
    b.open(&format!("/portal/devices/{id}")).await;
    b.click("#show-passcode").await;
    assert!(b.exists("#sign-in-again").await, "{}", b.text("#action-error").await);
    b.close().await;
}

/// The Android 6 row: an employee's own phone with our agent (device admin, so the agent sets
/// the new passcode itself) is reset from the portal, and the passcode the portal shows is the
/// one the phone took.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_portal_resets_an_android_6_phone_to_the_passcode_it_took() {
    use pinreset_sim::android::{AndroidDevice, AndroidProfile};
    let h = start(Backend::Sqlite).await;
    // Enrolled as alice's own phone (a token for a personal device), so the portal may reset it.
    let body = json!({ "login": "alice", "ownership": "personal" });
    let (s, token) = h.post_as(&h.creds.admin_token, "/enrollment/android/tokens", Some(body)).await;
    assert_eq!(s, StatusCode::CREATED, "{token}");
    let ca = std::fs::read_to_string(h.server.ca_pem.as_ref().unwrap()).unwrap();
    let mut phone = AndroidDevice::new(AndroidProfile::Android6DeviceAdmin, &h.base(), &ca).unwrap();
    phone.enroll(token["token"].as_str().unwrap(), false).await.expect("the agent enrolls");
    phone.check_in().await.expect("the agent checks in");
    let id = phone.device_id.clone().unwrap();
    let creds = creds_of(&h, "alice");
    let b = Browser::start(&h.server.base_url()).await;
    b.open(&format!("/portal/devices/{id}/reset-passcode")).await;
    portal_sign_in(&b, &creds.email, &creds.password).await;
    assert_eq!(b.path().await, format!("/portal/devices/{id}/reset-passcode"));
    assert!(b.exists("#step-up-submit").await, "{}", b.text("main").await);
    b.click("#step-up-submit").await;
    portal_sign_in(&b, &creds.email, &creds.password).await;
    b.click("#confirm-submit").await;
    assert!(b.exists("#pending-badge").await, "pending until the phone answers");
    let answered = phone.poll(5).await.unwrap();
    assert_eq!((answered[0].kind.as_str(), answered[0].outcome.as_str()), ("reset_passcode", "success"));
    b.open(&format!("/portal/devices/{id}")).await;
    b.click("#show-passcode").await;
    assert_eq!(Some(b.text("#passcode").await.as_str()), phone.passcode(), "the passcode the phone now holds");
    assert!(b.text("#how-to").await.contains("Settings"), "how to change it");
    for (lang, _) in LANGS {
        b.open(&format!("/portal/language?set={lang}&next=/portal/devices/{id}")).await;
        b.click("#show-passcode").await;
        b.screenshot(&format!("portal-android-passcode-{lang}-phone"), PHONE).await;
    }
    b.close().await;
}

/// The portal's whole reset for an iPhone (the Apple simulator over the real MDM protocol,
/// woken through a stand-in APNs): its passcode is cleared with the escrowed UnlockToken.
async fn iphone_reset_from_the_portal(b: &Browser, park: &crate::apple::sim::ApplePark, login: &str) {
    use pinreset_sim::apple::{AppleKind, Transport};
    let h = &park.h;
    let mut iphone = crate::apple::sim::enrolled(park, login, AppleKind::Iphone17, Transport::TlsClientCert).await;
    assert!(iphone.passcode().is_some());
    let (_, found) = h.get(&format!("/devices?search={}", iphone.udid)).await;
    let id = found["items"][0]["id"].as_str().unwrap().to_string();
    // Enrolled by its profile the iPhone counts as corporate; this one is the employee's own.
    let mut device = h.state().store.device(h.tenant(&found["items"][0]), id.parse().unwrap()).await.unwrap().unwrap();
    device.ownership = pinreset_core::Ownership::Personal;
    h.state().store.upsert_device(&device).await.unwrap();
    b.open(&format!("/portal/devices/{id}/reset-passcode")).await;
    b.click("#step-up-submit").await;
    let creds = creds_of(h, login);
    portal_sign_in(b, &creds.email, &creds.password).await;
    b.click("#confirm-submit").await;
    assert!(b.exists("#pending-badge").await);
    let answered = iphone.poll_on_push(&park.apns, std::time::Duration::from_secs(10)).await.unwrap().expect("a push woke the iPhone");
    assert!(answered.iter().any(|a| a.request_type == "ClearPasscode" && a.status == "Acknowledged"), "cleared");
    assert_eq!(iphone.passcode(), None, "the iPhone has no passcode now");
    b.open(&format!("/portal/devices/{id}")).await;
    assert!(b.text("#passcode-removed").await.contains("Touch ID"), "{}", b.text("#reset-result").await);
    assert!(!b.exists("#show-passcode").await, "no temporary passcode on iOS");
    for (lang, _) in LANGS {
        b.open(&format!("/portal/language?set={lang}&next=/portal/devices/{id}")).await;
        b.screenshot(&format!("portal-iphone-removed-{lang}-phone"), PHONE).await;
    }
    b.open(&format!("/portal/language?set=en&next=/portal/devices/{id}")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_portal_shows_ios_results_corporate_support_and_hides_other_devices() {
    let park = crate::apple::sim::apple_park(Backend::Sqlite).await;
    let h = &park.h;
    // The support contact the portal shows.
    let (_, tenant) = h.get("/tenant").await;
    let mut settings = tenant["settings"].clone();
    settings["support_contact"] =
        json!({"name": "Contoso IT", "phone": "+46 8 123 456", "email": "it@contoso.example", "web_page": "https://it.contoso.example"});
    let r = h.http.put(h.url("/tenant/settings")).bearer_auth(&h.creds.admin_token).json(&settings).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // A corporate iPhone of the demo, and its owner.
    let iphone = h.device("iPhone 15").await;
    let iphone_id = iphone["id"].as_str().unwrap().to_string();
    let owner =
        h.state().store.user(h.tenant(&iphone), iphone["primary_user_id"].as_str().unwrap().parse().unwrap()).await.unwrap().unwrap();

    let b = Browser::start(&h.server.base_url()).await;
    b.open("/portal").await;
    let creds = creds_of(h, &owner.login);
    portal_sign_in(&b, &creds.email, &creds.password).await;
    iphone_reset_from_the_portal(&b, &park, &owner.login).await;
    // A corporate iPhone: no Reset passcode here, the company's support instead.
    b.open(&format!("/portal/devices/{iphone_id}")).await;
    assert!(!b.exists("#action-reset-passcode").await);
    assert!(b.exists("#corporate-note").await);
    b.click("#action-reset-passcode-support").await;
    assert_eq!(b.path().await, "/portal/support");
    assert_eq!(b.text("#support-phone").await, "+46 8 123 456");
    for (lang, _) in LANGS {
        b.open(&format!("/portal/language?set={lang}&next=/portal/devices/{iphone_id}")).await;
        b.screenshot(&format!("portal-iphone-{lang}-phone"), PHONE).await;
        b.open("/portal/support").await;
        b.screenshot(&format!("portal-support-{lang}-phone"), PHONE).await;
        b.open("/portal/enroll").await;
        b.screenshot(&format!("portal-enroll-{lang}-phone"), PHONE).await;
    }
    // Someone else's device, or a made-up id: not found, and nothing about it shown.
    let lumia = h.device("Lumia 950").await;
    let not_hers = lumia["id"].as_str().unwrap();
    let session = b.cookie("pinreset_session").await;
    let csrf = b.cookie("pinreset_csrf").await;
    let client = raw_client(h);
    for path in [format!("/portal/devices/{not_hers}"), format!("/portal/devices/{not_hers}/reset-passcode"), "/portal/devices/nope".into()]
    {
        let r = client.get(format!("{}{path}", h.base())).header("cookie", format!("pinreset_session={session}")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(!r.text().await.unwrap().contains("Lumia 950"));
    }
    let r = client
        .post(format!("{}/portal/devices/{not_hers}/remote-lock", h.base()))
        .header("cookie", format!("pinreset_session={session}; pinreset_csrf={csrf}"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(actions_of(h, not_hers).await.is_empty(), "nothing queued on her colleague's phone");
    b.close().await;
}
