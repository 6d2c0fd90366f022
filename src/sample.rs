//! The embedded sample ownership repository and `demarc demo`: replays
//! `sample-data/story.toml` into a real git repository with git2.
//!
//! Deterministic: the same files, authors, dates and messages give the same
//! commit ids on every run and machine (no config, no clock is read).

use crate::repo::Error;
use git2::{Oid, Repository, RepositoryInitOptions, Signature, Time};
use include_dir::{Dir, include_dir};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

static SAMPLE: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/sample-data");

#[derive(Deserialize)]
struct Story {
    commit: Vec<StoryCommit>,
}

#[derive(Deserialize)]
struct StoryCommit {
    dir: String,
    author: String,
    email: String,
    date: String,
    message: String,
    #[serde(default)]
    delete: Vec<String>,
}

/// What `build` made, for the summary line.
pub struct Built {
    pub commits: usize,
    pub head: Oid,
}

fn story(sample: &Dir<'static>) -> Result<Story, Error> {
    let text = sample
        .get_file("story.toml")
        .and_then(|f| f.contents_utf8())
        .ok_or_else(|| Error("The embedded sample has no story.toml.".into()))?;
    toml::from_str(text)
        .map_err(|e| Error(format!("The embedded sample's story.toml is invalid: {e}")))
}

/// Overlay files of one commit: repository path -> bytes.
fn overlay(sample: &Dir<'static>, dir: &str) -> Result<Vec<(String, &'static [u8])>, Error> {
    let root = sample
        .get_dir(format!("commits/{dir}"))
        .ok_or_else(|| Error(format!("The embedded sample has no commits/{dir}.")))?;
    let mut out = Vec::new();
    collect(root, &format!("commits/{dir}/"), &mut out);
    Ok(out)
}

fn collect(dir: &Dir<'static>, prefix: &str, out: &mut Vec<(String, &'static [u8])>) {
    for file in dir.files() {
        let path = file.path().to_string_lossy().replace('\\', "/");
        out.push((path.trim_start_matches(prefix).to_string(), file.contents()));
    }
    for sub in dir.dirs() {
        collect(sub, prefix, out);
    }
}

/// Builds the sample repository in `out`, which must be empty or absent.
pub fn build(out: &Path) -> Result<Built, Error> {
    build_from(&SAMPLE, out)
}

/// The sample built in a fresh temporary folder and opened, for tests
/// (keep the folder as long as the repository is used).
#[cfg(test)]
pub fn opened_in_temp() -> (tempfile::TempDir, crate::repo::Repo) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    build(dir.path()).expect("the sample builds");
    let repo = crate::repo::Repo::open(dir.path(), None).expect("the sample opens");
    (dir, repo)
}

/// Builds a repository from an embedded sample folder laid out as
/// sample-data/ is (a story.toml and commits/<dir>/ overlays).
pub fn build_from(sample: &Dir<'static>, out: &Path) -> Result<Built, Error> {
    if out.exists()
        && std::fs::read_dir(out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(Error(format!(
            "{} is not empty; give demo --out a new or empty folder.",
            out.display()
        )));
    }
    let story = story(sample)?;
    let mut opts = RepositoryInitOptions::new();
    opts.initial_head("main");
    let repo = Repository::init_opts(out, &opts).map_err(|e| {
        Error(format!(
            "Cannot create a repository in {}: {}.",
            out.display(),
            e.message()
        ))
    })?;
    let fail = |e: git2::Error| Error(format!("Building the sample failed: {}.", e.message()));
    let mut files: BTreeMap<String, &'static [u8]> = BTreeMap::new();
    let mut parent: Option<Oid> = None;
    for commit in &story.commit {
        for (path, bytes) in overlay(sample, &commit.dir)? {
            files.insert(path, bytes);
        }
        for path in &commit.delete {
            files.remove(path);
        }
        let tree = write_tree(&repo, &files).map_err(fail)?;
        let time = chrono::DateTime::parse_from_rfc3339(&commit.date).map_err(|e| {
            Error(format!(
                "The sample commit {} has a bad date: {e}.",
                commit.dir
            ))
        })?;
        let sig = Signature::new(
            &commit.author,
            &commit.email,
            &Time::new(time.timestamp(), time.offset().local_minus_utc() / 60),
        )
        .map_err(fail)?;
        let tree = repo.find_tree(tree).map_err(fail)?;
        let parents: Vec<git2::Commit> = parent
            .iter()
            .filter_map(|p| repo.find_commit(*p).ok())
            .collect();
        let parent_refs: Vec<&git2::Commit> = parents.iter().collect();
        let message = format!("{}\n", commit.message.trim_end());
        parent = Some(
            repo.commit(Some("HEAD"), &sig, &sig, &message, &tree, &parent_refs)
                .map_err(fail)?,
        );
    }
    let head = parent.ok_or_else(|| Error("The embedded sample has no commits.".into()))?;
    // Check out the last tree so the work tree is clean.
    for (path, bytes) in &files {
        let target = out.join(path);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error(format!("Cannot write {}: {e}.", dir.display())))?;
        }
        std::fs::write(&target, bytes)
            .map_err(|e| Error(format!("Cannot write {}: {e}.", target.display())))?;
    }
    let mut index = repo.index().map_err(fail)?;
    let tree = repo
        .find_commit(head)
        .and_then(|c| c.tree())
        .map_err(fail)?;
    index.read_tree(&tree).map_err(fail)?;
    index.write().map_err(fail)?;
    Ok(Built {
        commits: story.commit.len(),
        head,
    })
}

/// Writes nested trees for a flat path -> bytes map.
fn write_tree(repo: &Repository, files: &BTreeMap<String, &[u8]>) -> Result<Oid, git2::Error> {
    let mut here: BTreeMap<&str, &[u8]> = BTreeMap::new();
    let mut subdirs: BTreeMap<&str, BTreeMap<String, &[u8]>> = BTreeMap::new();
    for (path, bytes) in files {
        match path.split_once('/') {
            Some((dir, rest)) => {
                subdirs
                    .entry(dir)
                    .or_default()
                    .insert(rest.to_string(), bytes);
            }
            None => {
                here.insert(path, bytes);
            }
        }
    }
    let mut builder = repo.treebuilder(None)?;
    for (name, bytes) in here {
        builder.insert(name, repo.blob(bytes)?, 0o100644)?;
    }
    for (name, sub) in subdirs {
        builder.insert(name, write_tree(repo, &sub)?, 0o040000)?;
    }
    builder.write()
}
