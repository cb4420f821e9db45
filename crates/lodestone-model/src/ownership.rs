//! Who controls a mine or a plant, not only where it is.
//!
//! Why this file exists: a mine in Kazakhstan or Mali can be Chinese- or Russian-owned, so the
//! share of supply "from the concern set" by location understates what the concern set controls.
//! This file holds the owner record shared by the project registry and the asset-ownership
//! registry (`data/ownership/*.toml`: producing assets, their output by year and their owners,
//! each cited), and the one control rule every report applies.

use std::path::Path;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::{Dataset, Located, Stage, TextFile};

/// The control threshold: owners from the concern set that together hold at least this share
/// of an asset control it.
pub const CONTROL_THRESHOLD: f64 = 0.25;

/// The control rule, as printed with every result that applies it.
pub const CONTROL_RULE: &str = "an asset counts as controlled by the concern set when owners \
whose ultimate parents are based there together hold 25 % or more of it — the threshold of the \
US rules on foreign entities of concern (DOE interpretive rule, 89 FR 37079, 6 May 2024: 25 % of \
board seats, voting rights or equity, cumulatively), applied here to companies as well as \
governments; output located in a concern country counts as controlled (entities organised there \
are subject to its jurisdiction)";

/// An owner: its share, its ultimate controlling parent and that parent's home country.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Owner {
    pub name: String,
    pub share: f64,
    /// The ultimate controlling parent (the owner itself when empty).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub parent: String,
    /// ISO3 of the parent's home country; empty when not identified.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub country: String,
    /// Address (URL) or citation of the ownership fact.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub source: String,
    /// Date of that source (or of the ownership event), `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub date: String,
    /// Judgement calls and doubts (e.g. why this home country was chosen).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub note: String,
}

/// The share of an asset held by owners whose home is in `group` (summed, as the rule is
/// cumulative).
pub fn held_by(owners: &[Owner], group: &[String]) -> f64 {
    owners
        .iter()
        .filter(|o| group.contains(&o.country))
        .map(|o| o.share)
        .sum::<f64>()
        + 0.0
}

/// Whether owners from `group` control the asset under [`CONTROL_RULE`].
pub fn controlled_by(owners: &[Owner], group: &[String]) -> bool {
    held_by(owners, group) >= CONTROL_THRESHOLD - 1e-9
}

/// One year's output of an asset, in tonnes on a stated basis, with its source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssetOutput {
    pub year: u16,
    /// Output on a 100 %-of-asset basis, tonnes.
    pub tonnes: f64,
    /// "U content", "W content", "Li content", "Co content"…
    pub basis: String,
    /// True when the figure is only the owner's attributable part (a lower bound of the
    /// asset's output).
    #[serde(default)]
    pub attributable: bool,
    pub source: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub note: String,
}

/// A producing asset (a mine, or a company's assets in one country reported together).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Asset {
    pub id: String,
    pub name: String,
    /// ISO3 of where the asset is.
    pub country: String,
    pub commodity: String,
    pub stage: Stage,
    pub outputs: Vec<AssetOutput>,
    pub owners: Vec<Owner>,
    pub note: String,
}

impl Asset {
    /// The asset's output in `year`, if recorded.
    pub fn output(&self, year: u16) -> Option<&AssetOutput> {
        self.outputs.iter().find(|o| o.year == year)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAsset {
    id: Spanned<String>,
    name: String,
    country: Spanned<String>,
    commodity: Spanned<String>,
    stage: Spanned<String>,
    #[serde(default)]
    output: Vec<Spanned<AssetOutput>>,
    owners: Spanned<Vec<Owner>>,
    #[serde(default)]
    note: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    asset: Vec<RawAsset>,
}

/// Reads one ownership file (`[[asset]]` tables), every name checked against the dataset.
pub fn parse_assets(text: &str, file: &Path, ds: &Dataset) -> Result<Vec<Asset>, Located> {
    let f = TextFile { file, text };
    let raw: RawFile = f.toml("ownership")?;
    let mut out = Vec::with_capacity(raw.asset.len());
    for a in raw.asset {
        let country = match ds.countries.lookup(a.country.get_ref()) {
            Ok(c) => c.iso3.clone(),
            Err(e) => return f.err(a.country.span(), "country", e.to_string()),
        };
        let commodity = match ds.commodities.lookup(a.commodity.get_ref()) {
            Ok(c) => c.id.clone(),
            Err(e) => return f.err(a.commodity.span(), "commodity", e.to_string()),
        };
        let stage: Stage = match a.stage.get_ref().parse() {
            Ok(s) => s,
            Err(e) => return f.err(a.stage.span(), "stage", format!("{e}")),
        };
        let owners_span = a.owners.span();
        let owners = a.owners.into_inner();
        let total: f64 = owners.iter().map(|o| o.share).sum();
        if owners.is_empty()
            || owners.iter().any(|o| !(0.0..=1.0).contains(&o.share))
            || total > 1.0 + 1e-9
        {
            return f.err(
                owners_span,
                "owners",
                format!("expected at least one owner, each share in [0, 1], adding up to at most 1; found a total of {total}"),
            );
        }
        for o in &owners {
            if !o.country.is_empty() && ds.countries.lookup(&o.country).is_err() {
                return f.err(
                    owners_span.clone(),
                    "owners.country",
                    format!("unknown ISO3 {:?} for owner {}", o.country, o.name),
                );
            }
        }
        let mut outputs = Vec::with_capacity(a.output.len());
        for o in a.output {
            let span = o.span();
            let o = o.into_inner();
            if !(o.tonnes.is_finite() && o.tonnes >= 0.0 && (1850..=2100).contains(&o.year)) {
                return f.err(
                    span,
                    "output",
                    "expected a year from 1850 to 2100 and a non-negative number of tonnes",
                );
            }
            if outputs.iter().any(|p: &AssetOutput| p.year == o.year) {
                return f.err(span, "output.year", format!("{} given twice", o.year));
            }
            outputs.push(o);
        }
        out.push(Asset {
            id: a.id.into_inner(),
            name: a.name,
            country,
            commodity,
            stage,
            outputs,
            owners,
            note: a.note,
        });
    }
    Ok(out)
}

/// Parses the embedded or folder ownership files (name, text), sorted by id; an id used twice is
/// an error naming the second file.
pub fn assets_from(files: &[(&str, &str)], ds: &Dataset) -> Result<Vec<Asset>, Located> {
    let mut out: Vec<Asset> = Vec::new();
    for (name, text) in files {
        for a in parse_assets(text, Path::new(name), ds)? {
            if out.iter().any(|b| b.id == a.id) {
                return Err(Located::new(
                    *name,
                    1,
                    1,
                    "id",
                    format!("asset id {} is used twice", a.id),
                ));
            }
            out.push(a);
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}
