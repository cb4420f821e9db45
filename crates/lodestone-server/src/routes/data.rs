//! Why this file exists: the read-only data endpoints — commodities, countries, groups, a
//! commodity's producer profile and an importer's trade dependence.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

use lodestone_analysis::dependence::{import_dependence, traded_stages, ImportDependence};
use lodestone_analysis::profile::restate;
use lodestone_analysis::risk::default_year;
use lodestone_analysis::viewpoint::Viewpoint;
use lodestone_analysis::{profile, Profile, SeriesQuery, SourceFamily};
use lodestone_model::{Commodity, Country, CountryGroup};

use super::{stage_of, ApiResult};
use crate::error::ApiError;
use crate::state::Shared;

/// Every commodity in the catalogue, with synonyms and critical-list memberships.
#[utoipa::path(get, path = "/api/commodities", tag = "data",
    responses((status = 200, description = "The commodity catalogue", body = serde_json::Value)))]
pub async fn commodities(State(st): State<Shared>) -> Json<&'static [Commodity]> {
    Json(st.ds.commodities.all())
}

/// Every country, with ISO codes and aliases.
#[utoipa::path(get, path = "/api/countries", tag = "data",
    responses((status = 200, description = "The country registry", body = serde_json::Value)))]
pub async fn countries(State(st): State<Shared>) -> Json<&'static [Country]> {
    Json(st.ds.countries.all())
}

/// Country groups (C5, concern set, EU27, G7, …) with members and sources.
#[utoipa::path(get, path = "/api/groups", tag = "data",
    responses((status = 200, description = "Country groups", body = serde_json::Value)))]
pub async fn groups(State(st): State<Shared>) -> Json<&'static [CountryGroup]> {
    Json(st.ds.groups.all())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProfileParams {
    /// Supply-chain stage: mine, refinery, … (default: the commodity's main series).
    stage: Option<String>,
    /// Data year (default: the latest with data).
    year: Option<u16>,
    /// Source family: usgs or wmd.
    source: Option<String>,
    /// Restate on another basis (e.g. WO3 for tungsten) with the cited factor.
    basis: Option<String>,
}

/// Who produces a commodity: shares, HHI, groups, reserves, provenance per row.
#[utoipa::path(get, path = "/api/profile/{commodity}", tag = "data",
    params(("commodity" = String, Path, description = "Commodity id, name or synonym"), ProfileParams),
    responses((status = 200, description = "The producer profile", body = serde_json::Value),
              (status = 404, description = "Unknown commodity (with suggestions)", body = serde_json::Value)))]
pub async fn profile_of(
    State(st): State<Shared>,
    Path(commodity): Path<String>,
    q: Result<Query<ProfileParams>, QueryRejection>,
) -> ApiResult<Profile> {
    let Query(q) = q?;
    let source = match q.source.as_deref() {
        None => None,
        Some("usgs") => Some(SourceFamily::Usgs),
        Some("wmd") => Some(SourceFamily::Wmd),
        Some(x) => {
            return Err(ApiError::usage(format!(
                "source={x:?}: valid choices: usgs, wmd"
            )))
        }
    };
    let sq = SeriesQuery {
        commodity,
        stage: stage_of(q.stage.as_deref())?,
        year: q.year,
        source,
        measure: None,
    };
    let mut p = profile(st.ds, &sq)?;
    if let Some(b) = &q.basis {
        p = restate(st.ds, p, b)?;
    }
    Ok(Json(p))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TradeParams {
    /// Importer: ISO3, country name or group id (default USA).
    importer: Option<String>,
    /// Trade year (default: the latest in the data).
    year: Option<u16>,
    /// One stage only (default: every traded stage).
    stage: Option<String>,
}

/// An importer's dependence on each origin, per traded stage, from BACI flows.
#[utoipa::path(get, path = "/api/trade/{commodity}", tag = "data",
    params(("commodity" = String, Path, description = "Commodity id, name or synonym"), TradeParams),
    responses((status = 200, description = "Import dependence per stage", body = serde_json::Value)))]
pub async fn trade_of(
    State(st): State<Shared>,
    Path(commodity): Path<String>,
    q: Result<Query<TradeParams>, QueryRejection>,
) -> ApiResult<Vec<ImportDependence>> {
    let Query(q) = q?;
    let vp = Viewpoint::resolve(st.ds, st.trade, q.importer.as_deref().unwrap_or("USA"))?;
    let year = match q.year {
        Some(y) => y,
        None => default_year(st.trade)?,
    };
    let c = st.ds.commodities.lookup(&commodity)?.id.clone();
    let stages = match stage_of(q.stage.as_deref())? {
        Some(s) => vec![s],
        None => traded_stages(st.ds, &c),
    };
    if stages.is_empty() {
        return Err(ApiError::no_data(format!(
            "{c} is not linked to any HS code, so it has no trade data"
        )));
    }
    let out = stages
        .into_iter()
        .map(|s| import_dependence(st.ds, st.trade, &c, s, &vp, year))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Json(out))
}
