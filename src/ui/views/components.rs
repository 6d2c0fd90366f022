//! Components: a table sortable by column and filterable by layer, pillar,
//! owner and tier; the selected one's duty split, consumers, runbook and
//! the scenarios that name it.

use crate::app::derive;
use crate::app::tabs::components::SortColumn;
use crate::app::{Action, App, Target};
use crate::model::{Component, Model, SubjectKind};
use crate::ui::Ui;
use crate::ui::fit::table::{self, Cell as TableCell};
use crate::ui::fit::{self, Column, fit_columns};
use crate::ui::widgets::{block, clean, inner, selected_if, window};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Side by side when wide, stacked otherwise.
fn areas(body: Rect) -> [Rect; 2] {
    if body.width >= 150 {
        Layout::horizontal([Constraint::Percentage(62), Constraint::Fill(1)]).areas(body)
    } else {
        Layout::vertical([Constraint::Percentage(58), Constraint::Fill(1)]).areas(body)
    }
}

fn rows_area(table: Rect) -> Rect {
    let i = inner(table);
    Rect {
        y: i.y + 1,
        height: i.height.saturating_sub(1),
        ..i
    }
}

/// The widest cell of each column (id, name, layer, pillar, owner, tier)
/// among `rows`, as drawn.
pub fn cell_widths<'a>(rows: impl Iterator<Item = &'a Component>) -> [usize; 6] {
    let w = |s: &str| fit::width(&crate::sanitize::line(s));
    let mut widest = [0; 6];
    for c in rows {
        let row = [
            w(&c.id),
            w(&c.name),
            c.layer.as_deref().map_or(0, w),
            c.pillar.as_deref().map_or(0, w),
            w(&c.owner),
            c.tier.map_or(0, |n| n.to_string().len()),
        ];
        for (m, x) in widest.iter_mut().zip(row) {
            *m = (*m).max(x);
        }
    }
    widest
}

/// Column widths for a table `width` wide, sized to the header and every
/// row (not only those in sight, so columns do not jump while scrolling):
/// the id, the owner and the tier (with the sort marker) are never cut; the
/// name gives way first (down to 12 cells), then the pillar, then the
/// layer; the name takes what is left when everything fits.
fn widths(app: &Ui, header: &[String], rows: &[&Component], width: usize) -> Vec<usize> {
    let tab = &app.tabs().components;
    let prepared = app.data().facts.prepared.component_widths;
    let cells = tab
        .cell_widths
        .get(tab.rows_key(&app.ctx()), || match prepared {
            Some(widths) if tab.is_first_view() => widths,
            _ => cell_widths(rows.iter().copied()),
        });
    let want: Vec<usize> = header
        .iter()
        .zip(cells.iter())
        .map(|(h, c)| fit::width(h).max(*c))
        .collect();
    let cols = [
        Column::keep(want[0]),
        Column::flexible(want[1], 12, 3).growing(),
        Column::flexible(want[2], 7, 1),
        Column::flexible(want[3], 7, 2),
        Column::keep(want[4]),
        Column::keep(want[5]),
    ];
    fit_columns(&cols, width, 1)
}

fn cells(c: &Component) -> [String; 6] {
    [
        clean(&c.id),
        clean(&c.name),
        clean(c.layer.as_deref().unwrap_or("")),
        clean(c.pillar.as_deref().unwrap_or("")),
        clean(&c.owner),
        c.tier.map(|n| n.to_string()).unwrap_or_default(),
    ]
}

pub fn draw(frame: &mut Frame, app: &Ui, model: &Model, body: Rect) {
    let t = app.theme;
    let [table, detail] = areas(body);
    let rows = app.tabs().components.shown(&app.ctx());
    let arrow = if app.tabs().components.descending {
        "▼"
    } else {
        "▲"
    };
    let header: Vec<String> = SortColumn::ALL
        .iter()
        .map(|c| {
            if *c == app.tabs().components.sort {
                format!("{}{arrow}", c.title())
            } else {
                c.title().to_string()
            }
        })
        .collect();
    let w = widths(app, &header, &rows, inner(table).width as usize);
    let header_cells: Vec<TableCell> = header
        .iter()
        .map(|h| TableCell::left(h, t.header))
        .collect();
    let mut lines = vec![table::row(&header_cells, &w, 1)];
    let list = rows_area(table);
    let matcher = app.tabs().components.text.matcher();
    for i in window(
        &app.tabs().components.rows,
        list.height as usize,
        rows.len(),
    ) {
        let sel = selected_if(i == app.tabs().components.rows.selected, t);
        let style = t.text.patch(sel);
        let cells = cells(rows[i]);
        let row: Vec<TableCell> = cells.iter().map(|c| TableCell::left(c, style)).collect();
        let line = table::row(&row, &w, 1).style(sel);
        lines.push(super::highlight_line(line, &matcher, t));
    }
    if rows.is_empty() {
        let key = app.keymap().first_key(Action::ClearFilters);
        lines.push(Line::from(Span::styled(
            format!("No component matches; {key} clears the filters."),
            t.dim,
        )));
    }
    let mut title = vec![Span::styled(
        format!(" Components {}/{} ", rows.len(), model.components.len()),
        t.accent,
    )];
    let f = &app.tabs().components.filters;
    let filters: Vec<String> = [
        f.layer.as_ref().map(|v| format!("layer={v}")),
        f.pillar.as_ref().map(|v| format!("pillar={v}")),
        f.owner.as_ref().map(|v| format!("owner={v}")),
        f.kind.as_ref().map(|v| format!("kind={v}")),
        f.tier.map(|v| format!("tier={v}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut filters = filters;
    if let Some(label) = app.tabs().components.text.label() {
        filters.push(label);
    }
    if !filters.is_empty() {
        title.push(Span::styled(
            format!("· {} ", clean(&filters.join(" "))),
            t.warning,
        ));
    }
    // The count whole; the filters cut with `…` when the table is narrow.
    let title = table::title_with_note(title, table.width as usize);
    frame.render_widget(Paragraph::new(lines).block(block(title, true, t)), table);
    if let Some(c) = rows.get(app.tabs().components.rows.selected) {
        draw_detail(frame, app, model, c, detail);
    }
}

fn draw_detail(frame: &mut Frame, app: &Ui, model: &Model, c: &Component, area: Rect) {
    let t = app.theme;
    let owner = model
        .team(&c.owner)
        .map(|team| clean(&team.name))
        .unwrap_or_else(|| "unknown team".into());
    let mut lines = vec![
        Line::from(vec![
            Span::styled(clean(&c.name), t.accent),
            Span::styled(format!("  {}", clean(&c.id)), t.dim),
        ]),
        Line::from(vec![
            Span::styled("Owner ", t.dim),
            Span::styled(clean(&c.owner), t.text),
            Span::styled(format!(" ({owner})"), t.dim),
            Span::styled(
                c.tier.map(|n| format!("  tier {n}")).unwrap_or_default(),
                if c.tier == Some(1) { t.tier1 } else { t.text },
            ),
        ]),
    ];
    if let Some(since) = app
        .data()
        .walk
        .since(SubjectKind::Component, &c.id, Some(&c.owner))
    {
        lines.push(Line::from(vec![
            Span::styled("Owner ", t.dim),
            Span::styled(since, t.text),
        ]));
    }
    if let Some(r) = &c.runbook {
        lines.push(Line::from(vec![
            Span::styled("Runbook ", t.dim),
            Span::styled(clean(r), t.text),
        ]));
    }
    if let Some(r) = &c.reviewed {
        lines.push(Line::from(vec![
            Span::styled("Reviewed ", t.dim),
            Span::styled(clean(r), t.text),
        ]));
    }
    lines.extend(code_lines(app, c));
    lines.push(Line::from(Span::styled("Duties", t.header)));
    if c.duties.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("  all with {}", clean(&c.owner)),
            t.dim,
        )));
    }
    for d in &c.duties {
        lines.push(Line::from(vec![
            Span::styled(
                format!(
                    "  {}: ",
                    clean(&derive::party_label(model, &d.party, Some(c)))
                ),
                t.accent,
            ),
            Span::styled(clean(&d.covers.join(", ")), t.text),
        ]));
    }
    lines.push(Line::from(vec![
        Span::styled("Consumers ", t.header),
        Span::styled(
            if c.consumers.is_empty() {
                "none".to_string()
            } else {
                clean(&c.consumers.join(", "))
            },
            t.text,
        ),
    ]));
    let scenarios: Vec<_> = model
        .scenarios
        .iter()
        .filter(|s| s.components.contains(&c.id))
        .collect();
    lines.push(Line::from(Span::styled(
        format!("Scenarios ({})", scenarios.len()),
        t.header,
    )));
    for s in scenarios {
        lines.push(Line::from(vec![
            Span::styled(format!("  {} ", clean(&s.title)), t.text),
            Span::styled(
                s.first
                    .as_ref()
                    .map(|f| format!("first: {}", clean(&f.to_string())))
                    .unwrap_or_default(),
                t.dim,
            ),
        ]));
    }
    super::draw_detail(frame, app, lines, "Component", area);
}

/// The component's code paths and, when the repository has a CODEOWNERS
/// file, what it says about each (worked out by the loader).
fn code_lines(app: &Ui, c: &Component) -> Vec<Line<'static>> {
    use crate::codeowners::Status;
    let t = app.theme;
    if c.paths.is_empty() {
        return Vec::new();
    }
    let mut title = vec![Span::styled("Code ", t.header)];
    if let Some(repo) = &c.repo {
        title.push(Span::styled(format!("in {}", clean(repo)), t.dim));
    }
    let report = app.data().facts.codeowners.as_deref();
    if let Some(r) = report.filter(|_| c.repo.is_none()) {
        title.push(Span::styled(format!("· {}", clean(&r.file)), t.dim));
    }
    let mut lines = vec![Line::from(title)];
    let verdicts: Vec<_> = report
        .map(|r| r.of_component(&c.id).collect())
        .unwrap_or_default();
    for path in &c.paths {
        let verdict = verdicts.iter().find(|v| &v.path == path);
        let (mark, style, note) = match verdict.map(|v| &v.status) {
            Some(Status::Agrees { line }) => ("✓", t.ok, format!("agrees (line {line})")),
            Some(Status::Mismatch { line, owners }) => (
                "✗",
                t.error,
                format!("names {} (line {line})", owners.join(" ")),
            ),
            Some(Status::Unowned {
                cleared_at: Some(line),
            }) => ("⚠", t.warning, format!("no owner: cleared at line {line}")),
            Some(Status::Unowned { cleared_at: None }) => {
                ("⚠", t.warning, "no owner: no rule matches".to_string())
            }
            Some(Status::NoHandles) => ("·", t.dim, "owner lists no handles".to_string()),
            None => ("·", t.dim, String::new()),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("  {mark} "), style),
            Span::styled(format!("{} ", clean(path)), t.text),
            Span::styled(clean(&note), t.dim),
        ]));
    }
    lines
}

pub fn hit_test(app: &App, body: Rect, x: u16, y: u16) -> Option<Target> {
    let [table, _] = areas(body);
    let len = app.tabs().components.shown(&app.ctx()).len();
    super::row_at(
        rows_area(table),
        app.tabs().components.rows.offset.get(),
        len,
        x,
        y,
    )
}
