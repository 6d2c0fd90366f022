//! Finding a catalog's files: every `.yaml`/`.yml` file at any depth of the
//! data folder (plus `demarc.toml`), on disk or in a commit's tree, and
//! deciding whether a folder is a catalog at all.
//!
//! Bounded like the native loader: no symbolic links followed, files over
//! `MAX_FILE_BYTES` skipped with a finding, hidden and dependency folders
//! not entered, and at most `MAX_FILES` files and `MAX_DEPTH` levels.

use super::settings::says_backstage;
use crate::model::{Diagnostic, Location};
use crate::repo::safe_read::{ReadError, read_regular};
use crate::repo::{BlobError, read_blob_bounded};
use crate::repo::{DataFile, Error, MAX_FILE_BYTES, Origin, Repo, Result, Snapshot, Source};
use git2::{ObjectType, Oid, Repository, Tree};
use std::collections::BTreeMap;
use std::path::Path;

/// Catalog files read per version; more is a finding, not a stall.
pub const MAX_FILES: usize = 200_000;
/// Folder depth below the data folder.
pub const MAX_DEPTH: usize = 32;

/// Folders never entered: dependencies and build output hold YAML that is
/// not the catalog.
const SKIP_DIRS: &[&str] = &["node_modules", "target", "vendor", "dist", "build"];

/// Is this path (relative to the data folder) one the catalog reader reads?
pub fn is_catalog_path(path: &str) -> bool {
    path == "demarc.toml" || is_yaml(path)
}

pub fn is_yaml(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

fn skip_dir(name: &str) -> bool {
    name.starts_with('.') || SKIP_DIRS.contains(&name)
}

/// A quick look at a file's start: does it hold a catalog entity?
pub fn looks_like_catalog(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    memchr::memmem::find(head, b"backstage.io/").is_some()
        && memchr::memmem::find(head, b"kind").is_some()
}

/// Does the folder read as a catalog: a demarc.toml that says so, or none
/// and some catalog YAML within a few levels?
pub fn folder_is_catalog(dir: &Path) -> bool {
    // Never a blocking open: the marker may be a FIFO (docs/security.md).
    match read_regular(&dir.join("demarc.toml"), MAX_FILE_BYTES) {
        Ok(bytes) => says_backstage(&bytes),
        Err(_) => {
            let mut budget = 2_000usize;
            disk_has_catalog(dir, 0, &mut budget)
        }
    }
}

fn disk_has_catalog(dir: &Path, depth: usize, budget: &mut usize) -> bool {
    if depth > 6 {
        return false;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    let mut subdirs = Vec::new();
    for entry in entries.flatten() {
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_file() && is_yaml(&name) {
            let path = entry.path();
            let small = std::fs::metadata(&path).is_ok_and(|m| m.len() <= MAX_FILE_BYTES);
            if small && read_regular(&path, MAX_FILE_BYTES).is_ok_and(|b| looks_like_catalog(&b)) {
                return true;
            }
        } else if kind.is_dir() && !skip_dir(&name) {
            subdirs.push(entry.path());
        }
    }
    subdirs.sort();
    subdirs
        .iter()
        .any(|d| disk_has_catalog(d, depth + 1, budget))
}

/// The same question about a tree (a bare repository's HEAD).
pub fn tree_is_catalog(git: &Repository, tree: &Tree) -> bool {
    if let Ok(entry) = tree.get_path(Path::new("demarc.toml")) {
        return read_blob_bounded(git, entry.id()).is_ok_and(|b| says_backstage(&b));
    }
    let mut found = false;
    let mut budget = 2_000usize;
    let _ = tree.walk(git2::TreeWalkMode::PreOrder, |_, entry| {
        if found || budget == 0 {
            return git2::TreeWalkResult::Abort;
        }
        budget -= 1;
        let name = entry.name().unwrap_or("");
        if entry.kind() == Some(ObjectType::Tree) && skip_dir(name) {
            return git2::TreeWalkResult::Skip;
        }
        if entry.kind() == Some(ObjectType::Blob)
            && is_yaml(name)
            && read_blob_bounded(git, entry.id()).is_ok_and(|b| looks_like_catalog(&b))
        {
            found = true;
            return git2::TreeWalkResult::Abort;
        }
        git2::TreeWalkResult::Ok
    });
    found
}

/// Reads the catalog at `source`.
pub fn snapshot(repo: &Repo, source: &Source) -> Result<Snapshot> {
    let snapshot = match source {
        Source::WorkTree => match repo.root() {
            Some(root) => read_work_tree(repo, root)?,
            None => read_commit(repo, &repo.resolve_rev("HEAD")?)?,
        },
        Source::Rev(rev) => read_commit(repo, &repo.resolve_rev(rev)?)?,
        Source::At(when) => read_commit(repo, &repo.resolve_at(when)?)?,
    };
    if !snapshot.files.iter().any(|f| is_yaml(&f.path)) {
        let at = match &snapshot.origin {
            Origin::Commit(info) => format!(" at commit {}", info.short_id()),
            _ => String::new(),
        };
        return Err(Error(format!(
            "{} has no catalog YAML{at} (no .yaml or .yml file), so it cannot be read as a Backstage catalog.",
            repo.describe()
        )));
    }
    Ok(snapshot)
}

fn skipped(path: &str, why: &str) -> Diagnostic {
    Diagnostic::warning("skipped", Location::file(path), format!("skipped: {why}"))
}

fn too_many(path: &str) -> Diagnostic {
    Diagnostic::error(
        "too_large",
        Location::file(path),
        format!(
            "the catalog has more than {MAX_FILES} YAML files; demarc reads the first {MAX_FILES} in path order"
        ),
    )
}

fn read_work_tree(repo: &Repo, root: &Path) -> Result<Snapshot> {
    let base = if repo.data_dir().is_empty() {
        root.to_path_buf()
    } else {
        root.join(repo.data_dir())
    };
    if !base.is_dir() {
        return Err(Error(format!(
            "The data folder `{}` does not exist in {}.",
            repo.data_dir(),
            root.display()
        )));
    }
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    walk_disk(&base, "", 0, &mut files, &mut diagnostics);
    // Each file's blob id (for `dirty`), on every core: the native
    // loader's hashing, shared.
    crate::repo::hash_blobs(&mut files);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let origin = match repo.git() {
        None => Origin::Folder,
        Some(git) => Origin::WorkTree {
            dirty: dirty_files(repo, git, &files),
        },
    };
    Ok(Snapshot {
        origin,
        files,
        diagnostics,
    })
}

fn walk_disk(
    dir: &Path,
    rel: &str,
    depth: usize,
    files: &mut Vec<DataFile>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        let Ok(meta) = std::fs::symlink_metadata(entry.path()) else {
            continue;
        };
        if meta.is_dir() {
            if skip_dir(&name) {
                continue;
            }
            if depth + 1 > MAX_DEPTH {
                diagnostics.push(skipped(
                    &path,
                    &format!("the folder is more than {MAX_DEPTH} levels deep"),
                ));
                continue;
            }
            walk_disk(&entry.path(), &path, depth + 1, files, diagnostics);
            continue;
        }
        let wanted = if depth == 0 {
            is_catalog_path(&path)
        } else {
            is_yaml(&path)
        };
        if !wanted {
            continue;
        }
        if files.len() >= MAX_FILES {
            if !diagnostics.iter().any(|d| d.code == "too_large") {
                diagnostics.push(too_many(&path));
            }
            return;
        }
        if meta.file_type().is_symlink() {
            diagnostics.push(skipped(
                &path,
                "is a symbolic link; demarc does not follow links",
            ));
        } else if meta.len() > MAX_FILE_BYTES {
            diagnostics.push(skipped(
                &path,
                &format!(
                    "the file is {} MiB; demarc reads files up to {} MiB",
                    meta.len() / (1024 * 1024),
                    MAX_FILE_BYTES / (1024 * 1024)
                ),
            ));
        } else {
            match read_regular(&entry.path(), MAX_FILE_BYTES) {
                // Hashed once every file is read, on every core (`hash_blobs`).
                Ok(bytes) => files.push(DataFile {
                    path,
                    bytes,
                    blob: None,
                }),
                Err(ReadError::NotRegular(kind)) => diagnostics.push(skipped(
                    &path,
                    &format!("is {kind}; demarc reads only regular files"),
                )),
                Err(e) => diagnostics.push(Diagnostic::error(
                    "unreadable",
                    Location::file(&path),
                    format!("cannot read the file: {e}"),
                )),
            }
        }
    }
}

/// The data folder's tree at a commit, when it is a folder there.
pub fn data_tree<'r>(git: &'r Repository, data_dir: &str, tree: &Tree<'r>) -> Option<Tree<'r>> {
    if data_dir.is_empty() {
        return Some(tree.clone());
    }
    let entry = tree.get_path(Path::new(data_dir)).ok()?;
    if entry.kind() != Some(ObjectType::Tree) {
        return None;
    }
    git.find_tree(entry.id()).ok()
}

/// The catalog files of a data tree: (path, blob id, file mode), in path
/// order, with findings for what is skipped.
pub fn tree_files(
    git: &Repository,
    data: &Tree,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(String, Oid, i32)> {
    let mut out = Vec::new();
    let mut stack: Vec<(String, Oid, usize)> = vec![(String::new(), data.id(), 0)];
    while let Some((prefix, id, depth)) = stack.pop() {
        let Ok(tree) = git.find_tree(id) else {
            continue;
        };
        for entry in tree.iter() {
            let Ok(name) = entry.name() else { continue };
            let path = if prefix.is_empty() {
                name.to_string()
            } else {
                format!("{prefix}/{name}")
            };
            match entry.kind() {
                Some(ObjectType::Tree) if !skip_dir(name) => {
                    if depth + 1 > MAX_DEPTH {
                        diagnostics.push(skipped(
                            &path,
                            &format!("the folder is more than {MAX_DEPTH} levels deep"),
                        ));
                    } else {
                        stack.push((path, entry.id(), depth + 1));
                    }
                }
                Some(ObjectType::Blob) | Some(ObjectType::Commit) => {
                    let wanted = if prefix.is_empty() {
                        is_catalog_path(&path)
                    } else {
                        is_yaml(&path)
                    };
                    if wanted {
                        if out.len() >= MAX_FILES {
                            if !diagnostics.iter().any(|d| d.code == "too_large") {
                                diagnostics.push(too_many(&path));
                            }
                            continue;
                        }
                        out.push((path, entry.id(), entry.filemode()));
                    }
                }
                _ => {}
            }
        }
    }
    out.sort();
    out
}

fn read_commit(repo: &Repo, commit: &git2::Commit) -> Result<Snapshot> {
    let git = repo.git().ok_or_else(|| {
        Error(format!(
            "{} is a plain folder, not a git repository, so it has no history.",
            repo.describe()
        ))
    })?;
    let info = crate::repo::CommitInfo::from_commit(commit);
    let tree = commit.tree().map_err(|e| {
        Error(format!(
            "Cannot read commit {}: {}.",
            info.short_id(),
            e.message()
        ))
    })?;
    let Some(data) = data_tree(git, repo.data_dir(), &tree) else {
        return Err(Error(format!(
            "The data folder `{}` is not a folder at commit {} (it is missing, a file or a submodule).",
            repo.data_dir(),
            info.short_id()
        )));
    };
    let mut diagnostics = Vec::new();
    let mut files = Vec::new();
    for (path, oid, mode) in tree_files(git, &data, &mut diagnostics) {
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
        // The size comes from the object's header before anything is
        // inflated (docs/security.md), as for the native format.
        match read_blob_bounded(git, oid) {
            Err(BlobError::TooLarge(size)) => diagnostics.push(skipped(
                &path,
                &format!(
                    "the file is {} MiB; demarc reads files up to {} MiB",
                    size / (1024 * 1024),
                    MAX_FILE_BYTES / (1024 * 1024)
                ),
            )),
            Ok(bytes) => files.push(DataFile {
                path,
                bytes,
                blob: Some(oid),
            }),
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

/// Catalog files that differ from HEAD, found by hashing in memory.
fn dirty_files(repo: &Repo, git: &Repository, files: &[DataFile]) -> Vec<String> {
    let mut ignored = Vec::new();
    let committed: BTreeMap<String, Oid> = match git.head().ok().and_then(|h| h.peel_to_tree().ok())
    {
        Some(tree) => match data_tree(git, repo.data_dir(), &tree) {
            Some(data) => tree_files(git, &data, &mut ignored)
                .into_iter()
                .map(|(p, oid, _)| (p, oid))
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
    let present: std::collections::HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    dirty.extend(
        committed
            .keys()
            .filter(|p| !present.contains(p.as_str()))
            .cloned(),
    );
    dirty.sort();
    dirty
}
