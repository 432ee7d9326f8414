//! Issue 14, item 4: several instances on one database. A load balancer without stickiness may
//! send each message of an OMA-DM session to another instance: the session's state is in the
//! store, so the Status a device sends to one instance finds the command another sent.

use crate::*;
use pinreset_server::clock::Clock;

/// A second instance on the harness's database, with its master key and TLS files (so the
/// device trusts it and it opens the same sealed secrets).
async fn second_instance(h: &Harness) -> (Running, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(h.dir.path().join("master.key"), dir.path().join("master.key")).unwrap();
    std::fs::create_dir_all(dir.path().join("tls")).unwrap();
    for f in std::fs::read_dir(h.dir.path().join("tls")).unwrap() {
        let f = f.unwrap();
        // The first instance replaces its device-CA file through a temporary one, which may be
        // gone by the time it is copied.
        match std::fs::copy(f.path(), dir.path().join("tls").join(f.file_name())) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            other => {
                other.unwrap();
            }
        }
    }
    let mut opts = ServeOptions::new("127.0.0.1:0".parse().unwrap(), dir.path().to_path_buf());
    opts.database_url = Some(h.db_url.clone());
    (pinreset_server::start(opts, h.clock.clone()).await.expect("the second instance starts"), dir)
}

pub(crate) async fn a_windows_session_alternating_between_instances_delivers_once(b: Backend) {
    use pinreset_sim::windows::{WindowsDevice, WindowsProfile};
    let h = start(b).await;
    crate::support::windows_device::contoso_user(h.state().store.as_ref()).await;
    let ca = std::fs::read_to_string(h.server.ca_pem.as_ref().unwrap()).unwrap();
    let mut phone =
        WindowsDevice::enroll(&h.server.base_url(), &ca, "user@contoso.com", "mypassword", WindowsProfile::Windows10Mobile15063)
            .await
            .expect("enrolls");
    phone.set_pin(Some("2580"));
    // Started after the enrollment, so it trusts the tenant's device CA from the start.
    let (other, _dir) = second_instance(&h).await;
    phone.run_session().await.expect("an idle session");
    let device = first_device(&h, &phone.device_id).await;
    let (s, lock) = h.post(&format!("/devices/{}/actions/remote-lock", device["id"].as_str().unwrap())).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{lock}");

    // Message 1 to this instance (it sends the lock), message 2 (the lock's Status) to the other.
    let path = "/ManagementServer/MDM.svc";
    phone.message_urls = vec![format!("{}{path}", h.server.base_url()), format!("{}{path}", other.base_url())];
    let log = phone.run_session().await.expect("the session with the lock");
    assert!(log.sent.len() >= 2, "the session took more than one message: {:?}", log.sent.len());
    let locks = log.executed.iter().filter(|e| e.target.as_deref().is_some_and(|t| t.ends_with("RemoteLock/Lock"))).count();
    assert_eq!(locks, 1, "the lock arrived once: {:?}", log.executed);
    let (_, a) = h.get(&format!("/actions/{}", lock["id"].as_str().unwrap())).await;
    assert_eq!(a["state"], "succeeded", "the other instance applied the Status to the command this one sent: {a}");
    let device_id: pinreset_core::DeviceId = device["id"].as_str().unwrap().parse().unwrap();
    assert!(h.state().store.dm_session(device_id, &log.session_id, h.clock.now()).await.unwrap().is_none(), "the ended session is gone");

    // And nothing is sent again, whichever instance the next session reaches first.
    phone.message_urls.reverse();
    let again = phone.run_session().await.expect("an idle session");
    assert!(again.executed.is_empty(), "{:?}", again.executed);
    other.shutdown().await;
}
