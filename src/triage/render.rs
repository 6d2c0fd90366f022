//! Triage cards as plain text, readable in a terminal and in a chat paste:
//! short labelled lines, no colours, no box drawing.

use super::card::*;
use std::fmt::Write;

const LABEL: usize = 11;

fn line(out: &mut String, label: &str, text: &str) {
    let _ = writeln!(out, "  {label:<LABEL$}{text}");
}

fn cont(out: &mut String, text: &str) {
    let _ = writeln!(out, "  {:<LABEL$}{text}", "");
}

pub fn oncall_line(o: &OnCallCard) -> String {
    let mut parts = Vec::new();
    if let Some(r) = &o.rotation {
        parts.push(format!("rotation {r}"));
    }
    if let Some(p) = &o.pager {
        parts.push(format!("pager {p}"));
    }
    if let Some(h) = &o.hours {
        parts.push(format!("hours {h}"));
    }
    if parts.is_empty() {
        "(declared without rotation or pager)".into()
    } else {
        parts.join(" · ")
    }
}

/// The one way a ladder is written: "1. a → 2. b → 3. c".
pub fn escalation_line(o: &OnCallCard) -> String {
    ladder(&o.escalation)
}

/// An escalation ladder, numbered rungs joined by arrows (the dashboard,
/// `demarc who` and `demarc team` all write it so).
pub fn ladder(steps: &[String]) -> String {
    steps
        .iter()
        .enumerate()
        .map(|(i, step)| format!("{}. {step}", i + 1))
        .collect::<Vec<_>>()
        .join(" → ")
}

fn party_with_teams(party: &str, teams: &[String]) -> String {
    if party.starts_with('@') && !teams.is_empty() {
        format!("{party} ({})", teams.join(", "))
    } else {
        party.to_string()
    }
}

fn render_owner(out: &mut String, c: &ComponentCard) {
    let (owner, owner_id) = (c.owner.as_ref(), &c.owner_id);
    let held = |out: &mut String, what: &str, h: &super::since::Held| {
        if *h != super::since::Held::NotAsked {
            cont(out, &format!("{what} {}", h.phrase()));
        }
    };
    match owner {
        Some(o) => {
            line(out, "Owner", &format!("{} ({})", o.id, o.name));
            held(out, "owner", &c.owner_since);
            match &o.oncall {
                Some(oc) => {
                    line(out, "On call", &oncall_line(oc));
                    held(out, "on-call", &c.oncall_since);
                    if !oc.escalation.is_empty() {
                        line(out, "Escalate", &escalation_line(oc));
                    }
                }
                None => line(out, "On call", "none declared"),
            }
        }
        None => {
            let why = match &c.owner_unloaded {
                Some(file) => format!("defined in {file}, which did not load"),
                None => "unknown team".to_string(),
            };
            line(out, "Owner", &format!("{owner_id} ({why})"));
            held(out, "owner", &c.owner_since);
        }
    }
}

fn render_scenario_brief(out: &mut String, label: &str, s: &ScenarioBrief) {
    line(out, label, &format!("{} ({})", s.title, s.id));
    if let Some(first) = &s.first {
        cont(
            out,
            &format!("  first: {}", party_with_teams(first, &s.first_teams)),
        );
    }
    if let Some(q) = &s.platform_asks {
        cont(out, &format!("  platform asks: {q}"));
    }
    if let Some(q) = &s.application_asks {
        cont(out, &format!("  application asks: {q}"));
    }
    if let Some(r) = &s.resolution {
        cont(out, &format!("  resolution: {r}"));
    }
    if let Some(e) = &s.escalate {
        cont(
            out,
            &format!("  escalate: {}", party_with_teams(e, &s.escalate_teams)),
        );
    }
}

fn render_recent(out: &mut String, warnings: &[String], recent: &[super::recent::RecentChange]) {
    for (i, w) in warnings.iter().enumerate() {
        line(out, if i == 0 { "WARNING" } else { "" }, &format!("!! {w}"));
    }
    for (i, r) in recent.iter().enumerate() {
        let date = r.time.get(..10).unwrap_or(&r.time);
        line(
            out,
            if i == 0 { "Recent" } else { "" },
            &format!(
                "{date} {} ({}, {})",
                r.change.line(),
                r.author,
                r.commit.get(..7).unwrap_or(&r.commit)
            ),
        );
    }
}

fn render_alerts(out: &mut String, findings: &[Alert]) {
    for (i, f) in findings.iter().enumerate() {
        line(
            out,
            if i == 0 { "Findings" } else { "" },
            &format!("! {}", f.message),
        );
    }
}

pub fn render_component(out: &mut String, c: &ComponentCard) {
    let mut facts = Vec::new();
    if let Some(t) = c.tier {
        facts.push(format!("tier {t}"));
    }
    if let Some(l) = &c.layer {
        facts.push(l.clone());
    }
    if let Some(p) = &c.pillar {
        facts.push(p.clone());
    }
    let _ = writeln!(
        out,
        "{} · {}  [component; {}]",
        c.id,
        c.name,
        facts.join(", ")
    );
    render_owner(out, c);
    for (i, d) in c.duties.iter().enumerate() {
        line(
            out,
            if i == 0 { "Duties" } else { "" },
            &format!(
                "{}: {}",
                party_with_teams(&d.party, &d.teams),
                d.covers.join(", ")
            ),
        );
    }
    if !c.consumers.is_empty() {
        line(out, "Consumers", &c.consumers.join(", "));
    }
    if let Some(r) = &c.runbook {
        line(out, "Runbook", r);
    }
    for (i, s) in c.scenarios.iter().enumerate() {
        render_scenario_brief(out, if i == 0 { "Scenarios" } else { "" }, s);
    }
    render_recent(out, &c.warnings, &c.recent_changes);
    render_alerts(out, &c.findings);
}

pub fn render_scenario(out: &mut String, s: &ScenarioCard) {
    let _ = writeln!(out, "{} · {}  [scenario]", s.id, s.title);
    if let Some(first) = &s.first {
        line(out, "First", &party_with_teams(first, &s.first_teams));
    }
    for r in &s.responders {
        let oncall = r
            .oncall
            .as_ref()
            .map_or("no on-call".to_string(), oncall_line);
        cont(out, &format!("{}: {oncall}", r.id));
    }
    for (i, missing) in s.unloaded.iter().enumerate() {
        line(
            out,
            if i == 0 { "Missing" } else { "" },
            &format!("! {missing}"),
        );
    }
    if let Some(q) = &s.platform_asks {
        line(out, "Platform", &format!("asks: {q}"));
    }
    if let Some(q) = &s.application_asks {
        line(out, "Apps", &format!("ask: {q}"));
    }
    if let Some(r) = &s.resolution {
        line(out, "Resolution", r);
    }
    if let Some(e) = &s.escalate {
        line(out, "Escalate", &party_with_teams(e, &s.escalate_teams));
    }
    render_recent(out, &s.warnings, &s.recent_changes);
    for c in &s.cards {
        out.push('\n');
        render_component(out, c);
    }
}

pub fn render_team(out: &mut String, t: &TeamCard) {
    let _ = writeln!(out, "{} · {}  [team; {}]", t.id, t.name, t.team_kind);
    match &t.oncall {
        Some(oc) => {
            line(out, "On call", &oncall_line(oc));
            if !oc.escalation.is_empty() {
                line(out, "Escalate", &escalation_line(oc));
            }
        }
        None => line(out, "On call", "none declared"),
    }
    if let Some(ch) = &t.channel {
        line(out, "Channel", ch);
    }
    if let Some(lead) = &t.lead {
        line(out, "Lead", lead);
    }
    for group in &t.owns_by_tier {
        let label = group
            .tier
            .map_or("Owns (-)".to_string(), |n| format!("Owns (t{n})"));
        line(out, &label, &group.components.join(", "));
    }
    render_recent(out, &t.warnings, &t.recent_changes);
    render_alerts(out, &t.findings);
}

pub fn render_card(out: &mut String, card: &Card) {
    match card {
        Card::Component(c) => render_component(out, c),
        Card::Scenario(s) => render_scenario(out, s),
        Card::Team(t) => render_team(out, t),
    }
}
