//! Formatting of booking times for pages: RFC 3339 strings (already in the
//! center's offset) shown as "3 декабря 2026, 10:00".
use chrono::format::{Item, Numeric, Pad, ParseResult, Parsed};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};

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

/// `%Y-%m-%d` as chrono's `StrftimeItems` spells it. Used through
/// [`parse_ymd`] and [`ymd`] so the WebAssembly client carries no
/// format-string parser (issue 8: the client's size).
const YMD: [Item<'static>; 5] = [
    Item::Numeric(Numeric::Year, Pad::Zero),
    Item::Literal("-"),
    Item::Numeric(Numeric::Month, Pad::Zero),
    Item::Literal("-"),
    Item::Numeric(Numeric::Day, Pad::Zero),
];

/// `NaiveDate::parse_from_str(s, "%Y-%m-%d")`.
pub fn parse_ymd(s: &str) -> ParseResult<NaiveDate> {
    let mut parsed = Parsed::new();
    chrono::format::parse(&mut parsed, s, YMD.iter())?;
    parsed.to_naive_date()
}

/// `d.format("%Y-%m-%d").to_string()`.
pub fn ymd(d: NaiveDate) -> String {
    d.format_with_items(YMD.iter()).to_string()
}

/// The attributes of a 24-hour `HH:MM` field, the same in every language
/// (`<input type="time">` shows AM/PM in an English browser whatever the
/// page's language); spread into an `<input>`: `<input {..time_field()} …/>`.
pub fn time_field() -> impl leptos::attr::Attribute {
    use leptos::prelude::*;
    view! {
        <{..} type="text" inputmode="numeric" pattern="([01][0-9]|2[0-3]):[0-5][0-9]" maxlength="5" placeholder="--:--" autocomplete="off"/>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::format::StrftimeItems;

    #[test]
    fn ymd_items_are_chronos_own() {
        let items: Vec<Item<'static>> = StrftimeItems::new("%Y-%m-%d").collect();
        assert_eq!(items, YMD.to_vec());
    }

    #[test]
    fn ymd_parses_and_formats_like_the_format_string() {
        for s in [
            "2026-12-03",
            "0001-01-01",
            "9999-12-31",
            "2026-2-3",
            "2026-02-30",
            " 2026-12-03",
            "2026-12-03 ",
            "2026 -12-03",
            "+12026-12-03",
            "-0044-03-15",
            "",
            "2026-12",
        ] {
            assert_eq!(
                parse_ymd(s).ok(),
                NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(),
                "{s:?}"
            );
        }
        for d in [
            (2026, 12, 3),
            (1, 1, 1),
            (9999, 12, 31),
            (12026, 1, 2),
            (-44, 3, 15),
        ] {
            let Some(d) = NaiveDate::from_ymd_opt(d.0, d.1, d.2) else {
                panic!("{d:?}");
            };
            assert_eq!(ymd(d), d.format("%Y-%m-%d").to_string());
        }
    }
}
