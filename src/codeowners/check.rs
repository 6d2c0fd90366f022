//! The cross-check: CODEOWNERS against the ownership data. For every
//! component path, the rule that decides it on GitHub (the last matching
//! one; with GitLab sections, the last one of each section) must name a
//! handle of the component's owner.
//!
//! A component path is a pattern, not a file: it is judged by its `probe`,
//! a representative file under it, so `services/pay/**` is decided by the
//! rule that owns a file two folders down, and `docs/*` in CODEOWNERS does
//! not seem to own all of `docs/**`.

use super::matcher::{PatternSet, is_recursive, is_unanchored, probe};
use super::parse::{CodeownersFile, Rule};
use super::syntax::same_handle;
use crate::model::{Component, Diagnostic, Location, Model, Subject, SubjectKind, diag};
use serde::Serialize;
use std::collections::{BTreeSet, HashSet};

/// What CODEOWNERS says about one path of one component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Status {
    /// The deciding rule names a handle of the owner.
    Agrees { line: u32 },
    /// The deciding rule(s) name other owners.
    Mismatch { line: u32, owners: Vec<String> },
    /// No rule matches, or the last one has no owners (`cleared_at`).
    Unowned { cleared_at: Option<u32> },
    /// The owner team lists no `codeowners` handles: nothing to compare.
    NoHandles,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub component: String,
    pub path: String,
    #[serde(flatten)]
    pub status: Status,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The CODEOWNERS file, as named in findings.
    pub file: String,
    /// Sorted for display.
    pub diagnostics: Vec<Diagnostic>,
    /// One per component path in scope, in model order.
    pub verdicts: Vec<Verdict>,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// The verdicts of one component, for its detail in the dashboard.
    pub fn of_component<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Verdict> + 'a {
        self.verdicts.iter().filter(move |v| v.component == id)
    }
}

/// Is the component's code in the repository whose CODEOWNERS is read?
/// Without `repo`, the components that name no repository; with it, those
/// that name that one.
pub fn in_scope(component: &Component, repo: Option<&str>) -> bool {
    match (&component.repo, repo) {
        (None, None) => true,
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        _ => false,
    }
}

pub fn check(model: &Model, file: &CodeownersFile, path: &str, repo: Option<&str>) -> Report {
    let mut cx = Cx {
        model,
        file,
        path,
        out: Vec::new(),
    };
    cx.syntax();
    cx.unknown_handles();
    let rules = PatternSet::new(file.rules.iter().map(|r| r.pattern.as_str()));
    if let Some(error) = &rules.error {
        cx.out.push(Diagnostic::error(
            "codeowners_syntax",
            Location::file(path),
            format!("the patterns cannot be matched together ({error}), so no rule is applied"),
        ));
    }
    let components: Vec<&Component> = model
        .components
        .iter()
        .filter(|c| in_scope(c, repo) && !c.paths.is_empty())
        .collect();
    let mut verdicts = Vec::new();
    if components.is_empty() {
        let whose = repo.map_or(String::new(), |r| format!(" with `repo = \"{r}\"`"));
        cx.out.push(Diagnostic::warning(
            "codeowners_no_paths",
            Location::file(path),
            format!("no component{whose} declares `paths`, so there is nothing to compare CODEOWNERS with"),
        ));
    } else {
        let covered = cx.judge(&components, &rules, &mut verdicts);
        cx.uncovered(&components, covered);
    }
    let mut diagnostics = cx.out;
    diag::sort_for_display(&mut diagnostics);
    Report {
        file: path.to_string(),
        diagnostics,
        verdicts,
    }
}

struct Cx<'a> {
    model: &'a Model,
    file: &'a CodeownersFile,
    path: &'a str,
    out: Vec<Diagnostic>,
}

impl Cx<'_> {
    fn at(&self, line: u32, column: u32) -> Location {
        Location::at(self.path, line, column)
    }

    fn syntax(&mut self) {
        for e in &self.file.errors {
            let d = Diagnostic::error("codeowners_syntax", self.at(e.line, e.column), &e.message);
            self.out.push(d);
        }
    }

    /// Every handle written in the file that no team lists, once per place
    /// it is written (a section's default owners at the heading).
    fn unknown_handles(&mut self) {
        let known: HashSet<String> = self
            .model
            .teams
            .iter()
            .flat_map(|t| t.codeowners.iter().map(|h| h.to_ascii_lowercase()))
            .collect();
        let written = self
            .file
            .sections
            .iter()
            .flat_map(|s| s.owners.iter().map(move |o| (s.line, o)))
            .chain(
                self.file
                    .rules
                    .iter()
                    .filter(|r| !r.default_owners)
                    .flat_map(|r| r.owners.iter().map(move |o| (r.line, o))),
            );
        let mut found = Vec::new();
        for (line, owner) in written {
            if !known.contains(&owner.handle.to_ascii_lowercase()) {
                found.push(Diagnostic::warning(
                    "codeowners_unknown_handle",
                    self.at(line, owner.column),
                    format!(
                        "`{}` belongs to no team: no team lists it under `codeowners`",
                        owner.handle
                    ),
                ));
            }
        }
        self.out.extend(found);
    }

    /// Verdicts for every component path; returns which rules decide or
    /// match at least one of them.
    fn judge(
        &mut self,
        components: &[&Component],
        rules: &PatternSet,
        verdicts: &mut Vec<Verdict>,
    ) -> Vec<bool> {
        let mut covered = vec![false; self.file.rules.len()];
        let mut no_handles: BTreeSet<&str> = BTreeSet::new();
        let (mut scratch, mut matched) = (Vec::new(), Vec::new());
        let sections = self.file.sections.len();
        for c in components {
            let owner = self.model.team(&c.owner);
            for (i, path) in c.paths.iter().enumerate() {
                rules.matching(&probe(path), &mut scratch, &mut matched);
                let mut deciding: Vec<Option<usize>> = vec![None; sections];
                for &r in &matched {
                    covered[r] = true;
                    deciding[self.file.rules[r].section] = Some(r);
                }
                let deciding: Vec<&Rule> = deciding
                    .into_iter()
                    .flatten()
                    .map(|r| &self.file.rules[r])
                    .collect();
                let location = c
                    .path_locations
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| c.location.clone());
                let status = self.status(c, path, &deciding, owner, location);
                if status == Status::NoHandles {
                    no_handles.insert(c.owner.as_str());
                }
                verdicts.push(Verdict {
                    component: c.id.clone(),
                    path: path.clone(),
                    status,
                });
            }
        }
        for team in no_handles {
            let Some(t) = self.model.team(team) else {
                continue;
            };
            self.out.push(
                Diagnostic::warning(
                    "codeowners_no_handles",
                    t.location.clone(),
                    format!(
                        "team `{team}` owns components with `paths` but lists no `codeowners` handles, so CODEOWNERS cannot be checked for them"
                    ),
                )
                .about(Subject::new(SubjectKind::Team, team)),
            );
        }
        covered
    }

    fn status(
        &mut self,
        c: &Component,
        path: &str,
        deciding: &[&Rule],
        owner: Option<&crate::model::Team>,
        location: Location,
    ) -> Status {
        let subject = Subject::new(SubjectKind::Component, &c.id);
        let owning: Vec<&&Rule> = deciding.iter().filter(|r| !r.owners.is_empty()).collect();
        if owning.is_empty() {
            let cleared_at = deciding.last().map(|r| r.line);
            let why = match cleared_at {
                Some(line) => format!(
                    "the rule `{}` at line {line} of {} leaves it without owners",
                    deciding.last().map_or("", |r| r.pattern.as_str()),
                    self.path
                ),
                None => format!("no rule of {} matches it", self.path),
            };
            self.out.push(
                Diagnostic::warning(
                    "codeowners_unowned",
                    location,
                    format!("`{path}` of component `{}` has no code owner: {why}", c.id),
                )
                .about(subject),
            );
            return Status::Unowned { cleared_at };
        }
        // An unknown owner team is `check`'s finding, not this one's.
        let Some(owner) = owner else {
            return Status::NoHandles;
        };
        if owner.codeowners.is_empty() {
            return Status::NoHandles;
        }
        let decisive = owning[owning.len() - 1];
        let names_owner = owning.iter().any(|r| {
            r.owners
                .iter()
                .any(|o| owner.codeowners.iter().any(|h| same_handle(h, &o.handle)))
        });
        if names_owner {
            return Status::Agrees {
                line: decisive.line,
            };
        }
        let owners: Vec<String> = owning
            .iter()
            .flat_map(|r| r.owners.iter().map(|o| o.handle.clone()))
            .collect();
        // The location names the deciding line; with sections, every
        // section's deciding line counts, so they are named too.
        let sections = if self.file.has_sections() {
            let each: Vec<String> = owning
                .iter()
                .map(|r| match &self.file.sections[r.section].name {
                    name if name.is_empty() => format!("line {}", r.line),
                    name => format!("line {} in section [{name}]", r.line),
                })
                .collect();
            format!(" ({})", each.join(", "))
        } else {
            String::new()
        };
        self.out.push(
            Diagnostic::error(
                "codeowners_mismatch",
                self.at(decisive.line, decisive.column),
                format!(
                    "`{path}` of component `{}` is owned by {}{sections}, but its owner `{}` answers to {}",
                    c.id,
                    owners.join(" "),
                    owner.id,
                    owner.codeowners.join(" ")
                ),
            )
            .about(subject),
        );
        Status::Mismatch {
            line: decisive.line,
            owners,
        }
    }

    /// Rules no component path falls under: the rule matches no component
    /// path, no component path holds what the rule names, and a rule that
    /// matches at any depth (`*.js`) has no component folder to fall in.
    fn uncovered(&mut self, components: &[&Component], mut covered: Vec<bool>) {
        let anchored: Vec<String> = components
            .iter()
            .flat_map(|c| c.paths.iter())
            .map(|p| {
                if p.starts_with('/') {
                    p.clone()
                } else {
                    format!("/{p}")
                }
            })
            .collect();
        let paths = PatternSet::new(anchored.iter().map(String::as_str));
        let any_folder = anchored.iter().any(|p| is_recursive(p));
        let mut found = Vec::new();
        for (rule, covered) in self.file.rules.iter().zip(covered.iter_mut()) {
            if *covered {
                continue;
            }
            let wildcard = rule.pattern.contains(['*', '?']);
            *covered = paths.last_match(&probe(&rule.pattern)).is_some()
                || (is_unanchored(&rule.pattern) && wildcard && any_folder);
            if !*covered {
                found.push(Diagnostic::warning(
                    "codeowners_uncovered",
                    self.at(rule.line, rule.column),
                    format!(
                        "`{}` covers no component path (informational: code the ownership data does not describe)",
                        rule.pattern
                    ),
                ));
            }
        }
        self.out.extend(found);
    }
}
