//! The history walk keeps a catalog's mapping from one version to the next
//! (`backstage::incremental`) and re-maps only what a commit can have
//! changed. These tests hold it to the full mapping: over every commit of
//! a generated catalog history and of the sample catalog, and over random
//! catalogs edited at random, the model it keeps is the one `map::map`
//! gives for the version, and the changes it reports are `diff_models`'.

use demarc::backstage::entity::{CatalogFile, read_file};
use demarc::backstage::files::{data_tree, is_yaml, tree_files};
use demarc::backstage::incremental::{Files, IncrementalMap};
use demarc::backstage::settings;
use demarc::backstage::{Version, map};
use demarc::history::diff_models;
use demarc::model::Model;
use demarc::synth::{self, Format, Params};
use git2::{Oid, Repository};
use proptest::prelude::*;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// The full mapping of a version: what the incremental one must equal.
fn full(files: &Files, settings_bytes: Option<&[u8]>) -> Model {
    let version = Version {
        files: files.values().cloned().collect(),
        settings: settings_bytes.map(<[u8]>::to_vec),
    };
    let mapping = match settings_bytes {
        Some(b) => settings::read(b, &mut Vec::new()),
        None => settings::Mapping::default(),
    };
    let catalog: Vec<&CatalogFile> = version
        .files
        .iter()
        .map(|f| f.as_ref())
        .filter(|f| f.is_catalog)
        .collect();
    let model = map::map(&catalog, &mapping).model;
    assert_eq!(model, version.map().0, "map::map is Version::map's model");
    model
}

/// Every first-parent version of a repository's catalog, newest first,
/// unchanged files sharing one read (as the walk shares them).
fn versions(repo: &Path, data_dir: &str) -> Vec<(Files, Option<Vec<u8>>)> {
    let git = Repository::open(repo).unwrap();
    let mut read: HashMap<Oid, Arc<CatalogFile>> = HashMap::new();
    let mut out = Vec::new();
    let mut commit = Some(git.head().unwrap().peel_to_commit().unwrap());
    while let Some(c) = commit {
        let tree = c.tree().unwrap();
        if let Some(data) = data_tree(&git, data_dir, &tree) {
            let mut files = Files::new();
            let mut settings_bytes = None;
            for (path, blob, _) in tree_files(&git, &data, &mut Vec::new()) {
                let bytes = git.find_blob(blob).unwrap().content().to_vec();
                if path == "demarc.toml" {
                    settings_bytes = Some(bytes);
                } else if is_yaml(&path) {
                    let file = read
                        .entry(blob)
                        .or_insert_with(|| Arc::new(read_file(&path, &bytes)))
                        .clone();
                    files.insert(path, file);
                }
            }
            out.push((files, settings_bytes));
        }
        commit = c.parent(0).ok();
    }
    out
}

/// Steps an incremental mapping through `versions` (in the order given)
/// and checks each step against the full mapping. Returns how many
/// entities were re-mapped and how many a full re-map would have mapped.
fn check_steps(versions: &[(Files, Option<Vec<u8>>)]) -> (usize, usize) {
    let (first, first_settings) = &versions[0];
    let mut inc = IncrementalMap::new(first, first_settings.as_deref());
    let mut before = full(first, first_settings.as_deref());
    assert_eq!(inc.model(), before);
    let start = inc.remapped;
    let mut whole = 0;
    for (n, (files, settings_bytes)) in versions.iter().enumerate().skip(1) {
        if files.values().any(|f| f.parse_error().is_some()) {
            continue; // the walk maps good versions only
        }
        let now = full(files, settings_bytes.as_deref());
        let changes = inc.step(files, settings_bytes.as_deref());
        assert_eq!(inc.model(), now, "the model at version {n}");
        assert_eq!(
            changes,
            diff_models(&now, &before),
            "the changes into version {}",
            n - 1
        );
        whole += files.values().map(|f| f.entities.len()).sum::<usize>();
        before = now;
    }
    (inc.remapped - start, whole)
}

#[test]
fn a_generated_catalog_history_maps_as_a_full_remap_at_every_commit() {
    let tmp = tempfile::tempdir().unwrap();
    let params = Params {
        teams: 12,
        components: 400,
        commits: 120,
        data_share: 0.6,
        dir: "ownership".to_string(),
        seed: 5,
        broken_share: 0.02,
    };
    let summary = synth::generate_as(tmp.path(), &params, Format::Backstage).unwrap();
    let versions = versions(tmp.path(), &summary.dir);
    assert!(versions.len() > 60, "{} versions", versions.len());
    let (remapped, whole) = check_steps(&versions);
    // Incremental means something: far fewer entities than whole re-maps.
    assert!(
        remapped * 4 < whole,
        "re-mapped {remapped} entities where full re-maps map {whole}"
    );
}

#[test]
fn the_sample_catalog_maps_as_a_full_remap_at_every_commit() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("acme");
    demarc::backstage::sample::build(&out).unwrap();
    let versions = versions(&out, "");
    assert!(versions.len() >= 3);
    check_steps(&versions);
    // Forward too (the dashboard's time travel goes both ways).
    let forward: Vec<_> = versions.into_iter().rev().collect();
    check_steps(&forward);
}

// Random catalogs: few names, so duplicates, case variants, same names
// across kinds, dangling and User owners, cycles and pager disagreements
// all come up.

const NAMES: &[&str] = &["a", "b", "c", "A", "d", "guest"];
const KINDS: &[&str] = &[
    "Group",
    "User",
    "Component",
    "Resource",
    "API",
    "System",
    "Domain",
    "Location",
];

fn reference() -> impl Strategy<Value = String> {
    (
        prop::option::of(prop::sample::select(vec![
            "group:",
            "user:",
            "component:",
            "resource:",
            "api:",
            "system:",
        ])),
        prop::option::of(Just("ops/")),
        prop::sample::select(NAMES),
    )
        .prop_map(|(k, ns, n)| format!("{}{}{n}", k.unwrap_or(""), ns.unwrap_or("")))
}

fn refs() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(reference(), 0..3)
}

fn entity() -> impl Strategy<Value = String> {
    (
        prop::sample::select(KINDS),
        prop::sample::select(NAMES),
        prop::option::of(Just("ops")),
        prop::option::of(reference()),
        (refs(), refs(), refs(), refs()),
        (prop::option::of(reference()), prop::option::of(reference())),
        (refs(), refs(), prop::option::of(reference())),
        (
            prop::option::of(prop::sample::select(vec!["P1", "P2"])),
            prop::option::of(prop::sample::select(vec!["service", "database"])),
            prop::option::of(Just("Display")),
        ),
    )
        .prop_map(
            |(
                kind,
                name,
                ns,
                owner,
                (depends, consumes, provides, members),
                (system, domain),
                (member_of, children, parent),
                (pager, spec_type, display),
            )| {
                let mut y = format!(
                    "apiVersion: backstage.io/v1alpha1\nkind: {kind}\nmetadata:\n  name: {name}\n"
                );
                if let Some(ns) = ns {
                    y.push_str(&format!("  namespace: {ns}\n"));
                }
                if let Some(p) = pager {
                    y.push_str(&format!(
                        "  annotations:\n    pagerduty.com/service-id: {p}\n"
                    ));
                }
                y.push_str("spec:\n");
                if let Some(t) = spec_type {
                    y.push_str(&format!("  type: {t}\n"));
                }
                if let Some(d) = display {
                    y.push_str(&format!("  profile:\n    displayName: {d}-{name}\n"));
                }
                let single = |y: &mut String, key: &str, v: &Option<String>| {
                    if let Some(v) = v {
                        y.push_str(&format!("  {key}: '{v}'\n"));
                    }
                };
                let list = |y: &mut String, key: &str, v: &[String]| {
                    if !v.is_empty() {
                        let items: Vec<String> = v.iter().map(|s| format!("'{s}'")).collect();
                        y.push_str(&format!("  {key}: [{}]\n", items.join(", ")));
                    }
                };
                single(&mut y, "owner", &owner);
                single(&mut y, "system", &system);
                single(&mut y, "domain", &domain);
                single(&mut y, "parent", &parent);
                list(&mut y, "dependsOn", &depends);
                list(&mut y, "consumesApis", &consumes);
                list(&mut y, "providesApis", &provides);
                list(&mut y, "members", &members);
                list(&mut y, "memberOf", &member_of);
                list(&mut y, "children", &children);
                y
            },
        )
}

fn file_text() -> impl Strategy<Value = String> {
    prop::collection::vec(entity(), 0..5).prop_map(|docs| docs.join("---\n"))
}

/// An edit: a file (of four) gets new text, or is deleted.
fn edits() -> impl Strategy<Value = Vec<(usize, Option<String>)>> {
    prop::collection::vec((0usize..4, prop::option::of(file_text())), 1..8)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn random_edits_map_as_a_full_remap(
        start in prop::collection::vec(file_text(), 4),
        edits in edits(),
    ) {
        let path = |i: usize| format!("f{i}/catalog-info.yaml");
        let mut files = Files::new();
        for (i, text) in start.iter().enumerate() {
            files.insert(path(i), Arc::new(read_file(&path(i), text.as_bytes())));
        }
        let mut versions = vec![(files.clone(), None)];
        for (i, text) in edits {
            match text {
                Some(t) => {
                    files.insert(path(i), Arc::new(read_file(&path(i), t.as_bytes())));
                }
                None => {
                    files.remove(&path(i));
                }
            }
            versions.push((files.clone(), None));
        }
        check_steps(&versions);
    }
}

#[test]
fn the_pillars_view_says_a_catalog_has_none_rather_than_blaming_a_file() {
    let catalog = Version::read([(
        "catalog-info.yaml",
        &b"apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: a\nspec:\n  type: team\n"[..],
    )])
    .map()
    .0;
    assert!(catalog.pillars.is_empty());
    let said = catalog.no_pillars();
    assert!(said.contains("a Backstage catalog has none"), "{said}");
    assert!(said.contains("demarc import backstage"), "{said}");
    assert!(!said.contains("pillars.toml"), "{said}");
    let native = demarc::model::parse_all([("demarc.toml", &b"schema = 1\norg = \"T\"\n"[..])]).0;
    assert!(native.no_pillars().contains("pillars.toml is missing"));
}
