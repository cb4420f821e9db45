//! Why this file exists: opens the one [`Store`] (embedded, or `--data DIR`, with the user's
//! group config) and hands each command to its renderer.

mod brief;
mod data;
mod events;
mod fetch;
mod lists;
mod planning;
mod profile;
mod risk;
mod simulate;
mod trade;

use std::path::Path;

use lodestone_app::{AppError, Store};

use crate::cli::{Cli, Command, DataCommand};

type Result<T> = std::result::Result<T, AppError>;

/// The store the global options ask for: `--data DIR` replaces every part of the embedded one;
/// `--config` (or `./lodestone.toml`) redefines groups.
fn open_store(data: Option<&Path>, config: Option<&Path>) -> Result<Store> {
    let default = Path::new("lodestone.toml");
    let config = config.or_else(|| default.is_file().then_some(default));
    let config = config.map(Store::config).transpose()?;
    let store = match data {
        Some(dir) => Store::open(dir, config.as_ref())?,
        None => Store::embedded(config.as_ref())?,
    };
    for gap in store.gaps() {
        eprintln!("warning: {gap}");
    }
    Ok(store)
}

pub fn run(cli: Cli) -> Result<()> {
    crate::output::set_quiet(cli.quiet);
    if let Command::Data(DataCommand::Build(args)) = &cli.command {
        return data::build(args);
    }
    if let Command::Data(DataCommand::Fetch(args)) = &cli.command {
        return fetch::run(cli.data.as_deref(), args);
    }
    let store = open_store(cli.data.as_deref(), cli.config.as_deref())?;
    match cli.command {
        Command::Brief(a) => brief::run(&store, &a),
        Command::Profile(a) => profile::run(&store, &a),
        Command::Trade(a) => trade::run(&store, &a),
        Command::Risk(a) => risk::run(&store, &a),
        Command::Simulate(a) => simulate::run(&store, &a),
        Command::Scenarios(a) => simulate::canned(&store, &a),
        Command::Events(a) => events::run(&store, &a),
        Command::Projects(a) => planning::projects(&store, &a),
        Command::Forecast(a) => planning::forecast(&store, &a),
        Command::Plan(a) => planning::plan(&store, &a),
        Command::Serve(a) => serve(store, &a),
        Command::Commodities(a) => lists::commodities(&store, &a),
        Command::Countries(a) => lists::countries(&store, &a),
        Command::Groups(a) => lists::groups(&store, &a),
        Command::Data(DataCommand::Check(a)) => data::check(&store, &a),
        Command::Data(DataCommand::ScanBaci(a)) => data::scan_baci(&store, &a),
        Command::Data(DataCommand::Build(_)) | Command::Data(DataCommand::Fetch(_)) => {
            unreachable!("handled above")
        }
    }
}

fn serve(store: Store, a: &crate::cli::ServeArgs) -> Result<()> {
    let defaults = lodestone_server::Limits::default();
    let heavy_jobs = a.heavy_jobs.unwrap_or(defaults.heavy_jobs).max(1);
    let limits = lodestone_server::Limits {
        draws: a.max_draws,
        timeout_secs: a.timeout,
        heavy_jobs,
        heavy_queue: 2 * heavy_jobs,
        work: a.max_work.unwrap_or(defaults.work),
        ..defaults
    };
    lodestone_server::serve(store, a.addr, limits, &a.allow_hosts).map_err(AppError::internal)
}
