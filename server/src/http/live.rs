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
//!
//! Bounds: the server ends a stream after `Config::live_max_secs` (the
//! browser reconnects by itself and the page re-reads on `ready`), and one
//! client holds at most `live_per_citizen` cabinet streams (per citizen) or
//! `live_per_address` center streams (per client address); past that the
//! request is 429 `rate_limited`.
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
use crate::http::v1::ratelimit::ClientAddr;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/live/my", get(my))
        .route("/live/center/{id}", get(center))
}

/// Retry-After of a refused stream, seconds.
const FULL_RETRY_SECS: u64 = 30;

async fn my(
    State(state): State<AppState>,
    auth: CitizenAuth,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let client = format!("citizen:{}", auth.citizen_id);
    let guard = room(&state, client, state.config.live_per_citizen, auth.lang)?;
    Ok(stream(&state, Some(auth.citizen_id.get()), None, guard))
}

async fn center(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ReqLang(lang): ReqLang,
    ClientAddr(addr): ClientAddr,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let id: i64 = id.trim().parse().map_err(|_| ApiError::not_found(lang))?;
    let guard = room(
        &state,
        format!("addr:{addr}"),
        state.config.live_per_address,
        lang,
    )?;
    Ok(stream(&state, None, Some(id), guard))
}

/// A place for one more stream of `client` (at most `max`), or 429.
fn room(
    state: &AppState,
    client: String,
    max: usize,
    lang: app::i18n::Lang,
) -> Result<StreamGuard, ApiError> {
    state
        .core
        .events
        .open_stream_for(client, max)
        .ok_or_else(|| ApiError::rate_limited(FULL_RETRY_SECS, lang))
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
    /// When the server ends the stream.
    until: tokio::time::Instant,
    _guard: StreamGuard,
}

fn stream(
    state: &AppState,
    citizen: Option<i64>,
    center: Option<i64>,
    guard: StreamGuard,
) -> Sse<impl Stream<Item = Result<Event, Infallible>> + use<>> {
    let live = Live {
        rx: state.core.events.subscribe(),
        citizen,
        center,
        opened: false,
        until: tokio::time::Instant::now() + Duration::from_secs(state.config.live_max_secs.max(1)),
        _guard: guard,
    };
    let s = futures::stream::unfold(live, |mut live| async move {
        if !live.opened {
            live.opened = true;
            return Some((Ok(named("ready")), live));
        }
        loop {
            // Past its lifetime the stream ends; the browser reconnects.
            let Ok(next) = tokio::time::timeout_at(live.until, live.rx.recv()).await else {
                return None;
            };
            match next {
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
