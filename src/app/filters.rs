//! The filters one tab sets and another follows: the Components table's
//! (set by Enter on a layer cell or a team) and the History list's (set by
//! `h` on a subject or Enter on a Trends period).

use crate::history::{ChangeKind, Filter, HistoryEntry};
use crate::model::{Component, Model};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub layer: Option<String>,
    pub pillar: Option<String>,
    pub owner: Option<String>,
    /// Set when following a per-kind layer cell: owners of this team kind.
    pub kind: Option<String>,
    pub tier: Option<u8>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }

    /// Does the component show under these filters?
    pub fn keeps(&self, model: &Model, c: &Component) -> bool {
        let filters = self;
        let eq = |want: &Option<String>, have: Option<&str>| {
            want.as_deref().is_none_or(|w| Some(w) == have)
        };
        eq(&filters.layer, c.layer.as_deref())
            && eq(&filters.pillar, c.pillar.as_deref())
            && eq(&filters.owner, Some(c.owner.as_str()))
            && filters.tier.is_none_or(|t| c.tier == Some(t))
            && filters
                .kind
                .as_deref()
                .is_none_or(|k| model.team(&c.owner).is_some_and(|t| t.kind == k))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryFilter {
    pub team: Option<String>,
    pub component: Option<String>,
    pub kind: Option<ChangeKind>,
    /// Words looked for in the commit message, author and change sentences.
    pub text: String,
    /// Only commits of this month or quarter (Enter on a Trends period).
    pub period: Option<crate::trends::Period>,
    /// Only commits made in this range (`d`).
    pub dates: Option<super::date_range::DateRange>,
}

impl HistoryFilter {
    pub fn is_empty(&self) -> bool {
        *self == HistoryFilter::default()
    }

    /// Does the entry show under this filter? Without one every commit
    /// shows, those without a boundary change included.
    pub fn keeps(&self, entry: &HistoryEntry) -> bool {
        if self.is_empty() {
            return true;
        }
        // A period or a date range only narrows the time: within it,
        // every commit shows unless another filter says otherwise.
        if self.period.is_some_and(|p| !p.contains(&entry.commit.time))
            || self.dates.is_some_and(|d| !d.contains(&entry.commit.time))
        {
            return false;
        }
        let only_time = self.team.is_none()
            && self.component.is_none()
            && self.kind.is_none()
            && self.text.is_empty();
        if only_time {
            return true;
        }
        let scope = Filter {
            component: self.component.clone(),
            team: self.team.clone(),
        };
        let text = self.text.to_lowercase();
        let in_commit = |e: &HistoryEntry| {
            e.commit.message.to_lowercase().contains(&text)
                || e.commit.author.to_lowercase().contains(&text)
        };
        entry.changes.iter().any(|c| {
            scope.keeps(c)
                && self.kind.is_none_or(|k| c.kind == k)
                && (text.is_empty() || in_commit(entry) || c.line().to_lowercase().contains(&text))
        }) || (scope.is_empty() && self.kind.is_none() && !text.is_empty() && in_commit(entry))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::Change;
    use crate::model::{Subject, SubjectKind};
    use crate::repo::CommitInfo;

    fn entry(message: &str, changes: Vec<Change>) -> HistoryEntry {
        HistoryEntry {
            commit: CommitInfo {
                id: "0".repeat(40),
                time: chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z").unwrap(),
                author: "Ana".into(),
                email: "a@x".into(),
                message: message.into(),
            },
            broken: None,
            changes,
        }
    }

    #[test]
    fn filters_by_kind_component_and_text() {
        let owner = Change::new(
            ChangeKind::OwnerChanged,
            Subject::new(SubjectKind::Component, "kafka"),
        )
        .done();
        let e = entry("Move kafka to streaming", vec![owner]);
        let empty = entry("Tidy review dates", vec![]);
        let mut f = HistoryFilter::default();
        assert!(f.keeps(&e) && f.keeps(&empty));
        f.kind = Some(ChangeKind::OwnerChanged);
        assert!(f.keeps(&e) && !f.keeps(&empty));
        f.kind = Some(ChangeKind::TierChanged);
        assert!(!f.keeps(&e));
        f = HistoryFilter {
            component: Some("kafka".into()),
            ..Default::default()
        };
        assert!(f.keeps(&e));
        f.component = Some("redis".into());
        assert!(!f.keeps(&e));
        f = HistoryFilter {
            text: "review".into(),
            ..Default::default()
        };
        assert!(f.keeps(&empty) && !f.keeps(&e));
        // A date range keeps every commit in it, none outside.
        f = HistoryFilter {
            dates: Some(crate::app::date_range::DateRange::parse("2026-01-01").unwrap()),
            ..Default::default()
        };
        assert!(f.keeps(&e) && f.keeps(&empty));
        f.dates = Some(crate::app::date_range::DateRange::parse("2026-01-02..").unwrap());
        assert!(!f.keeps(&e) && !f.keeps(&empty));
    }
}
