//! The sample as the screen tests see it: built once per test binary,
//! judged as of a fixed day so review-age findings do not change with the
//! calendar, and an `App` that has just received it.

use chrono::NaiveDate;
use demarc::app::App;
use demarc::app::keymap::Keymap;
use demarc::repo::{self, Loaded, Repo, Source};
use std::path::Path;
use std::sync::OnceLock;

/// The sample repository, built once for the whole test binary.
pub fn sample_dir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        demarc::sample::build(dir.path()).unwrap();
        dir
    })
    .path()
}

/// A version of the sample, as of 2026-11-20.
pub fn load(source: &Source) -> Loaded {
    let repo = Repo::open(sample_dir(), None).unwrap();
    let snapshot = repo.snapshot(source).unwrap();
    repo::load_snapshot(snapshot, NaiveDate::from_ymd_opt(2026, 11, 20).unwrap())
}

/// The sample's work tree, loaded once.
pub fn sample() -> Loaded {
    static LOADED: OnceLock<Loaded> = OnceLock::new();
    LOADED.get_or_init(|| load(&Source::WorkTree)).clone()
}

/// The dashboard with the sample loaded, on its first tab.
pub fn app() -> App {
    let mut app = App::new(Keymap::default());
    app.on_loaded(Ok(sample()));
    app
}
