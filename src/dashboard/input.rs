//! The threads that feed the event channel besides the workers: terminal
//! input, and the ticks that expire status messages.

use crate::app::msg::Event;
use std::sync::mpsc::Sender;
use std::thread;
use std::time::Duration;

/// Reads terminal input on its own thread until the channel closes.
pub fn spawn_input(tx: Sender<Event>) {
    thread::spawn(move || {
        loop {
            match crossterm::event::read() {
                Ok(ev) => {
                    if tx.send(Event::Input(ev)).is_err() {
                        return;
                    }
                }
                // The terminal went away: nothing more will come.
                Err(_) => return,
            }
        }
    });
}

pub fn spawn_ticks(tx: Sender<Event>, every: Duration) {
    thread::spawn(move || {
        while tx.send(Event::Tick).is_ok() {
            thread::sleep(every);
        }
    });
}
