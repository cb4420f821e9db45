#!/usr/bin/env bash
# Full-size BACI CSV benchmark: Lodestone's streaming scan vs polars, same synthetic file.
# usage: bash benches/baci_scan.sh [ROWS]   (default 50,000,000 rows, about 1.6 GB)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-50000000}
mkdir -p target/ext
file="target/ext/baci_synthetic_${rows}.csv"
cargo build --release --quiet -p lodestone-cli --bin lodestone
cargo build --release --quiet -p lodestone-sources --example baci_synth
if [ ! -f "$file" ]; then
  ./target/release/examples/baci_synth "$rows" "$file.tmp" && mv "$file.tmp" "$file"
fi
ls -l "$file" | awk '{printf "file: %s, %.2f GB\n", $NF, $5 / 1e9}'
if [ ! -x target/ext/venv/bin/python ]; then python3 -m venv target/ext/venv; fi
target/ext/venv/bin/python -c 'import polars' 2>/dev/null || target/ext/venv/bin/pip install --quiet polars
for run in 1 2; do
  /usr/bin/time -f "lodestone: peak %M KB, %e s wall" ./target/release/lodestone data scan-baci --quiet --nomenclature HS1992 "$file"
  target/ext/venv/bin/python benches/baci_polars.py "$file" data/hs-concordance.csv
done
