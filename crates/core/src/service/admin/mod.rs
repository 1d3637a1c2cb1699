//! Center administration use cases (center admin of that center, or the
//! administrator). Every change that touches bookings goes through the
//! booking use cases, which write the history (actor `staff:<id>`) and the
//! citizens' notifications.
pub mod closure;
pub mod schedule;
pub mod system;
