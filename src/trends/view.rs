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
    /// Every team's points and segments once, with how many teams draw
    /// each: what the chart draws of all teams but one (`Lines::without`).
    pub lines: Lines,
}

impl TrendsView {
    /// `figure`: the key of `TeamFigures::get` charted; `busiest`: how
    /// many of the busiest periods to mark.
    pub fn build(series: &Series, figure: &str, busiest: usize) -> TrendsView {
        let teams = series.teams();
        let mut points: Vec<Vec<(f64, f64)>> = (teams.iter())
            .map(|_| Vec::with_capacity(series.periods.len()))
            .collect();
        for (i, period) in series.periods.iter().enumerate() {
            // The period's teams and `teams` are both in id order: one walk
            // down each rather than a lookup per team and period (at 4,000
            // teams those lookups took the UI thread 25-35 ms).
            let mut figures = period.teams.iter().peekable();
            for (id, line) in teams.iter().zip(&mut points) {
                while figures.peek().is_some_and(|(other, _)| *other < id) {
                    figures.next();
                }
                let f = match figures.peek() {
                    Some((other, f)) if *other == id => f.get(figure).unwrap_or(0),
                    _ => 0,
                };
                line.push((i as f64, f as f64));
            }
        }
        let max = points
            .iter()
            .flat_map(|v| v.iter().map(|p| p.1))
            .fold(1.0f64, f64::max);
        let lines = Lines::of(&points);
        TrendsView {
            lines,
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

/// The teams' lines drawn once: teams with the same figure in a period
/// draw the same point, and with the same figures in neighbouring periods
/// the same segment; the chart draws the teams not singled out in one
/// style, so each once is enough (at 4,000 teams x 60 months, 480,000
/// points come down to about 8,000). Counted, so that leaving one team
/// out costs a pass over what is drawn, not a pass over every team.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Lines {
    /// (x, y) and how many teams have it, by period, then figure.
    points: Vec<((f64, f64), u32)>,
    /// [from, to] and how many teams draw it, by period, then figures.
    segments: Vec<([(f64, f64); 2], u32)>,
}

/// What is drawn of every team's line but one: each point and segment once.
#[derive(Debug, Default, PartialEq)]
pub struct Drawn {
    pub points: Vec<(f64, f64)>,
    pub segments: Vec<[(f64, f64); 2]>,
}

impl Lines {
    /// `points`: each team's line, one point per period, x the period's
    /// index (as `TrendsView::points`).
    fn of(points: &[Vec<(f64, f64)>]) -> Lines {
        let periods = points.iter().map(Vec::len).max().unwrap_or(0);
        let mut lines = Lines::default();
        // A period at a time: sorting one period's figures (a few thousand
        // numbers) is what brings equal ones together.
        let mut ys: Vec<u64> = Vec::with_capacity(points.len());
        let mut pairs: Vec<(u64, u64)> = Vec::with_capacity(points.len());
        for x in 0..periods {
            ys.clear();
            pairs.clear();
            for line in points {
                if let Some(&(_, y)) = line.get(x) {
                    ys.push(y.to_bits());
                    if let Some(&(_, next)) = line.get(x + 1) {
                        pairs.push((y.to_bits(), next.to_bits()));
                    }
                }
            }
            let at = |bits: u64| (x as f64, f64::from_bits(bits));
            let to = |bits: u64| ((x + 1) as f64, f64::from_bits(bits));
            for (y, n) in counted(&mut ys) {
                lines.points.push((at(y), n));
            }
            for ((a, b), n) in counted(&mut pairs) {
                lines.segments.push(([at(a), to(b)], n));
            }
        }
        lines
    }

    /// What is drawn of every team's line but `mine` (None: every team's).
    pub fn without(&self, mine: Option<&[(f64, f64)]>) -> Drawn {
        let mine = mine.unwrap_or(&[]);
        let is_mine = |p: (f64, f64)| mine.get(p.0 as usize) == Some(&p);
        Drawn {
            points: (self.points.iter())
                .filter(|&&(p, n)| n > 1 || !is_mine(p))
                .map(|&(p, _)| p)
                .collect(),
            segments: (self.segments.iter())
                .filter(|&&([a, b], n)| n > 1 || !(is_mine(a) && is_mine(b)))
                .map(|&(s, _)| s)
                .collect(),
        }
    }
}

/// Each distinct value of `values` (sorted here) and how often it occurs.
fn counted<T: Ord + Copy>(values: &mut [T]) -> Vec<(T, u32)> {
    values.sort_unstable();
    let mut out: Vec<(T, u32)> = Vec::new();
    for &v in values.iter() {
        match out.last_mut() {
            Some((last, n)) if *last == v => *n += 1,
            _ => out.push((v, 1)),
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trends::figures::TeamFigures;
    use crate::trends::{By, PeriodFigures};
    use chrono::{TimeZone, Utc};
    use std::collections::{BTreeMap, BTreeSet};

    /// A month per map, each team's `owns` as given.
    fn series(months: &[BTreeMap<String, usize>]) -> Series {
        let mut period = By::Month.period_of(&Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap());
        let periods = months.iter().map(|teams| {
            let p = PeriodFigures {
                period,
                commits: 1,
                changes: BTreeMap::new(),
                teams: (teams.iter())
                    .map(|(id, &owns)| {
                        (
                            id.clone(),
                            TeamFigures {
                                owns,
                                ..TeamFigures::default()
                            },
                        )
                    })
                    .collect(),
                overdue_reviews: 0,
                critical_components: 0,
                quiet_owner_moves: 0,
                quiet_owner_share: 0.0,
            };
            period = period.next();
            p
        });
        Series {
            by: By::Month,
            periods: periods.collect(),
            notes: Vec::new(),
        }
    }

    type Bits = (u64, u64);
    fn bits(p: (f64, f64)) -> Bits {
        (p.0.to_bits(), p.1.to_bits())
    }

    proptest::proptest! {
        /// The walk down each period's sorted teams gives what a lookup
        /// per team and period gives: every team of any period, its
        /// figure where the period has it, zero where not.
        #[test]
        fn the_chart_points_are_each_teams_figure_per_period_zero_where_absent(
            months in proptest::collection::vec(
                proptest::collection::btree_map("[a-e]{1,2}", 0usize..5, 0..8),
                0..6,
            )
        ) {
            let s = series(&months);
            let view = TrendsView::build(&s, "owns", BUSIEST);
            let every: BTreeSet<&String> = months.iter().flat_map(|m| m.keys()).collect();
            let every: Vec<String> = every.into_iter().cloned().collect();
            proptest::prop_assert_eq!(&view.teams, &every);
            for (k, id) in every.iter().enumerate() {
                let expected: Vec<(f64, f64)> = (months.iter().enumerate())
                    .map(|(i, m)| (i as f64, m.get(id).copied().unwrap_or(0) as f64))
                    .collect();
                proptest::prop_assert_eq!(&view.points[k], &expected);
            }
        }

        /// Leaving one team out draws each point and segment of the other
        /// teams exactly once, and nothing else.
        #[test]
        fn the_other_teams_lines_are_theirs_each_once(
            figures in proptest::collection::vec(proptest::collection::vec(0u8..4, 5), 0..12),
            chosen in proptest::option::of(0usize..12),
        ) {
            let points: Vec<Vec<(f64, f64)>> = (figures.iter())
                .map(|line| line.iter().enumerate().map(|(x, &y)| (x as f64, y as f64)).collect())
                .collect();
            let chosen = chosen.filter(|&k| k < points.len());
            let drawn = Lines::of(&points).without(chosen.map(|k| points[k].as_slice()));
            let others = || (points.iter().enumerate()).filter(|(k, _)| Some(*k) != chosen);
            let want_points: BTreeSet<Bits> =
                others().flat_map(|(_, l)| l.iter().map(|&p| bits(p))).collect();
            let want_segments: BTreeSet<(Bits, Bits)> = others()
                .flat_map(|(_, l)| l.windows(2).map(|w| (bits(w[0]), bits(w[1]))))
                .collect();
            let got_points: Vec<Bits> = drawn.points.iter().map(|&p| bits(p)).collect();
            let got_segments: Vec<(Bits, Bits)> =
                drawn.segments.iter().map(|s| (bits(s[0]), bits(s[1]))).collect();
            proptest::prop_assert_eq!(got_points.len(), want_points.len());
            proptest::prop_assert_eq!(got_segments.len(), want_segments.len());
            proptest::prop_assert_eq!(got_points.into_iter().collect::<BTreeSet<_>>(), want_points);
            proptest::prop_assert_eq!(
                got_segments.into_iter().collect::<BTreeSet<_>>(),
                want_segments
            );
        }
    }

    #[test]
    fn a_team_alone_on_a_point_takes_it_away_and_a_shared_point_stays() {
        // a: 1 → 2; b: 1 → 3. Leaving a out keeps (0, 1) (b has it too)
        // and b's segment, and drops (1, 2) and a's segment.
        let points = vec![vec![(0.0, 1.0), (1.0, 2.0)], vec![(0.0, 1.0), (1.0, 3.0)]];
        let drawn = Lines::of(&points).without(Some(&points[0]));
        assert_eq!(drawn.points, vec![(0.0, 1.0), (1.0, 3.0)]);
        assert_eq!(drawn.segments, vec![[(0.0, 1.0), (1.0, 3.0)]]);
        assert_eq!(Lines::of(&points).without(None).points.len(), 3);
    }
}
