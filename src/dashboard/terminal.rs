//! The terminal: taken over (raw mode, alternate screen, mouse) and given
//! back however the dashboard ends: `q`, an error, a panic, a signal
//! (SIGTERM, SIGHUP, SIGINT sent by `kill`, SIGQUIT), a suspend (SIGTSTP;
//! `fg` takes it over again and redraws) or an abort.
//!
//! Signals reach the run loop as events through signal-hook's self-pipe
//! (`Signals`), so the loop restores the terminal and returns, and `demo`
//! can remove its temporary copy. An abort (SIGABRT) cannot wait for the
//! loop: a low-level handler writes the restoring bytes and puts the saved
//! terminal modes back with async-signal-safe calls only.
//!
//! The drawn area is clamped (`Clamped`): a terminal may report any size,
//! and ratatui allocates a cell per position (10000x10000 is 4.8 GB).

use crate::app::msg::Event;
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor::Show, execute};
use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use std::io::{self, Stdout, Write, stdout};
use std::sync::OnceLock;
use std::sync::mpsc::Sender;
use std::time::Duration;

/// The largest area drawn: wider than a 4K screen with a tiny font. Cells
/// beyond it are left alone.
pub const MAX_COLS: u16 = 1000;
pub const MAX_ROWS: u16 = 500;

/// Bytes that give the terminal back: mouse reporting off (every mode
/// crossterm turns on), cursor shown, main screen.
const RESTORE: &[u8] =
    b"\x1b[?1006l\x1b[?1015l\x1b[?1003l\x1b[?1002l\x1b[?1000l\x1b[?25h\x1b[?1049l";

/// The signals that end the dashboard (each exits with 128 + its number).
pub const ENDING: &[i32] = &[
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGINT,
    signal_hook::consts::SIGQUIT,
];

/// A size as drawn: at most `MAX_COLS` x `MAX_ROWS`.
pub fn clamp(width: u16, height: u16) -> (u16, u16) {
    (width.min(MAX_COLS), height.min(MAX_ROWS))
}

pub type Term = Terminal<Clamped<CrosstermBackend<Stdout>>>;

/// The terminal's modes before raw mode, for the abort handler.
#[cfg(unix)]
static SAVED_MODES: OnceLock<libc::termios> = OnceLock::new();

/// Raw mode, the alternate screen and mouse reporting, after saving the
/// modes an abort must put back; a panic hook restores before its message.
pub fn enter() -> io::Result<Term> {
    #[cfg(unix)]
    save_modes();
    enable_raw_mode()?;
    execute!(stdout(), EnterAlternateScreen, EnableMouseCapture)?;
    install_panic_hook();
    Terminal::new(Clamped::new(CrosstermBackend::new(stdout())))
}

/// Gives the terminal back (idempotent).
pub fn leave() {
    let _ = execute!(stdout(), DisableMouseCapture, Show, LeaveAlternateScreen);
    let _ = disable_raw_mode();
}

/// Takes the terminal over again after a suspend or a stop, and makes the
/// next frame redraw every cell (the shell drew over the screen).
pub fn resume(terminal: &mut Term) {
    // Off then on: a shell may have reset the modes while we were stopped.
    let _ = disable_raw_mode();
    let _ = enable_raw_mode();
    let _ = execute!(stdout(), EnterAlternateScreen, EnableMouseCapture);
    // ratatui remembers the cursor as hidden; `leave` showed it.
    let _ = terminal.hide_cursor();
    let _ = terminal.clear();
}

/// Gives the terminal back, then stops the process as SIGTSTP would; runs
/// on when continued (`fg`), and takes the terminal over again.
pub fn suspend(terminal: &mut Term) {
    leave();
    let _ = signal_hook::low_level::emulate_default_handler(signal_hook::consts::SIGTSTP);
    resume(terminal);
}

/// Forwards SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGTSTP and SIGCONT to the
/// run loop as `Event::Signal`, and puts the terminal back on an abort.
///
/// If the loop does not end within a few seconds of an ending signal (a
/// frame stuck on something), the terminal is given back here and the
/// process exits, so a signal always ends it.
pub fn handle_signals(tx: Sender<Event>) -> io::Result<()> {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGABRT, SIGCONT, SIGTSTP};
        let mut wanted = ENDING.to_vec();
        wanted.extend([SIGTSTP, SIGCONT]);
        let mut signals = signal_hook::iterator::Signals::new(&wanted)?;
        // SAFETY: the handler only calls async-signal-safe functions
        // (write, tcsetattr) on data set before it was registered.
        unsafe {
            signal_hook::low_level::register(SIGABRT, restore_raw)?;
        }
        std::thread::spawn(move || {
            for signal in signals.forever() {
                let _ = tx.send(Event::Signal(signal));
                if ENDING.contains(&signal) {
                    std::thread::spawn(move || {
                        std::thread::sleep(Duration::from_secs(5));
                        restore_raw();
                        std::process::exit(128 + signal);
                    });
                }
            }
        });
    }
    Ok(())
}

#[cfg(unix)]
fn save_modes() {
    // SAFETY: tcgetattr writes into the zeroed struct it is given.
    unsafe {
        let mut modes: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(libc::STDIN_FILENO, &mut modes) == 0 {
            let _ = SAVED_MODES.set(modes);
        }
    }
}

/// The restore with async-signal-safe calls only (for the abort handler).
fn restore_raw() {
    #[cfg(unix)]
    // SAFETY: write and tcsetattr are async-signal-safe; the modes were
    // saved before any handler was registered and are never changed.
    unsafe {
        let _ = libc::write(libc::STDOUT_FILENO, RESTORE.as_ptr().cast(), RESTORE.len());
        if let Some(modes) = SAVED_MODES.get() {
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, modes);
        }
    }
}

/// ratatui's own hook is not installed (no `ratatui::init`): this one
/// gives the terminal back, then lets the message print on the main screen.
fn install_panic_hook() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            leave();
            previous(info);
        }));
    });
}

/// A backend that reports at most `MAX_COLS` x `MAX_ROWS`, so the frame
/// buffers stay small whatever size the terminal claims.
///
/// It also answers where the cursor is without asking the terminal: a
/// full-screen dashboard places it itself, and asking (`ESC [6n`) waits up
/// to 2 s for a reply the input thread may take first, which made
/// `Terminal::clear` fail after a suspend and the redraw never come.
pub struct Clamped<B>(pub B, pub Position);

impl<B> Clamped<B> {
    pub fn new(backend: B) -> Clamped<B> {
        Clamped(backend, Position::ORIGIN)
    }
}

impl<B: Backend> Backend for Clamped<B> {
    type Error = B::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.0.draw(content)
    }

    fn append_lines(&mut self, n: u16) -> Result<(), Self::Error> {
        self.0.append_lines(n)
    }

    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.0.hide_cursor()
    }

    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.0.show_cursor()
    }

    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        Ok(self.1)
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        self.1 = position.into();
        self.0.set_cursor_position(self.1)
    }

    fn clear(&mut self) -> Result<(), Self::Error> {
        self.0.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.0.clear_region(clear_type)
    }

    fn size(&self) -> Result<Size, Self::Error> {
        let size = self.0.size()?;
        let (width, height) = clamp(size.width, size.height);
        Ok(Size { width, height })
    }

    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        let mut window = self.0.window_size()?;
        let (width, height) = clamp(window.columns_rows.width, window.columns_rows.height);
        window.columns_rows = Size { width, height };
        Ok(window)
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        Backend::flush(&mut self.0)
    }
}

impl<B: Write> Write for Clamped<B> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Write::flush(&mut self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::backend::TestBackend;

    #[test]
    fn a_huge_reported_size_is_clamped() {
        let backend = Clamped::new(TestBackend::new(1_200, 600));
        assert_eq!(backend.size().unwrap(), Size::new(MAX_COLS, MAX_ROWS));
        let small = Clamped::new(TestBackend::new(80, 24));
        assert_eq!(small.size().unwrap(), Size::new(80, 24));
    }
}
