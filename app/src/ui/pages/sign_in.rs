//! Citizen sign-in: IIN + phone → one-time code → session cookie.
//!
//! The IIN is checked as it is typed with the same parser the server uses
//! (`domain::iin`), compiled to WebAssembly. Both forms are `ActionForm`s, so
//! they still submit when WebAssembly has not loaded.
use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::api::auth::{RequestCode, VerifyCode};
use crate::domain::iin::{Iin, IinError};

#[component]
pub fn SignIn() -> impl IntoView {
    let request = ServerAction::<RequestCode>::new();
    let verify = ServerAction::<VerifyCode>::new();
    let (iin, set_iin) = signal(String::new());

    let iin_hint = move || {
        let v = iin.get();
        if v.trim().is_empty() {
            return None;
        }
        Some(match Iin::parse(&v) {
            Ok(_) => ("ok", "ИИН указан верно"),
            Err(IinError::Length) => ("error", "ИИН должен содержать 12 цифр"),
            Err(IinError::NotDigits) => ("error", "ИИН состоит только из цифр"),
            Err(IinError::Checksum) => {
                ("error", "ИИН указан неверно: не сходится контрольная цифра")
            }
        })
    };
    let signed_in = move || verify.value().get().and_then(Result::ok);
    let sent = move || request.value().get().and_then(Result::ok);

    view! {
        <section class="card narrow">
            <h1>"Вход"</h1>
            <Show
                when=move || signed_in().is_none()
                fallback=move || {
                    view! {
                        <p class="success" data-testid="signed-in" role="status">
                            "Вы вошли. ИИН: "
                            {move || signed_in().map(|m| m.iin_masked)}
                        </p>
                    }
                }
            >
                <ActionForm action=request attr:class="stack">
                    <label for="iin">"ИИН"</label>
                    <input
                        id="iin"
                        name="iin"
                        inputmode="numeric"
                        autocomplete="off"
                        maxlength="20"
                        required
                        aria-describedby="iin-hint"
                        on:input=move |ev| set_iin.set(event_target_value(&ev))
                    />
                    <p
                        id="iin-hint"
                        class=move || format!("hint {}", iin_hint().map(|h| h.0).unwrap_or(""))
                        aria-live="polite"
                        data-testid="iin-hint"
                    >
                        {move || iin_hint().map(|h| h.1)}
                    </p>
                    <label for="phone">"Телефон"</label>
                    <input
                        id="phone"
                        name="phone"
                        type="tel"
                        autocomplete="tel"
                        placeholder="+7 7XX XXX XX XX"
                        required
                    />
                    <button type="submit" class="button primary" disabled=move || request.pending().get()>
                        "Получить код"
                    </button>
                </ActionForm>
                {move || {
                    request
                        .value()
                        .get()
                        .and_then(Result::err)
                        .map(|e| view! { <p class="error" role="alert" data-testid="error">{e.message}</p> })
                }}
                {move || {
                    sent()
                        .map(|s| {
                            view! {
                                <ActionForm action=verify attr:class="stack">
                                    <input type="hidden" name="challenge_id" value=s.challenge_id.clone()/>
                                    <label for="code">"Введите код из SMS"</label>
                                    <input
                                        id="code"
                                        name="code"
                                        inputmode="numeric"
                                        autocomplete="one-time-code"
                                        maxlength="6"
                                        required
                                    />
                                    {s
                                        .dev_code
                                        .map(|c| {
                                            view! {
                                                <p class="dev" data-testid="dev-code">
                                                    "Режим разработки, код: "
                                                    <b>{c}</b>
                                                </p>
                                            }
                                        })}
                                    <button type="submit" class="button primary">"Войти"</button>
                                </ActionForm>
                            }
                        })
                }}
                {move || {
                    verify
                        .value()
                        .get()
                        .and_then(Result::err)
                        .map(|e| view! { <p class="error" role="alert">{e.message}</p> })
                }}
            </Show>
        </section>
    }
}
