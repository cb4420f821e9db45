//! Why this file exists: the extractor is measured, not trusted — precision, recall and F1 per
//! entity kind and per event type against hand-labelled articles (`tests/eval/`).

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

use crate::error::EventError;
use crate::event::EventKind;
use crate::extract::{extract, Trigger};
use crate::gazetteer::{Gazetteer, Kind};

#[derive(Debug, Clone, Deserialize)]
pub struct GoldArticle {
    pub file: String,
    pub date: String,
    pub countries: Vec<String>,
    pub commodities: Vec<String>,
    pub organisations: Vec<String>,
    pub events: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct GoldFile {
    article: Vec<GoldArticle>,
}

/// Counts for one label.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Score {
    pub true_positive: usize,
    pub false_positive: usize,
    pub false_negative: usize,
}

impl Score {
    pub fn precision(&self) -> f64 {
        let d = self.true_positive + self.false_positive;
        if d == 0 {
            1.0
        } else {
            self.true_positive as f64 / d as f64
        }
    }
    pub fn recall(&self) -> f64 {
        let d = self.true_positive + self.false_negative;
        if d == 0 {
            1.0
        } else {
            self.true_positive as f64 / d as f64
        }
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, gold: &[String], got: &[String]) {
        self.true_positive += got.iter().filter(|g| gold.contains(g)).count();
        self.false_positive += got.iter().filter(|g| !gold.contains(g)).count();
        self.false_negative += gold.iter().filter(|g| !got.contains(g)).count();
    }
}

/// Scores per entity kind ("countries", ...) and per event type ("event:financing", ...), plus
/// "events" over all types.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub articles: usize,
    pub scores: BTreeMap<String, Score>,
}

/// The confidence from which a candidate counts as an extracted event.
pub const MIN_CONFIDENCE: f64 = 0.4;

/// Runs the extractor over the labelled articles in `dir` (with `gold.toml`).
pub fn evaluate(dir: &Path, gaz: &Gazetteer, triggers: &[Trigger]) -> Result<Report, EventError> {
    let gold_path = dir.join("gold.toml");
    let text = std::fs::read_to_string(&gold_path).map_err(|source| EventError::Io {
        file: gold_path.clone(),
        source,
    })?;
    let gold: GoldFile = toml::from_str(&text)
        .map_err(|e| EventError::Input(format!("{}: {e}", gold_path.display())))?;
    let mut report = Report {
        articles: gold.article.len(),
        ..Default::default()
    };
    for a in &gold.article {
        let p = dir.join(&a.file);
        let bytes = std::fs::read(&p).map_err(|source| EventError::Io {
            file: p.clone(),
            source,
        })?;
        let text = crate::input::prepare(&bytes)?;
        let ex = extract(&text, crate::event::parse_date(&a.date), gaz, triggers);
        let got_events = ex.event_types(MIN_CONFIDENCE);
        for (name, gold, got) in [
            ("countries", &a.countries, ex.ids(Kind::Country)),
            ("commodities", &a.commodities, ex.ids(Kind::Commodity)),
            (
                "organisations",
                &a.organisations,
                ex.ids(Kind::Organisation),
            ),
            ("events", &a.events, got_events.clone()),
        ] {
            report
                .scores
                .entry(name.into())
                .or_default()
                .add(gold, &got);
        }
        for t in EventKind::ALL.iter().map(|k| k.as_str()) {
            let g: Vec<String> = a
                .events
                .iter()
                .filter(|e| e.as_str() == t)
                .cloned()
                .collect();
            let x: Vec<String> = got_events
                .iter()
                .filter(|e| e.as_str() == t)
                .cloned()
                .collect();
            if !g.is_empty() || !x.is_empty() {
                report
                    .scores
                    .entry(format!("event:{t}"))
                    .or_default()
                    .add(&g, &x);
            }
        }
    }
    Ok(report)
}
