//! The media library: every stored image with its number (to pick it in the editor),
//! its default alt text and credit; uploads.

use super::{AdminLayout, admin_html, check_same_origin, see_other};
use crate::auth::Staff;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use kiosque_domain::MediaId;
use kiosque_domain::media::{FocalPoint, MediaDetails};
use kiosque_media::{ImageMeta, MediaError, MediaLibrary};
use serde::{Deserialize, Serialize};

const PAGE: u32 = 60;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/media", get(show_library).post(upload))
        .route("/admin/media/{id}", post(update))
}

#[derive(Serialize)]
struct Item {
    id: i64,
    thumb: String,
    url: String,
    width: u32,
    height: u32,
    alt: String,
    credit: String,
    copyright: String,
    /// Focal point in percent of width and height.
    focal_x: u32,
    focal_y: u32,
}

#[derive(Serialize)]
struct LibraryPage {
    layout: AdminLayout,
    ui_lang: &'static str,
    items: Vec<Item>,
    more_href: Option<String>,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
struct PageQuery {
    avant: Option<i64>,
}

async fn library_page(
    state: &AppState,
    staff: &Staff,
    before: Option<i64>,
    error: Option<String>,
) -> Result<Response, AppError> {
    let media = state
        .stores
        .media
        .list_media(before.map(MediaId), PAGE)
        .await?;
    let more_href = (media.len() == PAGE as usize)
        .then(|| media.last().map(|m| format!("/admin/media?avant={}", m.id)))
        .flatten();
    let items = media
        .into_iter()
        .map(|m| Item {
            id: m.id.0,
            thumb: m.best_for_width(240).url,
            url: m.url(),
            width: m.width,
            height: m.height,
            alt: m.alt,
            credit: m.credit,
            copyright: m.copyright,
            focal_x: percent(m.focal.x),
            focal_y: percent(m.focal.y),
        })
        .collect();
    let title = state.catalogs.text(state.site().locale, "admin-nav-media");
    let layout = AdminLayout::new(state, Some(staff), title, "/admin/media");
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = LibraryPage {
        ui_lang: layout.ui_lang,
        layout,
        items,
        more_href,
        error,
    };
    Ok(admin_html(
        status,
        state.templates.render("admin/media.html", page)?,
    ))
}

async fn show_library(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    library_page(&state, &staff, q.avant, None).await
}

async fn upload(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    let (mut csrf, mut alt, mut credit, mut file) =
        (String::new(), String::new(), String::new(), None);
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(e.to_string()))?
    {
        match field.name().unwrap_or_default() {
            "file" => {
                let name = field.file_name().unwrap_or("image").to_owned();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| AppError::BadRequest(e.to_string()))?;
                file = Some((name, bytes.to_vec()));
            }
            "csrf" => csrf = field.text().await.unwrap_or_default(),
            "alt" => alt = field.text().await.unwrap_or_default(),
            "credit" => credit = field.text().await.unwrap_or_default(),
            _ => {}
        }
    }
    staff.check_csrf(&csrf)?;
    let c = &state.catalogs;
    let locale = state.site().locale;
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return library_page(
            &state,
            &staff,
            None,
            Some(c.text(locale, "admin-error-not-an-image")),
        )
        .await;
    };
    let library = MediaLibrary::new(state.blobs.clone(), state.stores.media.clone());
    match library
        .add_image(
            bytes,
            ImageMeta {
                name,
                alt,
                credit,
                ..Default::default()
            },
        )
        .await
    {
        Ok(media) => {
            state
                .stores
                .accounts
                .audit(
                    Some(staff.user.id),
                    "media.upload",
                    &media.id.to_string(),
                    &media.storage_key,
                    state.now(),
                )
                .await?;
            Ok(see_other("/admin/media"))
        }
        Err(MediaError::NotAnImage(_)) => {
            library_page(
                &state,
                &staff,
                None,
                Some(c.text(locale, "admin-error-not-an-image")),
            )
            .await
        }
        Err(MediaError::TooLarge { .. }) => {
            library_page(
                &state,
                &staff,
                None,
                Some(c.text(locale, "admin-error-image-too-large")),
            )
            .await
        }
        Err(e) => Err(AppError::Internal(format!("storing an upload: {e}"))),
    }
}

fn percent(fraction: f64) -> u32 {
    // A focal point is clamped to 0..=1, so this is 0..=100.
    (fraction * 100.0).round().clamp(0.0, 100.0) as u32
}

#[derive(Debug, Deserialize)]
struct MediaForm {
    csrf: String,
    alt: String,
    credit: String,
    #[serde(default)]
    copyright: String,
    /// Percent of the width, from the left.
    focal_x: Option<f64>,
    /// Percent of the height, from the top.
    focal_y: Option<f64>,
}

async fn update(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<MediaForm>,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    staff.check_csrf(&form.csrf)?;
    kiosque_app::media::update_details(
        &state,
        &staff.actor(),
        MediaId(id),
        &MediaDetails {
            alt: form.alt,
            credit: form.credit,
            copyright: form.copyright,
            focal: FocalPoint::new(
                form.focal_x.unwrap_or(50.0) / 100.0,
                form.focal_y.unwrap_or(50.0) / 100.0,
            ),
        },
    )
    .await?;
    Ok(see_other("/admin/media"))
}
