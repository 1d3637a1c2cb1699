//! The bot's dialogue: one update in, one answer out, state in the
//! database. Callback data (at most 64 bytes):
//! `l:<lang>` language · `m:book|my|link|lang|menu` menu ·
//! `k:<kind>` center kind · `s:<service>` · `ci:<n>` city (index in the
//! sorted list) · `ce:<center id>` · `d:<YYYY-MM-DD>` · `t:<unix start>` ·
//! `ok` confirm · `r:<booking>` reschedule · `x:<booking>` ask to cancel ·
//! `xy:<booking>` cancel · `dq:<draw>:<YYYY-MM-DD>` a day under a draw ·
//! `dr:a|m|p` request it (any time, morning, afternoon) · `dw:<request>`
//! withdraw · `wj:<YYYY-MM-DD>` wait for a freed time up to that date ·
//! `wl:<entry>` leave the waiting list.
//!
//! Draws and the waiting list (R12, R13) in the bot, kept to what fits
//! buttons: a request names one choice (the chosen center and day, a part
//! of the day) where the web form takes up to five; waiting covers the
//! chosen center from today to the day before its first free day (or the
//! horizon), tied to the booking being rescheduled, if any.
use chrono::{DateTime, Datelike, Days, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use app::api::error::ErrorCode;
use app::domain::calendar::utc_to_local;
use app::domain::catalog::CenterKind;
use app::domain::ids::{BookingId, CenterId, CitizenId};
use app::domain::iin::Iin;
use app::domain::lifecycle::BookingStatus;
use app::domain::refusal::Refusal;
use app::i18n::{Lang, dates::weekday_name, refusal_message, status_label};
use app::server::Core;
use app::server::entity::citizens;
use app::server::error::ServiceError;
use app::server::service::auth::{request_otp::request_otp, session, verify_otp::verify_otp};
use app::server::service::booking::{
    availability::availability,
    cancel::{Canceller, cancel},
    create::{BookInput, book},
    query::{get_one, list_mine},
    reschedule::{RescheduleInput, reschedule},
    schedule::{load_center, load_policy},
};
use app::server::service::catalog::{list_centers, list_services};
use app::server::service::draws::{gate::open_draw_days, requests as draw_requests};
use app::server::service::telegram::chats;
use app::server::service::waitlist;

use app::i18n::bot::{T, labelled, tr};
use app::server::service::telegram::api::{BotApi, Button, Keyboard, TgError, Update};

/// What the bot waits for from a typed message.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step")]
pub enum Step {
    #[default]
    Idle,
    Iin,
    Phone {
        iin: String,
    },
    Code {
        challenge_id: String,
    },
    Plate,
}

/// The booking being put together.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub kind: Option<String>,
    pub service: Option<String>,
    pub center_id: Option<i64>,
    pub start: Option<i64>,
    pub vehicle: Option<String>,
    pub reschedule_of: Option<i64>,
    /// A draw request being made: the draw, the day, the part of the day
    /// (`a` any, `m` morning, `p` afternoon; empty until chosen).
    #[serde(default)]
    pub draw: Option<(i64, String, String)>,
    /// Joining the waiting list up to this day (`YYYY-MM-DD`).
    #[serde(default)]
    pub wait_to: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatState {
    #[serde(default)]
    pub step: Step,
    #[serde(default)]
    pub draft: Draft,
}

/// An answer: text and buttons. `edit` = replace the message the button was
/// on (callbacks), else a new message.
struct Reply {
    text: String,
    keyboard: Option<Keyboard>,
}

impl Reply {
    fn new(text: impl Into<String>, keyboard: Option<Keyboard>) -> Self {
        Self {
            text: text.into(),
            keyboard,
        }
    }
}

/// Errors the bot can hit: the API or a use case.
#[derive(Debug, thiserror::Error)]
pub enum BotError {
    #[error("telegram: {0}")]
    Api(#[from] TgError),
    #[error("service: {0}")]
    Service(#[from] ServiceError),
}

struct Chat {
    id: i64,
    lang: Lang,
    state: ChatState,
    citizen: Option<citizens::Model>,
}

/// Handles one update (skipped if this chat already handled it).
pub async fn handle_update(state: &Core, api: &BotApi, u: &Update) -> Result<(), BotError> {
    // A linked chat speaks for one citizen: never in a group, where every
    // member could list and cancel (review L12). Telegram always sends the
    // chat's type; a message without one is treated as private.
    let group = |c: &app::server::service::telegram::api::Chat| {
        c.kind.as_deref().is_some_and(|k| k != "private")
    };
    if let Some(m) = &u.message
        && group(&m.chat)
    {
        let l = m
            .from
            .as_ref()
            .and_then(|f| f.language_code.as_deref())
            .and_then(Lang::parse)
            .unwrap_or_default();
        api.send_message(m.chat.id, tr(l, T::PrivateOnly), None)
            .await?;
        return Ok(());
    }
    if u.callback_query
        .as_ref()
        .and_then(|q| q.message.as_ref())
        .is_some_and(|m| group(&m.chat))
    {
        return Ok(());
    }
    let (chat_id, hint) = match (&u.message, &u.callback_query) {
        (Some(m), _) => (
            m.chat.id,
            m.from.as_ref().and_then(|f| f.language_code.clone()),
        ),
        (None, Some(q)) => match &q.message {
            Some(m) => (m.chat.id, q.from.language_code.clone()),
            None => (q.from.id, q.from.language_code.clone()),
        },
        _ => return Ok(()),
    };
    let chats::StoredChat { row, citizen } = chats::load(&state.db, chat_id).await?;
    if row
        .as_ref()
        .is_some_and(|r| r.last_update_id >= u.update_id)
    {
        return Ok(());
    }
    let lang = row
        .as_ref()
        .and_then(|r| r.lang.as_deref())
        .and_then(Lang::parse)
        .or_else(|| hint.as_deref().and_then(Lang::parse))
        .unwrap_or_default();
    let st: ChatState = row
        .as_ref()
        .and_then(|r| serde_json::from_str(&r.state).ok())
        .unwrap_or_default();
    let mut chat = Chat {
        id: chat_id,
        lang,
        state: st,
        citizen,
    };
    let lang_chosen = row.as_ref().and_then(|r| r.lang.clone()).is_some();

    if let Some(m) = &u.message {
        let text = m.text.clone().unwrap_or_default();
        let reply = on_text(state, &mut chat, text.trim(), lang_chosen).await;
        save(state, &chat, u.update_id).await?;
        api.send_message(chat.id, &reply.text, reply.keyboard.as_ref())
            .await?;
    } else if let Some(q) = &u.callback_query {
        let _ = api.answer_callback_query(&q.id, None).await;
        let data = q.data.clone().unwrap_or_default();
        // A redelivered press (same callback id) replays, never books twice.
        let idem = format!("tg:{}:{}", chat.id, q.id);
        let reply = on_button(state, &mut chat, &data, &idem).await;
        save(state, &chat, u.update_id).await?;
        match &q.message {
            Some(m) => {
                api.edit_message_text(chat.id, m.message_id, &reply.text, reply.keyboard.as_ref())
                    .await?
            }
            None => {
                api.send_message(chat.id, &reply.text, reply.keyboard.as_ref())
                    .await?;
            }
        }
    }
    Ok(())
}

async fn save(state: &Core, chat: &Chat, update_id: i64) -> Result<(), BotError> {
    let json = serde_json::to_string(&chat.state).unwrap_or_else(|_| "{}".into());
    chats::save(state, chat.id, chat.lang, json, update_id).await?;
    Ok(())
}

fn btn(text: impl Into<String>, data: impl Into<String>) -> Button {
    Button::new(text, data)
}

fn kb(rows: Vec<Vec<Button>>) -> Option<Keyboard> {
    Some(Keyboard {
        inline_keyboard: rows,
    })
}

fn lang_keyboard() -> Option<Keyboard> {
    kb(vec![vec![
        btn("Қазақша", "l:kk"),
        btn("Русский", "l:ru"),
        btn("English", "l:en"),
    ]])
}

fn menu(chat: &Chat, text: impl Into<String>) -> Reply {
    let l = chat.lang;
    let rows = if chat.citizen.is_some() {
        vec![
            vec![
                btn(tr(l, T::BtnBook), "m:book"),
                btn(tr(l, T::BtnMy), "m:my"),
            ],
            vec![
                btn(tr(l, T::BtnLang), "m:lang"),
                btn(tr(l, T::BtnSignOut), "m:signout"),
            ],
        ]
    } else {
        vec![
            vec![btn(tr(l, T::BtnLink), "m:link")],
            vec![btn(tr(l, T::BtnLang), "m:lang")],
        ]
    };
    let mut text = text.into();
    if text.is_empty() {
        text = tr(l, T::Menu).to_owned();
    }
    Reply::new(text, kb(rows))
}

fn menu_row(l: Lang) -> Vec<Button> {
    vec![btn(tr(l, T::BtnMenu), "m:menu")]
}

/// A use case's error as the citizen reads it.
fn error_text(e: &ServiceError, l: Lang) -> String {
    match e {
        ServiceError::Refused(r) => refusal_message(r, l),
        ServiceError::Invalid(ErrorCode::InvalidPhone) => tr(l, T::InvalidPhone).into(),
        ServiceError::Invalid(ErrorCode::PhoneNotRegistered) => tr(l, T::PhoneNotRegistered).into(),
        ServiceError::Invalid(ErrorCode::InvalidCode) => tr(l, T::InvalidCode).into(),
        ServiceError::Invalid(ErrorCode::CodeExpired) => tr(l, T::CodeExpired).into(),
        ServiceError::RateLimited(_) => tr(l, T::RateLimited).into(),
        ServiceError::NotFound => tr(l, T::NotFound).into(),
        other => {
            tracing::error!(error = %other, "telegram bot: use case failed");
            tr(l, T::TryLater).into()
        }
    }
}

async fn on_text(state: &Core, chat: &mut Chat, text: &str, lang_chosen: bool) -> Reply {
    let l = chat.lang;
    match text {
        "/start" => {
            chat.state = ChatState::default();
            return Reply::new(tr(l, T::ChooseLang), lang_keyboard());
        }
        "/menu" => {
            chat.state = ChatState::default();
            return menu(chat, "");
        }
        "/book" => return start_booking(chat),
        "/my" => {
            chat.state.step = Step::Idle;
            return my_bookings(state, chat).await;
        }
        _ => {}
    }
    if !lang_chosen {
        return Reply::new(tr(l, T::ChooseLang), lang_keyboard());
    }
    match chat.state.step.clone() {
        Step::Idle => menu(chat, ""),
        Step::Iin => match Iin::parse(text) {
            Ok(iin) => {
                chat.state.step = Step::Phone {
                    iin: iin.as_str().to_owned(),
                };
                Reply::new(tr(l, T::AskPhone), kb(vec![menu_row(l)]))
            }
            Err(e) => Reply::new(
                format!(
                    "{}\n{}",
                    refusal_message(&Refusal::from(e), l),
                    tr(l, T::AskIin)
                ),
                kb(vec![menu_row(l)]),
            ),
        },
        Step::Phone { iin } => match request_otp(state, &iin, text, l).await {
            Ok(sent) => {
                chat.state.step = Step::Code {
                    challenge_id: sent.challenge_id,
                };
                Reply::new(tr(l, T::AskCode), kb(vec![menu_row(l)]))
            }
            Err(e) => Reply::new(error_text(&e, l), kb(vec![menu_row(l)])),
        },
        Step::Code { challenge_id } => match verify_otp(
            state,
            &challenge_id,
            text,
            &session::SessionMeta::new(Some("Telegram"), None),
        )
        .await
        {
            Ok(signed) => match chats::link(state, chat.id, signed.citizen_id, l).await {
                Ok(c) => {
                    let _ = session::end_session(&state.db, &signed.token).await;
                    chat.citizen = Some(c);
                    chat.state = ChatState::default();
                    menu(chat, format!("{}\n\n{}", tr(l, T::Linked), tr(l, T::Menu)))
                }
                Err(e) => Reply::new(error_text(&e, l), kb(vec![menu_row(l)])),
            },
            Err(e) => {
                if matches!(e, ServiceError::Invalid(ErrorCode::CodeExpired)) {
                    chat.state.step = Step::Iin;
                }
                Reply::new(error_text(&e, l), kb(vec![menu_row(l)]))
            }
        },
        Step::Plate => {
            chat.state.draft.vehicle = Some(text.to_owned());
            chat.state.step = Step::Idle;
            if chat.state.draft.draw.is_some() {
                submit_draw(state, chat).await
            } else if chat.state.draft.wait_to.is_some() {
                join_wait(state, chat).await
            } else {
                confirm_screen(state, chat).await
            }
        }
    }
}

fn start_booking(chat: &mut Chat) -> Reply {
    let l = chat.lang;
    chat.state = ChatState::default();
    if chat.citizen.is_none() {
        return menu(chat, tr(l, T::NeedLink));
    }
    Reply::new(
        tr(l, T::PickKind),
        kb(vec![
            vec![btn(tr(l, T::KindPsc), "k:Psc")],
            vec![btn(tr(l, T::KindAuto), "k:AutoPsc")],
            menu_row(l),
        ]),
    )
}

async fn on_button(state: &Core, chat: &mut Chat, data: &str, idem: &str) -> Reply {
    let l = chat.lang;
    let (head, arg) = data.split_once(':').unwrap_or((data, ""));
    match head {
        "l" => {
            chat.lang = Lang::parse(arg).unwrap_or(l);
            if let Some(c) = &chat.citizen {
                let _ = chats::set_citizen_lang(&state.db, c.id, chat.lang).await;
                chat.state = ChatState::default();
                menu(chat, "")
            } else {
                chat.state = ChatState {
                    step: Step::Iin,
                    draft: Draft::default(),
                };
                Reply::new(
                    format!(
                        "{}\n{}",
                        tr(chat.lang, T::NeedLink),
                        tr(chat.lang, T::AskIin)
                    ),
                    kb(vec![menu_row(chat.lang)]),
                )
            }
        }
        "m" => match arg {
            "book" => start_booking(chat),
            "my" => {
                chat.state = ChatState::default();
                my_bookings(state, chat).await
            }
            "link" => {
                chat.state = ChatState {
                    step: Step::Iin,
                    draft: Draft::default(),
                };
                Reply::new(tr(l, T::AskIin), kb(vec![menu_row(l)]))
            }
            "lang" => Reply::new(tr(l, T::ChooseLang), lang_keyboard()),
            "signout" => {
                chat.state = ChatState::default();
                match chats::unlink(state, chat.id).await {
                    Ok(()) => {
                        chat.citizen = None;
                        menu(chat, tr(l, T::SignedOut))
                    }
                    Err(e) => menu(chat, error_text(&e, l)),
                }
            }
            _ => {
                chat.state = ChatState::default();
                menu(chat, "")
            }
        },
        _ if chat.citizen.is_none() => {
            chat.state = ChatState::default();
            menu(chat, tr(l, T::NeedLink))
        }
        "k" => {
            let Ok(kind) = arg.parse::<CenterKind>() else {
                return menu(chat, "");
            };
            chat.state.draft = Draft {
                kind: Some(kind.as_str().to_owned()),
                ..Draft::default()
            };
            services_screen(state, chat, kind, None).await
        }
        "s" => {
            let Some(kind) = draft_kind(chat) else {
                return start_booking(chat);
            };
            let row = chats::service(&state.db, arg).await;
            match row {
                Ok(Some(s)) if s.online_available => {
                    let note = refusal_message(&Refusal::ServiceOnline, l);
                    services_screen(state, chat, kind, Some(note)).await
                }
                Ok(Some(s)) if s.active => {
                    chat.state.draft.service = Some(s.code);
                    cities_screen(state, chat, kind).await
                }
                Ok(_) => services_screen(state, chat, kind, None).await,
                Err(e) => Reply::new(error_text(&e, l), kb(vec![menu_row(l)])),
            }
        }
        "ci" => {
            let Some(kind) = draft_kind(chat) else {
                return start_booking(chat);
            };
            let cities = match cities_of(state, kind, l).await {
                Ok(c) => c,
                Err(e) => return Reply::new(error_text(&e, l), kb(vec![menu_row(l)])),
            };
            let Some(city) = arg.parse::<usize>().ok().and_then(|i| cities.get(i)) else {
                return cities_screen(state, chat, kind).await;
            };
            match list_centers(&state.db, Some(kind), Some(city), l).await {
                Ok(centers) => {
                    let mut rows: Vec<Vec<Button>> = centers
                        .into_iter()
                        .map(|c| vec![btn(c.name, format!("ce:{}", c.id))])
                        .collect();
                    rows.push(menu_row(l));
                    Reply::new(tr(l, T::PickCenter), kb(rows))
                }
                Err(e) => Reply::new(error_text(&e, l), kb(vec![menu_row(l)])),
            }
        }
        "ce" => {
            let Ok(id) = arg.parse::<i64>() else {
                return menu(chat, "");
            };
            chat.state.draft.center_id = Some(id);
            chat.state.draft.draw = None;
            chat.state.draft.wait_to = None;
            days_screen(state, chat).await
        }
        "d" => {
            let Ok(date) = NaiveDate::parse_from_str(arg, "%Y-%m-%d") else {
                return days_screen(state, chat).await;
            };
            times_screen(state, chat, date).await
        }
        "t" => {
            let Ok(start) = arg.parse::<i64>() else {
                return days_screen(state, chat).await;
            };
            chat.state.draft.start = Some(start);
            chat.state.draft.draw = None;
            chat.state.draft.wait_to = None;
            if needs_vehicle(state, chat).await {
                chat.state.step = Step::Plate;
                return Reply::new(tr(l, T::AskPlate), kb(vec![menu_row(l)]));
            }
            confirm_screen(state, chat).await
        }
        "dq" => {
            let parsed = arg.split_once(':').and_then(|(id, d)| {
                Some((
                    id.parse::<i64>().ok()?,
                    NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()?,
                ))
            });
            let Some((draw_id, date)) = parsed else {
                return days_screen(state, chat).await;
            };
            draw_screen(state, chat, draw_id, date).await
        }
        "dr" => {
            let Some((id, date, _)) = chat.state.draft.draw.clone() else {
                return days_screen(state, chat).await;
            };
            let part = if matches!(arg, "m" | "p") { arg } else { "a" };
            chat.state.draft.draw = Some((id, date, part.to_owned()));
            if needs_vehicle(state, chat).await {
                chat.state.step = Step::Plate;
                return Reply::new(tr(l, T::AskPlate), kb(vec![menu_row(l)]));
            }
            submit_draw(state, chat).await
        }
        "wj" => {
            if NaiveDate::parse_from_str(arg, "%Y-%m-%d").is_err() {
                return days_screen(state, chat).await;
            }
            chat.state.draft.wait_to = Some(arg.to_owned());
            chat.state.draft.draw = None;
            if needs_vehicle(state, chat).await {
                chat.state.step = Step::Plate;
                return Reply::new(tr(l, T::AskPlate), kb(vec![menu_row(l)]));
            }
            join_wait(state, chat).await
        }
        "dw" | "wl" => {
            let (Ok(id), Some(cid)) = (arg.parse::<i64>(), chat.citizen.as_ref().map(|c| c.id))
            else {
                return menu(chat, "");
            };
            let done = if head == "dw" {
                draw_requests::withdraw(state, CitizenId::new(cid), id, l)
                    .await
                    .map(|_| T::Withdrawn)
            } else {
                waitlist::leave(state, CitizenId::new(cid), id, l)
                    .await
                    .map(|_| T::LeftList)
            };
            chat.state = ChatState::default();
            match done {
                Ok(t) => menu(chat, tr(l, t)),
                Err(e) => menu(chat, error_text(&e, l)),
            }
        }
        "ok" => commit(state, chat, idem).await,
        "r" => {
            let Ok(id) = arg.parse::<i64>() else {
                return menu(chat, "");
            };
            let cid = chat.citizen.as_ref().map(|c| CitizenId::new(c.id));
            match get_one(&state.db, BookingId::new(id), cid, l).await {
                Ok(b) => {
                    chat.state.draft = Draft {
                        kind: Some(b.center_kind.clone()),
                        service: Some(b.service.clone()),
                        center_id: b.center_id.parse().ok(),
                        start: None,
                        vehicle: None,
                        reschedule_of: Some(id),
                        ..Draft::default()
                    };
                    days_screen(state, chat).await
                }
                Err(e) => Reply::new(error_text(&e, l), kb(vec![menu_row(l)])),
            }
        }
        "x" => {
            let Ok(id) = arg.parse::<i64>() else {
                return menu(chat, "");
            };
            let cid = chat.citizen.as_ref().map(|c| CitizenId::new(c.id));
            match get_one(&state.db, BookingId::new(id), cid, l).await {
                Ok(b) => Reply::new(
                    format!(
                        "{}\n{}",
                        tr(l, T::AskCancel),
                        labelled(
                            l,
                            &[
                                (T::LNumber, &b.code),
                                (T::LService, &b.service_name),
                                (T::LCenter, &b.center_name),
                                (T::LTime, &local_time(&b.start)),
                            ]
                        )
                    ),
                    kb(vec![
                        vec![btn(tr(l, T::BtnCancelBooking), format!("xy:{id}"))],
                        vec![btn(tr(l, T::BtnBack), "m:my")],
                    ]),
                ),
                Err(e) => Reply::new(error_text(&e, l), kb(vec![menu_row(l)])),
            }
        }
        "xy" => {
            let (Ok(id), Some(cid)) = (arg.parse::<i64>(), chat.citizen.as_ref().map(|c| c.id))
            else {
                return menu(chat, "");
            };
            match cancel(
                state,
                BookingId::new(id),
                Canceller::Citizen(CitizenId::new(cid)),
                l,
            )
            .await
            {
                Ok(b) => menu(
                    chat,
                    format!(
                        "{}\n{}",
                        tr(l, T::Cancelled),
                        labelled(
                            l,
                            &[(T::LNumber, &b.code), (T::LTime, &local_time(&b.start))]
                        )
                    ),
                ),
                Err(e) => menu(chat, error_text(&e, l)),
            }
        }
        _ => menu(chat, ""),
    }
}

/// Does the draft's service need a vehicle that is not named yet? (A
/// reschedule keeps the booking's vehicle.)
async fn needs_vehicle(state: &Core, chat: &Chat) -> bool {
    let d = &chat.state.draft;
    match &d.service {
        Some(code) if d.reschedule_of.is_none() && d.vehicle.is_none() => {
            chats::service(&state.db, code)
                .await
                .ok()
                .flatten()
                .is_some_and(|s| s.requires_vehicle)
        }
        _ => false,
    }
}

/// A day under an open draw: when requests close, and a part of the day
/// to ask for.
async fn draw_screen(state: &Core, chat: &mut Chat, draw_id: i64, date: NaiveDate) -> Reply {
    let l = chat.lang;
    let Some(center_id) = chat.state.draft.center_id else {
        return menu(chat, "");
    };
    let found = async {
        let ctx = load_center(&state.db, center_id).await?;
        let open = open_draw_days(&state.db, center_id, date, date).await?;
        Ok::<_, ServiceError>(open.into_iter().find(|(_, id, _)| *id == draw_id).map(
            |(_, _, closes)| {
                DateTime::from_timestamp(closes, 0)
                    .map(|t| {
                        t.with_timezone(&ctx.tz)
                            .format("%d.%m.%Y %H:%M")
                            .to_string()
                    })
                    .unwrap_or_default()
            },
        ))
    }
    .await;
    let closes = match found {
        Ok(Some(c)) => c,
        Ok(None) => return days_screen(state, chat).await,
        Err(e) => return Reply::new(error_text(&e, l), kb(vec![menu_row(l)])),
    };
    chat.state.draft.draw = Some((draw_id, date.format("%Y-%m-%d").to_string(), String::new()));
    chat.state.draft.wait_to = None;
    Reply::new(
        format!(
            "{}\n{}\n{}",
            app::i18n::dates::format_date(date),
            labelled(l, &[(T::LCloses, &closes)]),
            tr(l, T::DrawDay)
        ),
        kb(vec![
            vec![btn(tr(l, T::PartAny), "dr:a")],
            vec![
                btn(tr(l, T::PartMorning), "dr:m"),
                btn(tr(l, T::PartAfternoon), "dr:p"),
            ],
            vec![btn(tr(l, T::BtnBack), format!("ce:{center_id}"))],
        ]),
    )
}

/// Sends the draft's draw request: one choice, the chosen center and day.
async fn submit_draw(state: &Core, chat: &mut Chat) -> Reply {
    let l = chat.lang;
    let d = chat.state.draft.clone();
    chat.state = ChatState::default();
    let (Some(c), Some(center_id), Some(service), Some((draw_id, date, part))) =
        (chat.citizen.clone(), d.center_id, d.service, d.draw)
    else {
        return menu(chat, "");
    };
    let iin = match Iin::parse(&c.iin) {
        Ok(i) => i,
        Err(e) => return menu(chat, refusal_message(&Refusal::from(e), l)),
    };
    let (time_from, time_to) = match part.as_str() {
        "m" => (None, Some("11:59".to_owned())),
        "p" => (Some("12:00".to_owned()), None),
        _ => (None, None),
    };
    let sent = draw_requests::submit(
        state,
        draw_requests::RequestInput {
            citizen_id: CitizenId::new(c.id),
            iin,
            draw_id,
            service,
            choices: vec![draw_requests::ChoiceInput {
                center_id: Some(center_id),
                date,
                time_from,
                time_to,
            }],
            vehicle: d.vehicle,
        },
        l,
    )
    .await;
    match sent {
        Ok(r) => menu(
            chat,
            format!(
                "{}\n{}",
                tr(l, T::DrawRequested),
                labelled(
                    l,
                    &[
                        (T::LPublicId, &r.public_id),
                        (T::LService, &r.service_name),
                        (T::LCloses, &local_time(&r.closes_at)),
                    ]
                )
            ),
        ),
        Err(e) => menu(chat, error_text(&e, l)),
    }
}

/// Joins the waiting list for the draft's service at its center, from
/// today to the draft's day (tied to the booking being rescheduled, if
/// any).
async fn join_wait(state: &Core, chat: &mut Chat) -> Reply {
    let l = chat.lang;
    let d = chat.state.draft.clone();
    chat.state = ChatState::default();
    let (Some(c), Some(center_id), Some(service), Some(to)) =
        (chat.citizen.clone(), d.center_id, d.service, d.wait_to)
    else {
        return menu(chat, "");
    };
    let iin = match Iin::parse(&c.iin) {
        Ok(i) => i,
        Err(e) => return menu(chat, refusal_message(&Refusal::from(e), l)),
    };
    let today = match load_center(&state.db, center_id).await {
        Ok(ctx) => utc_to_local(ctx.tz, state.now()).date(),
        Err(e) => return menu(chat, error_text(&e, l)),
    };
    let joined = waitlist::join(
        state,
        waitlist::JoinInput {
            citizen_id: CitizenId::new(c.id),
            iin,
            service,
            center_id: Some(CenterId::new(center_id)),
            city: None,
            from: today.format("%Y-%m-%d").to_string(),
            to,
            time_from: None,
            time_to: None,
            booking_id: d.reschedule_of,
            vehicle: d.vehicle,
        },
        l,
    )
    .await;
    match joined {
        Ok(e) => {
            let dates = format!("{} — {}", e.from, e.to);
            menu(
                chat,
                format!(
                    "{}\n{}",
                    tr(l, T::WaitJoined),
                    labelled(
                        l,
                        &[
                            (T::LService, &e.service_name),
                            (T::LCenter, e.center_name.as_deref().unwrap_or("")),
                            (T::LDates, &dates),
                        ]
                    )
                ),
            )
        }
        Err(e) => menu(chat, error_text(&e, l)),
    }
}

fn draft_kind(chat: &Chat) -> Option<CenterKind> {
    chat.state
        .draft
        .kind
        .as_deref()
        .and_then(|k| k.parse().ok())
}

async fn services_screen(
    state: &Core,
    chat: &Chat,
    kind: CenterKind,
    note: Option<String>,
) -> Reply {
    let l = chat.lang;
    match list_services(&state.db, Some(kind), l).await {
        Ok(list) => {
            let mut rows: Vec<Vec<Button>> = list
                .into_iter()
                .map(|s| {
                    let label = if s.online_available {
                        format!("{} ({})", s.name, tr(l, T::Online))
                    } else {
                        s.name
                    };
                    vec![btn(label, format!("s:{}", s.code))]
                })
                .collect();
            rows.push(vec![
                btn(tr(l, T::BtnBack), "m:book"),
                btn(tr(l, T::BtnMenu), "m:menu"),
            ]);
            let text = match note {
                Some(n) => format!("{n}\n\n{}", tr(l, T::PickService)),
                None => tr(l, T::PickService).to_owned(),
            };
            Reply::new(text, kb(rows))
        }
        Err(e) => Reply::new(error_text(&e, l), kb(vec![menu_row(l)])),
    }
}

/// Cities with active centers of `kind`, sorted.
async fn cities_of(state: &Core, kind: CenterKind, l: Lang) -> Result<Vec<String>, ServiceError> {
    let mut cities: Vec<String> = list_centers(&state.db, Some(kind), None, l)
        .await?
        .into_iter()
        .map(|c| c.city)
        .collect();
    cities.sort();
    cities.dedup();
    Ok(cities)
}

async fn cities_screen(state: &Core, chat: &Chat, kind: CenterKind) -> Reply {
    let l = chat.lang;
    match cities_of(state, kind, l).await {
        Ok(cities) => {
            let mut rows: Vec<Vec<Button>> = cities
                .chunks(2)
                .enumerate()
                .map(|(r, pair)| {
                    pair.iter()
                        .enumerate()
                        .map(|(i, c)| btn(c.clone(), format!("ci:{}", r * 2 + i)))
                        .collect()
                })
                .collect();
            rows.push(menu_row(l));
            Reply::new(tr(l, T::PickCity), kb(rows))
        }
        Err(e) => Reply::new(error_text(&e, l), kb(vec![menu_row(l)])),
    }
}

/// Days with at least one free start, from today to the horizon.
async fn days_screen(state: &Core, chat: &Chat) -> Reply {
    let l = chat.lang;
    let (Some(center_id), Some(service)) =
        (chat.state.draft.center_id, chat.state.draft.service.clone())
    else {
        return menu(chat, "");
    };
    let result = async {
        let ctx = load_center(&state.db, center_id).await?;
        let policy = load_policy(&state.db).await?;
        let today = utc_to_local(ctx.tz, state.now()).date();
        let last = today
            .checked_add_days(Days::new(u64::from(policy.horizon_days)))
            .unwrap_or(today);
        let slots = availability(state, CenterId::new(center_id), &service, today, last).await?;
        let draws = open_draw_days(&state.db, center_id, today, last).await?;
        let mut days: Vec<NaiveDate> = slots
            .iter()
            .filter_map(|s| DateTime::parse_from_rfc3339(&s.start).ok())
            .map(|t| t.date_naive())
            .collect();
        days.dedup();
        // Nothing free before the first free day: the waiting list up to
        // the day before it (R13), if those days offer any time at all.
        let wait_to = match days.first() {
            Some(first) if *first > today => first.pred_opt(),
            Some(_) => None,
            None => Some(last),
        };
        let wait_to = match wait_to {
            Some(to) if waitlist::servable(state, &service, center_id, today, to).await? => {
                Some(to)
            }
            _ => None,
        };
        Ok::<_, ServiceError>((days, draws, wait_to))
    }
    .await;
    match result {
        Ok((days, draws, wait_to)) => {
            let label = |d: &NaiveDate| {
                format!(
                    "{:02}.{:02} {}",
                    d.day(),
                    d.month(),
                    weekday_name(d.weekday(), l)
                )
            };
            // Days under an open draw: a request, not a booking (R12).
            let draw_rows: Vec<Vec<Button>> = draws
                .iter()
                .map(|(d, id, _)| {
                    vec![btn(
                        format!("◆ {} · {}", label(d), tr(l, T::LDraw)),
                        format!("dq:{id}:{}", d.format("%Y-%m-%d")),
                    )]
                })
                .collect();
            let wait_row = wait_to.map(|to| {
                vec![btn(
                    tr(l, T::BtnWait),
                    format!("wj:{}", to.format("%Y-%m-%d")),
                )]
            });
            if days.is_empty() {
                let mut rows = draw_rows;
                rows.extend(wait_row);
                rows.push(menu_row(l));
                return Reply::new(tr(l, T::NoDays), kb(rows));
            }
            let mut rows: Vec<Vec<Button>> = days
                .chunks(2)
                .map(|pair| {
                    pair.iter()
                        .map(|d| btn(label(d), format!("d:{}", d.format("%Y-%m-%d"))))
                        .collect()
                })
                .collect();
            rows.extend(draw_rows);
            rows.extend(wait_row);
            rows.push(menu_row(l));
            Reply::new(tr(l, T::PickDate), kb(rows))
        }
        Err(e) => Reply::new(error_text(&e, l), kb(vec![menu_row(l)])),
    }
}

async fn times_screen(state: &Core, chat: &Chat, date: NaiveDate) -> Reply {
    let l = chat.lang;
    let (Some(center_id), Some(service)) =
        (chat.state.draft.center_id, chat.state.draft.service.clone())
    else {
        return menu(chat, "");
    };
    match availability(state, CenterId::new(center_id), &service, date, date).await {
        Ok(slots) => {
            let starts: Vec<DateTime<FixedOffset>> = slots
                .iter()
                .filter_map(|s| DateTime::parse_from_rfc3339(&s.start).ok())
                .collect();
            if starts.is_empty() {
                return Reply::new(
                    tr(l, T::NoSlots),
                    kb(vec![vec![btn(
                        tr(l, T::BtnBack),
                        format!("ce:{center_id}"),
                    )]]),
                );
            }
            let mut rows: Vec<Vec<Button>> = starts
                .chunks(4)
                .map(|row| {
                    row.iter()
                        .map(|t| {
                            btn(
                                t.format("%H:%M").to_string(),
                                format!("t:{}", t.timestamp()),
                            )
                        })
                        .collect()
                })
                .collect();
            rows.push(vec![btn(tr(l, T::BtnBack), format!("ce:{center_id}"))]);
            Reply::new(
                format!(
                    "{}\n{}",
                    app::i18n::dates::format_date(date),
                    tr(l, T::PickTime)
                ),
                kb(rows),
            )
        }
        Err(e) => Reply::new(error_text(&e, l), kb(vec![menu_row(l)])),
    }
}

/// `dd.mm.yyyy HH:MM` of an RFC 3339 time, in its own offset (the
/// center's zone).
fn local_time(rfc: &str) -> String {
    DateTime::parse_from_rfc3339(rfc)
        .map(|t| t.format("%d.%m.%Y %H:%M").to_string())
        .unwrap_or_else(|_| rfc.to_owned())
}

async fn confirm_screen(state: &Core, chat: &Chat) -> Reply {
    let l = chat.lang;
    let d = &chat.state.draft;
    let (Some(center_id), Some(service), Some(start)) = (d.center_id, d.service.clone(), d.start)
    else {
        return menu(chat, "");
    };
    let result = async {
        let ctx = load_center(&state.db, center_id).await?;
        let svc = chats::service(&state.db, &service)
            .await?
            .ok_or(ServiceError::NotFound)?;
        Ok::<_, ServiceError>((ctx, svc))
    }
    .await;
    let (ctx, svc) = match result {
        Ok(v) => v,
        Err(e) => return Reply::new(error_text(&e, l), kb(vec![menu_row(l)])),
    };
    let (name, address) = app::server::service::booking::create::names(&ctx, l);
    let svc_name = l.choose(&svc.name_kk, &svc.name_ru, &svc.name_en);
    let when = DateTime::from_timestamp(start, 0)
        .map(|t| {
            t.with_timezone(&ctx.tz)
                .format("%d.%m.%Y %H:%M")
                .to_string()
        })
        .unwrap_or_default();
    let mut rows = vec![
        (T::LService, svc_name.as_str()),
        (T::LCenter, name),
        (T::LAddress, address),
        (T::LTime, when.as_str()),
    ];
    if let Some(v) = &d.vehicle {
        rows.push((T::LVehicle, v.as_str()));
    }
    let (title, button) = if d.reschedule_of.is_some() {
        (T::CheckReschedule, T::BtnRebook)
    } else {
        (T::CheckBooking, T::BtnConfirm)
    };
    Reply::new(
        format!("{}\n{}", tr(l, title), labelled(l, &rows)),
        kb(vec![vec![btn(tr(l, button), "ok")], menu_row(l)]),
    )
}

async fn commit(state: &Core, chat: &mut Chat, idem: &str) -> Reply {
    let l = chat.lang;
    let d = chat.state.draft.clone();
    let (Some(c), Some(center_id), Some(service), Some(start)) = (
        chat.citizen.clone(),
        d.center_id,
        d.service.clone(),
        d.start,
    ) else {
        return menu(chat, "");
    };
    let Some(start_rfc) = DateTime::from_timestamp(start, 0).map(|t| t.to_rfc3339()) else {
        return menu(chat, "");
    };
    let result = match d.reschedule_of {
        Some(id) => reschedule(
            state,
            RescheduleInput {
                citizen_id: CitizenId::new(c.id),
                booking_id: BookingId::new(id),
                start: start_rfc,
                center_id: Some(CenterId::new(center_id)),
            },
            l,
        )
        .await
        .map(|b| (T::Rescheduled, b)),
        None => {
            let iin = match Iin::parse(&c.iin) {
                Ok(i) => i,
                Err(e) => return menu(chat, refusal_message(&Refusal::from(e), l)),
            };
            book(
                state,
                BookInput {
                    citizen_id: CitizenId::new(c.id),
                    iin,
                    center_id: CenterId::new(center_id),
                    service,
                    start: start_rfc,
                    vehicle: d.vehicle.clone(),
                    idempotency_key: Some(idem.to_owned()),
                },
                l,
            )
            .await
            .map(|b| (T::Confirmed, b.booking))
        }
    };
    chat.state = ChatState::default();
    match result {
        Ok((title, b)) => {
            let mut text = format!(
                "{}\n{}",
                tr(l, title),
                labelled(
                    l,
                    &[
                        (T::LNumber, &b.code),
                        (T::LService, &b.service_name),
                        (T::LCenter, &b.center_name),
                        (T::LAddress, &b.center_address),
                        (T::LTime, &local_time(&b.start)),
                    ]
                )
            );
            if title == T::Confirmed {
                text.push('\n');
                text.push_str(tr(l, T::HintArrive));
            }
            menu(chat, text)
        }
        Err(e) => menu(chat, error_text(&e, l)),
    }
}

fn parse_status(s: &str) -> Option<BookingStatus> {
    use BookingStatus as S;
    [
        S::Booked,
        S::CheckedIn,
        S::Called,
        S::InService,
        S::Served,
        S::Cancelled,
        S::NoShow,
    ]
    .into_iter()
    .find(|x| x.as_str() == s)
}

async fn my_bookings(state: &Core, chat: &Chat) -> Reply {
    let l = chat.lang;
    let Some(c) = &chat.citizen else {
        return menu(chat, tr(l, T::NeedLink));
    };
    let all = async {
        Ok::<_, ServiceError>((
            list_mine(&state.db, CitizenId::new(c.id), l).await?,
            draw_requests::list_mine(state, CitizenId::new(c.id), l).await?,
            waitlist::list_mine(state, CitizenId::new(c.id), l).await?,
        ))
    }
    .await;
    let (list, requests, waiting) = match all {
        Ok(v) => v,
        Err(e) => return menu(chat, error_text(&e, l)),
    };
    let requests: Vec<_> = requests.into_iter().take(5).collect();
    let waiting: Vec<_> = waiting
        .into_iter()
        .filter(|w| w.status == "waiting")
        .take(5)
        .collect();
    if list.is_empty() && requests.is_empty() && waiting.is_empty() {
        return menu(chat, tr(l, T::NoBookings));
    }
    let mut text = format!("{}:", tr(l, T::MyBookings));
    let mut rows = Vec::new();
    for b in list.iter().take(10) {
        let status = parse_status(&b.status)
            .map(|s| status_label(s, l).to_owned())
            .unwrap_or_else(|| b.status.clone());
        text.push_str(&format!(
            "\n\n{}",
            labelled(
                l,
                &[
                    (T::LNumber, &b.code),
                    (T::LService, &b.service_name),
                    (T::LCenter, &b.center_name),
                    (T::LTime, &local_time(&b.start)),
                    (T::LStatus, &status),
                ]
            )
        ));
        if b.status == BookingStatus::Booked.as_str() {
            rows.push(vec![
                btn(
                    format!("{} {}", tr(l, T::BtnRebook), b.code),
                    format!("r:{}", b.id),
                ),
                btn(
                    format!("{} {}", tr(l, T::BtnCancelBooking), b.code),
                    format!("x:{}", b.id),
                ),
            ]);
        }
    }
    if !requests.is_empty() {
        text.push_str(&format!("\n\n{}:", tr(l, T::MyRequests)));
    }
    for r in &requests {
        let status = app::ui::pages::draw::request_status(&r.status).get(l);
        let choice = r
            .choices
            .first()
            .map(|c| format!("{}, {}", c.center_name, c.date))
            .unwrap_or_default();
        text.push_str(&format!(
            "\n\n{}",
            labelled(
                l,
                &[
                    (T::LPublicId, &r.public_id),
                    (T::LService, &r.service_name),
                    (T::LCenter, &choice),
                    (T::LCloses, &local_time(&r.closes_at)),
                    (T::LStatus, status),
                ]
            )
        ));
        if r.status == "pending" {
            rows.push(vec![btn(
                format!("{} {}", tr(l, T::BtnWithdraw), short(&r.public_id)),
                format!("dw:{}", r.id),
            )]);
        }
    }
    if !waiting.is_empty() {
        text.push_str(&format!("\n\n{}:", tr(l, T::MyWaiting)));
    }
    for w in &waiting {
        let place = w
            .center_name
            .clone()
            .or_else(|| w.city.clone())
            .unwrap_or_default();
        let dates = format!("{} — {}", w.from, w.to);
        let ahead = w.ahead.map(|n| n.to_string()).unwrap_or_default();
        text.push_str(&format!(
            "\n\n{}",
            labelled(
                l,
                &[
                    (T::LService, &w.service_name),
                    (T::LCenter, &place),
                    (T::LDates, &dates),
                    (T::LAhead, &ahead),
                ]
            )
        ));
        rows.push(vec![btn(
            format!("{} · {}", tr(l, T::BtnLeave), w.service_name),
            format!("wl:{}", w.id),
        )]);
    }
    rows.push(menu_row(l));
    Reply::new(text, kb(rows))
}

/// The first characters of a public id, enough to tell requests apart on
/// a button.
fn short(public_id: &str) -> &str {
    public_id.get(..8).unwrap_or(public_id)
}
