//! Why this file exists: the project registry — one reviewed TOML file per mine, refinery or
//! expansion (owners, status, capacity with unit and basis, expected first production, ramp-up,
//! financing, coordinates matched to the facilities database, sources).

use serde::{Deserialize, Serialize};
use std::path::Path;
use toml::Spanned;

use lodestone_model::{Dataset, Located, Stage, Unit};

use crate::error::PlanError;

pub const STATUSES: [&str; 5] = [
    "exploration",
    "feasibility",
    "financing",
    "construction",
    "producing",
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Owner {
    pub name: String,
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Financing {
    pub institution: String,
    pub instrument: String,
    #[serde(default)]
    pub amount: Option<f64>,
    #[serde(default)]
    pub scale: String,
    pub currency: String,
    pub date: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub title: String,
    pub publisher: String,
    pub date: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Capacity {
    pub value: f64,
    pub unit: Unit,
    pub basis: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Project {
    pub id: String,
    pub name: String,
    pub country: String,
    pub commodity: String,
    pub stage: Stage,
    pub status: String,
    pub first_production: u16,
    pub ramp_up_years: u16,
    pub capacity: Capacity,
    pub owners: Vec<Owner>,
    pub financing: Vec<Financing>,
    pub facility: Option<String>,
    pub coordinates: Option<(f64, f64)>,
    pub note: String,
    pub sources: Vec<Source>,
}

impl Project {
    /// Financed: a financing event is recorded, or construction has started (or it produces).
    pub fn is_financed(&self) -> bool {
        !self.financing.is_empty() || matches!(self.status.as_str(), "construction" | "producing")
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCapacity {
    value: Spanned<f64>,
    unit: Spanned<String>,
    basis: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProject {
    id: Spanned<String>,
    name: String,
    country: Spanned<String>,
    commodity: Spanned<String>,
    stage: Spanned<String>,
    status: Spanned<String>,
    first_production: Spanned<u16>,
    ramp_up_years: Spanned<u16>,
    capacity: RawCapacity,
    owners: Spanned<Vec<Owner>>,
    #[serde(default)]
    financing: Vec<Financing>,
    facility: Option<String>,
    coordinates: Option<Spanned<[f64; 2]>>,
    #[serde(default)]
    note: String,
    sources: Spanned<Vec<Source>>,
}

fn err<T>(
    file: &Path,
    text: &str,
    span: std::ops::Range<usize>,
    field: &str,
    message: impl Into<String>,
) -> Result<T, PlanError> {
    Err(Located::at_offset(file, text, span.start, field, message).into())
}

/// Parses and checks one project file.
pub fn parse_project(text: &str, file: &Path, ds: &Dataset) -> Result<Project, PlanError> {
    let r: RawProject =
        toml::from_str(text).map_err(|e| Located::toml(file, text, &e, "project"))?;
    let stem = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if r.id.get_ref() != stem {
        return err(
            file,
            text,
            r.id.span(),
            "id",
            format!("the id must equal the file name ({stem})"),
        );
    }
    let country = match ds.countries.lookup(r.country.get_ref()) {
        Ok(c) => c.iso3.clone(),
        Err(e) => return err(file, text, r.country.span(), "country", e.to_string()),
    };
    let commodity = match ds.commodities.lookup(r.commodity.get_ref()) {
        Ok(c) => c.id.clone(),
        Err(e) => return err(file, text, r.commodity.span(), "commodity", e.to_string()),
    };
    let stage: Stage = match r.stage.get_ref().parse() {
        Ok(s) => s,
        Err(e) => return err(file, text, r.stage.span(), "stage", format!("{e}")),
    };
    if !STATUSES.contains(&r.status.get_ref().as_str()) {
        return err(
            file,
            text,
            r.status.span(),
            "status",
            format!(
                "expected one of {}, found {:?}",
                STATUSES.join(", "),
                r.status.get_ref()
            ),
        );
    }
    if !(1850..=2060).contains(r.first_production.get_ref()) {
        return err(
            file,
            text,
            r.first_production.span(),
            "first_production",
            "expected a year between 1850 and 2060",
        );
    }
    if *r.ramp_up_years.get_ref() > 15 {
        return err(
            file,
            text,
            r.ramp_up_years.span(),
            "ramp_up_years",
            "expected 0 to 15 years",
        );
    }
    let v = *r.capacity.value.get_ref();
    if !(v.is_finite() && v > 0.0) {
        return err(
            file,
            text,
            r.capacity.value.span(),
            "capacity.value",
            "expected a positive number",
        );
    }
    let unit: Unit = match r.capacity.unit.get_ref().parse() {
        Ok(u) => u,
        Err(_) => {
            return err(
                file,
                text,
                r.capacity.unit.span(),
                "capacity.unit",
                format!(
                    "unknown unit {:?} (t, kt, Mt, kg)",
                    r.capacity.unit.get_ref()
                ),
            )
        }
    };
    let share: f64 = r.owners.get_ref().iter().map(|o| o.share).sum();
    if !r.owners.get_ref().is_empty() && (share - 1.0).abs() > 0.011 {
        return err(
            file,
            text,
            r.owners.span(),
            "owners",
            format!("owner shares add up to {share}, not 1"),
        );
    }
    let coordinates = match &r.coordinates {
        Some(c) => {
            let [lat, lon] = *c.get_ref();
            if !((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)) {
                return err(
                    file,
                    text,
                    c.span(),
                    "coordinates",
                    "expected [latitude, longitude]",
                );
            }
            Some((lat, lon))
        }
        None => None,
    };
    if r.sources.get_ref().is_empty() {
        return err(
            file,
            text,
            r.sources.span(),
            "sources",
            "a project needs at least one source",
        );
    }
    Ok(Project {
        id: r.id.into_inner(),
        name: r.name,
        country,
        commodity,
        stage,
        status: r.status.into_inner(),
        first_production: r.first_production.into_inner(),
        ramp_up_years: r.ramp_up_years.into_inner(),
        capacity: Capacity {
            value: v,
            unit,
            basis: r.capacity.basis,
        },
        owners: r.owners.into_inner(),
        financing: r.financing,
        facility: r.facility,
        coordinates,
        note: r.note,
        sources: r.sources.into_inner(),
    })
}

/// The projects matching an optional commodity, country (name or ISO3) or group id, and status,
/// with every name checked ("did you mean" for unknown ones).
pub fn select<'a>(
    ds: &Dataset,
    registry: &'a [Project],
    commodity: Option<&str>,
    country: Option<&str>,
    status: Option<&str>,
) -> Result<Vec<&'a Project>, PlanError> {
    let commodity = match commodity {
        Some(c) => Some(ds.commodities.lookup(c)?.id.clone()),
        None => None,
    };
    let members = match country {
        Some(c) => Some(ds.place(c)?.members),
        None => None,
    };
    if let Some(s) = status {
        if !STATUSES.contains(&s) {
            return Err(PlanError::Usage(format!(
                "unknown status {s:?}; valid choices: {}",
                STATUSES.join(", ")
            )));
        }
    }
    Ok(registry
        .iter()
        .filter(|p| commodity.as_ref().is_none_or(|c| &p.commodity == c))
        .filter(|p| members.as_ref().is_none_or(|m| m.contains(&p.country)))
        .filter(|p| status.is_none_or(|s| p.status == s))
        .collect())
}

/// Parses embedded registry files (name, text), sorted by id.
pub fn registry_from(files: &[(&str, &str)], ds: &Dataset) -> Result<Vec<Project>, PlanError> {
    let mut out = Vec::with_capacity(files.len());
    for (name, text) in files {
        out.push(parse_project(text, Path::new(name), ds)?);
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}
