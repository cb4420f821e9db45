//! Why this file exists: the downloader's promises (resume, restart, checksum, atomic rename,
//! one-line errors) checked against a real HTTP server on loopback, with BACI-shaped files.

mod support;

use std::path::Path;
use std::time::Duration;

use lodestone_fetch::{
    part_path, Downloader, FetchError, Options, Progress, Request, Silent, Status,
};
use support::{baci_zip, closed_port, sha256_hex, Behaviour, Server};

const PATH: &str = "/DATA_DOWNLOAD/baci/data/BACI_HS17_V202501.zip";

fn downloader() -> Downloader {
    Downloader::new(&Options {
        connect_timeout: Duration::from_secs(5),
        read_timeout: Duration::from_secs(5),
        ..Options::default()
    })
}

fn request(base: &str, dir: &Path, sha256: Option<String>) -> Request {
    Request {
        url: format!("{base}{PATH}"),
        target: dir.join("BACI_HS17_V202501.zip"),
        sha256,
        size: None,
        auth: None,
    }
}

/// Records what the downloader reported.
#[derive(Default)]
struct Recorder(std::sync::Mutex<Vec<(Option<u64>, u64)>>);
impl Progress for Recorder {
    fn start(&self, total: Option<u64>, done: u64) {
        if let Ok(mut v) = self.0.lock() {
            v.push((total, done));
        }
    }
}

#[test]
fn a_whole_download_is_verified_renamed_and_reads_as_a_baci_release() {
    let zip = baci_zip("V202501");
    let server = Server::start(vec![(PATH, zip.clone())], Behaviour::Honest);
    let dir = tempfile::tempdir().unwrap();
    let req = request(&server.base, dir.path(), Some(sha256_hex(&zip)));
    let progress = Recorder::default();
    let out = downloader().fetch(&req, &progress).unwrap();
    assert_eq!(out.status, Status::Downloaded);
    assert!(out.verified);
    assert_eq!(out.bytes, zip.len() as u64);
    assert_eq!(std::fs::read(&req.target).unwrap(), zip);
    assert!(!part_path(&req.target).exists());
    assert_eq!(
        *progress.0.lock().unwrap(),
        vec![(Some(zip.len() as u64), 0)]
    );
    // The file is the release: its year file starts with BACI's header.
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&req.target).unwrap()).unwrap();
    let mut year = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("BACI_HS17_Y2022_V202501.csv").unwrap(),
        &mut year,
    )
    .unwrap();
    assert!(
        year.starts_with("t,i,j,k,v,q\n2022,156,842,810194,"),
        "{year}"
    );
    assert!(archive.by_name("country_codes_V202501.csv").is_ok());
    // A second run finds it in place and asks the server nothing.
    let again = downloader().fetch(&req, &Silent).unwrap();
    assert_eq!(again.status, Status::AlreadyPresent);
    assert_eq!(server.seen().len(), 1);
    assert_eq!(server.seen()[0].range, None);
}

#[test]
fn a_broken_download_resumes_with_a_range_and_ends_byte_identical() {
    let zip = baci_zip("V202501");
    let cut = zip.len() / 2;
    let server = Server::start(vec![(PATH, zip.clone())], Behaviour::CutFirstAfter(cut));
    let dir = tempfile::tempdir().unwrap();
    let req = request(&server.base, dir.path(), Some(sha256_hex(&zip)));

    let first = downloader().fetch(&req, &Silent).unwrap_err();
    assert!(
        matches!(first, FetchError::Interrupted { received, .. } if received == cut as u64),
        "{first}"
    );
    let msg = first.to_string();
    assert!(
        msg.contains("run the same command again to resume"),
        "{msg}"
    );
    assert!(!req.target.exists(), "nothing at the target after a break");
    let part = part_path(&req.target);
    assert_eq!(std::fs::read(&part).unwrap(), zip[..cut]);

    let second = downloader().fetch(&req, &Silent).unwrap();
    assert_eq!(second.status, Status::Resumed { from: cut as u64 });
    assert!(second.verified);
    assert_eq!(std::fs::read(&req.target).unwrap(), zip);
    assert!(!part.exists());
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].range, None);
    assert_eq!(seen[1].range.as_deref(), Some(&*format!("bytes={cut}-")));
}

#[test]
fn a_checksum_mismatch_is_refused_and_leaves_no_file_behind() {
    let zip = baci_zip("V202501");
    let server = Server::start(vec![(PATH, zip.clone())], Behaviour::Honest);
    let dir = tempfile::tempdir().unwrap();
    let wrong = sha256_hex(b"another release");
    let req = request(&server.base, dir.path(), Some(wrong.clone()));
    let e = downloader().fetch(&req, &Silent).unwrap_err();
    match &e {
        FetchError::Checksum {
            expected, actual, ..
        } => {
            assert_eq!(*expected, wrong);
            assert_eq!(*actual, sha256_hex(&zip));
        }
        other => panic!("expected a checksum error, got {other}"),
    }
    assert!(e.to_string().contains("checksum mismatch"), "{e}");
    assert!(!e.is_usage());
    assert!(!req.target.exists());
    assert!(!part_path(&req.target).exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn a_server_ignoring_range_restarts_the_file_cleanly() {
    let zip = baci_zip("V202501");
    let server = Server::start(vec![(PATH, zip.clone())], Behaviour::IgnoresRange);
    let dir = tempfile::tempdir().unwrap();
    let req = request(&server.base, dir.path(), Some(sha256_hex(&zip)));
    // A stale part from an earlier run: not a prefix of the file.
    let stale = vec![b'x'; 100];
    std::fs::write(part_path(&req.target), &stale).unwrap();
    let out = downloader().fetch(&req, &Silent).unwrap();
    assert_eq!(out.status, Status::Restarted { discarded: 100 });
    assert_eq!(std::fs::read(&req.target).unwrap(), zip);
    assert!(!part_path(&req.target).exists());
    assert_eq!(server.seen()[0].range.as_deref(), Some("bytes=100-"));
}

#[test]
fn a_refused_connection_is_one_line_saying_what_to_do() {
    let port = closed_port();
    let dir = tempfile::tempdir().unwrap();
    let req = request(&format!("http://127.0.0.1:{port}"), dir.path(), None);
    let e = downloader().fetch(&req, &Silent).unwrap_err();
    assert!(matches!(e, FetchError::Offline { .. }), "{e:?}");
    let msg = e.to_string();
    let want_start = format!("cannot reach 127.0.0.1:{port}: ");
    assert!(msg.starts_with(&want_start), "{msg}");
    assert!(msg.to_lowercase().contains("refused"), "{msg}");
    assert!(
        msg.ends_with(&format!(
            "; check the network or download http://127.0.0.1:{port}{PATH} by hand into {}",
            dir.path().display()
        )),
        "{msg}"
    );
    assert!(!msg.contains('\n'));
    assert!(!req.target.exists() && !part_path(&req.target).exists());
}

#[test]
fn a_404_names_the_url() {
    let server = Server::start(vec![], Behaviour::Honest);
    let dir = tempfile::tempdir().unwrap();
    let req = request(&server.base, dir.path(), None);
    let e = downloader().fetch(&req, &Silent).unwrap_err();
    assert!(matches!(e, FetchError::Http { status: 404, .. }), "{e:?}");
    assert_eq!(
        e.to_string(),
        format!("{}{PATH}: the server answered 404 Not Found", server.base)
    );
    assert!(!req.target.exists() && !part_path(&req.target).exists());
}

#[test]
fn a_part_that_is_already_whole_is_finished_without_a_body() {
    let zip = baci_zip("V202501");
    let server = Server::start(vec![(PATH, zip.clone())], Behaviour::Honest);
    let dir = tempfile::tempdir().unwrap();
    let req = request(&server.base, dir.path(), Some(sha256_hex(&zip)));
    std::fs::write(part_path(&req.target), &zip).unwrap();
    let out = downloader().fetch(&req, &Silent).unwrap();
    assert_eq!(
        out.status,
        Status::Resumed {
            from: zip.len() as u64
        }
    );
    assert_eq!(std::fs::read(&req.target).unwrap(), zip);
    assert_eq!(
        server.seen()[0].range.as_deref(),
        Some(&*format!("bytes={}-", zip.len()))
    );
}

#[test]
fn a_key_travels_in_its_header_and_never_in_an_error() {
    let server = Server::start(vec![], Behaviour::Honest);
    let dir = tempfile::tempdir().unwrap();
    let mut req = request(&server.base, dir.path(), None);
    req.auth = Some((
        "Ocp-Apim-Subscription-Key".into(),
        lodestone_fetch::Secret::new("k3y-s3cret"),
    ));
    let e = downloader().fetch(&req, &Silent).unwrap_err();
    assert!(!e.to_string().contains("k3y-s3cret"));
    assert!(!format!("{e:?}").contains("k3y-s3cret"));
    let seen = server.seen();
    assert!(!seen[0].path.contains("k3y"));
    assert!(seen[0]
        .headers
        .iter()
        .any(|h| h.eq_ignore_ascii_case("ocp-apim-subscription-key: k3y-s3cret")));
}

#[test]
fn a_stalled_transfer_ends_at_the_read_timeout_and_keeps_its_part() {
    let zip = baci_zip("V202501");
    let cut = zip.len() / 3;
    let server = Server::start(vec![(PATH, zip.clone())], Behaviour::StallFirstAfter(cut));
    let dir = tempfile::tempdir().unwrap();
    let req = request(&server.base, dir.path(), Some(sha256_hex(&zip)));
    let quick = Downloader::new(&Options {
        connect_timeout: Duration::from_secs(1),
        read_timeout: Duration::from_millis(500),
        ..Options::default()
    });
    let started = std::time::Instant::now();
    let e = quick.fetch(&req, &Silent).unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(2500),
        "{:?}",
        started.elapsed()
    );
    assert!(matches!(e, FetchError::Interrupted { .. }), "{e}");
    assert!(!req.target.exists());
    assert_eq!(std::fs::read(part_path(&req.target)).unwrap(), zip[..cut]);
    // And the next run completes it.
    let out = downloader().fetch(&req, &Silent).unwrap();
    assert_eq!(out.status, Status::Resumed { from: cut as u64 });
    assert_eq!(std::fs::read(&req.target).unwrap(), zip);
}
