//! Why this file exists: an announced change to a country's output (a production-guidance cut,
//! a mine suspension), recorded on an event so the supply forecast can apply it and name it.

use serde::{Deserialize, Serialize};

/// A country's output of a commodity in one year as an event announces it: a range (guidance)
/// or a single figure (low = high), in tonnes on the stated basis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OutputEffect {
    /// ISO3 of the producing country.
    pub country: String,
    pub commodity: String,
    pub year: u16,
    /// Lowest and highest output announced, tonnes.
    pub low_t: f64,
    pub high_t: f64,
    /// The basis of the figures ("U content"), which must match the forecast's.
    pub basis: String,
    /// What the figure covers (e.g. "Kazatomprom, 100 % basis: all of Kazakhstan's output").
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub scope: String,
    /// The event it comes from (filled in when the event is read).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub event: String,
}

impl OutputEffect {
    /// The middle of the announced range.
    pub fn mid(&self) -> f64 {
        (self.low_t + self.high_t) / 2.0
    }
}
