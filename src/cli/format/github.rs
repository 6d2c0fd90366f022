//! Findings as GitHub Actions workflow commands: one `::error` or
//! `::warning` line per finding, which the runner turns into an annotation
//! on the file and line of the pull request, then the summary as a plain
//! log line. Paths are from the repository's root (the runner's working
//! directory), not from the data folder.

use super::escape::{github_data, github_property};
use super::{FindingsContext, text};
use crate::model::{Diagnostic, Severity};
use std::fmt::Write;

pub fn findings(diagnostics: &[Diagnostic], cx: &FindingsContext) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let _ = writeln!(out, "{}", command(d, cx));
    }
    let _ = writeln!(out, "{}", text::summary(diagnostics, cx));
    out
}

/// `::warning file=ownership/components/cloud.toml,line=182,col=1,title=duty_conflict::message`
pub fn command(d: &Diagnostic, cx: &FindingsContext) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut properties = vec![format!(
        "file={}",
        github_property(&cx.root_path(&d.location.file))
    )];
    if let Some(line) = d.location.line {
        properties.push(format!("line={line}"));
        if let Some(col) = d.location.column {
            properties.push(format!("col={col}"));
        }
    }
    properties.push(format!("title={}", github_property(d.code)));
    format!(
        "::{level} {}::{}",
        properties.join(","),
        github_data(&d.message)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Location;

    #[test]
    fn paths_are_from_the_repository_root() {
        let cx = FindingsContext {
            data_dir: "ownership".into(),
            ..FindingsContext::default()
        };
        let d = Diagnostic::warning(
            "duty_conflict",
            Location::at("components/cloud.toml", 182, 1),
            "both `a` and `b` claim \"x, y\"",
        );
        assert_eq!(
            command(&d, &cx),
            "::warning file=ownership/components/cloud.toml,line=182,col=1,title=duty_conflict::both `a` and `b` claim \"x, y\""
        );
        let whole_file = Diagnostic::error("parse", Location::file("teams/a.toml"), "bad");
        assert_eq!(
            command(&whole_file, &cx),
            "::error file=ownership/teams/a.toml,title=parse::bad"
        );
    }
}
