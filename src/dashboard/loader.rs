//! The loader: owns its own `Repo` (git2 repositories are not `Sync`),
//! reads the model off the UI thread, and watches for changes.
//!
//! Watching is by polling once a second: a fingerprint of the data folder's
//! file names, sizes and modification times, plus the commit HEAD points at.
//! That is simpler and more portable than file-system notifications (no
//! extra dependency, no platform quirks with editors that replace files),
//! and a data folder is a few dozen small files, so a poll costs
//! microseconds. A change is picked up within about a second.

use crate::app::msg::{Aside, Event, LoadRequest};
use crate::model::facts::{Facts, Prepared};
use crate::repo::{self, Repo, Source};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread;
use std::time::{Duration, UNIX_EPOCH};

/// The handle the UI keeps; dropping it stops the worker.
pub struct Loader {
    tx: Sender<LoadRequest>,
}

impl Loader {
    pub fn send(&self, request: LoadRequest) {
        // A worker that is gone has reported why through the event channel.
        let _ = self.tx.send(request);
    }
}

pub const POLL: Duration = Duration::from_millis(1000);

/// The loader thread's name (profiles and the benchmark find it by it).
pub const THREAD: &str = "demarc-loader";

/// Starts the loader: it reads `source` at once, then again whenever asked
/// or whenever the fingerprint changes.
pub fn spawn(repo: Repo, source: Source, events: Sender<Event>) -> Loader {
    let (tx, rx) = mpsc::channel();
    let worker = thread::Builder::new().name(THREAD.into());
    let spawned = worker.spawn(move || {
        // Below the UI thread, and so is every thread it starts (the
        // parse workers, the search index's build).
        crate::thread_priority::background();
        let mut source = source;
        let mut seen = load(&repo, &source, &events);
        loop {
            let reload = match rx.recv_timeout(POLL) {
                Ok(LoadRequest::Reload) => true,
                Ok(LoadRequest::Source(s)) => {
                    source = s;
                    true
                }
                Ok(LoadRequest::Aside(aside)) => {
                    if events.send(read_aside(&repo, aside)).is_err() {
                        return;
                    }
                    false
                }
                Err(RecvTimeoutError::Timeout) => fingerprint(&repo, &source) != seen,
                Err(RecvTimeoutError::Disconnected) => return,
            };
            if reload {
                seen = load(&repo, &source, &events);
                if seen == u64::MAX {
                    return;
                }
            }
        }
    });
    // As `thread::spawn` does: a dashboard without its loader cannot run.
    spawned.expect("the loader thread starts");
    Loader { tx }
}

/// Loads and reports; returns the fingerprint taken before reading, so a
/// change made while reading triggers another load. u64::MAX: the UI is gone.
///
/// The data goes to the screen as soon as it is parsed and its indexes are
/// built; `check` runs after (seconds at 200,000 components) and its
/// findings follow in `Event::Checked`, the status bar saying "checking…"
/// meanwhile.
fn load(repo: &Repo, source: &Source, events: &Sender<Event>) -> u64 {
    let before = fingerprint(repo, source);
    let head = repo
        .git()
        .and_then(|g| g.head().ok())
        .and_then(|h| h.target())
        .map(|o| o.to_string());
    let fa = repo::load_for_answers_with(repo, source, repo::Checks::Skip).and_then(|fa| {
        // The views show a version of the data; before the first commit
        // there is none, and an empty screen titled "folder" would lie.
        match fa.before_first {
            Some(note) => Err(repo::Error(note)),
            None => Ok(fa),
        }
    });
    let fa = match fa {
        Ok(fa) => fa,
        Err(e) => {
            if events.send(Event::Loaded(Box::new(Err(e)))).is_err() {
                return u64::MAX;
            }
            return before;
        }
    };
    // Whatever this read took from the packs (HEAD's commit, a commit's
    // files), let libgit2's pack caches go: a pack's cache of delta bases
    // (up to 16 MiB) lives while any repository of the process holds the
    // pack, so one held here kept the history walker's caches too, which
    // the walker lets go after its first version (hundreds of MB at
    // 200,000 components over a dozen packs).
    if let Some(git) = repo.git() {
        repo::release_pack_caches(git);
    }
    let later = fa.deferred_check();
    let unloaded = fa.unloaded;
    let loaded = Arc::new(fa.loaded);
    let model = &loaded.model;
    let findings = thread::scope(|s| {
        // The search index is built beside the facts (on the other core)
        // and sent right behind the model, not before it: a search typed
        // as soon as the data shows waits for it on the run loop, never
        // builds it on the UI thread (3.7 s at 200,000 components). The
        // data does not wait for it either (it takes longer than the facts
        // and the prepared views together).
        let (shown_tx, shown_rx) = mpsc::channel::<bool>();
        let index_events = events.clone();
        let index = thread::Builder::new()
            .name("demarc-index".into())
            .spawn_scoped(s, move || {
                let index = crate::search::Index::build(model);
                if shown_rx.recv() == Ok(true) {
                    let _ = index_events.send(Event::SearchIndex(Box::new(index)));
                } else {
                    crate::app::drop_later::drop_later(index);
                }
            });
        let mut facts = Facts::build(model);
        facts.codeowners =
            crate::codeowners::review_repo(repo, source, model).map(std::sync::Arc::new);
        facts.prepared = prepare(model, &facts);
        facts.head = head;
        facts.unloaded = unloaded;
        facts.checking = later.is_some();
        let sent = events
            .send(Event::Loaded(Box::new(Ok((Arc::clone(&loaded), facts)))))
            .is_ok();
        let _ = shown_tx.send(sent);
        if !sent {
            return None;
        }
        // `check` runs meanwhile, beside the index; its findings (and their
        // index by subject, which the Triage cards read: hundreds of
        // milliseconds on the UI thread) follow both.
        let findings = later.map(|later| later.findings_by_subject(&loaded));
        match index {
            Ok(index) => {
                let _ = index.join();
            }
            // No thread for it: built here, so a search still never
            // builds it on the UI thread.
            Err(_) => {
                let index = crate::search::Index::build(model);
                let _ = events.send(Event::SearchIndex(Box::new(index)));
            }
        }
        Some(findings)
    });
    let Some(findings) = findings else {
        return u64::MAX;
    };
    if let Some((findings, by_subject)) = findings {
        let of = Arc::downgrade(&loaded);
        // Let go before sending, so the UI thread holds the only strong
        // reference and puts the findings in without a copy.
        drop(loaded);
        let checked = Event::Checked {
            of,
            findings,
            by_subject: Box::new(by_subject),
        };
        if events.send(checked).is_err() {
            return u64::MAX;
        }
    }
    before
}

/// The views whose first visit would otherwise sort or measure every
/// component, or every team and layer, on the UI thread.
pub fn prepare(model: &crate::model::Model, facts: &Facts) -> Prepared {
    let first = crate::app::tabs::components::ComponentsTab::default();
    let order = crate::app::tabs::components::component_order(model, &first);
    let widths =
        crate::ui::views::components::cell_widths(order.iter().map(|&i| &model.components[i]));
    let columns = crate::app::tabs::layers::matrix_columns(model, false);
    let layer_wants = crate::ui::views::layers::layer_wants_of(facts, model, &columns);
    let pillar_groups = crate::app::tabs::pillars::owner_groups_all(model);
    let pillar_id_widths = pillar_groups
        .iter()
        .map(|groups| crate::app::tabs::pillars::id_width(model, groups))
        .collect();
    Prepared {
        component_order: Some(Arc::new(order)),
        component_widths: Some(widths),
        layer_wants: Some(Arc::new(layer_wants)),
        pillar_groups: Some(Arc::new(pillar_groups)),
        pillar_id_widths: Some(Arc::new(pillar_id_widths)),
    }
}

/// Reads a source beside the one shown. The time asked for is resolved
/// here, off the UI thread, exactly as `--at` is; the moment of a card is
/// that time (the incident), not the commit's.
///
/// Both reads feed only the Triage cards, so both are lean
/// (`repo::load_for_cards`): at 200,000 components the "as of" read comes
/// while the history walk holds its state, and it made the dashboard's
/// peak (issue 17).
pub fn read_aside(repo: &Repo, aside: Aside) -> Event {
    let result = match &aside {
        // A time before the first commit reads as the empty data (with
        // `Origin::Folder`, which a commit's read never has).
        Aside::Then(when) => {
            let read = repo::load_for_cards(repo, &Source::At(when.clone()));
            // The commit's files came from the packs, through libgit2's
            // caches of delta bases (up to 16 MiB a pack, kept while any
            // repository of the process holds the pack): let this one's go.
            if let Some(git) = repo.git() {
                repo::release_pack_caches(git);
            }
            read.map(|l| (l, when.time()))
        }
        Aside::Now => repo::load_for_cards(repo, &Source::WorkTree)
            .map(|l| (l, chrono::Utc::now().fixed_offset())),
    };
    Event::Aside {
        aside,
        result: Box::new(result),
    }
}

/// What changes when the data might have: HEAD's commit, and for the work
/// tree the data files' names, sizes and modification times.
pub fn fingerprint(repo: &Repo, source: &Source) -> u64 {
    let mut h = DefaultHasher::new();
    if let Some(git) = repo.git() {
        git.head()
            .ok()
            .and_then(|r| r.target())
            .map(|o| o.to_string())
            .hash(&mut h);
        if let Source::Rev(rev) = source {
            git.revparse_single(rev)
                .ok()
                .map(|o| o.id().to_string())
                .hash(&mut h);
        }
    }
    if *source == Source::WorkTree
        && let Some(root) = repo.root()
    {
        let data = if repo.data_dir().is_empty() {
            root.to_path_buf()
        } else {
            root.join(repo.data_dir())
        };
        hash_tree(&data, 0, &mut h);
        // CODEOWNERS lives at the root (or in .github/, which the walk skips).
        for candidate in crate::codeowners::locate::CANDIDATES {
            let meta = std::fs::symlink_metadata(root.join(candidate)).ok();
            meta.map(|m| (m.len(), m.modified().ok())).hash(&mut h);
        }
    }
    h.finish()
}

fn hash_tree(dir: &Path, depth: usize, h: &mut DefaultHasher) {
    if depth > 6 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        name.hash(h);
        if meta.is_dir() {
            hash_tree(&entry.path(), depth + 1, h);
        } else {
            meta.len().hash(h);
            meta.modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map(|d| d.as_nanos())
                .hash(h);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repo::Loaded;

    /// The Components tab drawn from what the loader prepared equals the
    /// one drawn from the model alone, sorted and filtered alike.
    #[test]
    fn prepared_views_draw_as_the_model_alone_does() {
        use crate::app::keymap::Keymap;
        use crate::app::{App, Tab};
        use ratatui::{Terminal, backend::TestBackend};
        let dir = tempfile::tempdir().unwrap();
        crate::sample::build(dir.path()).unwrap();
        let repo = Repo::open(dir.path(), None).unwrap();
        let loaded = repo::load(&repo, &Source::WorkTree).unwrap();
        let screen = |prepared: bool| {
            let mut facts = Facts::build(&loaded.model);
            if prepared {
                facts.prepared = prepare(&loaded.model, &facts);
                assert!(facts.prepared.component_order.is_some());
                assert!(facts.prepared.layer_wants.is_some());
                assert!(facts.prepared.pillar_groups.is_some());
                assert!(facts.prepared.pillar_id_widths.is_some());
            }
            let mut app = App::new(Keymap::default());
            app.resize(120, 40);
            app.on_loaded_with_facts(Ok((loaded.clone(), facts)));
            app.show(Tab::Components);
            let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
            let theme = crate::ui::theme::Theme::default_dark();
            let mut frames = Vec::new();
            for action in [
                None,
                Some(crate::app::Action::Down),
                Some(crate::app::Action::Sort),
            ] {
                if let Some(action) = action {
                    app.apply(action);
                }
                terminal.draw(|f| crate::ui::draw(f, &app, &theme)).unwrap();
                frames.push(terminal.backend().buffer().clone());
            }
            // Every pillar's list.
            app.show(Tab::Pillars);
            for _ in 0..loaded.model.pillars.len() {
                terminal.draw(|f| crate::ui::draw(f, &app, &theme)).unwrap();
                frames.push(terminal.backend().buffer().clone());
                app.apply(crate::app::Action::Right);
            }
            // The layer matrix, as it first shows, then one column per kind.
            app.show(Tab::Layers);
            for action in [
                None,
                Some(crate::app::Action::Right),
                Some(crate::app::Action::ByKind),
            ] {
                if let Some(action) = action {
                    app.apply(action);
                }
                terminal.draw(|f| crate::ui::draw(f, &app, &theme)).unwrap();
                frames.push(terminal.backend().buffer().clone());
            }
            frames
        };
        assert_eq!(screen(true), screen(false));
    }

    /// Every card a Triage "as of" can show (each component, team and
    /// scenario, as of each commit of the sample, before the first, and
    /// after a commit that breaks a file), and the cards of "now" beside
    /// them, are the same from the lean aside read as from a whole read.
    #[test]
    fn the_lean_aside_reads_show_the_cards_whole_reads_do() {
        use crate::model::Subject;
        use crate::triage::{build_card, differences};
        let dir = tempfile::tempdir().unwrap();
        crate::sample::build(dir.path()).unwrap();
        // A last commit that breaks a component file (and leaves it broken
        // in the work tree): its components are then not in the model, and
        // the findings say why.
        let git = git2::Repository::open(dir.path()).unwrap();
        let head = git.head().unwrap().peel_to_commit().unwrap();
        let mut names: Vec<_> = std::fs::read_dir(dir.path().join("components"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        let broken = format!("components/{}", names[0]);
        let path = dir.path().join(&broken);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replacen(']', "", 1)).unwrap();
        let mut index = git.index().unwrap();
        index.add_path(Path::new(&broken)).unwrap();
        index.write().unwrap();
        let tree = git.find_tree(index.write_tree().unwrap()).unwrap();
        let when = git2::Time::new(head.time().seconds() + 86_400, 0);
        let who = git2::Signature::new("Test", "test@example.com", &when).unwrap();
        git.commit(Some("HEAD"), &who, &who, "Break a file", &tree, &[&head])
            .unwrap();

        let repo = Repo::open(dir.path(), None).unwrap();
        let mut walk = git.revwalk().unwrap();
        walk.push_head().unwrap();
        let mut moments: Vec<String> = walk
            .map(|id| {
                let time = git.find_commit(id.unwrap()).unwrap().time();
                chrono::DateTime::from_timestamp(time.seconds(), 0)
                    .unwrap()
                    .to_rfc3339()
            })
            .collect();
        assert!(moments.len() > 5, "the sample has a history");
        moments.push("2000-01-01".into());
        let lean_of = |aside: Aside| match read_aside(&repo, aside) {
            Event::Aside { result, .. } => result.unwrap().0,
            other => panic!("{other:?}"),
        };
        let subjects =
            |l: &Loaded| -> Vec<Subject> { l.model.component_team_scenario_subjects().collect() };
        let now = lean_of(Aside::Now);
        let whole_now = repo::load(&repo, &Source::WorkTree).unwrap();
        assert!(
            whole_now.diagnostics.iter().any(|d| d.is_error()),
            "the work tree has the broken file"
        );
        let (mut cards, mut findings) = (0, 0);
        for text in &moments {
            let when = crate::repo::When::parse(text).unwrap();
            let lean = lean_of(Aside::Then(when.clone()));
            let whole = repo::load_for_answers(&repo, &Source::At(when))
                .unwrap()
                .loaded;
            assert_eq!(lean.origin, whole.origin, "{text}");
            assert_eq!(subjects(&lean), subjects(&whole), "{text}");
            for subject in subjects(&whole) {
                let card = build_card(&whole.model, &whole.diagnostics, &subject);
                let then = build_card(&lean.model, &lean.diagnostics, &subject);
                assert_eq!(then, card, "{text}: {subject:?}");
                let card = card.unwrap();
                cards += 1;
                findings += !card_findings(&card).is_empty() as usize;
                let now_card = |l: &Loaded| build_card(&l.model, &l.diagnostics, &subject);
                assert_eq!(
                    differences(&card, now_card(&now).as_ref()),
                    differences(&card, now_card(&whole_now).as_ref()),
                    "{text}: {subject:?}"
                );
                assert_eq!(now_card(&now), now_card(&whole_now), "{subject:?}");
            }
        }
        assert!(cards > 100, "{cards} cards compared");
        // `check`'s findings reach the cards: the lean read keeps them.
        assert!(findings > 0, "no card showed a finding");
    }

    fn card_findings(card: &crate::triage::Card) -> Vec<String> {
        use crate::triage::Card;
        match card {
            Card::Component(c) => c.findings.iter().map(|a| a.code.clone()).collect(),
            Card::Scenario(s) => s
                .cards
                .iter()
                .flat_map(|c| c.findings.iter().map(|a| a.code.clone()))
                .collect(),
            Card::Team(t) => t.findings.iter().map(|a| a.code.clone()).collect(),
        }
    }

    #[test]
    fn fingerprint_changes_when_a_file_does() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("demarc.toml"), "schema = 1\norg = \"A\"\n").unwrap();
        let repo = Repo::open(dir.path(), None).unwrap();
        let a = fingerprint(&repo, &Source::WorkTree);
        assert_eq!(a, fingerprint(&repo, &Source::WorkTree));
        std::fs::write(dir.path().join("demarc.toml"), "schema = 1\norg = \"AB\"\n").unwrap();
        assert_ne!(a, fingerprint(&repo, &Source::WorkTree));
    }

    #[test]
    fn the_worker_reloads_on_change() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("demarc.toml"), "schema = 1\norg = \"A\"\n").unwrap();
        std::fs::create_dir(dir.path().join("teams")).unwrap();
        std::fs::write(
            dir.path().join("teams/sre.toml"),
            "name = \"SRE\"\nkind = \"operations\"\n",
        )
        .unwrap();
        let repo = Repo::open(dir.path(), None).unwrap();
        let (tx, rx) = mpsc::channel();
        let _loader = spawn(repo, Source::WorkTree, tx);
        let wait = Duration::from_secs(30);
        // Each load is a `Loaded`, then the search index built from it.
        let org = |ev: Event| {
            let org = match ev {
                Event::Loaded(r) => r.unwrap().0.model.settings.org.clone(),
                other => panic!("{other:?}"),
            };
            match rx.recv_timeout(wait).unwrap() {
                Event::SearchIndex(index) => assert!(!index.is_empty()),
                other => panic!("{other:?}"),
            }
            match rx.recv_timeout(wait).unwrap() {
                Event::Checked { .. } => {}
                other => panic!("{other:?}"),
            }
            org
        };
        assert_eq!(org(rx.recv_timeout(wait).unwrap()), "A");
        std::fs::write(
            dir.path().join("demarc.toml"),
            "schema = 1\norg = \"Bee\"\n",
        )
        .unwrap();
        assert_eq!(org(rx.recv_timeout(wait).unwrap()), "Bee");
    }
}
