//! The fast YAML reader (`backstage::yaml`'s line-at-a-time path) against
//! saphyr-parser, the reference: on generated catalogs and YAML trees in
//! every style the subset has (and some it leaves to saphyr), and on
//! mutations of them, `yaml::read` must give exactly the `Documents` of
//! `yaml::read_saphyr` (nodes, lines, columns, duplicate keys, errors).
//! For text inside the subset the fast path must also be the one taken,
//! so the comparison is not vacuous.
//!
//! Bounded for CI: PROPTEST_CASES (default 256) cases per property.

use demarc::backstage::yaml;
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Scalar {
    /// 0 plain, 1 single-quoted, 2 double-quoted.
    style: u8,
    text: String,
}

#[derive(Debug, Clone)]
enum Y {
    Scalar(Scalar),
    /// 0 nothing after the key or `-`, 1 `~`, 2 `null`.
    Null(u8),
    Flow(Vec<Scalar>),
    EmptyMap,
    /// Entries (key, value, a comment after it), extra indent.
    Map(Vec<(Scalar, Y, bool)>, usize),
    /// Items, extra indent, indentless under a key, compact maps in it.
    Seq(Vec<Y>, usize, bool, bool),
}

/// Plain text the fast path reads: words, URLs, references, unicode.
fn plain_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z0-9-]{0,10}",
        "[A-Za-z][A-Za-z0-9._/@-]{0,12}( [a-z0-9]{1,5}){0,2}",
        "(component|group|resource|api):([a-z]{1,6}/)?[a-z][a-z0-9-]{0,8}",
        "https://[a-z]{1,8}\\.example/[a-z0-9/#?=]{0,10}",
        "[0-9]{1,5}",
        "(true|false|yes|no|1\\.5|0x1F)",
        "[a-zé名ß]{1,4}[a-z0-9 é]{0,6}[a-z]",
    ]
}

/// Any text, for quoted scalars and (in the wild generator) plain ones.
fn wild_text() -> impl Strategy<Value = String> {
    "[ -~éß名\u{a0}]{0,12}"
}

/// Plain text the fast path reads inside `[...]`.
fn flow_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z0-9-]{0,10}",
        "(component|group|resource):([a-z]{1,6}/)?[a-z][a-z0-9-]{0,8}",
        "[a-z]{1,4} [a-zé名]{1,4}",
    ]
}

fn flow_scalar(wild: bool) -> BoxedStrategy<Scalar> {
    if wild {
        return scalar(true);
    }
    prop_oneof![
        3 => flow_text().prop_map(|text| Scalar { style: 0, text }),
        1 => wild_text().prop_map(|text| Scalar { style: 1, text }),
        1 => wild_text().prop_map(|text| Scalar { style: 2, text }),
    ]
    .boxed()
}

fn scalar(wild: bool) -> BoxedStrategy<Scalar> {
    let plain = if wild {
        prop_oneof![plain_text(), wild_text()].boxed()
    } else {
        plain_text().boxed()
    };
    prop_oneof![
        3 => plain.prop_map(|text| Scalar { style: 0, text }),
        1 => wild_text().prop_map(|text| Scalar { style: 1, text }),
        1 => wild_text().prop_map(|text| Scalar { style: 2, text }),
    ]
    .boxed()
}

fn key(wild: bool) -> BoxedStrategy<Scalar> {
    // A small alphabet, so that duplicate keys happen.
    let plain = prop_oneof![
        "[a-c]{1,2}",
        "(apiVersion|kind|metadata|name|spec|owner|tags|links|url|title)",
        "(pagerduty\\.com/service-id|backstage\\.io/techdocs-ref|my key|~|null)",
    ];
    let plain = if wild {
        prop_oneof![plain, wild_text()].boxed()
    } else {
        plain.boxed()
    };
    prop_oneof![
        4 => plain.prop_map(|text| Scalar { style: 0, text }),
        1 => "[a-c]{0,2}".prop_map(|text| Scalar { style: 1, text }),
        1 => "[a-c:# ]{0,3}".prop_map(|text| Scalar { style: 2, text }),
    ]
    .boxed()
}

fn tree(wild: bool) -> impl Strategy<Value = Y> {
    let leaf = prop_oneof![
        4 => scalar(wild).prop_map(Y::Scalar),
        1 => (0..3u8).prop_map(Y::Null),
        1 => proptest::collection::vec(flow_scalar(wild), 0..4).prop_map(Y::Flow),
        1 => Just(Y::EmptyMap),
    ];
    leaf.prop_recursive(5, 48, 6, move |inner| {
        prop_oneof![
            (
                proptest::collection::vec((key(wild), inner.clone(), any::<bool>()), 1..6),
                1..4usize
            )
                .prop_map(|(entries, extra)| Y::Map(entries, extra)),
            (
                proptest::collection::vec(inner, 1..5),
                1..4usize,
                any::<bool>(),
                any::<bool>()
            )
                .prop_map(|(items, extra, indentless, compact)| Y::Seq(
                    items, extra, indentless, compact
                )),
        ]
    })
}

fn render_scalar(s: &Scalar, out: &mut String) {
    match s.style {
        0 => out.push_str(&s.text),
        1 => {
            out.push('\'');
            out.push_str(&s.text.replace('\'', "''"));
            out.push('\'');
        }
        _ => {
            out.push('"');
            for c in s.text.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    'é' => out.push_str("\\u00e9"),
                    'ß' => out.push_str("\\xdf"),
                    '\u{a0}' => out.push_str("\\_"),
                    c => out.push(c),
                }
            }
            out.push('"');
        }
    }
}

/// A node that fits on the line after `key:` or `-`, with its newline.
fn render_inline(y: &Y, comment: bool, out: &mut String) -> bool {
    match y {
        Y::Scalar(s) => {
            out.push(' ');
            render_scalar(s, out);
        }
        Y::Null(0) => {}
        Y::Null(1) => out.push_str(" ~"),
        Y::Null(_) => out.push_str(" null"),
        Y::Flow(items) => {
            out.push_str(" [");
            for (i, s) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                render_scalar(s, out);
            }
            out.push(']');
        }
        Y::EmptyMap => out.push_str(" {}"),
        Y::Map(..) | Y::Seq(..) => return false,
    }
    if comment {
        out.push_str("  # a comment: here");
    }
    out.push('\n');
    true
}

fn render_map(entries: &[(Scalar, Y, bool)], n: usize, out: &mut String) {
    for (i, (k, v, comment)) in entries.iter().enumerate() {
        if *comment && i % 2 == 1 {
            out.push_str(&format!("{}# between entries\n\n", " ".repeat(i % 3)));
        }
        out.push_str(&" ".repeat(n));
        render_scalar(k, out);
        out.push(':');
        render_value(v, n, *comment, out);
    }
}

/// The value after `key:` of a mapping at indent `n`.
fn render_value(y: &Y, n: usize, comment: bool, out: &mut String) {
    if render_inline(y, comment, out) {
        return;
    }
    if comment {
        out.push_str(" # nested below");
    }
    out.push('\n');
    match y {
        Y::Map(entries, extra) => render_map(entries, n + extra, out),
        Y::Seq(items, extra, indentless, compact) => {
            let at = if *indentless { n } else { n + extra };
            render_seq(items, at, *compact, out)
        }
        _ => unreachable!(),
    }
}

fn render_seq(items: &[Y], n: usize, compact: bool, out: &mut String) {
    for y in items {
        out.push_str(&" ".repeat(n));
        out.push('-');
        if render_inline(y, false, out) {
            continue;
        }
        match y {
            Y::Map(entries, extra) if compact => {
                // `- key: value` with the other keys under the first.
                let mut map = String::new();
                render_map(entries, n + 2, &mut map);
                out.push(' ');
                out.push_str(&map[n + 2..]);
                let _ = extra;
            }
            Y::Map(entries, extra) => {
                out.push('\n');
                render_map(entries, n + extra, out);
            }
            Y::Seq(items, extra, _, compact) => {
                out.push('\n');
                render_seq(items, n + extra, *compact, out);
            }
            _ => unreachable!(),
        }
    }
}

/// A stream of documents: roots that are mappings or sequences, with
/// `---` lines, comments and empty documents between them.
fn render_stream(docs: &[(Y, u8)], out: &mut String) {
    for (i, (y, sep)) in docs.iter().enumerate() {
        match sep % 6 {
            0 if i > 0 => out.push_str("---\n"),
            0 => {}
            1 => out.push_str("---\n"),
            2 => out.push_str("# a file comment\n---  # with a comment\n"),
            3 => out.push_str("---\n---\n"),
            4 => out.push_str("\n---\n\n"),
            _ => out.push_str("---\n# only a comment\n"),
        }
        match y {
            Y::Map(entries, _) => render_map(entries, 0, out),
            Y::Seq(items, _, _, compact) => render_seq(items, 0, *compact, out),
            other => {
                // A scalar document: saphyr's (the fast path leaves it).
                out.push('x');
                render_inline(other, false, out);
            }
        }
    }
    if docs.last().is_some_and(|(_, sep)| sep % 5 == 4) {
        out.push_str("---\n");
    }
}

fn stream(wild: bool) -> impl Strategy<Value = String> {
    proptest::collection::vec((tree(wild), any::<u8>()), 0..4).prop_map(|docs| {
        let mut out = String::new();
        render_stream(&docs, &mut out);
        out
    })
}

/// A catalog file in the shapes real ones have.
fn catalog() -> impl Strategy<Value = String> {
    let entity = (
        "(Component|Resource|Group|API|System)",
        "[a-z][a-z0-9-]{0,12}",
        proptest::option::of("[A-Z][a-z ]{0,15}"),
        proptest::collection::vec("[a-z0-9][a-z0-9-]{0,7}", 0..4),
        "(group:)?[a-z][a-z-]{0,8}",
        proptest::collection::vec("(component|resource):[a-z]{1,8}", 0..3),
        any::<u8>(),
    );
    proptest::collection::vec(entity, 1..6).prop_map(|entities| {
        let mut out = String::from("# generated catalog\n");
        for (kind, name, title, tags, owner, deps, style) in entities {
            out.push_str("---\napiVersion: backstage.io/v1alpha1\n");
            out.push_str(&format!("kind: {kind}\nmetadata:\n  name: {name}\n"));
            if let Some(t) = title {
                out.push_str(&format!("  title: \"{t}\"\n"));
            }
            if style & 1 == 0 {
                out.push_str(&format!("  tags: [{}]\n", tags.join(", ")));
            } else {
                out.push_str("  tags:\n");
                for t in &tags {
                    out.push_str(&format!("  - {t}\n"));
                }
            }
            if style & 2 == 0 {
                out.push_str("  annotations:\n    pagerduty.com/service-id: PABC123\n");
            }
            if style & 4 == 0 {
                out.push_str("  links:\n    - url: https://runbooks.example/x\n      title: Runbook  # why\n");
            }
            out.push_str(&format!("spec:\n  type: service\n  owner: {owner}\n"));
            if !deps.is_empty() {
                if style & 8 == 0 {
                    let quoted: Vec<String> = deps.iter().map(|d| format!("'{d}'")).collect();
                    out.push_str(&format!("  dependsOn: [{}]\n", quoted.join(", ")));
                } else {
                    out.push_str("  dependsOn:\n");
                    for d in &deps {
                        out.push_str(&format!("    - {d}\n"));
                    }
                }
            }
            if style & 16 == 0 {
                out.push_str("  children: []\n  profile:\n    displayName: \"A team\"\n    email: a@example.com\n");
            }
        }
        out
    })
}

/// Edits that reach into what the subset does and does not take.
fn mutate(text: &str, edits: &[(u16, u8, u8)]) -> Vec<u8> {
    const ALPHABET: &[&str] = &[
        " ", "\n", ":", "-", "#", "'", "\"", "[", "]", "{", "}", ",", "\t", "\\", "&a ", "*a", "|",
        ">", "?", "!", "%", "---\n", "...", "\r", "é", "~", "a", "  ", "- ", ": ", " #",
    ];
    let mut bytes = text.as_bytes().to_vec();
    for &(at, op, pick) in edits {
        let i = at as usize % (bytes.len() + 1);
        let piece = ALPHABET[pick as usize % ALPHABET.len()].as_bytes();
        match op % 3 {
            0 => {
                bytes.splice(i..i, piece.iter().copied());
            }
            1 if i < bytes.len() => {
                bytes.remove(i);
            }
            _ if i < bytes.len() => {
                let end = (i + piece.len()).min(bytes.len());
                bytes.splice(i..end, piece.iter().copied());
            }
            _ => {}
        }
    }
    bytes
}

fn same(bytes: &[u8]) -> Result<(), TestCaseError> {
    let ours = yaml::read(bytes);
    let reference = yaml::read_saphyr(bytes);
    prop_assert_eq!(
        &ours,
        &reference,
        "text: {:?}",
        String::from_utf8_lossy(bytes)
    );
    Ok(())
}

proptest! {
    #[test]
    fn generated_catalogs_are_read_fast_and_the_same(text in catalog()) {
        prop_assert!(
            yaml::read_fast_only(text.as_bytes()).is_some(),
            "the subset is taken: {text}"
        );
        same(text.as_bytes())?;
    }

    #[test]
    fn trees_in_the_subset_are_read_fast_and_the_same(text in stream(false)) {
        let docs = yaml::read_saphyr(text.as_bytes());
        // Scalar documents are left to saphyr; everything else is taken.
        let scalar_root = docs.docs.iter().any(|d| matches!(d.value, yaml::Value::Scalar(_)));
        if docs.error.is_none() && !scalar_root {
            prop_assert!(
                yaml::read_fast_only(text.as_bytes()).is_some(),
                "the subset is taken: {text}"
            );
        }
        same(text.as_bytes())?;
    }

    #[test]
    fn wild_trees_read_the_same(text in stream(true)) {
        same(text.as_bytes())?;
    }

    #[test]
    fn mutated_catalogs_read_the_same(
        text in catalog(),
        edits in proptest::collection::vec((any::<u16>(), any::<u8>(), any::<u8>()), 1..6),
    ) {
        same(&mutate(&text, &edits))?;
    }

    #[test]
    fn mutated_trees_read_the_same(
        text in stream(false),
        edits in proptest::collection::vec((any::<u16>(), any::<u8>(), any::<u8>()), 1..6),
    ) {
        same(&mutate(&text, &edits))?;
    }
}

/// Hand-picked edges: each must read as saphyr reads it, and the ones in
/// the subset must be taken by the fast path.
#[test]
fn edges_read_as_saphyr_reads_them() {
    let fast: &[&str] = &[
        "",
        "# only a comment\n",
        "---\n",
        "---",
        "a: 1\n---\n",
        "a: 1\n---",
        "a: 1\n---\n---\nb: 2\n",
        "---\n# c\n---\n# d\n",
        "a:\n- x\n-\n- y\nb: 1\n",
        "a:\n  - x\n  - k: v\n    l: w\n",
        "  a: 1\n  b: 2\n",
        "- a: 1\n  b:\n  - c\n- ~\n-\n",
        "a: b # c\n# d\ne: 'f''g' # h\n",
        "a: \"\\u00e9\\t\\x41\\\"\\\\\\/\\N\\_\"\n",
        "é: ü名\nnamé: x\n",
        "tags: [a, 'b c', \"d\", ~, null]\nempty: []\nmap: {}\nsp: [ ]\n",
        "a: 1\na: 2\nb:\n  a: 1\n  a:\n",
        "null: 1\n~: 2\n'': 3\n",
        "a:    \n  # c\nb: x\n",
        "url: https://x.example/a#b\nk: a:b\n",
        "--- # c\na: 1\n",
        "a: b\n\n\n",
        "deps: [component:a, group:b/c, x y]\n",
    ];
    for text in fast {
        assert!(
            yaml::read_fast_only(text.as_bytes()).is_some(),
            "{text:?} is in the subset"
        );
        assert_eq!(
            yaml::read(text.as_bytes()),
            yaml::read_saphyr(text.as_bytes()),
            "{text:?}"
        );
    }
    let left_to_saphyr: &[&str] = &[
        "a: &x 1\nb: *x\n",
        "a: |\n  text\n",
        "a: >\n  text\n",
        "a: !tag x\n",
        "a: {b: 1}\n",
        "a: [1,\n  2]\n",
        "a: b\n  c\n",
        "a: 'b\n  c'\n",
        "a:\tb\n",
        "a: b\r\n",
        "%YAML 1.2\n---\na: 1\n",
        "a: 1\n...\n",
        "? a\n: b\n",
        "a: b: c\n",
        "x\n",
        "a: 1\n b: 2\n",
        "\u{feff}a: 1\n",
        "a: b # c\n  d\n",
        "[a, b]\n",
        "- - x\n",
        "a: [b: c]\n",
        "a: [b:]\n",
    ];
    for text in left_to_saphyr {
        assert!(
            yaml::read_fast_only(text.as_bytes()).is_none(),
            "{text:?} is left to saphyr"
        );
        assert_eq!(
            yaml::read(text.as_bytes()),
            yaml::read_saphyr(text.as_bytes())
        );
    }
}

/// The synthetic generator's catalog (what the bench reads) is inside the
/// subset, file by file, so the bench measures the fast path.
#[test]
fn the_synthetic_catalog_is_read_by_the_fast_path() {
    let dir = tempfile::tempdir().unwrap();
    let params = demarc::synth::Params {
        teams: 12,
        components: 300,
        commits: 1,
        data_share: 0.3,
        dir: "ownership".into(),
        seed: 12,
        broken_share: 0.0,
    };
    demarc::synth::generate_as(dir.path(), &params, demarc::synth::Format::Backstage).unwrap();
    let mut read = 0;
    let mut stack = vec![dir.path().join("ownership")];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                let bytes = std::fs::read(&path).unwrap();
                let fast = yaml::read_fast_only(&bytes);
                assert!(fast.is_some(), "{} is left to saphyr", path.display());
                assert_eq!(
                    fast.unwrap(),
                    yaml::read_saphyr(&bytes),
                    "{}",
                    path.display()
                );
                read += 1;
            }
        }
    }
    assert!(read > 12, "the catalog has its files: {read}");
}
