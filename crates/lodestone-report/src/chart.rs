//! Why this file exists: the brief's bar chart — for each mineral, the share of world output from
//! China, the rest of the concern set, Central Asia and everyone else — drawn by plotters as SVG.

use plotters::prelude::*;
use std::sync::Once;

/// Registers the embedded DejaVu Sans as plotters' "sans-serif" (once per process).
pub fn ensure_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // Registration fails only for a malformed font; the crate ships a valid one.
        let _ = plotters::style::register_font(
            "sans-serif",
            FontStyle::Normal,
            dejavu::sans::regular(),
        );
        let _ = plotters::style::register_font("sans-serif", FontStyle::Bold, dejavu::sans::bold());
    });
}

/// One bar: a label and the segments (fractions of world output, in legend order).
pub struct Bar {
    pub label: String,
    pub segments: Vec<f64>,
}

pub const SEGMENT_COLOURS: [RGBColor; 4] = [
    RGBColor(200, 40, 40),
    RGBColor(240, 140, 60),
    RGBColor(40, 130, 90),
    RGBColor(190, 190, 200),
];

/// A stacked horizontal bar chart of shares (0–1) as an SVG string.
pub fn stacked_shares(title: &str, legend: &[&str], bars: &[Bar]) -> Result<String, String> {
    ensure_font();
    let height = 90 + 22 * bars.len() as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (860, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let n = bars.len().max(1) as f64;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(28)
            .y_label_area_size(170)
            .build_cartesian_2d(0.0f64..1.36f64, 0.0f64..n)
            .map_err(|e| e.to_string())?;
        let labels: Vec<String> = bars.iter().map(|b| b.label.clone()).collect();
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(WHITE)
            .x_labels(14)
            .x_label_formatter(&|x| {
                if *x <= 1.0 + 1e-9 {
                    format!("{:.0}%", x * 100.0)
                } else {
                    String::new()
                }
            })
            .y_labels(bars.len().max(1) * 2 + 1)
            .y_label_formatter(&|y| crate::chart::row_label(&labels, n, *y))
            .label_style(("sans-serif", 12))
            .draw()
            .map_err(|e| e.to_string())?;
        for (k, name) in legend.iter().enumerate() {
            let colour = SEGMENT_COLOURS[k % SEGMENT_COLOURS.len()];
            let rects = bars.iter().enumerate().filter_map(move |(i, b)| {
                let start: f64 = b.segments.iter().take(k).sum();
                let w = b.segments.get(k).copied().unwrap_or(0.0);
                let top = n - i as f64 - 0.15;
                (w > 0.0).then(|| {
                    Rectangle::new(
                        [(start, top), ((start + w).min(1.0), top - 0.7)],
                        colour.filled(),
                    )
                })
            });
            chart
                .draw_series(rects)
                .map_err(|e| e.to_string())?
                .label(*name)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 12, y + 5)], colour.filled())
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .label_font(("sans-serif", 12))
            .draw()
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// The label of the horizontal bar centred at `y` on an axis of `n` rows drawn top-down (bar `i`
/// spans n−i−1..n−i); empty between bars, so only one tick per bar is labelled.
pub(crate) fn row_label(labels: &[String], n: f64, y: f64) -> String {
    let i = (n - y - 0.5).round();
    if (n - y - 0.5 - i).abs() < 0.01 && i >= 0.0 {
        labels.get(i as usize).cloned().unwrap_or_default()
    } else {
        String::new()
    }
}
