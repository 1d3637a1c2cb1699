//! Booking writes per citizen (review M7): a citizen's book, reschedule
//! and cancel requests are counted in `Core::limiter` and refused with
//! `rate_limited` past `Config::booking_writes_per_minute` — before any
//! write transaction or lock, so a flood of requests from one session
//! costs no database writes. Addresses are never capped for bookings.
use crate::error::ServiceError;
use crate::state::Core;

/// Counts one booking write of `citizen_id`.
pub fn count(core: &Core, citizen_id: i64) -> Result<(), ServiceError> {
    core.limiter
        .check(
            &format!("book:{citizen_id}"),
            core.config.booking_writes_per_minute,
            60,
            core.now().timestamp(),
        )
        .map_err(|secs| {
            tracing::info!(citizen_id, "booking rate limit hit");
            ServiceError::RateLimited(secs)
        })
}
