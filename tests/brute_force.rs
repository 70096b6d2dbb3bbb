//! Property tests: on random small rounds the optimizer's portfolio equals brute-force enumeration
//! under the full tie-break, satisfies every constraint exactly, is never below rank-and-cut, does
//! not depend on the dominance reduction, and is the same on repeated runs.

use allot::rules::{evaluate, Evaluation};
use allot::scenario::{from_toml_str, Scenario};
use allot::solve::{capacity, rank_and_cut, solve, verify, Options, Portfolio};
use allot::Error;
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::cmp::Ordering;
use std::fmt::Write;

/// (pool, max projects, group limit, rate, qualifying score)
type RoundSpec = (usize, u32, Option<u32>, &'static str, Option<u32>);
/// (industry, enterprise, rounds, amount, score)
type ProjectSpec = (u8, u8, Vec<usize>, u32, u32);

#[derive(Debug, Clone)]
struct Instance {
    pools: Vec<(u32, bool)>,
    rounds: Vec<RoundSpec>,
    projects: Vec<ProjectSpec>,
    enterprise_limit: Option<u32>,
    lock: Option<(usize, usize)>,
    exclude: Option<usize>,
    dependency: Option<(bool, usize, usize)>,
}

fn instance() -> impl Strategy<Value = Instance> {
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
    (
        pools,
        rounds,
        projects,
        prop::option::weighted(0.2, 1u32..3),
        prop::option::weighted(0.2, (0usize..12, 0usize..3)),
        prop::option::weighted(0.15, 0usize..12),
        prop::option::weighted(0.2, (any::<bool>(), 0usize..12, 0usize..12)),
    )
        .prop_map(
            |(pools, rounds, projects, enterprise_limit, lock, exclude, dependency)| Instance {
                pools,
                rounds,
                projects,
                enterprise_limit,
                lock,
                exclude,
                dependency,
            },
        )
}

/// The instance as a scenario file: scores are small integers (plus a half point for some) so that
/// ties — the tie-break's whole point — are frequent.
fn to_toml(inst: &Instance) -> String {
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

/// The tie-break order: higher score, then smaller rule amounts, then the portfolio that funds the
/// earliest candidate in which the two differ.
fn better(a: &Portfolio, b: &Portfolio) -> Ordering {
    b.total_score
        .cmp(&a.total_score)
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
/// Branches that already overfill a round or a pool are cut (both only grow as projects are added);
/// every complete assignment is checked with `verify`, which knows nothing of the solver.
fn brute_force(scenario: &Scenario, evaluation: &Evaluation) -> Option<Portfolio> {
    struct Walk<'a> {
        scenario: &'a Scenario,
        evaluation: &'a Evaluation,
        options: Vec<Vec<usize>>,
        chosen: Vec<usize>,
        round_count: Vec<u32>,
        committed: Vec<Decimal>,
        best: Option<Portfolio>,
    }
    impl Walk<'_> {
        fn walk(&mut self, p: usize) {
            if p == self.options.len() {
                let portfolio = Portfolio::new(self.scenario, self.evaluation, self.chosen.clone());
                if verify(self.scenario, self.evaluation, &portfolio).is_ok()
                    && self
                        .best
                        .as_ref()
                        .is_none_or(|b| better(&portfolio, b) == Ordering::Less)
                {
                    self.best = Some(portfolio);
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
        best: None,
    };
    walk.walk(0);
    walk.best
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn optimum_equals_brute_force(inst in instance()) {
        let text = to_toml(&inst);
        let scenario = from_toml_str(&text, "prop.toml").expect("generated scenario is valid");
        let evaluation = evaluate(&scenario);
        let expected = brute_force(&scenario, &evaluation);
        match (solve(&scenario, &evaluation, &Options::default()), expected) {
            (Ok(outcome), Some(best)) => {
                prop_assert_eq!(&outcome.portfolio.funded, &best.funded, "\n{}", text);
                prop_assert!(verify(&scenario, &evaluation, &outcome.portfolio).is_ok());
                let baseline = rank_and_cut(&scenario, &evaluation);
                if verify(&scenario, &evaluation, &baseline).is_ok() {
                    prop_assert!(outcome.portfolio.total_score >= baseline.total_score);
                }
                // Without the dominance reduction, and on a second run: the same portfolio.
                let plain = solve(&scenario, &evaluation, &Options { reduce: false, ..Options::default() }).unwrap();
                prop_assert_eq!(&plain.portfolio.funded, &best.funded);
                let again = solve(&scenario, &evaluation, &Options::default()).unwrap();
                prop_assert_eq!(&again.portfolio, &outcome.portfolio);
                // Without the perturbed proof: plain stage 1 and a no-good uniqueness check.
                let plain = solve(&scenario, &evaluation, &Options { perturb: false, ..Options::default() }).unwrap();
                prop_assert_eq!(&plain.portfolio.funded, &best.funded);
            }
            (Err(Error::Infeasible(_)), None) => {}
            (got, want) => prop_assert!(false, "solver {:?} vs brute force {:?}\n{}", got.map(|o| o.portfolio.funded), want.map(|p| p.funded), text),
        }
    }
}

/// A generated Quzhou-shaped round, read back through the scenario reader.
fn generated(n: usize, seed: u64, scale: bool) -> (Scenario, Evaluation) {
    let dir = tempfile::tempdir().unwrap();
    allot::generate::write(dir.path(), n, seed, scale).unwrap();
    let scenario = allot::scenario::load(dir.path()).unwrap();
    let evaluation = evaluate(&scenario);
    (scenario, evaluation)
}

/// The perturbed-objective proof against the plain one (stage 1, then a no-good uniqueness check)
/// on generated Quzhou-shaped rounds, at sizes where brute force is out of reach.
#[test]
fn perturbed_proof_agrees_with_the_plain_proof_on_generated_rounds() {
    for (n, seed, scale) in [
        (150, 11, false),
        (150, 12, false),
        (150, 13, false),
        (300, 14, true),
        (1000, 15, false),
    ] {
        let (scenario, evaluation) = generated(n, seed, scale);
        let fast = solve(&scenario, &evaluation, &Options::default()).unwrap();
        let plain = solve(
            &scenario,
            &evaluation,
            &Options {
                perturb: false,
                ..Options::default()
            },
        )
        .unwrap();
        assert_eq!(fast.portfolio, plain.portfolio, "n = {n}, seed = {seed}");
    }
}

/// Larger rounds where the dominance reduction removes candidates: the result must not change.
#[test]
fn reduction_keeps_the_optimum_on_generated_rounds() {
    for (n, seed) in [(300, 1), (600, 2)] {
        let (scenario, evaluation) = generated(n, seed, false);
        let reduced = solve(&scenario, &evaluation, &Options::default()).unwrap();
        let plain = solve(
            &scenario,
            &evaluation,
            &Options {
                reduce: false,
                ..Options::default()
            },
        )
        .unwrap();
        assert!(
            reduced.stats.columns < plain.stats.columns,
            "the reduction removed nothing at n = {n}"
        );
        assert_eq!(reduced.portfolio, plain.portfolio, "n = {n}");
    }
}

/// A two-round scenario in which `applications` are inline TOML entries.
fn tie_scenario(applications: &str) -> (Scenario, Evaluation) {
    let text = format!(
        r#"
[[pools]]
id = "key"
budget = "100"
[[pools]]
id = "upgrade"
budget = "100"
[[rounds]]
id = "major"
pool = "key"
max_projects = 1
[rounds.subsidy]
rate = "1"
investment = ["equipment"]
[[rounds]]
id = "upgrade"
pool = "upgrade"
max_projects = 1
[rounds.subsidy]
rate = "1"
investment = ["equipment"]
[scoring]
criteria = [{{ id = "q", weight = "1" }}]
[applications]
{applications}"#
    );
    let scenario = from_toml_str(&text, "ties.toml").unwrap();
    let evaluation = evaluate(&scenario);
    (scenario, evaluation)
}

fn funded_names(
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

#[test]
fn tie_break_prefers_the_earlier_round_for_a_project_entered_in_both() {
    // A and B both applied to both rounds with equal scores and subsidies, one place per round:
    // {A@major, B@upgrade} and {A@upgrade, B@major} tie on score and money. The tie-break funds
    // the earliest (project, round) in which they differ, A@major — whichever HiGHS meets first.
    let (s, e) = tie_scenario(
        r#"
[[applications.projects]]
id = "A"
rounds = ["major", "upgrade"]
equipment = "10"
scores = { q = 50 }
[[applications.projects]]
id = "B"
rounds = ["major", "upgrade"]
equipment = "10"
scores = { q = 50 }
"#,
    );
    for _ in 0..3 {
        let outcome = solve(&s, &e, &Options::default()).unwrap();
        assert_eq!(
            funded_names(&s, &e, &outcome.portfolio),
            ["A@major", "B@upgrade"]
        );
        assert!(
            outcome.stats.solver_calls >= 2,
            "the tie stages must have run"
        );
    }
}

#[test]
fn tie_break_takes_the_smaller_subsidy_then_the_earlier_project() {
    // Equal scores: the cheaper project wins; at equal cost, the earlier id.
    let (s, e) = tie_scenario(
        r#"
[[applications.projects]]
id = "A"
rounds = ["major"]
equipment = "30"
scores = { q = 50 }
[[applications.projects]]
id = "B"
rounds = ["major"]
equipment = "20"
scores = { q = 50 }
[[applications.projects]]
id = "C"
rounds = ["upgrade"]
equipment = "20"
scores = { q = 50 }
[[applications.projects]]
id = "D"
rounds = ["upgrade"]
equipment = "20"
scores = { q = 50 }
"#,
    );
    let outcome = solve(&s, &e, &Options::default()).unwrap();
    assert_eq!(
        funded_names(&s, &e, &outcome.portfolio),
        ["B@major", "C@upgrade"]
    );
    assert!(
        outcome.stats.solver_calls >= 2,
        "the tie stages must have run"
    );
}
