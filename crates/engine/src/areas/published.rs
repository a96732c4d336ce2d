//! The areas assets published with this build of OneBudget, one per year, and how to check
//! them. The list ([`FILES`]) is written by the asset tool (`bash scripts/areas.sh`) beside
//! the assets it makes; a test regenerates both and compares them byte for byte.
//!
//! The app fetches a year's [`PublishedFile::path`] (relative to its own address) with
//! [`PublishedFile::integrity`] as the fetch's `integrity`, so the browser refuses a file
//! whose SHA-384 differs; [`super::decode`] then checks the content hash inside the file,
//! and [`PublishedFile::content_hash`] says which file it must be.

use super::DataYear;

/// One year's asset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PublishedFile {
    pub year: DataYear,
    /// Where the app finds it, relative to the app's address: "areas/2025-26.bin".
    pub path: &'static str,
    /// Its length in bytes.
    pub bytes: u32,
    /// The content hash in its header (FNV-1a, 64 bits).
    pub content_hash: u64,
    /// Subresource Integrity: "sha384-" and the base64 of its SHA-384.
    pub integrity: &'static str,
}

/// Every published year, oldest first (generated: see the module notes).
pub const FILES: &[PublishedFile] = &include!("published_files.rs");

/// The published file for a year.
pub fn file(year: DataYear) -> Option<&'static PublishedFile> {
    FILES.iter().find(|f| f.year == year)
}

/// The years published, oldest first.
pub fn years() -> impl Iterator<Item = DataYear> {
    FILES.iter().map(|f| f.year)
}
