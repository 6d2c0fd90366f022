//! `who --at` parses each version at most once: the commit's files are
//! kept by blob id, the history walk starts from them, and the work tree
//! read beside the commit parses only the files whose bytes differ.

use demarc::history::{WalkOptions, Walker};
use demarc::repo::{self, Checks, Repo, Source};

fn sample() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    demarc::sample::build(dir.path()).unwrap();
    dir
}

#[test]
fn the_walk_starts_from_the_files_already_parsed() {
    let dir = sample();
    let repo = Repo::open(dir.path(), None).unwrap();
    let head = Source::Rev("HEAD".into());
    let mut fa = repo::load_for_answers_keeping(&repo, &head, Checks::Skip).unwrap();
    assert!(!fa.parsed.is_empty());
    // The component files' components went to the model: a seeded walk
    // before `fill_from` parses those files itself.
    let unfilled = Walker::seeded(&repo, WalkOptions::default(), Some(&fa.parsed)).unwrap();
    assert!(
        unfilled.summary().files_parsed > 0,
        "the moved files are not offered"
    );
    fa.parsed.fill_from(&fa.loaded.model);
    assert_eq!(fa.parsed.parsed, fa.loaded.files.len(), "each file once");

    let plain = Walker::new(&repo, WalkOptions::default()).unwrap();
    assert!(plain.summary().files_parsed > 0, "a walk on its own parses");
    let seeded = Walker::seeded(&repo, WalkOptions::default(), Some(&fa.parsed)).unwrap();
    assert_eq!(
        seeded.summary().files_parsed,
        0,
        "the start is not parsed again"
    );

    // Same history either way.
    let (a, _) = demarc::history::collect(&repo, WalkOptions::default()).unwrap();
    let (b, _) =
        demarc::history::collect_seeded(&repo, WalkOptions::default(), Some(&fa.parsed)).unwrap();
    let ids = |e: &[demarc::history::HistoryEntry]| {
        e.iter()
            .map(|e| (e.commit.id.clone(), format!("{:?}", e.changes)))
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&a), ids(&b));
}

#[test]
fn the_work_tree_beside_a_commit_parses_only_what_differs() {
    let dir = sample();
    let repo = Repo::open(dir.path(), None).unwrap();
    let at = Source::At(repo::When::parse("2026-05-01").unwrap());
    let mut fa = repo::load_for_answers_keeping(&repo, &at, Checks::Skip).unwrap();
    fa.parsed.fill_from(&fa.loaded.model);
    // Filled back, every file of the commit is offered, as parsing it gives it.
    let commit = repo.snapshot(&at).unwrap();
    for f in &commit.files {
        let kept = fa.parsed.get(f.blob.unwrap(), &f.path).expect("offered");
        assert_eq!(
            **kept,
            demarc::model::parse_file(&f.path, &f.bytes),
            "{}",
            f.path
        );
    }
    let snapshot = repo.snapshot(&Source::WorkTree).unwrap();
    let (model, diagnostics, parsed) = repo::parse_snapshot_reusing(&snapshot, Some(&fa.parsed));
    let differing = snapshot
        .files
        .iter()
        .filter(|f| fa.parsed.get(f.blob.unwrap(), &f.path).is_none())
        .count();
    assert!(differing > 0 && differing < snapshot.files.len());
    assert_eq!(
        parsed.parsed, differing,
        "only the files that changed since"
    );
    // The same model and findings as a fresh parse.
    let (fresh, fresh_diagnostics) = repo::parse_snapshot(&snapshot);
    assert_eq!(model, fresh);
    assert_eq!(diagnostics, fresh_diagnostics);
    let reused = repo::load_reusing(&repo, &Source::WorkTree, Checks::Run, &fa.parsed).unwrap();
    let loaded = repo::load(&repo, &Source::WorkTree).unwrap();
    assert_eq!(reused.model, loaded.model);
    assert_eq!(reused.diagnostics, loaded.diagnostics);
}
