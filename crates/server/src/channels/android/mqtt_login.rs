//! POST /android/v1/mqtt: the agent asks for its broker login, to be woken over MQTT instead of
//! holding a long-poll open. Each call issues a new password and drops the old account, so the
//! server never stores one; the answer is the only place it appears (never logged or audited).

use super::{command_log, identity, reply};
use crate::peer_cert::PeerCertificate;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;

pub async fn mqtt_login(State(state): State<AppState>, peer: Option<Extension<PeerCertificate>>, headers: HeaderMap) -> Response {
    let device = match identity::device(&state, &peer, &headers).await {
        Ok(d) => d,
        Err(refusal) => return refusal,
    };
    let Some(mqtt) = state.channels.android().mqtt() else {
        return reply::refuse(
            StatusCode::NOT_FOUND,
            "mqtt_not_offered",
            "This server has no MQTT broker: hold a long-poll on /android/v1/commands to be woken.",
        );
    };
    match mqtt.issue(device.id).await {
        Ok(login) => {
            if let Err(e) = command_log::event(&state, &device, "mqtt: login issued".into()).await {
                return reply::internal(e);
            }
            reply::json(StatusCode::OK, &login)
        }
        Err(e) => {
            tracing::warn!(device_id = %device.id, error = %e.0, "could not issue an MQTT login");
            reply::refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                "mqtt_unavailable",
                "The MQTT broker is not available now; keep long-polling and ask again later.",
            )
        }
    }
}
