//! Event registry and extractor tests: the real registry, bad files located by field and line,
//! input safety, entity and date rules, and precision/recall floors on the labelled articles.

use std::path::{Path, PathBuf};

use lodestone_events::event::{parse_event, registry_from, EventKind};
use lodestone_events::extract::{amounts, dates, extract, parse_triggers, sentences, Trigger};
use lodestone_events::gazetteer::{Gazetteer, Kind};
use lodestone_events::{eval, input, link, Filter};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn tools() -> (Gazetteer, Vec<Trigger>) {
    let ds = lodestone_data::embedded();
    let gaz = Gazetteer::load(ds, &repo().join("data/gazetteer")).unwrap();
    let triggers = parse_triggers(
        &std::fs::read_to_string(repo().join("data/gazetteer/triggers.csv")).unwrap(),
    )
    .unwrap();
    (gaz, triggers)
}

#[test]
fn the_registry_loads_and_filters() {
    let ds = lodestone_data::embedded();
    let reg = registry_from(lodestone_data::texts::EVENTS, ds).unwrap();
    assert!(reg.len() >= 40, "{} events", reg.len());
    assert!(reg.windows(2).all(|w| w[0].date <= w[1].date));
    assert!(reg
        .iter()
        .all(|e| !e.sources.is_empty() && !e.summary.is_empty()));
    let china_controls: Vec<_> = reg
        .iter()
        .filter(|e| {
            Filter {
                country: Some("CHN".into()),
                kind: Some(EventKind::ExportControl),
                ..Default::default()
            }
            .matches(e, ds)
        })
        .collect();
    assert!(china_controls.len() >= 8, "{}", china_controls.len());
    let kz = reg
        .iter()
        .filter(|e| {
            Filter {
                country: Some("KAZ".into()),
                ..Default::default()
            }
            .matches(e, ds)
        })
        .count();
    assert!(
        kz >= 5,
        "C5 events count for Kazakhstan through the c5 group too: {kz}"
    );
    // A group is accepted wherever a country is: `c5` finds every event naming a member.
    let c5 = Filter::resolve(ds, Some("c5"), None, None, None).unwrap();
    let in_c5 = reg.iter().filter(|e| c5.matches(e, ds)).count();
    assert!(in_c5 >= kz, "c5 {in_c5} < KAZ {kz}");
    assert!(reg.iter().any(|e| c5.matches(e, ds)
        && e.countries.iter().any(|c| c == "UZB" || c == "TJK")
        && !e.countries.iter().any(|c| c == "KAZ" || c == "c5")));
    let since = reg
        .iter()
        .filter(|e| {
            Filter {
                since: Some("2025-01-01".into()),
                ..Default::default()
            }
            .matches(e, ds)
        })
        .count();
    assert!(since >= 10 && since < reg.len());
}

#[test]
fn bad_event_files_are_located() {
    let ds = lodestone_data::embedded();
    let good =
        std::fs::read_to_string(repo().join("data/events/2025-11-06-cove-kaz-exim-letter.toml"))
            .unwrap();
    let f = Path::new("2025-11-06-cove-kaz-exim-letter.toml");
    assert!(parse_event(&good, f, ds).is_ok());
    let cases = [
        (
            good.replace("\"2025-11-06\"\ntype", "\"2025-13-06\"\ntype"),
            "2:",
            "date",
        ),
        (good.replace("\"financing\"", "\"loan\""), "3:", "type"),
        (
            good.replace("\"KAZ\"]", "\"Kazakstan\"]"),
            "4:",
            "countries",
        ),
        (
            good.replace("[\"tungsten\"]", "[\"tungstn\"]"),
            "5:",
            "commodities",
        ),
        (
            good.replace("id = \"2025-11-06-cove-kaz-exim-letter\"", "id = \"other\""),
            "1:",
            "id",
        ),
    ];
    for (text, line, field) in cases {
        let e = parse_event(&text, f, ds).unwrap_err().to_string();
        assert!(
            e.starts_with(&format!("2025-11-06-cove-kaz-exim-letter.toml:{line}"))
                && e.contains(field),
            "{e}"
        );
    }
    let e = parse_event(&good.replace("[[sources]]", "[[sorces]]"), f, ds)
        .unwrap_err()
        .to_string();
    assert!(e.contains("sorces") || e.contains("sources"), "{e}");
}

#[test]
fn input_is_checked_and_html_stripped() {
    assert!(input::prepare(b"")
        .unwrap_err()
        .to_string()
        .contains("empty"));
    assert!(input::prepare(b"   \n")
        .unwrap_err()
        .to_string()
        .contains("empty"));
    assert!(input::prepare(b"abc\x00def")
        .unwrap_err()
        .to_string()
        .contains("binary"));
    assert!(input::prepare(b"caf\xe9 au lait")
        .unwrap_err()
        .to_string()
        .contains("UTF-8"));
    let big = vec![b'a'; input::MAX_BYTES + 1];
    assert!(input::prepare(&big)
        .unwrap_err()
        .to_string()
        .contains("limit"));
    let html = b"<html><head><style>p{color:red}</style><script>alert('China bans tungsten')</script></head><body><p>China &amp; Russia <b>restrict</b> exports of antimony.</p><!-- Tungsten --></body></html>";
    let text = input::prepare(html).unwrap();
    assert!(
        text.contains("China & Russia restrict exports of antimony."),
        "{text:?}"
    );
    assert!(!text.contains("alert") && !text.contains("color") && !text.contains("Tungsten"));
}

#[test]
fn entities_amounts_and_dates() {
    let (gaz, triggers) = tools();
    let text = "Kazakh President Tokayev met US officials. The EXIM letter of interest for up to $900 million and A$1.25 billion loans were discussed, with 12,000 tonnes of tungsten and rare earth minerals.";
    let m = gaz.find(text);
    let ids = |k: Kind| {
        m.iter()
            .filter(|x| x.kind == k)
            .map(|x| x.id.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(Kind::Country), vec!["KAZ", "KAZ", "USA"]);
    assert_eq!(ids(Kind::Commodity), vec!["tungsten", "rare-earths"]);
    assert_eq!(
        ids(Kind::Organisation),
        vec!["Export-Import Bank of the United States"]
    );
    assert!(
        !gaz.find("They can invest in Indiana.")
            .iter()
            .any(|x| x.kind == Kind::Country),
        "no 'can'/'ind' false matches"
    );
    let a = amounts(text);
    assert_eq!(a.len(), 3, "{a:?}");
    assert_eq!(
        (a[0].amount.units(), a[0].amount.currency.as_str()),
        (900e6, "USD")
    );
    assert_eq!(
        (a[1].amount.units(), a[1].amount.currency.as_str()),
        (1.25e9, "AUD")
    );
    assert_eq!(
        (a[2].amount.units(), a[2].amount.currency.as_str()),
        (12_000.0, "t")
    );
    // Publication Friday 7 November 2025: "on Thursday" is 6 November, "yesterday" too.
    let pub_date = chrono::NaiveDate::from_ymd_opt(2025, 11, 7);
    let d = dates("The leaders met on Thursday; yesterday the deal was signed; it was announced on 3 July 2023 and November 6, 2025 and 2024-12-03. Last Friday markets fell.", pub_date);
    let got: Vec<&str> = d.iter().map(|x| x.date.as_str()).collect();
    assert_eq!(
        got,
        vec![
            "2025-11-06",
            "2025-11-06",
            "2023-07-03",
            "2025-11-06",
            "2024-12-03",
            "2025-10-31"
        ]
    );
    assert!(d[0].relative && !d[2].relative);
    assert_eq!(
        sentences("The U.S. Treasury acted. China replied! Done").len(),
        3
    );
    let ex = extract(text, pub_date, &gaz, &triggers);
    let fin = ex
        .events
        .iter()
        .find(|e| e.kind == EventKind::Financing)
        .unwrap();
    assert!(fin.confidence >= 0.9 && fin.sentence.starts_with("The EXIM letter"));
    assert_eq!(&text[fin.start..fin.end].trim(), &fin.sentence.as_str());
    assert!(
        !ex.events.iter().any(|e| e.kind == EventKind::Sanction),
        "'Export-Import Bank' is not an import ban"
    );
}

#[test]
fn extracted_export_controls_become_scenarios() {
    let (gaz, triggers) = tools();
    let ds = lodestone_data::embedded();
    let text = "China announced export controls on graphite and antimony on Friday.";
    let ex = extract(
        text,
        chrono::NaiveDate::from_ymd_opt(2024, 8, 16),
        &gaz,
        &triggers,
    );
    let c = ex
        .events
        .iter()
        .find(|e| e.kind == EventKind::ExportControl)
        .unwrap();
    let toml = link::scenario_toml(c, 0.5).unwrap();
    assert!(toml.starts_with("# Drafted by `lodestone events extract` from: China announced"));
    let sc = lodestone_cascade::scenario::parse(&toml, Path::new("drafted.toml"), ds, &[])
        .unwrap_or_else(|e| panic!("{e}\n{toml}"));
    assert_eq!(sc.shocks.len(), 2, "one shock per commodity");
    assert!(sc
        .shocks
        .iter()
        .all(|s| s.origin == ["CHN"] && s.magnitude == 0.5));
    let reg = registry_from(lodestone_data::texts::EVENTS, ds).unwrap();
    let text =
        "Cove Kaz Capital secured financing from the DFC for its tungsten mine in Kazakhstan.";
    let ex = extract(text, None, &gaz, &triggers);
    let matched: Vec<&str> = ex
        .events
        .iter()
        .flat_map(|c| link::match_projects(c, &reg))
        .collect();
    assert!(
        matched.contains(&"cove-kaz-tungsten"),
        "{matched:?} from {:?}",
        ex.events
    );
}

#[test]
fn precision_and_recall_floors_on_the_labelled_articles() {
    let (gaz, triggers) = tools();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/eval");
    let r = eval::evaluate(&dir, &gaz, &triggers).unwrap();
    assert!(r.articles >= 30);
    let mut lines = Vec::new();
    for (k, s) in &r.scores {
        lines.push(format!(
            "{k:24} P {:.2} R {:.2} F1 {:.2}",
            s.precision(),
            s.recall(),
            s.f1()
        ));
    }
    let report = lines.join("\n");
    for (k, p, rr) in [
        ("countries", 0.85, 0.85),
        ("commodities", 0.85, 0.85),
        ("organisations", 0.8, 0.75),
        ("events", 0.75, 0.75),
    ] {
        let s = r.scores[k];
        assert!(
            s.precision() >= p && s.recall() >= rr,
            "{k} below floor (P ≥ {p}, R ≥ {rr}):\n{report}"
        );
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 200, ..Default::default() })]
    #[test]
    fn no_input_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600)) {
        use std::sync::OnceLock;
        static T: OnceLock<(Gazetteer, Vec<Trigger>)> = OnceLock::new();
        let (gaz, triggers) = T.get_or_init(tools);
        if let Ok(text) = input::prepare(&bytes) {
            let ex = extract(&text, chrono::NaiveDate::from_ymd_opt(2025, 1, 1), gaz, triggers);
            for c in &ex.events {
                proptest::prop_assert!(c.start <= c.end && c.end <= text.len());
            }
        }
        let mut html = b"<p>".to_vec();
        html.extend_from_slice(&bytes);
        let _ = input::prepare(&html);
    }
}
