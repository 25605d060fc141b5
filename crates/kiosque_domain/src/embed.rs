//! Embeds: a post, a video or a sound from another platform, named by a URL alone on
//! its line in an article's body. The provider's oEmbed answer is fetched once, when
//! the article is saved, and stored; readers get a placeholder served by Kiosque and
//! load the provider's player only when they ask for it (consent first). Providers
//! whose player needs their own script (X, Instagram, Bluesky) become a static card.

use crate::media::ImageRef;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How an embed is shown once the reader asks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum EmbedStyle {
    /// The provider's player in an iframe, after a click.
    #[default]
    Frame,
    /// A card made of the post's text, author and date: no third-party code at all.
    Card,
}

impl EmbedStyle {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Frame => "frame",
            Self::Card => "card",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "frame" => Some(Self::Frame),
            "card" => Some(Self::Card),
            _ => None,
        }
    }
}

/// A platform Kiosque embeds from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provider {
    /// Shown to readers: "Afficher le contenu (YouTube)".
    pub name: String,
    /// URL patterns, `*` standing for any run of characters.
    pub schemes: Vec<String>,
    /// The oEmbed endpoint: the only address Kiosque asks about these URLs.
    pub endpoint: String,
    pub style: EmbedStyle,
    /// Origins (`https://host`) the player's iframe may come from; the page's
    /// `frame-src` lists them.
    pub frame_origins: Vec<String>,
    /// Origins thumbnails may be fetched from, beside the endpoint's own.
    pub image_origins: Vec<String>,
}

impl Provider {
    fn new(name: &str, schemes: &[&str], endpoint: &str, style: EmbedStyle) -> Self {
        Self {
            name: name.into(),
            schemes: schemes.iter().map(|s| (*s).into()).collect(),
            endpoint: endpoint.into(),
            style,
            frame_origins: Vec::new(),
            image_origins: Vec::new(),
        }
    }

    fn frames(mut self, origins: &[&str]) -> Self {
        self.frame_origins = origins.iter().map(|s| (*s).into()).collect();
        self
    }

    fn images(mut self, origins: &[&str]) -> Self {
        self.image_origins = origins.iter().map(|s| (*s).into()).collect();
        self
    }

    /// Whether `url` is one of this provider's.
    pub fn claims(&self, url: &str) -> bool {
        self.schemes.iter().any(|scheme| glob_match(scheme, url))
    }

    /// Whether an iframe address belongs to this provider: `https`, on one of its
    /// frame origins.
    pub fn allows_frame(&self, src: &str) -> bool {
        origin_of(src).is_some_and(|o| self.frame_origins.iter().any(|f| f == &o))
    }

    /// Whether a thumbnail may be fetched from `src`: the endpoint's origin, the
    /// provider's image or frame origins.
    pub fn allows_image(&self, src: &str) -> bool {
        let Some(origin) = origin_of(src) else {
            return false;
        };
        origin_of(&self.endpoint).as_deref() == Some(origin.as_str())
            || self.image_origins.contains(&origin)
            || self.frame_origins.contains(&origin)
    }
}

/// The origin (`scheme://host[:port]`) of an absolute http(s) URL, lower-cased;
/// `None` for anything else, and for URLs with credentials.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    // A host (ASCII letters, digits, dots, hyphens; punycode for others) and a
    // port: nothing that could end a CSP source or carry credentials.
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']');
    if authority.is_empty() || !authority.chars().all(plain) {
        return None;
    }
    Some(format!("{scheme}://{}", authority.to_ascii_lowercase()))
}

/// `*` matches any run of characters (none included); everything else literally.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &text[first.len()..];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle) {
            Some(at) => rest = &rest[at + middle.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

/// Every provider Kiosque knows: the built-in ones, Mastodon servers named by the
/// operator, then the configured ones (which come first when patterns overlap).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Providers {
    list: Vec<Provider>,
}

impl Providers {
    /// The configured providers first, then the Mastodon servers, then the
    /// built-in ones.
    pub fn new(configured: Vec<Provider>, mastodon_servers: &[String]) -> Self {
        let mut list = configured;
        for server in mastodon_servers {
            let host = server
                .trim()
                .trim_start_matches("https://")
                .trim_end_matches('/')
                .to_ascii_lowercase();
            let origin = format!("https://{host}");
            if host.is_empty() || origin_of(&origin).as_deref() != Some(origin.as_str()) {
                continue;
            }
            list.push(
                Provider::new(
                    // One name per server: a reader's "always show" is per server.
                    &format!("Mastodon · {host}"),
                    &[&format!("{origin}/@*/*")],
                    &format!("{origin}/api/oembed"),
                    EmbedStyle::Frame,
                )
                .frames(&[&origin])
                .images(&[&origin]),
            );
        }
        list.extend(builtin());
        Self { list }
    }

    /// The provider of a URL, if any.
    pub fn find(&self, url: &str) -> Option<&Provider> {
        self.list.iter().find(|p| p.claims(url))
    }

    pub fn by_name(&self, name: &str) -> Option<&Provider> {
        self.list.iter().find(|p| p.name == name)
    }

    pub fn all(&self) -> &[Provider] {
        &self.list
    }

    /// Every origin a player may be framed from, once each, in order: the
    /// Content-Security-Policy's `frame-src`.
    pub fn frame_sources(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for origin in self
            .list
            .iter()
            .filter(|p| p.style == EmbedStyle::Frame)
            .flat_map(|p| &p.frame_origins)
        {
            if !out.contains(origin) {
                out.push(origin.clone());
            }
        }
        out
    }
}

/// The platforms known out of the box. Players that work in an iframe without the
/// platform's script are framed; the others are cards.
pub fn builtin() -> Vec<Provider> {
    use EmbedStyle::{Card, Frame};
    vec![
        Provider::new(
            "YouTube",
            &[
                "https://www.youtube.com/watch?*",
                "https://youtube.com/watch?*",
                "https://m.youtube.com/watch?*",
                "https://youtu.be/*",
                "https://www.youtube.com/shorts/*",
            ],
            "https://www.youtube.com/oembed",
            Frame,
        )
        .frames(&[
            "https://www.youtube-nocookie.com",
            "https://www.youtube.com",
        ])
        .images(&["https://i.ytimg.com"]),
        Provider::new(
            "Dailymotion",
            &["https://www.dailymotion.com/video/*", "https://dai.ly/*"],
            "https://www.dailymotion.com/services/oembed",
            Frame,
        )
        .frames(&["https://www.dailymotion.com", "https://geo.dailymotion.com"])
        .images(&["https://s1.dmcdn.net", "https://s2.dmcdn.net"]),
        Provider::new(
            "Vimeo",
            &["https://vimeo.com/*", "https://player.vimeo.com/video/*"],
            "https://vimeo.com/api/oembed.json",
            Frame,
        )
        .frames(&["https://player.vimeo.com"])
        .images(&["https://i.vimeocdn.com"]),
        Provider::new(
            "SoundCloud",
            &["https://soundcloud.com/*", "https://on.soundcloud.com/*"],
            "https://soundcloud.com/oembed",
            Frame,
        )
        .frames(&["https://w.soundcloud.com"])
        .images(&["https://i1.sndcdn.com"]),
        Provider::new(
            "X",
            &[
                "https://x.com/*/status/*",
                "https://twitter.com/*/status/*",
                "https://mobile.twitter.com/*/status/*",
            ],
            "https://publish.twitter.com/oembed",
            Card,
        ),
        Provider::new(
            "Instagram",
            &[
                "https://www.instagram.com/p/*",
                "https://www.instagram.com/reel/*",
                "https://instagram.com/p/*",
            ],
            "https://graph.facebook.com/v19.0/instagram_oembed",
            Card,
        ),
        Provider::new(
            "Bluesky",
            &["https://bsky.app/profile/*/post/*"],
            "https://embed.bsky.app/oembed",
            Card,
        ),
    ]
}

/// The URLs standing alone on a line of a Markdown body (outside code blocks), in
/// order, once each: the candidates for embedding.
pub fn bare_urls(markdown: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut fence: Option<&str> = None;
    for line in markdown.lines() {
        let trimmed = line.trim();
        if let Some(marker) = fence {
            if trimmed.starts_with(marker) {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") {
            fence = Some("```");
            continue;
        }
        if trimmed.starts_with("~~~") {
            fence = Some("~~~");
            continue;
        }
        // Indented code.
        if line.starts_with("    ") || line.starts_with('\t') {
            continue;
        }
        let candidate = trimmed
            .strip_prefix('<')
            .and_then(|t| t.strip_suffix('>'))
            .unwrap_or(trimmed);
        if (candidate.starts_with("https://") || candidate.starts_with("http://"))
            && candidate.len() <= MAX_URL_BYTES
            && !candidate.contains(char::is_whitespace)
            && !candidate.contains(['<', '>', '"', '`'])
            && seen.insert(candidate)
        {
            out.push(candidate.to_owned());
            if out.len() == MAX_BARE_URLS {
                break;
            }
        }
    }
    out
}

/// The `src` of the first `<iframe>` in a provider's HTML snippet (`&amp;` decoded),
/// if it is a plain absolute address.
pub fn iframe_src(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let start = lower.find("<iframe")?;
    let end = start + lower[start..].find('>')?;
    let tag = &html[start..end];
    let tag_lower = &lower[start..end];
    let mut from = 0;
    while let Some(at) = tag_lower[from..].find("src=") {
        let at = from + at;
        // `data-src=` and the like are other attributes.
        let before = tag_lower[..at].chars().last();
        from = at + 4;
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let rest = &tag[at + 4..];
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let value = &rest[1..];
        let value = &value[..value.find(quote)?];
        let value = value.replace("&amp;", "&");
        return (!value.contains(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"')))
            .then_some(value)
            .filter(|v| origin_of(v).is_some());
    }
    None
}

/// A card's text and date from a provider's HTML snippet (the blockquote that X,
/// Instagram and Bluesky give): the first paragraph's text, and the text of the last
/// link, which these platforms make the post's date. The text is sanitised HTML
/// without any tag (entities escaped).
pub fn card_parts(html: &str) -> (String, String) {
    let strip = |fragment: &str| -> String {
        let text = ammonia::Builder::empty().clean(fragment).to_string();
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let lower = html.to_ascii_lowercase();
    let text = match (lower.find("<p"), lower.find("</p>")) {
        (Some(open), Some(close)) if open < close => {
            let inner = open + lower[open..].find('>').unwrap_or(0) + 1;
            strip(&html[inner.min(close)..close])
        }
        _ => strip(html),
    };
    let end = lower.find("</blockquote>").unwrap_or(lower.len());
    let date = lower[..end]
        .rfind("<a ")
        .and_then(|open| {
            let inner = open + lower[open..].find('>')? + 1;
            let close = inner + lower[inner..].find("</a>")?;
            Some(strip(&html[inner..close]))
        })
        .unwrap_or_default();
    (text, date)
}

/// Most bare URLs read from one body (the article's embeds are fewer still).
pub const MAX_BARE_URLS: usize = 100;

/// Longest URL considered for an embed.
pub const MAX_URL_BYTES: usize = 2048;

/// An embed as stored: what the provider said when it was last asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Embed {
    pub id: i64,
    pub url: String,
    pub provider: String,
    pub style: EmbedStyle,
    pub title: String,
    pub author_name: String,
    pub author_url: String,
    /// The player's address (checked against the provider's frame origins), for
    /// framed embeds.
    pub frame_src: Option<String>,
    pub width: u32,
    pub height: u32,
    /// A card's text: sanitised HTML without any tag.
    pub card_text: String,
    /// A card's date, as the platform wrote it.
    pub card_date: String,
    /// The thumbnail, copied into the media library.
    pub thumbnail: Option<ImageRef>,
    /// The thumbnail's media item, and the address it was copied from (a new
    /// answer naming the same address reuses it).
    pub thumbnail_media: Option<crate::MediaId>,
    pub thumbnail_src: Option<String>,
    pub fetched_at: DateTime<Utc>,
    /// Why the last fetch failed (the embed then shows what was stored before, or a
    /// plain link).
    pub error: Option<String>,
}

impl Embed {
    /// Width over height of the player, 16:9 when unknown.
    pub fn aspect(&self) -> (u32, u32) {
        if self.width > 0 && self.height > 0 {
            (self.width, self.height)
        } else {
            (16, 9)
        }
    }

    /// A CSS class for the player's ratio (no inline style under the CSP).
    pub fn ratio_class(&self) -> &'static str {
        let (w, h) = self.aspect();
        let ratio = f64::from(w) / f64::from(h);
        if ratio > 1.6 {
            "embed--16x9"
        } else if ratio > 1.2 {
            "embed--4x3"
        } else if ratio > 0.8 {
            "embed--1x1"
        } else {
            "embed--9x16"
        }
    }
}

/// An embed to store (insert, or replace what was stored for the URL).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct NewEmbed {
    pub url: String,
    pub provider: String,
    pub style: EmbedStyle,
    pub title: String,
    pub author_name: String,
    pub author_url: String,
    pub frame_src: Option<String>,
    pub width: u32,
    pub height: u32,
    pub card_text: String,
    pub card_date: String,
    pub thumbnail: Option<crate::MediaId>,
    pub thumbnail_src: Option<String>,
    pub error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_runs_of_characters() {
        assert!(glob_match("https://youtu.be/*", "https://youtu.be/abc"));
        assert!(glob_match(
            "https://x.com/*/status/*",
            "https://x.com/elysee/status/123"
        ));
        assert!(!glob_match(
            "https://x.com/*/status/*",
            "https://x.com/elysee/likes"
        ));
        assert!(!glob_match(
            "https://youtu.be/*",
            "https://youtu.be.evil.org/x"
        ));
        assert!(!glob_match("https://a.org/*", "https://b.org/a.org/x"));
        assert!(glob_match("exact", "exact"));
        assert!(!glob_match("exact", "exactly"));
        assert!(!glob_match("a*b*c", "ac"));
        assert!(glob_match("a*b*c", "a--b--c"));
    }

    #[test]
    fn providers_are_found_by_their_patterns() {
        let providers = Providers::new(
            vec![Provider::new(
                "Notre player",
                &["https://video.example.org/watch/*"],
                "https://video.example.org/oembed",
                EmbedStyle::Frame,
            )],
            &["mastodon.social".into(), "evil/../x".into()],
        );
        let name = |url: &str| providers.find(url).map(|p| p.name.as_str());
        assert_eq!(name("https://youtu.be/dQw4w9WgXcQ"), Some("YouTube"));
        assert_eq!(
            name("https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
            Some("YouTube")
        );
        assert_eq!(name("https://x.com/franceinfo/status/1"), Some("X"));
        assert_eq!(
            name("https://video.example.org/watch/42"),
            Some("Notre player")
        );
        assert_eq!(
            name("https://mastodon.social/@franceinfo/1134"),
            Some("Mastodon · mastodon.social")
        );
        // Another server is not asked: it was not named by the operator.
        assert_eq!(name("https://piaille.fr/@someone/1134"), None);
        assert_eq!(name("https://example.org/article"), None);
        let frames = providers.frame_sources();
        assert!(frames.contains(&"https://www.youtube-nocookie.com".to_owned()));
        assert!(frames.contains(&"https://mastodon.social".to_owned()));
        assert!(!frames.iter().any(|f| f.contains("twitter")));
    }

    #[test]
    fn frames_and_images_stay_on_the_providers_origins() {
        let youtube = &builtin()[0];
        assert!(youtube.allows_frame("https://www.youtube-nocookie.com/embed/x"));
        assert!(!youtube.allows_frame("https://www.youtube-nocookie.com.evil.org/embed/x"));
        assert!(!youtube.allows_frame("https://evil.org@www.youtube.com/embed/x"));
        assert!(!youtube.allows_frame("javascript:alert(1)"));
        assert!(!youtube.allows_frame("http://www.youtube.com/embed/x"));
        assert!(youtube.allows_image("https://i.ytimg.com/vi/x/hqdefault.jpg"));
        assert!(!youtube.allows_image("http://127.0.0.1/secret"));
        assert_eq!(
            origin_of("HTTPS://WWW.Example.org:8443/x?y"),
            Some("https://www.example.org:8443".into())
        );
    }

    #[test]
    fn bare_urls_are_lines_of_their_own() {
        let body = "Intro with https://youtu.be/inline in a sentence.\n\nhttps://youtu.be/one\n\n<https://x.com/a/status/2>\n\n```\nhttps://youtu.be/code\n```\n\n    https://youtu.be/indented\n\nhttps://youtu.be/one\n";
        assert_eq!(
            bare_urls(body),
            ["https://youtu.be/one", "https://x.com/a/status/2"]
        );
    }

    #[test]
    fn players_and_cards_are_read_from_snippets() {
        assert_eq!(
            iframe_src(
                r#"<iframe width="560" data-src="https://evil.org/" src="https://www.youtube.com/embed/abc?feature=oembed&amp;x=1" frameborder="0"></iframe>"#
            ),
            Some("https://www.youtube.com/embed/abc?feature=oembed&x=1".into())
        );
        assert_eq!(
            iframe_src(r#"<iframe src="javascript:alert(1)"></iframe>"#),
            None
        );
        assert_eq!(iframe_src("<div>no player</div>"), None);
        let (text, date) = card_parts(
            r#"<blockquote class="twitter-tweet"><p lang="fr" dir="ltr">Le Conseil des ministres <b>se réunit</b> à 10 h. <a href="https://t.co/x">pic.twitter.com/x</a></p>&mdash; Élysée (@Elysee) <a href="https://twitter.com/Elysee/status/1">3 décembre 2026</a></blockquote><script async src="https://platform.twitter.com/widgets.js"></script>"#,
        );
        assert_eq!(
            text,
            "Le Conseil des ministres se réunit à 10 h. pic.twitter.com/x"
        );
        assert_eq!(date, "3 décembre 2026");
        let (text, _) = card_parts("<script>alert(1)</script>Plain &lt;text&gt;");
        assert_eq!(text, "Plain &lt;text&gt;");
    }
}
