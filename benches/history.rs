//! The history benchmark: a synthetic repository of 20,000 commits, of
//! which 2,000 touch a data folder of 2,000 files. Prints the time of the
//! full semantic history against `git log --format=%H -- data` on the same
//! repository in the same run, their ratio, the peak memory of the walk,
//! and the time to the first batch (the first screen of the History view).
//! Also the same walk feeding the trends series (`demarc trends`, the
//! dashboard's Trends tab), and what the series adds to it.
//!
//! The fair peer is `git log -p -- data`: it reads every changed blob too.
//! The whole `demarc history --json` (the binary, its output read through
//! a pipe) is timed against it, with its peak memory (from `wait4`).
//! Point `DEMARC_BENCH_REPO` at a generator repository (`cargo run
//! --release --example gen`) with `DEMARC_BENCH_DATA=ownership` to measure
//! the generator's shapes, review commits included.
//!
//! Run: `cargo bench --bench history` (needs the `git` command line).
//! `DEMARC_BENCH_COMMITS` and `DEMARC_BENCH_EVERY` change the size.
//!
//! The repository is written with `git fast-import`, so it is packed like
//! a real clone. Each measurement of the walk runs in a fresh child process
//! (this binary again), so its peak memory (VmHWM) is the walk's alone.

#[path = "support/alloc.rs"]
mod alloc;

use demarc::history::{self, WalkOptions, Walker};
use demarc::repo::Repo;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const TEAMS: usize = 100;
/// 3 top-level files + TEAMS teams + COMPONENTS components = 2,000 files.
const COMPONENTS: usize = 1897;

fn main() {
    if let Ok(spec) = std::env::var("DEMARC_BENCH_CHILD") {
        child(&spec);
        return;
    }
    let commits: usize = env_or("DEMARC_BENCH_COMMITS", 20_000);
    let every: usize = env_or("DEMARC_BENCH_EVERY", 10);
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("note: the history benchmark needs the git command line; skipped");
        return;
    }
    // DEMARC_BENCH_DIR keeps the generated repository there (built once,
    // reused). DEMARC_BENCH_REPO measures any repository instead, with its
    // data folder in DEMARC_BENCH_DATA (a demarc::synth one, say).
    let dir = tempfile::tempdir().expect("temp dir");
    let external = std::env::var("DEMARC_BENCH_REPO").ok().map(PathBuf::from);
    let data = std::env::var("DEMARC_BENCH_DATA").unwrap_or_else(|_| "data".to_string());
    let repo = match (&external, std::env::var("DEMARC_BENCH_DIR")) {
        (Some(path), _) => path.clone(),
        (None, Ok(d)) => PathBuf::from(d),
        (None, Err(_)) => dir.path().join("synthetic"),
    };
    let started = Instant::now();
    let reused = repo.join(".git").exists();
    let expected = if external.is_some() {
        None
    } else if reused {
        Some((commits - 1) / every + 1)
    } else {
        Some(generate(&repo, commits, every))
    };
    match (expected, &external) {
        (Some(data_commits), _) => println!(
            "synthetic repository: {commits} commits, {data_commits} touch data/ ({} files), {}",
            3 + TEAMS + COMPONENTS,
            if reused {
                format!("reused from {}", repo.display())
            } else {
                format!("built in {:.1?}", started.elapsed())
            }
        ),
        (None, _) => println!("repository {} (data folder {data})", repo.display()),
    }
    let mut git_log_commits = 0;
    let git_log = best_of(3, || {
        let t = Instant::now();
        let out = Command::new("git")
            .args(["log", "--format=%H", "--", &data])
            .current_dir(&repo)
            .output()
            .expect("git log");
        assert!(out.status.success());
        let n = out
            .stdout
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .count();
        if let Some(data_commits) = expected {
            assert_eq!(n, data_commits, "git log sees every data commit");
        }
        git_log_commits = n;
        t.elapsed()
    });

    let mut patch_bytes = 0;
    let git_log_p = best_of(3, || {
        let t = Instant::now();
        patch_bytes = drain(
            Command::new("git")
                .args(["log", "-p", "--no-color", "--format=%H", "--", &data])
                .current_dir(&repo),
        )
        .bytes;
        t.elapsed()
    });
    let mut cli_peak_kb = 0;
    let mut json_bytes = 0;
    let cli = best_of(3, || {
        let t = Instant::now();
        let run = drain(
            Command::new(env!("CARGO_BIN_EXE_demarc"))
                .arg("-C")
                .arg(&repo)
                .args(["--dir", &data, "history", "--json"]),
        );
        cli_peak_kb = cli_peak_kb.max(run.peak_kb);
        json_bytes = run.bytes;
        t.elapsed()
    });

    let mut peak_kb = 0;
    let mut entries = 0;
    let mut parsed = String::new();
    let mut full_cpu = u64::MAX;
    let full = best_of(3, || {
        let report = run_child(&repo, &data, "full");
        peak_kb = peak_kb.max(report.peak_kb);
        entries = report.entries;
        parsed = report.extra.clone();
        full_cpu = full_cpu.min(report.cpu_ms);
        report.elapsed
    });
    if let Some(data_commits) = expected {
        assert_eq!(entries, data_commits, "one history entry per data commit");
    }
    let mut first_cpu = u64::MAX;
    let first = best_of(5, || {
        let report = run_child(&repo, &data, "first");
        first_cpu = first_cpu.min(report.cpu_ms);
        report.elapsed
    });
    let mut trends_cpu = u64::MAX;
    let mut trends_peak = 0;
    let mut periods = String::new();
    let trends = best_of(3, || {
        let report = run_child(&repo, &data, "trends");
        trends_cpu = trends_cpu.min(report.cpu_ms);
        trends_peak = trends_peak.max(report.peak_kb);
        periods = report.extra.clone();
        report.elapsed
    });
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();

    println!(
        "git log --format=%H -- {data:<10} {:>9.1} ms  (best of 3; {git_log_commits} commits)",
        ms(git_log)
    );
    println!(
        "git log -p -- {data:<16} {:>9.1} ms  (best of 3; {:.1} MB of patches)",
        ms(git_log_p),
        patch_bytes as f64 / 1e6
    );
    println!(
        "demarc history --json (binary)     {:>9.1} ms  (best of 3; {:.1} MB of JSON; peak {:.1} MB, budget 200)",
        ms(cli),
        json_bytes as f64 / 1e6,
        cli_peak_kb as f64 / 1024.0
    );
    println!(
        "ratio (history --json / git log -p){:>9.2}  (budget: 1.50)",
        ms(cli) / ms(git_log_p)
    );
    println!(
        "demarc full semantic history       {:>9.1} ms  (best of 3; CPU {full_cpu} ms; {entries} entries; {parsed})",
        ms(full)
    );
    println!(
        "ratio (history / git log)          {:>9.2}  (budget: 3.00)",
        ms(full) / ms(git_log)
    );
    println!(
        "peak memory of the history walk    {:>9.1} MB  (budget: 200)",
        peak_kb as f64 / 1024.0
    );
    println!(
        "time to the first batch of 50      {:>9.1} ms  (budget: 100; best of 5; CPU {first_cpu} ms)",
        ms(first)
    );
    println!(
        "history walk + trends series       {:>9.1} ms  (best of 3; CPU {trends_cpu} ms; {periods}; peak {:.1} MB)",
        ms(trends),
        trends_peak as f64 / 1024.0
    );
    println!(
        "what the series adds to the walk   {:>9.1} ms  ({:+.0}%)",
        ms(trends) - ms(full),
        (ms(trends) / ms(full) - 1.0) * 100.0
    );
    println!("load average during the run: {}", load.trim());
}

/// What a command wrote to its stdout, read through a pipe as a reader
/// would, and its peak memory.
struct Drained {
    bytes: u64,
    peak_kb: u64,
}

fn drain(command: &mut Command) -> Drained {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut stdout = child.stdout.take().expect("stdout");
    let bytes = std::io::copy(&mut stdout, &mut std::io::sink()).expect("read");
    let (ok, peak_kb) = wait_with_peak(child);
    assert!(ok, "{command:?} failed");
    Drained { bytes, peak_kb }
}

/// Waits for `child`; its exit status and peak resident memory in KiB
/// (`ru_maxrss` of `wait4`, Linux).
fn wait_with_peak(child: std::process::Child) -> (bool, u64) {
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: a zeroed rusage is valid; wait4 fills it in for our child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let ok = waited == pid && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    (ok, usage.ru_maxrss as u64)
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn best_of(n: usize, mut f: impl FnMut() -> Duration) -> Duration {
    (0..n).map(|_| f()).min().unwrap_or_default()
}

struct Report {
    elapsed: Duration,
    cpu_ms: u64,
    entries: usize,
    peak_kb: u64,
    extra: String,
}

fn run_child(repo: &Path, data: &str, what: &str) -> Report {
    let out = Command::new(std::env::current_exe().expect("own path"))
        .env(
            "DEMARC_BENCH_CHILD",
            format!("{what}:{data}:{}", repo.display()),
        )
        .output()
        .expect("child");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "child failed: {text} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let field = |key: &str| {
        text.split_whitespace()
            .find_map(|w| w.strip_prefix(key))
            .unwrap_or_else(|| panic!("no {key} in {text}"))
            .to_string()
    };
    Report {
        elapsed: Duration::from_nanos(field("nanos=").parse().unwrap()),
        cpu_ms: field("cpu_ms=").parse().unwrap(),
        entries: field("entries=").parse().unwrap(),
        peak_kb: field("peak_kb=").parse().unwrap(),
        extra: match what {
            "trends" => format!(
                "{} months, {} quarters",
                field("months="),
                field("quarters=")
            ),
            _ => format!(
                "parsed {} files, {} cache hits",
                field("parsed="),
                field("hits=")
            ),
        },
    }
}

/// In the child: open the repository, walk, report. Opening is timed too.
fn child(spec: &str) {
    let mut parts = spec.splitn(3, ':');
    let (what, data, path) = match (parts.next(), parts.next(), parts.next()) {
        (Some(w), Some(d), Some(p)) => (w, d, p),
        _ => panic!("DEMARC_BENCH_CHILD is what:data:path"),
    };
    let t = Instant::now();
    let repo = Repo::open(Path::new(path), Some(data)).expect("open");
    let mut periods = None;
    let (entries, summary) = match what {
        "trends" => {
            // The dashboard's walker thread, without the channel: the walk
            // with a collector watching, both groupings of the series.
            let collector = std::cell::RefCell::new(demarc::trends::Collector::new(
                demarc::trends::By::Month,
                None,
            ));
            let mut walker = Walker::new(&repo, WalkOptions::default()).expect("walker");
            walker.observe(|v| collector.borrow_mut().observe(v));
            let mut entries = 0;
            while let Some(batch) = walker.next_batch().expect("batch") {
                collector.borrow_mut().entries(&batch.entries);
                entries += batch.entries.len();
            }
            let summary = walker.summary();
            drop(walker);
            let c = collector.into_inner();
            let months = c.series_by(demarc::trends::By::Month);
            let quarters = c.series_by(demarc::trends::By::Quarter);
            periods = Some((months.periods.len(), quarters.periods.len()));
            (entries, summary)
        }
        "first" => {
            let mut walker = Walker::new(&repo, WalkOptions::default()).expect("walker");
            let batch = walker.next_batch().expect("batch").expect("a batch");
            (batch.entries.len(), walker.summary())
        }
        _ => {
            // As `history --json` walks: each batch goes out and is dropped.
            let mut entries = 0;
            let summary = history::walk(&repo, WalkOptions::default(), |batch| {
                entries += batch.entries.len();
                std::ops::ControlFlow::Continue(())
            })
            .expect("history");
            (entries, summary)
        }
    };
    let elapsed = t.elapsed();
    let (months, quarters) = periods.unwrap_or_default();
    println!(
        "nanos={} cpu_ms={} entries={entries} peak_kb={} parsed={} hits={} months={months} quarters={quarters}",
        elapsed.as_nanos(),
        cpu_ms(),
        peak_kb(),
        summary.files_parsed,
        summary.cache_hits
    );
}

/// CPU time (user + system, all threads) of this process so far, in ms
/// (Linux; clock ticks of 10 ms).
fn cpu_ms() -> u64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let after = s.rsplit_once(')')?.1;
            let f: Vec<&str> = after.split_whitespace().collect();
            let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
            Some(ticks * 10)
        })
        .unwrap_or(0)
}

/// Peak resident memory of this process (Linux), in KiB.
fn peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

/// A team; `rev` names its rotation, so every on-call change is a change.
fn team(i: usize, rev: usize, hours: &str) -> String {
    format!(
        "name = \"Team {i}\"\nkind = \"platform\"\nlead = \"Lead {i}\"\n\n[oncall]\nrotation = \"t{i:03}-rotation-{rev}\"\npager = \"pd:T{i:03}\"\nhours = \"{hours}\"\nescalation = [\"t{i:03}-secondary\", \"head-of-platform\"]\n"
    )
}

fn component(i: usize, owner: usize, tier: usize) -> String {
    let consumer = (i * 7 + 3) % TEAMS;
    format!(
        "[[component]]\nid = \"c{i:04}\"\nname = \"Component {i}\"\nlayer = \"service\"\npillar = \"infrastructure\"\nowner = \"t{owner:03}\"\ntier = {tier}\nconsumers = [\"t{consumer:03}\"]\nreviewed = 2026-01-01\n\n[[component.duty]]\nparty = \"t{owner:03}\"\ncovers = [\"provisioning\", \"upgrades\", \"backups\"]\n\n[[component.duty]]\nparty = \"@consumers\"\ncovers = [\"schema\", \"queries\"]\n"
    )
}

/// Writes the repository with `git fast-import`; returns the data commits.
fn generate(repo: &Path, commits: usize, every: usize) -> usize {
    let ok = Command::new("git")
        .args(["init", "--quiet", "--initial-branch=main"])
        .arg(repo)
        .status()
        .expect("git init")
        .success();
    assert!(ok);
    let mut child = Command::new("git")
        .args(["fast-import", "--quiet"])
        .current_dir(repo)
        .stdin(Stdio::piped())
        .spawn()
        .expect("git fast-import");
    let mut out = BufWriter::new(child.stdin.take().expect("stdin"));
    let mut data_commits = 0;
    let mut owners: Vec<usize> = (0..COMPONENTS).map(|i| i % TEAMS).collect();
    let file = |out: &mut BufWriter<_>, path: &str, text: &str| {
        write!(out, "M 100644 inline {path}\ndata {}\n{text}\n", text.len()).unwrap();
    };
    for n in 0..commits {
        let time = 1_767_268_800 + n as i64 * 600;
        let touches_data = n.is_multiple_of(every);
        let message = if touches_data {
            format!("data change {n}")
        } else {
            format!("code change {n}")
        };
        write!(
            out,
            "commit refs/heads/main\nmark :{}\ncommitter Bench <bench@example.test> {time} +0000\ndata {}\n{message}\n",
            n + 1,
            message.len()
        )
        .unwrap();
        if n > 0 {
            writeln!(out, "from :{n}").unwrap();
        }
        if n == 0 {
            file(
                &mut out,
                "data/demarc.toml",
                "schema = 1\norg = \"Synthetic\"\n",
            );
            file(
                &mut out,
                "data/layers.toml",
                "[[layer]]\nid = \"service\"\nname = \"Service\"\n[layer.roles]\n\"@platform\" = \"owns\"\n",
            );
            file(
                &mut out,
                "data/pillars.toml",
                "[[pillar]]\nid = \"infrastructure\"\nname = \"Infrastructure\"\nprimary = [\"t000\"]\nboundary = \"Infrastructure API\"\n",
            );
            for i in 0..TEAMS {
                file(
                    &mut out,
                    &format!("data/teams/t{i:03}.toml"),
                    &team(i, 0, "24x7"),
                );
            }
            for (i, owner) in owners.iter().enumerate() {
                file(
                    &mut out,
                    &format!("data/components/c{i:04}.toml"),
                    &component(i, *owner, 2),
                );
            }
        } else if touches_data {
            // Mostly owner and tier changes; one in ten an on-call change.
            if n.is_multiple_of(every * 10) {
                let t = (n / every) % TEAMS;
                let hours = if (n / every).is_multiple_of(2) {
                    "business"
                } else {
                    "24x7"
                };
                file(
                    &mut out,
                    &format!("data/teams/t{t:03}.toml"),
                    &team(t, n, hours),
                );
            } else {
                let i = (n / every * 7919) % COMPONENTS;
                owners[i] = (owners[i] + 1 + n % 3) % TEAMS;
                file(
                    &mut out,
                    &format!("data/components/c{i:04}.toml"),
                    &component(i, owners[i], 1 + n % 4),
                );
            }
        } else {
            let f = n % 100;
            file(
                &mut out,
                &format!("src/file{f:02}.txt"),
                &format!("revision {n}\n"),
            );
        }
        if touches_data {
            data_commits += 1;
        }
    }
    drop(out);
    assert!(child.wait().expect("fast-import").success());
    let ok = Command::new("git")
        .args(["checkout", "--quiet", "main"])
        .current_dir(repo)
        .status()
        .expect("git checkout")
        .success();
    assert!(ok);
    data_commits
}
