//! The dashboard (`web/`, TypeScript + ECharts via Vite) is built by npm outside cargo —
//! `tools/build-web`, which `.ci/run` calls — into `web/dist`, which this crate embeds. This
//! script only tells cargo to re-embed when the built files change; it never runs npm.

fn main() {
    println!("cargo:rerun-if-changed=../../web/dist");
}
