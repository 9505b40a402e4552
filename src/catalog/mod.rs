//! Typed catalogs of every documented code (docs: the `rules` page, section Catalogs).

pub(crate) mod bce;
pub(crate) mod tencent;
