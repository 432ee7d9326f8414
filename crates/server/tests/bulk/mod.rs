//! Bulk actions: one request over a device group, with each device's own outcome — queued,
//! refused with the capability matrix's reason, or deduplicated — progress read from the
//! actions, cancel, and the role rules applied to the whole job before anything is queued.

use crate::*;

async fn finished(h: &Harness, id: &str) -> Value {
    for _ in 0..200 {
        let (s, v) = h.get(&format!("/actions/bulk/{id}")).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        if !v["job"]["finished_at"].is_null() {
            return v;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the bulk job never finished")
}

async fn all_actions(h: &Harness) -> usize {
    let (_, page) = h.get("/devices?limit=100").await;
    let mut n = 0;
    for d in page["items"].as_array().unwrap() {
        n += h.get(&format!("/devices/{}/actions", d["id"].as_str().unwrap())).await.1.as_array().unwrap().len();
    }
    n
}

pub(crate) async fn bulk_reset_over_a_group_reports_every_device(b: Backend) {
    let h = start(b).await;
    let (_, groups) = h.get("/groups").await;
    let phones = groups["device_groups"].as_array().unwrap().iter().find(|g| g["name"] == "Phones and tablets").unwrap().clone();
    let gid = phones["id"].as_str().unwrap();

    // Refused up front, nothing queued: the help desk may not wipe; bad selections say why.
    let (s, p) = h.post_as(&h.creds.helpdesk_token, "/actions/bulk", Some(json!({"action": "reset-device", "group_id": gid}))).await;
    assert_eq!((s, p["code"].as_str()), (StatusCode::FORBIDDEN, Some("role_forbidden")));
    for (body, detail) in [
        (json!({"action": "remote-lock"}), "bulk_one_selection"),
        (json!({"action": "remote-lock", "group_id": gid, "device_ids": []}), "bulk_one_selection"),
        (json!({"action": "explode", "group_id": gid}), "field_unknown_value"),
        (json!({"action": "remote-lock", "device_ids": ["not-an-id"]}), "field_not_an_id"),
        (json!({"action": "remote-lock", "filter": {"platform": "amiga"}}), "field_unknown_value"),
    ] {
        let (s, p) = h.post_as(&h.creds.admin_token, "/actions/bulk", Some(body.clone())).await;
        assert_eq!((s, p["detail_code"].as_str()), (StatusCode::BAD_REQUEST, Some(detail)), "{body}: {p}");
    }
    let (s, _) = h
        .post_as(
            &h.creds.admin_token,
            "/actions/bulk",
            Some(json!({"action": "remote-lock", "group_id": pinreset_core::DeviceGroupId::new().to_string()})),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "an unknown group");
    assert_eq!(all_actions(&h).await, 0, "nothing was queued by a refused job");

    // Reset every phone's and tablet's passcode: each device answers for itself.
    let (s, started) = h.post_as(&h.creds.admin_token, "/actions/bulk", Some(json!({"action": "reset-passcode", "group_id": gid}))).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{started}");
    let id = started["job"]["id"].as_str().unwrap().to_string();
    let job = finished(&h, &id).await;
    let items = job["job"]["items"].as_array().unwrap();
    let total = job["job"]["total"].as_u64().unwrap() as usize;
    assert!(total >= 8 && items.len() == total, "every device of the group handled: {job}");
    let (mut queued, mut refused) = (0, 0);
    for item in items {
        let device = item["device_id"].as_str().unwrap();
        let (_, detail) = h.get(&format!("/devices/{device}")).await;
        let cap = &detail["capabilities"]["reset_passcode"];
        match item["outcome"].as_str().unwrap() {
            "queued" => {
                queued += 1;
                let (_, a) = h.get(&format!("/actions/{}", item["action_id"].as_str().unwrap())).await;
                assert_eq!((a["kind"].as_str(), a["device_id"].as_str()), (Some("reset_passcode"), Some(device)));
            }
            "refused" => {
                refused += 1;
                assert_eq!(item["refusal"], cap["code"], "the matrix's own reason: {item} vs {cap}");
            }
            other => panic!("unexpected outcome {other}: {item}"),
        }
    }
    assert!(queued > 0 && refused > 0, "some phones can be reset, some cannot (queued {queued}, refused {refused})");
    assert_eq!(job["progress"]["pending"].as_u64(), Some(queued as u64), "{job}");
    let (_, audit) = h.get("/audit?limit=500").await;
    let requested = audit.as_array().unwrap().iter().filter(|e| e["kind"] == "action_requested" && e["outcome"] == "requested").count();
    assert_eq!(requested, queued, "audited once per device");

    // The same job again follows the pending resets instead of sending them twice.
    let (_, again) = h.post_as(&h.creds.admin_token, "/actions/bulk", Some(json!({"action": "reset-passcode", "group_id": gid}))).await;
    let again = finished(&h, again["job"]["id"].as_str().unwrap()).await;
    assert_eq!(again["progress"]["deduplicated"].as_u64(), Some(queued as u64), "{again}");
    assert_eq!(again["progress"]["queued"].as_u64(), Some(0));

    // Cancel: what no device has received yet is cancelled; the job is done.
    let (s, cancelled) = h.post_as(&h.creds.admin_token, &format!("/actions/bulk/{id}/cancel"), None).await;
    assert_eq!(s, StatusCode::OK, "{cancelled}");
    assert!(!cancelled["job"]["cancelled_at"].is_null());
    assert_eq!(cancelled["progress"]["cancelled"].as_u64(), Some(queued as u64), "{cancelled}");
    assert_eq!(cancelled["progress"]["done"], true);
}
