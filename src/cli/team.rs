//! `demarc team ID [--json]`: a team's scope, as the Teams tab shows it:
//! what it owns, shares and consumes, its layers and pillars, its on-call
//! and escalation ladder.

use super::{Answer, Cli, EXIT_OK};
use crate::model::facts::Facts;
use crate::model::scope::{TeamScope, team_scope};
use crate::model::{Incomplete, Model, OnCall, Unloaded, incomplete_line};
use crate::repo;
use crate::triage::find::closest;
use serde::Serialize;
use std::fmt::Write;
use std::process::ExitCode;

/// How many close ids an unknown id is answered with.
const CLOSEST: usize = 5;

#[derive(Serialize)]
pub struct TeamJson {
    id: String,
    name: String,
    kind: String,
    description: Option<String>,
    lead: Option<String>,
    members: Vec<String>,
    channel: Option<String>,
    oncall: Option<OnCall>,
    owns: Vec<OwnedJson>,
    shares: Vec<SharedJson>,
    consumes: Vec<ConsumedJson>,
    layers: Vec<LayerRoleJson>,
    pillars: Vec<PillarJson>,
    /// Files that did not load (empty when all did): the scope may lack
    /// what they define.
    incomplete: Vec<Incomplete>,
}

#[derive(Serialize)]
struct OwnedJson {
    id: String,
    name: String,
    layer: Option<String>,
    pillar: Option<String>,
    tier: Option<u8>,
}

/// A duty held in a component another team owns.
#[derive(Serialize)]
struct SharedJson {
    component: String,
    owner: String,
    covers: Vec<String>,
}

#[derive(Serialize)]
struct ConsumedJson {
    id: String,
    name: String,
    owner: String,
}

#[derive(Serialize)]
struct LayerRoleJson {
    id: String,
    name: String,
    role: String,
}

#[derive(Serialize)]
struct PillarJson {
    id: String,
    name: String,
}

impl TeamJson {
    fn of(scope: &TeamScope) -> TeamJson {
        let t = scope.team;
        TeamJson {
            id: t.id.clone(),
            name: t.name.clone(),
            kind: t.kind.clone(),
            description: t.description.clone(),
            lead: t.lead.clone(),
            members: t.members.clone(),
            channel: t.channel.clone(),
            oncall: t.oncall.clone(),
            owns: (scope.owns.iter())
                .map(|c| OwnedJson {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    layer: c.layer.clone(),
                    pillar: c.pillar.clone(),
                    tier: c.tier,
                })
                .collect(),
            shares: (scope.shares.iter())
                .map(|(c, covers)| SharedJson {
                    component: c.id.clone(),
                    owner: c.owner.clone(),
                    covers: covers.to_vec(),
                })
                .collect(),
            consumes: (scope.consumes.iter())
                .map(|c| ConsumedJson {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    owner: c.owner.clone(),
                })
                .collect(),
            layers: (scope.layers.iter())
                .map(|(l, role)| LayerRoleJson {
                    id: l.id.clone(),
                    name: l.name.clone(),
                    role: role.to_string(),
                })
                .collect(),
            pillars: (scope.pillars.iter())
                .map(|p| PillarJson {
                    id: p.id.clone(),
                    name: p.name.clone(),
                })
                .collect(),
            incomplete: Vec::new(),
        }
    }
}

pub fn run(cli: &Cli, id: &str, json: bool) -> ExitCode {
    super::print(answer(cli, id), json)
}

/// One team's scope in the version of the data read.
pub struct TeamAnswer {
    json: TeamJson,
}

impl Answer for TeamAnswer {
    type Json<'a> = &'a TeamJson;
    fn json(&self) -> &TeamJson {
        &self.json
    }
    fn plain(&self) -> String {
        let head = incomplete_line(&self.json.incomplete)
            .map(|l| format!("{l}\n"))
            .unwrap_or_default();
        head + &render_plain(&self.json)
    }
    fn exit(&self) -> u8 {
        EXIT_OK
    }
}

pub fn answer(cli: &Cli, id: &str) -> Result<TeamAnswer, String> {
    let fa = cli
        .open_repo()
        .and_then(|r| repo::load_for_answers(&r, &cli.source()?))
        .map_err(|e| e.to_string())?;
    let mut json = scope_or_unloaded(&fa.loaded.model, &fa.unloaded, id)?;
    json.incomplete = fa.incomplete;
    Ok(TeamAnswer { json })
}

/// As `scope_of`, but a team defined in a file that did not load is named
/// as such instead of being answered with the closest ids.
fn scope_or_unloaded(model: &Model, unloaded: &Unloaded, id: &str) -> Result<TeamJson, String> {
    if model.team(id).is_none()
        && let Some(sentence) = unloaded.sentence(&crate::sanitize::line(id))
    {
        return Err(format!("{sentence}; `demarc check` says why."));
    }
    scope_of(model, id)
}

/// The scope of team `id`, or one sentence naming the closest ids.
pub fn scope_of(model: &Model, id: &str) -> Result<TeamJson, String> {
    let Some(team) = model.team(id) else {
        let near = closest(model.teams.iter().map(|t| t.id.as_str()), id, CLOSEST);
        let shown = crate::sanitize::line(id);
        return Err(if near.is_empty() {
            format!("No team has the id \"{shown}\"; `demarc search` finds teams by name.")
        } else {
            format!(
                "No team has the id \"{shown}\"; the closest are {}.",
                near.join(", ")
            )
        });
    };
    let facts = Facts::build(model);
    Ok(TeamJson::of(&team_scope(model, &facts, team)))
}

/// The Teams tab's detail pane as lines: who, on-call, then the scope.
pub fn render_plain(t: &TeamJson) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}  ({} · {})", t.name, t.id, t.kind);
    if let Some(d) = &t.description {
        let _ = writeln!(out, "{d}");
    }
    let out = &mut out;
    field(out, "Lead", t.lead.as_deref().unwrap_or_default());
    field(out, "Members", &t.members.join(", "));
    field(out, "Channel", t.channel.as_deref().unwrap_or_default());
    match &t.oncall {
        Some(o) => {
            let parts: Vec<&str> = [&o.rotation, &o.pager, &o.hours]
                .iter()
                .filter_map(|x| x.as_deref())
                .collect();
            field(out, "On call", &parts.join(" · "));
            field(
                out,
                "Escalation",
                &crate::triage::render::ladder(&o.escalation),
            );
        }
        None => field(out, "On call", "no rotation"),
    }
    let owns: Vec<&str> = t.owns.iter().map(|c| c.id.as_str()).collect();
    field(out, &format!("Owns ({})", owns.len()), &joined(&owns));
    let roles: Vec<String> = (t.layers.iter())
        .map(|l| format!("{} {}", l.id, l.role))
        .collect();
    field(out, "Layers", &roles.join(", "));
    let pillars: Vec<&str> = t.pillars.iter().map(|p| p.name.as_str()).collect();
    field(out, "Primary in", &pillars.join(", "));
    let shares: Vec<String> = (t.shares.iter())
        .map(|s| format!("{} ({}): {}", s.component, s.owner, s.covers.join(", ")))
        .collect();
    field(out, &format!("Shares ({})", shares.len()), &list(&shares));
    let consumes: Vec<&str> = t.consumes.iter().map(|c| c.id.as_str()).collect();
    field(
        out,
        &format!("Consumes ({})", consumes.len()),
        &joined(&consumes),
    );
    std::mem::take(out)
}

/// A labelled line; nothing when there is nothing to say.
fn field(out: &mut String, name: &str, value: &str) {
    let mut lines = value.lines();
    if let Some(first) = lines.next() {
        let _ = writeln!(out, "  {name:<14}{first}");
    }
    for line in lines {
        let _ = writeln!(out, "  {:<14}{line}", "");
    }
}

/// One item a line, or a dash for none.
fn list(items: &[String]) -> String {
    if items.is_empty() {
        return "—".to_string();
    }
    items.join("\n")
}

/// Ids on one line, or a dash for none.
fn joined(ids: &[&str]) -> String {
    if ids.is_empty() {
        return "—".to_string();
    }
    ids.join(", ")
}
