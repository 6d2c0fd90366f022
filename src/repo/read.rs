//! Reading the data folder's files: from disk or from a commit's tree.

use super::filters::{Filters, is_lfs_pointer};
use super::open::Repo;
use super::safe_read::{ReadError, read_regular};
use super::when::When;
use super::{Error, Result, Source};
use crate::model::{Diagnostic, FileKind, Location};
use chrono::{DateTime, FixedOffset, TimeZone};
use git2::{Commit, ObjectType, Oid, Tree};
use std::collections::{BTreeMap, HashSet};
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

/// A git time as a chrono time; times out of chrono's range clamp to its
/// first or last moment (not the epoch: a commit from the year 300,000,000
/// must not sort as 1970 and answer `--at`).
pub fn git_time(time: git2::Time) -> DateTime<FixedOffset> {
    let offset = FixedOffset::east_opt(time.offset_minutes() * 60)
        .unwrap_or(FixedOffset::east_opt(0).unwrap());
    offset
        .timestamp_opt(time.seconds(), 0)
        .single()
        .unwrap_or_else(|| {
            let edge = if time.seconds() < 0 {
                DateTime::<chrono::Utc>::MIN_UTC
            } else {
                DateTime::<chrono::Utc>::MAX_UTC
            };
            edge.with_timezone(&FixedOffset::east_opt(0).unwrap())
        })
}

fn short(oid: &Oid) -> String {
    oid.to_string()[..7].to_string()
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
        self.snapshot_taking(source, &mut |_, _| None)
    }

    /// `snapshot`, taking each blob of a commit that `take` hands over
    /// (given the file's path and blob id: bytes whose blob id that is)
    /// instead of reading it from the object database. `who --at` reads
    /// the work tree beside the commit, and most of its files are the
    /// commit's bytes: inflating them again from the packs (and libgit2
    /// re-hashing each) was a fifth of `who --at` at 200,000 components.
    pub fn snapshot_taking(&self, source: &Source, take: &mut TakeBlob) -> Result<Snapshot> {
        if self.source == crate::backstage::DataSource::Backstage {
            return crate::backstage::files::snapshot(self, source);
        }
        let snapshot = match source {
            Source::WorkTree => match &self.root {
                Some(root) => self.read_work_tree(root)?,
                // A bare repository has no work tree: HEAD is the closest thing.
                None => self.read_commit_taking(&self.resolve_rev("HEAD")?, take)?,
            },
            Source::Rev(rev) => self.read_commit_taking(&self.resolve_rev(rev)?, take)?,
            Source::At(when) => {
                let commit = self.resolve_at(when)?;
                let mut snapshot = self.read_commit_taking(&commit, take)?;
                snapshot.diagnostics.extend(self.backdated(&commit, when));
                snapshot
            }
        };
        self.found_marker(snapshot)
    }

    /// The snapshot, or the error saying why its demarc.toml is not there.
    fn found_marker(&self, snapshot: Snapshot) -> Result<Snapshot> {
        if !snapshot.files.iter().any(|f| f.path == "demarc.toml") {
            // There but not read (a FIFO, a link, too large): say that.
            if let Some(d) = snapshot
                .diagnostics
                .iter()
                .find(|d| d.location.file == "demarc.toml")
            {
                return Err(Error(format!(
                    "{}: demarc.toml was not read ({}), so the data cannot load.",
                    self.describe(),
                    d.message.trim_start_matches("skipped: ")
                )));
            }
            return Err(self.not_an_ownership_repo(&snapshot.origin));
        }
        Ok(snapshot)
    }

    fn git_or_err(&self) -> Result<&git2::Repository> {
        self.git.as_ref().ok_or_else(|| self.no_history())
    }

    pub fn resolve_rev(&self, rev: &str) -> Result<Commit<'_>> {
        let git = self.git_or_err()?;
        let object = git.revparse_single(rev).map_err(|_| {
            let named = git
                .resolve_reference_from_short_name(rev)
                .ok()
                .and_then(|r| r.resolve().ok())
                .and_then(|r| r.target());
            if let Some(target) = named {
                // The name is there; the commit it names is not readable.
                let present = git.odb().map(|odb| odb.exists(target)).unwrap_or(false);
                let why = match git.find_object(target, None) {
                    Err(e) if present => format!(
                        "which is corrupt ({})",
                        e.message().trim_end_matches('.')
                    ),
                    _ if present => "which is not a commit".to_string(),
                    _ => "which is missing from the repository".to_string(),
                };
                Error(format!(
                    "`{rev}` names commit {target}, {why}, in {}; history is unreadable from there.",
                    self.describe()
                ))
            } else if git.head().is_err() {
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

    /// The last commit at or before WHEN on HEAD's first-parent line: the
    /// first one, walking back from HEAD, whose commit time is at or before
    /// WHEN (commit times, not author times; see `backdated`).
    pub fn resolve_at(&self, when: &When) -> Result<Commit<'_>> {
        let time = when.time();
        self.git_or_err()?;
        let mut commit = self.resolve_rev("HEAD")?;
        let mut seen = HashSet::new();
        let first = loop {
            if !seen.insert(commit.id()) {
                return Err(crate::history::walk::cycle_error(commit.id()));
            }
            // Raw seconds: a time out of chrono's range still compares.
            if commit.time().seconds() <= time.timestamp() {
                return Ok(commit);
            }
            if commit.parent_count() == 0 {
                // The root, or a shallow clone's boundary.
                break git_time(commit.time());
            }
            commit = match commit.parent(0) {
                Ok(parent) => parent,
                Err(e) => {
                    let parent = commit.parent_id(0).map(|id| id.to_string());
                    return Err(Error(format!(
                        "Commit {}'s parent {} cannot be read ({}): history is unreadable past {}, so there is no answer for {when}.",
                        short(&commit.id()),
                        parent.as_deref().unwrap_or("?"),
                        e.message().trim_end_matches('.'),
                        short(&commit.id())
                    )));
                }
            };
        };
        Err(Error(format!(
            "No commit at or before {when}: the first commit on HEAD is from {}.",
            first.format("%Y-%m-%d %H:%M %:z")
        )))
    }

    /// A warning when the commit `--at` picked is dated before its parent:
    /// the clock went backwards on the first-parent line (a commit made
    /// with a wrong clock), so the answer may be later data than WHEN.
    pub fn backdated(&self, commit: &Commit, when: &When) -> Option<Diagnostic> {
        let parent = commit.parent(0).ok()?;
        if parent.time().seconds() <= commit.time().seconds() {
            return None;
        }
        Some(Diagnostic::warning(
            "backdated",
            Location::file(""),
            format!(
                "--at {when} picked commit {} dated {}, but its parent {} is dated later ({}): commit times go backwards on this line, so this may not be the data as of {when}",
                short(&commit.id()),
                git_time(commit.time()).format("%Y-%m-%d"),
                short(&parent.id()),
                git_time(parent.time()).format("%Y-%m-%d"),
            ),
        ))
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
        no_links_in(root, &self.data_dir)?;
        if !base.is_dir() {
            return Err(Error(format!(
                "The data folder `{}` does not exist in {}.",
                self.data_dir,
                root.display()
            )));
        }
        // The walk lists the files and says what it skips, in walk order;
        // the files are then read and hashed on every core, and their
        // findings put back where the walk met them.
        let mut walk = Vec::new();
        for top in std::fs::read_dir(&base)
            .map_err(|e| Error(format!("Cannot read {}: {e}.", base.display())))?
            .flatten()
        {
            let mut diagnostics = Vec::new();
            let Some(name) = utf8_name(&top, "", &mut diagnostics) else {
                walk.extend(diagnostics.into_iter().map(Walked::Said));
                continue;
            };
            if FileKind::FOLDERS.contains(&name.as_str()) {
                list_disk_folder(&top.path(), &name, &mut walk);
            } else {
                walk.push(Walked::File(top.path(), name));
            }
        }
        let (mut files, diagnostics) = read_walked(walk);
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
        let on_disk: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        let filters = self.root.as_deref().map(|root| Filters::of(git, root));
        let mut dirty: Vec<String> = files
            .iter()
            .filter(|f| match committed.get(&f.path) {
                Some(oid) if f.blob.as_ref() == Some(oid) => false,
                // What git's line-ending or LFS filter would have stored.
                Some(oid) => !filters
                    .as_ref()
                    .is_some_and(|fl| fl.same_as(git, &f.bytes, *oid)),
                None => true,
            })
            .map(|f| f.path.clone())
            .collect();
        dirty.extend(
            committed
                .keys()
                .filter(|p| !on_disk.contains(p.as_str()))
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
        self.read_commit_taking(commit, &mut |_, _| None)
    }

    /// `read_commit`, taking the blobs `take` hands over (see `snapshot_taking`).
    fn read_commit_taking(&self, commit: &Commit, take: &mut TakeBlob) -> Result<Snapshot> {
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
        for path in non_utf8_names(git, &data) {
            diagnostics.push(skipped(&path, "its name is not valid UTF-8"));
        }
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
            // Bytes handed over are the blob's (the same id) and within
            // the bound; anything else is read as before.
            let taken = take(&path, oid).filter(|b| b.len() as u64 <= MAX_FILE_BYTES);
            match taken.map_or_else(|| read_blob_bounded(git, oid), Ok) {
                Ok(bytes) if is_lfs_pointer(&bytes) => diagnostics.push(skipped(
                    &path,
                    "is a Git LFS pointer; the file itself is not in the repository, and demarc runs no filter",
                )),
                Ok(bytes) => files.push(DataFile {
                    path,
                    bytes,
                    blob: Some(oid),
                }),
                Err(BlobError::TooLarge(size)) => diagnostics.push(too_large(&path, size)),
                Err(BlobError::Missing) => diagnostics.push(Diagnostic::error(
                    "missing_object",
                    Location::file(&path),
                    format!("the file's object {oid} is missing from the repository"),
                )),
                Err(BlobError::Unreadable(why)) => diagnostics.push(Diagnostic::error(
                    "unreadable",
                    Location::file(&path),
                    format!("the file's object {oid} cannot be read: {why}"),
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

/// Hands over the bytes of a blob (given its path and id) that the caller
/// already holds, or None to read it (see `Repo::snapshot_taking`). The
/// bytes must be the blob's: the same blob id.
pub type TakeBlob<'a> = dyn FnMut(&str, Oid) -> Option<Vec<u8>> + 'a;

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

/// Format files and folders of a data tree whose names are not UTF-8 (as
/// lossy text), which `collect_tree_blobs` cannot name.
fn non_utf8_names(git: &git2::Repository, data: &Tree) -> Vec<String> {
    let mut out = Vec::new();
    let looks_like_data = |name: &str| name.ends_with(".toml");
    for entry in data.iter() {
        let lossy = String::from_utf8_lossy(entry.name_bytes()).into_owned();
        match entry.name() {
            Err(_) if looks_like_data(&lossy) || entry.kind() == Some(ObjectType::Tree) => {
                out.push(lossy);
            }
            Ok(name) if FileKind::FOLDERS.contains(&name) => {
                if let Ok(sub) = git.find_tree(entry.id()) {
                    for child in sub.iter().filter(|c| c.name().is_err()) {
                        let child = String::from_utf8_lossy(child.name_bytes()).into_owned();
                        if looks_like_data(&child) {
                            out.push(format!("{name}/{child}"));
                        }
                    }
                }
            }
            _ => {}
        }
    }
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

/// Why a blob at a commit was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlobError {
    /// Its size (from the object's header) is over `MAX_FILE_BYTES`.
    TooLarge(u64),
    /// The object is not in the repository.
    Missing,
    /// It is there but cannot be inflated: corrupt, or not enough memory.
    Unreadable(String),
}

/// A blob's bytes, its size checked from the object's header before
/// anything is inflated (a small packed object can inflate to gigabytes).
pub fn read_blob_bounded(
    git: &git2::Repository,
    oid: Oid,
) -> std::result::Result<Vec<u8>, BlobError> {
    let odb = git
        .odb()
        .map_err(|e| BlobError::Unreadable(e.message().to_string()))?;
    match odb.read_header(oid) {
        Ok((size, _)) if size as u64 > MAX_FILE_BYTES => {
            return Err(BlobError::TooLarge(size as u64));
        }
        Ok(_) => {}
        Err(e) => return Err(blob_error(e)),
    }
    match git.find_blob(oid) {
        // The header said otherwise, but a blob is never trusted twice.
        Ok(blob) if blob.size() as u64 > MAX_FILE_BYTES => {
            Err(BlobError::TooLarge(blob.size() as u64))
        }
        Ok(blob) => Ok(blob.content().to_vec()),
        Err(e) => Err(blob_error(e)),
    }
}

fn blob_error(e: git2::Error) -> BlobError {
    if e.code() == git2::ErrorCode::NotFound {
        BlobError::Missing
    } else if e.class() == git2::ErrorClass::NoMemory {
        BlobError::Unreadable("not enough memory to inflate it".to_string())
    } else {
        BlobError::Unreadable(format!("the object is corrupt ({})", e.message()))
    }
}

/// `--dir` must stay inside the repository and must not pass through a
/// symbolic link (committed or not): a link would lead demarc to read, and
/// show, files from anywhere on the machine.
pub(super) fn no_links_in(root: &Path, data_dir: &str) -> Result<()> {
    let mut path = root.to_path_buf();
    let mut shown = String::new();
    for part in data_dir.split('/').filter(|p| !p.is_empty()) {
        path.push(part);
        if !shown.is_empty() {
            shown.push('/');
        }
        shown.push_str(part);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(Error(format!(
                    "The data folder `{data_dir}` goes through `{shown}`, a symbolic link; demarc does not follow links."
                )));
            }
            Ok(_) => {}
            Err(_) => return Ok(()), // missing: said by the caller
        }
    }
    Ok(())
}

/// The entry's name, or None with a finding when it is not UTF-8 (two such
/// names would otherwise read as the same replacement characters).
fn utf8_name(
    entry: &std::fs::DirEntry,
    folder: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    let name = entry.file_name();
    match name.to_str() {
        Some(name) => Some(name.to_string()),
        None => {
            let lossy = name.to_string_lossy();
            if lossy.ends_with(".toml") || FileKind::FOLDERS.contains(&lossy.as_ref()) {
                let rel = if folder.is_empty() {
                    lossy.into_owned()
                } else {
                    format!("{folder}/{lossy}")
                };
                diagnostics.push(skipped(&rel, "its name is not valid UTF-8"));
            }
            None
        }
    }
}

/// What the walk of the data folder met, in walk order: a finding, or a
/// file to read (its path on disk and relative to the data folder).
enum Walked {
    Said(Diagnostic),
    File(std::path::PathBuf, String),
}

/// One folder of the format (`teams/`, …) on disk: its files, or why
/// they are not read.
fn list_disk_folder(path: &Path, name: &str, walk: &mut Vec<Walked>) {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return;
    };
    if meta.file_type().is_symlink() {
        walk.push(Walked::Said(skipped(
            name,
            "is a symbolic link; demarc does not follow links",
        )));
        return;
    }
    if !meta.is_dir() {
        let why = format!("is {}, not a folder", super::guard::describe_kind(&meta));
        walk.push(Walked::Said(skipped(name, &why)));
        return;
    }
    match std::fs::read_dir(path) {
        Ok(entries) => {
            for entry in entries {
                let entry = match entry {
                    Ok(entry) => entry,
                    Err(e) => {
                        walk.push(Walked::Said(unreadable_folder(name, &e)));
                        break;
                    }
                };
                let mut diagnostics = Vec::new();
                match utf8_name(&entry, name, &mut diagnostics) {
                    Some(child) => walk.push(Walked::File(entry.path(), format!("{name}/{child}"))),
                    None => walk.extend(diagnostics.into_iter().map(Walked::Said)),
                }
            }
        }
        Err(e) => walk.push(Walked::Said(unreadable_folder(name, &e))),
    }
}

/// Reads the walk's files on this thread, then hashes them on every
/// core. Reading on worker threads was tried: the bytes then live in
/// those threads' malloc arenas, which the main thread's later
/// allocations (the search index, the history walk) do not reuse, and
/// `search` and `who` peaked 30 to 60 MB higher at 200,000 components.
/// Returns the files and the findings in walk order.
fn read_walked(walk: Vec<Walked>) -> (Vec<DataFile>, Vec<Diagnostic>) {
    let mut files = Vec::with_capacity(walk.len());
    let mut diagnostics = Vec::new();
    for walked in walk {
        match walked {
            Walked::Said(d) => diagnostics.push(d),
            Walked::File(path, rel) => read_disk_file(&path, rel, &mut files, &mut diagnostics),
        }
    }
    hash_blobs(&mut files);
    (files, diagnostics)
}

/// How many of `files`, from the first, hold about `bytes` bytes: up to
/// and with the file that reaches it (all of them when none does).
pub fn run_of(files: &[DataFile], bytes: usize) -> usize {
    let mut held = 0;
    files
        .iter()
        .position(|f| {
            held += f.bytes.len();
            held >= bytes
        })
        .map_or(files.len(), |i| i + 1)
}

/// Each file's git blob id, on every core when there is much to hash
/// (the native loader and the catalog reader both use it).
pub fn hash_blobs(files: &mut [DataFile]) {
    let hash = |files: &mut [DataFile]| {
        for f in files {
            f.blob = blob_id(&f.bytes);
        }
    };
    let total: usize = files.iter().map(|f| f.bytes.len()).sum();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    if threads < 2 || total < 1 << 20 {
        return hash(files);
    }
    // Contiguous shares of about equal bytes, one per thread.
    let share = total.div_ceil(threads);
    std::thread::scope(|scope| {
        let mut rest = files;
        while !rest.is_empty() {
            let (part, tail) = rest.split_at_mut(run_of(rest, share));
            rest = tail;
            scope.spawn(move || hash(part));
        }
    });
}

fn unreadable_folder(name: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        "unreadable",
        Location::file(name),
        format!("cannot read the folder: {e}; its files are not loaded"),
    )
}

/// The git blob id of a file's bytes: SHA-1 of `blob <size>\0` and the
/// bytes, as `git hash-object` computes it. The `sha1` crate (SHA-NI
/// where the CPU has it) rather than libgit2's collision-detecting
/// SHA-1, which was three times slower (a tenth of `check` at 200,000
/// components); both give the same id for every file except a crafted
/// SHA-1 collision, which libgit2 refuses to hash (no id: the file then
/// counts as changed) and git refuses to store.
pub fn blob_id(bytes: &[u8]) -> Option<Oid> {
    use sha1::{Digest, Sha1};
    use std::io::Write;
    let mut header = [0u8; 32];
    let mut cursor = std::io::Cursor::new(&mut header[..]);
    write!(cursor, "blob {}\0", bytes.len()).ok()?;
    let used = cursor.position() as usize;
    let mut hasher = Sha1::new();
    hasher.update(&header[..used]);
    hasher.update(bytes);
    Oid::from_bytes(&hasher.finalize()).ok()
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
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) => {
            diagnostics.push(Diagnostic::error(
                "unreadable",
                Location::file(&rel),
                format!("cannot read the file: {e}"),
            ));
            return;
        }
    };
    if meta.file_type().is_symlink() {
        diagnostics.push(skipped(
            &rel,
            "is a symbolic link; demarc does not follow links",
        ));
        return;
    }
    if meta.is_dir() {
        diagnostics.push(skipped(&rel, "is a folder, not a file"));
        return;
    }
    if !meta.is_file() {
        let why = format!(
            "is {}, not a regular file",
            super::guard::describe_kind(&meta)
        );
        diagnostics.push(skipped(&rel, &why));
        return;
    }
    // Opened without following links or blocking, and checked again on
    // the open handle: a FIFO or device never hangs the load.
    match read_regular(path, MAX_FILE_BYTES) {
        Ok(bytes) => {
            // The blob id is hashed later, for all files at once on every
            // core (`hash_blobs`).
            files.push(DataFile {
                path: rel,
                bytes,
                blob: None,
            });
        }
        Err(ReadError::NotRegular(kind)) => {
            diagnostics.push(skipped(&rel, &format!("is {kind}, not a regular file")))
        }
        Err(ReadError::TooLarge(size)) => diagnostics.push(too_large(&rel, size)),
        Err(ReadError::Io(e)) => diagnostics.push(Diagnostic::error(
            "unreadable",
            Location::file(&rel),
            format!("cannot read the file: {e}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::blob_id;
    use git2::{ObjectType, Oid};
    use proptest::prelude::*;

    #[test]
    fn blob_ids_are_git_s() {
        // `git hash-object` of an empty file and of "hello\n" (from git).
        assert_eq!(
            blob_id(b"").unwrap().to_string(),
            "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"
        );
        assert_eq!(
            blob_id(b"hello\n").unwrap().to_string(),
            "ce013625030ba8dba906f756967f9e9ca394464a"
        );
    }

    proptest! {
        /// The same id as libgit2's hash, on any bytes and sizes across
        /// SHA-1's 64-byte blocks.
        #[test]
        fn blob_ids_agree_with_libgit2(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            prop_assert_eq!(blob_id(&bytes), Oid::hash_object(ObjectType::Blob, &bytes).ok());
        }
    }
}
