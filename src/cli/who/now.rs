//! The work tree beside a commit, for the cards' "what differs now".
//!
//! Only the cards' facts are compared (owner, its on-call, tier, duties,
//! consumers; a scenario's responders), never findings, so the work tree's
//! model needs only what those cards read: every file but the component
//! files that are the commit's own bytes and hold none of the components
//! the cards look up (nor any a team card lists as owned). At 200,000 components the whole model (every
//! component copied from the commit's parsed files, then freed) was a
//! sixth of `who --at`; this one holds a few component files.

use crate::model::parse::{FileContent, FileKind};
use crate::model::{Model, SubjectKind};
use crate::repo::{self, Loaded, ParsedFiles, Repo, Snapshot, Source};
use crate::triage::Match;
use git2::Oid;
use std::collections::{HashMap, HashSet};

/// The work tree, read before the commit beside it so that the commit
/// takes from it every file that has the same bytes (`Repo::snapshot_taking`)
/// instead of inflating it from the packs: at 200,000 components reading
/// the commit's blobs (libgit2 re-hashing each) was a fifth of `who --at`.
pub(super) struct Beside {
    snapshot: Snapshot,
    by_path: HashMap<String, usize>,
    by_blob: HashMap<Oid, usize>,
    /// Files whose bytes went to the commit (see `take`).
    moved: Vec<bool>,
}

impl Beside {
    /// The work tree beside a commit, when there is one to read (not a
    /// bare repository, not a catalog) and it reads; else None, and the
    /// commit and the work tree are read as before.
    pub(super) fn read(repo: &Repo, source: &Source) -> Option<Beside> {
        if *source == Source::WorkTree
            || repo.root().is_none()
            || repo.git().is_none()
            || repo.source() == crate::backstage::DataSource::Backstage
        {
            return None;
        }
        let snapshot = repo.snapshot(&Source::WorkTree).ok()?;
        let files = &snapshot.files;
        let by_path = files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.path.clone(), i))
            .collect();
        let mut by_blob = HashMap::new();
        for (i, f) in files.iter().enumerate() {
            if let Some(blob) = f.blob {
                by_blob.entry(blob).or_insert(i);
            }
        }
        let moved = vec![false; files.len()];
        Some(Beside {
            snapshot,
            by_path,
            by_blob,
            moved,
        })
    }

    /// The bytes of the commit's file at `path` with blob id `blob`, when
    /// a work-tree file has them (its blob id is that of its bytes). A
    /// component file at the same path is moved, not copied: "what differs
    /// now" takes it from the commit's parsed files (same blob, same path;
    /// `all_offered` checks), never reading its bytes again; any other file
    /// is copied (a `demarc.toml` says whether it is a catalog, a changed
    /// scenario file is searched for ids).
    pub(super) fn take(&mut self, path: &str, blob: Oid) -> Option<Vec<u8>> {
        let files = &mut self.snapshot.files;
        if let Some(&i) = self.by_path.get(path)
            && files[i].blob == Some(blob)
        {
            if FileKind::of_path(path) == Some(FileKind::Components) {
                self.moved[i] = true;
                return Some(std::mem::take(&mut files[i].bytes));
            }
            return Some(files[i].bytes.clone());
        }
        // The same bytes under another name (a file renamed since); not
        // those already moved away.
        let &i = self.by_blob.get(&blob)?;
        (!self.moved[i]).then(|| files[i].bytes.clone())
    }

    /// Whether every file whose bytes went to the commit is offered by the
    /// commit's parsed files (`ParsedFiles::fill_from` done), so the work
    /// tree never needs them. When not, the work tree is read again.
    pub(super) fn all_offered(&self, parsed: &ParsedFiles) -> bool {
        self.snapshot
            .files
            .iter()
            .zip(&self.moved)
            .filter(|(_, moved)| **moved)
            .all(|(f, _)| {
                f.blob
                    .is_some_and(|blob| parsed.get(blob, &f.path).is_some())
            })
    }

    pub(super) fn into_snapshot(self) -> Snapshot {
        self.snapshot
    }
}

/// The work tree's model, holding at least what the cards of `matches`
/// (found in `then`, the commit's model) read from it; None when it
/// cannot be read. `beside`: the work tree as read already (its component
/// files that are the commit's bytes may have none: see `Beside::take`).
pub(super) fn read(
    repo: &Repo,
    then: &Model,
    parsed: &ParsedFiles,
    matches: &[Match],
    exit: super::Exit,
    beside: Option<Snapshot>,
) -> Option<Loaded> {
    let snapshot = match beside {
        Some(snapshot) => snapshot,
        None => repo.snapshot(&Source::WorkTree).ok()?,
    };
    // A catalog is mapped as a whole, not file by file.
    if crate::backstage::is_catalog_snapshot(&snapshot) {
        return repo::load_reusing(repo, &Source::WorkTree, repo::Checks::Skip, parsed).ok();
    }
    // None: the whole work tree.
    let needed = needed_components(&snapshot, parsed, then, matches);
    // A team's card lists every component it owns.
    let owners: HashSet<&str> = matches
        .iter()
        .filter(|m| m.subject.kind == SubjectKind::Team)
        .map(|m| m.subject.id.as_str())
        .collect();
    let Snapshot {
        origin,
        files,
        diagnostics: skipped,
    } = snapshot;
    // Files are kept in their order: a component defined twice is the
    // first one in the whole model, and so here.
    let (files, left): (Vec<_>, Vec<_>) = files.into_iter().partition(|f| {
        let Some(needed) = &needed else {
            return true;
        };
        let same = f.blob.and_then(|blob| parsed.get(blob, &f.path));
        match same.and_then(|p| p.content.as_ref()) {
            Some(FileContent::Components(list)) => list
                .iter()
                .any(|c| needed.contains(&c.id) || owners.contains(c.owner.as_str())),
            _ => true,
        }
    });
    // The bytes of most of the data folder.
    exit.done_with(left);
    let snapshot = Snapshot {
        origin,
        files,
        diagnostics: skipped,
    };
    let (model, mut diagnostics, _) = repo::parse_snapshot_reusing(&snapshot, Some(parsed));
    diagnostics.extend(snapshot.diagnostics);
    crate::model::diag::sort_for_display(&mut diagnostics);
    Some(Loaded {
        origin: snapshot.origin,
        model,
        diagnostics,
        files: snapshot.files.into_iter().map(|f| f.path).collect(),
    })
}

/// The components the cards of `matches` read in the work tree's model:
/// each component card's own, and a scenario card's; then the components
/// of every scenario that names one of them (a scenario's `@consumers`
/// are its components' consumers). Scenarios are the work tree's, from
/// the commit's files as parsed. None when a scenario file differs from
/// the commit's and may name one of them (its text holds one of the ids,
/// or an escape that could spell one): only the whole model says which
/// (each version is parsed at most once, so it is not parsed here).
fn needed_components(
    snapshot: &Snapshot,
    parsed: &ParsedFiles,
    then: &Model,
    matches: &[Match],
) -> Option<HashSet<String>> {
    let mut scenarios = Vec::new();
    let mut changed = Vec::new();
    for f in &snapshot.files {
        if FileKind::of_path(&f.path) != Some(FileKind::Scenarios) {
            continue;
        }
        match f.blob.and_then(|blob| parsed.get(blob, &f.path)) {
            Some(same) => scenarios.extend(content_scenarios(same.content.as_ref())),
            None => changed.push(f.bytes.as_slice()),
        }
    }
    let mut cards: HashSet<&str> = HashSet::new();
    let mut named: Vec<&str> = Vec::new();
    for m in matches {
        let id = m.subject.id.as_str();
        match m.subject.kind {
            SubjectKind::Component => {
                cards.insert(id);
            }
            SubjectKind::Scenario => {
                named.push(id);
                // Now's scenario (the commit's too: a superset costs
                // only a file).
                let all = scenarios.iter().copied().chain(&then.scenarios);
                for s in all.filter(|s| s.id == id) {
                    cards.extend(s.components.iter().map(String::as_str));
                }
            }
            _ => {}
        }
    }
    let may_name = |text: &[u8]| {
        text.contains(&b'\\')
            || cards
                .iter()
                .chain(&named)
                .any(|id| memchr::memmem::find(text, id.as_bytes()).is_some())
    };
    if changed.into_iter().any(may_name) {
        return None;
    }
    let mut needed: HashSet<String> = cards.iter().map(|id| id.to_string()).collect();
    for s in &scenarios {
        if s.components.iter().any(|id| cards.contains(id.as_str())) {
            needed.extend(s.components.iter().cloned());
        }
    }
    Some(needed)
}

fn content_scenarios(
    content: Option<&FileContent>,
) -> impl Iterator<Item = &crate::model::Scenario> {
    let list = match content {
        Some(FileContent::Scenarios(list)) => list.as_slice(),
        _ => &[],
    };
    list.iter()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Subject;
    use crate::triage::{self, MatchClass};

    /// Every component, team and scenario of the sample at several
    /// commits, its card now from the kept files and from the whole work
    /// tree: the same card, so the same "what differs now". The work tree
    /// is edited so that owners, on-calls, scenarios and files differ from
    /// every commit (a component moved to a new file, one removed, a team
    /// file gone).
    #[test]
    fn the_cards_now_are_those_of_the_whole_work_tree() {
        let dir = tempfile::tempdir().unwrap();
        crate::sample::build(dir.path()).unwrap();
        let repo = Repo::open(dir.path(), None).unwrap();
        let data = dir.path().join(repo.data_dir());
        edit_work_tree(&data);
        let mut compared = 0;
        // Whether some card needed less than the whole work tree (at HEAD:
        // its last commit rewrote every component file).
        let mut left_out = false;
        for rev in ["HEAD", "HEAD~1", "HEAD~4", "HEAD~9", "HEAD~20"] {
            let source = Source::Rev(rev.to_string());
            let Ok(mut fa) = repo::load_for_answers_keeping(&repo, &source, repo::Checks::Skip)
            else {
                continue;
            };
            fa.parsed.fill_from(&fa.loaded.model);
            let then = &fa.loaded.model;
            let whole =
                repo::load_reusing(&repo, &Source::WorkTree, repo::Checks::Skip, &fa.parsed)
                    .unwrap();
            let asks = every_ask(then);
            for ask in &asks {
                let kept = read(
                    &repo,
                    then,
                    &fa.parsed,
                    ask,
                    super::super::Exit::Later,
                    None,
                )
                .unwrap();
                left_out |= kept.files.len() < whole.files.len();
                for m in ask {
                    let card = |l: &Loaded| card_json(l, &m.subject);
                    assert_eq!(card(&kept), card(&whole), "{rev} {:?}", m.subject);
                    compared += 1;
                }
            }
        }
        assert!(left_out, "the comparison tested nothing");
        assert!(compared > 100, "{compared} cards compared");
    }

    /// The commit read taking the work tree's bytes (`Beside`) is the
    /// commit read from the object database: the same model, findings and
    /// files, every moved file offered by the parsed set, and the same
    /// cards now. The work tree is edited as above, a team file renamed
    /// (its bytes found by blob id under another name), and the last
    /// commit holds a component file twice (its second copy gone from the
    /// work tree): the copy's bytes are those of a file moved already, so
    /// they are read from the repository, never taken empty.
    #[test]
    fn a_commit_taking_the_work_trees_bytes_reads_the_same() {
        let dir = tempfile::tempdir().unwrap();
        crate::sample::build(dir.path()).unwrap();
        let repo = Repo::open(dir.path(), None).unwrap();
        let data = dir.path().join(repo.data_dir());
        let mut components: Vec<_> = std::fs::read_dir(data.join("components"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        components.sort();
        let copy = data.join("components").join("zz-copy.toml");
        std::fs::copy(&components[2], &copy).unwrap();
        commit_file(dir.path(), &copy);
        std::fs::remove_file(&copy).unwrap();
        edit_work_tree(&data);
        let mut teams: Vec<_> = std::fs::read_dir(data.join("teams"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        teams.sort();
        std::fs::rename(&teams[2], data.join("teams").join("zz-renamed.toml")).unwrap();
        let (mut moved, mut cards) = (0, 0);
        for rev in ["HEAD", "HEAD~1", "HEAD~2", "HEAD~5", "HEAD~10", "HEAD~21"] {
            let source = Source::Rev(rev.to_string());
            let Ok(mut plain) = repo::load_for_answers_keeping(&repo, &source, repo::Checks::Skip)
            else {
                continue;
            };
            plain.parsed.fill_from(&plain.loaded.model);
            let mut beside = Beside::read(&repo, &source).unwrap();
            let mut taken = repo::load_for_answers_taking(
                &repo,
                &source,
                repo::Checks::Skip,
                &mut |path, blob| beside.take(path, blob),
            )
            .unwrap();
            taken.parsed.fill_from(&taken.loaded.model);
            assert!(beside.all_offered(&taken.parsed), "{rev}");
            moved += beside.moved.iter().filter(|m| **m).count();
            let (a, b) = (&plain.loaded, &taken.loaded);
            assert_eq!(a.model, b.model, "{rev}");
            assert_eq!(a.diagnostics, b.diagnostics, "{rev}");
            assert_eq!(a.files, b.files, "{rev}");
            assert_eq!(
                format!("{:?}", a.origin),
                format!("{:?}", b.origin),
                "{rev}"
            );
            assert_eq!(plain.incomplete, taken.incomplete, "{rev}");
            // The cards now, from the work tree read again and from the
            // one whose bytes went to the commit.
            let then = &taken.loaded.model;
            let snapshot = beside.into_snapshot();
            let asks = every_ask(then);
            let later = super::super::Exit::Later;
            for ask in &asks {
                let again = read(&repo, then, &taken.parsed, ask, later, None).unwrap();
                let kept = read(
                    &repo,
                    then,
                    &taken.parsed,
                    ask,
                    later,
                    Some(snapshot.clone()),
                );
                let kept = kept.unwrap();
                for m in ask {
                    let card = |l: &Loaded| card_json(l, &m.subject);
                    assert_eq!(card(&kept), card(&again), "{rev} {:?}", m.subject);
                    cards += 1;
                }
            }
        }
        assert!(
            moved >= 10,
            "{moved} files moved: the bytes were read, not taken"
        );
        assert!(cards > 100, "{cards} cards compared");
    }

    /// The card of `subject` in `loaded`, as JSON, to compare whole.
    fn card_json(loaded: &Loaded, subject: &Subject) -> Option<String> {
        triage::build_card(&loaded.model, &loaded.diagnostics, subject)
            .map(|c| serde_json::to_string(&c).unwrap())
    }

    /// Every subject of `model` asked alone, and all of them at once.
    fn every_ask(model: &Model) -> Vec<Vec<Match>> {
        let subjects: Vec<Subject> = model.component_team_scenario_subjects().collect();
        let one = |s: &Subject| Match {
            subject: s.clone(),
            score: 0,
            class: MatchClass::Exact,
        };
        let mut asks: Vec<Vec<Match>> = subjects.iter().map(|s| vec![one(s)]).collect();
        asks.push(subjects.iter().map(one).collect());
        asks
    }

    /// Commits `file` (in the work tree of the repository at `root`) on HEAD.
    fn commit_file(root: &std::path::Path, file: &std::path::Path) {
        let git = git2::Repository::open(root).unwrap();
        let mut index = git.index().unwrap();
        index.add_path(file.strip_prefix(root).unwrap()).unwrap();
        index.write().unwrap();
        let tree = git.find_tree(index.write_tree().unwrap()).unwrap();
        let head = git.head().unwrap().peel_to_commit().unwrap();
        let when = git2::Time::new(head.time().seconds() + 60, 0);
        let who = git2::Signature::new("Test", "test@example.com", &when).unwrap();
        git.commit(
            Some("HEAD"),
            &who,
            &who,
            "Copy a component file",
            &tree,
            &[&head],
        )
        .unwrap();
    }

    /// Owners swapped, a component moved to a new file and one removed, a
    /// team's file deleted, a scenario's components changed.
    fn edit_work_tree(data: &std::path::Path) {
        let components = data.join("components");
        let mut files: Vec<_> = std::fs::read_dir(&components)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        // The first file's owners go to the second file's, and its last
        // component moves to a file of its own.
        let first = std::fs::read_to_string(&files[0]).unwrap();
        let second = std::fs::read_to_string(&files[1]).unwrap();
        let owner = |text: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix("owner = ").map(str::to_string))
                .unwrap()
        };
        let edited = first.replace(
            &format!("owner = {}", owner(&first)),
            &format!("owner = {}", owner(&second)),
        );
        let cut = edited.rfind("[[component]]").unwrap();
        std::fs::write(&files[0], &edited[..cut]).unwrap();
        std::fs::write(components.join("zz-moved.toml"), &edited[cut..]).unwrap();
        // The second file loses its first component.
        let at = second.find("[[component]]").unwrap();
        let next = second[at + 1..].find("[[component]]").map(|n| at + 1 + n);
        if let Some(next) = next {
            std::fs::write(&files[1], format!("{}{}", &second[..at], &second[next..])).unwrap();
        }
        // A team file goes; another's pager changes.
        let mut teams: Vec<_> = std::fs::read_dir(data.join("teams"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        teams.sort();
        std::fs::remove_file(&teams[0]).unwrap();
        let team = std::fs::read_to_string(&teams[1]).unwrap();
        std::fs::write(&teams[1], team.replacen("pager = \"", "pager = \"x-", 1)).unwrap();
        // A scenario names one more component.
        let scenarios = data.join("scenarios");
        if let Some(file) = std::fs::read_dir(&scenarios)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .min()
        {
            let text = std::fs::read_to_string(&file).unwrap();
            let id = edited[cut..]
                .lines()
                .find_map(|l| l.strip_prefix("id = "))
                .unwrap()
                .to_string();
            let text = text.replacen("components = [", &format!("components = [{id}, "), 1);
            std::fs::write(&file, text).unwrap();
        }
    }
}
