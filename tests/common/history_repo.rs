//! A small ownership repository built commit by commit in a temp dir, for
//! the history tests. Files live in a map; every commit writes the whole
//! map as a tree (and to disk, so the work tree matches HEAD).

#![allow(dead_code)]

use git2::{Oid, Repository, Signature, Time};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub struct TestRepo {
    pub dir: tempfile::TempDir,
    pub repo: Repository,
    pub files: BTreeMap<String, String>,
    /// Seconds since the epoch of the next commit; each commit is a day later.
    pub next_time: i64,
    pub head: Option<Oid>,
}

/// 2026-01-01T12:00:00Z
pub const START: i64 = 1_767_268_800;
pub const DAY: i64 = 86_400;

impl TestRepo {
    pub fn new() -> TestRepo {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut opts = git2::RepositoryInitOptions::new();
        opts.initial_head("main");
        let repo = Repository::init_opts(dir.path(), &opts).expect("git init");
        TestRepo {
            dir,
            repo,
            files: BTreeMap::new(),
            next_time: START,
            head: None,
        }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    pub fn write(&mut self, path: &str, text: &str) -> &mut Self {
        self.files.insert(path.to_string(), text.to_string());
        self
    }

    pub fn delete(&mut self, path: &str) -> &mut Self {
        self.files.remove(path);
        let _ = std::fs::remove_file(self.dir.path().join(path));
        self
    }

    /// Replaces `from` with `to` in one file (panics when absent, so a test
    /// cannot silently edit nothing).
    pub fn edit(&mut self, path: &str, from: &str, to: &str) -> &mut Self {
        let text = self
            .files
            .get(path)
            .unwrap_or_else(|| panic!("no file {path}"));
        assert!(text.contains(from), "{path} has no {from:?}");
        let text = text.replacen(from, to, 1);
        self.write(path, &text)
    }

    /// Commits the files on HEAD as "Ann Author", a day after the last commit.
    pub fn commit(&mut self, message: &str) -> Oid {
        let parents: Vec<Oid> = self.head.into_iter().collect();
        let oid = self.commit_with(message, "Ann Author", &parents, true);
        self.head = Some(oid);
        oid
    }

    pub fn commit_by(&mut self, message: &str, author: &str) -> Oid {
        let parents: Vec<Oid> = self.head.into_iter().collect();
        let oid = self.commit_with(message, author, &parents, true);
        self.head = Some(oid);
        oid
    }

    /// A commit with the given parents; `update_head` moves HEAD (main) to it.
    pub fn commit_with(
        &mut self,
        message: &str,
        author: &str,
        parents: &[Oid],
        update_head: bool,
    ) -> Oid {
        let tree = write_tree(&self.repo, &self.files);
        let tree = self.repo.find_tree(tree).unwrap();
        let email = format!(
            "{}@example.test",
            author
                .split_whitespace()
                .next()
                .unwrap_or("x")
                .to_lowercase()
        );
        let sig = Signature::new(author, &email, &Time::new(self.next_time, 0)).unwrap();
        self.next_time += DAY;
        let parents: Vec<git2::Commit> = parents
            .iter()
            .map(|p| self.repo.find_commit(*p).unwrap())
            .collect();
        let refs: Vec<&git2::Commit> = parents.iter().collect();
        let update = if update_head { Some("HEAD") } else { None };
        let oid = self
            .repo
            .commit(update, &sig, &sig, message, &tree, &refs)
            .unwrap();
        if update_head {
            self.sync_disk();
        }
        oid
    }

    /// Writes the files to the work tree (demarc never writes; tests do).
    pub fn sync_disk(&self) {
        for (path, text) in &self.files {
            let target = self.dir.path().join(path);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(target, text).unwrap();
        }
    }

    pub fn time_of(n_days_after_start: i64) -> String {
        let t = chrono::DateTime::from_timestamp(START + n_days_after_start * DAY, 0).unwrap();
        t.format("%Y-%m-%d").to_string()
    }
}

fn write_tree(repo: &Repository, files: &BTreeMap<String, String>) -> Oid {
    let mut here: BTreeMap<&str, &str> = BTreeMap::new();
    let mut subdirs: BTreeMap<&str, BTreeMap<String, String>> = BTreeMap::new();
    for (path, text) in files {
        match path.split_once('/') {
            Some((dir, rest)) => {
                subdirs
                    .entry(dir)
                    .or_default()
                    .insert(rest.to_string(), text.clone());
            }
            None => {
                here.insert(path, text);
            }
        }
    }
    let mut builder = repo.treebuilder(None).unwrap();
    for (name, text) in here {
        builder
            .insert(name, repo.blob(text.as_bytes()).unwrap(), 0o100644)
            .unwrap();
    }
    for (name, sub) in subdirs {
        builder
            .insert(name, write_tree(repo, &sub), 0o040000)
            .unwrap();
    }
    builder.write().unwrap()
}

/// A small valid ownership repository under `prefix` ("" for the root).
pub fn base_files(repo: &mut TestRepo, prefix: &str) {
    let p = |path: &str| format!("{prefix}{path}");
    repo.write(&p("demarc.toml"), "schema = 1\norg = \"Test\"\n");
    for (id, kind) in [
        ("data", "platform"),
        ("infra", "platform"),
        ("sre", "operations"),
        ("checkout", "product"),
        ("search", "product"),
    ] {
        repo.write(
            &p(&format!("teams/{id}.toml")),
            &format!(
                "name = \"Team {id}\"\nkind = \"{kind}\"\nlead = \"Lead {id}\"\n\n[oncall]\nrotation = \"{id}-primary\"\npager = \"pd:{id}\"\nhours = \"business\"\nescalation = [\"{id}-secondary\", \"head\"]\n"
            ),
        );
    }
    repo.write(
        &p("components/data.toml"),
        r#"[[component]]
id = "postgres"
name = "Postgres"
layer = "service"
pillar = "infrastructure"
owner = "data"
tier = 1
consumers = ["checkout"]
reviewed = 2026-01-01

[[component.duty]]
party = "data"
covers = ["backups", "query optimization"]

[[component.duty]]
party = "@consumers"
covers = ["schema"]

[[component]]
id = "kafka"
name = "Kafka"
layer = "service"
pillar = "infrastructure"
owner = "data"
tier = 2
consumers = ["checkout"]
"#,
    );
    repo.write(
        &p("layers.toml"),
        "[[layer]]\nid = \"service\"\nname = \"Service\"\n[layer.roles]\ndata = \"owns\"\n\"@operations\" = \"informs\"\n",
    );
    repo.write(
        &p("pillars.toml"),
        "[[pillar]]\nid = \"infrastructure\"\nname = \"Infrastructure\"\nprimary = [\"infra\"]\nboundary = \"Infrastructure API\"\n[pillar.duties]\ninfra = [\"Automate provisioning\"]\n",
    );
    repo.write(
        &p("scenarios/db.toml"),
        "[[scenario]]\nid = \"slow-db\"\ntitle = \"Slow DB\"\ncomponents = [\"postgres\"]\nfirst = \"@consumers\"\nresolution = \"Apps optimize queries\"\nescalate = \"data\"\n",
    );
    repo.write(
        &p("matrices/raci.toml"),
        "id = \"raci\"\ntitle = \"Incident RACI\"\nparties = [\"sre\", \"data\"]\n[[row]]\nname = \"Declare a SEV1\"\nroles = [\"A\", \"-\"]\n",
    );
}

pub fn exists(path: &Path) -> bool {
    path.exists()
}
