//! A catalog's history as the walk computes it (files read once per blob,
//! versions resolved, only the components that differ built and diffed)
//! against the plain definition: every commit's catalog read afresh from
//! its tree, mapped whole, and `diff_models` against the last good version
//! before it. On a repository built by a seeded sequence of messy edits:
//! duplicate entities and names that differ only in case, entities moved
//! between files (which changes which duplicate is kept), broken YAML
//! commits and their fixes, owner, pager, consumer and settings changes.

#[path = "common/history_repo.rs"]
mod history_repo;

use demarc::backstage::{Version, files};
use demarc::history::{self, HistoryEntry, WalkOptions, diff_models};
use demarc::model::Model;
use demarc::repo::{Repo, Source};
use git2::Oid;
use history_repo::TestRepo;

/// SplitMix64: the same edits on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

#[derive(Clone, Debug)]
struct Ent {
    kind: &'static str,
    name: String,
    namespace: Option<&'static str>,
    owner: Option<String>,
    spec_type: &'static str,
    pager: Option<String>,
    depends_on: Vec<String>,
    consumes: Vec<String>,
    provides: Vec<String>,
    system: Option<String>,
    domain: Option<String>,
    sub_of: Option<String>,
    tags: Vec<String>,
    display: Option<String>,
}

impl Ent {
    fn new(kind: &'static str, name: &str) -> Ent {
        Ent {
            kind,
            name: name.to_string(),
            namespace: None,
            owner: None,
            spec_type: "service",
            pager: None,
            depends_on: Vec::new(),
            consumes: Vec::new(),
            provides: Vec::new(),
            system: None,
            domain: None,
            sub_of: None,
            tags: Vec::new(),
            display: None,
        }
    }

    fn yaml(&self) -> String {
        let mut out = format!(
            "apiVersion: backstage.io/v1alpha1\nkind: {}\nmetadata:\n  name: {}\n",
            self.kind, self.name
        );
        if let Some(ns) = self.namespace {
            out.push_str(&format!("  namespace: {ns}\n"));
        }
        if !self.tags.is_empty() {
            out.push_str(&format!("  tags: [{}]\n", self.tags.join(", ")));
        }
        if let Some(p) = &self.pager {
            out.push_str(&format!(
                "  annotations:\n    pagerduty.com/service-id: {p}\n"
            ));
        }
        out.push_str(&format!("spec:\n  type: {}\n", self.spec_type));
        let mut list = |key: &str, items: &[String]| {
            if !items.is_empty() {
                out.push_str(&format!("  {key}: [{}]\n", items.join(", ")));
            }
        };
        list("dependsOn", &self.depends_on);
        list("consumesApis", &self.consumes);
        list("providesApis", &self.provides);
        if let Some(o) = &self.owner {
            out.push_str(&format!("  owner: '{o}'\n"));
        }
        if let Some(s) = &self.system {
            out.push_str(&format!("  system: {s}\n"));
        }
        if let Some(s) = &self.sub_of {
            out.push_str(&format!("  subcomponentOf: {s}\n"));
        }
        if let Some(d) = &self.domain {
            out.push_str(&format!("  domain: {d}\n"));
        }
        if let Some(d) = &self.display {
            out.push_str(&format!("  profile:\n    displayName: {d}\n"));
        }
        out
    }
}

struct Catalog {
    /// path -> entities in document order.
    files: Vec<(String, Vec<Ent>)>,
    broken: Option<String>,
    settings: usize,
}

const GROUPS: &[&str] = &["platform", "payments", "search", "Payments", "data"];
const OWNERS: &[&str] = &[
    "platform",
    "payments",
    "group:default/SEARCH",
    "data",
    "user:guest",
    "guest",
    "nobody",
    "ops/platform",
];
const PATHS: &[&str] = &[
    "catalog-info.yaml",
    "a/services.yaml",
    "b/more.yaml",
    "b/sub/deep.yml",
    "z/last.yaml",
];

impl Catalog {
    fn new() -> Catalog {
        let mut groups: Vec<Ent> = GROUPS[..3]
            .iter()
            .map(|g| {
                let mut e = Ent::new("Group", g);
                e.spec_type = "team";
                e
            })
            .collect();
        groups[0].pager = Some("PPLAT".into());
        let mut ops = Ent::new("Group", "platform");
        ops.namespace = Some("ops");
        ops.spec_type = "team";
        groups.push(ops);
        let mut user = Ent::new("User", "guest");
        user.spec_type = "person";
        groups.push(user);
        let mut member = Ent::new("User", "ann");
        member.spec_type = "person";
        member.depends_on = Vec::new();
        groups.push(member);
        let mut comps = Vec::new();
        for (n, name) in [
            "checkout",
            "orders-db",
            "search-api",
            "ledger",
            "cart",
            "shop",
        ]
        .iter()
        .enumerate()
        {
            let kind = match n {
                1 => "Resource",
                2 => "API",
                5 => "System",
                _ => "Component",
            };
            let mut e = Ent::new(kind, name);
            e.owner = Some(OWNERS[n % 4].to_string());
            e.spec_type = [
                "service", "database", "openapi", "service", "website", "system",
            ][n];
            e.tags = vec![format!("tier-{}", n % 3 + 1)];
            comps.push(e);
        }
        comps[0].depends_on = vec!["resource:orders-db".into()];
        comps[0].consumes = vec!["search-api".into()];
        comps[3].provides = vec!["search-api".into()];
        comps[4].sub_of = Some("checkout".into());
        comps[4].system = Some("shop".into());
        comps[0].pager = Some("PPAY".into());
        comps[3].pager = Some("PPAY2".into());
        comps[5].domain = Some("commerce".into());
        let mut domain = Ent::new("Domain", "commerce");
        domain.owner = Some("platform".into());
        domain.spec_type = "domain";
        comps.push(domain);
        Catalog {
            files: vec![
                (PATHS[0].to_string(), groups),
                (PATHS[1].to_string(), comps),
            ],
            broken: None,
            settings: 0,
        }
    }

    fn write(&self, repo: &mut TestRepo) {
        for p in PATHS {
            repo.delete(p);
        }
        for (path, ents) in &self.files {
            if ents.is_empty() {
                continue;
            }
            let mut text: String = ents.iter().map(|e| format!("---\n{}", e.yaml())).collect();
            if self.broken.as_deref() == Some(path.as_str()) {
                text.push_str("---\nkind: [unclosed\n");
            }
            repo.write(path, &text);
        }
        let layer = ["service", "application", "cloud-foundation"][self.settings % 3];
        repo.write(
            "demarc.toml",
            &format!(
                "schema = 1\nsource = \"backstage\"\n[backstage]\nlayer = {{ website = \"{layer}\" }}\n"
            ),
        );
    }

    fn all(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (f, (_, ents)) in self.files.iter().enumerate() {
            for e in 0..ents.len() {
                out.push((f, e));
            }
        }
        out
    }

    fn file_for(&mut self, rng: &mut Rng) -> usize {
        let path = rng.pick(PATHS).to_string();
        match self.files.iter().position(|(p, _)| *p == path) {
            Some(f) => f,
            None => {
                self.files.push((path, Vec::new()));
                self.files.len() - 1
            }
        }
    }

    /// One messy edit; returns what it did, for the commit message.
    fn edit(&mut self, rng: &mut Rng, serial: usize) -> String {
        let all = self.all();
        let (f, e) = *rng.pick(&all);
        match rng.below(16) {
            0 | 1 => {
                let owner = rng.pick(OWNERS).to_string();
                self.files[f].1[e].owner = Some(owner.clone());
                format!("owner {owner}")
            }
            2 => {
                let ent = self.files[f].1.remove(e);
                let to = self.file_for(rng);
                let at = rng.below(self.files[to].1.len() + 1);
                self.files[to].1.insert(at, ent);
                "move".into()
            }
            3 => {
                let mut ent = self.files[f].1[e].clone();
                if rng.below(2) == 0 {
                    ent.name = ent.name.to_uppercase();
                }
                ent.owner = Some(rng.pick(OWNERS).to_string());
                let to = self.file_for(rng);
                self.files[to].1.push(ent);
                "duplicate".into()
            }
            4 if all.len() > 6 => {
                self.files[f].1.remove(e);
                "delete".into()
            }
            5 => {
                self.files[f].1[e].pager = match rng.below(3) {
                    0 => None,
                    n => Some(format!("P{n}{}", serial % 3)),
                };
                "pager".into()
            }
            6 => {
                let target = match rng.below(4) {
                    0 => "component:checkout",
                    1 => "resource:orders-db",
                    2 => "ledger",
                    _ => "component:nowhere",
                };
                let ent = &mut self.files[f].1[e];
                if ent.depends_on.is_empty() {
                    ent.depends_on.push(target.into());
                } else {
                    ent.depends_on.clear();
                }
                "depends".into()
            }
            7 => {
                self.settings += 1;
                "settings".into()
            }
            8 => {
                let kind = *rng.pick(&["Component", "API", "Resource", "Group", "Location"]);
                let mut ent = Ent::new(kind, &format!("new-{serial}"));
                if rng.below(3) == 0 {
                    ent.name = "checkout".into(); // an API or Resource named like a Component
                }
                ent.owner = Some(rng.pick(OWNERS).to_string());
                ent.consumes = vec!["search-api".into()];
                let to = self.file_for(rng);
                self.files[to].1.push(ent);
                "add".into()
            }
            9 => {
                let ent = &mut self.files[f].1[e];
                ent.tags = vec![format!("tier-{}", serial % 4)];
                ent.spec_type = *rng.pick(&["website", "database", "service", "queue"]);
                "tier and type".into()
            }
            10 | 11 => {
                // Owners move between teams (and to owners that are not
                // teams): consumers and pagers follow.
                let owner = rng.pick(OWNERS).to_string();
                let all = self.all();
                let (g, k) = *rng.pick(&all);
                self.files[f].1[e].owner = Some(owner.clone());
                self.files[g].1[k].owner = Some(rng.pick(OWNERS).to_string());
                format!("owners {owner}")
            }
            12 => {
                let ent = &mut self.files[f].1[e];
                ent.domain = match rng.below(3) {
                    0 => None,
                    1 => Some("commerce".into()),
                    _ => Some("nowhere".into()),
                };
                "domain".into()
            }
            13 => {
                let ent = &mut self.files[f].1[e];
                ent.display = match rng.below(2) {
                    0 => None,
                    _ => Some(format!("Shown {serial}")),
                };
                "display name".into()
            }
            14 => {
                // A name another entity has, in this or another case, or
                // its own back: duplicates and same-name pairs come and go.
                let ent = &mut self.files[f].1[e];
                ent.name = match rng.below(4) {
                    0 => "checkout".into(),
                    1 => "Search-API".into(),
                    2 => "platform".into(),
                    _ => ent.name.to_lowercase(),
                };
                "rename".into()
            }
            _ => {
                // Only the pager of a Group (or a component): a step that
                // changes no entity's place.
                let groups: Vec<(usize, usize)> = self
                    .all()
                    .into_iter()
                    .filter(|&(g, k)| self.files[g].1[k].kind == "Group")
                    .collect();
                let (g, k) = *rng.pick(&groups);
                self.files[g].1[k].pager = Some(format!("PG{}", serial % 5));
                "group pager".into()
            }
        }
    }
}

/// The catalog at a commit, read afresh; None when a file does not parse.
fn fresh(repo: &Repo, commit: Oid) -> Option<Model> {
    let snapshot = files::snapshot(repo, &Source::Rev(commit.to_string())).ok()?;
    let version = Version::read(
        snapshot
            .files
            .iter()
            .map(|f| (f.path.as_str(), f.bytes.as_slice())),
    );
    if version.parse_error().is_some() {
        return None;
    }
    Some(version.map().0)
}

fn expected_changes(repo: &Repo, git: &git2::Repository, entry: &HistoryEntry) -> Vec<String> {
    let id = Oid::from_str(&entry.commit.id).unwrap();
    let new = fresh(repo, id).expect("a good commit reads");
    let mut parent = git.find_commit(id).unwrap().parent_id(0).ok();
    let old = loop {
        match parent {
            None => break Model::default(),
            Some(p) => match fresh(repo, p) {
                Some(model) => break model,
                None => parent = git.find_commit(p).unwrap().parent_id(0).ok(),
            },
        }
    };
    summaries(&diff_models(&old, &new))
}

fn summaries(changes: &[demarc::history::Change]) -> Vec<String> {
    changes.iter().map(|c| format!("{c:?}")).collect()
}

#[test]
fn history_of_a_messy_catalog_equals_diffs_of_whole_fresh_models() {
    let mut patched = 0;
    let mut resolved = 0;
    for seed in [1u64, 7, 42, 3, 99, 2026] {
        let mut rng = Rng(seed);
        let mut repo = TestRepo::new();
        let mut catalog = Catalog::new();
        catalog.write(&mut repo);
        repo.write("README.md", "code\n");
        repo.commit("the catalog");
        let mut broken_commits = 0;
        for serial in 0..60 {
            let message = if catalog.broken.take().is_some() {
                "fix the YAML".to_string()
            } else if rng.below(8) == 0 {
                let all = catalog.all();
                let (f, _) = *rng.pick(&all);
                catalog.broken = Some(catalog.files[f].0.clone());
                broken_commits += 1;
                format!("{} (breaks the YAML)", catalog.edit(&mut rng, serial))
            } else if rng.below(10) == 0 {
                repo.write("README.md", &format!("code {serial}\n"));
                repo.commit("code only");
                continue;
            } else {
                let a = catalog.edit(&mut rng, serial);
                let b = catalog.edit(&mut rng, serial);
                format!("{a}, {b}")
            };
            catalog.write(&mut repo);
            repo.commit(&message);
        }
        let r = Repo::open(&repo.path(), None).unwrap();
        assert_eq!(r.source(), demarc::backstage::DataSource::Backstage);
        let (entries, summary) = history::collect(&r, WalkOptions::default()).unwrap();
        let git = git2::Repository::open(repo.path()).unwrap();
        let mut compared = 0;
        let mut with_changes = 0;
        for entry in &entries {
            if entry.is_broken() {
                assert!(entry.changes.is_empty());
                continue;
            }
            let expected = expected_changes(&r, &git, entry);
            assert_eq!(
                summaries(&entry.changes),
                expected,
                "seed {seed}, commit {}",
                entry.commit.summary()
            );
            compared += 1;
            with_changes += usize::from(!expected.is_empty());
        }
        let broken = entries.iter().filter(|e| e.is_broken()).count();
        assert_eq!(broken, broken_commits, "seed {seed}");
        assert!(
            compared > 35 && with_changes > 25,
            "seed {seed}: {compared} {with_changes}"
        );
        patched += summary.catalog_patched;
        resolved += compared - summary.catalog_patched;
    }
    // Both ways of stepping were compared: patching the newer version,
    // and resolving the older whole.
    assert!(patched > 30 && resolved > 30, "{patched} {resolved}");
}
