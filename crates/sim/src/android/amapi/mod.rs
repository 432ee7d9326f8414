//! A stand-in for Google, for the Android Management API backend's tests: the OAuth token
//! endpoint, the AMAPI methods pinreset calls — each request checked against Google's discovery
//! document (`discovery.rs`), a violation answered 400 and recorded — long-running operations,
//! and a Pub/Sub pull subscription carrying `COMMAND` notifications. Behind it, simulated
//! devices (`devices.rs`) carry out commands as Android would, with the agent simulator's
//! profiles. Plain HTTP on loopback (pinreset allows `http://` only there).

pub mod account;
pub mod devices;
pub mod discovery;
mod server;

pub use devices::{Behaviour, SimAmapiDevice};

use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub const ENTERPRISE: &str = "enterprises/LC00pinreset";
pub const SUBSCRIPTION: &str = "projects/contoso-mdm/subscriptions/pinreset-amapi";

pub(crate) struct Inner {
    enterprise: String,
    subscription: String,
    token_uri: String,
    tokens: Vec<String>,
    token_requests: u32,
    devices: Vec<SimAmapiDevice>,
    operations: HashMap<String, Value>,
    next_operation: u64,
    /// Every command issued, by device name, as received (plus the operation's metadata).
    commands: Vec<(String, Value)>,
    violations: Vec<String>,
    /// Whether finished operations are published on the subscription.
    publish: bool,
    unacked: Vec<(String, Value)>,
    next_message: u64,
    acked: u32,
    page_size: usize,
    /// How long issueCommand's answer waits after the command was carried out and published.
    issue_answer_delay: Option<std::time::Duration>,
}

pub struct StandIn {
    base_url: String,
    inner: Arc<Mutex<Inner>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for StandIn {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl StandIn {
    pub async fn start() -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let inner = Arc::new(Mutex::new(Inner {
            enterprise: ENTERPRISE.into(),
            subscription: SUBSCRIPTION.into(),
            token_uri: format!("{base_url}/token"),
            tokens: Vec::new(),
            token_requests: 0,
            devices: Vec::new(),
            operations: HashMap::new(),
            next_operation: 0,
            commands: Vec::new(),
            violations: Vec::new(),
            publish: true,
            unacked: Vec::new(),
            next_message: 0,
            acked: 0,
            page_size: 2,
            issue_answer_delay: None,
        }));
        let app = Self::router(inner.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(StandIn { base_url, inner, task })
    }

    fn with<T>(&self, f: impl FnOnce(&mut Inner) -> T) -> T {
        f(&mut self.inner.lock().unwrap())
    }

    /// Where pinreset is told AMAPI and Pub/Sub are.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
    /// The service account's key file, its `token_uri` pointing here.
    pub fn key_file(&self) -> String {
        account::key_file(&format!("{}/token", self.base_url))
    }
    /// The key's private part, to look for in pinreset's database.
    pub fn private_key_pem(&self) -> &'static str {
        &account::key_pair().private_pem
    }
    /// Adds a device; its AMAPI name.
    pub fn add_device(&self, device: SimAmapiDevice) -> String {
        self.with(|i| {
            let name = format!("{}/devices/{}", i.enterprise, device.id);
            i.devices.push(device);
            name
        })
    }
    /// The device as it is now (passcodes, lock, wipe).
    pub fn device(&self, id: &str) -> SimAmapiDevice {
        self.with(|i| i.devices.iter().find(|d| d.id == id).cloned().expect("a stand-in device"))
    }
    /// Remove the device from the enterprise: Google lists it as DELETED from now on.
    pub fn delete_device(&self, id: &str) {
        self.with(|i| i.devices.iter_mut().filter(|d| d.id == id).for_each(|d| d.deleted = true))
    }
    /// Commands issued to the device (by its id), as received.
    pub fn commands_to(&self, id: &str) -> Vec<Value> {
        self.with(|i| {
            let name = format!("{}/devices/{id}", i.enterprise);
            i.commands.iter().filter(|(d, _)| *d == name).map(|(_, c)| c.clone()).collect()
        })
    }
    /// Requests that broke the discovery document (or Pub/Sub's shape), with the reason.
    pub fn violations(&self) -> Vec<String> {
        self.with(|i| i.violations.clone())
    }
    /// Access tokens handed out.
    pub fn token_requests(&self) -> u32 {
        self.with(|i| i.token_requests)
    }
    /// Messages acknowledged by pullers.
    pub fn acknowledged(&self) -> u32 {
        self.with(|i| i.acked)
    }
    /// Stop (or start again) publishing COMMAND notifications: outcomes are then found only by
    /// `operations.get`.
    pub fn set_publish(&self, publish: bool) {
        self.with(|i| i.publish = publish)
    }
    /// Answer issueCommand only `delay` after the device carried it out and its outcome was
    /// published, so a puller can see the outcome before the issuer sees the operation's name.
    pub fn delay_issue_answers(&self, delay: std::time::Duration) {
        self.with(|i| i.issue_answer_delay = Some(delay))
    }
}
