//! Trends: how ownership moved over time. A line chart of each team's load
//! per period (the selected team's line drawn in blocks and bold, the rest
//! as dim dots, so it stands out without colour), the boundary churn per
//! period as stacked bars by kind (the busiest marked), and the selected
//! period's figures. Everything comes from the series the history worker
//! sent; nothing is computed here beyond picking and scaling.

use crate::app::tabs::trends::BUSIEST;
use crate::app::{Action, App, Target};
use crate::history::ChangeKind;
use crate::trends::{PeriodFigures, Series};
use crate::ui::Ui;
use crate::ui::theme::Theme;
use crate::ui::widgets::{block, clean, inner, selected_if, window};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
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
    let team = app.tabs().trends.team(&app.ctx());
    let selected = app.tabs().trends.period(&app.ctx());
    draw_chart(frame, app, series, team.as_deref(), selected, chart);
    draw_churn(frame, app, series, churn);
    if let Some(i) = selected {
        draw_period(frame, app, series, i, team.as_deref(), detail);
    }
}

fn draw_chart(
    frame: &mut Frame,
    app: &Ui,
    series: &Series,
    team: Option<&str>,
    selected: Option<usize>,
    area: Rect,
) {
    let t = app.theme;
    let figure = app.tabs().trends.figure;
    let teams = series.teams();
    let points: Vec<(String, Vec<(f64, f64)>)> = teams
        .iter()
        .map(|id| {
            let values = series
                .of_team(id)
                .iter()
                .enumerate()
                .map(|(i, f)| (i as f64, f.get(figure.key()).unwrap_or(0) as f64))
                .collect();
            (id.clone(), values)
        })
        .collect();
    let max = points
        .iter()
        .flat_map(|(_, v)| v.iter().map(|p| p.1))
        .fold(1.0f64, f64::max);
    // The context first, the selected team last so its line is on top.
    let mut datasets: Vec<Dataset> = points
        .iter()
        .filter(|(id, _)| Some(id.as_str()) != team)
        .map(|(_, data)| {
            Dataset::default()
                .data(data)
                .marker(Marker::Dot)
                .graph_type(GraphType::Line)
                .style(t.dim)
        })
        .collect();
    let mut title = format!(" Load over time · {} ", figure.title());
    if let Some((id, data)) = points.iter().find(|(id, _)| Some(id.as_str()) == team) {
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
    let chart = Chart::new(datasets)
        .block(block(title, true, t))
        .x_axis(
            Axis::default()
                .bounds([0.0, last_x])
                .labels([first.unwrap_or_default(), last.unwrap_or_default()])
                .style(t.dim),
        )
        .y_axis(
            Axis::default()
                .bounds([0.0, max])
                .labels(["0".to_string(), format!("{max}")])
                .style(t.dim),
        );
    frame.render_widget(chart, area);
}

fn draw_churn(frame: &mut Frame, app: &Ui, series: &Series, area: Rect) {
    let t = app.theme;
    let rows = rows_area(area);
    let len = series.periods.len();
    let busiest = series.busiest(BUSIEST);
    let label_w = series.periods[0].period.to_string().len();
    // "2026-05 ★ bars 151"
    let bar_w = (rows.width as usize).saturating_sub(label_w + 3 + 5).max(1);
    let max = series
        .periods
        .iter()
        .map(|p| p.total_changes())
        .max()
        .unwrap_or(0)
        .max(1);
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
