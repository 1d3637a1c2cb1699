//! Dates and times for citizens: `dd.mm.yyyy`, 24-hour `HH:MM`, long dates
//! ("3 желтоқсан 2026", "3 декабря 2026", "3 December 2026") and weekday
//! names. Kazakh month names are lower-case; weekday names are given
//! capitalized, as labels and headers use them.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};

use crate::Lang;

const KK_MONTHS: [&str; 12] = [
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
];
/// Genitive, as in "3 декабря".
const RU_MONTHS_GEN: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];
const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const KK_WEEKDAYS: [&str; 7] = [
    "Дүйсенбі",
    "Сейсенбі",
    "Сәрсенбі",
    "Бейсенбі",
    "Жұма",
    "Сенбі",
    "Жексенбі",
];
const RU_WEEKDAYS: [&str; 7] = [
    "Понедельник",
    "Вторник",
    "Среда",
    "Четверг",
    "Пятница",
    "Суббота",
    "Воскресенье",
];
const EN_WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// `03.12.2026` (all languages).
pub fn format_date(d: NaiveDate) -> String {
    format!("{:02}.{:02}.{:04}", d.day(), d.month(), d.year())
}

/// `09:05` (24-hour, all languages).
pub fn format_time(t: NaiveTime) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// `03.12.2026, 09:05`.
pub fn format_date_time(t: NaiveDateTime) -> String {
    format!("{}, {}", format_date(t.date()), format_time(t.time()))
}

/// The month's name: Kazakh nominative lower-case, Russian genitive (for
/// a day-month date), English capitalized.
pub fn month_name(month: u32, lang: Lang) -> &'static str {
    let i = (month.clamp(1, 12) - 1) as usize;
    match lang {
        Lang::Kk => KK_MONTHS[i],
        Lang::Ru => RU_MONTHS_GEN[i],
        Lang::En => EN_MONTHS[i],
    }
}

/// `3 желтоқсан 2026` / `3 декабря 2026` / `3 December 2026`.
pub fn format_date_long(d: NaiveDate, lang: Lang) -> String {
    format!("{} {} {}", d.day(), month_name(d.month(), lang), d.year())
}

/// A weekday in two letters for day pickers ("Пн", "Дс", "Mo").
pub fn weekday_short(w: Weekday, lang: Lang) -> &'static str {
    const KK: [&str; 7] = ["Дс", "Сс", "Ср", "Бс", "Жм", "Сб", "Жс"];
    const RU: [&str; 7] = ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"];
    const EN: [&str; 7] = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];
    let i = w.num_days_from_monday() as usize;
    lang.choose(KK[i], RU[i], EN[i])
}

/// `Дүйсенбі` / `Понедельник` / `Monday`.
pub fn weekday_name(w: Weekday, lang: Lang) -> &'static str {
    let i = w.num_days_from_monday() as usize;
    match lang {
        Lang::Kk => KK_WEEKDAYS[i],
        Lang::Ru => RU_WEEKDAYS[i],
        Lang::En => EN_WEEKDAYS[i],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default();
        assert_eq!(format_date(d), "03.12.2026");
        assert_eq!(format_date_long(d, Lang::Kk), "3 желтоқсан 2026");
        assert_eq!(format_date_long(d, Lang::Ru), "3 декабря 2026");
        assert_eq!(format_date_long(d, Lang::En), "3 December 2026");
        assert_eq!(weekday_name(d.weekday(), Lang::Kk), "Бейсенбі");
        assert_eq!(weekday_name(Weekday::Mon, Lang::Ru), "Понедельник");
        let t = d.and_hms_opt(9, 5, 0).unwrap_or_default();
        assert_eq!(format_date_time(t), "03.12.2026, 09:05");
        assert!(
            KK_MONTHS
                .iter()
                .all(|m| m.chars().next().is_some_and(char::is_lowercase))
        );
        let leap = NaiveDate::from_ymd_opt(2028, 2, 29).unwrap_or_default();
        assert_eq!(format_date_long(leap, Lang::Kk), "29 ақпан 2028");
    }
}
