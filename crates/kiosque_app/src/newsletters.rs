//! Newsletters: lists (editors create them), subscriptions with double opt-in and a
//! consent record, editions composed from articles, and their sending by the worker
//! — each confirmed subscriber once, over pooled SMTP connections, with a signed
//! one-click unsubscribe address per recipient (RFC 8058) — and bounces (RFC 3464)
//! that suppress an address.
//!
//! Exactly once: when sending starts, one send record per confirmed subscriber is
//! written (`start_edition`); each mail is claimed before it goes and marked sent the
//! moment the server accepts it, in its own small write. Asking to send again is
//! refused (the edition is no longer a draft); a crash leaves claimed mails to be
//! claimed again after the lease, and only those the server had not accepted: a
//! mail whose acceptance arrived in the instant before a `kill -9` is the only one
//! that can go twice, and it carries the same `Message-ID`.

use crate::app::App;
use crate::error::{Error, Result};
use crate::mail::{ListMail, Mail};
use crate::policy::{self, Actor};
use chrono::{DateTime, Duration, Utc};
use kiosque_domain::comment::Reader;
use kiosque_domain::newsletter::{
    BounceReport, Consent, Edition, NewEdition, NewNewsletter, Newsletter, NewsletterError,
    Recipient, RenderedEdition, SendOutcome, Subscription, SubscriptionRequest, SubscriptionState,
    UNSUBSCRIBE_PLACEHOLDER, subscriber_address,
};
use kiosque_domain::secret::{hash_token, random_token, same_secret, sign};
use kiosque_domain::{Article, ArticleId, StoreError};

/// Where the key signing unsubscribe addresses is kept (`site_meta`).
const SIGNING_KEY: &str = "newsletter.signing_key";
/// How long a confirmation link works.
pub const CONFIRM_DAYS: i64 = 7;
/// Mails claimed at once.
const BATCH: u32 = 500;
/// Attempts at one mail before it is given up.
const MAX_ATTEMPTS: i64 = 6;
/// Path prefixes of the mailed links.
pub const CONFIRM_PATH: &str = "/newsletters/confirmer/";
pub const UNSUBSCRIBE_PATH: &str = "/newsletters/desabonnement/";

fn invalid(e: NewsletterError) -> Error {
    let (field, key) = match e {
        NewsletterError::Name => ("name", "newsletter-error-name"),
        NewsletterError::Slug => ("slug", "newsletter-error-slug"),
        NewsletterError::Description => ("description", "newsletter-error-description"),
        NewsletterError::Sender => ("sender_name", "newsletter-error-sender"),
        NewsletterError::SendTime => ("send_time", "newsletter-error-time"),
        NewsletterError::Subject => ("subject", "newsletter-error-subject"),
        NewsletterError::Intro => ("intro_markdown", "newsletter-error-intro"),
        NewsletterError::Articles => ("articles", "newsletter-error-articles"),
        NewsletterError::Email => ("email", "newsletter-error-email"),
    };
    Error::invalid(field, key, e.to_string())
}

/// Creates a newsletter (editors), audited.
pub async fn create(app: &App, actor: &Actor, new: NewNewsletter) -> Result<Newsletter> {
    policy::publish(actor)?;
    let new = new.cleaned().map_err(invalid)?;
    let made = app
        .stores
        .newsletters
        .create_newsletter(&new, app.now())
        .await?;
    app.stores
        .accounts
        .audit(
            Some(actor.id()),
            "newsletter.create",
            &made.id.to_string(),
            &format!("{} ({})", made.name, actor.via.as_str()),
            app.now(),
        )
        .await?;
    // Article pages carry the sign-up block of the first newsletter.
    app.site_changed();
    Ok(made)
}

/// Every newsletter (public: readers choose among them).
pub async fn list(app: &App) -> Result<Vec<Newsletter>> {
    Ok(app.stores.newsletters.newsletters().await?)
}

pub async fn by_slug(app: &App, slug: &str) -> Result<Newsletter> {
    app.stores
        .newsletters
        .newsletter_by_slug(slug)
        .await?
        .ok_or(Error::NotFound)
}

pub async fn get(app: &App, id: i64) -> Result<Newsletter> {
    Ok(app.stores.newsletters.newsletter(id).await?)
}

/// What a subscription request did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subscribed {
    /// A confirmation mail went out (or the address was confirmed already: the
    /// answer is the same, so the form tells no one who subscribes).
    CheckYourMail,
    /// A logged-in reader's verified address: subscribed at once.
    Confirmed,
}

/// A subscription request from the public form (or a reader's account): the mailed
/// link confirms it, unless the reader is logged in with this very address verified.
pub async fn subscribe(
    app: &App,
    newsletter: &Newsletter,
    email: &str,
    page: Option<&str>,
    reader: Option<&Reader>,
) -> Result<Subscribed> {
    let email = subscriber_address(email).map_err(invalid)?;
    let now = app.now();
    let page = page
        .filter(|p| p.starts_with('/') && !p.starts_with("//") && p.len() <= 512)
        .map(str::to_owned);
    let verified = reader.is_some_and(|r| r.verified && r.email.as_deref() == Some(&email));
    if verified {
        app.stores
            .newsletters
            .request_subscription(
                &SubscriptionRequest {
                    newsletter_id: newsletter.id,
                    email,
                    reader_id: reader.map(|r| r.id),
                    consent: Consent {
                        at: now,
                        method: "account".into(),
                        page,
                    },
                    confirmed: true,
                    confirm_hash: None,
                    confirm_expires_at: None,
                },
                now,
            )
            .await?;
        return Ok(Subscribed::Confirmed);
    }
    let token = random_token();
    let stored = app
        .stores
        .newsletters
        .request_subscription(
            &SubscriptionRequest {
                newsletter_id: newsletter.id,
                email: email.clone(),
                reader_id: reader.map(|r| r.id),
                consent: Consent {
                    at: now,
                    method: "form".into(),
                    page,
                },
                confirmed: false,
                confirm_hash: Some(hash_token(&token)),
                confirm_expires_at: Some(now + Duration::days(CONFIRM_DAYS)),
            },
            now,
        )
        .await?;
    if stored.state == SubscriptionState::Confirmed {
        return Ok(Subscribed::CheckYourMail);
    }
    let site = app.site();
    let link = site.absolute(&format!("{CONFIRM_PATH}{token}"));
    let fr = site.locale == kiosque_domain::Locale::Fr;
    let (subject, text) = if fr {
        (
            format!("Confirmez votre inscription à « {} »", newsletter.name),
            format!(
                "Bonjour,\n\nVous (ou quelqu'un d'autre) avez demandé à recevoir « {} » de {} à cette adresse.\n\nPour confirmer, ouvrez ce lien puis cliquez sur le bouton :\n{link}\n\nLe lien est valable {CONFIRM_DAYS} jours. Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : vous ne recevrez rien.\n",
                newsletter.name, site.name
            ),
        )
    } else {
        (
            format!("Confirm your subscription to \"{}\"", newsletter.name),
            format!(
                "Hello,\n\nYou (or someone else) asked to receive \"{}\" from {} at this address.\n\nTo confirm, open this link and press the button:\n{link}\n\nThe link works for {CONFIRM_DAYS} days. If you did not ask, ignore this message: you will receive nothing.\n",
                newsletter.name, site.name
            ),
        )
    };
    app.mailer
        .send(&Mail {
            to: email,
            subject,
            text,
            link: Some(link),
        })
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "cannot send a newsletter confirmation");
            Error::Unavailable
        })?;
    Ok(Subscribed::CheckYourMail)
}

/// The pending subscription a confirmation link names (for the page with the button).
pub async fn pending(app: &App, token: &str) -> Result<Option<(Subscription, Newsletter)>> {
    let Some(sub) = app
        .stores
        .newsletters
        .pending_subscription(&hash_token(token), app.now())
        .await?
    else {
        return Ok(None);
    };
    let newsletter = get(app, sub.newsletter_id).await?;
    Ok(Some((sub, newsletter)))
}

/// Confirms the subscription a mailed link names (its POST).
pub async fn confirm(app: &App, token: &str) -> Result<Option<(Subscription, Newsletter)>> {
    let Some(sub) = app
        .stores
        .newsletters
        .confirm_subscription(&hash_token(token), app.now())
        .await?
    else {
        return Ok(None);
    };
    let newsletter = get(app, sub.newsletter_id).await?;
    Ok(Some((sub, newsletter)))
}

async fn signing_key(app: &App) -> Result<String> {
    if let Some(key) = app.stores.meta.meta(SIGNING_KEY).await? {
        return Ok(key);
    }
    app.stores
        .meta
        .set_meta(SIGNING_KEY, &random_token())
        .await?;
    app.stores
        .meta
        .meta(SIGNING_KEY)
        .await?
        .ok_or_else(|| Error::Internal("the newsletter key vanished".into()))
}

fn unsubscribe_token(key: &str, subscription: i64) -> String {
    let signature = sign(key, &format!("unsubscribe:{subscription}"));
    format!("{subscription}-{}", &signature[..32])
}

fn check_token(key: &str, token: &str) -> Option<i64> {
    let (id, _) = token.split_once('-')?;
    let id: i64 = id.parse().ok()?;
    same_secret(&unsubscribe_token(key, id), token).then_some(id)
}

/// The signed, per-recipient, never-expiring unsubscribe address.
pub async fn unsubscribe_url(app: &App, subscription: i64) -> Result<String> {
    let key = signing_key(app).await?;
    Ok(app.site().absolute(&format!(
        "{UNSUBSCRIBE_PATH}{}",
        unsubscribe_token(&key, subscription)
    )))
}

/// The subscription an unsubscribe token names, if its signature holds.
pub async fn by_unsubscribe_token(
    app: &App,
    token: &str,
) -> Result<Option<(Subscription, Newsletter)>> {
    let key = signing_key(app).await?;
    let Some(id) = check_token(&key, token) else {
        return Ok(None);
    };
    let Some(sub) = app.stores.newsletters.subscription(id).await? else {
        return Ok(None);
    };
    let newsletter = get(app, sub.newsletter_id).await?;
    Ok(Some((sub, newsletter)))
}

/// Unsubscribes by a signed token (the one-click POST, or the confirmation page's
/// button): no session, no CSRF token — the signature is the proof. Whether a
/// subscription was named (unsubscribing twice is fine).
pub async fn unsubscribe_by_token(app: &App, token: &str) -> Result<Option<Newsletter>> {
    let Some((sub, newsletter)) = by_unsubscribe_token(app, token).await? else {
        return Ok(None);
    };
    app.stores
        .newsletters
        .unsubscribe(sub.id, app.now())
        .await?;
    Ok(Some(newsletter))
}

/// A reader's subscriptions, with their newsletters.
pub async fn of_reader(app: &App, reader: &Reader) -> Result<Vec<(Subscription, Newsletter)>> {
    let email = reader.email.clone().unwrap_or_default();
    let subs = app
        .stores
        .newsletters
        .subscriptions_of(reader.id, &email)
        .await?;
    let all = list(app).await?;
    Ok(subs
        .into_iter()
        .filter_map(|s| {
            let n = all.iter().find(|n| n.id == s.newsletter_id)?.clone();
            Some((s, n))
        })
        .collect())
}

/// A reader ends one of their own subscriptions from their account page.
pub async fn unsubscribe_reader(app: &App, reader: &Reader, subscription: i64) -> Result<()> {
    let mine = of_reader(app, reader).await?;
    if !mine.iter().any(|(s, _)| s.id == subscription) {
        return Err(Error::NotFound);
    }
    app.stores
        .newsletters
        .unsubscribe(subscription, app.now())
        .await?;
    Ok(())
}

/// Erases a reader's subscriptions and consent records (with the account).
pub async fn erase_reader(app: &App, reader: &Reader) -> Result<u64> {
    let email = reader.email.clone().unwrap_or_default();
    Ok(app
        .stores
        .newsletters
        .erase_subscriptions(reader.id, &email)
        .await?)
}

async fn check_articles(app: &App, edition: &NewEdition) -> Result<()> {
    for id in &edition.articles {
        match app.stores.articles.article(*id).await {
            Ok(_) => {}
            Err(StoreError::NotFound) => {
                return Err(Error::invalid(
                    "articles",
                    "newsletter-error-articles",
                    format!("no article {id}"),
                ));
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// Composes an edition (editors).
pub async fn create_edition(
    app: &App,
    actor: &Actor,
    newsletter: i64,
    new: NewEdition,
) -> Result<Edition> {
    policy::publish(actor)?;
    get(app, newsletter).await?;
    let new = new.cleaned().map_err(invalid)?;
    check_articles(app, &new).await?;
    Ok(app
        .stores
        .newsletters
        .create_edition(newsletter, &new, Some(actor.id()), app.now())
        .await?)
}

/// Saves a draft edition from the version it was read at.
pub async fn save_edition(
    app: &App,
    actor: &Actor,
    id: i64,
    new: NewEdition,
    version: i64,
) -> Result<Edition> {
    policy::publish(actor)?;
    let new = new.cleaned().map_err(invalid)?;
    check_articles(app, &new).await?;
    app.stores
        .newsletters
        .save_edition(id, &new, version)
        .await
        .map_err(|e| match e {
            StoreError::VersionMismatch { stored, .. } => Error::Stale {
                stored,
                expected: version,
            },
            e => e.into(),
        })
}

/// An edition of `newsletter` (editors).
pub async fn edition(app: &App, actor: &Actor, newsletter: i64, id: i64) -> Result<Edition> {
    policy::publish(actor)?;
    let edition = app.stores.newsletters.edition(id).await?;
    if edition.newsletter_id != newsletter {
        return Err(Error::NotFound);
    }
    Ok(edition)
}

pub async fn editions(app: &App, actor: &Actor, newsletter: i64) -> Result<Vec<Edition>> {
    policy::publish(actor)?;
    Ok(app.stores.newsletters.editions(newsletter, 50).await?)
}

/// The edition's articles readers can see now, in its order.
pub async fn public_articles(app: &App, ids: &[ArticleId]) -> Result<Vec<Article>> {
    let now = app.now();
    let mut out = Vec::new();
    for id in ids {
        match app.stores.articles.article(*id).await {
            Ok(a) if a.is_public_at(now) => out.push(a),
            Ok(_) | Err(StoreError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(out)
}

/// The home page's front, then its latest articles: a starting point for an edition.
pub async fn from_front(app: &App, limit: usize) -> Result<Vec<ArticleId>> {
    let now = app.now();
    let mut ids: Vec<ArticleId> = app
        .stores
        .fronts
        .front_articles(kiosque_domain::front::FrontKey::Home, now)
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect();
    if ids.len() < limit {
        let latest = app
            .stores
            .articles
            .list_published(&kiosque_domain::store::ListQuery::latest(
                kiosque_domain::store::Scope::All,
                now,
                limit as u32,
            ))
            .await?;
        for a in latest {
            if !ids.contains(&a.id) {
                ids.push(a.id);
            }
        }
    }
    ids.truncate(limit);
    Ok(ids)
}

/// Queues an edition's sending at `at` (now when `None`) with its rendered mail.
/// An edition already queued or sent is a conflict: it is never sent twice.
pub async fn send(
    app: &App,
    actor: &Actor,
    newsletter: i64,
    id: i64,
    rendered: RenderedEdition,
    at: Option<DateTime<Utc>>,
) -> Result<Edition> {
    let current = edition(app, actor, newsletter, id).await?;
    let now = app.now();
    let at = at.unwrap_or(now);
    if at < now - Duration::minutes(1) {
        return Err(Error::invalid(
            "at",
            "newsletter-error-at",
            "the sending time has passed",
        ));
    }
    let queued = app
        .stores
        .newsletters
        .schedule_edition(current.id, &rendered, at, now)
        .await?;
    app.worker_wake.notify_one();
    app.stores
        .accounts
        .audit(
            Some(actor.id()),
            "newsletter.send",
            &id.to_string(),
            &format!(
                "{} at {} ({})",
                current.content.subject,
                at.to_rfc3339(),
                actor.via.as_str()
            ),
            now,
        )
        .await?;
    Ok(queued)
}

/// Sends the rendered edition to the editor alone (`to`), marked as a test.
pub async fn send_test(
    app: &App,
    actor: &Actor,
    newsletter: &Newsletter,
    subject: &str,
    rendered: &RenderedEdition,
    to: &str,
) -> Result<()> {
    policy::publish(actor)?;
    let site = app.site();
    let mail = list_mail(
        &site,
        newsletter,
        &format!("[TEST] {subject}"),
        rendered,
        to,
        &site.absolute(&format!("/newsletters/{}", newsletter.slug)),
        &format!(
            "<test.{}.{}@{}>",
            newsletter.id,
            random_token(),
            host(&site.base_url)
        ),
    );
    app.mailer.send_list(&mail).await.map_err(|e| {
        tracing::warn!(error = %e, "cannot send a test edition");
        Error::Unavailable
    })?;
    Ok(())
}

fn host(base_url: &str) -> String {
    base_url
        .split("://")
        .nth(1)
        .unwrap_or(base_url)
        .split(['/', ':'])
        .next()
        .unwrap_or("localhost")
        .to_owned()
}

fn list_mail(
    site: &kiosque_domain::SiteSettings,
    newsletter: &Newsletter,
    subject: &str,
    rendered: &RenderedEdition,
    to: &str,
    unsubscribe: &str,
    message_id: &str,
) -> ListMail {
    let sender = if newsletter.sender_name.is_empty() {
        site.name.clone()
    } else {
        newsletter.sender_name.clone()
    };
    ListMail {
        to: to.to_owned(),
        from_name: Some(sender),
        subject: subject.to_owned(),
        text: rendered.text.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe),
        html: rendered.html.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe),
        message_id: message_id.to_owned(),
        headers: vec![
            (
                "List-Id",
                format!(
                    "{} <{}.{}>",
                    newsletter.name.replace(['<', '>', '"'], ""),
                    newsletter.slug,
                    host(&site.base_url)
                ),
            ),
            ("List-Unsubscribe", format!("<{unsubscribe}>")),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click".into()),
        ],
    }
}

/// What one run of an edition's sending did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SendReport {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
    pub skipped: usize,
}

/// When to try a temporary failure again: 1 min doubling, at most 2 h.
fn retry_at(now: DateTime<Utc>, attempts: i64) -> DateTime<Utc> {
    now + Duration::seconds((60i64 << attempts.clamp(0, 7)).min(7200))
}

/// The worker's part: sends edition `id` to every recipient still waiting, over the
/// mailer's pooled connections, each mail recorded as soon as the server answers.
pub async fn send_edition(
    app: &App,
    id: i64,
    now: DateTime<Utc>,
    lease: Duration,
) -> Result<SendReport> {
    let rendered = app.stores.newsletters.start_edition(id, now).await?;
    let edition = app.stores.newsletters.edition(id).await?;
    let newsletter = get(app, edition.newsletter_id).await?;
    let key = std::sync::Arc::new(signing_key(app).await?);
    let site = app.site();
    let host = host(&site.base_url);
    let rendered = std::sync::Arc::new(rendered);
    let concurrency = app.mailer.connections();
    let mut report = SendReport::default();
    loop {
        let clock = app.now();
        let batch = app
            .stores
            .newsletters
            .claim_sends(id, clock, clock - lease, BATCH)
            .await?;
        if batch.is_empty() {
            break;
        }
        let mut running = tokio::task::JoinSet::new();
        let mut queue = batch.into_iter();
        loop {
            while running.len() < concurrency {
                let Some(r) = queue.next() else { break };
                let (app, key, rendered, newsletter, site, host) = (
                    app.clone(),
                    key.clone(),
                    rendered.clone(),
                    newsletter.clone(),
                    site.clone(),
                    host.clone(),
                );
                let subject = edition.content.subject.clone();
                running.spawn(async move {
                    let outcome = if r.email.is_empty() {
                        SendOutcome::Skipped
                    } else {
                        let unsubscribe = site.absolute(&format!(
                            "{UNSUBSCRIBE_PATH}{}",
                            unsubscribe_token(&key, r.subscription_id)
                        ));
                        let mail = list_mail(
                            &site,
                            &newsletter,
                            &subject,
                            &rendered,
                            &r.email,
                            &unsubscribe,
                            &format!("<edition-{id}.{}@{host}>", r.subscription_id),
                        );
                        match app.mailer.send_list(&mail).await {
                            Ok(_) => SendOutcome::Sent,
                            Err(e) if e.is_permanent() => SendOutcome::Failed {
                                error: e.to_string(),
                                suppress: true,
                            },
                            Err(e) if r.attempts + 1 >= MAX_ATTEMPTS => SendOutcome::Failed {
                                error: e.to_string(),
                                suppress: false,
                            },
                            Err(e) => SendOutcome::Retry {
                                at: retry_at(app.now(), r.attempts),
                                error: e.to_string(),
                            },
                        }
                    };
                    // Recorded at once: the window in which a crash could leave an
                    // accepted mail unrecorded is this one write.
                    let recorded = app
                        .stores
                        .newsletters
                        .finish_send(id, &r, &outcome, app.now())
                        .await;
                    (r, outcome, recorded)
                });
            }
            let Some(done) = running.join_next().await else {
                break;
            };
            let (_r, outcome, recorded): (Recipient, SendOutcome, _) =
                done.map_err(|e| Error::Internal(e.to_string()))?;
            recorded?;
            match outcome {
                SendOutcome::Sent => report.sent += 1,
                SendOutcome::Retry { .. } => report.retried += 1,
                SendOutcome::Failed { .. } => report.failed += 1,
                SendOutcome::Suppressed | SendOutcome::Skipped => report.skipped += 1,
            }
        }
        metrics::counter!("kiosque_newsletter_sent_total").increment(report.sent as u64);
    }
    match app.stores.newsletters.next_send(id).await? {
        Some(next) => {
            // Nothing due is left unclaimed: what remains is a retry's time, or mails
            // another sender holds (taken again once its claim's lease has run out).
            let clock = app.now();
            let at = if next <= clock { clock + lease } else { next };
            app.stores
                .jobs
                .enqueue(
                    kiosque_domain::newsletter::SEND_JOB,
                    &id.to_string(),
                    at,
                    clock,
                )
                .await?;
        }
        None => {
            app.stores.newsletters.finish_edition(id, app.now()).await?;
        }
    }
    Ok(report)
}

/// Reads an RFC 3464 delivery status notification (the whole `multipart/report`
/// message, or its `message/delivery-status` part alone) and suppresses each
/// address that failed for good. The reports read.
pub async fn bounces(app: &App, actor: &Actor, raw: &[u8]) -> Result<Vec<BounceReport>> {
    policy::administer(actor)?;
    let reports = parse_dsn(raw).map_err(|e| Error::invalid("body", "newsletter-error-dsn", e))?;
    for r in reports.iter().filter(|r| r.permanent()) {
        let reason = format!(
            "bounce {} {}",
            r.status,
            r.diagnostic.as_deref().unwrap_or_default()
        );
        app.stores
            .newsletters
            .suppress(&r.recipient, reason.trim(), app.now())
            .await?;
    }
    Ok(reports)
}

/// The per-recipient reports of a delivery status notification.
pub fn parse_dsn(raw: &[u8]) -> std::result::Result<Vec<BounceReport>, String> {
    let status = match mailparse::parse_mail(raw) {
        Ok(mail) => find_status(&mail),
        Err(_) => None,
    };
    let body: Vec<u8> = match status {
        Some(bytes) => bytes,
        None => raw.to_vec(),
    };
    let text = String::from_utf8_lossy(&body).replace("\r\n", "\n");
    let mut reports = Vec::new();
    // The per-message fields first, then one block per recipient.
    for block in text.split("\n\n").skip(1) {
        let block = format!("{block}\n\n");
        let Ok((fields, _)) = mailparse::parse_headers(block.as_bytes()) else {
            continue;
        };
        use mailparse::MailHeaderMap;
        let field = |name: &str| fields.get_first_value(name);
        let (Some(recipient), Some(action), Some(status)) = (
            field("Final-Recipient").or_else(|| field("Original-Recipient")),
            field("Action"),
            field("Status"),
        ) else {
            continue;
        };
        let address = recipient
            .split_once(';')
            .map_or(recipient.as_str(), |(_, a)| a)
            .trim()
            .trim_matches(['<', '>'])
            .to_owned();
        let Ok(address) = subscriber_address(&address) else {
            continue;
        };
        reports.push(BounceReport {
            recipient: address,
            action: action.trim().to_lowercase(),
            status: status.split_whitespace().next().unwrap_or("").to_owned(),
            diagnostic: field("Diagnostic-Code").map(|d| d.trim().to_owned()),
        });
    }
    if reports.is_empty() {
        return Err("no per-recipient report (Final-Recipient, Action, Status) found".into());
    }
    Ok(reports)
}

fn find_status(mail: &mailparse::ParsedMail<'_>) -> Option<Vec<u8>> {
    let mime = mail.ctype.mimetype.to_ascii_lowercase();
    if mime == "message/delivery-status" || mime == "message/global-delivery-status" {
        return mail.get_body_raw().ok();
    }
    mail.subparts.iter().find_map(find_status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsubscribe_tokens_are_signed_per_subscription() {
        let t = unsubscribe_token("k", 42);
        assert_eq!(check_token("k", &t), Some(42));
        assert_eq!(check_token("other", &t), None);
        let forged = t.replacen("42-", "43-", 1);
        assert_eq!(check_token("k", &forged), None);
        assert_eq!(check_token("k", "42"), None);
    }

    #[test]
    fn delivery_status_notifications_are_read() {
        let dsn = "From: MAILER-DAEMON@mx.example.org\r\nTo: bounces@example.org\r\nSubject: Undelivered\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.org\r\nArrival-Date: Wed, 2 Dec 2026 07:00:00 +0100\r\n\r\nFinal-Recipient: rfc822; Gone@Example.org\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 user unknown\r\n\r\nFinal-Recipient: rfc822; later@example.org\r\nAction: delayed\r\nStatus: 4.4.1\r\n--b1--\r\n";
        let reports = parse_dsn(dsn.as_bytes()).unwrap();
        assert_eq!(reports.len(), 2);
        assert_eq!(reports[0].recipient, "gone@example.org");
        assert!(reports[0].permanent());
        assert!(!reports[1].permanent());
        assert!(parse_dsn(b"hello").is_err());
    }
}
