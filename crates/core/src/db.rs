//! Connecting to SQLite or PostgreSQL and running the migrations.
//!
//! SQLite runs in WAL mode with `synchronous=NORMAL`: a committed booking
//! survives a crash of the server process (the WAL is written before the
//! commit returns), though not a power loss of the machine between the
//! commit and the next checkpoint; that trade buys ~15× the write rate (see
//! ../shared/CONCURRENCY.md and docs/DATABASES.md). PostgreSQL keeps its own
//! durable defaults.
use std::time::Duration;

use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr};

/// Which database a URL names.
pub fn backend_of(url: &str) -> Option<DbBackend> {
    if url.starts_with("sqlite:") {
        Some(DbBackend::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Some(DbBackend::Postgres)
    } else {
        None
    }
}

/// How long a request waits for a pooled connection before it is answered
/// `unavailable` (503 with `Retry-After`) by default: long enough for a
/// burst to queue, short enough that a client whose database is gone (a
/// failover in progress) hears so and retries.
pub const DEFAULT_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// Opens a pool with [`DEFAULT_ACQUIRE_TIMEOUT`]. For SQLite the file (and
/// its directory) is created if missing.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    connect_with(url, DEFAULT_ACQUIRE_TIMEOUT).await
}

/// Opens a pool whose requests wait at most `acquire_timeout` for a
/// connection. A connection the database dropped (restart, failover) is
/// noticed when it is next taken from the pool (sqlx pings it first) and
/// replaced, so the pool recovers by itself once the database answers.
pub async fn connect_with(
    url: &str,
    acquire_timeout: Duration,
) -> Result<DatabaseConnection, DbErr> {
    let backend = backend_of(url).ok_or_else(|| {
        DbErr::Custom(format!(
            "unsupported DATABASE_URL scheme (use sqlite:// or postgres://): {}",
            url.split(':').next().unwrap_or("")
        ))
    })?;
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.sqlx_logging(false)
        .connect_timeout(acquire_timeout.min(Duration::from_secs(10)))
        .acquire_timeout(acquire_timeout)
        .test_before_acquire(true);
    match backend {
        DbBackend::Sqlite => {
            if let Some(dir) = sqlite_parent_dir(url) {
                std::fs::create_dir_all(&dir)
                    .map_err(|e| DbErr::Custom(format!("cannot create {dir}: {e}")))?;
            }
            opts.max_connections(8).min_connections(1);
            opts.map_sqlx_sqlite_opts(|o| {
                use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
                o.create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(30))
                    .foreign_keys(true)
            });
        }
        _ => {
            opts.max_connections(32).min_connections(1);
        }
    }
    Database::connect(opts).await
}

fn sqlite_parent_dir(url: &str) -> Option<String> {
    let path = url
        .trim_start_matches("sqlite:")
        .trim_start_matches("//")
        .split('?')
        .next()?;
    if path.is_empty() || path == ":memory:" {
        return None;
    }
    let parent = std::path::Path::new(path).parent()?;
    let s = parent.to_string_lossy().to_string();
    (!s.is_empty()).then_some(s)
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// True when the database answers a trivial query within 2 s (what a load
/// balancer's health check can wait for).
pub async fn ping(db: &DatabaseConnection) -> bool {
    matches!(
        tokio::time::timeout(Duration::from_secs(2), db.execute_unprepared("SELECT 1")).await,
        Ok(Ok(_))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parent_dir_of_relative_and_absolute_paths() {
        assert_eq!(
            sqlite_parent_dir("sqlite://data/kezek.db?mode=rwc").as_deref(),
            Some("data")
        );
        assert_eq!(
            sqlite_parent_dir("sqlite:///tmp/x/k.db").as_deref(),
            Some("/tmp/x")
        );
        assert_eq!(sqlite_parent_dir("sqlite::memory:"), None);
    }

    #[test]
    fn backend_from_scheme() {
        assert_eq!(backend_of("sqlite://a.db"), Some(DbBackend::Sqlite));
        assert_eq!(
            backend_of("postgres://127.0.0.1/test"),
            Some(DbBackend::Postgres)
        );
        assert_eq!(backend_of("mysql://x"), None);
    }
}
