//! Why this file exists: `profile` — who produces a commodity at a stage: ranked producers with
//! shares, HHI, group shares, reserves, and the provenance of every figure; optionally restated
//! on another basis through a cited factor.

use serde::Deserialize;

use lodestone_analysis::profile::restate;
use lodestone_analysis::{control, profile as build_profile, Profile, SeriesQuery, SourceFamily};
use lodestone_model::Stage;

use crate::error::AppError;
use crate::params::opt_from_str;
use crate::store::Store;

/// Which producer profile.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct ProfileQuery {
    /// Commodity id, name or synonym (e.g. tungsten, "rare earths", REE).
    #[serde(skip)]
    pub commodity: String,
    /// Supply-chain stage: mine, refinery, smelter, processing (default: the commodity's main series).
    #[serde(default, deserialize_with = "opt_from_str")]
    #[cfg_attr(feature = "clap", arg(long))]
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>))]
    pub stage: Option<Stage>,
    /// Data year (default: the latest with data).
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long))]
    pub year: Option<u16>,
    /// Source family: usgs, wmd or iea (default: USGS, else World Mining Data, else the IEA).
    #[serde(default, deserialize_with = "opt_from_str")]
    #[cfg_attr(feature = "clap", arg(long))]
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>))]
    pub source: Option<SourceFamily>,
    /// Restate on another basis through a cited factor (e.g. "U content", WO3).
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long))]
    pub basis: Option<String>,
}

/// The producer profile the query asks for.
pub fn profile(store: &Store, q: &ProfileQuery) -> Result<Profile, AppError> {
    let ds = store.dataset();
    let sq = SeriesQuery {
        commodity: q.commodity.clone(),
        stage: q.stage,
        year: q.year,
        source: q.source,
        measure: None,
    };
    let p = build_profile(ds, &sq)?;
    let p = match &q.basis {
        Some(b) => restate(ds, p, b)?,
        None => p,
    };
    Ok(with_control(store, p))
}

/// The profile with the concern set's control through ownership, or a note saying why there is
/// none.
pub fn with_control(store: &Store, mut p: Profile) -> Profile {
    p.control = control(store.dataset(), &p, store.assets(), "concern");
    if p.control.is_none() {
        p.notes.push(format!(
            "control by the concern set through ownership not computed: the ownership registry \
             (data/ownership/) has no {} {} asset with owners",
            p.commodity, p.stage
        ));
    }
    p
}
