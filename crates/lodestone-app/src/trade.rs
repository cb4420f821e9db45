//! Why this file exists: `trade` — whom an importer or bloc buys a commodity from, per traded
//! stage: origins with tonnes, value and shares, import reliance, the concern set's share.

use serde::Deserialize;

use lodestone_analysis::dependence::{
    import_dependence_in, latest_year, product_sets, traded_stages, ImportDependence,
};
use lodestone_analysis::viewpoint::Viewpoint;
use lodestone_model::Stage;

use crate::error::AppError;
use crate::params::opt_from_str;
use crate::store::Store;

/// Whose imports of which commodity.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct TradeQuery {
    /// Commodity id, name or synonym.
    #[serde(skip)]
    pub commodity: String,
    /// The importer: ISO3, country name or a group (eu27, g7, c5, concern, or one from the config).
    #[serde(default = "crate::params::usa")]
    #[cfg_attr(feature = "clap", arg(long, default_value = "USA"))]
    pub importer: String,
    /// Trade year (default: the latest in the data).
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long))]
    pub year: Option<u16>,
    /// One stage only (default: every traded stage).
    #[serde(default, deserialize_with = "opt_from_str")]
    #[cfg_attr(feature = "clap", arg(long))]
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>))]
    pub stage: Option<Stage>,
}

impl Default for TradeQuery {
    fn default() -> Self {
        TradeQuery {
            commodity: String::new(),
            importer: crate::params::usa(),
            year: None,
            stage: None,
        }
    }
}

/// The importer's dependence on each origin, one entry per traded stage and product set (BACI's
/// reconciled HS 1992 flows, and processed forms as other reporters state them — never summed
/// together). Without `--year`, each uses the latest year its own flows have.
pub fn trade(store: &Store, q: &TradeQuery) -> Result<Vec<ImportDependence>, AppError> {
    let (ds, flows) = (store.dataset(), store.trade());
    let commodity = ds.commodities.lookup(&q.commodity)?.id.clone();
    let vp = Viewpoint::resolve(ds, flows, &q.importer)?;
    let stages = match q.stage {
        Some(s) => vec![s],
        None => traded_stages(ds, &commodity),
    };
    if stages.is_empty() {
        return Err(AppError::no_data(format!(
            "{commodity} is not linked to any product code in data/hs-concordance.csv, so it has no trade data"
        )));
    }
    let mut out = Vec::new();
    let mut first_err = None;
    for s in stages {
        for set in product_sets(ds, &commodity, s) {
            let year = match q
                .year
                .or_else(|| latest_year(ds, flows, &commodity, s, set, &vp))
            {
                Some(y) => y,
                None => continue,
            };
            match import_dependence_in(ds, flows, &commodity, s, set, &vp, year) {
                Ok(d) => out.push(d),
                Err(e) => {
                    first_err.get_or_insert(e);
                }
            }
        }
    }
    match (out.is_empty(), first_err) {
        (true, Some(e)) => Err(e.into()),
        (true, None) => Err(AppError::no_data(format!(
            "no trade data for {commodity} in any year"
        ))),
        _ => Ok(out),
    }
}

/// An importer's imports of one HS product, from outside the importer (a bloc's internal trade
/// left out).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ProductImports {
    pub hs6: u32,
    pub quantity_t: f64,
    pub value_kusd: f64,
}

/// The imports behind one stage's dependence, split by HS product.
pub fn by_product(store: &Store, d: &ImportDependence) -> Vec<ProductImports> {
    let flows = store.trade();
    let inside = |code: u16| {
        let iso3 = flows.iso3_of(code);
        d.members.iter().any(|m| iso3 == Some(m.as_str()))
    };
    let mut out = Vec::new();
    for &hs6 in &d.hs_codes {
        let (mut quantity_t, mut value_kusd) = (0.0, 0.0);
        for f in flows.flows_of(d.year, hs6) {
            if inside(f.importer) && !inside(f.exporter) {
                quantity_t += f.quantity_t.unwrap_or(0.0);
                value_kusd += f.value_kusd;
            }
        }
        if quantity_t > 0.0 || value_kusd > 0.0 {
            out.push(ProductImports {
                hs6,
                quantity_t,
                value_kusd,
            });
        }
    }
    out.sort_by_key(|p| p.hs6);
    out
}
