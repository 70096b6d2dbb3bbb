//! What a sweep swept, in the terms its outputs name: the scenario's criteria, pools and
//! (project, round) pairs, the budget points, the base portfolio, the settings as given and the
//! base solve's certificate fields. With a [`Tally`](super::Tally) it is the whole result of a
//! sweep: every output is rendered from the two, and shards of one sweep are recognised by an
//! equal header.

use crate::audit::Manifest;
use crate::scenario::{Money, Unit};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// What was swept, and the base solve's certificate fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepHeader {
    /// Scenario name.
    pub scenario: String,
    /// The sweep's settings.
    pub sweep: Settings,
    /// Criterion ids, in scenario order (the order of every weight vector).
    pub criteria: Vec<String>,
    /// Criterion names, in the same order (for the charts; empty in files written before they
    /// were recorded).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub criterion_names: Vec<String>,
    /// Pool ids, in scenario order (the order of every budget vector).
    pub pools: Vec<String>,
    /// Every (project id, round id) applied for: the acceptability rows.
    pub pairs: Vec<(String, String)>,
    /// Every budget point: each pool's budget, in pool order.
    pub points: Vec<Vec<Money>>,
    /// Pools that vary, as indices into `pools` (the grid's axes).
    pub axes: Vec<usize>,
    /// The base portfolio (scenario weights and budgets) as indices into `pairs`.
    pub base: Vec<u32>,
    /// The scenario's preferred language (`zh`, `en`), for `allot merge`'s table.
    #[serde(default)]
    pub lang: Option<String>,
    /// The base solve's certificate fields: `total_score`, `total_subsidy`, `pools`, `rounds`,
    /// `weights`, `candidates` (normalized criteria and bonus), `enterprise_limit`,
    /// `dependencies`, `funded`.
    pub certificate: Map<String, Value>,
    /// The audit manifest (versions, input hashes, the sweep's parameters); set by the caller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest: Option<Manifest>,
}

/// A sweep's settings, as given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// The weight perturbation (`dirichlet:50`).
    pub weights: String,
    /// `--prefer` statements.
    pub prefer: Vec<String>,
    /// What-if overrides the scenario was loaded with (`--set`, `--lock`, `--exclude`, `--weight`).
    pub overrides: Vec<String>,
    /// Samples drawn (random perturbations).
    pub samples: usize,
    /// Seed.
    pub seed: u64,
    /// `--budget` grids as given.
    pub budgets: Vec<String>,
    /// The unit the `--budget` amounts without a unit of their own were read in: the scenario's
    /// (`yuan` when an older file does not say).
    #[serde(default)]
    pub budget_unit: Unit,
    /// `--experts` as given (`leave-one-out`, `bootstrap:200`); absent without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experts: Option<String>,
    /// Panel variants (1 without `--experts`).
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub panels: usize,
    /// Panel variants × weight vectors × budget points.
    pub runs: u64,
    /// Weight vectors.
    pub weight_vectors: usize,
    /// Budget points.
    pub budget_points: usize,
}

fn one() -> usize {
    1
}

fn is_one(n: &usize) -> bool {
    *n == 1
}

/// The certificate fields a [`SweepHeader`] keeps (and the summary JSON repeats at its top level).
pub const CERTIFICATE_KEYS: [&str; 9] = [
    "total_score",
    "total_subsidy",
    "pools",
    "rounds",
    "weights",
    "candidates",
    "enterprise_limit",
    "dependencies",
    "funded",
];
