//! Why this file exists: Arrow is the columnar form Python (pandas, polars, pyarrow) and Parquet
//! read without a per-row conversion; a table becomes one record batch, and a batch travels to
//! Python as an Arrow IPC stream.

use std::sync::Arc;

use arrow_array::{ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{ArrowError, DataType, Field, Schema};

use crate::table::{Table, Values};

/// The table as one Arrow record batch (every column nullable: a missing figure is null).
pub fn record_batch(t: &Table) -> Result<RecordBatch, ArrowError> {
    let fields: Vec<Field> = t
        .columns
        .iter()
        .map(|c| {
            let ty = match c.values {
                Values::Text(_) => DataType::Utf8,
                Values::Int(_) => DataType::Int64,
                Values::Float(_) => DataType::Float64,
                Values::Bool(_) => DataType::Boolean,
            };
            Field::new(&c.name, ty, true)
        })
        .collect();
    let arrays: Vec<ArrayRef> = t
        .columns
        .iter()
        .map(|c| -> ArrayRef {
            match &c.values {
                Values::Text(v) => Arc::new(StringArray::from(v.clone())),
                Values::Int(v) => Arc::new(Int64Array::from(v.clone())),
                Values::Float(v) => Arc::new(Float64Array::from(v.clone())),
                Values::Bool(v) => Arc::new(BooleanArray::from(v.clone())),
            }
        })
        .collect();
    let schema = Arc::new(Schema::new(fields));
    if arrays.is_empty() {
        return Ok(RecordBatch::new_empty(schema));
    }
    RecordBatch::try_new(schema, arrays)
}

/// The table as an Arrow IPC stream (what `pyarrow.ipc.open_stream` and
/// `polars.read_ipc_stream` read).
pub fn ipc_stream(t: &Table) -> Result<Vec<u8>, ArrowError> {
    let batch = record_batch(t)?;
    let mut w = arrow_ipc::writer::StreamWriter::try_new(Vec::new(), &batch.schema())?;
    w.write(&batch)?;
    w.into_inner()
}
