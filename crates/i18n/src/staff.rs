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
    Iin => ["ЖСН", "ИИН", "IIN"],
    CompareIdCard => ["Жеке куәлікпен салыстырыңыз", "Сверьте с удостоверением личности", "Compare with the ID card"],
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
    Schedule => ["Жұмыс кестесі", "Расписание", "Schedule"],
    WeeklyHours => ["Апталық жұмыс уақыты", "Часы работы по дням недели", "Weekly opening hours"],
    Weekday => ["Апта күні", "День недели", "Weekday"],
    Opens => ["Ашылуы", "Открытие", "Opens"],
    Closes => ["Жабылуы", "Закрытие", "Closes"],
    DayOff => ["демалыс", "выходной", "closed"],
    Save => ["Сақтау", "Сохранить", "Save"],
    Saved => ["Сақталды", "Сохранено", "Saved"],
    Breaks => ["Үзілістер", "Перерывы", "Breaks"],
    EveryDay => ["Күн сайын", "Каждый день", "Every day"],
    AddBreak => ["Үзіліс қосу", "Добавить перерыв", "Add a break"],
    Remove => ["Жою", "Удалить", "Remove"],
    Exceptions => ["Ерекше күндер", "Особые дни", "Special days"],
    Kind => ["Түрі", "Вид", "Kind"],
    KindClosed => ["жабық", "закрыто", "closed"],
    KindShortened => ["қысқартылған", "сокращённый", "shortened"],
    KindHours => ["басқа уақыт", "другие часы", "other hours"],
    Note => ["Ескертпе", "Примечание", "Note"],
    AddException => ["Ерекше күн қосу", "Добавить особый день", "Add a special day"],
    Windows => ["Терезелер мен қызметтер", "Окна и услуги", "Windows and services"],
    Active => ["Жұмыс істейді", "Работает", "Active"],
    AddWindow => ["Терезе қосу", "Добавить окно", "Add a window"],
    Cap => ["Бір уақытқа бронь шегі (R9)", "Лимит броней на одно время (R9)", "Bookings per time slot cap (R9)"],
    CapHelp => ["Бос — терезелер саны бойынша", "Пусто — по числу окон", "Empty — as many as windows"],
    ChangeAffects => ["Өзгеріс осы брондарды кестеден тыс қалдырады — шешім қабылдаңыз", "Изменение оставит эти брони вне расписания — нужно решение", "This change leaves these bookings outside the schedule — a decision is needed"],
    MoveThem => ["Сақтау және жақын бос уақытқа ауыстыру", "Сохранить и перенести на ближайшее время", "Save and move to the nearest free time"],
    CancelThem => ["Сақтау және орталық атынан болдырмау", "Сохранить и отменить от имени центра", "Save and cancel on behalf of the center"],
    Discard => ["Бас тарту", "Не сохранять", "Discard"],
    Administration => ["Әкімшілік", "Администрирование", "Administration"],
    TabCenters => ["Орталықтар", "Центры", "Centers"],
    TabServices => ["Қызметтер", "Услуги", "Services"],
    TabPolicy => ["Ереже мәндері", "Параметры правил", "Rule values"],
    TabStaff => ["Қызметкерлер", "Сотрудники", "Staff"],
    TabCalendar => ["Ұлттық күнтізбе", "Производственный календарь", "National calendar"],
    TabVehicles => ["Көлік тізілімі", "Реестр транспорта", "Vehicle registry"],
    Slug => ["Қысқа атауы (латынша)", "Короткое имя (латиницей)", "Short name (latin)"],
    NameKk => ["Атауы (қаз.)", "Название (каз.)", "Name (kk)"],
    NameRu => ["Атауы (орыс.)", "Название (рус.)", "Name (ru)"],
    NameEn => ["Атауы (ағыл.)", "Название (англ.)", "Name (en)"],
    AddressKk => ["Мекенжайы (қаз.)", "Адрес (каз.)", "Address (kk)"],
    AddressRu => ["Мекенжайы (орыс.)", "Адрес (рус.)", "Address (ru)"],
    AddressEn => ["Мекенжайы (ағыл.)", "Адрес (англ.)", "Address (en)"],
    Region => ["Облыс", "Область", "Region"],
    City => ["Қала", "Город", "City"],
    TimeZone => ["Уақыт белдеуі", "Часовой пояс", "Time zone"],
    SlotMinutes => ["Слот ұзақтығы, мин", "Длина слота, мин", "Slot length, min"],
    CreateCenter => ["Орталық құру", "Создать центр", "Create a center"],
    Created => ["Құрылды", "Создано", "Created"],
    Enable => ["Қосу", "Включить", "Enable"],
    Disable => ["Өшіру", "Отключить", "Disable"],
    Inactive => ["өшірулі", "отключено", "disabled"],
    Edit => ["Баптау", "Настроить", "Edit"],
    Duration => ["Ұзақтығы, мин", "Длительность, мин", "Duration, min"],
    OnlineOnly => ["онлайн", "онлайн", "online"],
    DisplayName => ["Аты-жөні", "Имя", "Display name"],
    Role => ["Рөлі", "Роль", "Role"],
    RoleOperator => ["оператор", "оператор", "operator"],
    RoleCenterAdmin => ["орталық әкімшісі", "администратор центра", "center admin"],
    RoleAdministrator => ["әкімші", "администратор", "administrator"],
    CreateStaff => ["Қызметкер қосу", "Добавить сотрудника", "Add a staff member"],
    NewPassword => ["Жаңа құпиясөз (кемінде 10 таңба)", "Новый пароль (не менее 10 символов)", "New password (10+ characters)"],
    SetPassword => ["Құпиясөзді ауыстыру", "Сменить пароль", "Set password"],
    Year => ["Жыл", "Год", "Year"],
    KindDayOff => ["демалыс күні", "выходной", "day off"],
    KindWorkingDay => ["жұмыс күні", "рабочий день", "working day"],
    Name => ["Атауы", "Название", "Name"],
    IfBookings => ["Бұл күнге брондар болса", "Если на этот день есть брони", "If bookings fall on this day"],
    DecisionNone => ["сақтамау", "не сохранять", "do not save"],
    Import => ["Импорттау", "Импортировать", "Import"],
    CsvHelp => ["CSV: бірінші жол plate,vin,owner_iin; қате жол бүкіл файлды тоқтатады", "CSV: первая строка plate,vin,owner_iin; ошибка в строке отклоняет весь файл", "CSV: first line plate,vin,owner_iin; a bad line rejects the whole file"],
    Imported => ["Жүктелді", "Загружено", "Imported"],
    TabPhones => ["Мобильді азаматтар", "Мобильные граждане", "Mobile citizens"],
    TabDraws => ["Жеребелер", "Розыгрыши", "Draws"],
    DrawsHelp => ["Жеребе күндерді «бірінші келген» тәртібінің орнына ашады: өтінімдер терезе ішінде жиналады, содан кейін жарияланған ретпен бөлінеді. Күндер брондау мерзімі ішінде болуы керек.", "Розыгрыш открывает дни не по принципу «кто первый»: заявки собираются в течение окна, затем распределяются в опубликованном порядке. Даты — в пределах срока записи.", "A draw opens days instead of first-come: requests are collected during the window, then allocated in a published order. Dates must lie inside the booking horizon."],
    OpenDraw => ["Жеребені ашу", "Открыть розыгрыш", "Open a draw"],
    DrawDates => ["Күндер (ЖЖЖЖ-АА-КК, үтір арқылы)", "Даты (ГГГГ-ММ-ДД через запятую)", "Dates (YYYY-MM-DD, comma-separated)"],
    DrawWindow => ["Өтінім қабылдау, минут", "Приём заявок, минут", "Requests open for, minutes"],
    ReleaseMode => ["Күндерді ашу тәртібі", "Как открываются дни", "How days open"],
    ReleaseFirstCome => ["Бірінші келген", "Кто первый", "First come"],
    ReleaseDraw => ["Жеребе", "Розыгрыш", "Draw"],
    ReleaseTime => ["Жеребе басталатын уақыт", "Время начала розыгрыша", "Draw opens at"],
    RecentDraws => ["Соңғы жеребелер", "Последние розыгрыши", "Recent draws"],
    TabOutbox => ["Хабарламалар", "Уведомления", "Notifications"],
    OutboxPending => ["Кезекте", "В очереди", "Pending"],
    OutboxOldest => ["Ең ескісі күтіп тұр, сек", "Самое старое ждёт, сек", "Oldest waiting, s"],
    OutboxFailed => ["Жеткізілмеді", "Не доставлено", "Failed"],
    Requeue => ["Жеткізілмегендерді қайта жіберу", "Отправить недоставленные повторно", "Send the failed ones again"],
    Requeued => ["Қайта кезекке қойылды", "Снова в очереди", "Queued again"],
    Relocations => ["Брондарды ауыстыру (соңғы 7 күн)", "Переносы броней (за 7 дней)", "Booking relocations (last 7 days)"],
    RelocationsNone => ["Соңғы 7 күнде ауыстыру болған жоқ", "За 7 дней переносов не было", "No relocations in the last 7 days"],
    RelDone => ["Өңделді", "Обработано", "Handled"],
    RelMoved => ["Ауыстырылды", "Перенесено", "Moved"],
    RelCancelled => ["Болдырылмады", "Отменено", "Cancelled"],
    RelChanged => ["Азамат өзгертті", "Изменено гражданином", "Changed by the citizen"],
    RelPending => ["Кезекте", "В очереди", "Waiting"],
    RelNeedsDecision => ["Шешім қажет", "Нужно решение", "Needs a decision"],
    RelocationPending => ["Ауыстыру немесе болдырмау күтілуде (брондар)", "Ждут переноса или отмены (брони)", "Bookings waiting to be moved or cancelled"],
    PhonesHelp => ["CSV: бірінші жол iin,phone; бір ЖСН-ге бірнеше нөмір болуы мүмкін; қате жол бүкіл файлды тоқтатады. Кіру коды тек осы тізімдегі нөмірге жіберіледі.", "CSV: первая строка iin,phone; у ИИН может быть несколько номеров; ошибка в строке отклоняет весь файл. Код входа отправляется только на номер из этого списка.", "CSV: first line iin,phone; an IIN may have several phones; a bad line rejects the whole file. Sign-in codes go only to a phone on this list."],
    PhonesReplace => ["Бүкіл тізімді осы файлмен ауыстыру", "Заменить весь список этим файлом", "Replace the whole list with this file"],
    PolicyHelp => ["Жаңа мәндер осы сәттен бастап жаңа әрекеттерге қолданылады; бар брондар өзгермейді.", "Новые значения действуют для новых действий; существующие брони не меняются.", "New values apply to actions from now on; existing bookings stay as they are."],
    PTenDay => ["R4: кезең, күн", "R4: период, дней", "R4: window, days"],
    PPerDay => ["R5: бір күнге бронь", "R5: броней в день", "R5: bookings per day"],
    PGroupSplit => ["Қызмет топтары бойынша бөлу (R3–R5)", "Разделение по группам услуг (R3–R5)", "Split by service group (R3–R5)"],
    PMaxResched => ["R1: ауыстыру саны", "R1: число переносов", "R1: reschedules"],
    PReschedCut => ["R1: ауыстыру шегі, мин", "R1: перенос не позже, мин", "R1: reschedule cut-off, min"],
    PCancelCut => ["R2: болдырмау шегі, мин", "R2: отмена не позже, мин", "R2: cancel cut-off, min"],
    PNotice => ["Ең аз алдын ала, мин", "Минимум заранее, мин", "Minimum notice, min"],
    PHorizon => ["Жазылу көкжиегі, күн", "Горизонт записи, дней", "Booking horizon, days"],
    PGrace => ["R8: кешігу шегі, мин", "R8: допустимое опоздание, мин", "R8: grace, min"],
    ChartTimes => ["Күндер бойынша орташа күту және қызмет уақыты, мин", "Среднее ожидание и обслуживание по дням, мин", "Average wait and service time per day, min"],
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
