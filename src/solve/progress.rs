//! Progress of a long proof on stderr: once a solve passes a few seconds, one line (rewritten in
//! place) with the stage, the best portfolio's score, the bound and the gap between them. Only
//! for a person watching a terminal (`Options::progress`); the line is cleared when the solve
//! ends, so what stays on the screen is the report alone.

use std::io::Write;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Silence before the first line: most proofs end sooner.
const QUIET: Duration = Duration::from_secs(3);

/// How often the line is rewritten.
const EVERY: Duration = Duration::from_secs(1);

/// What the line shows; scores in the program's units (1e-4 points).
#[derive(Debug, Clone, Default)]
struct Known {
    stage: &'static str,
    /// The score every portfolio has outside the program's columns (its folded locks).
    base: i64,
    best: Option<i64>,
    bound: Option<f64>,
    done: bool,
}

/// The reporter: a thread that prints while the solve runs, or nothing at all when off.
pub(crate) struct Progress {
    shared: Option<Arc<(Mutex<Known>, Condvar)>>,
    thread: Option<JoinHandle<()>>,
}

impl Progress {
    /// Starts reporting when `on` (a terminal is watching); otherwise every call is a no-op.
    pub fn start(on: bool, started: Instant) -> Progress {
        if !on {
            return Progress {
                shared: None,
                thread: None,
            };
        }
        let shared = Arc::new((Mutex::new(Known::default()), Condvar::new()));
        let watched = Arc::clone(&shared);
        let thread = std::thread::spawn(move || {
            let (lock, wake) = &*watched;
            let mut printed = false;
            let mut known = lock.lock().unwrap_or_else(|e| e.into_inner());
            loop {
                let wait = if started.elapsed() < QUIET {
                    QUIET - started.elapsed()
                } else {
                    EVERY
                };
                known = wake
                    .wait_timeout(known, wait)
                    .unwrap_or_else(|e| e.into_inner())
                    .0;
                if known.done {
                    break;
                }
                if started.elapsed() >= QUIET {
                    let line = line(&known, started.elapsed());
                    let mut err = std::io::stderr().lock();
                    let _ = write!(err, "\r\x1b[2K{line}");
                    let _ = err.flush();
                    printed = true;
                }
            }
            if printed {
                let _ = write!(std::io::stderr(), "\r\x1b[2K");
            }
        });
        Progress {
            shared: Some(shared),
            thread: Some(thread),
        }
    }

    /// The stage now running.
    pub fn stage(&self, stage: &'static str) {
        self.update(|k| k.stage = stage);
    }

    /// Every score reported from now on is this much below the portfolio's (see
    /// `Program::folded_score`).
    pub fn base(&self, base: i64) {
        self.update(|k| k.base = base);
    }

    /// A portfolio of this score is in hand.
    pub fn best(&self, score: i64) {
        self.update(|k| k.best = Some(k.best.map_or(score, |b| b.max(score))));
    }

    /// No portfolio scores above this.
    pub fn bound(&self, bound: f64) {
        self.update(|k| k.bound = Some(k.bound.map_or(bound, |b| b.min(bound))));
    }

    fn update(&self, change: impl FnOnce(&mut Known)) {
        if let Some(shared) = &self.shared {
            change(&mut shared.0.lock().unwrap_or_else(|e| e.into_inner()));
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(shared) = &self.shared {
            shared.0.lock().unwrap_or_else(|e| e.into_inner()).done = true;
            shared.1.notify_all();
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The progress line, e.g. `allot: 12 s, HiGHS: best score, best 2421.0000 points, bound
/// 2433.5000, gap 12.5000 points (0.514%)`. The gap is given in points as well: on a round of
/// 10,000 applications a gap of 0.22 points is 0.0002%, which three decimals would show as 0.
fn line(known: &Known, elapsed: Duration) -> String {
    let points = |units: f64| units / 1e4;
    let base = known.base as f64;
    let best = known.best.map(|b| b as f64 + base);
    let bound = known.bound.map(|b| b.floor() + base);
    let mut line = format!("allot: {} s", elapsed.as_secs());
    if !known.stage.is_empty() {
        line.push_str(&format!(", {}", known.stage));
    }
    if let Some(best) = best {
        line.push_str(&format!(", best {:.4} points", points(best)));
    }
    if let Some(bound) = bound {
        line.push_str(&format!(", bound {:.4}", points(bound)));
        if let Some(best) = best {
            let gap = (bound - best).max(0.0);
            let share = gap / bound.abs().max(1.0) * 100.0;
            line.push_str(&format!(
                ", gap {:.4} points ({})",
                points(gap),
                percent(share)
            ));
        }
    }
    line
}

/// A percentage with at least three decimals and two significant digits (up to eight decimals),
/// so a gap that is not zero never reads as 0.000%.
fn percent(share: f64) -> String {
    let decimals = if share > 0.0 {
        (1 - share.log10().floor() as i32).clamp(3, 8) as usize
    } else {
        3
    };
    format!("{share:.decimals$}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_shows_stage_best_bound_and_gap() {
        let known = Known {
            stage: "HiGHS: best score",
            base: 0,
            best: Some(24_210_000),
            bound: Some(24_335_000.7),
            done: false,
        };
        assert_eq!(
            line(&known, Duration::from_millis(12_400)),
            "allot: 12 s, HiGHS: best score, best 2421.0000 points, bound 2433.5000, gap 12.5000 points (0.514%)"
        );
        // Folded locks worth 2,000 points: the same portfolio and bound, a smaller gap.
        let folded = Known {
            base: 20_000_000,
            best: Some(4_210_000),
            bound: Some(4_335_000.7),
            ..known
        };
        assert_eq!(
            line(&folded, Duration::from_millis(12_400)),
            "allot: 12 s, HiGHS: best score, best 2421.0000 points, bound 2433.5000, gap 12.5000 points (0.514%)"
        );
        assert_eq!(
            line(&Known::default(), Duration::from_secs(4)),
            "allot: 4 s"
        );
        // A 10,000-application round a fifth of a point from its bound: not "0.000%".
        let close = Known {
            best: Some(1_092_120_631),
            bound: Some(1_092_122_836.9),
            ..known
        };
        assert_eq!(
            line(&close, Duration::from_secs(9)),
            "allot: 9 s, HiGHS: best score, best 109212.0631 points, bound 109212.2836, gap 0.2205 points (0.00020%)"
        );
        assert_eq!(percent(0.0), "0.000%");
    }

    #[test]
    fn off_is_silent_and_updates_are_harmless() {
        let progress = Progress::start(false, Instant::now());
        progress.stage("x");
        progress.best(1);
        progress.bound(2.0);
        drop(progress);
        let progress = Progress::start(true, Instant::now());
        progress.best(5);
        progress.best(3);
        progress.bound(9.0);
        progress.bound(12.0);
        let known = progress.shared.as_ref().unwrap().0.lock().unwrap().clone();
        assert_eq!((known.best, known.bound), (Some(5), Some(9.0)));
    }
}
