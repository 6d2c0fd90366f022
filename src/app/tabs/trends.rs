//! The Trends tab: the series the history worker computed (by month and
//! by quarter, from the walk it does anyway), the period and team
//! selected, and what its keys do. Nothing here walks or aggregates: the
//! UI thread only picks from what the worker sent.

use crate::app::action::{Action, Context};
use crate::app::filters::HistoryFilter;
use crate::app::list::{Memo, Scroll};
use crate::app::tab::{Ctx, Go, Keys, Out, TabState};
use crate::model::{Subject, SubjectKind};
use crate::trends::{By, Series};
use std::rc::Rc;

/// How many of the busiest periods `b` cycles through and the view marks.
pub const BUSIEST: usize = crate::trends::view::BUSIEST;

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
    /// In the order of `trends::view::FIGURES` (a test says so).
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
pub struct TrendsTab {
    pub by: By,
    pub figure: Figure,
    /// The selected period; row 0 is the newest.
    pub rows: Scroll,
    /// The team whose line stands out; None: the Teams tab's selection.
    pub team: Option<String>,
    /// What is drawn of the series, for the series received and figure.
    view: Memo<ViewKey, TrendsView>,
    /// The other teams' lines, for the view and the team singled out.
    others: Memo<(ViewKey, Option<usize>), Others>,
}

/// The lines of every team but the one singled out, each point and each
/// segment once (see `trends::view::Lines`).
pub type Others = crate::trends::view::Drawn;

use crate::trends::view::Prepared;
pub use crate::trends::view::TrendsView;

/// What identifies the series a view was built from: the walk, the
/// grouping, the figure, and how far the series has come (the worker sends
/// it again as the walk reads more commits: more periods, more commits
/// counted, more changes, then done).
type ViewKey = (u64, By, Figure, bool, usize, usize, usize);

fn view_key(cx: &Ctx, series: &Series, by: By, figure: Figure) -> ViewKey {
    let done = cx.data.walk.trends.as_ref().is_some_and(|d| d.done);
    let commits = series.periods.iter().map(|p| p.commits).sum();
    let changes = series.periods.iter().map(|p| p.total_changes()).sum();
    (
        cx.data.walk.generation,
        by,
        figure,
        done,
        series.periods.len(),
        commits,
        changes,
    )
}

impl TrendsTab {
    /// The series shown, if the worker has sent one.
    pub fn series<'a>(&self, cx: &Ctx<'a>) -> Option<&'a Series> {
        cx.data.walk.trends.as_ref().map(|d| d.by(self.by))
    }

    /// What is drawn of the series shown: its teams, their chart points
    /// for the figure, the busiest periods.
    pub fn view(&self, cx: &Ctx) -> Option<Rc<TrendsView>> {
        let series = self.series(cx)?;
        let key = view_key(cx, series, self.by, self.figure);
        // The walker prepares the view the tab first shows with the series,
        // a background thread the others (`Walk::on_trends`).
        let walk = &cx.data.walk;
        let wanted = |p: &&Prepared| p.by == self.by && p.figure == self.figure.key();
        let prepared = (walk.trends_view.as_deref().filter(wanted))
            .or_else(|| walk.trends_more.get().and_then(|v| v.iter().find(wanted)));
        Some(self.view.get(key, || match prepared {
            Some(p) => TrendsView::clone(&p.view),
            None => TrendsView::build(series, self.figure.key(), BUSIEST),
        }))
    }

    /// The lines of the teams other than `chosen` (an index into the
    /// view's teams), kept until the series, the figure or the team
    /// singled out changes.
    pub fn others(&self, cx: &Ctx, chosen: Option<usize>) -> Option<Rc<Others>> {
        let series = self.series(cx)?;
        let view = self.view(cx)?;
        let key = (view_key(cx, series, self.by, self.figure), chosen);
        let mine = chosen.and_then(|k| view.points.get(k)).map(Vec::as_slice);
        Some(self.others.get(key, || view.lines.without(mine)))
    }

    /// The team the chart singles out: the one picked here, else the one
    /// selected in the Teams tab, else the first with figures.
    pub fn team(&self, cx: &Ctx) -> Option<String> {
        let view = self.view(cx)?;
        [self.team.as_deref(), cx.team()]
            .into_iter()
            .flatten()
            .find(|t| view.position(t).is_some())
            .map(str::to_string)
            .or_else(|| view.teams.first().cloned())
    }

    /// The selected period's index in the series (periods run oldest first).
    pub fn period(&self, cx: &Ctx) -> Option<usize> {
        let len = self.series(cx)?.periods.len();
        (len > 0).then(|| len - 1 - self.rows.selected.min(len - 1))
    }

    fn toggle_by(&mut self, cx: &Ctx) {
        let period = self
            .period(cx)
            .and_then(|i| self.series(cx).map(|s| s.periods[i].period));
        self.by = match self.by {
            By::Month => By::Quarter,
            By::Quarter => By::Month,
        };
        // Keep the moment selected: the month's quarter, the quarter's last month.
        let Some(series) = self.series(cx) else {
            return;
        };
        let len = series.periods.len();
        let index = period.and_then(|p| {
            series
                .periods
                .iter()
                .rposition(|q| q.period.first_day() <= p.last_day())
        });
        self.rows = Scroll::default();
        if let Some(i) = index {
            self.rows.selected = len - 1 - i;
        }
    }

    /// `b`: the next of the busiest periods, busiest first.
    fn next_busiest(&mut self, cx: &Ctx, out: &mut Out) {
        let Some(series) = self.series(cx) else {
            return;
        };
        let busiest = self.view(cx).map(|v| v.busiest.clone()).unwrap_or_default();
        if busiest.is_empty() {
            return out.say("No period has a boundary change.");
        }
        let len = series.periods.len();
        let next = match self
            .period(cx)
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
        self.rows.selected = len - 1 - next;
        out.say(text);
    }
}

impl TabState for TrendsTab {
    fn context(&self) -> Option<Context> {
        Some(Context::Trends)
    }

    fn scroll(&mut self) -> Option<&mut Scroll> {
        Some(&mut self.rows)
    }

    fn len(&self, cx: &Ctx) -> usize {
        self.series(cx).map_or(0, |s| s.periods.len())
    }

    /// Left/Right: the previous or next team stands out.
    fn sideways(&mut self, delta: isize, cx: &Ctx) {
        let Some(view) = self.view(cx) else {
            return;
        };
        let teams = &view.teams;
        if teams.is_empty() {
            return;
        }
        let current = self
            .team(cx)
            .and_then(|t| teams.iter().position(|x| *x == t))
            .unwrap_or(0) as isize;
        let next = (current + delta).rem_euclid(teams.len() as isize) as usize;
        self.team = Some(teams[next].clone());
    }

    /// Enter: the History tab, filtered to the selected period.
    fn open(&mut self, cx: &Ctx, _out: &mut Out) -> Option<Go> {
        let period = self
            .period(cx)
            .and_then(|i| self.series(cx).map(|s| s.periods[i].period))?;
        Some(Go::History(HistoryFilter {
            period: Some(period),
            ..Default::default()
        }))
    }

    fn subject(&self, cx: &Ctx) -> Option<Subject> {
        self.team(cx).map(|t| Subject::new(SubjectKind::Team, t))
    }

    fn apply(&mut self, action: Action, cx: &Ctx, out: &mut Out) {
        match action {
            Action::TrendsBy => self.toggle_by(cx),
            Action::TrendsFigure => self.figure = self.figure.next(),
            Action::TrendsBusiest => self.next_busiest(cx, out),
            _ => {}
        }
    }

    fn keys(&self) -> Keys {
        vec![
            (vec![Action::Up, Action::Down], "period"),
            (vec![Action::Left, Action::Right], "team"),
            (vec![Action::TrendsBusiest], "busiest"),
            (vec![Action::Open], "its commits"),
            (vec![Action::TrendsBy], "month/quarter"),
        ]
    }

    fn follows_selection(&self) -> bool {
        true
    }

    fn uses_history(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The views derived off the UI thread are of the figures the tab charts.
    #[test]
    fn the_figures_are_the_ones_views_are_derived_for() {
        let keys: Vec<&str> = Figure::ALL.iter().map(|f| f.key()).collect();
        assert_eq!(keys, crate::trends::view::FIGURES);
    }
}
