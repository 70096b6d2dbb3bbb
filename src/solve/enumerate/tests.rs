//! The enumeration against brute force on tiny programs of every shape it must handle: several
//! pools, projects in two pools (the joined step), unit rows, dependencies, rows with negative
//! coefficients and bounds, columns fixed either way, massive ties — under random multipliers
//! y ≥ 0 (the bound holds for any, so the answer must not depend on them).

use super::super::fixing::{DualBound, SHIFT};
use super::super::program::Row;
use super::states::{undominated, States, Tie};
use super::{prove, Columns, Effort, Found, Proof};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A tiny program: columns, rows, locks.
struct Tiny {
    score: Vec<i64>,
    subsidy: Vec<i64>,
    rank: Vec<usize>,
    rows: Vec<Row>,
    lower: Vec<bool>,
}

/// The best portfolio agreeing with `fixed` under the whole tie-break (most score, least
/// subsidy, the earliest candidate in which two differ funded), and how many reach its score.
fn brute_force(t: &Tiny, fixed: &[Option<bool>]) -> Option<(Vec<bool>, i64, usize)> {
    let n = t.score.len();
    let mut best: Option<(Vec<bool>, i64, i64)> = None;
    let mut tied = 0;
    for mask in 0u32..1 << n {
        let x: Vec<bool> = (0..n).map(|j| mask >> j & 1 == 1).collect();
        let agrees = fixed.iter().zip(&x).all(|(f, v)| f.is_none_or(|f| f == *v))
            && t.lower.iter().zip(&x).all(|(l, v)| !l || *v);
        let feasible = t.rows.iter().all(|row| {
            row.terms
                .iter()
                .filter(|(j, _)| x[*j])
                .map(|(_, a)| a)
                .sum::<i64>()
                <= row.bound
        });
        if !agrees || !feasible {
            continue;
        }
        let score: i64 = (0..n).filter(|&j| x[j]).map(|j| t.score[j]).sum();
        let subsidy: i64 = (0..n).filter(|&j| x[j]).map(|j| t.subsidy[j]).sum();
        let better = match &best {
            None => true,
            Some((bx, bs, bsub)) => {
                score > *bs
                    || (score == *bs && subsidy < *bsub)
                    || (score == *bs && subsidy == *bsub && {
                        let first = (0..n).filter(|&j| x[j] != bx[j]).min_by_key(|&j| t.rank[j]);
                        first.is_some_and(|j| x[j])
                    })
            }
        };
        if best.as_ref().is_none_or(|b| score > b.1) {
            tied = 0;
        }
        if best.as_ref().is_none_or(|b| score >= b.1) {
            tied += 1;
        }
        if better {
            best = Some((x, score, subsidy));
        }
    }
    best.map(|(x, s, _)| (x, s, tied))
}

/// A random tiny program; `ties` draws scores and amounts from two values each.
fn tiny(rng: &mut ChaCha8Rng, ties: bool) -> Tiny {
    let n = rng.gen_range(1..=11usize);
    let pools = rng.gen_range(1..=3usize);
    let score: Vec<i64> = (0..n)
        .map(|_| {
            if ties {
                [50_000, 100_000][rng.gen_range(0..2)]
            } else {
                rng.gen_range(0..=40) * 1000
            }
        })
        .collect();
    let subsidy: Vec<i64> = (0..n)
        .map(|_| {
            if ties {
                [3, 6][rng.gen_range(0..2)]
            } else {
                rng.gen_range(1..=30)
            }
        })
        .collect();
    let mut rank: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        rank.swap(i, rng.gen_range(0..=i));
    }
    let pool: Vec<usize> = (0..n).map(|_| rng.gen_range(0..pools)).collect();
    let mut rows = Vec::new();
    for q in 0..pools {
        let terms: Vec<(usize, i64)> = (0..n)
            .filter(|&j| pool[j] == q)
            .map(|j| {
                let a = if rng.gen_bool(0.8) {
                    subsidy[j]
                } else {
                    rng.gen_range(1..=30)
                };
                (j, a)
            })
            .collect();
        let total: i64 = terms.iter().map(|t| t.1).sum();
        if !terms.is_empty() {
            rows.push(Row {
                terms,
                bound: rng.gen_range(0..=total),
            });
        }
    }
    // A project's once-only row across two pools (the joined step), a round's size, a group
    // limit, a dependency either way, a row with a negative bound.
    for _ in 0..rng.gen_range(0..=3) {
        let (a, b) = (rng.gen_range(0..n), rng.gen_range(0..n));
        if a != b {
            rows.push(Row {
                terms: vec![(a, 1), (b, 1)],
                bound: 1,
            });
        }
    }
    for _ in 0..rng.gen_range(0..=2) {
        let members: Vec<(usize, i64)> = (0..n)
            .filter(|_| rng.gen_bool(0.5))
            .map(|j| (j, 1))
            .collect();
        if members.len() > 1 {
            let bound = rng.gen_range(0..members.len() as i64);
            rows.push(Row {
                terms: members,
                bound,
            });
        }
    }
    for _ in 0..rng.gen_range(0..=2) {
        let (a, b) = (rng.gen_range(0..n), rng.gen_range(0..n));
        if a != b {
            rows.push(Row {
                terms: vec![(a, 1), (b, -1)],
                bound: 0,
            });
        }
    }
    if rng.gen_bool(0.1) {
        let a = rng.gen_range(0..n);
        rows.push(Row {
            terms: vec![(a, -1)],
            bound: -1,
        });
    }
    // Round floors, as the program writes them: at least k of some columns (−1 each), at least
    // an amount of their subsidies (−subsidy each), over the same columns as a pool's row.
    if rng.gen_bool(0.15) {
        let members: Vec<(usize, i64)> = (0..n)
            .filter(|_| rng.gen_bool(0.6))
            .map(|j| (j, -1))
            .collect();
        if !members.is_empty() {
            let k = rng.gen_range(1..=members.len() as i64);
            rows.push(Row {
                terms: members,
                bound: -k,
            });
        }
    }
    if rng.gen_bool(0.15) {
        let q = rng.gen_range(0..pools);
        let members: Vec<(usize, i64)> = (0..n)
            .filter(|&j| pool[j] == q || rng.gen_bool(0.2))
            .map(|j| (j, -subsidy[j]))
            .collect();
        let total: i64 = members.iter().map(|t| -t.1).sum();
        if total > 0 {
            rows.push(Row {
                terms: members,
                bound: -rng.gen_range(1..=total),
            });
        }
    }
    let lower = (0..n).map(|_| rng.gen_bool(0.05)).collect();
    Tiny {
        score,
        subsidy,
        rank,
        rows,
        lower,
    }
}

/// Random multipliers: zero or anything up to three points per unit of a row.
fn random_y(rng: &mut ChaCha8Rng, rows: usize) -> Vec<i128> {
    (0..rows)
        .map(|_| {
            if rng.gen_bool(0.4) {
                0
            } else {
                rng.gen_range(0..3000i128 << SHIFT)
            }
        })
        .collect()
}

/// What `prove` gives on `t` with these fixings and floor, and the joins it took.
fn run(t: &Tiny, bound: &DualBound, fixed: &[Option<bool>], floor: i64) -> (Proof, usize) {
    run_from(t, bound, fixed, floor, None)
}

/// `prove`, starting from `known`; the portfolio it leaves in `found` must be a real one: every
/// row met, the fixings kept, its score summed right.
fn run_from(
    t: &Tiny,
    bound: &DualBound,
    fixed: &[Option<bool>],
    floor: i64,
    known: Option<Found>,
) -> (Proof, usize) {
    let mut effort = Effort::for_round(t.score.len(), t.rows.len());
    let columns = Columns {
        score: &t.score,
        subsidy: &t.subsidy,
        rank: &t.rank,
    };
    let mut found = known;
    let proof = prove(
        &columns,
        &t.rows,
        bound,
        fixed,
        floor,
        &mut effort,
        &mut found,
    );
    if let Some(f) = &found {
        assert!(
            t.rows.iter().all(|row| row.holds(&f.x)),
            "a found portfolio breaks a row"
        );
        assert!(
            fixed
                .iter()
                .zip(&f.x)
                .all(|(v, x)| v.is_none_or(|v| v == *x)),
            "a found portfolio breaks a fixing"
        );
        let score: i64 = (0..f.x.len()).filter(|&j| f.x[j]).map(|j| t.score[j]).sum();
        assert_eq!(f.score, score, "a found portfolio's score");
    }
    (proof, effort.joins)
}

#[test]
fn agrees_with_brute_force_under_any_multipliers() {
    let (mut several, mut empty, mut joined, mut unique) = (0, 0, 0, 0);
    for seed in 0..20_000u64 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let t = tiny(&mut rng, seed % 2 == 0);
        let y = random_y(&mut rng, t.rows.len());
        let bound = DualBound::from_parts(&t.score, &t.rows, y, t.lower.clone());
        // Fixings: none, the bound's own (against a random floor), or arbitrary.
        let n = t.score.len();
        let mut fixed: Vec<Option<bool>> = match rng.gen_range(0..3) {
            0 => vec![None; n],
            1 => bound.fixings(rng.gen_range(0..=bound.best().max(0))),
            _ => (0..n)
                .map(|_| rng.gen_bool(0.15).then(|| rng.gen_bool(0.5)))
                .collect(),
        };
        for (f, &l) in fixed.iter_mut().zip(&t.lower) {
            if l {
                *f = Some(true);
            }
        }
        let oracle = brute_force(&t, &fixed);
        let floor = match &oracle {
            Some((_, opt, _)) if rng.gen_bool(0.8) => opt - rng.gen_range(0..=20) * 1000,
            Some((_, opt, _)) => opt + rng.gen_range(1..=3000),
            None => rng.gen_range(0..=40_000),
        };
        // Sometimes from a known portfolio (the optimum, or a worse one), as a later floor starts
        // from what an earlier one completed.
        let known = match &oracle {
            Some((x, opt, _)) if rng.gen_bool(0.2) => Some(Found {
                score: *opt,
                x: x.clone(),
            }),
            Some(_) if rng.gen_bool(0.1) => {
                let x: Vec<bool> = fixed.iter().map(|f| *f == Some(true)).collect();
                let score = (0..n).filter(|&j| x[j]).map(|j| t.score[j]).sum();
                t.rows
                    .iter()
                    .all(|row| row.holds(&x))
                    .then_some(Found { score, x })
            }
            _ => None,
        };
        let (proof, joins) = run_from(&t, &bound, &fixed, floor, known);
        joined += usize::from(joins > 0);
        // Open only where the fixed columns alone break a row.
        let broken = t.rows.iter().any(|row| {
            row.terms.iter().all(|(j, _)| fixed[*j].is_some())
                && row
                    .terms
                    .iter()
                    .filter(|(j, _)| fixed[*j] == Some(true))
                    .map(|(_, a)| a)
                    .sum::<i64>()
                    > row.bound
        });
        match (&oracle, proof) {
            (Some((x, opt, tied)), Proof::Unique(got)) if floor <= *opt => {
                assert_eq!(&got, x, "seed {seed}: not the tie-break's optimum");
                unique += 1;
                several += usize::from(*tied > 1);
            }
            (Some((_, opt, _)), Proof::Empty(_)) if floor > *opt => empty += 1,
            (None, Proof::Empty(_)) => empty += 1,
            (_, Proof::Open) if broken => {}
            (oracle, proof) => panic!(
                "seed {seed}: floor {floor}, oracle {:?}, enumeration {}",
                oracle.as_ref().map(|o| (o.1, o.2)),
                match proof {
                    Proof::Unique(_) => "unique",
                    Proof::Empty(_) => "empty",
                    Proof::Open => "open",
                }
            ),
        }
    }
    // Every path was reached: several optimal portfolios (the tie-break), none above the floor,
    // the joined step.
    assert!(
        unique > 5000 && several > 1500 && empty > 1500 && joined > 250,
        "unique {unique}, several optimal {several}, empty {empty}, joined {joined}"
    );
}

#[test]
fn a_project_in_two_pools_is_joined_and_settled() {
    // Pool A: columns 0–3 and 8–9; pool B: columns 4–7; project k < 4 has column k in A and
    // k + 4 in B, so columns 0–3 are moved to the end of pool A and joined there.
    let score = vec![
        40_000, 30_000, 30_000, 20_000, 41_000, 29_000, 31_000, 20_000, 25_000, 15_000,
    ];
    let subsidy = vec![4, 3, 3, 2, 4, 3, 3, 2, 2, 1];
    let pool_a = [0, 1, 2, 3, 8, 9];
    let mut rows = vec![
        Row {
            terms: pool_a.iter().map(|&j| (j, subsidy[j])).collect(),
            bound: 9,
        },
        Row {
            terms: (4..8).map(|j| (j, subsidy[j])).collect(),
            bound: 6,
        },
    ];
    for k in 0..4 {
        rows.push(Row {
            terms: vec![(k, 1), (k + 4, 1)],
            bound: 1,
        });
    }
    let t = Tiny {
        rank: (0..10).collect(),
        lower: vec![false; 10],
        score,
        subsidy,
        rows,
    };
    let y = vec![1i128 << SHIFT, 1 << SHIFT, 0, 0, 0, 0];
    let bound = DualBound::from_parts(&t.score, &t.rows, y, t.lower.clone());
    let fixed = vec![None; 10];
    let (x, opt, _) = brute_force(&t, &fixed).expect("feasible");
    let (proof, joins) = run(&t, &bound, &fixed, opt);
    assert!(
        joins > 0,
        "the moved columns were stepped through, not joined"
    );
    assert!(matches!(proof, Proof::Unique(got) if got == x));
    let (proof, _) = run(&t, &bound, &fixed, opt + 1);
    assert!(matches!(proof, Proof::Empty(_)));
}

#[test]
fn massive_ties_keep_only_the_tie_break_winner() {
    // Twelve equal columns, room for five: 792 optimal portfolios, one of them the answer.
    let n = 12;
    let t = Tiny {
        score: vec![10_000; n],
        subsidy: vec![5; n],
        rank: (0..n).rev().collect(),
        rows: vec![Row {
            terms: (0..n).map(|j| (j, 5)).collect(),
            bound: 25,
        }],
        lower: vec![false; n],
    };
    let bound = DualBound::from_parts(&t.score, &t.rows, vec![2000 << SHIFT], t.lower.clone());
    let fixed = vec![None; n];
    let (x, opt, tied) = brute_force(&t, &fixed).expect("feasible");
    assert_eq!((opt, tied), (50_000, 792));
    // The earliest candidates are the last columns (ranks reversed).
    assert_eq!(x, (0..n).map(|j| j >= 7).collect::<Vec<_>>());
    let (proof, _) = run(&t, &bound, &fixed, opt);
    assert!(matches!(proof, Proof::Unique(got) if got == x));
}

#[test]
fn a_dominated_state_and_a_tie_break_loser_are_dropped() {
    // One open amount row (width 0): states (usage, score): (5, 10) beats (6, 9); (5, 10) and
    // (5, 10) tie, and the one of less total amount (the first column's 1 against 2) wins.
    let mut next = States::new(1, 1, 4);
    next.push(&[5], 10, 0, &[0b01]);
    next.push(&[6], 9, 0, &[0b100]);
    next.push(&[5], 10, 0, &[0b10]);
    next.push(&[4], 9, 0, &[0b1000]);
    let tie = Tie {
        subsidy: vec![1, 2, 3, 4],
        rank: vec![0, 1, 2, 3],
    };
    let out = undominated(next, 0, &tie);
    let kept: Vec<(i64, i64, u64)> = (0..out.len())
        .map(|i| (out.usage(i)[0], out.score[i], out.taken(i)[0]))
        .collect();
    assert_eq!(kept, vec![(5, 10, 0b01), (4, 9, 0b1000)]);
}

#[test]
fn the_tie_break_prefers_the_earliest_candidate_funded() {
    let tie = Tie {
        subsidy: vec![1; 70],
        rank: (0..70).rev().collect(),
    };
    // Positions 3 and 65 differ; 65 has the lower rank, so the state funding it wins.
    let a = [1u64 << 3, 0];
    let b = [0, 1u64 << 1];
    assert!(tie.earlier(&b, &a) && !tie.earlier(&a, &b));
    assert_eq!(tie.amount(&[u64::MAX, 0b11]), 66);
}

#[test]
fn prefixes_agree_only_on_the_columns_decided() {
    use super::same_prefix;
    let a = [u64::MAX, 0b0101];
    let b = [u64::MAX, 0b1101];
    assert!(same_prefix(&a, &b, 64));
    assert!(same_prefix(&a, &b, 67));
    assert!(!same_prefix(&a, &b, 68));
    assert!(!same_prefix(&[1, 0], &[0, 0], 1));
    assert!(same_prefix(&[1, 0], &[0, 0], 0));
}
