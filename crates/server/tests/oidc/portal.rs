//! The portal's step-up through the organisation's OpenID provider: the provider is asked for
//! a new sign-in (`prompt=login`, `max_age=0`) and the server itself checks the ID token's
//! `auth_time` — a provider that ignores the prompt and answers with the sign-in the browser
//! already had (before the user asked) is refused, and no session is opened.

use super::*;

use crate::portal::csrf_of;

/// From the portal's sign-in page, through its SSO button, to the provider's authorization URL.
async fn portal_sso_start(h: &Harness, client: &reqwest::Client, next: &str) -> String {
    let query = serde_urlencoded::to_string([("next", next)]).unwrap();
    let page = client.get(format!("{}/portal/sign-in?{query}", h.base())).send().await.unwrap().text().await.unwrap();
    let (before, _) = page.split_once("id=\"sign-in-sso-1\"").unwrap_or_else(|| panic!("an SSO button: {page}"));
    let href = before.rsplit("href=\"").next().and_then(|s| s.split('"').next()).unwrap().replace("&amp;", "&").replace("&#x2f;", "/");
    let start = client.get(format!("{}{href}", h.base())).send().await.unwrap();
    assert_eq!(start.status(), StatusCode::SEE_OTHER);
    location(&start)
}

/// Ask to reset `device`'s passcode: the step-up page, then "sign out and sign in again".
async fn ask_to_reset(h: &Harness, client: &reqwest::Client, device: &str) {
    let page = client.get(format!("{}/portal/devices/{device}/reset-passcode", h.base())).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("step-up-submit"), "the step-up page first: {html}");
    let r = client
        .post(format!("{}/portal/devices/{device}/reset-passcode/sign-in-again", h.base()))
        .form(&[("csrf", csrf_of(&html))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).starts_with("/portal/sign-in?next="), "{}", location(&r));
    let mine = client.get(format!("{}/portal", h.base())).send().await.unwrap();
    assert_eq!(mine.status(), StatusCode::SEE_OTHER, "signed out");
}

/// The server's clock set to the real time (the provider's `auth_time` is real time).
fn clock_to_now(h: &Harness) {
    h.clock.advance(chrono::Utc::now() - pinreset_server::clock::Clock::now(h.clock.as_ref()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn portal_step_up_through_oidc_needs_a_sign_in_after_the_request() {
    let h = start(Backend::Sqlite).await;
    let redirect_uri = format!("{}/auth/oidc/callback", h.state().public_url);
    let provider = Provider::start(&redirect_uri).await;
    set_up_sso(&h, &provider.issuer).await;
    let galaxy = h.device("Galaxy S5").await["id"].as_str().unwrap().to_string();
    let reset_page = format!("/portal/devices/{galaxy}/reset-passcode");

    // Carol signs in to the portal through the provider (the provider now has her session).
    clock_to_now(&h);
    let client = browser(&h);
    let authorize = portal_sso_start(&h, &client, "/portal").await;
    assert!(query_param(&authorize, "prompt").is_none(), "an ordinary sign-in does not force one: {authorize}");
    let back = sign_in_at_provider(&client, &provider.issuer, &authorize, "carol@contoso.example").await;
    let r = client.get(&back).send().await.unwrap();
    assert_eq!((r.status(), location(&r).as_str()), (StatusCode::SEE_OTHER, "/portal"));

    // She asks to reset her phone's passcode: signed out, then the provider is asked for a new
    // sign-in, which she gives; she lands on the warning and the reset goes through.
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    clock_to_now(&h);
    ask_to_reset(&h, &client, &galaxy).await;
    let authorize = portal_sso_start(&h, &client, &reset_page).await;
    assert_eq!(query_param(&authorize, "prompt").as_deref(), Some("login"), "{authorize}");
    assert_eq!(query_param(&authorize, "max_age").as_deref(), Some("0"), "{authorize}");
    let back = sign_in_at_provider(&client, &provider.issuer, &authorize, "carol@contoso.example").await;
    let r = client.get(&back).send().await.unwrap();
    assert_eq!((r.status(), location(&r)), (StatusCode::SEE_OTHER, reset_page.clone()));
    let warning = client.get(format!("{}{reset_page}", h.base())).send().await.unwrap().text().await.unwrap();
    assert!(warning.contains("id=\"caution\"") && warning.contains("confirm-submit"), "the warning: {warning}");
    let r = client.post(format!("{}{reset_page}", h.base())).form(&[("csrf", csrf_of(&warning))]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, actions) = h.get(&format!("/devices/{galaxy}/actions")).await;
    assert_eq!(actions.as_array().unwrap().len(), 1, "the reset was queued: {actions}");

    // Again later, but now the provider ignores the prompt and answers at once with the
    // sign-in this browser already has — made before she asked. Refused; no session.
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    clock_to_now(&h);
    ask_to_reset(&h, &client, &galaxy).await;
    let r = reqwest::Client::new().post(format!("{}/test/ignore-prompt", provider.issuer)).send().await.unwrap();
    assert_eq!(r.status(), 204);
    let authorize = portal_sso_start(&h, &client, &reset_page).await;
    let back = sign_in_at_provider(&client, &provider.issuer, &authorize, "carol@contoso.example").await;
    let r = client.get(&back).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(!has_session_cookie(&r), "no session for a sign-in older than the request");
    let page = r.text().await.unwrap();
    assert!(page.contains(&ErrorCode::ReauthRequired.reason().replace('\'', "&#x27;")), "{page}");
    let detail = page.split("id=\"sign-in-detail\">").nth(1).and_then(|s| s.split('<').next()).unwrap_or_default();
    assert!(detail.contains("before you asked"), "says why: {detail}");
    let (_, audit) = h.get(&format!("/audit?device={galaxy}&limit=100")).await;
    let kinds: Vec<&str> = audit.as_array().unwrap().iter().filter_map(|e| e["kind"].as_str()).collect();
    for kind in ["step_up_requested", "step_up_granted", "warning_accepted", "step_up_refused"] {
        assert!(kinds.contains(&kind), "{kind} audited: {kinds:?}");
    }
    let (_, actions) = h.get(&format!("/devices/{galaxy}/actions")).await;
    assert_eq!(actions.as_array().unwrap().len(), 1, "nothing more was queued");
}
