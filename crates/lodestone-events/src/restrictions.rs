//! Why this file exists: the EU supply-risk method weighs each supplier by its export
//! restrictions (the trade factor t). The events registry records export controls with their
//! measure (ban, quota, tax, licensing), their date in force and the later events that suspend
//! them; this file answers "which restrictions were in force on a given day".

use chrono::NaiveDate;

use lodestone_model::Restriction;

use crate::event::{parse_date, Event, EventKind};

/// The export restrictions in force on `on`: export controls with a measure, in effect by then
/// (their `effective` date, else their date), not suspended by an event dated on or before it.
/// One restriction per restricting country and commodity (the countries an event names that are
/// not its targets).
pub fn in_force(events: &[Event], on: NaiveDate) -> Vec<Restriction> {
    let suspended = |id: &str| {
        events.iter().any(|e| {
            e.suspends.iter().any(|s| s == id) && parse_date(&e.date).is_some_and(|d| d <= on)
        })
    };
    let mut out = Vec::new();
    for e in events {
        let (Some(measure), EventKind::ExportControl) = (e.measure, e.kind) else {
            continue;
        };
        let since = e.effective.as_deref().unwrap_or(&e.date);
        if parse_date(since).is_none_or(|d| d > on) || suspended(&e.id) {
            continue;
        }
        for country in e.countries.iter().filter(|c| !e.targets.contains(c)) {
            for commodity in &e.commodities {
                out.push(Restriction {
                    country: country.clone(),
                    commodity: commodity.clone(),
                    measure,
                    since: since.to_string(),
                    event: e.id.clone(),
                    targets: e.targets.clone(),
                    stage: e.stage,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// The committed registry, its names checked against the reference files.
    fn registry() -> Vec<Event> {
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
        let ds = lodestone_formats::read_reference(&data).unwrap();
        crate::event::load_registry(&data.join("events"), &ds).unwrap()
    }

    #[test]
    fn controls_come_into_force_and_are_suspended() {
        let events = registry();
        let day = |s: &str| parse_date(s).unwrap();
        let has = |r: &[Restriction], c: &str, m: &str| {
            r.iter().any(|x| x.country == c && x.commodity == m)
        };
        // Before 1 August 2023 China's gallium licensing is announced but not in force.
        assert!(!has(
            &in_force(&events, day("2023-07-15")),
            "CHN",
            "gallium"
        ));
        let end_2024 = in_force(&events, day("2024-12-31"));
        assert!(has(&end_2024, "CHN", "gallium") && has(&end_2024, "IDN", "nickel"));
        // The ban aimed at the United States restricts China, not the United States.
        let ban: Vec<&Restriction> = end_2024
            .iter()
            .filter(|r| r.event == "2024-12-03-cn-us-ban-gallium-germanium-antimony")
            .collect();
        assert!(
            !ban.is_empty()
                && ban
                    .iter()
                    .all(|r| r.country == "CHN" && r.targets == ["USA"])
        );
        // Suspended on 9 November 2025.
        let later = in_force(&events, day("2025-12-01"));
        assert!(!later
            .iter()
            .any(|r| r.event == "2024-12-03-cn-us-ban-gallium-germanium-antimony"));
    }
}
