//! Sections: the site's tree of rubriques (`monde`, `monde/europe`). A section's `path`
//! is its slug prefixed with its ancestors' slugs; it is the URL of its page.

use crate::ids::SectionId;
use crate::slug::Slug;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub id: SectionId,
    pub parent_id: Option<SectionId>,
    pub slug: Slug,
    pub name: String,
    /// Slash-separated slugs from the root, e.g. `monde/europe`.
    pub path: String,
    pub description: String,
    /// Order among siblings in navigation.
    pub position: i64,
}

/// A section to insert; its path is derived from its parent's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSection {
    pub parent_id: Option<SectionId>,
    pub slug: Slug,
    pub name: String,
    pub description: String,
    pub position: i64,
}

impl NewSection {
    /// The path of this section under a parent with path `parent_path`.
    pub fn path_under(&self, parent_path: Option<&str>) -> String {
        match parent_path {
            Some(p) => format!("{p}/{}", self.slug),
            None => self.slug.to_string(),
        }
    }
}

/// All sections of a site, small enough to hold in memory, with tree queries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SectionTree {
    sections: Vec<Section>,
}

impl SectionTree {
    pub fn new(mut sections: Vec<Section>) -> Self {
        sections.sort_by(|a, b| (a.position, &a.name).cmp(&(b.position, &b.name)));
        Self { sections }
    }

    pub fn by_path(&self, path: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.path == path)
    }

    pub fn by_id(&self, id: SectionId) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    /// Top-level sections, in navigation order.
    pub fn roots(&self) -> impl Iterator<Item = &Section> {
        self.sections.iter().filter(|s| s.parent_id.is_none())
    }

    /// Direct children of a section, in navigation order.
    pub fn children(&self, id: SectionId) -> impl Iterator<Item = &Section> {
        self.sections
            .iter()
            .filter(move |s| s.parent_id == Some(id))
    }

    /// The section and its ancestors, root first: the breadcrumb trail.
    pub fn trail(&self, section: &Section) -> Vec<&Section> {
        let mut trail = Vec::new();
        let mut current = self.by_id(section.id);
        while let Some(s) = current {
            trail.push(s);
            // A malformed tree with a cycle stops at the number of sections.
            if trail.len() > self.sections.len() {
                break;
            }
            current = s.parent_id.and_then(|p| self.by_id(p));
        }
        trail.reverse();
        trail
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(id: i64, parent: Option<i64>, path: &str) -> Section {
        let slug = path.rsplit('/').next().unwrap_or(path);
        Section {
            id: SectionId(id),
            parent_id: parent.map(SectionId),
            slug: Slug::parse(slug).unwrap(),
            name: slug.to_uppercase(),
            path: path.into(),
            description: String::new(),
            position: id,
        }
    }

    #[test]
    fn trail_runs_from_root_to_section() {
        let tree = SectionTree::new(vec![
            section(1, None, "monde"),
            section(2, Some(1), "monde/europe"),
            section(3, None, "sport"),
        ]);
        let europe = tree.by_path("monde/europe").unwrap();
        let trail: Vec<_> = tree.trail(europe).iter().map(|s| s.path.as_str()).collect();
        assert_eq!(trail, ["monde", "monde/europe"]);
        assert_eq!(tree.roots().count(), 2);
        assert_eq!(tree.children(SectionId(1)).count(), 1);
    }

    #[test]
    fn child_path_joins_the_parent_path() {
        let new = NewSection {
            parent_id: Some(SectionId(1)),
            slug: Slug::parse("europe").unwrap(),
            name: "Europe".into(),
            description: String::new(),
            position: 0,
        };
        assert_eq!(new.path_under(Some("monde")), "monde/europe");
        assert_eq!(new.path_under(None), "europe");
    }
}
