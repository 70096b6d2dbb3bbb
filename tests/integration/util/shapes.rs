//! Adversarial scenario shapes for the property tests in tests/integration/adversarial.rs: rounds
//! the project's own generator (tests/integration/util/oracle.rs `instance()`) never makes —
//! massive ties over three pools, projects linked across pools, tight group limits on several
//! attributes at once, long
//! requires/excludes chains, locks that (nearly) exhaust a pool, one project costing most of a
//! pool, ten rounds on one pool, budgets that never bind or fit exactly one project, and extreme
//! but valid numbers (zero and huge scores, many decimals, amounts near the reader's 10^12 yuan
//! limit, fen rounding, caps, uplifts, fixed awards, zero-amount rules, negative bonus points).
//!
//! Every shape is a strategy for a [`Spec`], written out by [`Spec::to_toml`] as a scenario file
//! small enough (at most 12 projects) for `brute_force` in tests/integration/util/oracle.rs.

use proptest::prelude::*;
use std::fmt::Write;

/// The amount rule of a round.
#[derive(Debug, Clone)]
pub enum Rule {
    /// rate × (equipment [+ technology]), with an optional cap, uplifts and fen rounding.
    Rate {
        rate: String,
        technology: bool,
        cap: Option<String>,
        uplifts: Vec<(String, String)>,
        sum: bool,
        fen: bool,
    },
    /// A fixed award, with an optional cap.
    Fixed { amount: String, cap: Option<String> },
}

impl Rule {
    pub fn rate(rate: &str) -> Rule {
        Rule::Rate {
            rate: rate.into(),
            technology: false,
            cap: None,
            uplifts: vec![],
            sum: false,
            fen: false,
        }
    }
}

#[derive(Debug, Clone)]
pub struct RoundSpec {
    pub pool: usize,
    pub max: u32,
    /// (attribute, max): `industry`, `enterprise`, `jurisdiction` or `zone` (an extra attribute).
    pub groups: Vec<(&'static str, u32)>,
    pub min_score: Option<String>,
    pub rule: Rule,
}

#[derive(Debug, Clone)]
pub struct ProjectSpec {
    pub industry: u8,
    pub enterprise: u8,
    pub jurisdiction: u8,
    pub zone: u8,
    /// Round indices (taken modulo the number of rounds; repeats count once).
    pub rounds: Vec<usize>,
    pub equipment: String,
    pub technology: String,
    pub flags: Vec<&'static str>,
    /// One raw value per criterion.
    pub scores: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Spec {
    /// (budget, pro-rata floor).
    pub pools: Vec<(String, Option<String>)>,
    pub rounds: Vec<RoundSpec>,
    /// (weight, direction cost?, normalization).
    pub criteria: Vec<(String, bool, &'static str)>,
    /// (flag, points).
    pub bonus: Vec<(&'static str, String)>,
    pub projects: Vec<ProjectSpec>,
    /// (project, index into that project's rounds).
    pub must_fund: Vec<(usize, usize)>,
    pub exclude: Vec<usize>,
    /// (requires?, project, other).
    pub dependencies: Vec<(bool, usize, usize)>,
    pub enterprise_limit: Option<u32>,
    /// (round index, min_projects, min_amount): the rounds' floors.
    pub floors: Vec<(usize, Option<u32>, Option<String>)>,
}

impl Spec {
    /// Floors on rounds (index taken modulo the rounds; a round's first floor wins): a floor on
    /// projects and a floor on money as a share (in percent) of the round's pool, in whole yuan.
    fn add_floors(&mut self, floors: Vec<(usize, Option<u32>, Option<u64>)>) {
        for (r, min_projects, share) in floors {
            let r = r % self.rounds.len();
            if self.floors.iter().any(|f| f.0 == r) {
                continue;
            }
            let budget: u64 = self.pools[self.rounds[r].pool % self.pools.len()]
                .0
                .parse()
                .unwrap();
            let min_amount = share.map(|s| (budget * s / 100).max(1).to_string());
            self.floors.push((r, min_projects, min_amount));
        }
    }

    /// The round indices project `p` entered, deduplicated, in the order written.
    fn rounds_of(&self, p: usize) -> Vec<usize> {
        let mut out = Vec::new();
        for r in &self.projects[p].rounds {
            let r = r % self.rounds.len();
            if !out.contains(&r) {
                out.push(r);
            }
        }
        out
    }

    pub fn to_toml(&self) -> String {
        let mut t = String::from("[scenario]\nname = \"adversarial\"\n");
        for (i, (budget, floor)) in self.pools.iter().enumerate() {
            let _ = writeln!(t, "[[pools]]\nid = \"q{i}\"\nbudget = \"{budget}\"");
            if let Some(f) = floor {
                let _ = writeln!(t, "pro_rata_floor = \"{f}\"");
            }
        }
        for (r, round) in self.rounds.iter().enumerate() {
            let _ = writeln!(
                t,
                "[[rounds]]\nid = \"r{r}\"\npool = \"q{}\"\nmax_projects = {}",
                round.pool % self.pools.len(),
                round.max
            );
            if !round.groups.is_empty() {
                let g: Vec<String> = round
                    .groups
                    .iter()
                    .map(|(a, m)| format!("{{ attribute = \"{a}\", max = {m} }}"))
                    .collect();
                let _ = writeln!(t, "group_limits = [{}]", g.join(", "));
            }
            for (_, min_projects, min_amount) in self.floors.iter().filter(|f| f.0 == r) {
                if let Some(k) = min_projects {
                    let _ = writeln!(t, "min_projects = {}", k.min(&round.max));
                }
                if let Some(m) = min_amount {
                    let _ = writeln!(t, "min_amount = \"{m}\"");
                }
            }
            if let Some(m) = &round.min_score {
                let _ = writeln!(t, "[rounds.eligibility]\nmin_score = \"{m}\"");
            }
            t.push_str("[rounds.subsidy]\n");
            match &round.rule {
                Rule::Rate {
                    rate,
                    technology,
                    cap,
                    uplifts,
                    sum,
                    fen,
                } => {
                    let inv = if *technology {
                        "[\"equipment\", \"technology\"]"
                    } else {
                        "[\"equipment\"]"
                    };
                    let _ = writeln!(t, "rate = \"{rate}\"\ninvestment = {inv}");
                    if let Some(c) = cap {
                        let _ = writeln!(t, "cap = \"{c}\"");
                    }
                    if !uplifts.is_empty() {
                        let u: Vec<String> = uplifts
                            .iter()
                            .map(|(f, r)| format!("{{ flag = \"{f}\", rate = \"{r}\" }}"))
                            .collect();
                        let _ = writeln!(t, "uplifts = [{}]", u.join(", "));
                        if *sum {
                            t.push_str("stacking = \"sum\"\n");
                        }
                    }
                    if *fen {
                        t.push_str("rounding = \"fen\"\n");
                    }
                }
                Rule::Fixed { amount, cap } => {
                    let _ = writeln!(t, "fixed = \"{amount}\"");
                    if let Some(c) = cap {
                        let _ = writeln!(t, "cap = \"{c}\"");
                    }
                }
            }
        }
        t.push_str("[scoring]\ncriteria = [");
        let c: Vec<String> = self
            .criteria
            .iter()
            .enumerate()
            .map(|(i, (w, cost, norm))| {
                format!(
                    "{{ id = \"c{i}\", weight = \"{w}\", direction = \"{}\", normalization = \"{norm}\" }}",
                    if *cost { "cost" } else { "benefit" }
                )
            })
            .collect();
        t.push_str(&c.join(", "));
        t.push_str("]\n");
        if !self.bonus.is_empty() {
            let b: Vec<String> = self
                .bonus
                .iter()
                .map(|(f, p)| format!("{{ flag = \"{f}\", points = \"{p}\" }}"))
                .collect();
            let _ = writeln!(t, "bonus = [{}]", b.join(", "));
        }
        t.push_str("[committee]\n");
        let n = self.projects.len();
        if let Some(k) = self.enterprise_limit {
            let _ = writeln!(t, "enterprise_limit = {k}");
        }
        if !self.must_fund.is_empty() {
            let m: Vec<String> = self
                .must_fund
                .iter()
                .map(|&(p, k)| {
                    let p = p % n;
                    let rounds = self.rounds_of(p);
                    let r = rounds[k % rounds.len()];
                    format!("{{ project = \"A{p:02}\", round = \"r{r}\" }}")
                })
                .collect();
            let _ = writeln!(t, "must_fund = [{}]", m.join(", "));
        }
        if !self.exclude.is_empty() {
            let e: Vec<String> = self
                .exclude
                .iter()
                .map(|p| format!("\"A{:02}\"", p % n))
                .collect();
            let _ = writeln!(t, "exclude = [{}]", e.join(", "));
        }
        let deps: Vec<String> = self
            .dependencies
            .iter()
            .filter(|(_, a, b)| a % n != b % n)
            .map(|&(req, a, b)| {
                format!(
                    "{{ kind = \"{}\", project = \"A{:02}\", other = \"A{:02}\" }}",
                    if req { "requires" } else { "excludes" },
                    a % n,
                    b % n
                )
            })
            .collect();
        if !deps.is_empty() {
            let _ = writeln!(t, "dependencies = [{}]", deps.join(", "));
        }
        t.push_str("[applications]\n");
        for (p, a) in self.projects.iter().enumerate() {
            let rounds: Vec<String> = self
                .rounds_of(p)
                .iter()
                .map(|r| format!("\"r{r}\""))
                .collect();
            let scores: Vec<String> = a
                .scores
                .iter()
                .enumerate()
                .map(|(i, s)| format!("c{i} = \"{s}\""))
                .collect();
            let flags: Vec<String> = a.flags.iter().map(|f| format!("\"{f}\"")).collect();
            let _ = writeln!(
                t,
                "[[applications.projects]]\nid = \"A{p:02}\"\nenterprise = \"e{}\"\nindustry = \"i{}\"\njurisdiction = \"j{}\"\nrounds = [{}]\nequipment = \"{}\"\ntechnology = \"{}\"\nflags = [{}]\nscores = {{ {} }}\nattributes = {{ zone = \"z{}\" }}",
                a.enterprise,
                a.industry,
                a.jurisdiction,
                rounds.join(", "),
                a.equipment,
                a.technology,
                flags.join(", "),
                scores.join(", "),
                a.zone
            );
        }
        t
    }
}

// ---------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------

fn one_criterion() -> Vec<(String, bool, &'static str)> {
    vec![("1".into(), false, "as_is")]
}

/// A plain project: single criterion, given rounds, amount and score.
fn project(rounds: Vec<usize>, amount: u64, score: String) -> ProjectSpec {
    ProjectSpec {
        industry: 0,
        enterprise: 0,
        jurisdiction: 0,
        zone: 0,
        rounds,
        equipment: amount.to_string(),
        technology: "0".into(),
        flags: vec![],
        scores: vec![score],
    }
}

fn round(pool: usize, max: u32, rate: &str) -> RoundSpec {
    RoundSpec {
        pool,
        max,
        groups: vec![],
        min_score: None,
        rule: Rule::rate(rate),
    }
}

/// Attributes (industry, enterprise, jurisdiction, zone), each from a few values.
fn attributes() -> impl Strategy<Value = (u8, u8, u8, u8)> {
    (0u8..3, 0u8..5, 0u8..3, 0u8..2)
}

fn with_attributes(mut p: ProjectSpec, (i, e, j, z): (u8, u8, u8, u8)) -> ProjectSpec {
    p.industry = i;
    p.enterprise = e;
    p.jurisdiction = j;
    p.zone = z;
    p
}

/// A budget that binds somewhere between one project and most of them: `share` percent of the
/// sum of every amount (applications × rate ignored: rate 1 rounds), plus `slack` yuan.
fn budget_of(amounts: &[u64], share: u64, slack: i64) -> String {
    let total: u64 = amounts.iter().sum();
    let b = (total * share / 100) as i64 + slack;
    b.max(1).to_string()
}

// ---------------------------------------------------------------------------------------------
// The shapes
// ---------------------------------------------------------------------------------------------

/// How large a shape is made: the number of projects, and a factor on every round's size (so
/// that rounds still bind when there are many projects).
#[derive(Debug, Clone)]
pub struct Size {
    pub projects: std::ops::RangeInclusive<usize>,
    pub max: u32,
}

impl Size {
    /// Small enough for brute force.
    pub fn small() -> Size {
        Size {
            projects: 6..=12,
            max: 1,
        }
    }

    /// `n` projects, rounds `max` times as large.
    pub fn large(n: usize, max: u32) -> Size {
        Size {
            projects: n..=n,
            max,
        }
    }
}

/// Massive ties: every score 70 or 71 (or all 70), three pools with two to four rounds each,
/// projects entering up to three rounds in different pools, amounts from a few values apart by
/// one yuan (so tied portfolios differ in subsidy by a yuan), budgets that bind. `big` uses
/// amounts in the millions (the size of real rounds), where HiGHS's tolerances matter.
pub fn ties(big: bool, size: Size) -> BoxedStrategy<Spec> {
    let base: BoxedStrategy<u64> = if big {
        prop::sample::select(vec![
            1_000_000u64,
            2_000_000,
            3_000_000,
            5_000_000,
            12_345_678,
        ])
        .boxed()
    } else {
        (10u64..40).boxed()
    };
    ties_from(base, size)
}

/// As [`ties`], amounts in the hundreds of millions of yuan (a yuan is 1e-11 of a row of them in
/// fen), still a yuan or three apart.
pub fn ties_hundreds_of_millions(size: Size) -> BoxedStrategy<Spec> {
    let base = prop::sample::select(vec![100_000_000u64, 123_456_789, 300_000_000, 987_654_321]);
    ties_from(base.boxed(), size)
}

fn ties_from(base: BoxedStrategy<u64>, size: Size) -> BoxedStrategy<Spec> {
    (
        base,
        prop::collection::vec(2usize..=4, 3),
        prop::collection::vec(
            (1u32..=3, prop::sample::select(vec!["1", "0.5", "1", "0.3"])),
            12,
        ),
        prop::collection::vec(
            (
                prop::collection::vec(0usize..12, 1..=3),
                0u64..4,
                prop::bool::ANY,
                0u64..3,
            ),
            size.projects.clone(),
        ),
        prop::bool::weighted(0.2),
        prop::collection::vec((20u64..90, -2i64..3), 3),
    )
        .prop_map(
            move |(base, per_pool, round_specs, projects, all_equal, budgets)| {
                let mut rounds = Vec::new();
                for (q, &k) in per_pool.iter().enumerate() {
                    for _ in 0..k {
                        let (max, rate) = round_specs[rounds.len()];
                        rounds.push(round(q, max * size.max, rate));
                    }
                }
                let nr = rounds.len();
                let projects: Vec<ProjectSpec> = projects
                    .into_iter()
                    .map(|(rs, off, high, mult)| {
                        let score = if all_equal || !high { "70" } else { "71" };
                        project(
                            rs.into_iter().map(|r| r % nr).collect(),
                            base * (1 + mult) + off,
                            score.into(),
                        )
                    })
                    .collect();
                // Each pool's budget: a share of what its entrants ask (rate ignored), ± a yuan.
                let mut pools = Vec::new();
                for (q, &(share, slack)) in budgets.iter().enumerate() {
                    let asks: Vec<u64> = projects
                        .iter()
                        .filter(|p| p.rounds.iter().any(|&r| rounds[r].pool == q))
                        .map(|p| p.equipment.parse().unwrap())
                        .collect();
                    pools.push((budget_of(&asks, share, slack), None));
                }
                Spec {
                    pools,
                    rounds,
                    criteria: one_criterion(),
                    projects,
                    ..Spec::default()
                }
            },
        )
        .boxed()
}

/// Several linked pools: two or three pools (one maybe pro-rata), one or two rounds each, every
/// project entering rounds of two or three different pools with different amounts per round
/// (rates differ), scores from a small set.
pub fn linked_pools(size: Size) -> BoxedStrategy<Spec> {
    (
        2usize..=3,
        prop::collection::vec(
            (
                1u32..=3,
                prop::sample::select(vec!["1", "0.5", "0.25", "0.8"]),
                prop::bool::weighted(0.3),
            ),
            6,
        ),
        prop::collection::vec(
            (prop::collection::vec(0usize..6, 2..=3), 1u64..30, 0u32..6),
            size.projects.clone(),
        ),
        prop::collection::vec(
            (
                30u64..80,
                prop::option::weighted(0.3, prop::sample::select(vec!["0.5", "0.8", "0.9"])),
            ),
            3,
        ),
    )
        .prop_map(move |(npools, rspecs, projects, budgets)| {
            let rounds: Vec<RoundSpec> = rspecs
                .iter()
                .enumerate()
                .map(|(r, &(max, rate, _))| round(r % npools, max * size.max, rate))
                .collect();
            let projects: Vec<ProjectSpec> = projects
                .into_iter()
                .map(|(rs, amount, score)| project(rs, amount, (60 + score).to_string()))
                .collect();
            let total: u64 = projects
                .iter()
                .map(|p| p.equipment.parse::<u64>().unwrap())
                .sum();
            let pools = budgets
                .iter()
                .take(npools)
                .map(|&(share, floor)| {
                    (
                        (total * share / 100 / npools as u64).max(1).to_string(),
                        floor.map(String::from),
                    )
                })
                .collect();
            Spec {
                pools,
                rounds,
                criteria: one_criterion(),
                projects,
                ..Spec::default()
            }
        })
        .boxed()
}

/// Round floors that bind: the linked pools above, with a floor on projects or on money on some
/// rounds (a floor on money up to most of the round's pool) and sometimes a lock, so that the
/// optimum must fund rounds it would rather leave empty, and some floors cannot all be met.
pub fn floors(size: Size) -> BoxedStrategy<Spec> {
    (
        linked_pools(size),
        prop::collection::vec(
            (
                0usize..6,
                prop::option::weighted(0.6, 1u32..=4),
                prop::option::weighted(0.5, 10u64..=90),
            ),
            1..=3,
        ),
        prop::option::weighted(0.3, (0usize..12, 0usize..2)),
    )
        .prop_map(|(mut spec, floors, lock)| {
            let n = spec.projects.len();
            spec.add_floors(floors);
            if let Some((p, k)) = lock {
                spec.must_fund.push((p % n, k));
            }
            spec
        })
        .boxed()
}

/// Massive ties (see [`ties`]) with floors on some rounds: a money floor up to most of the
/// round's pool, or a floor on projects, so that the tie-break's second level (the least subsidy)
/// is decided among portfolios the floors shape. Rounds with weighted rows of negative
/// coefficients are where the enumeration's bound is least like a knapsack's.
pub fn tied_floors(size: Size) -> BoxedStrategy<Spec> {
    (
        ties(false, size),
        prop::collection::vec(
            (
                0usize..12,
                prop::option::weighted(0.4, 1u32..=3),
                prop::option::weighted(0.7, 10u64..=80),
            ),
            1..=3,
        ),
    )
        .prop_map(|(mut spec, floors)| {
            spec.add_floors(floors);
            spec
        })
        .boxed()
}

/// Tight group limits on several attributes at once (industry, enterprise, jurisdiction and the
/// extra attribute `zone`), max 1 or 2, with an enterprise limit; budgets loose, so the limits
/// decide.
pub fn group_limits(size: Size) -> BoxedStrategy<Spec> {
    let attrs = prop::sample::subsequence(
        vec!["industry", "enterprise", "jurisdiction", "zone"],
        1..=4,
    );
    (
        prop::collection::vec((attrs, prop::collection::vec(1u32..=2, 4), 2u32..=5), 1..=3),
        prop::collection::vec(
            (
                attributes(),
                prop::collection::vec(0usize..3, 1..=2),
                1u64..20,
                0u32..5,
            ),
            size.projects.clone(),
        ),
        prop::option::weighted(0.5, 1u32..=2),
        80u64..300,
    )
        .prop_map(move |(rspecs, projects, enterprise_limit, share)| {
            let rounds: Vec<RoundSpec> = rspecs
                .into_iter()
                .map(|(attrs, maxes, max)| {
                    let mut r = round(0, max * size.max, "1");
                    r.groups = attrs
                        .into_iter()
                        .zip(maxes.into_iter().map(|m| m * size.max))
                        .collect();
                    r
                })
                .collect();
            let projects: Vec<ProjectSpec> = projects
                .into_iter()
                .map(|(a, rs, amount, score)| {
                    let mut a = a;
                    if size.max > 1 {
                        // Many projects: spread them over more attribute values.
                        a.0 = a.0 * 5 + (amount % 5) as u8;
                        a.1 = a.1 * 7 + (score as u8 % 7) * 3 + (amount % 3) as u8;
                    }
                    with_attributes(project(rs, amount, (70 + score).to_string()), a)
                })
                .collect();
            let amounts: Vec<u64> = projects
                .iter()
                .map(|p| p.equipment.parse().unwrap())
                .collect();
            Spec {
                pools: vec![(budget_of(&amounts, share, 0), None)],
                rounds,
                criteria: one_criterion(),
                projects,
                enterprise_limit,
                ..Spec::default()
            }
        })
        .boxed()
}

/// Long requires-chains (A_k requires A_{k+1} …, sometimes closed into a cycle) and excludes
/// chains, mixed; scores set so that the chain's end is cheap and good or expensive and poor.
/// Specs the reader refuses as contradictory are discarded by the test.
pub fn chains() -> BoxedStrategy<Spec> {
    (
        prop::collection::vec((1u32..=4, prop::sample::select(vec!["1", "0.5"])), 1..=3),
        prop::collection::vec(
            (prop::collection::vec(0usize..3, 1..=2), 1u64..20, 0u32..10),
            6..=12,
        ),
        0usize..12,
        2usize..=8,
        prop::bool::weighted(0.3),
        prop::collection::vec((any::<bool>(), 0usize..12, 0usize..12), 0..=4),
        prop::bool::ANY,
        40u64..100,
    )
        .prop_map(
            |(rspecs, projects, start, len, cycle, extra, excl_chain, share)| {
                let rounds: Vec<RoundSpec> = rspecs
                    .into_iter()
                    .map(|(max, rate)| round(0, max, rate))
                    .collect();
                let n = projects.len();
                let projects: Vec<ProjectSpec> = projects
                    .into_iter()
                    .map(|(rs, amount, score)| project(rs, amount, (50 + score).to_string()))
                    .collect();
                let mut deps = Vec::new();
                let len = len.min(n - 1);
                for k in 0..len {
                    deps.push((true, (start + k) % n, (start + k + 1) % n));
                }
                if cycle && len >= 2 {
                    deps.push((true, (start + len) % n, start % n));
                }
                if excl_chain {
                    // An excludes chain over the projects not on the requires chain.
                    let first = (start + len + 1) % n;
                    for k in 0..(n - len - 1).min(4) {
                        let (a, b) = ((first + k) % n, (first + k + 1) % n);
                        if a != start % n {
                            deps.push((false, a, b));
                        }
                    }
                }
                deps.extend(extra);
                let amounts: Vec<u64> = projects
                    .iter()
                    .map(|p| p.equipment.parse().unwrap())
                    .collect();
                Spec {
                    pools: vec![(budget_of(&amounts, share, 0), None)],
                    rounds,
                    criteria: one_criterion(),
                    projects,
                    dependencies: deps,
                    ..Spec::default()
                }
            },
        )
        .boxed()
}

/// Locks that nearly exhaust a pool (the budget is the locked amounts plus a few yuan, or exactly
/// them), locks that bind (a locked low scorer displacing better ones, a lock that requires
/// another project, two locks in one small round, which may be infeasible), on one or two pools.
pub fn locks() -> BoxedStrategy<Spec> {
    (
        prop::collection::vec((0usize..2, 1u32..=3), 1..=3),
        prop::collection::vec(
            (prop::collection::vec(0usize..3, 1..=2), 1u64..30, 0u32..10),
            5..=12,
        ),
        prop::collection::vec((0usize..12, 0usize..2), 1..=3),
        0i64..4,
        prop::option::weighted(0.3, (any::<bool>(), 0usize..12, 0usize..12)),
        prop::option::weighted(0.2, 0usize..12),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(rspecs, projects, locks, slack, dep, exclude, pro_rata)| {
            let rounds: Vec<RoundSpec> = rspecs
                .into_iter()
                .map(|(pool, max)| round(pool, max, "1"))
                .collect();
            let nr = rounds.len();
            let n = projects.len();
            let projects: Vec<ProjectSpec> = projects
                .into_iter()
                .map(|(rs, amount, score)| {
                    project(
                        rs.into_iter().map(|r| r % nr).collect(),
                        amount,
                        (60 + score).to_string(),
                    )
                })
                .collect();
            let mut spec = Spec {
                pools: vec![],
                rounds,
                criteria: one_criterion(),
                projects,
                must_fund: locks,
                dependencies: dep.into_iter().collect(),
                exclude: exclude.into_iter().collect(),
                ..Spec::default()
            };
            // Each pool: what its locks ask (a project locked twice counts once), plus slack.
            let mut locked = [0u64; 2];
            let mut seen = Vec::new();
            for &(p, k) in &spec.must_fund {
                let p = p % n;
                let rs = spec.rounds_of(p);
                let r = rs[k % rs.len()];
                if !seen.contains(&(p, r)) {
                    seen.push((p, r));
                    locked[spec.rounds[r].pool] +=
                        spec.projects[p].equipment.parse::<u64>().unwrap();
                }
            }
            spec.pools = locked
                .iter()
                .map(|&l| {
                    (
                        (l as i64 + slack).max(1).to_string(),
                        pro_rata.then(|| "0.9".to_string()),
                    )
                })
                .collect();
            spec
        })
        .boxed()
}

/// One project costing most of a pool (70–100 % of the budget), with a score between "worth it"
/// and "not", against many small ones; sometimes entered in two rounds of the pool.
pub fn one_big() -> BoxedStrategy<Spec> {
    (
        1000u64..100_000,
        70u64..=100,
        0u32..60,
        prop::collection::vec(
            (prop::collection::vec(0usize..2, 1..=2), 1u64..30, 0u32..20),
            4..=11,
        ),
        1u32..=6,
        prop::bool::ANY,
    )
        .prop_map(|(budget, pct, big_score, small, max, both)| {
            let rounds = vec![round(0, max, "1"), round(0, max.min(3), "1")];
            let big = budget * pct / 100;
            let small_total: u64 = small.iter().map(|s| s.1).sum();
            let scale = (budget / small_total.max(1) / 2).max(1);
            let mut projects = vec![project(
                if both { vec![0, 1] } else { vec![0] },
                big,
                (40 + big_score).to_string(),
            )];
            projects.extend(
                small
                    .into_iter()
                    .map(|(rs, a, s)| project(rs, a * scale, (30 + s).to_string())),
            );
            Spec {
                pools: vec![(budget.to_string(), None)],
                rounds,
                criteria: one_criterion(),
                projects,
                ..Spec::default()
            }
        })
        .boxed()
}

/// Ten rounds on one pool, of sizes 0–2, rates differing, projects entering one to four of them.
pub fn ten_rounds(size: Size) -> BoxedStrategy<Spec> {
    (
        prop::collection::vec(
            (
                0u32..=2,
                prop::sample::select(vec!["1", "0.5", "0.2", "0.9"]),
            ),
            10,
        ),
        prop::collection::vec(
            (prop::collection::vec(0usize..10, 1..=4), 1u64..40, 0u32..4),
            size.projects.clone(),
        ),
        30u64..100,
    )
        .prop_map(move |(rspecs, projects, share)| {
            let rounds = rspecs
                .into_iter()
                .map(|(max, rate)| round(0, max * size.max, rate))
                .collect();
            let projects: Vec<ProjectSpec> = projects
                .into_iter()
                .map(|(rs, a, s)| project(rs, a, (70 + s).to_string()))
                .collect();
            let amounts: Vec<u64> = projects
                .iter()
                .map(|p| p.equipment.parse().unwrap())
                .collect();
            Spec {
                pools: vec![(budget_of(&amounts, share, 0), None)],
                rounds,
                criteria: one_criterion(),
                projects,
                ..Spec::default()
            }
        })
        .boxed()
}

/// Budgets that never bind (3·10^11 yuan: the pools together stay within the reader's 10^12), or where exactly one project fits
/// (every amount above half the budget, at least one at most the budget).
pub fn budgets() -> BoxedStrategy<Spec> {
    (
        prop::bool::ANY,
        prop::collection::vec((1u32..=5, prop::sample::select(vec!["1", "0.5"])), 1..=3),
        prop::collection::vec(
            (prop::collection::vec(0usize..3, 1..=2), 0u64..1000, 0u32..5),
            3..=12,
        ),
        1000u64..1_000_000,
    )
        .prop_map(|(never, rspecs, projects, budget)| {
            let rounds = rspecs
                .into_iter()
                .map(|(max, rate)| round(0, max, rate))
                .collect();
            let projects: Vec<ProjectSpec> = projects
                .into_iter()
                .map(|(rs, a, s)| {
                    // Between budget/2 + 1 and budget (rate 1) or up to 2 budgets (rate 0.5).
                    let amount = budget / 2 + 1 + a * budget / 1000;
                    project(rs, amount, (70 + s).to_string())
                })
                .collect();
            let b = if never {
                "300000000000".to_string()
            } else {
                budget.to_string()
            };
            Spec {
                pools: vec![(b, None)],
                rounds,
                criteria: one_criterion(),
                projects,
                ..Spec::default()
            }
        })
        .boxed()
}

/// Extreme but valid numbers: zero scores, scores with many decimals, two criteria weighted 1
/// and 2 (scores in thirds, rounded to 4 places), negative bonus points, cost direction and
/// min_max/rank normalization, huge criterion values (up to 10^15), amounts near the reader's
/// 10^13 yuan limit, fen rounding, caps, uplifts (max and sum), fixed awards, a zero rate (every
/// entry ineligible), and min_score. `huge`: criterion values and bonus points up to ±10^15 (the
/// reader's limit) and amounts up to its 10^13 yuan; else values up to ±10^6 (scores of 10^8
/// and more already break the HiGHS path: tests/fixtures/adversarial/big-score-empty-pool.toml)
/// and amounts up to 10^12 yuan.
pub fn extremes(huge: bool) -> BoxedStrategy<Spec> {
    let big = if huge { 1_000_000_000_000u64 } else { 1_000 };
    let score = prop_oneof![
        Just("0".to_string()),
        Just("70".to_string()),
        (0u64..100, 0u64..1_000_000).prop_map(|(a, b)| format!("{a}.{b:06}")),
        (0u64..1000).prop_map(move |a| format!("{}", a * big)),
        Just(format!("{}", 1000 * big)),
        Just(format!("-{}", 1000 * big)),
        (0u64..3).prop_map(|a| format!("7{a}.00005")),
    ];
    let minus = if huge {
        "-1000000000000000"
    } else {
        "-1000000"
    };
    let (limit, below) = if huge {
        ("10000000000000", "9999999999999.99")
    } else {
        ("1000000000000", "999999999999.99")
    };
    let amount = prop_oneof![
        Just(limit.to_string()),
        Just(below.to_string()),
        (1u64..1_000).prop_map(move |a| format!(
            "{}",
            a * if huge { 10_000_000_000 } else { 1_000_000_000 }
        )),
        (1u64..1000).prop_map(|a| format!("{a}.37")),
        (1u64..1000).prop_map(|a| a.to_string()),
        Just("0".to_string()),
        Just("1".to_string()),
    ];
    let rule = prop_oneof![
        3 => (prop::sample::select(vec!["1", "0.5", "0.333", "0.0001", "0.1"]), prop::bool::ANY, prop::option::weighted(0.3, prop::sample::select(vec!["1", "100", "5000000000000", "0.5"])), prop::bool::ANY, prop::bool::ANY, prop::bool::weighted(0.4))
            .prop_map(|(rate, technology, cap, sum, fen, uplift)| Rule::Rate {
                rate: rate.into(),
                technology,
                cap: cap.map(String::from),
                uplifts: if uplift && rate != "1" { vec![("u1".into(), "0.0001".into()), ("u2".into(), "0.05".into())] } else { vec![] },
                sum,
                fen,
            }),
        1 => (prop::sample::select(vec!["1", "0.01", "1000000", limit]), prop::option::weighted(0.3, prop::sample::select(vec!["0.5", "1000"])))
            .prop_map(|(a, cap)| Rule::Fixed { amount: a.into(), cap: cap.map(String::from) }),
        1 => Just(Rule::rate("0")),
    ];
    let criteria = prop_oneof![
        Just(vec![("1".to_string(), false, "as_is")]),
        Just(vec![
            ("1".to_string(), false, "as_is"),
            ("2".to_string(), false, "as_is")
        ]),
        Just(vec![
            ("0.000001".to_string(), false, "min_max"),
            ("2".to_string(), true, "as_is")
        ]),
        Just(vec![
            ("1".to_string(), false, "rank"),
            ("0".to_string(), false, "as_is")
        ]),
        Just(vec![("3".to_string(), true, "min_max")]),
    ];
    (
        prop::collection::vec(
            (
                0usize..2,
                0u32..=3,
                rule,
                prop::option::weighted(
                    0.2,
                    prop::sample::select(vec!["0", "70", "-1", "70.00005"]),
                ),
            ),
            1..=3,
        ),
        criteria,
        prop::collection::vec(
            (
                prop::collection::vec(0usize..3, 1..=2),
                amount.clone(),
                amount,
                prop::collection::vec(score, 2),
                prop::sample::subsequence(vec!["u1", "u2", "minus"], 0..=3),
            ),
            2..=10,
        ),
        prop::collection::vec(
            prop::sample::select(vec![
                limit,
                "1",
                "0",
                "1000",
                "20000000000.5",
                "300000000000",
            ]),
            2,
        ),
        prop::option::weighted(0.3, prop::sample::select(vec!["-5", "0.00005", minus, "0"])),
        prop::option::weighted(0.2, prop::sample::select(vec!["0.0001", "0.5", "1"])),
    )
        .prop_map(|(rspecs, criteria, projects, budgets, bonus, floor)| {
            let rounds = rspecs
                .into_iter()
                .map(|(pool, max, rule, min_score)| RoundSpec {
                    pool,
                    max,
                    groups: vec![],
                    min_score: min_score.map(String::from),
                    rule,
                })
                .collect();
            let nc = criteria.len();
            let projects = projects
                .into_iter()
                .map(|(rs, e, t, scores, flags)| ProjectSpec {
                    industry: 0,
                    enterprise: 0,
                    jurisdiction: 0,
                    zone: 0,
                    rounds: rs,
                    equipment: e,
                    technology: t,
                    flags,
                    scores: scores.into_iter().take(nc).collect(),
                })
                .collect();
            Spec {
                pools: budgets
                    .into_iter()
                    .enumerate()
                    .map(|(i, b)| {
                        (
                            b.to_string(),
                            if i == 0 {
                                floor.map(String::from)
                            } else {
                                None
                            },
                        )
                    })
                    .collect(),
                rounds,
                criteria,
                bonus: bonus
                    .map(|p| vec![("minus", p.to_string())])
                    .unwrap_or_default(),
                projects,
                ..Spec::default()
            }
        })
        .boxed()
}
