//! The storage contract, run identically against SQLite and PostgreSQL.

use chrono::{Duration, TimeZone, Utc};
use pinreset_core::device::{JoinType, ManagementMode, OsVersion, Ownership, Platform};
use pinreset_core::*;
use pinreset_store::testing::{fresh_postgres, fresh_sqlite_url, TestDatabase};
use pinreset_store::*;
use std::sync::Arc;

struct Fixture {
    store: Arc<dyn Store>,
    url: String,
    tenant: Tenant,
    user: User,
    _dir: tempfile::TempDir,
    /// Dropped last: the test's PostgreSQL database goes when the test ends.
    _database: Option<TestDatabase>,
}

async fn fixture(postgres: bool) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let database = if postgres { Some(fresh_postgres().await) } else { None };
    let url = database.as_ref().map_or_else(|| fresh_sqlite_url(dir.path()), |d| d.url.clone());
    let store = connect(&url, MasterKey::generate()).await.unwrap();
    let tenant = Tenant {
        id: TenantId::new(),
        directory_id: uuid::Uuid::new_v4(),
        display_name: "T".into(),
        settings: TenantSettings::default(),
        sso: None,
        mail: None,
        android_enterprise: None,
    };
    store.create_tenant(&tenant).await.unwrap();
    let user = User {
        id: UserId::new(),
        tenant_id: tenant.id,
        login: "ann".into(),
        display_name: "Ann".into(),
        email: "ann@x".into(),
        role: Role::TenantAdmin,
    };
    store.create_user(&user, Some("$argon2id$hash")).await.unwrap();
    Fixture { store, url, tenant, user, _dir: dir, _database: database }
}

fn t0() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap()
}

fn device(f: &Fixture, name: &str, platform: Platform) -> Device {
    Device {
        id: DeviceId::new(),
        tenant_id: f.tenant.id,
        name: name.into(),
        platform,
        os_version: OsVersion::parse("6.0").unwrap(),
        os_build: None,
        model: Some("Model_X%".into()),
        serial_number: Some(format!("SN-{name}")),
        udid: None,
        imei: None,
        ownership: Ownership::Personal,
        management_mode: ManagementMode::DeviceAdmin,
        join_type: JoinType::NotJoined,
        primary_user_id: Some(f.user.id),
        unlock_token_escrowed: false,
        reset_token: pinreset_core::ResetTokenState::None,
        enrolled_at: t0(),
        last_check_in: None,
        retired_at: None,
        inventoried_at: None,
        amapi_name: None,
    }
}

fn queued_action(f: &Fixture, d: &Device, at: chrono::DateTime<Utc>) -> RemoteAction {
    let mut a = RemoteAction::request(
        ActionId::new(),
        f.tenant.id,
        d.id,
        ActionKind::ResetPasscode,
        Default::default(),
        Cause::User { user_id: f.user.id },
        at,
        Duration::days(7),
    );
    a.transition(ActionState::Queued, Cause::System { component: "t".into() }, at, None).unwrap();
    a
}

fn event(f: &Fixture, d: &Device, at: chrono::DateTime<Utc>, actor: &str, kind: AuditKind) -> NewAuditEvent {
    NewAuditEvent {
        at,
        tenant_id: f.tenant.id,
        actor: actor.into(),
        kind,
        device_id: Some(d.id),
        action_id: None,
        action: None,
        outcome: "ok".into(),
        request_id: None,
        // Kept and read back as written (the audit tests compare whole events).
        origin: Some("session=4a7e0c1e-0000-4000-8000-000000000001 client=192.0.2.7".into()),
    }
}

macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite { $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $name() { super::$name(false).await } )* }
        mod postgres { $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $name() { super::$name(true).await } )* }
    };
}

on_both_backends!(
    identity_bindings_never_move,
    enrollment_identities_and_nonces_are_spent_once,
    people_tokens_and_groups_round_trip,
    devices_filter_search_and_page,
    search_finds_a_middle_substring_after_insert_update_and_retire,
    twenty_concurrent_requests_make_one_action,
    one_batch_of_requests_writes_only_what_is_new,
    a_finished_transition_says_whether_its_device_has_more,
    one_batch_writing_an_action_twice_keeps_each_compare_and_set,
    one_commit_of_mixed_writes_decides_each_as_alone,
    one_commit_moves_many_actions_each_in_the_order_asked,
    transitions_are_compare_and_set,
    secrets_expire_and_purge_to_a_tombstone,
    audit_filters_by_device_actor_and_time,
    a_known_secret_is_never_stored_in_clear,
    success_passcode_lives_until_expiry,
    a_conflicting_transition_writes_nothing,
    flags_and_times_decode_through_any,
    profiles_assignments_and_results_round_trip,
    outbox_failures_back_off_and_only_due_entries_are_pending,
    audit_keeps_no_unbounded_device_text_nor_forged_request_ids,
    nul_in_text_is_invalid_input_not_a_backend_failure,
    concurrent_claims_take_each_outbox_entry_once,
    a_lease_has_one_holder_until_it_lapses,
    user_changes_keep_an_admin_and_deleting_moves_devices,
    single_sign_on_settings_and_one_use_sign_in_secrets,
    tenant_actions_list_failures_first_and_count_by_day,
    audit_filters_by_kind_action_and_sequence,
    recent_actions_are_bounded_by_time_device_and_tenant,
);

/// A person's recent actions (their reset allowance, their notifications): the asked devices'
/// actions requested from the bound on, newest first, nothing older, of another device or of
/// another tenant.
async fn recent_actions_are_bounded_by_time_device_and_tenant(pg: bool) {
    let f = fixture(pg).await;
    let (a, b, c) = (device(&f, "a", Platform::Android), device(&f, "b", Platform::Android), device(&f, "c", Platform::Android));
    for d in [&a, &b, &c] {
        f.store.upsert_device(d).await.unwrap();
    }
    let of_kind = |d: &Device, kind: ActionKind, minutes_ago: i64| {
        let mut action = queued_action(&f, d, t0() - Duration::minutes(minutes_ago));
        action.kind = kind;
        action
    };
    let old = of_kind(&a, ActionKind::ResetPasscode, 120);
    let (a_recent, b_recent) = (of_kind(&a, ActionKind::RemoteLock, 30), of_kind(&b, ActionKind::RemoteLock, 10));
    let elsewhere = of_kind(&c, ActionKind::RemoteLock, 5);
    for action in [&old, &a_recent, &b_recent, &elsewhere] {
        f.store.request_action(action, &[]).await.unwrap();
    }
    let since = t0() - Duration::hours(1);
    let found = f.store.recent_actions_of_devices(f.tenant.id, &[a.id, b.id], since).await.unwrap();
    assert_eq!(found.iter().map(|x| x.id).collect::<Vec<_>>(), vec![b_recent.id, a_recent.id], "newest first, from the bound on");
    let other_tenant = TenantId::new();
    assert!(f.store.recent_actions_of_devices(other_tenant, &[a.id, b.id], since).await.unwrap().is_empty());
    assert!(f.store.recent_actions_of_devices(f.tenant.id, &[], since).await.unwrap().is_empty());
}

async fn people_tokens_and_groups_round_trip(pg: bool) {
    let f = fixture(pg).await;
    assert_eq!(f.store.tenant(f.tenant.id).await.unwrap().unwrap(), f.tenant);
    let (u, hash) = f.store.user_by_login(f.tenant.id, "ann").await.unwrap().unwrap();
    assert_eq!((u, hash.as_deref()), (f.user.clone(), Some("$argon2id$hash")));
    assert!(f.store.user_by_login(f.tenant.id, "bob").await.unwrap().is_none());
    let by_mail = f.store.users_by_email(" Ann@X ").await.unwrap();
    assert_eq!(by_mail.iter().map(|(u, _)| u.id).collect::<Vec<_>>(), vec![f.user.id], "email lookup ignores case and spaces");
    assert!(f.store.users_by_email("nobody@x").await.unwrap().is_empty());
    // Enrollment grants: a certificate serial handed out for a user.
    f.store.create_enrollment_grant("1a2b", &f.user, t0()).await.unwrap();
    assert_eq!(f.store.enrollment_grant("1a2b").await.unwrap().map(|g| g.user.id), Some(f.user.id));
    assert!(f.store.enrollment_grant("ffff").await.unwrap().is_none());
    // One-time enrollment tokens: readable until used or expired, spendable once.
    f.store.create_enrollment_token("tok-sha", &f.user, t0() + Duration::minutes(10)).await.unwrap();
    assert_eq!(f.store.enrollment_token_user("tok-sha", t0(), false).await.unwrap().map(|u| u.id), Some(f.user.id));
    assert_eq!(f.store.enrollment_token_user("tok-sha", t0() + Duration::minutes(11), true).await.unwrap(), None, "expired");
    assert_eq!(f.store.enrollment_token_user("tok-sha", t0(), true).await.unwrap().map(|u| u.id), Some(f.user.id));
    assert_eq!(f.store.enrollment_token_user("tok-sha", t0(), true).await.unwrap(), None, "spent");
    assert_eq!(f.store.enrollment_token_user("tok-sha", t0(), false).await.unwrap(), None);
    // Logins are unique per tenant.
    let dup = User { id: UserId::new(), ..f.user.clone() };
    match f.store.create_user(&dup, None).await {
        // The error names the constraint, never the colliding value.
        Err(StoreError::Conflict(msg)) => assert!(!msg.contains("ann") && !msg.contains(&dup.id.to_string()), "{msg}"),
        other => panic!("{other:?}"),
    }
    f.store.create_api_token(f.user.id, "abc123", "ci", t0()).await.unwrap();
    assert_eq!(f.store.user_by_api_token("abc123").await.unwrap().unwrap().user.id, f.user.id);
    assert!(f.store.user_by_api_token("nope").await.unwrap().is_none());
    let g = UserGroup { id: UserGroupId::new(), tenant_id: f.tenant.id, name: "Sales".into(), members: vec![f.user.id] };
    f.store.create_user_group(&g).await.unwrap();
    let empty = UserGroup { id: UserGroupId::new(), tenant_id: f.tenant.id, name: "Empty".into(), members: vec![] };
    f.store.create_user_group(&empty).await.unwrap();
    assert_eq!(f.store.list_user_groups(f.tenant.id).await.unwrap(), vec![empty, g]);
    let mut settings = f.tenant.settings.clone();
    settings.pin_reset_consented = true;
    let d = device(&f, "x", Platform::Android);
    f.store.update_tenant_settings(f.tenant.id, &settings, &event(&f, &d, t0(), "user:ann", AuditKind::ConsentChanged)).await.unwrap();
    assert!(f.store.tenant(f.tenant.id).await.unwrap().unwrap().settings.pin_reset_consented);
}

async fn devices_filter_search_and_page(pg: bool) {
    let f = fixture(pg).await;
    let mut ids = Vec::new();
    for (i, p) in [Platform::Android, Platform::Ios, Platform::Android, Platform::Windows, Platform::Android].into_iter().enumerate() {
        let d = device(&f, &format!("dev{i}"), p);
        ids.push(d.id);
        f.store.upsert_device(&d).await.unwrap();
    }
    let group = DeviceGroup { id: DeviceGroupId::new(), tenant_id: f.tenant.id, name: "G".into(), members: vec![ids[1], ids[3]] };
    f.store.create_device_group(&group).await.unwrap();
    let list = |filter: DeviceFilter, page: Page| {
        let store = f.store.clone();
        let t = f.tenant.id;
        async move { store.list_devices(t, &filter, page).await.unwrap() }
    };
    let all = list(DeviceFilter::default(), Page::default()).await;
    assert_eq!(all.total, 5);
    assert_eq!(all.items.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(), ["dev0", "dev1", "dev2", "dev3", "dev4"]);
    assert_eq!(list(DeviceFilter { platform: Some(Platform::Android), ..Default::default() }, Page::default()).await.total, 3);
    let in_group = list(DeviceFilter { group: Some(group.id), ..Default::default() }, Page::default()).await;
    assert_eq!(in_group.items.iter().map(|d| d.id).collect::<Vec<_>>(), vec![ids[1], ids[3]]);
    // Case-insensitive, and % / _ in the text match literally.
    assert_eq!(list(DeviceFilter { search: Some("SN-DEV3".into()), ..Default::default() }, Page::default()).await.total, 1);
    assert_eq!(list(DeviceFilter { search: Some("x%".into()), ..Default::default() }, Page::default()).await.total, 5);
    assert_eq!(list(DeviceFilter { search: Some("dev_".into()), ..Default::default() }, Page::default()).await.total, 0);
    let page = list(DeviceFilter::default(), Page { offset: 3, limit: 10 }).await;
    assert_eq!((page.items.len(), page.total), (2, 5));
    // Keyset paging: after a device, before a device (still in list order), with the filter.
    let at = |i: usize| DeviceCursor::by_name(&format!("dev{i}"), ids[i]);
    let names = |p: &PageOf<Device>| p.items.iter().map(|d| d.name.clone()).collect::<Vec<_>>();
    let after = list(DeviceFilter { keyset: Some(Keyset::After(at(1))), ..Default::default() }, Page { offset: 0, limit: 2 }).await;
    assert_eq!((names(&after), after.total), (vec!["dev2".to_string(), "dev3".to_string()], 5), "the total is the whole list's");
    let before = list(DeviceFilter { keyset: Some(Keyset::Before(at(3))), ..Default::default() }, Page { offset: 9, limit: 2 }).await;
    assert_eq!(names(&before), ["dev1", "dev2"], "the offset is not used with a keyset");
    let android_after =
        list(DeviceFilter { platform: Some(Platform::Android), keyset: Some(Keyset::After(at(0))), ..Default::default() }, Page::default())
            .await;
    assert_eq!(names(&android_after), ["dev2", "dev4"]);
    // Retired devices are hidden unless asked for; an upsert replaces the record.
    let mut d = f.store.device(f.tenant.id, ids[0]).await.unwrap().unwrap();
    // With its tenant in one read (queuing an action); never across tenants.
    assert_eq!(f.store.device_with_tenant(f.tenant.id, d.id).await.unwrap(), Some((d.clone(), f.tenant.clone())));
    assert_eq!(f.store.device_with_tenant(TenantId::new(), d.id).await.unwrap(), None);
    d.retired_at = Some(t0());
    f.store.upsert_device(&d).await.unwrap();
    assert_eq!(list(DeviceFilter::default(), Page::default()).await.total, 4);
    assert_eq!(list(DeviceFilter { include_retired: true, ..Default::default() }, Page::default()).await.total, 5);
    // Channel identities find the device; binding never moves an identity another device holds.
    f.store.bind_identity(IdentityKind::WindowsDeviceId, "ABC", f.tenant.id, ids[1]).await.unwrap();
    assert_eq!(f.store.device_by_identity(IdentityKind::WindowsDeviceId, "ABC").await.unwrap().unwrap().id, ids[1]);
    assert!(matches!(f.store.bind_identity(IdentityKind::WindowsDeviceId, "ABC", f.tenant.id, ids[2]).await, Err(StoreError::Conflict(_))));
    assert_eq!(f.store.device_by_identity(IdentityKind::WindowsDeviceId, "ABC").await.unwrap().unwrap().id, ids[1], "still the holder's");
    assert!(f.store.device_by_identity(IdentityKind::AppleUdid, "ABC").await.unwrap().is_none());
    f.store.unbind_identities(ids[1], IdentityKind::WindowsDeviceId).await.unwrap();
    assert!(f.store.device_by_identity(IdentityKind::WindowsDeviceId, "ABC").await.unwrap().is_none(), "unbound");
    f.store.bind_identity(IdentityKind::WindowsDeviceId, "ABC", f.tenant.id, ids[2]).await.unwrap();
    assert_eq!(f.store.device_by_identity(IdentityKind::WindowsDeviceId, "ABC").await.unwrap().unwrap().id, ids[2], "free once unbound");
    // Another tenant's id finds nothing.
    assert!(f.store.device(TenantId::new(), ids[1]).await.unwrap().is_none());
    // Owner filter, search over UDID and IMEI, and filters combined.
    let other = UserId::new();
    let mut zed = device(&f, "zed", Platform::Ios);
    zed.primary_user_id = Some(other);
    zed.udid = Some("00008030-ABCDEF".into());
    zed.imei = Some("356938035643809".into());
    f.store.upsert_device(&zed).await.unwrap();
    let owned_by = |u| DeviceFilter { owner: Some(u), ..Default::default() };
    assert_eq!(list(owned_by(f.user.id), Page::default()).await.total, 4);
    assert_eq!(list(owned_by(other), Page::default()).await.items, vec![zed.clone()], "every field round-trips");
    assert_eq!(list(owned_by(other), Page::default()).await.total, 1);
    // Lower-cased in Rust at write time, so non-ASCII matches too (SQLite's LOWER() is ASCII-only).
    let mut emile = device(&f, "ÉMILE’s Pixel", Platform::Android);
    emile.primary_user_id = Some(other);
    f.store.upsert_device(&emile).await.unwrap();
    assert_eq!(list(DeviceFilter { search: Some("émile".into()), ..Default::default() }, Page::default()).await.items, vec![emile]);
    for text in ["abcdef", "35693803"] {
        assert_eq!(list(DeviceFilter { search: Some(text.into()), ..Default::default() }, Page::default()).await.total, 1, "{text}");
    }
    let combined = DeviceFilter { platform: Some(Platform::Ios), group: Some(group.id), owner: Some(f.user.id), ..Default::default() };
    assert_eq!(list(combined, Page::default()).await.items.iter().map(|d| d.id).collect::<Vec<_>>(), vec![ids[1]]);
}

/// Search finds devices by any substring through the trigram index (3 characters or more)
/// and by a scan (fewer), kept in step with every write of the device: insert, rename,
/// check-in, retire.
async fn search_finds_a_middle_substring_after_insert_update_and_retire(pg: bool) {
    let f = fixture(pg).await;
    let found = |text: &str, include_retired: bool| {
        let (store, tenant) = (f.store.clone(), f.tenant.id);
        let filter = DeviceFilter { search: Some(text.into()), include_retired, ..Default::default() };
        async move {
            store.list_devices(tenant, &filter, Page::default()).await.unwrap().items.iter().map(|d| d.name.clone()).collect::<Vec<_>>()
        }
    };
    let mut kiosk = device(&f, "Front-Desk Kiosk", Platform::Windows);
    kiosk.serial_number = Some("XK-4471-QZ".into());
    f.store.upsert_device(&kiosk).await.unwrap();
    let mut quoted = device(&f, "Lab \"Probe\" 100%", Platform::Android);
    quoted.serial_number = Some("R58N-0042".into());
    f.store.upsert_device(&quoted).await.unwrap();
    // Another tenant's device with the same text is never found.
    let other = Tenant { id: TenantId::new(), directory_id: uuid::Uuid::new_v4(), ..f.tenant.clone() };
    f.store.create_tenant(&other).await.unwrap();
    f.store.upsert_device(&Device { id: DeviceId::new(), tenant_id: other.id, primary_user_id: None, ..kiosk.clone() }).await.unwrap();

    for middle in ["4471", "k-4471-q", "DESK", "nt-desk ki", "71"] {
        assert_eq!(found(middle, false).await, ["Front-Desk Kiosk"], "after insert: {middle}");
    }
    for literal in ["\"probe\" 1", "100%", "e\" 1", "8n-00"] {
        assert_eq!(found(literal, false).await, ["Lab \"Probe\" 100%"], "{literal}");
    }
    assert!(found("4471-QX", false).await.is_empty(), "every character counts");
    assert!(found("kiosk desk", false).await.is_empty(), "the text in its order, not its words");

    // Renamed with a new serial: found by the new text, not the old.
    kiosk.name = "Lobby Tablet".into();
    kiosk.serial_number = Some("YT-9035-WB".into());
    f.store.upsert_device(&kiosk).await.unwrap();
    for middle in ["9035", "bby tab", "T-90"] {
        assert_eq!(found(middle, false).await, ["Lobby Tablet"], "after update: {middle}");
    }
    assert!(found("4471", false).await.is_empty() && found("desk", false).await.is_empty(), "the old text is gone");
    // A check-in writes the same text again: still found.
    kiosk.last_check_in = Some(t0());
    f.store.upsert_device(&kiosk).await.unwrap();
    assert_eq!(found("9035", false).await, ["Lobby Tablet"]);

    // Retired: out of the list's search, still found among retired devices.
    kiosk.retired_at = Some(t0());
    f.store.retire_device(&kiosk, &[]).await.unwrap();
    for middle in ["9035", "bby tab", "35"] {
        assert!(found(middle, false).await.is_empty(), "after retire: {middle}");
        assert_eq!(found(middle, true).await, ["Lobby Tablet"], "{middle}");
    }
    assert_eq!(found("0042", false).await, ["Lab \"Probe\" 100%"], "the other device is untouched");
}

async fn twenty_concurrent_requests_make_one_action(pg: bool) {
    let f = fixture(pg).await;
    let d = device(&f, "phone", Platform::Android);
    f.store.upsert_device(&d).await.unwrap();
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let (store, a) = (f.store.clone(), queued_action(&f, &d, t0()));
        tasks.push(tokio::spawn(async move { store.request_action(&a, &[]).await.unwrap() }));
    }
    let mut created = Vec::new();
    let mut existing = Vec::new();
    for t in tasks {
        match t.await.unwrap() {
            RequestOutcome::Created(a) => created.push(a.id),
            RequestOutcome::Existing(a) => existing.push(a.id),
        }
    }
    assert_eq!(created.len(), 1);
    assert!(existing.iter().all(|id| *id == created[0]));
    assert_eq!(f.store.actions_for_device(f.tenant.id, d.id).await.unwrap().len(), 1);
    let outbox = f.store.outbox_pending(t0(), 100).await.unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].action_id, created[0]);
    f.store.outbox_done(outbox[0].id).await.unwrap();
    assert!(f.store.outbox_pending(t0(), 100).await.unwrap().is_empty());
}

/// A group commit of requests: one (device, kind) asked twice in the batch is stored once, a
/// request already stored returns what is stored, and only the new actions get an outbox entry
/// and their audit events.
async fn one_batch_of_requests_writes_only_what_is_new(pg: bool) {
    let f = fixture(pg).await;
    let (a, b) = (device(&f, "phone a", Platform::Android), device(&f, "phone b", Platform::Android));
    f.store.upsert_device(&a).await.unwrap();
    f.store.upsert_device(&b).await.unwrap();
    let earlier = queued_action(&f, &b, t0());
    f.store.request_action(&earlier, &[]).await.unwrap();
    let audited = |action: &RemoteAction, d: &Device| {
        let mut e = event(&f, d, t0(), "user:ann", AuditKind::ActionRequested);
        e.action_id = Some(action.id);
        vec![e]
    };
    let (first, twin, again) = (queued_action(&f, &a, t0()), queued_action(&f, &a, t0()), queued_action(&f, &b, t0()));
    let batch = vec![
        (first.clone(), audited(&first, &a)),
        (twin.clone(), audited(&twin, &a)),
        (again.clone(), audited(&again, &b)),
        (earlier.clone(), audited(&earlier, &b)),
    ];
    let outcomes = f.store.request_actions(&batch).await.unwrap();
    let ids: Vec<(bool, ActionId)> = outcomes
        .iter()
        .map(|o| match o {
            RequestOutcome::Created(x) => (true, x.id),
            RequestOutcome::Existing(x) => (false, x.id),
        })
        .collect();
    assert_eq!(ids, [(true, first.id), (false, first.id), (false, earlier.id), (false, earlier.id)]);
    let outbox: Vec<ActionId> = f.store.outbox_pending(t0(), 100).await.unwrap().into_iter().map(|e| e.action_id).collect();
    assert_eq!(outbox.len(), 2, "{outbox:?}");
    assert!(outbox.contains(&first.id) && outbox.contains(&earlier.id));
    let audit = f.store.list_audit(f.tenant.id, &AuditFilter::default()).await.unwrap();
    assert_eq!(audit.iter().map(|e| e.event.action_id).collect::<Vec<_>>(), [Some(first.id)], "only the stored action is audited here");
}

/// The write that finishes an action tells the caller whether the device still has anything
/// deliverable (the idle check-in's index is updated from it, with no read of its own): per
/// device, within one batch, and not fooled by another device's pending action.
async fn a_finished_transition_says_whether_its_device_has_more(pg: bool) {
    let f = fixture(pg).await;
    let (a, b) = (device(&f, "phone a", Platform::Android), device(&f, "phone b", Platform::Android));
    f.store.upsert_device(&a).await.unwrap();
    f.store.upsert_device(&b).await.unwrap();
    let mut reset_a = queued_action(&f, &a, t0());
    let mut lock_a = queued_action(&f, &a, t0());
    lock_a.kind = ActionKind::RemoteLock;
    let mut reset_b = queued_action(&f, &b, t0());
    for x in [&reset_a, &lock_a, &reset_b] {
        f.store.request_action(x, &[]).await.unwrap();
    }
    let write = |x: &RemoteAction, expected| TransitionWrite { action: x.clone(), expected, secret: None, audit: vec![] };
    let (dev_a, dev_b) = (Cause::Device { device_id: a.id }, Cause::Device { device_id: b.id });
    // Delivered (not finished): still pending, whatever else there is.
    reset_a.transition(ActionState::Delivered, dev_a.clone(), t0(), None).unwrap();
    let saved = f.store.save_transitions(&[write(&reset_a, ActionState::Queued)]).await.unwrap();
    assert_eq!(saved.into_iter().map(Result::unwrap).collect::<Vec<_>>(), [StillPending(true)]);
    // One batch: a's reset finishes while its lock waits; b's only action finishes.
    reset_a.succeed(ActionResult::Done, dev_a.clone(), t0()).unwrap();
    reset_b.fail(ErrorCode::DeviceRejected, None, dev_b, t0()).unwrap();
    let batch = [write(&reset_a, ActionState::Delivered), write(&reset_b, ActionState::Queued)];
    let saved = f.store.save_transitions(&batch).await.unwrap();
    assert_eq!(saved.into_iter().map(Result::unwrap).collect::<Vec<_>>(), [StillPending(true), StillPending(false)]);
    // The lock finishes too: now a has nothing left. A stale write in the same batch loses alone.
    lock_a.transition(ActionState::Cancelled, dev_a, t0(), None).unwrap();
    let saved = f.store.save_transitions(&[write(&lock_a, ActionState::Queued), write(&reset_b, ActionState::Queued)]).await.unwrap();
    assert_eq!(saved[0].as_ref().ok(), Some(&StillPending(false)));
    assert!(matches!(saved[1], Err(StoreError::Conflict(_))), "{:?}", saved[1]);
    assert!(f.store.deliverable_actions(a.id).await.unwrap().is_empty());
}

/// A group commit holding two writes of one action (a device repeating an answer, or two
/// answers in a row) decides each on its own, in order: a repeat of the same move loses, a
/// move that follows from the first wins — and nothing is audited for the loser.
async fn one_batch_writing_an_action_twice_keeps_each_compare_and_set(pg: bool) {
    let f = fixture(pg).await;
    let d = device(&f, "phone", Platform::Android);
    f.store.upsert_device(&d).await.unwrap();
    let (mut a, mut b) = (queued_action(&f, &d, t0()), queued_action(&f, &d, t0()));
    b.kind = ActionKind::RemoteLock;
    f.store.request_action(&a, &[]).await.unwrap();
    f.store.request_action(&b, &[]).await.unwrap();
    let dev = Cause::Device { device_id: d.id };
    let audited = |x: &RemoteAction, what: &str| {
        let mut e = event(&f, &d, t0(), what, AuditKind::ActionTransition);
        e.action_id = Some(x.id);
        vec![e]
    };
    let write =
        |x: &RemoteAction, expected, what: &str| TransitionWrite { action: x.clone(), expected, secret: None, audit: audited(x, what) };
    a.transition(ActionState::Delivered, dev.clone(), t0(), None).unwrap();
    let delivered_a = write(&a, ActionState::Queued, "a delivered");
    a.succeed(ActionResult::Done, dev.clone(), t0()).unwrap();
    let succeeded_a = write(&a, ActionState::Delivered, "a succeeded");
    b.transition(ActionState::Delivered, dev, t0(), None).unwrap();
    let delivered_b = write(&b, ActionState::Queued, "b delivered");
    let batch = [delivered_a, delivered_b.clone(), succeeded_a, delivered_b];
    let saved = f.store.save_transitions(&batch).await.unwrap();
    assert!(saved[0].is_ok() && saved[1].is_ok() && saved[2].is_ok(), "{saved:?}");
    assert!(matches!(saved[3], Err(StoreError::Conflict(_))), "the same move twice: the second loses: {saved:?}");
    assert_eq!(f.store.action(f.tenant.id, a.id).await.unwrap().unwrap(), a, "both of a's moves stored, in order");
    assert_eq!(f.store.action(f.tenant.id, b.id).await.unwrap().unwrap().state, ActionState::Delivered);
    let audit = f.store.list_audit(f.tenant.id, &AuditFilter::default()).await.unwrap();
    let mut actors: Vec<String> = audit.iter().map(|e| e.event.actor.clone()).collect();
    actors.sort();
    assert_eq!(actors, ["a delivered", "a succeeded", "b delivered"], "the loser wrote no audit row");
}

/// The action path's one group commit holds every kind of write at once: a request colliding
/// with a pending action of its kind is answered with it (nothing written), a new request is
/// stored with its outbox entry, a stale transition loses alone, and an audit append is always
/// stored — each write's audit rows exactly when it is, in the order the writes came.
async fn one_commit_of_mixed_writes_decides_each_as_alone(pg: bool) {
    let f = fixture(pg).await;
    let (a, b) = (device(&f, "phone a", Platform::Android), device(&f, "phone b", Platform::Android));
    f.store.upsert_device(&a).await.unwrap();
    f.store.upsert_device(&b).await.unwrap();
    let mut pending = queued_action(&f, &a, t0());
    f.store.request_action(&pending, &[]).await.unwrap();
    let audited = |d: &Device, x: Option<&RemoteAction>, what: &str| {
        let mut e = event(&f, d, t0(), what, AuditKind::CommandResult);
        e.action_id = x.map(|x| x.id);
        vec![e]
    };
    let dev = Cause::Device { device_id: a.id };
    pending.transition(ActionState::Delivered, dev.clone(), t0(), None).unwrap();
    let mut stale = pending.clone();
    stale.transition(ActionState::Acknowledged, dev, t0(), None).unwrap();
    let (twin, fresh) = (queued_action(&f, &a, t0()), queued_action(&f, &b, t0()));
    let batch = [
        ActionPathWrite::Audit(audited(&a, None, "answer heard")),
        ActionPathWrite::Transition(TransitionWrite {
            action: pending.clone(),
            expected: ActionState::Queued,
            secret: None,
            audit: audited(&a, Some(&pending), "delivered"),
        }),
        ActionPathWrite::Request(twin.clone(), audited(&a, Some(&twin), "asked twice")),
        ActionPathWrite::Transition(TransitionWrite {
            action: stale,
            expected: ActionState::Queued,
            secret: None,
            audit: audited(&a, Some(&pending), "stale move"),
        }),
        ActionPathWrite::Request(fresh.clone(), audited(&b, Some(&fresh), "asked for b")),
    ];
    let written = f.store.commit_writes(&batch).await.unwrap();
    assert!(matches!(written[0], ActionPathWritten::Audit), "{:?}", written[0]);
    assert!(matches!(written[1], ActionPathWritten::Transition(Ok(StillPending(true)))), "{:?}", written[1]);
    assert!(
        matches!(&written[2], ActionPathWritten::Request(Ok(RequestOutcome::Existing(x))) if x.id == pending.id),
        "the pending action of that kind answers the twin: {:?}",
        written[2]
    );
    assert!(matches!(written[3], ActionPathWritten::Transition(Err(StoreError::Conflict(_)))), "{:?}", written[3]);
    assert!(matches!(&written[4], ActionPathWritten::Request(Ok(RequestOutcome::Created(x))) if x.id == fresh.id), "{:?}", written[4]);
    assert_eq!(f.store.action(f.tenant.id, pending.id).await.unwrap().unwrap().state, ActionState::Delivered);
    assert!(f.store.action(f.tenant.id, twin.id).await.unwrap().is_none(), "the twin was not stored");
    let outbox: Vec<ActionId> = f.store.outbox_pending(t0(), 100).await.unwrap().into_iter().map(|e| e.action_id).collect();
    assert_eq!(outbox, [pending.id, fresh.id], "one wake-up each, none for the twin");
    let audit = f.store.list_audit(f.tenant.id, &AuditFilter::default()).await.unwrap();
    let actors: Vec<&str> = audit.iter().rev().map(|e| e.event.actor.as_str()).collect();
    assert_eq!(actors, ["answer heard", "delivered", "asked for b"], "only what was stored is audited, in order");
}

/// A thousand devices answering at once: one commit carries more moves than one statement
/// holds, and an action can move twice in it (delivered, then acknowledged). Every move is its
/// own compare-and-set, decided in the order it came: a chain applies in full, and a writer who
/// still believes an action is queued loses without touching it.
async fn one_commit_moves_many_actions_each_in_the_order_asked(pg: bool) {
    let f = fixture(pg).await;
    let dev = |d: &Device| Cause::Device { device_id: d.id };
    let mut batch = Vec::new();
    let mut chains = Vec::new();
    for n in 0..130 {
        let d = device(&f, &format!("phone {n}"), Platform::Android);
        f.store.upsert_device(&d).await.unwrap();
        let mut a = queued_action(&f, &d, t0());
        f.store.request_action(&a, &[]).await.unwrap();
        let mut audit = vec![event(&f, &d, t0(), "delivered", AuditKind::ActionTransition)];
        audit[0].action_id = Some(a.id);
        a.transition(ActionState::Delivered, dev(&d), t0(), None).unwrap();
        batch.push(ActionPathWrite::Transition(TransitionWrite { action: a.clone(), expected: ActionState::Queued, secret: None, audit }));
        chains.push((d, a));
    }
    // Every third action is also acknowledged, in the same commit, after its delivery.
    for (d, a) in chains.iter_mut().step_by(3) {
        a.transition(ActionState::Acknowledged, dev(d), t0(), None).unwrap();
        batch.push(ActionPathWrite::Transition(TransitionWrite {
            action: a.clone(),
            expected: ActionState::Delivered,
            secret: None,
            audit: vec![],
        }));
    }
    let (d, first) = &chains[1];
    let mut stale = first.clone();
    stale.state = ActionState::Queued;
    stale.transition(ActionState::Cancelled, dev(d), t0(), None).unwrap();
    batch.push(ActionPathWrite::Transition(TransitionWrite { action: stale, expected: ActionState::Queued, secret: None, audit: vec![] }));

    let written = f.store.commit_writes(&batch).await.unwrap();
    let (last, moves) = written.split_last().unwrap();
    assert!(moves.iter().all(|w| matches!(w, ActionPathWritten::Transition(Ok(StillPending(true))))), "{moves:?}");
    assert!(matches!(last, ActionPathWritten::Transition(Err(StoreError::Conflict(_)))), "the stale writer loses: {last:?}");
    for (n, (_, a)) in chains.iter().enumerate() {
        let stored = f.store.action(f.tenant.id, a.id).await.unwrap().unwrap();
        let want = if n % 3 == 0 { ActionState::Acknowledged } else { ActionState::Delivered };
        assert_eq!(stored.state, want, "action {n}");
        assert_eq!(stored, *a, "action {n} is stored as its last move wrote it");
    }
    let audit = f.store.list_audit(f.tenant.id, &AuditFilter { limit: 500, ..Default::default() }).await.unwrap();
    assert_eq!(audit.len(), 130, "each delivery audited once");
}

async fn transitions_are_compare_and_set(pg: bool) {
    let f = fixture(pg).await;
    let d = device(&f, "phone", Platform::Android);
    f.store.upsert_device(&d).await.unwrap();
    let mut a = queued_action(&f, &d, t0());
    f.store.request_action(&a, &[]).await.unwrap();
    let dev = Cause::Device { device_id: d.id };
    a.transition(ActionState::Delivered, dev.clone(), t0() + Duration::seconds(1), None).unwrap();
    f.store.save_transition(&a, ActionState::Queued, None, &[]).await.unwrap();
    // A writer that still believes the action is queued loses and writes nothing.
    let mut stale = a.clone();
    stale.state = ActionState::Queued;
    stale.transition(ActionState::Cancelled, dev.clone(), t0(), None).unwrap();
    assert!(matches!(f.store.save_transition(&stale, ActionState::Queued, None, &[]).await, Err(StoreError::Conflict(_))));
    a.succeed(ActionResult::Done, dev, t0() + Duration::seconds(2)).unwrap();
    f.store.save_transition(&a, ActionState::Delivered, None, &[]).await.unwrap();
    let stored = f.store.action(f.tenant.id, a.id).await.unwrap().unwrap();
    assert_eq!(stored, a, "history and result come back complete and ordered");
    // Finished: no longer pending, so a new request creates a new action.
    assert!(f.store.pending_action(d.id, ActionKind::ResetPasscode).await.unwrap().is_none());
    assert!(matches!(f.store.request_action(&queued_action(&f, &d, t0()), &[]).await.unwrap(), RequestOutcome::Created(_)));
    // Overdue: only pending ones past their expiry.
    assert!(f.store.overdue_actions(t0() + Duration::days(6), 10).await.unwrap().is_empty());
    assert_eq!(f.store.overdue_actions(t0() + Duration::days(7), 10).await.unwrap().len(), 1);
}

async fn secrets_expire_and_purge_to_a_tombstone(pg: bool) {
    let f = fixture(pg).await;
    let key = SecretKey::ActionPasscode(ActionId::new());
    let secret = Secret::new("Kp4mRt7x");
    f.store.put_secret(NewSecret { key: key.clone(), secret: &secret, expires_at: Some(t0() + Duration::days(7)) }).await.unwrap();
    match f.store.secret(&key, t0()).await.unwrap() {
        SecretLookup::Available { secret, .. } => assert_eq!(secret.expose(), "Kp4mRt7x"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(f.store.secret(&key, t0() + Duration::days(7)).await.unwrap(), SecretLookup::Expired { .. }));
    assert!(f.store.purge_expired_secrets(t0() + Duration::days(6)).await.unwrap().is_empty());
    assert_eq!(f.store.purge_expired_secrets(t0() + Duration::days(8)).await.unwrap(), vec![key.clone()]);
    // Still "expired" (not "missing") after the purge, even if the clock were wrong.
    assert!(matches!(f.store.secret(&key, t0()).await.unwrap(), SecretLookup::Expired { .. }));
    assert!(matches!(f.store.secret(&SecretKey::ActionPasscode(ActionId::new()), t0()).await.unwrap(), SecretLookup::Missing));
    // Device secrets go with the device.
    let dev = DeviceId::new();
    let token = Secret::new("dW5sb2NrLXRva2Vu");
    f.store
        .put_secret(NewSecret { key: SecretKey::Device(dev, DeviceSecret::UnlockToken), secret: &token, expires_at: None })
        .await
        .unwrap();
    assert!(matches!(
        f.store.secret(&SecretKey::Device(dev, DeviceSecret::UnlockToken), t0()).await.unwrap(),
        SecretLookup::Available { .. }
    ));
    f.store.delete_device_secrets(dev).await.unwrap();
    // Tenant secrets (device CA key) seal the same way and survive device clean-ups.
    let ca_key = Secret::new("-----BEGIN PRIVATE KEY-----");
    let tk = SecretKey::Tenant(f.tenant.id, TenantSecret::DeviceCaKey);
    f.store.put_secret(NewSecret { key: tk.clone(), secret: &ca_key, expires_at: None }).await.unwrap();
    assert!(matches!(f.store.secret(&tk, t0()).await.unwrap(), SecretLookup::Available { .. }));
    assert!(matches!(f.store.secret(&SecretKey::Device(dev, DeviceSecret::UnlockToken), t0()).await.unwrap(), SecretLookup::Missing));
    // One secret can go on its own (a push token APNs no longer accepts); the rest stay.
    f.store.put_secret(NewSecret { key: SecretKey::Device(dev, DeviceSecret::PushToken), secret: &token, expires_at: None }).await.unwrap();
    f.store.put_secret(NewSecret { key: SecretKey::Device(dev, DeviceSecret::PushMagic), secret: &token, expires_at: None }).await.unwrap();
    f.store.delete_secret(&SecretKey::Device(dev, DeviceSecret::PushToken)).await.unwrap();
    assert!(matches!(f.store.secret(&SecretKey::Device(dev, DeviceSecret::PushToken), t0()).await.unwrap(), SecretLookup::Missing));
    assert!(matches!(
        f.store.secret(&SecretKey::Device(dev, DeviceSecret::PushMagic), t0()).await.unwrap(),
        SecretLookup::Available { .. }
    ));
    assert!(matches!(f.store.secret(&tk, t0()).await.unwrap(), SecretLookup::Available { .. }));
}

async fn audit_filters_by_device_actor_and_time(pg: bool) {
    let f = fixture(pg).await;
    let (d1, d2) = (device(&f, "a", Platform::Ios), device(&f, "b", Platform::Ios));
    let events = [
        event(&f, &d1, t0(), "user:ann", AuditKind::ActionRequested),
        event(&f, &d2, t0() + Duration::hours(1), "user:bob", AuditKind::ActionRequested),
        event(&f, &d1, t0() + Duration::hours(2), "system:expiry-worker", AuditKind::ActionTransition),
    ];
    f.store.append_audit(&events).await.unwrap();
    let list = |filter: AuditFilter| {
        let store = f.store.clone();
        let t = f.tenant.id;
        async move { store.list_audit(t, &filter).await.unwrap() }
    };
    let all = list(AuditFilter::default()).await;
    assert_eq!(
        all.iter().map(|e| e.event.actor.as_str()).collect::<Vec<_>>(),
        ["system:expiry-worker", "user:bob", "user:ann"],
        "newest first"
    );
    assert_eq!(all[2].event, events[0]);
    assert_eq!(list(AuditFilter { device_id: Some(d1.id), ..Default::default() }).await.len(), 2);
    assert_eq!(list(AuditFilter { actor: Some("user:bob".into()), ..Default::default() }).await.len(), 1);
    let window =
        list(AuditFilter { since: Some(t0() + Duration::minutes(30)), until: Some(t0() + Duration::hours(2)), ..Default::default() }).await;
    assert_eq!(window.iter().map(|e| e.event.actor.as_str()).collect::<Vec<_>>(), ["user:bob"]);
    assert_eq!(list(AuditFilter { limit: 1, ..Default::default() }).await.len(), 1);
    assert!(f.store.list_audit(TenantId::new(), &AuditFilter::default()).await.unwrap().is_empty());
}

/// Drive a reset to success the way the server does: request, deliver, acknowledge, succeed
/// with the temporary passcode sealed in the same transaction, audit events along the way.
async fn reset_to_success(f: &Fixture, d: &Device, passcode: &Secret, expires_at: chrono::DateTime<Utc>) -> RemoteAction {
    let mut a = queued_action(f, d, t0());
    let mut requested = event(f, d, t0(), "user:ann", AuditKind::ActionRequested);
    requested.action_id = Some(a.id);
    requested.action = Some("reset_passcode".into());
    requested.outcome = "queued".into();
    assert!(matches!(f.store.request_action(&a, &[requested]).await.unwrap(), RequestOutcome::Created(_)));
    let dev = Cause::Device { device_id: d.id };
    for (i, to) in [ActionState::Delivered, ActionState::Acknowledged].into_iter().enumerate() {
        let from = a.state;
        a.transition(to, dev.clone(), t0() + Duration::seconds(i as i64 + 1), Some(format!("step {i}"))).unwrap();
        f.store.save_transition(&a, from, None, &[]).await.unwrap();
    }
    a.succeed(ActionResult::TemporaryPasscode { expires_at }, dev, t0() + Duration::seconds(3)).unwrap();
    let mut done = event(f, d, t0() + Duration::seconds(3), &format!("device:{}", d.id), AuditKind::ActionTransition);
    done.action_id = Some(a.id);
    done.outcome = "succeeded".into();
    let sealed = NewSecret { key: SecretKey::ActionPasscode(a.id), secret: passcode, expires_at: Some(expires_at) };
    f.store.save_transition(&a, ActionState::Acknowledged, Some(sealed), &[done]).await.unwrap();
    a
}

async fn success_passcode_lives_until_expiry(pg: bool) {
    let f = fixture(pg).await;
    let d = device(&f, "phone", Platform::Android);
    f.store.upsert_device(&d).await.unwrap();
    let expires = t0() + Duration::days(7);
    let a = reset_to_success(&f, &d, &Secret::new("Tn4Rw8Kd"), expires).await;
    let stored = f.store.action(f.tenant.id, a.id).await.unwrap().unwrap();
    assert_eq!(stored, a, "history, notes and result come back complete");
    assert_eq!(
        stored.history.iter().map(|t| t.to).collect::<Vec<_>>(),
        [ActionState::Requested, ActionState::Queued, ActionState::Delivered, ActionState::Acknowledged, ActionState::Succeeded]
    );
    assert!(f.store.deliverable_actions(d.id).await.unwrap().is_empty());
    assert!(f.store.devices_with_pending_actions().await.unwrap().is_empty());
    let key = SecretKey::ActionPasscode(a.id);
    match f.store.secret(&key, expires - Duration::seconds(1)).await.unwrap() {
        SecretLookup::Available { secret, expires_at } => {
            assert_eq!((secret.expose(), expires_at), ("Tn4Rw8Kd", Some(expires)));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(f.store.secret(&key, expires).await.unwrap(), SecretLookup::Expired { expired_at } if expired_at == expires));
    assert_eq!(f.store.purge_expired_secrets(expires).await.unwrap(), vec![key.clone()]);
    assert!(f.store.purge_expired_secrets(expires).await.unwrap().is_empty(), "purged once");
    assert!(matches!(f.store.secret(&key, t0()).await.unwrap(), SecretLookup::Expired { .. }));
    // The request and the success were audited in their transactions, findable by action.
    let by_action = f.store.list_audit(f.tenant.id, &AuditFilter { action_id: Some(a.id), ..Default::default() }).await.unwrap();
    assert_eq!(by_action.iter().map(|e| e.event.kind).collect::<Vec<_>>(), [AuditKind::ActionTransition, AuditKind::ActionRequested]);
}

async fn a_conflicting_transition_writes_nothing(pg: bool) {
    let f = fixture(pg).await;
    let d = device(&f, "phone", Platform::Android);
    f.store.upsert_device(&d).await.unwrap();
    let a = queued_action(&f, &d, t0());
    f.store.request_action(&a, &[]).await.unwrap();
    // The expiry worker believes the action was delivered; it is still queued.
    let mut late = a.clone();
    late.state = ActionState::Delivered;
    late.succeed(ActionResult::TemporaryPasscode { expires_at: t0() }, Cause::Device { device_id: d.id }, t0()).unwrap();
    let secret = Secret::new("Hx5Tq9Bv");
    let sealed = NewSecret { key: SecretKey::ActionPasscode(a.id), secret: &secret, expires_at: Some(t0() + Duration::days(7)) };
    let audit = event(&f, &d, t0(), "system:test", AuditKind::ActionTransition);
    let err = f.store.save_transition(&late, ActionState::Delivered, Some(sealed), &[audit]).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert_eq!(f.store.action(f.tenant.id, a.id).await.unwrap().unwrap(), a);
    assert!(matches!(f.store.secret(&SecretKey::ActionPasscode(a.id), t0()).await.unwrap(), SecretLookup::Missing));
    assert!(f.store.list_audit(f.tenant.id, &AuditFilter::default()).await.unwrap().is_empty());
    // A duplicate request writes no audit event either.
    let dup = event(&f, &d, t0(), "user:ann", AuditKind::ActionRequested);
    assert!(
        matches!(f.store.request_action(&queued_action(&f, &d, t0()), &[dup]).await.unwrap(), RequestOutcome::Existing(e) if e.id == a.id)
    );
    assert!(f.store.list_audit(f.tenant.id, &AuditFilter::default()).await.unwrap().is_empty());
    assert_eq!(f.store.outbox_pending(t0(), 10).await.unwrap().len(), 1);
}

async fn a_known_secret_is_never_stored_in_clear(pg: bool) {
    const KNOWN: &str = "Zq7Wm3Kp";
    let f = fixture(pg).await;
    let d = device(&f, "phone", Platform::Android);
    f.store.upsert_device(&d).await.unwrap();
    let a = reset_to_success(&f, &d, &Secret::new(KNOWN), t0() + Duration::days(7)).await;
    // Reading it back works (so the check below is not vacuous) and is itself audited.
    match f.store.secret(&SecretKey::ActionPasscode(a.id), t0()).await.unwrap() {
        SecretLookup::Available { secret, .. } => assert_eq!(secret.expose(), KNOWN),
        other => panic!("{other:?}"),
    }
    f.store.append_audit(&[event(&f, &d, t0(), "user:ann", AuditKind::PasscodeRead)]).await.unwrap();
    let audit = f.store.list_audit(f.tenant.id, &AuditFilter::default()).await.unwrap();
    assert_eq!(audit.len(), 3);
    assert!(audit.iter().all(|e| !format!("{e:?}").contains(KNOWN)));
    let hex: String = KNOWN.bytes().map(|b| format!("{b:02x}")).collect();
    let url = f.url.clone();
    if pg {
        use sqlx::{Connection, Row};
        let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
        let tables: Vec<String> = sqlx::query(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
        )
        .fetch_all(&mut conn)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
        for needed in ["actions", "secrets", "audit", "outbox"] {
            assert!(tables.iter().any(|t| t == needed), "{needed} in {tables:?}");
        }
        let mut rows_seen = 0;
        for table in &tables {
            // The row as text shows every column, bytea as \x hex.
            for r in sqlx::query(&format!("SELECT t::text FROM \"{table}\" t")).fetch_all(&mut conn).await.unwrap() {
                let text: String = r.get(0);
                rows_seen += 1;
                assert!(!text.contains(KNOWN) && !text.to_lowercase().contains(&hex), "{table}: {text}");
            }
        }
        assert!(rows_seen > 5);
    } else {
        // The store stays open: its WAL and shared-memory files are what a live server has on disk.
        let path = f._dir.path().join("pinreset.db");
        let read_all = |when: &str| {
            let mut found = 0;
            for suffix in ["", "-wal", "-shm"] {
                let name = format!("{}{suffix}", path.display());
                if let Ok(bytes) = std::fs::read(&name) {
                    use std::os::unix::fs::PermissionsExt;
                    found += 1;
                    let mode = std::fs::metadata(&name).unwrap().permissions().mode() & 0o777;
                    assert_eq!(mode, 0o600, "{name} is private to the server's user");
                    assert!(!bytes.windows(KNOWN.len()).any(|w| w == KNOWN.as_bytes()), "{when}: {name}");
                }
            }
            assert!(found >= 2, "{when}: database and WAL files exist");
        };
        // Before a checkpoint the new pages live in the WAL; after it, in the main file.
        read_all("before checkpoint");
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query("PRAGMA wal_checkpoint(FULL)").execute(&mut conn).await.unwrap();
        read_all("after checkpoint");
        conn.close().await.unwrap();
        drop(f.store);
    }
}

async fn profiles_assignments_and_results_round_trip(pg: bool) {
    use pinreset_core::profile::*;
    let f = fixture(pg).await;
    let mut p = Profile {
        id: ProfileId::new(),
        tenant_id: f.tenant.id,
        name: "PIN recovery".into(),
        description: "lets users reset a forgotten PIN".into(),
        settings: vec![OmaSetting {
            oma_uri: "./Device/Vendor/MSFT/PassportForWork/{tenantId}/Policies/EnablePinRecovery".into(),
            data_type: OmaDataType::Boolean,
            value: "true".into(),
            platforms: vec![],
        }],
        version: 1,
        updated_at: t0(),
    };
    f.store.save_profile(&p).await.unwrap();
    assert_eq!(f.store.assignments(f.tenant.id, p.id).await.unwrap(), Assignments::default());
    let a =
        Assignments { include: vec![GroupRef::UserGroup(UserGroupId::new())], exclude: vec![GroupRef::DeviceGroup(DeviceGroupId::new())] };
    f.store.set_assignments(f.tenant.id, p.id, &a).await.unwrap();
    assert_eq!(f.store.assignments(f.tenant.id, p.id).await.unwrap(), a);
    assert!(matches!(f.store.set_assignments(TenantId::new(), p.id, &a).await, Err(StoreError::NotFound)));
    p.version = 2;
    p.name = "PIN recovery (v2)".into();
    f.store.save_profile(&p).await.unwrap();
    assert_eq!(f.store.list_profiles(f.tenant.id).await.unwrap(), vec![p.clone()]);
    let d = DeviceId::new();
    let r = |status, version| SettingResult { oma_uri: p.settings[0].oma_uri.clone(), status, profile_version: version, at: t0() };
    f.store.record_setting_results(d, p.id, &[r(500, 1)]).await.unwrap();
    f.store.record_setting_results(d, p.id, &[r(200, 2)]).await.unwrap();
    assert_eq!(f.store.setting_results(p.id).await.unwrap(), vec![(d, r(200, 2))], "the latest answer replaces the earlier one");
}

async fn flags_and_times_decode_through_any(pg: bool) {
    use sqlx::Row;
    let f = fixture(pg).await;
    let mut d = device(&f, "old", Platform::Ios);
    d.retired_at = Some(t0());
    f.store.upsert_device(&d).await.unwrap();
    f.store.request_action(&queued_action(&f, &d, t0()), &[]).await.unwrap();
    // A second connection to a migrated database re-runs nothing and sees the same rows.
    let raw = pinreset_store::sql::connect(&f.url, MasterKey::generate()).await.unwrap();
    // Flags are integers on both backends (INTEGER / BIGINT), times unix milliseconds: the
    // types the Any driver decodes the same way everywhere.
    let row = sqlx::query("SELECT pending, requested_at, expires_at FROM actions").fetch_one(raw.pool()).await.unwrap();
    assert_eq!(row.get::<i64, _>("pending"), 1);
    assert_eq!(row.get::<i64, _>("requested_at"), t0().timestamp_millis());
    assert_eq!(row.get::<i64, _>("expires_at"), (t0() + Duration::days(7)).timestamp_millis());
    let row = sqlx::query("SELECT retired FROM devices").fetch_one(raw.pool()).await.unwrap();
    assert_eq!(row.get::<i64, _>("retired"), 1);
    let versions = sqlx::query("SELECT version FROM schema_migrations").fetch_all(raw.pool()).await.unwrap();
    assert!(versions.len() >= 4, "every migration recorded once");
}

/// An enrollment naming an identity that another device holds fails whole: the holder keeps the
/// binding and the intruder's record, secrets and audit are not written. Retirement unbinds.
async fn identity_bindings_never_move(pg: bool) {
    let f = fixture(pg).await;
    let holder = device(&f, "holder", Platform::WindowsMobile);
    let intruder = device(&f, "intruder", Platform::WindowsMobile);
    let secret = Secret::new("dm-pass");
    let enroll = |d: &Device, ids: Vec<(IdentityKind, String)>| {
        let (store, d) = (f.store.clone(), d.clone());
        let secret = &secret;
        async move {
            store
                .enroll(EnrollmentWrite {
                    device: &d,
                    replace_kinds: &[IdentityKind::CertSerial],
                    identities: &ids,
                    drop_device_secrets: false,
                    secrets: vec![NewSecret { key: SecretKey::Device(d.id, DeviceSecret::DmPassword), secret, expires_at: None }],
                    dm_nonce: Some("bm9uY2U="),
                    spend_grant: None,
                    complete_reenrollment: None,
                    audit: &[],
                })
                .await
        }
    };
    enroll(&holder, vec![(IdentityKind::WindowsDeviceId, "DEV-1".into()), (IdentityKind::CertSerial, "aa".into())]).await.unwrap();
    let taken = enroll(&intruder, vec![(IdentityKind::WindowsDeviceId, "DEV-1".into()), (IdentityKind::CertSerial, "bb".into())]).await;
    assert!(matches!(taken, Err(StoreError::Conflict(_))), "{taken:?}");
    assert_eq!(f.store.device_by_identity(IdentityKind::WindowsDeviceId, "DEV-1").await.unwrap().map(|d| d.id), Some(holder.id));
    assert!(f.store.device(f.tenant.id, intruder.id).await.unwrap().is_none(), "the intruder's record was rolled back");
    assert!(f.store.device_by_identity(IdentityKind::CertSerial, "bb").await.unwrap().is_none());
    assert!(matches!(
        f.store.secret(&SecretKey::Device(intruder.id, DeviceSecret::DmPassword), t0()).await.unwrap(),
        SecretLookup::Missing
    ));
    assert!(matches!(
        f.store.bind_identity(IdentityKind::WindowsDeviceId, "DEV-1", f.tenant.id, intruder.id).await,
        Err(StoreError::Conflict(_))
    ));
    f.store.bind_identity(IdentityKind::WindowsDeviceId, "DEV-1", f.tenant.id, holder.id).await.unwrap();
    // The same device enrolling again swaps its certificate binding.
    enroll(&holder, vec![(IdentityKind::WindowsDeviceId, "DEV-1".into()), (IdentityKind::CertSerial, "cc".into())]).await.unwrap();
    assert!(
        f.store.device_by_identity(IdentityKind::CertSerial, "aa").await.unwrap().is_none(),
        "the old certificate no longer speaks for it"
    );
    // Retired: unbound, secrets and nonce gone; the identity is free for a new enrollment.
    let mut retired = f.store.device(f.tenant.id, holder.id).await.unwrap().unwrap();
    retired.retired_at = Some(t0());
    f.store.retire_device(&retired, &[]).await.unwrap();
    assert!(f.store.device_by_identity(IdentityKind::CertSerial, "cc").await.unwrap().is_none());
    assert!(f.store.dm_nonce(holder.id).await.unwrap().is_none());
    assert!(matches!(f.store.secret(&SecretKey::Device(holder.id, DeviceSecret::DmPassword), t0()).await.unwrap(), SecretLookup::Missing));
    enroll(&intruder, vec![(IdentityKind::WindowsDeviceId, "DEV-1".into())]).await.unwrap();
}

/// A grant enrolls one UDID; a DM nonce and a signed message are accepted once; a re-enrollment
/// approval is used once.
async fn enrollment_identities_and_nonces_are_spent_once(pg: bool) {
    let f = fixture(pg).await;
    f.store.create_enrollment_grant("5e", &f.user, t0()).await.unwrap();
    assert!(f.store.claim_enrollment_grant("5e", "UDID-A").await.unwrap());
    assert!(f.store.claim_enrollment_grant("5e", "UDID-A").await.unwrap(), "the same device may retry");
    assert!(!f.store.claim_enrollment_grant("5e", "UDID-B").await.unwrap(), "never a second device");
    assert_eq!(f.store.enrollment_grant("5e").await.unwrap().unwrap().claimed_udid.as_deref(), Some("UDID-A"));

    let d = device(&f, "phone", Platform::WindowsMobile);
    f.store.upsert_device(&d).await.unwrap();
    assert!(f.store.rotate_dm_nonce(d.id, None, "n1").await.unwrap());
    assert!(!f.store.rotate_dm_nonce(d.id, None, "n9").await.unwrap(), "inserted once");
    assert!(f.store.rotate_dm_nonce(d.id, Some("n1"), "n2").await.unwrap());
    assert!(!f.store.rotate_dm_nonce(d.id, Some("n1"), "n3").await.unwrap(), "a spent nonce cannot be spent again");
    assert_eq!(f.store.dm_nonce(d.id).await.unwrap().as_deref(), Some("n2"));

    assert!(f.store.remember_message("sig-1", t0() + Duration::minutes(15)).await.unwrap());
    assert!(!f.store.remember_message("sig-1", t0() + Duration::minutes(15)).await.unwrap(), "a replay");
    assert_eq!(f.store.forget_expired_messages(t0()).await.unwrap(), 0);
    assert_eq!(f.store.forget_expired_messages(t0() + Duration::minutes(16)).await.unwrap(), 1);

    let mut r = Reenrollment::new(f.tenant.id, d.id, IdentityKind::WindowsDeviceId, "DEV-9", f.user.id, "ann", t0());
    let stored = f.store.request_reenrollment(&r, &[], t0()).await.unwrap();
    let again = Reenrollment::new(f.tenant.id, d.id, IdentityKind::WindowsDeviceId, "DEV-9", f.user.id, "ann", t0());
    assert_eq!(f.store.request_reenrollment(&again, &[], t0()).await.unwrap().id, stored.id, "one open request per device and user");
    r.decide(true, "user:ann", t0()).unwrap();
    f.store.save_reenrollment(&r, ReenrollmentState::Pending, &[]).await.unwrap();
    assert!(matches!(f.store.save_reenrollment(&r, ReenrollmentState::Pending, &[]).await, Err(StoreError::Conflict(_))));
    assert!(f.store.open_reenrollment(d.id, f.user.id, t0()).await.unwrap().unwrap().is_usable(t0()));
    assert_eq!(f.store.list_reenrollments(f.tenant.id, 10).await.unwrap().len(), 1);
}

async fn outbox_failures_back_off_and_only_due_entries_are_pending(pg: bool) {
    let f = fixture(pg).await;
    let (d1, d2) = (device(&f, "one", Platform::Android), device(&f, "two", Platform::Android));
    for d in [&d1, &d2] {
        f.store.upsert_device(d).await.unwrap();
        f.store.request_action(&queued_action(&f, d, t0()), &[]).await.unwrap();
    }
    let due = f.store.outbox_pending(t0(), 10).await.unwrap();
    assert_eq!(due.len(), 2);
    assert_eq!((due[0].attempts, due[0].next_attempt_at), (0, t0()), "a new wake-up is due at once");
    assert_eq!(f.store.outbox_depth().await.unwrap(), 2, "the depth counts every undone wake-up");
    // The first wake-up fails: counted, and left alone until its backoff ends.
    let later = t0() + Duration::seconds(30);
    f.store.outbox_retry(due[0].id, later).await.unwrap();
    let now_due = f.store.outbox_pending(t0() + Duration::seconds(29), 10).await.unwrap();
    assert_eq!(now_due.iter().map(|e| e.id).collect::<Vec<_>>(), vec![due[1].id], "a backing-off entry is not due");
    let again = f.store.outbox_pending(later, 10).await.unwrap();
    assert_eq!(again.len(), 2);
    assert_eq!((again[0].attempts, again[0].next_attempt_at), (1, later));
    // Done is done: a late retry does not bring it back.
    f.store.outbox_done(due[0].id).await.unwrap();
    f.store.outbox_retry(due[0].id, later).await.unwrap();
    assert_eq!(f.store.outbox_pending(later + Duration::days(1), 10).await.unwrap().len(), 1);
    // The depth counts the backing-off entry too: it is still owed a wake-up.
    assert_eq!(f.store.outbox_depth().await.unwrap(), 1);
}

async fn audit_keeps_no_unbounded_device_text_nor_forged_request_ids(pg: bool) {
    let f = fixture(pg).await;
    let d = device(&f, "phone", Platform::Ios);
    f.store.upsert_device(&d).await.unwrap();
    // A device answers with a 201 KB error chain, NULs and a bidi override inside.
    let mut e = event(&f, &d, t0(), "device:x", AuditKind::CommandResult);
    e.outcome = format!("ClearPasscode: Error (MDMErrorDomain 12021: \0{}\u{202E})", "A".repeat(201 * 1024));
    e.request_id = Some("forged\nline with spaces".into());
    let mut ok = event(&f, &d, t0(), "user:ann", AuditKind::ActionRequested);
    ok.request_id = Some("3f2a9c1e-7d4b-4a35-9b1e-2c8f0d6a5b7e".into());
    f.store.append_audit(&[e, ok]).await.unwrap();
    let rows = f.store.list_audit(f.tenant.id, &AuditFilter::default()).await.unwrap();
    let (ok, e) = (&rows[0].event, &rows[1].event);
    assert!(e.outcome.len() <= pinreset_core::text::DEVICE_TEXT_MAX_BYTES, "{} bytes stored", e.outcome.len());
    assert!(e.outcome.starts_with("ClearPasscode: Error (MDMErrorDomain 12021: AAA") && e.outcome.ends_with('…'), "{}", &e.outcome[..60]);
    assert!(!e.outcome.contains('\0'));
    assert_eq!(e.request_id, None, "a request id that is not a plain token is not kept");
    assert_eq!(ok.request_id.as_deref(), Some("3f2a9c1e-7d4b-4a35-9b1e-2c8f0d6a5b7e"));
}

async fn nul_in_text_is_invalid_input_not_a_backend_failure(pg: bool) {
    let f = fixture(pg).await;
    let invalid = |r: StoreError| assert!(matches!(r, StoreError::InvalidInput(_)), "{r:?}");
    invalid(f.store.user_by_login(f.tenant.id, "an\0n").await.unwrap_err());
    invalid(f.store.users_by_email("ann@x\0").await.unwrap_err());
    let search = DeviceFilter { search: Some("ph\0".into()), ..Default::default() };
    invalid(f.store.list_devices(f.tenant.id, &search, Page::default()).await.unwrap_err());
    let actor = AuditFilter { actor: Some("user:\0".into()), ..Default::default() };
    invalid(f.store.list_audit(f.tenant.id, &actor).await.unwrap_err());
    let d = device(&f, "ph\0ne", Platform::Ios);
    invalid(f.store.upsert_device(&d).await.unwrap_err());
    assert_eq!(f.store.list_devices(f.tenant.id, &DeviceFilter::default(), Page::default()).await.unwrap().total, 0, "nothing was written");
    // Creating a user guards its text too (the API refuses it before the store sees it).
    let odd = User { id: UserId::new(), login: "b\0b".into(), email: "bob@x".into(), ..f.user.clone() };
    invalid(f.store.create_user(&odd, None).await.unwrap_err());
}

async fn user_changes_keep_an_admin_and_deleting_moves_devices(pg: bool) {
    let f = fixture(pg).await;
    let audit_count = |f: &Fixture| {
        let (store, tenant) = (f.store.clone(), f.tenant.id);
        async move { store.list_audit(tenant, &AuditFilter { limit: 1000, ..Default::default() }).await.unwrap().len() }
    };
    let ann = f.store.account(f.tenant.id, f.user.id).await.unwrap().unwrap();
    assert_eq!((ann.disabled, ann.has_password), (false, true));
    let ev = |kind| NewAuditEvent {
        at: t0(),
        tenant_id: f.tenant.id,
        actor: "user:ann".into(),
        kind,
        device_id: None,
        action_id: None,
        action: None,
        outcome: "x".into(),
        request_id: None,
        origin: None,
    };

    // The only enabled tenant admin stays one: the change and its audit are both refused.
    let mut demoted = ann.clone();
    demoted.user.role = Role::HelpDesk;
    match f.store.update_user(&demoted, None, &[ev(AuditKind::UserChanged)]).await {
        Err(StoreError::Conflict(m)) => assert_eq!(m, LAST_TENANT_ADMIN),
        other => panic!("{other:?}"),
    }
    let mut disabled = ann.clone();
    disabled.disabled = true;
    assert!(matches!(f.store.update_user(&disabled, None, &[]).await, Err(StoreError::Conflict(_))));
    assert_eq!(f.store.account(f.tenant.id, f.user.id).await.unwrap().unwrap(), ann);
    assert_eq!(audit_count(&f).await, 0);

    // A disabled user's token and password hash are not handed out.
    let bob = User { id: UserId::new(), login: "bob".into(), email: "bob@x".into(), role: Role::EndUser, ..f.user.clone() };
    f.store.add_user(&bob, Some("$argon2id$bob"), &[ev(AuditKind::UserCreated)]).await.unwrap();
    let token_id = uuid::Uuid::new_v4();
    f.store.issue_api_token(bob.id, token_id, "bob-sha", "laptop", t0(), &[ev(AuditKind::TokenCreated)]).await.unwrap();
    let mut bob_off = f.store.account(f.tenant.id, bob.id).await.unwrap().unwrap();
    bob_off.disabled = true;
    f.store.update_user(&bob_off, None, &[]).await.unwrap();
    assert!(f.store.user_by_api_token("bob-sha").await.unwrap().is_none());
    assert_eq!(f.store.user_by_login(f.tenant.id, "bob").await.unwrap().unwrap().1, None);
    assert_eq!(f.store.users_by_email("bob@x").await.unwrap()[0].1, None);
    bob_off.disabled = false;
    f.store.update_user(&bob_off, Some("$argon2id$new"), &[]).await.unwrap();
    assert_eq!(f.store.user_by_login(f.tenant.id, "bob").await.unwrap().unwrap().1.as_deref(), Some("$argon2id$new"));
    let tokens = f.store.list_api_tokens(bob.id).await.unwrap();
    assert_eq!((tokens.len(), tokens[0].id, tokens[0].label.as_str()), (1, token_id, "laptop"));
    assert!(!f.store.revoke_api_token(f.user.id, token_id, &[]).await.unwrap(), "only through its own user");
    assert!(f.store.revoke_api_token(bob.id, token_id, &[ev(AuditKind::TokenRevoked)]).await.unwrap());
    assert!(f.store.user_by_api_token("bob-sha").await.unwrap().is_none());

    // Deleting a device owner: refused unless the caller saw the devices and names a new owner.
    let mut d = device(&f, "phone", Platform::Ios);
    d.primary_user_id = Some(bob.id);
    f.store.upsert_device(&d).await.unwrap();
    let g = UserGroup { id: UserGroupId::new(), tenant_id: f.tenant.id, name: "G".into(), members: vec![bob.id] };
    f.store.create_user_group(&g).await.unwrap();
    for (seen, to) in [(vec![], None), (vec![d.id], None), (vec![], Some(f.user.id))] {
        match f.store.delete_user(f.tenant.id, bob.id, &seen, to, &[]).await {
            Err(StoreError::Conflict(m)) => assert_eq!(m, USER_OWNS_DEVICES),
            other => panic!("{other:?}"),
        }
    }
    f.store.delete_user(f.tenant.id, bob.id, &[d.id], Some(f.user.id), &[ev(AuditKind::UserDeleted)]).await.unwrap();
    assert!(f.store.account(f.tenant.id, bob.id).await.unwrap().is_none());
    assert_eq!(f.store.device(f.tenant.id, d.id).await.unwrap().unwrap().primary_user_id, Some(f.user.id));
    assert_eq!(f.store.user_group(f.tenant.id, g.id).await.unwrap().unwrap().members, vec![]);
    assert!(matches!(f.store.delete_user(f.tenant.id, f.user.id, &[d.id], None, &[]).await, Err(StoreError::Conflict(_))));

    // Group members belong to the group's tenant.
    let other = Tenant { id: TenantId::new(), ..f.tenant.clone() };
    f.store.create_tenant(&other).await.unwrap();
    let stranger = User { id: UserId::new(), tenant_id: other.id, login: "s".into(), ..f.user.clone() };
    f.store.create_user(&stranger, None).await.unwrap();
    let add = |member: uuid::Uuid| f.store.set_group_member(f.tenant.id, GroupKind::User, g.id.0, member, true, &[]);
    assert!(matches!(add(stranger.id.0).await, Err(StoreError::NotFound)));
    assert!(add(f.user.id.0).await.unwrap());
    assert!(!add(f.user.id.0).await.unwrap(), "already a member");
    assert!(matches!(
        f.store.add_group(f.tenant.id, GroupKind::Device, uuid::Uuid::new_v4(), "D", &[stranger.id.0], &[]).await,
        Err(StoreError::InvalidInput(_))
    ));
    assert_eq!(audit_count(&f).await, 4, "created, token created, token revoked, deleted");
}

/// Two dispatchers (two instances, or two requests' spawns) claiming at the same moment: every
/// due entry goes to exactly one of them, and a claimed entry is not due again until its lease
/// lapses (the claimer died) — then it is claimed once more.
async fn concurrent_claims_take_each_outbox_entry_once(pg: bool) {
    let f = fixture(pg).await;
    for i in 0..12 {
        let d = device(&f, &format!("phone {i}"), Platform::Android);
        f.store.upsert_device(&d).await.unwrap();
        f.store.request_action(&queued_action(&f, &d, t0()), &[]).await.unwrap();
    }
    let lease = t0() + Duration::seconds(60);
    let mut tasks = Vec::new();
    for _ in 0..6 {
        let store = f.store.clone();
        tasks.push(tokio::spawn(async move { store.claim_outbox(t0(), lease, 3).await.unwrap() }));
    }
    let mut claimed = Vec::new();
    for t in tasks {
        let batch = t.await.unwrap();
        assert!(batch.len() <= 3, "a claim takes at most its limit");
        assert!(batch.windows(2).all(|w| w[0].id < w[1].id), "oldest first");
        claimed.extend(batch.into_iter().map(|e| e.action_id));
    }
    let mut unique = claimed.clone();
    unique.sort_by_key(|id| id.to_string());
    unique.dedup();
    assert_eq!(unique.len(), claimed.len(), "no entry was claimed twice");
    assert_eq!(claimed.len(), 12, "every due entry was claimed");
    assert!(f.store.claim_outbox(t0() + Duration::seconds(59), lease, 100).await.unwrap().is_empty(), "leased entries are not due");
    // A claimer that finished ends its entries; one that died leaves them to lapse.
    let finished = f.store.outbox_pending(lease, 100).await.unwrap();
    f.store.outbox_done(finished[0].id).await.unwrap();
    let again = f.store.claim_outbox(lease, lease + Duration::seconds(60), 100).await.unwrap();
    assert_eq!(again.len(), 11, "lapsed leases are claimed again, finished entries never");
}

/// The maintenance tick runs on one instance: a lease is taken by one holder, renewed only by
/// it, and taken over by another only after it lapses.
async fn a_lease_has_one_holder_until_it_lapses(pg: bool) {
    let f = fixture(pg).await;
    let until = t0() + Duration::seconds(60);
    let mut tasks = Vec::new();
    for i in 0..8 {
        let store = f.store.clone();
        tasks.push(tokio::spawn(async move { store.try_lease("maintenance", &format!("instance-{i}"), t0(), until).await.unwrap() }));
    }
    let mut winners = 0;
    for t in tasks {
        winners += usize::from(t.await.unwrap());
    }
    assert_eq!(winners, 1, "one instance holds the lease");
    // Find the holder: it renews; the others still cannot take it before it lapses.
    let mut holder = None;
    for i in 0..8 {
        let name = format!("instance-{i}");
        if f.store.try_lease("maintenance", &name, t0() + Duration::seconds(30), until + Duration::seconds(30)).await.unwrap() {
            holder = Some(name);
        }
    }
    let holder = holder.expect("the holder renews its lease");
    let other = if holder == "instance-0" { "instance-1" } else { "instance-0" };
    assert!(!f.store.try_lease("maintenance", other, until, until + Duration::seconds(60)).await.unwrap(), "renewed: not lapsed yet");
    assert!(f.store.try_lease("other-job", other, t0(), until).await.unwrap(), "leases are per name");
    let lapsed = until + Duration::seconds(30);
    assert!(f.store.try_lease("maintenance", other, lapsed, lapsed + Duration::seconds(60)).await.unwrap(), "taken over once lapsed");
    assert!(!f.store.try_lease("maintenance", &holder, lapsed, lapsed + Duration::seconds(60)).await.unwrap());
}

/// SSO settings live on the tenant with their client secret sealed beside them (both go in one
/// transaction); a sign-in in progress is a one-use secret: taken once, never after its expiry.
async fn single_sign_on_settings_and_one_use_sign_in_secrets(pg: bool) {
    let f = fixture(pg).await;
    let sso = SsoSettings::new("https://idp.example", "pinreset", None).unwrap();
    let client_secret = Secret::new("client-secret-value");
    let d = device(&f, "x", Platform::Android);
    let audit = event(&f, &d, t0(), "user:ann", AuditKind::SettingsChanged);
    f.store.update_tenant_sso(f.tenant.id, Some((&sso, &client_secret)), &audit).await.unwrap();
    assert_eq!(f.store.tenant(f.tenant.id).await.unwrap().unwrap().sso, Some(sso.clone()));
    let key = SecretKey::Tenant(f.tenant.id, TenantSecret::OidcClientSecret);
    assert!(
        matches!(f.store.secret(&key, t0()).await.unwrap(), SecretLookup::Available { secret, .. } if secret.expose() == "client-secret-value")
    );
    f.store.update_tenant_sso(f.tenant.id, None, &audit).await.unwrap();
    assert_eq!(f.store.tenant(f.tenant.id).await.unwrap().unwrap().sso, None);
    assert!(matches!(f.store.secret(&key, t0()).await.unwrap(), SecretLookup::Missing), "the client secret goes with the settings");

    let id = uuid::Uuid::new_v4();
    let pending = Secret::new("{\"nonce\":\"n\"}");
    let new = |expires| NewSecret { key: SecretKey::SignIn(id), secret: &pending, expires_at: Some(expires) };
    f.store.put_secret(new(t0() + Duration::minutes(10))).await.unwrap();
    let key = SecretKey::SignIn(id);
    let (a, b) = tokio::join!(f.store.take_secret(&key, t0()), f.store.take_secret(&key, t0()));
    let taken: Vec<Secret> = [a.unwrap(), b.unwrap()].into_iter().flatten().collect();
    assert_eq!(taken.len(), 1, "two concurrent takers: one gets it");
    assert_eq!(taken[0].expose(), pending.expose());
    assert!(f.store.take_secret(&SecretKey::SignIn(id), t0()).await.unwrap().is_none(), "spent");
    f.store.put_secret(new(t0() + Duration::minutes(10))).await.unwrap();
    assert!(f.store.take_secret(&SecretKey::SignIn(id), t0() + Duration::minutes(11)).await.unwrap().is_none(), "expired");
    // An abandoned sign-in leaves no row behind once purged.
    f.store.put_secret(new(t0() + Duration::minutes(10))).await.unwrap();
    assert!(f.store.purge_expired_secrets(t0() + Duration::minutes(11)).await.unwrap().is_empty());
    assert!(matches!(f.store.secret(&SecretKey::SignIn(id), t0()).await.unwrap(), SecretLookup::Missing));
}

/// The actions monitor's query: failures first, then newest; filters by state, kind and device
/// search; counts per state and per UTC day come from the database.
async fn tenant_actions_list_failures_first_and_count_by_day(pg: bool) {
    let f = fixture(pg).await;
    let (old, new) = (device(&f, "Old phone", Platform::Android), device(&f, "New tablet", Platform::Ios));
    f.store.upsert_device(&old).await.unwrap();
    f.store.upsert_device(&new).await.unwrap();
    let mut failed = queued_action(&f, &old, t0());
    f.store.request_action(&failed, &[]).await.unwrap();
    failed.fail(ErrorCode::ActionNotSupported, None, Cause::Device { device_id: old.id }, t0() + Duration::minutes(1)).unwrap();
    f.store.save_transition(&failed, ActionState::Queued, None, &[]).await.unwrap();
    let pending = queued_action(&f, &new, t0() + Duration::days(1));
    f.store.request_action(&pending, &[]).await.unwrap();
    let mut lock = queued_action(&f, &new, t0() + Duration::days(2));
    lock.kind = ActionKind::RemoteLock;
    f.store.request_action(&lock, &[]).await.unwrap();
    let ids = |p: PageOf<RemoteAction>| p.items.iter().map(|a| a.id).collect::<Vec<_>>();
    let all = f.store.list_actions(f.tenant.id, &ActionFilter::default(), Page::default()).await.unwrap();
    assert_eq!(all.total, 3);
    assert_eq!(ids(all), [failed.id, lock.id, pending.id], "the failure first although oldest, then newest first");
    let only = |filter: ActionFilter| {
        let store = f.store.clone();
        let t = f.tenant.id;
        async move { store.list_actions(t, &filter, Page::default()).await.unwrap() }
    };
    assert_eq!(ids(only(ActionFilter { states: vec![ActionState::Failed], ..Default::default() }).await), [failed.id]);
    assert_eq!(ids(only(ActionFilter { kind: Some(ActionKind::RemoteLock), ..Default::default() }).await), [lock.id]);
    assert_eq!(ids(only(ActionFilter { device_search: Some("TABLET".into()), ..Default::default() }).await), [lock.id, pending.id]);
    assert_eq!(
        ids(only(ActionFilter { device_search: Some("tablet%".into()), ..Default::default() }).await),
        Vec::<ActionId>::new(),
        "% is literal"
    );
    // Pages cut across the failures and the rest: each action once, in the list's order.
    for (offset, limit, expected) in [
        (0, 1, vec![failed.id]),
        (1, 1, vec![lock.id]),
        (0, 2, vec![failed.id, lock.id]),
        (1, 5, vec![lock.id, pending.id]),
        (3, 5, vec![]),
    ] {
        let page = f.store.list_actions(f.tenant.id, &ActionFilter::default(), Page { offset, limit }).await.unwrap();
        assert_eq!((ids(page.clone()), page.total), (expected, 3), "offset {offset}, limit {limit}");
    }
    let not_failed = ActionFilter { states: vec![ActionState::Queued], ..Default::default() };
    let page = f.store.list_actions(f.tenant.id, &not_failed, Page { offset: 1, limit: 1 }).await.unwrap();
    assert_eq!((ids(page.clone()), page.total), (vec![pending.id], 2), "no failures asked for: the rest from the offset");
    assert_eq!(f.store.list_actions(TenantId::new(), &ActionFilter::default(), Page::default()).await.unwrap().total, 0);

    let counts = f.store.action_counts(f.tenant.id, t0() + Duration::hours(1)).await.unwrap();
    let mut by_state = counts.by_state.clone();
    by_state.sort_by_key(|(s, _)| s.as_str());
    assert_eq!(by_state, [(ActionState::Failed, 1), (ActionState::Queued, 2)]);
    let day = |d: i64| (t0() + Duration::days(d)).date_naive();
    assert_eq!(counts.by_day, [(day(1), ActionState::Queued, 1), (day(2), ActionState::Queued, 1)], "only since the asked-for moment");
    // A short span is counted day by day in the index, a long one grouped: the same figures.
    let all_days = [(day(0), ActionState::Failed, 1), (day(1), ActionState::Queued, 1), (day(2), ActionState::Queued, 1)];
    assert_eq!(f.store.action_counts(f.tenant.id, t0() - Duration::days(1)).await.unwrap().by_day, all_days);
    assert_eq!(f.store.action_counts(f.tenant.id, t0() - Duration::days(400)).await.unwrap().by_day, all_days);
    assert!(f.store.action_counts(TenantId::new(), t0()).await.unwrap().by_day.is_empty(), "a tenant with no actions");
}

async fn audit_filters_by_kind_action_and_sequence(pg: bool) {
    let f = fixture(pg).await;
    let d = device(&f, "a", Platform::Ios);
    let mut read = event(&f, &d, t0(), "user:ann", AuditKind::PasscodeRead);
    read.action = Some("reset_passcode".into());
    let mut lock = event(&f, &d, t0(), "user:ann", AuditKind::ActionRequested);
    lock.action = Some("remote_lock".into());
    f.store.append_audit(&[read.clone(), lock.clone(), event(&f, &d, t0(), "user:ann", AuditKind::SignIn)]).await.unwrap();
    let list = |filter: AuditFilter| {
        let store = f.store.clone();
        let t = f.tenant.id;
        async move { store.list_audit(t, &filter).await.unwrap() }
    };
    let reads = list(AuditFilter { kind: Some(AuditKind::PasscodeRead), ..Default::default() }).await;
    assert_eq!(reads.iter().map(|e| &e.event).collect::<Vec<_>>(), [&read]);
    let locks = list(AuditFilter { action: Some(ActionKind::RemoteLock), ..Default::default() }).await;
    assert_eq!(locks.iter().map(|e| &e.event).collect::<Vec<_>>(), [&lock]);
    let all = list(AuditFilter::default()).await;
    let older = list(AuditFilter { before_seq: Some(all[0].seq), ..Default::default() }).await;
    assert_eq!(older, all[1..], "keyset paging: the events after the first page");
}
