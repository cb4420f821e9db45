//! Why this file exists: what each origin can offer an importer, and what the importer needs,
//! measured at the origin and on one basis.
//!
//! A country offers what it produces at the stage and sells abroad: its exports, never more
//! than its production (net exports would miss a refiner that imports an intermediate under
//! the same code it exports its product in, as China does with rare-earth compounds) — so a
//! trading hub that mines or refines nothing offers nothing (unless the user opts in to hubs; a hub then
//! offers its exports, weighted by the governance of the countries it buys from). Projects
//! coming online by the target year add their expected output.
//!
//! The importer's need is its apparent consumption at the stage, P + M − X, less what it
//! produces itself. Both are measured in the stage's content basis (t W content, t Co content…)
//! when every traded product has a cited content factor to the production series' basis; else
//! in the gross weight of the traded products, where production cannot be added to trade, so
//! the need is net imports and the offer of a producing country its net exports.

use std::collections::BTreeMap;

use lodestone_analysis::dependence::{factor_bases, stage_profile};
use lodestone_analysis::viewpoint::Viewpoint;
use lodestone_model::{Dataset, Stage, TradeData, Unit};

use crate::error::PlanError;
use crate::forecast::{default_status_models, expected_addition, Forecast};

/// One origin's trade and production, and what it offers, in the plan's basis.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OriginSupply {
    /// Production at the stage in the production year (0 where the source lists none).
    pub production: f64,
    pub exports: f64,
    pub imports: f64,
    /// Expected additions from projects by the target year.
    pub addition: f64,
    /// What it can sell abroad in the target year.
    pub offer: f64,
    /// A trading hub: exports without production at the stage (offered only on opt-in).
    pub hub: bool,
    /// Exports in gross tonnes and thousand USD (for the unit-value cost proxy).
    pub exports_gross_t: f64,
    pub exports_kusd: f64,
    /// The importer's imports from this origin.
    pub to_importer: f64,
}

/// What the importer uses, produces and needs from abroad, in the plan's basis.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Demand {
    /// Apparent consumption P + M − X (`None` in gross weight, where P cannot be added).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub apparent_use_t: Option<f64>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub production_t: Option<f64>,
    pub imports_t: f64,
    pub exports_t: f64,
    /// What the plan must source abroad: apparent use less domestic production (= net imports).
    pub need_t: f64,
    /// The quantity shares are of: apparent use, or the need where use cannot be measured.
    pub of_t: f64,
    pub basis: String,
    pub trade_year: u16,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub production_year: Option<u16>,
    pub how: String,
}

/// Everything the plan knows about supply and demand.
#[derive(Debug, Clone)]
pub struct Supply {
    pub origins: BTreeMap<String, OriginSupply>,
    /// Each country's imports by origin (for tracing a hub back to its sources).
    pub imports_by: BTreeMap<String, BTreeMap<String, f64>>,
    pub demand: Demand,
    /// The plan's basis is the content basis of the production series.
    pub content: bool,
    /// Production figures exist for the stage (else net exporters stand in for producers).
    pub has_production: bool,
    pub production_source: String,
    pub notes: Vec<String>,
}

/// What [`measure`] needs to know about the request.
pub struct Request<'a> {
    pub commodity: &'a str,
    pub stage: Stage,
    pub vp: &'a Viewpoint,
    pub trade_year: u16,
    pub codes: &'a [u32],
    pub target_year: u16,
    pub allow_hubs: bool,
    /// The products are in the reconciled world trade table (every reporter), so each origin's
    /// exports and imports are known; else only the importer's own statistics are.
    pub world_trade: bool,
}

/// Production at the stage by country in tonnes, its basis, year and citation.
type Production = (BTreeMap<String, f64>, String, u16, String);

/// The stage's production by country (latest year up to the trade year), in tonnes.
fn production(ds: &Dataset, r: &Request) -> Option<Production> {
    production_at(ds, r, r.stage)
}

/// Production by country at `stage` (latest year up to the trade year), in tonnes.
fn production_at(ds: &Dataset, r: &Request, stage: Stage) -> Option<Production> {
    let p = stage_profile(ds, r.commodity, stage, r.trade_year).ok()?;
    if p.measure != "production" {
        return None;
    }
    let unit: Unit = p.unit.parse().ok()?;
    let by: BTreeMap<String, f64> = p
        .producers
        .iter()
        .filter_map(|row| Some((row.iso3.clone(), unit.convert(row.value?, Unit::Tonne)?)))
        .filter(|(_, v)| *v > 0.0)
        .collect();
    let cite = format!(
        "{} {} {} ({})",
        p.source.as_str().to_uppercase(),
        p.edition,
        p.year,
        p.basis
    );
    Some((by, p.basis, p.year, cite))
}

/// Measures supply at origin and the importer's need, in one basis.
pub fn measure(
    ds: &Dataset,
    trade: &TradeData,
    r: &Request,
    fc: Option<&Forecast>,
) -> Result<Supply, PlanError> {
    let prod = production(ds, r);
    let factors = ds.concordance.content_factors(r.codes);
    let content = match (&prod, &factors) {
        // Older lines declare no basis: the stage's usual one is assumed, as everywhere else.
        (Some((_, basis, _, _)), Some(_)) => {
            let bases = factor_bases(ds, r.codes);
            bases.is_empty() || bases == [basis.clone()]
        }
        _ => false,
    };
    let factor = |k: u32| {
        if content {
            factors
                .as_ref()
                .and_then(|f| f.get(&k))
                .copied()
                .unwrap_or(0.0)
        } else {
            1.0
        }
    };
    let (origins, imports_by, (m_imp, x_imp)) = gather_trade(trade, r, factor);
    let basis = match (&prod, content) {
        (Some((_, b, _, _)), true) => b.clone(),
        _ => format!(
            "gross weight of the traded products ({})",
            lodestone_model::product_labels(r.codes)
        ),
    };
    let mut s = Supply {
        origins,
        imports_by,
        demand: demand(r, prod.as_ref(), content, m_imp, x_imp, basis)?,
        content,
        has_production: prod.is_some(),
        production_source: prod.as_ref().map_or(String::new(), |p| p.3.clone()),
        notes: Vec::new(),
    };
    // Without figures for the stage, a country qualifies as an origin by mining the commodity:
    // its exports are traced back to where the material was mined.
    let stand_in = match (&prod, r.stage) {
        (None, stage) if stage != Stage::Mine => production_at(ds, r, Stage::Mine),
        _ => None,
    };
    if let Some(m) = &stand_in {
        s.has_production = true;
        s.production_source = format!("{} — mine output stands in: the data has no production figures for the {} stage, so only countries that mine {} qualify as origins", m.3, r.stage, r.commodity);
        add_production(&mut s, r, Some(m), false);
    } else {
        add_production(&mut s, r, prod.as_ref(), content);
    }
    add_projects(&mut s, ds, r, fc);
    offers(&mut s, r);
    if !r.world_trade {
        s.notes.push(format!("the products are in {}'s own import statistics only, which do not show what origins sell elsewhere: {}", r.vp.name, if s.content { "each producer offers up to its production" } else { "producers' offers are not bounded (production cannot be compared with trade in gross weight)" }));
    }
    Ok(s)
}

/// Exports, imports and the importer's imports by origin, and the importer's extra-bloc imports
/// and exports, converted by `factor` per product.
#[allow(clippy::type_complexity)]
fn gather_trade(
    trade: &TradeData,
    r: &Request,
    factor: impl Fn(u32) -> f64,
) -> (
    BTreeMap<String, OriginSupply>,
    BTreeMap<String, BTreeMap<String, f64>>,
    (f64, f64),
) {
    let mut origins: BTreeMap<String, OriginSupply> = BTreeMap::new();
    let mut imports_by: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
    let (mut m_imp, mut x_imp) = (0.0, 0.0);
    for &k in r.codes {
        let f_k = factor(k);
        for f in trade.flows_of(r.trade_year, k) {
            let (Some(ex), Some(im)) = (trade.iso3_of(f.exporter), trade.iso3_of(f.importer))
            else {
                continue;
            };
            let gross = f.quantity_t.unwrap_or(0.0);
            let q = gross * f_k;
            let (ex_in, im_in) = (
                r.vp.contains_code(f.exporter),
                r.vp.contains_code(f.importer),
            );
            if ex_in && im_in {
                continue; // intra-bloc trade
            }
            if im_in {
                m_imp += q;
            }
            if ex_in {
                x_imp += q;
            }
            let o = origins.entry(ex.to_string()).or_default();
            o.exports += q;
            o.exports_gross_t += gross;
            o.exports_kusd += f.value_kusd;
            if im_in {
                o.to_importer += q;
            }
            origins.entry(im.to_string()).or_default().imports += q;
            *imports_by
                .entry(im.to_string())
                .or_default()
                .entry(ex.to_string())
                .or_default() += q;
        }
    }
    (origins, imports_by, (m_imp, x_imp))
}

/// The importer's apparent use and need, or why there is nothing to plan.
fn demand(
    r: &Request,
    prod: Option<&Production>,
    content: bool,
    m: f64,
    x: f64,
    basis: String,
) -> Result<Demand, PlanError> {
    let own: Option<f64> = prod.map(|(by, ..)| {
        by.iter()
            .filter(|(c, _)| r.vp.contains(c))
            .map(|(_, v)| v)
            .sum()
    });
    let name = &r.vp.name;
    if m <= 0.0 {
        return Err(PlanError::NoData(format!(
            "{name} imported no {} ({}, {}) in {}; nothing to plan",
            r.commodity,
            r.stage,
            lodestone_model::product_labels(r.codes),
            r.trade_year
        )));
    }
    let need = m - x;
    if need <= 0.0 {
        return Err(PlanError::NoData(format!(
            "{name} is a net exporter of {} at the {} stage in {} (imports {m:.0} t, exports {x:.0} t, {basis}); it needs nothing from abroad",
            r.commodity, r.stage, r.trade_year
        )));
    }
    let (apparent, how, of) = match (content, own) {
        (true, Some(p)) => (
            Some(p + need),
            format!("apparent use = production + imports − exports ({basis}); the plan sources the part not produced at home"),
            p + need,
        ),
        _ => (
            None,
            format!("net imports = imports − exports ({basis}); production cannot be added to trade in gross weight, so apparent use is not measured"),
            need,
        ),
    };
    Ok(Demand {
        apparent_use_t: apparent,
        production_t: if content { own } else { None },
        imports_t: m,
        exports_t: x,
        need_t: need,
        of_t: of,
        basis,
        trade_year: r.trade_year,
        production_year: prod.map(|p| p.2),
        how,
    })
}

/// Production by origin (in the plan's basis when content; producers are marked either way).
fn add_production(s: &mut Supply, r: &Request, prod: Option<&Production>, content: bool) {
    let Some((by, _, year, _)) = prod else {
        s.notes.push(format!(
            "no production figures for {} at the {} stage: net exporters stand in for producers",
            r.commodity, r.stage
        ));
        return;
    };
    for (c, v) in by {
        if r.vp.contains(c) {
            continue;
        }
        let o = s.origins.entry(c.clone()).or_default();
        // In gross weight the figure only marks the country as a producer.
        o.production = if content {
            *v
        } else {
            v.max(f64::MIN_POSITIVE)
        };
    }
    if *year < r.trade_year {
        s.notes.push(format!(
            "production is the latest the source has, {year}; trade is {}",
            r.trade_year
        ));
    }
}

/// Expected project additions by the target year: in content, as forecast; in gross weight,
/// scaled by world exports over world production (trade intensity).
fn add_projects(s: &mut Supply, ds: &Dataset, r: &Request, fc: Option<&Forecast>) {
    let Some(f) = fc else {
        return;
    };
    let models = default_status_models();
    let world_x: f64 = s.origins.values().map(|o| o.exports).sum();
    let world_p = lodestone_analysis::profile(
        ds,
        &lodestone_analysis::SeriesQuery {
            commodity: r.commodity.to_string(),
            stage: Some(f.stage),
            ..Default::default()
        },
    )
    .map_or(0.0, |p| p.denominator);
    let same_basis = s.content && f.basis == s.demand.basis && f.unit == "t";
    for c in &f.contributions {
        if r.vp.contains(&c.country) {
            continue;
        }
        let add = expected_addition(c, r.target_year, &models);
        if add <= 0.0 {
            continue;
        }
        let add = if same_basis {
            add
        } else if world_p > 0.0 {
            add / world_p * world_x
        } else {
            continue;
        };
        s.origins.entry(c.country.clone()).or_default().addition += add;
    }
    let how = if same_basis {
        "their expected output, all of it offered abroad"
    } else {
        "their share of world output applied to world exports (the forecast's basis differs from the plan's)"
    };
    s.notes.push(format!(
        "offers in {} include projects coming online by then: {how}",
        r.target_year
    ));
}

/// Each origin's offer: production not used at home (net exports, at most production) plus
/// project additions; hubs offer their exports only when allowed.
fn offers(s: &mut Supply, r: &Request) {
    let has_production = s.has_production;
    for o in s.origins.values_mut() {
        let net = (o.exports - o.imports).max(0.0);
        let producer =
            o.production > 0.0 || o.addition > 0.0 || !has_production && r.world_trade && net > 0.0;
        o.hub = !producer && o.exports > 0.0;
        let surplus = match (producer, r.world_trade, s.content) {
            (false, ..) => 0.0,
            (true, true, true) => o.exports.min(o.production),
            (true, true, false) => o.exports,
            (true, false, true) => o.production,
            (true, false, false) => s.demand.of_t,
        };
        o.offer = surplus + o.addition;
        if o.hub && r.allow_hubs {
            o.offer = o.exports;
        }
    }
}
