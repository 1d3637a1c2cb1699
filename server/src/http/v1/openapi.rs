//! The OpenAPI 3 document of API v1, served at `GET /api/v1/openapi.json`.
//!
//! Generated from the code with utoipa: every handler carries its
//! `#[utoipa::path]` (method, path, parameters, body, every answer), the
//! wire types of `kezek_wire::api` / `types` / `error` their schemas
//! (feature `openapi`), and [`ApiDoc`] lists them. The error answers are
//! reusable `components.responses` ([`r`]). The test
//! `api_catalog::openapi_document_is_checked_in` keeps `docs/openapi.json`
//! equal to it (`KEZEK_UPDATE_OPENAPI=1` rewrites the file).
use std::sync::LazyLock;

use axum::{
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use kezek_wire::ErrorBody;
use kezek_wire::api::{
    CenterOut, CheckinBody, CheckinResult, CitizenToken, Imported, MoveBody, NewBooking,
    NoticeChannels, OtpRequest, OtpSent, OutboxMessage, PhonesImported, ServiceOut,
    StaffLoginRequest, StaffToken, VerifyRequest, WhatsAppChoice,
};
use kezek_wire::types::{BookingView, FreeSlot, HistoryItem};
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{OpenApi as Doc, Ref, RefOr};
use utoipa::{Modify, OpenApi};

use super::{account, admin, auth, bookings, catalog, desk, dev, draws, waitlist};
use kezek_wire::draws::{
    ChoiceIn, ChoiceView, DrawEntry, DrawRequestView, DrawView, NewDraw, NewDrawRequest,
    NewWaitEntry, ReleaseBody, ReleaseView, WaitEntryView,
};

/// `GET /openapi.json`
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "catalog",
    operation_id = "openapi",
    summary = "This document",
    responses(
        (status = 200, description = "OpenAPI 3.1 document", content_type = "application/json", body = Object)
    )
)]
pub async fn document() -> Response {
    let mut resp = axum::Json(&*SPEC).into_response();
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    resp
}

/// Built once: the document never changes while the process runs.
static SPEC: LazyLock<serde_json::Value> =
    LazyLock::new(|| serde_json::to_value(spec()).unwrap_or_default());

/// The document.
pub fn spec() -> Doc {
    ApiDoc::openapi()
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Kezek API",
        version = "1",
        description = "Booking visits to Kazakhstan's Public Service Centers. \
            Errors are `{\"error\": code, \"message\": text}` with the HTTP status of the code; \
            `Accept-Language: kk|ru|en` chooses messages and names. Times are RFC 3339 with \
            offset, dates YYYY-MM-DD, ids strings. Unknown paths are 404 `not_found`, wrong \
            methods 405 `method_not_allowed`; a database failover may answer 503 \
            `unavailable` with `Retry-After`.",
        license(name = "Apache-2.0")
    ),
    servers((url = "/api/v1")),
    tags(
        (name = "auth", description = "Citizen sign-in"),
        (name = "catalog", description = "Centers, services, free starts (no sign-in)"),
        (name = "bookings", description = "A citizen's bookings"),
        (name = "staff", description = "Staff sign-in and the desk"),
        (name = "draws", description = "Fair release by draw (R12)"),
        (name = "waitlist", description = "The waiting list (R13)"),
        (name = "admin", description = "Administrators"),
        (name = "dev", description = "Dev mode only"),
    ),
    paths(
        auth::request_otp,
        auth::verify,
        auth::logout,
        auth::staff_login,
        account::show,
        account::choose_whatsapp,
        dev::outbox,
        catalog::centers,
        catalog::services,
        catalog::fairness,
        bookings::get_availability,
        bookings::create,
        bookings::list,
        bookings::show,
        bookings::move_booking,
        bookings::cancel_booking,
        desk::check_in,
        desk::call_next,
        desk::start,
        desk::served,
        desk::no_show,
        admin::import_vehicles,
        admin::import_phones,
        draws::list,
        draws::show,
        draws::submit,
        draws::mine,
        draws::withdraw,
        draws::create,
        draws::release,
        draws::set_release,
        waitlist::join,
        waitlist::mine,
        waitlist::leave,
        document,
    ),
    components(
        schemas(
            ErrorBody,
            OtpRequest,
            OtpSent,
            VerifyRequest,
            CitizenToken,
            StaffLoginRequest,
            StaffToken,
            NoticeChannels,
            WhatsAppChoice,
            OutboxMessage,
            CenterOut,
            ServiceOut,
            FreeSlot,
            NewBooking,
            MoveBody,
            BookingView,
            HistoryItem,
            CheckinBody,
            CheckinResult,
            Imported,
            PhonesImported,
            DrawView,
            DrawEntry,
            ChoiceIn,
            NewDrawRequest,
            ChoiceView,
            DrawRequestView,
            NewDraw,
            ReleaseBody,
            ReleaseView,
            NewWaitEntry,
            WaitEntryView,
            kezek_wire::fairness::Fairness,
            kezek_wire::fairness::FairnessRow,
            kezek_wire::fairness::DrawRecord,
        ),
        responses(
            r::MalformedRequest,
            r::Unauthorized,
            r::Forbidden,
            r::NotFound,
            r::Conflict,
            r::PayloadTooLarge,
            r::UnsupportedMediaType,
            r::Unprocessable,
            r::TooManyRequests,
            r::ServiceUnavailable,
        )
    ),
    modifiers(&Common)
)]
pub struct ApiDoc;

/// Security schemes, `Accept-Language` on every operation, 503
/// `unavailable` on every operation but the document itself, and 401/403 on
/// every signed-in one (so the operations list only their own answers).
struct Common;

const ACCEPT_LANGUAGE: &str = "AcceptLanguage";

impl Modify for Common {
    fn modify(&self, doc: &mut Doc) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("Opaque token from /auth/verify or /staff/login"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "kezek_session",
                "The HttpOnly session cookie set by /auth/verify",
            ))),
        );
        components
            .parameters
            .insert(ACCEPT_LANGUAGE.to_owned(), RefOr::T(accept_language()));
        for (path, item) in doc.paths.paths.iter_mut() {
            let reads_the_database = path != "/openapi.json";
            for op in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                let params = op.parameters.get_or_insert_with(Vec::new);
                params.insert(
                    0,
                    RefOr::Ref(Ref::new(format!(
                        "#/components/parameters/{ACCEPT_LANGUAGE}"
                    ))),
                );
                if reads_the_database {
                    op.responses.responses.insert(
                        "503".to_owned(),
                        RefOr::Ref(Ref::from_response_name("ServiceUnavailable")),
                    );
                }
                // A signed-in operation answers 401 without a valid
                // session and 403 to the wrong kind of account (a citizen
                // at a staff operation, staff at a citizen's); sign-out
                // takes any account.
                if op.security.as_ref().is_some_and(|s| !s.is_empty()) {
                    let mut add = |status: &str, name: &str| {
                        op.responses
                            .responses
                            .entry(status.to_owned())
                            .or_insert_with(|| RefOr::Ref(Ref::from_response_name(name)));
                    };
                    add("401", "Unauthorized");
                    if path != "/auth/logout" {
                        add("403", "Forbidden");
                    }
                }
            }
        }
    }
}

fn accept_language() -> Parameter {
    ParameterBuilder::new()
        .name("Accept-Language")
        .parameter_in(ParameterIn::Header)
        .description(Some(
            "kk, ru (default) or en (any `Accept-Language` value; the first known language wins): chooses messages and names",
        ))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .examples(["kk", "ru-RU,ru;q=0.9"])
                .build(),
        ))
        .build()
}

/// The error answers, as reusable `components.responses`. Every body is an
/// [`ErrorBody`] (schema `Error`).
pub mod r {
    use utoipa::ToResponse;
    use utoipa::openapi::header::HeaderBuilder;
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};

    fn error(description: &str) -> ResponseBuilder {
        ResponseBuilder::new().description(description).content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Error")))
                .build(),
        )
    }

    macro_rules! responses {
        ($( $name:ident => $description:literal, )*) => {$(
            #[doc = $description]
            pub struct $name;

            impl<'r> ToResponse<'r> for $name {
                fn response() -> (&'r str, RefOr<Response>) {
                    (stringify!($name), RefOr::T(error($description).build()))
                }
            }
        )*};
    }

    responses! {
        MalformedRequest => "The body is not valid JSON (`malformed_request`)",
        Unauthorized => "No valid session or token (`unauthorized`)",
        Forbidden => "Signed in, but not allowed (`forbidden`)",
        NotFound => "Nothing there, or not yours (`not_found`)",
        Conflict => "No window is free at that start (`slot_full`)",
        PayloadTooLarge => "The body is too large (`payload_too_large`)",
        UnsupportedMediaType => "Wrong `Content-Type` (`unsupported_media_type`)",
        Unprocessable => "A rule refusal or invalid input (`bad_request` for a body of the wrong shape, a bad parameter); `error` names it",
    }

    /// An error answer with `Retry-After` (seconds).
    fn retry_later(description: &str) -> RefOr<Response> {
        RefOr::T(
            error(description)
                .header(
                    "Retry-After",
                    HeaderBuilder::new()
                        .schema(Some(
                            ObjectBuilder::new()
                                .schema_type(Type::Integer)
                                .minimum(Some(1))
                                .build(),
                        ))
                        .description(Some("Seconds to wait"))
                        .build(),
                )
                .build(),
        )
    }

    /// 429 with `Retry-After`.
    pub struct TooManyRequests;

    impl<'r> ToResponse<'r> for TooManyRequests {
        fn response() -> (&'r str, RefOr<Response>) {
            (
                "TooManyRequests",
                retry_later("Too many requests (`rate_limited`); try again after `Retry-After`"),
            )
        }
    }

    /// 503 with `Retry-After`: on every operation that reads or writes the
    /// database (all but this document).
    pub struct ServiceUnavailable;

    impl<'r> ToResponse<'r> for ServiceUnavailable {
        fn response() -> (&'r str, RefOr<Response>) {
            (
                "ServiceUnavailable",
                retry_later(
                    "The database (failing over) or an outside registry is briefly away \
                     (`unavailable`); nothing was changed unless a retry with the same \
                     `Idempotency-Key` says so; try again after `Retry-After`",
                ),
            )
        }
    }
}
