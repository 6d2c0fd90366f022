//! What the views show, computed from the model: the layer matrix, team
//! scopes and load, the filtered and sorted component table. Pure functions,
//! shared by drawing and by the actions that follow a selection.

use super::state::{ComponentsState, Filters, SortColumn};
use crate::model::facts::Facts;
use crate::model::{Component, Layer, Model, Party, Pillar, Subject, SubjectKind, Team};

/// A row of the pillar's components-by-owner list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PillarRow<'a> {
    Owner { team: &'a str, count: usize },
    Component(&'a Component),
}

/// The pillar's components, grouped by owner (owners by id).
pub fn pillar_rows<'a>(model: &'a Model, pillar: &Pillar) -> Vec<PillarRow<'a>> {
    let mut groups: std::collections::BTreeMap<&str, Vec<&Component>> = Default::default();
    for c in model
        .components
        .iter()
        .filter(|c| c.pillar.as_deref() == Some(pillar.id.as_str()))
    {
        groups.entry(c.owner.as_str()).or_default().push(c);
    }
    let mut rows = Vec::new();
    for (owner, comps) in groups {
        rows.push(PillarRow::Owner {
            team: owner,
            count: comps.len(),
        });
        rows.extend(comps.into_iter().map(PillarRow::Component));
    }
    rows
}

/// A column of the layer matrix: one team, or every team of a kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixColumn {
    pub label: String,
    pub kind: String,
    pub teams: Vec<String>,
    /// Some(team) for a one-team column.
    pub team: Option<String>,
}

pub fn matrix_columns(model: &Model, by_kind: bool) -> Vec<MatrixColumn> {
    let mut cols = Vec::new();
    for kind in model.kinds() {
        let teams: Vec<String> = model
            .teams
            .iter()
            .filter(|t| t.kind == kind)
            .map(|t| t.id.clone())
            .collect();
        if by_kind {
            cols.push(MatrixColumn {
                label: format!("@{kind}"),
                kind: kind.clone(),
                teams,
                team: None,
            });
        } else {
            for team in teams {
                cols.push(MatrixColumn {
                    label: team.clone(),
                    kind: kind.clone(),
                    teams: vec![team.clone()],
                    team: Some(team),
                });
            }
        }
    }
    cols
}

/// The role a team declares in a layer (the `boundary_violation` check's own).
pub use crate::model::checks::boundary::team_role;

/// One cell of the layer matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixCell<'a> {
    /// The declared role(s), joined with `/` when a kind's teams differ.
    pub role: Option<String>,
    pub components: Vec<&'a Component>,
    /// Teams owning components here while declaring no role, or only "consumes".
    pub violations: Vec<String>,
}

pub fn matrix_cell<'a>(
    model: &'a Model,
    facts: &Facts,
    layer: &Layer,
    column: &MatrixColumn,
) -> MatrixCell<'a> {
    let mut roles: Vec<String> = Vec::new();
    let mut violations = Vec::new();
    let mut components = Vec::new();
    if column.team.is_none()
        && let Some(r) = layer.role_of(&Party::Kind(column.kind.clone()))
    {
        roles.push(r.to_string());
    }
    for id in &column.teams {
        let Some(team) = model.team(id) else { continue };
        let role = team_role(layer, team);
        if let Some(r) = role
            && !roles.iter().any(|x| x == r)
        {
            roles.push(r.to_string());
        }
        let owned = facts.owned_in_layer(id, &layer.id);
        if !owned.is_empty() && crate::model::checks::boundary::is_violation(role) {
            violations.push(id.clone());
        }
        components.extend(owned.iter().map(|&i| &model.components[i]));
    }
    MatrixCell {
        role: if roles.is_empty() {
            None
        } else {
            Some(roles.join("/"))
        },
        components,
        violations,
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

/// A party, with the teams it stands for when it is not a single team.
pub fn party_label(model: &Model, party: &Party, component: Option<&Component>) -> String {
    match party {
        Party::Team(id) => id.clone(),
        other => {
            let teams = model.resolve_party(other, component);
            if teams.is_empty() {
                format!("{other} (nobody)")
            } else {
                format!("{other} ({})", teams.join(", "))
            }
        }
    }
}

/// The Triage view's rows: the pinned subject (when it is in this model
/// and not a scenario), then every scenario.
pub fn triage_rows(model: &Model, pinned: Option<&Subject>) -> Vec<Subject> {
    let mut rows: Vec<Subject> = pinned
        .filter(|s| s.kind != SubjectKind::Scenario && model.has_subject(s))
        .cloned()
        .into_iter()
        .collect();
    rows.extend(
        model
            .scenarios
            .iter()
            .map(|s| Subject::new(SubjectKind::Scenario, &s.id)),
    );
    rows
}

fn matches(filters: &Filters, model: &Model, c: &Component) -> bool {
    let eq =
        |want: &Option<String>, have: Option<&str>| want.as_deref().is_none_or(|w| Some(w) == have);
    eq(&filters.layer, c.layer.as_deref())
        && eq(&filters.pillar, c.pillar.as_deref())
        && eq(&filters.owner, Some(c.owner.as_str()))
        && filters.tier.is_none_or(|t| c.tier == Some(t))
        && filters
            .kind
            .as_deref()
            .is_none_or(|k| model.team(&c.owner).is_some_and(|t| t.kind == k))
}

/// The components table: filtered, then sorted (ties by id).
pub fn component_rows<'a>(model: &'a Model, state: &ComponentsState) -> Vec<&'a Component> {
    component_order(model, state)
        .into_iter()
        .map(|i| &model.components[i])
        .collect()
}

/// The same as indices into the model's components.
pub fn component_order(model: &Model, state: &ComponentsState) -> Vec<usize> {
    let mut rows: Vec<usize> = (0..model.components.len())
        .filter(|&i| matches(&state.filters, model, &model.components[i]))
        .collect();
    let key = |c: &Component| -> (String, String) {
        let k = match state.sort {
            SortColumn::Id => String::new(),
            SortColumn::Name => c.name.to_lowercase(),
            SortColumn::Layer => c.layer.clone().unwrap_or_default(),
            SortColumn::Pillar => c.pillar.clone().unwrap_or_default(),
            SortColumn::Owner => c.owner.clone(),
            SortColumn::Tier => c.tier.map(|t| t.to_string()).unwrap_or_else(|| "9".into()),
        };
        (k, c.id.clone())
    };
    rows.sort_by_cached_key(|&i| key(&model.components[i]));
    if state.descending {
        rows.reverse();
    }
    rows
}

/// The distinct values a filter can take, in order, for cycling through them.
pub fn filter_values(model: &Model, pick: impl Fn(&Component) -> Option<String>) -> Vec<String> {
    let mut values: Vec<String> = model.components.iter().filter_map(pick).collect();
    values.sort();
    values.dedup();
    values
}

/// The next value of a filter: none -> first -> … -> last -> none.
pub fn cycle(current: &Option<String>, values: &[String]) -> Option<String> {
    match current {
        None => values.first().cloned(),
        Some(v) => {
            let i = values.iter().position(|x| x == v);
            i.and_then(|i| values.get(i + 1)).cloned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse_all;

    fn model() -> Model {
        let files: Vec<(&str, &[u8])> = vec![
            ("demarc.toml", b"schema = 1\norg = \"T\"\n"),
            ("teams/infra.toml", b"name = \"Infra\"\nkind = \"platform\"\n"),
            ("teams/shop.toml", b"name = \"Shop\"\nkind = \"product\"\n"),
            ("teams/cart.toml", b"name = \"Cart\"\nkind = \"product\"\n"),
            (
                "layers.toml",
                b"[[layer]]\nid = \"service\"\nname = \"Service\"\n[layer.roles]\ninfra = \"owns\"\n\"@product\" = \"consumes\"\n",
            ),
            (
                "components/a.toml",
                b"[[component]]\nid = \"pg\"\nname = \"PG\"\nlayer = \"service\"\nowner = \"infra\"\ntier = 1\nconsumers = [\"shop\"]\n[[component.duty]]\nparty = \"@consumers\"\ncovers = [\"schema\"]\n\n[[component]]\nid = \"cache\"\nname = \"Cache\"\nlayer = \"service\"\nowner = \"shop\"\ntier = 3\n",
            ),
        ];
        parse_all(files).0
    }

    #[test]
    fn a_team_owning_where_it_only_consumes_is_a_violation() {
        let m = model();
        let service = m.layer("service").unwrap();
        let cols = matrix_columns(&m, false);
        let shop = cols.iter().find(|c| c.label == "shop").unwrap();
        let f = Facts::build(&m);
        assert_eq!(f.violations, 1);
        let cell = matrix_cell(&m, &f, service, shop);
        assert_eq!(cell.role.as_deref(), Some("consumes"));
        assert_eq!(cell.violations, vec!["shop".to_string()]);
        let infra = cols.iter().find(|c| c.label == "infra").unwrap();
        let cell = matrix_cell(&m, &f, service, infra);
        assert!(cell.violations.is_empty());
        assert_eq!(cell.components.len(), 1);
        let cart = cols.iter().find(|c| c.label == "cart").unwrap();
        assert!(matrix_cell(&m, &f, service, cart).violations.is_empty());
        let kinds = matrix_columns(&m, true);
        assert_eq!(kinds.len(), 2);
        let product = matrix_cell(&m, &f, service, &kinds[1]);
        assert_eq!(product.violations, vec!["shop".to_string()]);
    }

    #[test]
    fn load_weighs_tiers_and_shared_duties() {
        let m = model();
        let f = Facts::build(&m);
        assert_eq!(team_load(&m, &f, m.team("infra").unwrap()), 4);
        // cache (tier 3) = 2, plus the schema duty in pg as its consumer.
        assert_eq!(team_load(&m, &f, m.team("shop").unwrap()), 3);
    }

    #[test]
    fn components_filter_and_sort() {
        let m = model();
        let mut st = ComponentsState::default();
        assert_eq!(
            component_rows(&m, &st)
                .iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>(),
            ["cache", "pg"]
        );
        st.sort = SortColumn::Tier;
        assert_eq!(component_rows(&m, &st)[0].id, "pg");
        st.filters.kind = Some("product".into());
        assert_eq!(component_rows(&m, &st).len(), 1);
        let owners = filter_values(&m, |c| Some(c.owner.clone()));
        assert_eq!(cycle(&None, &owners).as_deref(), Some("infra"));
        assert_eq!(cycle(&Some("shop".into()), &owners), None);
    }
}
