//! The tools: each a thin face of a CLI command's `answer`, with the
//! command's `--json` as structured output. Arguments are checked here,
//! once, before any git work: wrong types, unknown names and oversized
//! values are protocol errors (invalid params) saying which argument.

use crate::cli::{self, Answer, Cli, EXIT_OK, output};
use crate::history::Filter;
use rmcp::ErrorData;
use rmcp::model::{CallToolResult, ContentBlock, Tool, ToolAnnotations};
use rmcp::schemars::JsonSchema;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::path::PathBuf;

/// The longest string argument accepted, in characters: queries and ids
/// are short, and a megabyte of query would only cost time.
pub const MAX_TEXT: usize = 1000;
/// The largest `limit`.
pub const MAX_LIMIT: usize = 1000;
/// Commits `history` returns when no limit is given: an assistant's
/// context is small, a repository's history is not.
pub const HISTORY_LIMIT: usize = 20;

/// The repository the server serves, from the global options of
/// `demarc mcp` (`-C`, `--dir`, `--rev`, `--at`).
#[derive(Debug, Clone, Default)]
pub struct Target {
    pub repo: Option<PathBuf>,
    pub dir: Option<String>,
    pub rev: Option<String>,
    pub at: Option<String>,
    /// `--source`: how the data folder is read.
    pub source: Option<crate::cli::SourceKind>,
}

impl Target {
    /// The global options as the CLI would have parsed them.
    fn cli(&self) -> Cli {
        Cli {
            repo: self.repo.clone(),
            dir: self.dir.clone(),
            rev: self.rev.clone(),
            at: self.at.clone(),
            source: self.source,
            theme: None,
            no_color: true,
            command: None,
        }
    }
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(crate = "rmcp::schemars")]
pub struct WhoArgs {
    /// A component id or name, a symptom (words of an incident scenario) or a team
    query: String,
    /// Answer as of this moment (YYYY-MM-DD or RFC 3339), e.g. when an incident began; the card then says what differs now
    at: Option<String>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(crate = "rmcp::schemars")]
pub struct SearchArgs {
    /// Words to find in any order across teams, components, pillars, layers, scenarios and matrices
    query: String,
    /// How many results, best first (default 20, at most 1000)
    #[schemars(range(min = 1, max = 1000))]
    limit: Option<usize>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(crate = "rmcp::schemars")]
pub struct HistoryArgs {
    /// Only changes to this component (an id)
    component: Option<String>,
    /// Only changes that involve this team (an id)
    team: Option<String>,
    /// Leave out commits before this moment (YYYY-MM-DD or RFC 3339)
    since: Option<String>,
    /// Leave out commits after this moment (YYYY-MM-DD or RFC 3339)
    until: Option<String>,
    /// At most this many commits, newest first (default 20, at most 1000)
    #[schemars(range(min = 1, max = 1000))]
    limit: Option<usize>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(crate = "rmcp::schemars")]
pub struct DiffArgs {
    /// The earlier version: a revision (commit, tag, HEAD~3) or a date
    from: String,
    /// The later version, likewise (default: the work tree)
    to: Option<String>,
    /// Only changes to this component (an id)
    component: Option<String>,
    /// Only changes that involve this team (an id)
    team: Option<String>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(crate = "rmcp::schemars")]
pub struct CheckArgs {}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(crate = "rmcp::schemars")]
pub struct TeamArgs {
    /// The team's id
    id: String,
}

fn tool<T: JsonSchema + 'static>(
    name: &'static str,
    title: &str,
    description: &'static str,
) -> Tool {
    let schema = rmcp::handler::server::common::schema_for_type::<T>();
    Tool::new(name, description, schema).with_annotations(
        ToolAnnotations::with_title(title)
            .read_only(true)
            .destructive(false)
            .idempotent(true)
            .open_world(false),
    )
}

/// Every tool, in the order a person would reach for them.
pub fn list() -> Vec<Tool> {
    vec![
        tool::<WhoArgs>(
            "who",
            "Who owns this?",
            "Triage cards for a component, a symptom or a team: the owner, who to page (on-call, pager, escalation ladder), how the duties are split, the incident scenarios and recent boundary changes. Each match says how sure it is (exact, word or fuzzy). The same answer as `demarc who QUERY --json`.",
        ),
        tool::<SearchArgs>(
            "search",
            "Search",
            "Fuzzy search across teams, components, pillars, layers, scenarios and matrices, best first. The same answer as `demarc search QUERY --json`.",
        ),
        tool::<HistoryArgs>(
            "history",
            "Boundary history",
            "Boundary changes from git history, newest commit first: owner, on-call, duty and layer changes, with author and time. The same answer as `demarc history --json`.",
        ),
        tool::<DiffArgs>(
            "diff",
            "What moved",
            "Boundary changes between two revisions or dates. The same answer as `demarc diff FROM TO --json`.",
        ),
        tool::<CheckArgs>(
            "check",
            "Validate",
            "Validate the ownership repository: every error and warning with file, line and column. The same answer as `demarc check --json`.",
        ),
        tool::<TeamArgs>(
            "team_scope",
            "A team's scope",
            "What a team owns, shares (duties in components others own) and consumes, its layer roles and pillars, its on-call and escalation ladder. The same answer as `demarc team ID --json`.",
        ),
    ]
}

/// Runs one tool. Bad arguments and unknown tools are protocol errors;
/// everything the CLI would answer, including its exit codes 1 and 2, is a
/// tool result.
pub fn call(
    target: &Target,
    name: &str,
    arguments: Option<Map<String, Value>>,
) -> Result<CallToolResult, ErrorData> {
    let args = arguments.unwrap_or_default();
    check_sizes(&args)?;
    let mut cli = target.cli();
    Ok(match name {
        "who" => {
            let a: WhoArgs = parse(name, args)?;
            if let Some(at) = a.at {
                cli.at = Some(at);
                cli.rev = None;
            }
            result(cli::who::reply(&cli, &a.query))
        }
        "search" => {
            let a: SearchArgs = parse(name, args)?;
            let limit = limit(a.limit, crate::search::DEFAULT_LIMIT)?;
            result(cli::search::answer(&cli, &a.query, limit))
        }
        "history" => {
            let a: HistoryArgs = parse(name, args)?;
            let args = cli::history::Args {
                component: a.component,
                team: a.team,
                since: a.since,
                until: a.until,
                format: cli::format::ReportFormat::Json,
            };
            let n = limit(a.limit, HISTORY_LIMIT)?;
            result(cli::history::answer(&cli, args).map(|mut h| {
                h.truncate(n);
                h
            }))
        }
        "diff" => {
            let a: DiffArgs = parse(name, args)?;
            let filter = Filter {
                component: a.component,
                team: a.team,
            };
            result(cli::diff::answer(&cli, &a.from, a.to.as_deref(), &filter))
        }
        "check" => {
            let _: CheckArgs = parse(name, args)?;
            result(cli::check::answer(&cli))
        }
        "team_scope" => {
            let a: TeamArgs = parse(name, args)?;
            result(cli::team::answer(&cli, &a.id))
        }
        _ => {
            return Err(ErrorData::invalid_params(
                format!(
                    "There is no tool named \"{}\"; tools/list names them.",
                    crate::sanitize::line(&shorten(name))
                ),
                None,
            ));
        }
    })
}

/// The answer as MCP carries it: the CLI's JSON as structured content and
/// as (sanitized) text. Exit 1 (nothing found, findings) is a tool error
/// that still carries the JSON, with the CLI's plain text first; exit 2
/// (a usage error, a repository that cannot be read) is a tool error with
/// the CLI's one sentence.
fn result<A: Answer>(answer: Result<A, String>) -> CallToolResult {
    let answer = match answer {
        Ok(a) => a,
        Err(sentence) => {
            return CallToolResult::error(vec![ContentBlock::text(
                crate::sanitize::text(&sentence).into_owned(),
            )]);
        }
    };
    let value = match serde_json::to_value(answer.json()) {
        Ok(v) => v,
        Err(e) => {
            return CallToolResult::error(vec![ContentBlock::text(format!(
                "The answer could not be written as JSON: {e}."
            ))]);
        }
    };
    let json = ContentBlock::text(output::to_json(&answer.json()));
    let mut result = if answer.exit() == EXIT_OK {
        CallToolResult::success(vec![json])
    } else {
        let plain = crate::sanitize::text(&answer.plain()).into_owned();
        CallToolResult::error(vec![ContentBlock::text(plain), json])
    };
    result.structured_content = Some(value);
    result
}

fn parse<T: DeserializeOwned>(tool: &str, args: Map<String, Value>) -> Result<T, ErrorData> {
    serde_json::from_value(Value::Object(args)).map_err(|e| {
        let e = crate::sanitize::line(&shorten(&e.to_string())).into_owned();
        ErrorData::invalid_params(format!("Bad arguments for {tool}: {e}."), None)
    })
}

/// Every string argument at most `MAX_TEXT` characters, checked before
/// anything is parsed, so an oversized argument costs nothing more.
fn check_sizes(args: &Map<String, Value>) -> Result<(), ErrorData> {
    for (key, value) in args {
        let too_long = match value {
            Value::String(s) => s.chars().count() > MAX_TEXT,
            Value::Array(_) | Value::Object(_) => value.to_string().chars().count() > MAX_TEXT,
            _ => false,
        };
        if too_long || key.chars().count() > MAX_TEXT {
            return Err(ErrorData::invalid_params(
                format!(
                    "The argument \"{}\" is longer than {MAX_TEXT} characters.",
                    crate::sanitize::line(&shorten(key))
                ),
                None,
            ));
        }
    }
    Ok(())
}

fn limit(given: Option<usize>, default: usize) -> Result<usize, ErrorData> {
    match given {
        None => Ok(default),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(n) => Err(ErrorData::invalid_params(
            format!("limit is {n}; it must be from 1 to {MAX_LIMIT}."),
            None,
        )),
    }
}

/// Error messages quote what the client sent, at most a line of it.
fn shorten(text: &str) -> String {
    const MAX: usize = 80;
    if text.chars().count() <= MAX {
        return text.to_string();
    }
    let mut short: String = text.chars().take(MAX - 1).collect();
    short.push('…');
    short
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn args(v: Value) -> Option<Map<String, Value>> {
        v.as_object().cloned()
    }

    #[test]
    fn every_tool_has_an_object_schema_that_names_its_arguments() {
        let tools = list();
        assert_eq!(tools.len(), 6);
        for t in &tools {
            assert_eq!(t.input_schema["type"], "object", "{}", t.name);
        }
        let diff = tools.iter().find(|t| t.name == "diff").unwrap();
        let props = diff.input_schema["properties"].as_object().unwrap();
        let names: Vec<&str> = props.keys().map(String::as_str).collect();
        assert_eq!(names.len(), 4);
        for n in ["from", "to", "component", "team"] {
            assert!(names.contains(&n), "{names:?}");
        }
    }

    #[test]
    fn arguments_are_checked_before_any_repository_is_opened() {
        // The target names no repository: an argument error must come
        // first, as a protocol error.
        let t = Target {
            repo: Some("/nonexistent/demarc".into()),
            ..Target::default()
        };
        let err = |name: &str, v: Value| call(&t, name, args(v)).unwrap_err();
        assert!(
            err("who", json!({"query": "x".repeat(MAX_TEXT + 1)}))
                .message
                .contains("longer than 1000")
        );
        assert!(
            err("search", json!({"query": "a", "limit": 0}))
                .message
                .contains("from 1 to 1000")
        );
        assert!(
            err("check", json!({"verbose": true}))
                .message
                .contains("unknown field")
        );
        assert!(err("x".repeat(5000).as_str(), json!({})).message.len() < 200);
        // A good call reaches the repository, whose error is the tool's.
        let result = call(&t, "check", None).unwrap();
        assert_eq!(result.is_error, Some(true));
        assert!(result.structured_content.is_none());
    }

    #[test]
    fn a_limit_defaults_and_is_bounded() {
        assert_eq!(limit(None, 20).unwrap(), 20);
        assert_eq!(limit(Some(1000), 20).unwrap(), 1000);
        assert!(limit(Some(1001), 20).is_err());
        assert_eq!(shorten(&"é".repeat(200)).chars().count(), 80);
    }
}
