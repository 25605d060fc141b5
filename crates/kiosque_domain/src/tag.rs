//! Tags: free keywords linking articles across sections.

use crate::ids::TagId;
use crate::slug::Slug;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    pub id: TagId,
    pub slug: Slug,
    pub name: String,
}
