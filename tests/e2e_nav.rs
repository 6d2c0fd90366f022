//! Navigation in the real binary, in a pseudo-terminal (issue 18): a list
//! filtered in place as you type, a filter picked with type-ahead, `y`
//! copying the selected id (OSC 52), `q` closing a popup instead of
//! quitting, and `e` opening the selected subject's file at its line in
//! `$EDITOR` (a script that records its arguments and the terminal's modes)
//! with the terminal given back while it runs and taken again after.
//!
//! The screen is polled with a generous timeout; nothing asserts a time.

mod support;

use std::path::Path;
use support::pty::Session;

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
    let mut s = Session::start_with(
        env!("CARGO_BIN_EXE_demarc"),
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
