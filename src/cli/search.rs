//! `demarc search QUERY [--limit N] [--json]`: the dashboard's fuzzy search,
//! printed. Exit 1 when nothing matches.

use super::{Answer, Cli, EXIT_FINDINGS, EXIT_OK};
use crate::model::Subject;
use crate::model::{Incomplete, incomplete_line};
use crate::repo::{self, ForAnswers};
use crate::sanitize;
use crate::search::{Hit, Index, MatchClass, Results, Searcher};
use serde::Serialize;
use std::process::ExitCode;

#[derive(Serialize)]
pub struct SearchJson<'a> {
    query: &'a str,
    /// Files that did not load (empty when all did).
    incomplete: &'a [Incomplete],
    /// Entries that matched; `results` holds at most the limit.
    total: usize,
    results: Vec<HitJson<'a>>,
}

#[derive(Serialize)]
struct HitJson<'a> {
    kind: &'static str,
    id: &'a str,
    name: &'a str,
    context: &'a str,
    score: i64,
    /// How sure: `exact`, `word` or `fuzzy`.
    #[serde(rename = "match")]
    class: MatchClass,
    /// Char positions in `name`, or in `matched` when `field` is present.
    indices: &'a [usize],
    /// Present when no word matched the name: the field that matched best.
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'static str>,
    /// That field's text, so `indices` can be applied to it.
    #[serde(skip_serializing_if = "Option::is_none")]
    matched: Option<&'a str>,
    subject: &'a Subject,
}

impl<'a> HitJson<'a> {
    fn of(hit: &'a Hit, query: &str) -> HitJson<'a> {
        let (indices, field, matched) = match &hit.field {
            Some(f) => (
                f.indices.as_slice(),
                Some(f.field.as_str()),
                Some(f.text.as_str()),
            ),
            None => (hit.indices.as_slice(), None, None),
        };
        HitJson {
            kind: hit.kind.as_str(),
            id: &hit.id,
            name: &hit.name,
            context: &hit.context,
            score: hit.score,
            class: hit.class(query),
            indices,
            field,
            matched,
            subject: &hit.subject,
        }
    }
}

pub fn run(cli: &Cli, query: &str, limit: usize, json: bool) -> ExitCode {
    let answer = answer(cli, query, limit);
    let (exit, kept) = match answer {
        Ok(answer) => {
            if json {
                super::output::print_json(&answer.json());
            } else {
                super::output::print_text(&answer.plain());
            }
            (ExitCode::from(answer.exit()), Some(answer))
        }
        Err(e) => (super::fail(e), None),
    };
    // The process ends here: freeing the model piece by piece (millions of
    // strings at 200,000 components) is work the OS does at once.
    std::mem::forget(kept);
    exit
}

/// The search's results (at most the limit of them) and what did not load.
pub struct SearchAnswer {
    query: String,
    fa: ForAnswers,
    results: Results,
}

impl Answer for SearchAnswer {
    type Json<'a> = SearchJson<'a>;
    fn json(&self) -> SearchJson<'_> {
        let query = self.query.as_str();
        SearchJson {
            query,
            incomplete: &self.fa.incomplete,
            total: self.results.total,
            results: (self.results.hits.iter())
                .map(|h| HitJson::of(h, query))
                .collect(),
        }
    }
    fn plain(&self) -> String {
        let mut text = incomplete_line(&self.fa.incomplete)
            .map(|l| format!("{l}\n"))
            .unwrap_or_default();
        if let Some(note) = &self.fa.before_first {
            text.push_str(&format!("{note}\n"));
        }
        text.push_str(&render_plain(&self.results));
        text
    }
    fn exit(&self) -> u8 {
        if self.results.total == 0 {
            EXIT_FINDINGS
        } else {
            EXIT_OK
        }
    }
}

/// `limit` 0 means no limit.
pub fn answer(cli: &Cli, query: &str, limit: usize) -> Result<SearchAnswer, String> {
    let fa = cli
        .open_repo()
        // Search prints no findings: `check` is not run.
        .and_then(|r| repo::load_for_answers_with(&r, &cli.source()?, repo::Checks::Skip))
        .map_err(|e| e.to_string())?;
    let limit = if limit == 0 { usize::MAX } else { limit };
    // Only the entries the query may match are built: the others would
    // be made, sorted and packed for nothing.
    let index = Index::build_for(&fa.loaded.model, query);
    let results = Searcher::with_threads(index, 1).search(query, limit);
    Ok(SearchAnswer {
        query: query.to_string(),
        fa,
        results,
    })
}

/// The longest secondary-field text shown after a result, in chars.
const MATCHED_WIDTH: usize = 60;

/// One aligned line per result: kind, id, name, context, and where the
/// match was when it was not in the name.
pub fn render_plain(results: &Results) -> String {
    if results.hits.is_empty() {
        return format!("no match for \"{}\"\n", sanitize::line(&results.query));
    }
    let rows: Vec<[String; 5]> = results
        .hits
        .iter()
        .map(|h| {
            let matched = h
                .field
                .as_ref()
                .map(|f| {
                    format!(
                        "  [{}: {}]",
                        f.field.as_str(),
                        shorten(&sanitize::line(&f.text), MATCHED_WIDTH)
                    )
                })
                .unwrap_or_default();
            [
                h.kind.as_str().to_string(),
                sanitize::line(&h.id).into_owned(),
                sanitize::line(&h.name).into_owned(),
                sanitize::line(&h.context).into_owned(),
                matched,
            ]
        })
        .collect();
    let width = |col: usize| {
        rows.iter()
            .map(|r| r[col].chars().count())
            .max()
            .unwrap_or(0)
    };
    let (kind_w, id_w, name_w) = (width(0), width(1), width(2));
    let mut out = String::new();
    for [kind, id, name, context, matched] in &rows {
        let line = format!("{kind:<kind_w$}  {id:<id_w$}  {name:<name_w$}  {context}{matched}");
        out.push_str(line.trim_end());
        out.push('\n');
    }
    if results.total > results.hits.len() {
        out.push_str(&format!(
            "({} of {} matches; --limit to see more)\n",
            results.hits.len(),
            results.total
        ));
    }
    out
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut short: String = text.chars().take(max - 1).collect();
    short.push('…');
    short
}
