//! Single sign-on in a real browser: headless Chromium starts at the sign-in page's SSO
//! button, signs in on the real OpenID provider's own pages (panva's `oidc-provider`, the one
//! the OIDC tests start) and lands in the admin center with a session, across the cookies,
//! redirects and SameSite rules a browser applies (which the reqwest-driven OIDC test does not).

use super::driver::{Browser, DESKTOP};
use crate::oidc::{set_up_sso, Provider};
use crate::*;
use fantoccini::Locator;
use std::time::{Duration as StdDuration, Instant};

/// Wait until the browser is on a page whose URL starts with `prefix` and that has loaded.
async fn wait_for_url(b: &Browser, prefix: &str) -> String {
    let deadline = Instant::now() + StdDuration::from_secs(15);
    loop {
        let url = b.client.current_url().await.unwrap().to_string();
        let ready = b.client.execute("return document.readyState", vec![]).await.ok();
        if url.starts_with(prefix) && ready.as_ref().and_then(|v| v.as_str()) == Some("complete") {
            return url;
        }
        assert!(Instant::now() < deadline, "never reached {prefix}: at {url}");
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_oidc_sign_in_through_the_providers_pages_opens_the_admin_center() {
    let h = start(Backend::Sqlite).await;
    let redirect_uri = format!("{}/auth/oidc/callback", h.state().public_url);
    let provider = Provider::start(&redirect_uri).await;
    set_up_sso(&h, &provider.issuer).await;
    // The provider stamps its tokens with the real time; the test server's clock is set then.
    h.clock.advance(chrono::Utc::now() - pinreset_server::clock::Clock::now(h.clock.as_ref()) + chrono::Duration::seconds(5));

    let b = Browser::start(&h.base()).await;
    b.open("/admin/sign-in").await;
    b.client.find(Locator::Css("#sign-in-sso-1")).await.expect("the SSO button").click().await.unwrap();
    // The provider's own pages: its sign-in form, then its consent; whatever it asks, answered
    // the way a person would, until the browser is back at the server.
    let mut steps = 0;
    loop {
        let url = b.client.current_url().await.unwrap().to_string();
        if url.starts_with(&h.base()) {
            break;
        }
        assert!(url.starts_with(&provider.issuer), "only the provider and the server: {url}");
        wait_for_url(&b, &provider.issuer).await;
        if b.exists("input[name=login]").await {
            b.fill("input[name=login]", "admin@contoso.example").await;
            b.fill("input[name=password]", "any password").await;
            b.screenshot("sso-provider-sign-in", DESKTOP).await;
        }
        let old = b.client.find(Locator::Css("html")).await.unwrap();
        b.client.find(Locator::Css("button[type=submit]")).await.expect("a button to go on").click().await.unwrap();
        let deadline = Instant::now() + StdDuration::from_secs(15);
        while old.tag_name().await.is_ok() {
            assert!(Instant::now() < deadline, "the provider's form did not submit");
            tokio::time::sleep(StdDuration::from_millis(25)).await;
        }
        steps += 1;
        assert!(steps < 6, "the provider kept asking");
    }
    wait_for_url(&b, &format!("{}/admin/devices", h.base())).await;
    assert_eq!(b.path().await, "/admin/devices", "signed in, the devices list opens");
    assert!(b.text("#page-title").await.contains("All devices"));
    assert!(!b.cookie("pinreset_session").await.is_empty(), "a session cookie");
    b.screenshot("sso-signed-in-devices-en-desktop", DESKTOP).await;
    // The session is the admin's, opened by single sign-on (audited as such).
    let (_, events) = h.get("/audit?kind=sign_in").await;
    let oidc = events.as_array().unwrap().iter().filter(|e| e["outcome"].as_str().unwrap_or("").contains("oidc")).count();
    assert_eq!(oidc, 1, "{events}");
    b.open("/admin/audit").await;
    assert!(b.text("#audit").await.contains("user:admin"));
    b.close().await;
}
