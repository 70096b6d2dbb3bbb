//! Reading a scenario file (TOML or JSON, one serde schema) into validated [`Scenario`] values.
//! All references are resolved here so that later stages index without failing, and every message
//! names the file and the key or row at fault.

use super::applications::{self, RawApplication};
use super::money::{Amount, Money, Unit};
use super::types::*;
use super::workbook;
use crate::error::{Error, Result};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The bundled default: Quzhou 2019, Article 5, with a synthetic sample of applications.
const DEFAULT_SCENARIO: &str = include_str!("../../scenarios/quzhou-2019/scenario.toml");
const DEFAULT_APPLICATIONS: &str = include_str!("../../scenarios/quzhou-2019/applications.csv");
/// The name under which the embedded default reports its files.
pub const DEFAULT_DIR: &str = "scenarios/quzhou-2019";

/// Where the reader gets file contents: the disk, or the copy compiled into the binary.
trait Files {
    fn read(&self, path: &Path) -> Result<Vec<u8>>;
}

struct Disk;

impl Files for Disk {
    fn read(&self, path: &Path) -> Result<Vec<u8>> {
        std::fs::read(path).map_err(|e| {
            let why = match e.kind() {
                std::io::ErrorKind::NotFound => "no such file".to_string(),
                _ => e.to_string().to_lowercase(),
            };
            Error::input(path.display(), "", why)
        })
    }
}

/// The bytes of a file of the built-in scenario, named as it reports them
/// (`scenarios/quzhou-2019/scenario.toml`): what an audit manifest hashes for the default.
pub fn builtin_file(path: &Path) -> Option<&'static [u8]> {
    if path.parent() != Some(Path::new(DEFAULT_DIR)) {
        return None;
    }
    match path.file_name().and_then(|n| n.to_str()) {
        Some("scenario.toml") => Some(DEFAULT_SCENARIO.as_bytes()),
        Some("applications.csv") => Some(DEFAULT_APPLICATIONS.as_bytes()),
        _ => None,
    }
}

struct Embedded;

impl Files for Embedded {
    fn read(&self, path: &Path) -> Result<Vec<u8>> {
        match path.file_name().and_then(|n| n.to_str()) {
            Some("scenario.toml") => Ok(DEFAULT_SCENARIO.as_bytes().to_vec()),
            Some("applications.csv") => Ok(DEFAULT_APPLICATIONS.as_bytes().to_vec()),
            _ => Err(Error::input(
                path.display(),
                "",
                "no such file in the built-in scenario",
            )),
        }
    }
}

/// Loads the scenario compiled into the binary.
pub fn load_default() -> Result<Scenario> {
    Source::open(None)?.build(None)
}

/// Loads a scenario from a file, or from a folder holding exactly one `scenario.toml`
/// (or one `.toml` / `.json` file).
pub fn load(path: &Path) -> Result<Scenario> {
    Source::open(Some(path))?.build(None)
}

/// A scenario file read but not yet validated: the hook through which what-if overrides
/// (`overrides.rs`) change the raw document before the usual validation runs on it.
pub(crate) struct Source {
    embedded: bool,
    file: PathBuf,
    text: String,
}

impl Source {
    /// Reads the scenario file a user named (the built-in default when `None`).
    pub(crate) fn open(path: Option<&Path>) -> Result<Source> {
        let (embedded, file) = match path {
            Some(p) => (false, resolve(p)?),
            None => (true, Path::new(DEFAULT_DIR).join("scenario.toml")),
        };
        let files: &dyn Files = if embedded { &Embedded } else { &Disk };
        let text = read_text(files, &file)?;
        Ok(Source {
            embedded,
            file,
            text,
        })
    }

    fn files(&self) -> &dyn Files {
        if self.embedded {
            &Embedded
        } else {
            &Disk
        }
    }

    /// The raw document as JSON values (a TOML file is converted), once the file itself parses.
    pub(crate) fn document(&self) -> Result<serde_json::Value> {
        parse_raw(&self.file, &self.text)?;
        if is_json(&self.file) {
            serde_json::from_str(&self.text).map_err(|e| Error::input(self.file.display(), "", e))
        } else {
            toml::from_str(&self.text).map_err(|e| toml_error(&self.file, &self.text, &e))
        }
    }

    /// Validates the file, or `document` (an edited [`Source::document`]) in its place.
    pub(crate) fn build(&self, document: Option<&serde_json::Value>) -> Result<Scenario> {
        let raw = match document {
            None => parse_raw(&self.file, &self.text)?,
            Some(doc) => RawScenario::deserialize(doc)
                .map_err(|e| Error::input(self.file.display(), "", e))?,
        };
        build_raw(self.files(), &self.file, &raw)
    }
}

/// Finds the scenario file a user's path means.
fn resolve(path: &Path) -> Result<PathBuf> {
    if path.is_file() {
        return Ok(path.to_path_buf());
    }
    if !path.is_dir() {
        return Err(Error::input(path.display(), "", "no such file or folder"));
    }
    for name in ["scenario.toml", "scenario.json"] {
        let candidate = path.join(name);
        if candidate.is_file() {
            return Ok(candidate);
        }
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| Error::input(path.display(), "", e.to_string().to_lowercase()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("toml" | "json")
            )
        })
        .collect();
    found.sort();
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(Error::input(
            path.display(),
            "",
            "the folder holds no scenario.toml or other .toml/.json scenario file",
        )),
        _ => {
            Err(Error::input(
                path.display(),
                "",
                format!(
                "the folder holds several scenario files ({}); name one, or call it scenario.toml",
                found.iter().filter_map(|p| p.file_name()?.to_str()).collect::<Vec<_>>().join(", ")
            ),
            ))
        }
    }
}

fn is_json(file: &Path) -> bool {
    file.extension().and_then(|e| e.to_str()) == Some("json")
}

fn read_text(files: &dyn Files, file: &Path) -> Result<String> {
    match file.extension().and_then(|e| e.to_str()).map(str::to_lowercase).as_deref() {
        Some("csv") => {
            return Err(Error::input(
                file.display(),
                "",
                "this is an applications table, not a scenario: name the scenario file (.toml or .json) whose [applications] file points to it",
            ))
        }
        Some("xlsx" | "xls" | "xlsm" | "xlsb" | "ods") => {
            return Err(Error::input(
                file.display(),
                "",
                "this is a workbook of applications, not a scenario: name the scenario file (.toml or .json) whose [applications] file points to it (and [applications] sheet, when not the first)",
            ))
        }
        _ => {}
    }
    let bytes = files.read(file)?;
    let text = super::decode::utf8(&file.display(), &bytes)?;
    if text.trim().is_empty() {
        return Err(Error::input(
            file.display(),
            "",
            "the file is empty; a scenario needs [[pools]], [[rounds]], [scoring] and [applications]",
        ));
    }
    Ok(text.to_string())
}

fn parse_raw(file: &Path, text: &str) -> Result<RawScenario> {
    if is_json(file) {
        serde_json::from_str(text).map_err(|e| json_error(file, &e))
    } else {
        toml::from_str(text).map_err(|e| toml_error(file, text, &e))
    }
}

fn build_raw(files: &dyn Files, file: &Path, raw: &RawScenario) -> Result<Scenario> {
    let base = file.parent().unwrap_or(Path::new("")).to_path_buf();
    let mut sources = vec![file.to_path_buf()];
    let loaded_applications = match &raw.applications.file {
        Some(name) => {
            let path = base.join(name);
            let bytes = files.read(&path)?;
            sources.push(path.clone());
            Some((path, bytes))
        }
        None => None,
    };
    Validator { file, raw }.build(loaded_applications, sources)
}

fn toml_error(file: &Path, text: &str, e: &toml::de::Error) -> Error {
    let location = match e.span() {
        Some(span) => {
            // A span should start on a character boundary; if not, count from the one before.
            let start = (0..=span.start.min(text.len()))
                .rev()
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(0);
            let before = &text[..start];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("line {line}, column {column}")
        }
        None => String::new(),
    };
    Error::input(
        file.display(),
        location,
        lowercase_first(e.message().trim())
            .replace('\n', "; ")
            .trim_end_matches('.'),
    )
}

/// A parser's message in our style (lowercase first) without lowercasing the values it quotes
/// (`CNY`, a misspelt key).
fn lowercase_first(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn json_error(file: &Path, e: &serde_json::Error) -> Error {
    Error::input(
        file.display(),
        format!("line {}, column {}", e.line(), e.column()),
        strip_position(&e.to_string()),
    )
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// A number that is not money (a rate, a weight, points): a string, an integer, or a float
/// read back through its shortest decimal form (what the user typed).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Num(pub Decimal);

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Num, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Num;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Num, E> {
                Ok(Num(Decimal::from(v)))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Num, E> {
                Ok(Num(Decimal::from(v)))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<Num, E> {
                Decimal::from_str(&v.to_string())
                    .map(Num)
                    .map_err(|_| E::custom(format!("{v} is out of range")))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Num, E> {
                let t = v.trim();
                let (t, scale) = match t.strip_suffix('%') {
                    Some(p) => (p.trim(), Decimal::new(1, 2)),
                    None => (t, Decimal::ONE),
                };
                Decimal::from_str(t)
                    .map(|d| Num(d * scale))
                    .map_err(|_| E::custom(format!("{v:?} is not a number")))
            }
        }
        d.deserialize_any(Visitor)
    }
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a scenario (a table of [scenario], [[pools]], [[rounds]], [scoring], [committee], [applications])"
)]
struct RawScenario {
    #[serde(default)]
    scenario: RawMeta,
    pools: Vec<RawPool>,
    rounds: Vec<RawRound>,
    scoring: RawScoring,
    #[serde(default)]
    committee: RawCommittee,
    applications: RawApplications,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, expecting = "a [scenario] table")]
struct RawMeta {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    /// Unit of the scenario file's own amounts (budgets, caps, fixed awards).
    #[serde(default)]
    unit: Unit,
    /// Preferred language of human-facing output (`zh` or `en`).
    #[serde(default)]
    lang: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a pool table")]
struct RawPool {
    id: String,
    #[serde(default)]
    name: String,
    budget: Amount,
    pro_rata_floor: Option<Num>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a round table")]
struct RawRound {
    id: String,
    #[serde(default)]
    name: String,
    pool: String,
    max_projects: u32,
    #[serde(default)]
    group_limits: Vec<GroupLimit>,
    #[serde(default)]
    eligibility: RawEligibility,
    subsidy: RawSubsidy,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, expecting = "an eligibility table")]
struct RawEligibility {
    jurisdictions: Option<Vec<String>>,
    industries: Option<Vec<String>>,
    #[serde(default)]
    require_flags: Vec<String>,
    #[serde(default)]
    exclude_flags: Vec<String>,
    min_investment: Option<Amount>,
    min_score: Option<Num>,
}

fn all_fields() -> Vec<InvestmentField> {
    vec![
        InvestmentField::Equipment,
        InvestmentField::Technology,
        InvestmentField::Software,
    ]
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a subsidy table")]
struct RawSubsidy {
    rate: Option<Num>,
    #[serde(default = "all_fields")]
    investment: Vec<InvestmentField>,
    fixed: Option<Amount>,
    cap: Option<Amount>,
    #[serde(default)]
    uplifts: Vec<RawUplift>,
    #[serde(default)]
    stacking: Stacking,
    #[serde(default)]
    rounding: Rounding,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "an uplift table { flag, rate }")]
struct RawUplift {
    flag: String,
    rate: Num,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a [scoring] table")]
struct RawScoring {
    criteria: Vec<RawCriterion>,
    /// Qualifying score for every round that does not set its own.
    min_score: Option<Num>,
    #[serde(default)]
    bonus: Vec<RawBonus>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a criterion table { id, weight, … }")]
struct RawCriterion {
    id: String,
    #[serde(default)]
    name: String,
    weight: Num,
    #[serde(default)]
    direction: Direction,
    #[serde(default)]
    normalization: Normalization,
    /// `[low, high]`: the weights the committee accepts, for sensitivity sweeps.
    interval: Option<[Num; 2]>,
    /// `[low, high]`: the values the criterion can take (an expert score: [0, 100]).
    range: Option<[Num; 2]>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a bonus table { flag, points }")]
struct RawBonus {
    flag: String,
    points: Num,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, expecting = "a [committee] table")]
struct RawCommittee {
    #[serde(default)]
    must_fund: Vec<RawLock>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    dependencies: Vec<RawDependency>,
    enterprise_limit: Option<u32>,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a must-fund entry { project, round }"
)]
struct RawLock {
    project: String,
    round: String,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a dependency { kind, project, other }"
)]
struct RawDependency {
    kind: DependencyKind,
    project: String,
    other: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "an [applications] table")]
struct RawApplications {
    file: Option<String>,
    /// The sheet of a workbook `file` (default: the first).
    sheet: Option<String>,
    #[serde(default)]
    unit: Unit,
    #[serde(default)]
    projects: Vec<RawApplication>,
}

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

struct Validator<'a> {
    file: &'a Path,
    raw: &'a RawScenario,
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

    fn build(self, loaded: Option<(PathBuf, Vec<u8>)>, sources: Vec<PathBuf>) -> Result<Scenario> {
        let raw = self.raw;
        let unit = raw.scenario.unit;
        let mut pools = Vec::new();
        let mut pool_index = HashMap::new();
        if raw.pools.is_empty() {
            return Err(self.err("pools", "at least one pool is needed"));
        }
        for (i, p) in raw.pools.iter().enumerate() {
            let at = format!("pools[{i}] ({})", p.id);
            if pool_index.insert(p.id.clone(), i).is_some() {
                return Err(self.err(at, format!("pool id {:?} is used twice", p.id)));
            }
            let pro_rata_floor = match p.pro_rata_floor {
                Some(n) => {
                    let floor = self.share(n.0, format!("{at}.pro_rata_floor"), true)?;
                    // The pool may commit budget / φ: a vanishing φ is no floor (and would
                    // overflow the arithmetic of the capacity).
                    if floor < Decimal::new(1, 4) {
                        return Err(self.err(
                            format!("{at}.pro_rata_floor"),
                            format!(
                                "{} is too small: the floor must be at least 0.0001 (0.01%), or the pool could commit over 10,000 times its budget",
                                floor.normalize()
                            ),
                        ));
                    }
                    Some(floor)
                }
                None => None,
            };
            pools.push(Pool {
                id: p.id.clone(),
                name: if p.name.is_empty() {
                    p.id.clone()
                } else {
                    p.name.clone()
                },
                budget: self.money(&p.budget, unit, format!("{at}.budget"))?,
                pro_rata_floor,
            });
        }
        // What all pools may commit together bounds every portfolio's total: held to the largest
        // amount, any portfolio's total in fen is exact in `i64` and in the solver's `f64` rows.
        let committable: Decimal = pools.iter().map(Pool::capacity).sum();
        if committable > Decimal::from(super::money::LARGEST_YUAN) {
            return Err(self.err(
                "pools",
                format!(
                    "together the pools may commit {} yuan; amounts go up to 1,000,000,000,000 yuan (1 万亿元) in all",
                    committable.round_dp(2).normalize()
                ),
            ));
        }

        let mut rounds = Vec::new();
        let mut round_index: HashMap<String, usize> = HashMap::new();
        if raw.rounds.is_empty() {
            return Err(self.err("rounds", "at least one round is needed"));
        }
        for (i, r) in raw.rounds.iter().enumerate() {
            let at = format!("rounds[{i}] ({})", r.id);
            if round_index.insert(r.id.clone(), i).is_some() {
                return Err(self.err(at, format!("round id {:?} is used twice", r.id)));
            }
            let pool = *pool_index.get(&r.pool).ok_or_else(|| {
                self.err(
                    format!("{at}.pool"),
                    format!(
                        "{:?} is not a pool (pools: {})",
                        r.pool,
                        raw.pools
                            .iter()
                            .map(|p| p.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?;
            for (g, limit) in r.group_limits.iter().enumerate() {
                if limit.attribute.trim().is_empty() {
                    return Err(self.err(format!("{at}.group_limits[{g}].attribute"), "is empty"));
                }
            }
            let e = &r.eligibility;
            let s = &r.subsidy;
            if s.rate.is_some() == s.fixed.is_some() {
                return Err(self.err(
                    format!("{at}.subsidy"),
                    "needs either a rate or a fixed amount (not both)",
                ));
            }
            let rate = match s.rate {
                Some(n) => Some(self.share(n.0, format!("{at}.subsidy.rate"), false)?),
                None => None,
            };
            let mut uplifts = Vec::new();
            for (u, up) in s.uplifts.iter().enumerate() {
                uplifts.push(Uplift {
                    flag: up.flag.clone(),
                    rate: self.share(
                        up.rate.0,
                        format!("{at}.subsidy.uplifts[{u}].rate"),
                        false,
                    )?,
                });
            }
            if let Some(rate) = rate {
                let rates = uplifts.iter().map(|u| u.rate);
                let uplift = match s.stacking {
                    Stacking::Max => rates.max().unwrap_or(Decimal::ZERO),
                    Stacking::Sum => rates.sum(),
                };
                if rate + uplift > Decimal::ONE {
                    return Err(self.err(
                        format!("{at}.subsidy"),
                        format!(
                            "the rate {rate} plus uplifts of up to {uplift} comes to {}, more than the whole investment (0.1 = 10%)",
                            rate + uplift
                        ),
                    ));
                }
            }
            if s.investment.is_empty() && s.fixed.is_none() {
                return Err(self.err(
                    format!("{at}.subsidy.investment"),
                    "names no investment field",
                ));
            }
            let opt_money = |a: &Option<Amount>, key: &str| -> Result<Option<Money>> {
                a.as_ref()
                    .map(|a| self.money(a, unit, format!("{at}.{key}")))
                    .transpose()
            };
            rounds.push(Round {
                id: r.id.clone(),
                name: if r.name.is_empty() {
                    r.id.clone()
                } else {
                    r.name.clone()
                },
                pool,
                max_projects: r.max_projects,
                group_limits: r.group_limits.clone(),
                eligibility: Eligibility {
                    jurisdictions: e.jurisdictions.clone(),
                    industries: e.industries.clone(),
                    require_flags: e.require_flags.clone(),
                    exclude_flags: e.exclude_flags.clone(),
                    min_investment: opt_money(&e.min_investment, "eligibility.min_investment")?,
                    min_score: e
                        .min_score
                        .or(raw.scoring.min_score)
                        .map(|n| {
                            self.plausible(
                                n.0,
                                limits::SCORE,
                                format!("{at}.eligibility.min_score"),
                            )
                        })
                        .transpose()?,
                },
                subsidy: SubsidyRule {
                    rate,
                    investment: s.investment.clone(),
                    fixed: opt_money(&s.fixed, "subsidy.fixed")?,
                    cap: opt_money(&s.cap, "subsidy.cap")?,
                    uplifts,
                    stacking: s.stacking,
                    rounding: s.rounding,
                },
            });
        }

        let scoring = self.scoring()?;

        // Flags any rule mentions: a column with one of these names holds yes/no values.
        let mut flag_names: BTreeSet<String> = BTreeSet::new();
        for r in &rounds {
            flag_names.extend(r.eligibility.require_flags.iter().cloned());
            flag_names.extend(r.eligibility.exclude_flags.iter().cloned());
            flag_names.extend(r.subsidy.uplifts.iter().map(|u| u.flag.clone()));
        }
        flag_names.extend(scoring.bonus.iter().map(|b| b.flag.clone()));

        let context = applications::Context {
            rounds: &rounds,
            criteria: &scoring.criteria,
            flags: &flag_names,
        };
        let mut apps: Vec<Application> = Vec::new();
        let mut origin: HashMap<String, String> = HashMap::new();
        if loaded.is_none() && raw.applications.sheet.is_some() {
            return Err(self.err(
                "applications.sheet",
                "names a sheet, but there is no applications file",
            ));
        }
        if let Some((path, bytes)) = &loaded {
            let unit = raw.applications.unit;
            let sheet = raw.applications.sheet.as_deref();
            let rows = if workbook::is_workbook(path) {
                workbook::read(path, bytes, sheet, unit, &context)?
            } else if sheet.is_some() {
                return Err(self.err(
                    "applications.sheet",
                    format!(
                        "{} is not a workbook; only a workbook (.xlsx, .xls, .ods) has sheets",
                        path.display()
                    ),
                ));
            } else {
                applications::read_csv(path, bytes, unit, &context)?
            };
            if rows.is_empty() {
                return Err(Error::input(
                    path.display(),
                    "",
                    "has a header row but no applications",
                ));
            }
            for (at, app) in rows {
                let here = format!("{}: {at}", path.display());
                if let Some(first) = origin.insert(app.id.clone(), here.clone()) {
                    return Err(Error::Input(format!(
                        "{here}: project id {:?} is used twice (first at {first})",
                        app.id
                    )));
                }
                apps.push(app);
            }
        }
        for (i, a) in raw.applications.projects.iter().enumerate() {
            let at = format!("applications.projects[{i}] ({})", a.id);
            let app = applications::from_inline(a, raw.applications.unit, &context)
                .map_err(|why| self.err(&at, why))?;
            let here = format!("{}: {at}", self.file.display());
            if let Some(first) = origin.insert(app.id.clone(), here.clone()) {
                return Err(Error::Input(format!(
                    "{here}: project id {:?} is used twice (first at {first})",
                    app.id
                )));
            }
            apps.push(app);
        }
        apps.sort_by(|a, b| a.id.cmp(&b.id));

        for (ri, r) in rounds.iter().enumerate() {
            for (g, limit) in r.group_limits.iter().enumerate() {
                if let Some(a) = apps
                    .iter()
                    .find(|a| a.rounds.contains(&ri) && a.attribute(&limit.attribute).is_none())
                {
                    return Err(self.err(
                        format!("rounds[{ri}] ({}).group_limits[{g}]", r.id),
                        format!(
                            "limits attribute {:?}, but project {} ({}) has no value for it",
                            limit.attribute, a.id, origin[&a.id]
                        ),
                    ));
                }
            }
        }

        for a in &apps {
            for (value, c) in a.criteria.iter().zip(&scoring.criteria) {
                let Some(value) = *value else { continue };
                let why = match c.range {
                    Some((lo, hi)) if value < lo || value > hi => Some(format!(
                        "{} is outside the criterion's range [{lo}, {hi}]",
                        value.normalize()
                    )),
                    _ if c.normalization == Normalization::AsIs => {
                        within(value, limits::POINTS).err().map(|why| {
                            format!("{why} (an as-is criterion's values are points of the score; give it a normalization for indicators on another scale)")
                        })
                    }
                    _ => within(value, limits::CRITERION).err(),
                };
                if let Some(why) = why {
                    return Err(Error::Input(format!(
                        "{}: criterion {} ({}): {why}",
                        origin[&a.id], c.id, c.name
                    )));
                }
            }
        }

        let committee = self.committee(&apps, &round_index, &rounds)?;
        if committee.enterprise_limit.is_some() {
            if let Some(a) = apps.iter().find(|a| a.enterprise.trim().is_empty()) {
                return Err(self.err(
                    "committee.enterprise_limit",
                    format!("project {} ({}) has no enterprise name, so the limit cannot be applied to it", a.id, origin[&a.id]),
                ));
            }
        }
        let lang = match &raw.scenario.lang {
            None => None,
            Some(text) => Some(Lang::parse(text).ok_or_else(|| {
                self.err(
                    "scenario.lang",
                    format!("{text:?} is not a language allot writes; use \"zh\" or \"en\""),
                )
            })?),
        };
        Ok(Scenario {
            lang,
            unit: raw.scenario.unit,
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
            applications: apps,
            sources,
        })
    }

    fn scoring(&self) -> Result<Scoring> {
        let raw = &self.raw.scoring;
        if raw.criteria.is_empty() {
            return Err(self.err("scoring.criteria", "at least one criterion is needed"));
        }
        let mut seen = BTreeSet::new();
        let mut criteria = Vec::new();
        for (i, c) in raw.criteria.iter().enumerate() {
            let at = format!("scoring.criteria[{i}] ({})", c.id);
            if !seen.insert(c.id.clone()) {
                return Err(self.err(at, format!("criterion id {:?} is used twice", c.id)));
            }
            if c.weight.0.is_sign_negative() && !c.weight.0.is_zero() {
                return Err(self.err(
                    format!("{at}.weight"),
                    format!("{} is negative; weights must be zero or more", c.weight.0),
                ));
            }
            let interval = match &c.interval {
                None => None,
                Some([lo, hi]) => {
                    if lo.0.is_sign_negative() && !lo.0.is_zero() || lo.0 > hi.0 {
                        return Err(self.err(
                            format!("{at}.interval"),
                            format!(
                                "[{}, {}] is not a range of weights: it needs 0 <= low <= high",
                                lo.0, hi.0
                            ),
                        ));
                    }
                    if c.weight.0 < lo.0 || c.weight.0 > hi.0 {
                        return Err(self.err(
                            format!("{at}.interval"),
                            format!(
                                "[{}, {}] does not contain the weight {}",
                                lo.0, hi.0, c.weight.0
                            ),
                        ));
                    }
                    Some((lo.0, hi.0))
                }
            };
            let range = match &c.range {
                None => None,
                Some([lo, hi]) => {
                    let lo = self.plausible(lo.0, limits::CRITERION, format!("{at}.range"))?;
                    let hi = self.plausible(hi.0, limits::CRITERION, format!("{at}.range"))?;
                    if lo > hi {
                        return Err(self.err(
                            format!("{at}.range"),
                            format!("[{lo}, {hi}] is not a range: it needs low <= high"),
                        ));
                    }
                    Some((lo, hi))
                }
            };
            criteria.push(Criterion {
                interval,
                range,
                id: c.id.clone(),
                name: if c.name.is_empty() {
                    c.id.clone()
                } else {
                    c.name.clone()
                },
                weight: self.plausible(c.weight.0, limits::WEIGHT, format!("{at}.weight"))?,
                direction: c.direction,
                normalization: c.normalization,
            });
        }
        let total: Decimal = criteria.iter().map(|c| c.weight).sum();
        if total <= Decimal::ZERO {
            return Err(self.err(
                "scoring.criteria",
                "the weights sum to 0; at least one weight must be positive",
            ));
        }
        let bonus = raw
            .bonus
            .iter()
            .enumerate()
            .map(|(i, b)| {
                Ok(Bonus {
                    flag: b.flag.clone(),
                    points: self.plausible(
                        b.points.0,
                        limits::BONUS,
                        format!("scoring.bonus[{i}].points"),
                    )?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(Scoring { criteria, bonus })
    }

    fn committee(
        &self,
        apps: &[Application],
        round_index: &HashMap<String, usize>,
        rounds: &[Round],
    ) -> Result<Committee> {
        let raw = &self.raw.committee;
        let by_id: BTreeMap<&str, usize> = apps
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i))
            .collect();
        let project = |id: &str, at: &str| -> Result<usize> {
            by_id
                .get(id)
                .copied()
                .ok_or_else(|| self.err(at, format!("{id:?} is not a project in the applications")))
        };
        let mut must_fund: Vec<Lock> = Vec::new();
        for (i, l) in raw.must_fund.iter().enumerate() {
            let at = format!("committee.must_fund[{i}]");
            let p = project(&l.project, &at)?;
            let r = *round_index.get(&l.round).ok_or_else(|| {
                self.err(
                    &at,
                    format!(
                        "{:?} is not a round (rounds: {})",
                        l.round,
                        rounds
                            .iter()
                            .map(|r| r.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?;
            if !apps[p].rounds.contains(&r) {
                return Err(self.err(
                    &at,
                    format!(
                        "project {} did not apply to round {}",
                        l.project, rounds[r].id
                    ),
                ));
            }
            if !must_fund.contains(&Lock {
                project: p,
                round: r,
            }) {
                must_fund.push(Lock {
                    project: p,
                    round: r,
                });
            }
        }
        let mut exclude = BTreeSet::new();
        for (i, id) in raw.exclude.iter().enumerate() {
            exclude.insert(project(id, &format!("committee.exclude[{i}]"))?);
        }
        let mut dependencies = Vec::new();
        for (i, d) in raw.dependencies.iter().enumerate() {
            let at = format!("committee.dependencies[{i}]");
            let (p, o) = (project(&d.project, &at)?, project(&d.other, &at)?);
            if p == o {
                return Err(self.err(at, format!("project {} cannot depend on itself", d.project)));
            }
            dependencies.push(Dependency {
                kind: d.kind,
                project: p,
                other: o,
            });
        }
        self.contradictions(apps, &dependencies)?;
        Ok(Committee {
            must_fund,
            exclude,
            dependencies,
            enterprise_limit: raw.enterprise_limit,
        })
    }
}

impl Validator<'_> {
    /// Refuses dependencies that contradict each other: a project that requires (directly or
    /// through a chain of `requires`) two projects that exclude each other, or one that it
    /// excludes, could never be funded. A cycle of `requires` alone is consistent (all of its
    /// projects or none) and is accepted.
    fn contradictions(&self, apps: &[Application], deps: &[Dependency]) -> Result<()> {
        let requires = |p: usize| {
            deps.iter()
                .filter(move |d| d.kind == DependencyKind::Requires && d.project == p)
                .map(|d| d.other)
        };
        let mut starts: Vec<usize> = deps.iter().map(|d| d.project).collect();
        starts.sort_unstable();
        starts.dedup();
        for p in starts {
            // Everything funding p brings with it.
            let mut needed = BTreeSet::from([p]);
            let mut todo = vec![p];
            while let Some(q) = todo.pop() {
                todo.extend(requires(q).filter(|&o| needed.insert(o)));
            }
            let clash = deps.iter().enumerate().find(|(_, d)| {
                d.kind == DependencyKind::Excludes
                    && needed.contains(&d.project)
                    && needed.contains(&d.other)
            });
            if let Some((j, d)) = clash {
                let id = |i: usize| apps[i].id.as_str();
                let why = if d.project == p || d.other == p {
                    let other = if d.project == p { d.other } else { d.project };
                    format!(
                        "project {} requires {} but they exclude each other",
                        id(p),
                        id(other)
                    )
                } else {
                    format!(
                        "project {} requires both {} and {}, which exclude each other",
                        id(p),
                        id(d.project),
                        id(d.other)
                    )
                };
                return Err(self.err(
                    format!("committee.dependencies[{j}]"),
                    format!("{why}, so it could never be funded"),
                ));
            }
        }
        Ok(())
    }
}

/// Parses a scenario from TOML text in memory, with applications inline (for tests and tools).
pub fn from_toml_str(text: &str, name: &str) -> Result<Scenario> {
    let file = Path::new(name);
    let raw: RawScenario = toml::from_str(text).map_err(|e| toml_error(file, text, &e))?;
    validate_in_memory(file, &raw)
}

/// Parses a scenario from JSON text in memory, with applications inline: the JSON twin of
/// [`from_toml_str`].
pub fn from_json_str(text: &str, name: &str) -> Result<Scenario> {
    let file = Path::new(name);
    let raw: RawScenario = serde_json::from_str(text).map_err(|e| json_error(file, &e))?;
    validate_in_memory(file, &raw)
}

/// Files held in memory, each under the name the scenario uses for it.
struct Memory<'a>(&'a [(&'a str, &'a [u8])]);

impl Files for Memory<'_> {
    fn read(&self, path: &Path) -> Result<Vec<u8>> {
        self.0
            .iter()
            .find(|(name, _)| Path::new(name) == path)
            .map(|(_, bytes)| bytes.to_vec())
            .ok_or_else(|| Error::input(path.display(), "", "no such file"))
    }
}

/// Loads a scenario exactly as [`load`] would from disk, but from files held in memory: `files`
/// pairs each name with its bytes, `scenario` names the scenario file among them (a `.json` name
/// is read as JSON). Every byte goes through the same decoding and validation as a file's, which
/// is what the fuzz targets need.
#[doc(hidden)]
pub fn load_from_memory(scenario: &str, files: &[(&str, &[u8])]) -> Result<Scenario> {
    let (files, file) = (&Memory(files), Path::new(scenario));
    let text = read_text(files, file)?;
    build_raw(files, file, &parse_raw(file, &text)?)
}

fn validate_in_memory(file: &Path, raw: &RawScenario) -> Result<Scenario> {
    let name = file.display();
    if raw.applications.file.is_some() {
        return Err(Error::input(
            name,
            "applications.file",
            "an in-memory scenario must list its projects inline",
        ));
    }
    Validator { file, raw }.build(None, vec![file.to_path_buf()])
}
