//! `demarc check [--format text|json|markdown|github|sarif] [--json]`.

use super::format::{self, FindingsContext, FindingsFormat};
use super::{Cli, EXIT_FINDINGS, EXIT_OK, Reply, fail, output};
use crate::repo;
use std::process::ExitCode;

pub fn run(cli: &Cli, format: FindingsFormat) -> ExitCode {
    let repo = match cli.open_repo() {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let loaded = match cli.source().and_then(|source| repo::load(&repo, &source)) {
        Ok(l) => l,
        Err(e) => return fail(e),
    };
    let cx = FindingsContext::of("demarc check", &repo, &loaded);
    output::print_text(&format::render_findings(format, &loaded.diagnostics, &cx));
    let exit = if loaded.errors() > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    };
    // The process ends here: freeing the model piece by piece (a million
    // strings at 200,000 components) is work the OS does at once.
    std::mem::forget(loaded);
    ExitCode::from(exit)
}

/// The findings as `check --json` prints them, with the plain report and
/// the exit code: what `demarc mcp` answers.
pub fn answer(cli: &Cli) -> Result<Reply<serde_json::Value>, String> {
    let repo = cli.open_repo().map_err(|e| e.to_string())?;
    let loaded = cli
        .source()
        .and_then(|source| repo::load(&repo, &source))
        .map_err(|e| e.to_string())?;
    let cx = FindingsContext::of("demarc check", &repo, &loaded);
    let render = |f| format::render_findings(f, &loaded.diagnostics, &cx);
    let json = serde_json::from_str(&render(FindingsFormat::Json)).map_err(|e| e.to_string())?;
    Ok(Reply {
        json,
        plain: render(FindingsFormat::Text),
        exit: if loaded.errors() > 0 {
            EXIT_FINDINGS
        } else {
            EXIT_OK
        },
    })
}
