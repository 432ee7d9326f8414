#![allow(dead_code)] // each benchmark includes this file and uses part of it
//! What every benchmark of this crate shares: its positional arguments, and `pinreset serve`
//! as a child process on a free port, killed when the benchmark ends (even by a panic).

use std::process::Child;

/// The `i`-th positional argument (flags such as cargo's `--bench` skipped), or `default`.
pub fn arg(i: usize, default: u64) -> u64 {
    std::env::args().filter(|a| !a.starts_with('-')).nth(i).and_then(|a| a.parse().ok()).unwrap_or(default)
}

/// The process's user + system CPU time, in seconds.
pub fn cpu_seconds(pid: u32) -> f64 {
    cpu_seconds_of(&format!("/proc/{pid}/stat"))
}

pub fn cpu_seconds_of(stat_path: &str) -> f64 {
    let stat = std::fs::read_to_string(stat_path).unwrap();
    // Fields after the command name (which may hold spaces) start at the state, field 3.
    let rest = stat.rsplit_once(") ").unwrap().1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap();
    // USER_HZ is 100 on every Linux this runs on.
    ticks / 100.0
}

pub struct Server(pub Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// `pinreset serve --demo --no-living-demo` in its own process on `data` (SQLite, or
/// PostgreSQL when PINRESET_BENCH_DATABASE_URL is set; PINRESET_BENCH_BIN runs another build),
/// with `extra` arguments, once it has written its demo credentials.
pub struct Demo {
    pub server: Server,
    pub port: u16,
    /// The demo tenant admin's API token.
    pub token: String,
    /// The server's CA (PEM), to trust.
    pub ca: String,
    pub database_url: Option<String>,
}

impl Demo {
    pub fn backend(&self) -> &'static str {
        if self.database_url.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    }
    pub fn base_url(&self) -> String {
        format!("https://127.0.0.1:{}", self.port)
    }
    pub fn api(&self) -> reqwest::Client {
        reqwest::Client::builder().add_root_certificate(reqwest::Certificate::from_pem(self.ca.as_bytes()).unwrap()).build().unwrap()
    }
}

/// `PINRESET_BENCH_SERVER_CPUS=1` (a `taskset` CPU list): the server runs on those CPUs alone
/// and this process (the load generator) on the others, so that what the server does with its
/// own cores is measured apart from the devices it is driven by. `taskset` execs the server,
/// which keeps the child's pid (its CPU time is read from `/proc`).
fn pin_apart(server_cpus: &str, bin: &str) -> std::process::Command {
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let server = parse_cpu_list(server_cpus);
    let rest: Vec<String> = (0..cpus).filter(|c| !server.contains(c)).map(|c| c.to_string()).collect();
    assert!(!server.is_empty() && !rest.is_empty(), "PINRESET_BENCH_SERVER_CPUS must leave the load generator a CPU of {cpus}");
    // Every thread of this process, the runtime's workers included.
    let own = std::process::Command::new("taskset")
        .args(["-a", "-cp", &rest.join(","), &std::process::id().to_string()])
        .stdout(std::process::Stdio::null())
        .status()
        .expect("taskset (util-linux) runs");
    assert!(own.success(), "taskset could not pin the load generator");
    eprintln!("server on CPUs {server_cpus}, load generator on CPUs {}", rest.join(","));
    let mut cmd = std::process::Command::new("taskset");
    cmd.args(["-c", server_cpus, bin]);
    cmd
}

/// `1,3-5` → [1, 3, 4, 5].
fn parse_cpu_list(list: &str) -> Vec<usize> {
    list.split(',')
        .flat_map(|part| {
            let (from, to) = part.split_once('-').unwrap_or((part, part));
            let n = |s: &str| s.trim().parse::<usize>().expect("a CPU list such as 1 or 0,2-3");
            n(from)..=n(to)
        })
        .collect()
}

pub async fn serve_demo(data: &std::path::Path, extra: &[&std::ffi::OsStr]) -> Demo {
    use std::time::{Duration, Instant};
    let port = free_port();
    let database_url = std::env::var("PINRESET_BENCH_DATABASE_URL").ok();
    let bin = std::env::var("PINRESET_BENCH_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_pinreset").to_string());
    let mut cmd = match std::env::var("PINRESET_BENCH_SERVER_CPUS") {
        Ok(cpus) => pin_apart(&cpus, &bin),
        Err(_) => std::process::Command::new(bin),
    };
    cmd.args(["serve", "--demo", "--no-living-demo", "--listen", &format!("127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(data)
        .args(extra)
        // `PINRESET_BENCH_RUST_LOG=warn,sqlx::query=debug` shows what each round asks the database.
        .env("RUST_LOG", std::env::var("PINRESET_BENCH_RUST_LOG").unwrap_or_else(|_| "warn".into()))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit());
    if let Some(url) = &database_url {
        cmd.args(["--database-url", url]);
    }
    let server = Server(cmd.spawn().expect("pinreset serve starts"));
    let credentials = data.join("demo-credentials.json");
    let started = Instant::now();
    while !credentials.exists() {
        assert!(started.elapsed() < Duration::from_secs(120), "the server did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let creds: serde_json::Value = serde_json::from_slice(&std::fs::read(&credentials).unwrap()).unwrap();
    let token = creds["admin_token"].as_str().unwrap().to_string();
    let ca = std::fs::read_to_string(data.join("tls/ca.pem")).unwrap();
    Demo { server, port, token, ca, database_url }
}
