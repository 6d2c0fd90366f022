//! The real binary in a pseudo-terminal: open the sample, switch every
//! tab, follow an owner to its team and back, open help, resize to 10x3 and
//! back, quit with `q`, and check the terminal left the alternate screen.
//! Also: triage by symptom with the pager copied, a resize storm, and a
//! forced panic that must give the terminal back before its message.
//!
//! The screen is polled with a generous timeout (a loaded 2-core CI box
//! can be slow); nothing here asserts a time.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};
use support::fingerprint;
use support::pty::{Session, TIMEOUT, size};

#[test]
fn the_dashboard_in_a_real_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let sample = tmp.path().join("sample");
    demarc::sample::build(&sample).unwrap();
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    // A dirty work tree with an untracked file: the session must leave every
    // byte of it, and of .git, as it was (docs/security.md).
    let sre = sample.join("teams/sre.toml");
    let text = std::fs::read_to_string(&sre).unwrap();
    std::fs::write(&sre, format!("{text}\n# edited\n")).unwrap();
    std::fs::write(sample.join("notes.txt"), "untracked").unwrap();
    let before = fingerprint(&sample);
    let mut s = Session::start(&["-C", sample.to_str().unwrap()], &home);

    s.wait_for("Components by owner");
    s.wait_for("● 1 modified");
    assert!(s.parser.screen().alternate_screen());
    s.wait_for("Northwind Commerce");

    // Every tab by number, then Tab and Shift-Tab.
    s.send("2");
    s.wait_for("Layer responsibility matrix");
    s.send("3");
    s.wait_for("Scope");
    s.send("4");
    s.wait_for("Components 67/67");
    s.send("5");
    s.wait_for("commits changed the data");
    s.wait_for("Record the first ownership boundaries");
    s.send("6");
    s.wait_for("Triage · t on any subject");
    s.send("1");
    s.wait_for("Components by owner");
    s.send("\t");
    s.wait_for("Layer responsibility matrix");
    s.send("\x1b[Z");
    s.wait_for("Components by owner");

    // The first component's owner, then back.
    s.send("4");
    s.wait_for("Components 67/67");
    s.send("\r");
    s.wait_for("Developer Experience Platform  platform-devex");
    s.wait_for("Teams (17)");
    s.send("\x7f");
    s.wait_for("Components 67/67");

    // Search: type, see results, Enter shows the subject's view.
    s.send("1");
    s.wait_for("Components by owner");
    s.send("/");
    s.wait_for("Search ·");
    s.send("kafka");
    s.wait_for("component  Kafka");
    s.send("\r");
    s.wait_gone("Search ·");
    s.wait_for("Owner platform-streaming");

    // Help, generated from the key map, and closed again.
    s.send("?");
    s.wait_for("Follow the reference");
    s.send("?");
    s.wait_gone("Follow the reference");

    // Too small, then back to a full screen.
    s.resize(3, 10);
    s.wait_for("Terminal");
    s.wait_gone("Components 67/67");
    s.resize(40, 120);
    s.wait_for("Components 67/67");

    s.send("q");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = s.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            start.elapsed() < TIMEOUT,
            "demarc did not quit; the screen:\n{}",
            s.screen()
        );
        s.pump(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    // Whatever was still in flight.
    s.pump(Duration::from_millis(200));
    assert!(
        !s.parser.screen().alternate_screen(),
        "still on the alternate screen"
    );
    assert_eq!(
        before,
        fingerprint(&sample),
        "the dashboard wrote to the repository"
    );
}

/// Runs the binary without a terminal, as a script would.
fn run_plain(args: &[&str], home: &Path, config: Option<&Path>) -> (i32, String) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_demarc"));
    cmd.args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env_remove("NO_COLOR")
        .stdin(std::process::Stdio::null());
    match config {
        Some(c) => cmd.env("DEMARC_CONFIG", c),
        None => cmd.env_remove("DEMARC_CONFIG"),
    };
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_bad_theme_or_config_is_a_clear_error_naming_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    std::fs::write(repo.join("demarc.toml"), "schema = 1\norg = \"A\"\n").unwrap();
    let r = repo.to_str().unwrap();

    let theme = tmp.path().join("mine.toml");
    std::fs::write(&theme, "text = \"red\"\nselction = \"blue\"\n").unwrap();
    let (code, err) = run_plain(
        &["-C", r, "--theme", theme.to_str().unwrap()],
        tmp.path(),
        None,
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("mine.toml:2:1: `selction` is not a theme key"),
        "{err}"
    );

    let (code, err) = run_plain(&["-C", r, "--theme", "nosuch"], tmp.path(), None);
    assert_eq!(code, 2);
    assert!(err.contains("No theme `nosuch`"), "{err}");

    let config = tmp.path().join("config.toml");
    std::fs::write(
        &config,
        "theme = \"light\"\n[keys]\nquit = [\"q\"]\nfly = \"f\"\n",
    )
    .unwrap();
    let (code, err) = run_plain(&["-C", r], tmp.path(), Some(&config));
    assert_eq!(code, 2);
    assert!(
        err.contains("config.toml:4:1: `fly` is not an action"),
        "{err}"
    );

    // A config naming a theme in its folder's themes/ works; without a
    // terminal the dashboard then says it needs one.
    std::fs::create_dir_all(tmp.path().join("themes")).unwrap();
    std::fs::write(
        tmp.path().join("themes/mine.toml"),
        "accent = \"208 bold\"\n",
    )
    .unwrap();
    std::fs::write(&config, "theme = \"mine\"\n").unwrap();
    let (code, err) = run_plain(&["-C", r], tmp.path(), Some(&config));
    assert_eq!(code, 2);
    assert!(err.contains("needs a terminal"), "{err}");

    let missing = tmp.path().join("nope.toml");
    let (code, err) = run_plain(&["-C", r], tmp.path(), Some(&missing));
    assert_eq!(code, 2);
    assert!(err.contains("Cannot read the config file"), "{err}");
}

#[test]
fn a_repository_that_cannot_be_read_is_an_error_not_a_screen() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    // Not an ownership repository: the dashboard closes and says why.
    let mut s = Session::start(&["-C", tmp.path().to_str().unwrap()], &home);
    let start = Instant::now();
    let status = loop {
        if let Some(status) = s.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            start.elapsed() < TIMEOUT,
            "demarc did not exit; the screen:\n{}",
            s.screen()
        );
        s.pump(Duration::from_millis(50));
    };
    s.pump(Duration::from_millis(200));
    assert_eq!(status.exit_code(), 2);
    assert!(!s.parser.screen().alternate_screen());
    assert!(s.screen().contains("demarc.toml"), "{}", s.screen());
}

fn sample_and_home() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let sample = tmp.path().join("sample");
    demarc::sample::build(&sample).unwrap();
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    (tmp, sample, home)
}

#[test]
fn triage_finds_a_symptom_and_copies_the_pager() {
    let (_tmp, sample, home) = sample_and_home();
    let mut s = Session::start(&["-C", sample.to_str().unwrap()], &home);
    s.wait_for("Components by owner");
    s.send("6");
    s.wait_for("Triage · t on any subject");
    s.send("i");
    s.send("consumer lag");
    s.wait_for("find consumer lag");
    s.wait_for("Kafka consumer lag  [scenario]");
    // The first responders' pagers are on the card.
    s.wait_for("pagerduty:PCK2V7");
    s.send("\x1b");
    // Esc and the next key in one read would be Alt-key: wait for the
    // input to close first.
    s.wait_gone("consumer lag▏");
    // A shared component by name: its owner and pager.
    s.send("i");
    s.send(&"\x7f".repeat("consumer lag".len()));
    s.send("kafka\r");
    s.wait_for("Owner      platform-streaming (Streaming Platform)");
    s.wait_for("pagerduty:PS3T8W");
    // y: the status bar confirms, and the OSC 52 sequence reaches the
    // terminal (vt100 does not keep it, so the raw bytes are read).
    s.send("y");
    s.wait_for("copied pagerduty:PS3T8W (platform-streaming's pager) to the clipboard");
    let osc = format!(
        "\x1b]52;c;{}\x07",
        demarc::dashboard::clipboard::base64(b"pagerduty:PS3T8W")
    );
    let start = Instant::now();
    while !s.raw.windows(osc.len()).any(|w| w == osc.as_bytes()) {
        assert!(start.elapsed() < TIMEOUT, "no OSC 52 sequence was written");
        s.pump(Duration::from_millis(50));
    }
    s.send("q");
    assert!(s.wait_exit().success());
    assert!(!s.parser.screen().alternate_screen());
}

#[test]
fn a_resize_storm_leaves_the_dashboard_alive() {
    let (_tmp, sample, home) = sample_and_home();
    let mut s = Session::start(&["-C", sample.to_str().unwrap()], &home);
    s.wait_for("Components by owner");
    // 60 sizes from 1x1 up to 300x100 and back down, without waiting for
    // the frames in between (only draining the output so the child never
    // blocks on a full pty buffer).
    let steps: Vec<(u16, u16)> = (0..30u16)
        .map(|i| (1 + i * 99 / 29, 1 + i * 299 / 29))
        .collect();
    for &(rows, cols) in steps.iter().chain(steps.iter().rev()) {
        s.resize(rows, cols);
        s.pump(Duration::from_millis(1));
    }
    assert!(
        s.child.try_wait().unwrap().is_none(),
        "demarc died in the storm"
    );
    s.resize(40, 120);
    s.wait_for("Components by owner");
    s.wait_for("1 Pillars │ 2 Layers");
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "{status:?}");
    assert!(!s.parser.screen().alternate_screen());
}

#[test]
fn a_panic_restores_the_terminal_before_its_message() {
    let (_tmp, sample, home) = sample_and_home();
    // A shell runs demarc, then prints its exit code and the terminal's
    // modes, so raw mode being off can be read from `stty -a` (icanon and
    // echo without a minus).
    let script = r#""$0" -C "$1"; echo "EXIT=$?"; stty -a"#;
    let mut s = Session::start_with(
        "sh",
        &[
            "-c",
            script,
            env!("CARGO_BIN_EXE_demarc"),
            sample.to_str().unwrap(),
        ],
        &home,
        &[("DEMARC_TEST_PANIC", "1")],
    );
    s.wait_for("EXIT=");
    s.wait_for("speed");
    let status = s.wait_exit();
    assert!(status.success(), "the shell failed: {status:?}");
    let screen = s.parser.screen();
    assert!(!screen.alternate_screen(), "still on the alternate screen");
    assert!(!screen.hide_cursor(), "the cursor is still hidden");
    let text = s.screen();
    let message = text
        .find("forced panic")
        .unwrap_or_else(|| panic!("no panic message:\n{text}"));
    let exit = text.find("EXIT=").unwrap();
    assert!(message < exit, "{text}");
    assert!(
        !text.contains("EXIT=0"),
        "a panic must exit non-zero:\n{text}"
    );
    // The modes after demarc: canonical input and echo are back on.
    let words: Vec<&str> = text[exit..].split_whitespace().collect();
    assert!(words.contains(&"icanon"), "raw mode left on:\n{text}");
    assert!(words.contains(&"echo"), "echo left off:\n{text}");
    // The message was printed on the main screen, after the restore: the
    // raw bytes leave the alternate screen before it.
    let raw = String::from_utf8_lossy(&s.raw).into_owned();
    let leave = raw
        .rfind("\x1b[?1049l")
        .expect("never left the alternate screen");
    assert!(
        leave < raw.find("forced panic").unwrap(),
        "message before restore"
    );
}

#[test]
fn at_startup_triage_shows_the_card_then_and_what_differs_now() {
    let (_tmp, sample, home) = sample_and_home();
    let mut s = Session::start(
        &["-C", sample.to_str().unwrap(), "--at", "2026-05-01"],
        &home,
    );
    s.wait_for("Components by owner");
    s.send("6");
    s.wait_for("as of 2026-05-01");
    s.send("ikafka\r");
    // Read on the loader: the card as of then, and the work tree now.
    s.wait_for("Owner      platform-data (Data Platform)");
    s.wait_for("Since then owner: platform-data → platform-streaming (now)");
    s.send("q");
    assert!(s.wait_exit().success());
}

/// Commits every file of the work tree now, as a teammate would while the
/// dashboard is open.
fn commit_now(dir: &Path, message: &str) {
    let git = git2::Repository::open(dir).unwrap();
    let mut index = git.index().unwrap();
    index
        .add_all(["*"].iter(), git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.write().unwrap();
    let tree = git.find_tree(index.write_tree().unwrap()).unwrap();
    let sig = git2::Signature::now("Dana Teammate", "dana@example.com").unwrap();
    let head = git.head().unwrap().peel_to_commit().unwrap();
    git.commit(Some("HEAD"), &sig, &sig, message, &tree, &[&head])
        .unwrap();
}

#[test]
fn a_commit_made_while_open_reaches_history_and_the_triage_card_without_r() {
    let (_tmp, sample, home) = sample_and_home();
    let mut s = Session::start(&["-C", sample.to_str().unwrap()], &home);
    s.wait_for("Components by owner");
    s.send("6");
    s.wait_for("Triage · t on any subject");
    s.send("ikafka\r");
    s.wait_for("Owner      platform-streaming (Streaming Platform)");
    s.send("5");
    s.wait_for("Record the H2 ownership review");
    // A teammate moves kafka back to platform-data and commits.
    let file = sample.join("components/streaming.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let at = text.find("id = \"kafka\"").unwrap();
    let (head, tail) = text.split_at(at);
    let tail = tail.replacen(
        "owner = \"platform-streaming\"",
        "owner = \"platform-data\"",
        1,
    );
    std::fs::write(&file, format!("{head}{tail}")).unwrap();
    commit_now(&sample, "Hand kafka back to platform-data");
    // History walks again by itself (no r): the new commit is listed.
    s.wait_for("Hand kafka back to platform-data");
    // The Triage card follows: new owner, and the move as a warning.
    s.send("6");
    s.wait_for("Owner      platform-data (Data Platform)");
    s.wait_for("!! owner changed the same day");
    // @yesterday is rejected in place: the input stays open with the
    // reason beside it, and the card keeps showing now.
    s.send("@");
    s.send("\x15yesterday\r");
    s.wait_for("✗ `yesterday` is not a time");
    s.wait_for("as of yesterday");
    assert!(!s.screen().contains("Card as of"), "{}", s.screen());
    s.send("\x1b");
    s.wait_gone("✗ `yesterday` is not a time");
    s.send("q");
    assert!(s.wait_exit().success());
}

#[test]
fn trends_opens_and_a_busy_month_jumps_to_its_history() {
    let (_tmp, sample, home) = sample_and_home();
    let mut s = Session::start(&["-C", sample.to_str().unwrap()], &home);
    s.wait_for("Components by owner");
    s.send("7");
    // The series comes from the history worker's walk.
    s.wait_for("Churn by month");
    s.wait_for("Load over time · components owned");
    // b: the busiest month (the founding one in the sample), then Enter.
    s.send("b");
    s.wait_for("Busiest #1: 2026-01");
    s.send("\r");
    s.wait_for("period=2026-01");
    s.wait_for("Record the first ownership boundaries");
    // Back (Backspace; a lone Esc byte may wait for a sequence) returns
    // to the Trends tab.
    s.send("\x7f");
    s.wait_gone("period=2026-01");
    s.wait_for("Churn by month");
    s.send("q");
    assert!(s.wait_exit().success());
    assert!(!s.parser.screen().alternate_screen());
}

// ---------------------------------------------------------------------
// The terminal is given back after signals, a suspend and an abort
// (issue 19; docs/security.md).

/// The terminal as demarc must leave it: main screen, cursor shown, mouse
/// reporting off, and (read from the pty's modes) canonical input and echo.
#[cfg(unix)]
fn assert_terminal_given_back(s: &Session, what: &str) {
    let screen = s.parser.screen();
    assert!(
        !screen.alternate_screen(),
        "{what}: still on the alternate screen"
    );
    assert!(!screen.hide_cursor(), "{what}: the cursor is still hidden");
    assert_eq!(
        screen.mouse_protocol_mode(),
        vt100::MouseProtocolMode::None,
        "{what}: mouse reporting left on"
    );
    let fd = s.master.as_raw_fd().expect("a pty fd");
    // SAFETY: tcgetattr fills the zeroed struct from a valid fd.
    let modes = unsafe {
        let mut modes: libc::termios = std::mem::zeroed();
        assert_eq!(libc::tcgetattr(fd, &mut modes), 0);
        modes
    };
    assert!(
        modes.c_lflag & libc::ICANON != 0,
        "{what}: raw mode left on"
    );
    assert!(modes.c_lflag & libc::ECHO != 0, "{what}: echo left off");
}

#[cfg(unix)]
fn kill(s: &Session, signal: i32) {
    let pid = s.child.process_id().expect("a pid") as i32;
    // SAFETY: sends a signal to our own child.
    assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
}

#[cfg(unix)]
#[test]
fn every_ending_signal_gives_the_terminal_back_with_the_conventional_status() {
    let (_tmp, sample, home) = sample_and_home();
    for (name, signal) in [
        ("SIGTERM", libc::SIGTERM),
        ("SIGHUP", libc::SIGHUP),
        ("SIGINT", libc::SIGINT),
        ("SIGQUIT", libc::SIGQUIT),
    ] {
        let mut s = Session::start(&["-C", sample.to_str().unwrap()], &home);
        s.wait_for("Components by owner");
        assert!(s.parser.screen().alternate_screen());
        assert_ne!(
            s.parser.screen().mouse_protocol_mode(),
            vt100::MouseProtocolMode::None
        );
        kill(&s, signal);
        let status = s.wait_exit();
        assert_eq!(
            status.exit_code(),
            128 + signal as u32,
            "{name}: {status:?}"
        );
        assert_terminal_given_back(&s, name);
    }
}

#[cfg(unix)]
#[test]
fn a_suspend_gives_the_terminal_back_and_fg_redraws() {
    let (_tmp, sample, home) = sample_and_home();
    let mut s = Session::start(&["-C", sample.to_str().unwrap()], &home);
    s.wait_for("Components by owner");
    let pid = s.child.process_id().unwrap();
    kill(&s, libc::SIGTSTP);
    // Stopped ('T' in /proc), with the terminal given back first.
    let start = Instant::now();
    loop {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let state = stat
            .rsplit(')')
            .next()
            .unwrap_or("")
            .trim_start()
            .chars()
            .next();
        if state == Some('T') {
            break;
        }
        assert!(start.elapsed() < TIMEOUT, "demarc did not stop: {stat}");
        s.pump(Duration::from_millis(50));
    }
    s.pump(Duration::from_millis(200));
    assert_terminal_given_back(&s, "SIGTSTP");
    // `fg`: continued, it takes the terminal again and redraws every cell.
    kill(&s, libc::SIGCONT);
    let start = Instant::now();
    while !(s.parser.screen().alternate_screen() && s.screen().contains("Components by owner")) {
        assert!(
            start.elapsed() < TIMEOUT,
            "no redraw after SIGCONT:\n{}",
            s.screen()
        );
        s.pump(Duration::from_millis(50));
    }
    assert!(
        s.parser.screen().hide_cursor(),
        "the cursor is hidden again"
    );
    s.send("2");
    s.wait_for("Layer responsibility matrix");
    s.send("q");
    assert!(s.wait_exit().success());
    assert_terminal_given_back(&s, "q after fg");
}

#[cfg(unix)]
#[test]
fn an_abort_gives_the_terminal_back() {
    let (_tmp, sample, home) = sample_and_home();
    let mut s = Session::start_with(
        env!("CARGO_BIN_EXE_demarc"),
        &["-C", sample.to_str().unwrap()],
        &home,
        &[("DEMARC_TEST_PANIC", "abort")],
    );
    let status = s.wait_exit();
    assert!(!status.success());
    assert_terminal_given_back(&s, "abort");
}

#[cfg(unix)]
#[test]
fn demo_removes_its_temporary_copy_when_terminated() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let scratch = tmp.path().join("scratch");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::create_dir_all(&scratch).unwrap();
    let mut s = Session::start_with(
        env!("CARGO_BIN_EXE_demarc"),
        &["demo"],
        &home,
        &[("TMPDIR", scratch.to_str().unwrap())],
    );
    s.wait_for("Components by owner");
    assert_eq!(std::fs::read_dir(&scratch).unwrap().count(), 1, "the copy");
    kill(&s, libc::SIGTERM);
    let status = s.wait_exit();
    assert_eq!(status.exit_code(), 143);
    assert_terminal_given_back(&s, "demo");
    let left: Vec<_> = std::fs::read_dir(&scratch).unwrap().flatten().collect();
    assert!(left.is_empty(), "demo left {left:?} behind");
}

/// A terminal that says it is 10000x10000: the frame buffers would ask for
/// 4.8 GB. Under a 3 GB address-space cap the dashboard stays alive, and
/// draws again when the size is back to normal.
#[cfg(unix)]
#[test]
fn a_terminal_reported_as_ten_thousand_square_is_clamped() {
    let (_tmp, sample, home) = sample_and_home();
    let script = r#"ulimit -v 3000000 && exec "$0" -C "$1""#;
    let mut s = Session::start_with(
        "sh",
        &[
            "-c",
            script,
            env!("CARGO_BIN_EXE_demarc"),
            sample.to_str().unwrap(),
        ],
        &home,
        &[],
    );
    s.wait_for("Components by owner");
    // The pty only: the test's own parser keeps its size.
    s.master.resize(size(10_000, 10_000)).unwrap();
    s.send("2");
    // Drain the big frame; the child must still be there.
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(3) {
        s.pump(Duration::from_millis(50));
    }
    assert!(
        s.child.try_wait().unwrap().is_none(),
        "demarc died at 10000x10000"
    );
    s.resize(40, 120);
    // The huge frames may still be in flight when the size comes back: a
    // key press redraws at the size then current, so ask again until the
    // normal screen is back (bounded), rather than trusting one redraw.
    let start = Instant::now();
    while !s.screen().contains("Components by owner") && start.elapsed() < TIMEOUT {
        s.send("1");
        let asked = Instant::now();
        while asked.elapsed() < Duration::from_secs(5)
            && !s.screen().contains("Components by owner")
        {
            s.pump(Duration::from_millis(50));
        }
    }
    s.wait_for("Components by owner");
    s.send("q");
    assert!(s.wait_exit().success());
}
