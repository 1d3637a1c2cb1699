//! Texts of [`BadInput`] (the `bad_request` error) in kk, ru and en.
//!
//! Same house style as [`crate::refusals`]: variable parts stand after a
//! label ("Өріс: name_kk", "Поле: name_kk", "Күні: 03.12.2026"), so no
//! Kazakh case ending is ever attached to a variable; Russian numbers next
//! to a noun take their plural form from [`ru_plural`]. Field names, codes
//! and formats the API defines (`name_kk`, `Psc`, `Content-Type`) are shown
//! as they are. To be reviewed by native speakers like the rest of the
//! kk/ru texts.

use kezek_domain::iin::IinError;
use kezek_domain::input::{BadInput, CsvProblem, PhoneCsvProblem};

use crate::Lang;
use crate::dates::format_date;
use crate::plural::{en_plural, ru_plural};

/// The text of `b` in `lang`.
pub fn bad_input_message(b: &BadInput, lang: Lang) -> String {
    match lang {
        Lang::Kk => kk(b),
        Lang::Ru => ru(b),
        Lang::En => en(b),
    }
}

fn list(allowed: &[&str]) -> String {
    allowed.join(", ")
}

fn ru_chars(n: u32) -> &'static str {
    ru_plural(u64::from(n), "символ", "символа", "символов")
}

fn kk(b: &BadInput) -> String {
    use BadInput as B;
    match b {
        B::Required { field } => format!("Міндетті мән көрсетілмеген. Өріс: {field}."),
        B::ControlCharacters { field } => {
            format!("Мәтінде басқару таңбалары болмауы керек. Өріс: {field}.")
        }
        B::FieldLength { field, max } => format!(
            "Мән толтырылмаған немесе тым ұзын. Өріс: {field}. Рұқсат етілген ұзындық: \
             1–{max} таңба."
        ),
        B::OutOfRange { field, min, max } => format!(
            "Мән рұқсат етілген аралықтан тыс. Өріс: {field}. Рұқсат етілген аралық: \
             {min}–{max}."
        ),
        B::OneOf { field, allowed } => format!(
            "Мән қате көрсетілген. Өріс: {field}. Рұқсат етілген мәндер: {}.",
            list(allowed)
        ),
        B::DateFormat { field } => format!(
            "Күн қате көрсетілген: оны ЖЖЖЖ-АА-КК түрінде енгізіңіз (мысалы, 2026-12-03). \
             Өріс: {field}."
        ),
        B::DateTimeFormat { field } => format!(
            "Күн мен уақыт қате көрсетілген: RFC 3339 форматы қажет (мысалы, \
             2026-12-01T09:15:00+05:00). Өріс: {field}."
        ),
        B::TimeFormat { value } => format!(
            "Уақыт қате көрсетілген: оны СС:ММ түрінде енгізіңіз (мысалы, 09:00). \
             Көрсетілген мән: {value}."
        ),
        B::TimeOrder { open, close } => {
            format!("Аяқталу уақыты басталу уақытынан кейін болуы керек. Аралық: {open}–{close}.")
        }
        B::DateRangeOrder => "Кезеңнің басталу күні аяқталу күнінен кейін болмауы керек.".into(),
        B::DateRangeTooLong { max_days } => {
            format!("Кезең тым ұзақ. Ең ұзақ кезең: {max_days} күн.")
        }
        B::DatePassed => "Бұл күн өтіп кетті. Бүгінгі немесе одан кейінгі күнді таңдаңыз.".into(),
        B::YearRange { min, max } => {
            format!("Жыл рұқсат етілген аралықтан тыс. Рұқсат етілген жылдар: {min}–{max}.")
        }
        B::Weekday => "Апта күні қате көрсетілген. Рұқсат етілген мәндер: 0 (дүйсенбі) … \
             6 (жексенбі)."
            .into(),
        B::SlugFormat { max } => format!(
            "Қысқа атау (slug) қате көрсетілген: тек кіші латын әріптері (a–z), цифрлар \
             және дефис қолданылады. Ұзындығы: 1–{max} таңба."
        ),
        B::SlugTaken { slug } => {
            format!("Бұл қысқа атауды басқа орталық пайдаланады. Қысқа атау: {slug}.")
        }
        B::Timezone => "Уақыт белдеуі қате көрсетілген: IANA дерекқорындағы атауды енгізіңіз \
             (мысалы, Asia/Almaty)."
            .into(),
        B::UsernameFormat { min, max } => format!(
            "Пайдаланушы аты қате көрсетілген: тек кіші латын әріптері (a–z), цифрлар және \
             - _ . таңбалары қолданылады. Ұзындығы: {min}–{max} таңба."
        ),
        B::UsernameTaken { username } => {
            format!("Бұл пайдаланушы аты бос емес. Пайдаланушы аты: {username}.")
        }
        B::PasswordLength { min } => {
            format!("Құпиясөз тым қысқа. Ең аз ұзындығы: {min} таңба.")
        }
        B::UnknownCenter { id } => format!("Орталық табылмады. Орталық идентификаторы: {id}."),
        B::UnknownWindow { number } => {
            format!("Бұл орталықта мұндай нөмірлі терезе жоқ. Терезе нөмірі: {number}.")
        }
        B::OperatorNeedsWindow => "Операторға терезе тағайындалуы керек.".into(),
        B::DisableOwnAccount => "Өз есептік жазбаңызды бұғаттай алмайсыз.".into(),
        B::CenterHasBookings { count } => format!(
            "Орталықта белсенді брондар бар, сондықтан оны брондау үшін жабуға болмайды. \
             Алдымен оның күндерін жабыңыз (брондарды ауыстырыңыз немесе болдырмаңыз). \
             Белсенді брондар саны: {count}."
        ),
        B::ShortenedNeedsClose => "Қысқартылған күн үшін жабылу уақытын көрсетіңіз.".into(),
        B::HoursNeedOpenAndClose => "Ерекше жұмыс уақыты үшін ашылу уақытын және одан кейінгі \
             жабылу уақытын көрсетіңіз."
            .into(),
        B::WindowTaken { number } => {
            format!("Орталықта мұндай нөмірлі терезе бар. Терезе нөмірі: {number}.")
        }
        B::CapRange { min, max } => format!(
            "Бір уақытқа брондар шегі рұқсат етілген аралықтан тыс. Рұқсат етілген аралық: \
             {min}–{max}. Шек қажет болмаса, өрісті бос қалдырыңыз."
        ),
        B::UnknownService { code } => format!("Қызмет табылмады. Қызмет коды: {code}."),
        B::ServiceWrongKind { code } => {
            format!("Бұл қызмет осы түрдегі орталықта көрсетілмейді. Қызмет коды: {code}.")
        }
        B::ServiceOnlineOnly { code } => format!(
            "Бұл қызмет тек онлайн көрсетіледі, оны терезеге тағайындауға болмайды. \
             Қызмет коды: {code}."
        ),
        B::DecisionRequired { count, date } => {
            let mut s = format!(
                "Өзгерістен кейін кейбір брондар жұмыс кестесінен тыс қалады: оларды ауыстыру \
                 немесе болдырмау керектігін таңдаңыз. Брондар саны: {count}."
            );
            if let Some(d) = date {
                s.push_str(&format!(" Күні: {}.", format_date(*d)));
            }
            s
        }
        B::ReasonRequired { max } => {
            format!("Себебін көрсетіңіз (1–{max} таңба): ол азаматтарға жіберіледі.")
        }
        B::NotWaiting => "Тек кезекте күтіп тұрған келушіні белгілеуге болады.".into(),
        B::DuplicateChoice { position } => {
            format!("Бұл таңдау бұрын көрсетілген. Таңдаудың реті: {position}.")
        }
        B::NotInDraw { center_id, date } => format!(
            "Таңдалған орталық пен күн бұл жеребеге кірмейді. Орталық: {center_id}. Күні: {}.",
            format_date(*date)
        ),
        B::DateBeyond { last_date } => format!(
            "Күн брондау мерзімінен тыс. Брондауға болатын соңғы күн: {}.",
            format_date(*last_date)
        ),
        B::DrawExists { center_id, date } => format!(
            "Бұл орталық пен күнге жеребе бұрыннан бар. Орталық: {center_id}. Күні: {}.",
            format_date(*date)
        ),
        B::MixedKinds => "Жеребедегі барлық орталық бір түрге жатуы керек.".into(),
        B::BookingCode => "Бронь нөмірі қате көрсетілген.".into(),
        B::HeaderValue { header, max } => format!(
            "Тақырып мәні қате: ол 1–{max} ASCII таңбасынан тұруы керек. Тақырып: {header}."
        ),
        B::ContentType { expected } => {
            format!("Сұрау мазмұнының түрі қате. Қажетті Content-Type: {expected}.")
        }
        B::TooLarge { max_mb } => {
            format!("Сұрау тым үлкен. Ең үлкен көлемі: {max_mb} МБ.")
        }
        B::BodyUnreadable => "Сұрау мазмұнын оқу мүмкін болмады. Қайталап көріңіз.".into(),
        B::NotUtf8 => "Мәтін UTF-8 кодтауында болуы керек.".into(),
        B::JsonSyntax { field: None } => "Сұрау мазмұны жарамды JSON емес.".into(),
        B::JsonSyntax { field: Some(f) } => format!("Мән жарамды JSON емес. Өріс: {f}."),
        B::MissingField { field } => format!("Міндетті өріс жоқ. Өріс: {field}."),
        B::UnknownField { field } => format!("Белгісіз өріс. Өріс: {field}."),
        B::InvalidField { field } => format!("Өрістің түрі немесе мәні қате. Өріс: {field}."),
        B::MalformedBody => "Сұрау мазмұнының құрылымы күтілгендей емес.".into(),
        B::MalformedQuery => "Сұрау параметрлері қате көрсетілген.".into(),
        B::VehicleCsv { line, problem } => {
            let what = match problem {
                CsvProblem::Header => "бірінші жол `plate,vin,owner_iin` болуы керек".to_owned(),
                CsvProblem::FieldCount(k) => format!("3 өріс күтілді, табылғаны: {k}"),
                CsvProblem::Plate => "мемлекеттік нөмір қате".to_owned(),
                CsvProblem::Vin => "VIN қате (17 таңба, I, O, Q әріптерінсіз)".to_owned(),
                CsvProblem::Iin(e) => format!(
                    "иесінің ЖСН қате ({})",
                    match e {
                        IinError::Length => "12 цифрдан тұруы керек",
                        IinError::NotDigits => "тек цифрлардан тұруы керек",
                        IinError::Checksum => "бақылау цифры сәйкес келмейді",
                    }
                ),
            };
            format!("Жол: {line}. Файл қабылданбады: {what}.")
        }
        B::PhoneCsv { line, problem } => {
            let what = match problem {
                PhoneCsvProblem::Header => "бірінші жол `iin,phone` болуы керек".to_owned(),
                PhoneCsvProblem::FieldCount(k) => format!("2 өріс күтілді, табылғаны: {k}"),
                PhoneCsvProblem::Iin(e) => format!(
                    "ЖСН қате ({})",
                    match e {
                        IinError::Length => "12 цифрдан тұруы керек",
                        IinError::NotDigits => "тек цифрлардан тұруы керек",
                        IinError::Checksum => "бақылау цифры сәйкес келмейді",
                    }
                ),
                PhoneCsvProblem::Phone => "телефон нөмірі қате (+7 7XX XXX XX XX)".to_owned(),
            };
            format!("Жол: {line}. Файл қабылданбады: {what}.")
        }
    }
}

fn ru(b: &BadInput) -> String {
    use BadInput as B;
    match b {
        B::Required { field } => format!("Не указано обязательное значение. Поле: {field}."),
        B::ControlCharacters { field } => {
            format!("Текст не должен содержать управляющих символов. Поле: {field}.")
        }
        B::FieldLength { field, max } => format!(
            "Значение не заполнено или слишком длинное. Поле: {field}. Допустимая длина: \
             1–{max} {}.",
            ru_chars(*max)
        ),
        B::OutOfRange { field, min, max } => format!(
            "Значение вне допустимого диапазона. Поле: {field}. Допустимый диапазон: \
             {min}–{max}."
        ),
        B::OneOf { field, allowed } => format!(
            "Недопустимое значение. Поле: {field}. Допустимые значения: {}.",
            list(allowed)
        ),
        B::DateFormat { field } => format!(
            "Дата указана неверно: введите её в формате ГГГГ-ММ-ДД (например, 2026-12-03). \
             Поле: {field}."
        ),
        B::DateTimeFormat { field } => format!(
            "Дата и время указаны неверно: нужен формат RFC 3339 (например, \
             2026-12-01T09:15:00+05:00). Поле: {field}."
        ),
        B::TimeFormat { value } => format!(
            "Время указано неверно: введите его в формате ЧЧ:ММ (например, 09:00). \
             Указано: {value}."
        ),
        B::TimeOrder { open, close } => {
            format!("Время окончания должно быть позже времени начала. Интервал: {open}–{close}.")
        }
        B::DateRangeOrder => "Дата начала периода не может быть позже даты окончания.".into(),
        B::DateRangeTooLong { max_days } => format!(
            "Период слишком длинный. Наибольшая длина периода: {max_days} {}.",
            ru_plural(u64::from(*max_days), "день", "дня", "дней")
        ),
        B::DatePassed => "Эта дата уже прошла. Выберите сегодняшнюю или более позднюю дату.".into(),
        B::YearRange { min, max } => {
            format!("Год вне допустимого диапазона. Допустимые годы: {min}–{max}.")
        }
        B::Weekday => "День недели указан неверно. Допустимые значения: 0 (понедельник) … \
             6 (воскресенье)."
            .into(),
        B::SlugFormat { max } => format!(
            "Краткое имя (slug) указано неверно: допустимы только строчные латинские буквы \
             (a–z), цифры и дефис. Длина: 1–{max} {}.",
            ru_chars(*max)
        ),
        B::SlugTaken { slug } => {
            format!("Это краткое имя уже использует другой центр. Краткое имя: {slug}.")
        }
        B::Timezone => "Часовой пояс указан неверно: введите название из базы IANA \
             (например, Asia/Almaty)."
            .into(),
        B::UsernameFormat { min, max } => format!(
            "Имя пользователя указано неверно: допустимы только строчные латинские буквы \
             (a–z), цифры и знаки - _ . Длина: {min}–{max} {}.",
            ru_chars(*max)
        ),
        B::UsernameTaken { username } => {
            format!("Это имя пользователя уже занято. Имя пользователя: {username}.")
        }
        B::PasswordLength { min } => format!(
            "Пароль слишком короткий. Минимальная длина: {min} {}.",
            ru_chars(*min)
        ),
        B::UnknownCenter { id } => format!("Центр не найден. Идентификатор центра: {id}."),
        B::UnknownWindow { number } => {
            format!("В этом центре нет окна с таким номером. Номер окна: {number}.")
        }
        B::OperatorNeedsWindow => "Оператору нужно назначить окно.".into(),
        B::DisableOwnAccount => "Нельзя заблокировать собственную учётную запись.".into(),
        B::CenterHasBookings { count } => format!(
            "В центре есть активные брони, поэтому закрыть его для бронирования нельзя. \
             Сначала закройте его дни (перенесите или отмените брони). Число активных \
             броней: {count}."
        ),
        B::ShortenedNeedsClose => "Для сокращённого дня укажите время закрытия.".into(),
        B::HoursNeedOpenAndClose => "Для особого режима работы укажите время открытия и более \
             позднее время закрытия."
            .into(),
        B::WindowTaken { number } => {
            format!("Окно с таким номером в центре уже есть. Номер окна: {number}.")
        }
        B::CapRange { min, max } => format!(
            "Лимит броней на одно время вне допустимого диапазона. Допустимый диапазон: \
             {min}–{max}. Если лимит не нужен, оставьте поле пустым."
        ),
        B::UnknownService { code } => format!("Услуга не найдена. Код услуги: {code}."),
        B::ServiceWrongKind { code } => {
            format!("Эта услуга не оказывается в центрах этого типа. Код услуги: {code}.")
        }
        B::ServiceOnlineOnly { code } => format!(
            "Эта услуга оказывается только онлайн, её нельзя назначить окну. \
             Код услуги: {code}."
        ),
        B::DecisionRequired { count, date } => {
            let mut s = format!(
                "После изменения часть броней окажется вне графика работы: выберите, \
                 перенести их или отменить. Число броней: {count}."
            );
            if let Some(d) = date {
                s.push_str(&format!(" Дата: {}.", format_date(*d)));
            }
            s
        }
        B::ReasonRequired { max } => format!(
            "Укажите причину (1–{max} {}): она будет отправлена гражданам.",
            ru_chars(*max)
        ),
        B::NotWaiting => "Отметить можно только посетителя, который ожидает в очереди.".into(),
        B::DuplicateChoice { position } => {
            format!("Этот вариант уже указан. Номер повторного варианта: {position}.")
        }
        B::NotInDraw { center_id, date } => format!(
            "Выбранные центр и дата не входят в этот розыгрыш. Центр: {center_id}. Дата: {}.",
            format_date(*date)
        ),
        B::DateBeyond { last_date } => format!(
            "Дата за пределами срока записи. Последняя доступная дата: {}.",
            format_date(*last_date)
        ),
        B::DrawExists { center_id, date } => format!(
            "Для этого центра и даты розыгрыш уже назначен. Центр: {center_id}. Дата: {}.",
            format_date(*date)
        ),
        B::MixedKinds => "Все центры розыгрыша должны быть одного типа.".into(),
        B::BookingCode => "Номер брони указан неверно.".into(),
        B::HeaderValue { header, max } => format!(
            "Недопустимое значение заголовка: нужно 1–{max} {} ASCII. Заголовок: {header}.",
            ru_chars(*max)
        ),
        B::ContentType { expected } => {
            format!("Неверный тип содержимого запроса. Нужен Content-Type: {expected}.")
        }
        B::TooLarge { max_mb } => {
            format!("Запрос слишком большой. Наибольший размер: {max_mb} МБ.")
        }
        B::BodyUnreadable => "Не удалось прочитать тело запроса. Повторите попытку.".into(),
        B::NotUtf8 => "Текст должен быть в кодировке UTF-8.".into(),
        B::JsonSyntax { field: None } => "Тело запроса не является корректным JSON.".into(),
        B::JsonSyntax { field: Some(f) } => {
            format!("Значение не является корректным JSON. Поле: {f}.")
        }
        B::MissingField { field } => format!("Отсутствует обязательное поле. Поле: {field}."),
        B::UnknownField { field } => format!("Неизвестное поле. Поле: {field}."),
        B::InvalidField { field } => format!("Неверный тип или значение поля. Поле: {field}."),
        B::MalformedBody => "Структура тела запроса не соответствует ожидаемой.".into(),
        B::MalformedQuery => "Параметры запроса указаны неверно.".into(),
        B::VehicleCsv { line, problem } => {
            let what = match problem {
                CsvProblem::Header => "первая строка должна быть `plate,vin,owner_iin`".to_owned(),
                CsvProblem::FieldCount(k) => format!("ожидалось 3 поля, найдено: {k}"),
                CsvProblem::Plate => "неверный госномер".to_owned(),
                CsvProblem::Vin => "неверный VIN (17 символов без букв I, O, Q)".to_owned(),
                CsvProblem::Iin(e) => format!(
                    "неверный ИИН владельца ({})",
                    match e {
                        IinError::Length => "должно быть 12 цифр",
                        IinError::NotDigits => "допустимы только цифры",
                        IinError::Checksum => "не сходится контрольная цифра",
                    }
                ),
            };
            format!("Строка {line}: {what}. Файл не принят.")
        }
        B::PhoneCsv { line, problem } => {
            let what = match problem {
                PhoneCsvProblem::Header => "первая строка должна быть `iin,phone`".to_owned(),
                PhoneCsvProblem::FieldCount(k) => format!("ожидалось 2 поля, найдено: {k}"),
                PhoneCsvProblem::Iin(e) => format!(
                    "неверный ИИН ({})",
                    match e {
                        IinError::Length => "должен состоять из 12 цифр",
                        IinError::NotDigits => "должен состоять только из цифр",
                        IinError::Checksum => "не сходится контрольная цифра",
                    }
                ),
                PhoneCsvProblem::Phone => "неверный номер телефона (+7 7XX XXX XX XX)".to_owned(),
            };
            format!("Строка {line}: {what}. Файл не импортирован.")
        }
    }
}

fn en(b: &BadInput) -> String {
    use BadInput as B;
    match b {
        B::Required { field } => format!("A required value is missing. Field: {field}."),
        B::ControlCharacters { field } => {
            format!("The text must not contain control characters. Field: {field}.")
        }
        B::FieldLength { field, max } => format!(
            "The value is empty or too long. Field: {field}. Allowed length: 1–{max} {}.",
            en_plural(u64::from(*max), "character", "characters")
        ),
        B::OutOfRange { field, min, max } => {
            format!("The value is out of range. Field: {field}. Allowed range: {min}–{max}.")
        }
        B::OneOf { field, allowed } => format!(
            "The value is not allowed. Field: {field}. Allowed values: {}.",
            list(allowed)
        ),
        B::DateFormat { field } => format!(
            "The date is invalid: enter it as YYYY-MM-DD (e.g. 2026-12-03). Field: {field}."
        ),
        B::DateTimeFormat { field } => format!(
            "The date and time are invalid: RFC 3339 is required (e.g. \
             2026-12-01T09:15:00+05:00). Field: {field}."
        ),
        B::TimeFormat { value } => {
            format!("The time is invalid: enter it as HH:MM (e.g. 09:00). Given: {value}.")
        }
        B::TimeOrder { open, close } => {
            format!("The end time must be after the start time. Interval: {open}–{close}.")
        }
        B::DateRangeOrder => "The start date of the period must not be after its end date.".into(),
        B::DateRangeTooLong { max_days } => format!(
            "The period is too long. Longest period: {max_days} {}.",
            en_plural(u64::from(*max_days), "day", "days")
        ),
        B::DatePassed => "This date has passed. Choose today or a later date.".into(),
        B::YearRange { min, max } => {
            format!("The year is out of range. Allowed years: {min}–{max}.")
        }
        B::Weekday => "The weekday is invalid. Allowed values: 0 (Monday) … 6 (Sunday).".into(),
        B::SlugFormat { max } => format!(
            "The slug is invalid: only lowercase Latin letters (a–z), digits and hyphens are \
             allowed. Length: 1–{max} characters."
        ),
        B::SlugTaken { slug } => {
            format!("Another center already uses this slug. Slug: {slug}.")
        }
        B::Timezone => {
            "The time zone is invalid: enter an IANA zone name (e.g. Asia/Almaty).".into()
        }
        B::UsernameFormat { min, max } => format!(
            "The username is invalid: only lowercase Latin letters (a–z), digits and - _ . \
             are allowed. Length: {min}–{max} characters."
        ),
        B::UsernameTaken { username } => {
            format!("This username is already taken. Username: {username}.")
        }
        B::PasswordLength { min } => {
            format!("The password is too short. Minimum length: {min} characters.")
        }
        B::UnknownCenter { id } => format!("The center was not found. Center id: {id}."),
        B::UnknownWindow { number } => {
            format!("This center has no window with this number. Window number: {number}.")
        }
        B::OperatorNeedsWindow => "An operator needs a window.".into(),
        B::DisableOwnAccount => "You cannot disable your own account.".into(),
        B::CenterHasBookings { count } => format!(
            "The center has active bookings, so it cannot be closed for booking. Close its \
             days first (move or cancel the bookings). Active bookings: {count}."
        ),
        B::ShortenedNeedsClose => "A shortened day needs the closing time.".into(),
        B::HoursNeedOpenAndClose => {
            "Special hours need an opening time and a later closing time.".into()
        }
        B::WindowTaken { number } => {
            format!("The center already has a window with this number. Window number: {number}.")
        }
        B::CapRange { min, max } => format!(
            "The cap on bookings per time is out of range. Allowed range: {min}–{max}. Leave \
             the field empty for no cap."
        ),
        B::UnknownService { code } => format!("The service was not found. Service code: {code}."),
        B::ServiceWrongKind { code } => {
            format!("This service is not offered at this kind of center. Service code: {code}.")
        }
        B::ServiceOnlineOnly { code } => format!(
            "This service is online only and cannot be assigned to a window. Service code: \
             {code}."
        ),
        B::DecisionRequired { count, date } => {
            let mut s = format!(
                "After the change some bookings would be left outside the schedule: choose to \
                 move or to cancel them. Bookings: {count}."
            );
            if let Some(d) = date {
                s.push_str(&format!(" Date: {}.", format_date(*d)));
            }
            s
        }
        B::ReasonRequired { max } => {
            format!("Give a reason (1–{max} characters): it is sent to the citizens.")
        }
        B::NotWaiting => "Only a visitor who is waiting can be marked.".into(),
        B::DuplicateChoice { position } => {
            format!("This choice is already listed. Repeated choice: {position}.")
        }
        B::NotInDraw { center_id, date } => format!(
            "The chosen center and date are not part of this draw. Center: {center_id}. Date: {}.",
            format_date(*date)
        ),
        B::DateBeyond { last_date } => format!(
            "The date is beyond the booking horizon. Last bookable date: {}.",
            format_date(*last_date)
        ),
        B::DrawExists { center_id, date } => format!(
            "A draw already covers this center and date. Center: {center_id}. Date: {}.",
            format_date(*date)
        ),
        B::MixedKinds => "All centers of a draw must be of one kind.".into(),
        B::BookingCode => "The booking number is invalid.".into(),
        B::HeaderValue { header, max } => format!(
            "The header value is invalid: 1–{max} ASCII characters are required. Header: \
             {header}."
        ),
        B::ContentType { expected } => {
            format!("Wrong request content type. Required Content-Type: {expected}.")
        }
        B::TooLarge { max_mb } => {
            format!("The request is too large. Maximum size: {max_mb} MB.")
        }
        B::BodyUnreadable => "The request body could not be read. Please try again.".into(),
        B::NotUtf8 => "The text must be UTF-8.".into(),
        B::JsonSyntax { field: None } => "The request body is not valid JSON.".into(),
        B::JsonSyntax { field: Some(f) } => format!("The value is not valid JSON. Field: {f}."),
        B::MissingField { field } => format!("A required field is missing. Field: {field}."),
        B::UnknownField { field } => format!("Unknown field. Field: {field}."),
        B::InvalidField { field } => {
            format!("The field has a wrong type or value. Field: {field}.")
        }
        B::MalformedBody => "The request body does not have the expected structure.".into(),
        B::MalformedQuery => "The query parameters are invalid.".into(),
        B::VehicleCsv { line, problem } => {
            let what = match problem {
                CsvProblem::Header => "the first line must be `plate,vin,owner_iin`".to_owned(),
                CsvProblem::FieldCount(k) => format!("expected 3 fields, found {k}"),
                CsvProblem::Plate => "invalid plate number".to_owned(),
                CsvProblem::Vin => "invalid VIN (17 characters without I, O, Q)".to_owned(),
                CsvProblem::Iin(e) => format!("invalid owner IIN ({})", e.as_str()),
            };
            format!("Line {line}: {what}. The file was not imported.")
        }
        B::PhoneCsv { line, problem } => {
            let what = match problem {
                PhoneCsvProblem::Header => "the first line must be `iin,phone`".to_owned(),
                PhoneCsvProblem::FieldCount(k) => format!("expected 2 fields, found {k}"),
                PhoneCsvProblem::Iin(e) => format!("invalid IIN ({})", e.as_str()),
                PhoneCsvProblem::Phone => "invalid phone number (+7 7XX XXX XX XX)".to_owned(),
            };
            format!("Line {line}: {what}. The file was not imported.")
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    /// One example of every variant (kept in step with the enum: the
    /// exhaustive `match` in `covers_every_variant` fails to compile when a
    /// variant is added).
    fn examples() -> Vec<BadInput> {
        use BadInput as B;
        let d = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        vec![
            B::Required { field: "center_id" },
            B::ControlCharacters { field: "reason" },
            B::FieldLength {
                field: "name_kk",
                max: 200,
            },
            B::OutOfRange {
                field: "horizon_days",
                min: 1,
                max: 365,
            },
            B::OneOf {
                field: "kind",
                allowed: &["Psc", "AutoPsc"],
            },
            B::DateFormat { field: "from" },
            B::DateTimeFormat { field: "start" },
            B::TimeFormat {
                value: "25:00".into(),
            },
            B::TimeOrder {
                open: "18:00".into(),
                close: "09:00".into(),
            },
            B::DateRangeOrder,
            B::DateRangeTooLong { max_days: 31 },
            B::DatePassed,
            B::YearRange {
                min: 2000,
                max: 2100,
            },
            B::Weekday,
            B::SlugFormat { max: 40 },
            B::SlugTaken {
                slug: "almaty-1".into(),
            },
            B::Timezone,
            B::UsernameFormat { min: 3, max: 40 },
            B::UsernameTaken {
                username: "operator1".into(),
            },
            B::PasswordLength { min: 10 },
            B::UnknownCenter { id: 42 },
            B::UnknownWindow { number: 7 },
            B::OperatorNeedsWindow,
            B::DisableOwnAccount,
            B::CenterHasBookings { count: 3 },
            B::ShortenedNeedsClose,
            B::HoursNeedOpenAndClose,
            B::WindowTaken { number: 2 },
            B::CapRange { min: 1, max: 999 },
            B::UnknownService {
                code: "PASSPORT".into(),
            },
            B::ServiceWrongKind {
                code: "VEH_REG".into(),
            },
            B::ServiceOnlineOnly {
                code: "CERT".into(),
            },
            B::DecisionRequired {
                count: 5,
                date: Some(d),
            },
            B::DecisionRequired {
                count: 1,
                date: None,
            },
            B::ReasonRequired { max: 500 },
            B::NotWaiting,
            B::BookingCode,
            B::DuplicateChoice { position: 2 },
            B::NotInDraw {
                center_id: 3,
                date: d,
            },
            B::DateBeyond { last_date: d },
            B::DrawExists {
                center_id: 3,
                date: d,
            },
            B::MixedKinds,
            B::HeaderValue {
                header: "Idempotency-Key",
                max: 200,
            },
            B::ContentType {
                expected: "text/csv",
            },
            B::TooLarge { max_mb: 32 },
            B::BodyUnreadable,
            B::NotUtf8,
            B::JsonSyntax { field: None },
            B::JsonSyntax {
                field: Some("change"),
            },
            B::MissingField {
                field: "start".into(),
            },
            B::UnknownField {
                field: "extra".into(),
            },
            B::InvalidField {
                field: "center_id".into(),
            },
            B::MalformedBody,
            B::MalformedQuery,
            B::VehicleCsv {
                line: 1,
                problem: CsvProblem::Header,
            },
            B::VehicleCsv {
                line: 4,
                problem: CsvProblem::FieldCount(2),
            },
            B::VehicleCsv {
                line: 4,
                problem: CsvProblem::Plate,
            },
            B::VehicleCsv {
                line: 4,
                problem: CsvProblem::Vin,
            },
            B::VehicleCsv {
                line: 4,
                problem: CsvProblem::Iin(IinError::Length),
            },
            B::VehicleCsv {
                line: 4,
                problem: CsvProblem::Iin(IinError::NotDigits),
            },
            B::VehicleCsv {
                line: 4,
                problem: CsvProblem::Iin(IinError::Checksum),
            },
            B::PhoneCsv {
                line: 1,
                problem: PhoneCsvProblem::Header,
            },
            B::PhoneCsv {
                line: 3,
                problem: PhoneCsvProblem::FieldCount(3),
            },
            B::PhoneCsv {
                line: 3,
                problem: PhoneCsvProblem::Iin(IinError::Checksum),
            },
            B::PhoneCsv {
                line: 3,
                problem: PhoneCsvProblem::Phone,
            },
        ]
    }

    /// Fails to compile when a variant is added without an example above.
    #[test]
    fn covers_every_variant() {
        use BadInput as B;
        let mut seen = std::collections::BTreeSet::new();
        for b in examples() {
            let name = match b {
                B::Required { .. } => "Required",
                B::FieldLength { .. } => "FieldLength",
                B::ControlCharacters { .. } => "ControlCharacters",
                B::OutOfRange { .. } => "OutOfRange",
                B::OneOf { .. } => "OneOf",
                B::DateFormat { .. } => "DateFormat",
                B::DateTimeFormat { .. } => "DateTimeFormat",
                B::TimeFormat { .. } => "TimeFormat",
                B::TimeOrder { .. } => "TimeOrder",
                B::DateRangeOrder => "DateRangeOrder",
                B::DateRangeTooLong { .. } => "DateRangeTooLong",
                B::DatePassed => "DatePassed",
                B::YearRange { .. } => "YearRange",
                B::Weekday => "Weekday",
                B::SlugFormat { .. } => "SlugFormat",
                B::SlugTaken { .. } => "SlugTaken",
                B::Timezone => "Timezone",
                B::UsernameFormat { .. } => "UsernameFormat",
                B::UsernameTaken { .. } => "UsernameTaken",
                B::PasswordLength { .. } => "PasswordLength",
                B::UnknownCenter { .. } => "UnknownCenter",
                B::UnknownWindow { .. } => "UnknownWindow",
                B::OperatorNeedsWindow => "OperatorNeedsWindow",
                B::DisableOwnAccount => "DisableOwnAccount",
                B::CenterHasBookings { .. } => "CenterHasBookings",
                B::ShortenedNeedsClose => "ShortenedNeedsClose",
                B::HoursNeedOpenAndClose => "HoursNeedOpenAndClose",
                B::WindowTaken { .. } => "WindowTaken",
                B::CapRange { .. } => "CapRange",
                B::UnknownService { .. } => "UnknownService",
                B::ServiceWrongKind { .. } => "ServiceWrongKind",
                B::ServiceOnlineOnly { .. } => "ServiceOnlineOnly",
                B::DecisionRequired { .. } => "DecisionRequired",
                B::ReasonRequired { .. } => "ReasonRequired",
                B::NotWaiting => "NotWaiting",
                B::BookingCode => "BookingCode",
                B::DuplicateChoice { .. } => "DuplicateChoice",
                B::NotInDraw { .. } => "NotInDraw",
                B::DateBeyond { .. } => "DateBeyond",
                B::DrawExists { .. } => "DrawExists",
                B::MixedKinds => "MixedKinds",
                B::HeaderValue { .. } => "HeaderValue",
                B::ContentType { .. } => "ContentType",
                B::TooLarge { .. } => "TooLarge",
                B::BodyUnreadable => "BodyUnreadable",
                B::NotUtf8 => "NotUtf8",
                B::JsonSyntax { .. } => "JsonSyntax",
                B::MissingField { .. } => "MissingField",
                B::UnknownField { .. } => "UnknownField",
                B::InvalidField { .. } => "InvalidField",
                B::MalformedBody => "MalformedBody",
                B::MalformedQuery => "MalformedQuery",
                B::VehicleCsv { .. } => "VehicleCsv",
                B::PhoneCsv { .. } => "PhoneCsv",
            };
            seen.insert(name);
        }
        assert_eq!(seen.len(), 54, "an example per variant");
    }

    /// Latin words allowed in kk / ru texts besides the example's own
    /// values: formats, standards and media types the API defines.
    const TECHNICAL: &[&str] = &[
        "a", "z", "IANA", "Asia", "Almaty", "RFC", "T", "UTF", "JSON", "ASCII", "Content", "Type",
        "VIN", "I", "O", "Q", "plate", "vin", "owner", "iin", "slug", "phone", "X", "XX", "XXX",
    ];

    fn latin_words(s: &str) -> Vec<String> {
        s.split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn every_variant_in_every_language() {
        for b in examples() {
            // The example's own values (field names, codes) may appear.
            let own = latin_words(&format!("{b:?}"));
            let (kk, ru, en) = (
                bad_input_message(&b, Lang::Kk),
                bad_input_message(&b, Lang::Ru),
                bad_input_message(&b, Lang::En),
            );
            for (lang, text) in [("kk", &kk), ("ru", &ru), ("en", &en)] {
                assert!(!text.trim().is_empty(), "{b:?} {lang}");
                assert!(text.ends_with('.'), "{b:?} {lang}: {text}");
            }
            assert_ne!(kk, ru, "{b:?}");
            assert_ne!(kk, en, "{b:?}");
            assert_ne!(ru, en, "{b:?}");
            for (lang, text) in [("kk", &kk), ("ru", &ru)] {
                for w in latin_words(text) {
                    assert!(
                        own.contains(&w) || TECHNICAL.contains(&w.as_str()),
                        "{b:?} {lang}: English word {w:?} in {text:?}"
                    );
                }
                assert!(
                    text.chars().any(|c| matches!(c, 'а'..='я' | 'А'..='Я')),
                    "{b:?} {lang}: no Cyrillic in {text:?}"
                );
            }
        }
    }

    #[test]
    fn kazakh_has_kazakh_letters() {
        // Most texts use a letter that Russian has not (ә, ғ, қ, ң, ө, ұ, ү,
        // һ, і): a sign they were not left in Russian by mistake.
        let kazakh = |s: &str| s.chars().any(|c| "әғқңөұүһіӘҒҚҢӨҰҮҺІ".contains(c));
        for b in examples() {
            let kk = bad_input_message(&b, Lang::Kk);
            assert!(kazakh(&kk), "{b:?}: {kk}");
        }
    }

    #[test]
    fn exact_texts() {
        let b = BadInput::FieldLength {
            field: "name_kk",
            max: 200,
        };
        assert_eq!(
            bad_input_message(&b, Lang::Kk),
            "Мән толтырылмаған немесе тым ұзын. Өріс: name_kk. Рұқсат етілген ұзындық: \
             1–200 таңба."
        );
        assert_eq!(
            bad_input_message(&b, Lang::Ru),
            "Значение не заполнено или слишком длинное. Поле: name_kk. Допустимая длина: \
             1–200 символов."
        );
        assert_eq!(
            bad_input_message(&b, Lang::En),
            "The value is empty or too long. Field: name_kk. Allowed length: 1–200 characters."
        );
        let d = BadInput::DateFormat { field: "date" };
        assert_eq!(
            bad_input_message(&d, Lang::Ru),
            "Дата указана неверно: введите её в формате ГГГГ-ММ-ДД (например, 2026-12-03). \
             Поле: date."
        );
        let r = BadInput::DecisionRequired {
            count: 2,
            date: NaiveDate::from_ymd_opt(2026, 12, 3),
        };
        assert!(bad_input_message(&r, Lang::Kk).ends_with("Брондар саны: 2. Күні: 03.12.2026."));
        // The vehicle CSV texts keep the line label the API tests rely on.
        let v = BadInput::VehicleCsv {
            line: 4,
            problem: CsvProblem::Plate,
        };
        assert_eq!(
            bad_input_message(&v, Lang::En),
            "Line 4: invalid plate number. The file was not imported."
        );
    }

    #[test]
    fn russian_plurals() {
        let m = |max| bad_input_message(&BadInput::FieldLength { field: "city", max }, Lang::Ru);
        assert!(m(21).ends_with("1–21 символ."));
        assert!(m(100).ends_with("1–100 символов."));
        let p = bad_input_message(&BadInput::DateRangeTooLong { max_days: 92 }, Lang::Ru);
        assert!(p.ends_with("92 дня."), "{p}");
    }
}
