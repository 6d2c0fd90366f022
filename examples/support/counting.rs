//! A counting global allocator and the resident set, shared by the
//! memory examples (`histmem`, `dashmem`): the live heap counted over the
//! allocator `demarc` runs with (jemalloc on Linux, see `src/main.rs`),
//! beside what the OS says is resident.

use std::alloc::{GlobalAlloc, Layout};

#[cfg(not(target_os = "linux"))]
use std::alloc::System as Inner;
use std::sync::atomic::{AtomicUsize, Ordering};
/// The binary's allocator, counted.
#[cfg(target_os = "linux")]
use tikv_jemallocator::Jemalloc as Inner;

demarc::jemalloc_settings!();

/// Counts the bytes live and the most ever live; allocates with the binary's allocator.
pub struct Counting;

pub static LIVE: AtomicUsize = AtomicUsize::new(0);
pub static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { Inner.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { Inner.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { Inner.realloc(ptr, layout, new_size) };
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

/// Resident set and its high-water mark, in MB (`/proc/self/status`).
pub fn rss_mb() -> (f64, f64) {
    status_mb(["VmRSS:", "VmHWM:"])
}

/// Two sizes of `/proc/self/status` (say `RssAnon:` and `RssFile:`), in MB.
pub fn status_mb(names: [&str; 2]) -> (f64, f64) {
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
    (field(names[0]), field(names[1]))
}
