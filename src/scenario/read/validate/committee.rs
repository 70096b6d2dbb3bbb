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

#[cfg(test)]
mod tests {
    use super::super::fixture::{edited, refusal};
    use crate::scenario::from_toml_str;

    /// The committee's table with `keys` in it.
    fn committee(keys: &str) -> (&'static str, String) {
        ("[committee]\n", format!("[committee]\n{keys}\n"))
    }

    /// A third project, A3, after the others.
    const A3: &str = "\n[[applications.projects]]\nid = \"A3\"\nenterprise = \"Core\"\nrounds = [\"big\"]\nequipment = \"300000\"\nscores = { quality = 60 }\n";

    /// The minimal scenario with A3 and the committee's `keys`.
    fn refusal_with_a3(keys: &str) -> String {
        let (from, to) = committee(keys);
        let text = format!("{}{A3}", edited(&[(from, &to)]));
        from_toml_str(&text, "s.toml").unwrap_err().to_string()
    }

    #[test]
    fn a_decision_names_a_project_in_the_applications() {
        for (keys, at) in [
            (
                "must_fund = [{ project = \"A9\", round = \"big\" }]",
                "must_fund[0]",
            ),
            ("exclude = [\"A1\", \"A9\"]", "exclude[1]"),
            (
                "dependencies = [{ kind = \"requires\", project = \"A1\", other = \"A9\" }]",
                "dependencies[0]",
            ),
        ] {
            let (from, to) = committee(keys);
            assert_eq!(
                refusal(&[(from, &to)]),
                format!("s.toml: committee.{at}: \"A9\" is not a project in the applications")
            );
        }
    }

    #[test]
    fn a_lock_names_a_round() {
        let (from, to) = committee("must_fund = [{ project = \"A1\", round = \"small\" }]");
        assert_eq!(
            refusal(&[(from, &to)]),
            "s.toml: committee.must_fund[0]: \"small\" is not a round (rounds: big)"
        );
    }

    #[test]
    fn a_lock_is_in_a_round_the_project_applied_to() {
        let small = "\n[[rounds]]\nid = \"small\"\npool = \"main\"\nmax_projects = 1\n\n[rounds.subsidy]\nrate = \"0.05\"\n\n[scoring]";
        let (from, to) = committee("must_fund = [{ project = \"A1\", round = \"small\" }]");
        assert_eq!(
            refusal(&[("\n[scoring]", small), (from, &to)]),
            "s.toml: committee.must_fund[0]: project A1 did not apply to round small"
        );
    }

    #[test]
    fn a_lock_given_twice_is_kept_once() {
        let (from, to) = committee(
            "must_fund = [{ project = \"A1\", round = \"big\" }, { project = \"A1\", round = \"big\" }]",
        );
        let s = from_toml_str(&edited(&[(from, &to)]), "s.toml").expect("valid");
        assert_eq!(s.committee.must_fund.len(), 1);
    }

    #[test]
    fn a_project_does_not_depend_on_itself() {
        let (from, to) =
            committee("dependencies = [{ kind = \"excludes\", project = \"A1\", other = \"A1\" }]");
        assert_eq!(
            refusal(&[(from, &to)]),
            "s.toml: committee.dependencies[0]: project A1 cannot depend on itself"
        );
    }

    #[test]
    fn a_project_does_not_require_one_it_excludes() {
        let (from, to) = committee(
            "dependencies = [\n  { kind = \"requires\", project = \"A1\", other = \"A2\" },\n  { kind = \"excludes\", project = \"A2\", other = \"A1\" },\n]",
        );
        assert_eq!(
            refusal(&[(from, &to)]),
            "s.toml: committee.dependencies[1]: project A1 requires A2 but they exclude each other, so it could never be funded"
        );
    }

    #[test]
    fn a_project_does_not_require_two_that_exclude_each_other() {
        assert_eq!(
            refusal_with_a3(
                "dependencies = [\n  { kind = \"requires\", project = \"A1\", other = \"A2\" },\n  { kind = \"requires\", project = \"A1\", other = \"A3\" },\n  { kind = \"excludes\", project = \"A2\", other = \"A3\" },\n]"
            ),
            "s.toml: committee.dependencies[2]: project A1 requires both A2 and A3, which exclude each other, so it could never be funded"
        );
    }

    #[test]
    fn a_cycle_of_requires_is_accepted() {
        let (from, to) = committee(
            "dependencies = [\n  { kind = \"requires\", project = \"A1\", other = \"A2\" },\n  { kind = \"requires\", project = \"A2\", other = \"A1\" },\n]",
        );
        let s = from_toml_str(&edited(&[(from, &to)]), "s.toml").expect("valid");
        assert_eq!(s.committee.dependencies.len(), 2);
    }

    #[test]
    fn an_enterprise_limit_needs_every_enterprise_named() {
        let (from, to) = committee("enterprise_limit = 1");
        assert_eq!(
            refusal(&[(from, &to), ("enterprise = \"Bolt\"", "enterprise = \" \"")]),
            "s.toml: committee.enterprise_limit: project A2 (s.toml: applications.projects[1] (A2)) has no enterprise name, so the limit cannot be applied to it"
        );
    }
}
