//! `demarc check [--format text|json|markdown|github|sarif] [--json]`.

use super::format::{self, FindingsContext, FindingsFormat};
use super::{Cli, EXIT_FINDINGS, EXIT_OK, fail, output};
use crate::repo;
use std::process::ExitCode;

pub fn run(cli: &Cli, format: FindingsFormat) -> ExitCode {
    let repo = match cli.open_repo() {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let loaded = match repo::load(&repo, &cli.source()) {
        Ok(l) => l,
        Err(e) => return fail(e),
    };
    let cx = FindingsContext::of("demarc check", &repo, &loaded);
    output::print_text(&format::render_findings(format, &loaded.diagnostics, &cx));
    ExitCode::from(if loaded.errors() > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}
