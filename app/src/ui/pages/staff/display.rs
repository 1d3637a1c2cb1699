//! `/display/{center_id}`: the hall screen. No sign-in (it shows ticket
//! numbers and windows only). The last calls, newest first and largest,
//! in Kazakh and Russian side by side; refreshed every 3 seconds.
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::staff::hall_board;
use crate::i18n::Lang;
use crate::i18n::staff::window_call;
use crate::ui::live::live;
use crate::ui::resource::resource;

#[component]
pub fn Display() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("center_id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let board = resource(id, hall_board);
    live(board, move || Some(format!("/live/center/{}", id())), 3);
    view! {
        <div class="hall" data-testid="hall">
            <Suspense fallback=|| ()>
                {move || board.get().map(|r| match r {
                    Err(e) => view! { <p class="hall-error" role="alert">{e.message}</p> }.into_any(),
                    Ok(b) => view! {
                        <header class="hall-head">
                            <span lang="kk">{b.center_kk.clone()}</span>
                            <span lang="ru">{b.center_ru.clone()}</span>
                        </header>
                        <ol class="hall-calls" aria-live="polite" data-testid="hall-calls">
                            {b.calls.into_iter().enumerate().map(|(i, c)| view! {
                                <li class:first=i == 0 class:waiting=c.waiting data-testid="hall-call">
                                    <span class="hall-ticket">{c.ticket.clone()}</span>
                                    <span class="hall-arrow" aria-hidden="true">"→"</span>
                                    <span class="hall-window">{c.window}</span>
                                    <span class="hall-text">
                                        <span lang="kk">{window_call(Lang::Kk, &c.ticket, c.window)}</span>
                                        <span lang="ru">{window_call(Lang::Ru, &c.ticket, c.window)}</span>
                                    </span>
                                </li>
                            }).collect_view()}
                        </ol>
                    }.into_any(),
                })}
            </Suspense>
        </div>
    }
}
