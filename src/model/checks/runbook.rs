//! `no_runbook`: a tier-1 or tier-2 component without a runbook. The
//! triage card shows the same finding (it lists `check`'s findings about
//! its subject), so a responder and CI read the same sentence.

use crate::model::diag::{Diagnostic, Subject, SubjectKind};
use crate::model::types::Model;

pub const CODE: &str = "no_runbook";

pub fn check(model: &Model, out: &mut Vec<Diagnostic>) {
    for c in &model.components {
        let Some(tier @ (1 | 2)) = c.tier else {
            continue;
        };
        if c.runbook.as_deref().is_some_and(|r| !r.trim().is_empty()) {
            continue;
        }
        out.push(
            Diagnostic::warning(
                CODE,
                c.location.clone(),
                format!(
                    "tier {tier} without a runbook: responders have no playbook for `{}`",
                    c.id
                ),
            )
            .about(Subject::new(SubjectKind::Component, &c.id)),
        );
    }
}
