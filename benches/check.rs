//! `demarc check` against reading the same bytes (issue 17: "check at
//! 200,000 components within 1 s"; the peer is `cat` of the data files),
//! and `demarc search` and `demarc who` beside them, each a whole process measured in the
//! same run, turn about, so a busy machine slows all of them alike. `who`
//! is also run as of a commit back (`--rev`, `DEMARC_BENCH_WHO_REV`,
//! default `HEAD~50`) and as of that commit's day (`--at`), and the
//! ratios to `who` are printed (issue 17: `who --at` within 1.5x). With
//! `DEMARC_BENCH_BEFORE=PATH` (another build, say main's), that binary's
//! three `who` rows are run too, in the same runs, with their ratios.
//!
//!     cargo bench --bench check                      # 200,000 components
//!     DEMARC_BENCH_COMPONENTS=20000 cargo bench --bench check
//!     DEMARC_BENCH_REPO=/tmp/scale-200k DEMARC_BENCH_DATA=ownership cargo bench --bench check
//!
//! Without `DEMARC_BENCH_REPO` the repository is generated once into
//! `target/demarc-bench-cache/` (the same one `benches/load.rs` uses) and
//! reused. `DEMARC_BENCH_RUNS` (default 5) sets the runs; the table gives
//! medians of wall time and of CPU time (user + system, from wait4), the
//! largest peak resident set, and the load average before and after.

#[path = "support/alloc.rs"]
mod alloc;

// Each bench uses part of the shared support.
#[allow(dead_code)]
#[path = "support/generated.rs"]
mod generated;
#[allow(dead_code)]
#[path = "support/process.rs"]
mod process;

use demarc::synth::Params;
use process::{Sample, commit_day, data_files, first_component_id, load_average};
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    generated::generate_if_child();
    let components = env_or("DEMARC_BENCH_COMPONENTS", 200_000);
    let runs = env_or("DEMARC_BENCH_RUNS", 5).max(1);
    let (dir, data) = ensure(components);
    let files = data_files(&dir.join(&data));
    let bytes: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).map_or(0, |m| m.len()))
        .sum();
    let bin = env!("CARGO_BIN_EXE_demarc");
    let demarc_of = |bin: &str, args: &[&str]| process::demarc_on(bin, &dir, &data, args);
    let demarc = move |args: &[&str]| demarc_of(bin, args);
    let cat = || {
        let mut command = Command::new("cat");
        command.args(&files);
        command
    };
    let fzf_installed = Command::new("fzf")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let mut rows: Vec<(String, Box<dyn Fn() -> Command>)> = vec![
        ("peer: `cat` of every data file".into(), Box::new(cat)),
        (
            "`demarc check`".into(),
            Box::new(move || demarc(&["check"])),
        ),
        (
            "`demarc check --json`".into(),
            Box::new(move || demarc(&["check", "--json"])),
        ),
        (
            "`demarc search checkout postgres`".into(),
            Box::new(move || demarc(&["search", "checkout postgres"])),
        ),
    ];
    // `who` on the first component of the first component file: a
    // whole process that loads, checks and walks back for the "since"s.
    // With `DEMARC_BENCH_BEFORE` (another build of demarc, say main's), its
    // three `who` rows too, in the same runs: before and after turn about.
    let mut who_rows = Vec::new();
    let mut bins = vec![(String::new(), bin.to_string())];
    if let Ok(before) = std::env::var("DEMARC_BENCH_BEFORE") {
        bins.push(("before: ".to_string(), before));
    }
    if let Some(id) = first_component_id(&files) {
        let rev = std::env::var("DEMARC_BENCH_WHO_REV").unwrap_or_else(|_| "HEAD~50".into());
        let day = commit_day(&dir, &rev);
        for (tag, b) in bins {
            who_rows.push((rows.len(), day.is_some()));
            let (who_id, b1) = (id.clone(), b.clone());
            rows.push((
                format!("{tag}`demarc who {id}`"),
                Box::new(move || demarc_of(&b1, &["who", &who_id])),
            ));
            if let Some(day) = day.clone() {
                let (who_id, r, b2) = (id.clone(), rev.clone(), b.clone());
                rows.push((
                    format!("{tag}`demarc --rev {rev} who {id}`"),
                    Box::new(move || demarc_of(&b2, &["--rev", &r, "who", &who_id])),
                ));
                let (who_id, b3) = (id.clone(), b.clone());
                rows.push((
                    format!("{tag}`demarc --at {day} who {id}`"),
                    Box::new(move || demarc_of(&b3, &["--at", &day, "who", &who_id])),
                ));
            }
        }
    }
    if fzf_installed {
        let files = files.clone();
        rows.push((
            "peer: `cat … | fzf --filter 'checkout postgres'`".into(),
            Box::new(move || {
                let mut command = Command::new("sh");
                command
                    .arg("-c")
                    .arg("cat \"$@\" | fzf --filter 'checkout postgres'")
                    .arg("sh")
                    .args(&files);
                command
            }),
        ));
    }
    let load_before = load_average();
    let mut samples: Vec<Vec<Sample>> = rows.iter().map(|_| Vec::new()).collect();
    for _ in 0..runs {
        for (i, (_, command)) in rows.iter().enumerate() {
            samples[i].push(process::run(&mut command()));
        }
    }
    let load_after = load_average();
    println!(
        "{} data files, {:.1} MB, in {}; {runs} runs each, turn about; load average {load_before} before, {load_after} after",
        files.len(),
        bytes as f64 / 1e6,
        dir.join(&data).display()
    );
    if !fzf_installed {
        println!("(fzf is not installed: no fzf peer for `search`)");
    }
    println!();
    println!("| whole process | wall ms | CPU ms | CPU vs `cat` | peak MB |");
    println!("|---|---|---|---|---|");
    let cat_cpu = median(samples[0].iter().map(|s| s.cpu)).max(Duration::from_micros(1));
    for ((what, _), samples) in rows.iter().zip(&samples) {
        let wall = median(samples.iter().map(|s| s.wall));
        let cpu = median(samples.iter().map(|s| s.cpu));
        let peak = samples.iter().map(|s| s.peak_kb).max().unwrap_or(0);
        println!(
            "| {what} | {} | {} | {:.1}x | {} |",
            wall.as_millis(),
            cpu.as_millis(),
            cpu.as_secs_f64() / cat_cpu.as_secs_f64(),
            peak / 1024
        );
    }
    // As of a commit against now, medians of the same run.
    let three: Vec<usize> = who_rows
        .iter()
        .filter_map(|&(row, as_of)| as_of.then_some(row))
        .collect();
    if !three.is_empty() {
        println!();
    }
    for who_row in three {
        let of = |i: usize| {
            let s = &samples[i];
            (
                median(s.iter().map(|s| s.cpu)).as_secs_f64(),
                median(s.iter().map(|s| s.wall)).as_secs_f64(),
            )
        };
        let (cpu, wall) = of(who_row);
        for i in [who_row + 1, who_row + 2] {
            let (c, w) = of(i);
            println!(
                "{} against `who`: {:.2}x CPU, {:.2}x wall (target: at most 1.5x)",
                rows[i].0,
                c / cpu.max(1e-6),
                w / wall.max(1e-6)
            );
        }
    }
}

fn median(values: impl Iterator<Item = Duration>) -> Duration {
    let mut values: Vec<Duration> = values.collect();
    values.sort();
    values.get(values.len() / 2).copied().unwrap_or_default()
}

fn ensure(components: usize) -> (PathBuf, String) {
    if let Ok(dir) = std::env::var("DEMARC_BENCH_REPO") {
        let data = std::env::var("DEMARC_BENCH_DATA").unwrap_or_else(|_| "ownership".into());
        return (PathBuf::from(dir), data);
    }
    // The parameters of benches/load.rs, so both share one repository.
    let params = Params {
        teams: (components / 50).max(40),
        components,
        commits: 200,
        ..Params::default()
    };
    eprintln!("check: repository {} …", params.key());
    let generated =
        generated::ensure_repository(&params).expect("the generator writes the repository");
    (generated.path, params.dir.clone())
}
