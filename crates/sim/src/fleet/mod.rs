//! A fleet of simulated devices for load and scale tests: N Apple, Windows and Android devices
//! enrolled over the real protocols with bounded concurrency, then kept checking in — at an
//! interval, and Apple ones also when the stand-in APNs delivers a push for them — answering
//! every command as the single-device simulators do. The fleet counts the commands each device
//! received (so a command delivered twice is reported, not hidden) and, with an admin token,
//! reads the time from request to verified success of the actions it completed.
//!
//! A library first: `pinreset sim fleet`, the scale tests and the benchmarks drive the same code.

mod member;
mod tally;
mod verified;

pub use member::Member;
pub use tally::{Duplicate, Tally, TallySummary};
pub use verified::{percentile, time_to_verified, Verified};

use crate::apple::StandInApns;
use crate::error::SimError;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Who the fleet's devices belong to and how they get in.
#[derive(Clone, Debug)]
pub struct FleetSpec {
    /// The server as devices reach it (`https://host:port`): Windows discovery and the admin
    /// API are asked there; Apple devices use the URLs in their profiles, Android the URL here.
    pub server: String,
    /// The CA the server's (or the load balancer's) TLS certificate chains to.
    pub ca_pem: String,
    /// An admin API token: downloads the Apple profiles and Android enrollment tokens, and
    /// reads the actions for time-to-verified. Without it only Windows devices can enroll.
    pub token: Option<String>,
    pub apple: usize,
    pub windows: usize,
    pub android: usize,
    /// The user Apple and Android devices are enrolled for (a login).
    pub login: String,
    /// The work e-mail and password Windows devices enroll with.
    pub windows_email: String,
    pub windows_password: String,
    /// Enrollments (and, later, check-ins) in flight at once.
    pub concurrency: usize,
    /// Each device checks in this often (spread over the interval so they do not poll in step).
    pub interval: Duration,
}

/// The enrolled fleet.
pub struct Fleet {
    pub spec: FleetSpec,
    pub members: Vec<Member>,
    pub tally: Arc<Tally>,
    admin: reqwest::Client,
}

/// What a run ends with.
pub struct FleetReport {
    pub tally: TallySummary,
    pub elapsed: Duration,
}

pub(crate) fn admin_client(ca_pem: &str) -> Result<reqwest::Client, SimError> {
    let ca = reqwest::Certificate::from_pem(ca_pem.as_bytes()).map_err(|e| SimError::Key(format!("CA PEM: {e}")))?;
    Ok(reqwest::Client::builder().use_rustls_tls().add_root_certificate(ca).timeout(Duration::from_secs(60)).build()?)
}

impl Fleet {
    /// Enroll every device of `spec`, `spec.concurrency` at a time; `progress` is called after
    /// each enrollment with how many are done. Fails on the first device that cannot enroll.
    pub async fn enroll(spec: FleetSpec, progress: impl Fn(usize) + Send + Sync + 'static) -> Result<Fleet, SimError> {
        use futures_util::StreamExt;
        let admin = admin_client(&spec.ca_pem)?;
        let kinds = member::Kind::mix(spec.apple, spec.windows, spec.android);
        let progress = Arc::new(progress);
        let done = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let enrollments = futures_util::stream::iter(kinds.into_iter().enumerate().map(|(n, kind)| {
            let (spec, admin, progress, done) = (spec.clone(), admin.clone(), progress.clone(), done.clone());
            async move {
                let member = Member::enroll(kind, n, &spec, &admin).await?;
                progress(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1);
                Ok::<_, SimError>(member)
            }
        }))
        .buffer_unordered(spec.concurrency.max(1));
        let members: Vec<Member> = enrollments.collect::<Vec<_>>().await.into_iter().collect::<Result<_, _>>()?;
        let tally = Arc::new(Tally::new(members.iter().map(|m| m.key().to_string())));
        Ok(Fleet { spec, members, tally, admin })
    }

    /// Keep every device checking in until `stop` turns true: at the interval (each device at
    /// its own offset in it), and an Apple device also whenever `apns` brings it a push. Every
    /// command received is counted in the tally. Returns when every device has stopped.
    pub async fn run(&mut self, apns: Option<Arc<StandInApns>>, stop: watch::Receiver<bool>) -> FleetReport {
        let started = std::time::Instant::now();
        let interval = self.spec.interval.max(Duration::from_millis(10));
        let n = self.members.len().max(1) as u32;
        // Check-ins in flight at once are bounded like enrollments: a fleet of thousands on a
        // small machine measures the server, not the simulator's scheduler.
        let gate = Arc::new(tokio::sync::Semaphore::new(self.spec.concurrency.max(1)));
        let mut tasks = Vec::with_capacity(self.members.len());
        for (i, mut member) in std::mem::take(&mut self.members).into_iter().enumerate() {
            let (tally, apns, gate, mut stop) = (self.tally.clone(), apns.clone(), gate.clone(), stop.clone());
            let offset = interval * (i as u32) / n;
            tasks.push(tokio::spawn(async move {
                let push = match (&apns, member.push_token()) {
                    (Some(apns), Some(token)) => Some(apns.signal(&token)),
                    _ => None,
                };
                let mut next = tokio::time::Instant::now() + offset;
                loop {
                    let pushed = async {
                        match &push {
                            Some(signal) => signal.notified().await,
                            None => std::future::pending().await,
                        }
                    };
                    tokio::select! {
                        _ = stop.wait_for(|s| *s) => break,
                        _ = tokio::time::sleep_until(next) => next += interval,
                        _ = pushed => {}
                    }
                    let _permit = gate.acquire().await;
                    match member.check_in().await {
                        Ok(commands) => tally.received(member.key(), &commands),
                        Err(e) => tally.failed(member.key(), &e),
                    }
                }
                member
            }));
        }
        for t in tasks {
            if let Ok(member) = t.await {
                self.members.push(member);
            }
        }
        FleetReport { tally: self.tally.summary(), elapsed: started.elapsed() }
    }

    /// Time from request to verified success of the actions the fleet's devices completed
    /// (read from the server with the admin token; empty without one).
    pub async fn time_to_verified(&self) -> Result<Verified, SimError> {
        time_to_verified(&self.admin, &self.spec, &self.members).await
    }
}
