//! Why this file exists: processed forms are traded under codes of several nomenclatures — HS 1992
//! (the BACI release Lodestone embeds), HS 2017 and HS 2022 (what countries report today), China's
//! 8-digit tariff lines, the US HTS, and, for natural uranium, buyers' purchase statistics that have
//! no customs code at all. A flow names its product by (nomenclature, code); the concordance and the
//! flows share one numeric key per product so the analyses can index them as before.

use std::fmt;

crate::named_enum! {
    /// The classification a product code belongs to.
    pub enum Nomenclature as "nomenclature" {
        /// Harmonized System 1992 (six digits): the embedded BACI HS92 release.
        Hs1992 = "HS1992",
        /// Harmonized System 2017 (six digits).
        Hs2017 = "HS2017",
        /// Harmonized System 2022 (six digits).
        Hs2022 = "HS2022",
        /// China's 8-digit tariff lines (HS + two national digits), as China reports to UN Comtrade.
        Cn8 = "CN8",
        /// The US Harmonized Tariff Schedule, first 8 digits (as the USGS Minerals Yearbook prints them).
        Hts8 = "HTS8",
        /// Official purchase statistics without a customs code (e.g. EIA, Euratom Supply Agency).
        Purchases = "purchases",
    }
}

impl Nomenclature {
    /// The product key of `code` in this nomenclature: HS1992 codes keep their own number (so the
    /// embedded BACI flows are unchanged); every other nomenclature gets its own block of 10⁸.
    pub fn key(self, code: u32) -> Option<u32> {
        let block = match self {
            Nomenclature::Hs1992 => return (code < 1_000_000).then_some(code),
            Nomenclature::Hs2017 => 1,
            Nomenclature::Hs2022 => 2,
            Nomenclature::Cn8 => 3,
            Nomenclature::Hts8 => 4,
            Nomenclature::Purchases => 5,
        };
        (code < 100_000_000).then(|| block * 100_000_000 + code)
    }

    /// The nomenclature and code a key stands for (the inverse of [`Nomenclature::key`]).
    pub fn of_key(key: u32) -> (Nomenclature, u32) {
        let n = match key / 100_000_000 {
            0 => Nomenclature::Hs1992,
            1 => Nomenclature::Hs2017,
            2 => Nomenclature::Hs2022,
            3 => Nomenclature::Cn8,
            4 => Nomenclature::Hts8,
            _ => Nomenclature::Purchases,
        };
        (
            n,
            if n == Nomenclature::Hs1992 {
                key
            } else {
                key % 100_000_000
            },
        )
    }
}

/// A product key printed as its nomenclature and code ("HS1992 811230", "CN8 81129220").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProductLabel(pub u32);

impl fmt::Display for ProductLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match Nomenclature::of_key(self.0) {
            (Nomenclature::Hs1992, c) => write!(f, "HS {c:06}"),
            (Nomenclature::Purchases, c) => write!(f, "purchases #{c}"),
            (n, c) => write!(f, "{n} {c}"),
        }
    }
}

/// Keys printed as a list: "HS 261210, purchases #1".
pub fn product_labels(keys: &[u32]) -> String {
    keys.iter()
        .map(|k| ProductLabel(*k).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_keep_hs92_codes() {
        assert_eq!(Nomenclature::Hs1992.key(811230), Some(811230));
        assert_eq!(Nomenclature::Hs1992.key(81123000), None);
        for n in Nomenclature::ALL {
            let k = n.key(28_25_90_15).or_else(|| n.key(282590)).unwrap();
            let (m, c) = Nomenclature::of_key(k);
            assert_eq!(m, *n);
            assert_eq!(n.key(c), Some(k));
        }
        assert_eq!(
            ProductLabel(Nomenclature::Cn8.key(81129220).unwrap()).to_string(),
            "CN8 81129220"
        );
        assert_eq!(ProductLabel(261210).to_string(), "HS 261210");
    }
}
