//! Why this file exists: `lodestone data fetch` — parses nothing itself (the query is
//! `lodestone_app::fetch::FetchQuery`) and renders: the catalogue for `--list`, a progress bar
//! while downloading, and what arrived and what reads it next.

use std::path::Path;

use lodestone_app::fetch::{Catalogue, Progress, Status};

use super::Result;
use crate::cli::{DataFetchArgs, Format};
use crate::output::{print, print_json};

/// The shared progress bar (hidden with --quiet, when stderr is not a terminal, and for
/// downloads done within a second).
struct Bar(indicatif::ProgressBar);

impl Bar {
    fn new() -> Self {
        Bar(crate::output::progress_bar(
            0,
            "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
        ))
    }
}

impl Progress for Bar {
    fn start(&self, total: Option<u64>, done: u64) {
        match total {
            Some(t) => self.0.set_length(t),
            None => self.0.set_style(
                indicatif::ProgressStyle::with_template("{spinner} {bytes} {bytes_per_sec}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            ),
        }
        self.0.set_position(done);
    }

    fn advance(&self, done: u64) {
        self.0.set_position(done);
    }
}

pub fn run(data: Option<&Path>, a: &DataFetchArgs) -> Result<()> {
    let catalogue = lodestone_app::fetch::catalogue(data)?;
    if a.query.list {
        return list(&catalogue, a.format);
    }
    let bar = Bar::new();
    let result = lodestone_app::fetch::fetch(&catalogue, &a.query, &bar);
    bar.0.finish_and_clear();
    let fetched = result?;
    if a.format == Format::Json {
        return print_json(&fetched);
    }
    let o = &fetched.outcome;
    let how = match o.status {
        Status::Downloaded => "downloaded".to_string(),
        Status::Resumed { from } => format!("resumed from byte {from}"),
        Status::Restarted { discarded } => format!(
            "restarted: the server ignored the range, {discarded} bytes of an earlier part dropped"
        ),
        Status::AlreadyPresent => "already present, not downloaded again".to_string(),
    };
    let check = if o.verified {
        "matches the catalogue's SHA-256"
    } else {
        "no published checksum to compare with"
    };
    let r = &fetched.release;
    print(&format!(
        "{}: {} bytes, {how}\n  from     {}\n  sha256   {} ({check})\n  release  {} — {}\n  licence  {}\n  next     {}\n",
        o.path.display(),
        o.bytes,
        fetched.url,
        o.sha256,
        r.id,
        r.title,
        r.licence,
        r.used_by
    ))
}

fn list(catalogue: &Catalogue, format: Format) -> Result<()> {
    if format == Format::Json {
        return print_json(catalogue);
    }
    let mut s = String::new();
    for r in &catalogue.releases {
        let params: Vec<String> = r
            .params
            .iter()
            .map(|(k, v)| format!("--{k} {v} (default)"))
            .chain(r.required.iter().map(|k| format!("--{k} (required)")))
            .chain(r.auth_env.iter().map(|e| format!("--api-key or ${e}")))
            .collect();
        s.push_str(&format!("{}  {}\n", r.id, r.title));
        s.push_str(&format!("  publisher  {}\n", r.publisher));
        s.push_str(&format!("  licence    {}\n", r.licence));
        s.push_str(&format!("  url        {}\n", r.url));
        if !params.is_empty() {
            s.push_str(&format!("  takes      {}\n", params.join(", ")));
        }
        s.push_str(&format!("  provides   {}\n", r.provides));
        s.push_str(&format!("  used by    {}\n\n", r.used_by));
    }
    print(&s)
}
