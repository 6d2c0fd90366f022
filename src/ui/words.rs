//! How the dashboard words things: counts with their plurals, change kinds
//! in plain words (not the JSON contract's `snake_case`), and finding text
//! whose `quoted` ids are shown styled rather than with literal backticks.

use crate::history::ChangeKind;
use ratatui::style::Style;
use ratatui::text::Span;

/// "1 component" / "3 components".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A change kind in words, one change and many: ("owner changed",
/// "owners changed").
pub fn kind_names(kind: ChangeKind) -> (&'static str, &'static str) {
    use ChangeKind::*;
    match kind {
        ComponentAdded => ("component added", "components added"),
        ComponentRemoved => ("component removed", "components removed"),
        OwnerChanged => ("owner changed", "owners changed"),
        LayerChanged => ("layer changed", "layers changed"),
        PillarChanged => ("pillar changed", "pillars changed"),
        TierChanged => ("tier changed", "tiers changed"),
        ConsumersChanged => ("consumers changed", "consumer lists changed"),
        DutyMoved => ("duty moved", "duties moved"),
        DutyAdded => ("duty added", "duties added"),
        DutyRemoved => ("duty removed", "duties removed"),
        TeamAdded => ("team added", "teams added"),
        TeamRemoved => ("team removed", "teams removed"),
        TeamChanged => ("team changed", "teams changed"),
        OncallChanged => ("on-call changed", "on-calls changed"),
        EscalationChanged => ("escalation changed", "escalations changed"),
        LayerRoleChanged => ("layer role changed", "layer roles changed"),
        PillarPrimaryChanged => ("pillar primary changed", "pillar primaries changed"),
        PillarBoundaryChanged => ("pillar boundary changed", "pillar boundaries changed"),
        PillarDutiesChanged => ("pillar duties changed", "pillar duty lists changed"),
        ScenarioAdded => ("scenario added", "scenarios added"),
        ScenarioRemoved => ("scenario removed", "scenarios removed"),
        ScenarioChanged => ("scenario changed", "scenarios changed"),
        MatrixChanged => ("matrix changed", "matrices changed"),
    }
}

/// A change kind in words: "owner changed".
pub fn kind_name(kind: ChangeKind) -> &'static str {
    kind_names(kind).0
}

/// "1 owner changed", "66 components added".
pub fn kind_count(kind: ChangeKind, n: usize) -> String {
    let (one, many) = kind_names(kind);
    count(n, one, many)
}

/// Text that quotes ids in backticks (the findings of `demarc check`, which
/// the CLI prints as they are) as spans: the quoted parts in `code`, the
/// rest in `base`, and no backtick left. An unpaired backtick is kept.
pub fn code_spans(text: &str, base: Style, code: Style) -> Vec<Span<'static>> {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len() < 3 {
        return vec![Span::styled(text.to_string(), base)];
    }
    let paired = parts.len() % 2 == 1;
    let mut spans = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let quoted = i % 2 == 1;
        if part.is_empty() {
            continue;
        }
        if !paired && i == parts.len() - 1 {
            spans.push(Span::styled(format!("`{part}"), base));
        } else {
            spans.push(Span::styled(
                part.to_string(),
                if quoted { code } else { base },
            ));
        }
    }
    spans
}

/// Text without the backticks that quote its ids (where it cannot be
/// styled, such as a message squeezed onto two lines).
pub fn unquote(text: &str) -> String {
    code_spans(text, Style::default(), Style::default())
        .iter()
        .map(|s| s.content.as_ref())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Modifier;

    #[test]
    fn counts_agree_with_their_number() {
        assert_eq!(
            kind_count(ChangeKind::ComponentAdded, 66),
            "66 components added"
        );
        assert_eq!(
            kind_count(ChangeKind::ComponentAdded, 1),
            "1 component added"
        );
        assert_eq!(kind_count(ChangeKind::DutyMoved, 7), "7 duties moved");
        assert_eq!(count(0, "warning", "warnings"), "0 warnings");
    }

    #[test]
    fn every_kind_has_words_without_underscores() {
        for kind in ChangeKind::ALL {
            let (one, many) = kind_names(*kind);
            assert!(!one.contains('_') && !many.contains('_'), "{kind:?}");
        }
    }

    #[test]
    fn backticks_become_styles() {
        let code = Style::default().add_modifier(Modifier::BOLD);
        let spans = code_spans("team `analytics` owns `x`.", Style::default(), code);
        let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text, "team analytics owns x.");
        assert_eq!(spans[1].content, "analytics");
        assert_eq!(spans[1].style, code);
        // Unpaired: the stray backtick stays, nothing is styled wrongly.
        let spans = code_spans("a `b` c `d", Style::default(), code);
        let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text, "a b c `d");
        assert_eq!(unquote("team `analytics` owns"), "team analytics owns");
    }
}
