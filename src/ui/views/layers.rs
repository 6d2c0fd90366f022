//! Layers: the layer responsibility matrix (layers in stack order, teams as
//! columns grouped by kind, or one column per kind), boundary violations
//! flagged, the selected cell's components below; `m` cycles through the
//! optional matrices of `matrices/`.

use crate::app::derive;
use crate::app::list::Scroll;
use crate::app::tabs::layers::{self as grid, MatrixColumn};
use crate::app::{App, Target};
use crate::model::{Matrix, Model};
use crate::ui::Ui;
use crate::ui::theme::Theme;
use crate::ui::widgets::{block, clean, inner};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use std::cell::Cell;

const CELL: u16 = 14;

/// The geometry of a matrix: where rows and columns are on screen.
struct Grid {
    table: Rect,
    detail: Rect,
    label_width: u16,
    /// First row and column shown, and how many fit.
    row0: usize,
    rows: usize,
    col0: usize,
    cols: usize,
}

/// `n_rows` rows shown, the selected one at `row_at` among them.
fn grid(
    app: &App,
    body: Rect,
    (n_rows, row_at): (usize, usize),
    n_cols: usize,
    label_width: u16,
) -> Grid {
    let wanted = n_rows as u16 + 4;
    let table_h = wanted
        .min(body.height.saturating_mul(2) / 3)
        .max(5.min(body.height));
    let [table, detail] =
        Layout::vertical([Constraint::Length(table_h), Constraint::Fill(1)]).areas(body);
    let inside = inner(table);
    let label_width = label_width.min(inside.width / 3);
    let cols = ((inside.width.saturating_sub(label_width)) / CELL).max(1) as usize;
    let rows = (inside.height.saturating_sub(2)).max(1) as usize;
    let (prev_row, prev_col) = app.tabs().layers.view.get();
    let row0 = keep(prev_row, row_at, rows, n_rows);
    let col0 = keep(prev_col, app.tabs().layers.col, cols, n_cols);
    app.tabs().layers.view.set((row0, col0));
    Grid {
        table,
        detail,
        label_width,
        row0,
        rows,
        col0,
        cols,
    }
}

fn keep(prev: usize, selected: usize, height: usize, len: usize) -> usize {
    Scroll {
        selected,
        offset: Cell::new(prev),
    }
    .visible_offset(height, len)
}

fn pad(text: &str, width: u16) -> String {
    let width = width as usize;
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    if text.chars().count() >= width && width > 1 {
        out.pop();
        out.push('…');
    }
    let len = out.chars().count();
    out.push_str(&" ".repeat(width.saturating_sub(len)));
    out
}

pub fn draw(frame: &mut Frame, app: &Ui, model: &Model, body: Rect) {
    match app.tabs().layers.matrix {
        0 => draw_layer_matrix(frame, app, model, body),
        i => match model.matrices.get(i - 1) {
            Some(m) => draw_matrix(frame, app, model, m, body),
            None => draw_layer_matrix(frame, app, model, body),
        },
    }
}

fn matrix_note(app: &Ui, model: &Model) -> String {
    let key = app.keymap().first_key(crate::app::Action::NextMatrix);
    match model.matrices.len() {
        0 => String::new(),
        n => format!(
            "· {key}: matrices ({}/{}) ",
            app.tabs().layers.matrix + 1,
            n + 1
        ),
    }
}

fn draw_layer_matrix(frame: &mut Frame, app: &Ui, model: &Model, body: Rect) {
    let t = app.theme;
    let columns = app.tabs().layers.columns(&app.ctx());
    let layers_tab = &app.tabs().layers;
    let shown_rows = layers_tab.shown_rows(model);
    let at = layers_tab.row_position(model);
    let g = grid(app, body, (shown_rows.len(), at), columns.len(), 18);
    let violations = app.data().facts.violations;
    let shown = &columns[g.col0.min(columns.len())..(g.col0 + g.cols).min(columns.len())];
    let mut lines = Vec::new();
    // Header: the kind over its first column, then the column's label.
    let mut kinds = vec![Span::raw(pad("", g.label_width))];
    let mut labels = vec![Span::styled(pad("layer", g.label_width), t.header)];
    let mut last_kind = "";
    for c in shown {
        let kind = if c.kind != last_kind || c.team.is_none() {
            c.kind.as_str()
        } else {
            ""
        };
        last_kind = &c.kind;
        kinds.push(Span::styled(pad(&clean(kind), CELL), t.dim));
        labels.push(Span::styled(pad(&clean(&c.label), CELL), t.header));
    }
    lines.push(Line::from(kinds));
    lines.push(Line::from(labels));
    for &r in shown_rows.iter().skip(g.row0).take(g.rows) {
        let layer = &model.layers[r];
        let mut spans = vec![Span::styled(
            pad(&clean(&layer.name), g.label_width),
            t.accent,
        )];
        for (ci, c) in shown.iter().enumerate() {
            let cell = grid::matrix_cell(model, &app.data().facts, layer, c);
            let selected = r == app.tabs().layers.row && g.col0 + ci == app.tabs().layers.col;
            spans.extend(cell_spans(t, &cell, selected));
        }
        lines.push(Line::from(spans));
    }
    let flag = if violations > 0 {
        Span::styled(
            format!(
                "· {violations} boundary violation{} ",
                if violations == 1 { "" } else { "s" }
            ),
            t.warning,
        )
    } else {
        Span::styled("· no boundary violation ", t.ok)
    };
    let title = Line::from(vec![
        Span::styled(" Layer responsibility matrix ", t.accent),
        flag,
        Span::styled(
            format!(
                "· columns {}-{} of {} ",
                g.col0 + 1,
                g.col0 + shown.len(),
                columns.len()
            ),
            t.dim,
        ),
        Span::styled(matrix_note(app, model), t.dim),
        Span::styled(
            filter_note(app, shown_rows.len(), model.layers.len()),
            t.warning,
        ),
    ]);
    frame.render_widget(Paragraph::new(lines).block(block(title, true, t)), g.table);
    if let (Some(layer), Some(col)) = (
        model.layers.get(app.tabs().layers.row),
        columns.get(app.tabs().layers.col),
    ) {
        draw_cell_detail(frame, app, model, layer, col, g.detail);
    }
}

/// A cell is CELL wide: its text, then one blank column outside the
/// selection so neighbouring cells stay apart.
fn cell_spans<'a>(t: &Theme, cell: &grid::MatrixCell, selected: bool) -> [Span<'a>; 2] {
    let role = cell.role.as_deref().unwrap_or("—");
    let mut text = clean(role);
    if !cell.components.is_empty() {
        text.push_str(&format!(" {}", cell.components.len()));
    }
    if !cell.violations.is_empty() {
        text.push_str(" ⚠");
    }
    let mut style = if !cell.violations.is_empty() {
        t.violation
    } else if cell.role.is_none() {
        t.dim
    } else {
        t.role(role)
    };
    if selected {
        style = style.patch(t.selection);
    }
    [Span::styled(pad(&text, CELL - 1), style), Span::raw(" ")]
}

fn draw_cell_detail(
    frame: &mut Frame,
    app: &Ui,
    model: &Model,
    layer: &crate::model::Layer,
    col: &MatrixColumn,
    area: Rect,
) {
    let t = app.theme;
    let cell = grid::matrix_cell(model, &app.data().facts, layer, col);
    let [info, list] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Fill(1)]).areas(area);
    let mut lines = vec![Line::from(vec![
        Span::styled(clean(&layer.name), t.accent),
        Span::styled(" × ", t.dim),
        Span::styled(clean(&col.label), t.accent),
    ])];
    if let Some(scope) = &layer.scope {
        lines.push(Line::from(Span::styled(clean(scope), t.dim)));
    }
    lines.push(Line::from(vec![
        Span::styled("Role: ", t.header),
        match &cell.role {
            Some(r) => Span::styled(clean(r), t.role(r)),
            None => Span::styled("none declared", t.dim),
        },
    ]));
    if col.team.is_none() {
        lines.push(Line::from(vec![
            Span::styled("Teams: ", t.header),
            Span::styled(clean(&col.teams.join(", ")), t.text),
        ]));
    }
    for v in &cell.violations {
        let role = model
            .team(v)
            .and_then(|team| crate::model::scope::team_role(layer, team));
        let why = match role {
            Some(r) => format!("declares only `{}`", clean(r)),
            None => "declares no role".to_string(),
        };
        lines.push(Line::from(Span::styled(
            format!(
                "⚠ Boundary violation: {} owns components here but {why}.",
                clean(v)
            ),
            t.violation,
        )));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .block(block(" Cell ", false, t))
            .wrap(Wrap { trim: true }),
        info,
    );
    let mut rows: Vec<Line> = cell
        .components
        .iter()
        .map(|c| {
            let tier = c.tier.map(|n| format!("T{n}")).unwrap_or_default();
            Line::from(vec![
                Span::styled(pad(&clean(&c.id), 20), t.text),
                Span::styled(
                    pad(&tier, 3),
                    if c.tier == Some(1) { t.tier1 } else { t.dim },
                ),
                Span::styled(clean(&c.name), t.dim),
            ])
        })
        .collect();
    if rows.is_empty() {
        rows.push(Line::from(Span::styled("No component owned here.", t.dim)));
    }
    let key = app.keymap().first_key(crate::app::Action::Open);
    let title = format!(
        " Components ({}) · {key}: open in Components ",
        cell.components.len()
    );
    frame.render_widget(Paragraph::new(rows).block(block(title, false, t)), list);
}

fn draw_matrix(frame: &mut Frame, app: &Ui, model: &Model, matrix: &Matrix, body: Rect) {
    let t = app.theme;
    let layers_tab = &app.tabs().layers;
    let shown_rows = layers_tab.shown_rows(model);
    let at = layers_tab.row_position(model);
    let g = grid(app, body, (shown_rows.len(), at), matrix.parties.len(), 32);
    let parties = &matrix.parties
        [g.col0.min(matrix.parties.len())..(g.col0 + g.cols).min(matrix.parties.len())];
    let mut lines = vec![Line::from(""), {
        let mut header = vec![Span::styled(pad("", g.label_width), t.header)];
        header.extend(
            parties
                .iter()
                .map(|p| Span::styled(pad(&clean(&p.to_string()), CELL), t.header)),
        );
        Line::from(header)
    }];
    for &r in shown_rows.iter().skip(g.row0).take(g.rows) {
        let row = &matrix.rows[r];
        let mut spans = vec![Span::styled(
            pad(&clean(&row.name), g.label_width),
            t.accent,
        )];
        for (ci, _) in parties.iter().enumerate() {
            let role = row.roles.get(g.col0 + ci).map(String::as_str).unwrap_or("");
            let mut style = if role.is_empty() { t.dim } else { t.role(role) };
            if r == app.tabs().layers.row && g.col0 + ci == app.tabs().layers.col {
                style = style.patch(t.selection);
            }
            spans.push(Span::styled(
                pad(&clean(if role.is_empty() { "—" } else { role }), CELL - 1),
                style,
            ));
            spans.push(Span::raw(" "));
        }
        lines.push(Line::from(spans));
    }
    let title = Line::from(vec![
        Span::styled(format!(" {} ", clean(&matrix.title)), t.accent),
        Span::styled(format!("({}) ", clean(&matrix.location.file)), t.dim),
        Span::styled(matrix_note(app, model), t.dim),
        Span::styled(
            filter_note(app, shown_rows.len(), matrix.rows.len()),
            t.warning,
        ),
    ]);
    frame.render_widget(Paragraph::new(lines).block(block(title, true, t)), g.table);
    let mut detail = Vec::new();
    if let (Some(row), Some(party)) = (
        matrix.rows.get(app.tabs().layers.row),
        matrix.parties.get(app.tabs().layers.col),
    ) {
        let role = row
            .roles
            .get(app.tabs().layers.col)
            .map(String::as_str)
            .unwrap_or("");
        detail.push(Line::from(Span::styled(clean(&row.name), t.accent)));
        detail.push(Line::from(vec![
            Span::styled(clean(&derive::party_label(model, party, None)), t.text),
            Span::styled(": ", t.dim),
            Span::styled(
                clean(if role.is_empty() { "no role" } else { role }),
                t.role(role),
            ),
        ]));
    }
    frame.render_widget(
        Paragraph::new(detail)
            .block(block(" Cell ", false, t))
            .wrap(Wrap { trim: true }),
        g.detail,
    );
}

/// "· rows 2/6 · /serv": the rows the filter in place shows.
fn filter_note(app: &App, shown: usize, total: usize) -> String {
    match app.tabs().layers.filter.label() {
        Some(label) => format!("· rows {shown}/{total} · {} ", clean(&label)),
        None => String::new(),
    }
}

pub fn hit_test(app: &App, model: &Model, body: Rect, x: u16, y: u16) -> Option<Target> {
    let layers_tab = &app.tabs().layers;
    let shown_rows = layers_tab.shown_rows(model);
    let n_rows = shown_rows.len();
    let (n_cols, label) = match layers_tab.matrix {
        0 => (layers_tab.columns(&app.ctx()).len(), 18),
        i => (model.matrices.get(i - 1)?.parties.len(), 32),
    };
    let g = grid(
        app,
        body,
        (n_rows, layers_tab.row_position(model)),
        n_cols,
        label,
    );
    let inside = inner(g.table);
    if !crate::ui::contains(inside, x, y) || y < inside.y + 2 || x < inside.x + g.label_width {
        return None;
    }
    let at = g.row0 + (y - inside.y - 2) as usize;
    let col = g.col0 + ((x - inside.x - g.label_width) / CELL) as usize;
    let &row = shown_rows.get(at)?;
    (col < n_cols && col < g.col0 + g.cols).then_some(Target::Cell(row, col))
}
