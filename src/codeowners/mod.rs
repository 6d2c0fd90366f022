//! CODEOWNERS against the ownership repository: read a CODEOWNERS file
//! (GitHub's rules, GitLab's sections), check it against the components'
//! `paths` and the teams' `codeowners` handles, or generate one.
//!
//! Pure functions over text and the model, apart from `locate`, which
//! reads the file through the repository layer.

pub mod check;
pub mod generate;
pub mod locate;
pub mod matcher;
pub mod parse;
pub mod syntax;

pub use check::{Report, Status, Verdict, check, in_scope};
pub use generate::{Options, generate};
pub use parse::{CodeownersFile, parse, parse_bytes};

use crate::model::{Diagnostic, Location, Model};
use crate::repo::{Repo, Source};

/// Parses and checks a file as read: what `codeowners check` and the
/// dashboard show.
pub fn review(found: &locate::Found, model: &Model, repo: Option<&str>) -> Report {
    let file = parse_bytes(&found.bytes);
    let mut report = check(model, &file, &found.path, repo);
    if found.bytes.len() >= locate::GITHUB_MAX_BYTES {
        report.diagnostics.insert(
            0,
            Diagnostic::warning(
                "codeowners_syntax",
                Location::file(&found.path),
                format!(
                    "the file is {} bytes: GitHub ignores CODEOWNERS files of 3 MB or more",
                    found.bytes.len()
                ),
            ),
        );
    }
    report
}

/// The repository's CODEOWNERS file at `source`, checked against `model`;
/// None when there is none or it cannot be read (the dashboard then shows
/// no CODEOWNERS line rather than a guess).
pub fn review_repo(repo: &Repo, source: &Source, model: &Model) -> Option<Report> {
    let found = locate::find(repo, source).ok()??;
    Some(review(&found, model, None))
}

/// The fuzz entry point: any bytes parse without panicking, and a rule
/// set built from them matches a few paths without panicking either.
pub fn fuzz_parse(bytes: &[u8]) {
    let file = parse_bytes(bytes);
    let set = matcher::PatternSet::new(file.rules.iter().map(|r| r.pattern.as_str()));
    for rule in file.rules.iter().take(64) {
        let _ = set.last_match(&matcher::probe(&rule.pattern));
    }
    let _ = set.last_match("a/b/c.txt");
}
