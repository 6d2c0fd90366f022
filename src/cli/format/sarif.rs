//! Findings as SARIF 2.1.0 (the format code-scanning services read): one
//! run, the tool with one rule per finding code present, and one result
//! per finding with its file (from the repository's root), line and column.
//! A finding without a line points at line 1, column 1 of its file, since
//! a SARIF region starts at 1.

use super::FindingsContext;
use super::rules::rule;
use crate::model::{Diagnostic, Severity};
use serde_json::{Value, json};

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub fn findings(diagnostics: &[Diagnostic], cx: &FindingsContext) -> String {
    let mut out = super::super::output::to_json(&log(diagnostics, cx));
    out.push('\n');
    out
}

/// The SARIF log as a JSON value.
pub fn log(diagnostics: &[Diagnostic], cx: &FindingsContext) -> Value {
    // Rules in order of first appearance, so ruleIndex is stable for a run.
    let mut codes: Vec<(&str, Severity)> = Vec::new();
    for d in diagnostics {
        if !codes.iter().any(|(c, _)| *c == d.code) {
            codes.push((d.code, d.severity));
        }
    }
    let rules: Vec<Value> = codes
        .iter()
        .map(|(code, severity)| {
            let r = rule(code);
            json!({
                "id": code,
                "name": camel_case(code),
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.summary},
                "help": {"text": r.help},
                "defaultConfiguration": {"level": level(*severity)},
            })
        })
        .collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let index = codes.iter().position(|(c, _)| *c == d.code).unwrap_or(0);
            let mut result = json!({
                "ruleId": d.code,
                "ruleIndex": index,
                "level": level(d.severity),
                "message": {"text": d.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri(&cx.root_path(&d.location.file))},
                        "region": {
                            "startLine": d.location.line.unwrap_or(1).max(1),
                            "startColumn": d.location.column.unwrap_or(1).max(1),
                        }
                    }
                }],
                "partialFingerprints": {"demarcFinding/v1": fingerprint(d)},
            });
            if let Some(subject) = &d.subject {
                result["properties"] = json!({"subject": subject});
            }
            result
        })
        .collect();
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "demarc",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// `duty_conflict` -> `DutyConflict`, SARIF's convention for rule names.
fn camel_case(code: &str) -> String {
    code.split('_')
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// What a finding is about, without its line, so a service can follow it
/// when lines move: code, then the subject or else the file.
fn fingerprint(d: &Diagnostic) -> String {
    match &d.subject {
        Some(s) => format!("{}:{}:{}", d.code, s.kind.as_str(), s.id),
        None => format!("{}:{}", d.code, d.location.file),
    }
}

/// A relative path as a URI reference: unreserved characters and `/` as
/// they are, everything else percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Location;

    #[test]
    fn one_rule_per_code_and_regions_start_at_one() {
        let cx = FindingsContext {
            data_dir: "own ership".into(),
            ..FindingsContext::default()
        };
        let ds = [
            Diagnostic::warning("no_oncall", Location::at("components/a.toml", 3, 1), "x"),
            Diagnostic::error("parse", Location::file("teams/b.toml"), "y"),
            Diagnostic::warning("no_oncall", Location::at("components/a.toml", 9, 1), "z"),
        ];
        let log = log(&ds, &cx);
        let run = &log["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[1]["id"], "parse");
        assert_eq!(rules[1]["name"], "Parse");
        let results = run["results"].as_array().unwrap();
        assert_eq!(results[1]["ruleIndex"], 1);
        let loc = &results[1]["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "own%20ership/teams/b.toml");
        assert_eq!(loc["region"]["startLine"], 1);
        assert_eq!(loc["region"]["startColumn"], 1);
        assert_eq!(results[2]["level"], "warning");
    }
}
