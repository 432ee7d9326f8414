//! Users & groups in the browser (issue 11, item 8): an admin creates a help-desk operator who
//! then signs in; API tokens shown once, working, then revoked; deleting an owner of devices
//! refused with the reason and then done with reassignment; the last tenant admin kept; the
//! help desk reads without controls and is refused when forcing a change; group membership.

use super::driver::{Browser, DESKTOP, PHONE};
use super::{browser_signed_in, form_sign_in, raw_client};
use crate::*;
use fantoccini::Locator;

const DANA_PASSWORD: &str = "dana-correct-horse-7";

/// The API id of the demo user with this login.
async fn user_id(h: &Harness, login: &str) -> String {
    let (s, users) = h.get(&format!("/users?search={login}")).await;
    assert_eq!(s, StatusCode::OK, "{users}");
    let user = users.as_array().unwrap().iter().find(|u| u["login"] == login).unwrap_or_else(|| panic!("no user {login}"));
    user["id"].as_str().unwrap().to_string()
}

async fn choose(b: &Browser, select: &str, value: &str) {
    b.client.find(Locator::Css(&format!("{select} option[value='{value}']"))).await.unwrap().click().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_admin_creates_a_help_desk_user_who_signs_in_and_gets_a_token_once() {
    let h = start(Backend::Sqlite).await;
    let b = browser_signed_in(&h, "admin").await;
    b.click("a.nav-item[href='/admin/users']").await;
    assert_eq!(b.path().await, "/admin/users");
    assert!(b.text("#users").await.contains("Harper Helpdesk"));
    b.click("#new-user").await;
    b.fill("#login", "dana").await;
    b.fill("#display_name", "Dana Diaz").await;
    b.fill("#email", "dana@contoso.example").await;
    choose(&b, "#role", "help_desk").await;
    // Too short first: the engine's minimum, in the form, with what was typed kept.
    b.fill("#password", "short").await;
    b.client.execute("document.getElementById('password').removeAttribute('minlength')", vec![]).await.unwrap();
    b.click("#create-user").await;
    assert!(b.text("#form-error").await.contains("12"), "the minimum length is named: {}", b.text("#form-error").await);
    let login = b.client.find(Locator::Css("#login")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(login.as_deref(), Some("dana"), "the form keeps what was typed");
    b.fill("#password", DANA_PASSWORD).await;
    b.click("#create-user").await;
    assert!(b.path().await.starts_with("/admin/users/"), "{}", b.path().await);
    assert!(b.text("#notice").await.contains("created"));
    assert_eq!(b.text("#user-role").await, "Help desk operator");
    assert_eq!(b.text("#user-password").await, "Set");
    assert!(!b.client.source().await.unwrap().contains(DANA_PASSWORD), "the password is never shown back");
    let dana_page = b.path().await.split('?').next().unwrap().to_string();

    // Dana signs in through the form in a browser of her own, as a help-desk operator.
    let d = Browser::start(&h.base()).await;
    d.sign_in("dana@contoso.example", DANA_PASSWORD).await;
    assert_eq!(d.path().await, "/admin/devices");
    let header = d.text(".topbar").await;
    assert!(header.contains("Dana Diaz") && header.contains("Help desk operator"), "{header}");
    d.close().await;

    // An API token for Dana: shown once, in a box, with the warning.
    b.fill("#token-label", "ci script").await;
    b.click("#create-token").await;
    let token = b.text("#token-value").await;
    assert!(token.len() > 20, "{token}");
    assert!(b.text("#token-warning").await.contains("not shown again"));
    b.screenshot("token-once-en-desktop", DESKTOP).await;
    let (s, devices) = h.get_as(&token, "/devices").await;
    assert_eq!(s, StatusCode::OK, "the token works: {devices}");
    assert!(!devices["items"].as_array().unwrap().is_empty());
    b.click("#token-done").await;
    assert_eq!(b.path().await, dana_page);
    assert!(b.text("#token-list").await.contains("ci script"));
    assert!(b.text(".topbar").await.contains("Tenant admin"), "the header shows the signed-in user's role, not Dana's");
    b.screenshot("user-en-desktop", DESKTOP).await;
    b.screenshot("user-en-phone", PHONE).await;
    assert!(!b.client.source().await.unwrap().contains(&token), "listed without its value");
    b.click(".revoke-token").await;
    assert!(b.text("#notice").await.contains("revoked"));
    assert!(b.exists("#no-tokens").await);
    let (s, _) = h.get_as(&token, "/devices").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "a revoked token stops working");

    // The token's page is never stored (checked on the wire, with the browser's cookies).
    let (session, csrf) = (b.cookie("pinreset_session").await, b.cookie("pinreset_csrf").await);
    let r = raw_client(&h)
        .post(format!("{}{dana_page}/tokens", h.base()))
        .header("cookie", format!("pinreset_session={session}; pinreset_csrf={csrf}"))
        .form(&[("csrf", csrf.as_str()), ("label", "wire check")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert!(r.text().await.unwrap().contains("token-value"));

    // The users list in every language, on a desktop and a phone.
    for (lang, _) in super::LANGS {
        b.open(&format!("/admin/language?set={lang}&next=/admin/users")).await;
        assert!(b.text("#users").await.contains("Dana Diaz"));
        b.screenshot(&format!("users-{lang}-desktop"), DESKTOP).await;
        b.screenshot(&format!("users-{lang}-phone"), PHONE).await;
    }
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_deleting_a_device_owner_is_refused_then_done_with_reassignment() {
    let h = start(Backend::Sqlite).await;
    let (alice, bob, admin) = (user_id(&h, "alice").await, user_id(&h, "bob").await, user_id(&h, "admin").await);
    let (_, page) = h.get("/devices?limit=500").await;
    let owned_by = |page: &Value, id: &str| page["items"].as_array().unwrap().iter().filter(|d| d["primary_user_id"] == id).count();
    let alices = owned_by(&page, &alice);
    assert!(alices > 0, "the demo gives Alice devices");
    let b = browser_signed_in(&h, "admin").await;
    b.open(&format!("/admin/users/{alice}")).await;
    b.click("#delete-user").await;
    b.click("#confirm-delete").await;
    let error = b.text("#form-error").await;
    assert!(error.contains(ErrorCode::UserOwnsDevices.reason()), "{error}");
    assert!(error.contains(&format!("primary user of {alices} devices")), "{error}");
    assert!(!error.contains("reassign_to"), "the page offers its picker, not the API's parameter: {error}");
    b.screenshot("user-delete-refused-en-desktop", DESKTOP).await;
    assert_eq!(h.get(&format!("/users/{alice}")).await.0, StatusCode::OK, "nothing was deleted");
    choose(&b, "#reassign_to", &bob).await;
    b.click("#confirm-delete").await;
    assert_eq!(b.path().await, "/admin/users?done=deleted");
    assert!(!b.text("#users").await.contains("Alice Andersen"));
    assert_eq!(h.get(&format!("/users/{alice}")).await.0, StatusCode::NOT_FOUND);
    let (_, after) = h.get("/devices?limit=500").await;
    assert_eq!(owned_by(&after, &bob), owned_by(&page, &bob) + alices, "Alice's devices are Bob's now");

    // The last tenant admin cannot demote themselves: the reason is shown, nothing changes.
    b.open(&format!("/admin/users/{admin}")).await;
    choose(&b, "#role", "read_only").await;
    b.click("#save-user").await;
    assert!(b.text("#form-error").await.contains(ErrorCode::LastTenantAdmin.reason()));
    assert_eq!(b.text("#user-role").await, "Tenant admin");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_help_desk_reads_users_without_controls_and_is_refused_changes() {
    let h = start(Backend::Sqlite).await;
    let alice = user_id(&h, "alice").await;
    let b = browser_signed_in(&h, "helpdesk").await;
    b.open("/admin/users").await;
    b.client.find(Locator::Css("#roles summary")).await.unwrap().click().await.unwrap();
    b.screenshot("users-roles-helpdesk-en-desktop", DESKTOP).await;
    assert!(b.text("#users").await.contains("Avery Admin"), "help desk may read users");
    assert!(!b.exists("#new-user").await);
    // What each role may do, from the rules: help desk resets, locks and renames, no wipe.
    // (Inside a closed <details>: read what is there, not what is displayed.)
    let roles = b.client.find(Locator::Css("#role-help_desk")).await.unwrap().prop("textContent").await.unwrap().unwrap_or_default();
    assert!(roles.contains("Reset passcode") && roles.contains("Remote lock") && roles.contains("Rename"), "{roles}");
    assert!(!roles.contains("Reset device") && !roles.contains("Remove"), "{roles}");
    b.open(&format!("/admin/users/{alice}")).await;
    assert_eq!(b.text("#user-name").await, "Alice Andersen");
    for control in ["#save-user", "#save-password", "#create-token", "#disable-user", "#delete-user"] {
        assert!(!b.exists(control).await, "no {control} for help desk");
    }
    b.open("/admin/groups").await;
    assert!(b.text("#user-groups").await.contains("Sales") && !b.exists("#create-group").await);
    // Forcing changes with the session and a valid CSRF token: refused by the engine.
    let (session, csrf) = (b.cookie("pinreset_session").await, b.cookie("pinreset_csrf").await);
    let cookies = format!("pinreset_session={session}; pinreset_csrf={csrf}");
    let client = raw_client(&h);
    for (path, fields) in [
        (format!("/admin/users/{alice}/status"), vec![("disabled", "true")]),
        (format!("/admin/users/{alice}"), vec![("display_name", "Mallory"), ("email", "m@contoso.example"), ("role", "tenant_admin")]),
        (
            "/admin/users".to_string(),
            vec![("login", "eve"), ("display_name", "Eve"), ("email", "eve@contoso.example"), ("role", "tenant_admin")],
        ),
        (format!("/admin/users/{alice}/tokens"), vec![("label", "mine now")]),
    ] {
        let mut form = fields.clone();
        form.push(("csrf", csrf.as_str()));
        let r = client.post(format!("{}{path}", h.base())).header("cookie", cookies.clone()).form(&form).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path}");
        assert!(r.text().await.unwrap().contains(ErrorCode::RoleForbidden.reason()));
    }
    let (_, alice_now) = h.get(&format!("/users/{alice}")).await;
    assert_eq!((alice_now["disabled"].as_bool(), alice_now["display_name"].as_str()), (Some(false), Some("Alice Andersen")));
    assert!(h.get(&format!("/users/{alice}/tokens")).await.1.as_array().unwrap().is_empty(), "no token was issued");
    let r = client.get(format!("{}/admin/users/new", h.base())).header("cookie", cookies.clone()).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    b.close().await;
    // End users have no admin center at all.
    let (session, _) = form_sign_in(&h, "carol").await;
    let r = client.get(format!("{}/admin/users", h.base())).header("cookie", format!("pinreset_session={session}")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_group_members_are_added_and_removed() {
    let h = start(Backend::Sqlite).await;
    let b = browser_signed_in(&h, "admin").await;
    b.open("/admin/users").await;
    b.click("#tab-groups").await;
    assert!(b.text("#device-groups").await.contains("Windows devices"));
    b.fill("#group-name", "Night shift").await;
    b.click("#create-group").await;
    assert_eq!(b.text("#group-name").await, "Night shift");
    assert!(b.exists("#no-members").await);
    b.fill("#find", "carol").await;
    b.click("#find-submit").await;
    assert!(b.text("#candidates").await.contains("Carol Chen"));
    b.click("#candidates button").await;
    assert!(b.text("#notice").await.contains("added"));
    assert!(b.text("#members").await.contains("Carol Chen"));
    b.fill("#find", "a").await;
    b.click("#find-submit").await;
    assert!(!b.text("#candidates").await.contains("Carol Chen"), "members are not offered again");
    b.screenshot("group-en-desktop", DESKTOP).await;
    b.click("#members button").await;
    assert!(b.text("#notice").await.contains("removed"));
    assert!(b.exists("#no-members").await);
    // A device group takes devices, found by name.
    b.open("/admin/groups").await;
    b.fill("#group-name", "Kiosks").await;
    choose(&b, "#group-kind", "device").await;
    b.click("#create-group").await;
    b.fill("#find", "Lumia 950").await;
    b.click("#find-submit").await;
    b.click("#candidates button").await;
    assert!(b.text("#members").await.contains("Lumia 950"));
    let (_, groups) = h.get("/groups").await;
    let kiosks = groups["device_groups"].as_array().unwrap().iter().find(|g| g["name"] == "Kiosks").cloned().unwrap();
    assert_eq!(kiosks["members"].as_array().unwrap().len(), 1, "the engine holds the membership: {kiosks}");
    b.close().await;
}
