//! The scale test's processes: `pinreset serve` instances (killed with SIGKILL and restarted
//! like a crashed service) and Debian's HAProxy with a configuration generated from the shipped
//! `deploy/haproxy.cfg`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A child process killed when dropped (also when the test panics).
pub struct Process(pub Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One `pinreset serve --listen-http` instance; its arguments are kept to start it again.
pub struct Instance {
    pub name: &'static str,
    pub https_port: u16,
    pub http_port: u16,
    pub data: PathBuf,
    args: Vec<OsString>,
    master_key: String,
    pub process: Option<Process>,
}

impl Instance {
    pub fn new(name: &'static str, data: &Path, database_url: &str, public_url: &str, master_key: &str, demo: bool) -> Self {
        let (https_port, http_port) = (free_port(), free_port());
        let mut args: Vec<OsString> =
            ["serve", "--no-living-demo", "--client-cert-header", "X-Client-Cert", "--maintenance-interval-secs", "2"]
                .into_iter()
                .map(OsString::from)
                .collect();
        if demo {
            args.push("--demo".into());
        }
        for (flag, value) in [
            ("--listen", format!("127.0.0.1:{https_port}")),
            ("--listen-http", format!("127.0.0.1:{http_port}")),
            ("--database-url", database_url.to_string()),
            ("--public-url", public_url.to_string()),
        ] {
            args.push(flag.into());
            args.push(value.into());
        }
        args.push("--data-dir".into());
        args.push(data.into());
        Instance { name, https_port, http_port, data: data.to_path_buf(), args, master_key: master_key.into(), process: None }
    }

    pub fn start(&mut self) {
        let log = std::fs::OpenOptions::new().create(true).append(true).open(self.data.join("serve.log")).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_pinreset"))
            .args(&self.args)
            .env("PINRESET_MASTER_KEY", &self.master_key)
            .env("RUST_LOG", "warn,pinreset_server::app::bulk=info")
            .env_remove("PINRESET_DATABASE_URL")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("pinreset serve starts");
        self.process = Some(Process(child));
        // Seeded once: a restart serves what is there.
        self.args.retain(|a| a != "--demo");
    }

    /// SIGKILL: no shutdown, no lease given back, connections cut.
    pub fn kill(&mut self) {
        let mut p = self.process.take().expect("running");
        p.0.kill().unwrap();
        let _ = p.0.wait();
    }

    pub async fn wait_healthy(&self) {
        let url = format!("http://127.0.0.1:{}/healthz", self.http_port);
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if reqwest::get(&url).await.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{} did not become healthy: {}",
                self.name,
                std::fs::read_to_string(self.data.join("serve.log")).unwrap_or_default()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

/// The shipped configuration with this test's addresses and files: every line the test changes
/// must be there, so the shipped file and the test cannot drift apart unnoticed.
pub fn haproxy_config(lb_port: u16, frontend_pem: &Path, device_cas: &Path, backends: [u16; 2]) -> String {
    let shipped = include_str!("../../../../deploy/haproxy.cfg");
    let mut cfg = shipped.to_string();
    for (from, to) in [
        // No syslog here, and this machine allows 20,000 open files (HAProxy needs two a connection).
        ("    log /dev/log local0\n".to_string(), String::new()),
        ("    log global\n".to_string(), String::new()),
        ("maxconn 20000".to_string(), "maxconn 9000".to_string()),
        ("bind :443 ".to_string(), format!("bind 127.0.0.1:{lb_port} ")),
        ("/etc/haproxy/pinreset.pem".to_string(), frontend_pem.display().to_string()),
        ("/etc/haproxy/pinreset-device-cas.pem".to_string(), device_cas.display().to_string()),
        ("server pinreset1 10.0.0.11:8080".to_string(), format!("server pinreset1 127.0.0.1:{}", backends[0])),
        ("server pinreset2 10.0.0.12:8080".to_string(), format!("server pinreset2 127.0.0.1:{}", backends[1])),
    ] {
        assert!(cfg.contains(&from), "deploy/haproxy.cfg no longer has {from:?}");
        cfg = cfg.replace(&from, &to);
    }
    cfg
}

/// Debian's HAProxy in the foreground on `config`, once it answers on `lb_port`.
pub async fn start_haproxy(dir: &Path, config: &str, lb_port: u16, ca_pem: &str) -> Process {
    let path = dir.join("haproxy.cfg");
    std::fs::write(&path, config).unwrap();
    let check = Command::new("/usr/sbin/haproxy")
        .args(["-c", "-q", "-f"])
        .arg(&path)
        .output()
        .expect("/usr/sbin/haproxy (apt-get install haproxy)");
    assert!(check.status.success(), "haproxy -c: {}", String::from_utf8_lossy(&check.stderr));
    let log = std::fs::File::create(dir.join("haproxy.log")).unwrap();
    let child = Command::new("/usr/sbin/haproxy").arg("-db").arg("-f").arg(&path).stdout(Stdio::null()).stderr(log).spawn().unwrap();
    let process = Process(child);
    let client =
        reqwest::Client::builder().add_root_certificate(reqwest::Certificate::from_pem(ca_pem.as_bytes()).unwrap()).build().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if client.get(format!("https://127.0.0.1:{lb_port}/healthz")).send().await.is_ok_and(|r| r.status().is_success()) {
            return process;
        }
        assert!(
            Instant::now() < deadline,
            "HAProxy did not answer: {}",
            std::fs::read_to_string(dir.join("haproxy.log")).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
