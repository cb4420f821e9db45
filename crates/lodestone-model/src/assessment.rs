//! Why this file exists: a published criticality assessment (the EU 2023 study) is both a source
//! of method parameters (the export-restriction factors t it applied; an end-of-life recycling
//! input rate where no cited one is at hand) and the yardstick Lodestone's own scores are
//! checked against. The export restrictions in force that raise t are here too, as the method
//! weighs them.
//! Each value is kept as published, with its address and locator (`data/eu-crm-2023.csv`).

use serde::{Deserialize, Serialize};

/// Which stage of the EU method a value belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum AssessedStage {
    Extraction,
    Processing,
    /// The material's headline value (the bottleneck stage's, for SR).
    Both,
}

impl AssessedStage {
    pub fn as_str(self) -> &'static str {
        match self {
            AssessedStage::Extraction => "extraction",
            AssessedStage::Processing => "processing",
            AssessedStage::Both => "both",
        }
    }

    /// The EU method's stage of a Lodestone stage (mine = extraction, everything past it =
    /// processing).
    pub fn of(stage: crate::Stage) -> Self {
        if stage == crate::Stage::Mine {
            AssessedStage::Extraction
        } else {
            AssessedStage::Processing
        }
    }
}

/// One published value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishedValue {
    /// The material as the study names it ("Rare earth elements (light)").
    pub material: String,
    /// Lodestone's commodity id, empty when the study's material has none.
    pub commodity: String,
    pub stage: AssessedStage,
    /// sr, ei, si_sr, si_ei, eol_rir, ir, hhi_wgi_t_gs, hhi_wgi_t_eu, critical, strategic.
    pub quantity: String,
    pub value: f64,
    /// The assessment's year (2023, or 2020 where only the earlier value was found).
    pub assessment: u16,
    pub source: String,
    pub address: String,
    pub published: String,
    pub locator: String,
    pub note: String,
}

/// A trade-related factor t the assessment applied to one supplier of one material at one
/// stage (export restrictions: t > 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedTradeFactor {
    pub material: String,
    pub commodity: String,
    pub stage: AssessedStage,
    /// ISO3 of the supplier.
    pub country: String,
    pub t: f64,
    pub source: String,
    pub address: String,
    pub locator: String,
}

/// The published values of an assessment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PublishedAssessment {
    pub values: Vec<PublishedValue>,
    /// The t > 1 factors it applied (`data/eu-crm-2023-t.csv`).
    pub trade_factors: Vec<PublishedTradeFactor>,
}

impl PublishedAssessment {
    /// The value of `quantity` for a commodity at a stage (falling back to the material's
    /// headline value when the stage has none), the 2023 assessment before the 2020 one.
    pub fn get(
        &self,
        commodity: &str,
        stage: AssessedStage,
        quantity: &str,
    ) -> Option<&PublishedValue> {
        let of = |st: AssessedStage| {
            self.values
                .iter()
                .filter(|v| v.commodity == commodity && v.quantity == quantity && v.stage == st)
                .max_by_key(|v| v.assessment)
        };
        of(stage).or_else(|| of(AssessedStage::Both))
    }

    /// Every published value of `quantity` for a commodity (a commodity may match several of the
    /// study's materials: light and heavy rare earths, titanium and titanium metal).
    pub fn all(&self, commodity: &str, quantity: &str, assessment: u16) -> Vec<&PublishedValue> {
        self.values
            .iter()
            .filter(|v| {
                v.commodity == commodity && v.quantity == quantity && v.assessment == assessment
            })
            .collect()
    }

    /// The t the assessment applied to `country` for a commodity at a stage, if above 1.
    pub fn trade_factor(
        &self,
        commodity: &str,
        stage: AssessedStage,
        country: &str,
    ) -> Option<&PublishedTradeFactor> {
        self.trade_factors
            .iter()
            .filter(|f| f.commodity == commodity && f.stage == stage && f.country == country)
            .max_by(|a, b| a.t.total_cmp(&b.t))
    }

    /// Every commodity with a published value of `quantity`.
    pub fn commodities_with(&self, quantity: &str) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .values
            .iter()
            .filter(|x| x.quantity == quantity && !x.commodity.is_empty())
            .map(|x| x.commodity.as_str())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

crate::named_enum! {
    /// The kind of export restriction the EU method weighs through t (the OECD inventory's
    /// categories, as the events registry records them).
    pub enum ExportMeasure as "export measure" {
        /// Export prohibition (ban), also one aimed at some destinations.
        Ban = "ban",
        Quota = "quota",
        /// Export tax or duty.
        Tax = "tax",
        /// Licensing requirement (non-automatic licences, control lists).
        Licensing = "licensing",
    }
}

/// An export restriction in force: who restricts which commodity, how, since when, and the
/// event that says so.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Restriction {
    pub country: String,
    pub commodity: String,
    pub measure: ExportMeasure,
    /// YYYY-MM-DD the measure took effect.
    pub since: String,
    /// The events-registry id.
    pub event: String,
    /// Destinations it is aimed at (empty: every destination).
    pub targets: Vec<String>,
    /// The stage it restricts (an ore ban: extraction); `None` = every stage.
    pub stage: Option<AssessedStage>,
}
