//! Reading a scenario file (TOML or JSON, one serde schema) into validated [`Scenario`] values.
//! All references are resolved here so that later stages index without failing, and every message
//! names the file and the key or row at fault.
//!
//! The entry points are below; `source` finds and reads the files (disk, built-in, memory),
//! `schema` is the raw shape serde reads, and `validate` checks it one section at a time.

mod schema;
mod source;
mod validate;
/// The largest weight a scenario may hold.
pub(crate) use validate::limits::WEIGHT as MAX_WEIGHT;

pub(crate) use schema::Num;
use schema::RawScenario;
pub(crate) use source::Source;
use source::{build_raw, json_error, parse_raw, read_text, toml_error, Memory};
pub use source::{builtin_file, DEFAULT_DIR};
use validate::Validator;

use crate::error::{Error, Result};
use crate::scenario::types::Scenario;
use std::path::Path;

/// Loads the scenario compiled into the binary.
pub fn load_default() -> Result<Scenario> {
    Source::open(None)?.build(None)
}

/// Loads a scenario from a file, or from a folder holding exactly one `scenario.toml`
/// (or one `.toml` / `.json` file).
pub fn load(path: &Path) -> Result<Scenario> {
    Source::open(Some(path))?.build(None)
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

/// Loads a scenario exactly as [`load`] would from disk, but from files held in memory: `files`
/// pairs each name with its bytes, `scenario` names the scenario file among them (a `.json` name
/// is read as JSON). Every byte goes through the same decoding and validation as a file's, which
/// is what the fuzz targets and `allot generate`'s check of what it would write need.
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

#[cfg(test)]
mod tests {
    use super::validate::fixture::refusal;

    #[test]
    fn an_in_memory_scenario_lists_its_projects_inline() {
        assert_eq!(
            refusal(&[(
                "[committee]\n",
                "[committee]\n\n[applications]\nfile = \"a.csv\"\n"
            )]),
            "s.toml: applications.file: an in-memory scenario must list its projects inline"
        );
    }
}
