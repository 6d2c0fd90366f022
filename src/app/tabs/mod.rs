//! One module per tab: each owns its state, its keys, its selection, its
//! length, its status-bar keys and what it derives from the data (see
//! `TabState` in `app::tab`). `Tabs` holds them all and is the one place
//! that maps a `Tab` to its state.

pub mod components;
pub mod history;
pub mod layers;
pub mod pillars;
pub mod teams;
pub mod trends;
pub mod triage;

use crate::app::tab::{Tab, TabState};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tabs {
    pub pillars: pillars::PillarsTab,
    pub layers: layers::LayersTab,
    pub teams: teams::TeamsTab,
    pub components: components::ComponentsTab,
    pub history: history::HistoryTab,
    pub triage: triage::TriageTab,
    pub trends: trends::TrendsTab,
}

impl Tabs {
    pub fn get(&self, tab: Tab) -> &dyn TabState {
        match tab {
            Tab::Pillars => &self.pillars,
            Tab::Layers => &self.layers,
            Tab::Teams => &self.teams,
            Tab::Components => &self.components,
            Tab::History => &self.history,
            Tab::Triage => &self.triage,
            Tab::Trends => &self.trends,
        }
    }

    pub fn get_mut(&mut self, tab: Tab) -> &mut dyn TabState {
        match tab {
            Tab::Pillars => &mut self.pillars,
            Tab::Layers => &mut self.layers,
            Tab::Teams => &mut self.teams,
            Tab::Components => &mut self.components,
            Tab::History => &mut self.history,
            Tab::Triage => &mut self.triage,
            Tab::Trends => &mut self.trends,
        }
    }
}
