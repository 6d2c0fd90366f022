//! The status bar's key hints: as many as fit, in order, but the pinned
//! ones (`? help`) always, so the way to every key is never off screen.

/// Which of `entries` (their widths, and whether pinned) to show in
/// `room` cells. Pinned entries are kept first; the others are taken in
/// order while they fit in the room the pinned ones leave. An entry is
/// shown whole or not at all.
pub fn choose(entries: &[(usize, bool)], room: usize) -> Vec<bool> {
    let pinned: usize = entries.iter().filter(|e| e.1).map(|e| e.0).sum();
    let mut left = room.saturating_sub(pinned);
    let mut fits_so_far = true;
    entries
        .iter()
        .map(|&(width, pin)| {
            if pin {
                return pinned <= room;
            }
            // In order: once one is left out, later ones are too, so the
            // hints never skip around as the width changes.
            if fits_so_far && width <= left {
                left -= width;
                true
            } else {
                fits_so_far = false;
                false
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn help_stays_when_the_rest_is_cut() {
        let entries = [(10, false), (10, false), (10, false), (7, true)];
        assert_eq!(choose(&entries, 30), vec![true, true, false, true]);
        assert_eq!(choose(&entries, 8), vec![false, false, false, true]);
        assert_eq!(choose(&entries, 6), vec![false, false, false, false]);
        assert_eq!(choose(&entries, 40), vec![true; 4]);
    }

    proptest! {
        #[test]
        fn the_chosen_entries_fit(entries in proptest::collection::vec((0usize..20, any::<bool>()), 0..10), room in 0usize..100) {
            let shown = choose(&entries, room);
            let used: usize = entries.iter().zip(&shown).filter(|(_, s)| **s).map(|(e, _)| e.0).sum();
            prop_assert!(used <= room);
            let pinned: usize = entries.iter().filter(|e| e.1).map(|e| e.0).sum();
            if pinned <= room {
                for (e, s) in entries.iter().zip(&shown) {
                    if e.1 { prop_assert!(*s); }
                }
            }
        }
    }
}
