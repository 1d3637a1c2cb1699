//! Command line and environment configuration.
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Kezek — booking visits to Kazakhstan's Public Service Centers.
///
/// Every flag can also be given as an environment variable (shown in
/// brackets). Without a DATABASE_URL the server keeps its data in a SQLite
/// file under ./data/.
#[derive(Parser, Debug, Clone)]
#[command(name = "kezek", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Database: sqlite://path/to/file.db or postgres://user@host/db
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/kezek.db",
        global = true
    )]
    pub database_url: String,

    /// Address to listen on
    #[arg(long, env = "KEZEK_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,

    /// Dev mode: SMS go to a dev outbox readable over the API and shown on the
    /// sign-in page; generous rate limits. Never use in production.
    #[arg(long, env = "KEZEK_DEV", global = true)]
    pub dev: bool,

    /// Seed the demo catalog (centers, services, windows, staff, vehicles)
    /// into an empty database at start.
    #[arg(long, env = "KEZEK_SEED_DEMO")]
    pub seed_demo: bool,

    /// Password for the `admin` account (10 to 200 characters), set when
    /// the account is first created; prefer the environment variable (a
    /// command-line value is visible in `ps`). If absent, one is generated
    /// and printed once.
    #[arg(long, env = "KEZEK_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: Option<String>,

    /// Directory with the built site (pkg/kezek.js, kezek.wasm, kezek.css)
    #[arg(long, env = "KEZEK_SITE_ROOT", default_value = "target/site")]
    pub site_root: String,

    /// Let a dev-mode server listen on a non-loopback address (dev mode
    /// shows sign-in codes on the page: never on a public server)
    #[arg(long)]
    pub dev_public: bool,

    /// Mark cookies Secure (and name the session cookie
    /// `__Host-kezek_session`) and send HSTS: set it whenever browsers reach
    /// Kezek over HTTPS, a TLS-terminating proxy included
    #[arg(long, env = "KEZEK_TLS")]
    pub tls: bool,

    /// Sign-in requests (citizen codes, staff login) one client address may
    /// make per minute [default: 30; 100000 in dev mode]. Bookings are never
    /// capped per address.
    #[arg(long, env = "KEZEK_AUTH_RATE_PER_MINUTE")]
    pub auth_rate_per_minute: Option<u32>,

    /// Booking writes (book, reschedule, cancel) one citizen may make per
    /// minute [default: 20; 100000 in dev mode]
    #[arg(long, env = "KEZEK_BOOKING_RATE_PER_MINUTE")]
    pub booking_rate_per_minute: Option<u32>,

    /// A reverse proxy in front of Kezek whose `X-Forwarded-For` is
    /// believed (repeat the flag or separate with commas). Unset: the TCP
    /// peer is the client for the per-address limits.
    #[arg(long, env = "KEZEK_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxy: Vec<std::net::IpAddr>,

    /// Base URL of an external vehicle registry. Unset: the registry is the
    /// `vehicles` table (filled by `import-vehicles`). The HTTP adapter is a
    /// stub so far: lookups through it fail.
    #[arg(long, env = "KEZEK_VEHICLE_REGISTRY_URL")]
    pub vehicle_registry_url: Option<String>,

    /// Base URL of an external mobile-citizens registry (R11), spoken to
    /// by the JSON contract in docs/REGISTRIES.md. Unset: the registry is
    /// the `citizen_phones` table (filled by `import-phones`).
    #[arg(long, env = "KEZEK_CITIZEN_REGISTRY_URL")]
    pub citizen_registry_url: Option<String>,

    /// Bearer token for the external mobile-citizens registry
    #[arg(long, env = "KEZEK_CITIZEN_REGISTRY_TOKEN", hide_env_values = true)]
    pub citizen_registry_token: Option<String>,

    /// Sign-in codes (SMS) the deployment may send per minute, all
    /// citizens together [default: 300; 1000000 in dev mode]
    #[arg(long, env = "KEZEK_SMS_CODES_PER_MINUTE")]
    pub sms_codes_per_minute: Option<u32>,

    /// Telegram bot token. Set: the bot runs in this process (long
    /// polling) and notifications also go to linked chats. Run the bot in
    /// one process only (Telegram allows one poller per token).
    #[arg(long, env = "KEZEK_TELEGRAM_TOKEN", hide_env_values = true)]
    pub telegram_token: Option<String>,

    /// Base URL of the Telegram Bot API (tests point it at a fake server)
    #[arg(
        long,
        env = "KEZEK_TELEGRAM_API_URL",
        default_value = "https://api.telegram.org"
    )]
    pub telegram_api_url: String,

    /// Telegram webhook mode: this server's public base URL (e.g.
    /// https://kezek.example.kz). Set: the bot registers
    /// <URL>/telegram/webhook/<secret> with setWebhook instead of polling.
    #[arg(long, env = "KEZEK_TELEGRAM_WEBHOOK_URL")]
    pub telegram_webhook_url: Option<String>,

    /// WhatsApp Business Cloud API: the sending number's id. Set together
    /// with --whatsapp-token: citizens may choose WhatsApp for their
    /// notices in the cabinet (docs/NOTIFICATIONS.md).
    #[arg(long, env = "KEZEK_WHATSAPP_PHONE_NUMBER_ID")]
    pub whatsapp_phone_number_id: Option<String>,

    /// WhatsApp Business Cloud API access token (a system user's)
    #[arg(long, env = "KEZEK_WHATSAPP_TOKEN", hide_env_values = true)]
    pub whatsapp_token: Option<String>,

    /// The Meta app's secret: delivery receipts posted to
    /// /whatsapp/webhook are accepted only with its signature
    #[arg(long, env = "KEZEK_WHATSAPP_APP_SECRET", hide_env_values = true)]
    pub whatsapp_app_secret: Option<String>,

    /// The verify token entered when registering /whatsapp/webhook with Meta
    #[arg(long, env = "KEZEK_WHATSAPP_VERIFY_TOKEN", hide_env_values = true)]
    pub whatsapp_verify_token: Option<String>,

    /// Base URL of the Graph API, with its version (tests point it at a
    /// fake server)
    #[arg(
        long,
        env = "KEZEK_WHATSAPP_API_URL",
        default_value = "https://graph.facebook.com/v21.0"
    )]
    pub whatsapp_api_url: String,

    /// SMS provider endpoint (POST JSON {"id","to","text"} with an
    /// Idempotency-Key header). Unset: in dev mode SMS are only shown in the
    /// dev outbox; otherwise they wait in the outbox until one is set.
    #[arg(long, env = "KEZEK_SMS_GATEWAY_URL")]
    pub sms_gateway_url: Option<String>,

    /// How long one live stream (/live/...) lasts before the server ends
    /// it, seconds; browsers reconnect by themselves
    #[arg(long, env = "KEZEK_LIVE_MAX_SECS", default_value_t = 1800)]
    pub live_max_secs: u64,

    /// Live streams (/live/...) one client address may hold open at once;
    /// more are refused with 429 (raise it for many hall displays behind
    /// one NAT address)
    #[arg(long, env = "KEZEK_LIVE_PER_ADDRESS", default_value_t = 200,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=1_000_000))]
    pub live_per_address: usize,

    /// Seconds a request waits for a database connection before it is
    /// answered 503 `unavailable` with Retry-After (e.g. while the database
    /// fails over)
    #[arg(long, env = "KEZEK_DB_ACQUIRE_TIMEOUT", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=300))]
    pub db_acquire_timeout: u64,

    /// Do not run the outbox worker, the reminder job or the bot in this
    /// process (e.g. extra web-only processes; any number of processes may
    /// run the worker and the reminder job safely).
    #[arg(long, env = "KEZEK_NO_BACKGROUND")]
    pub no_background: bool,
}

#[derive(Subcommand, Debug, Clone)]
pub enum Command {
    /// Run the web server (the default)
    Serve,
    /// Apply database migrations and exit
    Migrate,
    /// Import the vehicle registry from a CSV file (header line
    /// `plate,vin,owner_iin`; rows upsert by VIN) and exit. A bad line
    /// rejects the whole file.
    ImportVehicles {
        /// The CSV file
        file: PathBuf,
    },
    /// Import the mobile-citizens registry (DOMAIN.md R11) from a CSV file
    /// (header line `iin,phone`; rows add pairs) and exit. A bad line
    /// rejects the whole file.
    ImportPhones {
        /// The CSV file
        file: PathBuf,
        /// Replace the whole table instead of adding to it
        #[arg(long)]
        replace: bool,
    },
    /// Seed the service catalog and the demo centers (windows, hours) into
    /// an empty database, without any account, vehicle or phone, and exit
    /// (for production; `--seed-demo` adds demo people in dev mode).
    SeedCatalog,
    /// Load tests: seed the demo catalog if the database is empty, then add
    /// generated centers (windows and hours as in the demo) until there are
    /// N centers in all, and exit.
    SeedLoad {
        /// Total number of centers wanted
        #[arg(long, default_value_t = 300)]
        centers: u32,
    },
    /// Check a draw's public record (DOMAIN.md R12): the seed matches the
    /// commitment published at the opening, and the positions are exactly
    /// the order SHA-256(seed ‖ public_id) gives. Needs no database.
    VerifyDraw {
        /// The record: a file with the JSON of `GET /api/v1/draws/{id}`,
        /// `-` for standard input, or that URL itself (http or https)
        source: String,
    },
}
