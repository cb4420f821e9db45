//! # lodestone-fetch — acquiring the official releases
//!
//! Why this crate exists: the embedded snapshot is small on purpose; the full data (BACI's
//! every flow, the newest USGS and World Bank releases, a user's own Comtrade queries) has to be
//! downloaded from its publishers, by the user, under the publishers' terms. This crate knows
//! where each release is and downloads it so that a broken link costs a restart, never a
//! corrupt file.
//!
//! A tour:
//!
//! * [`catalogue`] — [`Catalogue`]: the releases as data (`data/sources/releases.toml`, embedded):
//!   id, title, publisher, licence, URL template, file name, optional size and SHA-256, what
//!   it provides and which command reads it. [`Release::resolve`] fills a template from the
//!   user's parameters; [`with_mirror`] points the same path at another server.
//! * [`download`] — [`Downloader`]: HTTP(S) GET with bounded timeouts into `<target>.part`,
//!   resumed with `Range` (restarted when the server answers 200), verified against the
//!   catalogue, renamed into place only when whole. A key (Comtrade) travels in a header as a
//!   [`Secret`], never in a URL or a message.
//! * [`error`] — [`FetchError`]: typed failures, each naming its URL or path; the offline one
//!   reads "cannot reach HOST: REASON; check the network or download URL by hand into DIR".
//!
//! The client is `ureq` (blocking, rustls with ring, no gzip so byte ranges and checksums are
//! of the file as published). Front ends reach this crate through `lodestone-app`.

pub mod catalogue;
pub mod download;
pub mod error;

pub use catalogue::{host_of, with_mirror, Catalogue, Release, Resolved};
pub use download::{
    hash_file, part_path, Downloader, Options, Outcome, Progress, Request, Secret, Silent, Status,
};
pub use error::FetchError;
