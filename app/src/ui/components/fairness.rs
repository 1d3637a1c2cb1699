//! The fairness figures drawn for people: the regions' charts (SVG) and a
//! table of rows, shared by the public page `/fairness` and the staff
//! report (one center's row).
use leptos::prelude::*;

use crate::i18n::ui::T;
use crate::ui::lang::t;
use kezek_wire::fairness::FairnessRow;

fn pct(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.1} %")).unwrap_or_else(|| "—".into())
}

/// Days to the first free time, or why there is no figure.
fn days(v: Option<u32>, r: &FairnessRow) -> String {
    match v {
        Some(d) => format!("{d} {}", t(T::FairDaysUnit)),
        None if r.looks > 0 => t(T::FairBeyond).to_owned(),
        None => "—".into(),
    }
}

fn hours(min: Option<i64>) -> String {
    min.map(|m| format!("{:.1} {}", m as f64 / 60.0, t(T::FairHoursUnit)))
        .unwrap_or_else(|| "—".into())
}

/// A table of rows: regions (`centers = false`) or centers.
#[component]
pub fn FairTable(rows: Vec<FairnessRow>, centers: bool, testid: &'static str) -> impl IntoView {
    let label = if centers {
        T::FairCenters
    } else {
        T::FairRegions
    };
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=t(label)>
            <table class="desk fair" data-testid=testid>
                <thead><tr>
                    <th scope="col">{t(if centers { T::FairCenter } else { T::FairRegion })}</th>
                    <th scope="col">{t(T::FairMedian)}</th>
                    <th scope="col">{t(T::FairP90)}</th>
                    <th scope="col">{t(T::FairLooks)}</th>
                    <th scope="col">{t(T::FairBooked)}</th>
                    <th scope="col">{t(T::FairViaDraw)}</th>
                    <th scope="col">{t(T::FairViaWaitlist)}</th>
                    <th scope="col">{t(T::FairFirstCome)}</th>
                    <th scope="col">{t(T::FairServed)}</th>
                    <th scope="col">{t(T::FairWaitMedian)}</th>
                    <th scope="col">{t(T::FairNoShows)}</th>
                    <th scope="col">{t(T::FairDraws)}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let name = if centers && !r.city.is_empty() {
                            format!("{} ({})", r.name, r.city)
                        } else {
                            r.name.clone()
                        };
                        view! {
                            <tr>
                                <th scope="row">{name}</th>
                                <td>{days(r.days_median, &r)}</td>
                                <td>{days(r.days_p90, &r)}</td>
                                <td>{r.looks}</td>
                                <td>{r.booked}</td>
                                <td>{pct(r.draw_pct())}</td>
                                <td>{pct(r.waitlist_pct())}</td>
                                <td>{pct(r.first_come_pct())}</td>
                                <td>{r.waitlist_served}</td>
                                <td>{hours(r.waitlist_median_min)}</td>
                                <td>{pct(r.no_show_pct())}</td>
                                <td>{r.draws}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Horizontal bars per row: the median days (dark) and the 90th
/// percentile (light) to the first free time, on a scale up to the
/// horizon.
pub fn days_chart(rows: &[FairnessRow], horizon: u32) -> impl IntoView + use<> {
    let (w, row_h, label_w, pad) = (640.0_f64, 30.0_f64, 150.0_f64, 8.0_f64);
    let h = pad * 2.0 + row_h * rows.len().max(1) as f64;
    let max = rows
        .iter()
        .filter_map(|r| r.days_p90)
        .max()
        .unwrap_or(0)
        .max(horizon)
        .max(1) as f64;
    let scale = (w - label_w - pad * 2.0 - 60.0) / max;
    let bars = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let y = pad + row_h * i as f64;
            let med = r.days_median.map(f64::from);
            let p90 = r.days_p90.map(f64::from);
            let text = format!(
                "{}: {} {} / {} {}",
                r.name,
                t(T::FairMedian),
                days(r.days_median, r),
                t(T::FairP90),
                days(r.days_p90, r)
            );
            let value = match (r.days_median, r.days_p90) {
                (Some(m), Some(p)) => format!("{m} / {p}"),
                (Some(m), None) => format!("{m} / >{horizon}"),
                _ if r.looks > 0 => format!(">{horizon}"),
                _ => "—".into(),
            };
            let end = label_w + p90.or(med).map(|v| v * scale).unwrap_or(0.0) + 6.0;
            view! {
                <g>
                    <title>{text}</title>
                    <text x=format!("{:.1}", label_w - 6.0) y=format!("{:.1}", y + row_h * 0.6) text-anchor="end">{r.name.clone()}</text>
                    {p90.map(|p| view! {
                        <rect class="bar-c" x=label_w y=format!("{:.1}", y + 4.0) width=format!("{:.1}", (p * scale).max(1.0)) height=format!("{:.1}", row_h - 8.0)/>
                    })}
                    {med.map(|m| view! {
                        <rect class="bar-b" x=label_w y=format!("{:.1}", y + 9.0) width=format!("{:.1}", (m * scale).max(1.0)) height=format!("{:.1}", row_h - 18.0)/>
                    })}
                    <text x=format!("{end:.1}") y=format!("{:.1}", y + row_h * 0.6)>{value}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="chart" viewBox=format!("0 0 {w} {h}") role="img" aria-label=t(T::FairDaysChart) data-testid="fair-days-chart">
            <line x1=label_w y1=pad x2=label_w y2=h - pad class="axis"/>
            {bars}
        </svg>
        <p class="legend"><span class="key-b"></span> {t(T::FairMedian)} " " <span class="key-c"></span> {t(T::FairP90)}</p>
    }
}

/// A 100 % bar per row: bookings by draw, waiting list, first come.
pub fn share_chart(rows: &[FairnessRow]) -> impl IntoView + use<> {
    let (w, row_h, label_w, pad) = (640.0_f64, 30.0_f64, 150.0_f64, 8.0_f64);
    let h = pad * 2.0 + row_h * rows.len().max(1) as f64;
    let span = w - label_w - pad;
    let bars = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let y = pad + row_h * i as f64 + 4.0;
            let total = f64::from(r.booked.max(1));
            let parts = [
                ("share-draw", r.via_draw),
                ("share-wait", r.via_waitlist),
                ("share-first", r.first_come),
            ];
            let mut x = label_w;
            let segs = parts
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .map(|(class, n)| {
                    let len = span * f64::from(n) / total;
                    let at = x;
                    x += len;
                    view! { <rect class=class x=format!("{at:.1}") y=format!("{y:.1}") width=format!("{len:.1}") height=format!("{:.1}", row_h - 8.0)/> }
                })
                .collect_view();
            let text = format!(
                "{}: {} {} · {} {} · {} {}",
                r.name,
                t(T::FairViaDraw),
                pct(r.draw_pct()),
                t(T::FairViaWaitlist),
                pct(r.waitlist_pct()),
                t(T::FairFirstCome),
                pct(r.first_come_pct())
            );
            view! {
                <g>
                    <title>{text}</title>
                    <text x=format!("{:.1}", label_w - 6.0) y=format!("{:.1}", y + row_h * 0.45) text-anchor="end">{r.name.clone()}</text>
                    {segs}
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="chart" viewBox=format!("0 0 {w} {h}") role="img" aria-label=t(T::FairShareChart) data-testid="fair-share-chart">
            {bars}
        </svg>
        <p class="legend">
            <span class="key-draw"></span> {t(T::FairViaDraw)} " "
            <span class="key-wait"></span> {t(T::FairViaWaitlist)} " "
            <span class="key-first"></span> {t(T::FairFirstCome)}
        </p>
    }
}
