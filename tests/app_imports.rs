//! No import circle inside `src/app`: every module there may use the ones
//! below it (the leaf modules: messages, actions, lists, the data) and
//! never, through any chain of `use`s or paths, one that uses it back.
//! Circles are what made a tab's behaviour hard to follow: a file could
//! only be read together with the five others it went round with.
//!
//! The graph is built from the source text: every `crate::app::…` and
//! `super::…` path (in `use` lines and in code) and every `use child::…`
//! of a module's own child is an edge from the file it is in to the module
//! it names. A `mod child;` declaration alone is not (a parent owns its
//! children; it depends on one only when it uses it).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

/// The module path of a file under `src/`: `app/tabs/mod.rs` -> `app::tabs`.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().map(String::as_str) == Some("mod") {
        parts.pop();
    }
    parts.join("::")
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The longest prefix of `path` (segments) that is a known module.
fn resolve(path: &[&str], modules: &BTreeSet<String>) -> Option<String> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].join("::"))
        .find(|m| modules.contains(m))
}

/// The paths a line names, as segments from the crate root: `crate::x::y`
/// and `super::x` (relative to `module`, and to its parent for a file
/// that is not a `mod.rs`), and `use child::…` of a declared child. A
/// `use a::{b, c::d}` group names `a::b` and `a::c::d`.
fn named_paths(line: &str, module: &str, children: &BTreeSet<String>) -> Vec<Vec<String>> {
    let line = line.split("//").next().unwrap_or("");
    let mut out = Vec::new();
    let bytes: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let rest: String = bytes[i..].iter().collect();
        let boundary = i == 0
            || !(bytes[i - 1].is_alphanumeric() || bytes[i - 1] == '_' || bytes[i - 1] == ':');
        let start = if !boundary {
            None
        } else if rest.starts_with("crate::") {
            Some((Vec::new(), "crate::".len()))
        } else if rest.starts_with("super::") {
            let mut base: Vec<String> = module.split("::").map(str::to_string).collect();
            let mut len = 0;
            let mut rest2 = rest.as_str();
            while let Some(r) = rest2.strip_prefix("super::") {
                base.pop();
                len += "super::".len();
                rest2 = r;
            }
            Some((base, len))
        } else if line.trim_start().starts_with("use ")
            && i == line.find(|c: char| !c.is_whitespace()).unwrap_or(0) + 4
        {
            let first: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if children.contains(&first) {
                let base: Vec<String> = module.split("::").map(str::to_string).collect();
                Some((base, 0))
            } else {
                None
            }
        } else {
            None
        };
        if let Some((base, skip)) = start {
            let tail: String = rest[skip..].to_string();
            for p in expand(&tail) {
                let mut full = base.clone();
                full.extend(p);
                out.push(full);
            }
            i += skip.max(1);
        } else {
            i += 1;
        }
    }
    out
}

/// The paths of a `{c, d::e}` group (its text after the `{`) under `base`.
fn group(base: Vec<String>, text: &str) -> Vec<Vec<String>> {
    let inner = &text[..text.find('}').unwrap_or(text.len())];
    inner
        .split(',')
        .map(|part| {
            let mut full = base.clone();
            full.extend(
                part.trim()
                    .split("::")
                    .map(|s| s.trim_matches(|c: char| !(c.is_alphanumeric() || c == '_')))
                    .filter(|s| !s.is_empty() && *s != "self")
                    .map(str::to_string),
            );
            full
        })
        .collect()
}

/// `a::b::{c, d::e}` -> [a::b::c, a::b::d::e]; `a::b::C;` -> [a::b::C].
fn expand(text: &str) -> Vec<Vec<String>> {
    let mut segments = Vec::new();
    let mut rest = text;
    if let Some(r) = rest.strip_prefix('{') {
        return group(Vec::new(), r);
    }
    loop {
        let word: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if word.is_empty() {
            break;
        }
        segments.push(word.clone());
        rest = &rest[word.len()..];
        match rest.strip_prefix("::") {
            Some(r) if r.starts_with('{') => return group(segments, &r[1..]),
            Some(r) => rest = r,
            None => break,
        }
    }
    vec![segments]
}

fn graph(src: &Path, under: &str) -> Graph {
    let mut all = Vec::new();
    files(&src.join(under), &mut all);
    let modules: BTreeSet<String> = all.iter().map(|f| module_of(src, f)).collect();
    let mut graph = Graph::new();
    for file in &all {
        let module = module_of(src, file);
        let is_mod_rs = file.file_name().is_some_and(|n| n == "mod.rs");
        // `super` in a plain file is its parent module; in a mod.rs, too
        // (the module is the folder).
        let children: BTreeSet<String> = modules
            .iter()
            .filter_map(|m| m.strip_prefix(&format!("{module}::")))
            .filter(|m| !m.contains("::"))
            .map(str::to_string)
            .collect();
        let none = BTreeSet::new();
        let children = if is_mod_rs { &children } else { &none };
        let text = std::fs::read_to_string(file).unwrap();
        // Tests inside a file may reach anywhere; only the code counts.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        let edges = graph.entry(module.clone()).or_default();
        for line in code.lines() {
            for path in named_paths(line, &module, children) {
                let segs: Vec<&str> = path.iter().map(String::as_str).collect();
                if let Some(target) = resolve(&segs, &modules)
                    && target != module
                    && target.starts_with(under)
                {
                    edges.insert(target);
                }
            }
        }
    }
    graph
}

/// A circle in the graph, as the modules along it, if there is one.
fn circle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &Graph,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(node.to_string(), 1);
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            match state.get(next).copied().unwrap_or(0) {
                1 => {
                    let from = stack.iter().position(|m| m == next).unwrap();
                    let mut path = stack[from..].to_vec();
                    path.push(next.clone());
                    return Some(path);
                }
                0 => {
                    if let Some(c) = visit(next, graph, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(node.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        if state.get(node).copied().unwrap_or(0) == 0
            && let Some(c) = visit(node, graph, &mut state, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}

#[test]
fn no_import_circle_inside_src_app() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = graph(&src, "app");
    assert!(graph.len() > 10, "src/app was read: {graph:?}");
    if let Some(c) = circle(&graph) {
        panic!("an import circle inside src/app: {}", c.join(" -> "));
    }
}

#[test]
fn the_check_finds_a_circle_and_reads_paths_as_rust_does() {
    // super:: from a plain file and from a mod.rs, groups, and paths in code.
    let children: BTreeSet<String> = ["tabs".to_string()].into();
    assert_eq!(
        named_paths(
            "use super::{App, tab::Ctx};",
            "app::navigate",
            &BTreeSet::new()
        ),
        vec![vec!["app", "App"], vec!["app", "tab", "Ctx"]]
    );
    assert_eq!(
        named_paths(
            "    let x = crate::app::msg::Event::Tick;",
            "ui",
            &BTreeSet::new()
        ),
        vec![vec!["app", "msg", "Event", "Tick"]]
    );
    assert_eq!(
        named_paths("use tabs::Tabs;", "app", &children),
        vec![vec!["app", "tabs", "Tabs"]]
    );
    let mut g = Graph::new();
    g.entry("app::a".into())
        .or_default()
        .insert("app::b".into());
    g.entry("app::b".into())
        .or_default()
        .insert("app::c".into());
    assert!(circle(&g).is_none());
    g.entry("app::c".into())
        .or_default()
        .insert("app::a".into());
    assert_eq!(
        circle(&g).unwrap(),
        ["app::a", "app::b", "app::c", "app::a"]
    );
}
