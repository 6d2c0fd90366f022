//! Where the history walk's memory goes: the live heap (a counting
//! allocator) and the resident set after the first version is read, at the
//! walk's end, and the highest live heap seen, for the walk alone and for
//! the walk feeding a trends series (as the dashboard's walker does).
//!
//! `cargo run --release --example histmem -- REPO DATA_DIR [walk|trends]`

use demarc::history::{WalkOptions, Walker};
use demarc::repo::Repo;
use std::sync::atomic::Ordering;

#[path = "support/counting.rs"]
mod counting;
use counting::{LIVE, PEAK, rss_mb};

#[global_allocator]
static GLOBAL: counting::Counting = counting::Counting;

fn report(what: &str) {
    let (rss, hwm) = rss_mb();
    println!(
        "{what:<28} heap live {:>7.1} MB, heap peak {:>7.1} MB, RSS {rss:>7.1} MB, RSS peak {hwm:>7.1} MB",
        LIVE.load(Ordering::Relaxed) as f64 / 1e6,
        PEAK.load(Ordering::Relaxed) as f64 / 1e6,
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(path), Some(data)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: histmem REPO DATA_DIR [walk|trends]");
        std::process::exit(2);
    };
    let trends = args.get(3).is_some_and(|m| m == "trends");
    let repo = Repo::open(std::path::Path::new(path), Some(data)).expect("open");
    report("opened");
    let collector = std::cell::RefCell::new(demarc::trends::Collector::new(
        demarc::trends::By::Month,
        None,
    ));
    let mut walker = Walker::new(&repo, WalkOptions::default()).expect("walk");
    report("first version read");
    if trends {
        walker.observe(|v| collector.borrow_mut().observe(v));
    }
    let mut entries = 0;
    let mut batches = 0;
    while let Some(batch) = walker.next_batch().expect("batch") {
        entries += batch.entries.len();
        if trends {
            collector.borrow_mut().entries(&batch.entries);
        }
        batches += 1;
        if batches == 1 {
            report("first batch");
        }
    }
    report("walk over");
    let series = collector.borrow().series();
    println!("{entries} entries, {} periods", series.periods.len());
    drop(walker);
    report("walk dropped");
}
