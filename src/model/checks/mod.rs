//! Checks that flag what the dashboard and the triage cards flag, so CI
//! (`demarc check`) sees what a person sees. Each has its own module and a
//! stable code; `model::check` runs them all, and the dashboard's views
//! take their flags from the same functions.

pub mod boundary;
pub mod runbook;

use super::diag::Diagnostic;
use super::types::Model;

/// Every finding of this module's checks.
pub fn check(model: &Model, out: &mut Vec<Diagnostic>) {
    boundary::check(model, out);
    runbook::check(model, out);
}
