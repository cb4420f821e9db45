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
mod sweep;
mod trade;

use std::path::Path;

use lodestone_app::{AppError, Store};

use crate::cli::{Cli, Command, DataCommand, EventsAction, Format};

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
        if matches!(args.format, Format::Parquet | Format::Xlsx) {
            return Err(AppError::invalid(
                "data fetch lists its catalogue as table or json; parquet and xlsx are for result tables",
            ));
        }
        return fetch::run(cli.data.as_deref(), args);
    }
    if let Some((format, out)) = output_of(&cli.command) {
        crate::output::destination(format, out)?;
    }
    let store = open_store(cli.data.as_deref(), cli.config.as_deref())?;
    dispatch(cli, store)?;
    crate::output::finish()
}

/// The format and output file a table-producing command asks for.
fn output_of(c: &Command) -> Option<(Format, Option<&Path>)> {
    fn pair(f: Format, o: &Option<std::path::PathBuf>) -> Option<(Format, Option<&Path>)> {
        Some((f, o.as_deref()))
    }
    match c {
        Command::Brief(a) => pair(a.format, &a.out),
        Command::Profile(a) => pair(a.format, &a.out),
        Command::Trade(a) => pair(a.format, &a.out),
        Command::Risk(a) => pair(a.format, &a.out),
        Command::Simulate(a) => pair(a.format, &a.out),
        Command::Scenarios(a) | Command::Groups(a) => pair(a.format, &a.out),
        Command::Events(a) => match &a.action {
            Some(EventsAction::Extract(x)) => pair(x.format, &x.out),
            None => pair(a.format, &a.out),
        },
        Command::Projects(a) => pair(a.format, &a.out),
        Command::Forecast(a) => pair(a.format, &a.out),
        Command::Plan(a) => pair(a.format, &a.out),
        Command::Commodities(a) => pair(a.format, &a.out),
        Command::Countries(a) => pair(a.format, &a.out),
        Command::Data(DataCommand::Check(a)) => pair(a.format, &a.out),
        Command::Data(DataCommand::Fetch(a)) => pair(a.format, &None),
        Command::Serve(_) | Command::Sweep(_) | Command::Data(_) => None,
    }
}

fn dispatch(cli: Cli, store: Store) -> Result<()> {
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
        Command::Sweep(a) => sweep::run(&store, &a),
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
