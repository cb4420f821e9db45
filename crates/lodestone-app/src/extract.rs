//! Why this file exists: `events extract` — entities, amounts, dates and candidate events from a
//! news article (plain text or HTML), each candidate linked to registered projects and, for an
//! export control, drafted as a scenario the cascade can run.

use serde::{Deserialize, Serialize};

use lodestone_events::event::parse_date;
use lodestone_events::{extract as run_extractor, input, link, Extraction};

use crate::error::AppError;
use crate::store::Store;

/// The largest article the extractor takes (bytes).
pub const MAX_BYTES: usize = input::MAX_BYTES;

/// The magnitude a drafted export-control scenario starts from (half of exports withheld).
const DRAFT_MAGNITUDE: f64 = 0.5;

/// How to read the article.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct ExtractQuery {
    /// Publication date (YYYY-MM-DD), to resolve "on Thursday" and "last year".
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long))]
    pub date: Option<String>,
}

/// The extraction and, per candidate event, its links.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArticleEvents {
    pub extraction: Extraction,
    /// One entry per candidate in `extraction.events`, in the same order.
    pub links: Vec<CandidateLinks>,
}

/// What a candidate event links to.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CandidateLinks {
    /// Ids of registered events whose projects the candidate names.
    pub project_matches: Vec<String>,
    /// A scenario file drafted from an export control (none for other types).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub scenario_toml: Option<String>,
}

/// Extracts candidate events from an article's bytes; `name` (a file, "request body") prefixes
/// any problem with the bytes themselves.
pub fn extract(
    store: &Store,
    name: &str,
    article: &[u8],
    q: &ExtractQuery,
) -> Result<ArticleEvents, AppError> {
    let published = match &q.date {
        Some(d) => Some(
            parse_date(d)
                .ok_or_else(|| AppError::invalid(format!("date={d:?}: expected YYYY-MM-DD")))?,
        ),
        None => None,
    };
    let text = input::prepare(article).map_err(|e| AppError::from(e).prefixed(name))?;
    let (gazetteer, triggers) = store.extractor()?;
    let extraction = run_extractor(&text, published, gazetteer, triggers);
    let links = extraction
        .events
        .iter()
        .map(|c| CandidateLinks {
            project_matches: link::match_projects(c, store.events())
                .into_iter()
                .map(String::from)
                .collect(),
            scenario_toml: link::scenario_toml(c, DRAFT_MAGNITUDE),
        })
        .collect();
    Ok(ArticleEvents { extraction, links })
}
