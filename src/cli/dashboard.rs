//! `demarc` with no command (and `demarc demo`): the interactive dashboard.

use super::{Cli, EXIT_OK, fail};
use crate::app::keymap::Keymap;
use crate::config::{self, Config};
use crate::dashboard;
use crate::repo::Repo;
use crate::ui::theme::Theme;
use std::io::IsTerminal;
use std::process::ExitCode;

/// The theme to use: no colour wins (NO_COLOR, --no-color), then --theme,
/// then the config's `theme`, then the default.
pub fn pick_theme(cli: &Cli, config: &Config) -> Result<Theme, config::ConfigError> {
    let no_color = cli.no_color || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    if no_color {
        return Ok(Theme::mono());
    }
    let dir = config
        .path
        .as_ref()
        .and_then(|p| p.parent().map(|d| d.to_path_buf()))
        .or_else(config::config_dir);
    match cli.theme.as_deref().or(config.theme.as_deref()) {
        Some(spec) => Theme::resolve(spec, dir.as_deref()),
        None => Ok(Theme::default_dark()),
    }
}

pub fn run(cli: &Cli, repo: Repo) -> ExitCode {
    let config = match Config::load() {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let keymap = match Keymap::with_bindings(&config.keys) {
        Ok(k) => k,
        Err(e) => return fail(e),
    };
    let theme = match pick_theme(cli, &config) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    let source = match cli.source() {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return fail(
            "The dashboard needs a terminal; in scripts use `demarc check` and the other commands.",
        );
    }
    match dashboard::run(repo, source, keymap, theme) {
        Ok(dashboard::Ended::Quit) => ExitCode::from(EXIT_OK),
        // The conventional status of a process ended by signal n.
        Ok(dashboard::Ended::Signal(n)) => ExitCode::from((128 + n).clamp(0, 255) as u8),
        Err(e) => fail(e),
    }
}

/// `demarc` with no command.
pub fn open(cli: &Cli) -> ExitCode {
    match cli.open_repo() {
        Ok(repo) => run(cli, repo),
        Err(e) => fail(e),
    }
}
