//! Scrolling a pane of text: never past the end, and not at all when the
//! text fits.

/// The furthest a pane of `viewport` rows showing `content` rows scrolls:
/// its last row at the bottom of the pane, and zero when everything fits.
pub fn max_scroll(content: usize, viewport: usize) -> usize {
    content.saturating_sub(viewport)
}

/// `offset` kept within what `content` rows in a `viewport` allow.
pub fn clamp_scroll(offset: usize, content: usize, viewport: usize) -> usize {
    offset.min(max_scroll(content, viewport))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn text_that_fits_does_not_scroll() {
        assert_eq!(clamp_scroll(3, 10, 10), 0);
        assert_eq!(clamp_scroll(3, 4, 10), 0);
        assert_eq!(clamp_scroll(3, 12, 10), 2);
        assert_eq!(clamp_scroll(1, 12, 10), 1);
    }

    proptest! {
        #[test]
        fn the_last_row_never_leaves_the_bottom(offset in 0usize..500, content in 0usize..200, viewport in 0usize..100) {
            let o = clamp_scroll(offset, content, viewport);
            prop_assert!(o <= offset);
            // What is left below the offset fills the pane, or all is shown.
            prop_assert!(content - o.min(content) >= viewport.min(content));
        }
    }
}
