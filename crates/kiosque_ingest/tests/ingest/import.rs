//! The WordPress and Ghost readers against the exports in `../shared/corpus/wxr` and
//! `../shared/corpus/ghost`, with the counts their SOURCES.md give.

use crate::corpus::{corpus, corpus_available};
use kiosque_ingest::import::wordpress::{WordPressExport, WpEntry};
use kiosque_ingest::import::{ImportError, ItemKind, ItemStatus, ghost};
use std::io::BufReader;

#[derive(Debug, Default, PartialEq, Eq)]
struct Counts {
    posts: usize,
    pages: usize,
    attachments: usize,
    skipped: usize,
    comments: usize,
    authors: usize,
    categories: usize,
    tags: usize,
}

fn read_wxr(relative: &str) -> Result<(Counts, Vec<WpEntry>), ImportError> {
    let file = std::fs::File::open(corpus().join("wxr").join(relative)).unwrap();
    let mut export = WordPressExport::new(BufReader::new(file));
    let mut counts = Counts::default();
    let mut entries = Vec::new();
    // A category may come twice (as wp:category and as wp:term): counted once.
    let mut categories = std::collections::HashSet::new();
    while let Some(entry) = export.next_entry()? {
        match &entry {
            WpEntry::Author(_) => counts.authors += 1,
            WpEntry::Category(c) => {
                if categories.insert(c.slug.clone()) {
                    counts.categories += 1;
                }
            }
            WpEntry::Tag(_) => counts.tags += 1,
            WpEntry::Attachment(_) => counts.attachments += 1,
            WpEntry::Skipped(_) => counts.skipped += 1,
            WpEntry::Item(item) => {
                counts.comments += item.comments.len();
                match item.kind {
                    ItemKind::Article => counts.posts += 1,
                    ItemKind::Page => counts.pages += 1,
                }
            }
        }
        entries.push(entry);
    }
    Ok((counts, entries))
}

#[test]
fn wordpress_exports_give_the_counts_of_their_sources() {
    if !corpus_available() {
        return;
    }
    // (file, posts, pages, attachments, authors, categories, tags) as SOURCES.md counts
    // them; posts exclude what is not imported (trash, password-less statuses aside).
    let expected: &[(&str, usize, usize, usize, usize, usize, usize)] = &[
        (
            "wordpress-importer/phpunit-data/theme-unit-test-data.xml",
            58,
            21,
            37,
            2,
            68,
            110,
        ),
        // One item has no wp:post_type: a post, as WordPress itself reads it.
        (
            "wordpress-importer/phpunit-data/a11y-unit-test-data.xml",
            48,
            17,
            39,
            0,
            27,
            61,
        ),
        (
            "wordpress-importer/phpunit-data/small-export.xml",
            6,
            5,
            0,
            3,
            30,
            3,
        ),
        (
            "wordpress-importer/phpunit-data/large-authors.xml",
            0,
            0,
            0,
            300,
            0,
            0,
        ),
        ("tryghost-migrate/co-authors-plus.xml", 4, 0, 0, 3, 0, 0),
        (
            "jekyll-import/sitetitle.wordpress.2025-01-19.000.xml",
            7,
            1,
            6,
            1,
            2,
            4,
        ),
    ];
    for (file, posts, pages, attachments, authors, categories, tags) in expected {
        let (counts, _) = read_wxr(file).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(
            (
                counts.posts,
                counts.pages,
                counts.attachments,
                counts.authors,
                counts.categories,
                counts.tags
            ),
            (*posts, *pages, *attachments, *authors, *categories, *tags),
            "{file}: {counts:?}"
        );
    }
}

#[test]
fn every_wellformed_export_reads_and_the_broken_ones_are_refused() {
    if !corpus_available() {
        return;
    }
    let broken = [
        "wordpress-importer/phpunit-data/malformed.xml",
        "wordpress-importer/phpunit-data/malformed-simple.xml",
        "wordpress-importer/phpunit-data/crazy-cdata.xml",
        "wordpress-importer/phpunit-data/invalid-version-tag.xml",
        "wordpress-importer/phpunit-data/missing-version-tag.xml",
        "tryghost-migrate/sample.xml",
        "tryghost-migrate/sample-no-slug.xml",
        "tryghost-migrate/multiple/attachments-only.xml",
    ];
    let mut files = Vec::new();
    collect(&corpus().join("wxr"), &mut files);
    assert!(files.len() >= 50, "{}", files.len());
    for path in files {
        let relative = path
            .strip_prefix(corpus().join("wxr"))
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let result = read_wxr(&relative);
        if broken.contains(&relative.as_str()) {
            let error = result.expect_err(&relative);
            let message = error.to_string();
            assert!(
                message.contains("byte") || message.contains("wxr_version"),
                "{relative}: {message}"
            );
            eprintln!("{relative}: refused: {message}");
        } else {
            let (counts, _) = result.unwrap_or_else(|e| panic!("{relative}: {e}"));
            eprintln!("{relative}: {counts:?}");
        }
    }
}

fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "xml") {
            out.push(path);
        }
    }
}

#[test]
fn statuses_dates_comments_and_old_addresses_of_the_reference_export() {
    if !corpus_available() {
        return;
    }
    let (counts, entries) =
        read_wxr("wordpress-importer/phpunit-data/theme-unit-test-data.xml").unwrap();
    // 33 comments: 2 pingbacks and 2 trackbacks are not imported.
    assert_eq!(counts.comments, 29, "{counts:?}");
    let items: Vec<_> = entries
        .iter()
        .filter_map(|e| match e {
            WpEntry::Item(i) => Some(i),
            _ => None,
        })
        .collect();
    assert!(items.iter().any(|i| i.status == ItemStatus::Scheduled));
    assert!(items.iter().any(|i| i.status == ItemStatus::Draft));
    let pending = items
        .iter()
        .flat_map(|i| &i.comments)
        .filter(|c| !c.approved)
        .count();
    assert_eq!(pending, 3);
    let replies = items
        .iter()
        .flat_map(|i| &i.comments)
        .filter(|c| c.parent.is_some())
        .count();
    assert_eq!(replies, 10);
    // Every published item has a date, its permalink and its ?p= address.
    for item in items.iter().filter(|i| i.status == ItemStatus::Published) {
        assert!(item.published_at.is_some(), "{}", item.title);
        assert!(
            item.old_paths
                .iter()
                .any(|p| p.starts_with("/?p=") || p.starts_with("/?page_id=")),
            "{}: {:?}",
            item.title,
            item.old_paths
        );
    }
    assert!(items.iter().any(|i| i.featured.is_some()));
    // No body keeps a script or a shortcode WordPress would have expanded.
    for item in &items {
        assert!(!item.html.contains("[caption"), "{}", item.title);
        assert!(!item.html.contains("<!-- wp:"), "{}", item.title);
    }
    // a11y: 84 former slugs become old addresses.
    let (_, entries) = read_wxr("wordpress-importer/phpunit-data/a11y-unit-test-data.xml").unwrap();
    let old: usize = entries
        .iter()
        .filter_map(|e| match e {
            WpEntry::Item(i) => Some(i.old_paths.len()),
            _ => None,
        })
        .sum();
    assert!(old >= 84 + 47, "{old}");
}

#[test]
fn ghost_exports_of_every_generation() {
    if !corpus_available() {
        return;
    }
    // (file, posts, pages, authors, tags)
    let expected: &[(&str, usize, usize, usize, usize)] = &[
        ("ghost-core-export/valid.json", 2, 0, 1, 1),
        ("ghost-core-export/v2_export.json", 7, 0, 2, 1),
        ("ghost-core-export/v3_export.json", 7, 0, 2, 1),
        ("ghost-core-export/v4_export.json", 7, 4, 2, 1),
        ("ghost-core-export/products_export.json", 1, 0, 0, 0),
        ("tryghost-migrate/ghost.json", 3, 0, 2, 2),
        ("tryghost-migrate/ghost-flat.json", 1, 0, 0, 0),
    ];
    for (file, posts, pages, authors, tags) in expected {
        let bytes = std::fs::read(corpus().join("ghost").join(file)).unwrap();
        let export = ghost::read(&bytes).unwrap_or_else(|e| panic!("{file}: {e}"));
        let count = |kind| export.items.iter().filter(|i| i.kind == kind).count();
        assert_eq!(
            (
                count(ItemKind::Article),
                count(ItemKind::Page),
                export.authors.len(),
                export.tags.len()
            ),
            (*posts, *pages, *authors, *tags),
            "{file}"
        );
        for item in &export.items {
            assert!(
                !item.html.contains("__GHOST_URL__"),
                "{file}: {}",
                item.title
            );
            assert!(!item.title.is_empty(), "{file}");
            assert!(
                !item.html.trim().is_empty() || item.status != ItemStatus::Published,
                "{file}: {} has no body",
                item.title
            );
        }
    }
    // The lexical post of the migration tools' file has a body.
    let bytes = std::fs::read(corpus().join("ghost/tryghost-migrate/ghost.json")).unwrap();
    let export = ghost::read(&bytes).unwrap();
    assert!(export.items.iter().all(|i| !i.html.trim().is_empty()));
    // v4: every post has its author, in order.
    let bytes = std::fs::read(corpus().join("ghost/ghost-core-export/v4_export.json")).unwrap();
    let export = ghost::read(&bytes).unwrap();
    assert!(
        export.items.iter().all(|i| i.authors == ["ghost"]),
        "{:?}",
        export.items.iter().map(|i| &i.authors).collect::<Vec<_>>()
    );
    // Broken JSON is refused with its position.
    let error = ghost::read(b"{\"db\": [{\"data\": {\"posts\": [}").unwrap_err();
    assert!(error.to_string().contains("byte"), "{error}");
    assert!(matches!(
        ghost::read(b"{\"x\": 1}"),
        Err(ImportError::NotGhost(_))
    ));
}
