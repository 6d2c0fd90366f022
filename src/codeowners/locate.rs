//! Finding the CODEOWNERS file as GitHub does, through the same repository
//! layer as the ownership data: at the work tree, or in a commit's tree for
//! `--rev` and `--at`. Like the data, it is only read, never written.

use crate::repo::{Error, MAX_FILE_BYTES, Repo, Result, Source};
use std::path::Path;

/// GitHub's places, in the order it looks: the first found is used.
pub const CANDIDATES: &[&str] = &[".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];

/// GitHub ignores a CODEOWNERS file of this size or more.
pub const GITHUB_MAX_BYTES: usize = 3 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// As named in findings: relative to the repository root, or as given.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The repository's CODEOWNERS file at `source`, or None when it has none.
pub fn find(repo: &Repo, source: &Source) -> Result<Option<Found>> {
    match (source, repo.root()) {
        (Source::WorkTree, Some(root)) => {
            for candidate in CANDIDATES {
                let path = root.join(candidate);
                if std::fs::symlink_metadata(&path).is_ok() {
                    return read_disk(&path, candidate).map(Some);
                }
            }
            Ok(None)
        }
        (Source::WorkTree, None) => from_commit(repo, &repo.resolve_rev("HEAD")?),
        (Source::Rev(rev), _) => from_commit(repo, &repo.resolve_rev(rev)?),
        (Source::At(when), _) => from_commit(repo, &repo.resolve_at(when)?),
    }
}

/// A file given with `--file`: a path on disk.
pub fn read_path(path: &Path) -> Result<Found> {
    read_disk(path, &path.display().to_string())
}

fn read_disk(path: &Path, name: &str) -> Result<Found> {
    let meta =
        std::fs::symlink_metadata(path).map_err(|e| Error(format!("Cannot read {name}: {e}.")))?;
    if meta.file_type().is_symlink() {
        return Err(Error(format!(
            "{name} is a symbolic link; demarc does not follow links."
        )));
    }
    if !meta.is_file() {
        return Err(Error(format!("{name} is not a file.")));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(name, meta.len()));
    }
    // Checked again on the open handle: the path may have been swapped for
    // a FIFO since `symlink_metadata` (docs/security.md).
    let bytes = crate::repo::safe_read::read_regular(path, MAX_FILE_BYTES)
        .map_err(|e| Error(format!("Cannot read {name}: {e}.")))?;
    Ok(Found {
        path: name.to_string(),
        bytes,
    })
}

fn from_commit(repo: &Repo, commit: &git2::Commit) -> Result<Option<Found>> {
    let Some(git) = repo.git() else {
        return Ok(None);
    };
    let tree = commit.tree().map_err(|e| {
        Error(format!(
            "Cannot read commit {}: {}.",
            commit.id(),
            e.message()
        ))
    })?;
    for candidate in CANDIDATES {
        let Ok(entry) = tree.get_path(Path::new(candidate)) else {
            continue;
        };
        if entry.filemode() == 0o120000 {
            return Err(Error(format!(
                "{candidate} is a symbolic link; demarc does not follow links."
            )));
        }
        if entry.kind() != Some(git2::ObjectType::Blob) {
            return Err(Error(format!("{candidate} is not a file in that commit.")));
        }
        // The size comes from the object's header before anything is
        // inflated (docs/security.md).
        let bytes = match crate::repo::read_blob_bounded(git, entry.id()) {
            Ok(bytes) => bytes,
            Err(crate::repo::BlobError::TooLarge(size)) => return Err(too_large(candidate, size)),
            Err(crate::repo::BlobError::Missing) => {
                return Err(Error(format!(
                    "{candidate}'s object {} is missing from the repository.",
                    entry.id()
                )));
            }
            Err(crate::repo::BlobError::Unreadable(why)) => {
                return Err(Error(format!("{candidate} cannot be read: {why}.")));
            }
        };
        return Ok(Some(Found {
            path: candidate.to_string(),
            bytes,
        }));
    }
    Ok(None)
}

fn too_large(name: &str, size: u64) -> Error {
    Error(format!(
        "{name} is {size} bytes, more than the {MAX_FILE_BYTES} demarc reads (GitHub ignores CODEOWNERS files of 3 MB or more)."
    ))
}
