//! The plain-HTTP listener (`--listen-http`, behind a TLS-terminating load balancer) gets the
//! same connection cap and idle timeout as the HTTPS one, without a TLS handshake. It carries no
//! client certificate: device identity comes only from the proxy's header.

use super::cap::ConnectionCap;
use super::idle::{IdleTimeout, InFlight, TrackRequests};
use super::ConnectionLimits;
use axum_server::accept::Accept;
use std::future::{ready, Ready};
use std::io;
use std::sync::Arc;
use tokio::net::TcpStream;

#[derive(Clone)]
pub struct PlainAcceptor {
    cap: ConnectionCap,
    idle_timeout: std::time::Duration,
}

impl PlainAcceptor {
    pub fn new(limits: &ConnectionLimits) -> Self {
        PlainAcceptor { cap: ConnectionCap::new(limits.max_connections), idle_timeout: limits.idle_timeout }
    }
}

impl<S> Accept<TcpStream, S> for PlainAcceptor
where
    S: Send + 'static,
{
    type Stream = IdleTimeout<TcpStream>;
    type Service = TrackRequests<S>;
    type Future = Ready<io::Result<(Self::Stream, Self::Service)>>;

    fn accept(&self, stream: TcpStream, service: S) -> Self::Future {
        let Some(slot) = self.cap.try_admit() else {
            return ready(Err(io::Error::other("connection cap reached")));
        };
        // Answers go out at once, not after the client's delayed ACK.
        if let Err(e) = stream.set_nodelay(true) {
            return ready(Err(e));
        }
        let in_flight = Arc::new(InFlight::default());
        ready(Ok((IdleTimeout::new(stream, self.idle_timeout, in_flight.clone(), Some(slot)), TrackRequests::new(service, in_flight))))
    }
}
