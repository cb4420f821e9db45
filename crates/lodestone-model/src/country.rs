//! Why this file exists: sources spell countries a dozen ways; everything else keys on ISO alpha-3.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

use crate::error::ModelError;
use crate::suggest;

/// A country or territory, keyed by ISO 3166-1 alpha-3.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Country {
    pub iso3: String,
    pub iso2: String,
    /// ISO 3166-1 numeric, which is also the UN M49 code (BACI deviates for a few; see its table).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub numeric: Option<u16>,
    pub name: String,
    pub official: String,
    pub region: String,
    pub subregion: String,
    /// Other spellings: from the reference table and from the hand-kept source alias list.
    pub aliases: Vec<String>,
}

impl Country {
    /// A country known only by its code and name (other fields empty): for curated tables and
    /// tests.
    pub fn named(iso3: &str, name: &str) -> Country {
        Country {
            iso3: iso3.into(),
            iso2: String::new(),
            numeric: None,
            name: name.into(),
            official: name.into(),
            region: String::new(),
            subregion: String::new(),
            aliases: vec![],
        }
    }
}

/// All countries with a name index that accepts the spellings real sources use.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CountryRegistry {
    countries: Vec<Country>,
    #[serde(skip)]
    index: HashMap<String, usize>,
}

/// Folds a name for matching: lower case, common diacritics removed, punctuation dropped,
/// white space collapsed, a leading "the" dropped.
pub fn fold_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for ch in name.chars() {
        let c = match ch {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'Á' | 'Å' | 'Ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'Ö' | 'ø' => 'o',
            'ú' | 'ù' | 'û' | 'ü' | 'Ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            '\u{2019}' | '\'' | '.' => continue,
            c if c.is_alphanumeric() => c,
            _ => ' ',
        };
        out.extend(c.to_lowercase());
    }
    let folded = out.split_whitespace().collect::<Vec<_>>().join(" ");
    match folded.strip_prefix("the ") {
        Some(rest) => rest.to_string(),
        None => folded,
    }
}

impl CountryRegistry {
    pub fn new(countries: Vec<Country>) -> Self {
        let mut reg = CountryRegistry {
            countries,
            index: HashMap::new(),
        };
        reg.rebuild_index();
        reg
    }

    /// Rebuilds the name index (after deserialising a snapshot).
    pub fn rebuild_index(&mut self) {
        self.index.clear();
        for (i, c) in self.countries.iter().enumerate() {
            for n in [&c.iso3, &c.name, &c.official]
                .into_iter()
                .chain(c.aliases.iter())
            {
                self.index.entry(fold_name(n)).or_insert(i);
            }
        }
    }

    pub fn all(&self) -> &[Country] {
        &self.countries
    }

    /// Adds an alias (a source's spelling) for an existing country.
    pub fn add_alias(&mut self, alias: &str, iso3: &str) -> Result<(), ModelError> {
        let i = self
            .countries
            .iter()
            .position(|c| c.iso3 == iso3)
            .ok_or_else(|| self.unknown(iso3))?;
        self.countries[i].aliases.push(alias.to_string());
        self.index.insert(fold_name(alias), i);
        Ok(())
    }

    /// Looks a country up by ISO3 code, name, official name or alias.
    pub fn resolve(&self, name: &str) -> Option<&Country> {
        let t = name.trim();
        if t.len() == 3 && t.chars().all(|c| c.is_ascii_uppercase()) {
            if let Some(c) = self.countries.iter().find(|c| c.iso3 == t) {
                return Some(c);
            }
        }
        self.index.get(&fold_name(t)).map(|&i| &self.countries[i])
    }

    /// Like [`resolve`](Self::resolve) but an unknown name is an error with suggestions.
    pub fn lookup(&self, name: &str) -> Result<&Country, ModelError> {
        self.resolve(name).ok_or_else(|| self.unknown(name))
    }

    pub fn by_iso3(&self, iso3: &str) -> Option<&Country> {
        self.countries.iter().find(|c| c.iso3 == iso3)
    }

    /// The display name for an ISO3 code (the code itself when unknown).
    pub fn name_of<'a>(&'a self, iso3: &'a str) -> &'a str {
        self.by_iso3(iso3).map(|c| c.name.as_str()).unwrap_or(iso3)
    }

    fn unknown(&self, name: &str) -> ModelError {
        let names = self
            .countries
            .iter()
            .flat_map(|c| [c.name.as_str(), c.iso3.as_str()]);
        ModelError::Unknown {
            kind: "country",
            name: name.to_string(),
            suggestions: suggest::closest(name, names, 3),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reg() -> CountryRegistry {
        let mk = |iso3: &str, name: &str, aliases: &[&str]| Country {
            iso3: iso3.into(),
            iso2: iso3[..2].into(),
            numeric: None,
            name: name.into(),
            official: format!("Republic of {name}"),
            region: String::new(),
            subregion: String::new(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
        };
        CountryRegistry::new(vec![
            mk("PRK", "North Korea", &["Korea, North"]),
            mk("TUR", "Türkiye", &["Turkey"]),
            mk("CIV", "Ivory Coast", &["Côte d’Ivoire"]),
        ])
    }

    #[test]
    fn resolves_source_spellings() {
        let r = reg();
        assert_eq!(r.resolve("Korea, North").unwrap().iso3, "PRK");
        assert_eq!(r.resolve("korea north").unwrap().iso3, "PRK");
        assert_eq!(r.resolve("Turkiye").unwrap().iso3, "TUR");
        assert_eq!(r.resolve("TUR").unwrap().iso3, "TUR");
        assert_eq!(r.resolve("Cote d'Ivoire").unwrap().iso3, "CIV");
        assert!(r.resolve("Atlantis").is_none());
    }

    #[test]
    fn unknown_name_suggests() {
        let err = reg().lookup("Turky").unwrap_err().to_string();
        assert!(err.contains("did you mean"), "{err}");
        assert!(err.contains("Türkiye"), "{err}");
    }
}
