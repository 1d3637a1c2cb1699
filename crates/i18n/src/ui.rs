//! Page texts in kk / ru / en. Label style ("Орталық: {name}") — never a
//! Kazakh case ending glued to a variable. Reference wording: ui-terms.md.
use super::Lang;

macro_rules! texts {
    ($($key:ident => [$kk:expr, $ru:expr, $en:expr]),* $(,)?) => {
        /// A text key.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum T { $($key),* }
        impl T {
            /// Every key (for the completeness test).
            pub const ALL: &'static [T] = &[$(T::$key),*];
            /// The text in `lang`.
            pub fn get(self, lang: Lang) -> &'static str {
                match self {
                    $(T::$key => match lang { Lang::Kk => $kk, Lang::Ru => $ru, Lang::En => $en }),*
                }
            }
        }
    };
}

texts! {
    Title => ["ХҚО-ға кезек брондау", "Бронирование очереди в ЦОН", "Book a visit to a Public Service Center"],
    Tagline => ["Қызметті, орталықты және бос уақытты таңдаңыз — кезексіз келіңіз.", "Выберите услугу, центр и свободное время — и приходите без очереди.", "Pick a service, a center and a free time — and skip the queue."],
    StartBooking => ["Брондау", "Забронировать", "Book a visit"],
    MyBookings => ["Менің брондарым", "Мои брони", "My bookings"],
    SignIn => ["Кіру", "Войти", "Sign in"],
    SignOut => ["Шығу", "Выйти", "Sign out"],
    NoticesGoTo => ["Хабарламалар жіберілетін нөмір", "Уведомления приходят на номер", "Notices go to"],
    NoticesBy => ["Хабарлама арнасы", "Способ уведомлений", "Notices by"],
    WhatsAppOn => ["WhatsApp-қа жіберу", "Присылать в WhatsApp", "Send them to WhatsApp"],
    WhatsAppOff => ["SMS-ке қайтару", "Вернуть SMS", "Back to SMS"],
    WhatsAppNote => ["Кіру кодтары бұрынғыдай SMS арқылы келеді. WhatsApp жеткізе алмаса, хабарлама SMS-пен келеді.", "Коды для входа по-прежнему приходят по SMS. Если WhatsApp не доставит сообщение, оно придёт по SMS.", "Sign-in codes still come by SMS. If WhatsApp cannot deliver a notice, it comes by SMS."],
    Sessions => ["Кірулер", "Сеансы входа", "Sessions"],
    ThisDevice => ["осы құрылғы", "это устройство", "this device"],
    EndOtherSessions => ["Басқа кірулердің бәрін аяқтау", "Завершить все другие сеансы", "End all other sessions"],
    OtherSessionsEnded => ["Басқа кірулер аяқталды", "Другие сеансы завершены", "Other sessions ended"],
    SignedInFrom => ["Мекенжай", "Адрес", "From"],
    Iin => ["ЖСН", "ИИН", "IIN"],
    Phone => ["Телефон", "Телефон", "Phone"],
    GetCode => ["Код алу", "Получить код", "Get a code"],
    EnterCode => ["SMS-кодты енгізіңіз", "Введите код из SMS", "Enter the code from the SMS"],
    CodeSentTo => ["Код жіберілді", "Код отправлен", "Code sent"],
    DevCode => ["Әзірлеу режимі, код:", "Режим разработки, код:", "Dev mode, code:"],
    SignedIn => ["Сіз жүйеге кірдіңіз. ЖСН:", "Вы вошли. ИИН:", "You are signed in. IIN:"],
    IinOk => ["ЖСН дұрыс", "ИИН указан верно", "The IIN is valid"],
    IinLength => ["ЖСН 12 цифрдан тұрады", "ИИН должен содержать 12 цифр", "An IIN has 12 digits"],
    IinDigits => ["ЖСН тек цифрлардан тұрады", "ИИН состоит только из цифр", "An IIN has digits only"],
    IinChecksum => ["ЖСН қате көрсетілген: бақылау цифры сәйкес емес", "ИИН указан неверно: не сходится контрольная цифра", "The IIN is wrong: its check digit does not match"],
    PhoneOk => ["Нөмір дұрыс", "Номер указан верно", "The number is valid"],
    PhoneInvalid => ["Қазақстандық ұялы нөмірді енгізіңіз: +7 7XX XXX XX XX", "Введите казахстанский мобильный номер: +7 7XX XXX XX XX", "Enter a Kazakh mobile number: +7 7XX XXX XX XX"],
    CenterKind => ["Орталық түрі", "Тип центра", "Type of center"],
    Psc => ["ХҚО", "ЦОН", "Public Service Center"],
    PscHint => ["Құжаттар, АХАЖ, зейнетақы, жылжымайтын мүлік және басқа қызметтер", "Документы, ЗАГС, пенсии, недвижимость и другие услуги", "Documents, civil registry, pensions, real estate and more"],
    AutoPsc => ["МХҚО (автоХҚО)", "спецЦОН", "Vehicle service center"],
    AutoPscHint => ["Көлік тіркеу, жүргізуші куәлігі, емтихандар", "Регистрация ТС, водительские удостоверения, экзамены", "Vehicle registration, driving licences, exams"],
    PickService => ["Қызметті таңдаңыз", "Выберите услугу", "Choose a service"],
    SearchService => ["Қызметті іздеу", "Поиск услуги", "Search services"],
    OnlineOnly => ["Бұл қызмет онлайн көрсетіледі — келудің қажеті жоқ (eGov.kz).", "Эта услуга оказывается онлайн — приходить не нужно (eGov.kz).", "This service is online — no visit needed (eGov.kz)."],
    Documentation => ["Құжаттандыру", "Документирование", "Documentation"],
    PickCity => ["Қала", "Город", "City"],
    AllCities => ["Барлық қалалар", "Все города", "All cities"],
    Show => ["Көрсету", "Показать", "Show"],
    PickCenter => ["Орталықты таңдаңыз", "Выберите ЦОН", "Choose a center"],
    PickDate => ["Күнді таңдаңыз", "Выберите дату", "Choose a date"],
    PickTime => ["Уақытты таңдаңыз", "Выберите время", "Choose a time"],
    NoSlots => ["Таңдалған күнге бос уақыт жоқ", "На выбранную дату нет свободного времени", "No free time on the chosen date"],
    NoDays => ["Жақын күндерге бос уақыт жоқ. Басқа орталықты таңдаңыз.", "На ближайшие дни свободного времени нет. Выберите другой центр.", "No free time in the coming days. Try another center."],
    Free => ["бос", "своб.", "free"],
    Confirm => ["Брондауды растау", "Подтвердите бронь", "Confirm the booking"],
    Service => ["Қызмет", "Услуга", "Service"],
    Center => ["Орталық", "Центр", "Center"],
    Address => ["Мекенжай", "Адрес", "Address"],
    DateTime => ["Күні мен уақыты", "Дата и время", "Date and time"],
    Vehicle => ["Көлік (мемлекеттік нөмір немесе VIN)", "Транспорт (госномер или VIN)", "Vehicle (plate number or VIN)"],
    VehicleHint => ["Қайта тіркеуге бронды сатушы (меншік иесі) рәсімдейді.", "Бронь на перерегистрацию ТС оформляет продавец (собственник).", "The seller (the current owner) books the re-registration."],
    VehicleBad => ["Нөмір немесе VIN танылмады", "Номер или VIN не распознан", "Not a plate number or VIN"],
    VehicleOk => ["Көлік нөмірі танылды", "Номер распознан", "Recognised"],
    Book => ["Брондау", "Забронировать", "Book"],
    Back => ["Артқа", "Назад", "Back"],
    Change => ["Өзгерту", "Изменить", "Change"],
    SignInToBook => ["Брондау үшін жүйеге кіріңіз", "Чтобы забронировать, войдите", "Sign in to book"],
    AlreadyActive => ["Сізде осы топта белсенді бронь бар. Уақытты өзгерткіңіз келсе, «Қайта брондау» батырмасын пайдаланыңыз.", "У вас уже есть активная бронь этой группы услуг. Чтобы изменить время, используйте «Перебронировать».", "You already have an active booking of this kind. To change the time, reschedule it instead."],
    OpenIt => ["Броньды ашу", "Открыть бронь", "Open that booking"],
    Booked => ["Бронь рәсімделді", "Бронь оформлена", "Booking confirmed"],
    BookingCode => ["Бронь нөмірі", "Номер брони", "Booking code"],
    Window => ["Терезе", "Окно", "Window"],
    Ticket => ["Талон", "Талон", "Ticket"],
    Status => ["Күйі", "Статус", "Status"],
    History => ["Тарих", "История", "History"],
    WhatToBring => ["Өзіңізбен бірге алыңыз: жеке куәлік (немесе паспорт) және қызметке қажетті құжаттар. Белгіленген уақыттан 5–10 минут бұрын келіңіз.", "Возьмите с собой удостоверение личности (или паспорт) и документы для услуги. Приходите за 5–10 минут до назначенного времени.", "Bring your ID card (or passport) and the documents for the service. Arrive 5–10 minutes before your time."],
    AddToCalendar => ["Күнтізбеге қосу (.ics)", "Добавить в календарь (.ics)", "Add to calendar (.ics)"],
    Reschedule => ["Қайта брондау", "Перебронировать", "Reschedule"],
    Cancel => ["Броньды болдырмау", "Отменить бронь", "Cancel the booking"],
    CancelSure => ["Броньды шынымен болдырмайсыз ба? Уақыт басқаларға босатылады.", "Точно отменить бронь? Время сразу станет доступно другим.", "Really cancel? The time is released to others at once."],
    YesCancel => ["Иә, болдырмау", "Да, отменить", "Yes, cancel"],
    Keep => ["Жоқ, қалдыру", "Нет, оставить", "No, keep it"],
    DrawRequests => ["Жеребеге өтінімдер", "Заявки на розыгрыш", "Draw requests"],
    WaitingList => ["Күту тізімі", "Лист ожидания", "Waiting list"],
    Withdraw => ["Өтінімді қайтарып алу", "Отозвать заявку", "Withdraw"],
    LeaveList => ["Тізімнен шығу", "Выйти из листа", "Leave the list"],
    DrawClosesAt => ["Өтінім қабылдау аяқталады", "Приём заявок до", "Requests close"],
    DrawStatusPending => ["Жеребені күтуде", "Ждёт розыгрыша", "Awaiting the draw"],
    DrawStatusMatched => ["Уақыт берілді", "Время выделено", "Time allocated"],
    DrawStatusUnmatched => ["Бос уақыт табылмады", "Времени не нашлось", "No time found"],
    DrawStatusWithdrawn => ["Қайтарылды", "Отозвана", "Withdrawn"],
    WaitStatusWaiting => ["Күтуде", "Ожидает", "Waiting"],
    WaitStatusServed => ["Уақыт табылды", "Время найдено", "Time found"],
    WaitStatusLeft => ["Шықтыңыз", "Вы вышли", "Left"],
    WaitStatusExpired => ["Мерзімі өтті", "Срок истёк", "Expired"],
    AheadInList => ["Алдыңызда", "Перед вами", "Ahead of you"],
    PositionInDraw => ["Жеребедегі орны", "Место в розыгрыше", "Place in the draw"],
    PublicRecord => ["Жеребенің ашық хаттамасы", "Открытый протокол розыгрыша", "The draw's public record"],
    DrawTitle => ["Жеребе", "Розыгрыш", "Draw"],
    DrawCommitment => ["Міндеттеме (сидтің SHA-256)", "Обязательство (SHA-256 сида)", "Commitment (SHA-256 of the seed)"],
    DrawSeed => ["Сид", "Сид", "Seed"],
    DrawSeedLater => ["жеребе өткен соң жарияланады", "публикуется после розыгрыша", "published once the draw has run"],
    DrawHow => ["Өтінімдер SHA-256(сид ‖ public_id) мәні бойынша өсу ретімен реттеледі; әр өтінімге оның таңдауларының ішіндегі бірінші бос уақыт беріледі. Сид ашылғанға дейін міндеттеме жарияланады, сондықтан ретті алдын ала өзгерту мүмкін емес. Тексеру: kezek verify-draw", "Заявки упорядочены по возрастанию SHA-256(сид ‖ public_id); каждая получает первое свободное время из своих вариантов. Обязательство опубликовано до раскрытия сида, поэтому порядок нельзя подогнать. Проверка: kezek verify-draw", "Requests are ordered by SHA-256(seed ‖ public_id), ascending; each gets the first free time among its choices. The commitment is published before the seed, so the order cannot be steered. To check: kezek verify-draw"],
    DrawOpen => ["Өтінім қабылдануда", "Идёт приём заявок", "Taking requests"],
    DrawRunning => ["Жеребе өтуде", "Идёт розыгрыш", "Being drawn"],
    DrawDone => ["Жеребе өтті", "Розыгрыш проведён", "Drawn"],
    DrawDayNotice => ["Бұл күнге уақыт жеребе арқылы беріледі: жылдамдық маңызды емес, әр ЖСН-ге бір өтінім.", "Время на этот день распределяется розыгрышем: скорость не важна, одна заявка на ИИН.", "Times on this day are allocated by a draw: speed does not matter, one request per IIN."],
    MoreChoices => ["Басқа нұсқалар (міндетті емес, маңыздылығы бойынша)", "Другие варианты (необязательно, по убыванию важности)", "More choices (optional, best first)"],
    RequestTime => ["Жеребеге өтінім беру", "Подать заявку на розыгрыш", "Request a time in the draw"],
    TimeFrom => ["Бастап", "С", "From"],
    TimeTo => ["Дейін", "До", "To"],
    Requested => ["Өтінім қабылданды. Нәтижесі SMS арқылы және жеке кабинетте келеді.", "Заявка принята. Результат придёт по SMS и появится в личном кабинете.", "Request received. The outcome comes by SMS and shows in your cabinet."],
    JoinWaitingList => ["Күту тізіміне тұру", "Встать в лист ожидания", "Join the waiting list"],
    WaitingJoined => ["Сіз күту тізіміндесіз. Уақыт босаса, ол сізге автоматты түрде беріледі.", "Вы в листе ожидания. Когда время освободится, оно будет закреплено за вами автоматически.", "You are on the waiting list. When a time frees up it is booked for you automatically."],
    DayFull => ["Бұл күні бос уақыт жоқ.", "На этот день свободного времени нет.", "No free time on this day."],
    NoBookings => ["Сізде әзірге бронь жоқ.", "У вас пока нет броней.", "You have no bookings yet."],
    NewTime => ["Жаңа уақыт", "Новое время", "New time"],
    Rescheduled => ["Бронь ауыстырылды", "Бронь перенесена", "Booking moved"],
    Loading => ["Жүктелуде…", "Загрузка…", "Loading…"],
    NotFound => ["Бет табылмады", "Страница не найдена", "Page not found"],
    Home => ["Басты бет", "На главную", "Home"],
    LiveStatus => ["Күйі автоматты түрде жаңартылады", "Статус обновляется автоматически", "Status updates automatically"],
    StBooked => ["Белсенді", "Активна", "Active"],
    StCheckedIn => ["Талон берілді", "Талон выдан", "Checked in"],
    StCalled => ["Терезеге шақырылды", "Вызваны к окну", "Called to a window"],
    StInService => ["Қызмет көрсетілуде", "Обслуживается", "Being served"],
    StServed => ["Қызмет көрсетілді", "Обслужена", "Served"],
    StCancelled => ["Болдырылмады", "Отменена", "Cancelled"],
    StNoShow => ["Келмеді", "Неявка", "No-show"],
    StRescheduled => ["Ауыстырылды", "Перенесена", "Rescheduled"],
    RescheduleLeft => ["Қайта брондау мүмкіндігі", "Осталось переносов", "Reschedules left"],
    NotAllowedStarted => ["Қабылдау уақыты басталды — броньды енді өзгертуге болмайды.", "Время приёма наступило — бронь больше нельзя изменить.", "The visit has started — the booking can no longer be changed."],
    Language => ["Тіл", "Язык", "Language"],
    Error => ["Қате", "Ошибка", "Error"],
    FairTitle => ["Қолжетімділік әділдігі", "Честность доступа", "Fair access"],
    FairLink => ["Қолжетімділік әділдігі: ашық көрсеткіштер", "Честность доступа: открытые показатели", "Fair access: the public figures"],
    FairIntro => ["Соңғы 30 күннің көрсеткіштері, өңір мен орталық бойынша. Жеке деректер жоқ.", "Показатели за последние 30 дней по регионам и центрам. Без персональных данных.", "Figures for the last 30 days, per region and center. No personal data."],
    FairPeriod => ["Кезең", "Период", "Period"],
    FairDaysChart => ["Бірінші бос уақытқа дейінгі күн саны", "Дней до первого свободного времени", "Days to the first free time"],
    FairDaysHint => ["Әр қараған сәттен орталықтың бірінші бос уақытына дейін: медиана және 90-перцентиль.", "От каждого просмотра календаря до первого свободного времени центра: медиана и 90-й процентиль.", "From each look at a center's calendar to its first free time: median and 90th percentile."],
    FairMedian => ["Медиана", "Медиана", "Median"],
    FairP90 => ["90-перцентиль", "90-й процентиль", "90th percentile"],
    FairDaysUnit => ["күн", "дн.", "days"],
    FairBeyond => ["көкжиектен тыс", "за горизонтом записи", "beyond the horizon"],
    FairShareChart => ["Брондар қалай берілді", "Как распределялись записи", "How bookings were given"],
    FairViaDraw => ["Жеребе", "Розыгрыш", "Draw"],
    FairViaWaitlist => ["Күту тізімі", "Лист ожидания", "Waiting list"],
    FairFirstCome => ["Кезек тәртібімен", "В порядке очереди", "First come"],
    FairRegions => ["Өңірлер", "Регионы", "Regions"],
    FairCenters => ["Орталықтар", "Центры", "Centers"],
    FairRegion => ["Өңір", "Регион", "Region"],
    FairCenter => ["Орталық", "Центр", "Center"],
    FairLooks => ["Қараулар", "Просмотры", "Looks"],
    FairBooked => ["Брондар", "Записи", "Bookings"],
    FairServed => ["Тізімнен берілді", "Выдано из листа", "Served from the list"],
    FairWaitMedian => ["Тізімде күту (медиана)", "Ожидание в листе (медиана)", "Time on the list (median)"],
    FairHoursUnit => ["сағ", "ч", "h"],
    FairNoShows => ["Келмегендер", "Неявки", "No-shows"],
    FairDraws => ["Өткізілген жеребелер", "Проведённые розыгрыши", "Draws run"],
    FairNoDraws => ["Бұл кезеңде жеребе болған жоқ.", "За период розыгрышей не было.", "No draws in this period."],
    FairRequests => ["Өтінімдер", "Заявки", "Requests"],
    FairMatched => ["Уақыт алды", "Получили время", "Got a time"],
    FairNoData => ["дерек жоқ", "нет данных", "no data"],
    FairDownload => ["Жүктеу", "Скачать", "Download"],
    FairHow => ["Қалай есептеледі: брондар кезеңде жасалған күні бойынша (кейін болдырылмағандары да), келмегендер — өткен күндердегі жазбалардан. Анықтамалар: docs/FAIRNESS.md.", "Как считается: записи — по дню создания в периоде (включая отменённые позже), неявки — среди записей на прошедшие дни. Определения: docs/FAIRNESS.md.", "How it is counted: bookings by the day they were made in the period (later cancellations included), no-shows among visits on days that have passed. Definitions: docs/FAIRNESS.md."],
}

/// The label of a booking status (R8) or history step.
pub fn status(s: &str, lang: Lang) -> &'static str {
    match s {
        "Booked" => T::StBooked,
        "CheckedIn" => T::StCheckedIn,
        "Called" => T::StCalled,
        "InService" => T::StInService,
        "Served" => T::StServed,
        "Cancelled" => T::StCancelled,
        "NoShow" => T::StNoShow,
        "Rescheduled" => T::StRescheduled,
        _ => T::Status,
    }
    .get(lang)
}

/// The booking flow's progress, "Step 3 of 6".
pub fn step_of(n: usize, total: usize, lang: Lang) -> String {
    match lang {
        Lang::Kk => format!("Қадам: {n} / {total}"),
        Lang::Ru => format!("Шаг {n} из {total}"),
        Lang::En => format!("Step {n} of {total}"),
    }
}

/// How many places are free at a time, "3 места".
pub fn free_places(n: u32, lang: Lang) -> String {
    match lang {
        Lang::Ru => format!(
            "{n} {}",
            super::plural::ru_plural(u64::from(n), "место", "места", "мест")
        ),
        Lang::Kk => format!("{n} орын"),
        Lang::En => format!("{n} {}", if n == 1 { "place" } else { "places" }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_exists_in_every_language() {
        for k in T::ALL {
            for l in [Lang::Kk, Lang::Ru, Lang::En] {
                assert!(!k.get(l).trim().is_empty(), "{k:?} {l:?}");
            }
            assert_ne!(k.get(Lang::Ru), k.get(Lang::En), "{k:?} not translated");
        }
    }
}
