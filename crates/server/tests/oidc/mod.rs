//! Single sign-on through a real OpenID provider (panva's `oidc-provider` on the machine's
//! Node.js, installed from the npm registry by the first test that needs it): a person signs in
//! at the provider and lands in the admin center with a session; an answer replayed, an ID
//! token issued to another client, one from another sign-in (wrong nonce), an unknown user and
//! a provider outside https are each refused and leave no session. SQLite only: the store part
//! (the one-use sign-in secret, the sealed client secret) is tested on both backends in the
//! store's own suite.

use crate::*;

mod portal;
use reqwest::redirect::Policy;
use std::path::PathBuf;
use std::process::Stdio;
use tokio::io::{AsyncBufReadExt, BufReader};

fn provider_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oidc/provider")
}

/// `npm ci` once per checkout; tests run in parallel processes, so under a file lock.
fn install_provider() {
    let dir = provider_dir();
    let lock = std::fs::File::create(std::env::temp_dir().join("pinreset-oidc-provider.lock")).unwrap();
    lock.lock().unwrap();
    if !dir.join("node_modules/oidc-provider/package.json").exists() {
        let status = std::process::Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&dir)
            .status()
            .expect("npm runs (Node.js is on the machine)");
        assert!(status.success(), "npm ci of the test OpenID provider failed");
    }
}

/// The provider process; killed when dropped.
pub(crate) struct Provider {
    pub(crate) issuer: String,
    _child: tokio::process::Child,
}

impl Provider {
    pub(crate) async fn start(redirect_uri: &str) -> Provider {
        install_provider();
        let mut child = tokio::process::Command::new("node")
            .arg("provider.js")
            .current_dir(provider_dir())
            .env("REDIRECT_URI", redirect_uri)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("node starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let issuer = tokio::time::timeout(std::time::Duration::from_secs(30), async {
            loop {
                let line = lines.next_line().await.unwrap().expect("the provider prints its issuer");
                if let Some(issuer) = line.strip_prefix("issuer ") {
                    return issuer.to_string();
                }
            }
        })
        .await
        .expect("the provider starts within 30 s");
        // Keep reading: a closed pipe would end the provider at its next line of output.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Provider { issuer, _child: child }
    }

    /// The next token answer carries this ID token instead of the one the provider made.
    async fn substitute_next_id_token(&self, token: &str) {
        let r = reqwest::Client::new().post(format!("{}/test/next-id-token", self.issuer)).body(token.to_string()).send().await.unwrap();
        assert_eq!(r.status(), 204);
    }
}

/// A browser stand-in: keeps cookies, shows redirects instead of following them, trusts the
/// test CA.
pub(crate) fn browser(h: &Harness) -> reqwest::Client {
    let ca = std::fs::read(h.server.ca_pem.as_ref().unwrap()).unwrap();
    reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&ca).unwrap())
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .unwrap()
}

fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").unwrap_or_else(|| panic!("{} has no Location", r.url())).to_str().unwrap().to_string()
}

fn absolute(base: &str, location: &str) -> String {
    if location.starts_with("http") {
        location.to_string()
    } else {
        format!("{base}{location}")
    }
}

/// The `action` of the provider page's form.
fn form_action(html: &str) -> String {
    html.split("action=\"").nth(1).and_then(|s| s.split('"').next()).expect("a form").replace("&amp;", "&")
}

/// Sign in as `login` at the provider from its authorization URL and give the consent it asks
/// for; returns the redirect back to the relying party (with `code` and `state`).
async fn sign_in_at_provider(client: &reqwest::Client, issuer: &str, authorize_url: &str, login: &str) -> String {
    let mut url = authorize_url.to_string();
    for _ in 0..12 {
        let r = client.get(&url).send().await.unwrap();
        if r.status().is_redirection() {
            let next = absolute(issuer, &location(&r));
            if !next.starts_with(issuer) {
                return next; // back to the relying party
            }
            url = next;
            continue;
        }
        assert_eq!(r.status(), 200, "{url}");
        let html = r.text().await.unwrap();
        let action = absolute(issuer, &form_action(&html));
        let fields: Vec<(&str, &str)> = if html.contains("name=\"password\"") {
            vec![("prompt", "login"), ("login", login), ("password", "any password")]
        } else {
            vec![("prompt", "consent")]
        };
        let r = client.post(&action).form(&fields).send().await.unwrap();
        assert!(r.status().is_redirection(), "{action}: {}", r.status());
        url = absolute(issuer, &location(&r));
    }
    panic!("the provider never sent the browser back")
}

fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    serde_urlencoded::from_str::<Vec<(String, String)>>(query).ok()?.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

/// An ID token the provider really signed, obtained as a client of its own (the way another
/// application of the organisation, or an earlier sign-in, would hold one).
async fn id_token_for(provider: &Provider, redirect_uri: &str, client_id: &str, nonce: &str) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    let verifier = "a-pkce-verifier-of-enough-length-for-the-provider-0123456789";
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()));
    let query = serde_urlencoded::to_string([
        ("client_id", client_id),
        ("response_type", "code"),
        ("scope", "openid email"),
        ("redirect_uri", redirect_uri),
        ("state", "s"),
        ("nonce", nonce),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ])
    .unwrap();
    let client = reqwest::Client::builder().cookie_store(true).redirect(Policy::none()).build().unwrap();
    let back = sign_in_at_provider(&client, &provider.issuer, &format!("{}/auth?{query}", provider.issuer), "alice@contoso.example").await;
    let code = query_param(&back, "code").expect("a code");
    let token: Value = client
        .post(format!("{}/token", provider.issuer))
        .basic_auth(client_id, Some(format!("{client_id}-secret")))
        .form(&[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", redirect_uri), ("code_verifier", verifier)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    token["id_token"].as_str().expect("an ID token").to_string()
}

pub(crate) async fn set_up_sso(h: &Harness, issuer: &str) {
    let body = json!({"issuer": issuer, "client_id": "pinreset", "client_secret": "pinreset-secret", "login_claim": "email"});
    let r = h.http.put(h.url("/tenant/sso")).bearer_auth(&h.creds.admin_token).json(&body).send().await.unwrap();
    let status = r.status();
    let view: Value = r.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["redirect_uri"], format!("{}/auth/oidc/callback", h.state().public_url));
    assert!(!view.to_string().contains("pinreset-secret"), "the client secret is never shown");
}

/// Start at the sign-in page's SSO button; returns the provider's authorization URL.
async fn start_sign_in(h: &Harness, client: &reqwest::Client) -> String {
    let page = client.get(format!("{}/admin/sign-in", h.base())).send().await.unwrap().text().await.unwrap();
    let (before, _) = page.split_once("id=\"sign-in-sso-1\"").unwrap_or_else(|| panic!("an SSO button: {page}"));
    let href = before.rsplit("href=\"").next().and_then(|s| s.split('"').next()).unwrap().replace("&amp;", "&").replace("&#x2f;", "/");
    let start = client.get(format!("{}{href}", h.base())).send().await.unwrap();
    assert_eq!(start.status(), StatusCode::SEE_OTHER);
    let authorize = location(&start);
    for p in ["code_challenge", "nonce", "state"] {
        assert!(query_param(&authorize, p).is_some(), "{p} in {authorize}");
    }
    assert_eq!(query_param(&authorize, "code_challenge_method").as_deref(), Some("S256"));
    authorize
}

async fn session_starts(h: &Harness) -> usize {
    let (_, events) = h.get("/audit?limit=1000").await;
    events.as_array().unwrap().iter().filter(|e| e["kind"] == "sign_in" && e["outcome"].as_str().unwrap_or("").contains("oidc")).count()
}

fn has_session_cookie(r: &reqwest::Response) -> bool {
    r.headers().get_all("set-cookie").iter().any(|c| c.to_str().unwrap().starts_with("pinreset_session=prs_"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oidc_sign_in_opens_the_admin_center_and_refuses_forged_answers() {
    let h = start(Backend::Sqlite).await;
    let redirect_uri = format!("{}/auth/oidc/callback", h.state().public_url);
    let provider = Provider::start(&redirect_uri).await;

    // Refused at set-up: a provider outside https, or one that is not there; nothing saved.
    let bad = json!({"issuer": "http://idp.contoso.example", "client_id": "pinreset", "client_secret": "x"});
    let r = h.http.put(h.url("/tenant/sso")).bearer_auth(&h.creds.admin_token).json(&bad).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(r.json::<Value>().await.unwrap()["detail_code"], "sso_issuer_not_https");
    let (s, _) = h.get("/tenant/sso").await;
    assert_eq!(s, StatusCode::NOT_FOUND, "nothing was saved");
    set_up_sso(&h, &provider.issuer).await;

    // A person signs in at the provider and lands on the devices list with a session whose
    // authentication time is the provider's.
    // The server's clock runs a minute ahead of the provider's: the session must keep the
    // provider's auth_time, not the moment the server opened it.
    h.clock.advance(chrono::Utc::now() - pinreset_server::clock::Clock::now(h.clock.as_ref()) + chrono::Duration::minutes(1));
    let before = chrono::Utc::now();
    let client = browser(&h);
    let authorize = start_sign_in(&h, &client).await;
    let back = sign_in_at_provider(&client, &provider.issuer, &authorize, "ADMIN@contoso.example").await;
    assert!(back.starts_with(&redirect_uri), "{back}");
    let r = client.get(&back).send().await.unwrap();
    if r.status() != StatusCode::SEE_OTHER {
        let status = r.status();
        let page = r.text().await.unwrap();
        let detail = page.split("id=\"sign-in-detail\">").nth(1).and_then(|s| s.split('<').next()).unwrap_or(&page);
        panic!("{status}: {detail}");
    }
    assert!(has_session_cookie(&r));
    assert_eq!(location(&r), "/admin/devices");
    let devices = client.get(format!("{}/admin/devices", h.base())).send().await.unwrap();
    assert_eq!(devices.status(), StatusCode::OK);
    let session: Value = client.get(h.url("/sessions/current")).send().await.unwrap().json().await.unwrap();
    assert_eq!(session["login"], "admin", "matched by email, whatever its case: {session}");
    let at = chrono::DateTime::parse_from_rfc3339(session["authenticated_at"].as_str().unwrap()).unwrap();
    // auth_time has whole seconds.
    let in_time = at >= before - chrono::Duration::seconds(1) && at <= chrono::Utc::now();
    assert!(in_time, "authenticated_at is the provider's auth_time ({before} .. now): {at}");
    assert_eq!(session_starts(&h).await, 1);

    // The same answer again (a replay, or the back button): the sign-in was spent.
    let replay = client.get(&back).send().await.unwrap();
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
    assert!(!has_session_cookie(&replay));
    assert!(replay.text().await.unwrap().contains("sign-in-error"));

    // A valid answer delivered to another browser (no sign-in of its own in progress).
    let client2 = browser(&h);
    let authorize = start_sign_in(&h, &client2).await;
    let back = sign_in_at_provider(&client2, &provider.issuer, &authorize, "alice@contoso.example").await;
    let stranger = browser(&h);
    let r = stranger.get(&back).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "state bound to the browser that started");
    assert!(!has_session_cookie(&r));

    // An ID token the provider signed for another application: wrong audience.
    let foreign = id_token_for(&provider, &redirect_uri, "other-app", "n-1").await;
    // An ID token of the right audience from another sign-in: wrong nonce.
    let stale = id_token_for(&provider, &redirect_uri, "pinreset", "n-2").await;
    for (token, why) in [(foreign, "audience"), (stale, "nonce")] {
        let client = browser(&h);
        let authorize = start_sign_in(&h, &client).await;
        let back = sign_in_at_provider(&client, &provider.issuer, &authorize, "alice@contoso.example").await;
        provider.substitute_next_id_token(&token).await;
        let r = client.get(&back).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert!(!has_session_cookie(&r));
        let page = r.text().await.unwrap();
        let detail = page.split("id=\"sign-in-detail\">").nth(1).and_then(|s| s.split('<').next()).unwrap_or_default();
        assert!(detail.to_ascii_lowercase().contains(why), "refused because of the {why}: {detail}");
    }

    // Signed in at the provider, but no such pinreset user.
    let client = browser(&h);
    let authorize = start_sign_in(&h, &client).await;
    let back = sign_in_at_provider(&client, &provider.issuer, &authorize, "mallory@contoso.example").await;
    let r = client.get(&back).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(!has_session_cookie(&r));
    assert_eq!(session_starts(&h).await, 1, "only the one genuine sign-in opened a session");

    // Removed: the sign-in page offers it no more and a start is refused.
    let r = h.http.delete(h.url("/tenant/sso")).bearer_auth(&h.creds.admin_token).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let page = browser(&h).get(format!("{}/admin/sign-in", h.base())).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("sign-in-sso-1"));
}
