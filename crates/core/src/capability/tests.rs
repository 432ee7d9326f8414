//! The seed's capability table, row by row.

use super::*;
use crate::device::{OsVersion, Ownership};
use crate::ids::{DeviceId, TenantId, UserId};
use chrono::Utc;

struct Case {
    what: &'static str,
    platform: Platform,
    os: &'static str,
    build: Option<&'static str>,
    mode: ManagementMode,
    join: JoinType,
    unlock_token: bool,
    reset_token: bool,
    expect: Result<SupportKind, ErrorCode>,
}

const fn case(
    what: &'static str,
    platform: Platform,
    os: &'static str,
    mode: ManagementMode,
    expect: Result<SupportKind, ErrorCode>,
) -> Case {
    Case { what, platform, os, build: None, mode, join: JoinType::NotJoined, unlock_token: false, reset_token: false, expect }
}

fn device(c: &Case, owner: UserId, ownership: Ownership) -> Device {
    Device {
        id: DeviceId::new(),
        tenant_id: TenantId::new(),
        name: c.what.into(),
        platform: c.platform,
        os_version: OsVersion::parse(c.os).unwrap(),
        os_build: c.build.map(Into::into),
        model: None,
        serial_number: None,
        udid: None,
        imei: None,
        ownership,
        management_mode: c.mode,
        join_type: c.join,
        primary_user_id: Some(owner),
        unlock_token_escrowed: c.unlock_token,
        reset_token: if c.reset_token { crate::ResetTokenState::Active } else { crate::ResetTokenState::None },
        enrolled_at: Utc::now(),
        last_check_in: None,
        retired_at: None,
        inventoried_at: None,
        amapi_name: None,
    }
}

/// A channel that carries everything everywhere: these tests are about what platforms allow.
const EVERY: &[ChannelDeclaration] = &[ChannelDeclaration {
    name: "every",
    platforms: &Platform::ALL,
    carries: &[
        SupportKind::ClearOnly,
        SupportKind::TempAlphanumeric { scope: PasscodeScope::Device },
        SupportKind::TempAlphanumeric { scope: PasscodeScope::WorkProfile },
        SupportKind::TempNumeric,
        SupportKind::RecoverAtLockScreen,
        SupportKind::Lock,
        SupportKind::LockWithPin,
        SupportKind::Wipe,
        SupportKind::WipeWithPin,
        SupportKind::Retire,
        SupportKind::Rename,
    ],
    refusals: &[],
}];

fn actor(role: Role) -> Actor {
    Actor {
        tenant_id: TenantId::new(),
        user_id: UserId::new(),
        role,
        login: "t".into(),
        authenticated_at: None,
        session_id: None,
        client: None,
    }
}

fn onboarded() -> TenantSettings {
    TenantSettings { pin_reset_consented: true, ..TenantSettings::default() }
}

fn table() -> Vec<Case> {
    use JoinType::*;
    use ManagementMode::*;
    use Platform::*;
    let alnum = Ok(SupportKind::TempAlphanumeric { scope: PasscodeScope::Device });
    vec![
        Case {
            build: Some("15063"),
            join: AzureAdJoined,
            ..case("W10M Creators Update, AAD joined", WindowsMobile, "10.0.15063", Mdm, alnum)
        },
        Case {
            build: Some("16299"),
            join: AzureAdJoined,
            ..case("W10M Fall Creators, AAD joined", WindowsMobile, "10.0.16299", Mdm, alnum)
        },
        Case {
            build: Some("14393"),
            join: AzureAdJoined,
            ..case("W10M Anniversary Update", WindowsMobile, "10.0.14393", Mdm, Err(ErrorCode::WindowsMobileTooOld))
        },
        Case {
            build: Some("15063"),
            join: AzureAdRegistered,
            ..case("W10M not AAD joined", WindowsMobile, "10.0.15063", Mdm, Err(ErrorCode::WindowsNotAadJoined))
        },
        case("Windows Phone 8.1", WindowsPhone, "8.1", Mdm, Ok(SupportKind::TempNumeric)),
        Case { unlock_token: true, ..case("iPhone with UnlockToken", Ios, "17.4", Mdm, Ok(SupportKind::ClearOnly)) },
        Case { unlock_token: true, ..case("iPad with UnlockToken", Ipados, "17.4", Mdm, Ok(SupportKind::ClearOnly)) },
        case("iPhone without UnlockToken", Ios, "17.4", Mdm, Err(ErrorCode::IosNoUnlockToken)),
        Case { unlock_token: true, ..case("iPhone User Enrollment", Ios, "17.4", UserEnrollment, Err(ErrorCode::IosUserEnrollment)) },
        Case { unlock_token: true, ..case("Shared iPad", Ipados, "17.4", SharedIpad, Err(ErrorCode::IosSharedIpad)) },
        case("Android 6.0 device admin", Android, "6.0.1", DeviceAdmin, alnum),
        case("Android 5.1 device admin", Android, "5.1", DeviceAdmin, alnum),
        case("Android 7.0 device admin", Android, "7.0", DeviceAdmin, Err(ErrorCode::AndroidDeviceAdminUnsupported)),
        case("Android 13 device admin", Android, "13", DeviceAdmin, Err(ErrorCode::AndroidDeviceAdminUnsupported)),
        Case { reset_token: true, ..case("Android 8 device owner, token", Android, "8.0", DeviceOwner, alnum) },
        Case {
            reset_token: true,
            ..case(
                "Android 14 work profile, token",
                Android,
                "14",
                WorkProfile,
                Ok(SupportKind::TempAlphanumeric { scope: PasscodeScope::WorkProfile }),
            )
        },
        case("Android 14 work profile, no token", Android, "14", WorkProfile, Err(ErrorCode::AndroidNoResetToken)),
        Case { reset_token: true, ..case("Android 7.1 device owner", Android, "7.1", DeviceOwner, Err(ErrorCode::AndroidUnsupportedMode)) },
        case("macOS 14", Macos, "14.4", Mdm, Err(ErrorCode::MacosUnsupported)),
        Case { join: AzureAdJoined, ..case("Windows 11 desktop", Windows, "10.0.22631", Mdm, Err(ErrorCode::WindowsDesktopUnsupported)) },
    ]
}

#[test]
fn reset_passcode_table_for_an_admin_of_an_onboarded_tenant() {
    let admin = actor(Role::TenantAdmin);
    let tenant = onboarded();
    let ctx = CapabilityContext { actor: &admin, tenant: &tenant, channels: EVERY };
    for c in table() {
        let d = device(&c, admin.user_id, Ownership::Corporate);
        let got = capability(&d, ActionKind::ResetPasscode, &ctx);
        let got = got.kind().ok_or_else(|| got.refusal().unwrap());
        assert_eq!(got, c.expect, "{}", c.what);
    }
}

#[test]
fn refusals_carry_reason_and_remedy_from_the_catalogue() {
    let admin = actor(Role::TenantAdmin);
    let tenant = onboarded();
    let ctx = CapabilityContext { actor: &admin, tenant: &tenant, channels: EVERY };
    let c = case(
        "Android 7.0 device admin",
        Platform::Android,
        "7.0",
        ManagementMode::DeviceAdmin,
        Err(ErrorCode::AndroidDeviceAdminUnsupported),
    );
    match capability(&device(&c, admin.user_id, Ownership::Personal), ActionKind::ResetPasscode, &ctx) {
        Capability::Unsupported { remedy, reason, .. } => {
            assert!(remedy.contains("factory reset"), "{remedy}");
            assert!(reason.contains("Android 7.0"), "{reason}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn windows_reset_is_refused_until_the_tenant_consents() {
    let admin = actor(Role::TenantAdmin);
    let not_onboarded = TenantSettings::default();
    let ctx = CapabilityContext { actor: &admin, tenant: &not_onboarded, channels: EVERY };
    let w10m = Case {
        build: Some("15063"),
        join: JoinType::AzureAdJoined,
        ..case("w10m", Platform::WindowsMobile, "10.0.15063", ManagementMode::Mdm, Err(ErrorCode::TenantNotOnboarded))
    };
    let d = device(&w10m, admin.user_id, Ownership::Corporate);
    assert_eq!(capability(&d, ActionKind::ResetPasscode, &ctx).refusal(), Some(ErrorCode::TenantNotOnboarded));
    // Consent concerns the Windows PIN reset service only; iOS is unaffected.
    let ios = Case { unlock_token: true, ..case("ios", Platform::Ios, "17", ManagementMode::Mdm, Ok(SupportKind::ClearOnly)) };
    assert!(capability(&device(&ios, admin.user_id, Ownership::Corporate), ActionKind::ResetPasscode, &ctx).is_supported());
    // A device the platform refuses anyway is refused for its own reason, not for consent.
    let desktop = case("w11", Platform::Windows, "10.0.22631", ManagementMode::Mdm, Err(ErrorCode::WindowsDesktopUnsupported));
    assert_eq!(
        capability(&device(&desktop, admin.user_id, Ownership::Corporate), ActionKind::ResetPasscode, &ctx).refusal(),
        Some(ErrorCode::WindowsDesktopUnsupported)
    );
}

#[test]
fn end_users_act_only_on_their_own_personal_devices() {
    let user = actor(Role::EndUser);
    let tenant = onboarded();
    let ctx = CapabilityContext { actor: &user, tenant: &tenant, channels: EVERY };
    let c = case(
        "Android 6",
        Platform::Android,
        "6.0",
        ManagementMode::DeviceAdmin,
        Ok(SupportKind::TempAlphanumeric { scope: PasscodeScope::Device }),
    );
    assert!(capability(&device(&c, user.user_id, Ownership::Personal), ActionKind::ResetPasscode, &ctx).is_supported());
    match capability(&device(&c, user.user_id, Ownership::Corporate), ActionKind::ResetPasscode, &ctx) {
        Capability::Unsupported { code, remedy, .. } => {
            assert_eq!(code, ErrorCode::CorporateDeviceSelfService);
            assert!(remedy.to_lowercase().contains("contact support"), "{remedy}");
        }
        other => panic!("{other:?}"),
    }
    let someone_else = UserId::new();
    assert_eq!(
        capability(&device(&c, someone_else, Ownership::Personal), ActionKind::ResetPasscode, &ctx).refusal(),
        Some(ErrorCode::NotDeviceOwner)
    );
}

#[test]
fn roles_limit_actions_before_the_device_is_considered() {
    let tenant = onboarded();
    let c = case("Android 6", Platform::Android, "6.0", ManagementMode::DeviceAdmin, Ok(SupportKind::Wipe));
    let helpdesk = actor(Role::HelpDesk);
    let ctx = CapabilityContext { actor: &helpdesk, tenant: &tenant, channels: EVERY };
    let d = device(&c, UserId::new(), Ownership::Corporate);
    assert!(capability(&d, ActionKind::ResetPasscode, &ctx).is_supported());
    assert_eq!(capability(&d, ActionKind::ResetDevice, &ctx).refusal(), Some(ErrorCode::RoleForbidden));
    assert_eq!(capability(&d, ActionKind::Remove, &ctx).refusal(), Some(ErrorCode::RoleForbidden));
    let ro = actor(Role::ReadOnly);
    let ctx = CapabilityContext { actor: &ro, tenant: &tenant, channels: EVERY };
    assert_eq!(capability(&d, ActionKind::RemoteLock, &ctx).refusal(), Some(ErrorCode::RoleForbidden));
}

#[test]
fn other_actions_follow_their_rows() {
    let admin = actor(Role::TenantAdmin);
    let tenant = onboarded();
    let ctx = CapabilityContext { actor: &admin, tenant: &tenant, channels: EVERY };
    let mac = case("mac", Platform::Macos, "14", ManagementMode::Mdm, Ok(SupportKind::LockWithPin));
    let d = device(&mac, admin.user_id, Ownership::Corporate);
    assert_eq!(capability(&d, ActionKind::RemoteLock, &ctx).kind(), Some(SupportKind::LockWithPin));
    assert_eq!(capability(&d, ActionKind::ResetDevice, &ctx).kind(), Some(SupportKind::WipeWithPin));
    let wp = case("wp", Platform::Android, "14", ManagementMode::WorkProfile, Ok(SupportKind::Retire));
    let d = device(&wp, admin.user_id, Ownership::Personal);
    assert_eq!(capability(&d, ActionKind::ResetDevice, &ctx).refusal(), Some(ErrorCode::WorkProfileNoWipe));
    assert_eq!(capability(&d, ActionKind::Remove, &ctx).kind(), Some(SupportKind::Retire));
    let desktop = case("w11", Platform::Windows, "10.0.22631", ManagementMode::Mdm, Ok(SupportKind::Wipe));
    let mut d = device(&desktop, admin.user_id, Ownership::Corporate);
    assert_eq!(capability(&d, ActionKind::RemoteLock, &ctx).refusal(), Some(ErrorCode::WindowsDesktopNoRemoteLock));
    d.retired_at = Some(Utc::now());
    assert_eq!(capability(&d, ActionKind::Rename, &ctx).refusal(), Some(ErrorCode::DeviceRetired));
}

#[test]
fn capability_serializes_for_the_api() {
    let admin = actor(Role::TenantAdmin);
    let tenant = onboarded();
    let ctx = CapabilityContext { actor: &admin, tenant: &tenant, channels: EVERY };
    let c = case("Android 7.0 device admin", Platform::Android, "7.0", ManagementMode::DeviceAdmin, Ok(SupportKind::Wipe));
    let d = device(&c, admin.user_id, Ownership::Corporate);
    let v = serde_json::to_value(capability(&d, ActionKind::ResetPasscode, &ctx)).unwrap();
    assert_eq!(v["status"], "unsupported");
    assert_eq!(v["code"], "android_device_admin_unsupported");
    let v = serde_json::to_value(capability(&d, ActionKind::ResetDevice, &ctx)).unwrap();
    assert_eq!(v, serde_json::json!({"status": "supported", "kind": "wipe"}));
}

#[test]
fn what_the_platform_allows_but_no_channel_encodes_is_refused_up_front() {
    let admin = actor(Role::TenantAdmin);
    let tenant = onboarded();
    let apple_only: &[ChannelDeclaration] = &[ChannelDeclaration {
        name: "apple",
        platforms: &[Platform::Ios, Platform::Ipados, Platform::Macos],
        carries: &[SupportKind::ClearOnly, SupportKind::Lock, SupportKind::Retire],
        refusals: &[(SupportKind::Rename, ErrorCode::AppleRenameUnsupported)],
    }];
    let ctx = CapabilityContext { actor: &admin, tenant: &tenant, channels: apple_only };
    let ios = Case { unlock_token: true, ..case("ios", Platform::Ios, "17", ManagementMode::Mdm, Ok(SupportKind::ClearOnly)) };
    let d = device(&ios, admin.user_id, Ownership::Corporate);
    assert_eq!(capability(&d, ActionKind::ResetPasscode, &ctx).kind(), Some(SupportKind::ClearOnly));
    assert_eq!(capability(&d, ActionKind::Remove, &ctx).kind(), Some(SupportKind::Retire));
    match capability(&d, ActionKind::Rename, &ctx) {
        Capability::Unsupported { code, reason, remedy } => {
            assert_eq!(code, ErrorCode::AppleRenameUnsupported);
            assert!(reason.contains("Settings command"), "{reason}");
            assert!(remedy.contains("on the device"), "{remedy}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(capability(&d, ActionKind::ResetDevice, &ctx).refusal(), Some(ErrorCode::ChannelCannotDeliver));
    // A platform no channel serves gets nothing, whatever its rows allow.
    let phone = case("wp", Platform::WindowsPhone, "8.1", ManagementMode::Mdm, Ok(SupportKind::TempNumeric));
    let d = device(&phone, admin.user_id, Ownership::Corporate);
    assert_eq!(capability(&d, ActionKind::RemoteLock, &ctx).refusal(), Some(ErrorCode::ChannelCannotDeliver));
    // Who asks still comes first: a role that may not act hears that, not the channel's reason.
    let ro = actor(Role::ReadOnly);
    let ctx = CapabilityContext { actor: &ro, tenant: &tenant, channels: apple_only };
    assert_eq!(
        capability(&device(&ios, ro.user_id, Ownership::Corporate), ActionKind::Rename, &ctx).refusal(),
        Some(ErrorCode::RoleForbidden)
    );
}

#[test]
fn end_users_are_refused_the_self_service_actions_the_tenant_turned_off() {
    let user = actor(Role::EndUser);
    let admin = actor(Role::TenantAdmin);
    let tenant = TenantSettings { self_service_actions: vec![ActionKind::ResetPasscode], ..onboarded() };
    let c = case(
        "Android 6",
        Platform::Android,
        "6.0",
        ManagementMode::DeviceAdmin,
        Ok(SupportKind::TempAlphanumeric { scope: PasscodeScope::Device }),
    );
    let d = device(&c, user.user_id, Ownership::Personal);
    let as_user = CapabilityContext { actor: &user, tenant: &tenant, channels: EVERY };
    assert!(capability(&d, ActionKind::ResetPasscode, &as_user).is_supported(), "still offered");
    assert_eq!(capability(&d, ActionKind::RemoteLock, &as_user).refusal(), Some(ErrorCode::SelfServiceActionOff));
    // The tenant's admins are not limited by what the portal offers.
    let as_admin = CapabilityContext { actor: &admin, tenant: &tenant, channels: EVERY };
    assert!(capability(&d, ActionKind::RemoteLock, &as_admin).is_supported());
    // Every action is offered by default, and older stored settings read that way too.
    assert_eq!(TenantSettings::default().self_service_actions, ActionKind::ALL.to_vec());
    let mut old = serde_json::to_value(TenantSettings::default()).unwrap();
    old.as_object_mut().unwrap().remove("self_service_actions");
    old.as_object_mut().unwrap().remove("support_contact");
    let read: TenantSettings = serde_json::from_value(old).unwrap();
    assert_eq!(read.self_service_actions, ActionKind::ALL.to_vec());
}

#[test]
fn the_support_contact_is_validated() {
    use crate::tenant::SupportContact;
    let ok = SupportContact {
        name: "Contoso IT".into(),
        phone: "+46 (8) 123-456".into(),
        email: "help@contoso.example".into(),
        web_page: "https://help.contoso.example/pinreset".into(),
    };
    assert!(ok.validate().is_ok());
    assert!(SupportContact::default().validate().is_ok(), "everything may be empty");
    let bad = |c: SupportContact| c.validate().unwrap_err().code;
    use crate::detail::DetailCode;
    assert_eq!(bad(SupportContact { web_page: "http://help.contoso.example".into(), ..ok.clone() }), DetailCode::FieldNotHttps);
    assert_eq!(bad(SupportContact { web_page: "https://".into(), ..ok.clone() }), DetailCode::FieldNotHttps);
    assert_eq!(bad(SupportContact { email: "help".into(), ..ok.clone() }), DetailCode::FieldNotEmail);
    assert_eq!(bad(SupportContact { phone: "call us".into(), ..ok.clone() }), DetailCode::FieldUnknownValue);
    assert_eq!(bad(SupportContact { name: "x".repeat(101), ..ok.clone() }), DetailCode::FieldTooLong);
    assert_eq!(bad(SupportContact { name: "IT\u{202E}".into(), ..ok }), DetailCode::FieldHasControl);
}

#[test]
fn android_needs_an_active_reset_token_not_just_an_escrowed_one() {
    let admin = actor(Role::TenantAdmin);
    let tenant = onboarded();
    let ctx = CapabilityContext { actor: &admin, tenant: &tenant, channels: EVERY };
    for mode in [ManagementMode::DeviceOwner, ManagementMode::WorkProfile] {
        let mut d = device(&case("Android 14", Platform::Android, "14", mode, Ok(SupportKind::Lock)), UserId::new(), Ownership::Corporate);
        for (state, ok) in
            [(crate::ResetTokenState::None, false), (crate::ResetTokenState::Inactive, false), (crate::ResetTokenState::Active, true)]
        {
            d.reset_token = state;
            let answer = capability(&d, ActionKind::ResetPasscode, &ctx);
            assert_eq!(answer.is_supported(), ok, "{mode:?} {state:?}");
            if !ok {
                assert_eq!(answer.refusal(), Some(ErrorCode::AndroidNoResetToken), "{mode:?} {state:?}");
            }
        }
    }
    // Android 6 device admins set a passcode without any token.
    let d = device(
        &case("Android 6", Platform::Android, "6.0", ManagementMode::DeviceAdmin, Ok(SupportKind::Lock)),
        UserId::new(),
        Ownership::Corporate,
    );
    assert!(capability(&d, ActionKind::ResetPasscode, &ctx).is_supported());
}
