//! Why this file exists: "whose mine is it?" — the share of a stage's world output that companies
//! from the concern set control, next to the share located there. Chinese-owned mines in Mali or
//! Kazakhstan, Rosatom's Kazakh joint ventures, are outside the concern set by location but not by
//! control. The rule is [`CONTROL_RULE`] (25 %, as in the US foreign-entity-of-concern rules).
//!
//! Asset-level output is often unpublished (most Kazakh uranium JVs, most lithium mines), so the
//! result is a range: the low end counts only what is known to be controlled; the high end adds
//! the unattributed output of countries where a controlled asset's output is not known. How much of
//! world output the ownership data covers is printed with it.

use serde::Serialize;

use lodestone_model::ownership::{controlled_by, held_by, CONTROL_RULE, CONTROL_THRESHOLD};
use lodestone_model::{Asset, Dataset, Unit};

use crate::profile::Profile;

/// One owner as shown with a result.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OwnerShare {
    pub name: String,
    pub share: f64,
    /// ISO3 of the owner's ultimate parent; empty when not identified.
    pub country: String,
}

/// An asset outside the concern set's territory and what it adds to the controlled share.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssetControl {
    pub id: String,
    pub name: String,
    pub country: String,
    /// Output in the profile's year, unit and basis; `None` when not published.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub output: Option<f64>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub share_of_world: Option<f64>,
    /// Share held by owners from the concern set (cumulative).
    pub concern_held: f64,
    pub controlled: bool,
    pub owners: Vec<OwnerShare>,
    /// How the asset enters the result (counted, lower bound, output not known, …).
    pub counted: String,
    pub source: String,
}

/// The concern set's control of a stage's output in one year.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Control {
    pub rule: &'static str,
    pub threshold: f64,
    pub group: String,
    pub members: Vec<String>,
    pub commodity: String,
    pub stage: String,
    pub year: u16,
    pub unit: String,
    pub basis: String,
    /// Share of world output located in the concern set (the profile's group share).
    pub by_location: f64,
    /// Share known to be controlled: located there, or from controlled assets with a figure.
    pub controlled_low: f64,
    /// The low end plus output that may be controlled (countries where a controlled asset's
    /// output is not published).
    pub controlled_high: f64,
    /// Share of world output whose controller is known (concern territory + assets with figures).
    pub coverage: f64,
    /// Assets abroad, controlled ones first.
    pub assets: Vec<AssetControl>,
    pub notes: Vec<String>,
}

/// Per producing country: what the registry attributes and what it leaves open.
#[derive(Default)]
struct CountryTally {
    produced: f64,
    attributed: f64,
    controlled: f64,
    open_control: bool,
}

/// The concern set's control of the profile's output, or `None` when the ownership registry has
/// no asset for the commodity and stage (the caller says so).
pub fn control(ds: &Dataset, p: &Profile, assets: &[Asset], group: &str) -> Option<Control> {
    // Gather: the group's members and location share, the assets of this stage, their outputs
    // restated to the profile's unit and basis.
    let g = p.group(group)?;
    let members = g.members.clone();
    let mine: Vec<&Asset> = assets
        .iter()
        .filter(|a| a.commodity == p.commodity && a.stage.to_string() == p.stage)
        .collect();
    if mine.is_empty() || p.denominator <= 0.0 {
        return None;
    }
    let unit: Option<Unit> = p.unit.parse().ok();
    let mut notes = Vec::new();
    let mut rows = Vec::new();
    let mut tally: std::collections::BTreeMap<String, CountryTally> = Default::default();
    for a in mine.iter().filter(|a| !members.contains(&a.country)) {
        let t = tally
            .entry(a.country.clone())
            .or_insert_with(|| CountryTally {
                produced: p
                    .producers
                    .iter()
                    .find(|r| r.iso3 == a.country)
                    .and_then(|r| r.value)
                    .unwrap_or(0.0),
                ..Default::default()
            });
        rows.push(asset_row(ds, p, unit, a, &members, t, &mut notes));
    }

    // Formula: low = location + controlled assets with figures; high adds the unattributed
    // output of countries where a controlled asset has no (or only an attributable) figure;
    // coverage = location + attributed.
    let world = p.denominator;
    let by_location = g.production_share;
    let mut low_t = 0.0;
    let mut open_t = 0.0;
    let mut attributed_t = 0.0;
    for (iso3, t) in &tally {
        if t.attributed > t.produced + 1e-9 {
            notes.push(format!(
                "{iso3}: the assets' figures ({:.0}) exceed the country's production ({:.0}); \
                 capped at the country's figure",
                t.attributed, t.produced
            ));
        }
        let attributed = t.attributed.min(t.produced);
        attributed_t += attributed;
        low_t += t.controlled.min(t.produced);
        if t.open_control {
            open_t += (t.produced - attributed).max(0.0);
        }
    }
    let controlled_low = (by_location + low_t / world).min(1.0);
    let controlled_high = (controlled_low + open_t / world).min(1.0);
    let coverage = (by_location + attributed_t / world).min(1.0);

    // Explain: controlled assets first, largest output first; what is missing is said.
    rows.sort_by(|a, b| {
        b.controlled
            .cmp(&a.controlled)
            .then(
                b.output
                    .unwrap_or(-1.0)
                    .total_cmp(&a.output.unwrap_or(-1.0)),
            )
            .then(a.id.cmp(&b.id))
    });
    notes.push(format!(
        "ownership known for {:.1} % of world output ({:.1} % located in the concern set, {:.1} % \
         in assets abroad with a published figure); the rest is not attributed to an owner",
        coverage * 100.0,
        by_location * 100.0,
        attributed_t / world * 100.0
    ));
    if controlled_high > controlled_low {
        notes.push(format!(
            "the range is open because some controlled assets publish no output for {} \
             (their country's unattributed output, {:.1} % of world, is in the high end)",
            p.year,
            open_t / world * 100.0
        ));
    }
    notes.sort();
    notes.dedup();
    Some(Control {
        rule: CONTROL_RULE,
        threshold: CONTROL_THRESHOLD,
        group: group.to_string(),
        members,
        commodity: p.commodity.clone(),
        stage: p.stage.clone(),
        year: p.year,
        unit: p.unit.clone(),
        basis: p.basis.clone(),
        by_location,
        controlled_low,
        controlled_high,
        coverage,
        assets: rows,
        notes,
    })
}

/// One asset abroad: its output restated to the profile's unit and basis (when published and a
/// cited factor exists), whether the concern set controls it, and what it adds to its country's
/// tally.
fn asset_row(
    ds: &Dataset,
    p: &Profile,
    unit: Option<Unit>,
    a: &Asset,
    members: &[String],
    t: &mut CountryTally,
    notes: &mut Vec<String>,
) -> AssetControl {
    let held = held_by(&a.owners, members);
    let controlled = controlled_by(&a.owners, members);
    let figure = a.output(p.year);
    let restated = figure.and_then(|o| {
        let conv = ds.conversions.find(&o.basis, &p.basis)?;
        let tonnes = Unit::Tonne.convert(o.tonnes * conv.factor, unit?)?;
        if conv.factor != 1.0 {
            notes.push(format!(
                "{}: {} restated to {} × {} ({})",
                a.id, o.basis, p.basis, conv.factor, conv.citation
            ));
        }
        Some((tonnes, o))
    });
    let (output, counted, source) = match (figure, restated) {
        (None, _) => {
            t.open_control |= controlled;
            (
                None,
                format!("output for {} not published", p.year),
                String::new(),
            )
        }
        (Some(o), None) => {
            t.open_control |= controlled;
            (
                None,
                format!(
                    "output on {} basis, no cited factor to {}",
                    o.basis, p.basis
                ),
                o.source.clone(),
            )
        }
        (Some(_), Some((tonnes, o))) => {
            t.attributed += tonnes;
            if controlled {
                t.controlled += tonnes;
            }
            let how = if o.attributable {
                t.open_control |= controlled;
                "attributable figure (a lower bound of the asset's output)"
            } else {
                "counted"
            };
            (Some(tonnes), how.to_string(), o.source.clone())
        }
    };
    AssetControl {
        id: a.id.clone(),
        name: a.name.clone(),
        country: a.country.clone(),
        output,
        share_of_world: output.map(|v| v / p.denominator),
        concern_held: held,
        controlled,
        owners: a
            .owners
            .iter()
            .map(|o| OwnerShare {
                name: o.name.clone(),
                share: o.share,
                country: o.country.clone(),
            })
            .collect(),
        counted,
        source,
    }
}
