//! The back office (`/admin`): server-rendered pages for journalists, editors and
//! admins. Every state-changing request is a POST carrying the session's CSRF token;
//! every write purges the page cache so readers see it at once.

mod account;
mod alerts;
mod articles;
mod fronts;
mod import;
mod live_desk;
mod login;
mod media;
mod moderation;
mod newsletters;
mod settings;
mod site_pages;
mod taxonomy;
mod wire;

use crate::auth::Staff;
use crate::state::AppState;
use crate::views::Link;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;

/// Largest request the back office accepts: an article with a photo.
pub const MAX_UPLOAD: usize = 25 * 1024 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(login::routes())
        .merge(articles::routes())
        .merge(account::routes())
        .merge(taxonomy::routes())
        .merge(fronts::routes())
        .merge(media::routes())
        .merge(settings::routes())
        .merge(wire::routes())
        .merge(moderation::routes())
        .merge(site_pages::routes())
        .layer(DefaultBodyLimit::max(MAX_UPLOAD))
        // After the general limit, so that its own (an export may be large) wins.
        .merge(import::routes())
        .merge(live_desk::routes())
        .merge(alerts::routes())
        .merge(newsletters::routes())
}

pub use account::new_api_token;
pub use articles::preview_routes;
pub use settings::{SETTINGS_KEY, reload_settings};

/// What every back-office page shares.
#[derive(Debug, Serialize)]
pub struct AdminLayout {
    pub ui_lang: &'static str,
    pub site_name: String,
    pub title: String,
    pub css_href: String,
    pub js_href: String,
    pub user_name: Option<String>,
    pub is_editor: bool,
    pub is_admin: bool,
    pub csrf: String,
    pub nav: Vec<Link>,
    pub flash: Option<String>,
    /// The site's time zone, in which dates are typed and shown.
    pub timezone: String,
}

impl AdminLayout {
    pub fn new(state: &AppState, staff: Option<&Staff>, title: String, current: &str) -> Self {
        let c = &state.catalogs;
        let locale = state.site().locale;
        let mut nav = Vec::new();
        if let Some(staff) = staff {
            let mut items = vec![
                ("/admin", "admin-nav-dashboard"),
                ("/admin/articles", "admin-nav-articles"),
                ("/admin/articles/new", "admin-nav-new"),
                ("/admin/media", "admin-nav-media"),
                ("/admin/wire", "admin-nav-wire"),
            ];
            if staff.user.role.can_moderate() {
                items.push(("/admin/moderation", "admin-nav-moderation"));
            }
            if staff.user.role.can_publish() {
                items.push(("/admin/alertes", "admin-nav-alerts"));
                items.push(("/admin/newsletters", "admin-nav-newsletters"));
                items.push(("/admin/fronts", "admin-nav-fronts"));
                items.push(("/admin/taxonomy", "admin-nav-taxonomy"));
                items.push(("/admin/pages", "admin-nav-pages"));
                items.push(("/admin/redirects", "admin-nav-redirects"));
            }
            if staff.user.role.can_administer() {
                items.push(("/admin/users", "admin-nav-users"));
                items.push(("/admin/audit", "admin-nav-audit"));
                items.push(("/admin/settings", "admin-nav-settings"));
                items.push(("/admin/import", "admin-nav-import"));
                items.push(("/admin/webhooks", "admin-nav-webhooks"));
            }
            items.push(("/admin/account", "admin-nav-account"));
            nav = items
                .into_iter()
                .map(|(href, key)| Link {
                    name: c.text(locale, key),
                    href: href.into(),
                    current: href == current,
                })
                .collect();
        }
        Self {
            ui_lang: locale.code(),
            site_name: state.site().name.clone(),
            title,
            css_href: crate::assets::admin_css_href(),
            js_href: crate::assets::admin_js_href(),
            user_name: staff.map(|s| s.user.name.clone()),
            is_editor: staff.is_some_and(|s| s.user.role.can_publish()),
            is_admin: staff.is_some_and(|s| s.user.role.can_administer()),
            csrf: staff.map(|s| s.csrf.clone()).unwrap_or_default(),
            nav,
            flash: None,
            timezone: state.site().timezone.name().to_owned(),
        }
    }
}

/// A back-office page: never cached, never indexed.
pub fn admin_html(status: StatusCode, html: String) -> Response {
    let mut response = (status, Html(html)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        "x-robots-tag",
        HeaderValue::from_static("noindex, nofollow"),
    );
    response
}

pub use crate::http::{check_same_origin, see_other};
