//! `demarc who QUERY [--json]`: triage cards, now or as of the incident.

use super::{Cli, EXIT_FINDINGS, EXIT_OK, fail, output};
use crate::history::{self, HistoryEntry, WalkOptions};
use crate::repo::{self, Loaded, Origin, Repo, Source};
use crate::triage::{self, Card};
use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;
use std::process::ExitCode;

/// Matches shown as full cards in plain output; the rest are listed by name.
const FULL_CARDS: usize = 3;
const MAX_MATCHES: usize = 10;

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
    /// Only when reading as of a commit: what differs in the work tree now.
    #[serde(skip_serializing_if = "Option::is_none")]
    differs_now: Option<Vec<String>>,
}

#[derive(Serialize)]
struct WhoJson {
    query: String,
    as_of: Option<AsOf>,
    matches: Vec<MatchJson>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suggestions: Vec<String>,
}

pub fn run(cli: &Cli, query: &str, json: bool) -> ExitCode {
    let repo = match cli.open_repo() {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let source = cli.source();
    let loaded = match repo::load(&repo, &source) {
        Ok(l) => l,
        Err(e) => return fail(e),
    };
    // As of a commit, compare with now (the work tree, or HEAD when bare).
    let now = match source {
        Source::WorkTree => None,
        _ => load_now(&repo),
    };
    let matches = triage::find(&loaded.model, query);
    // The moment shown: the time asked for with --at (the incident), else
    // the commit's time, else now.
    let asked = cli.at.as_deref().and_then(|w| repo::parse_when(w).ok());
    let (moment, history) = recent_history(&repo, &loaded.origin, asked);
    let cards: Vec<MatchJson> = matches
        .iter()
        .take(MAX_MATCHES)
        .filter_map(|m| {
            let mut card = triage::build_card(&loaded.model, &loaded.diagnostics, &m.subject)?;
            triage::recent::attach(&mut card, &history, moment);
            let differs_now = now.as_ref().map(|now| {
                let now_card = triage::build_card(&now.model, &now.diagnostics, &m.subject);
                triage::differences(&card, now_card.as_ref())
            });
            Some(MatchJson {
                card,
                score: m.score,
                differs_now,
            })
        })
        .collect();
    let suggestions = if cards.is_empty() {
        triage::suggest(&loaded.model, query, 5)
    } else {
        Vec::new()
    };
    let as_of = match &loaded.origin {
        Origin::Commit(info) => Some(AsOf {
            commit: info.id.clone(),
            time: info.time.to_rfc3339(),
        }),
        _ => None,
    };
    let found = !cards.is_empty();
    if json {
        output::print_json(&WhoJson {
            query: query.to_string(),
            as_of,
            matches: cards,
            suggestions,
        });
    } else {
        output::print_text(&render_plain(query, &loaded, &cards, &suggestions));
    }
    ExitCode::from(if found { EXIT_OK } else { EXIT_FINDINGS })
}

/// The moment shown (the commit's time, or now) and the history of the
/// window before it. Without git there is no history, and the cards say
/// nothing about recent changes rather than failing.
fn recent_history(
    repo: &Repo,
    origin: &Origin,
    asked: Option<DateTime<FixedOffset>>,
) -> (DateTime<FixedOffset>, Vec<HistoryEntry>) {
    let (moment, start) = match origin {
        Origin::Commit(info) => (asked.unwrap_or(info.time), Some(info.id.clone())),
        _ => (Utc::now().fixed_offset(), None),
    };
    let options = WalkOptions {
        start,
        since: Some(moment - chrono::Duration::days(triage::recent::WINDOW_DAYS)),
        ..WalkOptions::default()
    };
    let entries = match (repo.git(), origin) {
        (None, _) | (_, Origin::Folder) => Vec::new(),
        _ => history::collect(repo, options)
            .map(|(e, _)| e)
            .unwrap_or_default(),
    };
    (moment, entries)
}

fn load_now(repo: &Repo) -> Option<Loaded> {
    repo::load(repo, &Source::WorkTree).ok()
}

fn render_plain(
    query: &str,
    loaded: &Loaded,
    cards: &[MatchJson],
    suggestions: &[String],
) -> String {
    let mut out = String::new();
    if cards.is_empty() {
        out.push_str(&format!("Nothing matches \"{query}\"."));
        if !suggestions.is_empty() {
            out.push_str(&format!(" Closest: {}.", suggestions.join(", ")));
        }
        out.push('\n');
        return out;
    }
    if let Origin::Commit(info) = &loaded.origin {
        out.push_str(&format!(
            "As of {} (commit {}, {}):\n\n",
            info.time.format("%Y-%m-%d %H:%M %:z"),
            info.short_id(),
            info.summary()
        ));
    }
    for (i, m) in cards.iter().take(FULL_CARDS).enumerate() {
        if i > 0 {
            out.push('\n');
        }
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
    if cards.len() > FULL_CARDS {
        out.push_str("\nAlso matching: ");
        let rest: Vec<String> = cards[FULL_CARDS..]
            .iter()
            .map(|m| {
                let s = m.card.subject();
                format!("{} {}", s.kind.as_str(), s.id)
            })
            .collect();
        out.push_str(&rest.join(", "));
        out.push('\n');
    }
    out
}
