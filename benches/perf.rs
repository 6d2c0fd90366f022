//! demarc's benchmark: how fast it loads, checks and draws a large
//! ownership repository, with figures anyone can reproduce.
//!
//!     cargo bench --bench perf                 # small and large repositories
//!     cargo bench --bench perf -- --only small
//!
//! Repositories are generated once by `demarc::synth` into
//! `target/demarc-bench-cache/<parameters>` and reused when present, so a
//! warm run measures demarc, not the generator. Figures are medians of
//! several runs; peak memory is the child's maximum resident set size as
//! the kernel counts it (`wait4`). Prints a Markdown table.

#[path = "support/alloc.rs"]
mod alloc;

use demarc::app::keymap::Keymap;
use demarc::app::{App, Tab};
use demarc::history::{self, WalkOptions, Walker};
use demarc::model;
use demarc::repo::{self, Repo, Source};
use demarc::search::{Index, Searcher};
use demarc::synth::Params;
use demarc::ui::{self, theme::Theme};
use ratatui::{Terminal, backend::TestBackend};
use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[path = "support/generated.rs"]
mod generated;
use generated::{Generated, ensure_repository};

struct Case {
    label: &'static str,
    params: Params,
    runs: usize,
    /// The whole history is walked this many times (it takes seconds on
    /// the large repository).
    history_runs: usize,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            label: "small",
            params: Params {
                teams: 40,
                components: 2_000,
                commits: 2_000,
                data_share: 0.1,
                ..Params::default()
            },
            runs: 9,
            history_runs: 3,
        },
        Case {
            label: "large",
            params: Params {
                teams: 400,
                components: 20_000,
                commits: 20_000,
                data_share: 0.1,
                ..Params::default()
            },
            runs: 5,
            history_runs: 1,
        },
    ]
}

/// One row of the table: a figure per case, and the target if there is one.
struct Row {
    what: String,
    figures: Vec<String>,
    target: &'static str,
}

fn main() {
    generated::generate_if_child();
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some(MEASURE_CHILD) {
        measure_child(&args[2], &args[3..]);
    }
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let cases: Vec<Case> = cases()
        .into_iter()
        .filter(|c| only.as_deref().is_none_or(|o| o == c.label))
        .collect();
    let started = Instant::now();
    let mut columns: Vec<Vec<(String, String, &'static str)>> = Vec::new();
    for case in &cases {
        eprintln!("perf: {} repository…", case.label);
        let generated = match ensure_repository(&case.params) {
            Ok(g) => g,
            Err(e) => {
                eprintln!("perf: cannot generate the {} repository: {e}", case.label);
                std::process::exit(2);
            }
        };
        columns.push(measure(case, &generated));
    }
    // Columns to rows: every case measures the same things in the same order.
    let mut rows: Vec<Row> = Vec::new();
    for (i, (what, _, target)) in columns
        .first()
        .map(|c| c.as_slice())
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        rows.push(Row {
            what: what.clone(),
            figures: columns.iter().map(|c| c[i].1.clone()).collect(),
            target,
        });
    }
    print!("{}", render_table(&cases, &rows));
    println!();
    println!("Machine: {}", machine());
    // Other work on the machine slows every figure; say how busy it was.
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        let load: Vec<&str> = load.split_whitespace().take(3).collect();
        println!(
            "Load average at the end (1, 5, 15 min): {}",
            load.join(", ")
        );
    }
    println!(
        "Reproduce: cargo bench --bench perf   (whole run {:.0} s)",
        started.elapsed().as_secs_f64()
    );
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// Median wall and CPU time of some runs. CPU time (all threads of this
/// process) says what the work costs when other jobs share the cores.
#[derive(Clone, Copy)]
struct Timing {
    wall: Duration,
    cpu: Duration,
}

fn process_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec we pass.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

fn time_runs<T>(runs: usize, mut f: impl FnMut() -> T) -> Timing {
    let (mut walls, mut cpus) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let (t0, c0) = (Instant::now(), process_cpu_time());
        std::hint::black_box(f());
        walls.push(t0.elapsed());
        cpus.push(process_cpu_time().saturating_sub(c0));
    }
    Timing {
        wall: median(walls),
        cpu: median(cpus),
    }
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.2}")
    } else {
        format!("{ms:.0}")
    }
}

/// "wall (cpu N)".
fn both(t: Timing) -> String {
    format!("{} (cpu {})", ms(t.wall), ms(t.cpu))
}

fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn measure(case: &Case, g: &Generated) -> Vec<(String, String, &'static str)> {
    let runs = case.runs;
    let dir = case.params.dir.as_str();
    let mut out: Vec<(String, String, &'static str)> = Vec::new();
    let mut row = |what: &str, figure: String, target: &'static str| {
        out.push((what.to_string(), figure, target))
    };

    let repo = Repo::open(&g.path, Some(dir)).expect("the generated repository opens");
    let head_snapshot = repo
        .snapshot(&Source::Rev("HEAD".into()))
        .expect("HEAD reads");
    // Judge reviews as of HEAD's date, so the findings (and check's time)
    // do not drift with the calendar.
    let today = match &head_snapshot.origin {
        repo::Origin::Commit(info) => info.time.date_naive(),
        _ => unreachable!("a commit snapshot"),
    };
    let loaded = repo::load_snapshot(head_snapshot.clone(), today);
    assert_eq!(
        loaded.errors(),
        0,
        "the generated repository has check errors"
    );
    let bytes: usize = head_snapshot.files.iter().map(|f| f.bytes.len()).sum();

    row(
        "teams / components",
        format!(
            "{} / {}",
            count(loaded.model.teams.len()),
            count(loaded.model.components.len())
        ),
        "",
    );
    row(
        "data files (MB of TOML)",
        format!("{} ({:.1})", count(loaded.files.len()), bytes as f64 / 1e6),
        "",
    );
    row(
        "commits (changing the data)",
        format!("{} ({})", count(g.commits), count(g.data_commits)),
        "",
    );
    // The generator is deterministic: everyone gets this same commit.
    row(
        "HEAD commit",
        format!("`{}`", g.head.get(..12).unwrap_or(&g.head)),
        "",
    );
    row(
        "generation, s",
        g.took
            .map_or("cached".to_string(), |d| format!("{:.1}", d.as_secs_f64())),
        "",
    );

    let work_tree = time_runs(runs, || {
        repo.snapshot(&Source::WorkTree).expect("work tree reads")
    });
    row("read work tree, ms (CPU ms)", both(work_tree), "");
    let head = time_runs(runs, || {
        repo.snapshot(&Source::Rev("HEAD".into()))
            .expect("HEAD reads")
    });
    row("read HEAD's tree, ms (CPU ms)", both(head), "");
    let files: Vec<(&str, &[u8])> = head_snapshot
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.bytes.as_slice()))
        .collect();
    let parse = time_runs(runs, || model::parse_all(files.iter().copied()));
    row("parse, ms (CPU ms)", both(parse), "");
    // What parse_all would take if it spread files over the cores: the
    // same per-file parse and the same assemble, files dealt round-robin.
    let parse_parallel = time_runs(runs, || parse_on_all_cores(&files));
    row(
        "parse on all cores (parse_file per thread + assemble), ms (CPU ms)",
        both(parse_parallel),
        "",
    );
    let check = time_runs(runs, || model::check(&loaded.model, today));
    row("check, ms (CPU ms)", both(check), "");
    let whole = time_runs(runs, || {
        let repo = Repo::open(&g.path, Some(dir)).expect("opens");
        let snapshot = repo.snapshot(&Source::WorkTree).expect("work tree reads");
        repo::load_snapshot(snapshot, today)
    });
    row(
        "open + read work tree + parse + check, ms (CPU ms)",
        both(whole),
        "≤ 300 (large)",
    );

    let (entries, median_key, worst_key) = search_typing(&loaded.model, runs);
    row("search index entries", count(entries), "");
    row(
        &format!("search per keystroke typing \"{TYPED}\", median / worst, ms (CPU ms)"),
        format!("{} / {}", both(median_key), both(worst_key)),
        "",
    );

    let first_batch = time_runs(runs.min(3), || {
        let mut walker = Walker::new(&repo, WalkOptions::default()).expect("history walks");
        walker.next_batch().expect("a first batch")
    });
    row(
        "history: first batch (50 entries), ms (CPU ms)",
        both(first_batch),
        "",
    );
    let mut history_entries = 0;
    let mut walked = None;
    let history = time_runs(case.history_runs, || {
        let (entries, summary) =
            history::collect(&repo, WalkOptions::default()).expect("history walks");
        history_entries = entries.len();
        walked = Some((entries, summary.progress));
    });
    row(
        "history entries (commits that changed the data)",
        count(history_entries),
        "",
    );
    row("history: whole, ms (CPU ms)", both(history), "");
    // The dashboard's walker thread: the same walk feeding the trends
    // series (the Trends tab, `demarc trends`), both groupings built.
    let mut trends = None;
    let with_trends = time_runs(case.history_runs, || {
        let collector = std::cell::RefCell::new(demarc::trends::Collector::new(
            demarc::trends::By::Month,
            None,
        ));
        let mut walker = Walker::new(&repo, WalkOptions::default()).expect("history walks");
        walker.observe(|v| collector.borrow_mut().observe(v));
        while let Some(batch) = walker.next_batch().expect("a batch") {
            collector.borrow_mut().entries(&batch.entries);
        }
        drop(walker);
        let c = collector.into_inner();
        trends = Some(demarc::app::msg::TrendsData {
            month: c.series_by(demarc::trends::By::Month),
            quarter: c.series_by(demarc::trends::By::Quarter),
            done: true,
        });
    });
    row(
        &format!(
            "history + trends series ({} months): whole, ms (CPU ms)",
            trends.as_ref().map_or(0, |t| t.month.periods.len())
        ),
        both(with_trends),
        "",
    );

    let loading = time_runs(runs, || first_frame_loading(&g.path, dir));
    row(
        "dashboard: first frame (open, draw \"loading\"; the loader works on a thread), ms (CPU ms)",
        both(loading),
        "≤ 150 (large)",
    );
    let first = time_runs(runs, || first_frame(&g.path, dir));
    row(
        "dashboard: first frame with data (open, load, check, indexes, draw), ms (CPU ms)",
        both(first),
        "",
    );
    let mut app = App::new(Keymap::default());
    app.resize(FRAME.0, FRAME.1);
    app.on_loaded(Ok(loaded.clone()));
    if let Some((entries, progress)) = walked.take() {
        app.start_history();
        app.take_requests();
        let generation = app.data().walk.generation;
        app.on_history_batch(generation, entries, progress);
        if let Some(data) = trends.take() {
            app.on_trends(generation, data);
        }
        app.on_history_end(generation, None);
    }
    let mut terminal = Terminal::new(TestBackend::new(FRAME.0, FRAME.1)).expect("a test terminal");
    for tab in Tab::ALL {
        app.show(tab);
        let mut draw = || {
            terminal
                .draw(|frame| ui::draw(frame, &app, &Theme::default_dark()))
                .expect("a frame draws");
        };
        // The first frame of a view may sort or lay out what later frames reuse.
        let cold = time_runs(1, &mut draw);
        let warm = time_runs(runs.max(9), &mut draw);
        row(
            &format!(
                "dashboard: {} view frame, first / then, ms (CPU ms)",
                tab.title()
            ),
            format!("{} / {}", both(cold), both(warm)),
            "≤ 4",
        );
    }
    let git_log = time_runs(3.min(runs), || git_log(&g.path, dir));
    row(
        &format!("`git log --format=%H -- {dir}`, ms"),
        ms(git_log.wall),
        "",
    );
    row(
        "history / git log (wall)",
        format!(
            "{:.1}x",
            history.wall.as_secs_f64() / git_log.wall.as_secs_f64()
        ),
        "",
    );

    let (check_time, check_peak) = whole_process(&g.path, dir, &["check"], runs.min(5));
    row("`demarc check` process, ms (CPU ms)", both(check_time), "");
    row(
        "`demarc check` peak memory, MB",
        format!("{:.0}", check_peak as f64 / 1e6),
        "≤ 150 (large)",
    );
    let (history_time, history_peak) =
        whole_process(&g.path, dir, &["history", "--json"], case.history_runs);
    row(
        "`demarc history --json` process, ms (CPU ms)",
        both(history_time),
        "",
    );
    row(
        "`demarc history --json` peak memory, MB",
        format!("{:.0}", history_peak as f64 / 1e6),
        "",
    );
    out
}

/// The terminal size the frames are drawn at.
const FRAME: (u16, u16) = (160, 48);

/// What `demarc` draws first: the repository opened, the loader started
/// on its worker (not timed here: it runs beside), the frame drawn before
/// any data arrives.
fn first_frame_loading(path: &Path, dir: &str) -> Terminal<TestBackend> {
    let repo = Repo::open(path, Some(dir)).expect("opens");
    let mut app = App::new(Keymap::default());
    app.resize(FRAME.0, FRAME.1);
    let mut terminal = Terminal::new(TestBackend::new(FRAME.0, FRAME.1)).expect("a test terminal");
    terminal
        .draw(|frame| ui::draw(frame, &app, &Theme::default_dark()))
        .expect("a frame draws");
    drop(repo);
    terminal
}

/// From nothing to the first frame that shows the data, as `demarc` does at
/// start: open, load the work tree (parse and check), build the dashboard's
/// indexes, draw. History loads after it, on a worker.
fn first_frame(path: &Path, dir: &str) -> Terminal<TestBackend> {
    let repo = Repo::open(path, Some(dir)).expect("opens");
    let loaded = repo::load(&repo, &Source::WorkTree).expect("loads");
    let mut app = App::new(Keymap::default());
    app.resize(FRAME.0, FRAME.1);
    app.on_loaded(Ok(loaded));
    let mut terminal = Terminal::new(TestBackend::new(FRAME.0, FRAME.1)).expect("a test terminal");
    terminal
        .draw(|frame| ui::draw(frame, &app, &Theme::default_dark()))
        .expect("a frame draws");
    terminal
}

/// What the search rows type, one keystroke at a time.
const TYPED: &str = "checkout postgres";

/// Types TYPED into a searcher over the model's index `rounds` times, a
/// fresh start each round; (entries, median keystroke, worst keystroke).
fn search_typing(model: &model::Model, rounds: usize) -> (usize, Timing, Timing) {
    let mut searcher = Searcher::new(Index::build(model));
    let entries = searcher.index().len();
    let mut samples: Vec<Timing> = Vec::new();
    for _ in 0..rounds {
        searcher.clear_steps();
        for end in 1..=TYPED.len() {
            samples.push(time_runs(1, || searcher.search(&TYPED[..end], 50)));
        }
    }
    let pick = |samples: &mut Vec<Timing>, at: fn(usize) -> usize| {
        samples.sort_by_key(|t| t.wall);
        let wall = samples[at(samples.len())].wall;
        samples.sort_by_key(|t| t.cpu);
        let cpu = samples[at(samples.len())].cpu;
        Timing { wall, cpu }
    };
    let median = pick(&mut samples, |n| n / 2);
    let worst = pick(&mut samples, |n| n - 1);
    (entries, median, worst)
}

fn parse_on_all_cores(files: &[(&str, &[u8])]) -> model::Model {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let parsed: Vec<Arc<model::ParsedFile>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    files
                        .iter()
                        .skip(t)
                        .step_by(threads)
                        .map(|(path, bytes)| Arc::new(model::parse_file(path, bytes)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a parse thread"))
            .collect()
    });
    model::assemble(&parsed)
}

/// `git log --format=%H -- DIR`: what the semantic history is compared with.
fn git_log(path: &Path, dir: &str) -> usize {
    let output = Command::new("git")
        .args(["log", "--format=%H", "--", dir])
        .current_dir(path)
        .stderr(Stdio::null())
        .output()
        .expect("git runs");
    output
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .count()
}

/// Median wall time and the largest peak resident set (bytes) of running
/// the release binary `runs` times.
///
/// A child's `ru_maxrss` on Linux starts from its parent's resident set at
/// fork time, and this process holds a large repository in memory; so a
/// fresh, small copy of this binary (`--measure-child`) spawns demarc and
/// reports what wait4 says about it.
fn whole_process(path: &Path, dir: &str, args: &[&str], runs: usize) -> (Timing, u64) {
    let mut walls = Vec::new();
    let mut cpus = Vec::new();
    let mut peak = 0;
    let exe = std::env::current_exe().expect("the bench knows its own path");
    for _ in 0..runs {
        let output = Command::new(&exe)
            .arg(MEASURE_CHILD)
            .arg(env!("CARGO_BIN_EXE_demarc"))
            .arg("-C")
            .arg(path)
            .args(["--dir", dir])
            .args(args)
            .stderr(Stdio::inherit())
            .output()
            .expect("the measuring child runs");
        let text = String::from_utf8_lossy(&output.stdout);
        let fields: Vec<u64> = text
            .split_whitespace()
            .filter_map(|f| f.parse().ok())
            .collect();
        let [status, rss, nanos, cpu_nanos] = fields[..] else {
            panic!("the measuring child printed {text:?}");
        };
        assert!(
            status == 0 || status == 1,
            "demarc {args:?} exited with {status}"
        );
        walls.push(Duration::from_nanos(nanos));
        cpus.push(Duration::from_nanos(cpu_nanos));
        peak = peak.max(rss);
    }
    let timing = Timing {
        wall: median(walls),
        cpu: median(cpus),
    };
    (timing, peak)
}

const MEASURE_CHILD: &str = "--measure-child";

/// `perf --measure-child PROGRAM ARGS…`: runs the program with its output
/// discarded and prints `exit-code peak-rss-bytes wall-ns cpu-ns`.
// The child is reaped by wait4 in wait_with_peak, not by Child::wait.
#[allow(clippy::zombie_processes)]
fn measure_child(program: &str, args: &[String]) -> ! {
    let t0 = Instant::now();
    let child = Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the program runs");
    let (status, rss, cpu) = wait_with_peak(child.id());
    println!(
        "{status} {rss} {} {}",
        t0.elapsed().as_nanos(),
        cpu.as_nanos()
    );
    std::process::exit(0);
}

/// Reaps the child with wait4, which reports its peak resident set size
/// exactly (polling /proc can miss the peak of a short run).
/// Also returns the child's CPU time (user + system).
fn wait_with_peak(pid: u32) -> (u64, u64, Duration) {
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain data the kernel fills in; the pid is our child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid as libc::pid_t, "wait4 failed");
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status) as u64
    } else {
        u64::MAX
    };
    // Linux reports ru_maxrss in kilobytes.
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    let cpu = tv(usage.ru_utime) + tv(usage.ru_stime);
    (code, usage.ru_maxrss as u64 * 1024, cpu)
}

fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    format!(
        "{cores} cores, {cpu}, {} {}",
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

fn render_table(cases: &[Case], rows: &[Row]) -> String {
    let mut header = vec!["".to_string()];
    header.extend(cases.iter().map(|c| {
        format!(
            "{} ({} teams, {} components, {} commits)",
            c.label,
            count(c.params.teams),
            count(c.params.components),
            count(c.params.commits)
        )
    }));
    header.push("target".into());
    let mut out = String::new();
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(header.len()));
    for row in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            row.what,
            row.figures.join(" | "),
            row.target
        );
    }
    out
}
