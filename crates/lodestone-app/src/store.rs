//! Why this file exists: every use case reads the same things — observations, trade, the project
//! and event registries, the extractor's gazetteer and triggers, the canned scenarios. The
//! [`Store`] holds all of them, opened either from the snapshot embedded in the binary or from a
//! `data/` folder, so `--data DIR` replaces every one of them and nothing silently falls back to
//! the embedded copy.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use lodestone_events::extract::{parse_triggers, Trigger};
use lodestone_events::{Event, Gazetteer};
use lodestone_model::{Asset, Dataset, ErrorKind, GroupConfig, TradeData};
use lodestone_planner::Project;

use crate::error::AppError;

/// Where a store was opened from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The snapshot compiled into the binary from the repository's `data/`.
    Embedded,
    /// A `data/` folder read at run time.
    Dir(PathBuf),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Embedded => f.write_str("the embedded snapshot"),
            Origin::Dir(d) => write!(f, "{}", d.display()),
        }
    }
}

/// A canned disruption scenario: its file name and TOML text.
#[derive(Debug, Clone)]
pub struct ScenarioText {
    pub file: String,
    pub text: String,
}

/// Everything the use cases read, loaded once and shared.
pub struct Store {
    origin: Origin,
    dataset: Cow<'static, Dataset>,
    /// `None` for the embedded trade snapshot, decoded on first use (most commands never pay).
    trade: Option<TradeData>,
    projects: Vec<Project>,
    assets: Vec<Asset>,
    events: Vec<Event>,
    /// The gazetteer's files; the extractor's tables are built from them on first use.
    gazetteer_files: Vec<(String, String)>,
    extractor: OnceLock<Result<(Gazetteer, Vec<Trigger>), AppError>>,
    scenarios: Vec<ScenarioText>,
    /// Parts of a data folder that hold nothing (said once, never a silent empty answer).
    gaps: Vec<String>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("origin", &self.origin)
            .field("observations", &self.dataset.observations.len())
            .field("trade_flows", &self.trade().flows.len())
            .field("projects", &self.projects.len())
            .field("events", &self.events.len())
            .field("scenarios", &self.scenarios.len())
            .finish()
    }
}

/// The text registries of a store, as (file name, contents).
struct Texts {
    projects: Vec<(String, String)>,
    ownership: Vec<(String, String)>,
    events: Vec<(String, String)>,
    gazetteer: Vec<(String, String)>,
    scenarios: Vec<(String, String)>,
}

impl Store {
    /// The embedded snapshot, with the user's group config applied when given.
    pub fn embedded(config: Option<&(PathBuf, GroupConfig)>) -> Result<Store, AppError> {
        let t = lodestone_data::texts::owned;
        let texts = Texts {
            projects: t(lodestone_data::texts::PROJECTS),
            ownership: t(lodestone_data::texts::OWNERSHIP),
            events: t(lodestone_data::texts::EVENTS),
            gazetteer: t(lodestone_data::texts::GAZETTEER),
            scenarios: t(lodestone_data::texts::SCENARIOS),
        };
        let ds = configure(Cow::Borrowed(lodestone_data::embedded()), config)?;
        // A registry that does not load is this binary's fault, not the user's.
        Store::assemble(Origin::Embedded, ds, None, texts)
            .map_err(|e| e.as_kind(ErrorKind::Internal))
    }

    /// A `data/` folder: reference tables and observations, `trade/`, `projects/`, `ownership/`, `events/`,
    /// `gazetteer/` and `scenarios/`, each read from the folder.
    pub fn open(dir: &Path, config: Option<&(PathBuf, GroupConfig)>) -> Result<Store, AppError> {
        if !dir.is_dir() {
            return Err(AppError::new(
                ErrorKind::NotFound,
                format!("{}: no such data folder", dir.display()),
            ));
        }
        let ds = lodestone_formats::read_dir(dir)?;
        let trade = lodestone_formats::read_trade(dir)?;
        let texts = Texts {
            projects: read_texts(&dir.join("projects"), "toml")?,
            ownership: read_texts(&dir.join("ownership"), "toml")?,
            events: read_texts(&dir.join("events"), "toml")?,
            // The gazetteer's files are looked up by name (demonyms.csv, triggers.csv, …).
            gazetteer: read_texts(&dir.join("gazetteer"), "csv")?
                .into_iter()
                .map(|(path, text)| (file_name(&path).to_string(), text))
                .collect(),
            scenarios: read_texts(&dir.join("scenarios"), "toml")?,
        };
        let gaps = [
            (
                "projects",
                texts.projects.is_empty(),
                "the project registry is empty",
            ),
            (
                "events",
                texts.events.is_empty(),
                "the event registry is empty",
            ),
            (
                "scenarios",
                texts.scenarios.is_empty(),
                "there are no canned scenarios",
            ),
        ]
        .into_iter()
        .filter(|(_, empty, _)| *empty)
        .map(|(part, _, what)| format!("{}: no files; {what}", dir.join(part).display()))
        .collect();
        let ds = configure(Cow::Owned(ds), config)?;
        let mut store = Store::assemble(Origin::Dir(dir.to_path_buf()), ds, Some(trade), texts)?;
        store.gaps = gaps;
        Ok(store)
    }

    /// What a data folder lacks (empty registries), for the front ends to say.
    pub fn gaps(&self) -> &[String] {
        &self.gaps
    }

    /// Reads a group config file (`lodestone.toml`); its groups are checked when applied.
    pub fn config(path: &Path) -> Result<(PathBuf, GroupConfig), AppError> {
        Ok((path.to_path_buf(), GroupConfig::load(path)?))
    }

    fn assemble(
        origin: Origin,
        dataset: Cow<'static, Dataset>,
        trade: Option<TradeData>,
        texts: Texts,
    ) -> Result<Store, AppError> {
        let ds: &Dataset = &dataset;
        let projects = lodestone_planner::registry_from(&borrowed(&texts.projects), ds)?;
        let assets = lodestone_model::ownership::assets_from(&borrowed(&texts.ownership), ds)?;
        let events = lodestone_events::event::registry_from(&borrowed(&texts.events), ds)?;
        let scenarios = texts
            .scenarios
            .into_iter()
            .map(|(file, text)| ScenarioText {
                file: file_name(&file).to_string(),
                text,
            })
            .collect();
        Ok(Store {
            origin,
            dataset,
            trade,
            projects,
            assets,
            events,
            gazetteer_files: texts.gazetteer,
            extractor: OnceLock::new(),
            scenarios,
            gaps: Vec::new(),
        })
    }

    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    pub fn dataset(&self) -> &Dataset {
        &self.dataset
    }

    pub fn trade(&self) -> &TradeData {
        self.trade
            .as_ref()
            .unwrap_or_else(|| lodestone_data::trade())
    }

    pub fn projects(&self) -> &[Project] {
        &self.projects
    }

    /// The asset-ownership registry (`data/ownership/`): producing assets, output and owners.
    pub fn assets(&self) -> &[Asset] {
        &self.assets
    }

    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The extractor's gazetteer and trigger phrases, built on first use (only `events extract`
    /// needs them); a broken file is reported then, as the store's other errors are.
    pub fn extractor(&self) -> Result<(&Gazetteer, &[Trigger]), AppError> {
        let built = self.extractor.get_or_init(|| {
            let ds = self.dataset();
            let gazetteer = Gazetteer::from_files(ds, &borrowed(&self.gazetteer_files))?;
            let triggers = match self
                .gazetteer_files
                .iter()
                .find(|(n, _)| file_name(n) == "triggers.csv")
            {
                Some((_, t)) => parse_triggers(t)?,
                None => Vec::new(),
            };
            Ok((gazetteer, triggers))
        });
        match built {
            Ok((g, t)) => Ok((g, t)),
            Err(e) if self.origin == Origin::Embedded => {
                Err(e.clone().as_kind(ErrorKind::Internal))
            }
            Err(e) => Err(e.clone()),
        }
    }

    pub fn scenarios(&self) -> &[ScenarioText] {
        &self.scenarios
    }
}

/// The dataset with a group config's groups applied (the file named in any error).
fn configure(
    mut dataset: Cow<'static, Dataset>,
    config: Option<&(PathBuf, GroupConfig)>,
) -> Result<Cow<'static, Dataset>, AppError> {
    if let Some((path, cfg)) = config {
        let owned = dataset.to_mut();
        let mut groups = owned.groups.clone();
        groups
            .apply(cfg, &owned.countries)
            .map_err(|e| AppError::from(e).prefixed(&path.display().to_string()))?;
        owned.groups = groups;
    }
    Ok(dataset)
}

fn borrowed(files: &[(String, String)]) -> Vec<(&str, &str)> {
    files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect()
}

fn file_name(path: &str) -> &str {
    Path::new(path)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(path)
}

/// Every `*.ext` file in `dir`, sorted by name, as (path, contents); a missing folder is empty.
fn read_texts(dir: &Path, ext: &str) -> Result<Vec<(String, String)>, AppError> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut files: Vec<PathBuf> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p)
                .map_err(|e| AppError::invalid(format!("{}: {e}", p.display())))?;
            Ok((p.display().to_string(), text))
        })
        .collect()
}
