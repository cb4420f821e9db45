#!/usr/bin/env python3
"""Regenerate data/countries.csv from the mledoze countries table (ODbL 1.0).

Only facts are taken (codes, common and official names, region, alternative spellings);
source-specific spellings live in data/country_aliases.csv, which is edited by hand.

usage: python3 tools/make_countries.py <reference-dir> > data/countries.csv
"""
import csv, json, sys

ref = sys.argv[1]
rows = json.load(open(f"{ref}/countries/mledoze_countries.json", encoding="utf-8"))
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["iso3", "iso2", "numeric", "name", "official", "region", "subregion", "aliases"])
for c in sorted(rows, key=lambda c: c["cca3"]):
    names = {c["name"]["common"], c["name"]["official"]}
    alts = [a for a in c.get("altSpellings", []) if len(a) > 3 and a not in names]
    out.writerow([
        c["cca3"], c["cca2"], c.get("ccn3", ""), c["name"]["common"], c["name"]["official"],
        c.get("region", ""), c.get("subregion", ""), "|".join(alts),
    ])
