//! Why this file exists: `data build` rewrites a whole folder, and a folder is only as good as
//! all of its files together. The build writes into a copy of the folder beside it (hard links,
//! so the copy is instant and the originals are never opened for writing) and swaps the copy in
//! only once every file is written. A failure — or a kill — before the swap leaves the folder
//! exactly as it was; a later build clears what the interrupted one left beside it.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::AppError;

/// Runs `write` on a staging copy of `dir` and swaps the copy in when it succeeds; the paths it
/// returns are given back under `dir`. On failure `dir` is untouched and the message says so.
pub fn rewrite_folder(
    dir: &Path,
    write: impl FnOnce(&Path) -> Result<Vec<PathBuf>, AppError>,
) -> Result<Vec<PathBuf>, AppError> {
    let (parent, name) = parent_and_name(dir)?;
    recover(&parent, &name, dir)?;
    let staging = sibling(&parent, &name, "build");
    let untouched = |e: AppError| {
        let _ = fs::remove_dir_all(&staging);
        AppError::new(
            e.kind,
            format!("{}; {} was left untouched", e.message, dir.display()),
        )
    };
    link_tree(dir, &staging).map_err(untouched)?;
    let written = write(&staging).map_err(untouched)?;
    swap_in(dir, &staging, &sibling(&parent, &name, "old"))?;
    Ok(written
        .into_iter()
        .map(|p| match p.strip_prefix(&staging) {
            Ok(rel) => dir.join(rel),
            Err(_) => p,
        })
        .collect())
}

fn parent_and_name(dir: &Path) -> Result<(PathBuf, OsString), AppError> {
    let abs = std::path::absolute(dir).map_err(|e| io(dir, e))?;
    match (abs.parent(), abs.file_name()) {
        (Some(p), Some(n)) => Ok((p.to_path_buf(), n.to_os_string())),
        _ => Err(AppError::invalid(format!(
            "{}: cannot rebuild a filesystem root; name a data folder",
            dir.display()
        ))),
    }
}

/// `.<name>.<what>-<pid>` beside the folder.
fn sibling(parent: &Path, name: &OsString, what: &str) -> PathBuf {
    let mut n = OsString::from(".");
    n.push(name);
    n.push(format!(".{what}-{}", std::process::id()));
    parent.join(n)
}

/// Leftovers of an interrupted build: staging copies are removed; if the build was killed
/// between the two renames of the swap (the folder missing, its old copy present), the old copy
/// is put back.
fn recover(parent: &Path, name: &OsString, dir: &Path) -> Result<(), AppError> {
    let prefix = |what: &str| {
        let mut p = OsString::from(".");
        p.push(name);
        p.push(format!(".{what}-"));
        p.to_string_lossy().into_owned()
    };
    let (build, old) = (prefix("build"), prefix("old"));
    let Ok(entries) = fs::read_dir(parent) else {
        return Ok(());
    };
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if n.starts_with(&build) {
            let _ = fs::remove_dir_all(e.path());
        } else if n.starts_with(&old) {
            if dir.exists() {
                let _ = fs::remove_dir_all(e.path());
            } else {
                fs::rename(e.path(), dir).map_err(|err| io(dir, err))?;
                eprintln!(
                    "restored {} from {} (an earlier build was interrupted while swapping)",
                    dir.display(),
                    e.path().display()
                );
            }
        }
    }
    Ok(())
}

/// A copy of `from` at `to`: folders made, files hard-linked (copied where links fail).
fn link_tree(from: &Path, to: &Path) -> Result<(), AppError> {
    fs::create_dir(to).map_err(|e| io(to, e))?;
    for e in fs::read_dir(from).map_err(|e| io(from, e))? {
        let e = e.map_err(|e| io(from, e))?;
        let (src, dst) = (e.path(), to.join(e.file_name()));
        let kind = e.file_type().map_err(|err| io(&src, err))?;
        if kind.is_dir() {
            link_tree(&src, &dst)?;
        } else if fs::hard_link(&src, &dst).is_err() {
            fs::copy(&src, &dst).map_err(|err| io(&src, err))?;
        }
    }
    Ok(())
}

/// `dir` → `old`, `staging` → `dir`, then `old` removed; if the second rename fails the first
/// is undone.
fn swap_in(dir: &Path, staging: &Path, old: &Path) -> Result<(), AppError> {
    fs::rename(dir, old).map_err(|e| io(dir, e))?;
    if let Err(e) = fs::rename(staging, dir) {
        let _ = fs::rename(old, dir);
        let _ = fs::remove_dir_all(staging);
        return Err(io(dir, e));
    }
    let _ = fs::remove_dir_all(old);
    Ok(())
}

fn io(path: &Path, e: std::io::Error) -> AppError {
    AppError::internal(format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(tag: &str) -> PathBuf {
        let base =
            std::env::temp_dir().join(format!("lodestone-swap-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&base);
        fs::create_dir_all(base.join("data/sub")).unwrap();
        fs::write(base.join("data/a.csv"), "old a").unwrap();
        fs::write(base.join("data/sub/b.csv"), "old b").unwrap();
        base.join("data")
    }

    fn write(path: &Path, text: &str) -> Result<(), AppError> {
        let tmp = path.with_extension("tmp");
        fs::write(&tmp, text).map_err(|e| io(&tmp, e))?;
        fs::rename(&tmp, path).map_err(|e| io(path, e))
    }

    #[test]
    fn a_failed_rewrite_leaves_the_folder_as_it_was() {
        let dir = folder("fail");
        let e = rewrite_folder(&dir, |stage| {
            write(&stage.join("a.csv"), "new a")?;
            Err(AppError::internal("disk full"))
        })
        .unwrap_err();
        assert!(e.message.contains("disk full") && e.message.contains("left untouched"));
        assert_eq!(fs::read_to_string(dir.join("a.csv")).unwrap(), "old a");
        let siblings: Vec<_> = fs::read_dir(dir.parent().unwrap()).unwrap().collect();
        assert_eq!(siblings.len(), 1, "staging copy left behind");
    }

    #[test]
    fn a_successful_rewrite_swaps_in_every_file_at_once() {
        let dir = folder("ok");
        let written = rewrite_folder(&dir, |stage| {
            write(&stage.join("a.csv"), "new a")?;
            write(&stage.join("sub/b.csv"), "new b")?;
            Ok(vec![stage.join("a.csv"), stage.join("sub/b.csv")])
        })
        .unwrap();
        assert_eq!(fs::read_to_string(dir.join("a.csv")).unwrap(), "new a");
        assert_eq!(fs::read_to_string(dir.join("sub/b.csv")).unwrap(), "new b");
        assert!(written.iter().all(|p| p.starts_with(&dir)), "{written:?}");
        assert_eq!(fs::read_dir(dir.parent().unwrap()).unwrap().count(), 1);
    }

    #[test]
    fn an_interrupted_swap_is_recovered_by_the_next_build() {
        let dir = folder("recover");
        let (parent, name) = parent_and_name(&dir).unwrap();
        // Killed between the two renames: the folder is gone, its old copy beside it.
        let old = parent.join(".data.old-99999");
        fs::rename(&dir, &old).unwrap();
        fs::create_dir(sibling(&parent, &name, "build")).unwrap();
        rewrite_folder(&dir, |_| Ok(vec![])).unwrap();
        assert_eq!(fs::read_to_string(dir.join("a.csv")).unwrap(), "old a");
        assert_eq!(fs::read_dir(&parent).unwrap().count(), 1);
    }
}
