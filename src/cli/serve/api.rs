//! What `allot serve` answers. Every what-if is a body `{"set": {KEY: VALUE}, "lock": [..],
//! "exclude": [..], "weights": {CRITERION: WEIGHT}}` with the meaning of `--set`, `--lock`,
//! `--exclude` and `--weight`; it becomes the command line's [`WhatIf`] and goes through the same
//! code, so `/api/solve` answers exactly the certificate `allot solve -f json` writes.

use super::super::solve::{decisions, outcome, priced, Solved};
use super::super::{LangArg, ScenarioArgs, WhatIf};
use allot::explain::{find_project, Explainer};
use allot::report::{self, html, Decisions};
use allot::rules::Evaluation;
use allot::scenario::{Lang, Scenario, Snapshot};
use allot::solve::{Options, Outcome, Status};
use allot::Error;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// An HTTP answer: status, headers and body.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            headers: vec![
                ("Content-Type", content_type.to_string()),
                ("Cache-Control", "no-store".into()),
                ("X-Content-Type-Options", "nosniff".into()),
            ],
            body: body.into(),
        }
    }

    fn json(value: &Value) -> Reply {
        let text = serde_json::to_string_pretty(value).unwrap_or_default() + "\n";
        Reply::new(200, "application/json; charset=utf-8", text)
    }

    /// `{"error": message}` with `status`.
    pub fn error(status: u16, message: &str) -> Reply {
        let mut reply = Reply::json(&json!({ "error": message }));
        reply.status = status;
        reply
    }

    /// An error of the library, with the status that says whose fault it is and its kind.
    fn failure(error: &Error) -> Reply {
        let (status, kind) = match error {
            Error::Input(_) => (400, "input"),
            Error::Infeasible(_) => (422, "infeasible"),
            Error::Solver(_) => (500, "solver"),
            Error::Output(_) | Error::System(_) | Error::Interrupted(_) => (500, "system"),
        };
        let mut reply = Reply::json(&json!({ "error": error.to_string(), "kind": kind }));
        reply.status = status;
        reply
    }

    /// A file the browser saves as `name`.
    fn download(content_type: &str, name: &str, body: impl Into<Vec<u8>>) -> Reply {
        let mut reply = Reply::new(200, content_type, body);
        reply.headers.push((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ));
        reply
    }
}

/// A request body: the what-ifs, and what some endpoints take besides.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Body {
    #[serde(default)]
    set: Map<String, Value>,
    #[serde(default)]
    lock: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    weights: Map<String, Value>,
    /// `/api/explain`: the project.
    project: Option<String>,
    /// `/api/explain`: `json` (default, as `explain -f json`) or `text`.
    format: Option<String>,
    /// Pages and texts: `zh` or `en` (default: the server's).
    lang: Option<String>,
    /// `/api/view`: price each entry above a funding line (one re-solve each, as the solve
    /// table does; default true). The page first asks without, then with.
    prices: Option<bool>,
}

impl Body {
    fn parse(bytes: &[u8]) -> Result<Body, Error> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Body::default());
        }
        serde_json::from_slice(bytes).map_err(|e| Error::Input(format!("request body: {e}")))
    }

    /// The what-ifs as the command line's flags, in the body's order.
    fn what_if(&self) -> Result<WhatIf, Error> {
        let text = |field: &str, key: &str, v: &Value| match v {
            Value::String(s) => Ok(s.clone()),
            Value::Number(_) | Value::Bool(_) | Value::Array(_) => Ok(v.to_string()),
            _ => Err(Error::Input(format!(
                "{field}.{key}: expected a string or a number, got {v}"
            ))),
        };
        let pairs = |field: &str, map: &Map<String, Value>| -> Result<Vec<String>, Error> {
            map.iter()
                .map(|(k, v)| Ok(format!("{k}={}", text(field, k, v)?)))
                .collect()
        };
        let what_if = WhatIf {
            set: pairs("set", &self.set)?,
            lock: self.lock.clone(),
            exclude: self.exclude.clone(),
            weight: pairs("weights", &self.weights)?,
        };
        what_if.overrides()?;
        Ok(what_if)
    }

    fn lang(&self, default: Lang) -> Result<Lang, Error> {
        match self.lang.as_deref() {
            None => Ok(default),
            Some("zh") => Ok(Lang::Zh),
            Some("en") => Ok(Lang::En),
            Some(other) => Err(Error::Input(format!(
                "lang: {other:?} is not a language (zh or en)"
            ))),
        }
    }

    /// Refuses the fields of other endpoints than `path`.
    fn refuse_others(&self, path: &str) -> Result<(), Error> {
        if path != "/api/explain" && (self.project.is_some() || self.format.is_some()) {
            return Err(Error::Input(format!(
                "{path}: project and format are for /api/explain"
            )));
        }
        if path != "/api/view" && self.prices.is_some() {
            return Err(Error::Input(format!("{path}: prices is for /api/view")));
        }
        Ok(())
    }
}

/// One what-if solved: what every answer about it is made from.
struct Solution {
    scenario: Scenario,
    evaluation: Evaluation,
    outcome: Outcome,
    /// The certificate, as `allot solve -f json` writes it.
    certificate: String,
    /// The certificate as `allot diff` reads it (what the page compares with the base).
    solved: report::Solved,
}

/// The paths that take a what-if (POST, a JSON body).
const POSTED: [&str; 5] = [
    "/api/solve",
    "/api/view",
    "/api/explain",
    "/api/report",
    "/api/scenario-file",
];

/// What-ifs kept solved, newest last: a slider moved back, or two screens, cost no solve.
const CACHED: usize = 32;

/// The server's state: the scenario read once, its solution without what-ifs, recent solutions,
/// and each page's newest request.
pub struct State {
    path: Option<PathBuf>,
    snapshot: Snapshot,
    lang: Lang,
    options: Options,
    base: Arc<Solution>,
    cache: Mutex<VecDeque<(String, Arc<Solution>)>>,
    newest: Mutex<HashMap<String, u64>>,
}

impl State {
    /// Reads the scenario and solves it once (a scenario that cannot be solved fails here, before
    /// the server listens).
    pub fn new(
        path: Option<PathBuf>,
        lang: Option<LangArg>,
        time_limit: Option<f64>,
    ) -> allot::Result<State> {
        let snapshot = Snapshot::open(path.as_deref())?;
        super::super::warn(snapshot.base());
        let lang = LangArg::resolve(lang, snapshot.base().lang);
        let options = Options {
            time_limit,
            ..Options::default()
        };
        let base = Arc::new(solve(
            &snapshot,
            &options,
            path.is_none(),
            &WhatIf::default(),
        )?);
        Ok(State {
            path,
            snapshot,
            lang,
            options,
            base,
            cache: Mutex::new(VecDeque::new()),
            newest: Mutex::new(HashMap::new()),
        })
    }

    /// The answer to one request. `page` is the (page id, sequence number) a page sends with
    /// each what-if: a request older than one already seen from the same page is superseded.
    pub fn answer(
        &self,
        method: &tiny_http::Method,
        path: &str,
        body: &[u8],
        page: Option<&(String, String)>,
    ) -> Reply {
        use tiny_http::Method::{Get, Head, Post};
        match (method, path) {
            (Get | Head, "/") => Reply::new(200, "text/html; charset=utf-8", PAGE),
            (Get | Head, "/page.js") => Reply::new(200, "text/javascript; charset=utf-8", SCRIPT),
            (Get | Head, "/page.css") => Reply::new(
                200,
                "text/css; charset=utf-8",
                format!("{}\n{STYLE}", html::style()),
            ),
            (Get | Head, "/api/scenario") => Reply::json(&self.scenario_json()),
            (Post, p) if POSTED.contains(&p) => {
                if self.superseded(page) {
                    return Reply::error(409, "superseded by a newer request from the same page");
                }
                match self.post(path, body) {
                    Ok(reply) => reply,
                    Err(e) => Reply::failure(&e),
                }
            }
            (_, "/" | "/page.js" | "/page.css" | "/api/scenario") => {
                Reply::error(405, &format!("{path} answers GET"))
            }
            (_, p) if POSTED.contains(&p) => {
                Reply::error(405, &format!("{path} answers POST with a JSON what-if"))
            }
            _ => Reply::error(404, &format!("no such page: {path}")),
        }
    }

    /// Records the page's newest sequence number; true when a newer one was already seen.
    fn superseded(&self, page: Option<&(String, String)>) -> bool {
        let Some((id, seq)) = page else { return false };
        let Ok(seq) = seq.parse::<u64>() else {
            return false;
        };
        let mut newest = self.newest.lock().unwrap_or_else(|e| e.into_inner());
        let latest = newest.entry(id.clone()).or_insert(seq);
        if seq < *latest {
            return true;
        }
        *latest = seq;
        false
    }

    fn post(&self, path: &str, bytes: &[u8]) -> allot::Result<Reply> {
        let body = Body::parse(bytes)?;
        let what_if = body.what_if()?;
        let lang = body.lang(self.lang)?;
        body.refuse_others(path)?;
        match path {
            "/api/solve" => {
                let solution = self.solution(&what_if)?;
                Ok(Reply::new(
                    200,
                    "application/json; charset=utf-8",
                    solution.certificate.clone(),
                ))
            }
            "/api/view" => self.view(&what_if, lang, body.prices.unwrap_or(true)),
            "/api/explain" => self.explain(&what_if, &body, lang),
            "/api/report" => {
                let overrides = what_if.overrides()?;
                let scenario = self.snapshot.load(&overrides)?;
                let text = super::super::report::committee_report(
                    &scenario,
                    &overrides.describe(),
                    lang,
                    html::NEAR,
                    true,
                    None,
                    self.options.time_limit,
                )?;
                Ok(Reply::download(
                    "text/html; charset=utf-8",
                    "report.html",
                    text,
                ))
            }
            _ => {
                let doc = self.snapshot.document(&what_if.overrides()?)?;
                let what = match what_if.overrides()?.describe() {
                    words if words.is_empty() => "no what-ifs".to_string(),
                    words => words.join(" "),
                };
                let (kind, name, text) = match toml::to_string(&doc) {
                    Ok(text) => (
                        "application/toml; charset=utf-8",
                        "what-if.toml",
                        format!(
                            "# Written by allot serve: the scenario with {what}, applications inline;\n# `allot solve what-if.toml` reproduces the page's portfolio.\n\n{text}"
                        ),
                    ),
                    Err(_) => (
                        "application/json; charset=utf-8",
                        "what-if.json",
                        serde_json::to_string_pretty(&doc)
                            .map_err(|e| Error::Output(e.to_string()))?
                            + "\n",
                    ),
                };
                Ok(Reply::download(kind, name, text))
            }
        }
    }

    /// The what-if solved: from the cache, else solved now and cached.
    fn solution(&self, what_if: &WhatIf) -> allot::Result<Arc<Solution>> {
        let key = format!("{what_if:?}");
        {
            let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((_, s)) = cache.iter().find(|(k, _)| *k == key) {
                return Ok(Arc::clone(s));
            }
        }
        let solution = Arc::new(solve(
            &self.snapshot,
            &self.options,
            self.path.is_none(),
            what_if,
        )?);
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if !cache.iter().any(|(k, _)| *k == key) {
            cache.push_back((key, Arc::clone(&solution)));
            if cache.len() > CACHED {
                cache.pop_front();
            }
        }
        Ok(solution)
    }

    /// The base scenario as the page's controls need it.
    fn scenario_json(&self) -> Value {
        let s = &self.base.scenario;
        let yuan = |m: allot::scenario::Money| m.yuan().normalize().to_string();
        json!({
            "name": s.name,
            "lang": match self.lang { Lang::Zh => "zh", Lang::En => "en" },
            "pools": s.pools.iter().map(|p| json!({
                "id": p.id, "name": p.name, "budget": yuan(p.budget),
            })).collect::<Vec<_>>(),
            "rounds": s.rounds.iter().map(|r| json!({
                "id": r.id, "name": r.name, "pool": s.pools[r.pool].id,
                "max_projects": r.max_projects,
            })).collect::<Vec<_>>(),
            "criteria": s.scoring.criteria.iter().map(|c| json!({
                "id": c.id, "name": c.name, "weight": c.weight.normalize().to_string(),
            })).collect::<Vec<_>>(),
            "projects": s.applications.iter().map(|a| json!({
                "id": a.id, "name": a.name,
                "rounds": a.rounds.iter().map(|&r| s.rounds[r].id.as_str()).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })
    }

    /// What the page shows for a what-if: the report's live sections in `lang`, and what changed
    /// against the scenario without what-ifs.
    fn view(&self, what_if: &WhatIf, lang: Lang, prices: bool) -> allot::Result<Reply> {
        let started = std::time::Instant::now();
        let solution = self.solution(what_if)?;
        let (scenario, evaluation, outcome) =
            (&solution.scenario, &solution.evaluation, &solution.outcome);
        let mut decisions = Decisions::new_in(scenario, evaluation, outcome, lang);
        // The prices and warnings share one time limit, from here.
        let options = self.options.clone().from_now();
        if prices {
            // Entries past the first 100 (or past the time limit) show their limits; the page
            // says nothing of the notes.
            decisions = priced(
                scenario,
                evaluation,
                outcome,
                decisions,
                &options,
                &|_, _| {},
            )?
            .decisions;
        }
        let warnings = allot::explain::warnings(scenario, evaluation, outcome, &options)?;
        let overrides = what_if.overrides()?.describe();
        let sections = html::live(&html::Report {
            scenario,
            evaluation,
            outcome,
            decisions: &decisions,
            overrides: &overrides,
            warnings: &warnings,
            near: 0,
            near_line: &[],
            margins: &[],
            reserves: &[],
            left_out: html::LeftOut::default(),
            sweep: None,
        })?;
        let now = &solution.solved;
        let diff = report::diff(
            &self.base.solved,
            now,
            [
                lang.pick("base", "基准方案"),
                lang.pick("what-if", "当前假设"),
            ],
        );
        let cands = &evaluation.candidates;
        let apps = &scenario.applications;
        let pair = |c: usize| json!({"project": apps[cands[c].project].id, "round": scenario.rounds[cands[c].round].id});
        let committee = &scenario.committee;
        let criteria = &scenario.scoring.criteria;
        let total: rust_decimal::Decimal = criteria.iter().map(|c| c.weight).sum();
        let shares: Map<String, Value> = criteria
            .iter()
            .map(|c| {
                let share = if total.is_zero() {
                    rust_decimal::Decimal::ZERO
                } else {
                    c.weight * rust_decimal::Decimal::ONE_HUNDRED / total
                };
                (
                    c.id.clone(),
                    Value::String(format!("{:.2}", share.round_dp(2))),
                )
            })
            .collect();
        Ok(Reply::json(&json!({
            "shares": shares,
            "priced": prices,
            "status": match outcome.status { Status::Optimal => "optimal", Status::TimeLimit { .. } => "time_limit" },
            "total_score": now.total_score.to_string(),
            "funded": outcome.portfolio.funded.iter().map(|&c| pair(c)).collect::<Vec<_>>(),
            "overrides": overrides,
            "locks": committee.must_fund.iter().map(|l| json!({
                "project": apps[l.project].id, "round": scenario.rounds[l.round].id,
            })).collect::<Vec<_>>(),
            "excluded": committee.exclude.iter().map(|&p| apps[p].id.as_str()).collect::<Vec<_>>(),
            "html": sections,
            "diff": diff,
            "changes": if diff.same { String::new() } else { report::diff_table(&diff, lang) },
            "elapsed_ms": started.elapsed().as_millis() as u64,
        })))
    }

    /// `/api/explain`: `allot explain PROJECT` under the what-ifs, as JSON (with its manifest) or
    /// as the text the command prints.
    fn explain(&self, what_if: &WhatIf, body: &Body, lang: Lang) -> allot::Result<Reply> {
        let project = body
            .project
            .as_deref()
            .ok_or_else(|| Error::Input("/api/explain: the body names no project".into()))?;
        let solution = self.solution(what_if)?;
        let (scenario, evaluation) = (&solution.scenario, &solution.evaluation);
        let index = find_project(scenario, project)?;
        // The margins need a proven optimum: the view's. Where the time limit cut its solve
        // short, proving it here would take longer than the limit the room was promised (the
        // view's solve already had all of it), so the answer says so at once. The time limit
        // bounds the prices and margins (what it cuts is marked), as `allot explain
        // --time-limit`.
        if let Status::TimeLimit { .. } = solution.outcome.status {
            return Ok(Reply::error(409, unproven_view(lang)));
        }
        let explainer = Explainer::with_outcome(
            scenario,
            evaluation,
            self.options.clone().from_now(),
            solution.outcome.clone(),
        );
        let explanation = explainer.explain_with_prices(index)?;
        let funded = &explainer.portfolio().funded;
        match body.format.as_deref() {
            None | Some("json") => {
                let value =
                    report::explanation_json(scenario, evaluation, funded, &explanation, lang);
                let parameters = [
                    ("project".to_string(), project.into()),
                    ("time_limit".to_string(), self.options.time_limit.into()),
                    (
                        "lang".to_string(),
                        format!("{lang:?}").to_lowercase().into(),
                    ),
                ]
                .into();
                let args = ScenarioArgs {
                    scenario: self.path.clone(),
                    what_if: what_if.clone(),
                };
                let text =
                    super::super::with_manifest(value, "explain", scenario, &args, parameters)?;
                Ok(Reply::new(200, "application/json; charset=utf-8", text))
            }
            Some("text") => Ok(Reply::json(&json!({
                "project": project,
                "text": report::explanation_text(scenario, evaluation, funded, &explanation, lang),
            }))),
            Some(other) => Err(Error::Input(format!(
                "format: {other:?} is not an explanation format (json or text)"
            ))),
        }
    }
}

/// Why a view cut short by the time limit is not explained.
fn unproven_view(lang: Lang) -> &'static str {
    lang.pick(
        "This view's optimum was not proven within the server's time limit, and an explanation \
         rests on the proven optimum: run `allot explain` on these what-ifs without a limit, or \
         start `allot serve` with a longer --time-limit.",
        "本视图的最优方案未能在服务器的计算时限内得到证明，而解释须以已证明的最优方案为依据：\
         请对这些假设情形运行不设时限的 allot explain，或以更长的 --time-limit 重新启动 allot serve。",
    )
}

/// Solves one what-if through the code of `allot solve`.
fn solve(
    snapshot: &Snapshot,
    options: &Options,
    builtin: bool,
    what_if: &WhatIf,
) -> allot::Result<Solution> {
    let scenario = snapshot.load(&what_if.overrides()?)?;
    let evaluation = allot::rules::evaluate(&scenario);
    let outcome = outcome(&scenario, &evaluation, options, false)?;
    let english = decisions(&scenario, &evaluation, &outcome, Lang::En, false);
    let certificate = Solved {
        scenario: &scenario,
        evaluation: &evaluation,
        outcome: &outcome,
    }
    .certificate(&english, what_if, options, builtin)?;
    let solved = report::read_certificate("what-if", &certificate)?;
    Ok(Solution {
        scenario,
        evaluation,
        outcome,
        certificate,
        solved,
    })
}

/// The page, its script and its own styles (the report's come first): served from the binary.
const PAGE: &str = include_str!("page.html");
const SCRIPT: &str = include_str!("page.js");
const STYLE: &str = include_str!("page.css");
