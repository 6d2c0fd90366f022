//! The dashboard's background threads give way to its UI thread.
//!
//! On 2 cores at 200,000 components the history walk, the loader's check,
//! the derived views and the frees of old data kept both cores busy for
//! the first fifteen seconds, and a key's turn on the UI thread (25-35 ms
//! of CPU on the Trends tab) waited its share of a core: 50-86 ms by the
//! clock (issue 17, `cargo bench --bench load -- --dashboard`). The UI
//! thread is idle almost all the time, so lowering the others costs them
//! nothing then, and when a key comes the scheduler runs it first.

/// How far below the UI thread a background thread runs. Linux weighs
/// nice 10 at 110 against nice 0's 1024: a key's turn gets about nine
/// tenths of a core while two background threads want both.
const BACKGROUND_NICE: i32 = 10;

/// Lowers the calling thread's scheduling priority, on Linux, where nice
/// values are per thread. Threads it starts afterwards inherit it. Lowered
/// by 10 from whatever demarc was started with (`nice demarc` stays
/// nicer), to at most 19; a failure leaves the thread as it was, which is
/// only slower for the screen.
pub fn background() {
    #[cfg(target_os = "linux")]
    // SAFETY: gettid, getpriority and setpriority take plain integers and
    // touch nothing of this process's memory.
    unsafe {
        let tid = libc::gettid() as libc::id_t;
        let now = libc::getpriority(libc::PRIO_PROCESS as _, tid);
        let lower = now.saturating_add(BACKGROUND_NICE).min(19);
        if lower > now {
            libc::setpriority(libc::PRIO_PROCESS as _, tid, lower);
        }
    }
}

/// The calling thread's nice value (Linux), for tests.
#[cfg(all(test, target_os = "linux"))]
fn nice_of_this_thread() -> i32 {
    // SAFETY: as in `background`.
    unsafe { libc::getpriority(libc::PRIO_PROCESS as _, libc::gettid() as libc::id_t) }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_background_thread_runs_below_the_thread_that_started_it_and_its_children_follow() {
        let ui = nice_of_this_thread();
        let (worker, child) = std::thread::spawn(|| {
            background();
            let worker = nice_of_this_thread();
            let child = std::thread::spawn(nice_of_this_thread).join().unwrap();
            (worker, child)
        })
        .join()
        .unwrap();
        assert_eq!(worker, (ui + BACKGROUND_NICE).min(19), "UI thread at {ui}");
        assert_eq!(child, worker);
        // The thread that asked nothing keeps its priority.
        assert_eq!(nice_of_this_thread(), ui);
    }

    #[test]
    fn a_thread_started_nicer_ends_at_19_not_past_it() {
        let nice = std::thread::spawn(|| {
            // SAFETY: as in `background`; this test's own thread only.
            unsafe {
                libc::setpriority(libc::PRIO_PROCESS as _, libc::gettid() as libc::id_t, 15);
            }
            background();
            nice_of_this_thread()
        })
        .join()
        .unwrap();
        assert_eq!(nice, 19);
    }
}
