//! Why this file exists: supply-risk scores from any viewpoint — the ranking of every mineral,
//! and one mineral's score with its terms (EU supply risk, GeoPolRisk, or HHI).

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use utoipa::IntoParams;

use lodestone_analysis::eu_supply_risk::assess_all_stages;
use lodestone_analysis::geopolrisk::geopolrisk;
use lodestone_analysis::risk::{default_year, rank, Method};
use lodestone_analysis::viewpoint::Viewpoint;
use lodestone_analysis::{profile, SeriesQuery};

use super::{blocking, ApiResult};
use crate::error::ApiError;
use crate::state::{AppState, Shared};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RiskParams {
    /// eu, geopolrisk (default) or hhi.
    method: Option<String>,
    /// Whose risk: ISO3, country name or group id (default USA).
    viewpoint: Option<String>,
    /// Trade year (default: the latest in the data).
    year: Option<u16>,
}

fn method_of(m: Option<&str>) -> Result<Method, ApiError> {
    m.unwrap_or("geopolrisk")
        .parse::<Method>()
        .map_err(|e| ApiError::usage(format!("method: {e}")))
}

fn setup(st: &AppState, q: &RiskParams) -> Result<(Viewpoint, u16, Method), ApiError> {
    let vp = Viewpoint::resolve(st.ds, st.trade, q.viewpoint.as_deref().unwrap_or("USA"))?;
    let year = match q.year {
        Some(y) => y,
        None => default_year(st.trade)?,
    };
    Ok((vp, year, method_of(q.method.as_deref())?))
}

/// Every mineral the method covers, ranked by score (minerals without a score say why).
#[utoipa::path(get, path = "/api/risk", tag = "risk", params(RiskParams),
    responses((status = 200, description = "The ranking", body = serde_json::Value)))]
pub async fn ranking(
    State(st): State<Shared>,
    q: Result<Query<RiskParams>, QueryRejection>,
) -> ApiResult<serde_json::Value> {
    let Query(q) = q?;
    blocking(&st, move |st| {
        let (vp, year, method) = setup(st, &q)?;
        let rows = rank(st.ds, st.trade, &vp, method, year);
        Ok(serde_json::json!({
            "method": method,
            "viewpoint": vp,
            "year": year,
            "rows": rows,
        }))
    })
    .await
}

/// One mineral's score with every term of the formula and each partner's contribution.
#[utoipa::path(get, path = "/api/risk/{commodity}", tag = "risk",
    params(("commodity" = String, Path, description = "Commodity id, name or synonym"), RiskParams),
    responses((status = 200, description = "The score and its terms", body = serde_json::Value),
              (status = 422, description = "No trade or production to score", body = serde_json::Value)))]
pub async fn explain(
    State(st): State<Shared>,
    Path(commodity): Path<String>,
    q: Result<Query<RiskParams>, QueryRejection>,
) -> ApiResult<serde_json::Value> {
    let Query(q) = q?;
    blocking(&st, move |st| {
        let (vp, year, method) = setup(st, &q)?;
        let json = |v: Result<serde_json::Value, serde_json::Error>| {
            v.map_err(|e| ApiError::internal(e.to_string()))
        };
        match method {
            Method::GeoPolRisk => {
                let g = geopolrisk(st.ds, st.trade, &commodity, &vp, year)?;
                if g.no_trade {
                    return Err(ApiError::no_data(format!(
                        "{} neither imports nor produces {} in {year}: no GeoPolRisk score",
                        vp.name, g.material
                    )));
                }
                json(serde_json::to_value(&g))
            }
            Method::Eu => json(serde_json::to_value(assess_all_stages(
                st.ds, st.trade, &commodity, &vp, year,
            )?)),
            Method::Hhi => {
                let p = profile(
                    st.ds,
                    &SeriesQuery {
                        commodity,
                        year: Some(year),
                        ..Default::default()
                    },
                )?;
                json(serde_json::to_value(&p))
            }
        }
    })
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BriefParams {
    /// Importer: ISO3 or country name (default USA).
    importer: Option<String>,
    /// Critical list: us2022 (default, as the CLI), us2025, eu2023, eu2023-strategic.
    list: Option<String>,
    /// Production year (default: the latest with data).
    year: Option<u16>,
}

/// The supply-chain security brief: per mineral, top producers, concentration, the importer's
/// dependence and risk scores, each with its source.
#[utoipa::path(get, path = "/api/brief", tag = "risk", params(BriefParams),
    responses((status = 200, description = "The brief", body = serde_json::Value)))]
pub async fn brief(
    State(st): State<Shared>,
    q: Result<Query<BriefParams>, QueryRejection>,
) -> ApiResult<lodestone_analysis::brief::Brief> {
    let Query(q) = q?;
    let list = q
        .list
        .as_deref()
        .unwrap_or("us2022")
        .parse::<lodestone_model::CriticalList>()
        .map_err(|e| ApiError::usage(format!("list: {e}")))?;
    blocking(&st, move |st| {
        Ok(lodestone_analysis::brief::brief(
            st.ds,
            Some(st.trade),
            list,
            q.importer.as_deref().unwrap_or("USA"),
            q.year,
        )?)
    })
    .await
}
