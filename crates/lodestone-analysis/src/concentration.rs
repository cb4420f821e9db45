//! Why this file exists: shares, HHI and top-3 share are the first numbers every supply-risk
//! method needs; they are defined once, here, on plain numbers.

/// Shares of `denominator` for each value (fractions; a zero denominator gives all zeros).
pub fn shares(values: &[f64], denominator: f64) -> Vec<f64> {
    if denominator <= 0.0 {
        return vec![0.0; values.len()];
    }
    values.iter().map(|v| v / denominator).collect()
}

/// Herfindahl–Hirschman index on the 0–1 scale: Σ s². Multiply by 10 000 for "points".
pub fn hhi(shares: &[f64]) -> f64 {
    shares.iter().map(|s| s * s).sum()
}

/// Sum of the three largest shares.
pub fn top_n_share(shares: &[f64], n: usize) -> f64 {
    let mut s: Vec<f64> = shares.to_vec();
    s.sort_by(|a, b| b.total_cmp(a));
    s.iter().take(n).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn hand_checked() {
        let s = shares(&[63.0, 3.5, 1.5, 10.0], 78.0);
        assert!((s[0] - 0.807_692_307_692_307_7).abs() < 1e-12);
        assert!((hhi(&[0.5, 0.5]) - 0.5).abs() < 1e-15);
        assert!((top_n_share(&[0.1, 0.5, 0.2, 0.2], 3) - 0.9).abs() < 1e-15);
        assert_eq!(shares(&[1.0], 0.0), vec![0.0]);
    }

    proptest! {
        #[test]
        fn shares_of_their_sum_add_to_one_and_hhi_is_bounded(
            values in proptest::collection::vec(0.0f64..1e9, 1..60)
        ) {
            let total: f64 = values.iter().sum();
            prop_assume!(total > 0.0);
            let s = shares(&values, total);
            let sum: f64 = s.iter().sum();
            prop_assert!((sum - 1.0).abs() < 1e-9);
            let h = hhi(&s);
            let n = values.iter().filter(|v| **v > 0.0).count() as f64;
            prop_assert!(h <= 1.0 + 1e-12);
            prop_assert!(h >= 1.0 / n - 1e-12);
            let t3 = top_n_share(&s, 3);
            prop_assert!(t3 <= 1.0 + 1e-9 && t3 >= s.iter().cloned().fold(0.0, f64::max) - 1e-12);
        }
    }
}
