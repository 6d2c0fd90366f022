//! The ownership model: what a version of the ownership repository says.
//! Plain data, no git and no terminal; built by `parse::assemble`.

use super::diag::{Location, Subject, SubjectKind};
use super::party::Party;
use serde::Serialize;

pub const SCHEMA_VERSION: u32 = 1;

/// The standard layers, top to bottom of the stack.
pub const STANDARD_LAYERS: &[&str] = &[
    "application",
    "service",
    "orchestration",
    "cloud-foundation",
];

/// The six pillars of platform engineering.
pub const STANDARD_PILLARS: &[&str] = &[
    "infrastructure",
    "developer-experience",
    "security-compliance",
    "observability",
    "automation",
    "release-management",
];

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Settings {
    pub schema: u32,
    pub org: String,
    /// Review cadence: the number, or the `default` of the table by tier.
    pub review_every_days: Option<u32>,
    /// `[review_every_days]` by tier: (tier, days), tiers ascending.
    pub review_every_days_by_tier: Vec<(u8, u32)>,
    /// `placeholder_owners`: ids that stand for "nobody yet"; None for
    /// the default list (`hygiene::DEFAULT_PLACEHOLDERS`).
    pub placeholder_owners: Option<Vec<String>>,
    /// The data is a Backstage catalog mapped onto the model (which has
    /// no pillars, layer roles or duties by design).
    #[serde(skip)]
    pub backstage: bool,
}

impl Settings {
    /// How many days a component of `tier` may go unreviewed, if any limit.
    pub fn review_days(&self, tier: Option<u8>) -> Option<u32> {
        tier.and_then(|t| {
            self.review_every_days_by_tier
                .iter()
                .find(|(tier, _)| *tier == t)
                .map(|(_, days)| *days)
        })
        .or(self.review_every_days)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OnCall {
    pub rotation: Option<String>,
    pub pager: Option<String>,
    pub hours: Option<String>,
    pub escalation: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Team {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub description: Option<String>,
    pub lead: Option<String>,
    pub members: Vec<String>,
    pub channel: Option<String>,
    pub oncall: Option<OnCall>,
    /// The handles this team answers to in CODEOWNERS (`@org/team`,
    /// `@user`, an email), the valid ones only.
    pub codeowners: Vec<String>,
    #[serde(skip)]
    pub location: Location,
}

impl Team {
    /// True when the team has a rotation someone can be paged through.
    pub fn has_rotation(&self) -> bool {
        self.oncall
            .as_ref()
            .is_some_and(|o| o.rotation.is_some() || o.pager.is_some())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Duty {
    pub party: Party,
    pub covers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Component {
    pub id: String,
    pub name: String,
    pub layer: Option<String>,
    pub pillar: Option<String>,
    /// Empty when the file omits it (an error `check` reports).
    pub owner: String,
    pub tier: Option<u8>,
    pub consumers: Vec<String>,
    pub runbook: Option<String>,
    pub tags: Vec<String>,
    /// `YYYY-MM-DD` of the last ownership review.
    pub reviewed: Option<String>,
    pub duties: Vec<Duty>,
    /// Where its code lives, in CODEOWNERS pattern syntax (valid ones only).
    pub paths: Vec<String>,
    /// Where each of `paths` was written, for findings about it.
    #[serde(skip)]
    pub path_locations: Vec<Location>,
    /// `org/name` when the code lives in another repository than the
    /// CODEOWNERS file being read.
    pub repo: Option<String>,
    #[serde(skip)]
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pillar {
    pub id: String,
    pub name: String,
    pub primary: Vec<Party>,
    pub shared: Option<String>,
    pub boundary: Option<String>,
    /// Party -> duties, in file order.
    pub duties: Vec<(Party, Vec<String>)>,
    #[serde(skip)]
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Layer {
    pub id: String,
    pub name: String,
    pub scope: Option<String>,
    /// The layer responsibility matrix row: party -> role, in file order.
    pub roles: Vec<(Party, String)>,
    #[serde(skip)]
    pub location: Location,
}

impl Layer {
    pub fn role_of(&self, party: &Party) -> Option<&str> {
        self.roles
            .iter()
            .find(|(p, _)| p == party)
            .map(|(_, r)| r.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scenario {
    pub id: String,
    pub title: String,
    pub keywords: Vec<String>,
    pub components: Vec<String>,
    pub first: Option<Party>,
    pub platform_asks: Option<String>,
    pub application_asks: Option<String>,
    pub resolution: Option<String>,
    pub escalate: Option<Party>,
    #[serde(skip)]
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatrixRow {
    pub name: String,
    pub roles: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Matrix {
    pub id: String,
    pub title: String,
    pub parties: Vec<Party>,
    pub rows: Vec<MatrixRow>,
    #[serde(skip)]
    pub location: Location,
}

/// One version of the ownership repository, as far as it parsed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Model {
    pub settings: Settings,
    /// Sorted by id.
    pub teams: Vec<Team>,
    /// In file order (files sorted by path).
    pub components: Vec<Component>,
    pub pillars: Vec<Pillar>,
    /// In stack order: standard layers top to bottom first, then the others.
    pub layers: Vec<Layer>,
    pub scenarios: Vec<Scenario>,
    pub matrices: Vec<Matrix>,
    /// Component id -> position in `components` (the first of duplicates),
    /// built by `assemble`, so lookups stay O(1) at 200,000 components.
    #[serde(skip)]
    pub(crate) component_index: ComponentIndex,
}

/// Positions in `components` by a 64-bit hash of the id, so the index
/// holds no copy of the ids (200,000 string copies and SipHash were a
/// twentieth of `check`). The hash is seeded at random once per process,
/// so data cannot pick colliding ids ahead of time, and two models of the
/// same components have equal indexes. A lookup checks the id at the
/// position; when two ids share a hash only the first is indexed, and the
/// other is found by the scan `Model::component` falls back to.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ComponentIndex {
    by_hash: foldhash::HashMap<u64, u32>,
}

impl ComponentIndex {
    fn hash(id: &str) -> u64 {
        use std::hash::BuildHasher;
        static SEED: std::sync::OnceLock<foldhash::fast::FixedState> = std::sync::OnceLock::new();
        SEED.get_or_init(|| {
            foldhash::fast::FixedState::with_seed(
                std::collections::hash_map::RandomState::new().hash_one(0u64),
            )
        })
        .hash_one(id)
    }

    fn get(&self, id: &str) -> Option<usize> {
        self.by_hash.get(&Self::hash(id)).map(|&i| i as usize)
    }

    fn build(components: &[Component]) -> ComponentIndex {
        let mut by_hash = foldhash::HashMap::default();
        by_hash.reserve(components.len());
        for (i, c) in components.iter().enumerate() {
            // Positions past u32 are left to the scan (4 billion components).
            if let Ok(i) = u32::try_from(i) {
                by_hash.entry(Self::hash(&c.id)).or_insert(i);
            }
        }
        ComponentIndex { by_hash }
    }
}

impl Model {
    /// Why the Pillars view is empty: a catalog has none by design; a
    /// native repository is missing its pillars.toml or left it empty.
    pub fn no_pillars(&self) -> &'static str {
        if self.settings.backstage {
            "No pillars: a Backstage catalog has none.\n`demarc import backstage --out DIR` writes a native repository with the six pillars as a skeleton to fill in."
        } else {
            "No pillars: pillars.toml is missing or empty (`demarc check` says more)."
        }
    }

    /// Every component, team and scenario, as subjects, in that order:
    /// what a test walks to ask for every card.
    pub fn component_team_scenario_subjects(&self) -> impl Iterator<Item = Subject> + '_ {
        let components = self.components.iter();
        let teams = self.teams.iter();
        let scenarios = self.scenarios.iter();
        components
            .map(|c| Subject::new(SubjectKind::Component, &c.id))
            .chain(teams.map(|t| Subject::new(SubjectKind::Team, &t.id)))
            .chain(scenarios.map(|s| Subject::new(SubjectKind::Scenario, &s.id)))
    }

    pub fn team(&self, id: &str) -> Option<&Team> {
        self.teams
            .binary_search_by(|t| t.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.teams[i])
    }

    pub fn component(&self, id: &str) -> Option<&Component> {
        match self.component_index.get(id) {
            Some(i) if self.components.get(i).is_some_and(|c| c.id == id) => {
                Some(&self.components[i])
            }
            // A model built by hand (tests) has no index: fall back to a scan.
            _ => self.components.iter().find(|c| c.id == id),
        }
    }

    /// Rebuilds the id index after `components` changed.
    pub fn reindex(&mut self) {
        self.component_index = ComponentIndex::build(&self.components);
    }

    pub fn pillar(&self, id: &str) -> Option<&Pillar> {
        self.pillars.iter().find(|p| p.id == id)
    }

    pub fn layer(&self, id: &str) -> Option<&Layer> {
        self.layers.iter().find(|l| l.id == id)
    }

    pub fn scenario(&self, id: &str) -> Option<&Scenario> {
        self.scenarios.iter().find(|s| s.id == id)
    }

    pub fn matrix(&self, id: &str) -> Option<&Matrix> {
        self.matrices.iter().find(|m| m.id == id)
    }

    /// Does a subject exist in this version of the model?
    pub fn has_subject(&self, subject: &Subject) -> bool {
        let id = subject.id.as_str();
        match subject.kind {
            SubjectKind::Component => self.component(id).is_some(),
            SubjectKind::Team => self.team(id).is_some(),
            SubjectKind::Layer => self.layer(id).is_some(),
            SubjectKind::Pillar => self.pillar(id).is_some(),
            SubjectKind::Scenario => self.scenario(id).is_some(),
            SubjectKind::Matrix => self.matrix(id).is_some(),
        }
    }

    /// The teams a party stands for. `@consumers` needs the component whose
    /// consumers it means; without one it stands for nobody.
    pub fn resolve_party(&self, party: &Party, component: Option<&Component>) -> Vec<String> {
        match party {
            Party::Team(id) => vec![id.clone()],
            Party::Kind(kind) => self
                .teams
                .iter()
                .filter(|t| &t.kind == kind)
                .map(|t| t.id.clone())
                .collect(),
            Party::Consumers => component.map(|c| c.consumers.clone()).unwrap_or_default(),
        }
    }

    /// Does `team` belong to `party` (directly, by kind, or as a consumer)?
    pub fn party_includes(&self, party: &Party, team: &str, component: Option<&Component>) -> bool {
        match party {
            Party::Team(id) => id == team,
            Party::Kind(kind) => self.team(team).is_some_and(|t| &t.kind == kind),
            Party::Consumers => component.is_some_and(|c| c.consumers.iter().any(|x| x == team)),
        }
    }

    pub fn components_owned_by<'a>(
        &'a self,
        team: &'a str,
    ) -> impl Iterator<Item = &'a Component> + 'a {
        self.components.iter().filter(move |c| c.owner == team)
    }

    /// Team kinds present, in the order the format lists them, then others.
    pub fn kinds(&self) -> Vec<String> {
        let mut kinds: Vec<String> = Vec::new();
        for known in super::party::KNOWN_KINDS {
            if self.teams.iter().any(|t| t.kind == *known) {
                kinds.push(known.to_string());
            }
        }
        for team in &self.teams {
            if !kinds.contains(&team.kind) {
                kinds.push(team.kind.clone());
            }
        }
        kinds
    }
}
