//! Why this file exists: `lodestone profile` — who produces a commodity, how concentrated that
//! is, where the concern set and Central Asia stand, and the source of every row.

use serde::Serialize;
use std::collections::BTreeMap;

use lodestone_model::{CountryGroup, Dataset, Measure, Observation, Scope, Unit};

use crate::concentration::{hhi, top_n_share};
use crate::error::AnalysisError;
use crate::select::{select, Selection, SeriesQuery, SourceFamily};

/// Where a figure came from, in full.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Provenance {
    pub source: String,
    pub edition: String,
    pub file: String,
    pub field: String,
    pub row: u32,
    /// The cell's text as printed.
    pub original: String,
    pub flags: Vec<&'static str>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl Provenance {
    pub fn of(ds: &Dataset, o: &Observation) -> Self {
        let s = ds.source(o.source);
        Provenance {
            source: s.source.clone(),
            edition: s.edition.clone(),
            file: s.file.clone(),
            field: o.field.to_string(),
            row: o.row,
            original: o.original.to_string(),
            flags: o.flags.names(),
            note: ds.note(o.note).to_string(),
        }
    }

    /// "USGS MCS 2024, usgs-mcs/.../mcs2024-tungs_world.csv row 6, Prod_t_est_2023".
    pub fn cite(&self) -> String {
        // Row 0: a file without rows (JSON), located by its field path alone.
        if self.row == 0 {
            return format!(
                "{} {}, {}, {}",
                self.source, self.edition, self.file, self.field
            );
        }
        format!(
            "{} {}, {} row {}, {}",
            self.source, self.edition, self.file, self.row, self.field
        )
    }
}

/// One producing country.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProducerRow {
    pub rank: usize,
    pub iso3: String,
    pub country: String,
    /// `None` when the source withholds or lacks the figure.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub value: Option<f64>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub share: Option<f64>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub reserves: Option<f64>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub reserves_share: Option<f64>,
    /// Reserves divided by production, in years.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub reserves_to_production_years: Option<f64>,
    pub in_concern_set: bool,
    pub in_c5: bool,
    pub provenance: Vec<Provenance>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reserves_provenance: Vec<Provenance>,
}

/// Shares of named groups.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupShare {
    pub group: String,
    pub members: Vec<String>,
    pub production_share: f64,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub reserves_share: Option<f64>,
}

/// A producer profile.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Profile {
    pub commodity: String,
    pub name: String,
    pub stage: String,
    /// "production", or "capacity" where the stage is published only as capacity.
    pub measure: String,
    pub year: u16,
    pub source: SourceFamily,
    pub edition: String,
    pub unit: String,
    pub basis: String,
    /// The world total the source prints, if any.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub world_total: Option<f64>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub world_total_provenance: Option<Provenance>,
    /// The denominator of every share and how it was chosen.
    pub denominator: f64,
    pub denominator_rule: String,
    /// The source's "Other countries" row, if any.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub other_countries: Option<f64>,
    pub producers: Vec<ProducerRow>,
    /// HHI on the 0–1 scale over the country shares ("Other countries" excluded).
    pub hhi: f64,
    pub top3_share: f64,
    pub groups: Vec<GroupShare>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub reserves_world_total: Option<f64>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub reserves_year: Option<u16>,
    pub available_years: Vec<u16>,
    pub notes: Vec<String>,
    /// Control by the concern set through ownership (filled by the front ends from the asset
    /// ownership registry; `None` with a note when the registry has no asset for the stage).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub control: Option<crate::control::Control>,
}

impl Profile {
    pub fn group(&self, id: &str) -> Option<&GroupShare> {
        self.groups.iter().find(|g| g.group == id)
    }

    pub fn share_of(&self, iso3: &str) -> f64 {
        self.producers
            .iter()
            .find(|p| p.iso3 == iso3)
            .and_then(|p| p.share)
            .unwrap_or(0.0)
    }
}

/// Turns the −0.0 an empty float sum yields into 0.0.
fn z(v: f64) -> f64 {
    v + 0.0
}

/// An observation's value converted to `unit`.
fn value_in(o: &Observation, unit: Unit) -> Option<f64> {
    o.value.and_then(|v| o.unit.convert(v, unit))
}

/// A selection's rows summed per country, with the world and "Other countries" rows.
struct Totals {
    by_country: BTreeMap<String, (Option<f64>, Vec<Provenance>)>,
    world: Option<(f64, Provenance)>,
    other: Option<f64>,
}

/// Sums rows per country in `unit`, keeping the first world total and the "Other" rows.
fn totals(ds: &Dataset, rows: &[&Observation], unit: Unit) -> Totals {
    let mut t = Totals {
        by_country: BTreeMap::new(),
        world: None,
        other: None,
    };
    for o in rows {
        let v = value_in(o, unit);
        match o.scope {
            Scope::Country => {
                let e = t
                    .by_country
                    .entry(o.country.to_string())
                    .or_insert((None, Vec::new()));
                if let Some(v) = v {
                    e.0 = Some(e.0.unwrap_or(0.0) + v);
                }
                e.1.push(Provenance::of(ds, o));
            }
            Scope::World => {
                if let (Some(v), None) = (v, &t.world) {
                    t.world = Some((v, Provenance::of(ds, o)));
                }
            }
            Scope::Other => {
                if let Some(v) = v {
                    t.other = Some(t.other.unwrap_or(0.0) + v);
                }
            }
            Scope::Aggregate => {}
        }
    }
    t
}

/// Builds the profile of one commodity.
pub fn profile(ds: &Dataset, q: &SeriesQuery) -> Result<Profile, AnalysisError> {
    let sel = select(ds, q)?;
    let t = totals(ds, &sel.rows, sel.unit);
    let reserves = reserves(ds, &sel);
    let (denominator, rule, above_world) = denominator(&t, sel.unit);
    let mut notes: Vec<String> = above_world.into_iter().collect();
    notes.extend(selection_notes(&sel, t.world.as_ref()));
    let producers = producer_rows(ds, t.by_country, denominator, &reserves);
    notes.extend(withheld_note(&producers));
    let groups = group_shares(ds, &producers, &reserves);
    let parts = Parts {
        world: t.world,
        other: t.other,
        denominator,
        rule,
        producers,
        groups,
        reserves_world: reserves.world,
        reserves_year: reserves.year,
        notes,
    };
    Ok(explain(ds, sel, parts))
}

/// The denominator of every share and the rule that chose it, with a note when the listed rows
/// exceed the printed world total by more than 2 %.
fn denominator(t: &Totals, unit: Unit) -> (f64, String, Option<String>) {
    let country_sum: f64 = t.by_country.values().filter_map(|(v, _)| *v).sum();
    let listed_sum = country_sum + t.other.unwrap_or(0.0);
    match &t.world {
        Some((w, _)) if *w > 0.0 => {
            let note = (listed_sum > w * 1.02).then(|| {
                format!(
                    "the listed rows add up to {listed_sum} {unit}, {:.1} % above the printed world total",
                    (listed_sum / w - 1.0) * 100.0
                )
            });
            (
                *w,
                "the world total printed by the source".to_string(),
                note,
            )
        }
        _ => (
            listed_sum,
            "the sum of the listed rows (the source prints no world total)".to_string(),
            None,
        ),
    }
}

/// Notes on the bases left out of the selection and on the printed world total.
fn selection_notes(sel: &Selection, world: Option<&(f64, Provenance)>) -> Vec<String> {
    let mut notes = Vec::new();
    if !sel.other_bases.is_empty() {
        notes.push(format!(
            "the same edition also prints this series on other bases: {} (not mixed in)",
            sel.other_bases.join("; ")
        ));
    }
    if let Some((_, p)) = world {
        if !p.note.is_empty() {
            notes.push(format!("world total: {}", p.note));
        }
    }
    notes
}

/// Reserves printed beside production in the same edition (USGS), with their denominator.
struct Reserves {
    by_country: BTreeMap<String, (Option<f64>, Vec<Provenance>)>,
    /// The printed world total of reserves.
    world: Option<f64>,
    /// The printed world total, else the sum of the listed rows when positive.
    denominator: Option<f64>,
    year: Option<u16>,
}

/// Reserves from the selection's edition, family and basis, for their latest year.
fn reserves(ds: &Dataset, sel: &Selection) -> Reserves {
    let rows: Vec<&Observation> = ds
        .observations
        .iter()
        .filter(|o| {
            o.commodity == sel.commodity
                && o.stage == sel.stage
                && o.measure == Measure::Reserves
                && ds.source(o.source).edition == sel.edition
                && SourceFamily::of(&ds.source(o.source).source) == Some(sel.family)
        })
        .collect();
    let year = rows.iter().map(|o| o.year).max();
    let rows: Vec<&Observation> = rows
        .into_iter()
        .filter(|o| Some(o.year) == year && o.basis.starts_with(sel.basis.as_str()))
        .collect();
    let rt = totals(ds, &rows, sel.unit);
    let world = rt.world.as_ref().map(|(v, _)| *v);
    let denominator = world.or_else(|| {
        let s: f64 =
            rt.by_country.values().filter_map(|(v, _)| *v).sum::<f64>() + rt.other.unwrap_or(0.0);
        (s > 0.0).then_some(s)
    });
    Reserves {
        by_country: rt.by_country,
        world,
        denominator,
        year,
    }
}

/// One row per producing country with shares and reserves, ranked by production (largest first,
/// withheld figures last).
fn producer_rows(
    ds: &Dataset,
    by_country: BTreeMap<String, (Option<f64>, Vec<Provenance>)>,
    denominator: f64,
    reserves: &Reserves,
) -> Vec<ProducerRow> {
    let concern = ds.groups.get("concern");
    let c5 = ds.groups.get("c5");
    let mut producers: Vec<ProducerRow> = by_country
        .into_iter()
        .map(|(iso3, (value, provenance))| {
            let share = value.map(|v| {
                if denominator > 0.0 {
                    v / denominator
                } else {
                    0.0
                }
            });
            let (reserves_value, reserves_provenance) = reserves
                .by_country
                .get(&iso3)
                .map(|(v, p)| (*v, p.clone()))
                .unwrap_or((None, Vec::new()));
            ProducerRow {
                rank: 0,
                country: ds.countries.name_of(&iso3).to_string(),
                in_concern_set: concern.is_some_and(|g| g.contains(&iso3)),
                in_c5: c5.is_some_and(|g| g.contains(&iso3)),
                iso3,
                value,
                share,
                reserves: reserves_value,
                reserves_share: reserves_value.zip(reserves.denominator).map(|(r, d)| r / d),
                reserves_to_production_years: reserves_value
                    .zip(value)
                    .and_then(|(r, p)| (p > 0.0).then_some(r / p)),
                provenance,
                reserves_provenance,
            }
        })
        .collect();
    producers.sort_by(|a, b| {
        b.value
            .unwrap_or(-1.0)
            .total_cmp(&a.value.unwrap_or(-1.0))
            .then(a.iso3.cmp(&b.iso3))
    });
    for (i, p) in producers.iter_mut().enumerate() {
        p.rank = i + 1;
    }
    producers
}

/// A note naming the producers without a figure, if any.
fn withheld_note(producers: &[ProducerRow]) -> Option<String> {
    let withheld: Vec<&str> = producers
        .iter()
        .filter(|p| p.value.is_none())
        .map(|p| p.iso3.as_str())
        .collect();
    (!withheld.is_empty()).then(|| {
        format!(
            "no figure (withheld or not available) for: {}; they count as zero in shares",
            withheld.join(", ")
        )
    })
}

/// Production and reserves shares of every named group.
fn group_shares(ds: &Dataset, producers: &[ProducerRow], reserves: &Reserves) -> Vec<GroupShare> {
    ds.groups
        .all()
        .iter()
        .map(|g| GroupShare {
            group: g.id.clone(),
            members: g.members.clone(),
            production_share: z(producers
                .iter()
                .filter(|p| g.contains(&p.iso3))
                .filter_map(|p| p.share)
                .sum()),
            reserves_share: reserves
                .denominator
                .map(|_| group_reserves_share(g, producers, reserves)),
        })
        .collect()
}

/// A group's share of reserves, counting members that hold reserves but produce nothing listed.
fn group_reserves_share(g: &CountryGroup, producers: &[ProducerRow], reserves: &Reserves) -> f64 {
    z(producers
        .iter()
        .filter(|p| g.contains(&p.iso3))
        .filter_map(|p| p.reserves_share)
        .sum::<f64>()
        + reserves
            .by_country
            .iter()
            .filter(|(iso, _)| g.contains(iso) && !producers.iter().any(|p| &p.iso3 == *iso))
            .filter_map(|(_, (v, _))| v.zip(reserves.denominator).map(|(v, d)| v / d))
            .sum::<f64>())
}

/// What a profile is assembled from, besides the selection.
struct Parts {
    world: Option<(f64, Provenance)>,
    other: Option<f64>,
    denominator: f64,
    rule: String,
    producers: Vec<ProducerRow>,
    groups: Vec<GroupShare>,
    reserves_world: Option<f64>,
    reserves_year: Option<u16>,
    notes: Vec<String>,
}

/// Computes the concentration measures over the country shares and writes the profile.
fn explain(ds: &Dataset, sel: Selection, p: Parts) -> Profile {
    let shares: Vec<f64> = p.producers.iter().filter_map(|r| r.share).collect();
    let name = ds
        .commodities
        .get(&sel.commodity)
        .map(|c| c.name.clone())
        .unwrap_or_default();
    Profile {
        commodity: sel.commodity,
        name,
        stage: sel.stage.to_string(),
        measure: sel.measure.as_str().to_string(),
        year: sel.year,
        source: sel.family,
        edition: sel.edition,
        unit: sel.unit.symbol().to_string(),
        basis: sel.basis,
        world_total: p.world.as_ref().map(|(v, _)| *v),
        world_total_provenance: p.world.map(|(_, w)| w),
        denominator: p.denominator,
        denominator_rule: p.rule,
        other_countries: p.other,
        hhi: z(hhi(&shares)),
        top3_share: top_n_share(&shares, 3),
        producers: p.producers,
        groups: p.groups,
        reserves_world_total: p.reserves_world,
        reserves_year: p.reserves_year,
        available_years: sel.available_years,
        notes: p.notes,
        control: None,
    }
}

/// Restates a profile on another basis through a cited conversion factor (shares are unchanged;
/// the factor and its citation are added to the notes). Unknown pairs are an error naming the
/// bases that can be reached.
pub fn restate(ds: &Dataset, mut p: Profile, basis: &str) -> Result<Profile, AnalysisError> {
    if basis == p.basis {
        return Ok(p);
    }
    let Some(conv) = ds.conversions.find(&p.basis, basis) else {
        let reachable: Vec<String> = ds
            .conversions
            .conversions
            .iter()
            .filter_map(|c| {
                if c.from == p.basis {
                    Some(c.to.clone())
                } else if c.to == p.basis {
                    Some(c.from.clone())
                } else {
                    None
                }
            })
            .collect();
        return Err(AnalysisError::NoData {
            what: format!("no cited factor converts {} to {basis}", p.basis),
            choices: reachable,
        });
    };
    let f = conv.factor;
    let scale = |v: &mut Option<f64>| {
        if let Some(x) = v.as_mut() {
            *x *= f;
        }
    };
    for r in &mut p.producers {
        scale(&mut r.value);
        scale(&mut r.reserves);
    }
    scale(&mut p.world_total);
    scale(&mut p.other_countries);
    scale(&mut p.reserves_world_total);
    p.denominator *= f;
    p.notes.push(format!(
        "restated from {} to {basis}: × {f} ({})",
        p.basis, conv.citation
    ));
    p.basis = basis.to_string();
    Ok(p)
}
