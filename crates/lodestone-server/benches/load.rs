//! Load test: the API on a loopback socket driven open-loop at a fixed request rate, latency
//! measured from each request's scheduled send time (so a stalled server cannot hide its queue).
//!
//! `cargo bench -p lodestone-server --bench load` runs 60 s of `/api/profile/tungsten` at
//! 1,000 requests/s, then 60 s of `/api/risk/tungsten` at 200 requests/s. Override with
//! `LOAD_SECS`, `LOAD_RATE` and `LOAD_RISK_RATE`. Server and load generator share the machine,
//! each on its own runtime (2 and 1 worker threads).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

use lodestone_server::{router, AppState, Limits};

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Outcome {
    latencies: Vec<Duration>,
    errors: usize,
    wall: Duration,
}

fn run(addr: std::net::SocketAddr, path: &str, rate: u64, secs: u64) -> Outcome {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("client runtime");
    rt.block_on(async move {
        let client = Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(256)
            .build_http::<Empty<Bytes>>();
        let uri: hyper::Uri = format!("http://{addr}{path}").parse().expect("uri");
        let latencies = Arc::new(Mutex::new(Vec::with_capacity((rate * secs) as usize)));
        let errors = Arc::new(Mutex::new(0usize));
        let period = Duration::from_secs_f64(1.0 / rate as f64);
        let start = tokio::time::Instant::now();
        let mut tasks = Vec::new();
        for i in 0..rate * secs {
            let scheduled = start + period * i as u32;
            tokio::time::sleep_until(scheduled).await;
            let (client, uri) = (client.clone(), uri.clone());
            let (latencies, errors) = (latencies.clone(), errors.clone());
            tasks.push(tokio::spawn(async move {
                let ok = match client.get(uri).await {
                    Ok(res) => {
                        let status = res.status();
                        res.into_body().collect().await.is_ok() && status == 200
                    }
                    Err(_) => false,
                };
                let took = scheduled.elapsed();
                if ok {
                    latencies.lock().expect("lock").push(took);
                } else {
                    *errors.lock().expect("lock") += 1;
                }
            }));
        }
        for t in tasks {
            let _ = t.await;
        }
        let wall = start.elapsed();
        let latencies = std::mem::take(&mut *latencies.lock().expect("lock"));
        let errors = *errors.lock().expect("lock");
        Outcome {
            latencies,
            errors,
            wall,
        }
    })
}

fn report(name: &str, rate: u64, o: &mut Outcome) {
    o.latencies.sort_unstable();
    let q = |p: f64| {
        let v = &o.latencies;
        if v.is_empty() {
            return f64::NAN;
        }
        v[((v.len() - 1) as f64 * p).round() as usize].as_secs_f64() * 1e3
    };
    let done = o.latencies.len();
    println!(
        "{name}: target {rate}/s, {done} ok, {} errors in {:.1} s ({:.0} req/s); latency ms p50 {:.3} p90 {:.3} p99 {:.3} p99.9 {:.3} max {:.3}",
        o.errors,
        o.wall.as_secs_f64(),
        done as f64 / o.wall.as_secs_f64(),
        q(0.5),
        q(0.9),
        q(0.99),
        q(0.999),
        q(1.0)
    );
}

fn main() {
    // `cargo test --benches` runs this with --bench absent; keep that fast.
    let quick = !std::env::args().any(|a| a == "--bench");
    let secs = if quick { 1 } else { env_or("LOAD_SECS", 60) };
    let rate = env_or("LOAD_RATE", 1000);
    let risk_rate = env_or("LOAD_RISK_RATE", 200);
    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("server runtime");
    let listener = server
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind loopback");
    let addr = listener.local_addr().expect("address");
    // One client drives the whole load, so its rate limit is lifted for the measurement.
    let limits = Limits {
        rate_per_sec: 1_000_000,
        rate_burst: 1_000_000,
        connections: 4096,
        ..Limits::default()
    };
    let state = AppState::new(
        lodestone_app::Store::embedded(None).expect("embedded data"),
        limits,
    );
    server.spawn(async move {
        lodestone_server::listen::run(listener, router(state), &limits, std::future::pending())
            .await
    });
    let t = Instant::now();
    for (name, path, r) in [
        ("profile", "/api/profile/tungsten", rate),
        ("risk", "/api/risk/tungsten?viewpoint=USA", risk_rate),
    ] {
        let mut o = run(addr, path, r, secs);
        report(name, r, &mut o);
    }
    eprintln!("load test done in {:.1} s", t.elapsed().as_secs_f64());
}
