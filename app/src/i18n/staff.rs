//! Texts of the staff pages (console, display, center admin, reports) in
//! kk / ru / en — the same pattern as [`super::ui`], a separate table so
//! the citizen texts stay apart. Label style, never a Kazakh case ending
//! glued to a variable (ui-terms.md).
use super::Lang;

macro_rules! texts {
    ($($key:ident => [$kk:expr, $ru:expr, $en:expr]),* $(,)?) => {
        /// A staff text key.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum S { $($key),* }
        impl S {
            /// Every key (for the completeness test).
            pub const ALL: &'static [S] = &[$(S::$key),*];
            /// The text in `lang`.
            pub fn get(self, lang: Lang) -> &'static str {
                match self {
                    $(S::$key => match lang { Lang::Kk => $kk, Lang::Ru => $ru, Lang::En => $en }),*
                }
            }
        }
    };
}

texts! {
    StaffSignIn => ["Қызметкерлерге кіру", "Вход для сотрудников", "Staff sign-in"],
    Username => ["Логин", "Логин", "Username"],
    Password => ["Құпиясөз", "Пароль", "Password"],
    SignIn => ["Кіру", "Войти", "Sign in"],
    SignOut => ["Шығу", "Выйти", "Sign out"],
    SessionOver => ["Сессия аяқталды. Қайта кіріңіз.", "Сессия завершена. Войдите снова.", "Your session has ended. Please sign in again."],
    NotStaff => ["Бұл бет қызметкерлерге арналған.", "Эта страница — для сотрудников.", "This page is for staff."],
    Console => ["Оператор пульті", "Пульт оператора", "Operator console"],
    Today => ["Бүгін", "Сегодня", "Today"],
    Window => ["Терезе", "Окно", "Window"],
    CheckIn => ["Бронь нөмірі бойынша тіркеу", "Регистрация по номеру брони", "Check in by booking code"],
    BookingCode => ["Бронь нөмірі", "Номер брони", "Booking code"],
    IssueTicket => ["Талон беру", "Выдать талон", "Issue ticket"],
    TicketIssued => ["Талон берілді", "Талон выдан", "Ticket issued"],
    WalkIn => ["Броньсыз келушіге талон", "Талон без брони", "Walk-in ticket"],
    Service => ["Қызмет", "Услуга", "Service"],
    Priority => ["Басымдық (мүгедектігі бар адамдар)", "Приоритет (люди с инвалидностью)", "Priority (people with disabilities)"],
    PriorityTag => ["басымдық", "приоритет", "priority"],
    WalkInTag => ["броньсыз", "без брони", "walk-in"],
    MarkPriority => ["Басымдық беру", "Дать приоритет", "Give priority"],
    UnmarkPriority => ["Басымдықты алу", "Снять приоритет", "Remove priority"],
    CallNext => ["Келесіні шақыру", "Вызвать следующего", "Call next"],
    NobodyWaits => ["Кезекте ешкім жоқ", "В очереди никого нет", "Nobody is waiting"],
    AtWindow => ["Терезедегі келуші", "Посетитель у окна", "Visitor at the window"],
    Recall => ["Қайта шақыру", "Вызвать повторно", "Recall"],
    Start => ["Қабылдауды бастау", "Начать приём", "Start service"],
    Served => ["Қызмет көрсетілді", "Обслужен", "Served"],
    NoShow => ["Келмеді", "Неявка", "No-show"],
    Queue => ["Бүгінгі брондар мен кезек", "Брони и очередь на сегодня", "Today's bookings and queue"],
    Time => ["Уақыты", "Время", "Time"],
    Ticket => ["Талон", "Талон", "Ticket"],
    Status => ["Күйі", "Статус", "Status"],
    Actions => ["Әрекеттер", "Действия", "Actions"],
    Empty => ["Бүгін брондар жоқ", "На сегодня броней нет", "No bookings today"],
    Center => ["Орталық", "Центр", "Center"],
    CenterId => ["Орталық нөмірі", "Номер центра", "Center number"],
    Open => ["Ашу", "Открыть", "Open"],
    Display => ["Залдағы табло", "Табло в зале", "Hall display"],
    CenterAdmin => ["Орталықты басқару", "Управление центром", "Center administration"],
    CloseDay => ["Күнді жабу", "Закрыть день", "Close a day"],
    Date => ["Күні", "Дата", "Date"],
    Reason => ["Себебі (азаматтарға жіберіледі)", "Причина (будет отправлена гражданам)", "Reason (sent to the citizens)"],
    ShowAffected => ["Әсер ететін брондарды көрсету", "Показать затронутые брони", "Show affected bookings"],
    Affected => ["Осы күнгі белсенді брондар — шешім қабылдаңыз", "Активные брони на этот день — нужно решение", "Active bookings on this day — a decision is needed"],
    NoAffected => ["Бұл күнге белсенді бронь жоқ", "Активных броней на этот день нет", "No active bookings on this day"],
    MoveAll => ["Жақын бос уақытқа ауыстырып, жабу", "Закрыть и перенести на ближайшее время", "Close and move to the nearest free time"],
    CancelAll => ["Жабу және орталық атынан болдырмау", "Закрыть и отменить от имени центра", "Close and cancel on behalf of the center"],
    CloseEmpty => ["Күнді жабу", "Закрыть день", "Close the day"],
    Closed => ["Күн жабылды", "День закрыт", "Day closed"],
    MovedN => ["Ауыстырылды", "Перенесено", "Moved"],
    CancelledN => ["Болдырылмады", "Отменено", "Cancelled"],
    Reports => ["Есептер", "Отчёты", "Reports"],
    From => ["Басы", "С", "From"],
    To => ["Соңы", "По", "To"],
    Show => ["Көрсету", "Показать", "Show"],
    Csv => ["CSV жүктеу", "Скачать CSV", "Download CSV"],
    Bookings => ["Брондар", "Брони", "Bookings"],
    Cancelled => ["Болдырылмаған", "Отменено", "Cancelled"],
    CheckIns => ["Келгендер", "Пришли", "Check-ins"],
    NoShows => ["Келмегендер", "Неявки", "No-shows"],
    NoShowRate => ["Келмеу үлесі, %", "Доля неявок, %", "No-show rate, %"],
    WalkIns => ["Броньсыз", "Без брони", "Walk-ins"],
    ServedN => ["Қызмет көрсетілді", "Обслужено", "Served"],
    AvgWait => ["Орташа күту, мин", "Среднее ожидание, мин", "Average wait, min"],
    AvgService => ["Орташа қызмет, мин", "Среднее обслуживание, мин", "Average service, min"],
    Utilization => ["Жүктеме, %", "Загрузка, %", "Utilization, %"],
    Total => ["Барлығы", "Итого", "Total"],
    Chart => ["Күндер бойынша брондар мен келгендер", "Брони и пришедшие по дням", "Bookings and check-ins per day"],
    LiveUpdates => ["Тізім автоматты түрде жаңартылады", "Список обновляется автоматически", "The list updates automatically"],
}

/// The hall display line: "Талон D-042 — окно 3" / "D-042 талоны — 3
/// терезе" (ui-terms.md `window_call`).
pub fn window_call(lang: Lang, ticket: &str, window: i32) -> String {
    match lang {
        Lang::Kk => format!("{ticket} талоны — {window} терезе"),
        Lang::Ru => format!("Талон {ticket} — окно {window}"),
        Lang::En => format!("Ticket {ticket} — window {window}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_staff_text_exists_in_every_language() {
        for k in S::ALL {
            for l in Lang::ALL {
                assert!(!k.get(l).trim().is_empty(), "{k:?} {l:?}");
            }
        }
        assert_eq!(window_call(Lang::Ru, "D-042", 3), "Талон D-042 — окно 3");
        assert_eq!(window_call(Lang::Kk, "D-042", 3), "D-042 талоны — 3 терезе");
    }
}
