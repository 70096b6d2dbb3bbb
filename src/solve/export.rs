//! Audit export: the integer program of `docs/model.md` written as CPLEX-LP or free-MPS text, so an
//! auditor can re-solve a round with any MIP solver (HiGHS, CBC, glpsol …) and find the same
//! optimal total score as `allot solve`.
//!
//! It is the plain model over every eligible candidate — no dominance reduction, no perturbed
//! objective, no tie-break stages — with the rows the solver enforces (see `program.rs`,
//! `verify.rs`), readable names (`x_P017_major`, `pool_key`, `one_award_P017` …) and every
//! coefficient written exactly from `Decimal`. [`model`] builds the program once; [`Model::lp`]
//! and [`Model::mps`] print the same program in either format.

use super::constraints::{constraints, Constraint, Kind};
use crate::error::{Error, Result};
use crate::rules::Evaluation;
use crate::scenario::{DependencyKind, Scenario};
use rust_decimal::Decimal;
use std::collections::HashSet;
use std::fmt::Write;

/// Longest kept part of a name (an id, an attribute value …); longer parts are cut and marked
/// renamed, keeping whole names far below the formats' limits (255 characters in CPLEX-LP).
const MAX_PART: usize = 48;

/// The unit of the money coefficients in the pool rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyUnit {
    /// Whole yuan: every rule amount is a whole number of yuan (the policy's rounding).
    Yuan,
    /// Fen (0.01 yuan): some rule amount has fen (a round with `rounding = "fen"`).
    Fen,
}

impl MoneyUnit {
    /// How many of this unit make one yuan.
    pub fn per_yuan(self) -> Decimal {
        match self {
            MoneyUnit::Yuan => Decimal::ONE,
            MoneyUnit::Fen => Decimal::ONE_HUNDRED,
        }
    }

    /// The unit's name, as the file header states it.
    pub fn name(self) -> &'static str {
        match self {
            MoneyUnit::Yuan => "yuan",
            MoneyUnit::Fen => "fen",
        }
    }
}

/// How a row's left side compares with its right side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sense {
    /// At most.
    AtMost,
    /// At least (a round's floor).
    AtLeast,
    /// Exactly.
    Equal,
}

/// A binary variable: fund one candidate (an eligible (project, round) pair).
#[derive(Debug, Clone)]
pub struct Column {
    /// The name in the files (`x_P017_major`).
    pub name: String,
    /// Index into [`Evaluation::candidates`].
    pub candidate: usize,
    /// Objective coefficient: the candidate's score, in points.
    pub score: Decimal,
}

/// A constraint row.
#[derive(Debug, Clone)]
pub struct Row {
    /// The name in the files (`pool_key`).
    pub name: String,
    /// ≤ or =.
    pub sense: Sense,
    /// (column index, coefficient), each column once, no zero coefficients; in column order,
    /// except that a dependency lists the dependent project's columns first.
    pub terms: Vec<(usize, Decimal)>,
    /// The right-hand side.
    pub rhs: Decimal,
}

/// The program as the files state it.
#[derive(Debug, Clone)]
pub struct Model {
    /// The money unit of the pool rows.
    pub unit: MoneyUnit,
    /// One per eligible candidate, in candidate order (project id, then round order).
    pub columns: Vec<Column>,
    /// The constraints: pools, round sizes, group limits, one award, locks, exclusions,
    /// dependencies, the enterprise limit.
    pub rows: Vec<Row>,
    /// Comment text opening each file (one comment line per text line): scenario, objective,
    /// units, pools, renamed names.
    pub header: Vec<String>,
}

/// Builds the audit model of a scenario. Fails (infeasible) only when a must-fund lock names a
/// pair that has no variable — one that is not eligible — or a round with a floor has no
/// candidate, since no file can state that lock or floor.
pub fn model(scenario: &Scenario, evaluation: &Evaluation) -> Result<Model> {
    let s = scenario;
    let cands = &evaluation.candidates;
    for lock in &s.committee.must_fund {
        if !cands
            .iter()
            .any(|c| c.project == lock.project && c.round == lock.round)
        {
            // The solver's own check names the conflict in the same words.
            super::diagnose::check_locks(s, evaluation, true)?;
            return Err(Error::Infeasible(format!(
                "must-fund {} in {} is not an eligible pair",
                s.applications[lock.project].id, s.rounds[lock.round].id
            )));
        }
    }
    // A floor on a round without candidates would be a row with no variable, which the formats
    // cannot state either; the solver's check names it (it fails on such a round).
    let bare = s
        .rounds
        .iter()
        .enumerate()
        .any(|(r, round)| round.has_floor() && !cands.iter().any(|c| c.round == r));
    if bare {
        super::diagnose::check_floors(s, evaluation)?;
    }
    let unit = if cands.iter().all(|c| c.subsidy.yuan().fract().is_zero()) {
        MoneyUnit::Yuan
    } else {
        MoneyUnit::Fen
    };
    let mut names = Names::default();

    let columns: Vec<Column> = cands
        .iter()
        .enumerate()
        .map(|(c, cand)| Column {
            name: names.name(
                "x",
                &[project(s, cand.project), round(s, cand.round)],
                || {
                    format!(
                        "project {:?} in round {:?}",
                        s.applications[cand.project].id, s.rounds[cand.round].id
                    )
                },
            ),
            candidate: c,
            score: cand.score,
        })
        .collect();

    let mut header = vec![
        format!("allot audit export of scenario {:?}", one_line(&s.name)),
        "The integer program of docs/model.md over every eligible (project, round) pair: no dominance"
            .into(),
        "reduction, no perturbed objective, no tie-break stages.".into(),
        "Variables: x_<project>_<round> = 1 funds the project in that round (binary).".into(),
        "Objective: the total score, sum of score * x; scores are points with 4 decimals, so the"
            .into(),
        "optimum is a multiple of 0.0001: solve to a relative gap of 0 (HiGHS: mip_rel_gap = 0)."
            .into(),
        format!(
            "Money: rule amounts before any pro-rata scaling, in {}.",
            unit.name()
        ),
        "Rows: pool_<pool> budget; size_<round> round size; group_<round>_<attribute>_<value>"
            .into(),
        "group limit; one_award_<project>; lock_<project>_<round> must fund; exclude_<project>;"
            .into(),
        "requires_<project>_<other> / excludes_<project>_<other> dependencies;".into(),
        "enterprise_<enterprise> per-enterprise limit. One-award, group and enterprise rows are"
            .into(),
        "written only where they can bind (more candidates than the limit). Qualifying scores and"
            .into(),
        "every other eligibility rule are already applied: ineligible pairs have no variable."
            .into(),
    ];

    if s.rounds.iter().any(|r| r.has_floor()) {
        header.push(
            "Round floors: min_projects_<round> at least so many funded projects; min_amount_<round>\n\
             at least so much money (rule amounts, before any pro-rata scaling)."
                .into(),
        );
    }
    if let crate::scenario::Objective::RoundPriority(order) = &s.objective {
        let ids: Vec<&str> = order.iter().map(|&r| s.rounds[r].id.as_str()).collect();
        header.push(format!(
            "The scenario's objective is round priority ({}, then the other rounds): this file\n\
             states the plain total score. To re-solve it, maximize each listed round's score in\n\
             turn (the objective restricted to its x), adding `score of that round >= its optimum`\n\
             before the next; the certificate's objective.levels holds those optima.",
            ids.join(", then ")
        ));
    }
    // The one list of constraints (constraints.rs), printed kind by kind in this order: pools,
    // round sizes, round floors, group limits, one award, locks, exclusions, dependencies,
    // enterprises.
    let list = constraints(s, evaluation);
    let order: [fn(&Kind) -> bool; 9] = [
        |k| matches!(k, Kind::Pool { .. }),
        |k| matches!(k, Kind::Size { .. }),
        |k| matches!(k, Kind::FloorProjects { .. } | Kind::FloorAmount { .. }),
        |k| matches!(k, Kind::Group { .. }),
        |k| matches!(k, Kind::OneAward { .. }),
        |k| matches!(k, Kind::Lock { .. }),
        |k| matches!(k, Kind::Exclude { .. }),
        |k| matches!(k, Kind::Dependency { .. }),
        |k| matches!(k, Kind::Enterprise { .. }),
    ];
    let mut writer = Writer {
        s,
        unit,
        names: &mut names,
        header: &mut header,
        group: (None, 0),
        enterprises: 0,
    };
    let rows: Vec<Row> = order
        .iter()
        .flat_map(|wanted| list.iter().filter(|c| wanted(&c.kind)))
        .filter_map(|constraint| writer.row(constraint))
        .collect();
    if !names.renamed.is_empty() {
        header.push(
            "Names changed to fit the formats (ASCII letters, digits and _ only; a part with no\n\
             such character left is its 1-based position; a repeated name gets _2, _3 ...):"
                .into(),
        );
        for (name, what) in &names.renamed {
            header.push(format!("  {name} = {}", one_line(what)));
        }
    }
    Ok(Model {
        unit,
        columns,
        rows,
        header,
    })
}

/// A project's part of a name.
fn project(s: &Scenario, p: usize) -> Part<'_> {
    Part::new(&s.applications[p].id, p + 1)
}

/// A round's part of a name.
fn round(s: &Scenario, r: usize) -> Part<'_> {
    Part::new(&s.rounds[r].id, r + 1)
}

/// Turns the constraints into named rows, one kind after another.
struct Writer<'a> {
    s: &'a Scenario,
    unit: MoneyUnit,
    names: &'a mut Names,
    header: &'a mut Vec<String>,
    /// The (round, limit) of the last group row seen and the position of its value.
    group: (Option<(usize, usize)>, usize),
    /// Enterprise rows seen.
    enterprises: usize,
}

impl Writer<'_> {
    /// The row of `constraint`, or `None` where it cannot bind (one-award, group and enterprise
    /// rows with no more candidates than the limit; dependencies without a candidate).
    fn row(&mut self, constraint: &Constraint) -> Option<Row> {
        let s = self.s;
        let at_most = |name: String| Row {
            name,
            sense: Sense::AtMost,
            terms: constraint.terms.clone(),
            rhs: constraint.rhs,
        };
        // A floor is stored negated (Σ −a·x ≤ −least); the files state it as written:
        // Σ a·x ≥ least, money in the files' unit (`per`), a zero coefficient left out.
        let at_least = |name: String, per: Decimal| Row {
            name,
            sense: Sense::AtLeast,
            terms: constraint
                .terms
                .iter()
                .map(|&(i, a)| (i, -a * per))
                .filter(|(_, a)| !a.is_zero())
                .collect(),
            rhs: -constraint.rhs * per,
        };
        let can_bind = Decimal::from(constraint.terms.len()) > constraint.rhs;
        match constraint.kind {
            Kind::Pool { pool } => Some(self.pool(constraint, pool)),
            Kind::Size { round: r } => {
                let name = self.names.name("size", &[round(s, r)], || {
                    format!("round {:?}", s.rounds[r].id)
                });
                Some(at_most(name))
            }
            Kind::Group {
                round: r,
                limit: g,
                ref value,
            } => {
                // A value's part falls back on its position among the values of its limit.
                self.group = match self.group {
                    (Some(at), v) if at == (r, g) => (Some(at), v + 1),
                    _ => (Some((r, g)), 0),
                };
                if !can_bind {
                    return None;
                }
                let limit = &s.rounds[r].group_limits[g];
                let parts = [
                    round(s, r),
                    Part::new(&limit.attribute, g + 1),
                    Part::new(value, self.group.1 + 1),
                ];
                let name = self.names.name("group", &parts, || {
                    format!(
                        "round {:?}, {} {:?}",
                        s.rounds[r].id, limit.attribute, value
                    )
                });
                Some(at_most(name))
            }
            Kind::FloorProjects { round: r } => {
                let name = self.names.name("min_projects", &[round(s, r)], || {
                    format!("round {:?}", s.rounds[r].id)
                });
                Some(at_least(name, Decimal::ONE))
            }
            Kind::FloorAmount { round: r } => {
                let name = self.names.name("min_amount", &[round(s, r)], || {
                    format!("round {:?}", s.rounds[r].id)
                });
                Some(at_least(name, self.unit.per_yuan()))
            }
            // A level of the round-priority objective, set by the solver on its own copy of the
            // scenario; a scenario read from a file has none (the header says how to re-solve).
            Kind::FloorScore { .. } => None,
            Kind::OneAward { project: p } => {
                let name = self.names.name("one_award", &[project(s, p)], || {
                    format!("project {:?}", s.applications[p].id)
                });
                Some(at_most(name))
            }
            Kind::Lock { index } => {
                let lock = &s.committee.must_fund[index];
                let parts = [project(s, lock.project), round(s, lock.round)];
                let name = self.names.name("lock", &parts, || {
                    format!(
                        "must fund project {:?} in round {:?}",
                        s.applications[lock.project].id, s.rounds[lock.round].id
                    )
                });
                Some(Row {
                    sense: Sense::Equal,
                    ..at_most(name)
                })
            }
            Kind::Exclude { project: p } => {
                let name = self.names.name("exclude", &[project(s, p)], || {
                    format!("excluded project {:?}", s.applications[p].id)
                });
                Some(Row {
                    sense: Sense::Equal,
                    ..at_most(name)
                })
            }
            Kind::Dependency { index } => {
                if constraint.terms.is_empty() {
                    return None;
                }
                let d = &s.committee.dependencies[index];
                let kind = match d.kind {
                    DependencyKind::Requires => "requires",
                    DependencyKind::Excludes => "excludes",
                };
                let parts = [project(s, d.project), project(s, d.other)];
                let name = self.names.name(kind, &parts, || {
                    format!(
                        "{kind}: project {:?}, other {:?}",
                        s.applications[d.project].id, s.applications[d.other].id
                    )
                });
                Some(at_most(name))
            }
            Kind::Enterprise { ref enterprise } => {
                self.enterprises += 1;
                if !can_bind {
                    return None;
                }
                let part = Part::new(enterprise, self.enterprises);
                let name = self.names.name("enterprise", &[part], || {
                    format!("enterprise {enterprise:?}")
                });
                Some(at_most(name))
            }
        }
    }

    /// A pool's budget row, in rule amounts (a pro-rata pool may commit budget / floor), and
    /// its line in the header.
    fn pool(&mut self, constraint: &Constraint, q: usize) -> Row {
        let (s, unit) = (self.s, self.unit);
        let pool = &s.pools[q];
        let limit = constraint.rhs * unit.per_yuan();
        // The amounts are whole units, so ≤ limit is ≤ ⌊limit⌋ (as the solver writes it).
        let rhs = limit.floor();
        let name = self.names.name("pool", &[Part::new(&pool.id, q + 1)], || {
            format!("pool {:?}", pool.id)
        });
        let budget = (pool.budget.yuan() * unit.per_yuan()).normalize();
        let (u, whole) = (unit.name(), rhs.normalize());
        self.header.push(match pool.pro_rata_floor {
            None if rhs == limit => format!("{name}: budget {budget} {u}"),
            None => format!(
                "{name}: budget {budget} {u}; the amounts are whole {u}, so at most {whole}"
            ),
            Some(phi) => format!(
                "{name}: budget {budget} {u}, pro rata with floor {}: rule amounts may total\n  \
                 budget / floor = {}, so at most {whole} {u};\n  \
                 each funded project is then paid budget / total of its amount, rounded down to\n  \
                 the yuan (payments are not in the model)",
                phi.normalize(),
                limit.normalize(),
            ),
        });
        Row {
            name,
            sense: Sense::AtMost,
            terms: constraint
                .terms
                .iter()
                .map(|&(i, a)| (i, a * unit.per_yuan()))
                .filter(|(_, a)| !a.is_zero())
                .collect(),
            rhs,
        }
    }
}

/// Text on one line (names and ids could hold line breaks, which would end a comment).
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// One part of a name: the original text, and its position to fall back on when no usable
/// character is left.
struct Part<'a> {
    text: &'a str,
    position: usize,
}

impl<'a> Part<'a> {
    fn new(text: &'a str, position: usize) -> Part<'a> {
        Part { text, position }
    }
}

/// Keeps ASCII letters, digits and `_` (what both formats and every reader accept); each run of
/// other characters becomes one `_`, and such `_` are trimmed from the ends. Returns the result
/// and whether anything changed.
fn sanitize(text: &str) -> (String, bool) {
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut replaced = false;
    for ch in text.chars() {
        if ch.is_ascii_alphanumeric() || ch == '_' {
            out.push(ch);
            replaced = false;
        } else {
            changed = true;
            if !replaced {
                out.push('_');
                replaced = true;
            }
        }
    }
    if changed {
        out = out.trim_matches('_').to_string();
    }
    if out.len() > MAX_PART {
        out.truncate(MAX_PART);
        changed = true;
    }
    (out, changed)
}

/// Hands out unique names and remembers the ones that differ from the original text.
#[derive(Default)]
struct Names {
    used: HashSet<String>,
    renamed: Vec<(String, String)>,
}

impl Names {
    /// `prefix_part_part…`, each part sanitized (its position when nothing is left), made unique
    /// with `_2`, `_3` …; a changed name is noted with `describe()`.
    fn name(&mut self, prefix: &str, parts: &[Part], describe: impl FnOnce() -> String) -> String {
        let mut base = prefix.to_string();
        let mut changed = false;
        for part in parts {
            let (clean, lossy) = sanitize(part.text);
            base.push('_');
            if clean.is_empty() {
                let _ = write!(base, "{}", part.position);
                changed = true;
            } else {
                base.push_str(&clean);
                changed |= lossy;
            }
        }
        let mut name = base.clone();
        let mut k = 2;
        while self.used.contains(&name) {
            name = format!("{base}_{k}");
            k += 1;
            changed = true;
        }
        self.used.insert(name.clone());
        if changed {
            self.renamed.push((name.clone(), describe()));
        }
        name
    }
}

/// An exact decimal as the files write it: no exponent, no trailing zeros.
fn number(d: Decimal) -> String {
    let d = d.normalize();
    if d.is_zero() {
        "0".into()
    } else {
        d.to_string()
    }
}

/// Lines of the LP file are wrapped past this width (readers accept far longer lines; CPLEX's
/// limit is 560 characters, and one term is at most about 120).
const LINE_WIDTH: usize = 100;

impl Model {
    /// The program in CPLEX-LP format: maximize the total score.
    pub fn lp(&self) -> String {
        let mut out = String::new();
        for line in self.header.iter().flat_map(|h| h.lines()) {
            let _ = writeln!(out, "\\ {line}");
        }
        out.push_str("Maximize\n total_score:");
        let objective: Vec<(usize, Decimal)> = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| (i, c.score))
            .collect();
        self.lp_terms(&mut out, &objective, true);
        out.push_str("\nSubject To\n");
        for row in &self.rows {
            let _ = write!(out, " {}:", row.name);
            self.lp_terms(&mut out, &row.terms, false);
            let sense = match row.sense {
                Sense::AtMost => "<=",
                Sense::AtLeast => ">=",
                Sense::Equal => "=",
            };
            let _ = writeln!(out, " {sense} {}", number(row.rhs));
        }
        if !self.columns.is_empty() {
            out.push_str("Binary\n");
            for chunk in self.columns.chunks(4) {
                let names: Vec<&str> = chunk.iter().map(|c| c.name.as_str()).collect();
                let _ = writeln!(out, " {}", names.join(" "));
            }
        }
        out.push_str("End\n");
        out
    }

    /// Writes `+ 3 x_a - x_b …`, starting a new line past [`LINE_WIDTH`] characters; zero
    /// coefficients are kept when `keep_zero` (every variable appears in the objective, so every
    /// reader declares it).
    fn lp_terms(&self, out: &mut String, terms: &[(usize, Decimal)], keep_zero: bool) {
        let mut line = out.len() - out.rfind('\n').map_or(0, |i| i + 1);
        let mut first = true;
        for &(i, c) in terms {
            if c.is_zero() && !keep_zero {
                continue;
            }
            let mut term = String::new();
            let negative = c.is_sign_negative() && !c.is_zero();
            if negative {
                term.push_str("- ");
            } else if !first {
                term.push_str("+ ");
            }
            if c.abs() != Decimal::ONE {
                let _ = write!(term, "{} ", number(c.abs()));
            }
            term.push_str(&self.columns[i].name);
            if !first && line + 1 + term.len() > LINE_WIDTH {
                out.push_str("\n  ");
                line = 2;
            }
            out.push(' ');
            out.push_str(&term);
            line += 1 + term.len();
            first = false;
        }
    }

    /// The program in free MPS format. MPS minimizes, so the objective row `minus_score` holds
    /// the negated scores: its optimum is minus the total score.
    pub fn mps(&self) -> String {
        let mut out = String::new();
        for line in self.header.iter().flat_map(|h| h.lines()) {
            let _ = writeln!(out, "* {line}");
        }
        out.push_str(
            "* MPS minimizes: the objective row minus_score is -(sum of score * x); its optimum is\n\
             * minus the total score.\n",
        );
        out.push_str("NAME allot\nROWS\n N  minus_score\n");
        for row in &self.rows {
            let sense = match row.sense {
                Sense::AtMost => 'L',
                Sense::AtLeast => 'G',
                Sense::Equal => 'E',
            };
            let _ = writeln!(out, " {sense}  {}", row.name);
        }
        let mut entries: Vec<Vec<(usize, Decimal)>> = vec![Vec::new(); self.columns.len()];
        for (r, row) in self.rows.iter().enumerate() {
            for &(i, c) in &row.terms {
                entries[i].push((r, c));
            }
        }
        out.push_str("COLUMNS\n");
        if !self.columns.is_empty() {
            out.push_str("    MARKER  'MARKER'  'INTORG'\n");
        }
        for (column, entries) in self.columns.iter().zip(&entries) {
            let _ = writeln!(
                out,
                "    {}  minus_score  {}",
                column.name,
                number(-column.score)
            );
            for &(r, c) in entries {
                let _ = writeln!(
                    out,
                    "    {}  {}  {}",
                    column.name,
                    self.rows[r].name,
                    number(c)
                );
            }
        }
        if !self.columns.is_empty() {
            out.push_str("    MARKER  'MARKER'  'INTEND'\n");
        }
        out.push_str("RHS\n");
        for row in self.rows.iter().filter(|r| !r.rhs.is_zero()) {
            let _ = writeln!(out, "    RHS  {}  {}", row.name, number(row.rhs));
        }
        out.push_str("BOUNDS\n");
        for column in &self.columns {
            let _ = writeln!(out, " UP BND  {}  1", column.name);
        }
        out.push_str("ENDATA\n");
        out
    }

    /// The candidate a column name stands for.
    pub fn candidate(&self, name: &str) -> Option<usize> {
        self.columns
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.candidate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{from_toml_str, Money};

    fn scenario(committee: &str, projects: &str) -> Scenario {
        let text = format!(
            r#"
[scenario]
name = "t"
[[pools]]
id = "main"
budget = "1000"
[[pools]]
id = "cut"
budget = "1000"
pro_rata_floor = "0.3"
[[rounds]]
id = "a"
pool = "main"
max_projects = 2
group_limits = [{{ attribute = "industry", max = 1 }}]
[rounds.subsidy]
rate = "0.1"
[[rounds]]
id = "b"
pool = "cut"
max_projects = 3
[rounds.subsidy]
rate = "0.1"
[scoring]
criteria = [{{ id = "q", weight = "1" }}]
[committee]
{committee}
[applications]
unit = "yuan"
{projects}
"#
        );
        from_toml_str(&text, "t.toml").expect("a valid test scenario")
    }

    fn project(id: &str, industry: &str, enterprise: &str, rounds: &str, q: u32) -> String {
        format!(
            "[[applications.projects]]\nid = \"{id}\"\nindustry = \"{industry}\"\nenterprise = \"{enterprise}\"\nrounds = [{rounds}]\nequipment = \"5000\"\nscores = {{ q = \"{q}.25\" }}\n"
        )
    }

    #[test]
    fn sanitize_keeps_plain_ids_and_marks_changes() {
        assert_eq!(sanitize("P017"), ("P017".into(), false));
        assert_eq!(sanitize("_a_"), ("_a_".into(), false));
        assert_eq!(sanitize("P-017"), ("P_017".into(), true));
        assert_eq!(sanitize("智能装备"), (String::new(), true));
        assert_eq!(sanitize("A类 项目"), ("A".into(), true));
        assert_eq!(sanitize(&"x".repeat(60)).0.len(), MAX_PART);
    }

    #[test]
    fn names_stay_unique_after_sanitizing() {
        let mut names = Names::default();
        let a = names.name("x", &[Part::new("P-1", 1)], String::new);
        let b = names.name("x", &[Part::new("P_1", 2)], String::new);
        let c = names.name("x", &[Part::new("智能", 3)], String::new);
        let d = names.name("x", &[Part::new("装备", 3)], String::new);
        assert_eq!([a, b, c, d], ["x_P_1", "x_P_1_2", "x_3", "x_3_2"]);
        // Only the changed ones are listed: "P-1", the second "P_1" and both Chinese names.
        assert_eq!(names.renamed.len(), 4);
    }

    #[test]
    fn every_constraint_kind_gets_a_named_row() {
        let projects = [
            project("P1", "智能装备", "甲", "\"a\", \"b\"", 50),
            project("P2", "智能装备", "甲", "\"a\"", 60),
            project("P3", "新材料", "乙", "\"b\"", 70),
            project("P-4", "新材料", "甲", "\"b\"", 40),
        ]
        .concat();
        let committee = r#"enterprise_limit = 1
must_fund = [{ project = "P3", round = "b" }]
exclude = ["P-4"]
dependencies = [{ kind = "requires", project = "P2", other = "P3" }, { kind = "excludes", project = "P1", other = "P3" }]"#;
        let s = scenario(committee, &projects);
        let e = crate::rules::evaluate(&s);
        let m = model(&s, &e).unwrap();
        let columns: Vec<&str> = m.columns.iter().map(|c| c.name.as_str()).collect();
        // Candidates in project id order: "P-4" sorts before "P1".
        assert_eq!(columns, ["x_P_4_b", "x_P1_a", "x_P1_b", "x_P2_a", "x_P3_b"]);
        let rows: Vec<&str> = m.rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            rows,
            [
                "pool_main",
                "pool_cut",
                "size_a",
                "size_b",
                "group_a_industry_1",
                "one_award_P1",
                "lock_P3_b",
                "exclude_P_4",
                "requires_P2_P3",
                "excludes_P1_P3",
                "enterprise_2",
            ]
        );
        assert_eq!(m.unit, MoneyUnit::Yuan);
        // The pro-rata pool may commit 1000 / 0.3 = 3333.33… yuan of whole-yuan amounts.
        assert_eq!(m.rows[1].rhs, Decimal::from(3333));
        let lp = m.lp();
        assert!(
            lp.contains(" total_score: 40.25 x_P_4_b + 50.25 x_P1_a + 50.25 x_P1_b + 60.25 x_P2_a"),
            "{lp}"
        );
        assert!(
            lp.contains(" requires_P2_P3: x_P2_a - x_P3_b <= 0\n"),
            "{lp}"
        );
        assert!(lp.contains(" lock_P3_b: x_P3_b = 1\n"), "{lp}");
        assert!(
            lp.contains(" pool_main: 500 x_P1_a + 500 x_P2_a <= 1000\n"),
            "{lp}"
        );
        assert!(lp.contains("\\   group_a_industry_1 = round \"a\", industry \"智能装备\""));
        let mps = m.mps();
        assert!(mps.contains("    x_P2_a  minus_score  -60.25\n"), "{mps}");
        assert!(mps.contains("    RHS  pool_cut  3333\n"), "{mps}");
        assert!(mps.contains(" E  exclude_P_4\n"), "{mps}");
    }

    #[test]
    fn round_floors_are_written_as_at_least_rows() {
        let projects = [
            project("P1", "智能装备", "甲", "\"a\"", 50),
            project("P2", "新材料", "乙", "\"a\"", 60),
        ]
        .concat();
        let text = scenario("", &projects);
        let mut s = text;
        s.rounds[0].min_projects = Some(1);
        s.rounds[0].min_amount = Some(Money::from_yuan(Decimal::from(600)));
        let e = crate::rules::evaluate(&s);
        let m = model(&s, &e).unwrap();
        let lp = m.lp();
        assert!(
            lp.contains(" min_projects_a: x_P1_a + x_P2_a >= 1\n"),
            "{lp}"
        );
        assert!(
            lp.contains(" min_amount_a: 500 x_P1_a + 500 x_P2_a >= 600\n"),
            "{lp}"
        );
        assert!(lp.contains("Round floors: min_projects_<round>"), "{lp}");
        let mps = m.mps();
        assert!(mps.contains(" G  min_projects_a\n"), "{mps}");
        assert!(mps.contains("    RHS  min_amount_a  600\n"), "{mps}");
    }

    #[test]
    fn fen_amounts_switch_the_money_unit() {
        let projects = project("P1", "i", "e", "\"a\"", 1).replace("\"5000\"", "\"5000.3\"");
        let text = scenario("", &projects);
        let mut s = text;
        s.rounds[0].subsidy.rounding = crate::scenario::Rounding::Fen;
        let e = crate::rules::evaluate(&s);
        let m = model(&s, &e).unwrap();
        assert_eq!(m.unit, MoneyUnit::Fen);
        // 10 % of 5000.30 yuan = 500.03 yuan = 50003 fen; the budget 1000 yuan = 100000 fen.
        assert!(
            m.lp().contains(" pool_main: 50003 x_P1_a <= 100000\n"),
            "{}",
            m.lp()
        );
    }

    #[test]
    fn a_lock_on_an_ineligible_pair_cannot_be_written() {
        let projects = project("P1", "i", "e", "\"a\"", 1);
        let mut s = scenario("", &projects);
        s.committee.must_fund.push(crate::scenario::Lock {
            project: 0,
            round: 1,
        });
        let e = crate::rules::evaluate(&s);
        assert!(matches!(model(&s, &e), Err(Error::Infeasible(_))));
    }
}
