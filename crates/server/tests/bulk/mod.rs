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

/// Issue 14: a bulk job outlives the instance running it. A runner ("ghost", an instance that
/// then dies) saves its progress over the first devices and queues actions for the next ones
/// without saving; once its lease lapses the maintenance worker takes the job over and finishes
/// it: every device handled once, the ghost's unsaved actions found by their derived ids (no
/// device asked twice), each device audited once, progress right, cancel still working, and
/// the ghost fenced out of any later save.
pub(crate) async fn a_bulk_job_whose_instance_died_is_resumed_once_per_device(b: Backend) {
    use pinreset_server::app::bulk;
    use pinreset_server::clock::Clock;
    use pinreset_store::BulkPlan;
    let h = start(b).await;
    let state = h.state();
    let (_, page) = h.get("/devices?limit=500").await;
    let devices: Vec<pinreset_core::DeviceId> =
        page["items"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap().parse().unwrap()).collect();
    assert!(devices.len() >= 10, "the demo has a device per capability row");
    let tenant: TenantId = page["items"][0]["tenant_id"].as_str().unwrap().parse().unwrap();
    let (admin, _) = state.store.user_by_login(tenant, "admin").await.unwrap().unwrap();
    let actor = pinreset_core::Actor {
        tenant_id: tenant,
        user_id: admin.id,
        role: admin.role,
        login: admin.login.clone(),
        authenticated_at: None,
        session_id: None,
        client: None,
    };
    let mut job = pinreset_core::BulkJob {
        id: uuid::Uuid::new_v4(),
        tenant_id: tenant,
        kind: pinreset_core::BulkKind::ResetPasscode,
        requested_by: "user:admin".into(),
        created_at: h.clock.now(),
        total: devices.len(),
        items: vec![],
        finished_at: None,
        cancelled_at: None,
    };
    let plan = BulkPlan { devices: devices.clone(), actor: actor.clone(), request_id: None };
    let lease_end = h.clock.now() + Duration::seconds(bulk::LEASE_SECS);
    state.store.create_bulk_job(&job, &plan, "ghost", lease_end).await.unwrap();
    // The ghost handles and saves four devices, then handles four more and dies unsaved.
    let mut deferred = vec![];
    for d in &devices[..4] {
        job.items.push(bulk::handle_device(state, &actor, &job, *d, None, &mut deferred).await.unwrap());
    }
    assert!(state.store.save_bulk_progress(&job, "ghost", lease_end, &deferred).await.unwrap());
    let mut unsaved = vec![];
    for d in &devices[4..8] {
        unsaved.push(bulk::handle_device(state, &actor, &job, *d, None, &mut vec![]).await.unwrap());
    }
    let ghost_queued: Vec<_> = unsaved.iter().filter(|i| i.outcome == pinreset_core::BulkOutcome::Queued).collect();
    assert!(!ghost_queued.is_empty(), "the ghost queued some actions it never saved: {unsaved:?}");

    // While the ghost's lease runs nobody takes the job; after it lapses the worker does.
    assert_eq!(maintenance::run_once(state).await.unwrap().bulk_jobs_resumed, 0);
    h.clock.advance(Duration::seconds(bulk::LEASE_SECS + 1));
    assert_eq!(maintenance::run_once(state).await.unwrap().bulk_jobs_resumed, 1);
    assert_eq!(maintenance::run_once(state).await.unwrap().bulk_jobs_resumed, 0, "taken over once");
    let done = finished(&h, &job.id.to_string()).await;
    let items = done["job"]["items"].as_array().unwrap();
    assert_eq!(items.len(), devices.len(), "every device handled: {done}");
    let handled: std::collections::HashSet<&str> = items.iter().map(|i| i["device_id"].as_str().unwrap()).collect();
    assert_eq!(handled.len(), devices.len(), "each device once");
    for i in &unsaved {
        let item = items.iter().find(|x| x["device_id"] == i.device_id.to_string()).unwrap();
        assert_eq!(item["outcome"], i.outcome.as_str(), "the resumed job records what the ghost did: {item}");
    }

    // One reset per device, its id derived from the job; audited once per device.
    let (_, audit) = h.get("/audit?limit=1000").await;
    let audit = audit.as_array().unwrap();
    let (mut queued, mut refused) = (0, 0);
    for item in items {
        let device = item["device_id"].as_str().unwrap();
        let (_, actions) = h.get(&format!("/devices/{device}/actions")).await;
        let resets: Vec<&Value> = actions.as_array().unwrap().iter().filter(|a| a["kind"] == "reset_passcode").collect();
        let events = |kind: &str| audit.iter().filter(|e| e["kind"] == kind && e["device_id"] == device).count();
        match item["outcome"].as_str().unwrap() {
            "queued" => {
                queued += 1;
                assert_eq!(resets.len(), 1, "asked once: {resets:?}");
                let expected = bulk::action_id_for(job.id, device.parse().unwrap());
                assert_eq!(item["action_id"], expected.0.to_string());
                assert_eq!(events("action_requested"), 1, "audited once");
            }
            "refused" => {
                refused += 1;
                assert!(resets.is_empty());
                assert_eq!(events("action_refused"), 1, "refusal audited once: {device}");
            }
            other => panic!("unexpected outcome {other}: {item}"),
        }
    }
    assert!(queued > 0 && refused > 0);
    assert_eq!(done["progress"]["queued"].as_u64(), Some(queued));
    assert_eq!(done["progress"]["pending"].as_u64(), Some(queued), "{done}");

    // The ghost, back from the dead, writes nothing.
    let mut stale = job.clone();
    stale.finished_at = Some(h.clock.now());
    assert!(!state.store.save_bulk_progress(&stale, "ghost", h.clock.now() + Duration::minutes(5), &[]).await.unwrap());

    // Cancel works on the resumed job.
    let (s, cancelled) = h.post_as(&h.creds.admin_token, &format!("/actions/bulk/{}/cancel", job.id), None).await;
    assert_eq!(s, StatusCode::OK, "{cancelled}");
    assert_eq!(cancelled["progress"]["cancelled"].as_u64(), Some(queued), "{cancelled}");
    assert_eq!(cancelled["progress"]["done"], true);
}
