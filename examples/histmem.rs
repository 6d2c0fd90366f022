//! Where the history walk's memory goes: the live heap (a counting
//! allocator) and the resident set after the first version is read, at the
//! walk's end, and the highest live heap seen, for the walk alone and for
//! the walk feeding a trends series (as the dashboard's walker does).
//!
//! `cargo run --release --example histmem -- REPO DATA_DIR [walk|trends]`

use demarc::history::{WalkOptions, Walker};
use demarc::repo::Repo;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size > layout.size() {
                let now = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed)
                    + (new_size - layout.size());
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn rss_mb() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
            / 1024.0
    };
    (field("VmRSS:"), field("VmHWM:"))
}

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
