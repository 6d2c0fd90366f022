//! `e`: the selected subject's file, at its line, in the user's editor
//! (`$VISUAL`, else `$EDITOR`), with the terminal given back while it runs
//! and taken over again after.
//!
//! The editor variable is a command line (`code --wait`, `emacsclient -t`),
//! split as a shell splits words but never run through a shell, so nothing
//! in it or in a file name is interpreted. How the line is passed depends
//! on the editor: `--goto FILE:LINE:COL` for VS Code and its forks,
//! `FILE:LINE:COL` for Sublime Text, Zed and Helix, `--line LINE FILE` for
//! JetBrains IDEs and Kate, and `+LINE FILE` for every other (vi, Vim,
//! Neovim, Emacs, nano, micro, kakoune… the convention `less` uses too).
//!
//! Only the work tree (or a plain folder) can be edited: a commit is
//! read-only, and says so. The path comes from the loader (a file it read
//! under the data folder), is joined to the data folder on disk and given
//! absolute, so it can never be taken for an option.

use crate::model::{Location, Model, Subject, SubjectKind};
use crate::repo::Origin;
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

/// The user's editor: a program and the arguments given with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Editor {
    pub program: String,
    pub args: Vec<String>,
    /// The variable it came from, for messages.
    pub from: &'static str,
}

/// How an editor takes a line to open the file at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineStyle {
    /// `+LINE FILE`: vi, Vim, Neovim, Emacs, nano, micro, kakoune, and the
    /// default for editors not known here.
    Plus,
    /// `--goto FILE:LINE:COL`: VS Code, VSCodium, Cursor, Windsurf.
    Goto,
    /// `FILE:LINE:COL`: Sublime Text, Zed, Helix.
    Suffix,
    /// `--line LINE FILE`: JetBrains IDEs, Kate.
    LineFlag,
}

/// A file to open, at a line and column when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub path: PathBuf,
    /// As the status bar names it: relative to the data folder.
    pub shown: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

impl Editor {
    /// `$VISUAL`, else `$EDITOR`, as given (None or empty: unset).
    pub fn choose(visual: Option<&str>, editor: Option<&str>) -> Result<Editor, String> {
        let candidates = [("VISUAL", visual), ("EDITOR", editor)];
        for (name, value) in candidates {
            let Some(value) = value.filter(|v| !v.trim().is_empty()) else {
                continue;
            };
            let mut words = split_words(value)
                .map_err(|why| format!("${name} cannot be read as a command: {why}."))?
                .into_iter();
            let Some(program) = words.next() else {
                continue;
            };
            return Ok(Editor {
                program,
                args: words.collect(),
                from: name,
            });
        }
        Err(
            "No editor is set: set VISUAL or EDITOR (for example EDITOR=vim) to edit with e."
                .into(),
        )
    }

    /// The editor of this process's environment.
    pub fn from_env() -> Result<Editor, String> {
        let visual = std::env::var("VISUAL").ok();
        let editor = std::env::var("EDITOR").ok();
        Editor::choose(visual.as_deref(), editor.as_deref())
    }

    pub fn line_style(&self) -> LineStyle {
        let name = Path::new(&self.program)
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let name = name.strip_suffix(".exe").unwrap_or(&name);
        match name {
            "code" | "code-insiders" | "codium" | "vscodium" | "cursor" | "windsurf" => {
                LineStyle::Goto
            }
            "subl" | "sublime_text" | "zed" | "zeditor" | "hx" | "helix" => LineStyle::Suffix,
            "idea" | "idea.sh" | "pycharm" | "goland" | "clion" | "rustrover" | "webstorm"
            | "phpstorm" | "rubymine" | "rider" | "kate" => LineStyle::LineFlag,
            _ => LineStyle::Plus,
        }
    }

    /// The arguments after the program: the user's own, then the file.
    pub fn arguments(&self, target: &Target) -> Vec<OsString> {
        let mut out: Vec<OsString> = self.args.iter().map(OsString::from).collect();
        let path = target.path.as_os_str().to_owned();
        let Some(line) = target.line else {
            out.push(path);
            return out;
        };
        let with_position = || {
            let mut p = path.clone();
            p.push(format!(":{line}"));
            if let Some(column) = target.column {
                p.push(format!(":{column}"));
            }
            p
        };
        match self.line_style() {
            LineStyle::Plus => out.extend([format!("+{line}").into(), path.clone()]),
            LineStyle::Goto => out.extend(["--goto".into(), with_position()]),
            LineStyle::Suffix => out.push(with_position()),
            LineStyle::LineFlag => {
                out.extend(["--line".into(), line.to_string().into(), path.clone()])
            }
        }
        out
    }

    pub fn command(&self, target: &Target) -> Command {
        let mut command = Command::new(&self.program);
        command
            .args(self.arguments(target))
            .stdin(Stdio::inherit())
            .stdout(Stdio::inherit())
            .stderr(Stdio::inherit());
        command
    }

    /// Runs the editor on `target` and waits for it. A stop of the editor
    /// (Ctrl-Z in it) stops demarc too, so the shell gets the terminal
    /// back; `fg` continues both.
    pub fn run(&self, target: &Target) -> Result<(), String> {
        let child = self.command(target).spawn().map_err(|e| {
            format!(
                "The editor `{}` (from ${}) cannot be started: {}.",
                self.program,
                self.from,
                plain_io_error(&e)
            )
        })?;
        match wait(child) {
            Ok(0) => Ok(()),
            Ok(code) => Err(format!(
                "The editor `{}` exited with status {code}.",
                self.program
            )),
            Err(e) => Err(format!("Waiting for the editor failed: {e}.")),
        }
    }
}

/// Where a subject is declared, as the loader read it.
pub fn location_of<'a>(model: &'a Model, subject: &Subject) -> Option<&'a Location> {
    let id = subject.id.as_str();
    match subject.kind {
        SubjectKind::Component => model.component(id).map(|c| &c.location),
        SubjectKind::Team => model.team(id).map(|t| &t.location),
        SubjectKind::Layer => model.layer(id).map(|l| &l.location),
        SubjectKind::Pillar => model.pillar(id).map(|p| &p.location),
        SubjectKind::Scenario => model.scenario(id).map(|s| &s.location),
        SubjectKind::Matrix => model.matrix(id).map(|m| &m.location),
    }
}

/// Why the data shown cannot be edited, if it cannot: a commit is
/// read-only (the work tree and a plain folder are files on disk).
pub fn read_only(origin: &Origin) -> Option<String> {
    match origin {
        Origin::Commit(info) => Some(format!(
            "Commit {} is read-only: e edits the work tree.",
            info.short_id()
        )),
        _ => None,
    }
}

/// The file on disk to open for `location`, under `data_folder` (the
/// work tree's data folder; None for a bare repository).
pub fn target(data_folder: Option<&Path>, location: &Location) -> Result<Target, String> {
    let Some(folder) = data_folder else {
        return Err("This repository has no work tree to edit.".into());
    };
    let relative = Path::new(&location.file);
    let inside = !location.file.is_empty()
        && relative
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if !inside {
        return Err(format!(
            "`{}` is not a file of the data folder.",
            crate::sanitize::line(&location.file)
        ));
    }
    let path = folder.join(relative);
    if !path.is_file() {
        return Err(format!(
            "{} is not in the work tree (removed since it was read?).",
            crate::sanitize::line(&location.file)
        ));
    }
    Ok(Target {
        path,
        shown: location.file.clone(),
        line: location.line,
        column: location.column,
    })
}

/// Splits a command line into words as a POSIX shell does for plain words
/// and quotes: `'…'` keeps everything, `"…"` keeps all but `\"`, `\\`,
/// `\$` and `` \` ``, a backslash outside quotes keeps the next character.
/// Nothing is expanded.
pub fn split_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err("a ' is not closed".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => word.push(c),
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err("a \" is not closed".into()),
                        },
                        Some(c) => word.push(c),
                        None => return Err("a \" is not closed".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(c) = chars.next() {
                    word.push(c);
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

fn plain_io_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such program".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Waits for the child; its exit code (128 + n when a signal ended it).
#[cfg(unix)]
fn wait(child: std::process::Child) -> std::io::Result<i32> {
    let pid = child.id() as libc::pid_t;
    loop {
        let mut status = 0;
        // SAFETY: waitpid on our own child, writing into a local.
        let r = unsafe { libc::waitpid(pid, &mut status, libc::WUNTRACED) };
        if r < 0 {
            let e = std::io::Error::last_os_error();
            if e.kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return Err(e);
        }
        if libc::WIFSTOPPED(status) {
            // The editor was suspended: stop as a job with it, so the shell
            // has the terminal; on `fg` continue it (the shell continues
            // the whole group; this is for a stop sent to it alone).
            let _ = signal_hook::low_level::emulate_default_handler(signal_hook::consts::SIGTSTP);
            // SAFETY: sending SIGCONT to our own child.
            unsafe { libc::kill(pid, libc::SIGCONT) };
            continue;
        }
        if libc::WIFEXITED(status) {
            return Ok(libc::WEXITSTATUS(status));
        }
        if libc::WIFSIGNALED(status) {
            return Ok(128 + libc::WTERMSIG(status));
        }
    }
}

#[cfg(not(unix))]
fn wait(mut child: std::process::Child) -> std::io::Result<i32> {
    Ok(child.wait()?.code().unwrap_or(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn editor(line: &str) -> Editor {
        Editor::choose(None, Some(line)).unwrap()
    }

    fn at(path: &str, line: Option<u32>, column: Option<u32>) -> Target {
        Target {
            path: PathBuf::from(path),
            shown: path.into(),
            line,
            column,
        }
    }

    fn args(e: &Editor, t: &Target) -> Vec<String> {
        e.arguments(t)
            .into_iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn visual_wins_over_editor_and_empty_means_unset() {
        let e = Editor::choose(Some("nvim"), Some("nano")).unwrap();
        assert_eq!((e.program.as_str(), e.from), ("nvim", "VISUAL"));
        let e = Editor::choose(Some("  "), Some("nano")).unwrap();
        assert_eq!((e.program.as_str(), e.from), ("nano", "EDITOR"));
        let none = Editor::choose(None, Some("")).unwrap_err();
        assert!(none.contains("set VISUAL or EDITOR"), "{none}");
        let bad = Editor::choose(None, Some("vim '-c")).unwrap_err();
        assert_eq!(
            bad,
            "$EDITOR cannot be read as a command: a ' is not closed."
        );
    }

    #[test]
    fn command_lines_split_like_a_shell_without_expanding() {
        assert_eq!(split_words("code --wait").unwrap(), vec!["code", "--wait"]);
        assert_eq!(
            split_words(r#"  "/Applications/My Editor/bin/ed" -w 'a b' c\ d "x\"y" $HOME "#)
                .unwrap(),
            vec![
                "/Applications/My Editor/bin/ed",
                "-w",
                "a b",
                "c d",
                "x\"y",
                "$HOME"
            ]
        );
        assert_eq!(split_words("''").unwrap(), vec![""]);
        assert!(split_words("\"open").is_err());
    }

    #[test]
    fn the_line_is_passed_as_each_editor_expects() {
        let t = at("/data/teams/sre.toml", Some(12), Some(3));
        assert_eq!(args(&editor("vim"), &t), ["+12", "/data/teams/sre.toml"]);
        assert_eq!(
            args(&editor("/usr/bin/nvim"), &t),
            ["+12", "/data/teams/sre.toml"]
        );
        assert_eq!(
            args(&editor("code --wait"), &t),
            ["--wait", "--goto", "/data/teams/sre.toml:12:3"]
        );
        assert_eq!(args(&editor("hx"), &t), ["/data/teams/sre.toml:12:3"]);
        assert_eq!(
            args(&editor("idea"), &t),
            ["--line", "12", "/data/teams/sre.toml"]
        );
        assert_eq!(
            args(&editor("emacsclient -t"), &t),
            ["-t", "+12", "/data/teams/sre.toml"]
        );
        // No line known: the file alone.
        assert_eq!(
            args(&editor("code -w"), &at("/d/a.toml", None, None)),
            ["-w", "/d/a.toml"]
        );
        assert_eq!(
            args(&editor("subl"), &at("/d/a.toml", Some(4), None)),
            ["/d/a.toml:4"]
        );
    }

    #[test]
    fn a_commit_is_read_only_and_paths_stay_in_the_data_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("teams")).unwrap();
        std::fs::write(dir.path().join("teams/sre.toml"), "[team]\n").unwrap();
        let t = target(Some(dir.path()), &Location::at("teams/sre.toml", 1, 1)).unwrap();
        assert_eq!(t.path, dir.path().join("teams/sre.toml"));
        assert_eq!((t.line, t.column), (Some(1), Some(1)));
        assert!(target(Some(dir.path()), &Location::file("teams/sre.toml")).is_ok());
        assert_eq!(read_only(&Origin::Folder), None);
        assert_eq!(read_only(&Origin::WorkTree { dirty: vec![] }), None);

        let commit = Origin::Commit(crate::repo::CommitInfo {
            id: "a62b987".repeat(5) + "abcde",
            time: chrono::DateTime::parse_from_rfc3339("2026-05-18T10:00:00Z").unwrap(),
            author: "Priya".into(),
            email: "p@x".into(),
            message: "m".into(),
        });
        assert_eq!(
            read_only(&commit).unwrap(),
            "Commit a62b987 is read-only: e edits the work tree."
        );
        for outside in ["../secret.toml", "/etc/passwd", ""] {
            let why = target(Some(dir.path()), &Location::file(outside)).unwrap_err();
            assert!(
                why.contains("is not a file of the data folder"),
                "{outside}: {why}"
            );
        }
        let gone = target(Some(dir.path()), &Location::file("teams/gone.toml"));
        assert!(gone.unwrap_err().contains("is not in the work tree"));
        assert!(target(None, &Location::file("teams/sre.toml")).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn run_passes_the_arguments_and_reports_failures_plainly() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let record = dir.path().join("args");
        let script = dir.path().join("record-editor");
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\nexit \"${{EXIT:-0}}\"\n",
                record.display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        let quoted = format!("'{}' --flag", script.display());
        let e = editor(&quoted);
        e.run(&at("/d/teams/sre.toml", Some(7), Some(1))).unwrap();
        assert_eq!(
            std::fs::read_to_string(&record).unwrap(),
            "--flag\n+7\n/d/teams/sre.toml\n"
        );
        let failing = editor(&format!("sh -c 'exit 3' {}", script.display()));
        assert_eq!(
            failing.run(&at("/x", None, None)).unwrap_err(),
            "The editor `sh` exited with status 3."
        );
        let missing = editor("no-such-editor-on-this-machine").run(&at("/x", None, None));
        assert_eq!(
            missing.unwrap_err(),
            "The editor `no-such-editor-on-this-machine` (from $EDITOR) cannot be started: no such program."
        );
    }

    #[test]
    fn every_subject_kind_has_its_location() {
        let mut model = Model::default();
        model.layers.push(crate::model::Layer {
            id: "service".into(),
            name: "Service".into(),
            scope: None,
            roles: vec![],
            location: Location::at("layers.toml", 9, 1),
        });
        let layer = Subject::new(SubjectKind::Layer, "service");
        assert_eq!(
            location_of(&model, &layer),
            Some(&Location::at("layers.toml", 9, 1))
        );
        assert_eq!(
            location_of(&model, &Subject::new(SubjectKind::Team, "x")),
            None
        );
    }
}
