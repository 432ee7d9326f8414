//! MQTT wake-ups for the Android agent, an option beside long-polls: an agent that keeps one
//! MQTT connection open (cheap on the battery, where an HTTPS long-poll is not) is told "poll
//! now" on its own topic, and then fetches its commands over HTTPS as always. The wake-up
//! carries nothing but that: no command, passcode or token ever crosses the broker.
//!
//! The broker is a standard one with Mosquitto's dynamic-security plugin. The server logs in
//! as an account allowed to use the plugin's API, and gives each device its own broker
//! account whose role may subscribe to its own topic only (`pinreset/wake/<device id>`): one
//! device cannot listen to another's wake-ups, and anonymous clients get nothing. A device's
//! broker password is handed to it once over HTTPS and never stored by the server; asking
//! again replaces the account, so a leaked password is revoked by asking for a new one.

use pinreset_core::DeviceId;
use rand::RngCore;
use rumqttc::{AsyncClient, Event, MqttOptions, Packet, QoS};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::oneshot;

/// Where wake-ups are published; a device's topic is this followed by its id.
pub const TOPIC_PREFIX: &str = "pinreset/wake/";
/// The plugin's API (Mosquitto dynamic security, version 1).
const CONTROL_TOPIC: &str = "$CONTROL/dynamic-security/v1";
const CONTROL_RESPONSE_TOPIC: &str = "$CONTROL/dynamic-security/v1/response";
/// The role that lets the server publish wake-ups (added to the server's own account).
const SERVER_ROLE: &str = "pinreset-server";
/// How long the broker may take to answer a dynamic-security command.
const ANSWER_WITHIN: Duration = Duration::from_secs(5);
/// What a wake-up says: poll now. Nothing else, ever.
const WAKE_PAYLOAD: &[u8] = br#"{"poll":true}"#;

/// How to reach the broker.
#[derive(Clone, Debug)]
pub struct MqttConfig {
    /// `mqtt://host:port` the server connects to (plain TCP: keep the broker on a private
    /// network or loopback for the server's own connection).
    pub url: String,
    /// What agents are told to connect to, e.g. `mqtts://mdm.example.com:8883`; default: `url`.
    pub device_url: Option<String>,
    /// The server's broker account: it must be allowed to use the dynamic-security API.
    pub username: String,
    pub password: String,
}

/// A device's broker login, as the agent receives it (`POST /android/v1/mqtt`).
#[derive(Serialize, Deserialize, Debug)]
pub struct MqttCredentials {
    pub url: String,
    pub client_id: String,
    pub username: String,
    pub password: String,
    /// Subscribe here (QoS 1); each message means "poll for commands now".
    pub topic: String,
    pub keepalive_seconds: u16,
}

/// Why the broker could not do what was asked.
#[derive(Debug)]
pub struct MqttError(pub String);

/// A command's answer: its `data`, or the broker's error text.
type Answer = Result<Value, String>;
type Answers = Arc<Mutex<HashMap<String, oneshot::Sender<Answer>>>>;

/// The server's connection to the broker.
pub struct MqttWake {
    client: AsyncClient,
    answers: Answers,
    /// Connected, and the server's role in place: device logins can be issued.
    ready: tokio::sync::watch::Sender<bool>,
    device_url: String,
    server_username: String,
}

fn host_port(url: &str) -> Result<(String, u16), MqttError> {
    let rest = url
        .strip_prefix("mqtt://")
        .ok_or_else(|| MqttError(format!("the MQTT URL must start with mqtt:// (the server's own connection is plain TCP): {url}")))?;
    let rest = rest.trim_end_matches('/');
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) => (h, p.parse::<u16>().map_err(|_| MqttError(format!("the MQTT URL's port is not a number: {url}")))?),
        None => (rest, 1883),
    };
    if host.is_empty() {
        return Err(MqttError(format!("the MQTT URL names no host: {url}")));
    }
    Ok((host.trim_start_matches('[').trim_end_matches(']').to_string(), port))
}

pub fn topic_of(device: DeviceId) -> String {
    format!("{TOPIC_PREFIX}{device}")
}

fn role_of(device: DeviceId) -> String {
    format!("pinreset-device-{device}")
}

impl MqttWake {
    /// Connect (in the background: a broker that is down now is retried) and keep the server's
    /// role in place on every (re)connection.
    pub fn start(config: &MqttConfig) -> Result<Arc<Self>, MqttError> {
        let (host, port) = host_port(&config.url)?;
        if let Some(u) = &config.device_url {
            if !(u.starts_with("mqtt://") || u.starts_with("mqtts://")) {
                return Err(MqttError(format!("the agents' MQTT URL must start with mqtt:// or mqtts://: {u}")));
            }
        }
        let mut options = MqttOptions::new(format!("pinreset-server-{}", uuid::Uuid::new_v4().simple()), host, port);
        options.set_credentials(config.username.clone(), config.password.clone());
        options.set_keep_alive(Duration::from_secs(30));
        options.set_max_packet_size(64 * 1024, 64 * 1024);
        let (client, mut events) = AsyncClient::new(options, 1024);
        let wake = Arc::new(MqttWake {
            client,
            answers: Default::default(),
            ready: tokio::sync::watch::Sender::new(false),
            device_url: config.device_url.clone().unwrap_or_else(|| config.url.clone()),
            server_username: config.username.clone(),
        });
        let weak = Arc::downgrade(&wake);
        tokio::spawn(async move {
            loop {
                let event = events.poll().await;
                let Some(wake) = weak.upgrade() else { return };
                match event {
                    Ok(Event::Incoming(Packet::ConnAck(_))) => {
                        tracing::info!("connected to the MQTT broker");
                        tokio::spawn(async move { wake.on_connected().await });
                    }
                    Ok(Event::Incoming(Packet::Publish(p))) if p.topic == CONTROL_RESPONSE_TOPIC => wake.on_answer(&p.payload),
                    Ok(_) => {}
                    Err(e) => {
                        wake.ready.send_replace(false);
                        tracing::warn!(error = %e, "the MQTT broker connection failed; retrying");
                        drop(wake);
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                }
            }
        });
        Ok(wake)
    }

    async fn on_connected(&self) {
        let setup = async {
            self.client.subscribe(CONTROL_RESPONSE_TOPIC, QoS::AtLeastOnce).await.map_err(|e| MqttError(e.to_string()))?;
            // Both may exist already (another instance, an earlier start): that is fine.
            let acl = json!([{ "acltype": "publishClientSend", "topic": format!("{TOPIC_PREFIX}#"), "priority": 0, "allow": true }]);
            self.command(json!({ "command": "createRole", "rolename": SERVER_ROLE, "acls": acl }), &["already exists"]).await?;
            // Only when missing: the broker disconnects a client whose roles change (to apply
            // them), so this happens once, and the reconnection finds the role in place.
            let me = self.command(json!({ "command": "getClient", "username": self.server_username }), &[]).await?;
            let roles = me["client"]["roles"].as_array().cloned().unwrap_or_default();
            if roles.iter().any(|r| r["rolename"] == SERVER_ROLE) {
                return Ok(true);
            }
            self.command(
                json!({ "command": "addClientRole", "username": self.server_username, "rolename": SERVER_ROLE, "priority": -1 }),
                &[],
            )
            .await?;
            // Not ready yet: the broker is about to disconnect us to apply the role.
            Ok::<_, MqttError>(false)
        };
        match setup.await {
            Ok(ready) => {
                self.ready.send_replace(ready);
            }
            Err(e) => {
                tracing::error!(error = %e.0, "the MQTT broker refused the server's setup: wake-ups over MQTT will not reach devices")
            }
        }
    }

    /// Until the connection is ready for device logins (a broker restarting, or the first
    /// connection's role change), at most `ANSWER_WITHIN`.
    async fn until_ready(&self) -> Result<(), MqttError> {
        let mut ready = self.ready.subscribe();
        let became = tokio::time::timeout(ANSWER_WITHIN, ready.wait_for(|r| *r)).await.map(|r| r.is_ok());
        match became {
            Ok(true) => Ok(()),
            _ => Err(MqttError(format!("the MQTT broker connection was not ready within {}s", ANSWER_WITHIN.as_secs()))),
        }
    }

    fn on_answer(&self, payload: &[u8]) {
        let Ok(v) = serde_json::from_slice::<Value>(payload) else { return };
        for r in v["responses"].as_array().into_iter().flatten() {
            let Some(id) = r["correlationData"].as_str() else { continue };
            if let Some(tx) = self.answers.lock().expect("answers lock").remove(id) {
                let _ = tx.send(match r["error"].as_str() {
                    Some(error) => Err(error.to_owned()),
                    None => Ok(r["data"].clone()),
                });
            }
        }
    }

    /// One dynamic-security command, its answer's data; an error containing one of `tolerated`
    /// counts as done (with no data).
    async fn command(&self, mut command: Value, tolerated: &[&str]) -> Result<Value, MqttError> {
        let id = uuid::Uuid::new_v4().to_string();
        command["correlationData"] = Value::String(id.clone());
        let (tx, rx) = oneshot::channel();
        self.answers.lock().expect("answers lock").insert(id.clone(), tx);
        let what = command["command"].as_str().unwrap_or("command").to_string();
        let body = serde_json::to_vec(&json!({ "commands": [command] })).expect("JSON encodes");
        let sent = self.client.publish(CONTROL_TOPIC, QoS::AtLeastOnce, false, body).await;
        let answer = match sent {
            Ok(()) => tokio::time::timeout(ANSWER_WITHIN, rx).await,
            Err(e) => {
                self.answers.lock().expect("answers lock").remove(&id);
                return Err(MqttError(format!("the MQTT broker is not reachable: {e}")));
            }
        };
        match answer {
            Ok(Ok(Ok(data))) => Ok(data),
            Ok(Ok(Err(error))) if tolerated.iter().any(|t| error.contains(t)) => Ok(Value::Null),
            Ok(Ok(Err(error))) => Err(MqttError(format!("the MQTT broker refused {what}: {error}"))),
            _ => {
                self.answers.lock().expect("answers lock").remove(&id);
                Err(MqttError(format!("the MQTT broker did not answer {what} within {}s", ANSWER_WITHIN.as_secs())))
            }
        }
    }

    /// A new broker account for `device`, replacing any earlier one (and disconnecting it).
    pub async fn issue(&self, device: DeviceId) -> Result<MqttCredentials, MqttError> {
        self.until_ready().await?;
        let (username, role, topic) = (device.to_string(), role_of(device), topic_of(device));
        let mut bytes = [0u8; 24];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let password = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, bytes);
        let acl = json!([{ "acltype": "subscribeLiteral", "topic": topic, "priority": 0, "allow": true }]);
        self.command(json!({ "command": "createRole", "rolename": role, "acls": acl }), &["already exists"]).await?;
        self.command(json!({ "command": "deleteClient", "username": username }), &["not found"]).await?;
        self.command(
            json!({ "command": "createClient", "username": username, "password": password, "roles": [{ "rolename": role }] }),
            &[],
        )
        .await?;
        Ok(MqttCredentials { url: self.device_url.clone(), client_id: username.clone(), username, password, topic, keepalive_seconds: 300 })
    }

    /// Remove `device`'s broker account and role (the device was removed or retired).
    pub async fn revoke(&self, device: DeviceId) -> Result<(), MqttError> {
        self.until_ready().await?;
        self.command(json!({ "command": "deleteClient", "username": device.to_string() }), &["not found"]).await?;
        self.command(json!({ "command": "deleteRole", "rolename": role_of(device) }), &["not found"]).await.map(drop)
    }

    /// Tell `device` to poll now.
    pub async fn wake(&self, device: DeviceId) -> Result<(), MqttError> {
        self.client
            .publish(topic_of(device), QoS::AtLeastOnce, false, WAKE_PAYLOAD)
            .await
            .map_err(|e| MqttError(format!("the MQTT broker is not reachable: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broker_urls_are_read_or_refused_with_the_reason() {
        assert_eq!(host_port("mqtt://127.0.0.1:18830").unwrap(), ("127.0.0.1".into(), 18830));
        assert_eq!(host_port("mqtt://broker.internal").unwrap(), ("broker.internal".into(), 1883));
        assert_eq!(host_port("mqtt://[::1]:1883/").unwrap(), ("::1".into(), 1883));
        assert!(host_port("mqtts://broker:8883").unwrap_err().0.contains("mqtt://"));
        assert!(host_port("mqtt://broker:port").unwrap_err().0.contains("port"));
        assert!(host_port("mqtt://:1883").unwrap_err().0.contains("no host"));
    }
}
