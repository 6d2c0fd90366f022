//! The Pillars tab: a pillar per card, and the selected pillar's
//! components grouped by owner; Left/Right pick the pillar, Enter follows
//! an owner or a component.

use crate::app::action::Action;
use crate::app::list::{Scroll, step_index};
use crate::app::tab::{Ctx, Go, Keys, Out, TabState};
use crate::model::{Component, Model, Pillar, Subject, SubjectKind};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PillarsTab {
    /// The selected pillar (index in the model's pillars).
    pub pillar: usize,
    /// The selected row of its components-by-owner list.
    pub rows: Scroll,
}

/// A row of the pillar's components-by-owner list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PillarRow<'a> {
    Owner { team: &'a str, count: usize },
    Component(&'a Component),
}

/// The pillar's components, grouped by owner (owners by id).
pub fn pillar_rows<'a>(model: &'a Model, pillar: &Pillar) -> Vec<PillarRow<'a>> {
    let mut groups: std::collections::BTreeMap<&str, Vec<&Component>> = Default::default();
    for c in model
        .components
        .iter()
        .filter(|c| c.pillar.as_deref() == Some(pillar.id.as_str()))
    {
        groups.entry(c.owner.as_str()).or_default().push(c);
    }
    let mut rows = Vec::new();
    for (owner, comps) in groups {
        rows.push(PillarRow::Owner {
            team: owner,
            count: comps.len(),
        });
        rows.extend(comps.into_iter().map(PillarRow::Component));
    }
    rows
}

impl PillarsTab {
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
        cx.model()
            .and_then(|m| m.pillars.get(self.pillar).map(|p| pillar_rows(m, p).len()))
            .unwrap_or(0)
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
        let model = cx.model()?;
        let pillar = model.pillars.get(self.pillar)?;
        match pillar_rows(model, pillar).get(self.rows.selected)? {
            PillarRow::Owner { team, .. } => Some(Subject::new(SubjectKind::Team, *team)),
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
