//! Limits on connections, so that holding connections open costs an attacker as much as it
//! costs us: a TLS handshake timeout (in the acceptor), a header-read timeout (hyper), a
//! request-body timeout (`body`), an idle timeout (`idle`: no bytes either way and no request
//! in flight), and a cap on open connections (`cap`: beyond it new connections are closed at
//! once — waiting for a slot would itself hold sockets and memory).

pub mod body;
pub mod cap;
pub mod idle;
pub mod plain;

use std::time::Duration;

/// `pinreset serve` flags set these; the defaults suit a server facing the internet.
#[derive(Clone, Debug)]
pub struct ConnectionLimits {
    /// From TCP accept to the end of the TLS handshake.
    pub handshake_timeout: Duration,
    /// To receive a request's headers (HTTP/1), from when the server starts waiting for them.
    pub header_read_timeout: Duration,
    /// To receive a whole request body, from when its headers arrived.
    pub body_read_timeout: Duration,
    /// A connection with no request in flight and no bytes either way this long is closed.
    pub idle_timeout: Duration,
    /// Open connections at most (TLS handshakes included).
    pub max_connections: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            handshake_timeout: Duration::from_secs(10),
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(60),
            max_connections: 10_000,
        }
    }
}

impl ConnectionLimits {
    /// Set hyper's own timeouts (they need a timer to run at all).
    pub fn configure_http(&self, builder: &mut hyper_util::server::conn::auto::Builder<hyper_util::rt::TokioExecutor>) {
        builder.http1().timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(self.header_read_timeout);
        builder.http2().timer(hyper_util::rt::TokioTimer::new());
    }
}
