//! Shard files: `allot sweep --shard i/n` writes its share of the runs with the sweep's header;
//! [`merge_shards`] reads the files of one sweep back and merges them into exactly the
//! unsharded header and tally, refusing shards of different sweeps, repeated or missing ones.

use super::{SweepHeader, Tally};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// A shard's output file: the header and its partial tally.
#[derive(Debug, Serialize, Deserialize)]
pub struct ShardFile {
    /// Which shard.
    pub shard: ShardJson,
    /// What was swept.
    pub header: SweepHeader,
    /// The shard's runs.
    pub tally: Tally,
}

/// `--shard i/n`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct ShardJson {
    /// 0-based index.
    pub index: usize,
    /// Number of shards.
    pub count: usize,
}

/// Reads shard files and merges them into the whole sweep's header and tally: every shard of
/// one sweep, each once.
pub fn merge_shards(paths: &[PathBuf]) -> Result<(SweepHeader, Tally)> {
    let mut files: Vec<(ShardFile, &Path)> = Vec::new();
    for p in paths {
        let text = std::fs::read_to_string(p)
            .map_err(|e| Error::Input(format!("{}: cannot read: {e}", p.display())))?;
        let file: ShardFile = serde_json::from_str(&text).map_err(|e| {
            Error::Input(format!(
                "{}: not a sweep shard file (write shards with `allot sweep --shard i/n -o FILE`): {e}",
                p.display()
            ))
        })?;
        files.push((file, p));
    }
    // Shards run from different working folders record the scenario's place differently; that
    // does not make them different sweeps. The merged header keeps the first shard's.
    let mut place = None;
    for (i, (f, _)) in files.iter_mut().enumerate() {
        let at = f
            .header
            .manifest
            .as_mut()
            .and_then(|m| m.scenario_path.take());
        if i == 0 {
            place = at;
        }
    }
    let Some((first, first_path)) = files.first() else {
        return Err(Error::Input("merge: name at least one shard file".into()));
    };
    let count = first.shard.count;
    let mut seen = vec![None::<&Path>; count];
    for (f, p) in &files {
        if f.header != first.header || f.shard.count != count {
            return Err(Error::Input(format!(
                "{}: a shard of a different sweep than {} (scenario, settings or shard count differ)",
                p.display(),
                first_path.display()
            )));
        }
        if let Some(other) = seen[f.shard.index] {
            return Err(Error::Input(format!(
                "{}: shard {}/{count} is also in {}",
                p.display(),
                f.shard.index,
                other.display()
            )));
        }
        seen[f.shard.index] = Some(p);
    }
    if let Some(missing) = seen.iter().position(Option::is_none) {
        return Err(Error::Input(format!(
            "merge: shard {missing}/{count} is missing"
        )));
    }
    let mut tally = first.tally.clone();
    for (f, p) in &files[1..] {
        tally
            .merge(&f.tally)
            .map_err(|e| Error::Input(format!("{}: {e}", p.display())))?;
    }
    let mut header = first.header.clone();
    if let Some(m) = &mut header.manifest {
        m.scenario_path = place;
    }
    Ok((header, tally))
}
