//! `check --format`: every format on a real repository whose data lives in
//! a subfolder, with findings in several files. GitHub annotations must
//! point at the right files and lines from the repository's root; SARIF
//! must validate against the published 2.1.0 schema.

#[path = "common/ci.rs"]
mod ci;
#[path = "common/history_repo.rs"]
mod history_repo;

use ci::{demarc, err, out};
use history_repo::{TestRepo, base_files};
use serde_json::Value;
use std::path::Path;

/// base_files under `ownership/`, plus a duty conflict on kafka, a
/// scenario naming a component that does not exist, and a team file that
/// does not parse: warnings and errors in four files.
fn repo_with_findings() -> TestRepo {
    let mut repo = TestRepo::new();
    base_files(&mut repo, "ownership/");
    let data = repo.files["ownership/components/data.toml"].clone();
    repo.write(
        "ownership/components/data.toml",
        &format!(
            "{data}\n[[component.duty]]\nparty = \"data\"\ncovers = [\"topics\"]\n\n[[component.duty]]\nparty = \"@consumers\"\ncovers = [\"topics\"]\n"
        ),
    );
    repo.edit(
        "ownership/scenarios/db.toml",
        "components = [\"postgres\"]",
        "components = [\"postgres\", \"nope\"]",
    );
    repo.write(
        "ownership/teams/broken.toml",
        "name = \"Broken\"\nkind = [\n",
    );
    repo.write("README.md", "The ownership data lives in ownership/.\n");
    repo.commit("Data with findings");
    repo
}

/// One `::level k=v,k=v::message` line, unescaped.
struct Annotation {
    level: String,
    props: Vec<(String, String)>,
    message: String,
}

impl Annotation {
    fn prop(&self, key: &str) -> Option<&str> {
        self.props
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

fn unescape(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

fn parse_annotation(line: &str) -> Annotation {
    let rest = line.strip_prefix("::").expect("a workflow command");
    let (head, message) = rest.split_once("::").expect("command::message");
    let (level, props) = head.split_once(' ').expect("level and properties");
    let props = props
        .split(',')
        .map(|p| {
            let (k, v) = p.split_once('=').expect("key=value");
            (k.to_string(), unescape(v))
        })
        .collect();
    Annotation {
        level: level.to_string(),
        props,
        message: unescape(message),
    }
}

/// The 1-based line of `file` (from the repository root).
fn line_of(root: &Path, file: &str, line: usize) -> String {
    let text = std::fs::read_to_string(root.join(file)).expect("the file exists");
    text.lines()
        .nth(line - 1)
        .expect("the line exists")
        .to_string()
}

#[test]
fn github_annotations_point_at_files_and_lines_from_the_repository_root() {
    let repo = repo_with_findings();
    let o = demarc(
        &repo.path(),
        &["--dir", "ownership", "check", "--format", "github"],
    );
    assert_eq!(o.status.code(), Some(1), "errors exit 1: {}", err(&o));
    let text = out(&o);
    let annotations: Vec<Annotation> = text
        .lines()
        .filter(|l| l.starts_with("::"))
        .map(parse_annotation)
        .collect();
    // Every line is either an annotation or the closing summary.
    let others: Vec<&str> = text.lines().filter(|l| !l.starts_with("::")).collect();
    assert_eq!(others.len(), 1, "{text}");
    assert!(others[0].starts_with("failed: 2 errors"), "{text}");

    for a in &annotations {
        assert!(a.level == "error" || a.level == "warning", "{}", a.level);
        let file = a.prop("file").unwrap();
        assert!(file.starts_with("ownership/"), "{file}");
        assert!(
            repo.path().join(file).is_file(),
            "{file} exists from the root"
        );
        assert!(a.prop("title").is_some());
    }
    let find = |code: &str| {
        annotations
            .iter()
            .find(|a| a.prop("title") == Some(code))
            .unwrap_or_else(|| panic!("no {code} in {text}"))
    };

    let conflict = find("duty_conflict");
    assert_eq!(conflict.level, "warning");
    assert_eq!(
        conflict.prop("file"),
        Some("ownership/components/data.toml")
    );
    let line: usize = conflict.prop("line").unwrap().parse().unwrap();
    assert_eq!(
        line_of(&repo.path(), "ownership/components/data.toml", line),
        "[[component]]"
    );
    let declared = line_of(&repo.path(), "ownership/components/data.toml", line + 1);
    assert_eq!(declared, "id = \"kafka\"", "the line of kafka's table");
    assert!(
        conflict.message.contains("\"topics\""),
        "{}",
        conflict.message
    );

    let unknown = find("unknown_reference");
    assert_eq!(unknown.level, "error");
    assert_eq!(unknown.prop("file"), Some("ownership/scenarios/db.toml"));
    let line: usize = unknown.prop("line").unwrap().parse().unwrap();
    assert_eq!(
        line_of(&repo.path(), "ownership/scenarios/db.toml", line),
        "[[scenario]]"
    );

    let parse = find("parse");
    assert_eq!(parse.prop("file"), Some("ownership/teams/broken.toml"));
    let line: usize = parse.prop("line").unwrap().parse().unwrap();
    let col: usize = parse.prop("col").unwrap().parse().unwrap();
    assert!(line_of(&repo.path(), "ownership/teams/broken.toml", line).len() + 1 >= col);
}

#[test]
fn sarif_validates_against_the_published_schema_and_points_at_the_files() {
    let repo = repo_with_findings();
    let o = demarc(
        &repo.path(),
        &["--dir", "ownership", "check", "--format", "sarif"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let log: Value = serde_json::from_str(&out(&o)).expect("SARIF is JSON");
    let schema: Value =
        serde_json::from_str(include_str!("schemas/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the vendored schema compiles");
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");

    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1, "one run");
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "demarc");
    let rules = driver["rules"].as_array().unwrap();
    let results = runs[0]["results"].as_array().unwrap();
    assert!(results.len() >= 4, "{results:#?}");
    for result in results {
        let id = result["ruleId"].as_str().unwrap();
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], id, "ruleIndex names the rule");
        assert!(!rules[index]["help"]["text"].as_str().unwrap().is_empty());
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            repo.path().join(uri).is_file(),
            "{uri} exists from the root"
        );
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(location["region"]["startColumn"].as_u64().unwrap() >= 1);
    }
    let codes: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut unique = codes.clone();
    unique.dedup();
    assert_eq!(codes.len(), unique.len(), "one rule per code");
    assert!(codes.contains(&"duty_conflict") && codes.contains(&"parse"));
}

#[test]
fn sarif_of_clean_data_is_valid_with_no_results() {
    let mut repo = TestRepo::new();
    base_files(&mut repo, "");
    repo.commit("base");
    let o = demarc(&repo.path(), &["check", "--format", "sarif"]);
    let log: Value = serde_json::from_str(&out(&o)).unwrap();
    let schema: Value =
        serde_json::from_str(include_str!("schemas/sarif-schema-2.1.0.json")).unwrap();
    assert!(jsonschema::validator_for(&schema).unwrap().is_valid(&log));
    // The schema rejects what it should: a region starting at line 0.
    let mut broken = log.clone();
    broken["runs"][0]["results"] = serde_json::json!([{
        "message": {"text": "x"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a"}, "region": {"startLine": 0}}}]
    }]);
    assert!(
        !jsonschema::validator_for(&schema)
            .unwrap()
            .is_valid(&broken)
    );
}

#[test]
fn markdown_json_and_text_report_the_same_findings() {
    let repo = repo_with_findings();
    let args = |format: &'static str| ["--dir", "ownership", "check", "--format", format];
    let json: Value = serde_json::from_str(&out(&demarc(&repo.path(), &args("json")))).unwrap();
    let legacy: Value = serde_json::from_str(&out(&demarc(
        &repo.path(),
        &["--dir", "ownership", "check", "--json"],
    )))
    .unwrap();
    assert_eq!(json, legacy, "--json is --format json");
    let total = json["diagnostics"].as_array().unwrap().len();

    let md = out(&demarc(&repo.path(), &args("markdown")));
    assert!(md.starts_with("### demarc check\n"), "{md}");
    let rows = md
        .lines()
        .filter(|l| l.starts_with("| ❌") || l.starts_with("| ⚠️"))
        .count();
    assert_eq!(rows, total, "{md}");
    assert!(md.contains("`ownership/components/data.toml:"), "{md}");

    let text = out(&demarc(&repo.path(), &args("text")));
    assert!(text.contains("teams/broken.toml"), "{text}");
    let summary = text.lines().last().unwrap();
    assert!(
        summary.starts_with(&format!("failed: 2 errors and {} warnings", total - 2)),
        "{text}"
    );
}

#[test]
fn formats_for_ci_are_refused_where_they_do_not_apply() {
    let repo = repo_with_findings();
    let o = demarc(
        &repo.path(),
        &["--dir", "ownership", "diff", "HEAD", "--format", "sarif"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("sarif"), "{}", err(&o));
    let o = demarc(
        &repo.path(),
        &["--dir", "ownership", "check", "--json", "--format", "text"],
    );
    assert_eq!(o.status.code(), Some(2), "--json and --format conflict");
}

#[test]
fn history_has_a_markdown_format() {
    let repo = repo_with_findings();
    let o = demarc(
        &repo.path(),
        &["--dir", "ownership", "history", "--format", "markdown"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let md = out(&o);
    assert!(md.starts_with("### demarc history\n"), "{md}");
    assert!(md.contains("Data with findings"), "{md}");
}

#[test]
fn repository_text_cannot_forge_annotations_or_markdown() {
    let mut repo = TestRepo::new();
    base_files(&mut repo, "ownership/");
    repo.commit("Base");
    repo.edit(
        "ownership/components/data.toml",
        "owner = \"data\"\ntier = 2",
        "owner = \"x\\n::error file=forged.toml::forged | <img src=y> @everyone [a](b)\"\ntier = 2",
    );
    repo.commit("A hostile owner");
    let github = out(&demarc(
        &repo.path(),
        &["--dir", "ownership", "check", "--format", "github"],
    ));
    for line in github.lines().filter(|l| l.starts_with("::")) {
        let a = parse_annotation(line);
        assert_ne!(a.prop("file"), Some("forged.toml"), "{github}");
        assert!(a.prop("file").unwrap().starts_with("ownership/"), "{line}");
    }
    assert!(
        !github.lines().any(|l| l.starts_with("::error file=forged")),
        "{github}"
    );

    let md = out(&demarc(
        &repo.path(),
        &["--dir", "ownership", "check", "--format", "markdown"],
    ));
    // Outside code spans (where Markdown interprets nothing), no HTML,
    // mention or link survives unescaped.
    let prose: String = md
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(_, part)| part)
        .collect();
    assert!(md.contains("<img"), "the name is shown, inside code: {md}");
    assert!(!unescaped(&prose, "<img"), "{prose}");
    assert!(!unescaped(&prose, "@everyone"), "{prose}");
    assert!(!prose.contains("[a](b)"), "{prose}");
    // Every table row still has its four cells: the `|` did not split one.
    for row in md
        .lines()
        .filter(|l| l.starts_with("| ❌") || l.starts_with("| ⚠️"))
    {
        let cells = row.replace("\\|", "").matches('|').count();
        assert_eq!(cells, 5, "{row}");
    }

    // The review comment puts the owner in prose: escaped there too.
    let review = out(&demarc(
        &repo.path(),
        &[
            "--dir",
            "ownership",
            "diff",
            "HEAD~1",
            "HEAD",
            "--format",
            "markdown",
        ],
    ));
    let prose: String = review
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(_, part)| part)
        .collect();
    assert!(prose.contains("kafka moves from data to x"), "{review}");
    assert!(!unescaped(&prose, "<img"), "{review}");
    assert!(!unescaped(&prose, "@everyone"), "{review}");
    assert!(!prose.contains("[a](b)"), "{review}");
    assert!(!review.lines().any(|l| l.starts_with("::")), "{review}");
}

/// Does `pattern` occur in `text` without a backslash before it?
fn unescaped(text: &str, pattern: &str) -> bool {
    text.match_indices(pattern)
        .any(|(i, _)| !text[..i].ends_with('\\'))
}
