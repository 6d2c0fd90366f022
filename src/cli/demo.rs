//! `demarc demo [--out DIR]`: the sample repository, built with git2.

use super::{Cli, EXIT_OK, fail};
use crate::repo::Repo;
use crate::sample;
use std::path::Path;
use std::process::ExitCode;

pub fn run(cli: &Cli, out: Option<&Path>, backstage: bool) -> ExitCode {
    type Build = fn(&Path) -> Result<sample::Built, crate::repo::Error>;
    let (build, what): (Build, &str) = if backstage {
        (
            crate::backstage::sample::build,
            "the sample Backstage catalog",
        )
    } else {
        (sample::build, "the sample ownership repository")
    };
    if let Some(out) = out {
        return match build(out) {
            Ok(built) => {
                println!(
                    "Wrote {what} to {} ({} commits, HEAD {}).",
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
    if let Err(e) = build(dir.path()) {
        return fail(e);
    }
    // The folder lives as long as the dashboard; it is removed on exit.
    match Repo::open(dir.path(), None) {
        Ok(repo) => super::dashboard::run(cli, repo),
        Err(e) => fail(e),
    }
}
