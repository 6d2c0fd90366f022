//! Following references across tabs: the subject jumps (Enter, search,
//! findings, triage), the trail Esc walks back along, and finding
//! selections again by id after a reload.

use super::tab::{Ctx, Tab};
use super::{App, Place};
use crate::model::{Subject, SubjectKind};

impl App {
    /// Shows a subject in its view, remembering where we were.
    pub fn go_subject(&mut self, subject: &Subject) {
        let Some(model) = self.data.model() else {
            return;
        };
        let id = subject.id.as_str();
        let place = self.place();
        match subject.kind {
            SubjectKind::Team => match model.teams.iter().position(|t| t.id == id) {
                Some(i) => {
                    self.tab = Tab::Teams;
                    self.tabs.teams.select_model_index(&self.data, i);
                }
                None => return self.say(format!("There is no team `{id}`.")),
            },
            SubjectKind::Component => {
                if model.component(id).is_none() {
                    return self.say(format!("There is no component `{id}`."));
                }
                let cx = Ctx {
                    data: &self.data,
                    teams_selected: self.tabs.teams.model_index(&self.data),
                };
                self.tabs.components.select_id(&cx, id);
                self.tab = Tab::Components;
            }
            SubjectKind::Layer => {
                let row = model.layers.iter().position(|l| l.id == id).unwrap_or(0);
                self.tabs.layers.show_layer(row);
                self.tab = Tab::Layers;
            }
            SubjectKind::Pillar => {
                let i = model.pillars.iter().position(|p| p.id == id).unwrap_or(0);
                self.tabs.pillars.pick(i);
                self.tab = Tab::Pillars;
            }
            SubjectKind::Matrix => {
                let matrix = model
                    .matrices
                    .iter()
                    .position(|m| m.id == id)
                    .map_or(0, |i| i + 1);
                self.tabs.layers.show_matrix(matrix);
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
            pillars: self.tabs.pillars.clone(),
            layers: self.tabs.layers.clone(),
            teams: self.tabs.teams.clone(),
            components: self.tabs.components.clone(),
            triage: self.tabs.triage.clone(),
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
                self.tabs.pillars = p.pillars;
                self.tabs.layers = p.layers;
                self.tabs.teams = p.teams;
                self.tabs.components = p.components;
                self.tabs.triage = p.triage;
                self.clamp();
            }
            None if !self.tabs.components.filters.is_empty() && self.tab == Tab::Components => {
                self.tabs.components.filters = Default::default();
            }
            None => {}
        }
    }

    /// The ids selected in each view, to find them again after a reload.
    pub(super) fn selected_ids(&self) -> [Option<String>; 4] {
        let Some(model) = self.data.model() else {
            return Default::default();
        };
        let t = &self.tabs;
        [
            model.pillars.get(t.pillars.pillar).map(|p| p.id.clone()),
            model.layers.get(t.layers.row).map(|l| l.id.clone()),
            model
                .teams
                .get(t.teams.model_index(&self.data))
                .map(|x| x.id.clone()),
            t.components.selected(&self.ctx()).map(|c| c.id.clone()),
        ]
    }

    pub(super) fn restore_ids(&mut self, ids: [Option<String>; 4]) {
        let Some(model) = self.data.model() else {
            return;
        };
        let [pillar, layer, team, component] = ids;
        let pillar = pillar.and_then(|id| model.pillars.iter().position(|p| p.id == id));
        let layer = layer.and_then(|id| model.layers.iter().position(|l| l.id == id));
        let team = team.and_then(|id| model.teams.iter().position(|t| t.id == id));
        let component = component.and_then(|id| {
            let cx = self.ctx();
            let shown = self.tabs.components.shown(&cx);
            shown.iter().position(|c| c.id == id)
        });
        let t = &mut self.tabs;
        if let Some(i) = pillar {
            t.pillars.pillar = i;
        }
        if let Some(i) = layer
            && t.layers.matrix == 0
        {
            t.layers.row = i;
        }
        if let Some(i) = team {
            t.teams.select_model_index(&self.data, i);
        }
        if let Some(i) = component {
            t.components.rows.selected = i;
        }
        self.clamp();
    }
}
