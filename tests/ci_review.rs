//! The review comment of a pull request (`diff BASE...HEAD --format
//! markdown`) and `--fail-on`, on pull-request-like branches of a real
//! repository: main moves on after the branch is cut, so only the merge
//! base shows what the branch changes.

#[path = "common/ci.rs"]
mod ci;
#[path = "common/history_repo.rs"]
mod history_repo;

use ci::{demarc, err, out};
use git2::Oid;
use history_repo::{TestRepo, base_files};

/// main: the base data, then an unrelated commit after the branches were cut.
/// feature: postgres (tier 1) moves to a new team without on-call, kafka
/// gets a duty claimed twice (a new finding), and search, an orphan team
/// on main, becomes a consumer (a fixed finding).
/// broken-ref: a scenario names a component that does not exist (an error).
/// fix-only: only fixes the orphan.
struct PullRequests {
    repo: TestRepo,
}

fn branch(repo: &mut TestRepo, name: &str, parent: Oid, message: &str) {
    let oid = repo.commit_with(message, "Priya Natarajan", &[parent], false);
    let commit = repo.repo.find_commit(oid).unwrap();
    repo.repo.branch(name, &commit, false).unwrap();
}

fn pull_requests() -> PullRequests {
    let mut repo = TestRepo::new();
    base_files(&mut repo, "ownership/");
    let base = repo.commit("Base ownership data");
    let main_files = repo.files.clone();

    repo.write(
        "ownership/teams/analytics.toml",
        "name = \"Analytics\"\nkind = \"data\"\nchannel = \"#analytics\"\n",
    );
    repo.edit(
        "ownership/components/data.toml",
        "owner = \"data\"\ntier = 1",
        "owner = \"analytics\"\ntier = 1",
    );
    repo.edit(
        "ownership/components/data.toml",
        "tier = 2\nconsumers = [\"checkout\"]",
        "tier = 2\nconsumers = [\"checkout\", \"search\"]\n\n[[component.duty]]\nparty = \"data\"\ncovers = [\"topics\"]\n\n[[component.duty]]\nparty = \"@consumers\"\ncovers = [\"topics\"]",
    );
    branch(
        &mut repo,
        "feature",
        base,
        "Move postgres to analytics; search consumes kafka",
    );

    repo.files = main_files.clone();
    repo.edit(
        "ownership/scenarios/db.toml",
        "components = [\"postgres\"]",
        "components = [\"postgres\", \"nope\"]",
    );
    branch(
        &mut repo,
        "broken-ref",
        base,
        "Name a component that is not there",
    );

    repo.files = main_files.clone();
    repo.edit(
        "ownership/components/data.toml",
        "tier = 2\nconsumers = [\"checkout\"]",
        "tier = 2\nconsumers = [\"checkout\", \"search\"]",
    );
    branch(&mut repo, "fix-only", base, "search consumes kafka");

    // main moves on: infra joins the scenario's escalation.
    repo.files = main_files;
    repo.edit(
        "ownership/scenarios/db.toml",
        "escalate = \"data\"",
        "escalate = \"infra\"",
    );
    repo.commit("Escalate slow queries to infra");
    PullRequests { repo }
}

impl PullRequests {
    fn diff(&self, args: &[&str]) -> std::process::Output {
        let mut all = vec!["--dir", "ownership", "diff"];
        all.extend_from_slice(args);
        demarc(&self.repo.path(), &all)
    }
}

#[test]
fn the_review_comment_of_a_pull_request() {
    let prs = pull_requests();
    let o = prs.diff(&["main...feature", "--format", "markdown"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "exit 0 without --fail-on: {}",
        err(&o)
    );
    let md = out(&o);
    // The merge base, not main's tip: main's own change is not in the review.
    assert!(!md.contains("escalat"), "{md}");
    insta::assert_snapshot!("review_comment_of_a_pull_request", md);
}

#[test]
fn the_review_names_what_a_reviewer_must_not_miss() {
    let prs = pull_requests();
    let md = out(&prs.diff(&["main...feature", "--format", "markdown"]));
    let attention = md
        .split("**Needs attention**")
        .nth(1)
        .and_then(|s| s.split("\n\n**").next())
        .unwrap_or_else(|| panic!("no call-outs in {md}"));
    assert!(
        attention.contains("`postgres` is tier 1 and changes owner"),
        "{attention}"
    );
    assert!(
        attention.contains("`analytics`, which has no on-call rotation"),
        "{attention}"
    );
    assert!(
        attention.contains("duty \"topics\" now has 2 parties"),
        "{attention}"
    );
    let introduced = md
        .split("**Findings this change introduces**")
        .nth(1)
        .unwrap();
    let introduced = introduced
        .split("Findings this change fixes")
        .next()
        .unwrap();
    assert!(introduced.contains("`duty_conflict`"), "{introduced}");
    assert!(introduced.contains("`no_oncall`"), "{introduced}");
    assert!(!introduced.contains("`orphan_team`"), "{introduced}");
    let fixed = md.split("Findings this change fixes").nth(1).unwrap();
    assert!(
        fixed.contains("`orphan_team`") && fixed.contains("`search`"),
        "{fixed}"
    );
    // Paths from the repository's root, as a reviewer sees them in the PR.
    assert!(
        introduced.contains("`ownership/components/data.toml:"),
        "{introduced}"
    );
}

#[test]
fn two_dots_compare_the_tips_and_three_dots_the_merge_base() {
    let prs = pull_requests();
    let two = out(&prs.diff(&["main..feature"]));
    let three = out(&prs.diff(&["main...feature"]));
    assert!(
        two.contains("scenario slow-db"),
        "main's own change, reversed: {two}"
    );
    assert!(!three.contains("slow-db"), "{three}");
    assert!(
        three.contains("postgres: owner data → analytics"),
        "{three}"
    );
    let o = prs.diff(&["main...feature", "HEAD"]);
    assert_eq!(o.status.code(), Some(2), "a range and a TO: {}", out(&o));
    assert!(err(&o).contains("already a range"), "{}", err(&o));
}

#[test]
fn fail_on_fails_only_on_findings_the_change_introduces() {
    let prs = pull_requests();
    let code = |args: &[&str]| prs.diff(args).status.code();
    // feature introduces warnings, no error.
    assert_eq!(code(&["main...feature", "--fail-on", "warning"]), Some(1));
    assert_eq!(code(&["main...feature", "--fail-on", "error"]), Some(0));
    assert_eq!(code(&["main...feature"]), Some(0));
    // broken-ref introduces an error.
    assert_eq!(code(&["main...broken-ref", "--fail-on", "error"]), Some(1));
    // fix-only fixes a warning and introduces nothing, though main has
    // findings of its own (the missing standard layers and pillars).
    assert_eq!(code(&["main...fix-only", "--fail-on", "warning"]), Some(0));

    let text = out(&prs.diff(&["main...broken-ref", "--fail-on", "error"]));
    assert!(text.contains("The change introduces 1 finding:"), "{text}");
    assert!(text.contains("ownership/scenarios/db.toml:1"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&out(&prs.diff(&[
        "main...fix-only",
        "--fail-on",
        "warning",
        "--format",
        "json",
    ])))
    .unwrap();
    assert_eq!(json["review"]["introduced"], serde_json::json!([]));
    assert_eq!(json["review"]["fixed"][0]["code"], "orphan_team");
    assert!(json["changes"].is_array());
}
