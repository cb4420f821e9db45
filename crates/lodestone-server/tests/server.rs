//! The API end to end: routes answer with what the libraries compute, errors are one JSON shape,
//! limits hold, caching and security headers are present, the OpenAPI document matches the
//! routes, gives every answer a real schema and is the one committed for the dashboard's types,
//! and the server answers over a real loopback socket.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

use lodestone_server::openapi::ApiDoc;
use lodestone_server::{router, AppState, Limits};
use utoipa::OpenApi;

fn store() -> lodestone_app::Store {
    lodestone_app::Store::embedded(None).expect("embedded data")
}

fn app() -> Router {
    router(AppState::new(store(), Limits::default()))
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    json: Value,
}

async fn send(app: &Router, req: Request<Body>) -> Reply {
    let res = app
        .clone()
        .oneshot(req)
        .await
        .expect("the router is infallible");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    let json = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or_else(|e| {
            panic!(
                "{status}: body is not JSON ({e}): {}",
                String::from_utf8_lossy(&bytes)
            )
        })
    };
    Reply {
        status,
        headers,
        json,
    }
}

async fn get(app: &Router, uri: &str) -> Reply {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

/// A POST with the route's documented body type.
async fn post(app: &Router, uri: &str, body: impl Into<Body>) -> Reply {
    let kind = if uri.starts_with("/api/simulate") {
        "application/toml"
    } else {
        "text/plain; charset=utf-8"
    };
    let req = Request::post(uri).header(header::CONTENT_TYPE, kind);
    send(app, req.body(body.into()).unwrap()).await
}

fn assert_error(r: &Reply, status: u16, kind: &str, needle: &str) {
    assert_eq!(r.status.as_u16(), status, "{}", r.json);
    assert_eq!(r.json["error"]["status"], status, "{}", r.json);
    assert_eq!(r.json["error"]["kind"], kind, "{}", r.json);
    let msg = r.json["error"]["message"].as_str().unwrap_or_default();
    assert!(msg.contains(needle), "{msg:?} should mention {needle:?}");
}

#[tokio::test]
async fn profile_matches_the_library_with_etag_and_security_headers() {
    let app = app();
    let r = get(&app, "/api/profile/tungsten").await;
    assert_eq!(r.status, StatusCode::OK);
    let lib = lodestone_analysis::profile(
        lodestone_data::embedded(),
        &lodestone_analysis::SeriesQuery {
            commodity: "tungsten".into(),
            ..Default::default()
        },
    )
    .unwrap();
    // The API adds the concern set's control through ownership from the store's registry.
    let lib = lodestone_app::profile::with_control(&store(), lib);
    assert!(r.json["control"].is_object());
    assert_eq!(r.json, serde_json::to_value(&lib).unwrap());
    assert_eq!(r.json["producers"][0]["iso3"], "CHN");
    let shares: f64 = r.json["producers"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["share"].as_f64())
        .sum();
    assert!(
        shares <= 1.0 + 1e-9 && shares > 0.9,
        "shares sum to {shares}"
    );
    for h in [
        "content-security-policy",
        "x-content-type-options",
        "x-frame-options",
    ] {
        assert!(r.headers.contains_key(h), "missing {h}");
    }
    let csp = r.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"));
    let tag = r.headers[header::ETAG].clone();
    let again = send(
        &app,
        Request::get("/api/profile/tungsten")
            .header(header::IF_NONE_MATCH, tag.clone())
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert_eq!(again.headers[header::ETAG], tag);
    // Another resource has another tag.
    let other = get(&app, "/api/profile/antimony").await;
    assert_ne!(other.headers[header::ETAG], tag);
}

#[tokio::test]
async fn errors_are_one_json_shape() {
    let app = app();
    assert_error(
        &get(&app, "/api/profile/tungstn").await,
        404,
        "not_found",
        "did you mean tungsten",
    );
    assert_error(
        &get(&app, "/api/profile/tungsten?year=abc").await,
        400,
        "invalid",
        "year",
    );
    assert_error(
        &get(&app, "/api/risk?method=magic").await,
        400,
        "invalid",
        "geopolrisk",
    );
    assert_error(
        &get(&app, "/api/nowhere").await,
        404,
        "not_found",
        "openapi",
    );
    let wrong = send(
        &app,
        Request::builder()
            .method(Method::DELETE)
            .uri("/api/profile/tungsten")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_error(&wrong, 405, "invalid", "method");
    assert_error(
        &get(&app, "/api/plan/tungsten?cap=CHN").await,
        400,
        "invalid",
        "WHO=SHARE",
    );
    assert_error(
        &get(&app, "/api/events?since=yesterday").await,
        400,
        "invalid",
        "YYYY-MM-DD",
    );
}

#[tokio::test]
async fn limits_hold() {
    let app = router(AppState::new(
        store(),
        Limits {
            body_bytes: 4096,
            draws: 50,
            plan_bounds: 2,
            timeout_secs: 30,
            ..Limits::default()
        },
    ));
    assert_error(
        &get(&app, "/api/forecast/tungsten?draws=51").await,
        400,
        "invalid",
        "the limit is 50 per request",
    );
    assert_error(
        &get(&app, "/api/plan/tungsten?cap=CHN=0.2,RUS=0.1&floor=c5=0.01").await,
        400,
        "invalid",
        "the limit is 2 per request",
    );
    let big = "tungsten ".repeat(1000);
    assert_error(
        &post(&app, "/api/events/extract", big).await,
        413,
        "invalid",
        "limit",
    );
    let toml = lodestone_data::texts::SCENARIOS[0].1;
    assert_error(
        &post(&app, "/api/simulate?draws=500", toml).await,
        400,
        "invalid",
        "the limit is 50 per request",
    );
}

#[tokio::test]
async fn risk_plan_forecast_and_events_answer_as_the_libraries_do() {
    let app = app();
    let ds = lodestone_data::embedded();
    let trade = lodestone_data::trade();
    let r = get(&app, "/api/risk/tungsten?viewpoint=USA&year=2022").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let vp = lodestone_analysis::viewpoint::Viewpoint::resolve(ds, trade, "USA").unwrap();
    let g = lodestone_analysis::geopolrisk::geopolrisk(ds, trade, "tungsten", &vp, 2022).unwrap();
    assert_eq!(r.json["score"].as_f64().unwrap(), g.score);
    assert!(!r.json["partners"].as_array().unwrap().is_empty());

    let rank = get(&app, "/api/risk?viewpoint=eu27&method=geopolrisk").await;
    assert_eq!(rank.status, StatusCode::OK);
    assert_eq!(rank.json["viewpoint"]["id"], "eu27");
    assert!(rank.json["rows"].as_array().unwrap().len() > 10);

    let p = get(&app, "/api/plan/tungsten?cap=CHN=0.2&prefer=c5").await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.json);
    let origins = p.json["origins"].as_array().unwrap();
    let total: f64 = origins
        .iter()
        .map(|o| o["planned_share"].as_f64().unwrap())
        .sum();
    assert!((total - 1.0).abs() < 1e-6, "planned shares sum to {total}");
    let chn = origins
        .iter()
        .find(|o| o["origin"] == "CHN")
        .map_or(0.0, |o| o["planned_share"].as_f64().unwrap());
    assert!(chn <= 0.2 + 1e-6, "China capped at 0.2, got {chn}");
    assert!(p.json["risk_after"].as_f64() < p.json["risk_before"].as_f64());
    assert_error(
        &get(&app, "/api/plan/tungsten?floor=CAN=0.5").await,
        422,
        "infeasible",
        "infeasible",
    );

    let f = get(&app, "/api/forecast/tungsten?to=2030&draws=100").await;
    assert_eq!(f.status, StatusCode::OK, "{}", f.json);
    let lib = lodestone_planner::forecast(
        ds,
        &lodestone_planner::registry_from(lodestone_data::texts::PROJECTS, ds).unwrap(),
        &lodestone_planner::ForecastQuery {
            commodity: "tungsten".into(),
            stage: None,
            to: 2030,
            only_financed: false,
            draws: 100,
            seed: 2035,
            effects: store()
                .events()
                .iter()
                .flat_map(|e| e.output.iter().cloned())
                .collect(),
            assets: store().assets().to_vec(),
        },
    )
    .unwrap();
    assert_eq!(f.json, serde_json::to_value(&lib).unwrap());

    let e = get(&app, "/api/events?country=KAZ&commodity=tungsten").await;
    assert_eq!(e.status, StatusCode::OK);
    assert!(e
        .json
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["id"].as_str().unwrap_or_default().contains("cove-kaz")));
    let x = post(
        &app,
        "/api/events/extract?date=2025-11-07",
        "The Export-Import Bank of the United States issued a letter of interest for up to \
         USD 900 million to Cove Kaz Capital for the Boguty tungsten mine in Kazakhstan on Thursday.",
    )
    .await;
    assert_eq!(x.status, StatusCode::OK, "{}", x.json);
    let ev = &x.json["extraction"]["events"][0];
    assert!(ev["countries"].as_array().unwrap().contains(&"KAZ".into()));
    assert!(ev["commodities"]
        .as_array()
        .unwrap()
        .contains(&"tungsten".into()));
}

#[tokio::test]
async fn every_canned_scenario_runs_and_bad_ones_are_located() {
    let app = app();
    let list = get(&app, "/api/scenarios").await;
    let list = list.json.as_array().unwrap().clone();
    assert_eq!(list.len(), lodestone_data::texts::SCENARIOS.len());
    for s in &list {
        let r = post(
            &app,
            "/api/simulate?draws=20",
            s["toml"].as_str().unwrap().to_string(),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", s["file"], r.json);
        assert_eq!(r.json["draws"], 20);
    }
    let bad = "name = \"x\"\ndescription = \"y\"\n[[shock]]\nkind = \"export-ban\"\n";
    let r = post(&app, "/api/simulate", bad).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.json);
    assert!(r.json["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("request body:"));
}

/// The OpenAPI document lists exactly the routes the router serves.
#[tokio::test]
async fn openapi_document_matches_the_routes() {
    let app = app();
    let doc = get(&app, "/api/openapi.json").await;
    assert_eq!(doc.status, StatusCode::OK);
    assert!(doc.json["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc.json["paths"].as_object().unwrap();
    assert!(paths.len() >= 15, "{} paths", paths.len());
    for (path, ops) in paths {
        let uri = path.replace("{commodity}", "tungsten");
        for (method, _) in ops.as_object().unwrap() {
            let req = Request::builder()
                .method(method.to_uppercase().as_str())
                .uri(&uri)
                .body(Body::from(lodestone_data::texts::SCENARIOS[0].1))
                .unwrap();
            let r = send(&app, req).await;
            assert!(
                r.status != StatusCode::NOT_FOUND && r.status != StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path} is documented but not routed: {}",
                r.status
            );
        }
    }
}

/// Every 200 answer and every documented error has a real schema: walked from the response
/// through every `$ref`, no part is free-form (`{}`, or an object with neither properties nor
/// value type), and every `$ref` names a schema the document has.
#[test]
fn openapi_describes_every_answer() {
    let doc: Value = serde_json::from_str(&ApiDoc::openapi().to_json().unwrap()).unwrap();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let mut problems = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut answers = 0;
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            for (status, res) in op["responses"].as_object().unwrap() {
                let Some(schema) = res.pointer("/content/application~1json/schema") else {
                    problems.push(format!("{method} {path} {status}: no JSON schema"));
                    continue;
                };
                answers += usize::from(status == "200");
                let at = format!("{method} {path} {status}");
                walk(schema, &at, schemas, &mut seen, &mut problems);
            }
        }
    }
    assert_eq!(answers, 15, "every route documents its 200 answer");
    assert!(schemas.contains_key("ErrorBody"));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Checks one schema and everything it reaches (each named schema once).
fn walk(
    s: &Value,
    at: &str,
    schemas: &serde_json::Map<String, Value>,
    seen: &mut std::collections::BTreeSet<String>,
    problems: &mut Vec<String>,
) {
    let Some(obj) = s.as_object() else {
        problems.push(format!("{at}: free-form schema {s}"));
        return;
    };
    if let Some(r) = obj.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/components/schemas/");
        match schemas.get(name) {
            None => problems.push(format!("{at}: $ref {r} does not resolve")),
            Some(target) if seen.insert(name.to_string()) => {
                walk(target, name, schemas, seen, problems)
            }
            Some(_) => {}
        }
        return;
    }
    let shaped = ["type", "allOf", "oneOf", "anyOf", "enum", "const"]
        .iter()
        .any(|k| obj.contains_key(*k));
    let is_object = obj.get("type").is_some_and(|t| {
        t == "object" || t.as_array().is_some_and(|a| a.contains(&"object".into()))
    });
    if !shaped
        || (is_object
            && !obj.contains_key("properties")
            && !obj.contains_key("additionalProperties"))
    {
        problems.push(format!("{at}: free-form schema {s}"));
    }
    for (key, sub) in obj {
        let at = format!("{at}.{key}");
        match key.as_str() {
            "properties" => {
                for (name, p) in sub.as_object().unwrap() {
                    walk(p, &format!("{at}.{name}"), schemas, seen, problems);
                }
            }
            "items" | "additionalProperties" if sub.is_object() => {
                walk(sub, &at, schemas, seen, problems)
            }
            "allOf" | "oneOf" | "anyOf" | "prefixItems" => {
                for p in sub.as_array().unwrap() {
                    walk(p, &at, schemas, seen, problems);
                }
            }
            _ => {}
        }
    }
}

/// What the routes answer conforms to the document, exactly: every required field is there, every
/// field has its documented type, and no field arrives that the document does not name — so the
/// dashboard's generated types say what the wire carries.
#[tokio::test]
async fn answers_conform_to_their_schemas() {
    let app = app();
    let doc: Value = serde_json::from_str(&ApiDoc::openapi().to_json().unwrap()).unwrap();
    let article = "The Export-Import Bank of the United States issued a letter of interest for up \
                   to USD 900 million to Cove Kaz Capital for the Boguty tungsten mine in \
                   Kazakhstan on Thursday. China banned exports of antimony to the United States.";
    let calls: Vec<(&str, &str, Option<&str>)> = vec![
        ("/api/commodities", "/api/commodities", None),
        ("/api/countries", "/api/countries", None),
        ("/api/groups", "/api/groups", None),
        ("/api/profile/{commodity}", "/api/profile/tungsten", None),
        (
            "/api/profile/{commodity}",
            "/api/profile/cobalt?stage=refinery",
            None,
        ),
        ("/api/trade/{commodity}", "/api/trade/tungsten", None),
        (
            "/api/trade/{commodity}",
            "/api/trade/uranium?importer=USA",
            None,
        ),
        ("/api/risk", "/api/risk", None),
        (
            "/api/risk/{commodity}",
            "/api/risk/tungsten?method=geopolrisk",
            None,
        ),
        (
            "/api/risk/{commodity}",
            "/api/risk/tungsten?method=geopolrisk-stage",
            None,
        ),
        (
            "/api/risk/{commodity}",
            "/api/risk/tungsten?method=eu",
            None,
        ),
        (
            "/api/risk/{commodity}",
            "/api/risk/tungsten?method=hhi",
            None,
        ),
        ("/api/brief", "/api/brief", None),
        ("/api/scenarios", "/api/scenarios", None),
        (
            "/api/simulate",
            "/api/simulate?draws=20",
            Some(lodestone_data::texts::SCENARIOS[0].1),
        ),
        ("/api/projects", "/api/projects", None),
        (
            "/api/forecast/{commodity}",
            "/api/forecast/tungsten?draws=20",
            None,
        ),
        (
            "/api/plan/{commodity}",
            "/api/plan/tungsten?importer=USA",
            None,
        ),
        ("/api/events", "/api/events", None),
        (
            "/api/events/extract",
            "/api/events/extract?date=2025-11-07",
            Some(article),
        ),
        ("/api/profile/{commodity}", "/api/profile/unobtainium", None),
    ];
    let mut problems = Vec::new();
    for (path, uri, body) in calls {
        let (method, r) = match body {
            Some(b) => ("post", post(&app, uri, b.to_string()).await),
            None => ("get", get(&app, uri).await),
        };
        let status = r.status.as_u16().to_string();
        let schema = doc["paths"][path][method]["responses"][&status]
            .pointer("/content/application~1json/schema")
            .unwrap_or_else(|| panic!("{uri}: {status} is not documented: {}", r.json));
        conform(&r.json, schema, uri, &doc, &mut problems);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The property names an object schema allows (through `$ref` and `allOf`).
fn property_names(s: &Value, doc: &Value, out: &mut std::collections::BTreeSet<String>) {
    let s = resolve(s, doc);
    if let Some(p) = s["properties"].as_object() {
        out.extend(p.keys().cloned());
    }
    for part in s["allOf"].as_array().into_iter().flatten() {
        property_names(part, doc, out);
    }
}

fn resolve<'a>(s: &'a Value, doc: &'a Value) -> &'a Value {
    match s["$ref"].as_str() {
        Some(r) => resolve(
            &doc["components"]["schemas"][r.trim_start_matches("#/components/schemas/")],
            doc,
        ),
        None => s,
    }
}

/// Checks a value against the part of JSON Schema utoipa writes; `whole` when the schema is the
/// value's entire description (not one part of an `allOf`), so unnamed fields are reported.
fn conform(v: &Value, s: &Value, at: &str, doc: &Value, problems: &mut Vec<String>) {
    conform_part(v, s, at, doc, problems, true);
}

fn conform_part(
    v: &Value,
    s: &Value,
    at: &str,
    doc: &Value,
    problems: &mut Vec<String>,
    whole: bool,
) {
    let s = resolve(s, doc);
    if let Some(parts) = s["allOf"].as_array() {
        for part in parts {
            conform_part(v, part, at, doc, problems, false);
        }
    }
    if let Some(alts) = s["oneOf"].as_array() {
        let fits = alts.iter().any(|alt| {
            let mut p = Vec::new();
            conform(v, alt, at, doc, &mut p);
            p.is_empty()
        });
        if !fits {
            problems.push(format!("{at}: fits none of the alternatives"));
        }
    }
    if let Some(names) = s["enum"].as_array() {
        if !names.contains(v) {
            problems.push(format!("{at}: {v} is not one of {names:?}"));
        }
    }
    if let Some(t) = s.get("type") {
        let types: Vec<&str> = match t {
            Value::String(t) => vec![t.as_str()],
            _ => t
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap())
                .collect(),
        };
        let fits = types.iter().any(|t| match *t {
            "null" => v.is_null(),
            "string" => v.is_string(),
            "boolean" => v.is_boolean(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "array" => v.is_array(),
            "object" => v.is_object(),
            _ => false,
        });
        if !fits {
            problems.push(format!("{at}: {v} is not {types:?}"));
            return;
        }
    }
    if let Some(o) = v.as_object() {
        if whole && (s.get("properties").is_some() || s.get("allOf").is_some()) {
            let mut known = std::collections::BTreeSet::new();
            property_names(s, doc, &mut known);
            for k in o.keys().filter(|k| !known.contains(*k)) {
                problems.push(format!("{at}: field {k} is not in the schema"));
            }
        }
        for name in s["required"].as_array().into_iter().flatten() {
            if !o.contains_key(name.as_str().unwrap()) {
                problems.push(format!("{at}: required field {name} is missing"));
            }
        }
        for (k, sub) in s["properties"].as_object().into_iter().flatten() {
            if let Some(x) = o.get(k) {
                conform(x, sub, &format!("{at}.{k}"), doc, problems);
            }
        }
        if s["additionalProperties"].is_object() {
            for (k, x) in o {
                conform(
                    x,
                    &s["additionalProperties"],
                    &format!("{at}.{k}"),
                    doc,
                    problems,
                );
            }
        }
    }
    if let Some(a) = v.as_array() {
        let len = a.len() as u64;
        if s["minItems"].as_u64().is_some_and(|m| len < m)
            || s["maxItems"].as_u64().is_some_and(|m| len > m)
        {
            problems.push(format!("{at}: {len} items"));
        }
        let prefix = s["prefixItems"].as_array();
        if let Some(p) = prefix {
            if p.len() != a.len() {
                problems.push(format!("{at}: {len} items for a tuple of {}", p.len()));
            }
        }
        for (i, x) in a.iter().enumerate() {
            let sub = match prefix {
                Some(p) => p.get(i).unwrap_or(&Value::Null),
                None => &s["items"],
            };
            if sub.is_object() {
                conform(x, sub, &format!("{at}[{i}]"), doc, problems);
            }
        }
    }
}

/// The committed `web/openapi.json` — which the dashboard's TypeScript types are generated from —
/// is the document this server serves. `UPDATE_OPENAPI=1` rewrites it.
#[test]
fn openapi_matches_the_committed_document() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../web/openapi.json");
    let now = ApiDoc::openapi().to_pretty_json().unwrap() + "\n";
    if std::env::var_os("UPDATE_OPENAPI").is_some_and(|v| v == "1") {
        std::fs::write(path, &now).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == now,
        "web/openapi.json is not the document the server serves; run \
         `UPDATE_OPENAPI=1 cargo test -p lodestone-server --test server openapi_matches`, \
         then `npm run gen:api` in web/"
    );
}

/// The server on a real loopback socket, as `lodestone serve` runs it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_over_loopback() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        lodestone_server::listen::run(listener, app(), &Limits::default(), std::future::pending())
            .await
    });
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<http_body_util::Empty<hyper::body::Bytes>>();
    let uri: hyper::Uri = format!("http://{addr}/api/commodities").parse().unwrap();
    let res = client.get(uri).await.unwrap();
    assert_eq!(res.status(), 200);
    let body = res.into_body().collect().await.unwrap().to_bytes();
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert!(v.as_array().unwrap().iter().any(|c| c["id"] == "tungsten"));
    server.abort();
}

/// Debian's chromium, if installed (`LODESTONE_CHROMIUM` overrides the name).
fn chromium() -> Option<String> {
    let candidates = match std::env::var("LODESTONE_CHROMIUM") {
        Ok(c) => vec![c],
        Err(_) => vec!["chromium".into(), "chromium-browser".into()],
    };
    candidates.into_iter().find(|c| {
        std::process::Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Runs headless chromium on `url` with `extra` flags; returns (stdout, stderr).
fn headless(
    browser: &str,
    profile: &std::path::Path,
    url: &str,
    extra: &[&str],
) -> (String, String) {
    let out = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1280,1400",
            "--virtual-time-budget=30000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .output()
        .expect("chromium runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every dashboard page in a real browser against a real server: it loads with no console
/// message, draws its charts, shows no error, the scenario form runs, and a screenshot is kept
/// in `target/screenshots/`. Needs chromium and the built dashboard (`web/dist`), so it is
/// `#[ignore]`d; `.ci/run` installs both and runs it.
#[test]
#[ignore = "external: chromium and the built dashboard (web/dist)"]
fn external_browser_dashboard_pages_in_headless_chromium() {
    let browser = chromium().expect("this test needs chromium on the PATH (or LODESTONE_CHROMIUM)");
    assert!(
        lodestone_server::assets::dashboard_built(),
        "this test needs the dashboard built into the binary: `npm --prefix web ci && npm --prefix web run build`, then rebuild"
    );
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, app()).await.unwrap();
        });
    });
    let addr = rx.recv().unwrap();
    let shots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let profile = std::env::temp_dir().join(format!("lodestone-chromium-{}", std::process::id()));
    for (name, hash, charts) in [
        ("commodity", "#/commodity?c=tungsten", 3),
        (
            "commodity-refinery",
            "#/commodity?c=cobalt&stage=refinery",
            3,
        ),
        (
            "commodity-enrichment",
            "#/commodity?c=uranium&stage=enrichment",
            3,
        ),
        ("country", "#/country?importer=USA&c=tungsten", 1),
        ("country-uranium", "#/country?importer=USA&c=uranium", 2),
        ("risk", "#/risk?viewpoint=USA", 2),
        (
            "scenario",
            "#/scenario?s=china-2023-graphite.toml&run=1&draws=50",
            1,
        ),
        ("planner", "#/planner?c=tungsten&cap=CHN%3D0.2&prefer=c5", 2),
        ("events", "#/events?c=tungsten", 1),
    ] {
        let url = format!("http://{addr}/{hash}");
        let (dom, log) = headless(&browser, &profile, &url, &["--dump-dom"]);
        let console: Vec<&str> = log.lines().filter(|l| l.contains(":CONSOLE")).collect();
        assert!(console.is_empty(), "{name}: console messages: {console:#?}");
        assert!(
            dom.contains(r#"data-ready="yes""#),
            "{name}: page never finished:\n{dom}"
        );
        assert!(
            !dom.contains(r#"class="error""#),
            "{name}: shows an error:\n{dom}"
        );
        let drawn = dom.matches(r#"data-rendered="yes""#).count();
        assert!(
            drawn >= charts,
            "{name}: {drawn} charts drawn, expected {charts}"
        );
        page_specific(name, &dom);
        let png = shots.join(format!("{name}.png"));
        let _ = std::fs::remove_file(&png);
        headless(
            &browser,
            &profile,
            &url,
            &[&format!("--screenshot={}", png.display())],
        );
        let size = std::fs::metadata(&png).map(|m| m.len()).unwrap_or(0);
        assert!(
            size > 10_000,
            "{name}: screenshot {} is {size} bytes",
            png.display()
        );
    }
    let _ = std::fs::remove_dir_all(&profile);
}

/// What one dashboard page must show beyond loading cleanly.
fn page_specific(name: &str, dom: &str) {
    if name.starts_with("commodity") {
        assert!(
            dom.contains(r#"<select name="stage">"#),
            "{name}: no stage selector"
        );
    }
    if name == "commodity-refinery" {
        assert!(
            dom.contains(r#"<option value="refinery" selected="">refinery</option>"#)
                && dom.contains(r#"data-stage="refinery""#),
            "cobalt: the stage selector does not show the refinery stage:\n{dom}"
        );
        assert!(
            dom.contains(r#"<td class="concern">China</td>"#),
            "cobalt refinery: China is not among the producers:\n{dom}"
        );
    }
    if name == "commodity-enrichment" {
        assert!(
            dom.contains(r#"data-measure="capacity""#) && dom.contains("enrichment capacity"),
            "uranium enrichment is published as capacity and must say so:\n{dom}"
        );
    }
    if name == "country-uranium" {
        assert!(
            dom.contains(r#"data-product-set="reconciled""#)
                && dom.contains(r#"data-product-set="reported""#)
                && dom.contains("purchases #1")
                && dom.contains("Coverage: "),
            "uranium imports: one block per product set, with product labels and coverage:\n{dom}"
        );
        assert!(
            dom.contains("<td>–</td>"),
            "uranium purchases give no value: the table must print –, not 0"
        );
    }
    if name == "scenario" {
        assert!(
            dom.contains(r#"data-done="yes""#),
            "the scenario did not run"
        );
        assert!(
            dom.contains("initial shock") && dom.contains("<tr><td>KOR"),
            "the graphite scenario shows no losses (South Korea buys most of China's graphite)"
        );
    }
}
