//! Dropping a large value (a model of 200,000 components, a trends series
//! of thousands of teams) frees millions of allocations: a second or more
//! on the UI thread. `drop_later` hands such values to one background
//! thread that drops them, so replacing the data shown costs the UI thread
//! a pointer move.

use std::sync::Mutex;
use std::sync::OnceLock;
use std::sync::mpsc::{self, Sender};

type Garbage = Box<dyn Send>;

fn sender() -> &'static Mutex<Option<Sender<Garbage>>> {
    static SENDER: OnceLock<Mutex<Option<Sender<Garbage>>>> = OnceLock::new();
    SENDER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Garbage>();
        let spawned = std::thread::Builder::new()
            .name("demarc-drop".into())
            .spawn(move || {
                crate::thread_priority::background();
                for garbage in rx {
                    drop(garbage);
                }
            });
        Mutex::new(spawned.ok().map(|_| tx))
    })
}

/// Drops `value` on the background thread (here, when that thread could
/// not be started).
pub fn drop_later<T: Send + 'static>(value: T) {
    let garbage: Garbage = Box::new(value);
    let Ok(guard) = sender().lock() else {
        return drop(garbage);
    };
    match guard.as_ref() {
        Some(tx) => {
            if let Err(mpsc::SendError(garbage)) = tx.send(garbage) {
                drop(garbage);
            }
        }
        None => drop(garbage),
    }
}

type Job = Box<dyn FnOnce() + Send>;

fn job_sender() -> &'static Mutex<Option<Sender<Job>>> {
    static SENDER: OnceLock<Mutex<Option<Sender<Job>>>> = OnceLock::new();
    SENDER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Job>();
        let spawned = std::thread::Builder::new()
            .name("demarc-derive".into())
            .spawn(move || {
                crate::thread_priority::background();
                for job in rx {
                    job();
                }
            });
        Mutex::new(spawned.ok().map(|_| tx))
    })
}

/// Runs `job` on one background thread, after the jobs before it: what a
/// view derives from data just received, so that its first draw finds it
/// ready. Whoever reads the result must do without it meanwhile (derive
/// it then, as before). Not run at all when that thread could not be
/// started: the reader derives it.
pub fn run_later(job: impl FnOnce() + Send + 'static) {
    let job: Job = Box::new(job);
    let Ok(guard) = job_sender().lock() else {
        return;
    };
    if let Some(tx) = guard.as_ref() {
        let _ = tx.send(job);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    #[test]
    fn the_value_is_dropped_on_another_thread() {
        struct Witness(Arc<Mutex<Option<std::thread::ThreadId>>>);
        impl Drop for Witness {
            fn drop(&mut self) {
                *self.0.lock().unwrap() = Some(std::thread::current().id());
            }
        }
        let seen = Arc::new(Mutex::new(None));
        drop_later(Witness(Arc::clone(&seen)));
        let deadline = Instant::now() + Duration::from_secs(30);
        while seen.lock().unwrap().is_none() {
            assert!(Instant::now() < deadline, "never dropped");
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_ne!(*seen.lock().unwrap(), Some(std::thread::current().id()));
    }

    #[test]
    fn a_job_runs_on_another_thread() {
        let (tx, rx) = mpsc::channel();
        run_later(move || {
            let _ = tx.send(std::thread::current().id());
        });
        let ran_on = rx.recv_timeout(Duration::from_secs(30)).expect("ran");
        assert_ne!(ran_on, std::thread::current().id());
    }
}
