//! Why this file exists: `sweep` (issue #15) — one disruption scenario run over a grid
//! (commodities × shocked countries × shock sizes × years, each with N Monte Carlo draws), on all
//! cores here or on a cluster elsewhere, with the same rows either way.
//!
//! The grid is a *spec* (TOML from a file, or JSON from the Python package). [`parse`] checks it
//! against the store and puts every list in one canonical order, so [`SweepSpec::canonical`] is
//! the same text for the same spec however it was written. Its cells ([`Cell`]) are the
//! cartesian product in that order; its tasks are contiguous ranges of whole cells, each bounded
//! by an estimate of its work. A task is reproducible from (canonical spec, task id) and the
//! store's data alone: a
//! cell's Monte Carlo seed is derived from the spec's seed and the cell's own coordinates
//! ([`cell_seed`]), never from its task, its machine or the thread count, and the cascade draws
//! one seeded random stream per draw.
//!
//! A cell whose shocked country neither exports (or, for a production shock, produces) the
//! commodity at a stage in that year is not dropped: it gives one row for that stage with no
//! `country`, zero tonnes and a `note` saying so.

use std::ops::Range;
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use toml::Spanned;

use lodestone_analysis::dependence::traded_stages;
use lodestone_cascade::marchand::Params;
use lodestone_cascade::network::build;
use lodestone_cascade::scenario::{Model, MonteCarlo, Scenario, Shock, ShockKind, MAX_DRAWS};
use lodestone_cascade::simulate::{simulate_until, Guard, Simulation, StageResult};
use lodestone_model::suggest::{closest, did_you_mean};
use lodestone_model::{Cancel, ErrorKind, Located, Place, Stage};

use crate::error::AppError;
use crate::limits::Limits;
use crate::params::{over_limit, years_list};
use crate::store::Store;

/// Largest spec text read (64 KiB: a spec is a few lists; the Python package's JSON too).
pub const MAX_SPEC_BYTES: usize = 64 * 1024;

/// Most cells one sweep may hold.
pub const MAX_CELLS: usize = 100_000;

/// Most work one sweep may cost, in link visits (the unit of
/// `lodestone_cascade::simulate::Work`; see [`SweepSpec::work`]). Measured: about 2.8e7 visits
/// a second on two cores of a debug build, so the cap is some four days of that; a release
/// build runs about 24 times faster (`cargo bench -p lodestone-app --bench sweep`: 80 cells of
/// 200 draws a second on two cores, 39 on one), so some four hours on two release cores, less
/// on a cluster. A spec over it is refused before anything runs.
pub const MAX_SWEEP_WORK: u64 = 10_000_000_000_000;

/// The work one task aims at, in link visits: a couple of minutes of one core of a debug build
/// (measured 1.4e7 visits a second a core), some seconds of a release core — a lost task is
/// cheap to redo, and a sweep has enough tasks to keep a cluster busy.
pub const TASK_WORK: u64 = 2_000_000_000;

/// Most cells in one task when the spec sets no `max_cells_per_task` (bounds a task's rows).
pub const DEFAULT_MAX_CELLS_PER_TASK: usize = 64;

/// The largest `max_cells_per_task` a spec may set.
const MAX_CELLS_PER_TASK: usize = 10_000;

/// The canned scenarios' Monte Carlo settings, which every cell runs with: lognormal sigma on
/// every link and on imputed or estimated links, stock cover from 0 to 3 months, consumption
/// cut from 20 to 50 % of a shortfall. The central run takes the middle of each range, as a
/// scenario file giving ranges only does.
const LINK_SIGMA: f64 = 0.10;
const IMPUTED_SIGMA: f64 = 0.50;
const STOCK_MONTHS: [f64; 2] = [0.0, 3.0];
const CONSUMPTION_CUT: [f64; 2] = [0.2, 0.5];

/// The keys a spec may have, in canonical order (for "did you mean").
const KEYS: [&str; 9] = [
    "name",
    "commodities",
    "shocked",
    "kind",
    "shocks",
    "years",
    "draws",
    "seed",
    "max_cells_per_task",
];

/// A sweep spec, parsed and checked against the store: every list resolved to ids, sorted and
/// free of duplicates; the tasks already cut. Made only by [`parse`] and [`parse_json`].
#[derive(Debug, Clone, PartialEq)]
pub struct SweepSpec {
    name: String,
    /// Commodity ids, sorted.
    commodities: Vec<String>,
    /// Shocked countries or groups, sorted by id.
    shocked: Vec<Place>,
    kind: ShockKind,
    /// Shock sizes (fractions in (0, 1]), ascending.
    shocks: Vec<f64>,
    /// Trade years, ascending.
    years: Vec<u16>,
    draws: u32,
    seed: u64,
    max_cells_per_task: usize,
    /// Links of the shocked networks of each (commodity, year), commodity-major.
    links: Vec<u64>,
    /// First cell of each task, then the number of cells.
    task_starts: Vec<usize>,
}

/// One point of the grid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// Position in [`SweepSpec::cells`].
    pub index: usize,
    /// Commodity id.
    pub commodity: String,
    pub year: u16,
    /// The shocked country (ISO3) or group id.
    pub shocked: String,
    /// Share of the shocked country's exports (or production) withheld.
    pub shock: f64,
    /// The cell's Monte Carlo seed ([`cell_seed`]).
    pub seed: u64,
}

/// One country's outcome in one cell at one stage (or, with `country` empty, a stage the shock
/// did not reach). Tonnes are on the stage network's `basis`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepRow {
    /// The task that ran the cell (depends on the partition, not on the result).
    pub task: usize,
    /// The cell's index in the spec's canonical order.
    pub cell: usize,
    /// Commodity id.
    pub commodity: String,
    /// Traded stage of the network ("mine", "refinery", …).
    pub stage: String,
    /// Trade year of the network.
    pub year: u16,
    /// The shocked country (ISO3) or group id.
    pub shocked: String,
    /// "exports" or "production".
    pub kind: String,
    /// Share withheld, a fraction in (0, 1].
    pub shock: f64,
    /// Monte Carlo draws behind the band (0 = no band).
    pub draws: u32,
    /// The cell's seed ([`cell_seed`]).
    pub seed: u64,
    /// Affected country (ISO3); `None` on the one row of a stage the shock hits nothing in.
    pub country: Option<String>,
    /// Supply lost (stock draws + use cuts) in the central run, tonnes.
    pub loss_t: f64,
    /// Apparent use before the shock plus what the country withholds, tonnes (`None` on a row
    /// without a country: nothing was measured there).
    pub use_t: Option<f64>,
    /// Use cut as a share of apparent use; `None` where the country has no use of its own.
    pub share_of_use: Option<f64>,
    /// Material the shocked exporter kept, tonnes.
    pub retained_t: Option<f64>,
    /// Part of the loss met from stocks, tonnes.
    pub stock_draw_t: Option<f64>,
    /// Part of the loss that cut use, tonnes.
    pub consumption_cut_t: Option<f64>,
    /// Round in which the country was first hit (0 = directly).
    pub depth: Option<usize>,
    /// 5th, 50th and 95th percentile of the loss over the draws, tonnes; `None` without draws.
    pub loss_p05_t: Option<f64>,
    pub loss_p50_t: Option<f64>,
    pub loss_p95_t: Option<f64>,
    /// Tonnes the shock took out of this network at the start (0 = it hit nothing here).
    pub initial_shock_t: f64,
    /// What one tonne means on this network (production basis or traded gross weight).
    pub basis: String,
    /// Why a row has no country ("KAZ does not export tungsten at the refinery stage in 2022").
    pub note: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Reading a spec

/// A value and, when the text was TOML, where it was written.
#[derive(Debug, Clone)]
struct At<T> {
    value: T,
    span: Option<Range<usize>>,
}

impl<T> From<Spanned<T>> for At<T> {
    fn from(s: Spanned<T>) -> Self {
        let span = Some(s.span());
        At {
            value: s.into_inner(),
            span,
        }
    }
}

impl<T> At<T> {
    fn bare(value: T) -> Self {
        At { value, span: None }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlSpec {
    name: Spanned<String>,
    commodities: Spanned<Vec<Spanned<String>>>,
    shocked: Spanned<Vec<Spanned<String>>>,
    kind: Spanned<String>,
    shocks: Spanned<Vec<Spanned<f64>>>,
    years: Spanned<Vec<Spanned<u16>>>,
    draws: Spanned<u32>,
    seed: u64,
    max_cells_per_task: Option<Spanned<usize>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonSpec {
    name: String,
    commodities: Vec<String>,
    shocked: Vec<String>,
    kind: String,
    shocks: Vec<f64>,
    years: Vec<u16>,
    draws: u32,
    seed: u64,
    max_cells_per_task: Option<usize>,
}

/// A spec as written, TOML or JSON alike.
struct RawSpec {
    name: At<String>,
    commodities: At<Vec<At<String>>>,
    shocked: At<Vec<At<String>>>,
    kind: At<String>,
    shocks: At<Vec<At<f64>>>,
    years: At<Vec<At<u16>>>,
    draws: At<u32>,
    seed: u64,
    max_cells_per_task: Option<At<usize>>,
}

fn spanned_list<T>(list: Spanned<Vec<Spanned<T>>>) -> At<Vec<At<T>>> {
    let span = Some(list.span());
    At {
        value: list.into_inner().into_iter().map(At::from).collect(),
        span,
    }
}

fn bare_list<T>(list: Vec<T>) -> At<Vec<At<T>>> {
    At::bare(list.into_iter().map(At::bare).collect())
}

impl From<TomlSpec> for RawSpec {
    fn from(t: TomlSpec) -> Self {
        RawSpec {
            name: t.name.into(),
            commodities: spanned_list(t.commodities),
            shocked: spanned_list(t.shocked),
            kind: t.kind.into(),
            shocks: spanned_list(t.shocks),
            years: spanned_list(t.years),
            draws: t.draws.into(),
            seed: t.seed,
            max_cells_per_task: t.max_cells_per_task.map(At::from),
        }
    }
}

impl From<JsonSpec> for RawSpec {
    fn from(j: JsonSpec) -> Self {
        RawSpec {
            name: At::bare(j.name),
            commodities: bare_list(j.commodities),
            shocked: bare_list(j.shocked),
            kind: At::bare(j.kind),
            shocks: bare_list(j.shocks),
            years: bare_list(j.years),
            draws: At::bare(j.draws),
            seed: j.seed,
            max_cells_per_task: j.max_cells_per_task.map(At::bare),
        }
    }
}

/// The spec's text, where its errors are located.
struct Ctx<'a> {
    file: &'a Path,
    text: &'a str,
}

impl Ctx<'_> {
    /// A problem with `field`: at its line and column in TOML, by field name alone in JSON.
    fn err<T, U>(
        &self,
        at: &At<U>,
        field: &str,
        message: impl Into<String>,
    ) -> Result<T, AppError> {
        let located = match &at.span {
            Some(span) => Located::at_offset(self.file, self.text, span.start, field, message),
            None => Located::new(self.file, 0, 0, field, message),
        };
        Err(located.into())
    }

    /// A list that names at least one thing.
    fn nonempty<T>(&self, list: &At<Vec<At<T>>>, field: &str, what: &str) -> Result<(), AppError> {
        if list.value.is_empty() {
            return self.err(
                list,
                field,
                format!("expected at least one {what}, found []"),
            );
        }
        Ok(())
    }
}

/// Parses a sweep spec (TOML, or JSON when the text starts with `{`) and checks it against the
/// store: commodities and countries exist, years have trade data, the cells fit the caps.
/// `name` is what errors call the text (a file name, "request body").
pub fn parse(store: &Store, text: &str, name: &str) -> Result<SweepSpec, AppError> {
    let file = Path::new(name);
    within_size(text, name)?;
    let raw = if text.trim_start().starts_with('{') {
        read_json(file, text)?
    } else {
        read_toml(file, text)?
    };
    check(store, &Ctx { file, text }, raw)
}

/// Parses a sweep spec sent as JSON (the Python package's dict); the same checks as [`parse`].
pub fn parse_json(store: &Store, text: &str, name: &str) -> Result<SweepSpec, AppError> {
    let file = Path::new(name);
    within_size(text, name)?;
    check(store, &Ctx { file, text }, read_json(file, text)?)
}

/// A spec text of at most [`MAX_SPEC_BYTES`].
fn within_size(text: &str, name: &str) -> Result<(), AppError> {
    if text.len() > MAX_SPEC_BYTES {
        return Err(AppError::invalid(format!(
            "{name}: a sweep spec is at most {MAX_SPEC_BYTES} bytes, found {}",
            text.len()
        )));
    }
    Ok(())
}

fn read_toml(file: &Path, text: &str) -> Result<RawSpec, AppError> {
    let spec: TomlSpec = toml::from_str(text).map_err(|e| {
        let mut located = Located::toml(file, text, &e, "");
        located.message = with_key_suggestion(&located.message);
        AppError::from(located)
    })?;
    Ok(spec.into())
}

fn read_json(file: &Path, text: &str) -> Result<RawSpec, AppError> {
    let spec: JsonSpec = serde_json::from_str(text).map_err(|e| {
        let full = e.to_string();
        // serde_json appends " at line L column C"; Located puts the place first.
        let message = full
            .rsplit_once(" at line ")
            .map_or(full.as_str(), |(m, _)| m);
        let (line, column) = (e.line() as u64, e.column() as u64);
        AppError::from(Located::new(
            file,
            line,
            column,
            "",
            with_key_suggestion(message),
        ))
    })?;
    Ok(spec.into())
}

/// serde's "unknown field `draw`, expected one of …" as "expected one of name, …, found key
/// "draw"; did you mean draws?"; any other message as it is.
fn with_key_suggestion(message: &str) -> String {
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return message.to_string();
    };
    let key = rest.split('`').next().unwrap_or_default();
    format!(
        "expected one of {}, found key {key:?}{}",
        KEYS.join(", "),
        did_you_mean(&closest(key, KEYS, 1))
    )
}

/// Every value of a raw spec resolved and checked, then the lists sorted and the tasks cut.
fn check(store: &Store, ctx: &Ctx, raw: RawSpec) -> Result<SweepSpec, AppError> {
    let commodities = resolve_commodities(store, ctx, &raw.commodities)?;
    let shocked = resolve_shocked(store, ctx, &raw.shocked)?;
    let kind = match raw.kind.value.as_str() {
        "exports" => ShockKind::Exports,
        "production" => ShockKind::Production,
        other => {
            return ctx.err(
                &raw.kind,
                "kind",
                format!("expected \"exports\" or \"production\", found {other:?}"),
            )
        }
    };
    let shocks = check_shocks(ctx, &raw.shocks)?;
    let years = check_years(store, ctx, &raw.years)?;
    if raw.draws.value > MAX_DRAWS {
        return ctx.err(
            &raw.draws,
            "draws",
            format!(
                "expected at most {MAX_DRAWS} draws, found {}",
                raw.draws.value
            ),
        );
    }
    let max_cells_per_task = match &raw.max_cells_per_task {
        Some(m) if (1..=MAX_CELLS_PER_TASK).contains(&m.value) => m.value,
        Some(m) => {
            return ctx.err(
                m,
                "max_cells_per_task",
                format!("expected 1 to {MAX_CELLS_PER_TASK}, found {}", m.value),
            )
        }
        None => DEFAULT_MAX_CELLS_PER_TASK,
    };
    let links = network_links(store, ctx, &raw.commodities, &commodities, &years)?;
    let mut spec = SweepSpec {
        name: raw.name.value,
        commodities,
        shocked,
        kind,
        shocks,
        years,
        draws: raw.draws.value,
        seed: raw.seed,
        max_cells_per_task,
        links,
        task_starts: Vec::new(),
    };
    spec.within_caps()
        .map_err(|e| e.prefixed(&ctx.file.display().to_string()))?;
    spec.task_starts = partition(
        &(0..spec.len())
            .map(|i| spec.cell_work(i))
            .collect::<Vec<_>>(),
        TASK_WORK,
        spec.max_cells_per_task,
    );
    Ok(spec)
}

/// Commodity names or ids → ids, sorted; a commodity named twice (by any name) is an error.
fn resolve_commodities(
    store: &Store,
    ctx: &Ctx,
    list: &At<Vec<At<String>>>,
) -> Result<Vec<String>, AppError> {
    ctx.nonempty(list, "commodities", "commodity")?;
    let mut ids: Vec<String> = Vec::new();
    for (i, c) in list.value.iter().enumerate() {
        let field = format!("commodities[{i}]");
        let id = match store.dataset().commodities.lookup(&c.value) {
            Ok(found) => found.id.clone(),
            Err(e) => return ctx.err(c, &field, e.to_string()),
        };
        if let Some(first) = ids.iter().position(|x| *x == id) {
            return ctx.err(
                c,
                &field,
                format!("{:?} names {id} again (commodities[{first}])", c.value),
            );
        }
        ids.push(id);
    }
    ids.sort();
    Ok(ids)
}

/// Country or group names → places, sorted by id; a place named twice is an error.
fn resolve_shocked(
    store: &Store,
    ctx: &Ctx,
    list: &At<Vec<At<String>>>,
) -> Result<Vec<Place>, AppError> {
    ctx.nonempty(list, "shocked", "country or group")?;
    let mut places: Vec<Place> = Vec::new();
    for (i, s) in list.value.iter().enumerate() {
        let field = format!("shocked[{i}]");
        let place = match store.dataset().place(&s.value) {
            Ok(p) => p,
            Err(e) => return ctx.err(s, &field, e.to_string()),
        };
        if let Some(first) = places.iter().position(|p| p.id == place.id) {
            return ctx.err(
                s,
                &field,
                format!("{:?} names {} again (shocked[{first}])", s.value, place.id),
            );
        }
        places.push(place);
    }
    places.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(places)
}

/// Shock sizes: fractions in (0, 1], each once, ascending.
fn check_shocks(ctx: &Ctx, list: &At<Vec<At<f64>>>) -> Result<Vec<f64>, AppError> {
    ctx.nonempty(list, "shocks", "shock size")?;
    let mut out: Vec<f64> = Vec::new();
    for (i, s) in list.value.iter().enumerate() {
        let field = format!("shocks[{i}]");
        let x = s.value;
        if !(x > 0.0 && x <= 1.0) {
            return ctx.err(
                s,
                &field,
                format!("expected a fraction in (0, 1], found {x}"),
            );
        }
        if out.contains(&x) {
            return ctx.err(s, &field, format!("{x} is listed twice"));
        }
        out.push(x);
    }
    out.sort_by(f64::total_cmp);
    Ok(out)
}

/// Years with trade data, each once, ascending.
fn check_years(store: &Store, ctx: &Ctx, list: &At<Vec<At<u16>>>) -> Result<Vec<u16>, AppError> {
    ctx.nonempty(list, "years", "year")?;
    let with_data = store.trade().all_years();
    let mut out: Vec<u16> = Vec::new();
    for (i, y) in list.value.iter().enumerate() {
        let field = format!("years[{i}]");
        if !with_data.contains(&y.value) {
            return ctx.err(
                y,
                &field,
                format!(
                    "expected a year with trade data ({}), found {}",
                    years_list(&with_data),
                    y.value
                ),
            );
        }
        if out.contains(&y.value) {
            return ctx.err(y, &field, format!("{} is listed twice", y.value));
        }
        out.push(y.value);
    }
    out.sort();
    Ok(out)
}

/// The traded stages the cascade shocks for a stage-less shock: those with flows in `year`
/// (as `lodestone_cascade::simulate` chooses them).
fn stages_with_flows(store: &Store, commodity: &str, year: u16) -> Vec<Stage> {
    let ds = store.dataset();
    traded_stages(ds, commodity)
        .into_iter()
        .filter(|st| {
            ds.concordance
                .of_commodity(commodity)
                .filter(|l| l.stage == *st)
                .any(|l| store.trade().has_flows(year, &[l.hs6]))
        })
        .collect()
}

/// Links of every network a cell of (commodity, year) shocks, commodity-major; a commodity
/// without any traded flow in a year is an error at its entry (no cell could run).
fn network_links(
    store: &Store,
    ctx: &Ctx,
    written: &At<Vec<At<String>>>,
    commodities: &[String],
    years: &[u16],
) -> Result<Vec<u64>, AppError> {
    let mut links = Vec::with_capacity(commodities.len() * years.len());
    for c in commodities {
        for &y in years {
            let stages = stages_with_flows(store, c, y);
            if stages.is_empty() {
                return no_flows(store, ctx, written, c, y);
            }
            let mut n = 0u64;
            for st in stages {
                n += build(store.dataset(), store.trade(), c, st, y)
                    .map(|net| net.links.len() as u64)
                    .map_err(AppError::from)?;
            }
            links.push(n);
        }
    }
    Ok(links)
}

/// The error for a commodity without traded flows in a year, at the commodity's entry, with
/// the years that have them.
fn no_flows<T>(
    store: &Store,
    ctx: &Ctx,
    written: &At<Vec<At<String>>>,
    commodity: &str,
    year: u16,
) -> Result<T, AppError> {
    let with_flows: Vec<u16> = store
        .trade()
        .all_years()
        .into_iter()
        .filter(|y| !stages_with_flows(store, commodity, *y).is_empty())
        .collect();
    let message = format!(
        "no trade flows of {commodity} in {year}; years with flows of {commodity}: {}",
        if with_flows.is_empty() {
            "none".to_string()
        } else {
            years_list(&with_flows)
        }
    );
    let commodities = &store.dataset().commodities;
    let entry = written.value.iter().enumerate().find(|(_, w)| {
        commodities
            .lookup(&w.value)
            .is_ok_and(|x| x.id == commodity)
    });
    match entry {
        Some((i, at)) => ctx.err(at, &format!("commodities[{i}]"), message),
        None => ctx.err(written, "commodities", message),
    }
}

/// Cuts cells (with their work) into contiguous tasks: a task closes before the cell that would
/// take it over `task_work` or past `max_cells` cells; a cell alone over `task_work` is a task
/// of its own. Returns the first cell of each task, then the number of cells.
fn partition(work: &[u64], task_work: u64, max_cells: usize) -> Vec<usize> {
    let mut starts = vec![0];
    let (mut start, mut sum) = (0usize, 0u64);
    for (i, &w) in work.iter().enumerate() {
        let full = i - start >= max_cells || (i > start && sum.saturating_add(w) > task_work);
        if full {
            starts.push(i);
            start = i;
            sum = 0;
        }
        sum = sum.saturating_add(w);
    }
    if work.is_empty() {
        return vec![0];
    }
    starts.push(work.len());
    starts
}

// ---------------------------------------------------------------------------------------------
// The spec's grid, tasks and work

impl SweepSpec {
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Commodity ids, in canonical (sorted) order.
    pub fn commodities(&self) -> &[String] {
        &self.commodities
    }
    /// Shocked countries and groups, sorted by id.
    pub fn shocked(&self) -> &[Place] {
        &self.shocked
    }
    pub fn kind(&self) -> ShockKind {
        self.kind
    }
    /// Shock sizes, ascending.
    pub fn shocks(&self) -> &[f64] {
        &self.shocks
    }
    /// Trade years, ascending.
    pub fn years(&self) -> &[u16] {
        &self.years
    }
    pub fn draws(&self) -> u32 {
        self.draws
    }
    pub fn seed(&self) -> u64 {
        self.seed
    }
    pub fn max_cells_per_task(&self) -> usize {
        self.max_cells_per_task
    }

    /// "exports" or "production".
    pub fn kind_str(&self) -> &'static str {
        match self.kind {
            ShockKind::Exports => "exports",
            ShockKind::Production => "production",
        }
    }

    /// Number of cells: commodities × years × shocked × shocks.
    pub fn len(&self) -> usize {
        self.commodities.len() * self.years.len() * self.shocked.len() * self.shocks.len()
    }

    /// Never true for a parsed spec (every list has an entry); here for symmetry with `len`.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The canonical text: compact JSON, keys in a fixed order, every name resolved to its id,
    /// every list sorted, the effective `max_cells_per_task` included. The same spec, however
    /// written (TOML or JSON, any key order, names or ids, any list order), gives the same text,
    /// and [`parse`] of it gives the same spec: it is what a cluster task receives.
    pub fn canonical(&self) -> String {
        #[derive(Serialize)]
        struct Canonical<'a> {
            name: &'a str,
            commodities: &'a [String],
            shocked: Vec<&'a str>,
            kind: &'a str,
            shocks: &'a [f64],
            years: &'a [u16],
            draws: u32,
            seed: u64,
            max_cells_per_task: usize,
        }
        let c = Canonical {
            name: &self.name,
            commodities: &self.commodities,
            shocked: self.shocked.iter().map(|p| p.id.as_str()).collect(),
            kind: self.kind_str(),
            shocks: &self.shocks,
            years: &self.years,
            draws: self.draws,
            seed: self.seed,
            max_cells_per_task: self.max_cells_per_task,
        };
        // Strings, integers and finite floats only: serialising cannot fail.
        serde_json::to_string(&c).unwrap_or_default()
    }

    /// Cell `index` of the canonical order: commodity, then year, then shocked country, then
    /// shock size (cells of one trade network are neighbours, so tasks group them).
    pub fn cell(&self, index: usize) -> Option<Cell> {
        if index >= self.len() {
            return None;
        }
        let (nk, ns, ny) = (self.shocks.len(), self.shocked.len(), self.years.len());
        let k = index % nk;
        let s = (index / nk) % ns;
        let y = (index / (nk * ns)) % ny;
        let c = index / (nk * ns * ny);
        let (commodity, shocked) = (&self.commodities[c], &self.shocked[s].id);
        let (year, shock) = (self.years[y], self.shocks[k]);
        Some(Cell {
            index,
            commodity: commodity.clone(),
            year,
            shocked: shocked.clone(),
            shock,
            seed: cell_seed(self.seed, commodity, shocked, self.kind_str(), shock, year),
        })
    }

    /// Every cell, in the one canonical order.
    pub fn cells(&self) -> Vec<Cell> {
        (0..self.len()).filter_map(|i| self.cell(i)).collect()
    }

    /// Number of tasks.
    pub fn tasks(&self) -> usize {
        self.task_starts.len().saturating_sub(1)
    }

    /// The cells of task `task` (empty past the last task).
    pub fn task_cells(&self, task: usize) -> Range<usize> {
        match (self.task_starts.get(task), self.task_starts.get(task + 1)) {
            (Some(&a), Some(&b)) => a..b,
            _ => self.len()..self.len(),
        }
    }

    /// Estimated work of one cell, in link visits: over the networks it shocks, (draws + 1)
    /// model runs, each visiting every link once for the shock and once per cascade round (the
    /// formula of `lodestone_cascade::simulate::Work`; an upper bound, as the cascade stops at
    /// convergence).
    pub fn cell_work(&self, index: usize) -> u64 {
        let per_year = self.shocked.len() * self.shocks.len();
        let network = index / per_year;
        let links = self.links.get(network).copied().unwrap_or(0);
        let runs = u64::from(self.draws) + 1;
        let visits = 1 + Params::scenario_default().max_rounds as u64;
        runs.saturating_mul(links).saturating_mul(visits)
    }

    /// Estimated work of the whole sweep, in link visits.
    pub fn work(&self) -> u64 {
        (0..self.len()).fold(0u64, |acc, i| acc.saturating_add(self.cell_work(i)))
    }

    /// The sweep fits [`MAX_CELLS`] and [`MAX_SWEEP_WORK`]; otherwise an error naming what to
    /// reduce.
    fn within_caps(&self) -> Result<(), AppError> {
        let dims = format!(
            "{} commodities × {} years × {} shocked × {} shock sizes",
            self.commodities.len(),
            self.years.len(),
            self.shocked.len(),
            self.shocks.len()
        );
        if self.len() > MAX_CELLS {
            return Err(AppError::invalid(format!(
                "{dims} = {} cells; the limit is {MAX_CELLS}: list fewer commodities, years, \
                 shocked countries or shock sizes",
                self.len()
            )));
        }
        let work = self.work();
        if work > MAX_SWEEP_WORK {
            let per_draw = (work / (u64::from(self.draws) + 1)).max(1);
            let draws = (MAX_SWEEP_WORK / per_draw).saturating_sub(1);
            return Err(AppError::new(
                ErrorKind::OverBudget,
                format!(
                    "{dims} with {} draws would cost {work} work units; the limit is \
                     {MAX_SWEEP_WORK}: lower draws to about {draws} or list fewer commodities, \
                     years, shocked countries or shock sizes",
                    self.draws
                ),
            ));
        }
        Ok(())
    }

    /// The spec within one front end's `limits`: its draws, and each cell's work (one cell is
    /// one simulation).
    pub fn check(&self, limits: &Limits) -> Result<(), AppError> {
        over_limit("draws", self.draws as usize, limits.draws as usize)?;
        let (worst, work) = (0..self.len())
            .map(|i| (i, self.cell_work(i)))
            .max_by_key(|(i, w)| (*w, std::cmp::Reverse(*i)))
            .unwrap_or((0, 0));
        if work > limits.work {
            return Err(AppError::new(
                ErrorKind::OverBudget,
                format!(
                    "cell {worst} would cost {work} work units; the limit per cell is {}: lower \
                     the draws or leave out its commodity",
                    limits.work
                ),
            ));
        }
        Ok(())
    }

    /// The scenario one cell runs: its shocked place withholds `shock` of its exports (or loses
    /// it of its production) of the commodity at every traded stage with flows in the year, to
    /// everyone, under the Marchand model with the canned scenarios' Monte Carlo settings.
    pub fn scenario(&self, cell: &Cell) -> Option<Scenario> {
        let place = self.shocked.iter().find(|p| p.id == cell.shocked)?;
        let params = Params {
            consumption_cut: (CONSUMPTION_CUT[0] + CONSUMPTION_CUT[1]) / 2.0,
            ..Params::scenario_default()
        };
        Some(Scenario {
            name: format!("{} — cell {}", self.name, cell.index),
            description: format!(
                "{} {} of {} cut {} % in {}",
                place.id,
                self.kind_str(),
                cell.commodity,
                lodestone_cascade::simulate::round_pct(cell.shock),
                cell.year
            ),
            year: Some(cell.year),
            model: Model::Marchand,
            shocks: vec![Shock {
                origin: place.members.clone(),
                origin_name: place.name.clone(),
                commodity: cell.commodity.clone(),
                stage: None,
                kind: self.kind,
                magnitude: cell.shock,
                targets: vec![],
                exclude_targets: vec![],
            }],
            params,
            stock_months: (STOCK_MONTHS[0] + STOCK_MONTHS[1]) / 2.0,
            montecarlo: MonteCarlo {
                draws: self.draws,
                seed: cell.seed,
                link_sigma: LINK_SIGMA,
                imputed_sigma: IMPUTED_SIGMA,
                stock_months: STOCK_MONTHS,
                consumption_cut: CONSUMPTION_CUT,
            },
            sources: vec![],
        })
    }
}

/// A cell's Monte Carlo seed: FNV-1a (64 bits) of
/// `"{seed}/{commodity}/{shocked}/{kind}/{shock bits as 16 hex digits}/{year}"`, mixed by the
/// SplitMix64 finaliser, shifted to 63 bits. It depends on the spec's seed and the cell's coordinates only — not on
/// its index, its task or the other cells — so a cell gives the same draws in any sweep that
/// holds it, and adding a commodity to a spec leaves the other cells' results as they were.
pub fn cell_seed(
    seed: u64,
    commodity: &str,
    shocked: &str,
    kind: &str,
    shock: f64,
    year: u16,
) -> u64 {
    let key = format!(
        "{seed}/{commodity}/{shocked}/{kind}/{:016x}/{year}",
        shock.to_bits()
    );
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    // 63 bits: the seed fits a scenario file's integers and a signed Arrow column.
    (h ^ (h >> 31)) >> 1
}

// ---------------------------------------------------------------------------------------------
// Running

/// Runs one task's cells, one after the other (each cell's draws on all cores), and returns
/// their rows sorted by cell, stage and country. Deterministic: the same spec and task give the
/// same rows on any machine and thread count.
pub fn run_task(
    store: &Store,
    spec: &SweepSpec,
    task: usize,
    limits: &Limits,
    cancel: &Cancel,
) -> Result<Vec<SweepRow>, AppError> {
    if task >= spec.tasks() {
        return Err(AppError::invalid(format!(
            "task {task}: this sweep has tasks 0 to {}",
            spec.tasks().saturating_sub(1)
        )));
    }
    spec.check(limits)?;
    task_rows(store, spec, task, limits, cancel, &|| {})
}

/// Runs every task on the rayon pool and returns each task's rows, in task order; `progress` is
/// called once per finished cell (from any thread).
pub fn run_local(
    store: &Store,
    spec: &SweepSpec,
    limits: &Limits,
    cancel: &Cancel,
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<(usize, Vec<SweepRow>)>, AppError> {
    spec.check(limits)?;
    (0..spec.tasks())
        .into_par_iter()
        .map(|t| Ok((t, task_rows(store, spec, t, limits, cancel, progress)?)))
        .collect()
}

/// Runs every task on the rayon pool and hands each task's rows to `sink` as soon as the task
/// is done (in no particular order: a writer of one Parquet partition per task needs none), so
/// the rows of a large sweep never all sit in memory. The first error stops the run.
pub fn run_local_each(
    store: &Store,
    spec: &SweepSpec,
    limits: &Limits,
    cancel: &Cancel,
    progress: &(dyn Fn() + Sync),
    sink: &(dyn Fn(usize, Vec<SweepRow>) -> Result<(), AppError> + Sync),
) -> Result<(), AppError> {
    spec.check(limits)?;
    (0..spec.tasks())
        .into_par_iter()
        .try_for_each(|t| sink(t, task_rows(store, spec, t, limits, cancel, progress)?))
}

/// The rows of one task's cells.
fn task_rows(
    store: &Store,
    spec: &SweepSpec,
    task: usize,
    limits: &Limits,
    cancel: &Cancel,
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<SweepRow>, AppError> {
    let guard = Guard {
        budget: limits.work,
        cancel: cancel.clone(),
    };
    let mut rows = Vec::new();
    for index in spec.task_cells(task) {
        if cancel.is_cancelled() {
            return Err(AppError::new(
                ErrorKind::Cancelled,
                "the sweep was cancelled",
            ));
        }
        let cell = spec
            .cell(index)
            .ok_or_else(|| AppError::internal(format!("cell {index} is outside the sweep")))?;
        let sc = spec
            .scenario(&cell)
            .ok_or_else(|| AppError::internal(format!("cell {index} names no shocked place")))?;
        let sim = simulate_until(store.dataset(), store.trade(), &sc, &|| {}, &guard)
            .map_err(|e| AppError::from(e).prefixed(&format!("cell {index}")))?;
        rows.extend(cell_rows(spec, task, &cell, &sim));
        progress();
    }
    Ok(rows)
}

/// One cell's rows: per stage network, one row per affected country (sorted by ISO3), or one
/// row without a country when the shock hits nothing there.
fn cell_rows(spec: &SweepSpec, task: usize, cell: &Cell, sim: &Simulation) -> Vec<SweepRow> {
    let mut stages: Vec<&StageResult> = sim.results.iter().collect();
    stages.sort_by_key(|r| r.stage);
    let mut rows = Vec::new();
    for r in stages {
        let row = |country: Option<String>| SweepRow {
            task,
            cell: cell.index,
            commodity: cell.commodity.clone(),
            stage: r.stage.as_str().to_string(),
            year: cell.year,
            shocked: cell.shocked.clone(),
            kind: spec.kind_str().to_string(),
            shock: cell.shock,
            draws: sim.draws,
            seed: cell.seed,
            country,
            loss_t: 0.0,
            use_t: None,
            share_of_use: None,
            retained_t: None,
            stock_draw_t: None,
            consumption_cut_t: None,
            depth: None,
            loss_p05_t: None,
            loss_p50_t: None,
            loss_p95_t: None,
            initial_shock_t: r.initial_shock_t,
            basis: r.basis.clone(),
            note: None,
        };
        if r.initial_shock_t == 0.0 || r.countries.is_empty() {
            let note = if r.initial_shock_t == 0.0 {
                missed(spec, cell, r.stage)
            } else {
                format!(
                    "the shock took {} t out and no country lost supply",
                    r.initial_shock_t
                )
            };
            rows.push(SweepRow {
                note: Some(note),
                ..row(None)
            });
            continue;
        }
        let mut countries: Vec<_> = r.countries.iter().collect();
        countries.sort_by(|a, b| a.country.cmp(&b.country));
        for c in countries {
            rows.push(SweepRow {
                loss_t: c.loss_t,
                use_t: Some(c.use_t),
                share_of_use: c.share_of_use,
                retained_t: Some(c.retained_t),
                stock_draw_t: Some(c.stock_draw_t),
                consumption_cut_t: Some(c.consumption_cut_t),
                depth: c.depth,
                loss_p05_t: c.band.map(|b| b.p05),
                loss_p50_t: c.band.map(|b| b.p50),
                loss_p95_t: c.band.map(|b| b.p95),
                ..row(Some(c.country.clone()))
            });
        }
    }
    rows
}

/// Why a stage network has no affected country: "KAZ does not export tungsten at the refinery
/// stage in 2022 (nothing to withhold)".
fn missed(spec: &SweepSpec, cell: &Cell, stage: Stage) -> String {
    let verb = match spec.kind {
        ShockKind::Exports => "does not export",
        ShockKind::Production => "has no production (on the traded basis) of",
    };
    format!(
        "{} {verb} {} at the {stage} stage in {} (nothing to withhold)",
        cell.shocked, cell.commodity, cell.year
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn store() -> &'static Store {
        static STORE: OnceLock<Store> = OnceLock::new();
        STORE.get_or_init(|| Store::embedded(None).expect("embedded data"))
    }

    const SPEC: &str = r#"
name = "C5 and China shocks"
commodities = ["tungsten", "antimony"]
shocked = ["CHN", "Kazakhstan"]
kind = "exports"
shocks = [0.5, 1.0]
years = [2022]
draws = 20
seed = 7
max_cells_per_task = 3
"#;

    fn spec(text: &str) -> SweepSpec {
        parse(store(), text, "spec.toml").unwrap_or_else(|e| panic!("{e}"))
    }

    fn err(text: &str) -> AppError {
        parse(store(), text, "spec.toml").expect_err("the spec should be refused")
    }

    #[test]
    fn an_unknown_key_is_located_with_a_suggestion() {
        let e = err(&SPEC.replace("draws = 20", "draw = 20"));
        assert_eq!(e.kind, ErrorKind::Invalid);
        assert!(
            e.message
                .starts_with("spec.toml:8:1: expected one of name,"),
            "{e}"
        );
        assert!(
            e.message
                .contains("found key \"draw\"; did you mean draws?"),
            "{e}"
        );
        let j = parse_json(store(), r#"{"name": "x", "seeds": 1}"#, "body").unwrap_err();
        assert!(
            j.message.contains("body:1:") && j.message.contains("did you mean seed?"),
            "{j}"
        );
    }

    #[test]
    fn a_year_without_trade_lists_the_valid_years() {
        let e = err(&SPEC.replace("years = [2022]", "years = [2022, 1800]"));
        assert!(
            e.message
                .starts_with("spec.toml:7:16: years[1]: expected a year with trade data ("),
            "{e}"
        );
        assert!(
            e.message.contains("2022") && e.message.ends_with("found 1800"),
            "{e}"
        );
    }

    #[test]
    fn a_shock_outside_the_unit_interval_is_refused() {
        for bad in ["0.0", "1.5", "-0.5", "nan"] {
            let e = err(&SPEC.replace("shocks = [0.5, 1.0]", &format!("shocks = [0.5, {bad}]")));
            assert!(
                e.message
                    .starts_with("spec.toml:6:16: shocks[1]: expected a fraction in (0, 1], found"),
                "{e}"
            );
        }
        let e = err(&SPEC.replace("shocks = [0.5, 1.0]", "shocks = [0.5, 0.5]"));
        assert!(e.message.contains("listed twice"), "{e}");
    }

    #[test]
    fn unknown_names_and_bad_values_are_located() {
        let e = err(&SPEC.replace("\"Kazakhstan\"", "\"Kazakstan\""));
        assert_eq!(e.kind, ErrorKind::Invalid);
        assert!(
            e.message.starts_with(
                "spec.toml:4:19: shocked[1]: unknown country or group \"Kazakstan\"; did you mean"
            ),
            "{e}"
        );
        let e = err(&SPEC.replace("\"antimony\"", "\"antimonny\""));
        assert!(
            e.message
                .starts_with("spec.toml:3:28: commodities[1]: unknown commodity"),
            "{e}"
        );
        assert!(e.message.contains("did you mean antimony"), "{e}");
        let e = err(&SPEC.replace("\"Kazakhstan\"", "\"China\""));
        assert!(
            e.message.contains("shocked[1]") && e.message.contains("again"),
            "{e}"
        );
        let e = err(&SPEC.replace("\"antimony\"", "\"gallium\""));
        assert!(
            e.message.starts_with(
                "spec.toml:3:28: commodities[1]: no trade flows of gallium in 2022; years with \
                 flows of gallium: "
            ),
            "{e}"
        );
        let e = err(&format!("{SPEC}{}", " ".repeat(MAX_SPEC_BYTES)));
        assert!(
            e.message
                .starts_with("spec.toml: a sweep spec is at most 65536 bytes"),
            "{e}"
        );
        let e = err(&SPEC.replace("\"exports\"", "\"imports\""));
        assert!(
            e.message.starts_with(
                "spec.toml:5:8: kind: expected \"exports\" or \"production\", found \"imports\""
            ),
            "{e}"
        );
        let e = err(&SPEC.replace("[\"CHN\", \"Kazakhstan\"]", "[]"));
        assert!(
            e.message
                .starts_with("spec.toml:4:11: shocked: expected at least one"),
            "{e}"
        );
        let e = err(&SPEC.replace("draws = 20", "draws = 100001"));
        assert!(
            e.message
                .starts_with("spec.toml:8:9: draws: expected at most 100000"),
            "{e}"
        );
        let e = err(&SPEC.replace("max_cells_per_task = 3", "max_cells_per_task = 0"));
        assert!(
            e.message.contains("max_cells_per_task: expected 1 to"),
            "{e}"
        );
        let e = parse_json(store(), r#"{"name": "x", "commodities": ["W"], "shocked": ["CHN"], "kind": "exports", "shocks": [2], "years": [2022], "draws": 1, "seed": 1}"#, "body").unwrap_err();
        assert_eq!(
            e.message,
            "body: shocks[0]: expected a fraction in (0, 1], found 2"
        );
    }

    #[test]
    fn the_canonical_text_ignores_how_the_spec_was_written() {
        let a = spec(SPEC);
        let reordered = r#"seed=7
            draws   = 20
            max_cells_per_task = 3
            years=[2022]
            shocks = [1.0, 0.5]
            kind = "exports"
            shocked = ["KAZ", "China"]
            commodities = ["Sb", "tungsten"]
            name = "C5 and China shocks""#;
        let json = r#"{"shocked": ["Kazakhstan", "CHN"], "name": "C5 and China shocks",
            "commodities": ["antimony", "tungsten"], "kind": "exports", "shocks": [1, 0.5],
            "years": [2022], "draws": 20, "seed": 7, "max_cells_per_task": 3}"#;
        let text = a.canonical();
        assert_eq!(spec(reordered).canonical(), text);
        assert_eq!(spec(json).canonical(), text);
        assert_eq!(
            parse_json(store(), json, "body").map(|s| s.canonical()),
            Ok(text.clone())
        );
        // The canonical text is itself a spec, and the same one.
        assert_eq!(spec(&text), a);
        assert_eq!(
            text,
            r#"{"name":"C5 and China shocks","commodities":["antimony","tungsten"],"shocked":["CHN","KAZ"],"kind":"exports","shocks":[0.5,1.0],"years":[2022],"draws":20,"seed":7,"max_cells_per_task":3}"#
        );
    }

    #[test]
    fn cells_are_the_product_in_one_order_with_coordinate_seeds() {
        let s = spec(SPEC);
        let cells = s.cells();
        assert_eq!(cells.len(), 8);
        assert_eq!(
            (
                cells[0].commodity.as_str(),
                cells[0].shocked.as_str(),
                cells[0].shock
            ),
            ("antimony", "CHN", 0.5)
        );
        assert_eq!((cells[1].shocked.as_str(), cells[1].shock), ("CHN", 1.0));
        assert_eq!((cells[2].shocked.as_str(), cells[2].shock), ("KAZ", 0.5));
        assert_eq!(cells[4].commodity, "tungsten");
        assert!(cells.iter().enumerate().all(|(i, c)| c.index == i));
        // A cell's seed follows its coordinates, not its index: adding a year moves the
        // indices, not the seeds.
        let wider = spec(&SPEC.replace("years = [2022]", "years = [2022, 2023]"));
        let same = wider.cells().into_iter().find(|c| {
            c.commodity == "tungsten" && c.year == 2022 && c.shocked == "KAZ" && c.shock == 1.0
        });
        assert_eq!(same.map(|c| c.seed), Some(cells[7].seed));
        let mut seeds: Vec<u64> = cells.iter().map(|c| c.seed).collect();
        seeds.dedup();
        assert_eq!(seeds.len(), 8);
    }

    #[test]
    fn a_cell_runs_what_the_equivalent_scenario_file_runs() {
        let s = spec(SPEC);
        let cell = s.cell(6).expect("cell 6");
        let file = format!(
            "name = \"{}\"\ndescription = \"{}\"\nyear = 2022\n[[shock]]\norigin = \"KAZ\"\n\
             commodity = \"tungsten\"\nkind = \"exports\"\nmagnitude = 0.5\n[montecarlo]\n\
             draws = 20\nseed = {}\nstock_months = [0.0, 3.0]\nconsumption_cut = [0.2, 0.5]\n",
            format_args!("C5 and China shocks — cell 6"),
            format_args!("KAZ exports of tungsten cut 50 % in 2022"),
            cell.seed
        );
        let years = store().trade().all_years();
        let from_file = lodestone_cascade::scenario::parse(
            &file,
            Path::new("cell.toml"),
            store().dataset(),
            &years,
        )
        .expect("scenario");
        assert_eq!(s.scenario(&cell), Some(from_file));
    }

    #[test]
    fn tasks_cover_every_cell_once_in_order_within_the_bound() {
        let s = spec(SPEC);
        assert_eq!(s.tasks(), 3);
        let ranges: Vec<_> = (0..s.tasks()).map(|t| s.task_cells(t)).collect();
        assert_eq!(ranges, vec![0..3, 3..6, 6..8]);
        assert_eq!(s.task_cells(3), 8..8);
        let default = spec(&SPEC.replace("max_cells_per_task = 3", ""));
        assert_eq!(default.max_cells_per_task(), DEFAULT_MAX_CELLS_PER_TASK);
        assert!(default.canonical().contains("\"max_cells_per_task\":64"));
    }

    proptest! {
        #[test]
        fn the_partition_covers_every_cell_once_within_its_bounds(
            work in prop::collection::vec(0u64..1_000, 0..200),
            task_work in 1u64..3_000,
            max_cells in 1usize..20,
        ) {
            let starts = partition(&work, task_work, max_cells);
            prop_assert_eq!(starts[0], 0);
            prop_assert_eq!(*starts.last().unwrap(), work.len());
            for pair in starts.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                prop_assert!(a < b || work.is_empty());
                prop_assert!(b - a <= max_cells);
                let sum: u64 = work[a..b].iter().sum();
                // Over the bound only as a single cell.
                prop_assert!(sum <= task_work || b - a == 1);
                // Greedy: the next cell would not have fit.
                if b < work.len() && b - a < max_cells {
                    prop_assert!(sum + work[b] > task_work);
                }
            }
        }
    }

    #[test]
    fn a_sweep_over_the_caps_names_what_to_reduce() {
        let fractions = |n: usize| {
            let f: Vec<String> = (1..=n)
                .map(|i| format!("{}", i as f64 / n as f64))
                .collect();
            format!("shocks = [{}]", f.join(", "))
        };
        let shocked = "[\"CHN\", \"KAZ\", \"RUS\", \"USA\", \"VNM\", \"BOL\", \"c5\", \"eu27\", \
            \"DEU\", \"FRA\", \"GBR\", \"JPN\", \"KOR\", \"IND\", \"BRA\", \"CAN\", \"AUS\", \
            \"ZAF\", \"MEX\", \"TUR\", \"IDN\", \"PER\", \"CHL\", \"COD\", \"MNG\"]";
        let all_years = "years = [2018, 2019, 2020, 2021, 2022, 2023]";
        let big = SPEC
            .replace("draws = 20", "draws = 100000")
            .replace("shocks = [0.5, 1.0]", &fractions(25))
            .replace("years = [2022]", all_years)
            .replace("[\"CHN\", \"Kazakhstan\"]", shocked);
        let e = err(&big);
        assert_eq!(e.kind, ErrorKind::OverBudget, "{e}");
        assert!(
            e.message.starts_with(
                "spec.toml: 2 commodities × 6 years × 25 shocked × 25 shock sizes with 100000 \
                 draws would cost"
            ),
            "{e}"
        );
        assert!(e.message.contains("lower draws to about"), "{e}");
        assert!(spec(&big.replace("draws = 100000", "draws = 1000")).work() < MAX_SWEEP_WORK);
        let many = SPEC
            .replace("shocks = [0.5, 1.0]", &fractions(1000))
            .replace("years = [2022]", all_years)
            .replace("[\"CHN\", \"Kazakhstan\"]", shocked);
        let e = err(&many);
        assert_eq!(e.kind, ErrorKind::Invalid, "{e}");
        assert!(
            e.message.starts_with(
                "spec.toml: 2 commodities × 6 years × 25 shocked × 1000 shock sizes = 300000 \
                 cells; the limit is 100000: list fewer"
            ),
            "{e}"
        );
        // Within one front end's limits: draws and the work of each cell.
        let s = spec(SPEC);
        let tight = Limits {
            draws: 10,
            ..Limits::default()
        };
        assert_eq!(s.check(&tight).map_err(|e| e.kind), Err(ErrorKind::Invalid));
        let tiny = Limits {
            work: 1,
            ..Limits::default()
        };
        let e = run_task(store(), &s, 0, &tiny, &Cancel::never()).unwrap_err();
        assert_eq!(e.kind, ErrorKind::OverBudget, "{e}");
        assert!(e.message.contains("lower the draws"), "{e}");
        let e = run_task(store(), &s, 99, &Limits::default(), &Cancel::never()).unwrap_err();
        assert_eq!(e.message, "task 99: this sweep has tasks 0 to 2");
    }

    #[test]
    fn runs_are_the_same_on_any_thread_count_and_task_by_task() {
        let s = spec(SPEC);
        let limits = Limits::default();
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("pool")
                .install(|| run_local(store(), &s, &limits, &Cancel::never(), &|| {}))
                .expect("sweep")
        };
        let one = run(1);
        assert_eq!(one, run(2));
        assert_eq!(
            one.iter().map(|(t, _)| *t).collect::<Vec<_>>(),
            vec![0, 1, 2]
        );
        for (t, rows) in &one {
            assert_eq!(
                &run_task(store(), &s, *t, &limits, &Cancel::never()).expect("task"),
                rows
            );
            let cells = s.task_cells(*t);
            // Every cell of the task is in its rows, sorted by cell, stage, country.
            for c in cells.clone() {
                assert!(rows.iter().any(|r| r.cell == c), "cell {c} has no row");
            }
            assert!(rows.iter().all(|r| cells.contains(&r.cell) && r.task == *t));
            let key = |r: &SweepRow| (r.cell, r.stage.parse::<Stage>().ok(), r.country.clone());
            assert!(rows.windows(2).all(|w| key(&w[0]) < key(&w[1])));
        }
        let rows: Vec<&SweepRow> = one.iter().flat_map(|(_, r)| r).collect();
        // China's tungsten exports cut: someone loses, with a band around the loss.
        let hit = rows
            .iter()
            .find(|r| r.commodity == "tungsten" && r.shocked == "CHN" && r.loss_t > 0.0)
            .expect("a loss from China's tungsten");
        assert!(hit.loss_p05_t.is_some() && hit.loss_p95_t >= hit.loss_p05_t);
        // Kazakhstan exported no tungsten in 2022: its cells say so instead of vanishing.
        let missed: Vec<_> = rows.iter().filter(|r| r.country.is_none()).collect();
        assert_eq!(missed.len(), 4);
        assert!(missed.iter().all(|r| r.shocked == "KAZ"
            && r.commodity == "tungsten"
            && r.initial_shock_t == 0.0
            && r.loss_t == 0.0));
        assert_eq!(
            missed[0].note.as_deref(),
            Some("KAZ does not export tungsten at the mine stage in 2022 (nothing to withhold)")
        );
        // Rows without a country say why.
        assert!(rows.iter().all(|r| r.country.is_some() || r.note.is_some()));
        assert!(rows.iter().all(|r| r.country.is_none() || r.note.is_none()));
        // The same spec with another seed moves the bands, not the central run.
        let other = spec(&SPEC.replace("seed = 7", "seed = 8"));
        let again = run_task(store(), &other, 0, &limits, &Cancel::never()).expect("task");
        assert_eq!(again.len(), one[0].1.len());
        assert!(again
            .iter()
            .zip(&one[0].1)
            .all(|(a, b)| a.loss_t == b.loss_t));
    }

    #[test]
    fn a_cancelled_sweep_stops() {
        let s = spec(SPEC);
        let cancel = Cancel::never();
        cancel.cancel();
        let e = run_local(store(), &s, &Limits::default(), &cancel, &|| {}).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Cancelled);
    }
}
