//! Why this file exists: where each official release lives is data, not code. The catalogue
//! (`data/sources/releases.toml`, embedded at build time) names each release, its publisher and
//! terms, its URL as a template (`{version}`, `{year}`, …) and, where known, its size and
//! SHA-256; this module reads it, checks it, finds a release by id (with "did you mean") and
//! turns a template and the user's parameters into one URL and one file name.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::FetchError;

/// The catalogue shipped with the binary.
const EMBEDDED: &str = include_str!("../../../data/sources/releases.toml");

/// One official release: what it is, whose it is, where it is, what Lodestone does with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Release {
    pub id: String,
    pub title: String,
    pub publisher: String,
    pub licence: String,
    /// The landing page (or DOI) a person reads before downloading.
    pub page: String,
    /// The download URL; `{name}` is replaced by the parameter `name`.
    pub url: String,
    /// The file name written into the download folder; a template like `url`.
    pub file: String,
    /// Bytes, where known; a download of another size is refused.
    #[serde(default)]
    pub size: Option<u64>,
    /// Lower-case hex SHA-256, where known; a download that differs is refused.
    #[serde(default)]
    pub sha256: Option<String>,
    pub provides: String,
    /// Which Lodestone command reads it, and how.
    pub used_by: String,
    /// Parameter defaults (e.g. `version = "V202601"`); flags override them.
    #[serde(default)]
    pub params: BTreeMap<String, String>,
    /// Parameters with no default: the user must give them.
    #[serde(default)]
    pub required: Vec<String>,
    /// The environment variable holding the user's key, for releases behind one.
    #[serde(default)]
    pub auth_env: Option<String>,
    /// The request header the key is sent in (never the URL, so it is never logged).
    #[serde(default)]
    pub auth_header: Option<String>,
}

/// A release's URL and file name with every parameter filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resolved {
    pub url: String,
    pub file: String,
    /// The parameters used (defaults and overrides).
    pub params: BTreeMap<String, String>,
}

/// Every release Lodestone knows how to fetch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Catalogue {
    pub releases: Vec<Release>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogueFile {
    release: Vec<Release>,
}

impl Catalogue {
    /// The catalogue compiled into the binary (`data/sources/releases.toml`).
    pub fn embedded() -> Result<Self, FetchError> {
        Self::parse(EMBEDDED, "data/sources/releases.toml (embedded)")
    }

    /// A catalogue file on disk, e.g. `DIR/sources/releases.toml` under `--data DIR`.
    pub fn load(path: &Path) -> Result<Self, FetchError> {
        let text = std::fs::read_to_string(path).map_err(|e| FetchError::io(path, e))?;
        Self::parse(&text, &path.display().to_string())
    }

    /// Reads and checks a catalogue; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Self, FetchError> {
        let bad = |message: String| FetchError::Catalogue {
            origin: origin.to_string(),
            message,
        };
        let file: CatalogueFile = toml::from_str(text).map_err(|e| bad(e.to_string()))?;
        let mut seen = std::collections::BTreeSet::new();
        for r in &file.release {
            if !seen.insert(r.id.as_str()) {
                return Err(bad(format!("release {:?} is listed twice", r.id)));
            }
            check_release(r).map_err(|m| bad(format!("release {:?}: {m}", r.id)))?;
        }
        Ok(Catalogue {
            releases: file.release,
        })
    }

    /// The release with this id, or an error naming the closest one.
    pub fn get(&self, id: &str) -> Result<&Release, FetchError> {
        if let Some(r) = self.releases.iter().find(|r| r.id == id) {
            return Ok(r);
        }
        let suggestion = self
            .releases
            .iter()
            .map(|r| (strsim::jaro_winkler(&r.id, id), &r.id))
            .filter(|(score, _)| *score > 0.7)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, id)| id.clone());
        Err(FetchError::UnknownRelease {
            id: id.to_string(),
            suggestion,
            known: self.releases.iter().map(|r| r.id.clone()).collect(),
        })
    }
}

fn check_release(r: &Release) -> Result<(), String> {
    if r.id.is_empty() || !r.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err("the id must be letters, digits and '-'".into());
    }
    if let Some(h) = &r.sha256 {
        if h.len() != 64
            || !h
                .chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        {
            return Err(format!("sha256 {h:?} is not 64 lower-case hex digits"));
        }
    }
    if r.auth_env.is_some() != r.auth_header.is_some() {
        return Err("auth_env and auth_header go together".into());
    }
    split_url(&r.url).map_err(|e| e.to_string())?;
    for template in [&r.url, &r.file] {
        for name in placeholders(template)? {
            if !r.params.contains_key(name) && !r.required.iter().any(|q| q == name) {
                return Err(format!(
                    "{{{name}}} in {template:?} is neither in params nor in required"
                ));
            }
        }
    }
    Ok(())
}

/// The `{name}`s of a template, in order.
fn placeholders(template: &str) -> Result<Vec<&str>, String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| format!("unclosed '{{' in {template:?}"))?;
        out.push(&after[..close]);
        rest = &after[close + 1..];
    }
    Ok(out)
}

/// Values go into a URL's query and a file name: letters, digits and `,._-` only, so none can
/// add a query parameter or climb out of the download folder.
fn check_value(v: &str) -> Result<(), &'static str> {
    if v.is_empty() {
        return Err("empty");
    }
    if v.starts_with('.') {
        return Err("may not start with '.'");
    }
    if !v
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || ",._-".contains(c))
    {
        return Err("only letters, digits and , . _ - are allowed");
    }
    Ok(())
}

impl Release {
    /// Fills the URL and file templates from the defaults and `overrides` (flag values).
    pub fn resolve(&self, overrides: &BTreeMap<String, String>) -> Result<Resolved, FetchError> {
        let mut params = self.params.clone();
        for (k, v) in overrides {
            if !self.params.contains_key(k) && !self.required.contains(k) {
                return Err(FetchError::BadParam {
                    id: self.id.clone(),
                    name: k.clone(),
                    value: v.clone(),
                    message: format!(
                        "this release takes no such parameter (it takes: {})",
                        self.parameter_names().join(", ")
                    ),
                });
            }
            params.insert(k.clone(), v.clone());
        }
        for name in &self.required {
            if !params.contains_key(name) {
                return Err(FetchError::MissingParam {
                    id: self.id.clone(),
                    name: name.clone(),
                    hint: format!("the URL is {}", self.url),
                });
            }
        }
        for (k, v) in &params {
            check_value(v).map_err(|m| FetchError::BadParam {
                id: self.id.clone(),
                name: k.clone(),
                value: v.clone(),
                message: m.to_string(),
            })?;
        }
        let fill = |template: &str| {
            let mut s = template.to_string();
            for (k, v) in &params {
                s = s.replace(&format!("{{{k}}}"), v);
            }
            s
        };
        Ok(Resolved {
            url: fill(&self.url),
            file: fill(&self.file),
            params,
        })
    }

    /// Every parameter the release takes, defaults first.
    pub fn parameter_names(&self) -> Vec<String> {
        self.params
            .keys()
            .chain(self.required.iter())
            .cloned()
            .collect()
    }
}

/// Splits `scheme://host[:port]` from the path and query of an http(s) URL.
pub(crate) fn split_url(url: &str) -> Result<(&str, &str), FetchError> {
    let bad = |m: &str| FetchError::BadUrl {
        url: url.to_string(),
        message: m.to_string(),
    };
    let scheme_end = url
        .find("://")
        .ok_or_else(|| bad("no scheme (http:// or https://)"))?;
    let scheme = &url[..scheme_end];
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return Err(bad("only http:// and https:// are fetched"));
    }
    let after = &url[scheme_end + 3..];
    let host_len = after.find(['/', '?', '#']).unwrap_or(after.len());
    if host_len == 0 {
        return Err(bad("no host"));
    }
    let split = scheme_end + 3 + host_len;
    Ok((&url[..split], &url[split..]))
}

/// The host (and port, when given) a URL names, as a user would recognise it.
pub fn host_of(url: &str) -> String {
    match split_url(url) {
        Ok((origin, _)) => {
            let host = &origin[origin.find("://").map_or(0, |i| i + 3)..];
            host.rsplit('@').next().unwrap_or(host).to_string()
        }
        Err(_) => url.to_string(),
    }
}

/// The same path and query on another server: `base` (e.g. `http://127.0.0.1:8000` or
/// `https://mirror.example/lodestone`) replaces the official scheme and host.
pub fn with_mirror(url: &str, base: &str) -> Result<String, FetchError> {
    let (_, path) = split_url(url)?;
    split_url(base)?;
    let base = base.trim_end_matches('/');
    let path = if path.starts_with('/') || path.is_empty() {
        path.to_string()
    } else {
        format!("/{path}")
    };
    Ok(format!("{base}{path}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overrides(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_embedded_catalogue_reads_and_has_the_issue_s_releases() {
        let c = Catalogue::embedded().unwrap();
        for id in [
            "baci-hs17",
            "baci-hs22",
            "usgs-mcs-2025-world",
            "usgs-mcs-2025-salient",
            "wgi",
            "comtrade",
        ] {
            let r = c.get(id).unwrap();
            assert!(!r.publisher.is_empty() && !r.licence.is_empty() && !r.used_by.is_empty());
        }
        let hs22 = c
            .get("baci-hs22")
            .unwrap()
            .resolve(&BTreeMap::new())
            .unwrap();
        assert_eq!(
            hs22.url,
            "https://www.cepii.fr/DATA_DOWNLOAD/baci/data/BACI_HS22_V202601.zip"
        );
        assert_eq!(hs22.file, "BACI_HS22_V202601.zip");
        let older = c
            .get("baci-hs17")
            .unwrap()
            .resolve(&overrides(&[("version", "V202501")]))
            .unwrap();
        assert_eq!(
            older.url,
            "https://www.cepii.fr/DATA_DOWNLOAD/baci/data/BACI_HS17_V202501.zip"
        );
    }

    #[test]
    fn unknown_ids_suggest_the_closest() {
        let c = Catalogue::embedded().unwrap();
        let e = c.get("baci-hs23").unwrap_err();
        assert!(e.is_usage());
        let msg = e.to_string();
        assert!(msg.contains("did you mean \"baci-hs22\""), "{msg}");
        assert!(msg.contains("comtrade"), "{msg}");
    }

    #[test]
    fn comtrade_needs_its_parameters_and_takes_only_safe_values() {
        let c = Catalogue::embedded().unwrap();
        let r = c.get("comtrade").unwrap();
        let e = r.resolve(&overrides(&[("year", "2023")])).unwrap_err();
        assert!(matches!(e, FetchError::MissingParam { .. }), "{e}");
        let e = r
            .resolve(&overrides(&[
                ("reporter", "842&partnerCode=0"),
                ("year", "2023"),
                ("hs", "810194"),
            ]))
            .unwrap_err();
        assert!(matches!(e, FetchError::BadParam { .. }), "{e}");
        let e = r
            .resolve(&overrides(&[
                ("reporter", ".."),
                ("year", "2023"),
                ("hs", "1"),
            ]))
            .unwrap_err();
        assert!(matches!(e, FetchError::BadParam { .. }), "{e}");
        let ok = r
            .resolve(&overrides(&[
                ("reporter", "842"),
                ("year", "2023"),
                ("hs", "810194,261100"),
            ]))
            .unwrap();
        assert_eq!(
            ok.url,
            "https://comtradeapi.un.org/data/v1/get/C/A/HS?reporterCode=842&period=2023&cmdCode=810194,261100&flowCode=M,X"
        );
        assert_eq!(ok.file, "comtrade_842_2023.json");
        let e = r.resolve(&overrides(&[("version", "1")])).unwrap_err();
        assert!(e.to_string().contains("no such parameter"), "{e}");
    }

    #[test]
    fn malformed_catalogues_are_refused_with_the_reason() {
        let base = "[[release]]\nid = \"x\"\ntitle = \"t\"\npublisher = \"p\"\nlicence = \"l\"\npage = \"p\"\nfile = \"f\"\nprovides = \"p\"\nused_by = \"u\"\n";
        let undeclared = format!("{base}url = \"https://h/{{year}}\"\n");
        let e = Catalogue::parse(&undeclared, "t.toml").unwrap_err();
        assert!(e.to_string().contains("{year}"), "{e}");
        let bad_hash = format!("{base}url = \"https://h/a\"\nsha256 = \"ABC\"\n");
        let e = Catalogue::parse(&bad_hash, "t.toml").unwrap_err();
        assert!(
            e.to_string().starts_with("t.toml: release \"x\": sha256"),
            "{e}"
        );
        let ftp = format!("{base}url = \"ftp://h/a\"\n");
        assert!(Catalogue::parse(&ftp, "t.toml").is_err());
        let twice = format!("{base}url = \"https://h/a\"\n{base}url = \"https://h/b\"\n");
        let e = Catalogue::parse(&twice, "t.toml").unwrap_err();
        assert!(e.to_string().contains("listed twice"), "{e}");
    }

    #[test]
    fn a_mirror_keeps_the_path_and_query() {
        assert_eq!(
            with_mirror(
                "https://www.cepii.fr/DATA_DOWNLOAD/baci/data/BACI_HS22_V202601.zip",
                "http://127.0.0.1:8000/"
            )
            .unwrap(),
            "http://127.0.0.1:8000/DATA_DOWNLOAD/baci/data/BACI_HS22_V202601.zip"
        );
        assert_eq!(
            with_mirror("https://a.org/get?x=1", "https://m.example/lodestone").unwrap(),
            "https://m.example/lodestone/get?x=1"
        );
        assert!(with_mirror("https://a.org/x", "mirror.example").is_err());
        assert_eq!(
            host_of("https://www.cepii.fr/DATA_DOWNLOAD/x"),
            "www.cepii.fr"
        );
        assert_eq!(host_of("http://127.0.0.1:9/x"), "127.0.0.1:9");
    }
}
