//! Why this file exists: supply-risk scores from any viewpoint — the ranking of every mineral,
//! one mineral's score with its terms — and the brief.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};

use lodestone_app::brief::{brief as build_brief, BriefQuery, BriefReport};
use lodestone_app::risk::{
    explain as explain_one, ranking as rank_all, Explanation, Ranking, RiskQuery,
};

use super::{heavy, ApiResult};
use crate::error::ErrorBody;
use crate::state::Shared;

/// Every mineral the method covers, ranked by score (minerals without a score say why).
#[utoipa::path(get, path = "/api/risk", tag = "risk", params(RiskQuery),
    responses((status = 200, description = "The ranking", body = Ranking)))]
pub async fn ranking(
    State(st): State<Shared>,
    q: Result<Query<RiskQuery>, QueryRejection>,
) -> ApiResult<Ranking> {
    let Query(q) = q?;
    heavy(&st, move |st, _| rank_all(&st.store, &q)).await
}

/// One mineral's score with every term of the formula and each partner's contribution.
#[utoipa::path(get, path = "/api/risk/{commodity}", tag = "risk",
    params(("commodity" = String, Path, description = "Commodity id, name or synonym"), RiskQuery),
    responses((status = 200, description = "The score and its terms", body = Explanation),
              (status = 422, description = "No trade or production to score", body = ErrorBody)))]
pub async fn explain(
    State(st): State<Shared>,
    Path(commodity): Path<String>,
    q: Result<Query<RiskQuery>, QueryRejection>,
) -> ApiResult<Explanation> {
    let Query(q) = q?;
    let q = RiskQuery {
        commodity: Some(commodity),
        ..q
    };
    heavy(&st, move |st, _| explain_one(&st.store, &q)).await
}

/// The supply-chain security brief: per mineral, top producers, concentration, the importer's
/// dependence and risk scores, each with its source; and the 2030 outlook.
#[utoipa::path(get, path = "/api/brief", tag = "risk", params(BriefQuery),
    responses((status = 200, description = "The brief", body = BriefReport)))]
pub async fn brief(
    State(st): State<Shared>,
    q: Result<Query<BriefQuery>, QueryRejection>,
) -> ApiResult<BriefReport> {
    let Query(q) = q?;
    heavy(&st, move |st, _| build_brief(&st.store, &q)).await
}
