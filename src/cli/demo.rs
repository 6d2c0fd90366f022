//! `demarc demo [--out DIR]`: the sample repository, built with git2.

use super::{Cli, EXIT_OK, fail, output};
use crate::repo::{self, Repo, Source};
use crate::sample;
use std::path::Path;
use std::process::ExitCode;

pub fn run(cli: &Cli, out: Option<&Path>) -> ExitCode {
    if let Some(out) = out {
        return match sample::build(out) {
            Ok(built) => {
                println!(
                    "Wrote the sample ownership repository to {} ({} commits, HEAD {}).",
                    out.display(),
                    built.commits,
                    &built.head.to_string()[..7]
                );
                println!("Try: demarc -C {} check", out.display());
                ExitCode::from(EXIT_OK)
            }
            Err(e) => fail(e),
        };
    }
    let dir = match tempfile::Builder::new().prefix("demarc-demo-").tempdir() {
        Ok(d) => d,
        Err(e) => return fail(format!("Cannot create a temporary folder: {e}.")),
    };
    if let Err(e) = sample::build(dir.path()) {
        return fail(e);
    }
    match Repo::open(dir.path(), None) {
        Ok(repo) => print_summary(&repo, &cli.source()),
        Err(e) => fail(e),
    }
}

/// Until the dashboard lands: a summary of what the repository says.
pub fn summary_of(cli: &Cli) -> ExitCode {
    match cli.open_repo() {
        Ok(repo) => print_summary(&repo, &cli.source()),
        Err(e) => fail(e),
    }
}

fn print_summary(repo: &Repo, source: &Source) -> ExitCode {
    let loaded = match repo::load(repo, source) {
        Ok(l) => l,
        Err(e) => return fail(e),
    };
    let m = &loaded.model;
    let mut text = format!(
        "{}: {} teams, {} components, {} pillars, {} layers, {} scenarios ({} errors, {} warnings)\n",
        m.settings.org,
        m.teams.len(),
        m.components.len(),
        m.pillars.len(),
        m.layers.len(),
        m.scenarios.len(),
        loaded.errors(),
        loaded.warnings()
    );
    for team in &m.teams {
        let owned = m.components_owned_by(&team.id).count();
        text.push_str(&format!(
            "  {:<24} {:<12} owns {owned}\n",
            team.id, team.kind
        ));
    }
    output::print_text(&text);
    ExitCode::from(EXIT_OK)
}
