//! "As of the incident" beside "now": what differs between a card then and
//! the same subject's card today, in short sentences.

use super::card::*;
use super::render::{escalation_line, oncall_line};

fn oncall_text(o: Option<&OnCallCard>) -> String {
    o.map_or("no on-call".into(), oncall_line)
}

fn escalation_text(o: Option<&OnCallCard>) -> String {
    o.map_or(String::new(), escalation_line)
}

fn duty_text(d: &[DutyCard]) -> String {
    d.iter()
        .map(|d| format!("{}: {}", d.party, d.covers.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Differences from `then` to `now`; `now` is None when the subject is gone.
pub fn differences(then: &Card, now: Option<&Card>) -> Vec<String> {
    let mut out = Vec::new();
    let Some(now) = now else {
        out.push("no longer exists now".into());
        return out;
    };
    let mut differ = |what: &str, a: String, b: String| {
        if a == b {
            return;
        }
        // A ladder has arrows of its own: "was … now …" instead.
        if a.contains('→') || b.contains('→') {
            out.push(format!("{what} was {a}; now {b}"));
        } else {
            out.push(format!("{what}: {a} → {b} (now)"));
        }
    };
    match (then, now) {
        (Card::Component(a), Card::Component(b)) => {
            differ("owner", a.owner_id.clone(), b.owner_id.clone());
            let oa = a.owner.as_ref().and_then(|o| o.oncall.as_ref());
            let ob = b.owner.as_ref().and_then(|o| o.oncall.as_ref());
            if a.owner_id == b.owner_id {
                differ("owner on-call", oncall_text(oa), oncall_text(ob));
                differ("escalation", escalation_text(oa), escalation_text(ob));
            }
            differ("tier", fmt_tier(a.tier), fmt_tier(b.tier));
            differ("duties", duty_text(&a.duties), duty_text(&b.duties));
            differ("consumers", a.consumers.join(", "), b.consumers.join(", "));
        }
        (Card::Team(a), Card::Team(b)) => {
            differ(
                "on-call",
                oncall_text(a.oncall.as_ref()),
                oncall_text(b.oncall.as_ref()),
            );
            differ(
                "escalation",
                escalation_text(a.oncall.as_ref()),
                escalation_text(b.oncall.as_ref()),
            );
            differ("owns", a.owns.join(", "), b.owns.join(", "));
        }
        (Card::Scenario(a), Card::Scenario(b)) => {
            differ(
                "first",
                a.first.clone().unwrap_or_default(),
                b.first.clone().unwrap_or_default(),
            );
            differ(
                "resolution",
                a.resolution.clone().unwrap_or_default(),
                b.resolution.clone().unwrap_or_default(),
            );
            differ(
                "escalate",
                a.escalate.clone().unwrap_or_default(),
                b.escalate.clone().unwrap_or_default(),
            );
        }
        _ => {}
    }
    out
}

fn fmt_tier(t: Option<u8>) -> String {
    t.map_or("-".into(), |t| t.to_string())
}
