//! Web sessions and the step-up rule, as an employee meets them: sign in, act on your own
//! device, be asked to sign in again after the window, sign out. Cookies carry the session;
//! changes need the CSRF token; API tokens never count as a fresh sign-in.

use crate::*;

struct Browser {
    cookie: String,
    csrf: String,
}

async fn sign_in(h: &Harness, email: &str, password: &str) -> Result<(Browser, Value), (StatusCode, Value)> {
    let r = h.http.post(h.url("/sessions")).json(&json!({ "email": email, "password": password })).send().await.unwrap();
    let status = r.status();
    let set_cookie = r.headers().get("set-cookie").map(|v| v.to_str().unwrap().to_string());
    let cache = r.headers().get("cache-control").map(|v| v.to_str().unwrap().to_string());
    let body: Value = r.json().await.unwrap_or(Value::Null);
    if status != StatusCode::CREATED {
        assert!(set_cookie.is_none(), "no session for a refused sign-in");
        return Err((status, body));
    }
    let set_cookie = set_cookie.expect("a session cookie");
    for attribute in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(set_cookie.contains(attribute), "{attribute} missing from {set_cookie}");
    }
    assert_eq!(cache.as_deref(), Some("no-store"));
    let cookie = set_cookie.split(';').next().unwrap().to_string();
    let csrf = body["csrf_token"].as_str().expect("the CSRF token, once").to_string();
    Ok((Browser { cookie, csrf }, body))
}

impl Browser {
    fn request(&self, h: &Harness, method: reqwest::Method, path: &str, csrf: bool, body: Option<Value>) -> reqwest::RequestBuilder {
        let mut req = h.http.request(method, h.url(path)).header("cookie", &self.cookie);
        if csrf {
            req = req.header("x-csrf-token", &self.csrf);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        req
    }

    async fn send(&self, h: &Harness, method: reqwest::Method, path: &str, csrf: bool, body: Option<Value>) -> (StatusCode, Value) {
        let r = self.request(h, method, path, csrf, body).send().await.unwrap();
        (r.status(), r.json().await.unwrap_or(Value::Null))
    }
}

async fn actions_of_device(h: &Harness, id: &str) -> usize {
    h.get(&format!("/devices/{id}/actions")).await.1.as_array().map_or(0, Vec::len)
}

fn password(h: &Harness, login: &str) -> String {
    h.creds.users.iter().find(|u| u.login == login).unwrap().password.clone()
}

pub(crate) async fn web_sessions_and_the_step_up_rule(b: Backend) {
    use reqwest::Method;
    let h = start(b).await;
    let carol_pw = password(&h, "carol");
    let (s, p) = sign_in(&h, "carol@contoso.example", "not her password").await.err().unwrap();
    assert_eq!((s, p["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("unauthenticated")));
    // Bad input gets a clear refusal and no session.
    for body in [json!({ "email": "carol@contoso.example" }), json!({ "email": "carol\u{0}@contoso.example", "password": "x" })] {
        let r = h.http.post(h.url("/sessions")).json(&body).send().await.unwrap();
        assert!(r.headers().get("set-cookie").is_none());
        let (status, p): (StatusCode, Value) = (r.status(), r.json().await.unwrap());
        assert_eq!((status, p["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_input")), "{p}");
    }
    let (carol, view) = sign_in(&h, "carol@contoso.example", &carol_pw).await.unwrap();
    assert_eq!((view["login"].as_str(), view["role"].as_str()), (Some("carol"), Some("end_user")));
    assert!(!view.to_string().contains(&carol_pw));

    // Her own devices only, by the session cookie.
    let (s, page) = carol.send(&h, Method::GET, "/devices?limit=100", false, None).await;
    assert_eq!(s, StatusCode::OK, "{page}");
    let mine = page["items"].as_array().unwrap();
    assert!(!mine.is_empty() && mine.len() < 14, "only her devices: {page}");
    let galaxy = mine.iter().find(|d| d["name"].as_str().unwrap().starts_with("Galaxy S5")).expect("her Galaxy").clone();
    let reset = format!("/devices/{}/actions/reset-passcode", galaxy["id"].as_str().unwrap());

    // A change with the cookie but without the CSRF token (what a page of another site could
    // make her browser send): refused, nothing queued.
    let (s, p) = carol.send(&h, Method::POST, &reset, false, None).await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::FORBIDDEN, Some("csrf_token_missing")));
    let (_, history) = h.get(&format!("/devices/{}/actions", galaxy["id"].as_str().unwrap())).await;
    assert_eq!(history.as_array().map(Vec::len), Some(0), "nothing queued: {history}");

    // Six minutes after signing in, the reset needs her to prove it is her again.
    h.clock.advance(Duration::minutes(6));
    let (s, p) = carol.send(&h, Method::GET, "/sessions/current", false, None).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    let (s, p) = carol.send(&h, Method::POST, &reset, true, None).await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("reauth_required")), "using the session does not refresh it: {p}");
    let (s, _) = carol.send(&h, Method::POST, "/sessions/current/reauthenticate", true, Some(json!({ "password": "guess" }))).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, fresh) = carol.send(&h, Method::POST, "/sessions/current/reauthenticate", true, Some(json!({ "password": carol_pw }))).await;
    assert_eq!(s, StatusCode::OK, "{fresh}");
    // A fresh session is not enough: the proof is bound to the device it was given for.
    let (s, p) = carol.send(&h, Method::POST, &reset, true, None).await;
    assert_eq!((s, p["detail_code"].as_str()), (StatusCode::UNAUTHORIZED, Some("step_up_not_asked")), "{p}");
    let galaxy_id = galaxy["id"].as_str().unwrap();
    let other = mine.iter().find(|d| d["id"] != galaxy["id"]).expect("a second device of hers")["id"].as_str().unwrap().to_string();
    let body = json!({ "password": carol_pw, "device_id": other });
    let (s, _) = carol.send(&h, Method::POST, "/sessions/current/reauthenticate", true, Some(body)).await;
    assert_eq!(s, StatusCode::OK);
    let (s, p) = carol.send(&h, Method::POST, &reset, true, None).await;
    assert_eq!((s, p["detail_code"].as_str()), (StatusCode::UNAUTHORIZED, Some("step_up_not_asked")), "another device's proof: {p}");
    let body = json!({ "password": carol_pw, "device_id": galaxy_id });
    let (s, _) = carol.send(&h, Method::POST, "/sessions/current/reauthenticate", true, Some(body)).await;
    assert_eq!(s, StatusCode::OK);
    let (s, action) = carol.send(&h, Method::POST, &reset, true, None).await;
    assert_eq!((s, action["state"].as_str()), (StatusCode::ACCEPTED, Some("queued")), "{action}");
    // Spent by that one reset.
    let (s, p) = carol.send(&h, Method::POST, &reset, true, None).await;
    assert_eq!((s, p["detail_code"].as_str()), (StatusCode::UNAUTHORIZED, Some("step_up_not_asked")), "spent: {p}");
    assert_eq!(actions_of_device(&h, galaxy_id).await, 1, "one reset queued");
    let (_, audit) = h.get(&format!("/audit?device={}&limit=50", galaxy["id"].as_str().unwrap())).await;
    assert!(audit.to_string().contains("refused:reauth_required"), "the refusal is audited: {audit}");

    // Reading a passcode in her session is bound by the same window.
    let passcode = format!("/actions/{}/passcode", action["id"].as_str().unwrap());
    let (_, p) = carol.send(&h, Method::GET, &passcode, false, None).await;
    assert_eq!(p["code"], "passcode_not_available", "fresh: the window is open ({p})");
    h.clock.advance(Duration::minutes(6));
    let (_, p) = carol.send(&h, Method::GET, &passcode, false, None).await;
    assert_eq!(p["code"], "reauth_required");

    // An end user's API token never counts as a fresh sign-in.
    let tenant = h.state().store.list_tenants().await.unwrap().into_iter().find(|t| t.display_name.contains("demo")).unwrap();
    let (user, _) = h.state().store.user_by_login(tenant.id, "carol").await.unwrap().unwrap();
    let (token, hash) = pinreset_server::auth::new_api_token();
    h.state().store.create_api_token(user.id, &hash, "script", h.state().clock.now()).await.unwrap();
    let (s, p) = h.post_as(&token, &reset, None).await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("reauth_required")));

    // Signed out, the cookie opens nothing; an old session ends on its own after 12 hours.
    let (s, _) = carol.send(&h, Method::DELETE, "/sessions/current", true, None).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(carol.send(&h, Method::GET, "/devices", false, None).await.0, StatusCode::UNAUTHORIZED);
    let (admin, _) = sign_in(&h, "admin@contoso.example", &password(&h, "admin")).await.unwrap();
    assert_eq!(admin.send(&h, Method::GET, "/devices?limit=1", false, None).await.0, StatusCode::OK);
    h.clock.advance(Duration::hours(12));
    assert_eq!(admin.send(&h, Method::GET, "/devices?limit=1", false, None).await.0, StatusCode::UNAUTHORIZED);
    // Session and CSRF tokens never reach the (trace-level) logs.
    let logged = String::from_utf8_lossy(&logs().0.lock().unwrap()).to_string();
    for secret in [&carol.cookie, &admin.cookie, &carol.csrf] {
        assert!(!logged.contains(secret.split('=').next_back().unwrap()), "a session secret in the logs");
    }
    // Session tokens are kept only as hashes.
    if let Backend::Postgres = b {
        let dump = dump_all_postgres_tables(&h.db_url).await;
        for secret in [&carol.cookie, &admin.cookie, &carol.csrf] {
            let value = secret.split('=').next_back().unwrap();
            assert!(!dump.contains(value), "a session secret in the database");
        }
    }
}

/// A stolen session or a script cannot reset a device over and over: the fourth reset of one
/// device in an hour is refused with 429 and Retry-After, and nothing is queued; so is the
/// sixth of one person's devices.
pub(crate) async fn portal_resets_are_rate_limited(b: Backend) {
    use reqwest::Method;
    let h = start(b).await;
    let carol_pw = password(&h, "carol");
    let (carol, _) = sign_in(&h, "carol@contoso.example", &carol_pw).await.unwrap();
    let galaxy = h.device("Galaxy S5").await;
    let id = galaxy["id"].as_str().unwrap().to_string();
    let reset = format!("/devices/{id}/actions/reset-passcode");
    let proof = json!({ "password": carol_pw, "device_id": id });
    for n in 1..=3 {
        let (s, _) = carol.send(&h, Method::POST, "/sessions/current/reauthenticate", true, Some(proof.clone())).await;
        assert_eq!(s, StatusCode::OK);
        let (s, action) = carol.send(&h, Method::POST, &reset, true, None).await;
        assert_eq!(s, StatusCode::ACCEPTED, "reset {n}: {action}");
        crate::device_sets_passcode(&h, &action, "Q7RT-M3KP").await;
        h.clock.advance(Duration::minutes(1));
    }
    let (s, _) = carol.send(&h, Method::POST, "/sessions/current/reauthenticate", true, Some(proof.clone())).await;
    assert_eq!(s, StatusCode::OK);
    let r = carol.request(&h, Method::POST, &reset, true, None).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((3000..=3600).contains(&retry), "until the first of the hour's resets is an hour old: {retry}");
    let p: Value = r.json().await.unwrap();
    assert_eq!((p["code"].as_str(), p["detail_code"].as_str()), (Some("reset_rate_limited"), Some("resets_per_device")), "{p}");
    assert_eq!(actions_of_device(&h, &id).await, 3, "nothing more queued");
    // Across the person's devices: two resets of another of carol's devices make five in the
    // hour, and the sixth is refused for the person, though that device had only two.
    let other = h.device("Pixel 8a").await;
    let other_id = other["id"].as_str().unwrap().to_string();
    let other_reset = format!("/devices/{other_id}/actions/reset-passcode");
    let other_proof = json!({ "password": carol_pw, "device_id": other_id });
    for n in 1..=3 {
        let (s, _) = carol.send(&h, Method::POST, "/sessions/current/reauthenticate", true, Some(other_proof.clone())).await;
        assert_eq!(s, StatusCode::OK);
        let r = carol.request(&h, Method::POST, &other_reset, true, None).send().await.unwrap();
        if n < 3 {
            let (status, action) = (r.status(), r.json::<Value>().await.unwrap());
            assert_eq!(status, StatusCode::ACCEPTED, "reset {n} of the second device: {action}");
            crate::device_sets_passcode(&h, &action, "Q7RT-M3KP").await;
        } else {
            assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
            let p: Value = r.json().await.unwrap();
            assert_eq!(p["detail_code"].as_str(), Some("resets_per_user"), "{p}");
        }
    }
    assert_eq!(actions_of_device(&h, &other_id).await, 2, "nothing more queued");
    // An hour after the first, one more is allowed.
    h.clock.advance(Duration::minutes(58));
    let (s, _) = carol.send(&h, Method::POST, "/sessions/current/reauthenticate", true, Some(proof)).await;
    assert_eq!(s, StatusCode::OK);
    let (s, action) = carol.send(&h, Method::POST, &reset, true, None).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{action}");
}
