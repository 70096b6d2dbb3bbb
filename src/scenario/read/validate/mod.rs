//! Validation: the raw scenario (`schema`) checked and resolved into a [`Scenario`], one section
//! per file in the order the checks run (pools, rounds, scoring, applications, committee), so
//! that the first problem found is the one reported. Every message names the file and the key or
//! row at fault; the numbers that are not money are held to [`limits`].

mod applications;
mod committee;
#[cfg(test)]
pub(super) mod fixture;
mod pools;
mod rounds;
mod scoring;

use super::schema::RawScenario;
use crate::error::{Error, Result};
use crate::scenario::money::{Amount, Money, Unit};
use crate::scenario::types::{Lang, Objective, Scenario};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// The numbers allot accepts that are not money (docs/scenario-format.md, "Numbers"). Inside these
/// limits every score is exact: a score lies within ±(10⁴ + Σ bonus) points, so its count of 1e-4
/// points and any sum of such counts over a round stay far inside `i64` and the range where the
/// solver's `f64` matrix holds integers exactly, and the scorer's decimal arithmetic keeps its
/// error far below the rounding step (rules/scoring.rs).
pub(crate) mod limits {
    /// A criterion value: any indicator, amounts in yuan included, normalized within the round.
    pub const CRITERION: i64 = 1_000_000_000_000;
    /// A criterion value that enters the score as it is (`normalization = "as-is"`), in points.
    pub const POINTS: i64 = 10_000;
    /// A weight (weights are relative: divided by their sum).
    pub const WEIGHT: i64 = 1_000_000_000;
    /// Bonus points of one flag.
    pub const BONUS: i64 = 10_000;
    /// A qualifying score.
    pub const SCORE: i64 = 1_000_000;
}

/// `value` when its magnitude is at most `limit`, else why not.
fn within(value: Decimal, limit: i64) -> std::result::Result<Decimal, String> {
    if value.abs() <= Decimal::from(limit) {
        Ok(value)
    } else {
        Err(format!(
            "{} is out of range: it must be within ±{}",
            value.normalize(),
            group_thousands(limit)
        ))
    }
}

/// 1000000 as 1,000,000.
fn group_thousands(n: i64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// One raw scenario under validation, and the file its messages name.
pub(super) struct Validator<'a> {
    pub(super) file: &'a Path,
    pub(super) raw: &'a RawScenario,
}

impl Validator<'_> {
    fn err(&self, location: impl fmt::Display, message: impl fmt::Display) -> Error {
        Error::input(self.file.display(), location, message)
    }

    fn money(&self, amount: &Amount, unit: Unit, location: impl fmt::Display) -> Result<Money> {
        Money::from_decimal(amount.0, amount.1.unwrap_or(unit))
            .map_err(|why| self.err(location, format!("\"{}\" {why}", amount.0)))
    }

    fn share(
        &self,
        value: Decimal,
        location: impl fmt::Display,
        lowest_open: bool,
    ) -> Result<Decimal> {
        let ok = if lowest_open {
            value > Decimal::ZERO
        } else {
            value >= Decimal::ZERO
        };
        if ok && value <= Decimal::ONE {
            Ok(value)
        } else {
            let range = if lowest_open {
                "above 0 and at most 1"
            } else {
                "between 0 and 1"
            };
            Err(self.err(
                location,
                format!(
                    "{} is out of range: it must be {range} (0.1 = 10%)",
                    value.normalize()
                ),
            ))
        }
    }

    /// A number that is not money, within `limit` (one of [`limits`]).
    fn plausible(
        &self,
        value: Decimal,
        limit: i64,
        location: impl fmt::Display,
    ) -> Result<Decimal> {
        within(value, limit).map_err(|why| self.err(location, why))
    }

    /// Checks every section in turn; `loaded` is the applications file named by the scenario,
    /// read, and `sources` every file the scenario was read from.
    pub(super) fn build(
        self,
        loaded: Option<(PathBuf, Vec<u8>)>,
        sources: Vec<PathBuf>,
    ) -> Result<Scenario> {
        let raw = self.raw;
        let (pools, pool_index) = self.pools()?;
        let (rounds, round_index) = self.rounds(&pool_index)?;
        let scoring = self.scoring()?;
        let (apps, origin) = self.applications(loaded, &rounds, &scoring)?;
        self.group_limits_apply(&rounds, &apps, &origin)?;
        self.criterion_values(&apps, &scoring.criteria, &origin)?;
        let committee = self.committee(&apps, &round_index, &rounds, &origin)?;
        let lang = self.lang()?;
        let objective = self.objective(&round_index)?;
        Ok(Scenario {
            objective,
            lang,
            unit: raw.scenario.unit,
            currency: None,
            warnings: Vec::new(),
            name: if raw.scenario.name.is_empty() {
                self.file
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or("scenario")
                    .to_string()
            } else {
                raw.scenario.name.clone()
            },
            description: raw.scenario.description.clone(),
            pools,
            rounds,
            scoring,
            committee,
            applications: apps.into(),
            sources,
        })
    }

    /// `[objective]`: round priority names each round once, and at least one.
    fn objective(&self, round_index: &HashMap<String, usize>) -> Result<Objective> {
        use super::schema::RawObjectiveKind;
        let Some(o) = &self.raw.objective else {
            return Ok(Objective::TotalScore);
        };
        match o.kind {
            RawObjectiveKind::TotalScore if o.order.is_empty() => Ok(Objective::TotalScore),
            RawObjectiveKind::TotalScore => Err(self.err(
                "objective.order",
                "is for kind = \"round_priority\"; the total score has no order",
            )),
            RawObjectiveKind::RoundPriority => {
                if o.order.is_empty() {
                    return Err(self.err(
                        "objective.order",
                        "round priority needs the rounds in order, e.g. order = [\"intelligent\", \"major\"]",
                    ));
                }
                let mut order = Vec::new();
                for (i, id) in o.order.iter().enumerate() {
                    let r = *round_index.get(id).ok_or_else(|| {
                        self.err(
                            format!("objective.order[{i}]"),
                            format!(
                                "{id:?} is not a round (rounds: {})",
                                listed(self.raw.rounds.iter().map(|r| r.id.as_str()))
                            ),
                        )
                    })?;
                    if order.contains(&r) {
                        return Err(self.err(
                            format!("objective.order[{i}]"),
                            format!("round {id:?} is listed twice"),
                        ));
                    }
                    order.push(r);
                }
                Ok(Objective::RoundPriority(order))
            }
        }
    }

    fn lang(&self) -> Result<Option<Lang>> {
        let Some(text) = &self.raw.scenario.lang else {
            return Ok(None);
        };
        let lang = Lang::parse(text).ok_or_else(|| {
            self.err(
                "scenario.lang",
                format!("{text:?} is not a language allot writes; use \"zh\" or \"en\""),
            )
        })?;
        Ok(Some(lang))
    }
}

/// A name as written, or the id when none is.
fn name_or_id(name: &str, id: &str) -> String {
    if name.is_empty() { id } else { name }.to_string()
}

/// `a, b, c`: the ids a reference could have named, for the message refusing it.
fn listed<'a>(ids: impl Iterator<Item = &'a str>) -> String {
    ids.collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::fixture::refusal;

    #[test]
    fn an_unknown_language_is_refused() {
        assert_eq!(
            refusal(&[("[[pools]]", "[scenario]\nlang = \"fr\"\n\n[[pools]]")]),
            "s.toml: scenario.lang: \"fr\" is not a language allot writes; use \"zh\" or \"en\""
        );
    }
}
