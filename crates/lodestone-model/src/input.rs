//! Why this file exists: every file a user hands Lodestone (a scenario, an article, a group
//! config, a source table) is opened the same way, so every front end answers the same problems
//! the same way: a missing file, a directory, a FIFO or device (which would block a plain read
//! forever), a file over the size its reader accepts, or text that is not UTF-8 — each one line,
//! naming the path once, as an input error (exit 2 / HTTP 400), never an OS error printed twice.

use std::io::Read;
use std::path::Path;

use crate::error::{line_col, Located};

/// Reads a regular file of at most `max_bytes`, refusing anything else before opening it.
pub fn read_bytes(path: &Path, max_bytes: u64) -> Result<Vec<u8>, Located> {
    let problem = |message: String| Located::new(path, 0, 0, "", message);
    let meta = std::fs::metadata(path).map_err(|e| problem(os_problem(&e)))?;
    if meta.is_dir() {
        return Err(problem("is a directory; expected a file".into()));
    }
    if !meta.is_file() {
        return Err(problem(
            "is not a regular file (a FIFO, socket or device); expected a file".into(),
        ));
    }
    if meta.len() > max_bytes {
        return Err(problem(too_large(meta.len(), max_bytes)));
    }
    let file = std::fs::File::open(path).map_err(|e| problem(os_problem(&e)))?;
    // The file may grow between the check and the read: read at most one byte past the cap.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| problem(os_problem(&e)))?;
    if bytes.len() as u64 > max_bytes {
        return Err(problem(too_large(bytes.len() as u64, max_bytes)));
    }
    Ok(bytes)
}

/// Reads a regular UTF-8 text file of at most `max_bytes`; invalid UTF-8 is located by line and
/// column of its first bad byte.
pub fn read_text(path: &Path, max_bytes: u64) -> Result<String, Located> {
    let bytes = read_bytes(path, max_bytes)?;
    String::from_utf8(bytes).map_err(|e| {
        let good = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let text = std::str::from_utf8(&bytes[..good]).unwrap_or_default();
        let (line, column) = line_col(text, good);
        Located::new(
            path,
            line,
            column,
            "",
            format!(
                "expected UTF-8 text, found byte 0x{:02x}; save the file as UTF-8",
                bytes[good]
            ),
        )
    })
}

/// The OS error without its "(os error N)" suffix, phrased for the file it concerns.
fn os_problem(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        }
    }
}

fn too_large(size: u64, max: u64) -> String {
    format!("is {size} bytes; this reader accepts at most {max} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir() -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("lodestone-input-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn each_problem_is_one_line_naming_the_path_once() {
        let d = dir();
        let missing = d.join("missing.toml");
        let cases = [
            (missing.clone(), "no such file"),
            (d.clone(), "is a directory"),
        ];
        for (p, what) in cases {
            let msg = read_text(&p, 10).unwrap_err().to_string();
            assert!(msg.contains(what), "{msg}");
            assert_eq!(msg.matches(&*p.display().to_string()).count(), 1, "{msg}");
            assert!(!msg.contains('\n') && !msg.contains("os error"), "{msg}");
        }
    }

    #[test]
    fn too_large_and_non_utf8_are_refused_with_place() {
        let d = dir();
        let big = d.join("big.txt");
        std::fs::write(&big, "x".repeat(11)).unwrap();
        assert!(read_text(&big, 10)
            .unwrap_err()
            .message
            .contains("at most 10 bytes"));
        let latin1 = d.join("latin1.txt");
        std::fs::write(&latin1, b"ok\nM\xfcnchen").unwrap();
        let e = read_text(&latin1, 100).unwrap_err();
        assert_eq!((e.line, e.column), (2, 2));
        assert!(e.message.contains("0xfc"));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let d = dir();
        let fifo = d.join("pipe");
        let _ = std::fs::remove_file(&fifo);
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("SKIP: mkfifo is not available");
            return;
        }
        let e = read_text(&fifo, 100).unwrap_err();
        assert!(e.message.contains("FIFO"), "{e}");
    }
}
