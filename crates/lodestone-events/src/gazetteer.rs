//! Why this file exists: names are found by lookup, not guessed — countries (with every alias the
//! dataset knows, demonyms, capitals and leaders), groups, commodities with their synonyms, and
//! organisations come from data files (`data/gazetteer/*.csv`) and the dataset, matched with
//! Aho–Corasick at word boundaries; short all-capital forms (US, EU, EXIM, DFC) match only in
//! capitals.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Deserialize;
use std::path::Path;

use lodestone_model::Dataset;

use crate::error::EventError;

/// What a gazetteer entry names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EntityKind))]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Country,
    Commodity,
    Organisation,
}

#[derive(Debug, Clone)]
struct Entry {
    kind: Kind,
    /// ISO3, group id, commodity id or organisation name.
    id: String,
}

/// A match in the text.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Mention {
    pub kind: Kind,
    pub id: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

pub struct Gazetteer {
    org_country: std::collections::HashMap<String, String>,
    folded: AhoCorasick,
    folded_entries: Vec<Entry>,
    exact: AhoCorasick,
    exact_entries: Vec<Entry>,
}

#[derive(Deserialize)]
struct TermRow {
    term: String,
    target: String,
}

#[derive(Deserialize)]
struct OrgRow {
    name: String,
    aliases: String,
    country: String,
}

fn parse<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> Result<Vec<T>, EventError> {
    Ok(lodestone_formats::read_csv_bytes(
        Path::new(name),
        text.as_bytes(),
    )?)
}

/// The text of a named gazetteer file among (name, text) pairs.
fn file<'a>(files: &'a [(&'a str, &'a str)], name: &str) -> Result<&'a str, EventError> {
    files
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
        .ok_or_else(|| EventError::Input(format!("gazetteer file {name} is missing")))
}

fn is_short_caps(s: &str) -> bool {
    s.chars().count() <= 5
        && s.chars()
            .filter(|c| c.is_alphabetic())
            .all(|c| c.is_uppercase())
}

impl Gazetteer {
    /// Builds the gazetteer from the dataset and the files of `data/gazetteer/` on disk.
    pub fn load(ds: &Dataset, dir: &Path) -> Result<Gazetteer, EventError> {
        let mut texts = Vec::new();
        for name in [
            "demonyms.csv",
            "leaders.csv",
            "organisations.csv",
            "triggers.csv",
        ] {
            let p = dir.join(name);
            let t = std::fs::read_to_string(&p).map_err(|source| EventError::Io {
                file: p.clone(),
                source,
            })?;
            texts.push((name, t));
        }
        let refs: Vec<(&str, &str)> = texts.iter().map(|(n, t)| (*n, t.as_str())).collect();
        Self::from_files(ds, &refs)
    }

    /// Builds the gazetteer from the dataset and (file name, text) pairs of `data/gazetteer/`.
    pub fn from_files(ds: &Dataset, files: &[(&str, &str)]) -> Result<Gazetteer, EventError> {
        let mut terms: Vec<(String, Entry)> = Vec::new();
        let mut add = |t: &str, kind: Kind, id: &str| {
            let t = t.trim();
            if t.chars().count() >= 2 {
                terms.push((
                    t.to_string(),
                    Entry {
                        kind,
                        id: id.to_string(),
                    },
                ));
            }
        };
        for c in ds.countries.all() {
            add(&c.name, Kind::Country, &c.iso3);
            add(&c.official, Kind::Country, &c.iso3);
            for a in &c.aliases {
                // Skip ISO codes and native-script aliases that never appear in English news.
                if a.chars().all(|ch| ch.is_ascii() || ch.is_alphabetic()) && a.chars().count() >= 4
                {
                    add(a, Kind::Country, &c.iso3);
                }
            }
        }
        let terms_rows = parse::<TermRow>("demonyms.csv", file(files, "demonyms.csv")?)?
            .into_iter()
            .chain(parse::<TermRow>(
                "leaders.csv",
                file(files, "leaders.csv")?,
            )?);
        for r in terms_rows {
            add(&r.term, Kind::Country, &r.target);
        }
        for c in ds.commodities.all() {
            add(&c.name, Kind::Commodity, &c.id);
            add(&c.id.replace('-', " "), Kind::Commodity, &c.id);
            for s in &c.synonyms {
                if s.chars().count() >= 3 {
                    add(s, Kind::Commodity, &c.id);
                }
            }
        }
        let mut org_country = std::collections::HashMap::new();
        for r in parse::<OrgRow>("organisations.csv", file(files, "organisations.csv")?)? {
            if !r.country.is_empty() {
                org_country.insert(r.name.clone(), r.country.clone());
            }
            add(&r.name, Kind::Organisation, &r.name);
            for a in r.aliases.split('|') {
                add(a, Kind::Organisation, &r.name);
            }
        }
        let (exact, folded): (Vec<_>, Vec<_>) =
            terms.into_iter().partition(|(t, _)| is_short_caps(t));
        let build = |pats: &[(String, Entry)], fold: bool| -> Result<AhoCorasick, EventError> {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(fold)
                .match_kind(MatchKind::LeftmostLongest)
                .build(pats.iter().map(|(t, _)| t.as_str()))
                .map_err(|e| EventError::Input(format!("gazetteer: {e}")))
        };
        Ok(Gazetteer {
            org_country,
            folded: build(&folded, true)?,
            exact: build(&exact, false)?,
            folded_entries: folded.into_iter().map(|(_, e)| e).collect(),
            exact_entries: exact.into_iter().map(|(_, e)| e).collect(),
        })
    }

    /// The country an organisation belongs to (ISO3 or group id), when the gazetteer says.
    pub fn country_of_organisation(&self, name: &str) -> Option<&str> {
        self.org_country.get(name).map(String::as_str)
    }

    /// Every mention in `text`, left to right, longest first at each place, at word boundaries.
    pub fn find(&self, text: &str) -> Vec<Mention> {
        let bytes = text.as_bytes();
        let boundary = |i: usize| -> bool {
            if i == 0 || i >= bytes.len() {
                return true;
            }
            let before = text[..i].chars().next_back().unwrap_or(' ');
            let after = text[i..].chars().next().unwrap_or(' ');
            !(before.is_alphanumeric() && after.is_alphanumeric())
        };
        let mut out: Vec<Mention> = Vec::new();
        for (ac, entries) in [
            (&self.folded, &self.folded_entries),
            (&self.exact, &self.exact_entries),
        ] {
            for m in ac.find_iter(text) {
                let (s, e) = (m.start(), m.end());
                // Word boundary on both sides; a plural "s" may follow.
                if !boundary(s) || !(boundary(e) || text[e..].starts_with('s') && boundary(e + 1)) {
                    continue;
                }
                let entry = &entries[m.pattern().as_usize()];
                out.push(Mention {
                    kind: entry.kind,
                    id: entry.id.clone(),
                    start: s,
                    end: e,
                    text: text[s..e].to_string(),
                });
            }
        }
        out.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
        // Drop mentions inside a longer one.
        let mut kept: Vec<Mention> = Vec::new();
        for m in out {
            if kept.last().is_some_and(|k| m.start < k.end) {
                continue;
            }
            kept.push(m);
        }
        kept
    }
}
