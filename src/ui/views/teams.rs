//! Teams: kind, components owned, tier-1 count and load; the selected
//! team's scope (owns, shares, consumes), on-call and people.

use crate::app::tabs::teams::{self as derive, TeamRow};
use crate::app::{App, Target};
use crate::model::scope;
use crate::model::{Model, SubjectKind, Team};
use crate::ui::Ui;
use crate::ui::fit::table::{self, Cell as TableCell};
use crate::ui::fit::{self, Column, fit_columns};
use crate::ui::theme::Theme;
use crate::ui::widgets::{block, clean, inner, selected_if, window};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The table's columns: team, kind, owns, T1, load. The team id is never
/// cut; the kind gives way first.
fn columns(app: &App, model: &Model) -> [Column; 5] {
    let tab = &app.tabs().teams;
    let (id, kind) = *tab.id_kind_width.get(app.data().generation, || {
        let w = |s: &str| fit::width(&crate::sanitize::line(s));
        let id = model.teams.iter().map(|t| w(&t.id)).max().unwrap_or(0);
        let kind = model.teams.iter().map(|t| w(&t.kind)).max().unwrap_or(0);
        (id, kind)
    });
    [
        Column::keep(id.max(4)),
        Column::flexible(kind.max(4), 4, 1),
        Column::keep(4),
        Column::keep(4),
        Column::keep(4),
    ]
}

/// The table as wide as its columns (up to three fifths of the screen),
/// the scope beside it.
fn areas(app: &App, model: &Model, body: Rect) -> [Rect; 2] {
    let want: usize = columns(app, model).iter().map(|c| c.want).sum::<usize>() + 4 + 2;
    let table = (want as u16).clamp(30, (body.width * 3 / 5).max(30));
    Layout::horizontal([Constraint::Length(table), Constraint::Fill(1)]).areas(body)
}

/// The header and the table's rows start one line into the block.
fn rows_area(table: Rect) -> Rect {
    let i = inner(table);
    Rect {
        y: i.y + 1,
        height: i.height.saturating_sub(1),
        ..i
    }
}

pub fn draw(frame: &mut Frame, app: &Ui, model: &Model, body: Rect) {
    let t = app.theme;
    let [table, detail] = areas(app, model, body);
    // Rows are computed for the visible window only (hundreds of teams).
    let teams_tab = &app.tabs().teams;
    let order = teams_tab.order(app.data());
    let count = order.len();
    let w = fit_columns(&columns(app, model), inner(table).width as usize, 1);
    let row = |cells: [&str; 5], style| {
        let [id, kind, owned, t1, load] = cells;
        table::row(
            &[
                TableCell::left(id, style),
                TableCell::left(kind, style),
                TableCell::right(owned, style),
                TableCell::right(t1, style),
                TableCell::right(load, style),
            ],
            &w,
            1,
        )
    };
    let mut lines = vec![row(["team", "kind", "owns", "T1", "load"], t.header)];
    let list = rows_area(table);
    let matcher = teams_tab.filter.matcher();
    for i in window(&teams_tab.rows, list.height as usize, count) {
        let TeamRow {
            team,
            owned,
            tier1,
            load,
        } = derive::team_row(model, &app.data().facts, &model.teams[order[i]]);
        let selected = i == teams_tab.rows.selected;
        let sel = selected_if(selected, t);
        let line = row(
            [
                &clean(&team.id),
                &clean(&team.kind),
                &owned.to_string(),
                &tier1.to_string(),
                &load.to_string(),
            ],
            t.text.patch(sel),
        )
        .style(sel);
        lines.push(super::highlight_line(line, &matcher, t));
    }
    if count == 0 && teams_tab.filter.is_active() {
        lines.push(Line::from(Span::styled(
            "No team matches the filter; Esc clears it.",
            t.dim,
        )));
    }
    // The count first; the filter's words give way (with `…`) when the
    // table is narrow.
    let title = match teams_tab.filter.label() {
        Some(label) => table::title_with_note(
            vec![
                Span::raw(format!(" Teams {count}/{} ", model.teams.len())),
                Span::raw(format!("· {} ", clean(&label))),
            ],
            table.width as usize,
        ),
        None => Line::from(format!(" Teams ({count}) ")),
    };
    frame.render_widget(Paragraph::new(lines).block(block(title, true, t)), table);
    if let Some(team) = model.teams.get(teams_tab.model_index(app.data())) {
        draw_detail(frame, app, model, team, detail);
    }
}

/// `ids` cleaned and joined with ", ", no longer than about `max`
/// characters: past that, `…` (a pane shows no more).
fn joined<'a>(ids: impl Iterator<Item = &'a str>, max: usize) -> String {
    let mut out = String::new();
    for id in ids {
        if !out.is_empty() {
            out.push_str(", ");
        }
        if out.len() > max {
            out.push('…');
            break;
        }
        out.push_str(&clean(id));
    }
    out
}

fn heading<'a>(t: &Theme, text: &str) -> Line<'a> {
    Line::from(Span::styled(text.to_string(), t.header))
}

fn field<'a>(t: &Theme, name: &str, value: String) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{name} "), t.dim),
        Span::styled(value, t.text),
    ])
}

fn draw_detail(frame: &mut Frame, app: &Ui, model: &Model, team: &Team, area: Rect) {
    let t = app.theme;
    let mut lines = vec![Line::from(vec![
        Span::styled(clean(&team.name), t.accent),
        Span::styled(
            format!("  {} · {}", clean(&team.id), clean(&team.kind)),
            t.dim,
        ),
    ])];
    if let Some(d) = &team.description {
        lines.push(Line::from(Span::styled(clean(d), t.text)));
    }
    if let Some(lead) = &team.lead {
        lines.push(field(t, "Lead", clean(lead)));
    }
    if !team.members.is_empty() {
        lines.push(field(t, "Members", clean(&team.members.join(", "))));
    }
    if let Some(c) = &team.channel {
        lines.push(field(t, "Channel", clean(c)));
    }
    lines.push(heading(t, "On call"));
    match &team.oncall {
        Some(o) => {
            let parts: Vec<String> = [&o.rotation, &o.pager, &o.hours]
                .iter()
                .filter_map(|x| x.as_deref())
                .map(clean)
                .collect();
            lines.push(Line::from(Span::styled(
                format!("  {}", parts.join(" · ")),
                t.text,
            )));
            if !o.escalation.is_empty() {
                let ladder = crate::triage::render::ladder(&o.escalation);
                lines.push(field(t, "  Escalation", clean(&ladder)));
            }
            if let Some(since) =
                app.data()
                    .walk
                    .since(SubjectKind::Team, &team.id, o.rotation.as_deref())
            {
                lines.push(field(t, "  On call", since));
            }
        }
        None => lines.push(Line::from(Span::styled("  no rotation", t.warning))),
    }
    // Only what the pane can show is built (the rows scrolled past, those
    // in sight and a pane more, so `J` finds rows below): a team of a large
    // repository owns and shares hundreds of components.
    let height = usize::from(area.height);
    let budget = usize::from(app.detail()) + 2 * height;
    let chars = budget * usize::from(area.width);
    let facts = &app.data().facts;
    let owned = facts.owned(&team.id);
    lines.push(heading(t, &format!("Owns ({})", owned.len())));
    if !owned.is_empty() {
        let ids = owned.iter().map(|&i| model.components[i].id.as_str());
        lines.push(Line::from(Span::styled(
            format!("  {}", joined(ids, chars)),
            t.text,
        )));
    }
    let roles: Vec<String> = scope::layer_roles(model, team)
        .iter()
        .map(|(l, r)| format!("{} {}", clean(&l.id), clean(r)))
        .collect();
    if !roles.is_empty() {
        lines.push(field(t, "  Layers", roles.join(", ")));
    }
    let pillars: Vec<String> = scope::primary_pillars(model, &team.id)
        .iter()
        .map(|p| clean(&p.name))
        .collect();
    if !pillars.is_empty() {
        lines.push(field(t, "  Primary in", pillars.join(", ")));
    }
    // Counted, and only the rows the pane can show listed: a team of a
    // kind given a duty everywhere shares tens of thousands.
    let shared = facts.shared(&team.id);
    let count = shared.len();
    lines.push(heading(t, &format!("Shares ({count})")));
    let room = budget.saturating_sub(lines.len());
    for (ci, di) in shared.first(room) {
        let c = &model.components[ci];
        lines.push(Line::from(vec![
            Span::styled(format!("  {} ", clean(&c.id)), t.text),
            Span::styled(clean(&c.duties[di].covers.join(", ")), t.dim),
        ]));
    }
    if count > room {
        lines.push(Line::from(Span::styled(
            format!("  … {} more", count - room),
            t.dim,
        )));
    }
    let index = app.tabs().teams.model_index(app.data());
    let consumed = app.tabs().teams.consumes(app.data(), index);
    lines.push(heading(t, &format!("Consumes ({})", consumed.len())));
    if !consumed.is_empty() {
        let ids = consumed.iter().map(|&i| model.components[i].id.as_str());
        lines.push(Line::from(Span::styled(
            format!("  {}", joined(ids, chars)),
            t.text,
        )));
    }
    let area = match app.tabs().trends.series(&app.ctx()) {
        Some(series)
            if series
                .periods
                .iter()
                .any(|p| p.teams.contains_key(&team.id)) =>
        {
            let [spark, rest] =
                Layout::vertical([Constraint::Length(3), Constraint::Fill(1)]).areas(area);
            draw_load_sparkline(frame, app, series, &team.id, spark);
            rest
        }
        _ => area,
    };
    super::draw_detail(frame, app, lines, "Scope", area);
}

/// The team's components owned per period, from the history walk (the
/// Trends tab draws the same series against the other teams).
fn draw_load_sparkline(
    frame: &mut Frame,
    app: &Ui,
    series: &crate::trends::Series,
    team: &str,
    area: Rect,
) {
    let t = app.theme;
    let owns: Vec<u64> = series.of_team(team).iter().map(|f| f.owns as u64).collect();
    // The newest periods when there are more than columns.
    let width = inner(area).width as usize;
    let shown = &owns[owns.len().saturating_sub(width)..];
    let first = series.periods[series.periods.len() - shown.len()].period;
    let title = format!(
        " Owns per {} since {first}: {} now ",
        series.by.as_str(),
        owns.last().copied().unwrap_or(0),
    );
    frame.render_widget(
        ratatui::widgets::Sparkline::default()
            .block(block(title, false, t))
            .data(shown)
            .max(owns.iter().copied().max().unwrap_or(1).max(1))
            .style(t.accent),
        area,
    );
}

pub fn hit_test(app: &App, body: Rect, x: u16, y: u16) -> Option<Target> {
    let model = app.model()?;
    let [table, _] = areas(app, model, body);
    let len = app.tabs().teams.order(app.data()).len();
    super::row_at(
        rows_area(table),
        app.tabs().teams.rows.offset.get(),
        len,
        x,
        y,
    )
}
