//! Texts of the errors that are not rule refusals (those have
//! [`crate::refusal_message`]). [`ErrorText`] mirrors the request-level
//! codes of `kezek-wire`'s `ErrorCode`; the mapping between the two lives
//! where both are visible (the app's error type).
use crate::Lang;

/// A request-level error a person reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorText {
    Unauthorized,
    Forbidden,
    NotFound,
    RateLimited,
    InvalidPhone,
    PhoneNotRegistered,
    InvalidCode,
    CodeExpired,
    IdempotencyKeyReused,
    BadRequest,
    MalformedRequest,
    UnsupportedMediaType,
    PayloadTooLarge,
    MethodNotAllowed,
    Internal,
    Unavailable,
}

impl ErrorText {
    /// Every text, for tests and previews.
    pub const ALL: [ErrorText; 16] = [
        Self::Unauthorized,
        Self::Forbidden,
        Self::NotFound,
        Self::RateLimited,
        Self::InvalidPhone,
        Self::PhoneNotRegistered,
        Self::InvalidCode,
        Self::CodeExpired,
        Self::IdempotencyKeyReused,
        Self::BadRequest,
        Self::MalformedRequest,
        Self::UnsupportedMediaType,
        Self::PayloadTooLarge,
        Self::MethodNotAllowed,
        Self::Internal,
        Self::Unavailable,
    ];

    /// The text in `lang`.
    pub fn get(self, lang: Lang) -> &'static str {
        use ErrorText as E;
        match self {
            E::Unauthorized => {
                lang.pick("Жүйеге кіріңіз.", "Войдите в систему.", "Please sign in.")
            }
            E::Forbidden => lang.pick(
                "Бұл әрекетке рұқсат жоқ.",
                "Это действие вам недоступно.",
                "You are not allowed to do this.",
            ),
            E::NotFound => lang.pick("Табылмады.", "Не найдено.", "Not found."),
            E::RateLimited => lang.pick(
                "Сұраулар тым көп. Сәлден кейін қайталаңыз.",
                "Слишком много запросов. Повторите чуть позже.",
                "Too many requests. Please try again shortly.",
            ),
            E::InvalidPhone => lang.pick(
                "Телефон нөмірін +7 7XX XXX XX XX түрінде енгізіңіз.",
                "Введите номер телефона в формате +7 7XX XXX XX XX.",
                "Enter the phone number as +7 7XX XXX XX XX.",
            ),
            E::PhoneNotRegistered => lang.pick(
                "Бұл нөмір осы ЖСН-ге мобильді азаматтар базасында тіркелмеген. Нөміріңізді ХҚКО-да, eGov-та немесе банк қосымшасында тіркеңіз, сосын қайталаңыз.",
                "Этот номер не зарегистрирован на данный ИИН в базе мобильных граждан. Зарегистрируйте номер в ЦОНе, на eGov или в приложении банка и повторите.",
                "This number is not registered to this IIN in the mobile-citizens database. Register your number at a PSC, on eGov or in your bank's app, then try again.",
            ),
            E::InvalidCode => lang.pick(
                "Код қате. Қайта тексеріп енгізіңіз.",
                "Неверный код. Проверьте и введите ещё раз.",
                "Wrong code. Check it and try again.",
            ),
            E::CodeExpired => lang.pick(
                "Кодтың мерзімі өтті немесе әрекеттер таусылды. Жаңа код сұраңыз.",
                "Код истёк или попытки исчерпаны. Запросите новый код.",
                "The code has expired or too many tries were made. Request a new code.",
            ),
            E::IdempotencyKeyReused => lang.pick(
                "Бұл Idempotency-Key басқа сұрауға қолданылған. Жаңа кілт жіберіңіз.",
                "Этот Idempotency-Key уже использован для другого запроса. Отправьте новый ключ.",
                "This Idempotency-Key was already used for a different request. Send a new key.",
            ),
            E::BadRequest => lang.pick(
                "Сұрау қате құрылған.",
                "Некорректный запрос.",
                "Malformed request.",
            ),
            E::MalformedRequest => lang.pick(
                "Сұраудың денесі оқылмады: дұрыс JSON күтілген.",
                "Не удалось прочитать тело запроса: ожидается корректный JSON.",
                "The request body could not be read: valid JSON is expected.",
            ),
            E::UnsupportedMediaType => lang.pick(
                "Сұраудың түрі қолдау көрсетілмейді: Content-Type тақырыбын тексеріңіз.",
                "Неподдерживаемый тип запроса: проверьте заголовок Content-Type.",
                "Unsupported request type: check the Content-Type header.",
            ),
            E::PayloadTooLarge => lang.pick(
                "Сұрау тым үлкен.",
                "Слишком большой запрос.",
                "The request is too large.",
            ),
            E::MethodNotAllowed => lang.pick(
                "Бұл мекенжайға мұндай әдіспен сұрау жіберуге болмайды.",
                "Этот метод не поддерживается для данного адреса.",
                "This method is not allowed for this address.",
            ),
            E::Internal => lang.pick(
                "Ішкі қате. Кейінірек қайталап көріңіз.",
                "Внутренняя ошибка. Попробуйте позже.",
                "Internal error. Please try again later.",
            ),
            E::Unavailable => lang.pick(
                "Қызмет уақытша қолжетімсіз. Бірнеше секундтан кейін қайталаңыз.",
                "Сервис временно недоступен. Повторите через несколько секунд.",
                "The service is briefly unavailable. Please retry in a few seconds.",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_exists_and_differs_by_language() {
        for t in ErrorText::ALL {
            let [kk, ru, en] = Lang::ALL.map(|l| t.get(l));
            assert!(!kk.is_empty() && !ru.is_empty() && !en.is_empty(), "{t:?}");
            assert!(kk != en && ru != en && kk != ru, "{t:?}");
        }
    }

    #[test]
    fn kazakh_texts_use_kazakh_letters() {
        // Each Kazakh text has at least one letter of the Kazakh alphabet
        // that Russian lacks, or is a short phrase checked by hand.
        for t in [
            ErrorText::RateLimited,
            ErrorText::Unauthorized,
            ErrorText::Internal,
        ] {
            assert!(
                t.get(Lang::Kk).chars().any(|c| "әғқңөұүһі".contains(c)),
                "{t:?}"
            );
        }
    }
}
