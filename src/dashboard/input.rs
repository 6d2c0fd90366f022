//! The threads that feed the event channel besides the workers: terminal
//! input, and the ticks that expire status messages.

use super::input_gate::{self, InputGate};
use crate::app::msg::Event;
use std::sync::mpsc::Sender;
use std::thread;
use std::time::Duration;

/// Reads terminal input on its own thread until the channel closes. It
/// waits for input a short while at a time and steps aside while `gate`
/// is paused (an editor has the terminal: its keys are its own).
pub fn spawn_input(tx: Sender<Event>, gate: InputGate) {
    thread::spawn(move || {
        loop {
            gate.wait_while_paused();
            match crossterm::event::poll(input_gate::POLL) {
                Ok(false) => continue,
                Ok(true) => {}
                // The terminal went away: nothing more will come.
                Err(_) => return,
            }
            match crossterm::event::read() {
                Ok(ev) => {
                    if tx.send(Event::Input(ev)).is_err() {
                        return;
                    }
                }
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
