//! Properties of the catalog reader: whatever the bytes (seeds from the
//! fuzz corpus, mutated), reading never panics and is deterministic; and
//! for generated catalogs, every component owned by an existing Group is
//! owned by that team, whatever the case and spelling of the reference.
//!
//! Bounded for CI: PROPTEST_CASES (default 256) cases per property.

use demarc::backstage::Version;
use demarc::backstage::refs::EntityRef;
use proptest::prelude::*;

const SEEDS: &[&[u8]] = &[
    include_bytes!("../fuzz/corpus/catalog/org.yaml"),
    include_bytes!("../fuzz/corpus/catalog/payments.yaml"),
    include_bytes!("../fuzz/corpus/catalog/messy.yaml"),
    include_bytes!("../fuzz/corpus/catalog/tags-and-anchors.yaml"),
];

fn read(bytes: &[u8]) -> Version {
    Version::read([("catalog-info.yaml", bytes)])
}

proptest! {
    #[test]
    fn mutated_catalogs_read_without_panic_and_the_same_twice(
        seed in 0..SEEDS.len(),
        edits in proptest::collection::vec((any::<u16>(), any::<u8>()), 0..12),
        cut in any::<u16>(),
    ) {
        let mut bytes = SEEDS[seed].to_vec();
        for (at, byte) in edits {
            let i = at as usize % bytes.len().max(1);
            if i < bytes.len() {
                bytes[i] = byte;
            }
        }
        bytes.truncate(cut as usize % (bytes.len() + 1) + bytes.len() / 2);
        let (a, da) = read(&bytes).map();
        let (b, db) = read(&bytes).map();
        prop_assert_eq!(a, b);
        prop_assert_eq!(da, db);
    }

    #[test]
    fn owners_resolve_whatever_the_spelling(
        groups in proptest::collection::btree_set("[a-z][a-z0-9-]{0,8}", 1..5),
        picks in proptest::collection::vec((any::<prop::sample::Index>(), 0..4u8), 1..6),
    ) {
        let groups: Vec<String> = groups.into_iter().collect();
        let mut yaml = String::new();
        for g in &groups {
            yaml.push_str(&format!(
                "---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: {g}\nspec:\n  type: team\n"
            ));
        }
        let mut expected = Vec::new();
        for (n, (pick, style)) in picks.iter().enumerate() {
            let g = pick.get(&groups);
            let owner = match style {
                0 => g.clone(),
                1 => format!("group:{g}"),
                2 => format!("Group:Default/{}", g.to_uppercase()),
                _ => format!("default/{g}"),
            };
            yaml.push_str(&format!(
                "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: c{n}\nspec:\n  owner: '{owner}'\n"
            ));
            expected.push((format!("c{n}"), g.clone()));
        }
        let (model, _) = read(yaml.as_bytes()).map();
        for (component, team) in expected {
            prop_assert_eq!(&model.component(&component).unwrap().owner, &team);
        }
    }

    #[test]
    fn a_reference_reads_back_as_itself(
        kind in "[A-Za-z]{1,8}",
        ns in "[a-z][a-z0-9-]{0,6}",
        name in "[A-Za-z0-9][A-Za-z0-9._-]{0,10}",
    ) {
        let r = EntityRef::parse(&format!("{kind}:{ns}/{name}"), None, "default").unwrap();
        let again = EntityRef::parse(&r.to_string(), None, "default").unwrap();
        prop_assert_eq!(r.key(), again.key());
        let short = EntityRef::parse(&name, Some(&kind), &ns).unwrap();
        prop_assert_eq!(short.key(), r.key());
    }
}
