//! An in-memory tree that remembers each folder's git tree id until
//! something under it changes: a commit then rebuilds only the folders on
//! the changed paths and reuses every other subtree id as is.

use git2::{FileMode, Oid, Repository};
use std::collections::BTreeMap;

enum Node {
    Blob(Oid),
    Dir(Dir),
}

#[derive(Default)]
pub struct Dir {
    entries: BTreeMap<String, Node>,
    /// The written tree's id; None once something under it changed.
    written: Option<Oid>,
}

impl Dir {
    /// Sets the blob at a `/`-separated path, creating folders on the way.
    pub fn set(&mut self, path: &str, blob: Oid) {
        self.written = None;
        match path.split_once('/') {
            None => {
                self.entries.insert(path.to_string(), Node::Blob(blob));
            }
            Some((head, rest)) => {
                let node = self
                    .entries
                    .entry(head.to_string())
                    .or_insert_with(|| Node::Dir(Dir::default()));
                if let Node::Blob(_) = node {
                    *node = Node::Dir(Dir::default());
                }
                if let Node::Dir(dir) = node {
                    dir.set(rest, blob);
                }
            }
        }
    }

    /// Removes the file at a path; folders left empty go too (git has no
    /// empty trees). Returns whether there was a file.
    pub fn remove(&mut self, path: &str) -> bool {
        let removed = match path.split_once('/') {
            None => matches!(self.entries.remove(path), Some(Node::Blob(_))),
            Some((head, rest)) => {
                let Some(Node::Dir(dir)) = self.entries.get_mut(head) else {
                    return false;
                };
                let removed = dir.remove(rest);
                if dir.entries.is_empty() {
                    self.entries.remove(head);
                }
                removed
            }
        };
        if removed {
            self.written = None;
        }
        removed
    }

    /// Writes the folders that changed since the last write; the root's tree
    /// id. Each tree written is added to `new` with its path (the packer
    /// uses paths to find good deltas).
    pub fn write(
        &mut self,
        repo: &Repository,
        new: &mut Vec<(Oid, String)>,
    ) -> Result<Oid, git2::Error> {
        self.write_at(repo, "", new)
    }

    fn write_at(
        &mut self,
        repo: &Repository,
        path: &str,
        new: &mut Vec<(Oid, String)>,
    ) -> Result<Oid, git2::Error> {
        if let Some(oid) = self.written {
            return Ok(oid);
        }
        let mut builder = repo.treebuilder(None)?;
        for (name, node) in self.entries.iter_mut() {
            match node {
                Node::Blob(oid) => builder.insert(name, *oid, i32::from(FileMode::Blob))?,
                Node::Dir(dir) => {
                    let sub = if path.is_empty() {
                        name.clone()
                    } else {
                        format!("{path}/{name}")
                    };
                    builder.insert(
                        name,
                        dir.write_at(repo, &sub, new)?,
                        i32::from(FileMode::Tree),
                    )?
                }
            };
        }
        let oid = builder.write()?;
        self.written = Some(oid);
        new.push((oid, path.to_string()));
        Ok(oid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unchanged_subtrees_keep_their_ids_and_removal_prunes_empty_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let repo = Repository::init(tmp.path()).unwrap();
        let a = repo.blob(b"a").unwrap();
        let b = repo.blob(b"b").unwrap();
        let mut root = Dir::default();
        root.set("x/one.txt", a);
        root.set("y/z/two.txt", a);
        let first = root.write(&repo, &mut Vec::new()).unwrap();
        let y_before = repo.find_tree(first).unwrap().get_name("y").unwrap().id();

        root.set("x/one.txt", b);
        let second = root.write(&repo, &mut Vec::new()).unwrap();
        let tree = repo.find_tree(second).unwrap();
        assert_ne!(first, second);
        assert_eq!(tree.get_name("y").unwrap().id(), y_before);
        assert_eq!(
            tree.get_path(std::path::Path::new("x/one.txt"))
                .unwrap()
                .id(),
            b
        );

        assert!(root.remove("y/z/two.txt"));
        assert!(!root.remove("y/z/two.txt"));
        let third = root.write(&repo, &mut Vec::new()).unwrap();
        assert!(repo.find_tree(third).unwrap().get_name("y").is_none());
    }
}
