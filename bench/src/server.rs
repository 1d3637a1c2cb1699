//! The server under test: a fresh database (SQLite file or a scratch
//! PostgreSQL database), the demo + load-test seed, the release binary on a
//! free 127.0.0.1 port, its memory, and the clean-up.
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use sea_orm::{ConnectionTrait, Database};

/// Which database the run uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

impl DbKind {
    pub fn label(self) -> &'static str {
        match self {
            DbKind::Sqlite => "SQLite",
            DbKind::Postgres => "PostgreSQL",
        }
    }
}

/// A fresh database, removed by [`FreshDb::drop_db`].
pub struct FreshDb {
    pub url: String,
    pg: Option<(String, String)>,
    dir: Option<PathBuf>,
}

impl FreshDb {
    pub async fn create(kind: DbKind, pg_server: &str, work: &Path) -> anyhow::Result<Self> {
        match kind {
            DbKind::Sqlite => {
                let dir = work.join("sqlite");
                std::fs::create_dir_all(&dir)
                    .with_context(|| format!("creating {}", dir.display()))?;
                Ok(Self {
                    url: format!("sqlite://{}/kezek.db", dir.display()),
                    pg: None,
                    dir: Some(dir),
                })
            }
            DbKind::Postgres => {
                let server = pg_server.trim_end_matches('/').to_owned();
                let name = format!("kezek_bench_{}", std::process::id());
                let admin = Database::connect(format!("{server}/postgres"))
                    .await
                    .context("connecting to PostgreSQL")?;
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await?;
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .context("creating the bench database")?;
                admin.close().await.ok();
                Ok(Self {
                    url: format!("{server}/{name}"),
                    pg: Some((server, name)),
                    dir: None,
                })
            }
        }
    }

    pub async fn drop_db(&self) {
        if let Some((server, name)) = &self.pg
            && let Ok(admin) = Database::connect(format!("{server}/postgres")).await
        {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .await;
            admin.close().await.ok();
        }
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// The running `kezek` process.
pub struct Server {
    child: Child,
    pub base: String,
    pub pid: u32,
    pub log: PathBuf,
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// `kezek seed-load --centers N` (demo catalog + generated centers).
pub fn seed_load(bin: &Path, db_url: &str, centers: u32) -> anyhow::Result<()> {
    let out = Command::new(bin)
        .args([
            "--database-url",
            db_url,
            "seed-load",
            "--centers",
            &centers.to_string(),
        ])
        .env("RUST_LOG", "warn")
        .output()
        .with_context(|| format!("running {}", bin.display()))?;
    if !out.status.success() {
        bail!(
            "seed-load failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

impl Server {
    /// Starts `bin --dev --seed-demo --no-background` and waits (≤ 60 s)
    /// for `/healthz`.
    pub async fn start(bin: &Path, db_url: &str, work: &Path) -> anyhow::Result<Self> {
        Self::start_with(bin, db_url, work, false).await
    }

    /// As [`Server::start`]; `background` keeps the jobs (outbox worker,
    /// draws, waiting list) running in the server.
    pub async fn start_with(
        bin: &Path,
        db_url: &str,
        work: &Path,
        background: bool,
    ) -> anyhow::Result<Self> {
        let port = free_port()?;
        let log = work.join(format!("server-{port}.log"));
        let log_file = std::fs::File::create(&log)?;
        let listen = format!("127.0.0.1:{port}");
        let site = work.display().to_string();
        let mut argv = vec![
            "--database-url",
            db_url,
            "--listen",
            &listen,
            "--dev",
            "--seed-demo",
            "--admin-password",
            "bench-admin-pw",
            "--site-root",
            &site,
        ];
        if !background {
            argv.push("--no-background");
        }
        let child = Command::new(bin)
            .args(argv)
            // Request logging at debug level costs more than some handlers.
            .env("RUST_LOG", "warn")
            .stdout(Stdio::from(log_file.try_clone()?))
            .stderr(Stdio::from(log_file))
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let pid = child.id();
        let mut server = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
            pid,
            log,
        };
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(2))
            .build()?;
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = server.child.try_wait() {
                bail!(
                    "the server exited ({status}); log: {}",
                    std::fs::read_to_string(&server.log).unwrap_or_default()
                );
            }
            if let Ok(r) = client.get(format!("{}/healthz", server.base)).send().await
                && r.status().is_success()
            {
                return Ok(server);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        server.stop();
        bail!("the server did not answer /healthz within 60 s")
    }

    /// (VmHWM, VmRSS) in KiB.
    pub fn memory_kib(&self) -> (u64, u64) {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.pid)).unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        (field("VmHWM:"), field("VmRSS:"))
    }

    /// CPU time the server process has used so far (user + system), ms.
    pub fn cpu_ms(&self) -> f64 {
        proc_cpu_ms(self.pid).unwrap_or(0.0)
    }

    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Clock ticks per second of /proc/<pid>/stat (Linux: 100 on every
/// mainstream architecture; `getconf CLK_TCK`).
const CLK_TCK: f64 = 100.0;

/// User + system CPU time of process `pid` so far, ms (fields 14 and 15 of
/// /proc/<pid>/stat, counted after the `(comm)` field, which may hold
/// spaces).
pub fn proc_cpu_ms(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // `rest` starts at field 3 (state): utime is field 14, stime 15.
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) * 1000.0 / CLK_TCK)
}

/// CPU time used so far by every process named `postgres` on this machine
/// (the server and its backends), ms. Backends that ended since the last
/// reading are lost, so take readings around a phase that keeps its
/// connections (the server's pool does).
pub fn postgres_cpu_ms() -> f64 {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return 0.0;
    };
    dir.filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|c| c.trim() == "postgres")
        })
        .filter_map(proc_cpu_ms)
        .sum()
}
