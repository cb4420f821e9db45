//! Why this file exists: the queries are read from two grammars — command-line flags (clap) and
//! URL query strings (serde) — and must mean the same in both. Named values (stage, method,
//! list, bounds) are parsed by their library `FromStr`, so both grammars give the same
//! "valid choices" / "did you mean" message; lists are comma-separated in a URL and repeatable
//! (or comma-separated) on the command line.

use std::fmt::Display;
use std::str::FromStr;

use serde::{Deserialize, Deserializer};

use crate::error::AppError;

/// An optional value parsed with its `FromStr` (an absent or empty parameter is `None`).
pub fn opt_from_str<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
    T::Err: Display,
{
    // Absent parameters never get here (`#[serde(default)]`); an empty one means "not given".
    let s = String::deserialize(d)?;
    match s.trim() {
        "" => Ok(None),
        x => x.parse().map(Some).map_err(serde::de::Error::custom),
    }
}

/// A value parsed with its `FromStr`.
pub fn from_str<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
    T::Err: Display,
{
    let s = String::deserialize(d)?;
    s.trim().parse().map_err(serde::de::Error::custom)
}

/// A comma-separated list, each item parsed with its `FromStr`.
pub fn comma_list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
    T::Err: Display,
{
    String::deserialize(d)?
        .split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(|x| x.parse().map_err(serde::de::Error::custom))
        .collect()
}

/// A request for more than a limit allows.
pub fn over_limit(what: &str, asked: usize, cap: usize) -> Result<(), AppError> {
    if asked > cap {
        return Err(AppError::invalid(format!(
            "{what}={asked}: the limit is {cap} per request"
        )));
    }
    Ok(())
}

/// The years of a list as "2015, 2016, …" for a "valid choices" message.
pub fn years_list(years: &[u16]) -> String {
    years
        .iter()
        .map(|y| y.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A year the data holds: anything else is an input error listing the years that are there
/// (never an empty answer "for 1800").
pub fn year_in(year: u16, years: &[u16], what: &str) -> Result<(), AppError> {
    if years.contains(&year) {
        return Ok(());
    }
    Err(AppError::invalid(format!(
        "year {year}: no {what} for that year; valid choices: {}",
        years_list(years)
    )))
}

/// The default importer and viewpoint.
pub fn usa() -> String {
    "USA".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Q {
        #[serde(default, deserialize_with = "opt_from_str")]
        stage: Option<lodestone_model::Stage>,
        #[serde(default, deserialize_with = "comma_list")]
        cap: Vec<lodestone_planner::Bound>,
    }

    fn q(s: &str) -> Result<Q, serde::de::value::Error> {
        let pairs: Vec<(String, String)> = s
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap();
                (k.to_string(), v.to_string())
            })
            .collect();
        Q::deserialize(serde::de::value::MapDeserializer::new(pairs.into_iter()))
    }

    #[test]
    fn values_parse_as_their_library_types() {
        let x = q("stage=refinery&cap=CHN=0.2, concern=0.3").unwrap();
        assert_eq!(x.stage, Some(lodestone_model::Stage::Refinery));
        assert_eq!(x.cap.len(), 2);
        assert_eq!(x.cap[1].target, "concern");
        assert!(q("").unwrap().stage.is_none());
        let e = q("stage=smelt").err().unwrap().to_string();
        assert!(e.contains("smelter"), "{e}");
    }
}
