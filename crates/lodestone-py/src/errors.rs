//! Why this file exists: a Lodestone error reaches Python as an exception of its kind, carrying
//! the message the CLI prints after "error: " (the same words on every front end).

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

use lodestone_app::{AppError, ErrorKind};

create_exception!(
    lodestone,
    LodestoneError,
    PyException,
    "Every Lodestone error; the message is the CLI's."
);
create_exception!(
    lodestone,
    NotFoundError,
    LodestoneError,
    "A commodity, country, group or scenario that does not exist (the message suggests names)."
);
create_exception!(
    lodestone,
    InvalidInputError,
    LodestoneError,
    "A malformed argument, scenario or spec (CLI exit code 2, HTTP 400)."
);
create_exception!(
    lodestone,
    NoDataError,
    LodestoneError,
    "The data hold no figure for what was asked (never answered with a silent zero)."
);
create_exception!(
    lodestone,
    InfeasibleError,
    LodestoneError,
    "A sourcing plan whose caps and floors cannot all hold."
);
create_exception!(
    lodestone,
    OverBudgetError,
    LodestoneError,
    "Work beyond the limits (draws, simulation work); the message says what fits."
);
create_exception!(
    lodestone,
    CancelledError,
    LodestoneError,
    "Work stopped before it finished."
);
create_exception!(
    lodestone,
    InternalError,
    LodestoneError,
    "A fault in Lodestone itself; please report it."
);

/// The exception for an error of the use-case layer.
pub fn to_py(e: AppError) -> PyErr {
    let m = e.message;
    match e.kind {
        ErrorKind::NotFound => NotFoundError::new_err(m),
        ErrorKind::Invalid => InvalidInputError::new_err(m),
        ErrorKind::NoData => NoDataError::new_err(m),
        ErrorKind::Infeasible => InfeasibleError::new_err(m),
        ErrorKind::OverBudget => OverBudgetError::new_err(m),
        ErrorKind::Cancelled => CancelledError::new_err(m),
        ErrorKind::Internal => InternalError::new_err(m),
    }
}

/// Registers the exception classes on the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("LodestoneError", py.get_type::<LodestoneError>())?;
    m.add("NotFoundError", py.get_type::<NotFoundError>())?;
    m.add("InvalidInputError", py.get_type::<InvalidInputError>())?;
    m.add("NoDataError", py.get_type::<NoDataError>())?;
    m.add("InfeasibleError", py.get_type::<InfeasibleError>())?;
    m.add("OverBudgetError", py.get_type::<OverBudgetError>())?;
    m.add("CancelledError", py.get_type::<CancelledError>())?;
    m.add("InternalError", py.get_type::<InternalError>())?;
    Ok(())
}
