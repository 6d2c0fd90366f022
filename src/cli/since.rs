//! Since when owners and on-calls hold, for `who`, without walking the whole
//! semantic history: for each card's component and owner team, follow the
//! blob of the one file that defines it back along the first-parent line,
//! parsing that file only when its blob changes, until the value differs
//! (that child commit made it so) or the data began (unchanged since the
//! first commit). A component that appears in its file only later may have
//! been moved from another file, which only the full walk can tell apart
//! from an addition: then this gives up (None) and `who` walks.

use crate::history::{ChangeKind, Since};
use crate::model::parse::FileContent;
use crate::model::{Model, parse_file};
use crate::repo::{CommitInfo, Repo};
use crate::triage::SinceMaps;
use git2::{Commit, Oid};
use std::collections::{HashMap, HashSet};

/// What is followed: a component's owner, or a team's on-call.
#[derive(Clone, PartialEq, Eq, Debug)]
enum Value {
    Owner(String),
    OnCall(Option<(Option<String>, Option<String>, Option<String>)>),
}

struct Track {
    id: String,
    team: bool,
    /// The file, relative to the data folder.
    rel: String,
    current: Value,
    /// The blob of the newest version read that had the current value.
    blob: Option<Oid>,
    /// The oldest commit seen so far that has the current value.
    last_same: Option<CommitInfo>,
    resolved: Option<(CommitInfo, ChangeKind)>,
}

fn value_in(content: &FileContent, track: &Track) -> Option<Value> {
    match content {
        FileContent::Components(list) if !track.team => list
            .iter()
            .find(|c| c.id == track.id)
            .map(|c| Value::Owner(c.owner.clone())),
        FileContent::Team(t) if track.team => {
            Some(Value::OnCall(t.oncall.as_ref().map(|o| {
                (o.rotation.clone(), o.pager.clone(), o.hours.clone())
            })))
        }
        _ => None,
    }
}

/// The "since" maps for `components` and `teams` of `model`, read from
/// `start` back; None when only the full walk can tell.
pub fn quick_since(
    repo: &Repo,
    start: &Commit,
    model: &Model,
    components: &HashSet<String>,
    teams: &HashSet<String>,
) -> Option<SinceMaps> {
    // A catalog's owner or pager is not defined by one file: walk instead.
    if repo.source() == crate::backstage::DataSource::Backstage {
        return None;
    }
    let git = repo.git()?;
    // libgit2's re-hashing of every tree and blob read on the way back
    // (over half of `who` on a 20,000-commit repository) is off from
    // `Repo::open` on.
    let under = |rel: &str| {
        if repo.data_dir().is_empty() {
            rel.to_string()
        } else {
            format!("{}/{rel}", repo.data_dir())
        }
    };
    let mut tracks: Vec<Track> = Vec::new();
    for id in components {
        let c = model.component(id)?;
        tracks.push(Track {
            id: id.clone(),
            team: false,
            rel: c.location.file.clone(),
            current: Value::Owner(c.owner.clone()),
            blob: None,
            last_same: None,
            resolved: None,
        });
    }
    for id in teams {
        let t = model.team(id)?;
        tracks.push(Track {
            id: id.clone(),
            team: true,
            rel: format!("teams/{id}.toml"),
            current: Value::OnCall(
                t.oncall
                    .as_ref()
                    .map(|o| (o.rotation.clone(), o.pager.clone(), o.hours.clone())),
            ),
            blob: None,
            last_same: None,
            resolved: None,
        });
    }
    let mut walk = git.revwalk().ok()?;
    walk.push(start.id()).ok()?;
    walk.simplify_first_parent().ok()?;
    let marker = under("demarc.toml");
    let mut first_data: Option<CommitInfo> = None;
    let mut began = false;
    let odb = git.odb().ok()?;
    let mut paths = TreePaths::new(&odb);
    for oid in walk {
        // A missing object (a shallow clone's boundary): only the walk,
        // which reports the boundary, can say what is known.
        let commit = git.find_commit(oid.ok()?).ok()?;
        let root = commit.tree_id();
        // Unreadable, as `commit.tree()` failing was: the walk tells.
        paths.tree(root)?;
        if paths.entry(root, &marker).is_none() {
            began = true;
            break;
        }
        let info = CommitInfo::from_commit(&commit);
        first_data = Some(info.clone());
        for t in tracks.iter_mut().filter(|t| t.resolved.is_none()) {
            let blob = paths.entry(root, &under(&t.rel));
            let Some(blob) = blob else {
                let kind = if t.team {
                    // A team file is named by its id: it was added then.
                    ChangeKind::TeamAdded
                } else if !quoted_anywhere(git, &commit.tree().ok()?, &under("components"), &t.id)?
                {
                    ChangeKind::ComponentAdded
                } else {
                    // Moved from another file: the walk tells.
                    return None;
                };
                match &t.last_same {
                    Some(last) => t.resolved = Some((last.clone(), kind)),
                    None => return None,
                }
                continue;
            };
            if t.blob == Some(blob) {
                t.last_same = Some(info.clone());
                continue;
            }
            let bytes = crate::repo::read_blob_bounded(git, blob).ok()?;
            let parsed = parse_file(&t.rel, &bytes);
            let Some(content) = parsed.content else {
                // A broken version has no changes of its own (as in the
                // walk): the next good one is compared with the last good.
                continue;
            };
            match value_in(&content, t) {
                Some(v) if v == t.current => {
                    t.blob = Some(blob);
                    t.last_same = Some(info.clone());
                }
                Some(_) => match &t.last_same {
                    Some(last) => {
                        let kind = if t.team {
                            ChangeKind::OncallChanged
                        } else {
                            ChangeKind::OwnerChanged
                        };
                        t.resolved = Some((last.clone(), kind));
                    }
                    // The version read differs at its newest commit (an
                    // uncommitted edit): the walk says it plainly.
                    None => return None,
                },
                None if t.team => match &t.last_same {
                    Some(last) => t.resolved = Some((last.clone(), ChangeKind::TeamAdded)),
                    None => return None,
                },
                // Not in its file here: added at `last_same`, unless its id
                // is quoted in any component file of this version (moved).
                None => match (
                    &t.last_same,
                    quoted_anywhere(git, &commit.tree().ok()?, &under("components"), &t.id)?,
                ) {
                    (Some(last), false) => {
                        t.resolved = Some((last.clone(), ChangeKind::ComponentAdded))
                    }
                    _ => return None,
                },
            }
        }
        if tracks.iter().all(|t| t.resolved.is_some()) {
            break;
        }
    }
    // The root commit had data: the data began there.
    if !began && tracks.iter().any(|t| t.resolved.is_none()) {
        began = true;
    }
    let first = first_data.filter(|_| began);
    let mut owners = HashMap::new();
    let mut oncalls = HashMap::new();
    for t in tracks {
        let (commit, kind) = match t.resolved {
            Some(r) => r,
            // Unchanged back to where the data began.
            None => (
                first.clone()?,
                if t.team {
                    ChangeKind::TeamAdded
                } else {
                    ChangeKind::ComponentAdded
                },
            ),
        };
        let since = Since {
            holder: None,
            commit: commit.into(),
            kind,
        };
        if t.team {
            oncalls.insert(t.id, since);
        } else {
            owners.insert(t.id, since);
        }
    }
    Some(SinceMaps::from_maps(
        owners,
        oncalls,
        first.map(|f| f.id),
        Some("not in the history walked"),
    ))
}

/// The blob ids of paths at commits, read from the raw tree objects.
/// libgit2's `Tree::get_path` parses every entry of each tree on the way
/// (each mode as a number, each entry allocated), and the components
/// folder of a large organisation holds thousands of files: parsing it at
/// each of 2,000 commits was over a quarter of `who` at 200,000
/// components. Here an entry is found by scanning the object's bytes, and
/// the last trees read are kept by id, so a folder that did not change
/// between two commits is not read again.
struct TreePaths<'o, 'r> {
    odb: &'o git2::Odb<'r>,
    /// The objects as read (not copied: a large folder's tree is a few
    /// hundred kilobytes, fresh pages at each copy).
    trees: HashMap<Oid, std::rc::Rc<git2::OdbObject<'o>>>,
}

/// Trees kept: a commit reads a handful (the root, the data folder, its
/// components and teams folders); more would only hold memory.
const TREES_KEPT: usize = 16;

impl<'o, 'r> TreePaths<'o, 'r> {
    fn new(odb: &'o git2::Odb<'r>) -> TreePaths<'o, 'r> {
        TreePaths {
            odb,
            trees: HashMap::new(),
        }
    }

    /// The raw entries of tree `oid`; None when it is missing, unreadable
    /// or not a tree.
    fn tree(&mut self, oid: Oid) -> Option<std::rc::Rc<git2::OdbObject<'o>>> {
        if let Some(object) = self.trees.get(&oid) {
            return Some(object.clone());
        }
        let object = self.odb.read(oid).ok()?;
        if object.kind() != git2::ObjectType::Tree {
            return None;
        }
        let object = std::rc::Rc::new(object);
        if self.trees.len() >= TREES_KEPT {
            self.trees.clear();
        }
        self.trees.insert(oid, object.clone());
        Some(object)
    }

    /// The id of the entry at `path` (`/`-separated) under tree `root`, as
    /// `Tree::get_path(path).ok().map(|e| e.id())` gives it: None when a
    /// part is missing, a folder on the way is not a tree, or a tree on
    /// the way cannot be read.
    fn entry(&mut self, root: Oid, path: &str) -> Option<Oid> {
        let mut at = root;
        let mut parts = path.split('/').peekable();
        while let Some(name) = parts.next() {
            let object = self.tree(at)?;
            let (is_tree, oid) = find_entry(object.data(), name.as_bytes())?;
            if parts.peek().is_none() {
                return Some(oid);
            }
            if !is_tree {
                return None;
            }
            at = oid;
        }
        None
    }
}

/// The entry `name` of a raw tree object (entries of `MODE NAME\0` and
/// the 20-byte id): whether it is a tree, and its id. None when it is not
/// there or the object is cut short.
fn find_entry(data: &[u8], name: &[u8]) -> Option<(bool, Oid)> {
    let mut at = 0;
    while at < data.len() {
        // The mode is a few digits: a short loop. The name is longer: one
        // `memchr` for its end (the id after it is skipped, not searched).
        let space = at + data[at..].iter().position(|&b| b == b' ')?;
        let nul = space + 1 + memchr::memchr(0, &data[space + 1..])?;
        let id = data.get(nul + 1..nul + 21)?;
        if &data[space + 1..nul] == name {
            // A folder's mode, read in octal as libgit2 reads it.
            let mode = data[at..space].iter().try_fold(0u32, |m, d| match d {
                b'0'..=b'7' => m.checked_mul(8)?.checked_add(u32::from(d - b'0')),
                _ => None,
            })?;
            return Some((mode & 0o170000 == 0o040000, Oid::from_bytes(id).ok()?));
        }
        at = nul + 21;
    }
    None
}

/// Is `id`, quoted, anywhere in the component files of `tree`? A cheap,
/// conservative test for "this component existed in this version": a
/// false yes only sends `who` to the full walk. None: unreadable.
fn quoted_anywhere(git: &git2::Repository, tree: &git2::Tree, dir: &str, id: &str) -> Option<bool> {
    let Ok(entry) = tree.get_path(std::path::Path::new(dir)) else {
        return Some(false);
    };
    let folder = git.find_tree(entry.id()).ok()?;
    let needles = [format!("\"{id}\""), format!("'{id}'")];
    for item in folder.iter() {
        let Ok(text) = crate::repo::read_blob_bounded(git, item.id()) else {
            continue;
        };
        let text = text.as_slice();
        if needles
            .iter()
            .any(|n| memchr::memmem::find(text, n.as_bytes()).is_some())
        {
            return Some(true);
        }
    }
    Some(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every path of a small repository (folders, files, missing names,
    /// a file taken for a folder) is found as libgit2's `get_path` finds it.
    #[test]
    fn a_raw_tree_lookup_finds_what_get_path_finds() {
        let dir = tempfile::tempdir().unwrap();
        let git = git2::Repository::init(dir.path()).unwrap();
        let blob = |text: &str| git.blob(text.as_bytes()).unwrap();
        let mut inner = git.treebuilder(None).unwrap();
        for (i, name) in ["a.toml", "b c.toml", "é.toml", "z"].iter().enumerate() {
            inner.insert(name, blob(&format!("{i}")), 0o100644).unwrap();
        }
        inner.insert("run.sh", blob("x"), 0o100755).unwrap();
        let inner = inner.write().unwrap();
        let mut data = git.treebuilder(None).unwrap();
        data.insert("components", inner, 0o040000).unwrap();
        data.insert("demarc.toml", blob("schema = 1"), 0o100644)
            .unwrap();
        let data = data.write().unwrap();
        let mut root = git.treebuilder(None).unwrap();
        root.insert("ownership", data, 0o040000).unwrap();
        root.insert("README", blob("r"), 0o100644).unwrap();
        let root = root.write().unwrap();
        let tree = git.find_tree(root).unwrap();
        let odb = git.odb().unwrap();
        let mut paths = TreePaths::new(&odb);
        let mut found = 0;
        for path in [
            "ownership",
            "ownership/demarc.toml",
            "ownership/components",
            "ownership/components/a.toml",
            "ownership/components/b c.toml",
            "ownership/components/é.toml",
            "ownership/components/z",
            "ownership/components/run.sh",
            "ownership/components/c.toml",
            "ownership/components/a",
            "ownership/demarc.toml/x",
            "README",
            "README/x",
            "missing",
            "missing/a.toml",
            "ownershi",
        ] {
            let want = tree
                .get_path(std::path::Path::new(path))
                .ok()
                .map(|e| e.id());
            assert_eq!(paths.entry(root, path), want, "{path}");
            found += usize::from(want.is_some());
        }
        assert_eq!(found, 9, "the paths that are there");
    }
}
