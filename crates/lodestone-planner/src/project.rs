//! Why this file exists: the project registry — one reviewed TOML file per mine, refinery or
//! expansion (owners, status, capacity with unit and basis, expected first production, ramp-up,
//! financing, coordinates matched to the facilities database, sources).

use serde::{Deserialize, Serialize};

use std::path::Path;

use toml::Spanned;

pub use lodestone_model::Owner;
use lodestone_model::{Dataset, Located, Stage, TextFile, Unit};

use crate::error::PlanError;

lodestone_model::named_enum! {
    /// Where a project stands, earliest first; written in files and output as the lower-case name.
    #[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
    pub enum ProjectStatus as "status" {
        Exploration = "exploration",
        Feasibility = "feasibility",
        Financing = "financing",
        Construction = "construction",
        Producing = "producing",
    }
}

lodestone_model::named_enum! {
    /// What shows a project will go ahead, strongest last; written as the lower-case name.
    pub enum EvidenceKind as "evidence" {
        Exploration = "exploration",
        LetterOfInterest = "letter-of-interest",
        FeasibilityStudy = "feasibility-study",
        Permits = "permits",
        Offtake = "offtake",
        ConditionalFinance = "conditional-finance",
        BindingFinance = "binding-finance",
        Construction = "construction",
        Producing = "producing",
    }
}

/// One piece of evidence, dated and cited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    pub kind: EvidenceKind,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub date: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub detail: String,
    /// Address (URL) or citation of the source.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Financing {
    pub institution: String,
    pub instrument: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub amount: Option<f64>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub scale: String,
    pub currency: String,
    pub date: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ProjectSource))]
pub struct Source {
    pub title: String,
    pub publisher: String,
    pub date: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Capacity {
    pub value: f64,
    pub unit: Unit,
    pub basis: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Project {
    pub id: String,
    pub name: String,
    pub country: String,
    pub commodity: String,
    pub stage: Stage,
    pub status: ProjectStatus,
    pub first_production: u16,
    pub ramp_up_years: u16,
    pub capacity: Capacity,
    pub owners: Vec<Owner>,
    pub financing: Vec<Financing>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub facility: Option<String>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub coordinates: Option<(f64, f64)>,
    pub note: String,
    pub sources: Vec<Source>,
    /// What shows the project will go ahead (sets its chance of coming online).
    pub evidence: Vec<Evidence>,
}

impl Project {
    /// Financed: a financing event is recorded, or construction has started (or it produces).
    pub fn is_financed(&self) -> bool {
        !self.financing.is_empty()
            || matches!(
                self.status,
                ProjectStatus::Construction | ProjectStatus::Producing
            )
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
    coordinates: Option<Spanned<Vec<f64>>>,
    #[serde(default)]
    note: String,
    sources: Spanned<Vec<Source>>,
    #[serde(default)]
    evidence: Vec<Evidence>,
}

/// The file being checked: where errors are located.
struct Ctx<'a>(TextFile<'a>);

impl Ctx<'_> {
    /// Country (ISO3), commodity id and stage, each checked against the dataset.
    fn names(&self, ds: &Dataset, r: &RawProject) -> Result<(String, String, Stage), PlanError> {
        let country = match ds.countries.lookup(r.country.get_ref()) {
            Ok(c) => c.iso3.clone(),
            Err(e) => return self.0.err(r.country.span(), "country", e.to_string()),
        };
        let commodity = match ds.commodities.lookup(r.commodity.get_ref()) {
            Ok(c) => c.id.clone(),
            Err(e) => return self.0.err(r.commodity.span(), "commodity", e.to_string()),
        };
        let stage: Stage = match r.stage.get_ref().parse() {
            Ok(s) => s,
            Err(e) => return self.0.err(r.stage.span(), "stage", format!("{e}")),
        };
        Ok((country, commodity, stage))
    }

    /// One of the known statuses.
    fn status(&self, status: &Spanned<String>) -> Result<ProjectStatus, PlanError> {
        match status.get_ref().parse() {
            Ok(s) => Ok(s),
            Err(e) => self.0.err(status.span(), "status", format!("{e}")),
        }
    }

    /// First production (a year from 1850 to 2060) and ramp-up (0 to 15 years).
    fn schedule(&self, r: &RawProject) -> Result<(u16, u16), PlanError> {
        let (first, ramp) = (*r.first_production.get_ref(), *r.ramp_up_years.get_ref());
        if !(1850..=2060).contains(&first) {
            return self.0.err(
                r.first_production.span(),
                "first_production",
                "expected a year between 1850 and 2060",
            );
        }
        if ramp > 15 {
            return self.0.err(
                r.ramp_up_years.span(),
                "ramp_up_years",
                "expected 0 to 15 years",
            );
        }
        Ok((first, ramp))
    }

    /// A positive capacity in a known unit.
    fn capacity(&self, c: RawCapacity) -> Result<Capacity, PlanError> {
        let value = *c.value.get_ref();
        if !(value.is_finite() && value > 0.0) {
            return self.0.err(
                c.value.span(),
                "capacity.value",
                "expected a positive number",
            );
        }
        let unit: Unit = match c.unit.get_ref().parse() {
            Ok(u) => u,
            Err(_) => {
                return self.0.err(
                    c.unit.span(),
                    "capacity.unit",
                    format!("unknown unit {:?} (t, kt, Mt, kg)", c.unit.get_ref()),
                )
            }
        };
        Ok(Capacity {
            value,
            unit,
            basis: c.basis,
        })
    }

    /// Owners whose shares (each in [0, 1]) add up to 1 — never more, and less only by the
    /// rounding of published percentages (1.1 points) — or none.
    fn owners(&self, owners: Spanned<Vec<Owner>>) -> Result<Vec<Owner>, PlanError> {
        let share: f64 = owners.get_ref().iter().map(|o| o.share).sum();
        let each_ok = owners
            .get_ref()
            .iter()
            .all(|o| (0.0..=1.0).contains(&o.share));
        let adds_up = each_ok && (0.989..=1.0 + 1e-9).contains(&share);
        if !(owners.get_ref().is_empty() || adds_up) {
            return self.0.err(
                owners.span(),
                "owners",
                format!(
                    "expected shares in [0, 1] adding up to 1 (at least 0.989 for rounding, \
                     never more); found a total of {share}"
                ),
            );
        }
        Ok(owners.into_inner())
    }

    /// Latitude and longitude within their ranges.
    fn coordinates(&self, c: &Option<Spanned<Vec<f64>>>) -> Result<Option<(f64, f64)>, PlanError> {
        let Some(c) = c else {
            return Ok(None);
        };
        let &[lat, lon] = c.get_ref().as_slice() else {
            return self.0.err(
                c.span(),
                "coordinates",
                format!(
                    "expected exactly two numbers [latitude, longitude], found {} numbers",
                    c.get_ref().len()
                ),
            );
        };
        if !((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)) {
            return self
                .0
                .err(c.span(), "coordinates", "expected [latitude, longitude]");
        }
        Ok(Some((lat, lon)))
    }

    /// At least one source.
    fn sources(&self, sources: Spanned<Vec<Source>>) -> Result<Vec<Source>, PlanError> {
        if sources.get_ref().is_empty() {
            return self.0.err(
                sources.span(),
                "sources",
                "a project needs at least one source",
            );
        }
        Ok(sources.into_inner())
    }
}

/// Parses and checks one project file.
pub fn parse_project(text: &str, file: &Path, ds: &Dataset) -> Result<Project, PlanError> {
    let r: RawProject =
        toml::from_str(text).map_err(|e| Located::toml(file, text, &e, "project"))?;
    let ctx = Ctx(TextFile { file, text });
    ctx.0.id_is_file_name::<PlanError>(&r.id)?;
    let (country, commodity, stage) = ctx.names(ds, &r)?;
    let status = ctx.status(&r.status)?;
    let (first_production, ramp_up_years) = ctx.schedule(&r)?;
    let capacity = ctx.capacity(r.capacity)?;
    let owners = ctx.owners(r.owners)?;
    let coordinates = ctx.coordinates(&r.coordinates)?;
    let sources = ctx.sources(r.sources)?;
    Ok(Project {
        id: r.id.into_inner(),
        name: r.name,
        country,
        commodity,
        stage,
        status,
        first_production,
        ramp_up_years,
        capacity,
        owners,
        financing: r.financing,
        facility: r.facility,
        coordinates,
        note: r.note,
        sources,
        evidence: r.evidence,
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
    let status = match status {
        Some(s) => Some(s.parse::<ProjectStatus>()?),
        None => None,
    };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_and_print_as_their_names() {
        for &s in ProjectStatus::ALL {
            assert_eq!(s.as_str().parse::<ProjectStatus>().unwrap(), s);
            assert_eq!(s.to_string(), s.as_str());
            assert_eq!(toml::Value::try_from(s).unwrap().as_str(), Some(s.as_str()));
        }
        assert_eq!(
            format!("{:<12}|", ProjectStatus::Financing),
            "financing   |"
        );
        #[derive(Deserialize)]
        struct File {
            status: ProjectStatus,
        }
        let f: File = toml::from_str("status = \"construction\"").unwrap();
        assert_eq!(f.status, ProjectStatus::Construction);
    }

    #[test]
    fn an_unknown_status_lists_the_choices_and_the_closest() {
        let e = "fnancing".parse::<ProjectStatus>().unwrap_err().to_string();
        assert_eq!(
            e,
            "unknown status \"fnancing\"; valid choices: exploration, feasibility, financing, \
             construction, producing; did you mean financing?"
        );
        assert!("Financing".parse::<ProjectStatus>().is_err());
    }
}
