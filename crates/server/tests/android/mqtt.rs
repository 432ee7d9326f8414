//! MQTT wake-ups against a real Mosquitto: an agent that holds no long-poll is woken on its own
//! topic and then fetches its command over HTTPS; one device's login cannot listen to another's
//! topic, an old login stops working once replaced, and nothing secret crosses the broker.

use super::*;
use crate::support::mosquitto::Mosquitto;
use pinreset_sim::android::mqtt::{listen, MqttLogin};

pub(crate) async fn android_agent_is_woken_over_mqtt_and_nothing_secret_crosses_it(b: Backend) {
    let broker = Mosquitto::start().await;
    let h = start_configured(b, |o| {
        o.mqtt = Some(pinreset_server::channels::android::mqtt::MqttConfig {
            url: broker.url(),
            device_url: None,
            username: broker.admin_user.clone(),
            password: broker.admin_password.clone(),
        })
    })
    .await;
    // Everything published on the broker, as its admin sees it: device topics and the
    // dynamic-security API the server drives.
    let admin = |client_id: &str| MqttLogin {
        url: broker.url(),
        client_id: client_id.into(),
        username: broker.admin_user.clone(),
        password: broker.admin_password.clone(),
        topic: String::new(),
    };
    let mut spy = listen(&admin("spy"), "#").await.expect("the admin listens to every topic");
    let mut control_spy = listen(&admin("control-spy"), "$CONTROL/#").await.expect("and to the control topics");

    let mut pixel = android_enrolled(&h, AndroidProfile::Android13FullyManaged, "bob", false).await;
    pixel.confirm_credential();
    let checkin = pixel.check_in().await.unwrap();
    assert_eq!(checkin["mqtt_offered"], true, "{checkin}");
    let other = android_enrolled(&h, AndroidProfile::Android6DeviceAdmin, "carol", false).await;

    // The first login is replaced by the second: the first no longer gets in.
    let first = pixel.mqtt_login().await.unwrap_or_else(|e| panic!("{e}\n{}", String::from_utf8_lossy(&logs().0.lock().unwrap())));
    let (login, mut wakeups) = pixel.mqtt_listen().await.expect("the device subscribes to its own topic");
    assert_eq!(login.topic, format!("pinreset/wake/{}", id_of(&pixel)));
    assert!(listen(&MqttLogin { client_id: "old".into(), ..first }, &login.topic).await.is_err(), "a replaced login is refused");
    // Another device's login cannot listen to this device's topic, nor a guessed password log in.
    let (other_login, _other_wakeups) = other.mqtt_listen().await.unwrap();
    let stolen = listen(&MqttLogin { client_id: "snoop".into(), ..other_login.clone() }, &login.topic).await;
    assert!(stolen.is_err(), "one device subscribed to another's wake-ups");
    let guessed = MqttLogin { client_id: "guess".into(), password: "wrong".into(), ..login.clone() };
    assert!(listen(&guessed, &login.topic).await.is_err(), "a wrong password got in");

    // A reset while the device holds no long-poll: woken over MQTT, it polls and applies it.
    let token = pixel.platform_token_b64().expect("an escrowed token");
    let (s, reset) = request(&h, &pixel, "reset-passcode").await;
    assert_eq!(s, StatusCode::ACCEPTED, "{reset}");
    let woke = wakeups.next(Duration::from_secs(10)).await.expect("a wake-up on the device's topic");
    assert_eq!(woke, br#"{"poll":true}"#);
    let answered = pixel.poll(0).await.unwrap();
    assert_eq!(answered.iter().map(|a| a.outcome.as_str()).collect::<Vec<_>>(), ["success"]);
    let (_, p) = h.get(&format!("/actions/{}/passcode", reset["id"].as_str().unwrap())).await;
    let passcode = p["passcode"].as_str().unwrap().to_string();
    assert_eq!(Some(passcode.as_str()), pixel.passcode());
    assert_eq!(action(&h, &reset).await["state"], "succeeded");

    // The broker saw the wake-up and the logins being made, never the passcode or the token;
    // the device's broker password is kept nowhere on the server.
    let mut seen = Vec::new();
    while let Some(m) = spy.next(Duration::from_millis(300)).await {
        seen.push(String::from_utf8_lossy(&m).to_string());
    }
    while let Some(m) = control_spy.next(Duration::from_millis(300)).await {
        seen.push(String::from_utf8_lossy(&m).to_string());
    }
    assert!(seen.iter().any(|m| m == r#"{"poll":true}"#), "the spy saw the wake-up: {seen:?}");
    assert!(seen.iter().any(|m| m.contains("createClient")), "the spy saw the server's control traffic: {seen:?}");
    for secret in [&passcode, &token] {
        assert!(!seen.iter().any(|m| m.contains(secret.as_str())), "a secret crossed the broker");
    }
    let logged = String::from_utf8_lossy(&logs().0.lock().unwrap()).to_string();
    assert!(!logged.contains(&login.password), "the broker password in the logs");
    assert_not_in_database(h, b, &[&login.password, &other_login.password]).await;
}

/// Without a broker the agent is told none is offered, and asking for a login says why.
pub(crate) async fn android_agent_without_a_broker_long_polls(b: Backend) {
    let h = start(b).await;
    let mut pixel = android_enrolled(&h, AndroidProfile::Android13FullyManaged, "bob", false).await;
    assert_eq!(pixel.check_in().await.unwrap()["mqtt_offered"], false);
    let (s, v) = pixel.send_raw(reqwest::Method::POST, "/android/v1/mqtt", None).await.unwrap();
    assert_eq!((s, v["error"].as_str()), (404, Some("mqtt_not_offered")), "{v}");
}
