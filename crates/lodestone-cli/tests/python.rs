//! The Python package's test suite (crates/lodestone-py/tests, pytest) on the installed wheel.
//! `.ci/run` builds the wheel with maturin and installs it in a fresh virtual environment
//! (target/py-test); without that environment (or LODESTONE_PYTHON naming its python) the test
//! is skipped as an ignored external test, never passed.

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn python() -> Option<PathBuf> {
    std::env::var_os("LODESTONE_PYTHON")
        .map(PathBuf::from)
        .or_else(|| Some(workspace().join("target/py-test/bin/python")))
        .filter(|p| p.is_file())
}

#[test]
#[ignore = "external: needs the wheel installed in target/py-test (built by .ci/run)"]
fn external_python_pytest_suite_passes_on_the_installed_wheel() {
    let Some(py) = python() else {
        panic!("no python with the lodestone wheel: run .ci/run or set LODESTONE_PYTHON");
    };
    let tests = workspace().join("crates/lodestone-py/tests");
    // Run from a folder outside the source tree, so `import lodestone` finds the installed
    // wheel and not crates/lodestone-py/python.
    let run_in = tempfile::tempdir().unwrap();
    let out = Command::new(&py)
        .args([
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-W",
            "error::pytest.PytestUnraisableExceptionWarning",
        ])
        .arg(&tests)
        .env("LODESTONE_BIN", env!("CARGO_BIN_EXE_lodestone"))
        .current_dir(run_in.path())
        .output()
        .expect("run pytest");
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "pytest failed");
    let summary = stdout.lines().last().unwrap_or_default();
    assert!(
        summary.contains("passed") && !summary.contains("skipped"),
        "{summary}"
    );
}
