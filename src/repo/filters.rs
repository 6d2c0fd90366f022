//! What git's filters would make of a work-tree file. demarc runs no
//! filter (docs/security.md), but a clone with `core.autocrlf` or a
//! `.gitattributes` line-ending rule has CRLF files whose stored blobs
//! have LF, and a Git LFS file is stored as a pointer: hashing the bytes on
//! disk would flag every such file as uncommitted while `git status` is
//! clean. So a file whose hash differs from HEAD's blob is compared again
//! the way those filters would store it.

use super::safe_read::read_regular;
use git2::{ObjectType, Oid, Repository};
use sha2::{Digest, Sha256};
use std::path::Path;

/// The first line of a Git LFS pointer file (its spec, v1).
const LFS_POINTER: &[u8] = b"version https://git-lfs.github.com/spec/v1\n";

pub struct Filters {
    /// Line endings are normalised to LF on the way into git.
    crlf: bool,
}

impl Filters {
    pub fn of(git: &Repository, root: &Path) -> Filters {
        let autocrlf = git
            .config()
            .ok()
            .and_then(|c| c.get_string("core.autocrlf").ok())
            .is_some_and(|v| {
                matches!(
                    v.to_ascii_lowercase().as_str(),
                    "true" | "input" | "yes" | "on" | "1"
                )
            });
        let attributes = read_regular(&root.join(".gitattributes"), 1 << 20)
            .map(|bytes| {
                let text = String::from_utf8_lossy(&bytes);
                text.contains("eol=") || text.contains("text")
            })
            .unwrap_or(false);
        Filters {
            crlf: autocrlf || attributes,
        }
    }

    /// Whether `bytes` on disk are what git would store as `committed`.
    pub fn same_as(&self, git: &Repository, bytes: &[u8], committed: Oid) -> bool {
        if self.crlf && memchr::memmem::find(bytes, b"\r\n").is_some() {
            let lf = crlf_to_lf(bytes);
            if Oid::hash_object(ObjectType::Blob, &lf).ok() == Some(committed) {
                return true;
            }
        }
        lfs_pointer_of(git, committed).is_some_and(|p| p.describes(bytes))
    }
}

fn crlf_to_lf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            i += 1;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// Whether a blob's content is a Git LFS pointer (the file is elsewhere).
pub fn is_lfs_pointer(bytes: &[u8]) -> bool {
    bytes.len() < 1024 && bytes.starts_with(LFS_POINTER)
}

struct Pointer {
    sha256: String,
    size: usize,
}

impl Pointer {
    fn describes(&self, bytes: &[u8]) -> bool {
        if bytes.len() != self.size {
            return false;
        }
        let digest = Sha256::digest(bytes);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        hex == self.sha256
    }
}

/// The pointer stored as `blob`, if it is one (read only when small).
fn lfs_pointer_of(git: &Repository, blob: Oid) -> Option<Pointer> {
    let (size, kind) = git.odb().ok()?.read_header(blob).ok()?;
    if kind != ObjectType::Blob || size >= 1024 {
        return None;
    }
    let blob = git.find_blob(blob).ok()?;
    let content = blob.content();
    if !is_lfs_pointer(content) {
        return None;
    }
    let text = std::str::from_utf8(content).ok()?;
    let mut sha256 = None;
    let mut size = None;
    for line in text.lines() {
        if let Some(hex) = line.strip_prefix("oid sha256:") {
            sha256 = Some(hex.trim().to_ascii_lowercase());
        } else if let Some(n) = line.strip_prefix("size ") {
            size = n.trim().parse().ok();
        }
    }
    Some(Pointer {
        sha256: sha256?,
        size: size?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings_are_normalised_like_git() {
        assert_eq!(crlf_to_lf(b"a\r\nb\r\n\rc\r"), b"a\nb\n\rc\r");
    }
}
