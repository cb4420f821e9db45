//! Why this file exists: loads the dataset once (embedded, or a data/ folder), applies the user's
//! group config, and dispatches to the command.

mod brief;
mod data;
mod events;
mod lists;
mod planning;
mod profile;
mod risk;
mod simulate;
mod trade;

use anyhow::{Context, Result};
use std::borrow::Cow;
use std::path::Path;

use lodestone_analysis::AnalysisError;
use lodestone_model::{Dataset, GroupConfig, ModelError};

use crate::cli::{Cli, Command, DataCommand, ListArg};

/// A mistake in what the user asked for (exit code 2).
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

pub fn is_usage_error(e: &anyhow::Error) -> bool {
    use lodestone_model::ErrorKind as K;
    let kind = |c: &(dyn std::error::Error + 'static)| {
        c.downcast_ref::<AnalysisError>()
            .map(AnalysisError::kind)
            .or_else(|| c.downcast_ref::<ModelError>().map(ModelError::kind))
            .or_else(|| {
                c.downcast_ref::<lodestone_planner::PlanError>()
                    .map(|e| e.kind())
            })
            .or_else(|| {
                c.downcast_ref::<lodestone_events::EventError>()
                    .map(|e| e.kind())
            })
            .or_else(|| {
                c.downcast_ref::<lodestone_cascade::CascadeError>()
                    .map(|e| e.kind())
            })
    };
    e.chain().any(|c| {
        c.downcast_ref::<UsageError>().is_some()
            || matches!(kind(c), Some(K::NotFound | K::Invalid | K::NoData))
    })
}

pub fn list_of(l: ListArg) -> lodestone_model::CriticalList {
    use lodestone_model::CriticalList as C;
    match l {
        ListArg::Us2022 => C::Us2022,
        ListArg::Us2025 => C::Us2025,
        ListArg::Eu2023 => C::Eu2023,
        ListArg::Eu2023Strategic => C::Eu2023Strategic,
    }
}

fn load(cli_data: Option<&Path>, config: Option<&Path>) -> Result<Cow<'static, Dataset>> {
    let mut ds: Cow<'static, Dataset> = match cli_data {
        Some(dir) => Cow::Owned(
            lodestone_model::text::read_dir(dir)
                .with_context(|| format!("reading the dataset from {}", dir.display()))?,
        ),
        None => Cow::Borrowed(lodestone_data::embedded()),
    };
    let default = Path::new("lodestone.toml");
    let config = config.or_else(|| default.is_file().then_some(default));
    if let Some(path) = config {
        let cfg = GroupConfig::load(path).map_err(|e| UsageError(e.to_string()))?;
        let owned = ds.to_mut();
        let mut groups = owned.groups.clone();
        groups
            .apply(&cfg, &owned.countries)
            .map_err(|e| UsageError(format!("{}: {e}", path.display())))?;
        owned.groups = groups;
    }
    Ok(ds)
}

pub fn run(cli: Cli) -> Result<()> {
    if let Command::Data(DataCommand::Build(args)) = &cli.command {
        return data::build(args);
    }
    let ds = load(cli.data.as_deref(), cli.config.as_deref())?;
    match cli.command {
        Command::Brief(a) => brief::run(&ds, &a),
        Command::Profile(a) => profile::run(&ds, &a),
        Command::Trade(a) => trade::run(&ds, lodestone_data::trade(), &a),
        Command::Risk(a) => risk::run(&ds, lodestone_data::trade(), &a),
        Command::Simulate(a) => simulate::run(&ds, lodestone_data::trade(), &a),
        Command::Events(a) => events::run(&ds, &a),
        Command::Projects(a) => planning::projects(&ds, &a),
        Command::Forecast(a) => planning::forecast(&ds, &a),
        Command::Plan(a) => planning::plan(&ds, lodestone_data::trade(), &a),
        Command::Serve(a) => serve(ds, &a),
        Command::Commodities(a) => lists::commodities(&ds, &a),
        Command::Countries(a) => lists::countries(&ds, &a),
        Command::Data(DataCommand::Check(a)) => data::check(&ds, &a),
        Command::Data(DataCommand::ScanBaci(a)) => data::scan_baci(&ds, &a),
        Command::Data(DataCommand::Build(_)) => unreachable!("handled above"),
    }
}

fn serve(ds: Cow<'static, Dataset>, a: &crate::cli::ServeArgs) -> Result<()> {
    // The server shares the dataset across threads for the life of the process.
    let ds: &'static Dataset = match ds {
        Cow::Borrowed(d) => d,
        Cow::Owned(d) => Box::leak(Box::new(d)),
    };
    let limits = lodestone_server::Limits {
        draws: a.max_draws,
        timeout_secs: a.timeout,
        ..Default::default()
    };
    lodestone_server::serve(ds, a.addr, limits).map_err(anyhow::Error::msg)
}
