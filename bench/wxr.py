#!/usr/bin/env python3
"""Writes a generated WordPress export (WXR 1.2) for the import benchmark.

    python3 bench/wxr.py POSTS > export.xml

POSTS posts (default 100,000) of a few paragraphs each, with Gutenberg block
comments, a [caption] shortcode now and then, links into the old site, 20 authors,
40 categories (10 of them nested), 300 tags and, on one post in five, a thread of
comments (one reply in three). Written as a stream: memory stays flat whatever POSTS.
Everything here is generated (no third-party text).
"""
import random
import sys
from xml.sax.saxutils import escape

WORDS = (
    "le la les un une des et en dans pour sur par avec sans sous entre vers contre "
    "gouvernement ministre conseil réforme budget élection député sénat maire région "
    "économie emploi inflation croissance entreprise salarié grève syndicat accord "
    "climat énergie réseau électricité eau sécheresse agriculture récolte forêt "
    "justice procès tribunal enquête police témoin décision appel jugement "
    "santé hôpital médecin patient vaccin épidémie recherche école université "
    "culture festival théâtre musique livre exposition cinéma sport match équipe"
).split()


def sentence(rng, n):
    words = [rng.choice(WORDS) for _ in range(n)]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def paragraph(rng):
    return " ".join(sentence(rng, rng.randint(8, 18)) for _ in range(rng.randint(2, 4)))


def cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def main():
    posts = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    rng = random.Random(42)
    out = sys.stdout
    w = out.write
    w('<?xml version="1.0" encoding="UTF-8" ?>\n')
    w('<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
      'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
      'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
      'xmlns:dc="http://purl.org/dc/elements/1.1/" '
      'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n')
    w("<title>Le Journal généré</title>\n<link>https://journal.example</link>\n")
    w("<language>fr-FR</language>\n<wp:wxr_version>1.2</wp:wxr_version>\n")
    w("<wp:base_site_url>https://journal.example</wp:base_site_url>\n")
    w("<wp:base_blog_url>https://journal.example</wp:base_blog_url>\n")
    authors = [f"auteur{i}" for i in range(20)]
    for i, login in enumerate(authors):
        w(f"<wp:author><wp:author_id>{i + 1}</wp:author_id><wp:author_login>{cdata(login)}</wp:author_login>"
          f"<wp:author_email>{login}@journal.example</wp:author_email>"
          f"<wp:author_display_name>{cdata(f'Plume {i}')}</wp:author_display_name>"
          f"<wp:author_first_name>{cdata('Plume')}</wp:author_first_name>"
          f"<wp:author_last_name>{cdata(str(i))}</wp:author_last_name></wp:author>\n")
    categories = []
    for i in range(40):
        slug = f"rubrique-{i}"
        parent = f"rubrique-{i - 30}" if i >= 30 else ""
        categories.append(slug)
        w(f"<wp:category><wp:term_id>{i + 1}</wp:term_id><wp:category_nicename>{slug}</wp:category_nicename>"
          f"<wp:category_parent>{parent}</wp:category_parent><wp:cat_name>{cdata(f'Rubrique {i}')}</wp:cat_name></wp:category>\n")
    tags = [f"sujet-{i}" for i in range(300)]
    for i, slug in enumerate(tags):
        w(f"<wp:tag><wp:term_id>{100 + i}</wp:term_id><wp:tag_slug>{slug}</wp:tag_slug>"
          f"<wp:tag_name>{cdata(f'Sujet {i}')}</wp:tag_name></wp:tag>\n")
    comment_id = 0
    for n in range(1, posts + 1):
        post_id = 1000 + n
        day = 1 + n % 28
        month = 1 + (n // 28) % 12
        year = 2010 + (n // 336) % 15
        date = f"{year}-{month:02d}-{day:02d} {n % 24:02d}:{n % 60:02d}:00"
        slug = f"article-{n}"
        title = sentence(rng, rng.randint(5, 10))[:-1]
        blocks = []
        for p in range(rng.randint(3, 7)):
            text = escape(paragraph(rng))
            if p == 1 and n % 3 == 0:
                other = rng.randint(1, posts)
                text += f' <a href="https://journal.example/{year}/{month:02d}/article-{other}/">À lire aussi</a>'
            blocks.append(f"<!-- wp:paragraph -->\n<p>{text}</p>\n<!-- /wp:paragraph -->")
        if n % 10 == 0:
            blocks.append("[caption id=\"attachment_1\" width=\"300\"]"
                          "<img src=\"https://journal.example/wp-content/uploads/2020/01/photo.jpg\" alt=\"Une photo\" /> "
                          "Une légende[/caption]")
        content = "\n\n".join(blocks)
        status = "publish" if n % 50 else "draft"
        cats = [rng.choice(categories)]
        item_tags = rng.sample(tags, rng.randint(0, 4))
        w("<item>\n")
        w(f"<title>{escape(title)}</title>\n")
        w(f"<link>https://journal.example/{year}/{month:02d}/{slug}/</link>\n")
        w(f"<pubDate>Mon, 01 Jan {year} 00:00:00 +0000</pubDate>\n")
        w(f"<dc:creator>{cdata(rng.choice(authors))}</dc:creator>\n")
        w(f'<guid isPermaLink="false">https://journal.example/?p={post_id}</guid>\n')
        w("<description></description>\n")
        w(f"<content:encoded>{cdata(content)}</content:encoded>\n")
        w(f"<excerpt:encoded>{cdata(sentence(rng, 14))}</excerpt:encoded>\n")
        w(f"<wp:post_id>{post_id}</wp:post_id>\n<wp:post_date>{cdata(date)}</wp:post_date>\n")
        w(f"<wp:post_date_gmt>{cdata(date)}</wp:post_date_gmt>\n")
        w("<wp:comment_status>open</wp:comment_status>\n")
        w(f"<wp:post_name>{cdata(slug)}</wp:post_name>\n<wp:status>{cdata(status)}</wp:status>\n")
        w("<wp:post_parent>0</wp:post_parent>\n<wp:menu_order>0</wp:menu_order>\n")
        w("<wp:post_type>post</wp:post_type>\n<wp:post_password></wp:post_password>\n")
        for c in cats:
            w(f'<category domain="category" nicename="{c}">{cdata(c)}</category>\n')
        for t in item_tags:
            w(f'<category domain="post_tag" nicename="{t}">{cdata(t.replace("-", " ").capitalize())}</category>\n')
        if n % 7 == 0:
            w(f"<wp:postmeta><wp:meta_key>_wp_old_slug</wp:meta_key><wp:meta_value>{cdata(slug + '-ancien')}</wp:meta_value></wp:postmeta>\n")
        if n % 5 == 0:
            first = comment_id + 1
            for k in range(rng.randint(1, 6)):
                comment_id += 1
                parent = first if k % 3 == 2 else 0
                w("<wp:comment>")
                w(f"<wp:comment_id>{comment_id}</wp:comment_id>")
                w(f"<wp:comment_author>{cdata(f'Lecteur {comment_id % 500}')}</wp:comment_author>")
                w(f"<wp:comment_author_email>lecteur{comment_id % 500}@lecteurs.example</wp:comment_author_email>")
                w(f"<wp:comment_date_gmt>{cdata(date)}</wp:comment_date_gmt>")
                w(f"<wp:comment_content>{cdata(paragraph(rng))}</wp:comment_content>")
                w(f"<wp:comment_approved>{cdata('1' if k % 4 else '0')}</wp:comment_approved>")
                w("<wp:comment_type></wp:comment_type>")
                w(f"<wp:comment_parent>{parent}</wp:comment_parent>")
                w("</wp:comment>\n")
        w("</item>\n")
    w("</channel>\n</rss>\n")


if __name__ == "__main__":
    main()
