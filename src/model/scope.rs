//! A team's scope: what it owns, the duties it holds in components others
//! own, what it consumes, its roles in the layers and the pillars it leads.
//! One computation for the Teams tab, `demarc team` and the MCP
//! `team_scope` tool, so the three never disagree.

use super::facts::Facts;
use super::{Component, Layer, Model, Pillar, Team};

/// The role a team declares in a layer: the `boundary_violation` check's own.
pub use super::checks::boundary::team_role;

/// Layers where the team declares a role (its own or its kind's).
pub fn layer_roles<'a>(model: &'a Model, team: &Team) -> Vec<(&'a Layer, &'a str)> {
    model
        .layers
        .iter()
        .filter_map(|l| team_role(l, team).map(|r| (l, r)))
        .collect()
}

/// Pillars whose primary owners include the team.
pub fn primary_pillars<'a>(model: &'a Model, team: &str) -> Vec<&'a Pillar> {
    model
        .pillars
        .iter()
        .filter(|p| {
            p.primary
                .iter()
                .any(|party| model.party_includes(party, team, None))
        })
        .collect()
}

/// Components that list the team among their consumers.
pub fn consumed_by<'a>(model: &'a Model, team: &str) -> Vec<&'a Component> {
    model
        .components
        .iter()
        .filter(|c| c.consumers.iter().any(|t| t == team))
        .collect()
}

/// Duties a team holds in components others own: (component, what it covers).
pub fn shared_duties<'a>(
    model: &'a Model,
    facts: &Facts,
    team: &str,
) -> Vec<(&'a Component, &'a [String])> {
    facts
        .shared(team)
        .iter()
        .map(|(ci, di)| {
            let c = &model.components[ci];
            (c, c.duties[di].covers.as_slice())
        })
        .collect()
}

/// Everything a team is answerable for, in one version of the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamScope<'a> {
    pub team: &'a Team,
    /// Components it owns, in the model's order.
    pub owns: Vec<&'a Component>,
    /// Duties it holds in components others own.
    pub shares: Vec<(&'a Component, &'a [String])>,
    /// Components it is a consumer of.
    pub consumes: Vec<&'a Component>,
    /// Its role in each layer where it declares one.
    pub layers: Vec<(&'a Layer, &'a str)>,
    /// Pillars it is a primary owner of.
    pub pillars: Vec<&'a Pillar>,
}

pub fn team_scope<'a>(model: &'a Model, facts: &Facts, team: &'a Team) -> TeamScope<'a> {
    TeamScope {
        team,
        owns: facts
            .owned(&team.id)
            .iter()
            .map(|&i| &model.components[i])
            .collect(),
        shares: shared_duties(model, facts, &team.id),
        consumes: consumed_by(model, &team.id),
        layers: layer_roles(model, team),
        pillars: primary_pillars(model, &team.id),
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
            (
                "layers.toml",
                b"[[layer]]\nid = \"service\"\nname = \"Service\"\n[layer.roles]\ninfra = \"owns\"\n\"@product\" = \"consumes\"\n",
            ),
            (
                "pillars.toml",
                b"[[pillar]]\nid = \"infrastructure\"\nname = \"Infrastructure\"\nprimary = [\"infra\"]\n",
            ),
            (
                "components/a.toml",
                b"[[component]]\nid = \"pg\"\nname = \"PG\"\nlayer = \"service\"\nowner = \"infra\"\ntier = 1\nconsumers = [\"shop\"]\n[[component.duty]]\nparty = \"@consumers\"\ncovers = [\"schema\"]\n",
            ),
        ];
        parse_all(files).0
    }

    #[test]
    fn a_scope_gathers_what_a_team_owns_shares_and_consumes() {
        let m = model();
        let facts = Facts::build(&m);
        let infra = team_scope(&m, &facts, m.team("infra").unwrap());
        assert_eq!(infra.owns.len(), 1);
        assert!(infra.shares.is_empty() && infra.consumes.is_empty());
        assert_eq!(infra.layers[0].1, "owns");
        assert_eq!(infra.pillars[0].id, "infrastructure");
        let shop = team_scope(&m, &facts, m.team("shop").unwrap());
        assert!(shop.owns.is_empty() && shop.pillars.is_empty());
        assert_eq!(shop.shares[0].0.id, "pg");
        assert_eq!(shop.shares[0].1, ["schema".to_string()]);
        assert_eq!(shop.consumes[0].id, "pg");
        // The kind's role stands in for the team's own.
        assert_eq!(shop.layers[0].1, "consumes");
    }
}
