#!/usr/bin/env python3
"""The polars side of the BACI benchmark: the same job as `lodestone data scan-baci`.

usage: python baci_polars.py FILE CONCORDANCE.csv [NOMENCLATURE]
Reads FILE (BACI layout t,i,j,k,v,q with "NA" quantities), keeps the codes the concordance lists
for the file's HS edition (default HS1992),
sums value and quantity per (t, i, j, commodity, stage), and prints rows/s and peak memory.
"""
import resource
import sys
import time

import polars as pl

path, concordance = sys.argv[1], sys.argv[2]
edition = sys.argv[3] if len(sys.argv) > 3 else "HS1992"
t0 = time.time()
links = (
    pl.read_csv(concordance, columns=["nomenclature", "code", "commodity", "stage"], schema_overrides={"code": pl.Int64})
    .filter(pl.col("nomenclature") == edition)
    .select(pl.col("code").alias("hs6"), "commodity", "stage")
)
lazy = (
    pl.scan_csv(path, schema_overrides={"t": pl.Int32, "i": pl.Int32, "j": pl.Int32, "k": pl.Int64, "v": pl.Float64, "q": pl.Utf8})
    .with_columns(pl.col("q").str.strip_chars().replace("NA", None).cast(pl.Float64))
    .join(links.lazy(), left_on="k", right_on="hs6", how="inner")
    .group_by(["t", "i", "j", "commodity", "stage"])
    .agg(pl.col("v").sum(), pl.col("q").sum(), pl.len().alias("rows"))
)
out = lazy.collect(engine="streaming")
secs = time.time() - t0
rows = pl.scan_csv(path).select(pl.len()).collect(engine="streaming").item()  # untimed
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"polars {pl.__version__}: {rows} rows in {secs:.2f} s ({rows / secs / 1e6:.1f} M rows/s), {len(out)} cells, peak {peak_mb:.0f} MB")
