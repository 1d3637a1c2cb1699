//! Sign-in server functions (citizens).
use leptos::prelude::*;
#[allow(unused_imports)]
use serde::{Deserialize, Serialize};

pub use kezek_wire::auth::*;

use crate::api::error::AppError;

#[server(prefix = "/sfn", endpoint = "request_code")]
pub async fn request_code(iin: String, phone: String) -> Result<CodeSent, AppError> {
    use crate::api::ctx;
    let state = ctx::state()?;
    let headers = ctx::headers().await;
    let lang = ctx::lang_of(&headers);
    let sent = crate::server::service::auth::request_otp::request_otp(&state, &iin, &phone, lang)
        .await
        .map_err(|e| ctx::fail(e, lang))?;
    Ok(CodeSent {
        challenge_id: sent.challenge_id,
        dev_code: sent.dev_code,
    })
}

#[server(prefix = "/sfn", endpoint = "verify_code")]
pub async fn verify_code(
    challenge_id: String,
    code: String,
    #[server(default)] next: Option<String>,
) -> Result<SignedIn, AppError> {
    use crate::api::ctx;
    let state = ctx::state()?;
    let headers = ctx::headers().await;
    let lang = ctx::lang_of(&headers);
    let meta = ctx::session_meta(&state).await;
    let signed =
        crate::server::service::auth::verify_otp::verify_otp(&state, &challenge_id, &code, &meta)
            .await
            .map_err(|e| ctx::fail(e, lang))?;
    ctx::set_response_header(
        axum::http::header::SET_COOKIE,
        &ctx::session_cookie(
            &signed.token,
            state.config.session_ttl_secs,
            state.config.secure_cookies,
        ),
    );
    // Back to where the citizen was going: same-site paths only, never a
    // value the redirect header could not carry.
    if let Some(next) = next.as_deref().and_then(crate::domain::redirect::safe_next) {
        leptos_axum::redirect(next);
    }
    Ok(SignedIn {
        iin_masked: crate::domain::iin::shown(&signed.iin),
    })
}

/// Who is signed in (citizens), or `None`.
#[server(prefix = "/sfn", endpoint = "current_citizen")]
pub async fn current_citizen() -> Result<Option<SignedIn>, AppError> {
    use crate::api::ctx;
    use crate::server::service::auth::session::Principal;
    let state = ctx::state()?;
    let headers = ctx::headers().await;
    match ctx::principal(&state, &headers).await {
        Ok(Principal::Citizen { iin, .. }) => Ok(Some(SignedIn {
            iin_masked: crate::domain::iin::shown(&iin),
        })),
        _ => Ok(None),
    }
}

/// Ends the caller's session (citizen or staff) and clears the cookie;
/// then the home page. Signed out already: the same.
#[server(prefix = "/sfn", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    crate::api::ctx::end_session_and_redirect("/").await
}

/// The signed-in citizen's account box (masked IIN, where notices go), or
/// `None` when no citizen is signed in.
#[server(prefix = "/sfn", endpoint = "my_account")]
pub async fn my_account() -> Result<Option<Account>, AppError> {
    use crate::api::ctx;
    use crate::server::service::auth::session::Principal;
    let state = ctx::state()?;
    let headers = ctx::headers().await;
    let lang = ctx::lang_of(&headers);
    ctx::set_response_header(axum::http::header::CACHE_CONTROL, "no-store");
    match ctx::principal(&state, &headers).await {
        Ok(Principal::Citizen { id, iin }) => {
            let ch = crate::server::service::auth::account::channels(&state, id)
                .await
                .map_err(|e| ctx::fail(e, lang))?;
            Ok(Some(Account {
                iin_masked: crate::domain::iin::shown(&iin),
                notice_phone: ch.notice_phone,
                whatsapp: ch.whatsapp,
                telegram: ch.telegram,
                whatsapp_offered: ch.whatsapp_offered,
            }))
        }
        _ => Ok(None),
    }
}

/// The signed-in citizen's live sessions, newest first.
#[server(prefix = "/sfn", endpoint = "my_sessions")]
pub async fn my_sessions() -> Result<Vec<SessionRow>, AppError> {
    use crate::api::ctx;
    use crate::server::service::auth::session::{citizen_sessions, device_of};
    ctx::set_response_header(axum::http::header::CACHE_CONTROL, "no-store");
    let (state, id, lang, headers) = signed_in_citizen().await?;
    let token = ctx::token_of(&headers, state.config.secure_cookies).unwrap_or_default();
    let rows = citizen_sessions(&state.db, id, &token, state.now().timestamp())
        .await
        .map_err(|e| ctx::fail(e, lang))?;
    Ok(rows
        .into_iter()
        .map(|s| SessionRow {
            handle: s.handle,
            since: crate::server::service::booking::facts::rfc3339_in(
                chrono_tz::Asia::Almaty,
                s.created_at,
            ),
            device: s.user_agent.as_deref().map(device_of),
            address: s.address,
            current: s.current,
        })
        .collect())
}

/// Ends every session of the signed-in citizen except this one; returns
/// how many ended.
#[server(prefix = "/sfn", endpoint = "end_other_sessions")]
pub async fn end_other_sessions() -> Result<u64, AppError> {
    use crate::api::ctx;
    let (state, id, lang, headers) = signed_in_citizen().await?;
    let token = ctx::token_of(&headers, state.config.secure_cookies).unwrap_or_default();
    crate::server::service::auth::session::end_other_sessions(&state.db, id, &token)
        .await
        .map_err(|e| ctx::fail(e, lang))
}

/// Notices to WhatsApp (`enabled`) or back to SMS, for the signed-in
/// citizen; the account box as it is now.
#[server(prefix = "/sfn", endpoint = "choose_whatsapp")]
pub async fn choose_whatsapp(enabled: bool) -> Result<(), AppError> {
    use crate::api::ctx;
    let (state, id, lang, _) = signed_in_citizen().await?;
    crate::server::service::auth::account::set_whatsapp(&state, id, enabled)
        .await
        .map_err(|e| ctx::fail(e, lang))?;
    Ok(())
}

/// The signed-in citizen of this request: the state, their id, the
/// request's language and headers; `unauthorized` otherwise.
#[cfg(feature = "ssr")]
async fn signed_in_citizen() -> Result<
    (
        crate::server::Core,
        crate::domain::ids::CitizenId,
        crate::i18n::Lang,
        axum::http::HeaderMap,
    ),
    AppError,
> {
    use crate::api::ctx;
    use crate::server::service::auth::session::Principal;
    let state = ctx::state()?;
    let headers = ctx::headers().await;
    let lang = ctx::lang_of(&headers);
    match ctx::principal(&state, &headers).await {
        Ok(Principal::Citizen { id, .. }) => Ok((state, id, lang, headers)),
        _ => Err(ctx::fail(
            crate::server::error::ServiceError::Unauthorized,
            lang,
        )),
    }
}
