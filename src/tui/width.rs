//! Text measured in terminal columns: a CJK character or an emoji takes two, a combining mark
//! none. Column layout (the help's key column, the settings table) pads by these widths, never
//! by bytes or chars, so Chinese labels line up like English ones.

use unicode_width::UnicodeWidthStr;

/// The columns `text` takes on a terminal.
pub fn columns(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// `text` followed by spaces up to `width` columns (unchanged when it is already as wide).
pub fn pad(text: &str, width: usize) -> String {
    let mut out = text.to_owned();
    out.extend(std::iter::repeat_n(
        ' ',
        width.saturating_sub(columns(text)),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_pad_by_columns() {
        assert_eq!(columns("温度"), 4);
        assert_eq!(pad("温度", 6), "温度  ");
        assert_eq!(pad("top_k", 6), "top_k ");
        assert_eq!(pad("很长的标签", 4), "很长的标签");
    }
}
