//! The walk: HEAD's first-parent history, newest first, in batches.
//!
//! Built for a worker thread: `Walker::next_batch` (or `walk` with a
//! callback that can return `ControlFlow::Break`) hands out entries as soon
//! as a batch is ready, so the first screen does not wait for the whole
//! history, and the caller can stop at any time.
//!
//! The walk carries the data folder's state backwards (see `state.rs`): a
//! commit whose data tree id equals its parent's is skipped without reading
//! anything else. A commit whose data does not parse is recorded as broken;
//! the next good commit is compared with the last good one before it, so a
//! break-and-fix shows no phantom changes. A shallow clone's history stops
//! at its boundary with a note.

use super::change::Change;
use super::diff::{Aliases, diff_parts_aliased};
use super::state::{DataState, FileVersion, HowRead, ParseCache, PathDelta};
use crate::model::{Diagnostic, ParsedFile};
use crate::repo::{CommitInfo, Error, RawCommit, Repo, Result, read_raw_commit};
use chrono::{DateTime, FixedOffset};
use git2::{Commit, Oid, Repository};
use serde::Serialize;
use serde::ser::SerializeStruct;
use std::collections::{HashMap, HashSet, VecDeque};
use std::ops::ControlFlow;
use std::path::Path;
use std::sync::Arc;

/// One commit that changed the data folder, and what it changed.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    pub commit: CommitInfo,
    /// The parser's error when the commit's data does not parse; its
    /// changes are then empty and count towards the next good commit.
    pub broken: Option<Diagnostic>,
    /// Boundary changes against the last good version before it. Empty for
    /// a commit that changed the data but no boundary (review dates, say).
    pub changes: Vec<Change>,
}

impl HistoryEntry {
    pub fn is_broken(&self) -> bool {
        self.broken.is_some()
    }

    /// `components/delivery.toml:86:1: unclosed array`, for a broken commit.
    pub fn error(&self) -> Option<String> {
        self.broken
            .as_ref()
            .map(|d| format!("{}: {}", d.location, d.message))
    }
}

/// The `history --json` shape of the contract: commit, author, email,
/// time, message, broken, error (when broken), changes.
impl Serialize for HistoryEntry {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("HistoryEntry", 8)?;
        s.serialize_field("commit", &self.commit.id)?;
        s.serialize_field("author", &self.commit.author)?;
        s.serialize_field("email", &self.commit.email)?;
        s.serialize_field("time", &self.commit.time.to_rfc3339())?;
        s.serialize_field("message", &self.commit.message)?;
        s.serialize_field("broken", &self.is_broken())?;
        if let Some(error) = self.error() {
            s.serialize_field("error", &error)?;
            s.serialize_field("error_location", &self.broken.as_ref().map(|d| &d.location))?;
        }
        s.serialize_field("changes", &self.changes)?;
        s.end()
    }
}

/// What to walk.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Where to start (any rev-spec git understands); HEAD when None.
    pub start: Option<String>,
    /// Leave out commits before this time (the walk stops there).
    pub since: Option<DateTime<FixedOffset>>,
    /// Start at the last first-parent commit at or before this time.
    pub until: Option<DateTime<FixedOffset>>,
    /// Entries per batch; the first batch is the first screen of a list.
    pub batch_size: usize,
    /// The most bytes of rebuilt pack objects kept for the next delta (see
    /// `repo::PackReader`): the default suits a walk that is all its
    /// process does; the dashboard's walk, beside the whole model, keeps
    /// less.
    pub pack_cache_bytes: usize,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            start: None,
            since: None,
            until: None,
            batch_size: 50,
            pack_cache_bytes: crate::repo::PACK_CACHE_BYTES,
        }
    }
}

/// How far the walk has got, for a progress line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    /// First-parent commits looked at so far.
    pub commits_walked: usize,
    /// Entries handed out so far (this batch included).
    pub entries: usize,
    /// The time of the oldest commit looked at so far.
    pub reached: Option<DateTime<FixedOffset>>,
    /// True once the walk has nothing more to give.
    pub done: bool,
}

#[derive(Debug, Clone)]
pub struct Batch {
    /// Newest first, continuing the previous batch.
    pub entries: Vec<HistoryEntry>,
    pub progress: Progress,
}

/// How the walk ended.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub progress: Progress,
    /// In a shallow clone, the oldest commit present: history stops there.
    pub shallow_boundary: Option<CommitInfo>,
    /// Plain sentences to show under the history (the shallow boundary).
    pub notes: Vec<String>,
    /// Files parsed (each changed blob once) and parse-cache hits.
    pub files_parsed: usize,
    pub cache_hits: usize,
    /// A catalog's steps taken without resolving the older version whole.
    pub catalog_patched: usize,
}

/// A good commit whose changes wait for the last good version before it.
struct Pending {
    entry: HistoryEntry,
    /// Paths changed since then, with their content at `entry`.
    newer: HashMap<String, Option<Arc<FileVersion>>>,
}

pub struct Walker<'r> {
    git: &'r Repository,
    data_dir: String,
    shallow: HashSet<Oid>,
    cache: ParseCache,
    /// The data at `cursor`.
    state: DataState,
    /// The commit to step back from next; None when the walk is over.
    cursor: Option<Oid>,
    pending: Option<Pending>,
    /// Broken commits older than `pending`, newest first.
    queued: Vec<HistoryEntry>,
    out: VecDeque<HistoryEntry>,
    options: WalkOptions,
    summary: Summary,
    /// Sees the data of each commit passed (see `observe`).
    observer: Option<Observer<'r>>,
    /// Every commit stepped through: grafts can make a parent line loop
    /// back on itself, and the walk must end (20 bytes a commit).
    visited: HashSet<Oid>,
    /// Set when the data is a Backstage catalog: its versions are read and
    /// compared whole (see `backstage::history`), not file by file.
    catalog: Option<crate::backstage::history::CatalogWalk>,
}

/// Every this many commits walked, the packs' delta-base caches are let go
/// (see `repo::release_pack_caches`): libgit2 keeps up to 16 MiB per pack
/// file, so a history spread over 40 packs would otherwise hold 640 MiB.
const RELEASE_PACK_CACHES_EVERY: usize = 2_000;

/// A commit as the walk reads it: parsed by libgit2, or read from its raw
/// object when libgit2 refuses it (a committer time that does not fit), so
/// one such commit does not hide all older history.
enum Read<'r> {
    Parsed(Commit<'r>),
    Raw(Oid, Box<RawCommit>),
}

impl Read<'_> {
    fn id(&self) -> Oid {
        match self {
            Read::Parsed(c) => c.id(),
            Read::Raw(id, _) => *id,
        }
    }

    fn tree_id(&self) -> Oid {
        match self {
            Read::Parsed(c) => c.tree_id(),
            Read::Raw(_, raw) => raw.tree,
        }
    }

    fn first_parent(&self) -> Option<Oid> {
        match self {
            Read::Parsed(c) => c.parent_id(0).ok(),
            Read::Raw(_, raw) => raw.parents.first().copied(),
        }
    }

    /// The commit time in seconds; None when it cannot be read.
    fn seconds(&self) -> Option<i64> {
        match self {
            Read::Parsed(c) => Some(c.time().seconds()),
            Read::Raw(..) => None,
        }
    }

    fn time(&self) -> DateTime<FixedOffset> {
        match self {
            Read::Parsed(c) => commit_time(c),
            Read::Raw(_, raw) => raw.info.time,
        }
    }

    fn info(&self) -> CommitInfo {
        match self {
            Read::Parsed(c) => CommitInfo::from_commit(c),
            Read::Raw(_, raw) => raw.info.clone(),
        }
    }
}

/// A file of the walk's current version (see `Walker::current_file`).
pub enum StartFile<'a> {
    /// Parsed whole: exactly `parse_file` of its bytes.
    Whole(&'a ParsedFile),
    /// Parsed table by table: every table parsed with no `parse` finding,
    /// so neither has the whole file (its size aside: see
    /// `model::budget::check_items`).
    Tables,
}

/// What `Walker::observe` keeps.
type Observer<'r> = Box<dyn FnMut(&Version) + 'r>;

/// The data at one commit of the walk, as an observer sees it before the
/// walk steps to the commit's parent. Commits come newest first, every
/// first-parent commit once, those that left the data alone included.
pub struct Version<'a> {
    /// The commit's time.
    pub time: DateTime<FixedOffset>,
    state: &'a DataState,
}

impl Version<'_> {
    /// False before the data folder was created.
    pub fn exists(&self) -> bool {
        self.state.exists()
    }

    /// The data folder's tree id: two versions with the same id hold the
    /// same data (an observer can reuse what it computed).
    pub fn data_id(&self) -> Option<Oid> {
        self.state.tree_id()
    }

    /// Some file of this version does not parse.
    pub fn is_broken(&self) -> bool {
        self.state.is_broken()
    }

    /// The parsed files of this version as they are, in no particular
    /// order (`model::assemble` would sort them by path): for figures taken
    /// without copying the version into a model. A large component file
    /// comes as its tables, in file order, each with only what history
    /// reads of its component (no name, runbook, tags, code paths or
    /// locations: see `tables.rs`), so there is no `model` here.
    pub fn parts(&self) -> impl Iterator<Item = &ParsedFile> {
        self.state.parts_borrowed()
    }
}

impl<'r> Walker<'r> {
    /// Opens the walk at `options.start` (HEAD by default), moved back to
    /// `options.until` when given, and reads the data there.
    pub fn new(repo: &'r Repo, options: WalkOptions) -> Result<Walker<'r>> {
        Walker::seeded(repo, options, None)
    }

    /// `new`, taking the files of the first version from `parsed` where
    /// their blobs match (the version the caller loaded already), so that
    /// version is not parsed twice.
    pub fn seeded(
        repo: &'r Repo,
        options: WalkOptions,
        parsed: Option<&crate::repo::ParsedFiles>,
    ) -> Result<Walker<'r>> {
        let git = repo.git().ok_or_else(|| repo.no_history())?;
        // libgit2's re-hashing of every object read is off from
        // `Repo::open` on (a fifth of a long walk).
        // libgit2's object cache (256 MiB by default, process-wide) does not
        // pay here: the walk reads each commit once and each tree at most
        // twice in a row. Bounded to 16 MiB it still held 45 MB at 100,000
        // commits and cost as much CPU as it saved (docs/performance.md).
        git2::opts::enable_caching(false);
        let start = repo.resolve_rev(options.start.as_deref().unwrap_or("HEAD"))?;
        let mut walker = Walker {
            git,
            data_dir: repo.data_dir().to_string(),
            shallow: shallow_commits(git.path()),
            cache: ParseCache::with_pack_cache(options.pack_cache_bytes),
            state: DataState::default(),
            cursor: None,
            pending: None,
            queued: Vec::new(),
            out: VecDeque::new(),
            options,
            summary: Summary::default(),
            observer: None,
            visited: HashSet::new(),
            catalog: None,
        };
        let first = match walker.options.until {
            Some(until) => walker.first_at_or_before(Read::Parsed(start), until)?,
            None => Some(Read::Parsed(start)),
        };
        if let Some(commit) = first {
            let tree = walker.data_tree(&commit);
            if tree.is_none() {
                return Err(Error(format!(
                    "The data folder `{}` does not exist at commit {} in {}.",
                    walker.data_dir,
                    &commit.id().to_string()[..7],
                    repo.describe()
                )));
            }
            if repo.source() == crate::backstage::DataSource::Backstage {
                walker.catalog = Some(crate::backstage::history::CatalogWalk::new(
                    git,
                    &walker.data_dir,
                    tree,
                ));
                walker.cursor = Some(commit.id());
                walker.summary.progress.done = false;
                return Ok(walker);
            }
            if let Some(parsed) = parsed {
                walker.cache.seed(parsed);
            }
            walker.state.step_to(git, &mut walker.cache, tree);
            walker.cache.drop_seed();
            // The first version's blobs come from every pack (each file
            // last changed at another time): let their caches go now.
            crate::repo::release_pack_caches(git);
            if walker.state.file("demarc.toml").is_none() {
                return Err(Error(format!(
                    "{} has no demarc.toml at commit {}, so it is not an ownership repository; pick the data folder with --dir.",
                    repo.describe(),
                    &commit.id().to_string()[..7]
                )));
            }
            walker.cursor = Some(commit.id());
        }
        walker.summary.progress.done = walker.cursor.is_none();
        Ok(walker)
    }

    /// The next entries, newest first; None when the history is exhausted.
    /// Stop calling it to stop the walk: nothing runs in between.
    pub fn next_batch(&mut self) -> Result<Option<Batch>> {
        let size = self.options.batch_size.max(1);
        while self.out.len() < size && self.cursor.is_some() {
            self.step()?;
        }
        if self.cursor.is_none() {
            self.summary.progress.done = true;
        }
        let take = self.out.len().min(size);
        if take == 0 {
            return Ok(None);
        }
        let entries: Vec<HistoryEntry> = self.out.drain(..take).collect();
        self.summary.progress.entries += entries.len();
        let mut progress = self.summary.progress.clone();
        progress.done = progress.done && self.out.is_empty();
        Ok(Some(Batch { entries, progress }))
    }

    /// Calls `observer` with the data of every commit the walk passes from
    /// now on (the trends series samples the model per period with it).
    pub fn observe(&mut self, observer: impl FnMut(&Version) + 'r) {
        self.observer = Some(Box::new(observer));
    }

    /// The file at `path` with content `blob` as the walk read it at its
    /// current commit (before the first `next_batch`: the version it starts
    /// at), so a caller that needs that version's findings need not parse
    /// it again. None when the walk holds no such file, or did not parse it
    /// (a blob it could not read, a Backstage catalog).
    pub fn current_file(&self, path: &str, blob: Oid) -> Option<StartFile<'_>> {
        if self.catalog.is_some() {
            return None;
        }
        let file = self.state.file_with_blob(path, blob)?;
        match file.how {
            HowRead::Whole => file.parts.first().map(|p| StartFile::Whole(p.as_ref())),
            HowRead::Tables => Some(StartFile::Tables),
            HowRead::Unread => None,
        }
    }

    /// How the walk went so far (complete once `next_batch` returned None).
    pub fn summary(&self) -> Summary {
        let mut summary = self.summary.clone();
        summary.files_parsed = self.cache.parsed;
        summary.cache_hits = self.cache.hits;
        if let Some(catalog) = &self.catalog {
            summary.files_parsed += catalog.files_parsed;
            summary.cache_hits += catalog.cache_hits;
            summary.catalog_patched = catalog.patched;
        }
        summary
    }

    /// The first commit at or before `until` on the first-parent line.
    /// A commit with an unreadable time is never "at or before".
    fn first_at_or_before(
        &self,
        start: Read<'r>,
        until: DateTime<FixedOffset>,
    ) -> Result<Option<Read<'r>>> {
        let mut seen = HashSet::new();
        let mut commit = start;
        loop {
            if !seen.insert(commit.id()) {
                return Err(cycle_error(commit.id()));
            }
            if commit.seconds().is_some_and(|s| s <= until.timestamp()) {
                return Ok(Some(commit));
            }
            let Some(parent) = commit.first_parent() else {
                return Ok(None);
            };
            commit = match self.read_commit(parent) {
                Ok(parent) => parent,
                Err(_) if self.shallow.contains(&commit.id()) => return Ok(None),
                Err(e) => {
                    return Err(Error(format!(
                        "Commit {}'s parent cannot be read ({}): history is unreadable past it.",
                        &commit.id().to_string()[..7],
                        e.message().trim_end_matches('.')
                    )));
                }
            };
        }
    }

    /// The commit `oid`, parsed by libgit2 or else from its raw object.
    fn read_commit(&self, oid: Oid) -> std::result::Result<Read<'r>, git2::Error> {
        match self.git.find_commit(oid) {
            Ok(commit) => Ok(Read::Parsed(commit)),
            Err(e) => match read_raw_commit(self.git, oid) {
                Some(raw) => Ok(Read::Raw(oid, Box::new(raw))),
                None => Err(e),
            },
        }
    }

    fn data_tree(&self, commit: &Read) -> Option<Oid> {
        let tree = self.git.find_tree(commit.tree_id()).ok()?;
        if self.data_dir.is_empty() {
            return Some(tree.id());
        }
        let entry = tree.get_path(Path::new(&self.data_dir)).ok()?;
        (entry.kind() == Some(git2::ObjectType::Tree)).then(|| entry.id())
    }

    fn emit(&mut self, entry: HistoryEntry) {
        let too_old = self
            .options
            .since
            .is_some_and(|since| entry.commit.time < since);
        if !too_old {
            self.out.push_back(entry);
        }
    }

    /// Steps from the cursor to its first parent.
    fn step(&mut self) -> Result<()> {
        let Some(oid) = self.cursor else {
            return Ok(());
        };
        let commit = self
            .read_commit(oid)
            .map_err(|e| Error(format!("Cannot read commit {oid}: {}.", e.message())))?;
        if let Some(since) = self.options.since
            && commit.seconds().is_some_and(|s| s < since.timestamp())
            && self.pending.is_none()
        {
            self.cursor = None;
            return Ok(());
        }
        self.summary.progress.commits_walked += 1;
        if self
            .summary
            .progress
            .commits_walked
            .is_multiple_of(RELEASE_PACK_CACHES_EVERY)
        {
            crate::repo::release_pack_caches(self.git);
        }
        match &commit {
            Read::Parsed(_) => {
                self.summary.progress.reached = Some(commit.time());
                if let Some(observer) = &mut self.observer {
                    observer(&Version {
                        time: commit.time(),
                        state: &self.state,
                    });
                }
            }
            // Its time is unknown: no period of a series can hold it.
            Read::Raw(_, raw) => self.summary.notes.push(format!(
                "Commit {} has a date that cannot be read (committer time `{}`); it is listed with the latest date there is, and the history goes on past it.",
                &oid.to_string()[..7],
                crate::sanitize::line(&raw.time_text)
            )),
        }
        let parent = match commit.first_parent() {
            None if self.shallow.contains(&oid) => return self.stop_at_boundary(&commit),
            None => None,
            Some(parent_id) => match self.read_commit(parent_id) {
                Ok(parent) => Some(parent),
                Err(_) if self.shallow.contains(&oid) => return self.stop_at_boundary(&commit),
                Err(e) => return self.stop_at_unreadable(&commit, parent_id, e),
            },
        };
        let newer_broken = self
            .state
            .is_broken()
            .then(|| self.state.first_parse_error());
        self.visited.insert(oid);
        if let Some(p) = &parent
            && self.visited.contains(&p.id())
        {
            self.cursor = None;
            return Err(cycle_error(p.id()));
        }
        let older_tree = parent.as_ref().and_then(|p| self.data_tree(p));
        if let Some(catalog) = self.catalog.as_mut() {
            let Read::Parsed(parsed) = &commit else {
                // A catalog's step wants libgit2's commit (not ours to change).
                self.cursor = None;
                return Err(Error(format!(
                    "Cannot read commit {oid}: its date does not parse; history is unreadable past it."
                )));
            };
            let entries = catalog.step(self.git, parsed, older_tree);
            self.cursor = parent.map(|p| p.id());
            entries.into_iter().for_each(|e| self.emit(e));
            return Ok(());
        }
        if self.pending.is_none() {
            // Re-dated tables matter only to a pending commit's diff.
            self.cache.clear_aliases();
        }
        let deltas = self.state.step_to(self.git, &mut self.cache, older_tree);
        self.cursor = parent.map(|p| p.id());
        if deltas.is_empty() {
            return Ok(()); // the data did not change in this commit
        }
        let entry = HistoryEntry {
            commit: commit.info(),
            broken: None,
            changes: Vec::new(),
        };
        match newer_broken {
            Some(error) => {
                let entry = HistoryEntry {
                    broken: Some(error.unwrap_or_else(|| {
                        Diagnostic::error("parse", Default::default(), "the data does not parse")
                    })),
                    ..entry
                };
                match &mut self.pending {
                    Some(pending) => {
                        absorb(&mut pending.newer, deltas);
                        self.queued.push(entry);
                    }
                    None => self.emit(entry),
                }
            }
            None => {
                let mut newer = HashMap::with_capacity(deltas.len());
                absorb(&mut newer, deltas);
                self.pending = Some(Pending { entry, newer });
            }
        }
        if !self.state.is_broken() {
            self.finish_pending();
        }
        Ok(())
    }

    /// The state is good: the pending commit's changes are the difference
    /// between it and the state, over the paths that changed in between.
    fn finish_pending(&mut self) {
        let Some(pending) = self.pending.take() else {
            return;
        };
        let mut paths: Vec<&String> = pending.newer.keys().collect();
        paths.sort();
        let older: Vec<&Arc<ParsedFile>> = paths
            .iter()
            .filter_map(|p| self.state.file(p))
            .flat_map(|f| f.parts.iter())
            .collect();
        let newer: Vec<&Arc<ParsedFile>> = paths
            .iter()
            .filter_map(|p| pending.newer[*p].as_deref())
            .flat_map(|f| f.parts.iter())
            .collect();
        // `Aliases` keys parts by address, so the pairs stay alive until
        // the diff is done: no freed part's address can be taken by another.
        let pairs = self.cache.take_aliases();
        let mut aliases = Aliases::default();
        for (redated, from) in &pairs {
            aliases.add(redated, from);
        }
        let changes = diff_parts_aliased(&older, &newer, &aliases);
        drop(pairs);
        let mut entry = pending.entry;
        entry.changes = changes;
        self.emit(entry);
        for broken in std::mem::take(&mut self.queued) {
            self.emit(broken);
        }
    }

    /// Not a shallow clone, but the parent cannot be read (missing or
    /// corrupt): say which commit and which object, and stop there.
    fn stop_at_unreadable(&mut self, commit: &Read, parent: Oid, error: git2::Error) -> Result<()> {
        let info = commit.info();
        let mut note = format!(
            "History stops at commit {} ({}): its parent {parent} cannot be read ({}); history is unreadable past it.",
            info.short_id(),
            info.time.format("%Y-%m-%d"),
            error.message().trim_end_matches('.')
        );
        if let Some(pending) = self.pending.take() {
            note.push_str(&format!(
                " The changes of commit {} cannot be computed.",
                pending.entry.commit.short_id()
            ));
        }
        for broken in std::mem::take(&mut self.queued) {
            self.emit(broken);
        }
        self.summary.notes.push(note);
        self.cursor = None;
        Ok(())
    }

    /// A shallow clone ends here: the commit's parent is not in the
    /// repository, so what it changed cannot be known.
    fn stop_at_boundary(&mut self, commit: &Read) -> Result<()> {
        let info = commit.info();
        let mut note = format!(
            "History stops at commit {} ({}): the repository is a shallow clone; `git fetch --unshallow` brings the rest.",
            info.short_id(),
            info.time.format("%Y-%m-%d")
        );
        if let Some(catalog) = self.catalog.as_mut() {
            let (pending, queued) = catalog.stop();
            if let Some(info) = pending {
                note.push_str(&format!(
                    " The changes of commit {} cannot be computed, as the last good data before it is outside the clone.",
                    info.short_id()
                ));
            }
            self.queued.extend(queued);
        }
        if let Some(pending) = self.pending.take() {
            note.push_str(&format!(
                " The changes of commit {} cannot be computed, as the last good data before it is outside the clone.",
                pending.entry.commit.short_id()
            ));
        }
        for broken in std::mem::take(&mut self.queued) {
            self.emit(broken);
        }
        self.summary.notes.push(note);
        self.summary.shallow_boundary = Some(info);
        self.cursor = None;
        Ok(())
    }
}

/// The error for a parent line that comes back to a commit already walked.
pub fn cycle_error(oid: Oid) -> Error {
    Error(format!(
        "History loops back on itself: commit {} is its own ancestor (a cycle made by .git/info/grafts); history is unreadable past it.",
        &oid.to_string()[..7]
    ))
}

/// A commit's time without building its whole `CommitInfo` (most commits
/// of a long history are only looked at, not listed).
fn commit_time(commit: &Commit) -> DateTime<FixedOffset> {
    let time = commit.time();
    let utc = FixedOffset::east_opt(0).expect("UTC");
    let offset = FixedOffset::east_opt(time.offset_minutes() * 60).unwrap_or(utc);
    DateTime::from_timestamp(time.seconds(), 0)
        .map(|t| t.with_timezone(&offset))
        .unwrap_or_else(|| DateTime::UNIX_EPOCH.with_timezone(&utc))
}

/// Records the newer content of changed paths; a path already recorded
/// keeps its newest content.
fn absorb(newer: &mut HashMap<String, Option<Arc<FileVersion>>>, deltas: Vec<PathDelta>) {
    for delta in deltas {
        newer.entry(delta.path).or_insert(delta.newer);
    }
}

/// The commits a shallow clone cut off from their parents (`.git/shallow`).
fn shallow_commits(git_dir: &Path) -> HashSet<Oid> {
    std::fs::read_to_string(git_dir.join("shallow"))
        .map(|text| {
            text.lines()
                .filter_map(|l| Oid::from_str(l.trim()).ok())
                .collect()
        })
        .unwrap_or_default()
}

/// Walks the whole history (or until `on_batch` breaks), batch by batch.
pub fn walk(
    repo: &Repo,
    options: WalkOptions,
    mut on_batch: impl FnMut(Batch) -> ControlFlow<()>,
) -> Result<Summary> {
    let mut walker = Walker::new(repo, options)?;
    while let Some(batch) = walker.next_batch()? {
        if on_batch(batch).is_break() {
            break;
        }
    }
    Ok(walker.summary())
}

/// The whole history in one list, newest first.
pub fn collect(repo: &Repo, options: WalkOptions) -> Result<(Vec<HistoryEntry>, Summary)> {
    collect_seeded(repo, options, None)
}

/// `collect`, with the first version's files taken from `parsed` where
/// they match (see `Walker::seeded`).
pub fn collect_seeded(
    repo: &Repo,
    options: WalkOptions,
    parsed: Option<&crate::repo::ParsedFiles>,
) -> Result<(Vec<HistoryEntry>, Summary)> {
    let mut walker = Walker::seeded(repo, options, parsed)?;
    let mut entries = Vec::new();
    while let Some(batch) = walker.next_batch()? {
        entries.extend(batch.entries);
    }
    Ok((entries, walker.summary()))
}
