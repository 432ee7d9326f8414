//! The portal's step-up as an attacker would try it, through the portal's own forms (no
//! browser needed to forge): the proof must come from the person who asked, in the session
//! that signed in after asking, for the device they asked about — once.

use crate::*;

/// The OIDC tests' browser stand-in: keeps cookies, shows redirects.
fn client(h: &Harness) -> reqwest::Client {
    crate::oidc::browser(h)
}

/// The CSRF token a page's forms carry.
pub(crate) fn csrf_of(html: &str) -> String {
    html.split("name=\"csrf\" value=\"").nth(1).and_then(|s| s.split('"').next()).expect("a form with the CSRF token").to_string()
}

fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

async fn sign_in(h: &Harness, c: &reqwest::Client, login: &str, cookie: Option<&str>) -> reqwest::Response {
    let user = h.creds.users.iter().find(|u| u.login == login).unwrap();
    let mut req =
        c.post(format!("{}/portal/sign-in", h.base())).form(&[("email", user.email.as_str()), ("password", user.password.as_str())]);
    if let Some(cookie) = cookie {
        req = req.header("cookie", cookie);
    }
    let r = req.send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{login} signs in");
    r
}

async fn page(h: &Harness, c: &reqwest::Client, path: &str) -> (StatusCode, String) {
    let r = c.get(format!("{}{path}", h.base())).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

/// Ask to reset `device`: returns the step-up cookie the browser now carries.
async fn ask(h: &Harness, c: &reqwest::Client, device: &str) -> String {
    let (s, html) = page(h, c, &format!("/portal/devices/{device}/reset-passcode")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("step-up-submit"), "{html}");
    let r = c
        .post(format!("{}/portal/devices/{device}/reset-passcode/sign-in-again", h.base()))
        .form(&[("csrf", csrf_of(&html))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    r.headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .find(|c| c.starts_with("pinreset_step_up="))
        .expect("the step-up cookie")
}

async fn queued(h: &Harness, device: &str) -> usize {
    h.get(&format!("/devices/{device}/actions")).await.1.as_array().map_or(0, Vec::len)
}

pub(crate) async fn portal_step_up_cannot_be_borrowed_or_replayed(b: Backend) {
    let h = start(b).await;
    let galaxy = h.device("Galaxy S5").await;
    let (carols, carol_id) = (galaxy["id"].as_str().unwrap().to_string(), galaxy["primary_user_id"].as_str().unwrap().to_string());
    let carol = h.state().store.user(h.tenant(&galaxy), carol_id.parse().unwrap()).await.unwrap().unwrap().login;
    let other = h
        .creds
        .users
        .iter()
        .find(|u| u.login != carol && u.login.len() > 2 && !["admin", "helpdesk", "readonly"].contains(&u.login.as_str()))
        .unwrap()
        .login
        .clone();
    let reset = format!("/portal/devices/{carols}/reset-passcode");

    // Carol asks; her colleague signs in on that same browser (the ticket cookie still there):
    // the colleague gets no leave to reset anything, and Carol's phone stays invisible to them.
    let c = client(&h);
    sign_in(&h, &c, &carol, None).await;
    let ticket = ask(&h, &c, &carols).await;
    let r = sign_in(&h, &c, &other, None).await;
    assert_eq!(location(&r), "/portal", "no reset page for someone else's ticket");
    assert_eq!(page(&h, &c, &reset).await.0, StatusCode::NOT_FOUND);
    let (_, audit) = h.get(&format!("/audit?device={carols}&limit=50")).await;
    let kinds: Vec<(String, String)> =
        audit.as_array().unwrap().iter().map(|e| (e["kind"].as_str().unwrap().into(), e["outcome"].as_str().unwrap().into())).collect();
    assert!(kinds.iter().any(|(k, o)| k == "step_up_refused" && o.starts_with("refused:step_up_not_asked")), "{kinds:?}");
    assert!(!kinds.iter().any(|(k, _)| k == "step_up_granted"), "{kinds:?}");

    // The ticket was spent by that sign-in: Carol replaying the cookie gets no grant either.
    let c = client(&h);
    let r = sign_in(&h, &c, &carol, Some(&ticket)).await;
    assert_eq!(location(&r), "/portal", "a spent ticket: an ordinary sign-in");
    let (_, html) = page(&h, &c, &reset).await;
    assert!(html.contains("step-up-submit"), "still the step-up page");

    // A real step-up: the grant belongs to the session that signed in after asking.
    let ticket = ask(&h, &c, &carols).await;
    let r = sign_in(&h, &c, &carol, Some(&ticket)).await;
    assert_eq!(location(&r), reset);
    let (_, warning) = page(&h, &c, &reset).await;
    assert!(warning.contains("confirm-submit"), "{warning}");
    // Her other session (another browser, signed in at the same moment) cannot use it.
    let elsewhere = client(&h);
    sign_in(&h, &elsewhere, &carol, None).await;
    let (_, html) = page(&h, &elsewhere, &reset).await;
    let r = elsewhere.post(format!("{}{reset}", h.base())).form(&[("csrf", csrf_of(&html))]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "no grant in that session");
    assert_eq!(queued(&h, &carols).await, 0, "nothing queued");
    // The session that proved it resets once; the grant is spent.
    let r = c.post(format!("{}{reset}", h.base())).form(&[("csrf", csrf_of(&warning))]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(queued(&h, &carols).await, 1);
    let (_, html) = page(&h, &c, &reset).await;
    assert!(html.contains("step-up-submit"), "spent: the next reset needs a new step-up");
    // Without the CSRF token nothing happens at all.
    let r = c.post(format!("{}/portal/devices/{carols}/reset-passcode/sign-in-again", h.base())).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(page(&h, &c, "/portal").await.0, StatusCode::OK, "still signed in");
}

/// Guessing a colleague's password at the portal: after the threshold the form answers 429
/// with Retry-After and the time to wait, and no wrong or right password opens a session.
pub(crate) async fn portal_sign_in_locks_out_with_retry_after(b: Backend) {
    let h = start(b).await;
    let bob = h.creds.users.iter().find(|u| u.login == "bob").unwrap();
    let c = client(&h);
    let mut last = None;
    for _ in 0..12 {
        let r = c
            .post(format!("{}/portal/sign-in", h.base()))
            .form(&[("email", bob.email.as_str()), ("password", "guess")])
            .send()
            .await
            .unwrap();
        assert!(r.headers().get("set-cookie").is_none_or(|v| !v.to_str().unwrap().starts_with("pinreset_session=prs_")));
        last = Some(r);
    }
    let r = last.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry > 0, "Retry-After says how long");
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"sign-in-wait\""), "the page says until when: {page}");
    // Even the right password waits now.
    let r = c
        .post(format!("{}/portal/sign-in", h.base()))
        .form(&[("email", bob.email.as_str()), ("password", bob.password.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(page_status(&h, &c, "/portal").await, StatusCode::SEE_OTHER, "no session");
}

async fn page_status(h: &Harness, c: &reqwest::Client, path: &str) -> StatusCode {
    c.get(format!("{}{path}", h.base())).send().await.unwrap().status()
}
