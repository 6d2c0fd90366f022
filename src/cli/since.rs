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
    // As in the history walk: git does not re-hash the objects it reads,
    // and demarc only reads; SHA-1 of every tree and blob on the way back
    // was over half of `who` on a 20,000-commit repository. (Process-wide.)
    git2::opts::strict_hash_verification(false);
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
    for oid in walk {
        // A missing object (a shallow clone's boundary): only the walk,
        // which reports the boundary, can say what is known.
        let commit = git.find_commit(oid.ok()?).ok()?;
        let tree = commit.tree().ok()?;
        if tree.get_path(std::path::Path::new(&marker)).is_err() {
            began = true;
            break;
        }
        let info = CommitInfo::from_commit(&commit);
        first_data = Some(info.clone());
        for t in tracks.iter_mut().filter(|t| t.resolved.is_none()) {
            let blob = tree
                .get_path(std::path::Path::new(&under(&t.rel)))
                .ok()
                .map(|e| e.id());
            let Some(blob) = blob else {
                let kind = if t.team {
                    // A team file is named by its id: it was added then.
                    ChangeKind::TeamAdded
                } else if !quoted_anywhere(git, &tree, &under("components"), &t.id)? {
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
                    quoted_anywhere(git, &tree, &under("components"), &t.id)?,
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
            commit,
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
