//! Finding the repository and its data folder.

use super::{Error, Result};
use git2::Repository;
use std::path::{Path, PathBuf};

/// An opened ownership repository (or a plain folder without git).
pub struct Repo {
    pub(super) git: Option<Repository>,
    /// The work tree's root, or the plain folder; None for a bare repository.
    pub(super) root: Option<PathBuf>,
    /// The data folder, relative to the root, `/`-separated; "" for the root.
    pub(super) data_dir: String,
    /// How the data folder is read: demarc's TOML or a Backstage catalog.
    pub(super) source: crate::backstage::DataSource,
}

impl Repo {
    /// Opens PATH as git does (discovering upward), or as a plain folder.
    /// With `dir`, the data folder is DIR under the repository's root;
    /// without it, PATH itself when it holds a `demarc.toml`, else the root.
    pub fn open(path: &Path, dir: Option<&str>) -> Result<Repo> {
        if !path.exists() {
            return Err(Error(format!("No such path: {}.", path.display())));
        }
        if !path.is_dir() {
            return Err(Error(format!(
                "{} is a file; give the folder of an ownership repository.",
                path.display()
            )));
        }
        let path = path
            .canonicalize()
            .map_err(|e| Error(format!("Cannot read {}: {e}.", path.display())))?;
        let (git, root) = match Repository::discover(&path) {
            Ok(repo) => {
                let root = repo
                    .workdir()
                    .map(|w| w.canonicalize().unwrap_or_else(|_| w.to_path_buf()));
                (Some(repo), root)
            }
            Err(_) => (None, Some(path.clone())),
        };
        let data_dir = match dir {
            Some(dir) => normalize(dir),
            None => match &root {
                Some(root)
                    if path != *root
                        && (path.join("demarc.toml").is_file()
                            || crate::backstage::files::folder_is_catalog(&path)) =>
                {
                    path.strip_prefix(root)
                        .map(|rel| normalize(&rel.to_string_lossy()))
                        .unwrap_or_default()
                }
                _ => String::new(),
            },
        };
        let mut repo = Repo {
            git,
            root,
            data_dir,
            source: crate::backstage::DataSource::Native,
        };
        repo.source = repo.detect_source();
        Ok(repo)
    }

    /// The same repository opened again, for another thread (git2's
    /// `Repository` must not be shared between threads).
    pub fn reopen(&self) -> Result<Repo> {
        let git = match &self.git {
            Some(g) => Some(Repository::open(g.path()).map_err(|e| {
                Error(format!(
                    "Cannot reopen {}: {}.",
                    g.path().display(),
                    e.message()
                ))
            })?),
            None => None,
        };
        Ok(Repo {
            git,
            root: self.root.clone(),
            data_dir: self.data_dir.clone(),
            source: self.source,
        })
    }

    /// How the data folder is read (found at open, or forced).
    pub fn source(&self) -> crate::backstage::DataSource {
        self.source
    }

    /// Forces a reader (`--source backstage`).
    pub fn with_source(mut self, source: crate::backstage::DataSource) -> Repo {
        self.source = source;
        self
    }

    /// A data folder with a demarc.toml that does not say otherwise is
    /// demarc's own format; one without it that holds catalog YAML is a
    /// Backstage catalog.
    fn detect_source(&self) -> crate::backstage::DataSource {
        use crate::backstage::{DataSource, files};
        let catalog = match (&self.root, &self.git) {
            (Some(root), _) => files::folder_is_catalog(&root.join(&self.data_dir)),
            (None, Some(git)) => git
                .head()
                .ok()
                .and_then(|h| h.peel_to_tree().ok())
                .and_then(|t| files::data_tree(git, &self.data_dir, &t))
                .is_some_and(|t| files::tree_is_catalog(git, &t)),
            (None, None) => false,
        };
        if catalog {
            DataSource::Backstage
        } else {
            DataSource::Native
        }
    }

    pub fn git(&self) -> Option<&Repository> {
        self.git.as_ref()
    }

    pub fn root(&self) -> Option<&Path> {
        self.root.as_deref()
    }

    pub fn data_dir(&self) -> &str {
        &self.data_dir
    }

    /// Where the data lives, for messages: the folder on disk, or the
    /// git directory of a bare repository.
    pub fn describe(&self) -> String {
        let base = match (&self.root, &self.git) {
            (Some(root), _) => root.display().to_string(),
            (None, Some(git)) => git.path().display().to_string(),
            (None, None) => String::from("?"),
        };
        if self.data_dir.is_empty() {
            base
        } else {
            format!("{base}/{}", self.data_dir)
        }
    }

    /// Folders of the work tree (or HEAD's tree) that hold a `demarc.toml`,
    /// for the error that says where the data might be.
    pub fn marker_folders(&self) -> Vec<String> {
        let mut found = Vec::new();
        if let Some(root) = &self.root {
            find_markers_on_disk(root, root, 0, &mut found);
        } else if let Some(tree) = self
            .git
            .as_ref()
            .and_then(|g| g.head().ok())
            .and_then(|h| h.peel_to_tree().ok())
        {
            let _ = tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
                if entry.name() == Ok("demarc.toml") {
                    found.push(dir.trim_end_matches('/').to_string());
                }
                git2::TreeWalkResult::Ok
            });
        }
        found.sort();
        found.truncate(20);
        found
    }
}

fn normalize(dir: &str) -> String {
    dir.replace('\\', "/")
        .split('/')
        .filter(|part| !part.is_empty() && *part != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// A bounded walk: a few levels deep, skipping hidden and build folders.
fn find_markers_on_disk(root: &Path, dir: &Path, depth: usize, found: &mut Vec<String>) {
    const SKIP: &[&str] = &["target", "node_modules", "vendor"];
    if depth > 4 || found.len() >= 20 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut dirs = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_file() && name == "demarc.toml" && dir != root {
            let rel = dir.strip_prefix(root).unwrap_or(dir);
            found.push(normalize(&rel.to_string_lossy()));
        } else if kind.is_dir() && !name.starts_with('.') && !SKIP.contains(&name.as_str()) {
            dirs.push(entry.path());
        }
    }
    dirs.sort();
    for d in dirs {
        find_markers_on_disk(root, &d, depth + 1, found);
    }
}
