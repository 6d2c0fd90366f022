//! Issue 17's scaling table, measured again in one run and printed beside
//! the figures the issue opened with, row for row.
//!
//!     cargo bench --bench scaling
//!
//! The repositories are the generator's (`demarc::synth`), made once into
//! `target/demarc-bench-cache/` and reused (the first run writes about
//! 2 GB and takes a few minutes more):
//!
//! | shape | teams | components | commits | used for |
//! |---|---|---|---|---|
//! | 2k | 40 | 2,000 | 2,000 | the 2k column |
//! | 20k x 2k | 400 | 20,000 | 2,000 | history memory, `who --at` |
//! | 20k | 400 | 20,000 | 20,000 | the 20k column |
//! | 20k x 100k | 400 | 20,000 | 100,000 | history memory and time, `who --at` |
//! | 200k | 4,000 | 200,000 | 2,000 | the 200k column |
//!
//! `DEMARC_BENCH_FRESH=1` generates them all again (and 200,000 x 20,000
//! into a temporary folder, removed after), so the generator's row is
//! measured too. Every demarc figure is a whole process of the release
//! binary (built by `cargo bench` itself), as a user runs it, except the
//! dashboard's, which is the `load` bench's harness (`benches/load/
//! dashboard.rs`: no terminal, every key's turn on the UI thread timed) in
//! a child process of its own, one per size, so that one size's memory is
//! not counted as another's. Peers run in the same run: `git log -p`,
//! `git status`, `cat`.

#[path = "support/alloc.rs"]
mod alloc;

#[path = "load/dashboard.rs"]
mod dashboard;
#[path = "support/generated.rs"]
mod generated;
#[path = "support/many_files.rs"]
mod many_files;
#[path = "support/process.rs"]
mod process;

use demarc::synth::Params;
use generated::{Generated, ensure_repository};
use process::Sample;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The data folder of every generated repository.
const DATA: &str = "ownership";
/// The moment typed into the dashboard's Triage "as of" (as `load` does).
const AS_OF: &str = "2025-06-01";

fn main() {
    generated::generate_if_child();
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--dashboard-child") {
        // SAFETY: set before any thread starts; the harness reads it once.
        unsafe { std::env::set_var("DEMARC_BENCH_STEPS", "0") };
        dashboard::run(Path::new(&args[i + 1]), DATA, AS_OF);
        return;
    }
    let started = Instant::now();
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_demarc"));
    let fresh = std::env::var("DEMARC_BENCH_FRESH").is_ok_and(|v| v == "1");
    let shapes = Shapes::ensure(fresh);
    let mut table = Table::default();

    let dash = [&shapes.small, &shapes.c20k, &shapes.c200k].map(|g| dashboard_child(&g.path));
    table.row(
        "dashboard: data on screen (peak memory of the run)",
        ["0.09 s", "0.76 s", "14–17 s, 2.8 GB"],
        dash.each_ref()
            .map(|d| format!("{:.2} s ({} MB)", d.data_on_screen_ms / 1e3, d.peak_mb)),
        "target ≤ 2 s and < 1 GB at 200k",
    );
    table.row(
        "dashboard: slowest search key / Components visit on the UI thread",
        ["—", "71 ms", "3.7 s, 3.6 s"],
        dash.each_ref()
            .map(|d| format!("{:.0} ms, {:.0} ms", d.search_key_ms, d.components_ms)),
        &format!(
            "target ≤ 50 ms; slowest of any key: {}",
            dash.each_ref()
                .map(|d| format!("{:.0} ms", d.slowest_key_ms))
                .join(" / ")
        ),
    );

    let history = |g: &Generated| run3(demarc(&bin, &g.path, &["history", "--json"]));
    let history_mem = [&shapes.c20k_2k, &shapes.c20k, &shapes.c20k_100k].map(history);
    table.row(
        "`history --json` peak, 20k comp. x 2k → 20k → 100k commits",
        ["", "123 → 269 → 941 MB", ""],
        [
            String::new(),
            history_mem
                .each_ref()
                .map(|s| format!("{} MB", s.peak_kb / 1024))
                .join(" → "),
            String::new(),
        ],
        "target ≤ 200 MB",
    );
    let git_log = |g: &Generated| run3(git(&g.path, &["log", "-p", "--", DATA]));
    let log_20k = git_log(&shapes.c20k);
    let per_commit =
        |s: &Sample, g: &Generated| s.wall.as_secs_f64() * 1e3 / g.data_commits.max(1) as f64;
    table.row(
        "`history`, per data commit (20k comp. x 20k)",
        ["", "1.63 ms", ""],
        [
            String::new(),
            format!("{:.2} ms", per_commit(&history_mem[1], &shapes.c20k)),
            String::new(),
        ],
        &format!(
            "`git log -p` {:.2} ms (issue: about 0.7 ms)",
            per_commit(&log_20k, &shapes.c20k)
        ),
    );
    let against_log = |ours: &Sample, log: &Sample| {
        format!(
            "{:.2}x ({:.2} / {:.2} s)",
            ratio(ours.wall, log.wall),
            ours.wall.as_secs_f64(),
            log.wall.as_secs_f64()
        )
    };
    let small_history = history(&shapes.small);
    let big_history = history(&shapes.c200k);
    let logs = [git_log(&shapes.small), log_20k, git_log(&shapes.c200k)];
    let log_100k = git_log(&shapes.c20k_100k);
    table.row(
        "`history --json` against `git log -p -- DIR`, wall",
        ["1.2–1.8x", "2.3x", "4.8x"],
        [
            against_log(&small_history, &logs[0]),
            against_log(&history_mem[1], &logs[1]),
            against_log(&big_history, &logs[2]),
        ],
        &format!(
            "target ≤ 1.5x; 20k x 100k commits: {}",
            against_log(&history_mem[2], &log_100k)
        ),
    );

    let who_at = |g: &Generated| who_pair(&bin, g);
    let who = [&shapes.c20k_2k, &shapes.c20k, &shapes.c20k_100k].map(who_at);
    let who_200k = who_at(&shapes.c200k);
    table.row(
        "`who --at` (against `who`), 20k comp. x 2k → 20k → 100k commits",
        ["", "0.74 → 0.84 → 1.69 s", ""],
        [
            String::new(),
            who.each_ref()
                .map(|(at, now)| {
                    format!(
                        "{:.2} s ({:.2}x)",
                        at.wall.as_secs_f64(),
                        ratio(at.cpu, now.cpu)
                    )
                })
                .join(" → "),
            format!(
                "{:.2} s ({:.2}x)",
                who_200k.0.wall.as_secs_f64(),
                ratio(who_200k.0.cpu, who_200k.1.cpu)
            ),
        ],
        "target ≤ 1.5x `who` (CPU, median of 7, turn about)",
    );

    let search = [&shapes.small, &shapes.c20k, &shapes.c200k]
        .map(|g| run3(demarc(&bin, &g.path, &["search", "checkout postgres"])));
    table.row(
        "`search` whole process (peak)",
        ["0.03 s", "0.27 s", "3.1 s, 709 MB"],
        search
            .each_ref()
            .map(|s| format!("{:.2} s, {} MB", s.wall.as_secs_f64(), s.peak_kb / 1024)),
        "",
    );

    let check = [&shapes.small, &shapes.c20k, &shapes.c200k].map(|g| {
        let check = run3(demarc(&bin, &g.path, &["check"]));
        let files = process::data_files(&g.path.join(DATA));
        let mut cat = Command::new("cat");
        cat.args(&files);
        let cat = run3(cat);
        (check, cat)
    });
    table.row(
        "`check` against `cat` of the same files (wall)",
        ["8x", "14x", "17x"],
        check.each_ref().map(|(check, cat)| {
            format!(
                "{:.1}x ({:.0} ms)",
                ratio(check.wall, cat.wall),
                check.wall.as_secs_f64() * 1e3
            )
        }),
        "target at 200k: `check` ≤ 1 s",
    );

    let worktree = [50_000, 100_000].map(|n| {
        let dir = many_files::build(n);
        let mut check = Command::new(&bin);
        check.arg("-C").arg(&dir).arg("check");
        let check = run3(check);
        let status = run3(git(&dir, &["status", "--porcelain"]));
        (check, status)
    });
    table.row(
        "work tree of 100,000 data files: `check` (50,000 → 100,000 files, CPU)",
        ["", "", "18.7 s, quadratic"],
        [
            String::new(),
            String::new(),
            format!(
                "{:.2} → {:.2} s ({:.2}x)",
                worktree[0].0.cpu.as_secs_f64(),
                worktree[1].0.cpu.as_secs_f64(),
                ratio(worktree[1].0.cpu, worktree[0].0.cpu)
            ),
        ],
        &format!(
            "`git status`: {:.2}x; linear is 2x",
            ratio(worktree[1].1.cpu, worktree[0].1.cpu)
        ),
    );

    let took = |g: &Generated| {
        g.took.map_or("cached".to_string(), |t| {
            format!("{:.0} s", t.as_secs_f64())
        })
    };
    let big_history_gen = fresh.then(generate_200k_20k);
    table.row(
        "generator: 20k comp. x 20k → 100k commits; 200k x 2k (and x 20k)",
        ["", "21 s → 163 s", "107 s"],
        [
            String::new(),
            format!("{} → {}", took(&shapes.c20k), took(&shapes.c20k_100k)),
            format!(
                "{}{}",
                took(&shapes.c200k),
                big_history_gen.map_or(String::new(), |t| format!(
                    " (x 20k: {:.0} s)",
                    t.as_secs_f64()
                ))
            ),
        ],
        "target: 200k x 20k within 3 min; `DEMARC_BENCH_FRESH=1` times it",
    );

    table.print();
    println!();
    for (label, g) in [
        ("2k", &shapes.small),
        ("20k x 2k", &shapes.c20k_2k),
        ("20k", &shapes.c20k),
        ("20k x 100k", &shapes.c20k_100k),
        ("200k", &shapes.c200k),
    ] {
        println!(
            "- {label}: HEAD {}, {} commits, {} of them change the data",
            g.head, g.commits, g.data_commits
        );
    }
    println!(
        "Load average at the end: {}; whole run {:.0} s; reproduce: cargo bench --bench scaling",
        process::load_average(),
        started.elapsed().as_secs_f64()
    );
}

/// The five generated repositories the table reads.
struct Shapes {
    small: Generated,
    c20k_2k: Generated,
    c20k: Generated,
    c20k_100k: Generated,
    c200k: Generated,
}

impl Shapes {
    fn ensure(fresh: bool) -> Shapes {
        let shape = |teams, components, commits| {
            let params = Params {
                teams,
                components,
                commits,
                ..Params::default()
            };
            if fresh {
                forget(&params);
            }
            eprintln!("scaling: repository {} …", params.key());
            ensure_repository(&params).expect("the generator writes the repository")
        };
        Shapes {
            small: shape(40, 2_000, 2_000),
            c20k_2k: shape(400, 20_000, 2_000),
            c20k: shape(400, 20_000, 20_000),
            c20k_100k: shape(400, 20_000, 100_000),
            c200k: shape(4_000, 200_000, 2_000),
        }
    }
}

/// Drops the cache's mark for `params`, so it is generated (and timed) again.
fn forget(params: &Params) {
    let root = generated::cache_root();
    let _ = std::fs::remove_file(root.join(format!("{}.done", params.key())));
}

/// Writes 200,000 components x 20,000 commits into a temporary folder:
/// the generator's target shape, too large to keep in the cache.
fn generate_200k_20k() -> Duration {
    let params = Params {
        teams: 4_000,
        components: 200_000,
        commits: 20_000,
        ..Params::default()
    };
    let dir = generated::cache_root().join("scaling-200k-20k.tmp");
    let _ = std::fs::remove_dir_all(&dir);
    let start = Instant::now();
    demarc::synth::generate(&dir, &params).expect("the generator writes the repository");
    let took = start.elapsed();
    let _ = std::fs::remove_dir_all(&dir);
    took
}

/// What the dashboard harness printed in its child process.
struct Dashboard {
    data_on_screen_ms: f64,
    peak_mb: u64,
    search_key_ms: f64,
    components_ms: f64,
    slowest_key_ms: f64,
}

fn dashboard_child(dir: &Path) -> Dashboard {
    eprintln!("scaling: dashboard on {} …", dir.display());
    let out = Command::new(std::env::current_exe().expect("this bench"))
        .arg("--dashboard-child")
        .arg(dir)
        .output()
        .expect("the dashboard child runs");
    assert!(out.status.success(), "the dashboard child failed");
    let text = String::from_utf8_lossy(&out.stdout);
    let number_after = |marker: &str| -> f64 {
        let line = text
            .lines()
            .find(|l| l.contains(marker))
            .unwrap_or_else(|| panic!("the harness printed no {marker:?}"));
        let rest = &line[line.find(marker).expect("found") + marker.len()..];
        let digits: String = rest
            .trim_start()
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        digits.parse().expect("a number")
    };
    // The slowest turn of the table rows whose label ends so, in any phase.
    let slowest_row = |ends: &str| -> f64 {
        text.lines()
            .filter_map(|l| {
                let cells: Vec<&str> = l.split('|').map(str::trim).collect();
                (cells.len() >= 5 && cells[1].ends_with(ends))
                    .then(|| cells[3].parse::<f64>().ok())
                    .flatten()
            })
            .fold(0.0, f64::max)
    };
    Dashboard {
        data_on_screen_ms: number_after("first frame with data):"),
        peak_mb: number_after("peak of the whole run:") as u64,
        search_key_ms: slowest_row("search: a key typed"),
        components_ms: slowest_row("Components: the tab"),
        slowest_key_ms: number_after("slowest key turn:"),
    }
}

/// How many times `who --at` and `who` run, turn about: their ratio is a
/// target (1.5x), and medians of three run one after the other moved it by
/// a tenth between quiet runs (round 10: 1.55x here, 1.38-1.44x in the
/// `check` bench's nine runs turn about).
const WHO_RUNS: usize = 7;

/// `who --json --at DAY` and plain `who --json` of one component, run turn
/// about `WHO_RUNS` times: the median of each; the day that of `HEAD~50`.
fn who_pair(bin: &Path, g: &Generated) -> (Sample, Sample) {
    let files = process::data_files(&g.path.join(DATA));
    let id = process::first_component_id(&files).expect("a component");
    let day = process::commit_day(&g.path, "HEAD~50").expect("50 commits");
    let mut at = demarc(bin, &g.path, &["--at", &day, "who", "--json", &id]);
    let mut now = demarc(bin, &g.path, &["who", "--json", &id]);
    let (mut ats, mut nows) = (Vec::new(), Vec::new());
    for _ in 0..WHO_RUNS {
        ats.push(run1(&mut at));
        nows.push(run1(&mut now));
    }
    let mut ats = ats.into_iter();
    let mut nows = nows.into_iter();
    (
        process::median_of(WHO_RUNS, || ats.next().expect("a run")),
        process::median_of(WHO_RUNS, || nows.next().expect("a run")),
    )
}

/// One run of `command`; a failed run stops the bench.
fn run1(command: &mut Command) -> Sample {
    let sample = process::run(command);
    assert!(sample.success, "{command:?} failed");
    sample
}

fn demarc(bin: &Path, dir: &Path, args: &[&str]) -> Command {
    process::demarc_on(bin, dir, DATA, args)
}

fn git(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new("git");
    command.arg("-C").arg(dir).args(args);
    command
}

/// The median of three runs of `command`; a failed run stops the bench.
fn run3(mut command: Command) -> Sample {
    let sample = process::median_of(3, || process::run(&mut command));
    assert!(sample.success, "{command:?} failed");
    sample
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}

/// The table, each cell "now (was then)".
#[derive(Default)]
struct Table {
    rows: Vec<String>,
}

impl Table {
    fn row(&mut self, what: &str, then: [&str; 3], now: [String; 3], note: &str) {
        let cell = |then: &str, now: &str| match (then.is_empty(), now.is_empty()) {
            (_, true) => then.to_string(),
            (true, false) => format!("**{now}**"),
            (false, false) => format!("**{now}** (was {then})"),
        };
        self.rows.push(format!(
            "| {what} | {} | {} | {} | {note} |",
            cell(then[0], &now[0]),
            cell(then[1], &now[1]),
            cell(then[2], &now[2])
        ));
    }

    fn print(&self) {
        println!("Issue 17's table: now (bold), and the figure the issue opened with");
        println!();
        println!("| what | 2k comp. | 20k | 200k | peer / note |");
        println!("|---|---|---|---|---|");
        for row in &self.rows {
            println!("{row}");
        }
    }
}
