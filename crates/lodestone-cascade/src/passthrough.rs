//! Why this file exists: a simple contrast to the cascade — every country's exports scale with the
//! share of its supply that survived (METHODS.md, "pass-through model"), iterated to a fixed point.

/// Surviving export fraction per country and the import loss (tonnes) per country.
#[derive(Debug, Clone, PartialEq)]
pub struct PassThrough {
    pub export_fraction: Vec<f64>,
    pub import_loss: Vec<f64>,
    pub iterations: usize,
}

/// `fixed[i]` pins a shocked exporter's export fraction (e.g. 0.5 for a 50 % ban).
pub fn run(
    n: usize,
    from: &[usize],
    to: &[usize],
    tonnes: &[f64],
    fixed: &[Option<f64>],
    max_iter: usize,
) -> PassThrough {
    let mut f: Vec<f64> = (0..n).map(|i| fixed[i].unwrap_or(1.0)).collect();
    let mut exports = vec![0.0; n];
    let mut imports = vec![0.0; n];
    for l in 0..tonnes.len() {
        exports[from[l]] += tonnes[l];
        imports[to[l]] += tonnes[l];
    }
    let mut missing = vec![0.0; n];
    let mut iterations = 0;
    for it in 0..max_iter {
        iterations = it + 1;
        missing.iter_mut().for_each(|x| *x = 0.0);
        for l in 0..tonnes.len() {
            missing[to[l]] += tonnes[l] * (1.0 - f[from[l]]);
        }
        let mut change: f64 = 0.0;
        for i in 0..n {
            if fixed[i].is_some() || exports[i] <= 0.0 {
                continue;
            }
            let nf = ((exports[i] - missing[i]) / exports[i]).clamp(0.0, 1.0);
            change = change.max((nf - f[i]).abs());
            f[i] = nf;
        }
        if change < 1e-12 {
            break;
        }
    }
    PassThrough {
        export_fraction: f,
        import_loss: missing,
        iterations,
    }
}
