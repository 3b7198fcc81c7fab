//! Renderers of check results: one small file per output format.

pub mod human;
pub mod json;
