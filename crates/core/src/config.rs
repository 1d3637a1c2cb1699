//! Runtime configuration, built once in `main` and passed in through state.

/// Settings the use cases need. The HTTP-level settings (listen address,
/// database URL) live in the server binary's command line.
#[derive(Clone, Debug)]
pub struct Config {
    /// Dev mode: SMS land in the dev outbox readable over the API, codes are
    /// logged. Never on in production.
    pub dev_mode: bool,
    /// Lifetime of a one-time code, seconds.
    pub otp_ttl_secs: i64,
    /// Wrong codes accepted per challenge before it is burnt.
    pub otp_max_attempts: i32,
    /// Codes that may be sent to one phone or one IIN per hour.
    pub otp_sends_per_hour: u32,
    /// Sign-in codes (SMS) the whole deployment may send per minute; past
    /// it, code requests are refused with `rate_limited` until the next
    /// minute (a stop on SMS pumping).
    pub sms_codes_per_minute: u32,
    /// Base URL of an external mobile-citizens registry (R11); `None` = the
    /// `citizen_phones` table.
    pub citizen_registry_url: Option<String>,
    /// Bearer token for the external registry.
    pub citizen_registry_token: Option<Secret>,
    /// Lifetime of a session, seconds.
    pub session_ttl_secs: i64,
    /// Add `Secure` to cookies (when served over TLS).
    pub secure_cookies: bool,
    /// Sign-in requests (`/api/v1/auth/*`, staff login) one client address
    /// may make per minute. Bookings are never capped per address (many
    /// citizens share a carrier's address); the dev start sets this high.
    pub auth_requests_per_minute: u32,
    /// Booking writes (book, reschedule, cancel) one citizen may make per
    /// minute, refused with `rate_limited` before any write lock is taken
    /// (API.md: "per citizen or token for bookings").
    pub booking_writes_per_minute: u32,
    /// Reverse proxies whose `X-Forwarded-For` names the client (for the
    /// per-address limits); empty: the TCP peer is the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Base URL of an external vehicle registry; `None` = the `vehicles`
    /// table (the only working adapter so far).
    pub vehicle_registry_url: Option<String>,
    /// SMS provider endpoint (`service::outbox::HttpSmsGateway`); `None`:
    /// SMS rows are marked sent by the dev gateway in dev mode, and wait
    /// (pending) otherwise.
    pub sms_gateway_url: Option<String>,
    /// The outbox worker's retries, backoff and lease.
    pub outbox: crate::service::outbox::OutboxSettings,
    /// How often the reminder job looks for due reminders, seconds.
    pub reminder_interval_secs: u64,
    /// How often the draw job opens release draws and runs due ones,
    /// seconds (a draw runs at most this long after its close).
    pub draw_interval_secs: u64,
    /// The Telegram bot, when a token is configured.
    pub telegram: Option<crate::service::telegram::TelegramSettings>,
    /// The WhatsApp Cloud API, when a number id and token are configured.
    pub whatsapp: Option<crate::service::outbox::WhatsAppSettings>,
    /// How long one live stream lasts before the server ends it, seconds;
    /// the browser reconnects by itself (and re-reads). Bounds what a
    /// stream holds and spreads streams again over the app nodes after
    /// one was added.
    pub live_max_secs: u64,
    /// How long a request waits for a database connection before it is
    /// answered `unavailable` (503, `Retry-After`).
    pub db_acquire_timeout: std::time::Duration,
    /// Live streams one signed-in citizen may hold open at once (tabs,
    /// devices); more are refused with `rate_limited`.
    pub live_per_citizen: usize,
    /// Live streams of a center (consoles, hall displays) one client
    /// address may hold open at once.
    pub live_per_address: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            dev_mode: false,
            otp_ttl_secs: 300,
            otp_max_attempts: 5,
            otp_sends_per_hour: 5,
            sms_codes_per_minute: 300,
            citizen_registry_url: None,
            citizen_registry_token: None,
            session_ttl_secs: 12 * 3600,
            secure_cookies: false,
            auth_requests_per_minute: 30,
            booking_writes_per_minute: 20,
            trusted_proxies: Vec::new(),
            vehicle_registry_url: None,
            sms_gateway_url: None,
            outbox: Default::default(),
            reminder_interval_secs: 60,
            draw_interval_secs: 5,
            telegram: None,
            whatsapp: None,
            live_max_secs: 1800,
            db_acquire_timeout: crate::db::DEFAULT_ACQUIRE_TIMEOUT,
            live_per_citizen: 10,
            live_per_address: 200,
        }
    }
}

/// A credential: `Debug` never prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}
