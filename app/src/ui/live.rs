//! Live pages (DOMAIN.md R8): a resource is re-read when the server says
//! that what it shows changed (server-sent events from `/live/...`, see
//! `server::http::live`), and polled only while that stream is down.
//!
//! One `EventSource` per URL and page, however many resources follow it
//! (the cabinet's bookings, draw requests and waiting entries share one
//! connection). While a stream is open `<body>` carries
//! `data-live="open"` (for browser tests and styles). Without
//! WebAssembly nothing here runs: the server renders current data and the
//! pages' forms keep working.
#[cfg(feature = "hydrate")]
use leptos::prelude::*;

use crate::ui::resource::Res;

/// Keeps `res` current: re-read on every change the stream at `url()`
/// announces (and when the stream opens or reopens, as changes may have
/// been missed); every `secs` seconds while the stream is not open. The
/// URL may change with the page's signals (`None`: no stream, poll).
pub fn live<T>(res: Res<T>, url: impl Fn() -> Option<String> + Send + Sync + 'static, secs: u64)
where
    T: Clone + Send + Sync + 'static + serde::Serialize + serde::de::DeserializeOwned,
{
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let (sub, open) = url()
            .and_then(|u| imp::subscribe(&u, move || res.refetch()))
            .unzip();
        let timer = set_interval_with_handle(
            move || {
                if !open.as_ref().is_some_and(|o| o.get()) {
                    res.refetch();
                }
            },
            std::time::Duration::from_secs(secs),
        )
        .ok();
        on_cleanup(move || {
            if let Some(t) = timer {
                t.clear();
            }
            if let Some(id) = sub {
                imp::unsubscribe(id);
            }
        });
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (res, url, secs);
}

#[cfg(feature = "hydrate")]
mod imp {
    use std::cell::{Cell, RefCell};
    use std::collections::HashMap;
    use std::rc::Rc;

    use wasm_bindgen::{JsCast, closure::Closure};

    type Callback = Rc<dyn Fn()>;

    /// One open `EventSource` and the resources following it.
    struct Shared {
        es: web_sys::EventSource,
        open: Rc<Cell<bool>>,
        subscribers: Rc<RefCell<Vec<(u64, Callback)>>>,
        _listeners: Vec<Closure<dyn FnMut(web_sys::Event)>>,
    }

    thread_local! {
        static STREAMS: RefCell<HashMap<String, Shared>> = RefCell::new(HashMap::new());
        /// Subscription id → its stream's URL.
        static SUBS: RefCell<HashMap<u64, String>> = RefCell::new(HashMap::new());
        static NEXT: Cell<u64> = const { Cell::new(1) };
    }

    /// Ends subscription `id`, closing its stream when nobody follows it
    /// any more.
    pub fn unsubscribe(id: u64) {
        let Some(url) = SUBS.with(|s| s.borrow_mut().remove(&id)) else {
            return;
        };
        STREAMS.with(|s| {
            let mut streams = s.borrow_mut();
            let empty = streams.get(&url).is_some_and(|sh| {
                sh.subscribers.borrow_mut().retain(|(x, _)| *x != id);
                sh.subscribers.borrow().is_empty()
            });
            if empty && let Some(sh) = streams.remove(&url) {
                sh.es.close();
                mark(false);
            }
        });
    }

    fn mark(open: bool) {
        if let Some(body) = leptos::prelude::document().body() {
            let _ = body.set_attribute("data-live", if open { "open" } else { "down" });
        }
    }

    fn notify(subs: &Rc<RefCell<Vec<(u64, Callback)>>>) {
        // Copy first: a callback may subscribe or unsubscribe.
        let cbs: Vec<Callback> = subs.borrow().iter().map(|(_, cb)| cb.clone()).collect();
        for cb in cbs {
            cb();
        }
    }

    /// Follows the stream at `url` (opening it if this page has none yet):
    /// the subscription's id and whether its stream is open now.
    pub fn subscribe(url: &str, on_change: impl Fn() + 'static) -> Option<(u64, Rc<Cell<bool>>)> {
        let id = NEXT.with(|n| n.replace(n.get() + 1));
        STREAMS.with(|s| {
            let mut streams = s.borrow_mut();
            if !streams.contains_key(url) {
                let es = web_sys::EventSource::new(url).ok()?;
                let open = Rc::new(Cell::new(false));
                let subscribers: Rc<RefCell<Vec<(u64, Callback)>>> = Rc::default();
                let mut listeners = Vec::new();
                let mut listen = |event: &str, f: Box<dyn FnMut(web_sys::Event)>| {
                    let cb = Closure::wrap(f);
                    es.add_event_listener_with_callback(event, cb.as_ref().unchecked_ref())
                        .ok()?;
                    listeners.push(cb);
                    Some(())
                };
                let (o, subs) = (open.clone(), subscribers.clone());
                listen(
                    "ready",
                    Box::new(move |_| {
                        o.set(true);
                        mark(true);
                        notify(&subs);
                    }),
                )?;
                let subs = subscribers.clone();
                listen("change", Box::new(move |_| notify(&subs)))?;
                // The browser reconnects by itself; poll meanwhile.
                let o = open.clone();
                listen(
                    "error",
                    Box::new(move |_| {
                        o.set(false);
                        mark(false);
                    }),
                )?;
                streams.insert(
                    url.to_owned(),
                    Shared {
                        es,
                        open,
                        subscribers,
                        _listeners: listeners,
                    },
                );
            }
            let sh = streams.get(url)?;
            sh.subscribers.borrow_mut().push((id, Rc::new(on_change)));
            SUBS.with(|s| s.borrow_mut().insert(id, url.to_owned()));
            Some((id, sh.open.clone()))
        })
    }
}
