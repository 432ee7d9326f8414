#![allow(dead_code)] // each benchmark includes this file and uses part of it
//! The admin center as a benchmark sees it: the demo's admin signed in through the form, like a
//! browser, over HTTPS; each page fetched whole and timed.

use std::time::{Duration, Instant};

pub struct AdminWeb {
    client: reqwest::Client,
    base: String,
}

impl AdminWeb {
    /// Sign in as the demo's admin on the server of `data` (its `demo-credentials.json` and CA).
    pub async fn sign_in(data: &std::path::Path, port: u16) -> AdminWeb {
        let creds: serde_json::Value = serde_json::from_slice(&std::fs::read(data.join("demo-credentials.json")).unwrap()).unwrap();
        let admin = creds["users"].as_array().unwrap().iter().find(|u| u["login"] == "admin").unwrap();
        let ca = std::fs::read(data.join("tls/ca.pem")).unwrap();
        let client = reqwest::Client::builder()
            .add_root_certificate(reqwest::Certificate::from_pem(&ca).unwrap())
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let base = format!("https://127.0.0.1:{port}");
        let r = client
            .post(format!("{base}/admin/sign-in"))
            .form(&[("email", admin["email"].as_str().unwrap()), ("password", admin["password"].as_str().unwrap())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "signed in");
        AdminWeb { client, base }
    }

    /// GET `path` (must answer 200): how long the whole request took, and the page.
    pub async fn get(&self, path: &str) -> (Duration, String) {
        let t = Instant::now();
        let r = self.client.get(format!("{}{path}", self.base)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        let body = r.text().await.unwrap();
        (t.elapsed(), body)
    }
}
