//! A draw's public record (`/draws/{id}`, no sign-in, no personal data):
//! status, the commitment from the opening, the seed once run, every
//! request by its public id in the draw's order with its outcome, and how
//! to recompute the order (`kezek verify-draw`).
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::draws::public_draw;
use crate::i18n::ui::T;
use crate::ui::components::when::long;
use crate::ui::lang::{t, use_lang};
use crate::ui::resource::resource;

/// The draw's status in words.
pub fn draw_status(s: &str) -> T {
    match s {
        "open" => T::DrawOpen,
        "running" => T::DrawRunning,
        _ => T::DrawDone,
    }
}

/// A request's outcome in words.
pub fn request_status(s: &str) -> T {
    match s {
        "matched" => T::DrawStatusMatched,
        "unmatched" => T::DrawStatusUnmatched,
        "withdrawn" => T::DrawStatusWithdrawn,
        _ => T::DrawStatusPending,
    }
}

#[component]
pub fn DrawPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let rec = resource(id, public_draw);
    let lang = use_lang();
    view! {
        <section class="card">
            <Suspense fallback=|| view! { <p aria-busy="true">{t(T::Loading)}</p> }>
                {move || rec.get().map(|r| match r {
                    Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                    Ok(d) => {
                        let json = format!("/api/v1/draws/{}", d.id);
                        let status = draw_status(&d.status);
                        view! {
                            <h1>{t(T::DrawTitle)} " №" {d.id.clone()}</h1>
                            <p>
                                <span class=format!("status st-{}", d.status) data-testid="draw-status">{t(status)}</span>
                                " · " {d.dates.join(", ")}
                            </p>
                            <dl class="facts">
                                <dt>{t(T::DrawClosesAt)}</dt>
                                <dd>{long(&d.closes_at, lang)}</dd>
                                <dt>{t(T::DrawCommitment)}</dt>
                                <dd><code class="hash" data-testid="commitment">{d.commitment.clone()}</code></dd>
                                <dt>{t(T::DrawSeed)}</dt>
                                <dd>
                                    {match d.seed.clone() {
                                        Some(s) => view! { <code class="hash" data-testid="seed">{s}</code> }.into_any(),
                                        None => view! { <em>{t(T::DrawSeedLater)}</em> }.into_any(),
                                    }}
                                </dd>
                            </dl>
                            <p class="note">{t(T::DrawHow)}</p>
                            <ol class="list draw-order" data-testid="draw-order">
                                {d.requests.into_iter().map(|r| view! {
                                    <li>
                                        {r.position.map(|p| view! { <strong>{p}". "</strong> })}
                                        <code class="hash">{r.public_id}</code>
                                        " — " {t(request_status(&r.outcome))}
                                    </li>
                                }).collect_view()}
                            </ol>
                            <p><a href=json>"JSON"</a></p>
                        }
                            .into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}

/// A waiting entry's status in words.
pub fn wait_status(s: &str) -> T {
    match s {
        "served" => T::WaitStatusServed,
        "left" => T::WaitStatusLeft,
        "expired" => T::WaitStatusExpired,
        _ => T::WaitStatusWaiting,
    }
}
