//! # lodestone-events — what was announced
//!
//! * [`event`] — the event registry (`data/events/*.toml`): export controls, sanctions,
//!   partnerships, financing, offtakes, investments, tariffs, milestones, policy lists;
//! * [`input`] — turning article bytes (text or HTML) into text, refusing empty, binary, non-UTF-8
//!   or oversized input;
//! * [`gazetteer`] — countries (names, aliases, demonyms, capitals, leaders), groups, commodities
//!   and organisations found by lookup (`data/gazetteer/`);
//! * [`mod@extract`] — amounts, dates (relative ones resolved against the publication date),
//!   sentences, and candidate events with evidence spans and confidence, from trigger phrases;
//! * [`eval`] — precision and recall against hand-labelled articles;
//! * [`link`] — export controls to scenario files, financing to known projects;
//! * [`restrictions`] — the export restrictions in force on a day (for the EU method's t).

pub mod error;
pub mod eval;
pub mod event;
pub mod extract;
pub mod gazetteer;
pub mod input;
pub mod link;
pub mod restrictions;

pub use error::EventError;
pub use event::{load_registry, Event, Filter};
pub use extract::{extract, Extraction};
pub use gazetteer::Gazetteer;
