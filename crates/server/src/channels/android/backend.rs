//! The seam between the Android channel and the ways pinreset reaches Android devices. Each
//! backend is a `Waker` (how queued commands reach its devices) that says which devices it
//! serves; the channel asks the first backend that serves a device. Today: the agent, whose
//! devices long-poll. The Android Management API backend (devices known by their AMAPI name,
//! commands sent with `enterprises.devices.issueCommand` when woken) goes before it in
//! `AndroidChannel::default`. The agent backend wakes a device through its open long-poll, else
//! over MQTT when the server has a broker (`mqtt.rs`).

use super::mqtt::MqttWake;
use super::waiters::Waiters;
use crate::app::push::{PushOutcome, Reach};
use crate::channels::Waker;
use crate::error::AppError;
use crate::state::AppState;
use async_trait::async_trait;
use pinreset_core::Device;
use std::sync::Arc;

/// One way of reaching Android devices.
pub trait AndroidBackend: Waker {
    /// For logs and the device view, e.g. `agent`.
    fn name(&self) -> &'static str;
    /// Whether this backend manages `device`.
    fn serves(&self, device: &Device) -> bool;
}

/// Our own agent: its devices long-poll; waking one answers its open poll at once, or tells
/// it over MQTT to poll now when the server has a broker.
pub struct AgentBackend {
    pub waiters: Arc<Waiters>,
    pub mqtt: Option<Arc<MqttWake>>,
}

#[async_trait]
impl Waker for AgentBackend {
    async fn reach(&self, _state: &AppState, device: &Device) -> Result<Reach, AppError> {
        Ok(if self.waiters.is_waiting(device.id) || self.mqtt.is_some() {
            Reach::Push
        } else {
            Reach::NextCheckIn { reason: "The Android agent is not connected now: it gets its commands when it next polls.".into() }
        })
    }

    async fn wake(&self, _state: &AppState, device: &Device) -> Result<PushOutcome, AppError> {
        if self.waiters.wake(device.id) {
            return Ok(PushOutcome::Sent);
        }
        let Some(mqtt) = &self.mqtt else { return Ok(PushOutcome::NotPushable) };
        Ok(match mqtt.wake(device.id).await {
            Ok(()) => PushOutcome::Sent,
            Err(e) => PushOutcome::Retry(e.0),
        })
    }
}

impl AndroidBackend for AgentBackend {
    fn name(&self) -> &'static str {
        "agent"
    }
    fn serves(&self, _device: &Device) -> bool {
        // The last backend: every Android device no other backend claims is an agent's.
        true
    }
}

/// The Android channel's wake-up: the backend serving each device.
pub struct AndroidChannel {
    /// The agent's open long-polls (its endpoints wait on them).
    pub waiters: Arc<Waiters>,
    backends: Vec<Arc<dyn AndroidBackend>>,
    mqtt: Option<Arc<MqttWake>>,
}

impl Default for AndroidChannel {
    fn default() -> Self {
        Self::new(None)
    }
}

impl AndroidChannel {
    /// The channel, waking agents over MQTT too when `mqtt` is given.
    pub fn new(mqtt: Option<Arc<MqttWake>>) -> Self {
        let waiters = Arc::new(Waiters::default());
        let agent = AgentBackend { waiters: waiters.clone(), mqtt: mqtt.clone() };
        // First match wins: a device with an AMAPI name is Google's to reach; the agent takes the rest.
        AndroidChannel { backends: vec![Arc::new(super::amapi::AmapiBackend), Arc::new(agent)], waiters, mqtt }
    }
    /// The broker connection, when the server has one.
    pub fn mqtt(&self) -> Option<&Arc<MqttWake>> {
        self.mqtt.as_ref()
    }
    fn backend(&self, device: &Device) -> Option<&dyn AndroidBackend> {
        self.backends.iter().find(|b| b.serves(device)).map(|b| b.as_ref())
    }
}

#[async_trait]
impl Waker for AndroidChannel {
    async fn reach(&self, state: &AppState, device: &Device) -> Result<Reach, AppError> {
        match self.backend(device) {
            Some(b) => b.reach(state, device).await,
            None => Ok(Reach::NextCheckIn { reason: "No Android backend manages this device.".into() }),
        }
    }
    async fn wake(&self, state: &AppState, device: &Device) -> Result<PushOutcome, AppError> {
        match self.backend(device) {
            Some(b) => b.wake(state, device).await,
            None => Ok(PushOutcome::NotPushable),
        }
    }
}
