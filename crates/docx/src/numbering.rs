//! Automatic numbering: the `w:numPr` of a paragraph (its own, or its style's
//! through `w:basedOn`) resolved through `word/numbering.xml` into the marker
//! Word shows — `一、`, `（一）`, `1.` — which the outline reads as the section
//! numbers a draft often does not have in its text.
//!
//! Counters go as Word's do: a level's counter starts at its `w:start` and goes
//! up by one per numbered paragraph of that level; a paragraph of a level
//! restarts the levels below it (unless their `w:lvlRestart` says otherwise). The
//! instances (`w:num`) of one list definition (`w:abstractNum`) share its counters,
//! as they continue one list in Word; an instance with a `w:startOverride` (Word's
//! "restart numbering") has counters of its own.
//!
//! A list definition may hold no levels of its own but a `w:numStyleLink` to a
//! numbering style (Word writes one for a list made from a list style): the style's
//! `w:numPr/w:numId` names an instance whose definition (the one with the matching
//! `w:styleLink`) has the levels; the list is that definition's, counters included.

use std::collections::HashMap;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::xml::{attr, attr_int, XmlError};

/// The deepest level Word defines (0–8).
const LEVELS: usize = 9;

/// One level of a list definition.
#[derive(Clone, Debug, Default)]
struct Level {
    start: Option<i64>,
    format: String,
    text: Option<String>,
    restart: Option<i64>,
    legal: bool,
}

/// A list instance (`w:num`).
#[derive(Clone, Debug, Default)]
struct Instance {
    abstract_id: i64,
    /// `w:lvlOverride`s: a start, or a whole level.
    starts: HashMap<usize, i64>,
    levels: HashMap<usize, Level>,
}

/// A paragraph style's numbering and the style it is based on.
#[derive(Clone, Debug, Default)]
struct Style {
    based_on: Option<String>,
    num_id: Option<i64>,
    level: Option<i64>,
}

/// The numbering of a document and the counters of its lists so far.
#[derive(Debug, Default)]
pub struct Numbering {
    abstracts: HashMap<i64, Vec<Level>>,
    /// `w:numStyleLink` of a list definition: the numbering style it stands for.
    style_links: HashMap<i64, String>,
    instances: HashMap<i64, Instance>,
    styles: HashMap<String, Style>,
    counters: HashMap<CounterKey, [Option<i64>; LEVELS]>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum CounterKey {
    Abstract(i64),
    Instance(i64),
}

/// What a paragraph's properties say of its numbering.
#[derive(Clone, Debug, Default)]
pub struct ParaNumbering {
    /// `w:pStyle`.
    pub style: Option<String>,
    /// `w:numPr/w:numId`.
    pub num_id: Option<i64>,
    /// `w:numPr/w:ilvl`.
    pub level: Option<i64>,
}

impl Numbering {
    /// Reads `word/numbering.xml`.
    pub fn read_numbering(&mut self, xml: &[u8]) -> Result<(), XmlError> {
        let mut reader = Reader::from_reader(xml);
        let mut abstract_id: Option<i64> = None;
        let mut num: Option<(i64, Instance)> = None;
        let mut level: Option<(usize, Level)> = None;
        let mut override_level: Option<usize> = None;
        loop {
            let event = reader.read_event().map_err(|e| XmlError::new(&reader, e))?;
            match event {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let empty = matches!(event, Event::Empty(_));
                    match e.name().as_ref() {
                        b"w:abstractNum" if !empty => {
                            abstract_id = attr_int(e, b"w:abstractNumId");
                            if let Some(id) = abstract_id {
                                self.abstracts.entry(id).or_default();
                            }
                        }
                        b"w:num" if !empty => {
                            num = attr_int(e, b"w:numId").map(|id| (id, Instance::default()));
                        }
                        b"w:abstractNumId" => {
                            if let (Some((_, n)), Some(v)) = (num.as_mut(), attr_int(e, b"w:val")) {
                                n.abstract_id = v;
                            }
                        }
                        b"w:numStyleLink" if level.is_none() => {
                            if let (Some(id), Some(style)) = (abstract_id, attr(e, b"w:val")) {
                                self.style_links.insert(id, style);
                            }
                        }
                        b"w:lvlOverride" if !empty => {
                            override_level = level_index(e);
                        }
                        b"w:startOverride" => {
                            if let (Some((_, n)), Some(l), Some(v)) =
                                (num.as_mut(), override_level, attr_int(e, b"w:val"))
                            {
                                n.starts.insert(l, v);
                            }
                        }
                        b"w:lvl" if !empty => {
                            level = level_index(e).map(|i| (i, Level::default()));
                        }
                        name => {
                            if let Some((_, l)) = level.as_mut() {
                                read_level_property(l, name, e);
                            }
                        }
                    }
                }
                Event::End(ref e) => match e.name().as_ref() {
                    b"w:lvl" => {
                        if let Some((i, l)) = level.take() {
                            match (num.as_mut(), override_level) {
                                (Some((_, n)), Some(_)) => {
                                    n.levels.insert(i, l);
                                }
                                _ => {
                                    if let Some(levels) =
                                        abstract_id.and_then(|id| self.abstracts.get_mut(&id))
                                    {
                                        if levels.len() <= i {
                                            levels.resize(i + 1, Level::default());
                                        }
                                        levels[i] = l;
                                    }
                                }
                            }
                        }
                    }
                    b"w:lvlOverride" => override_level = None,
                    b"w:abstractNum" => abstract_id = None,
                    b"w:num" => {
                        if let Some((id, n)) = num.take() {
                            self.instances.insert(id, n);
                        }
                    }
                    _ => {}
                },
                Event::Eof => return Ok(()),
                _ => {}
            }
        }
    }

    /// Reads the paragraph styles of `word/styles.xml`: their numbering and base.
    pub fn read_styles(&mut self, xml: &[u8]) -> Result<(), XmlError> {
        let mut reader = Reader::from_reader(xml);
        let mut style: Option<(String, Style)> = None;
        loop {
            let event = reader.read_event().map_err(|e| XmlError::new(&reader, e))?;
            match event {
                Event::Start(ref e) | Event::Empty(ref e) => match e.name().as_ref() {
                    b"w:style" if matches!(event, Event::Start(_)) => {
                        style = attr(e, b"w:styleId").map(|id| (id, Style::default()));
                    }
                    b"w:basedOn" => {
                        if let Some((_, s)) = style.as_mut() {
                            s.based_on = attr(e, b"w:val");
                        }
                    }
                    b"w:numId" => {
                        if let Some((_, s)) = style.as_mut() {
                            s.num_id = attr_int(e, b"w:val");
                        }
                    }
                    b"w:ilvl" => {
                        if let Some((_, s)) = style.as_mut() {
                            s.level = attr_int(e, b"w:val");
                        }
                    }
                    _ => {}
                },
                Event::End(ref e) if e.name().as_ref() == b"w:style" => {
                    if let Some((id, s)) = style.take() {
                        self.styles.insert(id, s);
                    }
                }
                Event::Eof => return Ok(()),
                _ => {}
            }
        }
    }

    /// The marker of a numbered paragraph, its counters moved on; `None` for a
    /// paragraph without numbering (or with a bullet, which is not a number).
    pub fn marker(&mut self, para: &ParaNumbering) -> Option<String> {
        let (num_id, level) = self.resolve(para)?;
        if num_id == 0 {
            return None;
        }
        let level = usize::try_from(level).ok().filter(|l| *l < LEVELS)?;
        let instance = self.instances.get(&num_id)?;
        let abstract_id = self.linked(instance.abstract_id);
        let levels = self.abstracts.get(&abstract_id)?;
        let def = |i: usize| -> Level {
            instance
                .levels
                .get(&i)
                .or_else(|| levels.get(i))
                .cloned()
                .unwrap_or_default()
        };
        let start = |i: usize| -> i64 {
            instance
                .starts
                .get(&i)
                .copied()
                .or(def(i).start)
                .unwrap_or(1)
        };
        let key = if instance.starts.is_empty() {
            CounterKey::Abstract(abstract_id)
        } else {
            CounterKey::Instance(num_id)
        };
        let starts: Vec<i64> = (0..LEVELS).map(start).collect();
        let defs: Vec<Level> = (0..LEVELS).map(def).collect();
        let counters = self.counters.entry(key).or_insert([None; LEVELS]);
        counters[level] = Some(match counters[level] {
            Some(n) => n.saturating_add(1),
            None => starts[level],
        });
        for (deeper, counter) in counters.iter_mut().enumerate().skip(level + 1) {
            let restarts = match defs[deeper].restart {
                None => true,
                Some(0) => false,
                Some(k) => (level as i64) < k,
            };
            if restarts {
                *counter = None;
            }
        }
        let this = &defs[level];
        if this.format == "bullet" || this.format == "none" {
            return None;
        }
        let text = this.text.clone()?;
        let mut out = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, chars.peek().and_then(|d| d.to_digit(10))) {
                ('%', Some(d @ 1..=9)) => {
                    chars.next();
                    let i = d as usize - 1;
                    let n = counters[i].unwrap_or(starts[i]);
                    let format = if this.legal && i != level {
                        "decimal"
                    } else {
                        defs[i].format.as_str()
                    };
                    out.push_str(&format_number(n, format));
                }
                _ => out.push(c),
            }
        }
        (!out.is_empty()).then_some(out)
    }

    /// The list definition that has the levels of definition `id`: itself, or
    /// the one its `w:numStyleLink` leads to through the numbering style's
    /// instance (a few steps at most: a loop or a dead end stays where it is).
    fn linked(&self, id: i64) -> i64 {
        let mut at = id;
        for _ in 0..8 {
            let next = self
                .style_links
                .get(&at)
                .and_then(|style| self.styles.get(style))
                .and_then(|s| s.num_id)
                .and_then(|num| self.instances.get(&num))
                .map(|i| i.abstract_id);
            match next {
                Some(n) if n != at && self.abstracts.contains_key(&n) => at = n,
                _ => break,
            }
        }
        at
    }

    /// The list instance and level of a paragraph: its own `w:numPr`, else its
    /// style's (through `w:basedOn`, at most a few steps: a loop ends).
    fn resolve(&self, para: &ParaNumbering) -> Option<(i64, i64)> {
        let mut num_id = para.num_id;
        let mut level = para.level;
        let mut style = para.style.as_deref();
        for _ in 0..16 {
            if num_id.is_some() && level.is_some() {
                break;
            }
            let Some(s) = style.and_then(|id| self.styles.get(id)) else {
                break;
            };
            if num_id.is_none() {
                num_id = s.num_id;
                // A style's level goes with its list.
                if level.is_none() {
                    level = s.level;
                }
            }
            style = s.based_on.as_deref();
        }
        Some((num_id?, level.unwrap_or(0)))
    }
}

/// `w:ilvl` of a `w:lvl` or `w:lvlOverride`.
fn level_index(e: &BytesStart<'_>) -> Option<usize> {
    attr_int(e, b"w:ilvl")
        .and_then(|i| usize::try_from(i).ok())
        .filter(|i| *i < LEVELS)
}

fn read_level_property(level: &mut Level, name: &[u8], e: &BytesStart<'_>) {
    match name {
        b"w:start" => level.start = attr_int(e, b"w:val"),
        b"w:numFmt" => level.format = attr(e, b"w:val").unwrap_or_default(),
        b"w:lvlText" => level.text = attr(e, b"w:val"),
        b"w:lvlRestart" => level.restart = attr_int(e, b"w:val"),
        b"w:isLgl" => {
            level.legal = attr(e, b"w:val").is_none_or(|v| v != "0" && v != "false");
        }
        _ => {}
    }
}

/// A counter in a `w:numFmt`.
///
/// ```text
/// chineseCounting 1 → 一, 10 → 十, 12 → 十二, 20 → 二十; decimal 3 → 3
/// ```
pub(crate) fn format_number(n: i64, format: &str) -> String {
    match format {
        "chineseCounting"
        | "chineseCountingThousand"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "ideographDigital" => chinese(n, "〇一二三四五六七八九", ["十", "百", "千"]),
        "chineseLegalSimplified" => chinese(n, "零壹贰叁肆伍陆柒捌玖", ["拾", "佰", "仟"]),
        "ideographTraditional" => cycle(n, "甲乙丙丁戊己庚辛壬癸"),
        "ideographZodiac" => cycle(n, "子丑寅卯辰巳午未申酉戌亥"),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n as u32 - 1).map_or_else(|| n.to_string(), String::from)
        }
        "decimalEnclosedParen" if (1..=20).contains(&n) => {
            char::from_u32(0x2474 + n as u32 - 1).map_or_else(|| n.to_string(), String::from)
        }
        "decimalEnclosedFullstop" if (1..=20).contains(&n) => {
            char::from_u32(0x2488 + n as u32 - 1).map_or_else(|| n.to_string(), String::from)
        }
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|c| match c.to_digit(10) {
                Some(d) => char::from_u32(0xFF10 + d).unwrap_or(c),
                None => c,
            })
            .collect(),
        "decimalZero" if (0..10).contains(&n) => format!("0{n}"),
        "upperRoman" => roman(n),
        "lowerRoman" => roman(n).to_lowercase(),
        "upperLetter" => letter(n),
        "lowerLetter" => letter(n).to_lowercase(),
        _ => n.to_string(),
    }
}

/// 1 → 一, 10 → 十, 15 → 十五, 20 → 二十, 105 → 一百零五 (up to 9999; beyond, digits).
fn chinese(n: i64, digits: &str, units: [&str; 3]) -> String {
    let d: Vec<char> = digits.chars().collect();
    if !(0..10_000).contains(&n) {
        return n.to_string();
    }
    if n == 0 {
        return d[0].to_string();
    }
    let places = [n / 1000 % 10, n / 100 % 10, n / 10 % 10, n % 10];
    let names = [units[2], units[1], units[0], ""];
    let mut out = String::new();
    let mut zero = false;
    let first = places.iter().position(|p| *p != 0).unwrap_or(3);
    for (i, &p) in places.iter().enumerate().skip(first) {
        if p == 0 {
            zero = true;
            continue;
        }
        if zero {
            // The zero inside a number is 零 (一百零五), as written.
            out.push(if d[0] == '〇' { '零' } else { d[0] });
            zero = false;
        }
        // 十五, not 一十五, when the tens lead.
        if !(i == 2 && i == first && p == 1) {
            out.push(d[p as usize]);
        }
        out.push_str(names[i]);
    }
    out
}

fn cycle(n: i64, names: &str) -> String {
    let names: Vec<char> = names.chars().collect();
    if n < 1 {
        return n.to_string();
    }
    names[((n - 1) % names.len() as i64) as usize].to_string()
}

fn roman(n: i64) -> String {
    if !(1..4000).contains(&n) {
        return n.to_string();
    }
    let mut n = n;
    let mut out = String::new();
    for (v, s) in [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ] {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

/// 1 → A, 26 → Z, 27 → AA (Word repeats the letter).
fn letter(n: i64) -> String {
    if !(1..=780).contains(&n) {
        return n.to_string();
    }
    let c = char::from(b'A' + ((n - 1) % 26) as u8);
    std::iter::repeat_n(c, ((n - 1) / 26 + 1) as usize).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_counting_as_word_writes_it() {
        let f = |n| format_number(n, "chineseCounting");
        assert_eq!(
            [
                f(1),
                f(6),
                f(10),
                f(11),
                f(20),
                f(21),
                f(100),
                f(105),
                f(110)
            ],
            [
                "一",
                "六",
                "十",
                "十一",
                "二十",
                "二十一",
                "一百",
                "一百零五",
                "一百一十"
            ]
        );
        assert_eq!(format_number(3, "decimalEnclosedCircle"), "③");
        assert_eq!(format_number(2, "ideographTraditional"), "乙");
        assert_eq!(format_number(4, "lowerRoman"), "iv");
        assert_eq!(format_number(28, "upperLetter"), "BB");
    }

    fn numbering() -> Numbering {
        let xml = r#"<w:numbering xmlns:w="w">
          <w:abstractNum w:abstractNumId="0">
            <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
            <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
            <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
          </w:abstractNum>
          <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
          <w:num w:numId="2"><w:abstractNumId w:val="0"/></w:num>
          <w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="2"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
        </w:numbering>"#;
        let styles = r#"<w:styles xmlns:w="w">
          <w:style w:type="paragraph" w:styleId="H1"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
          <w:style w:type="paragraph" w:styleId="H1b"><w:basedOn w:val="H1"/></w:style>
          <w:style w:type="paragraph" w:styleId="Loop"><w:basedOn w:val="Loop"/></w:style>
        </w:styles>"#;
        let mut n = Numbering::default();
        n.read_numbering(xml.as_bytes()).expect("well formed");
        n.read_styles(styles.as_bytes()).expect("well formed");
        n
    }

    fn at(num_id: i64, level: i64) -> ParaNumbering {
        ParaNumbering {
            style: None,
            num_id: Some(num_id),
            level: Some(level),
        }
    }

    #[test]
    fn levels_count_and_restart_the_levels_below() {
        let mut n = numbering();
        let seq: Vec<_> = [
            at(1, 0),
            at(1, 1),
            at(1, 1),
            at(1, 2),
            at(1, 0),
            at(1, 1),
            at(1, 2),
        ]
        .iter()
        .map(|p| n.marker(p).expect("numbered"))
        .collect();
        assert_eq!(
            seq,
            ["一、", "（一）", "（二）", "1.", "二、", "（一）", "1."]
        );
        // Another instance of the same list continues it; one with a start override restarts.
        assert_eq!(n.marker(&at(2, 0)).as_deref(), Some("三、"));
        assert_eq!(n.marker(&at(3, 2)).as_deref(), Some("5."));
        assert_eq!(n.marker(&at(0, 0)), None);
        assert_eq!(n.marker(&at(9, 0)), None);
    }

    #[test]
    fn a_list_linked_to_a_numbering_style_has_the_styles_levels() {
        // As Word writes a list made from a list style: definition 10 holds only
        // `w:numStyleLink` to the numbering style 公文编号; the style's numId 5 is an
        // instance of definition 11, which `w:styleLink`s back and has the levels.
        let xml = r#"<w:numbering xmlns:w="w">
          <w:abstractNum w:abstractNumId="10"><w:multiLevelType w:val="multilevel"/><w:numStyleLink w:val="GongWen"/></w:abstractNum>
          <w:abstractNum w:abstractNumId="11"><w:styleLink w:val="GongWen"/>
            <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
            <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
          </w:abstractNum>
          <w:abstractNum w:abstractNumId="12"><w:numStyleLink w:val="Nowhere"/></w:abstractNum>
          <w:abstractNum w:abstractNumId="13"><w:numStyleLink w:val="Self"/></w:abstractNum>
          <w:num w:numId="4"><w:abstractNumId w:val="10"/></w:num>
          <w:num w:numId="5"><w:abstractNumId w:val="11"/></w:num>
          <w:num w:numId="6"><w:abstractNumId w:val="12"/></w:num>
          <w:num w:numId="7"><w:abstractNumId w:val="13"/></w:num>
        </w:numbering>"#;
        let styles = r#"<w:styles xmlns:w="w">
          <w:style w:type="numbering" w:styleId="GongWen"><w:pPr><w:numPr><w:numId w:val="5"/></w:numPr></w:pPr></w:style>
          <w:style w:type="numbering" w:styleId="Self"><w:pPr><w:numPr><w:numId w:val="7"/></w:numPr></w:pPr></w:style>
        </w:styles>"#;
        let mut n = Numbering::default();
        n.read_numbering(xml.as_bytes()).expect("well formed");
        n.read_styles(styles.as_bytes()).expect("well formed");
        let seq: Vec<_> = [at(4, 0), at(4, 1), at(4, 1), at(4, 0), at(5, 0)]
            .iter()
            .map(|p| n.marker(p))
            .collect();
        // One list: the style's own instance continues the linked one.
        assert_eq!(
            seq,
            [
                Some("一、"),
                Some("（一）"),
                Some("（二）"),
                Some("二、"),
                Some("三、")
            ]
            .map(|m| m.map(String::from))
        );
        // A link to no style, or to itself, gives no marker and no hang.
        assert_eq!(n.marker(&at(6, 0)), None);
        assert_eq!(n.marker(&at(7, 0)), None);
    }

    #[test]
    fn a_style_carries_its_numbering_through_based_on() {
        let mut n = numbering();
        let styled = |s: &str| ParaNumbering {
            style: Some(s.to_string()),
            ..Default::default()
        };
        assert_eq!(n.marker(&styled("H1")).as_deref(), Some("一、"));
        assert_eq!(n.marker(&styled("H1b")).as_deref(), Some("二、"));
        assert_eq!(n.marker(&styled("Loop")), None);
    }
}
