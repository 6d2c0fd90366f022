//! `demarc trends [--team ID] [--by month|quarter] [--json | --format csv]`:
//! per period, boundary changes by kind and each team's load at the
//! period's end, for scripts and spreadsheets.

use super::{Cli, EXIT_OK, fail, output};
use crate::history::{ChangeKind, WalkOptions};
use crate::repo::Source;
use crate::trends::{self, By, PeriodFigures, Series, TeamFigures};
use std::fmt::Write;
use std::process::ExitCode;

/// `--format`: how the series is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Csv,
}

pub struct Args {
    pub team: Option<String>,
    pub by: By,
    pub format: Format,
}

pub fn run(cli: &Cli, args: Args) -> ExitCode {
    let repo = match cli.open_repo() {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    // --rev and --at move the last commit; the work tree is not history.
    let source = match cli.source() {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let start = match source {
        Source::WorkTree => None,
        Source::Rev(rev) => Some(rev),
        Source::At(when) => match repo.resolve_at(&when) {
            Ok(commit) => Some(commit.id().to_string()),
            Err(e) => return fail(e),
        },
    };
    let options = WalkOptions {
        start,
        ..WalkOptions::default()
    };
    let collector = match trends::collect(&repo, options, args.by, args.team.clone()) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    if let Some(team) = &args.team {
        let known = collector.team_ids();
        if !known.contains(team) {
            // As `history --team` says it (src/cli/ids.rs), with the same ranking.
            let closest = crate::triage::closest(known.iter().map(String::as_str), team, 3);
            let hint = if closest.is_empty() {
                String::new()
            } else {
                format!(" Closest: {}.", closest.join(", "))
            };
            return fail(format!(
                "--team {team}: no team `{team}` in any version of the data.{hint}"
            ));
        }
    }
    let series = collector.series();
    match args.format {
        Format::Json => output::print_json(&series),
        Format::Csv => output::print_text(&render_csv(&series)),
        Format::Text => output::print_text(&render_plain(&series)),
    }
    ExitCode::from(EXIT_OK)
}

/// `owns 3 (tier 1: 1, tier 2: 1, tier 3: 1), duties 2, layer roles 1`.
fn team_line(f: &TeamFigures) -> String {
    let tiers: Vec<String> = [
        ("tier 1", f.tier1),
        ("tier 2", f.tier2),
        ("tier 3", f.tier3),
        ("tier 4", f.tier4),
        ("no tier", f.untiered),
    ]
    .iter()
    .filter(|(_, n)| *n > 0)
    .map(|(name, n)| format!("{name}: {n}"))
    .collect();
    let tiers = if tiers.is_empty() {
        String::new()
    } else {
        format!(" ({})", tiers.join(", "))
    };
    format!(
        "owns {}{tiers}, duties {}, layer roles {}",
        f.owns, f.duties, f.layer_roles
    )
}

fn changes_line(p: &PeriodFigures) -> String {
    let commits = match p.commits {
        0 => "no commits".to_string(),
        1 => "1 commit".to_string(),
        n => format!("{n} commits"),
    };
    if p.changes.is_empty() {
        return format!("{commits}, no boundary changes");
    }
    let mut kinds: Vec<(&ChangeKind, &usize)> = p.changes.iter().collect();
    kinds.sort_by_key(|(k, n)| (std::cmp::Reverse(**n), **k));
    let kinds: Vec<String> = kinds
        .iter()
        .map(|(k, n)| format!("{n} {}", k.as_str()))
        .collect();
    format!(
        "{commits}, {} changes: {}",
        p.total_changes(),
        kinds.join(", ")
    )
}

/// One block per period: its commits and changes, reviews and quiet owner
/// moves, then each team whose figures differ from the period before.
pub fn render_plain(series: &Series) -> String {
    let mut out = String::new();
    let (Some(first), Some(last)) = (series.periods.first(), series.periods.last()) else {
        return "No commit in the history has the data folder: no trends to show.\n".into();
    };
    let _ = writeln!(
        out,
        "Trends by {}, {} to {} ({} periods). Team figures are as at the end of each period.\n",
        series.by.as_str(),
        first.period,
        last.period,
        series.periods.len()
    );
    let width = series.teams().iter().map(|t| t.len()).max().unwrap_or(0);
    let mut previous: Option<&PeriodFigures> = None;
    for p in &series.periods {
        let _ = writeln!(out, "{}  {}", p.period, changes_line(p));
        let pad = " ".repeat(p.period.to_string().len() + 2);
        let share = (p.quiet_owner_share * 100.0).round();
        let _ = writeln!(
            out,
            "{pad}all teams: {} overdue for review; {} tier-1/2 components, {} changed owner without an on-call change ({share}%)",
            p.overdue_reviews, p.critical_components, p.quiet_owner_moves
        );
        let mut unchanged = 0;
        for (team, figures) in &p.teams {
            let before = previous.and_then(|q| q.teams.get(team));
            if before == Some(figures) {
                unchanged += 1;
                continue;
            }
            let _ = writeln!(
                out,
                "{pad}{:width$}  {}",
                crate::sanitize::line(team),
                team_line(figures)
            );
        }
        for team in previous.iter().flat_map(|q| q.teams.keys()) {
            if !p.teams.contains_key(team) {
                let _ = writeln!(out, "{pad}{:width$}  gone", crate::sanitize::line(team));
            }
        }
        if let Some(q) = previous.filter(|_| unchanged > 0) {
            let teams = if unchanged == 1 { "team" } else { "teams" };
            let _ = writeln!(out, "{pad}({unchanged} {teams} as in {})", q.period);
        }
        previous = Some(p);
    }
    let busiest: Vec<String> = series
        .busiest(3)
        .iter()
        .map(|&i| {
            let p = &series.periods[i];
            format!("{} ({} changes)", p.period, p.total_changes())
        })
        .collect();
    if !busiest.is_empty() {
        let _ = writeln!(out, "\nBusiest: {}", busiest.join(", "));
    }
    for note in &series.notes {
        let _ = writeln!(out, "{note}");
    }
    out
}

fn csv_field(text: &str) -> String {
    let text = crate::sanitize::line(text);
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// One row per period and team (long format, for pivot tables): the
/// team's figures, then the period's, one column per change kind seen.
pub fn render_csv(series: &Series) -> String {
    let kinds: Vec<ChangeKind> = ChangeKind::ALL
        .iter()
        .copied()
        .filter(|k| series.periods.iter().any(|p| p.changes.contains_key(k)))
        .collect();
    let mut out = String::from("period,team");
    for name in TeamFigures::NAMES {
        let _ = write!(out, ",{name}");
    }
    out.push_str(",commits,changes,overdue_reviews,critical_components,quiet_owner_moves");
    for k in &kinds {
        let _ = write!(out, ",{}", k.as_str());
    }
    out.push('\n');
    for p in &series.periods {
        let mut period = format!(
            ",{},{},{},{},{}",
            p.commits,
            p.total_changes(),
            p.overdue_reviews,
            p.critical_components,
            p.quiet_owner_moves
        );
        for k in &kinds {
            let _ = write!(period, ",{}", p.changes.get(k).copied().unwrap_or(0));
        }
        let rows: Vec<(Option<&String>, TeamFigures)> = if p.teams.is_empty() {
            vec![(None, TeamFigures::default())]
        } else {
            p.teams.iter().map(|(t, f)| (Some(t), *f)).collect()
        };
        for (team, figures) in rows {
            let _ = write!(
                out,
                "{},{}",
                p.period,
                team.map(|t| csv_field(t)).unwrap_or_default()
            );
            for name in TeamFigures::NAMES {
                match team {
                    Some(_) => {
                        let _ = write!(out, ",{}", figures.get(name).unwrap_or(0));
                    }
                    None => out.push(','),
                }
            }
            out.push_str(&period);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_needs_quoting() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("plain"), "plain");
    }
}
