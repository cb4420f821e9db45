//! Why this file exists: one catalogue of commodities, with the names users type and the
//! critical-minerals lists each belongs to.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::country::fold_name;
use crate::error::ModelError;
use crate::suggest;

/// The critical-minerals lists Lodestone knows (citations and mapping in `data/critical-lists.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CriticalList {
    /// USGS 2022 List of Critical Minerals (87 FR 10381, 24 Feb 2022): 50 minerals.
    Us2022,
    /// USGS 2025 List of Critical Minerals (final, Nov 2025): 60 minerals.
    Us2025,
    /// EU critical raw materials, Regulation (EU) 2024/1252 Annex II (2023 assessment).
    Eu2023,
    /// EU strategic raw materials, Regulation (EU) 2024/1252 Annex I.
    Eu2023Strategic,
}

impl CriticalList {
    pub const ALL: [CriticalList; 4] = [
        CriticalList::Us2022,
        CriticalList::Us2025,
        CriticalList::Eu2023,
        CriticalList::Eu2023Strategic,
    ];

    pub fn id(self) -> &'static str {
        match self {
            CriticalList::Us2022 => "us2022",
            CriticalList::Us2025 => "us2025",
            CriticalList::Eu2023 => "eu2023",
            CriticalList::Eu2023Strategic => "eu2023-strategic",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            CriticalList::Us2022 => "US 2022 List of Critical Minerals (USGS, 87 FR 10381)",
            CriticalList::Us2025 => "US 2025 List of Critical Minerals (USGS, final, Nov 2025)",
            CriticalList::Eu2023 => "EU critical raw materials (Reg. (EU) 2024/1252, Annex II)",
            CriticalList::Eu2023Strategic => {
                "EU strategic raw materials (Reg. (EU) 2024/1252, Annex I)"
            }
        }
    }
}

impl fmt::Display for CriticalList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for CriticalList {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_lowercase();
        CriticalList::ALL
            .into_iter()
            .find(|l| l.id() == t)
            .ok_or_else(|| ModelError::Unknown {
                kind: "critical-minerals list",
                name: t.clone(),
                suggestions: suggest::closest(&t, CriticalList::ALL.iter().map(|l| l.id()), 4),
            })
    }
}

/// A commodity as Lodestone names it (one row of `data/commodities.csv`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Commodity {
    /// Stable id, lower case with hyphens: `tungsten`, `rare-earths`, `graphite`.
    pub id: String,
    pub name: String,
    /// Other names users and sources use ("wolfram", "REE", "rare earth minerals").
    pub synonyms: Vec<String>,
    /// metal / industrial / energy / precious.
    pub family: String,
    pub lists: Vec<CriticalList>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CommodityCatalog {
    commodities: Vec<Commodity>,
}

impl CommodityCatalog {
    pub fn new(mut commodities: Vec<Commodity>) -> Self {
        commodities.sort_by(|a, b| a.id.cmp(&b.id));
        CommodityCatalog { commodities }
    }

    pub fn all(&self) -> &[Commodity] {
        &self.commodities
    }

    pub fn get(&self, id: &str) -> Option<&Commodity> {
        self.commodities
            .binary_search_by(|c| c.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.commodities[i])
    }

    /// By id, name or synonym, case- and punctuation-insensitive.
    pub fn resolve(&self, name: &str) -> Option<&Commodity> {
        if let Some(c) = self.get(name.trim()) {
            return Some(c);
        }
        let f = fold_name(name);
        self.commodities.iter().find(|c| {
            fold_name(&c.id) == f
                || fold_name(&c.name) == f
                || c.synonyms.iter().any(|s| fold_name(s) == f)
        })
    }

    pub fn lookup(&self, name: &str) -> Result<&Commodity, ModelError> {
        self.resolve(name).ok_or_else(|| ModelError::Unknown {
            kind: "commodity",
            name: name.to_string(),
            suggestions: suggest::closest(
                name,
                self.commodities.iter().flat_map(|c| {
                    std::iter::once(c.id.as_str()).chain(c.synonyms.iter().map(String::as_str))
                }),
                3,
            ),
        })
    }

    pub fn on_list(&self, list: CriticalList) -> impl Iterator<Item = &Commodity> {
        self.commodities
            .iter()
            .filter(move |c| c.lists.contains(&list))
    }
}
