//! Recent boundary changes on a triage card: what moved in the window
//! before the moment shown, and a warning when the owner or the on-call
//! moved (a classic cause of pages that go to the wrong team).

use super::card::Card;
use crate::history::{Change, ChangeKind, HistoryEntry};
use crate::model::{Subject, SubjectKind};
use chrono::{DateTime, FixedOffset};
use serde::Serialize;

/// The window the triage card looks back over.
pub const WINDOW_DAYS: i64 = 90;

/// A boundary change with the commit that made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecentChange {
    #[serde(flatten)]
    pub change: Change,
    pub commit: String,
    pub author: String,
    pub time: String,
    /// The commit message's first line.
    pub message: String,
}

/// Does this change concern the card's subject? A component's own changes
/// and its owner's on-call; a team's own; a scenario's and its components'.
fn concerns(card: &Card, change: &Change) -> bool {
    let s = &change.subject;
    let is = |kind: SubjectKind, id: &str| s.kind == kind && s.id == id;
    match card {
        Card::Component(c) => {
            is(SubjectKind::Component, &c.id)
                || (is(SubjectKind::Team, &c.owner_id) && is_oncall_kind(change.kind))
        }
        Card::Team(t) => is(SubjectKind::Team, &t.id),
        Card::Scenario(sc) => {
            is(SubjectKind::Scenario, &sc.id)
                || sc
                    .components
                    .iter()
                    .any(|id| is(SubjectKind::Component, id))
        }
    }
}

fn is_oncall_kind(kind: ChangeKind) -> bool {
    matches!(
        kind,
        ChangeKind::OncallChanged | ChangeKind::EscalationChanged
    )
}

/// The changes of `entries` (newest first) that concern `card` within
/// WINDOW_DAYS before `moment`, newest first.
pub fn recent_changes(
    card: &Card,
    entries: &[HistoryEntry],
    moment: DateTime<FixedOffset>,
) -> Vec<RecentChange> {
    let start = moment - chrono::Duration::days(WINDOW_DAYS);
    entries
        .iter()
        .filter(|e| e.commit.time <= moment && e.commit.time > start)
        .flat_map(|e| {
            e.changes
                .iter()
                .filter(|c| concerns(card, c))
                .map(|c| RecentChange {
                    change: c.clone(),
                    commit: e.commit.id.clone(),
                    author: e.commit.author.clone(),
                    time: e.commit.time.to_rfc3339(),
                    message: e.commit.summary().to_string(),
                })
        })
        .collect()
}

/// Warnings for changes that make a page go astray: the owner moved, or
/// the owner's on-call or escalation changed, within the window. One line
/// per kind of move and commit, however many fields it touched.
pub fn warnings(recent: &[RecentChange], moment: DateTime<FixedOffset>) -> Vec<String> {
    let mut groups: Vec<(&str, &RecentChange, usize)> = Vec::new();
    for r in recent {
        let what = match r.change.kind {
            ChangeKind::OwnerChanged => "owner changed",
            ChangeKind::OncallChanged => "on-call changed",
            ChangeKind::EscalationChanged => "escalation changed",
            _ => continue,
        };
        match groups
            .iter_mut()
            .find(|(w, first, _)| *w == what && first.commit == r.commit)
        {
            Some(group) => group.2 += 1,
            None => groups.push((what, r, 0)),
        }
    }
    groups
        .into_iter()
        .map(|(what, r, more)| {
            let days = DateTime::parse_from_rfc3339(&r.time)
                .map(|t| (moment - t).num_days())
                .unwrap_or_default();
            let more = if more > 0 {
                format!(" (+{more} more)")
            } else {
                String::new()
            };
            format!(
                "{what} {}, on {} by {} ({} {}): {}{more}",
                days_before(days),
                r.time.get(..10).unwrap_or(&r.time),
                r.author,
                subject_label(&r.change.subject),
                r.commit.get(..7).unwrap_or(&r.commit),
                r.change.line(),
            )
        })
        .collect()
}

/// "3 days before", "1 day before", "the same day".
fn days_before(days: i64) -> String {
    match days {
        ..=0 => "the same day".to_string(),
        1 => "1 day before".to_string(),
        n => format!("{n} days before"),
    }
}

fn subject_label(s: &Subject) -> String {
    format!("{} {}", s.kind.as_str(), s.id)
}

/// Fills a card's recent changes and warnings from the history.
pub fn attach(card: &mut Card, entries: &[HistoryEntry], moment: DateTime<FixedOffset>) {
    let recent = recent_changes(card, entries, moment);
    let warn = warnings(&recent, moment);
    let (slot_recent, slot_warn) = match card {
        Card::Component(c) => (&mut c.recent_changes, &mut c.warnings),
        Card::Team(t) => (&mut t.recent_changes, &mut t.warnings),
        Card::Scenario(s) => (&mut s.recent_changes, &mut s.warnings),
    };
    *slot_recent = recent;
    *slot_warn = warn;
    // A scenario's component cards carry their own, as they do alone.
    if let Card::Scenario(s) = card {
        for c in &mut s.cards {
            let mut inner = Card::Component(c.clone());
            attach(&mut inner, entries, moment);
            if let Card::Component(filled) = inner {
                *c = filled;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::days_before;

    #[test]
    fn days_read_as_words() {
        assert_eq!(days_before(0), "the same day");
        assert_eq!(days_before(1), "1 day before");
        assert_eq!(days_before(14), "14 days before");
    }
}
