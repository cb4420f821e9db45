//! Why this file exists: static maps need country outlines; the Natural Earth low-resolution
//! GeoJSON is turned into Lodestone's own compact file (0.1° grid, tiny slivers dropped).

use serde_json::Value;
use std::path::Path;

use lodestone_model::dataset::CountryShape;
use lodestone_model::CountryRegistry;

use crate::error::SourceError;
use crate::record::ReadReport;

fn ring(coords: &Value) -> Option<Vec<(f32, f32)>> {
    let mut pts: Vec<(f32, f32)> = Vec::new();
    for p in coords.as_array()? {
        let a = p.as_array()?;
        let x = a.first()?.as_f64()?;
        let y = a.get(1)?.as_f64()?;
        let q = (
            ((x * 10.0).round() / 10.0) as f32,
            ((y * 10.0).round() / 10.0) as f32,
        );
        if pts.last() != Some(&q) {
            pts.push(q);
        }
    }
    (pts.len() >= 4).then_some(pts)
}

/// Reads a GeoJSON FeatureCollection whose feature ids are ISO3 codes.
pub fn read_geojson(
    path: &Path,
    bytes: &[u8],
    countries: &CountryRegistry,
) -> Result<(Vec<CountryShape>, ReadReport), SourceError> {
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| {
        SourceError::parse(
            path,
            e.line() as u64,
            e.column() as u64,
            "GeoJSON",
            e.to_string(),
        )
    })?;
    let features = doc
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            SourceError::parse(path, 1, 1, "a FeatureCollection", "no features array")
        })?;
    let mut out = Vec::new();
    let mut report = ReadReport::default();
    for (i, f) in features.iter().enumerate() {
        let id = f.get("id").and_then(Value::as_str).unwrap_or("");
        let name = f
            .pointer("/properties/name")
            .and_then(Value::as_str)
            .unwrap_or("");
        let iso3 = match countries.by_iso3(id).or_else(|| countries.resolve(name)) {
            Some(c) => c.iso3.clone(),
            None => {
                report
                    .unresolved_labels
                    .push((format!("{id} {name}"), i as u32 + 1));
                continue;
            }
        };
        let geom = f.get("geometry").unwrap_or(&Value::Null);
        let kind = geom.get("type").and_then(Value::as_str).unwrap_or("");
        let coords = geom.get("coordinates").unwrap_or(&Value::Null);
        let polygons: Vec<&Value> = match kind {
            "Polygon" => vec![coords],
            "MultiPolygon" => coords
                .as_array()
                .map(|a| a.iter().collect())
                .unwrap_or_default(),
            _ => {
                report
                    .skipped
                    .push((i as u32 + 1, format!("{iso3}: geometry {kind:?}")));
                continue;
            }
        };
        let mut rings = Vec::new();
        for poly in polygons {
            // The outer ring only: holes (lakes) are invisible at this scale.
            if let Some(r) = poly.as_array().and_then(|a| a.first()).and_then(ring) {
                rings.push(r);
            }
        }
        if !rings.is_empty() {
            out.push(CountryShape {
                iso3: iso3.into(),
                rings,
            });
        }
    }
    out.sort_by(|a, b| a.iso3.cmp(&b.iso3));
    Ok((out, report))
}
