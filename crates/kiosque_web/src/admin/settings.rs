//! Site settings, for admins: name, description, publisher, base URL, locale, time
//! zone, age-banner threshold. Saved in the database (they then win over
//! `kiosque.toml`) and applied at once.

use super::{AdminLayout, admin_html, check_same_origin, see_other};
use crate::auth::Staff;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use kiosque_domain::{Locale, SiteSettings, StoreError};
use serde::{Deserialize, Serialize};

/// Site-meta key of the settings saved in the back office.
pub use kiosque_app::settings::SETTINGS_KEY;

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/settings", get(show_settings).post(save_settings))
}

/// Reads the settings an admin saved (possibly through another node) into `state`.
pub async fn reload_settings(state: &AppState) -> Result<(), StoreError> {
    kiosque_app::settings::reload_settings(&state.stores, &state.site).await
}

#[derive(Debug, Default, Deserialize, Serialize)]
struct SettingsForm {
    #[serde(default)]
    csrf: String,
    name: String,
    description: String,
    publisher: String,
    base_url: String,
    locale: String,
    timezone: String,
    age_banner_days: String,
}

impl From<&SiteSettings> for SettingsForm {
    fn from(s: &SiteSettings) -> Self {
        Self {
            csrf: String::new(),
            name: s.name.clone(),
            description: s.description.clone(),
            publisher: s.publisher.clone(),
            base_url: s.base_url.clone(),
            locale: s.locale.code().into(),
            timezone: s.timezone.name().into(),
            age_banner_days: s.age_banner_days.to_string(),
        }
    }
}

#[derive(Serialize)]
struct SettingsPage {
    layout: AdminLayout,
    ui_lang: &'static str,
    form: SettingsForm,
    errors: Vec<String>,
    saved: bool,
}

fn page(
    state: &AppState,
    staff: &Staff,
    form: SettingsForm,
    errors: Vec<String>,
    saved: bool,
) -> Result<Response, AppError> {
    let title = state
        .catalogs
        .text(state.site().locale, "admin-nav-settings");
    let layout = AdminLayout::new(state, Some(staff), title, "/admin/settings");
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = SettingsPage {
        ui_lang: layout.ui_lang,
        layout,
        form,
        errors,
        saved,
    };
    Ok(admin_html(
        status,
        state.templates.render("admin/settings.html", page)?,
    ))
}

#[derive(Debug, Deserialize)]
struct SavedQuery {
    saved: Option<String>,
}

async fn show_settings(
    State(state): State<AppState>,
    staff: Staff,
    axum::extract::Query(q): axum::extract::Query<SavedQuery>,
) -> Result<Response, AppError> {
    staff.require_admin()?;
    let site = state.site();
    page(
        &state,
        &staff,
        SettingsForm::from(site.as_ref()),
        Vec::new(),
        q.saved.is_some(),
    )
}

/// Checks a submitted form; returns the settings or catalogue keys of what is wrong.
fn validate(form: &SettingsForm) -> Result<SiteSettings, Vec<&'static str>> {
    let mut errors = Vec::new();
    if form.name.trim().is_empty() {
        errors.push("admin-error-name");
    }
    let base_url = form.base_url.trim().trim_end_matches('/');
    if !(base_url.starts_with("http://") || base_url.starts_with("https://"))
        || base_url.contains(char::is_whitespace)
    {
        errors.push("admin-error-base-url");
    }
    let locale = Locale::from_tag(&form.locale);
    if locale.is_none() {
        errors.push("admin-error-locale");
    }
    let timezone = form.timezone.trim().parse::<chrono_tz::Tz>().ok();
    if timezone.is_none() {
        errors.push("admin-error-timezone");
    }
    let days = form.age_banner_days.trim().parse::<u32>().ok();
    if days.is_none() {
        errors.push("admin-error-days");
    }
    match (locale, timezone, days) {
        (Some(locale), Some(timezone), Some(age_banner_days)) if errors.is_empty() => {
            Ok(SiteSettings {
                name: form.name.trim().into(),
                description: form.description.trim().into(),
                publisher: form.publisher.trim().into(),
                base_url: base_url.into(),
                locale,
                timezone,
                age_banner_days,
            })
        }
        _ => Err(errors),
    }
}

async fn save_settings(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Form(form): Form<SettingsForm>,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    staff.check_csrf(&form.csrf)?;
    staff.require_admin()?;
    let settings = match validate(&form) {
        Ok(s) => s,
        Err(keys) => {
            let locale = state.site().locale;
            let errors = keys
                .into_iter()
                .map(|k| state.catalogs.text(locale, k))
                .collect();
            return page(&state, &staff, form, errors, false);
        }
    };
    let json = serde_json::to_string(&settings).map_err(|e| AppError::Internal(e.to_string()))?;
    state.stores.meta.set_meta(SETTINGS_KEY, &json).await?;
    state
        .stores
        .accounts
        .audit(
            Some(staff.user.id),
            "settings.update",
            &settings.name,
            &json,
            state.now(),
        )
        .await?;
    state.site.set(settings);
    state.site_changed();
    Ok(see_other("/admin/settings?saved=1"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_checked_field_by_field() {
        let mut form = SettingsForm::from(&SiteSettings::default());
        assert!(validate(&form).is_ok());
        form.timezone = "Europe/Atlantis".into();
        form.locale = "de".into();
        form.base_url = "ftp://x".into();
        form.age_banner_days = "-3".into();
        assert_eq!(
            validate(&form).unwrap_err(),
            [
                "admin-error-base-url",
                "admin-error-locale",
                "admin-error-timezone",
                "admin-error-days"
            ]
        );
    }
}
