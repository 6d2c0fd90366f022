//! The trends series: per period, the boundary changes by kind and each
//! team's load at the period's end, from one history walk.
//!
//! The walk goes newest first. A `Collector` watches it: the first good
//! version it sees in a period is that period's last (its end state), so
//! the model is assembled once per period, not once per commit; the
//! entries the walk hands out give the change counts. A period without a
//! commit (or whose commits all fail to parse) carries the figures of the
//! period before it.

use super::figures::{ComponentIds, Snapshot, TeamFigures};
use super::period::{By, Period};
use crate::history::{ChangeKind, Filter, HistoryEntry, Version, WalkOptions, Walker};
use crate::model::SubjectKind;
use crate::repo::{Repo, Result};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Arc;

/// The most periods a series holds: a hundred years of months. Commit
/// dates are whatever their authors' clocks said; a commit dated 1970 or
/// 9999 must not make a series of a hundred thousand periods.
pub const MAX_PERIODS: usize = 1200;

/// What the walk told about one period so far.
#[derive(Debug, Clone, Default)]
struct Seen {
    /// Commits that changed the data, broken ones included.
    commits: usize,
    changes: BTreeMap<ChangeKind, usize>,
    /// Components whose owner changed in a commit that left the new
    /// owner's on-call (rotation, pager, hours, escalation) as it was.
    quiet_moves: BTreeSet<String>,
}

/// Watches one walk and builds the series from what it saw.
#[derive(Debug, Clone, Default)]
pub struct Collector {
    /// The period `series` groups by (the collector keeps months).
    by: By,
    /// Only changes involving this team (its figures are kept regardless).
    team: Option<String>,
    /// By month: the model's figures at the month's last good version.
    snapshots: BTreeMap<Period, Arc<Snapshot>>,
    /// The component ids the snapshots name, each kept once.
    ids: ComponentIds,
    /// The last version assembled, by its data tree id: months without a
    /// data change share it instead of assembling the same model again.
    last_snapshot: Option<(git2::Oid, Arc<Snapshot>)>,
    /// By month: what the entries said.
    seen: BTreeMap<Period, Seen>,
    /// Teams the changes name (one added and removed within a month is in
    /// no month's end version).
    changed_teams: BTreeSet<String>,
    first: Option<DateTime<Utc>>,
    last: Option<DateTime<Utc>>,
}

impl Collector {
    pub fn new(by: By, team: Option<String>) -> Collector {
        Collector {
            by,
            team,
            ..Default::default()
        }
    }

    /// A version the walk passes (newest first).
    pub fn observe(&mut self, version: &Version) {
        if !version.exists() {
            return; // before the data folder was created
        }
        let time = version.time.with_timezone(&Utc);
        self.first = Some(self.first.map_or(time, |t| t.min(time)));
        self.last = Some(self.last.map_or(time, |t| t.max(time)));
        let period = By::Month.period_of(&time);
        if version.is_broken() || self.snapshots.contains_key(&period) {
            return;
        }
        let snapshot = match (&self.last_snapshot, version.data_id()) {
            (Some((id, s)), Some(now)) if *id == now => Arc::clone(s),
            (_, id) => {
                let s = Arc::new(Snapshot::of_files(version.parts(), &mut self.ids));
                if let Some(id) = id {
                    self.last_snapshot = Some((id, Arc::clone(&s)));
                }
                s
            }
        };
        self.snapshots.insert(period, snapshot);
    }

    /// Entries the walk handed out.
    pub fn entries(&mut self, entries: &[HistoryEntry]) {
        let filter = Filter {
            component: None,
            team: self.team.clone(),
        };
        for entry in entries {
            let seen = self
                .seen
                .entry(By::Month.period_of(&entry.commit.time))
                .or_default();
            seen.commits += 1;
            for change in &entry.changes {
                if change.subject.kind == SubjectKind::Team {
                    self.changed_teams.insert(change.subject.id.clone());
                }
            }
            for change in entry.changes.iter().filter(|c| filter.keeps(c)) {
                *seen.changes.entry(change.kind).or_default() += 1;
            }
            for (component, owner) in quiet_moves(entry) {
                if self
                    .team
                    .as_ref()
                    .is_none_or(|t| *t == owner || involves(entry, &component, t))
                {
                    seen.quiet_moves.insert(component);
                }
            }
        }
    }

    /// Every team id seen in any period, for `--team` suggestions.
    pub fn team_ids(&self) -> BTreeSet<String> {
        let mut ids: BTreeSet<String> = self
            .snapshots
            .values()
            .flat_map(|s| s.teams.keys().cloned())
            .collect();
        ids.extend(self.changed_teams.iter().cloned());
        ids
    }

    /// The series so far, by the collector's period: one period from the
    /// oldest commit seen to the newest (an unfinished walk covers its
    /// newest periods only).
    pub fn series(&self) -> Series {
        self.series_by(self.by)
    }

    /// The series by months or by quarters from the same walk (the
    /// collector keeps months; a quarter adds up its three).
    pub fn series_by(&self, by: By) -> Series {
        let (Some(first), Some(last)) = (self.first, self.last) else {
            return Series {
                by,
                periods: Vec::new(),
                notes: Vec::new(),
            };
        };
        let last_day = last.date_naive();
        let empty = Arc::new(Snapshot::default());
        let mut range = Period::range(by.period_of(&first), by.period_of(&last));
        let mut notes = Vec::new();
        if range.len() > MAX_PERIODS {
            notes.push(format!(
                "The commits span {} {}s ({} to {}); the series keeps the newest {MAX_PERIODS}.",
                range.len(),
                by.as_str(),
                range[0],
                range[range.len() - 1]
            ));
            range.drain(..range.len() - MAX_PERIODS);
        }
        let periods = range
            .into_iter()
            .map(|p| {
                let months = Period::range(month_of(p.first_day()), month_of(p.last_day()));
                let end = months.last().copied().unwrap_or(p);
                let snapshot = self
                    .snapshots
                    .range(..=end)
                    .next_back()
                    .map_or(&empty, |(_, s)| s);
                let mut seen = Seen::default();
                for month in &months {
                    if let Some(m) = self.seen.get(month) {
                        seen.commits += m.commits;
                        for (kind, n) in &m.changes {
                            *seen.changes.entry(*kind).or_default() += n;
                        }
                        seen.quiet_moves.extend(m.quiet_moves.iter().cloned());
                    }
                }
                let on = p.last_day().min(last_day);
                let mut teams = snapshot.teams.clone();
                if let Some(team) = &self.team {
                    teams.retain(|id, _| id == team);
                }
                let critical = snapshot.critical_count();
                let quiet = seen
                    .quiet_moves
                    .iter()
                    .filter(|c| snapshot.is_critical(&self.ids, c))
                    .count();
                PeriodFigures {
                    period: p,
                    commits: seen.commits,
                    changes: seen.changes,
                    teams,
                    overdue_reviews: snapshot.overdue_on(on),
                    critical_components: critical,
                    quiet_owner_moves: quiet,
                    quiet_owner_share: if critical == 0 {
                        0.0
                    } else {
                        quiet as f64 / critical as f64
                    },
                }
            })
            .collect();
        Series { by, periods, notes }
    }
}

fn month_of(day: NaiveDate) -> Period {
    By::Month.period_of(&day.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc())
}

/// `(component, new owner)` of each owner change in the entry that came
/// without an on-call or escalation change of the new owner (a new owner
/// added in the same commit brings its on-call with it).
fn quiet_moves(entry: &HistoryEntry) -> Vec<(String, String)> {
    let paged: HashSet<&str> = entry
        .changes
        .iter()
        .filter(|c| {
            matches!(
                c.kind,
                ChangeKind::OncallChanged | ChangeKind::EscalationChanged | ChangeKind::TeamAdded
            )
        })
        .filter(|c| c.subject.kind == SubjectKind::Team)
        .map(|c| c.subject.id.as_str())
        .collect();
    entry
        .changes
        .iter()
        .filter(|c| c.kind == ChangeKind::OwnerChanged && c.subject.kind == SubjectKind::Component)
        .filter_map(|c| {
            let owner = match &c.to {
                Some(crate::history::Value::Text(t)) => t.clone(),
                _ => return None,
            };
            (!paged.contains(owner.as_str())).then(|| (c.subject.id.clone(), owner))
        })
        .collect()
}

/// Did the owner change of `component` in `entry` involve `team`?
fn involves(entry: &HistoryEntry, component: &str, team: &str) -> bool {
    entry.changes.iter().any(|c| {
        c.kind == ChangeKind::OwnerChanged && c.subject.id == component && c.involves_team(team)
    })
}

/// One period of the series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodFigures {
    /// `2026-02` or `2026-Q1`.
    #[serde(serialize_with = "as_text")]
    pub period: Period,
    /// Commits in the period that changed the data.
    pub commits: usize,
    /// Boundary changes in the period, by kind (kinds with none left out).
    pub changes: BTreeMap<ChangeKind, usize>,
    /// Each team's figures as at the end of the period.
    pub teams: BTreeMap<String, TeamFigures>,
    /// Components overdue for review at the end of the period (or on the
    /// day of the last commit, for the period that holds it).
    pub overdue_reviews: usize,
    /// Tier-1 and tier-2 components at the end of the period.
    pub critical_components: usize,
    /// Of those, how many changed owner in the period in a commit that
    /// left the new owner's on-call as it was.
    pub quiet_owner_moves: usize,
    /// `quiet_owner_moves / critical_components` (0 without any).
    pub quiet_owner_share: f64,
}

impl PeriodFigures {
    pub fn total_changes(&self) -> usize {
        self.changes.values().sum()
    }

    /// The first and last day of the period.
    pub fn days(&self) -> (NaiveDate, NaiveDate) {
        (self.period.first_day(), self.period.last_day())
    }
}

fn as_text<S: serde::Serializer>(p: &Period, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.collect_str(p)
}

/// The union of two sorted lists of distinct ids, sorted.
fn union_of_sorted<'a>(a: &[&'a str], b: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out = Vec::with_capacity(a.len());
    let mut a = a.iter().copied().peekable();
    let mut b = b.peekable();
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => match x.cmp(y) {
                std::cmp::Ordering::Less => a.next(),
                std::cmp::Ordering::Greater => b.next(),
                std::cmp::Ordering::Equal => {
                    b.next();
                    a.next()
                }
            },
            (Some(_), None) => a.next(),
            (None, Some(_)) => b.next(),
            (None, None) => return out,
        };
        out.extend(next);
    }
}

/// The `trends --json` shape: `{"by": "month", "periods": [...]}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    pub by: By,
    pub periods: Vec<PeriodFigures>,
    /// Plain sentences about what the series leaves out (a history whose
    /// dates span more than `MAX_PERIODS`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Series {
    /// Every team in any period, sorted.
    pub fn teams(&self) -> Vec<String> {
        // Each period's teams come sorted, and periods mostly name the same
        // ones: one merge per period, not a set of every (period, team)
        // (at 4,000 teams x 24 months the set cost the Trends tab a
        // turn's worth of string comparisons).
        let mut ids: Vec<&str> = Vec::new();
        for p in &self.periods {
            ids = union_of_sorted(&ids, p.teams.keys().map(String::as_str));
        }
        ids.into_iter().map(str::to_string).collect()
    }

    /// One team's figures per period (zero where it did not exist).
    pub fn of_team(&self, team: &str) -> Vec<TeamFigures> {
        self.periods
            .iter()
            .map(|p| p.teams.get(team).copied().unwrap_or_default())
            .collect()
    }

    /// Indices of the `n` periods with the most boundary changes, busiest
    /// first (the older of two equally busy periods first); periods
    /// without a change are left out.
    pub fn busiest(&self, n: usize) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.periods.len())
            .filter(|&i| self.periods[i].total_changes() > 0)
            .collect();
        order.sort_by_key(|&i| std::cmp::Reverse(self.periods[i].total_changes()));
        order.truncate(n);
        order
    }
}

/// Walks the history from `options.start` and builds the series: the CLI's
/// way (the dashboard's history worker feeds a `Collector` from the walk it
/// does anyway).
pub fn compute(repo: &Repo, options: WalkOptions, by: By, team: Option<String>) -> Result<Series> {
    Ok(collect(repo, options, by, team)?.series())
}

/// As `compute`, keeping the collector (for the team ids it saw).
pub fn collect(
    repo: &Repo,
    options: WalkOptions,
    by: By,
    team: Option<String>,
) -> Result<Collector> {
    let collector = std::cell::RefCell::new(Collector::new(by, team));
    {
        let mut walker = Walker::new(repo, options)?;
        walker.observe(|version| collector.borrow_mut().observe(version));
        while let Some(batch) = walker.next_batch()? {
            collector.borrow_mut().entries(&batch.entries);
        }
    }
    Ok(collector.into_inner())
}
