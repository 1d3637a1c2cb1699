//! The page language: decided on the server (cookie `kezek_lang`, else
//! `Accept-Language`, else Russian), written into `<html lang>`, and read
//! back from there when the page hydrates, so both sides render the same.
use leptos::prelude::*;

use crate::i18n::Lang;
use crate::i18n::ui::T;

/// The language of the current request / page.
pub fn request_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .map(|p| crate::api::ctx::lang_of(&p.headers))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .and_then(|e| e.get_attribute("lang"))
            .and_then(|l| Lang::parse(&l))
            .unwrap_or_default()
    }
}

/// The language provided by `App`.
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

/// `t(T::Key)` in the page language.
pub fn t(key: T) -> &'static str {
    key.get(use_lang())
}

/// Links that switch the language (a cookie set by `/lang/{code}`; works
/// without WebAssembly).
#[component]
pub fn LangSwitch() -> impl IntoView {
    let current = use_lang();
    view! {
        <nav class="langs" aria-label=move || t(T::Language)>
            {[(Lang::Kk, "Қаз"), (Lang::Ru, "Рус"), (Lang::En, "Eng")]
                .into_iter()
                .map(|(l, label)| {
                    let href = format!("/lang/{}", l.code());
                    let here = l == current;
                    view! {
                        <a
                            href=href
                            rel="external"
                            hreflang=l.code()
                            lang=l.code()
                            aria-current=if here { Some("true") } else { None }
                            data-testid=format!("lang-{}", l.code())
                        >
                            {label}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}
