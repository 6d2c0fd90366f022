//! Terminal injection: repository text carrying ESC, OSC, CSI, BEL, CR,
//! C1 controls or bidirectional overrides never reaches stdout raw, in
//! plain or JSON output.

mod support;

use support::{MINIMAL, TestRepo, run};

/// Every kind of hostile sequence, planted in names, ids, messages.
const PAYLOADS: &[&str] = &[
    "\x1b[2J\x1b[H",            // CSI: clear screen
    "\x1b]0;pwned\x07",         // OSC: set the window title, BEL-terminated
    "\x1b]52;c;ZXZpbA==\x1b\\", // OSC 52: write the clipboard
    "\x07",                     // BEL
    "\rOverwritten",            // carriage return
    "\u{9b}31m",                // C1 CSI
    "\u{202E}evil\u{202C}",     // bidi override
    "\u{2066}isolate\u{2069}",  // bidi isolate
    "\x08\x08backspace",
];

/// True when the bytes hold anything that could drive a terminal.
fn has_raw_controls(bytes: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    for c in text.chars() {
        let bad = (c.is_control() && c != '\n')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}');
        if bad {
            return Some(format!("U+{:04X}", c as u32));
        }
    }
    None
}

fn hostile_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write_all("", MINIMAL);
    let all = PAYLOADS.concat();
    // TOML basic strings take \u escapes, so every payload is valid TOML.
    let escaped: String = all
        .chars()
        .map(|c| {
            if c.is_control() || (c as u32) > 0x7f {
                format!("\\u{:04X}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect();
    repo.write(
        "teams/evil.toml",
        &format!("name = \"Evil {escaped}\"\nkind = \"product\"\nlead = \"{escaped}\"\n[oncall]\nrotation = \"r{escaped}\"\npager = \"p{escaped}\"\nescalation = [\"{escaped}\"]\n\"key{escaped}\" = 1\n"),
    );
    repo.write(
        "components/evil.toml",
        &format!(
            "[[component]]\nid = \"evil\"\nname = \"Evil {escaped}\"\nowner = \"evil\"\ntier = 1\nrunbook = \"{escaped}\"\nconsumers = [\"checkout\"]\n[[component.duty]]\nparty = \"@consumers\"\ncovers = [\"{escaped}\"]\n[[component]]\nid = \"bad{escaped}\"\nname = \"x\"\nowner = \"ghost{escaped}\"\n"
        ),
    );
    repo.write(
        "scenarios/evil.toml",
        &format!("[[scenario]]\nid = \"evil-scenario\"\ntitle = \"Evil {escaped}\"\nkeywords = [\"evil\"]\ncomponents = [\"evil\"]\nfirst = \"@consumers\"\nresolution = \"{escaped}\"\n"),
    );
    repo.commit(
        &format!("A message {all}\n\nbody {all}"),
        "2026-01-10T10:00:00Z",
    );
    repo
}

#[test]
fn no_command_prints_raw_control_characters() {
    let repo = hostile_repo();
    let commands: Vec<Vec<&str>> = vec![
        vec!["check"],
        vec!["check", "--json"],
        vec!["--rev", "HEAD", "check"],
        vec!["who", "evil"],
        vec!["who", "evil", "--json"],
        vec!["--at", "2026-02-01", "who", "evil"],
        vec!["--at", "2026-02-01", "who", "evil", "--json"],
        vec!["who", "\x1b[2Jevil"],
        vec!["history"],
        vec!["history", "--json"],
        vec!["diff", "HEAD"],
        vec!["diff", "HEAD", "--json"],
        vec!["search", "evil"],
        vec!["search", "evil", "--json"],
    ];
    for args in commands {
        let out = run(repo.path(), &args);
        assert!(out.stdout.len() > 10, "{args:?} printed something");
        if let Some(c) = has_raw_controls(&out.stdout) {
            panic!(
                "{args:?} printed a raw {c} on stdout:\n{}",
                String::from_utf8_lossy(&out.stdout)
            );
        }
        if let Some(c) = has_raw_controls(&out.stderr) {
            panic!("{args:?} printed a raw {c} on stderr");
        }
    }
}

#[test]
fn sanitized_text_stays_readable() {
    let repo = hostile_repo();
    let out = run(repo.path(), &["who", "evil"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("\\u{1b}[2J"),
        "the escape is shown, not run: {text}"
    );
    assert!(text.contains("Evil"), "{text}");
    // JSON stays valid JSON and keeps the text, escaped.
    let out = run(repo.path(), &["who", "evil", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["matches"][0]["name"].as_str().unwrap().contains('\u{1b}'));
}

#[test]
fn errors_with_hostile_arguments_are_sanitized() {
    let repo = hostile_repo();
    let out = run(repo.path(), &["--rev", "\x1b]0;x\x07", "check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        has_raw_controls(&out.stderr).is_none(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
