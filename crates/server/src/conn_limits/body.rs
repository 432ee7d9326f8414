//! The request-body timeout: the whole body must arrive within the limit of its headers
//! arriving. A per-read timeout would not do: a client trickling one byte just before each
//! deadline would hold the connection (and the handler) forever.

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::Request;
use http_body::{Frame, SizeHint};
use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;
use tokio::time::{Instant, Sleep};

/// Wrap each request's body with the deadline (bodiless requests are left alone).
pub fn with_deadline(timeout: Duration) -> impl Fn(Request) -> std::future::Ready<Request> + Clone + Send + Sync + 'static {
    move |req: Request| {
        if req.body().is_end_stream() {
            return std::future::ready(req);
        }
        let deadline = Instant::now() + timeout;
        std::future::ready(req.map(|inner| Body::new(DeadlineBody { inner, deadline, sleep: None })))
    }
}

struct DeadlineBody {
    inner: Body,
    deadline: Instant,
    /// Created on the first wait only: most bodies arrive with their headers.
    sleep: Option<Pin<Box<Sleep>>>,
}

#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive within the body-read timeout")]
struct BodyTimeout;

impl HttpBody for DeadlineBody {
    type Data = Bytes;
    type Error = axum::BoxError;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = &mut *self;
        if let Poll::Ready(frame) = Pin::new(&mut this.inner).poll_frame(cx) {
            return Poll::Ready(frame.map(|f| f.map_err(Into::into)));
        }
        let deadline = this.deadline;
        let sleep = this.sleep.get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
        ready!(sleep.as_mut().poll(cx));
        Poll::Ready(Some(Err(BodyTimeout.into())))
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
