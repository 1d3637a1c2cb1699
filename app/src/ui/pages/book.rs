//! The booking flow, one step per screen, driven by the URL query so every
//! step is a plain link (works without WebAssembly, back button included):
//! `kind` → `service` → `center` (with `city` filter) → `date` → `start` →
//! confirm. With `reschedule=<id>` the same flow moves an existing booking.
//!
//! Rule feedback before submitting: online services are shown but not
//! bookable (R7); the confirm step warns when the citizen already holds an
//! active booking of the same kind and group (R3) and checks a vehicle
//! number as it is typed (R6 format). The server re-checks everything and
//! its refusal is shown in the same words.
use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::bookings::{BookVisit, RescheduleVisit, my_bookings, upcoming_slots};
use crate::api::catalog::{centers, services};
use crate::api::types::{CenterView, ServiceView};
use crate::domain::vehicle::VehicleRef;
use crate::i18n::Lang;
use crate::i18n::ui::T;
use crate::ui::components::when::{day_title, hhmm, local, long, parse_ymd, time_field, ymd};
use crate::ui::lang::{t, use_lang};
use crate::ui::resource::{Res, resource};

/// The flow's state, read from the URL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Step {
    kind: Option<String>,
    service: Option<String>,
    city: Option<String>,
    center: Option<String>,
    date: Option<String>,
    start: Option<String>,
    reschedule: Option<String>,
}

fn enc(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '-' | '_' | '.' => c.to_string(),
            c => {
                let mut b = [0u8; 4];
                c.encode_utf8(&mut b)
                    .bytes()
                    .map(|x| format!("%{x:02X}"))
                    .collect()
            }
        })
        .collect()
}

impl Step {
    fn href(&self) -> String {
        let mut q = Vec::new();
        for (k, v) in [
            ("kind", &self.kind),
            ("service", &self.service),
            ("city", &self.city),
            ("center", &self.center),
            ("date", &self.date),
            ("start", &self.start),
            ("reschedule", &self.reschedule),
        ] {
            if let Some(v) = v {
                q.push(format!("{k}={}", enc(v)));
            }
        }
        format!("/book?{}", q.join("&"))
    }
    fn with(&self, f: impl FnOnce(&mut Step)) -> String {
        let mut s = self.clone();
        f(&mut s);
        s.href()
    }
}

#[component]
pub fn Book() -> impl IntoView {
    let query = use_query_map();
    let step = Memo::new(move |_| {
        let q = query.read();
        let get = |k: &str| q.get(k).filter(|v| !v.trim().is_empty());
        Step {
            kind: get("kind").filter(|k| k == "Psc" || k == "AutoPsc"),
            service: get("service"),
            city: get("city"),
            center: get("center"),
            date: get("date"),
            start: get("start"),
            reschedule: get("reschedule"),
        }
    });
    view! {
        <section class="card flow">
            <Progress step=step/>
            {move || {
                let s = step.get();
                match (&s.kind, &s.service, &s.center, &s.date, &s.start) {
                    (None, ..) => view! { <PickKind step=s.clone()/> }.into_any(),
                    (Some(_), None, ..) => view! { <PickService step=s.clone()/> }.into_any(),
                    (Some(_), Some(_), None, ..) => view! { <PickCenter step=s.clone()/> }.into_any(),
                    (Some(_), Some(_), Some(_), None, _) => view! { <PickDate step=s.clone()/> }.into_any(),
                    (Some(_), Some(_), Some(_), Some(_), None) => view! { <PickTime step=s.clone()/> }.into_any(),
                    _ => view! { <ConfirmStep step=s.clone()/> }.into_any(),
                }
            }}
        </section>
    }
}

/// "Step n of 6" for screen readers and a visual bar.
#[component]
fn Progress(step: Memo<Step>) -> impl IntoView {
    let n = move || {
        let s = step.get();
        1 + [
            s.kind.is_some(),
            s.service.is_some(),
            s.center.is_some(),
            s.date.is_some(),
            s.start.is_some(),
        ]
        .iter()
        .take_while(|x| **x)
        .count()
    };
    let lang = use_lang();
    let label = move || crate::i18n::ui::step_of(n(), 6, lang);
    view! {
        <div class="progress" role="progressbar" aria-label=label aria-valuemin="1" aria-valuemax="6" aria-valuenow=n>
            <div class="bar" style=move || format!("width: {}%", n() * 100 / 6)></div>
        </div>
    }
}

#[component]
fn PickKind(step: Step) -> impl IntoView {
    view! {
        <h1>{t(T::CenterKind)}</h1>
        <div class="choices">
            <a class="choice" href=step.with(|s| s.kind = Some("Psc".into())) data-testid="kind-Psc">
                <strong>{t(T::Psc)}</strong>
                <span>{t(T::PscHint)}</span>
            </a>
            <a class="choice" href=step.with(|s| s.kind = Some("AutoPsc".into())) data-testid="kind-AutoPsc">
                <strong>{t(T::AutoPsc)}</strong>
                <span>{t(T::AutoPscHint)}</span>
            </a>
        </div>
    }
}

fn load_services(step: &Step) -> Res<Result<Vec<ServiceView>, crate::api::error::AppError>> {
    let kind = step.kind.clone().unwrap_or_default();
    resource(move || kind.clone(), services)
}

#[component]
fn PickService(step: Step) -> impl IntoView {
    let list = load_services(&step);
    let (needle, set_needle) = signal(String::new());
    let back = step.with(|s| s.kind = None);
    view! {
        <h1>{t(T::PickService)}</h1>
        <a class="back" href=back>"← "{t(T::Back)}</a>
        <label class="visually-hidden" for="svc-search">{t(T::SearchService)}</label>
        <input
            id="svc-search"
            type="search"
            placeholder=t(T::SearchService)
            on:input=move |ev| set_needle.set(event_target_value(&ev).to_lowercase())
        />
        <Suspense fallback=|| view! { <p aria-busy="true">{t(T::Loading)}</p> }>
            {
                let step = step.clone();
                move || {
                    list.get()
                        .map(|r| match r {
                            Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                            Ok(items) => {
                                let step = step.clone();
                                view! {
                                    <ul class="list">
                                        {items
                                            .into_iter()
                                            .map(|s| {
                                                let name_lc = s.name.to_lowercase();
                                                let code_lc = s.code.to_lowercase();
                                                let hidden = move || {
                                                    let n = needle.get();
                                                    !n.is_empty() && !name_lc.contains(&n) && !code_lc.contains(&n)
                                                };
                                                let href = step.with(|st| st.service = Some(s.code.clone()));
                                                let doc = s.group == "Documentation";
                                                view! {
                                                    <li class:hidden=hidden>
                                                        {if s.online_available {
                                                            view! {
                                                                <div class="item disabled" data-testid=format!("svc-{}", s.code)>
                                                                    <span>{s.name.clone()}</span>
                                                                    <small class="note">{t(T::OnlineOnly)}</small>
                                                                </div>
                                                            }
                                                                .into_any()
                                                        } else {
                                                            view! {
                                                                <a class="item" href=href data-testid=format!("svc-{}", s.code)>
                                                                    <span>{s.name.clone()}</span>
                                                                    {doc.then(|| view! { <small class="tag">{t(T::Documentation)}</small> })}
                                                                </a>
                                                            }
                                                                .into_any()
                                                        }}
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                }
                                    .into_any()
                            }
                        })
                }
            }
        </Suspense>
    }
}

fn load_centers(step: &Step) -> Res<Result<Vec<CenterView>, crate::api::error::AppError>> {
    let kind = step.kind.clone().unwrap_or_default();
    resource(move || kind.clone(), centers)
}

#[component]
fn PickCenter(step: Step) -> impl IntoView {
    let list = load_centers(&step);
    let lang = use_lang();
    let back = step.with(|s| {
        s.service = None;
        s.city = None
    });
    view! {
        <h1>{t(T::PickCenter)}</h1>
        <a class="back" href=back>"← "{t(T::Back)}</a>
        <Suspense fallback=|| view! { <p aria-busy="true">{t(T::Loading)}</p> }>
            {
                let step = step.clone();
                move || {
                    list.get()
                        .map(|r| match r {
                            Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                            Ok(items) => {
                                let mut cities: Vec<String> = items.iter().map(|c| c.city.clone()).collect();
                                cities.sort();
                                cities.dedup();
                                let chosen = step.city.clone();
                                let all_href = step.with(|s| s.city = None);
                                view! {
                                    <nav class="chips" aria-label=t(T::PickCity)>
                                        <a href=all_href aria-current=chosen.is_none().then_some("true")>{t(T::AllCities)}</a>
                                        {cities
                                            .into_iter()
                                            .map(|c| {
                                                let current = chosen.as_deref() == Some(c.as_str());
                                                let href = step.with(|s| s.city = Some(c.clone()));
                                                view! { <a href=href aria-current=current.then_some("true")>{kezek_i18n::place_name(&c, lang)}</a> }
                                            })
                                            .collect_view()}
                                    </nav>
                                    <ul class="list">
                                        {items
                                            .into_iter()
                                            .filter(|c| chosen.as_ref().is_none_or(|x| *x == c.city))
                                            .map(|c| {
                                                let href = step.with(|s| s.center = Some(c.id.clone()));
                                                view! {
                                                    <li>
                                                        <a class="item" href=href data-testid=format!("center-{}", c.id)>
                                                            <span>{c.name}</span>
                                                            <small class="note">{c.address}</small>
                                                        </a>
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                }
                                    .into_any()
                            }
                        })
                }
            }
        </Suspense>
    }
}

type UpcomingRes = Res<Result<crate::api::types::Upcoming, crate::api::error::AppError>>;

fn load_upcoming(step: &Step) -> UpcomingRes {
    let center: i64 = step
        .center
        .as_deref()
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let service = step.service.clone().unwrap_or_default();
    resource(
        move || (center, service.clone()),
        |(c, s)| upcoming_slots(c, s),
    )
}

#[component]
fn PickDate(step: Step) -> impl IntoView {
    let up = load_upcoming(&step);
    let lang = use_lang();
    let back = step.with(|s| s.center = None);
    view! {
        <h1>{t(T::PickDate)}</h1>
        <a class="back" href=back>"← "{t(T::Back)}</a>
        <Suspense fallback=|| view! { <p aria-busy="true">{t(T::Loading)}</p> }>
            {
                let step = step.clone();
                move || {
                    up.get()
                        .map(|r| match r {
                            Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                            Ok(u) => {
                                let mut per_day: BTreeMap<NaiveDate, u32> = BTreeMap::new();
                                for s in &u.slots {
                                    if let Some(l) = local(&s.start) {
                                        *per_day.entry(l.date()).or_default() += 1;
                                    }
                                }
                                let (Ok(today), Ok(last)) = (
                                    parse_ymd(&u.today),
                                    parse_ymd(&u.last),
                                ) else {
                                    return view! { <p class="error">{t(T::Error)}</p> }.into_any();
                                };
                                let drawn: BTreeMap<NaiveDate, String> = u
                                    .draws
                                    .iter()
                                    .filter_map(|d| parse_ymd(&d.date).ok().map(|x| (x, d.closes_at.clone())))
                                    .collect();
                                let wait = view! {
                                    <WaitForm step=step.clone() from=u.today.clone() to=u.last.clone() open=per_day.is_empty()/>
                                };
                                if per_day.is_empty() && drawn.is_empty() {
                                    return view! { <p class="empty">{t(T::NoDays)}</p> {wait} }.into_any();
                                }
                                view! { {calendar(&step, today, last, &per_day, &drawn, lang)} {wait} }.into_any()
                            }
                        })
                }
            }
        </Suspense>
    }
}

/// A Monday-first month-like grid from this week to the last bookable date.
fn calendar(
    step: &Step,
    today: NaiveDate,
    last: NaiveDate,
    per_day: &BTreeMap<NaiveDate, u32>,
    drawn: &BTreeMap<NaiveDate, String>,
    lang: Lang,
) -> impl IntoView + use<> {
    let start = today - Days::new(u64::from(today.weekday().num_days_from_monday()));
    let mut cells = Vec::new();
    let mut d = start;
    while d <= last || d.weekday().num_days_from_monday() != 0 {
        cells.push(d);
        d = match d.checked_add_days(Days::new(1)) {
            Some(n) => n,
            None => break,
        };
    }
    let heads: Vec<_> = (0..7)
        .filter_map(|i| chrono::Weekday::try_from(i as u8).ok())
        .map(|w| short_weekday(w, lang))
        .collect();
    view! {
        <div class="calendar">
            {heads.into_iter().map(|h| view! { <div class="head" aria-hidden="true">{h}</div> }).collect_view()}
            {cells
                .into_iter()
                .map(|d| {
                    let n = per_day.get(&d).copied().unwrap_or(0);
                    let label = format!("{}", d.day());
                    let title = day_title(d, lang);
                    if drawn.contains_key(&d) {
                        // R12: requested in the draw, not booked first-come.
                        let href = step.with(|s| s.date = Some(ymd(d)));
                        let aria = format!("{title} · {}", T::DrawTitle.get(lang));
                        view! {
                            <a class="day open draw" href=href aria-label=aria data-testid=format!("day-{d}")>
                                <span>{label}</span>
                                <small aria-hidden="true">"◆"</small>
                            </a>
                        }
                            .into_any()
                    } else if n > 0 {
                        let href = step.with(|s| s.date = Some(ymd(d)));
                        view! {
                            <a class="day open" href=href aria-label=title data-testid=format!("day-{d}")>
                                <span>{label}</span>
                                <small>{n}</small>
                            </a>
                        }
                            .into_any()
                    } else {
                        view! {
                            <span class="day" aria-hidden="true" title=title>
                                {label}
                            </span>
                        }
                            .into_any()
                    }
                })
                .collect_view()}
        </div>
    }
}

fn short_weekday(w: chrono::Weekday, lang: Lang) -> String {
    crate::i18n::dates::weekday_short(w, lang).to_owned()
}

fn free_label(n: u32, lang: Lang) -> String {
    crate::i18n::ui::free_places(n, lang)
}

#[component]
fn PickTime(step: Step) -> impl IntoView {
    let up = load_upcoming(&step);
    let lang = use_lang();
    let back = step.with(|s| s.date = None);
    let date = step.date.clone().unwrap_or_default();
    let title = parse_ymd(&date)
        .map(|d| day_title(d, lang))
        .unwrap_or_default();
    view! {
        <h1>{t(T::PickTime)}</h1>
        <p class="lead">{title}</p>
        <a class="back" href=back>"← "{t(T::Back)}</a>
        <Suspense fallback=|| view! { <p aria-busy="true">{t(T::Loading)}</p> }>
            {
                let step = step.clone();
                let date = date.clone();
                move || {
                    up.get()
                        .map(|r| match r {
                            Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                            Ok(u) => {
                                if let Some(d) = u.draws.iter().find(|d| d.date == date) {
                                    let dates: Vec<String> = u
                                        .draws
                                        .iter()
                                        .filter(|x| x.draw_id == d.draw_id)
                                        .map(|x| x.date.clone())
                                        .collect();
                                    return view! {
                                        <DrawForm step=step.clone() draw_id=d.draw_id.clone() closes_at=d.closes_at.clone() dates=dates/>
                                    }
                                        .into_any();
                                }
                                let slots: Vec<_> = u
                                    .slots
                                    .into_iter()
                                    .filter(|s| s.start.starts_with(&date))
                                    .collect();
                                if slots.is_empty() {
                                    return view! {
                                        <p class="empty">{t(T::DayFull)}</p>
                                        <WaitForm step=step.clone() from=date.clone() to=date.clone() open=true/>
                                    }
                                        .into_any();
                                }
                                view! {
                                    <div class="times">
                                        {slots
                                            .into_iter()
                                            .map(|s| {
                                                let href = step.with(|st| st.start = Some(s.start.clone()));
                                                view! {
                                                    <a class="time" href=href data-testid=format!("time-{}", hhmm(&s.start))>
                                                        <strong>{hhmm(&s.start)}</strong>
                                                        <small>{free_label(s.free, lang)}</small>
                                                    </a>
                                                }
                                            })
                                            .collect_view()}
                                    </div>
                                }
                                    .into_any()
                            }
                        })
                }
            }
        </Suspense>
    }
}

#[component]
fn ConfirmStep(step: Step) -> impl IntoView {
    let lang = use_lang();
    let svc = load_services(&step);
    let ctr = load_centers(&step);
    let mine = resource(|| (), |_| my_bookings());
    let book = ServerAction::<BookVisit>::new();
    let resched = ServerAction::<RescheduleVisit>::new();
    let (vehicle, set_vehicle) = signal(String::new());
    let back = step.with(|s| s.start = None);
    let code = step.service.clone().unwrap_or_default();
    let center_id = step.center.clone().unwrap_or_default();
    let start = step.start.clone().unwrap_or_default();
    let kind = step.kind.clone().unwrap_or_default();
    let reschedule = step.reschedule.clone();
    let here = step.href();

    let vehicle_hint = move || {
        let v = vehicle.get();
        if v.trim().is_empty() {
            return None;
        }
        Some(match VehicleRef::parse(&v) {
            Ok(_) => ("ok", t(T::VehicleOk)),
            Err(_) => ("error", t(T::VehicleBad)),
        })
    };
    let error = move || {
        book.value()
            .get()
            .and_then(Result::err)
            .or_else(|| resched.value().get().and_then(Result::err))
    };

    view! {
        <h1>{t(T::Confirm)}</h1>
        <a class="back" href=back>"← "{t(T::Change)}</a>
        <Suspense fallback=|| view! { <p aria-busy="true">{t(T::Loading)}</p> }>
            {
                let (code, center_id, start, kind, reschedule, here) = (
                    code.clone(),
                    center_id.clone(),
                    start.clone(),
                    kind.clone(),
                    reschedule.clone(),
                    here.clone(),
                );
                move || {
                    let (code, center_id, start, here) =
                        (code.clone(), center_id.clone(), start.clone(), here.clone());
                    let service = svc.get().and_then(Result::ok).and_then(|l| l.into_iter().find(|s| s.code == code));
                    let center = ctr.get().and_then(Result::ok).and_then(|l| l.into_iter().find(|c| c.id == center_id));
                    let mine = mine.get();
                    let (Some(service), Some(center)) = (service, center) else {
                        return view! { <p aria-busy="true">{t(T::Loading)}</p> }.into_any();
                    };
                    let signed_in = matches!(mine, Some(Ok(_)));
                    // R3 in the browser: an active booking of the same kind and group.
                    let clash = mine
                        .and_then(Result::ok)
                        .unwrap_or_default()
                        .into_iter()
                        .find(|b| {
                            b.status == "Booked"
                                && b.center_kind == kind
                                && b.group == service.group
                                && Some(&b.id) != reschedule.as_ref()
                        });
                    let needs_vehicle = service.requires_vehicle && reschedule.is_none();
                    view! {
                        <dl class="summary">
                            <dt>{t(T::Service)}</dt>
                            <dd>{service.name.clone()}</dd>
                            <dt>{t(T::Center)}</dt>
                            <dd>{center.name.clone()}</dd>
                            <dt>{t(T::Address)}</dt>
                            <dd>{center.address.clone()}</dd>
                            <dt>{t(T::DateTime)}</dt>
                            <dd data-testid="confirm-when">{long(&start, lang)}</dd>
                        </dl>
                        {clash
                            .map(|b| {
                                view! {
                                    <div class="warning" role="alert" data-testid="rule-warning">
                                        <p>{t(T::AlreadyActive)}</p>
                                        <p>
                                            {b.service_name.clone()} " — " {long(&b.start, lang)} " "
                                            <a href=format!("/my/{}", b.id)>{t(T::OpenIt)}</a>
                                        </p>
                                    </div>
                                }
                            })}
                        {if !signed_in {
                            view! {
                                <p>
                                    <a class="button primary" href=format!("/sign-in?next={}", enc(&here)) data-testid="sign-in-to-book">
                                        {t(T::SignInToBook)}
                                    </a>
                                </p>
                            }
                                .into_any()
                        } else if let Some(id) = reschedule.clone() {
                            view! {
                                <ActionForm action=resched attr:class="stack">
                                    <input type="hidden" name="id" value=id/>
                                    <input type="hidden" name="start" value=start.clone()/>
                                    <input type="hidden" name="center_id" value=center_id.clone()/>
                                    <button type="submit" class="button primary" disabled=move || resched.pending().get()>
                                        {t(T::Reschedule)}
                                    </button>
                                </ActionForm>
                            }
                                .into_any()
                        } else {
                            view! {
                                <ActionForm action=book attr:class="stack">
                                    <input type="hidden" name="center_id" value=center_id.clone()/>
                                    <input type="hidden" name="service" value=code.clone()/>
                                    <input type="hidden" name="start" value=start.clone()/>
                                    {needs_vehicle
                                        .then(|| {
                                            view! {
                                                <label for="vehicle">{t(T::Vehicle)}</label>
                                                <input
                                                    id="vehicle"
                                                    name="vehicle"
                                                    required
                                                    autocomplete="off"
                                                    maxlength="32"
                                                    aria-describedby="vehicle-hint vehicle-note"
                                                    on:input=move |ev| set_vehicle.set(event_target_value(&ev))
                                                />
                                                <p id="vehicle-note" class="note">{t(T::VehicleHint)}</p>
                                                <p
                                                    id="vehicle-hint"
                                                    class=move || format!("hint {}", vehicle_hint().map(|h| h.0).unwrap_or(""))
                                                    aria-live="polite"
                                                    data-testid="vehicle-hint"
                                                >
                                                    {move || vehicle_hint().map(|h| h.1)}
                                                </p>
                                            }
                                        })}
                                    <button type="submit" class="button primary" disabled=move || book.pending().get() data-testid="book">
                                        {t(T::Book)}
                                    </button>
                                </ActionForm>
                            }
                                .into_any()
                        }}
                    }
                        .into_any()
                }
            }
        </Suspense>
        {move || error().map(|e| view! { <p class="error" role="alert" data-testid="server-error">{e.message}</p> })}
    }
}

/// R12: a day under a draw — up to five ranked choices (a date of the draw
/// at this center and an optional time range each), one request per IIN.
#[component]
fn DrawForm(step: Step, draw_id: String, closes_at: String, dates: Vec<String>) -> impl IntoView {
    use crate::api::draws::RequestInDraw;
    let lang = use_lang();
    let action = ServerAction::<RequestInDraw>::new();
    let first = step.date.clone().unwrap_or_default();
    let center = step.center.clone().unwrap_or_default();
    let service = step.service.clone().unwrap_or_default();
    let vehicle = step.kind.as_deref() == Some("AutoPsc");
    let rows: Vec<(usize, Option<String>)> = (1..=5)
        .map(|i| (i, (i == 1).then(|| first.clone())))
        .collect();
    view! {
        <div class="draw-box" data-testid="draw-form">
            <p class="lead">{t(T::DrawDayNotice)}</p>
            <p class="note">
                {t(T::DrawClosesAt)} ": " <strong>{long(&closes_at, lang)}</strong> " · "
                <a href=format!("/draws/{draw_id}")>{t(T::PublicRecord)}</a>
            </p>
            <ActionForm action=action>
                <input type="hidden" name="draw_id" value=draw_id.clone()/>
                <input type="hidden" name="service" value=service/>
                <input type="hidden" name="center_id" value=center/>
                {
                    let row = move |(i, chosen): (usize, Option<String>), dates: Vec<String>| {
                        view! {
                            <fieldset class="choice-row">
                                <legend>{format!("{i}.")}</legend>
                                <label>
                                    <span class="visually-hidden">{t(T::PickDate)}</span>
                                    <select name=format!("date{i}") required={i == 1} data-testid=format!("choice-date-{i}")>
                                        {(i > 1).then(|| view! { <option value="">"—"</option> })}
                                        {dates.into_iter().map(|d| {
                                            let sel = chosen.as_deref() == Some(d.as_str());
                                            let label = parse_ymd(&d).map(|x| day_title(x, lang)).unwrap_or_else(|_| d.clone());
                                            view! { <option value=d.clone() selected=sel>{label}</option> }
                                        }).collect_view()}
                                    </select>
                                </label>
                                <label>{t(T::TimeFrom)} <input {..time_field()} name=format!("from{i}")/></label>
                                <label>{t(T::TimeTo)} <input {..time_field()} name=format!("to{i}")/></label>
                            </fieldset>
                        }
                    };
                    let mut rows = rows.into_iter();
                    let first = rows.next().map(|r| row(r, dates.clone()));
                    let more: Vec<_> = rows.map(|r| row(r, dates.clone())).collect();
                    view! {
                        {first}
                        <details class="more-choices">
                            <summary>{t(T::MoreChoices)}</summary>
                            {more}
                        </details>
                    }
                }
                {vehicle.then(|| view! {
                    <label>{t(T::Vehicle)} <input type="text" name="vehicle" autocomplete="off"/></label>
                })}
                <button type="submit" class="button primary" data-testid="request-time">{t(T::RequestTime)}</button>
            </ActionForm>
            {move || action.value().get().and_then(Result::err).map(|e| view! {
                <p class="error" role="alert" data-testid="draw-error">{e.message}</p>
            })}
        </div>
    }
}

/// R13: wait for a time at this center between two dates (and an optional
/// time of day); a start that frees goes to the list first.
#[component]
fn WaitForm(step: Step, from: String, to: String, open: bool) -> impl IntoView {
    use crate::api::draws::JoinWaitlist;
    let action = ServerAction::<JoinWaitlist>::new();
    let center = step.center.clone().unwrap_or_default();
    let service = step.service.clone().unwrap_or_default();
    let booking = step.reschedule.clone();
    view! {
        <details class="wait-box" open=open data-testid="wait-form">
            <summary>{t(T::JoinWaitingList)}</summary>
            <ActionForm action=action>
                <input type="hidden" name="service" value=service/>
                <input type="hidden" name="center_id" value=center/>
                {booking.map(|b| view! { <input type="hidden" name="booking_id" value=b/> })}
                <label>{t(T::TimeFrom)} <input type="date" name="from" value=from.clone() min=from.clone() max=to.clone() required/></label>
                <label>{t(T::TimeTo)} <input type="date" name="to" value=to.clone() min=from.clone() max=to.clone() required/></label>
                <label>{t(T::TimeFrom)} <input {..time_field()} name="time_from"/></label>
                <label>{t(T::TimeTo)} <input {..time_field()} name="time_to"/></label>
                <button type="submit" class="button" data-testid="join-waitlist">{t(T::JoinWaitingList)}</button>
            </ActionForm>
            {move || action.value().get().and_then(Result::err).map(|e| view! {
                <p class="error" role="alert" data-testid="wait-error">{e.message}</p>
            })}
        </details>
    }
}
