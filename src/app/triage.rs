//! The Triage tab: `t` pins the selected subject's card; the scenarios (the
//! triage playbooks) are always listed below it.

use super::derive::{self, PillarRow};
use super::{App, Popup, Scroll, Tab};
use crate::model::{Subject, SubjectKind};

impl App {
    /// The subject under the selection of the current view (or the open
    /// findings panel), if it has a triage card.
    pub fn selected_subject(&self) -> Option<Subject> {
        let loaded = self.loaded.as_ref()?;
        let model = &loaded.model;
        if let Some(Popup::Findings { rows }) = &self.popup {
            return loaded.diagnostics.get(rows.selected)?.subject.clone();
        }
        match self.tab {
            Tab::Pillars => {
                let pillar = model.pillars.get(self.pillars.pillar)?;
                match derive::pillar_rows(model, pillar).get(self.pillars.rows.selected)? {
                    PillarRow::Owner { team, .. } => Some(Subject::new(SubjectKind::Team, *team)),
                    PillarRow::Component(c) => Some(Subject::new(SubjectKind::Component, &c.id)),
                }
            }
            Tab::Layers if self.layers.matrix == 0 => {
                derive::matrix_columns(model, self.layers.by_kind)
                    .get(self.layers.col)?
                    .team
                    .clone()
                    .map(|t| Subject::new(SubjectKind::Team, t))
            }
            Tab::Layers => None,
            Tab::Teams => model
                .teams
                .get(self.teams.rows.selected)
                .map(|t| Subject::new(SubjectKind::Team, &t.id)),
            Tab::Components => self
                .components_shown()
                .get(self.components.rows.selected)
                .map(|c| Subject::new(SubjectKind::Component, &c.id)),
            Tab::History | Tab::Triage => None,
        }
    }

    /// `t`: the Triage tab, on the selected subject's card when there is one.
    pub(super) fn triage_selected(&mut self) {
        let subject = self.selected_subject();
        self.popup = None;
        let Some(subject) = subject else {
            self.tab = Tab::Triage;
            return;
        };
        self.push_place();
        self.tab = Tab::Triage;
        if subject.kind == SubjectKind::Scenario {
            self.triage.pinned = None;
            let rows = self
                .model()
                .map(|m| derive::triage_rows(m, None))
                .unwrap_or_default();
            self.triage.rows = Scroll::default();
            self.triage.rows.selected = rows.iter().position(|s| *s == subject).unwrap_or(0);
        } else {
            self.triage.pinned = Some(subject);
            self.triage.rows = Scroll::default();
        }
    }
}
