//! Parallel work, in one place: batches of scenarios, sweep runs, explanations and their margins.
//!
//! Every job handed here is an exact solve or a series of them, each single-threaded, and every
//! map keeps its input's order, so results never depend on the number of workers or on which
//! worker ran what: the output is byte-identical on any thread count. Work-stealing (rayon) lets
//! a job that itself maps in parallel (an explanation's margins inside a report's explanations)
//! share the same workers instead of starting threads of its own.

use rayon::prelude::*;

use crate::{Error, Result};

/// Runs `work` with `threads` workers (`None` or 0: one per core) for every map inside it.
pub fn with_workers<R: Send>(threads: Option<usize>, work: impl FnOnce() -> R + Send) -> Result<R> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(|e| Error::System(format!("cannot start worker threads: {e}")))?;
    Ok(pool.install(work))
}

/// `f` of every item, in the items' order, on the current workers.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    items.par_iter().map(f).collect()
}

/// `a()` and `b()`, possibly at once.
pub fn both<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    rayon::join(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_keep_the_order_on_any_number_of_workers() {
        let items: Vec<u64> = (0..1_000).collect();
        let expected: Vec<u64> = items.iter().map(|i| i * i).collect();
        for threads in [1, 2, 7] {
            let got = with_workers(Some(threads), || map(&items, |i| i * i)).unwrap();
            assert_eq!(got, expected, "{threads} workers");
        }
    }

    #[test]
    fn nested_maps_share_the_workers() {
        let outer: Vec<u64> = (0..20).collect();
        let got = with_workers(Some(2), || {
            map(&outer, |&i| {
                let inner: Vec<u64> = (0..i).collect();
                let (sum, count) = both(|| map(&inner, |j| j + 1).iter().sum::<u64>(), || i);
                sum + count
            })
        })
        .unwrap();
        let expected: Vec<u64> = outer.iter().map(|&i| i * (i + 1) / 2 + i).collect();
        assert_eq!(got, expected);
    }
}
