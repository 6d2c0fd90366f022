//! TOML text of each file of the data folder, written the way people write
//! these files by hand (comments, blank lines, inline arrays), so parsing
//! costs what it costs on a real repository.

use super::org::*;
use std::fmt::Write;

/// A TOML basic string.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A key, quoted when it is not a bare key (`"@product"`).
fn key(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        s.to_string()
    } else {
        quote(s)
    }
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| quote(s)).collect();
    format!("[{}]", quoted.join(", "))
}

impl Org {
    /// The file's text, or None when it no longer exists (a removed team).
    pub fn render(&self, file: &FileRef) -> Option<String> {
        match file {
            FileRef::Settings => Some(self.render_settings()),
            FileRef::Pillars => Some(self.render_pillars()),
            FileRef::Layers => Some(self.render_layers()),
            FileRef::Team(id) => self.teams.get(id).map(render_team),
            FileRef::Components(i) => Some(render_components(&self.comp_files[*i])),
            FileRef::Scenarios(i) => Some(render_scenarios(&self.scenario_files[*i])),
            FileRef::Matrix(i) => Some(render_matrix(&self.matrices[*i])),
        }
    }

    fn render_settings(&self) -> String {
        format!(
            "# {} ownership repository (synthetic, made by demarc's generator).\n\
             # Who owns which part of the platform. Change it through a pull request.\n\
             schema = 1\norg = {}\nreview_every_days = {}\n",
            self.org_name,
            quote(&self.org_name),
            self.review_every_days
        )
    }

    fn render_pillars(&self) -> String {
        let mut out =
            String::from("# The six pillars of platform engineering and who holds each one.\n");
        for p in &self.pillars {
            let _ = write!(
                out,
                "\n[[pillar]]\nid = {}\nname = {}\nprimary = {}\nshared = {}\nboundary = {}\n[pillar.duties]\n",
                quote(p.id),
                quote(p.name),
                list(&p.primary),
                quote(p.shared),
                quote(&p.boundary)
            );
            for (party, duties) in &p.duties {
                let _ = writeln!(out, "{} = {}", key(party), list(duties));
            }
        }
        out
    }

    fn render_layers(&self) -> String {
        let mut out = String::from(
            "# The layers of the stack, top to bottom, and the layer responsibility matrix.\n",
        );
        for l in &self.layers {
            let _ = write!(
                out,
                "\n[[layer]]\nid = {}\nname = {}\nscope = {}\n[layer.roles]\n",
                quote(l.id),
                quote(l.name),
                quote(l.scope)
            );
            for (party, role) in &l.roles {
                let _ = writeln!(out, "{} = {}", key(party), quote(role));
            }
        }
        out
    }
}

pub fn render_team(t: &TeamRec) -> String {
    let mut out = String::with_capacity(400);
    let _ = write!(
        out,
        "name = {}\nkind = {}\ndescription = {}\nlead = {}\nmembers = {}\nchannel = {}\n",
        quote(&t.name),
        quote(t.kind),
        quote(&t.description),
        quote(&t.lead),
        list(&t.members),
        quote(&format!("#{}", t.id))
    );
    if let Some(o) = &t.oncall {
        let _ = write!(
            out,
            "\n[oncall]\nrotation = {}\npager = {}\nhours = {}\nescalation = {}\n",
            quote(&o.rotation),
            quote(&o.pager),
            quote(&o.hours),
            list(&o.escalation)
        );
    }
    out
}

pub fn render_components(file: &CompFile) -> String {
    let mut out = String::with_capacity(file.comps.len() * 520 + 100);
    let _ = writeln!(
        out,
        "# Components of the {} area. The owner is accountable; duties say who does what.",
        file.area
    );
    for c in &file.comps {
        let _ = write!(
            out,
            "\n[[component]]\nid = {}\nname = {}\nlayer = {}\npillar = {}\nowner = {}\n",
            quote(&c.id),
            quote(&c.name),
            quote(c.layer),
            quote(c.pillar),
            quote(&c.owner)
        );
        if let Some(tier) = c.tier {
            let _ = writeln!(out, "tier = {tier}");
        }
        if !c.consumers.is_empty() {
            let _ = writeln!(out, "consumers = {}", list(&c.consumers));
        }
        if let Some(runbook) = &c.runbook {
            let _ = writeln!(out, "runbook = {}", quote(runbook));
        }
        if !c.tags.is_empty() {
            let _ = writeln!(out, "tags = {}", list(&c.tags));
        }
        if let Some(date) = c.reviewed {
            let _ = writeln!(out, "reviewed = {}", date.format("%Y-%m-%d"));
        }
        for d in &c.duties {
            let _ = write!(
                out,
                "\n[[component.duty]]\nparty = {}\ncovers = {}\n",
                quote(&d.party),
                list(&d.covers)
            );
        }
    }
    out
}

pub fn render_scenarios(file: &ScenarioFile) -> String {
    let mut out =
        String::from("# Boundary-ambiguity playbooks: who looks first when this happens.\n");
    for s in &file.scenarios {
        let _ = write!(
            out,
            "\n[[scenario]]\nid = {}\ntitle = {}\nkeywords = {}\ncomponents = {}\nfirst = {}\n\
             platform_asks = {}\napplication_asks = {}\nresolution = {}\nescalate = {}\n",
            quote(&s.id),
            quote(&s.title),
            list(&s.keywords),
            list(&s.components),
            quote(&s.first),
            quote(&s.platform_asks),
            quote(&s.application_asks),
            quote(&s.resolution),
            quote(&s.escalate)
        );
    }
    out
}

pub fn render_matrix(m: &MatrixRec) -> String {
    let mut out = format!(
        "id = {}\ntitle = {}\nparties = {}\n",
        quote(m.id),
        quote(m.title),
        list(&m.parties)
    );
    for (name, roles) in &m.rows {
        let roles: Vec<String> = roles.iter().map(|r| r.to_string()).collect();
        let _ = write!(
            out,
            "\n[[row]]\nname = {}\nroles = {}\n",
            quote(name),
            list(&roles)
        );
    }
    out
}

/// The text with one string left unterminated: the kind of slip a broken
/// commit in a real history has. None when the text has no such line.
pub fn break_syntax(text: &str) -> Option<String> {
    let start = text.find("\nname = \"")? + "\nname = ".len();
    let end = start + 1 + text[start + 1..].find('"')?;
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..end]);
    out.push_str(&text[end + 1..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_escapes_what_toml_needs() {
        assert_eq!(quote(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(key("@product"), "\"@product\"");
        assert_eq!(key("platform-infra"), "platform-infra");
    }

    #[test]
    fn broken_text_no_longer_parses() {
        let text = "# x\n\n[[component]]\nid = \"a\"\nname = \"A\"\nowner = \"t\"\n";
        assert!(toml::from_str::<toml::Table>(text).is_ok());
        let broken = break_syntax(text).unwrap();
        assert!(toml::from_str::<toml::Table>(&broken).is_err());
    }
}
