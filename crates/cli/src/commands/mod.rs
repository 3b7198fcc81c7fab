//! One module per subcommand: its arguments and its `run`.

pub mod annotate;
pub mod check;
pub mod merge;
pub mod parse;
pub mod rules;
pub mod score;
pub mod table;
