//! Why this file exists: each capability's result as tables. Most need only their shape; the
//! ranking's rows carry a score without its inputs, so the inputs of every score are looked up
//! (the mineral's own explanation) and listed in its sources table.

use serde::Serialize;

use lodestone_app::risk::{Explanation, Ranking, RiskQuery};
use lodestone_app::{AppError, Store};

use crate::flatten::{flatten, sources_within, Shape, Tables};
use crate::shapes;

fn json<T: Serialize>(value: &T) -> Result<serde_json::Value, AppError> {
    serde_json::to_value(value).map_err(|e| AppError::internal(e.to_string()))
}

/// A result whose tables its shape describes.
pub fn of<T: Serialize>(shape: &Shape, value: &T) -> Result<Tables, AppError> {
    Ok(flatten(shape, &json(value)?, vec![], vec![]))
}

/// A ranking, with the inputs of every score (production, trade and stability sources, or the
/// producers' provenance for the HHI) in its sources table.
pub fn ranking(store: &Store, q: &RiskQuery, r: &Ranking) -> Result<Tables, AppError> {
    let mut sources = Vec::new();
    let mut unexplained = Vec::new();
    for (i, row) in r.rows.iter().enumerate().filter(|(_, r)| r.score.is_some()) {
        let one = RiskQuery {
            commodity: Some(row.commodity.clone()),
            year: Some(r.year),
            ..q.clone()
        };
        match lodestone_app::risk::explain(store, &one) {
            Ok(e) => sources.extend(sources_within(&json(&e)?, "ranking", i + 1, &row.commodity)),
            Err(e) => unexplained.push(format!("{}: {}", row.commodity, e.message)),
        }
    }
    let scored = r.rows.iter().filter(|r| r.score.is_some()).count();
    let mut notes = vec![(
        "coverage".to_string(),
        format!(
            "{scored} of {} minerals scored; the others say why in 'missing'",
            r.rows.len()
        ),
    )];
    notes.extend(
        unexplained
            .into_iter()
            .map(|u| ("sources not listed".to_string(), u)),
    );
    let shape = Shape {
        method: shapes::ranking_method(&r.method.to_string()),
        ..shapes::RANKING
    };
    Ok(flatten(&shape, &json(r)?, sources, notes))
}

/// One mineral's score explained, in the tables of its method.
pub fn explanation(e: &Explanation) -> Result<Tables, AppError> {
    let shape = match e {
        Explanation::GeoPolRisk(_) => &shapes::EXPLAIN_GEOPOLRISK,
        Explanation::Eu(_) => &shapes::EXPLAIN_EU,
        Explanation::Hhi(_) => &shapes::PROFILE,
        Explanation::GeoPolRiskStage(_) => &shapes::EXPLAIN_STAGE,
    };
    of(shape, e)
}
