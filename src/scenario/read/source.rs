//! Where a scenario comes from: a file or a folder on disk, the built-in default compiled into
//! the binary, or files held in memory; and how its text becomes the raw [`RawScenario`] (TOML or
//! JSON, parse errors located by line and column) before validation.

use super::schema::RawScenario;
use super::validate::Validator;
use crate::error::{Error, Result};
use crate::scenario::types::Scenario;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The bundled default: Quzhou 2019, Article 5, with a synthetic sample of applications.
const DEFAULT_SCENARIO: &str = include_str!("../../../scenarios/quzhou-2019/scenario.toml");
const DEFAULT_APPLICATIONS: &str = include_str!("../../../scenarios/quzhou-2019/applications.csv");
/// The name under which the embedded default reports its files.
pub const DEFAULT_DIR: &str = "scenarios/quzhou-2019";

/// Where the reader gets file contents: the disk, or the copy compiled into the binary.
pub(super) trait Files {
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

/// A scenario file read but not yet validated: the hook through which what-if overrides
/// (`overrides.rs`) change the raw document before the usual validation runs on it.
pub(crate) struct Source {
    embedded: bool,
    file: PathBuf,
    text: String,
    /// The files a build read, kept by [`Source::hold`] so that later builds do not read the disk.
    held: Option<Held>,
}

/// Files read once and kept, each under the path the scenario reads it by; any other path is
/// read as the source would read it (the disk, or the built-in files).
struct Held {
    embedded: bool,
    files: Vec<(PathBuf, Vec<u8>)>,
}

impl Files for Held {
    fn read(&self, path: &Path) -> Result<Vec<u8>> {
        match self.files.iter().find(|(p, _)| p == path) {
            Some((_, bytes)) => Ok(bytes.clone()),
            None if self.embedded => Embedded.read(path),
            None => Disk.read(path),
        }
    }
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
            held: None,
        })
    }

    /// Keeps the files `scenario` (built from this source) was read from in memory: a server
    /// rebuilds the scenario for every what-if without reading the disk again, and answers from
    /// the files as they were when it started.
    pub(crate) fn hold(&mut self, scenario: &Scenario) -> Result<()> {
        let mut files = Vec::new();
        for path in scenario.sources.iter().skip(1) {
            files.push((path.clone(), self.files().read(path)?));
        }
        self.held = Some(Held {
            embedded: self.embedded,
            files,
        });
        Ok(())
    }

    fn files(&self) -> &dyn Files {
        if let Some(held) = &self.held {
            held
        } else if self.embedded {
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

pub(super) fn read_text(files: &dyn Files, file: &Path) -> Result<String> {
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
    let text = crate::scenario::decode::utf8(&file.display(), &bytes)?;
    if text.trim().is_empty() {
        return Err(Error::input(
            file.display(),
            "",
            "the file is empty; a scenario needs [[pools]], [[rounds]], [scoring] and [applications]",
        ));
    }
    Ok(text.to_string())
}

pub(super) fn parse_raw(file: &Path, text: &str) -> Result<RawScenario> {
    if is_json(file) {
        serde_json::from_str(text).map_err(|e| json_error(file, &e))
    } else {
        toml::from_str(text).map_err(|e| toml_error(file, text, &e))
    }
}

pub(super) fn build_raw(files: &dyn Files, file: &Path, raw: &RawScenario) -> Result<Scenario> {
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

pub(super) fn toml_error(file: &Path, text: &str, e: &toml::de::Error) -> Error {
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

pub(super) fn json_error(file: &Path, e: &serde_json::Error) -> Error {
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

/// Files held in memory, each under the name the scenario uses for it.
pub(super) struct Memory<'a>(pub(super) &'a [(&'a str, &'a [u8])]);

impl Files for Memory<'_> {
    fn read(&self, path: &Path) -> Result<Vec<u8>> {
        self.0
            .iter()
            .find(|(name, _)| Path::new(name) == path)
            .map(|(_, bytes)| bytes.to_vec())
            .ok_or_else(|| Error::input(path.display(), "", "no such file"))
    }
}

#[cfg(test)]
mod tests {
    use super::super::validate::fixture::edited;
    use super::*;
    use crate::scenario::load_from_memory;

    fn refusal(scenario: &str, files: &[(&str, &[u8])]) -> String {
        load_from_memory(scenario, files).unwrap_err().to_string()
    }

    #[test]
    fn an_applications_table_is_not_a_scenario() {
        assert_eq!(
            refusal("a.csv", &[("a.csv", b"id\n")]),
            "a.csv: this is an applications table, not a scenario: name the scenario file (.toml or .json) whose [applications] file points to it"
        );
    }

    #[test]
    fn a_workbook_is_not_a_scenario() {
        assert_eq!(
            refusal("a.XLSX", &[]),
            "a.XLSX: this is a workbook of applications, not a scenario: name the scenario file (.toml or .json) whose [applications] file points to it (and [applications] sheet, when not the first)"
        );
    }

    #[test]
    fn an_empty_file_is_not_a_scenario() {
        assert_eq!(
            refusal("s.toml", &[("s.toml", b" \n\t\n")]),
            "s.toml: the file is empty; a scenario needs [[pools]], [[rounds]], [scoring] and [applications]"
        );
    }

    #[test]
    fn the_applications_file_exists() {
        let text = edited(&[(
            "[committee]\n",
            "[committee]\n\n[applications]\nfile = \"a.csv\"\n",
        )]);
        assert_eq!(
            refusal("s.toml", &[("s.toml", text.as_bytes())]),
            "a.csv: no such file"
        );
    }

    #[test]
    fn parse_errors_are_located_by_line_and_column() {
        assert_eq!(
            refusal("s.toml", &[("s.toml", b"[[pools]]\nid = 1\n")]),
            "s.toml: line 2, column 6: invalid type: integer `1`, expected a string"
        );
        assert_eq!(
            refusal("s.json", &[("s.json", b"{\"pools\": 1}")]),
            "s.json: line 1, column 11: invalid type: integer `1`, expected a sequence"
        );
    }

    #[test]
    fn the_built_in_files_are_known_by_the_names_they_report() {
        let dir = Path::new(DEFAULT_DIR);
        assert!(builtin_file(&dir.join("scenario.toml")).is_some());
        assert!(builtin_file(&dir.join("applications.csv")).is_some());
        assert!(builtin_file(&dir.join("other.csv")).is_none());
        assert!(builtin_file(Path::new("scenario.toml")).is_none());
    }
}
