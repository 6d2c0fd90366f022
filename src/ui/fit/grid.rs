//! Cards in rows (the pillars): as many per row as keep every card's title
//! whole.

/// How many cards of the given title widths to put per row in `width`
/// cells: the first of `choices` (most per row first) at which the widest
/// title fits a card, its borders and the space either side of it
/// included; the last choice when none does.
pub fn cards_per_row(titles: &[usize], width: usize, choices: &[usize]) -> usize {
    let widest = titles.iter().copied().max().unwrap_or(0);
    // "╭ " + title + " ─╮": two cells of border, two of padding, one of rule.
    let need = widest + 5;
    for &per_row in choices {
        let per_row = per_row.max(1);
        // Ratio layouts round: the narrowest card is width / per_row.
        if width / per_row >= need {
            return per_row;
        }
    }
    choices.last().copied().unwrap_or(1).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_only_when_every_title_fits() {
        // "Security & Compliance" is 21 cells: a card needs 26.
        let titles = [14, 20, 21, 13, 10, 18];
        assert_eq!(cards_per_row(&titles, 120, &[6, 3, 2]), 3);
        assert_eq!(cards_per_row(&titles, 156, &[6, 3, 2]), 6);
        assert_eq!(cards_per_row(&titles, 200, &[6, 3, 2]), 6);
        assert_eq!(cards_per_row(&titles, 78, &[6, 3, 2]), 3);
        assert_eq!(cards_per_row(&titles, 60, &[6, 3, 2]), 2);
        assert_eq!(cards_per_row(&titles, 20, &[6, 3, 2]), 2);
    }
}
