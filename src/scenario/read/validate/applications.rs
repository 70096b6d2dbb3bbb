//! `[applications]`: the projects from the applications file (a CSV table or a workbook's sheet)
//! and inline, with unique ids; then what needs both the rules and the projects: every project a
//! group limit counts has the attribute, and every criterion value is one the criterion can mean.

use super::{limits, within, Validator};
use crate::error::{Error, Result};
use crate::scenario::applications::{self, Context};
use crate::scenario::types::{Application, Criterion, Normalization, Round, Scoring};
use crate::scenario::workbook;
use rust_decimal::Decimal;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// Where each project was read, by id: `applications.csv: row 3`, for messages.
pub(super) type Origin = HashMap<String, String>;

impl Validator<'_> {
    /// The projects, sorted by id, and where each was read.
    pub(super) fn applications(
        &self,
        loaded: Option<(PathBuf, Vec<u8>)>,
        rounds: &[Round],
        scoring: &Scoring,
    ) -> Result<(Vec<Application>, Origin)> {
        let raw = &self.raw.applications;
        // Flags any rule mentions: a column with one of these names holds yes/no values.
        let mut flag_names: BTreeSet<String> = BTreeSet::new();
        for r in rounds {
            flag_names.extend(r.eligibility.require_flags.iter().cloned());
            flag_names.extend(r.eligibility.exclude_flags.iter().cloned());
            flag_names.extend(r.subsidy.uplifts.iter().map(|u| u.flag.clone()));
        }
        flag_names.extend(scoring.bonus.iter().map(|b| b.flag.clone()));
        let context = Context {
            rounds,
            criteria: &scoring.criteria,
            flags: &flag_names,
        };
        let mut apps: Vec<Application> = Vec::new();
        let mut origin = Origin::new();
        if loaded.is_none() && raw.sheet.is_some() {
            return Err(self.err(
                "applications.sheet",
                "names a sheet, but there is no applications file",
            ));
        }
        if let Some((path, bytes)) = &loaded {
            for (at, app) in self.table(path, bytes, &context)? {
                admit(
                    &mut apps,
                    &mut origin,
                    format!("{}: {at}", path.display()),
                    app,
                )?;
            }
        }
        for (i, a) in raw.projects.iter().enumerate() {
            let at = format!("applications.projects[{i}] ({})", a.id);
            let app = applications::from_inline(a, raw.unit, &context)
                .map_err(|why| self.err(&at, why))?;
            admit(
                &mut apps,
                &mut origin,
                format!("{}: {at}", self.file.display()),
                app,
            )?;
        }
        apps.sort_by(|a, b| a.id.cmp(&b.id));
        Ok((apps, origin))
    }

    /// The rows of the applications file, each with where it was read.
    fn table(
        &self,
        path: &Path,
        bytes: &[u8],
        context: &Context,
    ) -> Result<Vec<(String, Application)>> {
        let unit = self.raw.applications.unit;
        let sheet = self.raw.applications.sheet.as_deref();
        let rows = if workbook::is_workbook(path) {
            workbook::read(path, bytes, sheet, unit, context)?
        } else if sheet.is_some() {
            return Err(self.err(
                "applications.sheet",
                format!(
                    "{} is not a workbook; only a workbook (.xlsx, .xls, .ods) has sheets",
                    path.display()
                ),
            ));
        } else {
            applications::read_csv(path, bytes, unit, context)?
        };
        if rows.is_empty() {
            return Err(Error::input(
                path.display(),
                "",
                "has a header row but no applications",
            ));
        }
        Ok(rows)
    }

    /// Every project a round's group limit counts has a value for the limit's attribute.
    pub(super) fn group_limits_apply(
        &self,
        rounds: &[Round],
        apps: &[Application],
        origin: &Origin,
    ) -> Result<()> {
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
        Ok(())
    }

    /// Every criterion value within the criterion's range, or else within the limit for its kind.
    pub(super) fn criterion_values(
        &self,
        apps: &[Application],
        criteria: &[Criterion],
        origin: &Origin,
    ) -> Result<()> {
        for a in apps {
            for (i, (value, c)) in a.criteria.iter().zip(criteria).enumerate() {
                let Some(value) = *value else { continue };
                // A panel's scores are checked one by one: their aggregate lies between them.
                let scores = match (&c.panel, a.panels.get(i)) {
                    (Some(panel), Some(scores)) if !scores.is_empty() => panel
                        .experts
                        .iter()
                        .zip(scores)
                        .map(|(e, s)| (format!(", expert {e:?}"), *s))
                        .collect(),
                    _ => vec![(String::new(), value)],
                };
                for (expert, value) in scores {
                    self.criterion_value(a, c, &expert, value, origin)?;
                }
            }
        }
        Ok(())
    }

    /// One value (or one expert's score) within the criterion's range, or the limit for its kind.
    fn criterion_value(
        &self,
        a: &Application,
        c: &Criterion,
        expert: &str,
        value: Decimal,
        origin: &Origin,
    ) -> Result<()> {
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
        match why {
            Some(why) => Err(Error::Input(format!(
                "{}: criterion {} ({}){expert}: {why}",
                origin[&a.id], c.id, c.name
            ))),
            None => Ok(()),
        }
    }
}

/// Adds a project read `here`, refusing an id already used.
fn admit(
    apps: &mut Vec<Application>,
    origin: &mut Origin,
    here: String,
    app: Application,
) -> Result<()> {
    if let Some(first) = origin.insert(app.id.clone(), here.clone()) {
        return Err(Error::Input(format!(
            "{here}: project id {:?} is used twice (first at {first})",
            app.id
        )));
    }
    apps.push(app);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{refusal, refusal_with_table};

    /// The committee's table followed by an `[applications]` table of `keys`.
    fn applications(keys: &str) -> (&'static str, String) {
        (
            "[committee]\n",
            format!("[committee]\n\n[applications]\n{keys}\n"),
        )
    }

    const HEADER: &str = "id,enterprise,rounds,equipment,quality\n";

    #[test]
    fn a_sheet_needs_an_applications_file() {
        let (from, to) = applications("sheet = \"Sheet1\"");
        assert_eq!(
            refusal(&[(from, &to)]),
            "s.toml: applications.sheet: names a sheet, but there is no applications file"
        );
    }

    #[test]
    fn only_a_workbook_has_sheets() {
        let (from, to) = applications("file = \"a.csv\"\nsheet = \"Sheet1\"");
        assert_eq!(
            refusal_with_table(&[(from, &to)], &format!("{HEADER}B1,Bolt,big,100,80\n")),
            "s.toml: applications.sheet: a.csv is not a workbook; only a workbook (.xlsx, .xls, .ods) has sheets"
        );
    }

    #[test]
    fn an_applications_file_has_applications() {
        let (from, to) = applications("file = \"a.csv\"");
        assert_eq!(
            refusal_with_table(&[(from, &to)], HEADER),
            "a.csv: has a header row but no applications"
        );
    }

    #[test]
    fn a_project_id_is_used_once_in_the_table() {
        let (from, to) = applications("file = \"a.csv\"");
        assert_eq!(
            refusal_with_table(
                &[(from, &to)],
                &format!("{HEADER}B1,Bolt,big,100,80\nB1,Bolt,big,200,70\n")
            ),
            "a.csv: row 3: project id \"B1\" is used twice (first at a.csv: row 2)"
        );
    }

    #[test]
    fn a_project_id_is_used_once_inline() {
        assert_eq!(
            refusal(&[("id = \"A2\"", "id = \"A1\"")]),
            "s.toml: applications.projects[1] (A1): project id \"A1\" is used twice (first at s.toml: applications.projects[0] (A1))"
        );
    }

    #[test]
    fn an_inline_project_does_not_repeat_one_of_the_table() {
        let (from, to) = applications("file = \"a.csv\"");
        assert_eq!(
            refusal_with_table(&[(from, &to)], &format!("{HEADER}A1,Bolt,big,100,80\n")),
            "s.toml: applications.projects[0] (A1): project id \"A1\" is used twice (first at a.csv: row 2)"
        );
    }

    #[test]
    fn an_inline_project_is_refused_at_its_entry() {
        assert_eq!(
            refusal(&[(
                "enterprise = \"Acme\"\nrounds = [\"big\"]",
                "enterprise = \"Acme\"\nrounds = []"
            )]),
            "s.toml: applications.projects[0] (A1): project A1 applies to no round"
        );
    }

    #[test]
    fn every_project_a_group_limit_counts_has_the_attribute() {
        assert_eq!(
            refusal(&[(
                "max_projects = 2\n",
                "max_projects = 2\ngroup_limits = [{ attribute = \"district\", max = 1 }]\n"
            )]),
            "s.toml: rounds[0] (big).group_limits[0]: limits attribute \"district\", but project A1 (s.toml: applications.projects[0] (A1)) has no value for it"
        );
    }

    #[test]
    fn a_criterion_value_is_within_the_criterion_s_range() {
        assert_eq!(
            refusal(&[("weight = 1 }", "weight = 1, range = [0, 75] }")]),
            "s.toml: applications.projects[0] (A1): criterion quality (quality): 80 is outside the criterion's range [0, 75]"
        );
    }

    #[test]
    fn an_as_is_criterion_value_is_within_ten_thousand_points() {
        assert_eq!(
            refusal(&[("scores = { quality = 70 }", "scores = { quality = -20000 }")]),
            "s.toml: applications.projects[1] (A2): criterion quality (quality): -20000 is out of range: it must be within ±10,000 (an as-is criterion's values are points of the score; give it a normalization for indicators on another scale)"
        );
    }

    #[test]
    fn a_normalized_criterion_value_is_within_a_million_million() {
        assert_eq!(
            refusal(&[
                ("weight = 1 }", "weight = 1, normalization = \"min_max\" }"),
                ("scores = { quality = 80 }", "scores = { quality = \"2e12\" }"),
            ]),
            "s.toml: applications.projects[0] (A1): criterion quality (quality): 2000000000000 is out of range: it must be within ±1,000,000,000,000"
        );
    }
}
