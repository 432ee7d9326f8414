#![allow(dead_code)] // each benchmark includes this file and uses part of it
//! Simulated Android agents for the benchmarks: enrolled over the wire against a running demo
//! server, each with its one-time token from the API, its client certificate and its escrowed
//! reset token, the credential confirmed so the token is active.

use super::process::Demo;
use pinreset_sim::android::{AndroidDevice, AndroidProfile};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Enrollments in flight at once.
const ENROLLING: usize = 8;

/// `n` Android 14 fully managed agents of the demo user alice, through their first check-ins.
pub async fn enroll_android_fleet(demo: &Demo, n: usize) -> Vec<AndroidDevice> {
    let (api, base, token, ca) = (demo.api(), demo.base_url(), demo.token.clone(), demo.ca.clone());
    let gate = Arc::new(Semaphore::new(ENROLLING));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..n {
        let (gate, api, base, token, ca) = (gate.clone(), api.clone(), base.clone(), token.clone(), ca.clone());
        tasks.spawn(async move {
            let _permit = gate.acquire().await.unwrap();
            let issued: serde_json::Value = api
                .post(format!("{base}/api/v1/enrollment/android/tokens"))
                .bearer_auth(&token)
                .json(&serde_json::json!({ "login": "alice" }))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let mut agent = AndroidDevice::new(AndroidProfile::Android14FullyManaged, &base, &ca).unwrap();
            agent.enroll(issued["token"].as_str().expect("an enrollment token"), false).await.expect("enrolls");
            agent.check_in().await.expect("first check-in");
            agent.confirm_credential();
            agent.check_in().await.expect("token active");
            agent
        });
    }
    tasks.join_all().await
}
