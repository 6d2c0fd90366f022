//! `demarc team ID [--json]`: a team's scope from the real binary, on real
//! repositories.

mod support;

use serde_json::{Value, json};
use support::{MINIMAL, TestRepo, run, stderr, stdout};

fn minimal() -> TestRepo {
    let repo = TestRepo::new();
    repo.write_all("", MINIMAL);
    repo.commit("first", "2026-01-10T10:00:00Z");
    repo
}

fn team_json(repo: &TestRepo, args: &[&str]) -> Value {
    let out = run(repo.path(), args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("JSON")
}

#[test]
fn an_owner_s_scope_lists_what_it_owns_leads_and_who_pages_it() {
    let repo = minimal();
    let j = team_json(&repo, &["team", "platform-data", "--json"]);
    assert_eq!(j["id"], "platform-data");
    assert_eq!(j["kind"], "platform");
    assert_eq!(j["owns"][0]["id"], "postgres");
    assert_eq!(j["owns"][0]["tier"], 1);
    assert_eq!(
        j["layers"],
        json!([{"id": "service", "name": "Service", "role": "owns"}])
    );
    assert_eq!(
        j["pillars"],
        json!([{"id": "infrastructure", "name": "Infrastructure"}])
    );
    assert_eq!(j["oncall"]["pager"], "pd:DATA");
    assert_eq!(
        j["oncall"]["escalation"],
        json!(["data-secondary", "head-of-platform"])
    );
    // Its own duty in its own component is not a shared one.
    assert_eq!(j["shares"], json!([]));
    assert_eq!(j["consumes"], json!([]));
}

#[test]
fn a_consumer_s_scope_lists_the_duties_it_holds_in_others_components() {
    let repo = minimal();
    let j = team_json(&repo, &["team", "checkout", "--json"]);
    assert_eq!(
        j["shares"],
        json!([{"component": "postgres", "owner": "platform-data", "covers": ["schema"]}])
    );
    assert_eq!(j["consumes"][0]["id"], "postgres");
    assert_eq!(j["consumes"][0]["owner"], "platform-data");
    // The kind's role stands for the team's own.
    assert_eq!(j["layers"][0]["role"], "owns");
    assert_eq!(j["oncall"], Value::Null);
    let plain = stdout(&run(repo.path(), &["team", "checkout"]));
    assert!(plain.contains("On call       no rotation"), "{plain}");
    assert!(
        plain.contains("Shares (1)    postgres (platform-data): schema"),
        "{plain}"
    );
    assert!(plain.contains("Consumes (1)  postgres"), "{plain}");
}

#[test]
fn an_unknown_id_exits_2_naming_the_closest_ids() {
    let repo = minimal();
    let out = run(repo.path(), &["team", "platfrom-data"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).is_empty());
    let err = stderr(&out);
    assert!(
        err.contains("No team has the id \"platfrom-data\"; the closest are platform-data."),
        "{err}"
    );
    let out = run(repo.path(), &["team", "zzzzzzzzzzzz", "--json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`demarc search`"), "{}", stderr(&out));
}

#[test]
fn the_scope_is_read_as_of_a_commit_with_rev() {
    let repo = minimal();
    repo.write(
        "components/apps.toml",
        "[[component]]\nid = \"checkout-api\"\nname = \"Checkout API\"\nlayer = \"application\"\nowner = \"platform-data\"\n",
    );
    repo.commit("hand checkout-api over", "2026-02-10T10:00:00Z");
    let now = team_json(&repo, &["team", "checkout", "--json"]);
    assert_eq!(now["owns"], json!([]));
    let then = team_json(&repo, &["--rev", "HEAD~1", "team", "checkout", "--json"]);
    assert_eq!(then["owns"][0]["id"], "checkout-api");
}

#[test]
fn repository_text_is_cleaned_before_it_reaches_the_terminal() {
    let repo = minimal();
    repo.write(
        "teams/checkout.toml",
        "name = \"Check\\u001b]52;c;aGk=\\u0007out\"\nkind = \"product\"\nlead = \"Eve\\u009b2J\"\n",
    );
    let out = stdout(&run(repo.path(), &["team", "checkout"]));
    assert!(out.contains("Check"), "{out}");
    assert!(
        !out.contains('\u{1b}') && !out.contains('\u{7}') && !out.contains('\u{9b}'),
        "{out:?}"
    );
    let json = stdout(&run(repo.path(), &["team", "checkout", "--json"]));
    assert!(
        !json.contains('\u{1b}') && !json.contains('\u{9b}'),
        "{json:?}"
    );
    let j: Value = serde_json::from_str(&json).unwrap();
    // JSON keeps the text, escaped: a script gets what the file says.
    assert_eq!(j["lead"], "Eve\u{9b}2J");
}

#[test]
fn a_file_that_did_not_load_is_named_and_its_team_is_not_guessed() {
    let repo = minimal();
    // The component file breaks: the owner's scope may lack what it held.
    repo.write(
        "components/data.toml",
        "[[component]]\nid = \"postgres\"\nname = \n",
    );
    let out = run(repo.path(), &["team", "platform-data", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let j: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(j["incomplete"][0]["file"], "components/data.toml");
    assert_eq!(j["owns"], json!([]));
    let plain = stdout(&run(repo.path(), &["team", "platform-data"]));
    let first = plain.lines().next().unwrap_or_default();
    assert!(first.contains("components/data.toml"), "{plain}");

    // A team whose own file did not load is named as such, not answered
    // with the closest ids.
    repo.write("teams/checkout.toml", "name = \"Checkout\"\nkind = \n");
    let out = run(repo.path(), &["team", "checkout"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains("checkout is defined in teams/checkout.toml, which did not load"),
        "{err}"
    );
}
