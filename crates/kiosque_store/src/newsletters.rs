//! Newsletters (`NewsletterStore`) and webhooks (`WebhookStore`), for both backends.

use chrono::{DateTime, Utc};
use kiosque_domain::ArticleId;
use kiosque_domain::comment::ReaderId;
use kiosque_domain::newsletter::{
    Consent, Edition, EditionCounts, EditionState, NewEdition, Newsletter, Subscription,
    SubscriptionState,
};
use kiosque_domain::webhook::{DeliveryState, Webhook, WebhookDelivery};

pub(crate) mod sql {
    macro_rules! newsletter_select {
        ($tail:literal) => {
            concat!("SELECT n.id, n.slug, n.name, n.description, n.sender_name, n.send_time, n.created_at, \
        (SELECT COUNT(*) FROM newsletter_subscriptions s WHERE s.newsletter_id = n.id AND s.state = 'confirmed') AS subscribers \
        FROM newsletters n", $tail)
        };
    }
    pub const INSERT_NEWSLETTER: &str = "INSERT INTO newsletters (slug, name, description, sender_name, send_time, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
    pub const NEWSLETTERS: &str = newsletter_select!(" ORDER BY n.name, n.id");
    pub const NEWSLETTER_BY_ID: &str = newsletter_select!(" WHERE n.id = $1");
    pub const NEWSLETTER_BY_SLUG: &str = newsletter_select!(" WHERE n.slug = $1");
    macro_rules! subscription_select {
        ($tail:literal) => {
            concat!("SELECT id, newsletter_id, email, reader_id, state, consent_at, consent_method, consent_page, created_at, confirmed_at, unsubscribed_at FROM newsletter_subscriptions", $tail)
        };
    }
    pub const SUBSCRIPTION_BY_ID: &str = subscription_select!(" WHERE id = $1");
    pub const SUBSCRIPTION_BY_ADDRESS: &str =
        subscription_select!(" WHERE newsletter_id = $1 AND email = $2");
    pub const PENDING_BY_HASH: &str = subscription_select!(
        " WHERE confirm_hash = $1 AND state = 'pending' AND confirm_expires_at > $2"
    );
    pub const SUBSCRIPTIONS_OF: &str =
        subscription_select!(" WHERE reader_id = $1 OR email = $2 ORDER BY id");
    pub const INSERT_SUBSCRIPTION: &str = "INSERT INTO newsletter_subscriptions (newsletter_id, email, reader_id, state, confirm_hash, confirm_expires_at, consent_at, consent_method, consent_page, created_at, confirmed_at) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $7, $10) RETURNING id";
    pub const ASK_AGAIN: &str = "UPDATE newsletter_subscriptions SET reader_id = COALESCE($2, reader_id), state = $3, confirm_hash = $4, confirm_expires_at = $5, \
        consent_at = $6, consent_method = $7, consent_page = $8, confirmed_at = $9, unsubscribed_at = NULL WHERE id = $1";
    pub const ATTACH_READER: &str =
        "UPDATE newsletter_subscriptions SET reader_id = COALESCE(reader_id, $2) WHERE id = $1";
    pub const CONFIRM: &str = "UPDATE newsletter_subscriptions SET state = 'confirmed', confirmed_at = $2, confirm_hash = NULL, confirm_expires_at = NULL \
        WHERE confirm_hash = $1 AND state = 'pending' AND confirm_expires_at > $2 RETURNING id";
    pub const UNSUBSCRIBE: &str = "UPDATE newsletter_subscriptions SET state = 'unsubscribed', unsubscribed_at = $2, confirm_hash = NULL, confirm_expires_at = NULL \
        WHERE id = $1 AND state <> 'unsubscribed'";
    pub const ERASE: &str =
        "DELETE FROM newsletter_subscriptions WHERE reader_id = $1 OR email = $2";
    pub const SUBSCRIBERS: &str = "SELECT COUNT(*) FROM newsletter_subscriptions WHERE newsletter_id = $1 AND state = 'confirmed'";
    pub const SUPPRESS: &str = "INSERT INTO mail_suppressions (email, reason, created_at) VALUES ($1, $2, $3) ON CONFLICT (email) DO NOTHING";
    pub const SUPPRESSED: &str = "SELECT COUNT(*) FROM mail_suppressions WHERE email = $1";
    macro_rules! edition_select {
        ($tail:literal) => {
            concat!("SELECT id, newsletter_id, subject, intro_markdown, articles, state, send_at, created_at, started_at, sent_at, version FROM newsletter_editions", $tail)
        };
    }
    pub const INSERT_EDITION: &str = "INSERT INTO newsletter_editions (newsletter_id, subject, intro_markdown, articles, state, created_by, created_at) \
        VALUES ($1, $2, $3, $4, 'draft', $5, $6) RETURNING id";
    pub const EDITION_BY_ID: &str = edition_select!(" WHERE id = $1");
    pub const EDITIONS: &str =
        edition_select!(" WHERE newsletter_id = $1 ORDER BY id DESC LIMIT $2");
    pub const SAVE_EDITION: &str = "UPDATE newsletter_editions SET subject = $3, intro_markdown = $4, articles = $5, version = version + 1 \
        WHERE id = $1 AND version = $2 AND state = 'draft'";
    pub const EDITION_STATE: &str = "SELECT state FROM newsletter_editions WHERE id = $1";
    pub const SCHEDULE: &str = "UPDATE newsletter_editions SET state = 'scheduled', send_at = $2, html = $3, text = $4, version = version + 1 \
        WHERE id = $1 AND state = 'draft'";
    pub const RENDERED: &str =
        "SELECT state, newsletter_id, html, text FROM newsletter_editions WHERE id = $1";
    pub const FIX_RECIPIENTS: &str = "INSERT INTO newsletter_sends (edition_id, subscription_id, state, attempts, next_at) \
        SELECT $1, s.id, CASE WHEN EXISTS (SELECT 1 FROM mail_suppressions m WHERE m.email = s.email) THEN 'suppressed' ELSE 'pending' END, 0, $3 \
        FROM newsletter_subscriptions s WHERE s.newsletter_id = $2 AND s.state = 'confirmed' ON CONFLICT DO NOTHING";
    pub const STARTED: &str = "UPDATE newsletter_editions SET state = 'sending', started_at = $2 WHERE id = $1 AND state = 'scheduled'";
    pub const COUNTS: &str =
        "SELECT state, COUNT(*) FROM newsletter_sends WHERE edition_id = $1 GROUP BY state";
    pub const UNSUBSCRIBED_SINCE: &str = "SELECT COUNT(*) FROM newsletter_sends d JOIN newsletter_subscriptions s ON s.id = d.subscription_id \
        WHERE d.edition_id = $1 AND d.state = 'sent' AND s.state = 'unsubscribed' AND s.unsubscribed_at >= $2";
    /// As for alerts, the state condition is repeated outside the subquery.
    pub const CLAIM: &str = "UPDATE newsletter_sends SET state = 'sending', claimed_at = $2, claim = $5 \
        WHERE edition_id = $1 AND ((state = 'pending' AND next_at <= $2) OR (state = 'sending' AND claimed_at < $3)) \
        AND subscription_id IN (SELECT subscription_id FROM newsletter_sends WHERE edition_id = $1 \
        AND ((state = 'pending' AND next_at <= $2) OR (state = 'sending' AND claimed_at < $3)) LIMIT $4) \
        RETURNING subscription_id";
    pub const CLAIMED: &str = "SELECT d.subscription_id, d.attempts, s.email, s.state FROM newsletter_sends d \
        LEFT JOIN newsletter_subscriptions s ON s.id = d.subscription_id WHERE d.edition_id = $1 AND d.claim = $2";
    pub const SENT: &str = "UPDATE newsletter_sends SET state = 'sent', attempts = attempts + 1, claim = NULL, error = NULL WHERE edition_id = $1 AND subscription_id = $2";
    pub const RETRY: &str = "UPDATE newsletter_sends SET state = 'pending', attempts = attempts + 1, next_at = $3, claim = NULL, error = $4 WHERE edition_id = $1 AND subscription_id = $2";
    pub const FAILED: &str = "UPDATE newsletter_sends SET state = 'failed', attempts = attempts + 1, claim = NULL, error = $3 WHERE edition_id = $1 AND subscription_id = $2";
    pub const SETTLED: &str = "UPDATE newsletter_sends SET state = $3, claim = NULL WHERE edition_id = $1 AND subscription_id = $2";
    pub const NEXT_SEND: &str = "SELECT MIN(next_at) FROM newsletter_sends WHERE edition_id = $1 AND state IN ('pending', 'sending')";
    pub const FINISH_EDITION: &str = "UPDATE newsletter_editions SET state = 'sent', sent_at = $2 WHERE id = $1 AND state = 'sending' \
        AND NOT EXISTS (SELECT 1 FROM newsletter_sends WHERE edition_id = $1 AND state IN ('pending', 'sending'))";

    pub const INSERT_WEBHOOK: &str = "INSERT INTO webhooks (url, events, secret, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id";
    macro_rules! webhook_select {
        ($tail:literal) => {
            concat!(
                "SELECT id, url, events, secret, created_at FROM webhooks",
                $tail
            )
        };
    }
    pub const WEBHOOKS: &str = webhook_select!(" ORDER BY id");
    pub const WEBHOOK_BY_ID: &str = webhook_select!(" WHERE id = $1");
    pub const DELETE_WEBHOOK: &str = "DELETE FROM webhooks WHERE id = $1";
    pub const INSERT_DELIVERY: &str = "INSERT INTO webhook_deliveries (webhook_id, message_id, event, article_id, payload, state, attempts, created_at) \
        VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6) RETURNING id";
    macro_rules! delivery_select {
        ($tail:literal) => {
            concat!("SELECT id, webhook_id, message_id, event, article_id, payload, state, attempts, last_status, last_error, duration_ms, created_at, delivered_at FROM webhook_deliveries", $tail)
        };
    }
    pub const DELIVERY_BY_ID: &str = delivery_select!(" WHERE id = $1");
    pub const DELIVERIES: &str =
        delivery_select!(" WHERE webhook_id = $1 ORDER BY id DESC LIMIT $2");
    pub const REPLAY: &str = "UPDATE webhook_deliveries SET state = 'pending' WHERE id = $1";
    pub const RECORD_ATTEMPT: &str = "UPDATE webhook_deliveries SET state = $2, attempts = attempts + 1, last_status = $3, last_error = $4, duration_ms = $5, \
        delivered_at = COALESCE($6, delivered_at) WHERE id = $1";
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct NewsletterRow {
    id: i64,
    slug: String,
    name: String,
    description: String,
    sender_name: String,
    send_time: Option<String>,
    created_at: DateTime<Utc>,
    subscribers: i64,
}

impl From<NewsletterRow> for Newsletter {
    fn from(r: NewsletterRow) -> Self {
        Self {
            id: r.id,
            slug: r.slug,
            name: r.name,
            description: r.description,
            sender_name: r.sender_name,
            send_time: r.send_time,
            created_at: r.created_at,
            subscribers: r.subscribers,
        }
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct SubscriptionRow {
    id: i64,
    newsletter_id: i64,
    email: String,
    reader_id: Option<i64>,
    state: String,
    consent_at: DateTime<Utc>,
    consent_method: String,
    consent_page: Option<String>,
    created_at: DateTime<Utc>,
    confirmed_at: Option<DateTime<Utc>>,
    unsubscribed_at: Option<DateTime<Utc>>,
}

impl From<SubscriptionRow> for Subscription {
    fn from(r: SubscriptionRow) -> Self {
        Self {
            id: r.id,
            newsletter_id: r.newsletter_id,
            email: r.email,
            reader_id: r.reader_id.map(ReaderId),
            state: SubscriptionState::parse(&r.state),
            consent: Consent {
                at: r.consent_at,
                method: r.consent_method,
                page: r.consent_page,
            },
            created_at: r.created_at,
            confirmed_at: r.confirmed_at,
            unsubscribed_at: r.unsubscribed_at,
        }
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct EditionRow {
    pub(crate) id: i64,
    newsletter_id: i64,
    subject: String,
    intro_markdown: String,
    articles: String,
    state: String,
    send_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    started_at: Option<DateTime<Utc>>,
    sent_at: Option<DateTime<Utc>>,
    version: i64,
}

impl EditionRow {
    pub(crate) fn started_at(&self) -> Option<DateTime<Utc>> {
        self.started_at
    }

    pub(crate) fn into_edition(self, counts: EditionCounts) -> Edition {
        Edition {
            id: self.id,
            newsletter_id: self.newsletter_id,
            content: NewEdition {
                subject: self.subject,
                intro_markdown: self.intro_markdown,
                articles: join_ids_back(&self.articles),
            },
            state: EditionState::parse(&self.state),
            send_at: self.send_at,
            created_at: self.created_at,
            started_at: self.started_at,
            sent_at: self.sent_at,
            version: self.version,
            counts,
        }
    }
}

pub(crate) fn join_ids(ids: &[ArticleId]) -> String {
    ids.iter()
        .map(|a| a.0.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

fn join_ids_back(s: &str) -> Vec<ArticleId> {
    s.split(',')
        .filter_map(|p| p.trim().parse().ok())
        .map(ArticleId)
        .collect()
}

/// The counts of an edition from its send records grouped by state.
pub(crate) fn counts(rows: &[(String, i64)], unsubscribed_since: i64) -> EditionCounts {
    let mut c = EditionCounts {
        unsubscribed_since,
        ..Default::default()
    };
    for (state, n) in rows {
        c.recipients += n;
        match state.as_str() {
            "sent" => c.sent += n,
            "pending" | "sending" => c.pending += n,
            "failed" => c.failed += n,
            "suppressed" => c.suppressed += n,
            _ => c.skipped += n,
        }
    }
    c
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct WebhookRow {
    id: i64,
    url: String,
    events: String,
    secret: String,
    created_at: DateTime<Utc>,
}

impl From<WebhookRow> for Webhook {
    fn from(r: WebhookRow) -> Self {
        Self {
            id: r.id,
            url: r.url,
            events: r
                .events
                .split(',')
                .filter(|e| !e.is_empty())
                .map(str::to_owned)
                .collect(),
            secret: r.secret,
            created_at: r.created_at,
        }
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct DeliveryRow {
    id: i64,
    webhook_id: i64,
    message_id: String,
    event: String,
    article_id: Option<i64>,
    payload: String,
    state: String,
    attempts: i64,
    last_status: Option<i64>,
    last_error: Option<String>,
    duration_ms: Option<i64>,
    created_at: DateTime<Utc>,
    delivered_at: Option<DateTime<Utc>>,
}

impl From<DeliveryRow> for WebhookDelivery {
    fn from(r: DeliveryRow) -> Self {
        Self {
            id: r.id,
            webhook_id: r.webhook_id,
            message_id: r.message_id,
            event: r.event,
            article_id: r.article_id,
            payload: r.payload,
            state: DeliveryState::parse(&r.state),
            attempts: r.attempts,
            last_status: r.last_status,
            last_error: r.last_error,
            duration_ms: r.duration_ms,
            created_at: r.created_at,
            delivered_at: r.delivered_at,
        }
    }
}

/// A webhook message's id (`webhook-id`).
pub(crate) fn message_id() -> String {
    format!("msg_{}", &kiosque_domain::secret::random_token()[..32])
}

macro_rules! impl_newsletters {
    ($store:ty) => {
        const _: () = {
            use async_trait::async_trait;
            use chrono::{DateTime, Utc};
            use kiosque_domain::comment::ReaderId;
            use kiosque_domain::newsletter::{
                Edition, NewEdition, NewNewsletter, Newsletter, Recipient, RenderedEdition,
                SEND_JOB, SendOutcome, Subscription, SubscriptionRequest, SubscriptionState,
            };
            use kiosque_domain::store::{NewsletterStore, WebhookStore};
            use kiosque_domain::webhook::{
                Attempt, DELIVERY_JOB, DeliveryState, NewWebhook, Webhook, WebhookDelivery,
            };
            use kiosque_domain::{StoreError, StoreResult, UserId};
            use $crate::alerts::claim_token;
            use $crate::newsletters::{
                DeliveryRow, EditionRow, NewsletterRow, SubscriptionRow, WebhookRow, counts,
                join_ids, message_id, sql,
            };
            use $crate::shared::{store_error, stored_time};

            impl $store {
                async fn edition_counts(&self, row: EditionRow) -> StoreResult<Edition> {
                    let id = row.id;
                    let rows: Vec<(String, i64)> = sqlx::query_as(sql::COUNTS)
                        .bind(id)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                    let since = match row.started_at() {
                        Some(started) => sqlx::query_scalar(sql::UNSUBSCRIBED_SINCE)
                            .bind(id)
                            .bind(started)
                            .fetch_one(&self.pool)
                            .await
                            .map_err(store_error)?,
                        None => 0,
                    };
                    Ok(row.into_edition(counts(&rows, since)))
                }
            }

            #[async_trait]
            impl NewsletterStore for $store {
                async fn create_newsletter(
                    &self,
                    new: &NewNewsletter,
                    now: DateTime<Utc>,
                ) -> StoreResult<Newsletter> {
                    let id: i64 = {
                        let _writing = self.writing().await;
                        sqlx::query_scalar(sql::INSERT_NEWSLETTER)
                            .bind(&new.slug)
                            .bind(&new.name)
                            .bind(&new.description)
                            .bind(&new.sender_name)
                            .bind(&new.send_time)
                            .bind(stored_time(now))
                            .fetch_one(&self.pool)
                            .await
                            .map_err(store_error)?
                    };
                    self.newsletter(id).await
                }

                async fn newsletters(&self) -> StoreResult<Vec<Newsletter>> {
                    let rows: Vec<NewsletterRow> = sqlx::query_as(sql::NEWSLETTERS)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(rows.into_iter().map(Newsletter::from).collect())
                }

                async fn newsletter(&self, id: i64) -> StoreResult<Newsletter> {
                    let row: Option<NewsletterRow> = sqlx::query_as(sql::NEWSLETTER_BY_ID)
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(store_error)?;
                    row.map(Newsletter::from).ok_or(StoreError::NotFound)
                }

                async fn newsletter_by_slug(&self, slug: &str) -> StoreResult<Option<Newsletter>> {
                    let row: Option<NewsletterRow> = sqlx::query_as(sql::NEWSLETTER_BY_SLUG)
                        .bind(slug)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(row.map(Newsletter::from))
                }

                async fn request_subscription(
                    &self,
                    r: &SubscriptionRequest,
                    now: DateTime<Utc>,
                ) -> StoreResult<Subscription> {
                    let now = stored_time(now);
                    let state = if r.confirmed {
                        SubscriptionState::Confirmed
                    } else {
                        SubscriptionState::Pending
                    };
                    let confirmed_at = r.confirmed.then_some(now);
                    let expires = r.confirm_expires_at.map(stored_time);
                    let id = {
                        let _writing = self.writing().await;
                        let mut tx = self.pool.begin().await.map_err(store_error)?;
                        let existing: Option<SubscriptionRow> =
                            sqlx::query_as(sql::SUBSCRIPTION_BY_ADDRESS)
                                .bind(r.newsletter_id)
                                .bind(&r.email)
                                .fetch_optional(&mut *tx)
                                .await
                                .map_err(store_error)?;
                        let id = match existing.map(Subscription::from) {
                            Some(s) if s.state == SubscriptionState::Confirmed => {
                                sqlx::query(sql::ATTACH_READER)
                                    .bind(s.id)
                                    .bind(r.reader_id.map(|r| r.0))
                                    .execute(&mut *tx)
                                    .await
                                    .map_err(store_error)?;
                                s.id
                            }
                            Some(s) => {
                                sqlx::query(sql::ASK_AGAIN)
                                    .bind(s.id)
                                    .bind(r.reader_id.map(|r| r.0))
                                    .bind(state.as_str())
                                    .bind(&r.confirm_hash)
                                    .bind(expires)
                                    .bind(now)
                                    .bind(&r.consent.method)
                                    .bind(&r.consent.page)
                                    .bind(confirmed_at)
                                    .execute(&mut *tx)
                                    .await
                                    .map_err(store_error)?;
                                s.id
                            }
                            None => sqlx::query_scalar(sql::INSERT_SUBSCRIPTION)
                                .bind(r.newsletter_id)
                                .bind(&r.email)
                                .bind(r.reader_id.map(|r| r.0))
                                .bind(state.as_str())
                                .bind(&r.confirm_hash)
                                .bind(expires)
                                .bind(now)
                                .bind(&r.consent.method)
                                .bind(&r.consent.page)
                                .bind(confirmed_at)
                                .fetch_one(&mut *tx)
                                .await
                                .map_err(store_error)?,
                        };
                        tx.commit().await.map_err(store_error)?;
                        id
                    };
                    self.subscription(id).await?.ok_or(StoreError::NotFound)
                }

                async fn confirm_subscription(
                    &self,
                    hash: &str,
                    now: DateTime<Utc>,
                ) -> StoreResult<Option<Subscription>> {
                    let id: Option<i64> = {
                        let _writing = self.writing().await;
                        sqlx::query_scalar(sql::CONFIRM)
                            .bind(hash)
                            .bind(stored_time(now))
                            .fetch_optional(&self.pool)
                            .await
                            .map_err(store_error)?
                    };
                    match id {
                        Some(id) => self.subscription(id).await,
                        None => Ok(None),
                    }
                }

                async fn pending_subscription(
                    &self,
                    hash: &str,
                    now: DateTime<Utc>,
                ) -> StoreResult<Option<Subscription>> {
                    let row: Option<SubscriptionRow> = sqlx::query_as(sql::PENDING_BY_HASH)
                        .bind(hash)
                        .bind(stored_time(now))
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(row.map(Subscription::from))
                }

                async fn subscription(&self, id: i64) -> StoreResult<Option<Subscription>> {
                    let row: Option<SubscriptionRow> = sqlx::query_as(sql::SUBSCRIPTION_BY_ID)
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(row.map(Subscription::from))
                }

                async fn unsubscribe(&self, id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
                    let _writing = self.writing().await;
                    let done = sqlx::query(sql::UNSUBSCRIBE)
                        .bind(id)
                        .bind(stored_time(now))
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(done.rows_affected() > 0)
                }

                async fn subscriptions_of(
                    &self,
                    reader: ReaderId,
                    email: &str,
                ) -> StoreResult<Vec<Subscription>> {
                    let rows: Vec<SubscriptionRow> = sqlx::query_as(sql::SUBSCRIPTIONS_OF)
                        .bind(reader.0)
                        .bind(email)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(rows.into_iter().map(Subscription::from).collect())
                }

                async fn erase_subscriptions(
                    &self,
                    reader: ReaderId,
                    email: &str,
                ) -> StoreResult<u64> {
                    let _writing = self.writing().await;
                    let done = sqlx::query(sql::ERASE)
                        .bind(reader.0)
                        .bind(email)
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(done.rows_affected())
                }

                async fn subscriber_count(&self, newsletter: i64) -> StoreResult<i64> {
                    sqlx::query_scalar(sql::SUBSCRIBERS)
                        .bind(newsletter)
                        .fetch_one(&self.pool)
                        .await
                        .map_err(store_error)
                }

                async fn suppress(
                    &self,
                    email: &str,
                    reason: &str,
                    now: DateTime<Utc>,
                ) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    sqlx::query(sql::SUPPRESS)
                        .bind(email)
                        .bind(reason)
                        .bind(stored_time(now))
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(())
                }

                async fn is_suppressed(&self, email: &str) -> StoreResult<bool> {
                    let n: i64 = sqlx::query_scalar(sql::SUPPRESSED)
                        .bind(email)
                        .fetch_one(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(n > 0)
                }

                async fn create_edition(
                    &self,
                    newsletter: i64,
                    new: &NewEdition,
                    by: Option<UserId>,
                    now: DateTime<Utc>,
                ) -> StoreResult<Edition> {
                    let id: i64 = {
                        let _writing = self.writing().await;
                        sqlx::query_scalar(sql::INSERT_EDITION)
                            .bind(newsletter)
                            .bind(&new.subject)
                            .bind(&new.intro_markdown)
                            .bind(join_ids(&new.articles))
                            .bind(by.map(|u| u.0))
                            .bind(stored_time(now))
                            .fetch_one(&self.pool)
                            .await
                            .map_err(store_error)?
                    };
                    self.edition(id).await
                }

                async fn save_edition(
                    &self,
                    id: i64,
                    new: &NewEdition,
                    version: i64,
                ) -> StoreResult<Edition> {
                    let done = {
                        let _writing = self.writing().await;
                        sqlx::query(sql::SAVE_EDITION)
                            .bind(id)
                            .bind(version)
                            .bind(&new.subject)
                            .bind(&new.intro_markdown)
                            .bind(join_ids(&new.articles))
                            .execute(&self.pool)
                            .await
                            .map_err(store_error)?
                    };
                    if done.rows_affected() == 0 {
                        let state: Option<String> = sqlx::query_scalar(sql::EDITION_STATE)
                            .bind(id)
                            .fetch_optional(&self.pool)
                            .await
                            .map_err(store_error)?;
                        return Err(match state.as_deref() {
                            None => StoreError::NotFound,
                            Some("draft") => StoreError::VersionMismatch {
                                stored: None,
                                expected: version,
                            },
                            Some(_) => StoreError::Conflict("the edition is sent or queued"),
                        });
                    }
                    self.edition(id).await
                }

                async fn edition(&self, id: i64) -> StoreResult<Edition> {
                    let row: Option<EditionRow> = sqlx::query_as(sql::EDITION_BY_ID)
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(store_error)?;
                    self.edition_counts(row.ok_or(StoreError::NotFound)?).await
                }

                async fn editions(&self, newsletter: i64, limit: u32) -> StoreResult<Vec<Edition>> {
                    let rows: Vec<EditionRow> = sqlx::query_as(sql::EDITIONS)
                        .bind(newsletter)
                        .bind(i64::from(limit))
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                    let mut out = Vec::with_capacity(rows.len());
                    for row in rows {
                        out.push(self.edition_counts(row).await?);
                    }
                    Ok(out)
                }

                async fn schedule_edition(
                    &self,
                    id: i64,
                    rendered: &RenderedEdition,
                    at: DateTime<Utc>,
                    now: DateTime<Utc>,
                ) -> StoreResult<Edition> {
                    {
                        let _writing = self.writing().await;
                        let mut tx = self.pool.begin().await.map_err(store_error)?;
                        let done = sqlx::query(sql::SCHEDULE)
                            .bind(id)
                            .bind(stored_time(at))
                            .bind(&rendered.html)
                            .bind(&rendered.text)
                            .execute(&mut *tx)
                            .await
                            .map_err(store_error)?;
                        if done.rows_affected() == 0 {
                            let state: Option<String> = sqlx::query_scalar(sql::EDITION_STATE)
                                .bind(id)
                                .fetch_optional(&mut *tx)
                                .await
                                .map_err(store_error)?;
                            return Err(match state {
                                None => StoreError::NotFound,
                                Some(_) => {
                                    StoreError::Conflict("the edition is sent or queued already")
                                }
                            });
                        }
                        sqlx::query($crate::shared::sql::ENQUEUE_JOB)
                            .bind(SEND_JOB)
                            .bind(id.to_string())
                            .bind(stored_time(at))
                            .bind(stored_time(now))
                            .execute(&mut *tx)
                            .await
                            .map_err(store_error)?;
                        tx.commit().await.map_err(store_error)?;
                    }
                    self.edition(id).await
                }

                async fn start_edition(
                    &self,
                    id: i64,
                    now: DateTime<Utc>,
                ) -> StoreResult<RenderedEdition> {
                    let _writing = self.writing().await;
                    let mut tx = self.pool.begin().await.map_err(store_error)?;
                    let row: Option<(String, i64, Option<String>, Option<String>)> =
                        sqlx::query_as(sql::RENDERED)
                            .bind(id)
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(store_error)?;
                    let (state, newsletter, html, text) = row.ok_or(StoreError::NotFound)?;
                    if state == "draft" {
                        return Err(StoreError::Conflict("the edition is a draft"));
                    }
                    if state == "scheduled" {
                        sqlx::query(sql::FIX_RECIPIENTS)
                            .bind(id)
                            .bind(newsletter)
                            .bind(stored_time(now))
                            .execute(&mut *tx)
                            .await
                            .map_err(store_error)?;
                        sqlx::query(sql::STARTED)
                            .bind(id)
                            .bind(stored_time(now))
                            .execute(&mut *tx)
                            .await
                            .map_err(store_error)?;
                    }
                    tx.commit().await.map_err(store_error)?;
                    match (html, text) {
                        (Some(html), Some(text)) => Ok(RenderedEdition { html, text }),
                        _ => Err(StoreError::Conflict("the edition has no rendered mail")),
                    }
                }

                async fn claim_sends(
                    &self,
                    edition: i64,
                    now: DateTime<Utc>,
                    stale_before: DateTime<Utc>,
                    limit: u32,
                ) -> StoreResult<Vec<Recipient>> {
                    let claim = claim_token();
                    let claimed: Vec<i64> = {
                        let _writing = self.writing().await;
                        sqlx::query_scalar(sql::CLAIM)
                            .bind(edition)
                            .bind(stored_time(now))
                            .bind(stored_time(stale_before))
                            .bind(i64::from(limit))
                            .bind(&claim)
                            .fetch_all(&self.pool)
                            .await
                            .map_err(store_error)?
                    };
                    if claimed.is_empty() {
                        return Ok(Vec::new());
                    }
                    let rows: Vec<(i64, i64, Option<String>, Option<String>)> =
                        sqlx::query_as(sql::CLAIMED)
                            .bind(edition)
                            .bind(&claim)
                            .fetch_all(&self.pool)
                            .await
                            .map_err(store_error)?;
                    Ok(rows
                        .into_iter()
                        .map(|(subscription_id, attempts, email, state)| Recipient {
                            subscription_id,
                            // Gone or no longer confirmed: nothing to send.
                            email: match state.as_deref() {
                                Some("confirmed") => email.unwrap_or_default(),
                                _ => String::new(),
                            },
                            attempts,
                        })
                        .collect())
                }

                async fn finish_send(
                    &self,
                    edition: i64,
                    r: &Recipient,
                    outcome: &SendOutcome,
                    now: DateTime<Utc>,
                ) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    match outcome {
                        SendOutcome::Sent => {
                            sqlx::query(sql::SENT)
                                .bind(edition)
                                .bind(r.subscription_id)
                                .execute(&self.pool)
                                .await
                                .map_err(store_error)?;
                        }
                        SendOutcome::Retry { at, error } => {
                            sqlx::query(sql::RETRY)
                                .bind(edition)
                                .bind(r.subscription_id)
                                .bind(stored_time(*at))
                                .bind(error)
                                .execute(&self.pool)
                                .await
                                .map_err(store_error)?;
                        }
                        SendOutcome::Failed { error, suppress } => {
                            let mut tx = self.pool.begin().await.map_err(store_error)?;
                            sqlx::query(sql::FAILED)
                                .bind(edition)
                                .bind(r.subscription_id)
                                .bind(error)
                                .execute(&mut *tx)
                                .await
                                .map_err(store_error)?;
                            if *suppress && !r.email.is_empty() {
                                sqlx::query(sql::SUPPRESS)
                                    .bind(&r.email)
                                    .bind(error)
                                    .bind(stored_time(now))
                                    .execute(&mut *tx)
                                    .await
                                    .map_err(store_error)?;
                            }
                            tx.commit().await.map_err(store_error)?;
                        }
                        SendOutcome::Suppressed | SendOutcome::Skipped => {
                            let state = if *outcome == SendOutcome::Suppressed {
                                "suppressed"
                            } else {
                                "skipped"
                            };
                            sqlx::query(sql::SETTLED)
                                .bind(edition)
                                .bind(r.subscription_id)
                                .bind(state)
                                .execute(&self.pool)
                                .await
                                .map_err(store_error)?;
                        }
                    }
                    Ok(())
                }

                async fn next_send(&self, edition: i64) -> StoreResult<Option<DateTime<Utc>>> {
                    sqlx::query_scalar(sql::NEXT_SEND)
                        .bind(edition)
                        .fetch_one(&self.pool)
                        .await
                        .map_err(store_error)
                }

                async fn finish_edition(&self, id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
                    let _writing = self.writing().await;
                    let done = sqlx::query(sql::FINISH_EDITION)
                        .bind(id)
                        .bind(stored_time(now))
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(done.rows_affected() > 0)
                }
            }

            #[async_trait]
            impl WebhookStore for $store {
                async fn create_webhook(
                    &self,
                    new: &NewWebhook,
                    secret: &str,
                    by: Option<UserId>,
                    now: DateTime<Utc>,
                ) -> StoreResult<Webhook> {
                    let id: i64 = {
                        let _writing = self.writing().await;
                        sqlx::query_scalar(sql::INSERT_WEBHOOK)
                            .bind(&new.url)
                            .bind(new.events.join(","))
                            .bind(secret)
                            .bind(by.map(|u| u.0))
                            .bind(stored_time(now))
                            .fetch_one(&self.pool)
                            .await
                            .map_err(store_error)?
                    };
                    self.webhook(id).await
                }

                async fn webhooks(&self) -> StoreResult<Vec<Webhook>> {
                    let rows: Vec<WebhookRow> = sqlx::query_as(sql::WEBHOOKS)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(rows.into_iter().map(Webhook::from).collect())
                }

                async fn webhook(&self, id: i64) -> StoreResult<Webhook> {
                    let row: Option<WebhookRow> = sqlx::query_as(sql::WEBHOOK_BY_ID)
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(store_error)?;
                    row.map(Webhook::from).ok_or(StoreError::NotFound)
                }

                async fn delete_webhook(&self, id: i64) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    let done = sqlx::query(sql::DELETE_WEBHOOK)
                        .bind(id)
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound);
                    }
                    Ok(())
                }

                async fn enqueue_deliveries(
                    &self,
                    event: &str,
                    article: Option<i64>,
                    payload: &str,
                    now: DateTime<Utc>,
                ) -> StoreResult<Vec<i64>> {
                    let now = stored_time(now);
                    let _writing = self.writing().await;
                    let mut tx = self.pool.begin().await.map_err(store_error)?;
                    let hooks: Vec<WebhookRow> = sqlx::query_as(sql::WEBHOOKS)
                        .fetch_all(&mut *tx)
                        .await
                        .map_err(store_error)?;
                    let mut ids = Vec::new();
                    for hook in hooks
                        .into_iter()
                        .map(Webhook::from)
                        .filter(|h| h.follows(event))
                    {
                        let id: i64 = sqlx::query_scalar(sql::INSERT_DELIVERY)
                            .bind(hook.id)
                            .bind(message_id())
                            .bind(event)
                            .bind(article)
                            .bind(payload)
                            .bind(now)
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(store_error)?;
                        sqlx::query($crate::shared::sql::ENQUEUE_JOB)
                            .bind(DELIVERY_JOB)
                            .bind(id.to_string())
                            .bind(now)
                            .bind(now)
                            .execute(&mut *tx)
                            .await
                            .map_err(store_error)?;
                        ids.push(id);
                    }
                    tx.commit().await.map_err(store_error)?;
                    Ok(ids)
                }

                async fn replay_delivery(&self, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    let mut tx = self.pool.begin().await.map_err(store_error)?;
                    let done = sqlx::query(sql::REPLAY)
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(store_error)?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound);
                    }
                    sqlx::query($crate::shared::sql::ENQUEUE_JOB)
                        .bind(DELIVERY_JOB)
                        .bind(id.to_string())
                        .bind(stored_time(now))
                        .bind(stored_time(now))
                        .execute(&mut *tx)
                        .await
                        .map_err(store_error)?;
                    tx.commit().await.map_err(store_error)
                }

                async fn delivery(&self, id: i64) -> StoreResult<WebhookDelivery> {
                    let row: Option<DeliveryRow> = sqlx::query_as(sql::DELIVERY_BY_ID)
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(store_error)?;
                    row.map(WebhookDelivery::from).ok_or(StoreError::NotFound)
                }

                async fn deliveries(
                    &self,
                    webhook: i64,
                    limit: u32,
                ) -> StoreResult<Vec<WebhookDelivery>> {
                    let rows: Vec<DeliveryRow> = sqlx::query_as(sql::DELIVERIES)
                        .bind(webhook)
                        .bind(i64::from(limit))
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(rows.into_iter().map(WebhookDelivery::from).collect())
                }

                async fn record_attempt(
                    &self,
                    id: i64,
                    attempt: &Attempt,
                    now: DateTime<Utc>,
                ) -> StoreResult<()> {
                    let delivered =
                        (attempt.state == DeliveryState::Delivered).then(|| stored_time(now));
                    let _writing = self.writing().await;
                    sqlx::query(sql::RECORD_ATTEMPT)
                        .bind(id)
                        .bind(attempt.state.as_str())
                        .bind(attempt.status.map(i64::from))
                        .bind(&attempt.error)
                        .bind(attempt.duration_ms)
                        .bind(delivered)
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(())
                }
            }
        };
    };
}

pub(crate) use impl_newsletters;
