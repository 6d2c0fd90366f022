//! The history walker thread: walks on its own copy of the repository and
//! reports batches through the event channel, newest first, so the History
//! view fills in while the user reads. A newer walk (a reload) makes an older
//! one stop at its next batch. The same walk feeds the trends series (see
//! `crate::trends`), sent every few batches and at the end, so the Trends
//! tab costs no second walk and the UI thread no aggregation.

use crate::app::msg::Event;
use crate::app::msg::TrendsData;
use crate::history::ownership::SinceTracker;
use crate::history::{WalkOptions, Walker};
use crate::repo::Reopener;
use crate::trends::{By, Collector};
use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::Sender;

/// The walk's cache of rebuilt pack objects (see `repo::PackReader`): a
/// quarter of what a walk alone keeps. Beside the dashboard's model and
/// indexes the 64 MiB were a twentieth of the peak at 200,000 components
/// (issue 17); measured with `dashmem walk` there, 16 MiB took 51 MB off
/// the walk's memory at no cost in time, and on 20,000 components x
/// 100,000 commits it cost the walk about a tenth more CPU.
pub const PACK_CACHE_BYTES: usize = 16 << 20;

/// The series goes out after this many batches (and at the end): often
/// enough to fill in while a long walk runs, rarely enough to cost nothing.
const TRENDS_EVERY: usize = 8;

/// Walks the repository `repo` opens (on the walker's thread: the UI
/// thread does no git work).
pub fn spawn(repo: Reopener, generation: u64, current: Arc<AtomicU64>, events: Sender<Event>) {
    std::thread::spawn(move || {
        crate::thread_priority::background();
        let end = |error: Option<String>| {
            let _ = events.send(Event::HistoryEnd { generation, error });
        };
        let repo = match repo.open() {
            Ok(repo) => repo,
            Err(e) => return end(Some(e.0)),
        };
        let collector = RefCell::new(Collector::new(By::Month, None));
        // Since when owners and on-calls hold: found here, batch by batch,
        // so the UI thread only adds what each batch brings.
        let mut since = SinceTracker::default();
        let send_trends = |done: bool| {
            let c = collector.borrow();
            let month = c.series_by(By::Month);
            // The tab's first view, derived here rather than on the UI
            // thread on the tab's first visit.
            let figure = crate::app::tabs::trends::Figure::default().key();
            let prepared = crate::trends::view::Prepared {
                by: By::Month,
                figure,
                view: crate::trends::view::TrendsView::build(
                    &month,
                    figure,
                    crate::app::tabs::trends::BUSIEST,
                ),
            };
            let data = TrendsData {
                month,
                quarter: c.series_by(By::Quarter),
                done,
            };
            let _ = events.send(Event::Trends {
                generation,
                data: Box::new(data),
                prepared: Some(Box::new(prepared)),
            });
        };
        let options = WalkOptions {
            pack_cache_bytes: PACK_CACHE_BYTES,
            ..WalkOptions::default()
        };
        let mut walker = match Walker::new(&repo, options) {
            Ok(w) => w,
            Err(e) => return end(Some(e.0)),
        };
        walker.observe(|version| collector.borrow_mut().observe(version));
        let mut batches = 0;
        loop {
            if current.load(Ordering::SeqCst) != generation {
                return;
            }
            match walker.next_batch() {
                Ok(Some(batch)) => {
                    collector.borrow_mut().entries(&batch.entries);
                    let since = since.next(&batch.entries);
                    if events
                        .send(Event::HistoryBatch {
                            generation,
                            batch,
                            since,
                        })
                        .is_err()
                    {
                        return;
                    }
                    batches += 1;
                    if batches % TRENDS_EVERY == 1 {
                        send_trends(false);
                    }
                }
                Ok(None) => {
                    send_trends(true);
                    return end(None);
                }
                Err(e) => return end(Some(e.0)),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::{oncall_since, owner_since};
    use std::collections::HashMap;
    use std::time::Duration;

    #[test]
    fn the_walker_sends_the_since_maps_with_its_batches() {
        let (_dir, repo) = crate::sample::opened_in_temp();
        let (tx, rx) = std::sync::mpsc::channel();
        spawn(repo.reopener(), 1, Arc::new(AtomicU64::new(1)), tx);
        let (mut entries, mut owners, mut oncalls) = (Vec::new(), HashMap::new(), HashMap::new());
        let mut trends = 0;
        loop {
            match rx.recv_timeout(Duration::from_secs(60)).unwrap() {
                Event::HistoryBatch { batch, since, .. } => {
                    entries.extend(batch.entries);
                    owners.extend(since.owners);
                    oncalls.extend(since.oncalls);
                }
                Event::HistoryEnd { error, .. } => {
                    assert_eq!(error, None);
                    break;
                }
                // The Trends tab's first view, prepared here, is the one
                // the tab would derive from the series.
                Event::Trends { data, prepared, .. } => {
                    let prepared = prepared.expect("a view prepared");
                    let figure = crate::app::tabs::trends::Figure::default();
                    assert_eq!((prepared.by, prepared.figure), (By::Month, figure.key()));
                    let view = crate::trends::view::TrendsView::build(
                        &data.month,
                        figure.key(),
                        crate::app::tabs::trends::BUSIEST,
                    );
                    assert_eq!(prepared.view, view);
                    trends += 1;
                }
                _ => {}
            }
        }
        assert!(entries.len() > 1 && !owners.is_empty() && !oncalls.is_empty());
        assert!(trends > 0);
        assert_eq!(owners, owner_since(&entries));
        assert_eq!(oncalls, oncall_since(&entries));
    }
}
