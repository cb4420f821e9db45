//! Why this file exists: users name importers, exporters and filters as a country ("USA",
//! "Kazakhstan", "Korea, North") or a group ("c5", "eu27", "concern"). This is the one place that
//! turns such a name into members, so every command accepts the same names and answers an unknown
//! one with the same "did you mean".

use serde::Serialize;

use crate::{suggest, Dataset, ModelError};

/// A country or a group of countries, resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    /// ISO3 for a country, the group id for a group ("USA", "eu27").
    pub id: String,
    pub name: String,
    /// ISO3 of every member (one for a country).
    pub members: Vec<String>,
    pub is_group: bool,
}

impl Dataset {
    /// Resolves a group id or a country name, code or alias.
    pub fn place(&self, name: &str) -> Result<Place, ModelError> {
        if let Some(g) = self.groups.get(name) {
            return Ok(Place {
                id: g.id.clone(),
                name: g.name.clone(),
                members: g.members.clone(),
                is_group: true,
            });
        }
        match self.countries.lookup(name) {
            Ok(c) => Ok(Place {
                id: c.iso3.clone(),
                name: c.name.clone(),
                members: vec![c.iso3.clone()],
                is_group: false,
            }),
            Err(_) => {
                let names = self
                    .countries
                    .all()
                    .iter()
                    .flat_map(|c| [c.name.as_str(), c.iso3.as_str()])
                    .chain(self.groups.all().iter().map(|g| g.id.as_str()));
                Err(ModelError::Unknown {
                    kind: "country or group",
                    name: name.to_string(),
                    suggestions: suggest::closest(name, names, 3),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Country, CountryGroup, CountryRegistry, Dataset, Groups};

    fn ds() -> Dataset {
        let mk = Country::named;
        let countries = CountryRegistry::new(vec![
            mk("KAZ", "Kazakhstan"),
            mk("UZB", "Uzbekistan"),
            mk("USA", "United States"),
        ]);
        Dataset {
            countries,
            groups: Groups::new(vec![CountryGroup {
                id: "c5".into(),
                name: "Central Asia".into(),
                members: vec!["KAZ".into(), "UZB".into()],
                source: String::new(),
            }]),
            ..Default::default()
        }
    }

    #[test]
    fn countries_and_groups_resolve_to_members() {
        let ds = ds();
        let kaz = ds.place("Kazakhstan").unwrap();
        assert_eq!((kaz.id.as_str(), kaz.is_group), ("KAZ", false));
        let c5 = ds.place("c5").unwrap();
        assert_eq!(c5.members, ["KAZ", "UZB"]);
        assert!(c5.is_group);
    }

    #[test]
    fn unknown_names_suggest_countries_and_groups() {
        let msg = ds().place("Kazakstan").unwrap_err().to_string();
        assert!(msg.contains("Kazakhstan"), "{msg}");
        let msg = ds().place("c6").unwrap_err().to_string();
        assert!(msg.contains("c5"), "{msg}");
    }
}
