//! `serve --demo`: a tenant with people, groups and one device for every row of the capability
//! table, so every answer the product gives can be seen without a real fleet. Credentials go
//! to DATA/demo-credentials.json (0600); the store keeps only hashes.

use crate::auth::{hash_password, new_api_token};
use crate::state::AppState;
use anyhow::{Context, Result};
use pinreset_core::device::{JoinType, ManagementMode as M, OsVersion, Ownership, Platform};
use pinreset_core::{
    Device, DeviceGroup, DeviceGroupId, DeviceId, Role, Tenant, TenantId, TenantSettings, User, UserGroup, UserGroupId, UserId,
};
use rand::distributions::{Alphanumeric, DistString};
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const CREDENTIALS_FILE: &str = "demo-credentials.json";

#[derive(Serialize, Deserialize)]
pub struct DemoCredentials {
    pub admin_token: String,
    pub helpdesk_token: String,
    pub users: Vec<DemoUser>,
}

#[derive(Serialize, Deserialize)]
pub struct DemoUser {
    pub login: String,
    /// The address the user signs in with when enrolling a device.
    pub email: String,
    pub password: String,
}

struct DemoDevice {
    name: &'static str,
    platform: Platform,
    os: &'static str,
    build: Option<&'static str>,
    model: &'static str,
    mode: M,
    join: JoinType,
    ownership: Ownership,
    unlock_token: bool,
    reset_token: bool,
    /// The simulator (`pinreset sim`) that can be this device for real, if one exists.
    simulator: Option<&'static str>,
}

/// A row of the capability table a simulated device plays in the living demo: it enrolls as
/// `owner_login` (whose email and password are in the credentials file) under this name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimulatedDemoDevice {
    pub name: &'static str,
    pub owner_login: &'static str,
    /// `w10m`, `w10m1607`, `wp81`, `win11` (Windows), `iphone`, `shared-ipad`,
    /// `user-enrollment`, `mac` (Apple) or `android6-admin`, `android7-admin`, `android14`,
    /// `android14-work` (Android).
    pub simulator: &'static str,
    /// Android enrollment tokens carry it (Windows and Apple devices say it themselves).
    pub ownership: Ownership,
}

/// Who owns the demo's `i`-th device.
const OWNERS: [&str; 3] = ["alice", "bob", "carol"];

const fn dev(name: &'static str, platform: Platform, os: &'static str, model: &'static str, mode: M, ownership: Ownership) -> DemoDevice {
    DemoDevice {
        name,
        platform,
        os,
        build: None,
        model,
        mode,
        join: JoinType::NotJoined,
        ownership,
        unlock_token: false,
        reset_token: false,
        simulator: None,
    }
}

fn demo_devices() -> Vec<DemoDevice> {
    use Ownership::*;
    use Platform::*;
    vec![
        DemoDevice {
            build: Some("15063"),
            join: JoinType::AzureAdJoined,
            simulator: Some("w10m"),
            ..dev("Lumia 950 (W10M 1703, Azure AD joined)", WindowsMobile, "10.0.15063", "Lumia 950", M::Mdm, Corporate)
        },
        DemoDevice {
            build: Some("14393"),
            join: JoinType::AzureAdJoined,
            simulator: Some("w10m1607"),
            ..dev("Lumia 640 (W10M 1607)", WindowsMobile, "10.0.14393", "Lumia 640", M::Mdm, Corporate)
        },
        DemoDevice {
            build: Some("15063"),
            join: JoinType::AzureAdRegistered,
            ..dev("Lumia 650 (not Azure AD joined)", WindowsMobile, "10.0.15063", "Lumia 650", M::Mdm, Personal)
        },
        DemoDevice { simulator: Some("wp81"), ..dev("Lumia 635 (Windows Phone 8.1)", WindowsPhone, "8.1", "Lumia 635", M::Mdm, Corporate) },
        DemoDevice {
            unlock_token: true,
            simulator: Some("iphone"),
            ..dev("iPhone 15 (UnlockToken escrowed)", Ios, "17.4", "iPhone15,4", M::Mdm, Corporate)
        },
        dev("iPhone 12 (no UnlockToken)", Ios, "17.4", "iPhone13,2", M::Mdm, Corporate),
        DemoDevice {
            unlock_token: true,
            simulator: Some("user-enrollment"),
            ..dev("iPhone 14 (User Enrollment)", Ios, "17.4", "iPhone14,7", M::UserEnrollment, Personal)
        },
        DemoDevice { simulator: Some("shared-ipad"), ..dev("iPad (Shared iPad)", Ipados, "17.4", "iPad13,18", M::SharedIpad, Corporate) },
        DemoDevice {
            simulator: Some("android6-admin"),
            ..dev("Galaxy S5 (Android 6.0, device admin)", Android, "6.0.1", "SM-G900F", M::DeviceAdmin, Personal)
        },
        DemoDevice {
            simulator: Some("android7-admin"),
            ..dev("Pixel (Android 7.1, device admin)", Android, "7.1", "Pixel", M::DeviceAdmin, Personal)
        },
        DemoDevice {
            reset_token: true,
            simulator: Some("android14"),
            ..dev("Pixel 8 (Android 14, fully managed)", Android, "14", "Pixel 8", M::DeviceOwner, Corporate)
        },
        DemoDevice {
            reset_token: true,
            simulator: Some("android14-work"),
            ..dev("Pixel 8a (Android 14, work profile)", Android, "14", "Pixel 8a", M::WorkProfile, Personal)
        },
        DemoDevice { simulator: Some("mac"), ..dev("MacBook Pro (macOS 14)", Macos, "14.4", "Mac15,3", M::Mdm, Corporate) },
        DemoDevice {
            build: Some("22631"),
            join: JoinType::AzureAdJoined,
            simulator: Some("win11"),
            ..dev("Surface Laptop (Windows 11)", Windows, "10.0.22631", "Surface Laptop 5", M::Mdm, Corporate)
        },
    ]
}

/// The rows of the demo a simulator can play, with the user each enrolls as.
pub fn simulated_devices() -> Vec<SimulatedDemoDevice> {
    demo_devices()
        .into_iter()
        .enumerate()
        .filter_map(|(i, d)| {
            d.simulator.map(|simulator| SimulatedDemoDevice {
                name: d.name,
                owner_login: OWNERS[i % OWNERS.len()],
                simulator,
                ownership: d.ownership,
            })
        })
        .collect()
}

/// Seed the demo tenant once. A data dir that already has tenants is left alone (the
/// credentials file from the first run stays valid). With `simulated`, the rows a simulator
/// plays ([`simulated_devices`]) are left out: the living demo enrolls those devices for real.
pub async fn seed(state: &AppState, data_dir: &Path, simulated: bool) -> Result<()> {
    if !state.store.list_tenants().await?.is_empty() {
        tracing::info!("demo data already present; credentials are in {}", data_dir.join(CREDENTIALS_FILE).display());
        return Ok(());
    }
    let now = state.clock.now();
    let tenant = Tenant {
        id: TenantId::new(),
        directory_id: uuid::Uuid::new_v4(),
        display_name: "Contoso (demo)".into(),
        settings: TenantSettings { pin_reset_consented: true, ..TenantSettings::default() },
        sso: None,
        mail: None,
        android_enterprise: None,
    };
    state.store.create_tenant(&tenant).await?;

    let person = |login: &str, name: &str, role| User {
        id: UserId::new(),
        tenant_id: tenant.id,
        login: login.into(),
        display_name: name.into(),
        email: format!("{login}@contoso.example"),
        role,
    };
    let admin = person("admin", "Avery Admin", Role::TenantAdmin);
    let helpdesk = person("helpdesk", "Harper Helpdesk", Role::HelpDesk);
    let names = ["Alice Andersen", "Bob Barros", "Carol Chen"];
    let employees: Vec<User> = OWNERS.iter().zip(names).map(|(login, name)| person(login, name, Role::EndUser)).collect();

    let mut users = Vec::new();
    for u in [&admin, &helpdesk].into_iter().chain(employees.iter()) {
        let password = Alphanumeric.sample_string(&mut rand::rngs::OsRng, 16);
        state.store.create_user(u, Some(&hash_password(&password))).await?;
        users.push(DemoUser { login: u.login.clone(), email: u.email.clone(), password });
    }
    let (admin_token, admin_hash) = new_api_token();
    let (helpdesk_token, helpdesk_hash) = new_api_token();
    state.store.create_api_token(admin.id, &admin_hash, "demo admin", now).await?;
    state.store.create_api_token(helpdesk.id, &helpdesk_hash, "demo help desk", now).await?;

    state
        .store
        .create_user_group(&UserGroup {
            id: UserGroupId::new(),
            tenant_id: tenant.id,
            name: "All employees".into(),
            members: employees.iter().map(|u| u.id).collect(),
        })
        .await?;
    state
        .store
        .create_user_group(&UserGroup {
            id: UserGroupId::new(),
            tenant_id: tenant.id,
            name: "Sales".into(),
            members: vec![employees[0].id, employees[1].id],
        })
        .await?;

    let mut phones = Vec::new();
    let mut windows = Vec::new();
    for (i, d) in demo_devices().into_iter().enumerate() {
        let owner = &employees[i % employees.len()];
        if simulated && d.simulator.is_some() {
            continue;
        }
        let device = Device {
            id: DeviceId::new(),
            tenant_id: tenant.id,
            name: d.name.into(),
            platform: d.platform,
            os_version: OsVersion::parse(d.os).map_err(anyhow::Error::msg)?,
            os_build: d.build.map(Into::into),
            model: Some(d.model.into()),
            serial_number: Some(format!("DEMO{:06}", 100_000 + i)),
            udid: None,
            imei: None,
            ownership: d.ownership,
            management_mode: d.mode,
            join_type: d.join,
            primary_user_id: Some(owner.id),
            unlock_token_escrowed: d.unlock_token,
            reset_token: if d.reset_token { pinreset_core::ResetTokenState::Active } else { pinreset_core::ResetTokenState::None },
            enrolled_at: now,
            last_check_in: None,
            retired_at: None,
            inventoried_at: None,
            amapi_name: None,
        };
        if d.platform.is_windows_family() {
            windows.push(device.id);
        }
        if !matches!(d.platform, Platform::Windows | Platform::Macos) {
            phones.push(device.id);
        }
        state.store.upsert_device(&device).await?;
    }
    state
        .store
        .create_device_group(&DeviceGroup {
            id: DeviceGroupId::new(),
            tenant_id: tenant.id,
            name: "Phones and tablets".into(),
            members: phones,
        })
        .await?;
    state
        .store
        .create_device_group(&DeviceGroup {
            id: DeviceGroupId::new(),
            tenant_id: tenant.id,
            name: "Windows devices".into(),
            members: windows,
        })
        .await?;

    let creds = DemoCredentials { admin_token, helpdesk_token, users };
    let path = data_dir.join(CREDENTIALS_FILE);
    crate::tls::write_private(&path, &serde_json::to_string_pretty(&creds)?).with_context(|| format!("writing {}", path.display()))?;
    tracing::info!(credentials = %path.display(), "seeded the demo tenant");
    Ok(())
}
