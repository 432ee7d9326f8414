use super::*;
use crate::device::{JoinType, ManagementMode, OsVersion, Ownership, Platform};
use crate::ids::DeviceId;

const PIN_RECOVERY: &str = "./Device/Vendor/MSFT/PassportForWork/{tenantId}/Policies/EnablePinRecovery";

fn profile(value: &str, version: u32) -> Profile {
    Profile {
        id: ProfileId::new(),
        tenant_id: TenantId::new(),
        name: "PIN recovery".into(),
        description: String::new(),
        settings: vec![OmaSetting {
            oma_uri: PIN_RECOVERY.into(),
            data_type: OmaDataType::Boolean,
            value: value.into(),
            platforms: vec![],
        }],
        version,
        updated_at: Utc::now(),
    }
}

fn device(platform: Platform) -> Device {
    Device {
        id: DeviceId::new(),
        tenant_id: TenantId::new(),
        name: "d".into(),
        platform,
        os_version: OsVersion::parse("10.0.15063").unwrap(),
        os_build: None,
        model: None,
        serial_number: None,
        udid: None,
        imei: None,
        ownership: Ownership::Corporate,
        management_mode: ManagementMode::Mdm,
        join_type: JoinType::AzureAdJoined,
        primary_user_id: None,
        unlock_token_escrowed: false,
        reset_token: crate::ResetTokenState::None,
        enrolled_at: Utc::now(),
        last_check_in: None,
        retired_at: None,
        inventoried_at: None,
        amapi_name: None,
    }
}

fn result(status: u16, version: u32) -> SettingResult {
    SettingResult { oma_uri: PIN_RECOVERY.into(), status, profile_version: version, at: Utc::now() }
}

#[test]
fn targeting_includes_by_user_or_device_group_and_exclusion_wins() {
    let (ug, dg, other) = (UserGroupId::new(), DeviceGroupId::new(), DeviceGroupId::new());
    let a = Assignments { include: vec![GroupRef::UserGroup(ug)], exclude: vec![GroupRef::DeviceGroup(dg)] };
    let in_user_group = Membership { user_groups: vec![ug], device_groups: vec![other] };
    assert!(is_targeted(&a, &in_user_group));
    let excluded = Membership { user_groups: vec![ug], device_groups: vec![dg] };
    assert!(!is_targeted(&a, &excluded));
    assert!(!is_targeted(&a, &Membership::default()));
}

#[test]
fn states_follow_what_the_device_reported() {
    let p = profile("true", 2);
    let w = device(Platform::Windows);
    assert_eq!(device_state(&p, &w, &[], &[]), DeviceProfileState::Pending);
    assert_eq!(device_state(&p, &w, &[result(200, 2)], &[]), DeviceProfileState::Succeeded);
    assert_eq!(device_state(&p, &w, &[result(200, 1)], &[]), DeviceProfileState::Pending, "an older version's answer does not count");
    assert_eq!(device_state(&p, &w, &[result(405, 2)], &[]), DeviceProfileState::Error { oma_uri: PIN_RECOVERY.into(), status: 405 });
    assert_eq!(device_state(&p, &device(Platform::Ios), &[], &[]), DeviceProfileState::NotApplicable);
    // EnablePinRecovery is a desktop setting: phones are not in its scope.
    for phone in [Platform::WindowsMobile, Platform::WindowsPhone] {
        assert_eq!(device_state(&p, &device(phone), &[], &[]), DeviceProfileState::NotApplicable, "{phone:?}");
    }
}

#[test]
fn settings_apply_to_the_platforms_their_csp_supports_unless_narrowed() {
    let s = |uri: &str, platforms: Vec<Platform>| OmaSetting {
        oma_uri: uri.into(),
        data_type: OmaDataType::Boolean,
        value: "true".into(),
        platforms,
    };
    let lower = s(&PIN_RECOVERY.to_ascii_lowercase(), vec![]);
    assert!(lower.applies_to(Platform::Windows) && !lower.applies_to(Platform::WindowsMobile), "matched without regard to case");
    let hello = s("./Device/Vendor/MSFT/PassportForWork/{tenantId}/Policies/UsePassportForWork", vec![]);
    assert!([Platform::Windows, Platform::WindowsMobile, Platform::WindowsPhone].iter().all(|p| hello.applies_to(*p)));
    assert!(!hello.applies_to(Platform::Android));
    let narrowed = s("./Device/Vendor/MSFT/PassportForWork/{tenantId}/Policies/UsePassportForWork", vec![Platform::WindowsMobile]);
    assert!(narrowed.applies_to(Platform::WindowsMobile) && !narrowed.applies_to(Platform::Windows));
}

#[test]
fn two_profiles_setting_one_uri_differently_conflict() {
    let p = profile("true", 1);
    let q = profile("false", 1);
    let same = profile("true", 1);
    let w = device(Platform::Windows);
    assert_eq!(
        device_state(&p, &w, &[result(200, 1)], &[&q]),
        DeviceProfileState::Conflict { oma_uri: PIN_RECOVERY.into(), other_profile: q.id }
    );
    assert_eq!(device_state(&p, &w, &[result(200, 1)], &[&same, &p]), DeviceProfileState::Succeeded);
    let mut counts = StatusCounts::default();
    for s in [DeviceProfileState::Succeeded, DeviceProfileState::Pending, DeviceProfileState::NotApplicable, DeviceProfileState::Pending] {
        counts.add(&s);
    }
    assert_eq!((counts.succeeded, counts.pending, counts.not_applicable, counts.error), (1, 2, 1, 0));
}

#[test]
fn tenant_id_placeholder_is_filled_in_any_case() {
    let dir = uuid::Uuid::parse_str("2b9c5ad0-8c44-4a4e-9f66-4b8e7f0a1c11").unwrap();
    assert_eq!(
        resolve_uri(PIN_RECOVERY, dir),
        "./Device/Vendor/MSFT/PassportForWork/2b9c5ad0-8c44-4a4e-9f66-4b8e7f0a1c11/Policies/EnablePinRecovery"
    );
    assert_eq!(resolve_uri("./A/{TENANTID}/b", dir), format!("./A/{dir}/b"));
    assert_eq!(resolve_uri("./No/Placeholder", dir), "./No/Placeholder");
}

#[test]
fn values_must_fit_their_type() {
    let s = |t, v: &str| OmaSetting { oma_uri: "./Device/X".into(), data_type: t, value: v.into(), platforms: vec![] };
    assert!(check_value(1, &s(OmaDataType::Boolean, "true")).is_ok());
    let err = check_value(1, &s(OmaDataType::Boolean, "yes")).unwrap_err().to_string();
    assert!(err.contains("./Device/X") && err.contains("Boolean"), "{err}");
    assert!(check_value(1, &s(OmaDataType::Integer, "42")).is_ok());
    assert!(check_value(1, &s(OmaDataType::Integer, "4.2")).is_err());
    assert!(check_value(1, &s(OmaDataType::Float, "4.2")).is_ok());
    assert!(check_value(1, &s(OmaDataType::Float, "NaN")).is_err());
    assert!(check_value(1, &s(OmaDataType::DateTime, "2026-11-23T08:00:00Z")).is_ok());
    assert!(check_value(1, &s(OmaDataType::DateTime, "tomorrow")).is_err());
    assert!(check_value(1, &s(OmaDataType::Base64, "aGVsbG8=")).is_ok());
    assert!(check_value(1, &s(OmaDataType::Base64, "***")).is_err());
    assert!(check_value(1, &s(OmaDataType::StringXml, "<a/>")).is_ok());
    assert!(check_value(1, &s(OmaDataType::StringXml, "plain")).is_err());
    assert!(check_value(1, &s(OmaDataType::String, "anything")).is_ok());
}

#[test]
fn malformed_uris_are_explained() {
    assert!(check_uri(1, PIN_RECOVERY).is_ok());
    for (bad, why) in [
        ("Device/X", "./"),
        ("./Device//X", "empty segment"),
        ("./Device/X/", "empty segment"),
        ("./Dev ice", "white space"),
        ("./", "empty segment"),
    ] {
        let err = check_uri(1, bad).unwrap_err().to_string();
        assert!(err.contains(why), "{bad}: {err}");
    }
    assert!(check_uri(1, &format!("./{}", "a".repeat(2000))).unwrap_err().to_string().contains("1024"));
}
