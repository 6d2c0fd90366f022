//! Themes: flat `key = "style"` TOML files. A style is a foreground colour,
//! optionally `on` a background, and modifiers: `"lightcyan on black bold"`,
//! `"reversed"`, `"#ff8800 underlined"`. Built-ins are compiled in; a user
//! theme (a file, or `<config dir>/themes/NAME.toml`) is a patch over the
//! default theme, so it names only what it changes.

pub mod contrast;

use crate::config::{ConfigError, error_at, toml_error};
use ratatui::style::{Color, Modifier, Style};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use toml::Spanned;

pub const BUILT_IN: &[(&str, &str)] = &[
    ("default", include_str!("../../themes/default.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
    ("mono", include_str!("../../themes/mono.toml")),
];

macro_rules! theme {
    ($($field:ident),* $(,)?) => {
        /// Every style the dashboard draws with.
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct Theme {
            $(pub $field: Style,)*
        }

        impl Theme {
            pub const KEYS: &'static [&'static str] = &[$(stringify!($field),)*];

            fn slot(&mut self, key: &str) -> Option<&mut Style> {
                match key {
                    $(stringify!($field) => Some(&mut self.$field),)*
                    _ => None,
                }
            }
        }
    };
}

theme!(
    text,
    dim,
    accent,
    title,
    title_commit,
    dirty,
    tab,
    tab_selected,
    border,
    border_focus,
    header,
    selection,
    error,
    warning,
    ok,
    violation,
    status,
    status_key,
    matched,
    tier1,
    role_owns,
    role_shares,
    role_supports,
    role_configures,
    role_consumes,
    role_consults,
    role_reviews,
    role_approves,
    role_informs,
    role_other,
);

/// Parses a style: colours and modifiers, `on` before the background.
pub fn parse_style(text: &str) -> Result<Style, String> {
    let mut style = Style::default();
    let mut background = false;
    for word in text.split_whitespace() {
        let modifier = match word.to_ascii_lowercase().as_str() {
            "on" => {
                background = true;
                continue;
            }
            "bold" => Some(Modifier::BOLD),
            "dim" => Some(Modifier::DIM),
            "italic" => Some(Modifier::ITALIC),
            "underlined" | "underline" => Some(Modifier::UNDERLINED),
            "reversed" | "reverse" => Some(Modifier::REVERSED),
            "crossed" => Some(Modifier::CROSSED_OUT),
            _ => None,
        };
        if let Some(m) = modifier {
            style = style.add_modifier(m);
            continue;
        }
        let color =
            Color::from_str(word).map_err(|_| format!("`{word}` is not a colour or modifier"))?;
        if background {
            style = style.bg(color);
            background = false;
        } else {
            style = style.fg(color);
        }
    }
    Ok(style)
}

impl Theme {
    /// Applies a theme file's text over this theme.
    pub fn patch(&mut self, path: &Path, text: &str) -> Result<(), ConfigError> {
        let raw: BTreeMap<Spanned<String>, Spanned<String>> =
            toml::from_str(text).map_err(|e| toml_error(path, text, &e))?;
        for (key, value) in raw {
            let style = parse_style(value.get_ref())
                .map_err(|m| error_at(path, text, value.span().start, format!("{m}.")))?;
            let slot = self.slot(key.get_ref()).ok_or_else(|| {
                error_at(
                    path,
                    text,
                    key.span().start,
                    format!(
                        "`{}` is not a theme key (docs/themes.md lists them).",
                        key.get_ref()
                    ),
                )
            })?;
            *slot = style;
        }
        Ok(())
    }

    pub fn built_in(name: &str) -> Option<Theme> {
        let (_, text) = BUILT_IN.iter().find(|(n, _)| *n == name)?;
        let mut theme = Theme::default();
        // Built-ins are tested to parse; a failure here is a build mistake.
        theme.patch(Path::new(name), text).ok()?;
        Some(theme)
    }

    pub fn default_dark() -> Theme {
        Theme::built_in("default").unwrap_or_default()
    }

    pub fn mono() -> Theme {
        Theme::built_in("mono").unwrap_or_default()
    }

    /// Resolves `--theme NAME|FILE` or a config's `theme`: a built-in name,
    /// a path to a file, or NAME.toml in the config folder's `themes/`.
    pub fn resolve(spec: &str, config_dir: Option<&Path>) -> Result<Theme, ConfigError> {
        if let Some(theme) = Theme::built_in(spec) {
            return Ok(theme);
        }
        let as_path = PathBuf::from(spec);
        let candidate = if as_path.is_file() {
            Some(as_path)
        } else {
            config_dir
                .map(|d| d.join("themes").join(format!("{spec}.toml")))
                .filter(|p| p.is_file())
        };
        let Some(path) = candidate else {
            let names: Vec<&str> = BUILT_IN.iter().map(|(n, _)| *n).collect();
            return Err(ConfigError(format!(
                "No theme `{spec}`: give a file or one of {}.",
                names.join(", ")
            )));
        };
        let text = std::fs::read_to_string(&path)
            .map_err(|e| ConfigError(format!("Cannot read the theme {}: {e}.", path.display())))?;
        let mut theme = Theme::default_dark();
        theme.patch(&path, &text)?;
        Ok(theme)
    }

    /// The style of a role word in a matrix cell.
    pub fn role(&self, role: &str) -> Style {
        match role {
            "owns" | "R" => self.role_owns,
            "shares" => self.role_shares,
            "supports" => self.role_supports,
            "configures" => self.role_configures,
            "consumes" => self.role_consumes,
            "consults" | "C" => self.role_consults,
            "reviews" => self.role_reviews,
            "approves" | "A" => self.role_approves,
            "informs" | "I" => self.role_informs,
            _ => self.role_other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_ins_parse_and_set_every_key() {
        for (name, text) in BUILT_IN {
            let mut theme = Theme::default();
            theme.patch(Path::new(name), text).unwrap();
            let raw: BTreeMap<String, String> = toml::from_str(text).unwrap();
            for key in Theme::KEYS {
                assert!(raw.contains_key(*key), "{name} lacks {key}");
            }
        }
    }

    #[test]
    fn mono_selects_by_reverse_video_not_colour() {
        let mono = Theme::mono();
        assert!(mono.selection.add_modifier.contains(Modifier::REVERSED));
        for key in Theme::KEYS {
            let mut t = mono.clone();
            let style = *t.slot(key).unwrap();
            assert!(
                matches!(style.fg, None | Some(Color::Reset)),
                "{key} has a colour"
            );
            assert!(
                matches!(style.bg, None | Some(Color::Reset)),
                "{key} has a colour"
            );
        }
    }

    /// The light theme reads on white: every text style at 4.5:1 or more
    /// against its background (white when it sets none), borders at 3:1,
    /// no `dim` modifier (terminals draw it as a pale grey), and no named
    /// colour whose shade depends on the terminal's palette.
    #[test]
    fn the_light_theme_is_readable_on_white() {
        let light = Theme::built_in("light").unwrap();
        let white = (255, 255, 255);
        for key in Theme::KEYS {
            let mut t = light.clone();
            let style = *t.slot(key).unwrap();
            for c in [style.fg, style.bg].into_iter().flatten() {
                assert!(
                    matches!(c, Color::Indexed(16..) | Color::Rgb(..)),
                    "light `{key}` uses the palette colour {c:?}"
                );
            }
            assert!(
                !style.add_modifier.contains(Modifier::DIM),
                "light `{key}` is dim"
            );
            let fg = style.fg.and_then(contrast::rgb).expect(key);
            let bg = style.bg.and_then(contrast::rgb).unwrap_or(white);
            let need = if key.starts_with("border") { 3.0 } else { 4.5 };
            let ratio = contrast::ratio(fg, bg);
            assert!(ratio >= need, "light `{key}`: contrast {ratio:.2} < {need}");
        }
    }

    #[test]
    fn styles_parse() {
        let s = parse_style("lightcyan on #102030 bold").unwrap();
        assert_eq!(s.fg, Some(Color::LightCyan));
        assert_eq!(s.bg, Some(Color::Rgb(0x10, 0x20, 0x30)));
        assert!(s.add_modifier.contains(Modifier::BOLD));
        assert!(parse_style("blurple").is_err());
    }

    #[test]
    fn bad_theme_names_file_and_line() {
        let mut t = Theme::default_dark();
        let err = t
            .patch(Path::new("t.toml"), "text = \"red\"\nselction = \"blue\"\n")
            .unwrap_err();
        assert!(
            err.0
                .starts_with("t.toml:2:1: `selction` is not a theme key"),
            "{err}"
        );
        let err = t
            .patch(Path::new("t.toml"), "text = \"blurple\"\n")
            .unwrap_err();
        assert!(err.0.starts_with("t.toml:1:8: `blurple`"), "{err}");
        let err = t.patch(Path::new("t.toml"), "text = [\n").unwrap_err();
        assert!(err.0.starts_with("t.toml:"), "{err}");
        assert!(
            Theme::resolve("nope-not-a-theme", None)
                .unwrap_err()
                .0
                .contains("mono")
        );
    }
}
