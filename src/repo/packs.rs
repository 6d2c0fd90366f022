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
use std::sync::Once;

/// How much of the pack files libgit2 maps at once, and in windows of what
/// size. Its defaults (8 GiB in windows of 1 GiB on 64-bit machines) map a
/// whole pack and keep it mapped: a history's walk touches every page of
/// its packs, and the touched pages of a mapping count towards the
/// process's memory, so a 137 MB pack file was 137 MB of it. Windows of
/// 8 MiB, at most 96 MiB mapped: libgit2 unmaps the least recently used.
/// (With 2 windows of 32 MiB in 64 MiB, a walk of a 137 MB pack unmapped
/// and faulted in the same pages again: a third more system time.)
const PACK_WINDOW_BYTES: usize = 8 << 20;
const PACK_MAPPED_BYTES: usize = 96 << 20;

/// Bounds the pack memory libgit2 maps (see `PACK_MAPPED_BYTES`), once per
/// process, before the first repository is opened (the settings apply to
/// windows mapped after them).
pub fn bound_pack_mappings() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: plain process-wide settings, which libgit2 reads under its
        // mapping lock when it maps a window.
        unsafe {
            let _ = git2::opts::set_mwindow_size(PACK_WINDOW_BYTES);
            let _ = git2::opts::set_mwindow_mapped_limit(PACK_MAPPED_BYTES);
        }
    });
}

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
