//! The Teams tab: every team with what it owns and carries; Enter shows
//! its components.

use crate::app::action::Action;
use crate::app::filters::Filters;
use crate::app::list::Scroll;
use crate::app::tab::{Ctx, Go, Keys, Out, TabState};
use crate::model::facts::Facts;
use crate::model::{Model, Subject, SubjectKind, Team};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TeamsTab {
    pub rows: Scroll,
}

impl TabState for TeamsTab {
    fn scroll(&mut self) -> Option<&mut Scroll> {
        Some(&mut self.rows)
    }

    fn len(&self, cx: &Ctx) -> usize {
        cx.model().map_or(0, |m| m.teams.len())
    }

    fn open(&mut self, cx: &Ctx, _out: &mut Out) -> Option<Go> {
        let team = cx.model()?.teams.get(self.rows.selected)?;
        Some(Go::Components(Filters {
            owner: Some(team.id.clone()),
            ..Default::default()
        }))
    }

    fn subject(&self, cx: &Ctx) -> Option<Subject> {
        cx.model()?
            .teams
            .get(self.rows.selected)
            .map(|t| Subject::new(SubjectKind::Team, &t.id))
    }

    fn keys(&self) -> Keys {
        vec![
            (vec![Action::Up, Action::Down], "move"),
            (vec![Action::Open], "components"),
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
