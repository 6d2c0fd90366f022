//! What each finding code means, for SARIF rules and Markdown call-outs.
//! The same words as docs/format.md "What `demarc check` reports".

/// One finding code and its help.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub code: &'static str,
    /// One sentence: when the finding is reported.
    pub summary: &'static str,
    /// What to do about it.
    pub help: &'static str,
}

pub const RULES: &[Rule] = &[
    Rule {
        code: "parse",
        summary: "A file is not valid TOML, not UTF-8, or a value has the wrong type.",
        help: "Fix the file at the line and column given; the message says what was expected. Every other file still loads.",
    },
    Rule {
        code: "missing_field",
        summary: "A required key is missing (`id`, `name`, a team's `kind`, `schema`).",
        help: "Add the key named in the message.",
    },
    Rule {
        code: "duplicate_id",
        summary: "Two entries of one kind share an id.",
        help: "Rename or remove one of them; the first declaration wins until then.",
    },
    Rule {
        code: "unknown_reference",
        summary: "A team, layer, pillar or component named somewhere does not exist.",
        help: "Correct the id, or add the missing team, layer, pillar or component.",
    },
    Rule {
        code: "missing_owner",
        summary: "A component has no `owner`.",
        help: "Give the component an `owner`: the id of the team accountable for it.",
    },
    Rule {
        code: "schema_too_new",
        summary: "`schema` in demarc.toml is newer than this demarc understands.",
        help: "Upgrade demarc.",
    },
    Rule {
        code: "too_large",
        summary: "A file is over 16 MiB and was not read.",
        help: "Split the file.",
    },
    Rule {
        code: "missing_object",
        summary: "A file is missing from git (a partial or damaged clone).",
        help: "Fetch the missing objects, or clone again.",
    },
    Rule {
        code: "unreadable",
        summary: "A file could not be read (permissions, I/O).",
        help: "Make the file readable.",
    },
    Rule {
        code: "missing_pillar",
        summary: "A standard pillar is not declared.",
        help: "Declare the pillar in pillars.toml; it shows as unassigned until then.",
    },
    Rule {
        code: "missing_layer",
        summary: "A standard layer is not declared.",
        help: "Declare the layer in layers.toml.",
    },
    Rule {
        code: "duty_conflict",
        summary: "Two parties claim the same duty word of one component (an accountability gap).",
        help: "Give the duty to one party, or split it into two duty words.",
    },
    Rule {
        code: "no_oncall",
        summary: "A tier-1 or tier-2 component's owner has no on-call rotation.",
        help: "Add an [oncall] rotation or pager to the owning team, or move the component to a team that has one.",
    },
    Rule {
        code: "unknown_key",
        summary: "A key demarc does not know (ignored).",
        help: "Check the spelling; a key for a newer demarc is harmless.",
    },
    Rule {
        code: "review_overdue",
        summary: "A component's `reviewed` date is older than `review_every_days` for its tier.",
        help: "Review the component's ownership with its owner and set `reviewed` to today's date.",
    },
    Rule {
        code: "empty_party",
        summary: "`@kind` with no team of that kind, or `@consumers` with no consumers.",
        help: "Name a team, or add a team of that kind or the component's consumers.",
    },
    Rule {
        code: "unknown_kind",
        summary: "A team's kind is not one of the format's kinds.",
        help: "Use platform, product, operations, security, compliance, architecture, data, leadership or other.",
    },
    Rule {
        code: "invalid_id",
        summary: "An id is not lowercase letters, digits and dashes.",
        help: "Rename the id.",
    },
    Rule {
        code: "invalid_tier",
        summary: "A tier outside 1 to 4.",
        help: "Use a tier from 1 (most critical) to 4.",
    },
    Rule {
        code: "invalid_date",
        summary: "A `reviewed` value that is not a YYYY-MM-DD date.",
        help: "Write the date as YYYY-MM-DD.",
    },
    Rule {
        code: "matrix_shape",
        summary: "A matrix row has a different number of roles than the matrix has parties.",
        help: "Give each row one role per party.",
    },
    Rule {
        code: "skipped",
        summary: "A symbolic link, submodule or folder where a data file was expected (never followed).",
        help: "Replace it with a regular file.",
    },
    Rule {
        code: "boundary_violation",
        summary: "A team owns components in a layer where it declares no role, or only `consumes`.",
        help: "Declare the team's role in layers.toml, or move the components to a team that holds the layer.",
    },
    Rule {
        code: "no_runbook",
        summary: "A tier-1 or tier-2 component has no runbook.",
        help: "Add a `runbook` link a responder can follow.",
    },
    Rule {
        code: "orphan_team",
        summary: "A team owns nothing and holds no duty, role, scenario or consumer entry.",
        help: "Give the team its components or duties, or remove it.",
    },
    Rule {
        code: "no_contact",
        summary: "The owner of a tier-1 or tier-2 component has no members, lead or channel.",
        help: "Add a `lead`, `members` or a `channel` to the team, so someone can be reached.",
    },
    Rule {
        code: "placeholder_owner",
        summary: "An owner or party is a placeholder (`tbd`, `unknown`, ...), not a real team.",
        help: "Name the team that is accountable; the list is `placeholder_owners` in demarc.toml.",
    },
];

/// The rule of a code; codes from elsewhere (catalog readers, the
/// CODEOWNERS check) get a generic one so every finding has a rule.
pub fn rule(code: &str) -> Rule {
    RULES
        .iter()
        .find(|r| r.code == code)
        .copied()
        .unwrap_or(Rule {
            code: "",
            summary: "A finding of demarc.",
            help: "See the message; every code is listed in demarc's docs/format.md.",
        })
}
