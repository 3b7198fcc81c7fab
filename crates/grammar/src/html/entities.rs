//! Character references (`&nbsp;`, `&#160;`, `&#xA0;`, `&hearts;`).
//!
//! Numeric references and the common named ones are decoded by a built-in
//! table (C1 code points as Windows-1252 reads them, the legacy names also
//! without `;`), and any other `&name;` by asking html5gum (which has the full
//! WHATWG table) to decode just that reference.

use html5gum::{Token, Tokenizer};

/// Named references decoded without asking the tokenizer: (name, text, legacy),
/// legacy names being those also recognized without the `;`.
const ENTITIES: &[(&str, &str, bool)] = &[
    ("nbsp", "\u{a0}", true),
    ("amp", "&", true),
    ("lt", "<", true),
    ("gt", ">", true),
    ("quot", "\"", true),
    ("AMP", "&", true),
    ("LT", "<", true),
    ("GT", ">", true),
    ("QUOT", "\"", true),
    ("apos", "'", false),
    ("copy", "©", true),
    ("COPY", "©", true),
    ("reg", "®", true),
    ("REG", "®", true),
    ("deg", "°", true),
    ("middot", "·", true),
    ("times", "×", true),
    ("divide", "÷", true),
    ("plusmn", "±", true),
    ("yen", "¥", true),
    ("sect", "§", true),
    ("para", "¶", true),
    ("laquo", "«", true),
    ("raquo", "»", true),
    ("frac12", "½", true),
    ("frac14", "¼", true),
    ("frac34", "¾", true),
    ("sup1", "¹", true),
    ("sup2", "²", true),
    ("sup3", "³", true),
    ("micro", "µ", true),
    ("cent", "¢", true),
    ("pound", "£", true),
    ("curren", "¤", true),
    ("brvbar", "¦", true),
    ("uml", "¨", true),
    ("ordf", "ª", true),
    ("ordm", "º", true),
    ("not", "¬", true),
    ("shy", "\u{ad}", true),
    ("macr", "¯", true),
    ("acute", "´", true),
    ("cedil", "¸", true),
    ("iexcl", "¡", true),
    ("iquest", "¿", true),
    ("ensp", "\u{2002}", false),
    ("emsp", "\u{2003}", false),
    ("thinsp", "\u{2009}", false),
    ("zwnj", "\u{200c}", false),
    ("zwj", "\u{200d}", false),
    ("lrm", "\u{200e}", false),
    ("rlm", "\u{200f}", false),
    ("ndash", "–", false),
    ("mdash", "—", false),
    ("lsquo", "‘", false),
    ("rsquo", "’", false),
    ("sbquo", "‚", false),
    ("ldquo", "“", false),
    ("rdquo", "”", false),
    ("bdquo", "„", false),
    ("hellip", "…", false),
    ("bull", "•", false),
    ("permil", "‰", false),
    ("prime", "′", false),
    ("Prime", "″", false),
    ("euro", "€", false),
    ("trade", "™", false),
    ("larr", "←", false),
    ("uarr", "↑", false),
    ("rarr", "→", false),
    ("darr", "↓", false),
    ("harr", "↔", false),
    ("le", "≤", false),
    ("ge", "≥", false),
    ("ne", "≠", false),
    ("asymp", "≈", false),
    ("minus", "−", false),
    ("radic", "√", false),
    ("infin", "∞", false),
    ("sum", "∑", false),
    ("alpha", "α", false),
    ("beta", "β", false),
    ("gamma", "γ", false),
    ("delta", "δ", false),
    ("mu", "μ", false),
    ("pi", "π", false),
    ("sigma", "σ", false),
    ("omega", "ω", false),
];

/// Windows-1252 meanings of the C1 code points in numeric references.
const C1: [u32; 32] = [
    0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
];

/// The character reference starting at `text[amp]` (an `&`) and ending by
/// `limit`: its length in bytes and its text.
pub(super) fn entity_at(text: &str, amp: usize, limit: usize) -> Option<(usize, String)> {
    let bytes = text.as_bytes().get(amp..limit)?;
    if bytes.first() != Some(&b'&') {
        return None;
    }
    if bytes.get(1) == Some(&b'#') {
        return numeric_reference(bytes);
    }
    let name_len = bytes[1..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if name_len == 0 || !bytes[1].is_ascii_alphabetic() {
        return None;
    }
    let name = text.get(amp + 1..amp + 1 + name_len)?;
    if bytes.get(1 + name_len) == Some(&b';') {
        if let Some(&(_, value, _)) = ENTITIES.iter().find(|(n, _, _)| *n == name) {
            return Some((name_len + 2, value.to_string()));
        }
        if name_len <= 32 {
            if let Some(value) = tokenizer_decode(&text[amp..amp + name_len + 2]) {
                return Some((name_len + 2, value));
            }
        }
    }
    // Legacy references recognized without `;` (the longest one that matches).
    ENTITIES
        .iter()
        .filter(|(n, _, legacy)| *legacy && name.starts_with(n))
        .max_by_key(|(n, _, _)| n.len())
        .map(|&(n, value, _)| (n.len() + 1, value.to_string()))
}

/// A numeric reference (`&#160;`, `&#xA0;`) at the start of `bytes`.
fn numeric_reference(bytes: &[u8]) -> Option<(usize, String)> {
    let hex = matches!(bytes.get(2), Some(b'x' | b'X'));
    let digits_start = if hex { 3 } else { 2 };
    let digits = bytes
        .get(digits_start..)?
        .iter()
        .take_while(|b| {
            if hex {
                b.is_ascii_hexdigit()
            } else {
                b.is_ascii_digit()
            }
        })
        .count();
    if digits == 0 {
        return None;
    }
    let value = bytes[digits_start..digits_start + digits]
        .iter()
        .fold(0u32, |v, &b| {
            let d = (b as char).to_digit(16).unwrap_or(0);
            v.saturating_mul(if hex { 16 } else { 10 })
                .saturating_add(d)
                .min(0x11_0000)
        });
    let mut len = digits_start + digits;
    if bytes.get(len) == Some(&b';') {
        len += 1;
    }
    let code = match value {
        0 => 0xFFFD,
        0x80..=0x9F => C1[(value - 0x80) as usize],
        v => v,
    };
    let c = char::from_u32(code).unwrap_or('\u{FFFD}');
    Some((len, c.to_string()))
}

/// Asks html5gum to decode one named reference `&name;`; `None` when it is not
/// one (the tokenizer gives it back unchanged or only partly decoded).
fn tokenizer_decode(reference: &str) -> Option<String> {
    let mut out = Vec::new();
    for item in Tokenizer::new(reference) {
        match item {
            Ok(Token::String(s)) => out.extend_from_slice(&s.value),
            Ok(_) => {}
            Err(never) => match never {},
        }
    }
    let decoded = String::from_utf8(out).ok()?;
    let chars = decoded.chars().count();
    let whole = decoded != reference && (1..=2).contains(&chars) && !decoded.contains('&');
    whole.then_some(decoded)
}

/// `s` with its character references decoded.
pub(super) fn decode_all(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pos = 0;
    while let Some(off) = s[pos..].find('&') {
        let amp = pos + off;
        out.push_str(&s[pos..amp]);
        match entity_at(s, amp, s.len()) {
            Some((len, decoded)) => {
                out.push_str(&decoded);
                pos = amp + len;
            }
            None => {
                out.push('&');
                pos = amp + 1;
            }
        }
    }
    out.push_str(&s[pos..]);
    out
}
