//! The invariants every target checks on what the reader returns.

use allot::scenario::Scenario;
use allot::Error;

/// A rejection must be an input error (exit 2) on one line that names a file; an accepted
/// scenario must evaluate without panicking, to candidates that point at real projects and rounds
/// and carry positive amounts.
pub fn check(result: allot::Result<Scenario>) {
    let scenario = match result {
        Ok(scenario) => scenario,
        Err(Error::Input(message)) => {
            assert!(
                !message.contains('\n'),
                "a message of several lines: {message}"
            );
            assert!(
                message.contains(": "),
                "a message naming no file: {message}"
            );
            return;
        }
        Err(other) => panic!("a reader returned a non-input error: {other}"),
    };
    let ids: Vec<&str> = scenario
        .applications
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "ids not sorted and unique: {ids:?}"
    );
    let evaluation = allot::rules::evaluate(&scenario);
    for c in &evaluation.candidates {
        assert!(c.project < scenario.applications.len());
        assert!(c.round < scenario.rounds.len());
        assert!(
            c.subsidy > allot::scenario::Money::ZERO,
            "a candidate with no money"
        );
    }
}
