//! Why this file exists: registry errors name file, line and field; planner errors say which
//! constraint makes a plan impossible.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("{file}:{line}:{column}: {field}: {message}")]
    Registry {
        file: PathBuf,
        line: u64,
        column: u64,
        field: String,
        message: String,
    },
    #[error("{0}")]
    Usage(String),
    #[error("infeasible: {0}")]
    Infeasible(String),
    #[error("{0}")]
    NoData(String),
    #[error("solver: {0}")]
    Solver(String),
}
