//! `demarc codeowners check|generate` as a user meets them: real git
//! repositories in temp dirs with CODEOWNERS files of both flavours, the
//! real binary, its exit codes, text and JSON.

mod support;

use serde_json::Value;
use support::{TestRepo, run, stderr, stdout};

const DEMARC: &str = "schema = 1\norg = \"Acme\"\n";

/// Three teams (sre without handles) and five components; billing's code
/// lives in another repository.
fn data(repo: &TestRepo) {
    repo.write("demarc.toml", DEMARC)
        .write(
            "teams/platform-data.toml",
            "name = \"Data\"\nkind = \"platform\"\ncodeowners = [\"@acme/platform-data\", \"dba@acme.example\"]\n",
        )
        .write(
            "teams/checkout.toml",
            "name = \"Checkout\"\nkind = \"product\"\ncodeowners = [\"@acme/checkout\"]\n",
        )
        .write("teams/sre.toml", "name = \"SRE\"\nkind = \"operations\"\n")
        .write(
            "components/c.toml",
            r#"[[component]]
id = "postgres"
name = "Postgres"
owner = "platform-data"
paths = ["infra/postgres/**", "charts/postgres/"]
consumers = ["checkout"]
[[component.duty]]
party = "@consumers"
covers = ["schema"]

[[component]]
id = "checkout-api"
name = "Checkout API"
owner = "checkout"
paths = ["services/checkout/"]

[[component]]
id = "cart"
name = "Cart"
owner = "checkout"
paths = ["services/cart/"]

[[component]]
id = "alerting"
name = "Alerting"
owner = "sre"
paths = ["platform/alerting/"]

[[component]]
id = "billing"
name = "Billing"
owner = "checkout"
paths = ["src/"]
repo = "acme/billing"
"#,
        );
}

fn repo_with(codeowners_at: &str, codeowners: &str) -> TestRepo {
    let repo = TestRepo::new();
    data(&repo);
    repo.write(codeowners_at, codeowners);
    repo.commit("data and CODEOWNERS", "2026-03-01T10:00:00Z");
    repo
}

fn check_json(repo: &TestRepo, extra: &[&str]) -> (Value, i32) {
    let mut args = vec!["codeowners", "check", "--json"];
    args.extend_from_slice(extra);
    let out = run(repo.path(), &args);
    let json: Value = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&out), stderr(&out)));
    (json, out.status.code().unwrap())
}

/// (code, line, column) of every finding about the CODEOWNERS file.
fn findings(json: &Value) -> Vec<(String, String, u64, u64)> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

fn has(json: &Value, code: &str, file: &str, line: u64, column: u64) -> bool {
    findings(json).contains(&(code.into(), file.into(), line, column))
}

fn status_of(json: &Value, component: &str, path: &str) -> Value {
    json["paths"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["component"] == component && v["path"] == path)
        .cloned()
        .unwrap_or_else(|| panic!("no verdict for {component} {path}: {json}"))
}

#[test]
fn each_finding_with_its_line_and_column() {
    let repo = repo_with(
        ".github/CODEOWNERS",
        "# GitHub flavour\n\
         /infra/postgres/      @acme/platform-data\n\
         /charts/postgres/     @acme/checkout\n\
         /services/checkout/   @acme/checkout @acme/ghosts\n\
         /docs/                @acme/platform-data\n\
         !/secrets/            @acme/checkout\n\
         src/[ab].rs           @acme/checkout\n\
         /platform/            octocat\n",
    );
    let (json, code) = check_json(&repo, &[]);
    assert_eq!(code, 1, "a mismatch is an error: {json}");
    let f = ".github/CODEOWNERS";
    assert!(has(&json, "codeowners_mismatch", f, 3, 1), "{json}");
    assert!(has(&json, "codeowners_unknown_handle", f, 4, 38), "{json}");
    assert!(has(&json, "codeowners_uncovered", f, 5, 1), "{json}");
    assert!(has(&json, "codeowners_syntax", f, 6, 1), "negation: {json}");
    assert!(has(&json, "codeowners_syntax", f, 7, 5), "range: {json}");
    assert!(has(&json, "codeowners_syntax", f, 8, 23), "owner: {json}");
    // services/cart/ matches no rule; platform/alerting/ matches the rule
    // left without owners once `octocat` is rejected.
    assert!(
        has(&json, "codeowners_unowned", "components/c.toml", 21, 10),
        "{json}"
    );
    assert!(!has(&json, "codeowners_no_handles", "teams/sre.toml", 1, 1));
    assert_eq!(json["errors"], 4, "{json}");
    assert_eq!(json["file"], f);
    assert_eq!(
        status_of(&json, "postgres", "infra/postgres/**")["status"],
        "agrees"
    );
    let drift = status_of(&json, "postgres", "charts/postgres/");
    assert_eq!(drift["status"], "mismatch");
    assert_eq!(drift["line"], 3);
    assert_eq!(drift["owners"][0], "@acme/checkout");
    // The other repository's component is not judged here.
    assert!(
        json["paths"]
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["component"] != "billing")
    );

    // The plain text says the same, grouped by file, with a summary.
    let out = run(repo.path(), &["codeowners", "check"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(text.contains(".github/CODEOWNERS\n"), "{text}");
    assert!(
        text.contains("`charts/postgres/` of component `postgres` is owned by @acme/checkout"),
        "{text}"
    );
    assert!(text.contains("[codeowners_mismatch]"), "{text}");
    assert!(text.contains("failed: 4 errors and"), "{text}");
}

#[test]
fn a_team_without_handles_is_named_once() {
    let repo = repo_with("CODEOWNERS", "* @acme/checkout\n");
    let (json, _) = check_json(&repo, &[]);
    let no_handles: Vec<_> = findings(&json)
        .into_iter()
        .filter(|f| f.0 == "codeowners_no_handles")
        .collect();
    assert_eq!(
        no_handles,
        [(
            "codeowners_no_handles".to_string(),
            "teams/sre.toml".to_string(),
            1,
            1
        )]
    );
    assert_eq!(
        status_of(&json, "alerting", "platform/alerting/")["status"],
        "no_handles"
    );
}

#[test]
fn the_last_matching_pattern_wins_and_an_ownerless_one_clears() {
    let repo = repo_with(
        "CODEOWNERS",
        "*                    @acme/checkout\n\
         /infra/              @acme/platform-data\n\
         /charts/             @acme/platform-data\n\
         /charts/postgres/\n",
    );
    let (json, code) = check_json(&repo, &[]);
    assert_eq!(code, 0, "{json}");
    let pg = status_of(&json, "postgres", "infra/postgres/**");
    assert_eq!(
        (pg["status"].as_str(), pg["line"].as_u64()),
        (Some("agrees"), Some(2))
    );
    let cleared = status_of(&json, "postgres", "charts/postgres/");
    assert_eq!(cleared["status"], "unowned");
    assert_eq!(cleared["cleared_at"], 4);
    assert!(
        has(&json, "codeowners_unowned", "components/c.toml", 5, 31),
        "{json}"
    );
    assert_eq!(status_of(&json, "cart", "services/cart/")["line"], 1);

    // The same rules in another order: `*` last takes everything.
    repo.write(
        "CODEOWNERS",
        "/infra/ @acme/platform-data\n/charts/postgres/\n* @acme/checkout\n",
    );
    let (json, code) = check_json(&repo, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        status_of(&json, "postgres", "infra/postgres/**")["status"],
        "mismatch"
    );
    assert_eq!(status_of(&json, "postgres", "infra/postgres/**")["line"], 3);
    assert!(!has(&json, "codeowners_uncovered", "CODEOWNERS", 2, 1));
}

#[test]
fn gitlab_sections_default_owners_and_optional_sections() {
    let repo = repo_with(
        "docs/CODEOWNERS",
        "[Backend] @acme/platform-data\n\
         /infra/\n\
         /charts/\n\
         /services/checkout/ @acme/checkout\n\
         /services/cart/ @acme/platform-data\n\
         \n\
         ^[Documentation][2] @acme/docs\n\
         *.md\n\
         \n\
         [Checkout services]\n\
         /services/ @acme/checkout\n\
         [][x]\n",
    );
    let (json, code) = check_json(&repo, &[]);
    let f = "docs/CODEOWNERS";
    // The heading's default owners own /infra/ and /charts/.
    assert_eq!(
        status_of(&json, "postgres", "infra/postgres/**")["status"],
        "agrees"
    );
    assert_eq!(status_of(&json, "postgres", "charts/postgres/")["line"], 3);
    // cart: section Backend says platform-data, but section "Checkout
    // services" names checkout too, and every section counts.
    assert_eq!(
        status_of(&json, "cart", "services/cart/")["status"],
        "agrees"
    );
    // The default owner of an optional section is checked like any other.
    assert!(has(&json, "codeowners_unknown_handle", f, 7, 21), "{json}");
    // An empty section name and a bad approval count are syntax errors.
    assert!(has(&json, "codeowners_syntax", f, 12, 2), "{json}");
    assert_eq!(code, 1);

    // Without the second section, cart's only deciding rule is Backend's.
    repo.write(
        "docs/CODEOWNERS",
        "[Backend] @acme/platform-data\n/infra/\n/services/cart/ @acme/platform-data\n",
    );
    let out = run(repo.path(), &["codeowners", "check"]);
    assert!(
        stdout(&out).contains("is owned by @acme/platform-data (line 3 in section [Backend]), but its owner `checkout`"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn github_looks_in_dot_github_first_and_rev_reads_the_commit() {
    let repo = repo_with("docs/CODEOWNERS", "* @acme/checkout\n");
    repo.write(".github/CODEOWNERS", "* @acme/platform-data\n");
    let (json, _) = check_json(&repo, &[]);
    assert_eq!(json["file"], ".github/CODEOWNERS");
    // HEAD has only docs/CODEOWNERS; --rev reads it from the commit.
    let (json, _) = check_json(&repo, &["--rev", "HEAD"]);
    assert_eq!(json["file"], "docs/CODEOWNERS");
    assert_eq!(
        status_of(&json, "cart", "services/cart/")["status"],
        "agrees"
    );
    // --file takes any file on disk.
    let other = repo.path().join("elsewhere.txt");
    std::fs::write(&other, "/src/ @acme/checkout\n").unwrap();
    let (json, code) = check_json(
        &repo,
        &["--file", other.to_str().unwrap(), "--repo", "acme/billing"],
    );
    assert_eq!(code, 0, "{json}");
    assert_eq!(status_of(&json, "billing", "src/")["status"], "agrees");
    assert_eq!(json["paths"].as_array().unwrap().len(), 1);
}

#[test]
fn no_codeowners_file_is_a_usage_error() {
    let repo = TestRepo::new();
    data(&repo);
    let out = run(repo.path(), &["codeowners", "check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("has no CODEOWNERS file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn bad_handles_and_paths_are_findings_not_unknown_keys() {
    let repo = TestRepo::new();
    data(&repo);
    repo.write(
        "teams/checkout.toml",
        "name = \"Checkout\"\nkind = \"product\"\ncodeowners = [\"@acme/checkout\", \"checkout team\"]\n",
    )
    .write(
        "components/d.toml",
        "[[component]]\nid = \"web\"\nname = \"Web\"\nowner = \"checkout\"\npaths = [\"web/\", \"!web/gen\", \"web/[ab]\"]\nrepo = \"not a repo\"\n",
    );
    let out = run(repo.path(), &["check", "--json"]);
    let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let f = findings(&json);
    assert!(!f.iter().any(|d| d.0 == "unknown_key"), "{f:?}");
    assert!(
        f.contains(&("invalid_handle".into(), "teams/checkout.toml".into(), 3, 34)),
        "{f:?}"
    );
    assert!(
        f.contains(&("invalid_path".into(), "components/d.toml".into(), 5, 19)),
        "{f:?}"
    );
    assert!(
        f.contains(&("invalid_path".into(), "components/d.toml".into(), 5, 35)),
        "{f:?}"
    );
    assert!(f.iter().any(|d| d.0 == "invalid_repo" && d.2 == 6), "{f:?}");
    // The valid ones still count.
    repo.write("CODEOWNERS", "/web/ @acme/checkout\n");
    let (json, _) = check_json(&repo, &[]);
    assert_eq!(status_of(&json, "web", "web/")["status"], "agrees");
    assert!(
        findings(&json).iter().any(|d| d.0 == "invalid_path"),
        "{json}"
    );
}

#[test]
fn generate_prints_a_file_that_checks_clean() {
    let repo = TestRepo::new();
    data(&repo);
    repo.commit("data", "2026-03-01T10:00:00Z");
    let before = support::fingerprint(repo.path());
    let out = run(repo.path(), &["codeowners", "generate"]);
    assert_eq!(out.status.code(), Some(0));
    let generated = stdout(&out);
    assert_eq!(
        support::fingerprint(repo.path()),
        before,
        "generate writes nothing"
    );
    let rules: Vec<&str> = generated.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        rules,
        [
            "charts/postgres/   @acme/platform-data dba@acme.example",
            "infra/postgres/**  @acme/platform-data dba@acme.example",
            "services/cart/     @acme/checkout",
            "services/checkout/ @acme/checkout",
        ]
    );
    assert!(generated.contains(
        "# platform/alerting/  (component `alerting`: owner `sre` lists no `codeowners` handles)"
    ));
    // Stable: the same data, the same bytes.
    assert_eq!(
        stdout(&run(repo.path(), &["codeowners", "generate"])),
        generated
    );

    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &generated).unwrap();
    let (json, code) = check_json(&repo, &["--file", file.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{json}");
    // Only the component whose owner has no handles is left without owners.
    let not_agreeing: Vec<_> = json["paths"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["status"] != "agrees")
        .map(|p| {
            (
                p["component"].as_str().unwrap(),
                p["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(not_agreeing, [("alerting", "unowned")], "{json}");

    // With duties: the consumers holding postgres's `schema` duty follow.
    let out = run(repo.path(), &["codeowners", "generate", "--with-duties"]);
    assert!(
        stdout(&out)
            .contains("infra/postgres/**  @acme/platform-data dba@acme.example @acme/checkout"),
        "{}",
        stdout(&out)
    );
    let out = run(
        repo.path(),
        &["codeowners", "generate", "--repo", "acme/billing"],
    );
    let rules: Vec<String> = stdout(&out)
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    assert_eq!(rules, ["src/ @acme/checkout"]);
}

#[test]
fn the_sample_shows_its_one_deliberate_drift() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("northwind");
    let out = run(dir.path(), &["demo", "--out", out_dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = run(&out_dir, &["codeowners", "check", "--json"]);
    let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(out.status.code(), Some(1));
    let codes: Vec<String> = findings(&json).into_iter().map(|f| f.0).collect();
    assert_eq!(codes, ["codeowners_mismatch"], "{json}");
    assert_eq!(
        status_of(&json, "kafka", "charts/kafka/")["owners"][0],
        "@northwind/platform-data"
    );
    let paths = json["paths"].as_array().unwrap();
    assert_eq!(paths.len(), 68);
    assert_eq!(paths.iter().filter(|p| p["status"] == "agrees").count(), 67);
    // The sample's status pages: the generated folder is left without owners,
    // the component's own folder is not.
    assert_eq!(
        status_of(&json, "status-page", "platform/status-page/")["status"],
        "agrees"
    );
}

#[test]
fn every_format_of_check_and_paths_from_the_root_with_dir() {
    // The data in a folder of a monorepo, CODEOWNERS at the root.
    let repo = TestRepo::new();
    let inner = TestRepo::plain();
    data(&inner);
    for rel in [
        "demarc.toml",
        "teams/platform-data.toml",
        "teams/checkout.toml",
        "teams/sre.toml",
        "components/c.toml",
    ] {
        let text = std::fs::read_to_string(inner.path().join(rel)).unwrap();
        repo.write(&format!("ownership/{rel}"), &text);
    }
    repo.write(".github/CODEOWNERS", "/charts/postgres/ @acme/checkout\n");
    repo.commit("monorepo", "2026-03-01T10:00:00Z");
    let args = ["--dir", "ownership", "codeowners", "check", "--format"];
    let github = run(repo.path(), &[&args[..], &["github"]].concat());
    assert_eq!(github.status.code(), Some(1));
    let text = stdout(&github);
    assert!(
        text.contains("::error file=.github/CODEOWNERS,line=1,col=1,title=codeowners_mismatch::"),
        "{text}"
    );
    assert!(
        text.contains(
            "::warning file=ownership/components/c.toml,line=5,col=10,title=codeowners_unowned::"
        ),
        "{text}"
    );
    let sarif: Value = serde_json::from_str(&stdout(&run(
        repo.path(),
        &[&args[..], &["sarif"]].concat(),
    )))
    .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let markdown = stdout(&run(repo.path(), &[&args[..], &["markdown"]].concat()));
    assert!(
        markdown.contains("### demarc codeowners check"),
        "{markdown}"
    );
    let json = stdout(&run(repo.path(), &[&args[..], &["json"]].concat()));
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["errors"], 1);
    assert!(json["paths"].is_array());
}
