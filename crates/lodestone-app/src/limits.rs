//! Why this file exists: what one request may ask for. The CLI runs with the engines' own caps;
//! the server narrows them so one client cannot take the machine. Every query checks the same
//! limits, so the two front ends refuse the same requests with the same message.

/// Caps on one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most Monte Carlo draws a simulate or forecast request may ask for.
    pub draws: u32,
    /// Most caps plus floors in one plan request.
    pub plan_bounds: usize,
    /// Most work one simulation may cost, in link visits (see `lodestone_cascade::simulate::Work`),
    /// checked before any draw starts.
    pub work: u64,
}

impl Default for Limits {
    /// The engines' own caps (the command line's limits).
    fn default() -> Self {
        Limits {
            draws: lodestone_cascade::scenario::MAX_DRAWS,
            plan_bounds: 64,
            work: u64::MAX,
        }
    }
}
