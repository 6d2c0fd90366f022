//! demarc: who owns this? A terminal dashboard over an ownership repository.

pub mod app;
pub mod backstage;
pub mod cli;
pub mod codeowners;
pub mod config;
pub mod dashboard;
pub mod history;
pub mod mcp;
pub mod model;
pub mod repo;
pub mod sample;
pub mod sanitize;
pub mod search;
pub mod synth;
pub mod thread_priority;
pub mod trends;
pub mod triage;
pub mod ui;

/// jemalloc's settings, for every binary that runs demarc's code with it
/// (`src/main.rs`, the benches, the memory examples): one arena. With
/// jemalloc's default of four arenas a core, the dashboard's threads (the
/// loader, the history walk, the search index, their parse workers) each
/// filled an arena of their own, and memory one freed could not serve
/// another: at 200,000 components the dashboard's resident set peaked at
/// 1.19-1.23 GB for 0.85 GB live; with one arena, 0.98 GB (issue 17,
/// `dashmem run`). `_RJEM_MALLOC_CONF` in the environment still overrides.
#[macro_export]
macro_rules! jemalloc_settings {
    () => {
        #[cfg(target_os = "linux")]
        #[unsafe(export_name = "_rjem_malloc_conf")]
        static JEMALLOC_SETTINGS: &[u8; 10] = b"narenas:1\0";
    };
}
