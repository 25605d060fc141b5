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
    let now = Utc::now();
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
