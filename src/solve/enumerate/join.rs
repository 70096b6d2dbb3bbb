//! The joined step: the columns moved to a pool's end, paired with the pool's states in one step
//! (see the module docs of `enumerate`).

use super::bound::{Kept, Local};
use super::penalty;
use super::states::States;
use super::STATE_BYTES;
use std::time::Instant;

/// Partial subsets a join may visit for each state a step may keep (`subsets`): each costs a
/// bound's check and no memory. On the committee-weighted 10,000-application round of `Fits` the
/// last floor's join visited 14.2 million (at 2²⁰ states a step).
const VISITS: usize = 16;

/// Bytes the states a join makes may take before the dominance pass: a join pairs each of up to
/// a step's states' worth of subsets with the states it fits, and a step's cap alone would let a
/// walk again's 4 million subsets make 2 GB of states on a 10,000-application round.
const JOIN_BYTES: usize = 4 * STATE_BYTES;

/// Subsets searched, or paired, between two looks at the deadline.
const LOOK: usize = 1 << 12;

/// What `join` needs of the enumeration.
pub(super) struct Join<'p> {
    /// Score of each column.
    pub score: &'p [i64],
    /// Reduced cost of each column.
    pub reduced: &'p [i128],
    /// The column at each position of the order.
    pub order: &'p [usize],
    pub local: &'p Local,
    /// The slack open rows keep after the joined columns.
    pub kept: Kept,
    /// What the columns after the joined ones can still subtract from each row.
    pub rest_down: &'p [i64],
    /// The loss a portfolio may have: U − floor.
    pub budget: i128,
    /// The least the columns after the joined ones add to L (`LossBound::later`).
    pub floor_loss: i128,
    /// The pool's amount row, the only amount row open.
    pub amount_row: usize,
    /// The positions joined: the columns moved to the pool's end.
    pub columns: std::ops::Range<usize>,
    /// The subsets it may keep (`Effort::per_step`).
    pub states_cap: usize,
    /// When to stop, when the solve is limited (a join may take seconds).
    pub deadline: Option<Instant>,
}

impl Join<'_> {
    fn past_deadline(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }
}

/// The subsets of the joined columns that may still complete some state: per subset its score,
/// its penalties, what it adds to the pool's amount row and its decisions. What it adds to the
/// other rows it touches is summed again from its decisions when it is paired: kept per subset,
/// those rows took most of a join's memory (31 rows, 2.2 million subsets, 620 MB on a
/// committee-weighted 10,000-application round).
struct Subsets {
    score: Vec<i64>,
    penalties: Vec<i128>,
    amount: Vec<i64>,
    bits: Vec<u64>,
}

/// The states after the columns moved to a pool's end, found without stepping through them: each
/// such column is one of a project's two pools, and stepping would pair every subset of them with
/// every partial portfolio of the pool (hundreds of thousands of states each). Instead the subsets
/// are enumerated alone (pruned by `Fits`'s bound), and each is paired, per bucket of states,
/// only with the best-scoring states whose amount still fits: the pool's amount row closes after
/// these columns, so any other pairing is dominated by that one.
/// `None` when the subsets outgrow the step's cap, their search its visits, the states it makes
/// their bytes, or at the deadline. The partial subsets searched are added to `visited` either
/// way (the next floor's gap reads them: `next_gap` in solve/mod.rs).
pub(super) fn join(
    at: &Join,
    states: &States,
    layout: &[usize],
    after: &[usize],
    visited: &mut usize,
) -> Option<States> {
    let amount_at = layout
        .iter()
        .position(|&r| r == at.amount_row)
        .expect("the amount row is open");
    let amount = |i: usize| states.usage(i)[amount_at];
    let decide = decisions(at);
    let fits = Fits::new(at, &decide, states, amount);
    let subsets = subsets(at, &decide, &fits, visited)?;
    let Subsets {
        score,
        penalties,
        amount: adds,
        bits,
    } = &subsets;
    let (cols, local) = (at.columns.clone(), at.local);
    // The rows the joined columns touch: a subset's usage of them is summed into `added`.
    let mut touched: Vec<usize> = cols
        .clone()
        .flat_map(|k| local.terms[k].iter().map(|t| t.0))
        .collect();
    touched.sort_unstable();
    touched.dedup();
    let mut slot = vec![usize::MAX; local.len()];
    for (i, &r) in touched.iter().enumerate() {
        slot[r] = i;
    }
    let mut added = vec![0i64; touched.len()];
    // The states' buckets (equal usage of the open unit rows: consecutive), and in each the first
    // state of each score: scores descend and so do those states' amounts.
    let width = layout.len() - 1;
    let mut buckets: Vec<Vec<usize>> = Vec::new();
    for i in 0..states.len() {
        let new_bucket = i == 0 || states.usage(i)[..width] != states.usage(i - 1)[..width];
        let new_score = new_bucket || states.score[i] != states.score[i - 1];
        if new_bucket {
            buckets.push(Vec::new());
        }
        if new_score {
            buckets.last_mut().expect("a bucket").push(i);
        }
    }
    // The binary search below relies on it (see `undominated`: a state of lower score survives
    // only by using less of the amount row).
    debug_assert!(buckets
        .iter()
        .all(|leaders| leaders.windows(2).all(|w| amount(w[0]) > amount(w[1]))));
    // Room for one state per subset, up to the bytes the join may make: a walk again may keep
    // 4 million subsets, and reserving for all would ask for gigabytes it may never fill.
    let per_state = States::bytes_of(after.len(), states.words);
    let mut out = States::new(
        after.len(),
        states.words,
        score.len().min(JOIN_BYTES / per_state),
    );
    let mut usage = local.start.to_vec();
    let mut taken = vec![0u64; states.words];
    let mut compact = Vec::with_capacity(after.len());
    for z in 0..score.len() {
        if z.is_multiple_of(LOOK) && (at.past_deadline() || out.len() * out.bytes() > JOIN_BYTES) {
            return None;
        }
        let room = local.limit[at.amount_row] - adds[z];
        added.fill(0);
        for t in 0..cols.len() {
            if bits[z] >> t & 1 == 1 {
                for &(r, a) in &local.terms[cols.start + t] {
                    added[slot[r]] += a;
                }
            }
        }
        for leaders in &buckets {
            let g = leaders.partition_point(|&i| amount(i) > room);
            let Some(&lead) = leaders.get(g) else {
                continue;
            };
            let ties = (lead..states.len())
                .take_while(|&i| states.score[i] == states.score[lead])
                .take_while(|&i| {
                    i == lead || states.usage(i)[..width] == states.usage(lead)[..width]
                });
            for s in ties.filter(|&i| amount(i) <= room) {
                for (&r, &u) in layout.iter().zip(states.usage(s)) {
                    usage[r] = u;
                }
                for (&r, &a) in touched.iter().zip(&added) {
                    if local.first[r] >= cols.start {
                        usage[r] = local.start[r];
                    }
                    usage[r] += a;
                }
                if touched
                    .iter()
                    .any(|&r| usage[r] + at.rest_down[r] > local.limit[r])
                {
                    continue;
                }
                let mut loss = states.loss[s] + penalties[z];
                for &r in touched.iter().filter(|&&r| local.last[r] < cols.end) {
                    loss += local.y[r] * i128::from(local.limit[r] - usage[r]);
                }
                if loss + at.kept.slack(&usage) + at.floor_loss > at.budget {
                    continue;
                }
                taken.copy_from_slice(states.taken(s));
                for t in 0..cols.len() {
                    if bits[z] >> t & 1 == 1 {
                        let k = cols.start + t;
                        taken[k / 64] |= 1 << (k % 64);
                    }
                }
                compact.clear();
                compact.extend(after.iter().map(|&r| usage[r]));
                out.push(&compact, states.score[s] + score[z], loss, &taken);
            }
        }
    }
    Some(out)
}

/// A lower bound on the loss of any pairing of a partial subset with a state it still fits, at
/// each of a few prices ν ≤ y of the pool's amount row (y its multiplier). The amount row closes
/// in the join, so a pairing's loss includes y · (limit − amount), and for any such ν and any
/// pairing that fits (the slack is never negative) it is at least
///
/// ```text
/// loss(state) − ν·amount(state) + P + ν·(limit − A) + Σ_later min(penalty left, penalty taken − ν·a)
/// ```
///
/// for the subset's penalties P and amount A so far, the columns not yet decided summed at their
/// better side. The states' term is kept per amount as the least over the states using no more;
/// a subset fits those that leave room for its amount with every undecided column of negative
/// amount taken (amounts are subsidies: there are none so far). ν = 0 is the least loss of the
/// states it fits; the other prices are the joined columns' break-even points y − d/a, where the
/// bound (concave in ν) can turn. On a committee-weighted 10,000-application round (`generate
/// --projects 10000 --seed 7 --weights 0.30,0.35,0.20,0.15`) the prices cut a join's last floor
/// from 8.9 million subsets to 638,379 (with ν = 0 alone they passed 2²⁰ by its 30th column of 43).
struct Fits {
    /// The states' amounts, ascending.
    amount: Vec<i64>,
    limit: i64,
    /// Per decision i, the amount the columns decided from i on may take away (their negative
    /// amounts).
    fewest: Vec<i64>,
    /// Per price: ν, then per state in `amount`'s order the least `loss − ν·amount` up to it, and
    /// per decision i the sum over the columns decided from i on.
    prices: Vec<Price>,
}

struct Price {
    nu: i128,
    least: Vec<i128>,
    later: Vec<i128>,
}

impl Fits {
    fn new(at: &Join, decide: &[Decision], states: &States, amount: impl Fn(usize) -> i64) -> Fits {
        let limit = at.local.limit[at.amount_row];
        let mut by_amount: Vec<(i64, i128)> = (0..states.len())
            .map(|i| (amount(i), states.loss[i]))
            .collect();
        by_amount.sort_unstable();
        let y = at.local.y[at.amount_row];
        let joined: Vec<(i128, i64)> = decide.iter().map(|c| (c.d, c.a)).collect();
        let mut nus = vec![0];
        nus.extend(
            joined
                .iter()
                .filter(|&&(d, a)| d > 0 && a > 0)
                .map(|&(d, a)| y - d / i128::from(a)),
        );
        nus.sort_unstable();
        nus.dedup();
        // ν = 0 first: the cheapest to pass, and most subsets fail it.
        nus.sort_by_key(|&nu| nu != 0);
        if at.local.last[at.amount_row] >= at.columns.end {
            // Not closed in the join (never so far): its slack is not in a pairing's loss.
            debug_assert!(false, "the join's amount row stays open");
            nus.truncate(1);
        }
        let mut fewest = vec![0i64; joined.len() + 1];
        for (i, &(_, a)) in joined.iter().enumerate().rev() {
            fewest[i] = fewest[i + 1].saturating_add(a.min(0));
        }
        let prices = nus
            .into_iter()
            .filter_map(|nu| {
                let mut least = Vec::with_capacity(by_amount.len());
                let mut so_far = i128::MAX;
                for &(a, loss) in &by_amount {
                    so_far = so_far.min(loss.checked_sub(nu.checked_mul(i128::from(a))?)?);
                    least.push(so_far);
                }
                let mut later = vec![0i128; joined.len() + 1];
                for (t, &(d, a)) in joined.iter().enumerate().rev() {
                    let taken = penalty(d, true).checked_sub(nu.checked_mul(i128::from(a))?)?;
                    later[t] = later[t + 1].checked_add(penalty(d, false).min(taken))?;
                }
                nu.checked_mul(i128::from(limit))?;
                Some(Price { nu, least, later })
            })
            .collect();
        Fits {
            amount: by_amount.iter().map(|p| p.0).collect(),
            limit,
            fewest,
            prices,
        }
    }

    /// Whether a subset of penalties `p` and amount `added` over the first `decided` joined
    /// columns may still pair with a state within `room` of loss.
    fn may_pair(&self, decided: usize, p: i128, added: i64, room: i128) -> bool {
        let most = self
            .limit
            .saturating_sub(added.saturating_add(self.fewest[decided]));
        let fit = self.amount.partition_point(|&a| a <= most);
        let Some(i) = fit.checked_sub(1) else {
            return false;
        };
        self.prices.iter().all(|price| {
            let bound = price
                .nu
                .checked_mul(i128::from(self.limit) - i128::from(added))
                .and_then(|v| v.checked_add(price.least[i]))
                .and_then(|v| v.checked_add(price.later[decided]))
                .and_then(|v| v.checked_add(p));
            bound.is_none_or(|b| b <= room)
        })
    }
}

/// A joined column, in the order it is decided: its place among the joined columns, its reduced
/// cost, score and amount in the pool's row.
struct Decision {
    t: usize,
    d: i128,
    score: i64,
    a: i64,
}

/// The joined columns in the order they are decided: the largest reduced cost first, either way
/// (ties by position). Those are the decisions the bound feels most; decided in place, the
/// subsets doubled with nearly every column and were cut only at the last (8.9 million before it
/// on that round; 5.6 million in this order).
fn decisions(at: &Join) -> Vec<Decision> {
    let mut decide: Vec<Decision> = at
        .columns
        .clone()
        .enumerate()
        .map(|(t, k)| {
            let j = at.order[k];
            let a = at.local.terms[k]
                .iter()
                .find(|&&(r, _)| r == at.amount_row)
                .map_or(0, |&(_, a)| a);
            Decision {
                t,
                d: at.reduced[j],
                score: at.score[j],
                a,
            }
        })
        .collect();
    decide.sort_by_key(|c| std::cmp::Reverse(c.d.abs()));
    decide
}

/// The subsets of the joined columns `Fits` keeps, searched depth first so that only those
/// deciding every column are held, and handed back in the order of the columns' positions (the
/// first column's decision first, not taken before taken) whatever the order they were decided
/// in: the states the join makes, and so every later step, are those of a search in place.
/// `None` past the step's cap or the visits, or at the deadline; each visit is added to `counted`.
fn subsets(at: &Join, decide: &[Decision], fits: &Fits, counted: &mut usize) -> Option<Subsets> {
    let room = at.budget - at.floor_loss;
    let mut all = Subsets {
        score: Vec::new(),
        penalties: Vec::new(),
        amount: Vec::new(),
        bits: Vec::new(),
    };
    let mut visited = 0usize;
    // Depth first: only the subsets that survive every column are ever held.
    let mut stack: Vec<(usize, i128, i64, i64, u64)> = vec![(0, 0, 0, 0, 0)];
    while let Some((i, p, amount, score, bits)) = stack.pop() {
        let Some(c) = decide.get(i) else {
            all.score.push(score);
            all.penalties.push(p);
            all.amount.push(amount);
            all.bits.push(bits);
            if all.bits.len() > at.states_cap {
                return None;
            }
            continue;
        };
        visited += 1;
        *counted += 1;
        if visited > at.states_cap.saturating_mul(VISITS)
            || (visited.is_multiple_of(LOOK) && at.past_deadline())
        {
            return None;
        }
        for take in [true, false] {
            let p = p + penalty(c.d, take);
            let amount = amount + if take { c.a } else { 0 };
            if fits.may_pair(i + 1, p, amount, room) {
                let score = score + if take { c.score } else { 0 };
                stack.push((i + 1, p, amount, score, bits | u64::from(take) << c.t));
            }
        }
    }
    let mut by_position: Vec<usize> = (0..all.bits.len()).collect();
    by_position.sort_unstable_by_key(|&z| all.bits[z].reverse_bits());
    Some(Subsets {
        score: by_position.iter().map(|&z| all.score[z]).collect(),
        penalties: by_position.iter().map(|&z| all.penalties[z]).collect(),
        amount: by_position.iter().map(|&z| all.amount[z]).collect(),
        bits: by_position.iter().map(|&z| all.bits[z]).collect(),
    })
}
