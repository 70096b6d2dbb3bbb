//! Pabulib `.pb` files — the public library of participatory-budgeting elections — read as a
//! scenario: one pool (META `budget`), one round, one application per project whose subsidy is
//! the project's cost and whose score is its total support counted from the ballots. The optimum
//! of that scenario is the welfare-maximizing selection; [`crate::solve::greedy`] is the rule most cities use.
//!
//! The file is streamed record by record (tens of thousands of ballots are common); every ballot
//! costs time linear in its length. How each irregularity is treated is documented in
//! `docs/pabulib.md`; every refusal names the file, the line and what is wrong.

use super::money::Money;
use super::types::*;
use crate::error::{Error, Result};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::path::Path;
use std::str::FromStr;

/// The round every project of a `.pb` file enters (the scenario has exactly one).
pub const ROUND: &str = "pb";
/// The pool paying for it.
pub const POOL: &str = "budget";
/// The scoring criterion holding a project's support.
pub const CRITERION: &str = "support";

/// How the ballots of a file express support (META `vote_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteType {
    /// Each ballot lists the projects it approves: one point per listing ballot.
    Approval,
    /// Approval ballots limited to one project (counted the same way).
    ChooseOne,
    /// Each ballot splits points among projects (`points` column): the points add up.
    Cumulative,
    /// Each ballot gives each listed project a score (`points` column): the scores add up.
    Scoring,
    /// Each ballot ranks projects, best first: a project at 0-based position i of a ballot
    /// ranking n projects gets n − 1 − i points (pabutools' additive Borda satisfaction).
    Ordinal,
}

impl VoteType {
    fn parse(text: &str) -> Option<VoteType> {
        Some(match text.trim().to_ascii_lowercase().as_str() {
            "approval" => VoteType::Approval,
            "choose-1" => VoteType::ChooseOne,
            "cumulative" => VoteType::Cumulative,
            "scoring" => VoteType::Scoring,
            "ordinal" => VoteType::Ordinal,
            _ => return None,
        })
    }

    /// The name used in `.pb` files.
    pub fn as_str(self) -> &'static str {
        match self {
            VoteType::Approval => "approval",
            VoteType::ChooseOne => "choose-1",
            VoteType::Cumulative => "cumulative",
            VoteType::Scoring => "scoring",
            VoteType::Ordinal => "ordinal",
        }
    }

    fn has_points(self) -> bool {
        matches!(self, VoteType::Cumulative | VoteType::Scoring)
    }
}

/// Reads a `.pb` file into a one-pool, one-round scenario.
pub fn load_pb(path: &Path) -> Result<Scenario> {
    let file = std::fs::File::open(path).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            _ => e.to_string().to_lowercase(),
        };
        Error::input(path.display(), "", why)
    })?;
    read_pb(std::io::BufReader::new(file), path)
}

/// Reads `.pb` text from any reader; `file` names it in messages and in the scenario.
pub fn read_pb(reader: impl Read, file: &Path) -> Result<Scenario> {
    Parser::new(file).run(reader)?.into_scenario(file)
}

/// The section of the file being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Section {
    None,
    Meta,
    Projects,
    Votes,
}

impl Section {
    fn name(self) -> &'static str {
        match self {
            Section::None => "",
            Section::Meta => "META",
            Section::Projects => "PROJECTS",
            Section::Votes => "VOTES",
        }
    }
}

struct Project {
    id: String,
    name: String,
    cost: Money,
    support: Decimal,
    /// Ballots that listed it (for `default_score`).
    listed: u64,
    /// The last ballot that listed it, to find repeats in O(1).
    stamp: u64,
    /// The points that ballot gave it (replaced when the ballot lists it again).
    given: Decimal,
}

/// Where the columns a section needs sit in its header.
#[derive(Default)]
struct Columns {
    width: usize,
    id: usize,
    cost: usize,
    name: Option<usize>,
    vote: usize,
    points: Option<usize>,
    /// `voter_id` in VOTES, named in warnings.
    voter: Option<usize>,
}

struct Parser<'a> {
    file: &'a Path,
    section: Section,
    /// The line of the section marker, for messages about what the section lacks.
    marker_line: HashMap<&'static str, u64>,
    meta: HashMap<String, (String, u64)>,
    vote_type: Option<VoteType>,
    projects: Vec<Project>,
    index: HashMap<String, usize>,
    columns: Columns,
    expect_header: bool,
    ballots: u64,
    /// Projects of the current ordinal ballot, in rank order, without repeats.
    ranking: Vec<usize>,
    /// The first points ballot that listed a project twice, described, and how many did.
    repeats: Option<String>,
    repeating_ballots: u64,
}

/// What a parse yields before it becomes a scenario.
struct Parsed {
    meta: HashMap<String, (String, u64)>,
    vote_type: VoteType,
    budget: Money,
    projects: Vec<Project>,
    ballots: u64,
    warnings: Vec<String>,
}

impl<'a> Parser<'a> {
    fn new(file: &'a Path) -> Parser<'a> {
        Parser {
            file,
            section: Section::None,
            marker_line: HashMap::new(),
            meta: HashMap::new(),
            vote_type: None,
            projects: Vec::new(),
            index: HashMap::new(),
            columns: Columns::default(),
            expect_header: false,
            ballots: 0,
            ranking: Vec::new(),
            repeats: None,
            repeating_ballots: 0,
        }
    }

    fn err(&self, line: u64, message: impl fmt::Display) -> Error {
        let location = if line == 0 {
            String::new()
        } else {
            format!("line {line}")
        };
        Error::input(self.file.display(), location, message)
    }

    fn run(mut self, reader: impl Read) -> Result<Parsed> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .has_headers(false)
            .flexible(true)
            .from_reader(reader);
        let mut record = csv::ByteRecord::new();
        let mut fields: Vec<String> = Vec::new();
        let mut first = true;
        loop {
            let more = reader.read_byte_record(&mut record).map_err(|e| {
                let line = e.position().map_or(0, |p| p.line());
                self.err(line, e.to_string().to_lowercase())
            })?;
            if !more {
                break;
            }
            let line = record.position().map_or(0, |p| p.line());
            fields.clear();
            for (i, raw) in record.iter().enumerate() {
                let raw = if first && i == 0 {
                    raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw)
                } else {
                    raw
                };
                let text = std::str::from_utf8(raw)
                    .map_err(|_| self.err(line, format!("field {} is not UTF-8 text", i + 1)))?;
                fields.push(text.trim().to_string());
            }
            first = false;
            if fields.iter().all(|f| f.is_empty()) {
                continue;
            }
            self.row(&fields, line)?;
        }
        self.finish()
    }

    fn row(&mut self, fields: &[String], line: u64) -> Result<()> {
        let marker = match fields[0].to_ascii_lowercase().as_str() {
            "meta" => Some(Section::Meta),
            "projects" => Some(Section::Projects),
            "votes" => Some(Section::Votes),
            _ => None,
        };
        if let Some(next) = marker.filter(|_| fields[1..].iter().all(|f| f.is_empty())) {
            if self.marker_line.contains_key(next.name()) {
                return Err(self.err(line, format!("a second {} section", next.name())));
            }
            if next < self.section {
                return Err(self.err(
                    line,
                    format!(
                        "{} comes after {}; the sections must be META, PROJECTS, VOTES in this order",
                        next.name(),
                        self.section.name()
                    ),
                ));
            }
            if next == Section::Votes {
                self.before_votes(line)?;
            }
            self.marker_line.insert(next.name(), line);
            self.section = next;
            self.expect_header = true;
            return Ok(());
        }
        if self.expect_header {
            self.expect_header = false;
            return self.header(fields, line);
        }
        match self.section {
            Section::None => Err(self.err(
                line,
                format!(
                    "{:?} comes before any section; a .pb file starts with META",
                    fields[0]
                ),
            )),
            Section::Meta => self.meta_row(fields, line),
            Section::Projects => self.project_row(fields, line),
            Section::Votes => self.ballot(fields, line),
        }
    }

    fn header(&mut self, fields: &[String], line: u64) -> Result<()> {
        let find = |name: &str| fields.iter().position(|f| f.eq_ignore_ascii_case(name));
        let section = self.section.name();
        let need = |name: &str| {
            find(name).ok_or_else(|| {
                self.err(
                    line,
                    format!("the {section} header has no {name:?} column (it reads {fields:?})"),
                )
            })
        };
        match self.section {
            Section::Meta => {}
            Section::Projects => {
                self.columns = Columns {
                    width: fields.len(),
                    id: need("project_id")?,
                    cost: need("cost")?,
                    name: find("name"),
                    ..Columns::default()
                }
            }
            Section::Votes => {
                let vote_type = self.vote_type.expect("read before the VOTES header");
                let points = if vote_type.has_points() {
                    Some(need("points")?)
                } else {
                    None
                };
                self.columns = Columns {
                    width: fields.len(),
                    vote: need("vote")?,
                    points,
                    voter: find("voter_id"),
                    ..Columns::default()
                }
            }
            Section::None => unreachable!("a header follows a section marker"),
        }
        Ok(())
    }

    fn meta_row(&mut self, fields: &[String], line: u64) -> Result<()> {
        if fields.len() < 2 {
            return Err(self.err(
                line,
                format!("META row {:?} has no value (key;value)", fields[0]),
            ));
        }
        // A value holding an unquoted ';' was split by the reader: put it back together.
        let value = fields[1..].join(";").trim_end_matches(';').to_string();
        let key = fields[0].clone();
        if let Some((_, first)) = self.meta.get(&key) {
            return Err(self.err(
                line,
                format!("META key {key:?} is given twice (first on line {first})"),
            ));
        }
        self.meta.insert(key, (value, line));
        Ok(())
    }

    fn width(&self, fields: &[String], line: u64) -> Result<()> {
        if fields.len() > self.columns.width {
            return Err(self.err(
                line,
                format!(
                    "has {} fields where the {} header has {} (a ';' inside a value must be quoted)",
                    fields.len(),
                    self.section.name(),
                    self.columns.width
                ),
            ));
        }
        Ok(())
    }

    fn project_row(&mut self, fields: &[String], line: u64) -> Result<()> {
        self.width(fields, line)?;
        let get = |i: usize| fields.get(i).map(String::as_str).unwrap_or("");
        let id = get(self.columns.id);
        if id.is_empty() {
            return Err(self.err(line, "project_id is empty"));
        }
        let cost_text = get(self.columns.cost);
        let cost = amount(cost_text)
            .ok_or_else(|| self.err(line, format!("cost {cost_text:?} is not an amount")))
            .and_then(|d| {
                Money::from_decimal(d, super::Unit::Yuan).map_err(|why| {
                    self.err(
                        line,
                        format!(
                            "cost {cost_text:?} {}",
                            why.replace("one fen (0.01 yuan)", "a hundredth")
                        ),
                    )
                })
            })?;
        if let Some(&first) = self.index.get(id) {
            return Err(self.err(
                line,
                format!(
                    "project {id:?} is listed twice (first on line {})",
                    self.projects[first].stamp
                ),
            ));
        }
        self.index.insert(id.to_string(), self.projects.len());
        self.projects.push(Project {
            id: id.to_string(),
            name: self.columns.name.map(get).unwrap_or("").to_string(),
            cost,
            support: Decimal::ZERO,
            listed: 0,
            // Until ballots are read, the stamp holds the project's line.
            stamp: line,
            given: Decimal::ZERO,
        });
        Ok(())
    }

    /// Checks what ballots need: a vote type, and projects to vote for.
    fn before_votes(&mut self, line: u64) -> Result<()> {
        if !self.marker_line.contains_key("PROJECTS") {
            return Err(self.err(line, "VOTES comes before any PROJECTS section"));
        }
        let vote_type = self.meta_value("vote_type")?;
        let (text, at) = vote_type;
        self.vote_type = Some(VoteType::parse(&text).ok_or_else(|| {
            self.err(
                at,
                format!(
                    "vote_type {text:?} is not one allot reads (approval, choose-1, cumulative, scoring, ordinal)"
                ),
            )
        })?);
        for p in &mut self.projects {
            p.stamp = 0;
        }
        Ok(())
    }

    fn meta_value(&self, key: &str) -> Result<(String, u64)> {
        match self.meta.get(key) {
            Some((value, line)) if !value.is_empty() => Ok((value.clone(), *line)),
            Some((_, line)) => Err(self.err(*line, format!("META {key} is empty"))),
            None => Err(self.err(
                self.marker_line.get("META").copied().unwrap_or(0),
                format!("META has no {key} (key;value row)"),
            )),
        }
    }

    fn ballot(&mut self, fields: &[String], line: u64) -> Result<()> {
        self.width(fields, line)?;
        self.ballots += 1;
        let ballot = self.ballots;
        let vote_type = self.vote_type.expect("set before ballots");
        let vote = fields
            .get(self.columns.vote)
            .map(String::as_str)
            .unwrap_or("");
        let ids = vote.split(',').map(str::trim).filter(|s| !s.is_empty());
        if let Some(col) = self.columns.points {
            let points_text = fields.get(col).map(String::as_str).unwrap_or("");
            let ids: Vec<&str> = ids.collect();
            let points: Vec<&str> = points_text
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            if ids.len() != points.len() {
                return Err(self.err(
                    line,
                    format!(
                        "the ballot lists {} projects but {} points",
                        ids.len(),
                        points.len()
                    ),
                ));
            }
            let mut repeated = None;
            for (&id, &text) in ids.iter().zip(&points) {
                let p = self.project_of(id, line)?;
                let value = points_value(text, vote_type).map_err(|why| {
                    self.err(line, format!("points {text:?} for project {id:?} {why}"))
                })?;
                let project = &mut self.projects[p];
                if project.stamp == ballot {
                    // pabutools reads a ballot as a map from project to points: a project listed
                    // again takes the points given last.
                    project.support += value - project.given;
                    project.given = value;
                    repeated.get_or_insert(id);
                    continue;
                }
                project.stamp = ballot;
                project.given = value;
                project.listed += 1;
                project.support += value;
            }
            if let Some(id) = repeated {
                self.repeating_ballots += 1;
                if self.repeats.is_none() {
                    let given: Vec<&str> = ids
                        .iter()
                        .zip(&points)
                        .filter(|(i, _)| **i == id)
                        .map(|(_, p)| *p)
                        .collect();
                    let voter = match self.columns.voter.and_then(|c| fields.get(c)) {
                        Some(v) if !v.is_empty() => format!("voter {v:?}"),
                        _ => format!("ballot {ballot}"),
                    };
                    self.repeats = Some(format!(
                        "line {line} ({voter}) lists project {id:?} {} times, with points {}: the last ({}) counts, as in pabutools",
                        given.len(),
                        given.join(", "),
                        given.last().copied().unwrap_or_default()
                    ));
                }
            }
        } else {
            self.ranking.clear();
            for id in ids {
                let p = self.project_of(id, line)?;
                let project = &mut self.projects[p];
                // A ballot is a set: a repeated id counts once (for a ranking, at its first place).
                if project.stamp == ballot {
                    continue;
                }
                project.stamp = ballot;
                project.listed += 1;
                if vote_type == VoteType::Ordinal {
                    self.ranking.push(p);
                } else {
                    project.support += Decimal::ONE;
                }
            }
            let n = self.ranking.len();
            for (i, &p) in self.ranking.iter().enumerate() {
                self.projects[p].support += Decimal::from(n - 1 - i);
            }
        }
        Ok(())
    }

    fn project_of(&self, id: &str, line: u64) -> Result<usize> {
        self.index.get(id).copied().ok_or_else(|| {
            self.err(
                line,
                format!("the ballot names project {id:?}, which is not in PROJECTS"),
            )
        })
    }

    fn finish(self) -> Result<Parsed> {
        for section in [Section::Meta, Section::Projects, Section::Votes] {
            if !self.marker_line.contains_key(section.name()) {
                return Err(self.err(0, format!("no {} section", section.name())));
            }
        }
        if self.projects.is_empty() {
            return Err(self.err(self.marker_line["PROJECTS"], "PROJECTS lists no project"));
        }
        let (text, line) = self.meta_value("budget")?;
        let budget = amount(&text)
            .filter(|d| !d.is_sign_negative() || d.is_zero())
            .ok_or_else(|| {
                self.err(
                    line,
                    format!("budget {text:?} is not an amount of zero or more"),
                )
            })?;
        // Costs are whole hundredths, so a budget finer than that funds exactly what its
        // hundredths fund: round it down.
        let budget = Money::from_yuan(
            budget.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero),
        );
        let mut projects = self.projects;
        if let Some((text, line)) = self
            .meta
            .get("default_score")
            .filter(|(t, _)| !t.is_empty())
        {
            let vote_type = self.vote_type.expect("set before ballots");
            if vote_type != VoteType::Scoring {
                return Err(Error::input(
                    self.file.display(),
                    format!("line {line}"),
                    format!(
                        "default_score is given but vote_type is {}",
                        vote_type.as_str()
                    ),
                ));
            }
            let default = points_value(text, vote_type).map_err(|why| {
                Error::input(
                    self.file.display(),
                    format!("line {line}"),
                    format!("default_score {text:?} {why}"),
                )
            })?;
            for p in &mut projects {
                p.support += default * Decimal::from(self.ballots - p.listed);
            }
        }
        let warnings = self
            .repeats
            .iter()
            .map(|first| {
                let more = match self.repeating_ballots - 1 {
                    0 => String::new(),
                    1 => "; 1 more ballot repeats a project".into(),
                    n => format!("; {n} more ballots repeat a project"),
                };
                format!("{}: {first}{more}", self.file.display())
            })
            .collect();
        Ok(Parsed {
            meta: self.meta,
            vote_type: self.vote_type.expect("set before ballots"),
            budget,
            projects,
            ballots: self.ballots,
            warnings,
        })
    }
}

impl Parsed {
    fn into_scenario(self, file: &Path) -> Result<Scenario> {
        let meta = |key: &str| self.meta.get(key).map(|(v, _)| v.as_str()).unwrap_or("");
        let name = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("pabulib")
            .to_string();
        let currency = match meta("currency") {
            "" => String::new(),
            c => format!(", amounts in {c}"),
        };
        let description = format!(
            "{}{}Pabulib election: {} ballots ({}){currency}",
            meta("description"),
            if meta("description").is_empty() {
                ""
            } else {
                " — "
            },
            self.ballots,
            self.vote_type.as_str(),
        );
        let slots = u32::try_from(self.projects.len())
            .map_err(|_| Error::input(file.display(), "", "more projects than allot can hold"))?;
        let mut applications: Vec<Application> = self
            .projects
            .into_iter()
            .map(|p| Application {
                id: p.id,
                name: p.name,
                rounds: vec![0],
                investment: Investment {
                    equipment: p.cost,
                    ..Investment::default()
                },
                criteria: vec![Some(p.support)],
                ..Application::default()
            })
            .collect();
        applications.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(Scenario {
            name,
            description,
            unit: crate::scenario::Unit::Yuan,
            currency: match meta("currency").trim() {
                "" => None,
                c => Some(c.to_string()),
            },
            warnings: self.warnings,
            objective: Default::default(),
            pools: vec![Pool {
                id: POOL.into(),
                name: POOL.into(),
                budget: self.budget,
                pro_rata_floor: None,
            }],
            // Subsidy = 1 × cost, exact to the hundredth; every project may win (no size limit).
            rounds: vec![Round {
                id: ROUND.into(),
                name: match meta("description") {
                    "" => ROUND.into(),
                    d => d.to_string(),
                },
                pool: 0,
                max_projects: slots,
                min_projects: None,
                min_amount: None,
                min_score_total: None,
                group_limits: Vec::new(),
                eligibility: Eligibility::default(),
                subsidy: SubsidyRule {
                    rate: Some(Decimal::ONE),
                    investment: vec![InvestmentField::Equipment],
                    rounding: Rounding::Fen,
                    ..SubsidyRule::default()
                },
            }],
            // One criterion, weight 1, taken as it is: the score is the support itself.
            scoring: Scoring {
                criteria: vec![Criterion {
                    id: CRITERION.into(),
                    name: CRITERION.into(),
                    weight: Decimal::ONE,
                    direction: Direction::Benefit,
                    normalization: Normalization::AsIs,
                    interval: None,
                    range: None,
                    panel: None,
                }],
                bonus: Vec::new(),
            },
            committee: Committee::default(),
            applications: applications.into(),
            sources: vec![file.to_path_buf()],
            lang: None,
        })
    }
}

/// A cost or budget: digits with at most one decimal mark, `.` or `,` (pabutools reads `,` as
/// the decimal mark too). No sign, no thousands separators, no exponent.
fn amount(text: &str) -> Option<Decimal> {
    let t = text.replace(',', ".");
    plain_decimal(&t, false)
}

/// Points of a cumulative or scoring ballot: a decimal with at most 4 places (scores are kept to
/// 4 decimals); negative only on scoring ballots.
fn points_value(text: &str, vote_type: VoteType) -> std::result::Result<Decimal, &'static str> {
    let value = plain_decimal(text, true).ok_or("is not a number")?;
    if value.normalize().scale() > 4 {
        return Err("has more than 4 decimal places");
    }
    if vote_type != VoteType::Scoring && value.is_sign_negative() && !value.is_zero() {
        return Err("is negative; cumulative points must be zero or more");
    }
    Ok(value)
}

fn plain_decimal(text: &str, signed: bool) -> Option<Decimal> {
    let digits = if signed {
        text.strip_prefix('-').unwrap_or(text)
    } else {
        text
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let ok = !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !(digits.ends_with('.'));
    if !ok {
        return None;
    }
    Decimal::from_str(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Scenario> {
        read_pb(text.as_bytes(), Path::new("t.pb"))
    }

    fn support(s: &Scenario, id: &str) -> Decimal {
        let a = s.applications.iter().find(|a| a.id == id).unwrap();
        a.criteria[0].unwrap()
    }

    const HEAD: &str = "META\nkey;value\nbudget;100\nvote_type;";

    #[test]
    fn approval_counts_each_ballot_once_per_project() {
        let s = read(&format!(
            "{HEAD}approval\nPROJECTS\nproject_id;cost\n1;60\n2;50\nVOTES\nvoter_id;vote\n1;1,2,1\n2;2\n"
        ))
        .unwrap();
        assert_eq!(support(&s, "1"), Decimal::from(1));
        assert_eq!(support(&s, "2"), Decimal::from(2));
        assert_eq!(s.pools[0].budget.yuan(), Decimal::from(100));
    }

    #[test]
    fn ordinal_ballots_give_borda_points() {
        // Ballot 1 ranks 3 > 1 > 2: 2, 1, 0 points; ballot 2 ranks 2 > 3 (repeat of 2 dropped).
        let s = read(&format!(
            "{HEAD}ordinal\nPROJECTS\nproject_id;cost\n1;10\n2;10\n3;10\nVOTES\nvoter_id;vote\n1;3,1,2\n2;2,2,3\n"
        ))
        .unwrap();
        assert_eq!(support(&s, "3"), Decimal::from(2));
        assert_eq!(support(&s, "1"), Decimal::from(1));
        assert_eq!(support(&s, "2"), Decimal::from(1));
    }

    #[test]
    fn amounts_accept_one_decimal_mark() {
        assert_eq!(amount("4000.0"), Some(Decimal::from(4000)));
        assert_eq!(amount("12,5"), Some(Decimal::new(125, 1)));
        assert_eq!(amount("1,000,000"), None);
        assert_eq!(amount("-5"), None);
        assert_eq!(amount("1e5"), None);
        assert_eq!(amount("5."), None);
    }

    #[test]
    fn greedy_breaks_score_ties_by_id_not_by_cost() {
        // 10 and 9 tie on support; "10" < "9" as strings, so 10 (the dearer) is tried first.
        let s = read(&format!(
            "{HEAD}approval\nPROJECTS\nproject_id;cost\n9;40\n10;70\n8;30\nVOTES\nvoter_id;vote\n1;9,10\n2;9,10,8\n"
        ))
        .unwrap();
        let evaluation = crate::rules::evaluate(&s);
        let ids: Vec<&str> = crate::solve::greedy(&s, &evaluation)
            .funded
            .iter()
            .map(|&c| s.applications[evaluation.candidates[c].project].id.as_str())
            .collect();
        assert_eq!(ids, ["10", "8"]);
        // Rank-and-cut gives the tie to the cheaper project.
        let rank_and_cut = crate::solve::rank_and_cut(&s, &evaluation).funded;
        assert_eq!(rank_and_cut.len(), 2);
        assert_ne!(rank_and_cut, crate::solve::greedy(&s, &evaluation).funded);
    }
}
