//! minijinja templates. Built-in templates are embedded in release builds and read
//! from `crates/kiosque_web/templates` in debug builds (an edit needs a restart, not a
//! rebuild); a theme folder, when configured, overrides any of them by file name.
//! Undefined variables are errors, and `.html` templates escape everything by default.

use crate::i18n::Catalogs;
use kiosque_domain::Locale;
use minijinja::value::Kwargs;
use minijinja::{
    AutoEscape, Environment, Error, ErrorKind, Output, State, UndefinedBehavior, Value,
};
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Arc;

/// Every built-in template, by name.
pub const BUILTIN: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("macros.html", include_str!("../templates/macros.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("article.html", include_str!("../templates/article.html")),
    ("embed.html", include_str!("../templates/embed.html")),
    ("listing.html", include_str!("../templates/listing.html")),
    ("page.html", include_str!("../templates/page.html")),
    (
        "admin/pages.html",
        include_str!("../templates/admin/pages.html"),
    ),
    (
        "admin/page_editor.html",
        include_str!("../templates/admin/page_editor.html"),
    ),
    (
        "admin/redirects.html",
        include_str!("../templates/admin/redirects.html"),
    ),
    (
        "admin/import.html",
        include_str!("../templates/admin/import.html"),
    ),
    (
        "admin/import_progress.html",
        include_str!("../templates/admin/import_progress.html"),
    ),
    ("search.html", include_str!("../templates/search.html")),
    ("message.html", include_str!("../templates/message.html")),
    ("account.html", include_str!("../templates/account.html")),
    ("comments.html", include_str!("../templates/comments.html")),
    (
        "comments_fragment.html",
        include_str!("../templates/comments_fragment.html"),
    ),
    (
        "admin/moderation.html",
        include_str!("../templates/admin/moderation.html"),
    ),
    (
        "admin/readers.html",
        include_str!("../templates/admin/readers.html"),
    ),
    (
        "admin/reader.html",
        include_str!("../templates/admin/reader.html"),
    ),
    (
        "admin/moderation_log.html",
        include_str!("../templates/admin/moderation_log.html"),
    ),
    (
        "admin/moderation_rules.html",
        include_str!("../templates/admin/moderation_rules.html"),
    ),
    (
        "admin/base.html",
        include_str!("../templates/admin/base.html"),
    ),
    (
        "admin/wire.html",
        include_str!("../templates/admin/wire.html"),
    ),
    (
        "admin/fronts.html",
        include_str!("../templates/admin/fronts.html"),
    ),
    (
        "admin/front.html",
        include_str!("../templates/admin/front.html"),
    ),
    (
        "admin/wire_item.html",
        include_str!("../templates/admin/wire_item.html"),
    ),
    (
        "admin/macros.html",
        include_str!("../templates/admin/macros.html"),
    ),
    (
        "admin/login.html",
        include_str!("../templates/admin/login.html"),
    ),
    (
        "admin/setup.html",
        include_str!("../templates/admin/setup.html"),
    ),
    (
        "admin/dashboard.html",
        include_str!("../templates/admin/dashboard.html"),
    ),
    (
        "admin/articles.html",
        include_str!("../templates/admin/articles.html"),
    ),
    (
        "admin/editor.html",
        include_str!("../templates/admin/editor.html"),
    ),
    (
        "admin/conflict.html",
        include_str!("../templates/admin/conflict.html"),
    ),
    (
        "admin/history.html",
        include_str!("../templates/admin/history.html"),
    ),
    (
        "admin/account.html",
        include_str!("../templates/admin/account.html"),
    ),
    (
        "admin/users.html",
        include_str!("../templates/admin/users.html"),
    ),
    (
        "admin/audit.html",
        include_str!("../templates/admin/audit.html"),
    ),
    (
        "admin/media.html",
        include_str!("../templates/admin/media.html"),
    ),
    (
        "admin/settings.html",
        include_str!("../templates/admin/settings.html"),
    ),
    (
        "admin/taxonomy.html",
        include_str!("../templates/admin/taxonomy.html"),
    ),
    ("alerts.html", include_str!("../templates/alerts.html")),
    (
        "newsletters.html",
        include_str!("../templates/newsletters.html"),
    ),
    (
        "mail/edition.html",
        include_str!("../templates/mail/edition.html"),
    ),
    (
        "mail/edition.txt",
        include_str!("../templates/mail/edition.txt"),
    ),
    (
        "live_entries.html",
        include_str!("../templates/live_entries.html"),
    ),
    (
        "admin/live_desk.html",
        include_str!("../templates/admin/live_desk.html"),
    ),
    (
        "admin/live_entries.html",
        include_str!("../templates/admin/live_entries.html"),
    ),
    (
        "admin/live_entry.html",
        include_str!("../templates/admin/live_entry.html"),
    ),
    (
        "admin/alerts.html",
        include_str!("../templates/admin/alerts.html"),
    ),
    (
        "admin/newsletters.html",
        include_str!("../templates/admin/newsletters.html"),
    ),
    (
        "admin/newsletter.html",
        include_str!("../templates/admin/newsletter.html"),
    ),
    (
        "admin/edition.html",
        include_str!("../templates/admin/edition.html"),
    ),
    (
        "admin/webhooks.html",
        include_str!("../templates/admin/webhooks.html"),
    ),
    (
        "admin/webhook.html",
        include_str!("../templates/admin/webhook.html"),
    ),
];

pub struct Templates {
    env: Environment<'static>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates").finish_non_exhaustive()
    }
}

fn builtin(name: &str) -> Option<String> {
    if cfg!(debug_assertions) {
        let path = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/templates")).join(name);
        if let Ok(source) = std::fs::read_to_string(path) {
            return Some(source);
        }
    }
    BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, s)| (*s).to_owned())
}

impl Templates {
    /// Templates with `theme_dir` (if any) taking precedence over the built-ins.
    pub fn new(theme_dir: Option<PathBuf>, catalogs: Arc<Catalogs>, locale: Locale) -> Self {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_formatter(html_formatter);
        env.set_loader(move |name| {
            if name.contains("..") {
                return Ok(None);
            }
            if let Some(dir) = &theme_dir {
                match std::fs::read_to_string(dir.join(name)) {
                    Ok(source) => return Ok(Some(source)),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => {
                        return Err(Error::new(
                            ErrorKind::InvalidOperation,
                            "cannot read theme template",
                        )
                        .with_source(e));
                    }
                }
            }
            Ok(builtin(name))
        });
        env.add_function("t", move |state: &State, key: &str, kwargs: Kwargs| {
            translate(&catalogs, locale, state, key, kwargs)
        });
        Self { env }
    }

    /// Renders a template with a serialisable context.
    pub fn render(&self, name: &str, context: impl Serialize) -> Result<String, Error> {
        self.env
            .get_template(name)?
            .render(Value::from(minijinja::value::Serde(context)))
    }
}

/// HTML escaping of `& < > " '` only: minijinja's default also escapes `/`, which
/// bloats every URL in a page for no safety gain.
fn html_formatter(out: &mut Output, state: &mut State, value: &Value) -> Result<(), Error> {
    if !matches!(state.auto_escape(), AutoEscape::Html) || value.is_safe() {
        return minijinja::escape_formatter(out, state, value);
    }
    let text = value.to_string();
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.write_str(&text[start..i])?;
        out.write_str(entity)?;
        start = i + 1;
    }
    out.write_str(&text[start..])?;
    Ok(())
}

/// `t("key", name=value, …)`: a catalogue message in the page's interface language
/// (`ui_lang` in the context), or in `lang=` when given (article-specific strings
/// follow the article's own language).
fn translate(
    catalogs: &Catalogs,
    site_locale: Locale,
    state: &State,
    key: &str,
    kwargs: Kwargs,
) -> Result<String, Error> {
    let lang: Option<String> = kwargs.get("lang")?;
    let lang = match lang {
        Some(lang) => lang,
        None => state
            .lookup("ui_lang")
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
    };
    let locale = Locale::from_tag(&lang).unwrap_or(site_locale);
    let mut args = Vec::new();
    for name in kwargs.args().filter(|n| *n != "lang") {
        let value: Value = kwargs.get(name)?;
        let value = match i64::try_from(value.clone()) {
            Ok(n) => fluent_bundle::FluentValue::from(n),
            Err(_) => fluent_bundle::FluentValue::from(value.to_string()),
        };
        args.push((name, value));
    }
    kwargs.assert_all_used()?;
    Ok(catalogs.message(locale, key, &args))
}

#[cfg(test)]
mod tests {
    /// Debug builds read templates from the disk; release builds only have the
    /// built-in list: a template missing from it works in tests and fails in
    /// production.
    #[test]
    fn every_template_file_is_built_in() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut missing = Vec::new();
        for dir in [root.clone(), root.join("admin")] {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "html") {
                    let name = path
                        .strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/");
                    if !super::BUILTIN.iter().any(|(n, _)| *n == name) {
                        missing.push(name);
                    }
                }
            }
        }
        assert!(missing.is_empty(), "not in BUILTIN: {missing:?}");
    }
}
