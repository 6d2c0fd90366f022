//! What the dashboard's Trends tab draws of a series: each team's figure
//! per period as chart points, the busiest periods. Derived from a series
//! alone, so the history worker prepares the first one beside the series
//! it sends (at 4,000 teams it took the UI thread hundreds of
//! milliseconds on the tab's first visit).

use super::Series;

/// What the Trends tab shows of a series, derived once per series received
/// and figure charted (not once per frame: with hundreds of teams the chart
/// points alone are thousands).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct TrendsView {
    /// Every team with figures, sorted by id.
    pub teams: Vec<String>,
    /// Each team's figure per period as chart points (x: the period's
    /// index), in the order of `teams`.
    pub points: Vec<Vec<(f64, f64)>>,
    /// The highest figure charted, at least 1.
    pub max: f64,
    /// The busiest periods, busiest first (see `Series::busiest`).
    pub busiest: Vec<usize>,
    /// The most boundary changes in one period, at least 1.
    pub max_changes: usize,
}

impl TrendsView {
    /// `figure`: the key of `TeamFigures::get` charted; `busiest`: how
    /// many of the busiest periods to mark.
    pub fn build(series: &Series, figure: &str, busiest: usize) -> TrendsView {
        let teams = series.teams();
        let points: Vec<Vec<(f64, f64)>> = teams
            .iter()
            .map(|id| {
                series
                    .periods
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        let f = p.teams.get(id).copied().unwrap_or_default();
                        (i as f64, f.get(figure).unwrap_or(0) as f64)
                    })
                    .collect()
            })
            .collect();
        let max = points
            .iter()
            .flat_map(|v| v.iter().map(|p| p.1))
            .fold(1.0f64, f64::max);
        TrendsView {
            teams,
            points,
            max,
            busiest: series.busiest(busiest),
            max_changes: series
                .periods
                .iter()
                .map(|p| p.total_changes())
                .max()
                .unwrap_or(0)
                .max(1),
        }
    }

    /// The index of team `id` in `teams`.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.teams.binary_search_by(|t| t.as_str().cmp(id)).ok()
    }
}

/// How many of the busiest periods the Trends tab marks.
pub const BUSIEST: usize = 3;

/// The figures the Trends tab charts (`TeamFigures::get`'s keys), in the
/// order its `f` key steps through them.
pub const FIGURES: [&str; 4] = ["owns", "tier1", "duties", "layer_roles"];

/// Every view the Trends tab can show of a series (each figure, by month
/// and by quarter) but `done`'s (by, figure), which the walker prepared:
/// derived on a background thread when the series comes in.
pub fn other_views(
    month: &Series,
    quarter: &Series,
    done: Option<(super::By, &'static str)>,
) -> Vec<Prepared> {
    let mut views = Vec::new();
    for (by, series) in [(super::By::Month, month), (super::By::Quarter, quarter)] {
        for figure in FIGURES {
            if done == Some((by, figure)) {
                continue;
            }
            views.push(Prepared {
                by,
                figure,
                view: TrendsView::build(series, figure, BUSIEST),
            });
        }
    }
    views
}

/// A view prepared with the series it was derived from.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub by: super::By,
    /// The figure charted (`TeamFigures::get`'s key).
    pub figure: &'static str,
    pub view: TrendsView,
}
