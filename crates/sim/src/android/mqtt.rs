//! The agent woken over MQTT: it asks the server for its broker login, keeps one connection
//! open subscribed to its own topic, and polls for commands when a message arrives there.
//! `listen` also serves tests that try a login on a topic that is not its own.

use super::AndroidDevice;
use crate::error::SimError;
use rumqttc::{AsyncClient, ConnectReturnCode, Event, MqttOptions, Packet, QoS, SubscribeReasonCode};
use std::time::Duration;
use tokio::sync::mpsc;

/// The broker login the server issued (`POST /android/v1/mqtt`).
#[derive(Clone, Debug)]
pub struct MqttLogin {
    pub url: String,
    pub client_id: String,
    pub username: String,
    pub password: String,
    pub topic: String,
}

/// A live subscription: each wake-up's payload, as it arrives.
pub struct WakeListener {
    messages: mpsc::Receiver<Vec<u8>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for WakeListener {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl WakeListener {
    /// The next message within `within`, or None.
    pub async fn next(&mut self, within: Duration) -> Option<Vec<u8>> {
        tokio::time::timeout(within, self.messages.recv()).await.ok().flatten()
    }
}

fn host_port(url: &str) -> Result<(String, u16), SimError> {
    let rest = url.strip_prefix("mqtt://").ok_or_else(|| SimError::Protocol(format!("the simulator speaks plain mqtt:// only: {url}")))?;
    let (host, port) = rest.trim_end_matches('/').rsplit_once(':').unwrap_or((rest, "1883"));
    Ok((host.to_string(), port.parse().map_err(|_| SimError::Protocol(format!("bad MQTT port in {url}")))?))
}

/// Connect as `login` and subscribe to `topic`: Ok once the broker granted the subscription;
/// an error when it refused the login or the subscription.
pub async fn listen(login: &MqttLogin, topic: &str) -> Result<WakeListener, SimError> {
    let (host, port) = host_port(&login.url)?;
    let mut options = MqttOptions::new(login.client_id.clone(), host, port);
    options.set_credentials(login.username.clone(), login.password.clone());
    options.set_keep_alive(Duration::from_secs(30));
    let (client, mut events) = AsyncClient::new(options, 16);
    let refused = |what: String| SimError::Protocol(format!("the MQTT broker refused {what}"));
    // Up to the subscription's answer, here; then the messages, in the background.
    let granted = async {
        loop {
            match events.poll().await.map_err(|e| refused(format!("the connection: {e}")))? {
                Event::Incoming(Packet::ConnAck(ack)) if ack.code != ConnectReturnCode::Success => {
                    return Err(refused(format!("the login: {:?}", ack.code)));
                }
                Event::Incoming(Packet::ConnAck(_)) => {
                    client.subscribe(topic, QoS::AtLeastOnce).await.map_err(|e| refused(e.to_string()))?;
                }
                Event::Incoming(Packet::SubAck(ack)) => {
                    return match ack.return_codes.first() {
                        Some(SubscribeReasonCode::Success(_)) => Ok(()),
                        other => Err(refused(format!("the subscription to {topic}: {other:?}"))),
                    };
                }
                _ => {}
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(10), granted).await.map_err(|_| refused("to answer within 10s".into()))??;
    let (tx, messages) = mpsc::channel(64);
    let task = tokio::spawn(async move {
        let _client = client;
        while let Ok(event) = events.poll().await {
            if let Event::Incoming(Packet::Publish(p)) = event {
                if tx.send(p.payload.to_vec()).await.is_err() {
                    return;
                }
            }
        }
    });
    Ok(WakeListener { messages, task })
}

impl AndroidDevice {
    /// Ask the server for the device's broker login (each call replaces the previous one).
    pub async fn mqtt_login(&self) -> Result<MqttLogin, SimError> {
        let (status, v) = self.send(reqwest::Method::POST, "/android/v1/mqtt", None).await?;
        let v = Self::ok(status, v, "/android/v1/mqtt")?;
        let field = |k: &str| {
            v[k].as_str().map(str::to_owned).ok_or_else(|| SimError::Decode { what: "MQTT login", detail: format!("no \"{k}\"") })
        };
        Ok(MqttLogin {
            url: field("url")?,
            client_id: field("client_id")?,
            username: field("username")?,
            password: field("password")?,
            topic: field("topic")?,
        })
    }

    /// Log in to the broker and subscribe to the device's own topic.
    pub async fn mqtt_listen(&self) -> Result<(MqttLogin, WakeListener), SimError> {
        let login = self.mqtt_login().await?;
        let listener = listen(&login, &login.topic).await?;
        Ok((login, listener))
    }
}
