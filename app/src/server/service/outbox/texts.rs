//! Reminder and "called to a window" texts in kk/ru/en. Variable parts stand
//! after a label or as a name in a list ("Бронь ABC123. Уақыты: …"), never
//! glued to a Kazakh case ending (ui-terms.md).
use crate::i18n::Lang;
use crate::server::entity::centers;

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

    pub fn text(self, code: &str, c: &centers::Model, when: &str, lang: Lang) -> String {
        let (name, address) = match lang {
            Lang::Kk => (&c.name_kk, &c.address_kk),
            Lang::Ru => (&c.name_ru, &c.address_ru),
            Lang::En => (&c.name_en, &c.address_en),
        };
        match (self, lang) {
            (Reminder::Day, Lang::Kk) => format!(
                "Kezek: ХҚО-ға баратын уақытыңызды еске саламыз. Бронь {code}. {name}, {address}. \
                 Уақыты: {when}. Жеке куәлігіңізді ала жүріңіз. Броньды жеке кабинетте өзгертуге \
                 немесе болдырмауға болады."
            ),
            (Reminder::Day, Lang::Ru) => format!(
                "Kezek: напоминаем о визите в ЦОН. Бронь {code}. {name}, {address}. Время: {when}. \
                 Возьмите удостоверение личности. Перенести или отменить бронь можно в личном \
                 кабинете."
            ),
            (Reminder::Day, Lang::En) => format!(
                "Kezek: a reminder of your visit. Booking {code}. {name}, {address}. Time: {when}. \
                 Bring your ID card. You can reschedule or cancel the booking in your personal \
                 cabinet."
            ),
            (Reminder::TwoHours, Lang::Kk) => format!(
                "Kezek: ХҚО-ға баратын уақытыңызға шамамен 2 сағат қалды. Бронь {code}. {name}, \
                 {address}. Уақыты: {when}. Келген соң бронь нөмірі бойынша талон алыңыз."
            ),
            (Reminder::TwoHours, Lang::Ru) => format!(
                "Kezek: до визита в ЦОН осталось около 2 часов. Бронь {code}. {name}, {address}. \
                 Время: {when}. По прибытии получите талон по номеру брони."
            ),
            (Reminder::TwoHours, Lang::En) => format!(
                "Kezek: your visit is in about 2 hours. Booking {code}. {name}, {address}. \
                 Time: {when}. On arrival, get a ticket with your booking number."
            ),
        }
    }
}

/// "Ticket A012 — window 3" (reference wording `window_call`).
pub fn called_text(ticket: &str, window: i32, lang: Lang) -> String {
    match lang {
        Lang::Kk => format!("Kezek: {ticket} талоны — {window} терезе. Терезеге өтіңіз."),
        Lang::Ru => format!("Kezek: талон {ticket} — окно {window}. Пройдите к окну."),
        Lang::En => format!("Kezek: ticket {ticket} — window {window}. Please go to the window."),
    }
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
        };
        for r in [Reminder::Day, Reminder::TwoHours] {
            let t: Vec<String> = Lang::ALL
                .iter()
                .map(|&l| r.text("AB12CD", &c, "02.12.2026 10:00", l))
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
        assert!(called_text("A012", 3, Lang::Ru).contains("окно 3"));
    }
}
