//! Layers: the layer responsibility matrix (layers in stack order, teams as
//! columns grouped by kind, or one column per kind), boundary violations
//! flagged, the selected cell's components below; `m` cycles through the
//! optional matrices of `matrices/`.

use crate::app::derive;
use crate::app::list::Scroll;
use crate::app::tabs::layers::{self as grid, MatrixColumn};
use crate::app::{App, Target};
use crate::model::facts::Facts;
use crate::model::{Matrix, Model};
use crate::ui::Ui;
use crate::ui::fit::{self, ColumnWindow};
use crate::ui::theme::Theme;
use crate::ui::widgets::{block, clean, inner};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use std::cell::Cell;
use std::rc::Rc;

/// A column is never narrower than this (a role and its count), and
/// grows to its label up to `CAP`; spare room goes back to capped ones.
const MIN_CELL: usize = 10;
const CAP: usize = 24;
/// The blank column between two cells.
const GAP: usize = 1;

/// The geometry of a matrix: where rows and columns are on screen.
struct Grid {
    table: Rect,
    detail: Rect,
    label_width: u16,
    /// First row shown, and how many fit.
    row0: usize,
    rows: usize,
    /// The columns shown and their widths.
    window: ColumnWindow,
}

impl Grid {
    fn col0(&self) -> usize {
        self.window.first
    }

    /// The shown columns: (index, width).
    fn columns(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.window
            .widths
            .iter()
            .enumerate()
            .map(|(k, w)| (self.window.first + k, *w))
    }
}

/// `n_rows` rows shown, the selected one at `row_at` among them; `wants`:
/// each column's widest label or cell; `label_want` the row labels'
/// widest.
fn grid(
    app: &App,
    body: Rect,
    (n_rows, row_at): (usize, usize),
    wants: &[usize],
    label_want: usize,
) -> Grid {
    let wanted = n_rows as u16 + 4;
    let table_h = wanted
        .min(body.height.saturating_mul(2) / 3)
        .max(5.min(body.height));
    let [table, detail] =
        Layout::vertical([Constraint::Length(table_h), Constraint::Fill(1)]).areas(body);
    let inside = inner(table);
    let label_width = (label_want as u16 + 1).min(inside.width / 3);
    let rows = (inside.height.saturating_sub(2)).max(1) as usize;
    let (prev_row, prev_col) = app.tabs().layers.view.get();
    let row0 = keep(prev_row, row_at, rows, n_rows);
    let wants: Vec<usize> = wants.iter().map(|w| (*w).max(MIN_CELL)).collect();
    // Each column takes its width plus the gap after it.
    let room = inside.width.saturating_sub(label_width) as usize + GAP;
    let window = ColumnWindow::fit(
        &wants.iter().map(|w| w + GAP).collect::<Vec<_>>(),
        CAP + GAP,
        0,
        room,
        app.tabs().layers.col,
        prev_col,
    );
    let window = ColumnWindow {
        widths: window
            .widths
            .iter()
            .map(|w| w.saturating_sub(GAP).max(1))
            .collect(),
        ..window
    };
    app.tabs().layers.view.set((row0, window.first));
    Grid {
        table,
        detail,
        label_width,
        row0,
        rows,
        window,
    }
}

fn keep(prev: usize, selected: usize, height: usize, len: usize) -> usize {
    Scroll {
        selected,
        offset: Cell::new(prev),
    }
    .visible_offset(height, len)
}

/// A row label in `width` cells, the last one blank so it never runs into
/// the first cell.
fn label(text: &str, width: u16) -> String {
    let width = width as usize;
    format!("{} ", fit::pad(text, width.saturating_sub(1)))
}

fn pad(text: &str, width: impl Into<usize>) -> String {
    fit::pad(text, width.into())
}

/// What each column of the layer matrix asks for: its label, the kind over
/// it, the widest of its cells as `cell_text` writes them.
fn layer_wants(app: &App, model: &Model, columns: &[MatrixColumn]) -> Rc<Vec<usize>> {
    let tab = &app.tabs().layers;
    let key = (app.data().generation, tab.by_kind, 0);
    let facts = &app.data().facts;
    tab.wants.get(key, || match &facts.prepared.layer_wants {
        // One column per team is how the matrix first shows: the loader
        // measured it.
        Some(wants) if !tab.by_kind => wants.to_vec(),
        _ => layer_wants_of(facts, model, columns),
    })
}

/// What each column asks for, measured (the loader does it for the
/// columns per team, see `loader::prepare`).
pub fn layer_wants_of(facts: &Facts, model: &Model, columns: &[MatrixColumn]) -> Vec<usize> {
    columns
        .iter()
        .map(|c| {
            let cells = model.layers.iter().map(|layer| {
                let cell = grid::matrix_cell(model, facts, layer, c);
                fit::width(&cell_text(&cell))
            });
            let label = fit::width(&clean(&c.label)).max(fit::width(&clean(&c.kind)));
            cells.max().unwrap_or(0).max(label)
        })
        .collect()
}

/// The widest layer name (at least "layer", the header over them).
fn layer_label_want(model: &Model) -> usize {
    model
        .layers
        .iter()
        .map(|l| fit::width(&clean(&l.name)))
        .chain([5])
        .max()
        .unwrap_or(5)
}

/// The widest row name of an optional matrix.
fn matrix_label_want(matrix: &Matrix) -> usize {
    matrix
        .rows
        .iter()
        .map(|r| fit::width(&clean(&r.name)))
        .max()
        .unwrap_or(0)
}

/// What each party's column of an optional matrix asks for.
fn matrix_wants(app: &App, matrix: &Matrix) -> Rc<Vec<usize>> {
    let tab = &app.tabs().layers;
    let key = (app.data().generation, false, tab.matrix);
    tab.wants.get(key, || matrix_wants_of(matrix))
}

fn matrix_wants_of(matrix: &Matrix) -> Vec<usize> {
    matrix
        .parties
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let roles = matrix
                .rows
                .iter()
                .map(|r| r.roles.get(i).map_or(1, |x| fit::width(&clean(x))));
            roles
                .max()
                .unwrap_or(1)
                .max(fit::width(&clean(&p.to_string())))
        })
        .collect()
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
    let wants = layer_wants(app, model, &columns);
    let g = grid(
        app,
        body,
        (shown_rows.len(), at),
        &wants,
        layer_label_want(model),
    );
    let violations = app.data().facts.violations;
    let mut lines = Vec::new();
    // Header: the kind over its first column, then the column's label.
    let mut kinds = vec![Span::raw(pad("", g.label_width))];
    let mut labels = vec![Span::styled(pad("layer", g.label_width), t.header)];
    let mut last_kind = "";
    for (i, w) in g.columns() {
        let c = &columns[i];
        let kind = if c.kind != last_kind || c.team.is_none() || i == g.col0() {
            c.kind.as_str()
        } else {
            ""
        };
        last_kind = &c.kind;
        kinds.push(Span::styled(pad(&clean(kind), w + GAP), t.dim));
        labels.push(Span::styled(pad(&clean(&c.label), w + GAP), t.header));
    }
    lines.push(Line::from(kinds));
    lines.push(Line::from(labels));
    for &r in shown_rows.iter().skip(g.row0).take(g.rows) {
        let layer = &model.layers[r];
        let mut spans = vec![Span::styled(
            label(&clean(&layer.name), g.label_width),
            t.accent,
        )];
        for (i, w) in g.columns() {
            let cell = grid::matrix_cell(model, &app.data().facts, layer, &columns[i]);
            let selected = r == app.tabs().layers.row && i == app.tabs().layers.col;
            spans.extend(cell_spans(t, &cell, selected, w));
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
    let title = fit::table::title(
        vec![
            Span::styled(" Layer responsibility matrix ", t.accent),
            flag,
            Span::styled(format!("· {} ", g.window.label()), t.dim),
            Span::styled(
                filter_note(app, shown_rows.len(), model.layers.len()),
                t.warning,
            ),
            Span::styled(matrix_note(app, model), t.dim),
        ],
        g.table.width as usize,
    );
    frame.render_widget(Paragraph::new(lines).block(block(title, true, t)), g.table);
    if let (Some(layer), Some(col)) = (
        model.layers.get(app.tabs().layers.row),
        columns.get(app.tabs().layers.col),
    ) {
        draw_cell_detail(frame, app, model, layer, col, g.detail);
    }
}

/// A cell's text: its role, the number of components, ⚠ on a violation.
fn cell_text(cell: &grid::MatrixCell) -> String {
    let mut text = clean(cell.role.as_deref().unwrap_or("—"));
    if !cell.components.is_empty() {
        text.push_str(&format!(" {}", cell.components.len()));
    }
    if !cell.violations.is_empty() {
        text.push_str(" ⚠");
    }
    text
}

/// A cell `width` wide, then one blank column outside the selection so
/// neighbouring cells stay apart.
fn cell_spans<'a>(
    t: &Theme,
    cell: &grid::MatrixCell,
    selected: bool,
    width: usize,
) -> [Span<'a>; 2] {
    let role = cell.role.as_deref().unwrap_or("—");
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
    [
        Span::styled(pad(&cell_text(cell), width), style),
        Span::raw(" "),
    ]
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
    // Ids whole, the name cut with `…` in what is left.
    let id_width = cell
        .components
        .iter()
        .map(|c| fit::width(&clean(&c.id)))
        .max()
        .unwrap_or(0)
        + 1;
    let name_room = (inner(list).width as usize).saturating_sub(id_width + 3);
    let mut rows: Vec<Line> = cell
        .components
        .iter()
        .map(|c| {
            let tier = c.tier.map(|n| format!("T{n}")).unwrap_or_default();
            Line::from(vec![
                Span::styled(pad(&clean(&c.id), id_width), t.text),
                Span::styled(
                    pad(&tier, 3usize),
                    if c.tier == Some(1) { t.tier1 } else { t.dim },
                ),
                Span::styled(
                    fit::truncate(&clean(&c.name), name_room).into_owned(),
                    t.dim,
                ),
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
    let g = grid(
        app,
        body,
        (shown_rows.len(), at),
        &matrix_wants(app, matrix),
        matrix_label_want(matrix),
    );
    let mut lines = vec![Line::from(""), {
        let mut header = vec![Span::styled(pad("", g.label_width), t.header)];
        header.extend(g.columns().map(|(i, w)| {
            Span::styled(
                pad(&clean(&matrix.parties[i].to_string()), w + GAP),
                t.header,
            )
        }));
        Line::from(header)
    }];
    for &r in shown_rows.iter().skip(g.row0).take(g.rows) {
        let row = &matrix.rows[r];
        let mut spans = vec![Span::styled(
            label(&clean(&row.name), g.label_width),
            t.accent,
        )];
        for (i, w) in g.columns() {
            let role = row.roles.get(i).map(String::as_str).unwrap_or("");
            let mut style = if role.is_empty() { t.dim } else { t.role(role) };
            if r == app.tabs().layers.row && i == app.tabs().layers.col {
                style = style.patch(t.selection);
            }
            spans.push(Span::styled(
                pad(&clean(if role.is_empty() { "—" } else { role }), w),
                style,
            ));
            spans.push(Span::raw(" "));
        }
        lines.push(Line::from(spans));
    }
    let title = fit::table::title(
        vec![
            Span::styled(format!(" {} ", clean(&matrix.title)), t.accent),
            Span::styled(format!("· {} ", g.window.label()), t.dim),
            Span::styled(
                filter_note(app, shown_rows.len(), matrix.rows.len()),
                t.warning,
            ),
            Span::styled(format!("({}) ", clean(&matrix.location.file)), t.dim),
            Span::styled(matrix_note(app, model), t.dim),
        ],
        g.table.width as usize,
    );
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
    let at = (shown_rows.len(), layers_tab.row_position(model));
    let g = match layers_tab.matrix {
        0 => {
            let columns = layers_tab.columns(&app.ctx());
            let wants = layer_wants(app, model, &columns);
            grid(app, body, at, &wants, layer_label_want(model))
        }
        i => {
            let m = model.matrices.get(i - 1)?;
            grid(app, body, at, &matrix_wants(app, m), matrix_label_want(m))
        }
    };
    let inside = inner(g.table);
    if !crate::ui::contains(inside, x, y) || y < inside.y + 2 || x < inside.x + g.label_width {
        return None;
    }
    let at = g.row0 + (y - inside.y - 2) as usize;
    let col = g
        .window
        .column_at((x - inside.x - g.label_width) as usize, GAP)?;
    let &row = shown_rows.get(at)?;
    Some(Target::Cell(row, col))
}
