//! The documents an assistant can read to know what the data means: the
//! format reference and the triage runbook, compiled into the binary so
//! the server needs nothing but the repository it serves.

use rmcp::model::{Resource, ResourceContents};

pub struct Doc {
    pub uri: &'static str,
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub text: &'static str,
}

pub const DOCS: &[Doc] = &[
    Doc {
        uri: "demarc://docs/format.md",
        name: "format.md",
        title: "The ownership repository format",
        description: "Every file and field of an ownership repository, what each means, and every finding of `check`.",
        text: include_str!("../../docs/format.md"),
    },
    Doc {
        uri: "demarc://docs/triage.md",
        name: "triage.md",
        title: "The triage runbook",
        description: "From a symptom to who to page: how to read a triage card, the escalation ladder and the duty split.",
        text: include_str!("../../docs/triage.md"),
    },
];

pub fn list() -> Vec<Resource> {
    DOCS.iter()
        .map(|d| {
            Resource::new(d.uri, d.name)
                .with_title(d.title)
                .with_description(d.description)
                .with_mime_type("text/markdown")
                .with_size(d.text.len() as u64)
        })
        .collect()
}

pub fn read(uri: &str) -> Option<ResourceContents> {
    DOCS.iter()
        .find(|d| d.uri == uri)
        .map(|d| ResourceContents::text(d.text, d.uri).with_mime_type("text/markdown"))
}
