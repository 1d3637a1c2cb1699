//! The reminders before a visit and the "called to a window" notice; their
//! texts are in `kezek_i18n::notices`.
use crate::entity::centers;
use kezek_i18n::Lang;
use kezek_i18n::notices::{self, Message, Template};

/// The two reminders before a visit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reminder {
    /// 24 hours before the start.
    Day,
    /// 2 hours before the start.
    TwoHours,
}

impl Reminder {
    /// `outbox.kind` and `booking_reminders.kind`.
    pub fn kind(self) -> &'static str {
        match self {
            Reminder::Day => "reminder_24h",
            Reminder::TwoHours => "reminder_2h",
        }
    }

    /// How long before the start it is due, seconds.
    pub fn lead_secs(self) -> i64 {
        match self {
            Reminder::Day => 24 * 3600,
            Reminder::TwoHours => 2 * 3600,
        }
    }

    pub fn text(self, code: &str, c: &centers::Model, when: &str, lang: Lang) -> Message {
        let (name, address) = lang.choose(
            (&c.name_kk, &c.address_kk),
            (&c.name_ru, &c.address_ru),
            (&c.name_en, &c.address_en),
        );
        let which = match self {
            Reminder::Day => Template::ReminderDay,
            Reminder::TwoHours => Template::ReminderTwoHours,
        };
        notices::booking(which, code, name, address, when, None, lang)
    }
}

/// "Ticket A012 — window 3" (reference wording `window_call`).
pub fn called_text(ticket: &str, window: i32, lang: Lang) -> Message {
    notices::called(ticket, window, lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_differ_per_language_and_carry_the_facts() {
        let c = centers::Model {
            id: 1,
            slug: "x".into(),
            kind: "Psc".into(),
            name_kk: "ХҚО Есіл".into(),
            name_ru: "ЦОН Есиль".into(),
            name_en: "PSC Yesil".into(),
            region: "Astana".into(),
            city: "Astana".into(),
            address_kk: "Мәңгілік Ел 8".into(),
            address_ru: "Мангилик Ел 8".into(),
            address_en: "Mangilik El 8".into(),
            timezone: "Asia/Almaty".into(),
            slot_minutes: 15,
            capacity_cap: None,
            active: true,
            schedule_version: 0,
        };
        for r in [Reminder::Day, Reminder::TwoHours] {
            let t: Vec<String> = Lang::ALL
                .iter()
                .map(|&l| r.text("AB12CD", &c, "02.12.2026 10:00", l).text())
                .collect();
            for x in &t {
                assert!(
                    x.contains("AB12CD") && x.contains("02.12.2026 10:00"),
                    "{x}"
                );
                assert!(!x.contains("  "), "{x}");
            }
            // No stray Latin letters in the Cyrillic texts.
            for x in &t[..2] {
                let rest = x.replace("Kezek", "").replace("AB12CD", "");
                assert!(!rest.chars().any(|c| c.is_ascii_alphabetic()), "{x}");
            }
            assert!(t[0] != t[1] && t[1] != t[2]);
        }
        assert!(called_text("A012", 3, Lang::Ru).text().contains("окно 3"));
    }
}
