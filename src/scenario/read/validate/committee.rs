//! `[committee]`: decisions that name projects and rounds that exist (a lock in a round the
//! project applied to), dependencies that do not contradict each other, and an enterprise limit
//! only where every project names its enterprise.

use super::applications::Origin;
use super::{listed, Validator};
use crate::error::Result;
use crate::scenario::types::{Application, Committee, Dependency, DependencyKind, Lock, Round};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The projects by id, to resolve the committee's references.
struct Projects<'a>(BTreeMap<&'a str, usize>);

impl Validator<'_> {
    pub(super) fn committee(
        &self,
        apps: &[Application],
        round_index: &HashMap<String, usize>,
        rounds: &[Round],
        origin: &Origin,
    ) -> Result<Committee> {
        let raw = &self.raw.committee;
        let projects = Projects(
            apps.iter()
                .enumerate()
                .map(|(i, a)| (a.id.as_str(), i))
                .collect(),
        );
        let must_fund = self.must_fund(&projects, apps, round_index, rounds)?;
        let mut exclude = BTreeSet::new();
        for (i, id) in raw.exclude.iter().enumerate() {
            exclude.insert(self.project(&projects, id, &format!("committee.exclude[{i}]"))?);
        }
        let mut dependencies = Vec::new();
        for (i, d) in raw.dependencies.iter().enumerate() {
            let at = format!("committee.dependencies[{i}]");
            let p = self.project(&projects, &d.project, &at)?;
            let o = self.project(&projects, &d.other, &at)?;
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
        if raw.enterprise_limit.is_some() {
            if let Some(a) = apps.iter().find(|a| a.enterprise.trim().is_empty()) {
                return Err(self.err(
                    "committee.enterprise_limit",
                    format!("project {} ({}) has no enterprise name, so the limit cannot be applied to it", a.id, origin[&a.id]),
                ));
            }
        }
        Ok(Committee {
            must_fund,
            exclude,
            dependencies,
            enterprise_limit: raw.enterprise_limit,
        })
    }

    /// The index of project `id`, named at `at`.
    fn project(&self, projects: &Projects, id: &str, at: &str) -> Result<usize> {
        projects
            .0
            .get(id)
            .copied()
            .ok_or_else(|| self.err(at, format!("{id:?} is not a project in the applications")))
    }

    /// The locks, each once, each in a round its project applied to.
    fn must_fund(
        &self,
        projects: &Projects,
        apps: &[Application],
        round_index: &HashMap<String, usize>,
        rounds: &[Round],
    ) -> Result<Vec<Lock>> {
        let mut must_fund: Vec<Lock> = Vec::new();
        for (i, l) in self.raw.committee.must_fund.iter().enumerate() {
            let at = format!("committee.must_fund[{i}]");
            let p = self.project(projects, &l.project, &at)?;
            let r = *round_index.get(&l.round).ok_or_else(|| {
                self.err(
                    &at,
                    format!(
                        "{:?} is not a round (rounds: {})",
                        l.round,
                        listed(rounds.iter().map(|r| r.id.as_str()))
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
            let lock = Lock {
                project: p,
                round: r,
            };
            if !must_fund.contains(&lock) {
                must_fund.push(lock);
            }
        }
        Ok(must_fund)
    }

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
