//! Lets the input thread step aside while another program (the editor `e`
//! opens) uses the terminal. Without it the thread keeps reading the
//! terminal and steals the editor's keys.
//!
//! The input thread asks `wait_while_paused` before every wait for input,
//! and waits for input a short while at a time; `pause` returns once the
//! thread is parked (or a second has passed: a thread that ended, because
//! the terminal went away, never parks).

use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How long the input thread waits for input before looking at the gate
/// again: also the longest `pause` waits for it.
pub const POLL: Duration = Duration::from_millis(50);

#[derive(Debug, Default)]
struct State {
    paused: bool,
    parked: bool,
}

/// Shared by the run loop (pause, resume) and the input thread.
#[derive(Debug, Clone, Default)]
pub struct InputGate(Arc<(Mutex<State>, Condvar)>);

impl InputGate {
    pub fn new() -> InputGate {
        InputGate::default()
    }

    /// Stops the input thread reading; returns true once it is parked.
    pub fn pause(&self) -> bool {
        let (lock, cv) = &*self.0;
        let mut state = lock.lock().unwrap_or_else(|e| e.into_inner());
        state.paused = true;
        let deadline = Instant::now() + Duration::from_secs(1);
        while !state.parked {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            state = cv
                .wait_timeout(state, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        true
    }

    /// Lets the input thread read again.
    pub fn resume(&self) {
        let (lock, cv) = &*self.0;
        let mut state = lock.lock().unwrap_or_else(|e| e.into_inner());
        state.paused = false;
        cv.notify_all();
    }

    /// Called by the input thread before it waits for input: blocks while
    /// the gate is paused.
    pub fn wait_while_paused(&self) {
        let (lock, cv) = &*self.0;
        let mut state = lock.lock().unwrap_or_else(|e| e.into_inner());
        if !state.paused {
            return;
        }
        state.parked = true;
        cv.notify_all();
        while state.paused {
            state = cv.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        state.parked = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn pause_waits_for_the_reader_to_park_and_resume_lets_it_go() {
        let gate = InputGate::new();
        let reads = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let reader = {
            let (gate, reads, stop) = (gate.clone(), Arc::clone(&reads), Arc::clone(&stop));
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    gate.wait_while_paused();
                    reads.fetch_add(1, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(1));
                }
            })
        };
        assert!(gate.pause());
        let parked_at = reads.load(Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(30));
        assert_eq!(reads.load(Ordering::SeqCst), parked_at, "read while paused");
        gate.resume();
        while reads.load(Ordering::SeqCst) == parked_at {
            std::thread::yield_now();
        }
        stop.store(true, Ordering::SeqCst);
        reader.join().unwrap();
    }

    #[test]
    fn pause_without_a_reader_gives_up() {
        assert!(!InputGate::new().pause());
    }
}
