//! Why this file exists: analyses speak of blocs (C5, G7, EU27) and of a user-defined "concern" set.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

use crate::country::CountryRegistry;
use crate::error::ModelError;
use crate::suggest;

/// A named set of countries (ISO3 codes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountryGroup {
    pub id: String,
    pub name: String,
    pub members: Vec<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub source: String,
}

impl CountryGroup {
    pub fn contains(&self, iso3: &str) -> bool {
        self.members.iter().any(|m| m == iso3)
    }
}

/// The groups in force: the built-in ones, possibly redefined by a user's config file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Groups {
    groups: Vec<CountryGroup>,
}

/// The TOML form of a groups file (`data/groups.toml`, or a user's `lodestone.toml`).
///
/// ```toml
/// [groups.concern]
/// name = "Countries of concern"
/// members = ["CHN", "RUS", "PRK"]
/// ```
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GroupConfig {
    #[serde(default)]
    pub groups: BTreeMap<String, GroupEntry>,
    /// The file the config was read from, named when a group does not hold.
    #[serde(skip)]
    pub file: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupEntry {
    pub name: Option<String>,
    pub members: toml::Spanned<Vec<String>>,
    #[serde(default)]
    pub source: String,
}

impl GroupConfig {
    /// Parses a groups file; a group without members is refused where it stands (an empty
    /// concern set would silently zero every concern share).
    pub fn parse(text: &str, file: &Path) -> Result<Self, ModelError> {
        let mut cfg: GroupConfig = toml::from_str(text)
            .map_err(|e| ModelError::Parse(crate::Located::toml(file, text, &e, "groups")))?;
        if let Some((id, entry)) = cfg
            .groups
            .iter()
            .find(|(_, e)| e.members.get_ref().is_empty())
        {
            return Err(ModelError::Parse(crate::Located::at_offset(
                file,
                text,
                entry.members.span().start,
                format!("groups.{id}.members"),
                "expected at least one member; a group with none would make every share of it 0",
            )));
        }
        cfg.file = Some(file.to_path_buf());
        Ok(cfg)
    }

    /// Reads a groups file (at most 1 MiB of UTF-8 text).
    pub fn load(file: &Path) -> Result<Self, ModelError> {
        let text = crate::input::read_text(file, 1024 * 1024)?;
        Self::parse(&text, file)
    }
}

impl Groups {
    pub fn new(groups: Vec<CountryGroup>) -> Self {
        Groups { groups }
    }

    pub fn all(&self) -> &[CountryGroup] {
        &self.groups
    }

    pub fn get(&self, id: &str) -> Option<&CountryGroup> {
        let id = id.trim().to_lowercase();
        self.groups.iter().find(|g| g.id == id)
    }

    pub fn lookup(&self, id: &str) -> Result<&CountryGroup, ModelError> {
        self.get(id).ok_or_else(|| ModelError::Unknown {
            kind: "country group",
            name: id.to_string(),
            suggestions: suggest::closest(id, self.groups.iter().map(|g| g.id.as_str()), 3),
        })
    }

    /// Applies a config: each group named there replaces (or adds) the group of that id.
    /// Every member must be a known country; unknown members are an error with suggestions.
    pub fn apply(
        &mut self,
        config: &GroupConfig,
        countries: &CountryRegistry,
    ) -> Result<(), ModelError> {
        for (id, entry) in &config.groups {
            if let Some(c) = countries.resolve(id) {
                let file = config.file.clone().unwrap_or_else(|| "group config".into());
                return Err(ModelError::Parse(crate::Located::new(
                    file,
                    0,
                    0,
                    format!("groups.{id}"),
                    format!(
                        "the group id {id:?} is also a country's name or code ({}, {}); \
                         pick another id so the two cannot be confused",
                        c.name, c.iso3
                    ),
                )));
            }
            let mut members = Vec::with_capacity(entry.members.get_ref().len());
            for m in entry.members.get_ref() {
                members.push(countries.lookup(m)?.iso3.clone());
            }
            let id = id.to_lowercase();
            let group = CountryGroup {
                name: entry.name.clone().unwrap_or_else(|| id.clone()),
                id: id.clone(),
                members,
                source: entry.source.clone(),
            };
            match self.groups.iter_mut().find(|g| g.id == id) {
                Some(g) => *g = group,
                None => self.groups.push(group),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::country::Country;

    fn countries() -> CountryRegistry {
        let mk = Country::named;
        CountryRegistry::new(vec![
            mk("CHN", "China"),
            mk("RUS", "Russia"),
            mk("PRK", "North Korea"),
        ])
    }

    #[test]
    fn config_redefines_concern_set() {
        let mut g = Groups::new(vec![CountryGroup {
            id: "concern".into(),
            name: "Concern".into(),
            members: vec!["CHN".into(), "RUS".into()],
            source: String::new(),
        }]);
        let cfg = GroupConfig::parse(
            "[groups.concern]\nmembers = [\"China\", \"PRK\"]\n",
            Path::new("x.toml"),
        )
        .unwrap();
        g.apply(&cfg, &countries()).unwrap();
        assert_eq!(g.get("concern").unwrap().members, vec!["CHN", "PRK"]);
    }

    #[test]
    fn bad_config_names_line_and_member() {
        let err = GroupConfig::parse("[groups.concern]\nmembers = 3\n", Path::new("x.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("x.toml:2:"), "{err}");
        let cfg =
            GroupConfig::parse("[groups.c]\nmembers = [\"Chna\"]\n", Path::new("x.toml")).unwrap();
        let err = Groups::default()
            .apply(&cfg, &countries())
            .unwrap_err()
            .to_string();
        assert!(err.contains("did you mean China"), "{err}");
    }

    #[test]
    fn an_empty_group_is_refused_where_it_stands() {
        let err = GroupConfig::parse("[groups.concern]\nmembers = []\n", Path::new("x.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("x.toml:2:11: groups.concern.members:"),
            "{err}"
        );
        assert!(err.contains("at least one member"), "{err}");
    }

    #[test]
    fn a_group_named_like_a_country_is_refused() {
        for id in ["chn", "china"] {
            let text = format!("[groups.{id}]\nmembers = [\"RUS\"]\n");
            let cfg = GroupConfig::parse(&text, Path::new("x.toml")).unwrap();
            let err = Groups::default()
                .apply(&cfg, &countries())
                .unwrap_err()
                .to_string();
            assert!(err.starts_with("x.toml: groups."), "{err}");
            assert!(err.contains("China, CHN"), "{err}");
        }
    }
}
