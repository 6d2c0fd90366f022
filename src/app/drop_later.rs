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
}
