//! Texts in Kazakh (Cyrillic), Russian and English, keyed by stable codes.
//!
//! * [`Lang`]: the citizen's language. Parsed from `kk` / `ru` / `en` (any
//!   region tag: `ru-RU`, `kk-KZ`; `kz` is accepted as a common misspelling
//!   of `kk`) or from an `Accept-Language` header. The default is Russian
//!   (`Lang::Ru`): the language most visitors of the portal read, and
//!   the one with every official term; the UI offers the switch to
//!   Kazakh on every page.
//! * [`refusal_message`]: the citizen-facing text of a
//!   [`kezek_domain::refusal::Refusal`], one per code and language.
//!   Variable parts (dates, numbers, codes) stand in label style
//!   ("Күні: 03.12.2026"), never glued to a Kazakh case ending; Russian
//!   numbers take CLDR plural forms ([`plural::ru_plural`]).
//! * [`bad_input_message`]: the text of a
//!   [`kezek_domain::input::BadInput`] (a malformed request, code
//!   `bad_request`), in the same label style.
//! * [`dates`]: `dd.mm.yyyy`, 24-hour times, long dates and weekday names.
//!
//! Pure code like `kezek_domain`: no IO, no clock.

pub mod bot;
pub mod dates;
pub mod errors;
pub mod input;
pub mod notices;
pub mod places;
pub mod plural;
pub mod refusals;
pub mod staff;
pub mod ui;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use input::bad_input_message;
pub use places::place_name;
pub use refusals::{refusal_message, status_label};

/// A UI language (serialized `kk` / `ru` / `en`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Lang {
    /// Kazakh, Cyrillic script.
    #[serde(rename = "kk")]
    Kk,
    /// Russian (the default).
    #[default]
    #[serde(rename = "ru")]
    Ru,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// All languages.
    pub const ALL: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];

    /// The one of three texts in this language.
    pub fn pick<'a>(self, kk: &'a str, ru: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Kk => kk,
            Lang::Ru => ru,
            Lang::En => en,
        }
    }

    /// The one of three values in this language (e.g. a center's name
    /// columns `name_kk`, `name_ru`, `name_en`).
    pub fn choose<T>(self, kk: T, ru: T, en: T) -> T {
        match self {
            Lang::Kk => kk,
            Lang::Ru => ru,
            Lang::En => en,
        }
    }

    /// `kk`, `ru` or `en` (also the HTML `lang` attribute).
    pub fn code(self) -> &'static str {
        match self {
            Self::Kk => "kk",
            Self::Ru => "ru",
            Self::En => "en",
        }
    }

    /// Parses a language tag: `kk`, `kk-KZ`, `kz`, `ru-RU`, `EN_us`…
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "kk" | "kz" => Some(Self::Kk),
            "ru" => Some(Self::Ru),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// The best supported language of an `Accept-Language` header (highest
    /// `q`, first on ties), or the default.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best: Option<(u32, Lang)> = None;
        for part in header.split(',') {
            let mut it = part.split(';');
            let Some(lang) = it.next().and_then(Lang::parse) else {
                continue;
            };
            let q = it
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            // Thousandths, so no float comparison is needed.
            let q = (q.clamp(0.0, 1.0) * 1000.0).round() as u32;
            if q > 0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An unsupported language tag.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported language {0:?}")]
pub struct UnknownLang(pub String);

impl FromStr for Lang {
    type Err = UnknownLang;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::parse(s).ok_or_else(|| UnknownLang(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_tags() {
        assert_eq!(Lang::parse("kk"), Some(Lang::Kk));
        assert_eq!(Lang::parse("kk-KZ"), Some(Lang::Kk));
        assert_eq!(Lang::parse("KZ"), Some(Lang::Kk));
        assert_eq!(Lang::parse("ru_RU"), Some(Lang::Ru));
        assert_eq!(Lang::parse("en-GB"), Some(Lang::En));
        assert_eq!(Lang::parse("de"), None);
        assert_eq!("en".parse::<Lang>(), Ok(Lang::En));
        assert_eq!(Lang::default(), Lang::Ru);
    }

    #[test]
    fn accept_language() {
        assert_eq!(
            Lang::from_accept_language("kk-KZ,kk;q=0.9,ru;q=0.8,en;q=0.7"),
            Lang::Kk
        );
        assert_eq!(
            Lang::from_accept_language("de-DE,de;q=0.9,en;q=0.5,ru;q=0.6"),
            Lang::Ru
        );
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9"), Lang::En);
        assert_eq!(Lang::from_accept_language("fr, de"), Lang::Ru);
        assert_eq!(Lang::from_accept_language(""), Lang::Ru);
        assert_eq!(Lang::from_accept_language("en;q=0, kk;q=0.1"), Lang::Kk);
    }
}
