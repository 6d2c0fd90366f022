//! `boundary_violation`: a team owns components in a layer where it
//! declares no role, or only `consumes`. The Layers view marks the same
//! cells from `team_role` and `is_violation` here.

use crate::model::diag::{Diagnostic, Subject, SubjectKind};
use crate::model::party::Party;
use crate::model::types::{Layer, Model, Team};
use foldhash::{HashMap, HashMapExt};

pub const CODE: &str = "boundary_violation";

/// The role a team declares in a layer: its own entry, else its kind's.
pub fn team_role<'a>(layer: &'a Layer, team: &Team) -> Option<&'a str> {
    layer
        .role_of(&Party::Team(team.id.clone()))
        .or_else(|| layer.role_of(&Party::Kind(team.kind.clone())))
}

/// Owning components in a layer with this role is a boundary violation.
pub fn is_violation(role: Option<&str>) -> bool {
    matches!(role, None | Some("consumes"))
}

pub fn check(model: &Model, out: &mut Vec<Diagnostic>) {
    // (layer, team) -> the components, in file order: one finding per cell.
    // Hashed, then the few cells sorted: a sorted map compared strings
    // on every one of 200,000 inserts.
    let mut cells: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, c) in model.components.iter().enumerate() {
        if let Some(layer) = &c.layer {
            cells.entry((layer, &c.owner)).or_default().push(i);
        }
    }
    let mut cells: Vec<_> = cells.into_iter().collect();
    cells.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for ((layer_id, team_id), components) in cells {
        let (Some(layer), Some(team)) = (model.layer(layer_id), model.team(team_id)) else {
            continue; // unknown layers and owners are findings of their own
        };
        let role = team_role(layer, team);
        if !is_violation(role) {
            continue;
        }
        let why = match role {
            Some(r) => format!("only `{r}` it"),
            None => "declares no role there".to_string(),
        };
        let ids: Vec<&str> = components
            .iter()
            .map(|&i| model.components[i].id.as_str())
            .collect();
        let first = &model.components[components[0]];
        out.push(
            Diagnostic::warning(
                CODE,
                first.location.clone(),
                format!(
                    "team `{team_id}` owns {} in layer `{layer_id}` ({}) but {why}: a boundary violation",
                    if ids.len() == 1 { "a component" } else { "components" },
                    ids.join(", ")
                ),
            )
            .about(Subject::new(SubjectKind::Team, team_id)),
        );
    }
}
