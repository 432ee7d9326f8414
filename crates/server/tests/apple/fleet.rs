//! Issue 14, item 1: many actions at once. The dispatcher claims them in batches, sends a
//! tenant's pushes concurrently over one APNs connection and settles each batch in one write;
//! the devices' command history goes through the audit group commit. None of that may push a
//! device twice, lose an outcome or an audit row.

use crate::apple::sim::{apple_park, enrolled};
use crate::*;
use pinreset_sim::apple::{AppleKind, Transport};
use std::time::Duration;

/// A small fleet locked all at once: each device is pushed exactly once (over one connection),
/// answers, and every action is Succeeded with its whole trail in the audit.
pub(crate) async fn concurrent_locks_push_each_device_once_and_all_succeed(b: Backend) {
    let park = apple_park(b).await;
    let mut fleet = Vec::new();
    for _ in 0..12 {
        fleet.push(enrolled(&park, "alice", AppleKind::Iphone17, Transport::TlsClientCert).await);
    }
    let mut ids = Vec::new();
    for device in &fleet {
        ids.push(first_device(&park.h, &device.udid).await["id"].as_str().unwrap().to_string());
    }
    let requests = ids.iter().map(|id| {
        let (h, path) = (&park.h, format!("/devices/{id}/actions/remote-lock"));
        async move { h.post(&path).await }
    });
    let actions: Vec<Value> = futures_util::future::join_all(requests)
        .await
        .into_iter()
        .map(|(s, a)| {
            assert_eq!(s, StatusCode::ACCEPTED, "{a}");
            a
        })
        .collect();

    let answers = futures_util::future::join_all(fleet.iter_mut().map(|d| d.poll_on_push(&park.apns, Duration::from_secs(10)))).await;
    for answered in answers {
        let answered = answered.unwrap().expect("every device was pushed");
        let kinds: Vec<(&str, &str)> = answered.iter().map(|a| (a.request_type.as_str(), a.status)).collect();
        assert_eq!(kinds, [("DeviceLock", "Acknowledged")]);
    }
    assert!(fleet.iter().all(|d| d.locked()));
    for device in &fleet {
        assert_eq!(park.apns.count_for(&device.push_token_hex()), 1, "one push per queued action");
    }
    assert_eq!(park.apns.connections(), 1, "the batch's pushes share one connection");

    for a in &actions {
        let id = a["id"].as_str().unwrap();
        assert_eq!(park.h.get(&format!("/actions/{id}")).await.1["state"], "succeeded");
        // The push is recorded once its batch is settled, which may be after the device answered.
        let mut trail = Vec::new();
        for _ in 0..100 {
            let audit = park.h.get(&format!("/audit?action={id}")).await.1;
            trail = audit
                .as_array()
                .unwrap()
                .iter()
                .map(|e| format!("{}:{}", e["kind"].as_str().unwrap(), e["outcome"].as_str().unwrap()))
                .collect();
            if trail.iter().any(|t| t.starts_with("push_sent")) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        for step in [
            "action_requested:requested",
            "action_transition:queued",
            "push_sent:sent",
            "action_transition:delivered",
            "command_sent:DeviceLock",
            "command_result:DeviceLock: Acknowledged",
            "action_transition:succeeded",
        ] {
            assert_eq!(trail.iter().filter(|t| *t == step).count(), 1, "{step} once in {trail:?}");
        }
    }
}

/// The tenant's device CA is created once however many first enrollments race for it: 16
/// profiles asked for at once on a tenant with no CA yet all carry certificates of one CA, and
/// every device then authenticates (the defect: several CAs were made, and devices holding the
/// losers' certificates were refused as "not issued by this server").
pub(crate) async fn sixteen_concurrent_first_enrollments_share_one_device_ca(b: Backend) {
    use crate::apple::sim::{profile_for, wait_until_trusted};
    use pinreset_sim::apple::AppleDevice;
    let park = apple_park(b).await;
    let profiles = futures_util::future::join_all((0..16).map(|_| profile_for(&park.h, "alice"))).await;
    let mut fleet: Vec<AppleDevice> = profiles
        .iter()
        .map(|p| AppleDevice::install(p, &park.ca_pem, AppleKind::Iphone17, Transport::TlsClientCert).expect("installs"))
        .collect();
    for device in &fleet {
        wait_until_trusted(&park.h, &device.profile().cert_der).await;
    }
    let enrolled = futures_util::future::join_all(fleet.iter_mut().map(|d| d.enroll())).await;
    for (i, e) in enrolled.into_iter().enumerate() {
        assert!(e.is_ok(), "device {i} was refused: {e:?}");
    }
    // And each of them keeps talking to the server as itself.
    for device in &mut fleet {
        assert_eq!(device.poll().await.unwrap().len(), 1, "the inventory query, once");
    }
}
