//! Typed reader for the `DeviceInformation` response's `QueryResponses`
//! (`information.device.yaml`, responsekeys). Only the keys the server uses are typed; the
//! whole dictionary is kept for the rest.

use crate::limits::{DecodeError, Fields};
use plist::Dictionary;

/// The query names to ask for what [`QueryResponses`] types. Pass to
/// [`crate::command::Request::DeviceInformation`].
pub const STANDARD_QUERIES: &[&str] = &[
    "UDID",
    "DeviceName",
    "OSVersion",
    "BuildVersion",
    "ProductName",
    "Model",
    "ModelName",
    "SerialNumber",
    "IMEI",
    "MEID",
    "IsSupervised",
    "IsMultiUser",
    "IsActivationLockEnabled",
    "IsMDMLostModeEnabled",
    "AwaitingConfiguration",
];

#[derive(Clone, Debug, Default, PartialEq)]
pub struct QueryResponses {
    pub udid: Option<String>,
    pub device_name: Option<String>,
    pub os_version: Option<String>,
    pub build_version: Option<String>,
    pub product_name: Option<String>,
    pub model: Option<String>,
    pub model_name: Option<String>,
    pub serial_number: Option<String>,
    pub imei: Option<String>,
    pub meid: Option<String>,
    pub host_name: Option<String>,
    pub is_supervised: Option<bool>,
    /// Shared iPad.
    pub is_multi_user: Option<bool>,
    pub is_activation_lock_enabled: Option<bool>,
    pub is_mdm_lost_mode_enabled: Option<bool>,
    pub awaiting_configuration: Option<bool>,
    /// GB.
    pub device_capacity: Option<f64>,
    /// 0.0 – 1.0; -1 when unknown.
    pub battery_level: Option<f64>,
    /// Every key the device answered, typed or not.
    pub raw: Dictionary,
}

impl QueryResponses {
    pub fn from_dictionary(d: &Dictionary) -> Result<Self, DecodeError> {
        let f = Fields(d);
        Ok(QueryResponses {
            udid: f.string("UDID")?,
            device_name: f.string("DeviceName")?,
            os_version: f.string("OSVersion")?,
            build_version: f.string("BuildVersion")?,
            product_name: f.string("ProductName")?,
            model: f.string("Model")?,
            model_name: f.string("ModelName")?,
            serial_number: f.string("SerialNumber")?,
            imei: f.string("IMEI")?,
            meid: f.string("MEID")?,
            host_name: f.string("HostName")?,
            is_supervised: f.boolean("IsSupervised")?,
            is_multi_user: f.boolean("IsMultiUser")?,
            is_activation_lock_enabled: f.boolean("IsActivationLockEnabled")?,
            is_mdm_lost_mode_enabled: f.boolean("IsMDMLostModeEnabled")?,
            awaiting_configuration: f.boolean("AwaitingConfiguration")?,
            device_capacity: f.real("DeviceCapacity")?,
            battery_level: f.real("BatteryLevel")?,
            raw: d.clone(),
        })
    }
}
