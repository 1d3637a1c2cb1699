//! `kezek`: the Kezek server. Thin: config → tracing → database + migrations
//! → serve, with graceful shutdown. See `kezek --help`.
use clap::Parser;
use server::cli::{Cli, Command};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    server::init_tracing(cli.dev);
    match cli.command.clone().unwrap_or(Command::Serve) {
        Command::Serve => server::run(cli).await,
        Command::Migrate => server::migrate_only(&cli).await,
        Command::ImportVehicles { file } => server::import_vehicles(&cli, &file).await,
        Command::ImportPhones { file, replace } => {
            server::import_phones(&cli, &file, replace).await
        }
        Command::SeedCatalog => server::seed_catalog(&cli).await,
        Command::SeedLoad { centers } => server::seed_load(&cli, centers).await,
        Command::VerifyDraw { source } => server::verify_draw(&source).await,
    }
}
