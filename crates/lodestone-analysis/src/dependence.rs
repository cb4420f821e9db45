//! Why this file exists: import dependence from any viewpoint — whom a country or bloc buys a
//! commodity from (intra-bloc trade excluded), its import reliance, the share from the concern set,
//! and the exposure one step upstream (a refined product bought from Japan whose ore Japan bought
//! from China).
//!
//! [`import_dependence`] gathers trade totals, origins, domestic production and upstream flows,
//! applies the import-reliance formula (M − X) / (P + M − X), and explains the result in notes.

use serde::Serialize;
use std::collections::BTreeMap;

use lodestone_model::{
    product_labels, CountryGroup, Dataset, Nomenclature, Provenance, Stage, TradeData,
};

use crate::error::AnalysisError;
use crate::profile::profile;
use crate::select::SeriesQuery;
use crate::viewpoint::Viewpoint;

/// One origin of the viewpoint's imports.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Origin {
    pub code: u16,
    pub iso3: String,
    pub name: String,
    pub quantity_t: f64,
    pub value_kusd: f64,
    /// Share of the viewpoint's imported tonnes (flows with a quantity).
    pub share_quantity: f64,
    pub share_value: f64,
    pub in_concern_set: bool,
}

/// One step upstream through a supplier.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpstreamLink {
    pub partner: String,
    pub partner_name: String,
    /// The partner's share of the viewpoint's imports of this stage (tonnes).
    pub share_of_imports: f64,
    /// The partner's imports of the upstream stage (tonnes, all origins).
    pub partner_upstream_imports_t: f64,
    /// Share of the partner's upstream imports that come from the concern set.
    pub partner_upstream_concern_share: f64,
}

/// The two kinds of trade data a stage can have: BACI's reconciled HS 1992 flows, and flows of
/// processed forms as other reporters state them. They are never summed together: they differ in
/// coverage and often in basis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ProductSet {
    /// HS 1992 codes of the embedded BACI release (every reporter, reconciled).
    Reconciled,
    /// Codes of other nomenclatures (China's customs, the USGS Minerals Yearbook, purchase
    /// statistics): partial coverage, stated with every result.
    Reported,
}

impl ProductSet {
    fn holds(self, key: u32) -> bool {
        (Nomenclature::of_key(key).0 == Nomenclature::Hs1992) == (self == ProductSet::Reconciled)
    }
}

/// One source behind a result: what it covers.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Coverage {
    pub source: String,
    pub provenance: Provenance,
    /// The products (nomenclature and code) its flows are in.
    pub products: String,
    /// Countries whose own statistics the flows are (importers or exporters), ISO3.
    pub reporters: Vec<String>,
    pub flows: usize,
}

/// Import dependence of a viewpoint on one commodity at one stage.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportDependence {
    pub commodity: String,
    pub stage: Stage,
    pub viewpoint: String,
    pub members: Vec<String>,
    pub year: u16,
    pub hs_codes: Vec<u32>,
    /// Extra-bloc imports and exports, tonnes of product (gross weight).
    pub imports_t: f64,
    pub exports_t: f64,
    pub imports_kusd: f64,
    pub exports_kusd: f64,
    /// Import rows whose quantity BACI leaves as NA (their value is counted, their tonnes are not).
    pub imports_missing_quantity: usize,
    pub origins: Vec<Origin>,
    pub concern_share_quantity: f64,
    pub concern_share_value: f64,
    /// Domestic production at this stage (members summed), in the production basis.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub production: Option<f64>,
    pub production_unit: String,
    pub production_basis: String,
    pub production_source: String,
    /// (M − X) / (P + M − X), clipped to [0, 1]; `None` when bases cannot be reconciled.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub import_reliance: Option<f64>,
    pub import_reliance_rule: String,
    /// Σ over suppliers of (supplier's share) × (concern share of the supplier's upstream imports).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub indirect_concern_exposure: Option<f64>,
    pub upstream: Vec<UpstreamLink>,
    pub trade_source: String,
    /// Which sources, products and reporters the trade figures cover.
    pub product_set: ProductSet,
    pub coverage: Vec<Coverage>,
    pub notes: Vec<String>,
}

/// Stages of a commodity that the concordance links to HS codes, in stage order.
pub fn traded_stages(ds: &Dataset, commodity: &str) -> Vec<Stage> {
    let mut s: Vec<Stage> = ds
        .concordance
        .of_commodity(commodity)
        .map(|l| l.stage)
        .collect();
    s.sort();
    s.dedup();
    s
}

/// The viewpoint's extra-bloc trade in a set of HS codes for one year.
struct Totals {
    by_origin: BTreeMap<u16, (f64, f64)>,
    imports_t: f64,
    imports_kusd: f64,
    exports_t: f64,
    exports_kusd: f64,
    missing_q: usize,
    /// Flows left out because the same pair is also stated by a preferred reporter.
    duplicates: usize,
    /// Imports converted to the production basis (None once a code without factor is met).
    imports_content: Option<f64>,
    exports_content: Option<f64>,
}

/// For each (exporter, importer) pair, the provenance whose figures are used: one quantity has
/// one value, so when both sides state a flow the importer's statement (customs imports, the
/// usual choice of reconciled databases) is kept over the exporter's, and either over an
/// estimate.
pub fn best_provenance(
    trade: &TradeData,
    codes: &[u32],
    year: u16,
) -> BTreeMap<(u16, u16), Provenance> {
    let mut best: BTreeMap<(u16, u16), Provenance> = BTreeMap::new();
    for &k in codes {
        for f in trade.flows_of(year, k) {
            let e = best.entry((f.exporter, f.importer)).or_insert(f.provenance);
            *e = (*e).min(f.provenance);
        }
    }
    best
}

/// Sums the viewpoint's extra-bloc imports (by origin) and exports over the HS codes.
fn totals(ds: &Dataset, trade: &TradeData, vp: &Viewpoint, codes: &[u32], year: u16) -> Totals {
    let mut t = Totals {
        by_origin: BTreeMap::new(),
        imports_t: 0.0,
        imports_kusd: 0.0,
        exports_t: 0.0,
        exports_kusd: 0.0,
        missing_q: 0,
        imports_content: Some(0.0),
        exports_content: Some(0.0),
        duplicates: 0,
    };
    let best = best_provenance(trade, codes, year);
    for &k in codes {
        let factor = ds.concordance.get(k).and_then(|l| l.content_factor);
        for f in trade.flows_of(year, k) {
            if best.get(&(f.exporter, f.importer)) != Some(&f.provenance) {
                t.duplicates += 1;
                continue;
            }
            let inside_i = vp.contains_code(f.importer);
            let inside_e = vp.contains_code(f.exporter);
            let q = f.quantity_t.unwrap_or(0.0);
            if inside_i && !inside_e {
                let e = t.by_origin.entry(f.exporter).or_insert((0.0, 0.0));
                e.0 += q;
                e.1 += f.value_kusd;
                t.imports_t += q;
                t.imports_kusd += f.value_kusd;
                if f.quantity_t.is_none() {
                    t.missing_q += 1;
                }
                t.imports_content = t.imports_content.zip(factor).map(|(s, c)| s + q * c);
            } else if inside_e && !inside_i {
                t.exports_t += q;
                t.exports_kusd += f.value_kusd;
                t.exports_content = t.exports_content.zip(factor).map(|(s, c)| s + q * c);
            }
        }
    }
    t
}

/// Import dependence of `vp` on `commodity` at `stage` in `year`, on BACI's reconciled flows
/// where the stage has HS 1992 codes, else on the flows other reporters state.
pub fn import_dependence(
    ds: &Dataset,
    trade: &TradeData,
    commodity: &str,
    stage: Stage,
    vp: &Viewpoint,
    year: u16,
) -> Result<ImportDependence, AnalysisError> {
    let c = ds.commodities.lookup(commodity)?.id.clone();
    let set = if stage_codes(ds, &c, stage)
        .iter()
        .any(|k| ProductSet::Reconciled.holds(*k))
    {
        ProductSet::Reconciled
    } else {
        ProductSet::Reported
    };
    import_dependence_in(ds, trade, &c, stage, set, vp, year)
}

/// The product sets a stage has codes for, reconciled first.
pub fn product_sets(ds: &Dataset, commodity: &str, stage: Stage) -> Vec<ProductSet> {
    let codes = stage_codes(ds, commodity, stage);
    [ProductSet::Reconciled, ProductSet::Reported]
        .into_iter()
        .filter(|s| codes.iter().any(|k| s.holds(*k)))
        .collect()
}

/// The latest year with flows into (or out of) the viewpoint in a stage's codes of one
/// product set.
pub fn latest_year(
    ds: &Dataset,
    trade: &TradeData,
    commodity: &str,
    stage: Stage,
    set: ProductSet,
    vp: &Viewpoint,
) -> Option<u16> {
    latest_year_with(ds, trade, commodity, stage, set, &|f| {
        vp.contains_code(f.importer) || vp.contains_code(f.exporter)
    })
}

/// The latest year with flows INTO the viewpoint in a stage's codes of one product set (a year
/// in which only its exports appear says nothing about its imports).
pub fn latest_import_year(
    ds: &Dataset,
    trade: &TradeData,
    commodity: &str,
    stage: Stage,
    set: ProductSet,
    vp: &Viewpoint,
) -> Option<u16> {
    latest_year_with(ds, trade, commodity, stage, set, &|f| {
        vp.contains_code(f.importer) && !vp.contains_code(f.exporter)
    })
}

/// The latest year in which any flow of a stage's codes in one product set passes `wanted`.
fn latest_year_with(
    ds: &Dataset,
    trade: &TradeData,
    commodity: &str,
    stage: Stage,
    set: ProductSet,
    wanted: &dyn Fn(&lodestone_model::TradeFlow) -> bool,
) -> Option<u16> {
    let codes: Vec<u32> = set_codes(ds, commodity, stage, set);
    trade.all_years().into_iter().rev().find(|y| {
        codes
            .iter()
            .any(|k| trade.flows_of(*y, *k).iter().any(wanted))
    })
}

/// Import dependence in `year`, or — when the stage's products have no flows for the viewpoint
/// that year (processed forms are reported for other years than BACI's latest) — on the product
/// set and latest year with imports into it, with a note saying so.
pub fn import_dependence_or_latest(
    ds: &Dataset,
    trade: &TradeData,
    commodity: &str,
    stage: Stage,
    vp: &Viewpoint,
    year: u16,
) -> Result<(ImportDependence, Option<String>), AnalysisError> {
    match import_dependence(ds, trade, commodity, stage, vp, year) {
        Ok(d) => Ok((d, None)),
        Err(e) => {
            let latest = product_sets(ds, commodity, stage)
                .into_iter()
                .filter_map(|set| {
                    latest_import_year(ds, trade, commodity, stage, set, vp).map(|y| (y, set))
                })
                .max_by_key(|(y, _)| *y);
            match latest {
                Some((y, set)) if y != year => Ok((
                    import_dependence_in(ds, trade, commodity, stage, set, vp, y)?,
                    Some(format!(
                        "no {stage} trade into {} in {year}: assessed on {y}, the latest year with imports in these sources",
                        vp.name
                    )),
                )),
                _ => Err(e),
            }
        }
    }
}

/// A stage's codes in one product set.
pub fn set_codes(ds: &Dataset, commodity: &str, stage: Stage, set: ProductSet) -> Vec<u32> {
    stage_codes(ds, commodity, stage)
        .into_iter()
        .filter(|k| set.holds(*k))
        .collect()
}

/// Import dependence of `vp` on `commodity` at `stage` in `year`, on one product set.
pub fn import_dependence_in(
    ds: &Dataset,
    trade: &TradeData,
    commodity: &str,
    stage: Stage,
    set: ProductSet,
    vp: &Viewpoint,
    year: u16,
) -> Result<ImportDependence, AnalysisError> {
    let c = ds.commodities.lookup(commodity)?.id.clone();
    let mut codes = set_codes(ds, &c, stage, set);
    require_codes_and_year(ds, trade, &c, stage, &codes, year)?;
    // Name only the products with flows that year (a set may list several HS editions).
    let with_flows: Vec<u32> = codes
        .iter()
        .copied()
        .filter(|k| trade.has_flows(year, &[*k]))
        .collect();
    if !with_flows.is_empty() {
        codes = with_flows;
    }
    let concern = Concern::of(ds, trade);
    let t = totals(ds, trade, vp, &codes, year);
    if t.imports_kusd == 0.0 && t.exports_kusd == 0.0 && t.imports_t == 0.0 && t.exports_t == 0.0 {
        return Err(AnalysisError::NoData {
            what: format!(
                "{} has no {c} trade at the {stage} stage in {year} in {} ({})",
                vp.name,
                product_labels(&codes),
                coverage_line(&coverage(trade, &codes, year))
            ),
            choices: vec![],
        });
    }
    let origins = origins(trade, &t, &concern);
    let production = domestic_production(ds, &c, stage, vp, year);
    let upstream = upstream(ds, trade, &c, stage, &origins, year, &concern);
    let parts = Gathered {
        factor_bases: factor_bases(ds, &codes),
        commodity: c,
        coverage: coverage(trade, &codes, year),
        set,
        codes,
        totals: t,
        origins,
        production,
        upstream,
    };
    Ok(explain(parts, stage, vp, year, trade))
}

/// The HS codes the concordance links to a commodity at one stage.
fn stage_codes(ds: &Dataset, commodity: &str, stage: Stage) -> Vec<u32> {
    ds.concordance
        .of_commodity(commodity)
        .filter(|l| l.stage == stage)
        .map(|l| l.hs6)
        .collect()
}

/// Refuses a stage without HS codes or a year without trade data, naming the valid choices.
fn require_codes_and_year(
    ds: &Dataset,
    trade: &TradeData,
    c: &str,
    stage: Stage,
    codes: &[u32],
    year: u16,
) -> Result<(), AnalysisError> {
    if codes.is_empty() {
        return Err(AnalysisError::NoData {
            what: format!("no HS code links {c} at the {stage} stage (data/hs-concordance.csv)"),
            choices: traded_stages(ds, c).iter().map(|s| s.to_string()).collect(),
        });
    }
    let years = trade.all_years();
    if !years.contains(&year) {
        return Err(AnalysisError::NoData {
            what: format!("no trade data for {year}"),
            choices: years.iter().map(|y| y.to_string()).collect(),
        });
    }
    Ok(())
}

/// The concern set, looked up once and tested against BACI country codes.
struct Concern<'a> {
    trade: &'a TradeData,
    group: Option<&'a CountryGroup>,
}

impl<'a> Concern<'a> {
    /// The dataset's "concern" group as seen through the trade data's country codes.
    fn of(ds: &'a Dataset, trade: &'a TradeData) -> Self {
        Concern {
            trade,
            group: ds.groups.get("concern"),
        }
    }

    /// Whether a BACI country code belongs to the concern set.
    fn contains_code(&self, code: u16) -> bool {
        self.trade
            .iso3_of(code)
            .is_some_and(|i| self.group.is_some_and(|g| g.contains(i)))
    }
}

/// The viewpoint's import origins with their shares, largest tonnage (then value) first.
fn origins(trade: &TradeData, t: &Totals, concern: &Concern) -> Vec<Origin> {
    let mut origins: Vec<Origin> = t
        .by_origin
        .iter()
        .map(|(&code, &(q, v))| {
            let tc = trade.country(code);
            Origin {
                code,
                iso3: tc.map(|c| c.iso3.clone()).unwrap_or_default(),
                name: tc
                    .map(|c| c.name.clone())
                    .unwrap_or_else(|| format!("BACI code {code} (not in the country table)")),
                quantity_t: q,
                value_kusd: v,
                share_quantity: share_of(q, t.imports_t),
                share_value: share_of(v, t.imports_kusd),
                in_concern_set: concern.contains_code(code),
            }
        })
        .collect();
    origins.sort_by(|a, b| {
        b.quantity_t
            .total_cmp(&a.quantity_t)
            .then(b.value_kusd.total_cmp(&a.value_kusd))
    });
    origins
}

/// `part / whole`, or 0 when the whole is not positive.
fn share_of(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        part / whole
    } else {
        0.0
    }
}

/// The concern set's share of imports: (by tonnes, by value).
fn concern_shares(origins: &[Origin]) -> (f64, f64) {
    let share = |f: fn(&Origin) -> f64| {
        origins
            .iter()
            .filter(|o| o.in_concern_set)
            .map(f)
            .sum::<f64>()
            + 0.0
    };
    (share(|o| o.share_quantity), share(|o| o.share_value))
}

/// Domestic production at a stage, members summed, with its basis, source and year caveat.
struct Production {
    /// Tonnes in the production basis; `None` without a producer profile.
    value: Option<f64>,
    unit: String,
    basis: String,
    source: String,
    /// Set when the profile is for an earlier year than asked.
    year_note: Option<String>,
}

/// Domestic production from the producer profile of the same year (or the latest before).
fn domestic_production(
    ds: &Dataset,
    c: &str,
    stage: Stage,
    vp: &Viewpoint,
    year: u16,
) -> Production {
    // A stage no source publishes production for anywhere (beryllium or palladium refining):
    // the viewpoint's mine production stands in, said in a note — as the EU method takes
    // extraction data where processing data are missing — but only on the basis the stage's
    // content factors convert to, or where the viewpoint mines none (zero on any basis).
    let bases = factor_bases(ds, &stage_codes(ds, c, stage));
    let (p, stand_in) = match stage_profile(ds, c, stage, year) {
        // Production on the basis the trade converts to, where the default source prints
        // another one (chromite: Cr2O3 in one source, gross ore in another).
        Ok(p) if !bases.is_empty() && !bases.contains(&p.basis) => {
            match profile_on_basis(ds, c, stage, year, &bases) {
                Some(q) => (q, false),
                None => (p, false),
            }
        }
        Ok(p) => (p, false),
        Err(_) if stage != Stage::Mine => match mine_stand_in(ds, c, stage, vp, year) {
            Some(p) => (p, true),
            None => return Production::unknown(),
        },
        Err(_) => return Production::unknown(),
    };
    let year_note = match (stand_in, p.year != year) {
        (true, _) => Some(format!(
            "no source publishes {c} {stage} production for any country: the viewpoint's mine production ({}, {}) stands in; where it mines none this counts as 0, so refining from imported or recycled feed, which no source here reports, would lower import reliance",
            p.basis, p.year
        )),
        (false, true) => Some(format!(
            "production is for {} (the source has no {year} figure)",
            p.year
        )),
        (false, false) => None,
    };
    let sum: f64 = p
        .producers
        .iter()
        .filter(|r| vp.contains(&r.iso3))
        .filter_map(|r| r.value)
        .sum::<f64>()
        + 0.0;
    let unit: lodestone_model::Unit = p.unit.parse().unwrap_or(lodestone_model::Unit::Tonne);
    let sum_t = unit
        .convert(sum, lodestone_model::Unit::Tonne)
        .unwrap_or(sum);
    let source = p
        .world_total_provenance
        .as_ref()
        .map(|w| format!("{} {}, {}", w.source, w.edition, w.file))
        .unwrap_or_else(|| format!("{} {}", p.source, p.edition));
    Production {
        value: Some(sum_t),
        unit: "t".to_string(),
        basis: p.basis.clone(),
        source,
        year_note,
    }
}

impl Production {
    fn unknown() -> Self {
        Production {
            value: None,
            unit: "t".into(),
            basis: String::new(),
            source: String::new(),
            year_note: None,
        }
    }
}

/// The bases the content factors of products convert to (empty: none declared).
pub fn factor_bases(ds: &Dataset, codes: &[u32]) -> Vec<String> {
    let mut v: Vec<String> = codes
        .iter()
        .filter_map(|k| ds.concordance.get(*k))
        .filter(|l| l.content_factor.is_some() && !l.content_basis.is_empty())
        .map(|l| l.content_basis.clone())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// The mine profile that may stand in for a stage without production figures: the default
/// one when the viewpoint mines none, else one whose basis is the stage's content-factor basis.
fn mine_stand_in(
    ds: &Dataset,
    c: &str,
    stage: Stage,
    vp: &Viewpoint,
    year: u16,
) -> Option<crate::profile::Profile> {
    let default = stage_profile(ds, c, Stage::Mine, year).ok()?;
    let mines = default
        .producers
        .iter()
        .any(|r| vp.contains(&r.iso3) && r.value.is_some_and(|v| v > 0.0));
    if !mines {
        return Some(default);
    }
    let bases = factor_bases(ds, &stage_codes(ds, c, stage));
    if bases.is_empty() {
        // Older lines declare no basis: the stage's usual one is assumed, as everywhere else.
        return Some(default);
    }
    profile_on_basis(ds, c, Stage::Mine, year, &bases)
}

/// A profile of the stage from the first source family that prints it on one of `bases`.
fn profile_on_basis(
    ds: &Dataset,
    c: &str,
    stage: Stage,
    year: u16,
    bases: &[String],
) -> Option<crate::profile::Profile> {
    let family_profile = |family| {
        let q = |year| SeriesQuery {
            commodity: c.to_string(),
            stage: Some(stage),
            year,
            source: Some(family),
            ..Default::default()
        };
        profile(ds, &q(Some(year)))
            .or_else(|_| profile(ds, &q(None)))
            .ok()
    };
    crate::select::SourceFamily::ALL
        .iter()
        .filter_map(|f| family_profile(*f))
        .find(|p| bases.contains(&p.basis))
}

/// What import reliance is computed from.
struct RelianceInputs<'a> {
    /// Extra-bloc imports minus exports, tonnes of product.
    net_t: f64,
    production: Option<f64>,
    /// Imports and exports in the production basis (`None` without a cited content factor).
    imports_content: Option<f64>,
    exports_content: Option<f64>,
    production_basis: &'a str,
    codes: &'a [u32],
    /// The bases the products' content factors convert to.
    factor_bases: Vec<String>,
}

/// Import reliance (M − X) / (P + M − X), clipped to [0, 1], with the rule that gave it.
fn import_reliance(i: &RelianceInputs) -> (Option<f64>, String) {
    let production_basis = i.production_basis;
    let codes = i.codes;
    match i.production {
        _ if i.net_t <= 0.0 => (Some(0.0), "net exporter of the traded product: IR = 0 whatever the bases".to_string()),
        Some(0.0) => (Some(1.0), "no domestic production: IR = 1 whatever the bases".to_string()),
        None => (None, "no production figure for this stage".to_string()),
        Some(_) if i.factor_bases.iter().any(|b| b != production_basis) => (
            None,
            format!(
                "not computed: the content factors of {} convert to {}, but production is printed as {production_basis}",
                product_labels(codes),
                i.factor_bases.join(" / ")
            ),
        ),
        Some(p) => match (i.imports_content, i.exports_content) {
            (Some(m), Some(x)) => {
                let net = m - x;
                let ir = (net / (p + net)).clamp(0.0, 1.0);
                (Some(ir), format!("(M − X) / (P + M − X) with trade converted to {} through the concordance's cited content factors", production_basis))
            }
            _ => (
                None,
                format!(
                    "not computed: the traded product (gross weight) and production ({production_basis}) need a content factor that data/hs-concordance.csv does not cite for {}",
                    product_labels(codes)
                ),
            ),
        },
    }
}

/// Notes on import rows without tonnes and on origins without ISO3.
fn trade_notes(t: &Totals, origins: &[Origin]) -> Vec<String> {
    let mut notes = Vec::new();
    if t.missing_q > 0 {
        notes.push(format!("{} import flows have no quantity in BACI (NA); their value is counted, their tonnes are not", t.missing_q));
    }
    let unknown: Vec<u16> = origins
        .iter()
        .filter(|o| o.iso3.is_empty())
        .map(|o| o.code)
        .collect();
    if !unknown.is_empty() {
        notes.push(format!(
            "origins without ISO3 kept under their BACI code: {unknown:?}"
        ));
    }
    notes
}

/// What a partial source leaves out, said once per result.
fn coverage_notes(coverage: &[Coverage], duplicates: usize) -> Vec<String> {
    let mut notes = Vec::new();
    for c in coverage {
        match c.provenance {
            Provenance::ReportedByExporter => notes.push(format!(
                "flows as {} report their exports ({}): imports from other origins are not in this source, so shares are of the covered imports only",
                c.reporters.join(", "), c.products
            )),
            Provenance::ReportedByImporter => notes.push(format!(
                "flows as {} report their imports ({}): complete for that importer only",
                c.reporters.join(", "), c.products
            )),
            Provenance::Estimated => notes.push(format!(
                "estimated flows ({}): built from buyers' purchase statistics by origin, not customs declarations",
                c.products
            )),
            Provenance::Reconciled => {}
        }
    }
    if duplicates > 0 {
        notes.push(format!("{duplicates} flows stated by both sides: the importer's figure is used, the exporter's left out"));
    }
    notes
}

/// One step upstream: each supplier's imports of the previous traded stage.
struct Upstream {
    links: Vec<UpstreamLink>,
    /// Σ (supplier's share) × (concern share of its upstream imports); `None` at the first stage.
    exposure: Option<f64>,
    note: Option<String>,
}

/// For each supplier, where its imports of the previous traded stage come from.
fn upstream(
    ds: &Dataset,
    trade: &TradeData,
    c: &str,
    stage: Stage,
    origins: &[Origin],
    year: u16,
    concern: &Concern,
) -> Upstream {
    let upstream_stage = traded_stages(ds, c)
        .into_iter()
        .filter(|s| *s < stage)
        .max();
    let Some(us) = upstream_stage else {
        return Upstream {
            links: Vec::new(),
            exposure: None,
            note: None,
        };
    };
    // One product set upstream too: BACI's HS 1992 codes where they have flows that year,
    // else the other reporters' codes (never both summed).
    let reconciled = set_codes(ds, c, us, ProductSet::Reconciled);
    let up_codes = if trade.has_flows(year, &reconciled) {
        reconciled
    } else {
        set_codes(ds, c, us, ProductSet::Reported)
    };
    let links: Vec<UpstreamLink> = origins
        .iter()
        .filter(|o| o.share_quantity > 0.0)
        .map(|o| upstream_link(trade, o, &up_codes, year, concern))
        .collect();
    let mut exposure = 0.0;
    for l in &links {
        exposure += l.share_of_imports * l.partner_upstream_concern_share;
    }
    Upstream {
        links,
        exposure: Some(exposure + 0.0),
        note: Some(format!(
            "upstream = each supplier's imports of the {us} stage ({}); its own {us} production is not counted",
            product_labels(&up_codes)
        )),
    }
}

/// A supplier's imports of the upstream HS codes and the concern set's share of them.
fn upstream_link(
    trade: &TradeData,
    o: &Origin,
    up_codes: &[u32],
    year: u16,
    concern: &Concern,
) -> UpstreamLink {
    let (mut total, mut from_concern) = (0.0, 0.0);
    for &k in up_codes {
        for f in trade
            .flows_of(year, k)
            .iter()
            .filter(|f| f.importer == o.code)
        {
            let q = f.quantity_t.unwrap_or(0.0);
            total += q;
            if concern.contains_code(f.exporter) {
                from_concern += q;
            }
        }
    }
    UpstreamLink {
        partner: o.iso3.clone(),
        partner_name: o.name.clone(),
        share_of_imports: o.share_quantity,
        partner_upstream_imports_t: total,
        partner_upstream_concern_share: share_of(from_concern, total),
    }
}

/// Everything gathered for one import-dependence report.
struct Gathered {
    commodity: String,
    set: ProductSet,
    coverage: Vec<Coverage>,
    codes: Vec<u32>,
    totals: Totals,
    origins: Vec<Origin>,
    production: Production,
    upstream: Upstream,
    factor_bases: Vec<String>,
}

/// Why the viewpoint's imports cannot be known from these flows, if they cannot: every source
/// is an importer's own statistics and the viewpoint is not among those importers (its
/// exports to them may be there; its imports are not).
fn imports_unseen(g: &Gathered, vp: &Viewpoint) -> Option<String> {
    let importer_only = !g.coverage.is_empty()
        && g.coverage
            .iter()
            .all(|c| c.provenance == Provenance::ReportedByImporter);
    let reporters: Vec<&str> = g
        .coverage
        .iter()
        .flat_map(|c| c.reporters.iter().map(String::as_str))
        .collect();
    (importer_only && !reporters.iter().any(|r| vp.contains(r))).then(|| {
        format!(
            "not computable: these sources report only {}'s imports; {}'s imports are not in them",
            reporters.join(", "),
            vp.name
        )
    })
}

/// Computes import reliance and concern shares from the gathered parts and writes the report.
fn explain(
    g: Gathered,
    stage: Stage,
    vp: &Viewpoint,
    year: u16,
    trade: &TradeData,
) -> ImportDependence {
    let t = &g.totals;
    let (ir, rule) = match imports_unseen(&g, vp) {
        Some(why) => (None, why),
        None => import_reliance(&RelianceInputs {
            net_t: t.imports_t - t.exports_t,
            production: g.production.value,
            imports_content: t.imports_content,
            exports_content: t.exports_content,
            production_basis: &g.production.basis,
            codes: &g.codes,
            factor_bases: g.factor_bases.clone(),
        }),
    };
    let (concern_share_quantity, concern_share_value) = concern_shares(&g.origins);
    let mut notes: Vec<String> = g.production.year_note.into_iter().collect();
    notes.extend(trade_notes(t, &g.origins));
    notes.extend(coverage_notes(&g.coverage, t.duplicates));
    if g.set == ProductSet::Reported && t.exports_t == 0.0 && t.exports_kusd == 0.0 {
        notes.push(format!(
            "{}'s exports are not in these sources: they count as 0, so import reliance here is an upper bound",
            vp.name
        ));
    }
    notes.extend(g.upstream.note);
    ImportDependence {
        commodity: g.commodity,
        stage,
        viewpoint: vp.id.clone(),
        members: vp.members.clone(),
        year,
        hs_codes: g.codes,
        imports_t: t.imports_t,
        exports_t: t.exports_t,
        imports_kusd: t.imports_kusd,
        exports_kusd: t.exports_kusd,
        imports_missing_quantity: t.missing_q,
        origins: g.origins,
        concern_share_quantity,
        concern_share_value,
        production: g.production.value,
        production_unit: g.production.unit,
        production_basis: g.production.basis,
        production_source: g.production.source,
        import_reliance: ir,
        import_reliance_rule: rule,
        indirect_concern_exposure: g.upstream.exposure,
        upstream: g.upstream.links,
        trade_source: if g.set == ProductSet::Reconciled {
            trade.source.clone()
        } else {
            g.coverage
                .iter()
                .map(|c| c.source.clone())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect::<Vec<_>>()
                .join("; ")
        },
        product_set: g.set,
        coverage: g.coverage,
        notes,
    }
}

/// The sources behind a set of codes in one year: per (source, provenance), the products, the
/// reporting countries and the number of flows.
pub fn coverage(trade: &TradeData, codes: &[u32], year: u16) -> Vec<Coverage> {
    // Per (source, provenance): the product keys, the reporting countries, the flow count.
    type Seen = (Vec<u32>, Vec<String>, usize);
    let mut by: BTreeMap<(u16, Provenance), Seen> = BTreeMap::new();
    for &k in codes {
        for f in trade.flows_of(year, k) {
            let (keys, reporters, flows) = by.entry((f.source, f.provenance)).or_default();
            if !keys.contains(&k) {
                keys.push(k);
            }
            let reporter = match f.provenance {
                Provenance::ReportedByExporter => trade.iso3_of(f.exporter),
                Provenance::ReportedByImporter | Provenance::Estimated => trade.iso3_of(f.importer),
                Provenance::Reconciled => None,
            };
            if let Some(r) = reporter.filter(|r| !reporters.iter().any(|x| x == r)) {
                reporters.push(r.to_string());
            }
            *flows += 1;
        }
    }
    by.into_iter()
        .map(|((source, provenance), (keys, mut reporters, flows))| {
            reporters.sort();
            Coverage {
                source: trade.source_name(source).to_string(),
                provenance,
                products: product_labels(&keys),
                reporters,
                flows,
            }
        })
        .collect()
}

/// One line per source: "USGS … (reported-by-importer: USA; 12 flows)".
pub fn coverage_line(c: &[Coverage]) -> String {
    if c.is_empty() {
        return "no flows in that year".to_string();
    }
    c.iter()
        .map(|c| {
            let who = if c.reporters.is_empty() {
                "all reporters".to_string()
            } else {
                c.reporters.join(", ")
            };
            format!("{} ({}: {who}; {} flows)", c.source, c.provenance, c.flows)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The producer profile of a commodity at a stage for a year (or the latest year before it).
pub fn stage_profile(
    ds: &Dataset,
    commodity: &str,
    stage: Stage,
    year: u16,
) -> Result<crate::profile::Profile, AnalysisError> {
    let q = |year| SeriesQuery {
        commodity: commodity.to_string(),
        stage: Some(stage),
        year,
        ..Default::default()
    };
    profile(ds, &q(Some(year))).or_else(|_| profile(ds, &q(None)))
}
