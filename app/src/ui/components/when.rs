//! Formatting of booking times for pages: RFC 3339 strings (already in the
//! center's offset) shown as "3 декабря 2026, 10:00".
use chrono::{DateTime, FixedOffset, NaiveDateTime};

use crate::i18n::Lang;
use crate::i18n::dates::{format_date_long, format_time, weekday_name};
use chrono::Datelike;

/// The local wall-clock time of an RFC 3339 string.
pub fn local(rfc3339: &str) -> Option<NaiveDateTime> {
    DateTime::<FixedOffset>::parse_from_rfc3339(rfc3339)
        .ok()
        .map(|t| t.naive_local())
}

/// "3 декабря 2026, 10:00".
pub fn long(rfc3339: &str, lang: Lang) -> String {
    local(rfc3339)
        .map(|t| {
            format!(
                "{}, {}",
                format_date_long(t.date(), lang),
                format_time(t.time())
            )
        })
        .unwrap_or_else(|| rfc3339.to_owned())
}

/// "Сәрсенбі, 2 желтоқсан 2026".
pub fn day_title(d: chrono::NaiveDate, lang: Lang) -> String {
    format!(
        "{}, {}",
        weekday_name(d.weekday(), lang),
        format_date_long(d, lang)
    )
}

/// "10:00".
pub fn hhmm(rfc3339: &str) -> String {
    local(rfc3339)
        .map(|t| format_time(t.time()))
        .unwrap_or_default()
}
