//! One boundary change: the CHANGE object of the command-line contract.
//!
//! A change is semantic (an owner moved, a duty word moved between parties),
//! never a line diff. `summary` uses an ASCII arrow as the contract shows;
//! `line()` gives the same sentence with `→` for people.

use crate::model::{Subject, SubjectKind};
use serde::Serialize;
use std::fmt::Write;

/// The kinds of the contract, serialized in snake_case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    ComponentAdded,
    ComponentRemoved,
    OwnerChanged,
    LayerChanged,
    PillarChanged,
    TierChanged,
    ConsumersChanged,
    DutyMoved,
    DutyAdded,
    DutyRemoved,
    TeamAdded,
    TeamRemoved,
    TeamChanged,
    OncallChanged,
    EscalationChanged,
    LayerRoleChanged,
    PillarPrimaryChanged,
    PillarBoundaryChanged,
    PillarDutiesChanged,
    ScenarioAdded,
    ScenarioRemoved,
    ScenarioChanged,
    MatrixChanged,
}

impl ChangeKind {
    pub const ALL: &'static [ChangeKind] = &[
        ChangeKind::ComponentAdded,
        ChangeKind::ComponentRemoved,
        ChangeKind::OwnerChanged,
        ChangeKind::LayerChanged,
        ChangeKind::PillarChanged,
        ChangeKind::TierChanged,
        ChangeKind::ConsumersChanged,
        ChangeKind::DutyMoved,
        ChangeKind::DutyAdded,
        ChangeKind::DutyRemoved,
        ChangeKind::TeamAdded,
        ChangeKind::TeamRemoved,
        ChangeKind::TeamChanged,
        ChangeKind::OncallChanged,
        ChangeKind::EscalationChanged,
        ChangeKind::LayerRoleChanged,
        ChangeKind::PillarPrimaryChanged,
        ChangeKind::PillarBoundaryChanged,
        ChangeKind::PillarDutiesChanged,
        ChangeKind::ScenarioAdded,
        ChangeKind::ScenarioRemoved,
        ChangeKind::ScenarioChanged,
        ChangeKind::MatrixChanged,
    ];

    /// The contract's name, e.g. `owner_changed`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::ComponentAdded => "component_added",
            ChangeKind::ComponentRemoved => "component_removed",
            ChangeKind::OwnerChanged => "owner_changed",
            ChangeKind::LayerChanged => "layer_changed",
            ChangeKind::PillarChanged => "pillar_changed",
            ChangeKind::TierChanged => "tier_changed",
            ChangeKind::ConsumersChanged => "consumers_changed",
            ChangeKind::DutyMoved => "duty_moved",
            ChangeKind::DutyAdded => "duty_added",
            ChangeKind::DutyRemoved => "duty_removed",
            ChangeKind::TeamAdded => "team_added",
            ChangeKind::TeamRemoved => "team_removed",
            ChangeKind::TeamChanged => "team_changed",
            ChangeKind::OncallChanged => "oncall_changed",
            ChangeKind::EscalationChanged => "escalation_changed",
            ChangeKind::LayerRoleChanged => "layer_role_changed",
            ChangeKind::PillarPrimaryChanged => "pillar_primary_changed",
            ChangeKind::PillarBoundaryChanged => "pillar_boundary_changed",
            ChangeKind::PillarDutiesChanged => "pillar_duties_changed",
            ChangeKind::ScenarioAdded => "scenario_added",
            ChangeKind::ScenarioRemoved => "scenario_removed",
            ChangeKind::ScenarioChanged => "scenario_changed",
            ChangeKind::MatrixChanged => "matrix_changed",
        }
    }

    /// How plain output names a group of this kind when it collapses many
    /// (the founding commit adds dozens of components at once).
    pub fn plural_noun(self) -> &'static str {
        match self {
            ChangeKind::ComponentAdded => "components added",
            ChangeKind::ComponentRemoved => "components removed",
            ChangeKind::TeamAdded => "teams added",
            ChangeKind::TeamRemoved => "teams removed",
            ChangeKind::ScenarioAdded => "scenarios added",
            ChangeKind::ScenarioRemoved => "scenarios removed",
            ChangeKind::LayerRoleChanged => "layer matrix cells changed",
            ChangeKind::MatrixChanged => "matrix changes",
            ChangeKind::DutyAdded => "duties added",
            ChangeKind::DutyRemoved => "duties removed",
            ChangeKind::DutyMoved => "duties moved",
            ChangeKind::OncallChanged => "on-call changes",
            ChangeKind::EscalationChanged => "escalation changes",
            ChangeKind::PillarPrimaryChanged => "pillar primaries changed",
            ChangeKind::PillarBoundaryChanged => "pillar boundaries changed",
            ChangeKind::PillarDutiesChanged => "pillar duty lists changed",
            _ => "changes",
        }
    }
}

/// A `from` or `to` value: a word or sentence, or a list (consumers,
/// escalation ladders, pillar primaries).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Text(String),
    List(Vec<String>),
}

impl Value {
    pub fn text(s: impl Into<String>) -> Value {
        Value::Text(s.into())
    }

    /// Does this value name `id` (as the whole text or one list item)?
    pub fn mentions(&self, id: &str) -> bool {
        match self {
            Value::Text(t) => t == id,
            Value::List(items) => items.iter().any(|i| i == id),
        }
    }

    fn render(&self) -> String {
        match self {
            Value::Text(t) => t.clone(),
            Value::List(items) if items.is_empty() => "(none)".into(),
            Value::List(items) => items.join(", "),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    pub subject: Subject,
    pub from: Option<Value>,
    pub to: Option<Value>,
    /// The duty word of `duty_*` changes.
    pub duty: Option<String>,
    /// The party of `layer_role_changed`, `pillar_duties_changed`,
    /// `duty_added`/`duty_removed` and matrix cells.
    pub party: Option<String>,
    /// Which field changed, for the `*_changed` kinds that cover several
    /// (`team_changed`: name, kind, lead, channel; `oncall_changed`:
    /// rotation, pager, hours; `scenario_changed`; a matrix row).
    pub field: Option<String>,
    /// List items that appeared and disappeared (consumers, ladders, primaries).
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// The owner(s) of the subject component before and after, so `--team`
    /// can keep changes to components a team owns without the model.
    pub owners: Vec<String>,
}

/// A change as the contract writes it: its fields in this order, the
/// optional ones only when set, and its `summary` (written out here
/// rather than kept: a founding commit of 200,000 components made as many
/// summaries, 15 MB held by the dashboard's History for nothing, issue 17).
#[derive(Serialize)]
struct ChangeJson<'a> {
    kind: ChangeKind,
    subject: &'a Subject,
    from: &'a Option<Value>,
    to: &'a Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    duty: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    party: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    #[serde(skip_serializing_if = "no_items")]
    added: &'a [String],
    #[serde(skip_serializing_if = "no_items")]
    removed: &'a [String],
    summary: String,
}

fn no_items(list: &&[String]) -> bool {
    list.is_empty()
}

impl Serialize for Change {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        ChangeJson {
            kind: self.kind,
            subject: &self.subject,
            from: &self.from,
            to: &self.to,
            duty: self.duty.as_deref(),
            party: self.party.as_deref(),
            field: self.field.as_deref(),
            added: &self.added,
            removed: &self.removed,
            summary: self.summary(),
        }
        .serialize(serializer)
    }
}

impl Change {
    pub fn new(kind: ChangeKind, subject: Subject) -> Change {
        Change {
            kind,
            subject,
            from: None,
            to: None,
            duty: None,
            party: None,
            field: None,
            added: Vec::new(),
            removed: Vec::new(),
            owners: Vec::new(),
        }
    }

    pub fn from_to(mut self, from: Option<Value>, to: Option<Value>) -> Change {
        self.from = from;
        self.to = to;
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Change {
        self.field = Some(field.into());
        self
    }

    pub fn party(mut self, party: impl Into<String>) -> Change {
        self.party = Some(party.into());
        self
    }

    pub fn duty(mut self, duty: impl Into<String>) -> Change {
        self.duty = Some(duty.into());
        self
    }

    pub fn owners(mut self, owners: impl IntoIterator<Item = String>) -> Change {
        for owner in owners {
            if !owner.is_empty() && !self.owners.contains(&owner) {
                self.owners.push(owner);
            }
        }
        self
    }

    /// Fills `added`/`removed` from list values; the last step of
    /// building a change.
    pub fn done(mut self) -> Change {
        // A list on one side only (a new party's duties) counts against an empty one.
        let items = |v: &Option<Value>| match v {
            Some(Value::List(items)) => Some(items.clone()),
            _ => None,
        };
        let (from, to) = (items(&self.from), items(&self.to));
        if from.is_some() || to.is_some() {
            let (from, to) = (from.unwrap_or_default(), to.unwrap_or_default());
            self.added = to.iter().filter(|x| !from.contains(x)).cloned().collect();
            self.removed = from.iter().filter(|x| !to.contains(x)).cloned().collect();
        }
        self
    }

    /// The contract's sentence, with an ASCII arrow: `kafka: owner platform-data -> platform-streaming`.
    pub fn summary(&self) -> String {
        self.line_with("->")
    }

    /// The readable sentence with an arrow for people: `kafka: owner platform-data → platform-streaming`.
    pub fn line(&self) -> String {
        self.line_with("→")
    }

    /// Does the change involve `team`: as its subject, its from/to, its
    /// party, or as an owner of the component it is about?
    pub fn involves_team(&self, team: &str) -> bool {
        (self.subject.kind == SubjectKind::Team && self.subject.id == team)
            || self.from.as_ref().is_some_and(|v| v.mentions(team))
            || self.to.as_ref().is_some_and(|v| v.mentions(team))
            || self.party.as_deref() == Some(team)
            || self.owners.iter().any(|o| o == team)
    }

    fn line_with(&self, arrow: &str) -> String {
        let id = &self.subject.id;
        let from = self.from.as_ref().map(Value::render);
        let to = self.to.as_ref().map(Value::render);
        let none = || "(none)".to_string();
        let move_ = |what: &str| {
            format!(
                "{id}: {what} {} {arrow} {}",
                from.clone().unwrap_or_else(none),
                to.clone().unwrap_or_else(none)
            )
        };
        let mut out = match self.kind {
            ChangeKind::ComponentAdded => match &to {
                Some(owner) => format!("{id}: added, owned by {owner}"),
                None => format!("{id}: added"),
            },
            ChangeKind::ComponentRemoved => match &from {
                Some(owner) => format!("{id}: removed (was owned by {owner})"),
                None => format!("{id}: removed"),
            },
            ChangeKind::OwnerChanged => move_("owner"),
            ChangeKind::LayerChanged => move_("layer"),
            ChangeKind::PillarChanged => move_("pillar"),
            ChangeKind::TierChanged => move_("tier"),
            ChangeKind::ConsumersChanged => format!("{id}: consumers{}", self.list_delta()),
            ChangeKind::DutyMoved => format!(
                "{id}: duty \"{}\" {} {arrow} {}",
                self.duty.as_deref().unwrap_or(""),
                from.clone().unwrap_or_else(none),
                to.clone().unwrap_or_else(none)
            ),
            ChangeKind::DutyAdded => format!(
                "{id}: duty \"{}\" added for {}",
                self.duty.as_deref().unwrap_or(""),
                self.party.as_deref().unwrap_or("?")
            ),
            ChangeKind::DutyRemoved => format!(
                "{id}: duty \"{}\" removed from {}",
                self.duty.as_deref().unwrap_or(""),
                self.party.as_deref().unwrap_or("?")
            ),
            ChangeKind::TeamAdded => match &to {
                Some(name) => format!("team {id} added ({name})"),
                None => format!("team {id} added"),
            },
            ChangeKind::TeamRemoved => format!("team {id} removed"),
            ChangeKind::TeamChanged | ChangeKind::OncallChanged => {
                let what = match (self.kind, self.field.as_deref()) {
                    (ChangeKind::OncallChanged, Some(f)) => format!("on-call {f}"),
                    (ChangeKind::OncallChanged, None) => "on-call".to_string(),
                    (_, Some(f)) => f.to_string(),
                    (_, None) => "team".to_string(),
                };
                format!(
                    "{id}: {what} {} {arrow} {}",
                    from.clone().unwrap_or_else(none),
                    to.clone().unwrap_or_else(none)
                )
            }
            ChangeKind::EscalationChanged => move_("escalation"),
            ChangeKind::LayerRoleChanged => format!(
                "layer {id}: {} {} {arrow} {}",
                self.party.as_deref().unwrap_or("?"),
                from.clone().unwrap_or_else(none),
                to.clone().unwrap_or_else(none)
            ),
            ChangeKind::PillarPrimaryChanged => format!(
                "pillar {id}: primary {} {arrow} {}",
                from.clone().unwrap_or_else(none),
                to.clone().unwrap_or_else(none)
            ),
            ChangeKind::PillarBoundaryChanged => match (&from, &to) {
                (None, Some(to)) => format!("pillar {id}: boundary set to \"{to}\""),
                (Some(from), None) => format!("pillar {id}: boundary \"{from}\" removed"),
                _ => format!(
                    "pillar {id}: boundary \"{}\" {arrow} \"{}\"",
                    from.clone().unwrap_or_default(),
                    to.clone().unwrap_or_default()
                ),
            },
            ChangeKind::PillarDutiesChanged => format!(
                "pillar {id}: duties of {}{}",
                self.party.as_deref().unwrap_or("?"),
                self.list_delta()
            ),
            ChangeKind::ScenarioAdded => match &to {
                Some(title) => format!("scenario {id} added ({title})"),
                None => format!("scenario {id} added"),
            },
            ChangeKind::ScenarioRemoved => format!("scenario {id} removed"),
            ChangeKind::ScenarioChanged => {
                let field = self.field.as_deref().unwrap_or("scenario");
                match (&self.from, &self.to) {
                    (Some(Value::List(_)), _) | (_, Some(Value::List(_))) => {
                        format!("scenario {id}: {field}{}", self.list_delta())
                    }
                    _ => format!(
                        "scenario {id}: {field} \"{}\" {arrow} \"{}\"",
                        from.clone().unwrap_or_default(),
                        to.clone().unwrap_or_default()
                    ),
                }
            }
            ChangeKind::MatrixChanged => match (&self.field, &self.party) {
                (Some(row), Some(party)) => format!(
                    "matrix {id}: \"{row}\" {party} {} {arrow} {}",
                    from.clone().unwrap_or_else(none),
                    to.clone().unwrap_or_else(none)
                ),
                _ => match (&from, &to) {
                    (None, Some(title)) => format!("matrix {id} added ({title})"),
                    (Some(_), None) => format!("matrix {id} removed"),
                    _ => move_("matrix"),
                },
            },
        };
        // Long free texts (resolutions, boundaries) stay on one line.
        if out.contains('\n') {
            out = out.replace('\n', " ");
        }
        out
    }

    /// ` + a, b − c` for list changes; the whole lists when nothing moved.
    fn list_delta(&self) -> String {
        let mut out = String::new();
        if !self.added.is_empty() {
            let _ = write!(out, " + {}", self.added.join(", "));
        }
        if !self.removed.is_empty() {
            let _ = write!(out, " - {}", self.removed.join(", "));
        }
        if out.is_empty() {
            // Same items, another order (an escalation ladder reordered).
            let from = self.from.as_ref().map(Value::render).unwrap_or_default();
            let to = self.to.as_ref().map(Value::render).unwrap_or_default();
            let _ = write!(out, " reordered: {from} -> {to}");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn component(id: &str) -> Subject {
        Subject::new(SubjectKind::Component, id)
    }

    #[test]
    fn owner_change_reads_as_the_contract_shows() {
        let c = Change::new(ChangeKind::OwnerChanged, component("kafka"))
            .from_to(
                Some(Value::text("platform-data")),
                Some(Value::text("platform-streaming")),
            )
            .done();
        assert_eq!(
            c.summary(),
            "kafka: owner platform-data -> platform-streaming"
        );
        assert_eq!(c.line(), "kafka: owner platform-data → platform-streaming");
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(json["kind"], "owner_changed");
        assert_eq!(json["subject"]["type"], "component");
        assert_eq!(json["subject"]["id"], "kafka");
        assert_eq!(json["from"], "platform-data");
        assert_eq!(json["to"], "platform-streaming");
        assert!(json.get("owners").is_none());
    }

    #[test]
    fn lists_carry_what_was_added_and_removed() {
        let list = |v: &[&str]| Some(Value::List(v.iter().map(|s| s.to_string()).collect()));
        let c = Change::new(ChangeKind::ConsumersChanged, component("redis"))
            .from_to(
                list(&["checkout", "search"]),
                list(&["checkout", "search", "catalog"]),
            )
            .done();
        assert_eq!(c.added, vec!["catalog"]);
        assert!(c.removed.is_empty());
        assert_eq!(c.line(), "redis: consumers + catalog");
        assert!(c.involves_team("catalog"));
        assert!(!c.involves_team("payments"));
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(json["from"][1], "search");
    }

    #[test]
    fn every_kind_has_its_contract_name() {
        for kind in ChangeKind::ALL {
            let json = serde_json::to_value(kind).unwrap();
            assert_eq!(json, kind.as_str());
        }
        assert_eq!(ChangeKind::ALL.len(), 23);
    }
}
