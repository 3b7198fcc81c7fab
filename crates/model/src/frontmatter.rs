//! The front matter of a report: title → issuer and year, the statistical period,
//! the website, and the contacts. Read from the grammar's logical paragraphs.

use std::ops::Range;

use serde::Serialize;

use nianbao_grammar::metadata::Metadata;
use nianbao_grammar::{Block, Para, Span};

/// A calendar date as a report writes it (not checked for validity here).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1–12 when valid.
    pub month: u32,
    /// Day, 1–31 when valid; 0 when the text gives no day (`2017年5月`).
    pub day: u32,
}

impl Date {
    /// True when the date exists in the calendar (a missing day counts as valid).
    pub fn is_valid(&self) -> bool {
        if !(1..=12).contains(&self.month) {
            return false;
        }
        if self.day == 0 {
            return true;
        }
        let leap = (self.year % 4 == 0 && self.year % 100 != 0) || self.year % 400 == 0;
        let days = match self.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            _ if leap => 29,
            _ => 28,
        };
        self.day <= days
    }
}

/// A date found in text, with its byte range in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundDate {
    /// The date.
    pub date: Date,
    /// Its byte range in the paragraph text.
    pub range: Range<usize>,
}

fn digits_at(text: &str, at: usize, min: usize, max: usize) -> Option<(u32, usize)> {
    let bytes = text.as_bytes();
    let mut end = at;
    while end < bytes.len() && end - at < max && bytes[end].is_ascii_digit() {
        end += 1;
    }
    if end - at < min || (end < bytes.len() && bytes[end].is_ascii_digit()) {
        return None;
    }
    text[at..end].parse().ok().map(|v| (v, end))
}

fn skip_spaces(text: &str, mut at: usize) -> usize {
    while let Some(c) = text[at..].chars().next() {
        if c == ' ' || c == '\u{3000}' || c == '\u{a0}' {
            at += c.len_utf8();
        } else {
            break;
        }
    }
    at
}

fn expect(text: &str, at: usize, s: &str) -> Option<usize> {
    let at = skip_spaces(text, at);
    text[at..]
        .starts_with(s)
        .then(|| skip_spaces(text, at + s.len()))
}

/// Every date in `text`: `2017年12月23日`, `2017 年 1 月 1 日`, `2017年5月`, `2017-12-28`.
///
/// ```
/// use nianbao_model::frontmatter::find_dates;
/// let dates = find_dates("统计期限为 2017 年 1 月 1 日至 2017-12-31。");
/// assert_eq!(dates.len(), 2);
/// assert_eq!((dates[0].date.month, dates[1].date.day), (1, 31));
/// ```
pub fn find_dates(text: &str) -> Vec<FoundDate> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 4 <= bytes.len() {
        let starts_number = bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_digit());
        if !starts_number {
            i += 1;
            continue;
        }
        if let Some(found) = date_at(text, i) {
            i = found.range.end;
            out.push(found);
        } else {
            i += 1;
        }
    }
    out
}

fn date_at(text: &str, at: usize) -> Option<FoundDate> {
    let (year, after_year) = digits_at(text, at, 4, 4)?;
    if !(1949..=2100).contains(&year) {
        return None;
    }
    // 2017-12-28
    if text[after_year..].starts_with('-') {
        let (month, m_end) = digits_at(text, after_year + 1, 1, 2)?;
        let d_start = m_end + 1;
        if !text[m_end..].starts_with('-') {
            return None;
        }
        let (day, d_end) = digits_at(text, d_start, 1, 2)?;
        return Some(FoundDate {
            date: Date {
                year: year as i32,
                month,
                day,
            },
            range: at..d_end,
        });
    }
    let after = expect(text, after_year, "年")?;
    let (month, m_end) = digits_at(text, after, 1, 2)?;
    let after_month = expect(text, m_end, "月")?;
    let month_end = skip_back_spaces(text, after_month);
    match digits_at(text, after_month, 1, 2) {
        Some((day, d_end)) => match expect(text, d_end, "日").or_else(|| expect(text, d_end, "号"))
        {
            Some(_) => {
                let end = text[d_end..]
                    .find(['日', '号'])
                    .map_or(d_end, |i| d_end + i + 3);
                Some(FoundDate {
                    date: Date {
                        year: year as i32,
                        month,
                        day,
                    },
                    range: at..end,
                })
            }
            None => Some(FoundDate {
                date: Date {
                    year: year as i32,
                    month,
                    day: 0,
                },
                range: at..month_end,
            }),
        },
        None => Some(FoundDate {
            date: Date {
                year: year as i32,
                month,
                day: 0,
            },
            range: at..month_end,
        }),
    }
}

fn skip_back_spaces(text: &str, mut at: usize) -> usize {
    while at > 0 && matches!(text.as_bytes()[at - 1], b' ') {
        at -= 1;
    }
    at
}

/// A value read from the text with its original span.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Field {
    /// The value (converter escapes already undone by the grammar).
    pub value: String,
    /// Where it is in the original input.
    pub span: Span,
}

/// The statistical period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Period {
    /// First day.
    pub start: Date,
    /// Last day.
    pub end: Date,
    /// From the first date to the second.
    pub span: Span,
}

/// Contact details of the issuing office.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Contacts {
    /// 地址.
    pub address: Option<Field>,
    /// 邮编.
    pub postcode: Option<Field>,
    /// 电话.
    pub phone: Option<Field>,
    /// 传真.
    pub fax: Option<Field>,
    /// 电子邮箱.
    pub email: Option<Field>,
}

/// Where the issuer or the year of a report was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// The report's title.
    Title,
    /// The report's own words naming it (`特向社会公布××局2024年政府信息公开工作年度报告`,
    /// `我局编制了2019年度政府信息公开年度报告`).
    Text,
    /// The signature at the end (`××局 2025年1月23日`).
    Signature,
    /// The office the report gives to contact (`请与××局办公室联系`), without the
    /// internal office.
    Contact,
    /// A department's own website named as where the report is published
    /// (`本年报的电子版可在××局门户网站下载`).
    Website,
    /// The statistical period (a whole calendar year).
    Period,
    /// The metadata header of a site's archive (`发布机构:`), when the report itself
    /// names no body.
    Metadata,
}

/// When the report was published, as the metadata header of a site's archive says
/// (`发布时间: 2012-05-11 00:00`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Published {
    /// The day.
    pub date: Date,
    /// Where the header gives it.
    pub span: Span,
    /// Given by the user (`--published`), not read from the report.
    #[serde(skip)]
    pub given: bool,
}

/// The report named with a year in its own words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mention {
    /// The year it names.
    pub year: i32,
    /// The phrase that names it.
    pub span: Span,
}

/// What the front matter says.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FrontMatter {
    /// The report title as written (joined when split over two paragraphs).
    pub title: Option<Field>,
    /// The issuing body, spaces removed: as the title names it, else as the report's
    /// own words or its signature do.
    pub issuer: Option<String>,
    /// Where [`FrontMatter::issuer`] was read.
    pub issuer_source: Option<Source>,
    /// The report year: from the title, else the report's own words, else a
    /// statistical period of one calendar year.
    pub year: Option<i32>,
    /// Where [`FrontMatter::year`] was read.
    pub year_source: Option<Source>,
    /// Where the report names itself with a year in its own words
    /// (`编制完成2023年度政府信息公开工作年度报告`).
    pub mentions: Vec<Mention>,
    /// The statistical period.
    pub period: Option<Period>,
    /// Where the text names a statistical period (`统计期限`) whose dates cannot be
    /// read (`统计期限为2011年度`, a missing 至): the words that name it.
    pub period_unread: Option<Span>,
    /// The publication date from the metadata header, if the input has one.
    pub published: Option<Published>,
    /// The dates the report closes with (its signature's date, a `××年×月×日印发`
    /// line), in text order.
    pub dated: Vec<Published>,
    /// The website where the report is published.
    pub website: Option<Field>,
    /// Contacts.
    pub contacts: Contacts,
    /// The body the report is signed by (its 落款), spaces removed. Not part of the
    /// report's JSON (the issuer is, with where it was read).
    #[serde(skip)]
    pub signed: Option<Field>,
}

/// Who issues a report: a people's government or one of its departments
/// (第五十条's 工作考核、社会评议和责任追究 content applies to 各级人民政府 only).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IssuerKind {
    /// A 人民政府, or an administrative zone acting as one (`平潭综合实验区`, its 管委会).
    Government,
    /// One of its departments: a 局, 委, 办公室, 片区管理局 and the like.
    Department,
}

impl IssuerKind {
    /// The kind of the issuer the report names ([`is_government`]).
    ///
    /// ```
    /// use nianbao_model::frontmatter::IssuerKind;
    /// assert_eq!(IssuerKind::of("平潭综合实验区管委会"), IssuerKind::Government);
    /// assert_eq!(IssuerKind::of("平潭综合实验区海坛片区管理局"), IssuerKind::Department);
    /// ```
    pub fn of(issuer: &str) -> IssuerKind {
        if is_government(issuer) {
            IssuerKind::Government
        } else {
            IssuerKind::Department
        }
    }
}

/// True when the issuer is a people's government (or an administrative zone
/// acting as one), not one of its departments: 第五十条's 工作考核、社会评议和
/// 责任追究 content applies to 各级人民政府 only. A name ending in a department
/// word (`局` `委` `办` `厅` `中心` …) is a department.
pub fn is_government(issuer: &str) -> bool {
    const DEPARTMENT_ENDINGS: [&str; 15] = [
        "局",
        "委员会",
        "管委会",
        "委",
        "办公室",
        "办",
        "厅",
        "中心",
        "署",
        "院",
        "所",
        "站",
        "队",
        "部",
        "处",
    ];
    // A zone's management committee governs the zone (`平潭综合实验区管理委员会`,
    // `××经济技术开发区管委会`, with its party working committee
    // `平潭综合实验区党工委管委会`); a committee of another name is a department.
    let zone_committee = ["管委会", "管理委员会"].iter().any(|e| {
        issuer.strip_suffix(e).is_some_and(|rest| {
            let rest = rest.strip_suffix("党工委").unwrap_or(rest);
            rest.ends_with('区')
        })
    });
    zone_committee
        || !DEPARTMENT_ENDINGS.iter().any(|e| issuer.ends_with(e))
        || issuer.ends_with("人民政府办公室")
}

/// How many leading paragraphs are searched for the front matter.
const FRONT: usize = 12;

/// Reads the front matter from the first paragraphs of the report.
pub fn read(blocks: &[Block]) -> FrontMatter {
    read_with(blocks, None)
}

/// A title as a metadata header gives it: a value that names a report.
fn header_title(metadata: Option<&Metadata>) -> Option<Field> {
    let f = metadata?.get(&["标题", "题目", "名称"])?;
    let names_report = ["报告", "年报"].iter().any(|w| f.value.contains(w));
    (names_report && f.value.chars().any(|c| c.is_ascii_digit())).then(|| Field {
        value: f.value.clone(),
        span: f.span,
    })
}

/// [`read`] with the metadata header the input starts with: its title (when it
/// names a report) is the title; its publication date is kept; its publisher
/// names the issuer only when the report itself names none (a site's header
/// sometimes gives a site section, `桌面`, there).
pub fn read_with(blocks: &[Block], metadata: Option<&Metadata>) -> FrontMatter {
    let paras: Vec<&Para> = blocks
        .iter()
        .filter_map(|b| {
            if let Block::Para(p) = b {
                Some(p)
            } else {
                None
            }
        })
        .take(FRONT)
        .collect();
    let mut fm = FrontMatter::default();
    let in_text = || {
        paras.iter().find_map(|p| {
            title_range(p).map(|range| Field {
                value: p.text[range.clone()].to_string(),
                span: p.span_of(range),
            })
        })
    };
    if let Some(title) = header_title(metadata).or_else(in_text) {
        let (issuer, year) = issuer_and_year(&title.value);
        fm.issuer_source = issuer.as_ref().map(|_| Source::Title);
        fm.year_source = year.map(|_| Source::Title);
        fm.issuer = issuer;
        fm.year = year;
        fm.title = Some(title);
    }
    for para in &paras {
        if fm.period.is_none() {
            match period(para) {
                Ok(Some(p)) => {
                    fm.period = Some(p);
                    fm.period_unread = None;
                }
                Ok(None) => {}
                Err(named) => fm.period_unread = fm.period_unread.or(Some(named)),
            }
        }
        if fm.website.is_none() {
            fm.website = website(para);
        }
        contacts(para, &mut fm.contacts);
    }
    // Without them in a title: the year from a period of one calendar year, then the
    // report's own words; the issuer from its own words, then its signature (a body
    // taken from a site often has no title line).
    let named: Vec<(Option<String>, Option<i32>, Span)> =
        paras.iter().flat_map(|p| named_in_text(p)).collect();
    fm.mentions = named
        .iter()
        .filter_map(|(_, year, span)| year.map(|year| Mention { year, span: *span }))
        .collect();
    if fm.year.is_none() {
        if let Some(p) = fm.period.as_ref().filter(|p| p.start.year == p.end.year) {
            fm.year = Some(p.end.year);
            fm.year_source = fm.year.map(|_| Source::Period);
        }
    }
    for (issuer, year, _) in named {
        if fm.issuer.is_none() && issuer.is_some() {
            fm.issuer = issuer;
            fm.issuer_source = Some(Source::Text);
        }
        if fm.year.is_none() && year.is_some() {
            fm.year = year;
            fm.year_source = Some(Source::Text);
        }
    }
    fm.signed = signature(blocks);
    if fm.issuer.is_none() {
        fm.issuer = fm.signed.as_ref().map(|f| f.value.clone());
        fm.issuer_source = fm.issuer.as_ref().map(|_| Source::Signature);
    }
    if fm.issuer.is_none() {
        fm.issuer = paras.iter().find_map(|p| contact_office(&p.text));
        fm.issuer_source = fm.issuer.as_ref().map(|_| Source::Contact);
    }
    if fm.issuer.is_none() {
        fm.issuer = paras.iter().find_map(|p| own_website(&p.text));
        fm.issuer_source = fm.issuer.as_ref().map(|_| Source::Website);
    }
    if let Some(short) = fm.issuer.as_deref() {
        if let Some(full) = written_in_full(short, &paras) {
            fm.issuer = Some(full);
        }
    }
    fm.dated = closing_dates(blocks);
    if let Some(m) = metadata {
        if fm.issuer.is_none() {
            fm.issuer = m
                .get(&["发布机构", "发文机关", "发布单位"])
                .map(|f| {
                    f.value
                        .chars()
                        .filter(|c| !c.is_whitespace())
                        .collect::<String>()
                })
                .filter(|name| is_body_name(name));
            fm.issuer_source = fm.issuer.as_ref().map(|_| Source::Metadata);
        }
        fm.published = m.get(&["发布时间", "发布日期"]).and_then(|f| {
            let d = find_dates(&f.value).into_iter().next()?;
            (d.range.start == 0 && d.date.day > 0 && d.date.is_valid()).then_some(Published {
                date: d.date,
                span: Span::new(f.span.start, f.span.start + d.range.end),
                given: false,
            })
        });
    }
    fm
}

/// The report named in a sentence of its own (`特向社会公布平潭综合实验区海坛片区管理局
/// 2024年政府信息公开工作年度报告`, `我局编制了2019年度政府信息公开年度报告`): the
/// issuer and year of each such mention. A document cited by its name
/// (`《关于做好2019年政府信息公开工作年度报告编制发布工作的通知》`) is not the report.
fn named_in_text(para: &Para) -> Vec<(Option<String>, Option<i32>, Span)> {
    let text = para.text.as_str();
    let mut found = Vec::new();
    for (at, _) in text.match_indices("年度报告") {
        let end = at + "年度报告".len();
        let before = &text[..at];
        // Inside a cited name: a `《` opened before it and not closed.
        if before.rfind('《') > before.rfind('》') {
            continue;
        }
        // The phrase: back to the clause start, then after the verb that names it.
        let start = before
            .rfind(['，', '。', '；', '：', '、', '“', '\n', ','])
            .map_or(0, |i| {
                i + before[i..].chars().next().map_or(1, char::len_utf8)
            });
        let mut from = start;
        for verb in ["公布", "编制完成", "编制了", "编制", "发布", "制作"] {
            if let Some(i) = text[start..end].rfind(verb) {
                from = start + i + verb.len();
                break;
            }
        }
        let phrase = &text[from..end];
        if phrase.chars().count() > 60 {
            continue;
        }
        let (issuer, year) = issuer_and_year(phrase);
        // `我局`, `本机关`: the report speaking of itself names no body.
        let issuer = issuer.filter(|i| !i.starts_with(['我', '本']) && is_body_name(i));
        if issuer.is_some() || year.is_some() {
            found.push((issuer, year, para.span_of(from..end)));
        }
    }
    found
}

/// The issuing body signed at the end of the report (`平潭综合实验区公安局
/// 2020年1月17日`): the last words after the last sentence, without the date; its
/// span is the signature line up to the date (or its contact note).
fn signature(blocks: &[Block]) -> Option<Field> {
    // The signature may be its own paragraph (then a date paragraph after it).
    let paras: Vec<&Para> = blocks
        .iter()
        .rev()
        .filter_map(|b| match b {
            Block::Para(p) if !p.text.trim().is_empty() => Some(p),
            _ => None,
        })
        .take(3)
        .collect();
    paras.iter().find_map(|para| {
        let text = para.text.as_str();
        let after = text.rfind(['。', '；', '！', '？', '：']).map_or(0, |i| {
            i + text[i..].chars().next().map_or(1, char::len_utf8)
        });
        // A contact line after the date (`（联系人：…）`) is not part of the name.
        let tail = &text[after..];
        let tail = &tail[..tail.find(['（', '(']).unwrap_or(tail.len())];
        // The text between the dates, copied once (removing each date in place would
        // move the rest of a line of dates once per date).
        let dates = find_dates(tail);
        let mut rest = String::with_capacity(tail.len());
        let mut from = 0;
        for d in &dates {
            rest.push_str(&tail[from..d.range.start]);
            from = d.range.end;
        }
        rest.push_str(&tail[from..]);
        let name: String = rest
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{3000}')
            .collect();
        // The name's words: up to the first date when the name comes before it.
        let end = dates
            .first()
            .map(|d| d.range.start)
            .filter(|&start| !tail[..start].trim().is_empty())
            .unwrap_or(tail.len());
        let lead = tail.len() - tail.trim_start().len();
        let words = after + lead..after + tail[..end].trim_end().len().max(lead);
        (is_body_name(&name) && name.chars().count() <= 30).then(|| Field {
            value: name,
            span: para.span_of(words),
        })
    })
}

/// Words that end the name of a body that issues reports, where an office inside it
/// may follow (`××局办公室`, `××人民政府办公室`).
const BODY_ENDINGS: [&str; 6] = ["人民政府", "管理委员会", "管委会", "委员会", "局", "委"];

/// The body of an office given to contact (`请与平潭综合实验区农业农村局办公室联系`,
/// `请联系苏平片区管理局党政办公室`): the office's name up to its last body ending
/// (`局`, `委员会`, `人民政府` …), the internal office after it left out.
fn contact_office(text: &str) -> Option<String> {
    let mut found = None;
    for (at, verb) in text
        .match_indices("请与")
        .chain(text.match_indices("请联系"))
    {
        let rest = &text[at + verb.len()..];
        let len = rest
            .find([
                '（', '(', '，', '。', '；', '：', ',', ';', ':', '、', '“', '”',
            ])
            .unwrap_or(rest.len());
        let mut name: String = rest[..len].chars().filter(|c| !c.is_whitespace()).collect();
        if verb == "请与" {
            let Some(i) = name.rfind("联系") else {
                continue;
            };
            name.truncate(i);
        }
        found = body_of_office(&name);
        if found.is_some() {
            break;
        }
    }
    found
}

/// The body an office belongs to (`区农业农村局政府信息公开工作领导小组办公室` →
/// `区农业农村局`), or the name itself when it is a body. A government's own office
/// (`××人民政府办公室`, `××管委会办公室`) compiles the government's report and issues
/// its own: it names neither for certain.
fn body_of_office(name: &str) -> Option<String> {
    let end = BODY_ENDINGS
        .iter()
        .filter_map(|e| name.rfind(e).map(|i| i + e.len()))
        .max()?;
    let body = &name[..end];
    if end < name.len() && is_government(body) {
        return None;
    }
    (is_body_name(body) && body.chars().count() <= 30).then(|| body.to_string())
}

/// A department's own website named as where the report is read
/// (`本年报的电子版可在平潭综合实验区门户网站及平潭综合实验区旅游与文化体育局门户网站下载`):
/// that department. A government's portal hosts its departments' reports too, so it
/// names no issuer.
fn own_website(text: &str) -> Option<String> {
    if !["电子版", "下载", "查阅", "查询"]
        .iter()
        .any(|w| text.contains(w))
    {
        return None;
    }
    text.match_indices("网站").find_map(|(at, _)| {
        let before = text[..at]
            .trim_end_matches("门户")
            .trim_end_matches("政府")
            .trim_end_matches(['”', '"']);
        let start = before
            .rfind([
                '，', '。', '；', '：', '、', '（', '）', '“', '(', ')', ',', '及', '和', '在',
            ])
            .map_or(0, |i| {
                i + before[i..].chars().next().map_or(1, char::len_utf8)
            });
        let name = &before[start..];
        (is_body_name(name) && !is_government(name) && name.chars().count() <= 30)
            .then(|| name.to_string())
    })
}

/// A body named short (`区农业农村局`, for the zone's 农业农村局) as the report writes
/// it in full elsewhere (`平潭综合实验区农业农村局`): the full name most often written.
fn written_in_full(short: &str, paras: &[&Para]) -> Option<String> {
    let place = short.chars().next().filter(|c| "省市县区".contains(*c))?;
    let core = &short[place.len_utf8()..];
    if core.chars().count() < 2 {
        return None;
    }
    let mut counts: Vec<(String, usize)> = Vec::new();
    for p in paras {
        let text = p.text.as_str();
        for (at, _) in text.match_indices(core) {
            let before = &text[..at];
            let start = before
                .rfind(|c: char| !c.is_alphabetic() || c.is_ascii() || "《》“”".contains(c))
                .map_or(0, |i| {
                    i + before[i..].chars().next().map_or(1, char::len_utf8)
                });
            let prefix = &before[start..];
            if prefix.ends_with(place) && prefix.chars().count() >= 4 {
                match counts.iter_mut().find(|(p, _)| p == prefix) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((prefix.to_string(), 1)),
                }
            }
        }
    }
    counts
        .into_iter()
        .max_by_key(|(p, n)| (*n, p.len()))
        .map(|(prefix, _)| format!("{prefix}{core}"))
}

/// The whole dates after the last sentence of the report (`平潭综合实验区经济发展局
/// 2021年1月26日`, `××办公室 2020年1月26日印发` — also in the one-cell box Word
/// draws around a 版记): the dates it is signed and issued.
fn closing_dates(blocks: &[Block]) -> Vec<Published> {
    /// A closing block's text, and how a range of it maps to the input.
    enum Closing<'a> {
        Para(&'a Para),
        Box(nianbao_grammar::Cell<'a>),
    }
    impl Closing<'_> {
        fn text(&self) -> &str {
            match self {
                Closing::Para(p) => &p.text,
                Closing::Box(c) => c.text,
            }
        }
        fn span_of(&self, range: Range<usize>) -> Span {
            match self {
                Closing::Para(p) => p.span_of(range),
                Closing::Box(c) => c.span,
            }
        }
    }
    let mut tail: Vec<Closing<'_>> = blocks
        .iter()
        .rev()
        .filter_map(|b| match b {
            Block::Para(p) if !p.text.trim().is_empty() => Some(Closing::Para(p)),
            Block::Table(t) => {
                let mut filled = t.cells().filter(|c| !c.text.trim().is_empty());
                match (filled.next(), filled.next()) {
                    (Some(one), None) => Some(Closing::Box(one)),
                    _ => None,
                }
            }
            _ => None,
        })
        .take(3)
        .collect();
    tail.reverse();
    // Only what follows the last sentence of the report.
    let last_sentence = tail
        .iter()
        .rposition(|c| c.text().trim_end().ends_with(['。', '；', '！', '？']))
        .map_or(0, |i| i + 1);
    let mut out = Vec::new();
    for (i, closing) in tail.iter().enumerate() {
        let text = closing.text();
        let after = if i < last_sentence {
            match text.rfind(['。', '；', '！', '？', '：']) {
                Some(at) => at + text[at..].chars().next().map_or(1, char::len_utf8),
                None => continue,
            }
        } else {
            0
        };
        // A closing line is short: a name and a date, not a sentence.
        if text[after..].chars().count() > 80 {
            continue;
        }
        for d in find_dates(&text[after..]) {
            if d.date.day > 0 && d.date.is_valid() {
                out.push(Published {
                    date: d.date,
                    span: closing.span_of(after + d.range.start..after + d.range.end),
                    given: false,
                });
            }
        }
    }
    out
}

/// The place a body's name starts with, and the rest: `平潭县经贸局` → (`平潭县`, `经贸局`),
/// `平潭综合实验区金井片区管理局` → (`平潭综合实验区`, `金井片区管理局`), `区农业农村局` →
/// (`区`, `农业农村局`). A place is at most eight characters ending in 省/市/县/区 (the
/// longest such, never the 市 of `市场`); one character alone is a place only as `区` or
/// `县`.
fn place_and_core(name: &str) -> (&str, &str) {
    let ends: Vec<usize> = name
        .char_indices()
        .take(8)
        .filter(|(_, c)| "省市县区".contains(*c))
        .map(|(i, c)| i + c.len_utf8())
        .collect();
    for &end in ends.iter().rev() {
        let place = &name[..end];
        let core = &name[end..];
        let single = place.chars().count() == 1;
        // `市场…` is a word, not a place ending in 市.
        if core.chars().count() >= 2
            && !core.starts_with('场')
            && (!single || place == "区" || place == "县")
        {
            return (place, core);
        }
    }
    ("", name)
}

/// Characters of `a` and `b` beyond their common start and end.
fn differing<'a>(a: &'a str, b: &'a str) -> (&'a str, &'a str) {
    let prefix: usize = a
        .chars()
        .zip(b.chars())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix: usize = a
        .chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum();
    (&a[..a.len() - suffix], &b[..b.len() - suffix])
}

/// True only when two names of bodies clearly name different bodies of the same kind
/// (two departments, or two governments): their names, past a common start and end,
/// share no character — in the body's own words (`经贸局` / `安全生产监督管理局`,
/// `金井片区管理局` / `海坛片区管理局`) or in the places they name (`平潭县` / `福清市`).
/// A short form (`安监局`, `区农业农村局`), the office of the same body (`管委会办公室`),
/// a name that keeps its first words (`经济贸易局` / `经济和信息化局`: perhaps renamed) and a
/// zone's committee (`平潭综合实验区` / `平潭综合实验区管委会`) are never different.
///
/// ```
/// use nianbao_model::frontmatter::clearly_different_bodies as different;
/// assert!(different("平潭县安全生产监督管理局", "平潭县经贸局"));
/// assert!(different("公安局", "平潭县经贸局"));
/// assert!(different("平潭综合实验区金井片区管理局", "平潭综合实验区海坛片区管理局"));
/// assert!(!different("平潭县安全生产监督管理局", "平潭县安监局"));
/// assert!(!different("平潭综合实验区农业农村局", "区农业农村局"));
/// assert!(!different("平潭综合实验区管委会", "平潭综合实验区管委会办公室"));
/// assert!(!different("平潭县经济贸易局", "平潭县经济和信息化局"));
/// assert!(!different("平潭综合实验区市场监督管理局", "平潭综合实验区质量技术监督局"));
/// // A department and a government are of different kinds: not compared.
/// assert!(!different("平潭县公安局", "平潭县人民政府"));
/// ```
pub fn clearly_different_bodies(a: &str, b: &str) -> bool {
    if IssuerKind::of(a) != IssuerKind::of(b) {
        return false;
    }
    let ((place_a, core_a), (place_b, core_b)) = (place_and_core(a), place_and_core(b));
    let disjoint = |x: &str, y: &str| {
        let (x, y) = differing(x, y);
        !x.is_empty()
            && !y.is_empty()
            && !x.chars().any(|c| !"省市县区".contains(c) && y.contains(c))
    };
    // A common start that is a word of the body (not its place) may be a renamed body.
    let core_prefix = core_a
        .chars()
        .zip(core_b.chars())
        .take_while(|(x, y)| x == y)
        .count();
    let cores_differ = core_prefix == 0 && disjoint(core_a, core_b);
    let places_differ =
        place_a.chars().count() >= 2 && place_b.chars().count() >= 2 && disjoint(place_a, place_b);
    cores_differ || places_differ
}

/// A name that ends as the name of a government body does, with no punctuation in it.
pub(crate) fn is_body_name(name: &str) -> bool {
    const ENDINGS: [&str; 16] = [
        "人民政府",
        "政府",
        "管委会",
        "管理委员会",
        "实验区",
        "局",
        "委员会",
        "委",
        "办公室",
        "办公厅",
        "办",
        "厅",
        "中心",
        "院",
        "署",
        "管理处",
    ];
    name.chars().count() >= 3
        && !name.contains(|c: char| "，。；：、,.;:“”\"《》".contains(c) || c.is_ascii_digit())
        && ENDINGS.iter().any(|e| name.ends_with(e))
}

/// The title inside a paragraph: `…年度报告`/`…年报`, after a `标题:` label of a text dump.
fn title_range(para: &Para) -> Option<Range<usize>> {
    let text = &para.text;
    // The first place, in the order of the text, that reads as a title: a dump may
    // mention a 工作年度报告 in a sentence long after its title line.
    let mut ends: Vec<usize> = ["年度报告", "工作报告"]
        .iter()
        .flat_map(|w| text.match_indices(w).take(8).map(|(i, _)| i + w.len()))
        .collect();
    ends.sort_unstable();
    ends.into_iter().find_map(|end| {
        // A title is short; a sentence that merely mentions a 年度报告 is not one.
        let start = text[..end].rfind(['：', ':', '《', '\n']).map_or(0, |i| {
            i + text[i..].chars().next().map_or(1, char::len_utf8)
        });
        let title = &text[start..end];
        // A document cited by its name (`《…关于做好2019年政府信息公开工作年度报告编制
        // 发布工作的通知》`) is not the report's title.
        let cited = text[..start].ends_with('《') && !text[end..].starts_with('》');
        (!cited
            && title.chars().count() <= 60
            && !title.contains(['，', '。'])
            && title.chars().any(|c| c.is_ascii_digit()))
        .then_some(start..end)
    })
}

/// `中卫市 2017 年政府信息公开工作年度报告` → (中卫市, 2017);
/// `2019年上海市人民政府办公厅政府信息公开工作年度报告` → (上海市人民政府办公厅, 2019).
pub fn issuer_and_year(title: &str) -> (Option<String>, Option<i32>) {
    let compact: String = title.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(y) = compact.find(|c: char| c.is_ascii_digit()) else {
        return (None, None);
    };
    let year: Option<i32> = compact.get(y..y + 4).and_then(|s| s.parse().ok());
    let after_year = compact[y..].find('年').map(|i| y + i + '年'.len_utf8());
    let body_start = ["政府信息公开", "政务公开", "信息公开"]
        .iter()
        .filter_map(|w| compact.find(w))
        .min();
    let issuer = if y > 0 {
        Some(compact[..y].to_string())
    } else {
        let from = after_year.map(|a| {
            if compact[a..].starts_with('度') {
                a + '度'.len_utf8()
            } else {
                a
            }
        });
        match (from, body_start) {
            (Some(f), Some(b)) if b > f => Some(compact[f..b].to_string()),
            _ => None,
        }
    };
    // `××局关于2015年度…年度报告`: the issuer is the body, not the preposition.
    let issuer = issuer.map(|s| s.trim_end_matches("关于").to_string());
    (issuer.filter(|s| !s.is_empty()), year)
}

/// The statistical period: `统计期限为…至…`, `自…起至…止`, `自…至…`. `Ok(None)`
/// when the paragraph names no period; `Err(words)` when it names one whose two
/// dates cannot be read (`统计期限为2011年度`, `2019年1月1日到12月31日`).
fn period(para: &Para) -> Result<Option<Period>, Span> {
    let text = &para.text;
    let Some((anchor, word)) = ["统计期限", "统计时限", "统计时间", "统计期间"]
        .iter()
        .find_map(|w| text.find(w).map(|at| (at, *w)))
    else {
        return Ok(None);
    };
    let named = || {
        // The words that name it, to the end of their clause.
        let rest = &text[anchor..];
        let len = rest
            .find(['。', '；', '，', '\n'])
            .unwrap_or(rest.len())
            .min(rest.char_indices().nth(40).map_or(rest.len(), |(i, _)| i));
        para.span_of(anchor..anchor + len.max(word.len()))
    };
    let dates = find_dates(&text[anchor..]);
    // `至`, `到` or a dash between the two dates (`起至`, `——`).
    let joins = |between: &str| {
        between.chars().count() <= 4
            && between.contains(['至', '到', '—', '－', '-', '~', '～'])
            && between
                .chars()
                .all(|c| "至到—－-~～起 \u{3000}".contains(c))
    };
    let pair = dates
        .windows(2)
        .find(|w| joins(&text[anchor + w[0].range.end..anchor + w[1].range.start]))
        .map(|w| (w[0].clone(), w[1].clone()))
        // The end in the start's year (`2024年1月1日至12月31日`).
        .or_else(|| {
            dates.iter().find_map(|first| {
                let after = anchor + first.range.end;
                let rest = &text[after..];
                let gap = rest
                    .char_indices()
                    .find(|(_, c)| !"至到—－-~～起 \u{3000}".contains(*c))
                    .map_or(rest.len(), |(i, _)| i);
                if !joins(&rest[..gap]) {
                    return None;
                }
                let (month, m_end) = digits_at(text, after + gap, 1, 2)?;
                let m_end = expect(text, m_end, "月")?;
                let (day, d_end) = digits_at(text, skip_spaces(text, m_end), 1, 2)?;
                let d_end = skip_back_spaces(text, expect(text, d_end, "日")?);
                let end = FoundDate {
                    date: Date {
                        year: first.date.year,
                        month,
                        day,
                    },
                    range: after + gap - anchor..d_end - anchor,
                };
                Some((first.clone(), end))
            })
        });
    let Some((start, end)) = pair else {
        return Err(named());
    };
    // An impossible date (`2017年13月1日`) is its own finding (NB502); it bounds no period.
    if !start.date.is_valid() || !end.date.is_valid() {
        return Ok(None);
    }
    let range = anchor + start.range.start..anchor + end.range.end;
    Ok(Some(Period {
        start: start.date,
        end: end.date,
        span: para.span_of(range),
    }))
}

/// A web address in a sentence that names a 网站.
fn website(para: &Para) -> Option<Field> {
    let text = &para.text;
    if !text.contains("网站") && !text.contains("网址") {
        return None;
    }
    let start = text
        .find("http://")
        .or_else(|| text.find("https://"))
        .or_else(|| text.find("www."))?;
    let len = text[start..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || "./:-_?=&%#~".contains(c)))
        .unwrap_or(text.len() - start);
    let value = text[start..start + len]
        .trim_end_matches(['.', '/'])
        .to_string();
    Some(Field {
        span: para.span_of(start..start + value.len()),
        value,
    })
}

/// Where a contact key's value goes.
type ContactSlot = fn(&mut Contacts) -> &mut Option<Field>;

fn contacts(para: &Para, c: &mut Contacts) {
    let keys: [(&[&str], ContactSlot); 5] = [
        (&["通讯地址", "联系地址", "地址"], |c| {
            &mut c.address
        }),
        (&["邮政编码", "邮编"], |c| &mut c.postcode),
        (&["联系电话", "电话"], |c| &mut c.phone),
        (&["传真"], |c| &mut c.fax),
        (
            &["电子邮箱", "电子信箱", "邮箱", "E-mail", "Email"],
            |c| &mut c.email,
        ),
    ];
    let text = &para.text;
    for (names, slot) in keys {
        if slot(c).is_some() {
            continue;
        }
        let Some((at, name)) = names.iter().find_map(|n| text.find(n).map(|i| (i, *n))) else {
            continue;
        };
        let mut start = at + name.len();
        start += text[start..].len()
            - text[start..]
                .trim_start_matches([' ', '：', ':', '\u{3000}'])
                .len();
        if start == at + name.len() {
            // A key without a colon is a word in a sentence, not a label.
            continue;
        }
        let len = text[start..]
            .find(['，', ',', '；', ';', '。', '）', ')', '、'])
            .unwrap_or(text.len() - start);
        let value = text[start..start + len].trim().to_string();
        if !value.is_empty() {
            *slot(c) = Some(Field {
                span: para.span_of(start..start + value.len()),
                value,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuer_and_year_from_titles() {
        assert_eq!(
            issuer_and_year("中卫市 2017 年政府信息公开工作年度报告"),
            (Some("中卫市".into()), Some(2017))
        );
        assert_eq!(
            issuer_and_year("平潭综合实验区2018年度政府信息公开工作年度报告"),
            (Some("平潭综合实验区".into()), Some(2018))
        );
        assert_eq!(
            issuer_and_year("2019年上海市人民政府办公厅政府信息公开工作年度报告"),
            (Some("上海市人民政府办公厅".into()), Some(2019))
        );
    }

    fn front(text: &str) -> FrontMatter {
        read(&nianbao_grammar::parse(text.as_bytes()).blocks)
    }

    #[test]
    fn issuer_from_the_contact_office_and_the_own_website() {
        // The office to contact, without its internal office.
        let fm = front(
            "我局编制了本年度报告。如对本报告有任何疑问，请与平潭综合实验区农业农村局办公室联系，\
             联系电话：0591-23157559。\n\n一、总体情况\n\n正文。",
        );
        assert_eq!(fm.issuer.as_deref(), Some("平潭综合实验区农业农村局"));
        assert_eq!(fm.issuer_source, Some(Source::Contact));
        let fm = front("如有疑问，请联系苏平片区管理局党政办公室（地址：中山大道3号）。");
        assert_eq!(fm.issuer.as_deref(), Some("苏平片区管理局"));
        // A name shortened to `区` is written in full where the report does so.
        let fm = front(
            "2019年，平潭综合实验区农业农村局挂牌成立。印发《平潭综合实验区农业农村局关于开展工作的通知》。\
             如对本报告有任何疑问，请与区农业农村局政府信息公开工作领导小组办公室联系。",
        );
        assert_eq!(fm.issuer.as_deref(), Some("平潭综合实验区农业农村局"));
        // A government's office compiles the government's report and issues its own:
        // its contact line names neither.
        let fm = front("如有疑问，请与平潭综合实验区管委会办公室联系。");
        assert_eq!(fm.issuer, None);
        // A department's own website; a government's portal hosts every department's report.
        let fm = front(
            "本年报的电子版可在平潭综合实验区门户网站（www.pingtan.gov.cn）及\
             平潭综合实验区旅游与文化体育局门户网站下载。",
        );
        assert_eq!(fm.issuer.as_deref(), Some("平潭综合实验区旅游与文化体育局"));
        assert_eq!(fm.issuer_source, Some(Source::Website));
        let fm = front("本报告电子版可在“平潭综合实验区党工委管委会”政府门户网站查询下载。");
        assert_eq!(fm.issuer, None);
    }

    #[test]
    fn signature_is_the_name_between_the_dates() {
        // Every date of the closing line is left out, the text around them kept in order.
        let fm = front("正文。\n\n2023年1月4日平潭综合实验区金井片区2023-01-04管理局 2023年1月4日");
        assert_eq!(fm.issuer.as_deref(), Some("平潭综合实验区金井片区管理局"));
        assert_eq!(fm.issuer_source, Some(Source::Signature));
    }

    #[test]
    fn issuer_and_year_without_a_title_line() {
        // The report's own words name it; a cited notice does not.
        let fm = front(
            "根据《平潭综合实验区管委会办公室关于做好2019年政府信息公开工作年度报告编制发布工作的通知》，\
             特向社会公布平潭综合实验区海坛片区管理局2024年政府信息公开工作年度报告。\n\n一、总体情况\n\n正文。",
        );
        assert_eq!(fm.title, None);
        assert_eq!(fm.issuer.as_deref(), Some("平潭综合实验区海坛片区管理局"));
        assert_eq!(
            (fm.year, fm.issuer_source),
            (Some(2024), Some(Source::Text))
        );
        // `我局` names no body: the signature does; a whole-year period gives the year.
        let fm = front(
            "我局编制了本年度报告。本报告中所列数据的统计期限自2022年1月1日至2022年12月31日。\n\n\
             一、总体情况\n\n正文。\n\n平潭综合实验区金井片区管理局 2023年1月4日",
        );
        assert_eq!(fm.issuer.as_deref(), Some("平潭综合实验区金井片区管理局"));
        assert_eq!(fm.issuer_source, Some(Source::Signature));
        assert_eq!(
            (fm.year, fm.year_source),
            (Some(2022), Some(Source::Period))
        );
        // The period outranks a mention, which is kept for NB107.
        let fm = front(
            "结合我局实际，编制完成2023年度政府信息公开工作年度报告。统计期限为2022年1月1日至2022年12月31日。",
        );
        assert_eq!(fm.year, Some(2022));
        assert_eq!(
            fm.mentions.iter().map(|m| m.year).collect::<Vec<_>>(),
            vec![2023]
        );
        // A title names the body with a preposition after it.
        assert_eq!(
            issuer_and_year("平潭综合实验区财政金融局关于2015年度政府信息公开工作年度报告").0,
            Some("平潭综合实验区财政金融局".into())
        );
    }

    #[test]
    fn governments_and_departments() {
        assert!(is_government("中卫市"));
        assert!(is_government("淮安市人民政府"));
        assert!(is_government("平潭综合实验区"));
        assert!(!is_government("平潭综合实验区财政金融局"));
        assert!(!is_government("上海市人民政府办公厅"));
        // A zone's management committee governs the zone, in either wording.
        for government in [
            "平潭县人民政府",
            "平潭综合实验区管委会",
            "平潭综合实验区管理委员会",
            "福州经济技术开发区管委会",
            "平潭综合实验区党工委管委会",
        ] {
            assert_eq!(
                IssuerKind::of(government),
                IssuerKind::Government,
                "{government}"
            );
        }
        for department in [
            "福州市住房公积金管理委员会",
            "平潭综合实验区管委会办公室",
            "平潭综合实验区海坛片区管理局",
            "平潭县人防办",
            "平潭县经济贸易局",
        ] {
            assert_eq!(
                IssuerKind::of(department),
                IssuerKind::Department,
                "{department}"
            );
        }
    }

    #[test]
    fn dates_in_all_three_forms() {
        let d = find_dates("2017年12月23日、2017-12-28、2017 年 1 月 1 日、2017年5月，2017年13月");
        let got: Vec<(i32, u32, u32)> = d
            .iter()
            .map(|f| (f.date.year, f.date.month, f.date.day))
            .collect();
        assert_eq!(
            got,
            vec![
                (2017, 12, 23),
                (2017, 12, 28),
                (2017, 1, 1),
                (2017, 5, 0),
                (2017, 13, 0)
            ]
        );
        assert!(!d[4].date.is_valid());
        assert!(!Date {
            year: 2017,
            month: 2,
            day: 30
        }
        .is_valid());
    }
}
