//! Page tests through the router, on a real SQLite database in a temporary folder.

mod app;
mod article_page;
mod listings;
mod site;
