//! Reader accounts and comments through the router: sign-up and verification through
//! the outbox, login, threads, replies, likes, reports, moderation, and the abuse paths
//! (CSRF, XSS, rate limits, honeypot, banned readers, closed threads).

use crate::admin::{Browser, form};
use crate::app::{TestApp, TestResponse, position};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use kiosque_domain::Role;
use kiosque_domain::comment::ReaderAction;
use std::sync::Arc;

const PASSWORD: &str = "un hibou sur la lune";

fn cookie_from(response: &TestResponse, name: &str) -> Option<String> {
    response
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")) && !v.starts_with(&format!("{name}=;")))
        .map(|v| v.split(';').next().unwrap().to_owned())
}

fn hidden(html: &str, name: &str) -> String {
    let marker = format!(r#"name="{name}" value=""#);
    let start = position(html, &marker) + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// A link of `path` with its 64-hex token, from a message.
fn link_in(mail: &str, path: &str) -> String {
    let start = position(mail, path);
    let end = mail[start..]
        .find(|c: char| c.is_whitespace())
        .map_or(mail.len(), |i| start + i);
    mail[start..end].to_owned()
}

/// A visitor's cookies, as a browser keeps them.
pub(crate) struct Visitor<'a> {
    app: &'a TestApp,
    cookies: Vec<String>,
}

impl<'a> Visitor<'a> {
    pub(crate) fn new(app: &'a TestApp) -> Self {
        Visitor {
            app,
            cookies: Vec::new(),
        }
    }

    fn keep(&mut self, response: &TestResponse) {
        for name in ["kq_form", "kq_reader"] {
            if let Some(c) = cookie_from(response, name) {
                self.cookies.retain(|k| !k.starts_with(&format!("{name}=")));
                self.cookies.push(c);
            }
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies.join("; ")
    }

    async fn get(&mut self, path: &str) -> TestResponse {
        let response = self
            .app
            .request(
                Request::get(path)
                    .header("cookie", self.cookie_header())
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        self.keep(&response);
        response
    }

    async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let request = Request::post(path)
            .header("cookie", self.cookie_header())
            .header("content-type", "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(form(fields)))
            .unwrap();
        let response = self.app.request(request).await;
        self.keep(&response);
        response
    }

    /// Posts a form shown at `page`, with the page's CSRF token.
    pub(crate) async fn submit(
        &mut self,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> TestResponse {
        let shown = self.get(page).await;
        assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
        let csrf = hidden(&shown.body, "csrf");
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post(action, &all).await
    }

    /// Signs up, follows the verification link from the outbox; returns logged in.
    async fn sign_up(app: &'a TestApp, email: &str, name: &str) -> Visitor<'a> {
        let mut me = Visitor::new(app);
        let before = std::fs::read_dir(app.outbox())
            .map(|d| d.count())
            .unwrap_or(0);
        let sent = me
            .submit(
                "/compte/inscription",
                "/compte/inscription",
                &[
                    ("email", email),
                    ("display_name", name),
                    ("password", PASSWORD),
                    ("website", ""),
                    ("retour", "/"),
                ],
            )
            .await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
        let mails = app.mails(before + 1).await;
        let to = format!("To: {}", email.to_lowercase());
        let mail = mails.iter().rev().find(|m| m.contains(&to)).unwrap();
        let link = link_in(mail, "/compte/verifier/");
        // Opening the link changes nothing (mail scanners open links): its button does.
        let shown = me.get(&link).await;
        assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
        assert!(!me.cookies.iter().any(|c| c.starts_with("kq_reader=")));
        let path = link.split('?').next().unwrap().to_owned();
        let verified = me.submit(&link, &path, &[]).await;
        assert_eq!(verified.status, StatusCode::SEE_OTHER, "{}", verified.body);
        assert!(me.cookies.iter().any(|c| c.starts_with("kq_reader=")));
        me
    }

    async fn thread(&mut self, article: i64) -> TestResponse {
        self.get(&format!("/commentaires/{article}")).await
    }

    async fn comment(&mut self, article: i64, body: &str, parent: Option<i64>) -> TestResponse {
        let path = format!("/commentaires/{article}");
        let parent = parent.map(|p| p.to_string());
        let mut fields = vec![("body", body)];
        if let Some(p) = &parent {
            fields.push(("parent", p.as_str()));
        }
        self.submit(&path, &path, &fields).await
    }
}

/// A moderator rejects a reported comment, with a reason.
async fn reject_reported(moderator: &Browser<'_>, comment: i64, reason: &str) -> TestResponse {
    moderator
        .post_form(
            "/admin/moderation",
            &[
                ("queue", "reported"),
                ("action", "approve"),
                ("reason", reason),
                ("only", &format!("reject:{comment}")),
            ],
        )
        .await
}

fn comment_id(response: &TestResponse) -> i64 {
    let location = response.header("location");
    location
        .rsplit("#c")
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("no comment in {location:?}: {}", response.body))
}

#[tokio::test]
async fn a_reader_signs_up_verifies_through_the_outbox_and_comments() {
    let app = TestApp::new().await;
    let article = app.fixture.recent.id.0;
    let thread_before = app.get(&format!("/commentaires/{article}")).await;
    assert_eq!(thread_before.status, StatusCode::OK);
    assert!(
        thread_before.body.contains(
            "Connectez-vous à votre compte Kiosque Info pour participer à la conversation."
        )
    );
    assert!(
        thread_before
            .body
            .contains("/compte/connexion?retour=/commentaires/")
    );
    assert!(thread_before.body.contains("Commentaires (0)"));

    let mut lea = Visitor::sign_up(&app, "Lea@Example.org", "Léa <b>M</b>").await;
    let mail = app.mails(1).await.remove(0);
    assert!(
        mail.contains("Subject: Confirmez votre adresse sur Kiosque Info"),
        "{mail}"
    );

    let posted = lea
        .comment(
            article,
            "Bravo <script>alert(1)</script> & voir http://exemple.test/a?b=1&c=2",
            None,
        )
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.body);
    // Links go to pre-moderation by default: the author sees it waiting, others do not.
    assert!(posted.header("location").contains("avis=pending"));
    let own = lea.thread(article).await;
    assert!(
        own.body.contains("En attente de modération"),
        "{}",
        own.body
    );
    assert!(own.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!own.body.contains("<script>alert(1)"));
    assert!(
        own.body.contains(
            r#"<a href="http://exemple.test/a?b=1&amp;c=2" rel="nofollow ugc noopener">"#
        )
    );
    assert!(
        own.body.contains("Léa &lt;b&gt;M&lt;/b&gt;"),
        "display names are escaped"
    );
    assert!(
        !app.get(&format!("/commentaires/{article}"))
            .await
            .body
            .contains("Bravo")
    );

    let plain = lea
        .comment(article, "Un autre avis, sans lien.", None)
        .await;
    assert_eq!(plain.status, StatusCode::SEE_OTHER);
    assert!(!plain.header("location").contains("avis"));
    let public = app.get(&format!("/commentaires/{article}")).await;
    assert!(public.body.contains("Un autre avis, sans lien."));
    assert!(public.body.contains("Commentaires (1)"));
    assert_eq!(
        public.header("cache-control"),
        "public, max-age=0, s-maxage=10",
        "the logged-out view is everyone's"
    );
    assert_eq!(public.header("vary"), "cookie");
    assert_eq!(
        lea.thread(article).await.header("cache-control"),
        "private, no-store"
    );
}

#[tokio::test]
async fn the_article_page_does_not_depend_on_comments_or_the_reader() {
    let app = TestApp::new().await;
    let article = &app.fixture.recent;
    let path = kiosque_domain::url::article_path(&article.section.path, &article.slug, article.id);
    let anonymous = app.get(&path).await;
    let mut lea = Visitor::sign_up(&app, "lea@example.org", "Léa").await;
    lea.comment(article.id.0, "Premier commentaire.", None)
        .await;
    let logged_in = lea.get(&path).await;
    assert_eq!(
        anonymous.body, logged_in.body,
        "the cached page is the same for everyone"
    );
    assert!(!logged_in.body.contains("Premier commentaire."));
    assert!(logged_in.body.contains(&format!(
        r#"data-comments="/commentaires/{}?fragment=1""#,
        article.id.0
    )));
    assert!(
        logged_in
            .body
            .contains(&format!(r#"href="/commentaires/{}""#, article.id.0))
    );
    let fragment = lea
        .get(&format!("/commentaires/{}?fragment=1", article.id.0))
        .await;
    assert!(
        fragment
            .body
            .trim_start()
            .starts_with("<div class=\"thread\""),
        "{}",
        fragment.body
    );
    assert!(!fragment.body.contains("<html"));
    assert!(fragment.body.contains("Premier commentaire."));
    assert!(fragment.body.contains("Connecté en tant que Léa"));
    assert_eq!(fragment.header("cache-control"), "private, no-store");
}

#[tokio::test]
async fn forms_refuse_missing_or_foreign_csrf_tokens() {
    let app = TestApp::new().await;
    let article = app.fixture.recent.id.0;
    let mut lea = Visitor::sign_up(&app, "lea@example.org", "Léa").await;
    let forged = lea
        .post(
            &format!("/commentaires/{article}"),
            &[("csrf", "forged"), ("body", "Piégé")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let cross_site = app
        .request(
            Request::post(format!("/commentaires/{article}"))
                .header("cookie", lea.cookie_header())
                .header("content-type", "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "cross-site")
                .body(Body::from("csrf=x&body=Pi%C3%A9g%C3%A9"))
                .unwrap(),
        )
        .await;
    assert_eq!(cross_site.status, StatusCode::FORBIDDEN);
    // A sign-up without the form cookie: refused, nothing created.
    let mut stranger = Visitor::new(&app);
    let signup = stranger
        .post(
            "/compte/inscription",
            &[
                ("csrf", "x"),
                ("email", "x@example.org"),
                ("display_name", "X"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(signup.status, StatusCode::FORBIDDEN);
    assert!(
        app.stores
            .readers
            .reader_credentials("x@example.org")
            .await
            .unwrap()
            .is_none()
    );
    assert!(!lea.thread(article).await.body.contains("Piégé"));
    // Logged out, a post goes to the login page, back to the thread afterwards.
    let anonymous = app
        .request(
            Request::post(format!("/commentaires/{article}"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from("csrf=x&body=Bonjour"))
                .unwrap(),
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(
        anonymous.header("location"),
        format!("/compte/connexion?retour=/commentaires/{article}%23commentaires")
    );
}

#[tokio::test]
async fn sign_up_and_reset_answer_the_same_whatever_the_address() {
    let app = TestApp::new().await;
    Visitor::sign_up(&app, "lea@example.org", "Léa").await;
    let strip = |body: &str| {
        let start = body.find("<h1").unwrap();
        body[start..].split("csrf").next().unwrap().to_owned()
    };
    let mut a = Visitor::new(&app);
    let known = a
        .submit(
            "/compte/mot-de-passe-oublie",
            "/compte/mot-de-passe-oublie",
            &[("email", "lea@example.org")],
        )
        .await;
    let mut b = Visitor::new(&app);
    let unknown = b
        .submit(
            "/compte/mot-de-passe-oublie",
            "/compte/mot-de-passe-oublie",
            &[("email", "personne@example.org")],
        )
        .await;
    assert_eq!(known.status, unknown.status);
    assert_eq!(
        strip(&known.body).replace("lea@example.org", "X"),
        strip(&unknown.body).replace("personne@example.org", "X")
    );
    // Signing up again with a taken address: the same "check your inbox", and the owner
    // is told, not the person at the keyboard.
    let mut c = Visitor::new(&app);
    let again = c
        .submit(
            "/compte/inscription",
            "/compte/inscription",
            &[
                ("email", "lea@example.org"),
                ("display_name", "Autre"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert!(again.body.contains("Vérifiez votre boîte de réception"));
    let mails = app.mails(3).await;
    assert!(
        mails
            .iter()
            .any(|m| m.contains("Subject: Votre compte sur Kiosque Info"))
    );

    // The reset link works once and ends every session.
    let reset = mails
        .iter()
        .find(|m| m.contains("Nouveau mot de passe"))
        .unwrap();
    let link = link_in(reset, "/compte/reinitialiser/");
    let mut lea = Visitor::new(&app);
    let changed = lea
        .submit(&link, &link, &[("password", "une toute nouvelle phrase")])
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    let reused = Visitor::new(&app).get(&link).await;
    assert_eq!(reused.status, StatusCode::GONE);
    assert!(reused.body.contains("Ce lien n&#39;est plus valable"));
}

#[tokio::test]
async fn abuse_is_slowed_and_robots_are_caught() {
    let app = TestApp::new().await;
    // The honeypot: a robot fills the hidden field; it gets the usual answer, and nothing.
    let mut robot = Visitor::new(&app);
    let caught = robot
        .submit(
            "/compte/inscription",
            "/compte/inscription",
            &[
                ("email", "robot@example.org"),
                ("display_name", "Robot"),
                ("password", PASSWORD),
                ("website", "http://spam.test"),
            ],
        )
        .await;
    assert_eq!(caught.status, StatusCode::OK);
    assert!(
        app.stores
            .readers
            .reader_credentials("robot@example.org")
            .await
            .unwrap()
            .is_none()
    );

    // Weak passwords are refused, and what was typed (but the password) is kept.
    let mut weak = Visitor::new(&app);
    let refused = weak
        .submit(
            "/compte/inscription",
            "/compte/inscription",
            &[
                ("email", "weak@example.org"),
                ("display_name", "Faible"),
                ("password", "motdepasse123"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("trop courant"));
    assert!(
        refused.body.contains(r#"value="weak@example.org""#)
            && refused.body.contains(r#"value="Faible""#)
    );
    assert!(!refused.body.contains("motdepasse123"));

    // Login failures: five per account, then a pause, even with the right password.
    let mut lea = Visitor::sign_up(&app, "lea@example.org", "Léa").await;
    let mut guesser = Visitor::new(&app);
    for _ in 0..5 {
        let wrong = guesser
            .submit(
                "/compte/connexion",
                "/compte/connexion",
                &[
                    ("email", "lea@example.org"),
                    ("password", "pas le bon du tout"),
                ],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    }
    let blocked = guesser
        .submit(
            "/compte/connexion",
            "/compte/connexion",
            &[("email", "lea@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(!guesser.cookies.iter().any(|c| c.starts_with("kq_reader=")));

    // Posting: five a minute per account; the sixth is refused with the text kept.
    let article = app.fixture.recent.id.0;
    for i in 0..5 {
        let ok = lea
            .comment(article, &format!("Commentaire numéro {i}"), None)
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    }
    let sixth = lea.comment(article, "Le sixième de trop", None).await;
    assert_eq!(sixth.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        sixth.body.contains("Le sixième de trop</textarea>"),
        "{}",
        sixth.body
    );
}

#[tokio::test]
async fn repeated_posts_banned_words_and_barred_readers_are_refused() {
    let app = TestApp::new().await;
    let article = app.fixture.recent.id.0;
    let moderator = Browser::login(&app, "modo@example.org", Role::Moderator).await;
    let rules = moderator
        .post_form(
            "/admin/moderation/regles",
            &[
                ("close_after_days", "14"),
                ("premoderate_links", "on"),
                ("banned_words", "ordure"),
                ("suspect_words", "arnaque"),
                ("premoderate_first", "0"),
                ("on_account_deletion", "anonymise"),
            ],
        )
        .await;
    assert_eq!(rules.status, StatusCode::SEE_OTHER, "{}", rules.body);
    let mut lea = Visitor::sign_up(&app, "lea@example.org", "Léa").await;
    let banned_word = lea.comment(article, "Quelle ordure, ce match", None).await;
    assert_eq!(banned_word.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        banned_word
            .body
            .contains("un mot que ce site n&#39;accepte pas")
    );
    assert!(
        banned_word
            .body
            .contains("Quelle ordure, ce match</textarea>")
    );
    let suspect = lea.comment(article, "Encore une arnaque", None).await;
    assert!(suspect.header("location").contains("avis=pending"));
    assert_eq!(
        lea.comment(article, "Beau match !", None).await.status,
        StatusCode::SEE_OTHER
    );
    let repeated = lea.comment(article, "beau  MATCH", None).await;
    assert_eq!(repeated.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(repeated.body.contains("déjà publié ce commentaire"));

    let reader = app
        .stores
        .readers
        .reader_credentials("lea@example.org")
        .await
        .unwrap()
        .unwrap()
        .0;
    app.stores
        .readers
        .moderate_reader(
            reader.id,
            &ReaderAction::Ban("insultes répétées".into()),
            moderator.user.id,
            crate::app::now(),
        )
        .await
        .unwrap();
    let thread = lea.thread(article).await;
    assert!(
        thread
            .body
            .contains("Votre compte ne peut plus publier de commentaires.")
    );
    assert!(!thread.body.contains(r#"id="comment-body""#));
    let barred = lea.comment(article, "Je reviens", None).await;
    assert_eq!(barred.status, StatusCode::FORBIDDEN);
    assert!(
        barred.body.contains("Je reviens</textarea>"),
        "the text is kept"
    );
}

#[tokio::test]
async fn closed_threads_stay_readable_and_refuse_posts() {
    let app = TestApp::new().await;
    // The reference article dates from 2018: past the default 14 days.
    let old = app.fixture.reference.id.0;
    let mut lea = Visitor::sign_up(&app, "lea@example.org", "Léa").await;
    let thread = lea.thread(old).await;
    assert_eq!(thread.status, StatusCode::OK);
    assert!(
        thread
            .body
            .contains("Les commentaires de cet article sont fermés")
    );
    assert!(!thread.body.contains(r#"id="comment-body""#));
    let open = lea.thread(app.fixture.recent.id.0).await;
    let refused = lea
        .post(
            &format!("/commentaires/{old}"),
            &[
                ("csrf", &hidden(&open.body, "csrf")),
                ("body", "Trop tard ?"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        refused
            .body
            .contains("Les commentaires sont fermés pour cet article.")
    );
    assert!(
        refused.body.contains("Trop tard ?</textarea>"),
        "the text is kept"
    );
    // Not public: no thread at all.
    assert_eq!(
        app.get(&format!("/commentaires/{}", app.fixture.draft.id.0))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn readers_never_enter_the_back_office() {
    let app = TestApp::new().await;
    let mut lea = Visitor::sign_up(&app, "lea@example.org", "Léa").await;
    let admin = lea.get("/admin").await;
    assert_eq!(admin.status, StatusCode::SEE_OTHER);
    assert!(admin.header("location").starts_with("/admin/login"));
    // A staff password does not open a reader session either: separate accounts.
    Browser::login(&app, "chef@example.org", Role::Editor).await;
    let mut staff = Visitor::new(&app);
    let attempt = staff
        .submit(
            "/compte/connexion",
            "/compte/connexion",
            &[
                ("email", "chef@example.org"),
                ("password", "un mot de passe solide"),
            ],
        )
        .await;
    assert_eq!(attempt.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn threads_reply_like_report_and_get_moderated() {
    let app = TestApp::new().await;
    let article = app.fixture.recent.id.0;
    let mut lea = Visitor::sign_up(&app, "lea@example.org", "Léa").await;
    let mut paul = Visitor::sign_up(&app, "paul@example.org", "Paul").await;
    // Léa wants to hear about replies.
    let profile = lea
        .submit(
            "/compte",
            "/compte/profil",
            &[("display_name", "Léa"), ("notify_replies", "on")],
        )
        .await;
    assert_eq!(profile.status, StatusCode::SEE_OTHER);

    let root = comment_id(&lea.comment(article, "Premier !", None).await);
    let reply = comment_id(&paul.comment(article, "Réponse de Paul", Some(root)).await);
    let deeper = comment_id(
        &lea.comment(article, "Réponse à la réponse", Some(reply))
            .await,
    );
    let page = app.get(&format!("/commentaires/{article}")).await;
    assert!(page.body.contains("Commentaires (3)"));
    assert!(
        page.body
            .contains(&format!(r##"<a href="#c{reply}">en réponse à Paul</a>"##))
    );
    let root_at = position(&page.body, &format!(r#"id="c{root}""#));
    let deeper_at = position(&page.body, &format!(r#"id="c{deeper}""#));
    assert!(
        root_at < deeper_at,
        "replies sit under their top-level comment"
    );
    let mails = app.mails(3).await;
    assert!(
        mails
            .iter()
            .any(|m| m.contains("To: lea@example.org") && m.contains("Paul a répondu")),
        "Léa is told of Paul's reply"
    );
    assert!(
        !mails
            .iter()
            .any(|m| m.contains("To: paul@example.org") && m.contains("a répondu")),
        "Paul did not ask"
    );

    // One like per account: the second click takes it back.
    let like = format!("/commentaires/{article}/{root}/aimer");
    paul.submit(&format!("/commentaires/{article}"), &like, &[])
        .await;
    assert!(
        paul.thread(article)
            .await
            .body
            .contains("Je n&#39;aime plus (1)")
    );
    paul.submit(&format!("/commentaires/{article}"), &like, &[])
        .await;
    assert!(paul.thread(article).await.body.contains("J&#39;aime (0)"));

    // Report with a reason; a moderator sees it, rejects it with a reason, the author
    // is told, and the log says who did what and why.
    let report = paul
        .submit(
            &format!("/commentaires/{article}"),
            &format!("/commentaires/{article}/{root}/signaler"),
            &[("reason", "spam")],
        )
        .await;
    assert_eq!(report.status, StatusCode::SEE_OTHER);
    let journalist = Browser::login(&app, "plume@example.org", Role::Journalist).await;
    assert_eq!(
        journalist.get("/admin/moderation").await.status,
        StatusCode::FORBIDDEN
    );
    let moderator = Browser::login(&app, "modo@example.org", Role::Moderator).await;
    let reported = moderator.get("/admin/moderation?file=reported").await;
    assert_eq!(reported.status, StatusCode::OK);
    assert!(reported.body.contains("Premier !"));
    assert!(reported.body.contains("Publicité ou spam ×1"));
    let rejected = reject_reported(&moderator, root, "Publicité").await;
    assert_eq!(rejected.status, StatusCode::SEE_OTHER, "{}", rejected.body);
    assert!(
        !app.get(&format!("/commentaires/{article}"))
            .await
            .body
            .contains("Premier !")
    );
    let mails = app.mails(4).await;
    assert!(
        mails
            .iter()
            .any(|m| m.contains("To: lea@example.org") && m.contains("Publicit")),
        "the author gets the reason"
    );
    let log = moderator.get("/admin/moderation/journal").await;
    assert!(
        log.body.contains("Rejet") && log.body.contains("modo") && log.body.contains("Publicité")
    );

    // Bulk approval of pending comments.
    let held: Vec<i64> = vec![
        comment_id(
            &paul
                .comment(article, "Lien https://a.example/x", None)
                .await,
        ),
        comment_id(
            &paul
                .comment(article, "Autre lien https://b.example/y", None)
                .await,
        ),
    ];
    let dashboard = moderator.get("/admin").await;
    assert!(
        dashboard.body.contains("2 commentaires en attente"),
        "{}",
        dashboard.body
    );
    let pending = moderator.get("/admin/moderation").await;
    assert!(pending.body.contains("contient un lien"));
    let ids: Vec<String> = held.iter().map(i64::to_string).collect();
    let approved = moderator
        .post_form(
            "/admin/moderation",
            &[
                ("queue", "pending"),
                ("ids", &ids[0]),
                ("ids", &ids[1]),
                ("action", "approve"),
                ("reason", ""),
            ],
        )
        .await;
    assert!(
        approved.header("location").ends_with("fait=2"),
        "{}",
        approved.header("location")
    );
    let page = app.get(&format!("/commentaires/{article}")).await;
    assert!(page.body.contains("https://a.example/x") && page.body.contains("https://b.example/y"));

    // A moderator comments under their name, shown with their role.
    let staff_thread = moderator.get(&format!("/commentaires/{article}")).await;
    let csrf = hidden(&staff_thread.body, "csrf");
    let staff_post = moderator
        .app
        .request(
            Request::post(format!("/commentaires/{article}"))
                .header("cookie", &moderator.cookie)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(form(&[
                    ("csrf", &csrf),
                    ("body", "Merci de rester courtois."),
                ])))
                .unwrap(),
        )
        .await;
    assert_eq!(
        staff_post.status,
        StatusCode::SEE_OTHER,
        "{}",
        staff_post.body
    );
    let page = app.get(&format!("/commentaires/{article}")).await;
    assert!(
        page.body
            .contains(r#"<span class="comment__role">Modérateur</span>"#)
    );
}

#[tokio::test]
async fn readers_edit_delete_download_and_leave() {
    let app = TestApp::new().await;
    let article = app.fixture.recent.id.0;
    let mut lea = Visitor::sign_up(&app, "lea@example.org", "Léa").await;
    let mut paul = Visitor::sign_up(&app, "paul@example.org", "Paul").await;
    let mine = comment_id(&lea.comment(article, "Premiere version", None).await);
    let edit = format!("/commentaires/{article}/{mine}/modifier");
    let edited = lea
        .submit(
            &format!("/commentaires/{article}"),
            &edit,
            &[("body", "Première version, corrigée")],
        )
        .await;
    assert_eq!(edited.status, StatusCode::SEE_OTHER);
    let page = app.get(&format!("/commentaires/{article}")).await;
    assert!(page.body.contains("Première version, corrigée") && page.body.contains("(modifié)"));
    // Someone else's comment: no edit, no delete.
    let theirs = paul
        .submit(
            &format!("/commentaires/{article}"),
            &edit,
            &[("body", "Piraté")],
        )
        .await;
    assert_eq!(theirs.status, StatusCode::FORBIDDEN);
    // Suspended, Léa may neither edit, like nor report; her text stays as it was.
    let moderator = app
        .stores
        .accounts
        .create_user(
            &kiosque_domain::staff::NewUser {
                email: "modo@example.org".into(),
                name: "Modo".into(),
                role: kiosque_domain::Role::Moderator,
                password_hash: "x".into(),
            },
            app.state.now(),
        )
        .await
        .unwrap();
    let paul_comment = comment_id(&paul.comment(article, "Un avis de Paul", None).await);
    let lea_id = app
        .stores
        .readers
        .reader_credentials("lea@example.org")
        .await
        .unwrap()
        .unwrap()
        .0
        .id;
    let until = app.state.now() + chrono::Duration::days(1);
    let suspend = kiosque_domain::comment::ReaderAction::Suspend {
        until,
        reason: "Propos insultants".into(),
    };
    app.stores
        .readers
        .moderate_reader(lea_id, &suspend, moderator.id, app.state.now())
        .await
        .unwrap();
    let refused = lea
        .submit(
            &format!("/commentaires/{article}"),
            &edit,
            &[("body", "Encore")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    for action in ["aimer", "signaler"] {
        let path = format!("/commentaires/{article}/{paul_comment}/{action}");
        let refused = lea
            .submit(
                &format!("/commentaires/{article}"),
                &path,
                &[("reason", "spam")],
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::FORBIDDEN,
            "{action}: {}",
            refused.body
        );
    }
    let page = app.get(&format!("/commentaires/{article}")).await;
    assert!(page.body.contains("Première version, corrigée") && !page.body.contains("Encore"));
    let liked = app
        .stores
        .comments
        .comment(kiosque_domain::comment::CommentId(paul_comment))
        .await
        .unwrap();
    assert_eq!(liked.like_count, 0, "no like counted");
    app.stores
        .readers
        .moderate_reader(
            lea_id,
            &kiosque_domain::comment::ReaderAction::Reinstate,
            moderator.id,
            app.state.now(),
        )
        .await
        .unwrap();

    let data = lea.get("/compte/donnees").await;
    assert_eq!(data.status, StatusCode::OK);
    assert!(data.header("content-disposition").starts_with("attachment"));
    let json: serde_json::Value = serde_json::from_str(&data.body).unwrap();
    assert_eq!(json["profile"]["email"], "lea@example.org");
    assert_eq!(json["comments"][0]["body"], "Première version, corrigée");

    let second = comment_id(&lea.comment(article, "À supprimer", None).await);
    lea.submit(
        &format!("/commentaires/{article}"),
        &format!("/commentaires/{article}/{second}/supprimer"),
        &[],
    )
    .await;
    assert!(
        !app.get(&format!("/commentaires/{article}"))
            .await
            .body
            .contains("À supprimer")
    );

    let wrong = lea
        .submit(
            "/compte",
            "/compte/supprimer",
            &[("password", "pas le mien")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let gone = lea
        .submit("/compte", "/compte/supprimer", &[("password", PASSWORD)])
        .await;
    assert_eq!(gone.status, StatusCode::OK);
    assert!(gone.body.contains("Compte supprimé"));
    // Anonymised by default; the old session opens nothing.
    let page = app.get(&format!("/commentaires/{article}")).await;
    assert!(page.body.contains("Première version, corrigée"));
    assert!(
        page.body
            .contains(r#"comment__author--deleted">Compte supprimé"#)
    );
    let after = lea.get("/compte").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert!(
        app.stores
            .readers
            .reader_credentials("lea@example.org")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn a_magic_link_logs_in_once_and_an_email_change_is_verified() {
    let app = TestApp::new().await;
    Visitor::sign_up(&app, "lea@example.org", "Léa").await;
    let mut visitor = Visitor::new(&app);
    let asked = visitor
        .submit(
            "/compte/connexion",
            "/compte/lien",
            &[
                ("email", "lea@example.org"),
                ("retour", "/commentaires/3#commentaires"),
            ],
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK);
    let mails = app.mails(2).await;
    let link = link_in(
        mails.iter().find(|m| m.contains("/compte/lien/")).unwrap(),
        "/compte/lien/",
    );
    // Opening the link logs nobody in (mail scanners open links): the button does.
    let shown = visitor.get(&link).await;
    assert!(!visitor.cookies.iter().any(|c| c.starts_with("kq_reader=")));
    let csrf = hidden(&shown.body, "csrf");
    let path = link.split('?').next().unwrap().to_owned();
    let used = visitor
        .post(
            &path,
            &[("csrf", &csrf), ("retour", "/commentaires/3#commentaires")],
        )
        .await;
    assert_eq!(used.status, StatusCode::SEE_OTHER);
    assert_eq!(used.header("location"), "/commentaires/3#commentaires");
    assert!(visitor.cookies.iter().any(|c| c.starts_with("kq_reader=")));
    let again = Visitor::new(&app).get(&link).await;
    assert_eq!(again.status, StatusCode::GONE);

    let change = visitor
        .submit(
            "/compte",
            "/compte/email",
            &[("email", "lea@nouveau.example"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(change.status, StatusCode::SEE_OTHER, "{}", change.body);
    let mails = app.mails(3).await;
    let confirm = mails
        .iter()
        .find(|m| m.contains("To: lea@nouveau.example"))
        .unwrap();
    let link = link_in(confirm, "/compte/email/");
    assert!(
        app.stores
            .readers
            .reader_credentials("lea@nouveau.example")
            .await
            .unwrap()
            .is_none(),
        "not before the link"
    );
    assert_eq!(visitor.get(&link).await.status, StatusCode::OK);
    assert!(
        app.stores
            .readers
            .reader_credentials("lea@nouveau.example")
            .await
            .unwrap()
            .is_none(),
        "opening the link changes nothing"
    );
    assert_eq!(
        visitor.submit(&link, &link, &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert!(
        app.stores
            .readers
            .reader_credentials("lea@nouveau.example")
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn comments_work_the_same_on_postgresql() {
    let Some(app) = TestApp::on_postgres().await else {
        return;
    };
    let article = app.fixture.recent.id.0;
    let mut lea = Visitor::sign_up(&app, "lea@example.org", "Léa").await;
    let mut paul = Visitor::sign_up(&app, "paul@example.org", "Paul").await;
    let root = comment_id(&lea.comment(article, "Sur PostgreSQL aussi", None).await);
    let reply = comment_id(&paul.comment(article, "Réponse de Paul", Some(root)).await);
    lea.comment(article, "Réponse à Paul", Some(reply)).await;
    paul.submit(
        &format!("/commentaires/{article}"),
        &format!("/commentaires/{article}/{root}/aimer"),
        &[],
    )
    .await;
    let page = app.get(&format!("/commentaires/{article}?tri=liked")).await;
    assert!(page.body.contains("Commentaires (3)"), "{}", page.body);
    assert!(page.body.contains("en réponse à Paul"));
    assert!(page.body.contains("1 j&#39;aime"));
    let held = comment_id(
        &paul
            .comment(article, "Voir https://exemple.test", None)
            .await,
    );
    let moderator = Browser::login(&app, "modo@example.org", Role::Moderator).await;
    let approved = moderator
        .post_form(
            "/admin/moderation",
            &[
                ("queue", "pending"),
                ("action", "approve"),
                ("ids", &held.to_string()),
            ],
        )
        .await;
    assert!(approved.header("location").ends_with("fait=1"));
    assert!(
        app.get(&format!("/commentaires/{article}"))
            .await
            .body
            .contains("https://exemple.test")
    );
    let gone = lea
        .submit("/compte", "/compte/supprimer", &[("password", PASSWORD)])
        .await;
    assert_eq!(gone.status, StatusCode::OK);
    assert!(
        app.get(&format!("/commentaires/{article}"))
            .await
            .body
            .contains("Compte supprimé")
    );
    app.cleanup().await;
}

#[tokio::test]
async fn the_logged_out_thread_comes_from_the_page_cache() {
    let app = TestApp::with(crate::app::Options {
        page_cache: kiosque_web::PageCache::new(std::time::Duration::from_secs(60), 100),
        ..crate::app::Options::default()
    })
    .await;
    let article = app.fixture.recent.id.0;
    let path = format!("/commentaires/{article}?fragment=1");
    assert_eq!(app.get(&path).await.header("x-cache"), "miss");
    let hit = app.get(&path).await;
    assert_eq!(hit.header("x-cache"), "hit");
    assert!(hit.body.contains("Connectez-vous"));
    // A logged-in reader is never given the cached view.
    let mut lea = Visitor::sign_up(&app, "lea@example.org", "Léa").await;
    let mine = lea.get(&path).await;
    assert_eq!(mine.header("x-cache"), "");
    assert!(mine.body.contains("Connecté en tant que Léa"));
    // A moderator's decision shows at once.
    let held = comment_id(
        &lea.comment(article, "Lien https://exemple.test", None)
            .await,
    );
    let moderator = Browser::login(&app, "modo@example.org", Role::Moderator).await;
    moderator
        .post_form(
            "/admin/moderation",
            &[
                ("queue", "pending"),
                ("only", &format!("approve:{held}")),
                ("action", "approve"),
            ],
        )
        .await;
    let fresh = app.get(&path).await;
    assert_eq!(fresh.header("x-cache"), "miss");
    assert!(fresh.body.contains("https://exemple.test"));
}

/// A caching proxy that answers every purge with 200 and remembers each request's head.
async fn fake_proxy() -> (u16, Arc<std::sync::Mutex<Vec<String>>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).await.unwrap_or(0) == 1 {
                head.push(byte[0]);
            }
            log.lock()
                .unwrap()
                .push(String::from_utf8_lossy(&head).into_owned());
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                .await;
        }
    });
    (port, seen)
}

/// Waits up to two seconds for a request whose head contains `part`; fails the test
/// with the requests seen otherwise.
async fn expect_purge(seen: &std::sync::Mutex<Vec<String>>, part: &str) {
    for _ in 0..40 {
        if seen.lock().unwrap().iter().any(|head| head.contains(part)) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no purge with {part:?} among {:?}", seen.lock().unwrap());
}

#[tokio::test]
async fn moderation_and_settings_purge_the_caching_proxies() {
    let (port, seen) = fake_proxy().await;
    let purger = kiosque_app::purge::Purger::new(
        &[format!("http://127.0.0.1:{port}/purge")],
        &[format!("http://127.0.0.1:{port}")],
    )
    .unwrap();
    let app = TestApp::with(crate::app::Options {
        purger,
        ..Default::default()
    })
    .await;
    let article = app.fixture.recent.id.0;
    let mut lea = Visitor::sign_up(&app, "lea@example.org", "Léa").await;
    let mut paul = Visitor::sign_up(&app, "paul@example.org", "Paul").await;
    let root = comment_id(&lea.comment(article, "Achetez ici", None).await);
    paul.submit(
        &format!("/commentaires/{article}"),
        &format!("/commentaires/{article}/{root}/signaler"),
        &[("reason", "spam")],
    )
    .await;
    assert!(
        seen.lock().unwrap().is_empty(),
        "{:?}",
        seen.lock().unwrap()
    );

    let moderator = Browser::login(&app, "modo@example.org", Role::Moderator).await;
    let rejected = reject_reported(&moderator, root, "Publicité").await;
    assert_eq!(rejected.status, StatusCode::SEE_OTHER, "{}", rejected.body);
    // By key (Varnish), and by URL (nginx): the thread page and the fragment the
    // article page loads; nothing else.
    let key =
        format!("PURGE / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nxkey-purge: comments:{article}\r\n");
    expect_purge(&seen, &key).await;
    for path in [
        format!("GET /purge/commentaires/{article} "),
        format!("GET /purge/commentaires/{article}?fragment=1 "),
    ] {
        expect_purge(&seen, &path).await;
    }
    assert_eq!(seen.lock().unwrap().len(), 3, "{:?}", seen.lock().unwrap());
    // The thread's logged-out page is filed under that key.
    let thread = app.get(&format!("/commentaires/{article}")).await;
    let keys = thread
        .headers
        .get("surrogate-key")
        .unwrap()
        .to_str()
        .unwrap();
    assert_eq!(keys, format!("site comments:{article} comments"));

    // A change every page shows purges every page (by key) and the home page (by URL).
    seen.lock().unwrap().clear();
    let chef = Browser::login(&app, "chef@example.org", Role::Admin).await;
    let saved = chef
        .post_form(
            "/admin/settings",
            &[
                ("name", "La Gazette"),
                ("description", "d"),
                ("publisher", "Gazette SA"),
                ("base_url", "https://gazette.example.org/"),
                ("locale", "fr"),
                ("timezone", "Europe/Paris"),
                ("age_banner_days", "365"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    expect_purge(&seen, "xkey-purge: site\r\n").await;
    expect_purge(&seen, "GET /purge/ HTTP/1.1").await;

    // A front purges the page it leads, not the whole site.
    seen.lock().unwrap().clear();
    let front = chef
        .post_form(
            "/admin/fronts/home",
            &[
                ("version", "0"),
                ("article_0", &app.fixture.reference.id.0.to_string()),
            ],
        )
        .await;
    assert_eq!(front.status, StatusCode::SEE_OTHER, "{}", front.body);
    expect_purge(&seen, "xkey-purge: home\r\n").await;
    expect_purge(&seen, "GET /purge/ HTTP/1.1").await;
    assert!(
        !seen
            .lock()
            .unwrap()
            .iter()
            .any(|h| h.contains("xkey-purge: site")),
        "{:?}",
        seen.lock().unwrap()
    );
}

/// The fragment asked for by header at the thread's own URL is kept by no cache (the
/// next reader of that URL would get a bare fragment); at `?fragment=1` it is.
#[tokio::test]
async fn a_fragment_by_header_is_never_cached_under_the_page_url() {
    let app = TestApp::new().await;
    let thread = format!("/commentaires/{}", app.fixture.recent.id.0);
    let by_header = app
        .request(
            Request::get(&thread)
                .header("x-kiosque-fragment", "1")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(by_header.status, StatusCode::OK);
    assert!(!by_header.body.contains("<html"), "the fragment");
    assert_eq!(by_header.headers["cache-control"], "private, no-store");
    assert!(by_header.headers.get("surrogate-key").is_none());
    let by_query = app.get(&format!("{thread}?fragment=1")).await;
    assert!(!by_query.body.contains("<html"), "the fragment");
    assert!(
        by_query.headers["cache-control"]
            .to_str()
            .unwrap()
            .starts_with("public")
    );
    let page = app.get(&thread).await;
    assert!(page.body.contains("<html"), "the whole page");
    assert!(
        page.headers["cache-control"]
            .to_str()
            .unwrap()
            .starts_with("public")
    );
}
