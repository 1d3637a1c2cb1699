//! The public fairness page (`/fairness`, no sign-in, no personal data):
//! per region and center over the last 30 days, time to the first free
//! time, how bookings were given (draw, waiting list, first come), the
//! waiting list's speed, no-shows, and the draws run — charts as SVG, the
//! same figures as CSV (`/fairness.csv`) and JSON (`/api/v1/fairness`).
use leptos::prelude::*;

use crate::api::catalog::public_fairness;
use crate::i18n::ui::T;
use crate::ui::components::fairness::{FairTable, days_chart, share_chart};
use crate::ui::components::when::long;
use crate::ui::lang::{t, use_lang};
use crate::ui::resource::resource;

#[component]
pub fn FairnessPage() -> impl IntoView {
    let figures = resource(|| (), |_| public_fairness());
    let lang = use_lang();
    view! {
        <section class="card fairness">
            <h1>{t(T::FairTitle)}</h1>
            <p class="lead">{t(T::FairIntro)}</p>
            <Suspense fallback=|| view! { <p aria-busy="true">{t(T::Loading)}</p> }>
                {move || figures.get().map(|r| match r {
                    Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                    Ok(f) => {
                        let draws = f.draws.clone();
                        view! {
                            <p class="note" data-testid="fair-period">
                                {t(T::FairPeriod)} ": " {f.from.clone()} " — " {f.to.clone()}
                            </p>
                            <p>
                                {t(T::FairDownload)} ": "
                                <a href="/fairness.csv" rel="external" data-testid="fair-csv">"CSV"</a>
                                " · "
                                <a href="/api/v1/fairness" rel="external">"JSON"</a>
                            </p>
                            <h2>{t(T::FairDaysChart)}</h2>
                            <p class="note">{t(T::FairDaysHint)}</p>
                            {days_chart(&f.regions, f.horizon_days)}
                            <h2>{t(T::FairShareChart)}</h2>
                            {share_chart(&f.regions)}
                            <h2>{t(T::FairRegions)}</h2>
                            <FairTable rows=f.regions.clone() centers=false testid="fair-regions"/>
                            <h2>{t(T::FairCenters)}</h2>
                            <FairTable rows=f.centers.clone() centers=true testid="fair-centers"/>
                            <h2>{t(T::FairDraws)}</h2>
                            {if draws.is_empty() {
                                view! { <p class="note">{t(T::FairNoDraws)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="list" data-testid="fair-draws">
                                        {draws.into_iter().map(|d| view! {
                                            <li>
                                                <a href=format!("/draws/{}", d.id)>{t(T::DrawTitle)} " №" {d.id.clone()}</a>
                                                " · " {long(&d.ran_at, lang)}
                                                " · " {d.centers.join(", ")}
                                                " · " {d.dates.join(", ")}
                                                " · " {t(T::FairRequests)} ": " {d.requests}
                                                " · " {t(T::FairMatched)} ": " {d.matched}
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            <p class="note">{t(T::FairHow)}</p>
                        }
                            .into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}
