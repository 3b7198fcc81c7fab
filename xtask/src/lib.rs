//! The parts of `cargo xtask` that tests also use: the corpus run and its baseline.

pub mod corpus;
