//! Why this file exists: `brief` — the main job. For every mineral on a critical-minerals list:
//! the top producers and concentration, the importer's dependence and risk scores, each with its
//! source; then the outlook to 2030 — what the project pipeline changes and the planner's mix.

use serde::{Deserialize, Serialize};

use lodestone_analysis::brief::{brief_with, Brief, BriefRow};
use lodestone_model::CriticalList;
use lodestone_planner::{Bound, ForecastQuery, PlanQuery};

use crate::error::AppError;
use crate::params::from_str;
use crate::store::Store;

/// Whose brief, over which list.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct BriefQuery {
    /// The importer whose view is taken: ISO3, country name or group id.
    #[serde(default = "crate::params::usa")]
    #[cfg_attr(feature = "clap", arg(long, default_value = "USA"))]
    pub importer: String,
    /// The critical-minerals list: us2025 (the final 2025 US list, the latest official one;
    /// the default), us2022, eu2023, eu2023-strategic.
    #[serde(default = "us2025", deserialize_with = "from_str")]
    #[cfg_attr(feature = "clap", arg(long, default_value = "us2025"))]
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>))]
    pub list: CriticalList,
    /// The production year (default: the latest each source has).
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long))]
    pub year: Option<u16>,
}

fn us2025() -> CriticalList {
    CriticalList::Us2025
}

impl Default for BriefQuery {
    fn default() -> Self {
        BriefQuery {
            importer: crate::params::usa(),
            list: us2025(),
            year: None,
        }
    }
}

/// The brief and its outlook.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BriefReport {
    pub brief: Brief,
    pub outlook_2030: Vec<Outlook>,
}

/// The year the outlook looks to, and the planner's ask: concern set ≤ 30 %, C5 preferred.
const OUTLOOK_YEAR: u16 = 2030;
const OUTLOOK_CONCERN_CAP: f64 = 0.3;

/// What the project pipeline changes by 2030 and the planner's best mix, per mineral.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Outlook {
    pub commodity: String,
    pub projects: usize,
    /// The brief row's production year, which the forecast starts from.
    pub base_year: u16,
    pub c5_share_base: f64,
    pub c5_share_2030: f64,
    pub concern_share_base: f64,
    pub concern_share_2030: f64,
    /// Share controlled by the concern set through ownership in 2030 (low, high; 25 % rule).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub concern_controlled_2030: Option<(f64, f64)>,
    /// Planner (concern set ≤ 30 %, C5 preferred): the three largest origins.
    pub best_mix: Vec<(String, f64)>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub risk_before: Option<f64>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub risk_after: Option<f64>,
    /// Why there is no plan, when there is none.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub missing: String,
}

/// The brief for the query, with its 2030 outlook.
pub fn brief(store: &Store, q: &BriefQuery) -> Result<BriefReport, AppError> {
    if let Some(y) = q.year {
        crate::params::year_in(y, &store.dataset().years(), "production figures")?;
    }
    let b = brief_with(
        store.dataset(),
        Some(store.trade()),
        store.assets(),
        q.list,
        &q.importer,
        q.year,
    )?;
    let mut b = b;
    let outlook_2030: Vec<Outlook> = b
        .rows
        .iter()
        .filter_map(|r| outlook(store, r, &b.importer))
        .collect();
    // Say which minerals with production figures have no outlook (no forecast from the row's
    // year and stage), rather than leaving them out silently.
    let without: Vec<String> = b
        .rows
        .iter()
        .filter_map(|r| r.profile.as_ref().map(|p| (r, p)))
        .filter(|(r, _)| !outlook_2030.iter().any(|o| o.commodity == r.commodity))
        .map(|(r, p)| format!("{} ({} {})", r.commodity, p.stage, p.year))
        .collect();
    if !without.is_empty() {
        b.notes.push(format!(
            "no {OUTLOOK_YEAR} outlook for {}: the supply forecast does not start from that \
             stage and year (it starts from each mineral's latest default series)",
            without.join(", ")
        ));
    }
    Ok(BriefReport {
        brief: b,
        outlook_2030,
    })
}

/// One mineral's outlook; none when the mineral has no forecast base. The base-year shares are
/// the brief row's own (one computation per quantity); the forecast supplies 2030.
fn outlook(store: &Store, row: &BriefRow, importer: &str) -> Option<Outlook> {
    let base = row.profile.as_ref()?;
    let commodity = row.commodity.as_str();
    let ds = store.dataset();
    let projects = store.projects();
    let fq = ForecastQuery {
        commodity: commodity.to_string(),
        stage: None,
        to: OUTLOOK_YEAR,
        only_financed: false,
        draws: 0,
        seed: 0,
        effects: crate::forecast::output_effects(store),
        assets: store.assets().to_vec(),
    };
    let f = lodestone_planner::forecast(ds, projects, &fq).ok()?;
    // The forecast starts from the same default series as the row; a different base would be a
    // second value for the base-year shares.
    if f.base_year != base.year || f.stage.to_string() != base.stage {
        return None;
    }
    let target = f.year(OUTLOOK_YEAR)?;
    let pq = PlanQuery {
        commodity: commodity.to_string(),
        stage: None,
        importer: importer.to_string(),
        year: OUTLOOK_YEAR,
        caps: vec![Bound {
            target: "concern".into(),
            value: OUTLOOK_CONCERN_CAP,
        }],
        floors: vec![],
        prefer: vec!["c5".into()],
        cost_weight: 0.1,
        ..Default::default()
    };
    let plan = lodestone_planner::plan(ds, store.trade(), projects, &pq);
    let (best_mix, risk_before, risk_after, missing) = match plan {
        Ok(p) => (
            p.origins
                .iter()
                .take(3)
                .map(|o| (o.origin.clone(), o.planned_share))
                .collect(),
            Some(p.risk_before),
            Some(p.risk_after),
            String::new(),
        ),
        Err(e) => (vec![], None, None, e.to_string()),
    };
    Some(Outlook {
        commodity: commodity.to_string(),
        projects: projects.iter().filter(|p| p.commodity == commodity).count(),
        base_year: base.year,
        c5_share_base: base.c5_share,
        c5_share_2030: target.c5_share,
        concern_share_base: base.concern_share,
        concern_share_2030: target.concern_share,
        concern_controlled_2030: target.concern_controlled,
        best_mix,
        risk_before,
        risk_after,
        missing,
    })
}

/// The brief as a self-contained HTML page (charts and a world map, no script).
pub fn html(store: &Store, report: &BriefReport) -> String {
    lodestone_report::brief_html(store.dataset(), &report.brief)
}
