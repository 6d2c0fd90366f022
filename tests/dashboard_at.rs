//! The dashboard opened with `--at`: the version shown is the Triage tab's
//! "as of" too, so the loader reads and checks that commit once at start,
//! not a second time as an aside. Runs the real loader thread and counts
//! what it reports until every request the app made is answered.

use demarc::app::App;
use demarc::app::data::AsOfState;
use demarc::app::keymap::Keymap;
use demarc::app::msg::{Aside, Event, LoadRequest, Request};
use demarc::dashboard::loader;
use demarc::repo::{Origin, Repo, Source, When};
use std::sync::mpsc;
use std::time::Duration;

#[test]
fn opening_at_a_time_reads_that_commit_once() {
    let dir = tempfile::tempdir().unwrap();
    demarc::sample::build(dir.path()).unwrap();
    let repo = Repo::open(dir.path(), None).unwrap();
    let when = When::parse("2026-05-01").unwrap();
    let source = Source::At(when.clone());

    let (tx, rx) = mpsc::channel();
    let loader = loader::spawn(repo, source.clone(), tx);
    let mut app = App::new(Keymap::default());
    app.open_on(source);

    // Reads of the commit: the loader's `Loaded` events, and any aside
    // asked for the same moment.
    let (mut loads, mut reads_then, mut reads_now) = (0, 0, 0);
    let mut waiting_asides = 0;
    let wait = Duration::from_secs(60);
    loop {
        for request in app.take_requests() {
            if let Request::Load(load) = request {
                match &load {
                    LoadRequest::Aside(Aside::Then(_)) => reads_then += 1,
                    LoadRequest::Aside(Aside::Now) => reads_now += 1,
                    _ => {}
                }
                if matches!(load, LoadRequest::Aside(_)) {
                    waiting_asides += 1;
                }
                loader.send(load);
            }
        }
        if loads > 0 && waiting_asides == 0 {
            break;
        }
        let event = rx.recv_timeout(wait).expect("the loader answers");
        match &event {
            Event::Loaded(_) => loads += 1,
            Event::Aside { .. } => waiting_asides -= 1,
            _ => {}
        }
        app.on_event(event, |_, _, _| None);
    }
    assert_eq!(loads, 1, "one load of the data shown");
    assert_eq!(
        reads_then, 0,
        "the same commit is not read again as an aside"
    );
    assert_eq!(
        reads_now, 1,
        "the work tree is read once, for what differs now"
    );

    // The Triage tab's "as of" is that load: the same commit, at the moment asked.
    let shown = match &app.data().loaded.as_ref().unwrap().origin {
        Origin::Commit(info) => info.id.clone(),
        other => panic!("{other:?}"),
    };
    let as_of = app.data().as_of.as_ref().expect("as of the launch moment");
    assert_eq!(as_of.when, "2026-05-01");
    match &as_of.state {
        AsOfState::Ready { loaded, moment } => {
            assert_eq!(*moment, when.time());
            match &loaded.origin {
                Origin::Commit(info) => assert_eq!(info.id, shown),
                other => panic!("{other:?}"),
            }
        }
        _ => panic!("the as-of card is not filled from the first load"),
    }
    assert!(
        app.data().now_model.is_some(),
        "the work tree was read aside"
    );
}
