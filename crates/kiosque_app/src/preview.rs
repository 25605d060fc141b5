//! Preview links: an unguessable `/preview/{token}` rendering an article's current
//! version as readers will see it, for people without an account (a source, a
//! lawyer). The token is signed, not stored: `{id}-{expiry}-{signature}`, the
//! signature an HMAC-SHA256 under a key kept in the database (one for every node),
//! so a leaked database row yields no link. A link expires (7 days by default,
//! `[server] preview_days`), stops working once the article is unpublished, and is
//! only ever made for someone who may edit the article.

use crate::app::App;
use crate::error::{Error, Result};
use crate::policy::{self, Actor};
use chrono::{DateTime, Duration, Utc};
use kiosque_domain::article::ArticleStatus;
use kiosque_domain::secret::{random_token, same_secret, sign};
use kiosque_domain::{Article, ArticleId};

/// Where the signing key is kept (`site_meta`).
const KEY: &str = "preview.signing_key";

/// How long a preview link works unless configured otherwise.
pub const DEFAULT_LIFETIME: Duration = Duration::days(7);

async fn signing_key(app: &App) -> Result<String> {
    if let Some(key) = app.stores.meta.meta(KEY).await? {
        return Ok(key);
    }
    app.stores.meta.set_meta(KEY, &random_token()).await?;
    // Read back: of two nodes making one at once, the last write is everyone's.
    app.stores
        .meta
        .meta(KEY)
        .await?
        .ok_or_else(|| Error::Internal("the preview key vanished".into()))
}

fn message(id: ArticleId, expires: i64) -> String {
    format!("preview:{}:{expires}", id.0)
}

/// A preview path for `article`, valid until `now + lifetime`, for someone who may
/// edit it (anyone else is refused as the edit would be).
pub async fn link(
    app: &App,
    actor: &Actor,
    article: &Article,
    lifetime: Duration,
) -> Result<String> {
    policy::edit(actor, article)?;
    let expires = (app.now() + lifetime).timestamp();
    let key = signing_key(app).await?;
    let signature = sign(&key, &message(article.id, expires));
    Ok(format!("/preview/{}-{expires}-{signature}", article.id.0))
}

/// The article behind a preview token, if the token is genuine, unexpired and the
/// article not withdrawn; otherwise not found (nothing tells why).
pub async fn open(app: &App, token: &str, now: DateTime<Utc>) -> Result<Article> {
    let mut parts = token.splitn(3, '-');
    let (Some(id), Some(expires), Some(signature)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(Error::NotFound);
    };
    let (Ok(id), Ok(expires)) = (id.parse::<i64>(), expires.parse::<i64>()) else {
        return Err(Error::NotFound);
    };
    if expires <= now.timestamp() {
        return Err(Error::NotFound);
    }
    let Some(key) = app.stores.meta.meta(KEY).await? else {
        return Err(Error::NotFound);
    };
    if !same_secret(&sign(&key, &message(ArticleId(id), expires)), signature) {
        return Err(Error::NotFound);
    }
    let article = app.stores.articles.article(ArticleId(id)).await?;
    if article.status == ArticleStatus::Unpublished {
        return Err(Error::NotFound);
    }
    Ok(article)
}
