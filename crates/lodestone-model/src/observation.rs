//! Why this file exists: a published figure is more than a number — it is the number, what it
//! measures, where it was printed, how it was printed, and what the publisher said about it.

use serde::{Deserialize, Serialize};
use smol_str::SmolStr;
use std::fmt;
use std::str::FromStr;

use crate::error::ModelError;
use crate::stage::Stage;
use crate::unit::Unit;

/// What a figure measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Measure {
    Production,
    Reserves,
    Capacity,
}

impl Measure {
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Production => "production",
            Measure::Reserves => "reserves",
            Measure::Capacity => "capacity",
        }
    }
}

impl FromStr for Measure {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "production" => Ok(Measure::Production),
            "reserves" => Ok(Measure::Reserves),
            "capacity" => Ok(Measure::Capacity),
            o => Err(ModelError::Unknown {
                kind: "measure",
                name: o.into(),
                suggestions: vec!["production".into(), "reserves".into(), "capacity".into()],
            }),
        }
    }
}

/// Whose figure it is: one country, the world total, the source's "Other countries" row, or an
/// aggregate the source reports jointly (e.g. "United States and Canada").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scope {
    Country,
    World,
    Other,
    Aggregate,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Country => "country",
            Scope::World => "world",
            Scope::Other => "other",
            Scope::Aggregate => "aggregate",
        }
    }
}

impl FromStr for Scope {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "country" => Ok(Scope::Country),
            "world" => Ok(Scope::World),
            "other" => Ok(Scope::Other),
            "aggregate" => Ok(Scope::Aggregate),
            o => Err(ModelError::Unknown {
                kind: "scope",
                name: o.into(),
                suggestions: vec![],
            }),
        }
    }
}

/// How the source printed the figure. A set of single-bit flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Flags(pub u16);

impl Flags {
    /// Estimated ("e" prefix or suffix, `_est_` column, WMD "e").
    pub const ESTIMATED: Flags = Flags(1);
    /// Withheld to avoid disclosing company proprietary data ("W").
    pub const WITHHELD: Flags = Flags(1 << 1);
    /// Not available ("NA", empty).
    pub const NOT_AVAILABLE: Flags = Flags(1 << 2);
    /// Not applicable ("XX").
    pub const NOT_APPLICABLE: Flags = Flags(1 << 3);
    /// The value is a lower bound (">50").
    pub const LOWER_BOUND: Flags = Flags(1 << 4);
    /// The value is an upper bound ("<25", "Less than ½ unit").
    pub const UPPER_BOUND: Flags = Flags(1 << 5);
    /// Reported figure (WMD "r").
    pub const REPORTED: Flags = Flags(1 << 6);
    /// Provisional figure (WMD "p").
    pub const PROVISIONAL: Flags = Flags(1 << 7);
    /// Revised (named in the edition's revision notes).
    pub const REVISED: Flags = Flags(1 << 8);
    /// Included with another row or product ("Included with ilmenite").
    pub const INCLUDED_ELSEWHERE: Flags = Flags(1 << 9);
    /// A qualitative word in place of a number ("Large").
    pub const QUALITATIVE: Flags = Flags(1 << 10);
    /// A range ("10-20"); the value is its midpoint.
    pub const RANGE: Flags = Flags(1 << 11);

    const NAMES: [(Flags, &'static str); 12] = [
        (Flags::ESTIMATED, "estimated"),
        (Flags::WITHHELD, "withheld"),
        (Flags::NOT_AVAILABLE, "not-available"),
        (Flags::NOT_APPLICABLE, "not-applicable"),
        (Flags::LOWER_BOUND, "lower-bound"),
        (Flags::UPPER_BOUND, "upper-bound"),
        (Flags::REPORTED, "reported"),
        (Flags::PROVISIONAL, "provisional"),
        (Flags::REVISED, "revised"),
        (Flags::INCLUDED_ELSEWHERE, "included-elsewhere"),
        (Flags::QUALITATIVE, "qualitative"),
        (Flags::RANGE, "range"),
    ];

    pub fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0 && other.0 != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn names(self) -> Vec<&'static str> {
        Flags::NAMES
            .iter()
            .filter(|(f, _)| self.contains(*f))
            .map(|(_, n)| *n)
            .collect()
    }
}

impl std::ops::BitOr for Flags {
    type Output = Flags;
    fn bitor(self, rhs: Flags) -> Flags {
        Flags(self.0 | rhs.0)
    }
}

impl std::ops::BitOrAssign for Flags {
    fn bitor_assign(&mut self, rhs: Flags) {
        self.0 |= rhs.0;
    }
}

impl fmt::Display for Flags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.names().join("|"))
    }
}

impl FromStr for Flags {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut flags = Flags::default();
        for part in s.split('|').filter(|p| !p.is_empty()) {
            let f = Flags::NAMES
                .iter()
                .find(|(_, n)| *n == part)
                .ok_or_else(|| ModelError::Unknown {
                    kind: "flag",
                    name: part.into(),
                    suggestions: crate::suggest::closest(
                        part,
                        Flags::NAMES.iter().map(|(_, n)| *n),
                        3,
                    ),
                })?;
            flags |= f.0;
        }
        Ok(flags)
    }
}

/// One published figure with its provenance.
///
/// Strings are [`SmolStr`] (inline up to 23 bytes) so that loading the embedded snapshot does not
/// allocate once per field; long notes live in the dataset's note table (`note` is an index, 0 = none).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub commodity: SmolStr,
    pub stage: Stage,
    pub measure: Measure,
    pub scope: Scope,
    /// ISO3 for [`Scope::Country`], empty otherwise.
    pub country: SmolStr,
    /// The row label exactly as printed (country name with any footnote marks).
    pub label: SmolStr,
    pub year: u16,
    /// `None` for withheld, not available, not applicable, qualitative.
    pub value: Option<f64>,
    pub unit: Unit,
    /// What is weighed: "W content", "WO3", "Li content", "Li2O", "REO", "gross weight", ...
    pub basis: SmolStr,
    pub flags: Flags,
    /// The cell's text exactly as in the source file.
    pub original: SmolStr,
    /// Index into [`Dataset::sources`](crate::Dataset::sources).
    pub source: u32,
    /// Column or field name in the source file (e.g. `Prod_t_est_2023`, `2021`).
    pub field: SmolStr,
    /// 1-based row (line for CSV, sheet row for xlsx, rowid for SQLite).
    pub row: u32,
    /// Index into [`Dataset::notes`](crate::Dataset::notes); 0 = no note.
    pub note: u32,
}
