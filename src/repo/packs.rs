//! Letting go of libgit2's per-pack delta-base caches during a long walk.
//!
//! libgit2 keeps a cache of inflated delta bases for every pack file it has
//! read from, up to 16 MiB each, with no setting to lower it (libgit2 does
//! not read `core.deltaBaseCacheLimit`). A history spread over 40 packs
//! would so hold 640 MiB. A pack and its cache are freed when no object
//! database refers to it any more: so the repository's database is swapped
//! for an empty one (the old one and its packs are freed), then for a
//! freshly opened one. Nothing is written; the repository's config is not
//! touched. A pack that another `Repository` of this process still holds
//! (the dashboard's other threads) keeps its cache until that one lets go.

use git2::{Odb, Repository};

/// Frees the pack caches of `git`'s object database (see the module
/// comment). On any failure the database in use stays as it was.
pub fn release_pack_caches(git: &Repository) {
    if super::guard::check_git_dir(git.path()).is_err() {
        return;
    }
    // Opened first: libgit2 opens the new object database lazily, so its
    // packs are read only after the old ones are gone.
    let Ok(fresh) = Repository::open(git.path()) else {
        return;
    };
    let Ok(empty) = Odb::new() else { return };
    if git.set_odb(&empty).is_err() {
        return;
    }
    match fresh.odb() {
        Ok(odb) => {
            let _ = git.set_odb(&odb);
        }
        Err(_) => {
            // Cannot happen with a repository that was just read; if it
            // does, a second try, else the walk says the commit is unreadable.
            if let Ok(again) = Repository::open(git.path())
                && let Ok(odb) = again.odb()
            {
                let _ = git.set_odb(&odb);
            }
        }
    }
}
