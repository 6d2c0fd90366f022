//! Following references: Enter, the subject jumps (findings, triage) and
//! the trail Esc walks back along; and finding selections again by id
//! after a reload.

use super::derive::{self, PillarRow};
use super::{App, Filters, Place, Scroll, Tab};
use crate::model::{Party, Subject, SubjectKind};

impl App {
    /// Enter: follow what the selection refers to.
    pub(super) fn open(&mut self) {
        let Some(model) = self.model() else { return };
        let target: Option<Subject> = match self.tab {
            Tab::Pillars => model.pillars.get(self.pillars.pillar).and_then(|p| {
                match derive::pillar_rows(model, p).get(self.pillars.rows.selected) {
                    Some(PillarRow::Owner { team, .. }) => {
                        Some(Subject::new(SubjectKind::Team, *team))
                    }
                    Some(PillarRow::Component(c)) => {
                        Some(Subject::new(SubjectKind::Component, &c.id))
                    }
                    None => None,
                }
            }),
            Tab::Layers if self.layers.matrix == 0 => {
                let cols = derive::matrix_columns(model, self.layers.by_kind);
                if let (Some(layer), Some(col)) =
                    (model.layers.get(self.layers.row), cols.get(self.layers.col))
                {
                    let filters = Filters {
                        layer: Some(layer.id.clone()),
                        owner: col.team.clone(),
                        kind: if col.team.is_none() {
                            Some(col.kind.clone())
                        } else {
                            None
                        },
                        ..Default::default()
                    };
                    self.push_place();
                    self.tab = Tab::Components;
                    self.components.filters = filters;
                    self.components.rows = Scroll::default();
                }
                None
            }
            Tab::Layers => model
                .matrices
                .get(self.layers.matrix - 1)
                .and_then(|m| m.parties.get(self.layers.col))
                .and_then(|p| match p {
                    Party::Team(id) => Some(Subject::new(SubjectKind::Team, id)),
                    _ => None,
                }),
            Tab::Teams => {
                if let Some(team) = model.teams.get(self.teams.rows.selected) {
                    let owner = Some(team.id.clone());
                    self.push_place();
                    self.tab = Tab::Components;
                    self.components.filters = Filters {
                        owner,
                        ..Default::default()
                    };
                    self.components.rows = Scroll::default();
                }
                None
            }
            Tab::Components => self
                .components_shown()
                .get(self.components.rows.selected)
                .map(|c| Subject::new(SubjectKind::Team, &c.owner)),
            Tab::Triage => self.triage_rows().get(self.triage.rows.selected).cloned(),
            Tab::History => {
                self.travel_to_selected_commit();
                None
            }
            Tab::Trends => {
                self.trends_open_period();
                None
            }
        };
        if let Some(subject) = target {
            self.go_subject(&subject);
        }
    }

    /// Shows a subject in its view, remembering where we were.
    pub fn go_subject(&mut self, subject: &Subject) {
        let Some(model) = self.model() else { return };
        let id = subject.id.as_str();
        let place = self.place();
        match subject.kind {
            SubjectKind::Team => match model.teams.iter().position(|t| t.id == id) {
                Some(i) => {
                    self.tab = Tab::Teams;
                    self.teams.rows.selected = i;
                }
                None => return self.say(format!("There is no team `{id}`.")),
            },
            SubjectKind::Component => {
                if model.component(id).is_none() {
                    return self.say(format!("There is no component `{id}`."));
                }
                let mut state = self.components.clone();
                if !derive::component_rows(model, &state)
                    .iter()
                    .any(|c| c.id == id)
                {
                    state.filters = Default::default();
                }
                state.rows.selected = derive::component_rows(model, &state)
                    .iter()
                    .position(|c| c.id == id)
                    .unwrap_or(0);
                self.components = state;
                self.tab = Tab::Components;
            }
            SubjectKind::Layer => {
                self.layers.row = model.layers.iter().position(|l| l.id == id).unwrap_or(0);
                self.layers.matrix = 0;
                self.tab = Tab::Layers;
            }
            SubjectKind::Pillar => {
                self.pillars.pillar = model.pillars.iter().position(|p| p.id == id).unwrap_or(0);
                self.pillars.rows = Scroll::default();
                self.tab = Tab::Pillars;
            }
            SubjectKind::Matrix => {
                self.layers.matrix = model
                    .matrices
                    .iter()
                    .position(|m| m.id == id)
                    .map_or(0, |i| i + 1);
                self.layers.row = 0;
                self.layers.col = 0;
                self.tab = Tab::Layers;
            }
            SubjectKind::Scenario => {
                // Scenarios are shown with the components they name.
                let first = model
                    .scenario(id)
                    .and_then(|s| s.components.first().cloned());
                match first {
                    Some(c) => return self.go_subject(&Subject::new(SubjectKind::Component, c)),
                    None => return self.say(format!("Scenario `{id}` names no component.")),
                }
            }
        }
        self.back.push(place);
        self.clamp();
    }

    fn place(&self) -> Place {
        Place {
            tab: self.tab,
            pillars: self.pillars.clone(),
            layers: self.layers.clone(),
            teams: self.teams.clone(),
            components: self.components.clone(),
            triage: self.triage.clone(),
        }
    }

    pub(super) fn push_place(&mut self) {
        let place = self.place();
        self.back.push(place);
    }

    pub(super) fn go_back(&mut self) {
        match self.back.pop() {
            Some(p) => {
                self.tab = p.tab;
                self.pillars = p.pillars;
                self.layers = p.layers;
                self.teams = p.teams;
                self.components = p.components;
                self.triage = p.triage;
                self.clamp();
            }
            None if !self.components.filters.is_empty() && self.tab == Tab::Components => {
                self.components.filters = Default::default();
            }
            None => {}
        }
    }

    /// The ids selected in each view, to find them again after a reload.
    pub(super) fn selected_ids(&self) -> [Option<String>; 4] {
        let Some(model) = self.model() else {
            return Default::default();
        };
        [
            model.pillars.get(self.pillars.pillar).map(|p| p.id.clone()),
            model.layers.get(self.layers.row).map(|l| l.id.clone()),
            model
                .teams
                .get(self.teams.rows.selected)
                .map(|t| t.id.clone()),
            self.components_shown()
                .get(self.components.rows.selected)
                .map(|c| c.id.clone()),
        ]
    }

    pub(super) fn restore_ids(&mut self, ids: [Option<String>; 4]) {
        let Some(model) = self.model() else { return };
        let [pillar, layer, team, component] = ids;
        let pillar = pillar.and_then(|id| model.pillars.iter().position(|p| p.id == id));
        let layer = layer.and_then(|id| model.layers.iter().position(|l| l.id == id));
        let team = team.and_then(|id| model.teams.iter().position(|t| t.id == id));
        let component =
            component.and_then(|id| self.components_shown().iter().position(|c| c.id == id));
        if let Some(i) = pillar {
            self.pillars.pillar = i;
        }
        if let Some(i) = layer
            && self.layers.matrix == 0
        {
            self.layers.row = i;
        }
        if let Some(i) = team {
            self.teams.rows.selected = i;
        }
        if let Some(i) = component {
            self.components.rows.selected = i;
        }
        self.clamp();
    }
}
