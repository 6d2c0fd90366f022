//! Indexes over one version of the model, built once per load so that no
//! frame scans every component per team or per cell: on a repository of
//! 20,000 components and 400 teams the naive scans cost tens of
//! milliseconds a frame.

use crate::model::{Model, Party};
use std::collections::HashMap;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// (team, layer) -> indices of the components the team owns there.
    owned_in_layer: HashMap<(String, String), Vec<usize>>,
    /// team -> indices of the components it owns.
    owned: HashMap<String, Vec<usize>>,
    /// team -> (component, duty) indices of duties it holds in components
    /// others own.
    shared: HashMap<String, Vec<(usize, usize)>>,
    /// component id -> index.
    component_index: HashMap<String, usize>,
    /// Layer-matrix cells (one team, one layer) that are boundary violations.
    pub violations: usize,
    /// The commit HEAD pointed at when this version was read (set by the
    /// loader): when it moves, the history walk starts again.
    pub head: Option<String>,
    /// The ids the files that did not load would have defined (set by the
    /// loader, which still has their text).
    pub unloaded: crate::model::Unloaded,
    /// The repository's CODEOWNERS checked against this model, when it has
    /// one (read by the loader with the model, never on the UI thread).
    pub codeowners: Option<std::sync::Arc<crate::codeowners::Report>>,
}

const NONE: &[usize] = &[];

impl Facts {
    pub fn build(model: &Model) -> Facts {
        let mut facts = Facts::default();
        let mut by_kind: HashMap<&str, Vec<&str>> = HashMap::new();
        for t in &model.teams {
            by_kind
                .entry(t.kind.as_str())
                .or_default()
                .push(t.id.as_str());
        }
        for (ci, c) in model.components.iter().enumerate() {
            facts.component_index.entry(c.id.clone()).or_insert(ci);
            facts.owned.entry(c.owner.clone()).or_default().push(ci);
            if let Some(layer) = &c.layer {
                facts
                    .owned_in_layer
                    .entry((c.owner.clone(), layer.clone()))
                    .or_default()
                    .push(ci);
            }
            for (di, duty) in c.duties.iter().enumerate() {
                let teams: Vec<&str> = match &duty.party {
                    Party::Team(id) => vec![id.as_str()],
                    Party::Kind(kind) => by_kind.get(kind.as_str()).cloned().unwrap_or_default(),
                    Party::Consumers => c.consumers.iter().map(String::as_str).collect(),
                };
                for team in teams {
                    if team != c.owner {
                        facts
                            .shared
                            .entry(team.to_string())
                            .or_default()
                            .push((ci, di));
                    }
                }
            }
        }
        for ((team, layer), _) in facts.owned_in_layer.iter() {
            let (Some(t), Some(l)) = (model.team(team), model.layer(layer)) else {
                continue;
            };
            if super::checks::boundary::is_violation(super::checks::boundary::team_role(l, t)) {
                facts.violations += 1;
            }
        }
        facts
    }

    pub fn owned_in_layer(&self, team: &str, layer: &str) -> &[usize] {
        self.owned_in_layer
            .get(&(team.to_string(), layer.to_string()))
            .map_or(NONE, Vec::as_slice)
    }

    pub fn owned(&self, team: &str) -> &[usize] {
        self.owned.get(team).map_or(NONE, Vec::as_slice)
    }

    pub fn shared(&self, team: &str) -> &[(usize, usize)] {
        self.shared.get(team).map_or(&[], Vec::as_slice)
    }

    pub fn component_index(&self, id: &str) -> Option<usize> {
        self.component_index.get(id).copied()
    }
}
