//! The views: what the public sees first, what analysts edit, and the glossary.

pub mod board_pack;
pub mod compare;
pub mod edit;
pub mod glossary;
pub mod public;
