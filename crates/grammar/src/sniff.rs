//! Files that are not text, named by their first bytes (their "magic"): a PDF, a
//! Word or WPS document, a spreadsheet, an image, an archive. Decoded as text they
//! would give pages of findings over garbage; named, they give one clear error
//! saying what the file is and what to do instead (NB025).

/// What a file is, when it is not text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Binary {
    /// `%PDF-`.
    Pdf,
    /// A ZIP package with `word/`: a Word `.docx` (also saved by WPS).
    Docx,
    /// A ZIP package with `xl/`: an Excel `.xlsx`.
    Xlsx,
    /// A ZIP package with `ppt/`: a PowerPoint `.pptx`.
    Pptx,
    /// A ZIP package with `OFD.xml`: an OFD document (China's fixed-layout format).
    Ofd,
    /// Another ZIP archive.
    Zip,
    /// An OLE compound file: an old Word `.doc`, a WPS `.wps`, an Excel `.xls`.
    Ole,
    /// A PNG, JPEG, GIF, TIFF or WebP image.
    Image,
    /// A RAR, 7z or gzip archive.
    Archive,
}

/// How many bytes of a ZIP package are searched for the names of its parts.
const ZIP_NAMES: usize = 1 << 20;

/// What `bytes` are, when their first bytes say they are not text.
///
/// ```
/// use nianbao_grammar::sniff::{binary_kind, Binary};
/// assert_eq!(binary_kind(b"%PDF-1.7\n..."), Some(Binary::Pdf));
/// assert_eq!(binary_kind("某市2024年政府信息公开工作年度报告".as_bytes()), None);
/// ```
pub fn binary_kind(bytes: &[u8]) -> Option<Binary> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(b"%PDF-") {
        return Some(Binary::Pdf);
    }
    if starts(b"PK\x03\x04") {
        // The part names are in each local header and in the central directory.
        let head = &bytes[..bytes.len().min(ZIP_NAMES)];
        let tail = &bytes[bytes.len().saturating_sub(ZIP_NAMES)..];
        let has = |name: &[u8]| {
            [head, tail]
                .iter()
                .any(|b| b.windows(name.len()).any(|w| w == name))
        };
        return Some(if has(b"word/") {
            Binary::Docx
        } else if has(b"xl/") {
            Binary::Xlsx
        } else if has(b"ppt/") {
            Binary::Pptx
        } else if has(b"OFD.xml") {
            Binary::Ofd
        } else {
            Binary::Zip
        });
    }
    if starts(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Some(Binary::Ole);
    }
    let image = starts(b"\x89PNG\r\n\x1A\n")
        || starts(b"\xFF\xD8\xFF")
        || starts(b"GIF87a")
        || starts(b"GIF89a")
        || starts(b"II*\0")
        || starts(b"MM\0*")
        || (starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP"));
    if image {
        return Some(Binary::Image);
    }
    if starts(b"Rar!\x1A\x07") || starts(b"7z\xBC\xAF\x27\x1C") || starts(b"\x1F\x8B") {
        return Some(Binary::Archive);
    }
    None
}

impl Binary {
    /// What the file is and what to do, in both languages.
    pub fn message(self) -> crate::Message {
        let (what_zh, what_en, todo_zh, todo_en) = match self {
            Binary::Pdf => (
                " PDF 文件",
                "a PDF file",
                "请先转换为 Markdown 或纯文本（如 pdftotext），或取网站上的 HTML 页面再检查",
                "convert it to Markdown or plain text first (pdftotext, for one), or check the HTML page of the site",
            ),
            Binary::Docx => (
                " Word 文档（.docx）",
                "a Word document (.docx)",
                "请在 Word 或 WPS 中另存为网页（.html）或纯文本（.txt）再检查",
                "save it as a web page (.html) or plain text (.txt) in Word or WPS and check that",
            ),
            Binary::Ole => (
                "旧版 Word/WPS/Excel 文件（.doc、.wps、.xls）",
                "an old Word, WPS or Excel file (.doc, .wps, .xls)",
                "请在 Word 或 WPS 中另存为网页（.html）或纯文本（.txt）再检查",
                "save it as a web page (.html) or plain text (.txt) in Word or WPS and check that",
            ),
            Binary::Xlsx => (
                " Excel 表格（.xlsx）",
                "an Excel workbook (.xlsx)",
                "年报应为正文文件；请检查年报的网页、文本或 Markdown 版本",
                "a report is a text document: check its web page, text or Markdown version",
            ),
            Binary::Pptx => (
                " PowerPoint 演示文稿（.pptx）",
                "a PowerPoint presentation (.pptx)",
                "年报应为正文文件；请检查年报的网页、文本或 Markdown 版本",
                "a report is a text document: check its web page, text or Markdown version",
            ),
            Binary::Ofd => (
                " OFD 版式文件",
                "an OFD fixed-layout document",
                "请用版式阅读器导出为文本，或取网站上的 HTML 页面再检查",
                "export it as text with an OFD reader, or check the HTML page of the site",
            ),
            Binary::Zip => (
                " ZIP 压缩包",
                "a ZIP archive",
                "请先解压，再检查其中的年报文件",
                "unpack it and check the reports in it",
            ),
            Binary::Archive => (
                "压缩包（RAR、7z 或 gzip）",
                "an archive (RAR, 7z or gzip)",
                "请先解压，再检查其中的年报文件",
                "unpack it and check the reports in it",
            ),
            Binary::Image => (
                "图片",
                "an image",
                "图片中的文字无法读取；请取得年报的文本、网页或 Markdown 版本",
                "text in an image cannot be read: get the report as text, a web page or Markdown",
            ),
        };
        crate::Message::new(
            format!("这是{what_zh}，不是文本，nianbao 无法读取；{todo_zh}"),
            format!("this is {what_en}, not text, and nianbao cannot read it: {todo_en}"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_by_its_first_bytes() {
        let zip =
            |name: &[u8]| [b"PK\x03\x04".as_slice(), b"\x14\0\0\0\0\0", name, b"..."].concat();
        for (bytes, kind) in [
            (b"%PDF-1.4".to_vec(), Some(Binary::Pdf)),
            (zip(b"word/document.xml"), Some(Binary::Docx)),
            (zip(b"xl/workbook.xml"), Some(Binary::Xlsx)),
            (zip(b"ppt/presentation.xml"), Some(Binary::Pptx)),
            (zip(b"OFD.xml"), Some(Binary::Ofd)),
            (zip(b"report.md"), Some(Binary::Zip)),
            (
                b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0".to_vec(),
                Some(Binary::Ole),
            ),
            (b"\x89PNG\r\n\x1A\n\0".to_vec(), Some(Binary::Image)),
            (b"\xFF\xD8\xFF\xE0".to_vec(), Some(Binary::Image)),
            (b"RIFF\0\0\0\0WEBPVP8 ".to_vec(), Some(Binary::Image)),
            (b"\x1F\x8B\x08\0".to_vec(), Some(Binary::Archive)),
            // Text, even text that starts like a PDF's name.
            (b"PDF report".to_vec(), None),
            ("一、总体情况".as_bytes().to_vec(), None),
            (Vec::new(), None),
        ] {
            assert_eq!(binary_kind(&bytes), kind, "{bytes:?}");
        }
    }
}
