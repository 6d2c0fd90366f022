//! Where the dashboard's memory goes (issue 17, round 8): the live heap (a
//! counting allocator over the allocator `demarc` runs with) and the resident set.
//!
//!     cargo run --release --example dashmem -- REPO parts   # each index's heap
//!     cargo run --release --example dashmem -- REPO walk    # the walk's, the since maps'
//!     DEMARC_BENCH_STEPS=0 cargo run --release --example dashmem -- REPO run
//!         # the load bench's dashboard, heap and RSS every 250 ms on stderr
//!
//! REPO is a generated repository (`--dir ownership`).
use demarc::repo::{Repo, Source};
use std::sync::atomic::Ordering;
use std::time::Instant;

#[path = "../benches/load/dashboard.rs"]
#[allow(dead_code)]
mod dashboard;

#[path = "support/counting.rs"]
mod counting;
use counting::{LIVE, PEAK, rss_mb as rss};

#[global_allocator]
static GLOBAL: counting::Counting = counting::Counting;

fn live() -> f64 {
    LIVE.load(Ordering::Relaxed) as f64 / 1e6
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::PathBuf::from(&args[1]);
    let mode = args.get(2).map(String::as_str).unwrap_or("parts");
    if mode == "parts" {
        parts(&dir);
        return;
    }
    if mode == "walk" {
        walk(&dir);
        return;
    }
    if mode == "asof" {
        asof(&dir);
        return;
    }
    let start = Instant::now();
    std::thread::spawn(move || {
        loop {
            let (r, h) = rss();
            let (anon, file) = rss_parts();
            let je = jemalloc_counters();
            eprintln!(
                "t {:6.2} heap {:7.1} peakheap {:7.1} rss {:7.1} hwm {:7.1} anon {anon:7.1} file {file:6.1} {je}",
                start.elapsed().as_secs_f64(),
                live(),
                PEAK.load(Ordering::Relaxed) as f64 / 1e6,
                r,
                h
            );
            std::thread::sleep(std::time::Duration::from_millis(250));
        }
    });
    dashboard::run(&dir, "ownership", "2025-06-01");
    let (r, h) = rss();
    eprintln!(
        "end heap {:.1} peakheap {:.1} rss {r:.1} hwm {h:.1}",
        live(),
        PEAK.load(Ordering::Relaxed) as f64 / 1e6
    );
}

/// jemalloc's own counters: what it handed out (size classes rounded up),
/// the pages those occupy, and the pages it holds resident.
#[cfg(target_os = "linux")]
fn jemalloc_counters() -> String {
    use tikv_jemalloc_ctl::{epoch, stats};
    let _ = epoch::advance();
    let mb = |x: Result<usize, tikv_jemalloc_ctl::Error>| x.unwrap_or(0) as f64 / 1e6;
    format!(
        "je alloc {:7.1} active {:7.1} resident {:7.1} meta {:6.1}",
        mb(stats::allocated::read()),
        mb(stats::active::read()),
        mb(stats::resident::read()),
        mb(stats::metadata::read())
    )
}

#[cfg(not(target_os = "linux"))]
fn jemalloc_counters() -> String {
    String::new()
}

/// The resident set's anonymous and file-backed parts, in MB: the pack
/// files libgit2 maps count as the latter.
fn rss_parts() -> (f64, f64) {
    counting::status_mb(["RssAnon:", "RssFile:"])
}

/// Prints, at each step, what the live heap grew by since the last one.
fn stepper() -> impl FnMut(&str) {
    let mut last = live();
    move |what: &str| {
        let now = live();
        let (r, _) = rss();
        let (anon, file) = rss_parts();
        println!(
            "{what:<40} +{:8.1} MB  (live {now:7.1}, rss {r:7.1}: anon {anon:7.1}, file {file:6.1})",
            now - last
        );
        last = now;
    }
}

fn parts(dir: &std::path::Path) {
    use demarc::model::facts::Facts;
    let repo = Repo::open(dir, Some("ownership")).unwrap();
    let mut step = stepper();
    step("start");
    let fa =
        demarc::repo::load_for_answers_with(&repo, &Source::WorkTree, demarc::repo::Checks::Skip)
            .unwrap();
    step("load (model + loaded)");
    let model = &fa.loaded.model;
    slack(model);
    let later = fa.deferred_check();
    let mut facts = Facts::build(model);
    step("Facts::build");
    facts.prepared = demarc::dashboard::loader::prepare(model, &facts);
    step("prepare");
    let index = demarc::search::Index::build(model);
    step("search Index::build");
    let (findings, by) = later.unwrap().findings_by_subject(&fa.loaded);
    step("check findings + by subject");
    drop(by);
    step(" - drop by_subject");
    drop(findings);
    step(" - drop findings");
    drop(index);
    step(" - drop index");
    drop(facts);
    step(" - drop facts");
    drop(fa);
    step(" - drop loaded");
}

fn walk(dir: &std::path::Path) {
    use demarc::history::ownership::{SinceTracker, merge_into};
    use demarc::history::{WalkOptions, Walker};
    let repo = Repo::open(dir, Some("ownership")).unwrap();
    let mut step = stepper();
    step("start");
    // As the dashboard walks.
    let options = WalkOptions {
        pack_cache_bytes: demarc::dashboard::walker::PACK_CACHE_BYTES,
        ..WalkOptions::default()
    };
    let mut walker = Walker::new(&repo, options).unwrap();
    step("Walker::new (first version)");
    let mut entries = Vec::new();
    let mut tracker = SinceTracker::default();
    let mut owners = std::collections::HashMap::new();
    let mut oncalls = std::collections::HashMap::new();
    let mut first = true;
    let mut walk_growth = 0.0;
    let mut entries_growth = 0.0;
    let mut since_growth = 0.0;
    while let Some(batch) = {
        let a = live();
        if first {
            PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
        }
        let b = walker.next_batch().unwrap();
        if first {
            println!(
                "first batch's live peak: +{:.1} MB over its start",
                PEAK.load(Ordering::Relaxed) as f64 / 1e6 - a
            );
        }
        walk_growth += live() - a;
        b
    } {
        let a = live();
        let since = tracker.next(&batch.entries);
        let b = live();
        merge_into(&mut owners, since.owners);
        merge_into(&mut oncalls, since.oncalls);
        since_growth += live() - b;
        entries.extend(batch.entries);
        entries_growth += b - a;
        if first {
            step("first batch: entries + since");
            first = false;
        }
    }
    step("walk over");
    println!(
        "walker growth {walk_growth:.1}, since (tracker) {entries_growth:.1}, maps {since_growth:.1}; {} entries, {} owners",
        entries.len(),
        owners.len()
    );
    drop(walker);
    step("drop walker");
    drop(owners);
    drop(oncalls);
    step("drop since maps");
    drop(tracker);
    step("drop tracker");
    drop(entries);
    step("drop entries");
}

/// The Triage "as of" read alone, after a load of the work tree (as the
/// dashboard's loader does them): what it holds, and what libgit2 keeps.
fn asof(dir: &std::path::Path) {
    let at = std::env::var("DEMARC_BENCH_AT").unwrap_or_else(|_| "2025-06-01".into());
    let repo = Repo::open(dir, Some("ownership")).unwrap();
    let mut step = stepper();
    step("start");
    let now =
        demarc::repo::load_for_answers_with(&repo, &Source::WorkTree, demarc::repo::Checks::Skip)
            .unwrap();
    step("the work tree (model, unchecked)");
    let when = demarc::repo::When::parse(&at).unwrap();
    let snapshot = repo.snapshot(&Source::At(when.clone())).unwrap();
    step("the snapshot as of (bytes)");
    drop(snapshot);
    step(" - drop it");
    let event = demarc::dashboard::loader::read_aside(&repo, demarc::app::msg::Aside::Then(when));
    step("read_aside (as the loader does)");
    drop(event);
    step(" - drop its answer");
    let peak_from = |what: &'static str| {
        let base = LIVE.load(Ordering::Relaxed);
        PEAK.store(base, Ordering::Relaxed);
        move || {
            println!(
                "{what:<40}  peak +{:8.1} MB over its start",
                (PEAK.load(Ordering::Relaxed) - base) as f64 / 1e6
            )
        }
    };
    let when = demarc::repo::When::parse(&at).unwrap();
    let done = peak_from("  load unchecked");
    let mut fa = demarc::repo::load_for_answers_with(
        &repo,
        &Source::At(when.clone()),
        demarc::repo::Checks::Skip,
    )
    .unwrap();
    done();
    step("load_for_answers, Checks::Skip");
    let done = peak_from("  check");
    fa.ensure_checked();
    done();
    step("ensure_checked");
    drop(fa);
    step(" - drop it");
    let done = peak_from("  read_aside");
    let event = demarc::dashboard::loader::read_aside(&repo, demarc::app::msg::Aside::Then(when));
    done();
    drop(event);
    if let Some(git) = repo.git() {
        demarc::repo::release_pack_caches(git);
    }
    step(" - release libgit2's pack caches");
    drop(now);
    step(" - drop the work tree");
}

/// Bytes held beyond what is used, by field, in the model's components.
pub fn slack(model: &demarc::model::Model) {
    use std::mem::size_of;
    let mut rows: Vec<(&str, usize, usize)> = Vec::new();
    let mut add =
        |name: &'static str, used: usize, cap: usize| match rows.iter_mut().find(|r| r.0 == name) {
            Some(r) => {
                r.1 += used;
                r.2 += cap;
            }
            None => rows.push((name, used, cap)),
        };
    for c in &model.components {
        let s = |x: &String| (x.len(), x.capacity());
        for (n, (u, k)) in [
            ("id", s(&c.id)),
            ("name", s(&c.name)),
            ("owner", s(&c.owner)),
            ("location.file", s(&c.location.file)),
        ] {
            add(n, u, k);
        }
        add(
            "consumers vec",
            c.consumers.len() * 24,
            c.consumers.capacity() * 24,
        );
        add("tags vec", c.tags.len() * 24, c.tags.capacity() * 24);
        add(
            "tags str",
            c.tags.iter().map(|t| t.len()).sum(),
            c.tags.iter().map(|t| t.capacity()).sum(),
        );
        add(
            "duties vec",
            c.duties.len() * size_of::<demarc::model::Duty>(),
            c.duties.capacity() * size_of::<demarc::model::Duty>(),
        );
        for d in &c.duties {
            add("covers vec", d.covers.len() * 24, d.covers.capacity() * 24);
        }
        add("paths vec", c.paths.len() * 24, c.paths.capacity() * 24);
        add(
            "path_locations vec",
            c.path_locations.len() * size_of::<demarc::model::Location>(),
            c.path_locations.capacity() * size_of::<demarc::model::Location>(),
        );
        for l in &c.path_locations {
            add("path_locations file", l.file.len(), l.file.capacity());
        }
        add(
            "paths str",
            c.paths.iter().map(|t| t.len()).sum(),
            c.paths.iter().map(|t| t.capacity()).sum(),
        );
        if let Some(r) = &c.runbook {
            add("runbook", r.len(), r.capacity());
        }
        if let Some(r) = &c.repo {
            add("repo", r.len(), r.capacity());
        }
    }
    println!(
        "Component size {} B, {} components, vec cap {}",
        size_of::<demarc::model::Component>(),
        model.components.len(),
        model.components.capacity()
    );
    for (n, u, k) in rows {
        println!(
            "{n:<22} used {:8.1} MB cap {:8.1} MB",
            u as f64 / 1e6,
            k as f64 / 1e6
        );
    }
}
