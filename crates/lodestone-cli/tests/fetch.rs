//! Why this file exists: `lodestone data fetch` end to end — the binary, its flags, its exit
//! codes and its one-line errors — against a real HTTP server on loopback serving a BACI-shaped
//! release; then the fetched release goes through `data scan-baci`, as the README says.

#[path = "../../lodestone-fetch/tests/support/mod.rs"]
mod support;

use std::path::Path;
use std::process::{Command, Output};

use support::{baci_zip, closed_port, sha256_hex, Behaviour, Server};

const PATH: &str = "/DATA_DOWNLOAD/baci/data/BACI_HS17_V202501.zip";

fn lodestone(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_lodestone"));
    c.args(args)
        .current_dir(std::env::temp_dir())
        .env_remove("LODESTONE_FETCH_BASE")
        .env_remove("COMTRADE_API_KEY");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("the binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn fetch_from_a_mirror_then_scan_the_release() {
    let zip = baci_zip("V202501");
    let server = Server::start(vec![(PATH, zip.clone())], Behaviour::Honest);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let sha = sha256_hex(&zip);
    let o = lodestone(
        &[
            "data",
            "fetch",
            "baci-hs17",
            "--version",
            "V202501",
            "--mirror",
            &server.base,
            "--dir",
            d,
            "--sha256",
            &sha,
            "--quiet",
        ],
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("BACI_HS17_V202501.zip"), "{out}");
    assert!(out.contains("matches the catalogue's SHA-256"), "{out}");
    assert!(
        out.contains(&format!("from     {}{PATH}", server.base)),
        "{out}"
    );
    assert_eq!(entries(dir.path()), vec!["BACI_HS17_V202501.zip"]);
    assert_eq!(
        std::fs::read(dir.path().join("BACI_HS17_V202501.zip")).unwrap(),
        zip
    );
    assert_eq!(server.seen()[0].path, PATH);

    // Unzip the year file and the country table, and scan them as the README says.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    for name in ["BACI_HS17_Y2022_V202501.csv", "country_codes_V202501.csv"] {
        let mut f = archive.by_name(name).unwrap();
        let mut w = std::fs::File::create(dir.path().join(name)).unwrap();
        std::io::copy(&mut f, &mut w).unwrap();
    }
    let flows = dir.path().join("flows.csv");
    let o = lodestone(
        &[
            "data",
            "scan-baci",
            dir.path()
                .join("BACI_HS17_Y2022_V202501.csv")
                .to_str()
                .unwrap(),
            "--country-codes",
            dir.path()
                .join("country_codes_V202501.csv")
                .to_str()
                .unwrap(),
            "--out",
            flows.to_str().unwrap(),
            "--quiet",
        ],
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains(": 5 rows in"), "{}", stderr(&o));
    let text = std::fs::read_to_string(&flows).unwrap();
    assert!(
        text.starts_with("year,exporter,importer,commodity,stage,"),
        "{text}"
    );
}

#[test]
fn the_mirror_comes_from_the_environment_and_json_describes_the_outcome() {
    let zip = baci_zip("V202601");
    let path = "/DATA_DOWNLOAD/baci/data/BACI_HS22_V202601.zip";
    let server = Server::start(vec![(path, zip.clone())], Behaviour::Honest);
    let dir = tempfile::tempdir().unwrap();
    let o = lodestone(
        &[
            "data",
            "fetch",
            "baci-hs22",
            "--dir",
            dir.path().to_str().unwrap(),
            "--format",
            "json",
        ],
        &[("LODESTONE_FETCH_BASE", &server.base)],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["release"]["id"], "baci-hs22");
    assert_eq!(v["url"], format!("{}{path}", server.base));
    assert_eq!(v["outcome"]["bytes"], zip.len() as u64);
    assert_eq!(v["outcome"]["sha256"], sha256_hex(&zip));
    assert_eq!(v["outcome"]["verified"], false);
    assert_eq!(v["outcome"]["status"]["how"], "downloaded");
}

#[test]
fn offline_is_exit_1_and_one_line() {
    let port = closed_port();
    let dir = tempfile::tempdir().unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let o = lodestone(
        &[
            "data",
            "fetch",
            "baci-hs22",
            "--mirror",
            &base,
            "--dir",
            dir.path().to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with(&format!("error: cannot reach 127.0.0.1:{port}: ")),
        "{err}"
    );
    assert!(
        err.trim_end().ends_with(&format!(
            "; check the network or download {base}/DATA_DOWNLOAD/baci/data/BACI_HS22_V202601.zip by hand into {}",
            dir.path().display()
        )),
        "{err}"
    );
    assert!(entries(dir.path()).is_empty());
}

#[test]
fn a_checksum_from_the_catalogue_is_enforced_exit_1_nothing_left() {
    let zip = baci_zip("V202501");
    let server = Server::start(vec![("/rel/x.zip", zip)], Behaviour::Honest);
    let data = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(data.path().join("sources")).unwrap();
    std::fs::write(
        data.path().join("sources/releases.toml"),
        format!(
            "[[release]]\nid = \"x\"\ntitle = \"t\"\npublisher = \"p\"\nlicence = \"l\"\npage = \"p\"\nurl = \"https://publisher.invalid/rel/x.zip\"\nfile = \"x.zip\"\nsha256 = \"{}\"\nprovides = \"p\"\nused_by = \"u\"\n",
            sha256_hex(b"the published file")
        ),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let o = lodestone(
        &[
            "--data",
            data.path().to_str().unwrap(),
            "data",
            "fetch",
            "x",
            "--mirror",
            &server.base,
            "--dir",
            dir.path().to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("checksum mismatch"), "{}", stderr(&o));
    assert!(entries(dir.path()).is_empty(), "{:?}", entries(dir.path()));
}

#[test]
fn usage_errors_are_exit_2() {
    let o = lodestone(&["data", "fetch", "baci-hs23"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean \"baci-hs22\""),
        "{}",
        stderr(&o)
    );
    let o = lodestone(&["data", "fetch", "comtrade", "--year", "2023"], &[]);
    assert_eq!(o.status.code(), Some(2));
    let o = lodestone(
        &[
            "data",
            "fetch",
            "comtrade",
            "--year",
            "2023",
            "--reporter",
            "842",
            "--hs",
            "810194",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("COMTRADE_API_KEY"), "{}", stderr(&o));
}

#[test]
fn the_comtrade_key_is_sent_in_its_header_and_never_printed() {
    let body = br#"{"elapsedTime":"0.1 secs","count":0,"data":[]}"#.to_vec();
    let path =
        "/data/v1/get/C/A/HS?reporterCode=398&period=2023&cmdCode=810194,261100&flowCode=M,X";
    let server = Server::start(vec![(path, body.clone())], Behaviour::Honest);
    let dir = tempfile::tempdir().unwrap();
    let o = lodestone(
        &[
            "data",
            "fetch",
            "comtrade",
            "--reporter",
            "398",
            "--year",
            "2023",
            "--hs",
            "810194,261100",
            "--mirror",
            &server.base,
            "--dir",
            dir.path().to_str().unwrap(),
        ],
        &[("COMTRADE_API_KEY", "sekr3t-key")],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(dir.path().join("comtrade_398_2023.json")).unwrap(),
        body
    );
    let all = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert!(!all.contains("sekr3t"), "{all}");
    let seen = server.seen();
    assert_eq!(seen[0].path, path);
    assert!(seen[0]
        .headers
        .iter()
        .any(|h| h.eq_ignore_ascii_case("ocp-apim-subscription-key: sekr3t-key")));
}
