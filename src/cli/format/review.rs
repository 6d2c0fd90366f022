//! What a reviewer must not miss in a change of the ownership repository:
//! call-outs on the boundary changes, and the findings the change
//! introduces or fixes. Plain data, computed from the two versions;
//! `markdown::review` writes it as a pull-request comment and `diff`
//! puts it in its JSON.

use crate::history::words::normalize;
use crate::history::{Change, ChangeKind, Value};
use crate::model::{Component, Diagnostic, Model, Severity, Subject, SubjectKind};
use serde::Serialize;
use std::collections::HashMap;

/// `--fail-on`: the least severe introduced finding that fails the job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Fail when the change introduces an error
    Error,
    /// Fail when the change introduces an error or a warning
    Warning,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CallOutKind {
    /// A component moves to a team with no on-call rotation (or no such team).
    OwnerWithoutOncall,
    /// A tier-1 component changes owner.
    Tier1OwnerChange,
    /// A duty word is now claimed by two parties or more.
    DutySharedByParties,
    /// A duty word that had a party has none now.
    DutyWithoutParty,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallOut {
    pub kind: CallOutKind,
    pub subject: Subject,
    /// One sentence, ids in backticks.
    pub message: String,
}

/// Everything `diff --format markdown` and `--fail-on` need beyond the changes.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Review {
    pub attention: Vec<CallOut>,
    /// Findings of TO that FROM did not have (by code and subject or file).
    pub introduced: Vec<Diagnostic>,
    /// Findings of FROM that TO no longer has.
    pub fixed: Vec<Diagnostic>,
}

impl Review {
    /// `old` and `new` with their findings, both judged on the same day so
    /// that time passing between the two commits introduces nothing.
    pub fn build(
        old: &Model,
        new: &Model,
        changes: &[Change],
        old_findings: &[Diagnostic],
        new_findings: &[Diagnostic],
    ) -> Review {
        let (introduced, fixed) = compare_findings(old_findings, new_findings);
        Review {
            attention: call_outs(old, new, changes),
            introduced,
            fixed,
        }
    }

    /// Does `--fail-on` fail on this review?
    pub fn fails(&self, fail_on: FailOn) -> bool {
        self.introduced.iter().any(|d| match fail_on {
            FailOn::Error => d.severity == Severity::Error,
            FailOn::Warning => true,
        })
    }
}

/// The call-outs, in the order of the changes, then the duty call-outs
/// by component.
pub fn call_outs(old: &Model, new: &Model, changes: &[Change]) -> Vec<CallOut> {
    let mut out = Vec::new();
    for change in changes {
        if change.kind != ChangeKind::OwnerChanged {
            continue;
        }
        let id = &change.subject.id;
        let (Some(Value::Text(from)), Some(Value::Text(to))) = (&change.from, &change.to) else {
            continue;
        };
        let tier1 = |m: &Model| m.component(id).and_then(|c| c.tier) == Some(1);
        if tier1(old) || tier1(new) {
            out.push(CallOut {
                kind: CallOutKind::Tier1OwnerChange,
                subject: change.subject.clone(),
                message: format!("`{id}` is tier 1 and changes owner: `{from}` → `{to}`"),
            });
        }
        match new.team(to) {
            Some(team) if team.has_rotation() => {}
            Some(_) => out.push(CallOut {
                kind: CallOutKind::OwnerWithoutOncall,
                subject: change.subject.clone(),
                message: format!("`{id}` moves to `{to}`, which has no on-call rotation"),
            }),
            None => out.push(CallOut {
                kind: CallOutKind::OwnerWithoutOncall,
                subject: change.subject.clone(),
                message: format!(
                    "`{id}` moves to `{to}`, which is not a team, so nobody is on call"
                ),
            }),
        }
    }
    for component in &new.components {
        let before = old.component(&component.id);
        duty_call_outs(before, component, &mut out);
    }
    out
}

/// Normalized duty word -> (the word as written, its parties).
fn duty_holders(c: &Component) -> Vec<(String, String, Vec<String>)> {
    let mut out: Vec<(String, String, Vec<String>)> = Vec::new();
    for duty in &c.duties {
        let party = duty.party.to_string();
        for word in &duty.covers {
            let key = normalize(word);
            if key.is_empty() {
                continue;
            }
            match out.iter_mut().find(|(k, _, _)| *k == key) {
                Some((_, _, parties)) if !parties.contains(&party) => parties.push(party.clone()),
                Some(_) => {}
                None => out.push((key, word.trim().to_string(), vec![party.clone()])),
            }
        }
    }
    out
}

fn duty_call_outs(old: Option<&Component>, new: &Component, out: &mut Vec<CallOut>) {
    let subject = Subject::new(SubjectKind::Component, &new.id);
    let before: HashMap<String, Vec<String>> = old
        .map(duty_holders)
        .unwrap_or_default()
        .into_iter()
        .map(|(key, _, parties)| (key, parties))
        .collect();
    let after = duty_holders(new);
    for (key, word, parties) in &after {
        let was = before.get(key).map_or(0, Vec::len);
        if parties.len() >= 2 && was < 2 {
            let list: Vec<String> = parties.iter().map(|p| format!("`{p}`")).collect();
            out.push(CallOut {
                kind: CallOutKind::DutySharedByParties,
                subject: subject.clone(),
                message: format!(
                    "`{}`: duty \"{word}\" now has {} parties: {}",
                    new.id,
                    parties.len(),
                    list.join(", ")
                ),
            });
        }
    }
    let Some(old) = old else { return };
    for (key, word, parties) in duty_holders(old) {
        if !after.iter().any(|(k, _, _)| *k == key) {
            let list: Vec<String> = parties.iter().map(|p| format!("`{p}`")).collect();
            out.push(CallOut {
                kind: CallOutKind::DutyWithoutParty,
                subject: subject.clone(),
                message: format!(
                    "`{}`: duty \"{word}\" now has no party (was {})",
                    new.id,
                    list.join(", ")
                ),
            });
        }
    }
}

/// What a finding is about, without its line: code, then its subject or
/// else its file. Lines move with every edit above them.
type FindingKey = (&'static str, Option<Subject>, String);

fn key(d: &Diagnostic) -> FindingKey {
    let file = if d.subject.is_some() {
        String::new()
    } else {
        d.location.file.clone()
    };
    (d.code, d.subject.clone(), file)
}

/// (introduced, fixed): findings of `new` with no counterpart in `old`,
/// and the other way round. Findings with one key pair up by equal
/// message first, then in order, so two conflicts on one component
/// where there was one is one introduced.
pub fn compare_findings(
    old: &[Diagnostic],
    new: &[Diagnostic],
) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let mut groups: HashMap<FindingKey, (Vec<&Diagnostic>, Vec<&Diagnostic>)> = HashMap::new();
    let mut order: Vec<FindingKey> = Vec::new();
    for d in old {
        let k = key(d);
        if !groups.contains_key(&k) {
            order.push(k.clone());
        }
        groups.entry(k).or_default().0.push(d);
    }
    for d in new {
        let k = key(d);
        if !groups.contains_key(&k) {
            order.push(k.clone());
        }
        groups.entry(k).or_default().1.push(d);
    }
    let (mut introduced, mut fixed) = (Vec::new(), Vec::new());
    for k in order {
        let Some((mut before, mut after)) = groups.remove(&k) else {
            continue;
        };
        // Same message on both sides: the same finding.
        before.retain(
            |b| match after.iter().position(|a| a.message == b.message) {
                Some(i) => {
                    after.remove(i);
                    false
                }
                None => true,
            },
        );
        let paired = before.len().min(after.len());
        introduced.extend(after[paired..].iter().map(|d| (*d).clone()));
        fixed.extend(before[paired..].iter().map(|d| (*d).clone()));
    }
    crate::model::diag::sort_for_display(&mut introduced);
    crate::model::diag::sort_for_display(&mut fixed);
    (introduced, fixed)
}

/// The findings of a version as `check` reports them, with the findings
/// that depend on the day (`review_overdue`) judged again as of `day`, so
/// both sides of a comparison are judged on the same day.
pub fn judged_on(
    findings: &[Diagnostic],
    model: &Model,
    day: chrono::NaiveDate,
) -> Vec<Diagnostic> {
    const BY_DAY: &[&str] = &["review_overdue"];
    let mut all: Vec<Diagnostic> = findings
        .iter()
        .filter(|d| !BY_DAY.contains(&d.code))
        .cloned()
        .collect();
    all.extend(
        crate::model::check(model, day)
            .into_iter()
            .filter(|d| BY_DAY.contains(&d.code)),
    );
    crate::model::diag::sort_for_display(&mut all);
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Location;

    fn finding(code: &'static str, line: u32, component: &str, message: &str) -> Diagnostic {
        Diagnostic::warning(code, Location::at("components/a.toml", line, 1), message)
            .about(Subject::new(SubjectKind::Component, component))
    }

    #[test]
    fn findings_are_compared_by_code_and_subject_not_by_line() {
        let old = [
            finding("no_oncall", 10, "kafka", "kafka m"),
            finding("duty_conflict", 20, "redis", "redis x"),
        ];
        let new = [
            // Moved down by an edit above it: the same finding.
            finding("no_oncall", 14, "kafka", "kafka m"),
            finding("review_overdue", 30, "redis", "late"),
        ];
        let (introduced, fixed) = compare_findings(&old, &new);
        assert_eq!(introduced.len(), 1);
        assert_eq!(introduced[0].code, "review_overdue");
        assert_eq!(fixed.len(), 1);
        assert_eq!(fixed[0].code, "duty_conflict");
    }

    #[test]
    fn a_second_finding_of_one_key_is_introduced() {
        let old = [finding("duty_conflict", 5, "redis", "claims a")];
        let new = [
            finding("duty_conflict", 5, "redis", "claims b"),
            finding("duty_conflict", 5, "redis", "claims a"),
        ];
        let (introduced, fixed) = compare_findings(&old, &new);
        assert_eq!(introduced.len(), 1);
        assert_eq!(introduced[0].message, "claims b");
        assert!(fixed.is_empty());
        let review = Review {
            introduced,
            ..Review::default()
        };
        assert!(review.fails(FailOn::Warning));
        assert!(!review.fails(FailOn::Error));
    }

    #[test]
    fn the_base_is_judged_on_the_head_s_day() {
        let files = [
            ("demarc.toml", "schema = 1\nreview_every_days = 30\n"),
            ("teams/data.toml", "name = \"Data\"\nkind = \"platform\"\n"),
            (
                "components/a.toml",
                "[[component]]\nid = \"pg\"\nname = \"PG\"\nowner = \"data\"\nreviewed = \"2026-01-01\"\n",
            ),
        ];
        let (model, _) = crate::model::parse_all(files.iter().map(|(p, t)| (*p, t.as_bytes())));
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let then = crate::model::check(&model, day("2026-01-10"));
        assert!(!then.iter().any(|d| d.code == "review_overdue"));
        let now = judged_on(&then, &model, day("2026-03-01"));
        assert_eq!(now.iter().filter(|d| d.code == "review_overdue").count(), 1);
        // And the other way: a review due then is not due on an earlier day.
        let back = judged_on(&now, &model, day("2026-01-10"));
        assert!(!back.iter().any(|d| d.code == "review_overdue"));
    }
}
