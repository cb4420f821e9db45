//! Why this file exists: a scenario is a reviewed TOML file — shocks (who, what, how much, aimed
//! at whom), the model and its parameters, Monte Carlo settings — and every mistake in it is
//! reported with the field and the line.

use serde::Deserialize;
use std::path::Path;
use toml::Spanned;

use lodestone_model::{Dataset, Located, Stage, TextFile};

use crate::error::CascadeError;
use crate::marchand::Params;

/// The most draws a scenario may ask for (a file may lower it, never raise it).
pub const MAX_DRAWS: u32 = 100_000;

/// Largest scenario file read (4 MiB: thousands of shocks; the canned ones are under 4 KiB).
pub const MAX_SCENARIO_BYTES: u64 = 4 * 1024 * 1024;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    name: String,
    #[serde(default)]
    description: String,
    year: Option<Spanned<u16>>,
    #[serde(default)]
    model: Option<Spanned<String>>,
    #[serde(rename = "shock", default)]
    shocks: Vec<RawShock>,
    #[serde(default)]
    parameters: RawParams,
    #[serde(default)]
    montecarlo: RawMonteCarlo,
    #[serde(default)]
    sources: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawShock {
    origin: Spanned<String>,
    commodity: Spanned<String>,
    stage: Option<Spanned<String>>,
    /// "exports" (a share of the origin's exports) or "production" (a share of its output).
    kind: Spanned<String>,
    magnitude: Spanned<f64>,
    #[serde(default)]
    targets: Vec<Spanned<String>>,
    #[serde(default)]
    exclude_targets: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParams {
    consumption_cut: Option<Spanned<f64>>,
    stock_months: Option<Spanned<f64>>,
    threshold: Option<Spanned<f64>>,
    max_rounds: Option<Spanned<u32>>,
    /// false = the published rule even where it cuts a transit country's use below zero.
    use_floor: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMonteCarlo {
    draws: Option<Spanned<u32>>,
    seed: Option<u64>,
    link_sigma: Option<Spanned<f64>>,
    imputed_sigma: Option<Spanned<f64>>,
    stock_months: Option<Spanned<Vec<f64>>>,
    consumption_cut: Option<Spanned<Vec<f64>>>,
    max_draws: Option<Spanned<u32>>,
}

/// What a shock does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShockKind {
    /// The origin withholds this share of its exports (to the targets).
    Exports,
    /// The origin loses this share of its production.
    Production,
}

/// A validated shock.
#[derive(Debug, Clone, PartialEq)]
pub struct Shock {
    pub origin: Vec<String>,
    pub origin_name: String,
    pub commodity: String,
    pub stage: Option<Stage>,
    pub kind: ShockKind,
    pub magnitude: f64,
    /// ISO3 of the importers aimed at; empty = everyone.
    pub targets: Vec<String>,
    pub exclude_targets: Vec<String>,
}

/// Monte Carlo settings.
#[derive(Debug, Clone, PartialEq)]
pub struct MonteCarlo {
    pub draws: u32,
    pub seed: u64,
    /// Lognormal sigma on every link's tonnes (reporting discrepancy between mirror flows).
    pub link_sigma: f64,
    /// Lognormal sigma on links whose quantity was imputed from value or estimated from buyers'
    /// purchase statistics.
    pub imputed_sigma: f64,
    pub stock_months: [f64; 2],
    pub consumption_cut: [f64; 2],
}

/// A validated scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub year: Option<u16>,
    pub model: Model,
    pub shocks: Vec<Shock>,
    pub params: Params,
    pub stock_months: f64,
    pub montecarlo: MonteCarlo,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Model {
    /// Marchand et al. 2016 as published (the default).
    Marchand,
    /// Lodestone's earlier export-first rule ([`crate::export_first`]), a named variant only.
    ExportFirst,
    PassThrough,
}

impl Model {
    /// The name a scenario file (and a simulation's output) uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Model::Marchand => "marchand",
            Model::ExportFirst => "export-first",
            Model::PassThrough => "pass-through",
        }
    }
}

/// The Monte Carlo seed when a scenario names none.
const DEFAULT_SEED: u64 = 20251106;

/// The file being checked: where errors are located.
struct Ctx<'a>(TextFile<'a>);

impl Ctx<'_> {
    fn fraction(&self, v: &Spanned<f64>, field: &str) -> Result<f64, CascadeError> {
        let x = *v.get_ref();
        if !(0.0..=1.0).contains(&x) {
            return self.0.err(
                v.span(),
                field,
                format!("expected a fraction in [0, 1], found {x}"),
            );
        }
        Ok(x)
    }

    fn range(
        &self,
        v: &Spanned<Vec<f64>>,
        field: &str,
        max: f64,
    ) -> Result<[f64; 2], CascadeError> {
        let &[a, b] = v.get_ref().as_slice() else {
            return self.0.err(
                v.span(),
                field,
                format!(
                    "expected exactly two numbers [low, high], found {} numbers",
                    v.get_ref().len()
                ),
            );
        };
        if !(0.0 <= a && a <= b && b <= max) {
            return self.0.err(
                v.span(),
                field,
                format!("expected [low, high] with 0 ≤ low ≤ high ≤ {max}, found [{a}, {b}]"),
            );
        }
        Ok([a, b])
    }

    /// A country or group → ISO3 members.
    fn members(
        &self,
        ds: &Dataset,
        v: &Spanned<String>,
        field: &str,
    ) -> Result<(Vec<String>, String), CascadeError> {
        match ds.place(v.get_ref()) {
            Ok(p) => Ok((p.members, p.name)),
            Err(e) => self.0.err(v.span(), field, e.to_string()),
        }
    }

    /// The scenario year, which must have trade data.
    fn year(
        &self,
        year: &Option<Spanned<u16>>,
        trade_years: &[u16],
    ) -> Result<Option<u16>, CascadeError> {
        match year {
            Some(y) if trade_years.contains(y.get_ref()) => Ok(Some(*y.get_ref())),
            Some(y) => {
                let with_data: Vec<String> = trade_years.iter().map(|y| y.to_string()).collect();
                self.0.err(
                    y.span(),
                    "year",
                    format!(
                        "no trade data for {}; years with data: {}",
                        y.get_ref(),
                        with_data.join(", ")
                    ),
                )
            }
            None => Ok(None),
        }
    }

    /// The cascade model by name (Marchand when not given).
    fn model(&self, model: &Option<Spanned<String>>) -> Result<Model, CascadeError> {
        match model.as_ref().map(|m| (m.get_ref().as_str(), m.span())) {
            None | Some(("marchand", _)) => Ok(Model::Marchand),
            Some(("export-first", _)) => Ok(Model::ExportFirst),
            Some(("pass-through", _)) => Ok(Model::PassThrough),
            Some((other, span)) => self.0.err(
                span,
                "model",
                format!(
                    "expected \"marchand\", \"export-first\" or \"pass-through\", found {other:?}"
                ),
            ),
        }
    }

    /// One shock with its origin, commodity, stage, targets and exclusions resolved.
    fn shock(&self, ds: &Dataset, s: &RawShock) -> Result<Shock, CascadeError> {
        let (origin, origin_name) = self.members(ds, &s.origin, "shock.origin")?;
        let commodity = match ds.commodities.lookup(s.commodity.get_ref()) {
            Ok(c) => c.id.clone(),
            Err(e) => {
                return self
                    .0
                    .err(s.commodity.span(), "shock.commodity", e.to_string())
            }
        };
        let stage = match &s.stage {
            Some(st) => match st.get_ref().parse::<Stage>() {
                Ok(x) => Some(x),
                Err(e) => return self.0.err(st.span(), "shock.stage", e.to_string()),
            },
            None => None,
        };
        let kind = match s.kind.get_ref().as_str() {
            "exports" => ShockKind::Exports,
            "production" => ShockKind::Production,
            other => {
                return self.0.err(
                    s.kind.span(),
                    "shock.kind",
                    format!("expected \"exports\" or \"production\", found {other:?}"),
                )
            }
        };
        let magnitude = self.fraction(&s.magnitude, "shock.magnitude")?;
        let targets = self.all_members(ds, &s.targets, "shock.targets")?;
        let exclude_targets = self.all_members(ds, &s.exclude_targets, "shock.exclude_targets")?;
        Ok(Shock {
            origin,
            origin_name,
            commodity,
            stage,
            kind,
            magnitude,
            targets,
            exclude_targets,
        })
    }

    /// The ISO3 members of every country or group in a list, in order.
    fn all_members(
        &self,
        ds: &Dataset,
        names: &[Spanned<String>],
        field: &str,
    ) -> Result<Vec<String>, CascadeError> {
        let mut out = Vec::new();
        for t in names {
            out.extend(self.members(ds, t, field)?.0);
        }
        Ok(out)
    }

    /// The model parameters and the point stock cover in months, defaults where not given.
    fn params(&self, p: &RawParams) -> Result<(Params, f64), CascadeError> {
        let default = Params::scenario_default();
        let consumption_cut = match &p.consumption_cut {
            Some(v) => self.fraction(v, "parameters.consumption_cut")?,
            None => default.consumption_cut,
        };
        let threshold = match &p.threshold {
            Some(v) if *v.get_ref() > 0.0 && *v.get_ref() < 1.0 => *v.get_ref(),
            Some(v) => {
                return self.0.err(
                    v.span(),
                    "parameters.threshold",
                    "expected a number between 0 and 1",
                )
            }
            None => default.threshold,
        };
        let max_rounds = match &p.max_rounds {
            Some(v) if (1..=1000).contains(v.get_ref()) => *v.get_ref() as usize,
            Some(v) => {
                return self
                    .0
                    .err(v.span(), "parameters.max_rounds", "expected 1 to 1000")
            }
            None => default.max_rounds,
        };
        let stock_months = match &p.stock_months {
            Some(v) if (0.0..=120.0).contains(v.get_ref()) => *v.get_ref(),
            Some(v) => {
                return self.0.err(
                    v.span(),
                    "parameters.stock_months",
                    "expected 0 to 120 months of consumption",
                )
            }
            None => 0.0,
        };
        let params = Params {
            consumption_cut,
            threshold,
            max_rounds,
            use_floor: p.use_floor.unwrap_or(default.use_floor),
            ..default
        };
        Ok((params, stock_months))
    }

    /// The number of draws, within the file's cap, itself within [`MAX_DRAWS`].
    fn draws(&self, m: &RawMonteCarlo) -> Result<u32, CascadeError> {
        let cap = match &m.max_draws {
            Some(c) if *c.get_ref() <= MAX_DRAWS => *c.get_ref(),
            Some(c) => {
                return self.0.err(
                    c.span(),
                    "montecarlo.max_draws",
                    format!("the cap itself is capped at {MAX_DRAWS}"),
                )
            }
            None => MAX_DRAWS,
        };
        match &m.draws {
            Some(d) if *d.get_ref() <= cap => Ok(*d.get_ref()),
            Some(d) => self.0.err(
                d.span(),
                "montecarlo.draws",
                format!("{} draws asked, the cap is {cap}", d.get_ref()),
            ),
            None => Ok(1000),
        }
    }

    /// A lognormal sigma in [0, 2], or the default.
    fn sigma(
        &self,
        v: &Option<Spanned<f64>>,
        field: &str,
        default: f64,
    ) -> Result<f64, CascadeError> {
        match v {
            Some(s) if (0.0..=2.0).contains(s.get_ref()) => Ok(*s.get_ref()),
            Some(s) => self.0.err(
                s.span(),
                field,
                "expected a lognormal sigma between 0 and 2",
            ),
            None => Ok(default),
        }
    }

    /// The central run's value: the middle of the Monte Carlo range when the file gives a range
    /// but no point value, so that the central run sits inside the bands it is reported with.
    fn central(
        &self,
        point_given: bool,
        range: &Option<Spanned<Vec<f64>>>,
        field: &str,
        max: f64,
        point: f64,
    ) -> Result<f64, CascadeError> {
        match range {
            Some(r) if !point_given => {
                let [a, b] = self.range(r, field, max)?;
                Ok((a + b) / 2.0)
            }
            _ => Ok(point),
        }
    }

    /// The Monte Carlo range, or the point value when the file gives none.
    fn spread(
        &self,
        range: &Option<Spanned<Vec<f64>>>,
        field: &str,
        max: f64,
        point: f64,
    ) -> Result<[f64; 2], CascadeError> {
        match range {
            Some(r) => self.range(r, field, max),
            None => Ok([point, point]),
        }
    }

    /// The Monte Carlo settings around the central run's stock cover and consumption cut.
    fn montecarlo(
        &self,
        m: &RawMonteCarlo,
        draws: u32,
        stock_months: f64,
        consumption_cut: f64,
    ) -> Result<MonteCarlo, CascadeError> {
        Ok(MonteCarlo {
            draws,
            seed: m.seed.unwrap_or(DEFAULT_SEED),
            link_sigma: self.sigma(&m.link_sigma, "montecarlo.link_sigma", 0.10)?,
            imputed_sigma: self.sigma(&m.imputed_sigma, "montecarlo.imputed_sigma", 0.50)?,
            stock_months: self.spread(
                &m.stock_months,
                "montecarlo.stock_months",
                120.0,
                stock_months,
            )?,
            consumption_cut: self.spread(
                &m.consumption_cut,
                "montecarlo.consumption_cut",
                1.0,
                consumption_cut,
            )?,
        })
    }
}

/// Parses and validates a scenario against the dataset (countries, groups, commodities, stages).
pub fn parse(
    text: &str,
    file: &Path,
    ds: &Dataset,
    trade_years: &[u16],
) -> Result<Scenario, CascadeError> {
    let ctx = Ctx(TextFile { file, text });
    let raw: RawScenario =
        toml::from_str(text).map_err(|e| Located::toml(file, text, &e, "scenario"))?;
    if raw.shocks.is_empty() {
        return ctx
            .0
            .err(0..0, "shock", "a scenario needs at least one [[shock]]");
    }
    let year = ctx.year(&raw.year, trade_years)?;
    let model = ctx.model(&raw.model)?;
    let shocks = raw
        .shocks
        .iter()
        .map(|s| ctx.shock(ds, s))
        .collect::<Result<Vec<_>, _>>()?;
    let (p, m) = (&raw.parameters, &raw.montecarlo);
    let (mut params, stock_months) = ctx.params(p)?;
    let draws = ctx.draws(m)?;
    let stock_months = ctx.central(
        p.stock_months.is_some(),
        &m.stock_months,
        "montecarlo.stock_months",
        120.0,
        stock_months,
    )?;
    params.consumption_cut = ctx.central(
        p.consumption_cut.is_some(),
        &m.consumption_cut,
        "montecarlo.consumption_cut",
        1.0,
        params.consumption_cut,
    )?;
    let montecarlo = ctx.montecarlo(m, draws, stock_months, params.consumption_cut)?;
    Ok(Scenario {
        name: raw.name,
        description: raw.description,
        year,
        model,
        shocks,
        params,
        stock_months,
        montecarlo,
        sources: raw.sources,
    })
}

/// Reads and parses a scenario file.
pub fn load(path: &Path, ds: &Dataset, trade_years: &[u16]) -> Result<Scenario, CascadeError> {
    let text = lodestone_model::input::read_text(path, MAX_SCENARIO_BYTES)?;
    parse(&text, path, ds, trade_years)
}
