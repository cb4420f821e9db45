//! The server under attack, as a careful operator would try it: heavy requests beyond the
//! machine's cores are admitted or refused (never left to time out), abandoned work stops,
//! cheap routes stay fast, idle and slow connections are closed, one client cannot crowd out
//! the rest, cross-site requests are refused, and every refusal is the API's JSON error.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tower::ServiceExt;

use lodestone_server::access::Access;
use lodestone_server::{router, AppState, Limits, Shared};

/// The tests that time the machine's response run one at a time, so one's load does not
/// become another's latency.
static TIMED: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn store() -> lodestone_app::Store {
    lodestone_app::Store::embedded(None).expect("embedded data")
}

/// The largest canned scenario (six networks, 4,775 links).
fn heavy_scenario() -> &'static str {
    lodestone_data::texts::SCENARIOS
        .iter()
        .find(|(f, _)| f.contains("russia"))
        .expect("the Russia scenario is canned")
        .1
}

/// The server on a loopback socket, as `lodestone serve` runs it.
async fn start(state: Shared) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let limits = state.limits;
    tokio::spawn(async move {
        lodestone_server::listen::run(listener, router(state), &limits, std::future::pending())
            .await
    });
    addr
}

/// One request on its own connection; (status, headers, body).
async fn call(
    addr: SocketAddr,
    method: &str,
    target: &str,
    extra: &str,
    body: &str,
) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let req = format!(
        "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{extra}Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out).await;
    let text = String::from_utf8_lossy(&out).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, head.to_ascii_lowercase(), body.to_string())
}

/// CPU seconds this process has used (user + system), from /proc; None elsewhere.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// Waits until no heavy computation holds a slot; how long that took.
async fn until_idle(st: &Shared, within: Duration) -> Duration {
    let t = Instant::now();
    while st.admission.running() > 0 {
        assert!(
            t.elapsed() < within,
            "a computation was still running {within:?} later"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    t.elapsed()
}

/// Draws that make one run of the heavy scenario take about a second in this build (debug or
/// release), measured after a warm-up run that loads the trade data.
async fn draws_for_a_second(st: &Shared) -> u32 {
    let st = st.clone();
    tokio::task::spawn_blocking(move || {
        let run = |draws: u32| {
            let q = lodestone_app::simulate::SimulateQuery {
                draws: Some(draws),
                ..Default::default()
            };
            let source = lodestone_app::simulate::ScenarioSource::Text {
                name: "probe".into(),
                text: heavy_scenario().into(),
            };
            let t = Instant::now();
            lodestone_app::simulate::run(
                &st.store,
                &source,
                &q,
                &lodestone_app::Limits::default(),
                &lodestone_app::Cancel::never(),
            )
            .unwrap();
            t.elapsed().as_secs_f64()
        };
        run(0);
        let per_draw = run(20) / 20.0;
        ((1.0 / per_draw) as u32).clamp(20, 5000)
    })
    .await
    .unwrap()
}

/// A simulate request the server's draw cap allows that runs for many seconds in any build.
const LONG_DRAWS: u32 = 5000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heavy_load_is_admitted_or_refused_and_cheap_routes_stay_fast() {
    let _timed = TIMED.lock().await;
    let st = AppState::new(store(), Limits::default());
    let addr = start(st.clone()).await;
    let draws = draws_for_a_second(&st).await;
    let timeout = Duration::from_secs(st.limits.timeout_secs);
    // 32 heavy requests at once, each its own client connection.
    let t0 = Instant::now();
    let heavy: Vec<_> = (0..32)
        .map(|_| {
            tokio::spawn(async move {
                let t = Instant::now();
                let r = call(
                    addr,
                    "POST",
                    &format!("/api/simulate?draws={draws}"),
                    "Content-Type: application/toml\r\n",
                    heavy_scenario(),
                )
                .await;
                (r, t.elapsed())
            })
        })
        .collect();
    // Meanwhile, cheap lookups from another client, one after another.
    let cheap = tokio::spawn(async move {
        let mut lat = Vec::new();
        while t0.elapsed() < Duration::from_secs(4) {
            let t = Instant::now();
            let (status, _, _) = call(addr, "GET", "/api/groups", "", "").await;
            assert_eq!(status, 200);
            lat.push(t.elapsed());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        lat
    });
    let (mut ok, mut busy) = (0, 0);
    for h in heavy {
        let ((status, head, body), took) = h.await.unwrap();
        assert!(took < timeout, "a heavy request took {took:?}");
        match status {
            200 => ok += 1,
            503 | 429 => {
                busy += 1;
                assert!(head.contains("retry-after:"), "{head}");
                let v: Value = serde_json::from_str(&body).expect("a JSON error");
                assert_eq!(v["error"]["status"], status);
            }
            other => panic!("heavy request answered {other}: {body}"),
        }
    }
    let load_end = Instant::now();
    assert!(ok >= 1, "no heavy request was served");
    assert!(
        busy >= 1,
        "32 heavy requests on {} slots: none refused",
        st.limits.heavy_jobs
    );
    let mut lat = cheap.await.unwrap();
    lat.sort();
    let p99 = lat[(lat.len() * 99 / 100).min(lat.len() - 1)];
    eprintln!(
        "draws {draws}: {ok} served, {busy} refused; cheap p99 {p99:?} over {} requests",
        lat.len()
    );
    assert!(lat.len() >= 20, "too few cheap requests measured");
    assert!(p99 < Duration::from_millis(50), "cheap p99 {p99:?}");
    // Idle within a second of the last answer: no computation outlives its request.
    until_idle(&st, Duration::from_secs(1)).await;
    let wait = Duration::from_secs(1).saturating_sub(load_end.elapsed());
    tokio::time::sleep(wait).await;
    if let Some(c0) = cpu_seconds() {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let used = cpu_seconds().unwrap() - c0;
        assert!(
            used < 0.2,
            "{used:.2} CPU-seconds used in the second after the load"
        );
    } else {
        eprintln!("SKIP (CPU check): /proc/self/stat is not available");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disconnected_simulate_stops_within_a_second() {
    let _timed = TIMED.lock().await;
    let st = AppState::new(store(), Limits::default());
    let addr = start(st.clone()).await;
    let draws = LONG_DRAWS;
    let mut s = TcpStream::connect(addr).await.unwrap();
    let body = heavy_scenario();
    let req = format!(
        "POST /api/simulate?draws={draws} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/toml\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let t = Instant::now();
    while st.admission.running() == 0 {
        assert!(
            t.elapsed() < Duration::from_secs(5),
            "the simulation never started"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        st.admission.running(),
        1,
        "finished before the client left; proves nothing"
    );
    drop(s);
    let stopped = until_idle(&st, Duration::from_secs(1)).await;
    eprintln!("{draws} draws: stopped {stopped:?} after the client left");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timed_out_simulate_answers_408_and_stops() {
    let _timed = TIMED.lock().await;
    let limits = Limits {
        timeout_secs: 1,
        ..Limits::default()
    };
    let st = AppState::new(store(), limits);
    let addr = start(st.clone()).await;
    let draws = LONG_DRAWS;
    let (status, _, body) = call(
        addr,
        "POST",
        &format!("/api/simulate?draws={draws}"),
        "Content-Type: application/toml\r\n",
        heavy_scenario(),
    )
    .await;
    assert_eq!(status, 408, "{body}");
    assert!(body.contains("\"timeout\""), "{body}");
    until_idle(&st, Duration::from_secs(1)).await;
}

#[tokio::test]
async fn work_over_the_budget_is_refused_before_it_starts() {
    let limits = Limits {
        work: 1_000_000,
        ..Limits::default()
    };
    let app = router(AppState::new(store(), limits));
    let req = Request::post("/api/simulate?draws=1000")
        .header(header::CONTENT_TYPE, "application/toml")
        .body(Body::from(heavy_scenario()))
        .unwrap();
    let t = Instant::now();
    let res = app.oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value =
        serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes()).unwrap();
    let msg = v["error"]["message"].as_str().unwrap();
    assert_eq!(v["error"]["kind"], "over_budget");
    assert!(
        msg.contains("the limit is 1000000") && msg.contains("lower the draws"),
        "{msg}"
    );
    assert!(
        t.elapsed() < Duration::from_secs(5),
        "refused only after {:?}",
        t.elapsed()
    );
}

async fn oneshot(
    app: &axum::Router,
    req: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, Value) {
    let res = app.clone().oneshot(req).await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        headers,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn cross_site_requests_are_refused() {
    let app = router(AppState::with_access(
        store(),
        Limits::default(),
        Access::with_hosts(&["lab.example.org".into()]),
    ));
    let get = |host: &str, origin: Option<&str>| {
        let mut r = Request::get("/api/groups").header(header::HOST, host);
        if let Some(o) = origin {
            r = r.header(header::ORIGIN, o);
        }
        r.body(Body::empty()).unwrap()
    };
    for (host, origin, want) in [
        ("localhost:8080", None, 200),
        ("127.0.0.1:8080", Some("http://127.0.0.1:8080"), 200),
        ("[::1]:8080", None, 200),
        (
            "lab.example.org:8080",
            Some("http://lab.example.org:8080"),
            200,
        ),
        // DNS rebinding: a foreign name that resolves to this machine.
        ("evil.example:8080", None, 403),
        // A page on another site calling the loopback server.
        ("localhost:8080", Some("http://evil.example"), 403),
        ("localhost:8080", Some("null"), 403),
    ] {
        let (status, headers, v) = oneshot(&app, get(host, origin)).await;
        assert_eq!(status.as_u16(), want, "{host} {origin:?}: {v}");
        if want == 403 {
            assert_eq!(v["error"]["kind"], "forbidden");
            assert!(headers.contains_key("content-security-policy"));
        }
    }
    // A cross-site form can send these types without a preflight; the API takes none of them.
    for kind in [
        None,
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
    ] {
        let mut r = Request::post("/api/simulate?draws=0");
        if let Some(k) = kind {
            r = r.header(header::CONTENT_TYPE, k);
        }
        let (status, _, v) = oneshot(&app, r.body(Body::from(heavy_scenario())).unwrap()).await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{kind:?}: {v}");
        assert!(v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("application/toml"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_request_heads_get_the_json_error_and_security_headers() {
    let addr = start(AppState::new(store(), Limits::default())).await;
    let long = format!("/api/groups?{}", "x".repeat(10_000));
    let (status, head, body) = call(addr, "GET", &long, "", "").await;
    assert_eq!(status, 414, "{head}");
    assert!(head.contains("content-security-policy"), "{head}");
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["error"]["status"],
        414
    );
    let fat = format!("X-Padding: {}\r\n", "y".repeat(20_000));
    let (status, head, body) = call(addr, "GET", "/api/groups", &fat, "").await;
    assert_eq!(status, 431, "{head}");
    assert!(head.contains("x-frame-options"), "{head}");
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["error"]["status"],
        431
    );
}

/// Reads until the server closes the connection; how long that took (None: still open).
async fn closed_within(s: &mut TcpStream, within: Duration) -> Option<Duration> {
    let t = Instant::now();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(within.saturating_sub(t.elapsed()), s.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return Some(t.elapsed()),
            Ok(Ok(_)) => continue,
            Err(_) => return None,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_and_slow_connections_are_closed_and_their_number_capped() {
    let limits = Limits {
        header_secs: 1,
        connections: 3,
        ..Limits::default()
    };
    let addr = start(AppState::new(store(), limits)).await;
    // Silent, then slow-header, then idle after a keep-alive response.
    let mut silent = TcpStream::connect(addr).await.unwrap();
    let mut slow = TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /api/groups HTTP/1.1\r\nHost: localhost\r\n")
        .await
        .unwrap();
    let mut kept = TcpStream::connect(addr).await.unwrap();
    kept.write_all(b"GET /api/groups HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 1 << 16];
    let n = kept.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    // Three connections are open: a fourth is closed as it arrives.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut fourth = TcpStream::connect(addr).await.unwrap();
    let _ = fourth
        .write_all(b"GET /api/groups HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await;
    let t = closed_within(&mut fourth, Duration::from_millis(900)).await;
    assert!(t.is_some(), "a connection over the cap was kept open");
    for (name, s) in [
        ("silent", &mut silent),
        ("slow", &mut slow),
        ("idle", &mut kept),
    ] {
        let t = closed_within(s, Duration::from_secs(3)).await;
        assert!(t.is_some(), "the {name} connection was never closed");
    }
    // With the slots free again, a new client is served.
    let (status, _, _) = call(addr, "GET", "/api/groups", "", "").await;
    assert_eq!(status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_client_over_its_rate_gets_429_with_retry_after() {
    let limits = Limits {
        rate_per_sec: 1,
        rate_burst: 3,
        ..Limits::default()
    };
    let addr = start(AppState::new(store(), limits)).await;
    let mut statuses = Vec::new();
    let mut last = (String::new(), String::new());
    for _ in 0..5 {
        let (status, head, body) = call(addr, "GET", "/api/groups", "", "").await;
        statuses.push(status);
        last = (head, body);
    }
    assert_eq!(&statuses[..3], &[200, 200, 200], "{statuses:?}");
    assert_eq!(statuses[4], 429, "{statuses:?}");
    assert!(last.0.contains("retry-after:"), "{}", last.0);
    let v: Value = serde_json::from_str(&last.1).unwrap();
    assert_eq!(v["error"]["kind"], "rate_limited");
}

#[tokio::test]
async fn strict_queries_unknown_parameters_bad_numbers_and_years() {
    let app = router(AppState::new(store(), Limits::default()));
    let get = |uri: &str| Request::get(uri).body(Body::empty()).unwrap();
    for (uri, status, needle) in [
        ("/api/profile/tungsten?yaer=2023", 400, "yaer"),
        ("/api/groups?list=us2025", 400, "list"),
        ("/api/scenarios?x=1", 400, "x"),
        ("/api/plan/tungsten?cost_weight=nan", 400, "cost_weight"),
        ("/api/plan/tungsten?min_share=inf", 400, "min_share"),
        ("/api/risk?year=1800", 400, "valid choices"),
        ("/api/brief?year=1800", 400, "valid choices"),
        ("/api/plan/tungsten?year=1800", 400, "1800"),
    ] {
        let (s, _, v) = oneshot(&app, get(uri)).await;
        assert_eq!(s.as_u16(), status, "{uri}: {v}");
        let msg = v["error"]["message"].as_str().unwrap_or_default();
        assert!(msg.contains(needle), "{uri}: {msg}");
        assert!(!msg.contains('\n'), "{uri}: multi-line message {msg:?}");
    }
    // The dashboard's page keeps its own caching policy through the ETag layer.
    let (s, headers, _) = oneshot(&app, get("/")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
    assert!(headers.contains_key(header::ETAG));
}

#[test]
fn the_gate_holds_its_sizes() {
    let limits = Limits {
        heavy_jobs: 3,
        ..Limits::default()
    };
    let st: Arc<AppState> = AppState::new(store(), limits);
    assert_eq!(st.admission.running(), 0);
}
