//! Texts sent to citizens by SMS and Telegram (sign-in codes, reminders,
//! "called to a window"). Variable parts stand after a label or as a name
//! in a list ("Бронь ABC123. Уақыты: …"), never glued to a Kazakh case
//! ending (ui-terms.md).
use crate::Lang;

/// The SMS with a one-time sign-in code.
pub fn sign_in_code(code: &str, lang: Lang) -> String {
    match lang {
        Lang::Kk => format!("Kezek: кіру коды {code}. Ешкімге айтпаңыз."),
        Lang::Ru => format!("Kezek: код для входа {code}. Никому его не сообщайте."),
        Lang::En => format!("Kezek: your sign-in code is {code}. Do not share it."),
    }
}

/// Which reminder before a visit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReminderText {
    /// 24 hours before.
    Day,
    /// 2 hours before.
    TwoHours,
}

/// A reminder of a visit: booking `code` at the center `name`, `address`,
/// at `when` (already formatted).
pub fn reminder(
    which: ReminderText,
    code: &str,
    name: &str,
    address: &str,
    when: &str,
    lang: Lang,
) -> String {
    match (which, lang) {
        (ReminderText::Day, Lang::Kk) => format!(
            "Kezek: ХҚО-ға баратын уақытыңызды еске саламыз. Бронь {code}. {name}, {address}. \
             Уақыты: {when}. Жеке куәлігіңізді ала жүріңіз. Броньды жеке кабинетте өзгертуге \
             немесе болдырмауға болады."
        ),
        (ReminderText::Day, Lang::Ru) => format!(
            "Kezek: напоминаем о визите в ЦОН. Бронь {code}. {name}, {address}. Время: {when}. \
             Возьмите удостоверение личности. Перенести или отменить бронь можно в личном \
             кабинете."
        ),
        (ReminderText::Day, Lang::En) => format!(
            "Kezek: a reminder of your visit. Booking {code}. {name}, {address}. Time: {when}. \
             Bring your ID card. You can reschedule or cancel the booking in your personal \
             cabinet."
        ),
        (ReminderText::TwoHours, Lang::Kk) => format!(
            "Kezek: ХҚО-ға баратын уақытыңызға шамамен 2 сағат қалды. Бронь {code}. {name}, \
             {address}. Уақыты: {when}. Келген соң бронь нөмірі бойынша талон алыңыз."
        ),
        (ReminderText::TwoHours, Lang::Ru) => format!(
            "Kezek: до визита в ЦОН осталось около 2 часов. Бронь {code}. {name}, {address}. \
             Время: {when}. По прибытии получите талон по номеру брони."
        ),
        (ReminderText::TwoHours, Lang::En) => format!(
            "Kezek: your visit is in about 2 hours. Booking {code}. {name}, {address}. \
             Time: {when}. On arrival, get a ticket with your booking number."
        ),
    }
}

/// "Ticket A012 — window 3" (reference wording `window_call`).
pub fn called(ticket: &str, window: i32, lang: Lang) -> String {
    match lang {
        Lang::Kk => format!("Kezek: {ticket} талоны — {window} терезе. Терезеге өтіңіз."),
        Lang::Ru => format!("Kezek: талон {ticket} — окно {window}. Пройдите к окну."),
        Lang::En => format!("Kezek: ticket {ticket} — window {window}. Please go to the window."),
    }
}

/// A draw request that got no time (R12); points to the waiting list.
pub fn draw_unmatched(draw_id: i64, lang: Lang) -> String {
    match lang {
        Lang::Kk => format!(
            "Kezek: №{draw_id} жеребеде сізге бос уақыт табылмады. Жеке кабинетте күту \
             тізіміне тұруға болады."
        ),
        Lang::Ru => format!(
            "Kezek: в розыгрыше №{draw_id} свободного времени для вас не нашлось. Встаньте \
             в лист ожидания в личном кабинете."
        ),
        Lang::En => format!(
            "Kezek: draw #{draw_id} found no free time for you. You can join the waiting \
             list in your cabinet."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_differ_per_language_and_carry_the_facts() {
        for r in [ReminderText::Day, ReminderText::TwoHours] {
            let t: Vec<String> = Lang::ALL
                .iter()
                .map(|&l| {
                    reminder(
                        r,
                        "AB12CD",
                        "ХҚО Есіл",
                        "Мәңгілік Ел 8",
                        "02.12.2026 10:00",
                        l,
                    )
                })
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
        assert!(called("A012", 3, Lang::Ru).contains("окно 3"));
        for l in Lang::ALL {
            assert!(sign_in_code("123456", l).contains("123456"));
        }
    }
}
