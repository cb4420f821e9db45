//! The supplier choice (mixed-integer program + exact quadratic program) on cases solved by hand,
//! its infeasible cases named, and — as a property — against brute force: every subset of at
//! most K suppliers solved exactly, the best one kept.

use lodestone_planner::mix::{meets, objective, solve_mix, solve_within, Limits, Problem};
use lodestone_planner::PlanError;
use proptest::prelude::*;

fn problem(w: &[f64], upper: &[f64]) -> Problem {
    Problem {
        w: w.to_vec(),
        k: vec![1.0; w.len()],
        upper: upper.to_vec(),
        groups: vec![],
        total: 1.0,
    }
}

fn close(a: &[f64], b: &[f64]) -> bool {
    a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-5)
}

#[test]
fn two_suppliers_of_four_solved_by_hand() {
    // min Σ w s² over the two best of w = 1, 2, 3, 4: s1 = 2/3, s2 = 1/3 (s1·1 = s2·2).
    let p = problem(&[1.0, 2.0, 3.0, 4.0], &[1.0; 4]);
    let limits = Limits {
        max_suppliers: Some(2),
        min_share: None,
    };
    let s = solve_mix(&p, limits, 0.0).unwrap();
    assert!(close(&s, &[2.0 / 3.0, 1.0 / 3.0, 0.0, 0.0]), "{s:?}");
    assert!(meets(&s, limits));
}

#[test]
fn a_minimum_share_solved_by_hand() {
    // Unconstrained min s1² + 3 s2² is (0.75, 0.25). With min share 0.4 the second either takes
    // 0 (objective 1) or at least 0.4: (0.6, 0.4) has 0.36 + 0.48 = 0.84, the optimum.
    let p = problem(&[1.0, 3.0], &[1.0, 1.0]);
    let limits = Limits {
        max_suppliers: None,
        min_share: Some(0.4),
    };
    let s = solve_mix(&p, limits, 0.0).unwrap();
    assert!(close(&s, &[0.6, 0.4]), "{s:?}");
    // With min share 0.6 only one supplier can be chosen: all from the first (objective 1 < 3).
    let limits = Limits {
        max_suppliers: None,
        min_share: Some(0.6),
    };
    let s = solve_mix(&p, limits, 0.0).unwrap();
    assert!(close(&s, &[1.0, 0.0]), "{s:?}");
}

#[test]
fn impossible_limits_name_the_binding_one() {
    let p = problem(&[1.0, 1.0, 1.0, 1.0], &[0.3; 4]);
    let three = Limits {
        max_suppliers: Some(3),
        min_share: None,
    };
    let e = solve_mix(&p, three, 0.0).unwrap_err();
    let PlanError::Infeasible(msg) = &e else {
        panic!("{e}")
    };
    assert!(
        msg.contains("at most 3 suppliers")
            && msg.contains("90.0%")
            && msg.contains("binding: max-suppliers 3"),
        "{msg}"
    );
    // Only two origins can take 40 %; together they offer 80 %.
    let p = problem(&[1.0, 1.0, 1.0], &[0.4, 0.4, 0.3]);
    let min = Limits {
        max_suppliers: None,
        min_share: Some(0.35),
    };
    let e = solve_mix(&p, min, 0.0).unwrap_err().to_string();
    assert!(
        e.contains("only 2 origins") && e.contains("min-share 35.0%"),
        "{e}"
    );
}

/// The best mix over every subset of at most `k` origins, each chosen one at `m` or more.
fn brute_force(p: &Problem, limits: Limits, lambda: f64) -> Option<f64> {
    let n = p.w.len();
    let k = limits.max_suppliers.unwrap_or(n);
    let m = limits.min_share.unwrap_or(0.0);
    let mut best: Option<f64> = None;
    for mask in 1u32..(1 << n) {
        if mask.count_ones() as usize > k {
            continue;
        }
        let chosen: Vec<bool> = (0..n).map(|i| mask & (1 << i) != 0).collect();
        let sub = Problem {
            upper: (0..n)
                .map(|i| if chosen[i] { p.upper[i] } else { 0.0 })
                .collect(),
            ..p.clone()
        };
        let lower: Vec<f64> = chosen.iter().map(|c| if *c { m } else { 0.0 }).collect();
        if chosen.iter().zip(&p.upper).any(|(c, u)| *c && *u < m) {
            continue;
        }
        if let Ok(s) = solve_within(&sub, &lower, lambda) {
            let total: f64 = s.iter().sum();
            if (total - 1.0).abs() < 1e-6 {
                let v = objective(p, &s, lambda);
                best = Some(best.map_or(v, |b: f64| b.min(v)));
            }
        }
    }
    best
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// The supplier choice is as good as brute force within the tangent approximation's bound,
    /// meets the limits, and is infeasible only when brute force is. With tangents at u/16,
    /// 2u/16, …, u, the outer approximation of wᵢsᵢ² errs by at most wᵢ(uᵢ/16)² per chosen
    /// supplier, so the chosen set is at most that sum (plus the MIP gap, 0.1 %) worse.
    #[test]
    fn supplier_choice_matches_brute_force(
        w in proptest::collection::vec(0.5f64..8.0, 3..=7),
        upper_seed in proptest::collection::vec(0.15f64..1.0, 7),
        k_seed in proptest::collection::vec(0.2f64..5.0, 7),
        max in 1usize..=4,
        min_pick in 0usize..3,
    ) {
        let n = w.len();
        let p = Problem {
            w: w.clone(),
            k: k_seed[..n].to_vec(),
            upper: upper_seed[..n].to_vec(),
            groups: vec![],
            total: 1.0,
        };
        let limits = Limits {
            max_suppliers: Some(max),
            min_share: [None, Some(0.05), Some(0.15)][min_pick],
        };
        let lambda = 0.1;
        let exact = brute_force(&p, limits, lambda);
        match (solve_mix(&p, limits, lambda), exact) {
            (Ok(s), Some(best)) => {
                prop_assert!(meets(&s, limits), "{s:?} breaks {limits:?}");
                prop_assert!((s.iter().sum::<f64>() - 1.0).abs() < 1e-6);
                let v = objective(&p, &s, lambda);
                let bound: f64 = (0..n)
                    .filter(|&i| s[i] > 0.0)
                    .map(|i| p.w[i] * (p.upper[i] / 16.0).powi(2))
                    .sum();
                prop_assert!(
                    v <= best * 1.001 + bound + 1e-9,
                    "mix {v} vs brute force {best} (bound {bound}): {s:?}"
                );
            }
            (Err(PlanError::Infeasible(_)), None) => {}
            (got, want) => prop_assert!(false, "solve_mix {got:?}, brute force {want:?}"),
        }
    }
}
