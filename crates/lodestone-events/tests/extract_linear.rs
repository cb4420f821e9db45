//! Why this file exists: the extractor was quadratic in the article's size (issue #14) and is now
//! linear; these check that making it so changed nothing it finds — a paragraph repeated N times
//! yields N times its mentions, amounts, dates and events, offsets shifted — and that no text,
//! however odd (multibyte, lone quotes, very long words, no sentence end), makes it panic.

use proptest::prelude::*;

use lodestone_events::extract::{amounts, dates, extract, parse_triggers, sentences, Trigger};
use lodestone_events::Gazetteer;

/// A news paragraph with countries, an organisation, minerals, money, a mass, an absolute and a
/// relative date, and financing and export-control phrases. It starts and ends with a line break,
/// so that repeating it repeats its sentences exactly.
const PARAGRAPH: &str = "\nKazakhstan's state miner signed a US$1.2 billion financing agreement with EXIM for its tungsten project on 12 March 2025. China announced export controls on gallium and germanium on Thursday, the Ministry of Commerce said. Shipments of 12,000 tonnes of antimony were halted.\n";

/// The embedded gazetteer and trigger phrases, as the CLI and the API use them.
fn tools() -> &'static (Gazetteer, Vec<Trigger>) {
    static T: std::sync::OnceLock<(Gazetteer, Vec<Trigger>)> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        let files = lodestone_data::texts::GAZETTEER;
        let gaz = Gazetteer::from_files(lodestone_data::embedded(), files).unwrap();
        let csv = files
            .iter()
            .find(|(n, _)| *n == "triggers.csv")
            .map_or("", |(_, t)| *t);
        (gaz, parse_triggers(csv).unwrap())
    })
}

#[test]
fn a_repeated_paragraph_yields_its_findings_repeated_with_offsets_shifted() {
    let (gaz, triggers) = tools();
    let published = chrono::NaiveDate::from_ymd_opt(2025, 3, 14);
    let one = extract(PARAGRAPH, published, gaz, triggers);
    // The paragraph has something of every kind, so the property below is not vacuous.
    assert_eq!(one.mentions.len(), 9, "{:?}", one.mentions);
    assert_eq!((one.amounts.len(), one.dates.len()), (2, 2));
    let kinds: Vec<String> = one.events.iter().map(|e| e.kind.to_string()).collect();
    assert!(
        kinds.contains(&"financing".to_string()) && kinds.contains(&"export-control".to_string())
    );
    assert!(one
        .events
        .iter()
        .any(|e| !e.amounts.is_empty() && e.date.is_some()));

    // 400 copies (107 KB): long enough for the trigger prefilter, a single copy is not.
    let n = 400;
    let text = PARAGRAPH.repeat(n);
    let many = extract(&text, published, gaz, triggers);
    assert_eq!(many.published, one.published);
    assert_eq!(many.organisation_countries, one.organisation_countries);
    assert_eq!(many.mentions.len(), n * one.mentions.len());
    assert_eq!(many.amounts.len(), n * one.amounts.len());
    assert_eq!(many.dates.len(), n * one.dates.len());
    assert_eq!(many.events.len(), n * one.events.len());
    for k in 0..n {
        let shift = k * PARAGRAPH.len();
        let part = |len: usize| k * len..(k + 1) * len;
        for (got, want) in many.mentions[part(one.mentions.len())]
            .iter()
            .zip(&one.mentions)
        {
            let mut want = want.clone();
            (want.start, want.end) = (want.start + shift, want.end + shift);
            assert_eq!(got, &want, "copy {k}");
        }
        for (got, want) in many.amounts[part(one.amounts.len())]
            .iter()
            .zip(&one.amounts)
        {
            let mut want = want.clone();
            (want.start, want.end) = (want.start + shift, want.end + shift);
            assert_eq!(got, &want, "copy {k}");
        }
        for (got, want) in many.dates[part(one.dates.len())].iter().zip(&one.dates) {
            let mut want = want.clone();
            (want.start, want.end) = (want.start + shift, want.end + shift);
            assert_eq!(got, &want, "copy {k}");
        }
        for (got, want) in many.events[part(one.events.len())].iter().zip(&one.events) {
            let mut want = want.clone();
            (want.start, want.end) = (want.start + shift, want.end + shift);
            assert_eq!(got, &want, "copy {k}");
        }
    }
}

#[test]
fn lower_casing_that_changes_byte_lengths_does_not_shift_sentences() {
    // "İ" lower-cases to three bytes from two, the Kelvin sign "K" to one from three: offsets into
    // a lower-cased whole text drift from the text's (it used to panic, or search the wrong span).
    let (gaz, triggers) = tools();
    for odd in ["İ", "\u{212A}"] {
        let text = format!(
            "{} said so. China bans exports of gallium. The EXIM letter of interest came later.",
            odd.repeat(40)
        );
        let ex = extract(&text, None, gaz, triggers);
        let found: Vec<(String, &str)> = ex
            .events
            .iter()
            .map(|e| (e.kind.to_string(), e.sentence.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                (
                    "export-control".to_string(),
                    "China bans exports of gallium."
                ),
                (
                    "financing".to_string(),
                    "The EXIM letter of interest came later."
                ),
            ],
            "with {odd:?}"
        );
    }
}

/// Pieces of text that have broken text handling before: multibyte letters whose lower case has
/// another length, lone and curly quotes, abbreviations, sentence ends, very long words, words
/// full of dots, amounts, dates and trigger phrases — and arbitrary characters and bytes.
fn piece() -> impl Strategy<Value = String> {
    let odd = prop::sample::select(vec![
        "İ",
        "\u{212A}",
        "Σ",
        "é",
        "ẞ",
        "\u{301}",
        "\"",
        "“",
        "”",
        "'",
        ".",
        "!",
        "?",
        "\n",
        "\n\n",
        " ",
        "U.S.",
        "Mr.",
        "A.",
        "$",
        "US$1.2 billion",
        "12,000 tonnes",
        "12 March 2025",
        "on Thursday",
        "export controls",
        "ban on cobalt exports",
        "lend",
        "China",
        "EXIM",
    ])
    .prop_map(str::to_string);
    prop_oneof![
        4 => odd,
        2 => any::<String>(),
        1 => prop::collection::vec(any::<u8>(), 0..400)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        1 => (1..6000usize, prop::sample::select(vec!["a", "x.", "é", "İ.", "\""]))
            .prop_map(|(n, s)| s.repeat(n)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]
    #[test]
    fn no_text_makes_the_extractor_panic(text in prop::collection::vec(piece(), 0..48).prop_map(|v| v.concat())) {
        let (gaz, triggers) = tools();
        let ex = extract(&text, chrono::NaiveDate::from_ymd_opt(2025, 1, 1), gaz, triggers);
        let span_ok = |s: usize, e: usize| s <= e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e);
        for (s, e) in sentences(&text) {
            prop_assert!(span_ok(s, e));
        }
        for m in &ex.mentions {
            prop_assert!(span_ok(m.start, m.end) && text[m.start..m.end] == m.text);
        }
        prop_assert_eq!(&ex.amounts, &amounts(&text));
        prop_assert_eq!(&ex.dates, &dates(&text, chrono::NaiveDate::from_ymd_opt(2025, 1, 1)));
        for a in &ex.amounts {
            prop_assert!(span_ok(a.start, a.end));
        }
        for c in &ex.events {
            prop_assert!(span_ok(c.start, c.end) && text[c.start..c.end].trim() == c.sentence);
        }
    }
}
