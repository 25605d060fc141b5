//! The demo site: sections, contributors and articles written for Kiosque (in
//! `crates/kiosque/demo/`), with pictures drawn by [`pictures`]. Loading is idempotent:
//! each article is recorded in the site meta once created, so a restart, a second
//! `--demo` or an interrupted load never duplicates anything.

mod pictures;

pub mod generate;
use anyhow::{Context, bail};
use chrono::{DateTime, Duration, Utc};
use kiosque_domain::article::{ArticleStatus, NewArticle, NewLeadImage};
use kiosque_domain::front::{FrontKey, FrontSlot};
use kiosque_domain::media::BlobStore;
use kiosque_domain::people::{ContributorKind, NewContributor};
use kiosque_domain::section::NewSection;
use kiosque_domain::{Slug, StoreError, Stores};
use kiosque_media::{ImageMeta, MediaLibrary};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;

/// The legal notice and the moderation charter, linked from the footer (and the
/// charter from the comment form); once, also on a demo loaded by an older version.
async fn load_pages(stores: &Stores) -> anyhow::Result<()> {
    if stores.meta.meta(PAGES_KEY).await?.is_some() {
        return Ok(());
    }
    let now = kiosque_domain::clock::Clock::System.now();
    for (path, title, description, body, position) in PAGES {
        if stores.pages.page_by_path(path).await?.is_some() {
            continue;
        }
        stores
            .pages
            .create_page(
                &kiosque_domain::page::NewPage {
                    path: (*path).into(),
                    title: (*title).into(),
                    description: Some((*description).into()),
                    body_markdown: (*body).into(),
                    status: kiosque_domain::page::PageStatus::Published,
                    in_footer: true,
                    footer_position: *position,
                },
                None,
                now,
            )
            .await?;
    }
    stores.meta.set_meta(PAGES_KEY, "1").await?;
    Ok(())
}

/// Site-meta key marking a complete demo load.
const LOADED_KEY: &str = "demo.loaded";

/// Site-meta key marking the demo's static pages as created.
const PAGES_KEY: &str = "demo.pages";
/// The demo's static pages: (address, title, description, Markdown, footer position).
const PAGES: &[(&str, &str, &str, &str, i64)] = &[
    (
        "mentions-legales",
        "Mentions légales",
        "Éditeur, direction de la publication, hébergement et droits du site Kiosque Info.",
        include_str!("../../demo/pages/mentions-legales.md"),
        1,
    ),
    (
        "charte-de-moderation",
        "Charte de modération",
        "Les règles que la rédaction applique aux commentaires des lecteurs.",
        include_str!("../../demo/pages/charte-de-moderation.md"),
        2,
    ),
];

const SECTIONS: &str = include_str!("../../demo/sections.toml");
const CONTRIBUTORS: &str = include_str!("../../demo/contributors.toml");
/// The demo's home front, lead story first.
const HOME_FRONT: [&str; 3] = [
    "05-climat-geneve.md",
    "10-inflation-zone-euro.md",
    "18-sonde-aurore.md",
];

pub const ARTICLES: &[(&str, &str)] = &[
    (
        "01-sommet-europeen-reporte.md",
        include_str!("../../demo/articles/01-sommet-europeen-reporte.md"),
    ),
    (
        "02-reseaux-electriques.md",
        include_str!("../../demo/articles/02-reseaux-electriques.md"),
    ),
    (
        "03-greve-allemagne.md",
        include_str!("../../demo/articles/03-greve-allemagne.md"),
    ),
    (
        "04-seisme-perou.md",
        include_str!("../../demo/articles/04-seisme-perou.md"),
    ),
    (
        "05-climat-geneve.md",
        include_str!("../../demo/articles/05-climat-geneve.md"),
    ),
    (
        "06-senegal-peche.md",
        include_str!("../../demo/articles/06-senegal-peche.md"),
    ),
    (
        "07-vote-procuration.md",
        include_str!("../../demo/articles/07-vote-procuration.md"),
    ),
    (
        "08-listes-citoyennes.md",
        include_str!("../../demo/articles/08-listes-citoyennes.md"),
    ),
    (
        "09-lanceurs-alerte.md",
        include_str!("../../demo/articles/09-lanceurs-alerte.md"),
    ),
    (
        "10-inflation-zone-euro.md",
        include_str!("../../demo/articles/10-inflation-zone-euro.md"),
    ),
    (
        "11-boulangers-energie.md",
        include_str!("../../demo/articles/11-boulangers-energie.md"),
    ),
    (
        "12-en-small-electric-cars.md",
        include_str!("../../demo/articles/12-en-small-electric-cars.md"),
    ),
    (
        "13-musee-lorvennes.md",
        include_str!("../../demo/articles/13-musee-lorvennes.md"),
    ),
    (
        "14-les-heures-claires.md",
        include_str!("../../demo/articles/14-les-heures-claires.md"),
    ),
    (
        "15-doublage-ia.md",
        include_str!("../../demo/articles/15-doublage-ia.md"),
    ),
    (
        "16-glaciers-alpes.md",
        include_str!("../../demo/articles/16-glaciers-alpes.md"),
    ),
    (
        "17-faille-assistant-medical.md",
        include_str!("../../demo/articles/17-faille-assistant-medical.md"),
    ),
    (
        "18-sonde-aurore.md",
        include_str!("../../demo/articles/18-sonde-aurore.md"),
    ),
    (
        "19-en-small-ai-models.md",
        include_str!("../../demo/articles/19-en-small-ai-models.md"),
    ),
    (
        "20-en-wildfires.md",
        include_str!("../../demo/articles/20-en-wildfires.md"),
    ),
    (
        "21-coupe-de-france-lorvennes.md",
        include_str!("../../demo/articles/21-coupe-de-france-lorvennes.md"),
    ),
    (
        "22-cyclisme-colomb.md",
        include_str!("../../demo/articles/22-cyclisme-colomb.md"),
    ),
    (
        "23-mercato-clubs-vendeurs.md",
        include_str!("../../demo/articles/23-mercato-clubs-vendeurs.md"),
    ),
];

#[derive(Debug, Deserialize)]
struct SectionsFile {
    section: Vec<SectionEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionEntry {
    path: String,
    parent: Option<String>,
    name: String,
    description: String,
}

#[derive(Debug, Deserialize)]
struct ContributorsFile {
    contributor: Vec<ContributorEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ContributorEntry {
    name: String,
    kind: String,
    slug: String,
    #[serde(default)]
    bio: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    section: String,
    headline: String,
    kicker: Option<String>,
    standfirst: String,
    language: String,
    #[serde(default)]
    contributors: Vec<String>,
    #[serde(default)]
    agencies: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
    published: Option<String>,
    published_hours_ago: Option<i64>,
    updated: Option<String>,
    updated_hours_ago: Option<i64>,
    #[serde(default = "yes")]
    comments_open: bool,
    image: Option<ImageEntry>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImageEntry {
    seed: u64,
    alt: String,
    caption: String,
    credit: String,
}

/// One demo article file: TOML front matter between `+++` lines, then Markdown.
struct DemoArticle {
    front: FrontMatter,
    body: String,
}

fn parse_article(name: &str, text: &str) -> anyhow::Result<DemoArticle> {
    let rest = text
        .strip_prefix("+++\n")
        .with_context(|| format!("{name}: missing front matter"))?;
    let (front, body) = rest
        .split_once("\n+++\n")
        .with_context(|| format!("{name}: unterminated front matter"))?;
    let front: FrontMatter =
        toml::from_str(front).with_context(|| format!("{name}: invalid front matter"))?;
    Ok(DemoArticle {
        front,
        body: body.trim().to_owned(),
    })
}

fn when(
    name: &str,
    absolute: Option<&str>,
    hours_ago: Option<i64>,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<DateTime<Utc>>> {
    match (absolute, hours_ago) {
        (Some(_), Some(_)) => bail!("{name}: give an absolute date or hours ago, not both"),
        (Some(text), None) => Ok(Some(
            DateTime::parse_from_rfc3339(text)
                .with_context(|| format!("{name}: invalid date {text:?}"))?
                .with_timezone(&Utc),
        )),
        (None, Some(hours)) => Ok(Some(now - Duration::hours(hours))),
        (None, None) => Ok(None),
    }
}

/// Loads whatever part of the demo is missing; returns the number of articles created.
pub async fn load(stores: &Stores, blobs: Arc<dyn BlobStore>) -> anyhow::Result<usize> {
    load_pages(stores).await?;
    let created = load_articles(stores, blobs).await?;
    if stores.meta.meta(LIVE_KEY).await?.is_none() {
        load_live(stores).await?;
    }
    if stores.meta.meta(NEWSLETTER_KEY).await?.is_none() {
        load_newsletter(stores).await?;
    }
    Ok(created)
}

/// Site-meta key marking the demo's newsletter as created.
const NEWSLETTER_KEY: &str = "demo.newsletter";

/// The demo's morning newsletter (no subscriber: readers sign up themselves); once,
/// also on an older demo.
async fn load_newsletter(stores: &Stores) -> anyhow::Result<()> {
    let new = kiosque_domain::newsletter::NewNewsletter {
        name: "Le Matin de Kiosque".into(),
        slug: "le-matin".into(),
        description: "L'essentiel de l'actualité chaque matin avant 7 heures : les titres du jour, l'analyse de la rédaction et le direct à suivre.".into(),
        sender_name: "Le Matin de Kiosque Info".into(),
        send_time: Some("06:45".into()),
    }
    .cleaned()?;
    match stores
        .newsletters
        .create_newsletter(&new, kiosque_domain::clock::Clock::System.now())
        .await
    {
        Ok(_) | Err(kiosque_domain::StoreError::Duplicate(_)) => {}
        Err(e) => return Err(e.into()),
    }
    stores.meta.set_meta(NEWSLETTER_KEY, "1").await?;
    Ok(())
}

/// Site-meta key marking the demo's live coverage as created.
const LIVE_KEY: &str = "demo.live";

/// The demo's live coverage: a flood watch, open, with entries over the last hours
/// (key moments, a pinned point, an agency's copy); once, also on an older demo.
async fn load_live(stores: &Stores) -> anyhow::Result<()> {
    let now = kiosque_domain::clock::Clock::System.now();
    let Some(section) = stores
        .taxonomy
        .sections()
        .await?
        .into_iter()
        .find(|s| s.path == "sciences")
    else {
        return Ok(());
    };
    let mut new = NewArticle::draft(
        "DIRECT. Crue de la Loire : Lorvennes se prépare à la montée des eaux",
        section.id,
    );
    new.kind = kiosque_domain::ArticleKind::Live;
    new.kicker = Some("Intempéries".into());
    new.standfirst = "La préfecture d'Indre-et-Loire a placé le département en vigilance rouge crues. Le pic est attendu dans la nuit à Lorvennes.".into();
    new.body_markdown = "- **Vigilance rouge crues** en Indre-et-Loire jusqu'à demain midi\n- Le pic est attendu vers 3 heures à Lorvennes, à 5,80 m\n- Les quais et le quartier des Aubiers sont évacués par précaution\n- Les écoles de la commune resteront fermées demain".into();
    new.status = ArticleStatus::Published;
    new.published_at = Some(now - Duration::hours(5));
    new.updated_at = None;
    new.comments_open = false;
    let live = stores
        .articles
        .create_article(&new, now - Duration::hours(5))
        .await?;
    for (minutes_ago, title, body, key, pinned, credit) in LIVE_ENTRIES {
        let content = kiosque_domain::live::EntryContent {
            title: (!title.is_empty()).then(|| (*title).to_owned()),
            body_markdown: (*body).to_owned(),
            credit: (!credit.is_empty()).then(|| (*credit).to_owned()),
            key_event: *key,
            pinned: *pinned,
        };
        let html = kiosque_domain::body::render_body(body).html;
        stores
            .live
            .post_entry(
                live.id,
                &content,
                &html,
                None,
                "La rédaction",
                now - Duration::minutes(*minutes_ago),
            )
            .await?;
    }
    stores.meta.set_meta(LIVE_KEY, "1").await?;
    Ok(())
}

/// (minutes ago, title, Markdown, key moment, pinned, agency), oldest first.
const LIVE_ENTRIES: &[(i64, &str, &str, bool, bool, &str)] = &[
    (
        290,
        "",
        "Bonjour et bienvenue dans ce direct consacré à la crue de la Loire. La préfecture vient de relever la vigilance au **rouge** pour l'Indre-et-Loire.",
        true,
        false,
        "",
    ),
    (
        262,
        "",
        "À Tours, la Loire atteint 4,10 m à l'échelle du pont Wilson. Les services de l'État s'attendent à une montée « régulière et continue » jusqu'à la nuit.",
        false,
        false,
        "AFP",
    ),
    (
        231,
        "Les quais fermés",
        "La mairie de Lorvennes a fermé les quais à la circulation et demande aux riverains de monter leurs biens à l'étage.",
        false,
        false,
        "",
    ),
    (
        204,
        "",
        "« Nous avons connu 2016, nous savons ce qui nous attend », confie Martine, qui habite le quartier des Aubiers depuis trente ans. Ses meubles sont déjà sur des parpaings.",
        false,
        false,
        "",
    ),
    (
        180,
        "Évacuation des Aubiers",
        "Le préfet annonce l'évacuation préventive du quartier des Aubiers : environ 350 habitants. Un gymnase est ouvert pour les accueillir.",
        true,
        false,
        "",
    ),
    (
        151,
        "",
        "Les pompiers ont installé des batardeaux devant l'école Jean-Moulin. Une cinquantaine de sapeurs-pompiers sont mobilisés sur la commune.",
        false,
        false,
        "",
    ),
    (
        122,
        "",
        "La SNCF annonce l'interruption du trafic entre Tours et Saumur à partir de 20 heures, par précaution.",
        false,
        false,
        "AFP",
    ),
    (
        95,
        "Le point sur la situation",
        "**Ce que l'on sait à cette heure :** la Loire monte d'environ 8 cm par heure à Lorvennes ; le pic est attendu vers 3 heures à 5,80 m ; les écoles seront fermées demain. Un numéro d'information est ouvert en mairie.",
        false,
        true,
        "",
    ),
    (
        61,
        "",
        "Au gymnase des Aubiers, une centaine de personnes sont déjà arrivées. La Croix-Rouge distribue des repas chauds.",
        false,
        false,
        "",
    ),
    (
        34,
        "Le pont de Saint-Martin fermé",
        "Le pont de Saint-Martin, qui relie les deux rives de la commune, est fermé jusqu'à nouvel ordre. Déviation par l'autoroute.",
        true,
        false,
        "",
    ),
    (
        12,
        "",
        "La Loire est à 5,12 m à Lorvennes. Les autorités maintiennent leur prévision d'un pic à 5,80 m dans la nuit.",
        false,
        false,
        "",
    ),
];

async fn load_articles(stores: &Stores, blobs: Arc<dyn BlobStore>) -> anyhow::Result<usize> {
    if stores.meta.meta(LOADED_KEY).await?.is_some() {
        return Ok(0);
    }
    let library = MediaLibrary::new(blobs, stores.media.clone());
    let now = kiosque_domain::clock::Clock::System.now();

    let sections_file: SectionsFile = toml::from_str(SECTIONS).context("demo sections")?;
    let mut sections: HashMap<String, kiosque_domain::Section> = stores
        .taxonomy
        .sections()
        .await?
        .into_iter()
        .map(|s| (s.path.clone(), s))
        .collect();
    for (position, entry) in sections_file.section.iter().enumerate() {
        if sections.contains_key(&entry.path) {
            continue;
        }
        let parent = entry
            .parent
            .as_ref()
            .map(|p| {
                sections
                    .get(p)
                    .map(|s| s.id)
                    .with_context(|| format!("unknown parent section {p}"))
            })
            .transpose()?;
        let slug = entry.path.rsplit('/').next().unwrap_or(&entry.path);
        let new = NewSection {
            parent_id: parent,
            slug: Slug::parse(slug)?,
            name: entry.name.clone(),
            description: entry.description.clone(),
            position: position as i64,
        };
        let section = stores.taxonomy.create_section(&new).await?;
        sections.insert(section.path.clone(), section);
    }

    let contributors_file: ContributorsFile =
        toml::from_str(CONTRIBUTORS).context("demo contributors")?;
    let mut contributors = HashMap::new();
    for entry in &contributors_file.contributor {
        let contributor = match stores.people.contributor_by_slug(&entry.slug).await {
            Ok(c) => c,
            Err(StoreError::NotFound) => {
                let new = NewContributor {
                    kind: entry
                        .kind
                        .parse::<ContributorKind>()
                        .map_err(anyhow::Error::msg)?,
                    name: entry.name.clone(),
                    slug: Slug::parse(&entry.slug)?,
                    bio: entry.bio.clone(),
                };
                stores.people.create_contributor(&new).await?
            }
            Err(e) => return Err(e.into()),
        };
        contributors.insert(entry.name.clone(), contributor.id);
    }

    let mut created = 0;
    let mut loaded = HashMap::new();
    for (name, text) in ARTICLES {
        let done_key = format!("demo.article.{name}");
        if stores.meta.meta(&done_key).await?.is_some() {
            continue;
        }
        let article = parse_article(name, text)?;
        let front = &article.front;
        let section = sections
            .get(&front.section)
            .with_context(|| format!("{name}: unknown section {}", front.section))?;
        let published_at = when(
            name,
            front.published.as_deref(),
            front.published_hours_ago,
            now,
        )?
        .with_context(|| format!("{name}: no publication date"))?;
        let updated_at = when(name, front.updated.as_deref(), front.updated_hours_ago, now)?;

        let lead_image = match &front.image {
            Some(image) => {
                let media = add_picture(
                    &library,
                    image.seed,
                    &front.headline,
                    &image.alt,
                    &image.credit,
                )
                .await?;
                Some(NewLeadImage {
                    media_id: media.id,
                    alt: image.alt.clone(),
                    caption: image.caption.clone(),
                    credit: image.credit.clone(),
                })
            }
            None => None,
        };
        let body = replace_inline_pictures(&library, &article.body, &front.headline).await?;

        let mut new = NewArticle::draft(front.headline.clone(), section.id);
        new.status = ArticleStatus::Published;
        new.kicker = front.kicker.clone();
        new.standfirst = front.standfirst.clone();
        new.body_markdown = body;
        new.language = front.language.clone();
        new.tags = front.tags.clone();
        new.agencies = front.agencies.clone();
        new.contributors = front
            .contributors
            .iter()
            .map(|c| {
                contributors
                    .get(c)
                    .copied()
                    .with_context(|| format!("{name}: unknown contributor {c}"))
            })
            .collect::<anyhow::Result<_>>()?;
        new.lead_image = lead_image;
        new.comments_open = front.comments_open;
        new.published_at = Some(published_at);
        new.updated_at = updated_at;
        let article = stores
            .articles
            .create_article(&new, published_at.min(now))
            .await
            .with_context(|| format!("{name}: cannot create the article"))?;
        stores.meta.set_meta(&done_key, &now.to_rfc3339()).await?;
        loaded.insert(*name, article.id);
        created += 1;
    }
    // The home front as an editor would set it: a lead story and two picks.
    let picks: Vec<FrontSlot> = HOME_FRONT
        .iter()
        .filter_map(|name| loaded.get(name))
        .map(|id| FrontSlot {
            article: *id,
            until: None,
        })
        .collect();
    if picks.len() == HOME_FRONT.len() && stores.fronts.front(FrontKey::Home).await?.version == 0 {
        stores
            .fronts
            .save_front(FrontKey::Home, 0, &picks, now)
            .await
            .context("cannot set the demo's home front")?;
    }
    stores.meta.set_meta(LOADED_KEY, &now.to_rfc3339()).await?;
    Ok(created)
}

async fn add_picture(
    library: &MediaLibrary,
    seed: u64,
    name: &str,
    alt: &str,
    credit: &str,
) -> anyhow::Result<kiosque_domain::media::Media> {
    let bytes = tokio::task::spawn_blocking(move || pictures::jpeg(seed)).await??;
    let meta = ImageMeta {
        name: name.into(),
        alt: alt.into(),
        credit: credit.into(),
        copyright: format!("© {credit}"),
    };
    Ok(library.add_image(bytes, meta).await?)
}

/// Demo bodies reference drawn pictures as `![alt](demo:SEED "caption")`; each becomes a
/// stored image, referenced by its medium rendition.
async fn replace_inline_pictures(
    library: &MediaLibrary,
    body: &str,
    name: &str,
) -> anyhow::Result<String> {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find("](demo:") {
        let (before, after) = rest.split_at(start + 2);
        out.push_str(before);
        let digits: String = after["demo:".len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let seed: u64 = digits
            .parse()
            .with_context(|| format!("{name}: invalid demo picture reference"))?;
        let media = add_picture(library, seed, name, "", "").await?;
        out.push_str(&media.best_for_width(960).url);
        rest = &after["demo:".len() + digits.len()..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
#[expect(
    clippy::disallowed_methods,
    reason = "tests read the real clock and environment"
)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_file_is_listed_and_parses() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/articles");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        files.sort();
        let listed: Vec<String> = ARTICLES.iter().map(|(n, _)| (*n).to_owned()).collect();
        assert_eq!(listed, files);
        let sections: SectionsFile = toml::from_str(SECTIONS).unwrap();
        let contributors: ContributorsFile = toml::from_str(CONTRIBUTORS).unwrap();
        for (name, text) in ARTICLES {
            let a = parse_article(name, text).unwrap();
            assert!(
                sections.section.iter().any(|s| s.path == a.front.section),
                "{name}"
            );
            for c in &a.front.contributors {
                assert!(
                    contributors.contributor.iter().any(|k| &k.name == c),
                    "{name}: {c}"
                );
            }
        }
    }

    #[test]
    fn the_demo_covers_what_the_site_must_show() {
        let articles: Vec<_> = ARTICLES
            .iter()
            .map(|(n, t)| parse_article(n, t).unwrap())
            .collect();
        let french = articles.iter().filter(|a| a.front.language == "fr").count();
        let english = articles.iter().filter(|a| a.front.language == "en").count();
        assert!(french >= 15 && english >= 2, "{french} fr, {english} en");
        let now = Utc::now();
        let six_years_old = articles.iter().any(|a| {
            when(
                "",
                a.front.published.as_deref(),
                a.front.published_hours_ago,
                now,
            )
            .unwrap()
            .is_some_and(|p| now - p > Duration::days(6 * 365))
        });
        assert!(six_years_old);
        assert!(articles.iter().filter(|a| a.front.image.is_some()).count() >= 10);
        assert!(
            articles
                .iter()
                .any(|a| a.front.updated.is_some() || a.front.updated_hours_ago.is_some())
        );
        assert!(articles.iter().any(|a| a.front.section.contains('/')));
    }
}
