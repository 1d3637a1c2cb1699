//! Texts sent to citizens by SMS, Telegram and WhatsApp (sign-in codes,
//! booking notices, reminders, "called to a window", draw outcomes).
//! Variable parts stand after a label or as a name in a list ("Бронь
//! ABC123. Уақыты: …"), never glued to a Kazakh case ending (ui-terms.md).
//!
//! Every notice but the sign-in code is a [`Template`]: one text per
//! language with named slots (`{code}`, `{when}`, …). SMS and Telegram get
//! the text filled in ([`Message::text`]); WhatsApp, which sends only texts
//! registered in advance, gets the template's name, its language and the
//! slot values in the order they appear ([`Message::params`]), and the
//! registered text is [`Template::whatsapp_body`] (`{{1}}`, `{{2}}`, …),
//! listed in docs/NOTIFICATIONS.md.
use crate::Lang;

/// The SMS with a one-time sign-in code (SMS only: it proves the phone).
pub fn sign_in_code(code: &str, lang: Lang) -> String {
    match lang {
        Lang::Kk => format!("Kezek: кіру коды {code}. Ешкімге айтпаңыз."),
        Lang::Ru => format!("Kezek: код для входа {code}. Никому его не сообщайте."),
        Lang::En => format!("Kezek: your sign-in code is {code}. Do not share it."),
    }
}

/// A notice with a fixed text per language and named slots.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Template {
    Booked,
    Rescheduled,
    Cancelled,
    CancelledByCenter,
    /// 24 hours before the visit.
    ReminderDay,
    /// 2 hours before the visit.
    ReminderTwoHours,
    /// "Ticket A012 — window 3" (reference wording `window_call`).
    Called,
    /// A draw request that got no time (R12); points to the waiting list.
    DrawUnmatched,
}

impl Template {
    pub const ALL: [Template; 8] = [
        Template::Booked,
        Template::Rescheduled,
        Template::Cancelled,
        Template::CancelledByCenter,
        Template::ReminderDay,
        Template::ReminderTwoHours,
        Template::Called,
        Template::DrawUnmatched,
    ];

    /// The notice's kind (`outbox.kind`).
    pub fn kind(self) -> &'static str {
        match self {
            Template::Booked => "booked",
            Template::Rescheduled => "rescheduled",
            Template::Cancelled => "cancelled",
            Template::CancelledByCenter => "cancelled_by_center",
            Template::ReminderDay => "reminder_24h",
            Template::ReminderTwoHours => "reminder_2h",
            Template::Called => "called",
            Template::DrawUnmatched => "draw_unmatched",
        }
    }

    /// The name the template is registered under with WhatsApp
    /// (`kezek_<kind>`).
    pub fn whatsapp_name(self) -> String {
        format!("kezek_{}", self.kind())
    }

    /// The text in `lang` with named slots (`{code}`).
    pub fn body(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Template::Booked, Lang::Kk) => {
                "Kezek: бронь {code} рәсімделді. {center}, {address}. Уақыты: {when}. \
                 Жеке куәлігіңізбен келіңіз."
            }
            (Template::Booked, Lang::Ru) => {
                "Kezek: бронь {code} оформлена. {center}, {address}. Время: {when}. \
                 Приходите с удостоверением личности."
            }
            (Template::Booked, Lang::En) => {
                "Kezek: booking {code} confirmed. {center}, {address}. Time: {when}. \
                 Bring your ID card."
            }
            (Template::Rescheduled, Lang::Kk) => {
                "Kezek: бронь {code} ауыстырылды. {center}, {address}. Жаңа уақыты: {when}."
            }
            (Template::Rescheduled, Lang::Ru) => {
                "Kezek: бронь {code} перенесена. {center}, {address}. Новое время: {when}."
            }
            (Template::Rescheduled, Lang::En) => {
                "Kezek: booking {code} moved. {center}, {address}. New time: {when}."
            }
            (Template::Cancelled, Lang::Kk) => "Kezek: {when} уақытына {code} броны болдырылмады.",
            (Template::Cancelled, Lang::Ru) => "Kezek: бронь {code} на {when} отменена.",
            (Template::Cancelled, Lang::En) => "Kezek: booking {code} for {when} cancelled.",
            (Template::CancelledByCenter, Lang::Kk) => {
                "Kezek: ХҚО {when} уақытына {code} броның болдырмады. Себебі: {reason}. \
                 Басқа уақытқа жазылыңыз."
            }
            (Template::CancelledByCenter, Lang::Ru) => {
                "Kezek: ЦОН отменил бронь {code} на {when}. Причина: {reason}. \
                 Запишитесь на другое время."
            }
            (Template::CancelledByCenter, Lang::En) => {
                "Kezek: the center cancelled booking {code} for {when}. Reason: {reason}. \
                 Please book another time."
            }
            (Template::ReminderDay, Lang::Kk) => {
                "Kezek: ХҚО-ға баратын уақытыңызды еске саламыз. Бронь {code}. {center}, \
                 {address}. Уақыты: {when}. Жеке куәлігіңізді ала жүріңіз. Броньды жеке \
                 кабинетте өзгертуге немесе болдырмауға болады."
            }
            (Template::ReminderDay, Lang::Ru) => {
                "Kezek: напоминаем о визите в ЦОН. Бронь {code}. {center}, {address}. Время: \
                 {when}. Возьмите удостоверение личности. Перенести или отменить бронь можно \
                 в личном кабинете."
            }
            (Template::ReminderDay, Lang::En) => {
                "Kezek: a reminder of your visit. Booking {code}. {center}, {address}. Time: \
                 {when}. Bring your ID card. You can reschedule or cancel the booking in your \
                 personal cabinet."
            }
            (Template::ReminderTwoHours, Lang::Kk) => {
                "Kezek: ХҚО-ға баратын уақытыңызға шамамен 2 сағат қалды. Бронь {code}. \
                 {center}, {address}. Уақыты: {when}. Келген соң бронь нөмірі бойынша талон \
                 алыңыз."
            }
            (Template::ReminderTwoHours, Lang::Ru) => {
                "Kezek: до визита в ЦОН осталось около 2 часов. Бронь {code}. {center}, \
                 {address}. Время: {when}. По прибытии получите талон по номеру брони."
            }
            (Template::ReminderTwoHours, Lang::En) => {
                "Kezek: your visit is in about 2 hours. Booking {code}. {center}, {address}. \
                 Time: {when}. On arrival, get a ticket with your booking number."
            }
            (Template::Called, Lang::Kk) => {
                "Kezek: {ticket} талоны — {window} терезе. Терезеге өтіңіз."
            }
            (Template::Called, Lang::Ru) => {
                "Kezek: талон {ticket} — окно {window}. Пройдите к окну."
            }
            (Template::Called, Lang::En) => {
                "Kezek: ticket {ticket} — window {window}. Please go to the window."
            }
            (Template::DrawUnmatched, Lang::Kk) => {
                "Kezek: №{draw} жеребеде сізге бос уақыт табылмады. Жеке кабинетте күту \
                 тізіміне тұруға болады."
            }
            (Template::DrawUnmatched, Lang::Ru) => {
                "Kezek: в розыгрыше №{draw} свободного времени для вас не нашлось. Встаньте \
                 в лист ожидания в личном кабинете."
            }
            (Template::DrawUnmatched, Lang::En) => {
                "Kezek: draw #{draw} found no free time for you. You can join the waiting \
                 list in your cabinet."
            }
        }
    }

    /// The slot names of the text in `lang`, in order of appearance.
    pub fn slots(self, lang: Lang) -> Vec<&'static str> {
        parts(self.body(lang))
            .into_iter()
            .filter_map(|p| match p {
                Part::Slot(s) => Some(s),
                Part::Text(_) => None,
            })
            .collect()
    }

    /// The text as registered with WhatsApp: slots numbered `{{1}}`,
    /// `{{2}}`, … in order of appearance.
    pub fn whatsapp_body(self, lang: Lang) -> String {
        let mut n = 0;
        parts(self.body(lang))
            .into_iter()
            .map(|p| match p {
                Part::Text(t) => t.to_owned(),
                Part::Slot(_) => {
                    n += 1;
                    format!("{{{{{n}}}}}")
                }
            })
            .collect()
    }
}

enum Part {
    Text(&'static str),
    Slot(&'static str),
}

/// Splits a body into text and `{name}` slots (a name is ASCII lowercase
/// letters and `_`; any other brace is text).
fn parts(body: &'static str) -> Vec<Part> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
            .unwrap_or(after.len());
        if name_len > 0 && after[name_len..].starts_with('}') {
            if open > 0 {
                out.push(Part::Text(&rest[..open]));
            }
            out.push(Part::Slot(&after[..name_len]));
            rest = &after[name_len + 1..];
        } else {
            out.push(Part::Text(&rest[..=open]));
            rest = after;
        }
    }
    if !rest.is_empty() {
        out.push(Part::Text(rest));
    }
    out
}

/// A template in a language with its slot values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub template: Template,
    pub lang: Lang,
    args: Vec<(&'static str, String)>,
}

impl Message {
    pub fn new(template: Template, lang: Lang) -> Self {
        Self {
            template,
            lang,
            args: Vec::new(),
        }
    }

    /// Sets slot `name`. The value is made one line (WhatsApp refuses
    /// line breaks and tabs in parameters) and never empty (`—`).
    pub fn arg(mut self, name: &'static str, value: impl AsRef<str>) -> Self {
        let one_line = value
            .as_ref()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let v = if one_line.is_empty() {
            "—".to_owned()
        } else {
            one_line
        };
        self.args.retain(|(n, _)| *n != name);
        self.args.push((name, v));
        self
    }

    fn value(&self, slot: &str) -> &str {
        self.args
            .iter()
            .find(|(n, _)| *n == slot)
            .map(|(_, v)| v.as_str())
            .unwrap_or("—")
    }

    /// The text with its slots filled in (SMS, Telegram).
    pub fn text(&self) -> String {
        parts(self.template.body(self.lang))
            .into_iter()
            .map(|p| match p {
                Part::Text(t) => t,
                Part::Slot(s) => self.value(s),
            })
            .collect()
    }

    /// The slot values in the order the text in this language shows them
    /// (WhatsApp's `{{1}}`, `{{2}}`, …).
    pub fn params(&self) -> Vec<String> {
        self.template
            .slots(self.lang)
            .into_iter()
            .map(|s| self.value(s).to_owned())
            .collect()
    }
}

/// A booking notice ([`Template::Booked`], `Rescheduled`, `Cancelled`,
/// `CancelledByCenter`) or a reminder: booking `code` at the center
/// `center`, `address`, at `when` (already formatted); `reason` for a
/// cancellation by the center.
pub fn booking(
    template: Template,
    code: &str,
    center: &str,
    address: &str,
    when: &str,
    reason: Option<&str>,
    lang: Lang,
) -> Message {
    let m = Message::new(template, lang)
        .arg("code", code)
        .arg("center", center)
        .arg("address", address)
        .arg("when", when);
    match reason {
        Some(r) => m.arg("reason", r),
        None => m,
    }
}

/// "Ticket A012 — window 3".
pub fn called(ticket: &str, window: i32, lang: Lang) -> Message {
    Message::new(Template::Called, lang)
        .arg("ticket", ticket)
        .arg("window", window.to_string())
}

/// A draw request that got no time (R12).
pub fn draw_unmatched(draw_id: i64, lang: Lang) -> Message {
    Message::new(Template::DrawUnmatched, lang).arg("draw", draw_id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reminders_differ_per_language_and_carry_the_facts() {
        for r in [Template::ReminderDay, Template::ReminderTwoHours] {
            let t: Vec<String> = Lang::ALL
                .iter()
                .map(|&l| {
                    booking(
                        r,
                        "AB12CD",
                        "ХҚО Есіл",
                        "Мәңгілік Ел 8",
                        "02.12.2026 10:00",
                        None,
                        l,
                    )
                    .text()
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
        assert!(called("A012", 3, Lang::Ru).text().contains("окно 3"));
        for l in Lang::ALL {
            assert!(sign_in_code("123456", l).contains("123456"));
        }
    }

    #[test]
    fn every_template_has_the_same_slots_in_every_language_and_no_stray_braces() {
        for t in Template::ALL {
            let mut first: Vec<&str> = t.slots(Lang::Ru);
            first.sort_unstable();
            for l in Lang::ALL {
                let mut s = t.slots(l);
                s.sort_unstable();
                assert_eq!(s, first, "{t:?} {l:?}");
                let filled = Message::new(t, l).text();
                assert!(!filled.contains('{') && !filled.contains('}'), "{filled}");
                let wa = t.whatsapp_body(l);
                // WhatsApp refuses a template that starts or ends with a
                // parameter, and numbers them from 1 without gaps.
                assert!(wa.starts_with("Kezek: ") && !wa.ends_with("}}"), "{wa}");
                for (i, _) in t.slots(l).iter().enumerate() {
                    assert!(wa.contains(&format!("{{{{{}}}}}", i + 1)), "{wa}");
                }
                assert!(!wa.contains("  ") && !wa.contains('\n'), "{wa}");
            }
            assert!(t.whatsapp_name().starts_with("kezek_"));
        }
    }

    /// The table of templates to register with WhatsApp, as
    /// docs/NOTIFICATIONS.md lists it.
    fn registration_table() -> String {
        let mut out = String::from("| name | language | text |\n|---|---|---|\n");
        for t in Template::ALL {
            for l in Lang::ALL {
                out.push_str(&format!(
                    "| `{}` | `{}` | {} |\n",
                    t.whatsapp_name(),
                    l.code(),
                    t.whatsapp_body(l)
                ));
            }
        }
        out
    }

    #[test]
    fn the_docs_list_every_template_as_registered() {
        let docs = include_str!("../../../docs/NOTIFICATIONS.md");
        let table = registration_table();
        assert!(
            docs.contains(&table),
            "docs/NOTIFICATIONS.md must hold this table:\n{table}"
        );
    }

    #[test]
    fn params_follow_each_language_s_order() {
        let m = |l| {
            booking(
                Template::Cancelled,
                "AB12CD",
                "c",
                "a",
                "02.12.2026 10:00",
                None,
                l,
            )
        };
        assert_eq!(m(Lang::Ru).params(), ["AB12CD", "02.12.2026 10:00"]);
        assert_eq!(m(Lang::Kk).params(), ["02.12.2026 10:00", "AB12CD"]);
        assert_eq!(
            Template::Cancelled.whatsapp_body(Lang::Kk),
            "Kezek: {{1}} уақытына {{2}} броны болдырылмады."
        );
        assert_eq!(
            m(Lang::Kk).text(),
            "Kezek: 02.12.2026 10:00 уақытына AB12CD броны болдырылмады."
        );
    }

    #[test]
    fn values_are_one_line_and_never_empty() {
        let m = booking(
            Template::CancelledByCenter,
            "AB12CD",
            "c",
            "a\nb\tc",
            "w",
            Some("  "),
            Lang::En,
        );
        assert!(m.text().contains("Reason: —."), "{}", m.text());
        let m = booking(Template::Booked, "X", "c", "a\nb\tc", "w", None, Lang::En);
        assert!(m.params().contains(&"a b c".to_owned()));
    }
}
