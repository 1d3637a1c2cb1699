//! Center and system administration: schedule changes and views, the
//! administrator's rows (centers, services, staff, the national calendar).
use serde::{Deserialize, Serialize};

use crate::staff::NamedItem;

/// One edit of a center's schedule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum ScheduleChange {
    /// The center's hours on a weekday (0 = Monday): one interval
    /// `HH:MM`–`HH:MM`, or closed when either is missing.
    Hours {
        weekday: i32,
        open: Option<String>,
        close: Option<String>,
    },
    /// A break every day (`weekday` missing) or on one weekday.
    AddBreak {
        weekday: Option<i32>,
        start: String,
        end: String,
    },
    RemoveBreak {
        id: i64,
    },
    /// A dated exception: `closed`, `shortened` (closes early at `close`)
    /// or `hours` (`open`–`close` that day).
    Exception {
        date: String,
        kind: String,
        open: Option<String>,
        close: Option<String>,
        note: Option<String>,
    },
    RemoveException {
        date: String,
    },
    /// A window (new when `id` is missing): number, active, the services
    /// it serves.
    Window {
        id: Option<i64>,
        number: i32,
        active: bool,
        services: Vec<String>,
    },
    /// R9: cap on concurrent bookings per slot; `None` = the windows only.
    Cap {
        cap: Option<i32>,
    },
}

/// A weekday's center hours (`HH:MM` pairs; empty = closed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayHours {
    pub weekday: i32,
    pub intervals: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakView {
    pub id: i64,
    pub weekday: Option<i32>,
    pub start: String,
    pub end: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExceptionView {
    pub date: String,
    pub kind: String,
    pub open: Option<String>,
    pub close: Option<String>,
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowView {
    pub id: i64,
    pub number: i32,
    pub active: bool,
    pub services: Vec<String>,
}

/// A center's editable schedule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleView {
    pub center_id: i64,
    pub center_name: String,
    pub slot_minutes: i32,
    pub cap: Option<i32>,
    /// Monday first, seven entries.
    pub hours: Vec<DayHours>,
    pub breaks: Vec<BreakView>,
    /// Today and later.
    pub exceptions: Vec<ExceptionView>,
    pub windows: Vec<WindowView>,
    /// Services a window of this center may serve.
    pub services: Vec<NamedItem>,
}

/// A center as the administrator sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CenterRow {
    pub id: i64,
    pub slug: String,
    pub kind: String,
    pub name: String,
    pub city: String,
    pub address: String,
    pub slot_minutes: i32,
    pub cap: Option<i32>,
    pub active: bool,
}

/// A new center (the schedule editor then sets its hours and windows).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCenter {
    pub slug: String,
    /// `Psc` or `AutoPsc`.
    pub kind: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub region: String,
    pub city: String,
    pub address_kk: String,
    pub address_ru: String,
    pub address_en: String,
    pub timezone: String,
    pub slot_minutes: i32,
}

/// A service as the administrator sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceRow {
    pub code: String,
    pub center_kind: String,
    pub group: String,
    pub name: String,
    pub duration_min: i32,
    pub online_available: bool,
    pub requires_vehicle: bool,
    pub active: bool,
}

/// A staff account (never the password hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub center_id: Option<i64>,
    pub window_id: Option<i64>,
    pub active: bool,
}

/// A national calendar entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NationalDayRow {
    pub date: String,
    /// `day_off` or `working_day`.
    pub kind: String,
    pub name: String,
}

/// One admin change's relocation on the administrator's page: how many of
/// the bookings it left out are handled, and how.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelocationRow {
    /// When the change was made, RFC 3339 in Kazakhstan time.
    pub at: String,
    pub center: String,
    pub reason: String,
    pub total: u64,
    pub moved: u64,
    pub cancelled: u64,
    /// Left as the citizen changed them after the decision.
    pub changed: u64,
    /// Could not be handled: the bookings in `needs_decision`.
    pub failed: u64,
    /// Not handled yet (the relocation job finishes them).
    pub pending: u64,
    /// Codes of the bookings that need a decision.
    pub needs_decision: Vec<String>,
}

/// The notifications box of the administrator's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxState {
    pub pending: u64,
    /// Age of the oldest pending notification, seconds.
    pub oldest_pending_secs: Option<i64>,
    pub failed: u64,
    /// Bookings an admin change decided to move or cancel, not handled yet
    /// (the relocation job finishes them).
    pub relocation_pending: u64,
}
