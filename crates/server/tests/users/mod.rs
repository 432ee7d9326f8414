//! Issue 9, item 2: users, groups and API tokens through the admin API, written as what an
//! admin (or an attacker) would notice.

use crate::*;
use pinreset_core::Role;
use pinreset_server::clock::Clock;

const POLICY: &str = "/EnrollmentServer/Policy.svc";

fn captured_logs() -> String {
    String::from_utf8_lossy(&logs().0.lock().unwrap()).into_owned()
}

async fn send(req: reqwest::RequestBuilder, token: &str) -> (StatusCode, Value) {
    let r = req.bearer_auth(token).send().await.unwrap();
    (r.status(), r.json().await.unwrap_or(Value::Null))
}

async fn patch(h: &Harness, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    send(h.http.patch(h.url(path)).json(&body), token).await
}

async fn delete(h: &Harness, token: &str, path: &str) -> (StatusCode, Value) {
    send(h.http.delete(h.url(path)), token).await
}

async fn put(h: &Harness, token: &str, path: &str) -> (StatusCode, Value) {
    send(h.http.put(h.url(path)), token).await
}

/// Create a user as the demo admin; panics unless it worked.
async fn create_user(h: &Harness, login: &str, role: &str, password: Option<&str>) -> Value {
    let mut body =
        json!({"login": login, "display_name": format!("{login} Example"), "email": format!("{login}@contoso.example"), "role": role});
    if let Some(p) = password {
        body["password"] = json!(p);
    }
    let (s, u) = h.post_as(&h.creds.admin_token, "/users", Some(body)).await;
    assert_eq!(s, StatusCode::CREATED, "{u}");
    u
}

/// A token for `user` issued by the demo admin.
async fn token_for(h: &Harness, user: &Value) -> String {
    let (s, t) =
        h.post_as(&h.creds.admin_token, &format!("/users/{}/tokens", user["id"].as_str().unwrap()), Some(json!({"label": "test"}))).await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    t["token"].as_str().unwrap().to_string()
}

async fn demo_user(h: &Harness, login: &str) -> Value {
    let (s, users) = h.get(&format!("/users?search={login}")).await;
    assert_eq!(s, StatusCode::OK, "{users}");
    users.as_array().unwrap().iter().find(|u| u["login"] == login).cloned().unwrap()
}

/// A Windows enrollment policy request signing in with this email and password: 200 or 401.
async fn enrollment_sign_in(h: &Harness, email: &str, password: &str) -> StatusCode {
    let body = support::windows_device::fixture("get_policies_request_onpremise.xml")
        .replace("mypassword", password)
        .replace("user@contoso.com", email);
    h.http
        .post(format!("{}{POLICY}", h.server.base_url()))
        .header("content-type", "application/soap+xml; charset=utf-8")
        .body(body)
        .send()
        .await
        .unwrap()
        .status()
}

/// A second organisation with its own tenant admin; returns that admin's token.
async fn other_tenant_admin(h: &Harness) -> String {
    let tenant = h.new_tenant("Fabrikam").await;
    let admin = h.new_user(tenant.id, "fabrikam-admin", "admin@fabrikam.example", Role::TenantAdmin, None).await;
    let (token, hash) = pinreset_server::auth::new_api_token();
    h.state().store.create_api_token(admin.id, &hash, "fabrikam", h.clock.now()).await.unwrap();
    token
}

pub async fn users_are_managed_by_tenant_admins_only(b: Backend) {
    let h = start(b).await;
    assert!(h.creds.users.iter().all(|u| u.email == format!("{}@contoso.example", u.login)), "demo credentials list emails");

    // Created: the password is never part of an answer.
    let dana = create_user(&h, "dana", "help_desk", Some("correct horse battery")).await;
    assert_eq!((dana["login"].as_str(), dana["role"].as_str(), dana["disabled"].as_bool()), (Some("dana"), Some("help_desk"), Some(false)));
    assert_eq!(dana["has_password"], true);
    assert!(!dana.to_string().contains("correct horse") && !dana.to_string().contains("argon2"), "{dana}");
    let id = dana["id"].as_str().unwrap();

    // Listed and filtered.
    let (s, all) = h.get("/users").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(all.as_array().unwrap().len(), 6, "{all}");
    assert!(!all.to_string().contains("correct horse") && !all.to_string().contains("argon2"));
    let (_, desk) = h.get("/users?role=help_desk").await;
    let logins: Vec<&str> = desk.as_array().unwrap().iter().map(|u| u["login"].as_str().unwrap()).collect();
    assert_eq!(logins, ["dana", "helpdesk"]);
    let (_, found) = h.get("/users?search=ALICE").await;
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");

    // Changed: role and display name.
    let (s, changed) =
        patch(&h, &h.creds.admin_token, &format!("/users/{id}"), json!({"role": "read_only", "display_name": "Dana Doe"})).await;
    assert_eq!(s, StatusCode::OK, "{changed}");
    assert_eq!((changed["role"].as_str(), changed["display_name"].as_str()), (Some("read_only"), Some("Dana Doe")));
    let (_, shown) = h.get(&format!("/users/{id}")).await;
    assert_eq!(shown["role"], "read_only");

    // Help desk and read-only list but change nothing; an end user does not even list.
    let dana_token = token_for(&h, &dana).await;
    for token in [&h.creds.helpdesk_token, &dana_token] {
        let (s, list) = h.get_as(token, "/users").await;
        assert_eq!(s, StatusCode::OK, "{list}");
        let (s, p) = patch(&h, token, &format!("/users/{id}"), json!({"role": "tenant_admin"})).await;
        assert_eq!((s, p["code"].as_str()), (StatusCode::FORBIDDEN, Some("role_forbidden")));
        let (s, p) =
            h.post_as(token, "/users", Some(json!({"login": "x", "display_name": "X", "email": "x@x.example", "role": "end_user"}))).await;
        assert_eq!((s, p["code"].as_str()), (StatusCode::FORBIDDEN, Some("role_forbidden")));
        let (s, _) = delete(&h, token, &format!("/users/{id}")).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = h.post_as(token, &format!("/users/{id}/tokens"), Some(json!({"label": "mine"}))).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
    let alice = demo_user(&h, "alice").await;
    let alice_token = token_for(&h, &alice).await;
    let (s, p) = h.get_as(&alice_token, "/users").await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::FORBIDDEN, Some("role_forbidden")));
    let (s, _) = h.get_as(&alice_token, &format!("/users/{id}")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Another organisation's admin does not see them.
    let fabrikam = other_tenant_admin(&h).await;
    let (s, p) = h.get_as(&fabrikam, &format!("/users/{id}")).await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
    let (s, _) = patch(&h, &fabrikam, &format!("/users/{id}"), json!({"disabled": true})).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = delete(&h, &fabrikam, &format!("/users/{id}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, theirs) = h.get_as(&fabrikam, "/users").await;
    assert_eq!(theirs.as_array().unwrap().len(), 1, "{theirs}");

    // A login is taken once per tenant (another tenant may use it).
    let (s, p) = h
        .post_as(
            &h.creds.admin_token,
            "/users",
            Some(json!({"login": "dana", "display_name": "D2", "email": "d2@contoso.example", "role": "end_user"})),
        )
        .await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::CONFLICT, Some("login_taken")), "{p}");
    assert!(p["detail"].as_str().unwrap().contains("dana"), "{p}");
    let (s, p) = patch(&h, &h.creds.admin_token, &format!("/users/{id}"), json!({"login": "alice"})).await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::CONFLICT, Some("login_taken")), "{p}");
    let (s, _) = h
        .post_as(
            &fabrikam,
            "/users",
            Some(json!({"login": "dana", "display_name": "Dana F", "email": "dana@fabrikam.example", "role": "end_user"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);

    // Bad input: 400 problem details, and nothing changes.
    let (_, audit_before) = h.get("/audit?limit=1000").await;
    let (_, users_before) = h.get("/users").await;
    let good = json!({"login": "erin", "display_name": "Erin", "email": "erin@contoso.example", "role": "end_user", "password": "long enough password"});
    let with = |field: &str, value: Value| {
        let mut b = good.clone();
        b[field] = value;
        b
    };
    let bad_creates = [
        with("login", json!("")),
        with("login", json!("   ")),
        with("login", json!("er\u{0}in")),
        with("login", json!("er in")),
        with("display_name", json!("Erin \u{202E}nimda")),
        with("display_name", json!("Erin\u{0}")),
        with("email", json!("not-an-email")),
        with("password", json!("short")),
        with("password", json!("twelve\u{0}chars!!")),
        with("role", json!("superuser")),
        with("surprise", json!(true)),
    ];
    for body in bad_creates {
        let r = h.http.post(h.url("/users")).bearer_auth(&h.creds.admin_token).json(&body).send().await.unwrap();
        let (s, ctype) = (r.status(), r.headers()["content-type"].to_str().unwrap().to_string());
        let p: Value = r.json().await.unwrap();
        assert_eq!((s, p["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_input")), "{body}: {p}");
        assert_eq!(ctype, "application/problem+json");
        assert!(!p.to_string().contains("long enough password"), "{p}");
    }
    let (_, p) = h.post_as(&h.creds.admin_token, "/users", Some(with("password", json!("short")))).await;
    assert!(p["detail"].as_str().unwrap().contains("at least 12 characters"), "{p}");
    for body in [json!({"role": "owner"}), json!({"display_name": "\u{202E}x"}), json!({"password": "short"}), json!({"login": ""})] {
        let (s, p) = patch(&h, &h.creds.admin_token, &format!("/users/{id}"), body.clone()).await;
        assert_eq!((s, p["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_input")), "{body}: {p}");
    }
    let (s, _) = h.get("/users/not-a-uuid").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = h.get("/users?role=owner").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (_, audit_after) = h.get("/audit?limit=1000").await;
    let (_, users_after) = h.get("/users").await;
    assert_eq!(audit_before.as_array().unwrap().len(), audit_after.as_array().unwrap().len(), "bad input is not audited as a change");
    assert_eq!(users_before, users_after);

    // Every change was audited, and no password ever was.
    let (_, trail) = h.get("/audit?limit=1000").await;
    let kinds: Vec<&str> = trail.as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"user_created") && kinds.contains(&"user_changed") && kinds.contains(&"token_created"), "{kinds:?}");
    assert!(!trail.to_string().contains("correct horse"));
    assert!(!captured_logs().contains("correct horse"), "no password in the logs");
    h.server.shutdown().await;
}

pub async fn users_disabled_lose_their_tokens_and_passwords(b: Backend) {
    let h = start(b).await;
    let (s, pat) = h
        .post_as(
            &h.creds.admin_token,
            "/users",
            Some(json!({"login": "pat", "display_name": "Pat", "email": "pat@contoso.com", "role": "help_desk", "password": "first password 1"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{pat}");
    let id = pat["id"].as_str().unwrap();
    let token = token_for(&h, &pat).await;
    assert_eq!(h.get_as(&token, "/devices").await.0, StatusCode::OK);
    assert_eq!(enrollment_sign_in(&h, "pat@contoso.com", "first password 1").await, StatusCode::OK);

    // Disabled: the token and the password stop working at once.
    let (s, d) = patch(&h, &h.creds.admin_token, &format!("/users/{id}"), json!({"disabled": true})).await;
    assert_eq!((s, d["disabled"].as_bool()), (StatusCode::OK, Some(true)), "{d}");
    let (s, p) = h.get_as(&token, "/devices").await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("unauthenticated")));
    assert_eq!(enrollment_sign_in(&h, "pat@contoso.com", "first password 1").await, StatusCode::UNAUTHORIZED);
    let (_, disabled) = h.get("/users?disabled=true").await;
    assert_eq!(disabled.as_array().unwrap().len(), 1);

    // Re-enabled, with a reset password: the old one is refused, the new one works.
    let (s, _) =
        patch(&h, &h.creds.admin_token, &format!("/users/{id}"), json!({"disabled": false, "password": "second password 2"})).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h.get_as(&token, "/devices").await.0, StatusCode::OK);
    assert_eq!(enrollment_sign_in(&h, "pat@contoso.com", "first password 1").await, StatusCode::UNAUTHORIZED);
    assert_eq!(enrollment_sign_in(&h, "pat@contoso.com", "second password 2").await, StatusCode::OK);

    // The last enabled tenant admin cannot be demoted, disabled or deleted.
    let admin = demo_user(&h, "admin").await;
    let admin_path = format!("/users/{}", admin["id"].as_str().unwrap());
    for body in [json!({"role": "help_desk"}), json!({"disabled": true})] {
        let (s, p) = patch(&h, &h.creds.admin_token, &admin_path, body).await;
        assert_eq!((s, p["code"].as_str()), (StatusCode::CONFLICT, Some("last_tenant_admin")), "{p}");
        assert!(p["remedy"].as_str().unwrap().contains("another user a tenant admin"), "{p}");
    }
    let (s, p) = delete(&h, &h.creds.admin_token, &admin_path).await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::CONFLICT, Some("last_tenant_admin")), "{p}");
    assert_eq!(h.get(&admin_path).await.1["role"], "tenant_admin");
    // With a second admin, the first may step down (and the second is then the last).
    let (s, _) = patch(&h, &h.creds.admin_token, &format!("/users/{id}"), json!({"role": "tenant_admin"})).await;
    assert_eq!(s, StatusCode::OK);
    let (s, p) = patch(&h, &h.creds.admin_token, &admin_path, json!({"role": "help_desk"})).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    let (s, p) = patch(&h, &token, &format!("/users/{id}"), json!({"disabled": true})).await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::CONFLICT, Some("last_tenant_admin")), "{p}");
    h.server.shutdown().await;
}

pub async fn users_owning_devices_are_deleted_only_with_reassignment(b: Backend) {
    let h = start(b).await;
    let (alice, bob) = (demo_user(&h, "alice").await, demo_user(&h, "bob").await);
    let (alice_id, bob_id) = (alice["id"].as_str().unwrap(), bob["id"].as_str().unwrap());
    let owned = |page: &Value| page["total"].as_u64().unwrap();
    let (_, alices) = h.get(&format!("/devices?owner={alice_id}&limit=500")).await;
    let (_, bobs) = h.get(&format!("/devices?owner={bob_id}&limit=500")).await;
    let n = owned(&alices);
    assert!(n > 0, "the demo gives alice devices");

    let (s, p) = delete(&h, &h.creds.admin_token, &format!("/users/{alice_id}")).await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::CONFLICT, Some("user_owns_devices")), "{p}");
    let detail = p["detail"].as_str().unwrap();
    assert!(detail.contains(&format!("primary user of {n} device")) && detail.contains("reassign_to"), "{detail}");
    assert_eq!(h.get(&format!("/users/{alice_id}")).await.0, StatusCode::OK, "still there");

    // Reassigning to someone outside the tenant, or to herself, is refused.
    let (s, _) = delete(&h, &h.creds.admin_token, &format!("/users/{alice_id}?reassign_to={}", uuid::Uuid::new_v4())).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = delete(&h, &h.creds.admin_token, &format!("/users/{alice_id}?reassign_to={alice_id}")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);

    let (s, done) = delete(&h, &h.creds.admin_token, &format!("/users/{alice_id}?reassign_to={bob_id}")).await;
    assert_eq!(s, StatusCode::OK, "{done}");
    assert_eq!(done["devices_reassigned"].as_u64(), Some(n));
    assert_eq!(h.get(&format!("/users/{alice_id}")).await.0, StatusCode::NOT_FOUND);
    let (_, after) = h.get(&format!("/devices?owner={bob_id}&limit=500")).await;
    assert_eq!(owned(&after), owned(&bobs) + n, "her devices are bob's now");
    let (_, left) = h.get(&format!("/devices?owner={alice_id}&limit=500")).await;
    assert_eq!(owned(&left), 0);
    let (_, groups) = h.get("/groups").await;
    assert!(!groups.to_string().contains(alice_id), "no group keeps a deleted user: {groups}");
    let (_, trail) = h.get("/audit?limit=1000").await;
    let trail = trail.as_array().unwrap();
    let moved = trail.iter().filter(|e| e["kind"] == "device_owner_changed").count() as u64;
    assert_eq!(moved, n);
    assert!(trail.iter().any(|e| e["kind"] == "user_deleted" && e["outcome"].as_str().unwrap().starts_with("deleted:alice;")));

    // A user without devices goes at once.
    let temp = create_user(&h, "temp", "end_user", None).await;
    let (s, _) = delete(&h, &h.creds.admin_token, &format!("/users/{}", temp["id"].as_str().unwrap())).await;
    assert_eq!(s, StatusCode::OK);
    h.server.shutdown().await;
}

pub async fn groups_are_created_and_their_members_changed(b: Backend) {
    let h = start(b).await;
    let (alice, bob) = (demo_user(&h, "alice").await, demo_user(&h, "bob").await);
    let (alice_id, bob_id) = (alice["id"].as_str().unwrap(), bob["id"].as_str().unwrap());
    let galaxy = h.device("Galaxy S5").await;
    let galaxy_id = galaxy["id"].as_str().unwrap();

    let (s, g) =
        h.post_as(&h.creds.admin_token, "/groups", Some(json!({"kind": "user", "name": "Field sales", "members": [alice_id]}))).await;
    assert_eq!(s, StatusCode::CREATED, "{g}");
    assert_eq!((g["kind"].as_str(), g["members"].as_array().unwrap().len()), (Some("user"), 1));
    let gid = g["id"].as_str().unwrap();
    let (s, dg) = h.post_as(&h.creds.admin_token, "/groups", Some(json!({"kind": "device", "name": "Loaners"}))).await;
    assert_eq!(s, StatusCode::CREATED, "{dg}");
    let dgid = dg["id"].as_str().unwrap();

    // Members are added and removed; the list shows it.
    let (s, g) = put(&h, &h.creds.admin_token, &format!("/groups/{gid}/members/{bob_id}")).await;
    assert_eq!((s, g["members"].as_array().unwrap().len()), (StatusCode::OK, 2), "{g}");
    let (s, g) = put(&h, &h.creds.admin_token, &format!("/groups/{gid}/members/{bob_id}")).await;
    assert_eq!((s, g["members"].as_array().unwrap().len()), (StatusCode::OK, 2), "adding twice changes nothing");
    let (s, _) = put(&h, &h.creds.admin_token, &format!("/groups/{dgid}/members/{galaxy_id}")).await;
    assert_eq!(s, StatusCode::OK);
    let (s, g) = delete(&h, &h.creds.admin_token, &format!("/groups/{gid}/members/{alice_id}")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(g["members"], json!([bob_id]));
    let (s, all) = h.get("/groups").await;
    assert_eq!(s, StatusCode::OK);
    let sales = all["user_groups"].as_array().unwrap().iter().find(|g| g["id"] == gid).unwrap();
    assert_eq!(sales["members"], json!([bob_id]));
    let loaners = all["device_groups"].as_array().unwrap().iter().find(|g| g["id"] == dgid).unwrap();
    assert_eq!(loaners["members"], json!([galaxy_id]));
    let (_, by_group) = h.get(&format!("/devices?group={dgid}")).await;
    assert_eq!(by_group["total"], 1);
    assert_eq!(h.get(&format!("/groups/{dgid}")).await.1["name"], "Loaners");

    // A user is not a device, and another tenant's user is no member.
    let fabrikam = other_tenant_admin(&h).await;
    let (_, theirs) = h.get_as(&fabrikam, "/users").await;
    let mallory = theirs[0]["id"].as_str().unwrap();
    let (s, p) = put(&h, &h.creds.admin_token, &format!("/groups/{gid}/members/{mallory}")).await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")), "{p}");
    let (s, _) = put(&h, &h.creds.admin_token, &format!("/groups/{dgid}/members/{bob_id}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, p) =
        h.post_as(&h.creds.admin_token, "/groups", Some(json!({"kind": "user", "name": "Mixed", "members": [bob_id, mallory]}))).await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_input")), "{p}");
    // Their admin sees neither group, and cannot change them.
    assert_eq!(h.get_as(&fabrikam, &format!("/groups/{gid}")).await.0, StatusCode::NOT_FOUND);
    assert_eq!(put(&h, &fabrikam, &format!("/groups/{gid}/members/{mallory}")).await.0, StatusCode::NOT_FOUND);
    let (_, their_groups) = h.get_as(&fabrikam, "/groups").await;
    assert_eq!(their_groups, json!({"user_groups": [], "device_groups": []}));

    // Bad input and roles.
    for body in [json!({"kind": "team", "name": "X"}), json!({"kind": "user", "name": ""}), json!({"kind": "user", "name": "A\u{202E}B"})] {
        let (s, p) = h.post_as(&h.creds.admin_token, "/groups", Some(body.clone())).await;
        assert_eq!((s, p["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_input")), "{body}: {p}");
    }
    let (s, p) = h.post_as(&h.creds.helpdesk_token, "/groups", Some(json!({"kind": "user", "name": "Desk"}))).await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::FORBIDDEN, Some("role_forbidden")));
    assert_eq!(put(&h, &h.creds.helpdesk_token, &format!("/groups/{gid}/members/{alice_id}")).await.0, StatusCode::FORBIDDEN);
    assert_eq!(h.get_as(&h.creds.helpdesk_token, &format!("/groups/{gid}")).await.0, StatusCode::OK);
    let (_, trail) = h.get("/audit?limit=1000").await;
    let kinds: Vec<&str> = trail.as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "group_created").count(), 2);
    assert_eq!(kinds.iter().filter(|k| **k == "group_changed").count(), 3, "an unchanged add is not audited");
    h.server.shutdown().await;
}

pub async fn tokens_are_shown_once_and_revoked(b: Backend) {
    let h = start(b).await;
    let helpdesk = demo_user(&h, "helpdesk").await;
    let path = format!("/users/{}/tokens", helpdesk["id"].as_str().unwrap());
    let r = h.http.post(h.url(&path)).bearer_auth(&h.creds.admin_token).json(&json!({"label": "nightly report"})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let created: Value = r.json().await.unwrap();
    let token = created["token"].as_str().unwrap().to_string();
    let token_id = created["id"].as_str().unwrap();
    assert_eq!(created["label"], "nightly report");

    // It works as a bearer token, for its user's role.
    let (s, _) = h.get_as(&token, "/devices").await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) =
        h.post_as(&token, "/users", Some(json!({"login": "z", "display_name": "Z", "email": "z@z.example", "role": "end_user"}))).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "a help desk token cannot manage users");

    // Listed without its value.
    let (s, list) = h.get(&path).await;
    assert_eq!(s, StatusCode::OK);
    let mut labels: Vec<&str> = list.as_array().unwrap().iter().map(|t| t["label"].as_str().unwrap()).collect();
    labels.sort();
    assert_eq!(labels, ["demo help desk", "nightly report"]);
    assert!(list.as_array().unwrap().iter().all(|t| t
        .as_object()
        .unwrap()
        .keys()
        .all(|k| ["id", "label", "created_at"].contains(&k.as_str()))));
    assert!(!list.to_string().contains(&token));
    let hash = pinreset_server::auth::token_hash(&token);
    assert!(!list.to_string().contains(&hash));

    // Revoked: 401 from then on; revoking again, or another user's token, is not found.
    let (s, _) = delete(&h, &h.creds.admin_token, &format!("{path}/{token_id}")).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, p) = h.get_as(&token, "/devices").await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("unauthenticated")));
    let (s, _) = delete(&h, &h.creds.admin_token, &format!("{path}/{token_id}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let admin = demo_user(&h, "admin").await;
    let (_, admin_tokens) = h.get(&format!("/users/{}/tokens", admin["id"].as_str().unwrap())).await;
    let admin_token_id = admin_tokens[0]["id"].as_str().unwrap();
    let (s, _) = delete(&h, &h.creds.admin_token, &format!("{path}/{admin_token_id}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "a token is revoked through its own user");
    assert_eq!(h.get("/devices").await.0, StatusCode::OK);
    let (s, p) = h.post_as(&h.creds.admin_token, &path, Some(json!({"label": ""}))).await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_input")));

    // The value is nowhere else: not in the audit, not in the logs.
    let (_, trail) = h.get("/audit?limit=1000").await;
    let text = trail.to_string();
    assert!(text.contains("token_created") && text.contains("token_revoked"), "{text}");
    assert!(!text.contains(&token) && !text.contains(&hash));
    let logs = captured_logs();
    assert!(!logs.contains(&token) && !logs.contains(&hash), "the token is not logged");
    h.server.shutdown().await;
}

/// A refusal names its detail as a catalogue key with arguments (what the web pages translate),
/// beside the English sentence built from them; nothing is created.
pub async fn refusals_carry_a_detail_code_and_its_arguments(b: Backend) {
    let h = start(b).await;
    let long = "x".repeat(65);
    let (s, p) = send(
        h.http.post(h.url("/users")).json(&json!({"login": long, "display_name": "X", "email": "x@contoso.example", "role": "read_only"})),
        &h.creds.admin_token,
    )
    .await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_input")), "{p}");
    assert_eq!(p["detail_code"], "field_too_long", "{p}");
    assert_eq!(p["detail_args"], json!({"field": "login", "max": "64"}));
    assert_eq!(p["detail"], "\"login\" must be at most 64 characters.");
    let (_, users) = h.get("/users").await;
    assert!(users.as_array().unwrap().iter().all(|u| u["display_name"] != "X"), "nothing created");

    // A refusal without a specific detail has neither field; the catalogue's texts stand.
    let (s, p) = send(h.http.delete(h.url("/users/00000000-0000-0000-0000-000000000000")), &h.creds.admin_token).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(p["detail_code"], "no_such_user", "{p}");
    let (s, p) = send(h.http.get(h.url("/no-such-endpoint")), &h.creds.admin_token).await;
    assert_eq!((s, p["detail_code"].as_str()), (StatusCode::NOT_FOUND, Some("no_such_endpoint")));
    let (_, p) = send(h.http.get(h.url("/devices?platform=symbian")), &h.creds.admin_token).await;
    assert_eq!(p["detail_code"], "field_unknown_value", "{p}");
    assert_eq!((p["detail_args"]["field"].as_str(), p["detail_args"]["value"].as_str()), (Some("platform"), Some("symbian")));
    assert!(p["detail_args"]["allowed"].as_str().unwrap().contains("windows_mobile"));
}
