//! The enrollment profile (`.mobileconfig`): a Configuration profile holding the device
//! identity (`com.apple.security.pkcs12`) and the `com.apple.mdm` payload that points at it
//! (`mdm/profiles/com.apple.mdm.yaml`). Unsigned: signing is the server's job. UUIDs are handed
//! in, so the same inputs always give the same bytes.

use crate::limits::{dictionary, DecodeError, Fields, Limits, PlistType};
use crate::write::{to_xml, DictBuilder};
use plist::{Dictionary, Value};
use std::fmt;
use std::ops::BitOr;
use uuid::Uuid;

/// The `AccessRights` bit mask of the MDM payload.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct AccessRights(u32);

impl AccessRights {
    pub const PROFILE_INSPECTION: Self = Self(1);
    pub const PROFILE_INSTALLATION: Self = Self(2);
    /// DeviceLock and ClearPasscode.
    pub const DEVICE_LOCK_AND_PASSCODE_REMOVAL: Self = Self(4);
    pub const DEVICE_ERASE: Self = Self(8);
    /// DeviceInformation.
    pub const DEVICE_INFORMATION: Self = Self(16);
    pub const NETWORK_INFORMATION: Self = Self(32);
    pub const PROVISIONING_PROFILE_INSPECTION: Self = Self(64);
    pub const PROVISIONING_PROFILE_INSTALLATION: Self = Self(128);
    pub const APP_INSPECTION: Self = Self(256);
    pub const RESTRICTION_QUERIES: Self = Self(512);
    /// SecurityInfo: how a reset is verified.
    pub const SECURITY_QUERIES: Self = Self(1024);
    pub const SETTINGS: Self = Self(2048);
    pub const APP_MANAGEMENT: Self = Self(4096);

    /// What pinreset needs: reset (4), lock (4), erase (8), device information (16) and the
    /// SecurityInfo check that a reset worked (1024). Removing our own profile needs no right.
    pub const PINRESET: Self = Self(1024 | 16 | 8 | 4);

    const ALL: u32 = 8191;

    /// A mask the device will accept: not 0, only known bits, 1 with 2, 64 with 128.
    pub fn from_bits(bits: u32) -> Result<Self, ProfileError> {
        let ok = bits != 0 && bits & !Self::ALL == 0 && (bits & 2 == 0 || bits & 1 != 0) && (bits & 128 == 0 || bits & 64 != 0);
        if ok {
            Ok(Self(bits))
        } else {
            Err(ProfileError::InvalidAccessRights(bits))
        }
    }

    pub const fn bits(self) -> u32 {
        self.0
    }

    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }
}

impl BitOr for AccessRights {
    type Output = Self;
    fn bitor(self, rhs: Self) -> Self {
        Self(self.0 | rhs.0)
    }
}

impl fmt::Debug for AccessRights {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AccessRights({})", self.0)
    }
}

/// `ServerCapabilities` values (the schema's rangelist).
pub const CAPABILITY_PER_USER_CONNECTIONS: &str = "com.apple.mdm.per-user-connections";
pub const CAPABILITY_BOOTSTRAP_TOKEN: &str = "com.apple.mdm.bootstraptoken";
pub const CAPABILITY_TOKEN: &str = "com.apple.mdm.token";

#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum ProfileError {
    #[error("AccessRights {0} is not a mask a device accepts (not 0, only bits up to 4096, 1 with 2, 64 with 128)")]
    InvalidAccessRights(u32),
    #[error("{0} must be an https:// URL")]
    NotHttps(&'static str),
    #[error("the push topic must start with com.apple.mgmt.")]
    InvalidTopic,
    #[error("the profile identifier is empty")]
    EmptyIdentifier,
    #[error("the identity payload holds no PKCS#12 data")]
    EmptyIdentity,
    #[error("{0:?} is not a server capability the schema allows")]
    UnknownCapability(String),
}

/// The `com.apple.mdm` payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MdmPayload {
    pub payload_uuid: Uuid,
    /// The command endpoint (`…/mdm/apple/connect`).
    pub server_url: String,
    /// The check-in endpoint (`…/mdm/apple/checkin`); ServerURL is used when absent.
    pub check_in_url: Option<String>,
    /// APNs topic of the push certificate, `com.apple.mgmt.…`.
    pub topic: String,
    pub access_rights: AccessRights,
    /// Ask the device to sign each message (Mdm-Signature header).
    pub sign_message: bool,
    /// Send CheckOut when the profile is removed, so the server learns of it.
    pub check_out_when_removed: bool,
    pub use_development_apns: bool,
    pub server_capabilities: Vec<String>,
}

/// The `com.apple.security.pkcs12` payload: the identity the device authenticates with.
#[derive(Clone, PartialEq, Eq)]
pub struct IdentityPayload {
    pub payload_uuid: Uuid,
    pub display_name: String,
    /// PKCS#12 bytes (certificate and private key).
    pub pkcs12: Vec<u8>,
    /// Password of the PKCS#12, if it has one.
    pub password: Option<String>,
}

impl fmt::Debug for IdentityPayload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A private key and its password: lengths only.
        f.debug_struct("IdentityPayload")
            .field("payload_uuid", &self.payload_uuid)
            .field("display_name", &self.display_name)
            .field("pkcs12_len", &self.pkcs12.len())
            .field("has_password", &self.password.is_some())
            .finish()
    }
}

/// The UUIDs a profile needs, from the caller (this crate has no RNG).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProfileUuids {
    pub profile: Uuid,
    pub mdm: Uuid,
    pub identity: Uuid,
}

/// A Configuration profile with an identity and an MDM payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnrollmentProfile {
    /// PayloadIdentifier of the profile; RemoveProfile with it unenrolls the device. The inner
    /// payloads are `<identifier>.mdm` and `<identifier>.identity`.
    pub identifier: String,
    pub payload_uuid: Uuid,
    pub display_name: String,
    pub organization: Option<String>,
    pub description: Option<String>,
    pub mdm: MdmPayload,
    pub identity: IdentityPayload,
}

const PKCS12: &str = "com.apple.security.pkcs12";
const MDM: &str = "com.apple.mdm";

impl EnrollmentProfile {
    /// A profile with pinreset's defaults: [`AccessRights::PINRESET`], CheckOutWhenRemoved,
    /// production APNs, unsigned messages.
    pub fn new(
        identifier: impl Into<String>,
        uuids: ProfileUuids,
        server_url: impl Into<String>,
        check_in_url: impl Into<String>,
        topic: impl Into<String>,
        pkcs12: Vec<u8>,
        password: Option<String>,
    ) -> Self {
        EnrollmentProfile {
            identifier: identifier.into(),
            payload_uuid: uuids.profile,
            display_name: "Device management".into(),
            organization: None,
            description: None,
            mdm: MdmPayload {
                payload_uuid: uuids.mdm,
                server_url: server_url.into(),
                check_in_url: Some(check_in_url.into()),
                topic: topic.into(),
                access_rights: AccessRights::PINRESET,
                sign_message: false,
                check_out_when_removed: true,
                use_development_apns: false,
                server_capabilities: Vec::new(),
            },
            identity: IdentityPayload { payload_uuid: uuids.identity, display_name: "Device identity".into(), pkcs12, password },
        }
    }

    /// What the device would refuse, caught here.
    pub fn validate(&self) -> Result<(), ProfileError> {
        if self.identifier.is_empty() {
            return Err(ProfileError::EmptyIdentifier);
        }
        if !self.mdm.server_url.starts_with("https://") {
            return Err(ProfileError::NotHttps("ServerURL"));
        }
        if self.mdm.check_in_url.as_deref().is_some_and(|u| !u.starts_with("https://")) {
            return Err(ProfileError::NotHttps("CheckInURL"));
        }
        if !self.mdm.topic.starts_with("com.apple.mgmt.") {
            return Err(ProfileError::InvalidTopic);
        }
        AccessRights::from_bits(self.mdm.access_rights.bits())?;
        if self.identity.pkcs12.is_empty() {
            return Err(ProfileError::EmptyIdentity);
        }
        let known = [CAPABILITY_PER_USER_CONNECTIONS, CAPABILITY_BOOTSTRAP_TOKEN, CAPABILITY_TOKEN];
        if let Some(c) = self.mdm.server_capabilities.iter().find(|c| !known.contains(&c.as_str())) {
            return Err(ProfileError::UnknownCapability(c.clone()));
        }
        Ok(())
    }

    /// The `com.apple.mdm` payload dictionary (common Payload* keys included).
    pub fn mdm_payload(&self) -> Dictionary {
        let m = &self.mdm;
        let mut b = payload_header(MDM, &format!("{}.mdm", self.identifier), m.payload_uuid, "Device management")
            .string("IdentityCertificateUUID", upper(self.identity.payload_uuid))
            .string("Topic", &m.topic)
            .string("ServerURL", &m.server_url)
            .opt_string("CheckInURL", m.check_in_url.as_deref())
            .boolean("SignMessage", m.sign_message)
            .integer("AccessRights", i64::from(m.access_rights.bits()))
            .boolean("CheckOutWhenRemoved", m.check_out_when_removed)
            .boolean("UseDevelopmentAPNS", m.use_development_apns);
        if !m.server_capabilities.is_empty() {
            b = b.value("ServerCapabilities", Value::Array(m.server_capabilities.iter().cloned().map(Value::String).collect()));
        }
        b.build()
    }

    fn identity_payload(&self) -> Dictionary {
        let i = &self.identity;
        payload_header(PKCS12, &format!("{}.identity", self.identifier), i.payload_uuid, &i.display_name)
            .data("PayloadContent", &i.pkcs12)
            .opt_string("Password", i.password.as_deref())
            .build()
    }

    /// The whole profile dictionary.
    pub fn to_dictionary(&self) -> Dictionary {
        DictBuilder::new()
            .string("PayloadType", "Configuration")
            .integer("PayloadVersion", 1)
            .string("PayloadIdentifier", &self.identifier)
            .string("PayloadUUID", upper(self.payload_uuid))
            .string("PayloadDisplayName", &self.display_name)
            .opt_string("PayloadOrganization", self.organization.as_deref())
            .opt_string("PayloadDescription", self.description.as_deref())
            // The identity comes first: the MDM payload refers to it.
            .value("PayloadContent", Value::Array(vec![Value::Dictionary(self.identity_payload()), Value::Dictionary(self.mdm_payload())]))
            .build()
    }

    /// The unsigned `.mobileconfig` (XML plist), after [`EnrollmentProfile::validate`].
    pub fn encode(&self) -> Result<Vec<u8>, ProfileError> {
        self.validate()?;
        Ok(to_xml(Value::Dictionary(self.to_dictionary())))
    }

    /// Read an unsigned profile as a device would install it. A signed (CMS) profile is not a
    /// plist and is refused as `NotPlist`: unwrap the signature first.
    pub fn decode(body: &[u8], limits: &Limits) -> Result<Self, DecodeError> {
        let d = dictionary(body, limits)?;
        let f = Fields(&d);
        if f.required_string("PayloadType")? != "Configuration" {
            return Err(DecodeError::InvalidValue { key: "PayloadType", reason: "a profile's PayloadType is Configuration" });
        }
        let content = f.array("PayloadContent")?.ok_or(DecodeError::MissingKey("PayloadContent"))?;
        let mut payloads = Vec::new();
        for v in content {
            payloads.push(v.as_dictionary().ok_or(DecodeError::WrongType {
                key: "PayloadContent",
                expected: PlistType::Dictionary,
                found: PlistType::of(v),
            })?);
        }
        let of_type =
            |t: &'static str| payloads.iter().copied().filter(move |p| p.get("PayloadType").and_then(Value::as_string) == Some(t));
        let mut mdms = of_type(MDM);
        let mdm = mdms.next().ok_or(DecodeError::MissingKey("com.apple.mdm"))?;
        if mdms.next().is_some() {
            return Err(DecodeError::InvalidValue { key: "PayloadContent", reason: "a profile holds one com.apple.mdm payload" });
        }
        let m = Fields(mdm);
        let identity_uuid = uuid(&m, "IdentityCertificateUUID")?;
        let identity = of_type(PKCS12)
            .find(|p| Fields(p).string("PayloadUUID").ok().flatten().and_then(|u| Uuid::parse_str(&u).ok()) == Some(identity_uuid))
            .ok_or(DecodeError::InvalidValue { key: "IdentityCertificateUUID", reason: "names no PKCS#12 payload of this profile" })?;
        let i = Fields(identity);
        let bits = m.integer("AccessRights")?.ok_or(DecodeError::MissingKey("AccessRights"))?;
        let access_rights = u32::try_from(bits)
            .ok()
            .and_then(|b| AccessRights::from_bits(b).ok())
            .ok_or(DecodeError::InvalidValue { key: "AccessRights", reason: "not a mask a device accepts" })?;
        Ok(EnrollmentProfile {
            identifier: f.required_string("PayloadIdentifier")?,
            payload_uuid: uuid(&f, "PayloadUUID")?,
            display_name: f.string("PayloadDisplayName")?.unwrap_or_default(),
            organization: f.string("PayloadOrganization")?,
            description: f.string("PayloadDescription")?,
            mdm: MdmPayload {
                payload_uuid: uuid(&m, "PayloadUUID")?,
                server_url: m.required_string("ServerURL")?,
                check_in_url: m.string("CheckInURL")?,
                topic: m.required_string("Topic")?,
                access_rights,
                sign_message: m.boolean("SignMessage")?.unwrap_or(false),
                check_out_when_removed: m.boolean("CheckOutWhenRemoved")?.unwrap_or(false),
                use_development_apns: m.boolean("UseDevelopmentAPNS")?.unwrap_or(false),
                server_capabilities: m.strings("ServerCapabilities")?.unwrap_or_default(),
            },
            identity: IdentityPayload {
                payload_uuid: identity_uuid,
                display_name: i.string("PayloadDisplayName")?.unwrap_or_default(),
                pkcs12: i.data("PayloadContent")?.ok_or(DecodeError::MissingKey("PayloadContent"))?,
                password: i.string("Password")?,
            },
        })
    }
}

fn payload_header(payload_type: &str, identifier: &str, uuid: Uuid, display_name: &str) -> DictBuilder {
    DictBuilder::new()
        .string("PayloadType", payload_type)
        .integer("PayloadVersion", 1)
        .string("PayloadIdentifier", identifier)
        .string("PayloadUUID", upper(uuid))
        .string("PayloadDisplayName", display_name)
}

/// Apple's own profiles write UUIDs in upper case.
fn upper(u: Uuid) -> String {
    u.hyphenated().encode_upper(&mut Uuid::encode_buffer()).to_owned()
}

fn uuid(f: &Fields<'_>, key: &'static str) -> Result<Uuid, DecodeError> {
    Uuid::parse_str(&f.required_string(key)?).map_err(|_| DecodeError::InvalidValue { key, reason: "not a UUID" })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile() -> EnrollmentProfile {
        let uuids = ProfileUuids { profile: Uuid::from_u128(1), mdm: Uuid::from_u128(2), identity: Uuid::from_u128(3) };
        EnrollmentProfile::new(
            "com.pinreset.mdm",
            uuids,
            "https://mdm.example.com/mdm/apple/connect",
            "https://mdm.example.com/mdm/apple/checkin",
            "com.apple.mgmt.External.1234",
            b"PKCS12-BYTES".to_vec(),
            Some("p12-password".into()),
        )
    }

    #[test]
    fn access_rights_cover_what_a_reset_needs() {
        let r = AccessRights::PINRESET;
        assert_eq!(r.bits(), 1052);
        for needed in [
            AccessRights::SECURITY_QUERIES,
            AccessRights::DEVICE_INFORMATION,
            AccessRights::DEVICE_ERASE,
            AccessRights::DEVICE_LOCK_AND_PASSCODE_REMOVAL,
        ] {
            assert!(r.contains(needed), "{needed:?}");
        }
        assert_eq!(AccessRights::from_bits(0), Err(ProfileError::InvalidAccessRights(0)));
        assert_eq!(AccessRights::from_bits(2), Err(ProfileError::InvalidAccessRights(2)), "2 needs 1");
        assert_eq!(AccessRights::from_bits(128), Err(ProfileError::InvalidAccessRights(128)), "128 needs 64");
        assert_eq!(AccessRights::from_bits(8192), Err(ProfileError::InvalidAccessRights(8192)));
        assert_eq!(AccessRights::from_bits(3).map(AccessRights::bits), Ok(3));
        assert_eq!((AccessRights::PROFILE_INSPECTION | AccessRights::PROFILE_INSTALLATION).bits(), 3);
    }

    #[test]
    fn profile_round_trips_and_points_at_its_identity() {
        let p = profile();
        let bytes = p.encode().unwrap();
        let back = EnrollmentProfile::decode(&bytes, &Limits::default()).unwrap();
        assert_eq!(back, p);
        let mdm = p.mdm_payload();
        assert_eq!(mdm.get("IdentityCertificateUUID").and_then(Value::as_string), Some("00000000-0000-0000-0000-000000000003"));
        assert_eq!(mdm.get("AccessRights").and_then(Value::as_signed_integer), Some(1052));
    }

    #[test]
    fn bad_profiles_are_refused_before_encoding() {
        let mut p = profile();
        p.mdm.server_url = "http://mdm.example.com/".into();
        assert_eq!(p.encode(), Err(ProfileError::NotHttps("ServerURL")));
        let mut p = profile();
        p.mdm.topic = "com.example.push".into();
        assert_eq!(p.encode(), Err(ProfileError::InvalidTopic));
        let mut p = profile();
        p.mdm.server_capabilities = vec!["com.apple.mdm.everything".into()];
        assert!(matches!(p.encode(), Err(ProfileError::UnknownCapability(_))));
    }

    #[test]
    fn identity_secrets_stay_out_of_debug() {
        let shown = format!("{:?}", profile());
        assert!(!shown.contains("p12-password") && !shown.contains("80, 75"), "{shown}");
        assert!(shown.contains("pkcs12_len: 12"));
    }

    #[test]
    fn a_dangling_identity_reference_is_refused() {
        let mut d = profile().to_dictionary();
        if let Some(Value::Array(items)) = d.get_mut("PayloadContent") {
            items.remove(0);
        }
        let bytes = crate::write::to_xml(Value::Dictionary(d));
        assert_eq!(
            EnrollmentProfile::decode(&bytes, &Limits::default()).unwrap_err(),
            DecodeError::InvalidValue { key: "IdentityCertificateUUID", reason: "names no PKCS#12 payload of this profile" }
        );
    }
}
