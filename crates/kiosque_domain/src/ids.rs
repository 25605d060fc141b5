//! Identifier newtypes, so an article id can never be passed where a section id is
//! expected.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// The numeric id of an article; it appears in the public URL and never changes.
    ArticleId
);
id_type!(
    /// A section of the site (`monde`, `monde/europe`).
    SectionId
);
id_type!(
    /// A tag.
    TagId
);
id_type!(
    /// A contributor: a person or a desk.
    ContributorId
);
id_type!(
    /// A stored media item (an image and its renditions).
    MediaId
);
id_type!(
    /// An entry of a live article's stream; it appears in its permalink.
    LiveEntryId
);
