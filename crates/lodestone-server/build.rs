//! Builds the dashboard front end (`web/`, TypeScript + ECharts via Vite) into `web/dist` so the
//! server can embed it. Needs npm; without it, or if the build fails, the crate still builds and
//! `lodestone serve` says how to build the dashboard. `LODESTONE_SKIP_WEB=1` skips the step.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

fn newest(dir: &Path) -> Option<SystemTime> {
    let mut best = None;
    for e in std::fs::read_dir(dir).ok()?.flatten() {
        let p = e.path();
        let t = if p.is_dir() {
            newest(&p)
        } else {
            e.metadata().and_then(|m| m.modified()).ok()
        };
        best = best.max(t);
    }
    best
}

fn npm(web: &Path, args: &[&str]) -> bool {
    match Command::new("npm").args(args).current_dir(web).status() {
        Ok(s) if s.success() => true,
        Ok(s) => {
            println!(
                "cargo:warning=dashboard: `npm {}` failed ({s})",
                args.join(" ")
            );
            false
        }
        Err(e) => {
            println!("cargo:warning=dashboard: npm not found ({e}); `lodestone serve` will serve the API only");
            false
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets this"));
    let web = manifest.join("../../web");
    for f in [
        "src",
        "index.html",
        "package.json",
        "package-lock.json",
        "vite.config.ts",
    ] {
        println!("cargo:rerun-if-changed={}", web.join(f).display());
    }
    println!("cargo:rerun-if-env-changed=LODESTONE_SKIP_WEB");
    if std::env::var_os("LODESTONE_SKIP_WEB").is_some() || !web.join("package.json").is_file() {
        return;
    }
    let built = web.join("dist/index.html");
    let source = [
        newest(&web.join("src")),
        web.join("index.html")
            .metadata()
            .and_then(|m| m.modified())
            .ok(),
    ]
    .into_iter()
    .flatten()
    .max();
    let fresh = match (built.metadata().and_then(|m| m.modified()).ok(), source) {
        (Some(b), Some(s)) => b >= s,
        _ => false,
    };
    if fresh {
        return;
    }
    if !web.join("node_modules").is_dir() && !npm(&web, &["ci", "--no-audit", "--no-fund"]) {
        return;
    }
    npm(&web, &["run", "build"]);
}
