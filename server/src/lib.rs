//! Kezek's HTTP server as a library, so tests can build the router.
//!
//! - [`cli`] — flags and environment.
//! - [`http`] — the JSON API (`/api/v1`), health, security headers.
//! - [`router`] — the whole app: Leptos pages + server functions + API.
#![recursion_limit = "512"]

pub mod cli;
pub mod http;
pub mod state;
pub mod telegram;

pub use state::AppState;

use std::sync::Arc;

use anyhow::Context;
use app::server::service::outbox::{self, DevGateway, Gateway, HttpSmsGateway, TelegramGateway};
use app::server::{boot, clock::SystemClock, config::Config, db, seed};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};

use cli::Cli;

pub fn init_tracing(dev: bool) {
    let default = if dev {
        "info,server=debug,app=debug"
    } else {
        "info"
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
}

/// Leptos options from our own flags (no Cargo.toml needed at run time).
pub fn leptos_options(site_root: &str, addr: std::net::SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("kezek")
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build()
}

/// The app's route list, generated once per process. Generating it sets
/// Leptos's process-global "suppress resource loads" flag while it renders
/// the app once, and a resource first polled meanwhile — a page being
/// rendered by another router of the same process, as in the tests, which
/// start many servers in one process — never resolves, so its response
/// never ends (leptos-rs/leptos#4773).
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

/// The whole application router.
pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let ctx_core = state.core.clone();
    let shell_opts = state.leptos_options.clone();
    let tls = state.config.secure_cookies;
    let router = Router::new()
        .merge(http::api_router())
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(ctx_core.clone()),
            move || app::shell(shell_opts.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(
            app::shell,
        ))
        .with_state(state.clone())
        .layer(axum::middleware::from_fn_with_state(
            state,
            http::v1::ratelimit::sfn_sign_in_limit,
        ))
        .layer(axum::middleware::from_fn(http::csrf::guard))
        .layer(axum::middleware::from_fn(http::page_csp));
    http::with_security_headers(router, tls)
        .layer(axum::middleware::from_fn(http::server_fn_status))
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(
            tower_http::trace::TraceLayer::new_for_http()
                .make_span_with(http::request_span::<axum::body::Body>),
        )
}

/// Dev mode shows sign-in codes on the page and serves the dev outbox: it
/// listens only on a loopback address unless `--dev-public` says the
/// exposure is meant (review L6).
pub fn check_dev_listen(cli: &Cli) -> anyhow::Result<()> {
    if cli.dev && !cli.listen.ip().is_loopback() && !cli.dev_public {
        anyhow::bail!(
            "--dev shows sign-in codes to anyone who can reach the server: listen on \
             127.0.0.1 (or ::1), or add --dev-public to expose a dev server on {}",
            cli.listen
        );
    }
    Ok(())
}

/// The core's configuration from the command line.
pub fn config_of(cli: &Cli) -> Config {
    Config {
        dev_mode: cli.dev,
        secure_cookies: cli.tls,
        otp_sends_per_hour: if cli.dev { 1000 } else { 5 },
        auth_requests_per_minute: cli.auth_rate_per_minute.unwrap_or(if cli.dev {
            100_000
        } else {
            30
        }),
        sms_codes_per_minute: cli.sms_codes_per_minute.unwrap_or(if cli.dev {
            1_000_000
        } else {
            300
        }),
        booking_writes_per_minute: cli.booking_rate_per_minute.unwrap_or(if cli.dev {
            100_000
        } else {
            20
        }),
        trusted_proxies: cli.trusted_proxy.clone(),
        vehicle_registry_url: cli.vehicle_registry_url.clone(),
        citizen_registry_url: cli.citizen_registry_url.clone(),
        citizen_registry_token: cli
            .citizen_registry_token
            .clone()
            .map(app::server::config::Secret),
        sms_gateway_url: cli.sms_gateway_url.clone(),
        telegram: cli.telegram_token.as_ref().map(|token| {
            app::server::service::telegram::TelegramSettings {
                api_url: cli.telegram_api_url.clone(),
                token: token.clone(),
                poll_timeout_secs: 25,
                webhook_base: cli.telegram_webhook_url.clone(),
            }
        }),
        whatsapp: match (&cli.whatsapp_phone_number_id, &cli.whatsapp_token) {
            (Some(id), Some(token)) => Some(app::server::service::outbox::WhatsAppSettings {
                api_url: cli.whatsapp_api_url.clone(),
                phone_number_id: id.clone(),
                token: app::server::config::Secret(token.clone()),
                app_secret: cli
                    .whatsapp_app_secret
                    .clone()
                    .map(app::server::config::Secret),
                verify_token: cli
                    .whatsapp_verify_token
                    .clone()
                    .map(app::server::config::Secret),
            }),
            _ => None,
        },
        live_max_secs: cli.live_max_secs,
        db_acquire_timeout: std::time::Duration::from_secs(cli.db_acquire_timeout),
        live_per_address: cli.live_per_address,
        ..Config::default()
    }
}

/// Connects, migrates, seeds (if asked) and builds the state
/// (`kezek_core::boot::open` plus the pages' options).
pub async fn build_state(
    cli: &Cli,
    clock: Arc<dyn app::server::clock::Clock>,
) -> anyhow::Result<AppState> {
    let opened = boot::open(
        boot::Options {
            database_url: cli.database_url.clone(),
            config: config_of(cli),
            seed_demo: cli.seed_demo,
            admin_password: cli.admin_password.clone(),
        },
        clock,
    )
    .await?;
    if let Some(generated) = opened.generated_admin_password {
        // Printed once, to the console only (not through the log pipeline).
        println!("Administrator account created: admin / {generated}  (shown once)");
    }
    // Live pages: on PostgreSQL, changes other processes publish reach
    // this process's streams (a no-op on SQLite).
    tokio::spawn(app::server::events::listen(
        opened.core.db.clone(),
        opened.core.events.clone(),
    ));
    Ok(AppState {
        leptos_options: leptos_options(&cli.site_root, cli.listen),
        core: opened.core,
    })
}

pub async fn migrate_only(cli: &Cli) -> anyhow::Result<()> {
    let conn = db::connect(&cli.database_url).await?;
    db::migrate(&conn).await?;
    println!("migrations applied");
    Ok(())
}

/// A refused import as the command prints it (the line-numbered text).
fn import_error(e: app::server::error::ServiceError) -> anyhow::Error {
    match e {
        app::server::error::ServiceError::BadRequest(b) => {
            anyhow::anyhow!(app::i18n::bad_input_message(&b, app::i18n::Lang::En))
        }
        other => anyhow::anyhow!("import failed: {other}"),
    }
}

/// `kezek import-vehicles FILE`: the same use case as
/// `POST /api/v1/admin/vehicles`.
pub async fn import_vehicles(cli: &Cli, file: &std::path::Path) -> anyhow::Result<()> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let conn = db::connect(&cli.database_url).await?;
    db::migrate(&conn).await?;
    let now = app::server::clock::Clock::now(&SystemClock).timestamp();
    let report = app::server::service::vehicles::import_csv_alone(&conn, &text, now)
        .await
        .map_err(import_error)?;
    println!("imported {} vehicle rows", report.imported);
    Ok(())
}

/// `kezek import-phones FILE [--replace]`: the same use case as
/// `POST /api/v1/admin/phones`.
pub async fn import_phones(cli: &Cli, file: &std::path::Path, replace: bool) -> anyhow::Result<()> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let conn = db::connect(&cli.database_url).await?;
    db::migrate(&conn).await?;
    let now = app::server::clock::Clock::now(&SystemClock).timestamp();
    let report = app::server::service::phones::import_csv_alone(&conn, &text, replace, now)
        .await
        .map_err(import_error)?;
    let how = if report.replaced {
        "replaced the table with"
    } else {
        "imported"
    };
    println!("{how} {} phone registrations", report.pairs);
    Ok(())
}

/// `kezek seed-catalog`: the catalog and centers, no people.
pub async fn seed_catalog(cli: &Cli) -> anyhow::Result<()> {
    let conn = db::connect(&cli.database_url).await?;
    db::migrate(&conn).await?;
    let now = app::server::clock::Clock::now(&SystemClock).timestamp();
    let seeded = seed::seed(&conn, now, seed::SeedParts::Catalog)
        .await
        .map_err(|e| anyhow::anyhow!("seeding the catalog: {e}"))?;
    conn.close().await.ok();
    match seeded {
        Some(s) => println!("seeded {} services and {} centers", s.services, s.centers),
        None => println!("the database has centers already; nothing seeded"),
    }
    Ok(())
}

/// `kezek verify-draw SOURCE`: reads a draw's public record (a file, `-`
/// for standard input, or the `GET /api/v1/draws/{id}` URL) and checks it
/// with `draws::order::verify`; an error (exit status 1) names the first
/// mismatch.
pub async fn verify_draw(source: &str) -> anyhow::Result<()> {
    let text = if source.starts_with("http://") || source.starts_with("https://") {
        reqwest::Client::new()
            .get(source)
            .send()
            .await?
            .error_for_status()?
            .text()
            .await?
    } else if source == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)?;
        s
    } else {
        std::fs::read_to_string(source)?
    };
    let record: kezek_wire::draws::DrawView = serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("not a draw record (GET /api/v1/draws/{{id}}): {e}"))?;
    let ok = app::server::service::draws::order::verify(&record)
        .map_err(|e| anyhow::anyhow!("draw {}: NOT VERIFIED: {e}", record.id))?;
    println!(
        "draw {}: verified. SHA-256 of the seed equals the commitment; the positions of all {} \
         requests are the order SHA-256(seed || public_id) gives; {} matched.",
        record.id, ok.requests, ok.matched
    );
    Ok(())
}

/// `kezek seed-load --centers N`: the demo catalog (if the database is
/// empty) plus generated load-test centers up to `total` centers.
pub async fn seed_load(cli: &Cli, total: u32) -> anyhow::Result<()> {
    let conn = db::connect(&cli.database_url).await?;
    db::migrate(&conn).await?;
    let now = app::server::clock::Clock::now(&SystemClock).timestamp();
    seed::seed_demo(&conn, now)
        .await
        .map_err(|e| anyhow::anyhow!("seeding demo data: {e}"))?;
    let have = seed::count_centers(&conn).await?;
    let missing = u64::from(total).saturating_sub(have);
    let missing = u32::try_from(missing).unwrap_or(u32::MAX);
    let count = seed::seed_load(&conn, missing)
        .await
        .map_err(|e| anyhow::anyhow!("seeding load-test centers: {e}"))?;
    conn.close().await.ok();
    println!("{count} centers in the database");
    Ok(())
}

/// The outbox worker's gateways for this configuration: SMS over HTTP
/// when a gateway URL is set, else the dev gateway in dev mode (else SMS
/// rows wait); Telegram through the Bot API when a token is set, else the
/// dev gateway in dev mode; WhatsApp through the Cloud API when a number
/// id and token are set, else the dev gateway in dev mode.
pub fn gateways(state: &AppState) -> anyhow::Result<Vec<Arc<dyn Gateway>>> {
    let cfg = &state.config;
    let mut out: Vec<Arc<dyn Gateway>> = Vec::new();
    match (&cfg.sms_gateway_url, cfg.dev_mode) {
        (Some(url), _) => out.push(Arc::new(
            HttpSmsGateway::new(url.clone()).context("SMS gateway client")?,
        )),
        (None, true) => out.push(Arc::new(DevGateway::new(outbox::SMS))),
        (None, false) => {
            tracing::warn!("no SMS gateway configured: SMS stay pending in the outbox")
        }
    }
    match (&cfg.telegram, cfg.dev_mode) {
        (Some(t), _) => out.push(Arc::new(TelegramGateway::new(
            t.api()
                .map_err(|e| anyhow::anyhow!("telegram client: {e}"))?,
        ))),
        (None, true) => out.push(Arc::new(DevGateway::new(outbox::TELEGRAM))),
        (None, false) => {}
    }
    match (&cfg.whatsapp, cfg.dev_mode) {
        (Some(w), _) => out.push(Arc::new(
            outbox::WhatsAppGateway::new(w).context("WhatsApp client")?,
        )),
        (None, true) => out.push(Arc::new(DevGateway::new(outbox::WHATSAPP))),
        // Rows wait until a gateway is configured (the cabinet offers
        // WhatsApp only when one is).
        (None, false) => {}
    }
    Ok(out)
}

/// Starts the outbox worker, the reminder job and (with a token) the
/// Telegram bot as tasks of this process.
pub fn spawn_background(state: &AppState) -> anyhow::Result<Vec<tokio::task::JoinHandle<()>>> {
    let mut tasks = Vec::new();
    let worker = outbox::Worker::new(state, gateways(state)?, state.config.outbox.clone());
    tasks.push(tokio::spawn(worker.run()));
    tasks.push(tokio::spawn(outbox::reminders::run(
        state.core.clone(),
        std::time::Duration::from_secs(state.config.reminder_interval_secs.max(1)),
    )));
    // Next year's national calendar, generated when the year turns (review
    // L11); hourly, a lookup of two rows when there is nothing to do.
    tasks.push(tokio::spawn(
        app::server::service::booking::schedule::keep_national_calendar(
            state.core.clone(),
            std::time::Duration::from_secs(3600),
        ),
    ));
    // Personal data kept only as long as it serves (docs/LOGGING.md).
    tasks.push(tokio::spawn(app::server::service::retention::run(
        state.core.clone(),
        std::time::Duration::from_secs(600),
    )));
    // Relocations a request left behind when it died (review M2).
    tasks.push(tokio::spawn(
        app::server::service::booking::relocation::run(
            state.core.clone(),
            std::time::Duration::from_secs(30),
        ),
    ));
    // Release draws opening and due draws run (R12), in whichever process
    // gets there first; exactly once per request (see the module).
    tasks.push(tokio::spawn(app::server::service::draws::run::job(
        state.core.clone(),
        std::time::Duration::from_secs(state.config.draw_interval_secs.max(1)),
    )));
    // The waiting list's sweep (R13): starts added by schedule changes,
    // entries whose dates have passed.
    tasks.push(tokio::spawn(app::server::service::waitlist::serve::job(
        state.core.clone(),
        std::time::Duration::from_secs(30),
    )));
    // Calendar looks for the fairness figures, added up once a minute.
    tasks.push(tokio::spawn(app::server::service::reports::looks::job(
        state.core.clone(),
        std::time::Duration::from_secs(60),
    )));
    // Automatic NoShow (R8); safe with several processes (see the module).
    tasks.push(tokio::spawn(app::server::service::desk::auto_no_show::run(
        state.core.clone(),
        std::time::Duration::from_secs(60),
    )));
    if let Some(t) = &state.config.telegram {
        let api = t
            .api()
            .map_err(|e| anyhow::anyhow!("telegram client: {e}"))?;
        match t.webhook_url() {
            Some(url) => {
                let secret = t.webhook_secret();
                tasks.push(tokio::spawn(async move {
                    match api.set_webhook(&url, &secret).await {
                        Ok(_) => tracing::info!("telegram bot: webhook registered"),
                        Err(e) => tracing::error!(error = %e, "telegram bot: setWebhook failed"),
                    }
                }));
            }
            None => tasks.push(tokio::spawn(telegram::run_polling(
                state.clone(),
                api,
                t.poll_timeout_secs,
            ))),
        }
    }
    Ok(tasks)
}

/// A clock that runs at real speed from a chosen start (dev mode only:
/// `KEZEK_DEV_NOW=2026-12-02T09:30:00+05:00`), so browser journeys that
/// need "a visit today" (check-in, call, serve) run at any wall time.
struct DevClock {
    offset: chrono::Duration,
}

impl app::server::clock::Clock for DevClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        app::server::clock::Clock::now(&SystemClock) + self.offset
    }
}

fn clock_for(cli: &Cli) -> anyhow::Result<Arc<dyn app::server::clock::Clock>> {
    match std::env::var("KEZEK_DEV_NOW") {
        Ok(at) if cli.dev && !at.trim().is_empty() => {
            let at = chrono::DateTime::parse_from_rfc3339(at.trim())
                .context("KEZEK_DEV_NOW must be RFC 3339")?
                .with_timezone(&chrono::Utc);
            let offset = at - app::server::clock::Clock::now(&SystemClock);
            tracing::warn!(%at, "dev clock: the server's time starts at KEZEK_DEV_NOW");
            Ok(Arc::new(DevClock { offset }))
        }
        _ => Ok(Arc::new(SystemClock)),
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    check_dev_listen(&cli)?;
    let state = build_state(&cli, clock_for(&cli)?).await?;
    let background = if cli.no_background {
        Vec::new()
    } else {
        spawn_background(&state)?
    };
    let listener = tokio::net::TcpListener::bind(cli.listen)
        .await
        .with_context(|| format!("binding {}", cli.listen))?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, dev = cli.dev, "Kezek listening");
    println!("Kezek is running at http://{addr}/");
    if cli.dev && cli.seed_demo {
        println!(
            "Demo sign-in: IIN 710313311868 with +7 701 123 45 67 (registered), or any \
             other valid IIN with a +7 7XX phone (dev mode binds the first phone); \
             the code is shown on the page in dev mode."
        );
        println!(
            "Demo staff: <center>-op1 / {pw}, <center>-admin / {pw} (e.g. ast-psc-yesil-op1)",
            pw = seed::DEMO_STAFF_PASSWORD
        );
    }
    // Connect info gives handlers the client address (sign-in rate limit).
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    // A delivery cut off here is retried by the next worker after its lease.
    for t in background {
        t.abort();
    }
    tracing::info!("Kezek stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutdown signal received, finishing requests");
}
