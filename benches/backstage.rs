//! `cargo bench --bench backstage`: a Backstage catalog of about 20,000
//! entities and its history, against the same organisation in demarc's
//! TOML (the synthetic generator writes both from one seed). Prints a
//! table for docs/performance.md; the target is within 2x.
//!
//! DEMARC_BENCH_ENTITIES (default 20000) and DEMARC_BENCH_COMMITS
//! (default 300) change the size; DEMARC_BENCH_HISTORY_RUNS (default 3)
//! the walks timed. `-- --only catalog` (or `toml`) measures one side, for
//! a profiler. Repositories are generated once into
//! `target/demarc-bench-cache/backstage-<parameters>` and reused.

#[path = "support/alloc.rs"]
mod alloc;

use demarc::history::{self, WalkOptions};
use demarc::repo::{self, Repo, Source};
use demarc::synth::{self, Format, Params};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut samples = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let t0 = Instant::now();
        last = Some(f());
        samples.push(t0.elapsed());
    }
    (median(samples), last.expect("at least one run"))
}

struct Figures {
    load: Duration,
    teams: usize,
    components: usize,
    history: Duration,
    entries: usize,
    files: usize,
    /// Catalog steps taken by patching the newer version (0 for TOML).
    patched: usize,
}

fn measure(path: &Path, dir: &str, history_runs: usize) -> Figures {
    let open = || Repo::open(path, Some(dir)).expect("open");
    let (load, loaded) = time(5, || repo::load(&open(), &Source::WorkTree).expect("load"));
    let (history, (entries, summary)) = time(history_runs, || {
        history::collect(&open(), WalkOptions::default()).expect("history")
    });
    Figures {
        load,
        teams: loaded.model.teams.len(),
        components: loaded.model.components.len(),
        history,
        entries: entries.len(),
        files: loaded.files.len(),
        patched: summary.catalog_patched,
    }
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn cache_root() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("demarc-bench-cache")
}

/// The repository for these parameters and format: generated once, then
/// reused (generated beside its place and renamed, so an interrupted run
/// never leaves a half-written repository that looks complete).
fn ensure_repository(params: &Params, format: Format, label: &str) -> PathBuf {
    let root = cache_root();
    let name = format!("backstage-{}-{}", label, params.key());
    let path = root.join(&name);
    if path.is_dir() {
        return path;
    }
    let partial = root.join(format!("{name}.partial"));
    let _ = std::fs::remove_dir_all(&partial);
    std::fs::create_dir_all(&root).expect("cache folder");
    let t0 = Instant::now();
    let summary = synth::generate_as(&partial, params, format).expect("generate");
    eprintln!(
        "generated {label}: {} data files, {} data commits in {:.1} s",
        summary.data_files,
        summary.data_commits,
        t0.elapsed().as_secs_f64()
    );
    std::fs::rename(&partial, &path).expect("rename the generated repository");
    path
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing
    // and only checks that this builds and starts.
    if !std::env::args().any(|a| a == "--bench") {
        println!("backstage bench: run with `cargo bench --bench backstage`");
        return;
    }
    let entities = env("DEMARC_BENCH_ENTITIES", 20_000);
    let commits = env("DEMARC_BENCH_COMMITS", 300);
    let teams = (entities / 50).max(10);
    let params = Params {
        teams,
        components: entities - teams,
        commits,
        data_share: 0.3,
        dir: "ownership".to_string(),
        seed: 12,
        broken_share: 0.0,
    };
    let history_runs = env("DEMARC_BENCH_HISTORY_RUNS", 3).max(1);
    let args: Vec<String> = std::env::args().collect();
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let mut rows = Vec::new();
    for (label, key, format) in [
        ("TOML", "toml", Format::Native),
        ("Backstage catalog", "catalog", Format::Backstage),
    ] {
        if only.as_deref().is_some_and(|o| o != key) {
            continue;
        }
        let out = ensure_repository(&params, format, key);
        rows.push((label, measure(&out, &params.dir, history_runs)));
    }
    println!(
        "| data | files | teams | components | load (work tree) | history ({commits} commits) | entries |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (label, f) in &rows {
        println!(
            "| {label} | {} | {} | {} | {} | {} | {} |",
            f.files,
            f.teams,
            f.components,
            ms(f.load),
            ms(f.history),
            f.entries
        );
    }
    for (label, f) in rows.iter().filter(|(_, f)| f.patched > 0) {
        println!(
            "\n{label}: {} of {} history entries stepped by patching the newer version",
            f.patched, f.entries
        );
    }
    let [(_, toml), (_, catalog)] = &rows[..] else {
        return;
    };
    println!(
        "\ncatalog / TOML: load {:.2}x, history {:.2}x",
        catalog.load.as_secs_f64() / toml.load.as_secs_f64(),
        catalog.history.as_secs_f64() / toml.history.as_secs_f64()
    );
}
