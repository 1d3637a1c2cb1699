//! Citizen-facing messages for every refusal code, in kk, ru and en.
//!
//! Kazakh and Russian follow the reference wording of `ui-terms.md`
//! (`err_10days`, `err_day_pair`, `err_seller`, `iin_invalid`). Variable
//! parts stand after a label ("Күні: 03.12.2026", "Дата: 03.12.2026"), so
//! no Kazakh case ending is ever attached to a variable. Russian numbers
//! take their plural form from [`ru_plural`]. To be reviewed by native
//! speakers like the rest of the kk/ru texts.

use crate::Lang;
use crate::dates::{format_date, format_date_time};
use crate::plural::{en_plural, ru_plural};
use kezek_domain::catalog::CenterKind;
use kezek_domain::iin::IinError;
use kezek_domain::lifecycle::BookingStatus;
use kezek_domain::refusal::Refusal;

/// The status as shown in the personal cabinet.
pub fn status_label(s: BookingStatus, lang: Lang) -> &'static str {
    use BookingStatus as S;
    match (lang, s) {
        (Lang::Kk, S::Booked) => "Белсенді",
        (Lang::Kk, S::CheckedIn) => "Талон берілді",
        (Lang::Kk, S::Called) => "Терезеге шақырылды",
        (Lang::Kk, S::InService) => "Қызмет көрсетілуде",
        (Lang::Kk, S::Served) => "Қызмет көрсетілді",
        (Lang::Kk, S::Cancelled) => "Болдырылмады",
        (Lang::Kk, S::NoShow) => "Келмеді",
        (Lang::Ru, S::Booked) => "Активна",
        (Lang::Ru, S::CheckedIn) => "Талон выдан",
        (Lang::Ru, S::Called) => "Вызван к окну",
        (Lang::Ru, S::InService) => "Обслуживается",
        (Lang::Ru, S::Served) => "Обслужена",
        (Lang::Ru, S::Cancelled) => "Отменена",
        (Lang::Ru, S::NoShow) => "Неявка",
        (Lang::En, S::Booked) => "Active",
        (Lang::En, S::CheckedIn) => "Checked in",
        (Lang::En, S::Called) => "Called to a window",
        (Lang::En, S::InService) => "Being served",
        (Lang::En, S::Served) => "Served",
        (Lang::En, S::Cancelled) => "Cancelled",
        (Lang::En, S::NoShow) => "No-show",
    }
}

fn kk(r: &Refusal) -> String {
    match r {
        Refusal::SlotFull => "Бұл уақыт бос емес. Басқа уақытты таңдаңыз.".into(),
        Refusal::OneActiveBooking {
            booking_code,
            start,
            ..
        } => format!(
            "Сізде осы түрдегі белсенді бронь бар. Бронь нөмірі: {booking_code}. Уақыты: {}. \
             Уақытты өзгерту үшін «Қайта брондау» батырмасын пайдаланыңыз.",
            format_date_time(*start)
        ),
        Refusal::TenDayRule {
            window_days,
            created,
            next_possible,
        } => format!(
            "Кезекті {window_days} күнде бір рет қана брондауға болады. Уақытты өзгерту үшін \
             «Қайта брондау» батырмасын пайдаланыңыз. Алдыңғы бронь жасалған уақыт: {}. \
             Жаңа бронь жасауға болатын уақыт: {}.",
            format_date_time(*created),
            format_date_time(*next_possible)
        ),
        Refusal::TwoPerDay { date, limit } => {
            if *limit == 2 {
                format!(
                    "Бір күнде екі қызметтен артық брондауға болмайды, олардың біреуі \
                     құжаттандыру (жеке куәлік, паспорт) болуы тиіс. Күні: {}.",
                    format_date(*date)
                )
            } else {
                format!(
                    "Бір күнге брондалатын қызметтер саны шектеулі. Бір күндік шек: {limit}. \
                     Күні: {}.",
                    format_date(*date)
                )
            }
        }
        Refusal::SameGroupSameDay { date } => format!(
            "Бір күнде әр топтан бір ғана қызметті брондауға болады: бір құжаттандыру қызметі \
             (жеке куәлік, паспорт) және бір басқа қызмет. Осы күні сізде осы топтағы \
             қызметке бронь бар. Күні: {}.",
            format_date(*date)
        ),
        Refusal::NotVehicleOwner => "Көлікті қайта тіркеуге бронды сатушы (меншік иесі) \
             рәсімдейді. Тізілім деректері бойынша сіз бұл көліктің меншік иесі емессіз."
            .into(),
        Refusal::VehicleAlreadyBooked => "Бұл көлік құралына белсенді бронь бар.".into(),
        Refusal::VehicleNotFound => "Көлік құралы тізілімнен табылмады. Мемлекеттік нөмірді \
             немесе VIN кодын тексеріңіз."
            .into(),
        Refusal::VehicleRequired => "Бұл қызмет үшін көліктің мемлекеттік нөмірін немесе VIN \
             кодын көрсетіңіз."
            .into(),
        Refusal::InvalidVehicle => "Мемлекеттік нөмір немесе VIN коды қате көрсетілген. \
             Нөмір үлгісі: 123ABC02; VIN коды 17 таңбадан тұрады."
            .into(),
        Refusal::ServiceOnline => "Бұл қызмет электрондық үкімет порталында онлайн \
             қолжетімді, ол үшін ХҚО-ға барып, кезек брондаудың қажеті жоқ."
            .into(),
        Refusal::TooLate { minutes } => {
            if *minutes == 0 {
                "Кеш қалдыңыз: брондалған уақыт келіп қойды.".into()
            } else {
                format!(
                    "Бұл әрекетті басталу уақытынан кемінде {minutes} минут бұрын орындау қажет."
                )
            }
        }
        Refusal::TooEarly { from } => format!(
            "Әлі ерте. Бұл әрекет мына уақыттан бастап қолжетімді: {}.",
            format_date_time(*from)
        ),
        Refusal::OutsideHorizon { last_date } => format!(
            "Бұл күнге брондау әлі ашылған жоқ. Брондауға болатын соңғы күн: {}.",
            format_date(*last_date)
        ),
        Refusal::RescheduleLimit { max } => {
            format!("Бұл бронь үшін қайта брондау мүмкіндігі таусылды. Ең көбі: {max} рет.")
        }
        Refusal::InvalidIin { reason } => match reason {
            IinError::Length => "ЖСН қате көрсетілген: ол 12 цифрдан тұруы керек.".into(),
            IinError::NotDigits => "ЖСН қате көрсетілген: онда тек цифрлар болуы керек.".into(),
            IinError::Checksum => "ЖСН қате көрсетілген: бақылау цифры сәйкес келмейді. \
                 Қате терілмегенін тексеріңіз."
                .into(),
        },
        Refusal::OutsideHours => "Бұл уақытта орталық жұмыс істемейді. Жұмыс уақыты ішіндегі \
             уақытты таңдаңыз."
            .into(),
        Refusal::CenterClosed { date } => format!(
            "Бұл күні орталық жұмыс істемейді. Күні: {}.",
            format_date(*date)
        ),
        Refusal::WrongCenterKind { expected } => match expected {
            CenterKind::Psc => "Бұл қызмет тек ХҚО-да көрсетіледі.".into(),
            CenterKind::AutoPsc => {
                "Бұл қызмет тек мамандандырылған ХҚО-да (автоХҚО) көрсетіледі.".into()
            }
        },
        Refusal::ServiceNotOffered => "Бұл қызмет таңдалған орталықта көрсетілмейді. Басқа \
             орталықты таңдаңыз."
            .into(),
        Refusal::DifferentService => "Қайта брондау кезінде қызметті өзгертуге болмайды.".into(),
        Refusal::IllegalTransition { from, .. } => format!(
            "Бұл әрекетті қазір орындау мүмкін емес. Бронь мәртебесі: {}.",
            status_label(*from, Lang::Kk)
        ),
        Refusal::DrawPending { closes_at } => {
            let mut s =
                "Бұл күнге уақыт жеребе арқылы беріледі: жеребеге өтінім беріңіз.".to_owned();
            if let Some(t) = closes_at {
                s.push_str(&format!(
                    " Өтінім қабылдау аяқталады: {}.",
                    format_date_time(*t)
                ));
            }
            s
        }
        Refusal::DrawClosed => {
            "Жеребе жабылды: өтінім беруге немесе қайтарып алуға болмайды.".into()
        }
        Refusal::AlreadyRequested => "Осы түрдегі қызметке сізде қаралмаған өтінім бар. Жаңасын \
             беру үшін алдыңғысын қайтарып алыңыз."
            .into(),
        Refusal::SlotsAvailable => "Бос уақыт қазір бар: кезекте күтпей-ақ брондаңыз.".into(),
        Refusal::AlreadyWaiting => "Сіз осы түрдегі қызметке күту тізімінде тұрсыз. Жаңа өтінім \
             үшін алдыңғысынан шығыңыз."
            .into(),
    }
}

fn ru(r: &Refusal) -> String {
    match r {
        Refusal::SlotFull => "Это время уже занято. Выберите другое время.".into(),
        Refusal::OneActiveBooking {
            booking_code,
            start,
            ..
        } => format!(
            "У вас уже есть активная бронь этого типа. Номер брони: {booking_code}. Время: {}. \
             Чтобы изменить время, используйте «Перебронировать».",
            format_date_time(*start)
        ),
        Refusal::TenDayRule {
            window_days,
            created,
            next_possible,
        } => format!(
            "Бронировать можно не чаще одного раза в {window_days} {}. Чтобы изменить время, \
             используйте «Перебронировать». Предыдущая бронь создана: {}. Новую бронь можно \
             оформить с {}.",
            ru_plural(u64::from(*window_days), "день", "дня", "дней"),
            format_date_time(*created),
            format_date_time(*next_possible)
        ),
        Refusal::TwoPerDay { date, limit } => {
            if *limit == 2 {
                format!(
                    "В один день можно забронировать не более двух услуг, одна из которых — \
                     документирование (удостоверение личности, паспорт). Дата: {}.",
                    format_date(*date)
                )
            } else {
                format!(
                    "Число услуг, которые можно забронировать на один день, ограничено. \
                     Лимит на день: {limit}. Дата: {}.",
                    format_date(*date)
                )
            }
        }
        Refusal::SameGroupSameDay { date } => format!(
            "В один день можно забронировать только одну услугу каждой группы: одну услугу \
             документирования (удостоверение личности, паспорт) и одну другую. На эту дату у \
             вас уже есть бронь услуги этой группы. Дата: {}.",
            format_date(*date)
        ),
        Refusal::NotVehicleOwner => "Бронь на перерегистрацию ТС оформляет продавец \
             (собственник). По данным реестра вы не являетесь собственником этого \
             транспортного средства."
            .into(),
        Refusal::VehicleAlreadyBooked => {
            "На это транспортное средство уже есть активная бронь.".into()
        }
        Refusal::VehicleNotFound => "Транспортное средство не найдено в реестре. Проверьте \
             госномер или VIN."
            .into(),
        Refusal::VehicleRequired => {
            "Для этой услуги укажите госномер или VIN транспортного средства.".into()
        }
        Refusal::InvalidVehicle => "Госномер или VIN указан неверно. Пример госномера: \
             123ABC02; VIN состоит из 17 символов."
            .into(),
        Refusal::ServiceOnline => "Эта услуга доступна онлайн на портале электронного \
             правительства: бронировать визит в ЦОН не нужно."
            .into(),
        Refusal::TooLate { minutes } => {
            if *minutes == 0 {
                "Слишком поздно: время брони уже наступило.".into()
            } else {
                format!(
                    "Это действие нужно выполнить не позднее чем за {minutes} {} до начала.",
                    ru_plural(u64::from(*minutes), "минуту", "минуты", "минут")
                )
            }
        }
        Refusal::TooEarly { from } => format!(
            "Ещё рано. Это действие будет доступно с {}.",
            format_date_time(*from)
        ),
        Refusal::OutsideHorizon { last_date } => format!(
            "Запись на эту дату ещё не открыта. Последняя доступная дата: {}.",
            format_date(*last_date)
        ),
        Refusal::RescheduleLimit { max } => {
            format!("Лимит перебронирований для этой брони исчерпан. Максимум: {max}.")
        }
        Refusal::InvalidIin { reason } => match reason {
            IinError::Length => "ИИН указан неверно: он должен состоять из 12 цифр.".into(),
            IinError::NotDigits => "ИИН указан неверно: допускаются только цифры.".into(),
            IinError::Checksum => "ИИН указан неверно: не совпадает контрольная цифра. \
                 Проверьте, нет ли опечатки."
                .into(),
        },
        Refusal::OutsideHours => {
            "В это время центр не работает. Выберите время в часы работы.".into()
        }
        Refusal::CenterClosed { date } => format!(
            "В этот день центр не работает. Дата: {}.",
            format_date(*date)
        ),
        Refusal::WrongCenterKind { expected } => match expected {
            CenterKind::Psc => "Эта услуга оказывается только в ЦОН.".into(),
            CenterKind::AutoPsc => "Эта услуга оказывается только в спецЦОН.".into(),
        },
        Refusal::ServiceNotOffered => "Эта услуга не оказывается в выбранном центре. \
             Выберите другой центр."
            .into(),
        Refusal::DifferentService => "Перебронировать можно только на ту же услугу.".into(),
        Refusal::IllegalTransition { from, .. } => format!(
            "Это действие сейчас недоступно. Статус брони: {}.",
            status_label(*from, Lang::Ru)
        ),
        Refusal::DrawPending { closes_at } => {
            let mut s = "Время на эту дату распределяется розыгрышем: подайте заявку на участие."
                .to_owned();
            if let Some(t) = closes_at {
                s.push_str(&format!(" Приём заявок до: {}.", format_date_time(*t)));
            }
            s
        }
        Refusal::DrawClosed => "Розыгрыш закрыт: подать или отозвать заявку уже нельзя.".into(),
        Refusal::AlreadyRequested => "У вас уже есть заявка на услугу этого типа. Чтобы подать \
             новую, отзовите прежнюю."
            .into(),
        Refusal::SlotsAvailable => "Свободное время есть сейчас: забронируйте его, не вставая в \
             лист ожидания."
            .into(),
        Refusal::AlreadyWaiting => "Вы уже в листе ожидания на услугу этого типа. Чтобы встать \
             заново, сначала выйдите из него."
            .into(),
    }
}

fn en(r: &Refusal) -> String {
    match r {
        Refusal::SlotFull => "This time has just been taken. Please choose another time.".into(),
        Refusal::OneActiveBooking {
            booking_code,
            start,
            ..
        } => format!(
            "You already have an active booking of this type. Booking number: {booking_code}. \
             Time: {}. To change the time, use “Reschedule”.",
            format_date_time(*start)
        ),
        Refusal::TenDayRule {
            window_days,
            created,
            next_possible,
        } => format!(
            "You can book only once every {window_days} {}. To change the time, use \
             “Reschedule”. Previous booking made: {}. You can book again from: {}.",
            en_plural(u64::from(*window_days), "day", "days"),
            format_date_time(*created),
            format_date_time(*next_possible)
        ),
        Refusal::TwoPerDay { date, limit } => {
            if *limit == 2 {
                format!(
                    "You can book at most two services on one day, and one of them must be a \
                     documentation service (ID card, passport). Date: {}.",
                    format_date(*date)
                )
            } else {
                format!(
                    "You have reached the number of services you can book for one day. \
                     Daily limit: {limit}. Date: {}.",
                    format_date(*date)
                )
            }
        }
        Refusal::SameGroupSameDay { date } => format!(
            "On one day you can book only one service of each group: one documentation \
             service (ID card, passport) and one other service. You already have a booking \
             of this group on that day. Date: {}.",
            format_date(*date)
        ),
        Refusal::NotVehicleOwner => "The seller (the current owner) books the vehicle \
             re-registration. According to the registry, you are not the owner of this vehicle."
            .into(),
        Refusal::VehicleAlreadyBooked => "This vehicle already has an active booking.".into(),
        Refusal::VehicleNotFound => "The vehicle was not found in the registry. Check the \
             plate number or VIN."
            .into(),
        Refusal::VehicleRequired => {
            "For this service, enter the vehicle's plate number or VIN.".into()
        }
        Refusal::InvalidVehicle => "The plate number or VIN is not valid. Example plate: \
             123ABC02; a VIN has 17 characters."
            .into(),
        Refusal::ServiceOnline => "This service is available online on the e-government \
             portal; you do not need to book a visit."
            .into(),
        Refusal::TooLate { minutes } => {
            if *minutes == 0 {
                "Too late: the booked time has already come.".into()
            } else {
                format!(
                    "This must be done at least {minutes} {} before the start.",
                    en_plural(u64::from(*minutes), "minute", "minutes")
                )
            }
        }
        Refusal::TooEarly { from } => format!(
            "Too early. This will be possible from {}.",
            format_date_time(*from)
        ),
        Refusal::OutsideHorizon { last_date } => format!(
            "Booking for this date has not opened yet. Last date you can book: {}.",
            format_date(*last_date)
        ),
        Refusal::RescheduleLimit { max } => {
            format!("This booking cannot be rescheduled again. Maximum reschedules: {max}.")
        }
        Refusal::InvalidIin { reason } => match reason {
            IinError::Length => "The IIN is not valid: it must have 12 digits.".into(),
            IinError::NotDigits => "The IIN is not valid: only digits are allowed.".into(),
            IinError::Checksum => "The IIN is not valid: the check digit does not match. \
                 Please check for a typo."
                .into(),
        },
        Refusal::OutsideHours => "The center is not open at this time. Please choose a time \
             within opening hours."
            .into(),
        Refusal::CenterClosed { date } => format!(
            "The center is closed on this day. Date: {}.",
            format_date(*date)
        ),
        Refusal::WrongCenterKind { expected } => match expected {
            CenterKind::Psc => "This service is offered only at a Public Service Center.".into(),
            CenterKind::AutoPsc => {
                "This service is offered only at a vehicle service center.".into()
            }
        },
        Refusal::ServiceNotOffered => "This service is not offered at the selected center. \
             Please choose another center."
            .into(),
        Refusal::DifferentService => {
            "A booking can be rescheduled only for the same service.".into()
        }
        Refusal::IllegalTransition { from, .. } => format!(
            "This action is not available now. Booking status: {}.",
            status_label(*from, Lang::En)
        ),
        Refusal::DrawPending { closes_at } => {
            let mut s =
                "Times on this date are allocated by a draw: submit a request instead.".to_owned();
            if let Some(t) = closes_at {
                s.push_str(&format!(" Requests close: {}.", format_date_time(*t)));
            }
            s
        }
        Refusal::DrawClosed => {
            "The draw has closed: requests can no longer be made or withdrawn.".into()
        }
        Refusal::AlreadyRequested => "You already have a request for a service of this type. \
             Withdraw it to make a new one."
            .into(),
        Refusal::SlotsAvailable => {
            "A free time is available now: book it instead of waiting.".into()
        }
        Refusal::AlreadyWaiting => "You are already on the waiting list for a service of this \
             type. Leave it to join again."
            .into(),
    }
}

/// The citizen-facing text of a refusal.
pub fn refusal_message(r: &Refusal, lang: Lang) -> String {
    match lang {
        Lang::Kk => kk(r),
        Lang::Ru => ru(r),
        Lang::En => en(r),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn every_code_has_distinct_messages() {
        let samples = Refusal::samples();
        let codes: Vec<_> = samples.iter().map(Refusal::code).collect();
        assert_eq!(codes, Refusal::ALL_CODES);
        for r in &samples {
            let texts: Vec<String> = Lang::ALL.iter().map(|&l| refusal_message(r, l)).collect();
            for (l, t) in Lang::ALL.iter().zip(&texts) {
                assert!(t.trim().len() > 10, "{} {l}: {t:?}", r.code());
                assert!(
                    !t.contains('{') && !t.contains("  "),
                    "{} {l}: {t:?}",
                    r.code()
                );
            }
            assert!(
                texts[0] != texts[1] && texts[1] != texts[2] && texts[0] != texts[2],
                "{}",
                r.code()
            );
            // Kazakh and Russian are Cyrillic, English is not.
            let cyr = |s: &str| s.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c));
            assert!(
                cyr(&texts[0]) && cyr(&texts[1]) && !cyr(&texts[2]),
                "{}",
                r.code()
            );
            // Kazakh uses its own letters somewhere in most messages; at
            // least it never equals the Russian text.
        }
    }

    #[test]
    fn reference_wording_and_parameters() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default();
        let m = refusal_message(&Refusal::TwoPerDay { date: d, limit: 2 }, Lang::Kk);
        assert!(m.starts_with("Бір күнде екі қызметтен артық брондауға болмайды"));
        assert!(m.ends_with("Күні: 03.12.2026."));
        let m = refusal_message(&Refusal::NotVehicleOwner, Lang::Ru);
        assert!(m.starts_with("Бронь на перерегистрацию ТС оформляет продавец (собственник)."));
        let m = refusal_message(
            &Refusal::InvalidIin {
                reason: IinError::Checksum,
            },
            Lang::Kk,
        );
        assert!(m.starts_with("ЖСН қате көрсетілген"));
        let t = d.and_hms_opt(10, 0, 0).unwrap_or_default();
        let ten = Refusal::TenDayRule {
            window_days: 10,
            created: t,
            next_possible: t,
        };
        assert!(refusal_message(&ten, Lang::Ru).starts_with(
            "Бронировать можно не чаще одного раза в 10 дней. Чтобы изменить время, используйте «Перебронировать»."
        ));
        assert!(
            refusal_message(&ten, Lang::Kk)
                .starts_with("Кезекті 10 күнде бір рет қана брондауға болады.")
        );
        let m = refusal_message(&Refusal::TooLate { minutes: 1 }, Lang::Ru);
        assert!(m.contains("за 1 минуту"));
        let m = refusal_message(&Refusal::TooLate { minutes: 60 }, Lang::Ru);
        assert!(m.contains("за 60 минут "));
    }
}
