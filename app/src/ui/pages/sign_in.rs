//! Citizen sign-in: IIN + phone → one-time code → session cookie.
//!
//! The IIN and the phone are checked as they are typed with the same
//! parsers the server uses (`domain::iin`, `domain::phone`), compiled to
//! WebAssembly. Both forms are `ActionForm`s, so
//! they still submit when WebAssembly has not loaded. `?next=` says where to
//! go afterwards.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::auth::{RequestCode, VerifyCode};
use crate::domain::iin::{Iin, IinError};
use crate::domain::phone::normalize_phone;
use crate::i18n::ui::T;
use crate::ui::lang::t;

#[component]
pub fn SignIn() -> impl IntoView {
    let request = ServerAction::<RequestCode>::new();
    let verify = ServerAction::<VerifyCode>::new();
    let (iin, set_iin) = signal(String::new());
    let (phone, set_phone) = signal(String::new());
    let query = use_query_map();
    let next = move || {
        query
            .read()
            .get("next")
            .filter(|n| crate::domain::redirect::safe_next(n).is_some())
            .unwrap_or_else(|| "/my".to_owned())
    };

    let iin_hint = move || {
        let v = iin.get();
        if v.trim().is_empty() {
            return None;
        }
        Some(match Iin::parse(&v) {
            Ok(_) => ("ok", t(T::IinOk)),
            Err(IinError::Length) => ("error", t(T::IinLength)),
            Err(IinError::NotDigits) => ("error", t(T::IinDigits)),
            Err(IinError::Checksum) => ("error", t(T::IinChecksum)),
        })
    };
    // Judged once the number could be whole (10 digits), so a half-typed
    // number is not called wrong.
    let phone_hint = move || {
        let v = phone.get();
        if v.chars().filter(char::is_ascii_digit).count() < 10 {
            return None;
        }
        Some(match normalize_phone(&v) {
            Some(_) => ("ok", t(T::PhoneOk)),
            None => ("error", t(T::PhoneInvalid)),
        })
    };
    let signed_in = move || verify.value().get().and_then(Result::ok);
    let sent = move || request.value().get().and_then(Result::ok);

    view! {
        <section class="card narrow">
            <h1>{t(T::SignIn)}</h1>
            <Show
                when=move || signed_in().is_none()
                fallback=move || {
                    view! {
                        <p class="success" data-testid="signed-in" role="status">
                            {t(T::SignedIn)}
                            " "
                            {move || signed_in().map(|m| m.iin_masked)}
                        </p>
                        <p>
                            <a class="button primary" href=next>{t(T::StartBooking)}</a>
                        </p>
                    }
                }
            >
                <ActionForm action=request attr:class="stack">
                    <label for="iin">{t(T::Iin)}</label>
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
                    <label for="phone">{t(T::Phone)}</label>
                    <input
                        id="phone"
                        name="phone"
                        type="tel"
                        autocomplete="tel"
                        placeholder="+7 7XX XXX XX XX"
                        required
                        aria-describedby="phone-hint"
                        on:input=move |ev| set_phone.set(event_target_value(&ev))
                    />
                    <p
                        id="phone-hint"
                        class=move || format!("hint {}", phone_hint().map(|h| h.0).unwrap_or(""))
                        aria-live="polite"
                        data-testid="phone-hint"
                    >
                        {move || phone_hint().map(|h| h.1)}
                    </p>
                    <button
                        type="submit"
                        class="button primary"
                        disabled=move || request.pending().get()
                    >
                        {t(T::GetCode)}
                    </button>
                </ActionForm>
                {move || {
                    request
                        .value()
                        .get()
                        .and_then(Result::err)
                        .map(|e| {
                            view! {
                                <p class="error" role="alert" data-testid="error">
                                    {e.message}
                                </p>
                            }
                        })
                }}
                {move || {
                    sent()
                        .map(|s| {
                            view! {
                                <ActionForm action=verify attr:class="stack">
                                    <input
                                        type="hidden"
                                        name="challenge_id"
                                        value=s.challenge_id.clone()
                                    />
                                    <input type="hidden" name="next" value=next/>
                                    <label for="code">{t(T::EnterCode)}</label>
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
                                                    {t(T::DevCode)}
                                                    " "
                                                    <b>{c}</b>
                                                </p>
                                            }
                                        })}
                                    <button type="submit" class="button primary">
                                        {t(T::SignIn)}
                                    </button>
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
