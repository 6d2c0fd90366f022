//! `demarc mcp`: the MCP server over stdio, on the repository the global
//! options name (`-C`, `--dir`, `--rev`, `--at`).

use super::{Cli, EXIT_OK, fail};
use crate::mcp::{self, Target};
use std::process::ExitCode;

pub fn run(cli: &Cli) -> ExitCode {
    // Say at once when the repository cannot be read, rather than after a
    // client has connected and asked.
    if let Err(e) = cli.open_repo() {
        return fail(e);
    }
    let target = Target {
        repo: cli.repo.clone(),
        dir: cli.dir.clone(),
        rev: cli.rev.clone(),
        at: cli.at.clone(),
        source: cli.source,
    };
    match mcp::serve(target) {
        Ok(()) => ExitCode::from(EXIT_OK),
        Err(e) => fail(e),
    }
}
