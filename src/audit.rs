//! The audit manifest every JSON result carries: which allot and which HiGHS computed it, the
//! SHA-256 of every input file, and every parameter that affects the result — so anyone can
//! re-run it (or `allot verify` it) and get the same bytes. It holds no timestamps, host names or
//! absolute paths: two identical runs write identical manifests, and the same run from another
//! working folder differs only in `scenario_path`.
//!
//! Paths: the scenario file (or `.pb` file) is recorded by its file name, or relative to a base
//! folder the command names (`batch`: its scenario folder); files the scenario points to are
//! recorded relative to the scenario's folder (by file name when the scenario names them by an
//! absolute path). The built-in scenario is recorded by its bundled path
//! (`scenarios/quzhou-2019/scenario.toml`) with `builtin: true`, hashed from the embedded bytes.
//! `scenario_path` is where the scenario file was, relative to the folder the command ran in
//! (`scenarios/quzhou-2019/scenario.toml` for `allot solve scenarios/quzhou-2019` from the
//! repository root), so that `allot verify` finds it from that folder; it is left out for the
//! built-in scenario and for a scenario named by an absolute path.
//!
//! It lives outside `report` because building it reads the input files again to hash them, and
//! `report` reads no files: it only renders what it is given.

use crate::error::{Error, Result};
use crate::scenario::{builtin_file, Scenario};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Component, Path};

/// What computed a result, from what, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The allot version (`CARGO_PKG_VERSION`).
    pub allot: String,
    /// The HiGHS version, as the linked library reports it (`1.11.0`).
    pub highs: String,
    /// The subcommand (`solve`, `sweep`, `batch`).
    pub command: String,
    /// Every input file, scenario first.
    pub inputs: Vec<InputFile>,
    /// The scenario (or `.pb`) file relative to the folder the command ran in, `/`-separated
    /// (`..` kept); absent for the built-in scenario, an absolute path, and older manifests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario_path: Option<String>,
    /// Every parameter that affects the result, by name (flag names without `--`, sorted).
    pub parameters: BTreeMap<String, Value>,
}

/// One input file and its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFile {
    /// `scenario`, `applications` or `pb`.
    pub role: String,
    /// The path, relative as the module documentation says, `/`-separated.
    pub path: String,
    /// True for a file of the scenario compiled into allot.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub builtin: bool,
    /// SHA-256 of the file's bytes, lower-case hex.
    pub sha256: String,
}

impl Manifest {
    /// The manifest of a `command` run on `scenario` with `parameters`. `builtin` says the scenario
    /// is the one compiled into allot; `base` is the folder the scenario path is recorded
    /// relative to (`None`: by file name). Reads every input file again to hash it.
    pub fn new(
        command: &str,
        scenario: &Scenario,
        builtin: bool,
        base: Option<&Path>,
        parameters: BTreeMap<String, Value>,
    ) -> Result<Manifest> {
        Ok(Manifest {
            allot: env!("CARGO_PKG_VERSION").to_string(),
            highs: highs_version(),
            command: command.to_string(),
            inputs: inputs(scenario, builtin, base)?,
            scenario_path: scenario
                .sources
                .first()
                .filter(|_| !builtin)
                .and_then(|p| from_here(p)),
            parameters,
        })
    }
}

pub use crate::solve::highs_version;

/// SHA-256 of `bytes`, lower-case hex (what `sha256sum` prints).
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The input files of a loaded scenario (its `sources`), hashed; see [`Manifest::new`].
pub fn inputs(scenario: &Scenario, builtin: bool, base: Option<&Path>) -> Result<Vec<InputFile>> {
    let Some(main) = scenario.sources.first() else {
        return Ok(Vec::new());
    };
    let folder = main.parent().unwrap_or(Path::new(""));
    scenario
        .sources
        .iter()
        .enumerate()
        .map(|(i, path)| {
            let role = match i {
                0 if path.extension().and_then(|e| e.to_str()) == Some("pb") => "pb",
                0 => "scenario",
                _ => "applications",
            };
            let (recorded, bytes) = if builtin {
                let bytes = builtin_file(path).ok_or_else(|| {
                    Error::input(path.display(), "", "no such file in the built-in scenario")
                })?;
                (slashed(path), bytes.to_vec())
            } else {
                let bytes = std::fs::read(path).map_err(|e| {
                    Error::input(
                        path.display(),
                        "",
                        format!("cannot read it to hash it: {e}"),
                    )
                })?;
                let within = if i == 0 { base } else { Some(folder) };
                (relative(path, within), bytes)
            };
            Ok(InputFile {
                role: role.to_string(),
                path: recorded,
                builtin,
                sha256: sha256_hex(&bytes),
            })
        })
        .collect()
}

/// `path` relative to `base` when it lies inside it, else its file name; `/`-separated.
fn relative(path: &Path, base: Option<&Path>) -> String {
    let inside = base.and_then(|b| path.strip_prefix(b).ok());
    match inside {
        Some(rest) if rest.components().all(|c| matches!(c, Component::Normal(_))) => slashed(rest),
        _ => path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
    }
}

/// A relative path as written from the working folder, `/`-separated (`..` kept, `.` dropped);
/// `None` for an absolute path.
fn from_here(path: &Path) -> Option<String> {
    let mut parts = Vec::new();
    for c in path.components() {
        match c {
            Component::Normal(n) => parts.push(n.to_string_lossy().into_owned()),
            Component::ParentDir => parts.push("..".into()),
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.join("/"))
}

fn slashed(path: &Path) -> String {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(n) => Some(n.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_matches_the_standard_test_vector() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn paths_are_relative_or_bare_names() {
        let base = Path::new("runs/a");
        assert_eq!(
            relative(Path::new("runs/a/x/apps.csv"), Some(base)),
            "x/apps.csv"
        );
        assert_eq!(relative(Path::new("/abs/apps.csv"), Some(base)), "apps.csv");
        assert_eq!(relative(Path::new("../up/s.toml"), None), "s.toml");
        assert_eq!(
            relative(Path::new("runs/a/../b.csv"), Some(base)),
            "b.csv",
            "a path that leaves the base is recorded by name"
        );
    }

    #[test]
    fn the_scenario_path_is_relative_to_the_working_folder() {
        assert_eq!(
            from_here(Path::new("./scenarios/q/scenario.toml")).as_deref(),
            Some("scenarios/q/scenario.toml")
        );
        assert_eq!(
            from_here(Path::new("../q/s.toml")).as_deref(),
            Some("../q/s.toml")
        );
        assert_eq!(from_here(Path::new("/abs/s.toml")), None);
    }

    #[test]
    fn the_builtin_scenario_is_hashed_from_its_embedded_bytes() {
        let scenario = crate::scenario::load_default().unwrap();
        let files = inputs(&scenario, true, None).unwrap();
        assert_eq!(files.len(), 2);
        assert_eq!(files[0].path, "scenarios/quzhou-2019/scenario.toml");
        assert_eq!(files[1].role, "applications");
        let on_disk = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/quzhou-2019/applications.csv"),
        )
        .unwrap();
        assert_eq!(files[1].sha256, sha256_hex(&on_disk));
        assert!(highs_version().split('.').count() == 3);
    }
}
