//! The Layers tab: the layer matrix (layers by teams, or by team kinds)
//! and the model's other matrices; Enter on a layer cell shows the
//! components it counts, on a matrix column the team.

use crate::app::action::{Action, Context};
use crate::app::filter::TextFilter;
use crate::app::filters::Filters;
use crate::app::list::{Memo, step_index};
use crate::app::tab::filter_keys;
use crate::app::tab::{Ctx, Go, Keys, Out, TabState};
use crate::model::facts::Facts;
use crate::model::{Component, Layer, Model, Party, Subject, SubjectKind};
use std::cell::Cell;
use std::rc::Rc;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LayersTab {
    /// 0: the layer matrix; i: the model's matrices[i - 1].
    pub matrix: usize,
    pub row: usize,
    pub col: usize,
    /// One column per team kind instead of one per team.
    pub by_kind: bool,
    /// The first row and column shown, kept by the drawing code.
    pub view: Cell<(usize, usize)>,
    /// The layer matrix's columns, for (model, by kind).
    columns: Memo<(u64, bool), Vec<MatrixColumn>>,
    /// How wide each column of the matrix shown asks to be, for (model,
    /// by kind, matrix): the view measures every cell (it knows how they
    /// are drawn) once per change, not once per frame.
    pub wants: Memo<(u64, bool, usize), Vec<usize>>,
    /// Filter in place (`f`) on the rows: a layer's id and name, a matrix
    /// row's name and roles.
    pub filter: TextFilter,
}

impl LayersTab {
    /// The layer matrix's columns: one per team, or one per team kind.
    pub fn columns(&self, cx: &Ctx) -> Rc<Vec<MatrixColumn>> {
        let Some(model) = cx.model() else {
            return Rc::default();
        };
        let key = (cx.data.generation, self.by_kind);
        self.columns
            .get(key, || matrix_columns(model, self.by_kind))
    }

    /// (rows, columns) of the matrix shown.
    pub fn size(&self, cx: &Ctx) -> (usize, usize) {
        let Some(model) = cx.model() else {
            return (0, 0);
        };
        match self.matrix {
            0 => (model.layers.len(), self.columns(cx).len()),
            i => model
                .matrices
                .get(i - 1)
                .map_or((0, 0), |m| (m.rows.len(), m.parties.len())),
        }
    }

    /// The rows shown (indices into the matrix's rows), under the filter.
    pub fn shown_rows(&self, model: &Model) -> Vec<usize> {
        match self.matrix {
            0 => self
                .filter
                .keep(&model.layers, |l| format!("{} {}", l.id, l.name)),
            i => model.matrices.get(i - 1).map_or_else(Vec::new, |m| {
                self.filter
                    .keep(&m.rows, |r| format!("{} {}", r.name, r.roles.join(" ")))
            }),
        }
    }

    /// Where the selected row is among those shown.
    pub fn row_position(&self, model: &Model) -> usize {
        self.shown_rows(model)
            .iter()
            .position(|&r| r == self.row)
            .unwrap_or(0)
    }

    /// Shows the layer matrix on the row of layer `row`.
    pub fn show_layer(&mut self, row: usize) {
        self.row = row;
        self.matrix = 0;
        self.filter.clear();
    }

    /// Shows matrix `matrix` (0: the layer matrix) from its first cell.
    pub fn show_matrix(&mut self, matrix: usize) {
        self.matrix = matrix;
        self.row = 0;
        self.col = 0;
        self.filter.clear();
    }

    /// Selects the row named `row` of matrix `id` (a search hit on it).
    pub fn show_matrix_row(&mut self, model: &Model, id: &str, row: &str) {
        if let Some(i) = model.matrices.iter().position(|m| m.id == id) {
            self.matrix = i + 1;
            self.filter.clear();
            self.row = model.matrices[i]
                .rows
                .iter()
                .position(|r| r.name == row)
                .unwrap_or(0);
        }
    }

    /// A click on a cell.
    pub fn select_cell(&mut self, row: usize, col: usize) {
        self.row = row;
        self.col = col;
    }
}

impl TabState for LayersTab {
    fn context(&self) -> Option<Context> {
        Some(Context::Layers)
    }

    fn scroll(&mut self) -> Option<&mut crate::app::list::Scroll> {
        None
    }

    fn len(&self, cx: &Ctx) -> usize {
        cx.model().map_or(0, |m| self.shown_rows(m).len())
    }

    /// Up/Down among the rows shown.
    fn move_by(&mut self, delta: isize, cx: &Ctx) {
        let Some(model) = cx.model() else { return };
        let shown = self.shown_rows(model);
        let at = step_index(self.row_position(model), delta, shown.len());
        if let Some(&row) = shown.get(at) {
            self.row = row;
        }
    }

    fn filter(&mut self) -> Option<&mut TextFilter> {
        Some(&mut self.filter)
    }

    fn typing(&self) -> bool {
        self.filter.is_typing()
    }

    fn sideways(&mut self, delta: isize, cx: &Ctx) {
        let cols = self.size(cx).1;
        self.col = step_index(self.col, delta, cols);
    }

    fn select(&mut self, i: usize) {
        self.row = i;
    }

    fn clamp(&mut self, cx: &Ctx) {
        // The matrix first: the size of the grid depends on it.
        let matrices = cx.model().map_or(0, |m| m.matrices.len());
        if self.matrix > matrices {
            self.matrix = 0;
        }
        let (rows, cols) = self.size(cx);
        self.row = self.row.min(rows.saturating_sub(1));
        self.col = self.col.min(cols.saturating_sub(1));
        // A filter hides the selected row: select the first shown.
        if let Some(model) = cx.model() {
            let shown = self.shown_rows(model);
            if !shown.contains(&self.row)
                && let Some(&first) = shown.first()
            {
                self.row = first;
            }
        }
    }

    fn open(&mut self, cx: &Ctx, _out: &mut Out) -> Option<Go> {
        let model = cx.model()?;
        if self.matrix == 0 {
            let cols = self.columns(cx);
            let layer = model.layers.get(self.row)?;
            let col = cols.get(self.col)?;
            return Some(Go::Components(Filters {
                layer: Some(layer.id.clone()),
                owner: col.team.clone(),
                kind: if col.team.is_none() {
                    Some(col.kind.clone())
                } else {
                    None
                },
                ..Default::default()
            }));
        }
        model
            .matrices
            .get(self.matrix - 1)
            .and_then(|m| m.parties.get(self.col))
            .and_then(|p| match p {
                Party::Team(id) => Some(Go::Subject(Subject::new(SubjectKind::Team, id))),
                _ => None,
            })
    }

    /// `y`: the selected layer's id, or the matrix's.
    fn copy_id(&self, cx: &Ctx) -> Option<String> {
        let model = cx.model()?;
        match self.matrix {
            0 => model.layers.get(self.row).map(|l| l.id.clone()),
            i => model.matrices.get(i - 1).map(|m| m.id.clone()),
        }
    }

    /// `e`: the selected layer's declaration, or the matrix's file.
    fn location(&self, cx: &Ctx) -> Option<crate::model::Location> {
        let model = cx.model()?;
        match self.matrix {
            0 => model.layers.get(self.row).map(|l| l.location.clone()),
            i => model.matrices.get(i - 1).map(|m| m.location.clone()),
        }
    }

    fn subject(&self, cx: &Ctx) -> Option<Subject> {
        if self.matrix != 0 {
            return None;
        }
        self.columns(cx)
            .get(self.col)?
            .team
            .clone()
            .map(|t| Subject::new(SubjectKind::Team, t))
    }

    fn apply(&mut self, action: Action, cx: &Ctx, _out: &mut Out) {
        match action {
            Action::ByKind => {
                self.by_kind = !self.by_kind;
                self.col = 0;
            }
            Action::NextMatrix => {
                let count = 1 + cx.model().map_or(0, |m| m.matrices.len());
                self.show_matrix((self.matrix + 1) % count);
            }
            _ => {}
        }
    }

    fn keys(&self) -> Keys {
        if self.filter.is_typing() {
            return filter_keys();
        }
        vec![
            (
                vec![Action::Left, Action::Right, Action::Up, Action::Down],
                "cell",
            ),
            (vec![Action::Filter], "filter rows"),
            (vec![Action::Open], "components"),
            (vec![Action::ByKind], "by kind"),
            (vec![Action::NextMatrix], "matrices"),
        ]
    }
}

/// A column of the layer matrix: one team, or every team of a kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixColumn {
    pub label: String,
    pub kind: String,
    pub teams: Vec<String>,
    /// Some(team) for a one-team column.
    pub team: Option<String>,
}

pub fn matrix_columns(model: &Model, by_kind: bool) -> Vec<MatrixColumn> {
    let mut cols = Vec::new();
    for kind in model.kinds() {
        let teams: Vec<String> = model
            .teams
            .iter()
            .filter(|t| t.kind == kind)
            .map(|t| t.id.clone())
            .collect();
        if by_kind {
            cols.push(MatrixColumn {
                label: format!("@{kind}"),
                kind: kind.clone(),
                teams,
                team: None,
            });
        } else {
            for team in teams {
                cols.push(MatrixColumn {
                    label: team.clone(),
                    kind: kind.clone(),
                    teams: vec![team.clone()],
                    team: Some(team),
                });
            }
        }
    }
    cols
}

/// The role a team declares in a layer (the `boundary_violation` check's own).
pub use crate::model::checks::boundary::team_role;

/// One cell of the layer matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixCell<'a> {
    /// The declared role(s), joined with `/` when a kind's teams differ.
    pub role: Option<String>,
    pub components: Vec<&'a Component>,
    /// Teams owning components here while declaring no role, or only "consumes".
    pub violations: Vec<String>,
}

pub fn matrix_cell<'a>(
    model: &'a Model,
    facts: &Facts,
    layer: &Layer,
    column: &MatrixColumn,
) -> MatrixCell<'a> {
    let mut roles: Vec<String> = Vec::new();
    let mut violations = Vec::new();
    let mut components = Vec::new();
    if column.team.is_none()
        && let Some(r) = layer.role_of(&Party::Kind(column.kind.clone()))
    {
        roles.push(r.to_string());
    }
    for id in &column.teams {
        let Some(team) = model.team(id) else { continue };
        let role = team_role(layer, team);
        if let Some(r) = role
            && !roles.iter().any(|x| x == r)
        {
            roles.push(r.to_string());
        }
        let owned = facts.owned_in_layer(id, &layer.id);
        if !owned.is_empty() && crate::model::checks::boundary::is_violation(role) {
            violations.push(id.clone());
        }
        components.extend(owned.iter().map(|&i| &model.components[i]));
    }
    MatrixCell {
        role: if roles.is_empty() {
            None
        } else {
            Some(roles.join("/"))
        },
        components,
        violations,
    }
}
