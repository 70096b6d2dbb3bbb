//! The partial portfolios of a step and the dominance that keeps them few (see the module docs
//! of `enumerate`).

/// The partial portfolios of one step, over the first columns of the order, in flat arrays (a
/// step may hold a few hundred thousand; one allocation each would dominate the time).
pub(super) struct States {
    /// Local rows: the usage of each is kept (0 once the row is closed).
    pub rows: usize,
    /// Words of decisions per state: bit k is set when the k-th column of the order is taken. (A
    /// shared decision tree would grow with every step's states: a gigabyte on the widest rounds.)
    pub words: usize,
    pub usage: Vec<i64>,
    /// Score of the free columns taken so far.
    pub score: Vec<i64>,
    /// Penalties so far plus the slack cost of closed rows (scaled like `DualBound`).
    pub loss: Vec<i128>,
    pub taken: Vec<u64>,
}

impl States {
    pub fn new(rows: usize, words: usize, capacity: usize) -> Self {
        States {
            rows,
            words,
            usage: Vec::with_capacity(capacity * rows),
            score: Vec::with_capacity(capacity),
            loss: Vec::with_capacity(capacity),
            taken: Vec::with_capacity(capacity * words),
        }
    }

    pub fn len(&self) -> usize {
        self.score.len()
    }

    pub fn is_empty(&self) -> bool {
        self.score.is_empty()
    }

    pub fn usage(&self, i: usize) -> &[i64] {
        &self.usage[i * self.rows..(i + 1) * self.rows]
    }

    pub fn taken(&self, i: usize) -> &[u64] {
        &self.taken[i * self.words..(i + 1) * self.words]
    }

    pub fn push(&mut self, usage: &[i64], score: i64, loss: i128, taken: &[u64]) {
        self.usage.extend_from_slice(usage);
        self.score.push(score);
        self.loss.push(loss);
        self.taken.extend_from_slice(taken);
    }

    /// Bytes one state takes.
    pub fn bytes(&self) -> usize {
        Self::bytes_of(self.rows, self.words)
    }

    /// Bytes a state of `rows` rows and `words` words of decisions takes.
    pub fn bytes_of(rows: usize, words: usize) -> usize {
        8 * (rows + words) + 24
    }
}

/// The states no other state dominates (no more of any open row — the same usage of the open
/// unit-coefficient rows, or less of them, and no more of the open amount row — and a strictly
/// higher score). Dropping a dominated state is safe: its every completion completes the
/// dominating state too, scoring strictly more.
pub(super) fn undominated(next: States, width: usize, tie: &Tie) -> States {
    // Every amount row a state keeps is open (see `open_after`).
    let open_weighted: Vec<usize> = (width..next.rows).collect();
    let open_weighted = open_weighted.as_slice();
    // Buckets of equal usage of the unit-coefficient rows (the key: they are the first rows), in
    // the keys' order, each with its states in the order they came: one flat array, bucket `r`
    // at `start[r]..start[r + 1]` (a step may hold many thousands of small buckets).
    let key = |i: usize| &next.usage(i)[..width];
    let mut bucket_of: Vec<usize> = Vec::with_capacity(next.len());
    let mut firsts: Vec<usize> = Vec::new();
    {
        let mut found: rustc_hash::FxHashMap<&[i64], usize> = Default::default();
        for i in 0..next.len() {
            let b = *found.entry(key(i)).or_insert_with(|| {
                firsts.push(i);
                firsts.len() - 1
            });
            bucket_of.push(b);
        }
    }
    let buckets = firsts.len();
    let mut by_key: Vec<usize> = (0..buckets).collect();
    by_key.sort_by(|&a, &b| key(firsts[a]).cmp(key(firsts[b])));
    let mut rank = vec![0; buckets];
    for (r, &b) in by_key.iter().enumerate() {
        rank[b] = r;
    }
    let mut start = vec![0; buckets + 1];
    for &b in &bucket_of {
        start[rank[b] + 1] += 1;
    }
    for r in 0..buckets {
        start[r + 1] += start[r];
    }
    let mut flat = vec![0; next.len()];
    let mut fill = start.clone();
    for (i, &b) in bucket_of.iter().enumerate() {
        flat[fill[rank[b]]] = i;
        fill[rank[b]] += 1;
    }
    // Each bucket's survivors, at the front of its range.
    let kept: Vec<usize> = (0..buckets)
        .map(|r| within_bucket(&next, &mut flat[start[r]..start[r + 1]], open_weighted, tie))
        .collect();
    let members: Vec<&[usize]> = (0..buckets)
        .map(|r| &flat[start[r]..start[r] + kept[r]])
        .collect();
    let dropped = across_buckets(&next, &members, width, open_weighted);
    let survivors = dropped.iter().filter(|d| !**d).count();
    let mut out = States::new(next.rows, next.words, survivors);
    for (&i, &dropped) in members.iter().flat_map(|m| m.iter()).zip(&dropped) {
        if !dropped {
            out.push(next.usage(i), next.score[i], next.loss[i], next.taken(i));
        }
    }
    out
}

/// The survivors of one bucket, best score first (and, within a score, by usage of the open
/// amount rows), moved to the front of `bucket`; how many there are. A state survives unless
/// one scoring strictly more uses no more of the open amount rows, or one of equal score is
/// preferred by the tie-break and uses no more (`Tie`).
fn within_bucket(next: &States, bucket: &mut [usize], open_weighted: &[usize], tie: &Tie) -> usize {
    bucket.sort_by(|&a, &b| {
        next.score[b].cmp(&next.score[a]).then_with(|| {
            open_weighted
                .iter()
                .map(|&r| next.usage(a)[r])
                .cmp(open_weighted.iter().map(|&r| next.usage(b)[r]))
        })
    });
    // Survivors are written over the states already read: never past the one being read.
    let mut kept = 0;
    // With one open amount row: the least usage among the states scoring strictly more.
    let mut least = i64::MAX;
    let mut i = 0;
    while i < bucket.len() {
        let mut end = i;
        while end < bucket.len() && next.score[bucket[end]] == next.score[bucket[i]] {
            end += 1;
        }
        if end - i > 1 {
            tie.settle(next, &mut bucket[i..end], open_weighted);
        }
        let higher = kept;
        for q in i..end {
            let c = bucket[q];
            if c == usize::MAX {
                continue;
            }
            let usage = next.usage(c);
            let dominated = match open_weighted {
                [] => higher > 0,
                [r] => least <= usage[*r],
                _ => bucket[..higher]
                    .iter()
                    .any(|&h| open_weighted.iter().all(|&r| next.usage(h)[r] <= usage[r])),
            };
            if !dominated {
                bucket[kept] = c;
                kept += 1;
            }
        }
        if let [r] = open_weighted {
            for &c in &bucket[higher..kept] {
                least = least.min(next.usage(c)[*r]);
            }
        }
        i = end;
    }
    kept
}

/// Across buckets (at most one open amount row): a state is also dominated by one of a bucket
/// using less of the unit rows — the bucket with every unit row at its least usage, or with one
/// of the rows this state uses more of lowered to it. Which states drop, bucket after bucket.
fn across_buckets(
    next: &States,
    members: &[&[usize]],
    width: usize,
    open_weighted: &[usize],
) -> Vec<bool> {
    let total: usize = members.iter().map(|b| b.len()).sum();
    let mut dropped = vec![false; total];
    if open_weighted.len() > 1 || members.len() <= 1 {
        return dropped;
    }
    let key = |i: usize| &next.usage(i)[..width];
    let amount = |i: usize| -> i64 { open_weighted.first().map_or(0, |&r| next.usage(i)[r]) };
    let least_usage: Vec<i64> = (0..width)
        .map(|r| members.iter().map(|b| key(b[0])[r]).min().unwrap_or(0))
        .collect();
    // The buckets by a hash of their key that is a sum over its rows, so that the key with one
    // row lowered is hashed in one step (a join's output can hold 600,000 buckets of 60 rows:
    // hashing each lowered key anew took most of the pass); equal hashes are checked row by row.
    let hashes: Vec<u64> = members.iter().map(|m| key_hash(key(m[0]))).collect();
    let mut by_hash: Vec<(u64, usize)> = hashes.iter().copied().zip(0..).collect();
    by_hash.sort_unstable();
    let mut first: rustc_hash::FxHashMap<u64, usize> = Default::default();
    for (i, e) in by_hash.iter().enumerate() {
        first.entry(e.0).or_insert(i);
    }
    let find = |hash: u64, is: &dyn Fn(&[i64]) -> bool| -> Option<usize> {
        let from = *first.get(&hash)?;
        by_hash[from..]
            .iter()
            .take_while(|e| e.0 == hash)
            .map(|e| e.1)
            .find(|&b| is(key(members[b][0])))
    };
    let least_hash = key_hash(&least_usage);
    // Where each bucket's states begin in `dropped` and `prefix`.
    let mut offset = Vec::with_capacity(members.len());
    let mut at = 0;
    for bucket in members {
        offset.push(at);
        at += bucket.len();
    }
    // Per bucket: the least amount among its first i states (scores descend).
    let mut prefix: Vec<i64> = Vec::with_capacity(total);
    for bucket in members {
        let mut least = i64::MAX;
        for &s in bucket.iter() {
            least = least.min(amount(s));
            prefix.push(least);
        }
    }
    let beaten = |b: usize, state: usize| -> bool {
        // The states scoring strictly more are a prefix.
        let count = members[b].partition_point(|&s| next.score[s] > next.score[state]);
        count > 0 && prefix[offset[b] + count - 1] <= amount(state)
    };
    let mut others: Vec<usize> = Vec::new();
    let mut above: Vec<usize> = Vec::with_capacity(width);
    for (b, bucket) in members.iter().enumerate() {
        let k = key(bucket[0]);
        others.clear();
        if k != least_usage.as_slice() {
            others.extend(find(least_hash, &|o| o == least_usage.as_slice()));
        }
        above.clear();
        above.extend((0..width).filter(|&r| k[r] > least_usage[r]));
        // With one row above its least, lowering it gives the least key itself (found above).
        if above.len() > 1 {
            for &r in &above {
                // The key with row r lowered to its least.
                let lowered = |o: &[i64]| {
                    o[r] == least_usage[r] && o[..r] == k[..r] && o[r + 1..] == k[r + 1..]
                };
                let hash = hashes[b]
                    .wrapping_sub(row_hash(r, k[r]))
                    .wrapping_add(row_hash(r, least_usage[r]));
                others.extend(find(hash, &lowered));
            }
        }
        if others.is_empty() {
            continue;
        }
        for (c, &state) in bucket.iter().enumerate() {
            dropped[offset[b] + c] = others.iter().any(|&o| beaten(o, state));
        }
    }
    dropped
}

/// A key's hash: the sum of its rows' (see `across_buckets`).
fn key_hash(key: &[i64]) -> u64 {
    key.iter()
        .enumerate()
        .fold(0u64, |h, (r, &v)| h.wrapping_add(row_hash(r, v)))
}

/// One row's part of a key's hash (SplitMix64's finalizer over the row and its usage).
fn row_hash(r: usize, v: i64) -> u64 {
    let mut z = (v as u64) ^ (r as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The tie-break among partial portfolios over the same columns: two states with the same score
/// and the same completion end with the same score, so the one of less total amount, or of equal
/// amount funding the earliest candidate in which they differ (their completions are the same),
/// wins under the whole tie-break. When it also uses no more of any open row, every completion of
/// the other completes it too and ranks below: the other is dropped. Without this, a round of
/// massive ties keeps every tied combination (tests/fixtures/adversarial/slow-ties-60.toml: over
/// 700,000 states a step; the tie-break winner is never dropped, since nothing beats it).
pub(super) struct Tie {
    /// Amount (fen) of the column at each position of the order.
    pub subsidy: Vec<i64>,
    /// Candidate index of the column at each position (the tie-break's order).
    pub rank: Vec<usize>,
}

impl Tie {
    /// The total amount of the columns taken (i128: no sum of amounts overflows it).
    pub fn amount(&self, taken: &[u64]) -> i128 {
        bits(taken).map(|k| i128::from(self.subsidy[k])).sum()
    }

    /// Whether `a` funds the earliest candidate in which `a` and `b` differ.
    pub fn earlier(&self, a: &[u64], b: &[u64]) -> bool {
        // Called inside a sort, once per comparison: no allocation.
        let mut first: Option<(usize, bool)> = None;
        for (w, (&x, &y)) in a.iter().zip(b).enumerate() {
            let mut diff = x ^ y;
            while diff != 0 {
                let bit = diff.trailing_zeros() as usize;
                diff &= diff - 1;
                let k = w * 64 + bit;
                if first.is_none_or(|(f, _)| self.rank[k] < self.rank[f]) {
                    first = Some((k, x >> bit & 1 == 1));
                }
            }
        }
        first.is_some_and(|(_, in_a)| in_a)
    }

    /// Orders `group` (states of one score in one bucket) best first under the tie-break and
    /// replaces each dominated one by `usize::MAX`.
    pub fn settle(&self, next: &States, group: &mut [usize], open_weighted: &[usize]) {
        let amounts: rustc_hash::FxHashMap<usize, i128> = group
            .iter()
            .map(|&s| (s, self.amount(next.taken(s))))
            .collect();
        let better = |a: usize, b: usize| -> std::cmp::Ordering {
            amounts[&a].cmp(&amounts[&b]).then_with(|| {
                if a == b {
                    std::cmp::Ordering::Equal
                } else if self.earlier(next.taken(a), next.taken(b)) {
                    std::cmp::Ordering::Less
                } else {
                    std::cmp::Ordering::Greater
                }
            })
        };
        match open_weighted {
            [] => {
                // Same usage everywhere: only the best survives.
                let best = group
                    .iter()
                    .copied()
                    .min_by(|&a, &b| better(a, b))
                    .expect("a group of two or more");
                for s in group.iter_mut() {
                    if *s != best {
                        *s = usize::MAX;
                    }
                }
            }
            [r] => {
                // By usage, then best first: a state survives only if it beats every state before
                // it (all of which use no more).
                group.sort_by(|&a, &b| {
                    next.usage(a)[*r]
                        .cmp(&next.usage(b)[*r])
                        .then_with(|| better(a, b))
                });
                let mut champion: Option<usize> = None;
                for s in group.iter_mut() {
                    match champion {
                        Some(c) if better(c, *s).is_lt() => *s = usize::MAX,
                        _ => champion = Some(*s),
                    }
                }
            }
            _ => {
                group.sort_by(|&a, &b| better(a, b));
                let mut kept: Vec<usize> = Vec::new();
                for s in group.iter_mut() {
                    let dominated = kept.iter().any(|&h| {
                        open_weighted
                            .iter()
                            .all(|&r| next.usage(h)[r] <= next.usage(*s)[r])
                    });
                    if dominated {
                        *s = usize::MAX;
                    } else {
                        kept.push(*s);
                    }
                }
            }
        }
        // Keep the usage order the caller relies on within a score (least amount row first).
        let mut live: Vec<usize> = group.iter().copied().filter(|&s| s != usize::MAX).collect();
        if let [r] = open_weighted {
            live.sort_by_key(|&s| next.usage(s)[*r]);
        }
        let dead = group.len() - live.len();
        live.extend(std::iter::repeat_n(usize::MAX, dead));
        group.copy_from_slice(&live);
    }
}

/// The positions of the set bits.
pub(super) fn bits(words: &[u64]) -> impl Iterator<Item = usize> + '_ {
    words.iter().enumerate().flat_map(|(w, &word)| {
        let mut rest = word;
        std::iter::from_fn(move || {
            (rest != 0).then(|| {
                let b = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                w * 64 + b
            })
        })
    })
}
