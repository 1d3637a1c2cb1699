//! The bot's own texts in kk/ru/en (refusals come from
//! `kezek_i18n::refusal_message`). Kazakh and Russian follow ui-terms.md;
//! variable parts stand after a label, never glued to a case ending.
use crate::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum T {
    ChooseLang,
    AskIin,
    AskPhone,
    AskCode,
    Linked,
    NeedLink,
    Menu,
    BtnBook,
    BtnMy,
    BtnLink,
    BtnLang,
    BtnBack,
    BtnMenu,
    PickKind,
    KindPsc,
    KindAuto,
    PickService,
    Online,
    PickCity,
    PickCenter,
    PickDate,
    PickTime,
    NoDays,
    NoSlots,
    AskPlate,
    CheckBooking,
    CheckReschedule,
    LService,
    LCenter,
    LAddress,
    LTime,
    LVehicle,
    LNumber,
    LStatus,
    BtnConfirm,
    BtnRebook,
    BtnCancelBooking,
    Confirmed,
    HintArrive,
    Rescheduled,
    AskCancel,
    Cancelled,
    NoBookings,
    MyBookings,
    InvalidPhone,
    PhoneNotRegistered,
    PrivateOnly,
    BtnSignOut,
    SignedOut,
    InvalidCode,
    CodeExpired,
    RateLimited,
    NotFound,
    TryLater,
    DrawDay,
    LCloses,
    PartAny,
    PartMorning,
    PartAfternoon,
    DrawRequested,
    LPublicId,
    LDraw,
    BtnWait,
    WaitJoined,
    LDates,
    LAhead,
    MyRequests,
    MyWaiting,
    BtnWithdraw,
    BtnLeave,
    Withdrawn,
    LeftList,
}

pub fn tr(lang: Lang, key: T) -> &'static str {
    use Lang::{En, Kk, Ru};
    match (key, lang) {
        (T::ChooseLang, _) => "Тілді таңдаңыз / Выберите язык / Choose a language",
        (T::AskIin, Kk) => "ЖСН-іңізді енгізіңіз (12 сан).",
        (T::AskIin, Ru) => "Введите ваш ИИН (12 цифр).",
        (T::AskIin, En) => "Enter your IIN (12 digits).",
        (T::AskPhone, Kk) => {
            "Телефон нөміріңізді енгізіңіз, мысалы: +7 701 123 45 67. Осы нөмірге SMS-код жіберіледі."
        }
        (T::AskPhone, Ru) => {
            "Введите номер телефона, например: +7 701 123 45 67. На этот номер придёт SMS-код."
        }
        (T::AskPhone, En) => {
            "Enter your phone number, for example: +7 701 123 45 67. We will send a code to it by SMS."
        }
        (T::AskCode, Kk) => "SMS-кодты енгізіңіз.",
        (T::AskCode, Ru) => "Введите код из SMS.",
        (T::AskCode, En) => "Enter the code from the SMS.",
        (T::Linked, Kk) => {
            "Чат жеке кабинетіңізге байланыстырылды. Бронь туралы хабарламалар осында да келеді."
        }
        (T::Linked, Ru) => {
            "Чат привязан к вашему личному кабинету. Уведомления о бронях будут приходить и сюда."
        }
        (T::Linked, En) => {
            "This chat is now linked to your personal cabinet. Booking notifications will come here too."
        }
        (T::NeedLink, Kk) => {
            "Алдымен чатты жеке кабинетке байланыстырыңыз: ЖСН және SMS-код арқылы."
        }
        (T::NeedLink, Ru) => "Сначала привяжите чат к личному кабинету по ИИН и SMS-коду.",
        (T::NeedLink, En) => {
            "First link this chat to your personal cabinet with your IIN and an SMS code."
        }
        (T::Menu, Kk) => "Әрекетті таңдаңыз.",
        (T::Menu, Ru) => "Выберите действие.",
        (T::Menu, En) => "Choose an action.",
        (T::BtnBook, Kk) => "Брондау",
        (T::BtnBook, Ru) => "Забронировать",
        (T::BtnBook, En) => "Book a visit",
        (T::BtnMy, Kk) => "Менің брондарым",
        (T::BtnMy, Ru) => "Мои брони",
        (T::BtnMy, En) => "My bookings",
        (T::BtnLink, Kk) => "Кабинетке байланыстыру",
        (T::BtnLink, Ru) => "Привязать кабинет",
        (T::BtnLink, En) => "Link my cabinet",
        (T::BtnLang, Kk) => "Тіл",
        (T::BtnLang, Ru) => "Язык",
        (T::BtnLang, En) => "Language",
        (T::BtnBack, Kk) => "Артқа",
        (T::BtnBack, Ru) => "Назад",
        (T::BtnBack, En) => "Back",
        (T::BtnMenu, Kk) => "Мәзір",
        (T::BtnMenu, Ru) => "Меню",
        (T::BtnMenu, En) => "Menu",
        (T::PickKind, Kk) => "Орталық түрін таңдаңыз.",
        (T::PickKind, Ru) => "Выберите тип центра.",
        (T::PickKind, En) => "Choose the type of center.",
        (T::KindPsc, Kk) => "ХҚО",
        (T::KindPsc, Ru) => "ЦОН",
        (T::KindPsc, En) => "Public Service Center",
        (T::KindAuto, Kk) => "МХҚО (автоХҚО)",
        (T::KindAuto, Ru) => "спецЦОН",
        (T::KindAuto, En) => "Vehicle service center",
        (T::PickService, Kk) => {
            "Қызметті таңдаңыз. «онлайн» белгісі бар қызметтер порталда көрсетіледі, оларға бару қажет емес."
        }
        (T::PickService, Ru) => {
            "Выберите услугу. Услуги с пометкой «онлайн» оказываются на портале, визит для них не нужен."
        }
        (T::PickService, En) => {
            "Choose a service. Services marked “online” are provided on the portal and need no visit."
        }
        (T::Online, Kk | Ru) => "онлайн",
        (T::Online, En) => "online",
        (T::PickCity, Kk) => "Қаланы таңдаңыз.",
        (T::PickCity, Ru) => "Выберите город.",
        (T::PickCity, En) => "Choose a city.",
        (T::PickCenter, Kk) => "Орталықты таңдаңыз.",
        (T::PickCenter, Ru) => "Выберите ЦОН.",
        (T::PickCenter, En) => "Choose a center.",
        (T::PickDate, Kk) => "Күнді таңдаңыз (тек бос уақыты бар күндер).",
        (T::PickDate, Ru) => "Выберите дату (показаны дни со свободным временем).",
        (T::PickDate, En) => "Choose a date (only days with free times are shown).",
        (T::PickTime, Kk) => "Уақытты таңдаңыз.",
        (T::PickTime, Ru) => "Выберите время.",
        (T::PickTime, En) => "Choose a time.",
        (T::NoDays, Kk) => "Жақын күндерге бос уақыт жоқ. Басқа орталықты таңдаңыз.",
        (T::NoDays, Ru) => "В ближайшие дни свободного времени нет. Выберите другой ЦОН.",
        (T::NoDays, En) => "No free times in the coming days. Choose another center.",
        (T::NoSlots, Kk) => "Таңдалған күнге бос уақыт жоқ.",
        (T::NoSlots, Ru) => "На выбранную дату нет свободного времени.",
        (T::NoSlots, En) => "No free time on the chosen date.",
        (T::AskPlate, Kk) => {
            "Көліктің мемлекеттік нөмірін немесе VIN-кодын енгізіңіз. Бронды сатушы (меншік иесі) рәсімдейді."
        }
        (T::AskPlate, Ru) => {
            "Введите госномер или VIN автомобиля. Бронь оформляет продавец (собственник)."
        }
        (T::AskPlate, En) => {
            "Enter the vehicle's plate number or VIN. The seller (current owner) makes the booking."
        }
        (T::CheckBooking, Kk) => "Броньды тексеріңіз.",
        (T::CheckBooking, Ru) => "Проверьте бронь.",
        (T::CheckBooking, En) => "Please check the booking.",
        (T::CheckReschedule, Kk) => "Броньды жаңа уақытқа ауыстыру керек пе?",
        (T::CheckReschedule, Ru) => "Перенести бронь на новое время?",
        (T::CheckReschedule, En) => "Move the booking to the new time?",
        (T::LService, Kk) => "Қызмет",
        (T::LService, Ru) => "Услуга",
        (T::LService, En) => "Service",
        (T::LCenter, Kk) => "Орталық",
        (T::LCenter, Ru) => "ЦОН",
        (T::LCenter, En) => "Center",
        (T::LAddress, Kk) => "Мекенжайы",
        (T::LAddress, Ru) => "Адрес",
        (T::LAddress, En) => "Address",
        (T::LTime, Kk) => "Уақыты",
        (T::LTime, Ru) => "Время",
        (T::LTime, En) => "Time",
        (T::LVehicle, Kk) => "Көлік",
        (T::LVehicle, Ru) => "Автомобиль",
        (T::LVehicle, En) => "Vehicle",
        (T::LNumber, Kk) => "Бронь нөмірі",
        (T::LNumber, Ru) => "Номер брони",
        (T::LNumber, En) => "Booking number",
        (T::LStatus, Kk) => "Күйі",
        (T::LStatus, Ru) => "Статус",
        (T::LStatus, En) => "Status",
        (T::BtnConfirm, Kk) => "Брондау",
        (T::BtnConfirm, Ru) => "Забронировать",
        (T::BtnConfirm, En) => "Book",
        (T::BtnRebook, Kk) => "Қайта брондау",
        (T::BtnRebook, Ru) => "Перебронировать",
        (T::BtnRebook, En) => "Reschedule",
        (T::BtnCancelBooking, Kk) => "Броньды болдырмау",
        (T::BtnCancelBooking, Ru) => "Отменить бронь",
        (T::BtnCancelBooking, En) => "Cancel booking",
        (T::Confirmed, Kk) => "Бронь рәсімделді.",
        (T::Confirmed, Ru) => "Бронь оформлена.",
        (T::Confirmed, En) => "Booking confirmed.",
        (T::HintArrive, Kk) => "Белгіленген уақытта жеке куәлігіңізбен келіңіз.",
        (T::HintArrive, Ru) => "Приходите к назначенному времени с удостоверением личности.",
        (T::HintArrive, En) => "Come at the booked time with your ID card.",
        (T::Rescheduled, Kk) => "Бронь ауыстырылды.",
        (T::Rescheduled, Ru) => "Бронь перенесена.",
        (T::Rescheduled, En) => "Booking moved.",
        (T::AskCancel, Kk) => "Броньды болдырмайсыз ба?",
        (T::AskCancel, Ru) => "Отменить бронь?",
        (T::AskCancel, En) => "Cancel this booking?",
        (T::Cancelled, Kk) => "Бронь болдырылмады.",
        (T::Cancelled, Ru) => "Бронь отменена.",
        (T::Cancelled, En) => "Booking cancelled.",
        (T::NoBookings, Kk) => "Сізде бронь жоқ.",
        (T::NoBookings, Ru) => "У вас нет броней.",
        (T::NoBookings, En) => "You have no bookings.",
        (T::MyBookings, Kk) => "Менің брондарым",
        (T::MyBookings, Ru) => "Мои брони",
        (T::MyBookings, En) => "My bookings",
        (T::InvalidPhone, Kk) => "Телефон нөмірі қате. Мысалы: +7 701 123 45 67.",
        (T::InvalidPhone, Ru) => "Неверный номер телефона. Пример: +7 701 123 45 67.",
        (T::InvalidPhone, En) => "Invalid phone number. Example: +7 701 123 45 67.",
        (T::InvalidCode, Kk) => "Код қате. Қайта енгізіңіз.",
        (T::InvalidCode, Ru) => "Неверный код. Попробуйте ещё раз.",
        (T::InvalidCode, En) => "Wrong code. Please try again.",
        (T::CodeExpired, Kk) => "Кодтың мерзімі өтті. ЖСН-ді қайта енгізіңіз.",
        (T::CodeExpired, Ru) => "Код устарел. Введите ИИН заново.",
        (T::CodeExpired, En) => "The code has expired. Enter your IIN again.",
        (T::RateLimited, Kk) => "Сұраныс тым көп. Кейінірек қайталаңыз.",
        (T::RateLimited, Ru) => "Слишком много запросов. Попробуйте позже.",
        (T::RateLimited, En) => "Too many requests. Please try again later.",
        (T::NotFound, Kk) => "Бронь табылмады.",
        (T::NotFound, Ru) => "Бронь не найдена.",
        (T::NotFound, En) => "Booking not found.",
        (T::TryLater, Kk) => "Қате орын алды. Кейінірек қайталаңыз.",
        (T::TryLater, Ru) => "Произошла ошибка. Попробуйте позже.",
        (T::TryLater, En) => "Something went wrong. Please try again later.",
        (T::PhoneNotRegistered, Kk) => {
            "Бұл нөмір осы ЖСН-ге мобильді азаматтар базасында тіркелмеген. Нөміріңізді ХҚКО-да, eGov-та немесе банк қосымшасында тіркеңіз. Басқа нөмір енгізіңіз немесе /start."
        }
        (T::PhoneNotRegistered, Ru) => {
            "Этот номер не зарегистрирован на данный ИИН в базе мобильных граждан. Зарегистрируйте номер в ЦОНе, на eGov или в приложении банка. Введите другой номер или /start."
        }
        (T::PhoneNotRegistered, En) => {
            "This number is not registered to this IIN in the mobile-citizens database. Register it at a PSC, on eGov or in your bank's app. Enter another number or /start."
        }
        (T::BtnSignOut, Kk) => "Шығу",
        (T::BtnSignOut, Ru) => "Выйти",
        (T::BtnSignOut, En) => "Sign out",
        (T::SignedOut, Kk) => {
            "Шықтыңыз: бұл чат енді сіздің атыңыздан әрекет етпейді және хабарлама алмайды."
        }
        (T::SignedOut, Ru) => {
            "Вы вышли: этот чат больше не действует от вашего имени и не получает уведомлений."
        }
        (T::SignedOut, En) => {
            "Signed out: this chat no longer acts for you or receives your notices."
        }
        (T::PrivateOnly, Kk) => "Бот тек жеке чатта жұмыс істейді: маған жеке хабарлама жазыңыз.",
        (T::PrivateOnly, Ru) => {
            "Бот работает только в личном чате: напишите мне в личные сообщения."
        }
        (T::PrivateOnly, En) => "This bot works only in a private chat: message me directly.",
        (T::DrawDay, Kk) => {
            "Бұл күннің уақыттары жеребе арқылы беріледі: өтінімді қабылдау аяқталғанша жіберіңіз. Рет кездейсоқ, сондықтан жылдамдықтың мәні жоқ. Тәулік уақытын таңдаңыз:"
        }
        (T::DrawDay, Ru) => {
            "Время на этот день распределяется розыгрышем: отправьте заявку до окончания приёма. Порядок случайный, поэтому скорость не важна. Выберите время суток:"
        }
        (T::DrawDay, En) => {
            "This day's times are given out by a draw: send a request before it closes. The order is random, so speed does not matter. Choose a time of day:"
        }
        (T::LCloses, Kk) => "Өтінімдер қабылданады",
        (T::LCloses, Ru) => "Приём заявок до",
        (T::LCloses, En) => "Requests close",
        (T::PartAny, Kk) => "Кез келген уақыт",
        (T::PartAny, Ru) => "Любое время",
        (T::PartAny, En) => "Any time",
        (T::PartMorning, Kk) => "Таңертең (12:00-ге дейін)",
        (T::PartMorning, Ru) => "Утро (до 12:00)",
        (T::PartMorning, En) => "Morning (until 12:00)",
        (T::PartAfternoon, Kk) => "Түстен кейін (12:00-ден)",
        (T::PartAfternoon, Ru) => "После обеда (с 12:00)",
        (T::PartAfternoon, En) => "Afternoon (from 12:00)",
        (T::DrawRequested, Kk) => "Өтінім жіберілді. Жеребе өткенде нәтижесін хабарлаймыз.",
        (T::DrawRequested, Ru) => {
            "Заявка отправлена. Когда розыгрыш пройдёт, мы сообщим результат."
        }
        (T::DrawRequested, En) => {
            "Request sent. We will tell you the outcome when the draw has run."
        }
        (T::LPublicId, Kk) => "Өтінім нөмірі",
        (T::LPublicId, Ru) => "Номер заявки",
        (T::LPublicId, En) => "Request id",
        (T::LDraw, Kk) => "Жеребе",
        (T::LDraw, Ru) => "Розыгрыш",
        (T::LDraw, En) => "Draw",
        (T::BtnWait, Kk) => "⏳ Босаған уақытты күту",
        (T::BtnWait, Ru) => "⏳ Ждать освободившееся время",
        (T::BtnWait, En) => "⏳ Wait for a freed time",
        (T::WaitJoined, Kk) => {
            "Сіз күту тізіміндесіз. Сәйкес босаған уақыт алдымен сізге беріледі, біз хабарлаймыз."
        }
        (T::WaitJoined, Ru) => {
            "Вы в листе ожидания. Подходящее освободившееся время достанется сначала вам — мы сообщим."
        }
        (T::WaitJoined, En) => {
            "You are on the waiting list. A matching freed time goes to you first; we will tell you."
        }
        (T::LDates, Kk) => "Күндер",
        (T::LDates, Ru) => "Даты",
        (T::LDates, En) => "Dates",
        (T::LAhead, Kk) => "Алдыңызда",
        (T::LAhead, Ru) => "Перед вами",
        (T::LAhead, En) => "Ahead of you",
        (T::MyRequests, Kk) => "Жеребе өтінімдері",
        (T::MyRequests, Ru) => "Заявки на розыгрыш",
        (T::MyRequests, En) => "Draw requests",
        (T::MyWaiting, Kk) => "Күту тізімі",
        (T::MyWaiting, Ru) => "Лист ожидания",
        (T::MyWaiting, En) => "Waiting list",
        (T::BtnWithdraw, Kk) => "Өтінімді қайтарып алу",
        (T::BtnWithdraw, Ru) => "Отозвать заявку",
        (T::BtnWithdraw, En) => "Withdraw request",
        (T::BtnLeave, Kk) => "Тізімнен шығу",
        (T::BtnLeave, Ru) => "Выйти из листа",
        (T::BtnLeave, En) => "Leave the list",
        (T::Withdrawn, Kk) => "Өтінім қайтарылды.",
        (T::Withdrawn, Ru) => "Заявка отозвана.",
        (T::Withdrawn, En) => "Request withdrawn.",
        (T::LeftList, Kk) => "Сіз күту тізімінен шықтыңыз.",
        (T::LeftList, Ru) => "Вы вышли из листа ожидания.",
        (T::LeftList, En) => "You left the waiting list.",
    }
}

/// "Label: value" lines.
pub fn labelled(lang: Lang, rows: &[(T, &str)]) -> String {
    rows.iter()
        .map(|(k, v)| format!("{}: {v}", tr(lang, *k)))
        .collect::<Vec<_>>()
        .join("\n")
}
