//! The idle timeout: a connection with no request in flight and no bytes moving either way
//! for the limit is closed. hyper's header-read timeout only covers HTTP/1 once hyper is
//! reading a request; this also covers a TLS connection that never sends its first bytes
//! (hyper's version detection waits for them without a timer), idle HTTP/2 connections, and
//! clients that stop reading our answer.
//!
//! `IdleTimeout` wraps the connection's stream; `TrackRequests` wraps its service and counts
//! the requests in flight, so a slow handler does not count as idleness. The stream also holds
//! the connection's slot under the cap, released when the connection is dropped.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::OwnedSemaphorePermit;
use tokio::time::{Instant, Sleep};

/// Requests in flight on one connection.
#[derive(Default)]
pub struct InFlight(AtomicUsize);

pub struct IdleTimeout<S> {
    inner: S,
    idle: Duration,
    last_activity: Instant,
    sleep: Pin<Box<Sleep>>,
    in_flight: Arc<InFlight>,
    _slot: Option<OwnedSemaphorePermit>,
}

impl<S> IdleTimeout<S> {
    pub fn new(inner: S, idle: Duration, in_flight: Arc<InFlight>, slot: Option<OwnedSemaphorePermit>) -> Self {
        let now = Instant::now();
        IdleTimeout { inner, idle, last_activity: now, sleep: Box::pin(tokio::time::sleep_until(now + idle)), in_flight, _slot: slot }
    }

    pub fn get_ref(&self) -> &S {
        &self.inner
    }

    /// Called when the inner stream has nothing to do: is the connection idle too long? The
    /// timer is moved rather than reset on every read and write (cheaper): when it fires early
    /// because bytes moved since, or a request is in flight, it is re-armed.
    fn poll_idle(&mut self, cx: &mut Context<'_>) -> Poll<io::Error> {
        loop {
            if self.sleep.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            let now = Instant::now();
            if self.in_flight.0.load(Ordering::SeqCst) > 0 {
                self.last_activity = now;
            }
            let deadline = self.last_activity + self.idle;
            if deadline <= now {
                return Poll::Ready(io::Error::new(io::ErrorKind::TimedOut, "connection idle for too long"));
            }
            self.sleep.as_mut().reset(deadline);
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for IdleTimeout<S> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        match Pin::new(&mut self.inner).poll_read(cx, buf) {
            Poll::Ready(r) => {
                if buf.filled().len() > before {
                    self.last_activity = Instant::now();
                }
                Poll::Ready(r)
            }
            Poll::Pending => self.poll_idle(cx).map(Err),
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for IdleTimeout<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        match Pin::new(&mut self.inner).poll_write(cx, buf) {
            Poll::Ready(r) => {
                if matches!(r, Ok(n) if n > 0) {
                    self.last_activity = Instant::now();
                }
                Poll::Ready(r)
            }
            // A client that stops reading our answer holds the connection as surely as one
            // that stops sending.
            Poll::Pending => self.poll_idle(cx).map(Err),
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match Pin::new(&mut self.inner).poll_flush(cx) {
            Poll::Pending => self.poll_idle(cx).map(Err),
            ready => ready,
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match Pin::new(&mut self.inner).poll_shutdown(cx) {
            Poll::Pending => self.poll_idle(cx).map(Err),
            ready => ready,
        }
    }

    fn poll_write_vectored(mut self: Pin<&mut Self>, cx: &mut Context<'_>, bufs: &[io::IoSlice<'_>]) -> Poll<io::Result<usize>> {
        match Pin::new(&mut self.inner).poll_write_vectored(cx, bufs) {
            Poll::Ready(r) => {
                if matches!(r, Ok(n) if n > 0) {
                    self.last_activity = Instant::now();
                }
                Poll::Ready(r)
            }
            Poll::Pending => self.poll_idle(cx).map(Err),
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

/// Counts a connection's requests in flight for its `IdleTimeout`.
#[derive(Clone)]
pub struct TrackRequests<S> {
    inner: S,
    in_flight: Arc<InFlight>,
}

impl<S> TrackRequests<S> {
    pub fn new(inner: S, in_flight: Arc<InFlight>) -> Self {
        TrackRequests { inner, in_flight }
    }
}

/// One request in flight, until its handler has answered (or was dropped).
struct Flying(Arc<InFlight>);

impl Drop for Flying {
    fn drop(&mut self) {
        self.0 .0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl<S, R> tower::Service<R> for TrackRequests<S>
where
    S: tower::Service<R>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: R) -> Self::Future {
        self.in_flight.0.fetch_add(1, Ordering::SeqCst);
        let flying = Flying(self.in_flight.clone());
        let fut = self.inner.call(req);
        Box::pin(async move {
            let r = fut.await;
            drop(flying);
            r
        })
    }
}
