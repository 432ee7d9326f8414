//! The channel registry: per platform, what its channel encodes and how its devices are woken.
//! The spine asks here instead of matching on platforms.

use crate::app::push::{PushOutcome, Reach};
use crate::error::AppError;
use crate::state::AppState;
use async_trait::async_trait;
use pinreset_core::{ChannelDeclaration, Device, Platform};
use std::sync::Arc;

/// Every channel's declaration, the input of the capability matrix.
pub const CONTRACTS: &[ChannelDeclaration] = &[super::windows::CONTRACT, super::apple::CONTRACT, super::android::CONTRACT];

/// How a channel tells its devices to come and fetch their commands (APNs for Apple; the Android
/// agent's open long-poll; the Android Management API's commands later).
#[async_trait]
pub trait Waker: Send + Sync {
    /// How queued commands reach `device` now, as the device view shows it.
    async fn reach(&self, state: &AppState, device: &Device) -> Result<Reach, AppError>;
    /// Wake `device` once.
    async fn wake(&self, state: &AppState, device: &Device) -> Result<PushOutcome, AppError>;
    /// Wake each of `devices` once (a dispatch batch); one outcome per device, in order.
    /// By default each is woken on its own, all at once.
    async fn wake_many(&self, state: &AppState, devices: &[Device]) -> Vec<Result<PushOutcome, AppError>> {
        futures_util::future::join_all(devices.iter().map(|d| self.wake(state, d))).await
    }
}

struct Channel {
    contract: &'static ChannelDeclaration,
    /// None: its devices poll on their own schedule (Windows OMA-DM).
    waker: Option<Arc<dyn Waker>>,
}

/// The channels of this instance, with their wakers' state (e.g. APNs connections).
pub struct Registry {
    channels: Vec<Channel>,
    /// The Android channel itself: its agent endpoints wait on its long-polls.
    android: Arc<super::android::AndroidChannel>,
}

impl Default for Registry {
    fn default() -> Self {
        Self::new(None)
    }
}

impl Registry {
    /// The channels; Android agents are also woken over MQTT when `mqtt` is given.
    pub fn new(mqtt: Option<Arc<super::android::mqtt::MqttWake>>) -> Self {
        let apns: Arc<dyn Waker> = Arc::new(super::apple::apns::ApnsWaker::default());
        let android = Arc::new(super::android::AndroidChannel::new(mqtt));
        let android_waker: Arc<dyn Waker> = android.clone();
        Registry {
            channels: vec![
                Channel { contract: &super::windows::CONTRACT, waker: None },
                Channel { contract: &super::apple::CONTRACT, waker: Some(apns) },
                Channel { contract: &super::android::CONTRACT, waker: Some(android_waker) },
            ],
            android,
        }
    }

    pub fn contracts(&self) -> &'static [ChannelDeclaration] {
        CONTRACTS
    }
    fn channel(&self, platform: Platform) -> Option<&Channel> {
        self.channels.iter().find(|c| c.contract.serves(platform))
    }
    /// The declaration of the channel serving `platform`.
    pub fn contract(&self, platform: Platform) -> Option<&'static ChannelDeclaration> {
        self.channel(platform).map(|c| c.contract)
    }
    /// The Android channel (its agent's long-polls).
    pub fn android(&self) -> &super::android::AndroidChannel {
        &self.android
    }
    /// The waker of `platform`'s channel; None when its devices poll.
    pub fn waker(&self, platform: Platform) -> Option<&dyn Waker> {
        self.channel(platform).and_then(|c| c.waker.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_platform_has_exactly_one_channel_and_the_registry_holds_the_contracts() {
        for p in Platform::ALL {
            assert_eq!(CONTRACTS.iter().filter(|c| c.serves(p)).count(), 1, "{p:?}");
        }
        let r = Registry::default();
        assert_eq!(r.channels.len(), CONTRACTS.len());
        assert!(r.channels.iter().all(|c| CONTRACTS.iter().any(|k| k.name == c.contract.name)));
        assert!(r.waker(Platform::Ipados).is_some() && r.waker(Platform::Macos).is_some());
        assert!(r.waker(Platform::Windows).is_none(), "Windows devices poll");
    }
}
