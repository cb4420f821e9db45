//! Why this file exists: "did you mean ..." for every lookup by name (countries, commodities, stages).

/// Up to `limit` candidates closest to `query` (case-insensitive), best first.
pub fn closest<'a, I>(query: &str, candidates: I, limit: usize) -> Vec<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let q = query.to_lowercase();
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| {
            let lc = c.to_lowercase();
            let mut s = strsim::jaro_winkler(&q, &lc);
            if !q.is_empty() && (lc.starts_with(&q) || lc.contains(&q)) {
                s += 0.2;
            }
            // Short names (group ids, ISO codes): one edit away is close enough.
            if strsim::levenshtein(&q, &lc) <= 1 + q.chars().count() / 4 {
                s = s.max(0.75);
            }
            (s, c)
        })
        .filter(|(s, _)| *s > 0.70)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    let mut out: Vec<String> = Vec::new();
    for (_, c) in scored {
        if !out.iter().any(|o| o == c) {
            out.push(c.to_string());
        }
        if out.len() == limit {
            break;
        }
    }
    out
}

/// Renders suggestions as "; did you mean a, b or c?" (empty when there are none).
pub fn did_you_mean(suggestions: &[String]) -> String {
    match suggestions {
        [] => String::new(),
        [one] => format!("; did you mean {one}?"),
        [init @ .., last] => format!("; did you mean {} or {last}?", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_near_misses_first() {
        let c = ["tungsten", "antimony", "tin", "titanium"];
        let s = closest("tungstn", c, 3);
        assert_eq!(s.first().map(String::as_str), Some("tungsten"));
        assert_eq!(closest("c6", ["c5", "g7", "eu27"], 3), vec!["c5"]);
        assert_eq!(
            did_you_mean(&["a".into(), "b".into(), "c".into()]),
            "; did you mean a, b or c?"
        );
        assert_eq!(did_you_mean(&[]), "");
    }
}
