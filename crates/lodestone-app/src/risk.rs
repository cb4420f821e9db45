//! Why this file exists: `risk` — supply-risk scores from any viewpoint: the ranking of every
//! mineral, and one mineral's score with every term of its formula (GeoPolRisk, EU supply risk,
//! or production concentration).

use serde::{Deserialize, Serialize};

use lodestone_analysis::eu_supply_risk::{assess_all_stages, SupplyRisk};
use lodestone_analysis::geopolrisk::{geopolrisk, GeoPolRisk};
use lodestone_analysis::geopolrisk_stage::{stage_geopolrisk_all, StageGeoPolRisk};
use lodestone_analysis::risk::{default_year, rank, Method, RiskRow};
use lodestone_analysis::viewpoint::Viewpoint;
use lodestone_analysis::{profile, Profile, SeriesQuery};

use crate::error::AppError;
use crate::params::from_str;
use crate::store::Store;

/// Whose risk, by which method, in which year.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct RiskQuery {
    /// One commodity (its score with every term); absent: rank every mineral.
    #[serde(skip)]
    pub commodity: Option<String>,
    /// The viewpoint: ISO3, country name or group id.
    #[serde(default = "crate::params::usa")]
    #[cfg_attr(feature = "clap", arg(long, default_value = "USA"))]
    pub viewpoint: String,
    /// eu (JRC 2017 supply risk), geopolrisk, geopolrisk-stage (Lodestone's processing-stage
    /// extension) or hhi.
    #[serde(default = "geopolrisk_method", deserialize_with = "from_str")]
    #[cfg_attr(feature = "clap", arg(long, default_value = "geopolrisk"))]
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>))]
    pub method: Method,
    /// Trade year (default: the latest in the data; for hhi, the latest production year when
    /// that trade year has no production figures).
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long))]
    pub year: Option<u16>,
}

fn geopolrisk_method() -> Method {
    Method::GeoPolRisk
}

impl Default for RiskQuery {
    fn default() -> Self {
        RiskQuery {
            commodity: None,
            viewpoint: crate::params::usa(),
            method: Method::GeoPolRisk,
            year: None,
        }
    }
}

/// Every mineral the method covers, ranked (those without a score say why).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ranking {
    pub method: Method,
    pub viewpoint: Viewpoint,
    pub year: u16,
    pub rows: Vec<RiskRow>,
}

/// One mineral's score with its terms, as the method computes it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum Explanation {
    GeoPolRisk(Box<GeoPolRisk>),
    Eu(Box<SupplyRisk>),
    Hhi(Box<Profile>),
    /// Lodestone's stage-aware extension: every processing stage, highest score first.
    GeoPolRiskStage(Vec<StageGeoPolRisk>),
}

fn setup(store: &Store, q: &RiskQuery) -> Result<(Viewpoint, u16), AppError> {
    let vp = Viewpoint::resolve(store.dataset(), store.trade(), &q.viewpoint)?;
    let year = match q.year {
        Some(y) => {
            crate::params::year_in(y, &store.trade().all_years(), "trade data")?;
            y
        }
        None => default_year(store.trade())?,
    };
    Ok((vp, year))
}

/// The ranking of every mineral from the query's viewpoint.
pub fn ranking(store: &Store, q: &RiskQuery) -> Result<Ranking, AppError> {
    let (viewpoint, year) = setup(store, q)?;
    let restrictions = restrictions_in(store, year);
    let rows = rank(
        store.dataset(),
        store.trade(),
        &viewpoint,
        q.method,
        year,
        &restrictions,
    );
    Ok(Ranking {
        method: q.method,
        viewpoint,
        year,
        rows,
    })
}

/// One mineral's score with every term of the formula.
pub fn explain(store: &Store, q: &RiskQuery) -> Result<Explanation, AppError> {
    let commodity = q
        .commodity
        .as_deref()
        .ok_or_else(|| AppError::invalid("name a commodity to explain"))?;
    let (vp, year) = setup(store, q)?;
    let (ds, flows) = (store.dataset(), store.trade());
    match q.method {
        Method::GeoPolRisk => {
            let g = geopolrisk(ds, flows, commodity, &vp, year)?;
            if g.no_flows {
                return Err(AppError::no_data(format!(
                    "the trade data holds no flow of {} in {year} for any country: no GeoPolRisk score for {} (0 would be a silent gap)",
                    lodestone_model::product_labels(&g.hs_codes),
                    g.material
                )));
            }
            if g.no_trade {
                return Err(AppError::no_data(format!(
                    "{} neither imports nor produces {} in {year} (HS {:?}): no GeoPolRisk score (the formula would give a meaningless 0)",
                    vp.name, g.material, g.hs_codes
                )));
            }
            Ok(Explanation::GeoPolRisk(Box::new(g)))
        }
        Method::GeoPolRiskStage => Ok(Explanation::GeoPolRiskStage(stage_geopolrisk_all(
            ds, flows, commodity, &vp, year,
        )?)),
        Method::Eu => Ok(Explanation::Eu(Box::new(assess_all_stages(
            ds,
            flows,
            commodity,
            &vp,
            year,
            &restrictions_in(store, year),
        )?))),
        Method::Hhi => Ok(Explanation::Hhi(Box::new(concentration(
            store, commodity, q.year, year,
        )?))),
    }
}

/// Production concentration in the asked year; with no year asked, the trade year, else the
/// latest production year (the profile states the year it used).
fn concentration(
    store: &Store,
    commodity: &str,
    asked: Option<u16>,
    trade_year: u16,
) -> Result<Profile, AppError> {
    let at = |year: Option<u16>| {
        profile(
            store.dataset(),
            &SeriesQuery {
                commodity: commodity.to_string(),
                year,
                ..Default::default()
            },
        )
    };
    match asked {
        Some(y) => Ok(at(Some(y))?),
        None => Ok(at(Some(trade_year)).or_else(|_| at(None))?),
    }
}

/// The export restrictions in force at the end of the trade year (the EU method's t).
fn restrictions_in(store: &Store, year: u16) -> Vec<lodestone_model::Restriction> {
    chrono::NaiveDate::from_ymd_opt(i32::from(year), 12, 31)
        .map(|day| lodestone_events::restrictions::in_force(store.events(), day))
        .unwrap_or_default()
}

/// The trade year a query resolves to.
pub fn year(store: &Store, q: &RiskQuery) -> Result<u16, AppError> {
    Ok(match q.year {
        Some(y) => y,
        None => default_year(store.trade())?,
    })
}
