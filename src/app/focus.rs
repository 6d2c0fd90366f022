//! History opened for one subject (`h` on a team or component): the
//! detail of a commit shows that subject's changes first, marked, then the
//! commit's other changes, so the answer is not lost among a hundred lines
//! of a founding commit.

use crate::history::{Change, Filter};

/// The order to show `changes` in: (index, about the subject). Without a
/// subject, every change in its own order, none marked.
pub fn subject_first(changes: &[Change], scope: &Filter) -> Vec<(usize, bool)> {
    if scope.is_empty() {
        return (0..changes.len()).map(|i| (i, false)).collect();
    }
    let (mine, rest): (Vec<usize>, Vec<usize>) =
        (0..changes.len()).partition(|&i| scope.keeps(&changes[i]));
    mine.into_iter()
        .map(|i| (i, true))
        .chain(rest.into_iter().map(|i| (i, false)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::ChangeKind;
    use crate::model::{Subject, SubjectKind};

    fn change(kind: ChangeKind, id: &str) -> Change {
        Change::new(kind, Subject::new(SubjectKind::Component, id)).done()
    }

    #[test]
    fn the_subjects_changes_come_first_and_marked() {
        let changes = vec![
            change(ChangeKind::ComponentAdded, "redis"),
            change(ChangeKind::ComponentAdded, "kafka"),
            change(ChangeKind::TierChanged, "postgres"),
            change(ChangeKind::OwnerChanged, "kafka"),
        ];
        let kafka = Filter {
            component: Some("kafka".into()),
            team: None,
        };
        assert_eq!(
            subject_first(&changes, &kafka),
            vec![(1, true), (3, true), (0, false), (2, false)]
        );
        assert_eq!(
            subject_first(&changes, &Filter::default()),
            vec![(0, false), (1, false), (2, false), (3, false)]
        );
    }
}
