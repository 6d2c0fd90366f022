//! Validation: every finding `demarc check` reports beyond parse errors.

use super::diag::{Diagnostic, Location, Subject, SubjectKind};
use super::party::{KNOWN_KINDS, Party};
use super::types::*;
use chrono::NaiveDate;
// foldhash: a fast hasher seeded at random per process, so data cannot
// pick colliding ids ahead of time; SipHash was a tenth of `check` at
// 200,000 components.
use foldhash::{HashMap, HashMapExt, HashSet};

/// Checks a model. `today` decides which reviews are overdue.
pub fn check(model: &Model, today: NaiveDate) -> Vec<Diagnostic> {
    check_with(model, today, Boundaries::Check)
}

/// Whether `check_with` runs the layer-boundary check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Boundaries {
    Check,
    /// Left out: a Backstage catalog declares no layer roles, so every
    /// owner of every layer would "violate" and the findings would be
    /// dropped; at 20,000 entities building them was a sixth of the
    /// catalog's load.
    Skip,
}

/// `check`, with the layer-boundary check run or left out.
pub fn check_with(model: &Model, today: NaiveDate, boundaries: Boundaries) -> Vec<Diagnostic> {
    let teams = Teams::of(model);
    // The checks read the model and write only their own findings, so
    // they run as parts on two threads when the model is large; each
    // part's findings land in its own list and the lists are joined in
    // this order, so the findings come out as one thread would give them
    // (the display sort is stable, so their order is part of the output).
    let parts: [&Part; 4] = [
        &|out| {
            check_settings(model, out);
            check_ids(model, out);
            check_teams(model, out);
        },
        &|out| check_components(model, &teams, today, out),
        &|out| {
            check_pillars(model, &teams, out);
            check_layers(model, &teams, out);
            check_scenarios(model, &teams, out);
            check_matrices(model, &teams, out);
            if boundaries == Boundaries::Check {
                super::checks::boundary::check(model, out);
            }
        },
        &|out| {
            super::checks::runbook::check(model, out);
            super::hygiene::check(model, out);
        },
    ];
    let two_threads = model.components.len() >= PARALLEL_FROM_COMPONENTS
        && std::thread::available_parallelism().is_ok_and(|n| n.get() >= 2);
    let mut found: [Vec<Diagnostic>; 4] = Default::default();
    if two_threads {
        // The component checks (a half of the work at 200,000 components)
        // on this thread, the rest beside them.
        let [first, second, third, fourth] = &mut found;
        std::thread::scope(|scope| {
            let beside = scope.spawn(|| {
                parts[0](first);
                parts[2](third);
                parts[3](fourth);
            });
            parts[1](second);
            beside
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        });
    } else {
        for (part, out) in parts.iter().zip(&mut found) {
            part(out);
        }
    }
    let mut out = Vec::with_capacity(found.iter().map(Vec::len).sum());
    for part in found {
        out.extend(part);
    }
    out
}

/// A part of the checks: writes its findings into the list it is given.
type Part<'a> = dyn Fn(&mut Vec<Diagnostic>) + Sync + 'a;

/// Below this many components, a second thread for the checks does not pay.
const PARALLEL_FROM_COMPONENTS: usize = 5_000;

/// The teams by id and the kinds some team is of, collected once per
/// check: a binary search of the team list per owner, consumer and duty,
/// and a scan of every team for each `@kind` duty, were a third of the
/// checks at 200,000 components.
struct Teams<'a> {
    by_id: HashMap<&'a str, &'a Team>,
    kinds: HashSet<&'a str>,
}

impl<'a> Teams<'a> {
    fn of(model: &'a Model) -> Teams<'a> {
        let mut by_id = HashMap::with_capacity(model.teams.len());
        for team in &model.teams {
            // The first of a repeated id, as `Model::team` finds it.
            by_id.entry(team.id.as_str()).or_insert(team);
        }
        Teams {
            by_id,
            kinds: model.teams.iter().map(|t| t.kind.as_str()).collect(),
        }
    }

    fn get(&self, id: &str) -> Option<&'a Team> {
        self.by_id.get(id).copied()
    }
}

/// What a finding is about, made into a `Subject` (a copy of the id)
/// only when a finding is written: one per component was 200,000
/// allocations for a few thousand findings.
#[derive(Clone, Copy)]
struct About<'a>(SubjectKind, &'a str);

impl About<'_> {
    fn subject(self) -> Subject {
        Subject::new(self.0, self.1)
    }
}

/// "component `id`" and the like, written out only when a finding needs
/// it (a string per component was a tenth of the checks).
struct Named<'a>(&'static str, &'a str, &'static str);

impl std::fmt::Display for Named<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} `{}`{}", self.0, self.1, self.2)
    }
}

/// Lowercase ASCII letters, digits and dashes, not starting with a dash.
/// Read by bytes: a byte of a non-ASCII character is never one of these.
fn valid_id(id: &str) -> bool {
    let mut bytes = id.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn check_settings(model: &Model, out: &mut Vec<Diagnostic>) {
    if model.settings.schema > SCHEMA_VERSION {
        out.push(Diagnostic::error(
            "schema_too_new",
            Location::at("demarc.toml", 1, 1),
            format!(
                "schema {} is newer than this demarc understands (schema {SCHEMA_VERSION}); upgrade demarc",
                model.settings.schema
            ),
        ));
    }
}

fn check_ids(model: &Model, out: &mut Vec<Diagnostic>) {
    let groups: [(SubjectKind, Vec<(&str, &Location)>); 6] = [
        (
            SubjectKind::Team,
            model
                .teams
                .iter()
                .map(|t| (t.id.as_str(), &t.location))
                .collect(),
        ),
        (
            SubjectKind::Component,
            model
                .components
                .iter()
                .map(|c| (c.id.as_str(), &c.location))
                .collect(),
        ),
        (
            SubjectKind::Pillar,
            model
                .pillars
                .iter()
                .map(|p| (p.id.as_str(), &p.location))
                .collect(),
        ),
        (
            SubjectKind::Layer,
            model
                .layers
                .iter()
                .map(|l| (l.id.as_str(), &l.location))
                .collect(),
        ),
        (
            SubjectKind::Scenario,
            model
                .scenarios
                .iter()
                .map(|s| (s.id.as_str(), &s.location))
                .collect(),
        ),
        (
            SubjectKind::Matrix,
            model
                .matrices
                .iter()
                .map(|m| (m.id.as_str(), &m.location))
                .collect(),
        ),
    ];
    for (kind, entries) in groups {
        // Sized once: 200,000 component ids grew it by rehashing.
        let mut first_seen: HashMap<&str, &Location> = HashMap::with_capacity(entries.len());
        for (id, location) in entries {
            if id.is_empty() {
                continue; // already reported as a missing id
            }
            if !valid_id(id) {
                out.push(
                    Diagnostic::warning(
                        "invalid_id",
                        location.clone(),
                        format!(
                            "{} id `{id}` should be lowercase letters, digits and dashes",
                            kind.as_str()
                        ),
                    )
                    .about(Subject::new(kind, id)),
                );
            }
            match first_seen.entry(id) {
                std::collections::hash_map::Entry::Occupied(first) => out.push(
                    Diagnostic::error(
                        "duplicate_id",
                        location.clone(),
                        format!(
                            "{} `{id}` is declared twice (first at {})",
                            kind.as_str(),
                            first.get()
                        ),
                    )
                    .about(Subject::new(kind, id)),
                ),
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(location);
                }
            }
        }
    }
}

fn unknown(
    kind: &str,
    id: &str,
    location: &Location,
    subject: Subject,
    context: &dyn std::fmt::Display,
) -> Diagnostic {
    Diagnostic::error(
        "unknown_reference",
        location.clone(),
        format!("{context} names {kind} `{id}`, which does not exist"),
    )
    .about(subject)
}

/// Checks a party: a team must exist, a kind must have at least one team.
fn check_party(
    teams: &Teams,
    party: &Party,
    location: &Location,
    subject: &About,
    context: &dyn std::fmt::Display,
    out: &mut Vec<Diagnostic>,
) {
    match party {
        Party::Team(id) if teams.get(id).is_none() => {
            out.push(unknown("team", id, location, subject.subject(), context))
        }
        Party::Kind(kind) if !teams.kinds.contains(kind.as_str()) => out.push(
            Diagnostic::warning(
                "empty_party",
                location.clone(),
                format!("{context} names `@{kind}`, but no team is of kind `{kind}`"),
            )
            .about(subject.subject()),
        ),
        _ => {}
    }
}

fn check_teams(model: &Model, out: &mut Vec<Diagnostic>) {
    for team in &model.teams {
        if !KNOWN_KINDS.contains(&team.kind.as_str()) {
            out.push(
                Diagnostic::warning(
                    "unknown_kind",
                    team.location.clone(),
                    format!(
                        "team `{}` has kind `{}`; known kinds are {}",
                        team.id,
                        team.kind,
                        KNOWN_KINDS.join(", ")
                    ),
                )
                .about(Subject::new(SubjectKind::Team, &team.id)),
            );
        }
    }
}

fn check_components(model: &Model, teams: &Teams, today: NaiveDate, out: &mut Vec<Diagnostic>) {
    for c in &model.components {
        let subject = About(SubjectKind::Component, &c.id);
        let context = Named("component", &c.id, "");
        let loc = &c.location;
        if c.owner.is_empty() {
            out.push(
                Diagnostic::error(
                    "missing_owner",
                    loc.clone(),
                    format!("{context} has no owner"),
                )
                .about(subject.subject()),
            );
        } else if teams.get(&c.owner).is_none() {
            out.push(unknown(
                "team",
                &c.owner,
                loc,
                subject.subject(),
                &format!("{context} owner"),
            ));
        }
        if let Some(layer) = &c.layer
            && model.layer(layer).is_none()
        {
            out.push(unknown("layer", layer, loc, subject.subject(), &context));
        }
        if let Some(pillar) = &c.pillar
            && model.pillar(pillar).is_none()
        {
            out.push(unknown("pillar", pillar, loc, subject.subject(), &context));
        }
        for consumer in &c.consumers {
            if teams.get(consumer).is_none() {
                out.push(unknown(
                    "team",
                    consumer,
                    loc,
                    subject.subject(),
                    &format!("{context} consumers"),
                ));
            }
        }
        if let Some(tier) = c.tier
            && !(1..=4).contains(&tier)
        {
            out.push(
                Diagnostic::warning(
                    "invalid_tier",
                    loc.clone(),
                    format!("{context} has tier {tier}; tiers run 1 to 4"),
                )
                .about(subject.subject()),
            );
        }
        check_duties(teams, c, &subject, out);
        if matches!(c.tier, Some(1 | 2))
            && let Some(owner) = teams.get(&c.owner)
            && !owner.has_rotation()
        {
            out.push(
                Diagnostic::warning(
                    "no_oncall",
                    loc.clone(),
                    format!(
                        "{context} is tier {} but its owner `{}` has no on-call rotation",
                        c.tier.unwrap_or_default(),
                        owner.id
                    ),
                )
                .about(subject.subject()),
            );
        }
        check_review(model, c, today, &subject, out);
    }
}

fn check_duties(teams: &Teams, c: &Component, subject: &About, out: &mut Vec<Diagnostic>) {
    let context = Named("component", &c.id, " duty");
    let mut claimed: HashMap<std::borrow::Cow<str>, &Party> = HashMap::new();
    for duty in &c.duties {
        check_party(teams, &duty.party, &c.location, subject, &context, out);
        if duty.party == Party::Consumers && c.consumers.is_empty() {
            out.push(
                Diagnostic::warning(
                    "empty_party",
                    c.location.clone(),
                    format!(
                        "component `{}` gives duties to `@consumers` but lists no consumers",
                        c.id
                    ),
                )
                .about(subject.subject()),
            );
        }
        for word in &duty.covers {
            let key = lowercase(word.trim());
            match claimed.get(&key) {
                Some(other) if **other != duty.party => out.push(
                    Diagnostic::warning(
                        "duty_conflict",
                        c.location.clone(),
                        format!(
                            "component `{}`: both `{other}` and `{}` claim \"{word}\" (an accountability gap)",
                            c.id, duty.party
                        ),
                    )
                    .about(subject.subject()),
                ),
                _ => {
                    claimed.insert(key, &duty.party);
                }
            }
        }
    }
}

/// `text.to_lowercase()`, borrowed when that changes nothing (ASCII
/// without capitals, as duty words almost always are): a lowercased copy
/// of every word was an allocation per word at 200,000 components.
fn lowercase(text: &str) -> std::borrow::Cow<'_, str> {
    if text
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.to_lowercase())
    }
}

fn check_review(
    model: &Model,
    c: &Component,
    today: NaiveDate,
    subject: &About,
    out: &mut Vec<Diagnostic>,
) {
    let (Some(days), Some(reviewed)) = (model.settings.review_days(c.tier), &c.reviewed) else {
        return;
    };
    match plain_date(reviewed.get(..10).unwrap_or(reviewed)).map_or_else(
        || NaiveDate::parse_from_str(reviewed.get(..10).unwrap_or(reviewed), "%Y-%m-%d"),
        Ok,
    ) {
        Ok(date) => {
            let age = (today - date).num_days();
            if age > i64::from(days) {
                out.push(
                    Diagnostic::warning(
                        "review_overdue",
                        c.location.clone(),
                        format!(
                            "component `{}` was last reviewed on {date}, {age} days ago (review every {days} days)",
                            c.id
                        ),
                    )
                    .about(subject.subject()),
                );
            }
        }
        Err(_) => out.push(
            Diagnostic::warning(
                "invalid_date",
                c.location.clone(),
                format!(
                    "component `{}` has `reviewed = {reviewed}`, which is not a YYYY-MM-DD date",
                    c.id
                ),
            )
            .about(subject.subject()),
        ),
    }
}

/// `YYYY-MM-DD` read directly: chrono's format parser was a tenth of
/// the per-component checks. Anything else (or no such day) is left to
/// chrono, so what is accepted and rejected does not change.
fn plain_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        b.get(range.clone())?.iter().try_fold(0u32, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::from_ymd_opt(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)
}

fn check_pillars(model: &Model, teams: &Teams, out: &mut Vec<Diagnostic>) {
    for id in STANDARD_PILLARS {
        if model.pillar(id).is_none() {
            out.push(
                Diagnostic::warning(
                    "missing_pillar",
                    Location::file("pillars.toml"),
                    format!("the standard pillar `{id}` is not declared; it shows as unassigned"),
                )
                .about(Subject::new(SubjectKind::Pillar, *id)),
            );
        }
    }
    for p in &model.pillars {
        let subject = About(SubjectKind::Pillar, &p.id);
        let context = format!("pillar `{}`", p.id);
        for party in p
            .primary
            .iter()
            .chain(p.duties.iter().map(|(party, _)| party))
        {
            check_party(teams, party, &p.location, &subject, &context, out);
        }
    }
}

fn check_layers(model: &Model, teams: &Teams, out: &mut Vec<Diagnostic>) {
    for id in STANDARD_LAYERS {
        if model.layer(id).is_none() {
            out.push(
                Diagnostic::warning(
                    "missing_layer",
                    Location::file("layers.toml"),
                    format!("the standard layer `{id}` is not declared"),
                )
                .about(Subject::new(SubjectKind::Layer, *id)),
            );
        }
    }
    for l in &model.layers {
        let subject = About(SubjectKind::Layer, &l.id);
        let context = format!("layer `{}` roles", l.id);
        for (party, _) in &l.roles {
            check_party(teams, party, &l.location, &subject, &context, out);
        }
    }
}

fn check_scenarios(model: &Model, teams: &Teams, out: &mut Vec<Diagnostic>) {
    for s in &model.scenarios {
        let subject = About(SubjectKind::Scenario, &s.id);
        let context = format!("scenario `{}`", s.id);
        for component in &s.components {
            if model.component(component).is_none() {
                out.push(unknown(
                    "component",
                    component,
                    &s.location,
                    subject.subject(),
                    &context,
                ));
            }
        }
        for party in s.first.iter().chain(s.escalate.iter()) {
            check_party(teams, party, &s.location, &subject, &context, out);
        }
    }
}

fn check_matrices(model: &Model, teams: &Teams, out: &mut Vec<Diagnostic>) {
    for m in &model.matrices {
        let subject = About(SubjectKind::Matrix, &m.id);
        let context = format!("matrix `{}`", m.id);
        for party in &m.parties {
            check_party(teams, party, &m.location, &subject, &context, out);
        }
        for row in &m.rows {
            if row.roles.len() != m.parties.len() {
                out.push(
                    Diagnostic::warning(
                        "matrix_shape",
                        m.location.clone(),
                        format!(
                            "{context} row \"{}\" has {} roles for {} parties",
                            row.name,
                            row.roles.len(),
                            m.parties.len()
                        ),
                    )
                    .about(subject.subject()),
                );
            }
        }
    }
}

#[cfg(test)]
mod date_tests {
    use super::{plain_date, valid_id};
    use chrono::NaiveDate;
    use proptest::prelude::*;

    #[test]
    fn a_plain_date_is_read_directly() {
        assert_eq!(
            plain_date("2024-02-29"),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
        assert_eq!(plain_date("2023-02-29"), None);
        assert_eq!(plain_date("2023-2-1"), None);
    }

    proptest! {
        /// Ids judged by bytes as they were by characters.
        #[test]
        fn ids_are_judged_by_bytes_as_by_characters(id in "[a-z0-9\\-Aé_ ]{0,6}") {
            let mut chars = id.chars();
            let by_chars = chars
                .next()
                .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            prop_assert_eq!(valid_id(&id), by_chars);
        }

        /// What the direct reading answers, chrono answers the same (what
        /// it leaves, chrono reads as before).
        #[test]
        fn plain_dates_read_as_chrono_reads_them(
            text in "[0-9+\\- ]{0,2}[0-9]{0,4}-[0-9]{1,2}-[0-9]{1,3}|[0-9]{4}-[0-9]{2}-[0-9]{2}"
        ) {
            if let Some(date) = plain_date(&text) {
                prop_assert_eq!(Some(date), NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok());
            }
        }
    }
}
