//! The Trends tab's state: the series the history worker computed (by
//! month and by quarter, from the walk it does anyway), the period and team
//! selected, and what its keys do. Nothing here walks or aggregates: the
//! UI thread only picks from what the worker sent.

use super::timeline::HistoryFilter;
use super::{App, Scroll, Tab};
use crate::trends::{By, Series};

/// What the history worker sends: the same walk grouped two ways, so
/// switching between months and quarters costs the UI nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendsData {
    pub month: Series,
    pub quarter: Series,
    /// False while the walk is still going (older periods are missing).
    pub done: bool,
}

impl TrendsData {
    pub fn by(&self, by: By) -> &Series {
        match by {
            By::Month => &self.month,
            By::Quarter => &self.quarter,
        }
    }
}

/// The figure the chart draws per team.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Figure {
    #[default]
    Owns,
    Tier1,
    Duties,
    LayerRoles,
}

impl Figure {
    pub const ALL: [Figure; 4] = [
        Figure::Owns,
        Figure::Tier1,
        Figure::Duties,
        Figure::LayerRoles,
    ];

    /// Its key in `TeamFigures::get`.
    pub fn key(self) -> &'static str {
        match self {
            Figure::Owns => "owns",
            Figure::Tier1 => "tier1",
            Figure::Duties => "duties",
            Figure::LayerRoles => "layer_roles",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Figure::Owns => "components owned",
            Figure::Tier1 => "tier-1 components owned",
            Figure::Duties => "duties held",
            Figure::LayerRoles => "layer roles",
        }
    }

    fn next(self) -> Figure {
        let i = Figure::ALL.iter().position(|f| *f == self).unwrap_or(0);
        Figure::ALL[(i + 1) % Figure::ALL.len()]
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrendsView {
    pub by: By,
    pub figure: Figure,
    /// The selected period; row 0 is the newest.
    pub rows: Scroll,
    /// The team whose line stands out; None: the Teams tab's selection.
    pub team: Option<String>,
}

impl App {
    /// The series shown, if the worker has sent one.
    pub fn trends_series(&self) -> Option<&Series> {
        self.history.trends.as_ref().map(|d| d.by(self.trends.by))
    }

    /// A series from history walk `generation`.
    pub fn on_trends(&mut self, generation: u64, data: TrendsData) {
        if generation == self.history.generation {
            self.history.trends = Some(Box::new(data));
        }
    }

    /// The team the chart singles out: the one picked here, else the one
    /// selected in the Teams tab, else the first with figures.
    pub fn trends_team(&self) -> Option<String> {
        let series = self.trends_series()?;
        let teams = series.teams();
        let teams_tab = self
            .model()
            .and_then(|m| m.teams.get(self.teams.rows.selected))
            .map(|t| t.id.clone());
        [self.trends.team.clone(), teams_tab]
            .into_iter()
            .flatten()
            .find(|t| teams.contains(t))
            .or_else(|| teams.first().cloned())
    }

    /// The selected period's index in the series (periods run oldest first).
    pub fn trends_period(&self) -> Option<usize> {
        let len = self.trends_series()?.periods.len();
        (len > 0).then(|| len - 1 - self.trends.rows.selected.min(len - 1))
    }

    pub(super) fn show_trends(&mut self) {
        self.tab = Tab::Trends;
        if !self.history.started {
            self.start_history();
        }
    }

    pub fn trends_len(&self) -> usize {
        self.trends_series().map_or(0, |s| s.periods.len())
    }

    /// Left/Right: the previous or next team stands out.
    pub(super) fn trends_step_team(&mut self, delta: isize) {
        let Some(series) = self.trends_series() else {
            return;
        };
        let teams = series.teams();
        if teams.is_empty() {
            return;
        }
        let current = self
            .trends_team()
            .and_then(|t| teams.iter().position(|x| *x == t))
            .unwrap_or(0) as isize;
        let next = (current + delta).rem_euclid(teams.len() as isize) as usize;
        self.trends.team = Some(teams[next].clone());
    }

    pub(super) fn trends_toggle_by(&mut self) {
        let period = self
            .trends_period()
            .and_then(|i| self.trends_series().map(|s| s.periods[i].period));
        self.trends.by = match self.trends.by {
            By::Month => By::Quarter,
            By::Quarter => By::Month,
        };
        // Keep the moment selected: the month's quarter, the quarter's last month.
        let Some(series) = self.trends_series() else {
            return;
        };
        let len = series.periods.len();
        let index = period.and_then(|p| {
            series
                .periods
                .iter()
                .rposition(|q| q.period.first_day() <= p.last_day())
        });
        self.trends.rows = Scroll::default();
        if let Some(i) = index {
            self.trends.rows.selected = len - 1 - i;
        }
    }

    pub(super) fn trends_next_figure(&mut self) {
        self.trends.figure = self.trends.figure.next();
    }

    /// `b`: the next of the busiest periods, busiest first.
    pub(super) fn trends_next_busiest(&mut self) {
        let Some(series) = self.trends_series() else {
            return;
        };
        let busiest = series.busiest(BUSIEST);
        if busiest.is_empty() {
            return self.say("No period has a boundary change.");
        }
        let len = series.periods.len();
        let next = match self
            .trends_period()
            .and_then(|i| busiest.iter().position(|b| *b == i))
        {
            Some(k) => busiest[(k + 1) % busiest.len()],
            None => busiest[0],
        };
        let rank = busiest.iter().position(|b| *b == next).unwrap_or(0) + 1;
        let p = &series.periods[next];
        let text = format!(
            "Busiest #{rank}: {} with {} changes (Enter: its commits)",
            p.period,
            p.total_changes()
        );
        self.trends.rows.selected = len - 1 - next;
        self.say(text);
    }

    /// Enter: the History tab, filtered to the selected period.
    pub(super) fn trends_open_period(&mut self) {
        let Some(period) = self
            .trends_period()
            .and_then(|i| self.trends_series().map(|s| s.periods[i].period))
        else {
            return;
        };
        self.push_place();
        self.history.filter = HistoryFilter {
            period: Some(period),
            ..Default::default()
        };
        self.history.rows = Scroll::default();
        self.tab = Tab::History;
    }
}

/// How many of the busiest periods `b` cycles through and the view marks.
pub const BUSIEST: usize = 3;
