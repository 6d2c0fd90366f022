//! The Teams tab: every team with what it owns and carries; Enter shows
//! its components.

use crate::app::action::Action;
use crate::app::data::Data;
use crate::app::filter::TextFilter;
use crate::app::filters::Filters;
use crate::app::list::{Memo, Scroll};
use crate::app::tab::filter_keys;
use crate::app::tab::{Ctx, Go, Keys, Out, TabState};
use crate::model::facts::Facts;
use crate::model::{Model, Subject, SubjectKind, Team};
use std::rc::Rc;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TeamsTab {
    /// The selection, among the teams shown.
    pub rows: Scroll,
    /// Filter in place (`f`) on the shown columns: id and kind.
    pub filter: TextFilter,
    /// The teams shown, as indices into the model's, for (model, filter).
    order: Memo<(u64, String), Vec<usize>>,
    /// The widest team id and kind, per model: the view measures them (it
    /// knows how text is drawn) once per model, not once per frame.
    pub id_kind_width: Memo<u64, (usize, usize)>,
}

impl TeamsTab {
    /// The teams shown, as indices into the model's teams.
    pub fn order(&self, data: &Data) -> Rc<Vec<usize>> {
        let Some(model) = data.model() else {
            return Rc::default();
        };
        let key = (data.generation, self.filter.text().to_string());
        self.order
            .get(key, || self.filter.keep(&model.teams, row_text))
    }

    /// The model index of the selected team (usize::MAX: none).
    pub fn model_index(&self, data: &Data) -> usize {
        self.order(data)
            .get(self.rows.selected)
            .copied()
            .unwrap_or(usize::MAX)
    }

    /// Selects team `i` of the model, dropping the filter when it hides it.
    pub fn select_model_index(&mut self, data: &Data, i: usize) {
        if !self.order(data).contains(&i) {
            self.filter.clear();
        }
        self.rows.selected = self.order(data).iter().position(|&x| x == i).unwrap_or(0);
    }

    /// The components team `i` (a model index) consumes, as indices into
    /// the model's, from the facts (the loader finds them for every team).
    pub fn consumes<'a>(&self, data: &'a Data, i: usize) -> &'a [usize] {
        match data.model().and_then(|m| m.teams.get(i)) {
            Some(team) => data.facts.consumes(&team.id),
            None => &[],
        }
    }

    pub fn selected<'a>(&self, cx: &Ctx<'a>) -> Option<&'a Team> {
        cx.model()?.teams.get(self.model_index(cx.data))
    }
}

/// What a row of the table shows that the filter looks at.
pub fn row_text(team: &Team) -> String {
    format!("{} {}", team.id, team.kind)
}

impl TabState for TeamsTab {
    fn scroll(&mut self) -> Option<&mut Scroll> {
        Some(&mut self.rows)
    }

    fn len(&self, cx: &Ctx) -> usize {
        self.order(cx.data).len()
    }

    fn open(&mut self, cx: &Ctx, _out: &mut Out) -> Option<Go> {
        let team = self.selected(cx)?;
        Some(Go::Components(Filters {
            owner: Some(team.id.clone()),
            ..Default::default()
        }))
    }

    fn subject(&self, cx: &Ctx) -> Option<Subject> {
        self.selected(cx)
            .map(|t| Subject::new(SubjectKind::Team, &t.id))
    }

    fn filter(&mut self) -> Option<&mut TextFilter> {
        Some(&mut self.filter)
    }

    fn typing(&self) -> bool {
        self.filter.is_typing()
    }

    fn keys(&self) -> Keys {
        if self.filter.is_typing() {
            return filter_keys();
        }
        vec![
            (vec![Action::Up, Action::Down], "move"),
            (vec![Action::Open], "components"),
            (vec![Action::Filter], "filter"),
        ]
    }

    fn follows_selection(&self) -> bool {
        true
    }

    fn uses_history(&self) -> bool {
        true
    }
}

/// A row of the teams table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamRow<'a> {
    pub team: &'a Team,
    pub owned: usize,
    pub tier1: usize,
    pub load: u32,
}

/// The load figure: what a team carries. Each owned component weighs by
/// its tier (tier 1: 4, 2: 3, 3: 2, 4 or none: 1); each duty the team holds
/// in a component it does not own adds 1.
pub fn team_load(model: &Model, facts: &Facts, team: &Team) -> u32 {
    let owned: u32 = facts
        .owned(&team.id)
        .iter()
        .map(|&i| match model.components[i].tier {
            Some(1) => 4,
            Some(2) => 3,
            Some(3) => 2,
            _ => 1,
        })
        .sum();
    owned + facts.shared(&team.id).len() as u32
}

pub fn team_row<'a>(model: &'a Model, facts: &Facts, team: &'a Team) -> TeamRow<'a> {
    let owned = facts.owned(&team.id);
    TeamRow {
        team,
        owned: owned.len(),
        tier1: owned
            .iter()
            .filter(|&&i| model.components[i].tier == Some(1))
            .count(),
        load: team_load(model, facts, team),
    }
}
