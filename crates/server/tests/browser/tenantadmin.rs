//! Tenant administration, Settings and Configuration profiles as an admin uses them: consent to
//! the PIN reset service (and revoke it, which the Lumia's reset button then explains with a
//! link back), the EnablePinRecovery profile from its template with the status a desktop, a
//! phone and an iPhone each get, the settings page (tenant admins only) and the self-service
//! actions it turns off, which the engine refuses to end users.

use super::driver::{Browser, DESKTOP, PHONE};
use super::{browser_signed_in, creds_of, form_sign_in, raw_client, LANGS};
use crate::*;
use fantoccini::Locator;

async fn click_radio(b: &Browser, css: &str) {
    b.client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("no {css}: {e}")).click().await.unwrap();
}

async fn value_of(b: &Browser, css: &str) -> String {
    b.client.find(Locator::Css(css)).await.unwrap().prop("value").await.unwrap().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_pin_reset_consent_is_accepted_listed_and_revoked() {
    let h = start(Backend::Sqlite).await;
    let b = browser_signed_in(&h, "admin").await;
    // The demo tenant has consented: revoke it, as an admin would.
    b.open("/admin/tenant/pin-reset").await;
    b.click("#consent-revoke").await;
    assert!(b.text("#notice").await.contains("Consent was revoked"), "{}", b.text("#notice").await);
    assert!(b.exists("#consent-accept").await);
    let (_, tenant) = h.get("/tenant").await;
    assert_eq!(tenant["settings"]["pin_reset_consented"], false, "{tenant}");
    assert!(tenant["settings"]["pin_reset_consent"].is_null(), "no stale record: {tenant}");
    // The Lumia 950's reset is refused again, says why and links to the consent page.
    let lumia = h.device("Lumia 950").await;
    b.open(&format!("/admin/devices/{}", lumia["id"].as_str().unwrap())).await;
    let button = b.client.find(Locator::Css("#action-reset-passcode")).await.unwrap();
    assert!(!button.is_enabled().await.unwrap(), "Reset passcode is disabled without consent");
    let why = b.text("#why-reset-passcode").await;
    assert!(why.contains(ErrorCode::TenantNotOnboarded.reason()), "{why}");
    b.click("#why-reset-passcode a.fix-link").await;
    assert_eq!(b.path().await, "/admin/tenant/pin-reset");
    // The consent page in every language, on a desktop and a phone.
    for (lang, _) in LANGS {
        b.open(&format!("/admin/language?set={lang}&next=/admin/tenant/pin-reset")).await;
        let page = b.text("#consent").await;
        assert!(b.exists("#app-pin-reset-service").await && b.exists("#app-pin-reset-client").await);
        if lang != "en" {
            assert!(!page.contains("This application may"), "{lang} is translated: {page}");
        }
        b.screenshot(&format!("consent-{lang}-desktop"), DESKTOP).await;
        b.screenshot(&format!("consent-{lang}-phone"), PHONE).await;
    }
    b.open("/admin/language?set=en&next=/admin/tenant/pin-reset").await;
    let page = b.text("#consent").await;
    for what in ["PIN reset service", "PIN reset client", "Create a temporary PIN for a Windows device"] {
        assert!(page.contains(what), "{what}: {page}");
    }
    // Accept: both applications are enabled, with who and when.
    b.click("#consent-accept").await;
    assert!(b.path().await.starts_with("/admin/tenant/applications"));
    let (_, tenant) = h.get("/tenant").await;
    let at = tenant["settings"]["pin_reset_consent"]["at"].as_str().expect("when consent was given").to_string();
    assert_eq!(tenant["settings"]["pin_reset_consent"]["by"], "admin");
    let day = &at[..10];
    for row in ["#row-pin-reset-service", "#row-pin-reset-client"] {
        let text = b.text(row).await;
        assert!(text.contains("Enabled") && text.contains("admin") && text.contains(day), "{row}: {text}");
    }
    // And the Lumia can be reset again.
    b.open(&format!("/admin/devices/{}", lumia["id"].as_str().unwrap())).await;
    assert!(b.exists("a#action-reset-passcode").await, "Reset passcode is a link again");
    // The audit names both changes.
    let (_, audit) = h.get("/audit").await;
    let outcomes: Vec<&str> =
        audit.as_array().unwrap().iter().filter(|e| e["kind"] == "consent_changed").map(|e| e["outcome"].as_str().unwrap()).collect();
    assert!(outcomes.contains(&"granted") && outcomes.contains(&"revoked"), "{outcomes:?}");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_enable_pin_recovery_profile_reports_per_device_status() {
    use pinreset_core::profile::SettingResult;
    use pinreset_server::app::profiles;
    let h = start(Backend::Sqlite).await;
    let b = browser_signed_in(&h, "admin").await;
    let (_, tenant) = h.get("/tenant").await;
    let directory = tenant["directory_id"].as_str().unwrap().to_string();
    b.open("/admin/profiles").await;
    b.click("#profile-new-pin-recovery").await;
    let uri = format!("./Device/Vendor/MSFT/PassportForWork/{directory}/Policies/EnablePinRecovery");
    assert_eq!(value_of(&b, "#uri_0").await, uri, "the template fills in the directory id");
    assert_eq!(value_of(&b, "#value_0").await, "true");
    assert!(b.text("#setting-rows").await.contains("Windows"), "applies to Windows desktop");
    // "+ Add setting" renders one more row; a bad OMA-URI there is refused with its detail.
    b.click("#add-setting").await;
    assert!(b.exists("#uri_1").await, "a second row");
    b.fill("#uri_1", "Device/Vendor/MSFT/Policy/Config/Camera/AllowCamera").await;
    b.fill("#value_1", "0").await;
    b.click("#profile-save").await;
    let detail = b.text("#profile-error-detail").await;
    assert!(detail.contains("must start with ./"), "{detail}");
    assert_eq!(value_of(&b, "#uri_0").await, uri, "what was typed is kept");
    // Remove the bad row and save.
    b.click("#setting-rows tbody tr:nth-child(2) button[name=remove]").await;
    assert!(!b.exists("#uri_1").await);
    b.click("#profile-save").await;
    assert!(b.path().await.starts_with("/admin/profiles/"));
    assert!(b.text("#notice").await.contains("The profile was saved"));
    let profile_path = b.path().await.split('?').next().unwrap().to_string();
    let profile_id: pinreset_core::profile::ProfileId = profile_path.rsplit('/').next().unwrap().parse().unwrap();
    // Assign to the Windows devices and all employees.
    let (_, groups) = h.get("/groups").await;
    let id_of = |kind: &str, name: &str| {
        groups[kind].as_array().unwrap().iter().find(|g| g["name"] == name).unwrap()["id"].as_str().unwrap().to_string()
    };
    click_radio(&b, &format!("input[name='group:device:{}'][value=include]", id_of("device_groups", "Windows devices"))).await;
    click_radio(&b, &format!("input[name='group:user:{}'][value=include]", id_of("user_groups", "All employees"))).await;
    b.click("#assign-save").await;
    assert!(b.text("#assigned").await.contains("Windows devices"));
    let state_of = |table: String, device: &str| {
        table.lines().find(|l| l.contains(device)).unwrap_or_else(|| panic!("{device} not in\n{table}")).to_string()
    };
    let table = b.text("#device-status").await;
    assert!(state_of(table.clone(), "Surface Laptop").contains("Pending"), "{table}");
    assert!(state_of(table.clone(), "Lumia 950").contains("Not applicable"), "{table}");
    assert!(state_of(table.clone(), "iPhone 15").contains("Not applicable"), "{table}");
    assert!(b.text("#count-pending").await.contains('1'), "{}", b.text("#count-pending").await);
    // The Surface applies it (as its OMA-DM session reports): Succeeded.
    let surface: pinreset_core::DeviceId = h.device("Surface Laptop").await["id"].as_str().unwrap().parse().unwrap();
    let answer = SettingResult { oma_uri: uri.clone(), status: 200, profile_version: 1, at: chrono::Utc::now() };
    profiles::record_results(h.state(), surface, profile_id, &[answer]).await.unwrap();
    b.open(&profile_path).await;
    assert!(state_of(b.text("#device-status").await, "Surface Laptop").contains("Succeeded"));
    // The filter shows only the devices in one state.
    b.click("#count-succeeded").await;
    let table = b.text("#device-status").await;
    assert!(table.contains("Surface Laptop") && !table.contains("Lumia"), "{table}");
    b.open(&profile_path).await;
    b.screenshot("profile-status-en-desktop", DESKTOP).await;
    b.screenshot("profile-status-en-phone", PHONE).await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_settings_save_a_support_contact_for_tenant_admins_only() {
    let h = start(Backend::Sqlite).await;
    let b = browser_signed_in(&h, "admin").await;
    b.open("/admin/settings").await;
    assert_eq!(value_of(&b, "#reauth_window_minutes").await, "5", "the default window");
    b.fill("#support_name", "Contoso IT Help Desk").await;
    b.fill("#support_phone", "+46 8 123 456").await;
    b.fill("#support_email", "help@contoso.example").await;
    // http:// is a URL to the browser, but the engine wants https://.
    b.fill("#support_web_page", "http://help.contoso.example").await;
    b.click("#settings-save").await;
    assert!(b.text("#settings-error").await.contains("https://"), "{}", b.text("#settings-error").await);
    assert_eq!(value_of(&b, "#support_name").await, "Contoso IT Help Desk", "what was typed is kept");
    b.fill("#support_web_page", "https://help.contoso.example").await;
    click_radio(&b, "#offer-reset-device").await; // off
    b.click("#settings-save").await;
    assert!(b.text("#notice").await.contains("Settings were saved"));
    assert_eq!(value_of(&b, "#support_email").await, "help@contoso.example");
    let offered = b.client.find(Locator::Css("#offer-reset-device")).await.unwrap().prop("checked").await.unwrap();
    assert_eq!(offered.as_deref(), Some("false"));
    let (_, tenant) = h.get("/tenant").await;
    assert_eq!(tenant["settings"]["support_contact"]["web_page"], "https://help.contoso.example");
    assert!(!tenant["settings"]["self_service_actions"].as_array().unwrap().contains(&json!("reset_device")), "{tenant}");
    assert_eq!(tenant["settings"]["pin_reset_consented"], true, "saving settings keeps the consent");
    b.screenshot("settings-en-desktop", DESKTOP).await;
    b.screenshot("settings-en-phone", PHONE).await;
    b.close().await;
    // A help-desk operator cannot open it, nor save it.
    let (session, csrf) = form_sign_in(&h, "helpdesk").await;
    let cookies = format!("pinreset_session={session}; pinreset_csrf={csrf}");
    let r = raw_client(&h).get(format!("{}/admin/settings", h.base())).header("cookie", &cookies).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains(ErrorCode::RoleForbidden.reason()));
    let r = raw_client(&h)
        .post(format!("{}/admin/settings", h.base()))
        .header("cookie", &cookies)
        .form(&[("csrf", csrf.as_str()), ("alphanumeric_length", "6"), ("numeric_length", "4"), ("reauth_window_minutes", "60")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (_, after) = h.get("/tenant").await;
    assert_eq!(after["settings"]["reauth_window_minutes"], 5, "nothing changed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_sso_page_shows_the_redirect_uri_and_refusals() {
    let h = start(Backend::Sqlite).await;
    let b = browser_signed_in(&h, "admin").await;
    b.open("/admin/tenant/sso").await;
    assert!(b.exists("#sso-none").await);
    assert!(b.text("#sso-redirect").await.ends_with("/auth/oidc/callback"));
    assert_eq!(value_of(&b, "#login_claim").await, "email", "email by default");
    b.fill("#issuer", "http://login.example.com").await;
    b.fill("#client_id", "pinreset").await;
    b.fill("#client_secret", "s3cret-value").await;
    b.click("#sso-save").await;
    let error = b.text("#sso-error").await;
    assert!(error.contains("http://login.example.com") && error.contains("https://"), "{error}");
    assert_eq!(value_of(&b, "#issuer").await, "http://login.example.com", "what was typed is kept");
    assert_eq!(value_of(&b, "#client_secret").await, "", "the secret is never filled in");
    let html = b.client.source().await.unwrap();
    assert!(!html.contains("s3cret-value"), "the secret is not in the page");
    b.screenshot("sso-en-desktop", DESKTOP).await;
    b.screenshot("sso-en-phone", PHONE).await;
    b.close().await;
    // Help desk: forbidden.
    let (session, csrf) = form_sign_in(&h, "helpdesk").await;
    let r = raw_client(&h)
        .get(format!("{}/admin/tenant/sso", h.base()))
        .header("cookie", format!("pinreset_session={session}; pinreset_csrf={csrf}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

/// Tenant administration › E-mail: a refusal keeps what was typed and names the field; saved,
/// the page shows the server without its password; a test message reaches a real SMTP
/// server; the page reads in every language; help desk may not open it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_mail_page_sets_up_and_tests_the_mail_server() {
    let sink = crate::mail::SmtpSink::start().await;
    let h = start(Backend::Sqlite).await;
    let b = browser_signed_in(&h, "admin").await;
    b.open("/admin/tenant/mail").await;
    assert!(b.exists("#mail-none").await);
    assert_eq!(value_of(&b, "#port").await, "587", "the submission port by default");
    b.fill("#host", "127.0.0.1").await;
    b.fill("#port", &sink.port.to_string()).await;
    click_radio(&b, "#security option[value=none]").await;
    b.fill("#from", "pinreset").await;
    b.fill("#username", "relay").await;
    b.fill("#password", "smtp-pw-in-form").await;
    b.click("#mail-save").await;
    assert!(b.text("#mail-error").await.contains("\"from\""), "{}", b.text("#mail-error").await);
    assert_eq!(value_of(&b, "#host").await, "127.0.0.1", "what was typed is kept");
    assert_eq!(value_of(&b, "#password").await, "", "the password is never filled in");
    assert!(!b.client.source().await.unwrap().contains("smtp-pw-in-form"), "the password is not in the page");
    b.fill("#from", "pinreset@contoso.example").await;
    b.fill("#username", "").await;
    b.click("#mail-save").await;
    assert!(b.text("#notice").await.contains("saved"), "{}", b.text("#notice").await);
    assert_eq!(b.text("#mail-server").await, format!("127.0.0.1:{}", sink.port));
    b.fill("#to", "it@contoso.example").await;
    b.click("#mail-test").await;
    assert!(b.text("#notice").await.contains("took the test message"));
    assert_eq!(sink.wait_for("it@contoso.example").await["subject"], "pinreset test message");
    for (lang, _) in LANGS {
        b.open(&format!("/admin/language?set={lang}&next=/admin/tenant/mail")).await;
        assert!(b.exists("#mail-form").await && b.exists("#mail-test-form").await);
        b.screenshot(&format!("mail-{lang}-desktop"), DESKTOP).await;
        b.screenshot(&format!("mail-{lang}-phone"), PHONE).await;
    }
    b.close().await;
    let (session, csrf) = form_sign_in(&h, "helpdesk").await;
    let r = raw_client(&h)
        .get(format!("{}/admin/tenant/mail", h.base()))
        .header("cookie", format!("pinreset_session={session}; pinreset_csrf={csrf}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

/// The tenant turns a self-service action off: an end user asking for it through the API is
/// refused with the catalogue reason; admins are not affected; turned on again, it is allowed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn end_user_is_refused_a_self_service_action_the_tenant_turned_off() {
    let h = start(Backend::Sqlite).await;
    let (_, tenant) = h.get("/tenant").await;
    let mut settings = tenant["settings"].clone();
    settings["self_service_actions"] = json!(["reset_passcode", "remote_lock"]);
    let r = h.http.put(h.url("/tenant/settings")).bearer_auth(&h.creds.admin_token).json(&settings).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    // An end user, signed in, renames their own device.
    let alice = creds_of(&h, "alice");
    let r = h.http.post(h.url("/sessions")).json(&json!({ "email": alice.email, "password": alice.password })).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let cookie = r.headers().get("set-cookie").unwrap().to_str().unwrap().split(';').next().unwrap().to_string();
    let body: Value = r.json().await.unwrap();
    let csrf = body["csrf_token"].as_str().unwrap().to_string();
    let mine: Value = h.http.get(h.url("/devices?limit=500")).header("cookie", &cookie).send().await.unwrap().json().await.unwrap();
    // A personal device (corporate ones are refused to end users for another reason).
    let device = mine["items"].as_array().unwrap().iter().find(|d| d["ownership"] == "personal").expect("alice owns a personal device")
        ["id"]
        .as_str()
        .unwrap()
        .to_string();
    let rename = |name: &str| {
        h.http
            .post(h.url(&format!("/devices/{device}/actions/rename")))
            .header("cookie", &cookie)
            .header("x-csrf-token", &csrf)
            .json(&json!({ "name": name }))
    };
    let r = rename("Alice's phone").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["code"], "self_service_action_off", "{problem}");
    assert_eq!(problem["title"], ErrorCode::SelfServiceActionOff.reason(), "{problem}");
    // An admin may still rename it.
    let (s, _) =
        h.post_as(&h.creds.admin_token, &format!("/devices/{device}/actions/rename"), Some(json!({ "name": "Renamed by IT" }))).await;
    assert!(s.is_success(), "{s}");
    // Turned on again, the end user may.
    settings["self_service_actions"] = json!(["reset_passcode", "remote_lock", "rename"]);
    let r = h.http.put(h.url("/tenant/settings")).bearer_auth(&h.creds.admin_token).json(&settings).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = rename("Alice's phone").send().await.unwrap();
    assert_ne!(r.status(), StatusCode::FORBIDDEN, "{}", r.text().await.unwrap());
}
