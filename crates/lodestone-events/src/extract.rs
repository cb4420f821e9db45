//! Why this file exists: `lodestone events extract` — from an article to entities and candidate
//! events, each with its evidence (byte offsets and sentence) and a confidence, by rules and
//! gazetteers only: deterministic, explainable, no network, no model.

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::OnceLock;

use crate::error::EventError;
use crate::event::{Amount, EventKind};
use crate::gazetteer::{Gazetteer, Kind, Mention};

/// A trigger phrase for an event type.
#[derive(Debug, Clone, Deserialize)]
pub struct Trigger {
    #[serde(rename = "type")]
    pub kind: EventKind,
    pub phrase: String,
    pub weight: f64,
    /// The compiled pattern of a phrase with `*`, made on first use.
    #[serde(skip)]
    compiled: OnceLock<Option<Regex>>,
}

impl Trigger {
    /// Where the phrase occurs in lower-case text, at a word start and (unless it is a stem or a
    /// plural follows) a word end. A `*` in the phrase stands for up to two words.
    pub fn find_in(&self, lower: &str) -> Option<usize> {
        let phrase = self.phrase.to_lowercase();
        let word_start = |pos: usize| {
            pos == 0
                || !lower[..pos]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
        };
        let word_end = |end: usize| {
            end >= lower.len()
                || !lower[end..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric)
                || STEMS.contains(&phrase.as_str())
                || lower[end..].starts_with('s')
                    && !lower[end + 1..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric)
        };
        if phrase.contains('*') {
            let re = self
                .compiled
                .get_or_init(|| {
                    let pattern = phrase
                        .split('*')
                        .map(|p| regex::escape(p.trim()))
                        .collect::<Vec<_>>()
                        .join(r"\s+(?:\S+\s+){0,2}?");
                    Regex::new(&pattern).ok()
                })
                .as_ref()?;
            return re
                .find_iter(lower)
                .find(|m| word_start(m.start()) && word_end(m.end()))
                .map(|m| m.start());
        }
        lower
            .match_indices(&phrase)
            .find(|(pos, _)| word_start(*pos) && word_end(pos + phrase.len()))
            .map(|(p, _)| p)
    }
}

/// Which triggers can occur in a sentence, found in one Aho–Corasick pass over it instead of one
/// search per trigger. Each trigger is keyed by the text every match of it begins with (its
/// lower-cased phrase, or the part before a `*`): where that text is absent the trigger cannot
/// match, so only the others are tried — the result is the same, only faster.
struct TriggerPrefilter {
    automaton: AhoCorasick,
    /// The trigger of each automaton pattern.
    trigger_of: Vec<usize>,
    /// Per trigger: true when it has no key (it is always tried).
    always: Vec<bool>,
}

/// Building the prefilter costs about as much as trying every trigger on ten sentences (some
/// 1.5 KB of news), so shorter texts do without it.
const PREFILTER_FROM_BYTES: usize = 2048;

impl TriggerPrefilter {
    /// The prefilter of a trigger list; `None` when the automaton cannot be built (every trigger
    /// is then tried, as without one).
    fn new(triggers: &[Trigger]) -> Option<TriggerPrefilter> {
        let keys: Vec<String> = triggers
            .iter()
            .map(|t| {
                let phrase = t.phrase.to_lowercase();
                match phrase.split_once('*') {
                    Some((head, _)) => head.trim().to_string(),
                    None => phrase,
                }
            })
            .collect();
        let keyed: Vec<usize> = (0..keys.len()).filter(|&i| !keys[i].is_empty()).collect();
        let automaton = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(keyed.iter().map(|&i| keys[i].as_str()))
            .ok()?;
        Some(TriggerPrefilter {
            automaton,
            always: keys.iter().map(String::is_empty).collect(),
            trigger_of: keyed,
        })
    }

    /// Per trigger: whether it may occur in the lower-cased sentence.
    fn possible(&self, sent_lower: &str) -> Vec<bool> {
        let mut seen = self.always.clone();
        for m in self.automaton.find_overlapping_iter(sent_lower) {
            if let Some(&t) = self.trigger_of.get(m.pattern().as_usize()) {
                seen[t] = true;
            }
        }
        seen
    }
}

pub fn load_triggers(path: &Path) -> Result<Vec<Trigger>, EventError> {
    let text = std::fs::read_to_string(path).map_err(|source| EventError::Io {
        file: path.to_path_buf(),
        source,
    })?;
    parse_triggers(&text)
}

/// Parses `triggers.csv` text.
pub fn parse_triggers(text: &str) -> Result<Vec<Trigger>, EventError> {
    let path = Path::new("triggers.csv");
    Ok(lodestone_formats::read_csv_bytes(path, text.as_bytes())?)
}

/// An amount found in the text.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AmountMention {
    pub amount: Amount,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// A date found in the text, resolved to a calendar date.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DateMention {
    pub date: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// True when resolved against the publication date ("on Thursday", "yesterday").
    pub relative: bool,
}

/// A candidate event.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Candidate {
    #[serde(rename = "type")]
    pub kind: EventKind,
    pub trigger: String,
    pub confidence: f64,
    /// Byte offsets of the evidence sentence in the (prepared) text.
    pub start: usize,
    pub end: usize,
    pub sentence: String,
    pub countries: Vec<String>,
    pub commodities: Vec<String>,
    pub organisations: Vec<String>,
    pub amounts: Vec<Amount>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Extraction {
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub published: Option<String>,
    /// Countries implied by the organisations named (EXIM → USA), not mentioned by name.
    pub organisation_countries: Vec<String>,
    pub mentions: Vec<Mention>,
    pub amounts: Vec<AmountMention>,
    pub dates: Vec<DateMention>,
    pub events: Vec<Candidate>,
}

impl Extraction {
    /// Ids of the entities of a kind; countries include those of the organisations named.
    pub fn ids(&self, kind: Kind) -> Vec<String> {
        let mut v: Vec<String> = self
            .mentions
            .iter()
            .filter(|m| m.kind == kind)
            .map(|m| m.id.clone())
            .collect();
        if kind == Kind::Country {
            v.extend(self.organisation_countries.iter().cloned());
        }
        v.sort();
        v.dedup();
        v
    }

    pub fn event_types(&self, min_confidence: f64) -> Vec<String> {
        let mut v: Vec<String> = self
            .events
            .iter()
            .filter(|e| e.confidence >= min_confidence)
            .map(|e| e.kind.to_string())
            .collect();
        v.sort();
        v.dedup();
        v
    }
}

/// Trigger phrases that are word stems and may be followed by more letters.
const STEMS: [&str; 3] = ["export licen", "sanction", "lend"];

const ABBREVIATIONS: [&str; 14] = [
    "U.S", "U.K", "Mr", "Mrs", "Ms", "Dr", "St", "Inc", "Ltd", "Co", "Corp", "Jan", "Feb", "Nov",
];

/// Sentence spans (byte offsets), split after . ! ? followed by space and a capital or a line
/// break, not after known abbreviations. One pass: each character looks two ahead and one word
/// back, never to the sentence start.
pub fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    // Just after the last whitespace seen: where the word before the current character begins.
    let mut word_start = 0;
    for (i, c) in text.char_indices() {
        let mut ahead = text[i + c.len_utf8()..].chars();
        let (next, after) = (ahead.next(), ahead.next());
        let end_here = if c == '\n' && next == Some('\n') {
            true
        } else if matches!(c, '.' | '!' | '?') {
            let word = &text[word_start.max(start)..i];
            let abbrev = ABBREVIATIONS.iter().any(|a| word.ends_with(a)) || word.len() == 1;
            !abbrev
                && (next.is_none()
                    || (next.is_some_and(char::is_whitespace)
                        && after
                            .is_none_or(|a| a.is_uppercase() || a == '"' || a == '\n' || a == '“')))
        } else {
            false
        };
        if end_here {
            let e = i + c.len_utf8();
            if text[start..e].trim().len() > 1 {
                out.push((start, e));
            }
            start = e;
        }
        if c.is_whitespace() {
            word_start = i + c.len_utf8();
        }
    }
    if text[start..].trim().len() > 1 {
        out.push((start, text.len()));
    }
    out
}

fn money_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?i)(US\$|A\$|C\$|\$|€|£|USD\s?|EUR\s?|AUD\s?)\s?(\d[\d,]*(?:\.\d+)?)\s?(thousand|million|billion|trillion|bn|mn|m|k)?\b(\s?(?:US\s)?dollars)?")
            .expect("valid regex")
    })
}

fn mass_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?i)\b(\d[\d,]*(?:\.\d+)?)\s?(thousand|million)?\s?(metric tons|metric tonnes|tonnes|tons|kt|t)\b")
            .expect("valid regex")
    })
}

fn scale_of(s: &str) -> &'static str {
    match s.to_lowercase().as_str() {
        "thousand" | "k" => "thousand",
        "million" | "mn" | "m" => "million",
        "billion" | "bn" => "billion",
        "trillion" => "trillion",
        _ => "",
    }
}

/// Money and mass amounts.
pub fn amounts(text: &str) -> Vec<AmountMention> {
    let mut out = Vec::new();
    for c in money_re().captures_iter(text) {
        let whole = c.get(0).map_or(0..0, |m| m.range());
        let cur = c.get(1).map_or("", |m| m.as_str()).trim().to_uppercase();
        let currency = match cur.as_str() {
            "A$" | "AUD" => "AUD",
            "C$" => "CAD",
            "€" | "EUR" => "EUR",
            "£" => "GBP",
            _ => "USD",
        };
        let Some(value) = c
            .get(2)
            .and_then(|m| m.as_str().replace(',', "").parse::<f64>().ok())
        else {
            continue;
        };
        out.push(AmountMention {
            amount: Amount {
                value,
                scale: scale_of(c.get(3).map_or("", |m| m.as_str())).into(),
                currency: currency.into(),
            },
            start: whole.start,
            end: whole.end,
            text: text[whole.clone()].trim_end().to_string(),
        });
    }
    // Money spans are disjoint and in text order, so only the last one starting at or before a
    // mass can contain its start (a binary search, not a scan of every amount).
    let money = out.len();
    for c in mass_re().captures_iter(text) {
        let whole = c.get(0).map_or(0..0, |m| m.range());
        let before = out[..money].partition_point(|a| a.start <= whole.start);
        if before > 0 && whole.start < out[before - 1].end {
            continue;
        }
        let Some(value) = c
            .get(1)
            .and_then(|m| m.as_str().replace(',', "").parse::<f64>().ok())
        else {
            continue;
        };
        let unit = c.get(3).map_or("t", |m| m.as_str()).to_lowercase();
        let (value, scale) = if unit == "kt" {
            (value, "thousand")
        } else {
            (value, scale_of(c.get(2).map_or("", |m| m.as_str())))
        };
        out.push(AmountMention {
            amount: Amount {
                value,
                scale: scale.into(),
                currency: "t".into(),
            },
            start: whole.start,
            end: whole.end,
            text: text[whole].to_string(),
        });
    }
    out.sort_by_key(|a| a.start);
    out
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_of(s: &str) -> Option<u32> {
    let l = s.to_lowercase();
    let l = l.trim_end_matches('.');
    MONTHS
        .iter()
        .position(|m| *m == l || (l.len() >= 3 && m.starts_with(l)))
        .map(|i| i as u32 + 1)
}

fn dates_re() -> &'static [Regex; 4] {
    static R: OnceLock<[Regex; 4]> = OnceLock::new();
    R.get_or_init(|| {
        [
            Regex::new(r"\b(\d{4})-(\d{2})-(\d{2})\b").expect("valid"),
            Regex::new(r"\b(\d{1,2}) (January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sep\.?|Sept\.?|Oct\.?|Nov\.?|Dec\.?),? (\d{4})\b").expect("valid"),
            Regex::new(r"\b(January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sep\.?|Sept\.?|Oct\.?|Nov\.?|Dec\.?) (\d{1,2}),? (\d{4})\b").expect("valid"),
            Regex::new(r"(?i)\b(?:(on|last|this) (monday|tuesday|wednesday|thursday|friday|saturday|sunday)|(yesterday|today|last week))\b").expect("valid"),
        ]
    })
}

/// Absolute dates, and relative ones resolved against the publication date (a weekday means the
/// most recent such day on or before it; "last week" means seven days before).
pub fn dates(text: &str, published: Option<NaiveDate>) -> Vec<DateMention> {
    let [iso, dmy, mdy, rel] = dates_re();
    let mut out = Vec::new();
    let mut push = |d: Option<NaiveDate>, m: regex::Match, relative: bool| {
        if let Some(d) = d {
            out.push(DateMention {
                date: d.to_string(),
                start: m.start(),
                end: m.end(),
                text: m.as_str().to_string(),
                relative,
            });
        }
    };
    for c in iso.captures_iter(text) {
        let d = NaiveDate::from_ymd_opt(
            c[1].parse().unwrap_or(0),
            c[2].parse().unwrap_or(0),
            c[3].parse().unwrap_or(0),
        );
        push(d, c.get(0).expect("match"), false);
    }
    for c in dmy.captures_iter(text) {
        let d = month_of(&c[2]).and_then(|m| {
            NaiveDate::from_ymd_opt(c[3].parse().unwrap_or(0), m, c[1].parse().unwrap_or(0))
        });
        push(d, c.get(0).expect("match"), false);
    }
    for c in mdy.captures_iter(text) {
        let d = month_of(&c[1]).and_then(|m| {
            NaiveDate::from_ymd_opt(c[3].parse().unwrap_or(0), m, c[2].parse().unwrap_or(0))
        });
        push(d, c.get(0).expect("match"), false);
    }
    if let Some(p) = published {
        for c in rel.captures_iter(text) {
            let m = c.get(0).expect("match");
            let d = if let Some(day) = c.get(2) {
                let wd: Weekday = day.as_str().parse().ok().unwrap_or(Weekday::Mon);
                let back = (p.weekday().num_days_from_monday() + 7 - wd.num_days_from_monday()) % 7;
                let back = if c
                    .get(1)
                    .is_some_and(|w| w.as_str().eq_ignore_ascii_case("last"))
                    && back == 0
                {
                    7
                } else {
                    back
                };
                Some(p - Duration::days(back as i64))
            } else {
                match c[3].to_lowercase().as_str() {
                    "yesterday" => Some(p - Duration::days(1)),
                    "today" => Some(p),
                    _ => Some(p - Duration::days(7)),
                }
            };
            push(d, m, true);
        }
    }
    out.sort_by_key(|d| d.start);
    out
}

/// The run of `items` (sorted by start) that starts within `s..=e`: found by binary search, so a
/// sentence costs the items near it, not every item of the article. Those that also end by `e`
/// lie inside the sentence.
fn starting_within<T>(items: &[T], start_of: impl Fn(&T) -> usize, s: usize, e: usize) -> &[T] {
    let lo = items.partition_point(|x| start_of(x) < s);
    let hi = items.partition_point(|x| start_of(x) <= e);
    &items[lo..hi.max(lo)]
}

/// Runs the extractor on prepared text. Linear in its size: mentions, amounts and dates are found
/// once over the whole text, in offset order, and each sentence takes its own by binary search.
pub fn extract(
    text: &str,
    published: Option<NaiveDate>,
    gaz: &Gazetteer,
    triggers: &[Trigger],
) -> Extraction {
    let mentions = gaz.find(text);
    let amounts = amounts(text);
    let dates = dates(text, published);
    debug_assert!(mentions.windows(2).all(|w| w[0].start <= w[1].start));
    debug_assert!(amounts.windows(2).all(|w| w[0].start <= w[1].start));
    debug_assert!(dates.windows(2).all(|w| w[0].start <= w[1].start));
    let spans = sentences(text);
    let prefilter = if text.len() >= PREFILTER_FROM_BYTES {
        TriggerPrefilter::new(triggers)
    } else {
        None
    };
    let mut events = Vec::new();
    for (s, e) in spans {
        // Lower-cased per sentence: lower-casing can change a character's byte length (İ, K),
        // so offsets into a lower-cased whole text need not match the sentence's.
        let sent_lower = text[s..e].to_lowercase();
        let possible = prefilter.as_ref().map(|p| p.possible(&sent_lower));
        let mut best: Vec<(&Trigger, usize)> = Vec::new();
        for (i, t) in triggers.iter().enumerate() {
            if possible.as_ref().is_some_and(|p| !p[i]) {
                continue;
            }
            let Some(pos) = t.find_in(&sent_lower) else {
                continue;
            };
            match best.iter_mut().find(|(b, _)| b.kind == t.kind) {
                Some(b) if b.0.weight >= t.weight => {}
                Some(b) => *b = (t, pos),
                None => best.push((t, pos)),
            }
        }
        if best.is_empty() {
            continue;
        }
        best.sort_by(|a, b| b.0.weight.total_cmp(&a.0.weight));
        let top = best[0].0.weight;
        let sent_mentions = starting_within(&mentions, |m| m.start, s, e);
        let sent_amounts = starting_within(&amounts, |a| a.start, s, e);
        let sent_dates = starting_within(&dates, |d| d.start, s, e);
        let ids = |k: Kind| {
            let mut v: Vec<String> = sent_mentions
                .iter()
                .filter(|m| m.kind == k && m.end <= e)
                .map(|m| m.id.clone())
                .collect();
            v.dedup();
            v
        };
        let mut countries = ids(Kind::Country);
        for o in ids(Kind::Organisation) {
            if let Some(c) = gaz.country_of_organisation(&o) {
                if !countries.iter().any(|x| x == c) {
                    countries.push(c.to_string());
                }
            }
        }
        let commodities = ids(Kind::Commodity);
        let organisations = ids(Kind::Organisation);
        let amts: Vec<Amount> = sent_amounts
            .iter()
            .filter(|a| a.end <= e)
            .map(|a| a.amount.clone())
            .collect();
        let date = sent_dates
            .iter()
            .find(|d| d.end <= e)
            .map(|d| d.date.clone());
        for (t, _) in best
            .iter()
            .filter(|(t, _)| t.weight >= 0.7 || t.weight == top)
        {
            let support = 0.5
                + if countries.is_empty() { 0.0 } else { 0.25 }
                + if commodities.is_empty() && organisations.is_empty() {
                    0.0
                } else {
                    0.25
                };
            let money_bonus =
                if t.kind == EventKind::Financing && amts.iter().any(|a| a.currency != "t") {
                    0.1
                } else {
                    0.0
                };
            events.push(Candidate {
                kind: t.kind,
                trigger: t.phrase.clone(),
                confidence: ((t.weight * support) + money_bonus).min(1.0),
                start: s,
                end: e,
                sentence: text[s..e].trim().to_string(),
                countries: countries.clone(),
                commodities: commodities.clone(),
                organisations: organisations.clone(),
                amounts: amts.clone(),
                date: date.clone(),
            });
        }
    }
    let mut organisation_countries: Vec<String> = mentions
        .iter()
        .filter(|m| m.kind == Kind::Organisation)
        .filter_map(|m| gaz.country_of_organisation(&m.id).map(str::to_string))
        .collect();
    organisation_countries.sort();
    organisation_countries.dedup();
    Extraction {
        published: published.map(|p| p.to_string()),
        organisation_countries,
        mentions,
        amounts,
        dates,
        events,
    }
}
