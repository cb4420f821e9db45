//! # lodestone-report — HTML a reader opens offline
//!
//! * [`html`] — page assembly and escaping; every figure in a table links to its source;
//! * [`chart`] — charts drawn with the `plotters` crate into inline SVG (fonts embedded from the
//!   `dejavu` crate, so no system fonts are needed);
//! * [`simulation`] — the disruption report (map of losses, bands, changed links);
//! * [`map`] — a world choropleth from the project's own compact outline file (Natural Earth).

pub mod chart;
pub mod html;
pub mod map;
pub mod simulation;

pub use html::brief_html;
pub use simulation::simulation_html;
