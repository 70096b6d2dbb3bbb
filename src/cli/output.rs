//! Writing results: to stdout, or atomically to a file (a temporary file in the same folder,
//! renamed into place), so a failed run never leaves a partial output file.
//!
//! Written files behave like any Unix tool's: a new file gets `0666 & !umask` (the temporary file
//! is created with mode 0666 and the kernel applies the umask), a file that is replaced keeps its
//! mode, and a symlink is followed — its target is replaced, atomically and beside the target,
//! and the link stays a link. This is the one writer of the binary: the library renders bytes,
//! the command line puts them in files.

use allot::Error;
use std::io::Write;
use std::path::{Path, PathBuf};
use tempfile::NamedTempFile;

/// Writes `text` to `path` (`-` or none: stdout).
pub fn write(path: Option<&Path>, text: &str) -> allot::Result<()> {
    write_bytes(path, text.as_bytes())
}

/// Writes `bytes` to `path` (`-` or none: stdout); binary formats refuse stdout before this.
pub fn write_bytes(path: Option<&Path>, bytes: &[u8]) -> allot::Result<()> {
    match path {
        None => print_stdout(bytes),
        Some(p) if p == Path::new("-") => print_stdout(bytes),
        Some(p) => write_files(&[(p.to_path_buf(), bytes.to_vec())]),
    }
}

/// A file the run reads, and what it is to the run (for the message that refuses to overwrite it).
pub struct Input {
    path: PathBuf,
    what: String,
}

impl Input {
    /// An input file described as `what` (`the base certificate`).
    pub fn new(path: &Path, what: impl Into<String>) -> Input {
        Input {
            path: path.to_path_buf(),
            what: what.into(),
        }
    }
}

/// The files a scenario was read from (none for the built-in one, which is not read from disk).
pub fn scenario_inputs(scenario: &allot::scenario::Scenario, builtin: bool) -> Vec<Input> {
    if builtin {
        return Vec::new();
    }
    let Some(main) = scenario.sources.first() else {
        return Vec::new();
    };
    let name = main.file_name().map_or_else(
        || main.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    scenario
        .sources
        .iter()
        .enumerate()
        .map(|(i, path)| match i {
            0 if path.extension().is_some_and(|e| e == "pb") => {
                Input::new(path, "the Pabulib file")
            }
            0 => Input::new(path, "the scenario file"),
            _ => Input::new(path, format!("the applications of {name}")),
        })
        .collect()
}

/// An output of the run: the flag that names it and the file.
pub struct Output<'a> {
    flag: &'a str,
    path: PathBuf,
    /// The run creates the file's folder when it is missing (`--plot DIR`, `batch --results DIR`).
    creates_folder: bool,
}

impl<'a> Output<'a> {
    /// The file `path` named by `flag` (`-o`, `--emit-runs`).
    pub fn new(flag: &'a str, path: &Path) -> Output<'a> {
        Output {
            flag,
            path: path.to_path_buf(),
            creates_folder: false,
        }
    }

    /// The file `path` in a folder the run creates when it is missing.
    pub fn in_new_folder(flag: &'a str, path: &Path) -> Output<'a> {
        Output {
            creates_folder: true,
            ..Output::new(flag, path)
        }
    }

    /// `path` when given and not `-` (stdout).
    pub fn file(flag: &'a str, path: Option<&Path>) -> Option<Output<'a>> {
        path.filter(|p| *p != Path::new("-"))
            .map(|p| Output::new(flag, p))
    }
}

/// The chart files `--plot DIR` writes.
pub fn chart_outputs(dir: Option<&Path>) -> Vec<Output<'static>> {
    dir.into_iter()
        .flat_map(|d| {
            allot::report::chart::FILES.map(|f| Output::in_new_folder("--plot", &d.join(f)))
        })
        .collect()
}

/// Checks the outputs of a run before the work starts, so a long sweep does not fail at its end:
/// none of them is one of the run's inputs (compared as files — device and inode — not as names,
/// so `./a.csv`, a symlink to it or a hard link are all caught: exit 2), and each can be written
/// (its folder exists, or will be created, and a file can be created in it: exit 1).
pub fn check<'a>(
    outputs: impl IntoIterator<Item = Output<'a>>,
    inputs: &[Input],
) -> allot::Result<()> {
    let outputs: Vec<Output> = outputs
        .into_iter()
        .filter(|o| o.path != Path::new("-"))
        .collect();
    for out in &outputs {
        if let Some(input) = inputs.iter().find(|i| same_file(&out.path, &i.path)) {
            return Err(Error::Input(format!(
                "{} {}: this is an input of the run ({}); choose another file",
                out.flag,
                out.path.display(),
                input.what
            )));
        }
    }
    outputs.iter().try_for_each(writable)
}

/// Whether `out` can be written: by creating (and dropping) a temporary file where the writer
/// will create its own.
fn writable(out: &Output) -> allot::Result<()> {
    let path = &out.path;
    if is_special(path) {
        return Ok(());
    }
    let cannot = |why: String| Error::Output(format!("{}: cannot write: {why}", path.display()));
    let real = resolve(path).map_err(|e| cannot(e.to_string().to_lowercase()))?;
    if real.is_dir() {
        return Err(cannot("it is a folder".into()));
    }
    let mut dir = folder(&real).to_path_buf();
    if out.creates_folder {
        // The nearest folder that exists is where the missing ones will be created.
        while !dir.exists() {
            match dir.parent() {
                Some(up) if !up.as_os_str().is_empty() => dir = up.to_path_buf(),
                _ => {
                    dir = PathBuf::from(".");
                    break;
                }
            }
        }
    }
    match std::fs::metadata(&dir) {
        Err(_) => Err(cannot(format!(
            "the folder {} does not exist",
            dir.display()
        ))),
        Ok(m) if !m.is_dir() => Err(cannot(format!("{} is not a folder", dir.display()))),
        Ok(_) => tempfile::Builder::new()
            .tempfile_in(&dir)
            .map(drop)
            .map_err(|e| cannot(e.to_string().to_lowercase())),
    }
}

/// Whether two paths name the same existing file (after symlinks).
fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        ma.dev() == mb.dev() && ma.ino() == mb.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (ma, mb);
        matches!(
            (std::fs::canonicalize(a), std::fs::canonicalize(b)),
            (Ok(x), Ok(y)) if x == y
        )
    }
}

/// Writes several files: every one is written to its temporary file first, then all are put in
/// place, so an error while writing leaves none of them half-written (for the `--plot` charts).
pub fn write_files(files: &[(PathBuf, Vec<u8>)]) -> allot::Result<()> {
    let mut pending = Vec::new();
    for (path, bytes) in files {
        if is_special(path) {
            write_special(path, bytes)?;
            continue;
        }
        let real = resolve(path).map_err(|e| fail(path, e))?;
        let mut file = beside(&real).map_err(|e| fail(path, e))?;
        file.write_all(bytes).map_err(|e| fail(path, e))?;
        pending.push((file, path, real));
    }
    for (file, path, real) in pending {
        file.persist(&real).map_err(|e| fail(path, e.error))?;
    }
    Ok(())
}

/// Writes the `--plot` charts into `dir`, created when missing.
pub fn write_charts(dir: &Path, charts: Vec<(&str, String)>) -> allot::Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| {
        Error::Output(format!(
            "{}: cannot create the chart folder: {}",
            dir.display(),
            e.to_string().to_lowercase()
        ))
    })?;
    let files: Vec<(PathBuf, Vec<u8>)> = charts
        .into_iter()
        .map(|(name, svg)| (dir.join(name), svg.into_bytes()))
        .collect();
    write_files(&files)
}

/// The file a write to `path` replaces: `path` itself, or the file its symlinks lead to (a
/// dangling link leads to the file it names, which is created).
fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let mut at = path.to_path_buf();
    // The limit Linux puts on a chain of links (ELOOP).
    for _ in 0..40 {
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = std::fs::read_link(&at)?;
                at = match at.parent() {
                    Some(dir) => dir.join(link),
                    None => link,
                };
            }
            _ => return Ok(at),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// The folder a file is in (`.` for a bare name).
fn folder(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// A temporary file in the folder of `real`, with the mode `real` will have once it is renamed
/// into place: the mode of the file it replaces, or 0666 less the umask for a new file.
fn beside(real: &Path) -> std::io::Result<NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let file = builder.tempfile_in(folder(real))?;
    if let Ok(existing) = std::fs::metadata(real) {
        if existing.is_file() {
            file.as_file().set_permissions(existing.permissions())?;
        }
    }
    Ok(file)
}

/// Whether `path` exists and is neither a file nor a folder (`/dev/null`, `/dev/stdout`, a FIFO):
/// such a path is written in place — renaming a temporary file over it would replace the device.
fn is_special(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

fn write_special(path: &Path, bytes: &[u8]) -> allot::Result<()> {
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .and_then(|mut f| f.write_all(bytes))
        .map_err(|e| fail(path, e))
}

fn print_stdout(bytes: &[u8]) -> allot::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`allot solve | head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::Output(format!("stdout: {e}"))),
    }
}

/// A file written line by line and put in place only by [`Pending::commit`]: dropped on an
/// error, it leaves nothing behind (for `--emit-runs`, which streams).
pub struct Pending {
    path: PathBuf,
    real: PathBuf,
    file: std::io::BufWriter<NamedTempFile>,
}

impl Pending {
    /// Starts writing `path` (a temporary file beside it, or beside its symlink's target, until
    /// committed).
    pub fn new(path: &Path) -> allot::Result<Pending> {
        let real = resolve(path).map_err(|e| fail(path, e))?;
        // A device is written in place at the end; its lines wait in the temporary folder.
        let file = if is_special(path) {
            NamedTempFile::new()
        } else {
            beside(&real)
        }
        .map_err(|e| fail(path, e))?;
        Ok(Pending {
            path: path.to_path_buf(),
            real,
            file: std::io::BufWriter::new(file),
        })
    }

    /// Appends a line.
    pub fn line(&mut self, text: &str) -> allot::Result<()> {
        writeln!(self.file, "{text}").map_err(|e| fail(&self.path, e))
    }

    /// Puts the file in place (a device such as `/dev/null` is written, not replaced).
    pub fn commit(self) -> allot::Result<()> {
        let path = self.path;
        let file = self
            .file
            .into_inner()
            .map_err(|e| fail(&path, e.into_error()))?;
        if is_special(&path) {
            let bytes = std::fs::read(file.path()).map_err(|e| fail(&path, e))?;
            return write_special(&path, &bytes);
        }
        file.persist(&self.real).map_err(|e| fail(&path, e.error))?;
        Ok(())
    }
}

fn fail(path: &Path, e: std::io::Error) -> Error {
    Error::Output(format!(
        "{}: cannot write: {}",
        path.display(),
        e.to_string().to_lowercase()
    ))
}
