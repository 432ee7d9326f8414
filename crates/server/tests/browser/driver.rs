//! A headless Chromium for one test: its own chromedriver on a free port (killed when the test
//! ends), WebDriver over plain HTTP on loopback, and screenshots under target/screenshots/.

use fantoccini::{Client, ClientBuilder, Locator};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const DESKTOP: (u32, u32) = (1366, 900);
pub const PHONE: (u32, u32) = (390, 844);

pub struct Browser {
    pub client: Client,
    /// The server under test, e.g. `https://127.0.0.1:40123`.
    pub base: String,
    driver: Child,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Browser {
    pub async fn start(base: &str) -> Browser {
        let port = free_port();
        let driver = Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (Debian package chromium-driver; .ci/run installs it)");
        let deadline = Instant::now() + Duration::from_secs(15);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start listening");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": "/usr/bin/chromium",
                "args": ["--headless=new", "--ignore-certificate-errors", "--no-sandbox", "--disable-dev-shm-usage",
                         "--disable-gpu", "--hide-scrollbars", "--lang=en-US",
                         format!("--window-size={},{}", DESKTOP.0, DESKTOP.1)],
            }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session with headless Chromium");
        Browser { client, base: base.to_string(), driver }
    }

    pub async fn open(&self, path: &str) {
        self.client.goto(&format!("{}{path}", self.base)).await.unwrap();
    }

    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        }
    }

    /// The text of an element, waiting a little for it to appear.
    pub async fn text(&self, css: &str) -> String {
        let wait = self.client.wait().at_most(Duration::from_secs(10));
        wait.for_element(Locator::Css(css)).await.unwrap_or_else(|e| panic!("no {css}: {e}")).text().await.unwrap()
    }

    pub async fn exists(&self, css: &str) -> bool {
        !self.client.find_all(Locator::Css(css)).await.unwrap().is_empty()
    }

    /// Click something that loads a new page (a link, a form's button), and wait until the
    /// old page is gone, so what is read next is the new page.
    pub async fn click(&self, css: &str) {
        let old = self.client.find(Locator::Css("html")).await.unwrap();
        self.client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("no {css}: {e}")).click().await.unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while old.tag_name().await.is_ok() {
            assert!(Instant::now() < deadline, "clicking {css} did not load a page");
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        // The new document may still be loading: wait for its end.
        self.client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("main")).await.unwrap();
    }

    pub async fn fill(&self, css: &str, value: &str) {
        let field = self.client.find(Locator::Css(css)).await.unwrap();
        field.clear().await.unwrap();
        field.send_keys(value).await.unwrap();
    }

    /// Sign in through the form, from wherever the browser was sent to sign in.
    pub async fn sign_in(&self, email: &str, password: &str) {
        self.open("/admin/devices").await;
        assert!(self.path().await.starts_with("/admin/sign-in"), "an anonymous visitor is sent to sign in");
        self.fill("#email", email).await;
        self.fill("#password", password).await;
        self.click("#sign-in-submit").await;
    }

    /// The value of a cookie the browser holds (HttpOnly ones too: WebDriver sees them all).
    pub async fn cookie(&self, name: &str) -> String {
        self.client.get_named_cookie(name).await.unwrap_or_else(|e| panic!("no cookie {name}: {e}")).value().to_string()
    }

    /// Save the page at this window size as target/screenshots/<name>.png.
    pub async fn screenshot(&self, name: &str, (width, height): (u32, u32)) {
        self.client.set_window_size(width, height).await.unwrap();
        let png = self.client.screenshot().await.unwrap();
        let dir = std::env::var_os("CARGO_TARGET_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"))
            .join("screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
        self.client.set_window_size(DESKTOP.0, DESKTOP.1).await.unwrap();
    }

    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}
