//! `allot explain` and `allot reserve`: margins and reserve lists checked against brute force on
//! small random rounds, and the binary's output on the bundled scenario (golden files in English
//! and Chinese; rewrite them with
//! `ALLOT_BLESS=1 cargo test --release --test integration -- explain::`).

use crate::util::oracle::{brute_force, instance, to_toml, Instance};
use crate::util::{golden, Outcome, Run, MANIFEST_DIR};
use allot::explain::reserve::reserves_with;
use allot::explain::whatif::{
    pairs, solve_decided, with_decisions, with_score_shift, with_subsidy, Pair,
};
use allot::explain::{Explainer, Never};
use allot::rules::{evaluate, Evaluation};
use allot::scenario::{from_toml_str, Money, Scenario};
use allot::solve::{capacity, Options, Skeleton};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::BTreeSet;

/// The brute-force optimum's pairs; `None` when no portfolio meets the committee's decisions.
fn brute(scenario: &Scenario, evaluation: &Evaluation) -> Option<BTreeSet<Pair>> {
    brute_force(scenario, evaluation).map(|b| pairs(evaluation, &b))
}

fn has_project(funded: &Option<BTreeSet<Pair>>, project: usize) -> Option<bool> {
    funded
        .as_ref()
        .map(|f| f.iter().any(|&(p, _)| p == project))
}

/// The scenario file with project `p`'s (only) criterion value moved by `shift` units of 1e-4:
/// an independent way to move its score, through the reader and the rules. `None` when the value
/// would fall below zero.
fn toml_with_score(text: &str, p: usize, shift: i64) -> Option<String> {
    let at = text.find(&format!("id = \"A{p:02}\""))?;
    let key = "scores = { q = \"";
    let start = at + text[at..].find(key)? + key.len();
    let end = start + text[start..].find('"')?;
    let value: Decimal = text[start..end].parse().ok()?;
    let moved = value + Decimal::new(shift, 4);
    (moved >= Decimal::ZERO).then(|| format!("{}{}{}", &text[..start], moved, &text[end..]))
}

fn small() -> impl Strategy<Value = (Instance, usize)> {
    (instance(), 0usize..8).prop_map(|(mut inst, pick)| {
        inst.projects.truncate(7);
        (inst, pick)
    })
}

/// A shift that decides every comparison in these small rounds (scores are below 11 points and
/// there are at most 7 projects).
const BIG: i64 = 10_000_000;

proptest! {
    #![proptest_config(ProptestConfig { cases: 60, ..ProptestConfig::default() })]

    /// Raising the score by the reported margin funds the project and one unit less does not
    /// (lowering, for a funded project: the margin unfunds it, one unit less keeps it); the same
    /// for every subsidy margin, at the reported amount and one money step beyond; every "never"
    /// holds at an extreme change. All against brute force.
    #[test]
    fn margins_are_exact_thresholds(case in small()) {
        let (inst, pick) = case;
        let text = to_toml(&inst);
        let s = from_toml_str(&text, "prop.toml").expect("generated scenario is valid");
        let e = evaluate(&s);
        let Ok(explainer) = Explainer::new(&s, &e, Options::default()) else {
            prop_assume!(false);
            unreachable!()
        };
        let p = pick % s.applications.len();
        // As `allot explain` asks it (the prices first, whose solves the score margin then
        // reads), and as the report asks it of a fresh explainer: the same margins.
        let x = explainer.explain_with_prices(p).unwrap();
        let fresh = Explainer::new(&s, &e, Options::default()).unwrap().explain(p).unwrap();
        prop_assert_eq!(&x.score_margin, &fresh.score_margin, "\n{}", text);
        let subsidy = |x: &allot::explain::Explanation| -> Vec<_> {
            x.rounds.iter().map(|r| r.subsidy_margin.clone()).collect()
        };
        prop_assert_eq!(subsidy(&x), subsidy(&fresh), "\n{}", text);
        let funded = x.funded.is_some();
        prop_assert_eq!(has_project(&brute(&s, &e), p), Some(funded));
        let at = |shift: i64| has_project(&brute(&s, &with_score_shift(&s, &e, p, shift)), p);
        match x.score_margin.as_ref().expect("no time limit: every margin found") {
            Ok(flip) if !funded => {
                prop_assert_eq!(at(flip.threshold), Some(true), "\n{}", text);
                prop_assert_eq!(at(flip.threshold - 1), Some(false), "\n{}", text);
                for (shift, want) in [(flip.threshold, true), (flip.threshold - 1, false)] {
                    if let Some(moved) = toml_with_score(&text, p, shift) {
                        let s2 = from_toml_str(&moved, "moved.toml").unwrap();
                        let e2 = evaluate(&s2);
                        prop_assert_eq!(has_project(&brute(&s2, &e2), p), Some(want), "\n{}", moved);
                    }
                }
            }
            Ok(flip) => {
                prop_assert_eq!(at(-flip.threshold), Some(false), "\n{}", text);
                prop_assert_eq!(at(1 - flip.threshold), Some(true), "\n{}", text);
                for (shift, want) in [(-flip.threshold, false), (1 - flip.threshold, true)] {
                    if let Some(moved) = toml_with_score(&text, p, shift) {
                        let s2 = from_toml_str(&moved, "moved.toml").unwrap();
                        let e2 = evaluate(&s2);
                        prop_assert_eq!(has_project(&brute(&s2, &e2), p), Some(want), "\n{}", moved);
                    }
                }
            }
            Err(Never::Held) => prop_assert_ne!(at(-BIG), Some(false), "\n{}", text),
            Err(_) => prop_assert_eq!(at(BIG), Some(false), "\n{}", text),
        }
        for r in &x.rounds {
            let (Some(c), Some(margin)) = (r.candidate, &r.subsidy_margin) else { continue };
            let pair = (p, r.round);
            let with = |fen: i64| {
                let amount = Money::from_yuan(Decimal::new(fen, 2));
                brute(&s, &with_subsidy(&e, c, amount)).map(|f| f.contains(&pair))
            };
            let step = x.money_step;
            // The portfolio on the other side, as brute force finds it there.
            let other = |fen: i64| {
                let amount = Money::from_yuan(Decimal::new(fen, 2));
                brute(&s, &with_subsidy(&e, c, amount))
            };
            match margin {
                Ok(flip) => {
                    prop_assert_eq!(with(flip.threshold), Some(true), "\n{}", text);
                    prop_assert_eq!(with(flip.threshold + step), Some(false), "\n{}", text);
                    let at = if funded { flip.threshold + step } else { flip.threshold };
                    let base = brute(&s, &e).unwrap_or_default();
                    let there = other(at).unwrap_or_default();
                    let enters: Vec<Pair> = there.difference(&base).copied().collect();
                    let leaves: Vec<Pair> = base.difference(&there).copied().collect();
                    prop_assert_eq!((&flip.enters, &flip.leaves), (&enters, &leaves), "\n{}", text);
                }
                Err(Never::NotMoney) => prop_assert_eq!(with(step), Some(false), "\n{}", text),
                Err(Never::Held) => {
                    let pool = s.rounds[r.round].pool;
                    let cap: i64 = (capacity(&s, pool) * Decimal::ONE_HUNDRED).floor().try_into().unwrap();
                    prop_assert_ne!(with(cap + step), Some(false), "\n{}", text);
                }
                Err(Never::Excluded) => prop_assert!(s.committee.exclude.contains(&p)),
                Err(Never::MoneyFloor) => prop_assert!(s.rounds[r.round].min_amount.is_some()),
                Err(other) => prop_assert!(false, "unexpected subsidy margin {:?}", other),
            }
        }
    }

    /// The price of including every entry not locked (funded or not, above the line or not):
    /// locking it in reaches exactly the stated total under brute force, with exactly the stated
    /// pairs leaving and entering; "cannot be funded" exactly when brute force finds no portfolio.
    #[test]
    fn prices_of_inclusion_equal_brute_force(inst in small().prop_map(|(i, _)| i)) {
        prices_agree(&inst)?;
    }

    /// The same where most entries have twins (single-round projects of two amounts), whose
    /// prices are shared (`explain::price`, "Twins").
    #[test]
    fn prices_of_twins_equal_brute_force(inst in small().prop_map(|(mut i, _)| {
        for p in &mut i.projects {
            p.2.truncate(1);
            p.3 = 4 + p.3 % 2;
        }
        i
    })) {
        prices_agree(&inst)?;
    }

    /// Every re-optimisation behind the reserve lists (single withdrawals and the chains) agrees
    /// with brute force, and the lists keep their definition: each withdrawal keeps every other
    /// funded pair that does not require the withdrawn project.
    #[test]
    fn reserve_lists_equal_brute_force(inst in small().prop_map(|(i, _)| i)) {
        let text = to_toml(&inst);
        let s = from_toml_str(&text, "prop.toml").expect("generated scenario is valid");
        let e = evaluate(&s);
        let Some(funded) = brute(&s, &e) else {
            prop_assume!(false);
            unreachable!()
        };
        let skeleton = Skeleton::new(&s, &e);
        let fast = reserves_with(&s, &e, &funded, |w, f| {
            solve_decided(&skeleton, &s, &e, w, f, &Options::default())
        })
        .unwrap();
        let slow = reserves_with(&s, &e, &funded, |w, f| {
            let (s, e) = with_decisions(&s, &e, w, f);
            Ok(brute(&s, &e))
        })
        .unwrap();
        prop_assert_eq!(&fast, &slow, "\n{}", text);
        for reserve in &fast {
            for w in &reserve.withdrawals {
                let Some(enters) = &w.enters else { continue };
                prop_assert!(enters.iter().all(|&(p, _)| p != w.withdrawn.0));
                prop_assert!(enters.iter().all(|pair| !funded.contains(pair)));
            }
            for entry in &reserve.list {
                prop_assert_eq!(entry.pair.1, reserve.round);
                prop_assert!(!funded.contains(&entry.pair));
            }
        }
    }
}

/// A price's question on a round of amounts in hundreds of millions ended in HiGHS's "Solve
/// error" (one floating-point rounding past its tolerance) and `explain` exited 4 where `solve`
/// proves the round; asked again at a tolerance above that rounding, it is answered (and checked
/// exactly). Every project, as JSON.
#[test]
fn an_explanation_survives_highs_rounding_on_large_amounts() {
    let path = format!("{MANIFEST_DIR}/tests/fixtures/adversarial/highs-error-tight.toml");
    for project in ["P191", "P298", "P306"] {
        crate::util::ok(&["explain", &path, project, "-f", "json"]);
    }
}

/// Under round priority a score margin's fall was searched only as far as the optimum's total
/// (52.3333), where P117 was still funded in another round (r0, at 85.6667): "held". Found by
/// tests/xcheck's explanation oracle, whose answer is asserted.
#[test]
fn a_fall_under_round_priority_reaches_past_the_optimum_s_total() {
    let path = format!("{MANIFEST_DIR}/tests/fixtures/adversarial/priority-fall-past-total.toml");
    let out = crate::util::ok(&["explain", &path, "P117", "-f", "json"]);
    let x: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(x["score_margin"]["threshold"], "85.6667");
    assert_eq!(x["score_margin_direction"], "fall");
}

/// HiGHS answered a what-if of `explain P54` "unbounded or infeasible" — on 0/1 columns, its
/// "infeasible" — and explain exited 4 (5 projects, round priority, amounts in billions, a budget
/// with fen; found by tests/xcheck's explanation oracle, whose answers are checked here).
#[test]
fn highs_unbounded_or_infeasible_is_infeasible() {
    let path =
        format!("{MANIFEST_DIR}/tests/fixtures/adversarial/highs-unbounded-or-infeasible.json");
    let out = crate::util::ok(&["explain", &path, "P54", "-f", "json"]);
    let x: serde_json::Value = serde_json::from_str(&out).unwrap();
    let r0 = &x["rounds"][0];
    assert_eq!(r0["subsidy_margin"]["threshold"], "1999999999.99");
    let change = &r0["price"]["change"];
    assert_eq!(change["total_score"], "50");
    assert_eq!(change["cost"], "0");
}

/// A round with a floor on its money has no subsidy margin: a larger amount helps meet the floor,
/// so being funded is not one range of amounts. On this round P04 is funded in rd1 at 100,000
/// yuan (checked below) though not at its own 110,000, and the margin's search once reported
/// 33,508.38 as the largest amount that funds it. Its other round (no floor) keeps its margin.
#[test]
fn a_round_with_a_money_floor_gives_no_subsidy_margin() {
    let folder = format!("{MANIFEST_DIR}/tests/fixtures/money-floor-margins");
    let s = allot::scenario::load(std::path::Path::new(&folder)).unwrap();
    let e = evaluate(&s);
    let explainer = Explainer::new(&s, &e, Options::default()).unwrap();
    let p04 = s.applications.iter().position(|a| a.id == "P04").unwrap();
    let rd1 = s.rounds.iter().position(|r| r.id == "rd1").unwrap();
    let x = explainer.explain(p04).unwrap();
    let view = x.rounds.iter().find(|r| r.round == rd1).unwrap();
    assert_eq!(view.subsidy_margin, Some(Err(Never::MoneyFloor)));
    // Funded at 100,000: an amount above the one the search reported (same score, less money).
    let c = e
        .candidates
        .iter()
        .position(|c| c.project == p04 && c.round == rd1)
        .unwrap();
    let at = with_subsidy(&e, c, Money::from_yuan(Decimal::from(100_000)));
    let funded = allot::explain::whatif::solve_pairs(&s, &at, &Options::default())
        .unwrap()
        .unwrap();
    assert!(funded.contains(&(p04, rd1)));
    // Every margin in rd1 is "not given"; a round without a floor (R0) keeps its own (P03's:
    // not money).
    let r0 = s.rounds.iter().position(|r| r.id == "R0").unwrap();
    let mut in_r0 = 0;
    for project in 0..s.applications.len() {
        for view in explainer.explain(project).unwrap().rounds {
            match view.round {
                r if r == rd1 => assert!(matches!(
                    view.subsidy_margin,
                    None | Some(Err(Never::MoneyFloor))
                )),
                r if r == r0 => {
                    in_r0 += usize::from(matches!(
                        view.subsidy_margin,
                        Some(m) if m != Err(Never::MoneyFloor)
                    ))
                }
                _ => {}
            }
        }
    }
    assert!(in_r0 > 0, "no margin in the round without a floor");
    // A must-fund lock holds its project whatever the amount, floor or not.
    let p02 = s.applications.iter().position(|a| a.id == "P02").unwrap();
    let mut locked = s.clone();
    locked.committee.must_fund.push(allot::scenario::Lock {
        project: p02,
        round: rd1,
    });
    let e = evaluate(&locked);
    let explainer = Explainer::new(&locked, &e, Options::default()).unwrap();
    let x = explainer.explain(p02).unwrap();
    let view = x.rounds.iter().find(|r| r.round == rd1).unwrap();
    assert_eq!(view.subsidy_margin, Some(Err(Never::Held)));
}

/// Subsidy margins on generated rounds, where the relaxation places the questions behind them
/// (the small rounds above settle with one column or none, so their questions have no
/// relaxation): near every funding line, at the reported amount the solver funds the entry and
/// one money step above it does not, with the reported pairs on the other side. The solver is
/// the oracle here (it is held to brute force elsewhere).
#[test]
fn subsidy_margins_near_the_lines_of_generated_rounds_hold_under_the_solver() {
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for (n, seed) in [(200usize, 1u64), (400, 2), (600, 3)] {
        let folder = dir.path().join(format!("{n}-{seed}"));
        allot::generate::write(&folder, n, seed, true).unwrap();
        let s = allot::scenario::load(&folder).unwrap();
        let e = evaluate(&s);
        let options = Options::default();
        let explainer = Explainer::new(&s, &e, options.clone()).unwrap();
        let outcome = allot::solve::solve(&s, &e, &options).unwrap();
        let base = pairs(&e, &outcome.portfolio);
        // Per round: the last funded entry and the two best unfunded ones of projects funded
        // nowhere.
        let mut near = BTreeSet::new();
        for round in 0..s.rounds.len() {
            let ranked = allot::solve::ranked(&e, round);
            let here = |c: &usize| base.contains(&(e.candidates[*c].project, round));
            near.extend(
                ranked
                    .iter()
                    .rfind(|c| here(c))
                    .map(|&c| e.candidates[c].project),
            );
            near.extend(
                ranked
                    .iter()
                    .filter(|&&c| !base.iter().any(|&(p, _)| p == e.candidates[c].project))
                    .take(2)
                    .map(|&c| e.candidates[c].project),
            );
        }
        for p in near {
            let x = explainer.explain(p).unwrap();
            for r in &x.rounds {
                let (Some(c), Some(Ok(flip))) = (r.candidate, &r.subsidy_margin) else {
                    continue;
                };
                let pair = (p, r.round);
                let at = |fen: i64| {
                    let amount = Money::from_yuan(Decimal::new(fen, 2));
                    allot::explain::whatif::solve_pairs(&s, &with_subsidy(&e, c, amount), &options)
                        .unwrap()
                        .unwrap_or_default()
                };
                let (funded, above) = (at(flip.threshold), at(flip.threshold + x.money_step));
                assert!(
                    funded.contains(&pair),
                    "{n}/{seed}: {pair:?} at {}",
                    flip.threshold
                );
                assert!(
                    !above.contains(&pair),
                    "{n}/{seed}: {pair:?} above {}",
                    flip.threshold
                );
                let there = if x.funded.is_some() { above } else { funded };
                let enters: Vec<Pair> = there.difference(&base).copied().collect();
                let leaves: Vec<Pair> = base.difference(&there).copied().collect();
                assert_eq!(
                    (&flip.enters, &flip.leaves),
                    (&enters, &leaves),
                    "{n}/{seed}: {pair:?}"
                );
                checked += 1;
            }
        }
    }
    assert!(
        checked >= 12,
        "only {checked} subsidy margins near the lines"
    );
}

/// Every unlocked entry's price (`explain::prices`) against brute force.
fn prices_agree(inst: &Instance) -> Result<(), TestCaseError> {
    let text = to_toml(inst);
    let s = from_toml_str(&text, "prop.toml").expect("generated scenario is valid");
    let e = evaluate(&s);
    let Ok(outcome) = allot::solve::solve(&s, &e, &Options::default()) else {
        prop_assume!(false);
        unreachable!()
    };
    let funded = pairs(&e, &outcome.portfolio);
    // Every candidate not locked, funded ones too: twins are paired only among the unfunded.
    let entries: Vec<usize> = (0..e.candidates.len())
        .filter(|&c| e.candidates[c].locked.is_none())
        .collect();
    let prices = allot::explain::prices(&s, &e, &outcome, &entries, &Options::default()).unwrap();
    prop_assert_eq!(prices.len(), entries.len());
    for price in &prices {
        let cand = &e.candidates[price.candidate];
        let entry = (cand.project, cand.round);
        // The oracle evaluates the locked scenario afresh (allot reuses the evaluation).
        let (ls, _) =
            allot::explain::whatif::with_decisions(&s, &e, &BTreeSet::new(), &[entry].into());
        let le = evaluate(&ls);
        let best = brute_force(&ls, &le);
        match (&price.change, best) {
            (None, None) => {}
            (Some(change), Some(best)) => {
                prop_assert_eq!(change.total_score, best.total_score, "\n{}", text);
                prop_assert_eq!(
                    change.cost,
                    outcome.portfolio.total_score - best.total_score
                );
                let with = pairs(&le, &best);
                let leaves: Vec<Pair> = funded.difference(&with).copied().collect();
                let enters: Vec<Pair> = with
                    .difference(&funded)
                    .copied()
                    .filter(|&p| p != entry)
                    .collect();
                prop_assert_eq!(&change.leaves, &leaves, "\n{}", text);
                prop_assert_eq!(&change.enters, &enters, "\n{}", text);
            }
            (got, want) => prop_assert!(
                false,
                "price {:?}, brute force {:?}\n{}",
                got,
                want.map(|b| b.total_score),
                text
            ),
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The binary
// ---------------------------------------------------------------------------------------------

/// Runs the binary in the crate folder, without the locale variables.
fn allot(args: &[&str]) -> Outcome {
    Run::new(args).cwd(MANIFEST_DIR).no_locale().go()
}

#[test]
fn explain_an_unfunded_project_in_english_and_chinese() {
    for (lang, name) in [("en", "explain-P124.en.txt"), ("zh", "explain-P124.zh.txt")] {
        let run = allot(&["explain", "scenarios/quzhou-2019", "P124", "--lang", lang]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        golden(name, &run.stdout);
    }
}

#[test]
fn explain_a_funded_project_and_ineligible_ones() {
    let run = allot(&["explain", "P062", "--lang", "en"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    golden("explain-P062.en.txt", &run.stdout);
    // Below the qualifying score only: a high enough score admits it, and the margin says how high.
    let run = allot(&["explain", "P001", "--lang", "en"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    golden("explain-P001.en.txt", &run.stdout);
    // The scenario says lang = "zh": Chinese without a flag.
    let run = allot(&["explain", "P017"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    golden("explain-P017.zh.txt", &run.stdout);
}

#[test]
fn explain_json_holds_the_margins() {
    let run = allot(&["explain", "P065", "-f", "json", "--lang", "en"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["project"], "P065");
    assert_eq!(v["decision"], "unfunded");
    assert_eq!(v["score_margin_direction"], "rise");
    assert!(v["score_margin"]["threshold"].is_string());
    assert_eq!(v["resolution"]["money"], "1");
    let rounds = v["rounds"].as_array().unwrap();
    assert!(rounds
        .iter()
        .all(|r| r["subsidy_margin"]["threshold"].is_string()));
}

/// `--time-limit`: a limit of a nanosecond is past once the portfolio is proven (the proof is
/// not limited), so every price and margin is left out, whatever the machine: marked where it
/// would stand, named in JSON's `left_out`, counted on stderr. A generous limit (or one past what
/// the clock holds) changes nothing;
/// a limit that is not a positive number is refused by name.
#[test]
fn explain_with_a_time_limit_marks_what_it_left_out() {
    let run = allot(&["explain", "P005", "--time-limit", "1e-9", "-f", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("the time limit came before 5 parts of the explanation"),
        "{}",
        run.stderr
    );
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["decision"], "unfunded");
    assert_eq!(
        v["left_out"]["prices"],
        serde_json::json!(["major", "upgrade"])
    );
    assert_eq!(
        v["left_out"]["subsidy_margins"],
        serde_json::json!(["major", "upgrade"])
    );
    assert_eq!(v["left_out"]["score_margin"], true);
    assert!(v["score_margin"].is_null());
    for r in v["rounds"].as_array().unwrap() {
        assert!(r["price"].is_null() && r["subsidy_margin"].is_null(), "{r}");
        // What needs no re-solve is still said.
        assert!(!r["kept_out_by"].as_array().unwrap().is_empty(), "{r}");
    }
    for (lang, marked, count) in [
        (
            "en",
            "not found within the time limit",
            "5 parts of this explanation were not found",
        ),
        (
            "zh",
            "未能在计算时限内求得",
            "本说明有 5 项未能在时限内求得",
        ),
    ] {
        let text = allot(&["explain", "P005", "--time-limit", "1e-9", "--lang", lang]).ok();
        assert_eq!(text.matches(marked).count(), 5, "{text}");
        assert!(text.contains(count), "{text}");
    }
    let whole = allot(&["explain", "P005", "-f", "json"]).ok();
    for (generous, recorded) in [("3600", "3600.0"), ("1e300", "1e+300")] {
        assert_eq!(
            allot(&["explain", "P005", "--time-limit", generous, "-f", "json"]).ok(),
            whole.replace(
                "\"time_limit\": null",
                &format!("\"time_limit\": {recorded}")
            )
        );
    }
    let nothing_left: serde_json::Value = serde_json::from_str(&whole).unwrap();
    assert_eq!(
        nothing_left["left_out"],
        serde_json::json!({"prices": [], "subsidy_margins": [], "score_margin": false})
    );
    allot(&["explain", "P005", "--time-limit", "0"]).fails(2, &["--time-limit"]);
}

#[test]
fn explain_prices_each_round_as_solving_with_the_entry_locked_in() {
    let run = allot(&["explain", "P082", "-f", "json", "--lang", "en"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let optimum: serde_json::Value =
        serde_json::from_str(&allot(&["solve", "-f", "json"]).ok()).unwrap();
    let rounds = v["rounds"].as_array().unwrap();
    assert!(!rounds.is_empty());
    for r in rounds {
        let round = r["round"].as_str().unwrap();
        let change = &r["price"]["change"];
        let locked: serde_json::Value = serde_json::from_str(
            &allot(&["solve", "--lock", &format!("P082:{round}"), "-f", "json"]).ok(),
        )
        .unwrap();
        assert_eq!(change["total_score"], locked["total_score"], "{round}");
        let cost = rust_decimal::Decimal::from_str_exact(optimum["total_score"].as_str().unwrap())
            .unwrap()
            - rust_decimal::Decimal::from_str_exact(locked["total_score"].as_str().unwrap())
                .unwrap();
        assert_eq!(change["cost"], cost.normalize().to_string(), "{round}");
        assert_eq!(r["above_line"], true, "{round}");
        assert!(r["price"]["text"]
            .as_str()
            .unwrap()
            .starts_with("funding it costs"));
    }
}

#[test]
fn explain_an_unknown_project_is_bad_input() {
    let run = allot(&["explain", "scenarios/quzhou-2019", "P999"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.starts_with("allot: "), "{}", run.stderr);
    assert!(run.stderr.contains("\"P999\""), "{}", run.stderr);
    assert!(run.stderr.contains("scenario.toml"), "{}", run.stderr);
}

#[test]
fn reserve_lists_of_the_bundled_scenario() {
    let run = allot(&["reserve", "--lang", "en"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    golden("reserve.en.txt", &run.stdout);
    let run = allot(&["reserve", "--lang", "zh"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    golden("reserve.zh.txt", &run.stdout);
    let csv = allot(&["reserve", "-f", "csv"]);
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    assert!(csv
        .stdout
        .starts_with("round,kind,position,project,project_round,withdrawn\n"));
    let json = allot(&["reserve", "-f", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["rounds"].as_array().unwrap().len(), 3);
    // Byte-identical on a second run.
    assert_eq!(allot(&["reserve", "-f", "csv"]).stdout, csv.stdout);
}

/// Reserve lists solve rounds and withdrawals in parallel: the same lists on one worker and on
/// four, on a generated round of 300 with several funded projects per round.
#[test]
fn reserve_lists_do_not_depend_on_the_number_of_workers() {
    let dir = tempfile::tempdir().unwrap();
    allot::generate::write(dir.path(), 300, 11, true).unwrap();
    let s = allot::scenario::load(dir.path()).unwrap();
    let e = evaluate(&s);
    let x = Explainer::new(&s, &e, Options::default()).unwrap();
    let on = |workers| allot::parallel::with_workers(Some(workers), || x.reserves()).unwrap();
    let one = on(1).unwrap();
    assert!(one.iter().map(|r| r.withdrawals.len()).sum::<usize>() > 10);
    assert_eq!(one, on(4).unwrap());
}
