//! `cargo bench --bench backstage`: a Backstage catalog of about 20,000
//! entities and its history, against the same organisation in demarc's
//! TOML (the synthetic generator writes both from one seed). Prints a
//! table for docs/performance.md; the target is within 2x.
//!
//! DEMARC_BENCH_ENTITIES (default 20000) and DEMARC_BENCH_COMMITS
//! (default 300) change the size. Repositories are generated once into a
//! temporary folder per run.

use demarc::history::{self, WalkOptions};
use demarc::repo::{self, Repo, Source};
use demarc::synth::{self, Format, Params};
use std::path::Path;
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
}

fn measure(path: &Path, dir: &str) -> Figures {
    let open = || Repo::open(path, Some(dir)).expect("open");
    let (load, loaded) = time(5, || repo::load(&open(), &Source::WorkTree).expect("load"));
    let (history, (entries, _)) = time(3, || {
        history::collect(&open(), WalkOptions::default()).expect("history")
    });
    Figures {
        load,
        teams: loaded.model.teams.len(),
        components: loaded.model.components.len(),
        history,
        entries: entries.len(),
        files: loaded.files.len(),
    }
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
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
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut rows = Vec::new();
    for (label, format) in [
        ("TOML", Format::Native),
        ("Backstage catalog", Format::Backstage),
    ] {
        let out = tmp.path().join(label.replace(' ', "-"));
        let t0 = Instant::now();
        let summary = synth::generate_as(&out, &params, format).expect("generate");
        eprintln!(
            "generated {label}: {} data files, {} data commits in {:.1} s",
            summary.data_files,
            summary.data_commits,
            t0.elapsed().as_secs_f64()
        );
        rows.push((label, measure(&out, &summary.dir)));
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
    let (toml, catalog) = (&rows[0].1, &rows[1].1);
    println!(
        "\ncatalog / TOML: load {:.2}x, history {:.2}x",
        catalog.load.as_secs_f64() / toml.load.as_secs_f64(),
        catalog.history.as_secs_f64() / toml.history.as_secs_f64()
    );
}
