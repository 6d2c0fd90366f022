//! The synthetic repository generator: deterministic for a seed, valid for
//! `check`, clean for `git status`, and as many data commits as it says.

use demarc::repo::{self, Repo, Source};
use demarc::synth::{self, Params, Summary};
use git2::Repository;
use std::path::Path;

fn small(seed: u64) -> Params {
    Params {
        teams: 20,
        components: 200,
        commits: 100,
        data_share: 0.3,
        dir: "ownership".into(),
        seed,
        broken_share: 0.004,
    }
}

fn generate(params: &Params) -> (tempfile::TempDir, Summary) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("repo");
    let summary = synth::generate(&out, params).unwrap();
    (tmp, summary)
}

#[test]
fn same_seed_gives_the_same_commit_ids_and_another_seed_does_not() {
    let (a_dir, a) = generate(&small(7));
    let (_b_dir, b) = generate(&small(7));
    let (_c_dir, c) = generate(&small(8));
    assert_eq!(a.head, b.head);
    assert_eq!(a, b);
    assert_ne!(a.head, c.head);

    // Every commit, not only HEAD: the whole first-parent line matches.
    let ids = |path: &Path| -> Vec<String> {
        let git = Repository::open(path).unwrap();
        let mut walk = git.revwalk().unwrap();
        walk.push_head().unwrap();
        walk.map(|oid| oid.unwrap().to_string()).collect()
    };
    let a_ids = ids(&a_dir.path().join("repo"));
    assert_eq!(a_ids.len(), 100);
    assert_eq!(a_ids, ids(&_b_dir.path().join("repo")));
}

#[test]
fn the_work_tree_and_head_pass_check_without_errors_and_git_status_is_clean() {
    let (tmp, summary) = generate(&small(1));
    let path = tmp.path().join("repo");
    let repo = Repo::open(&path, Some("ownership")).unwrap();
    for source in [Source::WorkTree, Source::Rev("HEAD".into())] {
        let loaded = repo::load(&repo, &source).unwrap();
        let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert!(errors.is_empty(), "{source:?}: {errors:#?}");
        assert_eq!(loaded.model.components.len(), summary.components);
        assert_eq!(loaded.model.teams.len(), summary.teams);
        assert_eq!(loaded.files.len(), summary.data_files);
        // Every kind of party appears: teams of every kind, @kind and @consumers duties.
        assert_eq!(loaded.model.kinds().len(), 9);
        assert!(
            loaded
                .model
                .components
                .iter()
                .flat_map(|c| &c.duties)
                .any(|d| d.party.to_string() == "@consumers")
        );
        assert_eq!(loaded.model.layers.len(), 4);
        assert_eq!(loaded.model.pillars.len(), 6);
        assert!(!loaded.model.scenarios.is_empty());
        assert_eq!(loaded.model.matrices.len(), 2);
    }
    let git = Repository::open(&path).unwrap();
    let statuses = git.statuses(None).unwrap();
    assert!(
        statuses.is_empty(),
        "git status is not clean: {} entries",
        statuses.len()
    );
    assert_eq!(git.head().unwrap().shorthand().ok(), Some("main"));
}

/// Counts commits whose data folder differs from their parent's, and checks
/// every commit: only the ones the generator broke on purpose have errors.
#[test]
fn history_has_the_data_commits_it_reports_and_only_broken_ones_fail_check() {
    // A data-heavy history with broken commits made likely; small, since
    // every commit is loaded and checked.
    let params = Params {
        teams: 12,
        components: 60,
        commits: 100,
        data_share: 0.9,
        broken_share: 0.08,
        ..small(3)
    };
    let (tmp, summary) = generate(&params);
    let path = tmp.path().join("repo");
    let git = Repository::open(&path).unwrap();
    let repo = Repo::open(&path, Some("ownership")).unwrap();
    let mut walk = git.revwalk().unwrap();
    walk.push_head().unwrap();
    let (mut data_commits, mut broken) = (0, 0);
    for oid in walk {
        let commit = git.find_commit(oid.unwrap()).unwrap();
        let data = |c: &git2::Commit| c.tree().unwrap().get_name("ownership").map(|e| e.id());
        let parent = commit.parent(0).ok();
        if parent.as_ref().map(data) != Some(data(&commit)) {
            data_commits += 1;
            let loaded = repo::load(&repo, &Source::Rev(commit.id().to_string())).unwrap();
            if loaded.errors() > 0 {
                broken += 1;
                assert!(
                    loaded.diagnostics.iter().any(|d| d.code == "parse"),
                    "{:#?}",
                    loaded.diagnostics
                );
                // The next commit fixes it.
                assert!(!commit.message().unwrap().starts_with("Fix the TOML"));
            }
        }
    }
    assert_eq!(data_commits, summary.data_commits);
    assert_eq!(broken, summary.broken_commits);
    assert!(broken >= 1, "seed 3 should break at least one commit");
    // Most commits change the data with a share of 0.9.
    assert!(summary.data_commits > 70, "{summary:?}");
}

#[test]
fn the_data_folder_can_be_the_root() {
    let params = Params {
        dir: ".".into(),
        commits: 20,
        ..small(2)
    };
    let (tmp, summary) = generate(&params);
    assert_eq!(summary.dir, "");
    let repo = Repo::open(&tmp.path().join("repo"), None).unwrap();
    let loaded = repo::load(&repo, &Source::WorkTree).unwrap();
    assert_eq!(loaded.errors(), 0, "{:#?}", loaded.diagnostics);
    assert_eq!(loaded.model.components.len(), summary.components);
}

#[test]
fn refuses_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("keep.txt"), "mine").unwrap();
    let err = synth::generate(tmp.path(), &small(1)).unwrap_err();
    assert!(err.0.contains("not an empty folder"), "{err}");
    assert!(tmp.path().join("keep.txt").exists());
}

/// The linear rewrite of id suffixes and teams by kind (issue 17) must not
/// change a byte: this HEAD is what the generator wrote before it.
#[test]
fn the_output_is_what_it_was_before_the_generator_became_linear() {
    let dir = tempfile::tempdir().unwrap();
    let params = demarc::synth::Params {
        teams: 60,
        components: 3_000,
        commits: 400,
        ..demarc::synth::Params::default()
    };
    let summary = demarc::synth::generate(&dir.path().join("repo"), &params).unwrap();
    assert_eq!(summary.head, "be50f7270a29ffa24099ec6154d8cedd9258d00c");
    assert_eq!(summary.components, 3_003);
}
