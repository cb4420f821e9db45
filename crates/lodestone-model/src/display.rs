//! Why this file exists: a number printed to a reader never reads "−0". A value that rounds to
//! zero at the printed precision (a rounding residue such as −1e-18, or IEEE −0.0) is printed as
//! plain zero; every front end formats its fixed-point numbers here.

/// `v` with `decimals` decimals, never with a sign on a printed zero.
pub fn fixed(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    match s.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        _ => s,
    }
}

/// A fraction as a percentage with one decimal ("12.3%"), never "-0.0%".
pub fn percent(v: f64) -> String {
    format!("{}%", fixed(v * 100.0, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_negative_zero() {
        assert_eq!(fixed(-0.0, 3), "0.000");
        assert_eq!(fixed(-1e-18, 3), "0.000");
        assert_eq!(fixed(-0.0004, 3), "0.000");
        assert_eq!(fixed(-0.0006, 3), "-0.001");
        assert_eq!(fixed(-12.5, 0), "-12");
        assert_eq!(percent(-1e-9), "0.0%");
        assert_eq!(percent(0.1234), "12.3%");
    }
}
