//! The history walker thread: walks on its own copy of the repository and
//! reports batches through the event channel, newest first, so the History
//! view fills in while the user reads. A newer walk (a reload) makes an older
//! one stop at its next batch.

use super::event::Event;
use crate::history::{WalkOptions, Walker};
use crate::repo::Repo;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::Sender;

pub fn spawn(repo: Repo, generation: u64, current: Arc<AtomicU64>, events: Sender<Event>) {
    std::thread::spawn(move || {
        let end = |error: Option<String>| {
            let _ = events.send(Event::HistoryEnd { generation, error });
        };
        let mut walker = match Walker::new(&repo, WalkOptions::default()) {
            Ok(w) => w,
            Err(e) => return end(Some(e.0)),
        };
        loop {
            if current.load(Ordering::SeqCst) != generation {
                return;
            }
            match walker.next_batch() {
                Ok(Some(batch)) => {
                    if events
                        .send(Event::HistoryBatch { generation, batch })
                        .is_err()
                    {
                        return;
                    }
                }
                Ok(None) => return end(None),
                Err(e) => return end(Some(e.0)),
            }
        }
    });
}
