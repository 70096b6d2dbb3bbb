//! The joined step: the columns moved to a pool's end, paired with the pool's states in one step
//! (see the module docs of `enumerate`).

use super::bound::{Kept, Local};
use super::penalty;
use super::states::States;

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
}

/// The subsets of the joined columns that may still complete some state: per subset the usage
/// it adds to each row it touches, its score, its penalties and its decisions.
struct Subsets {
    /// The rows the joined columns touch, each with its slot in a subset's usage.
    touched: Vec<usize>,
    slot: Vec<usize>,
    delta: Vec<i64>,
    score: Vec<i64>,
    penalties: Vec<i128>,
    bits: Vec<u64>,
}

/// The states after the columns moved to a pool's end, found without stepping through them: each
/// such column is one of a project's two pools, and stepping would pair every subset of them with
/// every partial portfolio of the pool (hundreds of thousands of states each). Instead the subsets
/// are enumerated alone (pruned by their penalties against the least loss of any state), and each
/// is paired, per bucket of states, only with the best-scoring states whose amount still fits: the
/// pool's amount row closes after these columns, so any other pairing is dominated by that one.
/// `None` when the subsets outgrow the step's cap.
pub(super) fn join(
    at: &Join,
    states: &States,
    layout: &[usize],
    after: &[usize],
) -> Option<States> {
    let amount_at = layout
        .iter()
        .position(|&r| r == at.amount_row)
        .expect("the amount row is open");
    let amount = |i: usize| states.usage(i)[amount_at];
    let least_loss = states.loss.iter().copied().min().unwrap_or(0);
    let most_room =
        at.local.limit[at.amount_row] - (0..states.len()).map(amount).min().unwrap_or(0);
    let subsets = subsets(at, least_loss, most_room)?;
    let Subsets {
        touched,
        slot,
        delta,
        score,
        penalties,
        bits,
    } = &subsets;
    let (wide, cols, local) = (touched.len(), at.columns.clone(), at.local);
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
    let mut out = States::new(after.len(), states.words, score.len());
    let mut usage = local.start.to_vec();
    let mut taken = vec![0u64; states.words];
    let mut compact = Vec::with_capacity(after.len());
    for z in 0..score.len() {
        let added = &delta[z * wide..(z + 1) * wide];
        let room = local.limit[at.amount_row] - added[slot[at.amount_row]];
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
                for (&r, &a) in touched.iter().zip(added) {
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

/// The subsets of the joined columns whose penalties leave room for the least loss of any state,
/// and whose amount fits the most room any state leaves. `None` past the step's cap.
fn subsets(at: &Join, least_loss: i128, most_room: i64) -> Option<Subsets> {
    let cols = at.columns.clone();
    let mut touched: Vec<usize> = cols
        .clone()
        .flat_map(|k| at.local.terms[k].iter().map(|t| t.0))
        .collect();
    touched.sort_unstable();
    touched.dedup();
    let mut slot = vec![usize::MAX; at.local.len()];
    for (i, &r) in touched.iter().enumerate() {
        slot[r] = i;
    }
    let wide = touched.len();
    let mut delta: Vec<i64> = vec![0; wide];
    let mut score: Vec<i64> = vec![0];
    let mut penalties: Vec<i128> = vec![0];
    let mut bits: Vec<u64> = vec![0];
    for (t, k) in cols.enumerate() {
        let j = at.order[k];
        let d = at.reduced[j];
        let mut next_delta = Vec::with_capacity(delta.len() * 2);
        let (mut next_score, mut next_penalties, mut next_bits) = (vec![], vec![], vec![]);
        for z in 0..score.len() {
            for take in [false, true] {
                let p = penalties[z] + penalty(d, take);
                if p + least_loss + at.floor_loss > at.budget {
                    continue;
                }
                let base = next_delta.len();
                next_delta.extend_from_slice(&delta[z * wide..(z + 1) * wide]);
                if take {
                    for &(r, a) in &at.local.terms[k] {
                        next_delta[base + slot[r]] += a;
                    }
                    if next_delta[base + slot[at.amount_row]] > most_room {
                        next_delta.truncate(base);
                        continue;
                    }
                }
                next_score.push(score[z] + if take { at.score[j] } else { 0 });
                next_penalties.push(p);
                next_bits.push(bits[z] | u64::from(take) << t);
            }
        }
        if next_score.len() > at.states_cap {
            return None;
        }
        (delta, score, penalties, bits) = (next_delta, next_score, next_penalties, next_bits);
    }
    Some(Subsets {
        touched,
        slot,
        delta,
        score,
        penalties,
        bits,
    })
}
