//! Opening and reading spreadsheets without letting the spreadsheet library crash the program.
//!
//! Why this file exists: calamine 0.32 panics on some malformed workbooks (a cell reference whose
//! row number overflows `u32`, found by the mutated-workbook property test). A bad input file must
//! end in a located error, never a panic, so every calamine call that parses file content goes
//! through [`guarded`], which turns such a panic into [`SourceError::Workbook`] naming the file.
//! An `.xlsx` sheet is read cell by cell and refused when a cell lies beyond a worksheet's limits
//! or the sheet's extent would need more than [`MAX_CELLS`] cells — calamine would otherwise
//! allocate the whole extent (hundreds of gigabytes for one bad cell reference) and abort.

use std::io::{Read, Seek};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use calamine::{Cell, Data, DataRef, Range, Reader, Sheets};

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

/// Excel's worksheet limits: 1,048,576 rows and 16,384 columns.
const MAX_ROWS: u32 = 1_048_576;
const MAX_COLUMNS: u32 = 16_384;
/// The largest extent (rows × columns) a sheet may span: far above any statistical table, far
/// below what would exhaust memory.
pub(crate) const MAX_CELLS: u64 = 20_000_000;

/// One worksheet's cells, read through [`guarded`] (`.xlsx`: cell by cell, with bounds).
pub(crate) fn worksheet<RS: Read + Seek>(
    wb: &mut Sheets<RS>,
    file: &Path,
    sheet: &str,
) -> Result<Range<Data>, SourceError> {
    let what = format!("sheet {sheet}");
    let Sheets::Xlsx(x) = wb else {
        return guarded(file, &what, || wb.worksheet_range(sheet));
    };
    let cells = guarded(file, &what, || -> Result<Vec<Cell<Data>>, String> {
        let mut reader = x.worksheet_cells_reader(sheet).map_err(|e| e.to_string())?;
        let mut cells = Vec::new();
        let (mut lo, mut hi) = ((u32::MAX, u32::MAX), (0u32, 0u32));
        while let Some(c) = reader.next_cell().map_err(|e| e.to_string())? {
            if matches!(c.get_value(), DataRef::Empty) {
                continue;
            }
            let (r, k) = c.get_position();
            if r >= MAX_ROWS || k >= MAX_COLUMNS {
                return Err(format!(
                    "a cell at row {} column {} lies beyond a worksheet's limits \
                     ({MAX_ROWS} rows, {MAX_COLUMNS} columns)",
                    u64::from(r) + 1,
                    u64::from(k) + 1
                ));
            }
            lo = (lo.0.min(r), lo.1.min(k));
            hi = (hi.0.max(r), hi.1.max(k));
            let extent = u64::from(hi.0 - lo.0 + 1) * u64::from(hi.1 - lo.1 + 1);
            if extent > MAX_CELLS {
                return Err(format!(
                    "the used cells span {extent} cells (rows {} to {}, columns {} to {}); \
                     at most {MAX_CELLS} are read",
                    lo.0 + 1,
                    hi.0 + 1,
                    lo.1 + 1,
                    hi.1 + 1
                ));
            }
            cells.push(Cell::new((r, k), Data::from(c.get_value().clone())));
        }
        Ok(cells)
    })?;
    Ok(Range::from_sparse(cells))
}
