//! Triage cards: everything a responder needs about one subject, with every
//! party expanded to team names. Serialized as the `who --json` matches.

use super::recent::RecentChange;
use crate::model::{Component, Diagnostic, Model, Party, Scenario, Subject, SubjectKind, Team};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OnCallCard {
    pub rotation: Option<String>,
    pub pager: Option<String>,
    pub hours: Option<String>,
    pub escalation: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeamRef {
    pub id: String,
    pub name: String,
    /// None when the team has no on-call rotation.
    pub oncall: Option<OnCallCard>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DutyCard {
    pub party: String,
    pub teams: Vec<String>,
    pub covers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScenarioBrief {
    pub id: String,
    pub title: String,
    pub first: Option<String>,
    pub first_teams: Vec<String>,
    pub platform_asks: Option<String>,
    pub application_asks: Option<String>,
    pub resolution: Option<String>,
    pub escalate: Option<String>,
    pub escalate_teams: Vec<String>,
}

/// A finding that matters during an incident, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alert {
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComponentCard {
    pub id: String,
    pub name: String,
    pub layer: Option<String>,
    pub pillar: Option<String>,
    pub tier: Option<u8>,
    /// None when the owner names a team that does not exist.
    pub owner: Option<TeamRef>,
    pub owner_id: String,
    /// When the owner's team is defined in a file that did not load: that
    /// file (the owner is then missing, not unknown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_unloaded: Option<String>,
    /// Since when the owner owns it (filled by `since::SinceMaps::attach`).
    pub owner_since: super::since::Held,
    /// Since when the owner's on-call is as it is.
    pub oncall_since: super::since::Held,
    pub duties: Vec<DutyCard>,
    pub consumers: Vec<String>,
    pub runbook: Option<String>,
    pub scenarios: Vec<ScenarioBrief>,
    pub findings: Vec<Alert>,
    /// Boundary changes in the window before the moment shown (filled by
    /// `recent::attach` once the history is known).
    pub recent_changes: Vec<RecentChange>,
    /// Owner or on-call moves in that window, in plain words.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScenarioCard {
    pub id: String,
    pub title: String,
    pub first: Option<String>,
    pub first_teams: Vec<String>,
    /// The first responders with their on-call.
    pub responders: Vec<TeamRef>,
    pub platform_asks: Option<String>,
    pub application_asks: Option<String>,
    pub resolution: Option<String>,
    pub escalate: Option<String>,
    pub escalate_teams: Vec<String>,
    pub components: Vec<String>,
    pub cards: Vec<ComponentCard>,
    /// Components and first responders the scenario names whose defining
    /// file did not load, in plain words: their cards are missing, not
    /// unknown.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unloaded: Vec<String>,
    /// Boundary changes in the window before the moment shown (filled by
    /// `recent::attach` once the history is known).
    pub recent_changes: Vec<RecentChange>,
    /// Owner or on-call moves in that window, in plain words.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OwnedByTier {
    pub tier: Option<u8>,
    pub components: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeamCard {
    pub id: String,
    pub name: String,
    /// The team's kind (`platform`, `product`, …); `kind` is the card's.
    pub team_kind: String,
    pub channel: Option<String>,
    pub lead: Option<String>,
    pub oncall: Option<OnCallCard>,
    pub owns: Vec<String>,
    pub owns_by_tier: Vec<OwnedByTier>,
    pub findings: Vec<Alert>,
    /// Boundary changes in the window before the moment shown (filled by
    /// `recent::attach` once the history is known).
    pub recent_changes: Vec<RecentChange>,
    /// Owner or on-call moves in that window, in plain words.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
// A handful of cards exist at a time; boxing the largest would only add
// indirection to every field access.
#[allow(clippy::large_enum_variant)]
pub enum Card {
    Component(ComponentCard),
    Scenario(ScenarioCard),
    Team(TeamCard),
}

impl Card {
    pub fn subject(&self) -> Subject {
        match self {
            Card::Component(c) => Subject::new(SubjectKind::Component, &c.id),
            Card::Scenario(s) => Subject::new(SubjectKind::Scenario, &s.id),
            Card::Team(t) => Subject::new(SubjectKind::Team, &t.id),
        }
    }
}

impl ComponentCard {
    /// An owner defined in a file that did not load is reported as such,
    /// not as an unknown team.
    fn note_unloaded(&mut self, unloaded: &crate::model::Unloaded) {
        if self.owner.is_some() {
            return;
        }
        let Some(file) = unloaded.defined_in(&self.owner_id) else {
            return;
        };
        self.owner_unloaded = Some(file.to_string());
        let message = format!(
            "the owner {} is defined in {file}, which did not load: its on-call is unknown",
            self.owner_id
        );
        self.findings.retain(|f| f.code != "unknown_owner");
        self.findings.insert(
            0,
            Alert {
                code: "unloaded".into(),
                message,
            },
        );
    }
}

impl ScenarioCard {
    /// A component or responder the scenario names but the model lacks
    /// because its file did not load is named, with that file.
    fn note_unloaded(&mut self, unloaded: &crate::model::Unloaded) {
        self.cards
            .iter_mut()
            .for_each(|c| c.note_unloaded(unloaded));
        let shown: Vec<&str> = self.cards.iter().map(|c| c.id.as_str()).collect();
        let missing_components = (self.components.iter())
            .filter(|id| !shown.contains(&id.as_str()))
            .filter_map(|id| {
                let file = unloaded.defined_in(id)?;
                Some(format!(
                    "component {id} is defined in {file}, which did not load: its card is missing"
                ))
            });
        let responding: Vec<&str> = self.responders.iter().map(|r| r.id.as_str()).collect();
        let missing_teams = (self.first_teams.iter())
            .filter(|id| !responding.contains(&id.as_str()))
            .filter_map(|id| {
                let file = unloaded.defined_in(id)?;
                Some(format!(
                    "first responder {id} is defined in {file}, which did not load: its on-call is unknown"
                ))
            });
        self.unloaded = missing_components.chain(missing_teams).collect();
    }
}

impl Card {
    /// References into files that did not load are said as such.
    pub fn note_unloaded(&mut self, unloaded: &crate::model::Unloaded) {
        if unloaded.is_empty() {
            return;
        }
        match self {
            Card::Component(c) => c.note_unloaded(unloaded),
            Card::Scenario(s) => s.note_unloaded(unloaded),
            Card::Team(_) => {}
        }
    }

    /// The warnings the card carries (owner or on-call moves).
    pub fn warnings(&self) -> &[String] {
        match self {
            Card::Component(c) => &c.warnings,
            Card::Scenario(s) => &s.warnings,
            Card::Team(t) => &t.warnings,
        }
    }
}

/// The card for a subject, or None when it is not in this model (or is a
/// kind triage does not cover).
pub fn build_card(model: &Model, diagnostics: &[Diagnostic], subject: &Subject) -> Option<Card> {
    match subject.kind {
        SubjectKind::Component => model
            .component(&subject.id)
            .map(|c| Card::Component(component_card(model, diagnostics, c))),
        SubjectKind::Scenario => model
            .scenario(&subject.id)
            .map(|s| Card::Scenario(scenario_card(model, diagnostics, s))),
        SubjectKind::Team => model
            .team(&subject.id)
            .map(|t| Card::Team(team_card(model, t))),
        _ => None,
    }
}

fn oncall_card(team: &Team) -> Option<OnCallCard> {
    team.oncall.as_ref().map(|o| OnCallCard {
        rotation: o.rotation.clone(),
        pager: o.pager.clone(),
        hours: o.hours.clone(),
        escalation: o.escalation.clone(),
    })
}

fn team_ref(model: &Model, id: &str) -> Option<TeamRef> {
    model.team(id).map(|t| TeamRef {
        id: t.id.clone(),
        name: t.name.clone(),
        oncall: oncall_card(t),
    })
}

/// The teams of a scenario's party: `@consumers` means the consumers of its components.
fn scenario_party_teams(model: &Model, scenario: &Scenario, party: &Party) -> Vec<String> {
    let mut teams = match party {
        Party::Consumers => scenario
            .components
            .iter()
            .filter_map(|id| model.component(id))
            .flat_map(|c| c.consumers.iter().cloned())
            .collect(),
        other => model.resolve_party(other, None),
    };
    let mut seen = std::collections::HashSet::new();
    teams.retain(|t| seen.insert(t.clone()));
    teams
}

fn scenario_brief(model: &Model, s: &Scenario) -> ScenarioBrief {
    ScenarioBrief {
        id: s.id.clone(),
        title: s.title.clone(),
        first: s.first.as_ref().map(|p| p.to_string()),
        first_teams: s
            .first
            .as_ref()
            .map(|p| scenario_party_teams(model, s, p))
            .unwrap_or_default(),
        platform_asks: s.platform_asks.clone(),
        application_asks: s.application_asks.clone(),
        resolution: s.resolution.clone(),
        escalate: s.escalate.as_ref().map(|p| p.to_string()),
        escalate_teams: s
            .escalate
            .as_ref()
            .map(|p| scenario_party_teams(model, s, p))
            .unwrap_or_default(),
    }
}

/// Findings that change what a responder does: nobody to page, no runbook,
/// and whatever `check` found about this subject.
fn alerts_for(diagnostics: &[Diagnostic], subject: &Subject) -> Vec<Alert> {
    diagnostics
        .iter()
        .filter(|d| d.subject.as_ref() == Some(subject))
        .filter(|d| d.code != "review_overdue")
        .map(|d| Alert {
            code: d.code.to_string(),
            message: d.message.clone(),
        })
        .collect()
}

pub fn component_card(model: &Model, diagnostics: &[Diagnostic], c: &Component) -> ComponentCard {
    let subject = Subject::new(SubjectKind::Component, &c.id);
    let owner = team_ref(model, &c.owner);
    let mut findings = Vec::new();
    match &owner {
        None => findings.push(Alert {
            code: "unknown_owner".into(),
            message: format!(
                "the owner `{}` is not a known team: page the platform lead",
                c.owner
            ),
        }),
        Some(o) if o.oncall.is_none() => findings.push(Alert {
            code: "no_oncall".into(),
            message: format!(
                "the owner `{}` has no on-call rotation: use its channel or lead",
                o.id
            ),
        }),
        _ => {}
    }
    // A missing runbook, boundary violations and the rest come from
    // `check` (below), so the card and CI say the same thing.
    for alert in alerts_for(diagnostics, &subject) {
        if !findings.iter().any(|f| f.code == alert.code) {
            findings.push(alert);
        }
    }
    ComponentCard {
        id: c.id.clone(),
        name: c.name.clone(),
        layer: c.layer.clone(),
        pillar: c.pillar.clone(),
        tier: c.tier,
        owner,
        owner_id: c.owner.clone(),
        owner_unloaded: None,
        owner_since: Default::default(),
        oncall_since: Default::default(),
        duties: c
            .duties
            .iter()
            .map(|d| DutyCard {
                party: d.party.to_string(),
                teams: model.resolve_party(&d.party, Some(c)),
                covers: d.covers.clone(),
            })
            .collect(),
        consumers: c.consumers.clone(),
        runbook: c.runbook.clone(),
        scenarios: model
            .scenarios
            .iter()
            .filter(|s| s.components.iter().any(|id| id == &c.id))
            .map(|s| scenario_brief(model, s))
            .collect(),
        findings,
        recent_changes: Vec::new(),
        warnings: Vec::new(),
    }
}

fn scenario_card(model: &Model, diagnostics: &[Diagnostic], s: &Scenario) -> ScenarioCard {
    let brief = scenario_brief(model, s);
    ScenarioCard {
        responders: brief
            .first_teams
            .iter()
            .filter_map(|t| team_ref(model, t))
            .collect(),
        id: brief.id,
        title: brief.title,
        first: brief.first,
        first_teams: brief.first_teams,
        platform_asks: brief.platform_asks,
        application_asks: brief.application_asks,
        resolution: brief.resolution,
        escalate: brief.escalate,
        escalate_teams: brief.escalate_teams,
        components: s.components.clone(),
        cards: s
            .components
            .iter()
            .filter_map(|id| model.component(id))
            .map(|c| component_card(model, diagnostics, c))
            .collect(),
        unloaded: Vec::new(),
        recent_changes: Vec::new(),
        warnings: Vec::new(),
    }
}

fn team_card(model: &Model, t: &Team) -> TeamCard {
    let owned: Vec<&Component> = model.components_owned_by(&t.id).collect();
    let mut tiers: Vec<Option<u8>> = owned.iter().map(|c| c.tier).collect();
    // Tier 1 first; components without a tier last.
    tiers.sort_by_key(|t| t.unwrap_or(u8::MAX));
    tiers.dedup();
    let mut findings = Vec::new();
    if t.oncall.is_none() && owned.iter().any(|c| matches!(c.tier, Some(1 | 2))) {
        findings.push(Alert {
            code: "no_oncall".into(),
            message: "owns tier 1-2 components but has no on-call rotation".into(),
        });
    }
    TeamCard {
        id: t.id.clone(),
        name: t.name.clone(),
        team_kind: t.kind.clone(),
        channel: t.channel.clone(),
        lead: t.lead.clone(),
        oncall: oncall_card(t),
        owns: owned.iter().map(|c| c.id.clone()).collect(),
        owns_by_tier: tiers
            .into_iter()
            .map(|tier| OwnedByTier {
                tier,
                components: owned
                    .iter()
                    .filter(|c| c.tier == tier)
                    .map(|c| c.id.clone())
                    .collect(),
            })
            .collect(),
        findings,
        recent_changes: Vec::new(),
        warnings: Vec::new(),
    }
}
