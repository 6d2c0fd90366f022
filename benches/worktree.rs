//! Loading a work tree of 100,000 committed data files (issue 19: finding
//! the uncommitted ones was quadratic, 18.7 s for `check`; issue 17 asks
//! for linear time, shown by a benchmark).
//!
//!     cargo bench --bench worktree
//!
//! Two repositories are generated once into `target/demarc-bench-cache/`
//! (half the files and all of them, one-component files under
//! `components/`, committed with git2) and reused. For each size the bench
//! prints the median wall and CPU time of five loads of the work tree
//! (read, hash, compare with HEAD, parse, check), five loads of HEAD's
//! tree, and five runs of the peer, `git status --porcelain` on the same
//! work tree. Linear means the larger size costs twice the smaller: the
//! last row is that ratio for each, measured in the same run, so a loaded
//! machine moves both sizes alike. CPU time is the figure to read on a
//! shared machine; wall time is printed beside it.
//!
//! `DEMARC_BENCH_FILES` (default 100,000) sets the larger size; the
//! smaller is half of it. Each size has its own cached repository.

#[path = "support/alloc.rs"]
mod alloc;

use demarc::repo::{self, Origin, Repo, Source};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "support/cpu.rs"]
mod cpu;
use cpu::cpu_time;
#[path = "support/many_files.rs"]
mod many_files;
use many_files::build;
// Shared by the benches; this one waits for children only.
#[allow(dead_code)]
#[path = "support/process.rs"]
mod process;

fn main() {
    let files = std::env::var("DEMARC_BENCH_FILES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let sizes = [files / 2, files];
    let rows: Vec<[Timing; 3]> = sizes.iter().map(|&n| measure(n)).collect();
    println!(
        "| median of 5 (wall / CPU) | {} files | {} files | ratio, CPU (wall) |",
        sizes[0], sizes[1]
    );
    println!("|---|---|---|---|");
    let names = [
        "demarc: load the work tree (dirty files found by hashing)",
        "demarc: load HEAD's tree",
        "peer: `git status --porcelain`",
    ];
    for (i, name) in names.iter().enumerate() {
        let (small, large) = (rows[0][i], rows[1][i]);
        println!(
            "| {name} | {small} | {large} | {:.2}x ({:.2}x) |",
            ratio(large.cpu, small.cpu),
            ratio(large.wall, small.wall)
        );
    }
}

/// The three timings for one size: work tree, HEAD, and git's own status.
fn measure(files: usize) -> [Timing; 3] {
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
    let git_status = median_child(|| {
        Command::new("git")
            .arg("-C")
            .arg(&dir)
            .args(["status", "--porcelain"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("git is installed")
    });
    [work_tree, head, git_status]
}

#[derive(Clone, Copy)]
struct Timing {
    wall: Duration,
    cpu: Duration,
}

impl std::fmt::Display for Timing {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{:.2?} / {:.2?}", self.wall, self.cpu)
    }
}

fn ratio(large: Duration, small: Duration) -> f64 {
    large.as_secs_f64() / small.as_secs_f64().max(1e-9)
}

/// Median wall and CPU time (this process, all threads) of five runs.
fn median(mut f: impl FnMut()) -> Timing {
    median_of(|| {
        let (start, start_cpu) = (Instant::now(), cpu_time());
        f();
        (start.elapsed(), cpu_time().saturating_sub(start_cpu))
    })
}

/// Median wall and CPU time (the child's, from its rusage) of five runs.
fn median_child(mut spawn: impl FnMut() -> std::process::Child) -> Timing {
    median_of(|| {
        let start = Instant::now();
        let child = spawn();
        let sample = process::wait(child, start);
        (sample.wall, sample.cpu)
    })
}

fn median_of(mut run: impl FnMut() -> (Duration, Duration)) -> Timing {
    let (mut wall, mut cpu): (Vec<_>, Vec<_>) = (0..5).map(|_| run()).unzip();
    wall.sort();
    cpu.sort();
    Timing {
        wall: wall[2],
        cpu: cpu[2],
    }
}
