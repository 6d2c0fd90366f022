//! Finding the repository and its data folder.

use super::{Error, Result};
use git2::Repository;
use std::path::{Path, PathBuf};

/// A repository to open again (`Repo::reopener`), sendable to the thread
/// that will use it.
#[derive(Debug, Clone)]
pub struct Reopener {
    git_dir: Option<PathBuf>,
    root: Option<PathBuf>,
    data_dir: String,
    not_git: Option<String>,
    source: crate::backstage::DataSource,
}

impl Reopener {
    /// Opens it, as it was first opened (the same work tree and data folder).
    pub fn open(self) -> Result<Repo> {
        let git = match &self.git_dir {
            Some(dir) => {
                super::guard::check_git_dir(dir)?;
                let repo = Repository::open(dir).map_err(|e| {
                    Error(format!("Cannot reopen {}: {}.", dir.display(), e.message()))
                })?;
                // Opened from its git directory, libgit2 guesses the work
                // tree again: keep the one found at first (see `work_tree`).
                if let Some(root) = &self.root
                    && repo.workdir().map(real_path).as_ref() != Some(root)
                {
                    let _ = repo.set_workdir(root, false);
                }
                Some(repo)
            }
            None => None,
        };
        Ok(Repo {
            git,
            root: self.root,
            data_dir: self.data_dir,
            not_git: self.not_git,
            source: self.source,
        })
    }
}

/// An opened ownership repository (or a plain folder without git).
pub struct Repo {
    pub(super) git: Option<Repository>,
    /// The work tree's root, or the plain folder; None for a bare repository.
    pub(super) root: Option<PathBuf>,
    /// The data folder, relative to the root, `/`-separated; "" for the root.
    pub(super) data_dir: String,
    /// Why a folder that looks like a git repository could not be opened
    /// as one (then it is read as a plain folder, without history).
    pub(super) not_git: Option<String>,
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
        // git's own files are looked at before libgit2 reads them.
        let dot_git_folder = super::guard::check_discovered(&path)?;
        super::packs::bound_pack_mappings();
        // git does not re-hash the objects it reads, and demarc only reads:
        // libgit2's SHA-1 (with collision detection) of every object read
        // was a fifth of a long history walk, over half of `who`'s "since"
        // lookups and 15% of `who --at` at 20,000 components. Set here,
        // before any read, for every reader. Process-wide.
        git2::opts::strict_hash_verification(false);
        let mut not_git = None;
        let (git, root) = match Repository::discover(&path) {
            Ok(repo) => {
                let root = work_tree(&repo, dot_git_folder.as_deref());
                (Some(repo), root)
            }
            Err(e) => {
                not_git = why_not_git(&path, &e);
                (None, Some(path.clone()))
            }
        };
        let data_dir = match dir {
            Some(dir) => {
                let data_dir = normalize(dir);
                if Path::new(dir).is_absolute() || data_dir.split('/').any(|p| p == "..") {
                    return Err(Error(format!(
                        "--dir `{dir}` leaves the repository; give a folder inside it, relative to its root."
                    )));
                }
                if let Some(root) = &root {
                    super::read::no_links_in(root, &data_dir)?;
                }
                data_dir
            }
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
            not_git,
            source: crate::backstage::DataSource::Native,
        };
        repo.source = repo.detect_source();
        Ok(repo)
    }

    /// The same repository opened again, for another thread (git2's
    /// `Repository` must not be shared between threads).
    pub fn reopen(&self) -> Result<Repo> {
        self.reopener().open()
    }

    /// What `reopen` needs, without opening anything: taken on one thread
    /// (paths copied, no git work), opened on the thread that uses it.
    pub fn reopener(&self) -> Reopener {
        Reopener {
            git_dir: self.git.as_ref().map(|g| g.path().to_path_buf()),
            root: self.root.clone(),
            data_dir: self.data_dir.clone(),
            not_git: self.not_git.clone(),
            source: self.source,
        }
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

    /// The error for anything that needs history, when there is none.
    pub fn no_history(&self) -> Error {
        match &self.not_git {
            Some(why) => Error(format!(
                "{} looks like a git repository, but it cannot be opened, so it has no history: {why}",
                self.describe()
            )),
            None => Error(format!(
                "{} is a plain folder, not a git repository, so it has no history.",
                self.describe()
            )),
        }
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
            find_markers_in_tree(self.git.as_ref().expect("git"), tree, &mut found);
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

/// The same bounded search in a commit's tree, iterative and a few levels
/// deep: libgit2's own tree walk recurses, and a tree 20,000 levels deep
/// (cheap to make) overflows the stack.
fn find_markers_in_tree(git: &Repository, tree: git2::Tree<'_>, found: &mut Vec<String>) {
    const MAX_DEPTH: usize = 4;
    const MAX_TREES: usize = 10_000;
    let mut stack = vec![(String::new(), tree, 0usize)];
    let mut seen = 0;
    while let Some((dir, tree, depth)) = stack.pop() {
        seen += 1;
        if seen > MAX_TREES || found.len() >= 20 {
            break;
        }
        for entry in tree.iter() {
            let Ok(name) = entry.name() else { continue };
            match entry.kind() {
                Some(git2::ObjectType::Blob) if name == "demarc.toml" => found.push(dir.clone()),
                Some(git2::ObjectType::Tree) if depth < MAX_DEPTH && !name.starts_with('.') => {
                    if let Ok(sub) = git.find_tree(entry.id()) {
                        let path = if dir.is_empty() {
                            name.to_string()
                        } else {
                            format!("{dir}/{name}")
                        };
                        stack.push((path, sub, depth + 1));
                    }
                }
                _ => {}
            }
        }
    }
}

/// The work tree: where the `.git` entry was found, unless the config names
/// one (`core.worktree`). libgit2 takes the folder above the *resolved*
/// git directory, which is wrong when `.git` is a link or a `gitdir:` file
/// (`git clone --separate-git-dir`): every file then looked uncommitted.
/// `set_workdir(.., false)` changes only the opened handle, nothing on disk.
fn work_tree(repo: &Repository, dot_git_folder: Option<&Path>) -> Option<PathBuf> {
    let guessed = repo.workdir().map(real_path)?;
    let Some(folder) = dot_git_folder.map(real_path) else {
        return Some(guessed);
    };
    let configured = repo
        .config()
        .ok()
        .and_then(|c| c.get_path("core.worktree").ok())
        .is_some();
    if configured || folder == guessed {
        return Some(guessed);
    }
    match repo.set_workdir(&folder, false) {
        Ok(()) => Some(folder),
        Err(_) => Some(guessed),
    }
}

/// A path with its links resolved, or as it is when that fails.
fn real_path(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// When discovery failed on something that looks like a repository, why
/// (the plain-folder reading then says so instead of staying silent).
fn why_not_git(path: &Path, error: &git2::Error) -> Option<String> {
    let looks_like_git = path.ancestors().any(|d| {
        std::fs::symlink_metadata(d.join(".git")).is_ok()
            || (d.join("HEAD").is_file() && d.join("objects").is_dir())
    });
    if !looks_like_git {
        return None;
    }
    Some(match error.code() {
        git2::ErrorCode::Owner => format!(
            "it belongs to another user, and git refuses such repositories (\"detected dubious ownership\"; `git config --global --add safe.directory {}` trusts it).",
            path.display()
        ),
        _ => format!(
            "{} (libgit2 reads SHA-1 repositories with loose or packed refs; SHA-256 objects and reftable are not supported).",
            error.message().trim_end_matches('.')
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reopener_taken_here_opens_the_same_repository_on_another_thread() {
        let (_dir, repo) = crate::sample::opened_in_temp();
        let reopener = repo.reopener();
        let (root, data_dir, head) = std::thread::spawn(move || {
            let again = reopener.open().unwrap();
            let head = again.git().unwrap().head().unwrap().target().unwrap();
            (
                again.root().map(Path::to_path_buf),
                again.data_dir().to_string(),
                head,
            )
        })
        .join()
        .unwrap();
        assert_eq!(root.as_deref(), repo.root());
        assert_eq!(data_dir, repo.data_dir());
        assert_eq!(head, repo.git().unwrap().head().unwrap().target().unwrap());
    }

    #[test]
    fn a_plain_folder_reopens_as_a_plain_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("teams.toml"), "").unwrap();
        let repo = Repo::open(dir.path(), None).unwrap();
        assert!(repo.git().is_none());
        let again = repo.reopener().open().unwrap();
        assert!(again.git().is_none());
        assert_eq!(again.root(), repo.root());
    }

    #[test]
    fn a_repository_gone_since_says_so_when_reopened() {
        let (dir, repo) = crate::sample::opened_in_temp();
        let reopener = repo.reopener();
        drop(repo);
        std::fs::remove_dir_all(dir.path().join(".git")).unwrap();
        let Err(Error(message)) = reopener.open() else {
            panic!("a repository without its git folder reopened");
        };
        assert!(message.contains(".git"), "{message}");
    }
}
