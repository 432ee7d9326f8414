//! The agent's credential moves on only by proof: a renewal presents the current certificate
//! and gets a new one (the old one stops working at once, the device keeps everything it had);
//! a new enrollment claiming an enrolled phone's serial number gets a device of its own and
//! takes nothing from the other.

use super::*;
use pinreset_sim::android::AndroidDevice;

pub(crate) async fn android_certificate_renewal_needs_the_current_certificate(b: Backend) {
    let h = start(b).await;
    let mut pixel = android_enrolled(&h, AndroidProfile::Android14FullyManaged, "alice", true).await;
    pixel.confirm_credential();
    pixel.check_in().await.unwrap();
    let before = pixel.save();

    // Bad renewals change nothing: no certificate, a request that is not a CSR.
    let (s, v) = raw_post(&h, "/android/v1/renew", "application/json", br#"{"csr":"MIIB"}"#.to_vec()).await;
    assert_eq!((s, v["error"].as_str()), (StatusCode::UNAUTHORIZED, Some("unknown_device")), "{v}");
    let (s, v) = pixel.send_raw(reqwest::Method::POST, "/android/v1/renew", Some(r#"{"csr":"bm90IGEgQ1NS"}"#)).await.unwrap();
    assert_eq!((s, v["error"].as_str()), (400, Some("invalid_request")), "{v}");
    assert!(v["message"].as_str().unwrap().contains("csr"), "{v}");
    pixel.check_in().await.expect("the certificate still works after refused renewals");

    let not_after = pixel.renew_certificate().await.expect("renewed");
    let expires: chrono::DateTime<chrono::Utc> = not_after.parse().unwrap();
    assert!(expires > chrono::Utc::now() + chrono::Duration::days(700), "{not_after}");
    pixel.check_in().await.expect("the new certificate works");
    // The old certificate (a copy of the device as it was) is refused from now on.
    let mut old = AndroidDevice::restore(before, &ca_pem(&h)).unwrap();
    match old.check_in().await {
        Err(pinreset_sim::error::SimError::HttpStatus { status: 401, body, .. }) => assert!(body.contains("unknown_device"), "{body}"),
        other => panic!("the old certificate still works: {other:?}"),
    }
    // Same device, same escrowed token: a reset completes with it.
    let d = view(&h, &pixel).await;
    assert_eq!((d["device"]["id"].as_str(), d["device"]["reset_token"].as_str()), (Some(id_of(&pixel).as_str()), Some("active")));
    let (s, reset) = request(&h, &pixel, "reset-passcode").await;
    assert_eq!(s, StatusCode::ACCEPTED, "{reset}");
    assert_eq!(pixel.poll(5).await.unwrap()[0].outcome, "success");
    let (_, history) = h.get(&format!("/devices/{}/commands", id_of(&pixel))).await;
    assert!(history.to_string().contains("certificate renewed"), "{history}");
}

pub(crate) async fn a_second_enrollment_claiming_a_serial_takes_nothing(b: Backend) {
    let h = start(b).await;
    let mut alices = android_enrolled(&h, AndroidProfile::Android14FullyManaged, "alice", true).await;
    alices.confirm_credential();
    alices.check_in().await.unwrap();
    let serial = view(&h, &alices).await["device"]["serial_number"].clone();
    assert_eq!(serial.as_str(), Some(alices.serial.as_str()), "a device owner reports its serial");
    let before = view(&h, &alices).await;

    // Bob enrolls a phone that reports the same model and (self-reported) serial number.
    let token = android_token(&h, "bob").await;
    let mut bobs = AndroidDevice::new(AndroidProfile::Android14FullyManaged, &h.base(), &ca_pem(&h)).unwrap();
    bobs.serial = alices.serial.clone();
    bobs.enroll(&token, true).await.unwrap();
    bobs.check_in().await.unwrap();
    assert_ne!(id_of(&bobs), id_of(&alices), "a device of its own");
    // Alice's device is untouched: owner, token, certificate; her commands stay hers.
    let after = view(&h, &alices).await;
    assert_eq!(after["device"], before["device"], "Alice's device changed");
    assert_eq!(after["device"]["serial_number"], serial);
    let (_, lock) = request(&h, &alices, "remote-lock").await;
    assert!(bobs.poll(0).await.unwrap().is_empty(), "Bob's phone got Alice's command");
    let answered = alices.poll(5).await.unwrap();
    assert_eq!((answered[0].id.as_str(), answered[0].outcome.as_str()), (lock["id"].as_str().unwrap(), "success"));
}
