//! The admin JSON API (`/api/v1`), for scripts, wire robots and other newsrooms'
//! tools. Authenticated by personal API tokens (`Authorization: Bearer kq_…`), with the
//! token owner's role. Errors are RFC 9457 problem documents.

mod v1;

pub use v1::routes;
