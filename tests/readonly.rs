//! demarc never writes to the ownership repository: every file of the work
//! tree and of `.git` (the index included) is hashed before and after every
//! command runs on it.

mod support;

use serde_json::json;
use support::{MINIMAL, TestRepo, fingerprint, run};

#[test]
fn no_command_writes_to_the_repository() {
    let repo = TestRepo::new();
    repo.write_all("", MINIMAL);
    repo.commit("first", "2026-01-10T10:00:00Z");
    repo.write("teams/late.toml", "name = \"Late\"\nkind = \"other\"\n");
    repo.commit("second", "2026-02-10T10:00:00Z");
    // A dirty work tree: status-like checks are where writes sneak in.
    repo.write("teams/late.toml", "name = \"Later\"\nkind = \"other\"\n");
    repo.write("teams/untracked.toml", "name = \"New\"\nkind = \"other\"\n");
    let before = fingerprint(repo.path());
    let commands: Vec<Vec<&str>> = vec![
        vec!["check"],
        vec!["check", "--json"],
        vec!["--rev", "HEAD~1", "check"],
        vec!["--at", "2026-01-20", "check"],
        vec!["who", "postgres"],
        vec!["who", "postgres", "--json"],
        vec!["--at", "2026-01-20", "who", "checkout"],
        vec!["who", "nothing-here"],
        vec!["history"],
        vec!["history", "--json", "--team", "checkout"],
        vec!["diff", "HEAD~1"],
        vec!["diff", "2026-01-20", "HEAD", "--json"],
        vec!["search", "post"],
        vec!["search", "post", "--json"],
        vec!["team", "checkout"],
        vec!["--rev", "HEAD~1", "team", "platform-data", "--json"],
        vec!["team", "nobody"],
    ];
    for args in &commands {
        let out = run(repo.path(), args);
        assert!(out.status.code().is_some(), "{args:?}");
    }
    let after = fingerprint(repo.path());
    assert_eq!(before, after, "a command changed the repository");
}

#[test]
fn an_mcp_session_does_not_write_to_the_repository() {
    let repo = TestRepo::new();
    repo.write_all("", MINIMAL);
    repo.commit("first", "2026-01-10T10:00:00Z");
    repo.write("teams/late.toml", "name = \"Late\"\nkind = \"other\"\n");
    repo.commit("second", "2026-02-10T10:00:00Z");
    repo.write("teams/late.toml", "name = \"Later\"\nkind = \"other\"\n");
    repo.write("teams/untracked.toml", "name = \"New\"\nkind = \"other\"\n");
    let before = fingerprint(repo.path());
    let (mut client, _) = support::mcp::Client::initialized(repo.path(), &[]);
    let calls = [
        ("check", json!({})),
        ("who", json!({"query": "postgres"})),
        ("who", json!({"query": "checkout", "at": "2026-01-20"})),
        ("who", json!({"query": "nothing-here"})),
        ("search", json!({"query": "post", "limit": 3})),
        ("history", json!({"team": "checkout"})),
        ("diff", json!({"from": "HEAD~1"})),
        ("diff", json!({"from": "2026-01-20", "to": "HEAD"})),
        ("team_scope", json!({"id": "platform-data"})),
        ("team_scope", json!({"id": "nobody"})),
    ];
    for (tool, args) in calls {
        client.call(tool, args);
    }
    client.request("resources/read", json!({"uri": "demarc://docs/triage.md"}));
    assert!(client.close().success());
    let after = fingerprint(repo.path());
    assert_eq!(before, after, "an MCP session changed the repository");
}
