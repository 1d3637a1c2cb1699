//! `/staff/admin?tab=…`: the administrator's pages — centers, services,
//! rule values (policy), staff accounts, the national calendar and the
//! vehicle registry import. Every server function checks the
//! administrator role; other staff see the refusal.
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::admin::{
    AdminCenterActive, AdminCenterCreate, AdminNationalSave, AdminOutboxRequeue, AdminPhonesImport,
    AdminPolicySave, AdminServiceSave, AdminStaffActive, AdminStaffCreate, AdminStaffPassword,
    AdminVehiclesImport, NewCenter, admin_centers, admin_national, admin_policy, admin_services,
    admin_staff,
};
use crate::domain::policy::Policy;
use crate::i18n::staff::S;
use crate::ui::resource::resource;

use super::{StaffBar, refused, st};

const TABS: [(&str, S); 9] = [
    ("centers", S::TabCenters),
    ("services", S::TabServices),
    ("policy", S::TabPolicy),
    ("staff", S::TabStaff),
    ("calendar", S::TabCalendar),
    ("vehicles", S::TabVehicles),
    ("phones", S::TabPhones),
    ("draws", S::TabDraws),
    ("outbox", S::TabOutbox),
];

/// An action's outcome line: the error, or `ok` text.
fn outcome<T: 'static>(
    value: impl Fn() -> Option<Result<T, crate::api::error::AppError>> + Send + Sync + 'static,
    ok: S,
) -> impl IntoView {
    move || {
        value().map(|r| match r {
            Err(e) => {
                view! { <p class="error" role="alert" data-testid="admin-error">{e.message}</p> }
                    .into_any()
            }
            Ok(_) => view! { <p class="success" role="status" data-testid="admin-ok">{st(ok)}</p> }
                .into_any(),
        })
    }
}

fn text_input(label: S, sig: RwSignal<String>, id: &'static str) -> impl IntoView {
    view! {
        <label for=id>{st(label)}</label>
        <input id=id prop:value=sig on:input=move |ev| sig.set(event_target_value(&ev))/>
    }
}

#[component]
pub fn AdminPage() -> impl IntoView {
    let query = use_query_map();
    let tab = move || {
        query
            .read()
            .get("tab")
            .filter(|t| TABS.iter().any(|(k, _)| k == t))
            .unwrap_or_else(|| "centers".to_owned())
    };
    let me = resource(|| (), |_| crate::api::staff::staff_me());
    view! {
        <section class="card staff">
            <Suspense fallback=|| ()>
                {move || me.get().map(|r| match r {
                    Err(e) => refused(e),
                    Ok(me) => view! { <StaffBar me=me/> }.into_any(),
                })}
            </Suspense>
            <h1>{st(S::Administration)}</h1>
            <nav class="tabs" aria-label=st(S::Administration)>
                {TABS.iter().map(|(k, label)| {
                    let k = *k;
                    view! {
                        <a href=format!("/staff/admin?tab={k}")
                            aria-current=move || (tab() == k).then_some("page")>{st(*label)}</a>
                    }
                }).collect_view()}
            </nav>
            {move || match tab().as_str() {
                "services" => view! { <ServicesTab/> }.into_any(),
                "policy" => view! { <PolicyTab/> }.into_any(),
                "staff" => view! { <StaffTab/> }.into_any(),
                "calendar" => view! { <CalendarTab/> }.into_any(),
                "vehicles" => view! { <VehiclesTab/> }.into_any(),
                "phones" => view! { <PhonesTab/> }.into_any(),
                "outbox" => view! { <OutboxTab/> }.into_any(),
                "draws" => view! { <DrawsTab/> }.into_any(),
                _ => view! { <CentersTab/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn CentersTab() -> impl IntoView {
    let create = ServerAction::<AdminCenterCreate>::new();
    let toggle = ServerAction::<AdminCenterActive>::new();
    let list = resource(
        move || (create.version().get(), toggle.version().get()),
        |_| admin_centers(),
    );
    let f: [RwSignal<String>; 10] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let kind = RwSignal::new("Psc".to_owned());
    let tz = RwSignal::new("Asia/Almaty".to_owned());
    let slot = RwSignal::new("15".to_owned());
    let submit = move |_| {
        let c = NewCenter {
            slug: f[0].get_untracked(),
            kind: kind.get_untracked(),
            name_kk: f[1].get_untracked(),
            name_ru: f[2].get_untracked(),
            name_en: f[3].get_untracked(),
            region: f[4].get_untracked(),
            city: f[5].get_untracked(),
            address_kk: f[6].get_untracked(),
            address_ru: f[7].get_untracked(),
            address_en: f[8].get_untracked(),
            timezone: tz.get_untracked(),
            slot_minutes: slot.get_untracked().parse().unwrap_or(15),
        };
        if let Ok(json) = serde_json::to_string(&c) {
            create.dispatch(AdminCenterCreate { center: json });
        }
    };
    view! {
        {outcome(move || toggle.value().get(), S::Saved)}
        <Suspense fallback=|| view! { <p aria-busy="true">"…"</p> }>
            {move || list.get().map(|r| match r {
                Err(e) => refused(e),
                Ok(rows) => view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-label=st(S::TabCenters)><table class="desk" data-testid="centers">
                        <thead><tr>
                            <th scope="col">"#"</th><th scope="col">{st(S::Center)}</th><th scope="col">{st(S::City)}</th>
                            <th scope="col">{st(S::Kind)}</th><th scope="col">{st(S::Status)}</th><th scope="col">{st(S::Actions)}</th>
                        </tr></thead>
                        <tbody>
                        {rows.into_iter().map(|c| {
                            let (id, active) = (c.id, c.active);
                            view! {
                                <tr>
                                    <td>{c.id}</td>
                                    <td>{c.name} <br/><small>{c.address}</small></td>
                                    <td>{c.city}</td>
                                    <td>{c.kind}</td>
                                    <td>{if active { st(S::Active) } else { st(S::Inactive) }}</td>
                                    <td class="row">
                                        <a class="button small" href=format!("/staff/center?center={id}")>{st(S::Schedule)}</a>
                                        <a class="button small" href=format!("/staff/reports?center={id}")>{st(S::Reports)}</a>
                                        <button type="button" class="button small" on:click=move |_| {
                                            toggle.dispatch(AdminCenterActive { id, active: !active });
                                        }>{if active { st(S::Disable) } else { st(S::Enable) }}</button>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any(),
            })}
        </Suspense>
        <details>
            <summary>{st(S::CreateCenter)}</summary>
            <div class="stack">
                {text_input(S::Slug, f[0], "c-slug")}
                <label for="c-kind">{st(S::Kind)}</label>
                <select id="c-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                    <option value="Psc">"PSC / ЦОН"</option>
                    <option value="AutoPsc">"autoPSC / спецЦОН"</option>
                </select>
                {text_input(S::NameKk, f[1], "c-name-kk")}
                {text_input(S::NameRu, f[2], "c-name-ru")}
                {text_input(S::NameEn, f[3], "c-name-en")}
                {text_input(S::Region, f[4], "c-region")}
                {text_input(S::City, f[5], "c-city")}
                {text_input(S::AddressKk, f[6], "c-addr-kk")}
                {text_input(S::AddressRu, f[7], "c-addr-ru")}
                {text_input(S::AddressEn, f[8], "c-addr-en")}
                {text_input(S::TimeZone, tz, "c-tz")}
                {text_input(S::SlotMinutes, slot, "c-slot")}
                <button type="button" class="button primary" on:click=submit>{st(S::CreateCenter)}</button>
                {outcome(move || create.value().get(), S::Created)}
            </div>
        </details>
    }
    .into_any()
}

#[component]
fn ServicesTab() -> impl IntoView {
    let save = ServerAction::<AdminServiceSave>::new();
    let list = resource(move || save.version().get(), |_| admin_services());
    view! {
        {outcome(move || save.value().get(), S::Saved)}
        <Suspense fallback=|| view! { <p aria-busy="true">"…"</p> }>
            {move || list.get().map(|r| match r {
                Err(e) => refused(e),
                Ok(rows) => view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-label=st(S::TabServices)><table class="desk" data-testid="services">
                        <thead><tr>
                            <th scope="col">{st(S::Service)}</th><th scope="col">{st(S::Kind)}</th>
                            <th scope="col">{st(S::Duration)}</th><th scope="col">{st(S::Active)}</th><th scope="col">{st(S::Actions)}</th>
                        </tr></thead>
                        <tbody>
                        {rows.into_iter().map(|s| {
                            let code = s.code.clone();
                            let duration = RwSignal::new(s.duration_min.to_string());
                            let active = RwSignal::new(s.active);
                            let did = format!("dur-{}", s.code);
                            let aid = format!("act-{}", s.code);
                            view! {
                                <tr>
                                    <th scope="row"><code>{s.code.clone()}</code> " " {s.name}
                                        {s.online_available.then(|| view! { " " <span class="badge">{st(S::OnlineOnly)}</span> })}</th>
                                    <td>{s.center_kind} " · " {s.group}</td>
                                    <td><label class="sr-only" for=did.clone()>{st(S::Duration)}</label>
                                        <input id=did type="number" min="5" max="240" class="short" prop:value=duration
                                            on:input=move |ev| duration.set(event_target_value(&ev))/></td>
                                    <td><label class="sr-only" for=aid.clone()>{st(S::Active)}</label>
                                        <input id=aid type="checkbox" prop:checked=active on:change=move |ev| active.set(event_target_checked(&ev))/></td>
                                    <td><button type="button" class="button small" on:click=move |_| {
                                        save.dispatch(AdminServiceSave {
                                            code: code.clone(),
                                            duration_min: duration.get_untracked().trim().parse().unwrap_or(0),
                                            active: active.get_untracked(),
                                        });
                                    }>{st(S::Save)}</button></td>
                                </tr>
                            }
                        }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn PolicyTab() -> impl IntoView {
    let save = ServerAction::<AdminPolicySave>::new();
    let current = resource(move || save.version().get(), |_| admin_policy());
    view! {
        <p class="note">{st(S::PolicyHelp)}</p>
        {outcome(move || save.value().get(), S::Saved)}
        <Suspense fallback=|| view! { <p aria-busy="true">"…"</p> }>
            {move || current.get().map(|r| match r {
                Err(e) => refused(e),
                Ok(p) => view! { <PolicyForm p=p save=save/> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn PolicyForm(p: Policy, save: ServerAction<AdminPolicySave>) -> impl IntoView {
    let fields: [(S, &'static str, u32); 8] = [
        (S::PTenDay, "ten_day_window_days", p.ten_day_window_days),
        (S::PPerDay, "per_day_limit", p.per_day_limit),
        (S::PMaxResched, "max_reschedules", p.max_reschedules),
        (
            S::PReschedCut,
            "reschedule_cutoff_min",
            p.reschedule_cutoff_min,
        ),
        (S::PCancelCut, "cancel_cutoff_min", p.cancel_cutoff_min),
        (S::PNotice, "min_notice_min", p.min_notice_min),
        (S::PHorizon, "horizon_days", p.horizon_days),
        (S::PGrace, "no_show_grace_min", p.no_show_grace_min),
    ];
    let values: Vec<(S, &'static str, RwSignal<String>)> = fields
        .iter()
        .map(|(l, k, v)| (*l, *k, RwSignal::new(v.to_string())))
        .collect();
    let split = RwSignal::new(p.one_per_group_per_day);
    let vals = values.clone();
    let submit = move |_| {
        let mut m = serde_json::Map::new();
        for (_, k, v) in &vals {
            let n: u64 = v.get_untracked().trim().parse().unwrap_or(u64::MAX);
            m.insert((*k).to_owned(), serde_json::Value::from(n));
        }
        m.insert(
            "one_per_group_per_day".into(),
            serde_json::Value::from(split.get_untracked()),
        );
        save.dispatch(AdminPolicySave {
            policy: serde_json::Value::Object(m).to_string(),
        });
    };
    view! {
        <div class="stack" data-testid="policy">
            {values.into_iter().map(|(label, key, sig)| view! {
                <label for=key>{st(label)}</label>
                <input id=key type="number" min="0" class="short" prop:value=sig on:input=move |ev| sig.set(event_target_value(&ev))/>
            }).collect_view()}
            <span class="check">
                <input id="split" type="checkbox" prop:checked=split on:change=move |ev| split.set(event_target_checked(&ev))/>
                <label for="split">{st(S::PGroupSplit)}</label>
            </span>
            <button type="button" class="button primary" data-testid="save-policy" on:click=submit>{st(S::Save)}</button>
        </div>
    }
    .into_any()
}

#[component]
fn StaffTab() -> impl IntoView {
    let create = ServerAction::<AdminStaffCreate>::new();
    let toggle = ServerAction::<AdminStaffActive>::new();
    let password = ServerAction::<AdminStaffPassword>::new();
    let list = resource(
        move || (create.version().get(), toggle.version().get()),
        |_| admin_staff(),
    );
    let centers = resource(|| (), |_| admin_centers());
    let username = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let role = RwSignal::new("operator".to_owned());
    let center = RwSignal::new(String::new());
    let window = RwSignal::new(String::new());
    let pass = RwSignal::new(String::new());
    let role_name = |r: &str| match r {
        "operator" => st(S::RoleOperator),
        "center_admin" => st(S::RoleCenterAdmin),
        _ => st(S::RoleAdministrator),
    };
    view! {
        {outcome(move || toggle.value().get(), S::Saved)}
        {outcome(move || password.value().get(), S::Saved)}
        <Suspense fallback=|| view! { <p aria-busy="true">"…"</p> }>
            {move || list.get().map(|r| match r {
                Err(e) => refused(e),
                Ok(rows) => view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-label=st(S::TabStaff)><table class="desk" data-testid="staff">
                        <thead><tr>
                            <th scope="col">{st(S::Username)}</th><th scope="col">{st(S::DisplayName)}</th>
                            <th scope="col">{st(S::Role)}</th><th scope="col">{st(S::Center)}</th>
                            <th scope="col">{st(S::Status)}</th><th scope="col">{st(S::Actions)}</th>
                        </tr></thead>
                        <tbody>
                        {rows.into_iter().map(|s| {
                            let (id, active) = (s.id, s.active);
                            let newpass = RwSignal::new(String::new());
                            let pid = format!("pw-{id}");
                            view! {
                                <tr>
                                    <th scope="row">{s.username}</th>
                                    <td>{s.display_name}</td>
                                    <td>{role_name(&s.role)}</td>
                                    <td>{s.center_id.map(|c| c.to_string()).unwrap_or_default()}</td>
                                    <td>{if active { st(S::Active) } else { st(S::Inactive) }}</td>
                                    <td class="row">
                                        <button type="button" class="button small" on:click=move |_| {
                                            toggle.dispatch(AdminStaffActive { id, active: !active });
                                        }>{if active { st(S::Disable) } else { st(S::Enable) }}</button>
                                        <label class="sr-only" for=pid.clone()>{st(S::NewPassword)}</label>
                                        <input id=pid type="password" autocomplete="new-password" class="short" placeholder=st(S::NewPassword)
                                            on:input=move |ev| newpass.set(event_target_value(&ev))/>
                                        <button type="button" class="button small" on:click=move |_| {
                                            password.dispatch(AdminStaffPassword { id, password: newpass.get_untracked() });
                                        }>{st(S::SetPassword)}</button>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any(),
            })}
        </Suspense>
        <h2>{st(S::CreateStaff)}</h2>
        <div class="stack" data-testid="create-staff">
            {text_input(S::Username, username, "s-user")}
            {text_input(S::DisplayName, name, "s-name")}
            <label for="s-role">{st(S::Role)}</label>
            <select id="s-role" on:change=move |ev| role.set(event_target_value(&ev))>
                <option value="operator">{st(S::RoleOperator)}</option>
                <option value="center_admin">{st(S::RoleCenterAdmin)}</option>
                <option value="administrator">{st(S::RoleAdministrator)}</option>
            </select>
            <label for="s-center">{st(S::Center)}</label>
            <select id="s-center" on:change=move |ev| center.set(event_target_value(&ev))>
                <option value="">"—"</option>
                <Suspense fallback=|| ()>
                    {move || centers.get().map(|r| r.map(|l| l.into_iter().map(|c| view! {
                        <option value=c.id.to_string()>{c.name} " · " {c.city}</option>
                    }).collect_view()).ok())}
                </Suspense>
            </select>
            {text_input(S::Window, window, "s-window")}
            <label for="s-pass">{st(S::NewPassword)}</label>
            <input id="s-pass" type="password" autocomplete="new-password" on:input=move |ev| pass.set(event_target_value(&ev))/>
            <button type="button" class="button primary" on:click=move |_| {
                create.dispatch(AdminStaffCreate {
                    username: username.get_untracked(),
                    display_name: name.get_untracked(),
                    role: role.get_untracked(),
                    center_id: center.get_untracked().parse().ok(),
                    window_number: window.get_untracked().trim().parse().ok(),
                    password: pass.get_untracked(),
                });
            }>{st(S::CreateStaff)}</button>
            {outcome(move || create.value().get(), S::Created)}
        </div>
    }
    .into_any()
}

#[component]
fn CalendarTab() -> impl IntoView {
    let save = ServerAction::<AdminNationalSave>::new();
    let year = RwSignal::new(2026);
    let list = resource(
        move || (year.get(), save.version().get()),
        |(y, _)| admin_national(y),
    );
    let date = RwSignal::new(String::new());
    let kind = RwSignal::new("day_off".to_owned());
    let name = RwSignal::new(String::new());
    let decision = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    view! {
        <div class="row">
            <label for="year">{st(S::Year)}</label>
            <input id="year" type="number" min="2000" max="2100" class="short" prop:value=move || year.get().to_string()
                on:change=move |ev| if let Ok(y) = event_target_value(&ev).parse() { year.set(y) }/>
        </div>
        <div class="stack" data-testid="national-form">
            <label for="n-date">{st(S::Date)}</label>
            <input id="n-date" type="date" on:input=move |ev| date.set(event_target_value(&ev))/>
            <label for="n-kind">{st(S::Kind)}</label>
            <select id="n-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                <option value="day_off">{st(S::KindDayOff)}</option>
                <option value="working_day">{st(S::KindWorkingDay)}</option>
            </select>
            {text_input(S::Name, name, "n-name")}
            <label for="n-decision">{st(S::IfBookings)}</label>
            <select id="n-decision" on:change=move |ev| decision.set(event_target_value(&ev))>
                <option value="">{st(S::DecisionNone)}</option>
                <option value="move">{st(S::MoveThem)}</option>
                <option value="cancel">{st(S::CancelThem)}</option>
            </select>
            {text_input(S::Reason, reason, "n-reason")}
            <button type="button" class="button primary" on:click=move |_| {
                save.dispatch(AdminNationalSave {
                    date: date.get_untracked(),
                    kind: kind.get_untracked(),
                    name: name.get_untracked(),
                    decision: decision.get_untracked(),
                    reason: reason.get_untracked(),
                });
            }>{st(S::Save)}</button>
            {outcome(move || save.value().get(), S::Saved)}
        </div>
        <Suspense fallback=|| view! { <p aria-busy="true">"…"</p> }>
            {move || list.get().map(|r| match r {
                Err(e) => refused(e),
                Ok(rows) => view! {
                    <ul class="list" data-testid="national">
                        {rows.into_iter().map(|d| {
                            let day = d.date.clone();
                            view! {
                                <li>{d.date.clone()} " · "
                                    {if d.kind == "day_off" { st(S::KindDayOff) } else { st(S::KindWorkingDay) }}
                                    " · " {d.name} " "
                                    <button type="button" class="button small" on:click=move |_| {
                                        save.dispatch(AdminNationalSave {
                                            date: day.clone(),
                                            kind: "remove".into(),
                                            name: String::new(),
                                            decision: decision.get_untracked(),
                                            reason: reason.get_untracked(),
                                        });
                                    }>{st(S::Remove)}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn VehiclesTab() -> impl IntoView {
    let import = ServerAction::<AdminVehiclesImport>::new();
    let csv = RwSignal::new(String::new());
    view! {
        <p class="note" id="csv-help">{st(S::CsvHelp)}</p>
        <label for="csv">"CSV"</label>
        <textarea id="csv" rows="8" aria-describedby="csv-help" data-testid="csv-text"
            on:input=move |ev| csv.set(event_target_value(&ev))></textarea>
        <button type="button" class="button primary" data-testid="csv-import" on:click=move |_| {
            import.dispatch(AdminVehiclesImport { csv: csv.get_untracked() });
        }>{st(S::Import)}</button>
        {move || import.value().get().map(|r| match r {
            Err(e) => view! { <p class="error" role="alert" data-testid="admin-error">{e.message}</p> }.into_any(),
            Ok(n) => view! { <p class="success" role="status" data-testid="admin-ok">{st(S::Imported)} ": " {n}</p> }.into_any(),
        })}
    }
    .into_any()
}

/// The mobile-citizens registry (R11): `iin,phone` pairs added, or the
/// whole table replaced.
#[component]
fn PhonesTab() -> impl IntoView {
    let import = ServerAction::<AdminPhonesImport>::new();
    let csv = RwSignal::new(String::new());
    let replace = RwSignal::new(false);
    view! {
        <p class="note" id="phones-help">{st(S::PhonesHelp)}</p>
        <label for="phones-csv">"CSV"</label>
        <textarea id="phones-csv" rows="8" aria-describedby="phones-help" data-testid="phones-text"
            on:input=move |ev| csv.set(event_target_value(&ev))></textarea>
        <label class="check">
            <input type="checkbox" data-testid="phones-replace"
                on:change=move |ev| replace.set(event_target_checked(&ev))/>
            {st(S::PhonesReplace)}
        </label>
        <button type="button" class="button primary" data-testid="phones-import" on:click=move |_| {
            import.dispatch(AdminPhonesImport { csv: csv.get_untracked(), replace: replace.get_untracked() });
        }>{st(S::Import)}</button>
        {move || import.value().get().map(|r| match r {
            Err(e) => view! { <p class="error" role="alert" data-testid="admin-error">{e.message}</p> }.into_any(),
            Ok(n) => view! { <p class="success" role="status" data-testid="admin-ok">{st(S::Imported)} ": " {n}</p> }.into_any(),
        })}
    }
    .into_any()
}

/// The notification backlog, and "send the failed ones again"; the
/// relocations of recent admin changes with their progress.
#[component]
fn OutboxTab() -> impl IntoView {
    let requeue = ServerAction::<AdminOutboxRequeue>::new();
    let state = resource(
        move || requeue.version().get(),
        |_| crate::api::admin::admin_outbox(),
    );
    view! {
        <Suspense fallback=|| ()>
            {move || state.get().map(|r| match r {
                Err(e) => refused(e),
                Ok(o) => view! {
                    <dl class="facts" data-testid="outbox-state">
                        <dt>{st(S::OutboxPending)}</dt><dd>{o.pending}</dd>
                        <dt>{st(S::OutboxOldest)}</dt><dd>{o.oldest_pending_secs.map_or_else(|| "—".to_owned(), |s| s.to_string())}</dd>
                        <dt>{st(S::OutboxFailed)}</dt><dd data-testid="outbox-failed">{o.failed}</dd>
                        <dt>{st(S::RelocationPending)}</dt><dd data-testid="relocation-pending">{o.relocation_pending}</dd>
                    </dl>
                }.into_any(),
            })}
        </Suspense>
        <button type="button" class="button" data-testid="outbox-requeue" on:click=move |_| {
            requeue.dispatch(AdminOutboxRequeue {});
        }>{st(S::Requeue)}</button>
        {move || requeue.value().get().map(|r| match r {
            Err(e) => view! { <p class="error" role="alert" data-testid="admin-error">{e.message}</p> }.into_any(),
            Ok(n) => view! { <p class="success" role="status" data-testid="admin-ok">{st(S::Requeued)} ": " {n}</p> }.into_any(),
        })}
        <Relocations/>
    }
    .into_any()
}

/// Each recent admin change's relocation: "handled 44 / 57 · moved 41 ·
/// changed by the citizen 2 …", the bookings that need a decision;
/// re-read every 5 s while the page is open (the job works meanwhile).
#[component]
fn Relocations() -> impl IntoView {
    let lang = crate::ui::lang::use_lang();
    let rows = resource(|| (), |_| crate::api::admin::admin_relocations());
    crate::ui::live::live(rows, || None, 5);
    view! {
        <h2>{st(S::Relocations)}</h2>
        <Suspense fallback=|| ()>
            {move || rows.get().map(|r| match r {
                Err(e) => refused(e),
                Ok(list) if list.is_empty() => view! {
                    <p class="empty" data-testid="relocations-none">{st(S::RelocationsNone)}</p>
                }.into_any(),
                Ok(list) => view! {
                    <ul class="list" data-testid="relocations">
                        {list.into_iter().map(|r| view! {
                            <li data-testid="relocation">
                                <strong>{crate::ui::components::when::long(&r.at, lang)}</strong>
                                " · " {r.center} " · " {r.reason}
                                <br/>
                                <span data-testid="relocation-progress">
                                    {st(S::RelDone)} ": " {r.total - r.pending} " / " {r.total}
                                    " · " {st(S::RelMoved)} ": " {r.moved}
                                    " · " {st(S::RelCancelled)} ": " {r.cancelled}
                                    " · " {st(S::RelChanged)} ": " {r.changed}
                                    " · " {st(S::RelPending)} ": " {r.pending}
                                </span>
                                {(r.failed > 0).then(|| view! {
                                    <p class="error" data-testid="relocation-needs-decision">
                                        {st(S::RelNeedsDecision)} ": " {r.failed} " — " {r.needs_decision.join(", ")}
                                    </p>
                                })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </Suspense>
    }
}

/// Draws (R12): open one at a center over chosen dates, set a center's
/// release mode, and the recent draws with their public records.
#[component]
fn DrawsTab() -> impl IntoView {
    use crate::api::admin::{AdminOpenDraw, AdminSetRelease, admin_centers, admin_draws};
    let lang = crate::ui::lang::use_lang();
    let open = ServerAction::<AdminOpenDraw>::new();
    let release = ServerAction::<AdminSetRelease>::new();
    let centers = resource(|| (), |_| admin_centers());
    let draws = resource(move || open.version().get(), |_| admin_draws());
    let center_options = move || {
        centers.get().and_then(Result::ok).map(|rows| {
            rows.into_iter()
                .filter(|c| c.active)
                .map(|c| view! { <option value=c.id.to_string()>{format!("{} · {}", c.name, c.city)}</option> })
                .collect_view()
        })
    };
    view! {
        <p class="note">{st(S::DrawsHelp)}</p>
        <h2>{st(S::OpenDraw)}</h2>
        <leptos::form::ActionForm action=open attr:class="stack" attr:data-testid="open-draw">
            <label>{st(S::Center)}
                <select name="center_id" required>
                    <Suspense fallback=|| ()>{center_options}</Suspense>
                </select>
            </label>
            <label>{st(S::DrawDates)} <input type="text" name="dates" required placeholder="2026-12-12, 2026-12-13"/></label>
            <label>{st(S::DrawWindow)} <input type="number" name="window_minutes" value="30" min="1" max="1440" required/></label>
            <button type="submit" class="button primary">{st(S::OpenDraw)}</button>
        </leptos::form::ActionForm>
        {move || open.value().get().map(|r| match r {
            Err(e) => view! { <p class="error" role="alert" data-testid="admin-error">{e.message}</p> }.into_any(),
            Ok(d) => view! {
                <p class="success" role="status" data-testid="admin-ok">
                    <a href=format!("/draws/{}", d.id)>{format!("№{}", d.id)}</a>
                </p>
            }.into_any(),
        })}
        <h2>{st(S::ReleaseMode)}</h2>
        <leptos::form::ActionForm action=release attr:class="stack" attr:data-testid="release-mode">
            <label>{st(S::Center)}
                <select name="center_id" required>
                    <Suspense fallback=|| ()>{center_options}</Suspense>
                </select>
            </label>
            <label>{st(S::ReleaseMode)}
                <select name="mode">
                    <option value="first_come">{st(S::ReleaseFirstCome)}</option>
                    <option value="draw">{st(S::ReleaseDraw)}</option>
                </select>
            </label>
            <label>{st(S::ReleaseTime)} <input {..crate::ui::components::when::time_field()} name="release_time" value="09:00" required/></label>
            <label>{st(S::DrawWindow)} <input type="number" name="window_minutes" value="30" min="1" max="1440" required/></label>
            <button type="submit" class="button">{st(S::Save)}</button>
        </leptos::form::ActionForm>
        {move || release.value().get().map(|r| match r {
            Err(e) => view! { <p class="error" role="alert" data-testid="admin-error">{e.message}</p> }.into_any(),
            Ok(v) => view! {
                <p class="success" role="status" data-testid="admin-ok">
                    {v.mode} " · " {v.release_time} {v.draw_from.map(|d| format!(" · {d}"))}
                </p>
            }.into_any(),
        })}
        <h2>{st(S::RecentDraws)}</h2>
        <Suspense fallback=|| ()>
            {move || draws.get().map(|r| match r {
                Err(e) => refused(e),
                Ok(list) => view! {
                    <ul class="list" data-testid="recent-draws">
                        {list.into_iter().map(|d| view! {
                            <li class="item">
                                <a href=format!("/draws/{}", d.id)>{format!("№{}", d.id)}</a>
                                <span>
                                    {crate::ui::lang::t(crate::ui::pages::draw::draw_status(&d.status))}
                                    " · " {d.dates.join(", ")}
                                </span>
                                <small class="note">
                                    {crate::ui::lang::t(crate::i18n::ui::T::DrawClosesAt)} ": "
                                    {crate::ui::components::when::long(&d.closes_at, lang)}
                                </small>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}
