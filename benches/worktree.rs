//! Loading a work tree of 100,000 committed data files (issue 19: finding
//! the uncommitted ones was quadratic, 18.7 s for `check`).
//!
//!     cargo bench --bench worktree
//!
//! The repository is generated once into
//! `target/demarc-bench-cache/worktree-100000` (100,000 one-component files
//! under `components/`, committed with git2) and reused. Prints the median
//! of five loads of the work tree (read, hash, compare with HEAD, parse,
//! check) and of five loads of HEAD's tree, for comparison.
//!
//! `DEMARC_BENCH_FILES` (default 100,000) sets the number of files, so the
//! time can be compared at two sizes (linear: twice the files, twice the
//! time); each size has its own cached repository.

use demarc::repo::{self, Origin, Repo, Source};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn main() {
    let files = std::env::var("DEMARC_BENCH_FILES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = build(files);
    let repo = Repo::open(&dir, None).expect("open");
    let work_tree = median(|| {
        let loaded = repo::load(&repo, &Source::WorkTree).expect("load");
        let Origin::WorkTree { dirty } = &loaded.origin else {
            panic!("not a work tree")
        };
        assert!(dirty.is_empty(), "{} files flagged", dirty.len());
        assert_eq!(loaded.model.components.len(), files);
    });
    let head = median(|| {
        let loaded = repo::load(&repo, &Source::Rev("HEAD".into())).expect("load");
        assert_eq!(loaded.model.components.len(), files);
    });
    println!("| {files} committed files | median of 5 |");
    println!("|---|---|");
    println!("| load the work tree (dirty files found by hashing) | {work_tree:.2?} |");
    println!("| load HEAD's tree | {head:.2?} |");
}

fn median(mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..5)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[2]
}

fn build(files: usize) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("target/demarc-bench-cache/worktree-{files}"));
    if dir.join(".git").is_dir() && dir.join("demarc.toml").is_file() {
        return dir;
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("components")).unwrap();
    std::fs::create_dir_all(dir.join("teams")).unwrap();
    std::fs::write(dir.join("demarc.toml"), "schema = 1\norg = \"Bench\"\n").unwrap();
    std::fs::write(
        dir.join("teams/owners.toml"),
        "name = \"Owners\"\nkind = \"product\"\n",
    )
    .unwrap();
    let git = git2::Repository::init(&dir).unwrap();
    let mut index = git.index().unwrap();
    let mut add = |rel: String, text: String| {
        std::fs::write(dir.join(&rel), &text).unwrap();
        index.add_path(Path::new(&rel)).unwrap();
    };
    add("demarc.toml".into(), "schema = 1\norg = \"Bench\"\n".into());
    add(
        "teams/owners.toml".into(),
        "name = \"Owners\"\nkind = \"product\"\n".into(),
    );
    for i in 0..files {
        add(
            format!("components/c{i:06}.toml"),
            format!("[[component]]\nid = \"c{i}\"\nname = \"Component {i}\"\nowner = \"owners\"\n"),
        );
    }
    index.write().unwrap();
    let tree = git.find_tree(index.write_tree().unwrap()).unwrap();
    let sig = git2::Signature::now("Bench", "bench@example.com").unwrap();
    git.commit(
        Some("HEAD"),
        &sig,
        &sig,
        &format!("{files} files"),
        &tree,
        &[],
    )
    .unwrap();
    dir
}
