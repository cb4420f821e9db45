//! The Marchand cascade held to the authors' own code: for each network in
//! `tests/fixtures/marchand/` (Lodestone's own networks, written by `examples/marchand_fixture.rs`)
//! and each consumption-cut fraction, `reference-cfrac-<f>.csv` holds the per-country dR, dC and
//! per-link dE that `sim_cascade` of pmarchand1/cereals-network-shocks printed (recipe and commit
//! in `tests/fixtures/marchand/README.md`). Lodestone must agree on every country's stock draw
//! and use cut and on every link change to 1e-9 relative; values that are rounding noise in both
//! (below 1e-9 × the initial shock) count as equal.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lodestone_cascade::marchand::{run, Params, State};

struct Fixture {
    countries: Vec<String>,
    production: Vec<f64>,
    stocks: Vec<f64>,
    loss: Vec<f64>,
    links: Vec<(usize, usize, f64)>,
}

fn rows(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

fn num(s: &str) -> f64 {
    s.parse().unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

fn fixture(dir: &Path) -> Fixture {
    let c = rows(&dir.join("countries.csv"));
    let countries: Vec<String> = c.iter().map(|r| r[0].clone()).collect();
    let index: BTreeMap<&str, usize> = countries
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    let links = rows(&dir.join("links.csv"))
        .iter()
        .map(|r| (index[r[0].as_str()], index[r[1].as_str()], num(&r[2])))
        .collect();
    Fixture {
        production: c.iter().map(|r| num(&r[1])).collect(),
        stocks: c.iter().map(|r| num(&r[2])).collect(),
        loss: c.iter().map(|r| num(&r[3])).collect(),
        countries,
        links,
    }
}

/// The R code's starting state: S = P + imports − exports.
fn state(f: &Fixture) -> State {
    let mut supply = f.production.clone();
    for &(i, j, t) in &f.links {
        supply[j] += t;
        supply[i] -= t;
    }
    State {
        n: f.countries.len(),
        from: f.links.iter().map(|l| l.0).collect(),
        to: f.links.iter().map(|l| l.1).collect(),
        tonnes: f.links.iter().map(|l| l.2).collect(),
        stocks: f.stocks.clone(),
        supply,
        held: Vec::new(),
        use_before: Vec::new(),
    }
}

fn agree(ours: f64, theirs: f64, noise: f64) -> bool {
    let d = (ours - theirs).abs();
    d <= 1e-9 * ours.abs().max(theirs.abs()) || (ours.abs() < noise && theirs.abs() < noise)
}

fn fixture_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/marchand");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn agrees_with_the_authors_r_code() {
    let dirs = fixture_dirs();
    assert!(dirs.len() >= 2, "at least two networks");
    let mut compared = 0;
    for dir in dirs {
        let f = fixture(&dir);
        let s = state(&f);
        let noise = 1e-9 * f.loss.iter().sum::<f64>();
        let mut fractions = 0;
        for cfrac in ["0", "0.3"] {
            let path = dir.join(format!("reference-cfrac-{cfrac}.csv"));
            let reference = rows(&path);
            let p = Params {
                consumption_cut: num(cfrac),
                ..Params::default()
            };
            let o = run(&s, &f.loss, &p);
            let index: BTreeMap<&str, usize> = f
                .countries
                .iter()
                .enumerate()
                .map(|(i, c)| (c.as_str(), i))
                .collect();
            let link_of: BTreeMap<(usize, usize), usize> = f
                .links
                .iter()
                .enumerate()
                .map(|(k, l)| ((l.0, l.1), k))
                .collect();
            let mut bad = Vec::new();
            for r in &reference {
                let v = num(&r[3]);
                let (what, ours, theirs) = match r[0].as_str() {
                    // R's dR and dC are signed changes; Lodestone's draws and cuts are losses.
                    "dR" => ("stock draw", o.stock_draw[index[r[1].as_str()]], -v),
                    "dC" => ("use cut", o.consumption_cut[index[r[1].as_str()]], -v),
                    "dE" => {
                        let k = link_of[&(index[r[1].as_str()], index[r[2].as_str()])];
                        ("link change", o.tonnes_after[k] - s.tonnes[k], v)
                    }
                    other => panic!("{other}"),
                };
                compared += 1;
                if !agree(ours, theirs, noise) {
                    bad.push(format!(
                        "{what} {} {}: ours {ours} vs R {theirs}",
                        r[1], r[2]
                    ));
                }
            }
            assert!(
                bad.is_empty(),
                "{} cfrac {cfrac}: {} of {} values differ, e.g. {:?}",
                dir.display(),
                bad.len(),
                reference.len(),
                &bad[..bad.len().min(5)]
            );
            fractions += 1;
        }
        assert_eq!(fractions, 2);
    }
    assert!(compared > 5000, "{compared}");
}
