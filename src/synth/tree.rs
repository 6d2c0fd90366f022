//! An in-memory tree that remembers each folder's git tree id until
//! something under it changes: a commit then rebuilds only the folders on
//! the changed paths and reuses every other subtree id as is.
//!
//! Trees are serialized here rather than through libgit2's treebuilder
//! (which copied, validated and sorted every entry of a folder for each
//! commit: a third of the generator's time at 100,000 commits, growing
//! with the folders). Entries are kept in git's order, so writing is one
//! pass; a test holds the ids to the treebuilder's.

use git2::{ObjectType, Odb, Oid};
use std::collections::BTreeMap;

enum Node {
    Blob(Oid),
    Dir(Dir),
}

/// A folder. Entries are keyed in git's tree order: a file by its name, a
/// folder by its name and a `/` (git compares a folder's name as if it
/// ended so: `a.rs` comes before the folder `a`, which comes before `a0`).
#[derive(Default)]
pub struct Dir {
    entries: BTreeMap<String, Node>,
    /// The written tree's id; None once something under it changed.
    written: Option<Oid>,
}

impl Dir {
    /// Sets the blob at a `/`-separated path, creating folders on the way
    /// (a file in the way becomes a folder, a folder in the way a file).
    pub fn set(&mut self, path: &str, blob: Oid) {
        self.written = None;
        match path.split_once('/') {
            None => {
                self.entries.remove(&format!("{path}/"));
                self.entries.insert(path.to_string(), Node::Blob(blob));
            }
            Some((head, rest)) => {
                self.entries.remove(head);
                let node = self
                    .entries
                    .entry(format!("{head}/"))
                    .or_insert_with(|| Node::Dir(Dir::default()));
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
            None => {
                if matches!(self.entries.get(path), Some(Node::Blob(_))) {
                    self.entries.remove(path);
                    true
                } else {
                    false
                }
            }
            Some((head, rest)) => {
                let key = format!("{head}/");
                let Some(Node::Dir(dir)) = self.entries.get_mut(&key) else {
                    return false;
                };
                let removed = dir.remove(rest);
                if dir.entries.is_empty() {
                    self.entries.remove(&key);
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
    /// id. Each tree written is added to `new` with its path (the pack
    /// writer deltas each against the previous tree at its path).
    pub fn write(&mut self, odb: &Odb, new: &mut Vec<(Oid, String)>) -> Result<Oid, git2::Error> {
        self.write_at(odb, "", new)
    }

    fn write_at(
        &mut self,
        odb: &Odb,
        path: &str,
        new: &mut Vec<(Oid, String)>,
    ) -> Result<Oid, git2::Error> {
        if let Some(oid) = self.written {
            return Ok(oid);
        }
        // "mode name\0" and the 20-byte id, per entry, as git writes them.
        let mut bytes = Vec::with_capacity(self.entries.len() * 48);
        for (key, node) in self.entries.iter_mut() {
            match node {
                Node::Blob(oid) => {
                    bytes.extend_from_slice(b"100644 ");
                    bytes.extend_from_slice(key.as_bytes());
                    bytes.push(0);
                    bytes.extend_from_slice(oid.as_bytes());
                }
                Node::Dir(dir) => {
                    let name = &key[..key.len() - 1];
                    let oid = match dir.written {
                        Some(oid) => oid,
                        None => {
                            let sub = if path.is_empty() {
                                name.to_string()
                            } else {
                                format!("{path}/{name}")
                            };
                            dir.write_at(odb, &sub, new)?
                        }
                    };
                    bytes.extend_from_slice(b"40000 ");
                    bytes.extend_from_slice(name.as_bytes());
                    bytes.push(0);
                    bytes.extend_from_slice(oid.as_bytes());
                }
            }
        }
        let oid = odb.write(ObjectType::Tree, &bytes)?;
        self.written = Some(oid);
        new.push((oid, path.to_string()));
        Ok(oid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use git2::Repository;

    #[test]
    fn unchanged_subtrees_keep_their_ids_and_removal_prunes_empty_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let repo = Repository::init(tmp.path()).unwrap();
        let a = repo.blob(b"a").unwrap();
        let b = repo.blob(b"b").unwrap();
        let mut root = Dir::default();
        root.set("x/one.txt", a);
        root.set("y/z/two.txt", a);
        let first = root.write(&repo.odb().unwrap(), &mut Vec::new()).unwrap();
        let y_before = repo.find_tree(first).unwrap().get_name("y").unwrap().id();

        root.set("x/one.txt", b);
        let second = root.write(&repo.odb().unwrap(), &mut Vec::new()).unwrap();
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
        let third = root.write(&repo.odb().unwrap(), &mut Vec::new()).unwrap();
        assert!(repo.find_tree(third).unwrap().get_name("y").is_none());
    }

    /// The ids are libgit2's treebuilder's, names that git orders apart
    /// from plain byte order included (a folder `a` and a file `a.rs`).
    #[test]
    fn trees_are_the_bytes_libgit2_writes() {
        let tmp = tempfile::tempdir().unwrap();
        let repo = Repository::init(tmp.path()).unwrap();
        let odb = repo.odb().unwrap();
        let blob = repo.blob(b"x").unwrap();
        let paths = [
            "a.rs",
            "a/b.rs",
            "a0",
            "a-b/c",
            "a_b",
            "ab/c/d.toml",
            "ab.md",
            "z",
            "Z/y",
            "é/x",
            "a/b/c.rs",
        ];
        let mut root = Dir::default();
        for p in paths {
            root.set(p, blob);
        }
        root.set("z/now-a-folder", blob); // the file z becomes a folder
        root.set("a0", repo.blob(b"y").unwrap());
        let ours = root.write(&odb, &mut Vec::new()).unwrap();

        // The same tree through libgit2's treebuilder, folder by folder.
        fn build(repo: &Repository, dir: &Dir) -> Oid {
            let mut builder = repo.treebuilder(None).unwrap();
            for (key, node) in &dir.entries {
                match node {
                    Node::Blob(oid) => builder.insert(key, *oid, 0o100644).unwrap(),
                    Node::Dir(d) => builder
                        .insert(key.trim_end_matches('/'), build(repo, d), 0o040000)
                        .unwrap(),
                };
            }
            builder.write().unwrap()
        }
        assert_eq!(ours, build(&repo, &root));
        let tree = repo.find_tree(ours).unwrap();
        let names: Vec<_> = tree.iter().map(|e| e.name().unwrap().to_string()).collect();
        assert_eq!(
            names,
            [
                "Z", "a-b", "a.rs", "a", "a0", "a_b", "ab.md", "ab", "z", "é"
            ]
        );
    }
}
