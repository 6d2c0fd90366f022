//! Answers a responder can trust (issue 11), on real git repositories:
//! how sure a match is, what did not load, since when owners hold, dates
//! before the first commit, checked ids, and check's findings.

mod support;

use serde_json::Value;
use support::{MINIMAL, TestRepo, run, stderr, stdout};

fn json(repo: &TestRepo, args: &[&str]) -> (Option<i32>, Value) {
    let out = run(repo.path(), args);
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {} {}", stdout(&out), stderr(&out)));
    (out.status.code(), v)
}

fn plain(repo: &TestRepo, args: &[&str]) -> (Option<i32>, String, String) {
    let out = run(repo.path(), args);
    (out.status.code(), stdout(&out), stderr(&out))
}

/// MINIMAL with a third component file (redis), committed on 2026-01-10;
/// then postgres moves to a new team `dba` on 2026-03-01.
fn repo() -> TestRepo {
    let r = TestRepo::new();
    r.write_all("", MINIMAL);
    r.write(
        "components/cache.toml",
        "[[component]]\nid = \"redis\"\nname = \"Managed Redis\"\nlayer = \"service\"\nowner = \"platform-data\"\ntier = 3\n",
    );
    r.commit("first", "2026-01-10T10:00:00Z");
    r.write(
        "teams/dba.toml",
        "name = \"Database Reliability\"\nkind = \"platform\"\n[oncall]\nrotation = \"dba-primary\"\npager = \"pd:DBA\"\n",
    );
    r.write(
        "layers.toml",
        &std::fs::read_to_string(r.path().join("layers.toml"))
            .unwrap()
            .replace(
                "platform-data = \"owns\"",
                "platform-data = \"owns\"\ndba = \"owns\"",
            ),
    );
    let data = std::fs::read_to_string(r.path().join("components/data.toml")).unwrap();
    r.write(
        "components/data.toml",
        &data.replace("owner = \"platform-data\"", "owner = \"dba\""),
    );
    r.commit("postgres moves to dba", "2026-03-01T10:00:00Z");
    r
}

/// Breaks components/cache.toml (where redis is defined) in the work tree.
fn break_cache(r: &TestRepo) {
    r.write(
        "components/cache.toml",
        "[[component]]\nid = \"redis\"\nname = \"Managed Redis\nowner = \"platform-data\"\n",
    );
}

#[test]
fn every_match_says_how_sure_it_is() {
    let r = repo();
    let (code, v) = json(&r, &["who", "postgres", "--json"]);
    assert_eq!(code, Some(0));
    assert_eq!(v["matches"][0]["id"], "postgres");
    assert_eq!(v["matches"][0]["match"], "exact");
    let (_, v) = json(&r, &["who", "managed", "--json"]);
    let classes: Vec<&str> = v["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["match"].as_str().unwrap())
        .collect();
    assert!(
        !classes.is_empty() && classes.iter().all(|c| *c == "word"),
        "{v}"
    );
    let (_, out, _) = plain(&r, &["who", "postgres"]);
    assert!(
        out.contains("exact match:\npostgres · Managed PostgreSQL"),
        "{out}"
    );
    let (_, v) = json(&r, &["search", "pstgrs", "--json"]);
    assert_eq!(v["results"][0]["id"], "postgres");
    assert_eq!(v["results"][0]["match"], "fuzzy");
}

#[test]
fn a_fuzzy_only_who_prints_no_card_and_exits_1_with_the_guesses() {
    let r = repo();
    let (code, out, _) = plain(&r, &["who", "pstgrs"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("Nothing is named \"pstgrs\""), "{out}");
    assert!(
        out.contains("  component postgres  Managed PostgreSQL (owned by dba)"),
        "{out}"
    );
    assert!(!out.contains("Owner "), "no card: {out}");
    let (code, v) = json(&r, &["who", "pstgrs", "--json"]);
    assert_eq!(code, Some(1));
    assert_eq!(v["matches"].as_array().unwrap().len(), 0);
    assert_eq!(v["candidates"][0]["id"], "postgres");
    assert_eq!(v["candidates"][0]["match"], "fuzzy");
    assert_eq!(v["suggestions"][0], "postgres");
}

#[test]
fn a_broken_file_in_the_work_tree_is_said_by_every_command() {
    let r = repo();
    break_cache(&r);
    for args in [
        vec!["who", "postgres"],
        vec!["search", "postgres"],
        vec!["diff", "HEAD~1"],
    ] {
        let (_, out, err) = plain(&r, &args);
        let first = out.lines().next().unwrap_or_default();
        if args[0] == "diff" {
            // A half-loaded version is not compared: exit 2, named.
            assert!(err.contains("components/cache.toml:3:"), "{err}");
            assert!(err.contains("incomplete"), "{err}");
            continue;
        }
        assert!(
            first.starts_with("Incomplete data: 1 file did not load: components/cache.toml:3:"),
            "{args:?}: {out}"
        );
        let mut j = args.clone();
        j.push("--json");
        let (_, v) = json(&r, &j);
        assert_eq!(
            v["incomplete"][0]["file"], "components/cache.toml",
            "{args:?}"
        );
        assert_eq!(v["incomplete"][0]["line"], 3);
        assert!(v["incomplete"][0]["column"].is_number());
        assert!(v["incomplete"][0]["message"].is_string());
    }
    // All loaded: an empty list, not a missing key.
    let (_, v) = json(&r, &["--rev", "HEAD", "who", "postgres", "--json"]);
    assert_eq!(v["incomplete"], Value::Array(vec![]));
}

#[test]
fn a_component_of_a_broken_file_is_not_replaced_by_a_guess() {
    let r = repo();
    break_cache(&r);
    let (code, out, _) = plain(&r, &["who", "redis"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("Redis is defined in components/cache.toml, which did not load."),
        "{out}"
    );
    assert!(!out.contains("Owner "), "{out}");
    assert!(!out.contains("Fuzzy guesses"), "{out}");
    let (_, v) = json(&r, &["who", "redis", "--json"]);
    assert_eq!(
        v["unloaded"],
        "redis is defined in components/cache.toml, which did not load"
    );
    assert_eq!(v["matches"].as_array().unwrap().len(), 0);
    assert!(v.get("candidates").is_none(), "{v}");
}

#[test]
fn a_broken_file_at_a_commit_is_said_too() {
    let r = repo();
    break_cache(&r);
    r.commit("half-saved cache file", "2026-03-05T10:00:00Z");
    let (_, v) = json(&r, &["--rev", "HEAD", "who", "redis", "--json"]);
    assert_eq!(v["incomplete"][0]["file"], "components/cache.toml");
    assert_eq!(v["matches"].as_array().unwrap().len(), 0);
    let (_, v) = json(&r, &["history", "--json"]);
    assert_eq!(v["incomplete"][0]["file"], "components/cache.toml");
    let (_, out, _) = plain(&r, &["history"]);
    assert!(
        out.starts_with("Incomplete data: 1 file did not load"),
        "{out}"
    );
    // The version before it loaded whole.
    let (_, v) = json(&r, &["--rev", "HEAD~1", "who", "redis", "--json"]);
    assert_eq!(v["incomplete"], Value::Array(vec![]));
    assert_eq!(v["matches"][0]["id"], "redis");
}

#[test]
fn cards_say_since_when_owner_and_oncall_hold() {
    let r = repo();
    let (_, v) = json(&r, &["who", "postgres", "--json"]);
    let m = &v["matches"][0];
    assert_eq!(m["owner_since"]["author"], "Test Author");
    assert!(
        m["owner_since"]["time"]
            .as_str()
            .unwrap()
            .starts_with("2026-03-01")
    );
    assert_eq!(m["owner_since"]["commit"].as_str().unwrap().len(), 40);
    // dba was added with its rotation in that commit.
    assert!(
        m["oncall_since"]["time"]
            .as_str()
            .unwrap()
            .starts_with("2026-03-01")
    );
    // checkout-api never moved: null, "since the first commit".
    let (_, v) = json(&r, &["who", "checkout-api", "--json"]);
    assert!(v["matches"][0]["owner_since"].is_null(), "{v}");
    let (_, out, _) = plain(&r, &["who", "redis"]);
    assert!(
        out.contains("owner unchanged since the first commit"),
        "{out}"
    );
    assert!(
        out.contains("on-call unchanged since the first commit"),
        "{out}"
    );
    let (_, out, _) = plain(&r, &["who", "postgres"]);
    assert!(
        out.contains("owner since 2026-03-01 by Test Author"),
        "{out}"
    );
    // Without git there is no history, and the card says so.
    let folder = TestRepo::plain();
    folder.write_all("", MINIMAL);
    let (_, out, _) = plain(&folder, &["who", "postgres"]);
    assert!(
        out.contains("owner since: unknown (a plain folder has no history)"),
        "{out}"
    );
}

#[test]
fn diff_from_before_the_first_commit_lists_everything_as_added() {
    let r = repo();
    let (code, v) = json(&r, &["diff", "2025-01-01", "HEAD", "--json"]);
    assert_eq!(code, Some(0), "{v}");
    let added: Vec<&str> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "component_added")
        .map(|c| c["subject"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(added.len(), 3, "{v}");
    assert!(v["from"].is_null());
    assert!(
        v["notes"][0]
            .as_str()
            .unwrap()
            .contains("before the first commit")
    );
    let (code, out, _) = plain(&r, &["diff", "2025-01-01", "HEAD"]);
    assert_eq!(code, Some(0));
    assert!(
        out.starts_with("2025-01-01 is before the first commit"),
        "{out}"
    );
    // The filters: only postgres, only what involves dba.
    let (_, v) = json(
        &r,
        &[
            "diff",
            "HEAD~1",
            "HEAD",
            "--component",
            "postgres",
            "--json",
        ],
    );
    let changes = v["changes"].as_array().unwrap();
    assert!(!changes.is_empty());
    assert!(
        changes.iter().all(|c| c["subject"]["id"] == "postgres"),
        "{v}"
    );
    let (_, v) = json(
        &r,
        &["diff", "HEAD~1", "HEAD", "--team", "checkout", "--json"],
    );
    assert!(v["changes"].as_array().unwrap().is_empty(), "{v}");
}

#[test]
fn unknown_ids_are_usage_errors_with_the_closest() {
    let r = repo();
    for cmd in [vec!["history"], vec!["diff", "HEAD~1", "HEAD"]] {
        let mut args = cmd.clone();
        args.extend(["--team", "dbq"]);
        let (code, _, err) = plain(&r, &args);
        assert_eq!(code, Some(2), "{args:?}");
        assert!(
            err.contains("no team `dbq` in any version of the data"),
            "{err}"
        );
        assert!(err.contains("Closest: dba"), "{err}");
        let mut args = cmd.clone();
        args.extend(["--component", "nosuch"]);
        assert_eq!(plain(&r, &args).0, Some(2), "{args:?}");
    }
    // A team that existed once is valid, for history and diff.
    r.remove("teams/dba.toml");
    r.commit("dba is gone", "2026-04-01T10:00:00Z");
    let (code, out, err) = plain(&r, &["history", "--team", "dba"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("postgres moves to dba"), "{out}");
    assert_eq!(
        plain(&r, &["diff", "HEAD~1", "HEAD", "--team", "dba"]).0,
        Some(0)
    );
}

#[test]
fn check_reports_boundary_violations_and_missing_runbooks() {
    let r = TestRepo::new();
    r.write_all("", MINIMAL);
    // checkout owns a tier-2 component in the service layer, where only
    // platform-data declares a role; it has no runbook either.
    r.write(
        "components/apps.toml",
        "[[component]]\nid = \"checkout-api\"\nname = \"Checkout API\"\nlayer = \"application\"\nowner = \"checkout\"\ntier = 3\n\n[[component]]\nid = \"cart-cache\"\nname = \"Cart cache\"\nlayer = \"service\"\nowner = \"checkout\"\ntier = 2\n",
    );
    r.commit("first", "2026-01-10T10:00:00Z");
    let (code, v) = json(&r, &["check", "--json"]);
    assert_eq!(code, Some(0), "warnings only");
    let find = |code: &str| {
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == code)
            .cloned()
            .unwrap_or_else(|| panic!("no {code}: {v}"))
    };
    let violation = find("boundary_violation");
    assert_eq!(violation["severity"], "warning");
    assert_eq!(violation["file"], "components/apps.toml");
    assert_eq!(violation["line"], 8);
    assert_eq!(violation["subject"]["id"], "checkout");
    let runbook = find("no_runbook");
    assert_eq!(runbook["file"], "components/apps.toml");
    assert_eq!(runbook["line"], 8);
    assert_eq!(runbook["subject"]["id"], "cart-cache");
    // The card shows check's own finding, not a copy.
    let (_, out, _) = plain(&r, &["who", "cart-cache"]);
    assert!(out.contains("! tier 2 without a runbook"), "{out}");
}

/// `who` reads "since" from the blobs of the defining files, not the whole
/// walk: on every component of the sample it must agree with the walk.
#[test]
fn since_from_file_blobs_agrees_with_the_walk_on_the_sample() {
    let tmp = tempfile::tempdir().unwrap();
    let sample = tmp.path().join("sample");
    demarc::sample::build(&sample).unwrap();
    let repo = demarc::repo::Repo::open(&sample, None).unwrap();
    let (entries, _) =
        demarc::history::collect(&repo, demarc::history::WalkOptions::default()).unwrap();
    let owners = demarc::history::owner_since(&entries);
    let oncalls = demarc::history::oncall_since(&entries);
    let first = entries.last().unwrap().commit.id.clone();
    let expected = |since: Option<&demarc::history::Since>| match since {
        Some(s) if s.commit.id == first => Value::Null,
        Some(s) => Value::String(s.commit.id.clone()),
        None => Value::String("missing".into()),
    };
    let model = demarc::repo::load(&repo, &demarc::repo::Source::WorkTree)
        .unwrap()
        .model;
    for c in &model.components {
        let out = run(&sample, &["who", &c.id, "--json"]);
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let m = v["matches"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == c.id.as_str() && m["kind"] == "component")
            .unwrap_or_else(|| panic!("{}: {v}", c.id));
        let got = |key: &str| match &m[key] {
            Value::Null => Value::Null,
            other => other["commit"].clone(),
        };
        assert_eq!(
            got("owner_since"),
            expected(owners.get(&c.id)),
            "owner of {}",
            c.id
        );
        let team = model.team(&c.owner).unwrap();
        if team.oncall.is_some() {
            assert_eq!(
                got("oncall_since"),
                expected(oncalls.get(&c.owner)),
                "on-call of {} ({})",
                c.id,
                c.owner
            );
        }
    }
}

#[test]
fn a_scenario_names_the_broken_file_of_a_component_it_lists() {
    let r = repo();
    r.write(
        "scenarios/cache.toml",
        "[[scenario]]\nid = \"cache-down\"\ntitle = \"Cache down\"\ncomponents = [\"redis\", \"postgres\"]\nfirst = \"owner\"\nresolution = \"Fail over\"\n",
    );
    r.commit("a scenario", "2026-03-02T10:00:00Z");
    break_cache(&r);
    let (code, out, err) = plain(&r, &["who", "cache-down"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        out.contains(
            "component redis is defined in components/cache.toml, which did not load: its card is missing"
        ),
        "{out}"
    );
    // The component that did load keeps its card.
    assert!(out.contains("postgres"), "{out}");
    let (_, v) = json(&r, &["who", "cache-down", "--json"]);
    let card = &v["matches"][0];
    assert_eq!(card["cards"].as_array().map(Vec::len), Some(1), "{card}");
    assert_eq!(
        card["unloaded"][0],
        "component redis is defined in components/cache.toml, which did not load: its card is missing"
    );
}
