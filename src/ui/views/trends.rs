//! Trends: how ownership moved over time. A line chart of each team's load
//! per period (the selected team's line drawn in blocks and bold, the rest
//! as dim dots, so it stands out without colour), the boundary churn per
//! period as stacked bars by kind (the busiest marked), and the selected
//! period's figures. Everything comes from the series the history worker
//! sent; nothing is computed here beyond picking and scaling.

use crate::app::tabs::trends::TrendsView;
use crate::app::{Action, App, Target};
use crate::history::ChangeKind;
use crate::trends::{PeriodFigures, Series};
use crate::ui::Ui;
use crate::ui::theme::Theme;
use crate::ui::widgets::{block, clean, inner, selected_if, window};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Color;
use ratatui::style::Style;
use ratatui::symbols;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use ratatui::widgets::canvas::{Canvas, Line as CanvasLine, Points};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph, Wrap};

/// The chart above; the churn list and the period's figures below.
fn areas(body: Rect) -> [Rect; 3] {
    let [chart, bottom] =
        Layout::vertical([Constraint::Percentage(50), Constraint::Fill(1)]).areas(body);
    let list = if bottom.width >= 100 { 56 } else { 44 };
    let [churn, detail] =
        Layout::horizontal([Constraint::Length(list), Constraint::Fill(1)]).areas(bottom);
    [chart, churn, detail]
}

/// The churn list's rows start below its legend line.
fn rows_area(churn: Rect) -> Rect {
    let i = inner(churn);
    Rect {
        y: i.y + 1,
        height: i.height.saturating_sub(1),
        ..i
    }
}

/// Kinds of change grouped as the bars stack them.
#[derive(Clone, Copy)]
struct Group {
    name: &'static str,
    glyph: char,
}

const GROUPS: [Group; 5] = [
    Group {
        name: "owner",
        glyph: '█',
    },
    Group {
        name: "duty",
        glyph: '▓',
    },
    Group {
        name: "on-call",
        glyph: '▒',
    },
    Group {
        name: "added/removed",
        glyph: '░',
    },
    Group {
        name: "other",
        glyph: '·',
    },
];

fn group_of(kind: ChangeKind) -> usize {
    use ChangeKind::*;
    match kind {
        OwnerChanged => 0,
        DutyMoved | DutyAdded | DutyRemoved | PillarDutiesChanged => 1,
        OncallChanged | EscalationChanged => 2,
        ComponentAdded | ComponentRemoved | TeamAdded | TeamRemoved | ScenarioAdded
        | ScenarioRemoved => 3,
        _ => 4,
    }
}

fn group_style(t: &Theme, group: usize) -> Style {
    match group {
        0 => t.tier1,
        1 => t.role_shares,
        2 => t.role_supports,
        3 => t.role_owns,
        _ => t.dim,
    }
}

fn group_counts(p: &PeriodFigures) -> [usize; 5] {
    let mut counts = [0; 5];
    for (kind, n) in &p.changes {
        counts[group_of(*kind)] += n;
    }
    counts
}

pub fn draw(frame: &mut Frame, app: &Ui, body: Rect) {
    let t = app.theme;
    let Some(series) = app
        .tabs()
        .trends
        .series(&app.ctx())
        .filter(|s| !s.periods.is_empty())
    else {
        let text = match &app.data().walk.error {
            Some(e) => format!("No trends: the history walk stopped: {}", clean(e)),
            None if app.data().walk.done && app.data().walk.trends.is_some() => {
                "No trends: no commit has the data folder.".to_string()
            }
            None => "Reading the history… the trends fill in as the walk goes.".to_string(),
        };
        frame.render_widget(
            Paragraph::new(text)
                .style(t.dim)
                .wrap(Wrap { trim: true })
                .block(block(" Trends ", true, t)),
            body,
        );
        return;
    };
    let [chart, churn, detail] = areas(body);
    let Some(view) = app.tabs().trends.view(&app.ctx()) else {
        return;
    };
    let team = app.tabs().trends.team(&app.ctx());
    let selected = app.tabs().trends.period(&app.ctx());
    draw_chart(frame, app, &view, series, team.as_deref(), selected, chart);
    draw_churn(frame, app, &view, series, churn);
    if let Some(i) = selected {
        draw_period(frame, app, series, i, team.as_deref(), detail);
    }
}

fn draw_chart(
    frame: &mut Frame,
    app: &Ui,
    view: &TrendsView,
    series: &Series,
    team: Option<&str>,
    selected: Option<usize>,
    area: Rect,
) {
    let t = app.theme;
    let figure = app.tabs().trends.figure;
    let chosen = team.and_then(|id| view.position(id));
    let mut title = format!(" Load over time · {} ", figure.title());
    let mut datasets: Vec<Dataset> = Vec::new();
    if let Some(k) = chosen {
        let (id, data) = (&view.teams[k], &view.points[k]);
        datasets.push(
            Dataset::default()
                .name(format!("█ {}", clean(id)))
                .data(data)
                .marker(Marker::Block)
                .graph_type(GraphType::Line)
                .style(t.accent),
        );
        if let Some(i) = selected {
            title = format!(
                " Load over time · {} · {}: {} in {} ",
                figure.title(),
                clean(id),
                data[i].1,
                series.periods[i].period
            );
        }
    }
    let (first, last) = (
        series.periods.first().map(|p| p.period.to_string()),
        series.periods.last().map(|p| p.period.to_string()),
    );
    let last_x = (series.periods.len().saturating_sub(1)).max(1) as f64;
    let max = view.max;
    let labels = [first.unwrap_or_default(), last.unwrap_or_default()];
    let chart = |datasets| axes(datasets, &title, &labels, last_x, max, t);
    // The other teams' lines, all in one layer of a canvas under the chart
    // (the chart gives each dataset a layer of its own, and a layer costs
    // the whole plot: hundreds of teams cost tens of milliseconds a frame).
    // They share one style, so one layer draws exactly what theirs did;
    // the chart then draws its axes, the chosen team's line and the legend
    // over them, as it drew them over its own layers.
    let Some(plot) = plot_area(chart(Vec::new()), area) else {
        // Too small for axes: the chart as it is, every team a dataset.
        let mut all: Vec<Dataset> = context(view, chosen, t);
        all.extend(datasets);
        frame.render_widget(chart(all), area);
        return;
    };
    let Some(others) = app.tabs().trends.others(&app.ctx(), chosen) else {
        return;
    };
    let color = t.dim.fg.unwrap_or(Color::Reset);
    let others = Canvas::default()
        .background_color(Color::Reset)
        .x_bounds([0.0, last_x])
        .y_bounds([0.0, max])
        .paint(|ctx| {
            ctx.marker(Marker::Dot);
            ctx.draw(&Points {
                coords: &others.points,
                color,
            });
            for [a, b] in &others.segments {
                ctx.draw(&CanvasLine {
                    x1: a.0,
                    y1: a.1,
                    x2: b.0,
                    y2: b.1,
                    color,
                });
            }
        });
    frame.render_widget(others, plot);
    frame.render_widget(chart(datasets), area);
}

/// The chart of `datasets` in its block, with its axes.
fn axes<'a>(
    datasets: Vec<Dataset<'a>>,
    title: &str,
    labels: &[String; 2],
    last_x: f64,
    max: f64,
    t: &Theme,
) -> Chart<'a> {
    Chart::new(datasets)
        .block(block(title.to_string(), true, t))
        .x_axis(
            Axis::default()
                .bounds([0.0, last_x])
                .labels(labels.clone())
                .style(t.dim),
        )
        .y_axis(
            Axis::default()
                .bounds([0.0, max])
                .labels(["0".to_string(), format!("{max}")])
                .style(t.dim),
        )
}

/// The other teams as datasets of their own (dim dots), as the chart draws
/// them when it is too small to plot apart.
fn context<'a>(view: &'a TrendsView, chosen: Option<usize>, t: &Theme) -> Vec<Dataset<'a>> {
    view.points
        .iter()
        .enumerate()
        .filter(|(k, _)| Some(*k) != chosen)
        .map(|(_, data)| {
            Dataset::default()
                .data(data)
                .marker(Marker::Dot)
                .graph_type(GraphType::Line)
                .style(t.dim)
        })
        .collect()
}

/// Where `chart` plots its data in `area`: right of its y axis and above
/// its x axis, read back from the chart drawn alone (no data, so it costs
/// a few hundred cells) at the corner where the axes meet. None when the
/// area is too small for axes.
fn plot_area(chart: Chart<'_>, area: Rect) -> Option<Rect> {
    let mut buf = Buffer::empty(area);
    chart.render(area, &mut buf);
    let inside = inner(area);
    for y in inside.top()..inside.bottom() {
        for x in inside.left()..inside.right() {
            if buf[(x, y)].symbol() == symbols::line::BOTTOM_LEFT {
                let left = x + 1;
                let plot = Rect::new(
                    left,
                    inside.top(),
                    inside.right().saturating_sub(left),
                    y - inside.top(),
                );
                return (!plot.is_empty()).then_some(plot);
            }
        }
    }
    None
}

fn draw_churn(frame: &mut Frame, app: &Ui, view: &TrendsView, series: &Series, area: Rect) {
    let t = app.theme;
    let rows = rows_area(area);
    let len = series.periods.len();
    let busiest = &view.busiest;
    let label_w = series.periods[0].period.to_string().len();
    // "2026-05 ★ bars 151"
    let bar_w = (rows.width as usize).saturating_sub(label_w + 3 + 5).max(1);
    let max = view.max_changes;
    let mut legend: Vec<Span> = Vec::new();
    for (g, group) in GROUPS.iter().enumerate() {
        legend.push(Span::styled(format!("{}", group.glyph), group_style(t, g)));
        legend.push(Span::styled(format!(" {} ", group.name), t.dim));
    }
    let mut lines = vec![Line::from(legend)];
    for row in window(&app.tabs().trends.rows, rows.height as usize, len) {
        let i = len - 1 - row;
        let p = &series.periods[i];
        let is_selected = row == app.tabs().trends.rows.selected;
        let sel = selected_if(is_selected, t);
        let star = if busiest.contains(&i) { "★" } else { " " };
        let mut spans = vec![Span::styled(
            format!("{} {star} ", p.period),
            t.text.patch(sel),
        )];
        let mut used = 0;
        for (g, n) in group_counts(p).iter().enumerate() {
            if *n == 0 || used >= bar_w {
                continue;
            }
            // At least one cell per kind present, so a small period still shows its mix.
            let cells = (n * bar_w).div_ceil(max).max(1).min(bar_w - used);
            used += cells;
            let glyphs: String = std::iter::repeat_n(GROUPS[g].glyph, cells).collect();
            spans.push(Span::styled(glyphs, group_style(t, g).patch(sel)));
        }
        let pad = " ".repeat(bar_w - used + 1);
        spans.push(Span::styled(pad, sel));
        spans.push(Span::styled(
            format!("{:>4}", p.total_changes()),
            t.text.patch(sel),
        ));
        lines.push(Line::from(spans));
    }
    let state = match app.data().walk.trends.as_ref().is_some_and(|d| d.done) {
        true => String::new(),
        false => " · reading…".to_string(),
    };
    let title = format!(
        " Churn by {} · {} busiest{state} ",
        series.by.as_str(),
        app.keymap().first_key(Action::TrendsBusiest)
    );
    frame.render_widget(Paragraph::new(lines).block(block(title, true, t)), area);
}

fn draw_period(
    frame: &mut Frame,
    app: &Ui,
    series: &Series,
    i: usize,
    team: Option<&str>,
    area: Rect,
) {
    let t = app.theme;
    let p = &series.periods[i];
    let commits = match p.commits {
        1 => "1 commit".to_string(),
        n => format!("{n} commits"),
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(p.period.to_string(), t.accent),
        Span::styled(
            format!(" · {commits} · {} boundary changes", p.total_changes()),
            t.text,
        ),
    ])];
    let mut kinds: Vec<(&ChangeKind, &usize)> = p.changes.iter().collect();
    kinds.sort_by_key(|(k, n)| (std::cmp::Reverse(**n), **k));
    for (kind, n) in kinds {
        lines.push(Line::from(Span::styled(
            format!("  {}", crate::ui::words::kind_count(*kind, *n)),
            t.text,
        )));
    }
    if let Some(id) = team {
        let f = p.teams.get(id).copied().unwrap_or_default();
        lines.push(Line::from(Span::styled(
            format!("{} at the end", clean(id)),
            t.header,
        )));
        lines.push(Line::from(Span::styled(
            format!(
                "  owns {} (tier 1: {}, 2: {}, 3: {}, 4: {}, none: {})",
                f.owns, f.tier1, f.tier2, f.tier3, f.tier4, f.untiered
            ),
            t.text,
        )));
        lines.push(Line::from(Span::styled(
            format!("  duties {} · layer roles {}", f.duties, f.layer_roles),
            t.text,
        )));
    }
    lines.push(Line::from(Span::styled("Drift and review", t.header)));
    lines.push(Line::from(Span::styled(
        format!("  {} overdue for review at the end", p.overdue_reviews),
        if p.overdue_reviews > 0 {
            t.warning
        } else {
            t.text
        },
    )));
    lines.push(Line::from(Span::styled(
        format!(
            "  {} of {} tier-1/2 components changed owner without an on-call change ({}%)",
            p.quiet_owner_moves,
            p.critical_components,
            (p.quiet_owner_share * 100.0).round()
        ),
        if p.quiet_owner_moves > 0 {
            t.warning
        } else {
            t.text
        },
    )));
    lines.push(Line::from(Span::styled(
        format!(
            "{}: these commits in History · {} months/quarters · {} figure · {}/{} team",
            app.keymap().first_key(Action::Open),
            app.keymap().first_key(Action::TrendsBy),
            app.keymap().first_key(Action::TrendsFigure),
            app.keymap().first_key(Action::Left),
            app.keymap().first_key(Action::Right),
        ),
        t.dim,
    )));
    super::draw_detail(frame, app, lines, "Period", area);
}

pub fn hit_test(app: &App, body: Rect, x: u16, y: u16) -> Option<Target> {
    let [_, churn, _] = areas(body);
    super::row_at(
        rows_area(churn),
        app.tabs().trends.rows.offset.get(),
        app.tabs()
            .trends
            .series(&app.ctx())
            .map_or(0, |s| s.periods.len()),
        x,
        y,
    )
}
