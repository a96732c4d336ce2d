//! The views, one for each `state::View`: what the public sees first, what analysts
//! edit, the comparison, the presentation and the board pack (which prints the
//! presentation's steps); the glossary; and the parts of them bound to the store (an
//! input, the file tools).

pub mod area;
pub mod board_pack;
pub mod compare;
pub mod edit;
pub mod field;
pub mod file_tools;
pub mod glossary;
pub mod presentation;
pub mod public;
