//! `kiosque import wordpress|ghost` into a running site, with the real binary, on
//! SQLite and PostgreSQL: pages, feeds, sitemaps and search show the new content at
//! once, every old address answers 301, a second run changes nothing.

use crate::ingest::corpus_available;
use crate::server::{PgDatabase, Server, http_get, kiosque};
use std::path::Path;
use std::time::{Duration, Instant};

fn corpus(relative: &str) -> std::path::PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::env::var_os("KIOSQUE_CORPUS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            manifest
                .ancestors()
                .map(|d| d.join("shared/corpus"))
                .find(|d| d.is_dir())
                .unwrap_or_else(|| manifest.join("../../../shared/corpus"))
        })
        .join(relative)
}

/// A small WordPress export written for this test: one picture, a post with a caption,
/// a script, an old slug, threaded comments (one pending, one spam), a page, a draft
/// waiting for review, a menu item.
const EXPORT: &str = r#"<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Ancien site</title>
<link>https://ancien.example</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://ancien.example</wp:base_site_url>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[marie]]></wp:author_login><wp:author_email>marie@ancien.example</wp:author_email><wp:author_display_name><![CDATA[Marie Curieuse]]></wp:author_display_name></wp:author>
<wp:category><wp:term_id>1</wp:term_id><wp:category_nicename>monde</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[Monde]]></wp:cat_name></wp:category>
<wp:category><wp:term_id>2</wp:term_id><wp:category_nicename>afrique</wp:category_nicename><wp:category_parent>monde</wp:category_parent><wp:cat_name><![CDATA[Afrique]]></wp:cat_name></wp:category>
<wp:tag><wp:term_id>3</wp:term_id><wp:tag_slug>peche</wp:tag_slug><wp:tag_name><![CDATA[Pêche]]></wp:tag_name></wp:tag>
<item>
<title>Port de Dakar</title>
<link>https://ancien.example/port/</link>
<guid isPermaLink="false">https://ancien.example/wp-content/uploads/2024/05/port.png</guid>
<excerpt:encoded><![CDATA[Pirogues au retour de la pêche]]></excerpt:encoded>
<wp:post_id>50</wp:post_id>
<wp:status>inherit</wp:status>
<wp:post_type>attachment</wp:post_type>
<wp:attachment_url>https://ancien.example/wp-content/uploads/2024/05/port.png</wp:attachment_url>
<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key><wp:meta_value><![CDATA[2024/05/port.png]]></wp:meta_value></wp:postmeta>
<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value><![CDATA[Le port de Dakar au matin]]></wp:meta_value></wp:postmeta>
</item>
<item>
<title>Les pêcheurs de Dakar face aux chalutiers</title>
<link>https://ancien.example/2024/05/12/pecheurs-dakar/</link>
<dc:creator><![CDATA[marie]]></dc:creator>
<guid isPermaLink="false">https://ancien.example/?p=51</guid>
<content:encoded><![CDATA[<!-- wp:paragraph -->
<p>Au petit matin, les pirogues rentrent à <strong>Soumbédioune</strong>.</p>
<!-- /wp:paragraph -->

[caption id="attachment_50" width="300"]<img src="https://ancien.example/wp-content/uploads/2024/05/port-300x200.png" alt="Le port" /> Le port au retour des pirogues[/caption]

Les chalutiers étrangers pêchent au large.
Les prises diminuent.<script>alert("ancien")</script>

Voir <a href="https://ancien.example/2024/01/03/autre-article/">notre enquête</a>.]]></content:encoded>
<excerpt:encoded><![CDATA[Sur la côte sénégalaise, la pêche artisanale résiste.]]></excerpt:encoded>
<wp:post_id>51</wp:post_id>
<wp:post_date_gmt>2024-05-12 08:30:00</wp:post_date_gmt>
<wp:comment_status>open</wp:comment_status>
<wp:post_name>pecheurs-dakar</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>
<category domain="category" nicename="afrique"><![CDATA[Afrique]]></category>
<category domain="post_tag" nicename="peche"><![CDATA[Pêche]]></category>
<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>50</wp:meta_value></wp:postmeta>
<wp:postmeta><wp:meta_key>_wp_old_slug</wp:meta_key><wp:meta_value>pecheurs-de-dakar</wp:meta_value></wp:postmeta>
<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author><![CDATA[Awa]]></wp:comment_author><wp:comment_author_email>awa@lecteurs.example</wp:comment_author_email><wp:comment_date_gmt>2024-05-12 10:00:00</wp:comment_date_gmt><wp:comment_content><![CDATA[Merci pour ce reportage.]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment</wp:comment_type><wp:comment_parent>0</wp:comment_parent></wp:comment>
<wp:comment><wp:comment_id>2</wp:comment_id><wp:comment_author><![CDATA[Moussa]]></wp:comment_author><wp:comment_author_email>moussa@lecteurs.example</wp:comment_author_email><wp:comment_date_gmt>2024-05-12 11:00:00</wp:comment_date_gmt><wp:comment_content><![CDATA[Mon père était pêcheur à Yoff.]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_type></wp:comment_type><wp:comment_parent>1</wp:comment_parent></wp:comment>
<wp:comment><wp:comment_id>3</wp:comment_id><wp:comment_author><![CDATA[Anonyme]]></wp:comment_author><wp:comment_author_email></wp:comment_author_email><wp:comment_date_gmt>2024-05-12 12:00:00</wp:comment_date_gmt><wp:comment_content><![CDATA[En attente de modération.]]></wp:comment_content><wp:comment_approved>0</wp:comment_approved><wp:comment_type></wp:comment_type><wp:comment_parent>0</wp:comment_parent></wp:comment>
<wp:comment><wp:comment_id>4</wp:comment_id><wp:comment_author><![CDATA[Vendeur]]></wp:comment_author><wp:comment_author_email>spam@spam.example</wp:comment_author_email><wp:comment_date_gmt>2024-05-12 13:00:00</wp:comment_date_gmt><wp:comment_content><![CDATA[Achetez maintenant]]></wp:comment_content><wp:comment_approved>spam</wp:comment_approved><wp:comment_type></wp:comment_type><wp:comment_parent>0</wp:comment_parent></wp:comment>
</item>
<item>
<title>Qui sommes-nous</title>
<link>https://ancien.example/qui-sommes-nous/</link>
<guid isPermaLink="false">https://ancien.example/?page_id=52</guid>
<content:encoded><![CDATA[Une rédaction indépendante.]]></content:encoded>
<wp:post_id>52</wp:post_id>
<wp:post_date_gmt>2020-01-01 00:00:00</wp:post_date_gmt>
<wp:post_name>qui-sommes-nous</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_type>page</wp:post_type>
</item>
<item>
<title>Un brouillon à relire</title>
<link>https://ancien.example/?p=53</link>
<guid isPermaLink="false">https://ancien.example/?p=53</guid>
<content:encoded><![CDATA[Pas encore prêt.]]></content:encoded>
<wp:post_id>53</wp:post_id>
<wp:post_date_gmt>0000-00-00 00:00:00</wp:post_date_gmt>
<wp:post_name></wp:post_name>
<wp:status>pending</wp:status>
<wp:post_type>post</wp:post_type>
</item>
<item>
<title>Accueil</title>
<guid isPermaLink="false">https://ancien.example/?p=54</guid>
<wp:post_id>54</wp:post_id>
<wp:status>publish</wp:status>
<wp:post_type>nav_menu_item</wp:post_type>
</item>
</channel>
</rss>
"#;

fn import(global: &[&str], system: &str, file: &Path, extra: &[&str]) -> (bool, String, String) {
    let out = kiosque()
        .args(global)
        .args(["import", system])
        .arg(file)
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn media_dir(root: &Path) -> std::path::PathBuf {
    let dir = root.join("uploads");
    std::fs::create_dir_all(dir.join("2024/05")).unwrap();
    let picture = image::RgbImage::from_fn(640, 400, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 120])
    });
    picture.save(dir.join("2024/05/port.png")).unwrap();
    dir
}

fn location(port: u16, path: &str) -> (u16, String) {
    let response = http_get(port, path);
    let location = response.header("location").unwrap_or_default().to_owned();
    (response.status, location)
}

fn scenario(global: &[&str], server: &Server, root: &Path) {
    let file = root.join("export.xml");
    std::fs::write(&file, EXPORT).unwrap();
    let media = media_dir(root);
    let media = media.to_str().unwrap();

    // A dry run writes nothing.
    let (ok, out, err) = import(
        global,
        "wordpress",
        &file,
        &["--media-dir", media, "--dry-run"],
    );
    assert!(ok, "{out}{err}");
    assert!(out.contains("dry run, nothing written"), "{out}");
    assert_eq!(http_get(server.port, "/qui-sommes-nous/").status, 404);

    let (ok, out, err) = import(global, "wordpress", &file, &["--media-dir", media]);
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("skipped item «Accueil»: post type nav_menu_item is not imported"),
        "{out}"
    );
    assert!(out.contains("created picture «Port de Dakar»"), "{out}");
    assert!(
        out.contains("2 articles, 1 pages, 1 pictures, 3 comments"),
        "{out}"
    );
    let article_line = out
        .lines()
        .find(|l| l.starts_with("created article «Les pêcheurs"))
        .unwrap_or_else(|| panic!("{out}"));
    let url = article_line
        .split(" → ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .unwrap()
        .to_owned();
    assert!(url.starts_with("/monde/afrique/pecheurs-dakar_"), "{url}");

    // The article, at once, as readers see it.
    let page = http_get(server.port, &url);
    assert_eq!(page.status, 200, "{url}");
    assert!(
        page.body
            .contains("Les pêcheurs de Dakar face aux chalutiers")
    );
    assert!(page.body.contains("Marie Curieuse"));
    assert!(page.body.contains("<strong>Soumbédioune</strong>"));
    assert!(
        page.body
            .contains("<figcaption>Le port au retour des pirogues</figcaption>"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("alt=\"Le port de Dakar au matin\""),
        "lead picture"
    );
    assert!(
        page.body.contains("datetime=\"2024-05-12T10:30:00+02:00\""),
        "published time in Paris"
    );
    assert!(!page.body.contains("alert(\"ancien\")"));
    assert!(
        !page.body.contains("ancien.example"),
        "no page keeps pointing at the old host"
    );
    assert!(page.body.contains("href=\"/2024/01/03/autre-article/\""));
    assert!(page.body.contains("Pêche"));

    // Every old address answers 301 to the new one, in one step.
    for old in [
        "/2024/05/12/pecheurs-dakar/",
        "/2024/05/12/pecheurs-dakar",
        "/2024/05/12/pecheurs-de-dakar/",
        "/?p=51",
    ] {
        let (status, to) = location(server.port, old);
        assert_eq!(status, 301, "{old}");
        assert!(to.ends_with(&url), "{old} → {to}");
    }
    assert!(
        location(server.port, "/category/monde/afrique/")
            .1
            .ends_with("/monde/afrique/")
    );
    assert!(
        location(server.port, "/tag/peche/")
            .1
            .ends_with("/tags/peche/")
    );
    assert!(
        location(server.port, "/author/marie/")
            .1
            .ends_with("/auteurs/marie-curieuse/")
    );
    assert!(
        location(server.port, "/?page_id=52")
            .1
            .ends_with("/qui-sommes-nous/")
    );
    assert_eq!(http_get(server.port, "/2099/01/01/jamais/").status, 404);

    // The page, the comments, the feeds, the sitemaps, the search.
    let about = http_get(server.port, "/qui-sommes-nous/");
    assert_eq!(about.status, 200);
    assert!(about.body.contains("\"WebPage\""));
    let id = url.rsplit('_').next().unwrap().trim_end_matches(".html");
    let comments = http_get(server.port, &format!("/commentaires/{id}"));
    assert!(
        comments.body.contains("Awa") && comments.body.contains("Moussa"),
        "{}",
        comments.body
    );
    assert!(
        !comments.body.contains("En attente de modération"),
        "pending stays in the queue"
    );
    assert!(!comments.body.contains("Achetez"), "spam is not imported");
    assert!(
        !comments.body.contains("lecteurs.example"),
        "addresses are never shown"
    );
    assert!(
        http_get(server.port, "/rss.xml")
            .body
            .contains("Les pêcheurs de Dakar")
    );
    assert!(
        http_get(server.port, "/sitemap-pages.xml")
            .body
            .contains("/qui-sommes-nous/")
    );
    let started = Instant::now();
    loop {
        let found = http_get(server.port, "/recherche?q=chalutiers");
        if found.body.contains(&url) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "search never found the import"
        );
        std::thread::sleep(Duration::from_millis(200));
    }

    // Again: nothing changes.
    let (ok, out, err) = import(global, "wordpress", &file, &["--media-dir", media]);
    assert!(ok, "{out}{err}");
    assert!(out.contains("\n0 created, 0 updated, 7 unchanged"), "{out}");

    // A broken file is refused with where and why, and nothing of it is written.
    let broken = root.join("broken.xml");
    std::fs::write(&broken, &EXPORT[..EXPORT.len() / 2]).unwrap();
    let (ok, out, err) = import(global, "wordpress", &broken, &[]);
    assert!(!ok, "{out}");
    assert!(err.contains("malformed file at byte"), "{err}");

    // Ghost 4: posts and pages, their old addresses.
    let (ok, out, err) = import(
        global,
        "ghost",
        &corpus("ghost/ghost-core-export/v4_export.json"),
        &[],
    );
    assert!(ok, "{out}{err}");
    assert!(out.contains("7 articles, 4 pages"), "{out}");
    assert!(
        location(server.port, "/welcome/").1.contains("/welcome_"),
        "{out}"
    );
    assert_eq!(http_get(server.port, "/privacy/").status, 200);
}

#[test]
fn wordpress_and_ghost_imports_into_a_running_site_on_sqlite() {
    if !corpus_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    scenario(
        &["--data", dir.path().to_str().unwrap()],
        &server,
        dir.path(),
    );
}

#[test]
fn wordpress_and_ghost_imports_into_a_running_site_on_postgresql() {
    if !corpus_available() {
        return;
    }
    let Some(db) = PgDatabase::create("kq_import") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with(dir.path(), &["--database-url", &db.url]);
    scenario(
        &[
            "--data",
            dir.path().to_str().unwrap(),
            "--database-url",
            &db.url,
        ],
        &server,
        dir.path(),
    );
}

#[test]
fn the_wordpress_corpus_imports_with_the_counts_of_its_sources() {
    if !corpus_available() {
        return;
    }
    // (file, articles, pages): posts and pages SOURCES.md counts, less trash; the
    // a11y file's item without a post type is a post, as in WordPress.
    for (file, articles, pages) in [
        (
            "wordpress-importer/phpunit-data/theme-unit-test-data.xml",
            58,
            21,
        ),
        (
            "wordpress-importer/phpunit-data/a11y-unit-test-data.xml",
            48,
            17,
        ),
        ("wordpress-importer/phpunit-data/small-export.xml", 6, 5),
        ("jekyll-import/sitetitle.wordpress.2025-01-19.000.xml", 7, 1),
        ("hexo-migrator-wordpress/wordpress.xml", 4, 2),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let global = ["--data", dir.path().to_str().unwrap()];
        let (ok, out, err) = import(&global, "wordpress", &corpus(&format!("wxr/{file}")), &[]);
        assert!(ok, "{file}: {out}{err}");
        let summary = out.lines().last().unwrap_or_default();
        assert!(
            summary.contains(&format!("{articles} articles, {pages} pages")),
            "{file}: {summary}"
        );
        assert!(summary.contains(" 0 failed"), "{file}: {summary}");
    }
    for file in [
        "wordpress-importer/phpunit-data/malformed.xml",
        "wordpress-importer/phpunit-data/crazy-cdata.xml",
        "wordpress-importer/phpunit-data/missing-version-tag.xml",
        "tryghost-migrate/sample.xml",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let global = ["--data", dir.path().to_str().unwrap()];
        let (ok, out, err) = import(&global, "wordpress", &corpus(&format!("wxr/{file}")), &[]);
        assert!(!ok, "{file}: {out}");
        assert!(
            err.contains("malformed file at byte") || err.contains("wxr_version"),
            "{file}: {err}"
        );
        assert!(
            !out.contains("created"),
            "{file}: nothing is written: {out}"
        );
    }
}
