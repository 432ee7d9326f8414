//! The device list pages by keyset: through the API (`next` → `after`) and the admin center's
//! Next / Previous links, every device is listed once, in order, and going back returns the
//! same pages; a position the server never handed out is bad input.

use crate::*;

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
    let get = |path: String| {
        let client = client.clone();
        let base = h.base();
        async move {
            client
                .get(format!("{base}{}", path.replace("&#x2f;", "/").replace("&amp;", "&")))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
                .replace("&#x2f;", "/")
        }
    };
    let link = |html: &str, rel: &str| {
        html.split(&format!("rel=\"{rel}\""))
            .next()
            .filter(|_| html.contains(&format!("rel=\"{rel}\"")))
            .map(|before| before.rsplit("href=\"").next().unwrap().split('"').next().unwrap().to_string())
    };
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
