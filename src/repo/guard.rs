//! The files git reads for itself, looked at before libgit2 opens them.
//!
//! libgit2 reads `.git/config` (and every file its `include.path` names),
//! `.git/shallow`, `.git/info/grafts` and a few more as soon as a
//! repository is opened, with a plain blocking read to the end. A clone
//! can make any of them a FIFO (the read never returns) or a link to
//! `/dev/zero` (it never ends). So before opening, each of them that
//! exists must be a regular file of a sane size; anything else is refused
//! with a plain error instead of a hang (docs/security.md).

use super::{Error, Result};
use std::fs::Metadata;
use std::path::{Path, PathBuf};

/// A bound for git's own files: far above any real config, shallow list,
/// graft list or packed-refs (100,000 refs are about 6 MiB).
pub const MAX_GIT_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// How deep `include.path` may nest (git itself stops at 10).
const MAX_INCLUDE_DEPTH: usize = 10;

/// Files of a git directory that libgit2 reads whole when it opens one.
const GIT_FILES: &[&str] = &[
    "HEAD",
    "config",
    "commondir",
    "shallow",
    "info/grafts",
    "packed-refs",
    "objects/info/alternates",
];

/// Checks the repository that git would discover from `start` (walking up
/// to the root as git does): its `.git` link file, its git directory's own
/// files and every config include. Ok when there is no repository at all;
/// Some(folder) when the folder holding the `.git` entry was found (the
/// work tree, even when `.git` is a link or a `gitdir:` file).
pub fn check_discovered(start: &Path) -> Result<Option<PathBuf>> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        let dot_git = d.join(".git");
        if let Ok(meta) = std::fs::symlink_metadata(&dot_git) {
            if let Some(git_dir) = git_dir_of(&dot_git, &meta)? {
                check_git_dir(&git_dir)?;
            }
            return Ok(Some(d.to_path_buf()));
        }
        // A bare repository: the folder itself is the git directory.
        if d.join("HEAD").exists() && d.join("objects").is_dir() && d.join("refs").is_dir() {
            check_git_dir(d)?;
            return Ok(None);
        }
        dir = d.parent();
    }
    Ok(None)
}

/// Checks a git directory (and its common directory, for a worktree).
pub fn check_git_dir(git_dir: &Path) -> Result<()> {
    for name in GIT_FILES {
        regular_or_absent(&git_dir.join(name))?;
    }
    check_config(&git_dir.join("config"), 0)?;
    let common = git_dir.join("commondir");
    if common.is_file() {
        let text = read_small(&common)?;
        let target = resolve(git_dir, text.trim());
        if target != git_dir {
            for name in GIT_FILES {
                regular_or_absent(&target.join(name))?;
            }
            check_config(&target.join("config"), 0)?;
        }
    }
    Ok(())
}

/// `.git` is a folder (the git directory), a `gitdir: PATH` file (a
/// worktree, a submodule, `--separate-git-dir`) or a link to either.
fn git_dir_of(dot_git: &Path, meta: &Metadata) -> Result<Option<PathBuf>> {
    let meta = if meta.file_type().is_symlink() {
        match std::fs::metadata(dot_git) {
            Ok(m) => m,
            Err(_) => return Ok(None), // a dangling link: git finds nothing
        }
    } else {
        meta.clone()
    };
    if meta.is_dir() {
        return Ok(Some(dot_git.to_path_buf()));
    }
    refuse_odd(dot_git, &meta)?;
    let text = read_small(dot_git)?;
    let Some(target) = text.trim().strip_prefix("gitdir:") else {
        return Ok(None);
    };
    let base = dot_git.parent().unwrap_or(Path::new("."));
    Ok(Some(resolve(base, target.trim())))
}

/// Follows `include.path` and `includeIf.*.path` of a config file, whatever
/// their condition (checking one that git would skip costs nothing).
fn check_config(config: &Path, depth: usize) -> Result<()> {
    if depth > MAX_INCLUDE_DEPTH || !config.is_file() {
        return Ok(());
    }
    regular_or_absent(config)?;
    let text = read_small(config)?;
    let base = config.parent().unwrap_or(Path::new("."));
    for include in include_paths(&text) {
        let path = match include.strip_prefix("~/") {
            Some(rest) => match std::env::var_os("HOME") {
                Some(home) => PathBuf::from(home).join(rest),
                None => continue,
            },
            None => resolve(base, &include),
        };
        regular_or_absent(&path)?;
        check_config(&path, depth + 1)?;
    }
    Ok(())
}

/// The `path` values of `[include]` and `[includeIf "…"]` sections.
fn include_paths(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_include = false;
    for line in text.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix('[') {
            let section = rest
                .split(|c: char| c == ']' || c == '"' || c.is_whitespace())
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            in_include = section == "include" || section.starts_with("includeif");
            // `[include] path = x` on one line.
            let after = rest.split_once(']').map(|(_, a)| a.trim()).unwrap_or("");
            if in_include && let Some(value) = path_value(after) {
                out.push(value);
            }
            continue;
        }
        if in_include && let Some(value) = path_value(line) {
            out.push(value);
        }
    }
    out
}

fn path_value(line: &str) -> Option<String> {
    let (key, value) = line.split_once('=')?;
    if !key.trim().eq_ignore_ascii_case("path") {
        return None;
    }
    let value = value.trim();
    let value = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value);
    (!value.is_empty()).then(|| value.to_string())
}

fn resolve(base: &Path, path: &str) -> PathBuf {
    let p = Path::new(path);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        base.join(p)
    }
}

/// Absent is fine (git does without it); present must be a regular file
/// (a link to one is fine) of a sane size.
fn regular_or_absent(path: &Path) -> Result<()> {
    if std::fs::symlink_metadata(path).is_err() {
        return Ok(());
    }
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Ok(()), // git reports that itself
        Ok(meta) => refuse_odd(path, &meta),
        Err(_) => Ok(()), // a dangling link: git finds nothing either
    }
}

fn refuse_odd(path: &Path, meta: &Metadata) -> Result<()> {
    if !meta.is_file() {
        return Err(Error(format!(
            "Refusing to open the repository: {} is {}, not a regular file, and git would read it (a read that may never end).",
            path.display(),
            describe_kind(meta)
        )));
    }
    if meta.len() > MAX_GIT_FILE_BYTES {
        return Err(Error(format!(
            "Refusing to open the repository: {} is {} MiB; git's own files are read whole, and demarc reads them up to {} MiB.",
            path.display(),
            meta.len() / (1024 * 1024),
            MAX_GIT_FILE_BYTES / (1024 * 1024)
        )));
    }
    Ok(())
}

/// Reads a file checked by `regular_or_absent`, bounded all the same (it
/// could have been swapped since), without blocking on a FIFO.
fn read_small(path: &Path) -> Result<String> {
    let bytes = super::safe_read::read_regular(path, MAX_GIT_FILE_BYTES)
        .map_err(|e| Error(format!("Refusing to open the repository: {e}.")))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// "a FIFO", "a character device", … for messages.
pub fn describe_kind(meta: &Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a folder"
    } else if meta.file_type().is_symlink() {
        "a symbolic link"
    } else if meta.is_file() {
        "a file"
    } else {
        "a special file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn include_paths_are_found_in_both_sections() {
        let text = "[core]\n\tbare = false\n[include]\n\tpath = a.cfg\n[includeIf \"gitdir:/x/\"]\n  Path = \"b c.cfg\"\n[user]\n\tpath = no\n[include] path = d\n";
        assert_eq!(include_paths(text), vec!["a.cfg", "b c.cfg", "d"]);
    }
}
