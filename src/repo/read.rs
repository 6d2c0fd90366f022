//! Reading the data folder's files: from disk or from a commit's tree.

use super::open::Repo;
use super::when::parse_when;
use super::{Error, Result, Source};
use crate::model::{Diagnostic, FileKind, Location};
use chrono::{DateTime, FixedOffset, TimeZone};
use git2::{Commit, ObjectType, Oid, Tree};
use std::collections::BTreeMap;
use std::path::Path;

/// Files larger than this are reported and skipped, so one runaway file
/// cannot exhaust memory (see docs/security.md).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitInfo {
    pub id: String,
    pub time: DateTime<FixedOffset>,
    pub author: String,
    pub email: String,
    pub message: String,
}

impl CommitInfo {
    pub fn short_id(&self) -> &str {
        self.id.get(..7).unwrap_or(&self.id)
    }

    pub fn summary(&self) -> &str {
        self.message.lines().next().unwrap_or("")
    }

    pub fn from_commit(commit: &Commit) -> CommitInfo {
        let author = commit.author();
        CommitInfo {
            id: commit.id().to_string(),
            time: git_time(commit.time()),
            author: String::from_utf8_lossy(author.name_bytes()).into_owned(),
            email: String::from_utf8_lossy(author.email_bytes()).into_owned(),
            message: String::from_utf8_lossy(commit.message_bytes())
                .trim_end()
                .to_string(),
        }
    }
}

/// A git time as a chrono time; times out of chrono's range clamp to the epoch.
pub fn git_time(time: git2::Time) -> DateTime<FixedOffset> {
    let offset = FixedOffset::east_opt(time.offset_minutes() * 60)
        .unwrap_or(FixedOffset::east_opt(0).unwrap());
    offset
        .timestamp_opt(time.seconds(), 0)
        .single()
        .unwrap_or_else(|| offset.timestamp_opt(0, 0).unwrap())
}

/// What a snapshot shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The work tree; `dirty` lists data files that differ from HEAD.
    WorkTree { dirty: Vec<String> },
    /// A commit's tree.
    Commit(CommitInfo),
    /// A plain folder without git.
    Folder,
}

#[derive(Debug, Clone)]
pub struct DataFile {
    /// Relative to the data folder, `/`-separated.
    pub path: String,
    pub bytes: Vec<u8>,
    /// The blob id (of the commit, or what git would store for the file).
    pub blob: Option<Oid>,
}

/// The raw files of one version of the data folder.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub origin: Origin,
    pub files: Vec<DataFile>,
    /// What the loader skipped and why (symlinks, oversize files, …).
    pub diagnostics: Vec<Diagnostic>,
}

impl Repo {
    /// Reads the data folder at `source`.
    pub fn snapshot(&self, source: &Source) -> Result<Snapshot> {
        if self.source == crate::backstage::DataSource::Backstage {
            return crate::backstage::files::snapshot(self, source);
        }
        let snapshot = match source {
            Source::WorkTree => match &self.root {
                Some(root) => self.read_work_tree(root)?,
                // A bare repository has no work tree: HEAD is the closest thing.
                None => self.read_commit(&self.resolve_rev("HEAD")?)?,
            },
            Source::Rev(rev) => self.read_commit(&self.resolve_rev(rev)?)?,
            Source::At(when) => self.read_commit(&self.resolve_at(when)?)?,
        };
        if !snapshot.files.iter().any(|f| f.path == "demarc.toml") {
            return Err(self.not_an_ownership_repo(&snapshot.origin));
        }
        Ok(snapshot)
    }

    fn git_or_err(&self) -> Result<&git2::Repository> {
        self.git.as_ref().ok_or_else(|| {
            Error(format!(
                "{} is a plain folder, not a git repository, so it has no history.",
                self.describe()
            ))
        })
    }

    pub fn resolve_rev(&self, rev: &str) -> Result<Commit<'_>> {
        let git = self.git_or_err()?;
        let object = git.revparse_single(rev).map_err(|_| {
            if git.head().is_err() {
                Error(format!(
                    "The repository at {} has no commits yet.",
                    self.describe()
                ))
            } else {
                Error(format!("Unknown revision `{rev}` in {}.", self.describe()))
            }
        })?;
        object.peel_to_commit().map_err(|_| {
            Error(format!(
                "`{rev}` does not name a commit in {}.",
                self.describe()
            ))
        })
    }

    /// The last commit at or before WHEN on HEAD's first-parent line.
    pub fn resolve_at(&self, when: &str) -> Result<Commit<'_>> {
        let time = parse_when(when)?;
        let git = self.git_or_err()?;
        let head = self.resolve_rev("HEAD")?;
        let mut walk = git
            .revwalk()
            .map_err(|e| Error(format!("Cannot walk the history: {}.", e.message())))?;
        walk.push(head.id())
            .and_then(|_| walk.simplify_first_parent())
            .map_err(|e| Error(format!("Cannot walk the history: {}.", e.message())))?;
        let mut oldest: Option<DateTime<FixedOffset>> = None;
        for oid in walk {
            // A missing object ends the line here (a shallow clone's boundary).
            let Ok(oid) = oid else { break };
            let Ok(commit) = git.find_commit(oid) else {
                break;
            };
            let commit_time = git_time(commit.time());
            if commit_time <= time {
                return Ok(commit);
            }
            oldest = Some(commit_time);
        }
        Err(Error(match oldest {
            Some(first) => format!(
                "No commit at or before {when}: the first commit on HEAD is from {}.",
                first.format("%Y-%m-%d %H:%M %:z")
            ),
            None => format!("No commit at or before {when}."),
        }))
    }

    fn not_an_ownership_repo(&self, origin: &Origin) -> Error {
        let at = match origin {
            Origin::Commit(info) => format!(" at commit {}", info.short_id()),
            _ => String::new(),
        };
        let found = self.marker_folders();
        let hint = if found.is_empty() {
            "No folder of it has one either; see docs/format.md to start one.".to_string()
        } else {
            format!(
                "Folders that have one: {}; pick one with --dir.",
                found
                    .iter()
                    .map(|f| if f.is_empty() { "." } else { f })
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        Error(format!(
            "{} has no demarc.toml{at}, so it is not an ownership repository. {hint}",
            self.describe()
        ))
    }

    fn read_work_tree(&self, root: &Path) -> Result<Snapshot> {
        let base = if self.data_dir.is_empty() {
            root.to_path_buf()
        } else {
            root.join(&self.data_dir)
        };
        if !base.is_dir() {
            return Err(Error(format!(
                "The data folder `{}` does not exist in {}.",
                self.data_dir,
                root.display()
            )));
        }
        let mut files = Vec::new();
        let mut diagnostics = Vec::new();
        for top in std::fs::read_dir(&base)
            .map_err(|e| Error(format!("Cannot read {}: {e}.", base.display())))?
            .flatten()
        {
            let name = top.file_name().to_string_lossy().into_owned();
            if FileKind::FOLDERS.contains(&name.as_str()) {
                let Ok(kind) = top.file_type() else { continue };
                if kind.is_symlink() {
                    diagnostics.push(skipped(
                        &name,
                        "is a symbolic link; demarc does not follow links",
                    ));
                    continue;
                }
                if let Ok(entries) = std::fs::read_dir(top.path()) {
                    for entry in entries.flatten() {
                        let rel = format!("{name}/{}", entry.file_name().to_string_lossy());
                        read_disk_file(&entry.path(), rel, &mut files, &mut diagnostics);
                    }
                }
            } else {
                read_disk_file(&top.path(), name, &mut files, &mut diagnostics);
            }
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let origin = match &self.git {
            None => Origin::Folder,
            Some(git) => Origin::WorkTree {
                dirty: self.dirty_files(git, &files),
            },
        };
        Ok(Snapshot {
            origin,
            files,
            diagnostics,
        })
    }

    /// Data files that differ from HEAD, found by hashing in memory (a git
    /// status call could rewrite the index, and demarc never writes).
    fn dirty_files(&self, git: &git2::Repository, files: &[DataFile]) -> Vec<String> {
        let committed: BTreeMap<String, Oid> =
            match git.head().ok().and_then(|h| h.peel_to_tree().ok()) {
                Some(tree) => match self.data_tree(git, &tree) {
                    Some(data) => collect_tree_blobs(git, &data)
                        .into_iter()
                        .map(|(path, oid, _)| (path, oid))
                        .collect(),
                    None => BTreeMap::new(),
                },
                None => BTreeMap::new(),
            };
        let mut dirty: Vec<String> = files
            .iter()
            .filter(|f| committed.get(&f.path) != f.blob.as_ref())
            .map(|f| f.path.clone())
            .collect();
        dirty.extend(
            committed
                .keys()
                .filter(|p| !files.iter().any(|f| &f.path == *p))
                .cloned(),
        );
        dirty.sort();
        dirty
    }

    fn data_tree<'r>(&self, git: &'r git2::Repository, tree: &Tree<'r>) -> Option<Tree<'r>> {
        if self.data_dir.is_empty() {
            return Some(tree.clone());
        }
        let entry = tree.get_path(Path::new(&self.data_dir)).ok()?;
        // A submodule or a file where the data folder should be is not data.
        if entry.kind() != Some(ObjectType::Tree) {
            return None;
        }
        git.find_tree(entry.id()).ok()
    }

    /// Reads the data folder from a commit's tree (never from the work tree).
    pub fn read_commit(&self, commit: &Commit) -> Result<Snapshot> {
        let git = self.git_or_err()?;
        let info = CommitInfo::from_commit(commit);
        let tree = commit.tree().map_err(|e| {
            Error(format!(
                "Cannot read commit {}: {}.",
                info.short_id(),
                e.message()
            ))
        })?;
        let Some(data) = self.data_tree(git, &tree) else {
            return Err(Error(format!(
                "The data folder `{}` is not a folder at commit {} (it is missing, a file or a submodule).",
                self.data_dir,
                info.short_id()
            )));
        };
        let mut files = Vec::new();
        let mut diagnostics = Vec::new();
        for (path, oid, mode) in collect_tree_blobs(git, &data) {
            if mode == i32::from(git2::FileMode::Link) {
                diagnostics.push(skipped(
                    &path,
                    "is a symbolic link; demarc does not follow links",
                ));
                continue;
            }
            if mode == i32::from(git2::FileMode::Commit) {
                diagnostics.push(skipped(
                    &path,
                    "is a submodule; demarc reads only this repository",
                ));
                continue;
            }
            if FileKind::of_path(&path).is_none() {
                diagnostics.push(skipped(&path, "should be a folder of data files"));
                continue;
            }
            match git.find_blob(oid) {
                Ok(blob) if blob.size() as u64 > MAX_FILE_BYTES => {
                    diagnostics.push(too_large(&path, blob.size() as u64))
                }
                Ok(blob) => files.push(DataFile {
                    path,
                    bytes: blob.content().to_vec(),
                    blob: Some(oid),
                }),
                Err(_) => diagnostics.push(Diagnostic::error(
                    "missing_object",
                    Location::file(&path),
                    format!("the file's object {oid} is missing from the repository"),
                )),
            }
        }
        Ok(Snapshot {
            origin: Origin::Commit(info),
            files,
            diagnostics,
        })
    }
}

/// The format's files in a data tree: (path, blob id, file mode), sorted.
pub fn collect_tree_blobs(git: &git2::Repository, data: &Tree) -> Vec<(String, Oid, i32)> {
    let mut out = Vec::new();
    for entry in data.iter() {
        let Ok(name) = entry.name() else { continue };
        if FileKind::FOLDERS.contains(&name) && entry.kind() == Some(ObjectType::Tree) {
            if let Ok(sub) = git.find_tree(entry.id()) {
                for child in sub.iter() {
                    let Ok(child_name) = child.name() else {
                        continue;
                    };
                    let path = format!("{name}/{child_name}");
                    if FileKind::of_path(&path).is_some() {
                        out.push((path, child.id(), child.filemode()));
                    }
                }
            }
        } else if FileKind::of_path(name).is_some() || FileKind::FOLDERS.contains(&name) {
            // A folder of the format that is not a tree (a submodule, a
            // link) is listed so the reader can say it was skipped.
            out.push((name.to_string(), entry.id(), entry.filemode()));
        }
    }
    out.sort();
    out
}

fn skipped(path: &str, why: &str) -> Diagnostic {
    Diagnostic::warning("skipped", Location::file(path), format!("skipped: {why}"))
}

fn too_large(path: &str, size: u64) -> Diagnostic {
    Diagnostic::error(
        "too_large",
        Location::file(path),
        format!(
            "the file is {} MiB; demarc reads files up to {} MiB",
            size / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        ),
    )
}

fn read_disk_file(
    path: &Path,
    rel: String,
    files: &mut Vec<DataFile>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if FileKind::of_path(&rel).is_none() {
        return;
    }
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return;
    };
    if meta.file_type().is_symlink() {
        diagnostics.push(skipped(
            &rel,
            "is a symbolic link; demarc does not follow links",
        ));
    } else if meta.is_dir() {
        diagnostics.push(skipped(&rel, "is a folder, not a file"));
    } else if meta.len() > MAX_FILE_BYTES {
        diagnostics.push(too_large(&rel, meta.len()));
    } else {
        match std::fs::read(path) {
            Ok(bytes) => {
                let blob = Oid::hash_object(ObjectType::Blob, &bytes).ok();
                files.push(DataFile {
                    path: rel,
                    bytes,
                    blob,
                });
            }
            Err(e) => diagnostics.push(Diagnostic::error(
                "unreadable",
                Location::file(&rel),
                format!("cannot read the file: {e}"),
            )),
        }
    }
}
