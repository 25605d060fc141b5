//! Synthetic articles for load tests (`kiosque demo --generate --articles N`).
//!
//! Texts are assembled from a word list written for Kiosque by a seeded generator, so
//! two runs make the same site. Articles vary in length (a brief to a long read),
//! section, tags (a pool of 300), bylines, agency credits, lead pictures (the demo's
//! own) and publication time (the last five years), and go through the store's
//! normal path: validation, Markdown rendering, revision, change feed.

use anyhow::Context;
use chrono::{Duration, Utc};
use kiosque_domain::article::{ArticleStatus, NewArticle, NewLeadImage};
use kiosque_domain::{MediaId, Stores};

const WORDS: &[&str] = &[
    "conseil",
    "ville",
    "projet",
    "budget",
    "réforme",
    "habitants",
    "quartier",
    "école",
    "gare",
    "tramway",
    "rivière",
    "port",
    "usine",
    "marché",
    "hôpital",
    "université",
    "saison",
    "récolte",
    "pluie",
    "chaleur",
    "énergie",
    "réseau",
    "chantier",
    "pont",
    "élus",
    "maire",
    "région",
    "État",
    "ministre",
    "député",
    "syndicat",
    "entreprise",
    "salariés",
    "chercheurs",
    "médecins",
    "enseignants",
    "agriculteurs",
    "pêcheurs",
    "artistes",
    "joueurs",
    "entraîneur",
    "public",
    "spectateurs",
    "voyageurs",
    "familles",
    "annonce",
    "propose",
    "refuse",
    "prépare",
    "reporte",
    "confirme",
    "présente",
    "lance",
    "attend",
    "dénonce",
    "défend",
    "examine",
    "vote",
    "signe",
    "ouvre",
    "ferme",
    "rénove",
    "nouveau",
    "ancien",
    "premier",
    "dernier",
    "grand",
    "petit",
    "public",
    "local",
    "national",
    "européen",
    "rapide",
    "lent",
    "fragile",
    "solide",
    "discret",
    "attendu",
    "hier",
    "demain",
    "samedi",
    "lundi",
    "cette",
    "semaine",
    "depuis",
    "pendant",
    "avant",
    "après",
    "encore",
    "déjà",
    "toujours",
    "jamais",
    "souvent",
    "plusieurs",
    "quelques",
    "le",
    "la",
    "les",
    "un",
    "une",
    "des",
    "du",
    "de",
    "au",
    "aux",
    "et",
    "mais",
    "pour",
    "avec",
    "sans",
    "dans",
    "sur",
    "sous",
    "entre",
    "vers",
    "chez",
    "selon",
    "contre",
    "plan",
    "accord",
    "vote",
    "débat",
    "rapport",
    "enquête",
    "chiffre",
    "hausse",
    "baisse",
    "record",
    "crise",
    "sommet",
    "festival",
    "musée",
    "concert",
    "match",
    "finale",
    "course",
    "étape",
    "saison",
    "victoire",
    "défaite",
    "tribunal",
    "procès",
    "décision",
    "loi",
];

const KICKERS: &[&str] = &[
    "Enquête",
    "Reportage",
    "Décryptage",
    "Entretien",
    "Analyse",
    "Portrait",
    "Chronique",
    "Témoignages",
    "Récit",
    "Vérification",
];

const AGENCIES: &[&str] = &["AFP", "Reuters", "AP", "dpa"];

/// A small deterministic generator (xorshift64*): no dependency, same site every run.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// A sentence of `min` to `min + spread - 1` words.
fn sentence(dice: &mut Dice, min: usize, spread: usize) -> String {
    let words = min + dice.below(spread);
    let mut text = String::new();
    for i in 0..words {
        let word = *dice.pick(WORDS);
        if i == 0 {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                text.extend(first.to_uppercase());
                text.push_str(chars.as_str());
            }
        } else {
            text.push(' ');
            text.push_str(word);
        }
    }
    text.push('.');
    text
}

fn body(dice: &mut Dice) -> String {
    // From a brief (3 paragraphs) to a long read (40), about 12 to 25 words a sentence.
    let paragraphs = match dice.below(10) {
        0..=3 => 3 + dice.below(4),
        4..=8 => 6 + dice.below(10),
        _ => 20 + dice.below(20),
    };
    let mut out = String::new();
    for p in 0..paragraphs {
        if p > 0 && p % 5 == 0 {
            out.push_str("## ");
            out.push_str(sentence(dice, 4, 4).trim_end_matches('.'));
            out.push_str("\n\n");
        }
        if dice.chance(8) {
            out.push_str("> « ");
            out.push_str(&sentence(dice, 10, 10));
            out.push_str(" »\n\n");
        }
        let sentences = 2 + dice.below(4);
        for s in 0..sentences {
            if s > 0 {
                out.push(' ');
            }
            out.push_str(&sentence(dice, 12, 14));
        }
        out.push_str("\n\n");
    }
    out
}

/// Adds `count` published articles; returns how many were made.
pub async fn articles(stores: &Stores, count: u32) -> anyhow::Result<u32> {
    let sections = stores.taxonomy.sections().await?;
    anyhow::ensure!(!sections.is_empty(), "no section: load the demo first");
    let contributors = stores.people.contributors().await?;
    let media: Vec<MediaId> = stores
        .media
        .list_media(None, 100)
        .await?
        .into_iter()
        .map(|m| m.id)
        .collect();
    let tags: Vec<String> = {
        let mut dice = Dice(0x5eed_7a65);
        (0..300)
            .map(|_| {
                let a = *dice.pick(&WORDS[..60]);
                let b = *dice.pick(&WORDS[60..96]);
                format!("{a} {b}")
            })
            .collect()
    };
    let now = kiosque_domain::clock::Clock::System.now();
    // Seeded by the count already there: a second run adds different articles.
    let existing = stores
        .changes
        .published_ids(kiosque_domain::ArticleId(0), u32::MAX)
        .await?
        .len() as u64;
    let mut dice = Dice(0x9e37_79b9_7f4a_7c15 ^ (existing + 1));
    let five_years = 5 * 365 * 24 * 60;
    for n in 0..count {
        let section = dice.pick(&sections);
        let mut new =
            NewArticle::draft(sentence(&mut dice, 6, 8).trim_end_matches('.'), section.id);
        new.status = ArticleStatus::Published;
        new.kicker = dice.chance(30).then(|| (*dice.pick(KICKERS)).to_owned());
        new.standfirst = format!(
            "{} {}",
            sentence(&mut dice, 14, 1),
            sentence(&mut dice, 10, 1)
        );
        new.body_markdown = body(&mut dice);
        new.tags = (0..dice.below(5))
            .map(|_| dice.pick(&tags).clone())
            .collect();
        new.tags.sort();
        new.tags.dedup();
        if !contributors.is_empty() {
            new.contributors = (0..1 + dice.below(2))
                .map(|_| dice.pick(&contributors).id)
                .collect();
            new.contributors.sort_by_key(|c| c.0);
            new.contributors.dedup();
        }
        if dice.chance(40) {
            new.agencies = vec![(*dice.pick(AGENCIES)).to_owned()];
        }
        if !media.is_empty() && dice.chance(70) {
            new.lead_image = Some(NewLeadImage {
                media_id: *dice.pick(&media),
                alt: sentence(&mut dice, 6, 1),
                caption: sentence(&mut dice, 12, 1),
                credit: format!("{} / KIOSQUE", dice.pick(&WORDS[..45]).to_uppercase()),
            });
        }
        let published = now - Duration::minutes(dice.below(five_years) as i64 + 1);
        new.published_at = Some(published);
        if dice.chance(15) {
            new.updated_at =
                Some((published + Duration::minutes(dice.below(600) as i64 + 5)).min(now));
        }
        stores
            .articles
            .create_article(&new, published)
            .await
            .with_context(|| format!("cannot create synthetic article {n}"))?;
        if (n + 1) % 10_000 == 0 {
            tracing::info!(articles = n + 1, "generating");
        }
    }
    Ok(count)
}

/// The password of every generated reader (`lecteur<N>@charge.kiosque.test`), for
/// load tests that log in.
pub const READER_PASSWORD: &str = "mot de passe de charge";
/// Comments on the newest article, the "big thread" that benchmarks read.
pub const BIG_THREAD: u32 = 10_000;
const BATCH: usize = 2_000;

/// Adds `count` comments from generated readers (one per 25 comments), spread over the
/// published articles with the newest holding a thread of [`BIG_THREAD`] comments:
/// seven in ten top-level, the others replies (some answering a reply). Returns the
/// newest article's id, for benchmarks.
pub async fn comments(stores: &Stores, count: u32) -> anyhow::Result<Option<i64>> {
    use kiosque_domain::comment::{CommentId, CommentStatus, NewComment, NewReader, ReaderId};
    use std::collections::HashMap;
    let mut articles: Vec<i64> = stores
        .changes
        .published_ids(kiosque_domain::ArticleId(0), u32::MAX)
        .await?
        .into_iter()
        .map(|a| a.0)
        .collect();
    articles.sort_unstable();
    let Some(&newest) = articles.last() else {
        anyhow::bail!("no published article: load the demo or generate articles first");
    };
    if count == 0 {
        return Ok(Some(newest));
    }
    let mut dice = Dice(0xc0ff_ee00_d15c_0555 ^ u64::from(count));
    let hash = kiosque_app::password::hash_password(READER_PASSWORD.into())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let now = kiosque_domain::clock::Clock::System.now();
    let reader_count = (count / 25).clamp(1, 40_000) as usize;
    let first = stores
        .readers
        .find_readers("@charge.kiosque.test", 1)
        .await?
        .len();
    anyhow::ensure!(
        first == 0,
        "generated readers are already there: generate comments once per store"
    );
    let mut readers: Vec<ReaderId> = Vec::with_capacity(reader_count);
    for chunk in (0..reader_count).collect::<Vec<_>>().chunks(BATCH) {
        let batch: Vec<NewReader> = chunk
            .iter()
            .map(|n| NewReader {
                email: format!("lecteur{n}@charge.kiosque.test"),
                display_name: format!("{} {}", dice.pick(&WORDS[60..96]), n),
                password_hash: hash.clone(),
            })
            .collect();
        readers.extend(stores.readers.import_readers(&batch, now).await?);
    }
    // How many comments each article gets: the big thread, then the rest at random,
    // a tenth of the articles drawing most of them.
    let big = BIG_THREAD.min(count / 2).max(1);
    let mut per_article: HashMap<i64, u32> = HashMap::new();
    per_article.insert(newest, big);
    // The big thread keeps its exact size: the others share the rest.
    let others = if articles.len() > 1 {
        &articles[..articles.len() - 1]
    } else {
        &articles[..]
    };
    let popular = (others.len() / 10).max(1);
    for _ in big..count {
        let article = if dice.chance(80) {
            others[others.len() - 1 - dice.below(popular)]
        } else {
            *dice.pick(others)
        };
        *per_article.entry(article).or_default() += 1;
    }
    let two_weeks = 14 * 24 * 60;
    let mut made = 0u64;
    let mut pending: Vec<(NewComment, chrono::DateTime<Utc>)> = Vec::with_capacity(BATCH);
    for (article, n) in per_article {
        let roots = (n * 7 / 10).max(1);
        let text = |dice: &mut Dice| {
            let mut body = sentence(dice, 4, 40);
            if dice.chance(15) {
                body.push_str("\n\n");
                body.push_str(&sentence(dice, 6, 30));
            }
            body
        };
        let mut batch = Vec::with_capacity(roots as usize);
        for _ in 0..roots {
            let at = now - Duration::minutes(dice.below(two_weeks) as i64 + 1);
            batch.push((
                NewComment {
                    article_id: kiosque_domain::ArticleId(article),
                    reader_id: *dice.pick(&readers),
                    parent_id: None,
                    reply_to: None,
                    body: text(&mut dice),
                    status: CommentStatus::Approved,
                    queued_because: None,
                },
                at,
            ));
        }
        let mut root_ids: Vec<CommentId> = Vec::with_capacity(batch.len());
        for chunk in batch.chunks(BATCH) {
            root_ids.extend(stores.comments.import_comments(chunk).await?);
        }
        made += root_ids.len() as u64;
        for _ in roots..n {
            let at = now - Duration::minutes(dice.below(two_weeks) as i64 + 1);
            pending.push((
                NewComment {
                    article_id: kiosque_domain::ArticleId(article),
                    reader_id: *dice.pick(&readers),
                    parent_id: Some(*dice.pick(&root_ids)),
                    reply_to: None,
                    body: text(&mut dice),
                    status: CommentStatus::Approved,
                    queued_because: None,
                },
                at,
            ));
            if pending.len() >= BATCH {
                made += stores.comments.import_comments(&pending).await?.len() as u64;
                pending.clear();
            }
        }
        if made % 100_000 < u64::from(n) {
            tracing::info!(comments = made, "generating");
        }
    }
    made += stores.comments.import_comments(&pending).await?.len() as u64;
    tracing::info!(
        comments = made,
        readers = readers.len(),
        "comments generated"
    );
    Ok(Some(newest))
}
