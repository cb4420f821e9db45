//! Why this file exists: every Monte Carlo in Lodestone (cascade scenarios, supply forecasts)
//! reports the same 5–50–95 % band and draws from the same kind of random stream — one seeded
//! ChaCha stream per draw, so that results depend on the seed only, never on the thread count or
//! the order in which draws run.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

/// Median and 5–95 % band of a Monte Carlo quantity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Band {
    pub p05: f64,
    pub p50: f64,
    pub p95: f64,
}

impl Band {
    /// The band of a set of draws (in any order); `None` when there are no draws.
    pub fn of(mut draws: Vec<f64>) -> Option<Band> {
        if draws.is_empty() {
            return None;
        }
        draws.sort_by(f64::total_cmp);
        Some(Band {
            p05: quantile(&draws, 0.05),
            p50: quantile(&draws, 0.5),
            p95: quantile(&draws, 0.95),
        })
    }
}

/// The `p` quantile of sorted, non-empty values: the value at rank round((n − 1) × p), no
/// interpolation.
pub fn quantile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// The random stream of one draw: ChaCha8 seeded with `seed`, on stream number `draw`.
pub fn stream(seed: u64, draw: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(draw);
    rng
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    fn first(rng: &mut ChaCha8Rng, n: usize) -> Vec<u64> {
        (0..n).map(|_| rng.random::<u64>()).collect()
    }

    #[test]
    fn quantiles_of_a_known_vector() {
        // 0, 1, ..., 100 shuffled: ranks 5, 50 and 95 are the values themselves.
        let v: Vec<f64> = (0..=100).map(|i| ((i * 37) % 101) as f64).collect();
        assert_eq!(
            Band::of(v),
            Some(Band {
                p05: 5.0,
                p50: 50.0,
                p95: 95.0
            })
        );
        // Four values: ranks round(0.15) = 0, round(1.5) = 2, round(2.85) = 3.
        assert_eq!(
            Band::of(vec![4.0, 1.0, 3.0, 2.0]),
            Some(Band {
                p05: 1.0,
                p50: 3.0,
                p95: 4.0
            })
        );
        assert_eq!(quantile(&[7.0], 0.95), 7.0);
        assert_eq!(Band::of(vec![]), None);
    }

    #[test]
    fn same_seed_same_stream_other_draw_other_stream() {
        let a = first(&mut stream(42, 3), 8);
        assert_eq!(a, first(&mut stream(42, 3), 8));
        assert_ne!(a, first(&mut stream(42, 4), 8));
        assert_ne!(a, first(&mut stream(43, 3), 8));
    }

    #[test]
    fn stream_is_the_seeded_chacha_stream() {
        let mut direct = ChaCha8Rng::seed_from_u64(7);
        direct.set_stream(11);
        assert_eq!(first(&mut direct, 4), first(&mut stream(7, 11), 4));
    }

    #[test]
    fn band_serialises_with_its_field_names() {
        let b = Band {
            p05: 1.0,
            p50: 2.0,
            p95: 3.0,
        };
        assert_eq!(
            serde_json::to_string(&b).unwrap(),
            r#"{"p05":1.0,"p50":2.0,"p95":3.0}"#
        );
    }
}
