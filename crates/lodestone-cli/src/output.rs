//! Why this file exists: tables, CSV and JSON are written the same way by every command, and
//! long work shows the same progress bar.

use serde::Serialize;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use lodestone_app::AppError;

use crate::cli::Format;

type Result<T> = std::result::Result<T, AppError>;

fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::internal(e.to_string())
}

/// A plain text table: a header and rows of cells, columns padded to fit.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&str]) -> Self {
        Table {
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    pub fn render(&self) -> String {
        let n = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for r in &self.rows {
            for (i, c) in r.iter().enumerate().take(n) {
                widths[i] = widths[i].max(c.chars().count());
            }
        }
        let line = |cells: &[String]| -> String {
            let mut s = String::new();
            for (i, c) in cells.iter().enumerate().take(n) {
                let pad = widths[i].saturating_sub(c.chars().count());
                let numeric = c
                    .chars()
                    .next()
                    .is_some_and(|ch| ch.is_ascii_digit() || ch == '-')
                    && c.chars()
                        .all(|ch| ch.is_ascii_digit() || ".,-% ".contains(ch));
                if numeric {
                    s.push_str(&" ".repeat(pad));
                    s.push_str(c);
                } else {
                    s.push_str(c);
                    if i + 1 < n {
                        s.push_str(&" ".repeat(pad));
                    }
                }
                if i + 1 < n {
                    s.push_str("  ");
                }
            }
            s.trim_end().to_string()
        };
        let mut out = line(&self.header);
        out.push('\n');
        out.push_str(
            &widths
                .iter()
                .map(|w| "-".repeat(*w))
                .collect::<Vec<_>>()
                .join("  "),
        );
        out.push('\n');
        for r in &self.rows {
            out.push_str(&line(r));
            out.push('\n');
        }
        out
    }

    pub fn to_csv(&self) -> Result<String> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        w.write_record(&self.header).map_err(internal)?;
        for r in &self.rows {
            w.write_record(r).map_err(internal)?;
        }
        let bytes = w.into_inner().map_err(internal)?;
        String::from_utf8(bytes).map_err(internal)
    }
}

/// `--quiet`: no progress bars.
static QUIET: AtomicBool = AtomicBool::new(false);

pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// How long work runs before its bar appears: quick runs print nothing.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// A progress bar of `len` steps on standard error, drawn with `template` once the work has run
/// for a second; hidden for good with `--quiet` or when standard error is not a terminal (a
/// pipe, a log file, a test).
pub fn progress_bar(len: u64, template: &str) -> indicatif::ProgressBar {
    if QUIET.load(Ordering::Relaxed) || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(len),
        indicatif::ProgressDrawTarget::hidden(),
    );
    bar.set_style(
        indicatif::ProgressStyle::with_template(template)
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let later = bar.downgrade();
    std::thread::spawn(move || {
        std::thread::sleep(SHOW_AFTER);
        if let Some(b) = later.upgrade().filter(|b| !b.is_finished()) {
            b.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    });
    bar
}

/// Where text output goes: standard output, or a file named with `-o` (written once, atomically,
/// when the command has finished).
static REDIRECT: Mutex<Option<(PathBuf, String)>> = Mutex::new(None);
/// The file a parquet or xlsx result is written to.
static TABLES_TO: Mutex<Option<(Format, PathBuf)>> = Mutex::new(None);

/// Checks a command's output choice before any work: parquet and xlsx need a file; the file's
/// folder must exist.
pub fn destination(format: Format, out: Option<&Path>) -> Result<()> {
    let binary = matches!(format, Format::Parquet | Format::Xlsx);
    match out {
        None if binary => Err(AppError::invalid(format!(
            "--format {} writes a binary file: name it with -o FILE",
            format_name(format)
        ))),
        None => Ok(()),
        Some(path) => {
            writable(path)?;
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            let expected = match format {
                Format::Parquet => "parquet",
                Format::Xlsx => "xlsx",
                _ => ext,
            };
            if binary && !ext.eq_ignore_ascii_case(expected) {
                eprintln!(
                    "warning: {}: --format {} writes {expected}, whatever the file's name says",
                    path.display(),
                    format_name(format)
                );
            }
            if binary {
                *TABLES_TO.lock().map_err(internal)? = Some((format, path.to_path_buf()));
            } else {
                *REDIRECT.lock().map_err(internal)? = Some((path.to_path_buf(), String::new()));
            }
            Ok(())
        }
    }
}

fn format_name(f: Format) -> &'static str {
    match f {
        Format::Table => "table",
        Format::Json => "json",
        Format::Csv => "csv",
        Format::Parquet => "parquet",
        Format::Xlsx => "xlsx",
    }
}

/// Writes the text a command printed to its `-o` file, if it named one.
pub fn finish() -> Result<()> {
    let taken = REDIRECT.lock().map_err(internal)?.take();
    match taken {
        Some((path, text)) => write_file(&path, text.as_bytes()),
        None => Ok(()),
    }
}

/// Writes a result's tables in the format and to the file the command was given.
pub fn tables(t: Result<lodestone_tables::Tables>) -> Result<()> {
    let t = t?;
    let target = TABLES_TO.lock().map_err(internal)?.clone();
    let Some((format, path)) = target else {
        return Err(AppError::internal("no file for the tables"));
    };
    let format = match format {
        Format::Xlsx => lodestone_tables::FileFormat::Xlsx,
        _ => lodestone_tables::FileFormat::Parquet,
    };
    for f in lodestone_tables::write(&t, format, &path)? {
        eprintln!("wrote {}", f.display());
    }
    Ok(())
}

pub fn print(text: &str) -> Result<()> {
    if let Some((_, buf)) = REDIRECT.lock().map_err(internal)?.as_mut() {
        buf.push_str(text);
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.map_err(internal),
    }
}

pub fn print_json<T: Serialize>(value: &T) -> Result<()> {
    let mut s = serde_json::to_string_pretty(value).map_err(internal)?;
    s.push('\n');
    print(&s)
}

/// Thousands separators, at most `decimals` decimals, trailing zeros dropped.
pub fn num(v: f64) -> String {
    let decimals = if v.abs() >= 100.0 {
        0
    } else if v.abs() >= 1.0 {
        1
    } else {
        3
    };
    let s = lodestone_app::types::fixed(v, decimals);
    let (int, frac) = s.split_once('.').map_or((s.as_str(), ""), |(a, b)| (a, b));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

/// Writes a report file atomically and says so on standard error.
/// An output path's folder must already exist: a mistyped folder is an input error, never
/// created. Checked before the work starts, so a long run does not end in a failed write.
pub fn writable(path: &std::path::Path) -> Result<()> {
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(dir) = parent.filter(|d| !d.is_dir()) {
        return Err(AppError::invalid(format!(
            "{}: the folder {} does not exist; create it first or write elsewhere",
            path.display(),
            dir.display()
        )));
    }
    if path.is_dir() {
        return Err(AppError::invalid(format!(
            "{}: is a folder; expected a file name",
            path.display()
        )));
    }
    Ok(())
}

/// Writes an output file atomically (see [`writable`]).
pub fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    writable(path)?;
    lodestone_app::types::write_atomic(path, bytes)?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

pub fn pct(v: f64) -> String {
    lodestone_app::types::percent(v)
}

pub fn opt_pct(v: Option<f64>) -> String {
    v.map(pct).unwrap_or_else(|| "–".into())
}

/// A share known only within a range ("19.0–66.8%"), one value when the ends meet, "–" when
/// there is no figure.
pub fn range_pct(v: Option<(f64, f64)>) -> String {
    match v {
        None => "–".into(),
        Some((lo, hi)) if (hi - lo).abs() < 5e-4 => pct(lo),
        Some((lo, hi)) => format!("{}–{}", pct(lo).trim_end_matches('%'), pct(hi)),
    }
}
