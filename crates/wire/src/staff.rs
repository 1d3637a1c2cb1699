//! The staff app: the signed-in staff member, the operator console's day,
//! the hall display, closures and reports.
use serde::{Deserialize, Serialize};

/// The signed-in staff member.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffInfo {
    pub id: String,
    pub username: String,
    pub display_name: String,
    /// `operator`, `center_admin` or `administrator`.
    pub role: String,
    pub center_id: Option<String>,
    pub center_name: Option<String>,
    pub window_id: Option<String>,
    pub window_number: Option<i32>,
}

/// One booking in the console's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskRow {
    pub id: String,
    pub code: String,
    pub ticket: Option<String>,
    pub status: String,
    /// RFC 3339 in the center's offset.
    pub start: String,
    pub service: String,
    pub service_name: String,
    /// The window assigned at booking.
    pub window: Option<i32>,
    pub called_window: Option<i32>,
    pub priority: bool,
    pub walk_in: bool,
    /// The holder's IIN, all but the last four digits hidden
    /// (`••••••••1868`), so the desk can compare it with the visitor's ID
    /// card (review L15). `None` for a walk-in (no IIN is asked) and in
    /// the administrator's closure and schedule previews.
    #[serde(default)]
    pub iin_masked: Option<String>,
}

/// A window of the center.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskWindow {
    pub id: String,
    pub number: i32,
}

/// A code with a name in the caller's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedItem {
    pub code: String,
    pub name: String,
}

/// Today at a center, for the operator console.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskDay {
    pub center_id: String,
    pub center_name: String,
    /// `YYYY-MM-DD`, center-local.
    pub date: String,
    /// Open visits first (called, in service, waiting), then the rest.
    pub rows: Vec<DeskRow>,
    pub windows: Vec<DeskWindow>,
    /// Services a walk-in ticket may be issued for.
    pub services: Vec<NamedItem>,
}

/// A ticket just issued (check-in or walk-in).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketIssued {
    pub booking_id: String,
    pub ticket: String,
    pub walk_in: bool,
    /// At check-in: the holder's masked IIN (`••••••••1868`) to compare
    /// with the ID card before the visitor is served; `None` for a walk-in.
    #[serde(default)]
    pub iin_masked: Option<String>,
}

/// One call on the hall display.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayCall {
    pub ticket: String,
    pub window: i32,
    /// Still called (not yet at the window).
    pub waiting: bool,
}

/// The hall display: the last calls, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HallCalls {
    pub center_kk: String,
    pub center_ru: String,
    pub calls: Vec<DisplayCall>,
}

/// What closing a day did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosureOutcome {
    /// (booking id, new start RFC 3339)
    pub moved: Vec<(String, String)>,
    pub cancelled: Vec<String>,
}

/// One day (or the total) of a report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportDay {
    /// `YYYY-MM-DD`, or `total`.
    pub date: String,
    pub bookings: u32,
    pub cancelled: u32,
    pub check_ins: u32,
    pub no_shows: u32,
    pub walk_ins: u32,
    pub served: u32,
    /// Average seconds from check-in to call.
    pub avg_wait_s: Option<i64>,
    /// Average seconds from start to end of service.
    pub avg_service_s: Option<i64>,
    pub booked_slots: u32,
    pub capacity_slots: u32,
}

impl ReportDay {
    /// No-shows per booking, in percent (one decimal), if any bookings.
    pub fn no_show_pct(&self) -> Option<f64> {
        (self.bookings > 0)
            .then(|| (f64::from(self.no_shows) * 1000.0 / f64::from(self.bookings)).round() / 10.0)
    }

    /// Booked slots per offered slot, in percent (one decimal).
    pub fn utilization_pct(&self) -> Option<f64> {
        (self.capacity_slots > 0).then(|| {
            (f64::from(self.booked_slots) * 1000.0 / f64::from(self.capacity_slots)).round() / 10.0
        })
    }
}

/// A center's report over a date range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub center_id: String,
    pub center_name: String,
    pub from: String,
    pub to: String,
    pub days: Vec<ReportDay>,
    pub total: ReportDay,
    /// The public fairness figures for this center over the same range.
    #[serde(default)]
    pub fairness: Option<crate::fairness::FairnessRow>,
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

impl Report {
    /// The report as CSV (RFC 4180, comma, header line, one line per day
    /// and a `total` line; minutes with one decimal).
    pub fn to_csv(&self) -> String {
        let mins = |s: Option<i64>| s.map(|s| format!("{:.1}", s as f64 / 60.0));
        let mut out = String::from(
            "date,bookings,cancelled,check_ins,no_shows,no_show_pct,walk_ins,served,\
             avg_wait_min,avg_service_min,booked_slots,capacity_slots,utilization_pct\r\n",
        );
        for d in self.days.iter().chain(std::iter::once(&self.total)) {
            out.push_str(&format!(
                "{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n",
                d.date,
                d.bookings,
                d.cancelled,
                d.check_ins,
                d.no_shows,
                opt(d.no_show_pct()),
                d.walk_ins,
                d.served,
                opt(mins(d.avg_wait_s)),
                opt(mins(d.avg_service_s)),
                d.booked_slots,
                d.capacity_slots,
                opt(d.utilization_pct()),
            ));
        }
        out
    }
}
