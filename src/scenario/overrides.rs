//! What-if overrides for one run, from the command line: `--set KEY=VALUE` edits the scenario's
//! raw document before validation (so every check of the reader applies to the new value),
//! `--weight CRITERION=W` gives criteria new weights and rescales the others, `--exclude` and
//! `--lock` add committee decisions. The scenario file is never written; the overrides are
//! recorded in the certificate so a result says what it was computed under.

use super::read::{Num, Source, MAX_WEIGHT};
use super::types::{Lock, Scenario};
use crate::error::{Error, Result};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;
use std::path::Path;

/// Changes to a scenario for one run. They apply in this order: every `--set` in turn, then the
/// weights together, then exclusions, then locks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    /// `--set KEY=VALUE`: a dotted path into the scenario document, and the value as typed.
    pub set: Vec<(String, String)>,
    /// `--weight CRITERION=WEIGHT`.
    pub weight: Vec<(String, Decimal)>,
    /// `--exclude PROJECT`.
    pub exclude: Vec<String>,
    /// `--lock PROJECT[:ROUND]`; no round means the only round the project entered.
    pub lock: Vec<(String, Option<String>)>,
}

impl Overrides {
    /// Reads the command-line forms of the four flags; a malformed one is bad input naming it.
    pub fn parse(
        set: &[String],
        weight: &[String],
        exclude: &[String],
        lock: &[String],
    ) -> Result<Overrides> {
        let pair = |flag: &str, text: &str, example: &str| -> Result<(String, String)> {
            match text.split_once('=') {
                Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
                _ => Err(Error::Input(format!("{flag} {text}: expected {example}"))),
            }
        };
        let mut out = Overrides::default();
        for text in set {
            out.set.push(pair(
                "--set",
                text,
                "KEY=VALUE, e.g. pools.key.budget=35000000",
            )?);
        }
        for text in weight {
            let (id, value) = pair("--weight", text, "CRITERION=WEIGHT, e.g. tech=0.35")?;
            let w = Num::deserialize(&Value::String(value.clone()))
                .map_err(|e| Error::Input(format!("--weight {text}: {e}")))?
                .0;
            if w.is_sign_negative() && !w.is_zero() {
                return Err(Error::Input(format!(
                    "--weight {text}: {w} is negative; weights must be zero or more"
                )));
            }
            out.weight.push((id, w.normalize()));
        }
        for text in exclude {
            if text.trim().is_empty() {
                return Err(Error::Input("--exclude: names no project".into()));
            }
            out.exclude.push(text.trim().to_string());
        }
        for text in lock {
            let (project, round) = match text.rsplit_once(':') {
                Some((p, r)) => (p.trim(), Some(r.trim().to_string())),
                None => (text.trim(), None),
            };
            if project.is_empty() || round.as_deref() == Some("") {
                return Err(Error::Input(format!(
                    "--lock {text}: expected PROJECT or PROJECT:ROUND, e.g. P042:major"
                )));
            }
            out.lock.push((project.to_string(), round));
        }
        Ok(out)
    }

    /// True when there is nothing to change.
    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
            && self.weight.is_empty()
            && self.exclude.is_empty()
            && self.lock.is_empty()
    }

    /// The overrides as command-line words, in the order they apply (recorded in certificates).
    pub fn describe(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .set
            .iter()
            .map(|(k, v)| format!("--set {k}={v}"))
            .collect();
        out.extend(self.weight.iter().map(|(k, w)| format!("--weight {k}={w}")));
        out.extend(self.exclude.iter().map(|p| format!("--exclude {p}")));
        out.extend(self.lock.iter().map(|(p, r)| lock_label(p, r)));
        out
    }
}

fn lock_label(project: &str, round: &Option<String>) -> String {
    match round {
        Some(r) => format!("--lock {project}:{r}"),
        None => format!("--lock {project}"),
    }
}

/// Loads a scenario (the built-in default when `path` is `None`) with `overrides` applied.
pub fn load_with_overrides(path: Option<&Path>, overrides: &Overrides) -> Result<Scenario> {
    let source = Source::open(path)?;
    let mut scenario = if overrides.set.is_empty() && overrides.weight.is_empty() {
        source.build(None)?
    } else {
        edited(&source, overrides)?
    };
    decide(&mut scenario, overrides)?;
    Ok(scenario)
}

/// A scenario read once for many what-ifs (`allot serve`): its files are kept in memory, the
/// scenario as read is kept validated, and each what-if is applied to them exactly as
/// [`load_with_overrides`] applies it to the files.
pub struct Snapshot {
    source: Source,
    base: Scenario,
}

impl Snapshot {
    /// Reads and validates the scenario (the built-in default when `path` is `None`).
    pub fn open(path: Option<&Path>) -> Result<Snapshot> {
        let mut source = Source::open(path)?;
        let base = source.build(None)?;
        source.hold(&base)?;
        Ok(Snapshot { source, base })
    }

    /// The scenario as read, without what-ifs.
    pub fn base(&self) -> &Scenario {
        &self.base
    }

    /// The scenario with `overrides` applied; committee decisions alone need no new validation.
    pub fn load(&self, overrides: &Overrides) -> Result<Scenario> {
        let mut scenario = if overrides.set.is_empty() && overrides.weight.is_empty() {
            self.base.clone()
        } else {
            edited(&self.source, overrides)?
        };
        decide(&mut scenario, overrides)?;
        Ok(scenario)
    }

    /// The what-if as one self-contained scenario document (JSON values): the scenario file's
    /// keys with `--set` and `--weight` applied, every committee decision (the file's and the
    /// what-if's) under `committee`, and the applications written inline in 元, so that the
    /// document alone reproduces the what-if with `allot solve`.
    pub fn document(&self, overrides: &Overrides) -> Result<Value> {
        let scenario = self.load(overrides)?;
        let mut doc = self.source.document()?;
        edit(&mut doc, overrides)?;
        inline(&mut doc, &scenario);
        Ok(doc)
    }
}

/// Writes `scenario`'s committee decisions and applications into its raw document `doc`.
fn inline(doc: &mut Value, scenario: &Scenario) {
    use serde_json::{json, Map};
    let (apps, rounds) = (&scenario.applications, &scenario.rounds);
    let criteria = &scenario.scoring.criteria;
    let committee = &scenario.committee;
    let mut decisions = doc
        .get("committee")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    decisions.insert(
        "must_fund".into(),
        committee
            .must_fund
            .iter()
            .map(|l| json!({"project": apps[l.project].id, "round": rounds[l.round].id}))
            .collect(),
    );
    decisions.insert(
        "exclude".into(),
        committee
            .exclude
            .iter()
            .map(|&p| json!(apps[p].id))
            .collect(),
    );
    let amount = |m: super::Money| Value::String(m.yuan().normalize().to_string());
    let projects: Vec<Value> = apps
        .iter()
        .map(|a| {
            let mut scores = Map::new();
            for (c, criterion) in criteria.iter().enumerate() {
                let panel = a.panels.get(c).filter(|p| !p.is_empty());
                let value = match (panel, a.criteria[c]) {
                    (Some(panel), _) => panel
                        .iter()
                        .map(|v| Value::String(v.normalize().to_string()))
                        .collect(),
                    (None, Some(v)) => Value::String(v.normalize().to_string()),
                    (None, None) => continue,
                };
                scores.insert(criterion.id.clone(), value);
            }
            let mut entry = json!({
                "id": a.id,
                "name": a.name,
                "enterprise": a.enterprise,
                "industry": a.industry,
                "jurisdiction": a.jurisdiction,
                "rounds": a.rounds.iter().map(|&r| rounds[r].id.as_str()).collect::<Vec<_>>(),
                "equipment": amount(a.investment.equipment),
                "technology": amount(a.investment.technology),
                "software": amount(a.investment.software),
            });
            if !a.flags.is_empty() {
                entry["flags"] = json!(a.flags);
            }
            entry["scores"] = Value::Object(scores);
            if !a.attributes.is_empty() {
                entry["attributes"] = json!(a.attributes);
            }
            entry
        })
        .collect();
    if let Value::Object(map) = doc {
        map.insert("committee".into(), Value::Object(decisions));
        map.insert(
            "applications".into(),
            json!({"unit": "yuan", "projects": projects}),
        );
    }
}

/// Applies `--set` and `--weight` to the raw document `doc`; returns each step's label and the
/// document after it, for [`edited`]'s message.
fn edit(doc: &mut Value, overrides: &Overrides) -> Result<Vec<(String, Value)>> {
    let mut steps: Vec<(String, Value)> = Vec::new();
    for (key, text) in &overrides.set {
        let label = format!("--set {key}");
        set(doc, key, parse_value(text)).map_err(|why| Error::Input(format!("{label}: {why}")))?;
        steps.push((label, doc.clone()));
    }
    if !overrides.weight.is_empty() {
        reweigh(doc, &overrides.weight)?;
        let label = overrides
            .weight
            .iter()
            .map(|(k, w)| format!("--weight {k}={w}"))
            .collect::<Vec<_>>()
            .join(" ");
        steps.push((label, doc.clone()));
    }
    Ok(steps)
}

/// Applies `--set` and `--weight` to the raw document and validates the result. When it fails,
/// the message names the first override after which the scenario no longer validates.
fn edited(source: &Source, overrides: &Overrides) -> Result<Scenario> {
    let mut doc = source.document()?;
    let steps = edit(&mut doc, overrides)?;
    match source.build(Some(&doc)) {
        Ok(scenario) => Ok(scenario),
        Err(error) => {
            source.build(None)?;
            for (label, step) in &steps {
                if let Err(e) = source.build(Some(step)) {
                    return Err(Error::Input(format!("{label}: {e}")));
                }
            }
            Err(error)
        }
    }
}

/// A value as typed: a TOML value (`35000000`, `"0.12"`, `true`, `["市本级"]`), or else the text
/// itself as a string (`--set scenario.lang=en`).
fn parse_value(text: &str) -> Value {
    if let Ok(table) = toml::from_str::<toml::Table>(&format!("v = {text}")) {
        if table.len() == 1 {
            if let Some(v) = table.get("v").and_then(|v| serde_json::to_value(v).ok()) {
                return v;
            }
        }
    }
    Value::String(text.to_string())
}

/// The name an array entry is addressed by: its `id`, else its `flag` or `attribute`.
fn entry_name(entry: &Value) -> Option<&str> {
    ["id", "flag", "attribute"]
        .iter()
        .find_map(|k| entry.get(k).and_then(Value::as_str))
}

/// Sets the value at a dotted path; array entries are addressed by name (or position). Missing
/// tables on the way are created; unknown keys are left for the reader to refuse by name.
fn set(doc: &mut Value, key: &str, value: Value) -> std::result::Result<(), String> {
    let parts: Vec<&str> = key.split('.').map(str::trim).collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err("is not a key path (names joined by dots, e.g. pools.key.budget)".into());
    }
    let mut here = doc;
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let path = parts[..i].join(".");
        here = match here {
            Value::Object(map) => {
                if last {
                    map.insert(part.to_string(), value);
                    return Ok(());
                }
                map.entry(part.to_string())
                    .or_insert_with(|| Value::Object(Default::default()))
            }
            Value::Array(items) => {
                let at = items
                    .iter()
                    .position(|e| entry_name(e) == Some(part))
                    .or_else(|| part.parse::<usize>().ok().filter(|&n| n < items.len()))
                    .ok_or_else(|| {
                        let names: Vec<String> = items
                            .iter()
                            .enumerate()
                            .map(|(n, e)| entry_name(e).map_or(n.to_string(), str::to_string))
                            .collect();
                        format!(
                            "{path} has no entry {part:?} (entries: {})",
                            if names.is_empty() {
                                "none".to_string()
                            } else {
                                names.join(", ")
                            }
                        )
                    })?;
                if last {
                    items[at] = value;
                    return Ok(());
                }
                &mut items[at]
            }
            _ => {
                return Err(format!(
                    "{path} is a value, not a table: it has no key {part:?}"
                ))
            }
        };
    }
    Ok(())
}

/// `--weight`: each named criterion gets its new weight w; the others keep their proportions and
/// share what is left of the total T. Written as exact products — named: w · U, others: old ·
/// (T − W), with U the others' old sum and W the named sum — so the shares (weights ÷ their sum,
/// all scoring uses) are exactly w / T and old · (T − W) / (T · U), with no rounded quotient.
fn reweigh(doc: &mut Value, weights: &[(String, Decimal)]) -> Result<()> {
    let criteria = doc
        .pointer_mut("/scoring/criteria")
        .and_then(Value::as_array_mut)
        .ok_or_else(|| Error::Input("--weight: the scenario has no scoring.criteria".into()))?;
    let ids: Vec<String> = criteria
        .iter()
        .map(|c| entry_name(c).unwrap_or("").to_string())
        .collect();
    let mut old = Vec::new();
    for (c, id) in criteria.iter().zip(&ids) {
        let w = c
            .get("weight")
            .map(Num::deserialize)
            .transpose()
            .map_err(|e| Error::Input(format!("--weight: scoring.criteria.{id}.weight: {e}")))?
            .map_or(Decimal::ZERO, |n| n.0);
        old.push(w);
    }
    let mut new: Vec<Option<Decimal>> = vec![None; ids.len()];
    for (id, w) in weights {
        let i = ids.iter().position(|c| c == id).ok_or_else(|| {
            Error::Input(format!(
                "--weight {id}={w}: {id:?} is not a criterion (criteria: {})",
                ids.join(", ")
            ))
        })?;
        if new[i].replace(*w).is_some() {
            return Err(Error::Input(format!(
                "--weight {id}={w}: criterion {id} is given a weight twice"
            )));
        }
    }
    let total: Decimal = old.iter().sum();
    let named: Decimal = new.iter().flatten().sum();
    let others: Decimal = old
        .iter()
        .zip(&new)
        .filter(|(_, n)| n.is_none())
        .map(|(o, _)| *o)
        .sum();
    if others > Decimal::ZERO && named >= total {
        let flags: Vec<String> = weights.iter().map(|(k, w)| format!("{k}={w}")).collect();
        return Err(Error::Input(format!(
            "--weight {}: the new weights add up to {}, but must stay below the total of the weights, {}, so the other criteria keep a share",
            flags.join(" "),
            named.normalize(),
            total.normalize()
        )));
    }
    let mut written: Vec<Decimal> = old
        .iter()
        .zip(&new)
        .map(|(o, n)| match (n, others > Decimal::ZERO) {
            (Some(w), true) => *w * others,
            (Some(w), false) => *w,
            (None, true) => *o * (total - named),
            (None, false) => *o,
        })
        .collect();
    // The products can pass the largest weight a file may hold (10⁹) where the weights given
    // could not (40,000 and 60,000 with a=50,000: 3·10⁹ each). Dividing them all by ten keeps
    // every share, and exactly: a decimal above 10⁹ has at most 19 places (its mantissa is
    // below 2⁹⁶ ≈ 7.9·10²⁸), and the divisions that bring it under 10⁹ add at most 20 − that,
    // so it never passes the 28 places a decimal holds.
    let largest = Decimal::from(MAX_WEIGHT);
    while written.iter().any(|w| *w > largest) {
        for w in &mut written {
            let tenth = *w / Decimal::TEN;
            debug_assert_eq!(tenth * Decimal::TEN, *w, "a tenth of a weight is exact");
            *w = tenth;
        }
    }
    for (c, w) in criteria.iter_mut().zip(&written) {
        if let Some(entry) = c.as_object_mut() {
            entry.insert("weight".into(), Value::String(w.normalize().to_string()));
        }
    }
    Ok(())
}

/// `--exclude` and `--lock`: committee decisions added to the validated scenario, checked as the
/// reader checks `[committee]`.
fn decide(scenario: &mut Scenario, overrides: &Overrides) -> Result<()> {
    let project = |label: &str, id: &str| -> Result<usize> {
        scenario
            .applications
            .iter()
            .position(|a| a.id == id)
            .ok_or_else(|| {
                Error::Input(format!(
                    "{label}: {id:?} is not a project in the applications"
                ))
            })
    };
    let mut excluded = Vec::new();
    for id in &overrides.exclude {
        excluded.push(project(&format!("--exclude {id}"), id)?);
    }
    let mut locks = Vec::new();
    for (id, round) in &overrides.lock {
        let label = lock_label(id, round);
        let p = project(&label, id)?;
        let app = &scenario.applications[p];
        let entered = || {
            app.rounds
                .iter()
                .map(|&r| scenario.rounds[r].id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let r = match round {
            Some(rid) => {
                let r = scenario
                    .rounds
                    .iter()
                    .position(|r| &r.id == rid)
                    .ok_or_else(|| {
                        Error::Input(format!(
                            "{label}: {rid:?} is not a round (rounds: {})",
                            scenario
                                .rounds
                                .iter()
                                .map(|r| r.id.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ))
                    })?;
                if !app.rounds.contains(&r) {
                    return Err(Error::Input(format!(
                        "{label}: project {id} did not apply to round {rid} (it entered: {})",
                        entered()
                    )));
                }
                r
            }
            None => match app.rounds[..] {
                [r] => r,
                _ => {
                    return Err(Error::Input(format!(
                        "{label}: project {id} entered several rounds ({}); name one, e.g. --lock {id}:{}",
                        entered(),
                        scenario.rounds[app.rounds[0]].id
                    )))
                }
            },
        };
        locks.push(Lock {
            project: p,
            round: r,
        });
    }
    let committee = &mut scenario.committee;
    committee.exclude.extend(excluded);
    for lock in locks {
        if !committee.must_fund.contains(&lock) {
            committee.must_fund.push(lock);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;
    use serde_json::json;

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn set_addresses_array_entries_by_id_flag_or_position() {
        let mut doc = json!({
            "pools": [{"id": "key", "budget": "1"}],
            "scoring": {"bonus": [{"flag": "patent", "points": "2"}]},
            "committee": {"must_fund": [{"project": "A", "round": "r"}]}
        });
        set(&mut doc, "pools.key.budget", json!(5)).unwrap();
        set(&mut doc, "scoring.bonus.patent.points", json!("3")).unwrap();
        set(&mut doc, "committee.must_fund.0.round", json!("s")).unwrap();
        set(&mut doc, "committee.enterprise_limit", json!(1)).unwrap();
        assert_eq!(doc["pools"][0]["budget"], json!(5));
        assert_eq!(doc["scoring"]["bonus"][0]["points"], json!("3"));
        assert_eq!(doc["committee"]["must_fund"][0]["round"], json!("s"));
        assert_eq!(doc["committee"]["enterprise_limit"], json!(1));
        let err = set(&mut doc, "pools.keyy.budget", json!(5)).unwrap_err();
        assert!(
            err.contains("pools has no entry \"keyy\" (entries: key)"),
            "{err}"
        );
        let err = set(&mut doc, "pools.key.budget.x", json!(5)).unwrap_err();
        assert!(err.contains("pools.key.budget is a value"), "{err}");
        assert!(set(&mut doc, "pools..budget", json!(5)).is_err());
    }

    #[test]
    fn values_are_toml_scalars_or_plain_text() {
        assert_eq!(parse_value("35000000"), json!(35000000));
        assert_eq!(parse_value("\"0.12\""), json!("0.12"));
        assert_eq!(parse_value("true"), json!(true));
        assert_eq!(parse_value("[\"市本级\"]"), json!(["市本级"]));
        assert_eq!(parse_value("en"), json!("en"));
        assert_eq!(parse_value("1\nother = 2"), json!("1\nother = 2"));
    }

    fn weights_of(doc: &Value) -> Vec<String> {
        doc["scoring"]["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["weight"].as_str().unwrap().to_string())
            .collect()
    }

    fn criteria(weights: &[&str]) -> Value {
        let list: Vec<Value> = weights
            .iter()
            .enumerate()
            .map(|(i, w)| json!({"id": format!("c{i}"), "weight": w}))
            .collect();
        json!({"scoring": {"criteria": list}})
    }

    #[test]
    fn weight_takes_its_share_of_the_total_and_the_others_keep_their_proportions() {
        // T = 1: tech 0.35 → 0.5. Named: 0.5 · U (U = 0.65); others: old · (1 − 0.5).
        let mut doc = criteria(&["0.35", "0.30", "0.15", "0.20"]);
        reweigh(&mut doc, &[("c0".into(), dec!(0.5))]).unwrap();
        assert_eq!(weights_of(&doc), ["0.325", "0.15", "0.075", "0.1"]);
        let w: Vec<Decimal> = weights_of(&doc)
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        let total: Decimal = w.iter().sum();
        assert_eq!(w[0] / total, dec!(0.5));
        assert_eq!(w[1] / w[2], dec!(2));
        // A total other than 1: weights 2, 1, 1 (T = 4); c1 → 2 takes half, c0 and c2 share the
        // other half 2 : 1.
        let mut doc = criteria(&["2", "1", "1"]);
        reweigh(&mut doc, &[("c1".into(), dec!(2))]).unwrap();
        let w: Vec<Decimal> = weights_of(&doc)
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        assert_eq!(weights_of(&doc), ["4", "6", "2"]);
        assert_eq!(w[1] / w.iter().sum::<Decimal>(), dec!(0.5));
        // Two named at once: each gets its own share; the third takes the rest.
        let mut doc = criteria(&["0.35", "0.30", "0.35"]);
        reweigh(
            &mut doc,
            &[("c0".into(), dec!(0.2)), ("c1".into(), dec!(0.2))],
        )
        .unwrap();
        let w: Vec<Decimal> = weights_of(&doc)
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        let total: Decimal = w.iter().sum();
        assert_eq!(w[0] / total, dec!(0.2));
        assert_eq!(w[2] / total, dec!(0.6));
    }

    #[test]
    fn weights_whose_products_pass_the_largest_weight_are_written_smaller_with_the_same_shares() {
        // 40,000 and 60,000 with c0 → 50,000: the products are 3·10⁹ each, past the 10⁹ a file
        // may hold (found by an independent cross-check: the what-if was refused).
        let mut doc = criteria(&["40000", "60000"]);
        reweigh(&mut doc, &[("c0".into(), dec!(50000))]).unwrap();
        assert_eq!(weights_of(&doc), ["300000000", "300000000"]);
        // c0 → 0.5: 30,000 and 5,999,970,000, a tenth of each.
        let mut doc = criteria(&["40000", "60000"]);
        reweigh(&mut doc, &[("c0".into(), dec!(0.5))]).unwrap();
        assert_eq!(weights_of(&doc), ["3000", "599997000"]);
        let w: Vec<Decimal> = weights_of(&doc)
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        assert_eq!(w[0] / (w[0] + w[1]), dec!(0.5) / dec!(100000));
        // At the largest weight, with every digit a decimal holds: products near 10¹⁸ of 28
        // digits, each tenth exact (asserted in the checked profile).
        let mut doc = criteria(&["999999999.1234567891234567891", "1"]);
        reweigh(&mut doc, &[("c1".into(), dec!(999999999))]).unwrap();
        for w in weights_of(&doc) {
            let w: Decimal = w.parse().unwrap();
            assert!(w > Decimal::ZERO && w <= Decimal::from(MAX_WEIGHT), "{w}");
        }
    }

    #[test]
    fn weight_at_or_above_the_total_or_unknown_is_refused() {
        let mut doc = criteria(&["0.5", "0.5"]);
        let err = reweigh(&mut doc, &[("c0".into(), dec!(1))]).unwrap_err();
        assert!(
            err.to_string()
                .contains("below the total of the weights, 1"),
            "{err}"
        );
        let err = reweigh(&mut doc, &[("zz".into(), dec!(0.1))]).unwrap_err();
        assert!(err
            .to_string()
            .contains("\"zz\" is not a criterion (criteria: c0, c1)"));
        let err = Overrides::parse(&[], &words(&["c0=-0.1"]), &[], &[]).unwrap_err();
        assert!(err.to_string().contains("negative"), "{err}");
        let err = Overrides::parse(&[], &words(&["c0=abc"]), &[], &[]).unwrap_err();
        assert!(err.to_string().contains("--weight c0=abc"), "{err}");
    }

    #[test]
    fn flags_are_parsed_and_described_in_the_order_they_apply() {
        let o = Overrides::parse(
            &words(&["pools.key.budget=35000000"]),
            &words(&["tech=35%"]),
            &words(&["P108"]),
            &words(&["P042:major", "P001"]),
        )
        .unwrap();
        assert_eq!(
            o.describe(),
            [
                "--set pools.key.budget=35000000",
                "--weight tech=0.35",
                "--exclude P108",
                "--lock P042:major",
                "--lock P001"
            ]
        );
        assert!(Overrides::parse(&words(&["budget"]), &[], &[], &[]).is_err());
        assert!(Overrides::parse(&[], &[], &[], &words(&["P1:"])).is_err());
        assert!(Overrides::default().is_empty());
    }
}
