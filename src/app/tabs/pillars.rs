//! The Pillars tab: a pillar per card, and the selected pillar's
//! components grouped by owner; Left/Right pick the pillar, Enter follows
//! an owner or a component.

use crate::app::action::Action;
use crate::app::list::{Memo, Scroll, step_index};
use crate::app::tab::{Ctx, Go, Keys, Out, TabState};
use crate::model::{Component, Model, Pillar, Subject, SubjectKind};
use crate::repo::Loaded;
use std::collections::BTreeMap;
use std::rc::Rc;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PillarsTab {
    /// The selected pillar (index in the model's pillars).
    pub pillar: usize,
    /// The selected row of its components-by-owner list.
    pub rows: Scroll,
    /// What it shows of the pillar, for (model, pillar).
    view: Memo<(u64, usize), PillarView>,
    /// The widest component id of the pillar's list, for (model, pillar):
    /// measured once per change, not once per frame; the loader measures
    /// every pillar's (`Prepared::pillar_id_widths`).
    id_width: Memo<(u64, usize), usize>,
}

/// A row of the pillar's components-by-owner list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PillarRow<'a> {
    Owner { team: &'a str, count: usize },
    Component(&'a Component),
}

/// What the tab shows of the selected pillar, derived once per model and
/// pillar: its components grouped by owner (owners by id), and the
/// findings that concern it.
#[derive(Debug, Default)]
pub struct PillarView {
    rows: Vec<RowAt>,
    /// How many of the rows are components.
    pub components: usize,
    /// The findings about it, as indices into the loaded diagnostics:
    /// its own, its components', and errors about no subject (a file that
    /// did not load concerns every pillar).
    pub findings: Vec<usize>,
}

/// A row as indices into the model's components.
#[derive(Debug, Clone, Copy)]
enum RowAt {
    /// The group of `count` components whose owner is component `first`'s.
    Owner {
        first: usize,
        count: usize,
    },
    Component(usize),
}

impl PillarView {
    /// `groups`: the pillar's `owner_groups` when the loader prepared them.
    fn build(loaded: &Loaded, pillar: &Pillar, groups: Option<&[Vec<usize>]>) -> PillarView {
        let model = &loaded.model;
        let found;
        let groups = match groups {
            Some(groups) => groups,
            None => {
                found = owner_groups(model, pillar);
                &found
            }
        };
        let mut rows = Vec::new();
        let mut components = 0;
        for comps in groups.iter().cloned() {
            rows.push(RowAt::Owner {
                first: comps[0],
                count: comps.len(),
            });
            components += comps.len();
            rows.extend(comps.into_iter().map(RowAt::Component));
        }
        let findings = loaded
            .diagnostics
            .iter()
            .enumerate()
            .filter(|(_, d)| match &d.subject {
                Some(s) if s.kind == SubjectKind::Pillar => s.id == pillar.id,
                Some(s) if s.kind == SubjectKind::Component => model
                    .component(&s.id)
                    .is_some_and(|c| c.pillar.as_deref() == Some(pillar.id.as_str())),
                Some(_) => false,
                None => d.is_error(),
            })
            .map(|(i, _)| i)
            .collect();
        PillarView {
            rows,
            components,
            findings,
        }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Row `i`, read from `model` (the one the view was built from).
    pub fn row<'a>(&self, model: &'a Model, i: usize) -> Option<PillarRow<'a>> {
        Some(match *self.rows.get(i)? {
            RowAt::Owner { first, count } => PillarRow::Owner {
                team: &model.components[first].owner,
                count,
            },
            RowAt::Component(c) => PillarRow::Component(&model.components[c]),
        })
    }
}

/// The components of `pillar` grouped by owner (owners by id), as indices
/// into the model's components: what its list shows. The dashboard's loader
/// finds them for every pillar (`Prepared::pillar_groups`), off the UI
/// thread: at 200,000 components a pillar holds tens of thousands.
pub fn owner_groups(model: &Model, pillar: &Pillar) -> Vec<Vec<usize>> {
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, c) in model.components.iter().enumerate() {
        if c.pillar.as_deref() == Some(pillar.id.as_str()) {
            groups.entry(c.owner.as_str()).or_default().push(i);
        }
    }
    groups.into_values().collect()
}

/// How wide a component id is drawn in a pillar's list.
fn id_cell_width(id: &str) -> usize {
    crate::ui::fit::width(&crate::sanitize::line(id))
}

/// The widest component id among `groups` (a pillar's `owner_groups`).
pub fn id_width(model: &Model, groups: &[Vec<usize>]) -> usize {
    groups
        .iter()
        .flatten()
        .map(|&i| id_cell_width(&model.components[i].id))
        .max()
        .unwrap_or(0)
}

/// `owner_groups` of every pillar, in the model's order of pillars, from
/// one pass over the components (the loader's; a pass per pillar read the
/// 200,000 components once per pillar).
pub fn owner_groups_all(model: &Model) -> Vec<Vec<Vec<usize>>> {
    let mut at: std::collections::HashMap<&str, Vec<usize>> = Default::default();
    for (k, p) in model.pillars.iter().enumerate() {
        at.entry(p.id.as_str()).or_default().push(k);
    }
    let mut groups: Vec<BTreeMap<&str, Vec<usize>>> = vec![BTreeMap::new(); model.pillars.len()];
    for (i, c) in model.components.iter().enumerate() {
        let Some(pillars) = c.pillar.as_deref().and_then(|p| at.get(p)) else {
            continue;
        };
        for &k in pillars {
            groups[k].entry(c.owner.as_str()).or_default().push(i);
        }
    }
    groups
        .into_iter()
        .map(|g| g.into_values().collect())
        .collect()
}

impl PillarsTab {
    /// What the tab shows of the selected pillar.
    pub fn view(&self, cx: &Ctx) -> Rc<PillarView> {
        let Some(loaded) = cx.data.loaded.as_ref() else {
            return Rc::default();
        };
        let Some(pillar) = loaded.model.pillars.get(self.pillar) else {
            return Rc::default();
        };
        // The findings' count, bumped on every load too: the view lists them.
        let key = (cx.data.findings, self.pillar);
        let prepared = cx.data.facts.prepared.pillar_groups.as_ref();
        let groups = prepared.and_then(|p| p.get(self.pillar)).map(Vec::as_slice);
        self.view
            .get(key, || PillarView::build(loaded, pillar, groups))
    }

    /// The widest component id of the selected pillar's list as drawn:
    /// the loader's, or else measured here (at 200,000 components, tens
    /// of milliseconds in the first frame with data).
    pub fn id_width(&self, cx: &Ctx) -> Rc<usize> {
        let prepared = cx.data.facts.prepared.pillar_id_widths.as_ref();
        let key = (cx.data.generation, self.pillar);
        self.id_width
            .get(key, || match prepared.and_then(|w| w.get(self.pillar)) {
                Some(width) => *width,
                None => {
                    let view = self.view(cx);
                    let Some(model) = cx.model() else { return 0 };
                    (0..view.len())
                        .map(|i| match view.row(model, i) {
                            Some(PillarRow::Component(c)) => id_cell_width(&c.id),
                            _ => 0,
                        })
                        .max()
                        .unwrap_or(0)
                }
            })
    }

    /// Shows pillar `i`, from the top of its list.
    pub fn pick(&mut self, i: usize) {
        self.pillar = i;
        self.rows = Scroll::default();
    }
}

impl TabState for PillarsTab {
    fn scroll(&mut self) -> Option<&mut Scroll> {
        Some(&mut self.rows)
    }

    fn len(&self, cx: &Ctx) -> usize {
        self.view(cx).len()
    }

    fn sideways(&mut self, delta: isize, cx: &Ctx) {
        let n = cx.model().map_or(0, |m| m.pillars.len());
        self.pick(step_index(self.pillar, delta, n));
    }

    fn clamp(&mut self, cx: &Ctx) {
        // The pillar first: the length of its rows depends on it.
        let n = cx.model().map_or(0, |m| m.pillars.len());
        self.pillar = self.pillar.min(n.saturating_sub(1));
        let len = self.len(cx);
        self.rows.clamp(len);
    }

    fn open(&mut self, cx: &Ctx, _out: &mut Out) -> Option<Go> {
        self.subject(cx).map(Go::Subject)
    }

    fn subject(&self, cx: &Ctx) -> Option<Subject> {
        match self.view(cx).row(cx.model()?, self.rows.selected)? {
            PillarRow::Owner { team, .. } => Some(Subject::new(SubjectKind::Team, team)),
            PillarRow::Component(c) => Some(Subject::new(SubjectKind::Component, &c.id)),
        }
    }

    fn keys(&self) -> Keys {
        vec![
            (vec![Action::Left, Action::Right], "pillar"),
            (vec![Action::Up, Action::Down], "move"),
            (vec![Action::Open], "follow"),
        ]
    }

    fn follows_selection(&self) -> bool {
        true
    }
}
