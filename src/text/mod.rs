//! Text utilities shared by every view that puts untrusted text on screen.
//!
//! [`sanitize`] makes text safe to print (no control characters or escape
//! sequences), [`wrap`] lays styled text out to a column width using the same
//! grapheme widths ratatui uses when it draws.

pub mod sanitize;
pub mod wrap;
