//! Why this file exists: a row label such as "Chinae", "United States1", "Brazil (beneficiated)9",
//! "World total (rounded)10" or "Other countries6" carries a country, an estimate mark, a footnote
//! number and a qualifier, all glued together.

use lodestone_model::{CountryRegistry, Scope};

/// What a row label says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub scope: Scope,
    /// ISO3 when `scope` is [`Scope::Country`].
    pub iso3: String,
    /// The label marked the figure as estimated (a trailing "e").
    pub estimated: bool,
    /// Footnote number glued to the label, if any.
    pub footnote: Option<String>,
    /// Text qualifying the row ("crude ore", "beneficiated", "rounded").
    pub qualifier: Option<String>,
    /// True when the label could not be resolved to a country or a known aggregate row.
    pub unresolved: bool,
}

fn clean(label: &str) -> String {
    label
        .replace(['\u{a0}', '\u{feff}'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Former states that long series still list; they resolve to no current country and are kept
/// as aggregate rows without being reported as unresolved.
pub const FORMER_STATES: [&str; 8] = [
    "ussr",
    "yugoslavia",
    "czechoslovakia",
    "german dem. rep",
    "germany, fed. rep",
    "yemen arab republic",
    "yemen, people",
    "serbia and montenegro",
];

/// Splits a row label and resolves it against the country registry.
pub fn parse_label(raw: &str, countries: &CountryRegistry) -> Label {
    let mut text = clean(raw);
    let mut footnote = None;
    let digits: String = text
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    if !digits.is_empty() && digits.len() < text.len() {
        footnote = Some(digits.chars().rev().collect());
        text.truncate(text.len() - digits.len());
        text = text.trim_end().to_string();
    }
    let lower = text.to_lowercase();
    let mut label = Label {
        scope: Scope::Country,
        iso3: String::new(),
        estimated: false,
        footnote,
        qualifier: None,
        unresolved: false,
    };
    if lower.starts_with("world") || lower == "total" || lower.starts_with("total ") {
        label.scope = Scope::World;
        label.qualifier = qualifier_of(&text);
        return label;
    }
    if lower.starts_with("other") {
        label.scope = Scope::Other;
        label.qualifier = qualifier_of(&text);
        return label;
    }
    // Try the whole label, then without a trailing "e" (estimate mark), then the part before a
    // parenthesis or a comma (the rest is a qualifier), each again without a trailing "e".
    let mut candidates: Vec<(String, Option<String>)> = vec![(text.clone(), None)];
    if let Some(i) = text.find('(') {
        candidates.push((text[..i].trim().to_string(), qualifier_of(&text)));
    }
    if let Some(i) = text.find(',') {
        candidates.push((
            text[..i].trim().to_string(),
            Some(text[i + 1..].trim().to_string()),
        ));
    }
    for (name, qualifier) in candidates {
        if let Some(c) = countries.resolve(&name) {
            label.iso3 = c.iso3.clone();
            label.qualifier = qualifier;
            return label;
        }
        if let Some(stem) = name.strip_suffix('e') {
            if let Some(c) = countries.resolve(stem) {
                label.iso3 = c.iso3.clone();
                label.estimated = true;
                label.qualifier = qualifier;
                return label;
            }
        }
    }
    label.scope = Scope::Aggregate;
    label.unresolved =
        !lower.contains(" and ") && !FORMER_STATES.iter().any(|f| lower.starts_with(f));
    label
}

fn qualifier_of(text: &str) -> Option<String> {
    let open = text.find('(')?;
    let close = text[open..].find(')').map(|c| open + c)?;
    Some(text[open + 1..close].trim().to_string())
}
