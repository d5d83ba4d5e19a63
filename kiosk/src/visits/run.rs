//! Placeholder until the step implementations land (branch feat/visit-steps replaces this file).

use super::{Outcome, VisitError, VisitOp};
use registry::application::Actor;

pub fn run(
    _ctx: &crate::Context,
    _op: VisitOp,
    _actor: Actor,
    _now: time::OffsetDateTime,
) -> Result<Outcome, VisitError> {
    Err(VisitError::new("visit-not-ready", "not_ready"))
}
