//! Why this file exists: which arrays of each result are its tables, and the method each
//! result applies, in one list (the notes sheet quotes the method next to the figures).

use crate::flatten::{Shape, TableSpec};

const fn t(name: &'static str, path: &'static str, keep: &'static [&'static str]) -> TableSpec {
    TableSpec { name, path, keep }
}

pub const PROFILE: Shape = Shape {
    kind: "profile",
    tables: &[
        t(
            "producers",
            "producers[]",
            &["commodity", "stage", "measure", "year", "unit", "basis"],
        ),
        t("groups", "groups[]", &[]),
        t("control", "control.assets[]", &[]),
    ],
    method: "Producers ranked by the source's country figures for the stage and year; each share \
             is the country figure over the stated denominator (see denominator_rule); HHI on the \
             0–1 scale over country shares, the source's 'Other countries' row excluded; control \
             by the concern set counts only output whose owners are recorded (see control.rule).",
};

pub const TRADE: Shape = Shape {
    kind: "trade",
    tables: &[
        // A stage may appear twice: world trade (HS6, "reconciled") and an importer's national
        // codes ("reported"); the product set and codes keep them apart.
        t(
            "origins",
            "[].origins[]",
            &[
                "commodity",
                "stage",
                "product_set",
                "hs_codes",
                "viewpoint",
                "year",
            ],
        ),
        t("stages", "[]", &[]),
        t(
            "upstream",
            "[].upstream[]",
            &["commodity", "stage", "product_set", "viewpoint", "year"],
        ),
        t(
            "coverage",
            "[].coverage[]",
            &["commodity", "stage", "product_set", "year"],
        ),
    ],
    method:
        "Extra-bloc imports of the viewpoint by origin from the trade data (tonnes of product, \
             gross weight, and thousand USD); import reliance = (M − X) / (P + M − X) clipped to \
             [0, 1], left empty where bases cannot be reconciled; concern share = share of the \
             imports from the concern set; upstream exposure = Σ supplier share × concern share \
             of the supplier's own imports of the stage before.",
};

pub const RANKING: Shape = Shape {
    kind: "risk",
    tables: &[t("ranking", "rows[]", &[])],
    method: "", // set per method by the caller
};

pub const EXPLAIN_GEOPOLRISK: Shape = Shape {
    kind: "risk explain (geopolrisk)",
    tables: &[t(
        "partners",
        "partners[]",
        &["material", "viewpoint", "year"],
    )],
    method: "GeoPolRisk (Gemechu et al. 2016; Koyamparambath et al. 2024), as geopolrisk-py \
             2.0.1 computes it: score = HHI of production × Σ_i g_i f_i / (F + p); CF = score × \
             price / CF_Cu (kg Cu-eq per kg). f_i = imports from partner i (BACI tonnes), g_i = \
             normalised WGI political stability of i (0.5 where missing, 0 inside the bloc), F = \
             total imports, p = the viewpoint's own production.",
};

pub const EXPLAIN_EU: Shape = Shape {
    kind: "risk explain (eu)",
    tables: &[
        t("terms", "stages[].result.terms[]", &["stage", "year"]),
        t("stages", "stages[]", &[]),
        t("published", "published[]", &[]),
    ],
    method: "EU supply risk (JRC 2017 methodology, as in the 2023 EU criticality assessment): \
             SR = [(HHI_WGI,t)_GS × IR/2 + (HHI_WGI,t)_EUsourcing × (1 − IR/2)] × (1 − EoL-RIR) × \
             SI_SR, at each stage; the mineral's supply risk is that of its bottleneck stage.",
};

pub const EXPLAIN_STAGE: Shape = Shape {
    kind: "risk explain (geopolrisk-stage)",
    tables: &[
        t(
            "partners",
            "[].partners[]",
            &["commodity", "stage", "viewpoint", "year"],
        ),
        t("stages", "[]", &[]),
    ],
    method: "Lodestone's stage-aware extension of GeoPolRisk: the same formula at each processing \
             stage, with that stage's production concentration and the stage's traded products.",
};

pub const BRIEF: Shape = Shape {
    kind: "brief",
    tables: &[
        t("brief", "brief.rows[]", &[]),
        t("outlook_2030", "outlook_2030[]", &[]),
    ],
    method: "Per mineral of the list: mine and processing concentration (top producer, HHI, \
             concern-set and Central Asian shares) from the producer profiles, the importer's net \
             import reliance as its government publishes it, the GeoPolRisk score and rank, and \
             the 2030 outlook from the project registry and the sourcing plan.",
};

pub const SCENARIOS: Shape = Shape {
    kind: "scenarios",
    tables: &[t("scenarios", "[]", &[])],
    method: "The disruption scenarios shipped with the data, as TOML a user can edit and run.",
};

pub const SIMULATION: Shape = Shape {
    kind: "simulate",
    tables: &[
        t(
            "countries",
            "results[].countries[]",
            &["commodity", "stage", "year", "basis"],
        ),
        t("stages", "results[]", &[]),
        t(
            "shocks",
            "results[].shocks[]",
            &["commodity", "stage", "year"],
        ),
        t(
            "links",
            "results[].links_changed[]",
            &["commodity", "stage", "year"],
        ),
    ],
    method: "The scenario's shocks cascade through the trade network of each shocked stage (the \
             model named in the notes: Marchand et al. 2016's proportional reallocation, or the \
             export-first rule); losses per country with Monte Carlo bands over link values, \
             imputed links, stocks and consumption cuts.",
};

pub const PROJECTS: Shape = Shape {
    kind: "projects",
    tables: &[
        t("projects", "[]", &[]),
        t("owners", "[].owners[]", &["id"]),
        t("financing", "[].financing[]", &["id"]),
        t("evidence", "[].evidence[]", &["id"]),
    ],
    method: "The project registry: mines, refineries and expansions with status, capacity, \
             owners, financing and dated evidence, each with its public sources.",
};

pub const FORECAST: Shape = Shape {
    kind: "forecast",
    tables: &[
        t("years", "years[]", &[]),
        t("contributions", "contributions[]", &[]),
        t("control", "control.assets[]", &[]),
    ],
    method: "Base-year production plus registry projects, each weighted by the probability of its \
             status and evidence and ramped up from its first production; Monte Carlo bands \
             (p05/p50/p95) over project timing and probability.",
};

pub const PLAN: Shape = Shape {
    kind: "plan",
    tables: &[
        t(
            "origins",
            "origins[]",
            &["commodity", "stage", "importer", "year"],
        ),
        t("excluded", "excluded[]", &[]),
    ],
    method: "The sourcing mix that minimises the importer's GeoPolRisk-style supply risk within \
             each origin's exportable supply, caps and floors, excluding \
             sanctioned, non-producing and trading-hub origins (see excluded).",
};

pub const EVENTS: Shape = Shape {
    kind: "events",
    tables: &[t("events", "[]", &[])],
    method: "The event registry: deals, financing and export controls, each with its public \
             sources.",
};

pub const EXTRACT: Shape = Shape {
    kind: "events extract",
    tables: &[
        t("candidates", "extraction.events[]", &[]),
        t("mentions", "extraction.mentions[]", &[]),
        t("amounts", "extraction.amounts[]", &[]),
        t("dates", "extraction.dates[]", &[]),
        t("links", "links[]", &[]),
    ],
    method: "Rule-based extraction: entities from the gazetteer, amounts and dates, and candidate \
             events from trigger words in the same sentence; every span points into the article.",
};

pub const COMMODITIES: Shape = Shape {
    kind: "commodities",
    tables: &[t("commodities", "[]", &[])],
    method: "The commodities Lodestone knows, with critical-list memberships and data coverage.",
};

pub const COUNTRIES: Shape = Shape {
    kind: "countries",
    tables: &[t("countries", "[]", &[])],
    method: "ISO 3166 countries with the groups they belong to.",
};

pub const GROUPS: Shape = Shape {
    kind: "groups",
    tables: &[t("groups", "[]", &[])],
    method: "Country groups (C5, G7, EU27, the concern set, and any from the user's config).",
};

pub const CHECK: Shape = Shape {
    kind: "data check",
    tables: &[
        t("gaps", "gaps[]", &[]),
        t("not_comparable", "not_comparable[]", &[]),
    ],
    method: "Cross-check of USGS against World Mining Data: country figures of the same \
             commodity, stage, year and basis that differ by more than the threshold share of \
             world output.",
};

/// The ranking's method sentence.
pub fn ranking_method(method: &str) -> &'static str {
    match method {
        "geopolrisk" => EXPLAIN_GEOPOLRISK.method,
        "eu" => EXPLAIN_EU.method,
        "geopolrisk-stage" => EXPLAIN_STAGE.method,
        _ => {
            "Herfindahl–Hirschman index of production (0–1) over country shares of the source's \
              figures for the year."
        }
    }
}
