//! One device of the fleet, whatever its platform: enrolled over its real protocol, checked in
//! on demand, and known by a key that names it in the tally.

use super::FleetSpec;
use crate::android::{AndroidDevice, AndroidProfile};
use crate::apple::{AppleDevice, AppleKind, Transport};
use crate::error::SimError;
use crate::windows::{WindowsDevice, WindowsProfile};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Apple,
    Windows,
    Android,
}

impl Kind {
    /// The kinds interleaved, so a fleet enrolls (and polls) its platforms side by side.
    pub(crate) fn mix(apple: usize, windows: usize, android: usize) -> Vec<Kind> {
        let total = apple + windows + android;
        let mut left = [(Kind::Apple, apple), (Kind::Windows, windows), (Kind::Android, android)];
        let mut out = Vec::with_capacity(total);
        while out.len() < total {
            for (kind, n) in left.iter_mut() {
                if *n > 0 {
                    *n -= 1;
                    out.push(*kind);
                }
            }
        }
        out
    }
}

pub enum Member {
    /// iPhones: TLS client identity, UnlockToken escrowed.
    Apple { key: String, device: Box<AppleDevice> },
    /// Windows 10 Mobile 1703, Azure AD joined: the client certificate in TLS.
    Windows { key: String, device: Box<WindowsDevice> },
    /// Android 14 fully managed agents.
    Android { key: String, device: Box<AndroidDevice> },
}

async fn admin_post(admin: &reqwest::Client, spec: &FleetSpec, path: &str, body: serde_json::Value) -> Result<reqwest::Response, SimError> {
    let token = spec.token.as_deref().ok_or_else(|| SimError::Enrollment(format!("{path} needs an admin API token")))?;
    let url = format!("{}/api/v1{path}", spec.server.trim_end_matches('/'));
    let response = admin.post(&url).bearer_auth(token).json(&body).send().await?;
    if !response.status().is_success() {
        let status = response.status().as_u16();
        return Err(SimError::HttpStatus { url, status, body: response.text().await.unwrap_or_default() });
    }
    Ok(response)
}

impl Member {
    pub(crate) async fn enroll(kind: Kind, n: usize, spec: &FleetSpec, admin: &reqwest::Client) -> Result<Member, SimError> {
        match kind {
            Kind::Apple => {
                let profile = admin_post(admin, spec, "/enrollment/apple/profiles", serde_json::json!({"login": spec.login})).await?;
                let profile = profile.bytes().await?;
                let mut device = AppleDevice::install(&profile, &spec.ca_pem, AppleKind::Iphone17, Transport::TlsClientCert)?;
                device.name = format!("Fleet iPhone {n}");
                device.enroll().await?;
                Ok(Member::Apple { key: format!("apple:{}", device.udid), device: Box::new(device) })
            }
            Kind::Windows => {
                let mut device = WindowsDevice::new_unenrolled(WindowsProfile::Windows10Mobile15063)?;
                device.set_device_name(&format!("Fleet Lumia {n}"));
                let mut device = device.enroll_now(&spec.server, &spec.ca_pem, &spec.windows_email, &spec.windows_password).await?;
                // A phone in use has a PIN (without one a remote lock is refused with 405).
                device.set_pin(Some(&format!("{:06}", n % 1_000_000)));
                Ok(Member::Windows { key: format!("windows:{}", device.device_id), device: Box::new(device) })
            }
            Kind::Android => {
                let token = admin_post(admin, spec, "/enrollment/android/tokens", serde_json::json!({"login": spec.login})).await?;
                let token: serde_json::Value = token.json().await?;
                let token = token["token"].as_str().ok_or_else(|| SimError::Enrollment("no token in the answer".into()))?.to_string();
                let mut device = AndroidDevice::new(AndroidProfile::Android14FullyManaged, &spec.server, &spec.ca_pem)?;
                device.enroll(&token, true).await?;
                Ok(Member::Android { key: format!("android:{n}"), device: Box::new(device) })
            }
        }
    }

    /// The device's name in the tally: platform and the identity it enrolled with.
    pub fn key(&self) -> &str {
        match self {
            Member::Apple { key, .. } | Member::Windows { key, .. } | Member::Android { key, .. } => key,
        }
    }

    /// What the server's device list finds the device by (`GET /devices?search=`, matched
    /// exactly against the name or UDID): the UDID, a Windows phone's name (unique in the
    /// fleet); None for the Android agent, which names itself by certificate.
    pub fn identifier(&self) -> Option<&str> {
        match self {
            Member::Apple { device, .. } => Some(&device.udid),
            Member::Windows { device, .. } => Some(device.device_name()),
            Member::Android { .. } => None,
        }
    }

    /// The APNs token the server pushes to (Apple only).
    pub fn push_token(&self) -> Option<String> {
        match self {
            Member::Apple { device, .. } => Some(device.push_token_hex()),
            _ => None,
        }
    }

    pub fn apple(&self) -> Option<&AppleDevice> {
        match self {
            Member::Apple { device, .. } => Some(device),
            _ => None,
        }
    }

    pub fn windows(&self) -> Option<&WindowsDevice> {
        match self {
            Member::Windows { device, .. } => Some(device),
            _ => None,
        }
    }

    /// One check-in (Apple: a connection to the command endpoint; Windows: a whole OMA-DM
    /// session; Android: a poll that does not wait): the commands received, by their keys.
    pub async fn check_in(&mut self) -> Result<Vec<String>, SimError> {
        match self {
            Member::Apple { device, .. } => Ok(device.poll().await?.into_iter().map(|a| a.uuid).collect()),
            Member::Windows { device, .. } => {
                let log = device.run_session().await?;
                Ok(log.executed.into_iter().map(|e| format!("{} {}", e.cmd, e.target.unwrap_or_default())).collect())
            }
            Member::Android { device, .. } => Ok(device.poll(0).await?.into_iter().map(|a| a.id).collect()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Kind;

    #[test]
    fn kinds_are_interleaved_and_counted() {
        let mix = Kind::mix(3, 1, 2);
        assert_eq!(mix, [Kind::Apple, Kind::Windows, Kind::Android, Kind::Apple, Kind::Android, Kind::Apple]);
        assert!(Kind::mix(0, 0, 0).is_empty());
    }
}
