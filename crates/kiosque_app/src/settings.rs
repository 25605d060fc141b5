//! Site settings: those an admin saved (in the database, shared by every node) win
//! over `kiosque.toml`; kept in memory behind a lock and swapped whole.

use kiosque_domain::{SiteSettings, StoreError, Stores};
use std::sync::Arc;

/// Where the settings an admin saved are kept (`site_meta`).
pub const SETTINGS_KEY: &str = "site.settings";

/// Site settings behind a lock, swapped whole when an admin saves them.
#[derive(Debug, Clone)]
pub struct SharedSettings(Arc<std::sync::RwLock<Arc<SiteSettings>>>);

impl SharedSettings {
    pub fn new(settings: SiteSettings) -> Self {
        Self(Arc::new(std::sync::RwLock::new(Arc::new(settings))))
    }

    pub fn get(&self) -> Arc<SiteSettings> {
        match self.0.read() {
            Ok(s) => s.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub fn set(&self, settings: SiteSettings) {
        match self.0.write() {
            Ok(mut s) => *s = Arc::new(settings),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(settings),
        }
    }
}

/// The settings in effect at start-up: those saved by an admin, else `from_config`.
pub async fn saved_settings(
    stores: &Stores,
    from_config: &SiteSettings,
) -> Result<SiteSettings, StoreError> {
    match stores.meta.meta(SETTINGS_KEY).await? {
        Some(json) => match serde_json::from_str::<SiteSettings>(&json) {
            Ok(settings) => Ok(settings),
            Err(e) => {
                tracing::warn!(error = %e, "ignoring unreadable saved site settings");
                Ok(from_config.clone())
            }
        },
        None => Ok(from_config.clone()),
    }
}

/// Reads the settings an admin saved (possibly through another node) into `site`;
/// settings never saved stay as configured.
pub async fn reload_settings(stores: &Stores, site: &SharedSettings) -> Result<(), StoreError> {
    if let Some(json) = stores.meta.meta(SETTINGS_KEY).await? {
        match serde_json::from_str::<SiteSettings>(&json) {
            Ok(settings) => site.set(settings),
            Err(e) => tracing::warn!(error = %e, "ignoring unreadable saved site settings"),
        }
    }
    Ok(())
}
