//! The admin center as people use it: headless Chromium signs in through the form, searches
//! devices, reads why an action is unavailable, resets a passcode and reveals it, in all five
//! languages; forged and forbidden requests change nothing. SQLite only (the pages sit on the
//! same views the API tests run on both backends). Screenshots go to target/screenshots/.

mod devices;
mod driver;
mod monitor;
mod people;
mod portal;
mod sso;
mod tenantadmin;

use crate::*;
use driver::{Browser, DESKTOP, PHONE};
use reqwest::redirect::Policy;

const LANGS: [(&str, &str); 5] =
    [("en", "All devices"), ("ja", "すべてのデバイス"), ("zh-TW", "所有裝置"), ("sv", "Alla enheter"), ("it", "Tutti i dispositivi")];

fn creds_of<'a>(h: &'a Harness, login: &str) -> &'a pinreset_server::demo::DemoUser {
    h.creds.users.iter().find(|u| u.login == login).unwrap()
}

async fn browser_signed_in(h: &Harness, login: &str) -> Browser {
    let b = Browser::start(&h.server.base_url()).await;
    let user = creds_of(h, login);
    b.sign_in(&user.email, &user.password).await;
    assert_eq!(b.path().await, "/admin/devices", "signed in, the devices list opens");
    b
}

/// A client that shows redirects instead of following them, trusting the test CA.
fn raw_client(h: &Harness) -> reqwest::Client {
    let ca = std::fs::read(h.server.ca_pem.as_ref().unwrap()).unwrap();
    reqwest::Client::builder().add_root_certificate(reqwest::Certificate::from_pem(&ca).unwrap()).redirect(Policy::none()).build().unwrap()
}

/// Sign in through the form without a browser: the two cookies the browser would keep.
async fn form_sign_in(h: &Harness, login: &str) -> (String, String) {
    let user = creds_of(h, login);
    let r = raw_client(h)
        .post(format!("{}/admin/sign-in", h.server.base_url()))
        .form(&[("email", user.email.as_str()), ("password", user.password.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let cookies: Vec<String> = r.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
    let find = |name: &str| {
        cookies.iter().find(|c| c.starts_with(&format!("{name}="))).unwrap_or_else(|| panic!("no {name} in {cookies:?}")).clone()
    };
    let session = find("pinreset_session");
    for attribute in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(session.contains(attribute), "{attribute} missing from {session}");
    }
    let csrf = find("pinreset_csrf");
    for attribute in ["Secure", "HttpOnly", "SameSite=Strict"] {
        assert!(csrf.contains(attribute), "{attribute} missing from {csrf}");
    }
    let value = |c: &str| c.split(';').next().unwrap().split_once('=').unwrap().1.to_string();
    (value(&session), value(&csrf))
}

async fn actions_of(h: &Harness, device_id: &str) -> Vec<Value> {
    let (s, v) = h.get(&format!("/devices/{device_id}/actions")).await;
    assert_eq!(s, StatusCode::OK);
    v.as_array().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_admin_signs_in_and_searches_devices() {
    let h = start(Backend::Sqlite).await;
    let b = Browser::start(&h.server.base_url()).await;
    // A wrong password is refused on the form, with what to do, and no session.
    let admin = creds_of(&h, "admin");
    b.sign_in(&admin.email, "not-the-password").await;
    assert!(b.path().await.starts_with("/admin/sign-in"));
    let error = b.text("#sign-in-error").await;
    assert!(error.contains(ErrorCode::Unauthenticated.reason()) && error.contains(ErrorCode::Unauthenticated.remedy()), "{error}");
    b.fill("#password", &admin.password).await;
    b.click("#sign-in-submit").await;
    assert_eq!(b.path().await, "/admin/devices");
    assert!(b.text(".topbar").await.contains("Avery Admin"), "the header names the user");
    assert!(b.text(".topbar").await.contains("Contoso"), "the header names the tenant");
    let table = b.text("#devices").await;
    for demo in ["Lumia 950", "Pixel (Android 7.1, device admin)", "Galaxy S5"] {
        assert!(table.contains(demo), "{demo} listed:\n{table}");
    }
    b.fill("#search", "Lumia").await;
    b.click(".toolbar button[type=submit]").await;
    assert!(b.path().await.contains("search=Lumia"));
    let table = b.text("#devices").await;
    assert!(table.contains("Lumia 950") && table.contains("Lumia 640"), "{table}");
    assert!(!table.contains("Pixel") && !table.contains("Galaxy"), "search narrows the list:\n{table}");
    assert!(b.text("#device-count").await.contains("of 4 devices"), "{}", b.text("#device-count").await);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_android_7_reset_is_disabled_and_says_factory_reset() {
    let h = start(Backend::Sqlite).await;
    let b = browser_signed_in(&h, "admin").await;
    b.click("#devices a[href*='/admin/devices/']").await; // any device opens…
    let pixel = h.device("Pixel (Android 7.1").await;
    b.open(&format!("/admin/devices/{}", pixel["id"].as_str().unwrap())).await;
    assert_eq!(b.text("#device-name").await, pixel["name"].as_str().unwrap());
    let button = b.client.find(fantoccini::Locator::Css("#action-reset-passcode")).await.unwrap();
    assert!(!button.is_enabled().await.unwrap(), "Reset passcode is disabled on Android 7.0 device admin");
    let why = b.text("#why-reset-passcode").await;
    assert!(why.contains("factory reset") || why.contains("Android 7.0"), "{why}");
    assert!(why.contains(ErrorCode::AndroidDeviceAdminUnsupported.reason()), "{why}");
    // An Android device says whether it holds a reset token (a device admin never does).
    let page = b.text("main").await;
    assert!(page.contains("Reset token") && page.contains("None"), "{page}");
    // The remedy is one click away, in the catalogue.
    b.click("#why-reset-passcode a").await;
    assert!(b.path().await.starts_with("/admin/errors"));
    assert!(b.text("#android_device_admin_unsupported").await.contains("factory reset"));
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_lumia_950_passcode_is_reset_and_revealed() {
    let h = start(Backend::Sqlite).await;
    let b = browser_signed_in(&h, "admin").await;
    let lumia = h.device("Lumia 950").await;
    let id = lumia["id"].as_str().unwrap().to_string();
    b.open(&format!("/admin/devices/{id}")).await;
    b.click("#action-reset-passcode").await;
    assert!(b.path().await.ends_with("/actions/reset-passcode/confirm"));
    let consequence = b.text("#consequence").await;
    assert!(consequence.contains(lumia["name"].as_str().unwrap()) && consequence.contains("temporary passcode"), "{consequence}");
    b.click("#confirm-submit").await;
    assert!(b.text("#notice").await.contains("Reset passcode was requested"));
    assert!(b.text("#pending-badge").await.contains("1 action pending"));
    // The device answers (as its channel would report it) with the passcode it now holds.
    let action = actions_of(&h, &id).await.remove(0);
    assert_eq!(action["kind"], "reset_passcode");
    device_sets_passcode(&h, &action, "K7WQ-P2ZD").await;
    b.open(&format!("/admin/devices/{id}")).await;
    assert!(!b.exists("#pending-badge").await, "nothing pending once the device answered");
    assert!(!b.text("#passcode-result").await.contains("K7WQ-P2ZD"), "hidden until Show");
    b.click("#show-passcode").await;
    assert_eq!(b.text("#passcode").await, "K7WQ-P2ZD");
    assert!(b.text("#passcode-result").await.contains("Available until"));
    // The reveal went through the audited read.
    let (_, audit) = h.get(&format!("/audit?device={id}")).await;
    assert!(audit.as_array().unwrap().iter().any(|e| e["kind"] == "passcode_read" && e["actor"] == "user:admin"), "{audit}");
    // The overview with the revealed passcode, in every language, on a desktop and a phone.
    for (lang, _) in LANGS {
        b.open(&format!("/admin/language?set={lang}&next=/admin/devices/{id}")).await;
        b.click("#show-passcode").await;
        assert_eq!(b.text("#passcode").await, "K7WQ-P2ZD");
        b.screenshot(&format!("device-passcode-{lang}-desktop"), DESKTOP).await;
        b.screenshot(&format!("device-passcode-{lang}-phone"), PHONE).await;
    }
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_help_desk_has_no_wipe_and_is_refused_when_forcing_it() {
    let h = start(Backend::Sqlite).await;
    let b = browser_signed_in(&h, "helpdesk").await;
    let lumia = h.device("Lumia 950").await;
    let id = lumia["id"].as_str().unwrap().to_string();
    b.open(&format!("/admin/devices/{id}")).await;
    assert!(b.exists("#action-reset-passcode").await, "help desk may reset passcodes");
    assert!(!b.exists("#action-reset-device").await, "no Reset device (wipe) button for help desk");
    assert!(!b.exists("#action-remove").await, "no Remove button for help desk");
    // Forcing it with the session and a valid CSRF token: refused by the server.
    let (session, csrf) = (b.cookie("pinreset_session").await, b.cookie("pinreset_csrf").await);
    let r = raw_client(&h)
        .post(format!("{}/admin/devices/{id}/actions/reset-device", h.base()))
        .header("cookie", format!("pinreset_session={session}; pinreset_csrf={csrf}"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains(ErrorCode::RoleForbidden.reason()));
    assert!(actions_of(&h, &id).await.is_empty(), "nothing was queued");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_pages_render_in_five_languages() {
    let h = start(Backend::Sqlite).await;
    let b = browser_signed_in(&h, "admin").await;
    for (lang, heading) in LANGS {
        // The switcher (a GET form; the script submits it on change) remembers the choice.
        b.open(&format!("/admin/language?set={lang}&next=/admin/devices")).await;
        assert_eq!(b.path().await, "/admin/devices");
        assert!(b.text("#page-title").await.contains(heading), "{lang}: {}", b.text("#page-title").await);
        let lang_attr = b.client.find(fantoccini::Locator::Css("html")).await.unwrap().attr("lang").await.unwrap();
        assert_eq!(lang_attr.as_deref(), Some(lang));
        b.screenshot(&format!("devices-{lang}-desktop"), DESKTOP).await;
        b.screenshot(&format!("devices-{lang}-phone"), PHONE).await;
        // The disabled reset's reason is translated too.
        let pixel = h.device("Pixel (Android 7.1").await;
        b.open(&format!("/admin/devices/{}", pixel["id"].as_str().unwrap())).await;
        let why = b.text("#why-reset-passcode").await;
        if lang == "en" {
            assert!(why.contains(ErrorCode::AndroidDeviceAdminUnsupported.reason()));
        } else {
            assert!(!why.contains(ErrorCode::AndroidDeviceAdminUnsupported.reason()), "{lang}: {why}");
        }
        b.screenshot(&format!("device-android7-{lang}-desktop"), DESKTOP).await;
    }
    // The cookie lasts a year.
    let cookie = b.client.get_named_cookie("lang").await.unwrap();
    assert_eq!(cookie.value(), "it");
    b.close().await;
    // Without the cookie, the browser's languages decide.
    let r = raw_client(&h).get(format!("{}/admin/sign-in", h.base())).header("accept-language", "ja-JP,ja;q=0.9").send().await.unwrap();
    let page = r.text().await.unwrap();
    assert!(page.contains("<html lang=\"ja\">") && page.contains("サインイン"), "{page}");
}

/// No browser needed to forge: the server must refuse what a page of another site, a tampered
/// URL or the wrong person could send, and change nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_pages_refuse_forgeries_and_set_security_headers() {
    let h = start(Backend::Sqlite).await;
    let client = raw_client(&h);
    let base = h.base();
    // Anonymous: sent to sign in, with every protective header.
    let r = client.get(format!("{base}/admin/devices")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(r.headers()["location"].to_str().unwrap().starts_with("/admin/sign-in?next=%2Fadmin%2Fdevices"));
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert_eq!(r.headers()["referrer-policy"], "no-referrer");
    assert_eq!(r.headers()["cache-control"], "no-store");
    let css = client.get(format!("{base}/static/admin.css")).send().await.unwrap();
    assert_eq!(css.status(), StatusCode::OK);
    assert!(css.headers()["cache-control"].to_str().unwrap().contains("max-age=31536000"));

    let (session, csrf) = form_sign_in(&h, "admin").await;
    let cookies = format!("pinreset_session={session}; pinreset_csrf={csrf}");
    let lumia = h.device("Lumia 950").await;
    let id = lumia["id"].as_str().unwrap().to_string();
    let post = |path: String, fields: Vec<(&'static str, String)>| {
        client.post(format!("{base}{path}")).header("cookie", cookies.clone()).form(&fields).send()
    };
    // No token, a wrong token, or the token only in a header the page did not put in the form.
    let path = format!("/admin/devices/{id}/actions/reset-passcode");
    for fields in [vec![], vec![("csrf", "csrf_forged".to_string())]] {
        let r = post(path.clone(), fields).await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert!(r.text().await.unwrap().contains(ErrorCode::CsrfTokenMissing.code()), "the page says why");
    }
    let r = client.post(format!("{base}{path}")).header("cookie", cookies.clone()).header("x-csrf-token", &csrf).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "only the form field counts");
    assert!(actions_of(&h, &id).await.is_empty(), "no forged request queued anything");
    let r = post("/admin/sign-out".into(), vec![]).await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "signing someone out needs the token too");
    // A tampered or foreign device id is "not found".
    let other = h.new_tenant("Fabrikam").await;
    let (_, device) = h.get(&format!("/devices/{id}")).await;
    let mut theirs: pinreset_core::Device = serde_json::from_value(device["device"].clone()).unwrap();
    (theirs.id, theirs.tenant_id, theirs.primary_user_id) = (pinreset_core::DeviceId::new(), other.id, None);
    h.state().store.upsert_device(&theirs).await.unwrap();
    let foreign = theirs.id;
    for bad in ["not-a-uuid".to_string(), foreign.to_string()] {
        let r = client.get(format!("{base}/admin/devices/{bad}")).header("cookie", cookies.clone()).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{bad}");
        let r = post(format!("/admin/devices/{bad}/actions/reset-passcode"), vec![("csrf", csrf.clone())]).await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{bad}");
    }
    // With the token, the same request queues the reset once.
    let r = post(path.clone(), vec![("csrf", csrf.clone())]).await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(actions_of(&h, &id).await.len(), 1);
    // Signing out with the token ends the session.
    let r = post("/admin/sign-out".into(), vec![("csrf", csrf.clone())]).await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = client.get(format!("{base}/admin/devices")).header("cookie", cookies.clone()).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "the session is revoked");

    // An end user has the portal, not the admin center.
    let (session, _) = form_sign_in(&h, "alice").await;
    let r = client.get(format!("{base}/admin/devices")).header("cookie", format!("pinreset_session={session}")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // Failed sign-ins lock the account: the form says so in the page's language, with until when.
    let bob = creds_of(&h, "bob").email.clone();
    let mut last = None;
    for _ in 0..12 {
        let r = client
            .post(format!("{base}/admin/sign-in"))
            .header("accept-language", "ja")
            .form(&[("email", bob.as_str()), ("password", "wrong")])
            .send()
            .await
            .unwrap();
        assert!(r.headers().get("set-cookie").is_none(), "no session for a refused sign-in");
        last = Some((r.status(), r.text().await.unwrap()));
    }
    let (status, page) = last.unwrap();
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.contains("ロックされています"), "the lockout, in Japanese: {page}");
    assert!(page.contains("以降にもう一度お試しいただけます") && page.contains(" UTC"), "until when: {page}");
}
