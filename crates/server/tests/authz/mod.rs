//! The authorization matrix: every `/api/v1` route the OpenAPI document lists, called by each
//! kind of principal, answers the status written here. A new route without a row fails the
//! test, so no door opens without someone deciding who may pass it.

use crate::*;
use pinreset_core::{Role, User, UserId};

/// The principals, in the order of each row's statuses.
const WHO: [&str; 6] = ["tenant admin", "help desk", "read-only", "end user", "another tenant's admin", "no token"];

/// `2` stands for any success (2xx); other numbers are exact statuses.
struct Row {
    method: &'static str,
    path: &'static str,
    body: Option<Value>,
    expect: [u16; 6],
}

fn row(method: &'static str, path: &'static str, body: Option<Value>, expect: [u16; 6]) -> Row {
    Row { method, path, body, expect }
}

async fn token_for(h: &Harness, tenant: pinreset_core::TenantId, login: &str, role: Role) -> String {
    let user = match h.state().store.user_by_login(tenant, login).await.unwrap() {
        Some((u, _)) => u,
        None => {
            let u = User {
                id: UserId::new(),
                tenant_id: tenant,
                login: login.into(),
                display_name: login.into(),
                email: format!("{login}@matrix.example"),
                role,
            };
            h.state().store.create_user(&u, None).await.unwrap();
            u
        }
    };
    let (token, hash) = pinreset_server::auth::new_api_token();
    h.state().store.create_api_token(user.id, &hash, "matrix", h.state().clock.now()).await.unwrap();
    token
}

pub(crate) async fn every_route_answers_each_role_as_written(b: Backend) {
    let h = start(b).await;
    let demo = h.state().store.list_tenants().await.unwrap().into_iter().find(|t| t.display_name.contains("demo")).unwrap();
    let other = h.new_tenant("Other").await;
    let tokens = [
        Some(h.creds.admin_token.clone()),
        Some(h.creds.helpdesk_token.clone()),
        Some(token_for(&h, demo.id, "auditor", Role::ReadOnly).await),
        // carol does not own the device the rows name (alice's Lumia 950).
        Some(token_for(&h, demo.id, "carol", Role::EndUser).await),
        Some(token_for(&h, other.id, "other-admin", Role::TenantAdmin).await),
        None,
    ];
    let device = h.device("Lumia 950").await["id"].as_str().unwrap().to_string();
    let (_, action) = h.post(&format!("/devices/{device}/actions/rename")).await;
    let (_, action) = if action["id"].is_string() {
        (StatusCode::OK, action)
    } else {
        h.post_as(&h.creds.admin_token, &format!("/devices/{device}/actions/remote-lock"), None).await
    };
    let action = action["id"].as_str().expect("an action to read").to_string();
    let profile_body = json!({ "name": "Matrix", "description": "", "settings": [{ "oma_uri": "./Device/Vendor/MSFT/PassportForWork/{tenantId}/Policies/EnablePinRecovery", "data_type": "boolean", "value": "true" }] });
    let (_, profile) = h.post_as(&h.creds.admin_token, "/profiles", Some(profile_body.clone())).await;
    let profile = profile["id"].as_str().expect("a profile").to_string();
    let nobody = uuid::Uuid::new_v4();
    let (alice, _) = h.state().store.user_by_login(demo.id, "alice").await.unwrap().unwrap();
    // A user nobody needs, for the delete row (the admin's call really deletes it).
    let (_, victim) = h
        .post_as(
            &h.creds.admin_token,
            "/users",
            Some(json!({"login": "victim", "display_name": "V", "email": "victim@contoso.example", "role": "end_user"})),
        )
        .await;
    let victim = victim["id"].as_str().expect("a user to delete").to_string();
    let (_, groups) = h.get("/groups").await;
    let group = groups["user_groups"][0]["id"].as_str().expect("a demo user group").to_string();
    let settings = serde_json::to_value(&demo.settings).unwrap();
    let d = |p: &str| {
        p.replace("{device}", &device)
            .replace("{action}", &action)
            .replace("{profile}", &profile)
            .replace("{nobody}", &nobody.to_string())
            .replace("{alice}", &alice.id.to_string())
            .replace("{victim}", &victim)
            .replace("{group}", &group)
    };

    let rows = vec![
        row("GET", "/devices", None, [2, 2, 2, 2, 2, 401]),
        row("GET", "/devices/{device}", None, [2, 2, 2, 404, 404, 401]),
        row("GET", "/devices/{device}/actions", None, [2, 2, 2, 404, 404, 401]),
        // The command history is audit: end users have none of it.
        row("GET", "/devices/{device}/commands", None, [2, 2, 2, 403, 404, 401]),
        row("POST", "/devices/{device}/actions/remote-lock", None, [2, 2, 403, 404, 404, 401]),
        row("POST", "/devices/{device}/sync", None, [2, 2, 403, 404, 404, 401]),
        row("GET", "/actions/{action}", None, [2, 2, 2, 404, 404, 401]),
        row("GET", "/actions/{action}/passcode", None, [404, 404, 403, 404, 404, 401]),
        // Bulk: for the roles that act on devices; a wipe only for tenant admins.
        row("POST", "/actions/bulk", Some(json!({ "action": "sync", "device_ids": [] })), [2, 2, 403, 403, 2, 401]),
        row("POST", "/actions/bulk", Some(json!({ "action": "reset-device", "device_ids": [] })), [2, 403, 403, 403, 2, 401]),
        row("GET", "/actions/bulk/{nobody}", None, [404, 404, 404, 403, 404, 401]),
        row("POST", "/actions/bulk/{nobody}/cancel", None, [404, 404, 403, 403, 404, 401]),
        row("GET", "/audit", None, [2, 2, 2, 403, 2, 401]),
        row("GET", "/readiness", None, [2, 2, 2, 403, 2, 401]),
        row("GET", "/readiness?format=csv", None, [2, 2, 2, 403, 2, 401]),
        row("POST", "/enrollment/apple/profiles", Some(json!({ "login": "alice" })), [2, 403, 403, 403, 404, 401]),
        row("POST", "/enrollment/android/tokens", Some(json!({ "login": "alice" })), [2, 403, 403, 403, 404, 401]),
        row("GET", "/groups", None, [2, 2, 2, 403, 2, 401]),
        row("GET", "/profiles", None, [2, 2, 2, 403, 2, 401]),
        row("POST", "/profiles", Some(profile_body.clone()), [2, 403, 403, 403, 2, 401]),
        row("GET", "/profiles/{profile}", None, [2, 2, 2, 403, 404, 401]),
        row("PUT", "/profiles/{profile}", Some(profile_body.clone()), [2, 403, 403, 403, 404, 401]),
        row("PUT", "/profiles/{profile}/assignments", Some(json!({ "include": [], "exclude": [] })), [2, 403, 403, 403, 404, 401]),
        row("GET", "/profiles/{profile}/status", None, [2, 2, 2, 403, 404, 401]),
        row("GET", "/tenant", None, [2, 2, 2, 2, 2, 401]),
        row("POST", "/tenant/pin-reset-consent", Some(json!({ "granted": true })), [2, 403, 403, 403, 2, 401]),
        row("PUT", "/tenant/settings", Some(settings), [2, 403, 403, 403, 2, 401]),
        row("PUT", "/tenant/apns", Some(json!({ "cert_pem": "x", "key_pem": "y" })), [400, 403, 403, 403, 400, 401]),
        // No provider answers on port 1: refused after the role check, nothing saved.
        row(
            "PUT",
            "/tenant/sso",
            Some(json!({ "issuer": "http://127.0.0.1:1", "client_id": "pinreset", "client_secret": "s" })),
            [502, 403, 403, 403, 502, 401],
        ),
        row("GET", "/tenant/sso", None, [404, 403, 403, 403, 404, 401]),
        row("DELETE", "/tenant/sso", None, [2, 403, 403, 403, 2, 401]),
        row("GET", "/tenant/mail", None, [404, 403, 403, 403, 404, 401]),
        row("POST", "/tenant/mail/test", Some(json!({ "to": "alice@contoso.example" })), [404, 403, 403, 403, 404, 401]),
        row(
            "PUT",
            "/tenant/mail",
            Some(json!({ "host": "127.0.0.1", "port": 1, "security": "none", "from": "pinreset@contoso.example" })),
            [2, 403, 403, 403, 2, 401],
        ),
        row("DELETE", "/tenant/mail", None, [2, 403, 403, 403, 2, 401]),
        row("GET", "/tenant/android-enterprise", None, [404, 403, 403, 403, 404, 401]),
        row("POST", "/tenant/android-enterprise/sync", None, [404, 403, 403, 403, 404, 401]),
        // A key that is not one: checked, refused, nothing written (the AMAPI tests bind a real one).
        row(
            "PUT",
            "/tenant/android-enterprise",
            Some(
                json!({ "project_id": "contoso-mdm", "enterprise_name": "enterprises/LC00demo", "service_account_key": { "type": "user" } }),
            ),
            [400, 403, 403, 403, 400, 401],
        ),
        row("DELETE", "/tenant/android-enterprise", None, [2, 403, 403, 403, 2, 401]),
        row("GET", "/reenrollments", None, [2, 2, 2, 403, 2, 401]),
        row("POST", "/reenrollments/{nobody}/approve", None, [404, 403, 403, 403, 404, 401]),
        row("POST", "/reenrollments/{nobody}/reject", None, [404, 403, 403, 403, 404, 401]),
        row("GET", "/sign-in/lockouts", None, [2, 2, 2, 403, 2, 401]),
        row("DELETE", "/sign-in/lockouts/nobody", None, [404, 403, 403, 403, 404, 401]),
        // Sessions are for cookies: an API token has none to show, renew or end.
        row("POST", "/sessions", Some(json!({ "email": "nobody@contoso.example", "password": "wrong-password" })), [401; 6]),
        row("GET", "/sessions/current", None, [404, 404, 404, 404, 404, 401]),
        row("POST", "/sessions/current/reauthenticate", Some(json!({ "password": "x" })), [404, 404, 404, 404, 404, 401]),
        row("DELETE", "/sessions/current", None, [404, 404, 404, 404, 404, 401]),
        row("GET", "/openapi.json", None, [2; 6]),
        row("GET", "/users", None, [2, 2, 2, 403, 2, 401]),
        row(
            "POST",
            "/users",
            Some(json!({ "login": "matrix-new", "display_name": "M", "email": "matrix-new@contoso.example", "role": "end_user" })),
            [2, 403, 403, 403, 2, 401],
        ),
        row("GET", "/users/{alice}", None, [2, 2, 2, 403, 404, 401]),
        row("PATCH", "/users/{alice}", Some(json!({ "display_name": "Alice Andersen" })), [2, 403, 403, 403, 404, 401]),
        row("DELETE", "/users/{victim}", None, [2, 403, 403, 403, 404, 401]),
        row("POST", "/users/{alice}/tokens", Some(json!({ "label": "matrix" })), [2, 403, 403, 403, 404, 401]),
        row("GET", "/users/{alice}/tokens", None, [2, 2, 2, 403, 404, 401]),
        row("DELETE", "/users/{alice}/tokens/{nobody}", None, [404, 403, 403, 403, 404, 401]),
        row("POST", "/groups", Some(json!({ "kind": "user", "name": "Matrix", "members": [] })), [2, 403, 403, 403, 2, 401]),
        row("GET", "/groups/{group}", None, [2, 2, 2, 403, 404, 401]),
        row("PUT", "/groups/{group}/members/{alice}", None, [2, 403, 403, 403, 404, 401]),
        row("DELETE", "/groups/{group}/members/{alice}", None, [2, 403, 403, 403, 404, 401]),
    ];

    // Every documented route has a row (path parameters named as in the document).
    let (_, doc) = h.get("/openapi.json").await;
    let mut missing = Vec::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            let shape = |p: &str| {
                p.split('/').map(|seg| if seg.starts_with('{') || seg == "nobody" { "{}" } else { seg }).collect::<Vec<_>>().join("/")
            };
            let documented = shape(path.trim_start_matches("/api/v1"));
            let covered = rows.iter().any(|r| r.method.eq_ignore_ascii_case(method) && shape(r.path) == documented)
                || (documented == "/devices/{}/actions/{}" && method == "post");
            if !covered {
                missing.push(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    assert!(missing.is_empty(), "routes without a row in the authorization matrix: {missing:?}");

    let mut wrong = Vec::new();
    for r in &rows {
        for (i, token) in tokens.iter().enumerate() {
            let method = reqwest::Method::from_bytes(r.method.as_bytes()).unwrap();
            let mut req = h.http.request(method, h.url(&d(r.path)));
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            if let Some(body) = &r.body {
                req = req.json(body);
            }
            let got = req.send().await.unwrap().status().as_u16();
            let want = r.expect[i];
            let ok = if want == 2 { (200..300).contains(&got) } else { got == want };
            if !ok {
                wrong.push(format!("{} {} as {}: {got}, expected {want}", r.method, r.path, WHO[i]));
            }
        }
    }
    assert!(wrong.is_empty(), "{} answers differ from the matrix:\n{}", wrong.len(), wrong.join("\n"));
}
