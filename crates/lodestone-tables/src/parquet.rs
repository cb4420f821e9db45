//! Why this file exists: Parquet files of a table, byte-for-byte the same for the same table
//! (the writer's name is fixed, so an upgrade of the library does not change the bytes, and no
//! time is stamped), so a distributed sweep can be compared with a local one file by file.

use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;

use crate::arrow::record_batch;
use crate::table::Table;

/// What the files say wrote them.
const CREATED_BY: &str = concat!("lodestone ", env!("CARGO_PKG_VERSION"));

/// The table as a Parquet file (Snappy-compressed), with `metadata` as the file's key-value
/// metadata (the notes: command, method, coverage).
pub fn parquet(t: &Table, metadata: &[(String, String)]) -> Result<Vec<u8>, ParquetError> {
    let batch = record_batch(t).map_err(|e| ParquetError::General(e.to_string()))?;
    let kv = metadata
        .iter()
        .map(|(k, v)| parquet::file::metadata::KeyValue::new(k.clone(), v.clone()))
        .collect();
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_created_by(CREATED_BY.to_string())
        .set_key_value_metadata(Some(kv))
        .build();
    let mut w = ArrowWriter::try_new(Vec::new(), batch.schema(), Some(props))?;
    w.write(&batch)?;
    w.into_inner()
}
