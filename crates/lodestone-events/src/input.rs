//! Why this file exists: an article arrives as bytes — plain text or HTML, possibly empty, binary
//! or enormous. This turns it into text safely (scripts and styles dropped, nothing fetched or
//! run) or says clearly why it will not.

use crate::error::EventError;

/// Inputs larger than this are refused.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// Validates and decodes an article. HTML (detected by its tags) is reduced to text; byte offsets
/// in the extraction refer to the returned text.
pub fn prepare(bytes: &[u8]) -> Result<String, EventError> {
    if bytes.len() > MAX_BYTES {
        return Err(EventError::Input(format!(
            "input refused: {} bytes is over the {} MB limit",
            bytes.len(),
            MAX_BYTES / 1024 / 1024
        )));
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(EventError::Input("input is empty".into()));
    }
    let controls = bytes
        .iter()
        .filter(|&&b| b == 0 || (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)))
        .count();
    if bytes.contains(&0) || controls * 100 > bytes.len() {
        return Err(EventError::Input(
            "input looks binary (NUL or control bytes), not text or HTML".into(),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let good = e.valid_up_to();
        let (line, column) =
            lodestone_model::line_col(std::str::from_utf8(&bytes[..good]).unwrap_or(""), good);
        EventError::Input(format!(
            "expected UTF-8 text, found byte 0x{:02x} at line {line}, column {column}",
            bytes[good]
        ))
    })?;
    let lower_head: String = text.chars().take(2000).collect::<String>().to_lowercase();
    let looks_html = [
        "<html",
        "<body",
        "<p>",
        "<p ",
        "<div",
        "<article",
        "<!doctype",
    ]
    .iter()
    .any(|t| lower_head.contains(t));
    Ok(if looks_html {
        strip_html(text)
    } else {
        text.to_string()
    })
}

fn decode_entity(e: &str) -> Option<char> {
    match e {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" | "#39" => Some('\''),
        "nbsp" => Some(' '),
        "ndash" => Some('–'),
        "mdash" => Some('—'),
        "rsquo" | "lsquo" => Some('\''),
        "ldquo" | "rdquo" => Some('"'),
        _ => {
            let n = e.strip_prefix('#')?;
            let code = match n.strip_prefix(['x', 'X']) {
                Some(h) => u32::from_str_radix(h, 16).ok()?,
                None => n.parse().ok()?,
            };
            char::from_u32(code).filter(|c| !c.is_control() || c.is_whitespace())
        }
    }
}

/// Reduces HTML to text: comments, `<script>` and `<style>` contents dropped, tags removed (block
/// tags become line breaks), character references decoded.
pub fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let lower = html.to_ascii_lowercase();
    let mut i = 0;
    let b = html.as_bytes();
    while i < b.len() {
        if b[i] == b'<' {
            if lower[i..].starts_with("<!--") {
                i = lower[i..].find("-->").map_or(b.len(), |e| i + e + 3);
                continue;
            }
            let skip_to = ["script", "style", "noscript", "template"]
                .iter()
                .find_map(|t| {
                    let open = format!("<{t}");
                    let next = lower.as_bytes().get(i + open.len()).copied();
                    (lower[i..].starts_with(&open)
                        && matches!(next, Some(b'>' | b' ' | b'\t' | b'\n' | b'/')))
                    .then(|| {
                        lower[i..]
                            .find(&format!("</{t}"))
                            .map_or(b.len(), |e| i + e)
                    })
                });
            if let Some(j) = skip_to {
                i = j;
                // then skip the closing tag itself
                i = lower[i..].find('>').map_or(b.len(), |e| i + e + 1);
                continue;
            }
            let end = lower[i..].find('>').map_or(b.len(), |e| i + e + 1);
            let tag = &lower[i..end];
            if [
                "<p",
                "</p",
                "<br",
                "<div",
                "</div",
                "<li",
                "<h1",
                "<h2",
                "<h3",
                "</h",
                "<tr",
                "<article",
                "</article",
            ]
            .iter()
            .any(|t| tag.starts_with(t))
            {
                out.push('\n');
            }
            i = end;
        } else if b[i] == b'&' {
            let end = html[i..].find(';').filter(|e| *e <= 10);
            match end.and_then(|e| decode_entity(&html[i + 1..i + e]).map(|c| (c, e))) {
                Some((c, e)) => {
                    out.push(c);
                    i += e + 1;
                }
                None => {
                    out.push('&');
                    i += 1;
                }
            }
        } else {
            let ch = html[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}
