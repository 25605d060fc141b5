//! Newsletters for readers: `/newsletters` (the list), `/newsletters/{slug}` (one,
//! with its form; the form's POST asks for a confirmation mail), the mailed
//! confirmation link (a button; only its POST confirms), and the per-recipient
//! unsubscribe address (a button in a browser; a POST with no session and no CSRF
//! token, as RFC 8058 one-click asks, unsubscribes). Also the edition's mail, rendered
//! here from the templates for the back office and the API.

use crate::community::{commenter, ip_key};
use crate::error::AppError;
use crate::state::AppState;
use crate::views::Layout;
use axum::Router;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use chrono::Duration;
use fluent_bundle::FluentValue;
use kiosque_app::newsletters::{self, Subscribed};
use kiosque_domain::newsletter::{Edition, Newsletter, RenderedEdition, UNSUBSCRIBE_PLACEHOLDER};
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/newsletters", get(list))
        .route(
            "/newsletters/confirmer/{token}",
            get(show_confirm).post(confirm),
        )
        .route(
            "/newsletters/desabonnement/{token}",
            get(show_unsubscribe).post(unsubscribe),
        )
        .route("/newsletters/{slug}", get(show_one).post(subscribe))
}

#[derive(Serialize, Default)]
struct NewsletterView {
    slug: String,
    name: String,
    description: String,
    send_time: Option<String>,
}

fn view_of(n: &Newsletter) -> NewsletterView {
    NewsletterView {
        slug: n.slug.clone(),
        name: n.name.clone(),
        description: n.description.clone(),
        send_time: n.send_time.clone(),
    }
}

#[derive(Serialize)]
struct NewslettersPage {
    layout: Layout,
    ui_lang: &'static str,
    view: &'static str,
    heading: String,
    intro: String,
    error: Option<String>,
    newsletters: Vec<NewsletterView>,
    newsletter: Option<NewsletterView>,
    email: String,
    action: String,
    button: String,
    link_href: String,
    link_text: String,
}

impl NewslettersPage {
    fn new(layout: Layout, view: &'static str, heading: String) -> Self {
        Self {
            ui_lang: layout.ui_lang,
            layout,
            view,
            heading,
            intro: String::new(),
            error: None,
            newsletters: Vec::new(),
            newsletter: None,
            email: String::new(),
            action: String::new(),
            button: String::new(),
            link_href: String::new(),
            link_text: String::new(),
        }
    }
}

fn text(state: &AppState, key: &str, args: &[(&str, &str)]) -> String {
    let args: Vec<(&str, FluentValue<'_>)> = args
        .iter()
        .map(|(k, v)| (*k, FluentValue::from(v.to_string())))
        .collect();
    state.catalogs.message(state.site().locale, key, &args)
}

async fn layout(state: &AppState, title: &str, path: Option<&str>) -> Result<Layout, AppError> {
    let site = state.site();
    let tree = state.section_tree().await?;
    let layout = Layout::new(state, &tree, format!("{title} | {}", site.name), None);
    Ok(match path {
        Some(path) => layout.canonical(&site, path),
        None => {
            let mut l = layout;
            l.robots = Some("noindex");
            l
        }
    })
}

fn private(html: String, status: StatusCode) -> Response {
    let mut response = (status, Html(html)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn list(State(state): State<AppState>) -> Result<Response, AppError> {
    let heading = text(&state, "newsletters-title", &[]);
    let mut page = NewslettersPage::new(
        layout(&state, &heading, Some("/newsletters")).await?,
        "list",
        heading,
    );
    page.intro = text(&state, "newsletters-intro", &[]);
    page.newsletters = newsletters::list(&state)
        .await?
        .iter()
        .map(view_of)
        .collect();
    let html = state.templates.render("newsletters.html", page)?;
    Ok(crate::pages::cached_html(html, 300))
}

async fn one_page(
    state: &AppState,
    n: &Newsletter,
    email: &str,
    error: Option<String>,
) -> Result<String, AppError> {
    let path = format!("/newsletters/{}", n.slug);
    let mut page = NewslettersPage::new(
        layout(state, &n.name, Some(&path)).await?,
        "one",
        n.name.clone(),
    );
    page.intro = n.description.clone();
    page.newsletter = Some(view_of(n));
    page.email = email.to_owned();
    page.error = error;
    page.link_href = "/newsletters".into();
    page.link_text = text(state, "newsletters-back", &[]);
    Ok(state.templates.render("newsletters.html", page)?)
}

async fn show_one(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let n = newsletters::by_slug(&state, &slug).await?;
    let html = one_page(&state, &n, "", None).await?;
    Ok(crate::pages::cached_html(html, 300))
}

/// The client's address, for the rate limits.
struct ClientIp(String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        Ok(Self(ip_key(state, parts)))
    }
}

#[derive(Debug, Deserialize)]
struct SubscribeForm {
    email: String,
    #[serde(default)]
    page: Option<String>,
}

async fn message(
    state: &AppState,
    title_key: &str,
    text_key: &str,
    args: &[(&str, &str)],
    status: StatusCode,
) -> Result<Response, AppError> {
    let heading = text(state, title_key, &[]);
    let mut page = NewslettersPage::new(layout(state, &heading, None).await?, "message", heading);
    page.intro = text(state, text_key, args);
    page.link_href = "/newsletters".into();
    page.link_text = text(state, "newsletters-back", &[]);
    Ok(private(
        state.templates.render("newsletters.html", page)?,
        status,
    ))
}

/// A mailed link that expired, was used, or was never made: 404 with a way back.
async fn invalid_link(state: &AppState) -> Result<Response, AppError> {
    message(
        state,
        "newsletters-invalid-title",
        "newsletters-invalid-text",
        &[],
        StatusCode::NOT_FOUND,
    )
    .await
}

/// The form's POST (also from the sign-up block of article pages): same-origin
/// only, rate limited per client and per address; the answer never tells whether
/// the address was subscribed already.
async fn subscribe(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    axum::Form(form): axum::Form<SubscribeForm>,
) -> Result<Response, AppError> {
    crate::http::check_same_origin(&state, &headers)?;
    let n = newsletters::by_slug(&state, &slug).await?;
    let email = form.email.trim().to_lowercase();
    let allowed = state
        .throttle
        .allow_all(
            &[
                (&format!("newsletter-ip:{ip}"), 10, Duration::minutes(15)),
                (&format!("newsletter-mail:{email}"), 3, Duration::hours(1)),
            ],
            state.now(),
        )
        .await;
    if !allowed {
        let html = one_page(
            &state,
            &n,
            &form.email,
            Some(text(&state, "newsletters-error-throttled", &[])),
        )
        .await?;
        return Ok(private(html, StatusCode::TOO_MANY_REQUESTS));
    }
    let reader = commenter(&state, &headers)
        .await?
        .filter(|c| c.session.is_some())
        .map(|c| c.reader);
    match newsletters::subscribe(
        &state,
        &n,
        &form.email,
        form.page.as_deref(),
        reader.as_ref(),
    )
    .await
    {
        Ok(Subscribed::Confirmed) => {
            message(
                &state,
                "newsletters-confirmed-title",
                "newsletters-confirmed-text",
                &[("name", &n.name)],
                StatusCode::OK,
            )
            .await
        }
        Ok(Subscribed::CheckYourMail) => {
            message(
                &state,
                "newsletters-sent-title",
                "newsletters-sent-text",
                &[("name", &n.name)],
                StatusCode::OK,
            )
            .await
        }
        Err(kiosque_app::Error::Invalid(_)) => {
            let html = one_page(
                &state,
                &n,
                &form.email,
                Some(text(&state, "newsletters-error-email", &[])),
            )
            .await?;
            Ok(private(html, StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(e) => Err(e.into()),
    }
}

async fn show_confirm(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let Some((sub, n)) = newsletters::pending(&state, &token).await? else {
        return invalid_link(&state).await;
    };
    let heading = text(&state, "newsletters-confirm-title", &[]);
    let mut page = NewslettersPage::new(layout(&state, &heading, None).await?, "confirm", heading);
    page.intro = text(
        &state,
        "newsletters-confirm-text",
        &[("name", &n.name), ("email", &sub.email)],
    );
    page.action = format!("{}{token}", newsletters::CONFIRM_PATH);
    page.button = text(&state, "newsletters-confirm-button", &[]);
    Ok(private(
        state.templates.render("newsletters.html", page)?,
        StatusCode::OK,
    ))
}

async fn confirm(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    crate::http::check_same_origin(&state, &headers)?;
    match newsletters::confirm(&state, &token).await? {
        Some((_, n)) => {
            message(
                &state,
                "newsletters-confirmed-title",
                "newsletters-confirmed-text",
                &[("name", &n.name)],
                StatusCode::OK,
            )
            .await
        }
        None => invalid_link(&state).await,
    }
}

async fn show_unsubscribe(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let Some((sub, n)) = newsletters::by_unsubscribe_token(&state, &token).await? else {
        return invalid_link(&state).await;
    };
    let heading = text(&state, "newsletters-unsubscribe-title", &[]);
    let mut page = NewslettersPage::new(
        layout(&state, &heading, None).await?,
        "unsubscribe",
        heading,
    );
    page.intro = text(
        &state,
        "newsletters-unsubscribe-text",
        &[("name", &n.name), ("email", &sub.email)],
    );
    page.action = format!("{}{token}", newsletters::UNSUBSCRIBE_PATH);
    page.button = text(&state, "newsletters-unsubscribe-button", &[]);
    Ok(private(
        state.templates.render("newsletters.html", page)?,
        StatusCode::OK,
    ))
}

/// RFC 8058: the mail client POSTs `List-Unsubscribe=One-Click` with no cookie and
/// no token of ours; the signed address is the proof. The page's button posts here too.
async fn unsubscribe(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    match newsletters::unsubscribe_by_token(&state, &token).await? {
        Some(n) => {
            message(
                &state,
                "newsletters-unsubscribed-title",
                "newsletters-unsubscribed-text",
                &[("name", &n.name)],
                StatusCode::OK,
            )
            .await
        }
        None => invalid_link(&state).await,
    }
}

#[derive(Serialize)]
struct MailImage {
    url: String,
    width: u32,
    height: u32,
    alt: String,
}

#[derive(Serialize)]
struct MailArticle {
    url: String,
    kicker: Option<String>,
    headline: String,
    standfirst: String,
    image: Option<MailImage>,
    credit: String,
}

#[derive(Serialize)]
struct MailContext {
    lang: &'static str,
    subject: String,
    preheader: String,
    site_name: String,
    site_url: String,
    newsletter_name: String,
    date: String,
    intro_html: String,
    intro_text: String,
    articles: Vec<MailArticle>,
    read_more: String,
    why: String,
    unsubscribe: &'static str,
    unsubscribe_text: String,
}

/// Width of the mail's pictures, in CSS pixels (the 600 px column less its margins).
const MAIL_IMAGE_WIDTH: u32 = 552;

/// The edition's mail, HTML and plain text, with [`UNSUBSCRIBE_PLACEHOLDER`] where
/// each recipient's own address goes. Tables and inline styles written in the
/// template (no stylesheet a client could drop), pictures with width, height and
/// alt, a colour scheme declared for dark mode.
pub async fn render_edition(
    state: &AppState,
    newsletter: &Newsletter,
    edition: &Edition,
) -> Result<RenderedEdition, AppError> {
    let site = state.site();
    let articles = newsletters::public_articles(state, &edition.content.articles).await?;
    let intro = kiosque_app::articles::render(&edition.content.intro_markdown).await?;
    let intro_text = crate::pages::live::html_text(&intro.html);
    let date = crate::views::When::new(
        &site,
        edition.send_at.unwrap_or_else(|| state.now()),
        site.locale,
    )
    .text;
    let articles: Vec<MailArticle> = articles
        .iter()
        .map(|a| MailArticle {
            url: site.absolute(&a.canonical_path()),
            kicker: a.kicker.clone(),
            headline: a.headline.clone(),
            standfirst: a.standfirst.clone(),
            image: a.lead_image.as_ref().map(|lead| {
                let best = lead.media.best_for_width(MAIL_IMAGE_WIDTH);
                let height = (u64::from(best.height) * u64::from(MAIL_IMAGE_WIDTH)
                    / u64::from(best.width.max(1))) as u32;
                MailImage {
                    url: site.absolute(&best.url),
                    width: MAIL_IMAGE_WIDTH,
                    height,
                    alt: if lead.alt.is_empty() {
                        lead.media.alt.clone()
                    } else {
                        lead.alt.clone()
                    },
                }
            }),
            credit: a
                .lead_image
                .as_ref()
                .map(|l| {
                    if l.credit.is_empty() {
                        l.media.credit.clone()
                    } else {
                        l.credit.clone()
                    }
                })
                .unwrap_or_default(),
        })
        .collect();
    let preheader = articles
        .first()
        .map(|a| a.headline.clone())
        .unwrap_or_else(|| intro_text.chars().take(120).collect());
    let context = MailContext {
        lang: site.locale.code(),
        subject: edition.content.subject.clone(),
        preheader,
        site_name: site.name.clone(),
        site_url: site.absolute("/"),
        newsletter_name: newsletter.name.clone(),
        date,
        intro_html: intro.html,
        intro_text,
        articles,
        read_more: text(state, "newsletters-mail-read", &[]),
        why: text(
            state,
            "newsletters-mail-why",
            &[("name", &newsletter.name), ("site", &site.name)],
        ),
        unsubscribe: UNSUBSCRIBE_PLACEHOLDER,
        unsubscribe_text: text(state, "newsletters-mail-unsubscribe", &[]),
    };
    Ok(RenderedEdition {
        html: state.templates.render("mail/edition.html", &context)?,
        text: state.templates.render("mail/edition.txt", &context)?,
    })
}
