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
pub mod trends;
pub mod triage;
pub mod ui;
