//! Why this file exists: a world choropleth drawn with plotters from the project's compact outline
//! file — equirectangular, Antarctica left out, outlines already split at the date line.

use plotters::prelude::*;

use lodestone_model::dataset::CountryShape;

use crate::chart::ensure_font;

/// A colour class: its legend text, its colour, and the countries in it.
pub struct Class {
    pub label: String,
    pub colour: RGBColor,
}

/// Draws `shapes` filled by `class_of(iso3)` (an index into `classes`, `None` = no data), with the
/// countries in `outline` stroked in red.
pub fn choropleth(
    title: &str,
    shapes: &[CountryShape],
    classes: &[Class],
    class_of: &dyn Fn(&str) -> Option<usize>,
    outline: &[String],
) -> Result<String, String> {
    ensure_font();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (960, 520)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 16))
            .margin(8)
            .build_cartesian_2d(-170.0f64..190.0f64, -58.0f64..84.0f64)
            .map_err(|e| e.to_string())?;
        let no_data = RGBColor(235, 235, 235);
        for sh in shapes.iter().filter(|s| s.iso3 != "ATA") {
            let fill = class_of(&sh.iso3)
                .and_then(|i| classes.get(i))
                .map_or(no_data, |c| c.colour);
            for ring in &sh.rings {
                let pts: Vec<(f64, f64)> =
                    ring.iter().map(|(x, y)| (*x as f64, *y as f64)).collect();
                chart
                    .draw_series(std::iter::once(Polygon::new(pts.clone(), fill.filled())))
                    .map_err(|e| e.to_string())?;
                let stroke = if outline.iter().any(|o| o == sh.iso3.as_str()) {
                    RGBColor(200, 0, 0).stroke_width(2)
                } else {
                    RGBColor(255, 255, 255).stroke_width(1)
                };
                let mut closed = pts;
                if let Some(first) = closed.first().copied() {
                    closed.push(first);
                }
                chart
                    .draw_series(std::iter::once(PathElement::new(closed, stroke)))
                    .map_err(|e| e.to_string())?;
            }
        }
        for (i, c) in classes.iter().enumerate() {
            let y = -30.0 - 5.5 * i as f64;
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(-165.0, y), (-158.0, y - 4.0)],
                    c.colour.filled(),
                )))
                .map_err(|e| e.to_string())?;
            chart
                .draw_series(std::iter::once(Text::new(
                    c.label.clone(),
                    (-155.0, y + 0.5),
                    ("sans-serif", 12),
                )))
                .map_err(|e| e.to_string())?;
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}
