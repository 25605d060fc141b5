//! The article page, the heart of the product. In order: age banner, breadcrumb,
//! kicker and headline, standfirst, byline and publisher, dates, reading time, lead
//! image, body, tags, comments area; plus canonical link, Open Graph and JSON-LD.

use crate::error::AppError;
use crate::pages::{cached_html, moved_permanently};
use crate::state::AppState;
use crate::views::{Layout, Link, Meta, Picture, When, iso};
use axum::response::Response;
use kiosque_domain::age::AgeBanner;
use kiosque_domain::article::{Article, ArticleStatus};
use kiosque_domain::byline::{AND, join_credits, join_naturally};
use kiosque_domain::live::LivePage;
use kiosque_domain::people::ContributorKind;
use kiosque_domain::url::{contributor_path, section_path, tag_path};
use kiosque_domain::{ArticleId, ArticleKind, Locale, SectionTree, SiteSettings};
use serde::Serialize;
use serde_json::json;

/// "À lire aussi": this many articles, from the last year.
const RELATED_SIZE: u32 = 4;
const RELATED_DAYS: i64 = 365;

#[derive(Serialize)]
struct ArticlePage {
    layout: Layout,
    ui_lang: &'static str,
    /// The article's own language, for `lang` and for its strings.
    lang: &'static str,
    content_lang: String,
    age_banner: Option<String>,
    breadcrumb: Vec<Link>,
    kicker: Option<String>,
    headline: String,
    standfirst: String,
    byline: Option<Byline>,
    publisher: String,
    published: When,
    updated: Option<When>,
    reading_minutes: u32,
    lead: Option<Lead>,
    body_html: String,
    tags: Vec<Link>,
    /// The thread's own page; script loads it in place (`?fragment=1`).
    comments_href: String,
    comments_js: String,
    /// The script that turns embed placeholders into players, when the body has one.
    embeds_js: Option<String>,
    /// The script that makes galleries carousels, when the body has one.
    gallery_js: Option<String>,
    corrections: Vec<CorrectionView>,
    /// "À lire aussi".
    related: Vec<crate::views::Card>,
    /// The same article in other languages.
    translations: Vec<Translation>,
    /// Share links: plain links to each network's share page, no script.
    share: Vec<Link>,
    share_url: String,
    /// Live coverage: the stream and its state.
    live: Option<crate::pages::live::LiveView>,
    /// The sign-up block of the site's first newsletter (by name), if there is one.
    signup: Option<SignupBlock>,
    /// The article's path, where a sign-up came from.
    path: String,
}

#[derive(Serialize)]
struct SignupBlock {
    slug: String,
    name: String,
    description: String,
}

#[derive(Serialize)]
struct Translation {
    lang: String,
    /// The language's own name ("English", "Français").
    language: String,
    href: String,
    headline: String,
}

/// A language's name in that language, for "read in …" links.
fn language_name(tag: &str) -> String {
    let primary = tag
        .split(['-', '_'])
        .next()
        .unwrap_or(tag)
        .to_ascii_lowercase();
    match primary.as_str() {
        "fr" => "Français".into(),
        "en" => "English".into(),
        "de" => "Deutsch".into(),
        "es" => "Español".into(),
        "it" => "Italiano".into(),
        "pt" => "Português".into(),
        "nl" => "Nederlands".into(),
        "ar" => "العربية".into(),
        _ => tag.to_owned(),
    }
}

#[derive(Serialize)]
struct CorrectionView {
    date: When,
    note: String,
}

#[derive(Serialize)]
struct Byline {
    people: Vec<BylineName>,
    agencies: String,
}

#[derive(Serialize)]
struct BylineName {
    separator: String,
    name: String,
    href: String,
}

#[derive(Serialize)]
struct Lead {
    picture: Picture,
    /// The same widths in WebP, for browsers that take it.
    webp_srcset: String,
    sizes: &'static str,
    caption: String,
    credit: String,
}

/// Lead pictures at least this wide may be shown large in search and Discover.
const LARGE_PREVIEW_WIDTH: u32 = 1200;

/// Serves an article by id; `path` is the path as requested, redirected when it is not
/// the canonical one.
pub async fn show_article(
    state: &AppState,
    path: &str,
    query: Option<&str>,
    id: ArticleId,
) -> Result<Response, AppError> {
    let article = state.stores.articles.article(id).await?;
    let now = state.now();
    if article.status == ArticleStatus::Unpublished {
        return Err(AppError::Gone);
    }
    if !article.is_public_at(now) {
        // Drafts and scheduled articles do not exist for readers yet.
        return Err(AppError::NotFound);
    }
    let canonical = article.canonical_path();
    if path != canonical {
        return Ok(moved_permanently(&canonical));
    }
    let page = match article.kind {
        ArticleKind::Live => {
            crate::pages::live::requested_page(&article, query).ok_or(AppError::NotFound)?
        }
        ArticleKind::Standard => LivePage::Latest,
    };
    Ok(crate::pages::with_keys(
        cached_html(render_article_page(state, &article, false, page).await?, 60),
        [kiosque_domain::surrogate::article(article.id)],
    ))
}

/// The public page of an article, whatever its status. A preview (`/preview/{token}`)
/// is the same page, marked not to be indexed.
pub async fn render_article_page(
    state: &AppState,
    article: &Article,
    preview: bool,
    live_page: LivePage,
) -> Result<String, AppError> {
    let tree = state.section_tree().await?;
    let mut page = article_page(state, &tree, article, state.now());
    let site = state.site();
    if article.kind == ArticleKind::Live {
        let locale = Locale::from_tag(&article.language).unwrap_or(site.locale);
        let view = crate::pages::live::live_view(state, article, live_page, locale).await?;
        if let Some(ld) = page.layout.json_ld.as_mut() {
            crate::pages::live::json_ld(&site, article, &view, ld);
        }
        if live_page != LivePage::Latest {
            page.layout.robots = Some("noindex, follow");
        }
        page.live = Some(view);
    }
    // Previews show the list as it is now; public pages may reuse it for a minute.
    let cached = if preview {
        None
    } else {
        state.caches.related.get(article.id)
    };
    let links = match cached {
        Some(links) => links,
        None => {
            let articles = &state.stores.articles;
            let related = articles
                .related_articles(
                    article,
                    state.now(),
                    state.now() - chrono::Duration::days(RELATED_DAYS),
                    RELATED_SIZE,
                )
                .await?;
            let translations = articles.translations(article, state.now()).await?;
            let links = std::sync::Arc::new(crate::state::ArticleLinks {
                related,
                translations,
            });
            if !preview {
                state.caches.related.put(article.id, links.clone());
            }
            links
        }
    };
    page.related = links
        .related
        .iter()
        .map(|s| crate::views::Card::new(&site, s))
        .collect();
    // Read with the section tree (which the layout above read): no query here.
    page.signup = state
        .caches
        .footer
        .get()
        .and_then(|f| f.newsletter.clone())
        .map(|n| SignupBlock {
            slug: n.slug,
            name: n.name,
            description: n.description,
        });
    if crate::players::has_players(&page.body_html) {
        let locale = Locale::from_tag(&article.language).unwrap_or(site.locale);
        let about = crate::players::About {
            name: &article.headline,
            description: &article.standfirst,
            locale,
        };
        let (html, objects) = crate::players::render(state, &page.body_html, &about).await?;
        page.body_html = html;
        if !objects.is_empty()
            && let Some(ld) = page.layout.json_ld.as_mut()
        {
            ld["associatedMedia"] = serde_json::Value::Array(objects);
        }
    }
    if crate::pictures::has_pictures(&page.body_html) {
        let locale = Locale::from_tag(&article.language).unwrap_or(site.locale);
        let enriched = crate::pictures::enrich(state, &page.body_html, locale).await?;
        page.body_html = enriched.html;
        if !enriched.galleries.is_empty() {
            page.gallery_js = Some(crate::assets::gallery_js_href());
            if let Some(ld) = page.layout.json_ld.as_mut() {
                ld["hasPart"] = serde_json::Value::Array(enriched.galleries);
            }
        }
    }
    if crate::embeds::may_embed(&article.body_markdown) {
        let embeds = kiosque_app::embeds::of_article(state, article.id).await?;
        let locale = Locale::from_tag(&article.language).unwrap_or(site.locale);
        let (html, frames) = crate::embeds::embed_body(
            state,
            &page.body_html,
            &embeds,
            locale,
            crate::embeds::Context::Page,
        );
        page.body_html = html;
        page.embeds_js = frames.then(crate::assets::embeds_js_href);
    }
    page.path = article.canonical_path();
    if !links.translations.is_empty() {
        // hreflang: every version names all of them, itself included.
        let mut alternates = vec![Link {
            name: article.language.clone(),
            href: site.absolute(&article.canonical_path()),
            current: true,
        }];
        alternates.extend(links.translations.iter().map(|t| Link {
            name: t.language.clone(),
            href: site.absolute(&t.canonical_path()),
            current: false,
        }));
        page.translations = links
            .translations
            .iter()
            .map(|t| Translation {
                lang: t.language.clone(),
                language: language_name(&t.language),
                href: t.canonical_path(),
                headline: t.headline.clone(),
            })
            .collect();
        page.layout.alternates = alternates;
    }
    if preview {
        page.layout.robots = Some("noindex, nofollow");
    } else if page.layout.robots.is_none()
        && article
            .lead_image
            .as_ref()
            .is_some_and(|l| l.media.width >= LARGE_PREVIEW_WIDTH)
    {
        // Google Discover shows large pictures only where the page allows it.
        page.layout.robots = Some("max-image-preview:large");
    }
    Ok(state.templates.render("article.html", page)?)
}

fn article_page(
    state: &AppState,
    tree: &SectionTree,
    article: &Article,
    now: chrono::DateTime<chrono::Utc>,
) -> ArticlePage {
    let site = &state.site();
    let c = &state.catalogs;
    let locale = Locale::from_tag(&article.language).unwrap_or(site.locale);
    // `is_public_at` guarantees a publication time.
    let published_at = article.published_at.unwrap_or(article.created_at);

    let age_banner = AgeBanner::compute(published_at, now, site.age_banner_days).map(|banner| {
        c.message(
            locale,
            "age-banner",
            &[
                ("years", banner.years.into()),
                ("words", banner.years_in_words(locale).into()),
            ],
        )
    });

    let trail = tree.trail(&article.section);
    let mut breadcrumb = vec![Link {
        name: c.text(site.locale, "nav-home"),
        href: "/".into(),
        current: false,
    }];
    breadcrumb.extend(trail.iter().map(|s| Link {
        name: s.name.clone(),
        href: section_path(&s.path),
        current: false,
    }));

    let and = format!(" {} ", c.text(locale, "list-and"));
    let people: Vec<BylineName> = join_naturally(&article.contributors)
        .into_iter()
        .map(|j| BylineName {
            separator: if j.separator == AND {
                and.clone()
            } else {
                j.separator.to_owned()
            },
            name: j.item.name.clone(),
            href: contributor_path(j.item.slug.as_str()),
        })
        .collect();
    let agencies = join_credits(article.agencies.iter().map(|a| a.name.as_str()));
    let byline =
        (!people.is_empty() || !agencies.is_empty()).then_some(Byline { people, agencies });

    let lead = article.lead_image.as_ref().map(|lead| {
        let media = &lead.media;
        let srcset_of = |mime: &str| -> Vec<String> {
            media
                .renditions_of(mime)
                .map(|r| {
                    format!(
                        "{} {}w",
                        kiosque_domain::url::media_path(&r.storage_key),
                        r.width
                    )
                })
                .collect()
        };
        let webp_srcset = srcset_of(kiosque_domain::media::WEBP);
        let mut srcset = srcset_of(&media.jpeg_family());
        srcset.push(format!("{} {}w", media.url(), media.width));
        let display = media.best_for_width(960);
        Lead {
            webp_srcset: webp_srcset.join(", "),
            picture: Picture {
                src: display.url,
                srcset: srcset.join(", "),
                width: media.width,
                height: media.height,
                alt: if lead.alt.is_empty() {
                    media.alt.clone()
                } else {
                    lead.alt.clone()
                },
            },
            sizes: "(min-width: 60rem) 46rem, 100vw",
            caption: lead.caption.clone(),
            credit: if lead.credit.is_empty() {
                media.credit.clone()
            } else {
                lead.credit.clone()
            },
        }
    });

    let title = format!(
        "{} | {}",
        article.seo_title.as_deref().unwrap_or(&article.headline),
        site.name
    );
    let description = article
        .seo_description
        .clone()
        .unwrap_or_else(|| article.standfirst.clone());
    let canonical = article.canonical_path();
    let mut layout = Layout::new(state, tree, title, trail.first().map(|s| s.path.as_str()))
        .canonical(site, &canonical);
    layout.description = description.clone();
    layout.meta = open_graph(site, article, &description, published_at);
    layout.json_ld = Some(json_ld(site, article, &description, published_at));
    layout.breadcrumb_ld = Some(crate::views::breadcrumb_json_ld(site, &breadcrumb));

    ArticlePage {
        ui_lang: layout.ui_lang,
        layout,
        lang: locale.code(),
        content_lang: article.language.clone(),
        age_banner,
        breadcrumb,
        kicker: article.kicker.clone(),
        headline: article.headline.clone(),
        standfirst: article.standfirst.clone(),
        byline,
        publisher: site.publisher.clone(),
        published: When::new(site, published_at, locale),
        updated: article.visible_update().map(|u| When::new(site, u, locale)),
        reading_minutes: article.reading_minutes(),
        lead,
        body_html: article.body_html.clone(),
        tags: article
            .tags
            .iter()
            .map(|t| Link {
                name: t.name.clone(),
                href: tag_path(t.slug.as_str()),
                current: false,
            })
            .collect(),
        comments_href: crate::pages::comments::thread_path(article.id),
        comments_js: crate::assets::comments_js_href(),
        embeds_js: None,
        gallery_js: None,
        corrections: article
            .corrections
            .iter()
            .map(|c| CorrectionView {
                date: When::new(site, c.created_at, locale),
                note: c.note.clone(),
            })
            .collect(),
        related: Vec::new(),
        signup: None,
        path: String::new(),
        translations: Vec::new(),
        share: share_links(&site.absolute(&canonical), &article.headline),
        share_url: site.absolute(&canonical),
        live: None,
    }
}

/// Links to share an article: each network's own share page, with the URL (and the
/// headline where the network takes one). `href`s only: no third-party script runs.
fn share_links(url: &str, headline: &str) -> Vec<Link> {
    use crate::pages::search::urlencoding as enc;
    let (u, h) = (enc(url), enc(headline));
    [
        ("X", format!("https://x.com/intent/post?url={u}&text={h}")),
        (
            "Facebook",
            format!("https://www.facebook.com/sharer/sharer.php?u={u}"),
        ),
        (
            "LinkedIn",
            format!("https://www.linkedin.com/sharing/share-offsite/?url={u}"),
        ),
        ("WhatsApp", format!("https://wa.me/?text={h}%20{u}")),
        ("e-mail", format!("mailto:?subject={h}&body={u}")),
    ]
    .into_iter()
    .map(|(name, href)| Link {
        name: name.into(),
        href,
        current: false,
    })
    .collect()
}

fn open_graph(
    site: &SiteSettings,
    article: &Article,
    description: &str,
    published_at: chrono::DateTime<chrono::Utc>,
) -> Vec<Meta> {
    let mut meta = vec![
        Meta::property("og:type", "article"),
        Meta::property("og:title", article.headline.clone()),
        Meta::property("og:description", description),
        Meta::property("og:url", site.absolute(&article.canonical_path())),
        Meta::property("og:site_name", site.name.clone()),
        Meta::property(
            "og:locale",
            Locale::from_tag(&article.language)
                .unwrap_or(site.locale)
                .og_locale(),
        ),
    ];
    if let Some(lead) = &article.lead_image {
        meta.push(Meta::property("og:image", site.absolute(&lead.media.url())));
        meta.push(Meta::property("og:image:type", lead.media.mime.clone()));
        meta.push(Meta::property(
            "og:image:width",
            lead.media.width.to_string(),
        ));
        meta.push(Meta::property(
            "og:image:height",
            lead.media.height.to_string(),
        ));
        meta.push(Meta::property("og:image:alt", lead.alt.clone()));
    }
    meta.push(Meta::property(
        "article:published_time",
        iso(site, published_at),
    ));
    if let Some(updated) = article.visible_update() {
        meta.push(Meta::property("article:modified_time", iso(site, updated)));
    }
    meta.push(Meta::property(
        "article:section",
        article.section.name.clone(),
    ));
    for c in article
        .contributors
        .iter()
        .filter(|c| c.kind == ContributorKind::Person)
    {
        meta.push(Meta::property(
            "article:author",
            site.absolute(&contributor_path(c.slug.as_str())),
        ));
    }
    for tag in &article.tags {
        meta.push(Meta::property("article:tag", tag.name.clone()));
    }
    meta.push(Meta::name(
        "twitter:card",
        if article.lead_image.is_some() {
            "summary_large_image"
        } else {
            "summary"
        },
    ));
    meta
}

/// schema.org `NewsArticle`, per Google's guidance: one author object per contributor
/// (a `Person` for people, an `Organization` for desks), dates with offsets.
fn json_ld(
    site: &SiteSettings,
    article: &Article,
    description: &str,
    published_at: chrono::DateTime<chrono::Utc>,
) -> serde_json::Value {
    let authors: Vec<serde_json::Value> = if article.contributors.is_empty() {
        article
            .agencies
            .iter()
            .map(|a| json!({"@type": "Organization", "name": a.name}))
            .collect()
    } else {
        article
            .contributors
            .iter()
            .map(|c| {
                let kind = match c.kind {
                    ContributorKind::Person => "Person",
                    ContributorKind::Desk => "Organization",
                };
                json!({"@type": kind, "name": c.name, "url": site.absolute(&contributor_path(c.slug.as_str()))})
            })
            .collect()
    };
    let canonical = site.absolute(&article.canonical_path());
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "url": canonical,
        "headline": article.headline,
        "description": description,
        "datePublished": iso(site, published_at),
        "dateModified": iso(site, article.visible_update().unwrap_or(published_at)),
        "author": authors,
        "publisher": {"@type": "Organization", "name": site.publisher, "url": site.absolute("/")},
        "articleSection": article.section.name,
        "inLanguage": article.language,
        "wordCount": article.word_count,
        "isAccessibleForFree": true,
    });
    if let Some(lead) = &article.lead_image {
        ld["image"] = json!([{
            "@type": "ImageObject",
            "url": site.absolute(&lead.media.url()),
            "width": lead.media.width,
            "height": lead.media.height,
            "caption": lead.caption,
            "creditText": if lead.credit.is_empty() { &lead.media.credit } else { &lead.credit },
            "copyrightNotice": lead.media.copyright,
        }]);
    }
    if !article.corrections.is_empty() {
        ld["correction"] = json!(article
            .corrections
            .iter()
            .map(|c| json!({"@type": "CorrectionComment", "text": c.note, "datePublished": iso(site, c.created_at)}))
            .collect::<Vec<_>>());
    }
    if !article.tags.is_empty() {
        ld["keywords"] = json!(
            article
                .tags
                .iter()
                .map(|t| t.name.as_str())
                .collect::<Vec<_>>()
        );
    }
    ld
}
