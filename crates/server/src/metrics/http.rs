//! The HTTP side of the metrics: a layer timing every request by endpoint family, and the
//! `/metrics` scrape endpoint (on the main listeners, or alone on `--metrics-listen`).

use super::{family, Metrics, CONTENT_TYPE};
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

/// Count and time every request. The family is taken from the path before routing, so an
/// unknown path is `other` and never a label of its own.
async fn record(State(metrics): State<Arc<Metrics>>, req: Request, next: Next) -> Response {
    let family = family(req.uri().path());
    let started = Instant::now();
    let response = next.run(req).await;
    metrics.http_request(family, response.status().as_u16(), started.elapsed().as_secs_f64());
    response
}

/// `router` with its requests measured and `/metrics` served (when `with_endpoint`).
pub fn instrument(router: Router, state: &AppState, with_endpoint: bool) -> Router {
    let router = if with_endpoint { router.merge(endpoint(state.clone())) } else { router };
    router.layer(axum::middleware::from_fn_with_state(state.metrics.clone(), record))
}

/// A router serving only `GET /metrics`.
pub fn endpoint(state: AppState) -> Router {
    Router::new().route("/metrics", axum::routing::get(scrape)).with_state(state)
}

async fn scrape(State(state): State<AppState>) -> Response {
    match state.metrics.render(state.store.pool_usage()) {
        Some(body) => ([(header::CONTENT_TYPE, CONTENT_TYPE), (header::CACHE_CONTROL, "no-store")], body).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// Serve `/metrics` alone over plain HTTP at `at` (`--metrics-listen`), under the same
/// connection limits and shutdown as the other listeners; returns the task and the address.
pub fn listen(
    at: SocketAddr,
    state: &AppState,
    limits: &crate::conn_limits::ConnectionLimits,
    handle: &axum_server::Handle,
) -> anyhow::Result<(tokio::task::JoinHandle<()>, SocketAddr)> {
    use anyhow::Context;
    let listener = std::net::TcpListener::bind(at).with_context(|| format!("listening on {at} (--metrics-listen)"))?;
    listener.set_nonblocking(true)?;
    let bound = listener.local_addr()?;
    let mut server = axum_server::from_tcp(listener).acceptor(crate::conn_limits::plain::PlainAcceptor::new(limits)).handle(handle.clone());
    limits.configure_http(server.http_builder());
    let endpoint = endpoint(state.clone());
    let task = tokio::spawn(async move {
        if let Err(e) = server.serve(endpoint.into_make_service()).await {
            tracing::error!(error = %e, "the metrics listener stopped");
        }
    });
    tracing::info!(%bound, "serving Prometheus metrics at http://{bound}/metrics");
    Ok((task, bound))
}
