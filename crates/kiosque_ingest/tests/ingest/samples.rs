//! Hand-picked documents, checked field by field against their source text.

use crate::corpus::read;
use kiosque_ingest::{Format, ItemClass, PubStatus, WireItem, parse};

fn one(path: &str) -> (WireItem, String) {
    let bytes = read(path);
    let mut items = parse(&bytes).unwrap();
    assert_eq!(items.len(), 1, "{path}");
    (
        items.remove(0),
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

fn time(item: &WireItem) -> String {
    item.version_created.unwrap().to_rfc3339()
}

#[test]
fn newsml_g2_text_with_nitf_body() {
    if !crate::corpus::corpus_available() {
        return;
    }
    let (item, source) = one("newsml-g2/examples/LISTING_2_NewsML-G2_Text_Document.xml");
    assert_eq!(item.guid, "urn:newsml:acmenews.com:20161121:US-FINANCE-FED");
    assert_eq!(item.version, 11);
    assert_eq!(item.format, Some(Format::NewsmlG2));
    assert_eq!(item.headline, "Fed to halt QE to avert \"bubble\"");
    assert_eq!(time(&item), "2018-11-21T21:25:32+00:00");
    assert_eq!(item.language.as_deref(), Some("en-US"));
    assert_eq!(item.located.as_deref(), Some("New York, NY"));
    assert_eq!(item.creators, ["Meredith Jameson"]);
    assert_eq!(item.slugline.as_deref(), Some("US-Finance-Fed"));
    assert_eq!(
        item.copyright_holder.as_deref(),
        Some("Acme News and Media LLC")
    );
    assert_eq!(
        item.tag_names()[..2],
        ["economy, business and finance", "central bank"]
    );
    assert!(
        item.body_markdown
            .starts_with("(New York, NY - October 21) Et, sent luptat luptat, commy Nim zzriureet")
    );
    assert!(source.contains("(New York, NY - October 21) Et, sent luptat luptat, commy"));
    assert!(
        !item.body_markdown.contains("Staff Reporter"),
        "byline is not body"
    );
}

#[test]
fn newsml_g2_picture_with_renditions() {
    if !crate::corpus::corpus_available() {
        return;
    }
    let (item, source) = one("newsml-g2/examples/LISTING_3_Photo_in_NewsML-G2.xml");
    assert_eq!(item.guid, "tag:gettyimages.com,2010:GYI0062134533");
    assert_eq!((item.version, item.item_class), (11, ItemClass::Picture));
    assert_eq!(
        item.headline,
        "Variety Of Recessionary Forces Leave Las Vegas Economy Scarred"
    );
    assert_eq!(item.credit.as_deref(), Some("Getty Images"));
    assert_eq!(item.creators, ["Spencer Platt"]);
    assert!(
        item.caption
            .as_deref()
            .unwrap()
            .starts_with("A general view of part of downtown")
    );
    assert_eq!(
        time(&item),
        "2018-10-12T06:42:04+00:00",
        "trailing space trimmed"
    );
    let best = item.best_rendition().unwrap();
    assert_eq!(
        (best.name.as_str(), best.width, best.height),
        ("highRes", Some(1500), Some(1001))
    );
    assert_eq!(best.href.as_deref(), Some("./GYI0062134533.jpg"));
    assert!(source.contains(r#"href="./GYI0062134533.jpg""#));
    assert_eq!(item.renditions.len(), 3);
}

#[test]
fn newsml_g2_message_without_namespace_links_package_story_and_photo() {
    if !crate::corpus::corpus_available() {
        return;
    }
    let bytes = read("newsml-g2/agency-samples/tt/TT_newsmlg2_sample.xml");
    let items = parse(&bytes).unwrap();
    assert_eq!(items.len(), 3);
    let package = &items[0];
    assert_eq!(package.item_class, ItemClass::Composite);
    assert_eq!(
        package.headline, "Jan Guillou skriver på ny \"Hamilton\"-bok",
        "its story's headline"
    );
    let story = items
        .iter()
        .find(|i| i.item_class == ItemClass::Text)
        .unwrap();
    assert_eq!(story.headline, "Jan Guillou skriver på ny \"Hamilton\"-bok");
    assert!(
        !story.body_markdown.starts_with("## "),
        "headline not repeated"
    );
    assert_eq!(story.language.as_deref(), Some("sv"));
    assert_eq!(story.provider.as_deref(), Some("TT"));
    let photo = package
        .associations
        .iter()
        .filter_map(|a| a.item.as_deref())
        .find(|i| i.item_class == ItemClass::Picture)
        .unwrap();
    assert_eq!(
        photo.caption.as_deref(),
        Some(
            "Journalisten och författaren Jan Guillou jobbar på en ny bok om agenten Hamilton. Arkivbild."
        )
    );
}

#[test]
fn dpa_newsml_g2_items_parse_with_their_rights() {
    if !crate::corpus::corpus_available() {
        return;
    }
    let bytes = read("newsml-g2/agency-samples/dpa/dw-1.xml");
    let items = parse(&bytes).unwrap();
    let source = String::from_utf8_lossy(&bytes);
    let text = &items[0];
    assert!(!text.headline.is_empty());
    assert!(
        source.contains(&text.headline.replace('"', "&quot;")) || source.contains(&text.headline)
    );
    assert!(text.version_created.is_some());
    assert!(!text.body_markdown.is_empty());
    let terms = text.usage_terms.as_deref().unwrap();
    let flat = source.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains(terms), "usage terms from the source: {terms}");
    assert!(terms.contains("Use only with the written agreement with dpa"));
}

#[test]
fn nitf_without_namespace() {
    if !crate::corpus::corpus_available() {
        return;
    }
    let (item, source) = one("nitf/examples/ntb/NTB_nitf_sample.xml");
    assert_eq!(item.guid, "NTB5df9281a-a270-4dc5-a618-869bbc3bbca7_00");
    assert_eq!(
        item.headline,
        "Pandemien herjer på den legeløse indiske landsbygda"
    );
    assert_eq!(item.dateline.as_deref(), Some("Unnao"));
    assert_eq!(item.urgency, Some(5));
    assert_eq!(time(&item), "2021-05-16T09:00:04+00:00");
    assert!(
        item.body_markdown
            .starts_with("Koronapandemien herjer også i landsbyer rundt omkring i India.")
    );
    assert!(source.contains("Koronapandemien herjer også i landsbyer rundt omkring i India."));
}

#[test]
fn iptc_7901_with_control_characters() {
    if !crate::corpus::corpus_available() {
        return;
    }
    let (item, source) = one("iptc7901/examples/dpa/dw-1.iptc");
    assert_eq!(
        item.headline,
        "«Mythos Jungfernhäutchen» - Zwischen Aufklärung und Kommerz"
    );
    assert_eq!(
        item.byline.as_deref(),
        Some("Von Marco Krefting und Sunrita Sen, dpa")
    );
    assert_eq!(item.provider.as_deref(), Some("dpa"));
    assert_eq!(item.urgency, Some(3));
    assert_eq!(time(&item), "2024-09-24T12:05:00+00:00");
    assert_eq!(
        item.keywords[..3],
        ["Gesundheit", "Gesellschaft", "Baden-Württemberg"]
    );
    assert!(
        item.ednote
            .as_deref()
            .unwrap()
            .starts_with("(Berichtigung:")
    );
    assert!(
        item.body_markdown
            .starts_with("Ein Unternehmen aus Baden vertreibt Blutkapseln")
    );
    assert!(source.contains("Ein Unternehmen aus Baden vertreibt Blutkapseln"));
    // The same dispatch twice is the same item; CRLF and LF alike.
    let again = parse(&read("iptc7901/examples/dpa/dw-1.iptc")).unwrap();
    assert_eq!(again[0].guid, item.guid);
    let lf: Vec<u8> = String::from_utf8_lossy(&read("iptc7901/examples/dpa/dw-1.iptc"))
        .replace("\r\n", "\n")
        .into_bytes();
    assert_eq!(parse(&lf).unwrap()[0].headline, item.headline);
}

#[test]
fn every_dpa_7901_file_has_a_headline_and_text() {
    if !crate::corpus::corpus_available() {
        return;
    }
    for name in ["dw-1", "eil", "lesestuecke", "nsb-n1", "spe-tab", "tvo-pol"] {
        let (item, _) = one(&format!("iptc7901/examples/dpa/{name}.iptc"));
        assert!(!item.headline.is_empty(), "{name}");
        assert!(item.version_created.is_some(), "{name}");
    }
}

#[test]
fn ninjs_2_dpa_text() {
    if !crate::corpus::corpus_available() {
        return;
    }
    let (item, source) = one("ninjs/examples/2.1/dpa_text.json");
    assert_eq!(item.guid, "urn:newsml:dpa.com:20090101:190510-99-167362");
    assert_eq!(item.version, 2);
    assert_eq!(
        item.headline,
        "Faktencheck Derby-Elfmeter: Hat Schiedsrichter Zwayer recht?"
    );
    assert_eq!(item.urgency, Some(4));
    assert_eq!(item.language.as_deref(), Some("de"));
    assert!(
        item.body_markdown
            .starts_with("Für Lucien Favre war es «der größte Skandal im Fußball seit Jahren».")
    );
    assert!(
        source.contains("Für Lucien Favre war es «der größte Skandal im Fußball seit Jahren».")
    );
}

#[test]
fn ninjs_versions_agree_on_the_same_story() {
    if !crate::corpus::corpus_available() {
        return;
    }
    // Business Wire published the same release as ninjs 1.4, 2.1 and 3.0.
    let name = "businesswire-newsml-20130605006126.json";
    let v1 = one(&format!("ninjs/examples/1.4/{name}")).0;
    let v2 = one(&format!("ninjs/examples/2.1/{name}")).0;
    let v3 = one(&format!("ninjs/examples/3.0/{name}")).0;
    assert!(!v1.headline.is_empty());
    assert_eq!(v1.headline, v2.headline);
    assert_eq!(v2.headline, v3.headline);
    assert_eq!(v1.guid, v3.guid);
    assert_eq!(v1.version_created, v3.version_created);
    assert_eq!(v1.body_markdown, v3.body_markdown);
    assert!(v1.body_markdown.len() > 200);
}

#[test]
fn ninjs_should_fail_cases_say_what_is_wrong() {
    if !crate::corpus::corpus_available() {
        return;
    }
    let message = |path: &str| parse(&read(path)).unwrap_err().to_string();
    assert!(
        message("ninjs/test-suite/1.0/should_fail/001_no_uri_declared.json")
            .contains("`uri` is required")
    );
    assert!(
        message("ninjs/test-suite/1.0/should_fail/007_pubstatus_cancelled.json")
            .contains("\"cancelled\"")
    );
    assert!(
        message("ninjs/test-suite/1.0/should_fail/002_type_invalid.json").contains("unknown type")
    );
    assert!(
        message("ninjs/test-suite/1.0/should_fail/008_usageterms_object.json")
            .contains("`usageTerms` must be a string")
    );
}

#[test]
fn pub_status_and_embargo() {
    let doc = br#"{"uri": "urn:x:1", "version": "3", "pubstatus": "canceled", "embargoed": "2030-01-01T08:00:00+02:00", "headline": "Retir\u00e9e"}"#;
    let item = &parse(doc).unwrap()[0];
    assert_eq!(item.pub_status, PubStatus::Canceled);
    assert_eq!(item.version, 3);
    assert_eq!(
        item.embargo.unwrap().to_rfc3339(),
        "2030-01-01T06:00:00+00:00"
    );
    let g2 = br#"<newsItem guid="g" version="2"><itemMeta><itemClass qcode="ninat:text"/><pubStatus qcode="stat:withheld"/><embargoed>2030-01-01T00:00:00Z</embargoed></itemMeta></newsItem>"#;
    let item = &parse(g2).unwrap()[0];
    assert_eq!((item.pub_status, item.version), (PubStatus::Withheld, 2));
    assert!(item.embargo.is_some());
}

#[test]
fn ninjs_1_picture_with_remote_renditions() {
    if !crate::corpus::corpus_available() {
        return;
    }
    let (item, source) = one("ninjs/examples/1.4/ninjsExSimplePhoto1.json");
    assert_eq!(
        item.guid,
        "http://ninjs.example.com/newsitems/20130709simpPh123"
    );
    assert_eq!(item.item_class, ItemClass::Picture);
    assert_eq!(item.headline, "Costa Concordia cruise ship");
    assert_eq!(item.byline.as_deref(), Some("Paulo Santalucia"));
    assert_eq!(time(&item), "2013-07-08T08:12:00+00:00");
    let caption = item.caption.as_deref().unwrap();
    assert!(caption.starts_with("The Costa Concordia cruise ship lies on its side"));
    assert!(source.contains("The Costa Concordia cruise ship lies on its side"));
    let best = item.best_rendition().unwrap();
    assert_eq!(best.width, Some(429));
    assert!(best.href.as_deref().unwrap().ends_with("-big.jpg"));
}

#[test]
fn ninjs_3_picture_from_ap() {
    if !crate::corpus::corpus_available() {
        return;
    }
    let (item, source) = one("ninjs/examples/3.0/ap_image.json");
    assert_eq!(item.item_class, ItemClass::Picture);
    assert_eq!(item.headline, "Turkey Islamic State");
    assert_eq!(item.language.as_deref(), Some("en"));
    assert_eq!(time(&item), "2019-11-15T14:39:44+00:00");
    assert_eq!(item.provider.as_deref(), Some("DHA"));
    assert!(
        item.caption
            .as_deref()
            .unwrap()
            .starts_with("FILE - In this Monday, Nov. 11, 2019 file photo")
    );
    assert!(source.contains("FILE - In this Monday, Nov. 11, 2019 file photo"));
    assert_eq!(item.best_rendition().unwrap().width, Some(3000));
    assert_eq!(
        item.renditions.len(),
        source.matches("\"href\"").count(),
        "every rendition"
    );
}
