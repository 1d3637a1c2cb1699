//! Live pages (DOMAIN.md R8): server-sent events telling a page that what
//! it shows has changed, so it re-reads at once instead of waiting for its
//! next poll.
//!
//! - `GET /live/my` — the signed-in citizen's cabinet: their bookings,
//!   draw requests and waiting entries (cookie or bearer token).
//! - `GET /live/center/{id}` — a center's console and hall display.
//!
//! Each stream sends `event: ready` when it opens and `event: change` when
//! something it shows may have changed (the data is the event's name: ids
//! never leave the server; the page re-reads through the calls that check
//! who may see what);
//! a comment every 15 s keeps proxies from closing it. Memory per stream
//! is one broadcast receiver: a stream that falls more than the channel's
//! backlog behind is sent one `change` and goes on from the newest. The
//! number of open streams is in `/healthz/detail`.
use std::convert::Infallible;
use std::time::Duration;

use app::server::events::{Changes, StreamGuard};
use axum::{
    Router,
    extract::{Path, State},
    response::sse::{Event, KeepAlive, Sse},
    routing::get,
};
use futures::Stream;
use tokio::sync::broadcast::{Receiver, error::RecvError};

use crate::AppState;
use crate::http::v1::error::ApiError;
use crate::http::v1::extract::{CitizenAuth, ReqLang};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/live/my", get(my))
        .route("/live/center/{id}", get(center))
}

async fn my(
    State(state): State<AppState>,
    auth: CitizenAuth,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    stream(&state, Some(auth.citizen_id), None)
}

async fn center(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ReqLang(lang): ReqLang,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let id: i64 = id.trim().parse().map_err(|_| ApiError::not_found(lang))?;
    Ok(stream(&state, None, Some(id)))
}

/// An event whose data is its name: browsers drop an event without data,
/// and ids never leave the server.
fn named(name: &'static str) -> Event {
    Event::default().event(name).data(name)
}

struct Live {
    rx: Receiver<Changes>,
    citizen: Option<i64>,
    center: Option<i64>,
    opened: bool,
    _guard: StreamGuard,
}

fn stream(
    state: &AppState,
    citizen: Option<i64>,
    center: Option<i64>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>> + use<>> {
    let live = Live {
        rx: state.core.events.subscribe(),
        citizen,
        center,
        opened: false,
        _guard: state.core.events.open_stream(),
    };
    let s = futures::stream::unfold(live, |mut live| async move {
        if !live.opened {
            live.opened = true;
            return Some((Ok(named("ready")), live));
        }
        loop {
            match live.rx.recv().await {
                Ok(cs) if cs.iter().any(|c| c.concerns(live.citizen, live.center)) => break,
                Ok(_) => {}
                // Fell behind: whatever was missed, one re-read covers it.
                Err(RecvError::Lagged(_)) => break,
                Err(RecvError::Closed) => return None,
            }
        }
        // One event for what is already queued: a re-read covers it all.
        while live.rx.try_recv().is_ok() {}
        Some((Ok(named("change")), live))
    });
    Sse::new(s).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
