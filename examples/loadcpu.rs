//! The bench's load (`repo::load` of the work tree, the previous result
//! freed inside the timing, as `benches/backstage.rs` does) with the main
//! thread's own CPU time beside the wall time: on a machine other builds
//! keep busy, the main thread's CPU is what the wall time would be on a
//! quiet one, less the waits for the other threads' shares.
//!
//! `cargo run --release --example loadcpu -- REPO DIR [RUNS]`
use demarc::repo::{self, Repo, Source};
use std::time::Instant;

/// This thread's time on a CPU, in ms (Linux's schedstat, nanoseconds).
fn thread_cpu_ms() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(f64::NAN, |ns| ns / 1e6)
}

/// The process's user + system time, in ms (clock ticks of 10 ms).
fn process_cpu_ms() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) * 10.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = std::path::Path::new(&args[1]);
    let dir = &args[2];
    let runs: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(9);
    let repo = Repo::open(path, Some(dir)).expect("open");
    let mut last = None;
    let (mut wall, mut main, mut all) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let (t0, c0, p0) = (Instant::now(), thread_cpu_ms(), process_cpu_ms());
        last = Some(repo::load(&repo, &Source::WorkTree).expect("load"));
        wall.push(t0.elapsed().as_secs_f64() * 1000.0);
        main.push(thread_cpu_ms() - c0);
        all.push(process_cpu_ms() - p0);
    }
    let n = last.map_or(0, |l| l.model.components.len());
    println!(
        "median of {runs}: wall {:.1} ms, main thread CPU {:.1} ms, process CPU {:.0} ms ({n} components)",
        median(wall),
        median(main),
        median(all)
    );
}
