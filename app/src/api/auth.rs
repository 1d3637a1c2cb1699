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
    let signed = crate::server::service::auth::verify_otp::verify_otp(&state, &challenge_id, &code)
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
    // Back to where the citizen was going (same-site paths only).
    if let Some(next) = next.filter(|n| n.starts_with('/') && !n.starts_with("//") && n.len() < 500)
    {
        leptos_axum::redirect(&next);
    }
    Ok(SignedIn {
        iin_masked: mask_iin(&signed.iin),
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
            iin_masked: mask_iin(&iin),
        })),
        _ => Ok(None),
    }
}

/// Ends the caller's session (citizen or staff) and clears the cookie;
/// then the home page. Signed out already: the same.
#[server(prefix = "/sfn", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::api::ctx;
    let state = ctx::state()?;
    let headers = ctx::headers().await;
    let lang = ctx::lang_of(&headers);
    if let Some(token) = ctx::token_of(&headers) {
        crate::server::service::auth::session::end_session(&state.db, &token)
            .await
            .map_err(|e| ctx::fail(e, lang))?;
    }
    ctx::set_response_header(
        axum::http::header::SET_COOKIE,
        &ctx::session_cookie("", 0, state.config.secure_cookies),
    );
    leptos_axum::redirect("/");
    Ok(())
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
            let notice_phone = crate::server::service::auth::account::notice_phone(&state, id)
                .await
                .map_err(|e| ctx::fail(e, lang))?;
            Ok(Some(Account {
                iin_masked: mask_iin(&iin),
                notice_phone,
            }))
        }
        _ => Ok(None),
    }
}

/// Masks all but the last four characters.
pub fn mask_iin(iin: &str) -> String {
    let n = iin.chars().count();
    iin.chars()
        .enumerate()
        .map(|(i, c)| if i + 4 < n { '•' } else { c })
        .collect()
}
