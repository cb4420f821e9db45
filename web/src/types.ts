// Why this file exists: the names the dashboard uses for the JSON the Lodestone API answers with.
// The types themselves are generated (api-types.ts, by `npm run gen:api`) from web/openapi.json —
// the document the server serves, derived from the Rust structs and checked against the server by
// its tests — so a field here is a field on the wire. Only the constants below are written by hand.

import type { components } from './api-types';

type Schemas = components['schemas'];

// ---- lodestone-model ----

export type Stage = Schemas['Stage'];

/** `Stage::ALL`: every stage in supply-chain order. */
export const STAGES: readonly Stage[] = ['mine', 'refinery', 'smelter', 'processing', 'conversion', 'enrichment'];

export type Unit = Schemas['Unit'];

/** `Unit::symbol` on the Rust side. */
export const UNIT_SYMBOL: Record<Unit, string> = {
  Kilogram: 'kg', Tonne: 't', Kilotonne: 'kt', Megatonne: 'Mt',
  Carat: 'ct', Kilocarat: 'kct', MillionCarats: 'Mct', MillionCubicMetres: 'Mm3',
  TonneSwu: 'tSWU',
};

export type CriticalList = Schemas['CriticalList'];
export type Commodity = Schemas['Commodity'];
/** GET /api/commodities answers `CommodityEntry[]`. */
export type CommodityEntry = Schemas['CommodityEntry'];
export type Country = Schemas['Country'];
/** GET /api/countries answers `CountryEntry[]`. */
export type CountryEntry = Schemas['CountryEntry'];
/** GET /api/groups answers `CountryGroup[]`. */
export type CountryGroup = Schemas['CountryGroup'];
export type Owner = Schemas['Owner'];
export type PublishedValue = Schemas['PublishedValue'];

// ---- lodestone-analysis ----

/** Where a figure came from (a file and row of a publication; no URL). */
export type Provenance = Schemas['Provenance'];
export type ProducerRow = Schemas['ProducerRow'];
export type GroupShare = Schemas['GroupShare'];
export type SourceFamily = Schemas['SourceFamily'];
/** GET /api/profile/{c}. */
export type Profile = Schemas['Profile'];
export type OwnerShare = Schemas['OwnerShare'];
export type AssetControl = Schemas['AssetControl'];
export type Control = Schemas['Control'];
export type Origin = Schemas['Origin'];
export type UpstreamLink = Schemas['UpstreamLink'];
export type ProductSet = Schemas['ProductSet'];
/** How a flow's figure was obtained. */
export type TradeProvenance = Schemas['TradeProvenance'];
export type Coverage = Schemas['Coverage'];
/** GET /api/trade/{c} answers one per traded stage and product set. */
export type ImportDependence = Schemas['ImportDependence'];
export type Viewpoint = Schemas['Viewpoint'];
export type RiskMethod = Schemas['Method'];
export type RiskRow = Schemas['RiskRow'];
/** GET /api/risk. */
export type RiskRanking = Schemas['Ranking'];
export type PartnerTerm = Schemas['PartnerTerm'];
export type GeoPolRisk = Schemas['GeoPolRisk'];
export type Supplier = Schemas['Supplier'];
export type SrInputs = Schemas['SrInputs'];
export type SrTerm = Schemas['SrTerm'];
export type SrResult = Schemas['SrResult'];
export type StageRisk = Schemas['StageRisk'];
export type SupplyRisk = Schemas['SupplyRisk'];
export type StagePartner = Schemas['StagePartner'];
export type StageGeoPolRisk = Schemas['StageGeoPolRisk'];

/** What GET /api/risk/{c} answers, by method: the server's `Explanation` (a union of these),
 *  narrowed by the `method` the client asked for (`lodestone_app::risk::explain`). */
export interface RiskDetail {
  geopolrisk: GeoPolRisk;
  'geopolrisk-stage': StageGeoPolRisk[];
  eu: SupplyRisk;
  hhi: Profile;
}
// Every method's answer is one of the Explanation's alternatives, and every method has one.
type Covers<T extends true> = T;
export type RiskDetailIsExplanation = Covers<
  RiskDetail[RiskMethod] extends Schemas['Explanation'] ? (RiskMethod extends keyof RiskDetail ? true : false) : false
>;

export type ImportReliance = Schemas['ImportReliance'];
export type BriefFigures = Schemas['BriefFigures'];
export type BriefRow = Schemas['BriefRow'];
export type Brief = Schemas['Brief'];
export type Outlook = Schemas['Outlook'];
/** GET /api/brief: the brief and its 2030 outlook. */
export type BriefReport = Schemas['BriefReport'];
/** 5th, 50th and 95th percentiles. */
export type Band = Schemas['Band'];

// ---- lodestone-cascade ----

/** GET /api/scenarios answers `CannedScenario[]`. */
export type CannedScenario = Schemas['CannedScenario'];
export type CountryResult = Schemas['CountryResult'];
export type LinkChange = Schemas['LinkChange'];
export type ShockLine = Schemas['ShockLine'];
export type StageResult = Schemas['StageResult'];
/** POST /api/simulate. */
export type Simulation = Schemas['Simulation'];

// ---- lodestone-planner ----

/** A publication cited by title, publisher and date (the registries keep no URL); projects and
 *  events cite the same way. */
export type Citation = Schemas['ProjectSource'] | Schemas['EventSource'];
export type Evidence = Schemas['Evidence'];
export type Financing = Schemas['Financing'];
export type Capacity = Schemas['Capacity'];
/** GET /api/projects answers `Project[]`. */
export type Project = Schemas['Project'];
export type Contribution = Schemas['Contribution'];
export type YearForecast = Schemas['YearForecast'];
/** GET /api/forecast/{c}. */
export type Forecast = Schemas['Forecast'];
export type OriginPlan = Schemas['OriginPlan'];
export type Demand = Schemas['Demand'];
export type Excluded = Schemas['Excluded'];
/** GET /api/plan/{c}. */
export type Plan = Schemas['Plan'];

// ---- lodestone-events ----

export type Amount = Schemas['Amount'];
/** GET /api/events answers `RegistryEvent[]` (named apart from the DOM's `Event`). */
export type RegistryEvent = Schemas['Event'];
export type Mention = Schemas['Mention'];
export type AmountMention = Schemas['AmountMention'];
export type DateMention = Schemas['DateMention'];
export type Candidate = Schemas['Candidate'];
export type Extraction = Schemas['Extraction'];
/** POST /api/events/extract: the extraction, with one link entry per candidate event. */
export type ExtractResponse = Schemas['ArticleEvents'];

// ---- errors ----

/** Every failure's JSON. */
export type ApiErrorBody = Schemas['ErrorBody'];
