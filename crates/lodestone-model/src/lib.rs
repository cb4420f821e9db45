//! # lodestone-model — the vocabulary every other Lodestone crate speaks
//!
//! A tour, from the ground up:
//!
//! * [`country`] — countries keyed by ISO 3166 alpha-3, with the many spellings real sources use
//!   ("Korea, North", "Congo (Kinshasa)", "Burma", "Türkiye") and a "did you mean" for unknown names.
//! * [`group`] — country groups: C5, G7, EU27 and the user-definable "concern" set, plus the
//!   config file that redefines them.
//! * [`commodity`] — the commodity catalogue with synonyms and membership of the US 2022 / 2025 and
//!   EU 2023 critical-minerals lists; [`stage`] names the supply-chain stage (mine, refinery, ...).
//! * [`mod@unit`] and [`quantity`] — every number carries a unit and a basis (W content vs WO3, Li vs
//!   Li2O vs LCE, REO); [`conversion`] holds the only way across bases: a cited factor.
//! * [`observation`] — one published figure with its provenance (source, edition, file, field, row,
//!   the original text) and flags (estimated, withheld, bounds, ...).
//! * [`trade`] — bilateral flows as BACI publishes them, and flows of processed forms from other
//!   reporters, each with its provenance (reconciled, reported by the importer or the exporter,
//!   estimated); [`product`] — the nomenclatures their codes come from; [`concordance`] — product
//!   codes linked to commodities and stages, with citations;
//! * [`dataset`] — everything Lodestone knows, whether loaded from the project's normalised text
//!   files or from the compact binary snapshot compiled into the release binary; reading and
//!   writing those files (and the snapshot) is the `lodestone-formats` crate's job — this crate is
//!   the vocabulary only.
//!
//! * [`assessment`] — a published criticality assessment's values (EU 2023), as parameters and
//!   as the yardstick for Lodestone's scores.
//! * [`display`] — fixed-point printing that never shows a negative zero.
//! * [`vocabulary`] — [`named_enum!`](crate::named_enum), one declaration for each closed vocabulary of names.
//! * [`place`] — the one resolver from a user's country-or-group name to its members.
//! * [`ownership`] — who owns a mine or plant (cited owners and home countries), the asset
//!   ownership registry, and the one control rule (25 %) every report applies.
//!
//! * [`cancel`] — the token long computations poll so an abandoned request stops them.
//! * [`input`] — the one way a user's file is opened: regular files only, size-capped, UTF-8
//!   checked, every problem one located line.
//!
//! [`error`] holds the vocabulary every crate reports in: [`Located`] (file, line, column, field,
//! message) and [`ErrorKind`] (not found, invalid, no data, infeasible, over budget, cancelled,
//! internal).

pub mod assessment;
pub mod cancel;
pub mod commodity;
pub mod concordance;
pub mod conversion;
pub mod country;
pub mod dataset;
pub mod display;
pub mod effect;
pub mod error;
pub mod group;
pub mod input;
pub mod observation;
pub mod ownership;
pub mod place;
pub mod product;
pub mod quantity;
pub mod stage;
pub mod suggest;
pub mod trade;
pub mod unit;
pub mod vocabulary;

/// What the macros this crate exports need from its optional dependencies, reached through
/// `$crate` so the crates that invoke them need not depend on those themselves.
#[cfg(feature = "openapi")]
#[doc(hidden)]
pub mod __private {
    pub use utoipa;
}

pub use assessment::{
    AssessedStage, ExportMeasure, PublishedAssessment, PublishedTradeFactor, PublishedValue,
    Restriction,
};
pub use cancel::{Cancel, CancelOnDrop};
pub use commodity::{Commodity, CommodityCatalog, CriticalList};
pub use concordance::{Concordance, HsLink, Material};
pub use conversion::{Conversion, ConversionTable};
pub use country::{Country, CountryRegistry};
pub use dataset::{Dataset, SalientStat, SourceFile, WgiValue};
pub use effect::OutputEffect;
pub use error::{line_col, one_line, ErrorKind, Located, ModelError, TextFile};
pub use group::{CountryGroup, GroupConfig, Groups};
pub use observation::{Flags, Measure, Observation, Scope};
pub use ownership::{Asset, AssetOutput, Owner};
pub use place::Place;
pub use product::{product_labels, Nomenclature, ProductLabel};
pub use quantity::Quantity;
pub use stage::Stage;
pub use trade::{
    FlowSource, FormFlow, Provenance, StabilityScore, TradeCountry, TradeData, TradeFlow,
};
pub use unit::{Dimension, Unit};
