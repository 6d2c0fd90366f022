//! `demarc who QUERY [--json]`: triage cards, now or as of the incident.
//! Every answer says how sure it is (exact, word, fuzzy), names the files
//! that did not load before anything else, and never passes a fuzzy guess
//! off as a card.

use super::{Cli, EXIT_FINDINGS, EXIT_OK, Reply};
use crate::history::{HistoryEntry, WalkOptions, Walker};
use crate::model::{Incomplete, Model, SubjectKind, incomplete_line};
use crate::repo::{self, ForAnswers, Loaded, Origin, Repo, Source};
use crate::triage::{self, Card, MatchClass, SinceMaps};
use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;
use std::collections::HashSet;
use std::process::ExitCode;

mod now;

/// Matches shown as full cards in plain output; the rest are listed by name.
const FULL_CARDS: usize = 3;
const MAX_MATCHES: usize = 10;
/// Fuzzy candidates listed when nothing matched better.
const MAX_CANDIDATES: usize = 5;

#[derive(Serialize)]
struct AsOf {
    commit: String,
    time: String,
}

#[derive(Serialize)]
struct MatchJson {
    #[serde(flatten)]
    card: Card,
    score: i64,
    /// How sure: `exact`, `word` or `fuzzy`.
    #[serde(rename = "match")]
    class: MatchClass,
    /// Only when reading as of a commit: what differs in the work tree now.
    #[serde(skip_serializing_if = "Option::is_none")]
    differs_now: Option<Vec<String>>,
}

/// A fuzzy guess listed instead of a card.
#[derive(Serialize)]
struct Candidate {
    kind: &'static str,
    id: String,
    /// What it is, in a few words.
    what: String,
    #[serde(rename = "match")]
    class: MatchClass,
    score: i64,
}

#[derive(Serialize)]
pub struct WhoJson {
    query: String,
    as_of: Option<AsOf>,
    /// Files that did not load (empty when all did).
    incomplete: Vec<Incomplete>,
    matches: Vec<MatchJson>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suggestions: Vec<String>,
    /// When nothing matched better than fuzzy: the guesses, not answered.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    candidates: Vec<Candidate>,
    /// "redis is defined in components/data.toml, which did not load"
    #[serde(skip_serializing_if = "Option::is_none")]
    unloaded: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<String>,
}

/// Everything `who` found, ready to print either way.
struct Answer {
    cards: Vec<MatchJson>,
    candidates: Vec<Candidate>,
    suggestions: Vec<String>,
    unloaded: Option<String>,
    notes: Vec<String>,
}

pub fn run(cli: &Cli, query: &str, json: bool) -> ExitCode {
    let (reply, loaded) = match answer_keeping(cli, query, Exit::Next) {
        Ok((reply, fa)) => (Ok(reply), Some(fa)),
        Err(e) => (Err(e), None),
    };
    let exit = super::print(reply, json);
    // The process ends here: freeing the model and the parsed files piece
    // by piece (millions of strings at 200,000 components, a fifteenth of
    // `who`) is work the OS does at once.
    std::mem::forget(loaded);
    exit
}

/// The cards `who` prints, rendered both ways.
pub fn reply(cli: &Cli, query: &str) -> Result<Reply<WhoJson>, String> {
    answer_keeping(cli, query, Exit::Later).map(|(reply, _)| reply)
}

/// `reply`, and what was read to make it (for the caller to drop, or not).
fn answer_keeping(
    cli: &Cli,
    query: &str,
    exit: Exit,
) -> Result<(Reply<WhoJson>, ForAnswers), String> {
    let repo = cli.open_repo().map_err(|e| e.to_string())?;
    let source = cli.source().map_err(|e| e.to_string())?;
    // `check` runs only when there is a card to show its findings on.
    // The parsed files are kept: the work tree read beside a commit and the
    // history walk's start share most of them, and parse only the rest.
    // As of a commit, the work tree is read first, and the commit takes
    // from it every file with the same bytes (`now::Beside`).
    let mut beside = now::Beside::read(&repo, &source);
    let mut fa = match beside.as_mut() {
        Some(beside) => {
            repo::load_for_answers_taking(&repo, &source, repo::Checks::Skip, &mut |path, blob| {
                beside.take(path, blob)
            })
        }
        None => repo::load_for_answers_keeping(&repo, &source, repo::Checks::Skip),
    }
    .map_err(|e| e.to_string())?;
    // The history walk and the work tree read take every file from the
    // set, the component files too (copied back from the model).
    fa.parsed.fill_from(&fa.loaded.model);
    let beside = beside.filter(|b| b.all_offered(&fa.parsed));
    // The moment shown: the time asked for with --at (the incident), else
    // the commit's time, else now.
    let asked = match &source {
        Source::At(when) => Some(when.time()),
        _ => None,
    };
    let compare_now = source != Source::WorkTree;
    let answer = answer(&repo, &mut fa, compare_now, query, asked, exit, beside);
    let as_of = match &fa.loaded.origin {
        Origin::Commit(info) => Some(AsOf {
            commit: info.id.clone(),
            time: info.time.to_rfc3339(),
        }),
        _ => None,
    };
    let found = !answer.cards.is_empty();
    let plain = render_plain(query, &fa, &answer);
    let reply = Reply {
        json: WhoJson {
            query: query.to_string(),
            as_of,
            incomplete: fa.incomplete.clone(),
            matches: answer.cards,
            suggestions: answer.suggestions,
            candidates: answer.candidates,
            unloaded: answer.unloaded,
            notes: answer.notes,
        },
        plain,
        exit: if found { EXIT_OK } else { EXIT_FINDINGS },
    };
    Ok((reply, fa))
}

/// `compare_now`: reading as of a commit, so each card says what differs
/// in the work tree now (or HEAD when bare); `beside`, that work tree when
/// read already.
fn answer(
    repo: &Repo,
    fa: &mut ForAnswers,
    compare_now: bool,
    query: &str,
    asked: Option<DateTime<FixedOffset>>,
    exit: Exit,
    beside: Option<now::Beside>,
) -> Answer {
    let mut matches = triage::find(&fa.loaded.model, query);
    // A query naming something in a file that did not load is answered so;
    // a fuzzy match would be an unrelated guess in its place.
    let unloaded = fa.unloaded.sentence(query.trim());
    if unloaded.is_some() {
        matches.retain(|m| !m.is_fuzzy());
    }
    let mut notes: Vec<String> = fa.before_first.iter().cloned().collect();
    let mut candidates = Vec::new();
    if !matches.is_empty() && triage::only_fuzzy(&matches) {
        candidates = matches
            .iter()
            .take(MAX_CANDIDATES)
            .filter_map(|m| candidate(&fa.loaded.model, m))
            .collect();
        matches.clear();
    }
    let matches: Vec<_> = matches.into_iter().take(MAX_MATCHES).collect();
    // Cards show `check`'s findings and what differs now: both are read
    // only when there is a card.
    if !matches.is_empty() {
        fa.ensure_checked();
    }
    let want_now = compare_now && !matches.is_empty();
    let beside = beside.map(now::Beside::into_snapshot);
    let beside = if want_now {
        beside
    } else {
        exit.done_with(beside);
        None
    };
    let fa = &*fa;
    let loaded = &fa.loaded;
    let needed = needed_ids(&loaded.model, &matches);
    // "What differs now" compares the cards' facts, not findings: the work
    // tree is not checked, its files that are the commit's bytes are not
    // parsed again, and only the files the cards read are kept (`now`).
    // It is read on a second thread (its own handle on
    // the repository) while this one walks the history.
    let work_tree = want_now.then(|| repo.reopen().ok()).flatten();
    let (now, (moment, history, since)) = std::thread::scope(|s| {
        let now = work_tree.map(|other| {
            let matches = &matches;
            s.spawn(move || now::read(&other, &loaded.model, &fa.parsed, matches, exit, beside))
        });
        let history = history_for(repo, loaded, &fa.parsed, asked, &needed, &mut notes, exit);
        (now.and_then(|h| h.join().ok()).flatten(), history)
    });
    // No second handle (or no answer from it): read it here, as before.
    let now = match now {
        None if want_now => now::read(repo, &loaded.model, &fa.parsed, &matches, exit, None),
        now => now,
    };
    let cards: Vec<MatchJson> = matches
        .iter()
        .filter_map(|m| {
            let mut card = triage::build_card(&loaded.model, &loaded.diagnostics, &m.subject)?;
            card.note_unloaded(&fa.unloaded);
            triage::recent::attach(&mut card, &history, moment);
            since.attach(&mut card);
            let differs_now = now.as_ref().map(|now| {
                let now_card = triage::build_card(&now.model, &now.diagnostics, &m.subject);
                triage::differences(&card, now_card.as_ref())
            });
            Some(MatchJson {
                card,
                score: m.score,
                class: m.class,
                differs_now,
            })
        })
        .collect();
    exit.done_with((history, now));
    let suggestions = if !candidates.is_empty() {
        candidates.iter().map(|c| c.id.clone()).collect()
    } else if cards.is_empty() {
        triage::suggest(&loaded.model, query, 5)
    } else {
        Vec::new()
    };
    Answer {
        cards,
        candidates,
        suggestions,
        unloaded,
        notes,
    }
}

fn candidate(model: &Model, m: &triage::Match) -> Option<Candidate> {
    let id = m.subject.id.clone();
    let what = match m.subject.kind {
        SubjectKind::Component => {
            let c = model.component(&id)?;
            format!("{} (owned by {})", c.name, c.owner)
        }
        SubjectKind::Scenario => model.scenario(&id)?.title.clone(),
        SubjectKind::Team => model.team(&id)?.name.clone(),
        _ => return None,
    };
    Some(Candidate {
        kind: m.subject.kind.as_str(),
        id,
        what,
        class: m.class,
        score: m.score,
    })
}

/// The component and team ids whose "since" the cards need.
fn needed_ids(model: &Model, matches: &[triage::Match]) -> (HashSet<String>, HashSet<String>) {
    let mut components = HashSet::new();
    for m in matches {
        match m.subject.kind {
            SubjectKind::Component => {
                components.insert(m.subject.id.clone());
            }
            SubjectKind::Scenario => {
                if let Some(s) = model.scenario(&m.subject.id) {
                    components.extend(s.components.iter().cloned());
                }
            }
            _ => {}
        }
    }
    let teams = components
        .iter()
        .filter_map(|id| model.component(id))
        .filter(|c| model.team(&c.owner).is_some_and(|t| t.oncall.is_some()))
        .map(|c| c.owner.clone())
        .collect();
    (components, teams)
}

/// The moment shown (the commit's time, or now), the history before it, and
/// since when owners and on-calls hold. The walk goes back as far as the
/// recent-changes window and every card's "since" need, and no further.
/// Without git there is no history, and the cards say so rather than fail.
fn history_for(
    repo: &Repo,
    loaded: &Loaded,
    parsed: &repo::ParsedFiles,
    asked: Option<DateTime<FixedOffset>>,
    needed: &(HashSet<String>, HashSet<String>),
    notes: &mut Vec<String>,
    exit: Exit,
) -> (DateTime<FixedOffset>, Vec<HistoryEntry>, SinceMaps) {
    let origin = &loaded.origin;
    let (moment, start) = match origin {
        Origin::Commit(info) => (asked.unwrap_or(info.time), Some(info.id.clone())),
        _ => (Utc::now().fixed_offset(), None),
    };
    let no_history = |why: &str| (moment, Vec::new(), SinceMaps::unknown(why));
    if repo.git().is_none() {
        return no_history("a plain folder has no history");
    }
    if matches!(origin, Origin::Folder) {
        return no_history("there was no data yet");
    }
    let window_start = moment - chrono::Duration::days(triage::recent::WINDOW_DAYS);
    // The usual case: the window's history, and each card's "since" from
    // the blobs of the files that define it (far cheaper than the walk).
    let start_commit = match &start {
        Some(id) => repo.resolve_rev(id),
        None => repo.resolve_rev("HEAD"),
    };
    if let Ok(commit) = start_commit
        && let Some(since) =
            super::since::quick_since(repo, &commit, &loaded.model, &needed.0, &needed.1)
    {
        let options = WalkOptions {
            start: start.clone(),
            since: Some(window_start),
            ..WalkOptions::default()
        };
        if let Ok((entries, summary)) = window(repo, options, parsed, exit) {
            notes.extend(summary.notes);
            return (moment, entries, since);
        }
    }
    let mut walker = match Walker::seeded(
        repo,
        WalkOptions {
            start,
            ..WalkOptions::default()
        },
        Some(parsed),
    ) {
        Ok(w) => w,
        Err(e) => return no_history(&e.0),
    };
    let mut entries: Vec<HistoryEntry> = Vec::new();
    let mut complete = false;
    // The ids whose "since" is found so far, batch by batch.
    let mut tracker = crate::history::ownership::SinceTracker::default();
    let (mut components, mut teams) = (needed.0.clone(), needed.1.clone());
    loop {
        match walker.next_batch() {
            Ok(Some(batch)) => {
                let found = tracker.next(&batch.entries);
                found.owners.iter().for_each(|(id, _)| {
                    components.remove(id);
                });
                found.oncalls.iter().for_each(|(id, _)| {
                    teams.remove(id);
                });
                entries.extend(batch.entries);
            }
            Ok(None) => {
                complete = true;
                break;
            }
            Err(e) => {
                notes.push(format!("The history could not be read to its end: {e}."));
                break;
            }
        }
        let past_window = entries
            .last()
            .is_some_and(|e| e.commit.time <= window_start);
        if past_window && components.is_empty() && teams.is_empty() {
            break;
        }
    }
    let summary = walker.summary();
    exit.done_with(walker);
    notes.extend(summary.notes.iter().cloned());
    let first = if complete && summary.shallow_boundary.is_none() {
        entries.last().map(|e| e.commit.id.clone())
    } else {
        // Stopped early: a "since" commit may still be where the data began.
        first_data_commit_among(repo, &entries)
    };
    let since = SinceMaps::build(
        &entries,
        first,
        (!complete).then_some("not in the history walked"),
    );
    (moment, entries, since)
}

/// The history of the recent-changes window (`history::collect_seeded`,
/// its walker left to the OS when the process ends next).
fn window(
    repo: &Repo,
    options: WalkOptions,
    parsed: &repo::ParsedFiles,
    exit: Exit,
) -> repo::Result<(Vec<HistoryEntry>, crate::history::walk::Summary)> {
    let mut walker = Walker::seeded(repo, options, Some(parsed))?;
    let mut entries = Vec::new();
    while let Some(batch) = walker.next_batch()? {
        entries.extend(batch.entries);
    }
    let summary = walker.summary();
    exit.done_with(walker);
    Ok((entries, summary))
}

/// Whether the process ends once this answer is printed (`demarc who`),
/// or goes on (`demarc mcp`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Exit {
    Next,
    Later,
}

impl Exit {
    /// Drops `value`, or, when the process ends next, leaves it to the OS:
    /// freeing a walk's parsed files and entries piece by piece was a
    /// twentieth of `who --at` at 200,000 components, work the OS does at
    /// once.
    fn done_with<T>(self, value: T) {
        match self {
            Exit::Next => std::mem::forget(value),
            Exit::Later => drop(value),
        }
    }
}

/// The oldest entry walked, when it is where the data folder began (its
/// parent has no `demarc.toml` in the data folder).
fn first_data_commit_among(repo: &Repo, entries: &[HistoryEntry]) -> Option<String> {
    let oldest = entries.last()?;
    let git = repo.git()?;
    let commit = git
        .find_commit(git2::Oid::from_str(&oldest.commit.id).ok()?)
        .ok()?;
    let began = match commit.parent(0) {
        Err(_) => true,
        Ok(parent) => {
            let marker = if repo.data_dir().is_empty() {
                "demarc.toml".to_string()
            } else {
                format!("{}/demarc.toml", repo.data_dir())
            };
            parent
                .tree()
                .ok()
                .is_some_and(|t| t.get_path(std::path::Path::new(&marker)).is_err())
        }
    };
    began.then(|| oldest.commit.id.clone())
}

fn render_plain(query: &str, fa: &ForAnswers, answer: &Answer) -> String {
    let mut out = String::new();
    if let Some(line) = incomplete_line(&fa.incomplete) {
        out.push_str(&line);
        out.push('\n');
    }
    for note in &answer.notes {
        out.push_str(note);
        out.push('\n');
    }
    if let Some(unloaded) = &answer.unloaded {
        out.push_str(&format!("{}.\n", capitalized(unloaded)));
    }
    let cards = &answer.cards;
    if cards.is_empty() {
        if !answer.candidates.is_empty() {
            out.push_str(&format!(
                "Nothing is named \"{query}\". Fuzzy guesses (not answers; ask again with one of these ids):\n"
            ));
            for c in &answer.candidates {
                out.push_str(&format!("  {} {}  {}\n", c.kind, c.id, c.what));
            }
            return out;
        }
        if answer.unloaded.is_none() {
            out.push_str(&format!("Nothing matches \"{query}\"."));
            if !answer.suggestions.is_empty() {
                out.push_str(&format!(" Closest: {}.", answer.suggestions.join(", ")));
            }
            out.push('\n');
        }
        return out;
    }
    if let Origin::Commit(info) = &fa.loaded.origin {
        out.push_str(&format!(
            "As of {} (commit {}, {}):\n",
            info.time.format("%Y-%m-%d %H:%M %:z"),
            info.short_id(),
            info.summary()
        ));
    }
    let full: Vec<&MatchJson> = cards
        .iter()
        .filter(|m| !m.class.is_fuzzy())
        .take(FULL_CARDS)
        .collect();
    for m in &full {
        out.push('\n');
        out.push_str(&format!("{} match:\n", m.class.as_str()));
        triage::render::render_card(&mut out, &m.card);
        if let Some(diffs) = &m.differs_now {
            let label = "Since then";
            if diffs.is_empty() {
                out.push_str(&format!("  {label:<11}nothing has changed\n"));
            }
            for (j, d) in diffs.iter().enumerate() {
                out.push_str(&format!("  {:<11}{d}\n", if j == 0 { label } else { "" }));
            }
        }
    }
    let rest: Vec<String> = cards
        .iter()
        .filter(|m| !full.iter().any(|f| std::ptr::eq(*f, *m)))
        .map(|m| {
            let s = m.card.subject();
            format!("{} {} ({})", s.kind.as_str(), s.id, m.class.as_str())
        })
        .collect();
    if !rest.is_empty() {
        out.push_str("\nAlso matching: ");
        out.push_str(&rest.join(", "));
        out.push('\n');
    }
    out
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
