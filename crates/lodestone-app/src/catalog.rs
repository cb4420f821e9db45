//! Why this file exists: what Lodestone knows — the commodity catalogue with the stages and years
//! that have data, the countries with the groups they belong to, and the groups themselves.

use serde::{Deserialize, Serialize};

use lodestone_model::{Commodity, Country, CountryGroup, CriticalList, Stage};

use crate::error::AppError;
use crate::params::opt_from_str;
use crate::store::Store;

/// Which commodities to list.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct CommoditiesQuery {
    /// Only the commodities on this critical-minerals list: us2022, us2025, eu2023, eu2023-strategic.
    #[serde(default, deserialize_with = "opt_from_str")]
    #[cfg_attr(feature = "clap", arg(long))]
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>))]
    pub list: Option<CriticalList>,
}

/// A catalogue entry with what the data holds for it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommodityEntry {
    #[serde(flatten)]
    pub commodity: Commodity,
    /// Stages with at least one observation.
    pub stages_with_data: Vec<Stage>,
    /// First and last year with an observation (absent: no data at all).
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_items = 2, max_items = 2)
    )]
    pub years: Option<[u16; 2]>,
}

/// The commodity catalogue, with critical-list memberships and data coverage.
pub fn commodities(store: &Store, q: &CommoditiesQuery) -> Vec<CommodityEntry> {
    let ds = store.dataset();
    ds.commodities
        .all()
        .iter()
        .filter(|c| q.list.is_none_or(|l| c.lists.contains(&l)))
        .map(|c| {
            let mut stages: Vec<Stage> = Vec::new();
            let mut span: Option<[u16; 2]> = None;
            for o in ds.observations.iter().filter(|o| o.commodity == c.id) {
                if !stages.contains(&o.stage) {
                    stages.push(o.stage);
                }
                span = Some(span.map_or([o.year, o.year], |[a, b]| [a.min(o.year), b.max(o.year)]));
            }
            CommodityEntry {
                commodity: c.clone(),
                stages_with_data: stages,
                years: span,
            }
        })
        .collect()
}

/// Which countries to list.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct CountriesQuery {
    /// Only the members of this group (c5, g7, eu27, concern, or one from the group config).
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long))]
    pub group: Option<String>,
}

/// A country with the ids of the groups it belongs to.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountryEntry {
    #[serde(flatten)]
    pub country: Country,
    pub groups: Vec<String>,
}

/// The country registry (or one group's members), each with its groups.
pub fn countries(store: &Store, q: &CountriesQuery) -> Result<Vec<CountryEntry>, AppError> {
    let ds = store.dataset();
    let group = match &q.group {
        Some(g) => Some(ds.groups.lookup(g)?),
        None => None,
    };
    Ok(ds
        .countries
        .all()
        .iter()
        .filter(|c| group.is_none_or(|g| g.contains(&c.iso3)))
        .map(|c| CountryEntry {
            country: c.clone(),
            groups: ds
                .groups
                .all()
                .iter()
                .filter(|g| g.contains(&c.iso3))
                .map(|g| g.id.clone())
                .collect(),
        })
        .collect())
}

/// The country groups (C5, G7, EU27, the concern set, and any from the group config).
pub fn groups(store: &Store) -> Vec<CountryGroup> {
    store.dataset().groups.all().to_vec()
}
