//! Shared builders for the property tests: small random instances written as scenario files, and a
//! brute-force solver (every assignment, checked exactly) as the oracle.

use allot::rules::Evaluation;
use allot::scenario::{Objective, Scenario};
use allot::solve::{capacity, verify, Options, Portfolio};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::cmp::Ordering;
use std::fmt::Write;

/// (pool, max projects, group limit, rate, qualifying score)
pub type RoundSpec = (usize, u32, Option<u32>, &'static str, Option<u32>);
/// A round's floors: (min_projects, min_amount), each optional.
pub type FloorSpec = (Option<u32>, Option<u32>);
/// (industry, enterprise, rounds, amount, score)
pub type ProjectSpec = (u8, u8, Vec<usize>, u32, u32);

/// The paths of the proof, by name, the default first: fixing and the enumeration; HiGHS's
/// plain stages (`fix: false`); its perturbed proof; no dominance reduction; HiGHS over the fixed
/// program, with stage 2 beside stage 1 or after it; the enumeration given up at once and walked
/// again at a portfolio's floor, in a solve and in a re-solve.
pub fn paths() -> Vec<(&'static str, Options)> {
    vec![
        ("default", Options::default()),
        (
            "fix: false",
            Options {
                fix: false,
                ..Options::default()
            },
        ),
        (
            "fix: false, perturb: true",
            Options {
                fix: false,
                perturb: true,
                ..Options::default()
            },
        ),
        (
            "reduce: false",
            Options {
                reduce: false,
                ..Options::default()
            },
        ),
        // HiGHS over the fixed program, as the re-solves of a round HiGHS proved are asked.
        (
            "enumerate: false",
            Options {
                enumerate: false,
                ..Options::default()
            },
        ),
        // Stage 2 asked only after stage 1 (by default it starts beside it, at the incumbent's
        // score, and is asked again when that is not the best).
        (
            "enumerate: false, stage_two_early: false",
            Options {
                enumerate: false,
                stage_two_early: false,
                ..Options::default()
            },
        ),
        // The first walks give up past 4 states a step; the walk at the floor of the portfolio
        // found before HiGHS, or of stage 1's, then settles the tie-break (`Rewalk`).
        (
            "first_walk_states: 4",
            Options {
                first_walk_states: Some(4),
                ..Options::default()
            },
        ),
        // The same, as a re-solve is asked (a remembered portfolio, here an empty one, to start
        // from): the trial at its floor, and the walks tried again higher after one gives up.
        (
            "first_walk_states: 4, hinted",
            Options {
                first_walk_states: Some(4),
                hints: vec![Vec::new()],
                ..Options::default()
            },
        ),
    ]
}

#[derive(Debug, Clone)]
pub struct Instance {
    pub pools: Vec<(u32, bool)>,
    pub rounds: Vec<RoundSpec>,
    /// Per round (cycled when shorter): its floors.
    pub floors: Vec<FloorSpec>,
    pub projects: Vec<ProjectSpec>,
    pub enterprise_limit: Option<u32>,
    pub lock: Option<(usize, usize)>,
    pub exclude: Option<usize>,
    pub dependency: Option<(bool, usize, usize)>,
    /// Round priority: the rounds in order (taken modulo the rounds, repeats dropped).
    pub priority: Option<Vec<usize>>,
}

pub fn instance() -> impl Strategy<Value = Instance> {
    let pools = prop::collection::vec((5u32..40, prop::bool::weighted(0.2)), 1..=2);
    let rounds = prop::collection::vec(
        (
            0usize..2,
            1u32..4,
            prop::option::weighted(0.4, 1u32..3),
            prop::sample::select(vec!["1", "0.5", "0.8"]),
            prop::option::weighted(0.2, 1u32..6),
        ),
        1..=3,
    );
    let floors = prop::collection::vec(
        (
            prop::option::weighted(0.2, 1u32..3),
            prop::option::weighted(0.1, 1u32..20),
        ),
        1..=3,
    );
    let projects = prop::collection::vec(
        (
            0u8..3,
            0u8..4,
            prop::collection::vec(0usize..3, 1..=2),
            1u32..15,
            0u32..10,
        ),
        1..=12,
    );
    let priority = prop::option::weighted(0.25, prop::collection::vec(0usize..3, 1..=3));
    (
        (pools, floors, priority),
        rounds,
        projects,
        prop::option::weighted(0.2, 1u32..3),
        prop::option::weighted(0.2, (0usize..12, 0usize..3)),
        prop::option::weighted(0.15, 0usize..12),
        prop::option::weighted(0.2, (any::<bool>(), 0usize..12, 0usize..12)),
    )
        .prop_map(
            |(
                (pools, floors, priority),
                rounds,
                projects,
                enterprise_limit,
                lock,
                exclude,
                dependency,
            )| {
                Instance {
                    pools,
                    rounds,
                    floors,
                    priority,
                    projects,
                    enterprise_limit,
                    lock,
                    exclude,
                    dependency,
                }
            },
        )
}

/// The instance as a scenario file: scores are small integers (plus a half point for some) so that
/// ties — the tie-break's whole point — are frequent.
pub fn to_toml(inst: &Instance) -> String {
    let mut t = String::from("[scenario]\nname = \"prop\"\n");
    for (i, (budget, pro_rata)) in inst.pools.iter().enumerate() {
        let _ = writeln!(t, "[[pools]]\nid = \"q{i}\"\nbudget = \"{budget}\"");
        if *pro_rata {
            let _ = writeln!(t, "pro_rata_floor = \"0.5\"");
        }
    }
    let nrounds = inst.rounds.len();
    for (r, (pool, max, group, rate, min_score)) in inst.rounds.iter().enumerate() {
        let pool = pool % inst.pools.len();
        let _ = writeln!(
            t,
            "[[rounds]]\nid = \"r{r}\"\npool = \"q{pool}\"\nmax_projects = {max}"
        );
        let (min_projects, min_amount) = inst.floors[r % inst.floors.len()];
        if let Some(k) = min_projects {
            let _ = writeln!(t, "min_projects = {}", k.min(*max));
        }
        if let Some(m) = min_amount {
            let _ = writeln!(t, "min_amount = \"{m}\"");
        }
        if let Some(g) = group {
            let _ = writeln!(
                t,
                "group_limits = [{{ attribute = \"industry\", max = {g} }}]"
            );
        }
        if let Some(m) = min_score {
            let _ = writeln!(t, "[rounds.eligibility]\nmin_score = \"{m}\"");
        }
        let _ = writeln!(
            t,
            "[rounds.subsidy]\nrate = \"{rate}\"\ninvestment = [\"equipment\"]"
        );
    }
    t.push_str("[scoring]\ncriteria = [{ id = \"q\", weight = \"1\" }]\n[committee]\n");
    let n = inst.projects.len();
    if let Some(k) = inst.enterprise_limit {
        let _ = writeln!(t, "enterprise_limit = {k}");
    }
    if let Some((p, r)) = inst.lock {
        let p = p % n;
        let rounds = &inst.projects[p].2;
        let r = rounds[r % rounds.len()] % nrounds;
        let _ = writeln!(
            t,
            "must_fund = [{{ project = \"A{p:02}\", round = \"r{r}\" }}]"
        );
    }
    if let Some(p) = inst.exclude {
        let _ = writeln!(t, "exclude = [\"A{:02}\"]", p % n);
    }
    if let Some((requires, a, b)) = inst.dependency {
        let (a, b) = (a % n, b % n);
        if a != b {
            let kind = if requires { "requires" } else { "excludes" };
            let _ = writeln!(t, "dependencies = [{{ kind = \"{kind}\", project = \"A{a:02}\", other = \"A{b:02}\" }}]");
        }
    }
    if let Some(order) = &inst.priority {
        let mut ids: Vec<String> = Vec::new();
        for r in order {
            let id = format!("\"r{}\"", r % nrounds);
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        let _ = writeln!(
            t,
            "[objective]\nkind = \"round_priority\"\norder = [{}]",
            ids.join(", ")
        );
    }
    t.push_str("[applications]\n");
    for (p, (industry, enterprise, rounds, amount, score)) in inst.projects.iter().enumerate() {
        let rounds: Vec<String> = rounds
            .iter()
            .map(|r| format!("\"r{}\"", r % nrounds))
            .collect();
        let half = if p % 3 == 0 { ".5" } else { "" };
        let _ = writeln!(
            t,
            "[[applications.projects]]\nid = \"A{p:02}\"\nindustry = \"i{industry}\"\nenterprise = \"e{enterprise}\"\nrounds = [{}]\nequipment = \"{amount}\"\nscores = {{ q = \"{score}{half}\" }}",
            rounds.join(", ")
        );
    }
    t
}

/// The objective's value of a portfolio, to be maximized lexicographically: each listed round's
/// score under round priority, then the total score.
pub fn objective(scenario: &Scenario, evaluation: &Evaluation, p: &Portfolio) -> Vec<Decimal> {
    let mut key = Vec::new();
    if let Objective::RoundPriority(order) = &scenario.objective {
        for &r in order {
            key.push(
                p.funded
                    .iter()
                    .filter(|&&c| evaluation.candidates[c].round == r)
                    .map(|&c| evaluation.candidates[c].score)
                    .sum(),
            );
        }
    }
    key.push(p.total_score);
    key
}

/// The order of the objective and the tie-break: the objective's values `ka` and `kb` (see
/// [`objective`]), then higher score, then smaller rule amounts, then the portfolio that funds the
/// earliest candidate in which the two differ.
pub fn better_by(ka: Vec<Decimal>, kb: Vec<Decimal>, a: &Portfolio, b: &Portfolio) -> Ordering {
    kb.cmp(&ka)
        .then(b.total_score.cmp(&a.total_score))
        .then(a.total_requested().cmp(&b.total_requested()))
        .then_with(|| {
            let first = a
                .funded
                .iter()
                .filter(|c| !b.funded.contains(c))
                .chain(b.funded.iter().filter(|c| !a.funded.contains(c)))
                .min();
            match first {
                None => Ordering::Equal,
                Some(c) if a.funded.contains(c) => Ordering::Less,
                Some(_) => Ordering::Greater,
            }
        })
}

/// Every assignment of at most one eligible round per project, checked exactly; the best one.
pub fn brute_force(scenario: &Scenario, evaluation: &Evaluation) -> Option<Portfolio> {
    let key = |p: &Portfolio| objective(scenario, evaluation, p);
    let mut best: Option<Portfolio> = None;
    each_portfolio(scenario, evaluation, |portfolio| {
        if best
            .as_ref()
            .is_none_or(|b| better_by(key(&portfolio), key(b), &portfolio, b) == Ordering::Less)
        {
            best = Some(portfolio);
        }
    });
    best
}

/// Visits every portfolio that meets the round: every assignment of at most one eligible round
/// per project, checked exactly. Branches that already overfill a round or a pool are cut (both
/// only grow as projects are added); every complete assignment is checked with `verify`, which
/// knows nothing of the solver.
pub fn each_portfolio(
    scenario: &Scenario,
    evaluation: &Evaluation,
    mut visit: impl FnMut(Portfolio),
) {
    struct Walk<'a, V> {
        scenario: &'a Scenario,
        evaluation: &'a Evaluation,
        options: Vec<Vec<usize>>,
        chosen: Vec<usize>,
        round_count: Vec<u32>,
        committed: Vec<Decimal>,
        visit: V,
    }
    impl<V: FnMut(Portfolio)> Walk<'_, V> {
        fn walk(&mut self, p: usize) {
            if p == self.options.len() {
                let portfolio = Portfolio::new(self.scenario, self.evaluation, self.chosen.clone());
                if verify(self.scenario, self.evaluation, &portfolio).is_ok() {
                    (self.visit)(portfolio);
                }
                return;
            }
            self.walk(p + 1);
            for k in 0..self.options[p].len() {
                let c = self.options[p][k];
                let cand = &self.evaluation.candidates[c];
                let round = &self.scenario.rounds[cand.round];
                if self.round_count[cand.round] >= round.max_projects
                    || self.committed[round.pool] + cand.subsidy.yuan()
                        > capacity(self.scenario, round.pool)
                {
                    continue;
                }
                self.round_count[cand.round] += 1;
                self.committed[round.pool] += cand.subsidy.yuan();
                self.chosen.push(c);
                self.walk(p + 1);
                self.chosen.pop();
                self.committed[round.pool] -= cand.subsidy.yuan();
                self.round_count[cand.round] -= 1;
            }
        }
    }
    let mut options = vec![Vec::new(); scenario.applications.len()];
    for (c, cand) in evaluation.candidates.iter().enumerate() {
        options[cand.project].push(c);
    }
    let mut walk = Walk {
        scenario,
        evaluation,
        options,
        chosen: Vec::new(),
        round_count: vec![0; scenario.rounds.len()],
        committed: vec![Decimal::ZERO; scenario.pools.len()],
        visit: &mut visit,
    };
    walk.walk(0);
}

/// The funded pairs of a portfolio as `project@round`.
pub fn funded_names(
    scenario: &Scenario,
    evaluation: &Evaluation,
    portfolio: &Portfolio,
) -> Vec<String> {
    portfolio
        .funded
        .iter()
        .map(|&c| {
            let cand = &evaluation.candidates[c];
            format!(
                "{}@{}",
                scenario.applications[cand.project].id, scenario.rounds[cand.round].id
            )
        })
        .collect()
}
