//! Why this file exists: the read-only data endpoints — commodities, countries, groups, a
//! commodity's producer profile and an importer's trade dependence.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::Json;

use lodestone_app::catalog::{
    self, CommoditiesQuery, CommodityEntry, CountriesQuery, CountryEntry,
};
use lodestone_app::profile::{profile, ProfileQuery};
use lodestone_app::trade::{trade, TradeQuery};
use lodestone_app::types::{CountryGroup, ImportDependence, Profile};

use super::{blocking, ApiResult, NoQuery};
use crate::error::ErrorBody;
use crate::state::Shared;

/// Every commodity in the catalogue, with synonyms, critical-list memberships and data coverage.
#[utoipa::path(get, path = "/api/commodities", tag = "data", params(CommoditiesQuery),
    responses((status = 200, description = "The commodity catalogue", body = Vec<CommodityEntry>)))]
pub async fn commodities(
    State(st): State<Shared>,
    q: Result<Query<CommoditiesQuery>, QueryRejection>,
) -> ApiResult<Vec<CommodityEntry>> {
    let Query(q) = q?;
    Ok(Json(catalog::commodities(&st.store, &q)))
}

/// Every country (or one group's members), with ISO codes, aliases and groups.
#[utoipa::path(get, path = "/api/countries", tag = "data", params(CountriesQuery),
    responses((status = 200, description = "The country registry", body = Vec<CountryEntry>)))]
pub async fn countries(
    State(st): State<Shared>,
    q: Result<Query<CountriesQuery>, QueryRejection>,
) -> ApiResult<Vec<CountryEntry>> {
    let Query(q) = q?;
    Ok(Json(catalog::countries(&st.store, &q)?))
}

/// Country groups (C5, concern set, EU27, G7, …) with members and sources.
#[utoipa::path(get, path = "/api/groups", tag = "data",
    responses((status = 200, description = "Country groups", body = Vec<CountryGroup>)))]
pub async fn groups(
    State(st): State<Shared>,
    q: Result<Query<NoQuery>, QueryRejection>,
) -> ApiResult<Vec<CountryGroup>> {
    let Query(NoQuery {}) = q?;
    Ok(Json(catalog::groups(&st.store)))
}

/// Who produces a commodity: shares, HHI, groups, reserves, provenance per row.
#[utoipa::path(get, path = "/api/profile/{commodity}", tag = "data",
    params(("commodity" = String, Path, description = "Commodity id, name or synonym"), ProfileQuery),
    responses((status = 200, description = "The producer profile", body = Profile),
              (status = 404, description = "Unknown commodity (with suggestions)", body = ErrorBody)))]
pub async fn profile_of(
    State(st): State<Shared>,
    Path(commodity): Path<String>,
    q: Result<Query<ProfileQuery>, QueryRejection>,
) -> ApiResult<Profile> {
    let Query(q) = q?;
    let q = ProfileQuery { commodity, ..q };
    blocking(&st, move |st| profile(&st.store, &q)).await
}

/// An importer's dependence on each origin, per traded stage, from BACI flows.
#[utoipa::path(get, path = "/api/trade/{commodity}", tag = "data",
    params(("commodity" = String, Path, description = "Commodity id, name or synonym"), TradeQuery),
    responses((status = 200, description = "Import dependence per stage", body = Vec<ImportDependence>)))]
pub async fn trade_of(
    State(st): State<Shared>,
    Path(commodity): Path<String>,
    q: Result<Query<TradeQuery>, QueryRejection>,
) -> ApiResult<Vec<ImportDependence>> {
    let Query(q) = q?;
    let q = TradeQuery { commodity, ..q };
    blocking(&st, move |st| trade(&st.store, &q)).await
}
