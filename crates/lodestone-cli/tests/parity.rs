//! One house: every API route and the command that answers the same question must give the same
//! body — the CLI's `--format json` output and the route's JSON, parsed and compared whole — and
//! the same failures must carry the same message, with the exit code and status of one kind.

use std::path::{Path, PathBuf};
use std::process::Command;

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

use lodestone_server::{router, AppState, Limits};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The command's standard output as JSON (it must succeed), or its exit code and error line.
fn cli(args: &[&str]) -> Result<Value, (i32, String)> {
    let o = Command::new(env!("CARGO_BIN_EXE_lodestone"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("the binary runs");
    if o.status.success() {
        Ok(serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: stdout is not JSON ({e})")))
    } else {
        let err = String::from_utf8_lossy(&o.stderr);
        let line = err
            .lines()
            .find_map(|l| l.strip_prefix("error: "))
            .unwrap_or_default()
            .to_string();
        Err((o.status.code().unwrap_or(-1), line))
    }
}

/// The route's status and JSON body.
async fn api(method: &str, uri: &str, body: Vec<u8>) -> (u16, Value) {
    let store = lodestone_app::Store::embedded(None).expect("embedded data");
    let app = router(AppState::new(store, Limits::default()));
    // POST bodies carry their route's documented type.
    let kind = if uri.starts_with("/api/simulate") {
        "application/toml"
    } else {
        "text/plain; charset=utf-8"
    };
    let req = Request::builder()
        .method(method)
        .uri(uri)
        .header(axum::http::header::CONTENT_TYPE, kind)
        .body(Body::from(body))
        .unwrap();
    let res = app.oneshot(req).await.expect("infallible");
    let status = res.status().as_u16();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).expect("JSON body"))
}

type Case = (&'static str, String, Vec<u8>, Vec<String>);

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

/// Every route, with the command that must answer it identically.
fn cases() -> Vec<Case> {
    let mut all = data_cases();
    all.extend(planning_cases());
    all
}

/// The data and risk routes.
fn data_cases() -> Vec<Case> {
    vec![
        (
            "GET",
            "/api/commodities?list=eu2023".into(),
            vec![],
            s(&["commodities", "--list", "eu2023"]),
        ),
        (
            "GET",
            "/api/countries?group=c5".into(),
            vec![],
            s(&["countries", "--group", "c5"]),
        ),
        ("GET", "/api/groups".into(), vec![], s(&["groups"])),
        (
            "GET",
            "/api/profile/tungsten?stage=mine&year=2022&source=wmd".into(),
            vec![],
            s(&[
                "profile", "tungsten", "--stage", "mine", "--year", "2022", "--source", "wmd",
            ]),
        ),
        (
            "GET",
            "/api/profile/uranium?basis=U3O8".into(),
            vec![],
            s(&["profile", "uranium", "--basis", "U3O8"]),
        ),
        (
            "GET",
            "/api/trade/tungsten?importer=eu27&year=2022".into(),
            vec![],
            s(&["trade", "tungsten", "--importer", "eu27", "--year", "2022"]),
        ),
        (
            "GET",
            "/api/risk?viewpoint=JPN&method=eu".into(),
            vec![],
            s(&["risk", "--viewpoint", "JPN", "--method", "eu"]),
        ),
        (
            "GET",
            "/api/risk/helium?method=hhi".into(),
            vec![],
            s(&["risk", "helium", "--method", "hhi"]),
        ),
        (
            "GET",
            "/api/risk/tungsten?viewpoint=USA&method=geopolrisk&year=2022".into(),
            vec![],
            s(&[
                "risk",
                "tungsten",
                "--viewpoint",
                "USA",
                "--method",
                "geopolrisk",
                "--year",
                "2022",
            ]),
        ),
        (
            "GET",
            "/api/brief?importer=eu27&list=eu2023-strategic".into(),
            vec![],
            s(&["brief", "--importer", "eu27", "--list", "eu2023-strategic"]),
        ),
    ]
}

/// The scenario, planning and events routes.
fn planning_cases() -> Vec<Case> {
    let scenario = repo().join("data/scenarios/china-2023-graphite.toml");
    let article = repo().join("crates/lodestone-cli/tests/fixtures/article.html");
    let read = |p: &Path| std::fs::read(p).unwrap();
    vec![
        ("GET", "/api/scenarios".into(), vec![], s(&["scenarios"])),
        (
            "POST",
            "/api/simulate?draws=40&seed=7".into(),
            read(&scenario),
            s(&[
                "simulate",
                scenario.to_str().unwrap(),
                "--draws",
                "40",
                "--seed",
                "7",
            ]),
        ),
        (
            "GET",
            "/api/projects?country=c5&commodity=tungsten".into(),
            vec![],
            s(&["projects", "--country", "c5", "--commodity", "tungsten"]),
        ),
        (
            "GET",
            "/api/forecast/tungsten?to=2030&draws=100".into(),
            vec![],
            s(&["forecast", "tungsten", "--to", "2030", "--draws", "100"]),
        ),
        (
            "GET",
            "/api/plan/tungsten?cap=CHN=0.2&prefer=c5".into(),
            vec![],
            s(&["plan", "tungsten", "--cap", "CHN=0.2", "--prefer", "c5"]),
        ),
        (
            "GET",
            "/api/events?country=KAZ&since=2023-01-01".into(),
            vec![],
            s(&["events", "--country", "KAZ", "--since", "2023-01-01"]),
        ),
        (
            "POST",
            "/api/events/extract?date=2024-08-16".into(),
            read(&article),
            s(&[
                "events",
                "extract",
                article.to_str().unwrap(),
                "--date",
                "2024-08-16",
            ]),
        ),
    ]
}

#[tokio::test]
async fn every_route_answers_as_its_command() {
    let routes: std::collections::BTreeSet<String> = cases()
        .iter()
        .map(|(_, uri, _, _)| {
            let path = uri.split('?').next().unwrap();
            let parts: Vec<&str> = path.split('/').collect();
            // /api/profile/tungsten → /api/profile/{c}
            if parts.len() > 3 && !matches!(parts[2], "events") {
                format!("/{}/{}/{{c}}", parts[1], parts[2])
            } else {
                path.to_string()
            }
        })
        .collect();
    // The parity cases cover every route the router serves (openapi.json aside).
    let doc: Value = api("GET", "/api/openapi.json", vec![]).await.1;
    let documented: std::collections::BTreeSet<String> = doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(|p| p.replace("{commodity}", "{c}"))
        .collect();
    assert_eq!(routes, documented, "parity cases vs documented routes");

    for (method, uri, body, args) in cases() {
        let mut args = args.clone();
        args.extend(["--format".to_string(), "json".to_string()]);
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let from_cli = cli(&argv).unwrap_or_else(|e| panic!("{argv:?} failed: {e:?}"));
        let (status, from_api) = api(method, &uri, body).await;
        assert_eq!(status, 200, "{uri}: {from_api}");
        assert!(
            from_cli == from_api,
            "{uri} and {argv:?} differ:\nAPI {}\nCLI {}",
            truncate(&from_api),
            truncate(&from_cli)
        );
    }
}

fn truncate(v: &Value) -> String {
    let s = v.to_string();
    s.chars().take(600).collect()
}

#[tokio::test]
async fn failures_carry_one_message_and_one_kind() {
    // (route, command, HTTP status, exit code)
    let cases: [(&str, &[&str], u16, i32); 7] = [
        ("/api/profile/tungstn", &["profile", "tungstn"], 404, 2),
        ("/api/forecast/tungstn", &["forecast", "tungstn"], 404, 2),
        (
            "/api/trade/tungsten?importer=Narnia",
            &["trade", "tungsten", "--importer", "Narnia"],
            404,
            2,
        ),
        (
            "/api/plan/tungsten?importer=Narnia",
            &["plan", "tungsten", "--importer", "Narnia"],
            404,
            2,
        ),
        (
            "/api/profile/cobalt?stage=smelter",
            &["profile", "cobalt", "--stage", "smelter"],
            400,
            2,
        ),
        (
            "/api/risk/tungsten?viewpoint=Tuvalu&year=2022",
            &[
                "risk",
                "tungsten",
                "--viewpoint",
                "Tuvalu",
                "--year",
                "2022",
            ],
            422,
            1,
        ),
        (
            "/api/plan/tungsten?floor=CAN=0.5",
            &["plan", "tungsten", "--floor", "CAN=0.5"],
            422,
            1,
        ),
    ];
    for (uri, args, status, code) in cases {
        let (got_status, body) = api("GET", uri, vec![]).await;
        let (got_code, line) = cli(args).expect_err("fails");
        assert_eq!((got_status, got_code), (status, code), "{uri}: {body}");
        assert_eq!(body["error"]["message"], line, "{uri}");
    }
}
