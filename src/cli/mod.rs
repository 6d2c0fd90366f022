//! The command line: clap definitions and the headless commands. Each
//! command is a thin face over the library; the dashboard is another.

pub mod check;
pub mod codeowners;
pub mod completions;
mod dashboard;
mod demo;
pub mod diff;
pub mod format;
pub mod history;
mod ids;
mod import;
mod mcp;
pub mod output;
mod range;
pub mod search;
mod since;
pub mod team;
pub mod trends;
pub mod who;

use crate::repo::{self, Repo, Source};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "demarc",
    version,
    about = "Who owns this? A dashboard over your ownership repository."
)]
pub struct Cli {
    /// The repository or plain folder (default: the current directory; a
    /// repository is discovered upward, as git does)
    #[arg(short = 'C', long = "repo", value_name = "PATH", global = true)]
    pub repo: Option<PathBuf>,
    /// The data folder inside the repository (default: its root)
    #[arg(long, value_name = "SUBDIR", global = true)]
    pub dir: Option<String>,
    /// Read the data at a commit (any rev-spec git understands)
    #[arg(long, value_name = "REV", global = true, conflicts_with = "at")]
    pub rev: Option<String>,
    /// Read the data as of a time: YYYY-MM-DD or RFC 3339
    #[arg(long, value_name = "WHEN", global = true)]
    pub at: Option<String>,
    /// Dashboard theme: a built-in name or a TOML file
    #[arg(long, value_name = "NAME|FILE", global = true)]
    pub theme: Option<String>,
    /// Dashboard without colours (as NO_COLOR does)
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Read the data folder as a Backstage catalog (found by itself when
    /// the folder has catalog YAML and no demarc.toml)
    #[arg(long, value_name = "KIND", global = true)]
    pub source: Option<SourceKind>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// The dashboard on a fresh copy of the sample repository; with --out,
    /// write the sample repository to DIR and exit
    Demo {
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// The sample Backstage catalog instead (docs/backstage.md)
        #[arg(long)]
        backstage: bool,
    },
    /// Write a native ownership repository from another format
    Import {
        #[command(subcommand)]
        from: ImportFrom,
    },
    /// Validate the ownership repository
    Check {
        #[arg(long, conflicts_with = "format")]
        json: bool,
        /// Output format (github: workflow-command annotations; sarif: SARIF 2.1.0)
        #[arg(long, value_enum, value_name = "FORMAT")]
        format: Option<format::FindingsFormat>,
    },
    /// Triage card(s) for a component, scenario or team: owner, on-call,
    /// escalation, duty split, scenarios
    Who {
        /// A component, a symptom (scenario keywords) or a team
        #[arg(add = clap_complete::ArgValueCandidates::new(completions::who_ids))]
        query: String,
        #[arg(long)]
        json: bool,
    },
    /// Boundary changes, newest commit first
    History {
        /// Only changes to this component
        #[arg(long, value_name = "ID", add = clap_complete::ArgValueCandidates::new(completions::component_ids))]
        component: Option<String>,
        /// Only changes that involve this team
        #[arg(long, value_name = "ID", add = clap_complete::ArgValueCandidates::new(completions::team_ids))]
        team: Option<String>,
        /// Leave out commits before WHEN (YYYY-MM-DD or RFC 3339)
        #[arg(long, value_name = "WHEN")]
        since: Option<String>,
        /// Leave out commits after WHEN (YYYY-MM-DD or RFC 3339)
        #[arg(long, value_name = "WHEN")]
        until: Option<String>,
        #[arg(long, conflicts_with = "format")]
        json: bool,
        /// Output format
        #[arg(long, value_enum, value_name = "FORMAT")]
        format: Option<format::ReportFormat>,
    },
    /// Boundary changes between two revisions or dates (TO defaults to the
    /// work tree); BASE...HEAD compares HEAD with the merge base, as git does
    Diff {
        #[arg(value_name = "FROM")]
        from: String,
        #[arg(value_name = "TO")]
        to: Option<String>,
        /// Only changes to this component
        #[arg(long, value_name = "ID", add = clap_complete::ArgValueCandidates::new(completions::component_ids))]
        component: Option<String>,
        /// Only changes that involve this team
        #[arg(long, value_name = "ID", add = clap_complete::ArgValueCandidates::new(completions::team_ids))]
        team: Option<String>,
        #[arg(long, conflicts_with = "format")]
        json: bool,
        /// Output format (markdown: the review comment for a pull request)
        #[arg(long, value_enum, value_name = "FORMAT")]
        format: Option<format::ReportFormat>,
        /// Exit 1 when the change introduces findings of this severity or worse
        #[arg(long, value_enum, value_name = "SEVERITY")]
        fail_on: Option<format::review::FailOn>,
    },
    /// Fuzzy search across teams, components, pillars, layers, scenarios
    /// and matrices (the dashboard's search, printed)
    Search {
        /// Words to find, in any order; an uppercase letter makes a word
        /// exact about case and accents
        query: String,
        /// How many results to print (0 for all)
        #[arg(long, value_name = "N", default_value_t = crate::search::DEFAULT_LIMIT)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Print a shell's completion script (bash, zsh, fish, powershell,
    /// elvish); it completes team and component ids from the repository
    Completions {
        #[arg(value_enum)]
        shell: completions::Shell,
    },
    /// CODEOWNERS against the ownership data: check a file, or print one
    #[command(subcommand)]
    Codeowners(codeowners::CodeownersCommand),
    /// How ownership moved over time: per month or quarter, boundary
    /// changes by kind and each team's load at the period's end
    Trends {
        /// Only this team's figures and the changes that involve it
        #[arg(long, value_name = "ID")]
        team: Option<String>,
        /// Periods of a month or of a quarter
        #[arg(long, value_name = "month|quarter", default_value = "month")]
        by: crate::trends::By,
        /// The same as --format json
        #[arg(long, conflicts_with = "format")]
        json: bool,
        /// text (default), json, or csv (one row per period and team)
        #[arg(long, value_enum, value_name = "FORMAT")]
        format: Option<trends::Format>,
    },
    /// An MCP server over stdio for assistants and chat bots: the same
    /// answers as these commands, read-only and offline
    Mcp,
    /// A team's scope: what it owns, shares and consumes, its layers and
    /// pillars, its on-call and escalation ladder
    Team {
        /// The team's id
        id: String,
        #[arg(long)]
        json: bool,
    },
}

/// The data sources `--source` names.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    Backstage,
}

#[derive(Subcommand, Debug)]
pub enum ImportFrom {
    /// A Backstage catalog (SRC, default -C or the current folder) to a
    /// new or empty folder; prints what it could not map
    Backstage {
        #[arg(value_name = "SRC")]
        src: Option<PathBuf>,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
}

/// Exit codes of the contract.
pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// A command's answer before it is printed: the CLI prints it, and
/// `demarc mcp` hands the same answer to an assistant, so the two faces
/// never disagree.
pub trait Answer {
    type Json<'a>: serde::Serialize
    where
        Self: 'a;
    /// What `--json` prints.
    fn json(&self) -> Self::Json<'_>;
    /// What the command prints without `--json` (repository text not yet
    /// sanitized: the printer does it).
    fn plain(&self) -> String;
    /// The exit code of the contract.
    fn exit(&self) -> u8;
}

/// An answer already rendered both ways, for commands whose JSON owns its data.
pub struct Reply<T> {
    pub json: T,
    pub plain: String,
    pub exit: u8,
}

impl<T: serde::Serialize> Answer for Reply<T> {
    type Json<'a>
        = &'a T
    where
        T: 'a;
    fn json(&self) -> &T {
        &self.json
    }
    fn plain(&self) -> String {
        self.plain.clone()
    }
    fn exit(&self) -> u8 {
        self.exit
    }
}

/// Prints an answer, or the one sentence saying why there is none.
pub fn print<A: Answer>(answer: Result<A, String>, json: bool) -> ExitCode {
    match answer {
        Err(e) => fail(e),
        Ok(a) => {
            if json {
                output::print_json(&a.json());
            } else {
                output::print_text(&a.plain());
            }
            ExitCode::from(a.exit())
        }
    }
}

/// A failure that ends the command: printed to stderr, exit code 2.
pub fn fail(error: impl std::fmt::Display) -> ExitCode {
    eprintln!("demarc: {}", crate::sanitize::text(&error.to_string()));
    ExitCode::from(EXIT_USAGE)
}

impl Cli {
    /// The version asked for. `--at` is parsed here, once: a text that is
    /// no time is the error, and every layer below carries the parsed moment.
    pub fn source(&self) -> repo::Result<Source> {
        Source::from_flags(self.rev.clone(), self.at.as_deref())
    }

    pub fn open_repo(&self) -> repo::Result<Repo> {
        let path = match &self.repo {
            Some(p) => p.clone(),
            None => std::env::current_dir()
                .map_err(|e| repo::Error(format!("Cannot read the current directory: {e}.")))?,
        };
        let repo = Repo::open(&path, self.dir.as_deref())?;
        Ok(match self.source {
            Some(SourceKind::Backstage) => {
                repo.with_source(crate::backstage::DataSource::Backstage)
            }
            None => repo,
        })
    }
}

pub fn main() -> ExitCode {
    completions::complete_if_asked();
    let cli = Cli::parse_from(codeowners::rename_repo_flag(std::env::args_os().collect()));
    match &cli.command {
        Some(Command::Demo { out, backstage }) => demo::run(&cli, out.as_deref(), *backstage),
        Some(Command::Import {
            from: ImportFrom::Backstage { src, out },
        }) => import::run(&cli, src.as_deref(), out),
        Some(Command::Check { json, format }) => {
            check::run(&cli, format::FindingsFormat::choose(*format, *json))
        }
        Some(Command::Codeowners(command)) => codeowners::run(&cli, command),
        Some(Command::Who { query, json }) => who::run(&cli, query, *json),
        Some(Command::History {
            component,
            team,
            since,
            until,
            json,
            format,
        }) => history::run(
            &cli,
            history::Args {
                component: component.clone(),
                team: team.clone(),
                since: since.clone(),
                until: until.clone(),
                format: format::ReportFormat::choose(*format, *json),
            },
        ),
        Some(Command::Diff {
            from,
            to,
            component,
            team,
            json,
            format,
            fail_on,
        }) => diff::run(
            &cli,
            from,
            to.as_deref(),
            crate::history::Filter {
                component: component.clone(),
                team: team.clone(),
            },
            format::ReportFormat::choose(*format, *json),
            *fail_on,
        ),
        Some(Command::Search { query, limit, json }) => search::run(&cli, query, *limit, *json),
        Some(Command::Completions { shell }) => completions::run(*shell),
        Some(Command::Trends {
            team,
            by,
            json,
            format,
        }) => trends::run(
            &cli,
            trends::Args {
                team: team.clone(),
                by: *by,
                format: match (json, format) {
                    (true, _) => trends::Format::Json,
                    (false, f) => f.unwrap_or(trends::Format::Text),
                },
            },
        ),
        Some(Command::Team { id, json }) => team::run(&cli, id, *json),
        Some(Command::Mcp) => mcp::run(&cli),
        None => dashboard::open(&cli),
    }
}
