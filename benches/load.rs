//! The dashboard's load path at 200,000 components (issue 17): what the
//! loader does before the data is on screen (read the work tree, parse,
//! check, the facts and the search index), each step and all of it, with
//! peers measured in the same run: reading the same bytes (`cat`), and
//! parsing them into plain TOML tables with no mapping and no check.
//!
//!     cargo bench --bench load                 # 200,000 components
//!     DEMARC_BENCH_COMPONENTS=20000 cargo bench --bench load
//!
//! The repository is generated once into `target/demarc-bench-cache/`
//! (200 commits: history is not measured here) and reused;
//! `DEMARC_BENCH_REPO=/path` measures one generated beforehand with
//! `cargo run --release --example gen -- … --out /path` instead.
//!
//!     DEMARC_BENCH_REPO=/tmp/scale-200k cargo bench --bench load -- --dashboard
//!
//! measures the dashboard instead (see `load/dashboard.rs`): data on
//! screen, every key's turn on the UI thread, peak memory.
//! `DEMARC_BENCH_AT` is the moment typed for the Triage cards' "as of"
//! (default 2025-06-01).

#[path = "support/alloc.rs"]
mod alloc;

#[path = "load/dashboard.rs"]
mod dashboard;
// Each bench uses part of the shared support.
#[allow(dead_code)]
#[path = "support/generated.rs"]
mod generated;
#[allow(dead_code)]
#[path = "support/process.rs"]
mod process;

use demarc::model::facts::Facts;
use demarc::repo::{self, Checks, Repo, Source};
use demarc::search::Index;
use demarc::synth::Params;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn main() {
    generated::generate_if_child();
    let components: usize = std::env::var("DEMARC_BENCH_COMPONENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000);
    let params = Params {
        teams: (components / 50).max(40),
        components,
        commits: 200,
        ..Params::default()
    };
    let (dir, data) = ensure(&params);
    if std::env::args().any(|a| a == "--dashboard") {
        let at = std::env::var("DEMARC_BENCH_AT").unwrap_or_else(|_| "2025-06-01".into());
        dashboard::run(&dir, &data, &at);
        return;
    }
    // The whole processes first, while this one holds nothing: Linux keeps
    // a process's peak resident set across `exec`, so a child started once
    // this process holds the model would report at least its peak.
    let bin = env!("CARGO_BIN_EXE_demarc");
    let whole: Vec<(&[&str], Duration, u64)> = [
        &["check"][..],
        &["search", "checkout postgres"][..],
        &["who", "payments"][..],
    ]
    .into_iter()
    .map(|args| {
        let samples = (0..3).map(|_| process::run(&mut process::demarc_on(bin, &dir, &data, args)));
        let samples: Vec<process::Sample> = samples.collect();
        let mut walls: Vec<Duration> = samples.iter().map(|s| s.wall).collect();
        walls.sort();
        let peak = samples.iter().map(|s| s.peak_kb).max().unwrap_or(0);
        (args, walls[1], peak)
    })
    .collect();
    let repo = Repo::open(&dir, Some(&data)).expect("open");
    let snapshot = repo.snapshot(&Source::WorkTree).expect("read");
    let bytes: usize = snapshot.files.iter().map(|f| f.bytes.len()).sum();
    let files = snapshot.files.len();
    let loaded = repo::load(&repo, &Source::WorkTree).expect("load");
    let model = &loaded.model;
    println!(
        "{} components, {} teams, {files} files, {:.1} MB of TOML; medians of 3, release build",
        model.components.len(),
        model.teams.len(),
        bytes as f64 / 1e6
    );
    println!();
    println!("| step | ms |");
    println!("|---|---|");
    let row = |what: &str, d: Duration| println!("| {what} | {} |", d.as_millis());
    row(
        "peer: read the bytes of every data file (`cat`)",
        median(|| {
            let n: usize = snapshot
                .files
                .iter()
                .map(|f| std::fs::read(dir.join(&data).join(&f.path)).unwrap().len())
                .sum();
            assert_eq!(n, bytes);
        }),
    );
    row(
        "peer: parse every file into plain TOML tables (`toml::Table`), one core",
        median(|| {
            for f in &snapshot.files {
                let text = std::str::from_utf8(&f.bytes).unwrap();
                let _: toml::Table = text.parse().unwrap();
            }
        }),
    );
    row(
        "read the work tree (and find uncommitted files)",
        median(|| {
            repo.snapshot(&Source::WorkTree).unwrap();
        }),
    );
    row(
        "load without check (what `search` does)",
        median(|| {
            repo::load_for_answers_with(&repo, &Source::WorkTree, Checks::Skip).unwrap();
        }),
    );
    row(
        "load with check (what `check` does)",
        median(|| {
            repo::load(&repo, &Source::WorkTree).unwrap();
        }),
    );
    row(
        "check alone",
        median(|| {
            demarc::model::check(model, chrono::NaiveDate::from_ymd_opt(2026, 9, 30).unwrap());
        }),
    );
    row("facts", median(|| drop(Facts::build(model))));
    row("search index", median(|| drop(Index::build(model))));
    row(
        "the loader's whole path: load with check, then facts beside the index",
        median(|| {
            let fa = repo::load_for_answers(&repo, &Source::WorkTree).unwrap();
            let model = &fa.loaded.model;
            std::thread::scope(|s| {
                let index = s.spawn(|| Index::build(model));
                let facts = Facts::build(model);
                (facts, index.join().unwrap())
            });
        }),
    );
    println!();
    println!("| whole process | ms | peak MB |");
    println!("|---|---|---|");
    for (args, t, peak) in whole {
        println!(
            "| `demarc {}` | {} | {} |",
            args.join(" "),
            t.as_millis(),
            peak / 1024
        );
    }
}

fn median(mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..3)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[1]
}

fn ensure(params: &Params) -> (PathBuf, String) {
    // A repository generated beforehand (`--example gen`, `--dir ownership`).
    if let Ok(dir) = std::env::var("DEMARC_BENCH_REPO") {
        return (PathBuf::from(dir), "ownership".to_string());
    }
    eprintln!("load: repository {} …", params.key());
    let generated =
        generated::ensure_repository(params).expect("the generator writes the repository");
    (generated.path, params.dir.clone())
}
