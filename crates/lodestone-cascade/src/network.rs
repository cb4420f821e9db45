//! Why this file exists: a cascade runs on one commodity's trade network at one stage in one year:
//! countries with production, stocks and bilateral links in tonnes, built from the embedded BACI
//! flows (NA quantities imputed from value at the HS code's median unit value) and production.

use serde::Serialize;
use std::collections::BTreeMap;

use lodestone_analysis::dependence::stage_profile;
use lodestone_model::{Dataset, Nomenclature, Stage, TradeData, Unit};

use crate::error::CascadeError;

/// One directed link: exporter → importer, tonnes per year.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Link {
    pub from: usize,
    pub to: usize,
    pub tonnes: f64,
    /// True when BACI printed no quantity and the tonnes were imputed from the value.
    pub imputed: bool,
    /// True when the link comes from buyers' purchase statistics, not a customs declaration
    /// (its Monte Carlo spread is widened like an imputed link's).
    pub estimated: bool,
}

/// The network: countries (ISO3, or "BACI &lt;code&gt;"), production, links.
#[derive(Debug, Clone, Serialize)]
pub struct Network {
    pub commodity: String,
    pub stage: Stage,
    pub year: u16,
    pub hs_codes: Vec<u32>,
    pub countries: Vec<String>,
    /// Production in trade tonnes (see `production_rule`).
    pub production: Vec<f64>,
    pub links: Vec<Link>,
    pub production_rule: String,
    /// What one tonne means in this network: the production basis (e.g. "Co content") when every
    /// product has a cited content factor, else the gross weight of the traded products.
    pub basis: String,
    pub notes: Vec<String>,
}

impl Network {
    pub fn index_of(&self, iso3: &str) -> Option<usize> {
        self.countries.iter().position(|c| c == iso3)
    }

    pub fn n(&self) -> usize {
        self.countries.len()
    }

    pub fn exports(&self) -> Vec<f64> {
        let mut x = vec![0.0; self.n()];
        for l in &self.links {
            x[l.from] += l.tonnes;
        }
        x
    }

    pub fn imports(&self) -> Vec<f64> {
        let mut m = vec![0.0; self.n()];
        for l in &self.links {
            m[l.to] += l.tonnes;
        }
        m
    }

    /// Apparent consumption P + M − X, floored at zero.
    pub fn consumption(&self) -> Vec<f64> {
        let (x, m) = (self.exports(), self.imports());
        (0..self.n())
            .map(|i| (self.production[i] + m[i] - x[i]).max(0.0) + 0.0)
            .collect()
    }
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    Some(v[v.len() / 2])
}

/// Bilateral tonnes of one stage's HS codes in one year, summed over codes, by BACI country code.
struct Flows {
    /// BACI country code → ISO3 (or "BACI <code>").
    names: BTreeMap<u16, String>,
    /// (exporter, importer) → (tonnes, whether any part was imputed, whether estimated).
    tonnes: BTreeMap<(u16, u16), (f64, bool, bool)>,
    /// Flows whose quantity was imputed from value.
    imputed: usize,
}

/// Builds the network of `commodity` at `stage` in `year`.
pub fn build(
    ds: &Dataset,
    trade: &TradeData,
    commodity: &str,
    stage: Stage,
    year: u16,
) -> Result<Network, CascadeError> {
    let codes = network_codes(trade, hs_codes(ds, commodity, stage)?, year);
    let factors = ds.concordance.content_factors(&codes);
    let flows = bilateral_tonnes(trade, &codes, year, factors.as_ref());
    if flows.tonnes.is_empty() {
        return Err(no_trade(trade, commodity, stage, &codes, year));
    }
    let mut notes = Vec::new();
    if flows.imputed > 0 {
        notes.push(format!(
            "{} flows without a quantity imputed from value at the HS code's median unit value",
            flows.imputed
        ));
    }
    let estimated = flows.tonnes.values().filter(|v| v.2).count();
    if estimated > 0 {
        notes.push(format!(
            "{estimated} links estimated from buyers' purchase statistics, not customs declarations: their Monte Carlo spread is the imputed links' (montecarlo.imputed_sigma)"
        ));
    }
    // Producers without trade also belong to the network.
    let mut countries: Vec<String> = flows.names.values().cloned().collect();
    let (producers, production_rule, basis) =
        traded_production(ds, commodity, stage, year, factors.as_ref());
    for (iso3, _) in &producers {
        if !countries.contains(iso3) {
            countries.push(iso3.clone());
        }
    }
    let links = links_between(&countries, flows);
    let mut net = Network {
        commodity: commodity.to_string(),
        stage,
        year,
        hs_codes: codes,
        production: vec![0.0; countries.len()],
        countries,
        links,
        production_rule,
        basis,
        notes,
    };
    let prod_by: BTreeMap<String, f64> = producers.into_iter().collect();
    if prod_by.is_empty() {
        infer_production(&mut net);
    } else {
        set_production(&mut net, prod_by);
    }
    Ok(net)
}

/// The HS codes linked to a commodity at a stage.
fn hs_codes(ds: &Dataset, commodity: &str, stage: Stage) -> Result<Vec<u32>, CascadeError> {
    let codes: Vec<u32> = ds
        .concordance
        .of_commodity(commodity)
        .filter(|l| l.stage == stage)
        .map(|l| l.hs6)
        .collect();
    if codes.is_empty() {
        return Err(CascadeError::NoNetwork(format!(
            "no HS code links {commodity} at the {stage} stage"
        )));
    }
    Ok(codes)
}

/// One product set per network, never both summed: the processed forms other reporters state
/// (natural uranium bought by utilities, US imports of APT) where the year has any — they are
/// what the embedded BACI subset lacks — else BACI's reconciled HS 1992 codes.
fn network_codes(trade: &TradeData, codes: Vec<u32>, year: u16) -> Vec<u32> {
    let (hs92, reported): (Vec<u32>, Vec<u32>) = codes
        .into_iter()
        .partition(|k| Nomenclature::of_key(*k).0 == Nomenclature::Hs1992);
    if trade.has_flows(year, &reported) || hs92.is_empty() {
        reported
    } else {
        hs92
    }
}

/// The year's flows of the codes in tonnes (converted to content where `factors` are given),
/// NA quantities imputed at the code's median unit value; flows without either are left out.
fn bilateral_tonnes(
    trade: &TradeData,
    codes: &[u32],
    year: u16,
    factors: Option<&BTreeMap<u32, f64>>,
) -> Flows {
    let mut out = Flows {
        names: BTreeMap::new(),
        tonnes: BTreeMap::new(),
        imputed: 0,
    };
    // One statement per pair: the importer's over the exporter's over an estimate.
    let best = lodestone_analysis::dependence::best_provenance(trade, codes, year);
    for &k in codes {
        let flows = trade.flows_of(year, k);
        let unit_value = median(
            flows
                .iter()
                .filter_map(|f| f.quantity_t.filter(|q| *q > 0.0).map(|q| f.value_kusd / q))
                .collect(),
        );
        for f in flows {
            if f.exporter == f.importer
                || best.get(&(f.exporter, f.importer)) != Some(&f.provenance)
            {
                continue;
            }
            let (gross, imputed) = match (f.quantity_t, unit_value) {
                (Some(q), _) => (q, false),
                (None, Some(uv)) if uv > 0.0 => {
                    out.imputed += 1;
                    (f.value_kusd / uv, true)
                }
                _ => continue,
            };
            let t = gross * factors.and_then(|m| m.get(&k)).copied().unwrap_or(1.0);
            for c in [f.exporter, f.importer] {
                out.names.entry(c).or_insert_with(|| {
                    trade
                        .iso3_of(c)
                        .map(str::to_string)
                        .unwrap_or_else(|| format!("BACI {c}"))
                });
            }
            let e = out
                .tonnes
                .entry((f.exporter, f.importer))
                .or_insert((0.0, false, false));
            e.0 += t;
            e.1 |= imputed;
            e.2 |= f.provenance == lodestone_model::Provenance::Estimated;
        }
    }
    out
}

/// The error for a commodity with no trade in the year, naming the years that have some.
fn no_trade(
    trade: &TradeData,
    commodity: &str,
    stage: Stage,
    codes: &[u32],
    year: u16,
) -> CascadeError {
    let years: Vec<String> = trade
        .all_years()
        .into_iter()
        .filter(|y| trade.has_flows(*y, codes))
        .map(|y| y.to_string())
        .collect();
    CascadeError::NoNetwork(format!(
        "no {commodity} ({stage}, {}) trade in {year} in the embedded data; years with any: {}",
        lodestone_model::product_labels(codes),
        if years.is_empty() {
            "none".to_string()
        } else {
            years.join(", ")
        }
    ))
}

/// Production by country on the network's basis, the rule that was used and the basis: with
/// every product's content factor cited, the links are in content and production is the stage
/// profile's (same basis); otherwise the network stays in gross weight and production is left
/// to be inferred (empty list).
fn traded_production(
    ds: &Dataset,
    commodity: &str,
    stage: Stage,
    year: u16,
    factors: Option<&BTreeMap<u32, f64>>,
) -> (Vec<(String, f64)>, String, String) {
    let gross = "gross weight of the traded products (no cited content factor for every product)";
    let Some(factors) = factors else {
        return (Vec::new(), "production inferred as max(0, exports − imports): production is published in content, the trade in gross weight, and not every product has a cited content factor".to_string(), gross.to_string());
    };
    let prof = stage_profile(ds, commodity, stage, year).ok();
    let Some(p) = &prof else {
        return (
            Vec::new(),
            format!("production inferred as max(0, exports − imports): no {stage} production figures for {commodity}"),
            "content of the traded products (cited content factors)".to_string(),
        );
    };
    let unit: Unit = p.unit.parse().unwrap_or(Unit::Tonne);
    let producers = p
        .producers
        .iter()
        .filter_map(|r| {
            Some((
                r.iso3.clone(),
                unit.convert(r.value?, Unit::Tonne).unwrap_or(r.value?),
            ))
        })
        .collect();
    let cited: Vec<String> = factors
        .iter()
        .map(|(k, f)| format!("{} × {f}", lodestone_model::product_labels(&[*k])))
        .collect();
    let rule = format!(
        "production from {} {} {} ({}); trade converted to that basis by the cited content factors {}",
        p.source.as_str().to_uppercase(),
        p.edition,
        p.year,
        p.basis,
        cited.join(", ")
    );
    (producers, rule, p.basis.clone())
}

/// Links by position in the country list.
fn links_between(countries: &[String], flows: Flows) -> Vec<Link> {
    let index: BTreeMap<&str, usize> = countries
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    flows
        .tonnes
        .into_iter()
        .map(|((i, j), (t, imputed, estimated))| Link {
            from: index[flows.names[&i].as_str()],
            to: index[flows.names[&j].as_str()],
            tonnes: t,
            imputed,
            estimated,
        })
        .collect()
}

/// Without production figures: production is what a country exports beyond its imports.
fn infer_production(net: &mut Network) {
    let (x, m) = (net.exports(), net.imports());
    for i in 0..net.n() {
        net.production[i] = (x[i] - m[i]).max(0.0);
    }
}

/// Production figures, with re-exporters whose exports exceed production plus imports given the
/// gap as production, so that no country exports what it does not have.
fn set_production(net: &mut Network, prod_by: BTreeMap<String, f64>) {
    for (c, t) in prod_by {
        if let Some(i) = net.index_of(&c) {
            net.production[i] = t;
        }
    }
    let (x, m) = (net.exports(), net.imports());
    let mut fixed = 0;
    for i in 0..net.n() {
        if x[i] > net.production[i] + m[i] {
            net.production[i] = x[i] - m[i];
            fixed += 1;
        }
    }
    if fixed > 0 {
        net.notes.push(format!("{fixed} countries export more than they produce and import; their production is raised to balance"));
    }
}
