//! Issue 10: a device's last-seen time follows its polls, coalesced to `CHECK_IN_RESOLUTION`
//! (5 minutes) so an idle device costs no write per poll (item 7); `POST /devices/{id}/sync`
//! asks a device to check in now (item 5).

use crate::apple::sim::{apple_park, enrolled};
use crate::*;
use pinreset_sim::apple::{AppleKind, Transport};

async fn last_check_in(h: &Harness, udid: &str) -> chrono::DateTime<chrono::Utc> {
    let d = first_device(h, udid).await;
    let (_, detail) = h.get(&format!("/devices/{}", d["id"].as_str().unwrap())).await;
    serde_json::from_value(detail["device"]["last_check_in"].clone()).expect("a last check-in time")
}

fn now(h: &Harness) -> chrono::DateTime<chrono::Utc> {
    pinreset_server::clock::Clock::now(h.clock.as_ref())
}

/// Equal up to the store's precision.
fn about(a: chrono::DateTime<chrono::Utc>, b: chrono::DateTime<chrono::Utc>) -> bool {
    (a - b).num_milliseconds().abs() < 1000
}

pub(crate) async fn apple_last_seen_follows_command_polls(b: Backend) {
    let park = apple_park(b).await;
    let mut iphone = enrolled(&park, "alice", AppleKind::Iphone17, Transport::TlsClientCert).await;
    let enrolled_at = last_check_in(&park.h, &iphone.udid).await;

    // Within the interval an idle poll writes nothing: the time stays.
    park.h.clock.advance(Duration::minutes(2));
    assert!(iphone.poll().await.unwrap().is_empty());
    assert_eq!(last_check_in(&park.h, &iphone.udid).await, enrolled_at);

    // Past it, the next poll moves it to the poll's time.
    park.h.clock.advance(Duration::minutes(4));
    assert!(iphone.poll().await.unwrap().is_empty());
    let seen = last_check_in(&park.h, &iphone.udid).await;
    assert!(about(seen, now(&park.h)), "last seen {seen} is the later poll (was {enrolled_at})");

    // And again after another interval, though the identity is cached between polls.
    park.h.clock.advance(Duration::minutes(1));
    assert!(iphone.poll().await.unwrap().is_empty());
    assert_eq!(last_check_in(&park.h, &iphone.udid).await, seen, "no write within the interval");
    park.h.clock.advance(Duration::minutes(5));
    assert!(iphone.poll().await.unwrap().is_empty());
    let again = last_check_in(&park.h, &iphone.udid).await;
    assert!(about(again, now(&park.h)) && again > seen, "last seen {again} moved on from {seen}");
}

pub(crate) async fn sync_wakes_a_pushable_device_and_explains_the_others(b: Backend) {
    let park = apple_park(b).await;
    let mut iphone = enrolled(&park, "alice", AppleKind::Iphone17, Transport::TlsClientCert).await;
    let d = first_device(&park.h, &iphone.udid).await;
    let (status, synced) = park.h.post(&format!("/devices/{}/sync", d["id"].as_str().unwrap())).await;
    assert_eq!(status, StatusCode::OK, "{synced}");
    assert_eq!(synced, json!({"reached_by": {"by": "push"}, "pushed": true}));
    // The push woke the device, which connected and found nothing to do.
    let answered = iphone.poll_on_push(&park.apns, std::time::Duration::from_secs(10)).await.unwrap().expect("a push woke the device");
    assert!(answered.is_empty());

    // A Windows device is not pushed: the answer says when it is reached.
    let lumia = park.h.device("Lumia 950").await;
    let (status, synced) = park.h.post(&format!("/devices/{}/sync", lumia["id"].as_str().unwrap())).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(synced["reached_by"]["by"], "next_check_in");
    assert_eq!(synced["pushed"], false);
}
