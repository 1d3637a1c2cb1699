//! The OpenAPI 3 document of API v1, served at `GET /api/v1/openapi.json`.
//!
//! Hand-maintained (serde_json) next to the handlers rather than derived:
//! the bookings, availability and desk handlers live in another module and
//! the wire types in `app`, which is also compiled to wasm. The test
//! `api_catalog::openapi_lists_every_endpoint` pins the set of paths and
//! methods; change it together with this file and `../shared/API.md`.
use app::domain::refusal::Refusal;
use axum::{
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use serde_json::{Value, json};

/// `GET /openapi.json`
pub async fn document() -> Response {
    let mut resp = axum::Json(spec()).into_response();
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    resp
}

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn json_body(schema: Value) -> Value {
    json!({ "required": true, "content": { "application/json": { "schema": schema } } })
}

fn ok(description: &str, schema: Value) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": schema } } })
}

fn err(description: &str) -> Value {
    json!({ "$ref": format!("#/components/responses/{description}") })
}

fn array_of(name: &str) -> Value {
    json!({ "type": "array", "items": schema_ref(name) })
}

fn query(name: &str, description: &str, required: bool, schema: Value) -> Value {
    json!({ "name": name, "in": "query", "required": required,
            "description": description, "schema": schema })
}

fn path_id(name: &str) -> Value {
    json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } })
}

const LANG: &str = "#/components/parameters/AcceptLanguage";

/// Builds the document.
pub fn spec() -> Value {
    let bearer = json!([{ "bearer": [] }, { "cookie": [] }]);
    let lang = json!({ "$ref": LANG });
    let kind = json!({ "type": "string", "enum": ["Psc", "AutoPsc"] });
    let date = json!({ "type": "string", "format": "date", "example": "2026-12-01" });
    let mut codes: Vec<&str> = Refusal::ALL_CODES.to_vec();
    codes.extend([
        "unauthorized",
        "forbidden",
        "not_found",
        "bad_request",
        "rate_limited",
        "invalid_phone",
        "invalid_code",
        "code_expired",
        "internal",
    ]);

    let booking_id_ops = |summary: &str, extra_400: bool| {
        let mut responses = json!({
            "200": ok("The booking after the change", schema_ref("Booking")),
            "401": err("Unauthorized"),
            "404": err("NotFound"),
            "422": err("Unprocessable"),
        });
        if extra_400 {
            responses["409"] = err("Conflict");
            responses["400"] = err("BadRequest");
        }
        json!({ "summary": summary, "security": bearer, "responses": responses })
    };

    let staff_step = |summary: &str| {
        json!({ "post": {
            "tags": ["staff"], "summary": summary, "security": bearer,
            "parameters": [lang, path_id("id")],
            "responses": {
                "200": ok("The booking after the step", schema_ref("Booking")),
                "401": err("Unauthorized"), "403": err("Forbidden"),
                "404": err("NotFound"), "422": err("Unprocessable"),
            }
        }})
    };

    let mut reschedule = booking_id_ops("Move a booking to another start (R1)", true);
    reschedule["tags"] = json!(["bookings"]);
    reschedule["parameters"] = json!([lang, path_id("id")]);
    reschedule["requestBody"] = json_body(schema_ref("RescheduleRequest"));
    let mut cancel = booking_id_ops("Cancel a booking (R2)", false);
    cancel["tags"] = json!(["bookings"]);
    cancel["parameters"] = json!([lang, path_id("id")]);

    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Kezek API",
            "version": "1",
            "description": "Booking visits to Kazakhstan's Public Service Centers. \
                Errors are `{\"error\": code, \"message\": text}`; `Accept-Language: kk|ru|en` \
                chooses messages and names. Times are RFC 3339 with offset, dates YYYY-MM-DD, \
                ids strings."
        },
        "servers": [{ "url": "/api/v1" }],
        "tags": [
            { "name": "auth" }, { "name": "catalog" }, { "name": "bookings" },
            { "name": "staff" }, { "name": "admin" }, { "name": "dev" }
        ],
        "paths": {
            "/auth/otp": { "post": {
                "tags": ["auth"], "summary": "Send a 6-digit sign-in code to a phone",
                "parameters": [lang],
                "requestBody": json_body(schema_ref("OtpRequest")),
                "responses": {
                    "202": ok("Code sent", schema_ref("OtpSent")),
                    "400": err("BadRequest"), "422": err("Unprocessable"),
                    "429": err("TooManyRequests")
                }
            }},
            "/auth/verify": { "post": {
                "tags": ["auth"], "summary": "Exchange the code for a session token",
                "description": "Also sets the HttpOnly session cookie. 5 wrong tries burn the challenge.",
                "parameters": [lang],
                "requestBody": json_body(schema_ref("VerifyRequest")),
                "responses": {
                    "200": {
                        "description": "Signed in",
                        "headers": { "Set-Cookie": { "schema": { "type": "string" } } },
                        "content": { "application/json": { "schema": schema_ref("CitizenToken") } }
                    },
                    "400": err("BadRequest"), "422": err("Unprocessable"),
                    "429": err("TooManyRequests")
                }
            }},
            "/auth/logout": { "post": {
                "tags": ["auth"], "summary": "End the session of the token", "security": bearer,
                "parameters": [lang],
                "responses": {
                    "204": { "description": "Signed out; the cookie is cleared" },
                    "401": err("Unauthorized"), "429": err("TooManyRequests")
                }
            }},
            "/dev/outbox": { "get": {
                "tags": ["dev"], "summary": "Messages sent to an address (dev mode only; else 404)",
                "parameters": [lang, query("to", "Phone (+77011234567) or other address", true, json!({ "type": "string" }))],
                "responses": {
                    "200": ok("Newest first", array_of("OutboxMessage")),
                    "404": err("NotFound"), "422": err("Unprocessable")
                }
            }},
            "/centers": { "get": {
                "tags": ["catalog"], "summary": "Centers",
                "parameters": [lang,
                    query("kind", "Center kind", false, kind.clone()),
                    query("city", "City (case-insensitive)", false, json!({ "type": "string" }))],
                "responses": {
                    "200": ok("Active centers", array_of("Center")),
                    "422": err("Unprocessable")
                }
            }},
            "/services": { "get": {
                "tags": ["catalog"], "summary": "Catalog services",
                "parameters": [lang, query("center_kind", "Center kind", false, kind.clone())],
                "responses": {
                    "200": ok("Active services", array_of("Service")),
                    "422": err("Unprocessable")
                }
            }},
            "/availability": { "get": {
                "tags": ["catalog"], "summary": "Free starts for a service at a center",
                "description": "Only starts with free > 0, in time order. `from` after `to` or a range longer than the horizon is 422 bad_request.",
                "parameters": [lang,
                    query("center_id", "Center id", true, json!({ "type": "string" })),
                    query("service", "Service code", true, json!({ "type": "string" })),
                    query("from", "First day", true, date.clone()),
                    query("to", "Last day", true, date.clone())],
                "responses": {
                    "200": ok("Free starts", array_of("FreeSlot")),
                    "404": err("NotFound"), "422": err("Unprocessable")
                }
            }},
            "/bookings": {
                "post": {
                    "tags": ["bookings"], "summary": "Book a visit", "security": bearer,
                    "parameters": [lang, {
                        "name": "Idempotency-Key", "in": "header", "required": false,
                        "description": "A retried request with the same key returns the first answer and never books twice",
                        "schema": { "type": "string", "maxLength": 128 }
                    }],
                    "requestBody": json_body(schema_ref("BookingRequest")),
                    "responses": {
                        "201": ok("Booked", schema_ref("Booking")),
                        "400": err("BadRequest"), "401": err("Unauthorized"),
                        "403": err("Forbidden"), "404": err("NotFound"),
                        "409": err("Conflict"), "422": err("Unprocessable"),
                        "429": err("TooManyRequests")
                    }
                },
                "get": {
                    "tags": ["bookings"], "summary": "The signed-in citizen's bookings, newest first",
                    "security": bearer, "parameters": [lang],
                    "responses": {
                        "200": ok("Bookings", array_of("Booking")),
                        "401": err("Unauthorized"), "403": err("Forbidden")
                    }
                }
            },
            "/bookings/{id}": { "get": {
                "tags": ["bookings"], "summary": "One booking with its history",
                "description": "Another citizen's booking is 404.",
                "security": bearer, "parameters": [lang, path_id("id")],
                "responses": {
                    "200": ok("The booking", schema_ref("Booking")),
                    "401": err("Unauthorized"), "404": err("NotFound")
                }
            }},
            "/bookings/{id}/reschedule": { "post": reschedule },
            "/bookings/{id}/cancel": { "post": cancel },
            "/staff/login": { "post": {
                "tags": ["staff"], "summary": "Staff sign-in",
                "description": "Any wrong username, password or inactive account is 401 with the same message.",
                "parameters": [lang],
                "requestBody": json_body(schema_ref("StaffLoginRequest")),
                "responses": {
                    "200": ok("Signed in", schema_ref("StaffToken")),
                    "400": err("BadRequest"), "401": err("Unauthorized"),
                    "422": err("Unprocessable"), "429": err("TooManyRequests")
                }
            }},
            "/staff/checkin": { "post": {
                "tags": ["staff"], "summary": "Check a visitor in by booking code; issues a ticket",
                "security": bearer, "parameters": [lang],
                "requestBody": json_body(schema_ref("CheckinRequest")),
                "responses": {
                    "200": ok("Checked in", schema_ref("CheckinResult")),
                    "401": err("Unauthorized"), "403": err("Forbidden"),
                    "404": err("NotFound"), "422": err("Unprocessable")
                }
            }},
            "/staff/windows/{window_id}/call-next": { "post": {
                "tags": ["staff"], "summary": "Call the next visitor to a window",
                "security": bearer, "parameters": [lang, path_id("window_id")],
                "responses": {
                    "200": ok("The called booking", schema_ref("Booking")),
                    "204": { "description": "Nobody is waiting" },
                    "401": err("Unauthorized"), "403": err("Forbidden"),
                    "404": err("NotFound"), "422": err("Unprocessable")
                }
            }},
            "/staff/bookings/{id}/start": staff_step("Start serving a called visitor"),
            "/staff/bookings/{id}/served": staff_step("Mark a visit served"),
            "/staff/bookings/{id}/no-show": staff_step("Mark a booking no-show"),
            "/admin/vehicles": { "post": {
                "tags": ["admin"], "summary": "Import the vehicle registry (administrator)",
                "description": "Header line `plate,vin,owner_iin`; rows upsert by VIN (a sale changes the owner). A bad line rejects the whole file (422, the line number in the message) and nothing changes.",
                "security": bearer, "parameters": [lang],
                "requestBody": { "required": true, "content": { "text/csv": {
                    "schema": { "type": "string" },
                    "example": "plate,vin,owner_iin\n123ABC01,XTA21700080123456,710313311868\n"
                }}},
                "responses": {
                    "200": ok("Imported", schema_ref("Imported")),
                    "401": err("Unauthorized"), "403": err("Forbidden"),
                    "413": err("TooLarge"), "415": err("UnsupportedMediaType"),
                    "422": err("Unprocessable")
                }
            }},
            "/openapi.json": { "get": {
                "tags": ["catalog"], "summary": "This document",
                "responses": { "200": { "description": "OpenAPI 3 document",
                    "content": { "application/json": { "schema": { "type": "object" } } } } }
            }}
        },
        "components": {
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer",
                    "description": "Opaque token from /auth/verify or /staff/login" },
                "cookie": { "type": "apiKey", "in": "cookie", "name": "kezek_session" }
            },
            "parameters": {
                "AcceptLanguage": { "name": "Accept-Language", "in": "header", "required": false,
                    "description": "kk, ru (default) or en: chooses messages and names",
                    "schema": { "type": "string", "example": "kk" } }
            },
            "responses": {
                "BadRequest": { "description": "Malformed body (bad_request)", "content": { "application/json": { "schema": schema_ref("Error") } } },
                "Unauthorized": { "description": "No valid session (unauthorized)", "content": { "application/json": { "schema": schema_ref("Error") } } },
                "Forbidden": { "description": "Signed in, not allowed (forbidden)", "content": { "application/json": { "schema": schema_ref("Error") } } },
                "NotFound": { "description": "Nothing there (not_found)", "content": { "application/json": { "schema": schema_ref("Error") } } },
                "Conflict": { "description": "The slot is taken (slot_full)", "content": { "application/json": { "schema": schema_ref("Error") } } },
                "TooLarge": { "description": "Body too large (bad_request)", "content": { "application/json": { "schema": schema_ref("Error") } } },
                "UnsupportedMediaType": { "description": "Wrong Content-Type (bad_request)", "content": { "application/json": { "schema": schema_ref("Error") } } },
                "Unprocessable": { "description": "A rule refusal or invalid input; `error` names it", "content": { "application/json": { "schema": schema_ref("Error") } } },
                "TooManyRequests": {
                    "description": "Rate limited (rate_limited)",
                    "headers": { "Retry-After": { "description": "Seconds to wait", "schema": { "type": "integer" } } },
                    "content": { "application/json": { "schema": schema_ref("Error") } }
                }
            },
            "schemas": {
                "Error": { "type": "object", "required": ["error", "message"], "properties": {
                    "error": { "type": "string", "enum": codes },
                    "message": { "type": "string", "description": "In the caller's language" }
                }},
                "OtpRequest": { "type": "object", "required": ["iin", "phone"], "properties": {
                    "iin": { "type": "string", "example": "710313311868" },
                    "phone": { "type": "string", "example": "+77011234567" }
                }},
                "OtpSent": { "type": "object", "required": ["challenge_id"], "properties": {
                    "challenge_id": { "type": "string" }
                }},
                "VerifyRequest": { "type": "object", "required": ["challenge_id", "code"], "properties": {
                    "challenge_id": { "type": "string" },
                    "code": { "type": "string", "pattern": "^[0-9]{6}$" }
                }},
                "CitizenToken": { "type": "object", "required": ["token", "iin"], "properties": {
                    "token": { "type": "string" }, "iin": { "type": "string" }
                }},
                "OutboxMessage": { "type": "object", "required": ["to", "channel", "body", "created_at"], "properties": {
                    "to": { "type": "string" }, "channel": { "type": "string", "example": "sms" },
                    "body": { "type": "string" },
                    "created_at": { "type": "string", "format": "date-time" }
                }},
                "Center": { "type": "object", "required": ["id", "kind", "name", "city", "address", "timezone"], "properties": {
                    "id": { "type": "string" }, "kind": kind.clone(), "name": { "type": "string" },
                    "city": { "type": "string" }, "address": { "type": "string" },
                    "timezone": { "type": "string", "example": "Asia/Almaty" }
                }},
                "Service": { "type": "object",
                    "required": ["code", "name", "center_kind", "group", "online_available", "requires_vehicle"],
                    "properties": {
                        "code": { "type": "string" }, "name": { "type": "string" },
                        "center_kind": kind.clone(),
                        "group": { "type": "string", "enum": ["Documentation", "Other"] },
                        "online_available": { "type": "boolean", "description": "Offered online: not bookable (R7)" },
                        "requires_vehicle": { "type": "boolean", "description": "Name a vehicle; only its owner may book (R6)" },
                        "duration_min": { "type": "integer", "format": "int32" }
                }},
                "FreeSlot": { "type": "object", "required": ["start", "free"], "properties": {
                    "start": { "type": "string", "format": "date-time" },
                    "free": { "type": "integer", "format": "int32", "minimum": 1 }
                }},
                "BookingRequest": { "type": "object", "required": ["center_id", "service", "start"], "properties": {
                    "center_id": { "type": "string" }, "service": { "type": "string" },
                    "start": { "type": "string", "format": "date-time", "example": "2026-12-01T09:15:00+05:00" },
                    "vehicle": { "type": "string", "description": "Plate number or VIN (services that require a vehicle)" }
                }},
                "RescheduleRequest": { "type": "object", "required": ["start"], "properties": {
                    "start": { "type": "string", "format": "date-time" },
                    "center_id": { "type": "string", "description": "Another center of the same kind" }
                }},
                "HistoryItem": { "type": "object", "required": ["status", "at"], "properties": {
                    "status": { "type": "string" },
                    "at": { "type": "string", "format": "date-time" },
                    "note": { "type": "string" }
                }},
                "Booking": { "type": "object", "required": ["id", "code", "center_id", "service", "start", "status"], "properties": {
                    "id": { "type": "string" }, "code": { "type": "string" },
                    "center_id": { "type": "string" }, "center_kind": kind,
                    "center_name": { "type": "string" }, "center_address": { "type": "string" },
                    "service": { "type": "string" }, "service_name": { "type": "string" },
                    "group": { "type": "string" },
                    "start": { "type": "string", "format": "date-time" },
                    "end": { "type": "string", "format": "date-time" },
                    "status": { "type": "string", "enum": ["Booked", "CheckedIn", "Called", "InService", "Served", "Cancelled", "NoShow"] },
                    "window": { "type": "integer", "format": "int32" },
                    "reschedule_count": { "type": "integer", "format": "int32" },
                    "vehicle": { "type": "string" }, "ticket": { "type": "string" },
                    "called_window": { "type": "integer", "format": "int32" },
                    "cancel_reason": { "type": "string" },
                    "created_at": { "type": "string", "format": "date-time" },
                    "history": { "type": "array", "items": schema_ref("HistoryItem") }
                }},
                "StaffLoginRequest": { "type": "object", "required": ["username", "password"], "properties": {
                    "username": { "type": "string" }, "password": { "type": "string", "format": "password" }
                }},
                "StaffToken": { "type": "object", "required": ["token", "role"], "properties": {
                    "token": { "type": "string" },
                    "role": { "type": "string", "enum": ["operator", "center_admin", "administrator"] },
                    "center_id": { "type": "string" }, "window_id": { "type": "string" }
                }},
                "CheckinRequest": { "type": "object", "required": ["code"], "properties": {
                    "code": { "type": "string" }
                }},
                "CheckinResult": { "type": "object", "required": ["booking_id", "ticket"], "properties": {
                    "booking_id": { "type": "string" }, "ticket": { "type": "string" }
                }},
                "Imported": { "type": "object", "required": ["imported"], "properties": {
                    "imported": { "type": "integer", "format": "int32" }
                }}
            }
        }
    })
}
