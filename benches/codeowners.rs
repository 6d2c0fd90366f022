//! CODEOWNERS at scale: 10,000 rules against 20,000 component paths, the
//! size of a large monorepo's file and a large organisation's catalog.
//!
//! Run: `cargo bench --bench codeowners` (a release build, single process).
//! Measured: parsing the file, building the rule set, and the whole
//! `codeowners check` (every component path judged, every rule's coverage,
//! every handle looked up). The peer, on the same patterns and the same
//! representative paths: the `ignore` crate's gitignore matcher, building
//! it and asking it about every path (it answers one question, "does any
//! rule match", where demarc needs every matching rule).

#[path = "support/alloc.rs"]
mod alloc;

use demarc::codeowners::{self, matcher};
use demarc::model::{self, Model};
use ignore::gitignore::GitignoreBuilder;
use std::hint::black_box;
use std::time::{Duration, Instant};

#[path = "support/cpu.rs"]
mod cpu;
use cpu::cpu_time;

const RULES: usize = 10_000;
const COMPONENTS: usize = 20_000;
const TEAMS: usize = 400;
const ROUNDS: usize = 5;

/// A small deterministic generator (xorshift): the same data every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const AREAS: &[&str] = &["services", "platform", "libs", "infra", "tools", "web"];
const EXTENSIONS: &[&str] = &["js", "go", "py", "rs", "tf", "yaml", "md", "sql"];

/// 400 teams with handles and 20,000 components, one folder each, as TOML
/// parsed by the real parser.
fn model() -> Model {
    let mut files = vec![(
        "demarc.toml".to_string(),
        "schema = 1\norg = \"Bench\"\n".to_string(),
    )];
    for t in 0..TEAMS {
        files.push((
            format!("teams/t{t}.toml"),
            format!("name = \"T{t}\"\nkind = \"product\"\ncodeowners = [\"@bench/t{t}\"]\n"),
        ));
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut text = String::new();
    for c in 0..COMPONENTS {
        let area = AREAS[c % AREAS.len()];
        text.push_str(&format!(
            "[[component]]\nid = \"c{c}\"\nname = \"C{c}\"\nowner = \"t{}\"\npaths = [\"{area}/c{c}/\"]\n\n",
            rng.below(TEAMS)
        ));
    }
    files.push(("components/all.toml".to_string(), text));
    let (model, _) = model::parse_all(files.iter().map(|(p, t)| (p.as_str(), t.as_bytes())));
    model
}

/// 10,000 rules: a fallback, then folders of components with their
/// owner's handle (one in twenty with another team's: a drift), extension
/// rules, direct-children rules, folders left without owners and
/// unanchored test folders.
fn codeowners_file(model: &Model) -> String {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    let mut out = String::from("* @bench/t0\n");
    for r in 1..RULES {
        let c = rng.below(COMPONENTS);
        let area = AREAS[c % AREAS.len()];
        let team = rng.below(TEAMS);
        let owner = &model.components[c].owner;
        let line = match r % 20 {
            0 => format!("/{area}/c{c}/ @bench/t{team}\n"),
            1..=15 => format!("/{area}/c{c}/ @bench/{owner}\n"),
            16 => format!(
                "*.{} @bench/t{team}\n",
                EXTENSIONS[rng.below(EXTENSIONS.len())]
            ),
            17 => format!("/{area}/c{c}/docs/* @bench/t{team}\n"),
            18 => format!("/{area}/c{c}/generated/\n"),
            _ => format!("**/c{c}/tests/ @bench/t{team} @bench/qa\n"),
        };
        out.push_str(&line);
    }
    out
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:>9.1} ms", d.as_secs_f64() * 1e3)
}

/// Median wall time, median CPU time, and the last result.
fn time<T>(mut f: impl FnMut() -> T) -> (Duration, Duration, T) {
    let (mut wall, mut cpu) = (Vec::new(), Vec::new());
    let mut last = None;
    for _ in 0..ROUNDS {
        let (start, start_cpu) = (Instant::now(), cpu_time());
        last = Some(black_box(f()));
        wall.push(start.elapsed());
        cpu.push(cpu_time().saturating_sub(start_cpu));
    }
    (median(wall), median(cpu), last.unwrap())
}

fn main() {
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "demarc CODEOWNERS benchmark: {RULES} rules, {COMPONENTS} component paths, {TEAMS} teams; {ROUNDS} rounds, {cores} cores, load {}",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    let model = model();
    let text = codeowners_file(&model);
    let probes: Vec<String> = model
        .components
        .iter()
        .flat_map(|c| c.paths.iter().map(|p| matcher::probe(p)))
        .collect();
    println!("  file: {} bytes", text.len());
    println!("  {:<48} {:>12} {:>12}", "", "wall", "CPU");
    let row = |label: &str, wall: Duration, cpu: Duration| {
        println!("  {label:<48} {} {}", ms(wall), ms(cpu));
    };

    let (m, b, file) = time(|| codeowners::parse(&text));
    row("demarc: parse the file", m, b);
    assert!(file.errors.is_empty());
    let (m, b, set) =
        time(|| matcher::PatternSet::new(file.rules.iter().map(|r| r.pattern.as_str())));
    row("demarc: build the rule set", m, b);
    let (m, b, owned) = time(|| {
        probes
            .iter()
            .filter(|p| set.last_match(p).is_some())
            .count()
    });
    row("demarc: last matching rule of every path", m, b);
    let (m, b, report) = time(|| codeowners::check(&model, &file, "CODEOWNERS", None));
    row("demarc: codeowners check (all of it)", m, b);

    let (m, b, gitignore) = time(|| {
        let mut builder = GitignoreBuilder::new("/");
        for rule in &file.rules {
            let _ = builder.add_line(None, &rule.pattern);
        }
        builder.build().expect("the gitignore matcher builds")
    });
    row("peer, ignore::gitignore: build", m, b);
    let (m, b, peer_owned) = time(|| {
        probes
            .iter()
            .filter(|p| {
                gitignore
                    .matched_path_or_any_parents(p.as_str(), false)
                    .is_ignore()
            })
            .count()
    });
    row("peer, ignore::gitignore: match every path", m, b);

    println!(
        "\n  {} verdicts ({} agree, {} mismatch, {} unowned); {} errors, {} warnings",
        report.verdicts.len(),
        report
            .verdicts
            .iter()
            .filter(|v| matches!(v.status, codeowners::Status::Agrees { .. }))
            .count(),
        report
            .verdicts
            .iter()
            .filter(|v| matches!(v.status, codeowners::Status::Mismatch { .. }))
            .count(),
        report
            .verdicts
            .iter()
            .filter(|v| matches!(v.status, codeowners::Status::Unowned { .. }))
            .count(),
        report.errors(),
        report.warnings()
    );
    println!("  paths with a matching rule: demarc {owned}, ignore {peer_owned}");
}
