//! `/staff/reports?from=YYYY-MM-DD&to=YYYY-MM-DD`: the center's report —
//! a table, a hand-written SVG bar chart (bookings and check-ins per day)
//! and a CSV download (built from the same figures, as a `data:` link);
//! under it the center's fairness figures over the same range.
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::staff::{Report, ReportDay, staff_me, staff_report};
use crate::i18n::staff::S;
use crate::i18n::ui::T;
use crate::ui::components::fairness::FairTable;
use crate::ui::lang::t;
use crate::ui::resource::resource;

use super::{CenterPicker, StaffBar, refused, st};

fn pct(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.1}")).unwrap_or_else(|| "—".into())
}

fn mins(s: Option<i64>) -> String {
    s.map(|s| format!("{:.1}", s as f64 / 60.0))
        .unwrap_or_else(|| "—".into())
}

/// Percent-encodes everything but unreserved characters (for a `data:`
/// URL).
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Two bars per day (dark `a`, light `b`), scaled to the larger maximum,
/// with the exact figures in each bar's tooltip.
fn chart(
    r: &Report,
    label: S,
    (la, a): (S, fn(&ReportDay) -> f64),
    (lb, b): (S, fn(&ReportDay) -> f64),
    testid: &'static str,
) -> impl IntoView + use<> {
    let n = r.days.len().max(1) as f64;
    let (w, h, pad) = (640.0_f64, 200.0_f64, 20.0_f64);
    let max = r
        .days
        .iter()
        .map(|d| a(d).max(b(d)))
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let slot = (w - 2.0 * pad) / n;
    let bar = (slot * 0.4).max(1.0);
    let bars = r
        .days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let x = pad + slot * i as f64;
            let (va, vb) = (a(d), b(d));
            let ha = (h - 2.0 * pad) * va / max;
            let hb = (h - 2.0 * pad) * vb / max;
            let day = d.date.get(8..10).unwrap_or("").to_owned();
            view! {
                <g>
                    <title>{format!("{}: {} {va:.1} / {} {vb:.1}", d.date, st(la), st(lb))}</title>
                    <rect class="bar-b" x=format!("{x:.1}") y=format!("{:.1}", h - pad - ha) width=format!("{bar:.1}") height=format!("{ha:.1}")/>
                    <rect class="bar-c" x=format!("{:.1}", x + bar) y=format!("{:.1}", h - pad - hb) width=format!("{bar:.1}") height=format!("{hb:.1}")/>
                    <text x=format!("{:.1}", x + bar) y=format!("{:.1}", h - 4.0) text-anchor="middle">{day}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="chart" viewBox=format!("0 0 {w} {h}") role="img" aria-label=st(label) data-testid=testid>
            <line x1=pad y1=h - pad x2=w - pad y2=h - pad class="axis"/>
            {bars}
        </svg>
        <p class="legend"><span class="key-b"></span> {st(la)} " " <span class="key-c"></span> {st(lb)}</p>
    }
    .into_any()
}

fn minutes(s: Option<i64>) -> f64 {
    s.map(|s| s as f64 / 60.0).unwrap_or(0.0)
}

/// The range picker, showing the range the report is for (the last 30
/// days when none was asked).
fn range_form(center: Option<i64>, from: String, to: String) -> impl IntoView {
    view! {
        <form method="get" action="/staff/reports" class="row">
            {center.map(|c| view! { <input type="hidden" name="center" value=c.to_string()/> })}
            <label>{st(S::From)} " " <input type="date" name="from" required value=from/></label>
            <label>{st(S::To)} " " <input type="date" name="to" required value=to/></label>
            <button type="submit" class="button primary">{st(S::Show)}</button>
        </form>
    }
}

#[component]
pub fn Reports() -> impl IntoView {
    let query = use_query_map();
    let range = move || {
        let q = query.read();
        match (q.get("from"), q.get("to")) {
            (Some(f), Some(t)) if !f.is_empty() && !t.is_empty() => Some((f, t)),
            _ => None,
        }
    };
    let center = query
        .read_untracked()
        .get("center")
        .and_then(|c| c.parse::<i64>().ok());
    let me = resource(|| (), |_| staff_me());
    // Without a range: the last 30 days (the server's today).
    let report = resource(range, move |r| async move {
        let (f, t) = r.unwrap_or_default();
        staff_report(f, t, center).await
    });
    view! {
        <section class="card staff">
            <Suspense fallback=|| ()>
                {move || me.get().map(|r| match r {
                    Err(e) => refused(e),
                    Ok(me) => {
                        let pick = me.center_id.is_none();
                        view! {
                            <StaffBar me=me/>
                            {pick.then(|| view! { <CenterPicker action="/staff/reports" current=center/> })}
                        }.into_any()
                    }
                })}
            </Suspense>
            <h1>{st(S::Reports)}</h1>
            <Suspense fallback=|| view! { <p aria-busy="true">"…"</p> }>
                {move || report.get().map(|r| match r {
                    Err(e) => {
                        let (f, t) = range().unwrap_or_default();
                        view! { {range_form(center, f, t)} {refused(e)} }.into_any()
                    }
                    Ok(r) => {
                        let csv = format!("data:text/csv;charset=utf-8,{}", encode(&r.to_csv()));
                        let file = format!("kezek-report-{}-{}-{}.csv", r.center_id, r.from, r.to);
                        view! {
                            {range_form(center, r.from.clone(), r.to.clone())}
                            <p class="note">{r.center_name.clone()} " · " {r.from.clone()} " — " {r.to.clone()}</p>
                            <h2>{st(S::Chart)}</h2>
                            {chart(&r, S::Chart, (S::Bookings, |d| f64::from(d.bookings)), (S::CheckIns, |d| f64::from(d.check_ins)), "chart")}
                            <h2>{st(S::ChartTimes)}</h2>
                            {chart(&r, S::ChartTimes, (S::AvgWait, |d| minutes(d.avg_wait_s)), (S::AvgService, |d| minutes(d.avg_service_s)), "chart-times")}
                            <p><a class="button" href=csv download=file rel="external" data-testid="csv">{st(S::Csv)}</a></p>
                            <div class="table-wrap" tabindex="0" role="region" aria-label=st(S::Reports)>
                            <table class="desk" data-testid="report-table">
                                <thead><tr>
                                    <th scope="col">{st(S::Date)}</th>
                                    <th scope="col">{st(S::Bookings)}</th>
                                    <th scope="col">{st(S::Cancelled)}</th>
                                    <th scope="col">{st(S::CheckIns)}</th>
                                    <th scope="col">{st(S::NoShows)}</th>
                                    <th scope="col">{st(S::NoShowRate)}</th>
                                    <th scope="col">{st(S::WalkIns)}</th>
                                    <th scope="col">{st(S::ServedN)}</th>
                                    <th scope="col">{st(S::AvgWait)}</th>
                                    <th scope="col">{st(S::AvgService)}</th>
                                    <th scope="col">{st(S::Utilization)}</th>
                                </tr></thead>
                                <tbody>
                                    {r.days.iter().chain(std::iter::once(&r.total)).map(|d| view! {
                                        <tr>
                                            <th scope="row">{if d.date == "total" { st(S::Total).to_owned() } else { d.date.clone() }}</th>
                                            <td>{d.bookings}</td>
                                            <td>{d.cancelled}</td>
                                            <td>{d.check_ins}</td>
                                            <td>{d.no_shows}</td>
                                            <td>{pct(d.no_show_pct())}</td>
                                            <td>{d.walk_ins}</td>
                                            <td>{d.served}</td>
                                            <td>{mins(d.avg_wait_s)}</td>
                                            <td>{mins(d.avg_service_s)}</td>
                                            <td>{pct(d.utilization_pct())}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            </div>
                            {r.fairness.clone().map(|row| view! {
                                <h2>{t(T::FairTitle)}</h2>
                                <FairTable rows=vec![row] centers=true testid="report-fairness"/>
                                <p class="note"><a href="/fairness">{t(T::FairLink)}</a></p>
                            })}
                        }.into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}
