//! Properties of the CODEOWNERS parser, matcher and generator.
//!
//! Bounded for CI: PROPTEST_CASES (default 256) cases per property.

use demarc::codeowners::{self, Status, matcher::PatternSet};
use demarc::model;
use proptest::prelude::*;

/// Lines mixing what matters to the grammar: patterns, owners, escapes,
/// comments, headings, brackets, negation, odd whitespace.
fn line() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "*", "**", "/", "docs", "apps/", "*.js", "\\ ", "\\", "#", "[", "]", "^[", "!", "@",
        "@o/t", "a@b.c", " ", "\t", "[Sec]", "[2]", "{", "}", "?", "\u{202e}", "é", "\r",
    ]);
    prop::collection::vec(piece, 0..8).prop_map(|p| p.concat())
}

proptest! {
    #[test]
    fn any_text_parses_and_every_finding_points_into_it(lines in prop::collection::vec(line(), 0..12)) {
        let text = lines.join("\n");
        let file = codeowners::parse(&text);
        prop_assert_eq!(&file, &codeowners::parse(&text));
        let count = text.lines().count() as u32;
        for e in &file.errors {
            prop_assert!(e.line >= 1 && e.line <= count.max(1), "{:?}", e);
            prop_assert!(e.column >= 1);
        }
        let mut last = 0;
        for r in &file.rules {
            prop_assert!(r.line > last);
            last = r.line;
            prop_assert!(r.section < file.sections.len());
        }
        codeowners::fuzz_parse(text.as_bytes());
    }

    /// For anchored folder rules, the matcher's choice is the last rule
    /// whose folder holds the path, as a plain loop finds it.
    #[test]
    fn the_last_matching_folder_decides(
        rules in prop::collection::vec(prop::collection::vec(0u8..3, 1..4), 1..12),
        path in prop::collection::vec(0u8..3, 1..5),
    ) {
        let name = |segments: &[u8]| segments.iter().map(|s| format!("d{s}")).collect::<Vec<_>>().join("/");
        let patterns: Vec<String> = rules.iter().map(|r| format!("/{}/", name(r))).collect();
        let file = format!("{}/file.txt", name(&path));
        let set = PatternSet::new(patterns.iter().map(String::as_str));
        let expected = patterns
            .iter()
            .rposition(|p| file.starts_with(&p[1..]));
        prop_assert_eq!(set.last_match(&file), expected);
    }

    /// A generated CODEOWNERS checks clean against the data it came from.
    #[test]
    fn generate_then_check_agrees(
        components in prop::collection::btree_map("[a-z]{1,6}", (0usize..4, prop::collection::vec("[a-z]{1,5}", 1..3)), 1..12),
    ) {
        let mut files = vec![("demarc.toml".to_string(), "schema = 1\norg = \"P\"\n".to_string())];
        for t in 0..4 {
            files.push((format!("teams/t{t}.toml"), format!("name = \"T{t}\"\nkind = \"product\"\ncodeowners = [\"@org/t{t}\"]\n")));
        }
        let mut text = String::new();
        for (id, (owner, dirs)) in &components {
            let paths: Vec<String> = dirs.iter().map(|d| format!("\"{id}/{d}/\"")).collect();
            text.push_str(&format!(
                "[[component]]\nid = \"{id}\"\nname = \"{id}\"\nowner = \"t{owner}\"\npaths = [{}]\n\n",
                paths.join(", ")
            ));
        }
        files.push(("components/c.toml".to_string(), text));
        let (model, _) = model::parse_all(files.iter().map(|(p, t)| (p.as_str(), t.as_bytes())));
        let generated = codeowners::generate(&model, &codeowners::Options::default());
        let file = codeowners::parse(&generated);
        prop_assert!(file.errors.is_empty(), "{:?}", file.errors);
        let report = codeowners::check(&model, &file, "CODEOWNERS", None);
        for v in &report.verdicts {
            prop_assert!(matches!(v.status, Status::Agrees { .. }), "{:?}\n{}", v, generated);
        }
        prop_assert_eq!(report.errors(), 0);
    }
}
