//! Labels several views share (what a tab derives for itself lives in its
//! own module under `tabs/`); the tests of those derivations on one small
//! model.

use crate::model::{Component, Model, Party};

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

#[cfg(test)]
mod tests {
    use crate::app::tabs::components::{ComponentsTab, SortColumn, component_rows};
    use crate::app::tabs::layers::{matrix_cell, matrix_columns};
    use crate::app::tabs::teams::team_load;
    use crate::model::facts::Facts;
    use crate::model::{Model, parse_all};

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
        let mut st = ComponentsTab::default();
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
        st.filters.kind = None;
        st.text.set("infra");
        assert_eq!(
            component_rows(&m, &st)
                .iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>(),
            ["pg"],
            "the filter in place looks at the owner column too"
        );
    }
}
