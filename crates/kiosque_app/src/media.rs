//! The media library's edits: the default alt text, credit, copyright and focal
//! point. Moving the focal point cuts the crops again (real renditions, not a CSS
//! position) and purges the pages that show the picture.

use crate::purge::Purge;
use crate::{App, Error, Result, policy::Actor};
use kiosque_domain::MediaId;
use kiosque_domain::media::{FocalPoint, MediaDetails};

/// Saves `details`; a new focal point remakes the crops and purges the articles
/// whose lead the picture is (their pages, and the listings that show their cards).
pub async fn update_details(
    app: &App,
    actor: &Actor,
    id: MediaId,
    details: &MediaDetails,
) -> Result<()> {
    crate::policy::describe_media(actor)?;
    let before = app.stores.media.media(id).await?;
    let focal = FocalPoint::new(details.focal.x, details.focal.y);
    app.stores.media.update_media(id, details).await?;
    let moved = (before.focal.x - focal.x).abs() > 1e-6 || (before.focal.y - focal.y).abs() > 1e-6;
    if !moved {
        return Ok(());
    }
    let library = kiosque_media::MediaLibrary::new(app.blobs.clone(), app.stores.media.clone());
    library
        .recrop(&before, focal)
        .await
        .map_err(|e| Error::Internal(format!("cutting the crops of media {}: {e}", id.0)))?;
    let leads = app.stores.media.articles_with_lead(id).await?;
    if !leads.is_empty() {
        let mut articles = Vec::with_capacity(leads.len());
        for article in leads {
            articles.push(app.stores.articles.article(article).await?);
        }
        let mut purge = Purge::articles(&articles);
        purge.merge(Purge::front(None));
        app.front_changed(purge);
    }
    Ok(())
}
