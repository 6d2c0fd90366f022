//! `map::resolve` runs its per-entity passes (components' owners and
//! links, the references behind consumers) over runs of entities on
//! several threads when a catalog is large, and joins what each run found
//! in entity order. Whatever the number of runs, the resolution must be
//! the one a single pass gives: the same parts, teams, ids and
//! contributions, and the same findings in the same order (the order is
//! part of `check`'s output for findings at the same place).
//!
//! Bounded for CI: PROPTEST_CASES (default 256) cases per property.

use demarc::backstage::Version;
use demarc::backstage::entity::CatalogFile;
use demarc::backstage::map::{self, Resolution};
use proptest::prelude::*;

#[path = "common/catalog_seeds.rs"]
mod catalog_seeds;
use catalog_seeds::{SEEDS, entity, mutated_files, picks};

/// A catalog with every finding the mapper makes, many times over and
/// spread across files, so that every run of entities meets some: owners
/// that are Users, missing or not references; dangling and wrongly kinded
/// `system`, `domain`, `dependsOn`, `consumesApis`, `providesApis` and
/// `subcomponentOf`; duplicates, names differing in case, the same names
/// in another namespace; APIs named like Components (suffixed ids, so
/// ids repeat); pagers that disagree; Locations and unknown kinds.
fn messy_catalog() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = SEEDS
        .iter()
        .enumerate()
        .map(|(n, s)| (format!("seeds/{n}.yaml"), s.to_vec()))
        .collect();
    let mut groups = String::new();
    for g in 0..12 {
        let parent = if g > 0 {
            format!("  parent: team-{}\n", (g + 5) % 12)
        } else {
            String::new()
        };
        groups.push_str(&entity(
            "Group",
            &format!("team-{g}"),
            &format!(
                "  annotations:\n    pagerduty.com/service-id: PT{}\nspec:\n  type: team\n{parent}  children: [team-{}]\n  members: [user-{g}, nobody-{g}]\n",
                g % 3,
                (g + 1) % 12
            ),
        ));
        groups.push_str(&entity(
            "User",
            &format!("user-{g}"),
            &format!("spec:\n  memberOf: [team-{g}, ghost-{g}]\n"),
        ));
    }
    files.push(("org/groups.yaml".into(), groups.into_bytes()));
    for f in 0..9 {
        let mut text = String::new();
        for c in 0..60 {
            let n = f * 60 + c;
            let owner = match n % 11 {
                0 => "user:user-1".to_string(),
                1 => "user-2".to_string(),
                2 => format!("nosuch-{n}"),
                3 => "\":bad\"".to_string(),
                4 => "Group:Default/TEAM-3".to_string(),
                5 => "system:sys-1".to_string(),
                _ => format!("team-{}", n % 12),
            };
            let mut spec =
                format!("spec:\n  type: service\n  lifecycle: production\n  owner: {owner}\n");
            if n % 5 == 0 {
                spec.push_str(&format!("  system: sys-{}\n", n % 4));
            }
            if n % 7 == 0 {
                spec.push_str(&format!("  domain: dom-{}\n", n % 3));
            }
            if n % 6 == 1 {
                spec.push_str(&format!(
                    "  dependsOn: [svc-{}, resource:db-{}, nosuch-dep, \"component:x:y\", group:team-1]\n",
                    (n * 7) % 540,
                    n % 20
                ));
            }
            if n % 9 == 2 {
                spec.push_str(&format!(
                    "  consumesApis: [api-{}, api:nosuch, svc-1]\n",
                    n % 15
                ));
            }
            if n % 13 == 3 {
                spec.push_str(&format!("  providesApis: [api-{}, team-2]\n", n % 15));
            }
            if n % 17 == 4 {
                spec.push_str(&format!("  subcomponentOf: svc-{}\n", (n + 3) % 540));
            }
            let meta = if n % 10 == 9 {
                format!(
                    "  annotations:\n    pagerduty.com/service-id: P{}\n    opsgenie.com/team: o{}\n",
                    n % 4,
                    n % 2
                )
            } else {
                String::new()
            };
            text.push_str(&entity(
                "Component",
                &format!("svc-{n}"),
                &format!("{meta}{spec}"),
            ));
            if n % 31 == 0 {
                // Declared again, in another case, in another namespace.
                text.push_str(&entity("Component", &format!("svc-{n}"), &spec));
                text.push_str(&entity("Component", &format!("SVC-{n}"), &spec));
                text.push_str(&entity(
                    "Component",
                    &format!("svc-{n}\n  namespace: other"),
                    &spec,
                ));
            }
            if n % 43 == 0 {
                // An API named like a component: its id takes a suffix.
                text.push_str(&entity(
                    "API",
                    &format!("svc-{n}"),
                    "spec:\n  type: openapi\n  owner: team-4\n",
                ));
            }
        }
        files.push((format!("comp/{f}.yaml"), text.into_bytes()));
    }
    let mut rest = String::new();
    for n in 0..20 {
        rest.push_str(&entity(
            "Resource",
            &format!("db-{n}"),
            &format!(
                "spec:\n  type: database\n  owner: team-{}\n  system: sys-{}\n",
                n % 12,
                n % 5
            ),
        ));
    }
    for n in 0..15 {
        rest.push_str(&entity(
            "API",
            &format!("api-{n}"),
            &format!("spec:\n  type: openapi\n  owner: team-{}\n", n % 12),
        ));
    }
    for n in 0..4 {
        rest.push_str(&entity(
            "System",
            &format!("sys-{n}"),
            &format!("spec:\n  owner: team-{n}\n  domain: dom-{}\n", n % 2),
        ));
    }
    for n in 0..2 {
        rest.push_str(&entity(
            "Domain",
            &format!("dom-{n}"),
            "spec:\n  owner: team-0\n",
        ));
    }
    rest.push_str(&entity(
        "Component",
        "ownerless",
        "spec:\n  type: service\n",
    ));
    rest.push_str(&entity("Location", "loc", "spec:\n  targets: [a.yaml]\n"));
    rest.push_str(&entity("Widget", "w", "spec: {}\n"));
    files.push(("rest.yaml".into(), rest.into_bytes()));
    files
}

/// Everything a resolution holds, the entities by address.
fn same(a: &Resolution, b: &Resolution) -> Result<(), String> {
    let check = |what: &str, equal: bool| {
        if equal {
            Ok(())
        } else {
            Err(format!("{what} differ"))
        }
    };
    check(
        "entities",
        a.entities.len() == b.entities.len()
            && a.entities
                .iter()
                .zip(&b.entities)
                .all(|(x, y)| std::ptr::eq(*x, *y)),
    )?;
    check("origins", a.origins == b.origins)?;
    check("components", a.components == b.components)?;
    check("teams", a.teams == b.teams)?;
    check("kept", a.kept == b.kept)?;
    check("ids", a.ids == b.ids)?;
    check("contributions", a.contributions == b.contributions)?;
    if a.diagnostics != b.diagnostics {
        let at = a
            .diagnostics
            .iter()
            .zip(&b.diagnostics)
            .position(|(x, y)| x != y)
            .unwrap_or(a.diagnostics.len().min(b.diagnostics.len()));
        return Err(format!(
            "findings differ from #{at} ({} against {})",
            a.diagnostics.len(),
            b.diagnostics.len()
        ));
    }
    Ok(())
}

/// Resolves the files in one pass and in each number of runs given.
fn agree(files: &[(String, Vec<u8>)], runs: &[usize]) -> Result<usize, String> {
    let version = Version::read(files.iter().map(|(p, b)| (p.as_str(), b.as_slice())));
    let mapping = version.mapping(&mut Vec::new());
    let catalog: Vec<&CatalogFile> = version.catalog().map(|f| f.as_ref()).collect();
    let one = map::resolve_in_parts(&catalog, &mapping, 1);
    for &parts in runs {
        let many = map::resolve_in_parts(&catalog, &mapping, parts);
        same(&one, &many).map_err(|e| format!("{parts} runs: {e}"))?;
    }
    // What a load and history call, whatever number of runs they choose.
    same(&one, &map::resolve(&catalog, &mapping)).map_err(|e| format!("resolve: {e}"))?;
    Ok(one.diagnostics.len())
}

#[test]
fn runs_on_threads_resolve_as_one_pass_on_a_messy_catalog() {
    let files = messy_catalog();
    let found = agree(&files, &[2, 3, 4, 7, 64, 10_000]).unwrap();
    // The catalog must hold findings of every pass for the order to be
    // tested at all.
    let version = Version::read(files.iter().map(|(p, b)| (p.as_str(), b.as_slice())));
    let (_, diagnostics) = version.map();
    for code in [
        "dangling_reference",
        "owner_is_user",
        "duplicate_entity",
        "near_duplicate",
        "same_name",
        "pager_disagrees",
        "group_tree",
        "location_entity",
        "unknown_entity_kind",
        "missing_owner",
    ] {
        assert!(
            diagnostics.iter().any(|d| d.code == code),
            "the messy catalog has no `{code}` finding"
        );
    }
    assert!(found > 300, "only {found} findings");
}

proptest! {
    #[test]
    fn runs_on_threads_resolve_as_one_pass_on_mutated_files(
        picks in picks(6),
        runs in 2usize..9,
    ) {
        let files = mutated_files(picks);
        if let Err(e) = agree(&files, &[runs]) {
            return Err(TestCaseError::fail(e));
        }
    }
}
