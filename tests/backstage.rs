//! A Backstage catalog as the data: real git repositories of catalog YAML
//! built in temp dirs, read through the library and the real binary. Every
//! mapping rule, every messy case, history across an owner change and a
//! file move, --at before and after, and import then check.

#[path = "common/history_repo.rs"]
mod history_repo;

use demarc::backstage::DataSource;
use demarc::history::{self, ChangeKind, WalkOptions};
use demarc::repo::{self, Loaded, Repo, Source};
use history_repo::TestRepo;
use std::path::Path;
use std::process::{Command, Output};

const ORG: &str = "\
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: acme
spec:
  type: organization
  children: [platform, payments]
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: platform
  title: Platform Title
  description: Clusters and databases
spec:
  type: team
  profile:
    displayName: Platform Engineering
    email: platform@acme.test
  parent: acme
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: payments
  title: Payments Team
spec:
  type: team
  parent: acme
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: ana
spec:
  profile:
    displayName: Ana Souza
  memberOf: [payments]
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: guest
spec:
  memberOf: []
";

const SERVICES: &str = "\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: checkout
  tags: [java, tier-1]
  annotations:
    pagerduty.com/service-id: PPAY
spec:
  type: service
  lifecycle: production
  owner: payments
  system: shop
  providesApis: [checkout-api]
  dependsOn: ['resource:orders-db']
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: checkout-api
spec:
  type: openapi
  lifecycle: production
  owner: payments
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: orders-db
  annotations:
    opsgenie.com/team: platform-oncall
spec:
  type: database
  owner: group:default/platform
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: shop
spec:
  owner: payments
  domain: commerce
---
apiVersion: backstage.io/v1alpha1
kind: Domain
metadata:
  name: commerce
spec:
  owner: payments
";

fn catalog() -> TestRepo {
    let mut repo = TestRepo::new();
    repo.write("catalog/org.yaml", ORG)
        .write("catalog/deep/er/services.yaml", SERVICES)
        .write("README.md", "not data\n")
        .write(".github/workflows/ci.yml", "on: push\n");
    repo
}

fn open(path: &Path) -> Repo {
    Repo::open(path, None).expect("open")
}

fn load(path: &Path) -> Loaded {
    repo::load(&open(path), &Source::WorkTree).expect("load")
}

fn codes(loaded: &Loaded) -> Vec<(&'static str, String)> {
    loaded
        .diagnostics
        .iter()
        .map(|d| (d.code, d.location.to_string()))
        .collect()
}

fn run(cwd: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_demarc"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run demarc");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while child.try_wait().expect("wait").is_none() {
        assert!(std::time::Instant::now() < deadline, "demarc {args:?} hung");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn a_folder_of_catalog_yaml_is_found_to_be_a_catalog() {
    let mut repo = catalog();
    repo.commit("catalog");
    assert_eq!(open(&repo.path()).source(), DataSource::Backstage);
    let loaded = load(&repo.path());
    assert_eq!(loaded.errors(), 0, "{:?}", codes(&loaded));
    assert!(loaded.model.settings.org.contains("Backstage catalog"));
    // Only YAML and demarc.toml are read; a CI workflow is YAML but not ours.
    assert!(
        loaded
            .files
            .iter()
            .all(|f| f.ends_with(".yaml") || f.ends_with(".yml"))
    );
    assert!(
        loaded
            .files
            .contains(&"catalog/deep/er/services.yaml".to_string())
    );
}

#[test]
fn groups_become_teams() {
    let mut repo = catalog();
    repo.commit("catalog");
    let model = load(&repo.path()).model;
    let platform = model.team("platform").unwrap();
    assert_eq!(platform.name, "Platform Engineering", "displayName first");
    assert_eq!(platform.kind, "product", "spec.type team -> product");
    assert_eq!(platform.channel.as_deref(), Some("platform@acme.test"));
    assert!(
        platform
            .description
            .as_deref()
            .unwrap()
            .contains("part of `acme`")
    );
    let payments = model.team("payments").unwrap();
    assert_eq!(payments.name, "Payments Team", "title when no displayName");
    assert_eq!(payments.members, ["Ana Souza"], "members from memberOf");
    let acme = model.team("acme").unwrap();
    assert_eq!(acme.name, "acme", "name when no displayName or title");
    assert_eq!(acme.kind, "other");
}

#[test]
fn components_resources_apis_systems_and_domains_become_components() {
    let mut repo = catalog();
    repo.commit("catalog");
    let model = load(&repo.path()).model;
    let checkout = model.component("checkout").unwrap();
    assert_eq!(checkout.owner, "payments");
    assert_eq!(checkout.tier, Some(1), "tag tier-1 by default");
    assert_eq!(checkout.layer.as_deref(), Some("application"));
    for tag in [
        "java",
        "backstage:component",
        "lifecycle:production",
        "system:shop",
        "domain:commerce",
    ] {
        assert!(checkout.tags.iter().any(|t| t == tag), "{tag}");
    }
    let db = model.component("orders-db").unwrap();
    assert_eq!(db.owner, "platform", "a full reference resolves");
    assert_eq!(db.layer.as_deref(), Some("service"));
    assert_eq!(db.consumers, ["payments"], "dependsOn makes a consumer");
    let shop = model.component("shop").unwrap();
    assert!(shop.tags.iter().any(|t| t == "backstage:system"));
    assert_eq!(shop.owner, "payments");
    assert!(model.component("commerce").is_some());
    assert!(model.component("checkout-api").is_some());
}

#[test]
fn consumers_come_from_consumes_apis_provides_apis_and_subcomponents() {
    let mut repo = catalog();
    repo.write(
        "catalog/web.yaml",
        "apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: web}
spec: {type: website, owner: platform, consumesApis: [checkout-api]}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: checkout-worker}
spec: {type: service, owner: platform, subcomponentOf: checkout}
",
    );
    repo.commit("web");
    let model = load(&repo.path()).model;
    assert_eq!(
        model.component("checkout-api").unwrap().consumers,
        ["platform"]
    );
    assert_eq!(
        model.component("checkout").unwrap().consumers,
        ["platform"],
        "the provider of a consumed API"
    );
    assert_eq!(
        model.component("checkout-worker").unwrap().consumers,
        ["payments"],
        "the parent's owner consumes its subcomponent"
    );
}

#[test]
fn pagers_come_from_annotations_and_disagreement_is_a_finding() {
    let mut repo = catalog();
    repo.commit("catalog");
    let loaded = load(&repo.path());
    let pager = |id: &str| {
        loaded
            .model
            .team(id)
            .and_then(|t| t.oncall.as_ref())
            .and_then(|o| o.pager.clone())
    };
    assert_eq!(pager("payments").as_deref(), Some("pagerduty:PPAY"));
    assert_eq!(
        pager("platform").as_deref(),
        Some("opsgenie:platform-oncall")
    );
    repo.edit(
        "catalog/deep/er/services.yaml",
        "  name: checkout-api\n",
        "  name: checkout-api\n  annotations:\n    pagerduty.com/service-id: POTHER\n",
    );
    repo.commit("disagree");
    let loaded = load(&repo.path());
    let d = loaded
        .diagnostics
        .iter()
        .find(|d| d.code == "pager_disagrees")
        .expect("a finding");
    assert_eq!(d.location.file, "catalog/org.yaml");
    assert!(d.message.contains("PPAY") && d.message.contains("POTHER"));
    assert_eq!(
        loaded.model.team("payments").unwrap().oncall,
        None,
        "no pager is guessed"
    );
}

#[test]
fn the_demarc_toml_mapping_sets_tier_layer_and_team_kind() {
    let mut repo = catalog();
    repo.write(
        "demarc.toml",
        "schema = 1\nsource = \"backstage\"\norg = \"Acme\"\n[backstage]\ntier = \"annotation:acme.com/tier\"\nlayer = { service = \"service\" }\nteam_kind = { organization = \"leadership\" }\n[backstage.team_kinds]\nplatform = \"platform\"\n",
    )
    .edit(
        "catalog/deep/er/services.yaml",
        "    opsgenie.com/team: platform-oncall\n",
        "    opsgenie.com/team: platform-oncall\n    acme.com/tier: \"2\"\n",
    );
    repo.commit("mapping");
    let loaded = load(&repo.path());
    assert_eq!(loaded.model.settings.org, "Acme · Backstage catalog");
    assert_eq!(loaded.model.component("orders-db").unwrap().tier, Some(2));
    assert_eq!(
        loaded.model.component("checkout").unwrap().tier,
        None,
        "tags no longer count"
    );
    assert_eq!(
        loaded.model.component("checkout").unwrap().layer.as_deref(),
        Some("service")
    );
    assert_eq!(loaded.model.team("acme").unwrap().kind, "leadership");
    assert_eq!(loaded.model.team("platform").unwrap().kind, "platform");
}

#[test]
fn a_messy_catalog_gives_findings_with_file_and_line_and_loads_the_rest() {
    let mut repo = catalog();
    repo.write(
        "messy.yaml",
        "apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: proto}
spec:
  type: service
  owner: guest
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: proto2}
spec:
  type: service
  owner: user:guest
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: orphan}
spec:
  owner: nobody
  dependsOn: ['component:ghost']
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: Checkout}
spec: {owner: payments}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: checkout, namespace: other}
spec: {owner: payments}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: checkout-api}
spec: {owner: payments}
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: stray}
spec: {type: team, parent: platform, children: [payments]}
---
apiVersion: backstage.io/v1alpha1
kind: Location
metadata: {name: more}
spec: {targets: [./elsewhere.yaml]}
---
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: {name: new-service}
spec: {}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: unowned}
spec: {type: service}
",
    );
    repo.commit("messy");
    let loaded = load(&repo.path());
    let found = codes(&loaded);
    let has = |code: &str, at: &str| {
        assert!(
            found.iter().any(|(c, l)| *c == code && l == at),
            "{code} at {at} in {found:#?}"
        )
    };
    has("owner_is_user", "messy.yaml:6:10");
    has("owner_is_user", "messy.yaml:13:10");
    has("dangling_reference", "messy.yaml:19:10");
    has("dangling_reference", "messy.yaml:20:15");
    has("near_duplicate", "messy.yaml:22:1");
    has("near_duplicate", "messy.yaml:27:1");
    // The Component claims the name; the API declared first is renamed.
    has("same_name", "catalog/deep/er/services.yaml:16:1");
    has("group_tree", "messy.yaml:40:49");
    // A reference without a namespace means the referring entity's own:
    // `payments` from namespace `other` is group:other/payments.
    has("dangling_reference", "messy.yaml:30:15");
    has("location_entity", "messy.yaml:42:1");
    has("unknown_entity_kind", "messy.yaml:47:1");
    has("missing_owner", "messy.yaml:52:1");
    // Everything else still loads.
    let model = &loaded.model;
    assert_eq!(model.component("proto").unwrap().owner, "user:guest");
    assert_eq!(model.component("proto2").unwrap().owner, "user:guest");
    assert!(
        model.component("checkout-api-api").is_some(),
        "the clash is renamed"
    );
    assert!(model.component("other/checkout").is_some());
    assert_eq!(
        model.component("checkout").unwrap().owner,
        "payments",
        "the first is kept"
    );
    assert!(model.team("stray").is_some());
    assert!(model.component("new-service").is_none());
    assert!(model.component("orders-db").is_some());
}

#[test]
fn hostile_yaml_is_a_finding_and_the_rest_loads() {
    let mut repo = catalog();
    let mut bomb = String::from(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: bomb}\nspec:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for i in 1..25 {
        let p = i - 1;
        bomb.push_str(&format!(
            "  a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    repo.write("bomb.yaml", &bomb);
    let deep: String = "apiVersion: backstage.io/v1alpha1\nkind: Component\nspec: ".to_string()
        + &"[".repeat(100_000);
    repo.write("deep.yaml", &deep);
    repo.commit("hostile");
    std::fs::write(
        repo.path().join("latin1.yaml"),
        b"apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: caf\xe9}\n",
    )
    .unwrap();
    let loaded = load(&repo.path());
    let parse: Vec<&str> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == "parse")
        .map(|d| d.location.file.as_str())
        .collect();
    assert_eq!(parse, ["bomb.yaml", "deep.yaml", "latin1.yaml"]);
    assert!(
        loaded
            .diagnostics
            .iter()
            .all(|d| d.code != "parse" || d.location.line.is_some())
    );
    assert!(loaded.model.component("checkout").is_some());
}

/// Builds: catalog; owner change (orders-db platform -> payments); the
/// services file moved to another folder; a consumer and a pager change.
fn history_repo() -> (TestRepo, Vec<git2::Oid>) {
    let mut repo = catalog();
    let mut commits = vec![repo.commit_by("Add the catalog", "Priya")];
    repo.edit(
        "catalog/deep/er/services.yaml",
        "  owner: group:default/platform",
        "  owner: payments",
    );
    commits.push(repo.commit_by("payments owns orders-db", "Marco"));
    let text = repo.files["catalog/deep/er/services.yaml"].clone();
    repo.delete("catalog/deep/er/services.yaml")
        .write("teams/payments/catalog-info.yaml", &text);
    commits.push(repo.commit_by("One file per team", "Priya"));
    repo.edit(
        "teams/payments/catalog-info.yaml",
        "    pagerduty.com/service-id: PPAY",
        "    pagerduty.com/service-id: PPAY2",
    )
    .edit(
        "teams/payments/catalog-info.yaml",
        "  owner: payments\n---\napiVersion: backstage.io/v1alpha1\nkind: Resource",
        "  owner: payments\n---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: reports}\nspec: {owner: platform, consumesApis: [checkout-api]}\n---\napiVersion: backstage.io/v1alpha1\nkind: Resource",
    );
    commits.push(repo.commit_by("Reports use checkout; new pager", "Lena"));
    (repo, commits)
}

#[test]
fn history_sees_owner_changes_not_file_moves() {
    let (repo, _) = history_repo();
    let r = open(&repo.path());
    let (entries, _) = history::collect(&r, WalkOptions::default()).unwrap();
    let messages: Vec<&str> = entries.iter().map(|e| e.commit.summary()).collect();
    assert_eq!(
        messages,
        [
            "Reports use checkout; new pager",
            "One file per team",
            "payments owns orders-db",
            "Add the catalog"
        ]
    );
    let moved = &entries[1];
    assert!(
        moved.changes.is_empty(),
        "a move is no change: {:?}",
        moved.changes
    );
    let owner = &entries[2];
    assert_eq!(owner.commit.author, "Marco");
    let change = owner
        .changes
        .iter()
        .find(|c| c.kind == ChangeKind::OwnerChanged)
        .expect("owner_changed");
    assert_eq!(change.subject.id, "orders-db");
    let latest = &entries[0];
    let kinds: Vec<ChangeKind> = latest.changes.iter().map(|c| c.kind).collect();
    assert!(kinds.contains(&ChangeKind::ComponentAdded), "{kinds:?}");
    assert!(kinds.contains(&ChangeKind::ConsumersChanged), "{kinds:?}");
    assert!(kinds.contains(&ChangeKind::OncallChanged), "{kinds:?}");
    let first = &entries[3];
    assert!(
        first
            .changes
            .iter()
            .any(|c| c.kind == ChangeKind::TeamAdded)
    );
}

#[test]
fn a_broken_commit_is_recorded_and_its_fix_shows_no_phantom_changes() {
    let (mut repo, _) = history_repo();
    let good = repo.files["catalog/org.yaml"].clone();
    repo.write(
        "catalog/org.yaml",
        "apiVersion: backstage.io/v1alpha1\nkind: [\n",
    );
    repo.commit("break");
    repo.write("catalog/org.yaml", &good);
    repo.commit("fix");
    let (entries, _) = history::collect(&open(&repo.path()), WalkOptions::default()).unwrap();
    assert_eq!(entries[0].commit.summary(), "fix");
    assert!(entries[0].changes.is_empty(), "{:?}", entries[0].changes);
    assert!(entries[1].is_broken());
    assert_eq!(
        entries[1].broken.as_ref().unwrap().location.file,
        "catalog/org.yaml"
    );
}

#[test]
fn at_and_rev_read_the_catalog_as_it_was() {
    let (repo, commits) = history_repo();
    let r = open(&repo.path());
    let before = repo::load(&r, &Source::Rev(commits[0].to_string())).unwrap();
    assert_eq!(
        before.model.component("orders-db").unwrap().owner,
        "platform"
    );
    let after = repo::load(
        &r,
        &Source::At(repo::When::parse(&TestRepo::time_of(1)).unwrap()),
    )
    .unwrap();
    assert_eq!(
        after.model.component("orders-db").unwrap().owner,
        "payments"
    );
    let out = run(
        &repo.path(),
        &["--at", &TestRepo::time_of(0), "who", "orders-db"],
    );
    assert!(
        stdout(&out).contains("Owner      platform"),
        "{}",
        stdout(&out)
    );
    let out = run(&repo.path(), &["who", "orders-db"]);
    assert!(
        stdout(&out).contains("Owner      payments"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn every_command_works_on_a_catalog() {
    let (repo, commits) = history_repo();
    let p = repo.path();
    let out = run(&p, &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let out = run(&p, &["history", "--component", "orders-db"]);
    assert!(
        stdout(&out).contains("orders-db: owner platform → payments"),
        "{}",
        stdout(&out)
    );
    let out = run(&p, &["diff", &commits[0].to_string()]);
    assert!(
        stdout(&out).contains("orders-db: owner platform → payments"),
        "{}",
        stdout(&out)
    );
    // "Owner since" comes from the walk of mapped versions.
    let out = run(&p, &["who", "orders-db", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let since = &json["matches"][0]["owner_since"];
    assert_eq!(since["author"], "Marco", "{json}");
    let out = run(&p, &["search", "commerce", "--json"]);
    assert!(stdout(&out).contains("\"commerce\""), "{}", stdout(&out));
    let out = run(&p, &["history", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["commits"].as_array().map(Vec::len), Some(4));
}

#[test]
fn source_backstage_forces_the_catalog_reader() {
    let mut repo = catalog();
    // A demarc.toml that does not say `source = "backstage"`.
    repo.write("demarc.toml", "schema = 1\norg = \"X\"\n");
    repo.commit("catalog");
    let p = repo.path();
    let out = run(&p, &["who", "orders-db"]);
    assert!(
        !stdout(&out).contains("Owner      platform"),
        "read as TOML: no such component"
    );
    let out = run(&p, &["--source", "backstage", "who", "orders-db"]);
    assert!(
        stdout(&out).contains("Owner      platform"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn import_writes_a_native_repository_that_checks_and_is_deterministic() {
    let (repo, _) = history_repo();
    let out_dir = tempfile::tempdir().unwrap();
    let a = out_dir.path().join("a");
    let b = out_dir.path().join("b");
    let before = std::fs::read_dir(repo.path()).unwrap().count();
    let out = run(
        &repo.path(),
        &["import", "backstage", "--out", a.to_str().unwrap()],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout(&out).contains("Not mapped"), "{}", stdout(&out));
    assert!(stdout(&out).contains("System `shop`"), "{}", stdout(&out));
    let src = repo.path();
    let out = run(
        out_dir.path(),
        &[
            "import",
            "backstage",
            src.to_str().unwrap(),
            "--out",
            b.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_dir(repo.path()).unwrap().count(),
        before,
        "the source is untouched"
    );
    for entry in walk(&a) {
        let rel = entry.strip_prefix(&a).unwrap();
        assert_eq!(
            std::fs::read(&entry).unwrap(),
            std::fs::read(b.join(rel)).unwrap(),
            "{rel:?}"
        );
    }
    assert!(a.join("pillars.toml").is_file() && a.join("layers.toml").is_file());
    let out = run(&a, &["check", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["errors"], 0, "{json}");
    assert_eq!(open(&a).source(), DataSource::Native);
    // Never into the source, never into a folder that is not empty.
    let inside = repo.path().join("native");
    let out = run(
        &repo.path(),
        &["import", "backstage", "--out", inside.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(!inside.exists());
    let out = run(
        &repo.path(),
        &["import", "backstage", "--out", a.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        if entry.path().is_dir() {
            out.extend(walk(&entry.path()));
        } else {
            out.push(entry.path());
        }
    }
    out.sort();
    out
}

#[test]
fn the_sample_catalog_builds_and_tells_its_story() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bs");
    let built = demarc::backstage::sample::build(&out).unwrap();
    assert_eq!(built.commits, 5);
    let r = open(&out);
    assert_eq!(r.source(), DataSource::Backstage);
    let loaded = repo::load(&r, &Source::WorkTree).unwrap();
    assert_eq!(loaded.errors(), 0, "{:?}", codes(&loaded));
    assert_eq!(
        loaded.model.settings.org,
        "Acme Streaming · Backstage catalog"
    );
    for code in ["owner_is_user", "location_entity", "pager_disagrees"] {
        assert!(loaded.diagnostics.iter().any(|d| d.code == code), "{code}");
    }
    let (entries, _) = history::collect(&r, WalkOptions::default()).unwrap();
    assert_eq!(entries.len(), 5);
    let moved = entries
        .iter()
        .find(|e| e.commit.summary() == "One catalog file per team")
        .unwrap();
    assert!(moved.changes.is_empty());
    assert!(entries.iter().any(|e| {
        e.changes
            .iter()
            .any(|c| c.kind == ChangeKind::OwnerChanged && c.subject.id == "payments-db")
    }));
}

#[test]
fn the_generator_writes_the_same_organisation_as_a_catalog() {
    let params = demarc::synth::Params {
        teams: 8,
        components: 120,
        commits: 30,
        data_share: 0.5,
        dir: "ownership".to_string(),
        seed: 5,
        broken_share: 0.0,
    };
    let dir = tempfile::tempdir().unwrap();
    let (toml, yaml) = (dir.path().join("toml"), dir.path().join("yaml"));
    demarc::synth::generate_as(&toml, &params, demarc::synth::Format::Native).unwrap();
    let s = demarc::synth::generate_as(&yaml, &params, demarc::synth::Format::Backstage).unwrap();
    let open_dir = |p: &Path| Repo::open(p, Some("ownership")).unwrap();
    let catalog = open_dir(&yaml);
    assert_eq!(catalog.source(), DataSource::Backstage);
    let a = repo::load(&open_dir(&toml), &Source::WorkTree).unwrap();
    let b = repo::load(&catalog, &Source::WorkTree).unwrap();
    assert_eq!(b.errors(), 0, "{:?}", codes(&b));
    assert_eq!(a.model.components.len(), b.model.components.len());
    for c in &a.model.components {
        let other = b.model.component(&c.id).expect("the same component");
        assert_eq!(other.owner, c.owner, "{}", c.id);
        assert_eq!(other.tier, c.tier, "{}", c.id);
    }
    // The same owner changes, commit by commit (a catalog has no pillars
    // or scenarios, so commits that change only those are not its history).
    let owner_changes = |r: &Repo| -> Vec<(String, String, String)> {
        let (entries, _) = history::collect(r, WalkOptions::default()).unwrap();
        entries
            .iter()
            .flat_map(|e| {
                e.changes
                    .iter()
                    .filter(|c| c.kind == ChangeKind::OwnerChanged)
                    .map(|c| {
                        (
                            e.commit.time.to_rfc3339(),
                            c.subject.id.clone(),
                            format!("{:?}", c.to),
                        )
                    })
            })
            .collect()
    };
    let from_catalog = owner_changes(&catalog);
    assert!(!from_catalog.is_empty());
    assert_eq!(owner_changes(&open_dir(&toml)), from_catalog);
    assert!(s.data_commits > 1);
}

#[test]
fn the_pillars_view_says_a_catalog_has_none_rather_than_blaming_a_file() {
    let catalog = demarc::backstage::Version::read([(
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
