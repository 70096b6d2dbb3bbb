//! The helpers every module of the integration tests shares: running the binary ([`Run`], what it
//! did in an [`Outcome`]), a temporary working folder ([`Workdir`]), golden files ([`golden`]),
//! fixtures ([`fixture`], [`edit`]); and, for the property tests, the random instances and the
//! brute-force oracle ([`oracle`]) and the adversarial shapes ([`shapes`]).

pub mod oracle;
pub mod shapes;

use serde_json::Value;
use std::collections::BTreeSet;
use std::ffi::{OsStr, OsString};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

pub const BIN: &str = env!("CARGO_BIN_EXE_allot");
pub const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

// ---------------------------------------------------------------------------------------------
// Running the binary
// ---------------------------------------------------------------------------------------------

/// One run of the binary to make: its arguments, and optionally a working folder (else the test's
/// own, the crate folder under `cargo test`), variables taken out of its environment and a umask.
#[must_use]
pub struct Run {
    args: Vec<OsString>,
    cwd: Option<PathBuf>,
    env_remove: Vec<&'static str>,
    umask: Option<&'static str>,
}

impl Run {
    pub fn new<S: AsRef<OsStr>>(args: &[S]) -> Run {
        Run {
            args: args.iter().map(|a| a.as_ref().to_owned()).collect(),
            cwd: None,
            env_remove: Vec::new(),
            umask: None,
        }
    }

    /// Runs in `dir`.
    pub fn cwd(mut self, dir: impl AsRef<Path>) -> Run {
        self.cwd = Some(dir.as_ref().to_owned());
        self
    }

    /// Takes `key` out of the environment the binary is given.
    pub fn env_remove(mut self, key: &'static str) -> Run {
        self.env_remove.push(key);
        self
    }

    /// Without `RUST_BACKTRACE` (a panic's report stays one message).
    pub fn no_backtrace(self) -> Run {
        self.env_remove("RUST_BACKTRACE")
    }

    /// Without the locale variables: the language must come from the flags and the scenario, not
    /// the machine's locale.
    pub fn no_locale(self) -> Run {
        self.env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("LANG")
    }

    /// Runs under `umask` (through `sh`, which sets it and execs the binary).
    pub fn umask(mut self, umask: &'static str) -> Run {
        self.umask = Some(umask);
        self
    }

    /// Runs the binary to its end.
    pub fn go(self) -> Outcome {
        let mut command = match self.umask {
            Some(umask) => {
                let mut sh = Command::new("sh");
                sh.arg("-c")
                    .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
                    .arg(BIN);
                sh
            }
            None => Command::new(BIN),
        };
        command.args(&self.args);
        if let Some(dir) = &self.cwd {
            command.current_dir(dir);
        }
        for key in &self.env_remove {
            command.env_remove(key);
        }
        let output = command.output().expect("the allot binary runs");
        let words: Vec<_> = self.args.iter().map(|a| a.to_string_lossy()).collect();
        Outcome {
            command: format!("allot {}", words.join(" ")),
            code: output.status.code().expect("allot exited by itself"),
            utf8: std::str::from_utf8(&output.stdout).is_ok()
                && std::str::from_utf8(&output.stderr).is_ok(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// Runs the binary in the crate folder (where `scenarios/` and `tests/fixtures/` are), without
/// `RUST_BACKTRACE`.
pub fn allot(args: &[&str]) -> Outcome {
    Run::new(args).cwd(MANIFEST_DIR).no_backtrace().go()
}

/// Runs the binary as it is (in the test's folder, its environment untouched); (exit code,
/// stdout, stderr).
pub fn plain<S: AsRef<OsStr>>(args: &[S]) -> (i32, String, String) {
    Run::new(args).go().parts()
}

/// Runs the binary as it is ([`plain`]) and insists on exit 0; stdout.
#[track_caller]
pub fn ok<S: AsRef<OsStr>>(args: &[S]) -> String {
    Run::new(args).go().ok()
}

/// What one run of the binary did.
pub struct Outcome {
    pub command: String,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// Both stdout and stderr were UTF-8 (else they hold the lossy conversion).
    utf8: bool,
}

impl Outcome {
    #[track_caller]
    pub fn code(&self, expected: i32) -> &Outcome {
        assert_eq!(
            self.code, expected,
            "`{}` exited with {} (expected {expected})\n--- stderr:\n{}\n--- stdout:\n{}",
            self.command, self.code, self.stderr, self.stdout
        );
        self
    }

    #[track_caller]
    pub fn success(&self) -> &Outcome {
        self.code(0)
    }

    /// Exit 0; stdout.
    #[track_caller]
    pub fn ok(self) -> String {
        self.success();
        self.stdout
    }

    /// Exit `code`, nothing on stdout and exactly one line on stderr, `allot: ` first, holding every part.
    #[track_caller]
    pub fn fails(&self, code: i32, parts: &[&str]) -> &Outcome {
        self.code(code);
        assert!(
            self.stdout.is_empty(),
            "`{}` failed but wrote to stdout:\n{}",
            self.command,
            self.stdout
        );
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(
            lines.len(),
            1,
            "`{}`: expected exactly one line on stderr, got {}:\n{}",
            self.command,
            lines.len(),
            self.stderr
        );
        self.mentions(parts)
    }

    /// The first stderr line starts with `allot: ` and the whole of stderr holds every part.
    #[track_caller]
    pub fn mentions(&self, parts: &[&str]) -> &Outcome {
        assert!(
            self.stderr.starts_with("allot: "),
            "`{}`: stderr does not start with `allot: `:\n{}",
            self.command,
            self.stderr
        );
        for part in parts {
            assert!(
                self.stderr.contains(part),
                "`{}`: stderr lacks {part:?}:\n{}",
                self.command,
                self.stderr
            );
        }
        self
    }

    /// A bad-input failure: exit 2, one line, every part named.
    #[track_caller]
    pub fn bad_input(&self, parts: &[&str]) -> &Outcome {
        self.fails(2, parts)
    }

    /// Both stdout and stderr are UTF-8.
    #[track_caller]
    pub fn utf8(self) -> Outcome {
        assert!(
            self.utf8,
            "`{}` wrote output that is not UTF-8:\n{}\n{}",
            self.command, self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!("`{}` printed no JSON ({e}):\n{}", self.command, self.stdout)
        })
    }

    /// The JSON certificate without its audit manifest (which hashes the input files: a workbook
    /// and the CSV it copies give the same result from different files).
    #[track_caller]
    pub fn result(&self) -> Value {
        let mut v = self.json();
        v.as_object_mut().expect("an object").remove("manifest");
        v
    }

    /// (exit code, stdout, stderr).
    pub fn parts(self) -> (i32, String, String) {
        (self.code, self.stdout, self.stderr)
    }
}

// ---------------------------------------------------------------------------------------------
// A temporary working folder
// ---------------------------------------------------------------------------------------------

/// A temporary working folder: write inputs, run the binary inside it, look at what it left.
pub struct Workdir {
    dir: TempDir,
    umask: Option<&'static str>,
    no_locale: bool,
}

impl Workdir {
    pub fn new() -> Workdir {
        Workdir {
            dir: tempfile::tempdir().expect("a temporary folder"),
            umask: None,
            no_locale: false,
        }
    }

    /// A workdir holding `files` (name, bytes).
    pub fn with(files: &[(&str, Vec<u8>)]) -> Workdir {
        let work = Workdir::new();
        for (name, bytes) in files {
            work.write(name, bytes);
        }
        work
    }

    /// Its runs ([`Workdir::run`]) are under `umask`.
    pub fn umask(mut self, umask: &'static str) -> Workdir {
        self.umask = Some(umask);
        self
    }

    /// Its runs ([`Workdir::run`]) are without the locale variables ([`Run::no_locale`]).
    pub fn no_locale(mut self) -> Workdir {
        self.no_locale = true;
        self
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes `name` (creating its folders).
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> &Workdir {
        let path = self.path(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folder");
        }
        std::fs::write(&path, contents).expect("write input");
        self
    }

    /// Copies a file of the repository (relative to the crate folder) into the workdir.
    pub fn copy(&self, from: &str, to: &str) -> &Workdir {
        let path = Path::new(MANIFEST_DIR).join(from);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        self.write(to, bytes)
    }

    pub fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    pub fn read_text(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    /// The permission bits of `name`.
    pub fn mode(&self, name: &str) -> u32 {
        std::fs::metadata(self.path(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .permissions()
            .mode()
            & 0o777
    }

    /// The names of the entries of a folder in the workdir (`""` for the workdir itself).
    pub fn entries(&self, folder: &str) -> BTreeSet<String> {
        std::fs::read_dir(self.path(folder))
            .expect("read folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect()
    }

    /// A run of the binary in the folder `sub` of the workdir (`""` for the workdir itself),
    /// without `RUST_BACKTRACE`, under the workdir's umask and locale.
    pub fn allot(&self, sub: &str, args: &[&str]) -> Run {
        let mut run = Run::new(args).cwd(self.path(sub)).no_backtrace();
        if let Some(umask) = self.umask {
            run = run.umask(umask);
        }
        if self.no_locale {
            run = run.no_locale();
        }
        run
    }

    /// Runs the binary in the workdir ([`Workdir::allot`]).
    pub fn run(&self, args: &[&str]) -> Outcome {
        self.allot("", args).go()
    }

    /// Runs the binary in the folder `sub` of the workdir under `umask`.
    pub fn run_in(&self, sub: &str, umask: &'static str, args: &[&str]) -> Outcome {
        self.allot(sub, args).umask(umask).go()
    }

    /// Writes `scenario.toml` (and optionally `applications.csv`) and solves it.
    pub fn solve_toml(&self, toml: &str, extra: &[&str]) -> Outcome {
        self.write("scenario.toml", toml);
        let mut args = vec!["solve", "scenario.toml"];
        args.extend_from_slice(extra);
        self.run(&args)
    }
}

// ---------------------------------------------------------------------------------------------
// Fixtures and golden files
// ---------------------------------------------------------------------------------------------

pub fn fixture_path(name: &str) -> PathBuf {
    Path::new(MANIFEST_DIR).join("tests/fixtures").join(name)
}

/// `tests/fixtures/NAME` as bytes.
pub fn fixture_bytes(name: &str) -> Vec<u8> {
    let path = fixture_path(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `tests/fixtures/NAME` as text.
pub fn fixture(name: &str) -> String {
    String::from_utf8(fixture_bytes(name)).expect("fixtures are UTF-8")
}

/// Replaces the one occurrence of `from` (panics if there is not exactly one, so a fixture edit
/// cannot silently stop applying).
#[track_caller]
pub fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "expected exactly one {from:?} in the fixture"
    );
    text.replacen(from, to, 1)
}

/// How to rewrite the golden files after an intended change of the output.
const BLESS: &str =
    "ALLOT_BLESS=1 cargo test --release --test integration -- cli:: explain:: whatif:: report::the_bundled_report";

/// Compares `actual` with `tests/golden/<name>`, or rewrites it when `ALLOT_BLESS=1`.
#[track_caller]
pub fn golden(name: &str, actual: &str) {
    let golden = Path::new(MANIFEST_DIR).join("tests/golden").join(name);
    if std::env::var_os("ALLOT_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&golden, actual).expect("write the golden file");
        return;
    }
    let expected = std::fs::read_to_string(&golden)
        .unwrap_or_else(|e| panic!("{}: {e}; create it with {BLESS}", golden.display()));
    if actual != expected {
        let line = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| actual.lines().count().min(expected.lines().count()));
        panic!(
            "the output differs from {} from line {}:\n  got:      {:?}\n  expected: {:?}\n\
             (if the change is intended: {BLESS})\n--- got:\n{actual}",
            golden.display(),
            line + 1,
            actual.lines().nth(line),
            expected.lines().nth(line)
        );
    }
}

/// Debian's chromium, or `None` with a printed note. In CI (`CI` set) a missing browser fails the
/// test: `.ci/setup` installs it.
pub fn chromium() -> Option<PathBuf> {
    let path = PathBuf::from("/usr/bin/chromium");
    if path.exists() {
        return Some(path);
    }
    if std::env::var_os("CI").is_some() {
        panic!("CI is set but /usr/bin/chromium is missing: .ci/setup installs it (apt-get install chromium)");
    }
    println!("skipped: /usr/bin/chromium is missing (apt-get install -y chromium)");
    None
}

/// The flags every headless Chromium of the tests runs with (no network of its own, no GPU, no
/// first-run work); a new empty `--user-data-dir` is added by each caller.
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
];

/// The Latin words of `text` (two letters or more) that are not among `allowed` (lower case):
/// what a Chinese output must not show outside ids, units and the user's own names.
pub fn latin_words<'a>(text: &'a str, allowed: &BTreeSet<String>) -> Vec<&'a str> {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 2 && !allowed.contains(&w.to_lowercase()))
        .collect()
}
