//! Components: a table sortable by column and filterable by layer, pillar,
//! owner and tier; the selected one's duty split, consumers, runbook and
//! the scenarios that name it.

use crate::app::derive;
use crate::app::tabs::components::SortColumn;
use crate::app::{Action, App, Target};
use crate::model::{Component, Model, SubjectKind};
use crate::ui::Ui;
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

/// Column widths for a table `width` wide: id, name, layer, pillar, owner,
/// tier. The name takes what is left; when that is too little, the other
/// columns shrink, pillar and layer first.
fn widths(width: usize) -> [usize; 6] {
    let mut w = [20, 0, 16, 20, 18, 4];
    let shrink = [(3, 12), (2, 12), (0, 16), (4, 16), (0, 12)];
    for (col, to) in shrink {
        let others: usize = w.iter().sum::<usize>() + 5;
        if width.saturating_sub(others) >= 20 {
            break;
        }
        w[col] = to;
    }
    w[1] = width.saturating_sub(w.iter().sum::<usize>() + 5).max(4);
    w
}

fn row_text(w: &[usize; 6], cells: [&str; 6]) -> String {
    let mut out = String::new();
    for (i, (cell, width)) in cells.iter().zip(w).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let mut s: String = cell.chars().take(*width).collect();
        let n = s.chars().count();
        s.push_str(&" ".repeat(width - n));
        out.push_str(&s);
    }
    out
}

pub fn draw(frame: &mut Frame, app: &Ui, model: &Model, body: Rect) {
    let t = app.theme;
    let [table, detail] = areas(body);
    let rows = app.tabs().components.shown(&app.ctx());
    let w = widths(inner(table).width as usize);
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
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut lines = vec![Line::from(Span::styled(
        row_text(&w, header_refs.try_into().unwrap_or([""; 6])),
        t.header,
    ))];
    let list = rows_area(table);
    let matcher = app.tabs().components.text.matcher();
    for i in window(
        &app.tabs().components.rows,
        list.height as usize,
        rows.len(),
    ) {
        let c = rows[i];
        let tier = c.tier.map(|n| n.to_string()).unwrap_or_default();
        let cells = [
            clean(&c.id),
            clean(&c.name),
            clean(c.layer.as_deref().unwrap_or("")),
            clean(c.pillar.as_deref().unwrap_or("")),
            clean(&c.owner),
            tier,
        ];
        let sel = selected_if(i == app.tabs().components.rows.selected, t);
        let text = row_text(
            &w,
            [
                &cells[0], &cells[1], &cells[2], &cells[3], &cells[4], &cells[5],
            ],
        );
        lines.push(super::highlighted(&text, &matcher, t.text.patch(sel), t));
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
    frame.render_widget(
        Paragraph::new(lines).block(block(Line::from(title), true, t)),
        table,
    );
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
