//! Weight perturbations: how a sweep varies the scoring weights. Every weight vector is a pure
//! function of (seed, sample index), so any run can be reproduced alone; each is rounded to
//! [`WEIGHT_DP`] places and sums to exactly 1, so the weights a run reports are the weights it used.

use crate::error::{Error, Result};
use crate::scenario::Scenario;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;
use std::fmt;

/// Decimal places of a sampled weight.
pub const WEIGHT_DP: u32 = 6;

/// Hit-and-run steps per sample (times the number of criteria): each sample is the end of its own
/// chain from the polytope's centre, so samples are independent and reproducible alone.
const HIT_AND_RUN_STEPS: usize = 50;

/// How the weights vary across a sweep.
#[derive(Debug, Clone, PartialEq)]
pub enum WeightSpec {
    /// The scenario's weights only.
    Base,
    /// One criterion at a time: its weight times `1 + t` for `steps` values of t evenly spread over
    /// `[-delta, +delta]`; the other weights rescaled so the total stays 1.
    OneAtATime {
        /// Largest relative change (0.1 = ±10 %).
        delta: Decimal,
        /// Points per criterion.
        steps: u32,
    },
    /// Each weight uniform in `[w(1 − delta), w(1 + delta)]` — or in the scenario's `interval`
    /// when `delta` is `None` — then renormalized.
    Uniform {
        /// Relative half-width; `None` = the scenario's intervals.
        delta: Option<Decimal>,
    },
    /// Dirichlet around the base: concentration `kappa × w`; larger κ stays closer to the base.
    Dirichlet {
        /// Concentration κ.
        kappa: f64,
    },
    /// Uniform over the weights that satisfy the committee's statements (hit-and-run).
    Preferences,
}

impl WeightSpec {
    /// Reads `base`, `oat:±10%/5`, `uniform:±20%`, `uniform`, `dirichlet:50` or `prefs`.
    pub fn parse(text: &str) -> std::result::Result<WeightSpec, String> {
        let (kind, arg) = match text.split_once(':') {
            Some((k, a)) => (k.trim(), Some(a.trim())),
            None => (text.trim(), None),
        };
        let percent = |s: &str| -> std::result::Result<Decimal, String> {
            let s = s.trim().trim_start_matches('±').trim_start_matches("+-");
            let digits = s.strip_suffix('%').ok_or_else(|| {
                format!("{s:?}: write the relative change as a percentage, e.g. ±10%")
            })?;
            let v: Decimal = digits
                .trim()
                .parse()
                .map_err(|_| format!("{s:?} is not a percentage"))?;
            if v <= Decimal::ZERO || v >= Decimal::ONE_HUNDRED {
                return Err(format!("{s}: the change must be above 0% and below 100%"));
            }
            Ok(v / Decimal::ONE_HUNDRED)
        };
        match (kind, arg) {
            ("base", None) => Ok(WeightSpec::Base),
            ("oat", Some(a)) => {
                let (d, n) = a
                    .split_once('/')
                    .ok_or("oat needs a change and a number of points, e.g. oat:±10%/5")?;
                let steps: u32 = n
                    .trim()
                    .parse()
                    .map_err(|_| format!("{n:?} is not a number of points"))?;
                if !(2..=1001).contains(&steps) {
                    return Err(format!("oat: {steps} points; use 2 to 1001"));
                }
                Ok(WeightSpec::OneAtATime {
                    delta: percent(d)?,
                    steps,
                })
            }
            ("uniform", None) => Ok(WeightSpec::Uniform { delta: None }),
            ("uniform", Some(a)) => Ok(WeightSpec::Uniform {
                delta: Some(percent(a)?),
            }),
            ("dirichlet", Some(a)) => {
                let kappa: f64 = a
                    .parse()
                    .map_err(|_| format!("{a:?} is not a concentration"))?;
                if !(kappa.is_finite() && kappa > 0.0) {
                    return Err(format!("dirichlet:{a}: the concentration must be above 0"));
                }
                Ok(WeightSpec::Dirichlet { kappa })
            }
            ("prefs", None) => Ok(WeightSpec::Preferences),
            _ => Err(format!(
                "{text:?} is not a weight perturbation; use base, oat:±10%/5, uniform:±20%, \
                 uniform (the scenario's intervals), dirichlet:50 or prefs (with --prefer)"
            )),
        }
    }

    /// Whether `--samples` draws this many vectors (random kinds) or the spec fixes its own count.
    pub fn is_random(&self) -> bool {
        matches!(
            self,
            WeightSpec::Uniform { .. } | WeightSpec::Dirichlet { .. } | WeightSpec::Preferences
        )
    }
}

impl fmt::Display for WeightSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pct = |d: &Decimal| (d * Decimal::ONE_HUNDRED).normalize();
        match self {
            WeightSpec::Base => write!(f, "base"),
            WeightSpec::OneAtATime { delta, steps } => write!(f, "oat:±{}%/{steps}", pct(delta)),
            WeightSpec::Uniform { delta: Some(d) } => write!(f, "uniform:±{}%", pct(d)),
            WeightSpec::Uniform { delta: None } => write!(f, "uniform"),
            WeightSpec::Dirichlet { kappa } => write!(f, "dirichlet:{kappa}"),
            WeightSpec::Preferences => write!(f, "prefs"),
        }
    }
}

/// One linear statement about the normalized weights: `Σ coef·w ≥ bound`.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// Coefficient per criterion (criterion order).
    pub coefficients: Vec<f64>,
    /// Right-hand side.
    pub bound: f64,
}

/// Reads a committee statement about the weights: a chain of comparisons between linear
/// expressions of criterion ids and numbers, e.g. `tech >= benefit >= jobs`, `tech <= 0.4`,
/// `tech + jobs >= 0.5`, `2*jobs >= benefit`. A chain of n comparisons gives n statements.
pub fn parse_statement(
    text: &str,
    scenario: &Scenario,
) -> std::result::Result<Vec<Statement>, String> {
    let ids: Vec<&str> = scenario
        .scoring
        .criteria
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    let normalized = text.replace('≥', ">=").replace('≤', "<=");
    // Split into expressions and operators.
    let mut exprs = Vec::new();
    let mut ops = Vec::new();
    let mut rest = normalized.as_str();
    loop {
        let next = [">=", "<="]
            .iter()
            .filter_map(|op| rest.find(op).map(|i| (i, *op)))
            .min();
        match next {
            Some((i, op)) => {
                exprs.push(&rest[..i]);
                ops.push(op);
                rest = &rest[i + 2..];
            }
            None => {
                exprs.push(rest);
                break;
            }
        }
    }
    if ops.is_empty() {
        return Err(format!(
            "{text:?} compares nothing; write e.g. \"tech >= benefit\" or \"tech <= 0.4\""
        ));
    }
    let parsed: Vec<(Vec<f64>, f64)> = exprs
        .iter()
        .map(|e| linear(e, &ids))
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| format!("{text:?}: {e}"))?;
    let mut out = Vec::new();
    for (k, op) in ops.iter().enumerate() {
        let (a, ca) = &parsed[k];
        let (b, cb) = &parsed[k + 1];
        // a ≥ b  ⇔  (a − b)·w ≥ cb − ca
        let sign = if *op == ">=" { 1.0 } else { -1.0 };
        let coefficients: Vec<f64> = a.iter().zip(b).map(|(x, y)| sign * (x - y)).collect();
        if coefficients.iter().all(|c| *c == 0.0) {
            return Err(format!(
                "{text:?}: a comparison without any criterion says nothing about the weights"
            ));
        }
        out.push(Statement {
            coefficients,
            bound: sign * (cb - ca),
        });
    }
    Ok(out)
}

/// `2*tech + jobs - 0.1` → coefficients and constant.
fn linear(expr: &str, ids: &[&str]) -> std::result::Result<(Vec<f64>, f64), String> {
    let mut coef = vec![0.0; ids.len()];
    let mut constant = 0.0;
    let spaced = expr.replace('-', "+-");
    let mut any = false;
    for term in spaced.split('+').map(str::trim).filter(|t| !t.is_empty()) {
        any = true;
        let (sign, term) = match term.strip_prefix('-') {
            Some(t) => (-1.0, t.trim()),
            None => (1.0, term),
        };
        let (factor, name) = match term.split_once('*') {
            Some((f, n)) => (
                f.trim()
                    .parse::<f64>()
                    .map_err(|_| format!("{f:?} is not a number"))?,
                n.trim(),
            ),
            None => (1.0, term),
        };
        if let Ok(v) = name.parse::<f64>() {
            constant += sign * factor * v;
        } else if let Some(i) = ids.iter().position(|id| *id == name) {
            coef[i] += sign * factor;
        } else {
            return Err(format!(
                "{name:?} is neither a number nor a criterion (criteria: {})",
                ids.join(", ")
            ));
        }
    }
    if !any {
        return Err("an empty side of a comparison".into());
    }
    Ok((coef, constant))
}

/// Draws weight vectors for one sweep.
#[derive(Debug, Clone)]
pub struct Sampler {
    spec: WeightSpec,
    seed: u64,
    base: Vec<f64>,
    base_exact: Vec<Decimal>,
    /// The scenario's weights as stated, which score the base runs exactly (⅓ is not a decimal).
    stated: Vec<Decimal>,
    intervals: Vec<(f64, f64)>,
    /// Hit-and-run: every statement, non-negativity included, as `a·w ≥ b`, and a centre.
    polytope: Vec<Statement>,
    centre: Vec<f64>,
    samples: usize,
}

impl Sampler {
    /// Prepares a sampler. `samples` is used by the random kinds; `statements` by `prefs`.
    pub fn new(
        scenario: &Scenario,
        spec: WeightSpec,
        samples: usize,
        seed: u64,
        statements: Vec<Statement>,
    ) -> Result<Sampler> {
        let stated: Vec<Decimal> = scenario.scoring.criteria.iter().map(|c| c.weight).collect();
        let base_exact = crate::rules::normalize_weights(&stated);
        let base: Vec<f64> = base_exact
            .iter()
            .map(|w| w.to_f64().unwrap_or(0.0))
            .collect();
        let total: Decimal = scenario.scoring.criteria.iter().map(|c| c.weight).sum();
        let mut intervals = Vec::new();
        if spec == (WeightSpec::Uniform { delta: None }) {
            for c in &scenario.scoring.criteria {
                let (lo, hi) = c.interval.ok_or_else(|| {
                    Error::Input(format!(
                        "--weights uniform: criterion {:?} has no interval in the scenario; \
                         add `interval = [low, high]` to it or use uniform:±20%",
                        c.id
                    ))
                })?;
                let f = |d: Decimal| (d / total).to_f64().unwrap_or(0.0);
                intervals.push((f(lo), f(hi)));
            }
        }
        let d = base.len();
        let mut polytope = Vec::new();
        let mut centre = Vec::new();
        if spec == WeightSpec::Preferences {
            if statements.is_empty() {
                return Err(Error::Input(
                    "--weights prefs needs at least one --prefer statement, e.g. --prefer \"tech >= benefit >= jobs\"".into(),
                ));
            }
            for i in 0..d {
                let mut coefficients = vec![0.0; d];
                coefficients[i] = 1.0;
                polytope.push(Statement {
                    coefficients,
                    bound: 0.0,
                });
            }
            polytope.extend(statements);
            centre = chebyshev_centre(&polytope, d)?;
        } else if !statements.is_empty() {
            return Err(Error::Input(
                "--prefer applies to --weights prefs only".into(),
            ));
        }
        Ok(Sampler {
            spec,
            seed,
            base,
            base_exact,
            stated,
            intervals,
            polytope,
            centre,
            samples,
        })
    }

    /// How many weight vectors the sweep uses.
    pub fn count(&self) -> usize {
        match &self.spec {
            WeightSpec::Base => 1,
            WeightSpec::OneAtATime { steps, .. } => self.base.len() * *steps as usize,
            _ => self.samples,
        }
    }

    /// The perturbation.
    pub fn spec(&self) -> &WeightSpec {
        &self.spec
    }

    /// Whether weight vectors are random draws (so repeats are not worth remembering).
    pub fn is_random(&self) -> bool {
        self.spec.is_random()
    }

    /// The scenario's normalized weights.
    pub fn base(&self) -> &[Decimal] {
        &self.base_exact
    }

    /// The weights to score a run with: the scenario's stated weights when `weights` are the base
    /// weights (their division by the sum was rounded), else `weights` themselves.
    pub fn scoring<'a>(&'a self, weights: &'a [Decimal]) -> &'a [Decimal] {
        if weights == self.base_exact.as_slice() {
            &self.stated
        } else {
            weights
        }
    }

    /// Weight vector `index`, a pure function of (seed, index).
    pub fn weights(&self, index: usize) -> Vec<Decimal> {
        let d = self.base.len();
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        rng.set_stream(index as u64);
        let raw: Vec<f64> = match &self.spec {
            WeightSpec::Base => return self.base_exact.clone(),
            WeightSpec::OneAtATime { delta, steps } => {
                let (k, j) = (index / *steps as usize, index % *steps as usize);
                let delta = delta.to_f64().unwrap_or(0.0);
                let t = -delta + 2.0 * delta * j as f64 / (*steps - 1) as f64;
                let wk = (self.base[k] * (1.0 + t)).clamp(0.0, 1.0);
                let others: f64 = 1.0 - self.base[k];
                (0..d)
                    .map(|i| {
                        if i == k {
                            wk
                        } else if others > 0.0 {
                            self.base[i] * (1.0 - wk) / others
                        } else {
                            (1.0 - wk) / (d - 1).max(1) as f64
                        }
                    })
                    .collect()
            }
            WeightSpec::Uniform { delta } => (0..d)
                .map(|i| {
                    let (lo, hi) = match delta {
                        Some(dl) => {
                            let dl = dl.to_f64().unwrap_or(0.0);
                            (self.base[i] * (1.0 - dl), self.base[i] * (1.0 + dl))
                        }
                        None => self.intervals[i],
                    };
                    if hi > lo {
                        rng.gen_range(lo..=hi)
                    } else {
                        lo
                    }
                })
                .collect(),
            WeightSpec::Dirichlet { kappa } => {
                // Gamma(κ·w_i) draws, normalized; a zero base weight stays zero.
                self.base
                    .iter()
                    .map(|&w| {
                        if w > 0.0 {
                            rand_distr::Gamma::new(kappa * w, 1.0)
                                .map(|g| g.sample(&mut rng))
                                .unwrap_or(w)
                        } else {
                            0.0
                        }
                    })
                    .collect()
            }
            WeightSpec::Preferences => self.hit_and_run(&mut rng),
        };
        exact_simplex(&raw)
    }

    fn hit_and_run(&self, rng: &mut ChaCha8Rng) -> Vec<f64> {
        let d = self.centre.len();
        let mut w = self.centre.clone();
        for _ in 0..HIT_AND_RUN_STEPS * d {
            // A random direction within Σw = 1.
            let mut u: Vec<f64> = (0..d).map(|_| rng.sample(StandardNormal)).collect();
            let mean = u.iter().sum::<f64>() / d as f64;
            u.iter_mut().for_each(|x| *x -= mean);
            let norm = u.iter().map(|x| x * x).sum::<f64>().sqrt();
            if norm < 1e-12 {
                continue;
            }
            u.iter_mut().for_each(|x| *x /= norm);
            let (mut lo, mut hi) = (f64::NEG_INFINITY, f64::INFINITY);
            for s in &self.polytope {
                let au: f64 = s.coefficients.iter().zip(&u).map(|(a, x)| a * x).sum();
                let slack: f64 = s
                    .coefficients
                    .iter()
                    .zip(&w)
                    .map(|(a, x)| a * x)
                    .sum::<f64>()
                    - s.bound;
                if au > 1e-15 {
                    lo = lo.max(-slack / au);
                } else if au < -1e-15 {
                    hi = hi.min(-slack / au);
                }
            }
            if lo.is_finite() && hi.is_finite() && hi > lo {
                let t = rng.gen_range(lo..=hi);
                w.iter_mut().zip(&u).for_each(|(x, y)| *x += t * y);
            }
        }
        w
    }
}

/// Weights rounded to [`WEIGHT_DP`] places that sum to exactly 1: the largest absorbs the residue.
fn exact_simplex(raw: &[f64]) -> Vec<Decimal> {
    let total: f64 = raw.iter().map(|w| w.max(0.0)).sum();
    let mut out: Vec<Decimal> = raw
        .iter()
        .map(|w| {
            let v = if total > 0.0 { w.max(0.0) / total } else { 0.0 };
            Decimal::from_f64(v).unwrap_or_default().round_dp(WEIGHT_DP)
        })
        .collect();
    let sum: Decimal = out.iter().sum();
    if let Some(big) = (0..out.len()).max_by(|&a, &b| out[a].cmp(&out[b]).then(b.cmp(&a))) {
        out[big] += Decimal::ONE - sum;
    }
    out.into_iter().map(|w| w.normalize()).collect()
}

/// The centre of the largest ball inside `{w : a·w ≥ b, Σw = 1}` (an LP), where every
/// hit-and-run chain starts; an error when the statements leave no room.
fn chebyshev_centre(polytope: &[Statement], d: usize) -> Result<Vec<f64>> {
    let rows: Vec<(Vec<f64>, f64)> = polytope
        .iter()
        .map(|s| (s.coefficients.clone(), s.bound))
        .collect();
    let Some((centre, radius)) = crate::solve::chebyshev_centre(&rows, d) else {
        return Err(Error::Input(
            "the --prefer statements leave no weights that satisfy them all (with every weight \
             at least 0 and the weights summing to 1)"
                .into(),
        ));
    };
    if radius < 1e-9 {
        return Err(Error::Input(
            "the --prefer statements leave no room to vary the weights (they pin them to one \
             point or an edge); loosen them or use --weights base"
                .into(),
        ));
    }
    Ok(centre)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_default;

    #[test]
    fn specs_read_and_print_back() {
        for text in [
            "base",
            "oat:±10%/5",
            "uniform:±20%",
            "uniform",
            "dirichlet:50",
            "prefs",
        ] {
            assert_eq!(WeightSpec::parse(text).unwrap().to_string(), text);
        }
        assert!(WeightSpec::parse("oat:10/5").is_err());
        assert!(WeightSpec::parse("dirichlet:-1").is_err());
        assert!(WeightSpec::parse("gauss:3").is_err());
    }

    #[test]
    fn every_sample_sums_to_one_and_is_reproducible() {
        let s = load_default().unwrap();
        for spec in ["oat:±10%/5", "uniform:±20%", "dirichlet:50"] {
            let sampler =
                Sampler::new(&s, WeightSpec::parse(spec).unwrap(), 20, 7, vec![]).unwrap();
            for i in 0..sampler.count() {
                let w = sampler.weights(i);
                assert_eq!(w.iter().sum::<Decimal>(), Decimal::ONE, "{spec} {i}");
                assert!(w.iter().all(|x| !x.is_sign_negative()));
                assert_eq!(w, sampler.weights(i));
            }
            assert_ne!(sampler.weights(0), sampler.weights(1), "{spec}");
        }
    }

    #[test]
    fn oat_moves_one_weight_and_keeps_the_others_in_proportion() {
        let s = load_default().unwrap();
        let spec = WeightSpec::parse("oat:±10%/3").unwrap();
        let sampler = Sampler::new(&s, spec, 0, 0, vec![]).unwrap();
        let base = sampler.base().to_vec();
        // Point 1 of 3 is the centre: the base weights (to 6 places).
        let centre = sampler.weights(1);
        for (a, b) in centre.iter().zip(&base) {
            assert!((a - b).abs() <= Decimal::new(1, 6), "{a} vs {b}");
        }
        let up = sampler.weights(2);
        let ratio = up[0] / base[0];
        assert!(
            (ratio - Decimal::new(11, 1)).abs() < Decimal::new(1, 4),
            "{ratio}"
        );
    }

    #[test]
    fn preferences_hold_in_every_sample() {
        let s = load_default().unwrap();
        let ids: Vec<&str> = s.scoring.criteria.iter().map(|c| c.id.as_str()).collect();
        let text = format!("{} >= {} >= {}", ids[0], ids[1], ids[2]);
        let mut statements = parse_statement(&text, &s).unwrap();
        statements.extend(parse_statement(&format!("{} <= 0.5", ids[0]), &s).unwrap());
        let sampler = Sampler::new(&s, WeightSpec::Preferences, 50, 3, statements.clone()).unwrap();
        let mut spread = 0.0f64;
        let first = sampler.weights(0)[0].to_f64().unwrap();
        for i in 0..50 {
            let w: Vec<f64> = sampler
                .weights(i)
                .iter()
                .map(|x| x.to_f64().unwrap())
                .collect();
            for st in &statements {
                let lhs: f64 = st.coefficients.iter().zip(&w).map(|(a, x)| a * x).sum();
                assert!(lhs >= st.bound - 1e-5, "sample {i} breaks {st:?}: {w:?}");
            }
            spread = spread.max((w[0] - first).abs());
        }
        assert!(spread > 0.01, "the samples do not move");
        let bad = parse_statement(&format!("{} >= 2", ids[0]), &s).unwrap();
        assert!(Sampler::new(&s, WeightSpec::Preferences, 5, 3, bad).is_err());
        assert!(parse_statement("nonsense >= tech", &s).is_err());
    }
}
