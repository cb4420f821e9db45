#!/usr/bin/env bash
# Cascade benchmark: Lodestone vs the vectorised NumPy reference, same network, same run.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/ext
[ -x target/ext/venv/bin/python ] || python3 -m venv target/ext/venv
target/ext/venv/bin/python -c 'import numpy' 2>/dev/null || target/ext/venv/bin/pip install --quiet numpy
cargo bench -p lodestone-cascade --bench cascade -- "$PWD/target/ext" "$@"
target/ext/venv/bin/python benches/marchand_numpy.py "$PWD/target/ext"
