//! The client's address, for the per-address throttle: the TCP peer that axum's
//! `ConnectInfo` records for each connection. Behind a TLS-terminating proxy this is the
//! proxy's address (forwarded-for headers are not trusted: anyone can send them), so every
//! client behind it shares one address budget.

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        // Served without connect info (a router driven in-process): one shared "unknown" address.
        let ip = parts.extensions.get::<ConnectInfo<SocketAddr>>().map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
        Ok(ClientAddr(canonical(ip)))
    }
}

/// IPv4 clients of a dual-stack listener arrive as `::ffff:a.b.c.d`; count them as IPv4. An
/// IPv6 client counts as its /64: one host usually holds a whole /64, and keying by /128 would
/// hand it 2^64 fresh budgets.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6((u128::from(v6) & !((1u128 << 64) - 1)).into()),
        },
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_counts_per_64_and_mapped_ipv4_as_ipv4() {
        let a = canonical("2001:db8:1:2:aaaa::1".parse().unwrap());
        let b = canonical("2001:db8:1:2:bbbb::2".parse().unwrap());
        assert_eq!(a, b);
        assert_eq!(a, "2001:db8:1:2::".parse::<IpAddr>().unwrap());
        assert_eq!(canonical("::ffff:192.0.2.7".parse().unwrap()), "192.0.2.7".parse::<IpAddr>().unwrap());
    }
}
