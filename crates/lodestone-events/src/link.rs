//! Why this file exists: an extracted export control becomes a scenario file for the cascade
//! model; an extracted financing or project event is matched to a known project.

use crate::event::Event;
use crate::extract::Candidate;

/// A scenario file (TOML text) for an extracted export control: the first country named is taken
/// as the origin; every commodity named gets a shock; the magnitude is a stated placeholder.
pub fn scenario_toml(c: &Candidate, magnitude: f64) -> Option<String> {
    if c.kind != "export-control" || c.commodities.is_empty() {
        return None;
    }
    let origin = c.countries.first()?;
    let mut s = format!(
        "# Drafted by `lodestone events extract` from: {}\n# The magnitude ({magnitude}) is an assumption to review; targets are not inferred.\nname = {:?}\ndescription = {:?}\n",
        c.sentence.replace('\n', " "),
        format!("Extracted export control: {origin} on {}", c.commodities.join(", ")),
        c.sentence.replace('\n', " "),
    );
    for commodity in &c.commodities {
        s.push_str(&format!(
            "\n[[shock]]\norigin = {origin:?}\ncommodity = {commodity:?}\nkind = \"exports\"\nmagnitude = {magnitude}\n"
        ));
    }
    Some(s)
}

/// Known projects (ids from the registry) whose organisations or commodity and country the
/// candidate names.
pub fn match_projects<'a>(c: &Candidate, registry: &'a [Event]) -> Vec<&'a str> {
    let mut out: Vec<&str> = registry
        .iter()
        .filter_map(|e| {
            let p = e.project.as_deref()?;
            let org_match = e.organisations.iter().any(|o| {
                c.organisations.contains(o)
                    && !o.contains("Export-Import")
                    && !o.contains("Development Finance")
            });
            let place_match = e.commodities.iter().any(|x| c.commodities.contains(x))
                && e.countries
                    .iter()
                    .any(|x| c.countries.contains(x) && x != "USA");
            (org_match || place_match).then_some(p)
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}
