//! Writing results: to stdout, or atomically to a file (a temporary file in the same folder,
//! renamed into place), so a failed run never leaves a partial output file.

use allot::Error;
use std::io::Write;
use std::path::Path;

/// Writes `text` to `path` (`-` or none: stdout).
pub fn write(path: Option<&Path>, text: &str) -> allot::Result<()> {
    write_bytes(path, text.as_bytes())
}

/// Writes `bytes` to `path` (`-` or none: stdout); binary formats refuse stdout before this.
pub fn write_bytes(path: Option<&Path>, bytes: &[u8]) -> allot::Result<()> {
    match path {
        None => print_stdout(bytes),
        Some(p) if p == Path::new("-") => print_stdout(bytes),
        Some(p) if is_special(p) => write_special(p, bytes),
        Some(p) => {
            let dir = match p.parent() {
                Some(d) if !d.as_os_str().is_empty() => d,
                _ => Path::new("."),
            };
            let fail = |e: std::io::Error| fail(p, e);
            let mut file = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
            file.write_all(bytes).map_err(fail)?;
            file.persist(p).map_err(|e| fail(e.error))?;
            Ok(())
        }
    }
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
    path: std::path::PathBuf,
    file: std::io::BufWriter<tempfile::NamedTempFile>,
}

impl Pending {
    /// Starts writing `path` (a temporary file beside it until committed).
    pub fn new(path: &Path) -> allot::Result<Pending> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let file = tempfile::NamedTempFile::new_in(dir).map_err(|e| fail(path, e))?;
        Ok(Pending {
            path: path.to_path_buf(),
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
        file.persist(&path).map_err(|e| fail(&path, e.error))?;
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
