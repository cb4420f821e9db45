//! Why this file exists: the one error vocabulary every Lodestone crate speaks.
//!
//! - [`Located`] — a problem at a place in a text file: file, line, column, the field it concerns
//!   and what is wrong. Every reader (CSV rows, TOML registries, scenarios) reports through it.
//! - [`ErrorKind`] — what kind of failure an error is. Front ends turn a kind into an exit code or
//!   an HTTP status with one `match` each; crate errors expose theirs through `kind()`.
//! - [`ModelError`] — the model crate's own errors.

use std::fmt;
use std::path::{Path, PathBuf};

/// What kind of failure an error is, independent of the crate that raised it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// A name (commodity, country, group, stage, scenario) the data does not know.
    NotFound,
    /// A malformed or out-of-bounds request or input file.
    Invalid,
    /// A well-formed question the data cannot answer (no year, no stage, no trade).
    NoData,
    /// A well-formed plan whose caps and floors cannot all hold.
    Infeasible,
    /// A well-formed request whose estimated cost is over the budget of the front end running it.
    OverBudget,
    /// A computation stopped because nobody waits for its result any more.
    Cancelled,
    /// A failure of the program or of its own embedded data.
    Internal,
}

impl ErrorKind {
    /// The kind as it appears in JSON error bodies.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "not_found",
            ErrorKind::Invalid => "invalid",
            ErrorKind::NoData => "no_data",
            ErrorKind::Infeasible => "infeasible",
            ErrorKind::OverBudget => "over_budget",
            ErrorKind::Cancelled => "cancelled",
            ErrorKind::Internal => "internal",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A problem at a place in a text file (1-based line and column; 0 = unknown / whole line).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Located {
    pub file: PathBuf,
    pub line: u64,
    pub column: u64,
    /// The field, column or section concerned ("" when the whole line is).
    pub field: String,
    pub message: String,
}

impl Located {
    pub fn new(
        file: impl Into<PathBuf>,
        line: u64,
        column: u64,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Located {
            file: file.into(),
            line,
            column,
            field: field.into(),
            message: message.into(),
        }
    }

    /// A problem at byte offset `at` of `text`, the contents of `file`.
    pub fn at_offset(
        file: impl Into<PathBuf>,
        text: &str,
        at: usize,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        let (line, column) = line_col(text, at);
        Located::new(file, line, column, field, message)
    }

    /// A TOML syntax or type error in `text`, the contents of `file`.
    pub fn toml(
        file: impl Into<PathBuf>,
        text: &str,
        e: &toml::de::Error,
        field: impl Into<String>,
    ) -> Self {
        let at = e.span().map_or(usize::MAX, |s| s.start);
        let (line, column) = if at == usize::MAX {
            (0, 0)
        } else {
            line_col(text, at)
        };
        Located::new(file, line, column, field, e.message().trim())
    }

    /// "expected …, found …" at a place.
    pub fn expected(
        file: impl Into<PathBuf>,
        line: u64,
        column: u64,
        expected: impl fmt::Display,
        found: impl fmt::Debug,
    ) -> Self {
        Located::new(
            file,
            line,
            column,
            "",
            format!("expected {expected}, found {found:?}"),
        )
    }
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        if !self.field.is_empty() {
            write!(f, ": {}", one_line(&self.field))?;
        }
        write!(f, ": {}", one_line(&self.message))
    }
}

/// A text file being checked, so its readers locate problems by byte span with one call.
#[derive(Debug, Clone, Copy)]
pub struct TextFile<'a> {
    pub file: &'a Path,
    pub text: &'a str,
}

impl TextFile<'_> {
    /// A problem with `field` at the start of `span`, as any error type that wraps [`Located`].
    pub fn err<T, E: From<Located>>(
        &self,
        span: std::ops::Range<usize>,
        field: &str,
        message: impl Into<String>,
    ) -> Result<T, E> {
        Err(Located::at_offset(self.file, self.text, span.start, field, message).into())
    }

    /// A registry entry's `id` must equal its file name (`cove-kaz-tungsten.toml` →
    /// `cove-kaz-tungsten`), so the two can never drift apart.
    pub fn id_is_file_name<E: From<Located>>(&self, id: &toml::Spanned<String>) -> Result<(), E> {
        let stem = self
            .file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        if id.get_ref() != stem {
            return self.err(
                id.span(),
                "id",
                format!("the id must equal the file name ({stem})"),
            );
        }
        Ok(())
    }

    /// Parses the file as TOML into `T`, locating a syntax or type error.
    pub fn toml<T: serde::de::DeserializeOwned>(&self, section: &str) -> Result<T, Located> {
        toml::from_str(self.text).map_err(|e| Located::toml(self.file, self.text, &e, section))
    }
}

/// A message as one line: parsers' multi-line messages (a TOML error's snippet, a list of
/// choices) folded at their line breaks, so every error is one line a log or a terminal keeps.
pub fn one_line(message: &str) -> String {
    if !message.contains(['\n', '\r']) {
        return message.trim().to_string();
    }
    message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

/// 1-based line and column (in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (u64, u64) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() as u64 + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u64 + 1;
    (line, col)
}

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error(transparent)]
    Parse(#[from] Located),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("unknown {kind} {name:?}{}", crate::suggest::did_you_mean(.suggestions))]
    Unknown {
        kind: &'static str,
        name: String,
        suggestions: Vec<String>,
    },
    /// A value outside a closed vocabulary (a status, an event type).
    #[error("unknown {kind} {found:?}; valid choices: {}{}", .choices.join(", "), crate::suggest::did_you_mean(.suggestions))]
    NotOneOf {
        kind: &'static str,
        found: String,
        choices: Vec<&'static str>,
        suggestions: Vec<String>,
    },
    #[error("cannot combine {left} with {right}: {why}")]
    Incompatible {
        left: String,
        right: String,
        why: String,
    },
    #[error("snapshot: {0}")]
    Snapshot(String),
}

impl ModelError {
    pub fn parse(
        file: impl Into<PathBuf>,
        line: u64,
        column: u64,
        expected: impl Into<String>,
        found: impl Into<String>,
    ) -> Self {
        ModelError::Parse(Located::expected(
            file,
            line,
            column,
            expected.into(),
            found.into(),
        ))
    }

    /// `found` is none of `choices`; the error lists them and the closest.
    pub fn not_one_of(
        kind: &'static str,
        found: &str,
        choices: impl IntoIterator<Item = &'static str>,
    ) -> Self {
        let choices: Vec<&'static str> = choices.into_iter().collect();
        ModelError::NotOneOf {
            kind,
            found: found.to_string(),
            suggestions: crate::suggest::closest(found, choices.iter().copied(), 3),
            choices,
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            ModelError::Unknown { .. } => ErrorKind::NotFound,
            ModelError::Parse(_)
            | ModelError::Incompatible { .. }
            | ModelError::NotOneOf { .. } => ErrorKind::Invalid,
            ModelError::Io { .. } | ModelError::Snapshot(_) => ErrorKind::Internal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn located_prints_file_line_column_field() {
        let text = "a = 1\nb = \"x\"\n";
        let e = Located::at_offset("s.toml", text, text.find('"').unwrap(), "b", "not a number");
        assert_eq!(e.to_string(), "s.toml:2:5: b: not a number");
        let whole = Located::new("t.csv", 0, 0, "", "empty file");
        assert_eq!(whole.to_string(), "t.csv: empty file");
    }

    #[test]
    fn line_col_survives_offsets_inside_a_character() {
        let text = "é\nx";
        assert_eq!(line_col(text, 1), (1, 1));
        assert_eq!(line_col(text, 99), (2, 2));
    }
}
