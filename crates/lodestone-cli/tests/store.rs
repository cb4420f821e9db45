//! One store: `--data DIR` replaces every part of the embedded one — observations, trade, the
//! project and event registries, the gazetteer, the scenarios and the groups. A pristine copy of
//! `data/` answers exactly as the embedded snapshot; a copy with each part changed changes the
//! answer of every command that reads that part.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(data: Option<&Path>, args: &[&str]) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lodestone"));
    if let Some(d) = data {
        cmd.arg("--data").arg(d);
    }
    let o = cmd
        .args(args)
        .args(["--format", "json"])
        .current_dir(repo())
        .output()
        .expect("runs");
    assert!(
        o.status.success(),
        "{args:?} --data {data:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).expect("UTF-8")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        let target = to.join(e.file_name());
        if p.is_dir() {
            copy_dir(&p, &target);
        } else {
            std::fs::copy(&p, &target).unwrap();
        }
    }
}

/// Rewrites a file's lines: `keep` decides which stay.
fn filter_lines(path: &Path, keep: impl Fn(usize, &str) -> bool) {
    let text = std::fs::read_to_string(path).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .enumerate()
        .filter(|(i, l)| keep(*i, l))
        .map(|(_, l)| l)
        .collect();
    std::fs::write(path, kept.join("\n") + "\n").unwrap();
}

/// The commands that read each part of the store.
const COMMANDS: [(&str, &[&str]); 8] = [
    ("observations", &["profile", "tungsten", "--source", "usgs"]),
    ("trade", &["trade", "tungsten", "--importer", "USA"]),
    ("projects", &["projects", "--commodity", "tungsten"]),
    (
        "projects",
        &["forecast", "tungsten", "--to", "2030", "--draws", "0"],
    ),
    ("events", &["events"]),
    (
        "gazetteer",
        &["events", "extract", "tests/fixtures/article.html"],
    ),
    ("scenarios", &["scenarios"]),
    ("groups", &["groups"]),
];

#[test]
fn a_pristine_copy_answers_as_the_embedded_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(&repo().join("data"), &data);
    for (_, args) in COMMANDS {
        let args = fix(args);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_eq!(run(None, &args), run(Some(&data), &args), "{args:?}");
    }
}

#[test]
fn every_part_of_a_data_folder_replaces_the_embedded_one() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(&repo().join("data"), &data);
    // Observations: USGS 2024 edition loses China.
    filter_lines(&data.join("observations/usgs-mcs-2024.csv"), |i, l| {
        i == 0 || !l.contains(",CHN,")
    });
    // Trade: the latest year loses every other flow.
    let years: Vec<PathBuf> = {
        let mut v: Vec<PathBuf> = std::fs::read_dir(data.join("trade"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .starts_with("baci-")
            })
            .collect();
        v.sort();
        v
    };
    filter_lines(years.last().unwrap(), |i, _| i == 0 || i % 2 == 0);
    // Projects: Cove Kaz is withdrawn. Events: the 2023 gallium/germanium controls too.
    std::fs::remove_file(data.join("projects/cove-kaz-tungsten.toml")).unwrap();
    std::fs::remove_file(data.join("events/2023-07-03-cn-gallium-germanium-controls.toml"))
        .unwrap();
    // Gazetteer: EXIM is no longer a known organisation.
    filter_lines(&data.join("gazetteer/organisations.csv"), |_, l| {
        !l.starts_with("Export-Import Bank")
    });
    // Scenarios: one fewer.
    std::fs::remove_file(data.join("scenarios/russia-exports-halved.toml")).unwrap();
    // Groups: the concern set gains Kazakhstan.
    let groups = std::fs::read_to_string(data.join("groups.toml")).unwrap();
    let changed = groups.replacen("[groups.concern]", "[groups.concern_old]", 1)
        + "\n[groups.concern]\nname = \"Concern\"\nmembers = [\"CHN\", \"RUS\", \"PRK\", \"IRN\", \"KAZ\"]\nsource = \"test\"\n";
    std::fs::write(data.join("groups.toml"), changed).unwrap();

    for (part, args) in COMMANDS {
        let args = fix(args);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_ne!(
            run(None, &args),
            run(Some(&data), &args),
            "changing {part} under --data must change `{}`",
            args.join(" ")
        );
    }
}

/// Paths in the commands are relative to the crate's folder; the binary runs in the repository.
fn fix(args: &[&str]) -> Vec<String> {
    args.iter()
        .map(|a| {
            if a.starts_with("tests/") {
                Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join(a)
                    .display()
                    .to_string()
            } else {
                a.to_string()
            }
        })
        .collect()
}

#[test]
fn an_empty_registry_in_a_data_folder_is_said_not_silent() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(&repo().join("data"), &data);
    std::fs::remove_dir_all(data.join("projects")).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_lodestone"))
        .arg("--data")
        .arg(&data)
        .args(["projects", "--format", "json"])
        .output()
        .unwrap();
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("warning:") && err.contains("the project registry is empty"),
        "{err}"
    );
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "[]");
}
