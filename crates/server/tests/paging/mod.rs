//! The device list pages by keyset: through the API (`next` → `after`) and the admin center's
//! Next / Previous links, every device is listed once, in order, and going back returns the
//! same pages; a position the server never handed out is bad input.

use crate::*;
use pinreset_store::DeviceFilter;

/// 60 more devices in the demo tenant (names sort between the demo's own).
async fn seed(h: &Harness, n: usize) {
    let (_, page) = h.get("/devices?limit=1").await;
    let template: pinreset_core::Device = serde_json::from_value(page["items"][0].clone()).unwrap();
    for i in 0..n {
        let d = pinreset_core::Device {
            id: pinreset_core::DeviceId::new(),
            name: format!("Fleet phone {i:03}"),
            udid: None,
            ..template.clone()
        };
        h.state().store.upsert_device(&d).await.unwrap();
    }
}

pub async fn device_list_pages_by_keyset(b: Backend) {
    let h = start(b).await;
    seed(&h, 60).await;
    let (_, all) = h.get("/devices?limit=500").await;
    let total = all["total"].as_u64().unwrap() as usize;
    let expected: Vec<String> = all["items"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(expected.len(), total);

    // API: follow `next` until it is absent.
    let mut seen = vec![];
    let mut url = "/devices?limit=7".to_string();
    loop {
        let (s, page) = h.get(&url).await;
        assert_eq!(s, StatusCode::OK, "{page}");
        assert_eq!(page["total"].as_u64(), Some(total as u64), "every page counts the whole list");
        seen.extend(page["items"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap().to_string()));
        match page["next"].as_str() {
            Some(next) => url = format!("/devices?limit=7&after={next}"),
            None => break,
        }
    }
    assert_eq!(seen, expected, "each device once, in the list's order");
    let (s, p) = h.get("/devices?after=bm90LWEtY3Vyc29y").await;
    assert_eq!((s, p["detail_code"].as_str()), (StatusCode::BAD_REQUEST, Some("page_cursor_invalid")));
}

/// The admin center's pages walk forward with Next and back with Previous to the first page.
pub async fn device_pages_walk_forward_and_back(b: Backend) {
    let h = start(b).await;
    seed(&h, 60).await;
    let web = AdminWeb::sign_in(&h).await;
    let get = |path: String| web.get(path);
    let rows = |html: &str| html.matches("href=\"/admin/devices/").count();
    let count = |html: &str| html.split("id=\"device-count\">").nth(1).unwrap().split('<').next().unwrap().to_string();

    let first = get("/admin/devices".into()).await;
    assert!(link(&first, "prev").is_none(), "the first page has no Previous");
    let mut pages = vec![first.clone()];
    let mut listed = rows(&first);
    while let Some(next) = link(pages.last().unwrap(), "next") {
        let page = get(next).await;
        listed += rows(&page);
        pages.push(page);
        assert!(pages.len() < 10, "paging ends");
    }
    let (_, all) = h.get("/devices?limit=500").await;
    assert_eq!(listed as u64, all["total"].as_u64().unwrap(), "every device is on one page");
    assert!(count(&pages[1]).contains("26–50"), "the second page is numbered on: {}", count(&pages[1]));
    // Back from the last page to the first, page by page: the same pages.
    let mut back = pages.last().unwrap().clone();
    for expected in pages.iter().rev().skip(1) {
        back = get(link(&back, "prev").expect("a Previous link")).await;
        assert_eq!(count(&back), count(expected));
        assert_eq!(rows(&back), rows(expected));
    }
    assert!(link(&back, "prev").is_none(), "back on the first page");
}

/// The admin center as a signed-in browser without the browser: a cookie jar, and pages read
/// with minijinja's `&#x2f;` turned back into `/`.
pub struct AdminWeb {
    client: reqwest::Client,
    base: String,
}

impl AdminWeb {
    pub async fn sign_in(h: &Harness) -> AdminWeb {
        let admin = h.creds.users.iter().find(|u| u.login == "admin").unwrap();
        let ca = std::fs::read(h.server.ca_pem.as_ref().unwrap()).unwrap();
        let client = reqwest::Client::builder()
            .add_root_certificate(reqwest::Certificate::from_pem(&ca).unwrap())
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let r = client
            .post(format!("{}/admin/sign-in", h.base()))
            .form(&[("email", admin.email.as_str()), ("password", admin.password.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        AdminWeb { client, base: h.base() }
    }

    pub async fn status_and_page(&self, path: &str) -> (StatusCode, String) {
        let r = self.client.get(format!("{}{}", self.base, path.replace("&#x2f;", "/").replace("&amp;", "&"))).send().await.unwrap();
        (r.status(), r.text().await.unwrap().replace("&#x2f;", "/"))
    }

    pub async fn get(&self, path: String) -> String {
        let (status, page) = self.status_and_page(&path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        page
    }
}

/// The `href` of the link with `rel`.
fn link(html: &str, rel: &str) -> Option<String> {
    html.split(&format!("rel=\"{rel}\""))
        .next()
        .filter(|_| html.contains(&format!("rel=\"{rel}\"")))
        .map(|before| before.rsplit("href=\"").next().unwrap().split('"').next().unwrap().to_string())
}

/// The ids of the devices listed on a page, top to bottom.
fn listed(html: &str) -> Vec<String> {
    html.split("href=\"/admin/devices/").skip(1).map(|rest| rest.split('"').next().unwrap().to_string()).collect()
}

/// 70 more devices whose every sort key varies: owners (a quarter without one), platforms, OS
/// versions whose parts have different widths (9 before 10), check-ins (some never), and both
/// ownerships; names repeat so that ties fall back to the id.
async fn seed_varied(h: &Harness) -> (TenantId, Vec<pinreset_core::User>) {
    use pinreset_core::{OsVersion, Ownership, Platform};
    let (_, page) = h.get("/devices?limit=1").await;
    let template: pinreset_core::Device = serde_json::from_value(page["items"][0].clone()).unwrap();
    let tenant = template.tenant_id;
    let users: Vec<pinreset_core::User> = h.state().store.list_users(tenant).await.unwrap().into_iter().take(3).collect();
    assert_eq!(users.len(), 3, "the demo has users to own devices");
    let now = chrono::Utc::now();
    for i in 0..70usize {
        let d = pinreset_core::Device {
            id: pinreset_core::DeviceId::new(),
            name: format!("Sorted {:02}", (i * 37) % 50),
            udid: None,
            primary_user_id: (i % 4 != 0).then(|| users[i % 3].id),
            platform: Platform::ALL[i % Platform::ALL.len()],
            os_version: OsVersion::parse(&format!("{}.{}.{}", 8 + i % 5, i % 3, (i * 97) % 1200)).unwrap(),
            last_check_in: (i % 6 != 0).then(|| now - chrono::Duration::minutes(((i * 13) % 500) as i64)),
            ownership: if i % 2 == 0 { Ownership::Corporate } else { Ownership::Personal },
            ..template.clone()
        };
        h.state().store.upsert_device(&d).await.unwrap();
    }
    (tenant, users)
}

/// The whole list in one order, straight from the store (one query: the reference).
async fn in_order(h: &Harness, tenant: TenantId, filter: DeviceFilter) -> Vec<pinreset_core::Device> {
    h.state().store.list_devices(tenant, &filter, pinreset_store::Page { offset: 0, limit: 1000 }).await.unwrap().items
}

/// Follow Next from `first` to the end, then Previous back to the start: the pages' device ids.
async fn walk(web: &AdminWeb, first: &str) -> Vec<Vec<String>> {
    let mut html = vec![web.get(first.to_string()).await];
    assert!(link(&html[0], "prev").is_none(), "the first page has no Previous");
    while let Some(next) = link(html.last().unwrap(), "next") {
        html.push(web.get(next).await);
        assert!(html.len() < 20, "paging ends");
    }
    let pages: Vec<Vec<String>> = html.iter().map(|h| listed(h)).collect();
    let mut back = html.last().unwrap().clone();
    for expected in pages.iter().rev().skip(1) {
        back = web.get(link(&back, "prev").expect("a Previous link")).await;
        assert_eq!(&listed(&back), expected, "Previous returns the same page");
    }
    assert!(link(&back, "prev").is_none(), "back on the first page");
    pages
}

/// Every column header sorts, both ways: Next visits every device once, in the order, and
/// Previous walks back through the same pages. The order itself is the one users expect:
/// OS versions as numbers, check-ins by time (never first going up), owners grouped.
pub async fn device_pages_sort_by_every_column(b: Backend) {
    use pinreset_store::DeviceSort;
    let h = start(b).await;
    let (tenant, _) = seed_varied(&h).await;
    let web = AdminWeb::sign_in(&h).await;
    for sort in DeviceSort::ALL {
        for descending in [false, true] {
            let expected = in_order(&h, tenant, DeviceFilter { sort, descending, ..DeviceFilter::default() }).await;
            let ids: Vec<String> = expected.iter().map(|d| d.id.to_string()).collect();
            let dir = if descending { "desc" } else { "asc" };
            let pages = walk(&web, &format!("/admin/devices?sort={}&dir={dir}", sort.as_str())).await;
            assert!(pages.len() >= 4, "{sort:?}: several pages");
            assert_eq!(pages.concat(), ids, "{sort:?} {dir}: every device once, in order");
            // The reference order is the one a person expects (checked where text collation
            // cannot differ between backends).
            let keys: Vec<_> = match sort {
                DeviceSort::OsVersion => expected
                    .iter()
                    .map(|d| (0, d.os_version.to_string().split('.').map(|p| p.parse::<u64>().unwrap()).collect::<Vec<_>>()))
                    .collect(),
                DeviceSort::LastCheckIn => expected.iter().map(|d| (d.last_check_in.map_or(0, |t| t.timestamp_millis()), vec![])).collect(),
                _ => continue,
            };
            let mut sorted = keys.clone();
            sorted.sort();
            if descending {
                sorted.reverse();
            }
            assert_eq!(keys, sorted, "{sort:?} {dir} is in order");
        }
    }
    // Clicking a header sorts by it; clicking it again turns the order round.
    let first = web.get("/admin/devices".into()).await;
    let header = |html: &str, sort: &str| {
        html.split(&format!("data-sort=\"{sort}\"")).nth(1).unwrap().split("href=\"").nth(1).unwrap().split('"').next().unwrap().to_string()
    };
    assert!(first.contains("aria-sort=\"ascending\" data-sort=\"name\""), "sorted by name at first");
    let by_check_in = web.get(header(&first, "last_check_in")).await;
    assert!(by_check_in.contains("aria-sort=\"descending\" data-sort=\"last_check_in\""), "the most recent check-in first");
    let reversed = web.get(header(&by_check_in, "last_check_in")).await;
    assert!(reversed.contains("aria-sort=\"ascending\" data-sort=\"last_check_in\""));
    // A position taken in one order is refused in another, with a clear error.
    let next = link(&by_check_in, "next").unwrap();
    let (status, page) = web.status_and_page(&next.replace("sort=last_check_in", "sort=owner")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{page}");
}

/// The owner order follows a renamed owner at once (the store keeps its devices' sort key in
/// step), and the ownership and owner filters narrow the list and its count.
pub async fn device_list_filters_and_follows_a_renamed_owner(b: Backend) {
    use pinreset_core::Ownership;
    use pinreset_store::DeviceSort;
    let h = start(b).await;
    let (tenant, users) = seed_varied(&h).await;
    let web = AdminWeb::sign_in(&h).await;
    let renamed = &users[1];
    let (s, body) = h
        .http
        .patch(h.url(&format!("/users/{}", renamed.id)))
        .bearer_auth(&h.creds.admin_token)
        .json(&serde_json::json!({"display_name": "Zzz Renamed"}))
        .send()
        .await
        .map(|r| (r.status(), ()))
        .unwrap();
    assert_eq!(s, StatusCode::OK, "{body:?}");
    let expected = in_order(&h, tenant, DeviceFilter { sort: DeviceSort::Owner, descending: true, ..DeviceFilter::default() }).await;
    assert_eq!(expected[0].primary_user_id, Some(renamed.id), "the renamed owner now sorts last (first, descending)");
    let pages = walk(&web, "/admin/devices?sort=owner&dir=desc").await;
    assert_eq!(pages.concat(), expected.iter().map(|d| d.id.to_string()).collect::<Vec<_>>());
    let first = web.get("/admin/devices?sort=owner&dir=desc".into()).await;
    assert!(
        first.split("id=\"devices\"").nth(1).unwrap().split("</tr>").nth(1).unwrap().contains("Zzz Renamed"),
        "the first row is theirs"
    );

    // Ownership: only personal devices, counted as such, through every page.
    let personal = in_order(&h, tenant, DeviceFilter { ownership: Some(Ownership::Personal), ..DeviceFilter::default() }).await;
    assert!(personal.iter().all(|d| d.ownership == Ownership::Personal) && personal.len() >= 35);
    let pages = walk(&web, "/admin/devices?ownership=personal&sort=os_version").await;
    let mut seen = pages.concat();
    seen.sort();
    let mut want: Vec<String> = personal.iter().map(|d| d.id.to_string()).collect();
    want.sort();
    assert_eq!(seen, want, "every personal device, no other");
    let page = web.get("/admin/devices?ownership=personal".into()).await;
    assert!(page.contains(&format!("of {} devices", personal.len())), "the count is the filtered list's");

    // Owner: a row's owner link shows only that owner's devices, and the chip drops the filter.
    let owner_link =
        page.split("class=\"owner-link\"").next().unwrap().rsplit("href=\"").next().unwrap().split('"').next().unwrap().to_string();
    let owner_id: pinreset_core::UserId = owner_link.split("owner=").nth(1).unwrap().split('&').next().unwrap().parse().unwrap();
    let theirs =
        in_order(&h, tenant, DeviceFilter { owner: Some(owner_id), ownership: Some(Ownership::Personal), ..DeviceFilter::default() }).await;
    let only = web.get(owner_link).await;
    assert_eq!(listed(&only).len(), theirs.len());
    assert!(only.contains("id=\"owner-filter\""), "the filter is shown");
    let (status, _) = web.status_and_page("/admin/devices?owner=not-a-user").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a malformed owner is bad input");
}

/// The REST API sorts like the admin center: every `sort`, both `dir`s, `next` → `after` visits
/// every device once in the store's order (the owner order's positions carry the owner's
/// name); a position taken in another order, an unknown sort or direction are bad input.
pub async fn api_device_list_sorts_by_every_column(b: Backend) {
    use pinreset_store::DeviceSort;
    let h = start(b).await;
    let (tenant, _) = seed_varied(&h).await;
    for sort in DeviceSort::ALL {
        for dir in ["asc", "desc"] {
            let filter = DeviceFilter { sort, descending: dir == "desc", ..DeviceFilter::default() };
            let expected: Vec<String> = in_order(&h, tenant, filter).await.iter().map(|d| d.id.to_string()).collect();
            let first = format!("/devices?limit=9&sort={}&dir={dir}", sort.as_str());
            let (mut seen, mut url, mut pages) = (vec![], first.clone(), 0);
            loop {
                let (s, page) = h.get(&url).await;
                assert_eq!(s, StatusCode::OK, "{url}: {page}");
                assert_eq!(page["total"].as_u64(), Some(expected.len() as u64));
                seen.extend(page["items"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap().to_string()));
                pages += 1;
                assert!(pages < 20, "paging ends");
                match page["next"].as_str() {
                    Some(next) => url = format!("{first}&after={next}"),
                    None => break,
                }
            }
            assert_eq!(seen, expected, "{sort:?} {dir}: every device once, in order");
        }
    }
    // The default is by name, A to Z, as before.
    let (_, default) = h.get("/devices?limit=500").await;
    let (_, by_name) = h.get("/devices?limit=500&sort=name&dir=asc").await;
    assert_eq!(default["items"], by_name["items"]);
    // A position names its order: refused in another.
    let (_, page) = h.get("/devices?limit=5&sort=last_check_in&dir=desc").await;
    let next = page["next"].as_str().unwrap().to_string();
    for other in ["sort=last_check_in", "sort=owner&dir=desc", ""] {
        let (s, p) = h.get(&format!("/devices?limit=5&{other}&after={next}")).await;
        assert_eq!((s, p["detail_code"].as_str()), (StatusCode::BAD_REQUEST, Some("page_cursor_invalid")), "{other}");
    }
    for (bad, field) in [("sort=colour", "sort"), ("sort=name&dir=down", "dir")] {
        let (s, p) = h.get(&format!("/devices?{bad}")).await;
        assert_eq!((s, p["detail_code"].as_str()), (StatusCode::BAD_REQUEST, Some("field_unknown_value")), "{bad}: {p}");
        assert_eq!(p["detail_args"]["field"].as_str(), Some(field), "{p}");
    }
    // The OpenAPI document describes both.
    let (_, spec) = h.get("/openapi.json").await;
    let params = spec["paths"]["/api/v1/devices"]["get"]["parameters"].as_array().unwrap();
    for name in ["sort", "dir"] {
        assert!(params.iter().any(|p| p["name"] == name), "{name} is documented");
    }
}
