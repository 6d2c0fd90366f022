//! The trends series on scripted histories (real git repositories in temp
//! dirs) with known figures per month and per team, and `demarc trends` on
//! them and on the sample.

#[path = "common/history_repo.rs"]
mod history_repo;

use demarc::history::{ChangeKind, WalkOptions};
use demarc::repo::Repo;
use demarc::trends::{self, By, Series, TeamFigures};
use history_repo::TestRepo;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// Seconds since the epoch of noon UTC on a day.
fn noon(day: &str) -> i64 {
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp()
}

fn team(kind: &str, rotation: &str) -> String {
    format!(
        "name = \"A team\"\nkind = \"{kind}\"\n\n[oncall]\nrotation = \"{rotation}\"\npager = \"pd\"\n"
    )
}

const COMPONENTS: &str = r#"[[component]]
id = "pg"
name = "Postgres"
owner = "data"
tier = 1
reviewed = 2026-01-01
[[component.duty]]
party = "data"
covers = ["backups", "upgrades"]

[[component]]
id = "cache"
name = "Cache"
owner = "data"
tier = 2

[[component]]
id = "site"
name = "Site"
owner = "web"
tier = 3
"#;

/// January: founded (3 teams, 3 components, a layer role), then `cache`
/// moves data -> web without web's on-call changing (a quiet move).
/// February: nothing. March: `pg` moves to web with web's rotation
/// changed in the same commit, ops gets a new tier-1 `queue`; then a
/// commit that breaks the components file. April: the fix.
fn scripted() -> TestRepo {
    let mut r = TestRepo::new();
    r.write(
        "demarc.toml",
        "schema = 1\norg = \"T\"\nreview_every_days = 30\n",
    )
    .write("teams/data.toml", &team("platform", "data-primary"))
    .write("teams/web.toml", &team("product", "web-primary"))
    .write("teams/ops.toml", &team("operations", "ops-primary"))
    .write("components/all.toml", COMPONENTS)
    .write(
        "layers.toml",
        "[[layer]]\nid = \"service\"\nname = \"Service\"\n[layer.roles]\ndata = \"owns\"\n",
    );
    r.next_time = noon("2026-01-05");
    r.commit("Found the repository");
    r.edit(
        "components/all.toml",
        "owner = \"data\"\ntier = 2",
        "owner = \"web\"\ntier = 2",
    );
    r.next_time = noon("2026-01-20");
    r.commit("Cache goes to web");
    r.edit(
        "components/all.toml",
        "owner = \"data\"\ntier = 1",
        "owner = \"web\"\ntier = 1",
    )
    .edit("teams/web.toml", "web-primary", "web-db")
    .write(
        "components/ops.toml",
        "[[component]]\nid = \"queue\"\nname = \"Queue\"\nowner = \"ops\"\ntier = 1\n",
    );
    r.next_time = noon("2026-03-10");
    r.commit("Postgres to web, with its pager; ops takes the queue");
    let good = r.files["components/ops.toml"].clone();
    r.write("components/ops.toml", "[[component]\nid = ");
    r.next_time = noon("2026-03-15");
    r.commit("Half an edit");
    r.write("components/ops.toml", &good);
    r.next_time = noon("2026-04-02");
    r.commit("Fix the queue file");
    r
}

fn series(repo: &TestRepo, by: By, team: Option<&str>) -> Series {
    let repo = Repo::open(&repo.path(), None).unwrap();
    trends::compute(&repo, WalkOptions::default(), by, team.map(String::from)).unwrap()
}

fn figures(owns: usize, tiers: [usize; 3], duties: usize, layer_roles: usize) -> TeamFigures {
    TeamFigures {
        owns,
        tier1: tiers[0],
        tier2: tiers[1],
        tier3: tiers[2],
        duties,
        layer_roles,
        ..Default::default()
    }
}

#[test]
fn monthly_figures_per_team_are_as_scripted() {
    let repo = scripted();
    let s = series(&repo, By::Month, None);
    let names: Vec<String> = s.periods.iter().map(|p| p.period.to_string()).collect();
    assert_eq!(names, ["2026-01", "2026-02", "2026-03", "2026-04"]);
    let [jan, feb, mar, apr] = &s.periods[..] else {
        unreachable!()
    };

    assert_eq!(jan.commits, 2);
    assert_eq!(jan.changes[&ChangeKind::ComponentAdded], 3);
    assert_eq!(jan.changes[&ChangeKind::TeamAdded], 3);
    assert_eq!(jan.changes[&ChangeKind::LayerRoleChanged], 1);
    assert_eq!(jan.changes[&ChangeKind::OwnerChanged], 1);
    assert_eq!(jan.total_changes(), 8);
    assert_eq!(jan.teams["data"], figures(1, [1, 0, 0], 2, 1));
    assert_eq!(jan.teams["web"], figures(2, [0, 1, 1], 0, 0));
    assert_eq!(jan.teams["ops"], TeamFigures::default());
    assert_eq!((jan.critical_components, jan.quiet_owner_moves), (2, 1));
    assert_eq!(jan.quiet_owner_share, 0.5);
    assert_eq!(
        jan.overdue_reviews, 0,
        "pg is due on 31 January, not overdue"
    );

    // February had no commit: the figures carry over, time does not stop.
    assert_eq!(feb.commits, 0);
    assert!(feb.changes.is_empty());
    assert_eq!(feb.teams, jan.teams);
    assert_eq!((feb.critical_components, feb.quiet_owner_moves), (2, 0));
    assert_eq!(feb.overdue_reviews, 1);

    assert_eq!(mar.commits, 2, "the broken commit counts as a commit");
    assert_eq!(mar.changes[&ChangeKind::OwnerChanged], 1);
    assert_eq!(mar.changes[&ChangeKind::OncallChanged], 1);
    assert_eq!(mar.changes[&ChangeKind::ComponentAdded], 1);
    assert_eq!(mar.total_changes(), 3);
    // The end of March is the broken commit: the last good version stands.
    assert_eq!(mar.teams["data"], figures(0, [0, 0, 0], 2, 1));
    assert_eq!(mar.teams["web"], figures(3, [1, 1, 1], 0, 0));
    assert_eq!(mar.teams["ops"], figures(1, [1, 0, 0], 0, 0));
    assert_eq!((mar.critical_components, mar.quiet_owner_moves), (3, 0));

    assert_eq!(apr.commits, 1);
    assert!(
        apr.changes.is_empty(),
        "the fix restores what was: no change"
    );
    assert_eq!(apr.teams, mar.teams);
    assert_eq!(apr.overdue_reviews, 1);

    assert_eq!(s.busiest(2), [0, 2]);
    assert_eq!(s.teams(), ["data", "ops", "web"]);
    assert_eq!(
        s.of_team("web").iter().map(|f| f.owns).collect::<Vec<_>>(),
        [2, 2, 3, 3]
    );
}

#[test]
fn quarters_add_up_the_months() {
    let repo = scripted();
    let s = series(&repo, By::Quarter, None);
    let names: Vec<String> = s.periods.iter().map(|p| p.period.to_string()).collect();
    assert_eq!(names, ["2026-Q1", "2026-Q2"]);
    assert_eq!(s.periods[0].commits, 4);
    assert_eq!(s.periods[0].changes[&ChangeKind::OwnerChanged], 2);
    assert_eq!(s.periods[0].total_changes(), 11);
    // The quiet move of January: cache is still tier 2 at the end of Q1.
    assert_eq!(s.periods[0].quiet_owner_moves, 1);
    assert_eq!(s.periods[0].teams["web"].owns, 3);
    assert_eq!(s.periods[1].commits, 1);
}

#[test]
fn one_team_keeps_its_figures_and_the_changes_that_involve_it() {
    let repo = scripted();
    let s = series(&repo, By::Month, Some("ops"));
    assert!(s.periods.iter().all(|p| p.teams.keys().all(|t| t == "ops")));
    assert_eq!(s.periods[0].changes[&ChangeKind::TeamAdded], 1);
    assert_eq!(s.periods[0].total_changes(), 1);
    assert_eq!(s.periods[2].total_changes(), 1, "queue added, owned by ops");
    assert_eq!(s.periods[2].teams["ops"].tier1, 1);
}

fn demarc(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_demarc"))
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .expect("run demarc");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let (code, stdout, stderr) = demarc(dir, args);
    assert_eq!(code, 0, "demarc {args:?} failed: {stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("bad JSON ({e}): {stdout}"))
}

#[test]
fn the_command_prints_the_contract_json() {
    let repo = scripted();
    let v = json(&repo.path(), &["trends", "--json"]);
    assert_eq!(v["by"], "month");
    let periods = v["periods"].as_array().unwrap();
    assert_eq!(periods.len(), 4);
    assert_eq!(periods[0]["period"], "2026-01");
    assert_eq!(periods[0]["changes"]["owner_changed"], 1);
    assert_eq!(periods[0]["changes"]["component_added"], 3);
    assert_eq!(periods[0]["teams"]["data"]["owns"], 1);
    assert_eq!(periods[0]["teams"]["data"]["tier1"], 1);
    assert_eq!(periods[0]["teams"]["data"]["duties"], 2);
    assert_eq!(periods[0]["teams"]["data"]["layer_roles"], 1);
    assert_eq!(periods[0]["quiet_owner_share"], 0.5);
    assert_eq!(periods[1]["changes"], serde_json::json!({}));
    assert_eq!(periods[2]["teams"]["web"]["owns"], 3);
    // --format json is the same document.
    assert_eq!(json(&repo.path(), &["trends", "--format", "json"]), v);

    let q = json(
        &repo.path(),
        &["trends", "--by", "quarter", "--team", "web", "--json"],
    );
    assert_eq!(q["by"], "quarter");
    assert_eq!(q["periods"][0]["period"], "2026-Q1");
    assert_eq!(q["periods"][0]["teams"].as_object().unwrap().len(), 1);
    assert_eq!(q["periods"][0]["teams"]["web"]["tier1"], 1);
}

#[test]
fn csv_has_a_row_per_period_and_team() {
    let repo = scripted();
    let (code, out, err) = demarc(&repo.path(), &["trends", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with(
        "period,team,owns,tier1,tier2,tier3,tier4,untiered,duties,layer_roles,commits,changes,"
    ));
    assert!(lines[0].contains(",owner_changed"));
    assert_eq!(lines.len(), 1 + 4 * 3, "4 months x 3 teams");
    let header: Vec<&str> = lines[0].split(',').collect();
    let row = lines
        .iter()
        .find(|l| l.starts_with("2026-03,web,"))
        .unwrap();
    let cells: Vec<&str> = row.split(',').collect();
    let col = |name: &str| cells[header.iter().position(|h| *h == name).unwrap()];
    assert_eq!((col("owns"), col("tier1"), col("changes")), ("3", "1", "3"));
    assert_eq!(col("owner_changed"), "1");
}

#[test]
fn plain_text_reads_period_by_period() {
    let repo = scripted();
    let (code, out, err) = demarc(&repo.path(), &["trends"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("Trends by month, 2026-01 to 2026-04 (4 periods)."),
        "{out}"
    );
    assert!(
        out.contains("2026-01  2 commits, 8 changes: 3 component_added, 3 team_added"),
        "{out}"
    );
    assert!(
        out.contains("web   owns 2 (tier 2: 1, tier 3: 1), duties 0, layer roles 0"),
        "{out}"
    );
    assert!(
        out.contains("2026-02  no commits, no boundary changes"),
        "{out}"
    );
    assert!(out.contains("(3 teams as in 2026-01)"), "{out}");
    assert!(
        out.contains("Busiest: 2026-01 (8 changes), 2026-03 (3 changes)"),
        "{out}"
    );
}

#[test]
fn an_unknown_team_is_a_usage_error_naming_the_closest() {
    let repo = scripted();
    let (code, out, err) = demarc(&repo.path(), &["trends", "--team", "wbe"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("--team wbe: no team `wbe` in any version of the data. Closest: web"),
        "{err}"
    );
    let (code, _, err) = demarc(&repo.path(), &["trends", "--by", "week"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn the_sample_has_a_year_of_trends() {
    let dir = tempfile::tempdir().unwrap();
    let sample = dir.path().join("sample");
    demarc::sample::build(&sample).unwrap();
    let v = json(&sample, &["trends", "--json"]);
    let periods = v["periods"].as_array().unwrap();
    assert!(periods.len() >= 3, "{v}");
    // Consecutive months, no gaps.
    let repo = Repo::open(&sample, None).unwrap();
    let s = trends::compute(&repo, WalkOptions::default(), By::Month, None).unwrap();
    for pair in s.periods.windows(2) {
        assert_eq!(pair[0].period.next(), pair[1].period);
    }
    // Every change the history lists is counted once, in its month.
    let history = json(&sample, &["history", "--json"]);
    let listed: usize = history["commits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["changes"].as_array().unwrap().len())
        .sum();
    let counted: usize = s.periods.iter().map(|p| p.total_changes()).sum();
    assert_eq!(counted, listed);
    // The last period's figures are the work tree's (the sample is clean).
    let who = demarc::repo::load(&repo, &demarc::repo::Source::WorkTree).unwrap();
    let last = s.periods.last().unwrap();
    for team in &who.model.teams {
        let owns = who.model.components_owned_by(&team.id).count();
        assert_eq!(last.teams[&team.id].owns, owns, "{}", team.id);
    }
}

#[test]
fn a_clock_gone_wrong_does_not_make_a_series_of_sixteen_hundred_months() {
    // A commit of 2 January 1970 (a dead clock battery), then one of 2105
    // (a clock gone the other way): as far apart as git's dates get.
    let mut r = TestRepo::new();
    r.write("demarc.toml", "schema = 1\norg = \"T\"\n")
        .write("teams/web.toml", &team("product", "web-primary"));
    r.next_time = noon("1970-01-02");
    r.commit("A commit from a machine with a dead clock battery");
    r.write("teams/ops.toml", &team("operations", "ops-primary"));
    r.next_time = noon("2105-01-01");
    r.commit("Add ops, from the future");
    let s = series(&r, By::Month, None);
    assert_eq!(s.periods.len(), trends::series::MAX_PERIODS);
    assert_eq!(s.periods.last().unwrap().period.to_string(), "2105-01");
    assert_eq!(s.notes.len(), 1, "{:?}", s.notes);
    assert!(
        s.notes[0].contains("1621 months (1970-01 to 2105-01)"),
        "{}",
        s.notes[0]
    );
    // The periods kept before 2105 carry the 1970 figures: web, no ops.
    assert!(s.periods[0].teams.contains_key("web") && !s.periods[0].teams.contains_key("ops"));
    assert!(s.periods[MAX_LAST].teams.contains_key("ops"));
    // Quarters fit: 541 of them.
    let (code, out, _) = demarc(&r.path(), &["trends", "--by", "quarter"]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("Trends by quarter, 1970-Q1 to 2105-Q1 (541 periods)"),
        "{}",
        &out[..200]
    );
    let v = json(&r.path(), &["trends", "--json"]);
    assert!(
        v["notes"][0]
            .as_str()
            .unwrap()
            .contains("keeps the newest 1200")
    );
}

const MAX_LAST: usize = trends::series::MAX_PERIODS - 1;

#[test]
fn a_team_created_with_the_handover_brings_its_on_call_along() {
    let mut r = scripted();
    // May: a new team takes queue (tier 1) in the commit that creates it;
    // then web hands pg (tier 1) to ops without ops' on-call changing.
    r.write(
        "teams/streaming.toml",
        &team("platform", "streaming-primary"),
    )
    .edit(
        "components/ops.toml",
        "owner = \"ops\"",
        "owner = \"streaming\"",
    );
    r.next_time = noon("2026-05-04");
    r.commit("Streaming platform takes the queue");
    r.edit(
        "components/all.toml",
        "owner = \"web\"\ntier = 1",
        "owner = \"ops\"\ntier = 1",
    );
    r.next_time = noon("2026-05-20");
    r.commit("Postgres to ops");
    let s = series(&r, By::Month, None);
    let may = s.periods.last().unwrap();
    assert_eq!(may.period.to_string(), "2026-05");
    assert_eq!(may.changes[&ChangeKind::OwnerChanged], 2);
    assert_eq!((may.critical_components, may.quiet_owner_moves), (3, 1));
    assert_eq!(may.teams["streaming"].tier1, 1);
}
