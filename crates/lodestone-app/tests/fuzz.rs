//! Byte-level fuzzing of every text a user can hand Lodestone as configuration: scenario files,
//! group configs (`lodestone.toml`), and the project, ownership and event registries a `--data`
//! folder carries. Each case mutates a real file (the embedded ones) with edits that reach the
//! parsers' corners — cut, duplicated and spliced lines, stray brackets and quotes, non-finite
//! and huge numbers, extra array elements, non-ASCII — and checks that the parser neither
//! panics nor accepts nonsense, and that every refusal is one line naming the file.
//!
//! Bounded for CI: `LODESTONE_FUZZ_CASES` cases per target (default 256, a few seconds); set
//! it higher for a longer hunt.

use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// Fragments that reach parser corners.
const TOKENS: &[&str] = &[
    "[",
    "]",
    "[[",
    "]]",
    "=",
    "\"",
    "'",
    ",",
    "\n",
    "#",
    "{",
    "}",
    "nan",
    "inf",
    "-inf",
    "1e309",
    "-1",
    "0",
    "1.5",
    "99999999999999999999",
    "[1.0, 2.0, 3.0]",
    "[]",
    "[0.5]",
    "true",
    "\"\"",
    "é",
    "\u{feff}",
    "\u{0}",
    "\r\n",
    "magnitude = nan\n",
    "[[shock]]\n",
    "members = []\n",
    "draws = 4294967295\n",
    "year = 1800\n",
    "origin = \"Atlantis\"\n",
    "share = 1.5\n",
    "stock_months = [3.0, 1.0]\n",
    "[montecarlo]\n",
    "[parameters]\n",
];

#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, &'static str),
    Delete(usize, usize),
    DuplicateLine(usize),
    Truncate(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), prop::sample::select(TOKENS)).prop_map(|(at, t)| Edit::Insert(at, t)),
        (any::<usize>(), 1usize..40).prop_map(|(at, n)| Edit::Delete(at, n)),
        any::<usize>().prop_map(Edit::DuplicateLine),
        any::<usize>().prop_map(Edit::Truncate),
    ]
}

/// `text` with the edits applied (positions taken modulo the length, moved to char boundaries).
fn mutate(text: &str, edits: &[Edit]) -> String {
    let mut s = text.to_string();
    let boundary = |s: &str, at: usize| {
        let mut i = if s.is_empty() { 0 } else { at % (s.len() + 1) };
        while !s.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    for e in edits {
        match *e {
            Edit::Insert(at, t) => {
                let i = boundary(&s, at);
                s.insert_str(i, t);
            }
            Edit::Delete(at, n) => {
                let i = boundary(&s, at);
                let j = boundary(&s, i + n);
                if j > i {
                    s.replace_range(i..j, "");
                }
            }
            Edit::DuplicateLine(at) => {
                let lines: Vec<&str> = s.lines().collect();
                if !lines.is_empty() {
                    let k = at % lines.len();
                    let mut out: Vec<&str> = lines.clone();
                    out.insert(k, lines[k]);
                    s = out.join("\n");
                }
            }
            Edit::Truncate(at) => {
                let i = boundary(&s, at);
                s.truncate(i);
            }
        }
    }
    s
}

fn cases() -> u32 {
    std::env::var("LODESTONE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

/// Runs `check` on mutations of each of `seeds`; a failure names the seed and the mutated text.
fn fuzz(seeds: &[(&str, &str)], check: impl Fn(&str, &str) -> Result<(), String>) {
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (0..seeds.len(), prop::collection::vec(edit(), 1..5));
    runner
        .run(&strategy, |(k, edits)| {
            let (name, text) = seeds[k];
            let mutated = mutate(text, &edits);
            let outcome =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(name, &mutated)));
            match outcome {
                Ok(Ok(())) => Ok(()),
                Ok(Err(why)) => Err(TestCaseError::fail(format!(
                    "{name}: {why}\n--- text ---\n{mutated}"
                ))),
                Err(_) => Err(TestCaseError::fail(format!(
                    "{name}: the parser panicked\n--- text ---\n{mutated}"
                ))),
            }
        })
        .unwrap();
}

/// A refusal must be one line that starts with the file it concerns.
fn one_line_about(file: &str, message: &str) -> Result<(), String> {
    if message.contains('\n') || message.contains('\r') {
        return Err(format!("multi-line message: {message:?}"));
    }
    if !message.starts_with(file) {
        return Err(format!("message does not start with {file}: {message:?}"));
    }
    Ok(())
}

#[test]
fn scenario_files_never_panic_and_refuse_on_one_located_line() {
    let ds = lodestone_data::embedded();
    let years = lodestone_data::trade().all_years();
    fuzz(
        lodestone_data::texts::SCENARIOS,
        |name, text| match lodestone_cascade::scenario::parse(text, Path::new(name), ds, &years) {
            Err(e) => one_line_about(name, &e.to_string()),
            Ok(sc) => {
                let mc = &sc.montecarlo;
                let finite = sc.shocks.iter().all(|s| (0.0..=1.0).contains(&s.magnitude))
                    && [mc.link_sigma, mc.imputed_sigma, sc.stock_months]
                        .iter()
                        .all(|v| v.is_finite() && *v >= 0.0)
                    && [mc.stock_months, mc.consumption_cut]
                        .iter()
                        .all(|[a, b]| a.is_finite() && b.is_finite() && a <= b);
                if !finite {
                    return Err(format!("accepted out-of-range numbers: {sc:?}"));
                }
                if sc.shocks.is_empty() {
                    return Err("accepted a scenario without shocks".into());
                }
                Ok(())
            }
        },
    );
}

#[test]
fn group_configs_never_panic_and_never_leave_an_empty_group() {
    let ds = lodestone_data::embedded();
    let seed = "[groups.concern]\nname = \"Countries of concern\"\nmembers = [\"CHN\", \"Russia\", \"PRK\"]\nsource = \"own\"\n\n[groups.partners]\nmembers = [\"AUS\", \"CAN\"]\n";
    fuzz(&[("lodestone.toml", seed)], |name, text| {
        let cfg = match lodestone_model::GroupConfig::parse(text, Path::new(name)) {
            Err(e) => return one_line_about(name, &e.to_string()),
            Ok(c) => c,
        };
        let mut groups = ds.groups.clone();
        match groups.apply(&cfg, &ds.countries) {
            Err(e) => {
                let m = e.to_string();
                if m.contains('\n') {
                    return Err(format!("multi-line message: {m:?}"));
                }
                Ok(())
            }
            Ok(()) => match groups.all().iter().find(|g| g.members.is_empty()) {
                Some(g) => Err(format!("group {} accepted with no members", g.id)),
                None => Ok(()),
            },
        }
    });
}

#[test]
fn registries_never_panic_and_refuse_on_one_located_line() {
    let ds = lodestone_data::embedded();
    let take =
        |files: &'static [(&'static str, &'static str)]| -> Vec<(&'static str, &'static str)> {
            files.iter().take(6).copied().collect()
        };
    fuzz(
        &take(lodestone_data::texts::PROJECTS),
        |name, text| match lodestone_planner::registry_from(&[(name, text)], ds) {
            Err(e) => one_line_about(name, &e.to_string()),
            Ok(p) => match p
                .iter()
                .find(|p| !(p.capacity.value.is_finite() && p.capacity.value >= 0.0))
            {
                Some(p) => Err(format!("{}: capacity {} accepted", p.id, p.capacity.value)),
                None => Ok(()),
            },
        },
    );
    fuzz(&take(lodestone_data::texts::OWNERSHIP), |name, text| {
        match lodestone_model::ownership::assets_from(&[(name, text)], ds) {
            Err(e) => one_line_about(name, &e.to_string()),
            Ok(assets) => {
                for a in &assets {
                    let held: f64 = a.owners.iter().map(|o| o.share).sum();
                    if !(held.is_finite() && held <= 1.0 + 1e-9) {
                        return Err(format!("{}: owners hold {held}", a.id));
                    }
                }
                Ok(())
            }
        }
    });
    fuzz(&take(lodestone_data::texts::EVENTS), |name, text| {
        match lodestone_events::event::registry_from(&[(name, text)], ds) {
            Err(e) => one_line_about(name, &e.to_string()),
            Ok(_) => Ok(()),
        }
    });
}
