//! The search worker: a thread that owns a `Searcher`, so a dashboard never
//! waits for matching. The UI sends queries (each gets a sequence number)
//! and receives `Results` through a callback it supplies; only the latest
//! query is worked on, a scan under way stops when a newer one arrives, and
//! a stale answer is never delivered. The UI should still drop any result
//! whose `seq` is older than its latest query (one may be in flight).

use super::{Index, Results, Searcher};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;

enum Job {
    Query {
        seq: u64,
        query: String,
        limit: usize,
    },
    Index(Index),
}

pub struct SearchWorker {
    jobs: Option<Sender<Job>>,
    /// The newest sequence number handed out; the worker reads it to know
    /// whether what it is doing is still wanted.
    latest: Arc<AtomicU64>,
    thread: Option<JoinHandle<()>>,
}

impl SearchWorker {
    /// Starts the thread. `deliver` runs on it with each answer; typically it
    /// sends the results into the dashboard's event channel.
    pub fn spawn(index: Index, deliver: impl FnMut(Results) + Send + 'static) -> SearchWorker {
        let (jobs, inbox) = mpsc::channel();
        let latest = Arc::new(AtomicU64::new(0));
        let searcher = Searcher::new(index);
        let wanted = Arc::clone(&latest);
        let thread = std::thread::Builder::new()
            .name("demarc-search".into())
            .spawn(move || run(searcher, inbox, wanted, deliver))
            .ok();
        SearchWorker {
            jobs: Some(jobs),
            latest,
            thread,
        }
    }

    /// Asks for the best `limit` matches of `query`; returns the sequence
    /// number its `Results` will carry.
    pub fn query(&self, query: &str, limit: usize) -> u64 {
        let seq = self.latest.fetch_add(1, Ordering::SeqCst) + 1;
        if let Some(jobs) = &self.jobs {
            let _ = jobs.send(Job::Query {
                seq,
                query: query.to_string(),
                limit,
            });
        }
        seq
    }

    /// Replaces the index (the model was reloaded). Queries sent after this
    /// call see the new index; send the current query again to refresh.
    pub fn set_index(&self, index: Index) {
        if let Some(jobs) = &self.jobs {
            let _ = jobs.send(Job::Index(index));
        }
    }

    /// The sequence number of the newest query sent.
    pub fn latest(&self) -> u64 {
        self.latest.load(Ordering::SeqCst)
    }
}

impl Drop for SearchWorker {
    fn drop(&mut self) {
        // Closing the channel ends the loop; the huge seq stops a scan under way.
        self.jobs = None;
        self.latest.store(u64::MAX, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(
    mut searcher: Searcher,
    inbox: Receiver<Job>,
    latest: Arc<AtomicU64>,
    mut deliver: impl FnMut(Results),
) {
    while let Ok(first) = inbox.recv() {
        // Take everything waiting: indexes apply in order, only the last query counts.
        let mut query = None;
        for job in std::iter::once(first).chain(inbox.try_iter()) {
            match job {
                Job::Index(index) => searcher.set_index(index),
                Job::Query {
                    seq,
                    query: q,
                    limit,
                } => query = Some((seq, q, limit)),
            }
        }
        let Some((seq, text, limit)) = query else {
            continue;
        };
        let stale = || latest.load(Ordering::SeqCst) != seq;
        if stale() {
            continue;
        }
        if let Some(mut results) = searcher.search_until(&text, limit, &stale)
            && !stale()
        {
            results.seq = seq;
            deliver(results);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Subject, SubjectKind};
    use crate::search::{Entry, EntryKind};
    use std::time::Duration;

    fn index(n: usize) -> Index {
        Index::from_entries(
            (0..n)
                .map(|i| {
                    let id = format!("c{i}");
                    Entry::new(
                        EntryKind::Component,
                        Subject::new(SubjectKind::Component, &id),
                        &id,
                        "Kafka topics",
                        String::new(),
                    )
                })
                .collect(),
        )
    }

    #[test]
    fn answers_carry_the_sequence_number_of_their_query() {
        let (tx, rx) = mpsc::channel();
        let worker = SearchWorker::spawn(index(10), move |r| {
            let _ = tx.send(r);
        });
        let seq = worker.query("kafka", 5);
        let results = rx.recv_timeout(Duration::from_secs(30)).expect("an answer");
        assert_eq!(results.seq, seq);
        assert_eq!(results.total, 10);
        assert_eq!(results.hits.len(), 5);
    }

    #[test]
    fn the_last_answer_is_for_the_last_query_and_none_is_older_than_the_one_before() {
        let (tx, rx) = mpsc::channel();
        let worker = SearchWorker::spawn(index(50_000), move |r| {
            let _ = tx.send(r);
        });
        let mut last = 0;
        for q in ["k", "ka", "kaf", "kafk", "kafka"] {
            last = worker.query(q, 10);
        }
        let mut seen = Vec::new();
        loop {
            let r = rx.recv_timeout(Duration::from_secs(60)).expect("an answer");
            seen.push(r.seq);
            if r.seq == last {
                assert_eq!(r.query, "kafka");
                break;
            }
        }
        assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    }

    #[test]
    fn a_new_index_is_used_by_later_queries() {
        let (tx, rx) = mpsc::channel();
        let worker = SearchWorker::spawn(index(3), move |r| {
            let _ = tx.send(r);
        });
        worker.set_index(index(7));
        worker.query("topics", 100);
        assert_eq!(
            rx.recv_timeout(Duration::from_secs(30))
                .expect("an answer")
                .total,
            7
        );
    }
}
