//! Opening and reading spreadsheets without letting the spreadsheet library crash the program.
//!
//! Why this file exists: calamine 0.32 panics on some malformed workbooks (a cell reference whose
//! row number overflows `u32`, found by the mutated-workbook property test). A bad input file must
//! end in a located error, never a panic, so every calamine call that parses file content goes
//! through [`guarded`], which turns such a panic into [`SourceError::Workbook`] naming the file.

use std::io::{Read, Seek};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use calamine::{Data, Range, Reader, Sheets};

use crate::error::SourceError;

/// Runs one calamine call; an error or a panic inside it becomes a workbook error naming `file`.
pub(crate) fn guarded<T, E: std::fmt::Display>(
    file: &Path,
    what: &str,
    call: impl FnOnce() -> Result<T, E>,
) -> Result<T, SourceError> {
    let failed = |message: String| SourceError::Workbook {
        file: file.to_path_buf(),
        message,
    };
    match catch_unwind(AssertUnwindSafe(call)) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(failed(format!("{what}: {e}"))),
        Err(panic) => {
            let detail = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown fault".into());
            Err(failed(format!(
                "{what}: the workbook is malformed (the spreadsheet reader stopped: {detail})"
            )))
        }
    }
}

/// One worksheet's cells, read through [`guarded`].
pub(crate) fn worksheet<RS: Read + Seek>(
    wb: &mut Sheets<RS>,
    file: &Path,
    sheet: &str,
) -> Result<Range<Data>, SourceError> {
    guarded(file, &format!("sheet {sheet}"), || {
        wb.worksheet_range(sheet)
    })
}
