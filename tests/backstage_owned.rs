//! A load maps a catalog in place (`Version::map_owned`: components take
//! their entities' strings); history maps shared files (`Version::map`).
//! Both must give the same model and findings, whatever the catalog:
//! mutated corpus files over several paths, and generated catalogs that
//! use every field a component is built from. Also the keys the reader
//! now builds without `EntityRef` (`refs::ref_key`, `refs::key`,
//! `refs::lower`) against the way they were built before.
//!
//! Bounded for CI: PROPTEST_CASES (default 256) cases per property.

use demarc::backstage::Version;
use demarc::backstage::refs::{self, EntityRef};
use demarc::model::{Diagnostic, Model};
use proptest::prelude::*;

#[path = "common/catalog_seeds.rs"]
mod catalog_seeds;
use catalog_seeds::{entity, mutated_files, picks};

/// Both mappings of the same files, each from its own reading.
type Mapped = (Model, Vec<Diagnostic>);

fn both(files: &[(String, Vec<u8>)]) -> (Mapped, Mapped) {
    let pairs = || files.iter().map(|(p, b)| (p.as_str(), b.as_slice()));
    let shared = Version::read(pairs()).map();
    let owned = Version::read(pairs()).map_owned();
    (shared, owned)
}

proptest! {
    #[test]
    fn mapping_in_place_agrees_on_mutated_files(
        picks in picks(5),
    ) {
        let files = mutated_files(picks);
        let (shared, owned) = both(&files);
        prop_assert_eq!(shared, owned);
    }

    #[test]
    fn mapping_in_place_agrees_on_generated_catalogs(
        groups in proptest::collection::btree_set("[a-z][a-z0-9-]{0,5}", 1..4),
        components in proptest::collection::vec(
            (
                "[a-zA-Z][a-z0-9-]{0,5}",
                0..5usize,
                any::<prop::sample::Index>(),
                proptest::option::of("[A-Za-z ]{1,8}"),
                proptest::collection::vec("[a-z:0-9-]{1,6}", 0..3),
                proptest::option::of(("[A-Za-z ]{0,10}", "[a-z]{1,6}")),
                proptest::option::of("[a-zA-Z]{1,6}"),
                (any::<bool>(), any::<bool>(), any::<bool>()),
            ),
            1..12,
        ),
        files in 1..4usize,
    ) {
        let groups: Vec<String> = groups.into_iter().collect();
        let kinds = ["Component", "Resource", "API", "System", "Domain"];
        let mut texts = vec![String::new(); files];
        for g in &groups {
            texts[0].push_str(&entity("Group", g, "  annotations:\n    pagerduty.com/service-id: P1\nspec:\n  type: team\n"));
        }
        for (n, (name, kind, owner, title, tags, link, ty, (lifecycle, system, depends))) in components.iter().enumerate() {
            let mut meta = String::new();
            if let Some(t) = title {
                meta.push_str(&format!("  title: '{t}'\n"));
            }
            if !tags.is_empty() {
                meta.push_str(&format!("  tags: [{}]\n", tags.join(", ")));
            }
            if let Some((label, url)) = link {
                meta.push_str(&format!("  links:\n    - url: https://{url}\n      title: '{label}'\n"));
            }
            meta.push_str(&format!("  annotations:\n    pagerduty.com/service-id: P{}\n", n % 3));
            let mut spec = format!("spec:\n  owner: {}\n", owner.get(&groups));
            if let Some(t) = ty {
                spec.push_str(&format!("  type: {t}\n"));
            }
            if *lifecycle {
                spec.push_str("  lifecycle: production\n");
            }
            if *system {
                spec.push_str("  system: sys\n");
            }
            if *depends && n > 0 {
                spec.push_str(&format!("  dependsOn: ['component:{}']\n", components[n - 1].0));
            }
            texts[n % files].push_str(&entity(kinds[*kind], name, &format!("{meta}{spec}")));
        }
        let files: Vec<(String, Vec<u8>)> = texts
            .into_iter()
            .enumerate()
            .map(|(n, t)| (format!("{}/catalog-info.yaml", ["m", "b", "x"][n]), t.into_bytes()))
            .collect();
        let (shared, owned) = both(&files);
        prop_assert_eq!(shared, owned);
    }

    #[test]
    fn reference_keys_are_built_as_before(
        text in "[A-Za-zΣσςİK:/ -]{0,12}",
        kind in proptest::option::of("[A-Za-zΣ]{0,5}"),
        ns in "[A-Za-zΣ-]{0,5}",
    ) {
        let before = EntityRef::parse(&text, kind.as_deref(), &ns)
            .filter(EntityRef::has_kind)
            .map(|r| format!("{}:{}/{}", r.kind, r.namespace, r.name).to_lowercase());
        prop_assert_eq!(refs::ref_key(&text, kind.as_deref(), &ns), before);
        prop_assert_eq!(refs::lower(&text), text.to_lowercase());
        let k = kind.unwrap_or_default();
        prop_assert_eq!(refs::key(&k, &ns, &text), format!("{k}:{ns}/{text}").to_lowercase());
    }
}

/// The demo catalog, file by file as a load reads it.
#[test]
fn mapping_in_place_agrees_on_the_demo_catalog() {
    let dir = tempfile::tempdir().unwrap();
    demarc::backstage::sample::build(dir.path()).unwrap();
    let mut files = Vec::new();
    let mut stack = vec![dir.path().to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                if !p.ends_with(".git") {
                    stack.push(p);
                }
            } else if p.extension().is_some_and(|x| x == "yaml") {
                let rel = p
                    .strip_prefix(dir.path())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    assert!(files.len() > 3, "the demo catalog has files: {files:?}");
    let (shared, owned) = both(&files);
    assert_eq!(shared, owned);
}
