//! Push alerts: subscriptions, alerts and their deliveries (`AlertStore`), for both
//! backends.

use chrono::{DateTime, Utc};
use kiosque_domain::UserId;
use kiosque_domain::alert::{Alert, NewAlert};

pub(crate) mod sql {
    pub const SUBSCRIBE: &str = "INSERT INTO push_subscriptions (endpoint, p256dh, auth, created_at) VALUES ($1, $2, $3, $4) \
        ON CONFLICT (endpoint) DO UPDATE SET p256dh = excluded.p256dh, auth = excluded.auth RETURNING id";
    pub const CLEAR_TOPICS: &str =
        "DELETE FROM push_subscription_topics WHERE subscription_id = $1";
    pub const ADD_TOPIC: &str = "INSERT INTO push_subscription_topics (subscription_id, topic) VALUES ($1, $2) ON CONFLICT DO NOTHING";
    pub const UNSUBSCRIBE: &str = "DELETE FROM push_subscriptions WHERE endpoint = $1";
    pub const SUBSCRIPTION: &str =
        "SELECT id, endpoint, p256dh, auth, created_at FROM push_subscriptions WHERE endpoint = $1";
    pub const TOPICS_OF: &str =
        "SELECT topic FROM push_subscription_topics WHERE subscription_id = $1 ORDER BY topic";
    pub const INSERT_ALERT: &str = "INSERT INTO push_alerts (title, body, url, topics, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
    pub const ADDRESS_TOPIC: &str = "INSERT INTO push_deliveries (alert_id, subscription_id, state, attempts, next_at) \
        SELECT $1, subscription_id, 'pending', 0, $3 FROM push_subscription_topics WHERE topic = $2 ON CONFLICT DO NOTHING";
    pub const COUNT_RECIPIENTS: &str = "UPDATE push_alerts SET recipients = (SELECT COUNT(*) FROM push_deliveries WHERE alert_id = $1) WHERE id = $1";
    pub const ALERT_COLUMNS_BY_ID: &str = "SELECT id, title, body, url, topics, created_by, created_at, recipients, sent, retried, dropped, failed FROM push_alerts WHERE id = $1";
    pub const ALERTS: &str = "SELECT id, title, body, url, topics, created_by, created_at, recipients, sent, retried, dropped, failed FROM push_alerts ORDER BY id DESC LIMIT $1";
    /// The state condition is repeated outside the subquery: a concurrent claim that
    /// took the row first makes it fail here (PostgreSQL re-reads a row it waited for).
    pub const CLAIM: &str = "UPDATE push_deliveries SET state = 'sending', claimed_at = $2, claim = $5 \
        WHERE alert_id = $1 AND ((state = 'pending' AND next_at <= $2) OR (state = 'sending' AND claimed_at < $3)) \
        AND subscription_id IN (SELECT subscription_id FROM push_deliveries WHERE alert_id = $1 \
        AND ((state = 'pending' AND next_at <= $2) OR (state = 'sending' AND claimed_at < $3)) LIMIT $4) \
        RETURNING subscription_id";
    pub const CLAIMED: &str = "SELECT d.subscription_id, d.attempts, s.endpoint, s.p256dh, s.auth FROM push_deliveries d \
        JOIN push_subscriptions s ON s.id = d.subscription_id WHERE d.alert_id = $1 AND d.claim = $2";
    pub const SENT: &str = "UPDATE push_deliveries SET state = 'sent', attempts = attempts + 1, claim = NULL WHERE alert_id = $1 AND subscription_id = $2";
    pub const RETRY: &str = "UPDATE push_deliveries SET state = 'pending', attempts = attempts + 1, next_at = $3, claim = NULL WHERE alert_id = $1 AND subscription_id = $2";
    pub const GONE: &str = "UPDATE push_deliveries SET state = 'gone', attempts = attempts + 1, claim = NULL WHERE alert_id = $1 AND subscription_id = $2";
    pub const FAILED: &str = "UPDATE push_deliveries SET state = 'failed', attempts = attempts + 1, claim = NULL WHERE alert_id = $1 AND subscription_id = $2";
    pub const DELETE_SUBSCRIPTION: &str = "DELETE FROM push_subscriptions WHERE id = $1";
    pub const COUNT: &str = "UPDATE push_alerts SET sent = sent + $2, retried = retried + $3, dropped = dropped + $4, failed = failed + $5 WHERE id = $1";
    pub const NEXT_RETRY: &str = "SELECT MIN(next_at) FROM push_deliveries WHERE alert_id = $1 AND state IN ('pending', 'sending')";
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct AlertRow {
    id: i64,
    title: String,
    body: String,
    url: String,
    topics: String,
    created_by: Option<i64>,
    created_at: DateTime<Utc>,
    recipients: i64,
    sent: i64,
    retried: i64,
    dropped: i64,
    failed: i64,
}

impl From<AlertRow> for Alert {
    fn from(r: AlertRow) -> Self {
        Self {
            id: r.id,
            content: NewAlert {
                title: r.title,
                body: r.body,
                url: r.url,
                topics: r
                    .topics
                    .split(',')
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
                    .collect(),
            },
            created_by: r.created_by.map(UserId),
            created_at: r.created_at,
            recipients: r.recipients,
            sent: r.sent,
            retried: r.retried,
            dropped: r.dropped,
            failed: r.failed,
        }
    }
}

/// A claim's own mark, so that its rows are read back and no others.
pub(crate) fn claim_token() -> String {
    kiosque_domain::secret::random_token()
}

macro_rules! impl_alerts {
    ($store:ty) => {
        const _: () = {
            use async_trait::async_trait;
            use chrono::{DateTime, Utc};
            use kiosque_domain::alert::{
                Alert, Delivery, DeliveryOutcome, NewAlert, PUSH_JOB, PushSubscription,
            };
            use kiosque_domain::store::AlertStore;
            use kiosque_domain::{StoreError, StoreResult, UserId};
            use $crate::alerts::{AlertRow, claim_token, sql};
            use $crate::shared::{store_error, stored_time};

            #[async_trait]
            impl AlertStore for $store {
                async fn subscribe(
                    &self,
                    endpoint: &str,
                    p256dh: &str,
                    auth: &str,
                    topics: &[String],
                    now: DateTime<Utc>,
                ) -> StoreResult<i64> {
                    let _writing = self.writing().await;
                    let mut tx = self.pool.begin().await.map_err(store_error)?;
                    let id: i64 = sqlx::query_scalar(sql::SUBSCRIBE)
                        .bind(endpoint)
                        .bind(p256dh)
                        .bind(auth)
                        .bind(stored_time(now))
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(store_error)?;
                    sqlx::query(sql::CLEAR_TOPICS)
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(store_error)?;
                    for topic in topics {
                        sqlx::query(sql::ADD_TOPIC)
                            .bind(id)
                            .bind(topic)
                            .execute(&mut *tx)
                            .await
                            .map_err(store_error)?;
                    }
                    tx.commit().await.map_err(store_error)?;
                    Ok(id)
                }

                async fn unsubscribe(&self, endpoint: &str) -> StoreResult<bool> {
                    let _writing = self.writing().await;
                    let done = sqlx::query(sql::UNSUBSCRIBE)
                        .bind(endpoint)
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(done.rows_affected() > 0)
                }

                async fn subscription(
                    &self,
                    endpoint: &str,
                ) -> StoreResult<Option<PushSubscription>> {
                    let row: Option<(i64, String, String, String, DateTime<Utc>)> =
                        sqlx::query_as(sql::SUBSCRIPTION)
                            .bind(endpoint)
                            .fetch_optional(&self.pool)
                            .await
                            .map_err(store_error)?;
                    let Some((id, endpoint, p256dh, auth, created_at)) = row else {
                        return Ok(None);
                    };
                    let topics: Vec<String> = sqlx::query_scalar(sql::TOPICS_OF)
                        .bind(id)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(Some(PushSubscription {
                        id,
                        endpoint,
                        p256dh,
                        auth,
                        topics,
                        created_at,
                    }))
                }

                async fn create_alert(
                    &self,
                    alert: &NewAlert,
                    by: Option<UserId>,
                    now: DateTime<Utc>,
                ) -> StoreResult<Alert> {
                    let now = stored_time(now);
                    let id = {
                        let _writing = self.writing().await;
                        let mut tx = self.pool.begin().await.map_err(store_error)?;
                        let id: i64 = sqlx::query_scalar(sql::INSERT_ALERT)
                            .bind(&alert.title)
                            .bind(&alert.body)
                            .bind(&alert.url)
                            .bind(alert.topics.join(","))
                            .bind(by.map(|u| u.0))
                            .bind(now)
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(store_error)?;
                        for topic in &alert.topics {
                            sqlx::query(sql::ADDRESS_TOPIC)
                                .bind(id)
                                .bind(topic)
                                .bind(now)
                                .execute(&mut *tx)
                                .await
                                .map_err(store_error)?;
                        }
                        sqlx::query(sql::COUNT_RECIPIENTS)
                            .bind(id)
                            .execute(&mut *tx)
                            .await
                            .map_err(store_error)?;
                        sqlx::query($crate::shared::sql::ENQUEUE_JOB)
                            .bind(PUSH_JOB)
                            .bind(id.to_string())
                            .bind(now)
                            .bind(now)
                            .execute(&mut *tx)
                            .await
                            .map_err(store_error)?;
                        tx.commit().await.map_err(store_error)?;
                        id
                    };
                    self.alert(id).await
                }

                async fn alert(&self, id: i64) -> StoreResult<Alert> {
                    let row: Option<AlertRow> = sqlx::query_as(sql::ALERT_COLUMNS_BY_ID)
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(store_error)?;
                    row.map(Alert::from).ok_or(StoreError::NotFound)
                }

                async fn alerts(&self, limit: u32) -> StoreResult<Vec<Alert>> {
                    let rows: Vec<AlertRow> = sqlx::query_as(sql::ALERTS)
                        .bind(i64::from(limit))
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(rows.into_iter().map(Alert::from).collect())
                }

                async fn claim_deliveries(
                    &self,
                    alert: i64,
                    now: DateTime<Utc>,
                    stale_before: DateTime<Utc>,
                    limit: u32,
                ) -> StoreResult<Vec<Delivery>> {
                    let claim = claim_token();
                    let claimed: Vec<i64> = {
                        let _writing = self.writing().await;
                        sqlx::query_scalar(sql::CLAIM)
                            .bind(alert)
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
                    let rows: Vec<(i64, i64, String, String, String)> =
                        sqlx::query_as(sql::CLAIMED)
                            .bind(alert)
                            .bind(&claim)
                            .fetch_all(&self.pool)
                            .await
                            .map_err(store_error)?;
                    let mut deliveries: Vec<Delivery> = rows
                        .into_iter()
                        .map(
                            |(subscription_id, attempts, endpoint, p256dh, auth)| Delivery {
                                subscription_id,
                                endpoint,
                                p256dh,
                                auth,
                                attempts,
                            },
                        )
                        .collect();
                    // A subscription deleted since the alert was written: nothing to
                    // send to (an empty endpoint tells the caller it is gone).
                    for id in claimed {
                        if !deliveries.iter().any(|d| d.subscription_id == id) {
                            deliveries.push(Delivery {
                                subscription_id: id,
                                endpoint: String::new(),
                                p256dh: String::new(),
                                auth: String::new(),
                                attempts: 0,
                            });
                        }
                    }
                    Ok(deliveries)
                }

                async fn finish_deliveries(
                    &self,
                    alert: i64,
                    outcomes: &[(i64, DeliveryOutcome)],
                ) -> StoreResult<()> {
                    let (mut sent, mut retried, mut dropped, mut failed) = (0i64, 0i64, 0i64, 0i64);
                    let _writing = self.writing().await;
                    let mut tx = self.pool.begin().await.map_err(store_error)?;
                    for (subscription, outcome) in outcomes {
                        let query = match outcome {
                            DeliveryOutcome::Sent => {
                                sent += 1;
                                sqlx::query(sql::SENT).bind(alert).bind(subscription)
                            }
                            DeliveryOutcome::Retry { at } => {
                                retried += 1;
                                sqlx::query(sql::RETRY)
                                    .bind(alert)
                                    .bind(subscription)
                                    .bind(stored_time(*at))
                            }
                            DeliveryOutcome::Gone => {
                                dropped += 1;
                                sqlx::query(sql::DELETE_SUBSCRIPTION)
                                    .bind(subscription)
                                    .execute(&mut *tx)
                                    .await
                                    .map_err(store_error)?;
                                sqlx::query(sql::GONE).bind(alert).bind(subscription)
                            }
                            DeliveryOutcome::Failed => {
                                failed += 1;
                                sqlx::query(sql::FAILED).bind(alert).bind(subscription)
                            }
                        };
                        query.execute(&mut *tx).await.map_err(store_error)?;
                    }
                    sqlx::query(sql::COUNT)
                        .bind(alert)
                        .bind(sent)
                        .bind(retried)
                        .bind(dropped)
                        .bind(failed)
                        .execute(&mut *tx)
                        .await
                        .map_err(store_error)?;
                    tx.commit().await.map_err(store_error)
                }

                async fn next_retry(&self, alert: i64) -> StoreResult<Option<DateTime<Utc>>> {
                    sqlx::query_scalar(sql::NEXT_RETRY)
                        .bind(alert)
                        .fetch_one(&self.pool)
                        .await
                        .map_err(store_error)
                }
            }
        };
    };
}

pub(crate) use impl_alerts;
