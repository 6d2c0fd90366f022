//! Navigation in the real binary, in a pseudo-terminal (issue 18): a list
//! filtered in place as you type, a filter picked with type-ahead, `y`
//! copying the selected id (OSC 52), `q` closing a popup instead of
//! quitting, and `e` opening the selected subject's file at its line in
//! `$EDITOR` (a script that records its arguments and the terminal's modes)
//! with the terminal given back while it runs and taken again after.
//!
//! The screen is polled with a generous timeout; nothing asserts a time.

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(60);

struct Session {
    _master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    output: Receiver<Vec<u8>>,
    parser: vt100::Parser,
    raw: Vec<u8>,
}

impl Session {
    fn start(args: &[&str], home: &Path, env: &[(&str, &str)]) -> Session {
        let size = PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        };
        let pair = native_pty_system().openpty(size).unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_demarc"));
        for a in args {
            cmd.arg(a);
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env("HOME", home);
        cmd.env("XDG_CONFIG_HOME", home.join("config"));
        cmd.env_remove("DEMARC_CONFIG");
        cmd.env_remove("NO_COLOR");
        cmd.env_remove("VISUAL");
        cmd.env_remove("EDITOR");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.cwd(home);
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let (tx, output) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Session {
            _master: pair.master,
            writer,
            child,
            output,
            parser: vt100::Parser::new(
                NonZeroU16::new(40).unwrap(),
                NonZeroU16::new(120).unwrap(),
                0,
            ),
            raw: Vec::new(),
        }
    }

    fn pump(&mut self, wait: Duration) {
        if let Ok(bytes) = self.output.recv_timeout(wait) {
            self.parser.process(&bytes);
            self.raw.extend_from_slice(&bytes);
            while let Ok(more) = self.output.try_recv() {
                self.parser.process(&more);
                self.raw.extend_from_slice(&more);
            }
        }
    }

    fn screen(&self) -> String {
        self.parser.screen().contents()
    }

    fn wait_until(&mut self, what: &str, done: impl Fn(&Session) -> bool) {
        let start = Instant::now();
        while start.elapsed() < TIMEOUT {
            if done(self) {
                return;
            }
            self.pump(Duration::from_millis(50));
        }
        panic!(
            "timed out waiting for {what}; the screen:\n{}",
            self.screen()
        );
    }

    fn wait_for(&mut self, text: &str) {
        self.wait_until(&format!("{text:?}"), |s| s.screen().contains(text));
    }

    fn wait_gone(&mut self, text: &str) {
        self.wait_until(&format!("{text:?} to go"), |s| !s.screen().contains(text));
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(start.elapsed() < TIMEOUT, "demarc did not exit");
            self.pump(Duration::from_millis(50));
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
    }
}

/// The line the loader says component `id` is declared on, and its file.
fn declared_at(sample: &Path, id: &str) -> (String, u32) {
    let repo = demarc::repo::Repo::open(sample, None).unwrap();
    let snapshot = repo.snapshot(&demarc::repo::Source::WorkTree).unwrap();
    let loaded = demarc::repo::load_snapshot(snapshot, chrono::Utc::now().date_naive());
    let c = loaded.model.component(id).unwrap();
    (c.location.file.clone(), c.location.line.unwrap())
}

#[cfg(unix)]
#[test]
fn filter_in_place_a_picker_y_q_in_a_popup_and_e_in_the_editor() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let sample = tmp.path().join("sample");
    demarc::sample::build(&sample).unwrap();
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    // The editor: records its arguments and the terminal's modes as it
    // got them, then exits.
    let record = tmp.path().join("editor-args");
    let modes = tmp.path().join("editor-stty");
    let editor = tmp.path().join("record-editor");
    std::fs::write(
        &editor,
        format!(
            "#!/bin/sh\nstty -a > '{}' 2>&1\nprintf '%s\\n' \"$@\" > '{}'\n",
            modes.display(),
            record.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    let editor_line = format!("'{}' --wait", editor.display());
    let mut s = Session::start(
        &["-C", sample.to_str().unwrap()],
        &home,
        &[("EDITOR", editor_line.as_str())],
    );
    s.wait_for("Components by owner");

    // Filter in place: Teams narrows with each key, Enter keeps the
    // filter, Esc clears it.
    s.send("3");
    s.wait_for("Teams (17)");
    s.send("f");
    s.send("stream");
    s.wait_for("Teams 1/17 · /stream");
    s.wait_for("Streaming Platform");
    s.wait_gone("Data Platform");
    s.send("\r");
    s.wait_gone("/stream▏");
    s.send("\x1b");
    s.wait_for("Teams (17)");

    // A picker with type-ahead: O, "sre", Enter: only sre's components.
    s.send("4");
    s.wait_for("Components 67/67");
    s.send("O");
    s.wait_for("owner · ");
    s.wait_for("any owner");
    s.send("sre");
    s.wait_for("› sre");
    s.send("\r");
    s.wait_gone("any owner");
    s.wait_for("owner=sre");

    // y: the selected component's id, confirmed and sent as OSC 52.
    s.send("y");
    s.wait_for("to the clipboard");
    let copied = s
        .screen()
        .lines()
        .find_map(|l| {
            let at = l.find("copied ")?;
            let rest = &l[at + "copied ".len()..];
            Some(rest.split_whitespace().next()?.to_string())
        })
        .expect("the status bar names what was copied");
    let osc = format!(
        "\x1b]52;c;{}\x07",
        demarc::dashboard::clipboard::base64(copied.as_bytes())
    );
    s.wait_until("the OSC 52 sequence", |s| {
        s.raw.windows(osc.len()).any(|w| w == osc.as_bytes())
    });

    // q in a popup closes the popup; demarc runs on.
    s.send("?");
    s.wait_for("Keys · ");
    s.send("q");
    s.wait_gone("Keys · ");
    s.wait_for("owner=sre");
    assert!(
        s.child.try_wait().unwrap().is_none(),
        "q in help quit demarc"
    );

    // e: the editor gets `+LINE FILE` for the selected component, with the
    // terminal given back (main screen, canonical mode) while it runs.
    let (file, line) = declared_at(&sample, &copied);
    s.send("e");
    s.wait_until("the editor to run", |_| record.exists());
    s.wait_for("owner=sre");
    assert!(
        s.parser.screen().alternate_screen(),
        "the dashboard is back"
    );
    let args = std::fs::read_to_string(&record).unwrap();
    let expected_path = sample.canonicalize().unwrap().join(&file);
    assert_eq!(
        args,
        format!("--wait\n+{line}\n{}\n", expected_path.display()),
        "the editor's arguments"
    );
    let stty = std::fs::read_to_string(&modes).unwrap();
    assert!(
        stty.contains(" icanon") && stty.contains(" echo"),
        "the editor got a raw terminal:\n{stty}"
    );

    s.send("q");
    assert!(s.wait_exit().success());
    assert!(!s.parser.screen().alternate_screen());
}
