//! `[applications]`: the projects from the applications file (a CSV table or a workbook's sheet)
//! and inline, with unique ids; then what needs both the rules and the projects: every project a
//! group limit counts has the attribute, and every criterion value is one the criterion can mean.

use super::{limits, within, Validator};
use crate::error::{Error, Result};
use crate::scenario::applications::{self, Context};
use crate::scenario::types::{Application, Criterion, Normalization, Round, Scoring};
use crate::scenario::workbook;
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
            for (value, c) in a.criteria.iter().zip(criteria) {
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
        Ok(())
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
