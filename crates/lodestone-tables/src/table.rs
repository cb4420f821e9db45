//! Why this file exists: a table whose columns keep their types (text, whole number, number,
//! yes/no), so a share stays a number in Parquet, Arrow and Excel instead of the display string
//! the terminal table prints.

use serde_json::Value;

/// One column's values; `None` is a missing figure, never a zero.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    Text(Vec<Option<String>>),
    Int(Vec<Option<i64>>),
    Float(Vec<Option<f64>>),
    Bool(Vec<Option<bool>>),
}

impl Values {
    pub fn len(&self) -> usize {
        match self {
            Values::Text(v) => v.len(),
            Values::Int(v) => v.len(),
            Values::Float(v) => v.len(),
            Values::Bool(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many rows hold a value.
    pub fn present(&self) -> usize {
        match self {
            Values::Text(v) => v.iter().flatten().count(),
            Values::Int(v) => v.iter().flatten().count(),
            Values::Float(v) => v.iter().flatten().count(),
            Values::Bool(v) => v.iter().flatten().count(),
        }
    }

    /// The name of the type, as the notes print it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Values::Text(_) => "text",
            Values::Int(_) => "integer",
            Values::Float(_) => "number",
            Values::Bool(_) => "boolean",
        }
    }
}

/// A named column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    pub values: Values,
}

/// A named table of equally long columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: String,
    pub columns: Vec<Column>,
}

impl Table {
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |c| c.values.len())
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// A table of text columns, for the sources and notes tables.
    pub fn text(name: &str, header: &[&str], rows: Vec<Vec<Option<String>>>) -> Table {
        let columns = header
            .iter()
            .enumerate()
            .map(|(i, h)| Column {
                name: (*h).to_string(),
                values: Values::Text(rows.iter().map(|r| r.get(i).cloned().flatten()).collect()),
            })
            .collect();
        Table {
            name: name.to_string(),
            columns,
        }
    }
}

/// A JSON scalar on its way into a column.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
}

impl Cell {
    /// A JSON scalar as a cell (arrays and objects are not cells; callers flatten them first).
    pub fn of(v: &Value) -> Cell {
        match v {
            Value::Null => Cell::Null,
            Value::Bool(b) => Cell::Bool(*b),
            Value::Number(n) => match (n.as_i64(), n.as_f64()) {
                (Some(i), _) if !n.is_f64() => Cell::Int(i),
                (_, Some(f)) => Cell::Float(f),
                _ => Cell::Text(n.to_string()),
            },
            Value::String(s) => Cell::Text(s.clone()),
            other => Cell::Text(other.to_string()),
        }
    }

    fn text(&self) -> Option<String> {
        match self {
            Cell::Null => None,
            Cell::Bool(b) => Some(b.to_string()),
            Cell::Int(i) => Some(i.to_string()),
            Cell::Float(f) => Some(f.to_string()),
            Cell::Text(s) => Some(s.clone()),
        }
    }
}

/// Builds a table row by row; a column's type is the narrowest that holds every value (whole
/// numbers and numbers make a number column; anything with text makes a text column; a column
/// with no value at all is text).
#[derive(Debug, Default)]
pub struct Builder {
    names: Vec<String>,
    cells: Vec<Vec<Cell>>,
    rows: usize,
}

impl Builder {
    /// Appends a row of (column, cell) pairs; columns are added in order of first appearance,
    /// and a row without a column leaves it empty.
    pub fn push(&mut self, row: Vec<(String, Cell)>) {
        for (name, cell) in row {
            let at = match self.names.iter().position(|n| *n == name) {
                Some(i) => i,
                None => {
                    self.names.push(name);
                    self.cells.push(vec![Cell::Null; self.rows]);
                    self.names.len() - 1
                }
            };
            let col = &mut self.cells[at];
            col.resize(self.rows, Cell::Null);
            col.push(cell);
        }
        self.rows += 1;
        for col in &mut self.cells {
            col.resize(self.rows, Cell::Null);
        }
    }

    pub fn finish(self, name: &str) -> Table {
        let columns = self
            .names
            .into_iter()
            .zip(self.cells)
            .map(|(name, cells)| Column {
                name,
                values: typed(cells),
            })
            .collect();
        Table {
            name: name.to_string(),
            columns,
        }
    }
}

fn typed(cells: Vec<Cell>) -> Values {
    let kinds = |p: fn(&Cell) -> bool| cells.iter().all(|c| matches!(c, Cell::Null) || p(c));
    let any = cells.iter().any(|c| !matches!(c, Cell::Null));
    if any && kinds(|c| matches!(c, Cell::Bool(_))) {
        return Values::Bool(
            cells
                .iter()
                .map(|c| match c {
                    Cell::Bool(b) => Some(*b),
                    _ => None,
                })
                .collect(),
        );
    }
    if any && kinds(|c| matches!(c, Cell::Int(_))) {
        return Values::Int(
            cells
                .iter()
                .map(|c| match c {
                    Cell::Int(i) => Some(*i),
                    _ => None,
                })
                .collect(),
        );
    }
    if any && kinds(|c| matches!(c, Cell::Int(_) | Cell::Float(_))) {
        return Values::Float(
            cells
                .iter()
                .map(|c| match c {
                    Cell::Int(i) => Some(*i as f64),
                    Cell::Float(f) => Some(*f),
                    _ => None,
                })
                .collect(),
        );
    }
    Values::Text(cells.iter().map(Cell::text).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_take_the_narrowest_type_and_missing_stays_missing() {
        let mut b = Builder::default();
        b.push(vec![
            ("n".into(), Cell::Int(1)),
            ("x".into(), Cell::Float(0.5)),
        ]);
        b.push(vec![
            ("n".into(), Cell::Float(2.5)),
            ("t".into(), Cell::Bool(true)),
        ]);
        b.push(vec![("x".into(), Cell::Null)]);
        let t = b.finish("t");
        assert_eq!(t.rows(), 3);
        assert_eq!(
            t.column("n").unwrap().values,
            Values::Float(vec![Some(1.0), Some(2.5), None])
        );
        assert_eq!(
            t.column("x").unwrap().values,
            Values::Float(vec![Some(0.5), None, None])
        );
        assert_eq!(
            t.column("t").unwrap().values,
            Values::Bool(vec![None, Some(true), None])
        );
    }

    #[test]
    fn mixed_text_and_numbers_make_text_and_an_empty_column_is_text() {
        let mut b = Builder::default();
        b.push(vec![("a".into(), Cell::Int(3)), ("e".into(), Cell::Null)]);
        b.push(vec![("a".into(), Cell::Text("n/a".into()))]);
        let t = b.finish("t");
        assert_eq!(
            t.column("a").unwrap().values,
            Values::Text(vec![Some("3".into()), Some("n/a".into())])
        );
        assert_eq!(
            t.column("e").unwrap().values,
            Values::Text(vec![None, None])
        );
    }
}
